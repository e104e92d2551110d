"""Benchmark: another person's /dialcampaign ack while eight worst-case submissions arrive at once.

Worst case: a 200-character window (the cap) chosen as the slowest of several for the parser, ~3,000 characters of
typed numbers, the longest name and custom data; also eight 3,000-character windows (refused by the cap now). A probe
sends /dialcampaign as another user every 50 ms throughout; its acks are compared with an idle baseline. Also eight
Launches at once (each acks "Launching…" before it checks access, reads the draft or calls CCC).

Run: python -m bench.ack_under_load
"""

from __future__ import annotations

import contextlib
import json
import statistics
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bot.campaign.window import parse_window, warm_up
from tests.harness import FORM, Stack, start_stack

CANDIDATES = ["tomorrow 9am to 11am " * 10, "明天上午9点到11点" * 12, "1 2 3 4 5 6 7 8 9 " * 11, "tomorrow " * 22,
              "next monday at 9:30am until next tuesday 11:45pm, " * 4, "from 2026-12-01 09:00 to 2026-12-01 " * 6]


def slowest_window() -> tuple[str, float]:
    warm_up()
    timed = []
    for text in CANDIDATES:
        text = text[:200]
        started = time.perf_counter()
        for _ in range(20):
            with contextlib.suppress(Exception):  # most are no window at all: saying so is what costs
                parse_window(text, tz="Asia/Shanghai", now=datetime.now(UTC))
        timed.append(((time.perf_counter() - started) / 20, text))
    cost, text = max(timed)
    return text, cost


def ms(samples: list[float]) -> dict[str, float]:
    ordered = sorted(samples)
    return {"n": len(ordered), "p50_ms": round(statistics.median(ordered) * 1000, 1),
            "max_ms": round(ordered[-1] * 1000, 1)}


def probe(stack: Stack, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        started = time.perf_counter()
        assert stack.driver.command(user="U_PROBE").status_code == 200
        out.append(time.perf_counter() - started)
        time.sleep(0.05)


def rounds(stack: Stack, calls: list[Any]) -> tuple[list[float], list[float]]:
    """Probe acks while `calls` run eight at a time (each eight at once); and those calls' own answer times."""
    acks: list[float] = []
    own: list[float] = []
    for first in range(0, len(calls), 8):
        burst = calls[first:first + 8]
        stop = threading.Event()
        watcher = threading.Thread(target=probe, args=(stack, stop, acks))
        watcher.start()
        time.sleep(0.1)

        def timed(call: Any) -> float:
            started = time.perf_counter()
            call()
            return time.perf_counter() - started

        def sent_amid() -> None:  # one probe fired just after the eight, while they are being worked on
            time.sleep(0.005)
            started = time.perf_counter()
            stack.driver.command(user="U_PROBE")
            acks.append(time.perf_counter() - started)

        with ThreadPoolExecutor(9) as pool:
            amid = pool.submit(sent_amid)
            own += list(pool.map(timed, burst))
            amid.result()
        time.sleep(0.1)
        stop.set()
        watcher.join()
    return acks, own


def main() -> None:
    window, parse_cost = slowest_window()
    typed = "\n".join(f"+86 130-{i // 10000:04d}-{i % 10000:04d}" for i in range(166))[:3000]
    worst = {**FORM, "window": window, "callees": typed, "name": "W" * 200, "uui": "u" * 1024}
    with tempfile.TemporaryDirectory() as tmp:
        stack = start_stack(Path(tmp), users={u: {"tz": "Asia/Shanghai"} for u in ("U_SUP", "U_PROBE")})
        try:
            for _ in range(10):
                stack.driver.command(user="U_PROBE")
            idle: list[float] = []
            for _ in range(60):
                started = time.perf_counter()
                stack.driver.command(user="U_PROBE")
                idle.append(time.perf_counter() - started)
            forms = [stack.open_form() for _ in range(40)]
            acks, own = rounds(stack, [lambda f=f: stack.driver.submit(f, worst) for f in forms])
            long_window = {**worst, "window": "tomorrow 9am to 11am " * 143}
            cap_acks, cap_own = rounds(stack, [lambda f=f: stack.driver.submit(f, long_window)
                                               for f in [stack.open_form() for _ in range(16)]])
            previews = [stack.preview({**FORM, "name": f"burst {i}"}) for i in range(16)]
            launch_acks, launch_own = rounds(stack, [lambda p=p: stack.driver.submit(p) for p in previews])
        finally:
            stack.close()
    baseline = statistics.median(idle)
    print(json.dumps({
        "slowest_200_char_window": {"text": window[:40] + "…", "parse_ms": round(parse_cost * 1000, 2)},
        "probe_ack_idle": ms(idle),
        "probe_ack_during_8_worst_previews": ms(acks),
        "worst_preview_answer": ms(own),
        "probe_ack_during_8_3000_char_windows": ms(cap_acks),
        "3000_char_window_answer": ms(cap_own),
        "probe_ack_during_8_launches": ms(launch_acks),
        "launch_ack": ms(launch_own),
        "worst_extra_delay_ms": round((max(acks + cap_acks + launch_acks) - baseline) * 1000, 1),
        "target_extra_delay_ms": 500,
    }, indent=2))


if __name__ == "__main__":
    main()
