from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.core.corrections import apply_corrections, load_corrections
from coupwatch.errors import SourceFileError
from coupwatch.sources import powell_thyne

NEW_EVENTS = "powell_thyne_coups_V2025.09.12.csv"
NEW_COUNTRY_YEAR = "ptcoups_gw_country_year_andybega_2026-01.csv"


def test_events_have_malis_coups(mirror: Path) -> None:
    events = powell_thyne.parse_events(mirror / "powell_thyne" / "powell_thyne_coups_final.txt")
    mali = events[events["ccode"] == 432]
    successful = sorted(mali.loc[mali["coup"] == 2, "year"].tolist())
    failed = sorted(mali.loc[mali["coup"] == 1, "year"].tolist())
    assert successful == [1968, 1991, 2012, 2020, 2021]
    assert failed == [1978, 1991, 2012]
    assert len(events) == 491
    last = events.sort_values(["year", "month", "day"]).iloc[-1]
    assert (last["country"], last["year"], last["month"], last["day"]) == ("Gabon", 2023, 8, 30)


def test_country_year_agrees_with_events(mirror: Path) -> None:
    folder = mirror / "powell_thyne"
    events = powell_thyne.parse_events(folder / "powell_thyne_coups_final.txt")
    country_year = powell_thyne.parse_country_year(folder / "powell_thyne_ccode_year.txt")
    from_events = events.groupby(["ccode", "year"]).size()
    from_cy = country_year.set_index(["ccode", "year"])["attempts"]
    from_cy = from_cy[from_cy > 0]
    assert from_events.sort_index().to_dict() == from_cy.astype(int).sort_index().to_dict()


def test_bad_coup_code_names_row_and_value(tmp_path: Path) -> None:
    bad = tmp_path / "powell_thyne_coups_final.txt"
    bad.write_text(
        'country\tccode\tccode_gw\tccode_polity\tyear\tmonth\tday\tcoup\tversion\n'
        '"Mali"\t432\t\t\t2020\t8\t18\t2\t"V"\n'
        '"Mali"\t432\t\t\t2021\t5\t21\tseven\t"V"\n',
        encoding="latin-1",
    )
    with pytest.raises(SourceFileError) as info:
        powell_thyne.parse_events(bad)
    message = str(info.value)
    assert "row 3" in message and "'coup'" in message and "'seven'" in message


def test_release_2025_has_495_events_to_guinea_bissau_2025(mirror: Path) -> None:
    events = powell_thyne.parse_events_csv(mirror / "powell_thyne_2025" / NEW_EVENTS)
    assert len(events) == 495
    assert set(events["version"]) == {"V2025.09.12"}
    mali = events[events["ccode"] == 432]
    assert sorted(mali.loc[mali["coup"] == 2, "year"]) == [1968, 1991, 2012, 2020, 2021]
    dated = {(r.country, r.year, r.month, r.day): r.outcome for r in events.itertuples()}
    assert dated[("Bolivia", 2024, 6, 26)] == "failed"
    assert dated[("Bangladesh", 2024, 8, 5)] == "successful"
    assert dated[("Madagascar", 2025, 10, 12)] == "successful"
    assert dated[("Guinea-Bissau", 2025, 11, 26)] == "successful"
    assert dated[("Niger", 2023, 7, 26)] == "successful"  # this release dates Niger's coup right


def test_release_2025_country_year_agrees_with_its_events_year_by_year(mirror: Path) -> None:
    folder = mirror / "powell_thyne_2025"
    events = powell_thyne.parse_events_csv(folder / NEW_EVENTS)
    country_year = powell_thyne.parse_gw_country_year(folder / NEW_COUNTRY_YEAR)
    assert len(country_year) == 12384 and country_year["gwcode"].nunique() == 204
    assert int(country_year["year"].max()) == 2025
    by_year = country_year.groupby("year")[["successes", "failures"]].sum().astype(int)
    from_events = events.assign(successes=events["coup"] == 2, failures=events["coup"] == 1)
    expected = from_events.groupby("year")[["successes", "failures"]].sum().astype(int)
    assert by_year.loc[expected.index].equals(expected)


def test_the_niger_date_correction_applies_to_its_release_only(mirror: Path) -> None:
    corrections = load_corrections()
    old = powell_thyne.parse_events(mirror / "powell_thyne" / "powell_thyne_coups_final.txt")
    fixed, report = apply_corrections("pt_events_v2023", old, corrections, "V2023.09.08")
    niger = fixed[(fixed["ccode"] == 436) & (fixed["year"] == 2023)]
    assert niger["month"].tolist() == [7]
    assert [r["status"] for r in report] == ["applied"]
    new = powell_thyne.parse_events_csv(mirror / "powell_thyne_2025" / NEW_EVENTS)
    untouched, report = apply_corrections("pt_events", new, corrections, "V2025.09.12")
    pd.testing.assert_frame_equal(untouched, new)
    assert report == []
    # Were the old release's correction ever pointed at a newer release, it is reported, not applied.
    _, report = apply_corrections("pt_events_v2023", new, corrections, "V2025.09.12")
    assert report[0]["rows_changed"] == 0 and "written for release V2023.09.08" in str(report[0]["status"])


def test_gw_country_year_rejects_counts_that_do_not_add_up(tmp_path: Path) -> None:
    bad = tmp_path / NEW_COUNTRY_YEAR
    bad.write_text("gwcode,year,pt_attempt_num,pt_coup_num,pt_failed_num\n432,2012,2,1,1\n432,2013,2,1,0\n",
                   encoding="utf-8")
    with pytest.raises(SourceFileError, match="attempts = successes \\+ failures"):
        powell_thyne.parse_gw_country_year(bad)
