"""parse_window on odd text: whatever a person types, the answer is a window or a WindowError, never a crash."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(PIECES) | st.text(max_size=4), max_size=7),
       st.sampled_from(["", " ", "-", "."]),
       st.sampled_from(["Asia/Shanghai", "America/Sao_Paulo", "Asia/Bangkok", "Europe/London"]),
       st.sampled_from([None, "en-US", "ja-JP", "th-TH", "pt-BR"]))
def test_any_text_is_a_window_or_a_window_error(pieces: list[str], glue: str, tz: str, locale: str | None) -> None:
    assert isinstance(read(glue.join(pieces), tz, locale), TimeWindow | WindowError)
