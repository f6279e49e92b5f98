"""The claims table: Mali's claims checked against the built warehouse, and the claims file format."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import cast

import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core import claims
from coupwatch.core.assistance import sector_gaps
from coupwatch.store.reader import Warehouse

runner = CliRunner()


@pytest.fixture(scope="module")
def evidence(built_home: Path) -> Iterator[claims.Evidence]:
    with Warehouse(built_home / "warehouse.duckdb") as warehouse:
        provenance = warehouse.provenance()
        sha = provenance.set_index("table_name").loc["fagov_sector", "sha256"]
        yield claims.gather_evidence(warehouse.source(), ["MLI", "NER", "BFA"], provenance,
                                     sector_gaps=sector_gaps("fagov_sector", str(sha)))


@pytest.fixture(scope="module")
def mali(evidence: claims.Evidence) -> pd.DataFrame:
    chosen = claims.claims_for(claims.load_claims(), "MLI")
    return claims.evaluate_claims(chosen, evidence).set_index("id")


def test_every_mali_claim_of_the_analysis_is_checked(mali: pd.DataFrame) -> None:
    assert set(mali.index) == {
        "mli-milex-doubled", "mli-us-aid-79m", "mli-drg-1pct", "mli-ps-non-security-5pct",
        "mli-replace-security-support-75pct-revenue", "mli-growing-violence-against-civilians",
        "sahel-capacity-over-governance",
    }
    assert set(mali["verdict"]) <= set(claims.VERDICTS)
    assert (mali["explanation"].str.len() > 40).all() and (mali["sources"] != "").all()


def test_military_spending_more_than_doubled(mali: pd.DataFrame) -> None:
    row = mali.loc["mli-milex-doubled"]
    assert row["verdict"] == claims.SUPPORTED
    assert row["our_figure"] == "3.40% in 2020 vs 1.20% in 2012 (2.84 times)"
    assert "sipri_milex 2026 release (data 1949-2025), v1.2" in row["sources"]


def test_79_million_is_the_budget_request_not_money_received(mali: pd.DataFrame) -> None:
    row = mali.loc["mli-us-aid-79m"]
    assert row["verdict"] == claims.PARTLY
    assert row["our_figure"] == "$78.9 million (President's Budget Requests, FY2020)"
    assert "$219.2 million" in row["explanation"] and "$196.3 million" in row["explanation"]
    assert "us_aid_country" in row["sources"] and "2025 download" in row["sources"]


def test_shares_follow_the_matched_transaction_type(mali: pd.DataFrame) -> None:
    drg = mali.loc["mli-drg-1pct"]
    assert drg["verdict"] == claims.PARTLY
    assert drg["our_figure"].startswith("0.7% of the FY2020 President's Budget Requests ($580,000 of $78.9 million)")
    assert "Obligations 6.3%" in drg["explanation"] and "Disbursements 6.0%" in drg["explanation"]
    ps = mali.loc["mli-ps-non-security-5pct"]
    assert ps["verdict"] == claims.PARTLY
    assert ps["our_figure"].startswith("2.8% of the FY2020 President's Budget Requests")
    assert "whole Peace and Security category (5.2%)" in ps["explanation"]
    assert ps["classification"].endswith("assistance_classification.csv")


def test_revenue_claim_holds_only_against_revenue_without_grants(mali: pd.DataFrame) -> None:
    row = mali.loc["mli-replace-security-support-75pct-revenue"]
    # 2020: MINUSMA $1,121.6m + Barkhane EUR 600m ($684.8m) + EU missions $75.0m + U.S. security aid $4.5m
    # = $1,885.8m: 52.0% of revenue including grants ($3.63bn), 71.8% excluding grants ($2.62bn).
    assert row["verdict"] == claims.PARTLY
    assert row["our_figure"].startswith("$1.89 billion in 2020 = 52.0% of revenue incl. grants ($3.63 billion)")
    assert "71.8% excl. grants" in row["our_figure"]
    assert "only against revenue excluding grants" in row["explanation"]
    assert "Estimates: french_operation" in row["explanation"] and "2019: 53.4% incl. grants" in row["explanation"]
    assert "MINUSMA" in row["would_settle"] and "Barkhane" in row["would_settle"]
    for table in ("un_peacekeeping_expenses", "mali_security_presence_costs", "gmd_govrev", "(weo)"):
        assert table in row["sources"]


def test_security_support_components_per_year(evidence: claims.Evidence) -> None:
    support = evidence.security_support
    mali = support[support["iso3"] == "MLI"].set_index("year")
    assert mali.at[2020, "un_peacekeeping_usd_m"] == pytest.approx(1121.56, abs=0.01)
    assert mali.at[2020, "french_operation_usd_m"] == pytest.approx(684.79, abs=0.01)
    assert mali.at[2020, "eu_missions_usd_m"] == pytest.approx(74.95, abs=0.01)
    assert mali.at[2019, "pct_of_revenue_without_grants"] == pytest.approx(74.3, abs=0.05)
    # 2021 has no Barkhane figure and no U.S. figure: no ratio rather than a partial one.
    assert mali.at[2021, "missing_components"] == "french_operation, us_security_aid, us_peace_operation_support"
    assert mali["pct_of_revenue_with_grants"].isna().loc[2021]
    niger = support[support["iso3"] == "NER"].set_index("year")
    assert "french_operation" in str(niger.at[2020, "missing_components"])


def test_violence_and_the_sahel_comparison(mali: pd.DataFrame) -> None:
    violence = mali.loc["mli-growing-violence-against-civilians"]
    assert violence["verdict"] == claims.SUPPORTED
    assert violence["our_figure"] == "319 in 2017-2020 vs 45 in 2012-2015"
    assert "2020 257" in violence["explanation"] and "ucdp_ged_cy_251 25.1" in violence["sources"]
    sahel = mali.loc["sahel-capacity-over-governance"]
    assert sahel["verdict"] == claims.SUPPORTED
    assert sahel["our_figure"] == "governance share of U.S. security aid: MLI 1.7%, NER 0.2%, BFA 0.6%"


def test_verdicts_move_with_the_data(evidence: claims.Evidence) -> None:
    wanted = ("mli-milex-doubled", "mli-growing-violence-against-civilians")
    chosen = [c for c in claims.load_claims() if c.id in wanted]
    panel = evidence.panel.copy()
    mali_2020 = (panel["iso3"] == "MLI") & (panel["year"] == 2020)
    panel.loc[mali_2020, "milex_gdp"] = 1.5
    panel.loc[mali_2020, "ged_govt_killings"] = 0
    panel.loc[(panel["iso3"] == "MLI") & (panel["year"] == 2018), "ged_govt_killings"] = 0
    result = claims.evaluate_claims(chosen, replace(evidence, panel=panel)).set_index("id")
    assert result.loc["mli-milex-doubled", "verdict"] == claims.CONTRADICTED
    assert result.loc["mli-growing-violence-against-civilians", "verdict"] == claims.CONTRADICTED


def test_partial_sector_rows_are_not_checkable(evidence: claims.Evidence, tmp_path: Path) -> None:
    extra = tmp_path / "bfa.toml"
    extra.write_text(
        '[[claims]]\nid = "bfa-drg"\ncountry = "BFA"\nquote = "1 percent DRG"\nkind = "share"\n'
        'measure = "drg_share_us_aid"\nyear = 2020\npercent = 1.0\ntolerance_pp = 0.5\nbasis = "Obligations"\n',
        encoding="utf-8")
    chosen = claims.claims_for(claims.load_claims([extra]), "BFA")
    assert [c.id for c in chosen] == ["sahel-capacity-over-governance", "bfa-drg"]
    row = claims.evaluate_claims(chosen, evidence).set_index("id").loc["bfa-drg"]
    assert row["verdict"] == claims.NOT_CHECKABLE and "PARTIAL" in row["explanation"]


def test_user_claims_for_another_country(evidence: claims.Evidence, tmp_path: Path) -> None:
    extra = tmp_path / "niger.toml"
    extra.write_text(
        '[[claims]]\nid = "ner-milex"\ncountry = "NER"\nquote = "Niger doubled its military burden"\n'
        'kind = "ratio"\ncolumn = "milex_gdp"\nfrom_year = 2012\nto_year = 2020\nat_least = 2.0\n',
        encoding="utf-8")
    chosen = [c for c in claims.load_claims([extra]) if c.id == "ner-milex"]
    row = claims.evaluate_claims(chosen, evidence).iloc[0]
    panel = evidence.panel.set_index(["iso3", "year"])
    # milex_gdp is a float column; the stubs type a `.loc` cell as any scalar.
    ratio = cast(float, panel.loc[("NER", 2020), "milex_gdp"]) / cast(float, panel.loc[("NER", 2012), "milex_gdp"])
    assert f"({ratio:.2f} times)" in row["our_figure"]
    assert row["verdict"] == (claims.SUPPORTED if ratio >= 2 else claims.PARTLY if ratio >= 1.8
                              else claims.CONTRADICTED)


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('[[claims]]\nid = "x"\ncountry = "MLI"\nquote = "q"\nkind = "vibes"\n', r"claim 'x', key 'kind'.*'vibes'"),
        ('[[claims]]\nid = "x"\ncountry = "MLI"\nquote = "q"\nkind = "ratio"\ncolumn = "milex_gdp"\n',
         r"claim 'x', key 'from_year'.*needs from_year, to_year, at_least"),
        ('[[claims]]\nid = "x"\ncountry = "MLI"\nkind = "ratio"\n', r"claim 'x', key 'quote': missing quote"),
        ('[[claims]]\nid = "mli-drg-1pct"\ncountry = "MLI"\nquote = "q"\nkind = "trend"\ncolumn = "c"\n'
         'from_year = 1\nto_year = 2\n', r"claim 'mli-drg-1pct', key 'id': id already used"),
        ('claims = 3\n', r"no \[\[claims\]\] tables"),
        ('[[claims]\n', r"not valid TOML"),
    ],
)
def test_bad_claims_file_names_file_claim_and_key(tmp_path: Path, body: str, expected: str) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(body, encoding="utf-8")
    with pytest.raises(claims.ClaimsError, match=rf"mine\.toml.*{expected}"):
        claims.load_claims([path])


def test_cli_claims(warehouse_env: Path) -> None:
    result = runner.invoke(app, ["claims", "MLI", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = {r["id"]: r for r in json.loads(result.output)}
    assert rows["mli-milex-doubled"]["verdict"] == "supported"
    assert rows["mli-replace-security-support-75pct-revenue"]["verdict"] == "partly"
    csv = runner.invoke(app, ["claims", "MLI", "--format", "csv"])
    assert set(pd.read_csv(io.StringIO(csv.output))["verdict"]) <= {
        "supported", "partly", "contradicted", "not checkable with the data at hand"}
    table = runner.invoke(app, ["claims", "MLI"])
    assert table.exit_code == 0 and "would settle it" in table.output and "sources:" in table.output
    none = runner.invoke(app, ["claims", "FRA"])
    assert none.exit_code == 1 and "no claims about 'FRA'" in none.output
