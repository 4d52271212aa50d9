"""Cheap measures of a piece of text that several rules share (no rule logic here)."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import cache

import regex

from ..caches import LINE_RESULTS, content_cache
from . import patterns as P


@dataclass(frozen=True, slots=True)
class Token:
    text: str
    key: str  # casefolded
    start: int
    end: int


def tokens(text: str) -> list[Token]:
    return [Token(m.group(), m.group().casefold(), m.start(), m.end()) for m in _token_pattern(text).finditer(text)]


def token_texts(text: str) -> list[str]:
    """The texts of ``tokens(text)``.

    >>> token_texts("WIN-FAST.NET, it's -- 2,5 x")
    ['WIN-FAST.NET', "it's", '2', '5', 'x']
    """
    return _token_pattern(text).findall(text)


#: Blocks of characters where the stdlib ``re`` and ``regex`` agree on what ``\w`` is (Latin,
#: Greek, Cyrillic, general punctuation, currency signs); ``re`` tokenizes about three times faster.
_SAME_WORD_CHARS = ((0x0000, 0x052F), (0x2000, 0x20CF))


@cache
def _foreign() -> re.Pattern[str]:
    """A character outside the blocks above, or one of them ``re`` and ``regex`` disagree on."""
    word_re, word_regex = re.compile(r"\w"), regex.compile(r"\w")
    same = [chr(c) for first, last in _SAME_WORD_CHARS for c in range(first, last + 1)
            if bool(word_re.match(chr(c))) == bool(word_regex.match(chr(c)))]
    return re.compile("[^" + "".join(re.escape(c) for c in same) + "]")


#: The TOKEN that TOKEN_RE and TOKEN_ASCII are rewritten from (if it changes, they are not used).
_TOKEN_SOURCE = r"[\w][\w.'’-]*\w|\w"


def _token_pattern(text: str) -> re.Pattern[str] | regex.Pattern[str]:
    """TOKEN, or the same pattern in the faster stdlib ``re`` where it finds the same tokens."""
    if P.TOKEN.pattern != _TOKEN_SOURCE:
        return P.TOKEN
    if text.isascii():
        return P.TOKEN_ASCII
    return P.TOKEN if _foreign().search(text) else P.TOKEN_RE


@content_cache(maxsize=LINE_RESULTS)
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
    """Has letters, all of them uppercase.

    >>> is_caps_word("WIN-FAST.NET"), is_caps_word("NATO2"), is_caps_word("Nato"), is_caps_word("2024")
    (True, True, False, False)
    """
    if token.islower():
        return False  # the common case: a lowercase word has no uppercase letter
    found = False
    for c in token:
        if c.isalpha():
            if not c.isupper():
                return False
            found = True
    return found


#: Characters that may stand between two words of one all-caps run.
_RUN_GLUE = " |-–—·•,;:/!&+'’\""


def caps_runs(text: str, min_words: int = 3) -> list[tuple[int, int]]:
    """Spans of runs of at least ``min_words`` consecutive all-caps tokens.

    >>> text = "Er hat es vorgelegt. JETZT ANMELDEN UND BONUS SICHERN"
    >>> [text[a:b] for a, b in caps_runs(text)]
    ['JETZT ANMELDEN UND BONUS SICHERN']
    """
    if sum(map(str.isupper, text.split())) < min_words:
        return []  # the common case, decided without tokenizing
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []  # (start, end, text) of the tokens of the current run
    for found in _token_pattern(text).finditer(text):
        tok = found.group()
        if is_caps_word(tok) or (run and tok.isdigit()):
            start = found.start()
            if run and text[run[-1][1]:start].strip(_RUN_GLUE) != "":
                _close(run, runs, min_words)
                run = []
            run.append((start, found.end(), tok))
            continue
        if run:
            _close(run, runs, min_words)
            run = []
    _close(run, runs, min_words)
    return runs


def _close(run: list[tuple[int, int, str]], runs: list[tuple[int, int]], min_words: int) -> None:
    words = [t for t in run if any(c.isalpha() for c in t[2])]
    if len(words) >= min_words:
        runs.append((run[0][0], run[-1][1]))


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
    within ``max_period`` words? (Prose repeats "of the" often, three words in a row rarely.)

    >>> _has_close_repeat("win big win big now", 12), _has_close_repeat("of the cat and of the dog", 12)
    (True, False)
    """
    words = token_texts(text.casefold())
    pairs = list(zip(words, words[1:]))
    if len(set(pairs)) == len(pairs):
        return False  # no pair of words comes twice: the common case, without a loop in Python
    counts = Counter(pairs)
    seen: dict[tuple[str, str], int] = {}
    for i in [i for i, pair in enumerate(pairs) if counts[pair] > 1]:
        pair = pairs[i]
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
    spans: list[tuple[int, int]] = []
    keys: list[str] = []  # casefolded; all-caps tokens are marked so that glued copies can match
    for found in _token_pattern(text).finditer(text):
        tok = found.group()
        keys.append(("\x00" + tok.casefold()) if is_caps_word(tok) and len(tok) > 1 else tok.casefold())
        spans.append(found.span())
    best: tuple[int, int, int] | None = None
    best_len = 0
    n = len(keys)
    for period in range(2, min(max_period, n // 2) + 1):
        i = 0
        # the tokens equal to the token one period later, found in one pass
        for candidate in [k for k, (a, b) in enumerate(zip(keys, keys[period:])) if a == b]:
            if candidate < i:
                continue
            i = j = candidate
            while j + period < n and _same(keys[j], keys[j + period]):
                j += 1
            run = j - i  # tokens that equal the token one period later
            if run >= period and len({k for k in keys[i:i + period] if len(k) > 2}) >= 1:
                start, end = spans[i][0], spans[j - 1 + period][1]
                if end - start > best_len:
                    best, best_len = (start, end, 1 + run // period), end - start
            i = max(j, i + 1)
    return best
