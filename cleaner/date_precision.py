"""How much of a page's date the page gave: a day, only a month, or only a year.

htmldate always answers with a whole date: a page whose only date is a footer "© 2024" gets
"2024-01-01", a bare "2019" in its text "2019-01-01", and "2023/05" "2023-05-01"; but the
sidecar keeps a date at the precision given ("2024", "2023-05"), as the header's dates are.
Those answers all come from the last stage of ``find_date``, ``search_page``, which returns the
first of these that gives a date: patterns of a day, month and year (``_search_and_filter``,
``search_normalized``); a year and month (``YYYYMM_PATTERN`` then ``_finalize_candidate``, and
``search_normalized`` with ``MMYYYY_PATTERN``); a written date (``regex_parse`` then
``_finalize_candidate``); the copyright year (no function: ``datetime(copyear, 1, 1)``); a
year alone (``SIMPLE_PATTERN`` then ``_finalize_candidate``).

A date string that htmldate reads with dateutil ("2023-05" in a ``<time>`` or a line of its
own) had the parts it leaves out filled in from today's date: the page's date was "2023-05-07"
when it was cleaned on a 7th, another on the 8th. dateutil is given a fixed date to fill in from
instead (``FILL_IN``: the first day, as htmldate's own month patterns fill in), so the same page
has the same date any day; its precision is not known there (the string's parse is cached).

Within ``dates_found()`` (cleaner's extraction of a page), those functions are watched: the
first that gave a date says its precision (a ``_finalize_candidate`` by the last pattern
searched before it), and a date that none of them gave is the copyright year. Dates found by
the earlier stages (meta tags, JSON-LD, ``<time>``, the URL, text segments) are whole dates and
left alone, as is every date when htmldate's ``search_page`` is not the code this was written
for (``KNOWN_SOURCE``: htmldate 1.11.0 as installed here).

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
#: Digest of ``htmldate.extractors._date_candidates``, which calls dateutil (``dateutil_parse``).
KNOWN_CANDIDATES = "9194651e01d7bc55"
#: Where dateutil takes what a date string leaves out (its default: today).
FILL_IN = datetime(2000, 1, 1)
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
        found[result] = precision
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


def dateutil_parse(timestr: str, **kwargs: Any) -> datetime:
    """dateutil's ``parse`` as htmldate calls it, with the missing parts from ``FILL_IN``."""
    kwargs.setdefault("default", FILL_IN)
    parsed: datetime = FILL_PATCHES.original("dateutil_parse")(timestr, **kwargs)
    return parsed


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


FILL_PATCHES = Replacements(_extractors, {"dateutil_parse": dateutil_parse})


def candidates_digest() -> str | None:
    """Digest of htmldate's ``_date_candidates``, the one caller of ``dateutil_parse``."""
    return code_digest([_extractors()._date_candidates])


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
