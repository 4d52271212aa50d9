"""jusText's paragraphs, classes and trafilatura's ``try_justext`` output are the same with the
fast maker and classifier as with jusText's own."""

from __future__ import annotations

import re
import sys
from typing import Any

import lxml.html
import pytest
import trafilatura.external as external
from hypothesis import given, settings
from hypothesis import strategies as st
from justext import core as justext_core
from justext import utils as justext_utils
from lxml import etree
from trafilatura.external import basic_cleaning

from cleaner import justext_fast, justext_linear

from .conftest import bench_pages, needs_bench

STOPLIST = external.JT_STOPLIST or external.jt_stoplist_init()
#: trafilatura's union stoplist frozen once (a frozenset caches its hash: jusText's
#: ``define_stoplist`` hashes the tuple again on every call, 4 ms)
FROZEN = justext_core.define_stoplist(STOPLIST)
ORIGINAL = {"ParagraphMaker": justext_core.ParagraphMaker,
            "classify_paragraphs": justext_core.classify_paragraphs}
FAST = {"ParagraphMaker": justext_fast.ParagraphMaker,
        "classify_paragraphs": justext_fast.classify_paragraphs}
#: what make_paragraphs sets (and the xpath it leaves to be read); ``described`` adds what
#: Paragraph derives from them
ATTRIBUTES = ("text", "text_nodes", "chars_count_in_links", "tags_count", "dom_path", "xpath", "class_type")

#: trafilatura's classification settings, jusText's defaults with headings, and low lengths
#: (the stop-word branches on short generated paragraphs)
CLASSIFICATIONS = [(50, 150, 0.1, 0.2, 0.25, True), (70, 200, 0.30, 0.32, 0.2, False),
                   (5, 20, 0.1, 0.3, 0.5, False)]
COMMENTS_KEPT = lxml.html.HTMLParser(remove_comments=False, remove_pis=False)


def described(paragraphs: list[Any], derived: bool = True) -> list[tuple[Any, ...]]:
    rows = []
    for p in paragraphs:
        row = [isinstance(p, justext_core.Paragraph), *(getattr(p, a) for a in ATTRIBUTES)]
        if derived:
            row += [p.is_heading, p.is_boilerplate, p.words_count, len(p), p.contains_text()]
        rows.append(tuple(row))
    return rows


def classes(paragraphs: list[Any]) -> list[tuple[str, bool, str]]:
    return [(p.cf_class, p.heading, p.class_type) for p in paragraphs]


def assert_same_paragraphs(tree: Any, stoplist: Any = FROZEN) -> list[Any]:
    """Same paragraphs and classes from both; the fast paragraphs."""
    theirs, ours = justext_core.ParagraphMaker.make_paragraphs(tree), justext_fast.make_paragraphs(tree)
    assert described(ours) == described(theirs)
    for setting in CLASSIFICATIONS:
        justext_core.classify_paragraphs(theirs, stoplist, *setting)
        justext_fast.classify_paragraphs(ours, stoplist, *setting)
        assert classes(ours) == classes(theirs)
    return ours


class Recording:
    """A maker that keeps what it made (``try_justext`` calls ``ParagraphMaker.make_paragraphs``)."""

    def __init__(self, maker: Any) -> None:
        self.maker, self.made = maker, []

    def make_paragraphs(self, tree: Any) -> list[Any]:
        self.made.append(self.maker.make_paragraphs(tree))
        return self.made[-1]


def try_justext(cleaned: Any, names: dict[str, Any],
                monkeypatch: pytest.MonkeyPatch) -> tuple[bytes, list[Any]]:
    """``try_justext``'s output with the given maker and classifier (and the linear revision
    cleaner installs), and its paragraphs."""
    monkeypatch.setattr(external, "revise_paragraph_classification",
                        justext_linear.revise_paragraph_classification)
    recording = Recording(names["ParagraphMaker"])
    monkeypatch.setattr(external, "ParagraphMaker", recording)
    monkeypatch.setattr(external, "classify_paragraphs", names["classify_paragraphs"])
    output = etree.tostring(external.try_justext(cleaned, None, None))
    (paragraphs,) = recording.made
    return output, paragraphs


