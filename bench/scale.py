"""Benchmark: serial versus a Dask LocalCluster with 2 worker processes, in one run.

1. A bootstrap ensemble of the forecast model (default 200 refits on country resamples) predicting every state
   in the forecast year: wall time serial and on the cluster, the speed-up (target >= 1.6x on 2 cores), and
   whether both gave identical numbers.
2. A scenario sweep (every state x the packaged scenarios, with bootstrap intervals): country-scenarios per
   second, serial and on the cluster.
3. With --closure, the ensemble again on the cluster with the model and features captured in a closure (pickled
   into every task) instead of scattered once, to show what the shared inputs save.

Cluster start-up and the workers' first imports are timed separately and left out of the speed-up. Each phase
also reports how much CPU other processes on the machine used meanwhile (from /proc/stat), since a shared
machine's load changes the figures.
Usage: python bench/scale.py [--draws 200] [--sweep-draws 50] [--workers 2] [--closure]
Needs a built warehouse and a saved backtest ($COUPWATCH_HOME; `coupwatch data build`, `coupwatch backtest`).
"""

from __future__ import annotations

import argparse
import os
import resource
import time

import numpy as np


def _busy_core_seconds() -> float:
    """CPU time used by everything on this machine so far (Linux /proc/stat), in core-seconds."""
    with open("/proc/stat", encoding="ascii") as stat:
        fields = [int(v) for v in stat.readline().split()[1:]]
    user, nice, system, _idle, _iowait, irq, softirq, steal = fields[:8]
    return (user + nice + system + irq + softirq + steal) / os.sysconf("SC_CLK_TCK")


