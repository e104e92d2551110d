"""The tables, as SQLAlchemy Core metadata; Alembic migrations in migrations/ build the same shape."""

from __future__ import annotations

from sqlalchemy import BigInteger, Column, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

drafts = Table(
    "drafts",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("created_at", BigInteger, nullable=False),
    Column("team_id", String(32), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("payload", Text, nullable=False),  # the checked draft as JSON, numbers included
)

campaigns = Table(
    "campaigns",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("launch_key", String(64), nullable=False, unique=True),  # one Create per confirmed draft, ever
    Column("status", String(16), nullable=False),  # unknown (until the outcome is known) | created | failed
    Column("team_id", String(32), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("name", Text, nullable=False),
    Column("agent", Text, nullable=False),
    Column("tz", String(64), nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("concurrency", Integer, nullable=False),
    Column("call_order", Integer, nullable=False),
    Column("uui", Text, nullable=False, default=""),
    Column("callers", Text, nullable=False),  # JSON list, as sent
    Column("callees", Text, nullable=False),  # JSON list of E.164, to list and re-check later
    Column("callee_count", Integer, nullable=False),
    Column("campaign_id", BigInteger, nullable=True),
    Column("request_id", String(64), nullable=True),
    Column("error_code", String(128), nullable=True),
    Column("error_message", Text, nullable=True),
    Column("created_at", BigInteger, nullable=False),
    Column("updated_at", BigInteger, nullable=False),
    Column("thread_ts", String(32), nullable=True),
    Column("fingerprint", String(64), nullable=True),  # what it calls and when: flags an identical second launch
    Column("launch_instance", String(36), nullable=True),  # the process sending it (instances.id)
    Column("reported_at", BigInteger, nullable=True),  # when its outcome was told (or queued in the outbox)
    Index("ix_campaigns_fingerprint", "fingerprint"),
    # What the watcher learnt (0004_lifecycle): CCC's State and counts at the last Describe, and when.
    Column("ccc_state", Integer, nullable=True),
    Column("called_count", Integer, nullable=True),
    Column("checked_at", BigInteger, nullable=True),
    Column("ended_at", BigInteger, nullable=True),  # when it was seen finished or stopped
    Column("stopped_by", String(32), nullable=True),  # a Slack user who pressed Stop
    Column("stopped_at", BigInteger, nullable=True),
    Column("watch_due", BigInteger, nullable=True),  # next Describe (unset: at start_at)
    Column("lease_owner", String(64), nullable=True),  # the replica watching it ...
    Column("lease_until", BigInteger, nullable=True),  # ... until then; afterwards any replica may take it
    Column("card_shown", String(200), nullable=True),  # what its card shows: updated only when this changes
    Index("ix_campaigns_campaign_id", "campaign_id"),
    Index("ix_campaigns_channel", "channel_id", "id"),
    Index("ix_campaigns_thread", "channel_id", "thread_ts"),
)

instances = Table(
    "instances",  # running processes: a launch whose process stopped beating is an orphan to report
    metadata,
    Column("id", String(36), primary_key=True),
    Column("seen_at", BigInteger, nullable=False),
)

outbox = Table(
    "outbox",  # Slack messages that could not be delivered yet, retried until they are
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("created_at", BigInteger, nullable=False),
    Column("next_at", BigInteger, nullable=False),
    Column("attempts", Integer, nullable=False, server_default="0"),
    Column("payload", Text, nullable=False),  # JSON: how to deliver it (kind, channel, thread, user, message)
    Column("last_error", String(128), nullable=True),
    Column("supersedes", String(128), nullable=True),  # a newer message with the same key replaces this one
    Index("ix_outbox_next_at", "next_at"),
)

audit_events = Table(
    "audit_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", BigInteger, nullable=False),
    Column("team_id", String(32), nullable=False),
    Column("user_id", String(32), nullable=False),
    Column("channel_id", String(32), nullable=False),
    Column("action", String(32), nullable=False),  # launch | created | failed | unknown | refused | denied
    Column("campaign_ref", Integer, nullable=True),  # campaigns.id
    Column("request_id", String(64), nullable=True),
    Column("detail", Text, nullable=False),  # JSON: parameters (numbers masked) and outcome
    Index("ix_audit_events_at", "at"),
)

sandbox_campaigns = Table(
    "sandbox_campaigns",
    metadata,
    # The embedded CCC emulator's own record (DIALCAMPAIGN_SANDBOX): what the sandbox "created", so a restart
    # keeps its campaigns. Nothing here is ever sent anywhere.
    Column("campaign_id", Integer, primary_key=True, autoincrement=True),
    Column("sdk_app_id", BigInteger, nullable=False),
    Column("name", Text, nullable=False),
    Column("agent", Text, nullable=False),
    Column("concurrency", Integer, nullable=False),
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Column("call_order", Integer, nullable=False),
    Column("uui", Text, nullable=False),
    Column("callee_count", Integer, nullable=False),
    Column("callers", Text, nullable=False),  # JSON list, as sent
    Column("created_at", BigInteger, nullable=False),
    Column("aborted_at", BigInteger, nullable=True),
)

# ASCII keys compared bytewise on PostgreSQL (the "C" collation): cheaper index probes for a large scrub.
_NUMBER = String(20).with_variant(String(20, collation="C"), "postgresql")
_TEAM = String(32).with_variant(String(32, collation="C"), "postgresql")

dnc_entries = Table(
    "dnc_entries",
    metadata,
    Column("team_id", _TEAM, primary_key=True),
    Column("e164", _NUMBER, primary_key=True),  # the key is the lookup: a scrub is one index probe per number
    Column("reason", Text, nullable=False, default=""),
    Column("added_by", String(32), nullable=False),
    Column("added_at", BigInteger, nullable=False),
    Column("expires_at", BigInteger, nullable=True),  # null: never; an expired entry no longer blocks
)

campaign_callees = Table(
    "campaign_callees",
    metadata,
    Column("team_id", _TEAM, nullable=False),
    Column("e164", _NUMBER, nullable=False),
    Column("campaign_ref", Integer, nullable=False),  # campaigns.id; its status says whether it counts
    Column("start_at", BigInteger, nullable=False),
    Column("end_at", BigInteger, nullable=False),
    Index("ix_campaign_callees_number", "team_id", "e164", "end_at", "start_at"),
)
