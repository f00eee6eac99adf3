"""Schema 4: the queue of xAPI statements waiting for the Learning Record Store.

A statement is queued once (its id is unique) and stays until the LRS has accepted it, so
statements made while offline are sent on a later run and nothing is sent twice.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Create xapi_queue."""
    op.create_table(
        "xapi_queue",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("statement_id", sa.Text, nullable=False, unique=True),
        sa.Column("body", sa.Text, nullable=False),
        sa.Column("queued_at", sa.Text, nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False, server_default="0"),
        sa.Column("last_error", sa.Text),
        sa.Column("sent_at", sa.Text),
        sqlite_autoincrement=True,
    )
    op.create_index("xapi_queue_unsent", "xapi_queue", ["sent_at", "id"])
    op.execute("UPDATE meta SET value = '4' WHERE key = 'schema_version'")


def downgrade() -> None:
    """Drop xapi_queue."""
    op.drop_table("xapi_queue")
    op.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
