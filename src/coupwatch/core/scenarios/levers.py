"""The inputs a scenario may change (levers): names and aliases, allowed ranges, the inputs that move with them,
and the error a bad scenario raises."""

from __future__ import annotations

import difflib
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from coupwatch.errors import CoupwatchError


class ScenarioError(CoupwatchError, ValueError):
    """A scenario names an unknown input, asks for an impossible value, or cannot be applied to a country.

    ``allowed`` lists the valid names or the allowed range when there is one (the API returns it).
    """

    def __init__(self, message: str, allowed: Sequence[str] | None = None) -> None:
        super().__init__(message)
        self.allowed = list(allowed) if allowed is not None else None


@dataclass(frozen=True)
class Lever:
    """A panel input a scenario may change, its allowed range, and the inputs that move with it.

    ``scale_with``: columns multiplied by the same ratio (the same spending in other units). ``add_with``:
    totals that contain this input and change by the same amount. ``mirrors``: the same index in another
    release (V-Dem v14 next to v12), changed the same way.
    """

    name: str
    label: str
    unit: str
    group: str
    low: float | None = None
    high: float | None = None
    aliases: tuple[str, ...] = ()
    scale_with: tuple[str, ...] = ()
    add_with: tuple[str, ...] = ()
    mirrors: tuple[str, ...] = ()
    allowed: tuple[float, ...] = ()
    range_note: str = ""

    def allowed_text(self) -> str:
        if self.allowed:
            return "one of " + ", ".join(f"{v:g}" for v in self.allowed)
        if self.low is not None and self.high is not None:
            return f"{self.low:g} to {self.high:g}"
        if self.low is not None:
            return f"{self.low:g} or more"
        if self.high is not None:
            return f"{self.high:g} or less"
        return "any number"


LEVERS: dict[str, Lever] = {}


def _lever(name: str, label: str, unit: str, group: str, **kwargs: Any) -> None:
    LEVERS[name] = Lever(name, label, unit, group, **kwargs)


_SPENDING = ("milex_gdp", "milex_govt", "milex_per_capita_usd", "milex_const2024_usd_m", "milex_current_usd_m")
_lever("milex_gdp", "Military spending, percent of GDP (SIPRI)", "% of GDP", "military", low=0.0,
       aliases=("milex", "military_spending", "military_burden"),
       scale_with=tuple(c for c in _SPENDING if c != "milex_gdp"),
       range_note="no upper bound: war-time spending has exceeded GDP (Kuwait 1991)")
_lever("milex_govt", "Military spending, percent of government spending (SIPRI)", "% of government spending",
       "military", low=0.0, high=100.0, aliases=("milex_share_government",),
       scale_with=tuple(c for c in _SPENDING if c != "milex_govt"))
_lever("milex_per_capita_usd", "Military spending per person, current US$ (SIPRI)", "US$ per person", "military",
       low=0.0, aliases=("milex_per_capita",), scale_with=tuple(c for c in _SPENDING if c != "milex_per_capita_usd"))
_lever("armed_forces", "Armed forces personnel (WDI, from IISS)", "people", "military", low=0.0,
       aliases=("troops", "soldiers"))
