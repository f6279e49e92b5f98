"""The dashboard as a person uses it: Playwright drives Debian's Chromium against a real uvicorn server.

Screenshots go to artifacts/browser/ (ignored by git). Every request the browser makes is checked: anything
not addressed to the local server fails the test (and is blocked).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.web.conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.xdist_group("web-live")]

G5_SAHEL = {"MLI", "NER", "BFA", "TCD", "MRT"}


class Visit:
    """A page plus what it asked for outside the server and what went wrong in it."""

    def __init__(self, context, base: str) -> None:  # type: ignore[no-untyped-def]
        self.page = context.new_page()
        self.base = base
        self.outside: list[str] = []
        self.errors: list[str] = []
        self.page.route("**/*", self._route)
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", lambda message: self.errors.append(message.text) if message.type == "error" else None)

    def _route(self, route, request) -> None:  # type: ignore[no-untyped-def]
        if request.url.startswith(self.base) or request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            self.outside.append(request.url)
            route.abort()

    def screenshot(self, name: str, full_page: bool = False) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        self.page.screenshot(path=str(path), full_page=full_page)
        return path

    def check_clean(self) -> None:
        assert self.outside == [], f"the page asked for files outside the server: {self.outside}"
        assert self.errors == [], f"errors in the page: {self.errors}"


@pytest.fixture()
def visit(browser, live_server: str) -> Iterator[Visit]:  # type: ignore[no-untyped-def]
    current = Visit(browser, live_server)
    yield current
    current.page.close()


def test_home_shows_the_map_and_the_watchlist(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/")
    page.wait_for_selector("#map[data-ready='1']", timeout=20_000)
    coloured = page.locator("#map svg g.country.has-data").count()
    assert coloured >= 150
    rows = page.locator("#watchlist tbody tr")
    assert rows.count() == 30
    first = rows.nth(0)
    assert first.locator("td.rank").inner_text() == "1"
    assert re.fullmatch(r"\d+\.\d%", first.locator(".risk-value").inner_text())
    assert page.locator("#changes .mover-list li").count() >= 2
    assert page.locator("#changes").get_by_text("Coup attempts in 2025").count() == 1
    assert visit.screenshot("home").stat().st_size > 20_000
    page.locator(".toggle button[data-view='africa']").click()
    assert page.locator("#map").get_attribute("data-view") == "africa"
    visit.screenshot("home_africa")
    visit.check_clean()


def test_click_a_country_on_the_watchlist_and_see_its_charts(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/")
    link = page.locator("#watchlist tbody tr").nth(0).locator("td.country a")
    name = link.inner_text()
    link.click()
    page.wait_for_url(re.compile(r"/countries/[A-Z]{3}$"))
    assert page.locator("#country-name").inner_text().startswith(name)
    for chart in ("risk", "burden", "assistance", "governance"):
        holder = page.locator(f"#chart-{chart}")
        if holder.count() == 0:
            continue
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1']", timeout=30_000)
        assert holder.locator("svg.marks").count() == 1
        marks = "svg.marks .mark-line path, svg.marks .mark-rect path, svg.marks .mark-symbol path"
        assert holder.locator(marks).count() >= 1
    assert page.locator("#chart-risk svg.marks").count() == 1, "the top of the watchlist must have a risk history"
    assert page.locator("#risk-card .big-number").inner_text().endswith("%")
    visit.screenshot("country_from_watchlist", full_page=True)
    visit.check_clean()


def test_mali_page_charts_and_coups(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/countries/MLI")
    for chart in ("risk", "burden", "assistance", "governance"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1']", timeout=30_000)
        assert page.locator(f"#chart-{chart} svg.marks").count() == 1
    events = page.locator("#coup-events li").all_inner_texts()
    assert "2012 · successful" in events and "2020 · successful" in events and "2021 · successful" in events
    hrefs = page.locator(".downloads a").evaluate_all("links => links.map(a => a.getAttribute('href'))")
    assert "/api/countries/MLI/panel?format=csv" in hrefs
    visit.screenshot("country_mali", full_page=True)
    visit.check_clean()


def test_accuracy_page_from_the_nav_draws_its_charts(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/")
    page.locator("nav.nav a[href='/accuracy']").click()
    page.wait_for_url(re.compile(r"/accuracy$"))
    for chart in ("roc", "pr", "per_year"):
        page.wait_for_selector(f"#chart-{chart}[data-rendered='1']", timeout=30_000)
        assert page.locator(f"#chart-{chart} svg.marks .mark-line path").count() >= 1
    assert page.locator("#targets li").count() == 4
    cases = page.locator("#case-table tbody tr")
    assert cases.count() >= 10 and any(row.split()[1:2] == ["Mali"] for row in cases.all_inner_texts())
    visit.screenshot("accuracy", full_page=True)
    visit.check_clean()


def test_region_filter(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/")
    page.wait_for_selector("#map[data-ready='1']", timeout=20_000)
    with page.expect_navigation():
        page.select_option("#filter-region", "sahel")
    assert "region=sahel" in page.url
    codes = set(page.locator("#watchlist tbody tr").evaluate_all("rows => rows.map(r => r.dataset.iso3)"))
    assert codes == G5_SAHEL
    page.wait_for_selector("#map[data-ready='1']", timeout=20_000)
    assert page.locator("#map").get_attribute("data-view") == "africa"
    assert page.locator("#map g.country.dim").count() > 100
    visit.screenshot("home_sahel")
    page.fill("#watchlist-search", "niger")
    visible = page.locator("#watchlist tbody tr:visible").evaluate_all("rows => rows.map(r => r.dataset.iso3)")
    assert visible == ["NER"]
    visit.check_clean()


def test_click_a_country_on_the_map(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/?region=sahel")
    page.wait_for_selector("#map[data-ready='1']", timeout=20_000)
    page.locator("#map g.country[data-iso3='MLI']").click()
    page.wait_for_url(re.compile(r"/countries/MLI$"))
    visit.check_clean()


def test_search_box_finds_a_country(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/sources")
    assert page.locator("#sources-table tbody tr:not(.detail-row)").count() >= 20
    page.locator("#sources-table details").first.click()
    visit.screenshot("sources")
    page.fill("header input[name=q]", "Burkina Faso")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/countries/BFA$"))
    visit.check_clean()


def test_api_docs_work_offline(visit: Visit) -> None:
    page = visit.page
    page.goto(visit.base + "/docs")
    page.wait_for_selector(".opblock", timeout=20_000)
    assert page.locator(".opblock").count() >= 7
    assert page.get_by_text("/api/forecasts").count() >= 1
    visit.screenshot("docs")
    visit.check_clean()
