"""htmldate's page-wide date search gives the same results with the functions of htmldate_fast."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Any

import pytest
from htmldate import core, extractors, validators
from htmldate.utils import Extractor
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner import html_tree, htmldate_fast
from cleaner.extract import decode_html

from .conftest import bench_pages, needs_bench

ORIGINAL_FILTER = validators.plausible_year_filter
ORIGINAL_PARSE = extractors.regex_parse
DIGIT_PATTERNS = [getattr(core, name) for name in htmldate_fast.DIGIT_PATTERNS]
FILTERED = [*DIGIT_PATTERNS, core.SIMPLE_PATTERN, core.COPYRIGHT_PATTERN]
MAX_DATE = "2025-06-30"
known = pytest.mark.skipif(htmldate_fast.source_digest() != htmldate_fast.KNOWN_SOURCE,
                           reason="htmldate's code changed: check htmldate_fast against it, then update "
                                  "KNOWN_SOURCE")
bench_only = needs_bench


def options() -> Extractor:
    return Extractor(True, validators.get_max_date(MAX_DATE), validators.get_min_date(None), True, "%Y-%m-%d")


def described(match: re.Match[str] | None) -> Any:
    return match and (match.span(), match.groupdict())


def same_digit_matches(page: str) -> None:
    htmldate_fast._last = ("", "")  # made anew: a string equal to the last one is not the last one
    digits = htmldate_fast.digit_text(page)
    for pattern in DIGIT_PATTERNS:
        assert pattern.findall(digits) == pattern.findall(page), pattern.pattern


def assert_same(page: str, positions: Iterable[int] | None = None) -> None:
    """Each digit pattern's findall on the digit text, ``SIMPLE_PATTERN``'s, the filtered years,
    the text search (from every position, or those given) and its date."""
    same_digit_matches(page)
    plan = htmldate_fast._plan()
    assert plan is not None
    assert plan[1][core.SIMPLE_PATTERN].findall(page) == core.SIMPLE_PATTERN.findall(page)
    bounds = options()
    for pattern in FILTERED:
        args = {"pattern": pattern, "yearpat": core.YEAR_PATTERN, "earliest": bounds.min,
                "latest": bounds.max}
        theirs, ours = ORIGINAL_FILTER(page, **args), htmldate_fast.plausible_year_filter(page, **args)
        assert list(ours.items()) == list(theirs.items()), pattern.pattern  # the order settles ties
    for pos in range(len(page) + 1) if positions is None else positions:
        theirs_match = extractors.LONG_TEXT_PATTERN.search(page, pos)
        assert described(htmldate_fast.long_text_search(page, pos)) == described(theirs_match), pos
    assert htmldate_fast.regex_parse(page) == ORIGINAL_PARSE(page)


@pytest.fixture
def htmldate_functions() -> Iterator[None]:
    """htmldate.core's functions as they are before the test, put back after it."""
    before = {name: getattr(core, name) for name in htmldate_fast.REPLACED}
    yield
    for name, function in before.items():
        setattr(core, name, function)


@known
def test_the_fast_path_is_on_for_the_installed_htmldate() -> None:
    assert htmldate_fast._plan() is not None


@known
def test_install_puts_the_functions_where_search_page_looks_them_up(htmldate_functions: None) -> None:
    from cleaner.extract import extract_html

    htmldate_fast.uninstall()
    extract_html("<html><body><p>Some text of a page.</p></body></html>")
    assert htmldate_fast.install() and htmldate_fast.install()
    for name, fast in htmldate_fast.REPLACED.items():
        assert getattr(core, name) is fast
    assert htmldate_fast.original("plausible_year_filter") is ORIGINAL_FILTER
    assert htmldate_fast.original("regex_parse") is ORIGINAL_PARSE
    page = "<p>(c) 2019 News</p><p>Posted 2021/03/04, 5 March 2021 and 2022</p>"
    assert core.search_page(page, options()) == "2021-03-04"


@pytest.mark.parametrize("change", ["digest", "pattern", "code"])
def test_other_htmldate_code_keeps_its_own_functions(monkeypatch: pytest.MonkeyPatch,
                                                     htmldate_functions: None, change: str) -> None:
    htmldate_fast.uninstall()
    if change == "digest":
        monkeypatch.setattr(htmldate_fast, "KNOWN_SOURCE", "0" * 16)
    elif change == "pattern":  # one the digit text is right for only as it is
        monkeypatch.setattr(core, "YYYYMM_PATTERN", re.compile(r"\D([12][0-9]{3}[/.-] ?(?:1[0-2]|0[1-9]))\D"))
    else:
        monkeypatch.setattr(extractors, "regex_parse", lambda string: None)
    htmldate_fast._plan.cache_clear()
    try:
        assert htmldate_fast.source_digest() != htmldate_fast.KNOWN_SOURCE
        assert htmldate_fast.install() is False
        assert core.plausible_year_filter is ORIGINAL_FILTER and core.regex_parse is ORIGINAL_PARSE
        # called anyway: htmldate's findall on the page as it is
        page, bounds = "a 2020/05 b" + " " * 40 + "2021-06 c", options()
        htmldate_fast._last = ("", "")
        found = htmldate_fast.plausible_year_filter(page, pattern=core.YYYYMM_PATTERN,
                                                    yearpat=core.YEAR_PATTERN, earliest=bounds.min,
                                                    latest=bounds.max)
        assert list(found) == ["2020/05", "2021-06"] and htmldate_fast._last == ("", "")
    finally:
        monkeypatch.undo()
        htmldate_fast._plan.cache_clear()


