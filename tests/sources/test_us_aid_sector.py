from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.errors import SourceFileError
from coupwatch.sources import us_aid_sector

CT_ONLY = "fagov_usg_sector_MALI_counterterrorism_only.csv"
PUBLISHED_HEADER = (
    '"US Category ID","US Category Name","US Sector ID","US Sector Name","Country Code","Country Name",'
    '"Transaction Type ID","Transaction Type Name","Fiscal Year","current_amount","constant_amount"\n'
)


@pytest.fixture(scope="module")
def sector(mirror: Path) -> pd.DataFrame:
    return us_aid_sector.parse_usg_sector(mirror / "us_aid_sector" / us_aid_sector.SECTOR_FILE)


@pytest.fixture(scope="module")
def snapshot(mirror: Path) -> pd.DataFrame:
    return us_aid_sector.parse_snapshot_2014(mirror / "us_aid_sector" / us_aid_sector.SNAPSHOT_FILE)


def test_mali_fy2020_budget_request(sector: pd.DataFrame) -> None:
    pbr = sector[(sector["country_code"] == "MLI") & (sector["fiscal_year"] == 2020)
                 & (sector["transaction_type_name"] == "President's Budget Requests")]
    by_category = pbr.groupby("us_category_name")["current_amount"].sum()
    assert by_category["Democracy, Human Rights, and Governance"] == 580_000
    assert by_category["Peace and Security"] == 4_085_000
    by_sector = pbr.set_index("us_sector_name")["current_amount"]
    assert by_sector.to_dict() == {
        "Stabilization Operations and Security Sector Reform": 1_875_000,
        "Conflict Mitigation and Reconciliation": 2_210_000,
        "Good Governance": 580_000,
    }


def test_transcription_shape(sector: pd.DataFrame) -> None:
    assert len(sector) == 269
    assert sector["country_code"].value_counts().to_dict() == {"MLI": 135, "NER": 111, "BFA": 23}
    assert "source_offset" not in sector.columns
    assert sector.index[0] == 2
    mali_obligations = sector[(sector["country_code"] == "MLI") & (sector["fiscal_year"] == 2020)
                              & (sector["transaction_type_id"] == 2)]["current_amount"].sum()
    assert mali_obligations == 13_889_598 + 16_644_793


def test_counterterrorism_file_parses_and_agrees(sector: pd.DataFrame, mirror: Path) -> None:
    old = us_aid_sector.parse_usg_sector(mirror / "us_aid_sector" / CT_ONLY)
    assert len(old) == 54 and old["us_sector_id"].isna().all() and old["constant_amount"].isna().all()
    keys = ["transaction_type_name", "fiscal_year"]
    new_ct = sector[(sector["country_code"] == "MLI") & (sector["us_sector_name"] == "Counter-Terrorism")]
    old_ct = old[old["fiscal_year"].between(2017, 2021)]
    merged = new_ct.merge(old_ct, on=keys, suffixes=("_new", "_old"), how="outer", validate="1:1")
    assert (merged["current_amount_new"] == merged["current_amount_old"]).all()
    obligations = old.set_index(keys)["current_amount"]
    assert obligations[("Obligations", 2019)] == 10_341_585


def test_publisher_header_and_snake_case_give_the_same_table(tmp_path: Path) -> None:
    rows = (
        "1,Peace and Security,1,Counter-Terrorism,AFG,Afghanistan,1,Appropriated and Planned,2006,13320000,18623155\n"
        '1,Peace and Security,1,Counter-Terrorism,ANS,"Asia, Middle East and North Africa Region",2,Obligations,'
        "2010,-5024,-7006\n"
    )
    published = tmp_path / "us_foreign_aid_usg_sector.csv"
    published.write_text("\ufeff" + PUBLISHED_HEADER + rows, encoding="utf-8")
    snake = tmp_path / "snake.csv"
    snake.write_text(
        "us_category_id,us_category_name,us_sector_id,us_sector_name,country_code,country_name,"
        "transaction_type_id,transaction_type_name,fiscal_year,current_amount,constant_amount\n" + rows,
        encoding="utf-8",
    )
    first = us_aid_sector.parse_usg_sector(published)
    pd.testing.assert_frame_equal(first, us_aid_sector.parse_usg_sector(snake))
    assert first.loc[3, "country_name"] == "Asia, Middle East and North Africa Region"
    assert first.loc[3, "current_amount"] == -5024


def test_bad_amount_and_duplicate_rows_are_named(tmp_path: Path) -> None:
    line = "1,Peace and Security,1,Counter-Terrorism,MLI,Mali,2,Obligations,2019,{amount},1\n"
    bad = tmp_path / "bad.csv"
    bad.write_text(PUBLISHED_HEADER + line.format(amount="10341585") + line.format(amount="ten"),
                   encoding="utf-8")
    with pytest.raises(SourceFileError) as info:
        us_aid_sector.parse_usg_sector(bad)
    message = str(info.value)
    assert "row 3" in message and "'current_amount'" in message and "'ten'" in message
    dup = tmp_path / "dup.csv"
    dup.write_text(PUBLISHED_HEADER + line.format(amount="1") + line.format(amount="2"), encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"duplicate key .* rows 2, 3"):
        us_aid_sector.parse_usg_sector(dup)


def test_missing_sector_column_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.csv"
    row = "1,Peace and Security,1,Counter-Terrorism,MLI,Mali,2,Obligations,2019,1,1\n"
    bad.write_text(PUBLISHED_HEADER.replace("US Sector Name", "Sector") + row, encoding="utf-8")
    with pytest.raises(SourceFileError, match="'us_sector_name'"):
        us_aid_sector.parse_usg_sector(bad)


def test_snapshot_mali_sector_split(snapshot: pd.DataFrame) -> None:
    assert len(snapshot) == 12_336
    mali = snapshot[snapshot["country"] == "Mali"].groupby(["us_category", "fiscal_year"])["amount_usd"].sum()
    peace = (mali["Peace and Security"] / 1e6).round(2).tolist()
    drg = (mali["Democracy, Human Rights, and Governance"] / 1e6).round(2).tolist()
    assert peace == [0.70, 0.49, 3.63, 4.43, 5.75]
    assert drg == [1.06, 1.22, 0.86, 1.80, 3.16]


def test_snapshot_unknown_category_is_rejected(tmp_path: Path) -> None:
    bad = tmp_path / us_aid_sector.SNAPSHOT_FILE
    bad.write_text(
        "fiscal_year,agency,country,us_category,us_sector,amount_usd\n"
        "2012,USAID,Mali,Health,Malaria,1000.0\n"
        "2012,USAID,Mali,Security,Counterterrorism,1000.0\n",
        encoding="utf-8",
    )
    with pytest.raises(SourceFileError) as info:
        us_aid_sector.parse_snapshot_2014(bad)
    message = str(info.value)
    assert "row 3" in message and "'us_category'" in message and "'Security'" in message
