"""Agents, callers and numbers that CCC will accept, files of any size, and calls only at decent hours — through the
real app, the fake Slack (which hosts uploaded files) and the fake CCC (which answers the staff and number lists)."""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import phonenumbers
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from tests.fakes.ccc import Fault
from tests.fakes.server import LoopbackServer
from tests.harness import FORM, TEAM, Stack, start_stack, thread


def suggest(product: Stack, action: str, typed: str) -> dict[str, Any]:
    payload = {"type": "block_suggestion", "team": {"id": TEAM}, "user": {"id": "U_SUP", "team_id": TEAM},
               "api_app_id": "A0001", "token": "legacy", "action_id": action, "block_id": action, "value": typed,
               "container": {"type": "view", "view_id": "V1"},
               "view": {"type": "modal", "callback_id": "dialcampaign_form", "id": "V1", "state": {"values": {}}}}
    started = time.monotonic()
    response = product.driver.interaction(payload)
    assert response.status_code == 200, response.text
    assert time.monotonic() - started < 3  # well inside Slack's limit for options
    return dict(response.json())


def labels(answer: dict[str, Any]) -> list[str]:
    return [o["text"]["text"] for o in answer.get("options", [])]


def test_the_agent_picker_filters_ccc_staff_as_you_type_from_one_fetch(product: Stack) -> None:
    assert labels(suggest(product, "agent", "li")) == ["李娜 · lina@example.com"]
    assert labels(suggest(product, "agent", "ADA")) == ["Ada Agent · agent@example.com"]
    everyone = suggest(product, "agent", "")
    assert len(everyone["options"]) == 100  # Slack's maximum; typing narrows it
    assert [r.action for r in product.ccc.received].count("DescribeStaffInfoList") <= 1


def test_the_caller_picker_offers_only_working_numbers(product: Stack) -> None:
    assert labels(suggest(product, "callers", "")) == ["0086075586013388", "008602088881234"]
    assert labels(suggest(product, "callers", "0755")) == ["0086075586013388"]


def test_without_ccc_the_agent_field_still_takes_a_typed_account(fresh: Stack) -> None:
    fresh.ccc.inject("DescribeStaffInfoList", *[Fault(code="InternalError")] * 5)
    fresh.ccc.inject("DescribeNumbers", *[Fault(code="InternalError")] * 5)
    answer = suggest(fresh, "agent", "new.agent@example.com")
    (group,) = answer["option_groups"]
    assert "Agent list unavailable" in group["label"]["text"]
    assert [o["value"] for o in group["options"]] == ["new.agent@example.com"]
    preview = fresh.preview({**FORM, "agent": "new.agent@example.com", "callers": ["0086075586013388"]})
    fresh.driver.submit(preview)
    thread(fresh)
    (create,) = fresh.ccc.creates()
    assert create.params["Agent"] == "new.agent@example.com" and create.outcome == "ok"


def submit_with_file(product: Stack, name: str, content: bytes, values: dict[str, Any], **info: Any) -> dict[str, Any]:
    """Attach a file and press Preview: the modal says it is checking at once, then the outcome replaces it."""
    uploaded = product.slack.upload(name, content, **info)
    view = product.open_form()
    view["id"] = "V_FORM"
    before = len(product.slack.of("views.update"))
    started = time.monotonic()
    response = product.driver.submit(view, {**FORM, **values, "callees_file": [uploaded]})
    assert time.monotonic() - started < 3
    answer = response.json()
    assert answer["response_action"] == "update" and "Checking your numbers" in json.dumps(answer["view"])
    update = product.slack.wait_for("views.update", before + 1, timeout=30)[-1].params
    assert update["view_id"] == "V_FORM"
    return dict(update["view"])


def test_an_uploaded_csv_is_merged_with_typed_numbers_and_bad_rows_are_skipped(product: Stack) -> None:
    csv = ("姓名,手机号码,备注\n"
           "Ada,13012345671,vip\nBob,oops,\nCy,+86 130 1234 5671,dup\n\nDi,13012345679,\nEd,12,\n").encode()
    preview = submit_with_file(product, "customers.csv", csv, {"callees": "13012345670\n13012345679"})
    text = json.dumps(preview["blocks"], ensure_ascii=False)
    assert "*Numbers to call:* 3 (2 duplicates removed, 2 invalid rows skipped: row 3: 'oops', row 7: '12')" in text
    product.driver.submit(preview)
    thread(product)
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == ["+8613012345670", "+8613012345679", "+8613012345671"]


def test_a_gb18030_text_file_from_excel_is_read(product: Stack) -> None:
    content = "电话\n13012345671\n13012345672\n".encode("gb18030")
    preview = submit_with_file(product, "numbers.txt", content, {"callees": ""})
    assert "*Numbers to call:* 2" in json.dumps(preview["blocks"], ensure_ascii=False)


