"""Benchmark: process start -> first /dialcampaign acked (a signed slash command answered 200), for the product as
deployed (the Procfile's web line, sandbox CCC, SQLite, the fake Slack on loopback) against a bare Bolt AsyncApp that
only calls views.open, on the same machine; also process start -> that command's views.open at Slack (the
trigger_id lives about 3 s). Also: a bad variable reported (process start -> exit).

Run: python -m bench.startup
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

import httpx

from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.harness import ROOT, SIGNING_SECRET, SlackDriver, clean_env, free_port, web_command

RUNS = 7
BARE = textwrap.dedent('''
    import os
    import uvicorn
    from slack_bolt.adapter.starlette.async_handler import AsyncSlackRequestHandler
    from slack_bolt.async_app import AsyncApp
    from slack_sdk.web.async_client import AsyncWebClient
    from starlette.applications import Starlette
    from starlette.routing import Route

    client = AsyncWebClient(token=os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    app = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @app.command("/dialcampaign")
    async def open_form(ack, command, client):
        await ack()
        await client.views_open(trigger_id=command["trigger_id"], view={
            "type": "modal", "title": {"type": "plain_text", "text": "Dial campaign"}, "blocks": []})

    handler = AsyncSlackRequestHandler(app)

    async def events(request):
        return await handler.handle(request)

    uvicorn.run(Starlette(routes=[Route("/slack/events", events, methods=["POST"])]), host="127.0.0.1",
                port=int(os.environ["PORT"]), log_level="warning")
''')


def first_ack(command: list[str], env: dict[str, str], cwd: Path, slack: FakeSlack) -> tuple[float, float, float]:
    """Seconds from spawning the process to the first 200 answer to a signed /dialcampaign, to the views.open for
    that command reaching Slack, and from sending that command to its views.open (the trigger lives about 3 s)."""
    port = free_port()
    full = {**clean_env(), **env, "PORT": str(port), "PYTHONPATH": str(ROOT)}
    driver = SlackDriver(f"http://127.0.0.1:{port}", slack.base_url, httpx.Client(timeout=30, trust_env=False))
    opened = len(slack.of("views.open"))
    wall, started = time.time(), time.perf_counter()
    proc = subprocess.Popen(command, env=full, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                sent = time.time()
                if driver.command().status_code == 200:
                    acked = time.perf_counter() - started
                    break
            except httpx.TransportError:
                pass
            if proc.poll() is not None:
                raise RuntimeError(f"{command} exited with {proc.returncode}")
            time.sleep(0.005)
        form = slack.wait_for("views.open", opened + 1, timeout=30)[-1]
        return acked, form.at - wall, form.at - sent
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    load_before = os.getloadavg()
    slack = FakeSlack(users={"U_SUP": {"tz": "Asia/Shanghai"}})
    server = LoopbackServer(slack.app()).start()
    slack.base_url = server.url
    env = {"SLACK_BOT_TOKEN": BOT_TOKEN, "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": f"{server.url}/api/"}
    ours: list[tuple[float, float, float]] = []
    restarts: list[tuple[float, float, float]] = []
    bare: list[tuple[float, float, float]] = []
    refused: list[float] = []
    web = ["bash", "-c", f"exec {web_command()}"]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            script = Path(tmp) / "bare_bolt.py"
            script.write_text(BARE)
            kept = {"DATABASE_URL": f"sqlite:///{Path(tmp) / 'kept.db'}"}  # migrated once, as after a deploy
            subprocess.run([sys.executable, "-m", "bot", "check"], env={**clean_env(), **env, **kept,
                                                                         "PYTHONPATH": str(ROOT)},
                           cwd=tmp, capture_output=True, check=True)
            for i in range(RUNS):  # interleaved, so all see the same machine load
                db = {"DATABASE_URL": f"sqlite:///{Path(tmp) / f'run{i}.db'}"}  # a fresh database: migrations too
                ours.append(first_ack(web, {**env, **db}, Path(tmp), slack))
                restarts.append(first_ack(web, {**env, **kept}, Path(tmp), slack))
                bare.append(first_ack([sys.executable, str(script)], env, Path(tmp), slack))
                t0 = time.perf_counter()
                subprocess.run([sys.executable, "-m", "bot"], env={**clean_env(), "PYTHONPATH": str(ROOT),
                                                                  "CCC_SDK_APP_ID": "x"},
                               cwd=tmp, capture_output=True, check=False)
                refused.append(time.perf_counter() - t0)
    finally:
        server.stop()
    med_bare = statistics.median(a for a, _, _ in bare)
    print(f"runs: {RUNS} (interleaved); load average before/after: {load_before} / {os.getloadavg()}")
    for label, samples in (("dialcampaign, fresh SQLite (migrates)", ours),
                           ("dialcampaign, restart (schema current)", restarts), ("bare Bolt views.open", bare)):
        acks = [a for a, _, _ in samples]
        print(f"{label:40s} ack median {statistics.median(acks) * 1000:5.0f} ms, min {min(acks) * 1000:5.0f}, "
              f"max {max(acks) * 1000:5.0f}, ratio {statistics.median(acks) / med_bare:.2f}x (target <= 1.2x); "
              f"views.open median {statistics.median(o for _, o, _ in samples) * 1000:5.0f} ms, "
              f"max {max(o for _, o, _ in samples) * 1000:5.0f}; trigger age at views.open median "
              f"{statistics.median(t for _, _, t in samples) * 1000:5.0f} ms, "
              f"max {max(t for _, _, t in samples) * 1000:5.0f}")
    print(f"bad variable reported and exited: median {statistics.median(refused) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
