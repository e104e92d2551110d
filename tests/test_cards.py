"""The campaign card, its thread notes and the card budget: what people see for each state, pure and in process."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

from bot.campaign.command_text import is_prefill
from bot.campaign.state import LiveCampaign
from bot.campaign.tracking import Event
from bot.slack.cards import card, note, state_words
from bot.slack.notifier import CardBudget
from tests.fakes.blockkit import message_problems

START = datetime(2026, 12, 1, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai


def campaign(**over: Any) -> LiveCampaign:
    values: dict[str, Any] = dict(ref=7, team_id="T1", launcher="U_SUP", channel_id="C1", thread_ts="1.2",
                                  name="Renewals <VIP> & co", agent="a@example.com", tz="Asia/Shanghai", start=START,
                                  end=START + timedelta(hours=2), total=200, phase="calling", campaign_id=1004,
                                  called=50)
    return LiveCampaign(**{**values, **over})


def buttons(message: dict[str, Any]) -> list[str]:
    return [e["action_id"] for b in message["blocks"] if b["type"] == "actions" for e in b["elements"]]


def test_each_state_in_words_with_the_buttons_that_make_sense() -> None:
    assert buttons(card(campaign())) == ["campaign_refresh", "campaign_stop"]
    assert buttons(card(campaign(phase="scheduled", called=0))) == ["campaign_refresh", "campaign_stop"]
    assert buttons(card(campaign(phase="finished", called=200))) == ["campaign_refresh"]
    assert buttons(card(campaign(phase="unknown", campaign_id=None))) == ["campaign_found"]
    assert buttons(card(campaign(phase="not_created", campaign_id=None, why="CCC refused <it>"))) == []
    assert "*Calling* — 50 of 200 numbers called" in state_words(campaign())
    assert "▓▓▓░░░░░░░ 25%" in state_words(campaign())
    stopped = campaign(phase="stopped", stopped_by="U_BOSS", stopped_at=START + timedelta(minutes=31))
    assert f"*Stopped* by <@U_BOSS> <!date^{int((START + timedelta(minutes=31)).timestamp())}^" in state_words(stopped)
    assert "outside Slack" in state_words(campaign(phase="stopped"))
    assert "CCC refused &lt;it&gt;" in state_words(campaign(phase="not_created", why="CCC refused <it>"))
    assert "Check the CCC console" in state_words(campaign(phase="unknown"))


def test_the_card_escapes_typed_text_and_fits_slacks_limits() -> None:
    for phase in ("launching", "scheduled", "calling", "finished", "stopped", "not_created", "unknown"):
        message = card(campaign(phase=phase, name="N" * 200))
        assert not message_problems(message), message_problems(message)
    text = json.dumps(card(campaign()), ensure_ascii=False)
    assert "Renewals &lt;VIP&gt; &amp; co" in text and "<VIP>" not in text
    stop = next(e for b in card(campaign())["blocks"] if b["type"] == "actions" for e in b["elements"]
                if e["action_id"] == "campaign_stop")
    assert stop["value"] == "7" and stop["style"] == "danger"
    assert "150 numbers not yet called" in stop["confirm"]["text"]["text"]


def test_how_it_ended_mentions_the_requester_with_the_times_in_their_zone() -> None:
    ended = START + timedelta(hours=1, minutes=52)
    finished = note(campaign(phase="finished", called=200, ended_at=ended), Event("finished", at=ended))
    assert finished["text"] == (f"<@U_SUP> Finished: 200 of 200 numbers called, "
                                f"<!date^{int(START.timestamp())}^{{time}}|10:00>–"
                                f"<!date^{int(ended.timestamp())}^{{time}}|11:52>")


def test_the_watcher_spends_a_share_of_the_card_budget_and_clicks_always_answer() -> None:
    now = [0.0]
    budget = CardBudget(per_minute=30, burst=10, reserve=4, clock=lambda: now[0])
    progress = sum(budget.take("T1", "progress") for _ in range(100))
    assert progress == 6  # progress keeps 4 tokens back for changes of state
    assert sum(budget.take("T1", "change") for _ in range(100)) == 4
    assert budget.take("T1", "person") and budget.take("T1", "person")  # a click answers even with nothing left
    for _ in range(20):
        budget.take("T1", "person")  # a storm of clicks: the debt stops at one burst
    now[0] = 22.0  # 11 tokens refilled: back to 1
    assert budget.take("T1", "change") and not budget.take("T1", "change")
    now[0] = 100.0
    assert sum(budget.take("T1", "change") for _ in range(100)) == 10  # capped at the burst
    assert budget.take("T2", "change")  # another workspace has its own bucket


def test_only_an_agent_or_a_window_prefills_the_form() -> None:
    now = datetime(2026, 11, 25, 12, tzinfo=UTC)
    assert is_prefill("agent@example.com tomorrow 9-11", now=now) and is_prefill("明天上午9点到11点", now=now)
    assert is_prefill("tomorrow 5pm", now=now)  # a window the form will flag (no end) is still a window
    assert not is_prefill("1004", now=now) and not is_prefill("statuss please", now=now)
