"""End to end: signed Slack requests into the real app process (Procfile web line, $PORT, environment), the fake Slack
Web API and the fake CCC behind it. What a supervisor sees, and what CCC receives."""

from __future__ import annotations

import json
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date, datetime, timedelta
from datetime import time as clock
from typing import Any
from zoneinfo import ZoneInfo

import httpx
import pytest

from tests.fakes.ccc import Fault
from tests.fakes.slack import BOT_TOKEN
from tests.harness import CREATE, FORM, SECRET_ID, SECRET_KEY, SIGNING_SECRET, Stack, sign, thread

LA = ZoneInfo("America/Los_Angeles")


def la_tomorrow() -> date:
    return datetime.now(LA).date() + timedelta(days=1)


def at(day: date, hour: int, minute: int = 0) -> int:
    return int(datetime.combine(day, clock(hour, minute), LA).timestamp())




def launch(product: Stack, values: dict[str, Any] | None = None, *, channel: str = "C_OPS") -> dict[str, Any]:
    preview = product.preview({**FORM, **(values or {})}, channel=channel)
    response = product.driver.submit(preview)
    assert response.status_code == 200, response.text
    assert response.json()["view"]["title"]["text"] == "Launching…"  # acked at once; the outcome comes after
    return preview




def test_a_supervisor_in_los_angeles_launches_exactly_what_they_typed(product: Stack) -> None:
    tomorrow = la_tomorrow()
    launch(product)
    parent, reply = thread(product)

    (create,) = product.ccc.creates()
    assert create.outcome == "ok"  # the fake CCC verified the TC3 signature and every parameter
    assert create.params == {
        "SdkAppId": 1400000001, "Name": "Renewals 续约", "Agent": "agent@example.com", "ConcurrencyNumber": 3,
        "StartTime": at(tomorrow, 17), "EndTime": at(tomorrow, 19, 30),
        "Callees": ["+8613012345670", "+8613012345671", "+8613012345672"],
        "Callers": ["0086075586013388", "008602088881234"], "CallOrder": 0, "UUI": "crm:4711",
    }
    (campaign_id,) = product.ccc.campaigns

    assert parent["channel"] == "C_OPS" and "thread_ts" not in parent
    assert "<@U_SUP>" in parent["text"] and "agent@example.com" in parent["text"] and "3 numbers" in parent["text"]
    assert f"<!date^{at(tomorrow, 17)}^" in parent["text"] and f"<!date^{at(tomorrow, 19, 30)}^" in parent["text"]
    assert reply["thread_ts"] and reply["channel"] == "C_OPS"
    assert f"CampaignId *{campaign_id}*" in reply["text"]
    assert "RequestId" in reply["text"]


def test_the_window_is_read_in_the_requesters_zone(product: Stack) -> None:
    product.slack.users["U_SH"] = {"tz": "Asia/Shanghai", "locale": "zh-CN"}
    launch_values = {**FORM, "window": "明天上午9点到11点"}
    preview = product.preview(launch_values, user="U_SH")
    assert product.driver.submit(preview, user="U_SH").status_code == 200
    product.slack.wait_for("chat.postMessage", 2)
    (create,) = product.ccc.creates()
    sh = ZoneInfo("Asia/Shanghai")
    tomorrow = datetime.now(sh).date() + timedelta(days=1)
    assert create.params["StartTime"] == int(datetime.combine(tomorrow, clock(9), sh).timestamp())
    assert create.params["EndTime"] == int(datetime.combine(tomorrow, clock(11), sh).timestamp())


def test_help_is_a_short_ephemeral_answer(product: Stack) -> None:
    response = product.driver.command("help")
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral" and "/dialcampaign" in answer["text"]
    assert not product.slack.of("views.open")


