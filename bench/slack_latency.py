"""Benchmark: the product as deployed (Procfile web line, fakes on loopback).

- ack latency of /dialcampaign: 200 signed commands, 20 at a time (p50/p99 of the HTTP answer), and 50 one by one;
- the Preview ack for the worst typed input (3,000 characters of numbers, the longest name and custom data);
- submit-to-thread latency: Launch pressed -> the CampaignId reply lands in the thread (20 sequential launches);
- burst: 50 Launches at once -> wall time until all 50 thread replies, against the 2.5 s the 20/s limit allows.

Run: python -m bench.slack_latency
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from tests.harness import FORM, start_stack


def percentiles(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"p50_ms": round(statistics.median(ordered) * 1000, 1),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))] * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def replies(stack, count: int, timeout: float = 60) -> float:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [c for c in stack.slack.of("chat.postMessage") if c.params.get("thread_ts")]
        if len(found) >= count:
            return time.monotonic()
        time.sleep(0.002)
    raise TimeoutError(f"only {len(found)} of {count} replies")


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = start_stack(Path(tmp))
        try:
            for _ in range(10):  # connections and caches warm, as in a running deployment
                stack.driver.command()

            def ack(_: int) -> float:
                t0 = time.perf_counter()
                response = stack.driver.command()
                assert response.status_code == 200
                return time.perf_counter() - t0

            with ThreadPoolExecutor(20) as pool:
                acks = list(pool.map(ack, range(200)))
            sequential = [ack(i) for i in range(50)]

            typed = "\n".join(f"+86 130-{i // 10000:04d}-{i % 10000:04d}" for i in range(166))
            worst = {**FORM, "callees": typed[:3000], "name": "W" * 200, "uui": "u" * 1024}
            preview_acks = []
            for _ in range(20):
                view = stack.open_form()
                t0 = time.perf_counter()
                response = stack.driver.submit(view, worst)
                preview_acks.append(time.perf_counter() - t0)
                assert response.json()["response_action"] == "update", response.text

            to_thread: list[float] = []
            for i in range(20):
                preview = stack.preview({**FORM, "name": f"latency {i}"})
                stack.reset()
                t0 = time.monotonic()
                stack.driver.submit(preview)
                to_thread.append(replies(stack, 1) - t0)

            previews = [stack.preview({**FORM, "name": f"burst {i}"}) for i in range(50)]
            stack.reset()
            t0 = time.monotonic()
            with ThreadPoolExecutor(50) as pool:
                list(pool.map(stack.driver.submit, previews))
            burst = replies(stack, 50) - t0
            created = sum("CampaignId" in c.params["text"] for c in stack.slack.of("chat.postMessage")
                          if c.params.get("thread_ts"))
            throttled = sum(r.outcome.startswith("RequestLimitExceeded") for r in stack.ccc.creates())
            status = Path(f"/proc/{stack.app.proc.pid}/status").read_text()
            peak_rss_mb = round(int(next(line.split()[1] for line in status.splitlines()
                                         if line.startswith("VmHWM"))) / 1024, 1)
        finally:
            stack.close()
    print(json.dumps({
        "ack_200_at_20_concurrent": percentiles(acks),
        "ack_50_sequential": percentiles(sequential),
        "preview_ack_worst_typed_input_20": percentiles(preview_acks),
        "submit_to_thread_20_sequential": percentiles(to_thread),
        "burst_50": {"wall_s": round(burst, 2), "limit_allows_s": 2.5, "created": created,
                     "throttled_by_ccc": throttled},
        "app_process_peak_rss_mb": peak_rss_mb,
    }, indent=2))


if __name__ == "__main__":
    main()
