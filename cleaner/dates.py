"""Read a date written at the start of a string, at the precision given.

``2025-02`` stays ``2025-02``; dotted and dashed day-month-year dates are day first
(``03.11.2024`` and ``3. 11. 2024`` are 3 November); month names in the languages of data/headers.toml.
Nothing is filled in: a date without a day has no day.
"""

from __future__ import annotations

from datetime import date as _date
from functools import cache

import regex

from .prefixes import alternation
from .vocab import month_names

MIN_YEAR = 1900
MAX_YEAR = 2100


@cache
def _month_alternation() -> str:
    """The month names of every language as one alternation, factored as a trie: a flat one of
    some 240 names made every date look-up a third slower (a longer name is still preferred:
    "march" over "mar")."""
    return f"(?:{alternation(month_names())})"


@cache
def _patterns() -> list[tuple[str, regex.Pattern[str]]]:
    """The date patterns, in the order they are tried. Each starts with a digit or a month
    name (a letter): parse_date relies on it (see _start)."""
    month = _month_alternation()
    end = r"(?=$|[\s,;|)\]]|\.(?:\s|$)|T\d)"
    return [
        # 2024-11-03, 2024/11/03, 2024-11, 2024-11-03T10:00:00Z
        ("ymd", regex.compile(rf"(?P<y>\d{{4}})[-/](?P<m>\d{{1,2}})(?:[-/](?P<d>\d{{1,2}}))?{end}"
                              r"(?:T[\d:.]+(?:Z|[+-]\d\d:?\d\d)?)?")),
        # 03.11.2024, 3-11-2024, 03/11/2024 (day first), 03.11.24
        ("dmy", regex.compile(rf"(?P<d>\d{{1,2}})[./-](?P<m>\d{{1,2}})[./-](?P<y>\d{{4}}|\d{{2}}){end}")),
        # 3. 11. 2024 (Czech, Slovak: a space after each dot)
        ("dmy", regex.compile(rf"(?P<d>\d{{1,2}})\. (?P<m>\d{{1,2}})\. (?P<y>\d{{4}}){end}")),
        # 3 March 2024, 3. März 2024, 3 de marzo de 2024, 3rd of March, 2024
        ("d_month_y", regex.compile(rf"(?P<d>\d{{1,2}})(?:st|nd|rd|th|er|º)?\.?\s*(?:de\s+|of\s+)?"
                                    rf"(?P<mon>{month})\.?,?\s*(?:de\s+)?(?P<y>\d{{4}}){end}", regex.I)),
        # March 3, 2024; Nov. 19, 2019
        ("month_d_y", regex.compile(rf"(?P<mon>{month})\.?\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?,?\s+"
                                    rf"(?P<y>\d{{4}}){end}", regex.I)),
        # March 2024, März 2024
        ("month_y", regex.compile(rf"(?P<mon>{month})\.?\s+(?:de\s+)?(?P<y>\d{{4}}){end}", regex.I)),
        # 2024
        ("y", regex.compile(rf"(?P<y>(?:19|20)\d\d){end}")),
    ]


@cache
def _by_start() -> tuple[list[tuple[str, regex.Pattern[str]]], list[tuple[str, regex.Pattern[str]]]]:
    """The patterns that start with a digit, and those that start with a month name (all of
    whose names are letters), each in the order of _patterns: a text can only match one group."""
    patterns = _patterns()
    month_first = [(style, p) for style, p in patterns if p.pattern.startswith("(?P<mon>")]
    return [item for item in patterns if item not in month_first], month_first


@cache
def _start() -> regex.Pattern[str]:
    """What every pattern of _patterns starts with: a digit or a month name."""
    if not all(name[:1].isalpha() for name in month_names()):  # parse_date and its callers rely on it
        raise ValueError("data/headers.toml: every month name must start with a letter")
    month = _month_alternation()
    return regex.compile(rf"\d|(?:{month})", regex.I)


def parse_date(text: str) -> tuple[str, int] | None:
    """(ISO date, characters used) for a date at the very start of ``text``, else None.

    >>> parse_date("2025-02 Elon Musk")
    ('2025-02', 7)
    >>> parse_date("03.11.2024")
    ('2024-11-03', 10)
    >>> parse_date("March 3, 2024")
    ('2024-03-03', 13)
    >>> parse_date("3. März 2024 in Berlin")
    ('2024-03-03', 12)
    >>> parse_date("palms grow in the desert") is None
    True
    """
    first = text[:1]
    if first.isdigit():
        patterns = _by_start()[0]
    elif first.isalpha() and _start().match(text):
        patterns = _by_start()[1]
    else:
        return None  # every pattern starts with a digit or a month name: none can match
    for style, pattern in patterns:
        match = pattern.match(text)
        if match is None:
            continue
        iso = _iso(style, match)
        if iso is not None:
            return iso, match.end()
    return None


def _iso(style: str, match: regex.Match[str]) -> str | None:
    groups = match.groupdict()
    year = int(groups["y"])
    if len(groups["y"]) == 2:
        year += 2000 if year < 70 else 1900
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    if style == "y":
        return f"{year:04d}"
    month = month_names()[groups["mon"].lower()] if groups.get("mon") else int(groups["m"])
    day = int(groups["d"]) if groups.get("d") else None
    if style == "dmy" and month > 12 and day is not None and day <= 12:
        day, month = month, day  # 11/25/2024: only month-first makes sense
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    try:
        _date(year, month, day)
    except ValueError:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"
