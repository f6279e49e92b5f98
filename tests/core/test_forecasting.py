"""Forecasts and the backtest: no look-ahead, the outputs users read, and the watchlist."""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core.evaluate.backtest import run_backtest
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.evaluate.tuning import EnsembleChoice
from coupwatch.core.features import FEATURES, build_features, feature_names
from coupwatch.core.forecast import centred_interval, default_year, make_forecast
from coupwatch.core.models.specs import ModelSpec, packaged_specs

runner = CliRunner()
KEYS = ["gwcode", "year", "iso3", "country", "region", "subregion", "gwc", "africa", "microstate"]


def _scramble_from(panel: pd.DataFrame, year: int, seed: int = 7) -> pd.DataFrame:
    """Every value of every column for years >= ``year`` replaced by a random draw of that column."""
    rng = np.random.default_rng(seed)
    out = panel.copy()
    future = out["year"] >= year
    for column in out.columns:
        if column in KEYS:
            continue
        pool = out[column].dropna().to_numpy()
        if len(pool) == 0:
            continue
        out.loc[future, column] = rng.choice(pool, size=int(future.sum()))
    return out


def _small_specs() -> dict[str, ModelSpec]:
    """The packaged models with at most two values per tuned parameter, to keep the test quick."""
    return {
        name: spec.model_copy(update={"grid": {key: values[:2] for key, values in spec.grid.items()}})
        for name, spec in packaged_specs().items()
    }


def test_features_for_year_t_do_not_move_when_the_future_changes(panel: pd.DataFrame) -> None:
    year = 2016
    original = build_features(panel)
    scrambled = build_features(_scramble_from(panel, year))
    columns = feature_names()
    before = original[original["year"] <= year].set_index(["gwcode", "year"])[columns]
    after = scrambled[scrambled["year"] <= year].set_index(["gwcode", "year"])[columns]
    pd.testing.assert_frame_equal(before, after)
    later = original[original["year"] == year + 1].set_index("gwcode")[columns]
    moved = scrambled[scrambled["year"] == year + 1].set_index("gwcode")[columns]
    assert not later.equals(moved)  # the scramble really reached the data the next year may use


def test_backtest_and_forecast_for_t_do_not_move_when_the_future_changes(panel: pd.DataFrame) -> None:
    year = 2016
    specs = _small_specs()
    rolling = RollingOrigin(first_test_year=year, last_test_year=year, retune_every=1, inner_folds=2,
                            inner_block_years=2, train_start_grid=(1960, 1975))
    original = build_features(panel)
    scrambled = build_features(_scramble_from(panel, year))
    first = run_backtest(original, specs, rolling, outcomes=("attempt",))
    second = run_backtest(scrambled, specs, rolling, outcomes=("attempt",))
    a = first.predictions.sort_values(["model", "gwcode"])["p"].to_numpy()
    b = second.predictions.sort_values(["model", "gwcode"])["p"].to_numpy()
    assert len(a) > 100 and np.array_equal(a, b)
    pd.testing.assert_frame_equal(first.tuning, second.tuning)
    watch_a = make_forecast(original, specs, first, year=year, draws=3)
    watch_b = make_forecast(scrambled, specs, second, year=year, draws=3)
    assert np.array_equal(watch_a.sort_values("gwcode")["p"].to_numpy(), watch_b.sort_values("gwcode")["p"].to_numpy())
    assert np.array_equal(watch_a.sort_values("gwcode")["p_high"].to_numpy(),
                          watch_b.sort_values("gwcode")["p_high"].to_numpy())


