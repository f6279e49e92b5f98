"""GET /api/countries/{iso3}/donors against the built warehouse (no backtest needed)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient


@pytest.fixture(scope="module")
def warehouse_client(built_home: Path) -> Iterator[TestClient]:
    from coupwatch.web import create_app

    with TestClient(create_app(built_home, warm=False)) as client:
        yield client


def test_mali_donors(warehouse_client: TestClient) -> None:
    response = warehouse_client.get("/api/countries/MLI/donors", params={"from": 2012, "to": 2024})
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["gwcode"], body["iso3"], body["first_year"], body["last_year"]) == (432, "MLI", 2012, 2024)
    rows = {r["year"]: r for r in body["rows"]}
    assert rows[2019]["oda_net_usd_m"] == pytest.approx(1815.81)
    assert rows[2022]["arms_suppliers"].startswith("Russia 41.4")
    assert rows[2012]["us_security_capacity_usd_m"] == pytest.approx(0.511, abs=0.001)
    support = [r for r in body["support"] if r["kind"] == "peace_operation" and r["year"] == 2020]
    assert [r["donor"] for r in support] == ["UN MINUSMA"]
    assert support[0]["value"] == pytest.approx(1121.56, abs=0.01)
    assert any("2021-2024 (Russia 47%" in line for line in body["findings"])


def test_csv_and_bad_requests(warehouse_client: TestClient) -> None:
    csv = warehouse_client.get("/api/countries/NER/donors", params={"from": 2019, "to": 2020, "format": "csv"})
    assert csv.status_code == 200 and csv.text.splitlines()[0].startswith("iso3,country,year,oda_net_usd_m")
    assert len(csv.text.splitlines()) == 3
    backwards = warehouse_client.get("/api/countries/MLI/donors", params={"from": 2020, "to": 2010})
    assert backwards.status_code == 422 and "from=2020 is after to=2010" in backwards.text
    unknown = warehouse_client.get("/api/countries/XXX/donors")
    assert unknown.status_code == 404


def test_country_page_shows_arms_suppliers_and_aid_donors(warehouse_client: TestClient) -> None:
    page = warehouse_client.get("/countries/MLI")
    assert page.status_code == 200, page.text
    assert 'id="chart-arms"' in page.text and 'id="spec-arms"' in page.text and 'id="chart-oda"' in page.text
    assert "/api/countries/MLI/donors?format=csv" in page.text
    # A state with no arms deliveries says so instead of an empty chart.
    tuvalu = warehouse_client.get("/countries/TUV")
    assert tuvalu.status_code == 200 and "SIPRI records no deliveries of major arms" in tuvalu.text
