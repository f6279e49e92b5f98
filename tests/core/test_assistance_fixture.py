"""Splitting U.S. assistance lines over categories, on a tiny table of Greenbook lines (tests/fixtures)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from coupwatch.core.assistance import ClassificationError, classify, load_classification
from tests.fixtures import read_table


@pytest.fixture(scope="module")
def lines() -> pd.DataFrame:
    return read_table("greenbook_lines")


def split(lines: pd.DataFrame, override: Path | None = None) -> pd.DataFrame:
    return classify(lines, "greenbook", "publication_row", "obligations_current_usd", load_classification(override),
                    recipient_column="iso3", year_column="fiscal_year")


def test_every_dollar_lands_in_a_category(lines: pd.DataFrame) -> None:
    classified = split(lines)
    per_row = classified.groupby(level=0)["amount_classified"].sum()
    assert per_row.to_numpy() == pytest.approx(lines["obligations_current_usd"].to_numpy(dtype=float))
    assert classified.index.unique().tolist() == lines.index.tolist()  # source_row still points at the input


def test_a_mixed_line_is_shared_and_a_plain_line_is_not(lines: pd.DataFrame) -> None:
    classified = split(lines)
    narcotics = classified[classified["publication_row"] == "Narcotics Control"].set_index("category")
    assert narcotics.loc["security_capacity", "amount_classified"] == pytest.approx(600_000)
    assert narcotics["share"].sum() == pytest.approx(1.0)
    imet = classified[classified["publication_row"] == "International Military Education and Training"]
    assert imet["category"].tolist() == ["security_capacity"]


def test_a_recipient_rule_applies_to_its_country_and_year_only(lines: pd.DataFrame) -> None:
    classified = split(lines)
    pko = classified[classified["publication_row"] == "Peace Keeping Operations"]
    mali = pko[pko["iso3"] == "MLI"]
    niger = pko[pko["iso3"] == "NER"]
    # Mali's FY2012 obligation paid for other states' troops; Niger's is the line's general rule.
    assert mali["category"].tolist() == ["peace_operation_support"]
    assert niger["category"].tolist() == ["security_capacity"]


def test_an_override_replaces_a_split_and_says_so(lines: pd.DataFrame, tmp_path: Path) -> None:
    override = tmp_path / "mine.csv"
    override.write_text("source,line,category,share,reason\n"
                        "greenbook,Narcotics Control,security_capacity,0.25,my assumption\n"
                        "greenbook,Narcotics Control,security_governance,0.75,my assumption\n", encoding="utf-8")
    classified = split(lines, override)
    narcotics = classified[classified["publication_row"] == "Narcotics Control"].set_index("category")
    assert narcotics["amount_classified"].to_dict() == {"security_capacity": pytest.approx(250_000),
                                                        "security_governance": pytest.approx(750_000)}
    assert set(narcotics["classification_file"]) == {str(override)}


def test_an_unknown_line_names_the_line_and_the_file_to_fix(lines: pd.DataFrame) -> None:
    odd = pd.concat([lines, pd.DataFrame([{"country": "Mali", "iso3": "MLI", "fiscal_year": 2012,
                                           "publication_row": "Space Lasers", "obligations_current_usd": 1}])],
                    ignore_index=True)
    with pytest.raises(ClassificationError, match=r"source 'greenbook', column 'publication_row'.*'Space Lasers'.*"
                                                  r"Fix: add a row per category"):
        split(odd)
