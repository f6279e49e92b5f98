"""Shared fixtures: the publishers' mirror and small helpers."""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    import pandas as pd

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def mirror_root() -> Path:
    configured = os.environ.get("COUPWATCH_MIRROR")
    root = Path(configured) if configured else REPO.parent / "shared" / "data" / "raw"
    if not root.is_dir():
        raise RuntimeError(
            f"publishers' mirror not found at {root}: set COUPWATCH_MIRROR to the folder of raw files"
        )
    return root


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The folder of publishers' files (COUPWATCH_MIRROR, else ../shared/data/raw)."""
    return mirror_root()


# Fixtures that read the publishers' mirror (directly or through the warehouse built from it); fixtures built on
# them count too, as pytest lists every fixture a test needs, however indirectly.
MIRROR_FIXTURES = frozenset({"mirror", "built_home"})


@pytest.hookimpl(tryfirst=True)  # before `-m` selects: the marker must be on the items by then
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if MIRROR_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.mirror)
    if os.environ.get("COUPWATCH_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the internet; set COUPWATCH_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def built_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A COUPWATCH_HOME holding a warehouse built once from the mirror and shared by all test workers.

    Tests must only read it; tests that break a build use their own home.
    """
    from filelock import FileLock

    from coupwatch.store import build as warehouse

    # Under xdist every worker has its own basetemp inside the run's folder; share the run's folder.
    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    home = shared / "coupwatch-home"
    with FileLock(str(shared / "warehouse.lock")):
        target = home / "warehouse.duckdb"
        if not target.exists():
            home.mkdir(parents=True, exist_ok=True)
            warehouse.build(target, mirror=str(mirror_root()))
    return home


@pytest.fixture()
def warehouse_env(built_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point COUPWATCH_HOME at the shared, already built warehouse."""
    monkeypatch.setenv("COUPWATCH_HOME", str(built_home))
    return built_home


@pytest.fixture(scope="session")
def parsed_states(mirror: Path):  # type: ignore[no-untyped-def]
    """The state system and codelist parsed straight from the mirror (no warehouse needed)."""
    from coupwatch.sources import states as state_sources
    from coupwatch.states import StateSystem

    folder = mirror / "states"
    codelist = state_sources.parse_codelist(folder / "countrycode_codelist_crosswalk.csv").reset_index()
    system = StateSystem.from_tables(
        state_sources.parse_gw_states(folder / "iisystem.dat").reset_index(),
        state_sources.parse_gw_microstates(folder / "microstatessystem.dat").reset_index(),
        codelist,
    )
    return system, codelist


TEST_ROLLING: dict[str, Any] = {
    "first_test_year": 2016,
    "last_test_year": 2025,
    "retune_every": 5,
    "inner_folds": 2,
    "inner_block_years": 2,
    "train_start_grid": (1960, 1975),
}


@pytest.fixture(scope="module")
def panel(built_home: Path) -> pd.DataFrame:
    """The built warehouse's country-year panel, read once per test module."""
    from coupwatch.store.reader import YEAR_PANEL, Warehouse

    with Warehouse(built_home / "warehouse.duckdb") as warehouse:
        return warehouse.table(YEAR_PANEL)


@pytest.fixture(scope="module")
def features(panel: pd.DataFrame) -> pd.DataFrame:
    """Forecast features built from that panel."""
    from coupwatch.core.features import build_features

    return build_features(panel)


@pytest.fixture(scope="session")
def analysis_home(built_home: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A COUPWATCH_HOME with the warehouse, a short backtest (2016-2025) and the 2026 and 2024 watchlists.

    Shared by all workers, read only. The backtest is short to keep the suite fast; bench/ runs the full one.
    """
    from filelock import FileLock

    from coupwatch.app.backtest import run_and_save_backtest
    from coupwatch.app.forecast import run_and_save_forecast
    from coupwatch.core.evaluate.rolling import RollingOrigin
    from coupwatch.report.backtest_report import write_report

    base = tmp_path_factory.getbasetemp()
    shared = base.parent if os.environ.get("PYTEST_XDIST_WORKER") else base
    home = shared / "coupwatch-analysis"
    with FileLock(str(shared / "analysis.lock")):
        if not (home / "forecasts").exists():
            home.mkdir(parents=True, exist_ok=True)
            warehouse_file = home / "warehouse.duckdb"
            if not warehouse_file.exists():
                warehouse_file.symlink_to(built_home / "warehouse.duckdb")
            previous = os.environ.get("COUPWATCH_HOME")
            os.environ["COUPWATCH_HOME"] = str(home)
            try:
                run_and_save_backtest(rolling=RollingOrigin(**TEST_ROLLING), draws=200, write_report=write_report)
                run_and_save_forecast()  # 2026 with the one refit count, so scenarios reuse its refits
                # 2024 too: the last year whose aid inputs (Greenbook to FY2020, carried 3 years) what-ifs can move.
                run_and_save_forecast(2024, draws=20)
            finally:
                if previous is None:
                    os.environ.pop("COUPWATCH_HOME", None)
                else:
                    os.environ["COUPWATCH_HOME"] = previous
    return home


@pytest.fixture()
def analysis_env(analysis_home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Point COUPWATCH_HOME at the shared home with warehouse, backtest and forecast."""
    monkeypatch.setenv("COUPWATCH_HOME", str(analysis_home))
    return analysis_home


@pytest.fixture()
def private_analysis_env(analysis_home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A COUPWATCH_HOME of this test's own (warehouse linked, backtest and forecasts copied): tests that write
    outputs use it so the shared home stays as built."""
    import shutil

    home = tmp_path / "home"
    home.mkdir()
    (home / "warehouse.duckdb").symlink_to((analysis_home / "warehouse.duckdb").resolve())
    for folder in ("backtest", "forecasts"):
        shutil.copytree(analysis_home / folder, home / folder)
    monkeypatch.setenv("COUPWATCH_HOME", str(home))
    return home