def assert_same_output(cleaned: Any, monkeypatch: pytest.MonkeyPatch, derived: bool = True) -> list[Any]:
    """Same ``try_justext`` output, paragraphs and classes (before and after the revision) from
    both on a tree ``basic_cleaning`` has cleaned; the fast paragraphs."""
    theirs, their_paragraphs = try_justext(cleaned, ORIGINAL, monkeypatch)
    ours, our_paragraphs = try_justext(cleaned, FAST, monkeypatch)
    assert described(our_paragraphs, derived) == described(their_paragraphs, derived)
    assert classes(our_paragraphs) == classes(their_paragraphs)
    assert ours == theirs
    return our_paragraphs


# -- generated pages -------------------------------------------------------------------------

TAGS = ["div", "p", "a", "br", "br", "h1", "h2", "h3", "h4", "h5", "h6", "select", "option", "span", "li",
        "ul", "b", "td", "table", "em", "form", "header"]
#: stop words of several languages (also capitalised), other words, whitespace of every kind,
#: the copyright sign, '&copy' as text, an entity, and nothing
WORDS = ["the", "The", "and", "of", "der", "die", "und", "la", "Zebra", "quokka", "Ünïcödé", "x" * 40,
         "lorem ipsum dolor sit amet", "the cat and the dog", " ", "  ", "\n", "\r\n", "\t", "\xa0", " \xa0 ",
         "\u2003", "\n \n", "©", "&amp;copy", "&copy;", "&amp;", "", "", ""]
#: a page as a sequence of steps: open an element, close the last one, text, a comment, a <br>
STEP = st.sampled_from(["open", "open", "close", "text", "text", "comment", "br"])
steps = st.lists(st.tuples(STEP, st.sampled_from(TAGS), st.sampled_from(WORDS), st.sampled_from(WORDS)),
                 max_size=40)


def page(body_steps: list[tuple[str, str, str, str]]) -> str:
    html, open_tags = [], []
    for step, tag, word, other in body_steps:
        if step == "open":
            html.append(f"<{tag}>{word}")
            open_tags.append(tag)
        elif step == "close" and open_tags:
            html.append(f"</{open_tags.pop()}>{word}")
        elif step == "comment":
            html.append(f"<!--{word.replace('-', '')}-->{other}")
        elif step == "br":
            html.append(f"<br>{word}")
        else:
            html.append(word + other)
    html += [f"</{tag}>" for tag in reversed(open_tags)]
    return "<html><body>" + "".join(html) + "</body></html>"


@settings(max_examples=400, deadline=None)
@given(steps)
def test_same_paragraphs_classes_and_output_on_generated_pages(body_steps: list[tuple[str, ...]]) -> None:
    tree = basic_cleaning(lxml.html.document_fromstring(page(body_steps), parser=COMMENTS_KEPT))
    assert_same_paragraphs(tree)
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr(external, "JT_STOPLIST", FROZEN)  # hashed once
        assert_same_output(tree, monkeypatch)


@settings(max_examples=300, deadline=None)
@given(st.text(st.sampled_from([" ", "\n", "\r", "\t", "\xa0", "\u2028", "\x85", "\x1c", "\u3000", "a", "b",
                                 "©"]), max_size=14))
def test_whitespace_normalized_as_jusText_does(sample: str) -> None:
    assert justext_fast.normalize_whitespace(sample) == justext_utils.normalize_whitespace(sample)


def test_whitespace_is_what_split_and_the_regular_expression_take_for_it() -> None:
    """The normalization splits where jusText's ``\\s+`` matches: on every whitespace character."""
    every = "".join(map(chr, range(sys.maxunicode + 1)))
    spaces = re.findall(r"\s", every)
    assert len(spaces) > 20 and all(c.isspace() and len(f"a{c}b".split()) == 2 for c in spaces)
    assert sum(map(str.isspace, every)) == len(every) - len("".join(every.split())) == len(spaces)
    for char in spaces:
        for sample in (char, f"a{char}b", f"{char}a{char}{char}b{char}", f"a\n{char}b", f"{char}\r{char}a"):
            assert justext_fast.normalize_whitespace(sample) == justext_utils.normalize_whitespace(sample)
            assert sample.split() == [w for w in re.split(r"\s+", sample) if w]


# -- what the SAX events of lxml do at the edges ---------------------------------------------

