"""Read-side queries on the warehouse shared by the CLI and the web API."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from coupwatch.errors import CoupwatchError
from coupwatch.store.build import WarehouseSource, connection
from coupwatch.suggest import unknown_columns_message

KEY_COLUMNS = ("gwcode", "year", "month", "iso3", "country")


def panel_rows(
    *,
    countries: Sequence[str] | None = None,
    first_year: int | None = None,
    last_year: int | None = None,
    columns: Sequence[str] | None = None,
    monthly: bool = False,
) -> pd.DataFrame:
    """Panel rows for some countries and years; unknown countries and columns fail with the valid choices."""
    table = "panel_country_month" if monthly else "panel_country_year"
    with connection() as con:
        available = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
        lo, hi = (int(v) for v in con.execute(f"SELECT min(year), max(year) FROM {table}").fetchall()[0])
        first = lo if first_year is None else first_year
        last = hi if last_year is None else last_year
        if first > last:
            raise CoupwatchError(f"--from {first} is after --to {last}")
        if last < lo or first > hi:
            raise CoupwatchError(f"years {first}-{last} are outside the panel's {lo}-{hi}")
        where = ["year BETWEEN ? AND ?"]
        params: list[object] = [first, last]
        if countries:
            states = WarehouseSource(con).states
            codes = [states.lookup(c) for c in countries]
            where.append(f"gwcode IN ({', '.join('?' for _ in codes)})")
            params.extend(codes)
        if columns:
            unknown = [c for c in columns if c not in available]
            if unknown:
                raise CoupwatchError(unknown_columns_message(
                    unknown, available, f"The panel has {len(available)} columns; leave out --columns to export "
                    "them all"))
            keys = [c for c in KEY_COLUMNS if c in available and c not in columns]
            chosen = ", ".join(f'"{c}"' for c in [*keys, *columns])
        else:
            chosen = "*"
        order = "gwcode, year, month" if monthly else "gwcode, year"
        return con.execute(f"SELECT {chosen} FROM {table} WHERE {' AND '.join(where)} ORDER BY {order}", params).df()
