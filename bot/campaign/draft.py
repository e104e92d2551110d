"""CampaignDraft: the form as the requester typed it -> a checked campaign, or an error message per field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.campaign.numbers import MAX_JUNK, ParsedNumbers, parse_numbers
from bot.campaign.text import Text, lazy, lazy_plural
from bot.campaign.window import Reason, TimeWindow, WindowError, parse_window
from bot.campaign.window.messages import describe, window_error

FieldName = Literal["name", "agent", "callees", "callees_file", "callers", "window", "concurrency", "call_order",
                    "uui"]

MAX_UUI = 1024
# One agent, at most 24 h, at most 20 concurrent calls: even at 30 s a call that is 57,600 calls, so a longer list
# can never be worked through by one campaign. 50,000 E.164 numbers are ~0.9 MB of JSON (a TC3 request may carry
# 10 MB), and reading that many from the worst file stays inside 5 s. DIALCAMPAIGN_MAX_CALLEES changes it.
MAX_CALLEES = 50_000
MAX_NAME = 200
MAX_WINDOW = 200  # a window is a phrase: longer text is refused before the parser spends time on it
MAX_AHEAD = timedelta(days=30)
MAX_LENGTH = timedelta(hours=24)
_AGENT = re.compile(r"^[^\s@]+@[^\s@]+$")


@dataclass(frozen=True)
class FormInput:
    """Every field as text, exactly as the modal delivered it."""

    name: str = ""
    agent: str = ""
    callees: str = ""
    callers: tuple[str, ...] = ()
    window: str = ""
    concurrency: str = "1"
    call_order: str = "1"
    uui: str = ""


class CampaignDraft(BaseModel):
    """A campaign that satisfies every rule of CreateAgentCruiseDialingCampaign."""

    model_config = ConfigDict(frozen=True)

    name: str = Field(min_length=1, max_length=MAX_NAME)
    agent: str = Field(min_length=1)
    callees: list[str] = Field(min_length=1)
    callers: list[str]
    start: datetime
    end: datetime
    tz: str
    concurrency: int = Field(ge=1, le=20)
    call_order: Literal[0, 1]
    uui: str = Field(default="", max_length=MAX_UUI)
    duplicates: int = 0
    invalid: int = 0  # rows of an uploaded file that were skipped
    invalid_examples: list[str] = Field(default_factory=list)
    readings: list[str] = Field(default_factory=list)  # every guess made reading the window, in words (rule 15)
    removed: dict[str, list[str]] = Field(default_factory=dict)  # compliance: reason -> masked numbers taken out

    @property
    def duration_text(self) -> str:
        elapsed = self.end.astimezone(UTC) - self.start.astimezone(UTC)  # wall-time subtraction lies across DST
        hours, minutes = divmod(int(elapsed.total_seconds() // 60), 60)
        return " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part)


@dataclass
class DraftInvalid(Exception):
    errors: dict[FieldName, str] = field(default_factory=dict)


def window_message(reason: Reason, language: str) -> str:
    return window_error(reason, language)


def check_window(text: str, *, tz: str, now: datetime, locale: str | None = None) -> TimeWindow:
    """parse_window plus the product's limits; raises DraftInvalid on the window field (in the text's language)."""
    if len(text) > MAX_WINDOW:
        raise DraftInvalid({"window": lazy("The window is at most {max} characters (this is {length}) — say just "
                                           "when, e.g. 'tomorrow 9am to 11:30'.", max=MAX_WINDOW, length=len(text))})
    try:
        window = parse_window(text, tz=tz, now=now, locale=locale)
    except WindowError as exc:
        raise DraftInvalid({"window": window_message(exc.reason, exc.language)}) from None
    if window.start.astimezone(UTC) - now.astimezone(UTC) > MAX_AHEAD:
        raise DraftInvalid({"window": lazy("That starts more than 30 days from now ({date}) — launch it closer to "
                                           "the date.", date=f"{window.start:%Y-%m-%d}")})
    if window.duration > MAX_LENGTH:
        hours = window.duration.total_seconds() / 3600
        raise DraftInvalid({"window": lazy("That window lasts {hours} hours — a campaign may run at most 24 hours. "
                                           "Check the dates, or split it into one campaign per day.",
                                           hours=f"{hours:g}")})
    return window


_WHERE = re.compile(r"^(line|row) (\d+)(?:: (.*))?$", re.DOTALL)


def located(text: str) -> str:
    """numbers.py's places ("line 3", "row 12", and an example starting with one: "row 3: 'oops'") as lazy Texts,
    so the place is said in the reader's language and the typed text stays as typed."""
    match = _WHERE.match(text)
    if not match:
        return text
    place = lazy("line {n}", n=match[2]) if match[1] == "line" else lazy("row {n}", n=match[2])
    return place if match[3] is None else lazy("{place}: {text}", place=place, text=match[3])


def _examples(parsed: ParsedNumbers) -> list[Text]:
    return [lazy("'{text}' ({where})", text=bad.text[:30], where=located(bad.where)) for bad in parsed.invalid[:3]]


def _invalid_summary(parsed: ParsedNumbers) -> Text:
    shown: Text | list[Text] = _examples(parsed)
    if parsed.invalid_count > 3:
        shown = lazy("{listed} and {n} more", listed=shown, n=f"{parsed.invalid_count - 3:,}")
    return lazy_plural("{n} entry is not a phone number: {shown}.", "{n} entries are not a phone number: {shown}.",
                       parsed.invalid_count, shown=shown)


