"""coupwatch: coup risk, security assistance and governance from the publishers' own data."""

from __future__ import annotations

from typing import Any

__version__ = "0.1.0"
__all__ = ["__version__", "open_warehouse"]


def __getattr__(name: str) -> Any:
    # The warehouse (DuckDB) loads only when asked for, so importing the pure core stays light.
    if name == "open_warehouse":
        from coupwatch.store.build import open_warehouse

        return open_warehouse
    raise AttributeError(f"module 'coupwatch' has no attribute {name!r}")
