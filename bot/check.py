"""`python -m bot check`: configuration and reachability, one line per check, exit 1 when any fails."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from slack_sdk.errors import SlackApiError

from bot.app import Services
from bot.config import Settings
from bot.tencent.errors import CccError


async def run_checks(settings: Settings) -> int:
    services = Services.from_settings(settings)

    async def slack() -> str:
        answer = await services.slack.auth_test()
        return f"bot {answer.get('user')} in team {answer.get('team')}"

    async def ccc() -> str:
        data = await services.ccc.call("DescribeStaffInfoList", {"SdkAppId": settings.ccc_sdk_app_id,
                                                                 "PageSize": 1, "PageNumber": 0})
        return f"SdkAppId {settings.ccc_sdk_app_id}, {data.get('TotalCount', 0)} agents"

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
        except (SlackApiError, CccError, Exception) as exc:
            failed += 1
            reason = exc.response.get("error") if isinstance(exc, SlackApiError) else str(exc) or type(exc).__name__
            print(f"FAIL  {name}: {reason}")
    await services.aclose()
    return 1 if failed else 0
