"""build_draft: the form as typed -> a checked campaign, or one message per failing field."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.campaign.draft import DraftInvalid, FormInput, build_draft, prefill
from bot.campaign.numbers import BATCH, MAX_JUNK, parse_csv

NOW = datetime(2026, 11, 25, 2, tzinfo=UTC)
FORM = FormInput(name="Renewals", agent="agent@example.com", callees="13012345670\n13012345670",
                 callers=("0086075586013388",), window="tomorrow 9am to 11am", concurrency="2", call_order="0")


def errors(form: FormInput, **kw: object) -> dict[str, str]:
    with pytest.raises(DraftInvalid) as exc:
        build_draft(form, tz="Asia/Shanghai", now=NOW, **kw)  # type: ignore[arg-type]
    return {str(field): text for field, text in exc.value.errors.items()}


def test_a_good_form_becomes_a_draft_with_e164_numbers_and_callers_as_typed() -> None:
    draft = build_draft(FORM, tz="Asia/Shanghai", now=NOW, agents=["Agent@Example.com"], callers=["0086075586013388"])
    assert (draft.callees, draft.duplicates, draft.callers) == (["+8613012345670"], 1, ["0086075586013388"])
    assert (draft.start.isoformat(), draft.end.isoformat()) == ("2026-11-26T09:00:00+08:00",
                                                                "2026-11-26T11:00:00+08:00")
    assert (draft.concurrency, draft.call_order, draft.duration_text) == (2, 0, "2 h")


def test_ccc_lists_are_authoritative_when_known() -> None:
    assert "is not an agent of this CCC application" in errors(FORM, agents=["other@example.com"])["agent"]
    stopped = errors(FORM, agents=None, callers=["008602088881234"])["callers"]
    assert "0086075586013388" in stopped


def test_without_ccc_lists_the_typed_agent_must_at_least_be_an_account() -> None:
    assert "e-mail address" in errors(FormInput(**{**FORM.__dict__, "agent": "ada"}))["agent"]


def test_bad_rows_of_a_file_are_skipped_but_typed_mistakes_are_not() -> None:
    uploaded = parse_csv("phone\n13012345671\noops\n", region="CN")
    draft = build_draft(FormInput(**{**FORM.__dict__, "callees": ""}), tz="UTC", now=NOW, uploaded=uploaded)
    assert (draft.callees, draft.invalid, draft.invalid_examples) == (["+8613012345671"], 1, ["row 3: 'oops'"])
    typed_bad = FormInput(**{**FORM.__dict__, "callees": "oops"})
    assert "'oops' (line 1)" in errors(typed_bad, uploaded=uploaded)["callees"]


def test_a_file_with_nothing_valid_is_reported_on_the_file_field() -> None:
    uploaded = parse_csv("phone\nnope\n", region="CN")
    assert "no valid phone number" in errors(FormInput(**{**FORM.__dict__, "callees": ""}), uploaded=uploaded)[
        "callees_file"]


@pytest.mark.parametrize(("window", "words"), [
    ("2026-12-01 08:00 through 2026-12-02 20:00", "lasts 36 hours"),
    ("2027-01-05 09:00-11:00", "more than 30 days from now"),
    ("tomorrow 9am", "No end time"),
])
def test_window_limits_of_the_product(window: str, words: str) -> None:
    assert words in errors(FormInput(**{**FORM.__dict__, "window": window}))["window"]


def test_the_command_text_prefills_the_form() -> None:
    assert prefill("agent@example.com tomorrow 9-11") == FormInput(agent="agent@example.com", window="tomorrow 9-11")
    assert prefill("明天上午9点到11点") == FormInput(window="明天上午9点到11点")


def test_a_list_over_the_cap_says_how_to_split_it() -> None:
    uploaded = parse_csv("phone\n" + "\n".join(f"1301234{i:04d}" for i in range(12)), region="CN")
    no_typed = FormInput(**{**FORM.__dict__, "callees": ""})
    message = errors(no_typed, uploaded=uploaded, max_callees=10)["callees_file"]
    assert "at most 10 numbers and this list has 12 different numbers" in message
    assert "Split it into files of at most 10 rows" in message
    assert build_draft(no_typed, tz="UTC", now=NOW, uploaded=uploaded, max_callees=12).callees[-1] == "+8613012340011"


def test_a_file_read_only_in_part_is_never_launched() -> None:
    long_list = parse_csv("phone\n" + "\n".join(f"130{i:08d}" for i in range(BATCH * 2)), region="CN", keep=10)
    no_typed = FormInput(**{**FORM.__dict__, "callees": ""})
    assert "this list has over 10 numbers" in errors(no_typed, uploaded=long_list, max_callees=10)["callees_file"]
    junk = parse_csv("x\n" + "\n".join(f"row {i} of a log" for i in range(MAX_JUNK + BATCH)) + "\n13012345671",
                     region="CN")
    message = errors(no_typed, uploaded=junk)["callees_file"]
    assert f"More than {MAX_JUNK:,} rows of this file are not phone numbers" in message
