"""A per-document time limit (SIGALRM based: main thread on Unix; elsewhere no limit)."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

from .errors import DocumentTimeout


@contextmanager
def time_limit(seconds: float, what: str = "document") -> Iterator[None]:
    """Raise DocumentTimeout if the body runs longer than ``seconds`` (0 or less: no limit).

    Python code is interrupted between bytecodes; a single long C call (a regex match, an
    lxml parse) is interrupted when it returns.
    """
    usable = seconds > 0 and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    if not usable:
        yield
        return

    def on_alarm(signum: int, frame: FrameType | None) -> None:
        raise DocumentTimeout(f"{what}: took longer than {seconds:g} s (raise it with --timeout)")

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
