"""Composition root: `python -m bot` serves HTTP on $PORT (Socket Mode with SLACK_APP_TOKEN); `check`, `manifest`.

Imports are lazy: the settings are read and reported before Bolt, SQLAlchemy or the parser are loaded."""

from __future__ import annotations

import argparse
import asyncio
import gc
import logging
import signal
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Services
    from bot.config import Settings

log = logging.getLogger("bot")

USAGE = """\
Commands:
  serve (default)   run the bot: HTTP on $PORT, or Socket Mode when SLACK_APP_TOKEN is set
  check             check the configuration, Slack, CCC (or the sandbox) and the database; exit 1 if any fails
  manifest          print the Slack app manifest (--url https://your.host for HTTP, or --socket)

Configuration is environment only (a .env file is read when present); .env.example describes every variable.
Only SLACK_BOT_TOKEN and SLACK_APP_TOKEN (Socket Mode) or SLACK_SIGNING_SECRET (HTTP) are required: without
Tencent credentials the bot runs against its built-in CCC sandbox (no calls are made); DIALCAMPAIGN_SANDBOX=false
forbids that.
"""


def parser() -> argparse.ArgumentParser:
    parse = argparse.ArgumentParser(prog="python -m bot", description="/dialcampaign: launch Tencent CCC cruise "
                                    "dialing campaigns from Slack.", epilog=USAGE,
                                    formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parse.add_subparsers(dest="command", metavar="{serve,check,manifest}")
    commands.add_parser("serve", help="run the bot (the default)")
    commands.add_parser("check", help="check configuration and reachability")
    manifest = commands.add_parser("manifest", help="print the Slack app manifest")
    where = manifest.add_mutually_exclusive_group(required=True)
    where.add_argument("--url", help="the public https:// address the `web:` process is served on")
    where.add_argument("--socket", action="store_true", help="a Socket Mode app (no public address)")
    return parse


def _services_or_exit(settings: Settings) -> Services:
    """An unreachable database is a configuration problem: one line (password hidden), not a traceback."""
    from bot.early import DatabaseUnreachable, open_services

    try:
        return open_services(settings)
    except DatabaseUnreachable as exc:
        print(exc, file=sys.stderr)
        raise SystemExit(2) from None


def serve(settings: Settings) -> None:
    """Two stages: the port opens with bot.early (signatures, an empty ack for slash commands) while the full app
    (bot.web) is imported and built beside it; an unreachable database then prints its one line and exits 2."""
    import uvicorn

    from bot.early import create_early_app

    exit_code = [0]
    servers: list[uvicorn.Server] = []

    def fatal(code: int) -> None:  # Slack refused the token, or no database: stop serving, exit non-zero
        exit_code[0] = code
        servers[0].should_exit = True

    # uvicorn's own start and stop lines would come before a start-up error's one line; "ready: …" says it is up.
    logging.getLogger("uvicorn.error").setLevel(logging.WARNING)
    early = create_early_app(settings, on_fatal=fatal, listening=lambda: servers[0].started)
    server = uvicorn.Server(uvicorn.Config(early, host="0.0.0.0", port=settings.port, log_config=None,
                                           access_log=False, timeout_graceful_shutdown=5))
    servers.append(server)
    server.run()
    if exit_code[0]:
        raise SystemExit(exit_code[0])


async def socket_mode(settings: Settings, app_token: str) -> None:
    from bot.app import build_app, start, stop
    from bot.slack.transport import TokenRejected, run_socket_mode

    services = _services_or_exit(settings)
    main_task = asyncio.current_task()
    assert main_task is not None
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):  # as uvicorn does for HTTP: stop taking work, then drain
        loop.add_signal_handler(sig, main_task.cancel)
    ccc = "sandbox" if settings.sandbox else "tencent"
    try:
        app = build_app(services)  # before start(): it registers the start-up steps and background work
        who = await start(services)
        await run_socket_mode(app, app_token,
                              on_connected=lambda: log.info("ready: %s, Socket Mode connected, CCC %s", who, ccc))
    except TokenRejected as exc:
        log.error("%s", exc)
        raise SystemExit(1) from None
    except asyncio.CancelledError:
        log.info("stopping")
    finally:
        await stop(services)


def main(argv: list[str] | None = None) -> None:
    """The process's whole life: run one command, then exit (its objects are frozen for the collector on the way
    out, so this is not for calling in a process that goes on)."""
    try:
        run(parser().parse_args(sys.argv[1:] if argv is None else argv))
    finally:
        # The process is about to exit: the collector need not walk the objects of every library loaded (Bolt,
        # SQLAlchemy, the parser's data…) that the OS reclaims anyway. Saves ~0.3 s of CPU at every stop.
        gc.freeze()


def run(args: argparse.Namespace) -> None:
    if args.command == "manifest":
        from bot.manifest import render

        print(render(url=args.url, socket=args.socket), end="")
        return
    from bot.config import load_settings
    from bot.logs import setup

    settings = load_settings()
    setup(settings.secret_values())
    # Imported lazily now, so after logging is set up: its import-time plugin notes are noise.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)
    if args.command == "check":
        from bot.check import run_checks

        raise SystemExit(asyncio.run(run_checks(settings)))
    if settings.slack_app_token is not None:
        asyncio.run(socket_mode(settings, settings.slack_app_token.get_secret_value()))
    else:
        serve(settings)


if __name__ == "__main__":
    main()
