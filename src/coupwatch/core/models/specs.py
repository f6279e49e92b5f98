"""Model specifications as TOML files: one file per model, validated on load."""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    model_validator,
)

from coupwatch.core.features import FEATURES, feature_names
from coupwatch.errors import CoupwatchError

Kind = Literal["constant", "logit", "lightgbm", "ensemble"]
# One parameter value of an estimator. Strict types keep 4 an int and 1.0 a float, through saved JSON too.
ParamValue = StrictBool | StrictInt | StrictFloat | StrictStr
Params = dict[str, ParamValue]
GRID_PARAMETERS = {
    "logit": {"C"},
    "lightgbm": {"num_leaves", "n_estimators", "learning_rate", "min_child_samples", "colsample_bytree",
                 "subsample", "reg_lambda", "max_bin"},
    "constant": set(),
    "ensemble": set(),
}


class ModelSpec(BaseModel):
    """A model: its kind, features, fixed parameters and the grid chosen by inner time-series CV."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    kind: Kind
    description: str
    features: list[str] | None = None
    feature_groups: list[str] | None = None
    exclude_features: list[str] = []
    params: Params = {}
    grid: dict[str, list[ParamValue]] = {}
    members: list[str] = []
    calibration: Literal["platt", "intercept", "none"] = "none"
    # Weight of the first of two members, chosen by inner CV (the second gets 1 - w); one value: fixed.
    weight_grid: list[float] = []
    # The first training year, fixed (chosen on the design years); None: chosen by inner CV at each tuning origin.
    train_start: int | None = None

    @model_validator(mode="after")
    def _check(self) -> ModelSpec:
        known = set(FEATURES)
        unknown = [f for f in (self.features or []) + self.exclude_features if f not in known]
        if unknown:
            raise ValueError(f"unknown features {unknown}; known: {sorted(known)}")
        groups = {f.group for f in FEATURES.values()}
        bad_groups = [g for g in self.feature_groups or [] if g not in groups]
        if bad_groups:
            raise ValueError(f"unknown feature groups {bad_groups}; known: {sorted(groups)}")
        bad_grid = set(self.grid) - GRID_PARAMETERS[self.kind]
        if bad_grid:
            allowed = sorted(GRID_PARAMETERS[self.kind])
            raise ValueError(f"{self.kind} cannot tune {sorted(bad_grid)}; it can tune {allowed}")
        if self.kind == "ensemble" and not self.members:
            raise ValueError("an ensemble needs members")
        if self.weight_grid and (len(self.members) != 2 or any(not 0 <= w <= 1 for w in self.weight_grid)):
            raise ValueError("weight_grid needs exactly two members and weights between 0 and 1")
        if self.calibration == "none" and len(self.weight_grid) > 1:
            raise ValueError("weights are chosen by inner CV together with a calibration: give calibration "
                             "'intercept' or 'platt', or a single fixed weight")
        return self

    def fixed_weights(self) -> list[float] | None:
        """An ensemble's member weights when nothing is chosen by inner CV (no calibration), else None."""
        if self.kind != "ensemble" or self.calibration != "none":
            return None
        if len(self.weight_grid) == 1:
            return [self.weight_grid[0], 1 - self.weight_grid[0]]
        return [1.0] * len(self.members)

    def columns(self) -> list[str]:
        if self.kind in ("constant", "ensemble"):
            return []
        chosen = self.features or feature_names(self.feature_groups)
        return [c for c in chosen if c not in self.exclude_features]

    def grid_points(self) -> list[Params]:
        points: list[Params] = [{}]
        for key, values in self.grid.items():
            points = [{**point, key: value} for point in points for value in values]
        return points


def _parse(text: str, origin: str) -> ModelSpec:
    try:
        return ModelSpec.model_validate(tomllib.loads(text))
    except tomllib.TOMLDecodeError as exc:
        raise CoupwatchError(f"{origin}: not valid TOML ({exc}). Fix: correct the file") from None
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or 'file'}: {e['msg']}" for e in exc.errors())
        raise CoupwatchError(f"{origin}: invalid model spec ({problems})") from None


def packaged_specs() -> dict[str, ModelSpec]:
    """The project's model specs, in evaluation order."""
    order = ["constant", "history", "logit", "lightgbm", "ensemble"]
    folder = resources.files("coupwatch.core.models.spec_files")
    specs = {}
    for entry in folder.iterdir():
        if entry.name.endswith(".toml"):
            spec = _parse(entry.read_text(encoding="utf-8"), f"coupwatch/core/models/spec_files/{entry.name}")
            specs[spec.name] = spec
    return {name: specs[name] for name in sorted(specs, key=lambda n: (order.index(n) if n in order else 99, n))}


def load_specs(paths: list[Path] | None = None) -> dict[str, ModelSpec]:
    """Packaged specs, with user spec files added or replacing packaged ones of the same name."""
    specs = packaged_specs()
    for path in paths or []:
        spec = _parse(Path(path).read_text(encoding="utf-8"), str(path))
        specs[spec.name] = spec
    for spec in specs.values():
        missing = [m for m in spec.members if m not in specs]
        if missing:
            raise CoupwatchError(f"model {spec.name!r} names members {missing} that are not defined")
        # An ensemble's members are fitted on the same rows for a forecast, so they must start in the same year.
        other_starts = {m: specs[m].train_start for m in spec.members if specs[m].train_start != spec.train_start}
        if other_starts:
            raise CoupwatchError(f"model {spec.name!r} has train_start {spec.train_start} but its members "
                                 f"{other_starts}: give the ensemble and its members the same train_start")
    return specs
