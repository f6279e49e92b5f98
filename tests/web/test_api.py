"""API contract: every endpoint against the real warehouse, saved backtest and saved 2026 watchlist."""

from __future__ import annotations

import duckdb
import pandas as pd
import pytest

from coupwatch.web.models import (
    AssistanceResponse,
    CountryList,
    Health,
    PanelResponse,
    RiskHistory,
    SourcesResponse,
    Watchlist,
)

G5_SAHEL = {"MLI", "NER", "BFA", "TCD", "MRT"}


@pytest.fixture(scope="module")
def warehouse(analysis_home):  # type: ignore[no-untyped-def]
    con = duckdb.connect(str(analysis_home / "warehouse.duckdb"), read_only=True)
    yield con
    con.close()


def test_countries_lists_every_panel_state_with_years(client, warehouse) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/countries")
    assert response.status_code == 200
    body = CountryList.model_validate(response.json())
    expected = warehouse.execute("SELECT count(DISTINCT gwcode) FROM panel_country_year").fetchone()[0]
    assert body.count == len(body.countries) == expected
    mali = next(c for c in body.countries if c.iso3 == "MLI")
    assert (mali.gwcode, mali.name, mali.region, mali.africa, mali.first_year) == (
        432, "Mali", "Sub-Saharan Africa", True, 1960)
    # States are shown by their names today, not the Gleditsch-Ward list's historical ones.
    names = {c.iso3: c.name for c in body.countries}
    assert (names["CIV"], names["BFA"], names["TUR"], names["ZWE"]) == (
        "Côte d'Ivoire", "Burkina Faso", "Türkiye", "Zimbabwe")


def test_panel_rows_match_the_warehouse(client, warehouse) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/countries/mli/panel", params={"from": 2010, "to": 2013,
                                                              "columns": "pt_attempts,pt_successes,milex_gdp"})
    assert response.status_code == 200
    body = PanelResponse.model_validate(response.json())
    assert (body.iso3, body.first_year, body.last_year) == ("MLI", 2010, 2013)
    assert [c.name for c in body.columns] == ["gwcode", "year", "iso3", "country", "pt_attempts", "pt_successes",
                                              "milex_gdp"]
    docs = {c.name: c for c in body.columns}
    assert docs["milex_gdp"].source == "sipri_milex" and docs["milex_gdp"].unit
    by_year = {row["year"]: row for row in body.rows}
    # March 2012 coup and the failed counter-coup of 30 April 2012 (Powell & Thyne).
    assert by_year[2012]["pt_attempts"] == 2 and by_year[2012]["pt_successes"] == 1
    assert by_year[2011]["pt_attempts"] == 0
    direct = warehouse.execute("SELECT year, milex_gdp FROM panel_country_year WHERE gwcode = 432 "
                               "AND year BETWEEN 2010 AND 2013 ORDER BY year").df()
    assert [by_year[y]["milex_gdp"] for y in direct["year"]] == pytest.approx(direct["milex_gdp"].tolist())


def test_panel_csv_download(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/countries/NER/panel", params={"from": 2020, "to": 2023, "columns": "pt_attempts",
                                                              "format": "csv"})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/csv")
    assert "attachment" in response.headers["content-disposition"]
    lines = response.text.strip().splitlines()
    assert lines[0] == "gwcode,year,iso3,country,pt_attempts"
    assert lines[-1].startswith("436,2023,NER,Niger,1")  # the July 2023 coup


def test_forecasts_are_the_saved_watchlist_ranked(client, analysis_home) -> None:  # type: ignore[no-untyped-def]
    from coupwatch.store.saved import load_forecast

    saved = load_forecast(folder=analysis_home / "forecasts")
    body = Watchlist.model_validate(client.get("/api/forecasts").json())
    assert (body.year, body.outcome, body.model, body.total, body.count) == (
        2026, "attempt", "ensemble", len(saved), len(saved))
    assert [r.rank for r in body.rows] == list(range(1, len(saved) + 1))
    ps = [r.p for r in body.rows]
    assert ps == sorted(ps, reverse=True)
    assert ps == pytest.approx(saved["p"].tolist())
    top = body.rows[0]
    # The fixture saves 90% intervals; a forecast saved with --draws 0 has none, and then both ends are null.
    assert (top.p_low is None) == (top.p_high is None) == saved["p_low"].isna().iloc[0]
    if top.p_low is not None and top.p_high is not None:
        assert top.p_low <= top.p <= top.p_high
    assert len(top.drivers) == 3 and top.drivers_text
    assert top.p_last_year is not None
    assert top.change == pytest.approx(top.p - top.p_last_year)


