"""Scale-out on a real Dask cluster: a LocalCluster with 2 worker processes gives the serial run's numbers."""

from __future__ import annotations

import functools
import json
import time
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.core.evaluate.backtest import SerialExecutor, run_backtest
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.models.specs import load_specs
from coupwatch.scale import DaskExecutor, dask_executor, local_cluster, unbind

SMALL = RollingOrigin(first_test_year=2021, last_test_year=2022, retune_every=2, inner_folds=1,
                      inner_block_years=2, train_start_grid=(1960, 1975))


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    with local_cluster(2) as local:
        yield local


@pytest.fixture()
def executor(cluster: object) -> Iterator[DaskExecutor]:
    from distributed import Client

    with DaskExecutor(Client(cluster)) as running:
        yield running


def test_cluster_has_two_worker_processes(executor: DaskExecutor) -> None:
    import os

    pids = executor.client.run(os.getpid)
    assert len(pids) == 2 and os.getpid() not in pids.values()


def test_backtest_on_the_cluster_equals_the_serial_run(features: pd.DataFrame, executor: DaskExecutor) -> None:
    specs = load_specs()
    serial = run_backtest(features, specs, SMALL, outcomes=("attempt",), executor=SerialExecutor())
    steps: list[tuple[str, int]] = []
    on_dask = run_backtest(features, specs, SMALL, outcomes=("attempt",), executor=executor,
                           progress=lambda step, done, total: steps.append((step, total)))
    assert {"training window", "inner cross-validation", "origins"} <= {step for step, _ in steps}
    pd.testing.assert_frame_equal(serial.predictions, on_dask.predictions, check_exact=True)
    pd.testing.assert_frame_equal(serial.tuning, on_dask.tuning, check_exact=True)
    assert set(serial.predictions["model"]) == {"constant", "history", "logit", "lightgbm", "ensemble"}
    assert sorted(serial.predictions["year"].unique()) == [2021, 2022]
    # The feature frame went to the workers once for all three rounds of tasks, not once per task.
    assert len(executor._shared) == 1 and id(features) in executor._shared


def test_scenario_sweep_on_the_cluster_equals_the_serial_run(
    panel: pd.DataFrame, features: pd.DataFrame, analysis_home: Path, executor: DaskExecutor
) -> None:
    from coupwatch.app.backtest import load_backtest
    from coupwatch.core.scenarios.options import scenario_from_options
    from coupwatch.core.scenarios.score import run_scenarios

    backtest = load_backtest(analysis_home / "backtest")
    chosen = [scenario_from_options(["milex_gdp=-30%"], name="spending"),
              scenario_from_options(["vdem_jucon=+0.1"], shifts=["capacity->governance:25%"], name="mix")]
    countries = ["MLI", "NER", "BFA", "TCD", "SDN", "GIN", "USA"]
    run = functools.partial(run_scenarios, panel, backtest, chosen, countries, 2024,
                            features=features, draws=6, seed=11, strict=False)
    serial = run()
    on_dask = run(executor=executor)
    pd.testing.assert_frame_equal(serial.summary, on_dask.summary, check_exact=True)
    pd.testing.assert_frame_equal(serial.moved, on_dask.moved, check_exact=True)
    pd.testing.assert_frame_equal(serial.inputs, on_dask.inputs, check_exact=True)
    pd.testing.assert_frame_equal(serial.skipped, on_dask.skipped, check_exact=True)
    assert len(serial.summary) == 13 and list(serial.skipped["iso3"]) == ["USA"]
    assert serial.summary["difference_low"].notna().all()


def test_partial_tasks_share_their_inputs_by_reference(executor: DaskExecutor) -> None:
    frame = pd.DataFrame({"x": np.arange(100_000.0)})
    task = functools.partial(_scaled_sum, frame=frame, factor=2.0)
    assert unbind(task) == (_scaled_sum, {"frame": frame, "factor": 2.0})
    assert executor.map(task, [1, 2, 3]) == SerialExecutor().map(task, [1, 2, 3])
    first = executor.share(frame)
    assert executor.share(frame) is first and first.status == "finished"
    # Each worker already holds the frame: it was broadcast, not fetched per task, and it stays on every worker
    # past the memory manager's 2 s round (which would otherwise drop the replicas it deems extra).
    time.sleep(3)
    holders = executor.client.who_has([first])[first.key]
    assert len(holders) == 2


def _scaled_sum(item: int, frame: pd.DataFrame, factor: float) -> float:
    return float(frame["x"].sum()) * factor * item


def test_scenario_cli_attaches_to_a_running_cluster(analysis_env: Path, cluster: object,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from coupwatch.cli import app

    address = cluster.scheduler_address  # type: ignore[attr-defined]
    args = ["scenario", "MLI", "NER", "--set", "milex_gdp=-30%", "--draws", "4", "--format", "json"]
    runner = CliRunner()
    serial = runner.invoke(app, args)
    assert serial.exit_code == 0, serial.output
    on_cluster = runner.invoke(app, [*args, "--scheduler", address])
    assert on_cluster.exit_code == 0, on_cluster.output
    assert json.loads(on_cluster.stdout) == json.loads(serial.stdout)
    monkeypatch.setenv("COUPWATCH_SCHEDULER", address)
    from_env = runner.invoke(app, args)
    assert json.loads(from_env.stdout) == json.loads(serial.stdout)
    bad = runner.invoke(app, [*args, "--scheduler", "cluster-one"])
    assert bad.exit_code == 1 and "tcp://" in bad.output


def test_dask_executor_refuses_an_address_it_cannot_use() -> None:
    with pytest.raises(ValueError, match="give 'local' or an address such as tcp://"):
        dask_executor("10.0.0.5:8786")
