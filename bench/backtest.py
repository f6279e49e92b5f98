"""Benchmark: the full rolling-origin backtest (all models, 26 origins 2000-2025, attempts and successes).

Prints the median wall time and the peak memory over 3 runs (each a fresh process, warehouse already built),
then the accuracy table of the last run. Targets: <= 120 s and <= 4 GB on 2 cores.
Usage: python bench/backtest.py [--runs 3] [--scheduler local|tcp://...]
Needs a built warehouse ($COUPWATCH_HOME, or run `coupwatch data build`).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile

from coupwatch.store.schemas import BacktestMetrics, nan_records

CHILD = """
import json, resource, sys, time
from pathlib import Path
from coupwatch.app.backtest import load_features, run_and_save_backtest
from coupwatch.report.backtest_report import write_report
scheduler = sys.argv[2] or None
features = load_features()
executor = None
if scheduler:
    from coupwatch.scale import dask_executor
    executor = dask_executor(scheduler)
started = time.perf_counter()
document = run_and_save_backtest(Path(sys.argv[1]), executor=executor, features=features, write_report=write_report)
seconds = time.perf_counter() - started
peak = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
print(json.dumps({"seconds": seconds, "peak_mb": peak / 1024, "document": document.model_dump(by_alias=True)}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scheduler", default="")
    args = parser.parse_args()
    runs = []
    for number in range(args.runs):
        with tempfile.TemporaryDirectory() as out:
            result = subprocess.run([sys.executable, "-c", CHILD, out, args.scheduler], check=True,
                                    capture_output=True, text=True, env=os.environ.copy())
            run = json.loads(result.stdout.strip().splitlines()[-1])
            runs.append(run)
            print(f"run {number + 1}: {run['seconds']:.1f} s, peak {run['peak_mb']:.0f} MB", flush=True)
    seconds = statistics.median(r["seconds"] for r in runs)
    peak = max(r["peak_mb"] for r in runs)
    where = f"Dask {args.scheduler}" if args.scheduler else "serial"
    print(f"full backtest ({where}): median {seconds:.1f} s over {len(runs)} runs (target <= 120 s, "
          f"{seconds / 120:.2f}x of target); peak memory {peak:.0f} MB (target <= 4096 MB)")
    document = BacktestMetrics.model_validate(runs[-1]["document"])
    print("\nAccuracy, coup attempts (95% bootstrap intervals):")
    print(f"{'sample':9} {'period':10} {'model':9} {'AUC-ROC':>22} {'AUC-PR':>22} {'BSS':>7} {'top20':>6} "
          f"{'events':>6} {'rows':>6}")
    for row in sorted(nan_records(document.pooled),
                      key=lambda r: (r["sample"] != "standard", r["period"], r["model"])):
        if row["outcome"] != "attempt":
            continue
        print(f"{row['sample']:9} {row['period']:10} {row['model']:9} "
              f"{row['auc_roc']:.3f} [{row['auc_roc_low']:.3f}, {row['auc_roc_high']:.3f}] "
              f"{row['auc_pr']:.3f} [{row['auc_pr_low']:.3f}, {row['auc_pr_high']:.3f}] "
              f"{row['brier_skill']:7.3f} {row['recall_top20']:6.2f} {int(row['events']):6d} {int(row['rows']):6d}")
    after = document.frozen.freeze_after
    print(f"\nModel frozen at the end of {after}, scoring {after + 1} to the last observed year:")
    for row in nan_records(document.frozen.rows):
        print(f"  {row['sample']:9} {row['period']} {row['model']:9} "
              f"AUC-ROC {row['auc_roc']:.3f} [{row['auc_roc_low']:.3f}, {row['auc_roc_high']:.3f}]"
              f"  AUC-PR {row['auc_pr']:.3f} [{row['auc_pr_low']:.3f}, {row['auc_pr_high']:.3f}]"
              f"  BSS {row['brier_skill']:.3f}  top20 {row['recall_top20']:.2f}  events {int(row['events'])}")
    headline = document.headline
    print(f"\nTargets ({headline.period}, {headline.sample_label}, {headline.main_model}):")
    for target in headline.targets:
        print(f"  {target.label}: {target.value} -> {'met' if target.met else 'NOT met'}")
    print(f"\nEvery attempt {document.cases.first}-{document.cases.last} and its rank that year "
          f"({headline.main_model}, all states):")
    for case in document.cases.rows:
        rank = case.rank.get(headline.main_model)
        print(f"  {case.year} {case.country:30} rank {'-' if rank is None else rank}")


if __name__ == "__main__":
    main()
