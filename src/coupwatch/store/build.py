"""The DuckDB warehouse: source tables, harmonised panels and provenance, built all-or-nothing.

``build()`` fetches every source file (hash-checked), parses and validates it, applies the documented
corrections, maps every row to Gleditsch-Ward states, builds the panels, and writes everything into a
temporary DuckDB file that replaces the previous warehouse only when complete. Any failure leaves the
previous warehouse untouched.
"""

from __future__ import annotations

import contextlib
import ctypes
import datetime as dt
import multiprocessing as mp
import os
import signal
import sys
import threading
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from coupwatch import config
from coupwatch.core.corrections import apply_corrections, load_corrections
from coupwatch.errors import CoupwatchError, SourceFileError, UnmappedCountryError
from coupwatch.sources import all_tables
from coupwatch.sources.base import Table
from coupwatch.states import Crosswalk, MappingReport, StateSystem
from coupwatch.store.fetch import FetchedFile, fetch
from coupwatch.store.outputs import remove_stale_temporaries, write_failure
from coupwatch.store.reader import STATE_TABLES

PANEL_FIRST_YEAR = 1946
MONTH_PANEL_FIRST_YEAR = 1950

Reporter = Callable[[str, int, int], None]
PR_SET_PDEATHSIG = 1  # prctl option: the signal a process gets when its parent ends (Linux)


def _quiet(_step: str, _done: int, _total: int) -> None:
    return None


@dataclass
class ParsedSources:
    """Every source table parsed, corrected and mapped, plus what the mapping and corrections reported."""

    frames: dict[str, pd.DataFrame]
    fetched: dict[str, FetchedFile]
    states: StateSystem
    reports: list[MappingReport] = field(default_factory=list)
    corrections: list[dict[str, object]] = field(default_factory=list)

    def mapping_report(self) -> pd.DataFrame:
        frames = [r.details for r in self.reports if len(r.details)]
        columns = ["table", "identifier", "status", "rows", "first_year", "last_year", "gwcode", "reason"]
        return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)


def _fetch_and_parse(table: Table, mirror: str | None) -> tuple[FetchedFile, pd.DataFrame]:
    got = fetch(table.remote, table.source.folder, mirror=mirror)
    try:
        frame = table.parse(got.path)
    except PermissionError as exc:
        raise SourceFileError(str(got.path), "cannot be read (permission denied)",
                              fix="give the user running coupwatch read access to the file "
                              f"(chmod a+r {got.path})") from exc
    table.check_whole(frame, got.path)
    return got, frame


def _die_with_parent(parent: int) -> None:
    """Runs first in each parse worker: the worker ends when the build that started it ends, even by kill -9."""
    if sys.platform.startswith("linux"):
        with contextlib.suppress(OSError, AttributeError):
            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    if os.getppid() != parent:  # the parent died before the signal was armed
        os._exit(1)
    if not sys.platform.startswith("linux"):
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(1)


def parse_sources(
    tables: Sequence[Table] | None = None,
    *,
    mirror: str | None = None,
    report: Reporter = _quiet,
    workers: int | None = None,
) -> ParsedSources:
    """Fetch, parse, correct and map every table (in ``workers`` processes; default one per core, up to 4).

    Raises on the first bad file, in table order.
    """
    chosen = tuple(tables) if tables is not None else all_tables()
    corrections = load_corrections()
    frames: dict[str, pd.DataFrame] = {}
    fetched: dict[str, FetchedFile] = {}
    applied: list[dict[str, object]] = []
    total = len(chosen) * 2
    # Fetching (hashing) and parsing are independent per table and can be spread over processes.
    jobs = min(workers if workers is not None else min(os.cpu_count() or 1, 4), len(chosen)) or 1
    # Forked workers share the parent's imported modules; spawning would re-import pandas in each.
    method = "fork" if "fork" in mp.get_all_start_methods() else "spawn"
    pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context(method), initializer=_die_with_parent,
                               initargs=(os.getpid(),)) if jobs > 1 else None
    try:
        results = (
            pool.map(_fetch_and_parse, chosen, [mirror] * len(chosen))
            if pool is not None
            else map(_fetch_and_parse, chosen, [mirror] * len(chosen))
        )
        for number, (table, (got, frame)) in enumerate(zip(chosen, results, strict=True)):
            report(f"parse {table.name}", number, total)
            fetched[table.name] = got
            frame, done = apply_corrections(table.name, frame, corrections, table.source.version)
            applied.extend(done)
            frames[table.name] = frame.reset_index()
    finally:
        if pool is not None:
            pool.shutdown(cancel_futures=True)
    missing_state_tables = [t for t in STATE_TABLES if t not in frames]
    if missing_state_tables:
        raise CoupwatchError(f"the state system needs the tables {missing_state_tables}")
    states = StateSystem.from_tables(frames["gw_states"], frames["gw_microstates"], frames["countrycode"])
    crosswalk = Crosswalk(states, frames["countrycode"])
    reports: list[MappingReport] = []
    for number, table in enumerate(chosen):
        report(f"map {table.name}", len(chosen) + number, total)
        if table.country is None:
            continue
        frames[table.name], mapping = crosswalk.map_frame(frames[table.name], table.country, table.name)
        reports.append(mapping)
    report("sources ready", total, total)
    return ParsedSources(frames, fetched, states, reports, applied)


