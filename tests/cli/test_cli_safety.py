"""Nonsensical numbers and unusable --out paths are refused with a clear error before anything is overwritten."""

from __future__ import annotations

import errno
import hashlib
import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from coupwatch.cli import app

runner = CliRunner()


def folder_digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def said(result: object) -> str:
    return " ".join(str(getattr(result, "output", "")).split())


@pytest.mark.parametrize("args", [["--draws", "-5"], ["--draws", "0"], ["--top", "0"], ["--year", "1800"],
                                  ["--year", "2100"], ["--year", "1946"]])
def test_forecast_refuses_nonsense_numbers_before_overwriting(private_analysis_env: Path, args: list[str]) -> None:
    folder = private_analysis_env / "forecasts"
    before = folder_digest(folder)
    result = runner.invoke(app, ["forecast", *args])
    assert result.exit_code in (1, 2), result.output
    text = said(result)
    assert ("greater than or equal to 1" in text) or ("forecasts are possible for" in text), text
    assert folder_digest(folder) == before


@pytest.mark.parametrize(("command", "message"), [
    (["backtest", "--draws", "0"], "greater than or equal to 1"),
    (["backtest", "--from", "2020", "--to", "2100"], "--to 2100: the features end in"),
    (["ablation", "--draws", "-1"], "greater than or equal to 1"),
    (["ablation", "--from", "2020", "--to", "2100"], "--to 2100: the features end in"),
    (["scenario", "MLI", "--set", "milex_gdp=-30%", "--draws", "-1"], "greater than or equal to 0"),
    (["scenario", "MLI", "--set", "milex_gdp=-30%", "--top", "0"], "greater than or equal to 1"),
    (["scenario", "MLI", "--set", "milex_gdp=-30%", "--seed", "-3"], "greater than or equal to 0"),
    (["mechanism", "--draws", "0"], "greater than or equal to 1"),
    (["brief", "MLI", "--year", "1800"], "--year 1800 is outside the warehouse panel's years"),
    (["brief", "MLI", "--base-year", "1700"], "--base-year 1700 is before the warehouse panel's first year 1946"),
])
def test_other_commands_refuse_nonsense_numbers(private_analysis_env: Path, tmp_path: Path, command: list[str],
                                                message: str) -> None:
    before = folder_digest(private_analysis_env / "backtest")
    extra = ["--out", str(tmp_path / "briefs")] if command[0] == "brief" else []
    result = runner.invoke(app, [*command, *extra])
    assert result.exit_code in (1, 2), result.output
    assert message in said(result)
    assert folder_digest(private_analysis_env / "backtest") == before
    assert not (tmp_path / "briefs").exists() or not any((tmp_path / "briefs").iterdir())


@pytest.mark.parametrize("command", [
    ["panel", "--country", "MLI", "--format", "csv"],
    ["forecast", "--draws", "1"],
    ["scenario", "MLI", "--set", "milex_gdp=-30%", "--draws", "0"],
])
def test_out_to_a_missing_folder_is_refused_before_the_run(private_analysis_env: Path, command: list[str]) -> None:
    before = folder_digest(private_analysis_env / "forecasts")
    result = runner.invoke(app, [*command, "--out", "/nonexistent/dir/x.csv"])
    assert result.exit_code == 1, result.output
    assert "--out /nonexistent/dir/x.csv: the folder /nonexistent/dir does not exist. Fix: create it" in said(result)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert folder_digest(private_analysis_env / "forecasts") == before


def refuse_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests run as root, which chmod does not stop: moving the written file into place raises PermissionError,
    as it does for a user in a folder without write permission."""

    def refuse(*_args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)


def test_out_to_an_unwritable_folder_is_an_error_with_the_fix(warehouse_env: Path, tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "mali.csv"
    out.write_text("previous", encoding="utf-8")
    refuse_writes(monkeypatch)
    result = runner.invoke(app, ["panel", "--country", "MLI", "--from", "2020", "--format", "csv", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert f"{out}: no permission to write there; the previous output is unchanged. Fix: choose" in said(result)
    assert out.read_text(encoding="utf-8") == "previous"
    assert [p.name for p in tmp_path.iterdir()] == ["mali.csv"]


def test_a_brief_into_an_unwritable_folder_is_an_error_with_the_fix(analysis_env: Path, tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    refuse_writes(monkeypatch)
    result = runner.invoke(app, ["brief", "MLI", "--out", str(tmp_path)])
    assert result.exit_code == 1, result.output
    assert "no permission to write there" in said(result) and "Fix:" in said(result)
    assert list(tmp_path.iterdir()) == []
