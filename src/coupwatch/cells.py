"""Single table cells as frames hand them out: one answer to "is this cell missing?"."""

from __future__ import annotations

import pandas as pd


def is_missing(value: object) -> bool:
    """None, NaN, NA or NaT. Text, lists and dicts are values, never missing (pd.isna would test their items)."""
    if value is None:
        return True
    if isinstance(value, (str, list, dict)):
        return False
    # pd.isna takes any object; the stubs only list scalars and containers.
    return bool(pd.isna(value))  # type: ignore[call-overload]
