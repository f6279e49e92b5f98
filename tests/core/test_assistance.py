from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.core import assistance
from coupwatch.core.assistance import ClassificationError, classify, load_classification, unused_lines
from coupwatch.sources import greenbook, us_aid_sector, us_cbj

HEADER = "source,line,category,share,reason\n"


@pytest.fixture(scope="module")
def frames(mirror: Path) -> dict[str, pd.DataFrame]:
    sector = mirror / "us_aid_sector"
    cbj = us_cbj.parse_accounts(mirror / "us_military_training" / us_cbj.FILENAME)
    return {
        "greenbook": greenbook.parse_obligations(
            mirror / "greenbook" / "us_foreignaid_greenbook_1946_2020.xlsx"),
        # Total accounts are sums of the others, not programme lines.
        "us_cbj": cbj[~cbj["is_total"]],
        "fagov_sector": us_aid_sector.parse_usg_sector(sector / us_aid_sector.SECTOR_FILE),
        "fagov_sector_ct": us_aid_sector.parse_usg_sector(
            sector / "fagov_usg_sector_MALI_counterterrorism_only.csv"),
        "fagov_sector_2014": us_aid_sector.parse_snapshot_2014(sector / us_aid_sector.SNAPSHOT_FILE),
    }


# table -> (classification source, line column, amount column, country-year keys)
SPECS = {
    "greenbook": ("greenbook", "publication_row", "obligations_current_usd", ["country", "fiscal_year"]),
    "us_cbj": ("us_cbj", "account", "amount_thousands_usd", ["country", "fiscal_year", "occurrence"]),
    "fagov_sector": ("us_aid_sector", "us_sector_name", "current_amount",
                     ["country_code", "fiscal_year", "transaction_type_name"]),
    "fagov_sector_ct": ("us_aid_sector", "us_sector_name", "current_amount",
                        ["country_code", "fiscal_year", "transaction_type_name"]),
    "fagov_sector_2014": ("us_aid_sector", "us_sector", "amount_usd", ["country", "fiscal_year"]),
}


@pytest.fixture(scope="module")
def packaged() -> assistance.Classification:
    return load_classification()


def test_every_line_in_the_mirror_is_classified_and_none_unused(
    frames: dict[str, pd.DataFrame], packaged: assistance.Classification
) -> None:
    known = set(zip(packaged.table["source"], packaged.table["line"], strict=True))
    seen: dict[str, list[pd.Series]] = {}
    for table, (source, line_column, _, _) in SPECS.items():
        lines = frames[table][line_column]
        missing = sorted(set(lines) - {line for s, line in known if s == source})
        assert not missing, f"{table}: unclassified lines {missing}"
        seen.setdefault(source, []).append(lines)
    assert set(seen) == set(packaged.table["source"])
    assert unused_lines(packaged, seen).empty


@pytest.mark.parametrize("table", list(SPECS))
def test_classified_amounts_reconcile_per_country_year(
    table: str, frames: dict[str, pd.DataFrame], packaged: assistance.Classification
) -> None:
    source, line_column, amount_column, keys = SPECS[table]
    frame = frames[table]
    result = classify(frame, source, line_column, amount_column, packaged)
    assert result.index.name == "source_row" and set(result.index) == set(frame.index)
    assert result.groupby(level=0)["share"].sum().sub(1).abs().max() < 1e-12
    before = frame.groupby(keys)[amount_column].sum().astype(float)
    after = result.groupby(keys)["amount_classified"].sum()
    pd.testing.assert_series_equal(after, before, check_names=False, rtol=1e-6, atol=1e-6)


