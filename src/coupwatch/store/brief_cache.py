"""A brief's computed parts (packaged scenario results, claims checks) kept on disk for the next process.

Each part lives in ``<home>/cache/<kind>/<name>-<digest>``; the digest covers the warehouse's and the backtest
predictions' versions, the package version and the part's own inputs, so a stale result is never read.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

import pandas as pd

from coupwatch import __version__, config
from coupwatch.store.file_versions import file_version
from coupwatch.store.saved import backtest_dir


def brief_dependencies() -> list[object]:
    """What a brief's computed parts depend on: the warehouse's and the backtest predictions' versions and the
    package version."""
    paths = (config.warehouse_path(), backtest_dir() / "predictions.parquet")
    return [*(file_version(path) or str(path) for path in paths), __version__]


def cache_folder(kind: str, name: str, inputs: list[object]) -> Path:
    """Where a computed part of a brief is kept, named by everything it was computed from: a rebuilt warehouse,
    a new backtest or a changed input file gives a new name, so a stale result is never read."""
    digest = hashlib.sha256(json.dumps([brief_dependencies(), *inputs], default=str).encode()).hexdigest()[:20]
    return config.cache_dir() / kind / f"{name}-{digest}"


def read_cached(folder: Path) -> tuple[pd.DataFrame | None, dict[str, object]] | None:
    """A frame and its notes kept by an earlier brief, or None when there is none (or only a half-written one)."""
    try:
        meta = json.loads((folder / "meta.json").read_text(encoding="utf-8"))
        frame = pd.read_parquet(folder / "frame.parquet") if meta["has_frame"] else None
    except (OSError, ValueError, KeyError):
        return None
    return frame, meta


def write_cached(folder: Path, frame: pd.DataFrame | None, **notes: object) -> None:
    """Keep a frame and its notes for the next process; the metadata is written last, so a reader never takes a
    half-written frame. A cache that cannot be written only costs the next brief the recomputation."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
        # Each process writes its own part file and moves it in whole: two briefs at once never mix their bytes.
        if frame is not None:
            frame_part = folder / f"frame.parquet.{os.getpid()}.part"
            frame.to_parquet(frame_part)
            frame_part.replace(folder / "frame.parquet")
        part = folder / f"meta.json.{os.getpid()}.part"
        part.write_text(json.dumps({"has_frame": frame is not None, **notes}), encoding="utf-8")
        part.replace(folder / "meta.json")
    except Exception:  # a full disk, or a column parquet cannot hold: the next brief recomputes
        return
