"""The replaced readability methods leave the same tree and give the same summary as trafilatura's."""

from __future__ import annotations

import copy
from functools import cache
from typing import Any

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree
from trafilatura import readability_lxml
from trafilatura.readability_lxml import Document
from trafilatura.utils import load_html

from cleaner import readability_fast

from .conftest import bench_pages, needs_bench


#: trafilatura's own methods and the replacements, each on a subclass of Document (the class
#: itself is left as it is, installed or not).
Original = type("Original", (Document,),
                {name: readability_fast.original(name) for name in readability_fast.REPLACED})
Fast = type("Fast", (Document,), dict(readability_fast.FAST))


def dump(tree: Any) -> bytes:
    return etree.tostring(tree, encoding="utf-8")


def candidates(doc: Any, found: dict[Any, Any]) -> list[tuple[str, Any, str]]:
    """The candidates in their order: where they are, their score (and its type)."""
    where = doc.getroottree()
    return [(where.getpath(elem), c.score, type(c.score).__name__) for elem, c in found.items()]


def same_candidates(theirs: Any, ours: Any, label: str) -> None:
    """score_paragraphs() finds the same candidates with the same scores, and changes nothing."""
    found = ours.score_paragraphs()
    assert candidates(ours.doc, found) == candidates(theirs.doc, theirs.score_paragraphs()), label
    assert dump(ours.doc) == dump(theirs.doc), label


def scripts_dropped(tree: Any) -> Any:
    """The tree as summary() has it when it calls the first replaced method."""
    for elem in list(tree.iter("script", "style", "fencedframe")):
        elem.drop_tree()
    return tree


def check_same(tree: Any, label: str = "", alone: bool = True) -> None:
    """The tree after each replaced method in summary()'s sequence (and, with alone, after each
    on the page as it is), the link density of the elements, the candidates and their scores,
    then the summary() string."""
    if alone:
        for name in ("remove_unlikely_candidates", "transform_misused_divs_into_paragraphs"):
            theirs, ours = Original(copy.deepcopy(tree)), Fast(copy.deepcopy(tree))
            getattr(theirs, name)()
            getattr(ours, name)()
            assert dump(ours.doc) == dump(theirs.doc), (label, name)
        theirs, ours = Original(copy.deepcopy(tree)), Fast(copy.deepcopy(tree))
        same_candidates(theirs, ours, label)

    theirs, ours = Original(scripts_dropped(copy.deepcopy(tree))), Fast(scripts_dropped(copy.deepcopy(tree)))
    for name in ("remove_unlikely_candidates", "transform_misused_divs_into_paragraphs"):
        getattr(theirs, name)()
        getattr(ours, name)()
        assert dump(ours.doc) == dump(theirs.doc), (label, name)
    tested = ("*",) if alone else ("h1", "h2", "h3", "h4", "h5", "h6", "p", "section")  # all: quadratic
    for elem, same in zip(theirs.doc.iter(*tested), ours.doc.iter(*tested), strict=True):
        assert Fast.get_link_density(ours, same) == Original.get_link_density(theirs, elem), (label, elem.tag)
    same_candidates(theirs, ours, label)

    theirs_summary = Original(copy.deepcopy(tree)).summary()
    assert Fast(copy.deepcopy(tree)).summary() == theirs_summary, label


def test_the_fast_path_is_on_for_the_installed_trafilatura() -> None:
    if readability_fast.source_digest() != readability_fast.KNOWN_SOURCE:  # correct, only slower
        pytest.skip("trafilatura's readability code changed: check readability_fast against it, then "
                    "update KNOWN_SOURCE")
    assert readability_fast.source_digest() == readability_fast.KNOWN_SOURCE


@pytest.fixture
def document_methods() -> Any:
    """Document's methods as they are before the test, put back after it."""
    before = {name: Document.__dict__[name] for name in readability_fast.REPLACED}
    yield before
    for name, method in before.items():
        setattr(Document, name, method)


def test_install_puts_the_methods_on_document_once(document_methods: dict[str, Any]) -> None:
    if readability_fast.source_digest() != readability_fast.KNOWN_SOURCE:
        pytest.skip("trafilatura's readability code changed")
    assert readability_fast.install() and readability_fast.install()
    for name, fast in readability_fast.FAST.items():
        assert Document.__dict__[name] is fast
        assert readability_fast.original(name).__module__ == "trafilatura.readability_lxml"
    html = ("<html><body><div class='sidebar'>x</div><div><p>" + "Some text, more. " * 9
            + "</p></div></body></html>")
    assert Document(lxml.html.document_fromstring(html)).summary() == Original(
        lxml.html.document_fromstring(html)).summary()


@pytest.mark.parametrize("change", ["digest", "prefixes", "source"])
def test_other_trafilatura_code_keeps_its_own_methods(
    monkeypatch: pytest.MonkeyPatch, document_methods: dict[str, Any], change: str
) -> None:
    readability_fast.uninstall()
    originals = {name: readability_fast.original(name) for name in readability_fast.REPLACED}
    if change == "digest":
        monkeypatch.setattr(readability_fast, "KNOWN_SOURCE", "0" * 16)
    elif change == "prefixes":  # a value the replacements rely on
        prefixes = (*readability_lxml.DIV_TO_P_PREFIXES, "section")
        monkeypatch.setattr(readability_lxml, "DIV_TO_P_PREFIXES", prefixes)
    else:  # a replaced method's code: another text where trafilatura's method is looked up
        monkeypatch.setitem(readability_fast.PATCHES.originals, "score_paragraphs", Document.sanitize)
    assert readability_fast.source_digest() != readability_fast.KNOWN_SOURCE
    assert readability_fast.install() is False
    for name, method in originals.items():
        assert Document.__dict__[name] is method