def test_digit_text_keeps_the_clusters_and_their_neighbours() -> None:
    page = "Posted on 2020-01-05, by 12 people at 3:45 in 19-9 or w3.org/1999/xhtml 20200105."
    assert htmldate_fast.digit_text(page) == "P  2020-01-05, /1999/  20200105."
    assert_same(page)


def test_a_month_word_reaching_far_before_its_year() -> None:
    """Matches beginning around the first place searched (64 characters before the year), and far
    before it."""
    for n in range(40, 80):
        word = "x" * n
        for page in (f"{word} 5th, 2020", f"31st of {word}, 2020", f"1. {word} 2020", f"29 {word}. 1999"):
            assert_same("a " + page)
    far = "x" * 300 + "March 5, 2020"
    for page in (far, "5 of " + "x" * 300 + "March, 2020", "Ma" + "\u0131" * 90 + " 5, 2020",
                 "on 5 March 2020", "Smith" * 30 + "Januar 31 1999, 2 Feb. 2020"):
        assert_same(page)
    assert ORIGINAL_PARSE(far) is not None


TOKENS = ["0", "1", "2", "3", "9", "19", "20", "12", "31", "1999", "2020", "2039", "2040", "1990", "202",
          "/", ".", "-", "--", " ", "  ", "\n", "\t", "\xa0", ",", ", ", "st", "th", "of ", "x", "_", "a",
          "\u0663", "\uff13", "\u00b2", "\u00bd", "\u0966", "\u00a9", "&copy;", "Copyright", "(c)", "w3.org",
          "w3xorg", "March", "march ", "Mai", "Januar", "SEPT", "ocak", "\u015fubat", "Ekim", "kas\u0131m",
          "AUGUST", "x" * 60, "Dez" * 20, "<p>", "</a>", "\"", "T", "Z"]
#: what the digit patterns match, then what can come between: other digits (Arabic-Indic, fullwidth)
#: and gaps of 0 to 3 characters
DATES = ["2020-01-05", "1999/12/31", "1/1/90", "12.05.99", "31-12-2020", "20200105", "2020/01", "05-2020",
         "2020", "1999", "2039", "19", "7"]
GAPS = ["", "/", ".", "-", " ", "x", "xy", "x y", "\n", "\u0663", "\uff13", "w3.org", "w3.org/", "\u00a9 ",
        "/x"]


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(TOKENS), max_size=60).map("".join),
                 st.lists(st.tuples(st.sampled_from(DATES), st.sampled_from(GAPS)).map("".join), max_size=20)
                 .map("".join)))
def test_same_on_generated_strings(page: str) -> None:
    assert_same(page)


@cache
def bench() -> tuple[list[tuple[str, str, Any]], list[str | None], list[str]]:
    """The bench pages (name, text, tree), ``find_date``'s result on each with htmldate's own
    functions, and the strings it gave ``search_page``."""
    pages = []
    for folder in ("traf-html", "zyte-html"):
        for path in bench_pages(folder):
            text = decode_html(path.read_bytes())[0]
            if (tree := html_tree.parse(text)) is not None:
                pages.append((f"{folder}/{path.name}", text, tree))
    searched: list[str] = []
    spied = core.search_page

    def search_page(htmlstring: str, options: Extractor) -> str | None:
        searched.append(htmlstring)
        return spied(htmlstring, options)

    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(core, "search_page", search_page)
        monkeypatch.setattr(core, "plausible_year_filter", ORIGINAL_FILTER)
        monkeypatch.setattr(core, "regex_parse", ORIGINAL_PARSE)
        dates = [find_date(tree) for _, _, tree in pages]
    return pages, dates, searched


def find_date(tree: Any) -> str | None:
    """As trafilatura calls it."""
    return core.find_date(tree, extensive_search=True, original_date=True, max_date=MAX_DATE)


@known
@bench_only
def test_same_dates_on_the_bench_pages(htmldate_functions: None) -> None:
    pages, dates, searched = bench()
    read = len(bench_pages("traf-html")) + len(bench_pages("zyte-html"))
    assert len(pages) > 0.9 * read  # nearly every page parses
    assert len(searched) > len(pages) // 20  # (one page in 16 reaches the text search)
    htmldate_fast.install()
    assert [find_date(tree) for _, _, tree in pages] == dates


@known
@bench_only
def test_same_on_the_strings_search_page_gets() -> None:
    """The text search from where regex_parse searches after each match (its start + 1, its end)
    and every 15,000 characters."""
    for page in bench()[2]:
        spans = [m.span() for m in extractors.LONG_TEXT_PATTERN.finditer(page)]
        assert_same(page, {*(start + 1 for start, _ in spans), *(end for _, end in spans),
                           *range(0, len(page), 15000)})


@bench_only
def test_same_digit_matches_on_the_bench_pages_as_they_come() -> None:
    """With their scripts and styles (the strings find_date searches have them pruned): more digits."""
    for _, text, _ in bench()[0][::6]:
        same_digit_matches(text)
