"""Close matches for a mistyped name: an error lists the few names meant, not all 137 panel columns."""

from __future__ import annotations

import difflib
from collections.abc import Sequence


def close_names(text: str, names: Sequence[str], n: int = 5) -> list[str]:
    """The (at most ``n``) names most like ``text``: by spelling, else those that contain it."""
    lowered = {name.lower(): name for name in names}
    close = [lowered[m] for m in difflib.get_close_matches(text.lower(), list(lowered), n=n, cutoff=0.6)]
    if not close:
        close = [name for name in names if text.lower() in name.lower()][:n]
    return close


def unknown_columns_message(unknown: Sequence[str], available: Sequence[str], listing: str, more: int = 0) -> str:
    """Which columns are unknown (``more`` left unnamed), what each may have meant, and where the full list is."""
    parts = []
    for name in unknown:
        close = close_names(name, available)
        parts.append(f"{name!r} (close matches: {', '.join(close)})" if close else repr(name))
    rest = f" and {more} more" if more else ""
    return f"unknown column(s) {', '.join(parts)}{rest}. {listing}"
