"""Every view and message, in every language, inside Block Kit's limits: each builder rendered with the longest
realistic inputs (the longest translation decides whether a label or a title still fits)."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest

from bot.campaign.dnc_ports import DncEntry, Running
from bot.campaign.draft import CampaignDraft, DraftInvalid, FieldName, FormInput, build_draft
from bot.campaign.launch import explain
from bot.campaign.policy import check_calling_hours, hours_message, warnings
from bot.campaign.ports import Campaign, CccFailure, Outcome
from bot.campaign.state import LiveCampaign, Phase
from bot.campaign.text import lazy
from bot.campaign.tracking import Event
from bot.i18n import LANGUAGES, Translator, translator
from bot.slack import cards, dnc_views, label, messages, replies, views
from bot.slack.access import SLOW
from bot.slack.metadata import Metadata
from tests.english import english_in
from tests.fakes.blockkit import message_problems, view_problems

START = datetime(2026, 11, 26, 1, 0, tzinfo=UTC)
NAME = "二〇二六年第四季度华东区高价值客户续约回访及满意度调查外呼任务（第三批次，含重点客户与流失预警客户）" * 2
AGENT = "very.long.agent.name.for.the.east.china.renewals.team@customer-service.example-enterprise.com.cn"
CALLERS = [f"00860755860{i:05d}" for i in range(15)]
CALLEES = [f"+86130{i:08d}" for i in range(10_000)]


def draft() -> CampaignDraft:
    return CampaignDraft(
        name=NAME[:200], agent=AGENT, callees=CALLEES, callers=CALLERS, start=START,
        end=START + timedelta(hours=23, minutes=59), tz="America/Argentina/ComodRivadavia", concurrency=20,
        call_order=0, uui="u" * 1024, duplicates=123_456, invalid=98_765,
        invalid_examples=[f"row {100_000 + i}: '{'x' * 30}'" for i in range(5)],
        readings=["“下午2点到4点”按 14:00–16:00 理解（未写上午或下午）"] * 3)


def campaign(i: int, status: str) -> Campaign:
    return Campaign(ref=i, launch_key=f"k{i}", status=status, team_id="T1", user_id="U0123456789",
                    channel_id="C0123456789", name=NAME[:200], agent=AGENT, tz="Asia/Shanghai", start=START,
                    end=START + timedelta(hours=2), concurrency=20, call_order=1, uui="", callers=CALLERS,
                    callees=CALLEES[:5000], campaign_id=None if status == "unknown" else 10**9 + i,
                    request_id="0d3c7f5e-2b1a-4c8e-9f00-123456789abc", error_code="LimitExceeded.OutOfCountLimit",
                    created_at=START, thread_ts="1700000000.000100")


PHASES: tuple[Phase, ...] = ("launching", "scheduled", "calling", "finished", "stopped", "not_created", "unknown")


def live(phase: Phase, ref: int = 1) -> LiveCampaign:
    return LiveCampaign(ref=ref, team_id="T1", launcher="U0123456789", channel_id="C0123456789", thread_ts="1.2",
                        name=NAME[:200], agent=AGENT, tz="Asia/Shanghai", start=START, end=START + timedelta(hours=24),
                        total=50_000, phase=phase, campaign_id=None if phase == "unknown" else 10**12, called=12_345,
                        checked_at=START, ended_at=START, stopped_by="U0123456789" if phase == "stopped" else None,
                        stopped_at=START, code="LimitExceeded.OutOfCountLimit",
                        why="The CCC account has reached a limit (too many campaigns or numbers). Nothing was created.",
                        request_id="0d3c7f5e-2b1a-4c8e-9f00-123456789abc")


def form_errors() -> dict[FieldName, str]:
    """Every field wrong at once, with the longest sentences the domain says."""
    try:
        build_draft(FormInput(name="N" * 300, agent="ghost", callees="\n".join(f"bad{i}" for i in range(50)),
                              callers=("0086999",), window="tomorrow 9am", concurrency="99", uui="u" * 2000),
                    tz="Asia/Shanghai", now=START, agents=None, callers=["0086075586013388"])
    except DraftInvalid as exc:
        errors = dict(exc.errors)
    hours = (time(8), time(21))
    zones = ["+12125550100", "+14155550100", "+13125550100", "+8613012345670", "+442071234567"]
    errors["window"] = hours_message(check_calling_hours(zones, START, START + timedelta(hours=20), hours), hours,
                                     "America/Argentina/ComodRivadavia")
    errors["callees_file"] = lazy("Slack answered with a login page instead of the file: the bot lacks the files:read "
                                  "permission. Ask an admin to reinstall the app with that scope, or paste the "
                                  "numbers instead.")
    return errors


RUNNING = [Running(ref=i, name=NAME[:200], campaign_id=10**9 + i, user_id="U0123456789", numbers=CALLEES[:50])
           for i in range(20)]
REMOVED = {"dnc": CALLEES[:500], "frequency": CALLEES[500:900], "region": CALLEES[900:950], "hours": []}
PROBLEMS: list[str] = [lazy("{number}: the expiry '{expiry}' is not a date like 2026-12-31", number=n, expiry="x" * 30)
            for n in CALLEES[:100]]


def views_in(tr: Translator) -> dict[str, dict[str, Any]]:
    metadata = Metadata(channel="C0123456789", draft="0d3c7f5e-2b1a-4c8e-9f00-123456789abc")
    form = FormInput(name=NAME, agent=AGENT, callees="\n".join(CALLEES[:300]), callers=tuple(CALLERS),
                     window="明天上午9点到11点" * 20, concurrency="20", call_order="0", uui="u" * 1024)
    earlier = [messages.identical_warning(campaign(i, "unknown"), tr) for i in range(3)]
    return {
        "form": views.campaign_form(form, tz="America/Argentina/ComodRivadavia", tr=tr, region="CN",
                                    metadata=metadata, errors=form_errors()),
        "checking": views.checking(metadata, tr),
        "preview": views.preview(draft(), metadata=metadata, warnings=[*earlier, *warnings(20)], tr=tr),
        "dnc_upload": dnc_views.upload_form({"channel": "C0123456789"}, tr, error=lazy(
            "The file has no phone number to add. {problems}", problems="; ".join(tr.render(p) for p in PROBLEMS[:3]))),
        "dnc_uploaded": dnc_views.uploaded(10**6, PROBLEMS, 10**5, RUNNING, tr),
        "dnc_checking": dnc_views.checking({"channel": "C0123456789"}, tr),
        "dnc_refused": dnc_views.uploaded_refused(lazy(
            "Only the do-not-call admins ({who}) may change the do-not-call list; ask one of them, or the bot's admin "
            "to add you to DIALCAMPAIGN_DNC_ADMINS.", who=", ".join(f"<@U{i:010d}>" for i in range(50))), tr),
        "preview_compliance": views.preview(draft(), metadata=metadata, warnings=[], tr=tr,
                                            compliance=dnc_views.compliance(REMOVED, 5, tr, hours_checked=True)),
        "found": cards.found_modal(live("unknown"), tr, lazy(
            "Campaign {campaign_id} in CCC is “{name}” with another window or name than this launch sent — not this "
            "one.", campaign_id=10**12, name=NAME[:200])),
        "home": replies.home_view([live(PHASES[i % len(PHASES)]) for i in range(10)],
                                  [live(PHASES[i % len(PHASES)], ref=100 + i) for i in range(15)], tr),
        "launching": views.launching(metadata, tr),
        **{f"launched_{i}": views.launched(outcome, NAME[:200], tr) for i, outcome in enumerate([
            None, explain(CccFailure("invalid", "参数错误：" * 300, code="InvalidParameterValue")),
            explain(CccFailure("unknown", code="InternalError")),
            Outcome(status="created", summary=lazy("Campaign created."), campaign_id=10**12)])},
        "again": views.again(views.preview(draft(), metadata=metadata, warnings=[], tr=tr), SLOW, tr),
        "notice": views.notice(tr.gettext("Not launched"), lazy(
            "You are not allowed to launch dialing campaigns. Ask one of the launchers ({who}) or the bot's admin to "
            "add you to DIALCAMPAIGN_LAUNCHERS.", who=", ".join(f"<@U{i:010d}>" for i in range(50))), tr),
    }


def messages_in(tr: Translator) -> dict[str, dict[str, Any]]:
    failure = CccFailure("invalid", "参数错误：" + "被叫号码格式不正确；" * 100, code="InvalidParameterValue",
                         request_id="0d3c7f5e-2b1a-4c8e-9f00-123456789abc")
    created = Outcome(status="created", summary=lazy("Campaign created."), campaign_id=10**12,
                      request_id="0d3c7f5e-2b1a-4c8e-9f00-123456789abc")
    return {
        "help": messages.help_message(tr),
        "launching": cards.launching(draft(), "U0123456789", tr),
        **{f"card_{phase}": cards.card(live(phase), tr) for phase in PHASES},
        **{f"note_{kind}": cards.note(live("stopped"), Event(kind, at=START, by="U0123456789"), tr)
           for kind in ("stopped", "finished", "stopped_outside", "reconciled")},
        **{f"status_{phase}": replies.status(live(phase), tr) for phase in PHASES},
        **{f"stop_offer_{phase}": replies.stop_offer(live(phase), tr) for phase in PHASES},
        "listing": replies.listing(tr.gettext("Recent campaigns in this channel"),
                                   [(live(PHASES[i % len(PHASES)]), "https://acme.slack.com/archives/C1/p1")
                                    for i in range(30)], "", tr),
        "created": messages.outcome(created, draft(), tr),
        "failed": messages.outcome(explain(failure), draft(), tr),
        "unknown": messages.outcome(explain(CccFailure("unknown", code="InternalError")), draft(), tr),
        "already": messages.already_launched(campaign(1, "unknown"), tr),
        "orphaned": messages.orphaned(campaign(1, "unknown"), tr),
        "dnc_help": dnc_views.help_message(tr),
        "dnc_added": dnc_views.added(CALLEES[:1000], "客户多次要求停止来电" * 20, ["x" * 64] * 50, RUNNING, tr),
        "dnc_removed": dnc_views.removed(CALLEES[:1000], CALLEES[1000:2000], tr),
        "dnc_checked": dnc_views.checked(CALLEES[0], DncEntry(CALLEES[0], "r" * 500, "U0123456789", START, START),
                                         RUNNING, tr),
        "dnc_late": dnc_views.late_removal(NAME[:200], CALLEES[:5000], tr, everything=False),
        "refused": messages.refused(lazy("Campaigns can only be launched from {where}.",
                                         where=", ".join(f"<#C{i:010d}>" for i in range(100))), tr),
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_view_fits_block_kit_in_every_language(language: str) -> None:
    problems = {name: view_problems(view) for name, view in views_in(translator(language)).items()}
    assert not {name: found for name, found in problems.items() if found}


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_message_fits_block_kit_in_every_language(language: str) -> None:
    problems = {name: message_problems(message) for name, message in messages_in(translator(language)).items()}
    assert not {name: found for name, found in problems.items() if found}


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_sandbox_label_is_stamped_in_the_views_language_within_the_limits(language: str) -> None:
    tr = translator(language)
    for name, view in views_in(tr).items():
        stamped = label.stamp_view(view, tr)
        assert not view_problems(stamped), (name, view_problems(stamped))
        if language != "en":
            assert not english_in(stamped["blocks"][0]), stamped["blocks"][0]
            assert "title" not in stamped or not english_in(stamped["title"]["text"])
    for name, message in messages_in(tr).items():
        assert not message_problems(label.stamp_message(message, tr)), name
