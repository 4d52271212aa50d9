"""Where the chunks run: in this process, in local worker processes, or on a Dask cluster.

Every executor maps :func:`~cleaner.datasets.records.process_chunk` over the chunks and yields
the results in input order, with a bounded number of chunks in flight (memory stays flat
however large the input). The same function on the same chunks gives the same bytes, so the
output does not depend on the executor or on the number of workers.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from typing import Any, Protocol, TypeVar

from .._startup import raise_if_interrupted
from ..config import CleanConfig
from ..errors import CleanerError, ConfigError
from ..files import signals_held
from ..warm import ready
from .formats import Chunk
from .quiet_workers import QuietSpawnContext, ignore_sigint, sigint_blocked
from .records import ChunkResult, RecordSpec, process_chunk

#: Chunks in flight per worker: enough to keep every worker busy, few enough to bound memory.
IN_FLIGHT_PER_WORKER = 2
#: Seconds between two checks, in a worker process, that the parent is still alive.
PARENT_CHECK_SECONDS = 1.0
#: Worker processes dying on this many documents in a row is not one bad document but a
#: broken environment (memory, the installation): the run stops, to be resumed.
MAX_CRASHES_IN_A_ROW = 3
DASK_HINT = 'the Dask backend needs dask.distributed: pip install "cleaner[dask]"'
#: Seconds a Dask scheduler may have no worker before the run says, once, that it waits for one.
DASK_WAIT_NOTICE_SECONDS = 5.0
#: Seconds a Dask scheduler has to greet a new connection (it does at once, before it reads a
#: byte): see ``_check_it_is_a_scheduler``.
DASK_ANSWER_SECONDS = 30.0
#: The most a scheduler's greeting (its handshake message) may say it holds.
_MAX_GREETING_BYTES = 1 << 24

log = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    workers: int

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]: ...

    def close(self) -> None: ...


#: Input bytes one more worker process is worth when the input is not a dataset (a directory
#: of files, a corpus to learn from): starting one (an interpreter, the rules, the word lists)
#: takes about a second, in which one process cleans some 1-4 MB of text or HTML.
BYTES_PER_WORKER = 4_000_000


def workers_for_bytes(requested: int | None, input_bytes: int | None) -> int:
    """As many workers as asked, else one per BYTES_PER_WORKER of input up to the cores (all
    of them when the size is not known: a pipe).

    >>> workers_for_bytes(3, 0), workers_for_bytes(None, 1_000) >= 1
    (3, True)
    """
    if requested is not None:
        return requested
    if input_bytes is None:
        return default_workers()
    return max(1, min(default_workers(), input_bytes // BYTES_PER_WORKER))


def default_workers() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def make_executor(workers: int | None, scheduler: str | None, config: CleanConfig) -> Executor:
    """``--workers 1`` runs the chunks in this process (no start-up); otherwise worker processes,
    all cores by default, one on a machine of one core too: there a record whose cleaning kills
    its process fails alone (see PoolExecutor) instead of ending the run."""
    if scheduler:
        return DaskExecutor(scheduler)
    if workers == 1:
        return InlineExecutor()
    return PoolExecutor(workers or default_workers(), config)


class InlineExecutor:
    """One worker: the chunks run in this process (no pickling, no start-up)."""

    workers = 1

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        for chunk in chunks:
            raise_if_interrupted()
            yield process_chunk(chunk, spec)

    def close(self) -> None:
        return None


def _ordered(submit: Callable[[T], Any], tasks: Iterable[T], in_flight: int,
             recover: Callable[[list[T]], Iterator[R]] | None = None, cancel: bool = True,
             result_of: Callable[[Any], R] | None = None) -> Iterator[R]:
    """Submit ahead up to ``in_flight`` tasks; yield results strictly in submission order
    (each future's ``result()``, or ``result_of(future)``).
    When a worker process died (``BrokenProcessPool``: every task in flight is lost),
    ``recover`` gets those tasks and yields their results; without it the error propagates.
    Left early, it cancels the futures still pending when ``cancel`` (not for a process pool:
    see PoolExecutor.close)."""
    pending: deque[tuple[T, Any]] = deque()

    def settle(drain: bool) -> Iterator[R]:
        while pending and (drain or len(pending) >= in_flight):
            try:
                result = pending[0][1].result() if result_of is None else result_of(pending[0][1])
            except BrokenProcessPool:
                if recover is None:
                    raise
                lost = [task for task, _ in pending]
                pending.clear()
                yield from recover(lost)
                return
            pending.popleft()
            raise_if_interrupted()
            yield result

    try:
        try:
            for task in tasks:
                pending.append((task, submit(task)))
                yield from settle(drain=False)
        except CleanerError:  # the input is damaged past this point: finish what was read first
            yield from settle(drain=True)
            raise
        yield from settle(drain=True)
    finally:
        for _, future in pending if cancel else ():
            future.cancel()


def _init_worker(config: CleanConfig, parent: int, warm: bool) -> None:
    """Run once in each worker process: leave Ctrl-C to the parent, watch the parent, and load
    what cleaning needs."""
    ignore_sigint()
    with signals_held():  # so SIGTERM goes to the thread that holds it back while writing a file pair
        threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()
    if warm:
        ready(config, False)


def _watch_parent(parent: int) -> None:
    """A worker whose parent was killed (kill -9) exits instead of lingering."""
    while True:
        time.sleep(PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


class PoolExecutor:
    """Local worker processes (spawned: each starts clean and initializes once).

    A worker that dies (a crash inside a C library on some document, the kernel's out-of-memory
    killer) breaks the whole pool and loses every task in flight. The pool is then started again
    and those tasks run one at a time; one that kills a worker alone is split by ``isolate``
    into its documents, each run alone, and the documents that kill a worker fail with the
    reason ``worker_crashed`` while the others are cleaned as usual. The results are those of a
    run without the crash, but for those documents.

    Ctrl-C reaches the parent only (see quiet_workers); closing the executor with work still in
    flight (interrupted, or stopped by an error) terminates the workers at once."""

    def __init__(self, workers: int, config: CleanConfig, warm: bool = True) -> None:
        """``warm``: each worker loads the rules, word lists and language profiles first (not
        for work that does not clean, such as cutting documents into lines for ``learn``)."""
        self.workers = workers
        self.config = config
        self.warm = warm
        self.pool = self._start()
        self.crashes_in_a_row = 0
        #: futures not yet done -> their task; ``lost`` cleans up after a task cut short
        self.in_flight: dict[Future[Any], Any] = {}
        self.lost: Callable[[Any], None] | None = None

    def _start(self) -> ProcessPoolExecutor:
        self.context = QuietSpawnContext()
        return ProcessPoolExecutor(self.workers, mp_context=self.context, initializer=_init_worker,
                                   initargs=(self.config, os.getpid(), self.warm))

    def _submit(self, fn: Callable[..., R], task: Any, *args: Any) -> Future[R]:
        # With Ctrl-C held back: a submit may start a worker process, and the pool's first one
        # starts its manager thread, which starts the thread that feeds the workers; threads
        # inherit the mask, so these never take SIGINT. One that did was let through to this
        # thread, QuietProcess's block notwithstanding, while a worker started: that worker
        # waited for its start-up data for ever, unrecorded, and the run hung in close().
        with sigint_blocked():
            future = self.pool.submit(fn, task, *args)
            self.in_flight[future] = task
            future.add_done_callback(lambda done: self.in_flight.pop(done, None))
        return future

    def restart(self) -> None:
        """A new pool in place of a broken one."""
        self.pool.shutdown(wait=True, cancel_futures=True)
        self.pool = self._start()

    def alone(self, fn: Callable[..., R], *args: Any) -> tuple[bool, R | None]:
        """Run one task with nothing else in flight: (True, its result), or (False, None) when
        a worker died running it (the pool is started again)."""
        try:
            result = self._submit(fn, *args).result()
        except BrokenProcessPool:
            self.restart()
            self.crashes_in_a_row += 1
            if self.crashes_in_a_row >= MAX_CRASHES_IN_A_ROW:
                raise CleanerError(f"worker processes died on {self.crashes_in_a_row} documents in a row: "
                                   "not one bad document (memory? the installation?); stopped") from None
            return False, None
        self.crashes_in_a_row = 0
        return True, result

    def each_alone(self, fn: Callable[[list[T], Any], list[R]], items: Iterable[T], spec: Any,
                   failed: Callable[[T], R]) -> list[R]:
        """``fn([item], spec)`` for each item on its own, and ``failed(item)`` in place of the
        result of one that kills a worker."""
        out: list[R] = []
        for item in items:
            done, result = self.alone(fn, [item], spec)
            out.extend(result if done else [failed(item)])  # type: ignore[arg-type]
        return out

    def map_tasks(self, fn: Callable[[T, Any], R], tasks: Iterable[T], spec: Any,
                  isolate: Callable[[PoolExecutor, T, Any], R],
                  lost: Callable[[T], None] | None = None) -> Iterator[R]:
        """``fn(task, spec)`` for every task, in order, a bounded number in flight; after a worker
        died, the tasks that were in flight run alone (``lost(task)`` first: what a killed worker
        may have left half done), and one that kills a worker alone goes to
        ``isolate(self, task, spec)``."""
        self.lost = lost

        def submit(task: T) -> Future[R]:
            try:
                return self._submit(fn, task, spec)
            except BrokenProcessPool as exc:  # the pool broke before: _ordered() recovers
                broken: Future[R] = Future()
                broken.set_exception(exc)
                return broken

        def recover(in_flight_then: list[T]) -> Iterator[R]:
            self.restart()
            for task in in_flight_then:
                if lost is not None:
                    lost(task)
                done, again = self.alone(fn, task, spec)
                yield again if done else isolate(self, task, spec)  # type: ignore[misc]

        return _ordered(submit, tasks, self.workers * IN_FLIGHT_PER_WORKER + 1, recover, cancel=False)

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        return self.map_tasks(process_chunk, chunks, spec, _isolate_chunk)

    def close(self) -> None:
        """Shut the pool down. With work still in flight (Ctrl-C, an error), not after that work:
        the workers are terminated at once and what they may have left half done is removed
        (``lost``). Python 3.11's pool hangs when it breaks with a future cancelled from outside
        (``set_exception`` on it raises in its manager thread), so none is: the pool cancels its
        pending futures itself."""
        cut_short = [task for future, task in list(self.in_flight.items()) if not future.done()]
        recorded = list((getattr(self.pool, "_processes", None) or {}).values())
        # (a worker whose start a Ctrl-C cut short runs unrecorded: it would take tasks, and
        # hold the task pipe open, so that the pool's shutdown or the exit hung)
        unrecorded = [p for p in self.context.made if p not in recorded and p.pid is not None]
        for process in (recorded if cut_short else []) + unrecorded:
            process.terminate()
        self.pool.shutdown(wait=True, cancel_futures=True)
        for process in unrecorded:
            process.join()
        if self.lost is not None:
            for task in cut_short:
                self.lost(task)


def _isolate_chunk(executor: PoolExecutor, chunk: Chunk, spec: RecordSpec) -> ChunkResult:
    """A chunk that kills a worker: each record alone finds the ones that do; then the chunk
    again, those records failed instead of cleaned (one result, as for any chunk)."""
    crashed = set()
    for i in range(len(chunk.items)):
        one = replace(chunk, items=chunk.items[i:i + 1], lines=chunk.lines[i:i + 1])
        done, _ = executor.alone(process_chunk, one, spec)
        if not done:
            crashed.add(i)
    done, result = executor.alone(process_chunk, chunk, spec, frozenset(crashed))
    if not done:
        raise CleanerError(f"a worker process died again on the records of chunk {chunk.number + 1} "
                           f"(lines {chunk.lines[0]}-{chunk.lines[-1]}) that had passed alone; stopped")
    return result  # type: ignore[return-value]


def _check_it_is_a_scheduler(address: str, location: str) -> None:
    """A ConfigError unless what listens at ``address`` greets a new connection as a Dask
    scheduler does, at once, with the length of its handshake message (8 bytes). Something
    else there (an SSH server, a proxy) had its greeting read as a length: a MemoryError
    traceback, then a minute's wait at exit; and one that waits for a request (an HTTP server:
    the dashboard's port, 8787, for the scheduler's, 8786) hung the run for ever, without a
    word: distributed reads the greeting with no time limit. (The scheduler logs the closed
    connection at INFO: "closed before handshake completed".)"""
    import socket
    import struct

    from distributed.comm.addressing import parse_host_port

    host, port = parse_host_port(location)
    deadline = time.monotonic() + 30  # (tried again until then, as the client does: it may be starting)
    while True:
        try:
            conn = socket.create_connection((host, port), timeout=max(1.0, deadline - time.monotonic()))
            break
        except OSError as exc:
            if time.monotonic() >= deadline:
                raise ConfigError(f"cannot reach the Dask scheduler at {address} (after 30 s: "
                                  f"{exc.strerror or exc})") from None
            time.sleep(0.5)
    greeting, closed = b"", False
    try:
        conn.settimeout(DASK_ANSWER_SECONDS)
        while len(greeting) < 8 and not closed:
            got = conn.recv(8 - len(greeting))
            greeting, closed = greeting + got, not got
        if len(greeting) == 8 and any(0 < struct.unpack(order, greeting)[0] <= _MAX_GREETING_BYTES
                                      for order in ("<Q", ">Q")):  # (the sender's byte order)
            return
        conn.settimeout(0.2)  # (the rest of its first line, to name it)
        greeting += conn.recv(72)
    except OSError:  # (socket.timeout is one)
        pass
    finally:
        conn.close()
    if greeting:
        said = f"it said {greeting.splitlines()[0][:72].decode('ascii', 'replace')!r}"
    else:
        said = "it closed the connection" if closed else f"it said nothing in {DASK_ANSWER_SECONDS:g} s"
    raise ConfigError(f"--dask-scheduler {address}: no Dask scheduler answers there ({said}; a scheduler "
                      "greets at once); is it the scheduler's port (8786 by default; 8787 is its dashboard)?")


class DaskExecutor:
    """The same chunks on a Dask cluster (``--dask-scheduler tcp://HOST:PORT``). The workers
    need cleaner installed, and the boilerplate model (if any) at the same path. With no worker
    on the scheduler, the run waits for one (see ``_wait_for_workers``)."""

    def __init__(self, address: str) -> None:
        try:
            from distributed import Client
        except ImportError as exc:
            raise ConfigError(DASK_HINT) from exc
        try:  # an address without a port was a ValueError deep in the client: a traceback, a minute later
            from distributed.comm.addressing import parse_address, parse_host_port
            from distributed.comm.registry import backends

            scheme, location = parse_address(address)
            if scheme in ("tcp", "tls"):
                parse_host_port(location)
            elif scheme not in backends:  # (the client's own error came after a minute's wait)
                raise ValueError(f"unknown address scheme {scheme!r}")
        except ValueError as exc:
            raise ConfigError(f"--dask-scheduler {address}: not a scheduler address ({exc}); "
                              "give tcp://HOST:PORT") from None
        if scheme == "tcp":
            _check_it_is_a_scheduler(address, location)
        try:
            self.client = Client(  # type: ignore[no-untyped-call]
                address, timeout=30, set_as_default=False
            )
        except OSError as exc:
            raise ConfigError(f"cannot reach the Dask scheduler at {address} ({exc})") from exc
        self.address = address
        try:
            self.workers = self._wait_for_workers()
        except BaseException:  # Ctrl-C while waiting: an open client made the exit wait a minute
            self.client.close()  # type: ignore[no-untyped-call]
            raise

    def _wait_for_workers(self) -> int:
        """The threads of the cluster's workers, once one is connected. A scheduler without
        workers (they are still starting, or were never started) ran no task and the run waited
        in silence; it still waits, as Dask does, but after DASK_WAIT_NOTICE_SECONDS it says so
        once, on stderr."""
        nthreads = self.client.nthreads()  # type: ignore[no-untyped-call]
        if not nthreads:
            try:
                self.client.wait_for_workers(1, timeout=DASK_WAIT_NOTICE_SECONDS)
            except TimeoutError:  # (distributed's WorkerStartTimeoutError)
                log.warning("waiting for workers on %s: none connected yet; the run starts when one "
                            "does (Ctrl-C stops it)", self.address)
                self.client.wait_for_workers(1)
            nthreads = self.client.nthreads()  # type: ignore[no-untyped-call]
        return sum(nthreads.values()) or 1

    def map_ordered(self, chunks: Iterable[Chunk], spec: RecordSpec) -> Iterator[ChunkResult]:
        """The results in order. The cluster failing under the run (the scheduler gone, or a
        chunk whose workers all died: Dask's own retries are spent) stops it with a
        CleanerError that says so, not a traceback from inside distributed; what was written
        is kept for --resume."""
        from concurrent.futures import CancelledError

        from distributed import KilledWorker

        def submit(chunk: Chunk) -> Any:
            return self.client.submit(process_chunk, chunk, spec, pure=False)

        try:
            yield from _ordered(submit, chunks, self.workers * IN_FLIGHT_PER_WORKER + 1, result_of=self.result)
        except CancelledError as exc:  # (distributed's FutureCancelledError: the client gave up)
            raise CleanerError(f"lost the Dask scheduler at {self.address} ({_one_line(exc)}); "
                               "continue with the same command and --resume") from None
        except KilledWorker as exc:
            raise CleanerError(f"Dask workers died on every try of a chunk ({_one_line(exc)}); a record in it "
                               "may kill the process (local worker processes fail such a record alone)") from None

    def result(self, future: Any) -> Any:
        """The future's result. While it waits, every DASK_WAIT_NOTICE_SECONDS it looks whether
        the cluster still has a worker: when all of them left (stopped, killed, their machines
        gone) the run waits for one in silence, as Dask does; it says so, once a time they are
        all gone."""
        told = False
        while True:
            try:
                return future.result(timeout=DASK_WAIT_NOTICE_SECONDS)
            except TimeoutError:  # (the result is not there yet)
                gone = not self.client.nthreads()  # type: ignore[no-untyped-call]
                if gone and not told:
                    log.warning("no worker left on %s: the run goes on when one connects (Ctrl-C stops "
                                "it; --resume continues it)", self.address)
                told = gone

    def close(self) -> None:
        self.client.close()  # type: ignore[no-untyped-call]


def _one_line(exc: BaseException) -> str:
    """distributed's messages run over several lines."""
    return " ".join(str(exc).split())
