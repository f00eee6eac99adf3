"""core.frozen: the fast builder gives ordinary, immutable instances of a frozen slots dataclass."""

import copy
import dataclasses
import pickle

import pytest

from simulator.core.engine import State, Turn
from simulator.core.frozen import builder

TURN = ("greet", 1, (2, 0, 1), 1500, 50, 55, None)


def test_a_built_object_is_an_instance_of_the_class_itself():
    assert type(builder(Turn)(*TURN)) is Turn


def test_a_built_object_equals_and_hashes_like_one_the_class_builds():
    built = builder(Turn)(*TURN)
    assert built == Turn(*TURN) and hash(built) == hash(Turn(*TURN)) and repr(built) == repr(Turn(*TURN))


def test_a_built_object_stays_frozen():
    built = builder(Turn)(*TURN)
    with pytest.raises(dataclasses.FrozenInstanceError):
        built.mood_after = 99  # type: ignore[misc]


def test_a_built_object_copies_pickles_and_replaces_like_any_other():
    built = builder(Turn)(*TURN)
    assert pickle.loads(pickle.dumps(built)) == built and copy.copy(built) == built
    assert dataclasses.replace(built, mood_after=60) == Turn(*TURN[:5], 60, None)


def test_every_field_is_required_so_none_is_silently_defaulted():
    with pytest.raises(TypeError):
        builder(State)("s", "digest", "en")


@pytest.mark.parametrize("cls", [
    dataclasses.make_dataclass("Mutable", [("a", int)], slots=True),
    dataclasses.make_dataclass("Plain", [("a", int)], frozen=True),
    type("Bare", (), {"__slots__": ("a",)}),
], ids=["not frozen", "no slots", "not a dataclass"])
def test_a_class_that_is_not_a_frozen_slots_dataclass_is_refused(cls):
    with pytest.raises(TypeError, match="not a frozen dataclass with slots"):
        builder(cls)


def test_a_class_with_a_post_init_is_refused():
    @dataclasses.dataclass(frozen=True, slots=True)
    class Checked:
        a: int

        def __post_init__(self):
            if self.a < 0:
                raise ValueError("negative")

    with pytest.raises(TypeError, match="__post_init__"):
        builder(Checked)