_VDEM = {
    "v2x_polyarchy": ("Electoral democracy", ("vdem_polyarchy", "polyarchy", "democracy")),
    "v2x_jucon": ("Judicial constraints on the executive", ("vdem_jucon", "judicial_constraints")),
    "v2xlg_legcon": ("Legislative constraints on the executive", ("vdem_legcon", "legislative_constraints")),
    "v2x_cspart": ("Civil society participation", ("vdem_cspart", "civil_society_participation")),
    "v2xcs_ccsi": ("Core civil society index", ("vdem_ccsi", "civil_society")),
    "v2x_corr": ("Political corruption", ("vdem_corr", "corruption")),
    "v2x_clphy": ("Physical violence index (freedom from political killings and torture)", ("vdem_clphy",)),
    "v2x_ex_military": ("Military dimension of the executive", ("vdem_ex_military",)),
    "v2x_neopat": ("Neopatrimonial rule", ("vdem_neopat",)),
    "v2x_civlib": ("Civil liberties", ("vdem_civlib", "civil_liberties")),
    "v2x_horacc_osp": ("Horizontal accountability", ("vdem_horacc", "vdem_horacc_osp", "horizontal_accountability")),
    "v2x_veracc_osp": ("Vertical accountability", ("vdem_veracc", "vdem_veracc_osp", "vertical_accountability")),
}
for _name, (_label, _other_names) in _VDEM.items():
    _mirror = (f"{_name}_v14",) if _name in ("v2xcs_ccsi", "v2x_horacc_osp", "v2x_veracc_osp") else ()
    _lever(_name, f"{_label} (V-Dem)", "index 0-1", "governance", low=0.0, high=1.0, aliases=_other_names,
           mirrors=_mirror)
_lever("v2x_regime", "Regimes of the World: 0 closed autocracy .. 3 liberal democracy (V-Dem)", "category",
       "governance", low=0.0, high=3.0, allowed=(0.0, 1.0, 2.0, 3.0), aliases=("regime_type", "vdem_regime"))
_lever("polity2", "Polity2 score (Polity5)", "score -10..10", "governance", low=-10.0, high=10.0,
       allowed=tuple(float(v) for v in range(-10, 11)), aliases=("polity",))
for _code, _text in {"pv": "political stability", "ge": "government effectiveness", "rl": "rule of law",
                     "va": "voice and accountability", "cc": "control of corruption"}.items():
    _lever(f"wgi_{_code}", f"WGI {_text}", "standard-normal units", "governance", low=-4.0, high=4.0,
           aliases=(_text.replace(" ", "_"),),
           range_note="WGI estimates are standard-normal units, nearly all within -2.5 to 2.5")
_lever("gdp_pc_growth", "GDP per person growth (WDI)", "percent", "economy", low=-100.0,
       aliases=("growth", "gdp_growth"))
_lever("inflation", "Inflation, consumer prices (WDI)", "percent", "economy", low=-100.0)
_lever("resource_rents", "Natural resource rents (WDI)", "% of GDP", "economy", low=0.0, high=100.0)
_lever("revenue_gdp", "Government revenue incl. grants (IMF WEO)", "% of GDP", "economy", low=0.0,
       aliases=("revenue",))
_lever("aid_security_capacity_usd", "U.S. security capacity aid, obligations (Greenbook, classified)", "US$",
       "assistance", low=0.0, aliases=("capacity_aid", "security_capacity_aid", "train_and_equip"),
       scale_with=("gb_imet_usd",), add_with=("us_aid_obligations_usd",),
       range_note="a scenario sets obligations; negative amounts (de-obligations) are not scenarios")
_lever("aid_security_governance_usd", "U.S. security governance aid, obligations (Greenbook, classified)", "US$",
       "assistance", low=0.0, aliases=("governance_aid", "security_governance_aid"),
       add_with=("us_aid_obligations_usd",))
_lever("gb_imet_usd", "U.S. IMET (military education and training) obligations (Greenbook)", "US$", "assistance",
       low=0.0, aliases=("imet",), add_with=("aid_security_capacity_usd", "us_aid_obligations_usd"))
_lever("us_aid_obligations_usd", "All U.S. assistance obligations (ForeignAssistance.gov)", "US$", "assistance",
       low=0.0, aliases=("us_aid", "total_us_aid"))
_lever("ged_total_deaths", "Deaths in organised violence (UCDP GED)", "deaths", "conflict", low=0.0,
       aliases=("conflict_deaths",))
_lever("ged_govt_killings", "Civilians killed by the government (UCDP GED)", "deaths", "conflict", low=0.0,
       aliases=("government_killings",), add_with=("ged_total_deaths",))
_lever("leader_military_career", "Leader's military career (REIGN): 1 military, 0.5 some, 0 civilian", "category",
       "leaders", low=0.0, high=1.0, allowed=(0.0, 0.5, 1.0), aliases=("leader_military",))

