"""Benchmark: parse_window over the corpus (warm p50/p99), the first call after start-up warm-up, peak RSS.

Run: python -m bench.window_parse
"""

from __future__ import annotations

import contextlib
import json
import resource
import statistics
import time
from datetime import datetime
from pathlib import Path

CORPUS = json.loads((Path(__file__).resolve().parent.parent / "tests" / "data" / "window-corpus.json").read_text())


def main() -> None:
    started = time.perf_counter()
    from bot.campaign.window import WindowError, parse_window, warm_up

    imported = time.perf_counter()
    warm_up()
    warmed = time.perf_counter()

    first = CORPUS[14]  # a month-name date: the path that reaches dateparser
    t0 = time.perf_counter()
    with contextlib.suppress(WindowError):
        parse_window(first["phrase"], tz=first["tz"], now=datetime.fromisoformat(first["now"]))
    first_call = time.perf_counter() - t0

    samples: list[float] = []
    for _ in range(200):
        for case in CORPUS:
            now = datetime.fromisoformat(case["now"])
            t0 = time.perf_counter()
            with contextlib.suppress(WindowError):
                parse_window(case["phrase"], tz=case["tz"], now=now)
            samples.append(time.perf_counter() - t0)
    samples.sort()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({
        "import_ms": round((imported - started) * 1000, 1),
        "warm_up_ms": round((warmed - imported) * 1000, 1),
        "first_call_after_warm_up_ms": round(first_call * 1000, 3),
        "parses": len(samples),
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p99_ms": round(samples[int(len(samples) * 0.99)] * 1000, 3),
        "max_ms": round(samples[-1] * 1000, 3),
        "peak_rss_mb": round(rss_mb, 1),
    }, indent=2))


if __name__ == "__main__":
    main()
