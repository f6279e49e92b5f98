"""The core takes frames and returns frames: importing it must not pull in the web, PDF or cluster stacks."""

from __future__ import annotations

import subprocess
import sys

CORE = [
    "coupwatch.core.panel", "coupwatch.core.assistance", "coupwatch.states", "coupwatch.core.corrections",
    "coupwatch.core.features", "coupwatch.core.evaluate.backtest", "coupwatch.core.evaluate.ablation",
    "coupwatch.core.forecast", "coupwatch.core.scenarios.score", "coupwatch.core.donors",
    "coupwatch.core.security_support", "coupwatch.core.panel.support", "coupwatch.core.currency",
    "coupwatch.core.evaluate.samples",
]
FORBIDDEN = ["fastapi", "weasyprint", "dask", "distributed", "uvicorn", "duckdb", "pooch"]


def test_core_imports_no_io_stacks() -> None:
    code = (
        "import sys\n"
        + "".join(f"import {m}\n" for m in CORE)
        + f"loaded = [m for m in {FORBIDDEN!r} if m in sys.modules]\n"
        + "print(','.join(loaded))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "", f"the core imported {result.stdout.strip()}"
