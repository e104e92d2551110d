"""Composition root: `python -m bot` serves HTTP on $PORT (Socket Mode with SLACK_APP_TOKEN); `check` checks."""

from __future__ import annotations

import asyncio
import logging
import signal
import sys

from bot.app import Services, build_app, start, stop
from bot.config import Settings, load_settings
from bot.logs import setup

log = logging.getLogger("bot")


def _secrets(settings: Settings) -> list[str]:
    values = [settings.slack_bot_token, settings.slack_signing_secret, settings.slack_app_token,
              settings.tencentcloud_secret_id, settings.tencentcloud_secret_key, settings.tencentcloud_session_token]
    return [v.get_secret_value() for v in values if v is not None]


def _services_or_exit(settings: Settings) -> Services:
    """An unreachable database is a configuration problem: one line (password hidden), not a traceback."""
    from sqlalchemy.exc import SQLAlchemyError

    services = Services.from_settings(settings)
    try:
        services.store.ping()
    except SQLAlchemyError as exc:
        where = services.store.engine.url.render_as_string(hide_password=True)
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        print(f"dialcampaign: cannot open the database in DATABASE_URL ({where}): {reason}", file=sys.stderr)
        raise SystemExit(2) from None
    return services


def serve(settings: Settings) -> None:
    import uvicorn

    from bot.web import create_web_app

    web = create_web_app(_services_or_exit(settings))
    uvicorn.run(web, host="0.0.0.0", port=settings.port, log_config=None, access_log=False,
                timeout_graceful_shutdown=5)


async def socket_mode(settings: Settings, app_token: str) -> None:
    from bot.slack.transport import run_socket_mode

    services = _services_or_exit(settings)
    app = build_app(services)  # before start(): it registers the start-up steps and background work
    await start(services)
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # as uvicorn does for HTTP: stop taking work, then drain
        loop.add_signal_handler(sig, main_task.cancel)
    try:
        await run_socket_mode(app, app_token)
    except asyncio.CancelledError:
        log.info("stopping")
    finally:
        await stop(services)


def main(argv: list[str] | None = None) -> None:
    args = sys.argv[1:] if argv is None else argv
    settings = load_settings()
    setup(_secrets(settings))
    if args[:1] == ["check"]:
        from bot.check import run_checks

        raise SystemExit(asyncio.run(run_checks(settings)))
    if args and args[0] not in ("serve",):
        print("usage: python -m bot [serve|check]", file=sys.stderr)
        raise SystemExit(2)
    if settings.slack_app_token is not None:
        asyncio.run(socket_mode(settings, settings.slack_app_token.get_secret_value()))
    else:
        serve(settings)


if __name__ == "__main__":
    main()
