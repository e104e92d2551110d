"""The same access rule at every step, through the real app: command, status/stop/list, Preview, Back, option loads
and Launch; a draft launches only for its owner in its channel; requests for another team or app are refused; App
Home, status, stop and list show a person their own campaigns and those of channels they are in; and every answer
comes inside Slack's 3 s."""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from tests.fakes.ccc import Fault
from tests.harness import CREATE, FORM, TEAM, AppProcess, Stack, rows, start_stack, thread

USERS = ("U_SUP", "UOTHER01", "ULEAD01", "U_NOBODY", "U_MEMBER")


@pytest.fixture(scope="module")
def locked(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    launchers = {"DIALCAMPAIGN_LAUNCHERS": "SOPS01,UOTHER01,SLEADS01"}
    product = start_stack(tmp_path_factory.mktemp("locked"), env=launchers,
                          users={u: {"tz": "America/Los_Angeles"} for u in USERS})
    product.slack.groups.update({"SOPS01": ["U_SUP"], "SLEADS01": ["ULEAD01"]})
    yield product
    product.close()


@pytest.fixture
def app(locked: Stack) -> Stack:
    locked.reset()
    return locked


def denied(product: Stack, user: str) -> list[dict[str, Any]]:
    return rows(product, f"SELECT * FROM audit_events WHERE user_id = '{user}' AND action = 'denied' ORDER BY id")


def shown(product: Stack, view_id: str) -> str:
    """What the modal `view_id` was last updated to show."""
    update = product.slack.wait_for("views.update", view_id=view_id)[-1]
    return json.dumps(update.params["view"], ensure_ascii=False)


def test_a_launch_by_another_launcher_is_refused_and_audited(app: Stack) -> None:
    preview = {**app.preview(FORM), "id": "V_MINE"}
    response = app.driver.submit(preview, user="UOTHER01")  # a launcher too, but not theirs
    assert response.json()["view"]["title"]["text"] == "Launching…"
    assert "belongs to <@U_SUP>" in shown(app, "V_MINE")
    assert denied(app, "UOTHER01")[-1]["channel_id"] == "C_OPS"
    app.driver.submit(preview)  # its owner still can
    thread(app)
    assert len(app.ccc.creates()) == 1


def test_a_preview_moved_to_another_channel_is_refused_and_audited(app: Stack) -> None:
    preview = app.preview(FORM)
    moved = {**preview, "id": "V_MOVED", "private_metadata": preview["private_metadata"].replace("C_OPS", "C_ELSE")}
    app.driver.submit(moved)
    assert "made in <#C_OPS>" in shown(app, "V_MOVED")
    assert denied(app, "U_SUP")[-1]["channel_id"] == "C_ELSE"
    assert not app.ccc.creates() and not app.slack.of("chat.postMessage")


def test_requests_for_another_team_or_app_are_refused(app: Stack) -> None:
    preview = app.preview(FORM)
    before = len(denied(app, "U_SUP"))
    assert app.driver.command(team="T_ELSEWHERE").status_code == 200
    assert app.driver.submit(preview, app="A_IMPOSTOR").text == ""
    assert app.driver.submit(preview, team="T_ELSEWHERE").text == ""
    # each is audited once it has been turned away, never to reach a listener: after the three, none can still act
    until(lambda: len(denied(app, "U_SUP")) >= before + 3, "the refusals were never audited")
    assert len(app.slack.of("views.open")) == 1 and not app.slack.responses  # the preview's own form only
    assert not app.ccc.creates() and not app.slack.of("chat.postMessage")
    reasons = [json.loads(r["detail"])["reason"] for r in denied(app, "U_SUP")[-3:]]
    assert any("team T_ELSEWHERE" in r for r in reasons) and any("app A_IMPOSTOR" in r for r in reasons)


def suggest(product: Stack, user: str, channel: str) -> dict[str, Any]:
    payload = {"type": "block_suggestion", "team": {"id": TEAM}, "user": {"id": user, "team_id": TEAM},
               "api_app_id": "A0001", "token": "legacy", "action_id": "agent", "block_id": "agent", "value": "ada",
               "view": {"type": "modal", "callback_id": "dialcampaign_form", "id": "V1", "state": {"values": {}},
                        "private_metadata": json.dumps({"channel": channel})}}
    return dict(product.driver.interaction(payload).json())


def test_someone_who_may_not_launch_gets_no_preview_no_back_and_no_options(app: Stack) -> None:
    form = app.open_form()
    answer = app.driver.submit(form, FORM, user="U_NOBODY").json()
    assert answer["response_action"] == "update" and "not allowed to launch" in json.dumps(answer["view"])
    assert not rows(app, "SELECT * FROM drafts WHERE user_id = 'U_NOBODY'")
    preview = {**app.preview(FORM), "id": "V_BACK"}
    app.driver.click(preview, "dialcampaign_back", user="U_NOBODY")
    assert "not allowed to launch" in shown(app, "V_BACK")
    assert "may not launch" in json.dumps(suggest(app, "U_NOBODY", "C_OPS"))
    assert "Ada Agent" in json.dumps(suggest(app, "U_SUP", "C_OPS"))
    assert len(denied(app, "U_NOBODY")) >= 2  # the preview and Back are on the trail


def test_app_home_shows_own_campaigns_and_those_of_channels_one_is_in(app: Stack) -> None:
    app.slack.channels.update({"C_OPS": ["U_SUP", "U_MEMBER"], "C_SECRET": ["UOTHER01"]})
    app.driver.submit(app.preview({**FORM, "name": "Ops renewals"}))
    app.driver.submit(app.preview({**FORM, "name": "Secret winback"}, user="UOTHER01", channel="C_SECRET"),
                      user="UOTHER01")
    app.slack.wait_for("chat.postMessage", 4)

    def home(user: str) -> str:
        before = len(app.slack.of("views.publish"))
        event = {"token": "legacy", "team_id": TEAM, "api_app_id": "A0001", "type": "event_callback",
                 "event_id": f"Ev{user}{time.time()}", "event_time": int(time.time()),
                 "event": {"type": "app_home_opened", "user": user, "channel": "D0001", "tab": "home"}}
        assert app.driver.post(json.dumps(event).encode(), "application/json").status_code == 200
        return json.dumps(app.slack.wait_for("views.publish", before + 1)[-1].params["view"], ensure_ascii=False)

    member, other, outsider = home("U_MEMBER"), home("UOTHER01"), home("U_NOBODY")
    assert "Ops renewals" in member and "Secret winback" not in member
    assert "Secret winback" in other and "Ops renewals" not in other
    assert "Ops renewals" not in outsider and "Secret winback" not in outsider


def test_a_window_is_at_most_200_characters(app: Stack) -> None:
    answer = app.driver.submit(app.open_form(), {**FORM, "window": "tomorrow 9am to 11am " * 12}).json()
    assert answer["errors"] == {"window": "The window is at most 200 characters (this is 252) — say just when, "
                                          "e.g. 'tomorrow 9am to 11:30'."}


def test_launch_acks_in_time_while_the_user_group_lookup_waits_out_429s(app: Stack) -> None:
    preview = {**app.preview(FORM, user="ULEAD01"), "id": "V_LEAD"}  # checked (and cached) on this replica
    replica = AppProcess(app.env, app.app.log.parent).wait_ready()  # a replica whose cache is cold
    try:
        app.slack.rate_limited["usergroups.users.list"] = 1
        # Slack: come back in 9 s — the lookup must still be waiting through every answer below: the Launch's "slow"
        # comes 5 s after it (POST_ACK_BUDGET), and the list may come as late as 3 + 5 s after the Launch
        app.slack.retry_after["usergroups.users.list"] = 9
        answered = len([c for c in app.slack.of("usergroups.users.list") if c.status == 200])
        other = type(app.driver)(replica.url, app.driver.response_base)
        started = time.monotonic()
        response = other.submit(preview, user="ULEAD01")
        assert time.monotonic() - started < 3 and response.json()["view"]["title"]["text"] == "Launching…"
        started = time.monotonic()
        other.command(user="ULEAD01")  # the command is answered within the trigger's life too
        deadline = time.monotonic() + 3
        while not app.slack.responses and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "Slack is slow" in app.slack.responses[0]["text"] and time.monotonic() - started < 3
        other.command("list", user="ULEAD01")  # so are status, stop and list: an honest "slow", never a guess
        assert "Slack is slow" in answers(app, 2, timeout=3)[1]["text"] and time.monotonic() - started < 5
        assert "Slack is slow" in shown(app, "V_LEAD")  # the Launch: the preview again, to press once Slack answers
        # the lookup comes back (Slack answers it after the Retry-After) ...
        deadline = time.monotonic() + 30
        while len([c for c in app.slack.of("usergroups.users.list") if c.status == 200]) < answered + 1:
            assert time.monotonic() < deadline, "the user-group lookup never came back"
            time.sleep(0.05)
        # ... and the replica has its answer: a list now lists (it waits for no lookup), so whatever the lookup could
        # have set off has had its turn
        other.command("list", user="ULEAD01")
        assert "Slack is slow" not in answers(app, 3)[2]["text"]
        assert not app.ccc.creates()  # nothing was launched late
        assert len(app.slack.of("views.open")) == 1  # the preview's own form: none opened late either
    finally:
        replica.stop()


def test_a_database_that_hangs_still_gets_answers_in_time(fresh: Stack) -> None:
    preview = fresh.preview(FORM)
    path = fresh.database_url.removeprefix("sqlite:///")
    holder = sqlite3.connect(path, timeout=1, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # every write waits (SQLite's busy timeout is 30 s)
    try:
        started = time.monotonic()
        answer = fresh.driver.submit(fresh.open_form(), FORM).json()
        assert time.monotonic() - started < 3.5  # the form opened, then the preview answered in time
        assert "database is slow" in answer["errors"]["name"]
        started = time.monotonic()
        launched = fresh.driver.submit(preview)
        assert time.monotonic() - started < 3 and launched.json()["view"]["title"]["text"] == "Launching…"
        fresh.ccc.inject(CREATE, Fault(delay=0))
        time.sleep(1)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    _parent, reply = thread(fresh)  # once the database takes writes again, the launch goes on
    assert "CampaignId" in reply["text"]


def test_a_launch_slack_stopped_waiting_for_launches_nothing(fresh: Stack) -> None:
    preview = fresh.preview(FORM)
    fresh.app.stop()
    fresh.slack.rate_limited["auth.test"] = 1
    fresh.slack.retry_after["auth.test"] = 4  # start-up waits for Slack to accept the token: 4 s
    fresh.app = AppProcess(fresh.env, fresh.app.log.parent)
    fresh.driver.app_url = fresh.app.url
    deadline = time.monotonic() + 30
    while True:  # the port opens at once; /healthz says 503 while starting
        try:
            if httpx.get(f"{fresh.app.url}/healthz", timeout=1, trust_env=False).status_code == 503:
                break
        except httpx.TransportError:
            pass
        assert time.monotonic() < deadline, fresh.app.output()
        time.sleep(0.05)
    started = time.monotonic()
    response = fresh.driver.submit(preview)  # waits for start-up: Slack would have given up after 3 s
    assert response.status_code == 200 and time.monotonic() - started > 3
    fresh.app.wait_ready()
    # the refusal is audited after the request was answered, and the request's handling ends there
    until(lambda: rows(fresh, "SELECT * FROM audit_events WHERE action = 'refused'"), "the late Launch was not audited")
    assert not fresh.ccc.creates() and not fresh.slack.of("chat.postMessage")
    (late,) = rows(fresh, "SELECT * FROM audit_events WHERE action = 'refused'")
    assert "too long" in json.loads(late["detail"])["reason"]


def test_a_campaigns_buttons_answer_only_its_launcher_and_those_the_launch_rule_allows(app: Stack) -> None:
    app.driver.submit(app.preview({**FORM, "name": "Buttons"}))
    thread(app)
    (campaign,) = rows(app, "SELECT id, thread_ts FROM campaigns WHERE name = 'Buttons'")
    describes = len([r for r in app.ccc.received if r.action.startswith("Describe")])
    for action in ("campaign_refresh", "campaign_stop"):
        app.driver.press(action, str(campaign["id"]), user="U_NOBODY", message_ts=campaign["thread_ts"])
    deadline = time.monotonic() + 5
    while len(app.slack.responses) < 2 and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(app.slack.responses) == 2
    assert all("Only <@U_SUP>" in r["text"] for r in app.slack.responses), app.slack.responses
    assert not [r for r in app.ccc.received if r.action == "AbortAgentCruiseDialingCampaign"]
    assert len([r for r in app.ccc.received if r.action.startswith("Describe")]) == describes  # CCC not asked
    assert [json.loads(r["detail"])["reason"] for r in denied(app, "U_NOBODY")[-2:]] == [
        "may not refresh", "may not stop"]


def until(check: Callable[[], object], what: str, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, what
        time.sleep(0.02)


def answers(product: Stack, count: int, timeout: float = 10.0) -> list[dict[str, Any]]:
    """The first `count` answers given through response_url (the subcommands answer there, after the ack)."""
    deadline = time.monotonic() + timeout
    while len(product.slack.responses) < count and time.monotonic() < deadline:
        time.sleep(0.02)
    assert len(product.slack.responses) >= count, product.slack.responses
    return product.slack.responses[:count]


def test_status_stop_and_list_are_refused_and_audited_for_someone_who_may_not_launch(app: Stack) -> None:
    app.driver.submit(app.preview({**FORM, "name": "Not for them"}))
    thread(app)
    (campaign,) = rows(app, "SELECT id FROM campaigns WHERE name = 'Not for them'")
    before = len(denied(app, "U_NOBODY"))
    for typed in ("status Not for them", f"stop {campaign['id']}", "list", "列表 mine"):
        assert app.driver.command(typed, user="U_NOBODY").status_code == 200
    said = answers(app, 4)
    assert all(a["response_type"] == "ephemeral" and "not allowed to launch" in a["text"] for a in said), said
    assert "Not for them" not in json.dumps(said)
    assert len(denied(app, "U_NOBODY")) == before + 4


def test_a_launcher_not_in_a_campaigns_channel_is_told_it_does_not_exist(app: Stack) -> None:
    app.slack.channels.update({"C_HIDDEN": ["UOTHER01"], "C_LEADS": ["ULEAD01"]})
    app.driver.submit(app.preview({**FORM, "name": "Hidden winback"}, user="UOTHER01", channel="C_HIDDEN"),
                      user="UOTHER01")
    thread(app)
    deadline = time.monotonic() + 10
    while not (found := rows(app, "SELECT campaign_id FROM campaigns WHERE name = 'Hidden winback' "
                                  "AND campaign_id IS NOT NULL")) and time.monotonic() < deadline:
        time.sleep(0.05)
    campaign_id = found[0]["campaign_id"]
    for typed in (f"status {campaign_id}", "status 424242", f"stop {campaign_id}", "stop 424242",
                  "status hidden winback"):
        app.driver.command(typed, user="ULEAD01", channel="C_LEADS")
        (said,) = answers(app, 1)
        app.slack.responses.clear()
        assert said["text"].replace(str(campaign_id), "424242").replace("hidden winback", "424242") in {
            "I know no campaign with CampaignId or name “424242” — only campaigns launched from Slack are listed "
            "(`/dialcampaign list`).", "I know no campaign “424242” launched from Slack."}, said
        assert "blocks" not in said
    app.driver.command("list", user="ULEAD01", channel="C_HIDDEN")  # a channel they are not in
    assert "Hidden winback" not in json.dumps(answers(app, 1), ensure_ascii=False)
    app.slack.responses.clear()
    app.driver.command(f"stop {campaign_id}", user="UOTHER01", channel="C_LEADS")  # its launcher finds it anywhere
    assert "campaign_stop" in json.dumps(answers(app, 1))
    assert not denied(app, "ULEAD01")