def test_protest_features_come_from_the_year_before(features: pd.DataFrame) -> None:
    by = features.set_index(["iso3", "year"])
    # Egypt's 2011 uprising (V-Dem v2cagenmob -0.68 in 2010, 3.69 in 2011) is the forecast for 2012's input
    assert by.loc[("EGY", 2012), "mobilisation"] == pytest.approx(3.694)
    assert by.loc[("EGY", 2012), "mobilisation_change"] == pytest.approx(3.694 + 0.680)
    assert by.loc[("EGY", 2011), "mobilisation"] == pytest.approx(-0.680)
    # the U.S. presidential elections of 2016 and 2020 were scheduled, so due in the forecast year
    assert [by.loc[("USA", y), "exec_election_due"] for y in (2015, 2016, 2017, 2020)] == pytest.approx([0, 1, 0, 1])
    # Niger's coup of 26 July 2023 is a late-year attempt for the 2024 forecast
    assert by.loc[("NER", 2024), "attempt_late_last_year"] == pytest.approx(1)


def test_every_feature_is_documented_with_a_source() -> None:
    for feature in FEATURES.values():
        assert feature.description and feature.source and feature.group


def test_backtest_outputs(analysis_home: Path) -> None:
    from coupwatch.app.backtest import load_backtest
    from coupwatch.store.saved import load_backtest_metrics

    folder = analysis_home / "backtest"
    predictions = pd.read_parquet(folder / "predictions.parquet")
    assert list(predictions.columns) == ["gwcode", "iso3", "country", "year", "outcome", "model", "p", "observed",
                                         "standard_sample"]
    # The standard sample starts in 2011: here it is the test years 2016-2019 without microstates and the rest.
    standard = predictions[predictions["standard_sample"]]
    assert set(standard["year"]) == set(range(2016, 2020))
    assert not standard["iso3"].isin(["TWN", "BRN", "BLZ", "BHS"]).any()
    assert set(predictions["model"]) == {"constant", "history", "logit", "lightgbm", "ensemble"}
    assert set(predictions["year"]) == set(range(2016, 2026))
    assert set(predictions["outcome"]) == {"attempt", "success"}
    assert predictions["p"].between(0, 1).all()
    assert pd.read_csv(folder / "predictions.csv").shape == predictions.shape
    metrics = load_backtest_metrics(folder)
    pooled = pd.DataFrame([row.model_dump() for row in metrics.pooled])
    row = pooled[(pooled["outcome"] == "attempt") & (pooled["period"] == "2020-2025")
                 & (pooled["model"] == "ensemble") & (pooled["sample"] == "all")].iloc[0]
    assert row["events"] == 17  # attempts in 1, 6, 3, 3, 2 and 2 states (Powell & Thyne V2025.09.12)
    assert row["auc_roc_low"] <= row["auc_roc"] <= row["auc_roc_high"]
    assert row["auc_pr_low"] <= row["auc_pr"] <= row["auc_pr_high"]
    for key in ("brier", "brier_skill", "log_loss", "recall_top10", "recall_top20", "recall_top30"):
        assert key in row
    mali = [row for row in metrics.cases.rows if row.iso3 == "MLI"]
    assert sorted(row.year for row in mali) == [2020, 2021]
    assert all(row.p["ensemble"] is not None and row.rank["ensemble"] is not None for row in mali)
    assert metrics.frozen.freeze_after == 2019 and metrics.frozen.rows, "the model frozen at 2019 is scored"
    # The main model's settings were fixed on the design years: nothing of it is tuned at the origins, its members
    # train from 1975, and it is the equal-weight average of their log-odds.
    choices = load_backtest(folder).choices
    assert choices.ensembles == [] and {c.model for c in choices.params} == {"history"}
    tuning = pd.read_csv(folder / "tuning.csv")
    assert not tuning["model"].isin(["ensemble", "logit", "lightgbm"]).any()
    members = predictions[predictions["model"].isin(["logit", "lightgbm", "ensemble"])]
    wide = members.pivot_table(index=["outcome", "gwcode", "year"], columns="model", values="p")
    log_odds = np.log(wide[["logit", "lightgbm"]] / (1 - wide[["logit", "lightgbm"]]))
    expected = 1 / (1 + np.exp(-log_odds.mean(axis=1)))
    assert wide["ensemble"].to_numpy() == pytest.approx(expected.to_numpy(), rel=1e-9)
    html = (folder / "report.html").read_text()
    assert html.count("<svg") >= 6 and "Every coup attempt" in html
    assert "Models with fixed settings" in html and "members logit, lightgbm, weights 0.5 0.5" in html
    for chart in ("roc_headline", "pr_headline", "calibration", "auc_per_year"):
        png = folder / "charts" / f"{chart}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and png.stat().st_size > 5000


