"""End to end after Launch: the card kept current by the watcher, Refresh and Stop pressed as Slack posts them, the
status / stop / list / help commands, and reconciling an unknown outcome — the real app against the fakes, with the
fake CCC's clock moved by the test."""

from __future__ import annotations

import itertools
import json
import signal
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from tests.fakes.ccc import Fault
from tests.harness import FORM, Stack, start_stack

ABORT = "AbortAgentCruiseDialingCampaign"
DESCRIBE = "DescribeAgentCruiseDialingCampaign"
# The watcher checks every second, and its card updates are not held back by the workspace's budget (25 a minute
# by default): the module's many launches and clicks would otherwise leave each card waiting up to ~14 s for it.
LIFE_ENV = {"DIALCAMPAIGN_WATCH_INTERVAL": "1", "DIALCAMPAIGN_CALLING_HOURS": "",
            "DIALCAMPAIGN_CARD_UPDATES_PER_MINUTE": "6000"}


@pytest.fixture(scope="module")
def life_stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    product = start_stack(tmp_path_factory.mktemp("life"), env=LIFE_ENV)
    yield product
    product.close()


@pytest.fixture
def live(life_stack: Stack) -> Stack:
    life_stack.reset()
    return life_stack


def launch(product: Stack, name: str, *, window: str = "now for 2 hours", user: str = "U_SUP") -> dict[str, Any]:
    """Launch through the form; returns the card's parent message (with its ts) once CCC has answered. Only this
    launch's own posts count: a module's product, reset between tests, may still post for earlier tests' campaigns."""
    before = len(product.slack.of("chat.postMessage"))
    preview = product.preview({**FORM, "name": name, "window": window}, user=user)
    assert product.driver.submit(preview, user=user).status_code == 200
    shown = "*" + name.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "*"  # as mrkdwn escapes it
    deadline = time.monotonic() + 30
    while True:
        posts = [c.params for c in product.slack.of("chat.postMessage")[before:] if shown in c.params.get("text", "")]
        parent = next((p for p in posts if "thread_ts" not in p), None)
        reply = next((p for p in posts if "thread_ts" in p), None)
        if parent is not None and reply is not None:
            return {**parent, "ts": str(parent.get("ts") or reply["thread_ts"])}
        assert time.monotonic() < deadline, f"no card and reply for {name!r}: {posts}"
        time.sleep(0.02)


def cards(product: Stack, ts: str) -> list[dict[str, Any]]:
    return [c.params for c in product.slack.of("chat.update") if c.params.get("ts") == ts]


