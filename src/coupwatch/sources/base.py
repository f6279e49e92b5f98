"""What every source adapter declares, and the shared helpers that keep parsing strict.

An adapter module declares one :class:`SourceSpec` per publisher release (publisher, version, official
URLs with pinned sha256, licence, BibTeX, coverage) and one :class:`Table` per tidy table it yields. Each
table's ``parse(path)`` is pure: it reads one file and returns a frame indexed by the row number in that file,
so validation errors can name the row a person would look at.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from coupwatch.errors import SourceFileError

CodeSystem = Literal["gw", "cow", "iso3", "name", "polity", "vdem"]


@dataclass(frozen=True)
class RemoteFile:
    """One file as the publisher serves it, and the name it has in the mirror folder."""

    filename: str
    url: str
    sha256: str
    note: str = ""


@dataclass(frozen=True)
class SourceSpec:
    """A publisher's release: where it comes from, which version, on what terms, how to cite it."""

    name: str
    folder: str
    title: str
    publisher: str
    version: str
    files: tuple[RemoteFile, ...]
    licence: str
    citation: str
    coverage: str
    homepage: str

    def file(self, filename: str) -> RemoteFile:
        for remote in self.files:
            if remote.filename == filename:
                return remote
        known = ", ".join(f.filename for f in self.files)
        raise KeyError(f"{self.name} has no file {filename!r}; it has: {known}")


@dataclass(frozen=True)
class CountryKey:
    """How a table identifies countries: the code system, the column, and the year column for dated codes."""

    system: CodeSystem
    column: str
    year_column: str | None = "year"
    # Rows whose code is empty (e.g. former states without an ISO code) are matched by this name column.
    fallback_name_column: str | None = None


@dataclass(frozen=True)
class Table:
    """One tidy table in the warehouse, parsed from one file of a source."""

    name: str
    source: SourceSpec
    filename: str
    parse: Callable[[Path], pd.DataFrame]
    description: str
    country: CountryKey | None = None
    unique: tuple[str, ...] = field(default_factory=tuple)

    @property
    def remote(self) -> RemoteFile:
        return self.source.file(self.filename)


# ---------------------------------------------------------------------------------------------------------
# Strict reading helpers
# ---------------------------------------------------------------------------------------------------------

def read_text_table(
    path: Path,
    *,
    required: Sequence[str],
    sep: str = ",",
    encoding: str = "utf-8",
    header_line: int = 1,
    na_values: Iterable[str] = ("", "NA"),
) -> pd.DataFrame:
    """Read a delimited file as strings, indexed by the line number in the file.

    Fails with a clear message when the file is empty, a required column is missing or renamed, or a line
    has more fields than the header.
    """
    try:
        frame = pd.read_csv(
            path,
            sep=sep,
            encoding=encoding,
            dtype=str,
            keep_default_na=False,
            na_values=list(na_values),
            skiprows=header_line - 1,
        )
    except pd.errors.EmptyDataError:
        raise SourceFileError(
            path.name, "the file is empty", fix="download it again (delete the cached copy)"
        ) from None
    except pd.errors.ParserError as exc:
        raise SourceFileError(
            path.name,
            f"the file is malformed or truncated ({exc})",
            fix="download it again; if it persists the publisher changed the format",
        ) from None
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            path.name,
            f"not readable as {encoding} at byte {exc.start}",
            fix="check that this is the publisher's original file",
        ) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    require_columns(frame, required, path.name)
    frame.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(frame), name="source_row")
    return frame


def stripped_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Text columns stripped of surrounding spaces, with empty cells missing (None)."""
    out = frame.copy()
    for column in columns:
        text = out[column].astype("string").str.strip()
        out[column] = text.mask(text == "").astype(object)
    return out


def row_number(label: object) -> int | None:
    """An index label as the row number an error reports (readers label rows by their line), else None."""
    return int(label) if isinstance(label, (int, np.integer)) else None


def require_columns(frame: pd.DataFrame, required: Sequence[str], file: str) -> None:
    missing = [c for c in required if c not in frame.columns]
    if missing:
        found = ", ".join(map(str, frame.columns[:40]))
        raise SourceFileError(
            file,
            f"missing column(s) {', '.join(repr(m) for m in missing)} (columns found: {found})",
            fix="the publisher renamed or dropped columns; use the release this version of coupwatch pins "
            "or update the adapter",
        )


def numeric(
    frame: pd.DataFrame,
    columns: Sequence[str],
    file: str,
    *,
    missing: Iterable[str] = ("", "NA", "NaN", "nan"),
    integer: bool = False,
) -> pd.DataFrame:
    """Convert columns to numbers; any other text fails naming the first bad row, field and value."""
    out = frame.copy()
    missing_tokens = set(missing)
    for column in columns:
        raw = out[column]
        text = raw.astype("string").str.strip()
        is_missing = raw.isna() | text.isin(missing_tokens)
        values = pd.to_numeric(text.where(~is_missing), errors="coerce")
        bad = values.isna() & ~is_missing
        if bad.any():
            first = bad.idxmax()
            count = int(bad.sum())
            raise SourceFileError(
                file,
                f"expected a number ({count} bad cell{'s' if count > 1 else ''})",
                row=row_number(first),
                field=column,
                value=raw.at[first],
                fix="correct or remove that cell, or download the publisher's original file again",
            )
        if integer:
            non_whole = values.notna() & (values != values.round())
            if non_whole.any():
                first = non_whole.idxmax()
                raise SourceFileError(
                    file,
                    "expected a whole number",
                    row=row_number(first),
                    field=column,
                    value=raw.at[first],
                    fix="correct that cell",
                )
            out[column] = values.astype("Int64")
        else:
            out[column] = values.astype("float64")
    return out


def check_unique(frame: pd.DataFrame, keys: Sequence[str], file: str) -> None:
    """Duplicate keys fail naming both rows and the key."""
    dup = frame.duplicated(subset=list(keys), keep=False)
    if dup.any():
        rows = frame.index[dup]
        first_key = frame.loc[rows[0], list(keys)].tolist()
        raise SourceFileError(
            file,
            f"duplicate key {dict(zip(keys, first_key, strict=True))} on rows "
            f"{', '.join(str(r) for r in rows[:6])}{' ...' if len(rows) > 6 else ''}",
            row=int(rows[0]),
            field="+".join(keys),
            fix="remove the duplicated row; the publisher's original file has one row per key",
        )


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str) -> pd.DataFrame:
    """Validate with pandera (all failures at once) and raise one error naming the first failure."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        first = cases.iloc[0]
        index = first.get("index")
        row = int(index) if index is not None and not pd.isna(index) else None
        column = first.get("column")
        check = str(first.get("check"))
        raise SourceFileError(
            file,
            f"failed check {check} ({len(cases)} failure{'s' if len(cases) > 1 else ''} in all)",
            row=row,
            field=None if column is None or pd.isna(column) else str(column),
            value=first.get("failure_case"),
            fix="the file differs from the publisher's release this adapter expects; download it again",
        ) from exc


def year_column(min_year: int = 1800, max_year: int = 2100, nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.in_range(min_year, max_year), nullable=nullable)
