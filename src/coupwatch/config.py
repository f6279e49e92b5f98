"""Where coupwatch keeps its files and where it reads publishers' files from."""

from __future__ import annotations

import os
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "COUPWATCH_HOME"
MIRROR_ENV = "COUPWATCH_MIRROR"
ALLOW_NEW_VERSIONS_ENV = "COUPWATCH_ALLOW_NEW_VERSIONS"


def home() -> Path:
    """Folder holding the warehouse and the download cache (``COUPWATCH_HOME`` or the user data dir)."""
    configured = os.environ.get(HOME_ENV)
    path = Path(configured).expanduser() if configured else Path(user_data_dir("coupwatch", appauthor=False))
    path.mkdir(parents=True, exist_ok=True)
    return path


def warehouse_path() -> Path:
    return home() / "warehouse.duckdb"


def cache_dir() -> Path:
    path = home() / "cache"
    path.mkdir(parents=True, exist_ok=True)
    return path


def mirror() -> str | None:
    """The publishers' files mirror: a local folder or an http(s) base URL, from ``COUPWATCH_MIRROR``."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return value or None


def allow_new_versions() -> bool:
    """Accept files whose hash differs from the pinned one (a publisher's newer release)."""
    return os.environ.get(ALLOW_NEW_VERSIONS_ENV, "").strip().lower() in {"1", "true", "yes"}
