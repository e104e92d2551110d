"""Nothing unreported after a crash, through the real app process: a launch killed while CCC answers is told after
the restart; an outcome the database would not take reaches the row once it recovers; a reply Slack would not take
arrives later — even across a restart."""

from __future__ import annotations

import signal
import time
from typing import Any

from sqlalchemy import create_engine, text

from tests.fakes.ccc import Fault
from tests.harness import CREATE, FORM, Stack, rows, thread


def rename(product: Stack, old: str, new: str) -> None:
    engine = create_engine(product.database_url)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
    engine.dispose()


def until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.1)
    return found


def launch_with_ccc_answering_in(product: Stack, seconds: float) -> dict[str, Any]:
    """Launch, and return the channel's parent message once CCC has the Create (and is taking its time)."""
    product.ccc.inject(CREATE, Fault(delay=seconds))
    assert product.driver.submit(product.preview(FORM)).status_code == 200
    until(product.ccc.creates, 10, "CCC never received the Create")
    return dict(product.slack.wait_for("chat.postMessage")[0].params)


def replies(product: Stack, parent_ts: str) -> list[dict[str, Any]]:
    return [c.params for c in product.slack.of("chat.postMessage")
            if c.params.get("thread_ts") == parent_ts and c.status == 200]


def test_a_launch_killed_while_ccc_answers_is_told_in_its_thread_after_the_restart(fresh: Stack) -> None:
    launch_with_ccc_answering_in(fresh, 30)
    (record,) = rows(fresh, "SELECT * FROM campaigns")
    fresh.restart(signal.SIGKILL)

    def told() -> list[dict[str, Any]]:  # other thread notes (the card's life) may come too: this one counts
        return [r for r in replies(fresh, record["thread_ts"]) if "does not know whether it was created" in r["text"]]

    (reply,) = until(told, 45, "the thread never heard of the launch")
    assert "Check the CCC console" in reply["text"]
    assert reply["channel"] == "C_OPS"
    # The thread is told first, then the row is marked and the audit written: wait for those to land (they follow
    # the reply within the same round), then check them exactly.
    until(lambda: rows(fresh, "SELECT * FROM campaigns WHERE reported_at IS NOT NULL")
          and len(rows(fresh, f"SELECT id FROM audit_events WHERE campaign_ref = {record['id']}")) >= 2,
          10, "the orphan was never marked reported and audited")
    (after,) = rows(fresh, "SELECT * FROM campaigns")
    assert after["status"] == "unknown" and after["reported_at"] is not None  # no longer silent
    events = rows(fresh, f"SELECT action FROM audit_events WHERE campaign_ref = {record['id']} ORDER BY id")
    assert [e["action"] for e in events] == ["launch", "unknown"]
    # later rounds of the sweep do not tell it again: wait for two more heartbeats (each round beats first), so at
    # least one whole later round has looked for orphans, however slow the machine
    beat = rows(fresh, "SELECT max(seen_at) AS at FROM instances")[0]["at"]
    until(lambda: rows(fresh, f"SELECT id FROM instances WHERE seen_at > {beat} + 2"), 20, "no later sweep ran")
    assert len(told()) == 1, replies(fresh, record["thread_ts"])


def test_an_outcome_the_database_would_not_take_reaches_the_row_when_it_recovers(fresh: Stack) -> None:
    launch_with_ccc_answering_in(fresh, 1.5)
    rename(fresh, "campaigns", "campaigns_away")  # the database fails at the final write
    try:
        _parent, reply = thread(fresh)
        (campaign_id,) = fresh.ccc.campaigns
        assert f"CampaignId *{campaign_id}*" in reply["text"]  # the person is told the truth meanwhile
    finally:
        rename(fresh, "campaigns_away", "campaigns")
    (row,) = until(lambda: rows(fresh, "SELECT * FROM campaigns WHERE status = 'created'"), 15,
                   "the outcome never reached the row")
    assert row["campaign_id"] == campaign_id and row["request_id"]
    events = rows(fresh, f"SELECT action FROM audit_events WHERE campaign_ref = {row['id']} ORDER BY id")
    assert [e["action"] for e in events] == ["launch", "created"]
    assert "kept in the journal" in fresh.app.output()


def test_a_reply_slack_would_not_take_arrives_later(fresh: Stack) -> None:
    parent = launch_with_ccc_answering_in(fresh, 1)
    fresh.slack.unavailable["chat.postMessage"] = 2  # Slack answers 503 for a while
    (reply,) = until(lambda: replies(fresh, parent_ts(fresh)), 20, "the reply never arrived")
    assert "CampaignId" in reply["text"] and parent["channel"] == reply["channel"]
    refused = [c for c in fresh.slack.of("chat.postMessage") if c.status == 503]
    assert len(refused) == 2 and all(c.params.get("thread_ts") == parent_ts(fresh) for c in refused)
    assert not fresh.slack.of("chat.postEphemeral")  # not downgraded to a private note: the thread gets it


def test_a_reply_waiting_for_slack_survives_a_restart(fresh: Stack) -> None:
    launch_with_ccc_answering_in(fresh, 1)
    fresh.slack.unavailable["chat.postMessage"] = 10_000
    until(lambda: rows(fresh, "SELECT * FROM outbox"), 10, "the reply was never queued")
    fresh.restart(signal.SIGKILL)
    fresh.slack.unavailable.clear()  # Slack is back
    (reply,) = until(lambda: replies(fresh, parent_ts(fresh)), 20, "the queued reply was lost")
    assert "CampaignId" in reply["text"]
    until(lambda: not rows(fresh, "SELECT * FROM outbox"), 5, "the outbox kept a delivered message")


def parent_ts(product: Stack) -> str:
    return str(rows(product, "SELECT thread_ts FROM campaigns")[0]["thread_ts"])
