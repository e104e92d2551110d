"""Services (the process's long-lived parts) and build_app(services) -> AsyncApp: the one place the Slack app, its
listeners and the domain's use cases are put together."""

from __future__ import annotations

import asyncio
import logging
import os
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import Executor, ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial
from multiprocessing import get_context
from typing import Any

from pydantic import SecretStr
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot import region_cache
from bot.adapters import CccAdapter, StoreAdapter
from bot.background import Background, journal_path
from bot.campaign.checks import Checks
from bot.campaign.directory import Directory
from bot.campaign.dnc import DoNotCall
from bot.campaign.launch import Launch
from bot.campaign.ports import Requester
from bot.campaign.recovery import Recovery
from bot.campaign.regions import BlockedRegions, Tables, build_tables, data_version, geocoder_lookup
from bot.campaign.screening import Screener
from bot.campaign.service import CampaignService
from bot.campaign.window import warm_up
from bot.config import Settings
from bot.dnc_adapter import ComplianceAdapter
from bot.draining import InFlight
from bot.i18n import parse_language
from bot.slack import label, listeners
from bot.slack.access import Access
from bot.slack.client import web_client
from bot.slack.context import Context
from bot.slack.delivery import Delivery
from bot.slack.files import Files
from bot.slack.language import Languages
from bot.slack.members import Members
from bot.slack.notifier import CardBudget, SlackNotifier
from bot.slack.profiles import Profiles
from bot.slack.tenancy import Installation, claimed, gate
from bot.slack.transport import accepted_token
from bot.store.durable import Durable, Journal
from bot.store.repository import Store
from bot.tencent.client import CccClient, RetryPolicy
from bot.watcher import WatcherLoop
from bot.wiring import Lifecycle, build_lifecycle

log = logging.getLogger(__name__)


def utc_now() -> datetime:
    return datetime.now(UTC)


@dataclass
class Services:
    """The process's long-lived parts, built by the composition root and closed by it."""

    settings: Settings
    ccc: CccClient
    store: Store
    slack: AsyncWebClient
    clock: Callable[[], datetime] = utc_now
    in_flight: InFlight = field(default_factory=InFlight)
    executor: ProcessPoolExecutor | None = None
    warmups: list[Callable[[], Awaitable[object]]] = field(default_factory=list)  # awaited by start()
    background: Background = field(default_factory=Background)  # started by start(), stopped by stop()
    instance: str = field(default_factory=lambda: str(uuid.uuid4()))  # this process, in the instances table
    durable: Durable | None = None
    on_stop: list[Callable[[], Awaitable[object]]] = field(default_factory=list)  # after launches have drained
    _lifecycle: Lifecycle | None = None
    _languages: Languages | None = None
    _regions: BlockedRegions | None = None
    watcher: WatcherLoop | None = None

    def languages(self) -> Languages:
        """Whose language each answer is in, built once (its profiles cache is shared by listeners and watcher)."""
        if self._languages is None:
            self._languages = Languages(Profiles(self.slack), parse_language(self.settings.dialcampaign_language))
        return self._languages

    def regions(self) -> BlockedRegions:
        """The blocked regions, built once; their tables arrive at start-up (`load_regions`) from the cache on disk, or
        else from a child process.
        The few numbers the tables cannot settle are asked of the geocoder in the process pool: the serving process
        never imports phonenumbers' full geocoding data (~100 MB)."""
        if self._regions is None:
            lookup = partial(_pool_lookup, self.executor) if self.executor is not None else None
            self._regions = BlockedRegions(self.settings.blocked_regions, lookup=lookup)
        return self._regions

    async def load_regions(self) -> None:
        rules = self.settings.blocked_regions
        if rules:
            self.regions().use(await asyncio.to_thread(region_cache.load, rules, tables_in_child))

    def lifecycle(self) -> Lifecycle:
        """A campaign's life after Launch, built once: shared by the listeners and the watcher."""
        if self._lifecycle is None:
            settings = self.settings  # what Slack cannot take now waits in the outbox:
            delivery = Delivery(self.slack, self.durable, retry=settings.dialcampaign_outbox_retry)
            budget = CardBudget(per_minute=settings.dialcampaign_card_updates_per_minute)
            self._lifecycle = build_lifecycle(
                ccc=CccAdapter(self.ccc), store=StoreAdapter(self.store, self.durable, self.instance),
                engine=self.store.engine, notifier=SlackNotifier(delivery, self.languages(), budget),
                delivery=delivery, clock=self.clock, interval=settings.dialcampaign_watch_interval)
        return self._lifecycle

    @classmethod
    def from_settings(cls, settings: Settings, clock: Callable[[], datetime] = utc_now) -> Services:
        store = Store(settings.database_url)
        slack = web_client(_required(settings.slack_bot_token), settings.slack_api_url, labelled=settings.sandbox,
                           pace=pace(settings))
        # Workers start by "spawn": forking a process that runs threads and an event loop is unsafe.
        executor = ProcessPoolExecutor(max_workers=os.cpu_count() or 2, mp_context=get_context("spawn"))
        durable = Durable(store.engine, Journal(journal_path(settings.database_url)))
        return cls(settings=settings, ccc=ccc_client(settings, store, clock), store=store, slack=slack, clock=clock,
                   executor=executor, durable=durable)

    async def aclose(self) -> None:
        await self.ccc.aclose()
        self.store.close()
        if self.executor is not None:
            self.executor.shutdown(wait=False, cancel_futures=True)