def test_watchlist(analysis_env: Path) -> None:
    from coupwatch.store.saved import load_forecast

    watchlist = load_forecast()
    assert (watchlist["year"] == 2026).all()  # P&T V2025.09.12 covers 2025: the default year is the next one
    assert watchlist["rank"].tolist() == list(range(1, len(watchlist) + 1))
    assert watchlist["p"].is_monotonic_decreasing
    assert ((watchlist["p_low"] <= watchlist["p"]) & (watchlist["p"] <= watchlist["p_high"])).all()
    assert len(watchlist) >= 190
    top = watchlist.iloc[0]
    assert len(top["drivers"]) == 3 and {"feature", "value", "contribution", "direction"} <= set(top["drivers"][0])
    assert watchlist["change"].notna().mean() > 0.9
    # Each row says how current its data are: coups to 2025, V-Dem (v12) to 2021 carried forward at most 3 years.
    mali = watchlist[watchlist["iso3"] == "MLI"].iloc[0]
    by_group = {entry["group"]: entry for entry in mali["data_as_of"]}
    assert by_group["coup history"] == {"group": "coup history", "data_through": 2025, "carried_years": 0}
    regime = by_group["regime and governance"]
    assert regime["data_through"] + regime["carried_years"] == 2025 and regime["carried_years"] >= 1
    assert "coup history 2025" in mali["data_as_of_text"]


def test_forecast_2027_carries_the_2025_data_two_years(private_analysis_env: Path, tmp_path: Path) -> None:
    from coupwatch.app.forecast import run_and_save_forecast

    watchlist, path = run_and_save_forecast(2027, draws=1, out=tmp_path / "forecasts")
    assert path.name == "forecast-2027-attempt-ensemble.parquet" and (watchlist["year"] == 2027).all()
    mali = watchlist[watchlist["iso3"] == "MLI"].iloc[0]
    coups = next(e for e in mali["data_as_of"] if e["group"] == "coup history")
    assert (coups["data_through"], coups["carried_years"]) == (2025, 1)  # 2026's coups are not known yet
    # Its metadata: the model saw outcomes to 2025 (the last labelled year), with the backtest's window.
    from coupwatch.store.saved import load_backtest_metrics, load_forecast_metadata

    metadata = load_forecast_metadata(2027, folder=tmp_path / "forecasts")
    assert (metadata.year, metadata.outcome, metadata.model, metadata.draws) == (2027, "attempt", "ensemble", 1)
    assert metadata.trained_through == 2025 and metadata.countries == len(watchlist)
    assert metadata.train_start == 1975  # the ensemble's own first training year, fixed on the design years
    assert metadata.backtest_built_at == load_backtest_metrics().built_at
    too_far = runner.invoke(app, ["forecast", "--year", "2028", "--draws", "1"])
    assert too_far.exit_code == 1 and "forecasts are possible for" in too_far.output and "2027" in too_far.output


