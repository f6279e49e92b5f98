"""Options and helpers the commands share: output formats, friendly errors, --out files, progress bars and the
Dask executor."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from coupwatch.cli.console import err_console, fail
from coupwatch.errors import CoupwatchError


@contextmanager
def friendly_errors() -> Iterator[None]:
    try:
        yield
    except (CoupwatchError, KeyError, ValueError, LookupError) as exc:
        fail(exc)
    except OSError as exc:  # a file or folder the command needed: say which, what happened and what to do
        from coupwatch.store.outputs import problem_and_fix

        problem, fix = problem_and_fix(exc, "the command")
        fail(CoupwatchError(f"{exc.filename or 'a file'}: {problem} ({exc.strerror or exc}). Fix: {fix}"))


def check_out_file(out: Path | None) -> None:
    """Refuse an --out file in a missing folder before any work is done (the write itself is atomic)."""
    if out is not None and not out.parent.is_dir():
        raise CoupwatchError(f"--out {out}: the folder {out.parent} does not exist. Fix: create it first or give "
                             "a file in an existing folder")
    if out is not None and out.is_dir():
        raise CoupwatchError(f"--out {out}: is a folder. Fix: give a file name, e.g. {out / 'out.csv'}")


def write_out(out: Path, write: Callable[[Path], object], command: str) -> None:
    """Write an --out file whole or not at all; a full disk or a folder without permission is an error with a fix."""
    from coupwatch.store.outputs import write_file

    with friendly_errors():
        write_file(out, write, rerun=f"`coupwatch {command}`")


@contextmanager
def progress_reporter(label: str) -> Iterator[Callable[[str, int, int], None]]:
    progress = Progress(
        TextColumn(f"[bold]{label}[/]"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("{task.description}"),
        TimeElapsedColumn(),
        console=err_console,
        transient=False,
        disable=not err_console.is_terminal and not sys.stderr.isatty(),
    )
    with progress:
        task = progress.add_task("", total=1)

        def report(step: str, done: int, total: int) -> None:
            progress.update(task, description=step, completed=done, total=max(total, 1))

        yield report


class ExportFormat(StrEnum):
    table = "table"
    csv = "csv"
    parquet = "parquet"
    json = "json"


class OutputFormat(StrEnum):
    table = "table"
    csv = "csv"
    json = "json"


ClassificationOption = Annotated[
    Path | None,
    typer.Option("--classification", help="CSV overriding lines of the packaged assistance classification "
                 "(source,line,category,share,reason)"),
]


SchedulerOption = Annotated[
    str | None,
    typer.Option(
        "--scheduler",
        help="Dask scheduler: 'local' for a LocalCluster on this machine, or tcp://host:port of a running "
        "cluster (default $COUPWATCH_SCHEDULER, else serial)",
    ),
]


@contextmanager
def closing_executor(scheduler: str | None) -> Iterator[Any]:
    """A Dask executor for ``--scheduler``/$COUPWATCH_SCHEDULER (closed afterwards), else None (serial)."""
    import os

    from coupwatch.scale import SCHEDULER_ENV

    address = scheduler or os.environ.get(SCHEDULER_ENV)
    if not address:
        yield None
        return
    from coupwatch.scale import dask_executor

    with dask_executor(address) as executor:
        yield executor


def check_outcomes(outcomes: Sequence[str], option: str) -> None:
    from coupwatch.core.features import OUTCOMES

    unknown = [o for o in outcomes if o not in OUTCOMES]
    if unknown:
        raise CoupwatchError(f"{option} {', '.join(map(repr, unknown))}: allowed are {' and '.join(OUTCOMES)}")