def raise_if_unmapped(parsed: ParsedSources) -> None:
    problems = [r for r in parsed.reports if len(r.unmapped)]
    if not problems:
        return
    if len(problems) == 1:
        problems[0].raise_if_unmapped()
    pairs = [
        (f"{r.table}: {row['identifier']}", int(row["rows"])) for r in problems for row in r.unmapped.to_dict("records")
    ]
    raise UnmappedCountryError(
        f"{len(problems)} tables",
        pairs,
        fix="add dated mappings to src/coupwatch/states/data/overrides.csv, or list identifiers that are "
        "not states in src/coupwatch/states/data/ignore.csv with a reason (`coupwatch data check` lists all)",
    )


# ---------------------------------------------------------------------------------------------------------
# Build
# ---------------------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class BuildResult:
    path: Path
    seconds: float
    provenance: pd.DataFrame
    panel_rows: int
    month_rows: int


def _provenance(parsed: ParsedSources, tables: Sequence[Table], built_at: str) -> pd.DataFrame:
    rows = []
    for table in tables:
        got = parsed.fetched[table.name]
        frame = parsed.frames[table.name]
        years = frame["year"] if "year" in frame.columns else pd.Series(dtype="float")
        years = pd.to_numeric(years, errors="coerce")
        rows.append(
            {
                "source": table.source.name,
                "table_name": table.name,
                "title": table.source.title,
                "publisher": table.source.publisher,
                "version": table.source.version,
                "file": table.filename,
                "url": table.remote.url,
                "fetched_from": got.url,
                "origin": got.origin,
                "sha256": got.sha256,
                "pinned_sha256": table.remote.sha256,
                "hash_matches_pin": got.pinned,
                "rows": len(frame),
                "first_year": None if years.dropna().empty else int(years.min()),
                "last_year": None if years.dropna().empty else int(years.max()),
                "licence": table.source.licence,
                "description": table.description,
                "built_at": built_at,
            }
        )
    return pd.DataFrame(rows).astype({"first_year": "Int64", "last_year": "Int64"})


def _sources_table(tables: Sequence[Table]) -> pd.DataFrame:
    seen: dict[str, dict[str, object]] = {}
    for table in tables:
        spec = table.source
        seen.setdefault(
            spec.name,
            {
                "source": spec.name,
                "title": spec.title,
                "publisher": spec.publisher,
                "version": spec.version,
                "licence": spec.licence,
                "coverage": spec.coverage,
                "homepage": spec.homepage,
                "citation": spec.citation,
                "folder": spec.folder,
            },
        )
    return pd.DataFrame(list(seen.values()))


def panel_last_year(parsed: ParsedSources) -> int:
    """The latest year any coup source covers, so the panel ends where outcomes are still observed + 1."""
    limit = dt.date.today().year - 1
    years = [int(pd.to_numeric(f["year"], errors="coerce").max()) for f in parsed.frames.values() if "year" in f]
    return min(max(years), limit)


