"""The parsed page: trafilatura's parse, made cheaper to walk, and the walks cleaner makes itself.

``parse`` is ``trafilatura.utils.load_html`` for a decoded page, on a parser of its own that
picks the Python class of each element in C. lxml.html's parser (trafilatura's) calls a Python
method for every element it hands to Python code -- 3.8 million calls on the 483 traf-html dev
pages, about 2 ms a page once trafilatura, htmldate and cleaner have walked the tree. Elements
are ``HtmlElement`` either way; only lxml's form classes (``FormElement``, ``InputElement``, ...)
are not used, and nothing in trafilatura, htmldate or jusText reads their form helpers.
``tests/test_html_tree.py`` checks the trees are the same as ``load_html``'s, except for a page
nested over 255 elements deep: ``load_html`` drops everything below that level, this parser
keeps it (``huge_tree``); and for a page with a stray ``</html>`` mid-page, where libxml2 stops
(``load_html`` loses the rest of the page) and ``parse`` reads on, as a browser does.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from lxml import etree
from lxml.html import HtmlComment, HtmlElement, HtmlEntity, HTMLParser, HtmlProcessingInstruction, fromstring

from .pinning import Replacements

#: Wrapper elements (no text of their own) nested deeper than this are dropped, their children
#: kept: trafilatura's tree walks grow with depth x elements (2,000 list items under 250 nested
#: divs take over 1 s). The deepest dev page is 50 levels deep.
MAX_DEPTH = 80
#: A page has a deck or two; the text of at most this many is read (each read walks the
#: element's subtree: nested deck-marked elements would make it quadratic).
MAX_DECKS = 20
#: Nesting of the page that measures the parser's limit (deeper than any libxml2 allows).
PARSER_PROBE_DEPTH = 100_000
#: Inline formatting tags: they hold no block of their own, and left open by sloppy markup
#: ("<font>" after "<font>", never closed) each one nests the rest of the page a level deeper.
#: The end tag of the document. libxml2 (2.14) stops parsing at the first one: a stray
#: ``</html>`` mid-page (a template or an included fragment that closes "its" document) lost
#: every paragraph after it. A browser ignores the tag and goes on (HTML5: content after it
#: belongs in the body).
_HTML_END = re.compile(r"</html\s*>", re.I)
_INLINE_TAG = re.compile(r"</?(?:font|span|b|i|u|em|strong|small|big|s|strike|tt|sub|sup|mark)\b[^>]*>", re.I)
_NOT_VISIBLE = frozenset({"script", "style", "noscript", "template", "head", "title", "meta"})
#: A class or id naming a deck (subheadline): "p-dek", "articleDek", "article-deck", "subtitle",
#: "sub-headline", "subheading". A deck sums the story up under the headline, like the headline
#: it is not part of the body; a lead/teaser/intro paragraph ("chapo", "Vorspann") opens it.
_DECK_CLASS = re.compile(r"dek(?![a-z])|deck(?![a-z])|sub-?title|sub-?head", re.I)
#: Is there an element more than MAX_DEPTH levels below the context element? (in C: one step
#: per level over the elements of that level, instead of a Python walk over every element)
_TOO_DEEP = etree.XPath("boolean(" + "/".join(["*"] * (MAX_DEPTH + 1)) + ")")


def _settings() -> dict[str, Any]:
    """trafilatura's ``HTML_PARSER`` settings, and ``huge_tree``."""
    return {"collect_ids": False, "default_doctype": False, "encoding": "utf-8", "remove_comments": True,
            "remove_pis": True, "huge_tree": True}


#: trafilatura's own parser, which readability's result and the fallbacks are parsed again with,
#: given ``huge_tree`` too: a page that ``parse`` keeps whole must not lose its depth there.
PATCHES = Replacements(lambda: importlib.import_module("trafilatura.utils"),
                       {"HTML_PARSER": HTMLParser(**_settings())})


def install() -> None:
    """Put the parser above in trafilatura (idempotent)."""
    PATCHES.install()


