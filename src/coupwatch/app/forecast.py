"""Forecasting a year from the warehouse with the saved backtest's choices, and keeping the watchlist on disk.

Watchlists live under ``COUPWATCH_HOME/forecasts`` (or a folder given by the user), one set of files per year,
outcome and model: ``<stem>.parquet`` (read back by :func:`coupwatch.store.saved.load_forecast`), ``<stem>.json``
(the same rows for other programs) and ``<stem>.meta.json`` (:class:`~coupwatch.store.schemas.ForecastMetadata`:
what the watchlist is and how it was made).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pandas as pd

from coupwatch.app.backtest import clean_json, load_backtest, load_features, load_panel
from coupwatch.core.evaluate.backtest import Executor, final_window
from coupwatch.core.refits import REFITS
from coupwatch.store.outputs import check_target, replace_folder, write_document
from coupwatch.store.saved import (
    FORECAST_METADATA_SUFFIX,
    FORECASTS,
    MAIN_MODEL,
    backtest_dir,
    forecast_dir,
    forecast_stem,
    load_backtest_metrics,
)
from coupwatch.store.schemas import ForecastMetadata


def run_and_save_forecast(
    year: int | None = None,
    *,
    model: str = MAIN_MODEL,
    outcome: str = "attempt",
    draws: int = REFITS,
    backtest_folder: Path | None = None,
    out: Path | None = None,
    executor: Executor | None = None,
    features: pd.DataFrame | None = None,
) -> tuple[pd.DataFrame, Path]:
    """Forecast ``year`` from the warehouse with the saved backtest's choices; write Parquet and JSON.

    Each row says, per feature group, the last year of data it uses and the years carried forward
    (``data_as_of``, a list, and ``data_as_of_text``).
    """
    from coupwatch.core.currency import currency_records, data_currency
    from coupwatch.core.forecast import make_forecast
    from coupwatch.store.refit_cache import DiskRefitStore

    check_target(out or forecast_dir(), FORECASTS)
    backtest = load_backtest(backtest_folder)
    panel = load_panel()
    features = load_features() if features is None else features
    watchlist = make_forecast(features, backtest.specs, backtest, year=year, model=model, outcome=outcome,
                              store=DiskRefitStore(), draws=draws, executor=executor)
    target_year = int(watchlist["year"].iloc[0])
    currency = currency_records(data_currency(panel, target_year))
    watchlist = watchlist.merge(currency, on="gwcode", how="left")
    folder = out or forecast_dir()
    stem = forecast_stem(target_year, outcome, model)
    labelled_before = features.loc[(features["year"] < target_year) & features[outcome].notna(), "year"]
    metadata = ForecastMetadata(
        year=target_year, outcome=outcome, model=model,
        made_at=dt.datetime.now(dt.UTC).isoformat(timespec="seconds"), countries=len(watchlist), draws=draws,
        train_start=final_window(backtest, outcome, backtest.specs[model]), trained_through=int(labelled_before.max()),
        backtest_built_at=load_backtest_metrics(backtest_folder or backtest_dir()).built_at,
    )
    stored = watchlist.assign(drivers=watchlist["drivers"].map(json.dumps),
                              data_as_of=watchlist["data_as_of"].map(json.dumps))
    # The other years' and models' watchlists are carried over; this one's files are replaced together.
    with replace_folder(folder, FORECASTS, keep=lambda name: not name.startswith(f"{stem}.")) as staging:
        stored.to_parquet(staging / f"{stem}.parquet", index=False)
        (staging / f"{stem}.json").write_text(json.dumps(clean_json(watchlist.to_dict("records")), indent=1),
                                              encoding="utf-8")
        write_document(staging / f"{stem}{FORECAST_METADATA_SUFFIX}", metadata)
    return watchlist, folder / f"{stem}.parquet"
