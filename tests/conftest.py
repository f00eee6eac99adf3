"""Shared fixtures for the tests."""

from __future__ import annotations

import os
import re
import sys
import traceback
import weakref
from collections.abc import Callable
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, settings

# Defined once here, not imported by each test module: a session fixture imported into a module is
# that module's own, so every module started a PostgreSQL server of its own.
from store_support import pg_server, store_url, tiny_disk  # noqa: F401

from simulator.core import loader
from simulator.core.diagnostics import Diagnostic
from simulator.core.model import Scenario

# Hypothesis profiles. Both keep the example database (.hypothesis/, on by default): a failure found
# once is replayed first on the next run, on this machine and in CI, until it is fixed. Neither is
# derandomized: every run explores new inputs. "default" is what `make test` runs; "reliability"
# explores twenty times as far, for `make reliability`. Choose one with HYPOTHESIS_PROFILE=name (or
# pytest's --hypothesis-profile=name). Whole calls and whole files are slow examples, hence no deadline.
_PROFILE = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow, HealthCheck.data_too_large]}
settings.register_profile("default", max_examples=100, **_PROFILE)
settings.register_profile("reliability", max_examples=2000, **_PROFILE)
# `make mutation` runs the tests once per deliberate bug: the same few inputs every time and nothing kept,
# so a mutant is killed or not for the same reason on every run, and no bug's failure lands in the database.
settings.register_profile("mutation", max_examples=30, derandomize=True, database=None, **_PROFILE)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))

ROOT = Path(__file__).resolve().parent.parent
DOC_PATH = ROOT / "docs" / "scenario-format.md"
SCENARIO_FILES = sorted((ROOT / "simulator" / "library").glob("*.yaml"))


def _doc_example() -> str:
    """The last ```yaml block of docs/scenario-format.md: the complete annotated example."""
    blocks = re.findall(r"```yaml\n(.*?)```", DOC_PATH.read_text("utf-8"), re.S)
    assert blocks, "docs/scenario-format.md has no ```yaml block"
    return blocks[-1]


def _where(text: str, needle: str, nth: int = 1) -> tuple[int, int]:
    """1-based (line, column) of the ``nth`` occurrence of ``needle`` in ``text``."""
    index = -1
    for _ in range(nth):
        index = text.index(needle, index + 1)
    line = text.count("\n", 0, index) + 1
    col = index - (text.rfind("\n", 0, index) + 1) + 1
    return line, col


def _edit(text: str, old: str, new: str) -> str:
    """Replace ``old`` (which must occur exactly once) by ``new``."""
    count = text.count(old)
    assert count == 1, f"{old!r} occurs {count} times; the edit would be ambiguous"
    return text.replace(old, new)


@pytest.fixture(scope="session")
def doc_example() -> str:
    """The complete example of docs/scenario-format.md, as YAML text: the base valid scenario."""
    return _doc_example()


@pytest.fixture(scope="session")
def scenario_files() -> list[Path]:
    """Every shipped scenario file."""
    return list(SCENARIO_FILES)


@pytest.fixture(scope="session")
def where() -> Callable[..., tuple[int, int]]:
    """``where(text, needle, nth=1)`` → 1-based (line, column) of a piece of YAML text."""
    return _where


@pytest.fixture(scope="session")
def edit() -> Callable[[str, str, str], str]:
    """``edit(text, old, new)``: replace a snippet that must occur exactly once."""
    return _edit


@pytest.fixture
def diagnose(tmp_path: Path) -> Callable[..., tuple[Scenario | None, list[Diagnostic]]]:
    """``diagnose(text, name="scenario.yaml")``: write the text to tmp_path and load it from disk.

    Returns ``(scenario or None, diagnostics)`` as :func:`loader.load_with_diagnostics` does.
    """

    def run(text: str | bytes, name: str = "scenario.yaml") -> tuple[Scenario | None, list[Diagnostic]]:
        path = tmp_path / name
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        return loader.load_with_diagnostics(str(path))

    return run


@pytest.fixture
def example(tmp_path: Path) -> str:
    """The doc's complete example written to a file; its path as text."""
    path = tmp_path / "example.yaml"
    path.write_text(_doc_example(), "utf-8")
    return str(path)


@pytest.fixture
def isolated_library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Sessions and the scenario folder in tmp_path, so nothing touches the real ones."""
    monkeypatch.setenv("RETENTION_SIM_DATA", str(tmp_path / "data"))
    library = tmp_path / "library"
    library.mkdir()
    monkeypatch.setenv("RETENTION_SIM_SCENARIOS", str(library))
    return library


@pytest.fixture(autouse=True)
def _no_database_choice_outlives_its_test(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test starts without RETENTION_SIM_DB, and what it (or ``--db``, which sets it) leaves is undone.

    ``--db`` sets the variable for the whole process on purpose; a test that ran ``report --db URL`` once
    made every later test that opens the default store write to that database (and leave connections open).
    """
    monkeypatch.setenv("RETENTION_SIM_DB", "")  # recorded first, so delenv's removal is undone too
    monkeypatch.delenv("RETENTION_SIM_DB")


@pytest.fixture(autouse=True)
def _window_stores_closed():
    """Close the SQLite stores the window tests' make_app opened, rather than leave them to the collector."""
    yield
    helpers = sys.modules.get("window_helpers")  # only where a window test ran: importing it loads pygame
    while helpers is not None and helpers.OPEN_STORES:
        helpers.OPEN_STORES.pop().close()


_OURS = (str(ROOT / "simulator"), str(ROOT / "tests"))  # the frames that say where a connection was opened


@pytest.fixture(scope="session")
def _psycopg_connections():
    """Every psycopg connection opened in this run, as (weak reference, where it was opened)."""
    opened: list[tuple[weakref.ref, str]] = []
    original = psycopg.connect

    def connect(*args, **kwargs):
        connection = original(*args, **kwargs)
        ours = [f for f in traceback.extract_stack()[:-1] if f.filename.startswith(_OURS)]  # not pytest's, SQLAlchemy's
        opened.append((weakref.ref(connection), "".join(traceback.format_list(ours))))
        return connection

    psycopg.connect = connect  # SQLAlchemy's psycopg dialect looks it up on the module at every connect
    yield opened
    psycopg.connect = original


@pytest.fixture(autouse=True)
def _no_database_connection_left_open(_psycopg_connections):
    """Fail the test that leaves a psycopg connection open, naming where it was opened.

    Left open, it would be closed by the garbage collector whenever it runs, and its ResourceWarning
    would fail some later, unrelated test instead.
    """
    yield
    left = [(connection, where) for ref, where in _psycopg_connections
            if (connection := ref()) is not None and not connection.closed]
    _psycopg_connections.clear()
    for connection, _ in left:
        connection.close()  # so no later test is blamed for it
    if left:
        where = left[0][1]
        pytest.fail(f"{len(left)} database connection(s) left open; the first was opened at\n{where}", pytrace=False)


@pytest.fixture(scope="session")
def _encoder_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("encoder-cache")


@pytest.fixture(autouse=True)
def _encoder_cache_in_tmp(_encoder_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentence encoder's uncompressed table goes to one temp folder per run, not the user's cache."""
    monkeypatch.setenv("RETENTION_SIM_CACHE", str(_encoder_cache))
