"""The sandbox CCC's campaigns (the embedded emulator used when no Tencent credentials are set).

Revision ID: 0004_sandbox
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_sandbox"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sandbox_campaigns",
        sa.Column("campaign_id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("sdk_app_id", sa.BigInteger, nullable=False),
        sa.Column("name", sa.Text, nullable=False),
        sa.Column("agent", sa.Text, nullable=False),
        sa.Column("concurrency", sa.Integer, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=False),
        sa.Column("call_order", sa.Integer, nullable=False),
        sa.Column("uui", sa.Text, nullable=False),
        sa.Column("callee_count", sa.Integer, nullable=False),
        sa.Column("callers", sa.Text, nullable=False),
        sa.Column("created_at", sa.BigInteger, nullable=False),
        sa.Column("aborted_at", sa.BigInteger, nullable=True),
    )


def downgrade() -> None:
    op.drop_table("sandbox_campaigns")
