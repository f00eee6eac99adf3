import pytest
from helpers import load_example

from simulator.core.engine import Engine
from simulator.core.room import CLOSED, OPEN, REVEALED, Room, RoomError
from simulator.core.scoring import score


def new_room(language: str = "en") -> Room:
    engine = Engine(load_example())
    return Room(engine, engine.start(language, seed=1))


def test_a_later_vote_replaces_the_earlier_one():
    room = new_room()
    room.vote("phone-a", 1)
    room.vote("phone-a", 2)
    assert room.tally()[1] == 0 and room.tally()[2] == 1


def test_the_tally_lists_every_offered_option():
    room = new_room()
    assert set(room.tally()) == set(range(1, len(room.engine.options(room.state)) + 1))


def test_an_option_not_offered_is_refused():
    room = new_room()
    with pytest.raises(RoomError, match="not offered"):
        room.vote("phone-a", 99)


def test_close_plays_the_majority_answer():
    room = new_room()
    for voter, choice in (("a", 2), ("b", 2), ("c", 1)):
        room.vote(voter, choice)
    expected = room.engine.choose(room.state, 1)
    assert room.close() == 2
    assert room.state == expected and room.phase == CLOSED


def test_a_tie_needs_the_instructor():
    room = new_room()
    room.vote("a", 1)
    room.vote("b", 2)
    with pytest.raises(RoomError, match="tied"):
        room.close()
    assert room.close(tie_break=2) == 2


def test_a_tie_break_outside_the_tied_options_is_refused():
    room = new_room()
    room.vote("a", 1)
    room.vote("b", 2)
    with pytest.raises(RoomError, match="tied"):
        room.close(tie_break=3)


def test_votes_are_refused_once_the_vote_is_closed():
    room = new_room()
    room.vote("a", 1)
    room.close()
    with pytest.raises(RoomError, match="closed"):
        room.vote("b", 1)


def test_votes_are_refused_while_paused():
    room = new_room()
    room.pause()
    with pytest.raises(RoomError, match="paused"):
        room.vote("a", 1)
    room.pause()
    room.vote("a", 1)
    assert room.tally()[1] == 1


def test_reveal_needs_a_closed_vote():
    room = new_room()
    with pytest.raises(RoomError):
        room.reveal()


def test_the_feedback_is_shown_only_after_reveal():
    room = new_room()
    room.vote("a", 1)
    room.close()
    assert room.view()["feedback"] is None
    room.reveal()
    feedback = room.view()["feedback"]
    assert room.phase == REVEALED and feedback["text"]


def test_after_the_vote_the_view_keeps_the_question_and_names_the_choice():
    room = new_room()
    asked = room.view()
    room.vote("a", 2)
    room.close()
    view = room.view()
    assert view["customer"] == asked["customer"] and view["options"] == asked["options"]
    assert view["chosen"] == 2 and view["votes"]["2"] == 1 and not view["open"]


def test_next_opens_a_fresh_vote_on_the_next_turn():
    room = new_room()
    room.vote("a", 1)
    room.close()
    room.next()
    view = room.view()
    assert room.phase == OPEN and view["turn"] == 2 and view["voters"] == 0 and view["open"]


def test_undo_is_an_exploration_that_costs_nothing():
    room = new_room()
    room.vote("a", 1)
    room.close()
    room.undo()
    assert room.state.history == () and room.state.undone[0].explored
    assert score(room.engine.scenario, room.state).undone[0].penalty == 0


def test_undo_with_nothing_answered_is_refused():
    with pytest.raises(RoomError, match="nothing"):
        new_room().undo()


def test_the_view_speaks_the_language_asked_for():
    room = new_room("en")
    assert room.view("zh")["customer"] != room.view("en")["customer"]
    assert room.view("zh")["language"] == "zh"


def test_an_unknown_language_falls_back_to_the_rooms():
    assert new_room("zh").view("fr")["language"] == "zh"


def test_every_change_bumps_the_version():
    room = new_room()
    before = room.version
    room.vote("a", 1)
    room.vote("a", 1)  # the same vote again changes nothing
    assert room.version == before + 1


def test_a_whole_call_ends_with_the_ending_and_the_score():
    room = new_room()
    while not room.over:
        room.vote("a", 1)
        room.close()
        room.reveal()
        room.next()
    view = room.view()
    assert view["ending"]["score"] == score(room.engine.scenario, room.state).total
    assert view["options"] == [] and len(view["ending"]["path"]) == len(room.state.history)
    with pytest.raises(RoomError):
        room.vote("a", 1)