def build_panels(parsed: ParsedSources, last_year: int) -> tuple[pd.DataFrame, pd.DataFrame]:
    from coupwatch.core import panel as pn

    data = pn.FrameSource(parsed.frames, parsed.states)
    year_panel = pn.country_years(PANEL_FIRST_YEAR, last_year, data)
    month_panel = pn.country_months(MONTH_PANEL_FIRST_YEAR, last_year, data)
    for adder in pn.ADD_FUNCTIONS.values():
        year_panel = adder(year_panel, data)
    month_panel = pn.add_coups(month_panel, data)
    return year_panel, month_panel


def support_table(parsed: ParsedSources) -> pd.DataFrame | None:
    """The donor x recipient x year table (``coupwatch.core.donors.support_by_donor``) when its sources are built."""
    from coupwatch.core import donors

    needed = ("sipri_arms_deliveries", "oda_dac2a", "un_peacekeeping_expenses")
    if not all(name in parsed.frames for name in needed):
        return None
    return donors.support_by_donor(*(parsed.frames[name] for name in needed))


def _write_frame(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    clean = frame.copy()
    for column in clean.columns:
        if clean[column].dtype == object:
            clean[column] = clean[column].astype("string")
    con.register("_frame", clean)
    con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
    con.unregister("_frame")


def build(
    target: Path | None = None,
    *,
    mirror: str | None = None,
    tables: Sequence[Table] | None = None,
    report: Reporter = _quiet,
    workers: int | None = None,
) -> BuildResult:
    """Build the warehouse into a temporary file and swap it in only when complete."""
    started = time.perf_counter()
    target = target or config.warehouse_path()
    rerun = "`coupwatch data build`"
    temporary = target.with_name(f".{target.name}.building-{os.getpid()}")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        remove_stale_temporaries(target)  # .warehouse.duckdb.building-<pid> of builds that were killed
        temporary.touch()  # a home that cannot be written fails now, not after a minute of parsing
        temporary.unlink()
    except OSError as exc:
        raise write_failure(target, exc, rerun) from exc
    chosen = tuple(tables) if tables is not None else all_tables()
    parsed = parse_sources(chosen, mirror=mirror, report=report, workers=workers)
    raise_if_unmapped(parsed)
    report("build panels", 0, 1)
    year_panel, month_panel = build_panels(parsed, panel_last_year(parsed))
    support = support_table(parsed)
    from coupwatch.core.panel import describe_columns

    built_at = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    provenance = _provenance(parsed, chosen, built_at)
    try:
        temporary.unlink(missing_ok=True)
        con = duckdb.connect(str(temporary))
        try:
            for number, (name, frame) in enumerate(parsed.frames.items()):
                report(f"write {name}", number, len(parsed.frames))
                _write_frame(con, name, frame)
            _write_frame(con, "states", parsed.states.countries)
            _write_frame(con, "panel_country_year", year_panel)
            _write_frame(con, "panel_country_month", month_panel)
            _write_frame(con, "panel_columns", describe_columns())
            if support is not None:
                _write_frame(con, "support_by_donor", support)
            _write_frame(con, "provenance", provenance)
            _write_frame(con, "sources", _sources_table(chosen))
            _write_frame(con, "mapping_report", parsed.mapping_report())
            _write_frame(con, "corrections", pd.DataFrame(parsed.corrections))
            _write_frame(
                con,
                "build_info",
                pd.DataFrame([{"built_at": built_at, "panel_first_year": PANEL_FIRST_YEAR,
                               "panel_last_year": int(year_panel["year"].max())}]),
            )
            con.execute("CHECKPOINT")
        finally:
            con.close()
        os.replace(temporary, target)
    except OSError as exc:
        raise write_failure(target, exc, rerun) from exc
    except duckdb.Error as exc:  # a full disk shows as an IO or a commit (TransactionException) error
        raise CoupwatchError(f"{target}: writing the warehouse failed ({exc}); the previous warehouse is "
                             f"unchanged. Fix: free space on that disk or choose a writable COUPWATCH_HOME, then "
                             f"rerun {rerun}") from exc
    finally:
        temporary.unlink(missing_ok=True)
        Path(f"{temporary}.wal").unlink(missing_ok=True)
    report("done", 1, 1)
    return BuildResult(target, time.perf_counter() - started, provenance, len(year_panel), len(month_panel))