def test_namespaced_tags_processing_instructions_and_tails_beside_the_root() -> None:
    root = etree.fromstring(
        "<?pi before?><!--c--><html xmlns:x='urn:x'><body><x:div>one <x:p>two</x:p> three</x:div>"
        "<?pi inside?>after pi<!--c-->after comment<p>four <br/><br/> five <br/> six</p></body></html>"
        "<?pi after?>")
    body = root.find("body")
    body.tail = "tail of body"
    assert_same_paragraphs(root)
    assert_same_paragraphs(root.getroottree())
    assert_same_paragraphs(body)  # a root with a tail, inside a tree
    pi = etree.ProcessingInstruction("pi", "x")
    body.addprevious(pi)
    pi.tail = "tail of a processing instruction beside the root"
    paragraphs = assert_same_paragraphs(body)
    assert paragraphs[0].text.startswith("tail of a processing instruction")
    assert paragraphs[-1].text == "tail of body" and paragraphs[-1].dom_path == ""
    assert "body.div" in [p.dom_path for p in paragraphs]  # the local name of x:div


def test_entities_and_comment_roots_go_to_jusText_s_maker() -> None:
    parser = etree.XMLParser(resolve_entities=False)
    root = etree.fromstring("<!DOCTYPE a [<!ENTITY e 'x'>]><a>t &e; u<b>x</b></a>", parser)
    with pytest.raises(TypeError):
        justext_core.ParagraphMaker.make_paragraphs(root)
    with pytest.raises(TypeError):  # the same error: jusText's own maker ran
        justext_fast.make_paragraphs(root)
    comment = etree.Comment("c")
    comment.tail = "tail"
    assert described(justext_fast.make_paragraphs(comment)) == \
        described(justext_core.ParagraphMaker.make_paragraphs(comment))


def test_br_pairs_separate_paragraphs_and_lone_br_spaces_are_no_text() -> None:
    html = ("<html><body><p><label><br>\n <span><input></span> </label></p><p>x</p>"
            "<div>a<br><br>b<br><div></div><br>c<br>d <a>link<br></a></div></body></html>")
    paragraphs = assert_same_paragraphs(lxml.html.document_fromstring(html))
    assert [p.text for p in paragraphs] == ["x", "a", "b", "c d link"]
    assert [p.tags_count for p in paragraphs] == [0, 0, 1, 3]


def test_text_follows_appended_text_nodes_and_xpath_can_be_set() -> None:
    html = "<html><body><div><p>one</p><p>two <a>three</a></p></div><ul><li>four</li></ul></body></html>"
    tree = lxml.html.document_fromstring(html)
    theirs, ours = justext_core.ParagraphMaker.make_paragraphs(tree), justext_fast.make_paragraphs(tree)
    assert ours[1].xpath == "/html[1]/body[1]/div[1]/p[2]"
    for paragraph in (theirs[1], ours[1]):
        paragraph.append_text("  four\n five ")
    assert described(ours) == described(theirs)
    ours[1].text_nodes = ["six"]
    assert ours[1].text == "six"
    ours[0].xpath = "/x"
    assert ours[0].xpath == "/x"


def test_paragraphs_of_other_classes_are_classified_by_jusText(monkeypatch: pytest.MonkeyPatch) -> None:
    class Mine(justext_core.Paragraph):  # type: ignore[misc]
        @property
        def text(self) -> str:
            return "the the the " * 30

    tree = lxml.html.document_fromstring("<html><body><p>Zebra</p></body></html>")
    paragraphs = justext_core.ParagraphMaker.make_paragraphs(tree)
    paragraphs[0].__class__ = Mine
    justext_fast.classify_paragraphs(paragraphs, FROZEN)
    assert paragraphs[0].cf_class == "good"


