"""Benchmark: parse_window in ten languages — warm p50/p99 over every corpus, the first parse after start-up warm-up
in each language (a fresh process per language), the whole bot's RSS with every language warm, and what each of
dateparser's locales costs in memory.

Run: python -m bench.window_parse
"""

from __future__ import annotations

import contextlib
import json
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from typing import Any

DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
LANGUAGES = ("en", "zh-Hans", "zh-Hant", "ja", "ko", "es", "pt", "id", "th", "vi")
DP_CODES = ("en", "zh", "zh-Hant", "ja", "ko", "es", "pt", "id", "th", "vi")


def corpus(language: str | None = None) -> list[dict[str, Any]]:
    files = [DATA / f"window-corpus.{language}.json"] if language else sorted(DATA.glob("window-corpus*.json"))
    return [case for path in files for case in json.loads(path.read_text(encoding="utf-8"))]


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _parse(case: dict[str, Any]) -> float:
    from bot.campaign.window import WindowError, parse_window

    now = datetime.fromisoformat(case["now"])
    t0 = time.perf_counter()
    with contextlib.suppress(WindowError):
        parse_window(case["phrase"], tz=case["tz"], now=now, locale=case.get("locale"))
    return time.perf_counter() - t0


def first_parse(language: str) -> None:
    """In a fresh process: the bot's start-up warm-up, then the first parse of this language, timed."""
    from bot.campaign.window import warm_up

    warm_up()
    cases = corpus(language)
    first = _parse(cases[0])
    print(json.dumps({"language": language, "phrase": cases[0]["phrase"], "first_ms": round(first * 1000, 3)}))


def whole_bot_rss() -> None:
    """In a fresh process: import the bot as `python -m bot serve` does, warm every language and load the default
    blocked regions' tables as start-up does (built in a child process), report RSS."""
    import bot.app  # the composition root: Bolt, SQLAlchemy, httpx, the domain
    import bot.web
    from bot.campaign.regions import DEFAULT_BLOCKED, BlockedRegions, parse_rules
    from bot.campaign.window import warm_up

    before = rss_mb()
    warm_up()
    for case in corpus():
        _parse(case)
    rules = parse_rules(DEFAULT_BLOCKED) or ()
    regions = BlockedRegions(rules)
    regions.use(bot.app.tables_in_child(rules))
    assert regions.region_of("+8613999123456") is not None and "phonenumbers.geodata" not in sys.modules
    print(json.dumps({"imported_mb": round(before, 1), "warm_all_languages_mb": round(rss_mb(), 1)}))


def dateparser_cost() -> None:
    """In a fresh process: RSS added by each dateparser locale the parser reads (its month/weekday/relative words)."""
    from dateparser.languages.loader import default_loader

    costs = {}
    base = rss_mb()
    for code in DP_CODES:
        before = rss_mb()
        default_loader.get_locale(code).info  # noqa: B018  (loading is the point)
        costs[code] = round(rss_mb() - before, 2)
    print(json.dumps({"dateparser_import_mb": round(base, 1), "per_locale_mb": costs,
                      "all_ten_mb": round(rss_mb() - base, 2)}))


def _child(mode: str, arg: str = "") -> dict[str, Any]:
    out = subprocess.run([sys.executable, "-m", "bench.window_parse", mode, arg], capture_output=True, text=True,
                         check=True).stdout
    return dict(json.loads(out.strip().splitlines()[-1]))


def main() -> None:
    started = time.perf_counter()
    from bot.campaign.window import warm_up

    imported = time.perf_counter()
    warm_up()
    warmed = time.perf_counter()
    cases = corpus()
    per_language = {lang: corpus(lang) for lang in LANGUAGES}
    samples: list[float] = []
    by_language: dict[str, list[float]] = {lang: [] for lang in LANGUAGES}
    for _ in range(50):
        for case in cases:
            samples.append(_parse(case))
        for lang, lang_cases in per_language.items():
            by_language[lang] += [_parse(case) for case in lang_cases]
    samples.sort()
    firsts = [_child("first", lang) for lang in LANGUAGES]
    print(json.dumps({
        "import_ms": round((imported - started) * 1000, 1),
        "warm_up_ms": round((warmed - imported) * 1000, 1),
        "cases": len(cases),
        "parses": len(samples),
        "p50_ms": round(statistics.median(samples) * 1000, 3),
        "p99_ms": round(samples[int(len(samples) * 0.99)] * 1000, 3),
        "max_ms": round(samples[-1] * 1000, 3),
        "p99_ms_by_language": {lang: round(sorted(s)[int(len(s) * 0.99)] * 1000, 3) for lang, s in by_language.items()},
        "first_parse_after_warm_up_ms": {f["language"]: f["first_ms"] for f in firsts},
        "whole_bot": _child("rss"),
        "dateparser": _child("dateparser"),
    }, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "first":
        first_parse(sys.argv[2])
    elif len(sys.argv) > 1 and sys.argv[1] == "rss":
        whole_bot_rss()
    elif len(sys.argv) > 1 and sys.argv[1] == "dateparser":
        dateparser_cost()
    else:
        main()