def test_the_form_has_a_labelled_field_for_everything_the_api_takes(product: Stack) -> None:
    view = product.open_form("agent@example.com tomorrow 9-11")
    labels = {b["block_id"]: b["label"]["text"] for b in view["blocks"] if b["type"] == "input"}
    assert set(labels) == {"name", "agent", "callees", "callees_file", "callers", "window", "concurrency",
                           "call_order", "uui"}
    window = next(b for b in view["blocks"] if b.get("block_id") == "window")
    assert "America/Los_Angeles" in window["hint"]["text"] and "tomorrow" in window["element"]["placeholder"]["text"]
    agent = next(b for b in view["blocks"] if b.get("block_id") == "agent")
    assert agent["element"]["initial_option"]["value"] == "agent@example.com"  # pre-filled from the command text
    assert window["element"]["initial_value"] == "tomorrow 9-11"


def test_a_chinese_speaking_requester_sees_a_chinese_example(product: Stack) -> None:
    product.slack.users["U_SH"] = {"tz": "Asia/Shanghai", "locale": "zh-CN"}
    view = product.open_form(user="U_SH")
    window = next(b for b in view["blocks"] if b.get("block_id") == "window")
    assert "明天" in window["element"]["placeholder"]["text"]


BAD_INPUT: list[tuple[dict[str, Any], str, str]] = [
    ({"window": "whenever works"}, "window", "couldn't read that as a time window"),
    ({"window": "tomorrow 5pm"}, "window", "No end time — try 'tomorrow 9am to 11am' or 'tomorrow 9am for 2 hours'"),
    ({"window": "tomorrow 7pm to 5pm"}, "window", "The end is before the start"),
    ({"window": "yesterday 5pm to 7pm"}, "window", "already passed"),
    ({"window": "明天下午3点到2点"}, "window", "明天下午2点到5点"),  # the example matches the requester's language
    ({"window": "tomorrow 5pm to day after tomorrow 7pm"}, "window", "lasts 26 hours"),
    ({"concurrency": "abc"}, "concurrency", "whole number from 1 to 20"),
    ({"concurrency": "0"}, "concurrency", "whole number from 1 to 20"),
    ({"concurrency": "21"}, "concurrency", "whole number from 1 to 20"),
    ({"concurrency": "2.5"}, "concurrency", "whole number from 1 to 20"),
    ({"callees": ""}, "callees", "at least one number"),
    ({"callees": "13012345670\n12345\nhello"}, "callees",
     "2 entries are not a phone number: '12345' (line 2), 'hello' (line 3)"),
    ({"uui": "x" * 1025}, "uui", "at most 1024 characters"),
    ({"name": "N" * 201}, "name", "at most 200 characters (this is 201)"),
    ({"agent": "ghost@example.com"}, "agent", "'ghost@example.com' is not an agent of this CCC application"),
    ({"callers": ["008602188880000"]}, "callers",
     "Not a working caller number of this CCC application: 008602188880000"),
]


@pytest.mark.parametrize(("values", "block", "message"), BAD_INPUT,
                         ids=[f"{b}:{next(iter(v.values()))[:20]}" for v, b, _ in BAD_INPUT])
def test_bad_input_is_answered_on_its_field_and_nothing_is_sent(product: Stack, values: dict[str, str], block: str,
                                                                message: str) -> None:
    response = product.driver.submit(product.open_form(), {**FORM, **values})
    answer = response.json()
    assert answer["response_action"] == "errors"
    assert message in answer["errors"][block]
    assert set(answer["errors"]) == {block}
    assert not product.ccc.creates() and not product.slack.of("chat.postMessage")


def test_a_window_more_than_30_days_ahead_is_refused(product: Stack) -> None:
    far = la_tomorrow() + timedelta(days=40)
    response = product.driver.submit(product.open_form(), {**FORM, "window": f"{far.isoformat()} 17:00-19:00"})
    assert "more than 30 days" in response.json()["errors"]["window"]


def test_every_bad_field_is_reported_at_once(product: Stack) -> None:
    response = product.driver.submit(product.open_form(), {**FORM, "name": "", "window": "soon", "concurrency": "99"})
    assert set(response.json()["errors"]) == {"name", "window", "concurrency"}


AMBIGUOUS = "may or may not have been created. Check the CCC console before trying again."