@cache
def _parser() -> HTMLParser:
    """trafilatura's HTML_PARSER settings, element classes looked up in C (one per process;
    lxml serializes parses on one parser across threads), and ``huge_tree``: without it libxml2
    silently drops everything nested more than 255 elements deep, which a page of unclosed
    ``<font>`` tags or an old layout of nested tables reaches (see ``parse_deep``)."""
    parser = HTMLParser(**_settings())
    parser.set_element_class_lookup(etree.ElementDefaultClassLookup(
        element=HtmlElement, comment=HtmlComment, pi=HtmlProcessingInstruction, entity=HtmlEntity))
    return parser


def parse(html: str) -> Any:
    """The page's tree as ``trafilatura.utils.load_html(html)`` builds it, or None when that
    rejects the text (not HTML)."""
    from trafilatura.utils import is_dubious_html, repair_faulty_html

    beginning = html[:50].lower()
    dubious = is_dubious_html(beginning)
    html = without_stray_end(repair_faulty_html(html, beginning))
    tree, tried_bytes = None, False
    try:
        tree = fromstring(html, parser=_parser())
    except ValueError:  # "Unicode strings with encoding declaration are not supported."
        tree, tried_bytes = _from_bytes(html), True
    except Exception:  # lxml refuses the text; the bytes are tried below, as load_html does
        tree = None
    if (tree is None or len(tree) < 1) and not tried_bytes:
        tree = _from_bytes(html)
    if tree is not None and dubious and len(tree) < 2:
        return None  # not (well-formed) HTML at all
    return tree


def without_stray_end(html: str) -> str:
    """The page without its ``</html>`` end tags when anything but whitespace follows the first
    one (the parser closes the document at the end of the text anyway); else as it is.

    >>> without_stray_end("<body><p>a</p></html><p>b</p>"), without_stray_end("<p>a</p></html>\\n")
    ('<body><p>a</p><p>b</p>', '<p>a</p></html>\\n')
    """
    end = _HTML_END.search(html)
    if end is None or not html[end.end():].strip():
        return html
    return _HTML_END.sub("", html)


def parse_deep(html: str) -> tuple[Any, str, str | None]:
    """``parse``, for a page that may nest its elements down to the parser's own limit (a few
    thousand levels, ``parser_depth``), where libxml2 drops the rest of the page without an
    error. Such a page (``<font>`` after ``<font>``, never closed) is parsed again without its
    inline formatting tags, which hold no block of their own. Returns the tree, the HTML it was
    parsed from (for the fallbacks that parse it again) and a note when it was not the page as
    given, or when text is still lost.
    """
    tree = parse(html)
    if tree is None or not _TOO_DEEP(tree) or max_depth(tree) < parser_depth():
        return tree, html, None  # every page but a pathological one: the first test decides
    limit = f"{parser_depth():,}"
    flat = _INLINE_TAG.sub("", html)
    again = parse(flat)
    if again is None:
        return tree, html, f"elements nested {limit} deep, the HTML parser's limit: the text below is lost"
    if max_depth(again) < parser_depth():
        return again, flat, (f"elements nested {limit} deep, the HTML parser's limit: "
                             "parsed again without the inline formatting tags (font, b, span, ...)")
    return again, flat, (f"elements nested {limit} deep, the HTML parser's limit, even without the "
                         "inline formatting tags (font, b, span, ...): the text below is lost")


def max_depth(tree: Any) -> int:
    """Levels of elements below ``tree`` (0 for an element without children)."""
    return max(depth for _, depth in _with_depths(tree))


def _with_depths(tree: Any) -> Iterator[tuple[Any, int]]:
    """Every element of ``tree`` with its level below it, walked without recursion (a page can
    be thousands of levels deep)."""
    stack = [(tree, 0)]
    while stack:
        element, depth = stack.pop()
        yield element, depth
        stack.extend((child, depth + 1) for child in element)


