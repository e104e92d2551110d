"""The do-not-call list as people manage it: reading what they typed or uploaded, changing entries, auditing it all."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.campaign.dnc_ports import ComplianceStore, DncEntry, Running
from bot.campaign.numbers import MAX_JUNK, ParsedNumbers, parse_numbers
from bot.campaign.ports import AuditEvent, CampaignStore, Requester

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


def parse_expiry(text: str, tz: str) -> datetime | None:
    """"2026-12-31" (to the end of that day in `tz`) or an ISO time -> an aware moment; "" -> never. ValueError
    else."""
    text = text.strip()
    if not text:
        return None
    if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
        day = datetime.strptime(text, "%Y-%m-%d").date() + timedelta(days=1)
        return datetime.combine(day, time(0), ZoneInfo(tz))
    moment = datetime.fromisoformat(text)
    return moment if moment.tzinfo else moment.replace(tzinfo=ZoneInfo(tz))


@dataclass
class Upload:
    entries: list[tuple[str, str, datetime | None]]
    problems: list[str]  # the first few rows that could not be used, in words
    skipped: int  # how many rows could not be used
    error: str = ""  # the whole file is refused: nothing is added


def read_upload(parsed: ParsedNumbers, *, default_reason: str, tz: str, now: datetime) -> Upload:
    """A parsed file -> entries; a bad expiry is the row's problem, never a silent "forever"."""
    entries: list[tuple[str, str, datetime | None]] = []
    problems = [f"{bad.where}: '{bad.text[:30]}' is not a phone number" for bad in parsed.invalid]
    if parsed.stopped == "junk":  # never list the part of a file read before it stopped
        return Upload([], problems, parsed.invalid_count, error=(
            f"More than {MAX_JUNK:,} rows of this file are not phone numbers, so it was not read to the end. Check "
            "that it is the right file and that the phone column holds only numbers."))
    skipped = parsed.invalid_count
    for number in parsed.numbers:
        extra = parsed.extras.get(number, {})
        try:
            expires = parse_expiry(extra.get("expires", ""), tz)
        except ValueError:
            skipped += 1
            problems.append(f"{number}: the expiry '{extra.get('expires', '')[:30]}' is not a date like 2026-12-31")
            continue
        if expires is not None and expires <= now:
            skipped += 1
            problems.append(f"{number}: the expiry {extra.get('expires')} has passed")
            continue
        entries.append((number, (extra.get("reason") or default_reason)[:MAX_REASON], expires))
    return Upload(entries, problems, skipped)


class DoNotCall:
    def __init__(self, store: ComplianceStore, campaigns: CampaignStore) -> None:
        self._list = store
        self._campaigns = campaigns  # its audit trail

    async def add(self, who: Requester, entries: list[tuple[str, str, datetime | None]], now: datetime, *,
                  source: str, **detail: Any) -> list[Running]:
        """Put numbers on the list; the campaigns still running that call them (CCC cannot drop one number)."""
        await self._list.add(who.team_id, entries, by=who.user_id, at=now)
        await self.audit(who, "dnc_add", now, source=source, count=len(entries), **detail,
                         entries=[{"number": n, "reason": r, "expires": e.isoformat() if e else None}
                                  for n, r, e in entries])
        return await self._list.running(who.team_id, [n for n, _, _ in entries], now)

    async def remove(self, who: Requester, numbers: list[str], now: datetime) -> list[str]:
        removed = await self._list.remove(who.team_id, numbers)
        await self.audit(who, "dnc_remove", now, numbers=removed, not_listed=[n for n in numbers if n not in removed])
        return removed

    async def check(self, who: Requester, number: str, now: datetime) -> tuple[DncEntry | None, list[Running]]:
        found = await self._list.entries(who.team_id, [number], now)
        return found.get(number), await self._list.running(who.team_id, [number], now)

    async def audit(self, who: Requester, action: str, now: datetime, **detail: Any) -> None:
        # The entries themselves are the subject here, so they are kept whole (a removed one is otherwise lost).
        await self._campaigns.audit(AuditEvent(at=now, requester=who, action=action, detail=detail))
