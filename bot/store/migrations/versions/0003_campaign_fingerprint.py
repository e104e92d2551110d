"""A fingerprint of what each campaign calls, so an identical launch can be flagged before it happens.

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("campaigns") as batch:
        batch.add_column(sa.Column("fingerprint", sa.String(64), nullable=True))
    op.create_index("ix_campaigns_fingerprint", "campaigns", ["fingerprint"])


def downgrade() -> None:
    op.drop_index("ix_campaigns_fingerprint", "campaigns")
    with op.batch_alter_table("campaigns") as batch:
        batch.drop_column("fingerprint")
