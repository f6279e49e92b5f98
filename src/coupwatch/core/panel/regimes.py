"""Regimes: V-Dem indices (v12 and v14), Polity2, V-Dem's Regimes of the World, the GWF regime type (REIGN),
and episodes of autocratisation and democratisation (V-Dem ERT)."""

from __future__ import annotations

import pandas as pd

from coupwatch.core.panel.joins import add_yearly, spell_on, yearly_values
from coupwatch.core.panel.skeleton import ColumnDoc, DataSource, panel_unit

VDEM_V12 = {
    "v2x_polyarchy": "Electoral democracy index (0-1)",
    "v2x_liberal": "Liberal component index (0-1)",
    "v2x_jucon": "Judicial constraints on the executive index (0-1)",
    "v2xlg_legcon": "Legislative constraints on the executive index (0-1)",
    "v2x_cspart": "Civil society participation index (0-1)",
    "v2xcs_ccsi": "Core civil society index (0-1)",
    "v2x_corr": "Political corruption index (0-1, higher = more corrupt)",
    "v2x_execorr": "Executive corruption index (0-1)",
    "v2x_pubcorr": "Public sector corruption index (0-1)",
    "v2x_rule": "Rule of law index (0-1)",
    "v2xcl_rol": "Equality before the law and individual liberty index (0-1)",
    "v2x_clphy": "Physical violence index (0-1, higher = more freedom from political killings and torture)",
    "v2x_civlib": "Civil liberties index (0-1)",
    "v2x_clpol": "Political civil liberties index (0-1)",
    "v2x_ex_military": "Military dimension index: how far the military chooses and removes the executive (0-1)",
    "v2x_ex_confidence": "Confidence dimension index (0-1)",
    "v2x_ex_direlect": "Direct popular election dimension index (0-1)",
    "v2x_ex_hereditary": "Hereditary dimension index (0-1)",
    "v2x_ex_party": "Ruling party dimension index (0-1)",
    "v2x_neopat": "Neopatrimonial rule index (0-1)",
    "v2xel_frefair": "Clean elections index (0-1)",
    "v2x_frassoc_thick": "Freedom of association index (0-1)",
    "v2x_freexp_altinf": "Freedom of expression and alternative sources of information index (0-1)",
    "v2x_veracc_osp": "Vertical accountability index (0-1)",
    "v2x_horacc_osp": "Horizontal accountability index (0-1)",
    "v2svstterr": "State authority over territory (percent)",
    "v2csreprss": "CSO repression (ordinal, higher = less repression)",
    "v2clkill": "Freedom from political killings (ordinal, higher = freer)",
    "v2cltort": "Freedom from torture (ordinal, higher = freer)",
    "v2jupurge": "Judicial purges (ordinal, higher = fewer)",
    "v2jupack": "Court packing (ordinal, higher = less)",
}
VDEM_V14 = ("v2x_veracc_osp", "v2xcs_ccsi", "v2xcl_rol", "v2x_freexp_altinf", "v2x_horacc_osp", "v2x_pubcorr")
# The v12 series that V-Dem v14's country-year file (vdem_v14_mobilisation) also carries: v14 replaces them.
VDEM_FROM_V14 = tuple(
    c for c in VDEM_V12
    if c not in ("v2x_liberal", "v2x_frassoc_thick", "v2x_veracc_osp", "v2x_horacc_osp", "v2svstterr", "v2jupurge",
                 "v2jupack")
)


def _vdem_vintage(name: str) -> tuple[str, str]:
    if name in VDEM_FROM_V14:
        return "V-Dem v14 (1970-2023; v12 where v14 has no value)", "vdem_v14_mobilisation"
    return "V-Dem v12 (1970-2021)", "vdem_v12_selected"


VDEM_DOCS = (
    *(ColumnDoc(name, f"{text}, {_vdem_vintage(name)[0]}", _vdem_vintage(name)[1], "index")
      for name, text in VDEM_V12.items()),
    *(ColumnDoc(f"{name}_v14", f"{VDEM_V12[name]}, V-Dem v14 (1968-2023)", "vdem_v14_indices", "index")
      for name in VDEM_V14),
)


def _newest_vdem(v12: pd.DataFrame, v14: pd.DataFrame) -> pd.DataFrame:
    """v14's value where it has one, else v12's (state-years v14 does not cover keep their v12 value)."""
    newer = v14.set_index(["gwcode", "year"])
    older = v12.set_index(["gwcode", "year"])
    shared = [c for c in newer.columns if c in older.columns]
    return newer[shared].combine_first(older).reset_index()


