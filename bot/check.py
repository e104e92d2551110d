"""`python -m bot check`: configuration and reachability, one line per check, exit 1 when any fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import Services
from bot.config import Settings
from bot.slack.label import LABEL
from bot.slack.transport import whoami


async def run_checks(settings: Settings) -> int:
    """Only what the chosen mode uses: Socket Mode needs no signing secret, the sandbox no Tencent key."""
    services = Services.from_settings(settings)

    async def slack() -> str:
        return await whoami(services.slack)

    async def ccc() -> str:
        staff = await services.ccc.count_staff()
        if settings.sandbox:
            return f"{LABEL} (the built-in CCC emulator, {staff} demo agents)"
        return f"SdkAppId {settings.ccc_sdk_app_id}, {staff} agents"

    async def database() -> str:
        services.store.ping()
        services.store.migrate()
        return services.store.engine.url.render_as_string(hide_password=True)

    checks: list[tuple[str, Callable[[], Awaitable[str]]]] = [("slack", slack), ("ccc", ccc),
                                                              ("database", database)]
    mode = "Socket Mode" if settings.socket_mode else "HTTP"
    print(f"ok    configuration: {mode}, CCC {'sandbox' if settings.sandbox else settings.ccc_endpoint}")
    failed = 0
    for name, check in checks:
        try:
            print(f"ok    {name}: {await check()}")
        except Exception as exc:  # every failure, whatever it is, is one printed line
            failed += 1
            reason = str(exc) or type(exc).__name__
            print(f"FAIL  {name}: {reason}")
    await services.aclose()
    return 1 if failed else 0
