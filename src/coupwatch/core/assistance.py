"""Security capacity versus governance: classify U.S. assistance lines and split amounts over categories.

The classification is data, not code: ``coupwatch/data/assistance_classification.csv`` has one row per
(source, line, category) with the share of that line's money the category gets and the reason. A line the
publisher mixes (INCLE, NADR, the SSR sector ...) carries several rows whose shares sum to 1. A row may name
a ``recipient`` (ISO3) and ``from_year``-``to_year``: it then classifies that line for that country and those
years only, by who really receives the money (e.g. a peacekeeping obligation booked to the host country that
pays for other states' troops deployed there), and the general rows of the line apply everywhere else. Users can
replace any line's split with their own file; results record which file each split came from, so a number
can always be traced to the assumption behind it.

Pure core: frames in, frames out. The only file read is the packaged table (and an override file if given).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from io import StringIO
from pathlib import Path
from typing import cast

import pandas as pd

from coupwatch.errors import CoupwatchError

CATEGORIES = (
    "security_capacity",
    "security_governance",
    "democracy_governance",
    "conflict_mitigation",
    "other_development",
    "humanitarian",
    # Money for a peace operation's or other states' troops deployed in the country, not the host's forces.
    "peace_operation_support",
)
COLUMNS = ("source", "line", "category", "share", "reason")
# Optional: a row naming a recipient (ISO3) and years applies to that country and those years only.
SCOPE_COLUMNS = ("recipient", "from_year", "to_year")
_GROUP = ["source", "line", *SCOPE_COLUMNS]
PACKAGED_NAME = "assistance_classification.csv"
_TOLERANCE = 1e-9


class ClassificationError(CoupwatchError):
    """The classification file is invalid, or data hold a line the classification does not know."""


@dataclass(frozen=True, eq=False)
class Classification:
    """The classification table and the file(s) it came from.

    ``table`` has the columns source, line, category, share, reason and ``file`` (the file each row came
    from); ``files`` lists the packaged file first, then the override if any; ``overridden`` the
    (source, line) groups the override replaced or added.
    """

    table: pd.DataFrame
    files: tuple[str, ...]
    overridden: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        text = "assistance classification: " + " + override ".join(self.files)
        if self.overridden:
            text += f" ({len(self.overridden)} line(s) overridden)"
        return text


def _packaged() -> Traversable:
    return resources.files("coupwatch") / "data" / PACKAGED_NAME


def packaged_path() -> str:
    """Where the packaged classification lives (for messages: this is the file to edit or override)."""
    return str(_packaged())


def _fail(file: str, problem: str, *, row: int | None = None, column: str | None = None,
          value: object = None, fix: str) -> ClassificationError:
    where = file + (f" row {row}" if row is not None else "") + (f", column {column!r}" if column else "")
    got = f", got {value!r}" if value is not None else ""
    return ClassificationError(f"{where}: {problem}{got}. Fix: {fix}")


def _read_table(text: str, file: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _fail(file, f"not a readable CSV ({exc})",
                    fix=f"write a CSV with the header {','.join(COLUMNS)}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise _fail(file, f"missing column(s) {', '.join(map(repr, missing))}", value=list(frame.columns),
                    fix=f"use the header {','.join(COLUMNS)}")
    for column in SCOPE_COLUMNS:
        if column not in frame.columns:
            frame[column] = ""
    frame = frame[[*COLUMNS, *SCOPE_COLUMNS]].fillna("").apply(lambda column: column.str.strip())
    # Line numbers as a person sees them in the file (header = 1).
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="file_row")
    return _validate(frame, file)


def _validate(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    for label, values in frame.iterrows():
        row = cast(int, label)  # _read_table indexes the rows by their line number in the file
        for column in ("source", "line", "reason"):
            if not values[column]:
                raise _fail(file, f"empty {column}", row=int(row), column=column, value=values[column],
                            fix=f"give every row a {column}" + (": say why the line belongs to the category"
                                                               if column == "reason" else ""))
        if values["category"] not in CATEGORIES:
            raise _fail(file, "unknown category", row=int(row), column="category", value=values["category"],
                        fix=f"use one of {', '.join(CATEGORIES)}")
        try:
            share = float(values["share"])
        except ValueError:
            share = math.nan
        if not (0 < share <= 1):
            raise _fail(file, "share must be a number in (0, 1]", row=int(row), column="share",
                        value=values["share"], fix="give the fraction of the line's money in this category")
        scoped = [values[c] != "" for c in SCOPE_COLUMNS]
        if any(scoped) and not all(scoped):
            raise _fail(file, "a recipient rule needs recipient, from_year and to_year", row=int(row),
                        column="recipient", value=values["recipient"],
                        fix="fill all three (e.g. MLI,2012,2012) or leave all three empty")
        if all(scoped):
            if not (len(values["recipient"]) == 3 and values["recipient"].isalpha() and values["recipient"].isupper()):
                raise _fail(file, "recipient must be an ISO3 code", row=int(row), column="recipient",
                            value=values["recipient"], fix="write the country's ISO3 code in capitals, e.g. MLI")
            if not (values["from_year"].isdigit() and values["to_year"].isdigit()
                    and int(values["from_year"]) <= int(values["to_year"])):
                raise _fail(file, "from_year and to_year must be years, from_year <= to_year", row=int(row),
                            column="from_year", value=f"{values['from_year']}-{values['to_year']}",
                            fix="write whole years, e.g. 2012 and 2012")
    frame = frame.assign(share=frame["share"].astype(float))
    duplicated = frame.duplicated([*_GROUP, "category"], keep="first")
    if duplicated.any():
        row = int(frame.index[duplicated][0])
        raise _fail(file, "the same (source, line, category) appears twice", row=row, column="category",
                    value=frame.loc[row, "category"], fix="merge the two rows into one share")
    sums = frame.groupby(_GROUP, sort=False)["share"].sum()
    wrong = sums[(sums - 1).abs() > _TOLERANCE]
    if len(wrong):
        source, line, recipient, first, last = wrong.index[0]
        rows = frame.index[(frame["source"] == source) & (frame["line"] == line) & (frame["recipient"] == recipient)
                           & (frame["from_year"] == first) & (frame["to_year"] == last)]
        raise _fail(file, f"shares of ({source!r}, {line!r}) on rows {', '.join(map(str, rows))} sum to "
                    f"{wrong.iloc[0]:.6g}, not 1", row=int(rows[0]), column="share", value=float(wrong.iloc[0]),
                    fix="make the shares of each line sum to 1")
    return frame


def load_classification(override: Path | None = None) -> Classification:
    """Load the packaged classification, optionally with a user's file replacing whole lines.

    Every (source, line) present in ``override`` replaces all packaged rows of that line (so a split
    can be changed or collapsed); lines only in the override are added.
    """
    packaged_name = packaged_path()
    text = _packaged().read_text(encoding="utf-8")
    table = _read_table(text, packaged_name).assign(file=packaged_name)
    if override is None:
        return Classification(table.reset_index(drop=True), (packaged_name,))
    override = Path(override)
    try:
        override_text = override.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ClassificationError(
            f"{override}: cannot read the classification override ({exc.strerror}). Fix: pass the path of a "
            f"CSV with the header {','.join(COLUMNS)}"
        ) from None
    replacement = _read_table(override_text, str(override)).assign(file=str(override))
    groups = list(dict.fromkeys(zip(replacement["source"], replacement["line"], strict=True)))
    replaced = pd.MultiIndex.from_frame(table[["source", "line"]]).isin(groups)
    merged = pd.concat([table[~replaced], replacement], ignore_index=True)
    return Classification(merged, (packaged_name, str(override)), tuple(groups))


def classify(
    frame: pd.DataFrame,
    source: str,
    line_column: str,
    amount_column: str,
    classification: Classification,
    recipient_column: str | None = None,
    year_column: str | None = None,
) -> pd.DataFrame:
    """Split each row's amount over the categories of its line.

    With ``recipient_column`` (ISO3) and ``year_column``, rows of a recipient and year that the
    classification names take that recipient rule instead of the line's general rows.

    Returns one row per input row and category: the input columns (index kept, so ``source_row`` still
    points at the publisher's file) plus ``category``, ``share``, ``amount_classified`` (= amount x share)
    and ``classification_file`` (the file that gave the split). Amounts of every input row are conserved.

    Raises
    ------
    ClassificationError
        When a line of ``frame`` is not in the classification for ``source``, naming the line and the file
        to add it to.
    """
    for column in (line_column, amount_column):
        if column not in frame.columns:
            raise KeyError(f"classify: frame has no column {column!r}; columns: {', '.join(frame.columns)}")
    for column in ("category", "share", "amount_classified", "classification_file"):
        if column in frame.columns:
            raise ValueError(f"classify: frame already has a column {column!r}; rename it first")
    every_rule = classification.table[classification.table["source"] == source]
    rules = every_rule[every_rule["recipient"] == ""]
    scoped = every_rule[every_rule["recipient"] != ""]
    lines = frame[line_column]
    unknown = sorted(set(lines.dropna().astype(str)) - set(rules["line"]))
    if unknown or lines.isna().any():
        shown = ", ".join(repr(u) for u in unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8
                                                          else "")
        if lines.isna().any():
            shown = (shown + ", " if shown else "") + "a missing (empty) line"
        known = "" if len(rules) else f" (the classification has no lines for source {source!r} at all)"
        raise ClassificationError(
            f"source {source!r}, column {line_column!r}: line(s) not in the assistance classification "
            f"{' + '.join(classification.files)}{known}: {shown}. Fix: add a row per category "
            f"(source,line,category,share,reason) for each line to {classification.files[-1]}, or to an "
            "override file passed to load_classification(override=...)"
        )
    index_names = [name if name is not None else "index" for name in frame.index.names]
    flat = frame.reset_index(names=index_names)
    flat["_order"] = range(len(flat))
    split = rules[["line", "category", "share", "file"]].rename(
        columns={"line": line_column, "file": "classification_file"}
    )
    flat[line_column] = flat[line_column].astype(str)
    flat["_rule"] = ""
    if len(scoped) and recipient_column is not None and year_column is not None:
        recipients, years = flat[recipient_column].astype("string"), pd.to_numeric(flat[year_column], errors="coerce")
        scopes = scoped[["line", "recipient", "from_year", "to_year"]].drop_duplicates()
        for line, recipient, first, last in scopes.itertuples(index=False):
            hit = (flat[line_column] == line) & (recipients == recipient) & years.between(int(first), int(last))
            flat.loc[hit, "_rule"] = f"{recipient}:{first}-{last}"
        scoped_split = scoped.assign(_rule=scoped["recipient"] + ":" + scoped["from_year"] + "-" + scoped["to_year"])
        split = pd.concat([split.assign(_rule=""), scoped_split[["line", "category", "share", "file", "_rule"]].rename(
            columns={"line": line_column, "file": "classification_file"})], ignore_index=True)
        merged = flat.merge(split, how="left", on=[line_column, "_rule"], sort=False, validate="many_to_many")
    else:
        merged = flat.merge(split, how="left", on=line_column, sort=False, validate="many_to_many")
    merged = merged.drop(columns="_rule")
    merged = merged.sort_values("_order", kind="stable").drop(columns="_order")
    merged["amount_classified"] = merged[amount_column].astype("float64") * merged["share"]
    merged = merged.set_index(index_names)
    merged.index.names = list(frame.index.names)
    merged.attrs["classification"] = classification.describe()
    return merged


def unused_lines(
    classification: Classification,
    frames_by_source: Mapping[str, pd.Series | Iterable[pd.Series]],
) -> pd.DataFrame:
    """Lines the classification knows but the given data never use, per source given.

    ``frames_by_source`` maps a source to the line values found in its data (one Series, or several for a
    source with several tables). Sources not given are not judged. Returns source, line, categories, file.
    """
    rows: list[dict[str, str]] = []
    table = classification.table
    for source, data in frames_by_source.items():
        series = [data] if isinstance(data, pd.Series) else list(data)
        seen = set().union(*(set(s.dropna().astype(str)) for s in series)) if series else set()
        rules = table[table["source"] == source]
        for line, group in rules.groupby("line", sort=True):
            if line not in seen:
                rows.append({
                    "source": source,
                    "line": str(line),
                    "categories": ", ".join(f"{c} {s:g}" for c, s in zip(group["category"], group["share"],
                                                                         strict=True)),
                    "file": ", ".join(dict.fromkeys(group["file"])),
                })
    return pd.DataFrame(rows, columns=["source", "line", "categories", "file"])


# ---------------------------------------------------------------------------------------------------------
# Indicators per country-year
# ---------------------------------------------------------------------------------------------------------

SECURITY_CATEGORIES = ("security_capacity", "security_governance")
PEACE_AND_SECURITY = "Peace and Security"
DEMOCRACY_RIGHTS_GOVERNANCE = "Democracy, Human Rights, and Governance"
TRANSACTION_TYPES = ("Obligations", "Disbursements", "Appropriated and Planned", "President's Budget Requests")
DEFAULT_BASE_YEAR = 2012
DEFAULT_TRANSACTION_TYPE = "Obligations"

# Panel columns the indicators are computed from, and the adder that provides each.
INDICATOR_INPUTS: dict[str, str] = {
    "milex_gdp": "add_milex",
    "milex_current_usd_m": "add_milex",
    "govt_spending_usd_m": "add_milex",
    "armed_forces": "add_milex",
    "revenue_usd_bn": "add_economy",
    "gb_military_usd": "add_assistance",
    "aid_security_capacity_usd": "add_assistance",
    "aid_security_governance_usd": "add_assistance",
}
# Optional input: Greenbook obligations classified as support to a peace operation deployed in the country.
PEACE_SUPPORT_INPUT = "aid_peace_operation_support_usd"

SHARE_COLUMNS = ("drg_share_us_aid", "ps_share_us_aid", "ps_non_security_share_us_aid")


def _mapped_rows(frame: pd.DataFrame) -> pd.DataFrame:
    rows = frame[frame["gw_match"] == "mapped"] if "gw_match" in frame.columns else frame
    return rows.dropna(subset=["gwcode"])


def aid_totals(country_totals: pd.DataFrame, transaction_type: str) -> pd.Series:
    """All U.S. aid of one transaction type per (gwcode, year) from the ForeignAssistance.gov country summary.

    The 1976 transition quarter is left out, as in the panel.
    """
    _check_transaction_type(transaction_type)
    rows = _mapped_rows(country_totals)
    if "transition_quarter" in rows.columns:
        rows = rows[~rows["transition_quarter"].astype(bool)]
    rows = rows[rows["transaction_type_name"] == transaction_type]
    keys = rows[["gwcode", "year"]].astype("int64")
    return rows["current_amount"].groupby([keys["gwcode"], keys["year"]]).sum().rename("total_usd")


def _check_transaction_type(transaction_type: str) -> None:
    if transaction_type not in TRANSACTION_TYPES:
        raise ValueError(
            f"transaction type {transaction_type!r} is not one of ForeignAssistance.gov's: "
            f"{', '.join(TRANSACTION_TYPES)}"
        )


def sector_shares(
    sector: pd.DataFrame,
    country_totals: pd.DataFrame,
    classification: Classification,
    transaction_type: str = DEFAULT_TRANSACTION_TYPE,
    gaps: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Democracy/rights/governance and peace-and-security money as shares of all U.S. aid, per country-year.

    ``sector`` is the ForeignAssistance.gov sector table (``fagov_sector``), ``country_totals`` the country
    summary (``us_aid_country``); both of one transaction type. The DRG and P&S amounts are the publisher's
    own US categories; the non-security part of P&S is the P&S money the classification puts outside
    security capacity and security governance (e.g. conflict mitigation and reconciliation). A country-year
    appears only if the sector table has at least one row for it in that transaction type. ``gaps`` maps
    ISO3 codes whose rows are known to be incomplete to a note (see :func:`sector_gaps`).

    Returns gwcode, year, transaction_type, drg_usd, ps_usd, ps_non_security_usd, total_usd, the three
    shares (0-1) ``drg_share_us_aid``, ``ps_share_us_aid``, ``ps_non_security_share_us_aid`` and ``partial``
    (the gap note, or missing).
    """
    _check_transaction_type(transaction_type)
    rows = _mapped_rows(sector)
    rows = rows[rows["transaction_type_name"] == transaction_type].assign(
        gwcode=lambda f: f["gwcode"].astype("int64"), year=lambda f: f["fiscal_year"].astype("int64")
    )
    columns = ["gwcode", "year", "transaction_type", "drg_usd", "ps_usd", "ps_non_security_usd", "total_usd",
               *SHARE_COLUMNS, "partial"]
    if rows.empty:
        return pd.DataFrame(columns=columns)
    split = classify(rows, "us_aid_sector", "us_sector_name", "current_amount", classification)
    keys = ["gwcode", "year"]
    by_category = rows.pivot_table(index=keys, columns="us_category_name", values="current_amount", aggfunc="sum")
    values = pd.DataFrame(index=by_category.index)
    values["drg_usd"] = by_category.get(DEMOCRACY_RIGHTS_GOVERNANCE, 0.0)
    values["ps_usd"] = by_category.get(PEACE_AND_SECURITY, 0.0)
    non_security = split[(split["us_category_name"] == PEACE_AND_SECURITY)
                         & ~split["category"].isin(SECURITY_CATEGORIES)]
    values["ps_non_security_usd"] = non_security.groupby(keys)["amount_classified"].sum()
    values = values.fillna(0.0)
    values = values.join(aid_totals(country_totals, transaction_type), how="left")
    total = values["total_usd"].where(values["total_usd"] > 0)
    for share, amount in zip(SHARE_COLUMNS, ("drg_usd", "ps_usd", "ps_non_security_usd"), strict=True):
        values[share] = values[amount] / total
    values["transaction_type"] = transaction_type
    notes = rows.groupby(keys)["country_code"].first().map(dict(gaps or {}))
    values["partial"] = notes.astype("string")
    return values.reset_index()[columns]


def snapshot_shares(snapshot: pd.DataFrame, classification: Classification) -> pd.DataFrame:
    """The same three shares from the 2014 ForeignAssistance.gov snapshot (FY2009-2013).

    The snapshot's transaction type is not stated and only the agencies reporting in 2014 are in it, so each
    share is of the snapshot's own country-year total, not of the country summary.
    """
    rows = _mapped_rows(snapshot).assign(
        gwcode=lambda f: f["gwcode"].astype("int64"), year=lambda f: f["fiscal_year"].astype("int64")
    )
    split = classify(rows, "us_aid_sector", "us_sector", "amount_usd", classification)
    keys = ["gwcode", "year"]
    values = pd.DataFrame({"total_usd": rows.groupby(keys)["amount_usd"].sum()})
    values["drg_usd"] = rows[rows["us_category"] == DEMOCRACY_RIGHTS_GOVERNANCE].groupby(keys)["amount_usd"].sum()
    values["ps_usd"] = rows[rows["us_category"] == PEACE_AND_SECURITY].groupby(keys)["amount_usd"].sum()
    non_security = split[(split["us_category"] == PEACE_AND_SECURITY) & ~split["category"].isin(SECURITY_CATEGORIES)]
    values["ps_non_security_usd"] = non_security.groupby(keys)["amount_classified"].sum()
    values = values.fillna(0.0)
    total = values["total_usd"].where(values["total_usd"] > 0)
    for share, amount in zip(SHARE_COLUMNS, ("drg_usd", "ps_usd", "ps_non_security_usd"), strict=True):
        values[share] = values[amount] / total
    values["transaction_type"] = "not stated (2014 snapshot)"
    values["partial"] = pd.Series(pd.NA, index=values.index, dtype="string")
    return values.reset_index()


def sector_basis(transaction_type: str) -> dict[str, str]:
    """How each sector-share source is described in outputs (source table, transaction type, denominator)."""
    return {
        "fagov_sector": f"fagov_sector {transaction_type} / us_aid_country {transaction_type}",
        "fagov_sector_2014": "fagov_sector_2014 (transaction type not stated) / its own total",
    }


def indicators(
    inputs: pd.DataFrame,
    classification: Classification,
    *,
    base_year: int = DEFAULT_BASE_YEAR,
    sector: pd.DataFrame | None = None,
    country_totals: pd.DataFrame | None = None,
    snapshot: pd.DataFrame | None = None,
    transaction_type: str = DEFAULT_TRANSACTION_TYPE,
    sector_gaps: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    """Capacity-versus-governance indicators per country-year.

    Parameters
    ----------
    inputs
        One row per gwcode-year with the columns of :data:`INDICATOR_INPUTS` (a panel after ``add_milex``,
        ``add_economy`` and the Greenbook part of ``add_assistance``). It must hold the base year's rows for
        the change in the military burden.
    classification
        The assistance classification the Greenbook split used; named in the output.
    base_year
        Year the change in the military burden is measured from.
    sector, country_totals, snapshot
        ForeignAssistance.gov sector table, country summary and 2014 snapshot (any may be None): the DRG
        and peace-and-security shares come from the sector table where it has rows, else the snapshot.
    transaction_type
        Transaction type of the sector shares.
    sector_gaps
        ISO3 -> note for countries whose sector rows are known to be incomplete (:func:`sector_gaps`); their
        ``aid_sector_basis`` says PARTIAL.

    Returns
    -------
    pandas.DataFrame
        gwcode, year and the indicator columns (see ``panel.describe_columns``); ``attrs`` records the
        classification, base year and transaction type.
    """
    missing = [c for c in ("gwcode", "year", *INDICATOR_INPUTS) if c not in inputs.columns]
    if missing:
        needs = sorted({INDICATOR_INPUTS.get(c, "country_years") for c in missing})
        raise KeyError(f"indicators: inputs lack column(s) {missing}; run {', '.join(needs)} on the panel first")
    if inputs.duplicated(["gwcode", "year"]).any():
        raise ValueError("indicators: inputs must have one row per gwcode and year (a country-year panel)")
    frame = inputs[["gwcode", "year", *INDICATOR_INPUTS]].copy()
    for column in INDICATOR_INPUTS:
        frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    out = frame[["gwcode", "year"]].astype("int64")
    capacity, governance = frame["aid_security_capacity_usd"], frame["aid_security_governance_usd"]
    # Military aid to the country's own forces: obligations that pay for a peace operation or other states'
    # troops deployed there (classified peace_operation_support) are not aid to the host's military.
    peace_support = (pd.to_numeric(inputs[PEACE_SUPPORT_INPUT], errors="coerce").astype("float64").fillna(0.0)
                     if PEACE_SUPPORT_INPUT in inputs.columns else 0.0)
    military = frame["gb_military_usd"] - peace_support
    out["us_security_aid_usd"] = capacity + governance
    soldiers = frame["armed_forces"].where(frame["armed_forces"] > 0)
    out["us_milaid_per_soldier_usd"] = military / soldiers
    milex_usd = frame["milex_current_usd_m"].where(frame["milex_current_usd_m"] > 0) * 1e6
    out["us_milaid_milex_pct"] = military / milex_usd * 100
    govt_usd = frame["govt_spending_usd_m"].where(frame["govt_spending_usd_m"] > 0) * 1e6
    out["us_milaid_govt_spending_pct"] = military / govt_usd * 100
    base = frame.loc[frame["year"] == base_year].set_index("gwcode")["milex_gdp"]
    base_value = frame["gwcode"].map(base)
    out["milex_gdp_base"] = base_value
    out["milex_gdp_change_pp"] = frame["milex_gdp"] - base_value
    out["milex_gdp_ratio_base"] = frame["milex_gdp"] / base_value.where(base_value > 0)
    revenue_usd = frame["revenue_usd_bn"].where(frame["revenue_usd_bn"] > 0) * 1e9
    out["us_security_aid_revenue_pct"] = out["us_security_aid_usd"] / revenue_usd * 100

    shares = _shares(classification, sector, country_totals, snapshot, transaction_type, sector_gaps)
    out = out.merge(shares, on=["gwcode", "year"], how="left", validate="one_to_one")
    out["aid_classification"] = classification.describe()
    out.attrs.update({"assistance_classification": classification.describe(), "base_year": base_year,
                      "transaction_type": transaction_type})
    return out


def _shares(
    classification: Classification,
    sector: pd.DataFrame | None,
    country_totals: pd.DataFrame | None,
    snapshot: pd.DataFrame | None,
    transaction_type: str,
    gaps: Mapping[str, str] | None = None,
) -> pd.DataFrame:
    columns = ["gwcode", "year", *SHARE_COLUMNS, "aid_sector_basis"]
    parts: list[pd.DataFrame] = []
    basis = sector_basis(transaction_type)
    if sector is not None:
        if country_totals is None:
            raise ValueError("indicators: the sector shares need country_totals (the us_aid_country table)")
        shares = sector_shares(sector, country_totals, classification, transaction_type, gaps)
        note = shares["partial"].fillna("")
        shares["aid_sector_basis"] = basis["fagov_sector"] + note.where(note == "", " - " + note)
        parts.append(shares)
    if snapshot is not None:
        parts.append(snapshot_shares(snapshot, classification).assign(aid_sector_basis=basis["fagov_sector_2014"]))
    parts = [p[columns] for p in parts if len(p)]
    if not parts:
        return pd.DataFrame({c: pd.Series(dtype="float64" if c in SHARE_COLUMNS else "int64") for c in columns[:-1]}
                            | {"aid_sector_basis": pd.Series(dtype="string")})
    # The official sector table wins where both cover a country-year.
    combined = pd.concat(parts, ignore_index=True).drop_duplicates(["gwcode", "year"], keep="first")
    return combined.astype({"gwcode": "int64", "year": "int64"})


def region_view(frame: pd.DataFrame, columns: Iterable[str], label: str) -> pd.DataFrame:
    """Country rows of a group plus, for every year, the group's median of each numeric column.

    Median rows have ``iso3`` set to ``"median"``, ``country`` to ``"median of <label>"`` and
    ``n_countries`` to the number of the group's states that year; each median is over the countries with a
    value in that column (missing values are skipped, not counted as zero).
    """
    columns = [c for c in columns if c in frame.columns]
    numeric_columns = [c for c in columns if pd.api.types.is_numeric_dtype(frame[c])]
    rows = frame.copy()
    medians = rows.groupby("year")[numeric_columns].median(numeric_only=True)
    countries = rows.groupby("year")["iso3"].nunique()
    medians = medians.assign(
        iso3="median", country=f"median of {label}", n_countries=countries.astype("Int64")
    ).reset_index()
    rows = rows.assign(n_countries=pd.Series(pd.NA, index=rows.index, dtype="Int64"))
    keep = ["year", "iso3", "country", "n_countries", *columns]
    out = pd.concat([rows[[c for c in keep if c in rows.columns]], medians[[c for c in keep if c in medians.columns]]],
                    ignore_index=True)
    out["_median_last"] = out["iso3"].eq("median")
    return out.sort_values(["year", "_median_last", "iso3"], kind="stable").drop(columns="_median_last") \
        .reset_index(drop=True)


SECTOR_GAPS_NAME = "sector_gaps.csv"


def sector_gaps(table: str, sha256: str | None) -> dict[str, str]:
    """Countries whose rows in a loaded sector file are known to be incomplete: ISO3 -> note.

    ``coupwatch/data/sector_gaps.csv`` lists them per file hash, so the notes apply only to the exact file
    they were written for (the mirror's partial transcription), never to a publisher's full download.
    """
    if not sha256:
        return {}
    text = (resources.files("coupwatch") / "data" / SECTOR_GAPS_NAME).read_text(encoding="utf-8")
    gaps = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    rows = gaps[(gaps["table"] == table) & (gaps["sha256"] == sha256)]
    return dict(zip(rows["country_code"], rows["note"], strict=True))


# A year of security aid this many times the state's median year gets a note under the indicators table.
OUTLIER_RATIO = 4.0


def aid_outlier_notes(frame: pd.DataFrame) -> list[str]:
    """Years whose security capacity aid dwarfs the state's usual year: shares and ratios that year reflect it."""
    notes = []
    for code, rows in frame.groupby("iso3"):
        aid = rows.set_index("year")["aid_security_capacity_usd"].dropna()
        positive = aid[aid > 0]
        if len(positive) < 4:
            continue
        for year, value in zip(aid.index.astype(int), aid.to_numpy(dtype=float), strict=True):
            typical = float(positive.drop(index=year, errors="ignore").median())
            if typical > 0 and value >= OUTLIER_RATIO * typical:
                notes.append(f"{code} FY{year}: security capacity aid of ${value:,.0f} is {value / typical:.0f} times "
                             f"the median year (${typical:,.0f}): large obligations drive that year's shares and "
                             "ratios, and obligations can be spent over several years (`coupwatch brief` names the "
                             "Greenbook program)")
    return notes


def sector_basis_years(frame: pd.DataFrame) -> pd.DataFrame:
    """The first and last year (columns ``min``, ``max``) of each basis of the DRG and P&S shares in an indicators
    frame; a basis's partial years count as that basis."""
    with_basis = frame.dropna(subset=["aid_sector_basis"])
    return with_basis.groupby(with_basis["aid_sector_basis"].str.split(" - PARTIAL").str[0])["year"].agg(
        ["min", "max"])