def _check_numbers(typed: ParsedNumbers, uploaded: ParsedNumbers | None,
                   errors: dict[FieldName, str]) -> ParsedNumbers:
    """Typed mistakes are the typist's to fix; bad rows of a file are skipped and reported (not fatal)."""
    if typed.invalid_count:
        errors["callees"] = _invalid_summary(typed)
    merged = typed.merge(uploaded) if uploaded is not None else typed
    if uploaded is not None and uploaded.stopped == "junk":  # never launch the part of a file read before it stopped
        errors["callees_file"] = lazy("More than {max} rows of this file are not phone numbers (e.g. {shown}), so it "
                                      "was not read to the end. Check that it is the right file and that the phone "
                                      "column holds only numbers.", max=f"{MAX_JUNK:,}", shown=_examples(uploaded))
        return merged
    if not merged.numbers and "callees" not in errors:
        if uploaded is not None and uploaded.invalid_count:
            errors["callees_file"] = lazy("The file has no valid phone number. {summary}",
                                          summary=_invalid_summary(uploaded))
        elif uploaded is not None:
            errors["callees_file"] = lazy("The file has no phone numbers in it.")
        else:
            errors["callees"] = lazy("Enter at least one number to call, one per line (e.g. +8613012345678), or "
                                     "attach a file.")
    return merged


def _check_count(numbers: ParsedNumbers, max_callees: int, uploaded: bool, errors: dict[FieldName, str]) -> None:
    """The cap per campaign, with how to split a list that is over it."""
    if len(numbers.numbers) <= max_callees and numbers.stopped != "cap":
        return
    found = (lazy("{count} different numbers", count=f"{len(numbers.numbers):,}") if numbers.stopped != "cap" else
             lazy("over {max} numbers", max=f"{max_callees:,}"))
    errors["callees_file" if uploaded else "callees"] = lazy(
        "A campaign calls at most {max} numbers and this list has {found}. Split it into files of at most {max} rows "
        "(e.g. by region or by day) and launch one campaign for each.", max=f"{max_callees:,}", found=found)


def prefill(text: str) -> FormInput:
    """`/dialcampaign agent@example.com tomorrow 9-11`: an agent account first, the rest as the window."""
    words = text.split(maxsplit=1)
    if words and _AGENT.match(words[0]):
        return FormInput(agent=words[0], window=words[1] if len(words) > 1 else "")
    return FormInput(window=text)


def build_draft(
    form: FormInput,
    *,
    tz: str,
    now: datetime,
    region: str = "CN",
    uploaded: ParsedNumbers | None = None,
    agents: list[str] | None = None,
    callers: list[str] | None = None,
    max_callees: int = MAX_CALLEES,
    locale: str | None = None,
) -> CampaignDraft:
    """Check every field; raise DraftInvalid with one message per failing field, or return the draft.

    `agents` and `callers` are CCC's own lists when they could be read; None means unknown, and the typed value is
    taken as it is."""
    errors: dict[FieldName, str] = {}
    if not form.name.strip():
        errors["name"] = lazy("Give the campaign a name people will recognise.")
    elif len(form.name.strip()) > MAX_NAME:
        errors["name"] = lazy("The name is at most {max} characters (this is {length}).", max=MAX_NAME,
                              length=len(form.name.strip()))
    agent = form.agent.strip()
    if not agent:
        errors["agent"] = lazy("Choose the agent who will make the calls.")
    elif agents is not None and agent.lower() not in {a.lower() for a in agents}:
        errors["agent"] = lazy("'{agent}' is not an agent of this CCC application.", agent=agent)
    elif agents is None and not _AGENT.match(agent):
        errors["agent"] = lazy("The agent is their CCC account (an e-mail address such as agent@example.com).")
    numbers = _check_numbers(parse_numbers(form.callees, region=region), uploaded, errors)
    _check_count(numbers, max_callees, uploaded is not None, errors)
    chosen = [c.strip() for c in form.callers if c.strip()]
    if callers is not None and (stopped := [c for c in chosen if c not in set(callers)]):
        errors["callers"] = lazy("Not a working caller number of this CCC application: {numbers}.",
                                 numbers=", ".join(stopped[:3]))
    concurrency = form.concurrency.strip()
    if not re.fullmatch(r"\d{1,2}", concurrency) or not 1 <= int(concurrency) <= 20:
        errors["concurrency"] = lazy("Concurrency is a whole number from 1 to 20.")
    if len(form.uui) > MAX_UUI:
        errors["uui"] = lazy("Custom data is at most {max} characters (this is {length}).", max=MAX_UUI,
                             length=len(form.uui))
    window: TimeWindow | None = None
    try:
        window = check_window(form.window, tz=tz, now=now, locale=locale)
    except DraftInvalid as exc:
        errors.update(exc.errors)
    if errors or window is None:
        raise DraftInvalid(errors)
    skipped = uploaded.invalid if uploaded is not None else []
    return CampaignDraft(
        name=form.name.strip(), agent=agent, callees=numbers.numbers, callers=chosen, start=window.start,
        end=window.end, tz=tz, concurrency=int(concurrency), call_order=1 if form.call_order == "1" else 0,
        uui=form.uui, duplicates=numbers.duplicates, invalid=uploaded.invalid_count if uploaded is not None else 0,
        invalid_examples=[f"{bad.where}: '{bad.text[:30]}'" for bad in skipped[:5]],
        readings=describe(window.guesses, window.start, window.end, window.language),
    )
