"""Names people use: one display name per state today, former names kept and searchable, codes kept apart."""

from __future__ import annotations

import pytest

from coupwatch.errors import UnknownCountryError
from coupwatch.states.names import COMMON_NAME, FORMER_NAME, ISO2, ISO3, NAME, former_names, plain_text


def test_states_today_carry_their_current_names_and_keep_the_gleditsch_ward_ones(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    countries = system.countries.set_index("gwcode")
    today = {439: "Burkina Faso", 640: "Türkiye", 552: "Zimbabwe", 437: "Côte d'Ivoire", 360: "Romania",
             572: "Eswatini", 490: "DR Congo", 484: "Republic of the Congo", 432: "Mali"}
    for gwcode, name in today.items():
        assert countries.loc[gwcode, "name"] == name
    assert countries.loc[439, "gw_name"] == "Burkina Faso (Upper Volta)"
    assert countries.loc[552, "gw_name"] == "Zimbabwe (Rhodesia)"
    assert countries.loc[360, "gw_name"] == "Rumania"
    # A state that no longer exists keeps its Gleditsch-Ward name.
    assert countries.loc[265, "name"] == "German Democratic Republic"
    assert not countries["name"].str.contains(r"\(", regex=True).loc[countries["last_year"].isna()].any()


@pytest.mark.parametrize(
    ("text", "gwcode", "matched"),
    [
        ("Ivory Coast", 437, COMMON_NAME),
        ("Côte d'Ivoire", 437, NAME),
        ("Cote d’Ivoire", 437, NAME),
        ("cote divoire", 437, NAME),
        ("Türkiye", 640, NAME),
        ("Turkey", 640, FORMER_NAME),
        ("eswatini", 572, NAME),
        ("Swaziland", 572, FORMER_NAME),
        ("Upper Volta", 439, FORMER_NAME),
        ("Rhodesia", 552, FORMER_NAME),
        ("Burma", 775, FORMER_NAME),
        ("ML", 432, ISO2),
        ("BF", 439, ISO2),
        ("bfa", 439, ISO3),
        ("niger", 436, NAME),
        ("Nigeria", 475, NAME),
    ],
)
def test_search_finds_states_by_codes_and_names_today_former_and_common(  # type: ignore[no-untyped-def]
        parsed_states, text, gwcode, matched) -> None:
    system, _ = parsed_states
    found = system.names.match(text)
    assert found is not None and (found.gwcode, found.matched) == (gwcode, matched)
    assert system.lookup(text) == gwcode


def test_a_gleditsch_ward_letter_code_is_not_taken_for_an_iso3_code(parsed_states) -> None:  # type: ignore[no-untyped-def]
    system, _ = parsed_states
    with pytest.raises(UnknownCountryError) as info:
        system.lookup("MAL")  # GW's letter code of Malaysia; Mali is MLI
    message = str(info.value)
    assert "'MAL' is not an ISO3 code" in message and "Malaysia (ISO3 MYS)" in message
    assert "MLI (Mali)" in message and "MYS (Malaysia)" in message
    # States without an ISO3 code are still found by their letter code.
    assert system.lookup("ABK") == 396  # Abkhazia


def test_former_names_and_plain_text() -> None:
    assert former_names("Congo, Democratic Republic of (Zaire)")[1:] == [
        "Congo, Democratic Republic of", "Democratic Republic of Congo", "Zaire"]
    assert former_names("Tanzania/Tanganyika")[1:] == ["Tanzania", "Tanganyika"]
    assert plain_text("Côte d’Ivoire") == plain_text("COTE D'IVOIRE") == "cote divoire"
