"""cleaner.html_tree.parse builds the tree trafilatura's load_html builds (only the element
classes are chosen in C), and extraction leaves the page's tree as it was (the lead check walks
it afterwards)."""

from __future__ import annotations


import pytest
from lxml import etree
from lxml.html import HtmlElement
from trafilatura.utils import load_html

from cleaner import html_tree
from cleaner.extract import _options, decode_html

from .conftest import bench_pages, needs_bench


EDGE_CASES = [
    "<html><head><title>T</title></head><body><p>One paragraph of text.</p></body></html>",
    "<p>a fragment, one block</p>",
    "<div>two</div><div>blocks</div>",
    '<?xml version="1.0" encoding="utf-8"?><html><body><p>declared</p></body></html>',
    "<html/><body><p>faulty html tag</p></body>",
    "just some text, no markup at all",
    "<!DOCTYPE html><html><body><form><input value='x'><label>L</label></form>"
    "<select><option>o</option></select><textarea>t</textarea></body></html>",
    "<html><body>" + "<div>" * 120 + "<p>deep</p>" + "</div>" * 120 + "</body></html>",
]


def _same_tree(html: str) -> None:
    # (``parse`` reads on past a stray </html>, where libxml2 stops: see the test below)
    ours, theirs = html_tree.parse(html), load_html(html_tree.without_stray_end(html))
    assert (ours is None) == (theirs is None), html[:80]
    if ours is not None:
        assert isinstance(ours, HtmlElement)
        assert etree.tostring(ours) == etree.tostring(theirs), html[:80]


@pytest.mark.parametrize("html", EDGE_CASES)
def test_same_tree_as_load_html(html: str) -> None:
    _same_tree(html)


@needs_bench
def test_same_tree_as_load_html_on_real_pages() -> None:
    for page in bench_pages("traf-html", 6):
        _same_tree(decode_html(page.read_bytes())[0])


def test_text_after_a_stray_html_end_tag_is_kept() -> None:
    """libxml2 stops parsing at the first </html>: load_html loses every paragraph after one
    left mid-page; a browser (and ``parse``) ignores the tag and reads on."""
    html = "<html><body><article><p>before</p></html><p>after</p><p>last</p></article></body></html>"
    assert "after" not in load_html(html).text_content()
    assert [p.text for p in html_tree.parse(html).iter("p")] == ["before", "after", "last"]
    ends = "<html><body><p>a</p></body></html>\n\n"  # only whitespace after it: left as it is
    assert html_tree.without_stray_end(ends) == ends


def test_text_nested_past_255_levels_is_kept() -> None:
    """(load_html's parser drops it: libxml2's default depth limit, without an error.)"""
    html = "<html><body>" + "<div>" * 300 + "<p>deep</p>" + "</div>" * 300 + "<p>after</p></body></html>"
    tree = html_tree.parse(html)
    assert "deep" in tree.text_content() and "after" in tree.text_content()
    assert html_tree.max_depth(tree) == 302  # body, 300 divs, p
    assert html_tree.parse_deep(html)[1:] == (html, None)  # under the parser's limit: as given


def test_flattening_keeps_line_breaks() -> None:
    """Only wrappers go: a <br> below MAX_DEPTH dropped would glue two lines together."""
    depth = html_tree.MAX_DEPTH + 20
    html = "<html><body>" + "<div>" * depth + "one<br>two<br/>three" + "</div>" * depth + "</body></html>"
    tree = html_tree.parse(html)
    assert html_tree.flatten_deep(tree) > 0
    assert len(tree.findall(".//br")) == 2


def test_parser_depth_is_where_the_parser_stops() -> None:
    limit = html_tree.parser_depth()
    assert 255 < limit < html_tree.PARSER_PROBE_DEPTH
    for divs, kept in ((limit - 3, True), (limit + 10, False)):
        html = "<html><body>" + "<div>" * divs + "<p>deep</p>" + "</div>" * divs + "</body></html>"
        assert ("deep" in html_tree.parse(html).text_content()) is kept, divs


def test_too_deep_check_agrees_with_the_walk() -> None:
    seen = set()
    limit = html_tree.MAX_DEPTH
    for divs in (limit - 2, limit - 1, limit, limit + 5):
        tree = html_tree.parse("<html><body>" + "<div>" * divs + "x" + "</div>" * divs + "</body></html>")
        deepest = max(len(list(e.iterancestors())) for e in tree.iter())  # <html> is level 0
        seen.add(deepest > html_tree.MAX_DEPTH)
        assert bool(html_tree._TOO_DEEP(tree)) == (deepest > html_tree.MAX_DEPTH), divs
    assert seen == {True, False}


@needs_bench
def test_extraction_leaves_the_tree_as_it_was() -> None:
    from trafilatura import bare_extraction

    for page in bench_pages("traf-html", 16, first=3):
        tree = html_tree.parse(decode_html(page.read_bytes())[0])
        before = etree.tostring(tree)
        bare_extraction(tree, **_options())
        assert etree.tostring(tree) == before, page.name
