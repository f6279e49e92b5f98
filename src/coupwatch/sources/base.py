"""What every source adapter declares, and the shared helpers that keep parsing strict.

An adapter module declares one :class:`SourceSpec` per publisher release (publisher, version, official
URLs with pinned sha256, licence, BibTeX, coverage) and one :class:`Table` per tidy table it yields. Each
table's ``parse(path)`` is pure: it reads one file and returns a frame indexed by the row number in that file,
so validation errors can name the row a person would look at.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd
import pandera.pandas as pa
from pandera.errors import SchemaErrors

from coupwatch.errors import SourceFileError, plain

CodeSystem = Literal["gw", "cow", "iso3", "name", "polity", "vdem"]
TEXT_SUFFIXES = (".csv", ".txt", ".dat", ".tsv")


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
class Expected:
    """What the whole pinned file yields: checked on every build, also when a new release is accepted (a new
    version may differ in hash, not in being whole), so a file cut short fails instead of building.

    ``rows`` is the parsed table's row count for the pinned release; a release may have up to ``tolerance`` (a
    share) fewer rows, any number more. ``first_year`` and ``last_year`` are key years the ``year`` column must
    reach (a newer release may start earlier or end later). A text file whose release ends with a line break
    (``line_break_at_end``) and now does not was cut mid-line, even when the cut left the last row's field count
    intact.
    """

    rows: int
    first_year: int | None = None
    last_year: int | None = None
    tolerance: float = 0.05
    line_break_at_end: bool = True

    def problems(self, frame: pd.DataFrame, path: Path | None = None) -> list[str]:
        """What in ``frame`` (parsed from ``path``) falls short of the whole release (empty when it looks whole)."""
        found: list[str] = []
        if self.line_break_at_end and path is not None and path.suffix.lower() in TEXT_SUFFIXES:
            with path.open("rb") as handle:
                handle.seek(max(0, path.stat().st_size - 1))
                if handle.read(1) not in (b"\n", b"\r"):
                    found.append("its last line has no line break (the release's has)")
        least = int(self.rows * (1 - self.tolerance))
        if len(frame) < least:
            found.append(f"{len(frame):,} rows where the release has {self.rows:,} (at least {least:,} expected)")
        if (self.first_year is not None or self.last_year is not None) and "year" in frame.columns:
            years = pd.to_numeric(frame["year"], errors="coerce").dropna()
            first = int(years.min()) if len(years) else None
            last = int(years.max()) if len(years) else None
            if self.first_year is not None and (first is None or first > self.first_year):
                found.append(f"its years start in {first}, the release's in {self.first_year}")
            if self.last_year is not None and (last is None or last < self.last_year):
                found.append(f"its years end in {last}, the release's in {self.last_year}")
        return found


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
    expected: Expected | None = None

    @property
    def remote(self) -> RemoteFile:
        return self.source.file(self.filename)

    def check_whole(self, frame: pd.DataFrame, path: Path | None = None) -> None:
        """Fail when the file parsed from ``path`` falls short of :attr:`expected` (a truncated or partial file)."""
        problems = self.expected.problems(frame, path) if self.expected is not None else []
        if problems:
            raise SourceFileError(
                self.filename,
                f"the file looks cut short: {'; '.join(problems)}",
                fix=f"download the whole file again from {self.remote.url} (delete the cached or mirrored copy "
                "first); a new release must hold at least the pinned one's years",
            )


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
    last_row_complete: bool = True,
) -> pd.DataFrame:
    """Read a delimited file as strings, indexed by the line number in the file.

    Fails with a clear message when the file is empty or has no rows, a required column is missing or renamed,
    a line has more fields than the header, or (``last_row_complete``) the last line has fewer: a file cut short.
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
    require_rows(frame, path.name)
    frame.index = pd.RangeIndex(header_line + 1, header_line + 1 + len(frame), name="source_row")
    if last_row_complete:
        check_last_line(path, len(frame.columns), sep=sep, encoding=encoding, line=int(frame.index[-1]))
    return frame


def require_rows(frame: pd.DataFrame, file: str) -> None:
    """A file with a header and no rows is cut short (or an empty export), never a release."""
    if frame.empty:
        raise SourceFileError(file, "the file has a header but no rows",
                              fix="download it again (delete the cached copy); the publisher's file has rows")


def stripped_text(frame: pd.DataFrame, columns: Sequence[str]) -> pd.DataFrame:
    """Text columns stripped of surrounding spaces, with empty cells missing (None)."""
    out = frame.copy()
    for column in columns:
        text = out[column].astype("string").str.strip()
        out[column] = text.mask(text == "").astype(object)
    return out


