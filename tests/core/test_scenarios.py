"""What-if scenarios on the real panel: parsing, consistent changes, paired intervals, contributions, errors."""

from __future__ import annotations

import json
import math
import subprocess
import sys
from collections.abc import Hashable
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.core.evaluate.backtest import BacktestResult
from coupwatch.core.features import FEATURES, build_features
from coupwatch.core.scenarios.apply import apply_scenario
from coupwatch.core.scenarios.levers import ScenarioError
from coupwatch.core.scenarios.options import (
    SetChange,
    parse_set,
    parse_shift,
    scenario_from_options,
    scenarios_from_toml,
)
from coupwatch.core.scenarios.score import run_scenarios
from coupwatch.store.scenario_files import packaged_scenarios, packaged_scenarios_text


@pytest.fixture(scope="module")
def backtest(analysis_home: Path):  # type: ignore[no-untyped-def]
    from coupwatch.app.backtest import load_backtest

    return load_backtest(analysis_home / "backtest")


def _number(frame: pd.DataFrame, row: Hashable, column: str) -> float:
    """``frame.at[row, column]`` for a numeric column (pandas-stubs type ``.at`` as any scalar)."""
    return cast(float, frame.at[row, column])


def _mali(panel: pd.DataFrame) -> pd.DataFrame:
    return panel[(panel["iso3"] == "MLI") & (panel["year"] <= 2024)].reset_index(drop=True)


# ---------------------------------------------------------------------------------------------------------
# Parsing and validation
# ---------------------------------------------------------------------------------------------------------

def test_parse_changes_and_aliases() -> None:
    assert parse_set("milex_gdp=-30%") == SetChange("milex_gdp", "relative", -0.3, "milex_gdp=-30%")
    assert parse_set("vdem_jucon=+0.1") == SetChange("v2x_jucon", "add", 0.1, "v2x_jucon=+0.1")
    assert parse_set("VDEM_LEGCON = 0.6").mode == "value"
    assert parse_set("military_spending=+10%").lever == "milex_gdp"
    shift = parse_shift("capacity->governance:25%")
    assert (shift.source, shift.target, shift.share) == ("capacity", "governance", 0.25)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("foo=1", ["unknown scenario input 'foo'", "milex_gdp", "v2x_jucon", "vdem_jucon"]),
        ("vdem_jucn=0.5", ["Did you mean vdem_jucon"]),
        ("milex_gdp=-130%", ["negative", "allowed range 0 or more"]),
        ("vdem_jucon=1.5", ["v2x_jucon = 1.5 is impossible", "allowed range 0 to 1"]),
        ("regime_type=1.5", ["allowed: one of 0, 1, 2, 3"]),
        ("wgi_ge=7", ["allowed range -4 to 4"]),
        ("milex_gdp=30%", ["must be signed"]),
        ("milex_gdp=lots", ["expected a number, got 'lots'"]),
        ("milex_gdp", ["expected NAME=CHANGE"]),
    ],
)
def test_bad_changes_are_refused_with_the_fix(text: str, expected: list[str]) -> None:
    with pytest.raises(ScenarioError) as info:
        parse_set(text)
    for part in expected:
        assert part in str(info.value)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("capacity->gov:10%", "unknown assistance category 'gov'"), ("capacity->governance:150%", "0% to 100%"),
     ("capacity->capacity:5%", "the same category"), ("capacity to governance", "FROM->TO:PERCENT")],
)
def test_bad_shifts_are_refused(text: str, expected: str) -> None:
    with pytest.raises(ScenarioError, match=expected):
        parse_shift(text)


def test_scenarios_from_toml(tmp_path: Path) -> None:
    packaged = scenarios_from_toml(packaged_scenarios_text(), "scenarios.toml")
    assert [s.name for s in packaged] == ["rebalance_aid", "spending_falls_back", "oversight_improves"]
    text = """
[mixed]
description = "table form"
set = {milex_gdp = "-30%", vdem_jucon = 0.6}
shift_assistance = "capacity->governance:10%"
"""
    (mixed,) = scenarios_from_toml(text, "mine.toml")
    assert [c.text for c in mixed.changes] == ["milex_gdp=-30%", "v2x_jucon=0.6", "capacity->governance:10%"]
    with pytest.raises(ScenarioError, match=r"mine.toml \[x\]: unknown keys \['sett'\]"):
        scenarios_from_toml("[x]\nsett = ['milex_gdp=-1%']", "mine.toml")
    with pytest.raises(ScenarioError, match="not valid TOML"):
        scenarios_from_toml("[x\n", "mine.toml")
    with pytest.raises(ScenarioError, match=r"mine.toml \[x\] set 'nope=1': unknown scenario input"):
        scenarios_from_toml("[x]\nset = ['nope=1']", "mine.toml")


