"""Benchmark: Mali's country brief as HTML and as PDF, warehouse already built.

Prints the median wall time over 3 renders in one process (the way the web app serves briefs; the first render
also pays vl-convert's start and the claims check, which are then reused) and over 3 fresh processes (the way
`coupwatch brief MLI` runs, imports included). Targets: HTML <= 3 s, PDF <= 15 s on 2 cores.
Usage: python bench/brief.py [--runs 3] [--country MLI]
Needs $COUPWATCH_HOME with a built warehouse, and a saved backtest and forecast for the headline
(`coupwatch backtest`, `coupwatch forecast`); without them the brief says what is missing and is timed as is.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

CHILD = """
import json, sys, time
started = time.perf_counter()
from coupwatch.report.brief import render_brief_html, render_brief_pdf
render = render_brief_pdf if sys.argv[2] == "pdf" else render_brief_html
render(sys.argv[1], compute_forecast=False)
print(json.dumps({"seconds": time.perf_counter() - started}))
"""


def _in_process(country: str, runs: int) -> dict[str, list[float]]:
    from coupwatch.report.brief import render_brief_html, render_brief_pdf

    times: dict[str, list[float]] = {"html": [], "pdf": []}
    for kind, render in (("html", render_brief_html), ("pdf", render_brief_pdf)):
        for _ in range(runs):
            started = time.perf_counter()
            output = render(country, compute_forecast=False)
            times[kind].append(time.perf_counter() - started)
            size = len(output)
        print(f"  in process, {kind}: " + ", ".join(f"{t:.2f} s" for t in times[kind]) + f" ({size:,} bytes)",
              flush=True)
    return times


def _fresh_processes(country: str, runs: int) -> dict[str, list[float]]:
    times: dict[str, list[float]] = {"html": [], "pdf": []}
    for kind in times:
        for _ in range(runs):
            result = subprocess.run([sys.executable, "-c", CHILD, country, kind], check=True, capture_output=True,
                                    text=True, env=os.environ.copy())
            times[kind].append(json.loads(result.stdout.strip().splitlines()[-1])["seconds"])
        print(f"  fresh process, {kind}: " + ", ".join(f"{t:.2f} s" for t in times[kind]), flush=True)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--country", default="MLI")
    args = parser.parse_args()
    from coupwatch.errors import CoupwatchError
    from coupwatch.store.saved import load_forecast

    try:
        load_forecast()
    except CoupwatchError as exc:
        print(f"note: {exc}; the headline will say the forecast is missing", flush=True)
    print(f"{args.country} brief, {args.runs} runs each (warehouse {os.environ.get('COUPWATCH_HOME', 'default')}), "
          f"load average {os.getloadavg()[0]:.2f} on {os.cpu_count()} cores:")
    warm = _in_process(args.country, args.runs)
    cold = _fresh_processes(args.country, args.runs)
    targets = {"html": 3.0, "pdf": 15.0}
    for kind, target in targets.items():
        median_warm, median_cold = statistics.median(warm[kind]), statistics.median(cold[kind])
        print(f"{kind.upper()}: median {median_warm:.2f} s in process (first {warm[kind][0]:.2f} s), "
              f"{median_cold:.2f} s in a fresh process incl. imports; target <= {target:.0f} s: "
              f"{'met' if median_warm <= target else 'NOT met'} in process, "
              f"{'met' if median_cold <= target else 'NOT met'} fresh")


if __name__ == "__main__":
    main()
