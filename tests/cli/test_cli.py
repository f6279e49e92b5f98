"""The command line as a user types it."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from coupwatch.cli import app

runner = CliRunner()


def test_sources_lists_every_source_with_licence() -> None:
    result = runner.invoke(app, ["data", "sources", "--format", "csv"])
    assert result.exit_code == 0, result.output
    for text in ("Clayton L. Thyne", "Stockholm International Peace Research Institute", "V-Dem Institute",
                 "Uppsala Conflict Data Program", "V2023.09.08", "CC BY 4.0"):
        assert text in result.output


def test_cite_prints_bibtex_and_refuses_unknown_sources() -> None:
    result = runner.invoke(app, ["data", "cite", "powell_thyne_events"])
    assert result.exit_code == 0
    assert "@article{powell2011global" in result.output
    bad = runner.invoke(app, ["data", "cite", "nope"])
    assert bad.exit_code == 1
    assert "unknown source" in bad.output and "powell_thyne_events" in bad.output


def test_check_passes_on_the_mirror(mirror: Path) -> None:
    result = runner.invoke(app, ["data", "check", "--mirror", str(mirror)])
    assert result.exit_code == 0, result.output
    assert "every row maps" in result.output


def test_panel_export_csv_json_parquet(warehouse_env: Path, tmp_path: Path) -> None:
    result = runner.invoke(app, ["panel", "--country", "MLI", "--from", "2010", "--to", "2023", "--format", "csv"])
    assert result.exit_code == 0, result.output
    frame = pd.read_csv(io.StringIO(result.output))
    assert frame["year"].tolist() == list(range(2010, 2024))
    assert frame.loc[frame["year"] == 2020, "pt_successes"].item() == 1
    out = tmp_path / "mali.parquet"
    result = runner.invoke(app, ["panel", "-c", "MLI", "--from", "2012", "--to", "2012", "--format", "parquet",
                                 "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert pd.read_parquet(out)["milex_gdp"].item() == pytest.approx(1.196, abs=1e-3)
    result = runner.invoke(app, ["panel", "-c", "NER", "--from", "2023", "--to", "2023", "--format", "json",
                                 "--columns", "pt_successes"])
    assert json.loads(result.output)[0]["pt_successes"] == 1


def test_panel_bad_input_says_what_is_allowed(warehouse_env: Path) -> None:
    unknown = runner.invoke(app, ["panel", "--country", "MLX"])
    assert unknown.exit_code == 1 and "MLI (Mali)" in unknown.output
    column = runner.invoke(app, ["panel", "--country", "MLI", "--columns", "milex_gpd"])
    assert column.exit_code == 1 and "milex_gdp" in column.output
    years = runner.invoke(app, ["panel", "--from", "1800", "--to", "1810"])
    assert years.exit_code == 1 and "outside the panel" in years.output


def test_summary_reads_the_provenance(warehouse_env: Path) -> None:
    result = runner.invoke(app, ["data", "summary"])
    assert result.exit_code == 0, result.output
    assert "pt_events" in result.output and "V2023.09.08" in result.output


def test_sources_files_give_official_urls_and_hashes() -> None:
    result = runner.invoke(app, ["data", "sources", "--files", "--format", "json"])
    rows = json.loads(result.output)
    by_file = {r["file"]: r for r in rows}
    assert by_file["powell_thyne_coups_final.txt"]["url"].startswith("http://www.uky.edu/")
    assert all(len(r["sha256"]) == 64 for r in rows)
