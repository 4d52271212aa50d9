"""htmldate's whole-page date search (``htmldate.core.search_page``) over less text, with the
same results.

On a page where no element gives a date (37 of the 483 traf-html dev pages), ``find_date``
ends with ``search_page``: up to nine ``plausible_year_filter`` calls, each a ``findall`` of a
pattern over the whole serialized page (92,000 characters on average there), then
``regex_parse``, a search for a written date ("March 5, 2020", "5. März 2020") over it too.
Most of those patterns begin with ``\\D``, which gives ``re`` no character to skip to: the match
is tried at every position. Three changes, each exact for any string:

Seven patterns (``DIGIT_PATTERNS``) match only a character, a run ``Y`` of ASCII digits and
``/.-`` that begins and ends with a digit and holds four digits or more, and a character, and
look at nothing else (no look-around, no anchor). ``Y`` lies in a *cluster*: a maximal such run
with four digits or more. ``plausible_year_filter`` gives them ``digit_text`` of the page instead
of the page: the clusters, and of each stretch between two of them (or before the first, or
after the last) its first and last character, the rest of a stretch of three or more replaced by
one space; 3% of the text. Every character of a match is kept (a cluster, or next to one). No
match in the digit text can hold a space: it is not in ``Y``, and the characters beside it are
not digits (but the string's first or last, where no ``Y`` fits). So the stretches of kept text
hold the same matches in both strings, taken the same way (a match depends only on the
characters it reads), and ``findall`` (each match searched from the end of the last one) gives
the same list. ``digit_text`` is made once for the seven calls (the last page is kept).

``SIMPLE_PATTERN`` (``(?<!w3.org)\\D(YEAR)\\D``, the last resort) looks behind its ``\\D``, so it
runs on the page, as the findall of ``_Checked``: its tail ``(YEAR)\\D`` is searched (it has a
first character to skip to) and the pattern itself is matched one character before each place
found. The pattern matches at ``p`` only where the tail matches at ``p + 1``, so the places found
include, in order, every place where findall's next match can begin; each item is the pattern's
own match.

``regex_parse`` is htmldate's (its code) with ``LONG_TEXT_PATTERN.search(string, pos)`` done by
``long_text_search``. Both branches of that pattern end with a space and a year (``YEAR_RE``), and
no match holds another space followed by four digits: a match holds one such, at its end. So a
match that begins after one space-and-year and at or before the next ends at that next one: the
next one is searched for (skipping to spaces), then the pattern, only up to it and from 64
characters before it. A match begins at most 8 characters before its month word, which ends at
most 6 before the year; so a match beginning further back has letters (the pattern's
``[^\\W\\d_]``) on all 50 characters from 56 to 6 before the year: then the pattern is searched
from the start of that stretch (``pos``, or just after the year before).

Process time on the 37 strings, minimum of 6 runs alternated with htmldate's functions (the
machine's speed moves by 30%): ``search_page`` 27.5 -> 2.2 ms a call; a digit pattern's findall
2.7-5.2 ms -> 0.06-0.11 ms, after ``digit_text`` (1.1 ms, once); ``SIMPLE_PATTERN``'s 2.7 -> 0.8 ms;
``regex_parse`` 9.1 -> 0.3 ms. ``find_date`` as trafilatura calls it over the 483 traf-html dev
pages: 3.4-3.6 -> 1.8-2.0 ms a page (minimum of 7 alternated runs, three times). Not replaced:
``COPYRIGHT_PATTERN`` (0.6 ms a call), which already skips to its first characters (``©&C(``).
``tests/test_htmldate_fast.py`` compares the functions here with htmldate's on the strings that
``search_page`` gets from the bench pages and on generated ones, and ``find_date``'s date on every
bench page.

This relies on the texts and flags of the patterns, on ``plausible_year_filter``'s code (it reads
the page only through ``pattern.findall``) and on ``regex_parse``'s; ``install()`` puts the two
functions where ``search_page`` looks them up only when the digest of those is ``KNOWN_SOURCE``
(htmldate 1.11.0), else htmldate keeps its own. Another pattern goes to htmldate's
``plausible_year_filter`` as it is.
"""

from __future__ import annotations

import re
from collections import Counter
from datetime import datetime
from functools import cache
from typing import Any

from .pinning import Replacements, code_digest

#: Digest of the code and pattern texts everything here relies on (htmldate 1.11.0), see
#: ``source_digest()``.
KNOWN_SOURCE = "9339fb5f1a272e2d"

#: ``htmldate.core`` patterns whose every match is a character, a run of ASCII digits and
#: ``/.-`` that begins and ends with a digit and holds four digits or more, and a character,
#: with no look-around.
DIGIT_PATTERNS = ("THREE_PATTERN", "THREE_LOOSE_PATTERN", "SELECT_YMD_PATTERN", "DATESTRINGS_PATTERN",
                  "SLASHES_PATTERN", "YYYYMM_PATTERN", "MMYYYY_PATTERN")
#: What ``SIMPLE_PATTERN`` reads before its tail.
SIMPLE_HEAD = r"(?<!w3.org)\D"

#: A cluster: a maximal run of ASCII digits and ``/.-`` from a digit to a digit, with four digits
#: or more (searched from the end of the last one, it is found from its first digit: a digit of a
#: smaller run cannot reach three more, and the repeat is greedy).
_CLUSTER = re.compile(r"([0-9](?:[/.-]*[0-9]){3,})")
#: The end of every ``LONG_TEXT_PATTERN`` match: a space and ``YEAR_RE``.
_SPACE_YEAR = re.compile(" (?:199[0-9]|20[0-3][0-9])")
#: ``LONG_TEXT_PATTERN``'s month word characters, with its flags.
_LETTERS = re.compile(r"[^\W\d_]*", re.I)
#: How far before its year ``long_text_search`` first looks for a match.
_REACH = 64

