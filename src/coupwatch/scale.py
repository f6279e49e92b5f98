"""Scale-out on Dask: the same tasks as the serial run, mapped over a cluster, results in the same order.

``dask_executor("local")`` starts a ``distributed.LocalCluster`` on this machine (one single-threaded worker
process per core); ``dask_executor("tcp://host:port")`` attaches to a running cluster. Tasks are pure and
seeded, so a cluster run gives the same numbers as a serial one. Large inputs travel once: a function given
as ``functools.partial(fn, features=frame, ...)`` has its keyword arguments scattered to every worker once per
executor and passed to each task by reference (a closure or lambda would be pickled into every task). Tasks run
with one BLAS/OpenMP thread, as the serial executor does, so floating-point sums happen in the same order.
"""

from __future__ import annotations

import functools
import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

SCHEDULER_ENV = "COUPWATCH_SCHEDULER"


class DaskExecutor:
    """An executor whose ``map`` submits one Dask task per item and gathers results in order."""

    def __init__(self, client: Any, owns_cluster: bool = False) -> None:
        self.client = client
        self.owns_cluster = owns_cluster
        # id -> (value, future): the value is kept so its id cannot be reused while the future lives.
        self._shared: dict[int, tuple[Any, Any]] = {}

    def share(self, value: Any) -> Any:
        """A future for ``value`` held by every worker; each object is sent once per executor."""
        key = id(value)
        if key not in self._shared:
            # A one-element list so that scatter never splits a list or dict value into many futures.
            future = self.client.scatter([value], broadcast=True, hash=False)[0]
            self._shared[key] = (value, future)
        return self._shared[key][1]

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        target, shared = unbind(function)
        handles = {name: value if _is_small(value) else self.share(value) for name, value in shared.items()}
        futures = self.client.map(run_task, list(items), target=target, shared=handles, pure=False)
        return list(self.client.gather(futures))

    def close(self) -> None:
        cluster = getattr(self.client, "cluster", None)
        self.client.close()
        if self.owns_cluster and cluster is not None:
            cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def unbind(function: Callable[[T], R]) -> tuple[Callable[..., R], dict[str, Any]]:
    """Split ``partial(fn, **shared)`` into ``fn`` and its shared keyword arguments (other callables: no split)."""
    if isinstance(function, functools.partial) and not function.args and function.keywords:
        return function.func, dict(function.keywords)
    return function, {}


def _is_small(value: Any) -> bool:
    return value is None or isinstance(value, bool | int | float | str)


def run_task(item: Any, target: Callable[..., R], shared: dict[str, Any]) -> R:
    """Run one task on a worker with a single BLAS/OpenMP thread (the serial executor's setting)."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(limits=1):
        return target(item, **shared)


def local_cluster(workers: int | None = None) -> Any:
    import dask
    from distributed import LocalCluster

    count = workers or max(1, os.cpu_count() or 1)
    # The active memory manager drops "extra" replicas every few seconds, which would undo share()'s broadcast and
    # make tasks fetch the shared inputs from a peer again.
    with dask.config.set({"distributed.scheduler.active-memory-manager.start": False}):
        return LocalCluster(n_workers=count, threads_per_worker=1, processes=True, dashboard_address=None)


def dask_executor(address: str | None = None, workers: int | None = None) -> DaskExecutor:
    """An executor on ``address`` ("local" or a scheduler URL; default ``$COUPWATCH_SCHEDULER``)."""
    from distributed import Client

    target = address or os.environ.get(SCHEDULER_ENV) or "local"
    if target == "local":
        return DaskExecutor(Client(local_cluster(workers)), owns_cluster=True)
    if not target.startswith(("tcp://", "tls://", "inproc://", "ws://", "wss://")):
        raise ValueError(
            f"scheduler {target!r}: give 'local' or an address such as tcp://10.0.0.5:8786 (set {SCHEDULER_ENV})"
        )
    return DaskExecutor(Client(target, timeout="10s"))
