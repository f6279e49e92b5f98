"""Check quantitative claims against the warehouse: our figure, the source and version, a verdict, and why.

Claims are data (``coupwatch/data/claims.toml``; users add their own files of the same shape). Each claim
has a ``kind`` that says how it is checked; :func:`evaluate_claims` is pure: it takes the claims and an
:class:`Evidence` bundle of frames and returns one row per claim. Verdicts are ``supported``,
``contradicted``, ``partly`` or ``not checkable with the data at hand`` (then ``would_settle`` names the
data that would settle it). Explanations are written from the computed numbers, never stored.
"""

from __future__ import annotations

import math
import tomllib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any, SupportsFloat, cast

import pandas as pd

from coupwatch.core import assistance, security_support
from coupwatch.errors import CoupwatchError

SUPPORTED = "supported"
CONTRADICTED = "contradicted"
PARTLY = "partly"
NOT_CHECKABLE = "not checkable with the data at hand"
VERDICTS = (SUPPORTED, CONTRADICTED, PARTLY, NOT_CHECKABLE)

PACKAGED_NAME = "claims.toml"
DEPENDENCE_TOLERANCE_PP = 5.0
SPENT_TYPES = ("Obligations", "Disbursements")
TYPE_COLUMNS = {
    "Obligations": "us_aid_obligations_usd",
    "Disbursements": "us_aid_disbursements_usd",
    "Appropriated and Planned": "us_aid_appropriated_usd",
    "President's Budget Requests": "us_aid_request_usd",
}
TYPE_WORDS = {
    "Obligations": "obligations (money committed)",
    "Disbursements": "disbursements (money paid out)",
    "Appropriated and Planned": "appropriated and planned amount (a plan)",
    "President's Budget Requests": "President's Budget Request (a request to Congress, not money received)",
}
SHARE_WORDS = {
    "drg_share_us_aid": "democracy, human rights and governance (DRG category)",
    "ps_share_us_aid": "the whole Peace and Security category",
    "ps_non_security_share_us_aid": "peace and security money the classification puts outside aid to security "
    "forces (conflict mitigation and the like)",
}
# Which warehouse tables each kind reads (panel columns add their own table).
KIND_TABLES = {
    "ratio": (),
    "amount": ("us_aid_country",),
    "share": ("fagov_sector", "us_aid_country"),
    "dependence": ("greenbook_obligations", "weo"),
    "trend": (),
    "imbalance": ("greenbook_obligations",),
}
KIND_KEYS: dict[str, tuple[str, ...]] = {
    "ratio": ("column", "from_year", "to_year", "at_least"),
    "amount": ("year", "amount_usd", "tolerance", "received_types"),
    "share": ("measure", "year", "percent", "tolerance_pp"),
    "dependence": ("year", "percent", "would_settle"),
    "trend": ("column", "from_year", "to_year"),
    "imbalance": ("countries", "from_year", "to_year", "max_governance_share"),
}
COMMON_KEYS = ("id", "country", "quote", "kind")
OUTPUT_COLUMNS = ["id", "country", "quote", "wording", "our_figure", "verdict", "explanation", "sources",
                  "would_settle", "classification"]


class ClaimsError(CoupwatchError):
    """A claims file is invalid."""


@dataclass(frozen=True)
class Claim:
    """One claim: who said what about which country, and how to check it (``params``, by ``kind``)."""

    id: str
    country: str
    quote: str
    kind: str
    params: Mapping[str, Any]
    wording: str = "quoted"
    origin: str = ""
    file: str = ""

    def countries(self) -> list[str]:
        extra = self.params.get("countries", [])
        return list(dict.fromkeys([self.country, *extra]))


