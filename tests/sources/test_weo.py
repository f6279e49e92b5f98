from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import weo

# The IMF's own "By Countries" layout: tab-delimited UTF-16 text, thousands separators, n/a and --.
HEADER = [
    "WEO Country Code", "ISO", "WEO Subject Code", "Country", "Subject Descriptor", "Subject Notes", "Units",
    "Scale", "Country/Series-specific Notes", "2018", "2019", "2020", "Estimates Start After",
]
ROWS = [
    ["678", "MLI", "GGR", "Mali", "General government revenue", "", "National currency", "Billions", "",
     "1,475.900", "2,173.300", "2,083.400", "2019"],
    ["678", "MLI", "GGR_NGDP", "Mali", "General government revenue", "", "Percent of GDP", "", "",
     "15.6", "21.465", "n/a", "2019"],
    ["678", "MLI", "NGDP_R", "Mali", "GDP, constant prices", "", "National currency", "Billions", "",
     "1", "2", "3", "2019"],
    ["678", "MLI", "LP", "Mali", "Population", "", "Persons", "Millions", "", "--", "19.658", "20.25", ""],
]


def _imf_text(rows: list[list[str]]) -> str:
    lines = ["\t".join(HEADER), *("\t".join(r) for r in rows), "", "International Monetary Fund, WEO"]
    return "\n".join(lines) + "\n"


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return weo.parse_weo(mirror / "revenue" / weo.WEO_FILENAME)


def test_mali_revenue_and_gdp(table: pd.DataFrame) -> None:
    mali = table[table["iso3"] == "MLI"].set_index(["subject_code", "year"])["value"]
    assert mali[("GGR_NGDP", 2019)] == pytest.approx(21.5, abs=0.05)
    assert mali[("NGDPD", 2019)] == pytest.approx(17.28, abs=0.005)
    assert mali[("GGR", 2019)] == pytest.approx(2173.3, abs=0.05)
    assert mali[("LP", 2020)] == pytest.approx(20.25, abs=0.005)
    row = table[(table["iso3"] == "MLI") & (table["subject_code"] == "GGR_NGDP") & (table["year"] == 2019)]
    assert int(row["weo_country_code"].iloc[0]) == 678 and row.index[0] == 4738


def test_shape_and_agreement_with_derived_csv(table: pd.DataFrame, mirror: Path) -> None:
    assert table["iso3"].nunique() == 196
    assert set(table["subject_code"]) == set(weo.SUBJECTS)
    derived = pd.read_csv(mirror / "revenue" / "weo_apr2022_fiscal_gdp_pop_long.csv")
    merged = derived.merge(table, on=["iso3", "subject_code", "year"], how="left", suffixes=("_csv", ""))
    assert len(merged) == 69036 and merged["value"].notna().all()
    assert (merged["value"] - merged["value_csv"]).abs().max() < 1e-9
    known = merged["is_projection"].notna()
    assert set(merged.loc[~known, "iso3"]) == {"VEN"}  # no "Estimates Start After" for these series
    flags = merged.loc[known, "is_projection"].astype(bool)
    assert (flags == (merged.loc[known, "is_estimate_or_projection"] == 1)).all()


def test_imf_text_layout(tmp_path: Path) -> None:
    path = tmp_path / "WEOApr2022all.xls"
    path.write_text(_imf_text(ROWS), encoding="utf-16")
    long = weo.parse_weo(path)
    values = long.set_index(["subject_code", "year"])["value"].to_dict()
    assert values == {
        ("GGR", 2018): 1475.9, ("GGR", 2019): 2173.3, ("GGR", 2020): 2083.4, ("GGR_NGDP", 2018): 15.6,
        ("GGR_NGDP", 2019): 21.465, ("LP", 2019): 19.658, ("LP", 2020): 20.25,
    }
    assert long["is_projection"].tolist()[:3] == [False, False, True]
    assert long.loc[long["subject_code"] == "LP", "is_projection"].isna().all()
    assert long.index.tolist()[:3] == [2, 2, 2]


def test_bad_value_names_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / "WEOApr2022all.xls"
    bad = [list(r) for r in ROWS]
    bad[1][10] = "21.4.65"
    path.write_text(_imf_text(bad), encoding="utf-16")
    with pytest.raises(SourceFileError) as info:
        weo.parse_weo(path)
    message = str(info.value)
    assert "row 3" in message and "'2019'" in message and "'21.4.65'" in message

    path.write_text(_imf_text([*ROWS, ROWS[0]]), encoding="utf-16")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key.*rows 2, 6"):
        weo.parse_weo(path)


def test_gmd_mali_rows(mirror: Path, tmp_path: Path) -> None:
    gmd = weo.parse_gmd_govrev(mirror / "revenue" / weo.GMD_FILENAME)
    assert len(gmd) == 28 and gmd["year"].min() == 2002 and gmd["year"].max() == 2029
    mali = gmd.set_index("year")
    # Float columns; the stubs type a `.loc` cell as any scalar.
    assert cast(float, mali.loc[2019, "BCEAO"]) == pytest.approx(18.1, abs=0.05)
    assert cast(float, mali.loc[2019, "IMF_WEO"]) == pytest.approx(21.5, abs=0.05)
    assert cast(float, mali.loc[2019, "WDI"]) == pytest.approx(15.4, abs=0.05)
    assert mali.loc[2019, "source"] == "BCEAO"

    text = (mirror / "revenue" / weo.GMD_FILENAME).read_text(encoding="utf-8").splitlines()
    text[3] = text[3].replace(",2004,", ",2004a,")
    bad = tmp_path / weo.GMD_FILENAME
    bad.write_text("\n".join(text) + "\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 4, column 'year'.*'2004a'"):
        weo.parse_gmd_govrev(bad)
