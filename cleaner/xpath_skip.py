"""trafilatura's XPath expressions are not run on a page where they cannot find anything.

trafilatura runs some forty XPath expressions over every page; each visits every element and
tests its class, id and a few other attributes (``re:test`` even calls Python per element).
Most of them find nothing on a given page: the page has no attribute value they look for. This
module reads, once per page and only for the attributes asked about, the page's attribute
values, and decides per union branch of an expression whether any of them could satisfy it.
An expression none of whose branches can match returns its empty result without visiting the
tree; one with some dead branches runs the others alone (trafilatura's ``BASIC_CLEAN_XPATH``
spends 2.2 of its 2.6 ms a page in a cookie-banner branch that three pages in four cannot
match), and a live branch runs without the ``or``-parts of its first step's predicates that
cannot match (a ``re:test`` left out is a Python call per element saved). On the traf-html
dev pages: 27.8 -> 24.0 ms a page for ``clean_html``.

The decision is conservative by construction: a branch is dead when a predicate on its first
step is one that no element of the page can satisfy, judged from the values alone (an ``or``
is live when any part is, an ``and`` when all are; ``not(...)``, ``self::``, ``translate(...)``,
tests of children and anything else unrecognised count as satisfiable).
``contains``/``starts-with``/``=``/``re:test`` on attributes are judged on the page's distinct
values; a test that an absent attribute passes (``contains(@x, '')``) counts as satisfiable.
Regular expressions are searched in the values joined by newlines with ``re.MULTILINE``, which
finds every match a single value has (and maybe more, which only keeps an expression); one with
``\\A``, ``\\Z``, a newline or a look-around that could see past a value's end is not judged.

It holds only for trees made from the page: trafilatura's copies, pruned trees and fallbacks
never hold a value of an attribute judged here that the page does not have (trafilatura sets
only ``rend``, ``role``, ``target``, ``href``, ``src``, ``alt``, ``title`` and ``type``, which
are never judged, and copies attributes only from the page's own elements: read in the
releases of ``AUDITED_TRAFILATURA``, and with another release nothing is skipped). So the page is
named with ``page(tree)`` around cleaner's own calls into trafilatura; elsewhere, and in other
threads, the expressions run as always. ``tests/test_xpath_skip.py`` checks, on the bench
and on generated pages, that no branch judged dead finds anything, and that extraction is
unchanged.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cache
from typing import Any

#: Attributes trafilatura sets or copies while it works (never judged: "maybe").
SET_BY_TRAFILATURA = frozenset({"rend", "role", "target", "href", "src", "alt", "title", "type"})
#: The trafilatura releases read for what they set (above); with another one, nothing is skipped.
AUDITED_TRAFILATURA = frozenset({"2.3.1"})
#: Where trafilatura keeps the expressions (lists of them, or single ones).
MODULES = ("trafilatura.xpaths", "trafilatura.settings")

_TOKEN = re.compile(r"""\s*(?:('[^']*'|"[^"]*")|(::|!=|<=|>=|[()\[\],|=<>@/*.])|([\w:.-]+))""")
_LOOKAROUND = re.compile(r"\(\?<?[=!]([^()]*)\)")


# --- the page's attribute values --------------------------------------------------------------

@dataclass
class _Page:
    """The page named by ``page()``: its tree (left unchanged: trafilatura works on copies),
    the values of the attributes read so far, and per expression what to run on this page."""

    tree: Any
    values: dict[str, tuple[frozenset[str], str]] = field(default_factory=dict)
    live: dict[int, Any] = field(default_factory=dict)
    #: attribute test -> can an element of the page satisfy it (several expressions share tests)
    judged: dict[AttributeTest, bool] = field(default_factory=dict)

    def attribute(self, name: str) -> tuple[frozenset[str], str]:
        """(distinct values, the values joined by newlines) of one attribute on the page."""
        found = self.values.get(name)
        if found is None:
            values = frozenset(_collector(name)(self.tree))
            found = self.values[name] = (values, "\n".join(values))  # order is irrelevant to a search
        return found


_COLLECTORS: dict[str, Any] = {}


def _collector(name: str) -> Any:
    collect = _COLLECTORS.get(name)
    if collect is None:
        from lxml.etree import XPath

        collect = _COLLECTORS[name] = XPath(f"//@{name}", smart_strings=False)
    return collect


_LOCAL = threading.local()


@contextmanager
def page(tree: Any) -> Iterator[None]:
    """Within the block, in this thread, trafilatura's expressions are judged on ``tree``'s
    attribute values (every tree they then meet must be made from this page)."""
    if not _INSTALLED:  # not installed, or a trafilatura release not audited: no context
        yield
        return
    previous = getattr(_LOCAL, "page", None)
    _LOCAL.page = _Page(tree)
    try:
        yield
    finally:
        _LOCAL.page = previous


# --- reading an expression --------------------------------------------------------------------

@dataclass(frozen=True)
class AttributeTest:
    """``function(@a|@b, 'text'[, 'flags'])`` or ``@a = 'text'`` on attribute values."""

    function: str  # "=", "contains", "starts-with" or "re:test"
    attributes: tuple[str, ...]
    text: str
    flags: str = ""


@dataclass(frozen=True)
class ChildTest:
    """``name = 'text'``: a child element ``name`` with that text (AUTHOR_XPATHS' ``rel='me'``).
    Judged only by ``could_find`` on the tree itself (the element must hold such a child);
    on a page it counts as satisfiable, as trafilatura renames elements."""

    name: str


MAYBE = "maybe"
Node = Any  # ("or"|"and", [Node...]) | AttributeTest | ChildTest | MAYBE


def branches_predicates(path: str) -> list[list[Node]] | None:
    """For each union branch of an expression, the predicates of its first step (parsed);
    None when the expression cannot be read.

    >>> [len(p) for p in branches_predicates(".//*[self::div][@class='x' or @id='y']|.//main")]
    [2, 0]
    """
    tokens = _tokens(path)
    if tokens is None:
        return None
    out = []
    for branch in _split(tokens, "|"):
        while branch and branch[0] == "(":
            end = _closing(branch, 0)
            if end is None:
                return None
            inner = branch[1:end]
            if "|" in [t for t, depth in _depths(inner) if depth == 0]:
                sub = branches_predicates(_join(inner))
                if sub is None:
                    return None
                out += sub
                branch = []
                break
            branch = inner
        if not branch:
            continue
        i = 0
        while i < len(branch) and branch[i] in (".", "/"):
            i += 1
        if i == 0 or i >= len(branch):
            out.append([])
            continue
        i += 1  # the node test: * or a name
        if i < len(branch) and branch[i] == "::":
            i += 2
        predicates = []
        while i < len(branch) and branch[i] == "[":
            end = _closing(branch, i, "[", "]")
            if end is None:
                return None
            predicates.append(_expression(branch[i + 1:end]))
            i = end + 1
        out.append(predicates)
    return out


def _tokens(path: str) -> list[str] | None:
    out, pos = [], 0
    path = path.strip()
    while pos < len(path):
        found = _TOKEN.match(path, pos)
        if found is None or found.end() == pos:
            return None
        out.append(found.group(found.lastindex or 0))
        pos = found.end()
    return out


def _depths(tokens: list[str]) -> Iterator[tuple[str, int]]:
    depth = 0
    for t in tokens:
        if t in ("(", "["):
            yield t, depth
            depth += 1
        elif t in (")", "]"):
            depth -= 1
            yield t, depth
        else:
            yield t, depth


def _split(tokens: list[str], separator: str) -> list[list[str]]:
    parts: list[list[str]] = [[]]
    for t, depth in _depths(tokens):
        if t == separator and depth == 0:
            parts.append([])
        else:
            parts[-1].append(t)
    return parts


def _closing(tokens: list[str], start: int, open_: str = "(", close: str = ")") -> int | None:
    depth = 0
    for i in range(start, len(tokens)):
        if tokens[i] in ("(", "["):
            depth += 1
        elif tokens[i] in (")", "]"):
            depth -= 1
            if depth == 0:
                return i if tokens[i] == close and tokens[start] == open_ else None
    return None


def _join(tokens: list[str]) -> str:
    return " ".join(tokens)


def _expression(tokens: list[str]) -> Node:
    """A predicate as a tree of or/and over Tests, MAYBE for what is not understood."""
    ors = _split(tokens, "or")
    if len(ors) > 1:
        return ("or", [_expression(part) for part in ors])
    ands = _split(tokens, "and")
    if len(ands) > 1:
        return ("and", [_expression(part) for part in ands])
    if len(tokens) >= 2 and tokens[0] == "(" and _closing(tokens, 0) == len(tokens) - 1:
        return _expression(tokens[1:-1])
    return _test(tokens) or MAYBE


def _attributes(tokens: list[str]) -> tuple[str, ...] | None:
    """``@a`` or ``@a | @b``: the names; None for anything else."""
    names = []
    for part in _split(tokens, "|"):
        if len(part) != 2 or part[0] != "@" or not re.fullmatch(r"[\w-]+", part[1]):
            return None
        names.append(part[1])
    return tuple(names)


def _literal(token: str) -> str | None:
    return token[1:-1] if len(token) >= 2 and token[0] == token[-1] and token[0] in "'\"" else None


def _test(tokens: list[str]) -> AttributeTest | None:
    if tokens and tokens[0] in ("contains", "starts-with", "re:test") and len(tokens) > 3 and tokens[1] == "(":
        if _closing(tokens, 1) != len(tokens) - 1:
            return None
        args = _split(tokens[2:-1], ",")
        attributes = _attributes(args[0])
        literals = [_literal(a[0]) if len(a) == 1 else None for a in args[1:]]
        if attributes is None or None in literals or not literals:
            return None
        if tokens[0] == "re:test" and len(literals) in (1, 2):
            return AttributeTest("re:test", attributes, literals[0], literals[1] if len(literals) == 2 else "")  # type: ignore[arg-type]
        if tokens[0] != "re:test" and len(literals) == 1:
            return AttributeTest(tokens[0], attributes, literals[0])  # type: ignore[arg-type]
        return None
    if "=" in tokens:
        at = tokens.index("=")
        attributes, literal = _attributes(tokens[:at]), _literal(tokens[-1]) if len(tokens) == at + 2 else None
        if attributes is not None and literal is not None:
            return AttributeTest("=", attributes, literal)
        if at == 1 and literal is not None and re.fullmatch(r"[A-Za-z][\w-]*", tokens[0]):
            return ChildTest(tokens[0])  # type: ignore[return-value]
    return None


# --- judging it on a page ---------------------------------------------------------------------

def may_match(predicates_by_branch: list[list[Node]], page: _Page, tree: Any = None) -> bool:
    """False only when every branch has a first-step predicate no element of the page meets
    (``tree``: the tree searched itself, for the tests that only it can answer)."""
    return any(all(_live(p, page, tree) for p in predicates) for predicates in predicates_by_branch)


_NAME_ONLY = re.compile(r"\(?\s*\.?//([\w-]+)\s*\)?(?:\[\d+\])?")


def page_of(tree: Any) -> _Page:
    """The page named by ``page()`` (``tree`` is then made from it), else ``tree`` as a page."""
    current = getattr(_LOCAL, "page", None)
    return current if current is not None else _Page(tree)


def could_find(path: str, tree: Any, page: _Page | None = None) -> bool:
    """Can the expression find anything in ``tree``? Judged on the attribute values of
    ``page`` (by default ``page_of(tree)``); a branch that is only an element name
    (``//author``) by whether ``tree`` holds one. Exact for ``tree``, in or out of a page context.

    >>> from cleaner.html_tree import parse
    >>> tree = parse("<html><body><p class='byline'>By Jo</p></body></html>")
    >>> could_find("//*[@class='author']|//author", tree), could_find("//*[@class='byline']", tree)
    (False, True)
    """
    page = page or page_of(tree)
    for name, predicates in _judged_branches(path):
        if name is not None:
            if tree.tag == name or tree.find(f".//{name}") is not None:
                return True
        elif predicates is None or may_match(predicates, page, tree):
            return True
    return False


@cache
def _judged_branches(path: str) -> tuple[tuple[str | None, list[list[Node]] | None], ...]:
    """Per union branch: the element name when the branch is only that, else its predicates."""
    out = []
    for branch in union_branches(path):
        name = _NAME_ONLY.fullmatch(branch)
        out.append((name.group(1), None) if name else (None, branches_predicates(branch)))
    return tuple(out)


def _live(node: Node, page: _Page, tree: Any = None) -> bool:
    if node is MAYBE:
        return True
    if isinstance(node, tuple):
        how, parts = node
        lives = (_live(p, page, tree) for p in parts)
        return any(lives) if how == "or" else all(lives)
    if isinstance(node, ChildTest):
        return tree is None or tree.find(f".//{node.name}") is not None
    found = page.judged.get(node)
    if found is None:
        found = page.judged[node] = _test_live(node, page)
    return found


def _test_live(test: AttributeTest, page: _Page) -> bool:
    if any(a in SET_BY_TRAFILATURA for a in test.attributes):
        return True
    if test.function == "re:test":
        pattern = _pattern(test.text, test.flags)
        if pattern is None or pattern.search("") is not None:
            return True  # not judged, or an element without the attribute passes it
        return any(pattern.search(page.attribute(a)[1]) is not None for a in test.attributes)
    if test.function == "=":
        return any(test.text in page.attribute(a)[0] for a in test.attributes)
    if not test.text:
        return True  # contains(@x, ''), starts-with(@x, ''): true without the attribute
    if test.function == "contains":
        return any(test.text in page.attribute(a)[1] for a in test.attributes)
    return any(("\n" + test.text) in ("\n" + page.attribute(a)[1]) for a in test.attributes)


_PATTERNS: dict[tuple[str, str], re.Pattern[str] | None] = {}


def _pattern(text: str, flags: str) -> re.Pattern[str] | None:
    """The pattern for a search in newline-joined values, or None if that search could miss a
    match of one value (see the module docstring)."""
    key = (text, flags)
    if key not in _PATTERNS:
        unsafe = ("\\A" in text or "\\Z" in text or "\\n" in text or "\n" in text or "(?s" in text
                  or any(not re.fullmatch(r"[\w ]*", body) for body in _LOOKAROUND.findall(text))
                  or set(flags) - {"i"})
        try:
            compiled = None if unsafe else re.compile(text, re.M | (re.I if "i" in flags else 0))
        except re.error:
            compiled = None
        _PATTERNS[key] = compiled
    return _PATTERNS[key]


# --- in place of trafilatura's expressions ----------------------------------------------------

@dataclass(frozen=True)
class Branch:
    """One top-level branch of a union: its text, the predicates that judge it, and the
    ``or``-parts of its first step's predicates (each predicate's content span in ``text``,
    with its parts and their judgements), so that a page can run the branch without the
    parts it cannot satisfy."""

    text: str
    predicates: list[list[Node]]
    ors: tuple[tuple[int, int, tuple[tuple[str, Node], ...]], ...]

    def on(self, page: _Page) -> str | None:
        """The branch's text for this page: without its dead ``or``-parts; None when dead."""
        if not may_match(self.predicates, page):
            return None
        out, last, changed = [], 0, False
        for start, end, parts in self.ors:
            live = [text for text, node in parts if _live(node, page)]
            if len(live) < len(parts):  # never none: the branch would be dead
                out += [self.text[last:start], " or ".join(live)]
                last, changed = end, True
        return "".join([*out, self.text[last:]]) if changed else self.text


class Skippable:
    """One of trafilatura's XPath expressions: run as usual, except on a page named by
    ``page()``, where what cannot match is left out: union branches (all of them: the result
    is [] without visiting the tree) and ``or``-parts of a branch's first-step predicates."""

    __slots__ = ("branches", "expression", "path", "variants")

    #: Compiled variants kept per expression (a few per site; pages of many sites vary more).
    MAX_VARIANTS = 256

    def __init__(self, expression: Any, branches: list[Branch]) -> None:
        self.expression = expression
        self.path = expression.path
        self.branches = branches
        #: the text of a page's variant -> that expression, compiled
        self.variants: dict[str, Any] = {}

    def __call__(self, tree: Any, **variables: Any) -> Any:
        current = getattr(_LOCAL, "page", None)
        if current is None or variables:
            return self.expression(tree, **variables)
        key = id(self)
        if key not in current.live:
            current.live[key] = self._variant(current)
        variant = current.live[key]
        return [] if variant is None else variant(tree)

    def _variant(self, page: _Page) -> Any:
        """The expression to run on this page: the original, one without what cannot match,
        or None (nothing can match)."""
        texts = [branch.on(page) for branch in self.branches]
        if all(text == branch.text for text, branch in zip(texts, self.branches, strict=True)):
            return self.expression
        live = [text for text in texts if text is not None]
        if not live:
            return None
        text = " | ".join(live)
        variant = self.variants.get(text)
        if variant is None:
            from lxml.etree import XPath

            if len(self.variants) >= self.MAX_VARIANTS:
                self.variants.clear()
            variant = self.variants[text] = XPath(text, namespaces={"re": REGEXP_NS})
        return variant


_OR = re.compile(r"\s+or\s+")


def _first_step_parts(branch: str) -> tuple[tuple[int, int, tuple[tuple[str, Node], ...]], ...]:
    """For each predicate of a branch's first step that is an ``or`` of parts: the span of its
    content and its parts (text, judgement); () when the branch does not start like ``.//*[``,
    ``//name[``, ``(.//*[``.

    >>> [[t for t, _ in parts] for _, _, parts in _first_step_parts(".//*[self::p or @id='a'][@x]")]
    [['self::p', "@id='a'"]]
    """
    found = re.match(r"\s*\(?\s*\.?//(?:\*|[\w-]+)(?=\[)", branch)
    if found is None:
        return ()
    out = []
    pos = found.end()
    while pos < len(branch) and branch[pos] == "[":
        end = _matching(branch, pos)
        if end is None:
            return ()
        spans = _split_or(branch, pos + 1, end)
        if len(spans) > 1:
            parts = []
            for a, b in spans:
                tokens = _tokens(branch[a:b])
                parts.append((branch[a:b], MAYBE if tokens is None else _expression(tokens)))
            out.append((pos + 1, end, tuple(parts)))
        pos = end + 1
    return tuple(out)


def _scan(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, str, int]]:
    """(index, character, bracket depth before it) of each character outside quoted strings."""
    depth, quote = 0, ""
    for i in range(start, len(text) if end is None else end):
        c = text[i]
        if quote:
            quote = "" if c == quote else quote
            continue
        if c in "'\"":
            quote = c
            continue
        yield i, c, depth
        depth += 1 if c in "([" else -1 if c in ")]" else 0


