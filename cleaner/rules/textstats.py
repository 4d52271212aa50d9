"""Cheap measures of a piece of text that several rules share (no rule logic here)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import patterns as P


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    key: str  # casefolded
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.group().casefold(), m.start(), m.end()) for m in P.TOKEN.finditer(text)]


@lru_cache(maxsize=16384)
def word_count(text: str) -> int:
    return len(text.split())


def upper_ratio(text: str) -> float:
    """Share of letters that are uppercase (0.0 when there are no letters).

    >>> round(upper_ratio("NATO und EU"), 2)
    0.67
    """
    letters = P.LETTER.findall(text)
    if not letters:
        return 0.0
    return sum(1 for c in letters if c.isupper()) / len(letters)


def is_caps_word(token: str) -> bool:
    letters = [c for c in token if c.isalpha()]
    return bool(letters) and all(c.isupper() for c in letters)


def caps_runs(text: str, min_words: int = 3) -> list[tuple[int, int]]:
    """Spans of runs of at least ``min_words`` consecutive all-caps tokens.

    >>> text = "Er hat es vorgelegt. JETZT ANMELDEN UND BONUS SICHERN"
    >>> [text[a:b] for a, b in caps_runs(text)]
    ['JETZT ANMELDEN UND BONUS SICHERN']
    """
    if sum(1 for w in text.split() if w.isupper()) < min_words:
        return []  # the common case, decided without tokenizing
    runs: list[tuple[int, int]] = []
    run: list[Token] = []
    for tok in [*tokens(text), None]:
        if tok is not None and (is_caps_word(tok.text) or (tok.text.isdigit() and run)):
            if run and text[run[-1].end:tok.start].strip(" |-–—·•,;:/!&+'’\"") != "":
                _close(run, runs, min_words)
                run = []
            run.append(tok)
            continue
        _close(run, runs, min_words)
        run = []
    return runs


def _close(run: list[Token], runs: list[tuple[int, int]], min_words: int) -> None:
    words = [t for t in run if any(c.isalpha() for c in t.text)]
    if len(words) >= min_words:
        runs.append((run[0].start, run[-1].end))


def _glue_key(tok: Token) -> str:
    """Casefolded token; all-caps tokens are marked so that glued copies can match."""
    return ("\x00" + tok.key) if is_caps_word(tok.text) and len(tok.text) > 1 else tok.key


def _same(a: str, b: str) -> bool:
    """Equal, or (both all-caps) one glued onto the start or end of the other: "WINNENNU" ~ "NU"."""
    if a == b:
        return True
    if a[:1] != "\x00" or b[:1] != "\x00":
        return False
    short, long_ = sorted((a[1:], b[1:]), key=len)
    return len(short) >= 2 and len(long_) >= len(short) + 2 and (long_.startswith(short) or long_.endswith(short))


def _has_close_repeat(text: str, max_period: int) -> bool:
    """Does a pair of consecutive words come back right after itself, or a run of three words
    within ``max_period`` words? (Prose repeats "of the" often, three words in a row rarely.)"""
    words = P.TOKEN.findall(text.casefold())
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(words) - 1):
        pair = (words[i], words[i + 1])
        last = seen.get(pair)
        if last is not None:
            gap = i - last
            if gap == 2 or (gap <= max_period and i + 2 < len(words) and words[i + 2] == words[last + 2]):
                return True
        seen[pair] = i
    return False


def repeated_stretch(text: str, max_period: int = 12) -> tuple[int, int, int] | None:
    """The longest stretch where a phrase of 2+ words repeats back to back: (start, end, repeats).

    Word level, casefolded, separators ignored; a word glued to the next copy
    ("GELDKLIK") is tolerated. Linear in the number of words times ``max_period``.

    >>> repeated_stretch("GO TO CASHPORTAL GET YOUR FREE BONUS NOW | GET YOUR FREE BONUS NOW")
    (17, 66, 2)
    >>> repeated_stretch("The cat sat on the mat and the dog sat on the rug.") is None
    True
    """
    if not _has_close_repeat(text, max_period):
        return None  # the common case, decided in one pass over the words
    toks = tokens(text)
    keys = [_glue_key(t) for t in toks]
    best: tuple[int, int, int] | None = None
    best_len = 0
    n = len(keys)
    for period in range(2, min(max_period, n // 2) + 1):
        i = 0
        while i + period < n:
            if keys[i] != keys[i + period]:
                i += 1
                continue
            j = i
            while j + period < n and _same(keys[j], keys[j + period]):
                j += 1
            run = j - i  # tokens that equal the token one period later
            if run >= period and len({k for k in keys[i:i + period] if len(k) > 2}) >= 1:
                start, end = toks[i].start, toks[j - 1 + period].end
                if end - start > best_len:
                    best, best_len = (start, end, 1 + run // period), end - start
            i = max(j, i + 1)
    return best
