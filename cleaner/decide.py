"""Stage 6b: the one place that turns rule evidence into keep/drop decisions and removals."""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Sequence

from .config import CleanConfig
from .models import Block, Decision, Evidence, Removal
from .normalize import raw_offset
from .rules.registry import Context, Rule, RuleFn
from .rules.textstats import word_count

#: A block left with fewer word characters than this after span cuts is dropped whole.
MIN_REST_WORD_CHARS = 2
#: A block with more spam spans than this is dropped whole (and costs no quadratic mapping).
MAX_SPANS_PER_BLOCK = 16


#: Block text -> what the text-only rules said about it: (rule position, evidence) for the
#: rules that found something, in rule order. Valid for one list of rules.
Memo = dict[str, list[tuple[int, list[Evidence]]]]


def decide_all(blocks: Sequence[Block], title: str | None, rules: Sequence[Rule],
               config: CleanConfig, memo: Memo | None = None, extracted: bool = False) -> list[Decision]:
    """Decide every block. ``memo`` keeps what text-only rules said about a text, so that a
    second round over the same blocks (with the same rules) only reruns the contextual rules."""
    ctx = Context(tuple(blocks), title, config, extracted)
    memo = {} if memo is None else memo
    plain, contextual = _tiers(rules)
    decisions = []
    for block in blocks:
        words = word_count(block.text)
        found = memo.get(block.text)
        if found is None:
            found = memo[block.text] = _observe(plain.checks(words), block, ctx)
        around = _observe(contextual.checks(words), block, ctx)
        if around:
            found = sorted([*found, *around], key=_position) if found else around
        evidence = [e for _, evs in found for e in evs] if found else []
        decisions.append(decide(block, evidence, config))
    return decisions


class _Tiers:
    """The checks of the rules that can find something in a block of a given number of words
    (``Rule.max_words``): one list per distinct limit, chosen by bisection."""

    __slots__ = ("limits", "tiers")

    def __init__(self, rules: list[tuple[int, Rule]]) -> None:
        self.limits = sorted({r.max_words for _, r in rules if r.max_words is not None})
        self.tiers = [[(i, r.check) for i, r in rules if r.max_words is None or r.max_words >= limit]
                      for limit in self.limits]
        self.tiers.append([(i, r.check) for i, r in rules if r.max_words is None])

    def checks(self, words: int) -> list[tuple[int, RuleFn]]:
        return self.tiers[bisect_left(self.limits, words)]


#: Rule objects' ids -> (those rules, their text-only and contextual tiers). An entry holds its
#: rules, so their ids cannot be reused while it is here. Building the tiers took 18 µs, once per
#: round of every document; the list of rules is the same for a whole run.
_TIERS: dict[tuple[int, ...], tuple[tuple[Rule, ...], _Tiers, _Tiers]] = {}
_TIERS_KEPT = 16


def _tiers(rules: Sequence[Rule]) -> tuple[_Tiers, _Tiers]:
    key = tuple(map(id, rules))
    found = _TIERS.get(key)
    if found is None:
        if len(_TIERS) >= _TIERS_KEPT:
            _TIERS.clear()
        numbered = list(enumerate(rules))
        found = _TIERS[key] = (tuple(rules), _Tiers([(i, r) for i, r in numbered if not r.contextual]),
                               _Tiers([(i, r) for i, r in numbered if r.contextual]))
    return found[1], found[2]


def _position(item: tuple[int, list[Evidence]]) -> int:
    return item[0]


def _observe(checks: list[tuple[int, RuleFn]], block: Block, ctx: Context) -> list[tuple[int, list[Evidence]]]:
    """(rule position, evidence) of the rules that found something (most find nothing)."""
    out: list[tuple[int, list[Evidence]]] = []
    for i, check in checks:
        found = check(block, ctx)
        if found is None:
            continue
        if isinstance(found, Evidence):
            out.append((i, [found]))
        else:
            found = list(found)
            if found:
                out.append((i, found))
    return out


