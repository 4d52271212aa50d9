"""The author search without a copy of the page finds what trafilatura's own finds."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from trafilatura import metadata

from cleaner import html_tree, trafilatura_fast

from .conftest import bench_pages, needs_bench

ORIGINAL = trafilatura_fast._trafilatura("extract_author")


def both(html: str) -> tuple[str | None, str | None]:
    tree = html_tree.parse(html)
    assert tree is not None
    return ORIGINAL(tree), trafilatura_fast.extract_author(tree)


def test_installed_where_metadata_extraction_calls_it() -> None:
    from cleaner.extract import extract_html

    extract_html("<html><body><p>Some text of a page.</p></body></html>")
    assert metadata.extract_author is trafilatura_fast.extract_author
    assert ORIGINAL.__module__ == "trafilatura.metadata"


def test_candidate_inside_a_pruned_element_is_skipped() -> None:
    html = ("<html><body><div class='sidebar'><span class='author'>Sidebar Person</span></div>"
            "<p>Text <span class='byline'>By Jane Roe</span></p></body></html>")
    theirs, ours = both(html)
    assert ours == theirs == "Jane Roe"


def test_pruned_parts_of_a_candidate_are_left_out_and_their_tails_joined() -> None:
    html = ("<html><body><div class='author'>Jane<time>12 May</time>Roe "
            "<span class='date'>today</span>Smith</div></body></html>")
    theirs, ours = both(html)
    assert ours == theirs
    assert theirs is not None and "12 May" not in theirs and "today" not in theirs


def test_pages_with_a_rel_element_use_trafilatura_s_function(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []
    originals = trafilatura_fast.PATCHES.originals
    monkeypatch.setitem(originals, "extract_author", lambda tree: calls.append(tree) or "X Y")
    tree = html_tree.parse("<html><body><a><rel>me</rel>Jane Roe</a></body></html>")
    assert trafilatura_fast.extract_author(tree) == "X Y" and calls


def test_the_fast_path_is_on_for_the_installed_trafilatura() -> None:
    if trafilatura_fast._plan() is None:  # correct still (trafilatura's own runs), only slower
        pytest.skip("trafilatura's author code or expressions changed: check trafilatura_fast against "
                    "them, then update KNOWN_EXPRESSIONS / KNOWN_SOURCE")
    assert trafilatura_fast.source_digest() == trafilatura_fast.KNOWN_SOURCE


@pytest.mark.parametrize("digest", ["KNOWN_EXPRESSIONS", "KNOWN_SOURCE"])
def test_unknown_expressions_or_code_use_trafilatura_s_function(monkeypatch: pytest.MonkeyPatch,
                                                                  digest: str) -> None:
    monkeypatch.setattr(trafilatura_fast, digest, "0" * 16)
    trafilatura_fast._plan.cache_clear()
    try:
        assert trafilatura_fast._plan() is None
        originals = trafilatura_fast.PATCHES.originals
        monkeypatch.setitem(originals, "extract_author", lambda tree: "from trafilatura")
        tree = html_tree.parse("<html><body><p class='author'>Jane Roe</p></body></html>")
        assert trafilatura_fast.extract_author(tree) == "from trafilatura"
    finally:
        monkeypatch.undo()
        trafilatura_fast._plan.cache_clear()
    assert trafilatura_fast._plan() is not None


def test_many_nested_candidates_fall_back_to_one_copy_of_the_page(monkeypatch: pytest.MonkeyPatch) -> None:
    html = ("<html><body>" + "<div class='author'>" * 300 + "x" * 200 + "</div>" * 300 + "</body></html>")
    theirs, ours = both(html)
    assert ours == theirs
    calls = []
    monkeypatch.setitem(trafilatura_fast.PATCHES.originals, "extract_author", lambda tree: calls.append(1))
    trafilatura_fast.extract_author(html_tree.parse(html))
    assert calls  # copying 300 nested subtrees would be quadratic


TAGS = ["div", "span", "a", "p", "section", "time", "figure", "h3", "strong", "author", "link"]
#: Every attribute test of trafilatura's author and discard expressions, hit and near miss.
MARKS = ["", " class='author'", " class='byline'", " class='sidebar'", " class='date'", " id='comments'",
         " class='author-name'", " rel='author'", " itemprop='author'", " class='quote'", " id='Author'",
         " class='writer'", " data-component='Figure'", " data-component='ArticleByline'", " id='author'",
         " itemprop='author name'", " data-testid='AuthorCard'", " data-testid='AuthorURL'",
         " data-testid='Author'", " class='BBL'", " class='username'", " class='byl'", " id='zuozhe'",
         " class='posted-by'", " class='AuthorName'", " class='Byline-x'", " class='screenname'",
         " id='xiaobian'", " class='journalist-name'", " itemprop='name'", " rel='me'"]
WORDS = ["", "Jane", "Roe", "By", "Max Mustermann", "  ", "12 May 2024", "x" * 130]


@st.composite
def fragments(draw: st.DrawFn, depth: int = 0) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))):
        tag, mark = draw(st.sampled_from(TAGS)), draw(st.sampled_from(MARKS))
        inner = draw(fragments(depth + 1)) if depth < 3 else ""
        parts.append(f"<{tag}{mark}>{draw(st.sampled_from(WORDS))}{inner}</{tag}>{draw(st.sampled_from(WORDS))}")
    return "".join(parts)


@settings(max_examples=500, deadline=None)
@given(fragments())
def test_same_author_on_generated_pages(body: str) -> None:
    theirs, ours = both(f"<html><body><p>Text.</p>{body}</body></html>")
    assert ours == theirs


@needs_bench
def test_same_author_on_the_bench_pages() -> None:
    pages = [*bench_pages("traf-html"), *bench_pages("zyte-html")]
    found = 0
    for page in pages:
        tree = html_tree.parse(page.read_bytes().decode("utf-8", "replace"))
        if tree is None:
            continue
        theirs = ORIGINAL(tree)
        assert trafilatura_fast.extract_author(tree) == theirs, page.name
        found += theirs is not None
    # the comparison covers pages where an author is found (half the pages), not only "none"
    assert found > len(pages) // 4


LICENSED = ("<html><body><article><p>" + "A sentence of the article body. " * 20 + "</p></article>"
            "<footer><a rel='license' href='https://creativecommons.org/licenses/by-sa/4.0/'>CC</a>"
            "</footer></body></html>")


def test_licence_is_searched_outside_cleaner_and_skipped_inside() -> None:
    from trafilatura import bare_extraction

    from cleaner.extract import extract_html

    extract_html("<html><body><p>Some text of a page.</p></body></html>")  # installs
    assert metadata.extract_license is trafilatura_fast.extract_license
    assert bare_extraction(LICENSED, with_metadata=True).license == "CC BY-SA 4.0"
    with trafilatura_fast.unused_fields_skipped():
        assert bare_extraction(LICENSED, with_metadata=True).license is None
    assert bare_extraction(LICENSED, with_metadata=True).license == "CC BY-SA 4.0"


def test_skipping_the_licence_changes_nothing_cleaner_reports() -> None:
    from cleaner import clean_html
    from cleaner.config import CleanConfig

    config = CleanConfig(detect_language=False)
    skipped = clean_html(LICENSED, config).sidecar
    original = trafilatura_fast.extract_license
    try:
        metadata.extract_license = trafilatura_fast._trafilatura("extract_license")
        searched = clean_html(LICENSED, config).sidecar
    finally:
        metadata.extract_license = original
    assert skipped == searched


CATSTAGS = trafilatura_fast._trafilatura("extract_catstags")


def test_categories_and_tags_fast_path_is_on_for_the_installed_trafilatura() -> None:
    if not trafilatura_fast._catstags_known():  # correct still (trafilatura's own runs), only slower
        pytest.skip("trafilatura's extract_catstags or its expressions changed: check trafilatura_fast "
                    "against them, then update KNOWN_CATSTAGS_SOURCE")
    tree = html_tree.parse("<html><body><p>x</p></body></html>")
    assert trafilatura_fast.extract_catstags("tag", tree) == []


@pytest.mark.parametrize("html", [
    # a category link inside a post-meta box, and one outside any box the expressions read
    "<html><body><div class='post-meta'><a href='/category/news/'>News</a></div></body></html>",
    "<html><body><p><a href='/category/news/'>News</a></p>"
    "<div class='tags'><a href='/x'>X</a></div></body></html>",
    # tags: found, and a box of links none of which is a tag link
    "<html><body><div class='tags'><a href='/tags/ai/'>AI</a><a href='/tag/ml'>ML</a></div></body></html>",
    "<html><body><div class='tags'><a href='/topics/ai/'>AI</a></div></body></html>",
    # the meta fallback for categories, with and without links
    "<html><head><meta property='article:section' content='Politik'></head><body><p>x</p></body></html>",
    "<html><head><meta name='subject' content=' Sport '></head><body>"
    "<div class='meta'><a href='/categories/'>All</a></div></body></html>",
])
def test_same_categories_and_tags_on_small_pages(html: str) -> None:
    for kind in ("category", "tag"):
        tree = html_tree.parse(html)
        assert trafilatura_fast.extract_catstags(kind, tree) == CATSTAGS(kind, tree), kind


@needs_bench
def test_same_categories_and_tags_on_the_bench_pages() -> None:
    pages = [*bench_pages("traf-html", first=1), *bench_pages("zyte-html", first=1)]
    found = skipped = 0
    for page in pages:
        tree = html_tree.parse(page.read_bytes().decode("utf-8", "replace"))
        if tree is None:
            continue
        for kind in ("category", "tag"):
            theirs = CATSTAGS(kind, tree)
            assert trafilatura_fast.extract_catstags(kind, tree) == theirs, (page.name, kind)
            found += bool(theirs)
            pattern = "/" + kind.rstrip("y") + "(?:y|ies|s)?/"
            skipped += not any(re.search(pattern, h) for h in tree.xpath("//a/@href"))
    # both paths are compared, on pages with and without results (0.44 and 1.45 a page)
    assert found > len(pages) // 5 and skipped > len(pages)
