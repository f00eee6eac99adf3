"""Writing files so that a crash never leaves half of one."""

from __future__ import annotations

import os
from pathlib import Path


def write_atomic(path: str | os.PathLike, text: str) -> None:
    """Write ``text`` to a temporary file beside ``path``, fsync it, then rename it over ``path``.

    A crash or a full disk mid-write leaves the previous file intact. Raises OSError.
    """
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def path_problem(path: str | os.PathLike) -> str | None:
    """Why ``path`` can never be written as a file, in one sentence, or None when it may be.

    Catches what the operating system would only call "File exists" or "Not a directory": a
    folder on the way that is really a file, or a path that is itself a folder.
    """
    if not str(path).strip():
        return "the file name is empty"
    target = Path(path)
    if target.is_dir():
        return f"{target} is a folder; name a file inside it"
    for folder in target.parents:
        if folder.exists():
            if not folder.is_dir():
                return f"{folder} is a file, not a folder, so nothing can be written under it"
            break
    return None


def write_problem(path: str | os.PathLike, error: OSError) -> str:
    """What is wrong, in words, when writing ``path`` raised ``error`` ("File exists" alone says nothing)."""
    return path_problem(path) or str(error.strerror or error)
