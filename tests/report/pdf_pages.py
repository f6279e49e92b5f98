"""Reading a brief's PDF back as poppler sees it: page images (pdftoppm), words with their boxes (pdftotext -bbox).

Used by the page tests: how much of each page carries ink, whether a word sits outside the printable area or runs
sideways, and on which page a table's caption and its first row land.
"""

from __future__ import annotations

import html as html_lib
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

MM = 72 / 25.4
# The brief's @page margins (top, right, bottom, left), in points: 15mm 13mm 17mm 13mm.
MARGINS = (15 * MM, 13 * MM, 17 * MM, 13 * MM)
_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">(.*?)</word>', re.S)
_TABLE = re.compile(r"<table[^>]*>\s*<caption>(.*?)</caption>.*?<tbody>\s*<tr>\s*<td[^>]*>(.*?)</td>", re.S)


@dataclass(frozen=True)
class Word:
    text: str
    x0: float
    y0: float
    x1: float
    y1: float


@dataclass(frozen=True)
class Page:
    number: int
    width: float
    height: float
    words: list[Word]


def pdf_words(pdf: Path) -> list[Page]:
    """Every page's size and words with their boxes (points, origin top left)."""
    out = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    pages = []
    for number, (width, height, body) in enumerate(_PAGE.findall(out), start=1):
        words = [Word(html_lib.unescape(text), float(x0), float(y0), float(x1), float(y1))
                 for x0, y0, x1, y1, text in _WORD.findall(body)]
        pages.append(Page(number, float(width), float(height), words))
    return pages


def page_images(pdf: Path, prefix: Path, dpi: int = 40) -> list[Path]:
    """The pages as greyscale PNGs at a low resolution (``<prefix>-NN.png``), in page order."""
    for old in prefix.parent.glob(f"{prefix.name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", str(dpi), "-gray", "-png", str(pdf), str(prefix)], check=True)
    return sorted(prefix.parent.glob(f"{prefix.name}-*.png"))


def inked_rows(png: Path) -> float:
    """Share of the printable area's pixel rows that carry ink (any pixel darker than near-white).

    The margins are left out, so the running footer does not count: a page holding only the footer reads 0."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(png).convert("L"))
    height, width = grey.shape
    top, right, bottom, left = MARGINS
    points_per_pixel_y, points_per_pixel_x = 841.89 / height, 595.276 / width
    body = grey[int(top / points_per_pixel_y): int(height - bottom / points_per_pixel_y),
                int(left / points_per_pixel_x): int(width - right / points_per_pixel_x)]
    return float((body < 235).any(axis=1).mean())


def footer_band(page: Page) -> tuple[float, float]:
    """The vertical extent of the running footer ("... page N of M") in the bottom margin."""
    marker = [w for w in page.words if w.text == "page" and w.y0 > page.height - MARGINS[2]]
    if not marker:
        return (page.height, page.height)
    return (marker[-1].y0 - 2, marker[-1].y1 + 2)


def words_outside(page: Page, tolerance: float = 1.0) -> list[Word]:
    """Words that leave the printable area (page size minus the @page margins); the running footer excepted."""
    top, right, bottom, left = MARGINS
    band = footer_band(page)
    outside = []
    for word in page.words:
        in_footer = band[0] <= word.y0 and word.y1 <= band[1] and word.x0 >= left - tolerance \
            and word.x1 <= page.width - right + tolerance
        inside = (word.x0 >= left - tolerance and word.x1 <= page.width - right + tolerance
                  and word.y0 >= top - tolerance and word.y1 <= page.height - bottom + tolerance)
        if not (inside or in_footer):
            outside.append(word)
    return outside


def sideways_words(page: Page) -> list[Word]:
    """Words set vertically: four or more characters whose box is taller than wide (a horizontal word of four
    characters is always wider than tall)."""
    return [w for w in page.words if len(w.text) >= 4 and (w.y1 - w.y0) > (w.x1 - w.x0)]


def _tokens(text: str) -> list[str]:
    return html_lib.unescape(re.sub(r"<[^>]+>", " ", text)).split()


def _find(page: Page, tokens: list[str], below: float = -1.0) -> Word | None:
    """The last word of the first run of ``tokens`` on the page that starts below ``below``."""
    texts = [w.text for w in page.words]
    for start in range(len(texts) - len(tokens) + 1):
        if texts[start:start + len(tokens)] == tokens and page.words[start].y0 > below:
            return page.words[start + len(tokens) - 1]
    return None


def table_captions(html: str) -> list[tuple[str, str]]:
    """Each table's caption and the text of its first body cell, in the order of the page."""
    return [(" ".join(_tokens(caption)), " ".join(_tokens(cell))) for caption, cell in _TABLE.findall(html)]


def caption_pages(pages: list[Page], caption: str, first_cell: str) -> tuple[int | None, int | None]:
    """The page of the caption and the page where the table's first cell follows it.

    The first cell's first word is looked for on the caption's page, below the caption and within 140 pt (the
    header row and the first row); when the table was pushed to the next page, it is looked for at the top there.
    """
    caption_tokens = caption.split()[:8]
    cell_tokens = first_cell.split()[:1]
    for page in pages:
        found = _find(page, caption_tokens)
        if found is None:
            continue
        cell = _find(page, cell_tokens, below=found.y1 - 1)
        if cell is not None and cell.y0 - found.y1 < 140:
            return page.number, page.number
        following = pages[page.number] if page.number < len(pages) else None
        if following is not None and _find(following, cell_tokens) is not None:
            return page.number, following.number
        return page.number, None
    return None, None
