from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from coupwatch import config


def test_using_home_answers_in_this_thread_only_and_leaves_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(config.HOME_ENV, str(tmp_path / "process"))
    seen_elsewhere: list[Path] = []
    with config.using_home(tmp_path / "served"):
        assert config.home() == tmp_path / "served"
        assert config.warehouse_path() == tmp_path / "served" / "warehouse.duckdb"
        other = threading.Thread(target=lambda: seen_elsewhere.append(config.home()))
        other.start()
        other.join()
        assert os.environ[config.HOME_ENV] == str(tmp_path / "process")
    assert seen_elsewhere == [tmp_path / "process"]
    assert config.home() == tmp_path / "process"
