"""Strict date helpers for adapters whose files carry calendar dates or year/month/day parts.

Like :func:`coupwatch.sources.base.numeric`, a cell that is not a date fails naming the file, the row a person
would look at, the column and the value, instead of silently becoming a missing date.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Final

import pandas as pd

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import row_number

# second resolution: spells reach back to 1600 (San Marino), before the nanosecond range
DATE_DTYPE: Final = "datetime64[s]"


def parse_dates(
    frame: pd.DataFrame,
    columns: Sequence[str],
    file: str,
    *,
    formats: Sequence[str] = ("%Y-%m-%d",),
    missing: Iterable[str] = ("", "NA"),
) -> pd.DataFrame:
    """Convert text columns to dates, trying ``formats`` in order; anything else fails with row and value."""
    out = frame.copy()
    missing_tokens = set(missing)
    for column in columns:
        raw = out[column]
        text = raw.astype("string").str.strip()
        is_missing = raw.isna() | text.isin(missing_tokens)
        values = pd.Series(pd.NaT, index=out.index, dtype=DATE_DTYPE)
        for fmt in formats:
            todo = values.isna() & ~is_missing
            if not todo.any():
                break
            parsed = pd.to_datetime(text[todo], format=fmt, errors="coerce")
            values.loc[todo] = parsed.astype(DATE_DTYPE)
        bad = values.isna() & ~is_missing
        if bad.any():
            first = bad.idxmax()
            count = int(bad.sum())
            raise SourceFileError(
                file,
                f"expected a date ({' or '.join(formats)}; {count} bad cell{'s' if count > 1 else ''})",
                row=row_number(first),
                field=column,
                value=raw.at[first],
                fix="correct that cell, or download the publisher's original file again",
            )
        out[column] = values
    return out


def compose_date(frame: pd.DataFrame, year: str, month: str, day: str, file: str) -> pd.Series:
    """A date from whole-number year, month and day columns; an impossible date fails naming row and parts.

    Rows where any part is missing get no date (NaT).
    """
    parts = frame[[year, month, day]]
    complete = parts.notna().all(axis=1)
    values = pd.Series(pd.NaT, index=frame.index, dtype=DATE_DTYPE)
    if complete.any():
        chosen = parts[complete].astype("int64")
        parsed = pd.to_datetime(
            pd.DataFrame(
                {"year": chosen[year], "month": chosen[month], "day": chosen[day]}, index=chosen.index
            ),
            errors="coerce",
        )
        values.loc[complete] = parsed.astype(DATE_DTYPE)
    bad = values.isna() & complete
    if bad.any():
        first = bad.idxmax()
        shown = "-".join(str(frame.at[first, c]) for c in (year, month, day))
        raise SourceFileError(
            file,
            "the year, month and day do not form a calendar date",
            row=row_number(first),
            field=f"{year}+{month}+{day}",
            value=shown,
            fix="correct the day or month in that row, or download the publisher's original file again",
        )
    return values
