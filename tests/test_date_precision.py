"""A page's date keeps the precision the page gave: a year, a month or a day."""

from __future__ import annotations

import pytest

from cleaner import clean_html, date_precision, page_dates
from cleaner.config import CleanConfig

CONFIG = CleanConfig(detect_language=False)
BODY = "<p>" + " ".join(["Der Verband hat am Wochenende seine neue Satzung beschlossen und die "
                         "Mitglieder über die Änderungen informiert."] * 4) + "</p>"

known = pytest.mark.skipif(date_precision.source_digest() != date_precision.KNOWN_SOURCE,
                           reason="htmldate's search_page changed: check date_precision against it, "
                                  "then update KNOWN_SOURCE")


def page(before: str = "", after: str = "") -> str:
    return (f"<html><head><title>Satzung beschlossen</title></head><body><article>"
            f"<h1>Satzung beschlossen</h1>{before}{BODY}{BODY}</article>{after}</body></html>")


def date_of(html: str) -> tuple[str | None, str | None]:
    """The sidecar's date, and the page metadata's."""
    result = clean_html(html, CONFIG)
    return result.date, result.sidecar["metadata"]["page"].get("date")


@known
@pytest.mark.parametrize("html, expected", [
    (page(after="<footer>© 2024 Beispiel GmbH</footer>"), "2024"),  # htmldate: "2024-01-01"
    (page(after="<footer>Copyright 2021 Beispiel GmbH</footer>"), "2021"),
    (page(before="<p>Seit 2019 gilt die alte Satzung nicht mehr.</p>"), "2019"),  # a year in the text
    (page(after='<div><a href="/archiv/2023-05/">Archiv</a></div>'), "2023-05"),  # a month: "2023-05-01"
    (page(after='<div><a href="/archiv/05-2023/">Archiv</a></div><footer>© 2019</footer>'), "2023-05"),
])
def test_a_date_given_as_a_year_or_a_month_keeps_that_precision(html: str, expected: str) -> None:
    assert date_of(html) == (expected, expected)


@known
@pytest.mark.parametrize("html, expected", [
    # whole dates that look like htmldate's filling-in: the first of January, the first of a month
    (page(before="<p>Veröffentlicht am 2024-01-01</p>", after="<footer>© 2024</footer>"), "2024-01-01"),
    (page(after='<div><a href="/archiv/2023-05-01/">Archiv</a></div><footer>© 2019</footer>'), "2023-05-01"),
    (page(after="<div><span>am 1. Januar 2021 veröffentlicht</span></div><footer>© 2019</footer>"),
     "2021-01-01"),
    (page(after='<div><a href="/archiv/2023-05-07/">Archiv</a></div><footer>© 2019</footer>'), "2023-05-07"),
    (page(after='<div data-note="updated January 1, 2021 by"></div><footer>© 2019</footer>'), "2021-01-01"),
    ('<html><head><meta property="article:published_time" content="2024-01-01"></head><body>'
     f"{BODY}{BODY}<footer>© 2024</footer></body></html>", "2024-01-01"),
])
def test_a_whole_date_the_page_gives_stays_whole(html: str, expected: str) -> None:
    assert date_of(html) == (expected, expected)


@known
def test_a_vocabulary_address_the_page_declares_is_not_its_date() -> None:
    # the RDF schema's address holds "2000/01", SKOS's "2004/02": a page that gave no other date
    # was dated "2000-01"; the page's own year (its footer) is its date
    vocabularies = ('<html xmlns:rdfs="http://www.w3.org/2000/01/rdf-schema#" '
                    'xmlns:skos="http://www.w3.org/2004/02/skos/core#">')
    assert date_of(page().replace("<html>", vocabularies)) == (None, None)
    html = page(after="<footer>© 2019 Beispiel GmbH</footer>").replace("<html>", vocabularies)
    assert date_of(html) == ("2019", "2019")


def test_other_htmldate_code_leaves_its_dates_as_they_are(monkeypatch: pytest.MonkeyPatch) -> None:
    date_precision.uninstall()
    monkeypatch.setattr(date_precision, "KNOWN_SOURCE", "0" * 16)
    date_precision._known.cache_clear()
    try:
        assert date_precision.install() is False
        assert date_of(page(after="<footer>© 2024 Beispiel GmbH</footer>")) == ("2024-01-01", "2024-01-01")
    finally:
        monkeypatch.undo()
        date_precision._known.cache_clear()
        date_precision.install()


candidates_known = pytest.mark.skipif(
    date_precision.candidates_digest() != date_precision.KNOWN_CANDIDATES,
    reason="htmldate's _date_candidates changed: check date_precision.date_candidates against it")


@candidates_known
@pytest.mark.parametrize("date_line", ["<time>2023-05</time>", "<p>2023-05</p>", '<p class="date">2023/05</p>',
                                       "<p>05/2023</p>", "<p>Erschienen in Ausgabe 05/2023</p>",
                                       '<time datetime="2023-05">Mai</time>'])
def test_a_month_that_a_date_string_gives_stays_a_month(date_line: str) -> None:
    """htmldate reads "2023-05" with dateutil, "05/2023" with its month pattern, and both
    gave "2023-05-01", a day the page never gave. (Before that, dateutil filled the day in from
    today's date: 2023-05-07 when cleaned on a 7th, 2023-05-08 the next day.) The second page
    finds the string in the cache, with its precision."""
    from cleaner import caches

    caches.clear()
    page_dates.PATCHES.original("try_date_expr").cache_clear()  # (htmldate's cache of strings)
    assert date_of(page(before=date_line)) == ("2023-05", "2023-05")
    assert date_of(page(before=date_line, after="<p>Noch ein Absatz.</p>")) == ("2023-05", "2023-05")


@candidates_known
@pytest.mark.parametrize("date_line", ["<p>2023/05/07</p>", "<time>2023-05-07</time>", "<p>07.05.2023</p>",
                                       "<p>20230507</p>", "<p>7. Mai 2023</p>"])
def test_a_day_that_a_date_string_gives_stays_a_day(date_line: str) -> None:
    assert date_of(page(before=date_line)) == ("2023-05-07", "2023-05-07")


@candidates_known
def test_a_day_given_anywhere_on_the_page_is_not_cut_to_a_month() -> None:
    # the first of May as a whole date in a <time>, and "05/2023" (the same date, as a month)
    html = page(before="<p>Ausgabe 05/2023</p>", after="<time>2023-05-01</time>")
    assert date_of(html) == ("2023-05-01", "2023-05-01")


def test_the_copy_of_the_candidates_gives_htmldates_candidates() -> None:
    """date_candidates stands in for htmldate's _date_candidates: the same candidates in the same
    order, for strings of every stage (the original is run with dateutil's fill-in fixed)."""
    from datetime import datetime
    from unittest import mock

    from htmldate import extractors

    original = date_precision.FILL_PATCHES.original("_date_candidates")
    strings = ["2023-05", "2023/05/07", "20230507", "2023-05-07T10:00", "05/2023", "07.05.2023",
               "8/2021", "7. Mai 2023", "May 7, 2023", "2023 May", "19990231", "31.02.2023", "13/2023",
               "Ausgabe 05/2023 vom 7. Mai", "abc", "2023-13"]
    parse = extractors.dateutil_parse
    with mock.patch.object(extractors, "dateutil_parse",
                           lambda s, **k: parse(s, **{**k, "default": datetime(2000, 1, 1)})):
        expected = [list(original(s)) for s in strings]
    assert [list(date_precision.date_candidates(s)) for s in strings] == expected
    assert any(len(e) > 2 for e in expected)  # (strings that reach several stages)
