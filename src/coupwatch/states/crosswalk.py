"""Map every source's country identifiers (GW, COW, ISO3, Polity, V-Dem codes, names) to Gleditsch-Ward codes.

One mechanism for all sources: dated overrides and an ignore list, both small CSV files we write with a reason
on every line, then the code system's base rule (identity for GW and COW codes, the countrycode list for ISO3,
Polity and V-Dem codes, country_converter for names). Nothing is dropped: every row gets a status
(mapped, outside_lifetime, ignored, unmapped) and the report lists what did not map.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol, cast

import numpy as np
import pandas as pd

from coupwatch.errors import UnmappedCountryError
from coupwatch.states.names import coco_table
from coupwatch.states.system import StateSystem

if TYPE_CHECKING:  # the adapters' base module loads pandera; the state system does not need it to start
    from coupwatch.sources.base import CountryKey

DATA_DIR = "src/coupwatch/states/data"
STATUSES = ("mapped", "outside_lifetime", "ignored", "unmapped")


_NOT_FOUND = "__not_found__"


@cache
def country_converter() -> Any:
    """country_converter's matcher, fed the table :func:`coco_table` reads (Namibia's 'NA' kept as text)."""
    import country_converter as coco

    logging.getLogger("country_converter").setLevel(logging.CRITICAL)
    return coco.CountryConverter(country_data=coco_table())


class _IgnoreRule(Protocol):
    """A row of ignore.csv from ``itertuples``: the rule files are read with ``dtype=str``, so every cell is text."""

    system: str
    code: str
    table: str
    from_year: str
    to_year: str
    reason: str


class _OverrideRule(_IgnoreRule, Protocol):
    """A row of overrides.csv from ``itertuples``: an ignore rule's cells plus the GW code it maps to."""

    gwcode: str


