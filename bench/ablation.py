"""Benchmark: what each feature group adds, measured by rerunning the rolling-origin backtest without it.

Runs the feature-group ablation of one model (default the ensemble; coup attempts) for two periods: the design
years 1990-2009, on which the model's features and settings were chosen, and the test years 2000-2023 of the
main backtest. Prints the wall time of each run and the table: pooled AUC-ROC and AUC-PR of each variant and
their change against all features with 95% paired bootstrap intervals.
Usage: python bench/ablation.py [--model ensemble] [--periods 1990-2009,2000-2023] [--draws 1000]
Needs a built warehouse ($COUPWATCH_HOME, or run `coupwatch data build`).
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

from coupwatch.app.backtest import load_features, run_and_save_ablation
from coupwatch.core.evaluate.ablation import change_text
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.report.backtest_report import write_ablation_report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="ensemble")
    parser.add_argument("--periods", default="1990-2009,2000-2023")
    parser.add_argument("--draws", type=int, default=1000)
    args = parser.parse_args()
    features = load_features()
    for period in args.periods.split(","):
        first, last = (int(year) for year in period.split("-"))
        with tempfile.TemporaryDirectory() as out:
            started = time.perf_counter()
            _, table = run_and_save_ablation(Path(out), model=args.model, draws=args.draws, features=features,
                                             rolling=RollingOrigin(first_test_year=first, last_test_year=last),
                                             write_report=write_ablation_report)
            seconds = time.perf_counter() - started
        events, rows = int(table["events"].iloc[0]), int(table["rows"].iloc[0])
        print(f"\n{args.model}, coup attempts, test years {period} ({rows} country-years, {events} events): "
              f"{len(table)} backtests in {seconds:.0f} s")
        print(f"{'variant':32} {'left out':>8} {'AUC-ROC':>7} {'change [95%]':>26} {'AUC-PR':>7} "
              f"{'change [95%]':>26} {'top20':>5}  reading")
        roc_changes, pr_changes = change_text(table, "auc_roc"), change_text(table, "auc_pr")
        for row, roc_change, pr_change in zip(table.to_dict("records"), roc_changes, pr_changes, strict=True):
            print(f"{row['variant']:32} {row['features_dropped']:8d} {row['auc_roc']:7.3f} {roc_change:>26} "
                  f"{row['auc_pr']:7.3f} {pr_change:>26} {row['recall_top20']:5.2f}  {row['verdict']}", flush=True)

if __name__ == "__main__":
    main()