def check_last_line(path: Path, fields: int, *, sep: str, encoding: str, line: int) -> None:
    """A file cut short mid-line ends with a row missing its trailing fields: pandas would fill them with NA."""
    if encoding.lower().replace("_", "-").startswith(("utf-16", "utf-32")):
        return  # a tail read from an arbitrary byte may split a character; such files are read whole elsewhere
    with path.open("rb") as handle:
        handle.seek(0, 2)
        size = handle.tell()
        handle.seek(max(0, size - 65536))
        tail = handle.read()
    lines = [text for text in tail.decode(encoding, errors="replace").splitlines() if text.strip()]
    if not lines:
        return
    last = lines[-1]
    got = len(next(csv.reader([last], delimiter=sep)))
    if got < fields:
        raise SourceFileError(
            path.name,
            f"the last row has {got} of the header's {fields} fields: the file is cut short",
            row=line,
            value=last[-80:],
            fix="download the whole file again (delete the cached or mirrored copy first)",
        )


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
    # Every bad cell of every column is collected, so one run shows all that needs correcting.
    bad_cells: list[tuple[object, str, object, str]] = []
    for column in columns:
        raw = out[column]
        text = raw.astype("string").str.strip()
        is_missing = raw.isna() | text.isin(missing_tokens)
        values = pd.to_numeric(text.where(~is_missing), errors="coerce")
        bad = values.isna() & ~is_missing
        bad_cells += [(label, column, raw.at[label], "expected a number") for label in raw.index[bad]]
        if integer:
            non_whole = values.notna() & (values != values.round())
            bad_cells += [(label, column, raw.at[label], "expected a whole number") for label in raw.index[non_whole]]
            out[column] = values.where(~non_whole).astype("Int64")
        else:
            out[column] = values.astype("float64")
    if bad_cells:
        label, column, value, problem = bad_cells[0]
        raise SourceFileError(
            file, f"{problem} ({len(bad_cells)} bad cell{'s' if len(bad_cells) > 1 else ''})",
            row=row_number(label), field=column, value=value,
            fix="correct or remove those cells, or download the publisher's original file again",
            more=[cell_problem(*cell) for cell in bad_cells[1:]],
        )
    return out


def cell_problem(label: object, column: object, value: object, problem: str) -> str:
    """One problem of a file as the error lists it: row, column, what was wrong and the value."""
    row = row_number(label)
    return f"{f'row {row}, ' if row is not None else ''}column {column!r}: {problem}, got {plain(value)}"


def check_unique(frame: pd.DataFrame, keys: Sequence[str], file: str) -> None:
    """Duplicate keys fail naming both rows and the key."""
    dup = frame.duplicated(subset=list(keys), keep=False)
    if dup.any():
        rows = frame.index[dup]
        first_key = frame.loc[rows[0], list(keys)].tolist()
        shown = ", ".join(f"{key}={plain(value)}" for key, value in zip(keys, first_key, strict=True))
        raise SourceFileError(
            file,
            f"duplicate key ({shown}) on rows "
            f"{', '.join(str(r) for r in rows[:6])}{' ...' if len(rows) > 6 else ''}",
            row=int(rows[0]),
            field="+".join(keys),
            fix="remove the duplicated row; the publisher's original file has one row per key",
        )


def validate(frame: pd.DataFrame, schema: pa.DataFrameSchema, file: str) -> pd.DataFrame:
    """Validate with pandera (all failures at once) and raise one error listing them (the first few, then a
    count)."""
    try:
        return schema.validate(frame, lazy=True)
    except SchemaErrors as exc:
        cases = exc.failure_cases
        found = []
        for case in cases.to_dict("records"):
            index = case.get("index")
            column = case.get("column")
            found.append((None if index is None or pd.isna(index) else index,
                          None if column is None or pd.isna(column) else str(column),
                          case.get("failure_case"), f"failed check {case.get('check')}"))
        label, column, value, problem = found[0]
        raise SourceFileError(
            file,
            f"{problem} ({len(cases)} failure{'s' if len(cases) > 1 else ''} in all)",
            row=row_number(label),
            field=column,
            value=value,
            fix="the file differs from the publisher's release this adapter expects; download it again",
            more=[cell_problem(*case) if case[1] is not None else f"{case[3]}, got {plain(case[2])}"
                  for case in found[1:]],
        ) from exc


def year_column(min_year: int = 1800, max_year: int = 2100, nullable: bool = False) -> pa.Column:
    return pa.Column("Int64", pa.Check.in_range(min_year, max_year), nullable=nullable)
