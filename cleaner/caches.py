"""Memoization keyed on the text of documents, in one registry so that it can be emptied.

Several steps remember what they computed for a line or a word (the rules ask about the same
line many times). Within a run that only saves time; the results are the same either way. A
benchmark that repeats a small corpus would measure these caches warm on every repeat, so
``benchmarks/throughput.py`` calls ``clear()`` before each pass over its documents: it
measures documents the process has not seen, as in a real corpus.

Caches of tables built once (phrase lists, patterns, profiles) are not content caches and are
not registered here.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

_CLEARERS: list[Callable[[], None]] = []

#: Entries of a cache of small results of a line (a bool, a count, a short key). A document's
#: lines are asked about again and again within its cleaning (every round of rules); across
#: documents only a site's furniture recurs. 4,096 are many times the lines of an article (a
#: text of 20,000 short lines, which overflows them, was no slower than at 16,384); at
#: 16,384 each of these caches kept as many lines alive, and a worker process of a dataset run
#: held 18 MB more, for no fewer instructions a document (15.01 M either way).
LINE_RESULTS = 4096
#: Entries of a cache of a line's set of words: about 1 kB each, so fewer (at 16,384, the page
#: rule's content words alone held 17 MB in each worker process of a dataset run).
LINE_WORD_SETS = 2048


def content_cache(maxsize: int) -> Callable[[F], F]:
    """``functools.lru_cache(maxsize)`` for a pure function of text, registered for ``clear()``."""

    def wrap(fn: F) -> F:
        cached = lru_cache(maxsize=maxsize)(fn)
        _CLEARERS.append(cached.cache_clear)
        return cached  # type: ignore[return-value]

    return wrap


def register(clear_fn: Callable[[], None]) -> None:
    """Register how to empty a content cache that is not an ``lru_cache`` (a dict, say)."""
    _CLEARERS.append(clear_fn)


def clear() -> None:
    """Empty every content cache (the tables stay loaded)."""
    for clear_fn in _CLEARERS:
        clear_fn()
