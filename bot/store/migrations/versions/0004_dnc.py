"""The do-not-call list, and every launched campaign's callees with its window (frequency caps, running campaigns).

Revision ID: 0004_dnc
Revises: 0004_sandbox
"""

import json

import sqlalchemy as sa
from alembic import op

revision = "0004_dnc"
down_revision = "0004_sandbox"
branch_labels = None
depends_on = None


# Numbers and team ids are ASCII: PostgreSQL's "C" collation compares them bytewise, which makes each of the 100,000
# index probes of a scrub cheaper than the database's locale collation would.
NUMBER = sa.String(20).with_variant(sa.String(20, collation="C"), "postgresql")
TEAM = sa.String(32).with_variant(sa.String(32, collation="C"), "postgresql")


def upgrade() -> None:
    op.create_table(
        "dnc_entries",
        sa.Column("team_id", TEAM, primary_key=True),
        sa.Column("e164", NUMBER, primary_key=True),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("added_by", sa.String(32), nullable=False),
        sa.Column("added_at", sa.BigInteger, nullable=False),
        sa.Column("expires_at", sa.BigInteger, nullable=True),
    )
    callees = op.create_table(
        "campaign_callees",
        sa.Column("team_id", TEAM, nullable=False),
        sa.Column("e164", NUMBER, nullable=False),
        sa.Column("campaign_ref", sa.Integer, nullable=False),
        sa.Column("start_at", sa.BigInteger, nullable=False),
        sa.Column("end_at", sa.BigInteger, nullable=False),
    )
    op.create_index("ix_campaign_callees_number", "campaign_callees", ["team_id", "e164", "end_at", "start_at"])
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
