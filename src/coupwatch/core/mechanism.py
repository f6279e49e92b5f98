"""Does military build-up without governance predict coups? Panel logits on the country-year panel.

Pure: frames in, results out. :func:`prepare` turns panel rows into one row per country-year with the
outcome in year t (a Powell & Thyne coup attempt) and every predictor as known at the end of t-1.
:func:`fit` estimates a logit with standard errors clustered by country. :func:`mechanism_model` is the
project's thesis test (military burden and its growth, U.S. training and other capacity aid, V-Dem
constraints and corruption, and "capacity without governance" interactions); :func:`replicate_savage_caverley`
is a replication-style test of Savage & Caverley (2017). :func:`predicted_curves` and :func:`charts` give the
marginal-effect charts (Altair specs; the caller saves them).

These are associations in observational data, not proven causes.
"""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import cast

import numpy as np
import pandas as pd

PANEL_COLUMNS = (
    "gwcode", "year", "iso3", "country", "pt_attempt", "pt_attempts", "milex_gdp", "milex_const2024_usd_m",
    "gb_imet_const2020_usd", "aid_security_capacity_const2020_usd", "population", "v2x_jucon", "v2xlg_legcon",
    "v2x_cspart", "v2x_corr", "gdp_pc", "gdp_pc_growth", "v2x_regime", "polity2", "ucdp_internal_conflicts",
)
COUP_HISTORY_FIRST_YEAR = 1950  # Powell & Thyne start here
HISTORY_WINDOW = 10
GROWTH_CLIP = 100.0  # percent; keeps a few war and post-war swings from dominating the slope

LABELS = {
    "milex_gdp": "Military burden, % of GDP (SIPRI)",
    "milex_growth": "Real growth of military spending, % (log points, SIPRI constant US$)",
    "log_imet_pc": "U.S. military training: ln(1 + IMET constant-2020 US$ per 1,000 people) (Greenbook)",
    "log_other_capacity_pc": "Other U.S. capacity aid: ln(1 + US$ per 1,000 people) (Greenbook, classified)",
    "imet_any": "Any IMET obligation in the year (Greenbook)",
    "v2x_jucon": "Judicial constraints on the executive (V-Dem)",
    "v2xlg_legcon": "Legislative constraints on the executive (V-Dem)",
    "v2x_cspart": "Civil society participation (V-Dem)",
    "v2x_corr": "Political corruption (V-Dem)",
    "imet_x_weak_constraints": "Capacity without governance: IMET x weak constraints",
    "buildup_x_weak_constraints": "Build-up without governance: military spending growth x weak constraints",
    "coup_past_10y": "Coup attempt in the previous 10 years",
    "log_peace_years": "ln(1 + years since the last coup attempt, from 1950)",
    "log_gdp_pc": "ln GDP per person (WDI, constant 2015 US$)",
    "gdp_growth": "GDP per person growth, % (WDI)",
    "electoral_autocracy": "Electoral autocracy (V-Dem RoW; reference: closed autocracy)",
    "democracy": "Electoral or liberal democracy (V-Dem RoW; liberal democracies alone had no coup attempt)",
    "polity2": "Polity2 (-10 to 10)",
    "polity2_sq": "Polity2 squared (anocracy)",
    "internal_conflict": "Internal armed conflict (UCDP/PRIO)",
    "year_trend": "Year trend (decades since 1970)",
    "const": "Constant",
}
CONTROLS = ("coup_past_10y", "log_peace_years", "log_gdp_pc", "gdp_growth", "electoral_autocracy", "democracy",
            "internal_conflict", "year_trend")
MECHANISM_TERMS = ("milex_gdp", "milex_growth", "log_imet_pc", "log_other_capacity_pc", "v2x_jucon",
                   "v2xlg_legcon", "v2x_cspart", "v2x_corr", "imet_x_weak_constraints",
                   "buildup_x_weak_constraints", *CONTROLS)
REPLICATION_TERMS = ("log_imet_pc", "coup_past_10y", "log_peace_years", "log_gdp_pc", "gdp_growth", "polity2",
                     "polity2_sq", "internal_conflict", "year_trend")