# ---------------------------------------------------------------------------------------------------------
# Applying changes to Mali's 2023 inputs (the forecast for 2024)
# ---------------------------------------------------------------------------------------------------------

def test_changes_apply_to_the_inputs_the_forecast_sees(panel: pd.DataFrame) -> None:
    scenario = scenario_from_options(["milex_gdp=-30%", "vdem_jucon=+0.1"], ["capacity->governance:25%"])
    _, report = apply_scenario(_mali(panel), 2024, scenario)
    rows = report.set_index("input")
    # SIPRI: Mali spent 3.85% of GDP in 2023; every spending measure falls by the same 30%.
    assert rows.at["milex_gdp", "value_year"] == 2023
    assert rows.at["milex_gdp", "before"] == pytest.approx(3.846548, abs=1e-6)
    assert rows.at["milex_gdp", "after"] == pytest.approx(3.846548 * 0.7, abs=1e-6)
    assert _number(rows, "milex_govt", "after") / _number(rows, "milex_govt", "before") == pytest.approx(0.7)
    assert (_number(rows, "milex_const2024_usd_m", "after") / _number(rows, "milex_const2024_usd_m", "before")
            == pytest.approx(0.7))
    # V-Dem v14 reaches 2023, the year the 2024 forecast reads: 0.493 is the value changed.
    assert rows.at["v2x_jucon", "value_year"] == 2023
    assert (rows.at["v2x_jucon", "before"], rows.at["v2x_jucon", "after"]) == pytest.approx((0.493, 0.593))
    # Greenbook FY2020: $4,484,506.5 of capacity aid and none for governance; a quarter moves, IMET in proportion.
    assert rows.at["aid_security_capacity_usd", "value_year"] == 2020
    assert rows.at["aid_security_capacity_usd", "before"] == pytest.approx(4_484_506.5)
    assert rows.at["aid_security_capacity_usd", "after"] == pytest.approx(4_484_506.5 * 0.75)
    assert rows.at["aid_security_governance_usd", "before"] == 0
    assert rows.at["aid_security_governance_usd", "after"] == pytest.approx(4_484_506.5 * 0.25)
    assert rows.at["gb_imet_usd", "after"] == pytest.approx(1_058_218 * 0.75)
    assert rows.at["aid_governance_share", "after"] == pytest.approx(0.25)


def test_impossible_results_name_the_value_they_started_from(panel: pd.DataFrame) -> None:
    with pytest.raises(ScenarioError) as info:
        apply_scenario(_mali(panel), 2024, scenario_from_options(["vdem_jucon=+0.6"]))
    message = str(info.value)
    assert "from 0.493, the value of 2023" in message and "allowed range 0 to 1" in message
    with pytest.raises(ScenarioError, match=r"spending cannot be negative|allowed range 0 or more"):
        apply_scenario(_mali(panel), 2024, scenario_from_options(["milex_gdp=-5"]))
    # Inputs that move together are checked too: 51 times the spending is more than the whole budget.
    with pytest.raises(ScenarioError, match=r"milex_govt = 761.* is impossible; allowed range 0 to 100"):
        apply_scenario(_mali(panel), 2024, scenario_from_options(["milex_gdp=+5000%"]))
    # Greenbook ends FY2020: for a 2025 forecast there is no aid left to move, and the error says why.
    with pytest.raises(ScenarioError, match="nothing to move"):
        apply_scenario(_mali(panel), 2025, scenario_from_options(shifts=["capacity->governance:25%"]))


def test_scenario_rows_equal_a_full_rebuild_and_derived_features_follow(
    panel: pd.DataFrame, features: pd.DataFrame, backtest: BacktestResult
) -> None:
    scenario = scenario_from_options(["milex_gdp=-30%", "vdem_jucon=+0.1"], ["capacity->governance:25%"])
    result = run_scenarios(panel, backtest, [scenario], ["MLI"], 2024, features=features, draws=0)
    changed, _ = apply_scenario(_mali(panel), 2024, scenario)
    others = panel[~((panel["iso3"] == "MLI") & (panel["year"] <= 2024))]
    rebuilt = build_features(pd.concat([others, changed], ignore_index=True).sort_values(["gwcode", "year"]))
    expected = rebuilt[(rebuilt["iso3"] == "MLI") & (rebuilt["year"] == 2024)].iloc[0]
    got = result.rows[result.rows["scenario"] == scenario.name].iloc[0]
    for name in FEATURES:
        assert (pd.isna(expected[name]) and pd.isna(got[name])) or expected[name] == got[name], name
    baseline = result.rows[result.rows["scenario"] == ""].iloc[0]
    mali = panel[panel["iso3"] == "MLI"].set_index("year")
    new_burden = _number(mali, 2023, "milex_gdp") * 0.7
    assert got["milex_gdp_change_3y"] == pytest.approx(new_burden - _number(mali, 2020, "milex_gdp"))
    assert got["milex_gdp_change_5y"] == pytest.approx(new_burden - _number(mali, 2018, "milex_gdp"))
    assert got["log_milex_per_capita"] == pytest.approx(np.log1p(_number(mali, 2023, "milex_per_capita_usd") * 0.7))
    assert got["milex_growth_5y"] == pytest.approx(baseline["milex_growth_5y"] + np.log(0.7))
    assert got["capacity_without_governance"] == pytest.approx(got["milex_gdp_change_5y"] * (1 - 0.593))  # 0.493 + 0.1
    assert got["imet_per_capita_log"] < baseline["imet_per_capita_log"]
    # Coup history and contagion are untouched.
    for name in ("years_since_attempt", "attempts_5y", "region_attempts", "world_attempts"):
        assert got[name] == baseline[name]


