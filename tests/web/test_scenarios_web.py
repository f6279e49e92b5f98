"""POST /api/scenarios, GET /api/scenarios/inputs and the country page's scenario panel (API and browser)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, status_code_conformance

from coupwatch.core.refits import REFITS
from tests.web.conftest import ARTIFACTS

# 2024: the last forecast year with aid inputs to move (Greenbook ends FY2020, carried forward 3 years).
MALI = {"country": "MLI", "year": 2024, "draws": 4, "scenarios": [
    {"name": "spending and aid", "changes": [{"input": "milex_gdp", "mode": "relative", "amount": -30}],
     "shifts": [{"from": "capacity", "to": "governance", "percent": 25}]},
    {"name": "oversight", "changes": [{"input": "vdem_jucon", "mode": "add", "amount": 0.1},
                                      {"input": "legislative_constraints", "mode": "add", "amount": 0.1}]},
]}


def _post(client, body: dict[str, Any]):  # type: ignore[no-untyped-def]
    return client.post("/api/scenarios", json=body)


def test_scenario_answers_with_paired_intervals_and_what_moved(client, analysis_home: Path) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, MALI)
    assert response.status_code == 200, response.text
    body = response.json()
    assert (body["iso3"], body["year"], body["data_year"], body["model"], body["draws"]) == (
        "MLI", 2024, 2023, "ensemble", 4)
    assert "not proven effects" in body["caveat"]
    first, second = body["results"]
    assert [first["scenario"], second["scenario"]] == ["spending and aid", "oversight"]
    # The baseline is the saved watchlist's probability for Mali.
    watchlist = client.get("/api/forecasts", params={"year": 2024}).json()["rows"]
    saved = next(row["p"] for row in watchlist if row["iso3"] == "MLI")
    assert first["p_baseline"] == pytest.approx(saved, rel=1e-9) and second["p_baseline"] == first["p_baseline"]
    assert first["difference"] == pytest.approx(first["p_scenario"] - first["p_baseline"])
    assert first["difference_low"] <= first["difference"] <= first["difference_high"]
    inputs = {row["input"]: row for row in first["inputs"]}
    assert inputs["milex_gdp"]["before"] == pytest.approx(3.846548, abs=1e-6)
    assert inputs["milex_gdp"]["after"] == pytest.approx(3.846548 * 0.7, abs=1e-6)
    assert inputs["aid_security_governance_usd"]["after"] == pytest.approx(4_484_506.5 * 0.25)
    assert {"milex_gdp", "security_capacity_aid_log"} <= set(first["features_changed"])
    assert first["moved"] and len(first["moved"]) <= 12
    sizes = [abs(m["contribution_change"]) for m in first["moved"]]
    assert sizes == sorted(sizes, reverse=True)
    assert {row["input"] for row in second["inputs"]} == {"v2x_jucon", "v2xlg_legcon"}
    # The same request again is answered from memory, identically.
    assert _post(client, MALI).json() == body


def test_the_api_matches_the_core(client, analysis_home: Path) -> None:  # type: ignore[no-untyped-def]
    import duckdb

    from coupwatch.app.backtest import load_backtest
    from coupwatch.core.scenarios.options import scenario_from_options
    from coupwatch.core.scenarios.score import run_scenarios

    with duckdb.connect(str(analysis_home / "warehouse.duckdb"), read_only=True) as con:
        panel = con.table("panel_country_year").df()
    scenario = scenario_from_options(["milex_gdp=-30%"], ["capacity->governance:25%"], name="spending and aid")
    core = run_scenarios(panel, load_backtest(analysis_home / "backtest"), [scenario], ["MLI"], 2024, draws=4)
    api = _post(client, MALI).json()["results"][0]
    row = core.summary.iloc[0]
    for key in ("p_baseline", "p_scenario", "difference", "difference_low", "difference_high", "draws_lower"):
        assert api[key] == pytest.approx(float(row[key]), rel=1e-12, abs=1e-15), key


@pytest.mark.parametrize(
    ("change", "expected", "allowed"),
    [
        ({"input": "foo", "mode": "value", "amount": 1}, "unknown scenario input 'foo'", "vdem_jucon"),
        ({"input": "vdem_jucon", "mode": "value", "amount": 1.5}, "allowed range 0 to 1", "0 to 1"),
        ({"input": "vdem_jucon", "mode": "add", "amount": 0.6}, "v2x_jucon = 1.093 is impossible", "0 to 1"),
        ({"input": "milex_gdp", "mode": "relative", "amount": -150}, "makes milex_gdp negative", "-100% or more"),
        ({"input": "regime_type", "mode": "value", "amount": 1.5}, "one of 0, 1, 2, 3", "2"),
    ],
)
def test_bad_inputs_get_422_with_the_valid_names_or_range(
    client: TestClient, change: str, expected: str, allowed: str
) -> None:
    response = _post(client, {"country": "MLI", "year": 2024, "draws": 0, "scenarios": [{"changes": [change]}]})
    assert response.status_code == 422, response.text
    body = response.json()
    assert expected in body["detail"] and allowed in body["allowed"]


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ({"country": "MLI", "draws": 0, "scenarios": [{"shifts": [{"from": "capacity", "to": "gov", "percent": 5}]}]},
         "'capacity', 'governance'"),
        ({"country": "MLI", "draws": 0, "scenarios": [{"shifts": [{"from": "capacity", "to": "governance",
                                                                    "percent": 150}]}]}, "less than or equal to 100"),
        ({"country": "MLI", "draws": 500, "scenarios": [{"changes": []}]}, "less than or equal to 200"),
        ({"country": "MLI", "scenarios": []}, "at least 1 item"),
        ({"country": "MLI", "draws": 0, "scenarios": [{"changes": [{"input": "milex_gdp", "mode": "halve",
                                                                     "amount": 1}]}]}, "'relative', 'add'"),
        ({"country": "MLI", "draws": 0, "extra": 1, "scenarios": [{}]}, "Extra inputs are not permitted"),
    ],
)
def test_malformed_requests_get_422(client, body: dict[str, Any], expected: str) -> None:  # type: ignore[no-untyped-def]
    response = _post(client, body)
    assert response.status_code == 422, response.text
    assert expected in response.json()["detail"]


def test_request_level_errors(client) -> None:  # type: ignore[no-untyped-def]
    unknown = _post(client, {"country": "MLX", "draws": 0, "scenarios": [{"changes": [
        {"input": "milex_gdp", "mode": "relative", "amount": -10}]}]})
    assert unknown.status_code == 422 and "unknown ISO3 code 'MLX'" in unknown.json()["detail"]
    assert any("MLI" in a for a in unknown.json()["allowed"])
    empty = _post(client, {"country": "MLI", "draws": 0, "scenarios": [{"name": "nothing"}]})
    assert empty.status_code == 422 and "no changes" in empty.json()["detail"]
    late = _post(client, {"country": "MLI", "year": 2030, "draws": 0, "scenarios": [{"changes": [
        {"input": "milex_gdp", "mode": "relative", "amount": -10}]}]})
    assert late.status_code == 422 and "forecast years" in late.json()["detail"]
    model = _post(client, {"country": "MLI", "model": "nope", "draws": 0, "scenarios": [{"changes": [
        {"input": "milex_gdp", "mode": "relative", "amount": -10}]}]})
    assert model.status_code == 422 and "ensemble" in model.json()["allowed"]
    nothing_to_move = _post(client, {"country": "USA", "draws": 0, "scenarios": [{"shifts": [
        {"from": "capacity", "to": "governance", "percent": 10}]}]})
    assert nothing_to_move.status_code == 422 and "nothing to move" in nothing_to_move.json()["detail"]
    malformed = client.post("/api/scenarios", content=b"{not json", headers={"content-type": "application/json"})
    assert malformed.status_code == 422


def test_inputs_list_names_ranges_and_the_values_the_forecast_sees(client) -> None:  # type: ignore[no-untyped-def]
    body = client.get("/api/scenarios/inputs", params={"country": "MLI", "year": 2024}).json()
    assert (body["iso3"], body["year"], body["data_year"]) == ("MLI", 2024, 2023)
    inputs = {item["name"]: item for item in body["inputs"]}
    assert inputs["v2x_jucon"]["value"] == pytest.approx(0.493) and inputs["v2x_jucon"]["value_year"] == 2023
    assert "vdem_jucon" in inputs["v2x_jucon"]["aliases"] and inputs["v2x_jucon"]["allowed"] == "0 to 1"
    assert inputs["milex_gdp"]["value_year"] == 2023 and "milex_govt" in inputs["milex_gdp"]["moves_with"]
    categories = {item["name"]: item for item in body["categories"]}
    assert categories["category:capacity"]["value"] == pytest.approx(4_484_506.5)
    generic = client.get("/api/scenarios/inputs").json()
    assert generic["country"] is None and all(item["value"] is None for item in generic["inputs"])
    assert client.get("/api/scenarios/inputs", params={"country": "XXX"}).status_code == 404


def test_openapi_documents_the_scenario_endpoints(client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    post = spec["paths"]["/api/scenarios"]["post"]
    assert post["requestBody"]["content"]["application/json"]["schema"]["$ref"].endswith("/ScenarioRequest")
    assert post["responses"]["200"]["content"]["application/json"]["schema"]["$ref"].endswith("/ScenarioResponse")
    assert post["responses"]["422"]["content"]["application/json"]["schema"]["$ref"].endswith("/ErrorResponse")
    assert "/api/scenarios/inputs" in spec["paths"]


def test_country_page_has_the_scenario_panel(client) -> None:  # type: ignore[no-untyped-def]
    page = client.get("/countries/MLI").text
    assert 'id="scenario-panel"' in page and 'data-country="MLI"' in page and "/assets/scenario.js" in page
    assert "Modelled associations, not proven effects" in page
    script = client.get("/assets/scenario.js")
    assert script.status_code == 200 and "/api/scenarios" in script.text
    assert client.get("/assets/scenario.css").status_code == 200


def test_scenario_contract(web_app) -> None:  # type: ignore[no-untyped-def]
    """Generated requests (mostly invalid ones): never a server error, status codes and types as documented."""
    schema = schemathesis.openapi.from_asgi("/openapi.json", web_app)
    calls = []
    for path, method in (("/api/scenarios", "POST"), ("/api/scenarios/inputs", "GET")):
        operation = schema[path][method]

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, derandomize=True, database=None,
                  suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
        def run(case) -> None:  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=[not_a_server_error, status_code_conformance, content_type_conformance])
            calls.append(case)

        run()
    assert len(calls) >= 20


# ---- in the browser ---------------------------------------------------------------------------------------------

@pytest.mark.browser
@pytest.mark.xdist_group("web-live")
def test_sliders_run_a_scenario_in_the_browser(browser, live_server: str) -> None:  # type: ignore[no-untyped-def]
    from tests.web.test_browser import Visit

    visit = Visit(browser, live_server)
    page = visit.page
    try:
        page.goto(live_server + "/countries/MLI")
        page.wait_for_selector("#scenario-form:not([hidden])", timeout=30_000)
        # Judicial constraints (0.493, V-Dem v14's 2023 value) can fall by at most 0.49 on the 0-1 scale.
        assert (page.get_attribute("#scenario-jucon", "min"), page.get_attribute("#scenario-jucon", "max")) == (
            "-0.49", "0.5")
        run = page.locator("#scenario-run")
        run.click()
        assert page.inner_text("#scenario-status") == "Move a slider first."
        page.eval_on_selector("#scenario-milex", "e => { e.value = '-30'; e.dispatchEvent(new Event('input')); }")
        page.eval_on_selector("#scenario-shift", "e => { e.value = '25'; e.dispatchEvent(new Event('input')); }")
        assert page.inner_text("#scenario-panel [data-key=milex] output") == "-30%"
        assert "3.874 → 2.712 (value of 2025)" in page.inner_text("#scenario-panel [data-key=milex] .scenario-after")
        # One refit count everywhere: the page refits as often as the forecast did (and reuses its refits).
        assert page.get_attribute("#scenario-draws", "value") == str(REFITS)
        run.click()
        page.wait_for_selector("#scenario-panel[data-state=done]", timeout=120_000)
        result = page.text_content("#scenario-result") or ""
        assert "Baseline 2026" in result and "Difference" in result and "not proven effects" in result
        assert f"Of {REFITS} bootstrap refits" in result
        assert "Military spending, percent of GDP" in result and "milex_gdp" not in result  # labels are words
        page.locator("#scenario-panel").scroll_into_view_if_needed()
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.locator("#scenario-panel").screenshot(path=str(ARTIFACTS / "scenario_MLI.png"))
        # An impossible request from the page shows the server's message.
        page.eval_on_selector("#scenario-jucon", "e => { e.max = '0.9'; e.value = '0.9'; }")
        run.click()
        page.wait_for_selector("#scenario-panel[data-state=error]", timeout=60_000)
        assert "allowed range 0 to 1" in (page.text_content("#scenario-result") or "")
        visit.errors = [e for e in visit.errors if "422" not in e]  # the refused request is logged by the browser
        visit.check_clean()
    finally:
        page.close()
