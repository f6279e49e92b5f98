"""Pydantic models of every API response (they are also the OpenAPI schema)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

Cell = float | int | str | bool | None


class ErrorResponse(BaseModel):
    """What went wrong, what was received and what is allowed."""

    detail: str = Field(description="What was wrong and what is allowed, in words")
    allowed: list[str] | None = Field(None, description="Valid values or the valid range, when there is a list")
    errors: list[dict[str, Cell]] | None = Field(None, description="Each invalid parameter (422 only)")


class Country(BaseModel):
    gwcode: int = Field(description="Gleditsch-Ward state number")
    gwc: str | None = Field(None, description="Gleditsch-Ward letter code")
    iso3: str | None = Field(None, description="ISO 3166-1 alpha-3 code (none for five historical states)")
    name: str
    region: str = Field(description="Region by the Gleditsch-Ward code blocks")
    subregion: str | None = None
    africa: bool
    first_year: int = Field(description="First year of the state in the panel")
    last_year: int = Field(description="Last year of the state in the panel")


class CountryList(BaseModel):
    count: int
    countries: list[Country]


class ColumnInfo(BaseModel):
    name: str
    description: str | None = None
    source: str | None = None
    unit: str | None = None


class PanelResponse(BaseModel):
    gwcode: int
    iso3: str | None
    country: str
    first_year: int
    last_year: int
    columns: list[ColumnInfo]
    rows: list[dict[str, Cell]] = Field(description="One object per country-year; missing values are null")


class Driver(BaseModel):
    concept: str | None = Field(None, description="coup history, military in politics, governance, economy, "
                                "conflict, assistance or protest")
    sentence: str | None = Field(None, description="The driver in a plain sentence, with where the state stands")
    feature: str = Field(description="The feature that carries most of the concept's effect")
    label: str | None = Field(None, description="That feature in plain words")
    description: str
    value: float | None
    shown: str | None = Field(None, description="The value in the reader's units (years, deaths, US$, % of GDP)")
    percentile: float | None = Field(None, description="Share of states with a lower value this year (0-1)")
    standing: str | None = Field(None, description="Where the state stands among all states, in words")
    contribution: float = Field(description="The concept's contribution to the log-odds of the forecast")
    versus_median: float | None = Field(None, description="The contribution minus the median state's: what sets "
                                        "this state apart")
    direction: Literal["raises", "lowers"]
    features: list[str] = Field(default_factory=list, description="The concept's features")


class DataYear(BaseModel):
    group: str = Field(description="Feature group")
    data_through: int | None = Field(description="Latest year with data (none: no data)")
    carried_years: int | None = Field(description="Years that value is carried forward to the year before")


class WatchlistRow(BaseModel):
    rank: int = Field(description="Rank among all states in the forecast (1 = highest risk)")
    rank_last_year: int | None = Field(None, description="Rank by the out-of-sample risk of the year before")
    gwcode: int
    iso3: str | None
    country: str
    region: str
    p: float = Field(description="Probability of a coup attempt in the year")
    p_low: float | None = Field(None, description="Lower end of the interval")
    p_high: float | None = Field(None, description="Upper end of the interval")
    p_last_year: float | None = Field(None, description="Out-of-sample probability for the year before (backtest)")
    change: float | None = Field(None, description="p minus p_last_year")
    drivers: list[Driver]
    drivers_text: str
    data_as_of: list[DataYear] = Field(default_factory=list, description="Per feature group, the last year of "
                                       "data the forecast uses and the years carried forward to the year before")
    data_as_of_text: str | None = None


class Watchlist(BaseModel):
    year: int
    outcome: str
    model: str
    interval_level: float
    region: str | None = Field(None, description="The region filter applied, if any")
    total: int = Field(description="States in the forecast before filters")
    count: int = Field(description="Rows returned")
    file: str = Field(description="The saved forecast file")
    rows: list[WatchlistRow]


class RiskYear(BaseModel):
    year: int
    p: float | None = Field(description="Out-of-sample probability from the backtest (or the forecast)")
    p_low: float | None = None
    p_high: float | None = None
    kind: Literal["backtest", "forecast"]
    observed: int | None = Field(None, description="1 if a coup attempt happened (null while unknown)")
    attempts: int | None = Field(None, description="Coup attempts that year (Powell & Thyne)")
    successes: int | None = Field(None, description="Successful coups that year (Powell & Thyne)")


class CoupYear(BaseModel):
    year: int
    attempts: int
    successes: int


class RiskHistory(BaseModel):
    gwcode: int
    iso3: str | None
    country: str
    model: str
    outcome: str
    years: list[RiskYear]
    coups: list[CoupYear] = Field(description="Every year with a coup attempt in the panel (Powell & Thyne)")


class AssistanceResponse(BaseModel):
    gwcode: int
    iso3: str | None
    country: str
    base_year: int
    classification: str | None
    notes: dict[str, str]
    columns: list[ColumnInfo]
    rows: list[dict[str, Cell]]


class TableProvenance(BaseModel):
    table_name: str
    title: str | None = None
    file: str | None = None
    url: str | None = None
    origin: str | None = None
    sha256: str | None = None
    hash_matches_pin: bool | None = None
    rows: int | None = None
    first_year: int | None = None
    last_year: int | None = None
    description: str | None = None


class Source(BaseModel):
    source: str
    title: str | None = None
    publisher: str | None = None
    version: str | None = None
    licence: str | None = None
    coverage: str | None = None
    homepage: str | None = None
    citation: str | None = Field(None, description="BibTeX")
    tables: list[TableProvenance]


class SourcesResponse(BaseModel):
    built_at: str | None
    count: int
    sources: list[Source]


class Health(BaseModel):
    status: Literal["ok", "degraded", "unavailable"]
    warehouse: bool
    built_at: str | None = None
    backtest: bool
    forecast_years: list[int]
    briefs: bool
    messages: list[str]


class Target(BaseModel):
    metric: str
    label: str
    threshold: float
    value: float | None
    met: bool


class Scores(BaseModel):
    """Out-of-sample scores of one model over a set of country-years (NaN-free: null where not computable)."""

    model: str
    outcome: str | None = None
    sample: str | None = Field(None, description="Country-years scored: 'all' (every state) or 'standard' (the "
                                                 "published benchmark's: V-Dem states, complete cases)")
    period: str | None = Field(None, description="Pooled test years, e.g. 2011-2019")
    year: int | None = Field(None, description="The test year (per-year scores)")
    auc_roc: float | None = None
    auc_roc_low: float | None = Field(None, description="95% bootstrap interval, low end")
    auc_roc_high: float | None = None
    auc_pr: float | None = None
    auc_pr_low: float | None = None
    auc_pr_high: float | None = None
    brier: float | None = None
    brier_skill: float | None = Field(None, description="1 - Brier / Brier of the constant rate")
    log_loss: float | None = None
    recall_top10: float | None = None
    recall_top20: float | None = Field(None, description="Share of events inside that year's top 20")
    recall_top30: float | None = None
    events: float | None = None
    rows: float | None = None


class CaseRow(BaseModel):
    """A coup attempt and the main model's out-of-sample probability and rank that year."""

    year: int
    gwcode: int
    iso3: str | None
    country: str
    p: float | None
    rank: int | None
    states: int = Field(description="States ranked that year")