def test_mali_greenbook_split(frames: dict[str, pd.DataFrame], packaged: assistance.Classification) -> None:
    gb = frames["greenbook"]
    mali = gb[(gb["country"] == "Mali") & (gb["fiscal_year"] == 2019)]
    by_category = classify(mali, "greenbook", "publication_row", "obligations_current_usd", packaged) \
        .groupby("category")["amount_classified"].sum()
    military = mali.loc[mali["assistance_category"] == "Military", "obligations_current_usd"].sum()
    nadr = 10_870_096
    assert by_category["security_capacity"] == pytest.approx(military + 0.5 * nadr)
    assert by_category["democracy_governance"] == pytest.approx(1_516_889 + 0.13 * 445_456)


def test_mali_fy2020_budget_request_split(
    frames: dict[str, pd.DataFrame], packaged: assistance.Classification
) -> None:
    sector = frames["fagov_sector"]
    pbr = sector[(sector["country_code"] == "MLI") & (sector["fiscal_year"] == 2020)
                 & (sector["transaction_type_id"] == 18)]
    split = classify(pbr, "us_aid_sector", "us_sector_name", "current_amount", packaged) \
        .groupby("category")["amount_classified"].sum()
    assert split["democracy_governance"] == 580_000
    assert split["conflict_mitigation"] == 2_210_000
    assert split["security_capacity"] + split["security_governance"] == 1_875_000


def test_unknown_programme_points_at_the_classification_file(packaged: assistance.Classification) -> None:
    frame = pd.DataFrame({"publication_row": ["Foreign Military Financing", "Space Cooperation Fund"],
                          "obligations_current_usd": [1.0, 2.0]})
    with pytest.raises(ClassificationError) as info:
        classify(frame, "greenbook", "publication_row", "obligations_current_usd", packaged)
    message = str(info.value)
    assert "'Space Cooperation Fund'" in message and "'greenbook'" in message
    assert "assistance_classification.csv" in message and "add a row" in message


def test_override_replaces_a_split_and_the_result_says_so(
    tmp_path: Path, packaged: assistance.Classification
) -> None:
    override = tmp_path / "my_split.csv"
    override.write_text(
        HEADER
        + "greenbook,International Military Education and Training,security_capacity,0.7,core courses\n"
        + "greenbook,International Military Education and Training,security_governance,0.3,E-IMET courses\n"
        + "greenbook,Space Cooperation Fund,other_development,1,new line\n",
        encoding="utf-8",
    )
    custom = load_classification(override)
    assert custom.files == (packaged.files[0], str(override))
    assert ("greenbook", "International Military Education and Training") in custom.overridden
    assert "my_split.csv" in custom.describe()
    frame = pd.DataFrame({"publication_row": ["International Military Education and Training",
                                              "Foreign Military Financing", "Space Cooperation Fund"],
                          "obligations_current_usd": [100.0, 50.0, 10.0]})
    result = classify(frame, "greenbook", "publication_row", "obligations_current_usd", custom)
    imet = result[result["publication_row"] == "International Military Education and Training"]
    assert imet.set_index("category")["amount_classified"].to_dict() == {
        "security_capacity": 70.0, "security_governance": 30.0}
    assert set(imet["classification_file"]) == {str(override)}
    fmf = result[result["publication_row"] == "Foreign Military Financing"]
    assert set(fmf["classification_file"]) == {packaged.files[0]}
    assert "my_split.csv" in result.attrs["classification"]
    before = classify(frame.iloc[:2], "greenbook", "publication_row", "obligations_current_usd", packaged)
    assert before.groupby("category")["amount_classified"].sum()["security_capacity"] == pytest.approx(150.0)
    assert len(unused_lines(custom, {"greenbook": frame["publication_row"]})) == len(
        packaged.table[packaged.table["source"] == "greenbook"]["line"].unique()) - 2


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("greenbook,Democracy Fund,democracy,1,DRG\n", r"row 2, column 'category'.*'democracy'"),
        ("greenbook,Democracy Fund,democracy_governance,0,DRG\n", r"row 2, column 'share'.*'0'"),
        ("greenbook,Democracy Fund,democracy_governance,half,DRG\n", r"row 2, column 'share'.*'half'"),
        ("greenbook,Democracy Fund,democracy_governance,1,\n", r"row 2, column 'reason'.*empty reason"),
        ("greenbook,NADR,security_capacity,0.5,ATA\ngreenbook,NADR,other_development,0.4,NP\n",
         r"row 2, column 'share'.*sum to 0\.9"),
        ("greenbook,NADR,security_capacity,0.5,ATA\ngreenbook,NADR,security_capacity,0.5,again\n",
         r"row 3, column 'category'.*twice"),
    ],
)
def test_bad_override_names_file_row_and_value(tmp_path: Path, body: str, expected: str) -> None:
    override = tmp_path / "bad_split.csv"
    override.write_text(HEADER + body, encoding="utf-8")
    with pytest.raises(ClassificationError, match=rf"bad_split\.csv {expected}"):
        load_classification(override)


