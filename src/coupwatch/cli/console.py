"""The two output streams of every command (tables on standard output, notes and errors on standard error)."""

from __future__ import annotations

import sys

import typer
from rich.console import Console

# Tables piped to a file or read by a program keep their full width instead of folding at 80 columns.
# Piped output keeps the width of a 100-column terminal, so a saved table reads as it did on screen.
TABLE_WIDTH = 100
console = Console() if sys.stdout.isatty() else Console(width=TABLE_WIDTH)
err_console = Console(stderr=True)


def fail(exc: BaseException) -> None:
    err_console.print(f"[bold red]error:[/] {exc}", highlight=False, soft_wrap=True)
    raise typer.Exit(code=1)

