"""What the web app reads: the warehouse (read-only), the saved backtest and the saved forecasts.

Everything here is read-only and cached per app: the warehouse never changes while the server runs (a rebuild
swaps the file, and a restart picks it up), and saved forecasts and backtests are re-read when their file
changes on disk.
"""

from __future__ import annotations

import json
import re
import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import pandas as pd

from coupwatch.cells import is_missing
from coupwatch.errors import CoupwatchError
from coupwatch.states.names import StateNames
from coupwatch.states.regions import AFRICA, GROUPS, LABELS, REGION_FILTERS
from coupwatch.states.system import close_labels, readable_name
from coupwatch.store.file_versions import FileVersion, file_version
from coupwatch.store.outputs import Document, OutputError, OutputKind, OutputMissingError, SavedFolder
from coupwatch.store.reader import Warehouse
from coupwatch.store.saved import (
    ABLATION,
    ABLATION_FILE,
    BACKTEST,
    FORECASTS,
    MAIN_MODEL,
    METRICS_FILE,
    load_forecast,
)
from coupwatch.store.schemas import AblationSummary, BacktestMetrics

if TYPE_CHECKING:
    from coupwatch.core.evaluate.backtest import BacktestResult
from coupwatch.suggest import close_names, unknown_columns_message
from coupwatch.web.guards import shorten

T = TypeVar("T")

OUTCOMES = ("attempt", "success")
KEY_COLUMNS = {
    "gwcode": ("Gleditsch-Ward state number", "gw_states", None),
    "year": ("Calendar year (U.S. fiscal year for U.S. aid columns)", None, "year"),
    "iso3": ("ISO 3166-1 alpha-3 code", "countrycode", None),
    "gwc": ("Gleditsch-Ward letter code", "gw_states", None),
    "country": ("State name in the Gleditsch-Ward list", "gw_states", None),
    "region": ("Region by the Gleditsch-Ward code blocks", "gw_states", None),
    "subregion": ("UN geoscheme sub-region", "countrycode", None),
    "africa": ("True for African states (North Africa included)", "gw_states", None),
    "microstate": ("True for a Gleditsch-Ward microstate", "gw_microstates", None),
}


class WebError(CoupwatchError):
    """An error the web layer turns into an HTTP response with a message and the allowed values."""

    status = 400
    headers: dict[str, str] | None = None

    def __init__(self, detail: str, allowed: Sequence[object] | None = None) -> None:
        self.detail = detail
        self.allowed = [str(a) for a in allowed] if allowed is not None else None
        super().__init__(detail)


class NotFoundError(WebError):
    status = 404


class BadParameterError(WebError):
    status = 422


class UnavailableError(WebError):
    """Something the server needs has not been produced yet (warehouse, backtest or forecast)."""

    status = 503


def backtest_missing_message(folder: Path) -> str:
    return f"no saved backtest in {folder}. Fix: run `coupwatch backtest` with COUPWATCH_HOME={folder.parent}"


def file_stamps(*paths: Path) -> tuple[FileVersion | None, ...]:
    """Each file's version (None where it is missing): memo keys that change when an output is rewritten."""
    return tuple(file_version(p) for p in paths)


def forecast_missing_message(folder: Path, year: int | None = None) -> str:
    which = f" for {year}" if year is not None else ""
    return (f"no saved forecast{which} in {folder}. Fix: run `coupwatch backtest` (once) and then "
            f"`coupwatch forecast{f' --year {year}' if year is not None else ''}` with COUPWATCH_HOME="
            f"{folder.parent}")


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")


