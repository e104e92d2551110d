"""Numbers to call, as people type or upload them -> unique E.164 numbers, plus what was dropped and why."""

from __future__ import annotations

import csv
import io
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import PhoneNumberFormat, timezone

_SPLIT = re.compile(r"[,;，；、\n\r\t]+")
_PHONE_HEADER = re.compile(r"phone|mobile|number|tel|callee|号码|电话|手机", re.IGNORECASE)


@dataclass(frozen=True)
class Invalid:
    where: str  # "line 3" or "row 12": how the person finds it again
    text: str
    reason: str


@dataclass
class ParsedNumbers:
    numbers: list[str] = field(default_factory=list)  # E.164, first-seen order
    duplicates: int = 0
    invalid: list[Invalid] = field(default_factory=list)
    _seen: set[str] = field(default_factory=set, repr=False)

    def merge(self, other: ParsedNumbers) -> ParsedNumbers:
        merged = ParsedNumbers(invalid=self.invalid + other.invalid, duplicates=self.duplicates + other.duplicates)
        for number in [*self.numbers, *other.numbers]:
            merged._add(number)
        return merged

    def _add(self, e164: str) -> None:
        if e164 in self._seen:
            self.duplicates += 1
        else:
            self._seen.add(e164)
            self.numbers.append(e164)


def normalise(raw: str, region: str) -> str | None:
    """One entry -> E.164, or None when it is not a valid number (brackets, dots, dashes, `00` prefixes tolerated)."""
    try:
        parsed = phonenumbers.parse(raw, region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def _entries(chunk: str, region: str) -> list[str] | None:
    """A chunk is one number ("+86 130-1234-5670") or several separated by spaces ("13012345678 13012345679")."""
    whole = normalise(chunk, region)
    if whole is not None:
        return [whole]
    pieces = chunk.split()
    if len(pieces) > 1:
        found = [normalise(piece, region) for piece in pieces]
        if all(found):
            return [n for n in found if n]
    return None


def _entries_batch(chunks: list[str], region: str) -> list[list[str] | None]:
    """A worker's share of a large list (module level, so a process pool can run it)."""
    return [_entries(chunk, region) for chunk in chunks]


PARALLEL_FROM = 20_000  # below this, shipping work to other processes costs more than it saves


def _collect(items: Iterable[tuple[str, str]], region: str, executor: Executor | None = None) -> ParsedNumbers:
    """Normalise every entry in order; with an executor, large lists are split across its workers (phonenumbers'
    parse is the cost: about 20 µs a number)."""
    entries = list(items)
    chunks = [chunk for _, chunk in entries]
    if executor is not None and len(chunks) >= PARALLEL_FROM:
        size = -(-len(chunks) // (os.cpu_count() or 2))
        parts = [chunks[i:i + size] for i in range(0, len(chunks), size)]
        found = [r for part in executor.map(_entries_batch, parts, [region] * len(parts)) for r in part]
    else:
        found = _entries_batch(chunks, region)
    result = ParsedNumbers()
    for (where, chunk), numbers in zip(entries, found, strict=True):
        if numbers is None:
            result.invalid.append(Invalid(where, chunk, "not a valid phone number"))
            continue
        for number in numbers:
            result._add(number)
    return result


def parse_numbers(text: str, *, region: str = "CN") -> ParsedNumbers:
    """Typed numbers: one per line, or separated by commas, semicolons or spaces inside a line."""

    def chunks() -> Iterator[tuple[str, str]]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            for chunk in _SPLIT.split(line):
                if chunk.strip():
                    yield f"line {lineno}", chunk.strip()

    return _collect(chunks(), region)


def parse_csv(content: str, *, region: str = "CN", executor: Executor | None = None) -> ParsedNumbers:
    """An uploaded CSV or text file: a header row is detected, the phone column found (else the first column)."""
    sample = content[:4096]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(content), dialect)
    first = next(rows, None)
    if first is None:
        return ParsedNumbers()
    column, header = 0, False
    for index, cell in enumerate(first):
        if _PHONE_HEADER.search(cell):
            column, header = index, True
            break
    if not header and first and normalise(first[0].strip(), region) is None and not any(c.isdigit() for c in first[0]):
        header = True  # a header row without a recognisable phone column: use the first column

    def cells() -> Iterator[tuple[str, str]]:
        if not header:
            yield "row 1", first[column].strip() if column < len(first) else ""
        for rowno, row in enumerate(rows, start=2):
            if not row or not any(cell.strip() for cell in row):
                continue
            yield f"row {rowno}", row[column].strip() if column < len(row) else ""

    return _collect(cells(), region, executor)


def time_zones(e164: str) -> tuple[str, ...]:
    """The IANA zones a number may ring in (several for countries that span zones)."""
    zones = timezone.time_zones_for_number(phonenumbers.parse(e164, None))
    return tuple(z for z in zones if z != "Etc/Unknown")


def mask(e164: str) -> str:
    """For logs: enough to recognise a number, not enough to dial it."""
    return e164[:4] + "*" * max(0, len(e164) - 7) + e164[-3:]