def add_vdem(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """V-Dem indices under their V-Dem names: from V-Dem v14 (to 2023) where its country-year file has the series
    (:data:`VDEM_FROM_V14`), else v12 (to 2021); and the six demspaces v14 indices with _v14."""
    panel_unit(panel)
    v12 = yearly_values(data.table("vdem_v12_selected"), {c: c for c in VDEM_V12}, table="vdem_v12_selected")
    newest = yearly_values(data.table("vdem_v14_mobilisation"), {c: c for c in VDEM_FROM_V14},
                           table="vdem_v14_mobilisation")
    v12 = _newest_vdem(v12, newest)[["gwcode", "year", *VDEM_V12]]
    v14 = yearly_values(
        data.table("vdem_v14_indices"), {c: f"{c}_v14" for c in VDEM_V14}, table="vdem_v14_indices"
    )
    return add_yearly(add_yearly(panel, v12), v14)


REGIME_DOCS = (
    ColumnDoc("polity2", "Polity2 score (-10 autocracy to +10 democracy), Polity5 (to 2018)", "polity5_polity2"),
    ColumnDoc(
        "v2x_regime",
        "Regimes of the World (0 closed autocracy, 1 electoral autocracy, 2 electoral democracy, "
        "3 liberal democracy), V-Dem v14 (to 2023; v12 where v14 has no value)",
        "vdem_v14_mobilisation",
    ),
    ColumnDoc(
        "gwf_regime",
        "Regime type in place on 1 July (GWF categories extended by REIGN to 2020: military, personal, "
        "party-based, monarchy, presidential, parliamentary, ...)",
        "reign_regimes",
    ),
    ColumnDoc("regime_military", "1 if the GWF regime type involves the military (military, "
              "indirect military, provisional military, party-military, military personal)",
              "reign_regimes", "0/1"),
)


def add_regime(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Regime type: Polity2, V-Dem's Regimes of the World, and the GWF regime type (REIGN's extension)."""
    panel_unit(panel)
    polity = yearly_values(data.table("polity5_polity2"), {"polity2": "polity2"}, table="polity5_polity2")
    regime = _newest_vdem(
        yearly_values(data.table("vdem_v12_regime"), {"v2x_regime": "v2x_regime"}, table="vdem_v12_regime"),
        yearly_values(data.table("vdem_v14_mobilisation"), {"v2x_regime": "v2x_regime"},
                      table="vdem_v14_mobilisation"),
    )
    out = add_yearly(add_yearly(panel, polity), regime)
    years = out[["gwcode", "year"]].drop_duplicates()
    gwf = spell_on(data.table("reign_regimes"), "gwf_startdate", "gwf_enddate", years)
    gwf = gwf.assign(gwf_regime=gwf["gwf_regimetype"].str.strip())[["gwcode", "year", "gwf_regime"]]
    gwf["regime_military"] = gwf["gwf_regime"].str.contains("military").astype("Int64")
    return add_yearly(out, gwf)


# ---------------------------------------------------------------------------------------------------------
# Regime episodes (V-Dem ERT v15, to 2024)
# ---------------------------------------------------------------------------------------------------------

EPISODES_DOCS = (
    ColumnDoc("ert_regime", "Regimes of the World 0-3 from V-Dem v15 via ERT (to 2024)", "vdem_ert", "0-3"),
    ColumnDoc("ert_polyarchy", "Electoral democracy index, V-Dem v15 via ERT (to 2024)", "vdem_ert", "index"),
    ColumnDoc("autocratisation_episode", "1 while an autocratisation episode is under way (ERT v15, to 2024)",
              "vdem_ert", "0/1"),
    ColumnDoc("democratisation_episode", "1 while a democratisation episode is under way (ERT v15, to 2024)",
              "vdem_ert", "0/1"),
)


def add_episodes(panel: pd.DataFrame, data: DataSource) -> pd.DataFrame:
    """Regime type, electoral democracy and episodes of autocratisation and democratisation (ERT v15)."""
    panel_unit(panel)
    values = yearly_values(
        data.table("vdem_ert"),
        {"v2x_regime": "ert_regime", "v2x_polyarchy": "ert_polyarchy", "aut_ep": "autocratisation_episode",
         "dem_ep": "democratisation_episode"},
        table="vdem_ert",
    )
    return add_yearly(panel, values)