@cache
def parser_depth() -> int:
    """How deep libxml2 nests elements with ``huge_tree`` (2,045 levels below ``<html>`` with
    libxml2 2.14); anything deeper is dropped. Measured once, when a page first comes near it:
    it varies with the version."""
    return max_depth(fromstring("<div>" * PARSER_PROBE_DEPTH + "x", parser=_parser()))


def _from_bytes(html: str) -> Any:
    try:
        return fromstring(html.encode("utf8", "surrogatepass"), parser=_parser())
    except Exception:
        return None


#: Frame sources named in a note at most.
MAX_FRAME_SOURCES = 5


def unframe(tree: Any) -> tuple[str, ...] | None:
    """A frameset page (no ``<body>``; trafilatura drops ``<frameset>``): its ``<noframes>``
    content, which the parser keeps as raw text (markup and all), parsed into a ``<body>`` in
    place of the frameset. Returns the frames' sources (at most MAX_FRAME_SOURCES), or None
    when the page is no frameset page.

    >>> tree = fromstring("<html><frameset><frame src='m.html'><noframes><p>Hi</p></noframes></frameset></html>")
    >>> unframe(tree), etree.tostring(tree)
    (('m.html',), b'<html><body><p>Hi</p></body></html>')
    """
    frameset = tree.find("frameset")
    if frameset is None or tree.find("body") is not None:
        return None
    sources = tuple(dict.fromkeys(frame.get("src", "").strip() for frame in frameset.iter("frame", "iframe")
                                  if frame.get("src", "").strip()))[:MAX_FRAME_SOURCES]
    raw = "\n".join(element.text or "" for element in frameset.iter("noframes"))
    page = fromstring(f"<html><body>{raw}</body></html>", parser=_parser()) if raw.strip() else None
    body = page.find("body") if page is not None else None
    if body is None:
        body = tree.makeelement("body")
    frameset.addprevious(body)
    tree.remove(frameset)
    return sources


def flatten_deep(tree: Any) -> int:
    """Drop the wrapper elements (children, no text of their own) below ``MAX_DEPTH``; their
    children and tails stay in place, so no text and no block boundary is lost. (An element
    without children nests nothing: a ``<br>`` dropped would glue two lines.) Returns how many."""
    if not _TOO_DEEP(tree):
        return 0  # every dev page: decided without a walk in Python
    deep = [element for element, depth in _with_depths(tree)
            if depth > MAX_DEPTH and len(element) and isinstance(element.tag, str)
            and not (element.text or "").strip()]
    for element in deep:  # (after the walk: dropping a tag moves its children)
        element.drop_tag()
    return len(deep)


def visible_text(tree: Any) -> str:
    """The page's text in document order, outside scripts, styles and the head,
    whitespace-collapsed. (lxml walks the tree in C; a hidden element's subtree is skipped,
    its tail kept.)

    >>> visible_text(fromstring("<div><p>A <b>lead</b> here</p> after<script>x()</script> end</div>"))
    'A lead here after end'
    """
    parts: list[str] = []
    walk = etree.iterwalk(tree, events=("start", "end"))
    for event, element in walk:
        if event == "end":
            if element.tail:
                parts.append(element.tail)
        elif not isinstance(element.tag, str) or element.tag in _NOT_VISIBLE:
            walk.skip_subtree()
        elif element.text:
            parts.append(element.text)
    return " ".join(" ".join(parts).split())


def deck_texts(tree: Any) -> list[str]:
    """The texts of the visible elements marked as a deck (subheadline), at most MAX_DECKS."""
    decks: list[str] = []
    walk = etree.iterwalk(tree, events=("start",))
    for _, element in walk:
        if not isinstance(element.tag, str) or element.tag in _NOT_VISIBLE:
            walk.skip_subtree()
            continue
        marks = f"{element.get('class') or ''} {element.get('id') or ''}"
        if marks.strip() and _DECK_CLASS.search(marks):
            decks.append(" ".join(" ".join(element.itertext()).split()))
            if len(decks) == MAX_DECKS:
                break
    return decks
