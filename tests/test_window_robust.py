"""parse_window on odd text: whatever a person types, the answer is a window or a WindowError, never a crash."""

from __future__ import annotations

import json
import random
from datetime import datetime
from pathlib import Path

import pytest

from bot.campaign.window import TimeWindow, WindowError, parse_window

NOW = datetime.fromisoformat("2026-11-25T10:00:00+08:00")
DATA = Path(__file__).parent / "data"
# Pieces of real windows in every language, so the generated text reaches deep into the rules, not just the first.
PIECES = sorted({piece for path in DATA.glob("window-corpus*.json")
                 for case in json.loads(path.read_text(encoding="utf-8"))
                 for piece in case["phrase"].split()}
                | {"3.12.", "12.3.", "12. 3.", "3/12/69", "2026. 12. 3.", "12.3", ".", "/", "-", ":", "~", "(", ")",
                   "(목)", "（木）", "0", "00", "24", "25時", "29時", "99", "2569", "69", "1.5", "t", "z", "+08:00",
                   "wib", "ngay", "hrs", "horas", "まで", "까지", "半", "ครึ่ง", "น.", "12:60", "31/02"})


def read(text: str, tz: str = "Asia/Shanghai", locale: str | None = None) -> TimeWindow | WindowError:
    try:
        return parse_window(text, tz=tz, now=NOW, locale=locale)
    except WindowError as exc:
        return exc


@pytest.mark.parametrize("text", ["3.12. 14:00-16:00", "12.3.", "12.3. 下午2点到4点", "12. 3.", "3.12.2026.",
                                  "26. 12. 3.", "1.5.", "12.3. 12.3.", "25時", "0時まで", "ngay", "/", "12.", ".12"])
def test_odd_dates_are_a_window_or_a_window_error(text: str) -> None:
    assert isinstance(read(text), TimeWindow | WindowError)


def test_rule_16_s_own_dotted_example_reads() -> None:
    window = read("3.12. 14:00-16:00", tz="Europe/Berlin", locale="de-DE")
    assert isinstance(window, TimeWindow)
    assert window.start.isoformat() == "2026-12-03T14:00:00+01:00"


def _odd_texts(count: int, seed: int) -> list[tuple[str, str, str | None]]:
    """Fixed-seed random text: up to seven pieces (corpus words, odd dates, stray characters) glued together."""
    rng = random.Random(seed)
    chars = "0123456789./-:~()年月日号時点시일まで까지 hwib"
    texts = []
    for _ in range(count):
        pieces = [rng.choice(PIECES) if rng.random() < 0.8 else "".join(rng.choices(chars, k=rng.randint(1, 4)))
                  for _ in range(rng.randint(1, 7))]
        texts.append((rng.choice(["", " ", "-", "."]).join(pieces),
                      rng.choice(["Asia/Shanghai", "America/Sao_Paulo", "Asia/Bangkok", "Europe/London"]),
                      rng.choice([None, "en-US", "ja-JP", "th-TH", "pt-BR"])))
    return texts


def test_any_text_is_a_window_or_a_window_error() -> None:
    for text, tz, locale in _odd_texts(3000, seed=12):
        assert isinstance(read(text, tz, locale), TimeWindow | WindowError), text
