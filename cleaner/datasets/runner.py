"""Where the chunks run: in this process, in local worker processes, or on a Dask cluster.

Every executor maps :func:`~cleaner.datasets.records.process_chunk` over the chunks and yields
the results in input order, with a bounded number of chunks in flight (memory stays flat
however large the input). The same function on the same chunks gives the same bytes, so the
output does not depend on the executor or on the number of workers.
"""

from __future__ import annotations

import multiprocessing
import os
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from typing import Any, Protocol

from ..config import CleanConfig
from ..errors import ConfigError
from .formats import Chunk
from .records import ChunkResult, RecordSpec, process_chunk, warm_up

#: Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2
#: Seconds between two checks, in a worker process, that the parent is still alive.
PARENT_CHECK_SECONDS = 1.0
DASK_HINT = 'the Dask backend needs dask.distributed: pip install "cleaner[dask]"'


class Executor(Protocol):
    workers: int

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]: ...

    def close(self) -> None: ...


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def make_executor(workers: int | None, scheduler: str | None, config: CleanConfig) -> Executor:
    if scheduler:
        return DaskExecutor(scheduler)
    n = workers or default_workers()
    return InlineExecutor() if n == 1 else PoolExecutor(n, config)


class InlineExecutor:
    """One worker: the chunks run in this process (no pickling, no start-up)."""

    workers = 1

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        for chunk in chunks:
            yield process_chunk(chunk, spec)

    def close(self) -> None:
        return None


def _ordered(submit: Any, chunks: Iterable[Chunk], spec: RecordSpec, in_flight: int) -> Iterator[ChunkResult]:
    """Submit ahead up to ``in_flight`` chunks; yield results strictly in submission order."""
    pending: deque[Any] = deque()
    try:
        for chunk in chunks:
            pending.append(submit(chunk, spec))
            if len(pending) >= in_flight:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()
    finally:
        for future in pending:
            future.cancel()


def _init_worker(config: CleanConfig, parent: int) -> None:
    """Run once in each worker process: load everything, then watch the parent."""
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    warm_up(config)


def _watch_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9) exits instead of lingering."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


class PoolExecutor:
    """Local worker processes (spawned: each starts clean and initializes once)."""

    def __init__(self, workers: int, config: CleanConfig) -> None:
        self.workers = workers
        context = multiprocessing.get_context("spawn")
        self.pool = ProcessPoolExecutor(
            workers, mp_context=context, initializer=_init_worker, initargs=(config, os.getpid())
        )

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        def submit(chunk: Chunk, spec: RecordSpec) -> Future[ChunkResult]:
            return self.pool.submit(process_chunk, chunk, spec)

        return _ordered(submit, chunks, spec, self.workers * IN_FLIGHT_PER_WORKER + 1)

    def close(self) -> None:
        self.pool.shutdown(wait=True, cancel_futures=True)


class DaskExecutor:
    """The same chunks on a Dask cluster (``--dask-scheduler tcp://HOST:PORT``). The workers
    need cleaner installed, and the boilerplate model (if any) at the same path."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ConfigError(DASK_HINT) from exc
        try:
            self.client = Client(  # type: ignore[no-untyped-call]
                address, timeout=30, set_as_default=False
            )
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
        nthreads = self.client.nthreads()  # type: ignore[no-untyped-call]
        self.workers = sum(nthreads.values()) or 1

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        def submit(chunk: Chunk, spec: RecordSpec) -> Any:
            return self.client.submit(process_chunk, chunk, spec, pure=False)

        return _ordered(submit, chunks, spec, self.workers * IN_FLIGHT_PER_WORKER + 1)

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]
