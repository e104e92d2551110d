"""`python -m bot check`: configuration and reachability, one line per check, exit 1 when any fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.app import Services
from bot.config import Settings
from bot.slack.transport import whoami


async def run_checks(settings: Settings) -> int:
    services = Services.from_settings(settings)

    async def slack() -> str:
        return await whoami(services.slack)

    async def ccc() -> str:
        return f"SdkAppId {settings.ccc_sdk_app_id}, {await services.ccc.count_staff()} agents"

    async def database() -> str:
        services.store.ping()
        services.store.migrate()
        return services.store.engine.url.render_as_string(hide_password=True)

    checks: list[tuple[str, Callable[[], Awaitable[str]]]] = [("slack", slack), ("ccc", ccc),
                                                              ("database", database)]
    print("ok    configuration")
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
