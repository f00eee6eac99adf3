"""The window draws exactly the pixels pinned in window_pixels.json (see window_pixels.py)."""

import json
import os

os.environ.setdefault("SDL_VIDEODRIVER", "dummy")

import pytest
from window_pixels import FIXTURE, config_key, configs, states

PINNED = json.loads(FIXTURE.read_text("utf-8"))


@pytest.mark.parametrize("config", configs(), ids=config_key)
def test_every_state_draws_the_pinned_pixels(config, tmp_path, monkeypatch):
    monkeypatch.setenv("RETENTION_SIM_CONFIG", str(tmp_path))
    drawn = dict(states(config))
    pinned = PINNED[config_key(config)]
    changed = sorted(name for name in pinned.keys() | drawn.keys() if pinned.get(name) != drawn.get(name))
    assert not changed, ("these states draw differently; if the change is intended, regenerate with "
                         f"`.venv/bin/python tests/window_pixels.py`: {changed}")
