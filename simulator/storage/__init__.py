"""The session store: one API over a SQLite file (the default) or an organisation's database server.

See :mod:`simulator.storage.sessions` for the store, :mod:`simulator.storage.engine` for how the
database is chosen, :mod:`simulator.storage.migrate` for schema versions.
"""

from .engine import StorageError, database_url, default_path, use_database
from .recorder import Recorder
from .schema import PLAYED_BY, SCHEMA_VERSION
from .sessions import Filters, SessionRecord, SessionTakenError, Store

__all__ = ["PLAYED_BY", "SCHEMA_VERSION", "Filters", "Recorder", "SessionRecord", "SessionTakenError", "StorageError",
           "Store", "database_url", "default_path", "use_database"]
