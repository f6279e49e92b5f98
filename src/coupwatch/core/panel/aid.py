"""U.S. assistance: ForeignAssistance.gov totals, Greenbook obligations split by the assistance classification
into security capacity, security governance and other categories, and the capacity-versus-governance indicators
of :func:`coupwatch.core.assistance.indicators`."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from coupwatch.core import assistance
from coupwatch.core.panel.economy import add_economy
from coupwatch.core.panel.joins import add_yearly, mapped, merge_columns, state_year_wide
from coupwatch.core.panel.military import add_milex
from coupwatch.core.panel.skeleton import UNIT_YEAR, ColumnDoc, DataSource, country_years, panel_unit

FAGOV_TYPES = {
    "Obligations": "us_aid_obligations_usd",
    "Disbursements": "us_aid_disbursements_usd",
    "Appropriated and Planned": "us_aid_appropriated_usd",
    "President's Budget Requests": "us_aid_request_usd",
}
ASSISTANCE_CATEGORY_COLUMNS = {
    "security_capacity": "aid_security_capacity_usd",
    "security_governance": "aid_security_governance_usd",
    "democracy_governance": "aid_democracy_governance_usd",
    "conflict_mitigation": "aid_conflict_mitigation_usd",
    "other_development": "aid_other_development_usd",
    "humanitarian": "aid_humanitarian_usd",
    "peace_operation_support": "aid_peace_operation_support_usd",
}
IMET_ROW = "International Military Education and Training"  # the Greenbook's publication row for IMET

OBLIGATION_DOCS = (
    *(ColumnDoc(name, f"U.S. foreign assistance, {kind.lower()}, current US$ by U.S. fiscal year "
                "(ForeignAssistance.gov country summary, FY1946-2025; the 1976 transition quarter left out)",
                "us_aid_country", "US$")
      for kind, name in FAGOV_TYPES.items()),
    ColumnDoc("gb_military_usd", "U.S. military assistance obligations, current US$ (USAID Greenbook, "
              "FY1946-2020)", "greenbook_obligations", "US$"),
    ColumnDoc("gb_economic_usd", "U.S. economic assistance obligations, current US$ (Greenbook; includes NADR "
              "and INCLE, which the Greenbook files as economic)", "greenbook_obligations", "US$"),
    ColumnDoc("gb_imet_usd", "International Military Education and Training obligations, current US$ "
              "(Greenbook)", "greenbook_obligations", "US$"),
    *(ColumnDoc(column, f"Greenbook obligations classified as {category.replace('_', ' ')}, current US$ "
                "(split by the assistance classification; see assistance_classification.csv)",
                "greenbook_obligations", "US$")
      for category, column in ASSISTANCE_CATEGORY_COLUMNS.items()),
    ColumnDoc("aid_governance_share", "Security governance share of security-related aid: governance / "
              "(capacity + governance), Greenbook classified", "greenbook_obligations", "0-1"),
)
INDICATOR_DOCS = (
    ColumnDoc("gb_imet_const2020_usd", "IMET obligations, constant 2020 US$ (Greenbook)", "greenbook_obligations",
              "US$"),
    ColumnDoc("aid_security_capacity_const2020_usd", "Greenbook obligations classified as security capacity, "
              "constant 2020 US$", "greenbook_obligations", "US$"),
    ColumnDoc("aid_security_governance_const2020_usd", "Greenbook obligations classified as security "
              "governance, constant 2020 US$", "greenbook_obligations", "US$"),
    ColumnDoc("us_security_aid_usd", "U.S. security-related aid: security capacity + security governance "
              "(Greenbook obligations, classified), current US$", "greenbook_obligations", "US$"),
    ColumnDoc("us_milaid_per_soldier_usd", "U.S. military aid (Greenbook military obligations less those "
              "classified as peace-operation support, U.S. fiscal year) per member of the armed forces "
              "(WDI/IISS armed forces personnel)", "greenbook_obligations",
              "US$ per soldier"),
    ColumnDoc("us_milaid_milex_pct", "U.S. military aid (Greenbook military obligations less those classified "
              "as peace-operation support, which pay for other states' troops) as a percent of the "
              "country's military spending (SIPRI, current US$; U.S. fiscal vs calendar year)",
              "greenbook_obligations", "percent"),
    ColumnDoc("us_milaid_govt_spending_pct", "U.S. military aid (Greenbook) as a percent of government spending; "
              "government spending is DERIVED as SIPRI military spending / SIPRI share of government spending",
              "greenbook_obligations", "percent"),
    ColumnDoc("milex_gdp_base", "Military burden (SIPRI % of GDP) in the base year of add_assistance "
              "(default 2012)", "sipri_milex", "percent"),
    ColumnDoc("milex_gdp_change_pp", "Change in the military burden (SIPRI % of GDP) since the base year "
              "(default 2012)", "sipri_milex", "percentage points"),
    ColumnDoc("milex_gdp_ratio_base", "Military burden (SIPRI % of GDP) divided by its base-year value "
              "(default 2012; 2 = doubled)", "sipri_milex", "ratio"),
    ColumnDoc("us_security_aid_revenue_pct", "Dependence ratio, U.S. only: U.S. security-related aid "
              "(Greenbook, classified) as a percent of government revenue (IMF WEO April 2022, revenue "
              "incl. grants x GDP in US$); French, EU and UN security spending are not in the data",
              "greenbook_obligations", "percent"),
    ColumnDoc("drg_share_us_aid", "Democracy, human rights and governance share of all U.S. aid: "
              "ForeignAssistance.gov DRG category / country total, obligations (sector table where it has "
              "rows; else the 2014 snapshot's own total); see aid_sector_basis", "fagov_sector", "0-1"),
    ColumnDoc("ps_share_us_aid", "Peace and security share of all U.S. aid (ForeignAssistance.gov P&S "
              "category / country total, obligations; see aid_sector_basis)", "fagov_sector", "0-1"),
    ColumnDoc("ps_non_security_share_us_aid", "Non-security peace-and-security share of all U.S. aid: P&S money "
              "the classification puts outside security capacity and governance (e.g. conflict mitigation) "
              "/ country total, obligations; see aid_sector_basis", "fagov_sector", "0-1"),
    ColumnDoc("aid_sector_basis", "Which table and transaction type the DRG and P&S shares come from (the "
              "mirror's sector file is a partial transcription: MLI and NER complete, BFA partial, FY2017-21)",
              "fagov_sector"),
    ColumnDoc("aid_classification", "The assistance classification file(s) behind the capacity and "
              "governance split", "greenbook_obligations"),
)
ASSISTANCE_DOCS = (*OBLIGATION_DOCS, *INDICATOR_DOCS)


def _fill_within(out: pd.DataFrame, columns: list[str], first: int, last: int) -> None:
    """Zero, not missing, for ``columns`` in the Greenbook's years ``first``..``last`` (a complete list)."""
    covered = (out["year"] >= first) & (out["year"] <= last)
    for column in columns:
        out.loc[covered, column] = out.loc[covered, column].fillna(0.0)


