"""Saved outputs are swapped in whole, checked against their manifest when read, and survive killed runs."""

from __future__ import annotations

import errno
import json
import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pandas as pd
import pytest

from coupwatch.store.outputs import (
    MANIFEST,
    OutputCorruptError,
    OutputError,
    OutputKind,
    SavedFolder,
    remove_stale_temporaries,
    replace_folder,
    write_text,
)

KIND = OutputKind("sample", "`coupwatch sample`", lambda name: name.endswith((".txt", ".csv")) or name == "sub")


def dead_pid() -> int:
    """The id of a process that has exited (what a kill -9 leaves behind in temporary names)."""
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def write_sample(target: Path, text: str) -> None:
    with replace_folder(target, KIND) as staging:
        (staging / "a.txt").write_text(text, encoding="utf-8")
        (staging / "sub").mkdir()
        (staging / "sub" / "b.csv").write_text(f"x\n{len(text)}\n", encoding="utf-8")


def test_a_folder_is_swapped_in_whole_with_a_manifest_readers_check(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_sample(target, "first")
    saved = SavedFolder.open(target, KIND)
    assert saved.read("a.txt") == b"first"
    assert sorted(saved.files) == ["a.txt", "sub/b.csv"]
    manifest = json.loads((target / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["schema_version"] == 1
    assert manifest["producer"]["command"] == "`coupwatch sample`"
    assert manifest["files"]["a.txt"]["size"] == 5
    write_sample(target, "second run")
    assert SavedFolder.open(target, KIND).read("a.txt") == b"second run"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]  # no staging or previous folder left


def test_a_failed_run_leaves_the_previous_output_whole(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_sample(target, "first")
    # A full disk half-way through the run (simulated: the second write raises ENOSPC as a full disk does).
    with (pytest.raises(OutputError, match=r"disk is full.*previous output is unchanged.*rerun `coupwatch sample`"),
          replace_folder(target, KIND) as staging):
        (staging / "a.txt").write_text("half", encoding="utf-8")
        raise OSError(errno.ENOSPC, "No space left on device")
    assert SavedFolder.open(target, KIND).read("a.txt") == b"first"
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


def test_a_damaged_file_is_refused_naming_the_file_and_the_fix(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_sample(target, "first run")
    (target / "a.txt").write_text("firs", encoding="utf-8")  # cut short
    with pytest.raises(OutputCorruptError, match=r"a\.txt: 4 bytes, manifest\.json says 9.*rerun `coupwatch sample`"):
        SavedFolder.open(target, KIND).read("a.txt")
    (target / "a.txt").write_text("FIRST RUN", encoding="utf-8")  # same size, other contents
    with pytest.raises(OutputCorruptError, match="contents differ"):
        SavedFolder.open(target, KIND).check_all()
    (target / MANIFEST).unlink()
    with pytest.raises(OutputCorruptError, match=r"no manifest\.json"):
        SavedFolder.open(target, KIND)


def test_a_folder_with_other_files_is_refused_before_anything_is_written(tmp_path: Path) -> None:
    (tmp_path / "thesis.docx").write_text("mine", encoding="utf-8")
    with pytest.raises(OutputError, match=r"thesis\.docx.*give a new or empty folder"):
        write_sample(tmp_path, "x")
    assert (tmp_path / "thesis.docx").read_text(encoding="utf-8") == "mine"


def test_leftovers_of_dead_runs_are_removed_and_a_half_swapped_folder_restored(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_sample(target, "first")
    pid = dead_pid()
    staging = tmp_path / f".out.staging-{pid}"
    staging.mkdir()
    (staging / "a.txt").write_text("half", encoding="utf-8")
    (tmp_path / f".out.tmp-{pid}").write_text("half", encoding="utf-8")
    alive = tmp_path / f".out.staging-{os.getpid()}-x"  # not our pattern's pid: untouched
    alive.mkdir()
    write_sample(target, "second")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out", alive.name])
    # Killed between the two renames of the fallback swap: the previous folder is put back.
    (target).rename(tmp_path / f".out.previous-{pid}")
    assert remove_stale_temporaries(target) == []
    assert SavedFolder.open(target, KIND).read("a.txt") == b"second"


def test_single_files_are_replaced_whole_and_errors_name_the_fix(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "x.csv"
    write_text(path, "old", rerun="`coupwatch panel`")
    with pytest.raises(OutputError, match=r"folder .*missing.* does not exist\. Fix: create it"):
        write_text(tmp_path / "missing" / "x.csv", "new", rerun="`coupwatch panel`")

    # Tests run as root, which chmod does not stop: the permission error is raised from os.replace instead.
    def refuse(*_args: object) -> None:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(OutputError, match=r"no permission to write there.*Fix: choose a folder you can write to"):
        write_text(path, "new", rerun="`coupwatch panel`")
    assert path.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["x.csv"]


KILLED_WRITER = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from coupwatch.store.outputs import OutputKind, replace_folder
    kind = OutputKind("sample", "`coupwatch sample`", lambda name: name.endswith((".txt", ".csv")) or name == "sub")
    with replace_folder(Path(sys.argv[1]), kind) as staging:
        (staging / "a.txt").write_text("partial", encoding="utf-8")
        print("writing", flush=True)
        time.sleep(60)
""")


def test_kill_9_during_a_run_keeps_the_previous_output_and_the_next_run_cleans_up(tmp_path: Path) -> None:
    target = tmp_path / "out"
    write_sample(target, "first")
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "src")}
    process = subprocess.Popen([sys.executable, "-c", KILLED_WRITER, str(target)], env=env, stdout=subprocess.PIPE)
    assert process.stdout is not None
    assert process.stdout.readline().strip() == b"writing"
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert (tmp_path / f".out.staging-{process.pid}").is_dir()
    assert SavedFolder.open(target, KIND).read("a.txt") == b"first"
    write_sample(target, "second")
    assert [p.name for p in tmp_path.iterdir()] == ["out"]


# ---- the real outputs -------------------------------------------------------------------------------------


def test_a_backtest_failing_on_a_full_disk_leaves_the_previous_one(private_analysis_env: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    from coupwatch.app.backtest import load_backtest, run_and_save_backtest
    from coupwatch.core.evaluate.rolling import RollingOrigin

    before = load_backtest()

    def full_disk(*_args: object, **_kwargs: object) -> Path:
        raise OSError(errno.ENOSPC, "No space left on device")

    # The predictions, tuning and metrics are written; the disk fills up while the report is written.
    rolling = RollingOrigin(first_test_year=2022, last_test_year=2023, retune_every=4, inner_folds=2,
                            inner_block_years=2, train_start_grid=(1975,))
    with pytest.raises(OutputError, match=r"backtest: the disk is full.*rerun `coupwatch backtest`"):
        run_and_save_backtest(rolling=rolling, draws=5, outcomes=("attempt",), write_report=full_disk)
    after = load_backtest()
    pd.testing.assert_frame_equal(after.predictions, before.predictions)
    assert after.rolling == before.rolling
    assert [p.name for p in private_analysis_env.iterdir() if p.name.startswith(".")] == []


def test_a_damaged_forecast_is_an_error_with_the_fix_and_healthz_names_it(private_analysis_env: Path) -> None:
    from fastapi.testclient import TestClient

    from coupwatch.store.saved import load_forecast
    from coupwatch.web import create_app

    folder = private_analysis_env / "forecasts"
    parquet = sorted(folder.glob("forecast-*-attempt-ensemble.parquet"))[-1]
    assert len(load_forecast()) > 150
    with TestClient(create_app(private_analysis_env, warm=False)) as client:
        assert client.get("/healthz").json()["status"] == "ok"
        data = parquet.read_bytes()
        parquet.write_bytes(data[: len(data) // 2])  # what a killed writer without the swap left behind
        with pytest.raises(OutputCorruptError, match=rf"{parquet.name}: .* bytes, manifest\.json says.*forecast`"):
            load_forecast()
        health = client.get("/healthz").json()
        assert health["status"] == "degraded"
        assert any(parquet.name in m and "cut short" in m for m in health["messages"])
        reply = client.get("/api/forecasts")
        assert reply.status_code == 503
        assert "coupwatch forecast" in reply.json()["detail"]
        brief = client.get("/api/briefs/MLI.html")  # refused with the fix, never drawn from the damaged file
        assert brief.status_code in (422, 503)
        assert "cut short" in brief.text and "coupwatch forecast" in brief.text
