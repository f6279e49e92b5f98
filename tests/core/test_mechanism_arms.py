"""Arms imports from every supplier in the mechanism test: lags, the models on the built warehouse, the CLI."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core import mechanism, mechanism_arms

runner = CliRunner()
MALI = 432


@pytest.fixture(scope="module")
def panel(built_home: Path) -> pd.DataFrame:
    from coupwatch.app.analysis import mechanism_panel

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUPWATCH_HOME", str(built_home))
        return mechanism_panel(extra=mechanism_arms.PANEL_COLUMNS)


@pytest.fixture(scope="module")
def report(panel: pd.DataFrame) -> mechanism_arms.ArmsReport:
    return mechanism_arms.run(panel)


def test_arms_measures_are_from_the_year_before(panel: pd.DataFrame) -> None:
    frame = mechanism_arms.prepare(panel).set_index(["gwcode", "year"])
    mali_2020 = panel[(panel["gwcode"] == MALI) & (panel["year"] == 2020)].to_dict("records")[0]
    tiv, milex = float(mali_2020["arms_imports_tiv_m"]), float(mali_2020["milex_const2024_usd_m"])
    assert frame.at[(MALI, 2021), "log_arms_milex"] == pytest.approx(math.log1p(100 * tiv / milex))
    # Changing 2021's deliveries moves the 2022 row only.
    changed = panel.copy()
    changed.loc[(changed["gwcode"] == MALI) & (changed["year"] == 2021), "arms_imports_tiv_m"] = 999.0
    again = mechanism_arms.prepare(changed).set_index(["gwcode", "year"])
    assert again.at[(MALI, 2021), "log_arms_milex"] == pytest.approx(frame.at[(MALI, 2021), "log_arms_milex"])
    assert again.at[(MALI, 2022), "log_arms_milex"] != pytest.approx(frame.at[(MALI, 2022), "log_arms_milex"])


def test_models_fit_with_clustered_errors_beside_us_training(report: mechanism_arms.ArmsReport) -> None:
    assert set(report.models) == set(mechanism_arms.MODELS)
    for name, model in report.models.items():
        terms = set(model.table["term"])
        assert set(mechanism_arms.MODELS[name]) <= terms and {"log_imet_pc", "log_other_capacity_pc"} <= terms
        assert model.first_year == 1996 and model.events > 30 and model.countries > 140
        assert (model.table["ci_low"] < model.table["coef"]).all()
        assert (model.table["coef"] < model.table["ci_high"]).all()
    spending = report.models["arms_per_military_spending"]
    assert spending.n > 3_000
    main, interaction = mechanism_arms.MODELS["arms_per_military_spending"]
    conditional = mechanism_arms.conditional_odds_ratios(spending, main, interaction)
    assert len(conditional) == 2 and (conditional["or_low"] <= conditional["odds_ratio"]).all()
    assert "What the data can separate" in report.summary and "associations, not effects" in report.summary
    assert "clustered by country" in report.summary


def test_prepare_refuses_a_panel_without_arms() -> None:
    with pytest.raises(KeyError, match="add_arms_imports"):
        mechanism_arms.prepare(pd.DataFrame({c: [] for c in mechanism.PANEL_COLUMNS}))


def test_cli_mechanism_reports_the_arms_models(warehouse_env: Path) -> None:
    result = runner.invoke(app, ["mechanism", "--format", "json", "--draws", "50"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert {"arms_per_military_spending", "arms_per_soldier"} <= set(payload["models"])
    assert payload["models"]["arms_per_soldier"]["last_year"] <= 2020  # WDI armed forces end in 2019
    assert "Arms imports, all suppliers" in payload["arms_summary"]
