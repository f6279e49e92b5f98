"""Briefs render in a bounded pool: a few at once, a few waiting, the rest told to retry; identical requests
share one render."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from coupwatch.web import create_app
from coupwatch.web.render_queue import QueueFullError, RenderQueue


def test_the_queue_is_bounded_and_shares_identical_renders() -> None:
    queue = RenderQueue(renderers=1, waiting=1)
    try:
        first = queue.submit("a", time.sleep, 2.0)
        assert queue.submit("a", time.sleep, 2.0) is first and queue.counts.shared == 1
        second = queue.submit("b", time.sleep, 0.1)  # waits for the one renderer
        with pytest.raises(QueueFullError) as refused:
            queue.submit("c", time.sleep, 0.1)
        assert refused.value.status == 503 and refused.value.retry_after >= 1
        assert refused.value.headers == {"Retry-After": str(refused.value.retry_after)}
        assert "all 1 brief renderers are busy and 1 more briefs are waiting" in refused.value.detail
        first.result(timeout=120)
        second.result(timeout=120)
        again = queue.submit("a", time.sleep, 2.0)
        assert again.done() and queue.counts.kept == 1  # kept, not rendered again
        assert queue.submit("c", time.sleep, 0.1).result(timeout=60) is None
        assert (queue.counts.renders, queue.counts.refused) == (3, 1)
        assert all(0.0 < seconds < 30.0 for seconds in queue.counts.seconds)
    finally:
        queue.close()


def test_render_processes_end_when_idle() -> None:
    queue = RenderQueue(renderers=1, waiting=0, idle_seconds=0.5)
    try:
        queue.submit("a", time.sleep, 0.1).result(timeout=60)
        assert queue.running
        deadline = time.monotonic() + 10
        while queue.running and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not queue.running
        assert queue.submit("b", time.sleep, 0.1).result(timeout=60) is None and queue.counts.renders == 2
    finally:
        queue.close()


def test_settings_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COUPWATCH_BRIEF_RENDERERS", "3")
    monkeypatch.setenv("COUPWATCH_BRIEF_QUEUE", "0")
    queue = RenderQueue()
    assert (queue.renderers, queue.waiting) == (3, 0)
    monkeypatch.setenv("COUPWATCH_BRIEF_RENDERERS", "many")
    with pytest.raises(ValueError, match="COUPWATCH_BRIEF_RENDERERS='many' is not a whole number >= 1"):
        RenderQueue()


def test_a_full_queue_answers_503_and_identical_requests_share_a_render(analysis_home: Path) -> None:
    app = create_app(analysis_home, warm=False)
    queue = RenderQueue(renderers=1, waiting=0)
    app.state.render_queue = queue
    answers: dict[str, tuple[int, bytes]] = {}
    with TestClient(app) as client:

        def fetch(name: str, path: str) -> None:
            response = client.get(path)
            answers[name] = (response.status_code, response.content)

        first = threading.Thread(target=fetch, args=("first", "/api/briefs/MLI.pdf"))
        first.start()
        deadline = time.monotonic() + 60
        while queue.counts.renders == 0 and time.monotonic() < deadline:
            time.sleep(0.05)
        same = threading.Thread(target=fetch, args=("same", "/api/briefs/MLI.pdf"))
        same.start()
        busy = client.get("/api/briefs/NER.pdf")
        first.join(timeout=300)
        same.join(timeout=300)
        queue.close()
    assert busy.status_code == 503 and int(busy.headers["retry-after"]) >= 1
    assert "renderers are busy" in busy.json()["detail"]
    assert answers["first"][0] == 200 and answers["first"][1].startswith(b"%PDF")
    assert answers["same"] == answers["first"]
    assert (queue.counts.renders, queue.counts.refused) == (1, 1) and queue.counts.shared + queue.counts.kept == 1
