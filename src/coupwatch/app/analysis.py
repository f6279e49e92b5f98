"""Warehouse-side inputs for the assistance indicators, the claims table and the mechanism test.

The analysis modules (``assistance``, ``claims``, ``mechanism``) are pure; this module opens the warehouse
(:class:`coupwatch.store.reader.Warehouse`), reads provenance and hands them frames. The CLI and the web layer call it.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from coupwatch.core import assistance, claims
from coupwatch.core import panel as pn
from coupwatch.errors import CoupwatchError
from coupwatch.states import StateSystem
from coupwatch.states.regions import AFRICA, GROUPS, REGION_FILTERS
from coupwatch.store.reader import Warehouse, WarehouseSource

if TYPE_CHECKING:
    from coupwatch.core import mechanism, mechanism_arms

VDEM_ACCOUNTABILITY = ("v2x_jucon", "v2xlg_legcon", "v2x_cspart", "v2x_corr", "v2x_horacc_osp_v14",
                       "v2x_veracc_osp_v14")
ASSISTANCE_COLUMNS = (
    "aid_security_capacity_usd", "aid_security_governance_usd", "aid_governance_share", "us_security_aid_usd",
    "gb_military_usd", "gb_imet_usd", "drg_share_us_aid", "ps_share_us_aid", "ps_non_security_share_us_aid",
    "aid_sector_basis", "us_milaid_per_soldier_usd", "us_milaid_milex_pct", "us_milaid_govt_spending_pct",
    "milex_gdp", "milex_gdp_base", "milex_gdp_change_pp", "milex_gdp_ratio_base", "us_security_aid_revenue_pct",
    *VDEM_ACCOUNTABILITY,
)


def _gaps(provenance: pd.DataFrame) -> dict[str, str]:
    rows = provenance[provenance["table_name"] == "fagov_sector"]
    return assistance.sector_gaps("fagov_sector", None if rows.empty else str(rows["sha256"].iloc[0]))


def region_gwcodes(region: str, states: StateSystem) -> list[int]:
    """Gleditsch-Ward codes of a region view: the Sahel (G5), West Africa (ECOWAS + Mauritania) or Africa."""
    if region == AFRICA:
        countries = states.countries
        return sorted(int(c) for c in countries.loc[countries["africa"].astype(bool), "gwcode"].unique())
    if region in GROUPS and region in REGION_FILTERS:
        return [states.lookup(code) for code in GROUPS[region]]
    raise CoupwatchError(f"--region {region!r} is not one of: {', '.join(REGION_FILTERS)}")


def assistance_indicators(
    countries: Sequence[str] | None = None,
    region: str | None = None,
    first_year: int = 2010,
    last_year: int = 2021,
    base_year: int = assistance.DEFAULT_BASE_YEAR,
    classification_file: Path | None = None,
) -> tuple[pd.DataFrame, dict[str, object]]:
    """Indicators for countries (or a region view with medians) and notes on what they rest on.

    Returns the frame and a dict of notes: classification, base year, sector basis and gaps, and the
    classification lines the warehouse data never use.
    """
    if first_year > last_year:
        raise CoupwatchError(f"--from {first_year} is after --to {last_year}")
    rules = assistance.load_classification(classification_file)
    with Warehouse() as warehouse:
        source, provenance = warehouse.source(), warehouse.provenance()
        states = source.states
        if region:
            gwcodes = region_gwcodes(region, states)
        elif countries:
            gwcodes = [states.lookup(c) for c in countries]
        else:
            raise CoupwatchError("give a country (ISO3, e.g. MLI) or --region sahel|west_africa|africa")
        gaps = _gaps(provenance)
        frame = pn.country_years(first_year, last_year, source)
        frame = frame[frame["gwcode"].isin(gwcodes)].reset_index(drop=True)
        if frame.empty:
            raise CoupwatchError(f"{region or ', '.join(countries or [])}: no state existed in "
                                 f"{first_year}-{last_year}")
        frame = pn.add_milex(frame, source)
        frame = pn.add_vdem(frame, source)
        frame = pn.add_assistance(frame, source, rules, base_year=base_year, sector_gaps=gaps)
        unused = assistance.unused_lines(rules, _classified_lines(source))
    columns = ["iso3", "country", "year", *ASSISTANCE_COLUMNS, "aid_classification"]
    out = frame[columns].sort_values(["iso3", "year"]).reset_index(drop=True)
    if region:
        out = assistance.region_view(out, columns[3:], region)
    notes: dict[str, object] = {
        "classification": rules.describe(),
        "base_year": base_year,
        "sector_shares": "obligations; " + assistance.sector_basis("Obligations")["fagov_sector"]
        + "; before FY2017 (mirror) " + assistance.sector_basis("Obligations")["fagov_sector_2014"],
        "sector_gaps": gaps,
        "unused_classification_lines": unused.to_dict("records"),
        "government_spending": "DERIVED: SIPRI military spending / SIPRI share of government spending",
        "years": "Greenbook and ForeignAssistance.gov by U.S. fiscal year; SIPRI, WDI and IMF by calendar year",
    }
    return out, notes


def _classified_lines(source: WarehouseSource) -> dict[str, list[pd.Series]]:
    cbj = source.table("us_cbj_accounts")
    return {
        "greenbook": [source.table("greenbook_obligations")["publication_row"]],
        "us_cbj": [cbj.loc[~cbj["is_total"].astype(bool), "account"]],
        "us_aid_sector": [source.table("fagov_sector")["us_sector_name"],
                          source.table("fagov_sector_2014")["us_sector"]],
    }


def claims_table(
    country: str | None = None,
    extra_claims: Sequence[Path] = (),
    classification_file: Path | None = None,
) -> pd.DataFrame:
    """Every claim about ``country`` (all claims when None) checked against the warehouse."""
    chosen = claims.claims_for(claims.load_claims(extra_claims), country)
    if not chosen:
        raise CoupwatchError(f"no claims about {country!r}; add some in a file passed with --claims "
                             f"(shaped like {claims.packaged_path()})")
    with Warehouse() as warehouse:
        return check_claims(chosen, warehouse.source(), warehouse.provenance(), classification_file)


def check_claims(chosen: Sequence[claims.Claim], source: WarehouseSource, provenance: pd.DataFrame,
                 classification_file: Path | None = None) -> pd.DataFrame:
    """The claims checked against indicators derived from ``source`` (the claims table's rows)."""
    countries = {c for claim in chosen for c in claim.countries()}
    rules = assistance.load_classification(classification_file)
    evidence = claims.gather_evidence(source, countries, provenance, rules, _gaps(provenance))
    return claims.evaluate_claims(chosen, evidence)


def mechanism_panel(first_year: int = 1950, last_year: int | None = None, extra: Sequence[str] = ()) -> pd.DataFrame:
    """Country-year panel with every column the mechanism models use (coups from 1950 for coup history), and
    the ``extra`` columns (e.g. the arms models')."""
    from coupwatch.core import mechanism

    with Warehouse() as warehouse:
        available = warehouse.panel_columns()
        needed = list(dict.fromkeys([*mechanism.PANEL_COLUMNS, *extra]))
        wanted = [c for c in needed if c in available]
        missing = sorted(set(needed) - set(available))
        if missing:
            raise CoupwatchError(f"the warehouse panel lacks {missing}; rebuild it with `coupwatch data build`")
        return warehouse.panel_rows(first_year=first_year, last_year=last_year, columns=wanted)


@dataclass(frozen=True)
class MechanismResults:
    """The thesis model and the replication, the arms models, every fitted model by name, and their coefficients
    in one table (with each model's sample)."""

    report: mechanism.MechanismReport
    arms: mechanism_arms.ArmsReport
    models: dict[str, mechanism.ModelResult]
    coefficients: pd.DataFrame


def run_mechanism(first_year: int = 1970, last_year: int | None = None, draws: int = 500) -> MechanismResults:
    """The mechanism models and the Savage & Caverley replication on the warehouse panel, with the arms models."""
    from coupwatch.core import mechanism, mechanism_arms

    panel = mechanism_panel(last_year=last_year, extra=mechanism_arms.PANEL_COLUMNS)
    report = mechanism.run(panel, first_year, last_year, draws=draws)
    arms = mechanism_arms.run(panel, max(first_year, mechanism_arms.FIRST_YEAR), last_year)
    models = {"mechanism": report.model, "replication": report.replication.model,
              "replication_any_imet": report.replication.binary, **arms.models}
    coefficients = pd.concat([m.table.assign(model=name, n=m.n, countries=m.countries, events=m.events,
                                              first_year=m.first_year, last_year=m.last_year)
                              for name, m in models.items()], ignore_index=True)
    return MechanismResults(report, arms, models, coefficients)


def features_overview(groups: Sequence[str] | None, first_year: int, last_year: int | None
                      ) -> tuple[pd.DataFrame, int]:
    """The forecast features (group, source, description, the models that use them, the share of state-years
    ``first_year``-``last_year`` missing) and the last year counted (default: the latest feature year)."""
    from coupwatch.app.backtest import load_features
    from coupwatch.core.features import feature_table
    from coupwatch.core.models.specs import packaged_specs

    features = load_features()
    end = int(features["year"].max()) if last_year is None else last_year
    rows = features[features["year"].between(first_year, end)]
    if rows.empty:
        raise CoupwatchError(f"no feature rows for {first_year}-{end}: the features cover "
                             f"{int(features['year'].min())}-{int(features['year'].max())}")
    used_by = {name: spec.columns() for name, spec in packaged_specs().items() if spec.columns()}
    return feature_table(used_by, rows, groups), end
