"""Data coverage and sources: years with data per source, tables used, references numbered by first use."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coupwatch.app.briefs import Evidence
from coupwatch.report.charts import brief as charts
from coupwatch.report.citations import references
from coupwatch.report.content.formatting import NOT_AVAILABLE, count, plural, words
from coupwatch.report.content.frames import column_sources, first_year, series
from coupwatch.report.content.model import ChartItem, Reference, Scope, Section, TableItem

COVERAGE_COLUMNS = {
    "pt_attempts": "Powell & Thyne coups",
    "cdp_events": "Cline CDP coups",
    "reign_leader_tenure_years": "REIGN leaders",
    "leader_changes": "Archigos leaders",
    "milex_gdp": "SIPRI military spending",
    "v2x_jucon": "V-Dem v12 indices",
    "v2x_horacc_osp_v14": "V-Dem v14 indices",
    "wgi_rl": "WGI",
    "ucdp_conflicts": "UCDP/PRIO armed conflict",
    "ged_total_deaths": "UCDP GED deaths",
    "gb_military_usd": "Greenbook (U.S. aid by account)",
    "us_aid_obligations_usd": "ForeignAssistance.gov totals",
    "drg_share_us_aid": "ForeignAssistance.gov sectors",
    "revenue_gdp": "IMF WEO revenue",
    "population": "UN population",
}


def sources_section(evidence: Evidence, scope: Scope) -> Section:
    """Coverage of the brief's sources for the country; :func:`finish_sources` adds the tables once numbered."""
    section = Section("sources", "Sources and versions", "")
    focus = scope.focus
    year = evidence.year
    if focus is None:
        return section
    first = max(1946, year - 40, first_year(evidence, focus))
    gaps, short, coverage_rows = [], [], []
    for column, label in COVERAGE_COLUMNS.items():
        values = series(evidence.values, focus.gwcode, column, first, year)
        if values.empty:
            gaps.append(label)
            continue
        coverage_rows.append(pd.DataFrame({"source": label, "year": values.index}))
        if values.index.max() < year:
            short.append(f"{label} to {int(values.index.max())}")
    parts = []
    if gaps:
        parts.append(f"For {focus.name}, nothing from {words(gaps)} is available in {first}–{year}.")
        section.missing.append(f"{NOT_AVAILABLE} for {focus.name}: {words(gaps)}.")
    if short:
        parts.append(f"Coverage ends before {year} for {words(short)}.")
    section.reading = " ".join(parts)
    if coverage_rows:
        frame = pd.concat(coverage_rows, ignore_index=True)
        section.charts.append(ChartItem("coverage", charts.coverage(
            frame, first, year, f"Years with data for {focus.name}, {first}–{year}",
            subtitle="A gap means the source has no value for that year"), ("rect",),
            tuple(column_sources(evidence.column_docs, COVERAGE_COLUMNS))))
    return section


def finish_sources(section: Section, evidence: Evidence, used: Sequence[str], refs: Sequence[Reference]) -> None:
    """Say which tables the brief used and whether their files match the pinned releases; list them."""
    rows = evidence.provenance[evidence.provenance["table_name"].isin(used)]
    matches = int(rows["hash_matches_pin"].astype(bool).sum()) if "hash_matches_pin" in rows else len(rows)
    origins = sorted(set(rows["origin"].astype(str))) if "origin" in rows else []
    lead = (f"This brief draws on {plural(len(rows), 'warehouse table')} from {plural(len(refs), 'source')} "
            f"(references below); {matches} of {len(rows)} files match the sha256 pinned for their release"
            + (f", read from the {words(origins)}" if origins else "") + ".")
    if evidence.built_at:
        lead += f" The warehouse was built on {evidence.built_at[:10]}."
    section.reading = " ".join(p for p in (lead, section.reading) if p)
    table_rows = []
    for ref in refs:
        for table in ref.tables:
            table_rows.append([f"[{ref.number}]", str(table["table_name"]), str(table["file"]), count(table["rows"]),
                               str(table["sha256"])[:12], "yes" if table["pinned"] else "no"])
    section.tables.append(TableItem("Tables used (from the provenance table)",
                                    ["Ref.", "Table", "File", "Rows", "sha256", "Pinned hash"], table_rows,
                                    [False, False, False, True, False, False]))


def number_references(sections: Sequence[Section], provenance: pd.DataFrame,
                      sources: pd.DataFrame) -> tuple[list[Reference], list[str]]:
    """Number the sources in order of first use; set each chart's caption with its references."""
    by_table = provenance.drop_duplicates("table_name").set_index("table_name")
    by_source = sources.drop_duplicates("source").set_index("source") if len(sources) else pd.DataFrame()
    order: dict[str, int] = {}
    used: list[str] = []

    def number_of(table: str) -> int | None:
        if table not in by_table.index:
            return None
        if table not in used:
            used.append(table)
        source = str(by_table.loc[table, "source"])
        return order.setdefault(source, len(order) + 1)

    for section in sections:
        for chart in section.charts:
            cited = []
            for table in chart.tables:
                number = number_of(table)
                if number is not None:
                    title = str(by_table.loc[table, "title"])
                    version = str(by_table.loc[table, "version"])
                    label = f"{title}, {version} [{number}]"
                    if label not in cited:
                        cited.append(label)
            if len(cited) > 4:
                numbers = sorted({int(label.rsplit("[", 1)[1].rstrip("]")) for label in cited})
                caption = "Sources: " + ", ".join(f"[{n}]" for n in numbers) + " (see the references)."
            else:
                caption = ("Source: " + "; ".join(cited) + ".") if cited else ""
            chart.caption = " ".join(p for p in (caption, chart.note) if p)
        for table in section.tables_used:
            number_of(table)
    refs = []
    for source, number in sorted(order.items(), key=lambda kv: kv[1]):
        tables = [t for t in used if str(by_table.loc[t, "source"]) == source]
        first = by_table.loc[tables[0]]
        citation = str(by_source.loc[source, "citation"]) if source in by_source.index else ""
        refs.append(Reference(
            number=number, source=source, title=str(first["title"]), publisher=str(first["publisher"]),
            version=str(first["version"]), licence=str(first["licence"]),
            citations=references(citation) if citation else [],
            tables=[{"table_name": t, "file": by_table.loc[t, "file"], "sha256": by_table.loc[t, "sha256"],
                     "rows": by_table.loc[t, "rows"],
                     "pinned": bool(by_table.loc[t, "hash_matches_pin"]), "origin": by_table.loc[t, "origin"],
                     "url": by_table.loc[t, "url"]} for t in tables]))
    return refs, used
