"""Who must not be called: the scrub of a callee list (do-not-call, frequency caps, blocked regions) and its summary.
Pure: the store's answers, the window and `now` come in as arguments."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Literal

from bot.campaign.numbers import mask

Reason = Literal["dnc", "frequency", "region", "hours"]
REASONS: tuple[Reason, ...] = ("dnc", "frequency", "region", "hours")
DAY = 24 * 3600
SHOWN = 3  # masked examples per reason in the preview


@dataclass(frozen=True)
class Window:
    """A campaign's calling window, epoch seconds, [start, end)."""

    start: int
    end: int


@dataclass
class Screening:
    """The callees that may be called, and every removed one under the first reason that applies."""

    kept: list[str] = field(default_factory=list)
    removed: dict[Reason, list[str]] = field(default_factory=lambda: {r: [] for r in REASONS})

    @property
    def removed_count(self) -> int:
        return sum(len(v) for v in self.removed.values())

    def masked(self) -> dict[str, list[str]]:
        """What the audit trail keeps: every removed number, masked, by reason."""
        return {reason: [mask(n) for n in numbers] for reason, numbers in self.removed.items() if numbers}


def over_cap(ours: Window, others: Iterable[Window], cap: int) -> bool:
    """Would some 24 h span see more than `cap` campaigns calling this number, ours included?

    A span [t, t+24h) meets a window [s, e) when s-24h < t < e; the busiest t inside ours is at one of the lower
    bounds, so counting at each of them is exact."""
    low, high = ours.start - DAY + 1, ours.end - 1
    spans = [(w.start - DAY + 1, w.end - 1) for w in others]
    spans = [(lo, hi) for lo, hi in spans if lo <= high and hi >= low]
    if len(spans) < cap:
        return False
    for point in {low, *(max(lo, low) for lo, _ in spans)}:
        if 1 + sum(1 for lo, hi in spans if lo <= point <= hi) > cap:
            return True
    return False


def screen(callees: list[str], *, blocked_numbers: set[str], earlier: dict[str, list[Window]], window: Window,
           cap: int, region_of: Callable[[str], str | None]) -> Screening:
    """Split callees into kept and removed. `blocked_numbers`: those with a do-not-call entry in force;
    `earlier`: the windows of launched campaigns that include each number; `region_of`: the blocked region a number
    is registered in, if any."""
    result = Screening()
    for number in callees:
        if number in blocked_numbers:
            result.removed["dnc"].append(number)
        elif region_of(number) is not None:
            result.removed["region"].append(number)
        elif number in earlier and over_cap(window, earlier[number], cap):
            result.removed["frequency"].append(number)
        else:
            result.kept.append(number)
    return result


def _count(n: int) -> str:
    return f"{n} number" if n == 1 else f"{n} numbers"


def explain(reason: Reason, cap: int) -> str:
    return {
        "dnc": "on the do-not-call list",
        "frequency": f"already in {cap} campaigns within 24 hours (at most {cap} calls a day per number)",
        "region": "registered in a blocked region",
        "hours": "outside calling hours",
    }[reason]


def summary_lines(removed: dict[str, list[str]], cap: int, *, hours_checked: bool) -> list[str]:
    """One line per reason, zero counts included, so nothing is removed silently. `removed` holds masked numbers."""
    lines = []
    for reason in REASONS:
        numbers = removed.get(reason, [])
        if reason == "hours":
            note = ("0 removed — the window is inside calling hours for every number" if hours_checked
                    else "not checked (DIALCAMPAIGN_CALLING_HOURS is empty)")
            lines.append(f"Calling hours: {note}")
            continue
        label = {"dnc": "Do-not-call list", "frequency": "Frequency cap", "region": "Blocked regions"}[reason]
        if not numbers:
            lines.append(f"{label}: 0 removed")
            continue
        more = "…" if len(numbers) > SHOWN else ""
        lines.append(f"{label}: {_count(len(numbers))} removed, {explain(reason, cap)} "
                     f"({', '.join(numbers[:SHOWN])}{more})")
    return lines


def nothing_left(removed: dict[str, list[str]], cap: int) -> str:
    """The field error when every number was removed: nothing can be launched, and why."""
    parts = [f"{_count(len(v))} {explain(r, cap)}" for r, v in removed.items() if v and r in REASONS]
    return "Nothing can be launched: every number was removed — " + "; ".join(parts) + "."
