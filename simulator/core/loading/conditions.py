"""Variables, the conditions that read them (``if``) and the effects that change them (``set``, ``add``)."""

from __future__ import annotations

import operator

from ..model import BUILTIN_VARIABLES, Condition, Test, Value
from .fields import OPERATORS
from .reader import ID_PATTERN, Reader, kind_of, suggest

COMPARE = {name: getattr(operator, name) for name in OPERATORS}


def read_variables(rd: Reader, data: dict) -> None:
    """Declare the scenario's ``variables`` in the reader, each in its own slot of the state."""
    if data.get("variables") is None:
        return
    vars_ = rd.mapping(data, "variables", "variables")
    for name, value in (vars_ or {}).items():
        if not ID_PATTERN.match(name):
            rd.err("SC005", rd.marks.of_key(vars_, name), value=name)
        elif name in BUILTIN_VARIABLES:
            rd.err("RF009", rd.marks.of_key(vars_, name), value=name)
        elif not isinstance(value, int):  # bool is an int
            rd.err("SC003", rd.marks.of_value(vars_, name), field=name,
                   expected="true/false or a whole number", actual=kind_of(value))
        else:
            rd.slots[name] = len(rd.variables)
            rd.variables[name] = value


def read_condition(rd: Reader, parent: dict, key: str) -> Condition | None:
    """The condition ``parent[key]``, compiled; None (reported) when any term is wrong."""
    raw = rd.mapping(parent, key, key)
    if raw is None:
        return None
    terms: list[tuple[str, str, Value]] = []
    ok = True
    for name, want in raw.items():
        pos = rd.marks.of_key(raw, name)
        if name not in rd.variables and name not in BUILTIN_VARIABLES:
            known = list(rd.variables) + list(BUILTIN_VARIABLES)
            rd.err("RF004", pos, value=name, suggestion=suggest(name, known))
            ok = False
            continue
        op = "eq"
        if isinstance(want, dict):
            if len(want) != 1 or next(iter(want)) not in COMPARE:
                rd.err("SC010", rd.marks.of_value(raw, name), field=name)
                ok = False
                continue
            op, want = next(iter(want.items()))
        if not isinstance(want, int):
            rd.err("SC003", rd.marks.of_value(raw, name), field=name,
                   expected="true/false or a whole number", actual=kind_of(want))
            ok = False
            continue
        if name in rd.variables and isinstance(rd.variables[name], bool) != isinstance(want, bool):
            rd.err("RF006", rd.marks.of_value(raw, name), value=name,
                   declared=kind_of(rd.variables[name]), actual=kind_of(want))
            ok = False
            continue
        terms.append((name, op, want))
    if not ok:
        return None
    return Condition(tuple(terms), compile_terms(rd.slots, terms), rd.marks.of(raw))


def compile_terms(slots: dict[str, int], terms: list[tuple[str, str, Value]]) -> Test:
    """Turn condition terms into one fast test over (values, mood, turn)."""
    tests: list[Test] = []
    for name, op, want in terms:
        fn = COMPARE[op]
        if name == "mood":
            tests.append(lambda vals, mood, turn, fn=fn, want=want: fn(mood, want))
        elif name == "turn":
            tests.append(lambda vals, mood, turn, fn=fn, want=want: fn(turn, want))
        else:
            slot = slots[name]
            tests.append(lambda vals, mood, turn, fn=fn, want=want, slot=slot: fn(vals[slot], want))
    if len(tests) == 1:
        return tests[0]
    return lambda vals, mood, turn: all(t(vals, mood, turn) for t in tests)


def read_effects(rd: Reader, r: dict, key: str) -> tuple | None:
    """``set`` or ``add`` of a response: ((slot, value), …); None (reported) when any entry is wrong."""
    raw = rd.mapping(r, key, key)
    if raw is None:
        return None
    result = []
    for name, value in raw.items():
        pos = rd.marks.of_key(raw, name)
        if name in BUILTIN_VARIABLES:
            rd.err("RF009", pos, value=name)
            return None
        if name not in rd.variables:
            rd.err("RF004", pos, value=name, suggestion=suggest(name, rd.variables))
            return None
        declared = rd.variables[name]
        if key == "add":
            wrong = not isinstance(value, int) or isinstance(value, bool) or isinstance(declared, bool)
        else:
            wrong = not isinstance(value, int) or isinstance(value, bool) != isinstance(declared, bool)
        if wrong:
            rd.err("RF006", rd.marks.of_value(raw, name), value=name, declared=kind_of(declared),
                   actual=kind_of(value))
            return None
        result.append((rd.slots[name], value))
    return tuple(result)


def count_mistakes(rd: Reader, adds: tuple, mistakes: tuple[str, ...]) -> tuple:
    """A response's own ``add`` effects plus one on the mistake counter per mistake."""
    return (*adds, (rd.mistakes_slot, len(mistakes))) if mistakes else adds
