"""Mobilisation and protest sources: real facts from the publishers' files, and clear errors on bad input."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import colpus, mass_mobilization, navco, powell2012, vdem_ert, vdem_mobilisation


@pytest.fixture(scope="module")
def mobilisation(mirror: Path) -> pd.DataFrame:
    return vdem_mobilisation.parse_mobilisation(mirror / "vdem_mobilisation" / "vdem_v14_mobilisation_1970_2023.csv")


def test_vdem_v14_mass_mobilisation_in_known_uprisings(mobilisation: pd.DataFrame) -> None:
    genmob = mobilisation.set_index(["country_text_id", "year"])["v2cagenmob"]
    assert genmob[("EGY", 2010)] == pytest.approx(-0.68, abs=0.005)
    assert genmob[("EGY", 2011)] == pytest.approx(3.69, abs=0.005)
    assert genmob[("UKR", 2014)] == pytest.approx(4.00, abs=0.005)
    assert genmob[("SDN", 2019)] == pytest.approx(2.46, abs=0.005)
    assert genmob[("MLI", 2020)] == pytest.approx(2.27, abs=0.005)
    # Lesotho's 2014 attempt came without mass mobilisation
    assert genmob[("LSO", 2014)] == pytest.approx(0.465, abs=0.001)


def test_vdem_v14_shape(mobilisation: pd.DataFrame) -> None:
    assert mobilisation.shape == (9170, 70)
    assert mobilisation["country_id"].nunique() == 182
    assert (mobilisation["year"].min(), mobilisation["year"].max()) == (1970, 2023)
    assert mobilisation["v2cagenmob"].isna().mean() == pytest.approx(0.012, abs=0.001)


def test_vdem_v14_bad_cell_names_row_and_column(tmp_path: Path, mirror: Path) -> None:
    source = mirror / "vdem_mobilisation" / "vdem_v14_mobilisation_1970_2023.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("v2cagenmob")] = "high"
    bad = tmp_path / source.name
    bad.write_text("\n".join([lines[0], ",".join(cells), *lines[2:5]]) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2, column 'v2cagenmob': expected a number.*'high'"):
        vdem_mobilisation.parse_mobilisation(bad)


def test_vdem_ert_regime_to_2024(mirror: Path) -> None:
    frame = vdem_ert.parse_ert(mirror / "vdem_ert_v15" / "ert_v15.csv")
    assert len(frame) == 19678
    assert frame["year"].max() == 2024
    regime = frame.set_index(["country_text_id", "year"])["v2x_regime"]
    assert [regime[("MLI", y)] for y in (2019, 2020, 2021, 2024)] == [1, 1, 0, 0]
    assert [regime[("NER", y)] for y in (2022, 2023, 2024)] == [2, 1, 0]
    assert [regime[("GAB", y)] for y in (2023, 2024)] == [1, 0]
    polyarchy = frame.set_index(["country_text_id", "year"])["v2x_polyarchy"]
    assert polyarchy[("MLI", 2024)] == pytest.approx(0.199)


def test_mass_mobilization_country_years(mirror: Path) -> None:
    frame = mass_mobilization.parse_country_year(mirror / "mass_mobilization" / "mm_country_year_1990_2020.csv")
    assert len(frame) == 4873
    assert frame["n_events"].sum() == 15239
    by = frame.set_index(["country", "year"])
    assert by.loc[("Egypt", 2011), "n_events"] == 20
    assert by.loc[("Egypt", 2011), "n_demand_removal_of_politician"] == 6
    assert by.loc[("Ukraine", 2014), "n_events"] == 92
    assert by.loc[("Ukraine", 2014), "n_participants_gt10000"] == 5
    assert by.loc[("Sudan", 2019), "n_demand_removal_of_politician"] == 15
    assert by.loc[("Mali", 2020), "n_events"] == 0  # MM's own zero row: the M5-RFP protests came after March


def test_mass_mobilization_events(mirror: Path) -> None:
    events = mass_mobilization.parse_events(
        mirror / "mass_mobilization" / "mm_events_1990_2020_from_mmALL_073120.csv"
    )
    assert len(events) == 15239
    assert events["start_date"].min().year == 1990
    assert events["start_date"].max() == pd.Timestamp("2020-03-31")
    egypt = events[(events["country"] == "Egypt") & (events["year"] == 2011)]
    assert len(egypt) == 20


def test_navco_campaigns(mirror: Path) -> None:
    frame = navco.parse_campaigns(mirror / "navco" / "NAVCO_1.3_List.csv")
    assert len(frame) == 622
    assert int(frame["NONVIOL"].sum()) == 320
    assert int((frame["EYEAR"] >= 2010).sum()) == 150
    euromaidan = frame[frame["CAMPAIGN"] == "Euromaidan"].iloc[0]
    assert (euromaidan["LOCATION"], euromaidan["BYEAR"], euromaidan["EYEAR"], euromaidan["SUCCESS"]) == (
        "Ukraine", 2013, 2014, 1
    )
    assert not frame[frame["LOCATION"] == "Lesotho"]["EYEAR"].ge(2003).any()


def test_colpus_protester_backed_coups(mirror: Path) -> None:
    frame = colpus.parse_coups(mirror / "colpus" / "Master_Coup_List_all_regimes_basic.csv")
    assert len(frame) == 550
    assert frame["date"].max() == pd.Timestamp("2020-08-18")
    assert int((frame["success"] == 1).sum()) == 271  # 1 = successful in Colpus
    egypt = frame[(frame["ccode"] == 651) & (frame["date"] == pd.Timestamp("2011-02-11"))].iloc[0]
    assert "Protesters" in egypt["outsidesupporters"]
    assert egypt["success"] == 1


def test_powell2012_instability(mirror: Path) -> None:
    frame = powell2012.parse_replication(mirror / "powell2012_replication" / "determinants_replication.csv")
    assert len(frame) == 9385 - 41  # the 41 rows without a code or a covariate are skipped
    by = frame.set_index(["ccode", "year"])
    assert by.loc[(432, 1991), "instab"] == 3
    assert by.loc[(432, 1991), "attempt"] == 1
    assert by.loc[(439, 1987), "instab"] == 1
    assert frame.loc[frame["year"] >= 2000, "instab"].isna().all()


def test_navco_campaign_ending_before_it_starts_is_refused(tmp_path: Path, mirror: Path) -> None:
    source = mirror / "navco" / "NAVCO_1.3_List.csv"
    lines = source.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("EYEAR")] = "1900"  # the campaign starts in 1919
    bad = tmp_path / source.name
    bad.write_text("\n".join([lines[0], ",".join(cells), *lines[2:4]]) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="campaign ends before it starts"):
        navco.parse_campaigns(bad)