@pytest.mark.parametrize(("faults", "words", "code", "creates"), [
    ([Fault(code="InternalError")], AMBIGUOUS, "InternalError", 1),
    ([Fault(code="InternalError.DBError", process=True)], AMBIGUOUS, "InternalError.DBError", 1),
    ([Fault(http_status=502, raw_body="<html>bad gateway</html>")], AMBIGUOUS, "", 1),
    ([Fault(raw_body="not json")], AMBIGUOUS, "", 1),
    ([Fault(code="RequestLimitExceeded"), Fault(code="RequestLimitExceeded")], "was created in CCC", "", 3),
    ([Fault(code="AuthFailure.SignatureExpire")], "was created in CCC", "", 2),
    ([Fault(code="InvalidParameterValue")], "was not created. CCC refused the campaign's details",
     "InvalidParameterValue", 1),
    ([Fault(code="LimitExceeded.OutOfCountLimit")], "reached a limit", "LimitExceeded.OutOfCountLimit", 1),
    ([Fault(code="AuthFailure.SecretIdNotFound")], "refused the bot's credentials", "AuthFailure.SecretIdNotFound", 1),
    ([Fault(code="FailedOperation.AgentNotExist")], "did not allow this operation", "FailedOperation.AgentNotExist", 1),
], ids=["InternalError", "DBError-after-create", "502", "not-json", "throttled-twice", "signature-expired",
        "invalid-parameter", "quota", "auth", "failed-operation"])
def test_each_ccc_failure_reaches_the_thread_in_words(product: Stack, faults: list[Fault], words: str, code: str,
                                                      creates: int) -> None:
    product.ccc.inject(CREATE, *faults)
    launch(product)
    _parent, reply = thread(product)
    assert words in reply["text"]
    if code:
        assert f"Error code `{code}`" in reply["text"]
    if faults[-1].raw_body is None:  # every JSON answer carries Tencent's RequestId, and the thread shows it
        assert "RequestId `" in reply["text"]
    assert len(product.ccc.creates()) == creates  # ambiguous failures are never retried


def test_without_access_to_the_channel_the_result_comes_privately(product: Stack) -> None:
    product.slack.unpostable.add("C_PRIVATE")
    launch(product, channel="C_PRIVATE")
    (ephemeral,) = (c.params for c in product.slack.wait_for("chat.postEphemeral"))
    assert ephemeral["user"] == "U_SUP" and "CampaignId" in ephemeral["text"]


def test_when_even_an_ephemeral_fails_the_result_is_a_dm(product: Stack) -> None:
    product.slack.unpostable.add("C_SHARED")
    product.slack.no_ephemeral.add("C_SHARED")
    launch(product, channel="C_SHARED")
    dm = product.slack.wait_for("chat.postMessage", channel="U_SUP")[0].params
    assert "CampaignId" in dm["text"]


def test_slack_rate_limits_are_waited_out(product: Stack) -> None:
    product.slack.rate_limited["views.open"] = 1
    product.driver.command()
    opened = product.slack.wait_for("views.open", 2, timeout=15)
    assert opened[1].at - opened[0].at >= 0.9  # Retry-After: 1 was honoured


@pytest.mark.parametrize("forgery", ["wrong-secret", "stale", "missing"])
def test_forged_and_stale_requests_are_refused_with_no_effect(product: Stack, forgery: str) -> None:
    body = b"command=%2Fdialcampaign&text=&user_id=U_SUP&channel_id=C_OPS&team_id=T0001&trigger_id=1.1"
    now = int(time.time())
    if forgery == "wrong-secret":
        response = product.driver.post(body, "application/x-www-form-urlencoded",
                                       signature=sign(body, now, "not-the-secret"))
    elif forgery == "stale":
        response = product.driver.post(body, "application/x-www-form-urlencoded", timestamp=now - 301)
    else:
        response = product.driver.client.post(f"{product.app.url}/slack/events", content=body,
                                              headers={"Content-Type": "application/x-www-form-urlencoded"})
    assert response.status_code == 401
    # A genuine request behind it is served: had the forged one got through, its effects would show by then.
    product.driver.command()
    product.slack.wait_for("views.open")
    assert {c.method for c in product.slack.calls} <= {"users.info", "views.open"}
    assert len(product.slack.of("views.open")) == 1 and not product.ccc.creates()


