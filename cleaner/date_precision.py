"""How much of a page's date the page gave: a day, only a month, or only a year.

htmldate always answers with a whole date: a page whose only date is a footer "© 2024" gets
"2024-01-01", a bare "2019" in its text "2019-01-01", and "2023/05" "2023-05-01"; but the
sidecar keeps a date at the precision given ("2024", "2023-05"), as the header's dates are.

Most such answers come from the last stage of ``find_date``, ``search_page``, which returns the
first of these that gives a date: patterns of a day, month and year (``_search_and_filter``,
``search_normalized``); a year and month (``YYYYMM_PATTERN`` then ``_finalize_candidate``, and
``search_normalized`` with ``MMYYYY_PATTERN``); a written date (``regex_parse`` then
``_finalize_candidate``); the copyright year (no function: ``datetime(copyear, 1, 1)``); a
year alone (``SIMPLE_PATTERN`` then ``_finalize_candidate``). Within ``dates_found()``
(cleaner's extraction of a page), those functions are watched: the first that gave a date says
its precision (a ``_finalize_candidate`` by the last pattern searched before it), and a date
that none of them gave is the copyright year.

A date string that the earlier stages read (a ``<time>``, a meta tag, a line of the page) goes
through ``try_date_expr``, whose candidates (``_date_candidates``) fill in a missing day too:
"05/2023" and "2023-05" (read with dateutil) became "2023-05-01". Here a copy,
``date_candidates``, yields the same candidates in the same order and notes the precision of
each (``last_precision``); ``page_dates`` keeps it with the string's date in its cache, and
``note`` records it while ``dates_found`` watches. Of two precisions for one date the finer is
kept. dateutil had filled a missing day in from today's date (the page's date was "2023-05-07"
when it was cleaned on a 7th, another on the 8th); the copy gives it a fixed date to fill in
from (``FILL_IN``), so the same page has the same date any day, and a second one
(``FILL_IN_OTHER``) tells which parts the string gave.

Every date is left as htmldate gives it when its code is not the code this was written for
(``KNOWN_SOURCE``, ``KNOWN_CANDIDATES``: htmldate 1.11.0 as installed here).

The page that ``search_page`` reads is the page's HTML, its attributes too: the address of a
vocabulary a page declares (``xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#"``, SKOS's
``/2004/02/``) was its date, "2000-01", on a page that gave no other. Within ``dates_found()``
such addresses (VOCABULARY_URL) are left out of what it reads: their dates are the
vocabulary's, never the page's.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache
from typing import Any, Literal

from .pinning import Replacements, code_digest, install_pinned

Precision = Literal["day", "month", "year"]

#: Digest of ``htmldate.core.search_page``, whose returns the functions here follow.
KNOWN_SOURCE = "dec69163e3cb8c3a"
#: Digest of ``htmldate.extractors._date_candidates``, which ``date_candidates`` copies.
KNOWN_CANDIDATES = "9194651e01d7bc55"
#: Where dateutil takes what a date string leaves out (its default: today).
FILL_IN = datetime(2000, 1, 1)
#: A second such date: a day or a month that differs between the two was not in the string.
FILL_IN_OTHER = datetime(2001, 2, 2)
#: Precisions from the finest: of two for one date, the finer is kept (a date that one part of
#: the page gives whole is not cut because another gives only its month).
FINEST_FIRST: tuple[Precision, ...] = ("day", "month", "year")
#: Characters of an ISO date kept at each precision.
ISO_CHARS: dict[Precision, int] = {"day": 10, "month": 7, "year": 4}

#: Addresses of vocabularies and profiles that pages declare (RDF, SKOS, Dublin Core, FOAF,
#: Open Graph, schema.org, XFN), whose paths hold the year (and month) of their specification.
VOCABULARY_URL = re.compile(
    r"https?://(?:www\.)?(?:w3\.org|purl\.org|xmlns\.com|ogp\.me|schema\.org|gmpg\.org|rdfs\.org)/[^\s\"'<>]*")

_LOCAL = threading.local()


class _Search:
    """What one ``search_page`` call did: the last pattern searched, the copyright year, and
    the first date a stage returned with its precision."""

    __slots__ = ("copyright", "found", "stage")

    def __init__(self) -> None:
        self.stage: Any = None
        self.copyright: str | None = None
        self.found: tuple[str, Precision] | None = None

    def gave(self, date: str | None, precision: Precision) -> None:
        if date is not None and self.found is None:
            self.found = (date, precision)

    def precision_of(self, date: str) -> Precision | None:
        if self.found is not None:
            return self.found[1] if self.found[0] == date else None
        if self.copyright is not None and date.startswith(self.copyright):  # (the last resort but one)
            return "year"
        return None


def search_page(htmlstring: str, options: Any) -> str | None:
    """htmldate's ``search_page``, its date's precision noted in ``dates_found``."""
    found: dict[str, Precision] | None = getattr(_LOCAL, "found", None)
    if found is None:
        result: str | None = PATCHES.original("search_page")(htmlstring, options)
        return result
    outer, search = getattr(_LOCAL, "search", None), _Search()
    _LOCAL.search = search
    try:
        result = PATCHES.original("search_page")(VOCABULARY_URL.sub(" ", htmlstring), options)
    finally:
        _LOCAL.search = outer
    precision = search.precision_of(result) if result is not None else None
    if result is not None and precision is not None:
        _record(found, result, precision)
    return result


def search_pattern(htmlstring: str, pattern: Any, catch: Any, yearpat: Any, options: Any) -> Any:
    match = PATCHES.original("search_pattern")(htmlstring, pattern, catch, yearpat, options)
    search: _Search | None = getattr(_LOCAL, "search", None)
    if search is not None:
        search.stage = pattern
        if pattern is _core().COPYRIGHT_PATTERN and match is not None:
            search.copyright = match[1]
    return match


def search_normalized(htmlstring: str, pattern: Any, *args: Any) -> str | None:
    search: _Search | None = getattr(_LOCAL, "search", None)
    result: str | None = PATCHES.original("search_normalized")(htmlstring, pattern, *args)
    if search is not None:
        search.stage = pattern
        search.gave(result, "month" if pattern is _core().MMYYYY_PATTERN else "day")
    return result


def _search_and_filter(*args: Any) -> str | None:
    result: str | None = PATCHES.original("_search_and_filter")(*args)
    search: _Search | None = getattr(_LOCAL, "search", None)
    if search is not None:
        search.gave(result, "day")
    return result


def _finalize_candidate(*args: Any) -> str | None:
    result: str | None = PATCHES.original("_finalize_candidate")(*args)
    search: _Search | None = getattr(_LOCAL, "search", None)
    if search is not None:
        core = _core()
        search.gave(result, "month" if search.stage is core.YYYYMM_PATTERN
                    else "year" if search.stage is core.SIMPLE_PATTERN else "day")  # (else regex_parse's)
    return result


def date_candidates(string: str) -> Iterator[datetime | None]:
    """htmldate's ``_date_candidates`` (1.11.0: ``KNOWN_CANDIDATES``), the same candidates in
    the same order, each one's precision noted (``last_precision``) before it is given; and
    dateutil fills a missing part in from ``FILL_IN``, not from today. ``custom_parse`` takes
    the first candidate that is a valid date, so the precision noted last is that date's."""
    ex = _extractors()
    if string[:4].isdigit():  # 1. a string that begins with a year
        candidate, precision = None, "day"
        if string[4:8].isdigit():
            try:
                candidate = ex._parse_yyyymmdd(string)
            except ValueError:
                pass
        else:
            try:
                candidate = datetime.fromisoformat(string)
            except ValueError:
                try:
                    candidate = _dateutil(string, FILL_IN)
                    precision = _given(candidate, _dateutil(string, FILL_IN_OTHER))
                except (OverflowError, TypeError, ValueError):
                    pass
        _LOCAL.precision = precision
        yield candidate
    _LOCAL.precision = "day"
    match = ex.YMD_NO_SEP_PATTERN.search(string)  # 2. YYYYMMDD
    if match:
        try:
            candidate = ex._parse_yyyymmdd(match[1])
        except ValueError:
            pass
        else:
            yield candidate
    match = ex.YMD_PATTERN.search(string)  # 3. Y-M-D, D-M-Y
    if match:
        try:
            if match.lastgroup == "day":
                candidate = datetime(int(match.group("year")), int(match.group("month")),
                                     int(match.group("day")))
            else:
                candidate = ex._build_dmy(int(match.group("day2")), int(match.group("month2")),
                                          int(match.group("year2")))
        except ValueError:
            pass
        else:
            yield candidate
    match = ex.YM_PATTERN.search(string)  # 4. Y-M, M-Y: a month
    if match:
        try:
            candidate = datetime(int(match.group("year") or match.group("year2")),
                                 int(match.group("month") or match.group("month2")), 1)
        except ValueError:
            pass
        else:
            _LOCAL.precision = "month"
            yield candidate
    _LOCAL.precision = "day"
    yield ex.regex_parse(string)  # 5. a written date, with its day


