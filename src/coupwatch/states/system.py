"""The Gleditsch-Ward state system with dates: which states existed in which year and month."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from functools import cached_property
from importlib import resources
from typing import Protocol, cast

import numpy as np
import pandas as pd

from coupwatch.errors import UnknownCountryError
from coupwatch.states.names import GW_LETTERS, ISO3, StateMatch, StateNames, display_name
from coupwatch.states.regions import is_african, region_of

_C1_CONTROLS = re.compile("[\x80-\x9f]")


def readable_name(name: str) -> str:
    """A state's name for readers: Windows-1252 punctuation read as Latin-1 ('Cote D\\x92Ivoire') repaired.

    The states source is read as cp1252 now; warehouses and saved outputs built before that still carry it.
    """
    if not _C1_CONTROLS.search(name):
        return name
    try:
        return name.encode("latin-1").decode("cp1252")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return _C1_CONTROLS.sub("", name)


def close_labels(text: str, labels: Mapping[str, Iterable[str]], n: int = 5, cutoff: float = 0.4) -> list[str]:
    """The (at most ``n``) labels whose keys are most like ``text``, case-insensitive, scoring above ``cutoff``."""
    scores = {
        label: max((difflib.SequenceMatcher(None, text.lower(), key.lower()).ratio() for key in keys if key),
                   default=0.0)
        for label, keys in labels.items()
    }
    ranked = sorted(scores, key=lambda label: -scores[label])
    return [label for label in ranked[:n] if scores[label] > cutoff]


def _package_csv(name: str) -> pd.DataFrame:
    with resources.files("coupwatch.states.data").joinpath(name).open("r", encoding="utf-8") as handle:
        return pd.read_csv(handle, dtype=str, keep_default_na=False)


class _CountryRow(Protocol):
    """A row of ``StateSystem.countries`` from ``itertuples``: the columns close_matches reads."""

    gwcode: int
    gwc: str
    name: str
    gw_name: str
    iso3: object  # an ISO3 code, or None for states without one


@dataclass(frozen=True, eq=False)
class StateSystem:
    """State spells (gwcode, start, end; end NaT while the state exists) plus names, ISO3 codes and regions.

    A state counts in a year (month) when it existed on at least one day of that year (month).
    """

    spells: pd.DataFrame

    @classmethod
    def from_tables(
        cls, gw_states: pd.DataFrame, gw_microstates: pd.DataFrame, codelist: pd.DataFrame
    ) -> StateSystem:
        spells = pd.concat([gw_states, gw_microstates], ignore_index=True)
        spells = spells[["gwcode", "gwc", "name", "start", "end", "microstate"]].copy()
        spells["gwcode"] = spells["gwcode"].astype("int64")
        iso = codelist.dropna(subset=["gwn", "iso3c"]).astype({"gwn": "int64"})
        iso3_by_gw: dict[int, str] = dict(zip(iso["gwn"], iso["iso3c"], strict=True))
        # Microstates are missing from the codelist's GW column; their COW code leads to them.
        by_cow = codelist.dropna(subset=["cown", "iso3c"]).astype({"cown": "int64"})
        cow_to_gw = {946: 970, 947: 973, 955: 972, 970: 971}
        for cown, iso3 in zip(by_cow["cown"], by_cow["iso3c"], strict=True):
            gw = cow_to_gw.get(cown, cown)
            if gw in set(gw_microstates["gwcode"].astype(int)) and gw not in iso3_by_gw:
                iso3_by_gw[gw] = iso3
        gw_iso3 = _package_csv("gw_iso3.csv")
        for gwcode, iso3 in zip(gw_iso3["gwcode"].tolist(), gw_iso3["iso3"].tolist(), strict=True):
            iso3_by_gw[int(gwcode)] = iso3
        spells["iso3"] = spells["gwcode"].map(lambda g: iso3_by_gw.get(g) or None).astype(object)
        spells["region"] = spells["gwcode"].map(region_of)
        # The 23 UN geoscheme regions (Western Africa, Middle Africa ...) stand in for neighbourhoods: the
        # data at hand have no contiguity list.
        subregion_by_iso3 = dict(zip(codelist["iso3c"], codelist["region23"], strict=True))
        spells["subregion"] = [
            subregion_by_iso3.get(iso3) if isinstance(iso3, str) else None for iso3 in spells["iso3"]
        ]
        spells["subregion"] = spells["subregion"].where(spells["subregion"].notna(), spells["region"])
        spells["africa"] = spells["gwcode"].map(is_african)
        return cls(spells.sort_values(["gwcode", "start"]).reset_index(drop=True))

    # ------------------------------------------------------------------------------------------------
    @cached_property
    def countries(self) -> pd.DataFrame:
        """One row per GW code: latest name, ISO3, region, first and last year of existence."""
        spells = self.spells
        last = spells.sort_values("start").groupby("gwcode").tail(1).set_index("gwcode")
        first_year = spells.groupby("gwcode")["start"].min().dt.year
        # NaT is a datetime at runtime, but the stubs' NaTType is not one of the dtypes agg's result may hold.
        ends = spells.groupby("gwcode")["end"].agg(  # type: ignore[type-var]
            lambda s: pd.NaT if s.isna().any() else s.max()
        )
        out = last[["gwc", "name", "iso3", "region", "subregion", "africa", "microstate"]].copy()
        out["first_year"] = first_year
        out["last_year"] = pd.to_datetime(ends).dt.year.astype("Int64")
        out = out.reset_index()
        # The Gleditsch-Ward name stays as data; readers see the state's name today (see coupwatch.states.names).
        out.insert(list(out.columns).index("name") + 1, "gw_name", out["name"].map(lambda n: readable_name(str(n))))
        out["name"] = [
            display_name(int(gwcode), iso3 if isinstance(iso3, str) else None, str(gw_name), bool(pd.isna(last)))
            for gwcode, iso3, gw_name, last in zip(out["gwcode"], out["iso3"], out["gw_name"], out["last_year"],
                                                   strict=True)
        ]
        return out

    @cached_property
    def names(self) -> StateNames:
        """Every code and name of every state: look-ups and search."""
        return StateNames(self.countries)

    def state_years(self, start: int, end: int) -> pd.DataFrame:
        """Every (gwcode, year) with the state in existence on some day of the year, start..end inclusive."""
        if end < start:
            raise ValueError(f"end year {end} is before start year {start}")
        spells = self.spells
        first = np.maximum(spells["start"].dt.year.to_numpy(), start)
        last_exist = spells["end"].dt.year.fillna(end).to_numpy().astype(int)
        last = np.minimum(last_exist, end)
        keep = first <= last
        codes = spells["gwcode"].to_numpy()[keep]
        first, last = first[keep], last[keep]
        lengths = last - first + 1
        gwcode = np.repeat(codes, lengths)
        offsets = np.arange(lengths.sum()) - np.repeat(np.cumsum(lengths) - lengths, lengths)
        year = np.repeat(first, lengths) + offsets
        panel = pd.DataFrame({"gwcode": gwcode.astype("int64"), "year": year.astype("int64")})
        return panel.drop_duplicates().sort_values(["gwcode", "year"]).reset_index(drop=True)

    def state_months(self, start: int, end: int) -> pd.DataFrame:
        """Every (gwcode, year, month) with the state in existence on some day of that month."""
        years = self.state_years(start, end)
        months = years.loc[years.index.repeat(12)].reset_index(drop=True)
        months["month"] = np.tile(np.arange(1, 13), len(years))
        month_start = pd.to_datetime({"year": months["year"], "month": months["month"], "day": 1})
        month_end = month_start + pd.offsets.MonthEnd(0)
        alive = np.zeros(len(months), dtype=bool)
        merged = months.assign(_ms=month_start, _me=month_end, _row=np.arange(len(months))).merge(
            self.spells[["gwcode", "start", "end"]], on="gwcode"
        )
        ok = (merged["start"] <= merged["_me"]) & (merged["end"].isna() | (merged["end"] >= merged["_ms"]))
        alive[merged.loc[ok, "_row"].to_numpy()] = True
        return months[alive].reset_index(drop=True)

    def exists(self, gwcode: int, year: int) -> bool:
        spells = self.spells[self.spells["gwcode"] == gwcode]
        return bool(
            ((spells["start"].dt.year <= year) & (spells["end"].isna() | (spells["end"].dt.year >= year))).any()
        )

    # ------------------------------------------------------------------------------------------------
    def lookup(self, identifier: str | int) -> int:
        """GW code for an ISO3 or ISO2 code, a GW number, or a name (today's, former or common, accents optional).

        Unknown identifiers raise UnknownCountryError listing close matches; a Gleditsch-Ward letter code that is
        not the state's ISO3 code (MAL is Malaysia's) is refused with the ISO3 codes it may have meant.
        """
        found = self.match(identifier)
        if found is None:
            raise UnknownCountryError(self.unknown_message(str(identifier)))
        return found.gwcode

    def match(self, identifier: str | int) -> StateMatch | None:
        """The state ``identifier`` names and what matched; GW letter codes only for states without ISO3."""
        found = self.names.match(identifier, letter_codes=True)
        if found is not None and found.matched == GW_LETTERS and self.names.iso3.get(found.gwcode):
            return None
        return found

    def unknown_message(self, text: str, noun: str = "country") -> str:
        """Why ``text`` names no state, with the codes it may have meant and the ways to name one."""
        owner = self.names.letter_code_owner(text)
        if owner is not None and self.names.iso3.get(owner) and self.names.iso3[owner] != text.strip().upper():
            close = list(dict.fromkeys([*self.close_matches(text, n=2), self.names.label(owner)]))
            return (f"{text.strip()!r} is not an {ISO3}: it is the {GW_LETTERS} of {self.names.display[owner]} "
                    f"(ISO3 {self.names.iso3[owner]}). Did you mean {' or '.join(close)}? "
                    "Use an ISO3 code such as MLI, or a name")
        return (f"unknown {noun} {text!r}. Close matches: {', '.join(self.close_matches(text)) or 'none'}. "
                "Use an ISO3 code (e.g. MLI), a Gleditsch-Ward code (e.g. 432) or a name")

    def close_matches(self, text: str, n: int = 5, year: int | None = None, exclude: int | None = None
                      ) -> list[str]:
        """States whose ISO3, G&W letter code or name is closest to ``text`` (only those existing in ``year``
        when given, never ``exclude``), as "MLI (Mali)" labels."""
        labels = {
            f"{row.iso3 if isinstance(row.iso3, str) and row.iso3 else row.gwc} ({readable_name(str(row.name))})":
                (row.iso3 if isinstance(row.iso3, str) else "", str(row.gwc), str(row.name), str(row.gw_name))
            for row in cast("Iterator[_CountryRow]", self.countries.itertuples())
            if int(row.gwcode) != exclude and (year is None or self.exists(int(row.gwcode), year))
        }
        return close_labels(text, labels, n)

    def require_exists(self, gwcode: int, year: int) -> None:
        if not self.exists(gwcode, year):
            row = self.countries[self.countries["gwcode"] == gwcode].iloc[0]
            span = f"{row['first_year']}-{row['last_year'] if pd.notna(row['last_year']) else 'present'}"
            raise UnknownCountryError(
                f"{row['name']} (GW {gwcode}) did not exist as an independent state in {year}; "
                f"it exists {span}. Pick a year in that range"
            )