def tables_in_child(rules: tuple[tuple[str, str], ...]) -> Tables:
    # A process of its own, gone once the tables are back: its ~100 MB of geocoding data goes with it.
    with ProcessPoolExecutor(max_workers=1, mp_context=get_context("spawn")) as child:
        return child.submit(build_tables, rules).result()


def _pool_lookup(executor: Executor, e164: str, names: tuple[str, ...]) -> str | None:
    return executor.submit(geocoder_lookup, e164, names).result()  # called from a thread, never the event loop


def _required(secret: SecretStr | None) -> str:
    assert secret is not None, "load_settings() reports a missing required secret before anything is built"
    return secret.get_secret_value()


def pace(settings: Settings) -> float:
    """How long the pauses before trying Slack or CCC again are, as a fraction of the built-in ones."""
    return settings.dialcampaign_retry_percent / 100


def ccc_client(settings: Settings, store: Store, clock: Callable[[], datetime] = utc_now) -> CccClient:
    """Tencent CCC, or the embedded sandbox when no Tencent credentials are configured (DIALCAMPAIGN_SANDBOX)."""
    retry = RetryPolicy().paced(pace(settings))
    if settings.sandbox:
        from bot.sandbox import sandbox_client

        return sandbox_client(store.engine, clock, retry=retry)
    token = settings.tencentcloud_session_token
    assert settings.ccc_sdk_app_id is not None
    return CccClient(endpoint=settings.ccc_endpoint, secret_id=_required(settings.tencentcloud_secret_id),
                     secret_key=_required(settings.tencentcloud_secret_key),
                     session_token=token.get_secret_value() if token else None, sdk_app_id=settings.ccc_sdk_app_id,
                     retry=retry)


def build_app(services: Services) -> AsyncApp:
    settings = services.settings
    secret = settings.slack_signing_secret
    app = AsyncApp(
        name="dialcampaign",  # else Bolt names it with inspect.stack(), which reads every frame's source: ~0.2 s
        client=services.slack,
        signing_secret=secret.get_secret_value() if secret else None,
        process_before_response=False,
    )
    store = StoreAdapter(services.store, services.durable, services.instance)
    ccc = CccAdapter(services.ccc)
    service = CampaignService(store=store, clock=services.clock)
    directory = Directory(ccc)
    lifecycle = services.lifecycle()
    notifier = lifecycle.notifier
    recovery = Recovery(store=store, reporter=notifier, clock=services.clock,
                        beat=timedelta(seconds=settings.dialcampaign_heartbeat))
    services.warmups.append(recovery.tick)  # at start: a launch cut short by the last stop is told at once
    services.background.add(recovery.beat.total_seconds(), "recovery", recovery.tick)
    services.background.add(lifecycle.life.delivery.retry, "outbox", lifecycle.life.delivery.drain)
    services.on_stop.append(store.forget)
    screener = Screener(ComplianceAdapter(services.store.compliance), services.regions(),
                        settings.dialcampaign_max_calls_per_day)
    ctx = Context(
        service=service,
        launch=Launch(ccc=ccc, store=store, notifier=notifier, service=service, clock=services.clock,
                      screener=screener),
        checks=Checks(service=service, directory=directory, clock=services.clock,
                      region=settings.dialcampaign_default_region, calling_hours=settings.calling_hours,
                      screener=screener, max_callees=settings.dialcampaign_max_callees),
        directory=directory,
        files=Files(services.slack),
        executor=services.executor,
        profiles=services.languages().profiles,
        access=Access(services.slack, launchers=settings.launchers, channels=settings.channels),
        in_flight=services.in_flight,
        region=settings.dialcampaign_default_region,
        languages=services.languages(),
        max_callees=settings.dialcampaign_max_callees,
        members=Members(services.slack),
        life=lifecycle.life,
        dnc=DoNotCall(screener.store, store),
        dnc_admins=Access(services.slack, launchers=settings.dnc_admins, channels=[]),
        clock=services.clock,
    )
    installation = Installation(services.slack)
    services.warmups.append(installation.learn)

    async def audit_foreign(body: dict[str, Any], reason: str) -> None:
        team_id, _app = claimed(body)
        user = body.get("user_id") or (body.get("user") or {}).get("id") or (body.get("event") or {}).get("user")
        await service.refuse(Requester(team_id, str(user or ""), str(body.get("channel_id") or "")), "denied",
                             f"request refused: {reason}")

    app.middleware(gate(installation, audit_foreign))
    if settings.sandbox:  # before the listeners: every ack, respond and client of theirs carries the label
        label.install(app)
    listeners.register(app, ctx)
    return app


