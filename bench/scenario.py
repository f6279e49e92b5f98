"""Benchmark: wall time of one `coupwatch scenario` command, with a cold and a warm cache (median of 3 runs each).

Cold: a home with no saved features, final fit or bootstrap refits, so the command builds the features of every
state, fits the model and its refits (the first scenario after `coupwatch data build` and `coupwatch backtest`).
Warm: the same command again once those are saved (every later scenario of the same year, model and seed).
Each run is a new process, as a user runs it, so imports count. The runs use a scratch home that links to the
warehouse and the saved backtest of $COUPWATCH_HOME (only read), so the real home's cache is not touched; every
run's JSON must be identical (checked). The machine's load average is printed, since a shared machine's load
changes the wall times (the CPU seconds of each run are printed too).

Usage: python bench/scenario.py [--country MLI] [--set milex_gdp=-30%] [--year 2026] [--runs 3] [--warm-only]
Needs a built warehouse and a saved backtest ($COUPWATCH_HOME; `coupwatch data build`, `coupwatch backtest`).
"""

from __future__ import annotations

import argparse
import os
import resource
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


def _cpu_of_children() -> float:
    used = resource.getrusage(resource.RUSAGE_CHILDREN)
    return used.ru_utime + used.ru_stime


def _run(command: list[str], home: Path) -> tuple[float, float, str]:
    """Wall seconds, CPU seconds (user + system: what the machine's load does not inflate) and the output."""
    environment = {**os.environ, "COUPWATCH_HOME": str(home)}
    started, cpu_before = time.perf_counter(), _cpu_of_children()
    done = subprocess.run(command, env=environment, capture_output=True, text=True, check=False)
    seconds, cpu = time.perf_counter() - started, _cpu_of_children() - cpu_before
    if done.returncode != 0:
        sys.exit(f"{' '.join(command)} failed ({done.returncode}):\n{done.stderr}")
    return seconds, cpu, done.stdout


def _line(name: str, runs: list[tuple[float, float]]) -> str:
    wall, cpu = [w for w, _ in runs], [c for _, c in runs]
    return (f"{name}: median {statistics.median(wall):.2f} s wall ({', '.join(f'{s:.2f}' for s in wall)}), "
            f"{statistics.median(cpu):.2f} s CPU")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--country", default="MLI")
    parser.add_argument("--set", dest="sets", action="append", help="NAME=CHANGE (default: milex_gdp=-30%%)")
    parser.add_argument("--year", type=int, default=None, help="Forecast year (default: the next one)")
    parser.add_argument("--runs", type=int, default=3, help="Runs per cache state (the median is reported)")
    parser.add_argument("--warm-only", action="store_true", help="Skip the cold runs (minutes each)")
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
        cold: list[tuple[float, float]] = []
        for _ in range(0 if args.warm_only else args.runs):
            scratch = _scratch_home(Path(folder), home)
            seconds, cpu, output = _run(command, scratch)
            cold.append((seconds, cpu))
            outputs.add(output)
            shutil.rmtree(scratch)
        warm_home = _scratch_home(Path(folder), home)
        outputs.add(_run(command, warm_home)[2])  # fills the cache
        warm: list[tuple[float, float]] = []
        for _ in range(args.runs):
            seconds, cpu, output = _run(command, warm_home)
            warm.append((seconds, cpu))
            outputs.add(output)
    if cold:
        print(_line("cold cache", cold))
    print(_line("warm cache", warm))
    print(f"load average after: {' '.join(f'{v:.2f}' for v in os.getloadavg())}")
    print("every run gave the same JSON" if len(outputs) == 1 else f"DIFFERENT answers: {len(outputs)} variants")


if __name__ == "__main__":
    main()
