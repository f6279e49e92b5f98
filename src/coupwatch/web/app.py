"""The FastAPI app: REST API, dashboard pages and offline API docs on the local warehouse.

``create_app(home)`` reads the warehouse, the saved backtest and the saved forecasts from ``home`` (default
``COUPWATCH_HOME``). It never writes there, enables no CORS, sends a Content-Security-Policy that only
allows this server as a source, and loads nothing from the internet.
"""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from coupwatch import config
from coupwatch.errors import CoupwatchError, WarehouseMissingError
from coupwatch.store.outputs import OutputError
from coupwatch.store.reader import WarehouseReadError
from coupwatch.web import api, assets, openapi, pages
from coupwatch.web.guards import MAX_BODY_BYTES, BodyLimit, TrustedHosts, allowed_hosts, echo, shorten
from coupwatch.web.render_queue import RenderQueue
from coupwatch.web.store import Store, WebError

log = logging.getLogger("coupwatch.web")

# Vega compiles expressions with Function(); styles are injected by vega-embed and Swagger UI.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self' 'unsafe-eval'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data: blob:; font-src 'self' data:; connect-src 'self'; object-src 'none'; "
    "base-uri 'none'; frame-ancestors 'none'; form-action 'self'"
)
SECURITY_HEADERS = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
]


