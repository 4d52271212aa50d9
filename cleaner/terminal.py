"""The progress line a run keeps on a terminal, and the messages written while it is shown.

A progress line (``datasets.summary.Progress``, or click's progress bar in a directory run) is
redrawn in place after a carriage return, with no newline: a message written to stderr while it
was shown came after it, on the same line (`cleaning [###---] 23/60 a30.txtcleaner: error:
...`). Whoever writes a message to stderr during a run calls :func:`clear_progress` first;
the progress line is drawn again on a line of its own at its next redraw.
"""

from __future__ import annotations

import sys
from typing import TextIO

#: Is a progress line on the terminal now (drawn, not yet cleared)?
_shown = False


def progress_drawn() -> None:
    """A progress line was just drawn on stderr."""
    global _shown
    _shown = True


def clear_progress(stream: TextIO | None = None) -> None:
    """Erase the progress line, if one is shown, so that the next text starts a line."""
    global _shown
    if _shown:
        _shown = False
        stream = stream or sys.stderr
        stream.write("\r\x1b[2K")  # (a progress line is only drawn on a terminal)
        stream.flush()