def _dateutil(string: str, default: datetime) -> datetime:
    parsed: datetime = _extractors().dateutil_parse(string, fuzzy=False, default=default)
    return parsed


def _given(parsed: datetime, other: datetime) -> Precision:
    """How much of a date string dateutil read as ``parsed`` and ``other`` (with other parts to
    fill in) the string gave."""
    return "day" if parsed.day == other.day else "month" if parsed.month == other.month else "year"


def last_precision() -> Precision:
    """The precision of the candidate ``date_candidates`` gave last in this thread (``day``
    before any, or when htmldate's own candidates run)."""
    precision: Precision = getattr(_LOCAL, "precision", "day")
    return precision


def note(date: str | None, precision: Precision) -> None:
    """Within ``dates_found``: a date htmldate read from a string of the page, at the string's
    precision (elsewhere nothing)."""
    found: dict[str, Precision] | None = getattr(_LOCAL, "found", None)
    if found is not None and date is not None:
        # (a date compared as a reference, "2023-05-01T00:00:00.000000", is given as its day)
        _record(found, date[:ISO_CHARS["day"]], precision)


def watching() -> bool:
    """Is ``dates_found`` collecting in this thread?"""
    return getattr(_LOCAL, "found", None) is not None


def _record(found: dict[str, Precision], date: str, precision: Precision) -> None:
    known = found.get(date)
    if known is None or FINEST_FIRST.index(precision) < FINEST_FIRST.index(known):
        found[date] = precision


