"""jusText's paragraph maker and classifier as trafilatura runs them, faster, with the same result.

trafilatura's recall escalation and its fallback comparison run ``try_justext`` on about one page
in nine. ``ParagraphMaker.make_paragraphs`` fires lxml's SAX events at a Python handler (an
``AttributesNSImpl`` and a qualified name built for every element, the dom path and the XPath of
the element stack joined again for every paragraph started, empty ones included) and normalizes
every text node with a regular expression that calls a Python function for each run of
whitespace. ``classify_paragraphs`` hashes its stoplist again on every call (``define_stoplist``
is an ``lru_cache``: trafilatura's union stoplist is a tuple of 154,484 words, 4 ms to hash), and
a paragraph joins and normalizes its text again each time its ``text`` is read (eight times).

Here ``make_paragraphs`` walks the tree once with ``lxml.etree.iterwalk`` and does on each event
what the SAX handler does: the same paragraph boundaries (paragraph tags; the second ``<br>`` of
a pair, with its ``tags_count -= 1``), text nodes, link characters and tag counts; a paragraph
is kept when it has text beyond the spaces of ``<br>``s (jusText's ``if self.paragraph``: an
empty text is false). The dom path is kept as a string per open element, the XPath built only
when read. Whitespace is normalized by ``str.split`` and joins (a run holding a line feed or
carriage return becomes one line feed, any other run one space: ``normalize_whitespace``'s
result; ``split`` and ``\\s`` take the same characters for whitespace). A paragraph
(``FastParagraph``, a ``Paragraph``) computes its text once, and again only when its text nodes
change. ``classify_paragraphs`` takes the text once a paragraph, counts stop words only where the
class depends on them, and keeps the frozen form of the last few tuple or frozenset stoplists it
was given (the same object holds the same words). On the 562 dev pages of traf-html and
zyte-html as cleaner parses them, ``try_justext(basic_cleaning(page))`` takes 23.5 -> 7.4 ms a
call (least of six interleaved runs, process time): ``make_paragraphs`` 8.2 -> 1.7 ms and
``classify_paragraphs`` 8.8 -> 0.6 ms; most of the rest is ``basic_cleaning`` (5.5 ms).

A node the walk was not written for (an entity, or a comment or processing instruction as the
root) sends the page to jusText's own maker; paragraphs of other classes go to jusText's own
classifier. ``install()`` puts both where ``try_justext`` looks them up (jusText's module is
left alone), and only for the code they reproduce: ``KNOWN_SOURCE`` is a digest of jusText's
maker, path, paragraph, classifier, stoplist and whitespace code, lxml's ``sax.py`` and
trafilatura's ``try_justext``; with other code trafilatura keeps its own, correct and slower.
``tests/test_justext_fast.py`` checks the paragraphs (every attribute), their classes and
``try_justext``'s output are the same on every bench page and on generated HTML.
"""

from __future__ import annotations

from functools import cache
from itertools import chain
from typing import Any

from justext import core as _core
from justext.paragraph import HEADINGS_PATTERN, Paragraph
from lxml.etree import ProcessingInstruction, iterwalk

from .pinning import Replacements, code_digest

#: Digest of the code this module reproduces (jusText 3.0.2, lxml 6.2.0's sax.py, trafilatura
#: 2.3.1's ``try_justext``); see ``source_digest``.
KNOWN_SOURCE = "074419cafec6ba23"

PARAGRAPH_TAGS = _core.PARAGRAPH_TAGS
_EVENTS = ("start", "end", "comment", "pi")


def normalize_whitespace(text: str) -> str:
    """``justext.utils.normalize_whitespace``: each maximal run of whitespace (``\\s``, which
    is what ``str.split`` and ``str.isspace`` take for whitespace) becomes a line feed when it
    holds one or a carriage return, else a space; by splits and joins instead of a Python call
    for every run."""
    if "\n" not in text and "\r" not in text:
        words = text.split()
        if not words:
            return " " if text else ""
        joined = " ".join(words)
        if text[0].isspace():
            joined = " " + joined
        if text[-1].isspace():
            joined += " "
        return joined
    lines = text.replace("\r", "\n").split("\n")
    pieces = [" ".join(line.split()) for line in lines]
    joined = "\n".join([piece for piece in pieces if piece])
    if not joined:
        return "\n"
    # the run before the first words is a space when it holds no line break, likewise after
    # the last; any other run holding a line break is one line feed
    if pieces[0]:
        if lines[0][0].isspace():
            joined = " " + joined
    else:
        joined = "\n" + joined
    if pieces[-1]:
        if lines[-1][-1].isspace():
            joined += " "
    else:
        joined += "\n"
    return joined


