"""Benchmark: the watcher with 1,000 campaigns in flight (the product as deployed, fakes on loopback).

- Describe calls per second at the fake CCC (any 1-second window, and on average) while the watcher sweeps 1,000
  running campaigns (all due at once when the app starts, then every DIALCAMPAIGN_WATCH_INTERVAL = 60 s);
- chat.update calls per minute at the fake Slack (the watcher's card budget, one workspace);
- Launch pressed -> CampaignId in the thread, p50 of 20 sequential launches, in the same app process: before the
  1,000 start (the watcher has nothing due) vs while it sweeps them;
- the app process's RSS before the sweep vs after watching 1,000 (the watcher's memory);
- Stop pressed -> Abort received by CCC -> card updated, p50 of 20 stops.

Run: python -m bench.lifecycle
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import insert

from bot.config import Settings
from bot.store.repository import Store
from bot.store.schema import campaigns
from tests.harness import FORM, TEAM, AppProcess, Stack, start_stack

IN_FLIGHT = 1000
CALLEES = 200
LEAD_S = 45.0  # the 1,000 start this long after the app: the baseline launches run with nothing due
SWEEP_S = 150.0  # first sweep of 1,000 at 17/s: ~60 s; each is due again 60 s after its check


def _url(database_url: str) -> str:
    return Settings.model_validate({"slack_bot_token": "xoxb-x", "slack_signing_secret": "s",
                                    "tencentcloud_secret_id": "i", "tencentcloud_secret_key": "k",
                                    "ccc_sdk_app_id": 1, "database_url": database_url}).database_url


def seed(stack: Stack, count: int, start: int) -> list[tuple[int, str]]:
    """`count` created campaigns starting at `start` for two hours, in the store and in the fake CCC; (ref, thread)."""
    now = start
    callees = [f"+86130{i:08d}" for i in range(CALLEES)]
    rows: list[dict[str, Any]] = []
    for i in range(count):
        campaign_id = 500_000 + i
        stack.ccc.campaigns[campaign_id] = {"Name": f"seeded {i}", "Agent": "agent@example.com",
                                            "ConcurrencyNumber": 1, "StartTime": now, "EndTime": now + 7200,
                                            "Callees": callees, "CallOrder": 1}
        rows.append({"launch_key": f"seed-{i}", "status": "created", "team_id": TEAM, "user_id": "U_SUP",
                     "channel_id": "C_OPS", "name": f"seeded {i}", "agent": "agent@example.com", "tz": "UTC",
                     "start_at": now, "end_at": now + 7200, "concurrency": 1, "call_order": 1, "uui": "",
                     "callers": "[]", "callees": json.dumps(callees), "callee_count": CALLEES,
                     "campaign_id": campaign_id, "created_at": now, "updated_at": now,
                     "thread_ts": f"1700000000.{i:06d}"})
    store = Store(_url(stack.database_url))
    with store.engine.begin() as conn:
        conn.execute(insert(campaigns), rows)
        ids = [r[0] for r in conn.exec_driver_sql("SELECT id, thread_ts FROM campaigns ORDER BY id")]
    store.close()
    return list(zip(ids, [r["thread_ts"] for r in rows], strict=True))


def rss_mb(stack: Stack) -> float:
    status = Path(f"/proc/{stack.app.proc.pid}/status").read_text()
    return round(int(next(line.split()[1] for line in status.splitlines() if line.startswith("VmRSS"))) / 1024, 1)


def launches(stack: Stack, n: int = 20) -> list[float]:
    """Launch pressed -> the CampaignId reply in the thread, n times one after another."""
    took = []
    for i in range(n):
        preview = stack.preview({**FORM, "name": f"timed {i}"})
        before = len([c for c in stack.slack.of("chat.postMessage") if c.params.get("thread_ts")])
        t0 = time.monotonic()
        stack.driver.submit(preview)
        while len([c for c in stack.slack.of("chat.postMessage") if c.params.get("thread_ts")]) <= before:
            time.sleep(0.002)
        took.append(time.monotonic() - t0)
    return took


def per_window(stamps: list[float], width: float) -> list[int]:
    if not stamps:
        return [0]
    start, end = min(stamps), max(stamps)
    counts = []
    t = start
    while t <= end:
        counts.append(sum(t <= s < t + width for s in stamps))
        t += width / 4  # sliding, in quarter steps
    return counts


def ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        busy = start_stack(Path(tmp))
        try:
            busy.app.stop()  # seed its database, then start it again: the 1,000 start together, LEAD_S from now
            starts_at = time.time() + LEAD_S
            refs = seed(busy, IN_FLIGHT, int(starts_at))
            busy.app = AppProcess(busy.env, Path(tmp)).wait_ready()
            busy.driver.app_url = busy.app.url
            launches(busy, 3)  # connections and caches warm
            baseline = launches(busy)  # the watcher has nothing due yet
            idle_rss = rss_mb(busy)
            assert time.time() < starts_at, "the baseline took longer than LEAD_S"
            time.sleep(starts_at - time.time() + 1)
            loaded = launches(busy)  # while the watcher sweeps the 1,000 that have just started
            time.sleep(max(0.0, SWEEP_S - (time.time() - starts_at)))
            describes = [r.at for r in busy.ccc.of("DescribeAgentCruiseDialingCampaign") if r.at >= starts_at]
            updates = [c.at for c in busy.slack.of("chat.update")]
            seeded = {ts for _ref, ts in refs}
            by_watcher = [c.at for c in busy.slack.of("chat.update") if c.params.get("ts") in seeded]
            throttled = sum(r.outcome.startswith("RequestLimitExceeded") for r in busy.ccc.received)
            busy_rss = rss_mb(busy)
            distinct = len({r.params.get("CampaignId") for r in busy.ccc.of("DescribeAgentCruiseDialingCampaign")})

            to_abort, to_card = [], []
            for i, (ref, ts) in enumerate(refs[:20]):
                t0 = time.time()
                busy.driver.press("campaign_stop", str(ref), message_ts=ts)

                def stopped_card(ts: str = ts, t0: float = t0) -> list[Any]:
                    return [c for c in busy.slack.of("chat.update") if c.params.get("ts") == ts and c.at >= t0
                            and "Stopped* by" in str(c.params.get("text"))]

                while not stopped_card():
                    time.sleep(0.002)
                abort = next(r for r in busy.ccc.of("AbortAgentCruiseDialingCampaign")
                             if r.params["CampaignId"] == 500_000 + i)
                to_abort.append(abort.at - t0)
                to_card.append(stopped_card()[0].at - t0)
        finally:
            busy.close()

    seconds = max(describes) - min(describes) if describes else 1.0
    print(json.dumps({
        "in_flight": IN_FLIGHT, "observed_s": round(SWEEP_S, 1),
        "describe": {"calls": len(describes), "distinct_campaigns": distinct,
                     "max_in_any_1s": max(per_window(describes, 1.0)),
                     "mean_per_s": round(len(describes) / seconds, 1), "throttled_by_ccc": throttled},
        "chat_update": {"calls": len(updates), "max_in_any_60s": max(per_window(updates, 60.0)),
                        "by_the_watcher": len(by_watcher),
                        "by_the_watcher_max_in_any_60s": max(per_window(by_watcher, 60.0))},
        "launch_to_campaign_id_ms": {"nothing_due": " ".join(str(round(t * 1000)) for t in baseline),
                                     "sweeping_1000": " ".join(str(round(t * 1000)) for t in loaded)},
        "launch_to_campaign_id_p50_ms": {"nothing_due": ms(baseline), "sweeping_1000": ms(loaded),
                                         "ratio": round(statistics.median(loaded) / statistics.median(baseline), 2)},
        "app_rss_mb": {"before_the_sweep": idle_rss, "after_watching_1000": busy_rss},
        "stop_p50_ms": {"press_to_abort": ms(to_abort), "press_to_card": ms(to_card)},
    }, indent=2))


if __name__ == "__main__":
    main()
