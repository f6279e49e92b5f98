"""Model specs: what a spec may fix or leave to inner cross-validation, checked when it is read."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import ValidationError

from coupwatch.core.models.specs import ModelSpec, load_specs, packaged_specs
from coupwatch.errors import CoupwatchError


def test_the_main_model_and_its_members_have_settings_fixed_on_the_design_years() -> None:
    specs = packaged_specs()
    ensemble = specs["ensemble"]
    assert ensemble.members == ["logit", "lightgbm"] and ensemble.fixed_weights() == [0.5, 0.5]
    assert {specs[name].train_start for name in ("ensemble", "logit", "lightgbm")} == {1975}
    assert specs["logit"].grid == {} and specs["logit"].params["C"] == pytest.approx(0.003)
    trees = specs["lightgbm"].params
    assert (trees["n_estimators"], trees["num_leaves"], trees["min_child_samples"]) == (300, 4, 20)
    assert specs["history"].grid and specs["history"].train_start is None  # the baseline is still tuned


def test_weights_chosen_by_inner_cv_need_a_calibration_to_be_fitted_with() -> None:
    with pytest.raises(ValidationError, match="single fixed weight"):
        ModelSpec(name="blend", kind="ensemble", description="x", members=["a", "b"], weight_grid=[0.25, 0.5])
    tuned = ModelSpec(name="blend", kind="ensemble", description="x", members=["a", "b"], weight_grid=[0.25, 0.5],
                      calibration="intercept")
    assert tuned.fixed_weights() is None
    equal = ModelSpec(name="blend", kind="ensemble", description="x", members=["a", "b", "c"])
    assert equal.fixed_weights() == [1.0, 1.0, 1.0]


def test_an_ensemble_and_its_members_must_start_in_the_same_year(tmp_path: Path) -> None:
    path = tmp_path / "ensemble.toml"
    path.write_text('name = "ensemble"\nkind = "ensemble"\ndescription = "x"\nmembers = ["logit", "lightgbm"]\n'
                    'train_start = 1960\nweight_grid = [0.5]\n', encoding="utf-8")
    with pytest.raises(CoupwatchError, match=r"train_start 1960 but its members \{'logit': 1975, 'lightgbm': 1975\}"):
        load_specs([path])
