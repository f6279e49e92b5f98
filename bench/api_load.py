"""Load benchmark of the web app: start `coupwatch serve` on 127.0.0.1 and drive it with bounded concurrency.

For each target (the full watchlist, a filtered watchlist, a country page, the home page) it sends a bounded
number of GET requests over keep-alive connections, with at most ``--concurrency`` in flight and a time cap,
and prints requests/s, p50 and p99 latency. Targets for the watchlist on 2 cores: >= 300 req/s, p99 <= 100 ms.

    python bench/api_load.py [--home DIR] [--requests 3000] [--concurrency 16] [--workers 1]

The home (default $COUPWATCH_HOME) needs the warehouse, a saved backtest and a saved forecast. The server
only ever listens on 127.0.0.1 and the client only talks to it.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

HOST = "127.0.0.1"
TARGETS = {
    "watchlist (GET /api/forecasts)": "/api/forecasts",
    "watchlist, Sahel top 10": "/api/forecasts?region=sahel&limit=10",
    "country page (GET /countries/MLI)": "/countries/MLI",
    "home page (GET /)": "/",
}
WATCHLIST_TARGET = (300.0, 100.0)  # requests/s at least, p99 ms at most


@dataclass
class Result:
    name: str
    sent: int
    failed: int
    seconds: float
    latencies_ms: list[float]
    bytes_per_response: int

    @property
    def rate(self) -> float:
        return (self.sent - self.failed) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies_ms)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))] if ordered else float("nan")


async def _read_response(reader: asyncio.StreamReader) -> tuple[int, int]:
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    length = next((int(line.split(":", 1)[1]) for line in lines[1:] if line.lower().startswith("content-length:")),
                  None)
    if length is None:
        raise RuntimeError("the benchmark needs Content-Length responses")
    body = await reader.readexactly(length)
    return status, len(body)


async def _worker(port: int, path: str, budget: list[int], deadline: float, latencies: list[float],
                  failures: list[int], sizes: list[int]) -> None:
    reader, writer = await asyncio.open_connection(HOST, port)
    request = f"GET {path} HTTP/1.1\r\nHost: {HOST}:{port}\r\nConnection: keep-alive\r\n\r\n".encode()
    try:
        while budget[0] > 0 and time.perf_counter() < deadline:
            budget[0] -= 1
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status, size = await _read_response(reader)
            latencies.append((time.perf_counter() - started) * 1000)
            sizes.append(size)
            if status != 200:
                failures.append(status)
    finally:
        writer.close()


async def drive(port: int, name: str, path: str, requests: int, concurrency: int, seconds: float) -> Result:
    latencies: list[float] = []
    failures: list[int] = []
    sizes: list[int] = []
    budget = [requests]
    started = time.perf_counter()
    await asyncio.gather(*(_worker(port, path, budget, started + seconds, latencies, failures, sizes)
                           for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    size = int(statistics.median(sizes)) if sizes else 0
    return Result(name, len(latencies), len(failures), elapsed, latencies, size)


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def start_server(home: Path, port: int, workers: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "COUPWATCH_HOME": str(home)}
    command = [sys.executable, "-c", "from coupwatch.cli import app; app()", "serve", "--host", HOST,
               "--port", str(port), "--workers", str(workers)]
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = process.stderr.read().decode() if process.stderr else ""
            raise SystemExit(f"the server exited: {error[-2000:]}")
        try:
            with urllib.request.urlopen(f"http://{HOST}:{port}/healthz", timeout=2) as response:
                if response.status == 200:
                    return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start within 90 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=os.environ.get("COUPWATCH_HOME"),
                        help="COUPWATCH_HOME with warehouse, backtest and forecast (default $COUPWATCH_HOME)")
    parser.add_argument("--requests", type=int, default=3000, help="requests per target (bounded)")
    parser.add_argument("--concurrency", type=int, default=16, help="requests in flight at once (bounded)")
    parser.add_argument("--seconds", type=float, default=30.0, help="time cap per target")
    parser.add_argument("--workers", type=int, default=1, help="server worker processes")
    args = parser.parse_args()
    if args.home is None:
        raise SystemExit("give --home or set COUPWATCH_HOME (a home with warehouse, backtest and forecast)")
    if not list((args.home / "forecasts").glob("forecast-*.parquet")):
        raise SystemExit(f"{args.home}: no saved forecast. Fix: run `coupwatch backtest` and `coupwatch forecast`")
    if not 1 <= args.concurrency <= 256 or not 1 <= args.requests <= 100_000:
        raise SystemExit("--concurrency must be 1-256 and --requests 1-100000")
    port = free_port()
    server = start_server(args.home, port, args.workers)
    try:
        print(f"coupwatch serve on {HOST}:{port}, {args.workers} worker(s); {os.cpu_count()} CPUs; "
              f"{args.requests} requests per target, {args.concurrency} in flight, cap {args.seconds:.0f} s")
        results = []
        for name, path in TARGETS.items():
            asyncio.run(drive(port, name, path, min(200, args.requests), args.concurrency, args.seconds))  # warm
            results.append(asyncio.run(drive(port, name, path, args.requests, args.concurrency, args.seconds)))
        print(f"{'target':38} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'sent':>6} {'failed':>6} {'KiB':>6}")
        for r in results:
            print(f"{r.name:38} {r.rate:8.0f} {r.quantile(0.5):8.1f} {r.quantile(0.99):8.1f} {r.sent:6d} "
                  f"{r.failed:6d} {r.bytes_per_response / 1024:6.1f}")
        watchlist = results[0]
        rate, p99 = WATCHLIST_TARGET
        met = watchlist.rate >= rate and watchlist.quantile(0.99) <= p99 and watchlist.failed == 0
        print(f"watchlist target (>= {rate:.0f} req/s, p99 <= {p99:.0f} ms): {'met' if met else 'NOT met'}")
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
