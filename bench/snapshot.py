"""Snapshot every user-visible output, so a refactor can be checked byte for byte.

Runs the pipeline through its stable interfaces only (the `coupwatch` command and HTTP), so the
same script gives comparable folders before and after a change of the package's insides:

    python bench/snapshot.py --home /tmp/snap-home --out /tmp/snap-before     # on the old commit
    python bench/snapshot.py --home /tmp/snap-home2 --out /tmp/snap-after     # on the new commit
    python bench/snapshot.py --compare /tmp/snap-before /tmp/snap-after

What it writes: every warehouse table (sorted CSV), a short backtest's predictions and metrics, the
2026 and 2027 forecasts, three country briefs and the Sahel brief (HTML), API answers and the CLI's
tables. Clock times are masked (they differ on every run); nothing else is.
"""

from __future__ import annotations

import argparse
import difflib
import hashlib
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx

COUPWATCH = [str(Path(sys.executable).parent / "coupwatch")]
BACKTEST_YEARS = ("2016", "2019")
COUNTRIES = ("MLI", "NER", "BFA")
CLOCK = re.compile(
    rb"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2}|\+00:00)?"
    rb"|\b\d+(\.\d+)? ?s elapsed|\"elapsed_seconds\": ?[0-9.]+|\"seconds\": ?[0-9.]+"
)
CLI_TABLES: dict[str, list[str]] = {
    "assistance-MLI.txt": ["assistance", "MLI", "--format", "csv"],
    "assistance-sahel.txt": ["assistance", "--region", "sahel", "--format", "csv"],
    "donors-MLI.txt": ["donors", "MLI", "--format", "csv"],
    "donors-sahel.txt": ["donors", "--region", "sahel", "--format", "json"],
    "claims-MLI.txt": ["claims", "MLI", "--format", "csv"],
    "mechanism.txt": ["mechanism", "--from", "1990", "--draws", "50", "--format", "json"],
    "features.txt": ["features", "--format", "csv"],
    "panel-MLI.txt": ["panel", "--country", "MLI", "--format", "csv"],
    "panel-monthly-NER.txt": ["panel", "--country", "NER", "--monthly", "--from", "2018", "--format", "csv"],
    "forecast-2026.txt": ["forecast", "--format", "csv", "--draws", "20"],
    "forecast-2027.txt": ["forecast", "--year", "2027", "--format", "csv", "--draws", "20"],
    "forecast-2026-table.txt": ["forecast", "--draws", "20", "--top", "15"],
    "scenario-MLI.txt": ["scenario", "MLI", "--set", "milex_gdp=-30%", "--draws", "20", "--format", "json"],
    "scenario-shift.txt": [
        "scenario", "MLI", "NER", "--year", "2021", "--shift-assistance", "capacity->governance:25%", "--draws", "0",
        "--format", "csv",
    ],
    "scenario-inputs.txt": ["scenario", "--inputs"],
}
API_PATHS = (
    "/api/countries",
    "/api/countries/MLI",
    "/api/countries/MLI/assistance",
    "/api/countries/MLI/donors",
    "/api/countries/MLI/donors?format=csv",
    "/api/countries/MLI/panel",
    "/api/countries/NER/risk-history",
    "/api/forecasts",
    "/api/forecasts?format=csv",
    "/api/accuracy",
    "/api/sources",
    "/api/scenarios/inputs",
    "/api/countries/MAL/panel",
    "/api/countries/MLI/panel?columns=milex_gdpp",
    "/healthz",
    "/",
    "/countries/MLI",
    "/countries/BFA",
    "/accuracy",
    "/sources",
    "/openapi.json",
)
SCENARIO_BODY = {
    "country": "MLI",
    "draws": 10,
    "scenarios": [{"name": "cut", "changes": [{"input": "milex_gdp", "mode": "relative", "amount": -30}]}],
}


# The packaged files' paths name the checkout they run from (e.g. the assistance classification's path).
CHECKOUT = re.compile(rb"/[^\s\"',]*/src/coupwatch/")


def masked(data: bytes) -> bytes:
    return CHECKOUT.sub(b"<package>/", CLOCK.sub(b"<clock>", data))


def run(args: list[str], env: dict[str, str], cwd: Path | None = None) -> bytes:
    done = subprocess.run([*COUPWATCH, *args], env=env, cwd=cwd, capture_output=True, check=False)
    if done.returncode != 0:
        sys.exit(f"coupwatch {' '.join(args)} failed ({done.returncode}):\n{done.stderr.decode()[-3000:]}")
    return done.stdout


