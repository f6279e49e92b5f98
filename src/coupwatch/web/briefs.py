"""GET /api/briefs/{iso3}.html and .pdf: the country brief of ``coupwatch.report.brief``.

Briefs are rendered in worker processes behind a bounded queue (:mod:`coupwatch.web.render_queue`): a busy
server answers 503 with Retry-After instead of piling up renders. The server stays read-only: briefs never
compute and save a missing forecast here.
"""

from __future__ import annotations

import asyncio
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from coupwatch import config
from coupwatch.errors import CoupwatchError
from coupwatch.store.reader import Warehouse
from coupwatch.web.api import ERRORS
from coupwatch.web.deps import StoreDep, WarehouseDep
from coupwatch.web.render_queue import RenderQueue
from coupwatch.web.store import BadParameterError, NotFoundError, Store

router = APIRouter(prefix="/api/briefs", tags=["briefs"])

CodePath = Annotated[str, Path(description="ISO3 code, e.g. MLI", max_length=40)]
YearQuery = Annotated[int | None, Query(description="Brief year (default: the last year with observed coup data); "
                                                    "the forecast shown is for the year after")]
PeersQuery = Annotated[str | None, Query(description="Comma-separated ISO3 codes of peers (default: the country's "
                                                     "group or sub-region)", max_length=200)]
BRIEF_ERRORS = {**ERRORS, 503: {**ERRORS[503], "description": "The warehouse, backtest or forecast has not been "
                                "built yet, or every brief renderer is busy and the queue is full (see Retry-After)"}}


def render_brief(home: str, kind: str, code: str, year: int | None, peers: list[str] | None
                 ) -> tuple[bytes | None, str | None]:
    """In a render process: the brief's bytes, or the message of the error that refused it."""
    from pathlib import Path as FilePath

    from coupwatch.report import brief

    with config.using_home(FilePath(home)):
        try:
            # A request never fits models: without a saved forecast the brief says so instead.
            if kind == "pdf":
                return brief.render_brief_pdf(code, year, peers, compute_forecast=False), None
            return brief.render_brief_html(code, year, peers, compute_forecast=False).encode("utf-8"), None
        except CoupwatchError as exc:
            return None, str(exc)


def _job(store: Store, warehouse: Warehouse, iso3: str, year: int | None, peers: str | None,
         kind: str) -> tuple[tuple[object, ...], tuple[str, str, str, int | None, list[str] | None]]:
    """The render's key and arguments; unknown countries and peers are refused here, before any queueing."""
    country = store.country(warehouse, iso3)
    peer_codes = None
    if peers is not None:
        peer_codes = []
        for peer in (p.strip() for p in peers.split(",") if p.strip()):
            try:
                peer_codes.append(store.country(warehouse, peer).code)
            except NotFoundError as exc:
                raise BadParameterError(f"peers: {exc.detail}", allowed=exc.allowed) from None
    key = (kind, str(store.home), country.code, year, tuple(peer_codes) if peer_codes is not None else None,
           store.forecast_stamps())
    return key, (str(store.home), kind, country.code, year, peer_codes)


async def _render(request: Request, store: Store, warehouse: Warehouse, iso3: str, year: int | None,
                  peers: str | None, kind: str) -> bytes:
    key, arguments = await run_in_threadpool(_job, store, warehouse, iso3, year, peers, kind)
    queue: RenderQueue = request.app.state.render_queue
    # Shielded: a client that hangs up must not cancel a render other requests share.
    body, error = await asyncio.shield(asyncio.wrap_future(queue.submit(key, render_brief, *arguments)))
    if error is not None:
        # The brief speaks in CLI options; here they are query parameters.
        raise BadParameterError(error.replace("--year ", "year=").replace("--peers", "peers"))
    return body or b""


@router.get("/{iso3}.html", responses={**BRIEF_ERRORS, 200: {"content": {"text/html": {}}}},
            summary="Country brief (HTML)", response_class=Response)
async def brief_html(request: Request, iso3: CodePath, store: StoreDep, warehouse: WarehouseDep, year: YearQuery = None,
                     peers: PeersQuery = None) -> Response:
    """The country brief as one self-contained HTML page (charts inline, nothing fetched)."""
    body = await _render(request, store, warehouse, iso3, year, peers, "html")
    return Response(body, media_type="text/html; charset=utf-8")


@router.get("/{iso3}.pdf", responses={**BRIEF_ERRORS, 200: {"content": {"application/pdf": {}}}},
            summary="Country brief (PDF)", response_class=Response)
async def brief_pdf(request: Request, iso3: CodePath, store: StoreDep, warehouse: WarehouseDep, year: YearQuery = None,
                    peers: PeersQuery = None) -> Response:
    """The country brief as an A4 PDF. Renders run a few at a time; when the queue is full the answer is 503
    with a Retry-After header."""
    body = await _render(request, store, warehouse, iso3, year, peers, "pdf")
    return Response(body, media_type="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="brief-{iso3.upper()}.pdf"'})
