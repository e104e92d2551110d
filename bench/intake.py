"""Benchmark: the app under hostile traffic, loopback only — RSS, and how a normal signed /dialcampaign fares.

- 4 unsigned POSTs of 200 MB at once, with Content-Length, and again with chunked transfer (the client keeps
  sending until the app answers or closes);
- 900 slow connections for 20 s (slowloris): 450 that trickle their headers, 450 that send headers then trickle
  the body, one byte per connection per second.

Meanwhile a signed /dialcampaign is sent every 0.5 s and its ack time recorded. The app is the real one (the
Procfile's web line) against the loopback fakes; RSS is the app process's, read from /proc.

Run: python -m bench.intake
"""

from __future__ import annotations

import contextlib
import json
import socket
import statistics
import tempfile
import threading
import time
from pathlib import Path

from tests.harness import Stack, start_stack

BIG = 200 * 1024 * 1024
SLOW = 900
SLOW_FOR = 20.0


def rss_mb(pid: int, field: str = "VmRSS:") -> float:
    with open(f"/proc/{pid}/status") as status:
        line = next(line for line in status if line.startswith(field))
    return round(int(line.split()[1]) / 1024, 1)


def reset_peak(pid: int) -> None:
    with open(f"/proc/{pid}/clear_refs", "w") as refs:
        refs.write("5")


def acks_meanwhile(stack: Stack, stop: threading.Event, out: list[float]) -> None:
    while not stop.is_set():
        started = time.monotonic()
        response = stack.driver.command("help")
        out.append(time.monotonic() - started if response.status_code == 200 else float("inf"))
        stop.wait(0.5)


def big_post(port: int, chunked: bool, out: list[dict[str, object]]) -> None:
    head = ["POST /slack/events HTTP/1.1", "Host: 127.0.0.1", "Content-Type: application/x-www-form-urlencoded",
            f"X-Slack-Request-Timestamp: {int(time.time())}", "X-Slack-Signature: v0=" + "0" * 64]
    head.append("Transfer-Encoding: chunked" if chunked else f"Content-Length: {BIG}")
    block = b"payload=" + b"A" * (64 * 1024 - 8)
    piece = f"{len(block):x}\r\n".encode() + block + b"\r\n" if chunked else block
    started = time.monotonic()
    sent = 0
    answer = b""
    with socket.create_connection(("127.0.0.1", port)) as conn:
        conn.sendall(("\r\n".join(head) + "\r\n\r\n").encode())
        conn.setblocking(False)
        try:
            while sent < BIG and not answer:
                try:
                    sent += conn.send(piece)
                except BlockingIOError:
                    time.sleep(0.001)
                with contextlib.suppress(BlockingIOError):
                    answer = conn.recv(4096)
        except (BrokenPipeError, ConnectionResetError):
            pass
        conn.setblocking(True)
        conn.settimeout(5)
        with contextlib.suppress(OSError, TimeoutError):
            answer = answer or conn.recv(4096)
    status = answer.split(b"\r\n", 1)[0].decode(errors="replace") if answer else "closed"
    out.append({"status": status, "seconds": round(time.monotonic() - started, 2), "mb_sent": round(sent / 2**20, 1)})


def attack_big(stack: Stack, chunked: bool) -> dict[str, object]:
    pid = stack.app.proc.pid
    before = rss_mb(pid)
    reset_peak(pid)
    acks: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(target=acks_meanwhile, args=(stack, stop, acks))
    watcher.start()
    results: list[dict[str, object]] = []
    posts = [threading.Thread(target=big_post, args=(stack.app.port, chunked, results)) for _ in range(4)]
    for post in posts:
        post.start()
    for post in posts:
        post.join()
    time.sleep(1.0)
    stop.set()
    watcher.join()
    return {"posts": results, "rss_before_mb": before, "rss_peak_mb": rss_mb(pid, "VmHWM:"),
            "signed_acks_meanwhile_s": summary(acks)}


def slow_connections(stack: Stack) -> dict[str, object]:
    pid = stack.app.proc.pid
    before = rss_mb(pid)
    reset_peak(pid)
    acks: list[float] = []
    stop = threading.Event()
    watcher = threading.Thread(target=acks_meanwhile, args=(stack, stop, acks))
    conns: list[tuple[socket.socket, bytes]] = []
    for i in range(SLOW):
        conn = socket.create_connection(("127.0.0.1", stack.app.port))
        if i % 2:  # headers complete, then a body that trickles
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n")
            conns.append((conn, b"a"))
        else:  # headers that never end
            conn.sendall(b"POST /slack/events HTTP/1.1\r\nHost: x\r\n")
            conns.append((conn, b"X"))
    watcher.start()
    closed_by_app = 0
    deadline = time.monotonic() + SLOW_FOR
    peak_rss = 0.0
    while time.monotonic() < deadline and conns:
        alive = []
        for conn, byte in conns:
            try:
                conn.sendall(byte)
                alive.append((conn, byte))
            except OSError:
                closed_by_app += 1
                conn.close()
        conns = alive
        peak_rss = max(peak_rss, rss_mb(pid))
        time.sleep(1.0)
    stop.set()
    watcher.join()
    for conn, _ in conns:
        conn.close()
    return {"connections": SLOW, "seconds": SLOW_FOR, "closed_by_the_app": closed_by_app,
            "still_open_at_end": len(conns), "rss_before_mb": before, "rss_peak_mb": rss_mb(pid, "VmHWM:"),
            "signed_acks_meanwhile_s": summary(acks)}


def summary(samples: list[float]) -> dict[str, object]:
    ok = sorted(s for s in samples if s != float("inf"))
    return {"count": len(samples), "failed": len(samples) - len(ok),
            "p50": round(statistics.median(ok), 3) if ok else None, "max": round(max(ok), 3) if ok else None}


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        stack = start_stack(Path(tmp))
        try:
            stack.driver.command("help")  # warm
            idle = {"rss_mb": rss_mb(stack.app.proc.pid), "signed_ack_s": summary(
                [_timed(stack) for _ in range(10)])}
            results = {"idle": idle,
                       "four_200mb_posts_content_length": attack_big(stack, chunked=False),
                       "four_200mb_posts_chunked": attack_big(stack, chunked=True),
                       "slow_connections": slow_connections(stack)}
            log = stack.app.output()
            results["log"] = {"bytes": len(log), "lines": log.count("\n"), "tracebacks": log.count("Traceback")}
            Path("/tmp/i10-intake.log").write_text(log)
        finally:
            stack.close()
    print(json.dumps(results, indent=2))


def _timed(stack: Stack) -> float:
    started = time.monotonic()
    stack.driver.command("help")
    return time.monotonic() - started


if __name__ == "__main__":
    main()
