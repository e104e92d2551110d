"""A fork server for the suite's app processes: `python -m bot serve` with the imports it would spend ~2 CPU-seconds
on (Bolt, SQLAlchemy, Alembic, the window parser) already done, once, in this process.

The harness starts dozens of app processes; each would import the same modules before reading its settings. The
zygote imports them and waits; for each start it forks a child, which takes the test's environment, working
directory and log file and then runs exactly what `python -m bot` runs (`bot.__main__.main`), from the top of this
module's stack, so that the interpreter exits as that process would (atexit, non-daemon threads, the exit code of a
SystemExit, a traceback and 1 for anything else). Before the fork the zygote only imports and warms the window
parser's caches (compiled patterns, CLDR data); settings, logging, event loops, threads and the database belong to
the child alone. Start-up itself (the port before the
full app, a cold parser) is tested on processes started from the Procfile's line (`AppProcess(cold=True)`). What a
child shares with the zygote and a fresh process would not: the hash seed, TZ and locale as read at the zygote's
start, unbuffered output (-u), and `__main__` being this module (multiprocessing's spawned workers import it).

One zygote serves the whole run: the xdist controller starts it before its workers (tests/forks.py), and each worker
connects to its Unix socket. Protocol on each connection, one JSON object a line: the harness sends {"id", "argv",
"env", "cwd", "log", "err"}; the zygote answers {"id", "pid"} once forked and {"pid", "status"} (as os.waitpid gives
it) once that child has exited, on the connection that asked for it. The zygote exits when its stdin closes (its
starter has ended).
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import sys
from typing import Any

# What `python -m bot serve` imports on its way to ready and in its first requests (anyio's asyncio backend: httpx's
# first request or close), except the geocoding data (the serving process never holds it: the region tables come
# from a child process or the cache).
PRELOAD = ("bot.__main__", "bot.config", "bot.logs", "bot.early", "bot.web", "uvicorn",
           "uvicorn.protocols.http.h11_impl", "uvicorn.lifespan.on", "uvicorn.loops.auto", "alembic.command",
           "alembic.config", "psycopg", "sqlalchemy.dialects.sqlite", "sqlalchemy.dialects.postgresql.psycopg",
           "httpcore", "anyio._backends._asyncio")


def _send(client: socket.socket | None, message: dict[str, Any]) -> None:
    if client is None:  # the worker that asked has gone
        return
    with contextlib.suppress(OSError):  # gone since: its harness no longer waits for anything
        client.sendall(json.dumps(message).encode() + b"\n")


def _become(request: dict[str, Any], inherited: list[int], sockets: list[socket.socket]) -> list[str]:
    """In the child: the test's process, as the Procfile would have started it (stdin empty; stdout and stderr to
    the log, or stderr to a file of its own when the request names one)."""
    signal.set_wakeup_fd(-1)
    signal.signal(signal.SIGCHLD, signal.SIG_DFL)
    os.setsid()  # a process group of its own, as the harness starts cold ones: stopping it takes its children too
    for fd in inherited:
        os.close(fd)
    for sock in sockets:  # closed through their objects, which would otherwise close the same numbers again later
        sock.close()
    os.chdir(request["cwd"])
    os.environ.clear()
    os.environ.update(request["env"])
    null = os.open(os.devnull, os.O_RDONLY)
    log = os.open(request["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644)
    err = os.open(request["err"], os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o644) if request.get("err") else log
    os.dup2(null, 0)
    os.dup2(log, 1)
    os.dup2(err, 2)
    for fd in {null, log, err} - {0, 1, 2}:  # stdin was closed above: /dev/null may have come back as fd 0 itself
        os.close(fd)
    sys.argv = ["python -m bot", *request["argv"]]
    return list(request["argv"])


def _stop(pids: list[int]) -> None:
    """Apps a worker left running (it crashed, or the run was cut short): gone with their process groups."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError, PermissionError):
            os.killpg(pid, signal.SIGKILL)


def serve_forks(path: str) -> list[str]:
    """The zygote's loop: returns only in a child (its argv); the zygote itself exits when its stdin closes."""
    import importlib

    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)  # before the imports: a worker that comes early waits in the backlog, not on a missing file
    listener.listen(64)
    for name in PRELOAD:
        importlib.import_module(name)
    from bot.campaign.window import warm_up

    warm_up()  # pure caches (compiled patterns, CLDR data): each child's own warm-up then finds them done
    wake_read, wake_write = os.pipe()
    os.set_blocking(wake_write, False)
    signal.set_wakeup_fd(wake_write)
    signal.signal(signal.SIGCHLD, lambda *_: None)  # a handler, so the wakeup fd hears of exits
    lifeline = sys.stdin.fileno()
    clients: dict[int, socket.socket] = {}  # fd -> a worker's connection
    pending: dict[int, bytes] = {}
    asked_by: dict[int, int] = {}  # child pid -> the fd of the connection that asked for it
    while True:
        try:
            readable, _, _ = select.select([lifeline, wake_read, listener.fileno(), *clients], [], [])
        except InterruptedError:
            readable = []
        if lifeline in readable and not os.read(lifeline, 1 << 12):
            _stop(list(asked_by))
            os._exit(0)  # nothing of its own to flush or close: skipping the interpreter's teardown ends the run sooner
        if wake_read in readable:
            os.read(wake_read, 512)
        while True:  # every child that has exited: its status to the worker that started it
            try:
                pid, status = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                break
            if pid == 0:
                break
            _send(clients.get(asked_by.pop(pid, -1)), {"pid": pid, "status": status})
        if listener.fileno() in readable:
            conn, _ = listener.accept()
            clients[conn.fileno()] = conn
            pending[conn.fileno()] = b""
        for fd in [fd for fd in readable if fd in clients]:
            try:
                chunk = clients[fd].recv(1 << 16)
            except OSError:  # it ended with answers of ours unread
                chunk = b""
            if not chunk:  # that worker has ended: what it left running goes too, and its fd may be reused
                left = [pid for pid, asker in asked_by.items() if asker == fd]
                _stop(left)
                for pid in left:
                    del asked_by[pid]
                clients.pop(fd).close()
                del pending[fd]
                continue
            pending[fd] += chunk
            while b"\n" in pending[fd]:
                line, pending[fd] = pending[fd].split(b"\n", 1)
                request = json.loads(line)
                pid = os.fork()
                if pid == 0:
                    return _become(request, [wake_read, wake_write, lifeline], [listener, *clients.values()])
                asked_by[pid] = fd
                _send(clients[fd], {"id": request["id"], "pid": pid})


if __name__ == "__main__":
    argv = serve_forks(sys.argv[1])
    from bot.__main__ import main

    main(argv)
