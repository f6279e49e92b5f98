"""Mali's brief as a reader gets it: in headless Chromium on a laptop-sized screen, printed by Chromium, and as
WeasyPrint's A4 PDF turned into page images with pdftoppm. Screenshots and pages go to artifacts/briefs-test/."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS
from tests.report.helpers import ARTIFACTS, COUNTRY_SECTIONS, filled_height, ink

A4_POINTS = (595.276, 841.89)

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def rendered(analysis_home: Path) -> Iterator[tuple[Path, Path]]:
    """Mali's brief written as HTML and PDF under artifacts/briefs-test/."""
    from coupwatch.report.brief import html_to_pdf, render_brief_html

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUPWATCH_HOME", str(analysis_home))
        page = render_brief_html("MLI", compute_forecast=False)
    html_file, pdf_file = ARTIFACTS / "brief-MLI-2023.html", ARTIFACTS / "brief-MLI-2023.pdf"
    html_file.write_text(page, encoding="utf-8")
    pdf_file.write_bytes(html_to_pdf(page, root=ARTIFACTS))
    yield html_file, pdf_file


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        pytest.skip("Debian's chromium is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS[1:])
        yield launched
        launched.close()


def test_reads_well_on_a_laptop_screen(rendered: tuple[Path, Path], browser: object) -> None:
    html_file, _ = rendered
    page = browser.new_page(viewport={"width": 1366, "height": 768})  # type: ignore[attr-defined]
    requested: list[str] = []

    def watch(route: object) -> None:
        url = route.request.url  # type: ignore[attr-defined]
        requested.append(url)
        if url.startswith("file://"):
            route.continue_()  # type: ignore[attr-defined]
        else:
            route.abort()  # type: ignore[attr-defined]

    page.route("**/*", watch)
    page.goto(html_file.as_uri())
    assert [u for u in requested if not u.startswith("file://")] == [], "the brief asked for the network"
    layout = page.evaluate("""() => ({
        overflow: document.documentElement.scrollWidth - window.innerWidth,
        sections: [...document.querySelectorAll('section.brief-section')].map(s => [s.id, s.offsetHeight]),
        charts: [...document.querySelectorAll('figure.chart svg')].map(svg => {
            const r = svg.getBoundingClientRect();
            return [svg.closest('figure').dataset.chart, r.width, r.height, r.left, r.right];
        }),
        font: getComputedStyle(document.body).fontSize,
    })""")
    assert layout["overflow"] <= 0, "the page scrolls sideways on a 1366 px screen"
    assert [s[0] for s in layout["sections"]] == COUNTRY_SECTIONS
    assert all(height > 150 for _, height in layout["sections"]), layout["sections"]
    assert len(layout["charts"]) == 17  # 14 evidence charts and the donors section's ODA, arms and peace operations
    for name, width, height, left, right in layout["charts"]:
        assert width >= 300 and height >= 80, f"chart {name} is {width}x{height}"
        assert left >= 0 and right <= 1366, f"chart {name} sticks out ({left}-{right})"
    page.screenshot(path=str(ARTIFACTS / "mli-laptop-full.png"), full_page=True)
    assert ink(ARTIFACTS / "mli-laptop-full.png") > 0.05
    for key in COUNTRY_SECTIONS:
        shot = ARTIFACTS / f"mli-laptop-{key}.png"
        page.locator(f"section#{key}").screenshot(path=str(shot))
        assert ink(shot) > 0.02, f"section {key} looks blank"
    page.close()


def test_chromium_prints_it_on_a4(rendered: tuple[Path, Path], browser: object) -> None:
    html_file, _ = rendered
    page = browser.new_page()  # type: ignore[attr-defined]
    page.goto(html_file.as_uri())
    page.emulate_media(media="print")
    printed = ARTIFACTS / "mli-chromium-print.pdf"
    page.pdf(path=str(printed), prefer_css_page_size=True)
    page.close()
    sizes, count = _page_sizes(printed)
    assert count >= 6 and all(abs(w - A4_POINTS[0]) < 2 and abs(h - A4_POINTS[1]) < 2 for w, h in sizes)


def _page_sizes(pdf: Path) -> tuple[list[tuple[float, float]], int]:
    if shutil.which("pdfinfo") is None:
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    count = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    pages = subprocess.run(["pdfinfo", "-f", "1", "-l", str(count), str(pdf)], capture_output=True, text=True,
                           check=True).stdout
    sizes = [(float(w), float(h)) for w, h in re.findall(r"Page\s+\d+ size:\s+([\d.]+) x ([\d.]+) pts", pages)]
    return sizes, count


def test_weasyprint_pdf_pages_are_a4_and_not_blank(rendered: tuple[Path, Path]) -> None:
    _, pdf_file = rendered
    sizes, count = _page_sizes(pdf_file)
    assert 6 <= count <= 30, f"{count} pages"
    assert len(sizes) == count
    assert all(abs(w - A4_POINTS[0]) < 0.5 and abs(h - A4_POINTS[1]) < 0.5 for w, h in sizes), sizes
    if shutil.which("pdftoppm") is None:
        pytest.skip("poppler-utils is not installed")
    for old in ARTIFACTS.glob("mli-pdf-page-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf_file), str(ARTIFACTS / "mli-pdf-page")], check=True)
    pages = sorted(ARTIFACTS.glob("mli-pdf-page-*.png"))
    assert len(pages) == count
    for png in pages:
        assert ink(png) > 0.01, f"{png.name} is blank"
    # No near-empty page: every page but the last is filled at least halfway down (a page break before a large
    # chart or table used to leave two pages mostly blank).
    fill = {png.name: filled_height(png) for png in pages}
    assert all(value > 0.5 for name, value in list(fill.items())[:-1]), fill
    text = subprocess.run(["pdftotext", str(pdf_file), "-"], capture_output=True, text=True, check=True).stdout
    first_page = subprocess.run(["pdftotext", "-f", "1", "-l", "1", str(pdf_file), "-"], capture_output=True,
                                text=True, check=True).stdout
    for words in ("In brief: Mali, 2026", "modelled risk of a coup attempt in 2026", "highest of",
                  "Compared with other states", "went to governance"):
        assert words in " ".join(first_page.split()), f"the first page lacks {words!r}"
    for words in ("Military burden", "Who trained the officers", "Sources and versions",
                  "1.20%", "3.40%", "page 1 of"):
        assert words in text, f"the PDF lacks {words!r}"
