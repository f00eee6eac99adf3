"""Hostile text in every text field of the format, through every output a person or a program reads.

Each field of a scenario (title, situation, objectives, persona name, plan, churn reason, customer
lines, answers, feedback, instead, offer labels, ending lines, debriefs), the trainee's name and the
words a trainee typed as an answer carry a marker of their own followed by a payload that a careless
renderer would run, evaluate or let reshape the page or the terminal. The same call is played once
with the markers alone and once with the payload: every output must show the same fields either
way, as literal text, with no element, link or script added, and no control character reaching a
terminal.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
import yaml
from helpers import ROOT, doc_example_text
from report_helpers import Page

from simulator.core.engine import Said
from simulator.core.session_json import said_json
from simulator.storage import Store

PAYLOAD = ("<script>alert(1)</script> {{ ''.__class__ }} {% if 1 %}x{% endif %} <img src=x onerror=alert(1)>"
           " | `code` *star* [link](http://x) <!-- --> \"quote\" 'apos' & \\back")
CONTROL = "\x1b[31mRED\x1b[0m\x07\u202eevil\u202c\r"
CHOICES = "1,1,1,1"  # the doc example's expert path, for the window


def _mark(data: object, path: str, markers: dict[str, str], payload: str) -> object:
    """``data`` with every bilingual text leaf replaced by 'M<n> <payload>', recording where each went."""
    if isinstance(data, dict):
        if set(data) <= {"en", "zh"} and data and all(isinstance(v, str) for v in data.values()):
            out = {}
            for lang in data:
                name = f"M{len(markers):02d}{lang}"
                markers[name] = f"{path}.{lang}"
                out[lang] = f"{name} {payload}".rstrip()
            return out
        return {k: (v if k in {"when", "if", "set", "add", "mood", "next", "goto"}
                    else _mark(v, f"{path}.{k}", markers, payload)) for k, v in data.items()}
    if isinstance(data, list):
        return [_mark(v, f"{path}[{i}]", markers, payload) for i, v in enumerate(data)]
    return data


@cache
def scenario_text(payload: str) -> tuple[str, tuple[tuple[str, str], ...]]:
    """The doc example with a marker and ``payload`` in every text field, and the markers' fields."""
    data = yaml.safe_load(doc_example_text())
    markers: dict[str, str] = {}
    marked = _mark(data, "", markers, payload)
    marked.pop("playthroughs", None)  # their names are ids, not text
    return yaml.safe_dump(marked, allow_unicode=True, sort_keys=False, width=10_000), tuple(markers.items())


TEXT_FIELDS = {field for _name, field in scenario_text("")[1]}


def test_every_text_field_of_the_example_is_marked():
    # A field added to the format must be added to the example, or this test marks nothing new.
    kinds = {kind_of(f) for f in TEXT_FIELDS}
    assert {".title", ".situation", ".objectives", ".persona.name", ".persona.plan", ".persona.churn_reason",
            ".customer", ".responses.text", ".responses.feedback", ".responses.instead",
            ".responses.offer.label", ".debrief"} <= kinds


# The call a trainee plays by hand (so lists and cohorts count it): the premature offer first, taken back,
# made again (its "instead" and the better answer are shown, and the report has an undone turn), then the
# expert path to the ending. Numbers are the order written (the call is played with --no-shuffle).
ANSWERS = "2\nu\n2\n1\n1\n1\n1\n"


