"""What each feature group adds to out-of-sample accuracy.

The rolling-origin backtest is run again with one group of features left out of every fitted model (ensembles
follow their members), with the same origins, inner cross-validation and tuning grids as the full model. Each
variant is scored on the same country-years as the full model, and the change in AUC-ROC and AUC-PR gets a
paired bootstrap interval: an interval that stays below zero means the group carries signal the others do not.

Pure core: a feature frame and specs in, predictions and a table out.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from coupwatch.core.evaluate.backtest import Executor, Progress, no_progress, run_backtest
from coupwatch.core.evaluate.metrics import paired_bootstrap_change, score
from coupwatch.core.evaluate.rolling import RollingOrigin
from coupwatch.core.features import FEATURES
from coupwatch.core.models.specs import ModelSpec

ALL_FEATURES = "all features"
REFERENCE_MODEL = "constant"


@dataclass(frozen=True)
class AblationResult:
    """Out-of-sample predictions of every variant (column ``variant``) and the comparison table."""

    predictions: pd.DataFrame
    table: pd.DataFrame


def model_specs(specs: dict[str, ModelSpec], model: str) -> dict[str, ModelSpec]:
    """The specs one model needs: itself, its ensemble members, and the constant reference."""
    if model not in specs:
        raise ValueError(f"model {model!r} is not among the specs {sorted(specs)}")
    if REFERENCE_MODEL not in specs:
        raise ValueError(f"the reference model {REFERENCE_MODEL!r} is not among the specs {sorted(specs)}")
    names = {model, REFERENCE_MODEL, *specs[model].members}
    missing = names - set(specs)
    if missing:
        raise ValueError(f"ensemble {model!r} needs members {sorted(missing)} that are not among the specs")
    return {name: specs[name] for name in sorted(names)}


def fitted_columns(specs: dict[str, ModelSpec]) -> set[str]:
    return {column for spec in specs.values() for column in spec.columns()}


def groups_used(specs: dict[str, ModelSpec]) -> list[str]:
    """Feature groups with at least one feature in a fitted model, in the order features are declared."""
    used = fitted_columns(specs)
    return list(dict.fromkeys(f.group for f in FEATURES.values() if f.name in used))


def without_features(specs: dict[str, ModelSpec], dropped: Sequence[str]) -> dict[str, ModelSpec]:
    """The specs with ``dropped`` excluded from every fitted model; a model left with no feature is an error."""
    out = {}
    for name, spec in specs.items():
        if spec.kind in ("constant", "ensemble"):
            out[name] = spec
            continue
        excluded = list(dict.fromkeys([*spec.exclude_features, *dropped]))
        reduced = spec.model_copy(update={"exclude_features": excluded})
        if not reduced.columns():
            raise ValueError(f"leaving out {sorted(dropped)} leaves model {name!r} with no feature")
        out[name] = reduced
    return out


def run_ablation(
    features: pd.DataFrame,
    specs: dict[str, ModelSpec],
    model: str,
    rolling: RollingOrigin,
    *,
    outcome: str = "attempt",
    groups: Sequence[str] | None = None,
    draws: int = 1000,
    seed: int = 2024,
    executor: Executor | None = None,
    progress: Progress = no_progress,
) -> AblationResult:
    """Backtest ``model`` with all features and with each feature group left out, and compare them."""
    needed = model_specs(specs, model)
    available = groups_used(needed)
    chosen = list(groups) if groups is not None else available
    unknown = [g for g in chosen if g not in available]
    if unknown:
        raise ValueError(f"feature groups {unknown} are not used by model {model!r}; its groups are {available}")
    used = fitted_columns(needed)
    dropped_by_group = {g: [f.name for f in FEATURES.values() if f.group == g and f.name in used] for g in chosen}
    variants: list[tuple[str, dict[str, ModelSpec]]] = [(ALL_FEATURES, needed)]
    variants += [(f"without {g}", without_features(needed, dropped_by_group[g])) for g in chosen]

    frames = []
    for number, (label, variant_specs) in enumerate(variants, start=1):
        def report(step: str, done: int, total: int, label: str = label, number: int = number) -> None:
            progress(f"{number}/{len(variants)} {label}: {step}", done, total)

        result = run_backtest(features, variant_specs, rolling, outcomes=(outcome,), executor=executor,
                              progress=report)
        frames.append(result.predictions.assign(variant=label))
    predictions = pd.concat(frames, ignore_index=True)
    return AblationResult(predictions, compare_variants(predictions, model, dropped_by_group, draws=draws,
                                                        seed=seed))


def compare_variants(predictions: pd.DataFrame, model: str, dropped_by_group: dict[str, list[str]], *,
                     draws: int = 1000, seed: int = 2024) -> pd.DataFrame:
    """One row per variant: pooled metrics and the paired change in AUC-ROC and AUC-PR against all features."""
    keys = ["gwcode", "year"]
    reference = predictions[(predictions["variant"] == ALL_FEATURES) & (predictions["model"] == REFERENCE_MODEL)]
    full = predictions[(predictions["variant"] == ALL_FEATURES) & (predictions["model"] == model)]
    base = full[[*keys, "observed", "p"]].merge(
        reference[[*keys, "p"]].rename(columns={"p": "p_reference"}), on=keys, how="left", validate="one_to_one"
    )
    rows = []
    for label, dropped in [(ALL_FEATURES, []), *((f"without {g}", d) for g, d in dropped_by_group.items())]:
        variant = predictions[(predictions["variant"] == label) & (predictions["model"] == model)]
        paired = base.merge(variant[[*keys, "p"]].rename(columns={"p": "p_variant"}), on=keys, how="left",
                            validate="one_to_one")
        if paired["p_variant"].isna().any():
            raise ValueError(f"variant {label!r} has no prediction for {int(paired['p_variant'].isna().sum())} "
                             "country-years the full model predicts")
        metrics = score(paired[["year", "observed", "p_variant", "p_reference"]].rename(columns={"p_variant": "p"}))
        change = paired_bootstrap_change(paired["observed"].to_numpy(), paired["p"].to_numpy(),
                                         paired["p_variant"].to_numpy(), draws=draws, seed=seed)
        row = {"variant": label, "group": label.removeprefix("without ") if dropped else None,
               "features_dropped": len(dropped), "dropped": ", ".join(dropped),
               **{m: metrics[m] for m in ("auc_roc", "auc_pr", "brier_skill", "recall_top20", "log_loss")}}
        for metric in ("auc_roc", "auc_pr"):
            value, low, high = change[metric]
            row[f"{metric}_change"], row[f"{metric}_change_low"], row[f"{metric}_change_high"] = value, low, high
        row["events"] = metrics["events"]
        row["rows"] = metrics["rows"]
        rows.append(row)
    table = pd.DataFrame(rows)
    table["verdict"] = np.select(
        [table["group"].isna(), table["auc_roc_change_high"] < 0, table["auc_roc_change_low"] > 0],
        ["reference", "group adds signal", "model better without it"], default="no clear difference",
    )
    return table


def change_text(table: pd.DataFrame, metric: str) -> pd.Series:
    """Each variant's change in ``metric`` with its interval, as "+0.012 [-0.003, +0.027]" ("" for all features)."""
    return table.apply(lambda r: "" if not r["features_dropped"] else
                       f"{r[f'{metric}_change']:+.3f} [{r[f'{metric}_change_low']:+.3f}, "
                       f"{r[f'{metric}_change_high']:+.3f}]", axis=1)
