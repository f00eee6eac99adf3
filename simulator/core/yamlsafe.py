"""Safe YAML reading with positions: the only place scenario bytes become Python data.

PyYAML's own loaders keep the last of two duplicate keys, expand aliases (the "billion
laughs" bomb) and, in the C composer, recurse once per nesting level until the process
crashes. This module reads libyaml's event stream (C speed) and builds the data itself with
an explicit stack, refusing all of that, and records where every key and value stood, so
that every later diagnostic can name file:line:col.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import ScalarNode
from yaml.resolver import Resolver

from .diagnostics import Diagnostic, make

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP = _TAG + "map", _TAG + "seq", _TAG + "timestamp"
_constructor = SafeConstructor()
_resolver = Resolver()

Pos = tuple[int, int]  # 1-based line and column


@dataclass
class Marks:
    """Where things stood in the source, keyed by ``id()`` of the containers built."""

    key: dict[int, dict[str, Pos]] = field(default_factory=dict)  # mapping -> key -> key pos
    value: dict[int, dict[object, Pos]] = field(default_factory=dict)  # container -> key/index -> value pos
    node: dict[int, Pos] = field(default_factory=dict)  # container -> its own pos

    def of_key(self, container: object, key: str) -> Pos:
        """Position of ``key`` in a mapping (or of the mapping when the key is absent)."""
        return self.key.get(id(container), {}).get(key) or self.of(container)

    def of_value(self, container: object, key: object) -> Pos:
        """Position of the value at ``key``/index in a mapping or list."""
        return self.value.get(id(container), {}).get(key) or self.of(container)

    def of(self, container: object) -> Pos:
        """Position of a mapping or list itself."""
        return self.node.get(id(container), (1, 1))


@dataclass
class Parsed:
    """The result of reading one YAML file."""

    data: object
    marks: Marks
    diagnostics: list[Diagnostic]


def read_text(path: str) -> tuple[str | None, list[Diagnostic]]:
    """Read a scenario file as UTF-8 text, refusing oversized files before reading them."""
    import os

    try:
        size = os.path.getsize(path)
        if size > MAX_BYTES:
            return None, [make("RS003", path, 0, 0, size=size, limit=MAX_BYTES)]
        with open(path, "rb") as f:
            raw = f.read(MAX_BYTES + 1)
    except OSError as e:
        return None, [make("RS001", path, 0, 0, reason=e.strerror or str(e))]
    try:
        return raw.decode("utf-8-sig"), []
    except UnicodeDecodeError as e:
        line = raw[: e.start].count(b"\n") + 1
        return None, [make("RS002", path, line, 1, reason=str(e.reason))]


def parse(text: str, path: str, max_bytes: int = MAX_BYTES) -> Parsed:
    """Read ``text`` safely into plain dicts/lists/scalars with positions."""
    marks = Marks()
    size = len(text.encode("utf-8"))
    if size > max_bytes:
        return Parsed(None, marks, [make("RS003", path, 0, 0, size=size, limit=max_bytes)])
    builder = _Builder(path, marks)
    try:
        data = builder.run(text)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if "maximum nesting depth" in (e.problem or ""):
            # libyaml (PyYAML 6.0.4 on) stops flow nesting itself, at 1,000 levels, while it
            # scans ahead of the events our own depth check sees: the same fault, the same code.
            return Parsed(None, marks, [*builder.diagnostics, make("RS005", path, line, col, limit=MAX_DEPTH)])
        reason = e.problem or "invalid YAML"
        if e.context:
            reason = f"{e.context}, {reason}"
        return Parsed(None, marks, [*builder.diagnostics, make("RS004", path, line, col, reason=reason)])
    except yaml.reader.ReaderError as e:
        # A character YAML refuses (NUL, other control bytes): PyYAML gives only an offset
        # into the text; the author needs the line and column to find an invisible character.
        line, col = _position(text, e.position)
        reason = f"the character U+{e.character:04X} is not allowed in YAML ({e.reason}); delete it"
        return Parsed(None, marks, [*builder.diagnostics, make("RS004", path, line, col, reason=reason)])
    except yaml.YAMLError as e:
        return Parsed(None, marks, [*builder.diagnostics, make("RS004", path, 0, 0, reason=str(e))])
    if data is _TOO_DEEP:
        return Parsed(None, marks, builder.diagnostics)
    if data is None and not builder.diagnostics:
        return Parsed(None, marks, [make("RS009", path, 1, 1)])
    return Parsed(data, marks, builder.diagnostics)


def _position(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of a character offset into ``text``."""
    offset = max(0, min(offset, len(text)))
    line = text.count("\n", 0, offset) + 1
    return line, offset - (text.rfind("\n", 0, offset) + 1) + 1


_NO_KEY = object()  # a mapping frame waiting for its next key
_BAD_KEY = object()  # the key was not a plain string: drop the value that follows
_TOO_DEEP = object()
_SCALAR_KEY_TAGS = (_STR, _INT, _BOOL, _NULL, _FLOAT)