class Call:
    """One scenario file played once by hand in the terminal; each output is produced when first asked for."""

    def __init__(self, root: Path, payload: str, lang: str):
        self.root = root
        self.lang = lang
        text, markers = scenario_text(payload)
        self.markers = dict(markers)
        self.file = root / "hostile.yaml"
        self.file.write_text(text, "utf-8")
        self.env = {**os.environ, "RETENTION_SIM_DATA": str(root / "data"), "PYTHONIOENCODING": "utf-8",
                    "SDL_VIDEODRIVER": "dummy", "SDL_AUDIODRIVER": "dummy", "COLUMNS": "100"}
        self.trainee = f"TRAINEE {payload}".rstrip()
        self.typed = f"TYPED {payload}".rstrip()
        self.outputs: dict[str, str] = {}

    def type_first_answer(self) -> None:
        """Make the saved call's first answer a typed one, in the trainee's own (hostile) words.

        Typing it at the terminal would need the recogniser to match marker-only answers to
        each other; the words are what the outputs must escape, so they are put in the record.
        """
        with Store(self.root / "data" / "sessions.sqlite3") as store:
            record = store.take_over(1)
            state = dict(record.state)
            # Heard making the matched answer's early offer: its "instead" then speaks for the words too.
            heard = (("empathy", 0.8), ("premature_offer", 0.6))
            state["history"][0]["said"] = said_json(Said(self.typed, heard, 0.5, 0.4))
            store.save(1, state, record.updated_at, finished=record.finished, ending=record.ending,
                       score=record.score)

    def run(self, *argv: str, stdin: str = "") -> str:
        """Standard output of ``main.py argv`` in this call's folder, which must succeed without a traceback."""
        result = subprocess.run([sys.executable, str(ROOT / "main.py"), *argv], cwd=self.root, env=self.env,
                                capture_output=True, timeout=120, input=stdin.encode())
        assert result.returncode == 0, (argv, result.stdout.decode("utf-8", "replace")[-2000:],
                                        result.stderr.decode("utf-8", "replace")[-2000:])
        assert b"Traceback" not in result.stderr
        return result.stdout.decode("utf-8")

    def written(self, *argv: str, name: str) -> str:
        """The file a command writes with ``-o``."""
        out = self.root / name
        self.run(*argv, "-o", str(out))
        return out.read_text("utf-8")

    def output(self, output: Output) -> str:
        """What ``output`` shows for this call (made once, after the call is played and saved)."""
        if "terminal play" not in self.outputs:
            self.outputs["terminal play"] = self.run("play", str(self.file), "--tui", "--lang", self.lang,
                                                     "--no-shuffle", "--trainee", self.trainee, stdin=ANSWERS)
            self.type_first_answer()
        if output.name not in self.outputs:
            self.outputs[output.name] = output.make(self)
        return self.outputs[output.name]


# The kinds of output, each with its own rules: HTML must gain no element, a terminal and Markdown no
# control character; JSON carries the text unchanged; a map keeps every label closed.
HTML, TERMINAL, MARKDOWN, JSON, MAP = "html", "terminal", "markdown", "json", "map"


@dataclass(frozen=True)
class Output:
    """One output a person or a program reads: how to make it from a played call, and what it must show.

    ``shows`` is a floor, the field kinds (as in TEXT_FIELDS without indices and languages, plus
    ".trainee") the output shows today: a report that drops a field is not safe, it is broken.
    A new output (the phone page, say) is one more row in OUTPUTS; every test below then covers it.
    """

    name: str
    kind: str
    make: Callable[[Call], str]
    shows: frozenset[str] = frozenset()


