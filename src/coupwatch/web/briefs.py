"""GET /api/briefs/{iso3}.html and .pdf: the country brief of ``coupwatch.report.brief``.

The brief module reads COUPWATCH_HOME itself, so a render runs with it pointed at the app's home, one render at
a time (briefs are heavy, WeasyPrint is not built for concurrent use, and the variable is process-wide). The
server stays read-only: briefs never compute and save a missing forecast here.
"""

from __future__ import annotations

import threading
from typing import Annotated

import duckdb
from fastapi import APIRouter, Depends, Path, Query
from fastapi.responses import Response

from coupwatch import config
from coupwatch.errors import CoupwatchError
from coupwatch.web.api import ERRORS
from coupwatch.web.deps import cursor, get_connection, get_store
from coupwatch.web.store import BadParameterError, Memo, NotFoundError, Store

router = APIRouter(prefix="/api/briefs", tags=["briefs"])

StoreDep = Annotated[Store, Depends(get_store)]
ConnectionDep = Annotated[duckdb.DuckDBPyConnection, Depends(get_connection)]
CodePath = Annotated[str, Path(description="ISO3 code, e.g. MLI", max_length=40)]
YearQuery = Annotated[int | None, Query(description="Brief year (default: the last year with observed coup data); "
                                                    "the forecast shown is for the year after")]
PeersQuery = Annotated[str | None, Query(description="Comma-separated ISO3 codes of peers (default: the country's "
                                                     "group or sub-region)", max_length=200)]

_render_lock = threading.Lock()
_rendered = Memo(size=48)


def _render(store: Store, con: duckdb.DuckDBPyConnection, iso3: str, year: int | None, peers: str | None,
            kind: str) -> bytes:
    from coupwatch.report import brief

    with cursor(con) as cur:
        country = store.country(cur, iso3)
        peer_codes = None
        if peers is not None:
            peer_codes = []
            for peer in (p.strip() for p in peers.split(",") if p.strip()):
                try:
                    peer_codes.append(store.country(cur, peer).code)
                except NotFoundError as exc:
                    raise BadParameterError(f"peers: {exc.detail}", allowed=exc.allowed) from None
    key = (kind, str(store.home), country.code, year, tuple(peer_codes) if peer_codes is not None else None,
           store.forecast_stamps())

    def render() -> bytes:
        with _render_lock, config.using_home(store.home):
            try:
                # A request never fits models: without a saved forecast the brief says so instead.
                if kind == "pdf":
                    return brief.render_brief_pdf(country.code, year, peer_codes, compute_forecast=False)
                return brief.render_brief_html(country.code, year, peer_codes, compute_forecast=False).encode("utf-8")
            except CoupwatchError as exc:
                # The brief speaks in CLI options; here they are query parameters.
                message = str(exc).replace("--year ", "year=").replace("--peers", "peers")
                raise BadParameterError(message) from None

    return _rendered.get(key, render)


@router.get("/{iso3}.html", responses={**ERRORS, 200: {"content": {"text/html": {}}}},
            summary="Country brief (HTML)", response_class=Response)
def brief_html(iso3: CodePath, store: StoreDep, con: ConnectionDep, year: YearQuery = None,
               peers: PeersQuery = None) -> Response:
    """The country brief as one self-contained HTML page (charts inline, nothing fetched)."""
    return Response(_render(store, con, iso3, year, peers, "html"), media_type="text/html; charset=utf-8")


@router.get("/{iso3}.pdf", responses={**ERRORS, 200: {"content": {"application/pdf": {}}}},
            summary="Country brief (PDF)", response_class=Response)
def brief_pdf(iso3: CodePath, store: StoreDep, con: ConnectionDep, year: YearQuery = None,
              peers: PeersQuery = None) -> Response:
    """The country brief as an A4 PDF."""
    body = _render(store, con, iso3, year, peers, "pdf")
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="brief-{iso3.upper()}.pdf"'})