@dataclass(frozen=True)
class Evidence:
    """The frames claims are checked against.

    ``panel``: country-year rows (iso3, year, columns of add_milex, add_economy, add_conflict and
    add_assistance); ``shares``: :func:`coupwatch.core.assistance.sector_shares` for every transaction type with
    an ``iso3`` column; ``provenance``: table_name, source, version; ``classification``: which assistance
    classification the split used; ``columns``: the panel's column documentation (name, description,
    source, unit), so results name each figure and the table it came from.
    """

    panel: pd.DataFrame
    shares: pd.DataFrame
    provenance: pd.DataFrame
    classification: str
    columns: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(
        columns=["name", "description", "source", "unit"]))
    # coupwatch.core.security_support.dependence per country (iso3 column): foreign security support by component.
    security_support: pd.DataFrame = field(default_factory=lambda: pd.DataFrame(columns=["iso3", "year"]))


# ---------------------------------------------------------------------------------------------------------
# Loading
# ---------------------------------------------------------------------------------------------------------

def packaged_path() -> str:
    return str(resources.files("coupwatch") / "data" / PACKAGED_NAME)


def _fail(file: str, problem: str, *, claim: str | None = None, key: str | None = None, value: object = None,
          fix: str) -> ClaimsError:
    where = file + (f" claim {claim!r}" if claim else "") + (f", key {key!r}" if key else "")
    got = f", got {value!r}" if value is not None else ""
    return ClaimsError(f"{where}: {problem}{got}. Fix: {fix}")


def parse_claims(text: str, file: str) -> list[Claim]:
    """Claims from TOML text; every problem names the file, the claim, the key and the fix."""
    try:
        document = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(file, f"not valid TOML ({exc})", fix="check the quoting and brackets on that line") from None
    entries = document.get("claims")
    if not isinstance(entries, list) or not entries:
        raise _fail(file, "no [[claims]] tables", fix="write one [[claims]] table per claim (see the packaged "
                    f"{PACKAGED_NAME})")
    claims: list[Claim] = []
    for number, entry in enumerate(entries, start=1):
        label = str(entry.get("id", f"#{number}"))
        for key in COMMON_KEYS:
            if not entry.get(key):
                raise _fail(file, f"missing {key}", claim=label, key=key, fix=f"give every claim a {key}")
        kind = entry["kind"]
        if kind not in KIND_KEYS:
            raise _fail(file, "unknown kind", claim=label, key="kind", value=kind,
                        fix=f"use one of {', '.join(KIND_KEYS)}")
        missing = [k for k in KIND_KEYS[kind] if k not in entry]
        if kind == "share" and not ("basis" in entry or "basis_claim" in entry):
            missing.append("basis or basis_claim")
        if missing:
            raise _fail(file, f"a {kind} claim needs {', '.join(missing)}", claim=label, key=missing[0],
                        fix=f"add {', '.join(missing)} (see the comments at the top of {PACKAGED_NAME})")
        if kind in ("share", "amount") and entry.get("basis") not in (None, *assistance.TRANSACTION_TYPES):
            raise _fail(file, "unknown transaction type", claim=label, key="basis", value=entry.get("basis"),
                        fix=f"use one of {', '.join(assistance.TRANSACTION_TYPES)}")
        params = {k: v for k, v in entry.items() if k not in (*COMMON_KEYS, "wording", "origin")}
        claims.append(Claim(entry["id"], str(entry["country"]).upper(), entry["quote"], kind, params,
                            entry.get("wording", "quoted"), entry.get("origin", ""), file))
    return claims


def load_claims(extra: Iterable[Path] = ()) -> list[Claim]:
    """The packaged claims plus those in ``extra`` files; an id used twice is an error."""
    packaged = resources.files("coupwatch") / "data" / PACKAGED_NAME
    claims = parse_claims(packaged.read_text(encoding="utf-8"), packaged_path())
    for path in extra:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except OSError as exc:
            raise ClaimsError(f"{path}: cannot read the claims file ({exc.strerror}). Fix: pass the path of a "
                              f"TOML file shaped like {packaged_path()}") from None
        claims.extend(parse_claims(text, str(path)))
    seen: dict[str, str] = {}
    for claim in claims:
        if claim.id in seen:
            raise _fail(claim.file, "id already used", claim=claim.id, key="id", value=claim.id,
                        fix=f"give it an id not used in {seen[claim.id]}")
        seen[claim.id] = claim.file
    return claims


