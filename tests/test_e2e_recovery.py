"""Nothing unreported after a crash, through the real app process: a launch killed while CCC answers is told after
the restart; an outcome the database would not take reaches the row once it recovers; a reply Slack would not take
arrives later — even across a restart."""

from __future__ import annotations

import signal
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.fakes.ccc import Fault
from tests.harness import CREATE, FORM, Stack, rows, start_stack, thread

HEARTBEAT = 0.5  # seconds: a killed process is dead after four beats, 2 s; the journal is replayed every 0.5 s
QUICK = {"DIALCAMPAIGN_HEARTBEAT": str(HEARTBEAT), "DIALCAMPAIGN_OUTBOX_RETRY": "0.2"}


@pytest.fixture
def quick(tmp_path: Path) -> Iterator[Stack]:
    """A product of its own (killed, its database broken) whose own clocks run fast: what these tests wait for is
    that something happens at all, not the production pace (2 s heartbeats, outbox retried after 2 s)."""
    product = start_stack(tmp_path, env=QUICK)
    yield product
    product.close()


def rename(product: Stack, old: str, new: str) -> None:
    engine = create_engine(product.database_url)
    with engine.begin() as conn:
        conn.execute(text(f"ALTER TABLE {old} RENAME TO {new}"))
    engine.dispose()


def until(check: Any, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while not (found := check()):
        assert time.monotonic() < deadline, what
        time.sleep(0.05)
    return found


def launch_while_ccc_holds(product: Stack) -> tuple[dict[str, Any], threading.Event]:
    """Launch; once CCC has the Create (and holds its answer until the event is set), return the channel's parent
    message and that event."""
    release = threading.Event()
    product.ccc.inject(CREATE, Fault(hold=release))
    assert product.driver.submit(product.preview(FORM)).status_code == 200
    until(product.ccc.creates, 10, "CCC never received the Create")
    return dict(product.slack.wait_for("chat.postMessage")[0].params), release


def replies(product: Stack, parent_ts: str) -> list[dict[str, Any]]:
    return [c.params for c in product.slack.of("chat.postMessage")
            if c.params.get("thread_ts") == parent_ts and c.status == 200]


def test_a_launch_killed_while_ccc_answers_is_told_in_its_thread_after_the_restart(quick: Stack) -> None:
    _parent, release = launch_while_ccc_holds(quick)
    (record,) = rows(quick, "SELECT * FROM campaigns")
    quick.restart(signal.SIGKILL, meanwhile=release.set)  # killed while CCC has the Create; CCC answers nobody

    def told() -> list[dict[str, Any]]:  # other thread notes (the card's life) may come too: this one counts
        return [r for r in replies(quick, record["thread_ts"]) if "does not know whether it was created" in r["text"]]

    (reply,) = until(told, 45, "the thread never heard of the launch")
    assert "Check the CCC console" in reply["text"]
    assert reply["channel"] == "C_OPS"
    # The thread is told first, then the row is marked and the audit written: wait for those to land (they follow
    # the reply within the same round), then check them exactly.
    until(lambda: rows(quick, "SELECT * FROM campaigns WHERE reported_at IS NOT NULL")
          and len(rows(quick, f"SELECT id FROM audit_events WHERE campaign_ref = {record['id']}")) >= 2,
          10, "the orphan was never marked reported and audited")
    (after,) = rows(quick, "SELECT * FROM campaigns")
    assert after["status"] == "unknown" and after["reported_at"] is not None  # no longer silent
    events = rows(quick, f"SELECT action FROM audit_events WHERE campaign_ref = {record['id']} ORDER BY id")
    assert [e["action"] for e in events] == ["launch", "unknown"]
    # later rounds of the sweep do not tell it again: wait for two more heartbeats (each round beats first), so at
    # least one whole later round has looked for orphans, however slow the machine
    beat = rows(quick, "SELECT max(seen_at) AS at FROM instances")[0]["at"]
    two_beats = max(1, round(2 * HEARTBEAT))  # in whole seconds, as seen_at keeps them
    until(lambda: rows(quick, f"SELECT id FROM instances WHERE seen_at > {beat} + {two_beats}"), 20,
          "no later sweep ran")
    assert len(told()) == 1, replies(quick, record["thread_ts"])


def test_an_outcome_the_database_would_not_take_reaches_the_row_when_it_recovers(quick: Stack) -> None:
    _parent, release = launch_while_ccc_holds(quick)
    rename(quick, "campaigns", "campaigns_away")  # the database fails at the final write
    release.set()
    try:
        _parent, reply = thread(quick)
        (campaign_id,) = quick.ccc.campaigns
        assert f"CampaignId *{campaign_id}*" in reply["text"]  # the person is told the truth meanwhile
    finally:
        rename(quick, "campaigns_away", "campaigns")
    (row,) = until(lambda: rows(quick, "SELECT * FROM campaigns WHERE status = 'created'"), 15,
                   "the outcome never reached the row")
    assert row["campaign_id"] == campaign_id and row["request_id"]
    events = rows(quick, f"SELECT action FROM audit_events WHERE campaign_ref = {row['id']} ORDER BY id")
    assert [e["action"] for e in events] == ["launch", "created"]
    assert "kept in the journal" in quick.app.output()


def test_a_reply_slack_would_not_take_arrives_later(quick: Stack) -> None:
    parent, release = launch_while_ccc_holds(quick)
    quick.slack.unavailable["chat.postMessage"] = 2  # Slack answers 503 for a while
    release.set()
    (reply,) = until(lambda: replies(quick, parent_ts(quick)), 20, "the reply never arrived")
    assert "CampaignId" in reply["text"] and parent["channel"] == reply["channel"]
    refused = [c for c in quick.slack.of("chat.postMessage") if c.status == 503]
    assert len(refused) == 2 and all(c.params.get("thread_ts") == parent_ts(quick) for c in refused)
    assert not quick.slack.of("chat.postEphemeral")  # not downgraded to a private note: the thread gets it


def test_a_reply_waiting_for_slack_survives_a_restart(fresh: Stack) -> None:
    # The production outbox pace: the first retry is due 1-2 s after the reply was queued, after the kill below. A
    # kill in the middle of a retry would hold the message for a minute (HOLD), as if another replica delivered it.
    _parent, release = launch_while_ccc_holds(fresh)
    fresh.slack.unavailable["chat.postMessage"] = 10_000
    release.set()
    until(lambda: rows(fresh, "SELECT * FROM outbox"), 10, "the reply was never queued")
    # Slack is back while the bot is down; the new process looks at the outbox often, so it delivers the reply as
    # soon as it is due (when the old process put it there: 2 s after it was queued)
    fresh.env["DIALCAMPAIGN_OUTBOX_RETRY"] = "0.2"
    fresh.restart(signal.SIGKILL, meanwhile=fresh.slack.unavailable.clear)
    (reply,) = until(lambda: replies(fresh, parent_ts(fresh)), 20, "the queued reply was lost")
    assert "CampaignId" in reply["text"]
    until(lambda: not rows(fresh, "SELECT * FROM outbox"), 5, "the outbox kept a delivered message")


def parent_ts(product: Stack) -> str:
    return str(rows(product, "SELECT thread_ts FROM campaigns")[0]["thread_ts"])