def test_a_login_page_instead_of_the_file_means_the_bot_lacks_files_read(product: Stack) -> None:
    product.slack.files_need_scope = True
    try:
        form = submit_with_file(product, "customers.csv", b"phone\n13012345671\n", {"callees": ""})
    finally:
        product.slack.files_need_scope = False
    assert form["callback_id"] == "dialcampaign_form"
    text = json.dumps(form["blocks"])
    assert "files:read" in text
    assert next(b for b in form["blocks"] if b.get("block_id") == "name")["element"]["initial_value"] == FORM["name"]
    assert not product.ccc.creates()


def test_a_file_with_no_valid_number_is_refused_on_the_file_field(product: Stack) -> None:
    form = submit_with_file(product, "bad.csv", b"phone\nnope\n123\n", {"callees": ""})
    assert "The file has no valid phone number. 2 entries are not a phone number" in json.dumps(form["blocks"])


def hours_error(product: Stack, values: dict[str, Any], user: str = "U_SUP") -> str:
    response = product.driver.submit(product.open_form(user=user), {**FORM, **values}, user=user)
    answer = response.json()
    assert answer["response_action"] == "errors", answer
    return str(answer["errors"]["window"])


def test_chinese_numbers_are_not_called_at_night_in_china(product: Stack) -> None:
    message = hours_error(product, {"window": "tomorrow 9am to 11am"})  # 01:00-03:00 in Shanghai
    assert "3 numbers in Asia/Shanghai would ring at" in message and "01:00–03:00 local time" in message
    assert "The largest window that complies:" in message and "16:00–" in message
    assert not product.ccc.creates()


def test_us_numbers_are_checked_in_each_of_their_zones(product: Stack) -> None:
    message = hours_error(product, {"callees": "+1 415 555 0100\n+1 212 555 0100", "window": "tomorrow 5pm to 7pm"})
    assert "1 number in America/New_York would ring at" in message and "20:00–22:00" in message
    assert "America/Los_Angeles would ring" not in message  # 17:00-19:00 there is fine
    assert "The largest window that complies:" in message and "17:00–18:00 (America/Los_Angeles)" in message


def test_within_hours_everywhere_is_accepted(product: Stack) -> None:
    preview = product.preview({**FORM, "callees": "+1 415 555 0100\n+1 212 555 0100", "window": "tomorrow 9am-5pm"})
    assert preview["callback_id"] == "dialcampaign_preview"


@pytest.fixture(scope="module")
def no_guard(tmp_path_factory: pytest.TempPathFactory) -> Any:
    product = start_stack(tmp_path_factory.mktemp("noguard"), env={"DIALCAMPAIGN_CALLING_HOURS": ""})
    yield product
    product.close()


def test_an_empty_calling_hours_setting_disables_the_guard_with_a_warning(no_guard: Stack) -> None:
    no_guard.reset()
    assert "calling-hours guard is off" in no_guard.app.output()
    preview = no_guard.preview({**FORM, "window": "tomorrow 9am to 11am"})
    assert preview["callback_id"] == "dialcampaign_preview"


def in_blocked_region(national: str) -> bool:
    """Xinjiang and Tibet (the default DIALCAMPAIGN_BLOCKED_REGIONS), as phonenumbers' geocoder places the number."""
    from phonenumbers import geocoder  # its data is imported by the tests that use it, not by every worker's collection

    place = geocoder.description_for_number(phonenumbers.parse(f"+86{national}"), "en")
    return "Xinjiang" in place or "Tibet" in place


