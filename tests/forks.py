"""The harness's side of the zygote (tests/zygote.py): app processes forked from it, used as subprocess.Popen ones."""

from __future__ import annotations

import atexit
import contextlib
import itertools
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
FORKABLE = "python -m bot serve"  # the Procfile's web: line the zygote stands in for; any other line is run as written


class Forked:
    """A child of the zygote: what the harness and the tests use of subprocess.Popen (pid, poll, wait, send_signal,
    kill, returncode); its exit status comes from the zygote, which is its parent."""

    def __init__(self, pid: int, zygote: ZygoteClient) -> None:
        self.pid = pid
        self._zygote = zygote
        self.returncode: int | None = None

    def poll(self) -> int | None:
        if self.returncode is None:
            status = self._zygote.status(self.pid, timeout=0)
            if status is not None:
                self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def wait(self, timeout: float | None = None) -> int:
        if self.returncode is None:
            status = self._zygote.status(self.pid, timeout=timeout)
            if status is None:
                raise subprocess.TimeoutExpired(FORKABLE, timeout or 0)
            self.returncode = os.waitstatus_to_exitcode(status)
        return self.returncode

    def send_signal(self, sig: int) -> None:
        if self.poll() is None:
            with contextlib.suppress(ProcessLookupError):  # exited since (as Popen.send_signal, which ignores it)
                os.kill(self.pid, sig)

    def kill(self) -> None:
        self.send_signal(signal.SIGKILL)


SOCKET_ENV = "DIALCAMPAIGN_TEST_ZYGOTE"  # the run's zygote's socket, for the workers (clean_env keeps it from apps)


class ZygoteProcess:
    """The zygote itself, listening on a socket of its own. It exits when the process that started it does (its
    stdin closes); it has a session of its own, so a Ctrl-C meant for pytest does not end it under the workers."""

    def __init__(self) -> None:
        self.path = os.path.join(tempfile.mkdtemp(prefix="zygote-"), "socket")
        self._proc = subprocess.Popen([sys.executable, "-u", "-m", "tests.zygote", self.path], cwd=ROOT,
                                      env=zygote_env(), stdin=subprocess.PIPE, start_new_session=True)
        atexit.register(self.close)

    def close(self) -> None:
        """Waited for, so that its children's CPU time counts in this process's."""
        assert self._proc.stdin is not None
        self._proc.stdin.close()
        try:
            self._proc.wait(10)
        except subprocess.TimeoutExpired:
            self._proc.kill()
        with contextlib.suppress(OSError):
            os.unlink(self.path)
            os.rmdir(os.path.dirname(self.path))


def start_shared_zygote(numprocesses: int | None) -> None:
    """In the xdist controller, before the workers start: one zygote for all of them (each would otherwise import
    the app, ~1 CPU-second, for its own)."""
    if numprocesses and SOCKET_ENV not in os.environ:
        os.environ[SOCKET_ENV] = ZygoteProcess().path


class ZygoteClient:
    """This process's connection to the zygote: the run's shared one, or one started for this process alone."""

    def __init__(self, path: str) -> None:
        self._socket = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        deadline = time.monotonic() + 30
        while True:  # the controller started it moments ago: its socket may not be bound yet
            try:
                self._socket.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise RuntimeError(f"the zygote at {path} did not start") from None
                time.sleep(0.02)
        self._changed = threading.Condition()
        self._pids: dict[int, int] = {}
        self._statuses: dict[int, int] = {}
        self._gone = False  # the zygote has exited: nothing more will come
        self._ids = itertools.count()
        self._lock = threading.Lock()
        threading.Thread(target=self._read, name="zygote", daemon=True).start()

    def _read(self) -> None:
        with contextlib.suppress(OSError):
            for line in self._socket.makefile("rb"):
                message: dict[str, Any] = json.loads(line)
                with self._changed:
                    if "id" in message:
                        self._pids[message["id"]] = message["pid"]
                    else:
                        self._statuses[message["pid"]] = message["status"]
                    self._changed.notify_all()
        with self._changed:
            self._gone = True
            self._changed.notify_all()

    def start(self, argv: list[str], env: dict[str, str], cwd: Path, log: Path, err: Path | None = None) -> Forked:
        """`python -m bot <argv>` in `cwd` with exactly `env`; stdout (and stderr, unless `err`) appended to `log`."""
        with self._lock:
            ident = next(self._ids)
            request = {"id": ident, "argv": argv, "env": env, "cwd": str(cwd), "log": str(log),
                       "err": str(err) if err else None}
            with contextlib.suppress(OSError):  # gone: said below
                self._socket.sendall(json.dumps(request).encode() + b"\n")
        with self._changed:
            self._changed.wait_for(lambda: ident in self._pids or self._gone, timeout=60)
            if ident not in self._pids:
                raise RuntimeError(_GONE if self._gone else "the zygote did not fork in 60 s")
            return Forked(self._pids.pop(ident), self)

    def status(self, pid: int, timeout: float | None) -> int | None:
        with self._changed:
            self._changed.wait_for(lambda: pid in self._statuses or self._gone, timeout=timeout)
            if pid not in self._statuses and self._gone:
                raise RuntimeError(_GONE)
            return self._statuses.pop(pid, None)


_GONE = "the zygote has exited (its traceback, if any, is on the run's stderr)"
_zygote: ZygoteClient | None = None
_zygote_lock = threading.Lock()


def zygote() -> ZygoteClient:
    """The run's shared zygote (`SOCKET_ENV`, set by the xdist controller), else one of this process's own."""
    global _zygote
    with _zygote_lock:
        if _zygote is None:
            _zygote = ZygoteClient(os.environ.get(SOCKET_ENV) or ZygoteProcess().path)
        return _zygote


def run_bot(argv: list[str], env: dict[str, str], cwd: Path, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """`python -m bot <argv>` run to its end, as subprocess.run(..., capture_output=True, text=True) would: forked from
    the zygote (`env` is the whole environment, as for subprocess), its stdout and stderr kept apart."""
    with tempfile.TemporaryDirectory(prefix="bot-run-") as where:  # never in cwd: that may be the checkout
        out, err = Path(where, "stdout"), Path(where, "stderr")
        child = zygote().start(argv, env, cwd, out, err)
        try:
            code = child.wait(timeout)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()
            raise
        return subprocess.CompletedProcess(["python", "-m", "bot", *argv], code, out.read_text(), err.read_text())


def clean_env() -> dict[str, str]:
    """The machine's environment without proxies (Slack clients honour them and ignore NO_PROXY) or our variables."""
    drop = re.compile(r"^(HTTPS?_PROXY|ALL_PROXY|NO_PROXY|SLACK_|TENCENTCLOUD_|CCC_|DATABASE_URL|DIALCAMPAIGN_|PORT$)",
                      re.IGNORECASE)
    return {k: v for k, v in os.environ.items() if not drop.match(k)}


def zygote_env() -> dict[str, str]:
    """The zygote's own environment (each child then gets the one its test gives it)."""
    return {**clean_env(), "PYTHONPATH": str(ROOT)}