def dump_warehouse(home: Path, out: Path) -> None:
    folder = out / "warehouse"
    folder.mkdir(parents=True)
    with duckdb.connect(str(home / "warehouse.duckdb"), read_only=True) as con:
        tables = [row[0] for row in con.execute(
            "select table_name from information_schema.tables where table_schema = 'main' order by 1"
        ).fetchall()]
        for table in tables:
            target = folder / f"{table}.csv"
            con.execute(f"copy (select * from \"{table}\" order by all) to '{target}' (header, delimiter ',')")
            target.write_bytes(masked(target.read_bytes()))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def snapshot_api(env: dict[str, str], out: Path) -> None:
    folder = out / "api"
    folder.mkdir()
    port = free_port()
    server = subprocess.Popen(
        [*COUPWATCH, "serve", "--port", str(port)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(120):
            try:
                httpx.get(base + "/healthz", timeout=2)
                break
            except httpx.HTTPError:
                time.sleep(0.5)
        with httpx.Client(base_url=base, timeout=300) as client:
            for path in API_PATHS:
                reply = client.get(path)
                name = re.sub(r"[^A-Za-z0-9]+", "_", path).strip("_") or "root"
                (folder / f"{name}.txt").write_bytes(masked(f"{reply.status_code}\n".encode() + reply.content))
            reply = client.post("/api/scenarios", json=SCENARIO_BODY)
            (folder / "post_scenarios.txt").write_bytes(masked(f"{reply.status_code}\n".encode() + reply.content))
    finally:
        server.terminate()
        server.wait(30)


def take(home: Path, out: Path) -> None:
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    env = {**os.environ, "COUPWATCH_HOME": str(home), "COLUMNS": "100", "NO_COLOR": "1"}
    started = time.perf_counter()
    if not (home / "warehouse.duckdb").exists():
        run(["data", "build"], env)
    print(f"warehouse ready ({time.perf_counter() - started:.0f} s)", flush=True)
    dump_warehouse(home, out)
    run(["backtest", "--from", BACKTEST_YEARS[0], "--to", BACKTEST_YEARS[1], "--draws", "50"], env)
    for name in ("predictions.csv", "metrics.json", "tuning.csv"):
        (out / f"backtest-{name}").write_bytes(masked((home / "backtest" / name).read_bytes()))
    print(f"backtest done ({time.perf_counter() - started:.0f} s)", flush=True)
    for name, args in CLI_TABLES.items():
        (out / f"cli-{name}").write_bytes(masked(run(args, env)))
    print(f"CLI done ({time.perf_counter() - started:.0f} s)", flush=True)
    briefs = out / "briefs"
    briefs.mkdir()
    for country in COUNTRIES:
        run(["brief", country, "--out", str(briefs)], env)
    run(["brief", "--region", "sahel", "--out", str(briefs)], env)
    for brief in briefs.iterdir():
        brief.write_bytes(masked(brief.read_bytes()))
    print(f"briefs done ({time.perf_counter() - started:.0f} s)", flush=True)
    snapshot_api(env, out)
    sums = sorted(
        f"{hashlib.sha256(path.read_bytes()).hexdigest()}  {path.relative_to(out)}"
        for path in out.rglob("*") if path.is_file()
    )
    (out / "SHA256SUMS").write_text("\n".join(sums) + "\n")
    print(f"{len(sums)} files in {out} ({time.perf_counter() - started:.0f} s)")


def compare(before: Path, after: Path) -> int:
    """Hash both folders again after masking (so a snapshot taken from another checkout compares) and show the
    first differing lines of each file that differs."""
    def sums(folder: Path) -> dict[str, str]:
        return {str(path.relative_to(folder)): hashlib.sha256(masked(path.read_bytes())).hexdigest()
                for path in folder.rglob("*") if path.is_file() and path.name != "SHA256SUMS"}

    old, new = sums(before), sums(after)
    differ = sorted(name for name in old.keys() & new.keys() if old[name] != new[name])
    for name in sorted(old.keys() - new.keys()):
        print(f"only before: {name}")
    for name in sorted(new.keys() - old.keys()):
        print(f"only after: {name}")
    for name in differ:
        print(f"differs: {name}")
        lines = difflib.unified_diff(
            masked((before / name).read_bytes()).decode(errors="replace").splitlines(),
            masked((after / name).read_bytes()).decode(errors="replace").splitlines(), n=0, lineterm="")
        for line in list(lines)[2:8]:
            print("    " + line[:300])
    same = len(old.keys() & new.keys()) - len(differ)
    print(f"{same} of {len(old.keys() | new.keys())} files byte-identical")
    return 0 if same == len(old.keys() | new.keys()) else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--home", type=Path, help="COUPWATCH_HOME to build into (reused when it holds a warehouse)")
    parser.add_argument("--out", type=Path, help="Folder for the snapshot")
    parser.add_argument("--compare", type=Path, nargs=2, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        sys.exit(compare(*args.compare))
    if not (args.home and args.out):
        parser.error("--home and --out are needed to take a snapshot")
    take(args.home, args.out)


if __name__ == "__main__":
    main()
