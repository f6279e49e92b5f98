from __future__ import annotations

import pandas as pd
import pytest

from coupwatch.errors import UnknownCountryError
from coupwatch.sources.base import CountryKey
from coupwatch.states import Crosswalk, StateSystem


def test_state_years_respect_independence_and_dissolution(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    years = system.state_years(1946, 2024)
    pairs = set(zip(years["gwcode"], years["year"], strict=True))
    assert (626, 2010) not in pairs and (626, 2011) in pairs  # South Sudan from July 2011
    assert (265, 1990) in pairs and (265, 1991) not in pairs  # GDR dissolved October 1990
    assert (315, 1992) in pairs and (315, 1993) not in pairs  # Czechoslovakia
    assert (345, 2006) in pairs and (345, 2007) not in pairs  # Yugoslavia / Serbia and Montenegro
    assert (817, 1975) in pairs and (817, 1976) not in pairs  # Republic of Vietnam
    assert (369, 1990) not in pairs and (369, 1991) in pairs  # Ukraine after the Soviet Union
    assert (432, 1959) not in pairs and (432, 1960) in pairs  # Mali independent in 1960
    assert not years.duplicated().any()


def test_microstates_are_in_the_spine(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    countries = system.countries.set_index("gwcode")
    assert bool(countries.loc[403, "microstate"])  # São Tomé and Príncipe
    assert countries.loc[403, "iso3"] == "STP"
    assert countries.loc[970, "iso3"] == "KIR" and countries.loc[971, "iso3"] == "NRU"


def test_state_months_cover_partial_months(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    months = system.state_months(2011, 2011)
    south_sudan = months[months["gwcode"] == 626]["month"].tolist()
    assert south_sudan == list(range(7, 13))  # independent on 9 July 2011


def test_lookup_accepts_iso3_gw_and_names_and_suggests(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    assert system.lookup("MLI") == system.lookup("mali") == system.lookup(432) == 432
    with pytest.raises(UnknownCountryError) as info:
        system.lookup("MLX")
    assert "MLI (Mali)" in str(info.value)


def test_require_exists_explains_the_years(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    with pytest.raises(UnknownCountryError, match=r"South Sudan.*2011"):
        system.require_exists(626, 2005)


@pytest.mark.parametrize(
    ("system_name", "code", "year", "expected"),
    [
        ("cow", 679, 1995, 678),  # unified Yemen
        ("cow", 255, 1995, 260),  # unified Germany
        ("cow", 255, 1938, 255),
        ("cow", 345, 2010, 340),  # Serbia after 2006
        ("cow", 345, 1995, 345),
        ("cow", 946, 2005, 970),  # Kiribati
        ("cow", 970, 2005, 971),  # Nauru in REIGN's COW codes (see the table-specific case below)
        ("iso3", "SRB", 2003, 345),
        ("iso3", "SRB", 2015, 340),
        ("iso3", "DEU", 2015, 260),
        ("iso3", "MLI", 2015, 432),
        ("iso3", "TON", 2015, 972),
        ("name", "Mali", 2015, 432),
        ("name", "Cote d'Ivoire", 2015, 437),
        ("polity", "MLI", 2015, 432),
    ],
)
def test_crosswalk_maps_dated_codes(parsed_states, system_name, code, year, expected) -> None:  # type: ignore[no-untyped-def]
    states, codelist = parsed_states
    crosswalk = Crosswalk(states, codelist)
    frame = pd.DataFrame({"id": [code], "year": [year]})
    out, report = crosswalk.map_frame(frame, CountryKey(system_name, "id"), "reign_leaders")
    assert out["gwcode"].iloc[0] == expected
    assert out["gw_match"].iloc[0] == "mapped"
    assert report.details.empty


def test_overrides_can_be_specific_to_a_table(parsed_states) -> None:  # type: ignore[no-untyped-def]
    states, codelist = parsed_states
    crosswalk = Crosswalk(states, codelist)
    frame = pd.DataFrame({"id": [970], "year": [2005]})
    reign, _ = crosswalk.map_frame(frame, CountryKey("cow", "id"), "reign_leaders")
    powell_thyne, _ = crosswalk.map_frame(frame, CountryKey("cow", "id"), "pt_events")
    assert reign["gwcode"].item() == 971  # COW 970 is Nauru
    assert powell_thyne["gwcode"].item() == 970  # P&T use GW's microstate codes: 970 is Kiribati


def test_unknown_identifier_is_reported_not_dropped(parsed_states) -> None:  # type: ignore[no-untyped-def]
    states, codelist = parsed_states
    crosswalk = Crosswalk(states, codelist)
    frame = pd.DataFrame({"id": ["Atlantis", "Mali", "Mali"], "year": [2000, 2000, 1950]})
    out, report = crosswalk.map_frame(frame, CountryKey("name", "id"), "test_table")
    assert len(out) == 3
    assert out["gw_match"].tolist() == ["unmapped", "mapped", "outside_lifetime"]
    assert report.unmapped["identifier"].tolist() == ["Atlantis"]
    with pytest.raises(Exception, match="Atlantis"):
        report.raise_if_unmapped()


def test_ignore_list_needs_reasons(parsed_states, tmp_path) -> None:  # type: ignore[no-untyped-def]
    states, codelist = parsed_states
    bad = tmp_path / "ignore.csv"
    bad.write_text("system,code,table,from_year,to_year,reason\niso3,WLD,*,,,\n", encoding="utf-8")
    with pytest.raises(ValueError, match=r"row 2.*reason"):
        Crosswalk(states, codelist, ignores=bad)
    good = tmp_path / "ignore_ok.csv"
    good.write_text("system,code,table,from_year,to_year,reason\niso3,WLD,*,,,World Bank aggregate\n", encoding="utf-8")
    crosswalk = Crosswalk(states, codelist, ignores=good)
    out, report = crosswalk.map_frame(pd.DataFrame({"c": ["WLD"], "year": [2000]}), CountryKey("iso3", "c"), "t")
    assert out["gw_match"].iloc[0] == "ignored"
    assert report.details["reason"].iloc[0] == "World Bank aggregate"


def test_state_system_from_tables_is_deterministic(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, codelist = parsed_states
    again = StateSystem.from_tables(
        system.spells[system.spells["microstate"] == False],  # noqa: E712
        system.spells[system.spells["microstate"] == True],  # noqa: E712
        codelist,
    )
    assert again.countries.equals(system.countries)
