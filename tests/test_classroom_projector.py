import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pygame
import pytest
from classroom_helpers import call, serving
from helpers import ROOT, load_shipped
from window_helpers import key, make_app

from simulator.classroom.hub import Hub
from simulator.core.engine import Engine
from simulator.window import run_room
from simulator.window.screens.vote import VoteScreen

SHIPPED = ROOT / "simulator" / "library" / "mobile-cancel-after-bill-shock.yaml"
URL = "http://127.0.0.1:8014/r/ABCD/"


@pytest.fixture
def projector(tmp_path, monkeypatch):
    """The projector of a fresh room at 1920×1080, in the classroom look, with the drawn text sizes noted."""
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080), classroom=True)
    hub = Hub(Engine(load_shipped(SHIPPED)), "en", str(SHIPPED), code="ABCD")
    screen = VoteScreen(app, hub, URL)
    app.push(screen)
    sizes: dict[str, int] = {}
    render = app.paint.text.render

    def noting(text, size, *args, **kwargs):
        sizes[text] = size
        return render(text, size, *args, **kwargs)

    app.paint.text.render = noting
    app.sizes, app.hub, app.vote_screen = sizes, hub, screen
    yield app
    pygame.quit()


def drawn(app) -> list[str]:
    app.paint.start_recording()
    app.draw()
    return [box.text for box in app.paint.boxes]


def body_sizes(app, texts: list[str]) -> list[int]:
    return [size for text, size in app.sizes.items() if any(text.endswith(x) for x in texts)]


def test_the_customer_line_and_options_are_at_least_36_px_at_1920x1080(projector):
    drawn(projector)
    view = projector.hub.view()
    sizes = body_sizes(projector, [view["customer"]] + [o["text"] for o in view["options"]])
    assert len(sizes) == 1 + len(view["options"]) and min(sizes) >= 36


def test_the_feedback_is_at_least_36_px_once_revealed(projector):
    projector.hub.vote("phone-0001", 1)
    key(projector, pygame.K_c)
    key(projector, pygame.K_r)
    drawn(projector)
    feedback = projector.hub.view()["feedback"]["text"]
    assert min(body_sizes(projector, [feedback])) >= 36


def test_the_tally_follows_the_votes_live(projector):
    for n in range(3):
        projector.hub.vote(f"phone-000{n}", 2)
    texts = drawn(projector)
    assert "3" in texts and projector.hub.view()["votes"]["2"] == 3


def test_the_join_url_and_qr_code_are_shown(projector):
    drawn(projector)
    boxes = projector.paint.boxes
    assert any(b.text == URL and b.kind == "graphic" for b in boxes)
    title = next(b.text for b in boxes if b.kind == "text" and URL in b.text)
    assert projector.sizes[title] >= 36


def test_c_closes_the_vote_with_the_majority_answer(projector):
    projector.hub.vote("phone-0001", 2)
    key(projector, pygame.K_c)
    assert projector.hub.room.phase == "closed" and projector.hub.room.chosen == 2


def test_on_a_tie_a_number_key_picks_the_answer(projector):
    projector.hub.vote("phone-0001", 1)
    projector.hub.vote("phone-0002", 2)
    key(projector, pygame.K_c)
    assert projector.hub.room.phase == "open" and projector.vote_screen.tie
    key(projector, pygame.K_2)
    assert projector.hub.room.chosen == 2 and not projector.vote_screen.tie


def test_u_undoes_as_an_exploration(projector):
    projector.hub.vote("phone-0001", 1)
    key(projector, pygame.K_c)
    key(projector, pygame.K_u)
    assert projector.hub.room.state.undone[0].explored and projector.hub.room.phase == "open"


def test_p_pauses_the_vote(projector):
    key(projector, pygame.K_p)
    assert projector.hub.room.paused and not projector.hub.view()["open"]


def test_the_end_shows_the_rooms_path_beside_the_experts(projector):
    room = projector.hub.room
    while not room.over:
        projector.hub.vote("phone-0001", 1)
        for k in (pygame.K_c, pygame.K_r, pygame.K_n):
            key(projector, k)
    texts = drawn(projector)
    assert "The room's path" in texts and "The expert's path" in texts
    first_different = [text for text in projector.vote_screen.expert() if any(text in x for x in texts)]
    assert first_different and min(body_sizes(projector, first_different)) >= 36


def test_the_projector_window_opens_on_the_room_and_closes(tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path / "config"))
    hub = Hub(Engine(load_shipped(SHIPPED)), "zh", str(SHIPPED), code="ABCD")
    frames = []

    def events():
        frames.append(pygame.display.get_surface().get_size())
        return [pygame.event.Event(pygame.QUIT)]

    monkeypatch.setattr(pygame.event, "get", events)
    assert run_room(hub, URL) == 0
    assert frames == [(1280, 800)]


def test_the_projector_follows_votes_sent_over_the_network(tmp_path, monkeypatch):
    app = make_app(tmp_path, monkeypatch, size=(1920, 1080), classroom=True)
    with serving(load_shipped(SHIPPED), "en") as server:
        app.push(VoteScreen(app, server.hub, server.url))
        for n in range(7):
            assert call(server.url + "api/vote", {"voter": f"phone-{n:04d}", "choice": 4})[0] == 200
        texts = drawn(app)
    assert "7" in texts and any("7 phones voted" in text for text in texts)
