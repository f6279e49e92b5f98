"""Feature-group ablation: the paired bootstrap, the reduced specs, and a short run on the real panel."""

from __future__ import annotations

import json
from pathlib import Path
from typing import cast

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import average_precision_score, roc_auc_score
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core.evaluate.ablation import ALL_FEATURES, groups_used, model_specs, run_ablation, without_features
from coupwatch.core.evaluate.backtest import run_backtest
from coupwatch.core.evaluate.metrics import paired_bootstrap_change
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.features import FEATURES, feature_names
from coupwatch.core.models.specs import packaged_specs

runner = CliRunner()
SHORT = RollingOrigin(first_test_year=2013, last_test_year=2014, retune_every=2, inner_folds=2, inner_block_years=2,
                      train_start_grid=(1960,))


def _small_specs() -> dict:
    return {name: spec.model_copy(update={"grid": {k: v[:1] for k, v in spec.grid.items()}})
            for name, spec in packaged_specs().items()}


def test_paired_change_of_identical_forecasts_is_exactly_zero() -> None:
    rng = np.random.default_rng(1)
    y = (rng.random(400) < 0.1).astype(float)
    p = rng.random(400)
    change = paired_bootstrap_change(y, p, p.copy(), draws=200)
    assert change == {"auc_roc": (0.0, 0.0, 0.0), "auc_pr": (0.0, 0.0, 0.0)}


def test_paired_change_matches_scikit_learn_and_brackets_a_real_gain() -> None:
    rng = np.random.default_rng(2)
    y = (rng.random(600) < 0.08).astype(float)
    noise = rng.random(600)
    informed = 0.6 * y + 0.4 * rng.random(600)
    change = paired_bootstrap_change(y, noise, informed, draws=300)
    auc, low, high = change["auc_roc"]
    assert auc == pytest.approx(roc_auc_score(y, informed) - roc_auc_score(y, noise))
    assert 0 < low <= auc <= high
    ap = change["auc_pr"][0]
    assert ap == pytest.approx(average_precision_score(y, informed) - average_precision_score(y, noise))
    with pytest.raises(ValueError, match="same rows"):
        paired_bootstrap_change(y, noise, informed[:-1])


def test_reduced_specs_drop_the_group_everywhere_and_refuse_an_empty_model() -> None:
    specs = model_specs(packaged_specs(), "ensemble")
    assert set(specs) == {"ensemble", "logit", "lightgbm", "constant"}
    groups = groups_used(specs)
    assert {"coup history", "regime and governance", "military", "aid"} <= set(groups)
    aid = [name for name, f in FEATURES.items() if f.group == "aid"]
    reduced = without_features(specs, aid)
    for name in ("logit", "lightgbm"):
        assert not set(aid) & set(reduced[name].columns())
        assert set(reduced[name].columns()) == set(specs[name].columns()) - set(aid)
    assert reduced["ensemble"] == specs["ensemble"]
    history = model_specs(packaged_specs(), "history")
    assert groups_used(history) == ["coup history"]
    with pytest.raises(ValueError, match="no feature"):
        without_features(history, feature_names(["coup history"]))
    with pytest.raises(ValueError, match="not among the specs"):
        model_specs(packaged_specs(), "xgboost")


def test_ablation_on_the_real_panel(features: pd.DataFrame) -> None:
    specs = _small_specs()
    result = run_ablation(features, specs, "lightgbm", SHORT, groups=["regime and governance"], draws=100)
    table = result.table.set_index("variant")
    assert list(table.index) == [ALL_FEATURES, "without regime and governance"]
    # The full variant is the ordinary backtest of the same specs.
    plain = run_backtest(features, model_specs(specs, "lightgbm"), SHORT, outcomes=("attempt",)).predictions
    full = result.predictions[(result.predictions["variant"] == ALL_FEATURES)]
    merged = full.merge(plain, on=["gwcode", "year", "model"], suffixes=("", "_plain"))
    assert len(merged) == len(full) == len(plain) and np.array_equal(merged["p"], merged["p_plain"])
    events = features[features["year"].between(2013, 2014)]["attempt"].sum()
    # Egypt 2013; Ukraine, Thailand, Lesotho and Burkina Faso 2014 (Powell & Thyne).
    assert table.loc[ALL_FEATURES, "events"] == events == 5
    row = cast(pd.Series, table.loc["without regime and governance"])  # one row per variant
    assert row["features_dropped"] == len([c for c in specs["lightgbm"].columns()
                                           if FEATURES[c].group == "regime and governance"])
    assert row["auc_roc_change_low"] <= row["auc_roc_change"] <= row["auc_roc_change_high"]
    assert row["auc_roc"] == pytest.approx(cast(float, table.loc[ALL_FEATURES, "auc_roc"]) + row["auc_roc_change"])
    assert row["auc_roc_change"] != 0  # leaving out 22 features changed the forecasts
    with pytest.raises(ValueError, match="not used by model"):
        run_ablation(features, specs, "history", SHORT, groups=["aid"])


def test_ablation_cli_writes_its_outputs_and_explains_bad_input(warehouse_env: Path, tmp_path: Path) -> None:
    out = tmp_path / "ablation"
    args = ["ablation", "--model", "logit", "--from", "2014", "--to", "2014", "--group", "aid", "--draws", "50",
            "--out", str(out)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert "without aid" in result.output and "paired bootstrap" in result.output
    table = pd.read_csv(out / "ablation.csv")
    assert list(table["variant"]) == [ALL_FEATURES, "without aid"]
    document = json.loads((out / "ablation.json").read_text())
    assert document["model"] == "logit" and document["settings"]["first_test_year"] == 2014
    assert (out / "ablation_predictions.parquet").exists()
    assert (out / "charts" / "ablation_auc_roc.png").read_bytes()[:4] == b"\x89PNG"
    html = (out / "ablation.html").read_text()
    assert "without aid" in html and "<svg" in html
    bad = runner.invoke(app, ["ablation", "--model", "logit", "--group", "astrology", "--from", "2014", "--to",
                              "2014", "--out", str(tmp_path / "bad")])
    assert bad.exit_code == 1 and "astrology" in bad.output and "coup history" in bad.output
    assert not (tmp_path / "bad").exists()
