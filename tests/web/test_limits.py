"""Hostile or broken requests: numbers JSON cannot carry, oversized and malformed bodies, long echoes, methods
that are not allowed, unknown Host headers; and an OpenAPI document that promises what the server checks."""

from __future__ import annotations

import http.client
import json
import os
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import pytest
from fastapi.testclient import TestClient

from coupwatch.web import create_app
from coupwatch.web.guards import MAX_BODY_BYTES, host_allowed, host_name

JSON = {"content-type": "application/json"}


def scenario_body(amount: str = "-30", name: str | None = None) -> str:
    named = "" if name is None else f'"name": {json.dumps(name)}, '
    return ('{"country": "MLI", "draws": 0, "scenarios": [{' + named
            + '"changes": [{"input": "milex_gdp", "mode": "relative", "amount": ' + amount + "}]}]}")


def connect(base: str) -> http.client.HTTPConnection:
    parsed = urlparse(base)
    assert parsed.hostname is not None
    return http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=60)


# ---- numbers JSON cannot carry ----------------------------------------------------------------------------------

@pytest.mark.parametrize(("literal", "shown"), [("NaN", "NaN"), ("Infinity", "Infinity"), ("-Infinity", "-Infinity"),
                                                ("1e309", "Infinity")])
def test_non_finite_numbers_get_a_422_in_valid_json(client, literal: str, shown: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/scenarios", content=scenario_body(literal), headers=JSON)
    assert response.status_code == 422
    body = json.loads(response.text, parse_constant=lambda name: pytest.fail(f"{name} in the reply"))
    assert body["errors"][0]["location"] == "body.scenarios.0.changes.0.amount"
    assert body["errors"][0]["received"] == shown and "finite number" in body["detail"]


@pytest.mark.xdist_group("web-live")
def test_the_connection_stays_usable_after_a_non_finite_number(live_server: str) -> None:
    connection = connect(live_server)
    try:
        for literal in ("NaN", "1e309"):
            connection.request("POST", "/api/scenarios", body=scenario_body(literal), headers=JSON)
            response = connection.getresponse()
            assert response.status == 422 and "finite number" in json.loads(response.read())["detail"]
        connection.request("GET", "/healthz")  # the same connection, kept alive
        response = connection.getresponse()
        assert response.status == 200 and json.loads(response.read())["warehouse"] is True
    finally:
        connection.close()


# ---- body size, echoes, malformed JSON ---------------------------------------------------------------------------

@pytest.mark.xdist_group("web-live")
def test_an_oversized_body_gets_413_before_it_is_sent_whole(live_server: str) -> None:
    """20 MB declared, 1 KB sent: the server answers without waiting for (or reading) the rest."""
    connection = connect(live_server)
    try:
        connection.putrequest("POST", "/api/scenarios")
        connection.putheader("Content-Type", "application/json")
        connection.putheader("Content-Length", str(20_000_000))
        connection.endheaders()
        connection.send(b'{"country": "' + b"x" * 1024)
        started = time.monotonic()
        response = connection.getresponse()
        body = response.read()
        assert response.status == 413 and time.monotonic() - started < 10
        assert "20,000,000 bytes" in json.loads(body)["detail"] and len(body) < 1000
    finally:
        connection.close()


def test_a_body_without_a_length_is_cut_off_at_the_limit(client) -> None:  # type: ignore[no-untyped-def]
    chunks = (b" " * 4096 for _ in range(1000))  # 4 MB sent chunked, no Content-Length
    response = client.post("/api/scenarios", content=chunks, headers=JSON)
    assert response.status_code == 413 and f"at most {MAX_BODY_BYTES:,} bytes" in response.json()["detail"]


def test_a_long_scenario_name_is_not_echoed_whole(client) -> None:  # type: ignore[no-untyped-def]
    name = "N" * 50_000  # under the body limit, over the 80 characters a name may have
    response = client.post("/api/scenarios", content=scenario_body(name=name), headers=JSON)
    assert response.status_code == 422 and "at most 80 characters" in response.json()["detail"]
    assert len(response.content) < 1_000 and "(50,000 characters)" in response.text


def test_unknown_columns_are_echoed_short(client) -> None:  # type: ignore[no-untyped-def]
    columns = "0" * 3_000 + "," + ",".join(f"bogus{n}" for n in range(15))
    detail = client.get("/api/countries/MLI/panel", params={"columns": columns}).json()["detail"]
    assert "(3,000 characters)" in detail and "0" * 100 not in detail and "'bogus8' and 6 more" in detail


def test_many_faults_are_listed_up_to_a_bound(client) -> None:  # type: ignore[no-untyped-def]
    extra = ", ".join(f'"field{n}": 1' for n in range(500))
    response = client.post("/api/scenarios", content='{"country": "MLI", "scenarios": [], ' + extra + "}",
                           headers=JSON)
    assert response.status_code == 422 and len(response.json()["errors"]) == 10
    assert response.json()["detail"].endswith("and 491 more") and len(response.content) < 5_000


@pytest.mark.parametrize(("body", "expected"), [
    (b'{"country": "MLI",\n "scenarios": [{', "the body is not valid JSON: Expecting property name enclosed in "
                                              "double quotes at line 2 column 17"),
    (b'{"country": "MLI", }', "the body is not valid JSON: Expecting property name enclosed in double quotes at "
                              "line 1 column 20"),
    (b"\x1e\xff", "the body is not valid JSON: it is not UTF-8 text (byte 0xff at position 1)"),
])
def test_malformed_json_is_said_plainly(client, body: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    response = client.post("/api/scenarios", content=body, headers=JSON)
    assert response.status_code == 422 and response.json()["detail"] == expected


# ---- methods and hosts -----------------------------------------------------------------------------------------

@pytest.mark.parametrize(("method", "path", "allow"), [
    ("TRACE", "/api/forecasts", "GET"), ("DELETE", "/healthz", "GET"), ("HEAD", "/api/countries", "GET"),
    ("GET", "/api/scenarios", "POST"), ("PUT", "/api/scenarios/inputs", "GET"),
])
def test_405_names_the_allowed_methods(client, method: str, path: str, allow: str) -> None:  # type: ignore[no-untyped-def]
    response = client.request(method, path)
    assert response.status_code == 405 and response.headers["allow"] == allow


@pytest.mark.parametrize("host", ["evil.example", "evil.example:8000", "127.0.0.1.evil.example", "[::2]:8000"])
def test_unknown_hosts_get_400(client, host: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/forecasts?limit=1", headers={"host": host})
    assert response.status_code == 400
    assert "--allowed-host" in response.json()["detail"] and "forecast" not in response.text


@pytest.mark.parametrize("host", ["localhost", "localhost:8000", "127.0.0.1:36000", "[::1]:8000", "LOCALHOST."])
def test_local_hosts_are_answered(client, host: str) -> None:  # type: ignore[no-untyped-def]
    assert client.get("/api/forecasts?limit=1", headers={"host": host}).status_code == 200


def test_operators_add_hosts(analysis_home: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUPWATCH_ALLOWED_HOSTS", "dash.example.org, *.corp.example")
    with TestClient(create_app(analysis_home, warm=False, hosts=["10.0.0.5"])) as client:
        for host in ("dash.example.org", "a.corp.example", "10.0.0.5:8000", "localhost"):
            assert client.get("/healthz", headers={"host": host}).status_code == 200, host
        assert client.get("/healthz", headers={"host": "example.org"}).status_code == 400


def test_host_names_without_ports() -> None:
    assert [host_name(h) for h in ("[::1]:8000", "Example.org.:80", "::1", "localhost")] == [
        "::1", "example.org", "::1", "localhost"]
    assert host_allowed("x.corp.example", ["*.corp.example"]) and not host_allowed("corpexample", ["*.corp.example"])


def test_serve_passes_allowed_hosts_to_the_app(monkeypatch: pytest.MonkeyPatch, analysis_env: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from coupwatch.cli import app

    monkeypatch.setenv("COUPWATCH_ALLOWED_HOSTS", "")  # restored after the test: serve sets it for its workers
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: None)
    result = CliRunner().invoke(app, ["serve", "--host", "192.168.1.5", "--allowed-host", "dash.example.org"])
    assert result.exit_code == 0, result.output
    assert os.environ["COUPWATCH_ALLOWED_HOSTS"].split(",") == ["192.168.1.5", "dash.example.org"]


# ---- the OpenAPI document --------------------------------------------------------------------------------------

def _parameter(document: dict[str, Any], path: str, name: str) -> dict[str, Any]:
    operation = document["paths"][path]["get"]
    schema: dict[str, Any] = next(p for p in operation["parameters"] if p["name"] == name)["schema"]
    return next((b for b in schema.get("anyOf", []) if b.get("type") != "null"), schema)


def test_openapi_declares_what_the_server_checks(client) -> None:  # type: ignore[no-untyped-def]
    document = client.get("/openapi.json").json()
    assert _parameter(document, "/api/forecasts", "year")["enum"] == [2024, 2026]
    assert client.get("/api/forecasts?year=0").status_code == 422  # outside the declared enum
    panel_years = _parameter(document, "/api/countries/{iso3}/panel", "from")
    assert (panel_years["minimum"], panel_years["maximum"]) == (1946, 2025)
    first = client.get(f"/api/countries/MLI/panel?to={panel_years['minimum'] - 1}")
    assert first.status_code == 422 and "outside the panel's years 1946-2025" in first.json()["detail"]
    assert "ensemble" in _parameter(document, "/api/countries/{iso3}/risk-history", "model")["enum"]
    assert {"sahel", "Sahel (G5)"} <= set(_parameter(document, "/api/forecasts", "region")["enum"])
    scenario_years = _parameter(document, "/api/scenarios/inputs", "year")
    assert (scenario_years["minimum"], scenario_years["maximum"]) == (1947, 2027)  # two years past the panel
    late = client.get(f"/api/scenarios/inputs?year={scenario_years['maximum'] + 1}")
    assert late.status_code == 422 and "forecast years 1947-2027" in late.json()["detail"]
    for path, operations in document["paths"].items():
        for operation in operations.values():
            assert "400" in operation["responses"], path  # the Host check answers every path
    assert "413" in document["paths"]["/api/scenarios"]["post"]["responses"]
