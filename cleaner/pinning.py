"""Digests of third-party code that cleaner's exact replacements were checked against.

``justext_fast``, ``readability_fast``, ``trafilatura_fast`` and ``htmldate_fast`` reproduce pieces of
jusText, trafilatura and htmldate; each is installed only when the digest of the code it reproduces
equals the one recorded when it was written, so another release runs its own code (correct, only
slower).
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def code_digest(items: Iterable[Any]) -> str | None:
    """First 16 hex digits of the sha256 of the items joined by NUL: a string as it is, a Path
    as its text, anything else as its source (None when a source cannot be read)."""
    parts = []
    try:
        for item in items:
            if isinstance(item, str):
                parts.append(item)
            elif isinstance(item, Path):
                parts.append(item.read_text(encoding="utf-8"))
            else:
                parts.append(inspect.getsource(item))
    except (OSError, TypeError):
        return None
    return hashlib.sha256("\x00".join(parts).encode()).hexdigest()[:16]
