"""Finds English left in a text meant for another language: runs of two or more common English words, once what is
never translated is set aside (Slack tokens, `code`, e-mail addresses, URLs, :emoji: and ids)."""

from __future__ import annotations

import json
import re
from typing import Any

# Words any English sentence of ours is made of; a name or an id rarely puts two of them side by side.
COMMON = frozenset(word for word in """
a an the is are was were be been has have had will would may can could should not no nothing yet again only also
to of in on at for with from by as or and but if then than so this that these those it its you your we our they
their he she who what when where which how all any some each every one per more less most least here there now
campaign campaigns number numbers call calls calling caller callers called agent agents launch launched launching
preview form time zone window order custom data error code check checked checking try back cancel close sent send
line row file files list hours hour minutes minute runs run recent none created create creating found find type
value values use unknown outcome status failed working name names numbers list unavailable full random
""".split())  # noqa: SIM905
_SET_ASIDE = re.compile(
    r"<[^>]*>"  # Slack tokens: <!date^…>, <@U…>, <#C…>, links
    r"|`[^`]*`"  # code: commands, ids, error codes
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"  # e-mail addresses
    r"|https?://\S+"
    r"|:[a-z0-9_+-]+:"  # emoji codes
)
_WORD = re.compile(r"[A-Za-z]+(?:'[A-Za-z]+)?")


def english_runs(text: str) -> list[str]:
    """Every run of ≥ 2 adjacent common English words (separated only by spaces and simple punctuation)."""
    found: list[str] = []
    for chunk in re.split(r"[^\sA-Za-z',-]+", _SET_ASIDE.sub("|", text)):  # other scripts and symbols end a run
        run: list[str] = []
        for word in _WORD.findall(chunk):
            if word.lower() in COMMON:
                run.append(word)
                continue
            if len(run) >= 2:
                found.append(" ".join(run))
            run = []
        if len(run) >= 2:
            found.append(" ".join(run))
    return found


def texts(obj: Any) -> list[str]:
    """Every string a person reads in a view or message: text fields, labels, hints, placeholders, options."""
    found: list[str] = []
    if isinstance(obj, dict):
        for key, value in obj.items():
            if key in ("text", "title", "submit", "close", "label", "hint", "placeholder") and isinstance(value, str):
                found.append(value)
            elif key not in ("private_metadata", "action_id", "block_id", "callback_id", "value", "initial_value",
                             "type", "url"):
                found += texts(value)
    elif isinstance(obj, list):
        for item in obj:
            found += texts(item)
    return found


def english_in(obj: Any) -> list[str]:
    """The English runs anywhere in a view, a message or a list of either; [] when none is left."""
    if isinstance(obj, str):
        return english_runs(obj)
    return [run for text in texts(obj) for run in english_runs(text)] + (
        [] if not isinstance(obj, dict) else [f"(json) {run}" for run in english_runs(_errors(obj))])


def _errors(obj: dict[str, Any]) -> str:
    errors = obj.get("errors")
    return json.dumps(errors, ensure_ascii=False) if isinstance(errors, dict) else ""
