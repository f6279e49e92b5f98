"""Briefs are rendered in a few worker processes behind a bounded queue.

A brief takes seconds of CPU (charts, then WeasyPrint for the PDF), and WeasyPrint is not built for use from
several threads. So renders run in at most ``renderers`` processes (one per core by default), at most
``waiting`` more wait for one, and a request beyond that is told to come back (503 with Retry-After) instead of
tying up a server thread and memory. Identical requests share one render, finished renders are kept (a bounded
number), each process is replaced after a number of renders so its memory cannot creep up, and the processes
end when no brief has been asked for a while (each holds a few hundred MB).
"""

from __future__ import annotations

import math
import multiprocessing
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass, field
from typing import Any

from coupwatch.web.store import UnavailableError

RENDERERS_ENV = "COUPWATCH_BRIEF_RENDERERS"
WAITING_ENV = "COUPWATCH_BRIEF_QUEUE"
MAX_RENDERERS = 4  # each process holds a copy of the brief's data and fonts (a few hundred MB)
RENDERS_PER_PROCESS = 25
KEPT_RENDERS = 48
IDLE_SECONDS = 120.0  # render processes end after this long without a render
FIRST_GUESS_SECONDS = 10.0  # how long a render takes until one has been timed


def _timed(job: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    """Run ``job`` in a render process and say how long it took (the wait in the queue not counted)."""
    started = time.perf_counter()
    result = job(*args)
    return time.perf_counter() - started, result


class QueueFullError(UnavailableError):
    """Every renderer is busy and the queue is full."""

    def __init__(self, detail: str, retry_after: int) -> None:
        super().__init__(detail)
        self.retry_after = retry_after
        self.headers = {"Retry-After": str(retry_after)}


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def _setting(name: str, default: int, low: int) -> int:
    text = os.environ.get(name, "").strip()
    if not text:
        return default
    if not text.isdigit() or int(text) < low:
        raise ValueError(f"{name}={text!r} is not a whole number >= {low}. Fix: set it to e.g. {default} or unset it")
    return int(text)


@dataclass
class QueueCounts:
    """What the queue did since it started."""

    renders: int = 0
    shared: int = 0
    kept: int = 0
    refused: int = 0
    seconds: list[float] = field(default_factory=list)


class RenderQueue:
    """At most ``renderers`` renders at once and ``waiting`` more queued; the rest get :class:`QueueFullError`."""

    def __init__(self, renderers: int | None = None, waiting: int | None = None, kept: int = KEPT_RENDERS,
                 idle_seconds: float = IDLE_SECONDS) -> None:
        default = max(1, min(cores(), MAX_RENDERERS))
        self.renderers = renderers if renderers is not None else _setting(RENDERERS_ENV, default, 1)
        self.waiting = waiting if waiting is not None else _setting(WAITING_ENV, 2 * self.renderers, 0)
        self.kept = kept
        self.idle_seconds = idle_seconds
        self._last_finish = 0.0
        self.counts = QueueCounts()
        self._pool: ProcessPoolExecutor | None = None
        self._in_flight: dict[Hashable, Future[Any]] = {}
        self._done: OrderedDict[Hashable, Any] = OrderedDict()
        self._guard = threading.Lock()

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            # spawn: forking a server with running threads (DuckDB, the event loop) could copy a held lock.
            self._pool = ProcessPoolExecutor(self.renderers, mp_context=multiprocessing.get_context("spawn"),
                                             max_tasks_per_child=RENDERS_PER_PROCESS)
        return self._pool

    def retry_after(self) -> int:
        """Seconds until a place in the queue is likely free: the mean render time of the last renders times the
        number of queued renders ahead per renderer."""
        recent = self.counts.seconds[-20:]
        each = sum(recent) / len(recent) if recent else FIRST_GUESS_SECONDS
        ahead = max(1, len(self._in_flight) - self.renderers + 1)
        return max(1, math.ceil(each * ahead / self.renderers))

    def submit(self, key: Hashable, job: Callable[..., Any], *args: Any) -> Future[Any]:
        """The render of ``key``: the kept result, the render already running for it, or a new one."""
        with self._guard:
            if key in self._done:
                self._done.move_to_end(key)
                self.counts.kept += 1
                finished: Future[Any] = Future()
                finished.set_result(self._done[key])
                return finished
            if key in self._in_flight:
                self.counts.shared += 1
                return self._in_flight[key]
            if len(self._in_flight) >= self.renderers + self.waiting:
                self.counts.refused += 1
                wait = self.retry_after()
                raise QueueFullError(
                    f"all {self.renderers} brief renderers are busy and {self.waiting} more briefs are waiting; "
                    f"try again in {wait} s (briefs already rendered are served at once)", wait)
            rendering = self._executor().submit(_timed, job, *args)
            answer: Future[Any] = Future()
            self._in_flight[key] = answer
            self.counts.renders += 1
        rendering.add_done_callback(lambda done: self._finish(key, done, answer))
        return answer

    def _finish(self, key: Hashable, rendering: Future[tuple[float, Any]], answer: Future[Any]) -> None:
        with self._guard:
            self._in_flight.pop(key, None)
            self._last_finish = time.monotonic()
            if not self._in_flight:
                timer = threading.Timer(self.idle_seconds, self._end_if_idle)
                timer.daemon = True
                timer.start()
            failure = rendering.exception() if not rendering.cancelled() else None
            if rendering.cancelled() or failure is not None:
                result = None
            else:
                seconds, result = rendering.result()
                self.counts.seconds = [*self.counts.seconds[-19:], seconds]
                self._done[key] = result
                while len(self._done) > self.kept:
                    self._done.popitem(last=False)
        if rendering.cancelled():
            answer.cancel()
        elif failure is not None:
            answer.set_exception(failure)
        else:
            answer.set_result(result)

    def _end_if_idle(self) -> None:
        with self._guard:
            idle = not self._in_flight and time.monotonic() - self._last_finish >= self.idle_seconds * 0.99
            pool = self._pool if idle else None
            if idle:
                self._pool = None
        if pool is not None:
            pool.shutdown(wait=False)

    @property
    def running(self) -> bool:
        """Whether render processes exist."""
        return self._pool is not None

    def close(self) -> None:
        with self._guard:
            pool, self._pool = self._pool, None
        if pool is not None:
            pool.shutdown(wait=False, cancel_futures=True)
