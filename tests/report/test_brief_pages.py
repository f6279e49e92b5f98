"""The printed briefs of Mali, Niger, Burkina Faso and the Sahel read back as page images and word boxes (poppler):
no near-empty page, no word outside the printable area, nothing set sideways, every table caption on the page of
its table's first row. Pages go to artifacts/briefs-test/."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.report.helpers import ARTIFACTS
from tests.report.pdf_pages import (
    Page,
    caption_pages,
    inked_rows,
    page_images,
    pdf_words,
    sideways_words,
    table_captions,
    words_outside,
)

pytestmark = pytest.mark.browser

BRIEFS = ["MLI", "NER", "BFA", "sahel"]
# A page whose printable area has ink on fewer than this share of its pixel rows is near-empty. Full pages of
# text, tables or charts read 0.45-0.8 at 40 dpi, a page ending early before a chart too tall for it 0.32-0.35;
# with a forced break before each section, Mali's brief had pages reading 0.06-0.21.
MIN_INKED_ROWS = 0.25


@pytest.fixture(scope="module")
def printed(analysis_home: Path) -> Iterator[dict[str, tuple[str, Path]]]:
    """Each brief's HTML and its WeasyPrint PDF (written under artifacts/briefs-test/)."""
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils is not installed (apt-get install poppler-utils)")
    from coupwatch.report.brief import html_to_pdf, render_brief_html, render_region_html

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    out: dict[str, tuple[str, Path]] = {}
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("COUPWATCH_HOME", str(analysis_home))
        for key in BRIEFS:
            page = (render_region_html(key, compute_forecast=False) if key == "sahel"
                    else render_brief_html(key, compute_forecast=False))
            pdf = ARTIFACTS / f"pages-{key}.pdf"
            pdf.write_bytes(html_to_pdf(page, root=ARTIFACTS))
            out[key] = (page, pdf)
    yield out


def _appendix_tail(pages: list[Page]) -> bool:
    """The last page continues the appendix (sources and references) that began on an earlier page."""
    headings = [" ".join(w.text for w in page.words) for page in pages]
    started = next((i for i, text in enumerate(headings) if "Sources and versions" in text), None)
    return started is not None and started < len(pages) - 1 and "Sources and versions" not in headings[-1]


@pytest.mark.parametrize("key", BRIEFS)
def test_no_near_empty_page(printed: dict[str, tuple[str, Path]], key: str) -> None:
    _, pdf = printed[key]
    pages = pdf_words(pdf)
    images = page_images(pdf, ARTIFACTS / f"pages-{key}")
    assert len(images) == len(pages) >= 4
    inked = {png.name: round(inked_rows(png), 3) for png in images}
    # Only the last page may be short, and only when it is the natural end of the references (the appendix),
    # which began on an earlier page: breaking it sooner would only move the white space elsewhere.
    body = list(inked.items()) if not _appendix_tail(pages) else list(inked.items())[:-1]
    assert all(value >= MIN_INKED_ROWS for _, value in body), inked
    assert list(inked.values())[-1] > 0.02, f"the last page of {key} is blank: {inked}"


@pytest.mark.parametrize("key", BRIEFS)
def test_every_word_inside_the_printable_area_and_level(printed: dict[str, tuple[str, Path]], key: str) -> None:
    _, pdf = printed[key]
    pages = pdf_words(pdf)
    outside = {page.number: [w.text for w in words_outside(page)] for page in pages if words_outside(page)}
    assert outside == {}, f"{key}: words outside the printable area: {outside}"
    sideways = {page.number: [w.text for w in sideways_words(page)] for page in pages if sideways_words(page)}
    assert sideways == {}, f"{key}: words set sideways: {sideways}"


@pytest.mark.parametrize("key", BRIEFS)
def test_each_table_caption_on_the_page_of_its_first_row(printed: dict[str, tuple[str, Path]], key: str) -> None:
    html, pdf = printed[key]
    pages = pdf_words(pdf)
    tables = table_captions(html)
    assert len(tables) >= 5, f"{key}: {len(tables)} tables"
    placed = {caption[:60]: caption_pages(pages, caption, first_cell) for caption, first_cell in tables}
    assert all(at_caption is not None for at_caption, _ in placed.values()), placed
    assert all(at_caption == at_row for at_caption, at_row in placed.values()), placed
