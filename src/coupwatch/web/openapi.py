"""The OpenAPI document with the limits the server checks against its data.

Routes declare what is fixed (types, lengths, enums). Which years the panel covers, which forecast years are
saved and which models the saved backtest has are only known from the files, so they are written into the
document here: a client (or a schemathesis run) that keeps to the document is not refused for a year or model
the server does not have. The document is rebuilt when those files change.
"""

from __future__ import annotations

import copy
from typing import Any

from fastapi import FastAPI

from coupwatch.core.features import YEARS_AHEAD
from coupwatch.errors import CoupwatchError
from coupwatch.web.store import Store, file_stamps

PANEL_YEAR_PARAMETERS = {  # (path, parameter): the panel years the server checks the value against
    ("/api/countries/{iso3}/panel", "from"), ("/api/countries/{iso3}/panel", "to"),
    ("/api/countries/{iso3}/assistance", "from"), ("/api/countries/{iso3}/assistance", "to"),
}


def _limit(schema: dict[str, Any], limits: dict[str, Any]) -> None:
    """Add ``limits`` to a schema, or to the non-null branch of an optional one (FastAPI writes ``anyOf: [T,
    null]``)."""
    branches = [b for b in schema.get("anyOf", []) if b.get("type") != "null"]
    for branch in branches or [schema]:
        branch.update(limits)


def _constrain(document: dict[str, Any], path: str, name: str, limits: dict[str, Any]) -> None:
    if path.startswith("#/components/schemas/"):  # a field of a request body
        _limit(document["components"]["schemas"][path.rsplit("/", 1)[1]]["properties"][name], limits)
        return
    for operation in document["paths"].get(path, {}).values():
        for parameter in operation.get("parameters", []):
            if parameter["name"] == name:
                _limit(parameter["schema"], limits)


def data_limits(store: Store) -> dict[tuple[str, str], dict[str, Any]]:
    """JSON-schema limits per (path, parameter) from the warehouse, the saved forecasts and the saved backtest;
    what is not built yet adds nothing."""
    limits: dict[tuple[str, str], dict[str, Any]] = {}
    try:
        warehouse = store.warehouse()
        first, last, _, _ = store.panel_info(warehouse)
        regions = store.regions(warehouse)
    except CoupwatchError:  # no warehouse yet, or one that cannot be read
        return limits
    for key in PANEL_YEAR_PARAMETERS:
        limits[key] = {"minimum": first, "maximum": last}
    # Scenarios change the inputs of the year before the forecast year; feature rows run YEARS_AHEAD past the panel.
    scenario_years = {"minimum": first + 1, "maximum": last + YEARS_AHEAD}
    limits[("/api/scenarios/inputs", "year")] = scenario_years
    limits[("#/components/schemas/ScenarioRequest", "year")] = scenario_years
    limits[("/api/forecasts", "region")] = {
        "enum": sorted({*regions, *(r.label for r in regions.values())})}
    saved_years = sorted(store.forecast_files())
    if saved_years:
        limits[("/api/forecasts", "year")] = {"enum": saved_years}
    if store.predictions_path.exists():
        limits[("/api/countries/{iso3}/risk-history", "model")] = {
            "enum": sorted(str(m) for m in store.backtest()["model"].unique())}
    return limits


def install(app: FastAPI, store: Store) -> None:
    """Serve the route-generated document with :func:`data_limits` written in, rebuilt when the files change."""
    generic = app.openapi

    def openapi() -> dict[str, Any]:
        stamps = (file_stamps(store.warehouse_path, store.predictions_path), store.forecast_stamps())

        def build() -> dict[str, Any]:
            document = copy.deepcopy(generic())
            for (path, name), limits in data_limits(store).items():
                _constrain(document, path, name, limits)
            return document

        described: dict[str, Any] = store.memo.get(("openapi", stamps), build)
        return described

    app.openapi = openapi  # type: ignore[method-assign]