SAVAGE_CAVERLEY = (
    "Savage & Caverley (2017, Journal of Peace Research): U.S. military training (IMET and CTFP trainee "
    "counts) raises the risk of a military coup attempt, reported as roughly doubling it; 189 countries, "
    "1970-2009. McLauchlin & Seymour (2020) find the effect holds only for IMET."
)


# ---------------------------------------------------------------------------------------------------------
# Data
# ---------------------------------------------------------------------------------------------------------

def _peace_years(frame: pd.DataFrame) -> pd.Series:
    """Years since the last coup attempt up to and including each row's year (from 1950 or first row)."""
    out = np.empty(len(frame))
    for _, group in frame.groupby("gwcode", sort=False):
        last = np.nan
        first = group["year"].iloc[0]
        for position, (year, attempt) in zip(group.index, zip(group["year"], group["pt_attempt"], strict=True),
                                             strict=True):
            if attempt == 1:
                last = year
            out[frame.index.get_loc(position)] = year - (last if not math.isnan(last) else first - 1)
    return pd.Series(out, index=frame.index)


def prepare(panel: pd.DataFrame) -> pd.DataFrame:
    """One row per country-year t: ``coup_attempt`` in t and predictors measured in t-1.

    ``panel`` needs :data:`PANEL_COLUMNS` (the warehouse's country-year panel has them) and should start
    in 1950 so coup history is complete. Predictors are lagged by matching year t-1 of the same state, so
    a gap in a state's years gives missing predictors, not the wrong year's values.
    """
    missing = [c for c in PANEL_COLUMNS if c not in panel.columns]
    if missing:
        raise KeyError(f"mechanism.prepare: panel lacks {missing}; build it with add_coups, add_milex, add_vdem, "
                       "add_regime, add_conflict, add_economy and add_assistance")
    frame = panel[list(PANEL_COLUMNS)].copy()
    for column in PANEL_COLUMNS[4:]:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    frame = frame.sort_values(["gwcode", "year"]).reset_index(drop=True)
    frame = frame[frame["year"] >= COUP_HISTORY_FIRST_YEAR].reset_index(drop=True)
    attempts = frame["pt_attempt"].fillna(0)
    # Known at the end of year t: history through t; the model row for t+1 reads it.
    frame["coup_past_10y"] = (
        attempts.groupby(frame["gwcode"]).transform(lambda s: s.rolling(HISTORY_WINDOW, min_periods=1).max())
    )
    frame["log_peace_years"] = np.log1p(_peace_years(frame.assign(pt_attempt=attempts)))
    population_k = frame["population"].where(frame["population"] > 0) / 1000
    imet = frame["gb_imet_const2020_usd"].clip(lower=0)
    other = (frame["aid_security_capacity_const2020_usd"] - frame["gb_imet_const2020_usd"]).clip(lower=0)
    frame["log_imet_pc"] = np.log1p(imet / population_k)
    frame["log_other_capacity_pc"] = np.log1p(other / population_k)
    frame["imet_any"] = (imet > 0).astype("float64").where(imet.notna())
    previous = frame[["gwcode", "year", "milex_const2024_usd_m"]].assign(year=lambda f: f["year"] + 1)
    previous = previous.rename(columns={"milex_const2024_usd_m": "_milex_before"})
    frame = frame.merge(previous, on=["gwcode", "year"], how="left")
    ratio = frame["milex_const2024_usd_m"] / frame["_milex_before"]
    frame["milex_growth"] = (100 * np.log(ratio.where(ratio > 0))).clip(-GROWTH_CLIP, GROWTH_CLIP)
    frame["log_gdp_pc"] = np.log(frame["gdp_pc"].where(frame["gdp_pc"] > 0))
    frame["gdp_growth"] = frame["gdp_pc_growth"]
    regime = frame["v2x_regime"]
    frame["electoral_autocracy"] = (regime == 1).astype("float64").where(regime.notna())
    # Liberal democracies (RoW 3) had no coup attempt after 1970: alone they separate perfectly.
    frame["democracy"] = (regime >= 2).astype("float64").where(regime.notna())
    frame["polity2_sq"] = frame["polity2"] ** 2
    frame["internal_conflict"] = (frame["ucdp_internal_conflicts"] > 0).astype("float64").where(
        frame["ucdp_internal_conflicts"].notna())
    predictors = ["milex_gdp", "milex_growth", "log_imet_pc", "log_other_capacity_pc", "imet_any", "v2x_jucon",
                  "v2xlg_legcon", "v2x_cspart", "v2x_corr", "coup_past_10y", "log_peace_years", "log_gdp_pc",
                  "gdp_growth", "electoral_autocracy", "democracy", "polity2",
                  "polity2_sq", "internal_conflict"]
    lagged = frame[["gwcode", "year", *predictors]].assign(year=lambda f: f["year"] + 1)
    rows = frame[["gwcode", "year", "iso3", "country", "pt_attempt"]].rename(columns={"pt_attempt": "coup_attempt"})
    out = rows.merge(lagged, on=["gwcode", "year"], how="left")
    out["year_trend"] = (out["year"] - 1970) / 10
    return out


