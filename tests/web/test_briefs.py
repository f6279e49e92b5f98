"""GET /api/briefs/{iso3}.html and .pdf, wired to coupwatch.report.brief."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest


def test_brief_html_is_the_countrys_self_contained_brief(client) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/briefs/MLI.html")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    html = response.text
    assert "Mali" in html and "<svg" in html
    assert not re.search(r'(src|href)="https?://[^"]+\.(js|css)"', html)


def test_brief_pdf(client, tmp_path) -> None:  # type: ignore[no-untyped-def]
    response = client.get("/api/briefs/NER.pdf")
    assert response.status_code == 200 and response.headers["content-type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    if shutil.which("pdfinfo"):
        path = tmp_path / "brief.pdf"
        path.write_bytes(response.content)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        assert int(re.search(r"Pages:\s+(\d+)", info).group(1)) >= 1  # type: ignore[union-attr]


@pytest.mark.parametrize(("url", "status", "needle"), [
    ("/api/briefs/MLX.html", 404, "MLI (Mali)"),
    ("/api/briefs/MLI.pdf?year=1800", 422, "year=1800 is outside"),
    ("/api/briefs/MLI.html?peers=NER,XYZ", 422, "peers: unknown ISO3 code 'XYZ'"),
    ("/api/briefs/MLI.html?year=abc", 422, "query parameter 'year'"),
])
def test_brief_errors(client, url: str, status: int, needle: str) -> None:  # type: ignore[no-untyped-def]
    response = client.get(url)
    assert response.status_code == status and needle in response.json()["detail"]