class AblationRow(BaseModel):
    variant: str
    group: str | None
    features_dropped: int
    dropped: str
    auc_roc: float | None
    auc_pr: float | None
    brier_skill: float | None
    recall_top20: float | None
    auc_roc_change: float | None
    auc_roc_change_low: float | None
    auc_roc_change_high: float | None
    auc_pr_change: float | None
    auc_pr_change_low: float | None
    auc_pr_change_high: float | None
    verdict: str


class Ablation(BaseModel):
    built_at: str
    model: str
    outcome: str
    first_test_year: int
    last_test_year: int
    bootstrap_draws: int
    rows: list[AblationRow]


class Accuracy(BaseModel):
    """How well the forecasts did on years the models never saw (the saved backtest)."""

    built_at: str
    first_test_year: int
    last_test_year: int
    main_model: str
    headline_period: str
    headline_sample: str = Field(description="The sample the headline and targets are scored on")
    headline_sample_label: str
    headline_sample_description: str
    targets: list[Target]
    pooled: list[Scores] = Field(description="Coup attempts, pooled over each period")
    per_year: list[Scores] = Field(description="Coup attempts, each test year")
    frozen_2019: list[Scores] = Field(description="Models frozen at the end of 2019, scoring 2020 onward")
    cases: list[CaseRow] = Field(description="Every coup attempt from 2011 with the main model's probability and rank")
    ablation: Ablation | None = Field(None, description="What each feature group adds (`coupwatch ablation`), "
                                                        "when it has been run")
