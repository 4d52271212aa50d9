"""Whole pages given as plain text (menus, footers, related links around an article).

When a text looks like a page rather than an article, the article body is the stretch of
blocks with the most prose in it (a maximum-sum run, as in Finn et al.'s body text
extraction): prose counts for it, short non-prose lines against it. Blocks outside that
stretch are page furniture. On an article the rule stays silent.

A long block without a sentence end is prose only when enough of its words are stopwords of
the page's language, as in jusText: a tag cloud or an archive dropdown ("Select Month October
2020 (1) September 2020 (2) ...") is long but has almost none, and must not pull the body
stretch towards the sidebar; nor is one where numbers make up much of the words (an archive:
"Februar 2020 (5) Januar 2020 (13) ..."). A paragraph that is a cookie or sign-up prompt is
not the article's prose either: it counts as furniture.
"""

from __future__ import annotations

from collections import Counter

from ..models import Block, Evidence
from ..phrases import match, match_any
from . import patterns as P
from .registry import Context, rule
from .textstats import word_count

#: A page has at least this many blocks ...
PAGE_MIN_BLOCKS = 12
#: ... and at least this share of them are short non-prose lines.
PAGE_MIN_SHORT_SHARE = 0.5
#: Prose: a block of this many words ending a sentence, or of LONG_PROSE_WORDS words anyway.
PROSE_MIN_WORDS = 8
LONG_PROSE_WORDS = 25
#: What a short non-prose line (menu item) costs the body stretch, on top of its own words.
NON_PROSE_PENALTY_WORDS = 3
#: A non-prose line of this many words (a subheading, a list item) costs only MEDIUM_LINE_COST.
MEDIUM_LINE_WORDS = 6
MEDIUM_LINE_COST = 2.0
#: A text whose body has at least this share of its prose blocks in groups of their own (blank
#: lines around them) is written in paragraphs: a page dump has one line a block, no blank lines.
PARAGRAPHED_MIN_SHARE = 0.5
#: What a line of known furniture ("Menu", "Impressum") costs on top.
FURNITURE_COST = 20.0
#: Blocks outside the body, at least: fewer is an article with a stray line, not a page.
OUTSIDE_MIN_BLOCKS = 4
#: Lines outside the body that are known furniture ("Menu", "Impressum", "© 2016"), at least:
#: a page shows it is one; an article with a list in it does not.
OUTSIDE_MIN_FURNITURE = 2
#: A share row, a newsletter prompt, a related-links or comments header in the last part of the
#: body stretch ends the article: what follows it is comments and teasers.
ENDING_KINDS = ("comments", "read_more", "newsletter", "share")
ENDING_FROM = 0.6
ENDING_MAX_WORDS = 8
#: A long block without a sentence end is prose from this share of stopwords (real paragraphs
#: have 0.3 and more, lists of names, tags and months well under 0.1).
LONG_PROSE_MIN_STOPWORDS = 0.15
#: The page's language is the one whose stoplist covers most of its words; when even that one
#: covers less than this share, no stoplist fits the page and stopwords are not counted.
PAGE_MIN_STOPWORDS = 0.1
#: ... and below this share of numbers.
LONG_PROSE_MAX_NUMBERS = 0.3
#: Paragraphs of these kinds of furniture (consent and sign-up prompts) are not article prose.
PROSE_FURNITURE_KINDS = ("cookie", "newsletter")
#: Prompts are shorter than this many words (longer paragraphs are not checked: speed).
PROMPT_MAX_WORDS = 200
#: The page's language is guessed from this many words of its prose at most.
LANGUAGE_SAMPLE_WORDS = 3000
FURNITURE_KINDS = ("cookie", "newsletter", "share", "nav", "copyright", "ad_label", "read_more",
                   "comments", "reading_time", "tags")


def is_prose(text: str) -> bool:
    words = word_count(text)
    return words >= LONG_PROSE_WORDS or (words >= PROSE_MIN_WORDS and P.ends_sentence(text))


def stopword_shares(sample: list[str], texts: list[str]) -> list[float | None]:
    """Per text, the share of its words that are stopwords of the page's language: the language
    whose jusText stoplist covers most words of ``sample``. All None when no stoplist fits.

    >>> stopword_shares(["This is what the article says, and it is in English."],
    ...                 ["Tags Aachen Agfa Berlin Carl", "and this is what it is"])
    [0.0, 1.0]
    """
    from ..vocab import stopwords

    table = stopwords()
    counts: Counter[str] = Counter()
    for text in sample:
        counts.update(w.casefold() for w in P.WORD.findall(text))
        if counts.total() >= LANGUAGE_SAMPLE_WORDS:
            break
    covered: Counter[int] = Counter()  # language bit -> words of the sample it covers
    for w, n in counts.items():
        mask = table.get(w, 0)
        while mask:
            bit = mask & -mask
            covered[bit] += n
            mask ^= bit
    if not covered:
        return [None] * len(texts)
    language = min(covered, key=lambda bit: (-covered[bit], bit))
    if covered[language] < PAGE_MIN_STOPWORDS * counts.total():
        return [None] * len(texts)
    shares: list[float | None] = []
    for text in texts:
        words = P.WORD.findall(text)
        stop = sum(1 for w in words if table.get(w.casefold(), 0) & language)
        shares.append(stop / len(words) if words else 0.0)
    return shares


