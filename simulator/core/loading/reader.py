"""The reader every part of the loader shares: where diagnostics go, and how a field is read by its kind.

A value of the wrong shape becomes a diagnostic with its file:line:col and the reader carries on,
so one pass finds every problem.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable

from ..catalog import Catalog
from ..diagnostics import Diagnostic, make
from ..model import Pos, Value
from ..text import Text
from ..yamlsafe import Marks
from .fields import ID, IDENT, LANG, TEXT
from .kinds import Choice, Field, Flag, Named, Number, Part

ID_PATTERN = re.compile(ID)
LANG_PATTERN = re.compile(LANG)


def suggest(word: object, choices: Iterable[str]) -> str:
    """" Did you mean 'x'?" for the closest of ``choices``, or nothing."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f" Did you mean '{close[0]}'?" if close else ""


# In order: bool before int (a bool is an int), the first that fits names the value.
_KINDS = ((type(None), "empty"), (bool, "true/false"), (int, "a whole number"), (float, "a number"),
          (str, "text"), (list, "a list"), (dict, "a mapping"))


def kind_of(value: object) -> str:
    """What a YAML value is, in an author's words."""
    return next((name for t, name in _KINDS if isinstance(value, t)), type(value).__name__)


class Reader:
    """One file's reading state: its positions, the catalog, the diagnostics so far, what is declared."""

    def __init__(self, path: str, marks: Marks, catalog: Catalog, source: str = ""):
        self.path = path
        self.lines = source.splitlines()  # to quote a value as the author wrote it
        self.marks = marks
        self.catalog = catalog
        self.diagnostics: list[Diagnostic] = []
        self.languages: tuple[str, ...] = ()
        self.variables: dict[str, Value] = {}
        self.slots: dict[str, int] = {}
        self.mistakes_slot = 0
        self.broken = False  # a required part could not be built
        self.declared: set[str] = set()  # node and ending ids written in the file, built or not

    # -- diagnostics ---------------------------------------------------------------------
    def err(self, code: str, pos: Pos, **fields: object) -> None:
        """Record the diagnostic ``code`` at ``pos``."""
        self.diagnostics.append(make(code, self.path, pos[0], pos[1], **fields))

    def fields(self, data: dict, part: Part, where: str) -> None:
        """Report fields ``part`` does not have, and its required fields that ``data`` lacks."""
        allowed = part.names
        for key in data:
            if key not in allowed:
                hint = suggest(key, allowed).strip() or f"Allowed here: {', '.join(allowed)}."
                self.err("SC002", self.marks.of_key(data, key), field=key, where=where, suggestion=hint)
        for key in part.required:
            if key not in data:
                self.err("SC001", self.marks.of(data), field=key, where=where)

    def mapping(self, parent: dict | list, key: object, field: str) -> dict | None:
        """``parent[key]`` if it is a mapping, else a diagnostic and None."""
        value = parent[key]
        if isinstance(value, dict):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=field, expected="a mapping", actual=kind_of(value))
        return None

    def listing(self, parent: dict, key: str) -> list | None:
        """``parent[key]`` if it is a list, else a diagnostic and None."""
        value = parent[key]
        if isinstance(value, list):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=key, expected="a list", actual=kind_of(value))
        return None

    # -- a field by its kind ---------------------------------------------------------------
    def given(self, data: dict, f: Field) -> bool:
        """Whether ``data`` gives field ``f`` (an empty value counts as absent where the table says so)."""
        return data.get(f.name) is not None if f.null_ok else f.name in data

    def value(self, data: dict, f: Field) -> object:
        """Field ``f`` of ``data`` read by its kind; its default when absent; None (reported) when wrong."""
        if not self.given(data, f):
            return f.default
        key, kind = f.name, f.kind
        if kind is TEXT:
            return self.text(data, key, key)
        if kind is IDENT:
            return self.ident(data, key)
        while isinstance(kind, Named):
            kind = kind.kind
        if isinstance(kind, Choice):
            return self.enum(data, key, kind.values)
        if isinstance(kind, Number):
            return self.number(data, key, kind.low, kind.high, integer=kind.whole)
        if isinstance(kind, Flag):
            return self.boolean(data, key)
        raise TypeError(f"field '{key}' has a kind the reader does not read generically: {kind!r}")

    # -- scalars -------------------------------------------------------------------------
    def text(self, parent: dict | list, key: object, field: str) -> Text | None:
        """A text: a plain string in a one-language scenario, else one string per declared language."""
        value = parent[key]
        pos = self.marks.of_value(parent, key)
        if isinstance(value, str):
            if not value.strip():
                self.err("SC007", pos, field=field)
                return None
            if len(self.languages) > 1:
                example = ", ".join(f"{lang}: …" for lang in self.languages)
                self.err("LG003", pos, languages=list(self.languages), example=example)
            return {"*": value}
        if isinstance(value, dict):
            result: dict[str, str] = {}
            for lang, s in value.items():
                lpos = self.marks.of_value(value, lang)
                if not LANG_PATTERN.match(lang):
                    self.err("SC009", self.marks.of_key(value, lang), value=lang)
                elif self.languages and lang not in self.languages:
                    self.err("LG002", self.marks.of_key(value, lang), lang=lang)
                if not isinstance(s, str):
                    self.err("SC003", lpos, field=f"{field}.{lang}", expected="text", actual=kind_of(s))
                elif not s.strip():
                    self.err("SC007", lpos, field=f"{field}.{lang}")
                else:
                    result[lang] = s
            for lang in self.languages:
                if lang not in value:
                    self.err("LG001", pos, lang=lang, languages=list(self.languages))
            if not value:
                self.err("SC007", pos, field=field)
                return None
            return result
        self.err("SC003", pos, field=field, expected="text or {en: …, zh: …}", actual=kind_of(value))
        return None

    def enum(self, parent: dict, key: str, choices: tuple[str, ...], field: str | None = None) -> str | None:
        """One of ``choices``, else SC004 with the closest one suggested."""
        value = parent[key]
        if isinstance(value, str) and value in choices:
            return value
        self.err("SC004", self.marks.of_value(parent, key), value=value, field=field or key,
                 choices=", ".join(choices), suggestion=suggest(value, choices))
        return None

    def ident(self, parent: dict, key: str) -> str | None:
        """An id, else SC005 (SC014 when YAML read the author's word as true/false or a number)."""
        value = parent[key]
        if isinstance(value, str) and ID_PATTERN.match(value):
            return value
        pos = self.marks.of_value(parent, key)
        if isinstance(value, (bool, int, float)):
            self.err("SC014", pos, field=key, source=self.written(pos, value), actual=kind_of(value))
        else:
            self.err("SC005", pos, value=value)
        return None

    def written(self, pos: Pos, value: object) -> str:
        """The plain scalar at ``pos`` as it stands in the source (``value`` when it cannot be found)."""
        line, col = pos
        found = re.match(r"[^\s,\]}#]+", self.lines[line - 1][col - 1:]) if 0 < line <= len(self.lines) else None
        return found.group(0) if found else str(value)

    def number(self, parent: dict, key: str, low: float, high: float, integer: bool = False,
               field: str | None = None) -> float | None:
        """A number (a whole number when ``integer``) from ``low`` to ``high``."""
        value = parent[key]
        pos = self.marks.of_value(parent, key)
        ok_type = isinstance(value, int) if integer else isinstance(value, (int, float))
        if isinstance(value, bool) or not ok_type:
            self.err("SC003", pos, field=field or key, expected="a whole number" if integer else "a number",
                     actual=kind_of(value))
            return None
        if not (low <= value <= high):
            self.err("SC006", pos, field=field or key, low=low, high=high, value=value)
            return None
        return value

    def boolean(self, parent: dict, key: str) -> bool | None:
        """true or false."""
        value = parent[key]
        if isinstance(value, bool):
            return value
        self.err("SC003", self.marks.of_value(parent, key), field=key, expected="true or false",
                 actual=kind_of(value))
        return None

    # -- lists ----------------------------------------------------------------------------
    def text_list(self, data: dict, key: str) -> tuple[Text, ...]:
        """A non-empty list of texts."""
        value = self.listing(data, key)
        if value is None:
            return ()
        if not value:
            self.err("SC007", self.marks.of_value(data, key), field=key)
        return tuple(t for i in range(len(value)) if (t := self.text(value, i, f"{key}[{i + 1}]")) is not None)

    def id_list(self, data: dict, key: str, catalog: dict | None = None, code: str = "") -> tuple[str, ...]:
        """A list of ids without repeats; with ``catalog``, ids of that catalog (else ``code``)."""
        value = data[key]
        if value is None:
            return ()
        if not isinstance(value, list):
            self.err("SC003", self.marks.of_value(data, key), field=key, expected="a list", actual=kind_of(value))
            return ()
        result: list[str] = []
        for i, item in enumerate(value):
            pos = self.marks.of_value(value, i)
            if catalog is not None and not (isinstance(item, str) and item in catalog):
                self.err(code, pos, value=item, suggestion=suggest(item, catalog))
            elif catalog is None and not (isinstance(item, str) and ID_PATTERN.match(item)):
                self.err("SC005", pos, value=item)
            elif item in result:
                self.err("SC011", pos, field=item)
            else:
                result.append(item)
        return tuple(result)
