"""The Launch use case in-process, against fakes of its ports: never twice, every step on record before anyone is
told, and each failure told to the person."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from bot.adapters import StoreAdapter, failure
from bot.campaign.draft import CampaignDraft, FormInput
from bot.campaign.launch import Launch, Launchable, Refused
from bot.campaign.ports import (
    AlreadyLaunched,
    AuditEvent,
    CallerNumber,
    Campaign,
    CampaignStore,
    CccFailure,
    Created,
    NewCampaign,
    Notice,
    NotRecorded,
    Outcome,
    Progress,
    Requester,
    StaffMember,
)
from bot.campaign.service import CampaignService
from bot.store.repository import Store
from bot.tencent.errors import CccOutcomeUnknown, InvalidRequest

NOW = datetime(2026, 11, 25, 2, tzinfo=UTC)
WHO = Requester("T0001", "U_SUP", "C_OPS")
DRAFT = CampaignDraft(name="Renewals", agent="agent@example.com", callees=["+8613012345670", "+8613012345671"],
                      callers=[], start=NOW + timedelta(hours=1), end=NOW + timedelta(hours=3), tz="Asia/Shanghai",
                      concurrency=2, call_order=1)


@dataclass
class FakeCcc:
    fail: CccFailure | None = None
    creates: list[CampaignDraft] = field(default_factory=list)

    async def create(self, draft: CampaignDraft) -> Created:
        self.creates.append(draft)
        await asyncio.sleep(0)  # other launches get their turn while CCC "works"
        if self.fail:
            raise self.fail
        return Created(campaign_id=1000 + len(self.creates), request_id=f"req-{len(self.creates)}")

    async def describe(self, campaign_id: int) -> Progress:
        raise NotImplementedError

    async def abort(self, campaign_id: int) -> str:
        raise NotImplementedError

    async def staff(self) -> list[StaffMember]:
        return []

    async def numbers(self) -> list[CallerNumber]:
        return []


class MemoryStore:
    """A CampaignStore in memory; yields at every call so concurrent launches really interleave."""

    def __init__(self) -> None:
        self.drafts: dict[str, str] = {}
        self.campaigns: dict[str, Campaign] = {}
        self.audits: list[AuditEvent] = []
        self.reported: list[int] = []
        self.broken = False

    async def save_draft(self, draft_id: str, *, team_id: str, user_id: str, payload: str, at: datetime) -> None:
        self.drafts[draft_id] = payload

    async def load_draft(self, draft_id: str) -> str | None:
        return self.drafts.get(draft_id)

    async def prune_drafts(self, older_than: datetime) -> int:
        return 0

    async def claim(self, new: NewCampaign) -> int | None:
        await asyncio.sleep(0)
        if self.broken:
            raise OSError("database is gone")
        if new.launch_key in self.campaigns:
            return None
        d = new.draft
        self.campaigns[new.launch_key] = Campaign(
            ref=len(self.campaigns) + 1, launch_key=new.launch_key, status="unknown", team_id=WHO.team_id,
            user_id=WHO.user_id, channel_id=WHO.channel_id, name=d.name, agent=d.agent, tz=d.tz, start=d.start,
            end=d.end, concurrency=d.concurrency, call_order=d.call_order, uui=d.uui, callers=d.callers,
            callees=d.callees, campaign_id=None, request_id=None, error_code=None, created_at=new.at, thread_ts=None)
        return len(self.campaigns)

    def _by_ref(self, ref: int) -> tuple[str, Campaign]:
        return next((k, c) for k, c in self.campaigns.items() if c.ref == ref)

    async def record_thread(self, ref: int, thread_ts: str) -> None:
        key, campaign = self._by_ref(ref)
        self.campaigns[key] = Campaign(**{**campaign.__dict__, "thread_ts": thread_ts})

    async def record_outcome(self, ref: int, outcome: Outcome, at: datetime) -> None:
        key, campaign = self._by_ref(ref)
        self.campaigns[key] = Campaign(**{**campaign.__dict__, "status": outcome.status,
                                          "campaign_id": outcome.campaign_id})

    async def settle(self, ref: int, outcome: Outcome, event: AuditEvent, at: datetime) -> bool:
        await self.record_outcome(ref, outcome, at)
        await self.audit(event)
        return True

    async def mark_reported(self, ref: int, at: datetime) -> None:
        self.reported.append(ref)

    async def by_key(self, launch_key: str) -> Campaign | None:
        return self.campaigns.get(launch_key)

    async def recent(self, team_id: str, limit: int) -> list[Campaign]:
        return list(self.campaigns.values())[-limit:]

    async def with_fingerprint(self, team_id: str, fingerprint: str) -> list[Campaign]:
        return []

    async def audit(self, event: AuditEvent) -> None:
        await asyncio.sleep(0)
        self.audits.append(event)


@dataclass
class FakeNotifier:
    """Records what people were told, and what the audit trail held at that moment."""

    store: MemoryStore | None = None
    parents: list[str] = field(default_factory=list)
    replies: list[tuple[str | None, Outcome, list[str]]] = field(default_factory=list)
    told: list[Notice] = field(default_factory=list)

    async def post_parent(self, requester: Requester, draft: CampaignDraft) -> str | None:
        self.parents.append(draft.name)
        return f"ts-{len(self.parents)}"

    async def reply(self, requester: Requester, thread: str | None, draft: CampaignDraft, outcome: Outcome) -> None:
        audited = [e.action for e in self.store.audits] if self.store else []
        self.replies.append((thread, outcome, audited))

    async def tell(self, requester: Requester, notice: Notice) -> None:
        self.told.append(notice)


def launch(store: CampaignStore, ccc: FakeCcc, notifier: FakeNotifier, now: datetime = NOW) -> Launch:
    service = CampaignService(store=store, clock=lambda: now)
    return Launch(ccc=ccc, store=store, notifier=notifier, service=service, clock=lambda: now)


async def saved(store: CampaignStore) -> str:
    return await CampaignService(store=store, clock=lambda: NOW).save_draft(DRAFT, FormInput(), WHO)


async def test_the_same_preview_confirmed_three_times_at_once_creates_one_campaign() -> None:
    store, ccc = MemoryStore(), FakeCcc()
    notifier = FakeNotifier(store)
    use_case = launch(store, ccc, notifier)
    checked = await use_case.check(await saved(store), WHO)
    assert isinstance(checked, Launchable)
    outcomes = await asyncio.gather(*(use_case.run(checked, WHO) for _ in range(3)))
    assert len(ccc.creates) == 1
    assert [o.status for o in outcomes if o] == ["created"]
    assert notifier.parents == ["Renewals"] and len(notifier.replies) == 1
    assert len(notifier.told) == 2 and all(isinstance(n, AlreadyLaunched) for n in notifier.told)
    assert [e.action for e in store.audits] == ["launch", "created"]
    assert store.reported == [1]  # told: a restart has nothing to report for it


async def test_never_twice_holds_on_the_real_store(database_url: str) -> None:
    store = Store(database_url.replace("postgresql://", "postgresql+psycopg://", 1))
    store.migrate()
    try:
        adapter, ccc = StoreAdapter(store), FakeCcc()
        notifier = FakeNotifier()
        use_case = launch(adapter, ccc, notifier)
        checked = await use_case.check(await saved(adapter), WHO)
        assert isinstance(checked, Launchable)
        await asyncio.gather(*(use_case.run(checked, WHO) for _ in range(3)))
        assert len(ccc.creates) == 1 and len(notifier.told) == 2
        (campaign,) = await adapter.recent(WHO.team_id, 10)
        assert (campaign.status, campaign.campaign_id, campaign.thread_ts) == ("created", 1001, "ts-1")
        assert campaign.start == DRAFT.start and campaign.start.tzinfo is not None
    finally:
        store.close()


async def test_a_claim_lost_to_another_replica_tells_the_person_it_was_launched_already() -> None:
    store, ccc, notifier = MemoryStore(), FakeCcc(), FakeNotifier()
    draft_id = await saved(store)
    await launch(store, FakeCcc(), FakeNotifier()).run(Launchable(draft_id, DRAFT), WHO)  # the other replica
    assert await launch(store, ccc, notifier).run(Launchable(draft_id, DRAFT), WHO) is None
    assert not ccc.creates and not notifier.parents and not notifier.replies
    (notice,) = notifier.told
    assert isinstance(notice, AlreadyLaunched) and notice.campaign.campaign_id == 1001


async def test_a_store_failure_at_claim_sends_nothing_and_tells_the_person() -> None:
    store, ccc, notifier = MemoryStore(), FakeCcc(), FakeNotifier()
    draft_id = await saved(store)
    store.broken = True
    assert await launch(store, ccc, notifier).run(Launchable(draft_id, DRAFT), WHO) is None
    assert not ccc.creates and not notifier.parents and not notifier.replies
    assert notifier.told == [NotRecorded("Renewals")]


async def test_the_outcome_is_on_the_audit_trail_before_the_person_hears_it() -> None:
    store = MemoryStore()
    ccc = FakeCcc(fail=CccFailure("unknown", "no answer", code="InternalError", request_id="req-x"))
    notifier = FakeNotifier(store)
    outcome = await launch(store, ccc, notifier).run(Launchable(await saved(store), DRAFT), WHO)
    assert outcome and outcome.status == "unknown" and "may or may not" in outcome.summary
    ((thread, told, audited_then),) = notifier.replies
    assert thread == "ts-1" and told == outcome and audited_then == ["launch", "unknown"]
    (campaign,) = store.campaigns.values()
    assert campaign.status == "unknown" and campaign.thread_ts == "ts-1"


async def test_a_stale_or_expired_preview_is_refused_and_audited() -> None:
    store = MemoryStore()
    draft_id = await saved(store)
    late = launch(store, FakeCcc(), FakeNotifier(), now=DRAFT.start + timedelta(seconds=61))
    assert await late.check(draft_id, WHO) == Refused(
        "The window's start has passed since the preview. Go back and choose a later time.")
    just_in_time = launch(store, FakeCcc(), FakeNotifier(), now=DRAFT.start + timedelta(seconds=59))
    assert isinstance(await just_in_time.check(draft_id, WHO), Launchable)
    expired = await launch(store, FakeCcc(), FakeNotifier()).check("no-such-draft", WHO)
    assert expired == Refused("This preview has expired. Run /dialcampaign again.")
    assert [e.action for e in store.audits] == ["refused", "refused"]
    denied = await launch(store, FakeCcc(), FakeNotifier()).check(draft_id, WHO, denied="Not a launcher.")
    assert denied == Refused("Not a launcher.") and store.audits[-1].action == "denied"


def test_tencent_errors_reach_the_domain_as_kinds_with_code_and_request_id() -> None:
    invalid = failure(InvalidRequest("bad agent", code="InvalidParameterValue", request_id="r1"))
    assert (invalid.kind, invalid.message, invalid.code, invalid.request_id) == (
        "invalid", "bad agent", "InvalidParameterValue", "r1")
    assert failure(CccOutcomeUnknown("HTTP 502", code="")).kind == "unknown"


async def test_a_draft_launches_only_for_its_owner_in_its_team_and_channel() -> None:
    store = MemoryStore()
    draft_id = await saved(store)
    use_case = launch(store, FakeCcc(), FakeNotifier())
    other_user = await use_case.check(draft_id, Requester("T0001", "U_OTHER", "C_OPS"))
    assert isinstance(other_user, Refused) and "belongs to <@U_SUP>" in other_user.reason
    other_channel = await use_case.check(draft_id, Requester("T0001", "U_SUP", "C_ELSEWHERE"))
    assert isinstance(other_channel, Refused) and "made in <#C_OPS>" in other_channel.reason
    other_team = await use_case.check(draft_id, Requester("T_OTHER", "U_SUP", "C_OPS"))
    assert isinstance(other_team, Refused) and "another workspace" in other_team.reason
    assert [(e.action, e.requester.user_id, e.requester.channel_id, e.requester.team_id) for e in store.audits] == [
        ("denied", "U_OTHER", "C_OPS", "T0001"), ("denied", "U_SUP", "C_ELSEWHERE", "T0001"),
        ("denied", "U_SUP", "C_OPS", "T_OTHER")]
    assert isinstance(await use_case.check(draft_id, WHO), Launchable)
