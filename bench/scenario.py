"""Benchmark: wall time of one `coupwatch scenario` command, with a cold and a warm cache (median of 3 runs each).

Cold: a home with no saved features, final fit or bootstrap refits, so the command builds the features of every
state, fits the model and its refits (the first scenario after `coupwatch data build` and `coupwatch backtest`).
Warm: the same command again once those are saved (every later scenario of the same year, model and seed).
Each run is a new process, as a user runs it, so imports count. The runs use a scratch home that links to the
warehouse and the saved backtest of $COUPWATCH_HOME (only read), so the real home's cache is not touched; every
run's JSON must be identical (checked). The machine's load average is printed, since a shared machine's load
changes the figures.

Usage: python bench/scenario.py [--country MLI] [--set milex_gdp=-30%] [--year 2026] [--runs 3]
Needs a built warehouse and a saved backtest ($COUPWATCH_HOME; `coupwatch data build`, `coupwatch backtest`).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from coupwatch import config


def _scratch_home(parent: Path, home: Path) -> Path:
    """A home that reads the real warehouse and backtest and keeps its own (empty) cache."""
    scratch = Path(tempfile.mkdtemp(dir=parent))
    (scratch / "warehouse.duckdb").symlink_to(home / "warehouse.duckdb")
    (scratch / "backtest").symlink_to(home / "backtest", target_is_directory=True)
    return scratch


def _run(command: list[str], home: Path) -> tuple[float, str]:
    environment = {**os.environ, "COUPWATCH_HOME": str(home)}
    started = time.perf_counter()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, done.stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--country", default="MLI")
    parser.add_argument("--set", dest="sets", action="append", help="NAME=CHANGE (default: milex_gdp=-30%%)")
    parser.add_argument("--year", type=int, default=None, help="Forecast year (default: the next one)")
    parser.add_argument("--runs", type=int, default=3, help="Runs per cache state (the median is reported)")
    args = parser.parse_args()

    home = config.home()
    for needed in (home / "warehouse.duckdb", home / "backtest" / "metrics.json"):
        if not needed.exists():
            sys.exit(f"{needed}: missing. Fix: run `coupwatch data build` and `coupwatch backtest` with "
                     f"COUPWATCH_HOME={home}")
    command = [sys.executable, "-c", "from coupwatch.cli import app; app()", "scenario", args.country, "--format",
               "json"]
    command += [part for change in (args.sets or ["milex_gdp=-30%"]) for part in ("--set", change)]
    command += ["--year", str(args.year)] if args.year is not None else []
    print(" ".join(["coupwatch", *command[3:]]))
    print(f"load average before: {' '.join(f'{v:.2f}' for v in os.getloadavg())} on {os.cpu_count()} cores")

    outputs: set[str] = set()
    with tempfile.TemporaryDirectory(prefix="coupwatch-bench-") as folder:
        cold = []
        for _ in range(args.runs):
            scratch = _scratch_home(Path(folder), home)
            seconds, output = _run(command, scratch)
            cold.append(seconds)
            outputs.add(output)
            shutil.rmtree(scratch)
        warm_home = _scratch_home(Path(folder), home)
        outputs.add(_run(command, warm_home)[1])  # fills the cache
        warm = []
        for _ in range(args.runs):
            seconds, output = _run(command, warm_home)
            warm.append(seconds)
            outputs.add(output)
    print(f"cold cache: median {statistics.median(cold):.2f} s wall ({', '.join(f'{s:.2f}' for s in cold)})")
    print(f"warm cache: median {statistics.median(warm):.2f} s wall ({', '.join(f'{s:.2f}' for s in warm)})")
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("every run gave the same JSON" if len(outputs) == 1 else f"DIFFERENT answers: {len(outputs)} variants")


if __name__ == "__main__":
    main()