# Money a scenario may move between assistance categories (panel columns of Greenbook obligations).
ASSISTANCE_CATEGORIES = {
    "capacity": "aid_security_capacity_usd",
    "governance": "aid_security_governance_usd",
    "democracy": "aid_democracy_governance_usd",
    "conflict": "aid_conflict_mitigation_usd",
    "development": "aid_other_development_usd",
    "humanitarian": "aid_humanitarian_usd",
}


# Greenbook categories the features do not read, looked up like the capacity aid they come with (same table,
# same years), so a change to them starts from the year the forecast's capacity aid comes from.
GREENBOOK_COLUMNS = {*ASSISTANCE_CATEGORIES.values(), "aid_governance_share"}


def _aliases() -> dict[str, str]:
    out = {name: name for name in LEVERS}
    for lever in LEVERS.values():
        out.update({alias: lever.name for alias in lever.aliases})
    return out


def valid_names_text() -> str:
    """Every input name with its aliases, for error messages."""
    return "; ".join(f"{n} ({', '.join(v.aliases)})" if v.aliases else n for n, v in LEVERS.items())


def resolve_lever(name: str, where: str = "--set") -> Lever:
    """The input a user's name (panel column or alias, any case) refers to."""
    key = name.strip().lower()
    aliases = _aliases()
    if key in aliases:
        return LEVERS[aliases[key]]
    close = difflib.get_close_matches(key, list(aliases), n=3, cutoff=0.6)
    hint = f" Did you mean {', '.join(close)}?" if close else ""
    raise ScenarioError(
        f"{where}: unknown scenario input {name!r}.{hint} Valid names (aliases in brackets): {valid_names_text()}",
        allowed=list(aliases),
    )


def lever_table() -> pd.DataFrame:
    """The inputs a scenario may change: name, aliases, meaning, unit, allowed range."""
    return pd.DataFrame([
        {"name": lever.name, "aliases": ", ".join(lever.aliases), "group": lever.group, "label": lever.label,
         "unit": lever.unit, "low": lever.low, "high": lever.high, "allowed": lever.allowed_text(),
         "moves_with": ", ".join(lever.scale_with + lever.add_with + lever.mirrors), "note": lever.range_note}
        for lever in LEVERS.values()
    ])


def check_value(lever: Lever, column: str, value: float, where: str) -> None:
    """Refuse a value of ``column`` (the lever or an input moving with it) outside the lever's allowed values or
    range; the error names the value, the range, the unit and ``where`` it came from."""
    if lever.allowed and not any(math.isclose(value, v, abs_tol=1e-9) for v in lever.allowed):
        raise ScenarioError(f"{where}: {column} = {value:.6g} is impossible; allowed: {lever.allowed_text()} "
                            f"({lever.unit})", allowed=[f"{v:g}" for v in lever.allowed])
    too_low = lever.low is not None and value < lever.low - 1e-12
    too_high = lever.high is not None and value > lever.high + 1e-12
    if too_low or too_high:
        note = f"; {lever.range_note}" if lever.range_note else ""
        raise ScenarioError(f"{where}: {column} = {value:.6g} is impossible; allowed range {lever.allowed_text()} "
                            f"({lever.unit}){note}", allowed=[lever.allowed_text()])


_CATEGORY_WORDS = {column: f"U.S. {category} aid (Greenbook obligations, US$)"
                   for category, column in ASSISTANCE_CATEGORIES.items()}


def input_label(column: str) -> str:
    """A panel input in words: the lever's label, the assistance category, else the panel column's description."""
    if column in LEVERS:
        return LEVERS[column].label
    if column in _CATEGORY_WORDS:
        return _CATEGORY_WORDS[column]
    from coupwatch.core.panel.columns import COLUMNS  # the panel's column documentation (imported late: it is large)

    return COLUMNS[column].description if column in COLUMNS else column.replace("_", " ")

