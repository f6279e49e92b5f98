"""A burst of uncached PDF briefs: start `coupwatch serve` on a free port of 127.0.0.1 and ask for the PDF brief of
``--countries`` different states at once (a fresh server, so none is cached).

Prints the time until the last answer, the median time of the briefs served, the answers by status (503s with
their Retry-After) and the resident memory of the server and its render processes before, at peak and after.

    python bench/pdf_burst.py [--home DIR] [--countries MLI,NER,...] [--rounds 1]

The home (default $COUPWATCH_HOME) needs the warehouse, a saved backtest and a saved forecast.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import threading
import time
import urllib.error
import urllib.request
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import psutil
from api_load import HOST, free_port, start_server

COUNTRIES = "MLI,NER,BFA,TCD,SDN,GIN,GAB,MMR"


@dataclass
class Answer:
    country: str
    status: int
    seconds: float
    size: int
    retry_after: str | None


def fetch(port: int, country: str) -> Answer:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(f"http://{HOST}:{port}/api/briefs/{country}.pdf", timeout=600) as response:
            body = response.read()
            return Answer(country, response.status, time.perf_counter() - started, len(body), None)
    except urllib.error.HTTPError as error:
        error.read()
        return Answer(country, error.code, time.perf_counter() - started, 0, error.headers.get("Retry-After"))


def tree_rss(process: psutil.Process) -> tuple[int, int]:
    """Resident bytes of the server process and of its children (the render processes) together."""
    server = process.memory_info().rss
    total = server
    for member in process.children(recursive=True):
        with contextlib.suppress(psutil.NoSuchProcess):  # a render process may just have been replaced
            total += member.memory_info().rss
    return server, total


def mib(sizes: tuple[int, int]) -> str:
    return f"server {sizes[0] / 2**20:.0f} MiB, with render processes {sizes[1] / 2**20:.0f} MiB"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--home", type=Path, default=os.environ.get("COUPWATCH_HOME"),
                        help="COUPWATCH_HOME with warehouse, backtest and forecast (default $COUPWATCH_HOME)")
    parser.add_argument("--countries", default=COUNTRIES, help="comma-separated ISO3 codes, one request each")
    parser.add_argument("--rounds", type=int, default=1, help="bursts one after another (memory over time)")
    args = parser.parse_args()
    if args.home is None:
        raise SystemExit("give --home or set COUPWATCH_HOME (a home with warehouse, backtest and forecast)")
    countries = [c.strip().upper() for c in args.countries.split(",") if c.strip()]
    if not 1 <= len(countries) <= 64 or not 1 <= args.rounds <= 10:
        raise SystemExit("--countries takes 1-64 codes and --rounds 1-10")
    port = free_port()
    server = start_server(args.home, port, 1)
    try:
        watched = psutil.Process(server.pid)
        time.sleep(2)
        before = tree_rss(watched)
        peak = list(before)
        done = threading.Event()

        def sample() -> None:
            while not done.is_set():
                now = tree_rss(watched)
                peak[:] = [max(p, n) for p, n in zip(peak, now, strict=True)]
                time.sleep(0.2)

        sampler = threading.Thread(target=sample, daemon=True)
        sampler.start()
        print(f"coupwatch serve on {HOST}:{port}; {os.cpu_count()} CPUs; {len(countries)} PDF briefs at once, "
              f"{args.rounds} round(s); before: {mib(before)}")
        for number in range(1, args.rounds + 1):
            started = time.perf_counter()
            with ThreadPoolExecutor(max_workers=len(countries)) as pool:
                answers = list(pool.map(lambda code: fetch(port, code), countries))
            elapsed = time.perf_counter() - started
            served = [a.seconds for a in answers if a.status == 200]
            statuses = Counter(a.status for a in answers)
            retry = sorted({a.retry_after for a in answers if a.retry_after})
            print(f"round {number}: last answer after {elapsed:.1f} s; "
                  f"p50 of served {statistics.median(served) if served else float('nan'):.1f} s; "
                  f"statuses {dict(sorted(statuses.items()))}; Retry-After {retry or '-'}; "
                  f"now {mib(tree_rss(watched))}")
            for answer in answers:
                print(f"  {answer.country} {answer.status} {answer.seconds:6.1f} s {answer.size / 1024:7.0f} KiB")
        done.set()
        sampler.join()
        after = tree_rss(watched)
        growth = [(a - b) / 2**20 for a, b in zip(after, before, strict=True)]
        print(f"memory before: {mib(before)}; peak: {mib((peak[0], peak[1]))}; after: {mib(after)}; growth: server "
              f"{growth[0]:+.0f} MiB, with render processes {growth[1]:+.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=20)


if __name__ == "__main__":
    main()
