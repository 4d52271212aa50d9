"""Rules that judge a block by its surroundings (like jusText's second pass).

A short, title-like line sitting alone between paragraphs of prose, sharing almost no words
with the rest of the document, is a related-article link, an author box or a section label
that leaked into the text. A real subheading shares words with the article it heads.
"""

from __future__ import annotations

from ..models import Block, Evidence
from . import patterns as P
from .registry import Context, rule
from .textstats import word_count

#: A line of at most this many words, without a sentence end, is "short".
SHORT_MAX_WORDS = 20
#: Neighbours count as prose from this many words (and a sentence end).
PROSE_MIN_WORDS = 8
#: Below this share of its content words found elsewhere in the document, a line is unrelated.
OVERLAP_MAX = 0.34
#: A headline-length line (this many content words) may share a little more: a related-article
#: headline often names the same people or places as the article.
LONG_LINE_WORDS = 5
OVERLAP_MAX_LONG = 0.5


def is_prose(block: Block | None) -> bool:
    return (block is not None and word_count(block.text) >= PROSE_MIN_WORDS
            and bool(P.TERMINAL_PUNCT.search(block.text)))


@rule("context.unrelated_short_line", "related-link",
      "a short title-like line alone between prose paragraphs that shares almost no words with the article", contextual=True)
def unrelated_short_line(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> p1 = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    >>> p2 = "The budget for schools grows by five percent, while roads get less money than last year."
    >>> check(unrelated_short_line, "Celebrity chef opens third restaurant downtown", p1, p2, index=1).weight
    1.0
    >>> check(unrelated_short_line, "Schools budget debate", p1, p2, index=1) is None
    True
    """
    text = block.text
    if block.is_list_item or word_count(text) > SHORT_MAX_WORDS or P.LINE_END_CLOSED.search(text):
        return None
    if text == ctx.title or P.NUMBERED_ITEM.match(text) or text.isupper() or text[0] in "([{":
        return None  # the title, a list, an all-caps heading ("NATO UND EU"), a bracketed reference
    before, after = ctx.neighbour(block, -1), ctx.neighbour(block, 1)
    if before is None and after is None:
        return None
    if not all(n is None or is_prose(n) for n in (before, after)):
        return None
    words = ctx.content_words[block.index]
    if not words:
        return None
    shared = sum(1 for w in words if ctx.word_blocks[w] > 1)
    overlap = shared / len(words)
    headline = len(words) >= LONG_LINE_WORDS and not ctx.extracted  # extractors keep real subheadings
    if overlap >= (OVERLAP_MAX_LONG if headline else OVERLAP_MAX):
        return None
    return Evidence("context.unrelated_short_line", "related-link", 1.0,
                    f"alone between prose; {shared} of {len(words)} words found elsewhere in the text")


@rule("context.truncated_teaser", "read-more",
      "a short line cut off with '...' alone between prose paragraphs (a teaser link)", contextual=True)
def truncated_teaser(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> p = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    >>> check(truncated_teaser, "Housing authority sued over alleged open meeting...", p, p, index=1).weight
    1.0
    >>> check(truncated_teaser, "And then...", "Short.", p, index=1) is None
    True
    """
    text = block.text
    if word_count(text) > SHORT_MAX_WORDS or not P.TRUNCATED.search(text):
        return None
    before, after = ctx.neighbour(block, -1), ctx.neighbour(block, 1)
    if (before is None and after is None) or not all(n is None or is_prose(n) for n in (before, after)):
        return None
    return Evidence("context.truncated_teaser", "read-more", 1.0, "cut-off line alone between prose")