def _own_cpu_seconds(workers: object | None = None) -> float:
    """CPU time of this process, its children and (given a Dask client) the worker processes."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    total = own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime
    if workers is not None:
        total += sum(workers.run(_process_cpu).values())  # type: ignore[attr-defined]
    return total


def _process_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


class Contention:
    """How much CPU other processes on the machine took while a phase ran (the benchmark shares its cores)."""

    def __init__(self, client: object | None = None) -> None:
        self.client = client

    def __enter__(self) -> Contention:
        self.busy, self.own, self.started = _busy_core_seconds(), _own_cpu_seconds(self.client), time.perf_counter()
        return self

    def __exit__(self, *exc: object) -> None:
        wall = time.perf_counter() - self.started
        others = (_busy_core_seconds() - self.busy) - (_own_cpu_seconds(self.client) - self.own)
        self.others_cores = max(0.0, others) / wall if wall > 0 else 0.0

    def text(self) -> str:
        return f"other processes used {self.others_cores:.2f} of {os.cpu_count()} cores meanwhile"


def _warm_up() -> int:
    import lightgbm  # noqa: F401
    import shap  # noqa: F401

    import coupwatch.core.forecast
    import coupwatch.core.scenarios.score  # noqa: F401

    return os.getpid()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--draws", type=int, default=200, help="bootstrap refits of the ensemble benchmark")
    parser.add_argument("--sweep-draws", type=int, default=50, help="bootstrap refits in the scenario sweep")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--model", default="ensemble")
    parser.add_argument("--closure", action="store_true", help="also time tasks that pickle their inputs")
    args = parser.parse_args()

    from coupwatch.app.backtest import load_backtest, load_panel
    from coupwatch.core.evaluate.backtest import final_window, fit_final
    from coupwatch.core.features import build_features
    from coupwatch.core.forecast import bootstrap_predictions, default_year, run_bootstrap
    from coupwatch.core.scenarios.score import run_scenarios
    from coupwatch.scale import dask_executor
    from coupwatch.store.scenario_files import packaged_scenarios

    panel = load_panel()
    features = build_features(panel)
    backtest = load_backtest()
    year = default_year(features)
    start = final_window(backtest, "attempt", backtest.specs[args.model])
    model = fit_final(features, backtest.specs[args.model], backtest.specs, backtest, "attempt", before=year)
    states = int((features["year"] == year).sum())
    scenarios = packaged_scenarios()
    print(f"{args.model} model, forecast year {year}, {states} states, {os.cpu_count()} CPUs on this machine",
          flush=True)

    started = time.perf_counter()
    with Contention() as load:
        serial = bootstrap_predictions(features, model, year, "attempt", start, args.draws, seed=2024)
    serial_seconds = time.perf_counter() - started
    print(f"bootstrap ensemble, {args.draws} refits, serial: {serial_seconds:.1f} s ({load.text()})", flush=True)

    started = time.perf_counter()
    with Contention() as load:
        sweep = run_scenarios(panel, backtest, scenarios, None, year, features=features, model=args.model,
                              draws=args.sweep_draws, strict=False)
    sweep_serial = time.perf_counter() - started
    done = len(sweep.summary)
    print(f"scenario sweep serial: {done} country-scenarios ({len(sweep.skipped)} skipped) with {args.sweep_draws} "
          f"refits in {sweep_serial:.1f} s = {done / sweep_serial:.1f} country-scenarios/s ({load.text()})",
          flush=True)

    started = time.perf_counter()
    with dask_executor("local", workers=args.workers) as executor:
        startup = time.perf_counter() - started
        started = time.perf_counter()
        pids = executor.client.run(_warm_up)
        warm = time.perf_counter() - started
        print(f"LocalCluster: {len(pids)} worker processes, start-up {startup:.1f} s, first imports {warm:.1f} s",
              flush=True)

        started = time.perf_counter()
        with Contention(executor.client) as load:
            clustered = bootstrap_predictions(features, model, year, "attempt", start, args.draws, seed=2024,
                                              executor=executor)
        cluster_seconds = time.perf_counter() - started
        same = np.array_equal(serial, clustered)
        print(f"bootstrap ensemble, {args.draws} refits, LocalCluster({args.workers} workers): {cluster_seconds:.1f} s"
              f" (includes sending the features once); identical to serial: {same} ({load.text()})", flush=True)

        started = time.perf_counter()
        with Contention(executor.client) as load:
            sweep_dask = run_scenarios(panel, backtest, scenarios, None, year, features=features,
                                       model=args.model, draws=args.sweep_draws, strict=False, executor=executor)
        sweep_cluster = time.perf_counter() - started
        sweep_same = sweep_dask.summary.equals(sweep.summary)
        print(f"scenario sweep on the cluster: {len(sweep_dask.summary)} country-scenarios in {sweep_cluster:.1f} s "
              f"= {len(sweep_dask.summary) / sweep_cluster:.1f} country-scenarios/s; identical to serial: "
              f"{sweep_same} ({load.text()})", flush=True)

        closure_seconds = None
        if args.closure:
            from coupwatch.core.forecast import BootstrapTask

            tasks = [BootstrapTask(d, 2024, year, year, "attempt", start) for d in range(args.draws)]
            started = time.perf_counter()
            futures = executor.client.map(lambda task: run_bootstrap(task, model, features), tasks, pure=False)
            executor.client.gather(futures)
            closure_seconds = time.perf_counter() - started

    print()
    print(f"serial {serial_seconds:.1f} s, LocalCluster({args.workers}) {cluster_seconds:.1f} s: speed-up "
          f"{serial_seconds / cluster_seconds:.2f}x (target >= 1.6x on 2 cores)")
    print(f"scenario sweep: serial {done / sweep_serial:.1f}, cluster {len(sweep_dask.summary) / sweep_cluster:.1f} "
          f"country-scenarios per second ({args.sweep_draws} refits each run, {len(scenarios)} scenarios)")
    if closure_seconds is not None:
        print(f"same ensemble with inputs pickled into every task (a closure): {closure_seconds:.1f} s vs "
              f"{cluster_seconds:.1f} s scattered once")


if __name__ == "__main__":
    main()
