"""Dependencies: the app's store and its read-only warehouse (tests override ``get_warehouse``)."""

from __future__ import annotations

from fastapi import Request

from coupwatch.store.reader import Warehouse
from coupwatch.web.store import Store


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_warehouse(request: Request) -> Warehouse:
    """The app's shared read-only warehouse (each of its queries runs on its own cursor, so threads may share it)."""
    store: Store = request.app.state.store
    return store.warehouse()