def wait_card(product: Stack, ts: str, needle: str, timeout: float = 30.0) -> dict[str, Any]:
    """The card as `needle` says (a watcher update comes at its next check: within two intervals)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for params in reversed(cards(product, ts)):
            if needle in json.dumps(params, ensure_ascii=False):
                return dict(params)
        time.sleep(0.05)
    raise AssertionError(f"no card update with {needle!r}: {[c.get('text') for c in cards(product, ts)]}")


def button(card: dict[str, Any], action_id: str) -> dict[str, Any]:
    found = [e for b in card["blocks"] for e in b.get("elements", []) if e.get("action_id") == action_id]
    assert found, f"no {action_id} on the card"
    return dict(found[0])


def thread_replies(product: Stack, ts: str) -> list[str]:
    return [str(c.params.get("text")) for c in product.slack.of("chat.postMessage") if c.params.get("thread_ts") == ts]


def wait_reply(product: Stack, ts: str, needle: str, timeout: float = 10.0) -> str:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        found = [t for t in thread_replies(product, ts) if needle in t]
        if found:
            return found[-1]
        time.sleep(0.05)
    raise AssertionError(f"no thread reply with {needle!r}: {thread_replies(product, ts)}")


def wait_response(product: Stack, needle: str, timeout: float = 10.0) -> dict[str, Any]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        for answer in reversed(product.slack.responses):
            if needle in json.dumps(answer, ensure_ascii=False):
                return dict(answer)
        time.sleep(0.05)
    raise AssertionError(f"no response_url answer with {needle!r}: {product.slack.responses}")


# -- the card and the watcher -------------------------------------------------------------------------------------


def test_the_card_follows_the_campaign_from_launch_to_finished_and_the_thread_says_so(live: Stack) -> None:
    parent = launch(live, "Card life")
    assert "Launching" in parent["text"]  # posted before CCC answers, never left that way:
    (campaign_id,) = live.ccc.campaigns
    created = wait_card(live, parent["ts"], f"CampaignId *{campaign_id}*")
    assert "Agent agent@example.com · 3 numbers" in created["text"] and "<!date^" in created["text"]
    calling = wait_card(live, parent["ts"], "*Calling* — 0 of 3 numbers called")  # the watcher saw it start
    assert "░░░░░░░░░░ 0%" in calling["text"]
    assert {b["action_id"] for b in calling["blocks"][-1]["elements"]} == {"campaign_refresh", "campaign_stop"}

    live.ccc.clock_offset = 3 * 3600  # CCC's clock passes the window's end
    wait_card(live, parent["ts"], "*Finished* — 3 of 3 numbers called")
    note = wait_reply(live, parent["ts"], "Finished:")
    assert note.startswith("<@U_SUP> Finished: 3 of 3 numbers called, <!date^")
    describes = len(live.ccc.of(DESCRIBE))
    time.sleep(2.5)  # finished: the watcher asks no more, and says it once
    assert len(live.ccc.of(DESCRIBE)) == describes
    assert len([t for t in thread_replies(live, parent["ts"]) if "Finished:" in t]) == 1


def test_a_campaign_stopped_in_the_console_is_reported_in_its_thread(live: Stack) -> None:
    parent = launch(live, "Console stop")
    (campaign_id,) = live.ccc.campaigns
    wait_card(live, parent["ts"], "*Calling*")
    live.ccc.campaigns[campaign_id].update(AbortedAt=live.ccc.now(), CalledAtAbort=1)  # someone used the console
    wait_card(live, parent["ts"], "*Stopped* outside Slack (in the CCC console) — 1 of 3 numbers called")
    assert wait_reply(live, parent["ts"], "Stopped outside Slack").startswith("<@U_SUP> Stopped outside Slack")


def test_refresh_asks_ccc_now_and_shows_the_counts(live: Stack) -> None:
    parent = launch(live, "Refreshing", window="in 10 minutes for 2 hours")
    card = wait_card(live, parent["ts"], "*Scheduled*")
    live.ccc.clock_offset = 600 + 3600  # halfway through the window
    before = len(live.ccc.of(DESCRIBE))
    ref = button(card, "campaign_refresh")["value"]
    assert live.driver.press("campaign_refresh", ref, message_ts=parent["ts"]).status_code == 200
    wait_card(live, parent["ts"], "*Calling* — 1 of 3 numbers called")
    assert len(live.ccc.of(DESCRIBE)) == before + 1


# -- Stop ---------------------------------------------------------------------------------------------------------


def test_stop_asks_to_confirm_then_aborts_and_says_who_and_when(live: Stack) -> None:
    parent = launch(live, "Stop me <now>")
    (campaign_id,) = live.ccc.campaigns
    card = wait_card(live, parent["ts"], "*Calling*")
    stop = button(card, "campaign_stop")
    assert stop["style"] == "danger"
    assert "*Stop me &lt;now&gt;*" in stop["confirm"]["text"]["text"]  # the name, escaped
    assert "3 numbers not yet called" in stop["confirm"]["text"]["text"]
    assert live.driver.press("campaign_stop", stop["value"], message_ts=parent["ts"]).status_code == 200
    wait_card(live, parent["ts"], "*Stopped* by <@U_SUP> <!date^")
    assert wait_reply(live, parent["ts"], "Stopped by").startswith(":octagonal_sign: Stopped by <@U_SUP> <!date^")
    (abort,) = live.ccc.of(ABORT)
    assert abort.params["CampaignId"] == campaign_id and abort.outcome == "ok"
    assert live.ccc.lifecycle(live.ccc.campaigns[campaign_id])[0] == 3

    live.driver.press("campaign_stop", stop["value"], message_ts=parent["ts"])  # pressed again
    assert "was already stopped" in wait_response(live, "already stopped")["text"]
    assert len(live.ccc.of(ABORT)) == 1


def test_an_ambiguous_abort_is_checked_with_describe_before_the_card_changes(live: Stack) -> None:
    parent = launch(live, "Ambiguous stop")
    card = wait_card(live, parent["ts"], "*Calling*")
    live.ccc.inject(ABORT, Fault(code="InternalError", process=True))
    live.ccc.received.clear()
    live.driver.press("campaign_stop", button(card, "campaign_stop")["value"], message_ts=parent["ts"])
    wait_card(live, parent["ts"], "*Stopped* by <@U_SUP>")
    actions = [r.action for r in live.ccc.received]
    assert actions.index(ABORT) < len(actions) - 1 and DESCRIBE in actions[actions.index(ABORT):]


def test_only_the_launcher_or_a_launcher_may_stop_and_a_refusal_is_audited(tmp_path: Path) -> None:
    product = start_stack(tmp_path, env={**LIFE_ENV, "DIALCAMPAIGN_LAUNCHERS": "ULEAD,UBOSS"},
                          users={"ULEAD": {"tz": "America/Los_Angeles"}, "UBOSS": {"tz": "UTC"}})
    try:
        parent = launch(product, "Guarded", user="ULEAD")
        card = wait_card(product, parent["ts"], "*Calling*")
        ref = button(card, "campaign_stop")["value"]
        product.driver.press("campaign_stop", ref, user="UINTRUDER", message_ts=parent["ts"])
        refusal = wait_response(product, "can stop")
        assert refusal["response_type"] == "ephemeral" and "<@ULEAD>" in refusal["text"]
        assert not product.ccc.of(ABORT)
        with create_engine(product.database_url).connect() as conn:
            audited = [tuple(r) for r in conn.execute(text("SELECT action, user_id FROM audit_events "
                                                           "WHERE action = 'denied'"))]
        assert audited == [("denied", "UINTRUDER")]
        product.driver.press("campaign_stop", ref, user="UBOSS", message_ts=parent["ts"])
        wait_card(product, parent["ts"], "*Stopped* by <@UBOSS>")
    finally:
        product.close()


# -- commands -----------------------------------------------------------------------------------------------------


def test_status_by_campaign_id_or_name_in_english_or_chinese(live: Stack) -> None:
    parent = launch(live, "Status check")
    (campaign_id,) = live.ccc.campaigns
    wait_card(live, parent["ts"], "*Calling*")
    forms = len(live.slack.of("views.open"))
    assert live.driver.command(f"status {campaign_id}").status_code == 200
    answer = wait_response(live, f"CampaignId *{campaign_id}*")
    assert answer["response_type"] == "ephemeral" and "*Calling*" in answer["text"]
    live.slack.responses.clear()
    live.driver.command("状态 STATUS CHECK")  # a name, any case
    assert "*Calling*" in wait_response(live, "Status check")["text"]
    live.driver.command("status 424242")
    assert "I know no campaign" in wait_response(live, "424242")["text"]
    assert len(live.slack.of("views.open")) == forms


def test_stop_command_offers_the_confirmed_button_and_never_aborts_by_itself(live: Stack) -> None:
    parent = launch(live, "Stop by command")
    (campaign_id,) = live.ccc.campaigns
    wait_card(live, parent["ts"], "*Calling*")
    live.driver.command(f"停止 {campaign_id}")
    offer = wait_response(live, "campaign_stop")
    (stop,) = [e for b in offer["blocks"] for e in b.get("elements", [])]
    assert stop["action_id"] == "campaign_stop" and stop["style"] == "danger" and "confirm" in stop
    assert not live.ccc.of(ABORT)  # the command's answer is out: it did not abort
    live.driver.press("campaign_stop", stop["value"], ephemeral=True)
    wait_card(live, parent["ts"], "*Stopped* by <@U_SUP>")
    assert len(live.ccc.of(ABORT)) == 1  # the button's only: the command did not abort after answering either


def test_list_shows_this_channels_campaigns_with_links_and_list_mine_yours(live: Stack) -> None:
    first = launch(live, "Listed one")
    launch(live, "Listed two", user="U_SUP")
    live.slack.users["U_B"] = {"tz": "UTC"}
    live.slack.responses.clear()
    live.driver.command("list")
    answer = wait_response(live, "Recent campaigns in this channel")
    body = json.dumps(answer["blocks"], ensure_ascii=False)
    assert "*Listed one*" in body and "*Listed two*" in body
    assert f"<https://acme.slack.com/archives/C_OPS/p{first['ts'].replace('.', '')}|thread>" in body
    assert live.slack.of("chat.getPermalink")
    live.driver.command("列表 mine", user="U_B")
    assert "You have not launched" in wait_response(live, "You have not launched")["text"]


@pytest.mark.parametrize("typed", ["help", "帮助", "1004", "launch", "statuss please"])
def test_help_or_a_word_that_is_no_command_gets_the_help_never_the_form(live: Stack, typed: str) -> None:
    forms = len(live.slack.of("views.open"))
    response = live.driver.command(typed)
    assert response.status_code == 200
    answer = response.json()
    assert answer["response_type"] == "ephemeral" and "/dialcampaign status" in answer["text"]
    assert len(live.slack.of("views.open")) == forms


def test_an_agent_or_a_window_still_prefills_the_form(live: Stack) -> None:
    view = live.open_form("agent@example.com tomorrow 9-11")
    window = next(b for b in view["blocks"] if b.get("block_id") == "window")
    assert window["element"]["initial_value"] == "tomorrow 9-11"
    live.open_form("明天上午9点到11点")


# -- outcome unknown ----------------------------------------------------------------------------------------------


def test_an_unknown_outcome_is_reconciled_with_the_id_found_in_the_console(live: Stack) -> None:
    live.ccc.inject("CreateAgentCruiseDialingCampaign", Fault(code="InternalError", process=True))
    parent = launch(live, "Lost in transit")
    (campaign_id,) = live.ccc.campaigns  # CCC did create it; the bot cannot know which id
    card = wait_card(live, parent["ts"], "*Outcome unknown*")
    found = button(card, "campaign_found")
    opened = len(live.slack.of("views.open"))  # the modal opens after the ack: wait for it, not an earlier form
    assert live.driver.press("campaign_found", found["value"], message_ts=parent["ts"]).status_code == 200
    modal = dict(live.slack.wait_for("views.open", opened + 1)[-1].params["view"])

    other = launch(live, "Someone else's")
    other_id = max(live.ccc.campaigns)
    wait_card(live, other["ts"], "*Calling*")
    wrong = live.driver.submit(modal, {"campaign_id": str(other_id)}).json()
    assert wrong["response_action"] == "errors" and "is already recorded" in wrong["errors"]["campaign_id"]
    missing = live.driver.submit(modal, {"campaign_id": "99999"}).json()
    assert "CCC has no campaign 99999" in missing["errors"]["campaign_id"]

    assert live.driver.submit(modal, {"campaign_id": str(campaign_id)}, user="U_SUP").text == ""
    wait_card(live, parent["ts"], f"CampaignId *{campaign_id}*")
    assert "found it in the CCC console" in wait_reply(live, parent["ts"], "found it")
    wait_card(live, parent["ts"], "*Calling*")  # and the watcher follows it from now on
    with create_engine(live.database_url).connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM audit_events WHERE action = 'reconciled'")).scalar_one() == 1


# -- App Home -----------------------------------------------------------------------------------------------------


def test_app_home_opens_the_form_and_stops_a_running_campaign(live: Stack) -> None:
    parent = launch(live, "From home")
    wait_card(live, parent["ts"], "*Calling*")
    forms = len(live.slack.of("views.open"))
    live.driver.press("dialcampaign_new", "", home=True)
    form = live.slack.wait_for("views.open", forms + 1)[-1].params["view"]
    assert json.loads(form["private_metadata"])["channel"] == "D_SUP"  # its card goes to the DM with the bot
    event = {"token": "legacy", "team_id": "T0001", "api_app_id": "A0001", "type": "event_callback",
             "event_id": "Ev0002", "event_time": int(time.time()),
             "event": {"type": "app_home_opened", "user": "U_SUP", "channel": "D0001", "tab": "home"}}
    live.driver.post(json.dumps(event).encode(), "application/json")
    home = live.slack.wait_for("views.publish")[-1].params["view"]
    (line,) = [b for b in home["blocks"] if "From home" in json.dumps(b, ensure_ascii=False)]
    assert "*Calling*" in line["text"]["text"]
    live.driver.press("campaign_stop", line["accessory"]["value"], home=True)
    wait_card(live, parent["ts"], "*Stopped* by <@U_SUP>")
    republished = live.slack.wait_for("views.publish", 2)[-1].params["view"]
    assert "*Stopped* by <@U_SUP>" in json.dumps(republished, ensure_ascii=False)


# -- replicas -----------------------------------------------------------------------------------------------------


def _describes(product: Stack, campaign_id: int) -> list[float]:
    return [r.at for r in product.ccc.of(DESCRIBE) if r.params.get("CampaignId") == campaign_id]


def test_one_replica_watches_each_campaign_and_a_dead_ones_are_taken_over(tmp_path: Path) -> None:
    from tests.conftest import new_postgres_database, postgres_server
    from tests.harness import AppProcess

    if not postgres_server():
        pytest.skip("replicas share PostgreSQL (DIALCAMPAIGN_TEST_POSTGRES)")
    product = start_stack(tmp_path, database_url=new_postgres_database(), env=LIFE_ENV)
    second = AppProcess(product.env, tmp_path).wait_ready()
    try:
        parent = launch(product, "Watched once")
        (campaign_id,) = product.ccc.campaigns
        wait_card(product, parent["ts"], "*Calling*")
        deadline = time.monotonic() + 20  # both replicas run their watchers: wait for four checks, not a fixed time
        while len(_describes(product, campaign_id)) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        seen = _describes(product, campaign_id)
        gaps = [b - a for a, b in itertools.pairwise(seen)]
        # one replica, once an interval (leases and due times are whole seconds: 1-2 s apart here): never both
        assert len(seen) >= 3 and min(gaps) > 0.9, gaps

        engine = create_engine(product.database_url.replace("postgresql://", "postgresql+psycopg://"))
        with engine.connect() as conn:
            owner = conn.execute(text("SELECT lease_owner FROM campaigns")).scalar_one()
        engine.dispose()
        holder, survivor = (product.app, second) if f":{product.app.proc.pid}:" in owner else (second, product.app)
        assert f":{holder.proc.pid}:" in owner
        checks = len(_describes(product, campaign_id))
        deadline = time.monotonic() + 5
        while len(_describes(product, campaign_id)) == checks and time.monotonic() < deadline:
            time.sleep(0.005)
        assert len(_describes(product, campaign_id)) > checks, "the holder stopped checking"
        killed_at = time.time()
        holder.stop(signal.SIGKILL)  # just after a check, no clean shutdown: its lease must run out
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and not [t for t in _describes(product, campaign_id) if t > killed_at]:
            time.sleep(0.05)
        taken = [t for t in _describes(product, campaign_id) if t > killed_at]
        last = max(t for t in _describes(product, campaign_id) if t <= killed_at)
        # Within two intervals of its last check (+1 s: leases are kept in whole seconds, rounded up). Stored, that
        # check left the lease at ceil(answer) + 1 + 0 (grace: 1 // 2); not stored, its claim's lease, ceil(claim) + 1,
        # from before it: either way it ends under 2 s after `last`, and the survivor claims twice a second.
        assert taken and taken[0] - last <= 2 * 1 + 1, taken[0] - last

        survivor.stop()  # a clean stop hands its leases back; a new process resumes from the store
        third = AppProcess(product.env, tmp_path).wait_ready()
        restarted = time.time()
        try:
            deadline = time.monotonic() + 8
            while time.monotonic() < deadline and not [t for t in _describes(product, campaign_id) if t > restarted]:
                time.sleep(0.05)
            assert [t for t in _describes(product, campaign_id) if t > restarted]
        finally:
            third.stop()
    finally:
        second.stop()
        product.close()


def test_the_stop_offered_by_the_do_not_call_list_stops_through_the_same_handler(live: Stack) -> None:
    parent = launch(live, "Listed number inside")
    wait_card(live, parent["ts"], "*Calling*")
    live.driver.command("dnc add 13012345670 asked us to stop")
    offer = wait_response(live, "campaign_stop")
    (stop,) = [e for b in offer["blocks"] if b["type"] == "actions" for e in b["elements"]
               if e["text"]["text"] == "Stop Listed number inside"]  # earlier tests' campaigns call it too
    assert "*Listed number inside*" in stop["confirm"]["text"]["text"]
    live.driver.press("campaign_stop", stop["value"], ephemeral=True)
    wait_card(live, parent["ts"], "*Stopped* by <@U_SUP>")
    assert len(live.ccc.of(ABORT)) == 1
