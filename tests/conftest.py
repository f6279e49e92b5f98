"""Shared fixtures: the publishers' mirror and small helpers."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"


def mirror_root() -> Path:
    configured = os.environ.get("COUPWATCH_MIRROR")
    root = Path(configured) if configured else REPO.parent / "shared" / "data" / "raw"
    if not root.is_dir():
        raise RuntimeError(
            f"publishers' mirror not found at {root}: set COUPWATCH_MIRROR to the folder of raw files"
        )
    return root


@pytest.fixture(scope="session")
def mirror() -> Path:
    """The folder of publishers' files (COUPWATCH_MIRROR, else ../shared/data/raw)."""
    return mirror_root()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if os.environ.get("COUPWATCH_NETWORK_TESTS") == "1":
        return
    skip = pytest.mark.skip(reason="needs the internet; set COUPWATCH_NETWORK_TESTS=1")
    for item in items:
        if "network" in item.keywords:
            item.add_marker(skip)
