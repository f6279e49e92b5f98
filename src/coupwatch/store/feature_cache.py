"""Built features kept next to the warehouse (``<home>/cache/features``), keyed by the warehouse file's version.

Building the features of every state from the panel takes about as long as a scenario's whole computation once its
refits are saved, and every scenario, forecast and brief needs them. The key holds the warehouse file's size and
modification time and the source of the feature code, so a rebuilt warehouse or changed feature code is never
answered from a stale entry. A pickle keeps every column's type and every value exactly as built.
"""

from __future__ import annotations

import hashlib
import inspect
import os
import pickle
import tempfile
from collections.abc import Callable
from pathlib import Path

import pandas as pd

from coupwatch.core import features as feature_code
from coupwatch.store.file_versions import file_version


def features_key(warehouse: Path) -> str:
    """The version of the features a warehouse gives: its file's version, the feature code, pandas."""
    source = Path(inspect.getfile(feature_code)).read_bytes()
    described = repr((file_version(warehouse), hashlib.sha256(source).hexdigest(), pd.__version__))
    return hashlib.sha256(described.encode("utf-8")).hexdigest()[:32]


def _read(path: Path) -> pd.DataFrame | None:
    try:
        with path.open("rb") as handle:
            features = pickle.load(handle)
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
        return None
    return features if isinstance(features, pd.DataFrame) else None


def _write(folder: Path, path: Path, features: pd.DataFrame) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=folder, suffix=".tmp")
    except OSError:
        return  # a read-only home (a served copy) still answers, it only builds each time
    try:
        with os.fdopen(handle, "wb") as out:
            pickle.dump(features, out, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    for old in folder.glob("*.pkl"):  # one warehouse version at a time: older entries can never be read again
        if old != path:
            old.unlink(missing_ok=True)


def cached_features(warehouse: Path, build: Callable[[], pd.DataFrame]) -> pd.DataFrame:
    """The features of ``warehouse``: saved ones when its version matches, else ``build()``, saved for next time."""
    if not warehouse.is_file():
        return build()  # the loader names the missing warehouse and the fix
    folder = warehouse.parent / "cache" / "features"
    path = folder / f"{features_key(warehouse)}.pkl"
    saved = _read(path) if path.is_file() else None
    if saved is not None:
        return saved
    features = build()
    _write(folder, path, features)
    return features
