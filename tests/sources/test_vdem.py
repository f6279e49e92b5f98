from __future__ import annotations

from pathlib import Path
from typing import cast

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import vdem


@pytest.fixture(scope="module")
def folder(mirror: Path) -> Path:
    return mirror / "vdem"


@pytest.fixture(scope="module")
def selected(folder: Path) -> pd.DataFrame:
    return vdem.parse_v12_selected(folder / "vdem_v12_selected_gw_1970_2021.csv")


def test_v12_mali_after_the_coups(selected: pd.DataFrame) -> None:
    mali = selected[selected["gwcode"] == 432].set_index("year")
    assert mali.loc[2018, "v2x_polyarchy"] == pytest.approx(0.50, abs=0.005)
    assert mali.loc[2021, "v2x_polyarchy"] == pytest.approx(0.25, abs=0.005)
    assert mali.loc[2018, "v2x_ex_military"] == pytest.approx(0.167, abs=0.001)
    assert mali.loc[2020, "v2x_ex_military"] == pytest.approx(0.875)
    assert mali.loc[2021, "v2x_ex_military"] == pytest.approx(1.0)


def test_v12_selected_shape(selected: pd.DataFrame) -> None:
    assert len(selected) == 8187
    assert selected["gwcode"].nunique() == 174
    assert (selected["year"].min(), selected["year"].max()) == (1970, 2021)
    assert selected.shape[1] == 42


def test_v14_indices(folder: Path) -> None:
    frame = vdem.parse_v14_indices(folder / "vdem_v14_dv_indices_gw_1968_2023.csv")
    assert len(frame) == 8796
    assert frame["gwcode"].nunique() == 174
    assert (frame["year"].min(), frame["year"].max()) == (1968, 2023)
    mali = frame[frame["gwcode"] == 432].set_index("year")
    assert mali.loc[2020, "v2x_veracc_osp"] == pytest.approx(0.78)
    assert mali.loc[2021, "v2x_veracc_osp"] == pytest.approx(0.24)
    # V-Dem codes Serbia 345 to 2005 and 340 from 2006, like the GW list
    serbia = frame[frame["country_text_id"] == "SRB"].groupby("gwcode")["year"].agg(["min", "max"])
    # One row per gwcode, so `.loc[code]` is a Series (the stubs allow a DataFrame too).
    assert cast(pd.Series, serbia.loc[345]).tolist() == [1968, 2005]
    assert cast(pd.Series, serbia.loc[340]).tolist() == [2006, 2023]


def test_v12_regime(folder: Path) -> None:
    frame = vdem.parse_v12_regime(folder / "vdem_v12_regime_gw_1970_2022.csv")
    assert len(frame) == 8359
    mali = frame[frame["gwcode"] == 432].set_index("year")["v2x_regime"]
    assert (mali[2018], mali[2019], mali[2021]) == (2, 1, 0)
    assert frame.loc[frame["year"] == 2022, "v2x_regime"].isna().all()
    assert frame.loc[frame["year"] < 2022, "v2x_regime"].notna().all()


def _selected_fixture(tmp_path: Path, *, prefix: str = "", polyarchy: str = "0.5") -> Path:
    lagged = set(vdem.V12_UNIT_INDICES) | set(vdem.V12_LATENT) | set(vdem.V12_PERCENT)
    names = ["gwcode", "year", *vdem.V12_VALUES, *vdem.V12_COVARIATES_INT]
    header = [f"{prefix}{n}" if n in lagged else n for n in names]
    values = {n: "0.4" for n in names} | {"gwcode": "432", "year": "2018", "v2x_polyarchy": polyarchy}
    values |= {"v2svstterr": "73.25", "state_age": "59", "years_since_last_pt_attempt": "6"}
    path = tmp_path / "vdem_v12_selected_gw_1970_2021.csv"
    # the publisher's .rds also carries outcome columns that are not kept
    path.write_text(",".join([*header, "dv_v2x_polyarchy_up_next2"]) + "\n"
                    + ",".join([values[n] for n in names] + ["1"]) + "\n")
    return path


def test_publishers_lag0_names_give_the_same_table(tmp_path: Path) -> None:
    plain = vdem.parse_v12_selected(_selected_fixture(tmp_path))
    prefixed = vdem.parse_v12_selected(_selected_fixture(tmp_path, prefix="lag0_"))
    pd.testing.assert_frame_equal(plain, prefixed)
    assert plain.loc[2, "v2x_polyarchy"] == pytest.approx(0.5)


def test_non_numeric_value_names_row_column_value(tmp_path: Path) -> None:
    with pytest.raises(SourceFileError) as info:
        vdem.parse_v12_selected(_selected_fixture(tmp_path, polyarchy="high"))
    message = str(info.value)
    assert "row 2" in message and "'v2x_polyarchy'" in message and "'high'" in message


def test_index_outside_zero_one_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "vdem_v14_dv_indices_gw_1968_2023.csv"
    path.write_text(
        "gwcode,year,country_name,country_id,country_text_id,v2x_veracc_osp,v2xcs_ccsi,v2xcl_rol,"
        "v2x_freexp_altinf,v2x_horacc_osp,v2x_pubcorr\n"
        "432,2020,Mali,28,MLI,0.78,0.757,0.699,0.822,0.334,0.185\n"
        "432,2021,Mali,28,MLI,24,0.662,0.684,0.806,0.172,0.185\n"
    )
    with pytest.raises(SourceFileError) as info:
        vdem.parse_v14_indices(path)
    message = str(info.value)
    assert "row 3" in message and "'v2x_veracc_osp'" in message and "24" in message


def test_renamed_column_and_duplicate_year_are_rejected(tmp_path: Path) -> None:
    path = tmp_path / "vdem_v12_regime_gw_1970_2022.csv"
    header = "gwcode,year,country_name,country_text_id,country_id,v2x_regime,v2x_regime_amb\n"
    row = "432,2021,Mali,MLI,28,0.0,0.0\n"
    path.write_text(header.replace("v2x_regime,", "regime,") + row)
    with pytest.raises(SourceFileError, match=r"missing column.*'v2x_regime'"):
        vdem.parse_v12_regime(path)
    path.write_text(header + row + row)
    with pytest.raises(SourceFileError, match=r"duplicate key .* on rows 2, 3"):
        vdem.parse_v12_regime(path)
