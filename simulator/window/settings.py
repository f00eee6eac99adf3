"""What the window remembers between runs: trainee name, language, feedback mode, classroom."""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from ..files import write_atomic


@dataclass
class Settings:
    """The window's remembered choices."""

    trainee: str = ""
    language: str = "en"
    feedback: str = "now"  # now | end
    classroom: bool = False
    text_size: float = 1.0  # the text-size key's zoom, for the room the window is shown in


def settings_path() -> Path:
    """``$RETENTION_SIM_CONFIG`` or the per-user config directory."""
    base = os.environ.get("RETENTION_SIM_CONFIG") or platformdirs.user_config_dir("retention-sim", appauthor=False)
    return Path(base) / "window.json"


def load_settings() -> Settings:
    """The saved settings; defaults when there are none or the file is damaged."""
    try:
        raw = json.loads(settings_path().read_text("utf-8"))
    except (OSError, ValueError):
        return Settings()
    s = Settings()
    if isinstance(raw, dict):
        if isinstance(raw.get("trainee"), str):
            s.trainee = raw["trainee"][:40]
        if raw.get("language") in ("en", "zh"):
            s.language = raw["language"]
        if raw.get("feedback") in ("now", "end"):
            s.feedback = raw["feedback"]
        s.classroom = bool(raw.get("classroom", False))
        size = raw.get("text_size")
        if isinstance(size, (int, float)) and not isinstance(size, bool) and 0.8 <= size <= 1.5:
            s.text_size = float(size)
    return s


def save_settings(settings: Settings) -> str | None:
    """Save; returns an error message instead of raising (a full disk must not stop a call)."""
    try:
        write_atomic(settings_path(), json.dumps(asdict(settings), ensure_ascii=False, indent=2))
    except OSError as e:
        return str(e.strerror or e)
    return None
