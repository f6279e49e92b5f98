"""The warehouse reader against the warehouse built from the mirror: panels, tables, states, read-only."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from coupwatch.errors import CoupwatchError, UnknownCountryError, WarehouseMissingError
from coupwatch.store.reader import MissingTableError, Warehouse, WarehouseReadError

MALI = 432
SRC = Path(__file__).resolve().parents[2] / "src" / "coupwatch"


@pytest.fixture(scope="module")
def warehouse(built_home: Path) -> Iterator[Warehouse]:
    with Warehouse(built_home / "warehouse.duckdb") as opened:
        yield opened


def test_mali_coups_in_the_country_year_panel(warehouse: Warehouse) -> None:
    panel = warehouse.panel(countries=["MLI"], columns=["pt_attempts", "pt_successes"])
    # Chosen columns come after the key columns; a country-year panel has no month.
    assert list(panel.columns) == ["gwcode", "year", "iso3", "country", "pt_attempts", "pt_successes"]
    assert set(panel["gwcode"]) == {MALI} and panel["year"].is_monotonic_increasing
    # Powell & Thyne: successful coups in 1968, 1991, 2012, 2020 and 2021; a failed one in 1978; two attempts in
    # 1991 and 2012 (the March 2012 coup and the failed counter-coup of 30 April).
    successes = panel[panel["pt_successes"] > 0]
    assert successes["year"].tolist() == [1968, 1991, 2012, 2020, 2021]
    attempts = panel.set_index("year")["pt_attempts"]
    assert attempts[attempts > 0].to_dict() == {1968: 1, 1978: 1, 1991: 2, 2012: 2, 2020: 1, 2021: 1}
    assert int(panel["year"].min()) == 1960  # independence


def test_country_month_panel_dates_niger_2023_coup(warehouse: Warehouse) -> None:
    months = warehouse.panel(countries=["Niger"], first_year=2023, last_year=2023, columns=["pt_attempts"],
                             monthly=True)
    assert list(months.columns) == ["gwcode", "year", "month", "iso3", "country", "pt_attempts"]
    assert months["month"].tolist() == list(range(1, 13))
    assert months.loc[months["pt_attempts"] > 0, "month"].tolist() == [7]  # 26 July 2023


def test_unknown_column_names_its_close_matches(warehouse: Warehouse) -> None:
    with pytest.raises(CoupwatchError, match=r"unknown column\(s\) 'milex_gdpp' \(close matches: milex_gdp\b"):
        warehouse.panel(countries=["MLI"], columns=["milex_gdpp"])


def test_bad_years_and_countries_say_what_is_valid(warehouse: Warehouse) -> None:
    first, last = warehouse.panel_years()
    assert first == 1946 and last >= 2024
    with pytest.raises(CoupwatchError, match=rf"outside the panel's {first}-{last}"):
        warehouse.panel(first_year=1800, last_year=1900)
    with pytest.raises(CoupwatchError, match="--from 2020 is after --to 2010"):
        warehouse.panel(first_year=2020, last_year=2010)
    with pytest.raises(UnknownCountryError):
        warehouse.panel(countries=["Atlantis"])


def test_tables_states_and_sources(warehouse: Warehouse) -> None:
    assert warehouse.states().lookup("MLI") == MALI
    events = warehouse.table("pt_events", [MALI])
    assert set(events["gwcode"]) == {MALI} and len(events) == 8  # the eight attempts counted above
    assert warehouse.table("pt_events", []).empty
    with pytest.raises(MissingTableError, match="no table 'no_such_table'"):
        warehouse.table("no_such_table")
    provenance = warehouse.provenance()
    assert {"gw_states", "pt_events", "sipri_milex"} <= set(provenance["table_name"])
    assert provenance["sha256"].str.fullmatch(r"[0-9a-f]{64}").all()
    sources = warehouse.sources()["source"].tolist()
    assert sources == sorted(sources) and "powell_thyne_events" in sources
    assert str(warehouse.build_info()["built_at"]).startswith("20")
    mali = warehouse.countries().set_index("iso3").loc["MLI"]
    assert (mali["gwcode"], mali["name"], mali["first_year"]) == (MALI, "Mali", 1960)


def test_source_feeds_the_panel_adders_each_table_once(warehouse: Warehouse) -> None:
    source = warehouse.source([MALI])
    first = source.table("sipri_milex")
    assert source.table("sipri_milex") is first and set(first["gwcode"]) == {MALI}
    assert source.states.lookup("NER") == 436  # the state system keeps every state


def test_brief_queries(warehouse: Warehouse) -> None:
    ends = warehouse.event_coverage_ends()
    assert set(ends) == {"pt", "cdp", "reign", "archigos"} and ends["pt"].year >= 2024
    conflicts = warehouse.conflicts([MALI])
    # UCDP: the 2012 Azawad rebellion (conflict 372) is located in Mali.
    assert 2012 in set(conflicts.loc[conflicts["conflict_id"] == 372, "year"])
    military = warehouse.us_military_obligations([MALI])
    assert list(military.columns) == ["gwcode", "fiscal_year", "program", "obligations_usd"]
    assert len(military) and (military["gwcode"] == MALI).all()
    accounts = warehouse.budget_request_accounts([MALI])
    assert len(accounts) and set(accounts["gwcode"]) == {MALI}
    assert warehouse.last_coup_data_year() == warehouse.panel_years()[1]


def test_the_warehouse_is_read_only(built_home: Path) -> None:
    path = built_home / "warehouse.duckdb"
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    with Warehouse(path) as one, Warehouse(path) as two:  # read-only files may be opened twice
        with pytest.raises(WarehouseReadError, match="read-only"):
            one.sql("CREATE TABLE scratch AS SELECT 1 AS x")
        assert len(two.sql("SELECT * FROM panel_country_year WHERE gwcode = ?", [MALI])) > 60
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before
    with pytest.raises(WarehouseReadError, match="closed"):
        one.table("states")


def test_missing_warehouse_says_how_to_build(tmp_path: Path) -> None:
    with pytest.raises(WarehouseMissingError, match="coupwatch data build"):
        Warehouse(tmp_path / "nothing.duckdb")


def test_only_the_store_reads_duckdb() -> None:
    importing = sorted(str(p.relative_to(SRC)) for p in SRC.rglob("*.py")
                       if re.search(r"^\s*(import duckdb|from duckdb)", p.read_text(encoding="utf-8"), re.M))
    assert importing == ["store/build.py", "store/reader.py"]


def test_panel_rows_keep_the_order_asked(warehouse: Warehouse) -> None:
    rows = warehouse.panel_rows([MALI, 436], 2019, 2020, ["year", "gwcode", "milex_gdp"])
    assert list(rows.columns) == ["year", "gwcode", "milex_gdp"]
    assert list(zip(rows["gwcode"], rows["year"], strict=True)) == [(432, 2019), (432, 2020), (436, 2019), (436, 2020)]


def test_a_damaged_file_is_named_with_the_fix(tmp_path: Path) -> None:
    damaged = tmp_path / "warehouse.duckdb"
    damaged.write_bytes(b"this is not a DuckDB database\n" * 200)
    with pytest.raises(WarehouseReadError, match=r"warehouse\.duckdb: DuckDB cannot open it .*coupwatch data build"):
        Warehouse(damaged)
