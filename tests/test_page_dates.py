"""A page's date string that htmldate hands to dateparser is read in the page's language."""

from __future__ import annotations

import pytest
from htmldate import core, extractors, find_date

from cleaner import caches, clean_html, page_dates
from cleaner.config import CleanConfig

CONFIG = CleanConfig(detect_language=False)
BODY = "<p>" + " ".join(["Der Verband hat am Wochenende seine neue Satzung beschlossen und die "
                         "Mitglieder über die Änderungen informiert."] * 4) + "</p>"
#: A date line that only dateparser reads (thin spaces): 4 February 2022, day first in German.
DATE_LINE = ('<div class="att-publish-date">Von <span>Deutscher Tennis Bund</span> '
             '4.&thinsp;2.&thinsp;2022.</div>')

known = pytest.mark.skipif(page_dates.source_digest() != page_dates.KNOWN_SOURCE,
                           reason="htmldate's code changed: check page_dates against it, "
                                  "then update KNOWN_SOURCE")


def page(lang: str | None) -> str:
    attribute = f' lang="{lang}"' if lang is not None else ""
    return (f"<html{attribute}><head><title>Satzung beschlossen</title></head>"
            f"<body>{DATE_LINE}{BODY}</body></html>")


def clear() -> None:
    """cleaner's caches and htmldate's own cache of date strings."""
    caches.clear()
    page_dates.PATCHES.original("try_date_expr").cache_clear()


def htmldate_own(html: str) -> str | None:
    """The date of the page as cleaner found it before this module: htmldate's own functions."""
    page_dates.uninstall()
    clear()
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(page_dates, "install", lambda: False)  # extract_html installs it again
        date = clean_html(html, CONFIG).date
    page_dates.install()
    return date


@known
def test_a_declared_language_reads_the_date_in_its_day_and_month_order() -> None:
    assert htmldate_own(page("de")) == "2022-04-02"  # dateparser tried English first: 2 April
    clear()
    assert clean_html(page("de"), CONFIG).date == "2022-02-04"
    assert clean_html(page("de-AT"), CONFIG).date == "2022-02-04"


@known
@pytest.mark.parametrize("lang", [None, "", "xx-YY"])
def test_without_a_language_dateparser_knows_htmldate_reads_it_as_before(lang: str | None) -> None:
    expected = htmldate_own(page(lang))
    clear()
    assert clean_html(page(lang), CONFIG).date == expected


@known
@pytest.mark.parametrize("meta", ['<meta property="og:locale" content="de_DE">',
                                  '<meta http-equiv="Content-Language" content="de, en">',
                                  '<meta name="language" content="de">'])
@pytest.mark.parametrize("lang", [None, "xx-YY"])
def test_without_a_usable_lang_attribute_a_meta_tag_declares_the_language(meta: str, lang: str | None) -> None:
    html = page(lang).replace("<head>", "<head>" + meta)
    assert htmldate_own(html) == "2022-04-02"
    clear()
    assert clean_html(html, CONFIG).date == "2022-02-04"


def test_the_lang_attribute_comes_before_the_meta_tags() -> None:
    from lxml.html import fromstring

    tree = fromstring('<html lang="fr"><head><meta property="og:locale" content="de_DE"></head>'
                      '<body><p>x</p></body></html>')
    assert page_dates.declared_language(tree) == "fr"
    tree.attrib.pop("lang")
    assert page_dates.declared_language(tree) == "de"
    assert page_dates.declared_language(fromstring("<html><body><p>x</p></body></html>")) is None


@known
def test_the_date_does_not_depend_on_the_pages_cleaned_before() -> None:
    pages = [page("de"), page("en"), page(None), page("de")]
    clear()
    forward = [clean_html(p, CONFIG).date for p in pages]
    clear()
    backward = [clean_html(p, CONFIG).date for p in reversed(pages)][::-1]
    assert forward == backward
    assert forward[0] == forward[3] == "2022-02-04"
    assert forward[1] != forward[0]  # the same string read on an English page: English first


@known
def test_htmldate_called_outside_cleaner_runs_as_it_is() -> None:
    html = page("de")
    clean_html(html, CONFIG)  # installs the replacements
    assert extractors.try_date_expr is page_dates.try_date_expr
    assert core.try_date_expr is page_dates.try_date_expr
    ours = find_date(html, extensive_search=True, original_date=True)
    page_dates.uninstall()
    clear()
    try:
        theirs = find_date(html, extensive_search=True, original_date=True)
    finally:
        page_dates.install()
    assert ours == theirs == "2022-04-02"


def test_other_htmldate_code_keeps_its_own_functions(monkeypatch: pytest.MonkeyPatch) -> None:
    page_dates.uninstall()
    page_dates._known.cache_clear()
    monkeypatch.setattr(page_dates, "KNOWN_SOURCE", "0" * 16)
    try:
        assert not page_dates.install()
        with page_dates.page_language("de"):
            assert page_dates._LOCAL.language is None
        assert extractors.try_date_expr is page_dates.PATCHES.original("try_date_expr")
        assert extractors._external_date is page_dates.PATCHES.original("_external_date")
    finally:
        monkeypatch.undo()
        page_dates._known.cache_clear()
        page_dates.install()


def test_the_language_is_set_only_inside_and_restored() -> None:
    with page_dates.page_language("de"):
        inner = page_dates._LOCAL.language
        with page_dates.page_language(None):
            assert page_dates._LOCAL.language is None
        assert page_dates._LOCAL.language == inner
    assert page_dates._LOCAL.language is None
    if page_dates.install():
        assert inner == "de"


def test_the_digest_is_of_htmldates_own_code_also_once_installed() -> None:
    before = page_dates.source_digest()
    assert page_dates.install() == (before == page_dates.KNOWN_SOURCE)
    assert page_dates.source_digest() == before
