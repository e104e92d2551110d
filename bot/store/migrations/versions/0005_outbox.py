"""Nothing unreported after a crash: which process runs each launch (and whether it is alive), when its outcome was
told, and the Slack messages waiting to be delivered.

Revision ID: 0005_outbox
Revises: 0004_lifecycle
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_outbox"
down_revision = "0004_lifecycle"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("launch_instance", sa.String(36), nullable=True))
        batch.add_column(sa.Column("reported_at", sa.BigInteger(), nullable=True))
    # Rows from before: an outcome that was recorded was also told. An `unknown` row without a summary is a launch
    # cut short (a crash), and is left unreported so that it gets its reply now.
    op.execute("UPDATE campaigns SET reported_at = updated_at WHERE status <> 'unknown' OR error_message IS NOT NULL")
    op.create_table(
        "instances",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("seen_at", sa.BigInteger(), nullable=False),
    )
    op.create_table(
        "outbox",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("created_at", sa.BigInteger(), nullable=False),
        sa.Column("next_at", sa.BigInteger(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("last_error", sa.String(128), nullable=True),
        sa.Column("supersedes", sa.String(128), nullable=True),
    )
    op.create_index("ix_outbox_next_at", "outbox", ["next_at"])


def downgrade() -> None:
    op.drop_index("ix_outbox_next_at", "outbox")
    op.drop_table("outbox")
    op.drop_table("instances")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("reported_at")
        batch.drop_column("launch_instance")