def add_assistance(
    panel: pd.DataFrame,
    data: DataSource,
    classification: assistance.Classification | None = None,
    base_year: int = 2012,
    sector_gaps: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """U.S. assistance: ForeignAssistance.gov totals by transaction type, and Greenbook obligations split
    into capacity, governance and other categories by the assistance classification.

    Also the capacity-versus-governance indicators of :func:`coupwatch.core.assistance.indicators` (military aid
    per soldier and relative to military and government spending, the change in the military burden since
    ``base_year``, U.S. security aid relative to revenue, DRG and peace-and-security shares of all U.S. aid).
    ``sector_gaps`` (ISO3 -> note, see ``assistance.sector_gaps``) flags countries whose sector rows are partial.
    """
    panel_unit(panel)
    fagov = mapped(data.table("us_aid_country"))
    fagov = fagov[~fagov["transition_quarter"].astype(bool)]
    totals = state_year_wide(fagov, "transaction_type_name", "current_amount", FAGOV_TYPES, aggfunc="sum")
    out = add_yearly(panel, totals)

    rules = classification if classification is not None else assistance.load_classification()
    greenbook = mapped(data.table("greenbook_obligations"))
    greenbook = greenbook[~greenbook["transition_quarter"].astype(bool)]
    greenbook = greenbook.rename(columns={"fiscal_year": "year"})
    # Recipient rules of the classification are keyed by ISO3.
    greenbook["iso3"] = greenbook["gwcode"].map(data.states.countries.drop_duplicates("gwcode").set_index(
        "gwcode")["iso3"])
    by_kind = greenbook.pivot_table(
        index=["gwcode", "year"], columns="assistance_category", values="obligations_current_usd", aggfunc="sum"
    ).rename(columns={"Military": "gb_military_usd", "Economic": "gb_economic_usd"})
    imet = greenbook[greenbook["publication_row"] == IMET_ROW]
    by_kind["gb_imet_usd"] = imet.groupby(["gwcode", "year"])["obligations_current_usd"].sum()
    split = assistance.classify(greenbook, "greenbook", "publication_row", "obligations_current_usd", rules,
                                "iso3", "year")
    by_category = split.pivot_table(
        index=["gwcode", "year"], columns="category", values="amount_classified", aggfunc="sum"
    ).rename(columns=ASSISTANCE_CATEGORY_COLUMNS)
    values = by_kind.join(by_category, how="outer").reset_index()
    values.columns.name = None
    for column in ASSISTANCE_CATEGORY_COLUMNS.values():
        if column not in values:
            values[column] = 0.0
    values = values.fillna({c: 0.0 for c in values.columns if c.endswith("_usd")})
    security = values["aid_security_capacity_usd"] + values["aid_security_governance_usd"]
    values["aid_governance_share"] = (values["aid_security_governance_usd"] / security).where(security > 0)
    out = add_yearly(out, values.astype({"gwcode": "int64", "year": "int64"}))
    gb_columns = [c for c in values.columns if c not in ("gwcode", "year", "aid_governance_share")]
    _fill_within(out, gb_columns, int(greenbook["year"].min()), int(greenbook["year"].max()))
    out = _add_indicators(out, data, rules, greenbook, values, base_year, sector_gaps)
    out.attrs["assistance_classification"] = rules.describe()
    return out


def _add_indicators(
    out: pd.DataFrame,
    data: DataSource,
    rules: assistance.Classification,
    greenbook: pd.DataFrame,
    greenbook_values: pd.DataFrame,
    base_year: int,
    sector_gaps: Mapping[str, str] | None,
) -> pd.DataFrame:
    """Constant-dollar Greenbook columns and the indicators of ``assistance.indicators``."""
    keys = ["gwcode", "year"]
    constant = assistance.classify(greenbook, "greenbook", "publication_row", "obligations_constant2020_usd", rules,
                                   "iso3", "year")
    constant = constant[constant["category"].isin(assistance.SECURITY_CATEGORIES)].pivot_table(
        index=keys, columns="category", values="amount_classified", aggfunc="sum"
    ).rename(columns={c: f"aid_{c}_const2020_usd" for c in assistance.SECURITY_CATEGORIES})
    imet = greenbook[greenbook["publication_row"] == IMET_ROW]
    constant["gb_imet_const2020_usd"] = imet.groupby(keys)["obligations_constant2020_usd"].sum()
    constant = constant.reset_index()
    constant.columns.name = None
    constant_columns = ["gb_imet_const2020_usd", *(f"aid_{c}_const2020_usd" for c in assistance.SECURITY_CATEGORIES)]
    for column in constant_columns:
        if column not in constant:
            constant[column] = 0.0
    constant = constant.fillna(dict.fromkeys(constant_columns, 0.0))
    out = add_yearly(out, constant.astype({"gwcode": "int64", "year": "int64"})[[*keys, *constant_columns]])
    gb_first, gb_last = int(greenbook["year"].min()), int(greenbook["year"].max())
    _fill_within(out, constant_columns, gb_first, gb_last)

    # The indicators need SIPRI, WDI and WEO values and the base year's burden: taken from the panel when it
    # is a country-year panel that already has them and the base year, else added to a working panel.
    first = min(int(out["year"].min()), base_year)
    last = max(int(out["year"].max()), base_year)
    inputs = [c for c, adder in assistance.INDICATOR_INPUTS.items() if adder != "add_assistance"]
    if (panel_unit(out) == UNIT_YEAR and set(inputs) <= set(out.columns) and first == int(out["year"].min())
            and last == int(out["year"].max())):
        working = out[[*keys, *inputs]].copy()
    else:
        working = add_economy(add_milex(country_years(first, last, data), data), data)
    gb = greenbook_values.astype({"gwcode": "int64", "year": "int64"})
    gb_inputs = ["gb_military_usd", "aid_security_capacity_usd", "aid_security_governance_usd",
                 "aid_peace_operation_support_usd"]
    working = merge_columns(working, gb[[*keys, *gb_inputs]], keys)
    gb_years = (working["year"] >= gb_first) & (working["year"] <= gb_last)
    for column in gb_inputs:
        working[column] = working[column].astype("float64")
        working.loc[gb_years, column] = working.loc[gb_years, column].fillna(0.0)
    values = assistance.indicators(
        working,
        rules,
        base_year=base_year,
        sector=data.table("fagov_sector"),
        country_totals=data.table("us_aid_country"),
        snapshot=data.table("fagov_sector_2014"),
        sector_gaps=sector_gaps,
    )
    out = add_yearly(out, values)
    out.attrs["assistance_base_year"] = base_year
    return out
