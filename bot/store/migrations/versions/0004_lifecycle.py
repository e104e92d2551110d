"""What the watcher learns after a launch (state, counts, check time, who stopped it) and the lease that lets one
replica at a time watch each campaign.

Revision ID: 0004_lifecycle
Revises: 0004_dnc
"""

import sqlalchemy as sa
from alembic import op

revision = "0004_lifecycle"
down_revision = "0004_dnc"
branch_labels = None
depends_on = None

_COLUMNS: list[tuple[str, sa.types.TypeEngine[int] | sa.types.TypeEngine[str]]] = [
    ("ccc_state", sa.Integer()), ("called_count", sa.Integer()), ("checked_at", sa.BigInteger()),
    ("ended_at", sa.BigInteger()), ("stopped_by", sa.String(32)), ("stopped_at", sa.BigInteger()),
    ("watch_due", sa.BigInteger()), ("lease_owner", sa.String(64)), ("lease_until", sa.BigInteger()),
    ("card_shown", sa.String(200)),
]


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        for name, kind in _COLUMNS:
            batch.add_column(sa.Column(name, kind, nullable=True))
    op.create_index("ix_campaigns_campaign_id", "campaigns", ["campaign_id"])
    op.create_index("ix_campaigns_channel", "campaigns", ["channel_id", "id"])
    op.create_index("ix_campaigns_thread", "campaigns", ["channel_id", "thread_ts"])


def downgrade() -> None:
    op.drop_index("ix_campaigns_thread", "campaigns")
    op.drop_index("ix_campaigns_channel", "campaigns")
    op.drop_index("ix_campaigns_campaign_id", "campaigns")
    with op.batch_alter_table("campaigns") as batch:
        for name, _kind in reversed(_COLUMNS):
            batch.drop_column(name)
