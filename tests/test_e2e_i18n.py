"""End to end in 简体中文, 繁體中文 and 日本語: a supervisor whose Slack speaks one of them goes command → form →
preview → Launch → thread and meets no English sentence (ids, numbers, codes, names and e-mail addresses excepted);
help, App Home and field errors too. DIALCAMPAIGN_LANGUAGE puts what a channel sees in one language."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.english import english_in
from tests.harness import Stack, start_stack, thread

SUPERVISORS = {  # user: (Slack locale, zone, what they type)
    "U_CN": ("zh-CN", "Asia/Shanghai", {"name": "续约回访", "window": "明天上午9点到11点半"}),
    "U_TW": ("zh-TW", "Asia/Taipei", {"name": "續約回訪", "window": "明天上午9點到11點半"}),
    "U_JP": ("ja-JP", "Asia/Tokyo", {"name": "更新のご案内", "window": "明日午前9時から11時半まで"}),
}
FORM = {"agent": "agent@example.com", "callees": "13012345670\n13012345670\n13012345671",
        "callers": ["0086075586013388"], "concurrency": "2", "call_order": "0", "uui": "crm:4711"}


@pytest.fixture(scope="module")
def languages(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    product = start_stack(tmp_path_factory.mktemp("app"), users={
        user: {"tz": tz, "locale": locale} for user, (locale, tz, _typed) in SUPERVISORS.items()})
    yield product
    product.close()


@pytest.fixture
def product(languages: Stack) -> Stack:
    languages.reset()
    return languages


def home(product: Stack, user: str) -> dict[str, Any]:
    event = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
             "event_id": f"Ev{user}", "event_time": int(time.time()),
             "event": {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"}}
    assert product.driver.post(json.dumps(event).encode(), "application/json").status_code == 200
    return dict(product.slack.wait_for("views.publish", user_id=user)[-1].params["view"])


@pytest.mark.parametrize("user", SUPERVISORS)
def test_a_launch_from_start_to_thread_speaks_the_supervisors_language(product: Stack, user: str) -> None:
    typed = SUPERVISORS[user][2]
    help_answer = product.driver.command("help", user=user).json()
    form = product.open_form(user=user)
    preview = product.preview({**FORM, **typed}, user=user)
    launching = product.driver.submit({**preview, "id": "V_PREVIEW"}, user=user)  # the modal is updated by its id
    assert launching.status_code == 200
    parent, reply = thread(product)
    cards = [c.params for c in product.slack.wait_for("chat.update")]  # the card, once CCC has answered
    launched = [c.params for c in product.slack.wait_for("views.update")]  # the modal: the outcome in brief
    seen = {"help": help_answer, "form": form, "preview": preview, "launching": launching.json(), "parent": parent,
            "reply": reply, "cards": cards, "launched": launched,
            "home": home(product, user), "status": answer(product, f"status {typed['name']}", user),
            "list": answer(product, "list", user), "stop": answer(product, f"stop {typed['name']}", user)}
    left = {name: runs for name, shown in seen.items() if (runs := english_in(shown))}
    assert not left, left
    assert "CampaignId" in reply["text"] and typed["name"] in parent["text"]  # the names and ids stay as they are


@pytest.mark.parametrize("user", SUPERVISORS)
def test_field_errors_are_in_the_supervisors_language(product: Stack, user: str) -> None:
    typed = SUPERVISORS[user][2]
    response = product.driver.submit(product.open_form(user=user), {
        **FORM, **typed, "concurrency": "99", "callees": "13012345670\n12345", "agent": "ghost@example.com"},
        user=user)
    errors = response.json()["errors"]
    assert set(errors) == {"concurrency", "callees", "agent"}
    assert not english_in(" ".join(errors.values())), errors


def answer(product: Stack, text: str, user: str) -> dict[str, Any]:
    """`/dialcampaign <text>`: the ephemeral answer that arrives at the response_url."""
    before = len(product.slack.responses)
    assert product.driver.command(text, user=user).status_code == 200
    deadline = time.monotonic() + 10
    while len(product.slack.responses) <= before:
        assert time.monotonic() < deadline, "no answer at the response_url"
        time.sleep(0.02)
    return product.slack.responses[before]


@pytest.mark.parametrize("user", SUPERVISORS)
def test_the_do_not_call_list_answers_in_the_supervisors_language(product: Stack, user: str) -> None:
    seen = {"help": answer(product, "dnc", user), "add": answer(product, "dnc add 13012345679 hello", user),
            "check": answer(product, "dnc check 13012345679", user),
            "remove": answer(product, "dnc remove 13012345679 13012345678", user),
            "none": answer(product, "dnc add hello", user)}
    left = {name: runs for name, shown in seen.items() if (runs := english_in(shown))}
    assert not left, left


def test_the_words_match_what_each_console_says(product: Stack) -> None:
    labels = {}
    for user in SUPERVISORS:
        form = product.open_form(user=user)
        labels[user] = {b["block_id"]: b["label"]["text"] for b in form["blocks"] if b["type"] == "input"}
    assert (labels["U_CN"]["agent"], labels["U_CN"]["callers"], labels["U_CN"]["callees"]) == ("座席", "主叫号码",
                                                                                                 "被叫号码")
    assert (labels["U_TW"]["agent"], labels["U_TW"]["callers"], labels["U_TW"]["callees"]) == ("座席", "主叫號碼",
                                                                                                 "被叫號碼")
    assert (labels["U_JP"]["agent"], labels["U_JP"]["callers"], labels["U_JP"]["callees"]) == (
        "エージェント", "発信者番号", "発信先番号")


def test_one_workspace_language_for_what_the_channel_sees(tmp_path: Path) -> None:
    product = start_stack(tmp_path, env={"DIALCAMPAIGN_LANGUAGE": "ja"},
                          users={"U_SUP": {"tz": "America/Los_Angeles", "locale": "en-US"}})
    try:
        preview = product.preview({**FORM, "name": "Renewals", "window": "tomorrow 5pm to 7pm"})
        assert "Nothing has been sent yet" in json.dumps(preview)  # the requester's own view: their English
        product.driver.submit(preview)
        parent, reply = thread(product)
        assert not english_in(parent) and not english_in(reply)  # the channel: the workspace's Japanese
        assert "件の番号" in parent["text"] and "を CCC に作成しました" in reply["text"]
    finally:
        product.close()
