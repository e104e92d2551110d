"""Numbers to call, as people type or upload them -> unique E.164 numbers, plus what was dropped and why."""

from __future__ import annotations

import csv
import itertools
import os
import re
from collections.abc import Iterable, Iterator
from concurrent.futures import Executor
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers
from phonenumbers import PhoneNumberFormat, timezone

_SPLIT = re.compile(r"[,;，；、\n\r\t]+")
MAX_ENTRY = 64  # characters: longer is no phone number however it is written, and is not worth parsing
EXAMPLES = 5  # invalid entries kept to show; the rest are only counted (a junk file has hundreds of thousands)
BATCH = 10_000  # entries normalised at a time: a large file is streamed, never held as one list
MAX_JUNK = 10_000  # non-empty entries that are no number: past this a file is not a list of numbers, and is refused
_PIECE = re.compile(r"\+?[0-9][0-9().-]*")
_PHONE_HEADER = re.compile(r"phone|mobile|\bnumber|\btel\b|telephone|callee|msisdn|号码|电话|手机", re.IGNORECASE)


@dataclass(frozen=True)
class Invalid:
    where: str  # "line 3" or "row 12": how the person finds it again
    text: str


@dataclass
class ParsedNumbers:
    numbers: list[str] = field(default_factory=list)  # E.164, first-seen order
    duplicates: int = 0
    invalid: list[Invalid] = field(default_factory=list)  # the first EXAMPLES of them
    extras: dict[str, dict[str, str]] = field(default_factory=dict)  # E.164 -> other named columns of its row
    invalid_count: int = 0
    stopped: Literal["", "cap", "junk"] = ""  # reading stopped early: over `keep` numbers, or over MAX_JUNK bad ones
    _junk: int = field(default=0, repr=False)
    _seen: set[str] = field(default_factory=set, repr=False)

    def merge(self, other: ParsedNumbers) -> ParsedNumbers:
        merged = ParsedNumbers(invalid=(self.invalid + other.invalid)[:EXAMPLES],
                               invalid_count=self.invalid_count + other.invalid_count,
                               duplicates=self.duplicates + other.duplicates,
                               stopped=self.stopped or other.stopped)
        for number in [*self.numbers, *other.numbers]:
            merged._add(number)
        return merged

    def _reject(self, where: str, text: str) -> None:
        self.invalid_count += 1
        self._junk += bool(text)  # an empty phone cell is common in exports and costs nothing
        if len(self.invalid) < EXAMPLES:
            self.invalid.append(Invalid(where, text[:MAX_ENTRY]))

    def _add(self, e164: str) -> None:
        if e164 in self._seen:
            self.duplicates += 1
        else:
            self._seen.add(e164)
            self.numbers.append(e164)


# Plain Chinese mobiles and North American numbers make up most real lists. For them phonenumbers.parse (~13 µs,
# most of the cost) always yields the same country code and national number as these patterns, so that object is
# built directly and phonenumbers still decides validity. tests/test_numbers.py checks the result against
# phonenumbers.parse itself on generated input across regions.
_CN_MOBILE = re.compile(r"(?:\+86|0086)?(1\d{10})")
_NANP = re.compile(r"(?:\+?1)?([2-9]\d{9})")
_PUNCTUATION = str.maketrans("", "", " -.()\t")


def _plain(raw: str, region: str) -> phonenumbers.PhoneNumber | None:
    """The number when `raw` is plainly one of the two common shapes, else None (phonenumbers.parse decides)."""
    compact = raw.translate(_PUNCTUATION)
    # "0086" means "international" only where 00 dials out, and a national number only in its own region.
    if (match := _CN_MOBILE.fullmatch(compact)) and (region == "CN" or compact.startswith("+86")):
        return phonenumbers.PhoneNumber(country_code=86, national_number=int(match.group(1)))
    if (match := _NANP.fullmatch(compact)) and (region in ("US", "CA") or compact.startswith("+1")):
        return phonenumbers.PhoneNumber(country_code=1, national_number=int(match.group(1)))
    return None


def normalise(raw: str, region: str) -> str | None:
    """One entry -> E.164, or None when it is not a valid number (brackets, dots, dashes, `00` prefixes tolerated)."""
    parsed = _plain(raw, region)
    if parsed is None:
        try:
            parsed = phonenumbers.parse(raw, region)
        except phonenumbers.NumberParseException:
            return None
    if not phonenumbers.is_valid_number(parsed):
        return None
    return phonenumbers.format_number(parsed, PhoneNumberFormat.E164)


def _entries(chunk: str, region: str) -> list[str] | None:
    """A chunk is one number ("+86 130-1234-5670") or several separated by spaces ("13012345678 13012345679").
    The work per chunk is bounded: a long one, or one without a digit, is refused unparsed; pieces are tried only
    when each looks like a number."""
    if len(chunk) > MAX_ENTRY or not any(c.isdigit() for c in chunk):
        return None
    whole = normalise(chunk, region)
    if whole is not None:
        return [whole]
    pieces = chunk.split()
    if len(pieces) > 1 and all(_PIECE.fullmatch(piece) for piece in pieces):
        found = [normalise(piece, region) for piece in pieces]
        if all(found):
            return [n for n in found if n]
    return None


def _entries_batch(chunks: list[str], region: str) -> list[list[str] | None]:
    """A worker's share of a large list (module level, so a process pool can run it)."""
    return [_entries(chunk, region) for chunk in chunks]


