"""The store on SQLite and PostgreSQL: migrations from nothing and from the previous schema, one claim per key."""

from __future__ import annotations

import asyncio
from typing import Any

from sqlalchemy import create_engine, inspect, text

from bot.config import Settings
from bot.store.repository import Store


def _url(database_url: str) -> str:
    # The same normalisation the app applies to DATABASE_URL (postgres:// as Heroku gives it, too).
    return Settings.model_validate({"slack_bot_token": "xoxb-x", "slack_signing_secret": "s",
                                    "tencentcloud_secret_id": "i", "tencentcloud_secret_key": "k",
                                    "ccc_sdk_app_id": 1, "database_url": database_url}).database_url


def campaign(key: str = "draft-1") -> dict[str, Any]:
    return {"launch_key": key, "status": "unknown", "team_id": "T1", "user_id": "U1", "channel_id": "C1",
            "name": "Renewals", "agent": "a@example.com", "tz": "UTC", "start_at": 1, "end_at": 2, "concurrency": 1,
            "call_order": 1, "uui": "", "callers": ["0086075586013388"], "callees": ["+8613012345670"],
            "created_at": 1}


def test_migrates_an_empty_database_to_the_current_schema(database_url: str) -> None:
    store = Store(_url(database_url))
    store.migrate()
    store.migrate()  # a second start (or a second replica) finds nothing to do
    tables = set(inspect(store.engine).get_table_names())
    assert {"drafts", "campaigns", "audit_events", "sandbox_campaigns", "dnc_entries", "campaign_callees",
            "alembic_version", "instances", "outbox"} <= tables
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one() == "0005_outbox"
    store.close()


def test_upgrades_a_database_of_the_previous_schema_keeping_its_rows(database_url: str) -> None:
    store = Store(_url(database_url))
    store.migrate("0001")
    assert "audit_events" not in inspect(store.engine).get_table_names()
    with store.engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO campaigns (launch_key, status, team_id, user_id, channel_id, name, agent, tz, start_at, "
            "end_at, concurrency, call_order, uui, callers, callees, callee_count, campaign_id, request_id, "
            "created_at, updated_at) VALUES ('old', 'created', 'T1', 'U1', 'C1', 'Old one', 'a@example.com', 'UTC', "
            "1, 2, 1, 1, '', '[]', '[\"+8613012345670\"]', 1, 42, 'req-1', 1, 1)"))
    store.migrate()
    (old,) = asyncio.run(store.recent("T1"))
    assert (old.name, old.campaign_id, old.callees, old.thread_ts, old.fingerprint) == (
        "Old one", 42, ["+8613012345670"], None, None)
    store.close()


def test_a_launch_key_can_be_claimed_once_even_from_two_processes(database_url: str) -> None:
    url = _url(database_url)
    first, second = Store(url), Store(url)  # two replicas' connection pools on one database
    first.migrate()

    async def race() -> list[int | None]:
        return list(await asyncio.gather(*(store.claim(campaign()) for store in (first, second, first, second))))

    refs = asyncio.run(race())
    assert sum(ref is not None for ref in refs) == 1
    with create_engine(url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM campaigns")).scalar_one() == 1
    first.close()
    second.close()


def test_postgres_urls_as_heroku_gives_them_are_accepted() -> None:
    assert _url("postgres://u:p@host:5432/db") == "postgresql+psycopg://u:p@host:5432/db"
    assert _url("postgresql://u@host/db") == "postgresql+psycopg://u@host/db"
    assert _url("sqlite:///x.db") == "sqlite:///x.db"


def test_old_drafts_are_pruned_and_open_previews_kept(database_url: str) -> None:
    store = Store(_url(database_url))
    store.migrate()

    async def scenario() -> tuple[int, str | None, str | None]:
        await store.save_draft("old", team_id="T1", user_id="U1", payload="{}", at=1_000)
        await store.save_draft("new", team_id="T1", user_id="U1", payload="{}", at=9_000)
        pruned = await store.prune_drafts(older_than=5_000)
        return pruned, await store.load_draft("old"), await store.load_draft("new")

    assert asyncio.run(scenario()) == (1, None, "{}")
    store.close()


def test_a_restarted_process_sees_a_current_schema_without_alembic(database_url: str) -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from bot.store.repository import _MIGRATIONS, head_revision

    config = Config()
    config.set_main_option("script_location", str(_MIGRATIONS))
    assert head_revision() == ScriptDirectory.from_config(config).get_current_head()
    store = Store(_url(database_url))
    assert not store.schema_current()  # empty: it must migrate before serving
    store.migrate("0003")
    assert not store.schema_current()  # behind: likewise
    store.migrate()
    assert store.schema_current()
    store.close()