SHUTDOWN_GRACE = 20.0  # with uvicorn's 5 s for open requests, inside the 30 s Heroku allows after SIGTERM


def startup_warnings(settings: Settings) -> list[str]:
    notes = []
    if not settings.launchers:
        notes.append("DIALCAMPAIGN_LAUNCHERS is empty: everyone in the workspace may launch campaigns.")
    if settings.calling_hours is None:
        notes.append("DIALCAMPAIGN_CALLING_HOURS is empty: the calling-hours guard is off.")
    if not settings.dnc_admins:
        notes.append("DIALCAMPAIGN_DNC_ADMINS and DIALCAMPAIGN_LAUNCHERS are empty: everyone may change the "
                     "do-not-call list.")
    return notes


async def start(services: Services, *, migrated: bool = False) -> str:
    """Before the first request: the schema current, the parser warm, stale drafts gone, risky settings said, and
    Slack has accepted the bot token (TokenRejected otherwise); launches cut short told, background work started.
    `migrated`: the caller has already made the schema current (HTTP mode does, before letting commands in), so
    Alembic is not run a second time. Returns who the bot is; the caller says "ready"."""
    # The first preview's region tables come from the cache on disk, or else from a child process (~0.5 s, mostly
    # importing the geocoding data): on the other core, beside the migration and the parser's warm-up.
    regions = asyncio.create_task(services.load_regions())
    try:
        if not migrated:  # in threads: the port is open and slash commands are served
            await asyncio.to_thread(services.store.migrate)
        await asyncio.to_thread(warm_up)
    finally:
        await regions
    for warm in services.warmups:
        try:
            await warm()
        except Exception as exc:  # Slack or the database away: the background rounds try again
            log.warning("start-up step %s failed: %s", getattr(warm, "__qualname__", warm), type(exc).__name__)
    services.background.start()
    await CampaignService(store=StoreAdapter(services.store), clock=services.clock).prune_drafts()
    if services.settings.sandbox:
        log.warning("CCC sandbox: %s. Campaigns are emulated in this bot's database; set TENCENTCLOUD_SECRET_ID, "
                    "TENCENTCLOUD_SECRET_KEY and CCC_SDK_APP_ID to launch real ones.", label.LABEL)
    for note in startup_warnings(services.settings):
        log.warning(note)
    log.info("blocked regions %s, from phonenumbers %s's geocoding data", services.settings.blocked_regions or "none",
             data_version())
    who = await accepted_token(services.slack, pace=pace(services.settings))
    lifecycle = services.lifecycle()
    services.watcher = WatcherLoop(lifecycle.watcher_watch, lifecycle.tracking, services.clock)
    services.watcher.start()
    return who


async def stop(services: Services) -> None:
    """In-flight launches finish (or stay recorded as unknown), then connections close."""
    await services.in_flight.drain(SHUTDOWN_GRACE)
    if services.watcher is not None:
        await services.watcher.stop()
    await services.background.stop()
    for step in services.on_stop:
        try:
            await step()
        except Exception as exc:
            log.warning("stop step failed: %s", type(exc).__name__)
    await services.aclose()
