"""htmldate's last resort for a date string, dateparser, in the page's own language.

htmldate hands a date string its own patterns cannot read ("13 abril de 2022", "15 августа
2016, 13:43") to dateparser with every language dateparser has (``languages=None``), which then
tries the string on each of its locales: 20-45 ms a string (18 strings on the 562 traf-html and
zyte-html dev pages, 11 of them giving no date), and about 3 s for the first string of a
process, which loads all the locales (``cleaner clean page.html`` took 4.5 s instead of 1.5 s on
such a page). And a string is read in the first locale that parses it, English before any
other: "4. 2. 2022." on a German page became 2 April, not 4 February.

Inside cleaner's extraction of a page that declares a language dateparser has (``<html
lang="de-AT">``: "de"; without that attribute, a ``content-language``, ``og:locale`` or
``language`` meta tag: ``declared_language``), the string is read in that language, then in English (dates written in
English are common on pages in any language), in that order and with that language's day and
month order: 0.7-2 ms a string, and one language's locales loaded. A page that declares no
language, or one dateparser does not have, is read as htmldate reads it. On the 562 dev pages
one page date changed, the one above, to the right one.

htmldate keeps what ``try_date_expr`` found for a string in a cache that does not know the
language: within the extraction the cache here, keyed by the language too, stands in for it,
so that a page's date does not depend on which pages came before it. It keeps the precision of
the date too ("05/2023" gives only a month: ``date_precision``), noted again for every page
that holds the string. Outside (a library user
calling htmldate), htmldate runs as it is. Installed only over the htmldate code it was written
for (``KNOWN_SOURCE``, htmldate 1.11.0: the parser's settings below are its settings).
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from functools import cache, lru_cache
from typing import Any

from . import caches, date_precision
from .pinning import Replacements, code_digest, install_pinned

#: Digest of htmldate's ``get_external_parser``, ``_external_date`` and ``try_date_expr``.
KNOWN_SOURCE = "5eb67446ee82f71e"
#: htmldate's dateparser settings (``get_external_parser``).
SETTINGS = {
    "NORMALIZE": True,
    "PARSERS": ["custom-formats", "absolute-time"],
    "PREFER_DATES_FROM": "past",
    "PREFER_LOCALE_DATE_ORDER": True,
    "RETURN_AS_TIMEZONE_AWARE": False,
    "STRICT_PARSING": True,
}
#: Read after the page's language, when that is another one.
ALSO = "en"
#: Strings read in a language and kept (htmldate's own cache holds as many).
CACHE_SIZE = 8192

_LOCAL = threading.local()


def dateparser_language(lang: str | None) -> str | None:
    """The dateparser language of a page's ``lang`` attribute, None when it has none.

    >>> dateparser_language("de-AT"), dateparser_language(" PT_br "), dateparser_language("xx")
    ('de', 'pt', None)
    """
    if not lang:
        return None
    code = lang.strip().lower().replace("_", "-").split("-")[0]
    return code if code in _languages() else None


#: Where a page without a ``lang`` attribute declares its language, in this order.
_DECLARED = ('//head/meta[translate(@http-equiv, "CONTENT-LANGUAGE", "content-language")'
             ' = "content-language"]/@content',
             '//head/meta[@property = "og:locale" or @name = "og:locale"]/@content',
             '//head/meta[translate(@name, "LANGUAGE", "language") = "language"]/@content')


def declared_language(tree: Any) -> str | None:
    """The language a page declares for its date strings, one dateparser knows: its ``lang``
    (``xml:lang``) attribute's, else the first of its meta tags above ("de_DE", "de, en": "de"),
    else None.

    >>> from lxml.html import fromstring
    >>> declared_language(fromstring('<html><head><meta property="og:locale" content="pt_BR">'
    ...                              '</head><body><p>x</p></body></html>'))
    'pt'
    """
    found = dateparser_language(tree.get("lang") or tree.get("xml:lang"))
    if found:
        return found
    for path in _DECLARED:
        for value in _xpath(path)(tree):
            found = dateparser_language(value.split(",")[0])
            if found:
                return found
    return None


@cache
def _xpath(path: str) -> Any:
    from lxml.etree import XPath

    return XPath(path, smart_strings=False)


@cache
def _languages() -> frozenset[str]:
    from dateparser.data import language_order

    return frozenset(language_order)


@contextmanager
def page_language(lang: str | None) -> Iterator[None]:
    """Within, in this thread, htmldate reads date strings in the language of ``lang`` (a
    page's ``lang`` attribute, or ``declared_language``) when dateparser has it."""
    previous = getattr(_LOCAL, "language", None)
    _LOCAL.language = dateparser_language(lang) if install() else None
    try:
        yield
    finally:
        _LOCAL.language = previous


def try_date_expr(string: str | None, outputformat: str, extensive_search: bool,
                  min_date: datetime, max_date: datetime) -> str | None:
    """htmldate's ``try_date_expr``, cached by the page's language too, and the precision of the
    date it reads noted while ``date_precision.dates_found`` watches."""
    language = getattr(_LOCAL, "language", None)
    if language is None and not date_precision.watching():
        found: str | None = PATCHES.original("try_date_expr")(string, outputformat, extensive_search,
                                                              min_date, max_date)
        return found
    date, precision = _read(string, outputformat, extensive_search, min_date, max_date, language)
    date_precision.note(date, precision)
    return date


@lru_cache(maxsize=CACHE_SIZE)
def _read(string: str | None, outputformat: str, extensive_search: bool, min_date: datetime,
          max_date: datetime, language: str | None) -> tuple[str | None, date_precision.Precision]:
    # htmldate's function, not its cache (which keeps neither the language nor the precision);
    # it calls ``external_date`` below for dateparser
    found: str | None = PATCHES.original("try_date_expr").__wrapped__(string, outputformat, extensive_search,
                                                                      min_date, max_date)
    return found, date_precision.last_precision()


caches.register(_read.cache_clear)


def external_date(string: str) -> datetime | None:
    """htmldate's ``_external_date``: dateparser's date of the string, in the page's language."""
    language = getattr(_LOCAL, "language", None)
    if language is None:
        found: datetime | None = PATCHES.original("_external_date")(string)
        return found
    try:
        found = _parser(language).get_date_data(string)["date_obj"]
    except (OverflowError, ValueError):  # as htmldate's
        return None
    return found


@cache
def _parser(language: str) -> Any:
    from dateparser import DateDataParser

    languages = [language] if language == ALSO else [language, ALSO]
    return DateDataParser(languages=languages, settings=SETTINGS, use_given_order=True)


def source_digest() -> str | None:
    """Digest of htmldate's own functions (also once the ones here are installed)."""
    from htmldate import extractors

    return code_digest([extractors.get_external_parser, PATCHES.original("_external_date"),
                        PATCHES.original("try_date_expr")])


def _extractors() -> Any:
    from htmldate import extractors

    return extractors


def _core() -> Any:
    from htmldate import core

    return core


#: ``try_date_expr_opts`` reads ``try_date_expr`` in htmldate.extractors, ``find_date`` in
#: htmldate.core (imported by name); ``try_date_expr`` reads ``_external_date``.
PATCHES = Replacements(_extractors, {"try_date_expr": try_date_expr, "_external_date": external_date})
CORE_PATCHES = Replacements(_core, {"try_date_expr": try_date_expr}, origin=_extractors)


def install() -> bool:
    """Put the functions here in htmldate (idempotent; outside ``page_language`` they run
    htmldate's own); False, leaving htmldate's, when its code is not the one known."""
    return install_pinned((PATCHES, CORE_PATCHES), _known)


@cache
def _known() -> bool:
    return source_digest() == KNOWN_SOURCE


def uninstall() -> None:
    """Put htmldate's own functions back."""
    CORE_PATCHES.uninstall()
    PATCHES.uninstall()
