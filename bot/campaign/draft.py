"""CampaignDraft: the form as the requester typed it -> a checked campaign, or an error message per field."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from bot.campaign.numbers import ParsedNumbers, parse_numbers
from bot.campaign.window import Reason, TimeWindow, WindowError, parse_window

FieldName = Literal["name", "agent", "callees", "callees_file", "callers", "window", "concurrency", "call_order",
                    "uui"]

MAX_UUI = 1024
MAX_NAME = 200
MAX_WINDOW = 200  # a window is a phrase: longer text is refused before the parser spends time on it
MAX_AHEAD = timedelta(days=30)
MAX_LENGTH = timedelta(hours=24)
_CJK = re.compile(r"[\u4e00-\u9fff]")
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

    @property
    def duration_text(self) -> str:
        elapsed = self.end.astimezone(UTC) - self.start.astimezone(UTC)  # wall-time subtraction lies across DST
        hours, minutes = divmod(int(elapsed.total_seconds() // 60), 60)
        return " ".join(part for part in (f"{hours} h" if hours else "", f"{minutes} min" if minutes else "") if part)


@dataclass
class DraftInvalid(Exception):
    errors: dict[FieldName, str] = field(default_factory=dict)


def _examples(chinese: bool) -> dict[Reason, str]:
    if chinese:
        return {
            "empty": "Enter when to call — e.g. '明天上午9点到11点'.",
            "unparseable": "I couldn't read that as a time window — try '明天上午9点到11点' or '下周一14:00-18:00'.",
            "no end": "No end time — try '明天上午9点到11点' or '明天上午9点开始，持续2小时'.",
            "end before start": "The end is before the start — try '明天下午2点到5点'.",
            "in the past": "That time has already passed — try a later one, e.g. '明天上午9点到11点'.",
        }
    return {
        "empty": "Enter when to call — e.g. 'tomorrow 9am to 11am'.",
        "unparseable": "I couldn't read that as a time window — try 'tomorrow 9am to 11am' or 'Friday 2-5pm'.",
        "no end": "No end time — try 'tomorrow 9am to 11am' or 'tomorrow 9am for 2 hours'.",
        "end before start": "The end is before the start — try 'tomorrow 2pm to 5pm' "
        "(a window past midnight such as '10pm to 1am' is fine).",
        "in the past": "That time has already passed — try a later one, e.g. 'tomorrow 9am to 11am'.",
    }


def window_message(reason: Reason, text: str) -> str:
    return _examples(bool(_CJK.search(text)))[reason]


def check_window(text: str, *, tz: str, now: datetime) -> TimeWindow:
    """parse_window plus the product's limits; raises DraftInvalid on the window field."""
    if len(text) > MAX_WINDOW:
        raise DraftInvalid({"window": f"The window is at most {MAX_WINDOW} characters (this is {len(text)}) — say "
                                      "just when, e.g. 'tomorrow 9am to 11:30'."})
    try:
        window = parse_window(text, tz=tz, now=now)
    except WindowError as exc:
        raise DraftInvalid({"window": window_message(exc.reason, text)}) from None
    if window.start.astimezone(UTC) - now.astimezone(UTC) > MAX_AHEAD:
        raise DraftInvalid({"window": f"That starts more than 30 days from now ({window.start:%Y-%m-%d}) — "
                                      "launch it closer to the date."})
    if window.duration > MAX_LENGTH:
        hours = window.duration.total_seconds() / 3600
        raise DraftInvalid({"window": f"That window lasts {hours:g} hours — a campaign may run at most 24 hours. "
                                      "Check the dates, or split it into one campaign per day."})
    return window


def _invalid_summary(parsed: ParsedNumbers) -> str:
    shown = ", ".join(f"'{bad.text[:30]}' ({bad.where})" for bad in parsed.invalid[:3])
    more = f" and {len(parsed.invalid) - 3} more" if len(parsed.invalid) > 3 else ""
    total = len(parsed.invalid)
    return f"{total} {'entry is' if total == 1 else 'entries are'} not a phone number: {shown}{more}."


def _check_numbers(typed: ParsedNumbers, uploaded: ParsedNumbers | None,
                   errors: dict[FieldName, str]) -> ParsedNumbers:
    """Typed mistakes are the typist's to fix; bad rows of a file are skipped and reported (not fatal)."""
    if typed.invalid:
        errors["callees"] = _invalid_summary(typed)
    merged = typed.merge(uploaded) if uploaded is not None else typed
    if not merged.numbers and "callees" not in errors:
        if uploaded is not None and uploaded.invalid:
            errors["callees_file"] = "The file has no valid phone number. " + _invalid_summary(uploaded)
        elif uploaded is not None:
            errors["callees_file"] = "The file has no phone numbers in it."
        else:
            errors["callees"] = ("Enter at least one number to call, one per line (e.g. +8613012345678), "
                                 "or attach a file.")
    return merged


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
) -> CampaignDraft:
    """Check every field; raise DraftInvalid with one message per failing field, or return the draft.

    `agents` and `callers` are CCC's own lists when they could be read; None means unknown, and the typed value is
    taken as it is."""
    errors: dict[FieldName, str] = {}
    if not form.name.strip():
        errors["name"] = "Give the campaign a name people will recognise."
    elif len(form.name.strip()) > MAX_NAME:
        errors["name"] = f"The name is at most {MAX_NAME} characters (this is {len(form.name.strip())})."
    agent = form.agent.strip()
    if not agent:
        errors["agent"] = "Choose the agent who will make the calls."
    elif agents is not None and agent.lower() not in {a.lower() for a in agents}:
        errors["agent"] = f"'{agent}' is not an agent of this CCC application."
    elif agents is None and not _AGENT.match(agent):
        errors["agent"] = "The agent is their CCC account (an e-mail address such as agent@example.com)."
    numbers = _check_numbers(parse_numbers(form.callees, region=region), uploaded, errors)
    chosen = [c.strip() for c in form.callers if c.strip()]
    if callers is not None and (stopped := [c for c in chosen if c not in set(callers)]):
        errors["callers"] = f"Not a working caller number of this CCC application: {', '.join(stopped[:3])}."
    concurrency = form.concurrency.strip()
    if not re.fullmatch(r"\d{1,2}", concurrency) or not 1 <= int(concurrency) <= 20:
        errors["concurrency"] = "Concurrency is a whole number from 1 to 20."
    if len(form.uui) > MAX_UUI:
        errors["uui"] = f"Custom data is at most {MAX_UUI} characters (this is {len(form.uui)})."
    window: TimeWindow | None = None
    try:
        window = check_window(form.window, tz=tz, now=now)
    except DraftInvalid as exc:
        errors.update(exc.errors)
    if errors or window is None:
        raise DraftInvalid(errors)
    skipped = uploaded.invalid if uploaded is not None else []
    return CampaignDraft(
        name=form.name.strip(), agent=agent, callees=numbers.numbers, callers=chosen, start=window.start,
        end=window.end, tz=tz, concurrency=int(concurrency), call_order=1 if form.call_order == "1" else 0,
        uui=form.uui, duplicates=numbers.duplicates, invalid=len(skipped),
        invalid_examples=[f"{bad.where}: '{bad.text[:30]}'" for bad in skipped[:5]],
    )
