"""Benchmark: numbers at scale.

- normalising and de-duplicating 100,000 numbers from a CSV (target <= 2 s), Chinese mobiles and US numbers, with the
  process pool the app uses, and
  the peak RSS of this process before and after (memory should stay flat across repeats);
- a 10,000-number file from pressing Preview to the created campaign in the thread (target <= 5 s), through the
  real app and the fakes.

Run: python -m bench.numbers
"""

from __future__ import annotations

import json
import random
import resource
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

from bot.campaign.numbers import parse_csv
from tests.harness import FORM, start_stack


def rss_mb() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def csv_of(count: int, seed: int) -> str:
    """Chinese mobiles as people export them: national, +86 and 0086 forms."""
    rng = random.Random(seed)
    rows = [f"{rng.choice(['', '+86 ', '0086'])}13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)},c{i}"
            for i in range(count)]
    return "phone,name\n" + "\n".join(rows)


def us_csv_of(count: int, seed: int) -> str:
    """North American numbers as people write them: +1 (212) 555-0100."""
    rng = random.Random(seed)
    area = ["212", "415", "312", "617", "206", "303", "512", "404"]
    rows = [f"+1 ({rng.choice(area)}) {rng.randint(200, 999)}-{rng.randint(1000, 9999)},c{i}" for i in range(count)]
    return "phone,name\n" + "\n".join(rows)


def uk_csv_of(count: int, seed: int) -> str:
    """UK mobiles: no fast path, every one takes phonenumbers' full parse (the worst case)."""
    rng = random.Random(seed)
    rows = [f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)},c{i}" for i in range(count)]
    return "phone,name\n" + "\n".join(rows)


def normalise_100k(content: str) -> dict[str, object]:
    timings = []
    rss = []
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        parse_csv("phone\n13012345670\n" * 1, executor=pool)
        list(pool.map(abs, [1, 2]))  # workers up, as in a running app
        for _ in range(5):
            started = time.perf_counter()
            parsed = parse_csv(content, executor=pool)
            timings.append(time.perf_counter() - started)
            rss.append(rss_mb())
        started = time.perf_counter()
        parse_csv(content)
        single = time.perf_counter() - started
    return {"numbers": len(parsed.numbers), "duplicates": parsed.duplicates,
            "seconds_each_of_5_runs": [round(t, 2) for t in timings], "seconds_single_process": round(single, 2),
            "peak_rss_mb_after_each_run": rss}


def pool_first_start() -> dict[str, float]:
    """The app starts its workers lazily: the first large file pays for starting them."""
    content = csv_of(25_000, 5)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        started = time.perf_counter()
        parse_csv(content, executor=pool)
        first = time.perf_counter() - started
        started = time.perf_counter()
        parse_csv(content, executor=pool)
        warm = time.perf_counter() - started
    return {"first_25k_file_s": round(first, 2), "next_25k_file_s": round(warm, 2)}


def file_to_campaign() -> dict[str, object]:
    rng = random.Random(7)
    numbers = sorted({f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" for _ in range(10_050)})[:10_000]
    content = ("phone\n" + "\n".join(numbers)).encode()
    with tempfile.TemporaryDirectory() as tmp:
        stack = start_stack(Path(tmp))
        try:
            stack.preview(FORM)  # caches and workers warm, as in a running deployment
            stack.reset()
            uploaded = stack.slack.upload("big.csv", content)
            view = stack.open_form()
            view["id"] = "V_FORM"
            started = time.monotonic()
            stack.driver.submit(view, {**FORM, "callees": "", "callees_file": [uploaded]})
            preview = stack.slack.wait_for("views.update", 1, timeout=60)[-1].params["view"]
            checked = time.monotonic()
            stack.driver.submit(preview)
            deadline = time.monotonic() + 60
            while not [c for c in stack.slack.of("chat.postMessage") if c.params.get("thread_ts")]:
                if time.monotonic() > deadline:
                    raise TimeoutError
                time.sleep(0.005)
            done = time.monotonic()
            callees = len(stack.ccc.creates()[0].params["Callees"])
        finally:
            stack.close()
    return {"callees_sent": callees, "preview_ready_s": round(checked - started, 2),
            "launch_to_thread_s": round(done - checked, 2),
            "total_excluding_human_s": round(done - started, 2)}


def main() -> None:
    print(json.dumps({"normalise_100k_chinese_mobiles": normalise_100k(csv_of(100_000, 1)),
                      "normalise_100k_us_numbers": normalise_100k(us_csv_of(100_000, 2)),
                      "normalise_100k_uk_numbers_full_parse": normalise_100k(uk_csv_of(100_000, 3)),
                      "worker_pool_first_start": pool_first_start(),
                      "file_10k_to_campaign": file_to_campaign()}, indent=2))


if __name__ == "__main__":
    main()
