from __future__ import annotations

from pathlib import Path
from typing import SupportsInt, cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import ucdp_ged_cy

FILE = "organizedviolencecy_v25_1.csv"


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return ucdp_ged_cy.parse_country_year(mirror / "ucdp_ged_cy" / FILE)


def test_mali_government_one_sided_killings(table: pd.DataFrame) -> None:
    mali = table[table["country_id_cy"] == 432].set_index("year_cy")
    killings = mali["os_main_govt_killings_best_cy"]
    assert {y: int(killings[y]) for y in (2012, 2018, 2019, 2020, 2022)} == {
        2012: 19, 2018: 53, 2019: 0, 2020: 257, 2022: 275,
    }
    # Below the actor-year threshold, still counted here.
    assert (int(killings[2016]), int(killings[2017])) == (7, 9)
    state_based = mali["sb_total_deaths_best_cy"]
    assert {y: int(state_based[y]) for y in (2010, 2012, 2013, 2020)} == {
        2010: 28, 2012: 218, 2013: 823, 2020: 583,
    }
    assert int(cast(SupportsInt, mali.loc[2020, "os_nsgroup_killings_best_cy"])) == 250  # an Int64 column


def test_shape_and_keys(table: pd.DataFrame) -> None:
    assert len(table) == 6936
    assert table["year_cy"].min() == 1989 and table["year_cy"].max() == 2024
    assert table.index[0] == 2 and table.index[-1] == 6937
    assert "sb_dyad_names_cy" not in table.columns
    assert table["os_dyad_ids_cy"].isna().sum() > 0 and not (table["os_dyad_ids_cy"] == "NO_DYAD").any()


def test_non_numeric_count_names_row_column_value(tmp_path: Path) -> None:
    header = ",".join(
        ["country_id_cy", "country_cy", "year_cy", "region_cy", "main_govt_name_cy"]
        + [c for c in ucdp_ged_cy.OUTPUT_COLUMNS if c not in
           ("country_id_cy", "country_cy", "year_cy", "region_cy", "main_govt_name_cy")]
    )
    columns = header.split(",")
    values = {c: "0" for c in columns}
    values.update(country_id_cy="432", country_cy="Mali", year_cy="2020", region_cy="Africa",
                  main_govt_name_cy="Government of Mali", version="25.1")
    for ids in ("sb_dyad_ids_cy", "sb_intrastate_dyad_ids_cy", "sb_interstate_dyad_ids_cy",
                "ns_dyad_ids_cy", "os_dyad_ids_cy"):
        values[ids] = "NO_DYAD"
    good = ",".join(values[c] for c in columns)
    values["os_main_govt_killings_best_cy"] = "257?"
    bad_line = ",".join(values[c] for c in columns)
    path = tmp_path / FILE
    path.write_text(f"{header}\n{good}\n{bad_line.replace(',2020,', ',2021,')}\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        ucdp_ged_cy.parse_country_year(path)
    message = str(info.value)
    assert "row 3" in message and "'os_main_govt_killings_best_cy'" in message and "'257?'" in message

    path.write_text(f"{header}\n{good}\n{good}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        ucdp_ged_cy.parse_country_year(path)

    renamed = header.replace("os_total_deaths_best_cy", "os_total_best")
    path.write_text(f"{renamed}\n{good}\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"missing column.*'os_total_deaths_best_cy'"):
        ucdp_ged_cy.parse_country_year(path)
