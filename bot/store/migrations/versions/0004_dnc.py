"""The do-not-call list, and every launched campaign's callees with its window (frequency caps, running campaigns).

Revision ID: 0004_dnc
Revises: 0003
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004_dnc"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dnc_entries",
        sa.Column("team_id", sa.String(32), primary_key=True),
        sa.Column("e164", sa.String(20), primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=True),
    )
    callees = op.create_table(
        "campaign_callees",
        sa.Column("team_id", sa.String(32), nullable=False),
        sa.Column("e164", sa.String(20), nullable=False),
        sa.Column("campaign_ref", sa.Integer, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_campaign_callees_number", "campaign_callees", ["team_id", "e164", "end_at"])
    # Campaigns launched before this revision count towards the caps too.
    rows = op.get_bind().execute(sa.text(
        "SELECT id, team_id, start_at, end_at, callees FROM campaigns WHERE status <> 'failed'")).fetchall()
    values = [{"team_id": team, "e164": number, "campaign_ref": ref, "start_at": start, "end_at": end}
              for ref, team, start, end, numbers in rows for number in json.loads(numbers)]
    if values:
        op.bulk_insert(callees, values)


def downgrade() -> None:
    op.drop_index("ix_campaign_callees_number", "campaign_callees")
    op.drop_table("campaign_callees")
    op.drop_table("dnc_entries")
