"""`coupwatch serve`: the dashboard and REST API."""

from __future__ import annotations

from typing import Annotated

import typer

from coupwatch import config
from coupwatch.cli.console import console, err_console, fail
from coupwatch.errors import CoupwatchError


def serve_command(
    host: Annotated[str, typer.Option(help="Address to bind; 127.0.0.1 keeps it on this machine")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="Port to listen on", min=1, max=65535)] = 8000,
    workers: Annotated[int, typer.Option(help="Worker processes", min=1, max=64)] = 1,
    allowed_host: Annotated[list[str] | None, typer.Option(
        help="A host name browsers use to reach the server (repeatable; '*' for any). localhost, 127.0.0.1, ::1 "
             "and the --host address are always allowed; other Host headers get 400")] = None,
) -> None:
    """The dashboard and REST API on the local warehouse, saved backtest and saved forecast (read-only)."""
    import uvicorn

    from coupwatch.web.guards import serve_hosts
    from coupwatch.web.store import Store, forecast_missing_message

    store = Store(config.home())
    if not store.warehouse_path.is_file():
        fail(CoupwatchError(f"{store.warehouse_path}: no warehouse yet. Fix: run `coupwatch data build` first"))
    if not store.forecast_files():
        err_console.print(f"[yellow]note:[/] {forecast_missing_message(store.forecast_folder)}", highlight=False,
                          soft_wrap=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]note:[/] binding to {host}: the dashboard is reachable from other machines",
                          highlight=False)
    console.print(f"coupwatch on http://{host}:{port}/ (API docs at /docs); COUPWATCH_HOME={store.home}",
                  highlight=False)
    serve_hosts(host, allowed_host or [])  # read by create_app in every worker
    uvicorn.run("coupwatch.web:create_app", factory=True, host=host, port=port, workers=workers,
                log_level="warning", access_log=False)

