"""The session store: one API over a SQLite file (the default) or an organisation's database server.

See :mod:`simulator.storage.sessions` for the store, :mod:`simulator.storage.engine` for how the
database is chosen, :mod:`simulator.storage.migrate` for schema versions.
"""

from importlib import import_module
from typing import TYPE_CHECKING

from .engine import SessionTakenError, StorageError, database_url, default_path, use_database

if TYPE_CHECKING:
    from .recorder import Recorder
    from .schema import PLAYED_BY, SCHEMA_VERSION
    from .sessions import Filters, SessionRecord, Store

__all__ = ["PLAYED_BY", "SCHEMA_VERSION", "Filters", "Recorder", "SessionRecord", "SessionTakenError", "StorageError",
           "Store", "database_url", "default_path", "use_database"]

# The names that need SQLAlchemy (the schema, the store) load on first use (PEP 562), so that the
# window can draw its first frame before paying for that import.
_LAZY = {"Recorder": "recorder", "PLAYED_BY": "schema", "SCHEMA_VERSION": "schema", "Filters": "sessions",
         "SessionRecord": "sessions", "Store": "sessions"}


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(import_module(f".{_LAZY[name]}", __name__), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