def test_drivers_explain_by_concept_what_sets_each_state_apart(analysis_env: Path) -> None:
    from coupwatch.core.explain import CONCEPTS
    from coupwatch.store.saved import load_forecast

    watchlist = load_forecast()
    for drivers in watchlist["drivers"]:
        concepts = [d["concept"] for d in drivers]
        assert len(concepts) == len(set(concepts)) and set(concepts) <= set(CONCEPTS)  # one entry per concept
        for driver in drivers:
            assert driver["sentence"].startswith(driver["concept"][:1].upper() + driver["concept"][1:])
            assert "log(" not in driver["sentence"] and "_" not in driver["sentence"]
    # No single concept leads for (nearly) every state, as the raw top feature did (189 of 197).
    firsts = watchlist["drivers"].map(lambda d: d[0]["concept"]).value_counts()
    assert firsts.iloc[0] / len(watchlist) < 0.75, firsts.to_dict()
    mali = watchlist[watchlist["iso3"] == "MLI"].iloc[0]
    sentences = " ".join(d["sentence"] for d in mali["drivers"])
    assert len(mali["drivers"]) == 3 and sentences.count("of states") >= 2  # where Mali stands, in words


def test_forecast_cli_and_errors(private_analysis_env: Path) -> None:
    result = runner.invoke(app, ["forecast", "--draws", "1", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert {"rank", "iso3", "p", "p_low", "p_high", "change", "drivers_text"} <= set(frame.columns)
    bad = runner.invoke(app, ["forecast", "--year", "1900", "--draws", "1"])
    assert bad.exit_code == 1 and "forecasts are possible for" in bad.output
    model = runner.invoke(app, ["forecast", "--model", "xgboost", "--draws", "1"])
    assert model.exit_code == 1 and "ensemble" in model.output


def test_default_year_and_centred_interval() -> None:
    frame = pd.DataFrame({"year": [2021, 2022, 2023, 2024], "attempt": [0, 1, 0, np.nan]})
    assert default_year(frame) == 2024
    low, high = centred_interval(np.array([0.2]), np.array([[0.05], [0.1], [0.15]]), 0.9)
    assert low[0] < 0.2 < high[0]


def test_feature_table_lists_sources_models_and_missing_shares(panel: pd.DataFrame) -> None:
    from coupwatch.core.features import feature_table

    features = build_features(panel)
    recent = features[features["year"].between(2010, 2020)]
    used_by = {name: spec.columns() for name, spec in packaged_specs().items() if spec.columns()}
    table = feature_table(used_by, recent).set_index("feature")
    assert list(table.index) == feature_names()
    assert table.loc["milex_gdp", "source"] == "SIPRI" and table.loc["milex_gdp", "models"] == "logit, lightgbm"
    assert table.loc["years_since_attempt", "models"] == "history, logit, lightgbm"
    assert cast(str, table.loc["polity2", "models"]).startswith("none")  # Polity5 ends in 2018
    assert table.loc["milex_gdp", "missing_share"] == pytest.approx(recent["milex_gdp"].isna().mean())
    assert table.loc["attempts_5y", "missing_share"] == 0
    with pytest.raises(ValueError, match="unknown feature group"):
        feature_table(used_by, recent, ["astrology"])


def test_features_cli(warehouse_env: Path) -> None:
    result = runner.invoke(app, ["features", "--group", "aid", "--from", "2012", "--to", "2020", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert set(frame["group"]) == {"aid"} and "imet_per_capita_log" in set(frame["feature"])
    assert frame["missing_share"].between(0, 1).all()
    bad = runner.invoke(app, ["features", "--from", "1800", "--to", "1801"])
    assert bad.exit_code == 1 and "no feature rows for 1800-1801" in bad.output


def test_an_ensemble_choice_is_recorded_at_the_precision_its_table_shows() -> None:
    choice = EnsembleChoice.recorded("attempt", 2016, "ensemble", [0.25, 1 - 0.25], "intercept",
                                     (1.0, -0.17364912))
    assert choice.text == "weights 0.25 0.75 calibration intercept slope 1.0000 intercept -0.1736"
    assert choice.weights == [0.25, 0.75] and choice.mapping == (1.0, -0.1736)
    thirds = EnsembleChoice.recorded("attempt", 2016, "ensemble", [1 / 3, 2 / 3], "platt", (0.74512, -0.68431))
    assert thirds.weights == [0.333333, 0.666667] and thirds.mapping == (0.7451, -0.6843)
