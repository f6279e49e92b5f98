"""Benchmark: cold `coupwatch data build` from the mirror, median wall time and peak memory over 3 runs.

Each run is a fresh process with an empty COUPWATCH_HOME. Targets: <= 20 s and <= 2 GB on 2 cores.
Usage: python bench/build.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

CHILD = """
import json, resource, sys, time
from pathlib import Path
from coupwatch.store import build as warehouse
started = time.perf_counter()
result = warehouse.build(Path(sys.argv[1]) / "warehouse.duckdb")
seconds = time.perf_counter() - started
# The parse workers are child processes: report the larger of the parent's and the largest child's peak.
peak_mb = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
              resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss) / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak_mb, "tables": len(result.provenance),
                  "country_years": result.panel_rows, "country_months": result.month_rows}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    mirror = os.environ.get("COUPWATCH_MIRROR") or str(Path(__file__).resolve().parents[2] / "shared" / "data" / "raw")
    runs = []
    for number in range(args.runs):
        with tempfile.TemporaryDirectory() as home:
            env = {**os.environ, "COUPWATCH_HOME": home, "COUPWATCH_MIRROR": mirror}
            out = subprocess.run(
                [sys.executable, "-c", CHILD, home], env=env, check=True, capture_output=True, text=True
            )
            run = json.loads(out.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"run {number + 1}: {run['seconds']:.2f} s, peak {run['peak_mb']:.0f} MB", flush=True)
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    last = runs[-1]
    print(
        f"cold build from mirror: median {seconds:.2f} s over {len(runs)} runs (target <= 20 s, "
        f"{seconds / 20:.2f}x of target); peak memory {peak:.0f} MB (target <= 2048 MB); "
        f"{last['tables']} tables, {last['country_years']:,} country-years, {last['country_months']:,} country-months"
    )


if __name__ == "__main__":
    main()
