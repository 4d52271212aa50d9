"""trafilatura's author, category and tag search, faster, with the same result.

``trafilatura.metadata.extract_author`` runs on every page whose meta tags and JSON-LD name no
author (three pages in four of the traf-html dev half). It deep-copies the whole page, prunes
comment, sidebar, date and figure elements from the copy (``AUTHOR_DISCARD_XPATHS``), then
takes the first element of ``AUTHOR_XPATHS`` whose text is 3 to 119 characters long. The copy
and the prune cost 2.1 ms of its 5.3 ms a page.

``extract_author`` here runs the same expressions on the page itself and prunes only what it
reads: a candidate element is skipped when it or an ancestor would have been pruned (the
discard expressions test an element's own tag and attributes), and its text is read from a
copy of that element alone, pruned by trafilatura's own ``prune_unwanted_nodes`` (deleting an
element joins its tail to the text before it, which changes the spacing: that is kept too).
Before each expression it asks ``xpath_skip.could_find`` whether any value of the attributes
the expression tests could satisfy it; an expression that cannot match is not run. 5.1 -> 2.4
ms a call on the 562 dev pages of traf-html and zyte-html, the same author on every one.
It relies on what those expressions test and on how trafilatura reads the result, so it is
used only for the expressions and the code it was written for (digests of their text) and on pages without a ``<rel>`` element (one of them
compares a child ``<rel>``'s text, which a prune inside it could change); otherwise, and when
the candidates' subtrees add up to more than the page, trafilatura's own function runs.
``tests/test_trafilatura_fast.py`` checks both give the same author on the bench pages and
on generated ones. ``install()`` puts it where ``extract_metadata`` looks it up.

Inside ``unused_fields_skipped()`` (cleaner's own extraction, in that thread), ``extract_license``
returns None without searching: cleaner never reads the licence, and the search (every link
with a ``rel``, then every link in a footer) cost 0.8 ms a page. Elsewhere it is trafilatura's.

``extract_catstags`` (categories and tags) does not run trafilatura's link expressions on a
page where none of the links they could return would be kept (trafilatura keeps a link whose
``href`` holds "/category/" or "/tag/", and plurals): 0.8 ms a page of expressions, on three
pages in four of the traf-html dev half. Exact for the code it was written for (a digest).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from copy import deepcopy
from functools import cache
from typing import Any, cast

from .pinning import Replacements, code_digest

#: Digests of the expressions and of the code (``extract_author``, ``extract_metainfo``) that
#: ``extract_author`` here is exact for (trafilatura 2.3.1); another version runs its own.
KNOWN_EXPRESSIONS = "25bd9dc701d833cf"
KNOWN_SOURCE = "d4788eaaca5defba"
#: Author text limits of ``extract_author`` (``extract_metainfo(..., len_limit=120)``).
AUTHOR_MAX_CHARS = 120


def expressions_digest(expressions: list[Any]) -> str | None:
    return code_digest(x.path for x in expressions)


@cache
def _xpath(path: str, smart_strings: bool = True) -> Any:
    """An XPath of this module, compiled once."""
    from lxml.etree import XPath

    return XPath(path, smart_strings=smart_strings)


def source_digest() -> str | None:
    """Digest of trafilatura's ``extract_author`` and ``extract_metainfo`` (None: no source)."""
    from trafilatura import metadata

    return code_digest([_trafilatura("extract_author"), metadata.extract_metainfo])


@cache
def _plan() -> tuple[Any, Any] | None:
    """(AUTHOR_XPATHS, an XPath telling whether the context element or an ancestor of it is
    pruned), or None when trafilatura's expressions are not the known ones."""
    from lxml.etree import XPath
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS, AUTHOR_XPATHS

    if expressions_digest([*AUTHOR_XPATHS, *AUTHOR_DISCARD_XPATHS]) != KNOWN_EXPRESSIONS:
        return None
    if source_digest() != KNOWN_SOURCE:
        return None
    first, second = (x.path.strip() for x in AUTHOR_DISCARD_XPATHS)
    if not first.startswith(".//*[") or second != "//time|//figure":
        return None
    pruned = XPath(f"boolean(ancestor-or-self::*{first[len('.//*'):]}"
                   " | ancestor-or-self::time | ancestor-or-self::figure)",
                   namespaces={"re": "http://exslt.org/regular-expressions"})
    return AUTHOR_XPATHS, pruned




