"""Numbers and lists as the briefs write them: probabilities, percentages, points, dollars, dates."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coupwatch.cells import is_missing

NOT_AVAILABLE = "Not available in the data at hand"


def probability(p: float) -> str:
    return "n/a" if is_missing(p) else (f"{p:.2%}" if p < 0.01 else f"{p:.1%}")


def percent(value: float, digits: int = 2) -> str:
    return "n/a" if is_missing(value) else f"{value:.{digits}f}%"


def points(delta: float, digits: int = 2, unit: str = "points") -> str:
    if is_missing(delta):
        return "n/a"
    sign = "+" if delta > 0 else ("−" if delta < 0 else "±")
    return f"{sign}{abs(delta):.{digits}f} {unit}".strip()


def usd(value: float) -> str:
    if is_missing(value):
        return "n/a"
    magnitude = abs(value)
    sign = "−" if value < 0 else ""
    if magnitude >= 1e9:
        return f"{sign}${magnitude / 1e9:.2f} billion"
    if magnitude >= 1e6:
        return f"{sign}${magnitude / 1e6:.1f} million"
    if magnitude >= 1e3:
        return f"{sign}${magnitude / 1e3:,.0f} thousand"
    return f"{sign}${magnitude:,.0f}"


def change_points(change: float) -> str:
    """A change of probability (0-1) in percentage points, with two decimals when it is below 0.1."""
    if is_missing(change):
        return "n/a"
    return points(change * 100, 1 if abs(change) >= 0.00095 else 2, "pts")


def index(value: float, digits: int = 2) -> str:
    return "n/a" if is_missing(value) else f"{value:.{digits}f}"


def count(value: float) -> str:
    return "n/a" if is_missing(value) else f"{value:,.0f}"


def ordinal(number: int) -> str:
    suffix = "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def day(date: pd.Timestamp) -> str:
    return f"{date.day} {date.strftime('%B %Y')}"


def words(items: Sequence[str]) -> str:
    items = [i for i in items if i]
    if not items:
        return ""
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def plural(number: int, singular: str, many: str | None = None) -> str:
    return f"{number} {singular if number == 1 else (many or singular + 's')}"
