"""coupwatch: coup risk, security assistance and governance from the publishers' own data."""

from __future__ import annotations

__version__ = "0.1.0"
__all__ = ["__version__"]
