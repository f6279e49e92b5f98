"""Where the backtest, the ablation and the forecasts keep their outputs, and reading them back: a saved
watchlist as a frame, the metrics, tuning choices, ablation summary and forecast metadata as typed documents
(:mod:`coupwatch.store.schemas`).

Kept apart from :mod:`coupwatch.app.backtest`, which imports the modelling stack (scikit-learn, LightGBM): the briefs
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
from coupwatch.store.outputs import Document, OutputKind, OutputMissingError, SavedDocument, SavedFolder
from coupwatch.store.schemas import AblationSummary, BacktestMetrics, ForecastMetadata, SavedTuning

MAIN_MODEL = "ensemble"

METRICS_FILE = "metrics.json"
TUNING_FILE = "tuning.json"
ABLATION_FILE = "ablation.json"
BACKTEST_DOCUMENTS: dict[str, type[SavedDocument]] = {METRICS_FILE: BacktestMetrics, TUNING_FILE: SavedTuning}
BACKTEST_FILES = frozenset({"predictions.parquet", "predictions.csv", "tuning.csv", *BACKTEST_DOCUMENTS,
                            "report.html", "charts"})
ABLATION_FILES = frozenset({"ablation.csv", "ablation_predictions.parquet", ABLATION_FILE, "ablation.html", "charts"})
BACKTEST = OutputKind("backtest", "`coupwatch backtest`", BACKTEST_FILES.__contains__, BACKTEST_DOCUMENTS.get)
ABLATION = OutputKind("ablation", "`coupwatch ablation`", ABLATION_FILES.__contains__,
                      {ABLATION_FILE: AblationSummary}.get)
FORECAST_METADATA_SUFFIX = ".meta.json"
FORECASTS = OutputKind("forecast", "`coupwatch forecast`",
                       lambda name: name.startswith("forecast-") and name.endswith((".parquet", ".json")),
                       lambda name: ForecastMetadata if name.endswith(FORECAST_METADATA_SUFFIX) else None)


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


def forecast_stem(year: int, outcome: str, model: str) -> str:
    """The name shared by a watchlist's files: ``<stem>.parquet``, ``<stem>.json`` and ``<stem>.meta.json``."""
    return f"forecast-{year}-{outcome}-{model}"


def _document(folder: Path, kind: OutputKind, name: str, model: type[Document]) -> Document:
    return SavedFolder.open(folder, kind).document(name, model)


def load_backtest_metrics(folder: Path | None = None) -> BacktestMetrics:
    """The saved backtest's ``metrics.json``."""
    return _document(folder or backtest_dir(), BACKTEST, METRICS_FILE, BacktestMetrics)


def load_ablation_summary(folder: Path | None = None) -> AblationSummary:
    """The saved feature-group ablation's ``ablation.json``."""
    return _document(folder or ablation_dir(), ABLATION, ABLATION_FILE, AblationSummary)


def load_forecast_metadata(year: int, outcome: str = "attempt", model: str = MAIN_MODEL,
                           folder: Path | None = None) -> ForecastMetadata:
    """What a saved watchlist is and how it was made."""
    name = forecast_stem(year, outcome, model) + FORECAST_METADATA_SUFFIX
    return _document(folder or forecast_dir(), FORECASTS, name, ForecastMetadata)
