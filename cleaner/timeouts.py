"""A per-document time limit that works in every mode.

In the main thread (single file, stdin, a directory, ``--workers N`` worker processes, which
run their tasks in their main thread) it is SIGALRM based. In any other thread (a Dask worker
runs tasks in a thread pool; a library user may call cleaner from threads) a watchdog timer
raises the timeout in the cleaning thread asynchronously (``PyThreadState_SetAsyncExc``).

Either way Python code is interrupted between bytecodes; a single long C call (a regex
match, an lxml parse) is interrupted when it returns. Every regular expression of cleaner is
linear (see docs/limits.md), so no C call runs long on its own.

Never inside an import: trafilatura, htmldate and dateparser import modules the first time a
page needs them (dateparser's data for one language, say), and an exception raised while a
module runs leaves that module, or its package, half made for the rest of the process (every
later page then failed with "module 'trafilatura' has no attribute 'external'"). While the
cleaning thread is inside an import, the timeout waits, and is raised REPEAT_SECONDS later. So
it does inside a ``__del__``, where Python would print it as "Exception ignored" and go on.

A body that runs past its limit fails, also when the timeout never got out of it: a library
that catches every exception (trafilatura runs its fallback extractors when its main one
raises) turned the timeout into a poorer result, written as a success. Once the limit has run
out, leaving the body raises DocumentTimeout whatever the body did with the timeout.
"""

from __future__ import annotations

import ctypes
import signal
import sys
import threading
from types import FrameType, TracebackType

from .errors import DocumentTimeout

#: After the limit, the timeout is raised again this often until it gets through.
REPEAT_SECONDS = 0.1


#: Per thread: how many time limits are running in it (the library's clean_* functions, which
#: every command and dataset run calls, start none of their own inside one).
_running = threading.local()


def running() -> bool:
    """Is a time limit running in this thread?"""
    return bool(getattr(_running, "depth", 0))


class _AsyncTimeout(BaseException):
    """Raised inside the cleaning thread by the watchdog; turned into DocumentTimeout."""


#: Where the import system's own frames come from (it is frozen into the interpreter).
_IMPORT_FILES = ("<frozen importlib._bootstrap>", "<frozen importlib._bootstrap_external>")


def unsafe_to_raise(frame: FrameType | None) -> bool:
    """Is this frame, or one it was called from, running an import, or a ``__del__`` (where
    Python would only print the exception and go on)?

    >>> import sys
    >>> unsafe_to_raise(sys._getframe())
    False
    """
    while frame is not None:
        code = frame.f_code
        if code.co_filename in _IMPORT_FILES or code.co_name == "__del__":
            return True
        frame = frame.f_back
    return False


def _set_async_exc(thread_id: int, exc: type[BaseException] | None) -> None:
    ctypes.pythonapi.PyThreadState_SetAsyncExc(
        ctypes.c_ulong(thread_id), ctypes.py_object(exc) if exc is not None else None
    )


class time_limit:  # used like a function: ``with time_limit(30, name):``
    """Raise DocumentTimeout if the body runs longer than ``seconds`` (0 or less: no limit).

    >>> with time_limit(5, "doc"):
    ...     pass
    """

    def __init__(self, seconds: float, what: str = "document") -> None:
        self.seconds = seconds
        # (the command's flag, and the setting of a config file and of CleanConfig in a program)
        self.message = f"{what}: took longer than {seconds:g} s (raise it with --timeout or doc_timeout)"
        self._previous: object = None
        self._timer: threading.Timer | None = None
        self._lock = threading.Lock()
        self._state = "idle"  # idle -> (early | running -> fired) -> done; or "signal"
        self._expired = False  # the limit ran out (the timeout may not have got through)

    def __enter__(self) -> time_limit:
        if self.seconds <= 0:
            return self
        if threading.current_thread() is threading.main_thread() and hasattr(signal, "setitimer") \
                and signal.getitimer(signal.ITIMER_REAL) == (0.0, 0.0):
            # (not when the program has an alarm of its own set: stopping the timer on the way
            # out would cancel it; the watchdog below works in the main thread too)
            self._previous = signal.signal(signal.SIGALRM, self._on_alarm)
            # then again every REPEAT_SECONDS: an exception raised while a gc callback or a
            # __del__ runs is swallowed by Python, so one alarm is not enough
            signal.setitimer(signal.ITIMER_REAL, self.seconds, REPEAT_SECONDS)
            self._state = "signal"
            _running.depth = getattr(_running, "depth", 0) + 1
            return self
        self._thread_id = threading.get_ident()
        self._timer = threading.Timer(self.seconds, self._on_timer)
        self._timer.daemon = True
        self._timer.start()
        with self._lock:
            if self._state == "early":  # expired before the body could even start
                raise DocumentTimeout(self.message)
            self._state = "running"
        _running.depth = getattr(_running, "depth", 0) + 1
        return self

    def _on_alarm(self, signum: int, frame: FrameType | None) -> None:
        self._expired = True
        if unsafe_to_raise(frame):
            return  # the timer fires again in REPEAT_SECONDS
        raise DocumentTimeout(self.message)

    def _on_timer(self) -> None:
        with self._lock:
            if self._state == "idle":
                self._state = "early"
            elif self._state in ("running", "fired"):
                self._expired = True
                if not unsafe_to_raise(sys._current_frames().get(self._thread_id)):
                    self._state = "fired"
                    _set_async_exc(self._thread_id, _AsyncTimeout)
                self._timer = threading.Timer(REPEAT_SECONDS, self._on_timer)  # in case it is swallowed
                self._timer.daemon = True
                self._timer.start()

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        if self._state != "idle":
            _running.depth -= 1
        if self._state == "signal":
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self._previous)  # type: ignore[arg-type]
            self._raise_if_swallowed(exc_type, exc)
            return
        if self._timer is None:
            return
        delivered = exc_type is _AsyncTimeout
        try:
            with self._lock:
                if self._state == "fired" and not delivered:
                    _set_async_exc(self._thread_id, None)  # the body finished first: withdraw it
                self._state = "done"
                self._timer.cancel()
        except _AsyncTimeout:  # delivered just now, while leaving
            delivered = True
        if delivered:
            raise DocumentTimeout(self.message) from None
        self._raise_if_swallowed(exc_type, exc)

    def _raise_if_swallowed(self, exc_type: type[BaseException] | None, exc: BaseException | None) -> None:
        """The limit ran out, but the body ended without the timeout: something caught it (and
        maybe went on to a fallback, or failed for it in another way). The document fails as
        timed out all the same; Ctrl-C and the like pass as they are."""
        if not self._expired or isinstance(exc, DocumentTimeout):
            return
        if exc_type is None:
            raise DocumentTimeout(self.message)
        if isinstance(exc, Exception):
            raise DocumentTimeout(self.message) from exc