@contextmanager
def dates_found() -> Iterator[dict[str, Precision]]:
    """Within, in this thread: {a date ``search_page`` returned: its precision}, for the dates
    whose precision is known."""
    outer = getattr(_LOCAL, "found", None)
    found: dict[str, Precision] = {}
    _LOCAL.found = found if install() else None
    try:
        yield found
    finally:
        _LOCAL.found = outer


def at_precision(date: str, found: dict[str, Precision]) -> str:
    """``date`` (an ISO date from htmldate) cut to the precision the page gave it.

    >>> at_precision("2024-01-01", {"2024-01-01": "year"})
    '2024'
    >>> at_precision("2023-05-01", {"2023-05-01": "month"})
    '2023-05'
    >>> at_precision("2024-01-01", {}), at_precision("2024-01-01T10:00", {"2024-01-01": "year"})
    ('2024-01-01', '2024-01-01T10:00')
    """
    precision = found.get(date)
    return date[:ISO_CHARS[precision]] if precision is not None else date


def _core() -> Any:
    from htmldate import core

    return core


PATCHES = Replacements(_core, {"search_page": search_page, "search_pattern": search_pattern,
                               "search_normalized": search_normalized,
                               "_search_and_filter": _search_and_filter,
                               "_finalize_candidate": _finalize_candidate})


def _extractors() -> Any:
    from htmldate import extractors

    return extractors


FILL_PATCHES = Replacements(_extractors, {"_date_candidates": date_candidates})


def candidates_digest() -> str | None:
    """Digest of htmldate's ``_date_candidates`` (also once the copy here is installed)."""
    return code_digest([FILL_PATCHES.original("_date_candidates")])


def source_digest() -> str | None:
    """Digest of htmldate's ``search_page`` (also once the functions here are installed)."""
    return code_digest([PATCHES.original("search_page")])


def install() -> bool:
    """Put the functions here in ``htmldate.core`` (idempotent); False, leaving htmldate's,
    when its ``search_page`` is not the one known."""
    install_pinned((FILL_PATCHES,), _candidates_known)  # (on its own: other code, other digest)
    return install_pinned((PATCHES,), _known)


@cache
def _known() -> bool:
    return source_digest() == KNOWN_SOURCE


@cache
def _candidates_known() -> bool:
    return candidates_digest() == KNOWN_CANDIDATES


def uninstall() -> None:
    """Put htmldate's own functions back."""
    PATCHES.uninstall()
    FILL_PATCHES.uninstall()