def test_elements_inside_a_dropped_subtree_and_the_tails() -> None:
    html = ("<html><body><div id='main'>lead<div class='sidebar'>a<span class='menu'>b</span>c<p id='x'>d</p>"
            "</div>tail one<div class='Comment'><div class='comment'>e</div>f</div> tail two<br>x"
            "<div class='ad-brea\u212a'>kelvin</div>t<div class='s\u0130debar'>dotted</div>u"
            "<div class='comment article'>kept</div><div class='x'>short</div><div class=''>e</div>"
            "</div></body></html>")
    tree = lxml.html.document_fromstring(html)
    frame = tree.find("body")
    frame.set("class", "sidebar")
    # nodes an HTML parser does not make: an entity, a namespaced element, a comment
    main = frame[0]
    main.append(etree.Entity("amp"))
    main[-1].tail = "after the entity"
    namespaced = etree.SubElement(main, "{urn:x}div", {"class": "sidebar"})
    namespaced.text, namespaced.tail = "in a namespace", " its tail "
    etree.SubElement(namespaced, "p").text = "a paragraph in it, long enough to be scored, with commas"
    main.insert(1, etree.Comment("a comment"))
    main[1].tail = "after the comment"
    check_same(tree)
    ours = Fast(copy.deepcopy(tree))
    ours.remove_unlikely_candidates()
    text = dump(ours.doc).decode()
    assert "tail one" in text and "kelvin" not in text and "dotted" in text and "kept" in text
    assert "in a namespace" not in text and "its tail" in text and "after the entity" in text


def test_div_text_that_only_python_counts_as_white_space() -> None:
    html = ("<html><body><div><div>\xa0<span>a</span>\u3000<br>\n</div><div>x<br>y<b>z</b> w</div>"
            "<div><a href='/'>link</a>\xa0<p>para</p></div></div></body></html>")
    check_same(lxml.html.document_fromstring(html))


def test_a_subclass_s_link_density_is_used() -> None:
    html = "<html><body><div><p>" + "Some words, and more. " * 5 + "<a>a link</a></p></div></body></html>"
    Halved = type("Halved", (Fast,), {"get_link_density": lambda self, elem: 0.5})
    found = Halved(lxml.html.document_fromstring(html)).score_paragraphs()
    Base = type("Base", (Original,), {"get_link_density": lambda self, elem: 0.5})
    expected = Base(lxml.html.document_fromstring(html)).score_paragraphs()
    assert [c.score for c in found.values()] == [c.score for c in expected.values()]


@cache
def bench_trees() -> list[tuple[str, Any]]:
    pages = [*bench_pages("traf-html"), *bench_pages("zyte-html")]
    trees = [(page.name, load_html(page.read_bytes())) for page in pages]
    return [(name, tree) for name, tree in trees if tree is not None]


@needs_bench
def test_same_trees_and_summary_on_the_bench_pages() -> None:
    pages = bench_trees()
    read = len(bench_pages("traf-html")) + len(bench_pages("zyte-html"))
    assert len(pages) > 0.9 * read  # nearly every page parses
    for name, tree in pages:
        check_same(tree, name, alone=False)


TAGS = ["div", "div", "div", "p", "p", "a", "a", "td", "pre", "span", "br", "table", "ul", "li", "img", "h2",
        "section", "form", "iframe", "body", "html", "path", "{urn:x}div", "#comment", "#entity"]
#: class and id values: hits and misses of the four class/id expressions, upper case, white space
NAMES = [None, "", "x", "sidebar", "Sidebar", "comment", "comment-body", "article", "main-menu", "menu",
         "footer", "foot", "post", "entry", "content", "widget", "header", "pagination", "AD-BREAK",
         "tweet shadow", "sponsor", "related", "page", "story", "nav", "ad-brea\u212a", "s\u0130debar", "a b",
         "column", "masthead"]
TEXTS = [None, "", " ", "\n  ", "\xa0", "\u3000", "Hello", "one, two, three", "a. b", "Read more",
         "A longer sentence of the article, with commas, to pass the length. ",
         "x" * 120, " \tSpaced  out\n words ,, here ", "\u3000text\u3000 with ideographic space"]


@st.composite
def nodes(draw: st.DrawFn, depth: int = 0) -> tuple[Any, ...]:
    tag = draw(st.sampled_from(TAGS))
    attrs = {name: value for name in ("class", "id") if (value := draw(st.sampled_from(NAMES))) is not None}
    children = tuple(draw(nodes(depth + 1)) for _ in range(draw(st.integers(0, 3 if depth < 3 else 0))))
    return tag, attrs, draw(st.sampled_from(TEXTS)), draw(st.sampled_from(TEXTS)), children


def build(parent: Any, node: tuple[Any, ...]) -> None:
    tag, attrs, text, tail, children = node
    if tag in ("#comment", "#entity"):
        elem = etree.Comment(text or "") if tag == "#comment" else etree.Entity("amp")
        parent.append(elem)
    else:
        elem = etree.SubElement(parent, tag, attrs)
        elem.text = text
        for child in children:
            build(elem, child)
    elem.tail = tail


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(nodes(), min_size=1, max_size=4))
def test_same_trees_and_summary_on_generated_pages(body: list[tuple[Any, ...]]) -> None:
    tree = lxml.html.document_fromstring("<html><head><title>t</title></head><body></body></html>")
    for node in body:
        build(tree.find("body"), node)
    check_same(tree)
