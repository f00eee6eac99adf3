"""What the window remembers between runs: trainee name and organisation id, language, feedback and answer
modes, classroom.

The look (language, feedback, classroom, text size) belongs to the machine's user (the config
directory); the trainee's name belongs to the data directory, with the calls it names, so a
shared PC pointed at another trainee's (or a class's) data never greets them with the last name.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

import platformdirs

from ..files import write_atomic
from ..storage.engine import default_path

ANSWER_MODES = ("choice", "free", "both")


@dataclass
class Settings:
    """The window's remembered choices."""

    trainee: str = ""
    org_id: str = ""  # the trainee's organisation id (employee number), '' when none was given
    language: str = "en"
    feedback: str = "now"  # now | end
    answer: str = "choice"  # choice (pick an answer) | free (type your own words) | both
    classroom: bool = False
    text_size: float = 1.0  # the text-size key's zoom, for the room the window is shown in


def settings_path() -> Path:
    """``$RETENTION_SIM_CONFIG`` or the per-user config directory."""
    base = os.environ.get("RETENTION_SIM_CONFIG") or platformdirs.user_config_dir("retention-sim", appauthor=False)
    return Path(base) / "window.json"


def trainee_path() -> Path:
    """Where the trainee's name is kept: next to the sessions, in the data directory."""
    return default_path().parent / "trainee.json"


def load_trainee() -> str:
    """The name of the data directory's trainee ("" when none was given or the file is damaged)."""
    return _trainee_field("name", 40)


def load_org_id() -> str:
    """The organisation id (employee number) of the data directory's trainee ("" when none was given)."""
    return _trainee_field("org_id", 32)


def _trainee_field(key: str, limit: int) -> str:
    try:
        raw = json.loads(trainee_path().read_text("utf-8"))
    except (OSError, ValueError):
        return ""
    value = raw.get(key) if isinstance(raw, dict) else None
    return value[:limit] if isinstance(value, str) else ""


def system_language() -> str:
    """The interface language the system asks for (zh for a Chinese locale), for a first start."""
    for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE"):
        value = os.environ.get(name, "")
        if value:
            return "zh" if value.lower().startswith("zh") else "en"
    return "en"


def load_settings() -> Settings:
    """The saved settings; on a first start (or a damaged file) the defaults in the system's language."""
    s = Settings(language=system_language(), trainee=load_trainee(), org_id=load_org_id())
    try:
        raw = json.loads(settings_path().read_text("utf-8"))
    except (OSError, ValueError):
        return s
    if isinstance(raw, dict):  # a name left here by an older version is not used: it may be anyone's
        if raw.get("language") in ("en", "zh"):
            s.language = raw["language"]
        if raw.get("feedback") in ("now", "end"):
            s.feedback = raw["feedback"]
        if raw.get("answer") in ANSWER_MODES:
            s.answer = raw["answer"]
        s.classroom = bool(raw.get("classroom", False))
        size = raw.get("text_size")
        if isinstance(size, (int, float)) and not isinstance(size, bool) and 0.8 <= size <= 1.5:
            s.text_size = float(size)
    return s


def save_settings(settings: Settings) -> str | None:
    """Save; returns an error message instead of raising (a full disk must not stop a call)."""
    look = {k: v for k, v in asdict(settings).items() if k not in ("trainee", "org_id")}
    try:
        write_atomic(settings_path(), json.dumps(look, ensure_ascii=False, indent=2))
        if (settings.trainee, settings.org_id) != (load_trainee(), load_org_id()):
            write_atomic(trainee_path(), json.dumps({"name": settings.trainee, "org_id": settings.org_id},
                                                    ensure_ascii=False))
    except OSError as e:
        return str(e.strerror or e)
    return None