class SecurityHeaders:
    """Adds the security headers to every response (plain ASGI: cheaper than BaseHTTPMiddleware)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = [*message.get("headers", []), *SECURITY_HEADERS]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def wants_html(request: Request) -> bool:
    path = request.url.path
    return not (path.startswith("/api") or path in ("/healthz", "/openapi.json") or path.startswith("/assets"))


def _error_response(request: Request, status: int, detail: str, allowed: list[str] | None = None,
                    errors: list[dict[str, Any]] | None = None, headers: Mapping[str, str] | None = None
                    ) -> Response:
    if wants_html(request):
        return HTMLResponse(pages.render_error(request, status, detail, allowed), status_code=status,
                            headers=headers)
    body: dict[str, Any] = {"detail": detail}
    if allowed is not None:
        body["allowed"] = allowed
    if errors is not None:
        body["errors"] = errors
    return JSONResponse(body, status_code=status, headers=headers)


# An error reply lists this many problems at most: a body full of mistakes must not make a reply as big as itself.
MAX_LISTED_ERRORS = 10


def _describe_validation(exc: RequestValidationError) -> tuple[str, list[dict[str, Any]]]:
    problems = list(exc.errors())
    if len(problems) == 1 and problems[0].get("type") == "json_invalid" and isinstance(exc.body, str):
        position = problems[0]["loc"][-1]
        decoding = json.JSONDecodeError(str(problems[0].get("ctx", {}).get("error", "invalid")), exc.body,
                                        position if isinstance(position, int) else 0)
        detail = f"the body is not valid JSON: {decoding.msg} at line {decoding.lineno} column {decoding.colno}"
        return detail, [{"location": "body", "message": detail, "received": None}]
    parts: list[str] = []
    errors: list[dict[str, Any]] = []
    for error in problems[:MAX_LISTED_ERRORS]:
        location = [shorten(str(p), 40) for p in error.get("loc", ())]
        where = f"{location[0]} parameter {'.'.join(location[1:])!r}" if len(location) > 1 else ".".join(location)
        shown = echo(error.get("input"))
        message = str(error.get("msg", "invalid"))
        parts.append(f"{where}: {message} (got {shown!r})")
        errors.append({"location": ".".join(location), "message": message, "received": shown})
    if len(problems) > MAX_LISTED_ERRORS:
        parts.append(f"and {len(problems) - MAX_LISTED_ERRORS} more")
    return "; ".join(parts) or "the request is invalid", errors


def add_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(WebError)
    async def web_error(request: Request, exc: WebError) -> Response:
        return _error_response(request, exc.status, exc.detail, exc.allowed, headers=exc.headers)

    @app.exception_handler(WarehouseMissingError)
    async def no_warehouse(request: Request, exc: WarehouseMissingError) -> Response:
        return _error_response(request, 503, str(exc))

    @app.exception_handler(WarehouseReadError)
    async def unreadable_warehouse(request: Request, exc: WarehouseReadError) -> Response:
        return _error_response(request, 503, str(exc))

    @app.exception_handler(OutputError)
    async def damaged_output(request: Request, exc: OutputError) -> Response:
        # A saved output that is damaged or missing: the server works, the output must be made again.
        return _error_response(request, 503, str(exc))

    @app.exception_handler(CoupwatchError)
    async def coupwatch_error(request: Request, exc: CoupwatchError) -> Response:
        return _error_response(request, 422, str(exc))

    @app.exception_handler(RequestValidationError)
    async def invalid_request(request: Request, exc: RequestValidationError) -> Response:
        detail, errors = _describe_validation(exc)
        return _error_response(request, 422, detail, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        path = shorten(request.url.path)
        headers = dict(exc.headers or {})
        if exc.status_code == 404:
            detail = f"no page or endpoint at {path!r}. The dashboard is at /, the API under /api (see /docs)"
        elif exc.status_code == 405:
            allowed = headers.setdefault("Allow", "GET")
            detail = (f"{shorten(request.method, 20)} is not allowed on {path!r}; allowed: {allowed} (the server "
                      "only reads: the one POST computes what-if scenarios at /api/scenarios)")
        elif isinstance(exc.__cause__, UnicodeDecodeError):
            # FastAPI answers a body it cannot decode with a bare 400; it is a body that is not JSON.
            cause = exc.__cause__
            detail = (f"the body is not valid JSON: it is not UTF-8 text (byte 0x{cause.object[cause.start]:02x} at "
                      f"position {cause.start})")
            return _error_response(request, 422, detail, headers=headers)
        else:
            detail = str(exc.detail)
        return _error_response(request, exc.status_code, detail, headers=headers)


def _warm(store: Store) -> None:
    """Fill the caches a first visitor would otherwise wait for (the vega bundle takes seconds to build)."""
    try:
        pages.world_map(store)
        if store.forecast_files():
            api.watchlist_json(store, store.warehouse(), None, None, None)
        assets.vega_bundle()
    except Exception:  # a failed warm-up only means the first request does the work
        log.exception("warming the caches failed")


def create_app(home: Path | None = None, *, warm: bool = True, hosts: Sequence[str] = (),
               max_body: int = MAX_BODY_BYTES) -> FastAPI:
    """The coupwatch web app on ``home`` (default ``COUPWATCH_HOME``).

    Parameters
    ----------
    home
        Folder with ``warehouse.duckdb``, ``backtest/`` and ``forecasts/``.
    warm
        Build the vega bundle and map shapes in a background thread at start-up.
    hosts
        Host names answered besides localhost, 127.0.0.1, ::1, testserver and those in COUPWATCH_ALLOWED_HOSTS
        (``*`` for any); other Host headers get 400.
    max_body
        Largest request body in bytes; a bigger one gets 413.
    """
    store = Store(Path(home) if home is not None else config.home())
    render_queue = RenderQueue()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if warm:
            threading.Thread(target=_warm, args=(store,), name="coupwatch-warm", daemon=True).start()
        yield
        render_queue.close()
        store.close()

    app = FastAPI(
        title="coupwatch",
        summary="Coup risk, security assistance and governance from the publishers' own data",
        description=(
            "Read-only API on the local coupwatch warehouse, the saved backtest and the saved forecasts. "
            "Forecasts are modelled associations, not proven causes. Errors say what was wrong and what is "
            "allowed (`detail`, `allowed`)."
        ),
        version=_version(),
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        lifespan=lifespan,
    )
    app.state.store = store
    app.state.render_queue = render_queue
    app.include_router(api.router)
    app.include_router(api.health_router)
    from coupwatch.web import briefs, donors, scenarios

    app.include_router(briefs.router)
    app.include_router(donors.router)

    app.include_router(scenarios.router)
    app.include_router(pages.router)
    app.include_router(assets.router)
    add_error_handlers(app)
    openapi.install(app, store)
    app.add_middleware(BodyLimit, limit=max_body)
    app.add_middleware(TrustedHosts, hosts=allowed_hosts(hosts))
    app.add_middleware(SecurityHeaders)
    return app


def _version() -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("coupwatch")
    except PackageNotFoundError:
        return "0"
