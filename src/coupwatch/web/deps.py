"""Dependencies: the app's store and its read-only DuckDB connection (tests override ``get_connection``)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import duckdb
from fastapi import Request

from coupwatch.web.store import Store


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_connection(request: Request) -> duckdb.DuckDBPyConnection:
    """The app's shared read-only warehouse connection; handlers query through a cursor of it."""
    store: Store = request.app.state.store
    return store.connection()


@contextmanager
def cursor(con: duckdb.DuckDBPyConnection) -> Iterator[duckdb.DuckDBPyConnection]:
    """A cursor of the shared connection: DuckDB connections must not be shared between threads."""
    cur = con.cursor()
    try:
        yield cur
    finally:
        cur.close()