class FastParagraph(Paragraph):  # type: ignore[misc]
    """A ``justext.paragraph.Paragraph`` whose text is joined once, not on every read. Its
    ``xpath`` is built from the element path when first read."""

    def __init__(self, node: tuple[Any, ...] | None, text_nodes: list[str], links: int, tags: int) -> None:
        # the attributes of Paragraph.__init__, in its order
        self.dom_path = node[0] if node is not None else ""
        self._node = node
        self.text_nodes = text_nodes
        self.chars_count_in_links = links
        self.tags_count = tags
        self.class_type = ""
        self._text_of: tuple[list[str], int] | None = None
        self._text = ""

    @property
    def xpath(self) -> str:
        xpath: str | None = self.__dict__.get("_xpath")
        if xpath is None:
            parts = []
            node = self._node
            while node is not None:
                parts.append("%s[%d]" % (node[2], node[3]))  # noqa: UP031 -- PathInfo's format
                node = node[1]
            xpath = self.__dict__["_xpath"] = "/" + "/".join(reversed(parts))
        return xpath

    @xpath.setter
    def xpath(self, value: str) -> None:
        self.__dict__["_xpath"] = value

    @property
    def text(self) -> str:
        nodes = self.text_nodes
        seen = self._text_of
        if seen is None or seen[0] is not nodes or seen[1] != len(nodes):
            self._text = normalize_whitespace("".join(nodes).strip())
            self._text_of = (nodes, len(nodes))
        return self._text


class _Unsupported(Exception):
    """A node the walk does not reproduce the SAX events of."""


def make_paragraphs(root: Any) -> list[Paragraph]:
    """``justext.core.ParagraphMaker.make_paragraphs(root)``."""
    try:
        return _walk(root)
    except _Unsupported:
        return _original("ParagraphMaker").make_paragraphs(root)  # type: ignore[no-any-return]


def _walk(root: Any) -> list[Paragraph]:
    try:
        element = root.getroot()
    except AttributeError:
        element = root
    if type(element.tag) is not str:
        raise _Unsupported
    # lxml.sax.saxify: the processing instructions beside the root, then the root
    before, after = [], []
    sibling = element.getprevious()
    while getattr(sibling, "tag", None) is ProcessingInstruction:
        before.append(("pi", sibling))
        sibling = sibling.getprevious()
    sibling = element.getnext()
    while getattr(sibling, "tag", None) is ProcessingInstruction:
        after.append(("pi", sibling))
        sibling = sibling.getnext()
    events = iterwalk(element, events=_EVENTS)
    if before or after:
        events = chain(reversed(before), events, after)

    paragraphs: list[Paragraph] = []
    tags_p = PARAGRAPH_TAGS
    normalize = normalize_whitespace
    # the open elements: (dom path, parent, name, order among same-named siblings, child counts)
    node: tuple[Any, ...] | None = None
    # the paragraph being filled: its path, text nodes, characters in links, tags, and whether
    # it has text (jusText keeps a paragraph when it is true and has text nodes: when it has
    # more than the spaces of <br>s)
    p_node: tuple[Any, ...] | None = None
    nodes: list[str] = []
    links = tags = 0
    link = br = texty = False
    for event, el in events:
        if event == "start":
            name = el.tag
            if type(name) is not str:
                raise _Unsupported  # an entity
            if name[0] == "{" and "}" in name:  # lxml.sax._getNsTag
                name = name[1:].split("}", 1)[1]
            if node is None:
                node = (name, None, name, 1, {})
            else:
                counts = node[4]
                order = counts[name] = counts.get(name, 0) + 1
                node = (node[0] + "." + name, node, name, order, {})
            if name in tags_p or (br and name == "br"):
                if name == "br":
                    tags -= 1  # on the paragraph ending here (the <br><br> is a separator)
                if texty:
                    paragraphs.append(FastParagraph(p_node, nodes, links, tags))
                p_node, nodes, links, tags, texty = node, [], 0, 0, False
            else:
                br = name == "br"
                if br:
                    nodes.append(" ")
                elif name == "a":
                    link = True
                tags += 1
            text = el.text
        elif event == "end":
            assert node is not None
            name = node[2]
            node = node[1]
            if name in tags_p:
                if texty:
                    paragraphs.append(FastParagraph(p_node, nodes, links, tags))
                p_node, nodes, links, tags, texty = node, [], 0, 0, False
            if name == "a":
                link = False
            text = el.tail
        else:  # a comment or processing instruction: its tail only
            text = el.tail
        if text and not text.isspace():
            text = normalize(text)
            nodes.append(text)
            if link:
                links += len(text)
            br = False
            texty = True
    if texty:
        paragraphs.append(FastParagraph(p_node, nodes, links, tags))
    return paragraphs


class ParagraphMaker(_core.ParagraphMaker):  # type: ignore[misc]
    """jusText's ``ParagraphMaker`` whose ``make_paragraphs`` is the walk above."""

    @classmethod
    def make_paragraphs(cls, root: Any) -> list[Paragraph]:
        return make_paragraphs(root)


