"""Safe YAML reading with positions: the only place scenario bytes become Python data.

PyYAML's own loaders keep the last of two duplicate keys, expand aliases (the "billion
laughs" bomb) and, in the C composer, recurse once per nesting level until the process
crashes. This module composes the document with libyaml (C speed), refuses all of that,
converts the node tree itself and records where every key and value stood, so that every
later diagnostic can name file:line:col.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml
from yaml.constructor import ConstructorError, SafeConstructor
from yaml.nodes import MappingNode, Node, ScalarNode, SequenceNode

from .diagnostics import Diagnostic, make

MAX_BYTES = 2 * 1024 * 1024
MAX_DEPTH = 64

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP = _TAG + "map", _TAG + "seq", _TAG + "timestamp"
_constructor = SafeConstructor()
_BRACKETS = re.compile(r"[\[\]{}]")
_INDENT = re.compile(r"^[ \t]*", re.M)

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


def parse(text: str, path: str) -> Parsed:
    """Compose ``text`` safely into plain dicts/lists/scalars with positions."""
    marks = Marks()
    if len(text.encode("utf-8")) > MAX_BYTES:
        return Parsed(None, marks, [make("RS003", path, 0, 0, size=len(text.encode()), limit=MAX_BYTES)])
    deep = _too_deep(text)
    if deep is not None:
        return Parsed(None, marks, [make("RS005", path, deep[0], deep[1], limit=MAX_DEPTH)])
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        line, col = (mark.line + 1, mark.column + 1) if mark else (0, 0)
        if "single document" in f"{e.context} {e.problem}":
            return Parsed(None, marks, [make("RS010", path, line, col)])
        reason = e.problem or "invalid YAML"
        if e.context:
            reason = f"{e.context}, {reason}"
        return Parsed(None, marks, [make("RS004", path, line, col, reason=reason)])
    except yaml.YAMLError as e:
        return Parsed(None, marks, [make("RS004", path, 0, 0, reason=str(e))])
    if root is None:
        return Parsed(None, marks, [make("RS009", path, 1, 1)])
    builder = _Builder(path, marks)
    data = builder.build(root)
    return Parsed(data, marks, builder.diagnostics)


def _too_deep(text: str) -> Pos | None:
    """Return where nesting exceeds MAX_DEPTH, or None.

    libyaml's composer recurses per level and crashes the interpreter on very deep input,
    so depth must be known before composing. A cheap upper bound settles ordinary files;
    only a suspicious one is walked event by event (non-recursive) for the exact answer.
    """
    indent = max((len(m) for m in _INDENT.findall(text)), default=0)
    depth = worst = 0
    for m in _BRACKETS.finditer(text):
        depth += 1 if m.group() in "[{" else -1
        worst = max(worst, depth)
    markers = max((ln.count("- ") + ln.count(": ") + ln.count("? ") for ln in text.splitlines()), default=0)
    if indent + worst + markers + 1 <= MAX_DEPTH:
        return None
    level = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                level += 1
                if level > MAX_DEPTH:
                    return (event.start_mark.line + 1, event.start_mark.column + 1)
            elif isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                level -= 1
    except yaml.YAMLError:
        return None  # composing will report the syntax error with its position
    return None


class _Builder:
    def __init__(self, path: str, marks: Marks):
        self.path = path
        self.marks = marks
        self.diagnostics: list[Diagnostic] = []
        self.seen: set[int] = set()

    def _error(self, code: str, node: Node, **fields: object) -> None:
        m = node.start_mark
        self.diagnostics.append(make(code, self.path, m.line + 1, m.column + 1, **fields))

    def build(self, node: Node) -> object:
        # The composer turns an alias into a second reference to the same node object.
        if id(node) in self.seen:
            self._error("RS006", node)
            return None
        self.seen.add(id(node))
        tag = node.tag
        if isinstance(node, ScalarNode):
            return self._scalar(node, tag)
        if isinstance(node, MappingNode):
            if tag != _MAP:
                self._error("RS007", node, tag=tag)
            return self._mapping(node)
        if isinstance(node, SequenceNode):
            if tag != _SEQ:
                self._error("RS007", node, tag=tag)
            return self._sequence(node)
        return None

    def _scalar(self, node: ScalarNode, tag: str) -> object:
        try:
            if tag == _STR or tag == _TIMESTAMP:
                return node.value
            if tag == _INT:
                return _constructor.construct_yaml_int(node)
            if tag == _BOOL:
                return _constructor.construct_yaml_bool(node)
            if tag == _NULL:
                return None
            if tag == _FLOAT:
                return _constructor.construct_yaml_float(node)
        except (ConstructorError, ValueError):
            return node.value
        self._error("RS007", node, tag=tag)
        return node.value

    def _mapping(self, node: MappingNode) -> dict:
        result: dict = {}
        key_pos: dict[str, Pos] = {}
        value_pos: dict[object, Pos] = {}
        m = node.start_mark
        self.marks.node[id(result)] = (m.line + 1, m.column + 1)
        for key_node, value_node in node.value:
            if id(key_node) in self.seen:
                self._error("RS006", key_node)
                continue
            self.seen.add(id(key_node))
            if not isinstance(key_node, ScalarNode) or key_node.tag not in (_STR, _INT, _BOOL, _NULL, _FLOAT):
                kind = "a mapping" if isinstance(key_node, MappingNode) else (
                    "a list" if isinstance(key_node, SequenceNode) else f"tag {key_node.tag}")
                self._error("RS011", key_node, kind=kind)
                continue
            key = key_node.value  # keys stay text: "yes" or "1" as written
            km = key_node.start_mark
            if key in result:
                self._error("RS008", key_node, key=key, first=key_pos[key][0])
                continue
            vm = value_node.start_mark
            key_pos[key] = (km.line + 1, km.column + 1)
            value_pos[key] = (vm.line + 1, vm.column + 1)
            result[key] = self.build(value_node)
        self.marks.key[id(result)] = key_pos
        self.marks.value[id(result)] = value_pos
        return result

    def _sequence(self, node: SequenceNode) -> list:
        result: list = []
        m = node.start_mark
        self.marks.node[id(result)] = (m.line + 1, m.column + 1)
        positions: dict[object, Pos] = {}
        for i, item in enumerate(node.value):
            im = item.start_mark
            positions[i] = (im.line + 1, im.column + 1)
            result.append(self.build(item))
        self.marks.value[id(result)] = positions
        return result
