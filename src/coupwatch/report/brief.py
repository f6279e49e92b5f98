"""Country briefs and the regional comparison as HTML and PDF.

Takes a brief's evidence from :mod:`coupwatch.app.briefs` (warehouse rows, saved backtest and watchlist, claims,
scenarios), lets :mod:`coupwatch.report.content` assemble the content, renders it with Jinja2 into one
self-contained HTML file (charts inline as SVG, CSS inline, nothing fetched from the network) and prints it to
PDF with WeasyPrint through a URL fetcher that serves local content only.

The web app calls :func:`render_brief_html` and :func:`render_brief_pdf`; the CLI calls :func:`write_brief` and
:func:`write_region`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

from jinja2 import Environment, PackageLoader

from coupwatch import __version__
from coupwatch.app import briefs
from coupwatch.report.charts.render import to_svg
from coupwatch.report.content.assemble import build_country_brief, build_region_brief
from coupwatch.report.content.model import Brief
from coupwatch.store.outputs import write_bytes, write_failure, write_text


def country_brief(iso3: str, year: int | None = None, peers: Sequence[str] | None = None, *,
                  base_year: int | None = None, compute_forecast: bool = True) -> Brief:
    """The content of a country brief."""
    gathered = briefs.country_evidence(iso3, year, peers, base_year=base_year, compute_forecast=compute_forecast)
    return build_country_brief(gathered.evidence, gathered.focus, gathered.peers, gathered.peers_basis)


def region_brief(region: str, year: int | None = None, *, base_year: int | None = None,
                 compute_forecast: bool = True) -> Brief:
    """The content of a regional comparison (``sahel``: the G5 Sahel with the coastal watch)."""
    gathered = briefs.region_evidence(region, year, base_year=base_year, compute_forecast=compute_forecast)
    return build_region_brief(gathered.evidence, gathered.title, gathered.groups, gathered.dashed_groups)


# ---------------------------------------------------------------------------------------------------------
# Rendering
# ---------------------------------------------------------------------------------------------------------


@cache
def _environment() -> Environment:
    # Escape everything: names, claims and notes come from data files; only the charts' SVG is marked safe.
    return Environment(loader=PackageLoader("coupwatch.report", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True)


_ID = re.compile(r'\bid="([^"]+)"')


def namespaced_svg(svg: str, prefix: str) -> str:
    """Prefix the ids inside an SVG so that several charts inline in one page do not share clip paths."""
    ids = set(_ID.findall(svg))
    for name in sorted(ids, key=len, reverse=True):
        svg = svg.replace(f'id="{name}"', f'id="{prefix}-{name}"')
        svg = svg.replace(f"url(#{name})", f"url(#{prefix}-{name})")
        svg = svg.replace(f'href="#{name}"', f'href="#{prefix}-{name}"')
    return svg


def render_html(brief: Brief) -> str:
    """One self-contained HTML page: CSS inline, every chart inline as SVG."""
    svgs: dict[str, str] = {}
    for section in brief.sections:
        for chart in section.charts:
            key = f"{section.key}-{chart.name}"
            svgs[key] = namespaced_svg(to_svg(chart.chart, validate=False), key)
    return _environment().get_template("brief.html.j2").render(brief=brief, svgs=svgs, version=__version__)


@cache
def _local_fetcher_class() -> type:
    from weasyprint.urls import URLFetcher

    class LocalOnlyFetcher(URLFetcher):
        """Serves ``data:`` URLs and files inside ``root``; refuses http, https, ftp and other files.

        Refused URLs are kept in ``refused`` so callers and tests can see that nothing left the machine.
        """

        def __init__(self, root: Path | None) -> None:
            super().__init__(allowed_protocols=("data", "file"), fail_on_errors=False)
            self.root = root.resolve() if root is not None else None
            self.refused: list[str] = []

        def fetch(self, url: str, headers: Any = None) -> Any:
            scheme = url.split(":", 1)[0].lower()
            if scheme == "data":
                return super().fetch(url, headers)
            if scheme == "file" and self.root is not None:
                path = Path(unquote(urlparse(url).path)).resolve()
                if path.is_relative_to(self.root):
                    return super().fetch(url, headers)
            self.refused.append(url)
            raise ValueError(f"{url}: briefs load local content only (data: URLs and files in {self.root})")

    return LocalOnlyFetcher


def local_only_fetcher(root: Path | None = None) -> Any:
    """A WeasyPrint URL fetcher for ``data:`` URLs and files inside ``root`` only (see ``.refused``)."""
    return _local_fetcher_class()(root)


def html_to_pdf(html: str, root: Path | None = None, fetcher: Any = None) -> bytes:
    """Print brief HTML to PDF (A4, from the page's @page rules) without touching the network."""
    from weasyprint import HTML

    fetcher = fetcher if fetcher is not None else local_only_fetcher(root)
    base = root.resolve().as_uri() + "/" if root is not None else None
    return bytes(HTML(string=html, base_url=base, url_fetcher=fetcher).write_pdf())


def render_brief_html(iso3: str, year: int | None = None, peers: list[str] | None = None, *,
                      base_year: int | None = None, compute_forecast: bool = True) -> str:
    """The country brief as one self-contained HTML page."""
    return render_html(country_brief(iso3, year, peers, base_year=base_year, compute_forecast=compute_forecast))


def render_brief_pdf(iso3: str, year: int | None = None, peers: list[str] | None = None, *,
                     base_year: int | None = None, compute_forecast: bool = True) -> bytes:
    """The country brief as an A4 PDF."""
    return html_to_pdf(render_brief_html(iso3, year, peers, base_year=base_year, compute_forecast=compute_forecast))


def render_region_html(region: str, year: int | None = None, *, base_year: int | None = None,
                       compute_forecast: bool = True) -> str:
    """The regional comparison (e.g. ``sahel``) as one self-contained HTML page."""
    return render_html(region_brief(region, year, base_year=base_year, compute_forecast=compute_forecast))


def _write(brief: Brief, name: str, out: Path, pdf: bool) -> list[Path]:
    """Write the brief (and its PDF) into ``out``, each file whole or not at all."""
    html = render_html(brief)
    rerun = "`coupwatch brief`"
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise write_failure(out, exc, rerun) from exc
    written = [write_text(out / f"{name}.html", html, rerun=rerun)]
    if pdf:
        written.append(write_bytes(out / f"{name}.pdf", html_to_pdf(html, root=out), rerun=rerun))
    return written


def write_brief(iso3: str, year: int | None = None, peers: list[str] | None = None, *, out: Path = Path("."),
                pdf: bool = False, base_year: int | None = None) -> list[Path]:
    """Write brief-<ISO3>-<year>.html (and .pdf) into ``out``; returns the paths written."""
    brief = country_brief(iso3, year, peers, base_year=base_year)
    return _write(brief, f"brief-{brief.states[0].code}-{brief.year}", out, pdf)


def write_region(region: str, year: int | None = None, *, out: Path = Path("."), pdf: bool = False,
                 base_year: int | None = None) -> list[Path]:
    """Write region-<region>-<year>.html (and .pdf) into ``out``; returns the paths written."""
    brief = region_brief(region, year, base_year=base_year)
    return _write(brief, f"region-{briefs.region_key(region)}-{brief.year}", out, pdf)