def claims_for(claims: Sequence[Claim], country: str | None) -> list[Claim]:
    """Claims about a country (as main country or in a comparison); all claims when country is None."""
    if country is None:
        return list(claims)
    code = country.upper()
    return [c for c in claims if code in c.countries()]


# ---------------------------------------------------------------------------------------------------------
# Formatting
# ---------------------------------------------------------------------------------------------------------

def _usd(value: float) -> str:
    magnitude = abs(value)
    if magnitude >= 1e9:
        return f"${value / 1e9:,.2f} billion"
    if magnitude >= 1e6:
        return f"${value / 1e6:,.1f} million"
    return f"${value:,.0f}"


def _pct(share: float, digits: int = 1) -> str:
    return f"{share * 100:.{digits}f}%"


def _missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA


# ---------------------------------------------------------------------------------------------------------
# Evaluation
# ---------------------------------------------------------------------------------------------------------

@dataclass
class _Result:
    our_figure: str
    verdict: str
    explanation: str
    tables: tuple[str, ...] = ()
    would_settle: str = ""
    uses_classification: bool = False
    matched_type: str | None = None


class _Context:
    def __init__(self, evidence: Evidence) -> None:
        self.evidence = evidence
        self.panel = evidence.panel.set_index(["iso3", "year"]).sort_index()
        self.matched: dict[str, str | None] = {}

    def value(self, country: str, column: str, year: int) -> float:
        if column not in self.panel.columns:
            raise KeyError(f"claims: the evidence panel has no column {column!r}")
        try:
            value = self.panel.loc[(country, year), column]
        except KeyError:
            return math.nan
        # Claims are checked against numeric panel columns, so a present value converts to float.
        return math.nan if _missing(value) else float(cast(SupportsFloat, value))

    def label(self, column: str) -> tuple[str, str]:
        """What a column measures and its unit, from the panel's column documentation."""
        docs = self.evidence.columns
        row = docs[docs["name"] == column]
        if row.empty:
            return column, ""
        return str(row["description"].iloc[0]), str(row["unit"].iloc[0])

    def name(self, country: str) -> str:
        rows = self.evidence.panel.loc[self.evidence.panel["iso3"] == country, "country"]
        return str(rows.iloc[0]) if len(rows) else country

    def share(self, country: str, year: int, transaction_type: str, measure: str) -> tuple[float, pd.Series | None]:
        shares = self.evidence.shares
        rows = shares[(shares["iso3"] == country) & (shares["year"] == year)
                      & (shares["transaction_type"] == transaction_type)]
        if rows.empty:
            return math.nan, None
        row = rows.iloc[0]
        value = row[measure]
        return (math.nan if _missing(value) else float(value)), row