def extract_author(tree: Any) -> str | None:
    """``trafilatura.metadata.extract_author(tree)``, without the copy of the page."""
    from trafilatura.htmlprocessing import prune_unwanted_nodes
    from trafilatura.json_metadata import normalize_authors
    from trafilatura.utils import trim
    from trafilatura.xpaths import AUTHOR_DISCARD_XPATHS

    from .xpath_skip import could_find, page_of

    plan = _plan()
    if plan is None or tree.find(".//rel") is not None:
        return cast("str | None", _trafilatura("extract_author")(tree))
    expressions, is_pruned = plan
    budget: int | None = None
    page = page_of(tree)
    for expression in expressions:
        if not could_find(expression.path, tree, page):
            continue  # no attribute value of the page satisfies it: not worth visiting every element
        for element in expression(tree):
            if is_pruned(element):
                continue
            budget = (_size(tree) if budget is None else budget) - _size(element)
            if budget < 0:  # copying the candidates would cost more than copying the page once
                return cast("str | None", _trafilatura("extract_author")(tree))
            subtree = prune_unwanted_nodes(deepcopy(element), AUTHOR_DISCARD_XPATHS)
            content = trim(" ".join(subtree.itertext()))
            if content and 2 < len(content) < AUTHOR_MAX_CHARS:
                return normalize_authors(None, content)
    return None


def _size(element: Any) -> int:
    """Nodes in the element's subtree (what a deep copy of it costs)."""
    return int(_xpath("count(descendant-or-self::node())")(element))


def _trafilatura(name: str) -> Any:
    """trafilatura's own version of a function this module replaces."""
    return PATCHES.original(name)


_LOCAL = threading.local()


@contextmanager
def unused_fields_skipped() -> Iterator[None]:
    """Within: trafilatura's metadata fields that cleaner never reads (the licence) are left
    empty instead of searched for, in this thread."""
    previous = getattr(_LOCAL, "skip", False)
    _LOCAL.skip = True
    try:
        yield
    finally:
        _LOCAL.skip = previous


def extract_license(tree: Any) -> str | None:
    """``trafilatura.metadata.extract_license(tree)``; None inside ``unused_fields_skipped()``."""
    if getattr(_LOCAL, "skip", False):
        return None
    return cast("str | None", _trafilatura("extract_license")(tree))


#: Digest of trafilatura's ``extract_catstags`` that ``extract_catstags`` here is exact for.
KNOWN_CATSTAGS_SOURCE = "3f8fb883298aab2e"
#: trafilatura's category fallback when no link is found (meta tags), as in its code.
_SECTION_META = './/head//meta[@property="article:section" or contains(@name, "subject")][@content]'


@cache
def _catstags_known() -> bool:
    """trafilatura's ``extract_catstags`` is the code written for here, and every one of its
    link expressions selects ``a`` elements with an ``href`` (``...//a[@href]``)."""
    from trafilatura.xpaths import CATEGORIES_XPATHS, TAGS_XPATHS

    if code_digest([_trafilatura("extract_catstags")]) != KNOWN_CATSTAGS_SOURCE:
        return False
    return all(" ".join(x.path.split()).endswith("//a[@href]") for x in [*CATEGORIES_XPATHS, *TAGS_XPATHS])


def extract_catstags(metatype: str, tree: Any) -> list[str]:
    """``trafilatura.metadata.extract_catstags(metatype, tree)``. trafilatura keeps a link its
    expressions find only when its ``href`` holds "/category/", "/tag/" (and plurals): on a
    page where no link does (three pages in four), the expressions, which visit every element,
    are not run, and only the category fallback (meta tags) is read."""
    from trafilatura.utils import line_processing

    if not _catstags_known():
        return cast("list[str]", _trafilatura("extract_catstags")(metatype, tree))
    kept = "/" + metatype.rstrip("y") + "(?:y|ies|s)?/"  # as trafilatura writes it
    # one search in all the links' targets (a match cannot span two: the pattern has no "\n")
    if re.search(kept, "\n".join(_xpath("//a/@href", smart_strings=False)(tree))):
        return cast("list[str]", _trafilatura("extract_catstags")(metatype, tree))
    results: list[str] = []
    if metatype == "category":
        results.extend(element.attrib["content"] for element in tree.xpath(_SECTION_META))
    return [r for r in dict.fromkeys(line_processing(x) for x in results if x) if r]


def _metadata() -> Any:
    from trafilatura import metadata

    return metadata


#: The functions here where trafilatura's metadata extraction calls them, and trafilatura's
#: own, kept by ``install()``.
PATCHES = Replacements(_metadata, {"extract_author": extract_author, "extract_license": extract_license,
                                   "extract_catstags": extract_catstags})


def install() -> None:
    """Use ``extract_author`` and ``extract_license`` where trafilatura's metadata extraction
    calls them (idempotent)."""
    PATCHES.install()
