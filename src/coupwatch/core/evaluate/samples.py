"""Evaluation samples: which country-years a forecast is scored on.

``STANDARD`` is the published benchmark's test set: the Gleditsch-Ward states V-Dem covers, forecast years
2011-2019, one year ahead, complete cases only. In practice that is the state system without its microstates,
Abkhazia, South Ossetia, Kosovo, Taiwan, the Bahamas, Belize and Brunei, and without Somalia 2011-2012 and
South Sudan 2011 (no V-Dem or economic data for year t-1 there). With Powell & Thyne's outcome it holds
1,518 country-years and 18 coup attempts. ``ALL_STATES`` keeps every state-year.

Use::

    from coupwatch.core.evaluate.samples import STANDARD
    scored = predictions[STANDARD.contains(predictions, microstates)]   # or features with a microstate column
    STANDARD.contains(features)                                          # features carry ``microstate``

A mask needs the columns ``gwcode`` and ``year``, and ``microstate`` unless the microstate codes are given.
Pure core: frames in, masks out.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import pandas as pd


def _frozen(mapping: Mapping[int, str]) -> Mapping[int, str]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class EvaluationSample:
    """A named set of country-years to score forecasts on.

    ``first_year``/``last_year`` bound the forecast years (None: no bound); ``excluded_states`` maps G&W codes
    to the reason they are left out; ``excluded_state_years`` maps (G&W code, year) likewise; microstates are
    left out when ``exclude_microstates``.
    """

    name: str
    label: str
    description: str
    first_year: int | None = None
    last_year: int | None = None
    exclude_microstates: bool = False
    excluded_states: Mapping[int, str] = field(default_factory=lambda: _frozen({}))
    excluded_state_years: Mapping[tuple[int, int], str] = field(default_factory=lambda: MappingProxyType({}))

    @property
    def period(self) -> str:
        """The forecast years as a label, e.g. "2011-2019" ("all years" when unbounded)."""
        if self.first_year is None or self.last_year is None:
            return "all years"
        return f"{self.first_year}-{self.last_year}"

    def states_only(self) -> EvaluationSample:
        """The same states and state-year exclusions for any year (e.g. to score 2020-2025 on the same states)."""
        return replace(self, first_year=None, last_year=None)

    def contains(self, frame: pd.DataFrame, microstates: Collection[int] | None = None) -> pd.Series:
        """True for the rows of ``frame`` (columns gwcode, year[, microstate]) that belong to the sample."""
        missing = [c for c in ("gwcode", "year") if c not in frame.columns]
        if missing:
            raise ValueError(f"sample {self.name!r}: the frame needs columns gwcode and year (missing: {missing})")
        gwcode = frame["gwcode"].astype("int64")
        year = frame["year"].astype("int64")
        inside = pd.Series(True, index=frame.index)
        if self.first_year is not None:
            inside &= year >= self.first_year
        if self.last_year is not None:
            inside &= year <= self.last_year
        if self.exclude_microstates:
            if microstates is not None:
                inside &= ~gwcode.isin([int(code) for code in microstates])
            elif "microstate" in frame.columns:
                inside &= ~frame["microstate"].fillna(False).astype(bool)
            else:
                raise ValueError(
                    f"sample {self.name!r} leaves out microstates: give the frame a 'microstate' column (as "
                    "panels and feature frames have) or pass microstates= the G&W codes of the microstates"
                )
        inside &= ~gwcode.isin(list(self.excluded_states))
        if self.excluded_state_years:
            pairs = pd.MultiIndex.from_arrays([gwcode, year])
            inside &= ~pairs.isin(list(self.excluded_state_years)).astype(bool)
        return inside

    def keys(self, frame: pd.DataFrame, microstates: Collection[int] | None = None) -> pd.DataFrame:
        """The (gwcode, year) pairs of ``frame`` inside the sample, one row each."""
        rows = frame.loc[self.contains(frame, microstates), ["gwcode", "year"]]
        return rows.drop_duplicates().astype("int64").reset_index(drop=True)


ALL_STATES = EvaluationSample(
    name="all",
    label="all states",
    description="Every Gleditsch-Ward state-year the backtest forecasts, microstates included",
)

STANDARD = EvaluationSample(
    name="standard",
    label="standard sample",
    description=(
        "The published benchmark's test set: Gleditsch-Ward states V-Dem covers, forecast years 2011-2019, "
        "complete cases (no microstates, Abkhazia, South Ossetia, Kosovo, Taiwan, the Bahamas, Belize, Brunei; "
        "no Somalia 2011-2012, South Sudan 2011)"
    ),
    first_year=2011,
    last_year=2019,
    exclude_microstates=True,
    excluded_states=_frozen({
        396: "Abkhazia: not coded by V-Dem",
        397: "South Ossetia: not coded by V-Dem",
        347: "Kosovo: not a complete case in the benchmark",
        713: "Taiwan: not a complete case in the benchmark (no World Bank data)",
        31: "Bahamas: not coded by V-Dem",
        80: "Belize: not coded by V-Dem",
        835: "Brunei: not coded by V-Dem",
    }),
    excluded_state_years=MappingProxyType({
        (520, 2011): "Somalia 2011: incomplete data for 2010",
        (520, 2012): "Somalia 2012: incomplete data for 2011",
        (626, 2011): "South Sudan 2011: independent in July 2011, no data for 2010",
    }),
)

SAMPLES: dict[str, EvaluationSample] = {sample.name: sample for sample in (ALL_STATES, STANDARD)}

# Saved backtest predictions carry one boolean column per named sample (besides "all"): True inside it.
SAVED_SAMPLE_COLUMNS = {STANDARD.name: "standard_sample"}


def mark_samples(predictions: pd.DataFrame, features: pd.DataFrame) -> pd.DataFrame:
    """``predictions`` with a boolean column per named sample (see :data:`SAVED_SAMPLE_COLUMNS`), from the
    feature rows' states and years."""
    out = predictions.copy()
    for name, column in SAVED_SAMPLE_COLUMNS.items():
        inside = SAMPLES[name].keys(features).assign(**{column: True})
        out = out.drop(columns=[column], errors="ignore").merge(inside, on=["gwcode", "year"], how="left")
        out[column] = out[column].fillna(False).astype(bool)
    return out


def saved_rows(predictions: pd.DataFrame, sample: str | None) -> pd.DataFrame:
    """The rows of saved predictions inside ``sample`` ("all" or None: every row)."""
    if sample in (None, ALL_STATES.name):
        return predictions
    column = SAVED_SAMPLE_COLUMNS.get(str(sample))
    if column is None or column not in predictions.columns:
        raise ValueError(f"the saved predictions do not mark sample {sample!r}: rerun `coupwatch backtest`")
    return predictions[predictions[column].astype(bool)]
