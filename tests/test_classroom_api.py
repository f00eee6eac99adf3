import html
import json
import socket
import urllib.request

import pytest
from classroom_helpers import HOST, HOSTILE_LINE, HOSTILE_OPTION, call, hostile_scenario, serving
from helpers import load_example

from simulator.classroom.web import MAX_BODY
from simulator.core.room import MAX_VOTERS, RoomError
from simulator.storage import Store


@pytest.fixture
def room():
    """A fresh room on loopback for every test."""
    with serving(load_example()) as running:
        yield running


def test_the_state_has_the_turn_line_options_votes_and_whether_open(room):
    status, state = call(room.url + "api/state")
    assert status == 200 and state["turn"] == 1 and state["open"] is True
    assert state["customer"] == "Hi, I'd like to cancel my number, please."
    assert all(set(o) == {"number", "text"} for o in state["options"])
    assert state["votes"] == {str(o["number"]): 0 for o in state["options"]}


def test_a_vote_is_counted(room):
    assert call(room.url + "api/vote", {"voter": "phone-0001", "choice": 2})[0] == 200
    assert call(room.url + "api/state")[1]["votes"]["2"] == 1


def test_a_second_vote_from_the_same_phone_replaces_the_first(room):
    call(room.url + "api/vote", {"voter": "phone-0001", "choice": 2})
    call(room.url + "api/vote", {"voter": "phone-0001", "choice": 1})
    votes = call(room.url + "api/state")[1]["votes"]
    assert votes["1"] == 1 and votes["2"] == 0


@pytest.mark.parametrize("path", ["api/state", "", "qr.svg"])
def test_a_wrong_room_code_is_404(room, path):
    wrong = room.url.replace(f"/r/{room.hub.code}/", "/r/QQQQ/")
    assert call(wrong + path)[0] == 404


def test_a_vote_to_a_wrong_room_code_is_404(room):
    wrong = room.url.replace(f"/r/{room.hub.code}/", "/r/QQQQ/")
    assert call(wrong + "api/vote", {"voter": "phone-0001", "choice": 1})[0] == 404


def test_a_vote_for_an_option_not_offered_is_refused(room):
    assert call(room.url + "api/vote", {"voter": "phone-0001", "choice": 9})[0] == 409


@pytest.mark.parametrize("body", [{"voter": "x", "choice": 1}, {"voter": "phone-0001", "choice": "1"},
                                  {"voter": "phone-0001", "choice": True}, [1, 2],
                                  {"voter": "<b>bold</b>!", "choice": 1}])
def test_a_malformed_vote_is_400(room, body):
    assert call(room.url + "api/vote", body)[0] == 400


def test_a_body_over_the_limit_is_413(room):
    status, _ = call(room.url + "api/vote", raw=json.dumps({"voter": "phone-0001", "choice": 1,
                                                            "pad": "x" * MAX_BODY}).encode())
    assert status == 413


def test_a_phone_voting_too_fast_is_told_to_wait(room):
    statuses = [call(room.url + "api/vote", {"voter": "phone-0001", "choice": 1 + n % 2})[0] for n in range(20)]
    assert statuses.count(200) < 20 and statuses[-1] == 429


def test_instructor_actions_need_the_token(room):
    assert call(room.url + "api/close", {}, token="guess")[0] == 403
    assert call(room.url + "api/close", {})[0] == 403


def test_votes_are_refused_once_the_instructor_closes(room):
    call(room.url + "api/vote", {"voter": "phone-0001", "choice": 1})
    assert call(room.url + "api/close", {}, token=room.hub.token)[0] == 200
    assert call(room.url + "api/vote", {"voter": "phone-0002", "choice": 1})[0] == 409


def test_a_tie_is_broken_by_the_instructor(room):
    call(room.url + "api/vote", {"voter": "phone-0001", "choice": 1})
    call(room.url + "api/vote", {"voter": "phone-0002", "choice": 2})
    assert call(room.url + "api/close", {}, token=room.hub.token)[0] == 409
    assert call(room.url + "api/close", {"tie_break": 2}, token=room.hub.token)[0] == 200
    assert call(room.url + "api/state")[1]["chosen"] == 2


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_nothing_but_votes_and_actions_can_be_written(room, method):
    assert call(room.url + "api/state", raw=b"{}", method=method)[0] == 405


def test_an_unknown_action_is_404(room):
    assert call(room.url + "api/delete", {}, token=room.hub.token)[0] == 404


def test_the_event_stream_sends_the_new_tally_after_a_vote(room):
    with urllib.request.urlopen(room.url + "api/events", timeout=10) as stream:
        first = json.loads(stream.readline().decode().removeprefix("data: "))
        stream.readline()
        call(room.url + "api/vote", {"voter": "phone-0003", "choice": 1})
        after = json.loads(stream.readline().decode().removeprefix("data: "))
    assert first["votes"]["1"] == 0 and after["votes"]["1"] == 1


def test_the_state_speaks_the_other_language_when_asked(room):
    assert call(room.url + "api/state?lang=zh")[1]["customer"] == "你好，我想把这个号注销了。"


def test_the_server_listens_on_loopback_only_in_tests(room):
    assert room.host == HOST and room.server.servers[0].sockets[0].getsockname()[0] == HOST
    with socket.create_connection((HOST, room.port), timeout=5):
        pass


def test_the_rooms_call_is_stored_under_the_rooms_name(tmp_path):
    with serving(load_example(), db=tmp_path / "s.db") as running:
        call(running.url + "api/vote", {"voter": "phone-0001", "choice": 1})
        call(running.url + "api/close", {}, token=running.hub.token)
    record = Store(tmp_path / "s.db").get(running.hub.session_id)
    assert record.trainee == f"Room {running.hub.code}" and record.played_by == "trainee"
    assert len(record.state["history"]) == 1


def test_hostile_scenario_text_is_escaped_on_the_phone_page():
    with serving(hostile_scenario()) as running:
        page = call(running.url)[1]
        state = call(running.url + "api/state")[1]
    assert "<script>alert(1)" not in page and "<img src=x" not in page
    assert html.escape(HOSTILE_LINE, quote=False) in page.replace("&#34;", '"').replace("&#39;", "'")
    assert state["customer"] == HOSTILE_LINE and HOSTILE_OPTION in [o["text"] for o in state["options"]]


def test_made_up_voter_ids_do_not_grow_the_rate_limiter_without_end(room):
    hub = room.hub
    for n in range(4 * MAX_VOTERS + 10):
        try:
            hub.vote(f"phone-{n:06d}", 1, now=0.0)
        except RoomError:
            pass
    assert len(hub._buckets) <= 4 * MAX_VOTERS