def test_forecast_filters(client) -> None:  # type: ignore[no-untyped-def]
    sahel = Watchlist.model_validate(client.get("/api/forecasts", params={"region": "sahel"}).json())
    assert {r.iso3 for r in sahel.rows} == G5_SAHEL and sahel.region == "Sahel (G5)"
    named = client.get("/api/forecasts", params={"region": "Sub-Saharan Africa", "limit": 5}).json()
    assert named["count"] == 5 and {r["region"] for r in named["rows"]} == {"Sub-Saharan Africa"}
    assert [r["rank"] for r in named["rows"]] == sorted(r["rank"] for r in named["rows"])
    africa = client.get("/api/forecasts", params={"region": "africa"}).json()
    assert "EGY" in {r["iso3"] for r in africa["rows"]} and "FRA" not in {r["iso3"] for r in africa["rows"]}
    assert client.get("/api/forecasts", params={"year": 2026, "limit": 1}).json()["count"] == 1


def test_risk_history_is_out_of_sample_with_coups(client, analysis_home) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/countries/MLI/risk-history")
    assert response.status_code == 200
    body = RiskHistory.model_validate(response.json())
    backtest = [y for y in body.years if y.kind == "backtest"]
    assert [y.year for y in backtest] == list(range(2016, 2026))
    predictions = pd.read_parquet(analysis_home / "backtest" / "predictions.parquet")
    mine = predictions[(predictions["gwcode"] == 432) & (predictions["model"] == "ensemble")
                       & (predictions["outcome"] == "attempt")].sort_values("year")
    assert [y.p for y in backtest] == pytest.approx(mine["p"].tolist())
    observed = {y.year: y.observed for y in backtest}
    assert observed[2020] == 1 and observed[2021] == 1 and observed[2019] == 0
    forecast = [y for y in body.years if y.kind == "forecast"]
    assert len(forecast) == 1 and forecast[0].year == 2026
    saved = pd.read_parquet(analysis_home / "forecasts" / "forecast-2026-attempt-ensemble.parquet")
    assert forecast[0].p == pytest.approx(float(saved.loc[saved["gwcode"] == 432, "p"].iloc[0]))
    coups = {c.year: c for c in body.coups}
    assert {2012, 2020, 2021} <= set(coups) and coups[2012].successes == 1