def _design(frame: pd.DataFrame, terms: Sequence[str]) -> pd.DataFrame:
    """Model matrix: the terms (interactions computed here from their parts) plus a constant."""
    data = frame.copy()
    weak = 1 - data[["v2x_jucon", "v2xlg_legcon", "v2x_cspart"]].mean(axis=1, skipna=False)
    data["imet_x_weak_constraints"] = data["log_imet_pc"] * weak
    data["buildup_x_weak_constraints"] = data["milex_growth"] * weak
    matrix = data[list(terms)].astype("float64")
    matrix.insert(0, "const", 1.0)
    return matrix


# ---------------------------------------------------------------------------------------------------------
# Models
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ModelResult:
    """A fitted logit: coefficient table, sample description and what is needed to simulate from it."""

    name: str
    terms: tuple[str, ...]
    table: pd.DataFrame
    n: int
    countries: int
    events: int
    first_year: int
    last_year: int
    params: pd.Series
    covariance: pd.DataFrame
    sample: pd.DataFrame = field(repr=False)
    converged: bool = True
    pseudo_r2: float = math.nan

    def describe_sample(self) -> str:
        return (f"N = {self.n:,} country-years, {self.countries} countries, {self.events} coup attempts, "
                f"{self.first_year}-{self.last_year}; standard errors clustered by country ({self.countries} "
                "clusters)")


def fit(frame: pd.DataFrame, terms: Sequence[str], *, name: str, first_year: int | None = None,
        last_year: int | None = None) -> ModelResult:
    """Logit of ``coup_attempt`` on ``terms`` with standard errors clustered by country.

    Rows missing the outcome or any term are dropped (the result reports N). Raises ValueError when the
    sample has no coup attempts or a term does not vary.
    """
    import statsmodels.api as sm

    rows = frame
    if first_year is not None:
        rows = rows[rows["year"] >= first_year]
    if last_year is not None:
        rows = rows[rows["year"] <= last_year]
    design = _design(rows, terms)
    keep = design.notna().all(axis=1) & rows["coup_attempt"].notna()
    design, rows = design[keep], rows[keep]
    if rows.empty or rows["coup_attempt"].sum() == 0:
        raise ValueError(f"{name}: no country-years with coup attempts and complete predictors in "
                         f"{first_year}-{last_year}; widen the years")
    flat = [t for t in terms if design[t].nunique() < 2]
    if flat:
        raise ValueError(f"{name}: term(s) {flat} do not vary in the sample; drop them or widen the years")
    model = sm.Logit(rows["coup_attempt"].astype(float), design)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = model.fit(disp=False, maxiter=200, cov_type="cluster",
                           cov_kwds={"groups": rows["gwcode"].astype(int).to_numpy()})
    params, errors = result.params, result.bse
    low, high = params - 1.959964 * errors, params + 1.959964 * errors
    table = pd.DataFrame({
        "term": params.index,
        "label": [LABELS.get(t, t) for t in params.index],
        "coef": params.to_numpy(),
        "std_err": errors.to_numpy(),
        "ci_low": low.to_numpy(),
        "ci_high": high.to_numpy(),
        "p_value": result.pvalues.to_numpy(),
        "odds_ratio": np.exp(params.to_numpy()),
        "or_low": np.exp(low.to_numpy()),
        "or_high": np.exp(high.to_numpy()),
    })
    return ModelResult(
        name=name, terms=tuple(terms), table=table, n=len(rows), countries=int(rows["gwcode"].nunique()),
        events=int(rows["coup_attempt"].sum()), first_year=int(rows["year"].min()),
        last_year=int(rows["year"].max()), params=params, covariance=pd.DataFrame(result.cov_params()),
        sample=rows.reset_index(drop=True), converged=bool(result.mle_retvals.get("converged", True)),
        pseudo_r2=float(result.prsquared),
    )


