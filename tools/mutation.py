"""``make mutation``: deliberate bugs in the core and in the templates' escaping, each of which a test must catch.

Two parts, both bounded in time, each ending with its killed share and the survivors by name:

* the core: mutmut (configured in pyproject.toml, [tool.mutmut]) changes one operator, constant or
  call at a time in the chosen modules of simulator/core and runs the tests that reach the changed
  function. Survivors can be read with ``.venv/bin/mutmut show NAME``.
* the templates: every ``{{ field }}`` of the HTML templates that can carry author or trainee text is
  turned into ``{{ field|safe }}`` (no escaping) one at a time, and the hostile-text tests must fail.

Usage: ``python tools/mutation.py [--modules scoring engine ...] [--timeout SECONDS] [--skip-templates]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent
DEFAULT_MODULES = ["scoring", "engine", "text", "cues"]  # the rules a trainee is judged by, first
TEMPLATES = [ROOT / "simulator" / "templates" / name for name in ("report.html.j2", "cohort.html.j2")]
# A plain field, optionally with a fallback: {{ r.debrief }}, {{ r.trainee or "—" }}.
FIELD = re.compile(r"\{\{\s*([a-z_][\w.]*(?:\s+or\s+\"[^\"]*\")?)\s*\}\}")
# Fields that hold numbers, ids the loader restricts to [a-z0-9_-], or enum values: no markup can reach them,
# so unescaping them is not a bug a test could show.
NOT_TEXT = {"score", "grade", "points", "max", "number", "sessions", "visits", "language", "outcome", "id",
            "mood_before", "mood_after", "seconds", "spread", "average", "step", "node", "average_score",
            "score_spread", "segment", "stage", "personality", "currency", "s", "session",
            # the SVG charts, built as markup on purpose (report/render.py)
            "mood_svg", "times_svg",
            # the product's own catalog and label text (technique, mistake, step and emotion names, figures):
            # no author or trainee can put markup there, so no hostile-text test can reach it
            "name", "why", "step_name", "emotion_name", "outcome_name", "f"}
HOSTILE_TESTS = ["tests/test_hostile_everywhere.py", "-k", "report and html or cohort", "-x", "-q",
                 "-p", "no:cacheprovider"]


def run_bounded(argv: list[str], timeout: float, env: dict[str, str]) -> bool:
    """Run ``argv`` in its own process group; stop the whole group at ``timeout``. True when it finished."""
    proc = subprocess.Popen(argv, cwd=ROOT, env=env, start_new_session=True)
    try:
        proc.wait(timeout=timeout)
        return True
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        return False


def core_results(modules: list[str]) -> dict[str, str]:
    """Each decided mutant of ``modules`` and its status, read from mutmut's result files."""
    from mutmut.stats import status_by_exit_code

    results: dict[str, str] = {}
    for meta in (ROOT / "mutants" / "simulator" / "core").rglob("*.py.meta"):
        for name, code in json.loads(meta.read_text("utf-8"))["exit_code_by_key"].items():
            if any(name.startswith(f"simulator.core.{m}.") for m in modules) and code is not None:
                results[name] = status_by_exit_code[code]
    return results


def mutate_core(modules: list[str], timeout: float, children: int) -> tuple[int, int]:
    """Run mutmut on ``modules``; print the share killed and the survivors. Returns (killed, decided)."""
    temp = tempfile.mkdtemp(prefix="mutation-")
    # Our own pytest temp root (other runs' leftovers cannot warn), and a derandomized hypothesis profile
    # so a mutant is judged the same way every time.
    env = {**os.environ, "PYTEST_DEBUG_TEMPROOT": temp, "HYPOTHESIS_PROFILE": "mutation"}
    patterns = [f"simulator.core.{m}.*" for m in modules]
    finished = run_bounded([str(VENV_BIN / "mutmut"), "run", "--max-children", str(children), *patterns],
                           timeout, env)
    results = core_results(modules)
    killed = sum(status in ("killed", "timeout", "caught by type check") for status in results.values())
    survivors = sorted(name for name, status in results.items() if status == "survived")
    print(f"\ncore ({', '.join(modules)}): {killed} of {len(results)} mutants killed"
          f" ({100 * killed / max(len(results), 1):.1f}%)" + ("" if finished else f"; stopped at {timeout:.0f} s"))
    for name in survivors:
        print(f"  survived: {name}")
    for name, status in sorted(results.items()):
        if status not in ("killed", "timeout", "caught by type check", "survived"):
            print(f"  {status}: {name}")
    return killed, len(results)


def template_mutants() -> list[tuple[Path, int, str]]:
    """(template, offset, field) for every text field that autoescaping protects."""
    found = []
    for path in TEMPLATES:
        for match in FIELD.finditer(path.read_text("utf-8")):
            parts = match.group(1).split()[0].split(".")
            # persona.name, the scenario's title and the like are author text, whatever their last part
            if parts[-1] not in NOT_TEXT or parts[-2:] == ["persona", "name"]:
                found.append((path, match.start(), match.group(1)))
    return found


def mutate_templates(timeout: float) -> tuple[int, int]:
    """Unescape each text field in turn and run the hostile-text tests; print what they missed."""
    env = {**os.environ, "PYTEST_DEBUG_TEMPROOT": tempfile.mkdtemp(prefix="mutation-")}
    killed, tried, survivors = 0, 0, []
    for path, offset, field in template_mutants():
        original = path.read_text("utf-8")
        match = FIELD.match(original, offset)
        path.write_text(original[:offset] + "{{ (" + field + ")|safe }}" + original[match.end():], "utf-8")
        try:
            done = subprocess.run([sys.executable, "-m", "pytest", *HOSTILE_TESTS], cwd=ROOT, env=env,
                                  capture_output=True, timeout=timeout)
            tried += 1
            if done.returncode != 0:
                killed += 1
            else:
                survivors.append(f"{path.name}: {{{{ {field} }}}}")
        except subprocess.TimeoutExpired:
            survivors.append(f"{path.name}: {{{{ {field} }}}} (timed out)")
        finally:
            path.write_text(original, "utf-8")
    print(f"\ntemplates: {killed} of {tried} unescaped fields caught ({100 * killed / max(tried, 1):.1f}%)")
    for name in survivors:
        print(f"  survived: {name}")
    return killed, tried


def main() -> int:
    """Run both parts and print the killed shares; exit 0 (the score is the output, not a gate)."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--modules", nargs="+", default=DEFAULT_MODULES,
                        help="core modules to mutate, e.g. scoring engine (default: %(default)s)")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds for the core part (default 1800)")
    parser.add_argument("--max-children", type=int, default=2, help="mutants run in parallel (default 2)")
    parser.add_argument("--skip-templates", action="store_true", help="only the core")
    args = parser.parse_args()
    core = mutate_core(args.modules, args.timeout, args.max_children)
    templates = (0, 0) if args.skip_templates else mutate_templates(120)
    print(f"\nkilled: core {core[0]}/{core[1]}, templates {templates[0]}/{templates[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
