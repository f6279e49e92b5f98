"""The mechanism test: lagging without look-ahead, the models on the built warehouse, charts and the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core import mechanism

if TYPE_CHECKING:
    import altair as alt

runner = CliRunner()


@pytest.fixture(scope="module")
def panel(built_home: Path) -> pd.DataFrame:
    from coupwatch.app.analysis import mechanism_panel

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUPWATCH_HOME", str(built_home))
        return mechanism_panel()


@pytest.fixture(scope="module")
def report(panel: pd.DataFrame) -> mechanism.MechanismReport:
    return mechanism.run(panel, draws=100)


def _toy_panel() -> pd.DataFrame:
    years = list(range(1960, 1972))
    rows: list[dict[str, Any]] = []
    for gwcode in (1, 2):
        for year in years:
            if gwcode == 2 and year == 1966:
                continue  # a gap: 1967's predictors must be missing, not 1965's
            rows.append({column: 1.0 for column in mechanism.PANEL_COLUMNS[4:]} | {
                "gwcode": gwcode, "year": year, "iso3": "AAA" if gwcode == 1 else "BBB", "country": "x",
                "pt_attempt": float(year in (1962, 1970) and gwcode == 1), "milex_gdp": float(year),
                "milex_const2024_usd_m": 100.0 * (1.1 ** (year - 1960)), "gb_imet_const2020_usd": 999.0,
                "aid_security_capacity_const2020_usd": 1999.0, "population": 1000.0, "v2x_regime": 3.0,
            })
    return pd.DataFrame(rows)


def test_predictors_are_from_the_year_before_and_gaps_stay_missing() -> None:
    frame = mechanism.prepare(_toy_panel()).set_index(["gwcode", "year"])
    assert frame.loc[(1, 1965), "milex_gdp"] == pytest.approx(1964.0)
    assert frame.loc[(1, 1962), "coup_attempt"] == pytest.approx(1.0)
    assert frame.loc[(1, 1962), "coup_past_10y"] == pytest.approx(0.0)  # the 1962 attempt is not known before 1963
    assert frame.loc[(1, 1963), "coup_past_10y"] == pytest.approx(1.0)
    assert frame.loc[(1, 1963), "log_peace_years"] == pytest.approx(0.0)
    assert frame.loc[(1, 1965), "log_peace_years"] == pytest.approx(np.log(3))
    assert frame.loc[(1, 1971), "log_peace_years"] == pytest.approx(0.0)
    assert np.isnan(cast(float, frame.loc[(2, 1967), "milex_gdp"]))
    assert frame.loc[(2, 1968), "milex_gdp"] == pytest.approx(1967.0)
    assert frame.loc[(1, 1965), "milex_growth"] == pytest.approx(100 * np.log(1.1))
    assert frame.loc[(1, 1965), "log_imet_pc"] == pytest.approx(np.log(1000.0))  # $999 per 1,000 people
    assert frame.loc[(1, 1965), "log_other_capacity_pc"] == pytest.approx(np.log(1001.0))
    assert frame.loc[(1, 1965), "democracy"] == pytest.approx(1.0)
    assert frame.loc[(1, 1965), "electoral_autocracy"] == pytest.approx(0.0)
    with pytest.raises(KeyError, match="population"):
        mechanism.prepare(_toy_panel().drop(columns="population"))


def test_future_values_do_not_move_earlier_rows(panel: pd.DataFrame) -> None:
    before = mechanism.prepare(panel)
    changed = panel.copy()
    later = changed["year"] >= 2000
    for column in ("milex_gdp", "gb_imet_const2020_usd", "v2x_jucon", "gdp_pc", "pt_attempt"):
        changed.loc[later, column] = changed.loc[later, column] * 0 + 1
    after = mechanism.prepare(changed)
    early = before["year"] < 2000
    pd.testing.assert_frame_equal(before[early].reset_index(drop=True), after[early].reset_index(drop=True))
    # Year 2000's outcome changed, but its predictors are from 1999 and must not.
    at_2000 = before["year"] == 2000
    predictors = before.columns.drop("coup_attempt")
    pd.testing.assert_frame_equal(before.loc[at_2000, predictors].reset_index(drop=True),
                                  after.loc[at_2000, predictors].reset_index(drop=True))
    assert not before.loc[at_2000, "coup_attempt"].equals(after.loc[at_2000, "coup_attempt"])


def test_mechanism_model_runs_on_the_warehouse_with_clustered_errors(report: mechanism.MechanismReport) -> None:
    model = report.model
    assert model.n > 4_000 and model.events > 100 and model.countries > 120
    assert model.first_year == 1971 and model.converged
    assert f"{model.countries} clusters" in model.describe_sample()
    table = model.table.set_index("term")
    assert set(mechanism.MECHANISM_TERMS) <= set(table.index)
    assert table[["coef", "std_err", "ci_low", "ci_high"]].notna().all().all()
    assert ((table["ci_low"] < table["coef"]) & (table["coef"] < table["ci_high"])).all()
    # Clustered by country: the covariance is not the model-based one.
    import statsmodels.api as sm

    plain = sm.Logit(model.sample["coup_attempt"], mechanism._design(model.sample, model.terms)).fit(disp=False)
    assert not np.allclose(plain.bse.to_numpy(), table["std_err"].to_numpy())
    assert "N = " in report.summary and "not proven causes" in report.summary


def test_savage_caverley_replication_is_reported_with_interval_n_and_years(
    report: mechanism.MechanismReport,
) -> None:
    rep = report.replication
    assert (rep.model.first_year, rep.model.last_year) == (1970, 2009)
    assert rep.model.n > 4_000 and rep.model.events > 150
    assert rep.ci_low < rep.coefficient < rep.ci_high
    assert rep.rr_low < rep.risk_ratio < rep.rr_high
    assert rep.binary_or_low < rep.binary_odds_ratio < rep.binary_or_high
    for text in ("Savage & Caverley", "roughly doubling", f"{rep.coefficient:.3f}", f"N = {rep.model.n:,}",
                 "1970-2009", "dollars, not trainees"):
        assert text in rep.summary


def test_marginal_effect_curves_and_charts(report: mechanism.MechanismReport, tmp_path: Path) -> None:
    curves = report.curves
    assert set(curves["focal"]) == set(mechanism.CURVE_FOCALS)
    assert ((curves["low"] <= curves["probability"]) & (curves["probability"] <= curves["high"])).all()
    assert curves["probability"].between(0, 1).all()
    charts = mechanism.charts(curves)
    path = tmp_path / "imet.svg"
    # `charts` is typed dict[str, object]; each value is a layered Altair chart.
    cast("alt.LayerChart", charts["log_imet_pc"]).save(str(path))
    assert path.read_text(encoding="utf-8").lstrip().startswith("<svg")


def test_cli_mechanism_json_and_charts(warehouse_env: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["mechanism", "--format", "json", "--draws", "50", "--charts", str(tmp_path)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["models"]["mechanism"]["n"] > 4_000
    assert payload["models"]["replication"]["first_year"] == 1970
    assert "Savage & Caverley" in payload["replication"]["summary"]
    assert sorted(Path(p).name for p in payload["charts"]) == [
        "mechanism_log_imet_pc.png", "mechanism_log_imet_pc.svg", "mechanism_milex_growth.png",
        "mechanism_milex_growth.svg"]
    assert (tmp_path / "mechanism_milex_growth.png").read_bytes()[:4] == b"\x89PNG"
    early = runner.invoke(app, ["mechanism", "--from", "1700", "--to", "1710"])
    assert early.exit_code == 1 and "widen the years" in early.output
