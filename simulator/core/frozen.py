"""Building frozen slots dataclasses fast, for the engine's hot path.

A frozen dataclass's ``__init__`` stores each field through ``object.__setattr__`` (its own
``__setattr__`` refuses), a slot-wrapper call that costs many times a plain attribute store.
The engine builds a :class:`~simulator.core.engine.State` (13 fields) and a ``Turn`` (7) on
every answer, and measured that way they took about half of a ``choose`` step.

:func:`builder` fills a plain mutable twin with the very same slots instead, then gives the
object its real class (Python allows ``__class__`` to change between classes of identical
layout). The result is an ordinary instance of the frozen class: equal to, hashed, printed,
pickled and as immutable as one built by the class itself.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import fields, is_dataclass
from typing import TypeVar

T = TypeVar("T")


def builder(cls: type[T]) -> Callable[..., T]:
    """A function building ``cls`` from every field's value, positionally and in declared order.

    ``cls`` must be a frozen dataclass with ``slots=True`` and no ``__post_init__`` (the
    builder would skip it). Defaults are not filled in: every field is passed.
    """
    if not (is_dataclass(cls) and cls.__dataclass_params__.frozen and "__slots__" in cls.__dict__):
        raise TypeError(f"{cls.__name__} is not a frozen dataclass with slots")
    if hasattr(cls, "__post_init__"):
        raise TypeError(f"{cls.__name__} has a __post_init__, which the builder would skip")
    names = [f.name for f in fields(cls)]
    if not all(name.isidentifier() for name in names):  # always true for a dataclass; the source below relies on it
        raise TypeError(f"{cls.__name__} has a field that is not a plain name")
    twin = type(f"_{cls.__name__}Draft", (), {"__slots__": cls.__slots__})
    # Written out field by field (as dataclasses writes its __init__): no *args packing, no
    # second call to an __init__, just one plain store per field.
    source = "\n".join([
        f"def build({', '.join(names)}):",
        "    obj = new(twin)",
        *(f"    obj.{name} = {name}" for name in names),
        "    obj.__class__ = cls  # same slots, same layout: the object simply becomes a cls",
        "    return obj",
    ])
    namespace = {"new": object.__new__, "twin": twin, "cls": cls}
    exec(source, namespace)
    build = namespace["build"]
    build.__qualname__ = f"builder.<{cls.__name__}>"
    build.__doc__ = f"A {cls.__name__} from all {len(names)} field values ({', '.join(names)})."
    return build
