"""Reading helpers shared by the UCDP adapters (not an adapter itself: the registry skips ``_`` modules).

UCDP serves every dataset as a zip holding one CSV. Copies in circulation differ in layout only: the
separator (comma or semicolon after a spreadsheet re-save), the date format (ISO or d-m-yyyy) and line
breaks. These helpers read any of them into the same strings-only frame, indexed by the line number a
person sees in the CSV (header = line 1).
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Sequence
from pathlib import Path

import pandas as pd

from coupwatch.errors import SourceFileError
from coupwatch.sources.base import require_columns, require_rows, row_number

_CODE_SPLIT = re.compile(r"\s*,\s*")
_ISO_DATE = re.compile(r"^\d{4}-\d{1,2}-\d{1,2}$")
_DMY_DATE = re.compile(r"^\d{1,2}-\d{1,2}-\d{4}$")
# A re-save can collapse a run of empty/numeric fields into one comma-joined token such as ",710,".
_COLLAPSED_FIELDS = re.compile(r"^[\d,]*,[\d,]*$")


def _csv_text(path: Path) -> str:
    raw = path.read_bytes()
    if raw[:2] == b"PK":
        # The publisher's download is a zip with one CSV inside.
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            members = [n for n in archive.namelist() if n.lower().endswith(".csv")]
            if len(members) != 1:
                raise SourceFileError(
                    path.name,
                    f"expected one CSV inside the zip, found {members or archive.namelist()}",
                    fix="use the publisher's CSV download of this dataset",
                )
            raw = archive.read(members[0])
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise SourceFileError(
            path.name,
            f"not readable as UTF-8 at byte {exc.start}",
            fix="check that this is the publisher's original file",
        ) from None


def _stitch(first: list[str], second: list[str], width: int) -> list[str] | None:
    """Join a record broken by a line break inside a field, or return None when it is not one.

    The head line ends in empty fields (the tail of the record went to the next line) and the continuation
    line starts with an empty field and ends with surplus empty fields.
    """
    head = list(first)
    while head and head[-1] == "":
        head.pop()
    tail = list(second[1:])
    while tail and tail[-1] == "":
        tail.pop()
    fields = head + tail
    if len(fields) < width:
        expanded: list[str] = []
        for token in fields[len(head):]:
            expanded.extend(token.split(",") if _COLLAPSED_FIELDS.match(token) else [token])
        fields = head + expanded
    return fields if len(fields) == width else None


def read_ucdp_csv(path: Path, *, required: Sequence[str], repair_key: str) -> pd.DataFrame:
    """Read a UCDP CSV (plain or zipped, comma or semicolon separated) as strings, one row per record.

    ``repair_key`` names a column that is never empty in a complete record; a record where it is empty and
    whose next line starts with an empty field is a record broken over two lines and is stitched together.
    """
    text = _csv_text(path)
    first_line = text.split("\n", 1)[0]
    sep = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=sep)
    try:
        header = [h.strip() for h in next(reader)]
    except StopIteration:
        raise SourceFileError(path.name, "the file is empty", fix="download it again") from None
    frame_columns = pd.Index(header)
    require_columns(pd.DataFrame(columns=frame_columns), required, path.name)
    width = len(header)
    key_at = header.index(repair_key)
    records: list[list[str | None]] = []
    lines: list[int] = []
    start = 2
    pending: tuple[int, list[str]] | None = None
    for fields in reader:
        line = start
        start = reader.line_num + 1
        if not fields:
            continue
        if pending is not None:
            pending_line, head = pending
            pending = None
            stitched = _stitch(head, fields, width) if fields[0] == "" else None
            if stitched is None:
                raise SourceFileError(
                    path.name,
                    "record broken over two lines and cannot be joined",
                    row=pending_line,
                    field=repair_key,
                    value=sep.join(head),
                    fix="download the publisher's original file again",
                )
            records.append([f.strip() or None for f in stitched])
            lines.append(pending_line)
            continue
        if len(fields) != width:
            raise SourceFileError(
                path.name,
                f"expected {width} fields, found {len(fields)} (truncated or malformed line)",
                row=line,
                value=sep.join(fields)[:120],
                fix="download the publisher's original file again",
            )
        if fields[key_at] == "" and all(f == "" for f in fields[key_at:]):
            pending = (line, fields)
            continue
        records.append([f.strip() or None for f in fields])
        lines.append(line)
    if pending is not None:
        raise SourceFileError(
            path.name,
            "the last record is incomplete (truncated file)",
            row=pending[0],
            field=repair_key,
            value="",
            fix="download the publisher's original file again",
        )
    frame = pd.DataFrame(records, columns=header, dtype=object)
    require_rows(frame, path.name)
    frame.index = pd.Index(lines, name="source_row")
    return frame


def dates(frame: pd.DataFrame, columns: Sequence[str], file: str) -> pd.DataFrame:
    """Parse ISO (yyyy-mm-dd) or day-first (d-m-yyyy) dates; anything else fails naming row and value."""
    out = frame.copy()
    for column in columns:
        text = out[column].astype("string").str.strip()
        iso = text.str.match(_ISO_DATE.pattern).fillna(False).astype(bool)
        dmy = text.str.match(_DMY_DATE.pattern).fillna(False).astype(bool)
        bad = text.notna() & ~iso & ~dmy
        parsed = pd.Series(pd.NaT, index=out.index, dtype="datetime64[ns]")
        if iso.any():
            parsed[iso] = pd.to_datetime(text[iso], format="%Y-%m-%d", errors="coerce")
        if dmy.any():
            parsed[dmy] = pd.to_datetime(text[dmy], format="%d-%m-%Y", errors="coerce")
        bad |= text.notna() & parsed.isna()
        if bad.any():
            first = bad.idxmax()
            raise SourceFileError(
                file,
                "expected a date (yyyy-mm-dd or d-m-yyyy)",
                row=row_number(first),
                field=column,
                value=out.at[first, column],
                fix="correct that cell, or download the publisher's original file again",
            )
        out[column] = parsed
    return out


def explode_codes(
    frame: pd.DataFrame, column: str, keep: Sequence[str], file: str, *, code_name: str = "gwcode"
) -> pd.DataFrame:
    """One row per code in a comma-separated code list (e.g. gwno_loc "651, 666"), keeping ``keep``.

    ``n_locations`` says how many codes the source row lists.
    """
    present = frame[frame[column].notna()]
    codes = present[column].astype(str).str.strip().str.split(_CODE_SPLIT)
    long = present[list(keep)].assign(**{code_name: codes}).explode(code_name)
    long[code_name] = long[code_name].astype("string").str.strip()
    bad = ~long[code_name].str.fullmatch(r"\d{1,4}").fillna(False).astype(bool)
    if bad.any():
        first = int(bad.to_numpy().argmax())
        row = long.index[first]
        raise SourceFileError(
            file,
            "expected a comma-separated list of numeric country codes",
            row=int(row),
            field=column,
            value=frame.loc[row, column],
            fix="correct that cell, or download the publisher's original file again",
        )
    long[code_name] = long[code_name].astype(int).astype("Int64")
    long["n_locations"] = long.groupby(level=0).size().reindex(long.index).astype("Int64").to_numpy()
    return long


def code_set(cell: object) -> set[int]:
    """The codes of a comma-separated code list cell (empty for a missing cell)."""
    if not isinstance(cell, str):
        return set()
    return {int(c) for c in _CODE_SPLIT.split(cell.strip()) if c}
