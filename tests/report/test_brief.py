"""Country briefs and the regional comparison, checked against the warehouse and saved runs they come from."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import duckdb
import pandas as pd
import pytest

from coupwatch.app.briefs import Evidence, State
from coupwatch.errors import CoupwatchError, UnknownCountryError
from coupwatch.report.content import formatting as fmt
from coupwatch.report.content.assemble import build_country_brief
from tests.report.helpers import (
    COUNTRY_SECTIONS,
    REGION_SECTIONS,
    figures,
    mark_counts,
    missing_notes,
    reading,
    sections,
    table_cells,
)

# The charts each section of Mali's brief must draw, and the marks each must contain.
MALI_CHARTS = {
    "headline": {"risk": {"rule", "symbol", "text"}},
    "risk-history": {"risk-history": {"line", "symbol", "rule"}},
    "timeline": {"timeline": {"rect", "symbol"}},
    "military-burden": {"milex-gdp": {"line", "symbol"}, "milex-govt": {"line", "symbol"}},
    "security-assistance": {"aid-split": {"rect"}, "governance-share": {"rect", "text"},
                            "aid-totals": {"line", "symbol"}},
    "governance": {"vdem": {"line"}, "wgi": {"line"}},
    "conflict": {"deaths": {"rect"}, "conflict-years": {"rect"}},
    "claims": {"verdicts": {"rect", "text"}},
    "sources": {"coverage": {"rect"}},
}


@pytest.fixture(scope="module")
def home(analysis_home: Path) -> Iterator[Path]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUPWATCH_HOME", str(analysis_home))
        yield analysis_home


@pytest.fixture(scope="module")
def mali(home: Path) -> str:
    from coupwatch.report.brief import render_brief_html

    # The shared home is read-only: never compute and save a forecast here (2026's is saved already).
    return render_brief_html("MLI", compute_forecast=False)


@pytest.fixture(scope="module")
def warehouse(home: Path) -> Iterator[duckdb.DuckDBPyConnection]:
    con = duckdb.connect(str(home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_every_section_is_present_and_not_blank(mali: str) -> None:
    found = sections(mali)
    assert list(found) == COUNTRY_SECTIONS
    for key, block in found.items():
        text = reading(block)
        assert len(text) > 80, f"section {key} has no reading: {text!r}"
        assert re.search(r"\d", text), f"section {key}'s reading has no number: {text!r}"


def test_every_chart_is_rendered_with_its_marks(mali: str) -> None:
    found = sections(mali)
    for key, expected in MALI_CHARTS.items():
        charts = figures(found[key])
        assert set(charts) == set(expected), f"section {key}: charts {sorted(charts)}"
        for name, marks in expected.items():
            declared, svg = charts[name]
            assert marks <= declared
            counts = mark_counts(svg)
            for mark in marks:
                assert counts.get(mark, 0) > 0, f"{key}/{name}: no drawn {mark} marks ({counts})"
            assert 'width="' in svg[:300] and "<text" in svg


def test_chart_specs_are_valid_vega_lite(home: Path) -> None:
    from coupwatch.report.brief import country_brief

    brief = country_brief("MLI", compute_forecast=False)
    for section in brief.sections:
        for chart in section.charts:
            chart.chart.to_dict(validate=True)  # raises on a schema error
            assert chart.caption, f"{section.key}/{chart.name} has no source caption"


def test_svg_ids_are_unique_across_charts(mali: str) -> None:
    ids = re.findall(r'\bid="([^"]+)"', mali)
    duplicated = {i for i in ids if ids.count(i) > 1}
    assert not duplicated, f"clip paths would clash: {sorted(duplicated)[:5]}"


def test_self_contained_no_network(mali: str) -> None:
    assert "<script" not in mali and "<link" not in mali and "@import" not in mali
    assert not re.search(r'(?:src|href)\s*=\s*"(?:https?:)?//', mali)
    assert not re.search(r"url\(\s*['\"]?https?:", mali)


def test_military_burden_numbers_match_sipri(mali: str, warehouse: duckdb.DuckDBPyConnection) -> None:
    values = dict(warehouse.execute("SELECT year, milex_gdp FROM panel_country_year WHERE iso3 = 'MLI' "
                                    "AND year IN (2012, 2020, 2025)").fetchall())
    assert f"{values[2012]:.2f}%" == "1.20%" and f"{values[2020]:.2f}%" == "3.40%"
    block = sections(mali)["military-burden"]
    by_year = {row[0]: row[1] for row in table_cells(block) if row and row[0].isdigit()}
    assert by_year["2012"] == "1.20%" and by_year["2020"] == "3.40%"
    text = reading(block)
    assert f"1.20% of GDP in 2012 and {values[2025]:.2f}% in 2025" in text
    assert f"{values[2025] - values[2012]:+.2f} points" in text


def test_headline_matches_the_saved_watchlist(mali: str, home: Path) -> None:
    from coupwatch.store.saved import load_forecast

    watchlist = load_forecast(2026)
    row = watchlist[watchlist["iso3"] == "MLI"].iloc[0]
    text = reading(sections(mali)["headline"])
    assert f"{fmt.probability(row['p'])} modelled risk of a coup attempt in 2026 (90% interval " \
           f"{fmt.probability(row['p_low'])} to {fmt.probability(row['p_high'])}), " \
           f"{fmt.ordinal(int(row['rank']))} highest of {len(watchlist)} states" in text
    for driver in row["drivers"]:  # what sets Mali apart, in words and the reader's units
        assert f"{driver['concept']} ({driver['label']} {driver['shown'] or 'not known'}" in text
    assert "log(" not in text
    figures_box = re.search(r'<div class="figures">(.*?)</div>\s*<nav', mali, re.S)
    assert figures_box and f"{int(row['rank'])} of {len(watchlist)}" in figures_box.group(1)


@pytest.mark.parametrize("code", ["MLI", "NER"])
def test_claims_in_the_brief_are_those_of_coupwatch_claims(home: Path, code: str) -> None:
    from coupwatch.app.analysis import claims_table
    from coupwatch.app.briefs import claims_about
    from coupwatch.store.reader import Warehouse

    with Warehouse() as warehouse:
        mine, _ = claims_about(warehouse, code)
    assert mine is not None
    pd.testing.assert_frame_equal(mine, claims_table(code))


def test_briefs_read_saved_forecasts_without_importing_the_models(home: Path) -> None:
    import subprocess
    import sys

    from coupwatch.store import saved

    assert len(saved.load_forecast(2026)) > 150
    with pytest.raises(CoupwatchError, match="no saved forecast for 1999"):
        saved.load_forecast(1999)
    code = "import sys, coupwatch.report.brief; print(sorted({'sklearn', 'lightgbm'} & set(sys.modules)))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert loaded.stdout.strip() == "[]"


def test_risk_history_is_the_backtest_out_of_sample(mali: str, home: Path) -> None:
    predictions = pd.read_parquet(home / "backtest" / "predictions.parquet")
    mine = predictions[(predictions["iso3"] == "MLI") & (predictions["model"] == "ensemble")
                       & (predictions["outcome"] == "attempt")].set_index("year")["p"]
    rows = {r[0]: r[1] for r in table_cells(sections(mali)["risk-history"]) if r and r[0].isdigit()}
    assert set(rows) == {str(y) for y in mine.index if y <= 2025}
    for year, p in mine.items():
        assert rows[str(year)] == fmt.probability(p)
    # The coups of 2020 and 2021 (Powell & Thyne) are marked on the chart.
    svg = figures(sections(mali)["risk-history"])["risk-history"][1]
    assert "coup 2020" in svg and "coup 2021" in svg


def test_timeline_lists_the_coups_of_powell_thyne(mali: str, warehouse: duckdb.DuckDBPyConnection) -> None:
    events = warehouse.execute("SELECT year, month, day, outcome FROM pt_events WHERE gwcode = 432 "
                               "ORDER BY year, month").df()
    block = sections(mali)["timeline"]
    successful = int((events["outcome"] == "successful").sum())
    assert f"record {len(events)} coup attempts in Mali since 1960: {successful} successful" in reading(block)
    dates = {row[0] for row in table_cells(block) if len(row) == 3 and row[1] == "Powell & Thyne"}
    for row in events.itertuples():
        # Integer columns, which itertuples gives as int; the stubs type the fields as any scalar.
        when = pd.Timestamp(year=cast(int, row.year), month=cast(int, row.month), day=cast(int, row.day))
        assert fmt.day(when) in dates


def test_assistance_conflict_governance_and_claims_numbers(mali: str, warehouse: duckdb.DuckDBPyConnection
                                                            ) -> None:
    capacity, governance = warehouse.execute(
        "SELECT sum(aid_security_capacity_usd), sum(aid_security_governance_usd) FROM panel_country_year "
        "WHERE iso3 = 'MLI' AND year BETWEEN 2012 AND 2020").fetchall()[0]
    found = sections(mali)
    text = reading(found["security-assistance"])
    assert f"obligated {fmt.usd(capacity)} in security capacity aid" in text
    assert f"governance was {governance / (capacity + governance):.1%} of the total" in text
    # Donors other than the United States are in the donors section now; the note says where.
    assert "counts U.S. aid only; the donors section" in " ".join(missing_notes(found["security-assistance"]))
    # The brief's year is 2025 (the last with coup data); UCDP GED's latest year in it is 2024.
    deaths = warehouse.execute("SELECT ged_total_deaths FROM panel_country_year WHERE iso3 = 'MLI' AND year = 2024"
                               ).fetchall()[0][0]
    assert f"counts {fmt.count(deaths)} deaths in organised violence in 2024" in reading(found["conflict"])
    jucon = dict(warehouse.execute("SELECT year, v2x_jucon FROM panel_country_year WHERE iso3 = 'MLI' AND year IN "
                                   "(2012, 2023)").fetchall())
    judicial = next(r for r in table_cells(found["governance"]) if r and r[0].startswith("Judicial"))
    # V-Dem v14 reaches 2023: the latest value before the brief's year.
    assert judicial[1] == f"{jucon[2012]:.2f}" and judicial[2] == f"{jucon[2023]:.2f} (2023)"
    claims = {r[0]: r[2] for r in table_cells(found["claims"]) if len(r) == 5}
    doubled = next(q for q in claims if q.startswith("Mali more than doubled its military spending"))
    assert claims[doubled] == "supported"


def test_sources_list_versions_hashes_and_citations(mali: str, warehouse: duckdb.DuckDBPyConnection) -> None:
    block = sections(mali)["sources"]
    sipri = warehouse.execute("SELECT version, sha256 FROM provenance WHERE table_name = 'sipri_milex'").fetchall()[0]
    assert sipri[1][:12] in block
    assert sipri[0] in mali
    assert "Powell, J. M. &amp; Thyne, C. L. (2011)" in mali
    burden_caption = re.search(r'data-chart="milex-gdp".*?<figcaption>(.*?)</figcaption>', mali, re.S)
    assert burden_caption and "SIPRI Military Expenditure Database" in burden_caption.group(1)
    assert re.search(r"\[\d+\]", burden_caption.group(1))


def test_microstate_brief_says_what_is_missing(home: Path) -> None:
    from coupwatch.report.brief import render_brief_html

    page = render_brief_html("SMR", compute_forecast=False)
    found = sections(page)
    assert list(found) == COUNTRY_SECTIONS
    for key, block in found.items():
        assert len(reading(block)) > 40, key
    assert "SIPRI has no military spending figures for San Marino" in reading(found["military-burden"])
    notes = " ".join(note for block in found.values() for note in missing_notes(block))
    assert "Not available in the data at hand" in notes
    assert "V-Dem" in notes and "SIPRI" in notes
    assert "Andorra" in page  # a peer from its subregion, closest in population
    assert "No published claim about San Marino" in reading(found["claims"])


def test_region_sahel_with_coastal_watch(home: Path) -> None:
    from coupwatch.report.brief import render_region_html

    page = render_region_html("sahel", compute_forecast=False)
    found = sections(page)
    assert list(found) == REGION_SECTIONS
    headline = table_cells(found["headline"])
    states = {row[0]: row[1] for row in headline if len(row) == 6}
    assert {s for s, g in states.items() if g == "Sahel (G5)"} == {
        "Mali", "Niger", "Burkina Faso", "Chad", "Mauritania"}
    assert {s for s, g in states.items() if g == "Coastal watch"} == {"Guinea", "Côte d'Ivoire", "Benin", "Togo"}
    for key, block in found.items():
        assert len(reading(block)) > 40, key
        for name, (marks, svg) in figures(block).items():
            counts = mark_counts(svg)
            assert all(counts.get(m, 0) > 0 for m in marks), f"{key}/{name}: {counts}"
    assert figures(found["military-burden"]) and figures(found["security-assistance"])


def test_bad_input_lists_close_matches(home: Path) -> None:
    from coupwatch.report.brief import render_brief_html, render_region_html

    with pytest.raises(UnknownCountryError, match=r"unknown country 'MLU'.*MLI \(Mali\)"):
        render_brief_html("MLU", compute_forecast=False)
    with pytest.raises(UnknownCountryError, match=r"South Sudan .* did not exist .* 2005.*2011.*existed in 2005:.*"
                                                  r"SDN \(Sudan\)"):
        render_brief_html("SSD", 2005, compute_forecast=False)
    with pytest.raises(UnknownCountryError, match=r"--peers: unknown country 'XXX'"):
        render_brief_html("MLI", peers=["NER", "XXX"], compute_forecast=False)
    with pytest.raises(CoupwatchError, match=r"--year 2031 is outside the warehouse panel's years 1946-"):
        render_brief_html("MLI", 2031, compute_forecast=False)
    with pytest.raises(CoupwatchError, match=r"--region 'sahara' is not one of: sahel"):
        render_region_html("sahara", compute_forecast=False)


def test_missing_forecast_and_backtest_are_said(warehouse_env: Path) -> None:
    from coupwatch.report.brief import render_brief_html

    page = render_brief_html("NER")
    found = sections(page)
    assert list(found) == COUNTRY_SECTIONS
    assert "No forecast for 2026" in reading(found["headline"]) and "coupwatch backtest" in reading(found["headline"])
    assert any("out-of-sample predictions" in n for n in missing_notes(found["risk-history"]))
    assert not (warehouse_env / "forecasts").exists()


def test_cli_writes_briefs_and_reports_bad_input(home: Path, tmp_path: Path) -> None:
    from typer.testing import CliRunner

    from coupwatch.cli import app

    runner = CliRunner()
    result = runner.invoke(app, ["brief", "MLI", "--peers", "NER,BFA", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    page = (tmp_path / "brief-MLI-2025.html").read_text(encoding="utf-8")
    assert "Peers: Niger and Burkina Faso (chosen by the user)" in page
    result = runner.invoke(app, ["brief", "--region", "sahel", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "region-sahel-2025.html").exists()
    result = runner.invoke(app, ["brief", "XYZ"])
    assert result.exit_code == 1 and "Close matches" in result.output
    result = runner.invoke(app, ["brief", "MLI", "--region", "sahel"])
    assert result.exit_code == 1 and "not both" in result.output


def test_pdf_fetcher_serves_local_content_only(tmp_path: Path) -> None:
    import base64
    import io

    from PIL import Image

    from coupwatch.report.brief import html_to_pdf, local_only_fetcher

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "#b2182b").save(buffer, format="PNG")
    pixel = base64.b64encode(buffer.getvalue()).decode()
    inside = tmp_path / "inside.css"
    inside.write_text("body { color: #123456; }", encoding="utf-8")
    page = (f'<html><head><link rel="stylesheet" href="{inside.as_uri()}">'
            '<link rel="stylesheet" href="file:///etc/hostname"></head><body><p>local only</p>'
            '<img src="http://example.invalid/a.png"><img src="https://example.invalid/b.png">'
            f'<img src="data:image/png;base64,{pixel}"></body></html>')
    fetcher = local_only_fetcher(tmp_path)
    pdf = html_to_pdf(page, root=tmp_path, fetcher=fetcher)
    assert pdf.startswith(b"%PDF")
    assert sorted(fetcher.refused) == ["file:///etc/hostname", "http://example.invalid/a.png",
                                       "https://example.invalid/b.png"]


# ---------------------------------------------------------------------------------------------------------
# The pure part, on small hand-written frames: readings follow the numbers, little data is said plainly
# ---------------------------------------------------------------------------------------------------------

def _evidence(milex_2023: float) -> Evidence:
    years = list(range(2005, 2024))
    panel = pd.DataFrame({
        "gwcode": [1001] * len(years) + [1002] * len(years),
        "year": years * 2,
        "milex_gdp": [1.5 if y <= 2012 else (milex_2023 if y == 2023 else 2.0) for y in years]
        + [1.0] * len(years),
        "pt_attempts": [0] * len(years) * 2, "pt_successes": [0] * len(years) * 2,
        "pt_failures": [0] * len(years) * 2,
    })
    docs = pd.DataFrame({"name": ["milex_gdp", "pt_attempts"], "description": ["burden", "attempts"],
                         "source": ["sipri_milex", "pt_events"], "unit": ["percent", "count"]})
    provenance = pd.DataFrame({
        "table_name": ["sipri_milex", "pt_events"], "source": ["sipri_milex", "powell_thyne_events"],
        "title": ["SIPRI", "Coups"], "publisher": ["SIPRI", "P&T"], "version": ["v1", "v2"], "file": ["a", "b"],
        "url": ["u", "v"], "sha256": ["0" * 64, "1" * 64], "hash_matches_pin": [True, True],
        "origin": ["mirror", "mirror"], "licence": ["l", "l"], "rows": [10, 20]})
    empty = pd.DataFrame
    return Evidence(
        year=2023, base_year=2012, panel=panel, column_docs=docs,
        coup_events=empty(columns=["gwcode", "year", "month", "day", "outcome"]),
        cdp_events=empty(columns=["gwcode", "event_date", "event_type"]),
        reign_leaders=empty(columns=["gwcode", "leader", "start_date", "eyear", "emonth", "militarycareer"]),
        archigos_leaders=empty(columns=["gwcode", "leader", "startdate", "enddate", "exit", "exitcode"]),
        conflicts=empty(columns=["gwcode", "conflict_id", "year", "side_a", "side_b", "intensity_level",
                                 "type_of_conflict", "territory_name"]),
        provenance=provenance, sources=empty(columns=["source", "citation"]), coverage_ends={},
        forecast_note="No saved forecast for 2024.", backtest_note="No saved backtest.")


def test_readings_are_written_from_the_numbers() -> None:
    focus, peer = State(1001, "TST", "Testland"), State(1002, "PER", "Peerland")
    first = build_country_brief(_evidence(3.0), focus, [peer], "test")
    second = build_country_brief(_evidence(4.5), focus, [peer], "test")
    burden = {s.key: s for s in first.sections}["military-burden"].reading
    assert "1.50% of GDP in 2012 and 3.00% in 2023, +1.50 points (2.00 times the 2012 level)" in burden
    assert "4.50% in 2023, +3.00 points (3.00 times" in {s.key: s for s in second.sections}["military-burden"].reading
    keys = [s.key for s in first.sections]
    assert keys == COUNTRY_SECTIONS
    for section in first.sections:
        assert section.reading.strip(), section.key
    missing = {s.key: s.missing for s in first.sections}
    assert any("saved forecast for 2024" in n for n in missing["headline"])
    assert any("out-of-sample predictions" in n for n in missing["risk-history"])
    assert first.key_figures[0].value == "n/a"


def test_donors_section_for_mali_and_the_sahel(warehouse_env: Path) -> None:
    from coupwatch.report.brief import render_brief_html, render_region_html

    found = sections(render_brief_html("MLI"))
    text = reading(found["donors"])
    assert "$1.82 billion of net ODA in 2019" in text
    assert "The United States gave more than France every year from 2009 to 2019; France gave more in 2002–2008" in text
    assert "in 2021–2024 (Russia 47%, unknown supplier(s) 20%, Turkiye 11%)" in text
    assert "FY2012 $128.3 million" in text  # the PKO obligation attributed to the mission deployed in Mali
    assert set(figures(found["donors"])) == {"oda-donors", "arms-suppliers", "peace-operations"}
    region = sections(render_region_html("sahel"))
    assert "Across these states, Mali received the most major arms in 2021–2024" in reading(region["donors"])


def test_a_fresh_process_reads_the_kept_scenarios_and_claims(mali: str, home: Path) -> None:
    """The brief rendered above kept its scenario results and claims checks on disk; a new process with the same
    files reads them back: the same page, and neither the models nor scikit-learn imported."""
    import subprocess
    import sys

    assert list((home / "cache" / "brief-scenarios").glob("*/meta.json"))
    assert list((home / "cache" / "brief-claims").glob("MLI-*/meta.json"))
    code = ("import sys; from coupwatch.report.brief import render_brief_html; "
            "page = render_brief_html('MLI', compute_forecast=False); "
            "print(sorted({'sklearn', 'lightgbm', 'coupwatch.app.backtest'} & set(sys.modules))); print(page)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    loaded, page = out.split("\n", 1)
    assert loaded == "[]"
    generated = re.compile(r"Generated \d{4}-\d\d-\d\d \d\d:\d\d UTC")
    assert generated.sub("Generated <time>", page.rstrip("\n")) == generated.sub("Generated <time>", mali)
