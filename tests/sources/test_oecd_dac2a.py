from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import oecd_dac2a

HEADER = "recipient,recipient_type,donor,donor_is_aggregate,year,oda_usd_m_current"


@pytest.fixture(scope="module")
def oda(mirror: Path) -> pd.DataFrame:
    return oecd_dac2a.parse_dac2a(mirror / "oecd_dac2a_oda" / oecd_dac2a.FILENAME)


def test_shape(oda: pd.DataFrame) -> None:
    assert len(oda) == 140995
    assert oda["year"].min() == 2002 and oda["year"].max() == 2019
    assert oda["donor"].nunique() == 147


def test_mali_totals_and_donors(oda: pd.DataFrame) -> None:
    mali = oda[oda["recipient"] == "Mali"].set_index(["year", "donor"])["oda_usd_m"]
    assert mali[(2019, oecd_dac2a.OFFICIAL_TOTAL)] == pytest.approx(1815.81)
    assert mali[(2002, oecd_dac2a.OFFICIAL_TOTAL)] == pytest.approx(420.5, abs=0.05)
    assert mali[(2019, "United States")] == pytest.approx(222.19)
    assert mali[(2019, "France")] == pytest.approx(101.5)
    for year in range(2002, 2009):
        assert mali[(year, "France")] > mali[(year, "United States")], year
    for year in range(2009, 2020):
        assert mali[(year, "United States")] > mali[(year, "France")], year


def test_bad_value_and_flag(tmp_path: Path) -> None:
    path = tmp_path / oecd_dac2a.FILENAME
    path.write_text(HEADER + "\nMali,country,France,0,2019,101.5\nMali,country,Germany,0,2019,n/a\n", "utf-8")
    with pytest.raises(SourceFileError) as info:
        oecd_dac2a.parse_dac2a(path)
    assert info.value.row == 3 and info.value.field == "oda_usd_m_current" and info.value.value == "n/a"
    path.write_text(HEADER + "\nMali,country,France,2,2019,101.5\n", "utf-8")
    with pytest.raises(SourceFileError, match="expected 0 or 1"):
        oecd_dac2a.parse_dac2a(path)
    path.write_text(HEADER + "\nMali,country,France,0,2019,1\nMali,country,France,0,2019,2\n", "utf-8")
    with pytest.raises(SourceFileError, match="duplicate key"):
        oecd_dac2a.parse_dac2a(path)