def test_override_with_wrong_header_or_missing_file(tmp_path: Path) -> None:
    override = tmp_path / "bad_header.csv"
    override.write_text("source,programme,category,share,reason\n", encoding="utf-8")
    with pytest.raises(ClassificationError, match=r"bad_header\.csv: missing column.*'line'"):
        load_classification(override)
    with pytest.raises(ClassificationError, match=r"nowhere\.csv: cannot read"):
        load_classification(tmp_path / "nowhere.csv")


def test_packaged_table_is_valid_and_splits_ambiguous_lines(packaged: assistance.Classification) -> None:
    table = packaged.table
    assert set(table["category"]) == set(assistance.CATEGORIES)
    assert packaged.files == (assistance.packaged_path(),) and Path(packaged.files[0]).is_file()
    splits = table.groupby(["source", "line"]).size()
    for line in [("greenbook", "Narcotics Control"), ("us_cbj", "INCLE"), ("us_cbj", "NADR"),
                 ("greenbook", "Nonproliferation, Anti-Terrorism, Demining & Related"),
                 ("us_aid_sector", "Stabilization Operations and Security Sector Reform")]:
        assert splits[line] >= 2, line


def test_recipient_rules_classify_by_who_receives_the_money(packaged: assistance.Classification) -> None:
    rows = pd.DataFrame({
        "publication_row": ["Peace Keeping Operations"] * 3 + ["International Military Education and Training"],
        "iso3": ["MLI", "MLI", "SOM", "MLI"],
        "year": [2012, 2013, 2012, 2012],
        "amount": [128_260_000.0, 19_908_000.0, 194_595_000.0, 69_000.0],
    })
    split = classify(rows, "greenbook", "publication_row", "amount", packaged, "iso3", "year")
    assert split["category"].tolist() == ["peace_operation_support", "security_capacity", "security_capacity",
                                          "security_capacity"]
    assert split["amount_classified"].sum() == pytest.approx(rows["amount"].sum())
    rule = packaged.table[packaged.table["recipient"] == "MLI"].iloc[0]
    assert (rule["from_year"], rule["to_year"]) == ("2012", "2012") and "$0 in FY2012" in rule["reason"]
    # Without recipient and year columns every row takes the line's general rule.
    plain = classify(rows, "greenbook", "publication_row", "amount", packaged)
    assert set(plain["category"]) == {"security_capacity"}


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("MLI,2012,", r"needs recipient, from_year and to_year"),
        ("Mali,2012,2012", r"recipient must be an ISO3 code.*got 'Mali'"),
        ("MLI,2013,2012", r"from_year <= to_year"),
    ],
)
def test_bad_recipient_rule_names_row_and_fix(tmp_path: Path, scope: str, expected: str) -> None:
    override = tmp_path / "scoped.csv"
    override.write_text("source,line,category,share,reason,recipient,from_year,to_year\n"
                        f"greenbook,Peace Keeping Operations,peace_operation_support,1,why,{scope}\n", "utf-8")
    with pytest.raises(ClassificationError, match=rf"scoped\.csv row 2.*{expected}"):
        load_classification(override)