def _matching(text: str, start: int) -> int | None:
    """Index of the bracket or parenthesis closing the one at ``start``."""
    return next((i for i, c, depth in _scan(text, start) if c in ")]" and depth == 1), None)


def _split_or(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Spans of the parts of ``text[start:end]`` joined by ``or`` outside quotes and brackets."""
    spans, begin = [], start
    for i, c, depth in _scan(text, start, end):
        if i >= begin and depth == 0 and c.isspace() and (found := _OR.match(text, i, end)) is not None:
            spans.append((begin, i))
            begin = found.end()
    spans.append((begin, end))
    return spans


REGEXP_NS = "http://exslt.org/regular-expressions"


def union_branches(path: str) -> list[str]:
    """The top-level branches of a union, as text (``|`` outside quotes, brackets and parentheses).

    >>> union_branches("(.//a | .//b)[1] | .//c[@x='|']")
    ['(.//a | .//b)[1]', ".//c[@x='|']"]
    """
    cuts = [i for i, c, depth in _scan(path) if c == "|" and depth == 0]
    return [path[a + 1:b].strip() for a, b in zip([-1, *cuts], [*cuts, len(path)], strict=True)]


def _judgeable(expression: Any) -> Skippable | None:
    if expression.path.strip().startswith(("count(", "boolean(", "string(")):
        return None  # not a node-set: [] would be the wrong empty result
    branches = []
    for text in union_branches(expression.path):
        predicates = branches_predicates(text)
        if predicates is None:
            return None
        branches.append(Branch(text, predicates, _first_step_parts(text)))
    if not any(p is not MAYBE for branch in branches for preds in branch.predicates for p in preds):
        return None
    return Skippable(expression, branches)


_INSTALLED: list[Skippable] = []


def install() -> None:
    """Put a Skippable in place of each of trafilatura's expressions that can be judged
    (idempotent): in the lists in place, so every module that imported a list sees it, and
    as a module attribute in every trafilatura module that holds the expression."""
    if _INSTALLED:
        return
    import importlib
    import sys

    import trafilatura
    from lxml.etree import XPath

    if getattr(trafilatura, "__version__", None) not in AUDITED_TRAFILATURA:
        return  # its expressions run as always: correct, without the savings

    replaced: dict[int, Skippable | None] = {}

    def judged(item: Any) -> Skippable | None:
        if id(item) not in replaced:
            replaced[id(item)] = _judgeable(item)
        return replaced[id(item)]

    for name in MODULES:
        importlib.import_module(name)
    modules = [m for n, m in list(sys.modules.items()) if n == "trafilatura" or n.startswith("trafilatura.")]
    for module in modules:
        for attr, value in list(vars(module).items()):
            if isinstance(value, list):
                for i, item in enumerate(value):
                    if isinstance(item, XPath) and (skippable := judged(item)) is not None:
                        value[i] = skippable
            elif isinstance(value, XPath) and (skippable := judged(value)) is not None:
                setattr(module, attr, skippable)
    _INSTALLED.extend(s for s in replaced.values() if s is not None)