# ---------------------------------------------------------------------------------------------------------
# Risk, intervals and contributions
# ---------------------------------------------------------------------------------------------------------

def test_risk_difference_interval_and_contributions(
    panel: pd.DataFrame, features: pd.DataFrame, backtest: BacktestResult, analysis_home: Path
) -> None:
    from coupwatch.store.saved import load_forecast

    scenarios = [scenario_from_options(["milex_gdp=-30%"], name="spending"),
                 scenario_from_options(["milex_gdp=+0%"], name="nothing"),
                 scenario_from_options(["governance_aid=+1000000"], name="more governance aid")]
    result = run_scenarios(panel, backtest, scenarios, ["MLI"], 2024, features=features, draws=8)
    summary = result.summary.set_index("scenario")
    saved = load_forecast(2024, folder=analysis_home / "forecasts")
    saved_mali = float(saved.loc[saved["iso3"] == "MLI", "p"].iloc[0])
    assert summary.at["spending", "p_baseline"] == pytest.approx(saved_mali, rel=1e-9)
    assert summary.at["nothing", "difference"] == 0 and summary.at["nothing", "difference_low"] == 0
    spending = summary.loc["spending"]
    assert spending["difference"] == pytest.approx(spending["p_scenario"] - spending["p_baseline"])
    assert spending["difference_low"] <= spending["difference"] <= spending["difference_high"]
    assert spending["p_scenario_low"] <= spending["p_scenario"] <= spending["p_scenario_high"]
    assert spending["draws_lower"] + spending["draws_higher"] <= 1
    # Contributions are on the log-odds scale: their changes add up to the change in log-odds.
    moved = result.moved[result.moved["scenario"] == "spending"]
    logit = lambda p: math.log(p / (1 - p))  # noqa: E731
    total = logit(spending["p_scenario"]) - logit(spending["p_baseline"])
    assert moved["contribution_change"].sum() == pytest.approx(total, abs=1e-6)
    assert {"milex_gdp", "milex_gdp_change_3y", "log_milex_per_capita"} <= set(
        moved.loc[moved["value_changed"], "feature"])
    # No feature reads governance aid itself; more of it only raises all U.S. aid, which two features read.
    assert summary.at["more governance aid", "features_changed"] == "us_aid_per_capita_log, us_aid_gdp"
    assert set(result.inputs["label"]) >= {"Military spending, percent of GDP (SIPRI)"}  # inputs in words
    assert "_" not in "".join(moved["label"])
    # Money moved between categories no feature reads would change nothing: refused, saying why.
    with pytest.raises(ScenarioError, match="no forecast feature of 2024 reads these values"):
        run_scenarios(panel, backtest, [scenario_from_options(shifts=["development->democracy:10%"])], ["MLI"],
                      2024, features=features, draws=0)
    assert "not proven effects" in result.caveat


def test_values_outside_the_training_range_are_flagged(
    panel: pd.DataFrame, features: pd.DataFrame, backtest: BacktestResult
) -> None:
    # UCDP's worst country-year had about 772,000 deaths; a million is beyond anything the model was trained on.
    result = run_scenarios(panel, backtest, [scenario_from_options(["conflict_deaths=1000000"])], ["MLI"],
                           2024, features=features, draws=0)
    row = result.summary.iloc[0]
    assert row["extrapolation"] and row["extrapolated_features"] == "conflict_deaths_log"
    flagged = result.moved[result.moved["extrapolation"]]
    assert not flagged.empty
    assert ((flagged["value_after"] > flagged["train_max"]) | (flagged["value_after"] < flagged["train_min"])).all()
    moderate = run_scenarios(panel, backtest, [scenario_from_options(["milex_gdp=-30%"])], ["MLI"], 2024,
                             features=features, draws=0)
    assert not moderate.summary.iloc[0]["extrapolation"]


