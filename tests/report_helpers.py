"""Shared pieces of the report tests: a scenario whose author text is hostile, and an HTML reader."""

from __future__ import annotations

from html.parser import HTMLParser

from helpers import doc_example_text

from simulator.core import loader
from simulator.core.model import Scenario

# What an author (or a trainee) might type that a careless renderer would run or evaluate.
HOSTILE = "<script>alert(1)</script> {{ ''.__class__ }} {% for x in y %} <img src=x onerror=alert(1)>"

# Where the hostile text goes: a marker per field, so each field can be found on its own.
FIELDS = {
    "customer": ('"Hi, I\'d like to cancel my number, please."', "CUSTOMER"),
    "answer": ('"Of course, {name}, I can help. May I ask what made you think of cancelling?"', "ANSWER"),
    "feedback": ('"Warm, uses his name and asks an open question before anything else."', "FEEDBACK"),
    "persona": ('"Chen Hao"', "PERSONA"),
}


def _quoted(text: str) -> str:
    """``text`` as a YAML double-quoted scalar."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def marked(field: str, payload: str = HOSTILE) -> str:
    """The text the hostile scenario carries in ``field``."""
    return f"{FIELDS[field][1]} {payload}"


def hostile_text(payload: str = HOSTILE) -> str:
    """The doc example with ``payload`` in the customer line, an answer, its feedback and the persona name."""
    text = doc_example_text()
    for field, (old, _marker) in FIELDS.items():
        assert text.count(old) == 1, f"the doc example changed: {old!r} is not there exactly once"
        text = text.replace(old, _quoted(marked(field, payload)))
    return text


def hostile_scenario(payload: str = HOSTILE, path: str = "hostile.yaml") -> Scenario:
    """The hostile doc example, loaded (it must load without diagnostics: the text is legal data)."""
    scenario, diagnostics = loader.load_text(hostile_text(payload), path)
    assert scenario is not None and not diagnostics, [d.format() for d in diagnostics]
    return scenario


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track",
                  "wbr"})


class Element:
    """One element of a parsed page."""

    def __init__(self, tag: str, attrs: dict[str, str | None], parent: Element | None):
        self.tag, self.attrs, self.parent = tag, attrs, parent
        self.children: list[Element] = []
        self.parts: list[str] = []  # text directly inside, in order

    def iter(self, tag: str | None = None):
        """This element and every descendant (optionally only ``tag``)."""
        if tag is None or self.tag == tag:
            yield self
        for child in self.children:
            yield from child.iter(tag)

    def text(self) -> str:
        """All the text inside, as a reader would see it (entities decoded)."""
        out = list(self.parts)
        for child in self.children:
            out.append(child.text())
        return "".join(out)

    def classes(self) -> set[str]:
        return set((self.attrs.get("class") or "").split())


class Page(HTMLParser):
    """Reads a page into a tree, strictly: every non-void element must be closed in order."""

    def __init__(self, source: str):
        super().__init__(convert_charrefs=True)
        self.root = Element("#document", {}, None)
        self.current = self.root
        self.tags: list[tuple[str, dict[str, str | None]]] = []  # every tag, in order
        self.nesting_errors: list[str] = []
        self.feed(source)
        self.close()
        while self.current is not self.root:
            self.nesting_errors.append(f"<{self.current.tag}> is never closed")
            self.current = self.current.parent

    def handle_starttag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.tags.append((tag, element.attrs))
        self.current.children.append(element)
        if tag not in VOID:
            self.current = element

    def handle_startendtag(self, tag, attrs):
        element = Element(tag, dict(attrs), self.current)
        self.tags.append((tag, element.attrs))
        self.current.children.append(element)

    def handle_endtag(self, tag):
        if tag in VOID:
            return
        if self.current.tag != tag:
            self.nesting_errors.append(f"</{tag}> closes <{self.current.tag}>")
            # Recover to the matching open element, if any, so one slip is reported once.
            node = self.current
            while node is not self.root and node.tag != tag:
                node = node.parent
            if node is self.root:
                return
            self.current = node
        self.current = self.current.parent

    def handle_data(self, data):
        self.current.parts.append(data)

    def section(self, heading: str) -> Element:
        """The <section> holding an <h2> with exactly this text."""
        for section in self.root.iter("section"):
            if any(h.text().strip() == heading for h in section.iter("h2")):
                return section
        raise AssertionError(f"no section headed {heading!r}")

    def title(self) -> str:
        return next(self.root.iter("title")).text()