SCRIPT_FIELDS = {".title", ".customer", ".responses.text", ".responses.feedback", ".responses.instead", ".debrief"}
OUTPUTS = [
    Output("terminal play", TERMINAL, lambda c: c.outputs["terminal play"],
           frozenset(SCRIPT_FIELDS | {".situation", ".objectives", ".persona.name", ".persona.plan"})),
    Output("validate", TERMINAL, lambda c: c.run("validate", str(c.file))),
    Output("report list", TERMINAL, lambda c: c.run("report", "--list"), frozenset({".trainee"})),
    Output("report terminal", TERMINAL, lambda c: c.run("report", "1"),
           frozenset(SCRIPT_FIELDS | {".persona.name", ".trainee", ".typed"})),
    Output("report html", HTML, lambda c: c.written("report", "1", name="call.html"),
           frozenset(SCRIPT_FIELDS | {".persona.name", ".persona.plan", ".trainee", ".typed"})),
    Output("report md", MARKDOWN, lambda c: c.written("report", "1", name="call.md"),
           frozenset(SCRIPT_FIELDS | {".persona.name", ".trainee", ".typed"})),
    Output("report json", JSON, lambda c: c.written("report", "1", name="call.json"),
           frozenset(SCRIPT_FIELDS | {".situation", ".objectives", ".persona.name", ".persona.plan", ".trainee",
                                      ".typed"})),
    Output("cohort html", HTML, lambda c: c.written("report", "--cohort", "--lang", c.lang, name="cohort.html"),
           frozenset({".title", ".trainee", ".typed", ".customer", ".responses.text"})),
    Output("cohort md", MARKDOWN, lambda c: c.written("report", "--cohort", "--lang", c.lang, name="cohort.md"),
           frozenset({".title", ".trainee", ".typed", ".customer", ".responses.text"})),
    Output("cohort json", JSON, lambda c: c.written("report", "--cohort", "--lang", c.lang, name="cohort.json"),
           frozenset({".title", ".trainee", ".typed", ".customer", ".responses.text"})),
    Output("map html", HTML, lambda c: c.run("graph", str(c.file), "--format", "html", "--lang", c.lang),
           frozenset({".title", ".customer", ".debrief"})),
    Output("map dot", MAP, lambda c: c.run("graph", str(c.file), "--format", "dot", "--lang", c.lang),
           frozenset({".title", ".customer"})),
    # Node ids and step names only, no author text today; kept so that text added to it is covered.
    Output("map mermaid", MAP, lambda c: c.run("graph", str(c.file), "--format", "mermaid", "--lang", c.lang)),
]
BY_NAME = {o.name: o for o in OUTPUTS}


def of_kind(*kinds: str) -> list[str]:
    """The names of the outputs of these kinds, for parametrize."""
    return [o.name for o in OUTPUTS if o.kind in kinds]


@cache
def call(payload_name: str, lang: str, root: str) -> Call:
    payload = {"plain": "", "hostile": PAYLOAD, "control": CONTROL}[payload_name]
    folder = Path(root) / f"{payload_name}-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    return Call(folder, payload, lang)


def played(payload_name: str, lang: str, root: str, output: str) -> str:
    """What ``output`` shows for the call with this payload in every text field."""
    return call(payload_name, lang, root).output(BY_NAME[output])


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    return str(tmp_path_factory.mktemp("hostile"))


def shown_markers(text: str, lang: str) -> set[str]:
    return set(re.findall(rf"M\d\d{lang}", text)) | {m for m in ("TRAINEE", "TYPED") if m in text}


def kind_of(field: str) -> str:
    """'.nodes.opening.responses[1].instead.en' → '.responses.instead'."""
    return re.sub(r"\[\d+\]|\.(en|zh)$|^\.nodes\.\w+|^\.endings\.\w+", "", field)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("output", [o.name for o in OUTPUTS])
