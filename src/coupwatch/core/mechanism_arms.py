"""Arms imports from every supplier in the mechanism test, beside U.S. capacity aid (frames in, results out).

SIPRI's arms transfers start in 1995, so these models run from 1996 (predictors of year t are measured in
t-1, as in :mod:`coupwatch.core.mechanism`). Two measures of arms imports, each entered with its interaction with
weak constraints (1 - mean of V-Dem's judicial, legislative and civil-society indices):

- relative to military spending: ln(1 + SIPRI TIV per US$100 of military spending, constant 2024 US$);
- per soldier: ln(1 + SIPRI TIV per 1,000 members of the armed forces; WDI/IISS, to 2019).

Both models keep the thesis model's U.S. IMET and other capacity aid, military burden, V-Dem terms and
controls, and cluster standard errors by country. TIV is a volume index of major weapons, not money, and
deliveries are lumpy; the models describe associations, not causes.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from coupwatch.core import mechanism

PANEL_COLUMNS = ("arms_imports_tiv_m", "armed_forces")
FIRST_YEAR = 1996  # SIPRI's register starts with 1995 deliveries; a model row for t reads t-1
WEAK_PARTS = ("v2x_jucon", "v2xlg_legcon", "v2x_cspart")
LABELS = {
    "log_arms_milex": "Arms imports, all suppliers: ln(1 + SIPRI TIV per US$100 of military spending)",
    "arms_milex_x_weak_constraints": "Arms imports (per military spending) x weak constraints",
    "log_arms_per_soldier": "Arms imports, all suppliers: ln(1 + SIPRI TIV per 1,000 soldiers)",
    "arms_soldier_x_weak_constraints": "Arms imports (per soldier) x weak constraints",
}
BASE_TERMS = ("milex_gdp", "log_imet_pc", "log_other_capacity_pc", "v2x_jucon", "v2xlg_legcon", "v2x_cspart",
              "v2x_corr", *mechanism.CONTROLS)
MODELS = {
    "arms_per_military_spending": ("log_arms_milex", "arms_milex_x_weak_constraints"),
    "arms_per_soldier": ("log_arms_per_soldier", "arms_soldier_x_weak_constraints"),
}


@dataclass(frozen=True)
class ArmsReport:
    """The two arms models and what they can and cannot separate, in plain words."""

    models: dict[str, mechanism.ModelResult]
    summary: str


def prepare(panel: pd.DataFrame) -> pd.DataFrame:
    """:func:`coupwatch.core.mechanism.prepare` plus the arms measures of year t-1 and their interactions."""
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise KeyError(f"mechanism_arms.prepare: panel lacks {missing}; build it with add_arms_imports and "
                       "add_milex")
    frame = mechanism.prepare(panel)
    source = panel[["gwcode", "year", "milex_const2024_usd_m", *PANEL_COLUMNS]].copy()
    for column in ("milex_const2024_usd_m", *PANEL_COLUMNS):
        source[column] = pd.to_numeric(source[column], errors="coerce").astype("float64")
    milex = source["milex_const2024_usd_m"].where(source["milex_const2024_usd_m"] > 0)
    soldiers_k = source["armed_forces"].where(source["armed_forces"] > 0) / 1000
    arms = source["arms_imports_tiv_m"].clip(lower=0)
    source["log_arms_milex"] = np.log1p(100 * arms / milex)
    source["log_arms_per_soldier"] = np.log1p(arms / soldiers_k)
    lagged = source[["gwcode", "year", "log_arms_milex", "log_arms_per_soldier"]].assign(year=source["year"] + 1)
    out = frame.merge(lagged, on=["gwcode", "year"], how="left")
    weak = 1 - out[list(WEAK_PARTS)].mean(axis=1, skipna=False)
    out["arms_milex_x_weak_constraints"] = out["log_arms_milex"] * weak
    out["arms_soldier_x_weak_constraints"] = out["log_arms_per_soldier"] * weak
    return out


def fit_models(frame: pd.DataFrame, first_year: int = FIRST_YEAR, last_year: int | None = None
               ) -> dict[str, mechanism.ModelResult]:
    """Both arms models (see the module docstring), fitted on the rows with every term present."""
    models: dict[str, mechanism.ModelResult] = {}
    for name, arms_terms in MODELS.items():
        models[name] = mechanism.fit(frame, [*arms_terms, *BASE_TERMS], name=name,
                                     first_year=max(first_year, FIRST_YEAR), last_year=last_year)
    return models


def _interval(row: Mapping[Any, Any]) -> str:
    return f"odds ratio {row['odds_ratio']:.2f} (95% CI {row['or_low']:.2f} to {row['or_high']:.2f})"


def _excludes_one(row: Mapping[Any, Any]) -> bool:
    return bool(row["ci_low"] > 0 or row["ci_high"] < 0)


def conditional_odds_ratios(model: mechanism.ModelResult, main: str, interaction: str,
                            quantiles: Sequence[float] = (0.1, 0.9)) -> pd.DataFrame:
    """The odds ratio of one unit of ``main`` at given quantiles of weak constraints in the model's sample:
    exp(b_main + w b_interaction) with a 95% interval from the clustered covariance."""
    weak = 1 - model.sample[list(WEAK_PARTS)].mean(axis=1)
    rows = []
    params: dict[Any, Any] = model.params.to_dict()
    cov: dict[Any, dict[Any, Any]] = model.covariance.to_dict()
    var_main, var_int = float(cov[main][main]), float(cov[interaction][interaction])
    cov_both = float(cov[main][interaction])
    for q in quantiles:
        w = float(weak.quantile(q))
        coef = float(params[main]) + w * float(params[interaction])
        var = var_main + w * w * var_int + 2 * w * cov_both
        half = 1.959964 * math.sqrt(max(var, 0.0))
        rows.append({"quantile": q, "weak_constraints": w, "odds_ratio": math.exp(coef),
                     "or_low": math.exp(coef - half), "or_high": math.exp(coef + half)})
    return pd.DataFrame(rows)


def words(models: dict[str, mechanism.ModelResult], terms: Sequence[str] = ("log_imet_pc",)) -> str:
    """What the arms models say and what the data can and cannot separate, from the fitted numbers."""
    lines: list[str] = []
    for name, model in models.items():
        table: dict[Any, dict[Any, Any]] = model.table.set_index("term").to_dict("index")
        main, interaction = MODELS[name]
        sample = model.sample
        importers = float((sample[main] > 0).mean())
        corr = float(sample[main].corr(sample["log_imet_pc"]))
        parts = [f"{LABELS[main]}: {_interval(table[main])}",
                 f"{LABELS[interaction]}: {_interval(table[interaction])}"]
        parts += [f"{mechanism.LABELS[t].split(':')[0]}: {_interval(table[t])}" for t in terms]
        clear = [t for t in (main, interaction, *terms) if _excludes_one(table[t])]
        conditional = conditional_odds_ratios(model, main, interaction)
        parts.append("the arms odds ratio where constraints are strong (weak-constraints "
                     f"{conditional['weak_constraints'].iloc[0]:.2f}, 10th percentile) "
                     f"{conditional['odds_ratio'].iloc[0]:.2f} ({conditional['or_low'].iloc[0]:.2f} to "
                     f"{conditional['or_high'].iloc[0]:.2f}) and where they are weak "
                     f"({conditional['weak_constraints'].iloc[-1]:.2f}, 90th percentile) "
                     f"{conditional['odds_ratio'].iloc[-1]:.2f} ({conditional['or_low'].iloc[-1]:.2f} to "
                     f"{conditional['or_high'].iloc[-1]:.2f})")
        lines.append(
            f"{name.replace('_', ' ')} ({model.describe_sample()}): " + "; ".join(parts) + ". "
            + (f"Intervals excluding 1: {', '.join(clear)}." if clear else "No arms or U.S. training term is "
               "distinguishable from no association at 95%.")
            + f" {importers:.0%} of the country-years import any major weapons; arms imports and IMET correlate at "
            f"r = {corr:.2f} in the sample.")
    lines.append(
        "What the data can separate: arms imports from every supplier and U.S. training enter the same model, so "
        "each estimate holds the other constant, and the interaction asks whether arms matter more where "
        "constraints are weak. What they cannot: arms are major weapons only (no small arms, training or money), "
        "TIV is a volume index, deliveries are lumpy and often estimated, the panel starts in 1996, and with few "
        "coup attempts per year the intervals are wide; who sells arms to whom is itself chosen, so these are "
        "associations, not effects.")
    return " ".join(lines)


def run(panel: pd.DataFrame, first_year: int = FIRST_YEAR, last_year: int | None = None) -> ArmsReport:
    frame = prepare(panel)
    models = fit_models(frame, first_year, last_year)
    return ArmsReport(models, words(models))
