"""Dependencies: the app's store and its read-only warehouse (tests override ``get_warehouse``)."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from coupwatch.store.reader import Warehouse
from coupwatch.web.store import Store


async def get_store(request: Request) -> Store:
    store: Store = request.app.state.store
    return store


async def get_warehouse(request: Request) -> Warehouse:
    """The app's shared read-only warehouse (each of its queries runs on its own cursor, so threads may share it)."""
    store: Store = request.app.state.store
    return store.warehouse()


# The parameters every router declares the same way.
StoreDep = Annotated[Store, Depends(get_store)]
WarehouseDep = Annotated[Warehouse, Depends(get_warehouse)]
