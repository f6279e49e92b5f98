from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import population

HEADER = 'Entity,Code,Year,"Population, total","Population, medium projection (Projected)"'


@pytest.fixture(scope="module")
def table(mirror: Path) -> pd.DataFrame:
    return population.parse_population(mirror / "wdi_recent" / population.FILENAME)


def test_mali_population(table: pd.DataFrame) -> None:
    mali = table[table["code"] == "MLI"].set_index("year")
    # population is a float column; the stubs type a `.loc` cell as any scalar.
    assert cast(float, mali.loc[2020, "population"]) / 1e6 == pytest.approx(21.71, abs=0.005)
    assert cast(float, mali.loc[2012, "population"]) / 1e6 == pytest.approx(16.96, abs=0.005)
    assert cast(float, mali.loc[2023, "population"]) / 1e6 == pytest.approx(23.77, abs=0.005)
    assert mali["population_projection"].isna().loc[2023] and mali["population"].isna().loc[2024]
    assert mali.loc[2024, "population_projection"] == 24478597


def test_shape_and_aggregates(table: pd.DataFrame) -> None:
    assert len(table) == 39562
    assert table["year"].min() == 1950 and table["year"].max() == 2100
    owid = set(table.loc[table["code"].str.startswith("OWID_", na=False), "code"])
    assert {"OWID_WRL", "OWID_AFR", "OWID_KOS"} <= owid
    assert table.loc[table["code"] == "OWID_KOS", "entity"].iloc[0] == "Kosovo"
    assert "Least developed countries" in set(table.loc[table["code"].isna(), "entity"])
    assert table.loc[table["code"] == "UN_AFR", "entity"].iloc[0] == "Africa (UN)"


def test_short_column_names_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / population.FILENAME
    path.write_text(
        "Entity,Code,Year,population_historical,population_projection\nMali,MLI,2020,21705000,\n",
        encoding="utf-8",
    )
    assert population.parse_population(path)["population"].tolist() == [21705000.0]


def test_bad_inputs_name_row_column_value(tmp_path: Path) -> None:
    path = tmp_path / population.FILENAME
    path.write_text(f"{HEADER}\nMali,MLI,2019,21070000,\nMali,MLI,2020,21.7m,\n", encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        population.parse_population(path)
    message = str(info.value)
    assert "row 3" in message and "'population'" in message and "'21.7m'" in message

    path.write_text(f"{HEADER}\nMali,MLI,2019,21070000,\nMali,MLI,2019,21070000,\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"row 2.*duplicate key"):
        population.parse_population(path)

    path.write_text("Entity,Code,Year,Population\nMali,MLI,2019,21070000\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match="one estimate and one projection column"):
        population.parse_population(path)
