"""An expression judged unable to match a page finds nothing there; extraction is unchanged."""

from __future__ import annotations

import re
import threading
from functools import cache

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml.etree import XPath

from cleaner import html_tree, xpath_skip
from cleaner.extract import extract_html
from cleaner.xpath_skip import (MAYBE, AttributeTest, Branch, ChildTest, Skippable, branches_predicates,
                                could_find, may_match)

from .conftest import bench_pages, needs_bench

RE_NS = {"re": "http://exslt.org/regular-expressions"}


def installed() -> list[Skippable]:
    extract_html("<html><body><p>Installs the expressions.</p></body></html>")
    if not xpath_skip._INSTALLED:  # correct still (every expression runs), only slower
        import trafilatura

        pytest.skip(f"trafilatura {trafilatura.__version__} is not in AUDITED_TRAFILATURA: read what it "
                    "sets on the trees it makes, then add it")
    return list(xpath_skip._INSTALLED)


def page_from_html(html: str) -> xpath_skip._Page:
    tree = html_tree.parse(html)
    assert tree is not None
    return xpath_skip._Page(tree)


def test_predicates_are_read_per_union_branch() -> None:
    found = branches_predicates(
        ".//*[self::div or self::section][@class='post' or contains(@id, 'main') or re:test(@class, 'a|b', 'i')]"
        "|(.//main)[1]")
    assert found is not None and len(found) == 2
    first, second = found
    assert first[0] == ("or", [MAYBE, MAYBE])
    assert first[1] == ("or", [AttributeTest("=", ("class",), "post"), AttributeTest("contains", ("id",), "main"),
                               AttributeTest("re:test", ("class",), "a|b", "i")])
    assert second == []  # no predicate: always live


def test_unknown_parts_count_as_satisfiable() -> None:
    found = branches_predicates(".//*[not(@class) or translate(@id, 'A', 'a')='x' or rel='me'][.//h1]")
    assert found == [[("or", [MAYBE, MAYBE, ChildTest("rel")]), MAYBE]]
    assert may_match(found, page_from_html("<html><body><p>x</p></body></html>"))  # a child test: maybe, on a page
    assert branches_predicates(".//*[@class='a'") is None  # unbalanced: not read, so never skipped
    assert branches_predicates("count(//p)") == [[]]  # not a path step with predicates: live


@pytest.mark.parametrize(("predicate", "live"), [
    ("@class='story'", True), ("@class='stor'", False),
    ("contains(@class, 'tor')", True), ("contains(@class, 'xyz')", False),
    ("starts-with(@class, 'sto')", True), ("starts-with(@class, 'tory')", False),
    ("starts-with(@id|@class, 'main')", True),
    ("re:test(@class, '^st[aeo]ry$')", True), ("re:test(@class, '^tory')", False),
    ("re:test(@class, 'STORY', 'i')", True), ("re:test(@class, 'STORY')", False),
    ("re:test(@class, 'x?')", True),  # an element without the attribute passes it
    ("re:test(@class, '^$')", True),  # ... though no value of the page is empty
    ("@id|@class='story'", True), ("starts-with(@id|@class, 'sto')", True),  # either attribute
    ("contains(@class, '')", True),
    ("re:test(@class, 'story(?!\\s)')", True),  # a look-around that could see past a value: not judged
    ("re:test(@class, 'comment(?!ary)')", False),
    ("@role='nothing-like-it'", True),  # trafilatura sets role itself: not judged
    ("@class='story' and @id='nope'", False), ("@class='nope' or @id='main-1'", True),
])
def test_judging_one_predicate(predicate: str, live: bool) -> None:
    page = page_from_html("<html><body><div class='story'><p id='main-1'>Text</p>"
                   "<span class='a\nb'>x</span></div></body></html>")
    predicates = branches_predicates(f".//*[{predicate}]")
    assert predicates is not None
    assert may_match(predicates, page) is live
    if not live:
        assert XPath(f".//*[{predicate}]", namespaces=RE_NS)(page.tree) == []


def test_dead_expressions_skip_only_inside_the_page_context() -> None:
    installed()  # page() names a page only once the expressions are in place
    html = "<html><body><div class='comments-area'><p>A comment.</p></div></body></html>"
    tree = html_tree.parse(html)
    sidebar = ".//*[contains(@class, 'sidebar')]//p"
    branch = Branch(sidebar, branches_predicates(sidebar), ())  # type: ignore[arg-type]
    dead, lying = Skippable(XPath(sidebar), [branch]), Skippable(XPath(".//p"), [branch])
    assert lying(tree) != []  # outside a page context the expression always runs
    with xpath_skip.page(tree):
        assert dead(tree) == [] and lying(tree) == []  # judged dead: not run
        seen: list[object] = []
        other = threading.Thread(target=lambda: seen.append(lying(tree)))
        other.start()
        other.join()
        assert seen[0] != []  # other threads are not in this page's context
    assert lying(tree) != []


def test_could_find_judges_element_names_and_child_tests_on_the_tree_itself() -> None:
    plain = html_tree.parse("<html><body><p class='x'>Jo</p></body></html>")
    with_rel = html_tree.parse("<html><body><a><rel>me</rel>Jo</a></body></html>")
    with_author = html_tree.parse("<html><body><author>Jo</author></body></html>")
    path = "//*[self::a or self::p][@class='author' or rel='me']|//author"
    assert not could_find(path, plain)
    assert could_find(path, with_rel) and could_find(path, with_author)
    assert XPath(path)(plain) == [] and XPath(path)(with_rel) != [] and XPath(path)(with_author) != []


