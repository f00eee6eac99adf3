"""Schema 1: the meta and sessions tables as the first SQLite store made them.

Revision ID: 0001
Revises:
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create the version-1 tables."""
    op.create_table(
        "meta",
        sa.Column("key", sa.Text, primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "sessions",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("scenario_id", sa.Text, nullable=False),
        sa.Column("scenario_path", sa.Text, nullable=False),
        sa.Column("trainee", sa.Text, nullable=False, server_default=""),
        sa.Column("language", sa.Text, nullable=False),
        sa.Column("variant", sa.Text),
        sa.Column("started_at", sa.Text, nullable=False),
        sa.Column("updated_at", sa.Text, nullable=False),
        sa.Column("finished", sa.Integer, nullable=False, server_default="0"),
        sa.Column("ending", sa.Text),
        sa.Column("score", sa.Integer),
        sa.Column("state", sa.Text, nullable=False),
        sqlite_autoincrement=True,
    )
    op.create_index("sessions_open", "sessions", ["finished", "updated_at"])
    op.execute("INSERT INTO meta (key, value) VALUES ('schema_version', '1')")


def downgrade() -> None:
    """Drop everything (only ever used on an empty test database)."""
    op.drop_table("sessions")
    op.drop_table("meta")