def _number_share(text: str) -> float:
    words = P.WORD.findall(text)
    return sum(1 for w in words if w.isdigit()) / len(words) if words else 0.0


def _demote_lists_and_prompts(blocks: tuple[Block, ...], prose: list[bool]) -> None:
    """Mark as not prose: long blocks without a sentence end that are lists (few stopwords or
    many numbers), and paragraphs that are cookie or sign-up prompts."""
    unsure = [i for i, b in enumerate(blocks) if prose[i] and not P.ends_sentence(b.text)]
    if unsure:
        sample = [b.text for b, p in zip(blocks, prose, strict=True) if p]
        shares = stopword_shares(sample, [blocks[i].text for i in unsure])
        for i, share in zip(unsure, shares, strict=True):
            prose[i] = ((share is None or share >= LONG_PROSE_MIN_STOPWORDS)
                        and _number_share(blocks[i].text) < LONG_PROSE_MAX_NUMBERS)
    for i, b in enumerate(blocks):
        if prose[i] and word_count(b.text) <= PROMPT_MAX_WORDS and match_any(PROSE_FURNITURE_KINDS, b.text):
            prose[i] = False


def main_region(blocks: tuple[Block, ...]) -> tuple[int, int] | None:
    """(first, last) index of the article body in a page, or None for an article.

    >>> from cleaner.rules.testing import make_blocks
    >>> menu = ["Home", "News", "Sport", "Weather", "Contact us", "Log in"]
    >>> prose = ["This is a sentence of the article that goes on for a while."] * 3
    >>> main_region(make_blocks(*menu, *prose, *menu))
    (6, 8)
    >>> main_region(make_blocks(*prose)) is None
    True
    """
    if len(blocks) < PAGE_MIN_BLOCKS:
        return None
    prose = [is_prose(b.text) for b in blocks]
    if not any(prose) or prose.count(False) < PAGE_MIN_SHORT_SHARE * len(blocks):
        return None
    _demote_lists_and_prompts(blocks, prose)
    if not any(prose):
        return None
    best, best_span = 0.0, None
    running, start = 0.0, 0
    for i, b in enumerate(blocks):
        value = _value(b.text, prose[i])
        if running <= 0:
            running, start = 0.0, i
        running += value
        if running > best:
            best, best_span = running, (start, i)
    if best_span is None or len(blocks) - (best_span[1] - best_span[0] + 1) < OUTSIDE_MIN_BLOCKS:
        return None
    first, last = best_span
    before = sum(1 for b in blocks[:first] if match_any(FURNITURE_KINDS, b.text))
    after = sum(1 for b in blocks[last + 1:] if match_any(FURNITURE_KINDS, b.text))
    if before + after < OUTSIDE_MIN_FURNITURE:
        return None
    span = best_span
    if _paragraphed(blocks, prose, best_span):
        # a text written in paragraphs (blank lines between them), not a page dump of one line
        # a block: each side shows on its own that it is furniture. The lines above the prose of
        # a recipe (its title and ingredients) are the article's, though a copyright footer ends it
        span = (first if before else 0, last if after else len(blocks) - 1)
    if span == (0, len(blocks) - 1):
        return None
    return _cut_at_ending(blocks, span)


def _paragraphed(blocks: tuple[Block, ...], prose: list[bool], span: tuple[int, int]) -> bool:
    """Are the prose blocks of the body mostly paragraphs of their own, between blank lines?"""
    alone = total = 0
    for i in range(span[0], span[1] + 1):
        if prose[i]:
            total += 1
            group = blocks[i].group
            alone += all(not 0 <= j < len(blocks) or blocks[j].group != group for j in (i - 1, i + 1))
    return total > 0 and alone >= PARAGRAPHED_MIN_SHARE * total


def _cut_at_ending(blocks: tuple[Block, ...], span: tuple[int, int]) -> tuple[int, int]:
    """End the body before a share/newsletter/related/comments line in its last part."""
    first, last = span
    for i in range(first + int((last - first + 1) * ENDING_FROM), last + 1):
        text = blocks[i].text
        if i > first and word_count(text) <= ENDING_MAX_WORDS and any(
                (m := match(kind, text)) is not None and m[0] in ("exact", "starts") for kind in ENDING_KINDS):
            return (first, i - 1)
    return span


def _value(text: str, prose: bool) -> float:
    """What a block adds to (prose) or takes from (furniture) the body stretch."""
    words = word_count(text)
    if prose:
        return float(words)
    value = -MEDIUM_LINE_COST if words >= MEDIUM_LINE_WORDS else -float(words + NON_PROSE_PENALTY_WORDS)
    if match_any(FURNITURE_KINDS, text):
        value -= FURNITURE_COST
    return value


@rule("page.outside_main", "page-furniture",
      "in a whole page given as text: a block outside the stretch that holds the article's prose", contextual=True)
def outside_main(block: Block, ctx: Context) -> Evidence | None:
    region = ctx.main_region
    if region is None or region[0] <= block.index <= region[1]:
        return None
    where = "before" if block.index < region[0] else "after"
    return Evidence("page.outside_main", "page-furniture", 1.0,
                    f"{where} the article body (blocks {region[0] + 1}-{region[1] + 1} of {len(ctx.blocks)})")
