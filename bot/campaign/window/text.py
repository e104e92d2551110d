"""Text before lexing: one form for what people type many ways (full-width forms, wave dashes, Thai digits and
abbreviation dots, a.m.), emoji and Slack emoji codes dropped (rule 18)."""

from __future__ import annotations

import re
import unicodedata

_EMOJI = re.compile(r"(?<![\w:]):[a-z][a-z0-9_+\-]*:(?![\w])|[\U0001F000-\U0001FAFF\u2600-\u27BF\uFE0F\u200D]")
_WAVES = str.maketrans({"〜": "~", "～": "~", "〰": "~", "−": "-", "－": "-", "﹣": "-", "‐": "-", "‑": "-"})
_THAI_ABBREVIATION = re.compile(r"(?<=[\u0E00-\u0E7F])\.(?=[\u0E00-\u0E7F])|(?<=[\u0E01-\u0E2E]\.[\u0E01-\u0E2E])\.")


def normalise(text: str) -> str:
    text = _EMOJI.sub(" ", unicodedata.normalize("NFKC", text).lower()).translate(_WAVES)
    text = "".join(str(unicodedata.digit(c)) if "\u0e50" <= c <= "\u0e59" else c for c in text)  # Thai digits
    text = _THAI_ABBREVIATION.sub("", text)  # ธ.ค. -> ธค, the spelling dateparser's Thai month names use
    text = re.sub(r"\b([ap])\.\s?m\.?", r"\1m", text)
    return re.sub(r"\s+", " ", text).strip()
