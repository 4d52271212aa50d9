"""Ctrl-C while the ``cleaner`` command starts.

Before the command can catch KeyboardInterrupt (``cli._Commands.invoke``), its process spends
about 0.2-0.4 s importing: the package, click, the rules, whose regular expressions compile at
import. Ctrl-C then printed a Python traceback (exit 1, or death by the signal), and one that
Python happened to run inside a ``__del__`` of the ``regex`` module was swallowed with an
"Exception ignored" message, and the run went on to the end and exit 0.

So when this process is the command (its console script, or ``python -m cleaner``), SIGINT is
blocked from the first line of the package on, and let through by the command group's
``invoke``, inside the ``try`` that turns it into one line and exit 130. A SIGINT that came
meanwhile is held by the kernel, never lost, and raised there. The modules a command loads
after that (the rules and word lists, the dataset modules) load under ``ctrl_c_held``: Ctrl-C
inside an import was also turned into a RuntimeError by a class being made ("Error calling
__set_name__"), a traceback again. A program that imports cleaner is left as it is (Ctrl-C
raises KeyboardInterrupt wherever it comes), and so are worker processes, which leave Ctrl-C
to their parent (``datasets.quiet_workers``).

Once the command runs, Ctrl-C is Python's again, and it may still come while Python runs a
``__del__`` (the ``regex`` module's, as a pattern compiled the first time a rule needs it is
made): Python cannot raise an exception from there, prints "Exception ignored" and goes on, and
the run went on to the end and exit 0 (one run in a few hundred of the test that interrupts the
command at ten moments of its start). In the command's process ``sys.unraisablehook`` notes such
a KeyboardInterrupt instead (``note_swallowed``), and the command raises it where it can
(``raise_if_interrupted``): before each result of a run's loop, and at the command's end.

Not covered: the interpreter's own start-up before the package's first line (some 10-30 ms;
an editable install's ``.pth`` file imports then): there Ctrl-C is Python's, the process dies
by the signal or prints a traceback from ``site``, as any Python program would.
"""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

#: Can a thread hold signals back (POSIX)?
CAN_BLOCK = hasattr(signal, "pthread_sigmask")
#: True while this module holds SIGINT back (from the package's first line to ``invoke``).
_held = False
#: Is this process the command (decided when the package loads: ``sys.argv`` changes later)?
_command = False


def started_as_command() -> bool:
    """Is this process the ``cleaner`` command: its console script (``bin/cleaner``, which
    imports ``cleaner.cli`` and calls ``main``), or ``python -m cleaner``?"""
    if not sys.argv:
        return False
    first = sys.argv[0]
    if first == "-m":  # runpy imports the package of ``python -m NAME`` with argv[0] "-m"
        return _module_run().partition(".")[0] == "cleaner"
    main = sys.modules.get("__main__")  # (a worker process runs the script as __mp_main__)
    return os.path.basename(first) == "cleaner" and getattr(main, "__file__", None) == first


def _module_run() -> str:
    """The module of ``python -m NAME`` (``-mNAME`` too), from the interpreter's command line."""
    args = getattr(sys, "orig_argv", [])[1:]
    if "-m" in args:
        at = args.index("-m") + 1
        return args[at] if at < len(args) else ""
    return next((arg[2:] for arg in args if arg.startswith("-m")), "")


def hold_ctrl_c() -> None:
    """In the command's process: SIGINT held back until ``let_ctrl_c_through``. Elsewhere, or
    when SIGINT is not Python's to handle (ignored, or a handler of the program's own), nothing."""
    global _held, _command
    if _held or not CAN_BLOCK or signal.getsignal(signal.SIGINT) is not signal.default_int_handler:
        return
    _command = started_as_command()
    if _command:
        signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
        _held = True
        install_unraisable_hook()


#: Did a KeyboardInterrupt come where Python could not raise it (see ``note_swallowed``)?
_swallowed = False
#: The ``sys.unraisablehook`` that ``note_swallowed`` passes every other error on to.
_previous_hook = sys.unraisablehook


def install_unraisable_hook() -> None:
    """``note_swallowed`` as ``sys.unraisablehook``, in front of the hook there was (idempotent)."""
    global _previous_hook
    if sys.unraisablehook is not note_swallowed:
        _previous_hook, sys.unraisablehook = sys.unraisablehook, note_swallowed


def note_swallowed(unraisable: Any) -> None:
    """``sys.unraisablehook`` of the command's process: a KeyboardInterrupt that Python could
    not raise (a Ctrl-C that came inside a ``__del__``) is noted for ``raise_if_interrupted``,
    without the "Exception ignored" message; any other error goes to the hook there was."""
    global _swallowed
    if unraisable.exc_type is not None and issubclass(unraisable.exc_type, KeyboardInterrupt):
        _swallowed = True
        return
    _previous_hook(unraisable)


def raise_if_interrupted() -> None:
    """KeyboardInterrupt here if a Ctrl-C came where Python could not raise it."""
    global _swallowed
    if _swallowed:
        _swallowed = False
        raise KeyboardInterrupt


def let_ctrl_c_through() -> None:
    """SIGINT no longer held back; KeyboardInterrupt here and now if one came meanwhile."""
    global _held
    if not _held:
        return
    _held = False
    came = _take_pending()
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})
    if came:
        raise KeyboardInterrupt


@contextmanager
def ctrl_c_held() -> Iterator[None]:
    """In the command's process, SIGINT held back for the block, and KeyboardInterrupt at its
    end if one came (an error of the block goes first): for the modules a command loads as it
    starts. Elsewhere nothing."""
    if not _command or _held:
        yield
        return
    with sigint_blocked() as already:
        try:
            yield
        finally:
            came = not already and _take_pending()
    if came:
        raise KeyboardInterrupt


@contextmanager
def sigint_blocked() -> Iterator[bool]:
    """SIGINT held back in this thread (a thread or process started meanwhile inherits the
    mask); one that arrives meanwhile is delivered when it ends, never lost. Gives whether it
    was held back already."""
    if not CAN_BLOCK:  # pragma: no cover - not POSIX
        yield False
        return
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield signal.SIGINT in previous
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _take_pending() -> bool:
    """Did a SIGINT come while it was blocked? Taken from the kernel, so that the caller raises
    it where it says, not Python at some later line."""
    return hasattr(signal, "sigtimedwait") and signal.sigtimedwait({signal.SIGINT}, 0) is not None