def test_fifty_simultaneous_launches_all_land_once(product: Stack) -> None:
    previews = [product.preview({**FORM, "name": f"Burst {i}"}) for i in range(50)]
    product.slack.calls.clear()
    with ThreadPoolExecutor(max_workers=50) as pool:
        responses = list(pool.map(product.driver.submit, previews))
    assert all(r.status_code == 200 and r.json()["response_action"] == "update" for r in responses)
    replies = [c.params for c in product.slack.wait_for("chat.postMessage", 100, timeout=30)
               if c.params.get("thread_ts")]
    assert len(replies) == 50
    assert all("CampaignId" in r["text"] for r in replies), [r["text"] for r in replies]
    assert sorted(c["Name"] for c in product.ccc.campaigns.values()) == sorted(f"Burst {i}" for i in range(50))


def test_nothing_secret_is_ever_logged(product: Stack) -> None:
    product.ccc.inject(CREATE, Fault(code="AuthFailure.SecretIdNotFound"))
    launch(product)
    thread(product)
    product.driver.post(b"x=1", "application/x-www-form-urlencoded", signature="v0=deadbeef")
    log = product.app.output()
    assert "ready" in log  # the log is being written
    for secret in (SECRET_KEY, SECRET_ID, SIGNING_SECRET, BOT_TOKEN):
        assert secret not in log
    assert "13012345670" not in log  # nor the numbers people asked us to call
    slack_text = json.dumps([c.params for c in product.slack.calls])
    assert SECRET_KEY not in slack_text and SECRET_ID not in slack_text


def test_a_form_slack_would_not_open_is_explained(product: Stack) -> None:
    product.slack.errors["views.open"] = "expired_trigger_id"
    product.driver.command()
    deadline = time.monotonic() + 5
    while not product.slack.responses and time.monotonic() < deadline:
        time.sleep(0.02)
    (answer,) = product.slack.responses
    assert answer["response_type"] == "ephemeral" and "expired_trigger_id" in answer["text"]
    assert "run /dialcampaign again" in answer["text"]


def test_a_form_opened_before_the_caller_picker_existed_still_launches(product: Stack) -> None:
    view = product.open_form()
    for block in view["blocks"]:
        if block.get("block_id") == "callers":  # the earlier shape of the field: typed, one per line
            block["element"] = {"type": "plain_text_input", "action_id": "callers", "multiline": True}
    response = product.driver.submit(view, {**FORM, "callers": "0086075586013388\n008602088881234"})
    preview = response.json()["view"]
    product.driver.submit(preview)
    thread(product)
    (create,) = product.ccc.creates()
    assert create.params["Callers"] == ["0086075586013388", "008602088881234"]


def test_an_english_speaker_in_shanghai_sees_an_english_example(product: Stack) -> None:
    product.slack.users["U_EXPAT"] = {"tz": "Asia/Shanghai", "locale": "en-GB"}
    view = product.open_form(user="U_EXPAT")
    window = next(b for b in view["blocks"] if b.get("block_id") == "window")
    assert "tomorrow" in window["element"]["placeholder"]["text"]
    assert "Asia/Shanghai" in window["hint"]["text"]


def test_the_numbers_hint_names_the_default_region(product: Stack) -> None:
    view = product.open_form()
    callees = next(b for b in view["blocks"] if b.get("block_id") == "callees")
    assert "read as numbers of CN (+86)" in callees["hint"]["text"]


def test_healthz_answers_when_ready(product: Stack) -> None:
    response = httpx.get(f"{product.app.url}/healthz", timeout=5, trust_env=False)
    assert response.status_code == 200 and response.json() == {"ok": True, "ccc": "tencent"}
