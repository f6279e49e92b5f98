"""What the server must never do: serve files outside its package, allow other origins, fetch from the
internet, write to COUPWATCH_HOME; and what it says when the forecast or the warehouse is missing."""

from __future__ import annotations

import http.client
import os
import re
from pathlib import Path
from urllib.parse import urlparse

import duckdb
import pandas as pd
import pytest
from fastapi.testclient import TestClient

from coupwatch.store.reader import Warehouse
from coupwatch.web import create_app
from coupwatch.web.deps import get_warehouse

TRAVERSALS = [
    "/assets/../../pyproject.toml",
    "/assets/..%2f..%2f..%2fpyproject.toml",
    "/assets/%2e%2e/%2e%2e/%2e%2e/pyproject.toml",
    "/assets/%252e%252e%252fpyproject.toml",
    "/assets/..%5c..%5cpyproject.toml",
    "/assets/....//....//etc/passwd",
    "/assets/worldmap.svg/../../../../etc/passwd",
    "/assets/%2fetc%2fpasswd",
    "/assets/app.py",
    "/assets/__init__.py",
    "/assets/store.py",
    "/assets/templates%2fbase.html.j2",
    "/assets/..",
    "/../../../../etc/passwd",
    "/static/../../pyproject.toml",
    "/countries/..%2f..%2f..%2fetc%2fpasswd",
    "/api/countries/..%2f..%2fpyproject.toml/panel",
    "/api/briefs/..%2f..%2f..%2fetc%2fpasswd.html",
    "/api/briefs/%2e%2e%2f%2e%2e%2fpyproject.toml.pdf",
    "//etc/passwd",
]
SECRETS = ("[build-system]", "root:x:0:0", "from __future__", "{% extends", "coupwatch.web.store")


def raw_get(base: str, path: str, headers: dict[str, str] | None = None) -> tuple[int, bytes, dict[str, str]]:
    """A GET with the path sent byte for byte (HTTP clients would normalise '..' away)."""
    parsed = urlparse(base)
    assert parsed.hostname is not None
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=30)
    try:
        connection.putrequest("GET", path, skip_accept_encoding=True)
        for key, value in (headers or {}).items():
            connection.putheader(key, value)
        connection.endheaders()
        response = connection.getresponse()
        return response.status, response.read(), {k.lower(): v for k, v in response.getheaders()}
    finally:
        connection.close()


@pytest.mark.xdist_group("web-live")
@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_package_is_served(live_server: str, path: str) -> None:
    status, body, _ = raw_get(live_server, path)
    assert status in (400, 404, 422), (path, status)
    text = body.decode("utf-8", "replace")
    assert not any(secret in text for secret in SECRETS), path


@pytest.mark.xdist_group("web-live")
def test_known_assets_are_served_from_packages(live_server: str) -> None:
    status, body, headers = raw_get(live_server, "/assets/vega.js", {"Accept-Encoding": "gzip"})
    assert status == 200 and headers["content-encoding"] == "gzip" and len(body) > 100_000
    status, body, headers = raw_get(live_server, "/assets/worldmap.svg")
    assert status == 200 and headers["content-type"].startswith("image/svg+xml")
    text = body.decode()
    assert 'data-iso3="MLI"' in text and 'data-iso3="SSD"' in text and "c2pa" not in text
    etag = headers["etag"]
    status, _, _ = raw_get(live_server, "/assets/worldmap.svg", {"If-None-Match": etag})
    assert status == 304
    status, body, _ = raw_get(live_server, "/assets/swagger-ui-bundle.js")
    assert status == 200 and b"SwaggerUIBundle" in body


@pytest.mark.xdist_group("web-live")
def test_served_on_loopback_only_by_default(live_server: str) -> None:
    assert urlparse(live_server).hostname == "127.0.0.1"


def test_serve_binds_to_loopback_by_default(monkeypatch: pytest.MonkeyPatch, analysis_env: Path) -> None:
    import uvicorn
    from typer.testing import CliRunner

    from coupwatch.cli import app

    calls: list[dict[str, object]] = []
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: calls.append(kwargs))
    result = CliRunner().invoke(app, ["serve"])
    assert result.exit_code == 0, result.output
    assert calls[0]["host"] == "127.0.0.1" and calls[0]["port"] == 8000 and calls[0]["factory"] is True


