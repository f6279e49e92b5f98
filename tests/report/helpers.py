"""Reading a rendered brief back: its sections, readings, figures and the marks inside each chart's SVG."""

from __future__ import annotations

import html as html_lib
import re
import xml.etree.ElementTree as ET
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "briefs-test"

COUNTRY_SECTIONS = ["headline", "what-if", "risk-history", "timeline", "military-burden", "security-assistance",
                    "donors", "training", "governance", "conflict", "claims", "sources"]
REGION_SECTIONS = ["headline", "risk-history", "timeline", "military-burden", "security-assistance", "donors",
                   "training", "governance", "conflict", "sources"]
_SECTION = re.compile(r'<section class="brief-section" id="([^"]+)"[^>]*>(.*?)</section>', re.S)
_READING = re.compile(r'<p class="reading">(.*?)</p>', re.S)
_FIGURE = re.compile(r'<figure class="chart" data-chart="([^"]+)" data-marks="([^"]*)">\s*(<svg.*?</svg>)', re.S)
_MISSING = re.compile(r'<p class="missing">(.*?)</p>', re.S)
_DRAWN = {"path", "line", "rect", "text", "circle", "polygon"}


def sections(page: str) -> dict[str, str]:
    return {key: body for key, body in _SECTION.findall(page)}


def reading(block: str) -> str:
    found = _READING.findall(block)
    return html_lib.unescape(found[0]).strip() if found else ""


def missing_notes(block: str) -> list[str]:
    return [html_lib.unescape(note).strip() for note in _MISSING.findall(block)]


def figures(block: str) -> dict[str, tuple[set[str], str]]:
    return {name: (set(marks.split()), svg) for name, marks, svg in _FIGURE.findall(block)}


def mark_counts(svg: str) -> dict[str, int]:
    """Drawn elements per Vega mark type (line, symbol, rect, rule, text) in a vl-convert SVG."""
    root = ET.fromstring(svg)
    counts: dict[str, int] = {}
    for group in root.iter("{http://www.w3.org/2000/svg}g"):
        classes = group.get("class", "").split()
        if "role-mark" not in classes:
            continue
        kind = next((c.removeprefix("mark-") for c in classes if c.startswith("mark-")), "")
        drawn = sum(1 for child in group.iter() if child.tag.split("}")[-1] in _DRAWN and child is not group)
        counts[kind] = counts.get(kind, 0) + drawn
    return counts


def table_cells(block: str) -> list[list[str]]:
    rows = re.findall(r"<tr>(.*?)</tr>", block, re.S)
    return [[html_lib.unescape(c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)] for row in rows]


def ink(png: Path) -> float:
    """Share of pixels that are not (near) white."""
    from PIL import Image

    image = Image.open(png).convert("L")
    histogram = image.histogram()
    return 1 - sum(histogram[245:]) / max(1, sum(histogram))


def filled_height(png: Path) -> float:
    """How far down the page its content reaches: the last row with ink over the page height (0-1).

    The running footer (page number) sits in the bottom margin, so rows below 93% of the height are left out."""
    import numpy as np
    from PIL import Image

    grey = np.asarray(Image.open(png).convert("L"))
    body = grey[: int(grey.shape[0] * 0.93)]
    rows = np.flatnonzero((body < 200).mean(axis=1) > 0.002)
    return float(rows[-1] + 1) / grey.shape[0] if len(rows) else 0.0
