"""Worker processes that leave Ctrl-C to their parent.

Ctrl-C on a terminal sends SIGINT to the whole process group: the parent and every worker. A
worker that got it printed a KeyboardInterrupt traceback (when idle, starting up or in its
initializer) or sent it back as the result of its task, and a worker that died of it broke the
pool, which Python 3.11 then failed to shut down (the parent hung) and which a run could take
for a crash. Here a worker never sees SIGINT: it starts with SIGINT blocked (the signal mask
passes through fork and exec, so the interpreter's start-up and imports are covered too) and
ignores it from its initializer on. The parent alone gets the KeyboardInterrupt, and stops the
workers at once (``runner.PoolExecutor.close``) instead of waiting for the work in flight.
"""

from __future__ import annotations

import signal
from multiprocessing.context import SpawnContext, SpawnProcess
from typing import Any

from .._startup import CAN_BLOCK, sigint_blocked

__all__ = ["QuietProcess", "QuietSpawnContext", "ignore_sigint", "sigint_blocked"]


def ignore_sigint() -> None:
    """In a worker, first thing: SIGINT ignored, then let through (a pending one is dropped)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if CAN_BLOCK:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


class QuietProcess(SpawnProcess):
    """A spawned process that starts with SIGINT blocked."""

    def start(self) -> None:
        with sigint_blocked():
            super().start()


class QuietSpawnContext(SpawnContext):
    """The "spawn" start method, with processes that start with SIGINT blocked. It keeps the
    processes it made (``made``): a Ctrl-C held back while one started is raised as its start
    ends, before the pool records it, and such a running worker must still be stopped."""

    def __init__(self) -> None:
        super().__init__()
        self.made: list[QuietProcess] = []

    def Process(self, *args: Any, **kwargs: Any) -> QuietProcess:  # type: ignore[override]  # noqa: N802
        # (multiprocessing's name; a method where the context has a class, to keep what it made)
        process = QuietProcess(*args, **kwargs)
        self.made.append(process)
        return process
