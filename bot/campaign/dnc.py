"""The do-not-call list as people manage it: reading what they typed or uploaded, changing entries, auditing it all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.campaign.numbers import ParsedNumbers, parse_numbers
from bot.campaign.service import Requester
from bot.store.dnc import DncEntry, Running
from bot.store.repository import Store

MAX_REASON = 500
COLUMNS = {"reason": re.compile(r"reason|why|note|原因|备注", re.IGNORECASE),
           "expires": re.compile(r"expir|until|valid|到期|截止|有效期", re.IGNORECASE)}
_NUMBERISH = re.compile(r"[+\d][\d\s().,;+\-]*")


@dataclass
class Typed:
    """`dnc add 13012345670 +8613012345671 asked not to be called`: numbers first, then the reason."""

    numbers: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)
    reason: str = ""


def read_typed(words: list[str], region: str) -> Typed:
    """Numbers are read as in the launch form ("+86 130 1234 5670" is one); the first word with a letter starts the
    reason."""
    cut = next((i for i, word in enumerate(words) if not _NUMBERISH.fullmatch(word)), len(words))
    parsed = parse_numbers(" ".join(words[:cut]), region=region)
    return Typed(numbers=parsed.numbers, invalid=[bad.text for bad in parsed.invalid],
                 reason=" ".join(words[cut:])[:MAX_REASON])


def parse_expiry(text: str, tz: str) -> int | None:
    """"2026-12-31" (to the end of that day in `tz`) or an ISO time -> epoch seconds; "" -> never. ValueError else."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        day = datetime.strptime(text, "%Y-%m-%d").date() + timedelta(days=1)
        return int(datetime.combine(day, time(0), ZoneInfo(tz)).timestamp())
    moment = datetime.fromisoformat(text)
    return int((moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))).timestamp())


@dataclass
class Upload:
    entries: list[tuple[str, str, int | None]]
    problems: list[str]  # rows that could not be read, in words


def read_upload(parsed: ParsedNumbers, *, default_reason: str, tz: str, now: datetime) -> Upload:
    """A parsed file -> entries; a bad expiry is the row's problem, never a silent "forever"."""
    entries: list[tuple[str, str, int | None]] = []
    problems = [f"{bad.where}: '{bad.text[:30]}' is not a phone number" for bad in parsed.invalid]
    for number in parsed.numbers:
        extra = parsed.extras.get(number, {})
        try:
            expires = parse_expiry(extra.get("expires", ""), tz)
        except ValueError:
            problems.append(f"{number}: the expiry '{extra.get('expires', '')[:30]}' is not a date like 2026-12-31")
            continue
        if expires is not None and expires <= now.timestamp():
            problems.append(f"{number}: the expiry {extra.get('expires')} has passed")
            continue
        entries.append((number, (extra.get("reason") or default_reason)[:MAX_REASON], expires))
    return Upload(entries, problems)


class DoNotCall:
    def __init__(self, store: Store) -> None:
        self._store = store
        self._list = store.compliance

    async def add(self, who: Requester, entries: list[tuple[str, str, int | None]], now: datetime, *,
                  source: str, **detail: Any) -> list[Running]:
        """Put numbers on the list; the campaigns still running that call them (CCC cannot drop one number)."""
        at = int(now.timestamp())
        await self._list.add(who.team_id, entries, by=who.user_id, at=at)
        await self.audit(who, "dnc_add", now, source=source, count=len(entries), **detail,
                         entries=[{"number": n, "reason": r, "expires_at": e} for n, r, e in entries])
        return await self._list.running(who.team_id, [n for n, _, _ in entries], at)

    async def remove(self, who: Requester, numbers: list[str], now: datetime) -> list[str]:
        removed = await self._list.remove(who.team_id, numbers)
        await self.audit(who, "dnc_remove", now, numbers=removed, not_listed=[n for n in numbers if n not in removed])
        return removed

    async def check(self, who: Requester, number: str, now: datetime) -> tuple[DncEntry | None, list[Running]]:
        at = int(now.timestamp())
        found = await self._list.entries(who.team_id, [number], at)
        return found.get(number), await self._list.running(who.team_id, [number], at)

    async def audit(self, who: Requester, action: str, now: datetime, **detail: Any) -> None:
        # The entries themselves are the subject here, so they are kept whole (a removed one is otherwise lost).
        await self._store.audit(at=int(now.timestamp()), team_id=who.team_id, user_id=who.user_id,
                                channel_id=who.channel_id, action=action, detail=detail)