class Memo:
    """A thread-safe memo of computed values, bounded in size (least recently used go first)."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self._values: OrderedDict[Hashable, Any] = OrderedDict()
        self._locks: dict[Hashable, threading.Lock] = {}
        self._guard = threading.Lock()

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        try:
            value: T = self._values[key]
            return value
        except KeyError:
            pass
        with self._guard:
            lock = self._locks.setdefault(key, threading.Lock())
        with lock:
            if key in self._values:
                return self._values[key]
            value = compute()
            with self._guard:
                self._values[key] = value
                while len(self._values) > self.size:
                    old, _ = self._values.popitem(last=False)
                    self._locks.pop(old, None)
            return value

    def clear(self) -> None:
        with self._guard:
            self._values.clear()
            self._locks.clear()


@dataclass(frozen=True)
class CountryRef:
    gwcode: int
    iso3: str | None
    gwc: str | None
    name: str
    region: str
    subregion: str | None
    africa: bool
    first_year: int
    last_year: int

    @property
    def code(self) -> str:
        """The code used in URLs: ISO3, or the GW letter code for the few states without one."""
        return self.iso3 or self.gwc or str(self.gwcode)


@dataclass(frozen=True)
class RegionFilter:
    slug: str
    label: str
    gwcodes: frozenset[int]


@dataclass
class Store:
    """The app's read-only view of COUPWATCH_HOME."""

    home: Path
    memo: Memo = field(default_factory=Memo)
    _warehouse: Warehouse | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    # ---- warehouse ---------------------------------------------------------------------------------------

    @property
    def warehouse_path(self) -> Path:
        return self.home / "warehouse.duckdb"

    def warehouse(self) -> Warehouse:
        """The shared read-only warehouse (opened on first use; it serves every thread)."""
        if self._warehouse is None:
            with self._lock:
                if self._warehouse is None:
                    if not self.warehouse_path.is_file():
                        raise UnavailableError(
                            f"{self.warehouse_path}: no warehouse yet. Fix: run `coupwatch data build` with "
                            f"COUPWATCH_HOME={self.home} (set COUPWATCH_MIRROR to build offline)"
                        )
                    self._warehouse = Warehouse(self.warehouse_path)
        return self._warehouse

    def close(self) -> None:
        with self._lock:
            if self._warehouse is not None:
                self._warehouse.close()
                self._warehouse = None
        self.memo.clear()

    def countries(self, warehouse: Warehouse) -> dict[int, CountryRef]:
        def load() -> dict[int, CountryRef]:
            frame = warehouse.countries()
            out = {}
            for row in frame.to_dict("records"):
                out[int(row["gwcode"])] = CountryRef(
                    int(row["gwcode"]), None if pd.isna(row["iso3"]) else str(row["iso3"]),
                    None if pd.isna(row["gwc"]) else str(row["gwc"]), readable_name(str(row["name"])),
                    str(row["region"]), None if pd.isna(row["subregion"]) else str(row["subregion"]),
                    bool(row["africa"]), int(row["first_year"]), int(row["last_year"]))
            return out

        return self.memo.get("countries", load)

    def state_names(self, warehouse: Warehouse) -> StateNames:
        """Every code and name of every state (today's, Gleditsch-Ward, former and common names) for search."""
        def load() -> StateNames:
            frame = warehouse.table("states")
            if "gw_name" not in frame:  # a warehouse built before display names: its names are the GW names
                frame["gw_name"] = frame["name"]
            frame["gw_name"] = frame["gw_name"].map(lambda n: readable_name(str(n)))
            return StateNames(frame)

        return self.memo.get("state_names", load)

    def country(self, warehouse: Warehouse, code: str) -> CountryRef:
        """A state by ISO3 (or GW letter code for the few without ISO3); anything else -> 404 saying which state
        the text would name in another code system and the ISO3 codes it may have meant."""
        countries = self.countries(warehouse)
        by_code = self.memo.get("country_codes", lambda: {
            **{c.gwc.upper(): c for c in countries.values() if c.gwc and not c.iso3},
            **{c.iso3.upper(): c for c in countries.values() if c.iso3},
        })
        found = by_code.get(code.strip().upper())
        if found is not None:
            return found
        close = close_labels(code, {f"{c.code} ({c.name})": (c.code, c.name) for c in countries.values()})
        names = self.state_names(warehouse)
        other = names.match(code, letter_codes=True)
        if other is not None and other.gwcode in countries:
            state = countries[other.gwcode]
            close = list(dict.fromkeys([f"{state.code} ({state.name})", *close]))[:5]
            raise NotFoundError(
                f"{code.strip()!r} is not an ISO3 code: it is the {other.matched} of {state.name}, whose ISO3 code "
                f"is {state.code}. Did you mean {' or '.join(close[:3])}? "
                "Use an ISO3 code such as MLI; GET /api/countries lists them all",
                allowed=close,
            )
        raise NotFoundError(
            f"unknown ISO3 code {code!r}. Close matches: {', '.join(close) or 'none'}. "
            "Use an ISO3 code such as MLI; GET /api/countries lists them all",
            allowed=close,
        )

    def search(self, warehouse: Warehouse, text: str) -> list[CountryRef]:
        """States ``text`` names exactly (any code or name, accents optional), else those whose names contain it."""
        countries = self.countries(warehouse)
        names = self.state_names(warehouse)
        exact = names.match(text, letter_codes=False)
        if exact is not None and exact.gwcode in countries:
            return [countries[exact.gwcode]]
        return [countries[g] for g in names.containing(text) if g in countries]

    def panel_info(self, warehouse: Warehouse) -> tuple[int, int, list[str], dict[str, dict[str, Any]]]:
        """First and last panel year, the panel's columns and the documentation of each."""

        def load() -> tuple[int, int, list[str], dict[str, dict[str, Any]]]:
            columns = warehouse.panel_columns()
            lo, hi = warehouse.panel_years()
            # Query results are labelled by column name, so every record is keyed by strings.
            records = cast(list[dict[str, Any]], warehouse.column_docs().to_dict("records"))
            docs = {r["name"]: r for r in records}
            return int(lo), int(hi), columns, docs

        return self.memo.get("panel_info", load)

    def column_info(self, warehouse: Warehouse, columns: Sequence[str]) -> list[dict[str, Any]]:
        docs = self.panel_info(warehouse)[3]
        out = []
        for name in columns:
            doc = docs.get(name) or dict(zip(("description", "source", "unit"), KEY_COLUMNS.get(name, ()),
                                             strict=False))
            out.append({"name": name, "description": _text(doc.get("description")),
                        "source": _text(doc.get("source")), "unit": _text(doc.get("unit"))})
        return out

    def check_years(self, warehouse: Warehouse, country: CountryRef, first: int | None, last: int | None,
                    default_first: int | None = None) -> tuple[int, int]:
        lo, hi, _, _ = self.panel_info(warehouse)
        start = max(country.first_year, default_first if default_first is not None else lo) if first is None else first
        end = country.last_year if last is None else last
        for name, value in (("from", first), ("to", last)):
            if value is not None and not lo <= value <= hi:
                raise BadParameterError(f"{name}={value} is outside the panel's years {lo}-{hi}",
                                   allowed=[f"{lo}-{hi}"])
        if start > end:
            raise BadParameterError(f"from={start} is after to={end}; give from <= to", allowed=[f"{lo}-{hi}"])
        if end < country.first_year or start > country.last_year:
            raise BadParameterError(
                f"{country.name} is in the panel only {country.first_year}-{country.last_year}; "
                f"from={start} to={end} has no rows",
                allowed=[f"{country.first_year}-{country.last_year}"],
            )
        return start, end

    def panel(self, warehouse: Warehouse, country: CountryRef, first: int, last: int,
              columns: Sequence[str] | None) -> pd.DataFrame:
        available = self.panel_info(warehouse)[2]
        if columns:
            unknown = [c for c in columns if c not in available]
            if unknown:
                raise BadParameterError(
                    unknown_columns_message(
                        [shorten(c, 40) for c in unknown[:10]], available, more=len(unknown[10:]),
                        listing=f"The panel has {len(available)} columns: GET /api/countries/{{iso3}}/panel without "
                        "columns= returns them all"),
                    allowed=[m for c in unknown[:10] for m in close_names(c, available)] or available[:10],
                )
            keys = ["gwcode", "year", "iso3", "country"]
            chosen = list(dict.fromkeys([*keys, *columns]))
        else:
            chosen = available
        frame = warehouse.panel_rows([country.gwcode], first, last, chosen)
        if "country" in frame:
            frame["country"] = frame["country"].map(readable_name)
        return frame

    def coups(self, warehouse: Warehouse, gwcode: int) -> pd.DataFrame:
        return warehouse.coup_counts(gwcode)

    def coups_in(self, warehouse: Warehouse, year: int) -> pd.DataFrame:
        def load() -> pd.DataFrame:
            frame = warehouse.coups_in(year)
            return frame.assign(country=frame["country"].map(readable_name))

        return self.memo.get(("coups_in", year), load)

    def build_info(self, warehouse: Warehouse) -> dict[str, Any]:
        return self.memo.get("build_info", warehouse.build_info)

    def sources(self, warehouse: Warehouse) -> list[dict[str, Any]]:
        def load() -> list[dict[str, Any]]:
            sources = warehouse.sources()
            provenance = warehouse.provenance().sort_values(["source", "table_name"])
            out = []
            for spec in sources.to_dict("records"):
                tables = provenance[provenance["source"] == spec["source"]]
                out.append({**{str(k): _text(v) for k, v in spec.items() if k != "folder"},
                            "tables": [_clean_record(r) for r in tables.to_dict("records")]})
            return out

        return self.memo.get("sources", load)

    def sector_gaps(self, warehouse: Warehouse) -> dict[str, str]:
        from coupwatch.core import assistance

        def load() -> dict[str, str]:
            provenance = warehouse.provenance()
            rows = provenance.loc[provenance["table_name"] == "fagov_sector", "sha256"]
            return assistance.sector_gaps("fagov_sector", str(rows.iloc[0]) if len(rows) else None)

        return self.memo.get("sector_gaps", load)

    def regions(self, warehouse: Warehouse) -> dict[str, RegionFilter]:
        """Region filters: the Gleditsch-Ward regions, the whole of Africa, the Sahel and West Africa."""

        def load() -> dict[str, RegionFilter]:
            countries = self.countries(warehouse).values()
            out: dict[str, RegionFilter] = {}
            for label in sorted({c.region for c in countries}):
                out[slug(label)] = RegionFilter(slug(label), label,
                                                frozenset(c.gwcode for c in countries if c.region == label))
            out[AFRICA] = RegionFilter(AFRICA, LABELS[AFRICA], frozenset(c.gwcode for c in countries if c.africa))
            for group in (g for g in REGION_FILTERS if g != AFRICA):
                codes = set(GROUPS[group])
                out[group] = RegionFilter(group, LABELS[group],
                                          frozenset(c.gwcode for c in countries if c.iso3 in codes))
            return out

        return self.memo.get("regions", load)

    def region(self, warehouse: Warehouse, value: str) -> RegionFilter:
        regions = self.regions(warehouse)
        key = slug(value)
        for region in regions.values():
            if key in (region.slug, slug(region.label)):
                return region
        raise BadParameterError(
            f"unknown region {value!r}; allowed: {', '.join(regions)} (or the names: "
            f"{', '.join(r.label for r in regions.values())})",
            allowed=list(regions),
        )

    # ---- saved backtest and forecasts ----------------------------------------------------------------------

    @property
    def forecast_folder(self) -> Path:
        return self.home / "forecasts"

    @property
    def backtest_folder(self) -> Path:
        return self.home / "backtest"

    @property
    def predictions_path(self) -> Path:
        return self.backtest_folder / "predictions.parquet"

    @property
    def metrics_path(self) -> Path:
        return self.backtest_folder / METRICS_FILE

    def forecast_stamps(self) -> tuple[FileVersion | None, ...]:
        """Each saved watchlist's version: part of the key of anything shown from them."""
        return file_stamps(*self.forecast_files().values())

    def forecast_files(self, outcome: str = "attempt", model: str = MAIN_MODEL) -> dict[int, Path]:
        files = {}
        for path in sorted(self.forecast_folder.glob(f"forecast-*-{outcome}-{model}.parquet")):
            year = path.name.split("-")[1]
            if year.isdigit():
                files[int(year)] = path
        return files

    def forecast(self, year: int | None = None, outcome: str = "attempt", model: str = MAIN_MODEL
                 ) -> tuple[pd.DataFrame, Path]:
        """A saved watchlist (latest year when None) with last year's rank; 503 when none is saved."""
        files = self.forecast_files(outcome, model)
        if not files:
            raise UnavailableError(forecast_missing_message(self.forecast_folder))
        if year is None:
            year = max(files)
        if year not in files:
            raise BadParameterError(
                f"year={year} has no saved forecast; saved years: {', '.join(map(str, sorted(files)))} "
                f"(make another with `coupwatch forecast --year {year}`)",
                allowed=[str(y) for y in sorted(files)],
            )
        path = files[year]
        stamp = file_version(path)

        def load() -> pd.DataFrame:
            try:
                frame = load_forecast(year, outcome=outcome, model=model, folder=self.forecast_folder)
            except OutputError as exc:
                raise UnavailableError(str(exc)) from exc
            ranked = frame["p_last_year"].rank(ascending=False, method="min")
            frame["rank_last_year"] = ranked.astype("Int64")
            frame["country"] = frame["country"].map(readable_name)
            return frame

        return self.memo.get(("forecast", str(path), stamp), load), path

    def backtest_result(self) -> BacktestResult:
        """The saved backtest, read again only when it is rewritten; 503 when there is none."""
        if not self.predictions_path.exists():
            raise UnavailableError(backtest_missing_message(self.backtest_folder))

        def load() -> BacktestResult:
            from coupwatch.app.backtest import load_backtest  # the modelling stack, only when a page needs it

            try:
                return load_backtest(self.backtest_folder)
            except CoupwatchError as exc:
                raise UnavailableError(str(exc)) from exc

        return self.memo.get(("backtest", file_stamps(self.predictions_path, self.metrics_path)), load)

    def backtest(self) -> pd.DataFrame:
        """Out-of-sample predictions of the saved backtest; 503 when there is none."""
        predictions: pd.DataFrame = self.backtest_result().predictions
        return predictions

    def _saved_document(self, path: Path, kind: OutputKind, model: type[Document]) -> Document | None:
        """A saved typed document checked against its folder's manifest, read again only when the file changes;
        None when it is not there, 503 when it is damaged."""
        if not path.exists():
            return None
        stamp = file_version(path)

        def load() -> Document:
            try:
                return SavedFolder.open(path.parent, kind).document(path.name, model)
            except OutputError as exc:
                raise UnavailableError(str(exc)) from exc

        return self.memo.get(("document", str(path), stamp), load)

    def backtest_metrics(self) -> BacktestMetrics | None:
        return self._saved_document(self.metrics_path, BACKTEST, BacktestMetrics)

    @property
    def ablation_file(self) -> Path:
        return self.home / "ablation" / ABLATION_FILE

    def ablation_summary(self) -> AblationSummary | None:
        """The saved feature-group ablation (`coupwatch ablation`), or None when it has not been run."""
        return self._saved_document(self.ablation_file, ABLATION, AblationSummary)

    def output_problems(self) -> list[str]:
        """What is wrong with the saved backtest, forecasts and ablation (each file checked against its folder's
        manifest); empty when every saved output is whole. A missing output is not a problem here."""
        problems = []
        for folder, kind in ((self.backtest_folder, BACKTEST), (self.forecast_folder, FORECASTS),
                             (self.home / "ablation", ABLATION)):
            try:
                SavedFolder.open(folder, kind).check_all()
            except OutputMissingError:
                continue
            except OutputError as exc:
                problems.append(f"{kind.name} output: {exc}")
        return problems


def _text(value: object) -> str | None:
    if is_missing(value):
        return None
    return str(value)


def _clean_record(record: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in record.items():
        if is_missing(value):
            out[key] = None
        elif hasattr(value, "item"):
            out[key] = value.item()
        else:
            out[key] = value
    return out


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """JSON-ready rows: NaN and NA become None, numpy scalars Python scalars."""
    return list(json.loads(frame.to_json(orient="records", date_format="iso")))


def watchlist_records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """A watchlist's rows as :func:`records`, each with its decoded drivers as they are (not re-encoded)."""
    rows = records(frame.drop(columns=["drivers"]))
    for row, drivers in zip(rows, frame["drivers"], strict=True):
        row["drivers"] = drivers
    return rows
