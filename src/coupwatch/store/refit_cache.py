"""Bootstrap refits kept on disk under COUPWATCH_HOME/cache/refits, keyed by everything they depend on.

A scenario scores the same refits as the forecast (same model, data, year, seed and count), so after the forecast
has run a scenario only predicts: seconds instead of half a minute. A key changes when any input changes, so a
stale entry is never read; unreadable entries are refitted and replaced.
"""

from __future__ import annotations

import os
import pickle
import tempfile
from pathlib import Path
from typing import Any

from coupwatch import config


class DiskRefitStore:
    """Fitted bootstrap models as one pickle per key (written atomically: a reader never sees half a file)."""

    def __init__(self, folder: Path | None = None) -> None:
        self._folder = folder

    @property
    def folder(self) -> Path:
        """The given folder, else COUPWATCH_HOME's as it is when the store is used."""
        return self._folder if self._folder is not None else config.cache_dir() / "refits"

    def _path(self, key: str) -> Path:
        return self.folder / f"{key}.pkl"

    def get(self, key: str) -> list[Any] | None:
        path = self._path(key)
        if not path.is_file():
            return None
        try:
            with path.open("rb") as handle:
                models = pickle.load(handle)
        except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError):
            return None
        return models if isinstance(models, list) else None

    def put(self, key: str, models: list[Any]) -> None:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            handle, temporary = tempfile.mkstemp(dir=self.folder, suffix=".tmp")
        except OSError:
            return  # a read-only home (a served copy) still answers, it only refits each time
        try:
            with os.fdopen(handle, "wb") as out:
                pickle.dump(models, out, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(temporary, self._path(key))
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
