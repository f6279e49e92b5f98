"""The names people use for states, and one search that finds a state by any of its codes or names.

Gleditsch-Ward names are historical ("Burkina Faso (Upper Volta)", "Rumania", "Zimbabwe (Rhodesia)"). A state
that exists today is shown by its short name today (country_converter's ``name_short``, with the few choices of
``data/display_names.csv``); a state that no longer exists keeps its Gleditsch-Ward name. The Gleditsch-Ward
name and the former names inside it stay as data (``gw_name``, ``former_names``) and are searchable.

A search text is compared without case, accents or punctuation, so "cote d'ivoire", "Côte d’Ivoire" and
"COTE DIVOIRE" are the same text; country_converter's patterns add the common names ("Ivory Coast",
"Swaziland", "Burma").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

# What matched, in the words an error or an API answer uses.
ISO3 = "ISO3 code"
ISO2 = "ISO2 code"
GW_NUMBER = "Gleditsch-Ward number"
GW_LETTERS = "Gleditsch-Ward letter code"
NAME = "name"
FORMER_NAME = "former name"
COMMON_NAME = "common name"

_COCO_INTEGER_COLUMNS = (
    "ISOnumeric", "UNcode", "FAOcode", "GBDcode", "EURO", "UN", "UNmember", "obsolete", "GEOnumeric",
)


@cache
def coco_table() -> pd.DataFrame:
    """country_converter's own table of codes, names and name patterns, read so that Namibia's ISO2 code 'NA'
    stays a string (country_converter's loader turns it into a missing value under pandas 3 and then fails)."""
    table_path = resources.files("country_converter").joinpath("country_data.tsv")
    with table_path.open("r", encoding="utf-8") as handle:
        table = pd.read_csv(handle, sep="\t", dtype=str, keep_default_na=False, na_values=[""])
    present = [c for c in _COCO_INTEGER_COLUMNS if c in table.columns]
    return table.astype(dict.fromkeys(present, "float")).astype(dict.fromkeys(present, "Int64"))


_PARENTHESES = re.compile(r"\(([^)]*)\)")
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def plain_text(text: str) -> str:
    """``text`` lower-cased, without accents, apostrophes or punctuation: the form names are compared in."""
    decomposed = unicodedata.normalize("NFKD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).lower()
    bare = bare.replace("'", "").replace("\u2019", "").replace("`", "")
    return _NOT_ALNUM.sub(" ", bare).strip()


def former_names(gw_name: str) -> list[str]:
    """The names inside a Gleditsch-Ward name: "Zimbabwe (Rhodesia)" -> Zimbabwe, Rhodesia;
    "Tanzania/Tanganyika" -> Tanzania, Tanganyika; "Congo, Democratic Republic of (Zaire)" -> both readings."""
    names = [gw_name]
    inside = _PARENTHESES.findall(gw_name)
    outside = _PARENTHESES.sub("", gw_name).strip()
    for part in [outside, *inside]:
        names.extend(p.strip() for p in part.split("/"))
        if ", " in part:  # "Korea, Republic of" -> "Republic of Korea"
            head, tail = part.split(", ", 1)
            names.append(f"{tail} {head}")
    return list(dict.fromkeys(n for n in names if n))


@cache
def _display_choices() -> dict[int, str]:
    with resources.files("coupwatch.states.data").joinpath("display_names.csv").open("r", encoding="utf-8") as f:
        table = pd.read_csv(f, dtype=str, keep_default_na=False)
    return {int(code): name for code, name in zip(table["gwcode"], table["name"], strict=True)}


def display_name(gwcode: int, iso3: str | None, gw_name: str, exists_today: bool) -> str:
    """The one name a reader sees: today's short name for a state that exists, else its Gleditsch-Ward name."""
    chosen = _display_choices().get(gwcode)
    if chosen:
        return chosen
    if exists_today and iso3:
        short = coco_table().set_index("ISO3")["name_short"].get(iso3)
        if isinstance(short, str) and short:
            return short
    return gw_name


@dataclass(frozen=True)
class StateMatch:
    """The state a search text found and the code system or name list it matched in."""

    gwcode: int
    matched: str


class StateNames:
    """Every code and name of every state, for exact look-ups and for search."""

    def __init__(self, countries: pd.DataFrame) -> None:
        """``countries``: StateSystem.countries (gwcode, gwc, name, gw_name, iso3, last_year)."""
        coco = coco_table()
        by_iso3 = coco.drop_duplicates("ISO3").set_index("ISO3")
        self._codes: dict[str, dict[str, int]] = {ISO3: {}, ISO2: {}, GW_LETTERS: {}}
        self._numbers: set[int] = set()
        self._names: dict[str, dict[str, int]] = {NAME: {}, FORMER_NAME: {}}
        self._patterns: list[tuple[re.Pattern[str], int]] = []
        self.display: dict[int, str] = {}
        self.iso3: dict[int, str | None] = {}
        self.gwc: dict[int, str] = {}
        for row in countries.to_dict("records"):
            gwcode = int(row["gwcode"])
            iso3 = row["iso3"] if isinstance(row["iso3"], str) and row["iso3"] else None
            self._numbers.add(gwcode)
            self.display[gwcode] = str(row["name"])
            self.iso3[gwcode] = iso3
            self.gwc[gwcode] = str(row["gwc"])
            self._codes[GW_LETTERS].setdefault(str(row["gwc"]).upper(), gwcode)
            alive = pd.isna(row["last_year"])
            names = [str(row["name"])]
            if iso3 is not None:
                self._codes[ISO3][iso3.upper()] = gwcode
                known = iso3 in by_iso3.index
                if known and alive:
                    self._codes[ISO2].setdefault(str(by_iso3.at[iso3, "ISO2"]).upper(), gwcode)
                    names += [str(by_iso3.at[iso3, "name_short"]), str(by_iso3.at[iso3, "name_official"])]
                    self._patterns.append((re.compile(str(by_iso3.at[iso3, "regex"]), re.IGNORECASE), gwcode))
            for name in names:
                self._names[NAME].setdefault(plain_text(name), gwcode)
            for name in former_names(str(row["gw_name"])):
                self._names[FORMER_NAME].setdefault(plain_text(name), gwcode)

    def match(self, text: str | int, *, letter_codes: bool = False) -> StateMatch | None:
        """The state ``text`` names exactly: an ISO3 or ISO2 code, a GW number, a name today, a former or a common
        name. Gleditsch-Ward letter codes count only with ``letter_codes`` (MAL is Malaysia's, not Mali's)."""
        raw = str(text).strip()
        upper = raw.upper()
        if raw.isdigit() and int(raw) in self._numbers:
            return StateMatch(int(raw), GW_NUMBER)
        if upper in self._codes[ISO3]:
            return StateMatch(self._codes[ISO3][upper], ISO3)
        if len(upper) == 2 and upper in self._codes[ISO2]:
            return StateMatch(self._codes[ISO2][upper], ISO2)
        if letter_codes and upper in self._codes[GW_LETTERS]:
            return StateMatch(self._codes[GW_LETTERS][upper], GW_LETTERS)
        plain = plain_text(raw)
        if not plain:
            return None
        for kind in (NAME, FORMER_NAME):
            if plain in self._names[kind]:
                return StateMatch(self._names[kind][plain], kind)
        if len(plain) >= 4:
            found = {gwcode for pattern, gwcode in self._patterns if pattern.search(plain) or pattern.search(raw)}
            if len(found) == 1:
                return StateMatch(found.pop(), COMMON_NAME)
        return None

    def letter_code_owner(self, text: str) -> int | None:
        """The state whose Gleditsch-Ward letter code is ``text`` (for errors that explain a code mix-up)."""
        return self._codes[GW_LETTERS].get(text.strip().upper())

    def containing(self, text: str) -> list[int]:
        """States any of whose names contain ``text`` (plain form), by display name."""
        plain = plain_text(text)
        if not plain:
            return []
        found = {gwcode for names in self._names.values() for name, gwcode in names.items() if plain in name}
        return sorted(found, key=lambda g: self.display[g])

    def label(self, gwcode: int) -> str:
        """ "MLI (Mali)": the ISO3 code (the GW letter code for states without one) and the display name."""
        return f"{self.iso3.get(gwcode) or self.gwc[gwcode]} ({self.display[gwcode]})"

    def all_names(self, gwcode: int) -> Iterable[str]:
        return [name for names in self._names.values() for name, code in names.items() if code == gwcode]