def test_the_stoplist_is_frozen_by_jusText_once_per_stoplist(monkeypatch: pytest.MonkeyPatch) -> None:
    calls = []

    def define_stoplist(stoplist: Any) -> frozenset[str]:
        calls.append(stoplist)
        return frozenset(w.lower() for w in stoplist)

    monkeypatch.setattr(justext_core, "define_stoplist", define_stoplist)
    monkeypatch.setattr(justext_fast, "_FROZEN", {})
    paragraphs = justext_fast.make_paragraphs(lxml.html.document_fromstring("<p>The Zebra and THE dog</p>"))
    words = ("the", "AND")
    for _ in range(3):
        justext_fast.classify_paragraphs(paragraphs, words, 5, 10, 0.3, 0.5)
        assert paragraphs[0].cf_class == "good"  # 3 of 5 words, 'THE' and 'and' too
    assert calls == [words]
    justext_fast.classify_paragraphs(paragraphs, ("zebra",), 5, 10, 0.3, 0.5)
    assert paragraphs[0].cf_class == "bad"
    changing = ["the", "and"]  # a list: frozen again each time (it may have changed)
    justext_fast.classify_paragraphs(paragraphs, changing, 5, 10, 0.3, 0.5)
    assert paragraphs[0].cf_class == "good"
    changing[:] = ["zebra"]
    justext_fast.classify_paragraphs(paragraphs, changing, 5, 10, 0.3, 0.5)
    assert paragraphs[0].cf_class == "bad"
    assert len(calls) == 4


# -- the bench pages -------------------------------------------------------------------------

@needs_bench
@pytest.mark.parametrize(("corpus", "pages_at_least"), [("traf-html", 150), ("zyte-html", 25)])
def test_same_paragraphs_classes_and_output_on_the_bench_pages(
        monkeypatch: pytest.MonkeyPatch, corpus: str, pages_at_least: int) -> None:
    """The sampled dev pages (all with CLEANER_TESTS_FULL), as cleaner parses them; one in 20
    also with comments and processing instructions kept, trafilatura's stoplist tuple and the
    other classification settings."""
    from cleaner import html_tree

    pages = bench_pages(corpus)
    assert len(pages) > pages_at_least
    good = 0
    for number, path in enumerate(pages):
        html = path.read_bytes().decode("utf-8", "replace")
        tree = html_tree.parse(html)
        if tree is None:
            continue
        if number % 20:
            # the stoplist frozen once: jusText's define_stoplist would hash the tuple each time
            monkeypatch.setattr(external, "JT_STOPLIST", FROZEN)
        else:  # trafilatura's tuple, the other classifications, comments and processing instructions
            monkeypatch.setattr(external, "JT_STOPLIST", STOPLIST)
            kept = lxml.html.fromstring(path.read_bytes(), parser=COMMENTS_KEPT)
            assert_same_paragraphs(basic_cleaning(kept), STOPLIST)
        paragraphs = assert_same_output(basic_cleaning(tree), monkeypatch, derived=False)
        good += sum(p.class_type == "good" for p in paragraphs)
    # the comparison covers every class, not only short and bad paragraphs (24 to 31 a page)
    assert good > 10 * len(pages)


# -- installation ------------------------------------------------------------------------------

def test_installed_where_try_justext_looks_them_up(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ORIGINAL.items():
        monkeypatch.setattr(external, name, value)
    justext_fast.install()
    justext_fast.install()
    assert external.ParagraphMaker is justext_fast.ParagraphMaker
    assert external.classify_paragraphs is justext_fast.classify_paragraphs
    assert justext_core.ParagraphMaker is ORIGINAL["ParagraphMaker"]  # jusText's own module is left alone
    assert justext_core.classify_paragraphs is ORIGINAL["classify_paragraphs"]
    assert justext_fast._original("ParagraphMaker") is ORIGINAL["ParagraphMaker"]


def test_the_fast_path_is_on_for_the_installed_versions() -> None:
    digest = justext_fast.source_digest()
    assert digest is not None
    if digest != justext_fast.KNOWN_SOURCE:  # correct still (jusText's own runs), only slower
        pytest.skip("jusText's, lxml.sax's or trafilatura's code changed: check justext_fast against it, "
                    f"then update KNOWN_SOURCE (now {digest})")


def test_unknown_code_keeps_jusText_s_own(monkeypatch: pytest.MonkeyPatch) -> None:
    for name, value in ORIGINAL.items():
        monkeypatch.setattr(external, name, value)
    monkeypatch.setattr(justext_fast, "KNOWN_SOURCE", "0" * 16)
    justext_fast.install()
    assert external.ParagraphMaker is ORIGINAL["ParagraphMaker"]
    assert external.classify_paragraphs is ORIGINAL["classify_paragraphs"]
    for name, value in FAST.items():  # installed before, for other code: put back
        monkeypatch.setattr(external, name, value)
    justext_fast.install()
    assert external.ParagraphMaker is ORIGINAL["ParagraphMaker"]
    assert external.classify_paragraphs is ORIGINAL["classify_paragraphs"]