def _read(name: str, override: Path | None) -> pd.DataFrame:
    if override is not None:
        return pd.read_csv(override, dtype=str, keep_default_na=False)
    with resources.files("coupwatch.states.data").joinpath(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


def normalise_code(values: pd.Series) -> pd.Series:
    """Identifiers as clean strings: '432' for 432.0, stripped text otherwise; missing stays missing."""
    text = values.astype("string").str.strip()
    numeric = pd.to_numeric(text, errors="coerce")
    whole = numeric.notna() & (numeric == numeric.round())
    text = text.mask(whole, numeric.where(whole).astype("Int64").astype("string"))
    return text.mask(text == "")


@dataclass(frozen=True)
class MappingReport:
    """What did not map cleanly for one table: one row per identifier and status."""

    table: str
    details: pd.DataFrame  # columns: identifier, status, rows, first_year, last_year, gwcode, reason

    @property
    def unmapped(self) -> pd.DataFrame:
        return self.details[self.details["status"] == "unmapped"]

    def raise_if_unmapped(self) -> None:
        missing = self.unmapped
        if len(missing):
            pairs = [
                (str(identifier), int(rows))
                for identifier, rows in zip(missing["identifier"].tolist(), missing["rows"].tolist(), strict=True)
            ]
            raise UnmappedCountryError(
                self.table,
                pairs,
                fix=f"add a dated mapping to {DATA_DIR}/overrides.csv, or list the identifier in "
                f"{DATA_DIR}/ignore.csv with the reason it is not a state (run `coupwatch data check`)",
            )


class Crosswalk:
    """Maps identifiers to GW codes and checks the state existed in the row's year."""

    def __init__(
        self,
        states: StateSystem,
        codelist: pd.DataFrame,
        overrides: Path | None = None,
        ignores: Path | None = None,
    ) -> None:
        self.states = states
        self.overrides = _read("overrides.csv", overrides)
        self.ignores = _read("ignore.csv", ignores)
        self._validate_rules()
        self._override_rules: dict[tuple[str, str], list[tuple[str, int, int, int, str]]] = {}
        for rule in cast("Iterator[_OverrideRule]", self.overrides.itertuples()):
            self._override_rules.setdefault((rule.system, rule.code.upper()), []).append(
                (
                    rule.table,
                    int(rule.from_year) if rule.from_year else -10_000,
                    int(rule.to_year) if rule.to_year else 10_000,
                    int(rule.gwcode),
                    rule.reason,
                )
            )
        self._ignore_rules: dict[tuple[str, str], list[tuple[str, int, int, str]]] = {}
        for ignore in cast("Iterator[_IgnoreRule]", self.ignores.itertuples()):
            self._ignore_rules.setdefault((ignore.system, ignore.code.upper()), []).append(
                (
                    ignore.table,
                    int(ignore.from_year) if ignore.from_year else -10_000,
                    int(ignore.to_year) if ignore.to_year else 10_000,
                    ignore.reason,
                )
            )
        spells = states.spells
        self._known = set(spells["gwcode"].astype(int))
        countries = states.countries.dropna(subset=["iso3"])
        self._iso3_to_gw = dict(zip(countries["iso3"], countries["gwcode"].astype(int), strict=True))
        polity = codelist.dropna(subset=["p5c"])
        self._polity_to_gw: dict[str, int] = {}
        for p5c, gwn, cown in zip(polity["p5c"].tolist(), polity["gwn"].tolist(), polity["cown"].tolist(), strict=True):
            gw = gwn if pd.notna(gwn) else cown
            if pd.notna(gw):
                self._polity_to_gw[str(p5c)] = int(gw)
        by_cow = codelist.dropna(subset=["cown", "iso3c"])
        self._iso3_via_cow = {
            str(iso3c): int(cown) for iso3c, cown in zip(by_cow["iso3c"].tolist(), by_cow["cown"].tolist(), strict=True)
        }
        # V-Dem's numeric country_id: the list's GW code, else its COW code (which then follows the COW rules).
        by_vdem = codelist.dropna(subset=["vdem"])
        self._vdem_to_gw: dict[str, tuple[int | None, int | None]] = {
            str(int(vdem)): (None if pd.isna(gwn) else int(gwn), None if pd.isna(cown) else int(cown))
            for vdem, gwn, cown in zip(
                by_vdem["vdem"].tolist(), by_vdem["gwn"].tolist(), by_vdem["cown"].tolist(), strict=True
            )
        }
        self._name_cache: dict[str, str | None] = {}
        years = states.state_years(1816, 2100)
        self._alive = set(zip(years["gwcode"].to_numpy(), years["year"].to_numpy(), strict=True))

    def _validate_rules(self) -> None:
        for name, frame, needed in (
            ("overrides.csv", self.overrides, ["system", "code", "table", "from_year", "to_year", "gwcode", "reason"]),
            ("ignore.csv", self.ignores, ["system", "code", "table", "from_year", "to_year", "reason"]),
        ):
            missing = [c for c in needed if c not in frame.columns]
            if missing:
                raise ValueError(f"{DATA_DIR}/{name}: missing columns {missing}")
            blank = frame["reason"].str.strip() == ""
            if blank.any():
                row = cast(int, blank.idxmax()) + 2  # read_csv's RangeIndex: the label is the data row's position
                raise ValueError(f"{DATA_DIR}/{name} row {row}: every line needs a reason")

    # ------------------------------------------------------------------------------------------------
    def _base_rule(self, system: str, code: str, year: int | None) -> int | None:
        if system in ("gw", "cow"):
            return int(code) if code.isdigit() else None
        if system == "iso3":
            upper = code.upper()
            if upper in self._iso3_to_gw:
                return self._iso3_to_gw[upper]
            cow = self._iso3_via_cow.get(upper)
            return self._base_rule("cow", str(cow), year) if cow is not None else None
        if system == "polity":
            return self._polity_to_gw.get(code.upper())
        if system == "vdem":
            gwn, cown = self._vdem_to_gw.get(code, (None, None))
            if gwn is not None:
                return gwn
            return self._resolve("cow", str(cown), year, "*") if cown is not None else None
        if system == "name":
            iso3 = self._name_to_iso3(code)
            return self._resolve("iso3", iso3, year, "*") if iso3 else None
        raise ValueError(f"unknown code system {system!r}")

    def _name_to_iso3(self, name: str) -> str | None:
        if name not in self._name_cache:
            self._prime_names([name])
        return self._name_cache[name]

    def _prime_names(self, names: list[str]) -> None:
        todo = sorted({n for n in names if n not in self._name_cache})
        if not todo:
            return
        converted = country_converter().convert(names=todo, to="ISO3", not_found=_NOT_FOUND)
        if isinstance(converted, str):
            converted = [converted]
        for name, iso3 in zip(todo, converted, strict=True):
            self._name_cache[name] = iso3 if isinstance(iso3, str) and iso3 != _NOT_FOUND else None

    def _override(self, system: str, code: str, year: int | None, table: str) -> tuple[int, str] | None:
        for rule_table, lo, hi, gwcode, reason in self._override_rules.get((system, code.upper()), ()):
            if rule_table in ("*", table) and (year is None or lo <= year <= hi):
                return gwcode, reason
        return None

    def _resolve(self, system: str, code: str, year: int | None, table: str) -> int | None:
        hit = self._override(system, code, year, table)
        if hit is not None:
            return hit[0]
        return self._base_rule(system, code, year)

    def _ignored(self, system: str, code: str, year: int | None, table: str) -> str | None:
        for rule_table, lo, hi, reason in self._ignore_rules.get((system, code.upper()), ()):
            if rule_table in ("*", table) and (year is None or lo <= year <= hi):
                return reason
        return None

    # ------------------------------------------------------------------------------------------------
    def map_frame(self, frame: pd.DataFrame, key: CountryKey, table: str) -> tuple[pd.DataFrame, MappingReport]:
        """Return ``frame`` with ``gwcode`` (Int64) and ``gw_match`` columns, and the mapping report."""
        if key.fallback_name_column is None:
            return self._map_frame(frame, key, table)
        no_code = normalise_code(frame[key.column]).isna()
        with_code, with_code_report = self._map_frame(frame[~no_code], key, table)
        from coupwatch.sources.base import CountryKey

        by_name_key = CountryKey("name", key.fallback_name_column, key.year_column)
        by_name, by_name_report = self._map_frame(frame[no_code], by_name_key, table)
        out = pd.concat([with_code, by_name]).loc[frame.index]
        details = pd.concat([with_code_report.details, by_name_report.details], ignore_index=True)
        return out, MappingReport(table, details)

    def _map_frame(self, frame: pd.DataFrame, key: CountryKey, table: str) -> tuple[pd.DataFrame, MappingReport]:
        codes = normalise_code(frame[key.column])
        if key.year_column is not None and key.year_column in frame.columns:
            years = pd.to_numeric(frame[key.year_column], errors="coerce").astype("Int64")
        else:
            years = pd.Series(pd.NA, index=frame.index, dtype="Int64")
        if key.system == "name":
            self._prime_names(codes.dropna().unique().tolist())
        pairs = pd.DataFrame({"code": codes, "year": years}).drop_duplicates()
        gw_values: list[int | None] = []
        statuses: list[str] = []
        reasons: list[str] = []
        for code, year in zip(pairs["code"], pairs["year"], strict=True):
            year_int = None if pd.isna(year) else int(year)
            ignored = self._ignored(key.system, "" if pd.isna(code) else str(code), year_int, table)
            if pd.isna(code) and ignored is None:
                gw_values.append(None)
                statuses.append("unmapped")
                reasons.append("empty identifier")
                continue
            if ignored is not None:
                gw_values.append(None)
                statuses.append("ignored")
                reasons.append(ignored)
                continue
            gw = self._resolve(key.system, str(code), year_int, table)
            if gw is None or gw not in self._known:
                gw_values.append(None)
                statuses.append("unmapped")
                reasons.append("no Gleditsch-Ward state for this identifier")
            elif year_int is not None and (gw, year_int) not in self._alive:
                gw_values.append(gw)
                statuses.append("outside_lifetime")
                reasons.append("the state did not exist in this year")
            else:
                gw_values.append(gw)
                statuses.append("mapped")
                reasons.append("")
        pairs = pairs.assign(
            gwcode=pd.array(gw_values, dtype="Int64"), gw_match=statuses, _reason=reasons
        )
        lookup = pd.DataFrame({"code": codes, "year": years}).merge(pairs, on=["code", "year"], how="left")
        out = frame.copy()
        out["gwcode"] = lookup["gwcode"].to_numpy()
        out["gw_match"] = lookup["gw_match"].to_numpy()
        details = (
            lookup.assign(identifier=codes.to_numpy())
            .groupby(["identifier", "gw_match"], dropna=False)
            .agg(
                rows=("gw_match", "size"),
                first_year=("year", "min"),
                last_year=("year", "max"),
                gwcode=("gwcode", "first"),
                reason=("_reason", "first"),
            )
            .reset_index()
            .rename(columns={"gw_match": "status"})
        )
        details = details[details["status"] != "mapped"].reset_index(drop=True)
        details.insert(0, "table", table)
        return out, MappingReport(table, details)


def summary(frames: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """Counts of rows by table and mapping status."""
    rows = []
    for name, frame in frames.items():
        if "gw_match" not in frame.columns:
            continue
        counts = frame["gw_match"].value_counts()
        rows.append({"table": name, **{s: int(counts.get(s, 0)) for s in STATUSES}})
    return pd.DataFrame(rows, columns=["table", *STATUSES]).astype({s: np.int64 for s in STATUSES})
