"""Errors that tell the user what went wrong, where, and how to fix it."""

from __future__ import annotations

import contextlib
from collections.abc import Sequence

SHOWN_PROBLEMS = 10  # further problems of one file are counted, not listed


def plain(value: object) -> str:
    """A value as a person writes it: ``5.0`` and ``1967``, not ``np.float64(5.0)``; text quoted."""
    item = getattr(value, "item", None)
    if callable(item) and getattr(value, "shape", None) == ():
        with contextlib.suppress(TypeError, ValueError):
            value = item()
    return repr(value) if isinstance(value, str) else str(value)


class CoupwatchError(Exception):
    """Base class: every error the project raises on purpose."""


class SourceFileError(CoupwatchError):
    """A publisher's file could not be read or failed validation.

    The message always names the file, the row and field when known, the value received and the fix; ``more``
    lists the file's other problems (the first few are shown, the rest counted).
    """

    def __init__(
        self,
        file: str,
        problem: str,
        *,
        row: int | None = None,
        field: str | None = None,
        value: object = None,
        fix: str = "",
        more: Sequence[str] = (),
    ) -> None:
        self.file = file
        self.problem = problem
        self.row = row
        self.field = field
        self.value = value
        self.fix = fix
        self.more = tuple(more)
        where = file
        if row is not None:
            where += f" row {row}"
        if field is not None:
            where += f", column {field!r}"
        message = f"{where}: {problem}"
        if value is not None:
            message += f", got {plain(value)}"
        if self.more:
            shown = "; ".join(self.more[:SHOWN_PROBLEMS])
            hidden = len(self.more) - SHOWN_PROBLEMS
            message += (f" ({1 + len(self.more)} problems in all; also {shown}"
                        f"{f'; and {hidden} more' if hidden > 0 else ''})")
        if fix:
            message += f". Fix: {fix}"
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        # Errors raised in parse worker processes travel back pickled: rebuild them with every field.
        return (_rebuild_source_error,
                (self.file, self.problem, self.row, self.field, self.value, self.fix, self.more))


def _rebuild_source_error(
    file: str, problem: str, row: int | None, field: str | None, value: object, fix: str, more: Sequence[str] = ()
) -> SourceFileError:
    return SourceFileError(file, problem, row=row, field=field, value=value, fix=fix, more=more)


class HashMismatchError(CoupwatchError):
    """A file's sha256 differs from the one the source declares."""

    def __init__(self, file: str, expected: str, actual: str, fix: str) -> None:
        self.file = file
        self.expected = expected
        self.actual = actual
        self.fix = fix
        super().__init__(
            f"{file}: sha256 mismatch, expected {expected}, got {actual}. Fix: {fix}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (HashMismatchError, (self.file, self.expected, self.actual, self.fix))


class UnmappedCountryError(CoupwatchError):
    """Source rows whose country identifiers map to no Gleditsch-Ward state."""

    def __init__(self, source: str, unmapped: list[tuple[str, int]], fix: str) -> None:
        self.source = source
        self.unmapped = unmapped
        shown = ", ".join(f"{name!r} ({rows} rows)" for name, rows in unmapped[:12])
        more = f" and {len(unmapped) - 12} more" if len(unmapped) > 12 else ""
        self.fix = fix
        super().__init__(
            f"{source}: {len(unmapped)} country identifiers map to no Gleditsch-Ward state: {shown}{more}. "
            f"Fix: {fix}"
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (UnmappedCountryError, (self.source, self.unmapped, self.fix))


class UnknownCountryError(CoupwatchError, LookupError):
    """A user asked for a country the state system does not know."""


class WarehouseMissingError(CoupwatchError, FileNotFoundError):
    """The warehouse has not been built yet."""
