"""Digests of third-party code that cleaner's exact replacements were checked against, and
the replacing itself.

``justext_fast``, ``readability_fast``, ``trafilatura_fast`` and ``htmldate_fast`` reproduce pieces of
jusText, trafilatura and htmldate; each is installed only when the digest of the code it reproduces
equals the one recorded when it was written, so another release runs its own code (correct, only
slower). ``page_dates`` (not exact: it reads a page's date strings in the page's language) and
``date_precision`` (it only watches htmldate's whole-page search) are pinned the same way.
``Replacements`` puts them in place and keeps the originals.
"""

from __future__ import annotations

import hashlib
import inspect
from collections.abc import Callable, Iterable, Sequence
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


class Replacements:
    """Functions (or methods) put in place of those a module (or class) holds, the originals
    kept: ``original(name)`` reaches them after ``install()``, and ``uninstall()`` puts them
    back. ``target()`` is the namespace replaced in, read when used (importing cleaner imports
    none of them); ``origin()`` holds the originals before any install when they are defined
    elsewhere (by default the target).

    >>> import types
    >>> space = types.SimpleNamespace(f=len)
    >>> patches = Replacements(lambda: space, {"f": abs})
    >>> patches.install(); (space.f, patches.original("f"), patches.installed())
    (<built-in function abs>, <built-in function len>, True)
    >>> patches.uninstall(); space.f
    <built-in function len>
    """

    def __init__(self, target: Callable[[], Any], replacements: dict[str, Any],
                 origin: Callable[[], Any] | None = None) -> None:
        self.target = target
        self.replacements = replacements
        self.origin = origin or target
        self.originals: dict[str, Any] = {}

    def original(self, name: str) -> Any:
        return self.originals.get(name) or vars(self.origin())[name]

    def installed(self) -> bool:
        space = vars(self.target())
        return all(space.get(name) is fast for name, fast in self.replacements.items())

    def install(self) -> None:
        target = self.target()
        for name, fast in self.replacements.items():
            current = vars(target)[name]
            if current is not fast:
                self.originals.setdefault(name, current)
                setattr(target, name, fast)

    def uninstall(self) -> None:
        """The originals back wherever a replacement is in place."""
        target = self.target()
        for name, fast in self.replacements.items():
            if vars(target).get(name) is fast:
                setattr(target, name, self.original(name))


def install_pinned(patches: Sequence[Replacements], known: Callable[[], bool]) -> bool:
    """Put every replacement of ``patches`` in place (idempotent) when ``known()`` says the code
    they replace is the code they were checked against; False, leaving that code, when not."""
    if all(p.installed() for p in patches):
        return True
    if not known():
        return False
    for p in patches:
        p.install()
    return True
