"""trafilatura's readability fallback with less Python work per element, with the same result.

``trafilatura.readability_lxml.Document.summary`` runs on every page that trafilatura's own
extraction does not settle (``compare_extraction``): 4.4 ms a page on the 562 dev pages of
traf-html and zyte-html. Four of its methods are replaced here. Each makes the same changes to
the page in the same order as trafilatura's and skips only work whose result cannot be seen:

``remove_unlikely_candidates`` (1.6 -> 0.9 ms a page) gets a Python proxy and two attribute
reads for every element (``findall(".//*")``). Then it drops the elements whose ``class``/``id``
match ``unlikelyCandidatesRe`` and not ``okMaybeItsACandidateRe``. It also visits the elements
inside a subtree it has already dropped, and drops them from that detached subtree, which
never goes back into the page. Here ``lxml.etree.iterwalk`` walks the page and skips the
subtree of every element to drop (``skip_subtree``). The drops come after the walk, in the same
document order: a drop changes no attribute or tag, so the verdicts cannot change. An element
is dropped with the page as it is when trafilatura drops it, because everything dropped before
it precedes it and is not an ancestor. The verdict cache uses the (class, id) pair instead of
their joined text, and the tag is read only for an element whose verdict is to drop it.

``transform_misused_divs_into_paragraphs`` (0.63 -> 0.44 ms): its first loop (a div without
block descendants becomes a ``<p>``) is trafilatura's, with ``iterdescendants("a")`` and a
compiled XPath instead of ``find(".//a")`` and ``elem.xpath(...)``, which compiles the expression
on every call. That loop is not quadratic on nested divs: the generator stops at the first block
descendant, and a nested div is one. Its second loop (a div's loose text and tails wrapped in
``<p>``, ``<br>`` children dropped) runs only on the divs that have a ``<br>`` child or a text
child with a character other than XML white space (``descendant::div[br or
text()[normalize-space()]]``, listed when trafilatura lists its divs). That is a superset of the
divs where Python's ``strip`` leaves something. On any other div the loop does nothing, and
what it does in one div changes only that div's own text, tails and children.

``score_paragraphs`` (1.33 -> 1.03 ms): it skips ``trim`` on a paragraph whose text is already
shorter than ``min_text_length`` (trimming never makes a text longer) and counts commas instead
of splitting on them. For the link density of the candidates it works out each link's text
length once, since nested candidates share their links and nothing changes while they are
scored. It reads a candidate's own text only when it has link text. Otherwise it multiplies the
score by ``1.0``, which is ``1 - 0 / length`` for any length. ``get_link_density`` (16 -> 14 us a
call) uses ``iterdescendants("a")``, which is what ``findall(".//a")`` runs, and ``trim``'s
expression without its lru_cache, which hashes the element's whole text on every call.

``summary()``: 4.4 -> 3.1 ms a page (process time, median of 11 runs run in turn with
trafilatura's methods). ``tests/test_readability_fast.py`` compares the page after each replaced
method, the candidates and their scores, the link densities and the ``summary()`` string with
trafilatura's own methods, on those pages and on generated ones.

The replacements rely on the text of the methods they replace and of ``text_length`` and
``trim``, and on ``DIV_TO_P_PREFIXES`` and ``FRAME_TAGS``. ``install()`` puts them on
``Document`` only when the digest of those equals ``KNOWN_SOURCE`` (trafilatura 2.3.1).
Otherwise trafilatura's own methods stay.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from .pinning import Replacements, code_digest

#: Digest of the replaced methods, the helpers and the values they rely on (trafilatura 2.3.1),
#: see ``source_digest()``.
KNOWN_SOURCE = "bfd4cd484228b828"

#: The methods of ``Document`` replaced by ``install()``.
REPLACED = (
    "remove_unlikely_candidates",
    "transform_misused_divs_into_paragraphs",
    "score_paragraphs",
    "get_link_density",
)

def original(name: str) -> Any:
    """trafilatura's own version of a ``Document`` method (also after ``install()``)."""
    return PATCHES.original(name)


def source_digest() -> str | None:
    """Digest of what the replacements rely on (None: no source to read)."""
    from trafilatura import readability_lxml as rl

    return code_digest([*(original(name) for name in REPLACED), rl.text_length, rl.trim,  # type: ignore[attr-defined]
                        repr(rl.DIV_TO_P_PREFIXES), repr(sorted(rl.FRAME_TAGS))])


def install() -> bool:
    """Put the replacements on ``trafilatura.readability_lxml.Document`` (idempotent); False,
    leaving trafilatura's methods, when its code is not the one they were checked against."""
    from lxml.etree import iterwalk

    if PATCHES.installed():
        return True  # installed (once per page in extract_html: the digest reads source files)
    if source_digest() != KNOWN_SOURCE or not hasattr(iterwalk, "skip_subtree"):
        return False
    PATCHES.install()
    return True


def uninstall() -> None:
    """Put trafilatura's own methods back."""
    PATCHES.uninstall()


def _trimmed_length(text: str) -> int:
    """``len(trim(text))`` for a string (``trim`` without its cache)."""
    return len(" ".join(text.split()))


