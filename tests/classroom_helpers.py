"""A real room server on loopback for the classroom tests, and a small HTTP client for it."""

from __future__ import annotations

import json
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

from helpers import doc_example_text

from simulator.classroom.hub import Hub
from simulator.classroom.serve import RoomServer
from simulator.core import loader
from simulator.core.engine import Engine
from simulator.core.model import Scenario
from simulator.storage import Store

HOST = "127.0.0.1"  # the tests never serve on any other address
HOSTILE_LINE = '<script>alert(1)</script> {{ 7*7 }} "q" &amp; </p>'
HOSTILE_OPTION = '<img src=x onerror=alert(2)> {% raw %} "x\''


def hostile_scenario() -> Scenario:
    """The doc example with markup, template syntax and quotes in the customer's line and an option."""
    text = doc_example_text().replace(
        '"Hi, I\'d like to cancel my number, please."', "'" + HOSTILE_LINE.replace("'", "''") + "'").replace(
        '"Before you go, we have a half-price data pack this month!"', "'" + HOSTILE_OPTION.replace("'", "''") + "'")
    scenario, diagnostics = loader.load_text(text, "hostile.yaml")
    assert scenario is not None and not diagnostics
    return scenario


@contextmanager
def serving(scenario: Scenario, language: str = "en", db: Path | None = None, seed: int = 0):
    """A room for ``scenario`` served on loopback (a free port); yields the server."""
    store = (lambda: Store(db)) if db is not None else None
    hub = Hub(Engine(scenario), language, "scenario.yaml", store, seed=seed)
    server = RoomServer(hub, HOST, 0)
    server.start()
    try:
        yield server
    finally:
        server.stop()


def call(url: str, body: object | None = None, token: str | None = None, raw: bytes | None = None,
         method: str | None = None) -> tuple[int, object]:
    """GET (or POST ``body`` as JSON) ``url``; → (status, decoded JSON or text)."""
    data = raw if raw is not None else (None if body is None else json.dumps(body).encode())
    request = urllib.request.Request(url, data=data, method=method or ("GET" if data is None else "POST"))
    request.add_header("Content-Type", "application/json")
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            status, text = answer.status, answer.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text
