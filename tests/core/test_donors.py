"""`coupwatch donors` and the donors core on the built warehouse: real facts from the publishers' files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coupwatch.cli import app
from coupwatch.core import donors

runner = CliRunner()


def _rows(args: list[str]) -> tuple[list[dict[str, object]], dict[str, object]]:
    result = runner.invoke(app, ["donors", *args, "--format", "json"])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    return payload["rows"], payload["notes"]


def test_mali_per_year(warehouse_env: Path) -> None:
    rows, notes = _rows(["MLI", "--from", "2002", "--to", "2024"])
    year = {int(str(r["year"])): r for r in rows}
    assert year[2019]["oda_net_usd_m"] == pytest.approx(1815.81)
    assert "United States 222.2" in str(year[2019]["oda_top_donors"])
    assert year[2007]["oda_top_bilateral"] == "France"
    assert year[2012]["oda_top_bilateral"] == "United States"
    assert str(year[2022]["arms_suppliers"]).startswith("Russia 41.4")
    assert str(year[2020]["peace_operations"]).startswith("UN MINUSMA")
    assert year[2021]["oda_net_usd_m"] is None  # DAC2a ends in 2019
    findings = dict(notes["findings"])["MLI"]  # type: ignore[call-overload]
    # The shift of arms supply after 2020, and who dominates ODA, from the data.
    assert any("Arms deliveries" in line and "2021-2024 (Russia 47%" in line for line in findings)
    assert any(line.startswith("Mali, net ODA 2002-2019") for line in findings)


def test_sahel_region_and_table_output(warehouse_env: Path) -> None:
    rows, notes = _rows(["--region", "sahel", "--from", "2019", "--to", "2020"])
    assert {r["iso3"] for r in rows} == {"MLI", "NER", "BFA", "TCD", "MRT"}
    niger_2020 = next(r for r in rows if r["iso3"] == "NER" and r["year"] == 2020)
    assert niger_2020["peace_operations_usd_m"] == 0  # no UN mission, inside the UN table's years
    assert len(rows) == 10
    assert set(dict(notes["findings"])) == {"MLI", "NER", "BFA", "TCD", "MRT"}  # type: ignore[call-overload]
    table = runner.invoke(app, ["donors", "NER", "--from", "2019", "--to", "2020"])
    assert table.exit_code == 0 and "Who supports Niger (NER)" in table.output


def test_bad_arguments_are_named(warehouse_env: Path) -> None:
    both = runner.invoke(app, ["donors", "MLI", "--region", "sahel"])
    assert both.exit_code != 0 and "not both" in both.output
    backwards = runner.invoke(app, ["donors", "MLI", "--from", "2020", "--to", "2010"])
    assert backwards.exit_code != 0 and "--from 2020 is after --to 2010" in backwards.output


def test_mali_top_arms_supplier_2021_2024_from_the_support_table(warehouse_env: Path, built_home: Path) -> None:
    import duckdb

    with duckdb.connect(str(built_home / "warehouse.duckdb"), read_only=True) as con:
        support = con.execute("SELECT * FROM support_by_donor WHERE gwcode = 432").df()
    after = donors.supplier_totals(support, [432], 2021, 2024)
    assert after["donor"].iloc[0] == "Russia"
    assert after["value"].iloc[0] == pytest.approx(89.6, abs=0.05)
    assert donors.short_name("International Development Association [IDA]") == "IDA"
