"""Alembic migrations of the session database; run by simulator.storage.migrate on every open."""
