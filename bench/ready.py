"""Benchmark: `python -m bot serve` from process start to /healthz 200 (start-up done), with the blocked-region tables'
cache cold (built in a child process) and warm (read from disk): wall time, and the CPU used by then by the app, the
children it has reaped (the region tables' child) and any live ones. Default rules, SQLite with its schema current,
sandbox CCC, the fake Slack on loopback; cold and warm runs interleaved.

Run: python -m bench.ready
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from tests.fakes.server import LoopbackServer
from tests.fakes.slack import BOT_TOKEN, FakeSlack
from tests.harness import ROOT, SIGNING_SECRET, clean_env, free_port

RUNS = 7
TICK = os.sysconf("SC_CLK_TCK")


def cpu(pid: int) -> float:
    """CPU seconds of `pid`, the children it has reaped, and its live descendants (a worker pool, if started)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return sum(int(f) for f in fields[11:15]) / TICK + sum(cpu(int(child)) for child in children)


def ready(env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Seconds from spawning the app to its first /healthz 200, and the CPU seconds it (and the children it has
    reaped) used by then."""
    port = free_port()
    started = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-m", "bot", "serve"], env={**env, "PORT": str(port)}, cwd=cwd,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        with httpx.Client(timeout=5, trust_env=False) as client:
            while True:
                try:
                    if client.get(f"http://127.0.0.1:{port}/healthz").status_code == 200:
                        wall = time.perf_counter() - started
                        break
                except httpx.TransportError:
                    pass
                if proc.poll() is not None:
                    raise RuntimeError(f"the app exited with {proc.returncode}")
                time.sleep(0.01)
        return wall, cpu(proc.pid)
    finally:
        proc.terminate()
        proc.wait(30)


def main() -> None:
    load_before = os.getloadavg()
    slack = FakeSlack(users={"U_SUP": {"tz": "Asia/Shanghai"}})
    server = LoopbackServer(slack.app()).start()
    slack.base_url = server.url
    samples: dict[str, list[tuple[float, float]]] = {"cold": [], "warm": []}
    try:
        with tempfile.TemporaryDirectory() as tmp:
            env = {**clean_env(), "PYTHONPATH": str(ROOT), "SLACK_BOT_TOKEN": BOT_TOKEN,
                   "SLACK_SIGNING_SECRET": SIGNING_SECRET, "SLACK_API_URL": f"{server.url}/api/",
                   "DATABASE_URL": f"sqlite:///{Path(tmp) / 'kept.db'}"}
            subprocess.run([sys.executable, "-m", "bot", "check"], env=env, cwd=tmp, capture_output=True, check=True)
            for i in range(RUNS):
                cache = Path(tmp) / f"cache{i}"  # empty: the tables are built, then written here
                samples["cold"].append(ready({**env, "XDG_CACHE_HOME": str(cache)}, Path(tmp)))
                samples["warm"].append(ready({**env, "XDG_CACHE_HOME": str(cache)}, Path(tmp)))
    finally:
        server.stop()
    print(f"runs: {RUNS} each (interleaved); load average before/after: {load_before} / {os.getloadavg()}")
    for name, found in samples.items():
        walls, cpus = [w for w, _ in found], [c for _, c in found]
        print(f"{name} cache: start -> /healthz 200 median {statistics.median(walls) * 1000:5.0f} ms "
              f"(min {min(walls) * 1000:.0f}, max {max(walls) * 1000:.0f}); CPU median "
              f"{statistics.median(cpus) * 1000:5.0f} ms (min {min(cpus) * 1000:.0f}, max {max(cpus) * 1000:.0f})")


if __name__ == "__main__":
    main()