def test_hostile_text_hides_no_field(output, lang, workdir):
    plain = played("plain", lang, workdir, output)
    hostile = played("hostile", lang, workdir, output)
    assert shown_markers(hostile, lang) == shown_markers(plain, lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("output", [o.name for o in OUTPUTS if o.shows])
def test_each_output_shows_its_fields(output, lang, workdir):
    # Without this floor, an output that shows nothing would pass every hostile test above.
    text = played("plain", lang, workdir, output)
    shown = {kind_of(field) for name, field in scenario_text("")[1] if name.endswith(lang) and name in text}
    shown |= {".trainee"} if "TRAINEE" in text else set()
    shown |= {".typed"} if "TYPED" in text else set()
    assert BY_NAME[output].shows <= shown, BY_NAME[output].shows - shown


@pytest.mark.parametrize("output", of_kind(HTML))
def test_hostile_text_adds_no_element_or_attribute(output, workdir):
    plain = Page(played("plain", "en", workdir, output))
    hostile = Page(played("hostile", "en", workdir, output))
    assert not hostile.nesting_errors
    assert [tag for tag, _ in hostile.tags] == [tag for tag, _ in plain.tags]
    assert [sorted(attrs) for _, attrs in hostile.tags] == [sorted(attrs) for _, attrs in plain.tags]


@pytest.mark.parametrize("output", of_kind(HTML))
def test_hostile_text_reaches_html_as_literal_text(output, workdir):
    text = played("hostile", "en", workdir, output)
    page_text = " ".join(Page(text).root.text().split())
    assert "<script>alert(1)</script>" in page_text
    assert "{{ ''.__class__ }}" in page_text or "{{ &#39;&#39;.__class__ }}" in text


@pytest.mark.parametrize("output", of_kind(JSON))
def test_hostile_text_reaches_json_unchanged(output, workdir):
    data = json.loads(played("hostile", "en", workdir, output))
    found = json.dumps(data, ensure_ascii=False)
    assert json.dumps(PAYLOAD, ensure_ascii=False)[1:-1] in found


@pytest.mark.parametrize("output", [o.name for o in OUTPUTS if ".trainee" in o.shows and o.kind == HTML])
def test_hostile_trainee_name_reaches_html_as_text(output, workdir):
    page = Page(played("hostile", "en", workdir, output))
    assert f"TRAINEE {PAYLOAD}" in " ".join(page.root.text().split())


@pytest.mark.parametrize("output", [o.name for o in OUTPUTS if ".typed" in o.shows and o.kind == HTML])
def test_hostile_typed_words_reach_html_as_text(output, workdir):
    page = Page(played("hostile", "en", workdir, output))
    assert f"TYPED {PAYLOAD}" in " ".join(page.root.text().split())


@pytest.mark.parametrize("output", [o.name for o in OUTPUTS if ".typed" in o.shows and o.kind == JSON])
def test_hostile_typed_words_reach_json_unchanged(output, workdir):
    found = json.dumps(json.loads(played("hostile", "en", workdir, output)), ensure_ascii=False)
    assert json.dumps(f"TYPED {PAYLOAD}", ensure_ascii=False)[1:-1] in found


@pytest.mark.parametrize("output", of_kind(MAP))
def test_hostile_text_cannot_end_a_map_label(output, workdir):
    # A quote or bracket in author text must not close the label it sits in: the line count is the same
    # as with plain text, and every label that held a marker still does.
    plain = played("plain", "en", workdir, output)
    hostile = played("hostile", "en", workdir, output)
    assert len(hostile.splitlines()) == len(plain.splitlines())
    assert [shown_markers(line, "en") for line in hostile.splitlines()] == \
        [shown_markers(line, "en") for line in plain.splitlines()]


@pytest.mark.parametrize("output", of_kind(TERMINAL, MARKDOWN))
def test_control_characters_never_reach_a_terminal_or_markdown(output, workdir):
    text = played("control", "en", workdir, output)
    assert "RED" in text or not BY_NAME[output].shows  # the text is there, made inert
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\u202a-\u202e\u2066-\u2069]", text), output


@pytest.mark.parametrize("payload_name", ["hostile", "control"])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_window_draws_hostile_text_without_failing(payload_name, lang, workdir):
    folder = Path(workdir) / f"window-{payload_name}-{lang}"
    folder.mkdir(parents=True, exist_ok=True)
    call = Call(folder, {"hostile": PAYLOAD, "control": CONTROL}[payload_name], lang)
    for choices in ("", "1", CHOICES):
        out = folder / f"shot-{len(choices)}.png"
        call.run("screenshot", str(call.file), "--lang", lang, "--choices", choices, "--size", "1024x768",
                 "-o", str(out))
        assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
