"""What a field can hold: one kind per shape of value, each able to say itself as JSON Schema and as words.

The loader reads a field by its kind (``Reader.value``); the schema generator asks the same kind
for its JSON Schema fragment and the reference tables for its words, so the three agree by
construction.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field


def _number(x: float) -> str:
    """A bound as an author reads it: 30, 0.01, 1,000,000,000."""
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _choices(values: tuple[str, ...]) -> str:
    quoted = [f"`{v}`" for v in values]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " or " + quoted[-1]


@dataclass(frozen=True)
class Kind(ABC):
    """A shape of value. ``ref`` names a shared JSON Schema definition (empty: written inline)."""

    @abstractmethod
    def body(self) -> dict:
        """The JSON Schema that checks this kind of value."""

    def words(self) -> str:
        """The value column of the reference tables: the kind's ``said`` where it carries one."""
        return self.said  # type: ignore[attr-defined]

    @property
    def ref(self) -> str:
        """Name of the shared definition this kind is written to, or empty."""
        return ""

    def schema(self) -> dict:
        """A reference to the shared definition, or the body inline."""
        return {"$ref": f"#/definitions/{self.ref}"} if self.ref else self.body()


@dataclass(frozen=True)
class Named(Kind):
    """Another kind, written once under ``definitions/name`` and referred to from every use."""

    name: str
    kind: Kind
    doc: str

    @property
    def ref(self) -> str:
        return self.name

    def body(self) -> dict:
        return {"description": self.doc, **self.kind.body()}

    def words(self) -> str:
        return self.kind.words()


@dataclass(frozen=True)
class Pattern(Kind):
    """A string matching a regular expression (a language or currency code)."""

    pattern: str
    said: str  # how the tables say it
    examples: tuple[str, ...] = ()

    def body(self) -> dict:
        result: dict = {"type": "string", "pattern": self.pattern}
        if self.examples:
            result["examples"] = list(self.examples)
        return result


@dataclass(frozen=True)
class Choice(Kind):
    """One word out of a fixed list; ``docs`` explains each (in the schema's enumDescriptions)."""

    values: tuple[str, ...]
    docs: tuple[str, ...] = ()

    def body(self) -> dict:
        result: dict = {"type": "string", "enum": list(self.values)}
        if self.docs:
            result["enumDescriptions"] = list(self.docs)
        return result

    def words(self) -> str:
        return _choices(self.values)


@dataclass(frozen=True)
class Number(Kind):
    """A number from ``low`` to ``high``; only a whole number when ``whole``."""

    low: float
    high: float
    whole: bool = False

    def body(self) -> dict:
        return {"type": "integer" if self.whole else "number", "minimum": self.low, "maximum": self.high}

    def words(self) -> str:
        return f"{'whole number' if self.whole else 'number'}, {_number(self.low)} to {_number(self.high)}"


@dataclass(frozen=True)
class Flag(Kind):
    """true or false."""

    def body(self) -> dict:
        return {"type": "boolean"}

    def words(self) -> str:
        return "`true` or `false`"


@dataclass(frozen=True)
class Const(Kind):
    """Exactly one value (the format version)."""

    value: int

    def body(self) -> dict:
        return {"const": self.value}

    def words(self) -> str:
        return f"`{self.value}`"


@dataclass(frozen=True)
class ListOf(Kind):
    """A list of ``item`` values."""

    item: Kind
    said: str  # "list of texts"
    min_items: int = 0
    unique: bool = False

    def body(self) -> dict:
        bounds = {"minItems": self.min_items, "uniqueItems": self.unique}
        return {"type": "array", **{k: v for k, v in bounds.items() if v}, "items": self.item.schema()}


@dataclass(frozen=True)
class MapOf(Kind):
    """A mapping of ids to ``values``."""

    values: Kind
    said: str
    min_items: int = 0

    def body(self) -> dict:
        return {"type": "object", **({"minProperties": self.min_items} if self.min_items else {}),
                "propertyNames": {"$ref": "#/definitions/id"}, "additionalProperties": self.values.schema()}


@dataclass(frozen=True)
class Shape(Kind):
    """A structure the loader reads with its own code; ``json`` is its schema, ``said`` its words."""

    json: dict
    said: str

    def body(self) -> dict:
        return self.json


@dataclass(frozen=True)
class Field:
    """One field of a part of the format: its name, kind, whether it is required, and what it means.

    ``null_ok``: an empty value (``~``) counts as absent, as the loader has always read these.
    ``required_when`` says, in the tables, when an optional field becomes required.
    """

    name: str
    kind: Kind
    doc: str
    required: bool = False
    default: object = None
    required_when: str = ""
    null_ok: bool = False
    examples: tuple = ()

    def schema(self) -> dict:
        """The field's JSON Schema property: its description, its kind, default and examples."""
        result = {"description": self.doc, **self.kind.schema()}
        if self.examples:
            result["examples"] = list(self.examples)
        if self.default is not None:
            result["default"] = self.default
        return result


@dataclass(frozen=True)
class Part(Kind):
    """A mapping of the format (the scenario, the persona, a node, …) and its fields, in order."""

    name: str  # its JSON Schema definition
    doc: str
    fields: tuple[Field, ...]
    extra: dict = field(default_factory=dict)  # more JSON Schema (a conditional requirement)

    @property
    def ref(self) -> str:
        return self.name

    def body(self) -> dict:
        result: dict = {"description": self.doc, "type": "object"}
        if self.required:
            result["required"] = list(self.required)
        result["additionalProperties"] = False
        result["properties"] = {f.name: f.schema() for f in self.fields}
        return {**result, **self.extra}

    def words(self) -> str:
        return f"a mapping, see *{self.name}*"

    @property
    def names(self) -> tuple[str, ...]:
        """Every field name, in order."""
        return tuple(f.name for f in self.fields)

    @property
    def required(self) -> tuple[str, ...]:
        """The names of the required fields, in order."""
        return tuple(f.name for f in self.fields if f.required)

    def __getitem__(self, name: str) -> Field:
        return next(f for f in self.fields if f.name == name)
