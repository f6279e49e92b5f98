"""Scale-out on Dask: the same tasks as the serial run, mapped over a cluster, results in the same order.

``dask_executor("local")`` starts a ``distributed.LocalCluster`` on this machine (one single-threaded worker
process per core); ``dask_executor("tcp://host:port")`` attaches to a running cluster. Tasks are pure and
seeded, so a cluster run gives the same numbers as a serial one. The large feature frame is scattered to the
workers once and passed to every task by reference.
"""

from __future__ import annotations

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

    def map(self, function: Callable[[T], R], items: Sequence[T]) -> list[R]:
        if not items:
            return []
        futures = self.client.map(function, list(items), pure=False)
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


def local_cluster(workers: int | None = None) -> Any:
    from distributed import LocalCluster

    count = workers or max(1, os.cpu_count() or 1)
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
