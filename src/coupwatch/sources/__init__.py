"""Source adapters: one module per publisher's dataset, discovered automatically.

Every module here (except ``base``) exposes ``TABLES``: a tuple of :class:`~coupwatch.sources.base.Table`.
"""

from __future__ import annotations

import importlib
import pkgutil
from functools import cache

from coupwatch.sources.base import SourceSpec, Table

_NOT_ADAPTERS = {"base"}


@cache
def all_tables() -> tuple[Table, ...]:
    """Every table of every adapter, in a stable order (module name, then declaration)."""
    tables: list[Table] = []
    for info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if info.name.startswith("_") or info.name in _NOT_ADAPTERS:
            continue
        module = importlib.import_module(f"{__name__}.{info.name}")
        tables.extend(getattr(module, "TABLES", ()))
    names = [t.name for t in tables]
    duplicated = {n for n in names if names.count(n) > 1}
    if duplicated:
        raise RuntimeError(f"table names declared twice: {sorted(duplicated)}")
    return tuple(tables)


def all_sources() -> tuple[SourceSpec, ...]:
    """Every source release, once, in table order."""
    seen: dict[str, SourceSpec] = {}
    for table in all_tables():
        seen.setdefault(table.source.name, table.source)
    return tuple(seen.values())


def table(name: str) -> Table:
    for candidate in all_tables():
        if candidate.name == name:
            return candidate
    known = ", ".join(t.name for t in all_tables())
    raise KeyError(f"no source table {name!r}; known tables: {known}")