class _Frame:
    __slots__ = ("container", "is_map", "key", "key_pos", "value_pos")

    def __init__(self, container: dict | list, is_map: bool):
        self.container = container
        self.is_map = is_map
        self.key: object = _NO_KEY
        self.key_pos: dict[str, Pos] = {}
        self.value_pos: dict[object, Pos] = {}


class _Builder:
    """Builds Python data from libyaml's event stream with an explicit stack.

    Working from events (not libyaml's composed node tree) means no recursion anywhere,
    so depth is just the stack's length, and anchors, aliases and tags are seen as they come.
    """

    def __init__(self, path: str, marks: Marks):
        self.path = path
        self.marks = marks
        self.diagnostics: list[Diagnostic] = []

    def _error(self, code: str, mark: yaml.Mark, **fields: object) -> None:
        if len(self.diagnostics) < 200:  # a hostile file must not flood the screen
            self.diagnostics.append(make(code, self.path, mark.line + 1, mark.column + 1, **fields))

    def run(self, text: str) -> object:
        loader = _Loader(text)
        stack: list[_Frame] = []
        root: object = None
        documents = 0
        try:
            while True:
                event = loader.get_event()
                if event is None:
                    break
                kind = type(event)
                if kind is yaml.ScalarEvent:
                    if event.anchor is not None:
                        self._error("RS006", event.start_mark)
                    value = self._scalar(event)
                    if stack:
                        self._assign(stack[-1], value, event, scalar_tag=self._tag)
                    else:
                        root = value
                elif kind is yaml.MappingStartEvent or kind is yaml.SequenceStartEvent:
                    is_map = kind is yaml.MappingStartEvent
                    if event.anchor is not None:
                        self._error("RS006", event.start_mark)
                    if event.tag is not None and event.tag != "!" and event.tag != (_MAP if is_map else _SEQ):
                        self._error("RS007", event.start_mark, tag=event.tag)
                    if len(stack) >= MAX_DEPTH:
                        self._error("RS005", event.start_mark, limit=MAX_DEPTH)
                        return _TOO_DEEP
                    container: dict | list = {} if is_map else []
                    m = event.start_mark
                    self.marks.node[id(container)] = (m.line + 1, m.column + 1)
                    if stack:
                        self._assign(stack[-1], container, event)
                    else:
                        root = container
                    stack.append(_Frame(container, is_map))
                elif kind is yaml.MappingEndEvent or kind is yaml.SequenceEndEvent:
                    frame = stack.pop()
                    if frame.is_map:
                        self.marks.key[id(frame.container)] = frame.key_pos
                    self.marks.value[id(frame.container)] = frame.value_pos
                elif kind is yaml.AliasEvent:
                    self._error("RS006", event.start_mark)
                    if stack:
                        self._assign(stack[-1], None, event)
                elif kind is yaml.DocumentStartEvent:
                    documents += 1
                    if documents > 1:
                        self._error("RS010", event.start_mark)
                        return root
        finally:
            loader.dispose()
        return root

    _tag = _STR

    def _scalar(self, event: yaml.ScalarEvent) -> object:
        tag = event.tag
        if tag is None or tag == "!":
            tag = _resolver.resolve(ScalarNode, event.value, event.implicit) if tag is None else _STR
        self._tag = tag
        value = event.value
        try:
            if tag == _STR or tag == _TIMESTAMP:
                return value
            if tag == _INT:
                return _constructor.construct_yaml_int(ScalarNode(tag, value))
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(ScalarNode(tag, value))
            if tag == _NULL:
                return None
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(ScalarNode(tag, value))
        except (ConstructorError, ValueError):
            return value
        self._error("RS007", event.start_mark, tag=tag)
        return value

    def _assign(self, frame: _Frame, value: object, event: yaml.Event, scalar_tag: str | None = None) -> None:
        m = event.start_mark
        pos = (m.line + 1, m.column + 1)
        if not frame.is_map:
            frame.value_pos[len(frame.container)] = pos
            frame.container.append(value)
            return
        key = frame.key
        if key is _NO_KEY:
            if scalar_tag is None or scalar_tag not in _SCALAR_KEY_TAGS or type(event) is not yaml.ScalarEvent:
                kind = "a mapping" if isinstance(value, dict) else "a list" if isinstance(value, list) else (
                    f"tag {scalar_tag}" if scalar_tag else "an alias")
                self._error("RS011", m, kind=kind)
                frame.key = _BAD_KEY
                return
            key = event.value  # keys stay text as written: "yes" or "1"
            if key in frame.key_pos:
                self._error("RS008", m, key=key, first=frame.key_pos[key][0])
                frame.key = _BAD_KEY
                return
            frame.key_pos[key] = pos
            frame.key = key
            return
        frame.key = _NO_KEY
        if key is _BAD_KEY:
            return
        frame.value_pos[key] = pos
        frame.container[key] = value
