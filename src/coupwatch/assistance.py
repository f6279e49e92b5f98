"""Security capacity versus governance: classify U.S. assistance lines and split amounts over categories.

The classification is data, not code: ``coupwatch/data/assistance_classification.csv`` has one row per
(source, line, category) with the share of that line's money the category gets and the reason. A line the
publisher mixes (INCLE, NADR, the SSR sector ...) carries several rows whose shares sum to 1. Users can
replace any line's split with their own file; results record which file each split came from, so a number
can always be traced to the assumption behind it.

Pure core: frames in, frames out. The only file read is the packaged table (and an override file if given).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from importlib import resources
from importlib.abc import Traversable
from io import StringIO
from pathlib import Path

import pandas as pd

from coupwatch.errors import CoupwatchError

CATEGORIES = (
    "security_capacity",
    "security_governance",
    "democracy_governance",
    "conflict_mitigation",
    "other_development",
    "humanitarian",
)
COLUMNS = ("source", "line", "category", "share", "reason")
PACKAGED_NAME = "assistance_classification.csv"
_TOLERANCE = 1e-9


class ClassificationError(CoupwatchError):
    """The classification file is invalid, or data hold a line the classification does not know."""


@dataclass(frozen=True, eq=False)
class Classification:
    """The classification table and the file(s) it came from.

    ``table`` has the columns source, line, category, share, reason and ``file`` (the file each row came
    from); ``files`` lists the packaged file first, then the override if any; ``overridden`` the
    (source, line) groups the override replaced or added.
    """

    table: pd.DataFrame
    files: tuple[str, ...]
    overridden: tuple[tuple[str, str], ...] = ()

    def describe(self) -> str:
        text = "assistance classification: " + " + override ".join(self.files)
        if self.overridden:
            text += f" ({len(self.overridden)} line(s) overridden)"
        return text


def _packaged() -> Traversable:
    return resources.files("coupwatch") / "data" / PACKAGED_NAME


def packaged_path() -> str:
    """Where the packaged classification lives (for messages: this is the file to edit or override)."""
    return str(_packaged())


def _fail(file: str, problem: str, *, row: int | None = None, column: str | None = None,
          value: object = None, fix: str) -> ClassificationError:
    where = file + (f" row {row}" if row is not None else "") + (f", column {column!r}" if column else "")
    got = f", got {value!r}" if value is not None else ""
    return ClassificationError(f"{where}: {problem}{got}. Fix: {fix}")


def _read_table(text: str, file: str) -> pd.DataFrame:
    try:
        frame = pd.read_csv(StringIO(text), dtype=str, keep_default_na=False)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        raise _fail(file, f"not a readable CSV ({exc})",
                    fix=f"write a CSV with the header {','.join(COLUMNS)}") from None
    frame.columns = [str(c).strip() for c in frame.columns]
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise _fail(file, f"missing column(s) {', '.join(map(repr, missing))}", value=list(frame.columns),
                    fix=f"use the header {','.join(COLUMNS)}")
    frame = frame[list(COLUMNS)].apply(lambda column: column.str.strip())
    # Line numbers as a person sees them in the file (header = 1).
    frame.index = pd.RangeIndex(2, len(frame) + 2, name="file_row")
    return _validate(frame, file)


def _validate(frame: pd.DataFrame, file: str) -> pd.DataFrame:
    for row, values in frame.iterrows():
        for column in ("source", "line", "reason"):
            if not values[column]:
                raise _fail(file, f"empty {column}", row=int(row), column=column, value=values[column],
                            fix=f"give every row a {column}" + (": say why the line belongs to the category"
                                                               if column == "reason" else ""))
        if values["category"] not in CATEGORIES:
            raise _fail(file, "unknown category", row=int(row), column="category", value=values["category"],
                        fix=f"use one of {', '.join(CATEGORIES)}")
        try:
            share = float(values["share"])
        except ValueError:
            share = math.nan
        if not (0 < share <= 1):
            raise _fail(file, "share must be a number in (0, 1]", row=int(row), column="share",
                        value=values["share"], fix="give the fraction of the line's money in this category")
    frame = frame.assign(share=frame["share"].astype(float))
    duplicated = frame.duplicated(["source", "line", "category"], keep="first")
    if duplicated.any():
        row = int(frame.index[duplicated][0])
        raise _fail(file, "the same (source, line, category) appears twice", row=row, column="category",
                    value=frame.loc[row, "category"], fix="merge the two rows into one share")
    sums = frame.groupby(["source", "line"], sort=False)["share"].sum()
    wrong = sums[(sums - 1).abs() > _TOLERANCE]
    if len(wrong):
        source, line = wrong.index[0]
        rows = frame.index[(frame["source"] == source) & (frame["line"] == line)]
        raise _fail(file, f"shares of ({source!r}, {line!r}) on rows {', '.join(map(str, rows))} sum to "
                    f"{wrong.iloc[0]:.6g}, not 1", row=int(rows[0]), column="share", value=float(wrong.iloc[0]),
                    fix="make the shares of each line sum to 1")
    return frame


def load_classification(override: Path | None = None) -> Classification:
    """Load the packaged classification, optionally with a user's file replacing whole lines.

    Every (source, line) present in ``override`` replaces all packaged rows of that line (so a split
    can be changed or collapsed); lines only in the override are added.
    """
    packaged_name = packaged_path()
    text = _packaged().read_text(encoding="utf-8")
    table = _read_table(text, packaged_name).assign(file=packaged_name)
    if override is None:
        return Classification(table.reset_index(drop=True), (packaged_name,))
    override = Path(override)
    try:
        override_text = override.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ClassificationError(
            f"{override}: cannot read the classification override ({exc.strerror}). Fix: pass the path of a "
            f"CSV with the header {','.join(COLUMNS)}"
        ) from None
    replacement = _read_table(override_text, str(override)).assign(file=str(override))
    groups = list(dict.fromkeys(zip(replacement["source"], replacement["line"], strict=True)))
    replaced = pd.MultiIndex.from_frame(table[["source", "line"]]).isin(groups)
    merged = pd.concat([table[~replaced], replacement], ignore_index=True)
    return Classification(merged, (packaged_name, str(override)), tuple(groups))


def classify(
    frame: pd.DataFrame,
    source: str,
    line_column: str,
    amount_column: str,
    classification: Classification,
) -> pd.DataFrame:
    """Split each row's amount over the categories of its line.

    Returns one row per input row and category: the input columns (index kept, so ``source_row`` still
    points at the publisher's file) plus ``category``, ``share``, ``amount_classified`` (= amount x share)
    and ``classification_file`` (the file that gave the split). Amounts of every input row are conserved.

    Raises
    ------
    ClassificationError
        When a line of ``frame`` is not in the classification for ``source``, naming the line and the file
        to add it to.
    """
    for column in (line_column, amount_column):
        if column not in frame.columns:
            raise KeyError(f"classify: frame has no column {column!r}; columns: {', '.join(frame.columns)}")
    for column in ("category", "share", "amount_classified", "classification_file"):
        if column in frame.columns:
            raise ValueError(f"classify: frame already has a column {column!r}; rename it first")
    rules = classification.table[classification.table["source"] == source]
    lines = frame[line_column]
    unknown = sorted(set(lines.dropna().astype(str)) - set(rules["line"]))
    if unknown or lines.isna().any():
        shown = ", ".join(repr(u) for u in unknown[:8]) + (f" and {len(unknown) - 8} more" if len(unknown) > 8
                                                          else "")
        if lines.isna().any():
            shown = (shown + ", " if shown else "") + "a missing (empty) line"
        known = "" if len(rules) else f" (the classification has no lines for source {source!r} at all)"
        raise ClassificationError(
            f"source {source!r}, column {line_column!r}: line(s) not in the assistance classification "
            f"{' + '.join(classification.files)}{known}: {shown}. Fix: add a row per category "
            f"(source,line,category,share,reason) for each line to {classification.files[-1]}, or to an "
            "override file passed to load_classification(override=...)"
        )
    index_names = [name if name is not None else "index" for name in frame.index.names]
    flat = frame.reset_index(names=index_names)
    flat["_order"] = range(len(flat))
    split = rules[["line", "category", "share", "file"]].rename(
        columns={"line": line_column, "file": "classification_file"}
    )
    flat[line_column] = flat[line_column].astype(str)
    merged = flat.merge(split, how="left", on=line_column, sort=False, validate="many_to_many")
    merged = merged.sort_values("_order", kind="stable").drop(columns="_order")
    merged["amount_classified"] = merged[amount_column].astype("float64") * merged["share"]
    merged = merged.set_index(index_names)
    merged.index.names = list(frame.index.names)
    merged.attrs["classification"] = classification.describe()
    return merged


def unused_lines(
    classification: Classification,
    frames_by_source: Mapping[str, pd.Series | Iterable[pd.Series]],
) -> pd.DataFrame:
    """Lines the classification knows but the given data never use, per source given.

    ``frames_by_source`` maps a source to the line values found in its data (one Series, or several for a
    source with several tables). Sources not given are not judged. Returns source, line, categories, file.
    """
    rows: list[dict[str, str]] = []
    table = classification.table
    for source, data in frames_by_source.items():
        series = [data] if isinstance(data, pd.Series) else list(data)
        seen = set().union(*(set(s.dropna().astype(str)) for s in series)) if series else set()
        rules = table[table["source"] == source]
        for line, group in rules.groupby("line", sort=True):
            if line not in seen:
                rows.append({
                    "source": source,
                    "line": str(line),
                    "categories": ", ".join(f"{c} {s:g}" for c, s in zip(group["category"], group["share"],
                                                                         strict=True)),
                    "file": ", ".join(dict.fromkeys(group["file"])),
                })
    return pd.DataFrame(rows, columns=["source", "line", "categories", "file"])