#: The last page given to ``digit_text`` and its digit text.
_last: tuple[str, str] = ("", "")


class _Checked:
    """``findall`` of a one-group pattern that reads one character (and looks behind it) before
    ``tail``: the places where the tail matches, each checked by the pattern one character before."""

    def __init__(self, pattern: re.Pattern[str], tail: str) -> None:
        self.pattern, self.tail = pattern, re.compile(tail)

    def findall(self, string: str) -> list[str]:
        found: list[str] = []
        start = 1  # the next match begins at start - 1 or after
        while (place := self.tail.search(string, start)) is not None:
            match = self.pattern.match(string, place.start() - 1)
            if match is None:
                start = place.start() + 1
            else:
                found.append(match[1])
                start = match.end() + 1
        return found


def digit_text(page: str) -> str:
    """The page with all but the first and last character of each run of three or more between
    two clusters (or before the first, or after the last) replaced by a space."""
    global _last
    last, text = _last
    if last is not page:
        parts = _CLUSTER.split(page)
        parts[::2] = [gap if len(gap) < 3 else f"{gap[0]} {gap[-1]}" for gap in parts[::2]]
        text = "".join(parts)
        _last = (page, text)
    return text


def plausible_year_filter(htmlstring: str, *, pattern: re.Pattern[str], yearpat: re.Pattern[str],
                          earliest: datetime, latest: datetime) -> Counter[str]:
    """``htmldate.validators.plausible_year_filter``: on ``digit_text`` for the digit patterns, with
    ``_Checked``'s ``findall`` for ``SIMPLE_PATTERN``."""
    finder: Any = pattern
    if (plan := _plan()) is not None:
        digits, checked = plan
        if pattern in digits:
            htmlstring = digit_text(htmlstring)
        finder = checked.get(pattern, pattern)
    found: Counter[str] = original("plausible_year_filter")(htmlstring, pattern=finder, yearpat=yearpat,
                                                            earliest=earliest, latest=latest)
    return found


def long_text_search(string: str, pos: int) -> re.Match[str] | None:
    """``htmldate.extractors.LONG_TEXT_PATTERN.search(string, pos)``."""
    from htmldate.extractors import LONG_TEXT_PATTERN

    first = pos  # where a match ending at the next space-and-year can begin
    for year in _SPACE_YEAR.finditer(string, pos):
        at = year.start()
        # a match beginning before at - _REACH has letters from at - _REACH + 8 to at - 6
        start = at - _REACH
        if start <= first or _LETTERS.fullmatch(string, start + 8, at - 6) is not None:
            start = first
        if (match := LONG_TEXT_PATTERN.search(string, start, year.end())) is not None:
            return match
        first = at + 1
    return None


def regex_parse(string: str) -> datetime | None:
    """``htmldate.extractors.regex_parse`` (its code) with ``long_text_search``."""
    from htmldate import extractors

    months = extractors.MONTH_NUMBERS
    pos = 0
    while match := long_text_search(string, pos):
        word = extractors._fold_month_name(match["month"] or match["month2"])
        if match["month"]:
            word = word[-12:]
            word = next((word[i:] for i in range(len(word) - 2) if word[i:] in months), word)
        month = months.get(word)
        if month is None:
            pos = match.start() + 1
            continue
        try:
            dateobject = extractors._build_dmy(int(match["day"] or match["day2"]), month,
                                               int(match["year"] or match["year2"]))
        except ValueError:
            pos = match.end()
            continue
        extractors.LOGGER.debug("multilingual text found: %s", dateobject)
        return dateobject
    return None


def source_digest() -> str | None:
    """Digest of htmldate's ``plausible_year_filter`` and ``regex_parse`` and of the texts and
    flags of the patterns above and ``LONG_TEXT_PATTERN`` (None: no source to read)."""
    from htmldate import core, extractors, validators

    patterns = [getattr(core, name) for name in (*DIGIT_PATTERNS, "SIMPLE_PATTERN")]
    return code_digest([validators.plausible_year_filter, extractors.regex_parse,
                        *(repr((p.pattern, p.flags)) for p in (*patterns, extractors.LONG_TEXT_PATTERN))])


@cache
def _plan() -> tuple[frozenset[re.Pattern[str]], dict[re.Pattern[str], _Checked]] | None:
    """(the digit patterns, ``SIMPLE_PATTERN`` and its ``_Checked``), or None when htmldate's code
    is not the known one."""
    from htmldate import core

    if source_digest() != KNOWN_SOURCE:
        return None
    simple = core.SIMPLE_PATTERN
    return (frozenset(getattr(core, name) for name in DIGIT_PATTERNS),
            {simple: _Checked(simple, simple.pattern.removeprefix(SIMPLE_HEAD))})


def original(name: str) -> Any:
    """htmldate's own version of a function replaced here (also after ``install()``)."""
    return PATCHES.original(name)


REPLACED = {"plausible_year_filter": plausible_year_filter, "regex_parse": regex_parse}


def _core() -> Any:
    from htmldate import core

    return core


#: The functions here in ``htmldate.core`` and htmldate's own, kept by ``install()``.
PATCHES = Replacements(_core, REPLACED)


def install() -> bool:
    """Put the functions here where ``htmldate.core.search_page`` looks them up (idempotent);
    False, leaving htmldate's, when its code is not the one they were checked against."""
    if PATCHES.installed():
        return True  # installed (extract_html calls this for every page: the digest reads source files)
    if _plan() is None:
        return False
    PATCHES.install()
    return True


def uninstall() -> None:
    """Put htmldate's own functions back."""
    PATCHES.uninstall()
