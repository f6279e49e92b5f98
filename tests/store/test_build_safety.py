"""A build fails whole with an error that says what to fix: cut-short files (also when new releases are
accepted), unreadable files, homes that cannot be written, a full disk; and a killed build leaves no workers."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import duckdb
import pandas as pd
import pandera.pandas as pa
import pytest
from typer.testing import CliRunner

from coupwatch.errors import CoupwatchError, SourceFileError
from coupwatch.sources import all_tables
from coupwatch.sources.base import numeric, read_text_table, validate
from coupwatch.store import build as warehouse
from tests.store.test_outputs import dead_pid

VDEM = "vdem/vdem_v14_dv_indices_gw_1968_2023.csv"


def table(name: str):  # type: ignore[no-untyped-def]
    return next(t for t in all_tables() if t.name == name)


def mirror_with(tmp_path: Path, relative: str, data: bytes) -> Path:
    root = tmp_path / "mirror"
    (root / relative).parent.mkdir(parents=True)
    (root / relative).write_bytes(data)
    return root


@pytest.mark.parametrize("cut", ["mid-line", "at a line end"])
def test_vdem_cut_in_half_fails_even_when_new_versions_are_accepted(mirror: Path, tmp_path: Path, cut: str,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUPWATCH_ALLOW_NEW_VERSIONS", "1")
    data = (mirror / VDEM).read_bytes()
    half = data[: len(data) // 2]  # ends "...,0.741,0.697,": the last row keeps its field count, empty last field
    if cut == "at a line end":
        half = half[: half.rfind(b"\n") + 1]
    root = mirror_with(tmp_path, VDEM, half)
    with pytest.raises(SourceFileError, match=r"vdem_v14_dv_indices_gw_1968_2023\.csv: the file looks cut short: .*"
                                              r"4,48\d rows where the release has 8,796.*Fix: download the whole file"):
        warehouse.parse_sources([table("vdem_v14_indices")], mirror=str(root), workers=1)


def test_the_pinned_files_meet_their_declared_expectations(mirror: Path) -> None:
    for declared in all_tables():
        assert declared.expected is not None, f"{declared.name} declares no expected rows"
    vdem = table("vdem_v14_indices")
    path = mirror / VDEM
    vdem.check_whole(vdem.parse(path), path)


def test_a_last_row_missing_its_trailing_fields_fails(tmp_path: Path) -> None:
    path = tmp_path / "cut.csv"
    path.write_text("gwcode,year,value\n2,1990,1.5\n2,1991\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"cut\.csv row 3: the last row has 2 of the header's 3 fields: the file "
                                              r"is cut short, got '2,1991'. Fix: download the whole file again"):
        read_text_table(path, required=["gwcode", "year"])


def test_a_header_only_csv_fails_with_a_fix(tmp_path: Path) -> None:
    path = tmp_path / "header.csv"
    path.write_text("gwcode,year,value\n", encoding="utf-8")
    with pytest.raises(SourceFileError, match=r"header\.csv: the file has a header but no rows\. Fix: download"):
        read_text_table(path, required=["gwcode", "year"])


def test_every_bad_cell_is_reported_with_plain_values() -> None:
    frame = pd.DataFrame({"year": ["1990", "x", "1992", "19.5"], "value": ["1", "2", "n/a", "?"]},
                         index=pd.RangeIndex(2, 6))
    with pytest.raises(SourceFileError) as caught:
        numeric(frame, ["year", "value"], "f.csv", integer=True)
    message = str(caught.value)
    assert "4 bad cells" in message and "4 problems in all" in message
    for part in ("row 3, column 'year'", "row 5, column 'year': expected a whole number, got '19.5'",
                 "row 4, column 'value': expected a number, got 'n/a'", "row 5, column 'value'"):
        assert part in message

    schema = pa.DataFrameSchema({"year": pa.Column("Int64", pa.Check.in_range(1970, 2000)),
                                 "share": pa.Column(float, pa.Check.in_range(0, 1))})
    bad = pd.DataFrame({"year": pd.array([1967, 1980, 2005], dtype="Int64"), "share": [0.5, 5.0, -1.0]})
    with pytest.raises(SourceFileError) as caught:
        validate(bad, schema, "v.csv")
    message = str(caught.value)
    assert "4 failures in all" in message
    assert "got 1967" in message and "got 5.0" in message and "got 2005" in message and "got -1.0" in message
    assert "np." not in message


def test_an_unreadable_mirror_file_is_an_error_with_the_fix(mirror: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from coupwatch.store import fetch

    # Tests run as root, which chmod 000 does not stop: reading raises PermissionError as it would for a user.
    def refuse(path: Path) -> str:
        raise PermissionError(13, "Permission denied", str(path))

    monkeypatch.setattr(fetch, "sha256_of", refuse)
    with pytest.raises(CoupwatchError, match=r"vdem_v14_dv_indices_gw_1968_2023\.csv: cannot be read \(Permission "
                                             r"denied\)\. Fix: give the user running coupwatch read access"):
        warehouse.parse_sources([table("vdem_v14_indices")], mirror=str(mirror), workers=1)


@pytest.mark.parametrize("home", ["/sys/coupwatch-home", "/sys/kernel"], ids=["under an unwritable folder",
                                                                               "read-only"])
def test_a_home_that_cannot_be_written_is_an_error_with_the_fix(home: str, mirror: Path) -> None:
    # /sys refuses new files and folders even to root: an honest unwritable place for these tests.
    from coupwatch.cli import app

    result = CliRunner().invoke(app, ["data", "build"], env={"COUPWATCH_HOME": home, "COUPWATCH_MIRROR": str(mirror)})
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    text = " ".join(result.output.split())
    assert home in text and "Fix:" in text
    assert "Traceback" not in text


# What DuckDB raised when a build filled a 30 MB tmpfs: the commit of the WAL fails.
FULL_DISK = [duckdb.TransactionException, duckdb.IOException]


@pytest.mark.parametrize("error", FULL_DISK, ids=["commit", "write"])
def test_a_full_disk_during_the_build_keeps_the_previous_warehouse(built_home: Path, tmp_path: Path, mirror: Path,
                                                                  monkeypatch: pytest.MonkeyPatch,
                                                                  error: type[duckdb.Error]) -> None:
    target = tmp_path / "warehouse.duckdb"
    target.write_bytes((built_home / "warehouse.duckdb").read_bytes())
    before = target.read_bytes()
    stale = dead_pid()
    for leftover in (f".warehouse.duckdb.building-{stale}", f".warehouse.duckdb.building-{stale}.wal"):
        (tmp_path / leftover).write_bytes(b"x" * 100)
    written: list[str] = []

    def fills_up(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
        if written:
            raise error(f'Failed to commit: Could not write file "{target}.wal": No space left on device')
        written.append(name)

    monkeypatch.setattr(warehouse, "_write_frame", fills_up)
    with pytest.raises(CoupwatchError, match=r"previous warehouse is unchanged\. Fix: free space"):
        warehouse.build(target, mirror=str(mirror))
    assert target.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["warehouse.duckdb"]


SLOW_BUILD = textwrap.dedent("""
    import dataclasses, os, sys, time
    from coupwatch.store import build as warehouse
    from coupwatch.sources import all_tables

    def slow(path):
        os.write(1, f"{os.getpid()}\\n".encode())  # one write: the two workers' lines never interleave
        time.sleep(300)

    tables = [dataclasses.replace(t, parse=slow) for t in all_tables()[:2]]
    warehouse.parse_sources(tables, mirror=sys.argv[1], workers=2)
""")


def _gone(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except FileNotFoundError:
        return True
    return "\nState:\tZ" in status  # a zombie has ended; only its exit status waits to be collected


def test_a_killed_build_leaves_no_workers(mirror: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    parent = subprocess.Popen([sys.executable, "-c", SLOW_BUILD, str(mirror)], env=env, stdout=subprocess.PIPE)
    assert parent.stdout is not None
    workers = [int(parent.stdout.readline()) for _ in range(2)]
    assert all(not _gone(pid) for pid in workers)
    os.kill(parent.pid, signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and not all(_gone(pid) for pid in workers):
        time.sleep(0.1)
    alive = [pid for pid in workers if not _gone(pid)]
    for pid in alive:  # do not leave them behind if the test fails
        os.kill(pid, signal.SIGKILL)
    assert alive == []

