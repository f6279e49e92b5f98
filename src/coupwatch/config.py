"""Where coupwatch keeps its files and where it reads publishers' files from."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

from platformdirs import user_data_dir

HOME_ENV = "COUPWATCH_HOME"
MIRROR_ENV = "COUPWATCH_MIRROR"
ALLOW_NEW_VERSIONS_ENV = "COUPWATCH_ALLOW_NEW_VERSIONS"


_home_override: ContextVar[Path | None] = ContextVar("coupwatch_home", default=None)


@contextmanager
def using_home(path: Path) -> Iterator[None]:
    """Make :func:`home` answer ``path`` in this thread or task only (a server serving a home other than the
    process's), without touching the environment other threads read."""
    token = _home_override.set(path)
    try:
        yield
    finally:
        _home_override.reset(token)


def home() -> Path:
    """Folder holding the warehouse and the download cache (``COUPWATCH_HOME`` or the user data dir)."""
    override = _home_override.get()
    configured = str(override) if override is not None else os.environ.get(HOME_ENV)
    path = Path(configured).expanduser() if configured else Path(user_data_dir("coupwatch", appauthor=False))
    _make_folder(path, f"{HOME_ENV} {path}")
    return path


def _make_folder(path: Path, what: str) -> None:
    from coupwatch.errors import CoupwatchError

    try:
        path.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise CoupwatchError(
            f"{what}: cannot be created ({exc.strerror or exc}). Fix: set {HOME_ENV} (or --home) to a folder you "
            "can write to"
        ) from exc


def warehouse_path() -> Path:
    return home() / "warehouse.duckdb"


def cache_dir() -> Path:
    path = home() / "cache"
    _make_folder(path, f"the download cache {path}")
    return path


def mirror() -> str | None:
    """The publishers' files mirror: a local folder or an http(s) base URL, from ``COUPWATCH_MIRROR``."""
    value = os.environ.get(MIRROR_ENV, "").strip()
    return value or None


def allow_new_versions() -> bool:
    """Accept files whose hash differs from the pinned one (a publisher's newer release)."""
    return os.environ.get(ALLOW_NEW_VERSIONS_ENV, "").strip().lower() in {"1", "true", "yes"}