def test_only_the_live_branches_of_a_union_run() -> None:
    installed()  # page() names a page only once the expressions are in place
    tree = html_tree.parse("<html><body><div class='story'><p>A</p></div><footer>F</footer>"
                           "<div class='cookie-banner'>C</div></body></html>")
    path = ".//footer | .//*[contains(@class, 'sidebar')] | .//div[re:test(@class, '^cookie-')]"
    skippable = xpath_skip._judgeable(XPath(path, namespaces=RE_NS))
    assert skippable is not None and len(skippable.branches) == 3
    with xpath_skip.page(tree):
        found = skippable(tree)
    assert [e.tag for e in found] == ["footer", "div"] == [e.tag for e in skippable.expression(tree)]
    assert list(skippable.variants) == [".//footer | .//div[re:test(@class, '^cookie-')]"]


def test_or_parts_that_cannot_match_are_left_out_of_a_live_branch() -> None:
    installed()  # page() names a page only once the expressions are in place
    tree = html_tree.parse("<html><body><div class='story'><p id='x'>A</p></div><p>B</p></body></html>")
    path = (".//*[self::div or self::p][@class='story' or re:test(@class, 'cookie') or contains(@id, 'zz')]"
            "[not(@hidden) or @id='x']")
    skippable = xpath_skip._judgeable(XPath(path, namespaces=RE_NS))
    assert skippable is not None
    with xpath_skip.page(tree):
        assert skippable(tree) == skippable.expression(tree) != []
    assert list(skippable.variants) == [".//*[self::div or self::p][@class='story'][not(@hidden) or @id='x']"]


@cache
def _compiled(text: str) -> XPath:
    """Each expression compiled once for all the pages it is run on."""
    return XPath(text, namespaces=RE_NS)


def _dead_branches_find_nothing(expressions: list[Skippable], tree: object) -> int:
    """Asserts that every branch judged dead on the page finds nothing there and that every
    branch cut down to its live parts finds what the whole branch finds; how many were dead."""
    page = xpath_skip._Page(tree)
    dead = 0
    for expression in expressions:
        for branch in expression.branches:
            text = branch.on(page)
            if text is None:
                dead += 1
                assert _compiled(branch.text)(tree) == [], branch.text
            elif text != branch.text:
                assert _compiled(text)(tree) == _compiled(branch.text)(tree), text
    return dead


def _literals(pattern: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z][\w-]+", pattern) if len(w) > 2]


@st.composite
def pages(draw: st.DrawFn, words: list[str]) -> str:
    parts = []
    for _ in range(draw(st.integers(1, 12))):
        tag = draw(st.sampled_from(["div", "section", "p", "span", "article", "main", "li", "footer", "a"]))
        attribute = draw(st.sampled_from(["class", "id", "style", "itemprop", "data-component", "rel"]))
        value = draw(st.sampled_from(words))
        value = draw(st.sampled_from([value, value.upper(), value.capitalize(), f"x {value}", f"{value}-y",
                                      value[1:], value[:-1]]))
        parts.append(f"<{tag} {attribute}=\"{value}\" href='/a'>w <a href='/b'>l</a></{tag}>")
    return "<html><body>" + "".join(parts) + "</body></html>"


WORDS = sorted({"comment", "comments", "sidebar", "author", "story", "content", "main", "post-content",
                  "entry-content", "hidden", "display:none", "reply-1", "tags", "cat-links", "caption", "teaser",
                  "disqus_thread", "commentary", "article-body", "articleBody", "headline", "byline"})
#: ... and, in the test, every word of the installed expressions' literals and patterns.


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_no_expression_judged_dead_finds_anything_on_generated_pages(data: st.DataObject) -> None:
    expressions = installed()
    words = sorted(set(WORDS) | {w for s in expressions for w in _literals(s.path)})
    _dead_branches_find_nothing(expressions, page_from_html(data.draw(pages(words))).tree)


@needs_bench
def test_no_expression_judged_dead_finds_anything_on_the_bench_pages() -> None:
    expressions = installed()
    dead = pages = 0
    for page_file in [*bench_pages("traf-html", 9), *bench_pages("zyte-html", 6, first=1)]:
        tree = html_tree.parse(page_file.read_bytes().decode("utf-8", "replace"))
        if tree is None:
            continue
        dead += _dead_branches_find_nothing(expressions, tree)
        pages += 1
    assert dead > 10 * pages  # most branches are dead on most pages: the check is not vacuous


@needs_bench
def test_extraction_is_the_same_with_and_without_skipping(monkeypatch: pytest.MonkeyPatch) -> None:
    import contextlib

    files = [*bench_pages("traf-html", 12), *bench_pages("zyte-html", 6)]
    with_skip = [extract_html(f.read_bytes()) for f in files]
    monkeypatch.setattr(xpath_skip, "page", lambda tree: contextlib.nullcontext())
    without = [extract_html(f.read_bytes()) for f in files]
    assert with_skip == without