@cache
def _xpath(expression: str) -> Any:
    from lxml.etree import XPath

    return XPath(expression)


def remove_unlikely_candidates(self: Any) -> None:
    from lxml.etree import iterwalk
    from trafilatura.readability_lxml import FRAME_TAGS, REGEXES

    unlikely, maybe = REGEXES["unlikelyCandidatesRe"], REGEXES["okMaybeItsACandidateRe"]
    verdicts: dict[tuple[str | None, str | None], bool] = {}
    dropped: list[Any] = []
    walk = iterwalk(self.doc, events=("start",))
    next(walk)  # the root: trafilatura visits its descendants
    for _, elem in walk:
        cls, ident = elem.get("class"), elem.get("id")
        if cls is None and ident is None:
            continue  # no attribute text: skipped by trafilatura too
        key = (cls, ident)
        verdict = verdicts.get(key)
        if verdict is None:
            attrs = " ".join(filter(None, key))
            low = attrs.lower()
            verdict = verdicts[key] = len(attrs) >= 2 and bool(unlikely.search(low)) and not maybe.search(low)
        if verdict and elem.tag not in FRAME_TAGS:
            # dropped with its subtree: what trafilatura drops inside it changes only that subtree
            walk.skip_subtree()
            dropped.append(elem)
    # no attribute or tag is changed by a drop: dropping after the walk, in the same order, is the same
    for elem in dropped:
        elem.drop_tree()


def transform_misused_divs_into_paragraphs(self: Any) -> None:
    from trafilatura import readability_lxml as rl

    prefixes = rl.DIV_TO_P_PREFIXES
    loose_text = _xpath("text()[normalize-space()]")
    for elem in list(self.doc.iterdescendants("div")):
        # a div without block descendants becomes a <p>, a link wrapper only if it has loose text
        if not any(str(e.tag).startswith(prefixes) for e in elem.iterdescendants("*")) and (
            next(elem.iterdescendants("a"), None) is None or loose_text(elem)
        ):
            elem.tag = "p"

    # the divs where the loop below can do anything: a <br> child, or a text child that is not
    # only XML white space (Python's strip removes more)
    for elem in _xpath("descendant::div[br or text()[normalize-space()]]")(self.doc):
        if elem.text and elem.text.strip():
            p_elem = rl.fragment_fromstring("<p/>")  # type: ignore[attr-defined]
            p_elem.text, elem.text = elem.text, None
            elem.insert(0, p_elem)

        for pos, child in reversed(list(enumerate(elem))):
            if child.tail and child.tail.strip():
                p_elem = rl.fragment_fromstring("<p/>")  # type: ignore[attr-defined]
                p_elem.text, child.tail = child.tail, None
                elem.insert(pos + 1, p_elem)
            if child.tag == "br":
                child.drop_tree()


def score_paragraphs(self: Any) -> dict[Any, Any]:
    candidates: dict[Any, Any] = {}
    min_length = self.min_text_length
    for elem in self.doc.iter("p", "pre", "td"):
        parent_node = elem.getparent()
        if parent_node is None:
            continue
        grand_parent_node = parent_node.getparent()

        content = elem.text_content()
        if len(content) < min_length:
            continue  # its trimmed text is no longer
        elem_text = " ".join(content.split())  # trim(content)
        elem_text_len = len(elem_text)

        # discard too short paragraphs
        if elem_text_len < min_length:
            continue

        for node in (parent_node, grand_parent_node):
            if node is not None and node not in candidates:
                candidates[node] = self.score_node(node)

        score = 1 + (elem_text.count(",") + 1) + min((elem_text_len / 100), 3)

        candidates[parent_node].score += score
        if grand_parent_node is not None:
            candidates[grand_parent_node].score += score / 2

    # the link density of each candidate, each link's text length computed once
    own_density = type(self).get_link_density in (get_link_density, original("get_link_density"))
    link_lengths: dict[Any, int] = {}
    for elem, candidate in candidates.items():
        if not own_density:  # a subclass's own link density
            candidate.score *= 1 - self.get_link_density(elem)
            continue
        link_length = 0
        for link in elem.iterdescendants("a"):
            length = link_lengths.get(link)
            if length is None:
                length = link_lengths[link] = _trimmed_length(link.text_content())
            link_length += length
        if link_length:
            candidate.score *= 1 - link_length / (_trimmed_length(elem.text_content()) or 1)
        else:
            candidate.score *= 1.0  # 1 - 0 / total_length, whatever the text length

    return candidates


def get_link_density(self: Any, elem: Any) -> float:
    total_length = _trimmed_length(elem.text_content()) or 1
    link_length = sum(_trimmed_length(link.text_content()) for link in elem.iterdescendants("a"))
    return link_length / total_length


FAST: dict[str, Any] = {
    "remove_unlikely_candidates": remove_unlikely_candidates,
    "transform_misused_divs_into_paragraphs": transform_misused_divs_into_paragraphs,
    "score_paragraphs": score_paragraphs,
    "get_link_density": get_link_density,
}


def _document() -> Any:
    from trafilatura.readability_lxml import Document

    return Document


#: The replacements on ``Document`` and trafilatura's own methods, kept by ``install()``.
PATCHES = Replacements(_document, FAST)