def test_a_ten_thousand_number_file_becomes_one_campaign(product: Stack) -> None:
    rng = random.Random(7)
    numbers = sorted({f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" for _ in range(10_050)})[:10_000]
    blocked = [n for n in numbers if in_blocked_region(n)]
    assert blocked  # random mobiles include some registered in Xinjiang or Tibet: they are removed, and counted
    content = ("phone,name\n" + "\n".join(f"{n},customer {i}" for i, n in enumerate(numbers))).encode()
    preview = submit_with_file(product, "big.csv", content, {"callees": ""})
    text = json.dumps(preview["blocks"])
    assert f"*Numbers to call:* {10_000 - len(blocked)}" in text
    assert f"Blocked regions: {len(blocked)} numbers removed" in text
    product.driver.submit(preview)
    _parent, reply = thread(product)
    assert "CampaignId" in reply["text"]
    (create,) = product.ccc.creates()
    assert create.params["Callees"] == [f"+86{n}" for n in numbers if n not in set(blocked)]


def test_the_largest_inputs_stay_inside_slacks_block_kit_limits(product: Stack) -> None:
    """Every view and message in this module went through the fake's Block Kit checks; these push the limits."""
    long_values = {"name": "N" * 200, "uui": "u" * 1024, "callees": "\n".join(f"1301234{i:04d}" for i in range(250))}
    preview = product.preview({**FORM, **long_values})
    product.driver.submit(preview)
    thread(product)
    assert product.slack.violations == []


def test_a_file_large_enough_for_the_worker_pool_becomes_one_campaign(product: Stack) -> None:
    """From 20,000 entries the app spreads the work over worker processes: the same answer must come back."""
    rng = random.Random(11)
    numbers = sorted({f"13{rng.randint(0, 9)}{rng.randint(10_000_000, 99_999_999)}" for _ in range(25_100)})[:25_000]
    rows = [f"+1 212 555 {i:04d}" if i < 3 else n for i, n in enumerate(numbers)]  # a few take the slow path
    content = ("phone\n" + "\n".join(rows) + "\nnot-a-number\n").encode()
    preview = submit_with_file(product, "huge.csv", content, {"callees": "", "window": "tomorrow 5pm to 6pm"})
    text = json.dumps(preview["blocks"])
    blocked = [n for n in numbers[3:] if in_blocked_region(n)]
    kept = 25_000 - len(blocked)
    assert f"*Numbers to call:* {kept} (1 invalid row skipped: row 25002: 'not-a-number')" in text, text[:500]
    assert product.driver.submit(preview).status_code == 200
    parent, reply = thread(product)
    assert f"{kept} numbers" in parent["text"] and "CampaignId" in reply["text"], reply["text"]
    (create,) = product.ccc.creates()
    assert create.outcome == "ok" and len(create.params["Callees"]) == kept
    assert create.params["Callees"][:3] == ["+12125550000", "+12125550001", "+12125550002"]
    assert len(set(create.params["Callees"])) == kept and len(product.ccc.campaigns) == 1


@pytest.fixture
def elsewhere() -> Iterator[tuple[LoopbackServer, list[Request]]]:
    """A host that is not Slack's, recording every request that reaches it (with the token, were one sent)."""
    seen: list[Request] = []

    async def record(request: Request) -> Response:
        seen.append(request)
        return Response(b"phone\n13012345671\n")

    server = LoopbackServer(Starlette(routes=[Route("/{path:path}", record)])).start()
    yield server, seen
    server.stop()


@pytest.mark.parametrize("info", [
    {"url_private_download": "{other}/files-pri/F1/numbers.csv"},
    {"url_private_download": "{other}/files-pri/F1/numbers.csv", "is_external": True},
    {"url_private_download": "http://files.slack.com.evil.example/x.csv", "url_private": "{other}/x"},
    {"is_external": True, "external_type": "gdrive"},
], ids=["another-host", "external-on-another-host", "lookalike-host", "external-on-slack"])
def test_the_bot_token_goes_to_slacks_file_host_only(product: Stack, elsewhere: tuple[LoopbackServer, list[Request]],
                                                     info: dict[str, Any]) -> None:
    server, seen = elsewhere
    overrides = {k: v.replace("{other}", server.url) if isinstance(v, str) else v for k, v in info.items()}
    form = submit_with_file(product, "numbers.csv", b"phone\n13012345671\n", {"callees": ""}, **overrides)
    assert form["callback_id"] == "dialcampaign_form"
    errors = json.dumps([b for b in form["blocks"] if b["type"] == "context"])
    assert "numbers.csv" in errors and ("outside Slack" in errors or "not stored on Slack" in errors), errors
    assert seen == []
    assert not product.ccc.creates()


def test_an_excel_unicode_text_file_is_read(product: Stack) -> None:
    """Excel's "Unicode Text": UTF-16 with a byte-order mark, tab-separated, Windows line ends."""
    content = "姓名\t手机号码\t备注\r\n李娜\t13012345671\tvip\r\nBob\t130 1234 5672\t\r\n".encode("utf-16")
    preview = submit_with_file(product, "客户.txt", content, {"callees": ""})
    assert "*Numbers to call:* 2" in json.dumps(preview["blocks"], ensure_ascii=False)
    product.driver.submit(preview)
    thread(product)
    assert product.ccc.creates()[0].params["Callees"] == ["+8613012345671", "+8613012345672"]


@pytest.fixture
def capped(tmp_path: Path) -> Iterator[Stack]:
    product = start_stack(tmp_path, env={"DIALCAMPAIGN_MAX_CALLEES": "5"})
    yield product
    product.close()


def test_a_list_over_the_callee_cap_is_refused_with_how_to_split_it(capped: Stack) -> None:
    content = ("phone\n" + "\n".join(f"1301234{i:04d}" for i in range(12))).encode()
    form = submit_with_file(capped, "everyone.csv", content, {"callees": ""})
    errors = json.dumps([b for b in form["blocks"] if b["type"] == "context"])
    assert "at most 5 numbers and this list has 12 different numbers" in errors, errors
    assert "Split it into files of at most 5 rows" in errors
    assert not capped.ccc.creates()