PARALLEL_FROM = 10_000  # below this, shipping work to other processes costs more than it saves


def _collect(items: Iterable[tuple[int, str]], unit: str, region: str, executor: Executor | None = None,
             keep: int | None = None, extras: dict[int, dict[str, str]] | None = None) -> ParsedNumbers:
    """Normalise every entry in order, BATCH at a time; with an executor, large batches are split across its workers
    (phonenumbers' parse is the cost: about 20 µs a number). Once more than `keep` numbers, or more than MAX_JUNK
    entries that are no number, are found, reading stops: such a list is refused anyway, and reading all of a 10 MB
    one would cost tens of seconds."""
    result = ParsedNumbers()
    entries = iter(items)
    while batch := list(itertools.islice(entries, BATCH)):
        if keep is not None and len(result.numbers) > keep:
            result.stopped = "cap"
        elif result._junk > MAX_JUNK:
            result.stopped = "junk"
        if result.stopped:
            break
        chunks = [chunk for _, chunk in batch]
        if executor is not None and len(chunks) >= PARALLEL_FROM:
            size = -(-len(chunks) // (os.cpu_count() or 2))
            parts = [chunks[i:i + size] for i in range(0, len(chunks), size)]
            found = [r for part in executor.map(_entries_batch, parts, [region] * len(parts)) for r in part]
        else:
            found = _entries_batch(chunks, region)
        for (where, chunk), numbers in zip(batch, found, strict=True):
            if numbers is None:
                result._reject(f"{unit} {where}", chunk)
                continue
            for number in numbers:
                result._add(number)
                if extras is not None and where in extras:
                    result.extras.setdefault(number, extras[where])
        if extras is not None:  # this batch's rows are done with: never more than a batch of them held
            for where, _ in batch:
                extras.pop(where, None)
    return result


def parse_numbers(text: str, *, region: str = "CN") -> ParsedNumbers:
    """Typed numbers: one per line, or separated by commas, semicolons or spaces inside a line."""

    def chunks() -> Iterator[tuple[int, str]]:
        for lineno, line in enumerate(text.splitlines(), start=1):
            for chunk in _SPLIT.split(line):
                if chunk.strip():
                    yield lineno, chunk.strip()

    return _collect(chunks(), "line", region)


def parse_csv(content: str, *, region: str = "CN", executor: Executor | None = None,
              keep: int | None = None, columns: dict[str, re.Pattern[str]] | None = None) -> ParsedNumbers:
    """An uploaded CSV or text file. The first row is a header when none of its cells is a phone number; the phone
    column is the one whose header says so, else the first one holding a number, else the first. Row numbers are
    the spreadsheet's (the header is row 1). Rows are streamed, BATCH at a time; reading stops after `keep`
    numbers. Only the phone column's cells are kept, never the parsed rows. A row the CSV reader cannot read (an
    unclosed quote running past 128 KB) is an invalid row.

    `columns`: other columns to keep, found by header (name -> pattern); their cells land in `extras`."""
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(content[:4096], delimiters=",;\t|")
    except csv.Error:
        dialect = csv.excel
    rows = ((number, row) for number, row in _rows(csv.reader(_lines(content), dialect))
            if any(cell.strip() for cell in row))
    head = list(itertools.islice(rows, 2))
    if not head:
        return ParsedNumbers()
    header = all(normalise(cell.strip(), region) is None for cell in head[0][1])
    data = head[1:] if header else head
    column = _phone_column(head[0][1] if header else [], data[0][1] if data else [], region)
    wanted = {name: index for name, pattern in (columns or {}).items() if header
              for index, cell in enumerate(head[0][1]) if index != column and pattern.search(cell)}
    extras: dict[int, dict[str, str]] = {}

    def cells() -> Iterator[tuple[int, str]]:
        for number, row in itertools.chain(data, rows):
            if wanted:
                extras[number] = {name: row[i].strip() for name, i in wanted.items() if i < len(row)}
            yield number, row[column].strip() if column < len(row) else ""

    return _collect(cells(), "row", region, executor, keep, extras if wanted else None)


def _lines(text: str) -> Iterator[str]:
    """Lines with their endings, as csv.reader wants them, without a second copy of the text (io.StringIO holds
    one at 4 bytes a character)."""
    start, size = 0, len(text)
    while start < size:
        end = text.find("\n", start)
        end = size if end < 0 else end + 1
        yield text[start:end]
        start = end


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    number = 0
    while True:
        number += 1
        try:
            yield number, next(reader)
        except StopIteration:
            return
        except csv.Error:
            yield number, ["\ufffd"]  # shown as one invalid row where it happened


def _phone_column(header: list[str], sample: list[str], region: str) -> int:
    for index, cell in enumerate(header):
        if _PHONE_HEADER.search(cell):
            return index
    for index, cell in enumerate(sample):
        if normalise(cell.strip(), region) is not None:
            return index
    return 0


def time_zones(e164: str) -> tuple[str, ...]:
    """The IANA zones a number may ring in (several for countries that span zones)."""
    zones = timezone.time_zones_for_number(phonenumbers.parse(e164, None))
    return tuple(z for z in zones if z != "Etc/Unknown")


def region_label(region: str) -> str:
    """"CN (+86)": how the default region is named to people."""
    return f"{region} (+{phonenumbers.country_code_for_region(region)})"


def mask(e164: str) -> str:
    """For logs: enough to recognise a number, not enough to dial it."""
    return e164[:4] + "*" * max(0, len(e164) - 7) + e164[-3:]
