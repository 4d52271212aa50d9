"""Which of many phrases begin a line, and regular expressions of literal words as tries.

The ``starts`` phrases of the phrase lists are some 7,500 strings (a phrase ending in ":" comes
with ten separators). As one trie-shaped pattern per kind, plus one for all kinds, they took
0.6 s to compile with the stdlib ``re`` in every process (a worker, every command), longer than
cleaning a hundred documents. Here a small pattern of their first SCREEN_CHARS characters (a
few hundred distinct beginnings, 25 ms to compile) turns away most lines, and the phrases,
grouped by their first characters and then by length, decide the rest by set look-ups.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

#: Phrases are grouped by this many first characters (fewer if a phrase is shorter).
KEY_CHARS = 3
#: The screening pattern holds the phrases' beginnings of this many characters: longer compiles
#: slower, shorter lets more lines through to the look-ups (on the clean-keep lines: 37 of 1,728).
SCREEN_CHARS = 6


def alternation(words: Iterable[str]) -> str:
    """A regex alternation of literal words, factored as a trie so matching stays fast
    (a flat alternation of ~300 phrases is about 20 times slower).

    >>> alternation(["read", "read more", "rss"])
    'r(?:ead(?:\\\\ more)?|ss)'
    """
    trie: _Trie = {}
    for word in words:
        node = trie
        for ch in word:
            node = node.setdefault(ch, {})
        node[""] = {}

    def build(node: _Trie) -> str:
        ends = "" in node
        branches = [re.escape(ch) + build(child) for ch, child in sorted(node.items()) if ch]
        if not branches:
            return ""
        body = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return "(?:" + body + ")?" if ends else body

    return build(trie)


_Trie = dict[str, "_Trie"]


class Prefixes:
    """A set of phrases; which of them begin a given line.

    >>> p = Prefixes(["read more", "read", "lesen sie auch:"])
    >>> list(p.starting("read more about it")), p.any("reader"), p.any("the end")
    (['read more', 'read'], True, False)
    """

    __slots__ = ("_groups", "_key", "_screen")

    def __init__(self, phrases: Iterable[str]) -> None:
        phrases = set(phrases)
        if "" in phrases:
            raise ValueError("an empty phrase begins every line")
        self._key = min([KEY_CHARS, *map(len, phrases)])
        by_key: dict[str, dict[int, set[str]]] = {}
        for phrase in phrases:
            by_key.setdefault(phrase[:self._key], {}).setdefault(len(phrase), set()).add(phrase)
        #: first characters -> ((length, phrases of that length), ...), longest first
        self._groups = {
            key: tuple((n, frozenset(group)) for n, group in sorted(lengths.items(), reverse=True))
            for key, lengths in by_key.items()
        }
        #: matches where a phrase's first SCREEN_CHARS characters begin the line (or never)
        beginnings = sorted({p[:SCREEN_CHARS] for p in phrases})
        self._screen = re.compile(alternation(beginnings) if beginnings else "(?!)")

    def any(self, line: str) -> bool:
        """Does some phrase begin the line?"""
        if not self._screen.match(line):
            return False  # most lines
        group = self._groups.get(line[:self._key])
        if group is None:
            return False
        for n, phrases in group:
            if line[:n] in phrases:
                return True
        return False

    def starting(self, line: str) -> Iterator[str]:
        """The phrases that begin the line, longest first (one of each length at most)."""
        for n, phrases in self._groups.get(line[:self._key], ()):
            if line[:n] in phrases:
                yield line[:n]
