"""The warehouse, read-only: the one place outside the build that reads DuckDB.

A :class:`Warehouse` opens ``warehouse.duckdb`` read-only (from a path, or ``COUPWATCH_HOME`` by default) and
answers in data frames: the country-year and country-month panels, whole source tables, provenance, the
source list, the Gleditsch-Ward state system, and the few aggregate queries the CLI, the web app and the briefs
ask. Each query runs on its own cursor, so one ``Warehouse`` may serve several threads (the web app's).

The core's panel adders take their source tables from :meth:`Warehouse.source`, a cached view that meets the
core's ``DataSource`` shape (``states`` and ``table(name)``).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from types import TracebackType
from typing import Any, cast

import duckdb
import pandas as pd

from coupwatch import config
from coupwatch.errors import CoupwatchError, WarehouseMissingError
from coupwatch.states import StateSystem
from coupwatch.suggest import unknown_columns_message

YEAR_PANEL = "panel_country_year"
MONTH_PANEL = "panel_country_month"
STATE_TABLES = ("gw_states", "gw_microstates", "countrycode")
# The columns that say which row it is: `Warehouse.panel` puts them first when columns are chosen.
KEY_COLUMNS = ("gwcode", "year", "month", "iso3", "country")
REBUILD = "rebuild it with `coupwatch data build`"


class MissingTableError(CoupwatchError, KeyError):
    """The warehouse has no table of that name (it was built by an older version)."""

    def __str__(self) -> str:  # KeyError would quote the message
        return str(self.args[0])


class WarehouseReadError(CoupwatchError):
    """DuckDB could not answer a query on the warehouse (a damaged file, or one from another version)."""


def _panel_table(monthly: bool) -> str:
    return MONTH_PANEL if monthly else YEAR_PANEL


def _quoted(columns: Sequence[str]) -> str:
    return ", ".join(f'"{c}"' for c in columns)


def _codes(gwcodes: Sequence[int], column: str = "gwcode") -> str:
    """An SQL condition on ``column``: the codes are integers, written into the query as numbers."""
    if not gwcodes:
        return "FALSE"
    return f"{column} IN ({', '.join(str(int(c)) for c in gwcodes)})"


class Warehouse:
    """The warehouse opened read-only; a context manager that closes it.

    ``Warehouse()`` opens ``COUPWATCH_HOME/warehouse.duckdb``; ``Warehouse(path)`` another file. A missing file
    raises :class:`~coupwatch.errors.WarehouseMissingError` saying how to build one.
    """

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or config.warehouse_path()
        if not self.path.is_file():
            raise WarehouseMissingError(
                f"{self.path}: no warehouse yet. Fix: run `coupwatch data build` (set COUPWATCH_MIRROR to a folder "
                "of the publishers' files to build offline)"
            )
        try:
            self._connection: duckdb.DuckDBPyConnection | None = duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as exc:
            raise WarehouseReadError(f"{self.path}: DuckDB cannot open it ({exc}). Fix: {REBUILD}") from exc
        self._states: StateSystem | None = None
        self._tables: list[str] | None = None
        self._lock = threading.Lock()

    def __enter__(self) -> Warehouse:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close the connection (later queries fail); closing twice is harmless."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    # ---- querying --------------------------------------------------------------------------------------------

    @contextmanager
    def _cursor(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A cursor of the shared connection (DuckDB connections must not be used by two threads at once); DuckDB's
        own errors leave as :class:`WarehouseReadError` naming the file."""
        if self._connection is None:
            raise WarehouseReadError(f"{self.path}: the warehouse was closed")
        cursor = self._connection.cursor()
        try:
            yield cursor
        except duckdb.Error as exc:
            raise WarehouseReadError(
                f"{self.path}: the query failed ({exc}). The warehouse is read-only; a table or column it lacks "
                f"comes with a newer build: {REBUILD}") from exc
        finally:
            cursor.close()

    def sql(self, query: str, parameters: Sequence[object] = ()) -> pd.DataFrame:
        """The rows of an SQL query on any table (``?`` placeholders take ``parameters``); the file is opened
        read-only, so a statement that would change it fails with :class:`WarehouseReadError`."""
        with self._cursor() as cursor:
            return cursor.execute(query, list(parameters)).df()

    def _row(self, sql: str, parameters: Sequence[object] = ()) -> tuple[Any, ...]:
        with self._cursor() as cursor:
            return cast(tuple[Any, ...], cursor.execute(sql, list(parameters)).fetchall()[0])

    # ---- tables --------------------------------------------------------------------------------------------

    def table_names(self) -> list[str]:
        """Every table in the warehouse, by name (read once: the file does not change while it is open)."""
        if self._tables is None:
            with self._cursor() as cursor:
                self._tables = [str(row[0]) for row in cursor.execute("SHOW TABLES").fetchall()]
        return list(self._tables)

    def columns(self, name: str) -> list[str]:
        """The columns of table ``name``, in order."""
        self._require(name)
        with self._cursor() as cursor:
            return [str(row[0]) for row in cursor.execute(f'DESCRIBE "{name}"').fetchall()]

    def _require(self, name: str) -> None:
        if name not in self.table_names():
            raise MissingTableError(f"{self.path}: the warehouse has no table {name!r}; {REBUILD}")

    def table(self, name: str, gwcodes: Sequence[int] | None = None) -> pd.DataFrame:
        """A whole table as stored; with ``gwcodes``, only those states' rows (of a table with a ``gwcode``
        column). A table the warehouse lacks raises :class:`MissingTableError`."""
        with self._cursor() as cursor:
            try:
                relation = cursor.table(name)
            except duckdb.CatalogException:
                raise MissingTableError(f"{self.path}: the warehouse has no table {name!r}; {REBUILD}") from None
            if gwcodes is not None and "gwcode" in relation.columns:
                return cursor.execute(f'SELECT * FROM "{name}" WHERE {_codes(gwcodes)}').df()
            return relation.df()

    def source(self, gwcodes: Sequence[int] | None = None, states: StateSystem | None = None) -> WarehouseSource:
        """The source tables as the core's panel adders read them (each table read once); with ``gwcodes``, tables
        with a ``gwcode`` column hold only those states (the adders then derive those states' rows faster).
        ``states`` passes a state system already built from this warehouse (default: :meth:`states`)."""
        return WarehouseSource(self, gwcodes, states)

    def states(self) -> StateSystem:
        """The Gleditsch-Ward state system the warehouse was built with (built once per ``Warehouse``)."""
        if self._states is None:
            gw_states, microstates, codes = (self.table(name) for name in STATE_TABLES)
            self._states = StateSystem.from_tables(gw_states, microstates, codes)
        return self._states

    def provenance(self) -> pd.DataFrame:
        """One row per table: source, version, file, official URL, sha256, rows and years covered (as stored)."""
        return self.table("provenance")

    def contents(self) -> pd.DataFrame:
        """What the warehouse holds, one row per table (source, version, table, rows, first_year, last_year,
        origin), ordered by source and table."""
        return self.sql("SELECT source, version, table_name AS table, rows, first_year, last_year, origin "
                           "FROM provenance ORDER BY source, table_name")

    def sources(self) -> pd.DataFrame:
        """One row per source: publisher, version, licence, coverage and citation, ordered by source."""
        return self.sql("SELECT * FROM sources ORDER BY source")

    def build_info(self) -> dict[str, Any]:
        """When and from what the warehouse was built (the ``build_info`` row; empty when there is none)."""
        rows = self.table("build_info").to_dict("records")
        # Query results are labelled by column name, so the record is keyed by strings.
        return cast(dict[str, Any], rows[0]) if rows else {}

    # ---- panels --------------------------------------------------------------------------------------------

    def panel_columns(self, monthly: bool = False) -> list[str]:
        """The columns of the country-year panel (country-month with ``monthly``), in order."""
        return self.columns(_panel_table(monthly))

    def column_docs(self) -> pd.DataFrame:
        """What each panel column means: name, description, source, unit (the ``panel_columns`` table)."""
        return self.table("panel_columns")

    def panel_years(self, monthly: bool = False) -> tuple[int, int]:
        """The panel's first and last year."""
        first, last = self._row(f"SELECT min(year), max(year) FROM {_panel_table(monthly)}")
        if first is None:
            raise CoupwatchError(f"{self.path}: the warehouse panel is empty. Fix: {REBUILD}")
        return int(first), int(last)

    def last_coup_data_year(self) -> int | None:
        """The last panel year with observed coup data (Powell & Thyne), None when there is none."""
        (year,) = self._row(f"SELECT max(CASE WHEN pt_attempts IS NOT NULL THEN year END) FROM {YEAR_PANEL}")
        return None if year is None else int(year)

    def panel_rows(self, gwcodes: Sequence[int] | None = None, first_year: int | None = None,
                   last_year: int | None = None, columns: Sequence[str] | None = None,
                   monthly: bool = False) -> pd.DataFrame:
        """Panel rows as asked, without checks: the ``columns`` in the order given (all when None), of the states
        ``gwcodes`` (all when None), from ``first_year`` to ``last_year`` (open ends when None), ordered by state
        and time. :meth:`panel` is the checked entry for users' choices."""
        where, parameters = [], []
        if gwcodes is not None:
            where.append(_codes(gwcodes))
        if first_year is not None:
            where.append("year >= ?")
            parameters.append(first_year)
        if last_year is not None:
            where.append("year <= ?")
            parameters.append(last_year)
        chosen = "*" if columns is None else _quoted(columns)
        condition = f" WHERE {' AND '.join(where)}" if where else ""
        order = "gwcode, year, month" if monthly else "gwcode, year"
        return self.sql(f"SELECT {chosen} FROM {_panel_table(monthly)}{condition} ORDER BY {order}", parameters)

    def panel(self, *, countries: Sequence[str] | None = None, first_year: int | None = None,
              last_year: int | None = None, columns: Sequence[str] | None = None,
              monthly: bool = False) -> pd.DataFrame:
        """Panel rows for some countries (ISO3, GW code or name) and years, country-year or (``monthly``)
        country-month. Chosen ``columns`` come after the key columns (gwcode, year, month, iso3, country).

        Unknown countries, unknown columns (with close matches) and years outside the panel fail with a
        :class:`~coupwatch.errors.CoupwatchError` that says what is valid.
        """
        available = self.panel_columns(monthly)
        lo, hi = self.panel_years(monthly)
        first = lo if first_year is None else first_year
        last = hi if last_year is None else last_year
        if first > last:
            raise CoupwatchError(f"--from {first} is after --to {last}")
        if last < lo or first > hi:
            raise CoupwatchError(f"years {first}-{last} are outside the panel's {lo}-{hi}")
        gwcodes = None
        if countries:
            states = self.states()
            gwcodes = [states.lookup(c) for c in countries]
        chosen = None
        if columns:
            unknown = [c for c in columns if c not in available]
            if unknown:
                raise CoupwatchError(unknown_columns_message(
                    unknown, available, f"The panel has {len(available)} columns; leave out --columns to export "
                    "them all"))
            keys = [c for c in KEY_COLUMNS if c in available and c not in columns]
            chosen = [*keys, *columns]
        return self.panel_rows(gwcodes, first, last, chosen, monthly=monthly)

    # ---- states and events ---------------------------------------------------------------------------------

    def countries(self) -> pd.DataFrame:
        """One row per state of the country-year panel: gwcode, iso3, gwc, name, region, subregion, africa, and
        its first and last panel year; ordered by name."""
        return self.sql(
            f"""SELECT p.gwcode, any_value(p.iso3) AS iso3, any_value(s.gwc) AS gwc,
                       any_value(p.country) AS name, any_value(p.region) AS region,
                       any_value(p.subregion) AS subregion, bool_or(p.africa) AS africa,
                       min(p.year) AS first_year, max(p.year) AS last_year
                FROM {YEAR_PANEL} p LEFT JOIN states s USING (gwcode)
                GROUP BY p.gwcode ORDER BY name"""
        )

    def coup_counts(self, gwcode: int) -> pd.DataFrame:
        """A state's coup attempts and successes per panel year (Powell & Thyne): year, attempts, successes."""
        return self.sql(f"SELECT year, pt_attempts AS attempts, pt_successes AS successes FROM {YEAR_PANEL} "
                          "WHERE gwcode = ? ORDER BY year", [gwcode])

    def coups_in(self, year: int) -> pd.DataFrame:
        """The states with a coup attempt in ``year``: gwcode, iso3, country, attempts, successes; by country."""
        return self.sql(f"SELECT gwcode, iso3, country, pt_attempts AS attempts, pt_successes AS successes "
                          f"FROM {YEAR_PANEL} WHERE year = ? AND pt_attempts > 0 ORDER BY country", [year])

    def donor_support(self, gwcode: int, first_year: int, last_year: int) -> pd.DataFrame:
        """A state's rows of ``support_by_donor`` (donor, supplier or mission, year, kind, value, unit) in the
        years, ordered by year, kind and value (largest first); :class:`MissingTableError` without the table."""
        self._require("support_by_donor")
        return self.sql("SELECT * FROM support_by_donor WHERE gwcode = ? AND year BETWEEN ? AND ? "
                          "ORDER BY year, kind, value DESC", [gwcode, first_year, last_year])

    def us_military_obligations(self, gwcodes: Sequence[int]) -> pd.DataFrame:
        """Greenbook military obligations summed per state, fiscal year and programme (its publication row):
        gwcode, fiscal_year, program, obligations_usd."""
        return self.sql(
            "SELECT CAST(gwcode AS BIGINT) AS gwcode, fiscal_year, publication_row AS program, "
            "sum(obligations_current_usd) AS obligations_usd FROM greenbook_obligations "
            f"WHERE {_codes(gwcodes)} AND assistance_category = 'Military' GROUP BY ALL")

    def budget_request_accounts(self, gwcodes: Sequence[int]) -> pd.DataFrame:
        """U.S. budget-request (CBJ) lines per account, totals left out: gwcode, fiscal_year, account,
        amount_thousands_usd."""
        return self.sql(
            "SELECT CAST(gwcode AS BIGINT) AS gwcode, fiscal_year, account, amount_thousands_usd FROM us_cbj_accounts "
            f"WHERE {_codes(gwcodes)} AND NOT is_total")

    def conflicts(self, gwcodes: Sequence[int]) -> pd.DataFrame:
        """UCDP armed-conflict years located in the states: gwcode, conflict_id, year, side_a, side_b,
        intensity_level, type_of_conflict, territory_name."""
        return self.sql(
            "SELECT CAST(l.gwcode AS BIGINT) AS gwcode, l.conflict_id, l.year, a.side_a, a.side_b, "
            "l.intensity_level, l.type_of_conflict, a.territory_name FROM ucdp_acd_locations l "
            f"JOIN ucdp_acd a USING (conflict_id, year) WHERE {_codes(gwcodes, 'l.gwcode')}")

    def event_coverage_ends(self) -> dict[str, pd.Timestamp]:
        """The last date each event list covers: pt (Powell & Thyne), cdp (Cline Center), reign, archigos."""
        row = self._row(
            "SELECT (SELECT max(make_date(CAST(year AS INT), CAST(month AS INT), CAST(coalesce(day, 1) AS INT))) "
            "FROM pt_events), (SELECT max(event_date) FROM cdp_events), (SELECT max(start_date) FROM reign_leaders), "
            "(SELECT max(enddate) FROM archigos_leaders)")
        names = ("pt", "cdp", "reign", "archigos")
        return {name: pd.Timestamp(value) for name, value in zip(names, row, strict=False) if value is not None}


class WarehouseSource:
    """Source tables read from a :class:`Warehouse` for the core's panel adders, each read once.

    ``gwcodes`` limits every table with a ``gwcode`` column to those states (the claims of one brief derive
    their indicators in half the time); the state system always covers every state.
    """

    def __init__(self, warehouse: Warehouse, gwcodes: Sequence[int] | None = None,
                 states: StateSystem | None = None) -> None:
        self.warehouse = warehouse
        self.gwcodes = None if gwcodes is None else sorted({int(c) for c in gwcodes})
        self._states = states
        self._cache: dict[str, pd.DataFrame] = {}

    def table(self, name: str) -> pd.DataFrame:
        """Source table ``name`` (limited to ``gwcodes``); :class:`MissingTableError` when the warehouse lacks it."""
        if name not in self._cache:
            self._cache[name] = self.warehouse.table(name, self.gwcodes)
        return self._cache[name]

    @property
    def states(self) -> StateSystem:
        if self._states is None:
            self._states = self.warehouse.states()
        return self._states
