"""Benchmark: reading one 10 MB upload (the largest Slack lets a file_input take) — time and extra memory.

Each case runs in a fresh process: the file's bytes are made, peak RSS is reset, then the bytes are decoded and
parsed exactly as the app does after the download (bot.slack.files.decode_file, then parse_csv with the app's
process pool). Targets: <= 5 s and <= 100 MB above the process's RSS before the parse, whatever the content.

Run: python -m bench.files            (all cases; one JSON object)
     python -m bench.files CASE       (one case: valid, full_parse, junk, utf16, one_line, long_cells)
"""

from __future__ import annotations

import json
import random
import resource
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context

SIZE = 10 * 1024 * 1024
CASES = ("valid", "full_parse", "junk", "utf16", "one_line", "long_cells")


def content(case: str) -> bytes:
    rng = random.Random(11)
    if case == "valid":  # Chinese mobiles, one per line: ~870,000 numbers
        lines = ["phone"]
        while sum(map(len, lines)) + len(lines) < SIZE:
            lines.extend(f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" for _ in range(10_000))
        return "\n".join(lines).encode()[:SIZE]
    if case == "full_parse":  # UK mobiles: no fast path, phonenumbers' full parse for every one
        lines = ["phone"]
        while sum(map(len, lines)) + len(lines) < SIZE:
            lines.extend(f"+44 7{rng.randint(100, 999)} {rng.randint(100000, 999999)}" for _ in range(10_000))
        return "\n".join(lines).encode()[:SIZE]
    if case == "junk":  # text that is no number at all: a log file attached by mistake
        words = ["lorem", "ipsum", "dolor", "sit", "amet", "2026-11-25", "ERROR", "user=42", "电话", "tel:"]
        lines = []
        while sum(map(len, lines)) + len(lines) < SIZE:
            lines.extend(" ".join(rng.choices(words, k=6)) for _ in range(10_000))
        return "\n".join(lines).encode()[:SIZE]
    if case == "utf16":  # Excel's "Unicode Text": UTF-16 LE with BOM, tab-separated
        rows = ["姓名\t手机号码\t备注"]
        while sum(map(len, rows)) * 2 < SIZE:
            rows.extend(f"客户{i}\t13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}\tvip"
                        for i in range(10_000))
        return "\r\n".join(rows).encode("utf-16")[:SIZE]
    if case == "one_line":  # no line break at all
        return b"1" * SIZE
    if case == "long_cells":  # 10 KB cells of digits and separators
        return b"phone,notes\n" + (b"13012345678," + b"1 2-3 " * 1700 + b"\n") * (SIZE // 10_230)
    raise SystemExit(f"unknown case {case}; one of {', '.join(CASES)}")


def _status(field: str) -> float:
    with open("/proc/self/status") as status:
        line = next(line for line in status if line.startswith(field))
    return int(line.split()[1]) / 1024


def run_case(case: str) -> dict[str, object]:
    from bot.campaign.draft import MAX_CALLEES
    from bot.campaign.numbers import parse_csv
    from bot.slack.files import decode_file

    data = content(case)
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        parse_csv("phone\n13012345670\n", executor=pool)
        list(pool.map(abs, [1, 2]))  # workers up, as in a running app
        with open("/proc/self/clear_refs", "w") as refs:
            refs.write("5")  # peak RSS := current RSS
        before = _status("VmRSS:")
        started = time.perf_counter()
        text = decode_file("upload.csv", data)
        parsed = parse_csv(text, region="CN", executor=pool, keep=MAX_CALLEES)  # as the app reads it
        seconds = time.perf_counter() - started
        peak = _status("VmHWM:")
    return {"bytes": len(data), "seconds": round(seconds, 2), "extra_rss_mb": round(peak - before, 1),
            "worker_peak_rss_mb": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1),
            "numbers": len(parsed.numbers), "stopped": parsed.stopped,
            "invalid": parsed.invalid_count}


def main() -> None:
    if len(sys.argv) > 1:
        print(json.dumps(run_case(sys.argv[1])))
        return
    results = {}
    for case in CASES:
        done = subprocess.run([sys.executable, "-m", "bench.files", case], capture_output=True, text=True,
                              timeout=600)
        results[case] = json.loads(done.stdout) if done.returncode == 0 else {"error": done.stderr[-500:]}
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
