"""Where the backtest, the ablation and the forecasts keep their outputs, and reading a saved watchlist back.

Kept apart from :mod:`coupwatch.app.runs`, which imports the modelling stack (scikit-learn, LightGBM): the briefs
and the dashboard only read what was saved, and a fresh ``coupwatch brief`` should not pay most of a second to
import models it does not fit.
"""

from __future__ import annotations

import io
import json
from pathlib import Path

import pandas as pd

from coupwatch import config
from coupwatch.errors import CoupwatchError
from coupwatch.store.outputs import OutputKind, OutputMissingError, SavedFolder

MAIN_MODEL = "ensemble"

BACKTEST_FILES = frozenset({"predictions.parquet", "predictions.csv", "tuning.csv", "metrics.json", "report.html",
                            "charts"})
ABLATION_FILES = frozenset({"ablation.csv", "ablation_predictions.parquet", "ablation.json", "ablation.html",
                            "charts"})
BACKTEST = OutputKind("backtest", "`coupwatch backtest`", BACKTEST_FILES.__contains__)
ABLATION = OutputKind("ablation", "`coupwatch ablation`", ABLATION_FILES.__contains__)
FORECASTS = OutputKind("forecast", "`coupwatch forecast`",
                       lambda name: name.startswith("forecast-") and name.endswith((".parquet", ".json")))


def backtest_dir() -> Path:
    return config.home() / "backtest"


def ablation_dir() -> Path:
    return config.home() / "ablation"


def forecast_dir() -> Path:
    return config.home() / "forecasts"


def load_forecast(year: int | None = None, outcome: str = "attempt", model: str = MAIN_MODEL,
                  folder: Path | None = None) -> pd.DataFrame:
    """A saved watchlist (the latest year when ``year`` is None), drivers decoded."""
    folder = folder or forecast_dir()
    missing = CoupwatchError(f"{folder}: no saved forecast{f' for {year}' if year else ''}. Fix: run `coupwatch "
                             "forecast`")
    try:
        saved = SavedFolder.open(folder, FORECASTS)
    except OutputMissingError:
        raise missing from None
    files = sorted(name for name in saved.files if name.startswith("forecast-")
                   and name.endswith(f"-{outcome}-{model}.parquet"))
    if year is not None:
        files = [f for f in files if f.startswith(f"forecast-{year}-")]
    if not files:
        raise missing
    frame = pd.read_parquet(io.BytesIO(saved.read(files[-1])))
    frame["drivers"] = frame["drivers"].map(json.loads)
    if "data_as_of" in frame.columns:  # forecasts saved before the data-currency columns have none
        frame["data_as_of"] = frame["data_as_of"].map(lambda text: json.loads(text) if isinstance(text, str) else [])
    return frame