def mechanism_model(frame: pd.DataFrame, first_year: int = 1970, last_year: int | None = None) -> ModelResult:
    """The thesis test: burden, its growth, IMET, other capacity aid, V-Dem governance, two interactions of
    capacity with weak constraints (1 - mean of judicial, legislative and civil-society indices), controls."""
    return fit(frame, MECHANISM_TERMS, name="mechanism", first_year=first_year, last_year=last_year)


def _draws(result: ModelResult, draws: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    return rng.multivariate_normal(result.params.to_numpy(), result.covariance.to_numpy(), size=draws)


def _mean_probability(design: pd.DataFrame, coefficients: np.ndarray) -> np.ndarray:
    """Average predicted probability over the rows, for each coefficient vector (rows of ``coefficients``)."""
    linear = design.to_numpy() @ coefficients.T
    return (1 / (1 + np.exp(-linear))).mean(axis=0)


@dataclass(frozen=True)
class Replication:
    """Our replication-style estimate next to the published one, in numbers and plain words."""

    model: ModelResult
    binary: ModelResult
    coefficient: float
    ci_low: float
    ci_high: float
    typical_imet: float
    risk_ratio: float
    rr_low: float
    rr_high: float
    binary_odds_ratio: float
    binary_or_low: float
    binary_or_high: float
    summary: str


def replicate_savage_caverley(frame: pd.DataFrame, first_year: int = 1970, last_year: int = 2009,
                              draws: int = 1000, seed: int = 2017) -> Replication:
    """Replication-style test of Savage & Caverley (2017) with Greenbook IMET dollars instead of trainees.

    Two logits of coup attempts, 1970-2009, clustered by country: ln(1 + IMET $ per 1,000 people), and any
    IMET (0/1), each with coup history, ln GDP per person, growth, Polity2 and its square, internal conflict
    and a trend. The risk ratio compares the average predicted probability with every country-year at the
    median IMET of country-years that had some, against no IMET at all; its 95% interval comes from
    ``draws`` simulations of the coefficients (clustered covariance).
    """
    model = fit(frame, REPLICATION_TERMS, name="replication: ln IMET per capita", first_year=first_year,
                last_year=last_year)
    binary_terms = ("imet_any", *REPLICATION_TERMS[1:])
    binary = fit(frame, binary_terms, name="replication: any IMET", first_year=first_year, last_year=last_year)
    # A fit's table has one row per term, so .loc on a term gives that row as a Series.
    row = cast(pd.Series, model.table.set_index("term").loc["log_imet_pc"])
    positive = model.sample.loc[model.sample["log_imet_pc"] > 0, "log_imet_pc"]
    typical = float(positive.median())
    coefficients = _draws(model, draws, seed)
    with_imet = _design(model.sample.assign(log_imet_pc=typical), model.terms)
    without = _design(model.sample.assign(log_imet_pc=0.0), model.terms)
    ratios = _mean_probability(with_imet, coefficients) / _mean_probability(without, coefficients)
    point = float(_mean_probability(with_imet, model.params.to_numpy()[None, :])[0]
                  / _mean_probability(without, model.params.to_numpy()[None, :])[0])
    rr_low, rr_high = (float(v) for v in np.percentile(ratios, [2.5, 97.5]))
    brow = cast(pd.Series, binary.table.set_index("term").loc["imet_any"])
    summary = _replication_words(model, float(row["coef"]), float(row["ci_low"]), float(row["ci_high"]), typical,
                                 point, rr_low, rr_high, binary, float(brow["odds_ratio"]), float(brow["or_low"]),
                                 float(brow["or_high"]))
    return Replication(model, binary, float(row["coef"]), float(row["ci_low"]), float(row["ci_high"]), typical,
                       point, rr_low, rr_high, float(brow["odds_ratio"]), float(brow["or_low"]),
                       float(brow["or_high"]), summary)


def _replication_words(model: ModelResult, coef: float, low: float, high: float, typical: float, rr: float,
                       rr_low: float, rr_high: float, binary: ModelResult, odds: float, or_low: float,
                       or_high: float) -> str:
    dollars = math.expm1(typical)
    if rr_low > 2:
        verdict = "a larger increase than their roughly doubled risk"
    elif rr_low > 1 and rr_high >= 2:
        verdict = (f"consistent with their finding: a higher risk; our estimate ({rr:.2f} times) is below a doubling "
                   "but a doubling is inside our interval")
    elif rr_low > 1:
        verdict = "in the same direction as their finding but smaller: a doubling lies outside our interval"
    elif rr_high < 1:
        verdict = "the opposite of their finding: a lower risk"
    else:
        verdict = ("not distinguishable from no effect: the interval includes both a doubling and no change"
                   if rr_high >= 2 else "not distinguishable from no effect, and a doubling lies outside the interval")
    return (
        f"Theirs: {SAVAGE_CAVERLEY} Ours: with Greenbook IMET obligations (constant 2020 US$; dollars, not "
        f"trainees; all Powell & Thyne attempts, not only military ones), the coefficient on ln(1 + IMET $ per "
        f"1,000 people) is {coef:.3f} (95% CI {low:.3f} to {high:.3f}). Moving every country-year from no IMET to "
        f"the median of those with IMET (about ${dollars:,.0f} per 1,000 people) multiplies the predicted risk "
        f"by {rr:.2f} (95% CI {rr_low:.2f} to {rr_high:.2f}); any IMET versus none has an odds ratio of "
        f"{odds:.2f} ({or_low:.2f} to {or_high:.2f}). {model.describe_sample()}. This is {verdict}."
    )


# ---------------------------------------------------------------------------------------------------------
# Marginal effects
# ---------------------------------------------------------------------------------------------------------

def predicted_curves(result: ModelResult, focal: str, points: int = 25, draws: int = 500,
                     seed: int = 7) -> pd.DataFrame:
    """Average predicted probability of a coup attempt along ``focal``, at weak and strong constraints.

    Constraints are set to the 10th and 90th percentiles of the sample's mean of the judicial, legislative
    and civil-society indices (each index set to that value); every other predictor stays as observed.
    Returns focal_value, constraints (label), probability, low, high (95% simulation interval).
    """
    sample = result.sample
    constraints = sample[["v2x_jucon", "v2xlg_legcon", "v2x_cspart"]].mean(axis=1)
    levels = {"weak constraints (10th percentile)": float(constraints.quantile(0.1)),
              "strong constraints (90th percentile)": float(constraints.quantile(0.9))}
    low_value, high_value = float(sample[focal].quantile(0.02)), float(sample[focal].quantile(0.98))
    grid = np.linspace(low_value, high_value, points)
    coefficients = _draws(result, draws, seed)
    point_coefficients = result.params.to_numpy()[None, :]
    rows = []
    for label, level in levels.items():
        base = sample.assign(v2x_jucon=level, v2xlg_legcon=level, v2x_cspart=level)
        for value in grid:
            design = _design(base.assign(**{focal: value}), result.terms)
            simulated = _mean_probability(design, coefficients)
            rows.append({
                "focal": focal, "focal_value": float(value), "constraints": label, "constraint_level": level,
                "probability": float(_mean_probability(design, point_coefficients)[0]),
                "low": float(np.percentile(simulated, 2.5)), "high": float(np.percentile(simulated, 97.5)),
            })
    return pd.DataFrame(rows)


def charts(curves: pd.DataFrame, title_suffix: str = "") -> dict[str, object]:
    """One Altair chart per focal variable: predicted probability with 95% bands, weak vs strong constraints."""
    import altair as alt

    out: dict[str, object] = {}
    for focal, rows in curves.groupby("focal", sort=False):
        label = LABELS.get(str(focal), str(focal))
        base = alt.Chart(rows).encode(
            x=alt.X("focal_value:Q", title=label),
            color=alt.Color("constraints:N", title="V-Dem constraints"),
        )
        band = base.mark_area(opacity=0.2).encode(y=alt.Y("low:Q", title="Pr(coup attempt next year)",
                                                          axis=alt.Axis(format="%")), y2="high:Q")
        line = base.mark_line().encode(y="probability:Q")
        out[str(focal)] = (band + line).properties(
            width=420, height=260,
            title=f"Coup-attempt risk by {label.split(':')[0].split(',')[0]}{title_suffix}",
        )
    return out


# ---------------------------------------------------------------------------------------------------------
# The whole test
# ---------------------------------------------------------------------------------------------------------

THESIS_TERMS = ("milex_gdp", "milex_growth", "log_imet_pc", "log_other_capacity_pc", "imet_x_weak_constraints",
                "buildup_x_weak_constraints")
CURVE_FOCALS = ("log_imet_pc", "milex_growth")
GOVERNANCE_TERMS = ("v2x_jucon", "v2xlg_legcon", "v2x_cspart", "v2x_corr")


@dataclass(frozen=True)
class MechanismReport:
    """The thesis model, the Savage & Caverley replication, the marginal-effect curves and plain words."""

    model: ModelResult
    replication: Replication
    curves: pd.DataFrame
    summary: str


def mechanism_words(result: ModelResult, curves: pd.DataFrame) -> str:
    """What the thesis model says, in plain words, from its coefficients and predicted curves."""
    table = result.table.set_index("term")
    clear: list[str] = []
    unclear: list[str] = []
    for term in THESIS_TERMS:
        row = table.loc[term]
        text = (f"{LABELS[term]}: odds ratio {row['odds_ratio']:.2f} "
                f"(95% CI {row['or_low']:.2f} to {row['or_high']:.2f})")
        (clear if row["ci_low"] > 0 or row["ci_high"] < 0 else unclear).append(text)
    lines = [f"Mechanism model: {result.describe_sample()}."]
    if clear:
        lines.append("Distinguishable from no association at 95%: " + "; ".join(clear) + ".")
    if unclear:
        lines.append("Not distinguishable from no association: " + "; ".join(unclear) + ".")
    governance = []
    for term in GOVERNANCE_TERMS:
        row = table.loc[term]
        where = "interval excludes 1" if row["ci_low"] > 0 or row["ci_high"] < 0 else "interval includes 1"
        governance.append(f"{LABELS[term]} {row['odds_ratio']:.2f} ({row['or_low']:.2f} to {row['or_high']:.2f}, "
                          f"{where})")
    lines.append("Governance terms (odds ratio per unit of the 0-1 index, 95% CI): " + "; ".join(governance) + ".")
    for focal, rows in curves.groupby("focal", sort=False):
        parts = []
        for label, line in rows.groupby("constraints", sort=False):
            start, end = line.iloc[0], line.iloc[-1]
            parts.append(f"at {label} from {start['probability']:.1%} to {end['probability']:.1%} "
                         f"(95% interval at the top {end['low']:.1%} to {end['high']:.1%})")
        name = LABELS[str(focal)].split(":")[0].split(",")[0]
        name = name[0].lower() + name[1:] if name[1:2].islower() else name
        first, last = rows["focal_value"].min(), rows["focal_value"].max()
        lines.append(f"Moving {name} from {first:.2f} to {last:.2f} (2nd to 98th percentile of the sample), the "
                     "predicted risk of a coup attempt goes " + "; ".join(parts) + ".")
    if not clear:
        lines.append("The data at hand do not show that military build-up or U.S. capacity aid without governance "
                     "predicts coup attempts once coup history, income, growth, regime and conflict are held "
                     "constant; the intervals are wide, so they do not rule it out either.")
    lines.append("These are associations in observational data, not proven causes.")
    return " ".join(lines)


def run(panel: pd.DataFrame, first_year: int = 1970, last_year: int | None = None, draws: int = 500,
        seed: int = 7) -> MechanismReport:
    """Prepare the panel, fit the thesis model and the replication, and compute the marginal-effect curves."""
    frame = prepare(panel)
    model = mechanism_model(frame, first_year, last_year)
    replication = replicate_savage_caverley(frame, first_year=max(first_year, 1970),
                                            last_year=min(2009, last_year or 2009), seed=seed)
    curves = pd.concat([predicted_curves(model, focal, draws=draws, seed=seed) for focal in CURVE_FOCALS],
                       ignore_index=True)
    return MechanismReport(model, replication, curves, mechanism_words(model, curves))