def _ratio(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    column, first, last, at_least = p["column"], int(p["from_year"]), int(p["to_year"]), float(p["at_least"])
    before, after = ctx.value(claim.country, column, first), ctx.value(claim.country, column, last)
    name = ctx.name(claim.country)
    if math.isnan(before) or math.isnan(after) or before == 0:
        return _Result("no value", NOT_CHECKABLE, f"{column} is missing for {name} in {first} or {last}.",
                       would_settle=f"{column} for {name} in {first} and {last}")
    ratio = after / before
    label, unit = ctx.label(column)
    sign = "%" if unit == "percent" else ""
    figure = f"{after:.2f}{sign} in {last} vs {before:.2f}{sign} in {first} ({ratio:.2f} times)"
    if ratio >= at_least:
        verdict, how = SUPPORTED, f"at least the {at_least:g} times the claim needs"
    elif ratio >= 0.9 * at_least:
        verdict, how = PARTLY, f"close to, but short of, the {at_least:g} times the claim needs"
    else:
        verdict, how = CONTRADICTED, f"well short of the {at_least:g} times the claim needs"
    return _Result(figure, verdict, f"{name}, {label}: {before:.2f}{sign} in {first} and {after:.2f}{sign} in "
                   f"{last}, {ratio:.2f} times as high: {how}.")


def _amount(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    year, claimed, tolerance = int(p["year"]), float(p["amount_usd"]), float(p["tolerance"])
    received = tuple(p["received_types"])
    amounts = {t: ctx.value(claim.country, column, year) for t, column in TYPE_COLUMNS.items()}
    amounts = {t: v for t, v in amounts.items() if not math.isnan(v)}
    name = ctx.name(claim.country)
    if not amounts:
        return _Result("no value", NOT_CHECKABLE, f"ForeignAssistance.gov has no FY{year} amounts for {name}.",
                       would_settle=f"ForeignAssistance.gov country totals for {name}, FY{year}")
    closest = min(amounts, key=lambda t: abs(amounts[t] - claimed))
    matching = [t for t, v in amounts.items() if abs(v - claimed) <= tolerance * claimed]
    listing = "; ".join(f"{t} {_usd(v)}" for t, v in amounts.items())
    figure = f"{_usd(amounts[closest])} ({closest}, FY{year})"
    got = [t for t in matching if t in received]
    if got:
        verdict = SUPPORTED
        text = f"The {TYPE_WORDS[got[0]]} for FY{year} was {_usd(amounts[got[0]])}, matching {_usd(claimed)}."
    elif matching:
        verdict = PARTLY
        spent = "; ".join(f"{TYPE_WORDS[t]} {_usd(amounts[t])}" for t in received if t in amounts)
        text = (f"The figure matches the FY{year} {TYPE_WORDS[matching[0]]}: {_usd(amounts[matching[0]])}. "
                f"What {name} received was larger: {spent}.")
    else:
        verdict = CONTRADICTED
        text = f"No FY{year} transaction type is within {tolerance:.0%} of {_usd(claimed)}."
    return _Result(figure, verdict, f"{text} All FY{year} types: {listing}.",
                   matched_type=matching[0] if matching else None)


def _share(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    year, claimed, tolerance = int(p["year"]), float(p["percent"]), float(p["tolerance_pp"])
    measure, alternative = str(p["measure"]), p.get("alternative")
    basis = p.get("basis")
    name = ctx.name(claim.country)
    basis_note = ""
    if "basis_claim" in p:
        basis = ctx.matched.get(str(p["basis_claim"]))
        if basis is None:
            basis = p.get("basis", assistance.DEFAULT_TRANSACTION_TYPE)
            basis_note = f" (claim {p['basis_claim']!r} matched no transaction type, so {basis} is used)"
        else:
            basis_note = f" (the type that claim {p['basis_claim']!r} matched)"
    assert isinstance(basis, str)
    value, row = ctx.share(claim.country, year, basis, measure)
    tables = KIND_TABLES["share"]
    if row is None or math.isnan(value):
        return _Result("no value", NOT_CHECKABLE,
                       f"The ForeignAssistance.gov sector table has no FY{year} {basis} rows for {name}.", tables,
                       would_settle=f"ForeignAssistance.gov us_foreign_aid_usg_sector.csv rows for {name}, FY{year}, "
                       f"{basis}", uses_classification=True)
    amount_column = {"drg_share_us_aid": "drg_usd", "ps_share_us_aid": "ps_usd",
                     "ps_non_security_share_us_aid": "ps_non_security_usd"}[measure]
    figure = f"{_pct(value)} of the FY{year} {basis} ({_usd(row[amount_column])} of {_usd(row['total_usd'])})"
    if not _missing(row.get("partial")):
        return _Result(figure, NOT_CHECKABLE, f"{name}'s sector rows are incomplete: {row['partial']}.", tables,
                       would_settle=f"the complete ForeignAssistance.gov sector file for {name}",
                       uses_classification=True)
    close = abs(value * 100 - claimed) <= tolerance
    others = {t: ctx.share(claim.country, year, t, measure)[0] for t in SPENT_TYPES if t != basis}
    others = {t: v for t, v in others.items() if not math.isnan(v)}
    listing = "; ".join(f"{t} {_pct(v)}" for t, v in others.items())
    what = SHARE_WORDS.get(measure, measure)
    text = f"{_pct(value)} of the FY{year} {basis}{basis_note} went to {what}; the claim says {claimed:g}%."
    if close and others and all(abs(v * 100 - claimed) <= tolerance for v in others.values()):
        verdict = SUPPORTED
        text += f" Spending shows the same: {listing}."
    elif close and others:
        verdict = PARTLY
        text += f" True of the {basis}, but not of what was committed and spent: {listing}."
    elif close:
        verdict = SUPPORTED
    else:
        alt_value = ctx.share(claim.country, year, basis, str(alternative))[0] if alternative else math.nan
        if not math.isnan(alt_value) and abs(alt_value * 100 - claimed) <= tolerance:
            verdict = PARTLY
            text += (f" {claimed:g}% matches {SHARE_WORDS.get(str(alternative), alternative)} "
                     f"({_pct(alt_value)}), not the narrower measure. Spending: {listing or 'no rows'}.")
        else:
            verdict = CONTRADICTED
            text += f" Spending: {listing or 'no rows'}."
    return _Result(figure, verdict, text, tables, uses_classification=measure == "ps_non_security_share_us_aid")


def _dependence(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    year, claimed = int(p["year"]), float(p["percent"])
    tolerance = float(p.get("tolerance_pp", DEPENDENCE_TOLERANCE_PP))
    name = ctx.name(claim.country)
    support = ctx.evidence.security_support
    rows = support[support["iso3"] == claim.country].set_index("year") if len(support) else support
    complete = rows.dropna(subset=["pct_of_revenue_with_grants"]) if len(rows) else rows
    tables = (*KIND_TABLES["dependence"], *(c.source for c in security_support.COMPONENTS.values()), "gmd_govrev")
    if year not in complete.index:
        missing = str(rows.at[year, "missing_components"]) if year in rows.index else "all"
        other_years = ", ".join(str(y) for y in complete.index)
        return _Result(
            "no value", NOT_CHECKABLE,
            f"Foreign security support for {name} in {year} lacks components ({missing}) or revenue is missing"
            + (f"; complete years: {other_years}." if other_years else "."),
            tables, would_settle=str(p["would_settle"]).strip(), uses_classification=True)
    records: dict[Any, dict[Any, Any]] = complete.to_dict("index")
    row = records[year]
    parts = "; ".join(
        f"{c.label} {_usd(float(row[f'{key}_usd_m']) * 1e6)} ({c.source})"
        for key, c in security_support.COMPONENTS.items())
    with_grants, without = float(row["pct_of_revenue_with_grants"]), float(row["pct_of_revenue_without_grants"])
    total = _usd(float(row["total_usd_m"]) * 1e6)
    figure = (f"{total} in {year} = {with_grants:.1f}% of revenue incl. grants ("
              f"{_usd(float(row['revenue_with_grants_usd_m']) * 1e6)}), "
              + (f"{without:.1f}% excl. grants ({_usd(float(row['revenue_without_grants_usd_m']) * 1e6)})"
                 if not math.isnan(without) else "no revenue excl. grants"))
    close = {basis: not math.isnan(v) and abs(v - claimed) <= tolerance
             for basis, v in (("including grants", with_grants), ("excluding grants", without))}
    if all(close.values()):
        verdict, how = SUPPORTED, f"within {tolerance:g} points of {claimed:g}% on both revenue measures"
    elif any(close.values()):
        held = next(b for b, ok in close.items() if ok)
        off = next(b for b, ok in close.items() if not ok)
        verdict, how = PARTLY, (f"within {tolerance:g} points of {claimed:g}% only against revenue {held}; "
                                f"against revenue {off} it is further off")
    else:
        verdict, how = CONTRADICTED, f"more than {tolerance:g} points from {claimed:g}% on both revenue measures"
    estimates = str(row["estimated_components"]) or "none"
    others = "; ".join(
        f"{int(y)}: {float(r['pct_of_revenue_with_grants']):.1f}% incl. grants"
        + (f", {float(r['pct_of_revenue_without_grants']):.1f}% excl." if not
           math.isnan(float(r["pct_of_revenue_without_grants"])) else "")
        for y, r in records.items() if int(y) != year)
    return _Result(
        figure, verdict,
        f"{name} {year}, foreign security support by component: {parts}. Total {total}: {how}. Estimates: "
        f"{estimates} (the Barkhane figure is a press estimate for the whole Sahel operation, so it overstates "
        f"Mali's part; EU budgets are spread over their mandates by days). Arms deliveries are not counted: SIPRI "
        f"values them in TIV, not dollars. Other complete years: {others or 'none'}.",
        tables, would_settle=str(p["would_settle"]).strip(), uses_classification=True)


def _trend(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    column, first, last = p["column"], int(p["from_year"]), int(p["to_year"])
    name = ctx.name(claim.country)
    years = list(range(first, last + 1))
    values = {y: ctx.value(claim.country, column, y) for y in years}
    if any(math.isnan(v) for v in values.values()):
        gaps = [y for y, v in values.items() if math.isnan(v)]
        return _Result("no value", NOT_CHECKABLE, f"{column} is missing for {name} in {gaps}.",
                       would_settle=f"{column} for {name} in {gaps}")
    half = len(years) // 2
    early, late = years[:half], years[-half:]
    early_sum, late_sum = sum(values[y] for y in early), sum(values[y] for y in late)
    series = ", ".join(f"{y} {values[y]:.0f}" for y in years)
    figure = f"{late_sum:.0f} in {late[0]}-{late[-1]} vs {early_sum:.0f} in {early[0]}-{early[-1]}"
    grew_total = late_sum > early_sum
    grew_ends = values[last] > values[first]
    if grew_total and grew_ends:
        verdict, how = SUPPORTED, "higher in the later years and at the end than at the start"
    elif grew_total or grew_ends:
        verdict, how = PARTLY, "mixed: " + ("the later years are higher" if grew_total else
                                              f"{last} is higher than {first}, but the later years are not")
    else:
        verdict, how = CONTRADICTED, "not higher in the later years"
    zero_years = [y for y in years if values[y] == 0]
    caveat = f" Years with none recorded: {', '.join(map(str, zero_years))}." if zero_years else ""
    label, _ = ctx.label(column)
    return _Result(figure, verdict, f"{name}, {label}, by year: {series}. {late_sum:.0f} in {late[0]}-{late[-1]} "
                   f"against {early_sum:.0f} in {early[0]}-{early[-1]}: {how}.{caveat}")


def _imbalance(claim: Claim, ctx: _Context) -> _Result:
    p = claim.params
    first, last, ceiling = int(p["from_year"]), int(p["to_year"]), float(p["max_governance_share"])
    parts, shares, missing = [], {}, []
    for country in claim.countries():
        capacity = [ctx.value(country, "aid_security_capacity_usd", y) for y in range(first, last + 1)]
        governance = [ctx.value(country, "aid_security_governance_usd", y) for y in range(first, last + 1)]
        if any(math.isnan(v) for v in capacity + governance):
            missing.append(country)
            continue
        total_capacity, total_governance = sum(capacity), sum(governance)
        security = total_capacity + total_governance
        shares[country] = total_governance / security if security > 0 else math.nan
        parts.append(f"{ctx.name(country)} {_usd(total_capacity)} capacity vs {_usd(total_governance)} governance "
                     f"({_pct(shares[country])})")
    tables = KIND_TABLES["imbalance"]
    if missing:
        return _Result("no value", NOT_CHECKABLE, f"Greenbook values are missing for {missing} in {first}-{last}.",
                       tables, would_settle=f"Greenbook obligations for {missing}, FY{first}-{last}",
                       uses_classification=True)
    figure = "governance share of U.S. security aid: " + ", ".join(f"{c} {_pct(s)}" for c, s in shares.items())
    below = [c for c, s in shares.items() if s <= ceiling]
    if len(below) == len(shares):
        verdict, how = SUPPORTED, f"all at or below {ceiling:.0%}: every country got training and equipment, " \
            "almost no governance"
    elif below:
        verdict, how = PARTLY, f"only {', '.join(below)} at or below {ceiling:.0%}"
    else:
        verdict, how = CONTRADICTED, f"none at or below {ceiling:.0%}"
    return _Result(figure, verdict, f"U.S. security-related aid (Greenbook obligations, FY{first}-{last}): "
                   f"{'; '.join(parts)}: {how}.", tables, uses_classification=True)


CHECKS: dict[str, Callable[[Claim, _Context], _Result]] = {
    "ratio": _ratio,
    "amount": _amount,
    "share": _share,
    "dependence": _dependence,
    "trend": _trend,
    "imbalance": _imbalance,
}


def _sources(tables: Iterable[str], provenance: pd.DataFrame) -> str:
    rows = provenance.drop_duplicates("table_name").set_index("table_name")
    described = []
    for table in dict.fromkeys(tables):
        if table in rows.index:
            described.append(f"{rows.loc[table, 'source']!s} {rows.loc[table, 'version']!s} ({table})")
        else:
            described.append(f"{table} (not in the provenance table)")
    return "; ".join(described)


def evaluate_claims(claims: Sequence[Claim], evidence: Evidence) -> pd.DataFrame:
    """One row per claim: id, country, quote, wording, our_figure, verdict, explanation, sources (source and
    version of every table used), would_settle and classification (when the check used it)."""
    ctx = _Context(evidence)
    order = sorted(range(len(claims)), key=lambda i: "basis_claim" in claims[i].params)
    rows: dict[int, dict[str, object]] = {}
    for index in order:
        claim = claims[index]
        result = CHECKS[claim.kind](claim, ctx)
        ctx.matched[claim.id] = result.matched_type
        tables = [*KIND_TABLES[claim.kind], *result.tables]
        column_sources = evidence.columns.set_index("name")["source"]
        for key in ("column", "measure"):
            column = claim.params.get(key)
            if isinstance(column, str) and column in column_sources.index:
                tables.append(str(column_sources[column]))
        rows[index] = {
            "id": claim.id,
            "country": claim.country,
            "quote": claim.quote,
            "wording": claim.wording,
            "our_figure": result.our_figure,
            "verdict": result.verdict,
            "explanation": result.explanation,
            "sources": _sources(tables, evidence.provenance),
            "would_settle": result.would_settle,
            "classification": evidence.classification if result.uses_classification else "",
        }
    return pd.DataFrame([rows[i] for i in range(len(claims))], columns=OUTPUT_COLUMNS)


def gather_evidence(
    data: Any,
    countries: Iterable[str],
    provenance: pd.DataFrame,
    classification: assistance.Classification | None = None,
    sector_gaps: Mapping[str, str] | None = None,
    first_year: int = 1989,
    last_year: int = 2024,
) -> Evidence:
    """The evidence for claims about ``countries`` from a panel data source (warehouse or frames in memory)."""
    from coupwatch.core import panel as pn

    rules = classification or assistance.load_classification()
    states = data.states
    codes = {states.lookup(c) for c in countries}
    frame = pn.country_years(first_year, last_year, data)
    frame = frame[frame["gwcode"].isin(codes)].reset_index(drop=True)
    for adder in (pn.add_milex, pn.add_economy, pn.add_conflict):
        frame = adder(frame, data)
    frame = pn.add_assistance(frame, data, rules, sector_gaps=sector_gaps)
    sector, totals = data.table("fagov_sector"), data.table("us_aid_country")
    shares = pd.concat(
        [assistance.sector_shares(sector, totals, rules, t, sector_gaps) for t in assistance.TRANSACTION_TYPES],
        ignore_index=True,
    )
    iso3 = states.countries.drop_duplicates("gwcode").set_index("gwcode")["iso3"]
    shares["iso3"] = shares["gwcode"].map(iso3)
    support: pd.DataFrame = pd.concat(
        [security_support.for_country(data, int(code), frame[frame["gwcode"] == code], first_year, last_year)
         .assign(iso3=str(iso3[code])) for code in frame["gwcode"].unique().tolist()],
        ignore_index=True,
    )
    return Evidence(frame, shares, provenance, rules.describe(), pn.describe_columns(), support)


def provenance_from_specs() -> pd.DataFrame:
    """table_name, source and version of every table as the adapters declare them (no warehouse needed)."""
    from coupwatch.sources import all_tables

    return pd.DataFrame([{"table_name": t.name, "source": t.source.name, "version": t.source.version}
                         for t in all_tables()])
