"""Known errors in publishers' files, corrected at build with a reason and a citation, and reported.

A correction is written for one table of one release (the source's version): a publisher's later release may
fix the error or move the row, so a correction never reaches a release it was not checked against.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from importlib import resources
from typing import Protocol, cast

import pandas as pd

from coupwatch.errors import CoupwatchError

CORRECTIONS_FILE = "src/coupwatch/data/corrections.csv"


@dataclass(frozen=True)
class Correction:
    table: str
    release: str
    match: dict[str, str]
    column: str
    old_value: str
    new_value: str
    reason: str
    citation: str


class _CorrectionRow(Protocol):
    """A row of corrections.csv from ``itertuples``: the file is read with ``dtype=str``, so every cell is text."""

    table: str
    release: str
    match: str
    column: str
    old_value: str
    new_value: str
    reason: str
    citation: str


def load_corrections() -> list[Correction]:
    with resources.files("coupwatch.data").joinpath("corrections.csv").open("r", encoding="utf-8") as handle:
        frame = pd.read_csv(handle, dtype=str, keep_default_na=False)
    out = []
    rows = cast("Iterator[_CorrectionRow]", frame.itertuples())
    for number, row in enumerate(rows, start=2):
        try:
            match = dict(part.split("=", 1) for part in row.match.split(";") if part)
        except ValueError:
            raise CoupwatchError(
                f"{CORRECTIONS_FILE} row {number}, column 'match': expected column=value pairs joined by ';', "
                f"got {row.match!r}"
            ) from None
        if not row.release.strip():
            raise CoupwatchError(
                f"{CORRECTIONS_FILE} row {number}, column 'release': empty; name the source version the correction "
                "was checked against (e.g. V2023.09.08)"
            )
        if not row.reason.strip() or not row.citation.strip():
            raise CoupwatchError(f"{CORRECTIONS_FILE} row {number}: every correction needs a reason and a citation")
        out.append(
            Correction(row.table, row.release, match, row.column, row.old_value, row.new_value, row.reason,
                       row.citation)
        )
    return out


def _same(series: pd.Series, text: str) -> pd.Series:
    numeric = pd.to_numeric(pd.Series([text]), errors="coerce").iloc[0]
    if pd.notna(numeric) and pd.api.types.is_numeric_dtype(series):
        return series == numeric
    return series.astype("string") == text


def apply_corrections(
    table: str, frame: pd.DataFrame, corrections: list[Correction], release: str
) -> tuple[pd.DataFrame, list[dict[str, object]]]:
    """Apply the corrections for ``table`` in ``release``; return the frame and one report row per correction.

    A correction that matches no row is reported as not applied (the publisher may have fixed it) rather
    than silently skipped; one written for another release of the table is reported as not applied either.
    """
    out = frame
    report: list[dict[str, object]] = []
    for fix in corrections:
        if fix.table != table:
            continue
        if fix.release != release:
            report.append(_report_row(table, fix, 0, f"not applied: written for release {fix.release}, the table "
                                                     f"is release {release}"))
            continue
        mask = pd.Series(True, index=out.index)
        for column, value in fix.match.items():
            if column not in out.columns:
                raise CoupwatchError(
                    f"{CORRECTIONS_FILE}: correction for {table} matches on column {column!r}, which the table "
                    f"does not have (columns: {', '.join(out.columns)})"
                )
            mask &= _same(out[column], value)
        mask &= _same(out[fix.column], fix.old_value)
        rows = int(mask.sum())
        if rows:
            out = out.copy()
            new = pd.Series([fix.new_value]).astype(out[fix.column].dtype).iloc[0]
            out.loc[mask, fix.column] = new
        report.append(_report_row(table, fix, rows, "applied" if rows else "not applied: no matching row"))
    return out, report


def _report_row(table: str, fix: Correction, rows: int, status: str) -> dict[str, object]:
    return {
        "table": table,
        "release": fix.release,
        "match": ";".join(f"{k}={v}" for k, v in fix.match.items()),
        "column": fix.column,
        "old_value": fix.old_value,
        "new_value": fix.new_value,
        "rows_changed": rows,
        "status": status,
        "reason": fix.reason,
        "citation": fix.citation,
    }