def decide(block: Block, evidence: list[Evidence], config: CleanConfig) -> Decision:
    """Whole-block evidence adds up to a drop; strong span evidence cuts the span only.

    >>> from cleaner.rules.testing import make_blocks
    >>> b = make_blocks("Text and more. SPAM SPAM")[0]
    >>> d = decide(b, [Evidence("x.y", "spam-banner", 1.0, "", (15, 24))], CleanConfig())
    >>> d.keep, d.kept_text, d.removals[0].text
    (True, 'Text and more.', 'SPAM SPAM')
    """
    if not evidence:
        return Decision(block, (), True, block.text, ())  # most blocks: no rule found anything
    whole = [e for e in evidence if e.span is None]
    weight = sum(e.weight for e in whole)
    if weight >= config.drop_weight:
        return _drop(block, evidence, whole)
    spans = _merge([e for e in evidence if e.span is not None and e.weight >= config.drop_weight])
    if not spans:
        return Decision(block, tuple(evidence), True, block.text, ())
    if len(spans) > MAX_SPANS_PER_BLOCK:  # a line riddled with banners: it goes whole
        return _drop(block, evidence, [e for e in evidence if e.weight >= config.drop_weight])
    kept, pos = [], 0
    for start, end, _ in spans:
        kept.append(block.text[pos:start])
        pos = end
    kept.append(block.text[pos:])
    rest = " ".join(" ".join(kept).split())
    if sum(len(w) for w in rest.split() if any(c.isalnum() for c in w)) < MIN_REST_WORD_CHARS:
        return _drop(block, evidence, [e for e in evidence if e.weight >= config.drop_weight])
    removals = tuple(_span_removal(block, s, e, ev) for s, e, ev in spans)
    return Decision(block, tuple(evidence), True, rest, removals)


def _drop(block: Block, evidence: list[Evidence], deciding: list[Evidence]) -> Decision:
    top = max(deciding, key=lambda e: e.weight)
    rules = tuple(dict.fromkeys(e.rule for e in sorted(deciding, key=lambda e: -e.weight)))
    detail = "; ".join(dict.fromkeys(e.detail for e in deciding if e.detail))
    return Decision(block, tuple(evidence), False, "", (block_removal(block, top.kind, rules, detail),))


def block_removal(block: Block, kind: str, rules: tuple[str, ...], detail: str) -> Removal:
    """The whole block, located in the input: ``text`` is exactly ``input[start:end]``, from
    its first to its last non-blank character, so that a reader of the sidecar can find it."""
    first, last = block.pieces[0], block.pieces[-1]
    start = first.raw_start + len(first.raw) - len(first.raw.lstrip())
    end = last.raw_start + len(last.raw.rstrip())
    return Removal(_raw_text(block), kind, rules, block.line, start, end, detail)


def _raw_text(block: Block) -> str:
    """The block as written in the input: its lines with the line breaks between them (CRLF
    stays CRLF) and the pieces of a long line that was cut joined as they were (a cut inside
    a word is not a line break), without the whitespace around the whole."""
    if len(block.pieces) == 1:
        return block.pieces[0].raw.strip()
    return "".join(p.raw + p.brk for p in block.pieces[:-1]).lstrip() + block.pieces[-1].raw.rstrip()


def _merge(evidence: list[Evidence]) -> list[tuple[int, int, list[Evidence]]]:
    merged: list[tuple[int, int, list[Evidence]]] = []
    for e in sorted(evidence, key=lambda e: e.span or (0, 0)):
        start, end = e.span  # type: ignore[misc]
        if merged and start <= merged[-1][1]:
            s, old_end, evs = merged[-1]
            merged[-1] = (s, max(old_end, end), [*evs, e])
        else:
            merged.append((start, end, [e]))
    return merged


def _span_removal(block: Block, start: int, end: int, evidence: list[Evidence]) -> Removal:
    top = max(evidence, key=lambda e: e.weight)
    rules = tuple(dict.fromkeys(e.rule for e in evidence))
    detail = "; ".join(dict.fromkeys(e.detail for e in evidence if e.detail))
    return span_removal(block, start, end, top.kind, rules, detail)


def span_removal(block: Block, start: int, end: int, kind: str, rules: tuple[str, ...], detail: str) -> Removal:
    """A span of the block text, located in the input (within the line where it starts)."""
    piece = next(p for p in reversed(block.pieces) if p.offset <= start)
    a = raw_offset(piece.raw, piece.text, start - piece.offset)
    b = raw_offset(piece.raw, piece.text, min(end - piece.offset, len(piece.text)))
    found = piece.raw[a:b]
    a, b = a + len(found) - len(found.lstrip()), a + len(found.rstrip())  # (text = input[start:end])
    return Removal(piece.raw[a:b], kind, rules, piece.line, piece.raw_start + a, piece.raw_start + b, detail)


def kept_words(decisions: Sequence[Decision]) -> int:
    return sum(word_count(d.kept_text) for d in decisions if d.keep)