def test_sweep_skips_what_cannot_apply(panel: pd.DataFrame, features: pd.DataFrame, backtest: BacktestResult) -> None:
    scenarios = packaged_scenarios()
    result = run_scenarios(panel, backtest, scenarios, ["MLI", "NER", "USA", "NOR"], 2024, features=features,
                           draws=0, strict=False)
    skipped = result.skipped.set_index(["iso3", "scenario"])["reason"]
    # The United States receives no U.S. aid; Norway's judicial constraints are too close to 1 to rise by 0.1.
    assert "nothing to move" in skipped[("USA", "rebalance_aid")]
    assert "allowed range 0 to 1" in skipped[("NOR", "oversight_improves")]
    assert len(result.summary[result.summary["iso3"] == "MLI"]) == 3
    with pytest.raises(ScenarioError, match="nothing to move"):
        run_scenarios(panel, backtest, scenarios, ["USA"], 2024, features=features, draws=0)
    with pytest.raises(ScenarioError, match="country 'XYZ'"):
        run_scenarios(panel, backtest, scenarios, ["XYZ"], 2024, features=features, draws=0)
    with pytest.raises(ScenarioError, match="--model 'nope'"):
        run_scenarios(panel, backtest, scenarios, ["MLI"], 2024, features=features, model="nope", draws=0)


def test_scenarios_core_imports_no_io_stacks() -> None:
    code = ("import sys, coupwatch.core.scenarios.score\n"
            "print(','.join(m for m in ('fastapi', 'weasyprint', 'dask', 'distributed', 'uvicorn', 'duckdb')"
            " if m in sys.modules))")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


# ---------------------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------------------

def test_scenario_cli(analysis_env: Path, tmp_path: Path) -> None:
    from coupwatch.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["scenario", "MLI", "--year", "2024", "--set", "milex_gdp=-30%", "--shift-assistance",
                                 "capacity->governance:25%", "--draws", "4", "--format", "json"])
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["year"] == 2024 and document["data_year"] == 2023 and document["model"] == "ensemble"
    assert "not proven effects" in document["caveat"]
    (row,) = document["summary"]
    assert row["scenario"] == "milex_gdp=-30%; capacity->governance:25%"
    assert row["difference_low"] <= row["difference"] <= row["difference_high"]

    named = tmp_path / "named.toml"
    named.write_text(packaged_scenarios_text(), encoding="utf-8")
    table = runner.invoke(app, ["scenario", "MLI", "--year", "2024", "--scenarios", str(named), "--draws", "0"])
    assert table.exit_code == 0, table.output
    assert "rebalance_aid" in table.stdout and "modelled associations, not proven effects" in table.stdout
    assert "features that moved the risk" in table.stdout

    unknown = runner.invoke(app, ["scenario", "MLI", "--set", "foo=1"])
    assert unknown.exit_code == 1 and "Valid names" in unknown.output and "v2x_jucon" in unknown.output
    impossible = runner.invoke(app, ["scenario", "MLI", "--set", "vdem_jucon=1.4"])
    assert impossible.exit_code == 1 and "allowed range 0 to 1" in impossible.output
    missing = runner.invoke(app, ["scenario", "MLI", "--scenarios", str(tmp_path / "none.toml")])
    assert missing.exit_code == 1 and "no such file" in missing.output
    nothing = runner.invoke(app, ["scenario", "MLI"])
    assert nothing.exit_code == 1 and "no change given" in nothing.output
    listing = runner.invoke(app, ["scenario", "--inputs", "--format", "csv"])
    assert listing.exit_code == 0 and "v2x_jucon,\"vdem_jucon, judicial_constraints\"" in listing.stdout


def test_a_scenarios_baseline_interval_is_the_forecasts(
    panel: pd.DataFrame, features: pd.DataFrame, backtest: BacktestResult, analysis_home: Path
) -> None:
    """One engine, one answer: the default refits are the forecast's (same count, seed and data), so the
    baseline of a scenario repeats the saved forecast and its interval exactly; the saved refits are reused."""
    from coupwatch.core.refits import REFITS
    from coupwatch.store.refit_cache import DiskRefitStore
    from coupwatch.store.saved import load_forecast

    saved = load_forecast(folder=analysis_home / "forecasts")
    year = int(saved["year"].iloc[0])
    mali = saved[saved["iso3"] == "MLI"].iloc[0]
    store = DiskRefitStore(analysis_home / "cache" / "refits")
    assert list(store.folder.glob("*.pkl")), "the forecast keeps its refits"
    result = run_scenarios(panel, backtest, [scenario_from_options(["milex_gdp=-30%"])], ["MLI"], year,
                           features=features, store=store)
    row = result.summary.iloc[0]
    assert result.draws == REFITS
    assert [row["p_baseline"], row["p_baseline_low"], row["p_baseline_high"]] == pytest.approx(
        [float(mali["p"]), float(mali["p_low"]), float(mali["p_high"])], rel=1e-9)