def test_risk_history_csv_and_other_model(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/countries/NER/risk-history", params={"model": "logit", "format": "csv"})
    assert response.status_code == 200 and response.text.startswith("year,p,")
    assert client.get("/api/countries/NER/risk-history", params={"outcome": "success"}).status_code == 200


def test_assistance_indicators_match_coupwatch_assistance(client, analysis_env) -> None:  # type: ignore[no-untyped-def]
    from coupwatch.app.analysis import assistance_indicators

    response = client.get("/api/countries/MLI/assistance", params={"from": 2010, "to": 2014})
    assert response.status_code == 200
    body = AssistanceResponse.model_validate(response.json())
    assert body.base_year == 2012 and "assistance_classification.csv" in (body.classification or "")
    rows = {r["year"]: r for r in body.rows}
    assert rows[2012]["milex_gdp_base"] == pytest.approx(rows[2012]["milex_gdp"])
    assert rows[2012]["gb_military_usd"] == pytest.approx(128.8e6, rel=0.01)  # Greenbook: $128.8M in FY2012
    reference, _ = assistance_indicators(["MLI"], first_year=2010, last_year=2014)
    for column in ("aid_security_capacity_usd", "aid_security_governance_usd", "milex_gdp_change_pp",
                   "us_milaid_per_soldier_usd"):
        assert [rows[y][column] for y in reference["year"]] == pytest.approx(reference[column].tolist(), nan_ok=True)


def test_sources_carry_provenance_and_citations(client, warehouse) -> None:  # type: ignore[no-untyped-def]
    body = SourcesResponse.model_validate(client.get("/api/sources").json())
    names = warehouse.execute("SELECT source FROM sources").df()["source"]
    assert {s.source for s in body.sources} == set(names) and body.count == len(names)
    sipri = next(s for s in body.sources if s.source == "sipri_milex")
    assert sipri.citation and "@" in sipri.citation and sipri.licence
    table = sipri.tables[0]
    pinned = warehouse.execute("SELECT sha256 FROM provenance WHERE table_name = ?", [table.table_name]).fetchone()[0]
    assert table.sha256 == pinned and len(pinned) == 64


def test_healthz(client) -> None:  # type: ignore[no-untyped-def]
    body = Health.model_validate(client.get("/healthz").json())
    assert (body.status, body.warehouse, body.backtest, body.forecast_years) == ("ok", True, True, [2024, 2026])


# ---- errors say what was wrong and what is allowed ----------------------------------------------------------

@pytest.mark.parametrize(
    ("url", "status", "needle"),
    [
        ("/api/countries/MLX/panel", 404, "MLI (Mali)"),
        ("/api/countries/Mali/risk-history", 404, "MLI (Mali)"),
        ("/api/countries/MAL/panel", 404,
         "'MAL' is not an ISO3 code: it is the Gleditsch-Ward letter code of Malaysia, whose ISO3 code is MYS"),
        ("/api/countries/MAL/panel", 404, "MLI (Mali)"),
        ("/api/countries/MLI/panel?from=1800", 422, "1946-"),
        ("/api/countries/MLI/panel?from=2015&to=2010", 422, "from=2015 is after to=2010"),
        ("/api/countries/MLI/panel?from=1946&to=1950", 422, "Mali is in the panel only 1960-"),
        ("/api/countries/MLI/panel?columns=milex_gdp,bogus", 422, "unknown column(s) 'bogus'. The panel has"),
        ("/api/countries/MLI/panel?columns=milex_gpd", 422, "'milex_gpd' (close matches: milex_gdp"),
        ("/api/countries/MLI/panel?format=xml", 422, "'json' or 'csv'"),
        ("/api/forecasts?year=2031", 422, "saved years: 2024, 2026"),
        ("/api/forecasts?region=atlantis", 422, "sahel"),
        ("/api/forecasts?limit=abc", 422, "query parameter 'limit'"),
        ("/api/forecasts?limit=0", 422, "greater than or equal to 1"),
        ("/api/countries/MLI/risk-history?model=oracle", 422, "ensemble"),
        ("/api/countries/MLI/assistance?to=3000", 422, "outside the panel's years"),
    ],
)
def test_bad_input_is_explained(client, url: str, status: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == status, response.text
    assert needle in response.json()["detail"]


def test_unknown_column_suggests_close_matches(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/countries/MLI/panel?columns=milex_gpd").json()
    assert body["allowed"][0] == "milex_gdp" and len(body["allowed"]) <= 5 and "'milex_gpd'" in body["detail"]
    # Not all the panel's column names: the few meant, and where the full list is.
    assert "v2x_polyarchy" not in body["detail"] and "columns" in body["detail"]


def test_only_reads(client) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/forecasts", json={"year": 2026})
    assert response.status_code == 405 and "only reads" in response.json()["detail"]
    if "/api/scenarios" not in client.get("/openapi.json").json()["paths"]:
        # Absent, not stubbed, until the scenarios work adds it.
        missing = client.post("/api/scenarios", content=b"{not json", headers={"content-type": "application/json"})
        assert missing.status_code == 404


def test_openapi_documents_every_endpoint(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    assert set(spec["paths"]) >= {"/api/countries", "/api/countries/{iso3}/panel", "/api/forecasts",
                                  "/api/countries/{iso3}/risk-history", "/api/countries/{iso3}/assistance",
                                  "/api/sources", "/healthz"}
    forecasts = spec["paths"]["/api/forecasts"]["get"]
    assert forecasts["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/Watchlist")
    assert forecasts["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")


@pytest.mark.parametrize(
    ("query", "code"),
    [("Ivory Coast", "CIV"), ("Côte d'Ivoire", "CIV"), ("cote d'ivoire", "CIV"), ("Türkiye", "TUR"),
     ("Turkey", "TUR"), ("eswatini", "SWZ"), ("Upper Volta", "BFA"), ("ML", "MLI"), ("mli", "MLI")],
)
def test_search_finds_a_state_by_any_code_or_name(client, query: str, code: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/countries", params={"q": query}, follow_redirects=False)
    assert response.status_code == 303, response.text[:300]
    assert response.headers["location"] == f"/countries/{code}"


def test_watchlist_as_csv(client) -> None:  # type: ignore[no-untyped-def]
    import io

    import pandas as pd

    response = client.get("/api/forecasts", params={"format": "csv", "region": "sahel"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    frame = pd.read_csv(io.StringIO(response.text))
    as_json = client.get("/api/forecasts", params={"region": "sahel"}).json()
    assert frame["iso3"].tolist() == [r["iso3"] for r in as_json["rows"]]
    assert frame["p"].tolist() == pytest.approx([r["p"] for r in as_json["rows"]])
    assert {"rank", "country", "p_low", "p_high", "change", "drivers_text"} <= set(frame.columns)
    assert "format=csv" in client.get("/").text  # the dashboard links the download
