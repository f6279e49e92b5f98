from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import sipri_arms

HEADER = (
    "SIPRI AT Database ID,Supplier,Recipient,Designation,Description,Armament category,Order date,"
    "Order date is estimate,Numbers delivered,Numbers delivered is estimate,Delivery year,"
    "Delivery year is estimate,Status,SIPRI estimate,TIV deal unit,TIV delivery values,Local production;"
)
NOTES = "Transfers of major conventional arms from All countries  to All countries .;\nSource: SIPRI;\n"


@pytest.fixture(scope="module")
def register(mirror: Path) -> pd.DataFrame:
    return sipri_arms.parse_register(mirror / "sipri_arms_transfers" / sipri_arms.FILENAME)


def test_shape_and_years(register: pd.DataFrame) -> None:
    assert len(register) == 25024
    assert register["year"].min() == 1995 and register["year"].max() == 2024
    assert register["supplier"].nunique() == 110 and register["recipient"].nunique() == 206


def test_mali_suppliers_2013_2024(register: pd.DataFrame) -> None:
    mali = register[(register["recipient"] == "Mali") & register["year"].between(2013, 2024)]
    by_supplier = mali.groupby("supplier")["tiv_delivered_m"].sum().sort_values(ascending=False)
    assert list(by_supplier.index[:5]) == ["Russia", "unknown supplier(s)", "Spain", "UAE", "China"]
    assert by_supplier["Russia"] == pytest.approx(135.6, abs=0.05)
    assert by_supplier["unknown supplier(s)"] == pytest.approx(39.2, abs=0.05)
    assert by_supplier["Spain"] == pytest.approx(26.1, abs=0.05)
    assert by_supplier["UAE"] == pytest.approx(25.6, abs=0.05)
    assert by_supplier["China"] == pytest.approx(25.1, abs=0.05)
    assert mali["tiv_delivered_m"].sum() == pytest.approx(342.6, abs=0.05)
    france = register[(register["recipient"] == "Mali") & (register["supplier"] == "France")]
    assert france["tiv_delivered_m"].sum() == pytest.approx(8.9, abs=0.05)


def test_rows_named_in_source_notes(register: pd.DataFrame) -> None:
    mali = register[register["recipient"] == "Mali"]
    vp11 = mali[(mali["supplier"] == "China") & (mali["year"] == 2023) & (mali["designation"] == "VP-11")]
    assert vp11["numbers_delivered"].sum() == 80
    second_hand = mali[(mali["supplier"] == "Russia") & (mali["year"] == 2022)]
    assert second_hand["status"].str.startswith("Second hand").any()


def _write(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / sipri_arms.FILENAME
    path.write_text(NOTES + HEADER + "\n" + "\n".join(rows) + "\n", encoding="ascii")
    return path


def test_trailing_semicolons_and_flags(tmp_path: Path) -> None:
    path = _write(tmp_path, [
        "1,Russia,Mali,Mi-35M,combat helicopter,Aircraft,2019,Yes,2,No,2020,Yes,New,10,10,20,No;",
        "2,France,Mali,Bastion,APC,Armoured vehicles,2019,No,13,No,2020,No,New,0.3,0.3,3.9,No;",
    ])
    table = sipri_arms.parse_register(path)
    assert list(table.index) == [4, 5]  # the lines of the file
    assert table.loc[4, "tiv_delivered_m"] == pytest.approx(20.0)
    assert bool(table.loc[4, "year_estimated"]) and not bool(table.loc[5, "year_estimated"])


def test_bad_tiv_names_line_field_and_value(tmp_path: Path) -> None:
    path = _write(tmp_path, ["1,Russia,Mali,Mi-35M,helicopter,Aircraft,2019,Yes,2,No,2020,Yes,New,10,10,. .,No;"])
    with pytest.raises(SourceFileError) as info:
        sipri_arms.parse_register(path)
    assert info.value.row == 4 and info.value.field == "tiv_delivered_m" and info.value.value == ". ."


def test_bad_flag_and_missing_header(tmp_path: Path) -> None:
    path = _write(tmp_path, ["1,Russia,Mali,Mi-35M,helicopter,Aircraft,2019,Maybe,2,No,2020,Yes,New,10,10,20,No;"])
    with pytest.raises(SourceFileError, match="expected 'Yes', 'No' or empty") as info:
        sipri_arms.parse_register(path)
    assert info.value.field == "order_year_estimated" and info.value.value == "Maybe"
    empty = tmp_path / "other.csv"
    empty.write_text("a,b\n1,2\n", encoding="ascii")
    with pytest.raises(SourceFileError, match="no header line"):
        sipri_arms.parse_register(empty)
