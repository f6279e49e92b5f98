"""Capacity-versus-governance indicators: real facts from the built warehouse, reconciliation, bad input."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import cast

import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core import assistance
from coupwatch.core import panel as pn
from coupwatch.core.assistance import ClassificationError
from coupwatch.core.panel.aid import ASSISTANCE_CATEGORY_COLUMNS, FAGOV_TYPES
from coupwatch.store.reader import Warehouse, WarehouseSource

runner = CliRunner()
MALI = 432
INDICATOR_TABLES = ("us_aid_country", "greenbook_obligations", "fagov_sector", "fagov_sector_2014", "sipri_milex",
                    "wdi", "population_wpp", "weo")


@pytest.fixture(scope="module")
def source(built_home: Path) -> Iterator[WarehouseSource]:
    with Warehouse(built_home / "warehouse.duckdb") as warehouse:
        yield warehouse.source()


@pytest.fixture(scope="module")
def years(source: WarehouseSource) -> pd.DataFrame:
    return pn.add_assistance(pn.country_years(2008, 2021, source), source)


@pytest.fixture(scope="module")
def mali(years: pd.DataFrame) -> pd.DataFrame:
    return years[years["gwcode"] == MALI].set_index("year")


def test_mali_2012_military_obligations_are_mostly_peacekeeping(source: WarehouseSource, mali: pd.DataFrame) -> None:
    greenbook = source.table("greenbook_obligations")
    rows = greenbook[(greenbook["gwcode"] == MALI) & (greenbook["fiscal_year"] == 2012)
                     & (greenbook["assistance_category"] == "Military")]
    military = rows["obligations_current_usd"].sum()
    pko = rows.loc[rows["publication_row"] == "Peace Keeping Operations", "obligations_current_usd"].sum()
    assert military == pytest.approx(128.8e6, rel=0.001)
    assert pko / military > 0.99
    assert mali.loc[2012, "gb_military_usd"] == military
    # The FY2012 PKO obligation pays for the mission deployed in Mali (a recipient rule of the packaged
    # classification), so it is not Malian security capacity; the rest of the military money (IMET etc.) is.
    assert mali.loc[2012, "aid_peace_operation_support_usd"] == pytest.approx(pko)
    assert mali.loc[2012, "aid_security_capacity_usd"] == pytest.approx(military - pko)
    assert mali.loc[2012, "us_security_aid_usd"] == pytest.approx(military - pko)
    # FY2013's PKO ($19.9M) matches the State Department's bilateral allocation and stays capacity.
    assert mali.loc[2013, "aid_peace_operation_support_usd"] == 0
    assert mali.loc[2013, "aid_security_capacity_usd"] == pytest.approx(20.08e6, rel=0.001)
    sipri = source.table("sipri_milex")
    milex = sipri[(sipri["gwcode"] == MALI) & (sipri["year"] == 2012)].iloc[0]
    milex_usd = milex["milex_current_usd_m"] * 1e6
    assert military / milex_usd * 100 == pytest.approx(86.5, abs=0.05)  # the share before the reclassification
    assert mali.loc[2012, "us_milaid_milex_pct"] == pytest.approx((military - pko) / milex_usd * 100)
    assert mali["us_milaid_milex_pct"].loc[2012] < 0.5
    assert mali.loc[2012, "us_milaid_govt_spending_pct"] == pytest.approx(
        mali.loc[2012, "us_milaid_milex_pct"] * milex["milex_share_govt_spending"])


def test_mali_fy2020_budget_request_and_drg_share(source: WarehouseSource, mali: pd.DataFrame) -> None:
    assert mali.loc[2020, "us_aid_request_usd"] == 78_925_000
    rules = assistance.load_classification()
    pbr = assistance.sector_shares(source.table("fagov_sector"), source.table("us_aid_country"), rules,
                                   "President's Budget Requests")
    row = pbr[(pbr["gwcode"] == MALI) & (pbr["year"] == 2020)].iloc[0]
    assert row["total_usd"] == 78_925_000
    assert row["drg_usd"] == 580_000 and row["drg_share_us_aid"] == pytest.approx(580_000 / 78_925_000)
    assert row["ps_usd"] == 4_085_000
    assert row["ps_non_security_usd"] == 2_210_000  # conflict mitigation and reconciliation only
    # On the panel the shares are of obligations, and say so.
    assert mali.loc[2020, "drg_share_us_aid"] == pytest.approx(13_889_598 / 219_199_209, rel=1e-6)
    assert mali.loc[2020, "aid_sector_basis"] == "fagov_sector Obligations / us_aid_country Obligations"
    assert cast(str, mali.loc[2010, "aid_sector_basis"]).startswith("fagov_sector_2014")  # a text column
    assert mali["drg_share_us_aid"].isna().loc[2015]  # neither sector table covers FY2015 in the mirror


def test_mali_military_burden_and_its_change_since_the_base_year(source: WarehouseSource,
                                                                mali: pd.DataFrame) -> None:
    assert mali.loc[2012, "milex_gdp_base"] == pytest.approx(1.20, abs=0.005)
    assert mali.loc[2020, "milex_gdp_change_pp"] == pytest.approx(3.40 - 1.20, abs=0.01)
    assert mali.loc[2020, "milex_gdp_ratio_base"] == pytest.approx(3.3996 / 1.1964, rel=1e-3)
    # A panel that does not reach the base year still gets it; another base year changes the ratio.
    later = pn.add_assistance(pn.country_years(2019, 2020, source), source, base_year=2015)
    row = later[(later["gwcode"] == MALI) & (later["year"] == 2020)].iloc[0]
    assert row["milex_gdp_base"] == pytest.approx(2.36, abs=0.005)
    assert row["milex_gdp_ratio_base"] == pytest.approx(3.40 / 2.36, rel=0.005)
    assert later.attrs["assistance_base_year"] == 2015


def test_classification_used_is_named_everywhere(years: pd.DataFrame) -> None:
    assert years["aid_classification"].str.endswith("assistance_classification.csv").all()
    assert years.attrs["assistance_classification"].endswith("assistance_classification.csv")
    assert set(pn.ADDERS["add_assistance"]) <= set(years.columns)
    for column in ("us_milaid_govt_spending_pct", "us_security_aid_revenue_pct"):
        assert column in set(pn.describe_columns()["name"])
    assert "DERIVED" in pn.COLUMNS["us_milaid_govt_spending_pct"].description


def test_every_classification_line_is_used_by_the_warehouse_or_flagged(source: WarehouseSource,
                                                                      tmp_path: Path) -> None:
    from coupwatch.app.analysis import _classified_lines

    rules = assistance.load_classification()
    assert assistance.unused_lines(rules, _classified_lines(source)).empty
    override = tmp_path / "extra.csv"
    override.write_text("source,line,category,share,reason\n"
                        "greenbook,Space Cooperation Fund,other_development,1,not a real programme\n", encoding="utf-8")
    flagged = assistance.unused_lines(assistance.load_classification(override), _classified_lines(source))
    assert flagged["line"].tolist() == ["Space Cooperation Fund"]
    assert flagged["file"].tolist() == [str(override)]


def test_classified_totals_reconcile_with_the_greenbook_and_fagov(source: WarehouseSource,
                                                                 years: pd.DataFrame) -> None:
    categories = list(ASSISTANCE_CATEGORY_COLUMNS.values())
    covered = years[years["year"] <= 2020]
    split = covered[categories].astype(float).sum(axis=1)
    whole = covered["gb_military_usd"].astype(float) + covered["gb_economic_usd"].astype(float)
    pd.testing.assert_series_equal(split, whole, check_names=False, rtol=1e-9, atol=0.01)
    greenbook = source.table("greenbook_obligations")
    mapped = greenbook[(greenbook["gw_match"] == "mapped") & ~greenbook["transition_quarter"].astype(bool)
                       & greenbook["fiscal_year"].between(2008, 2020)]
    assert split.sum() == pytest.approx(mapped["obligations_current_usd"].sum(), rel=1e-9)

    sector = source.table("fagov_sector")
    rules = assistance.load_classification()
    for transaction_type in assistance.TRANSACTION_TYPES:
        shares = assistance.sector_shares(sector, source.table("us_aid_country"), rules, transaction_type)
        rows = sector[sector["transaction_type_name"] == transaction_type]
        drg = rows[rows["us_category_name"] == assistance.DEMOCRACY_RIGHTS_GOVERNANCE]["current_amount"].sum()
        ps = rows[rows["us_category_name"] == assistance.PEACE_AND_SECURITY]["current_amount"].sum()
        assert shares["drg_usd"].sum() == pytest.approx(drg) and shares["ps_usd"].sum() == pytest.approx(ps)
        assert (shares["ps_non_security_usd"] <= shares["ps_usd"] + 1e-6).all()
        column = FAGOV_TYPES[transaction_type]
        panel_totals = years.set_index(["gwcode", "year"])[column]
        joined = shares.set_index(["gwcode", "year"])["total_usd"]
        assert (joined - panel_totals.reindex(joined.index)).abs().max() < 0.01


def test_unknown_programme_fails_naming_the_classification_file(source: WarehouseSource) -> None:
    tables = {name: source.table(name) for name in INDICATOR_TABLES}
    greenbook = tables["greenbook_obligations"]
    extra = greenbook[greenbook["gwcode"] == MALI].head(1).assign(publication_row="Space Cooperation Fund")
    tables["greenbook_obligations"] = pd.concat([greenbook, extra], ignore_index=True)
    data = pn.FrameSource(tables, source.states)
    with pytest.raises(ClassificationError) as info:
        pn.add_assistance(pn.country_years(2019, 2020, data), data)
    message = str(info.value)
    assert "'Space Cooperation Fund'" in message and "assistance_classification.csv" in message
    assert "add a row" in message


def test_indicators_from_a_hand_written_frame() -> None:
    rules = assistance.load_classification()
    inputs = pd.DataFrame({
        "gwcode": [1, 1, 2], "year": [2012, 2020, 2020],
        "milex_gdp": [1.0, 2.5, 3.0], "milex_current_usd_m": [10.0, 20.0, 0.0],
        "govt_spending_usd_m": [100.0, 200.0, None], "armed_forces": [1000.0, 2000.0, 0.0],
        "revenue_usd_bn": [0.5, 1.0, 2.0], "gb_military_usd": [1e6, 2e6, 5e5],
        "aid_security_capacity_usd": [9e5, 3e6, 1e6], "aid_security_governance_usd": [1e5, 1e6, 0.0],
    })
    out = assistance.indicators(inputs, rules).set_index(["gwcode", "year"])
    assert out.loc[(1, 2020), "us_milaid_per_soldier_usd"] == pytest.approx(1000.0)
    assert out.loc[(1, 2020), "us_milaid_milex_pct"] == pytest.approx(10.0)
    assert out.loc[(1, 2020), "us_milaid_govt_spending_pct"] == pytest.approx(1.0)
    assert out.loc[(1, 2020), "milex_gdp_ratio_base"] == pytest.approx(2.5)
    assert out.loc[(1, 2020), "milex_gdp_change_pp"] == pytest.approx(1.5)
    assert out.loc[(1, 2020), "us_security_aid_revenue_pct"] == pytest.approx(0.4)
    # No soldiers, no military spending, no base year: missing, never infinite or zero.
    assert out.loc[(2, 2020), ["us_milaid_per_soldier_usd", "us_milaid_milex_pct",
                               "us_milaid_govt_spending_pct", "milex_gdp_ratio_base"]].isna().all()
    with pytest.raises(KeyError, match=r"armed_forces.*add_milex"):
        assistance.indicators(inputs.drop(columns="armed_forces"), rules)
    with pytest.raises(ValueError, match="transaction type 'Pledges'"):
        assistance.sector_shares(pd.DataFrame(), pd.DataFrame(), rules, "Pledges")


def test_region_view_medians() -> None:
    frame = pd.DataFrame({"iso3": ["MLI", "NER", "BFA", "MLI"], "country": ["Mali", "Niger", "Burkina", "Mali"],
                          "year": [2020, 2020, 2020, 2021], "x": [1.0, 5.0, None, 2.0], "label": ["a"] * 4})
    out = assistance.region_view(frame, ["x", "label"], "sahel")
    medians = out[out["iso3"] == "median"].set_index("year")
    assert medians.loc[2020, "x"] == pytest.approx(3.0) and medians.loc[2020, "n_countries"] == 3
    assert medians.loc[2021, "x"] == pytest.approx(2.0)
    assert out["iso3"].tolist() == ["BFA", "MLI", "NER", "median", "MLI", "median"]


def test_cli_country_and_region_views(warehouse_env: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["assistance", "MLI", "--from", "2012", "--to", "2020", "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["notes"]["classification"].endswith("assistance_classification.csv")
    assert payload["notes"]["unused_classification_lines"] == []
    rows = {r["year"]: r for r in payload["rows"]}
    assert rows[2012]["gb_military_usd"] == pytest.approx(128.77e6, rel=0.001)
    assert rows[2020]["milex_gdp_ratio_base"] == pytest.approx(2.84, abs=0.01)

    table = runner.invoke(app, ["assistance", "MLI", "--from", "2019", "--to", "2020"])
    assert table.exit_code == 0, table.output
    assert "classification" in table.output and "DERIVED" in table.output and "since 2012" in table.output

    region = runner.invoke(app, ["assistance", "--region", "sahel", "--from", "2020", "--to", "2020",
                                 "--format", "csv"])
    assert region.exit_code == 0, region.output
    frame = pd.read_csv(io.StringIO(region.output))
    countries = frame[frame["iso3"] != "median"]
    assert set(countries["iso3"]) == {"MLI", "NER", "BFA", "TCD", "MRT"}
    median = frame[frame["iso3"] == "median"].iloc[0]
    assert median["n_countries"] == 5
    assert median["milex_gdp"] == pytest.approx(countries["milex_gdp"].median())
    bfa = countries[countries["iso3"] == "BFA"].iloc[0]
    assert "PARTIAL" in bfa["aid_sector_basis"]  # the mirror's Burkina Faso sector rows are incomplete

    override = tmp_path / "imet_governance.csv"
    override.write_text("source,line,category,share,reason\n"
                        "greenbook,International Military Education and Training,security_governance,1,"
                        "E-IMET view\n", encoding="utf-8")
    custom = runner.invoke(app, ["assistance", "MLI", "--from", "2019", "--to", "2019", "--format", "json",
                                 "--classification", str(override)])
    assert custom.exit_code == 0, custom.output
    custom_row = json.loads(custom.output)["rows"][0]
    assert "imet_governance.csv" in custom_row["aid_classification"]
    assert custom_row["aid_security_governance_usd"] == pytest.approx(1_649_620)


def test_cli_bad_input(warehouse_env: Path) -> None:
    both = runner.invoke(app, ["assistance", "MLI", "--region", "sahel"])
    assert both.exit_code == 1 and "not both" in both.output
    region = runner.invoke(app, ["assistance", "--region", "sahara"])
    assert region.exit_code == 1 and "sahel, west_africa, africa" in region.output
    country = runner.invoke(app, ["assistance", "MLX"])
    assert country.exit_code == 1 and "MLI (Mali)" in country.output
    nothing = runner.invoke(app, ["assistance"])
    assert nothing.exit_code == 1 and "--region" in nothing.output