def test_no_cors_and_a_strict_content_security_policy(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/forecasts?limit=1", headers={"Origin": "https://example.org"})
    assert response.status_code == 200
    assert "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/forecasts", headers={"Origin": "https://example.org",
                                                          "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers
    policy = client.get("/").headers["content-security-policy"]
    assert "default-src 'self'" in policy and "connect-src 'self'" in policy and "http" not in policy


@pytest.mark.parametrize("path", ["/", "/countries/MLI", "/sources", "/docs", "/countries", "/?region=sahel",
                                  "/accuracy"])
def test_pages_reference_nothing_outside_the_server(client, path: str) -> None:  # type: ignore[no-untyped-def]
    html = client.get(path).text
    for attribute, url in re.findall(r'(src|href)="([^"]+)"', html):
        if attribute == "src" or url.endswith((".css", ".js")):
            assert url.startswith("/"), (path, url)
    assert "cdn" not in html.lower()


def test_what_a_visitor_types_is_shown_as_text_never_as_markup(client) -> None:  # type: ignore[no-untyped-def]
    typed = '<script>alert(1)</script><img src=x onerror="alert(2)">'
    html = client.get("/countries", params={"q": typed}).text
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_the_app_never_writes_to_its_home(analysis_home: Path) -> None:
    def snapshot() -> dict[str, int]:
        return {str(p): p.stat().st_mtime_ns for p in analysis_home.rglob("*") if p.is_file()}

    before = snapshot()
    with TestClient(create_app(analysis_home, warm=False)) as client:
        for path in ("/", "/countries/MLI", "/api/forecasts", "/api/countries/MLI/risk-history", "/sources"):
            assert client.get(path).status_code == 200
    assert snapshot() == before


# ---- missing forecast and missing warehouse ------------------------------------------------------------------

@pytest.fixture()
def warehouse_only(analysis_home: Path, tmp_path: Path) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    os.symlink((analysis_home / "warehouse.duckdb").resolve(), home / "warehouse.duckdb")
    return home


def test_missing_forecast_is_said_clearly(warehouse_only: Path) -> None:
    with TestClient(create_app(warehouse_only, warm=False)) as client:
        response = client.get("/api/forecasts")
        assert response.status_code == 503
        assert "no saved forecast" in response.json()["detail"] and "coupwatch forecast" in response.json()["detail"]
        history = client.get("/api/countries/MLI/risk-history")
        assert history.status_code == 503 and "coupwatch backtest" in history.json()["detail"]
        page = client.get("/")
        assert page.status_code == 200 and 'id="forecast-missing"' in page.text and "coupwatch forecast" in page.text
        country = client.get("/countries/MLI")
        assert country.status_code == 200 and "coupwatch backtest" in country.text
        health = client.get("/healthz").json()
        assert health["status"] == "degraded" and health["forecast_years"] == []
        assert client.get("/api/countries/MLI/panel?columns=milex_gdp").status_code == 200


def test_missing_warehouse_is_said_clearly(tmp_path: Path) -> None:
    with TestClient(create_app(tmp_path, warm=False)) as client:
        response = client.get("/api/countries")
        assert response.status_code == 503 and "coupwatch data build" in response.json()["detail"]
        assert client.get("/healthz").status_code == 503
        page = client.get("/countries/MLI")
        assert page.status_code == 503 and "coupwatch data build" in page.text


def test_damaged_warehouse_is_said_clearly(tmp_path: Path) -> None:
    (tmp_path / "warehouse.duckdb").write_bytes(b"this is not a DuckDB database\n" * 200)
    with TestClient(create_app(tmp_path, warm=False)) as client:
        health = client.get("/healthz")
        assert health.status_code == 503 and "DuckDB cannot open it" in health.json()["messages"][0]
        response = client.get("/api/countries")
        assert response.status_code == 503 and "coupwatch data build" in response.json()["detail"]


def test_the_warehouse_comes_through_a_dependency(tmp_path: Path) -> None:
    """Tests (and other deployments) can hand the app any warehouse file, whatever its home holds."""
    con = duckdb.connect(str(tmp_path / "tiny.duckdb"))
    panel = pd.DataFrame({"gwcode": [432, 432], "year": [2019, 2020], "iso3": ["MLI", "MLI"], "country": ["Mali"] * 2,
                          "region": ["Sub-Saharan Africa"] * 2, "subregion": ["Western Africa"] * 2,
                          "africa": [True, True], "pt_attempts": [0, 1], "pt_successes": [0, 1]})
    con.register("panel_df", panel)
    con.execute("CREATE TABLE panel_country_year AS SELECT * FROM panel_df")
    con.execute("CREATE TABLE states AS SELECT 432 AS gwcode, 'MLI' AS gwc")
    con.execute("CREATE TABLE panel_columns (name VARCHAR, description VARCHAR, source VARCHAR, unit VARCHAR)")
    con.close()
    app = create_app(tmp_path, warm=False)
    tiny = Warehouse(tmp_path / "tiny.duckdb")
    app.dependency_overrides[get_warehouse] = lambda: tiny
    with TestClient(app) as client:
        countries = client.get("/api/countries").json()
        assert countries["count"] == 1 and countries["countries"][0]["first_year"] == 2019
        rows = client.get("/api/countries/MLI/panel?columns=pt_attempts").json()["rows"]
        assert [r["pt_attempts"] for r in rows] == [0, 1]
    tiny.close()
