"""Fixtures for the web app: a TestClient on the analysis home and a real uvicorn server on 127.0.0.1."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.chromium import CHROMIUM, CHROMIUM_FLAGS

REPO = Path(__file__).resolve().parents[2]
ARTIFACTS = REPO / "artifacts" / "browser"


@pytest.fixture(scope="session")
def web_app(analysis_home: Path):  # type: ignore[no-untyped-def]
    from coupwatch.web import create_app

    return create_app(analysis_home, warm=False)


@pytest.fixture(scope="session")
def client(web_app):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    with TestClient(web_app) as test_client:
        yield test_client


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_up(url: str, process: subprocess.Popen[bytes], seconds: float = 60.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the server exited with {process.returncode}: {process.stderr.read().decode()[-2000:]}"
                               if process.stderr else f"the server exited with {process.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="session")
def live_server(analysis_home: Path) -> Iterator[str]:
    """`coupwatch serve` on a free port of 127.0.0.1 with COUPWATCH_HOME at the analysis home; its base URL."""
    port = free_port()
    env = {**os.environ, "COUPWATCH_HOME": str(analysis_home)}
    process = subprocess.Popen(
        [sys.executable, "-c", "from coupwatch.cli import app; app()", "serve", "--port", str(port)],
        env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_up(base + "/healthz", process)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[object]:
    """A Chromium context with its own profile, 1400x1000, kept off the network by its flags."""
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        pytest.fail("Debian's chromium is missing at /usr/bin/chromium. Fix: apt-get install -y chromium "
                    "(.ci/run does)")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=str(CHROMIUM), args=CHROMIUM_FLAGS, headless=True,
            viewport={"width": 1400, "height": 1000})
        yield context
        context.close()
