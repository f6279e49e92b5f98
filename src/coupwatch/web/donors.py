"""GET /api/countries/{iso3}/donors: who supports a country, per year (coupwatch.core.donors).

Net ODA and its top donors (OECD DAC2a), arms deliveries by supplier (SIPRI TIV), UN peace-operation spending
in the country and U.S. security aid split into capacity and governance, plus the donor x year detail and the
findings computed from it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import BaseModel

from coupwatch.app.donors import NOTES, PANEL_COLUMNS
from coupwatch.core import donors
from coupwatch.report.charts import dashboard
from coupwatch.store.reader import MissingTableError
from coupwatch.web.api import CSV_RESPONSE, ERRORS, CodePath, Format, ToYear, _csv, _json, country_payload
from coupwatch.web.deps import StoreDep, WarehouseDep
from coupwatch.web.models import Cell
from coupwatch.web.store import BadParameterError, UnavailableError, records

router = APIRouter(prefix="/api", tags=["api"])



class DonorsResponse(BaseModel):
    gwcode: int
    iso3: str | None
    country: str
    first_year: int
    last_year: int
    notes: dict[str, str]
    findings: list[str]
    rows: list[dict[str, Cell]]
    support: list[dict[str, Cell]]


@router.get("/countries/{iso3}/donors", response_model=DonorsResponse, responses={**ERRORS, **CSV_RESPONSE},
            summary="Who supports the country: ODA donors, arms suppliers, peace operations, U.S. security aid")
def country_donors(
    iso3: CodePath,
    store: StoreDep,
    warehouse: WarehouseDep,
    first: Annotated[int | None, Query(alias="from", description="First year (default 2002)")] = None,
    last: ToYear = None,
    fmt: Annotated[Format, Query(alias="format", description="json or csv (csv: the per-year rows)")] = Format.json,
) -> Response:
    """Per year: net ODA and the top donors, arms deliveries by supplier (TIV, a volume index, not US$), UN
    peace-operation spending in the country, U.S. security capacity and governance aid; ``support`` holds every
    donor's, supplier's and mission's row (source, donor, donor_type, year, kind, value, unit)."""
    country = store.country(warehouse, iso3)
    first_year = first if first is not None else donors.ODA_FIRST_YEAR
    last_year = last if last is not None else country.last_year
    if first_year > last_year:
        raise BadParameterError(f"from={first_year} is after to={last_year}; give from <= to")
    try:
        support = warehouse.donor_support(country.gwcode, first_year, last_year)
    except MissingTableError:
        raise UnavailableError("the warehouse has no support_by_donor table; rebuild it with "
                               "`coupwatch data build`") from None
    panel = warehouse.panel_rows([country.gwcode], first_year, last_year, PANEL_COLUMNS)
    rows = donors.country_donors(support, panel, [country.gwcode], first_year, last_year) if len(panel) else \
        panel.iloc[:0]
    if fmt is Format.csv:
        return _csv(rows, f"{country.iso3 or country.gwc}_donors")
    payload = {**country_payload(country), "first_year": first_year, "last_year": last_year, "notes": NOTES,
               "findings": donors.findings(support, country.gwcode, country.name, first_year, last_year),
               "rows": records(rows), "support": records(support.drop(columns="gwcode"))}
    return _json(DonorsResponse.model_validate(payload).model_dump_json())


# The panel columns the country page's donors charts read (coupwatch.report.charts.dashboard).
CHART_COLUMNS = ["arms_imports_tiv_m", *dashboard.SUPPLIER_SERIES, *dashboard.ODA_SERIES]