#: The frozen form of the last few stoplists given, by identity (a tuple or frozenset: the same
#: object holds the same words), each with the stoplist itself (so its id is not reused).
_FROZEN: dict[int, tuple[Any, frozenset[str]]] = {}
_FROZEN_MAX = 8


def _frozen_stoplist(stoplist: Any) -> frozenset[str]:
    """``justext.core.define_stoplist(stoplist)``, which hashes the whole stoplist on each call
    (its ``lru_cache``): 4 ms for trafilatura's 154,484 words."""
    known = _FROZEN.get(id(stoplist))
    if known is not None and known[0] is stoplist:
        return known[1]
    frozen: frozenset[str] = _core.define_stoplist(stoplist)
    if type(stoplist) in (tuple, frozenset):
        if len(_FROZEN) >= _FROZEN_MAX:
            _FROZEN.clear()
        _FROZEN[id(stoplist)] = (stoplist, frozen)
    return frozen


def classify_paragraphs(paragraphs: list[Any], stoplist: Any,
                        length_low: int = _core.LENGTH_LOW_DEFAULT,
                        length_high: int = _core.LENGTH_HIGH_DEFAULT,
                        stopwords_low: float = _core.STOPWORDS_LOW_DEFAULT,
                        stopwords_high: float = _core.STOPWORDS_HIGH_DEFAULT,
                        max_link_density: float = _core.MAX_LINK_DENSITY_DEFAULT,
                        no_headings: bool = _core.NO_HEADINGS_DEFAULT) -> None:
    """``justext.core.classify_paragraphs``: sets ``heading`` and ``cf_class``."""
    if not all(type(p) is FastParagraph or type(p) is Paragraph for p in paragraphs):
        _original("classify_paragraphs")(paragraphs, stoplist, length_low, length_high, stopwords_low,
                                         stopwords_high, max_link_density, no_headings)
        return
    stopwords = _frozen_stoplist(stoplist)
    is_stopword = stopwords.__contains__
    lower = str.lower
    for paragraph in paragraphs:
        text = paragraph.text
        length = len(text)
        link_density = paragraph.chars_count_in_links / length if length else 0
        paragraph.heading = bool(not no_headings and HEADINGS_PATTERN.search(paragraph.dom_path))

        if link_density > max_link_density:
            paragraph.cf_class = "bad"
        elif ("\xa9" in text) or ("&copy" in text):
            paragraph.cf_class = "bad"
        elif "select" in paragraph.dom_path:
            paragraph.cf_class = "bad"
        elif length < length_low:
            if paragraph.chars_count_in_links > 0:
                paragraph.cf_class = "bad"
            else:
                paragraph.cf_class = "short"
        else:
            words = text.split()
            stopword_density = sum(map(is_stopword, map(lower, words))) / len(words) if words else 0
            if stopword_density >= stopwords_high:
                if length > length_high:
                    paragraph.cf_class = "good"
                else:
                    paragraph.cf_class = "neargood"
            elif stopword_density >= stopwords_low:
                paragraph.cf_class = "neargood"
            else:
                paragraph.cf_class = "bad"


@cache
def source_digest() -> str | None:
    """Digest of the code reproduced here: jusText's ``ParagraphMaker``, ``PathInfo``,
    ``Paragraph``, ``classify_paragraphs``, ``define_stoplist``, whitespace helpers and the
    constants they read, lxml's ``sax.py`` and trafilatura's ``try_justext`` (None: a source
    is not available)."""
    from pathlib import Path

    import lxml.sax
    import trafilatura.external
    from justext import paragraph, utils

    return code_digest([
        _core.ParagraphMaker, _core.PathInfo, paragraph.Paragraph, _core.classify_paragraphs,
        _core.define_stoplist, utils.normalize_whitespace, utils._replace_whitespace, utils.is_blank,
        trafilatura.external.try_justext, Path(lxml.sax.__file__).with_name("sax.py"),
        repr(sorted(_core.PARAGRAPH_TAGS)), repr(utils.MULTIPLE_WHITESPACE_PATTERN),
        repr(paragraph.HEADINGS_PATTERN)])


def _external() -> Any:
    import trafilatura.external

    return trafilatura.external


#: The maker and classifier here where ``try_justext`` looks them up; jusText's own (in
#: ``justext.core``, which is left alone) kept by ``install()``.
PATCHES = Replacements(_external,
                       {"ParagraphMaker": ParagraphMaker, "classify_paragraphs": classify_paragraphs},
                       origin=lambda: _core)


def _original(name: str) -> Any:
    return PATCHES.original(name)


def install() -> None:
    """Use the maker and classifier here where ``try_justext`` looks them up (idempotent); for
    code other than the known one, trafilatura's own (put back if installed before)."""
    if source_digest() == KNOWN_SOURCE:
        PATCHES.install()
    else:
        PATCHES.uninstall()
