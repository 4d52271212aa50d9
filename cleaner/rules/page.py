"""Whole pages given as plain text (menus, footers, related links around an article).

When a text looks like a page rather than an article, the article body is the stretch of
blocks with the most prose in it (a maximum-sum run, as in Finn et al.'s body text
extraction): prose counts for it, short non-prose lines against it. Blocks outside that
stretch are page furniture. On an article the rule stays silent.

The page's first line is often its title ("Headline | Site"). When a later line repeats it as
the article's headline and a stretch of enough prose follows that line, the body begins at
that headline, though a longer stretch of prose lies elsewhere: a sidebar of teasers or a
list of other articles outweighs many an article, but does not come under its headline. A
standfirst, a byline, a date or a caption between the headline and the article's prose are the
article's too, and no share or sign-up line among them ends it. A menu may show the headline
first (a sticky header, a "top story" link): when the headline comes again below it before any
prose, the body begins at that later one. The site's name is the title's shorter end part, unless
the page's next line (its banner) is the longer one alone; and a headline of only a word or two
("Zimtsterne | Notes from a small kitchen") is found where a line repeats it word for word, since
the few words it shares with other lines are as often the words of a menu item or a teaser; and
not in a menu (between two one-word lines), where a section's page repeats its name.

A long block without a sentence end is prose only when enough of its words are stopwords of
the page's language, as in jusText: a tag cloud or an archive dropdown ("Select Month October
2020 (1) September 2020 (2) ...") is long but has almost none, and must not pull the body
stretch towards the sidebar; nor is one where numbers make up much of the words (an archive:
"Februar 2020 (5) Januar 2020 (13) ..."). A paragraph that is a cookie or sign-up prompt is
not the article's prose either: it counts as furniture.

A text written in paragraphs (blank lines between them) is an article with furniture around it
more often than a page dump: there the body reaches on each side up to where the page's
furniture begins, two known furniture lines in a row or one at the end of the text. A single
"Read more" or share line, an ad label, a teaser with its headline or a sign-up box between two
paragraphs is the article's own furniture: its own rules remove it, and the article goes on
after it; so it does after two such lines when a sentence or more paragraphs follow them, or a
single paragraph under its caption before the text ends (a list of teasers has a headline for
each paragraph). The first line, when it reads like a title, stays too.

A page dump of one line a block (no blank lines) shows no such structure, so its body grows
only from prose to prose, over gaps of a few lines (an ad label, a teaser, a share line, a
subheading) where the page's furniture does not begin; the title line just above it stays.
A sentence that announces a list with a colon ("Sie beschreibt die Lehre in zehn Punkten:") takes
the body over the list's items, short lines as a menu's are, to the prose after them. A recipe's
ingredient list ("300 g Mehl", "1 TL Zimt") next to the body is the article's too, with its
heading and the servings and times around it, however many lines it runs: the body takes it, and
the prose beyond it (the recipe's steps, or its introduction above a recipe card).
"""

from __future__ import annotations

from collections import Counter
from itertools import accumulate
from typing import NamedTuple

from ..models import Block, Evidence
from ..phrases import match, match_any
from . import patterns as P
from .context import is_prose_text
from .registry import Context, content_words_of, rule
from .textstats import word_count

#: A page has at least this many blocks ...
PAGE_MIN_BLOCKS = 12
#: ... and at least this share of them are short non-prose lines.
PAGE_MIN_SHORT_SHARE = 0.5
#: Prose: a sentence (``context.is_prose_text``), or a block of this many words anyway.
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
#: A run of this many lines of known furniture is where the page's furniture begins (fewer,
#: between two paragraphs, are a share row or a teaser inside the article).
FURNITURE_RUN_LINES = 3
#: ... and so is a run of two followed by no sentence: a paragraph of prose, or a sentence of this
#: many words ("Die Folgen sind spürbar.").
SENTENCE_MIN_WORDS = 3
#: In a text of one line a block, the body grows over at most this many lines between two prose
#: blocks (an ad label, a teaser, a share line and a subheading between two paragraphs).
BRIDGE_MAX_LINES = 4
#: ... and takes the lines right after its last paragraph that make one sentence, at most this
#: many, the later ones starting in lowercase: a paragraph, a reference that the page wrapped.
TAIL_MAX_LINES = 3
#: ... and, going down, over a sentence that announces a list with a colon ("Sie beschreibt die
#: Lehre in zehn Punkten:") and at most this many items of it, with prose after them.
LIST_MAX_LINES = 12
#: A recipe's ingredient list (amounts and units: ``patterns.quantity``) next to the body joins it,
#: with the lines around it (its heading, servings, times), however far from the prose it lies:
#: at least this many ingredient lines ...
RECIPE_MIN_QUANTITIES = 3
#: ... making up this share of the lines from its first to its last one (a page may print each
#: amount on a line of its own, "135 g" above "Butter") ...
RECIPE_MIN_SHARE = 0.4
#: ... with at most this many other lines between two of them, or after the last ...
RECIPE_GAP_LINES = 4
#: ... each of them this short; the stretch from the body's edge is at most this long.
RECIPE_LINE_MAX_WORDS = 15
RECIPE_MAX_LINES = 80
#: The title line above the body stays: a title-like line of this many words at least (menu
#: items have fewer), with at most TITLE_MAX_FURNITURE lines of known furniture between.
TITLE_MIN_WORDS = 4
TITLE_MAX_FURNITURE = 3
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
#: The article goes on after a "Read more" line, or two furniture lines in a row, when at least
#: this many prose blocks follow, and this many for each short line among them that is neither
#: furniture nor a sentence (a subheading now and then; a list of teasers has a headline for each
#: paragraph) ...
ARTICLE_GOES_ON_BLOCKS = 2
ARTICLE_PROSE_PER_LINE = 2
#: ... counted, after two furniture lines in a row, in this many blocks. A single paragraph there
#: under at most this many short lines (its caption, its subheading), with the end of the text or
#: more furniture after it, is the article's too: one headline and one paragraph are as often a
#: caption and the article's last paragraph as a teaser, and a list of teasers has more of them.
ARTICLE_WINDOW = 6
LONE_PARAGRAPH_MAX_LINES = 1
#: A teaser printed inside an article has at least this many words after its label
#: ("Lesen Sie auch: Die besten Tipps"); the label alone heads a list of related links.
INLINE_TEASER_MIN_WORDS = 2
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
#: A first line of at most this many words, without a sentence end, reads like a title (here, and
#: for the title guessed in the pipeline).
TITLE_MAX_WORDS = 25
#: A headline: a line under twice TITLE_MAX_WORDS words holding this share of the content words
#: of the page title without the end part that is the site's name ("Headline | Site"), when those
#: are this many (two share their stems with many a menu item and teaser: "Stadt Stuttgart",
#: "StadtRegion Stuttgart"; a line then repeats a shorter headline word for word) ...
HEADLINE_TITLE_COVERAGE = 0.5
HEADLINE_MIN_TITLE_WORDS = 3
#: A line between two of at most this many words is a menu's item, not a short headline (a
#: byline has two words at least: "von Jane", "Jane Doe").
MENU_ITEM_WORDS = 1
#: ... and the body begins at the first headline that the stretch after it outweighs this
#: share of the best stretch's weight from (a teaser of the article in a menu above it has
#: little after it), with that stretch, or with the best stretch when that begins at most this
#: many lines after the headline and the page's furniture does not begin between them.
HEADLINE_MIN_SHARE = 0.2
HEADLINE_REACH = 8
#: Prompts are shorter than this many words (longer paragraphs are not checked: speed).
PROMPT_MAX_WORDS = 200
#: The page's language is guessed from this many words of its prose at most.
LANGUAGE_SAMPLE_WORDS = 3000
FURNITURE_KINDS = ("cookie", "newsletter", "share", "nav", "copyright", "ad_label", "read_more",
                   "comments", "reading_time", "tags")


def is_prose(text: str) -> bool:
    """A sentence (see ``context.is_prose_text``), or a block of LONG_PROSE_WORDS words anyway."""
    return word_count(text) >= LONG_PROSE_WORDS or is_prose_text(text)


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


class Region(NamedTuple):
    """The article body of a page: blocks ``first`` to ``last``, and whether the page's first
    block is the article's title (kept though it stands above the body's furniture)."""

    first: int
    last: int
    title: bool = False


def main_region(blocks: tuple[Block, ...]) -> Region | None:
    """The article body in a page (its first and last index), or None for an article.

    >>> from cleaner.rules.testing import make_blocks
    >>> menu = ["Home", "News", "Sport", "Weather", "Contact us", "Log in"]
    >>> prose = ["This is a sentence of the article that goes on for a while."] * 3
    >>> main_region(make_blocks(*menu, *prose, *menu))
    Region(first=6, last=8, title=False)
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
    values = [_value(b.text, prose[i]) for i, b in enumerate(blocks)]
    best, best_span = 0.0, None
    running, start = 0.0, 0
    for i, value in enumerate(values):
        if running <= 0:
            running, start = 0.0, i
        running += value
        if running > best:
            best, best_span = running, (start, i)
    heads = _headlines(blocks)
    headed = _after_headline(blocks, values, HEADLINE_MIN_SHARE * best, heads)
    if best_span and headed and not best_span[0] - HEADLINE_REACH < headed[0] <= best_span[1]:
        # the best stretch is a sidebar or a menu of teasers, away from the article's headline
        best_span = headed
    if best_span is None:
        return None
    # the first paragraph of the stretch of prose the body is found by: nothing above it ends it
    prose_from = next((i for i in range(best_span[0], best_span[1] + 1) if prose[i]), best_span[0])
    if headed and headed[0] < best_span[0] and not any(
            _furniture_begins(blocks, j, -1) for j in range(headed[0] + 1, best_span[0])):
        # the headline a few lines above it (a standfirst, a byline, a date, a caption between)
        best_span = (headed[0], best_span[1])
    if len(blocks) - (best_span[1] - best_span[0] + 1) < OUTSIDE_MIN_BLOCKS:
        return None
    first, last = best_span
    before = sum(1 for b in blocks[:first] if match_any(FURNITURE_KINDS, b.text))
    after = sum(1 for b in blocks[last + 1:] if match_any(FURNITURE_KINDS, b.text))
    if before + after < OUTSIDE_MIN_FURNITURE:
        return None
    paragraphed = _paragraphed(blocks, prose, best_span)
    if paragraphed:
        # a text written in paragraphs (blank lines between them), not a page dump of one line
        # a block: each side shows on its own where it turns to furniture. The lines above the
        # prose of a recipe (its title and ingredients) are the article's, though a copyright
        # footer ends it; and an ad label or a teaser inside the article does not end it
        span = _widen_to_furniture(blocks, best_span)
    else:
        # one line a block: no blank line tells the article from the menu around it, so the body
        # grows only from prose to prose, over the few lines an article holds between its
        # paragraphs (an ad label, a "Read more" teaser, a share line, a subheading)
        span = _bridge(blocks, prose, best_span)
        span = (span[0], _tail(blocks, span[1]))
    if span == (0, len(blocks) - 1):
        return None
    first, last = _cut_at_ending(blocks, span, paragraphed, prose_from, frozenset(heads))
    first = _title_above(blocks, first)
    # its first line, when it reads like a title, is the article's title: a share row or a
    # reading time between it and the text does not make it the page's
    title = paragraphed and first > 0 and _title_like(blocks[0])
    return Region(first, last, title)


def _headlines(blocks: tuple[Block, ...]) -> list[int]:
    """The lines that repeat the page's title (its first line) as the article's headline (see
    HEADLINE_TITLE_COVERAGE)."""
    if not _title_like(blocks[0]):
        return []
    parts = P.TITLE_SEPARATOR.split(blocks[0].text)
    if len(parts) > 1:  # the site's name, first or last
        parts.pop(-1 if _site_name_last(blocks, parts[0], parts[-1]) else 0)
    words = content_words_of(" ".join(parts))
    if not words:
        return []
    if len(words) < HEADLINE_MIN_TITLE_WORDS:
        # a short headline ("Zimtsterne"): a line of its very words, in their order, repeats it,
        # but not as an item of a menu (a section's page: "Weather | Site")
        key = _words_key(" ".join(parts))
        return [i for i in range(1, len(blocks)) if _words_key(blocks[i].text) == key
                and not _menu_item(blocks, i)]
    least = HEADLINE_TITLE_COVERAGE * len(words)
    return [i for i in range(1, len(blocks)) if word_count(blocks[i].text) < 2 * TITLE_MAX_WORDS
            and len(words & content_words_of(blocks[i].text)) >= least]


def _menu_item(blocks: tuple[Block, ...], i: int) -> bool:
    """Is block ``i`` between two lines of at most MENU_ITEM_WORDS words (menu items; a headline
    has a byline, a date or its text on one side at least)?"""
    return all(0 <= j < len(blocks) and word_count(blocks[j].text) <= MENU_ITEM_WORDS for j in (i - 1, i + 1))


def _words_key(text: str) -> tuple[str, ...]:
    """A line's words, casefolded, without its punctuation."""
    return tuple(w.casefold() for w in P.WORD.findall(text))


def _site_name_last(blocks: tuple[Block, ...], first: str, last: str) -> bool:
    """Is the title's last part the site's name, not its first ("Headline | Site")? The shorter
    one is, unless the page's next line is the other one alone (the site's banner, above its
    menu): a site's name is often longer than a headline ("Zimtsterne | Notes from a kitchen").

    >>> from cleaner.rules.testing import make_blocks
    >>> blocks = make_blocks("Zimtsterne | Notes from a small kitchen", "Notes from a small kitchen",
    ...                      "Menu", "Zimtsterne", "This is a sentence of the article.")
    >>> _site_name_last(blocks, "Zimtsterne", "Notes from a small kitchen")
    True
    >>> _site_name_last(blocks[:1], "Zimtsterne", "Notes from a small kitchen")
    False
    """
    shorter_last = len(last) <= len(first)  # (of two as long, the last, as before)
    banner = content_words_of(blocks[1].text) if len(blocks) > 1 else frozenset()
    longer = content_words_of(first if shorter_last else last)
    if longer and banner == longer and banner != content_words_of(last if shorter_last else first):
        return not shorter_last
    return shorter_last


def _after_headline(blocks: tuple[Block, ...], values: list[float], least: float,
                    heads: list[int]) -> tuple[int, int] | None:
    """The first headline that at least ``least`` follows (see ``_value``) and the best stretch
    after it: (the headline, the stretch's last block); None without one. A headline that a
    line saying the same repeats below it before any prose is a teaser of the article in the
    page's menu (a sticky header, a "top story" link): the later one heads the article.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks("Storm hits the northern coast | Site", "Menu", "Storm hits the northern coast",
    ...                      "By A. Writer", p, p, "Share", "Teaser one", p, p, p)
    >>> _after_headline(blocks, [-1.0, -4.0, -7.0, -6.0, 13.0, 13.0, -24.0, -5.0, 13.0, 13.0, 13.0], 20.0,
    ...                 _headlines(blocks))
    (2, 10)
    """
    if not heads:
        return None
    # the best end of a stretch that begins at block i: where the running sum from there peaks
    sums = list(accumulate(values, initial=0.0))
    peak = [len(values)] * (len(values) + 1)
    for j in range(len(values) - 1, -1, -1):
        peak[j] = j + 1 if sums[j + 1] >= sums[peak[j + 1]] else peak[j + 1]
    for h, later in zip(heads, [*heads[1:], None], strict=True):
        if later is not None and all(v <= 0 for v in values[h + 1:later + 1]) and _same_words(
                blocks[h].text, blocks[later].text):
            continue  # the headline again below it, no prose between: a teaser of it in a menu
        end = peak[h + 1] if h + 1 < len(values) else h + 1
        if sums[end] - sums[h + 1] >= max(least, 1.0):
            return h, end - 1
    return None


def _same_words(a: str, b: str) -> bool:
    """Do two lines say the same, one maybe with a word or two more (a section's name)?

    >>> _same_words("Politics / Storm hits the coast", "Storm hits the coast")
    True
    >>> _same_words("Minutes of the board meeting of 10 October", "Approval of the minutes of 5 August")
    False
    """
    wa, wb = content_words_of(a), content_words_of(b)
    return wa <= wb or wb <= wa


def _title_like(block: Block) -> bool:
    """A first line that reads like a title: short, no sentence end, not a list item, not
    known furniture."""
    return (not block.is_list_item and 0 < word_count(block.text) <= TITLE_MAX_WORDS
            and not P.ends_sentence(block.text) and not match_any(FURNITURE_KINDS, block.text))


def _widen_to_furniture(blocks: tuple[Block, ...], span: tuple[int, int]) -> tuple[int, int]:
    """The body stretch of a text written in paragraphs, grown on each side up to where the
    page's furniture begins (see ``_furniture_begins``): what lies between the prose and it (a
    short closing sentence, a list, a subheading, a caption, a paragraph after a "Read more"
    line or an ad label) is the article's; the blocks' own rules judge the lines in it.

    >>> from cleaner.rules.testing import make_blocks
    >>> blocks = make_blocks("Menu", "Suche", "Title", "Prose.", "Anzeige", "More prose.", "Read more",
    ...                      "Short end.", "Impressum", "Datenschutz")
    >>> _widen_to_furniture(blocks, (3, 3))
    (2, 7)
    """
    first, last = span
    while first > 0 and not _furniture_begins(blocks, first - 1, -1):
        first -= 1
    while last < len(blocks) - 1 and not _furniture_begins(blocks, last + 1, 1):
        last += 1
    return first, last


def _bridge(blocks: tuple[Block, ...], prose: list[bool], span: tuple[int, int]) -> tuple[int, int]:
    """The body stretch of a text of one line a block, grown on each side to the next prose
    block over a gap of at most BRIDGE_MAX_LINES lines where the page's furniture does not begin
    (see ``_furniture_begins``), as often as there is one, when the paragraphs reached have more
    words than the gap's lines cost (``_line_cost``): a comment or a teaser after a few lines of
    headline, date and author is not the article going on.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks("Menu", "Suche", p, "Anzeige", "Read more: The best tips", p, "Read more",
    ...                      p, "Impressum", "Datenschutz", "Kontakt", p)
    >>> _bridge(blocks, [b.text == p for b in blocks], (2, 2))
    (2, 7)
    """
    first, last = span
    for step in (-1, 1):
        edge = first if step < 0 else last
        while True:
            gap = 0
            i = edge + step
            listed = _after_list(blocks, prose, edge) if step > 0 else None
            while listed is None and 0 <= i < len(blocks) and not prose[i] and gap <= BRIDGE_MAX_LINES:
                if _furniture_begins(blocks, i, step):
                    break
                if step > 0 and (listed := _after_list(blocks, prose, i)) is not None:
                    break
                gap, i = gap + 1, i + step
            if listed is not None:
                # a list that a sentence announces, and prose after it: its items cost nothing
                cost = sum(_line_cost(blocks[j].text) for j in range(edge + step, i))
                i = listed
            elif not (0 <= i < len(blocks) and prose[i] and gap <= BRIDGE_MAX_LINES):
                recipe = _ingredients(blocks, prose, edge, step)
                if recipe is None:
                    break
                if not 0 <= recipe + step < len(blocks) or not prose[recipe + step]:
                    edge = recipe  # the body takes the list, and may grow on from its end
                    continue
                i, cost = recipe + step, 0.0  # the prose after the list: its steps
            else:
                cost = sum(_line_cost(blocks[j].text) for j in range(edge + step, i, step))
            run = i
            while 0 <= run + step < len(blocks) and prose[run + step]:
                run += step
            if sum(word_count(blocks[j].text) for j in range(i, run + step, step)) <= cost:
                break
            edge = run
        first, last = (edge, last) if step < 0 else (first, edge)
    return first, last


def _ingredients(blocks: tuple[Block, ...], prose: list[bool], edge: int, step: int) -> int | None:
    """The far end of a recipe's ingredient list next to the body (going from block ``edge`` by
    ``step``), with the short lines around it (its heading, the servings, the times); None when
    no list is there. The list: RECIPE_MIN_QUANTITIES lines at least that begin with an amount
    and a unit ("300 g Mehl", "1 1/2 tsp sugar"), RECIPE_MIN_SHARE of the lines from its first
    to its last. Known furniture between the body and the list (a "Print" or "Pin" button) is
    passed over, two lines at most in a row. Beyond the list its end is RECIPE_GAP_LINES lines
    on, unless prose follows before the page's furniture begins: then the end is the line before
    that prose (the recipe's steps, or its introduction), and the body reaches it.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "Knead all the ingredients into a smooth dough and let it rest for an hour."
    >>> blocks = make_blocks("Ingredients", "300 g flour", "1 tsp salt", "2 eggs", "200 ml milk", "Method", p)
    >>> _ingredients(blocks, [b.text == p for b in blocks], 6, -1)
    0
    >>> counts = make_blocks("Menu", "3 comments", "12 tips for beginners", "Share", p)
    >>> _ingredients(counts, [False] * 4 + [True], 4, -1) is None
    True
    """
    quantities: list[int] = []
    end = near = None
    furniture = 0
    j = edge + step
    while 0 <= j < len(blocks) and not prose[j] and abs(j - edge) <= RECIPE_MAX_LINES:
        text = blocks[j].text
        if word_count(text) > RECIPE_LINE_MAX_WORDS:
            break
        if match_any(FURNITURE_KINDS, text):
            furniture += 1
            if furniture >= FURNITURE_RUN_LINES or (quantities and _furniture_begins(blocks, j, step)):
                break
        else:
            furniture = 0
            if P.quantity().match(text):
                quantities.append(j)
                near = None
            elif quantities and near is None and abs(j - quantities[-1]) > RECIPE_GAP_LINES:
                near = j - step  # the list's own lines end here; on only to reach prose
            end = j
        j += step
    if len(quantities) < RECIPE_MIN_QUANTITIES or end is None:
        return None
    if len(quantities) < RECIPE_MIN_SHARE * (abs(quantities[-1] - quantities[0]) + 1):
        return None
    if 0 <= j < len(blocks) and prose[j]:
        return j - step
    return end if near is None else near


def _tail(blocks: tuple[Block, ...], last: int) -> int:
    """The body's last block, or the last of the lines right after it that make one sentence
    wrapped over two or more (TAIL_MAX_LINES at most), the later ones starting in lowercase ("A
    chapter from the book / entitled Beautiful Code."). No line of it is known furniture. A short
    sentence alone is as often a call to action ("Sie wollen mehr von uns?"): not taken; a
    sentence that ends in a colon, of a prose sentence's length (``_announces_list``), is the
    article's, though what it announces (a photo, a video) is not in the text.

    >>> from cleaner.rules.testing import make_blocks
    >>> blocks = make_blocks("This is a sentence of the article.", "A chapter from the book",
    ...                      "entitled Beautiful Code.", "Posted by Jane", "Home")
    >>> _tail(blocks, 0), _tail(blocks[:2], 0), _tail(make_blocks("Prose.", "Want more from us?", "x"), 0)
    (2, 0, 0)
    >>> _tail(make_blocks("Prose.", "This is how it looked when the two of them first met:", "x"), 0)
    1
    """
    for i in range(last + 1, min(last + 1 + TAIL_MAX_LINES, len(blocks))):
        text = blocks[i].text
        if match_any(FURNITURE_KINDS, text) or (i > last + 1 and not P.STARTS_LOWER.match(text)):
            break
        if P.ends_sentence(text):
            return i if i > last + 1 else last
        if i == last + 1 and _announces_list(text):
            return i
    return last


def _announces_list(text: str) -> bool:
    """A sentence ending in a colon, of a prose sentence's length at least ("She describes the
    practice in ten short points:"): what follows is its list. A menu's label is shorter ("Folge
    uns:", "Kategorien:").

    >>> _announces_list("She describes the practice in ten short points:"), _announces_list("Follow us:")
    (True, False)
    """
    core = text.rstrip()
    return core.endswith(":") and is_prose_text(core[:-1] + ".")


def _after_list(blocks: tuple[Block, ...], prose: list[bool], i: int) -> int | None:
    """The prose block after the list that block ``i`` announces (see ``_announces_list``): its
    items are at most LIST_MAX_LINES lines that are neither prose nor known furniture (the labels
    of a form are furniture: "Name", "Abbrechen"), or they announce a list in turn. None when
    block ``i`` announces none, or no prose follows its list.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks("She describes the practice in ten short points:", "Be curious",
    ...                      "Stay active", p, "Share")
    >>> _after_list(blocks, [b.text == p for b in blocks], 0)
    3
    """
    if not _announces_list(blocks[i].text):
        return None
    j = i + 1
    while j < len(blocks) and not prose[j] and j - i <= LIST_MAX_LINES:
        if _announces_list(blocks[j].text):
            i = j  # a list in turn (a loop, not a call: a page may hold thousands of such lines)
        elif match_any(FURNITURE_KINDS, blocks[j].text):
            return None
        j += 1
    return j if j < len(blocks) and prose[j] else None


def _title_above(blocks: tuple[Block, ...], first: int) -> int:
    """The body's first block, or the title line above it: a title-like line of TITLE_MIN_WORDS
    words or more, right above the body or with at most TITLE_MAX_FURNITURE lines of known
    furniture between (a share row, a reading time)."""
    i = first - 1
    while i >= 0 and first - 1 - i < TITLE_MAX_FURNITURE and match_any(FURNITURE_KINDS, blocks[i].text):
        i -= 1
    if i >= 0 and word_count(blocks[i].text) >= TITLE_MIN_WORDS and _title_like(blocks[i]):
        return i
    return first


def _furniture_begins(blocks: tuple[Block, ...], i: int, step: int) -> bool:
    """Does the page's furniture begin at block ``i``, going away from the body by ``step``: a
    run of lines of known furniture that are not printed inside articles, reaching the end of
    the text, or of FURNITURE_RUN_LINES lines, or of two followed by no sentence? A single one
    between paragraphs ("Read more"), or two ("Share on Facebook", "Share on X") with a sentence
    after them, is the article's furniture, and the article goes on after it.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks(p, "Facebook", "Twitter", p, "Facebook", "Twitter", "Impressum", p)
    >>> _furniture_begins(blocks, 1, 1), _furniture_begins(blocks, 4, 1)
    (False, True)
    """
    run = 0
    while 0 <= i < len(blocks) and run < FURNITURE_RUN_LINES and _ends_body(blocks[i].text):
        run, i = run + 1, i + step
    if run == 0:
        return False
    if not 0 <= i < len(blocks) or run >= FURNITURE_RUN_LINES:
        return True
    after = blocks[i].text
    window = min(max(i + step * ARTICLE_WINDOW, 0), len(blocks) - 1)
    return run > 1 and not (is_prose(after) or _sentence(after) or _lone_paragraph(blocks, i, step)
                            or _article_goes_on(blocks, i - step, step, window))


def _lone_paragraph(blocks: tuple[Block, ...], i: int, step: int) -> bool:
    """Do the blocks from ``i`` (going by ``step``) up to the end of the text or the next line of
    known furniture, within ARTICLE_WINDOW blocks, hold one paragraph of prose under at most
    LONE_PARAGRAPH_MAX_LINES short lines that are no sentence (a caption, a subheading)? An
    article's last paragraph, though a share row and a caption stand between it and the rest.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks("Share", "A caption", p, "Impressum", "Storm hits the coast", p, "Bus strike", p)
    >>> _lone_paragraph(blocks, 1, 1), _lone_paragraph(blocks, 4, 1)
    (True, False)
    """
    prose = short = 0
    for _ in range(ARTICLE_WINDOW):
        if not 0 <= i < len(blocks) or _ends_body(blocks[i].text):
            return prose == 1
        text = blocks[i].text
        if is_prose(text):
            prose += 1
        elif not _sentence(text):
            short += 1
        if prose > 1 or short > LONE_PARAGRAPH_MAX_LINES:
            return False
        i += step
    return False  # more of the text in ARTICLE_WINDOW blocks: for ``_article_goes_on`` to judge


def _ends_body(text: str) -> bool:
    """Known page furniture that is not printed inside articles (see ``_inline``)."""
    return match_any(FURNITURE_KINDS, text) and not _inline(text)


def _inline(text: str) -> bool:
    """Furniture printed inside an article, between its paragraphs: an ad label ("Anzeige",
    "Publicité"), a teaser with its headline ("Lesen Sie auch: Die besten Tipps"), a sign-up
    prompt of a sentence or more (a box in the text, not the "Newsletter" heading of a form).

    >>> _inline("Anzeige"), _inline("Lees ook: Benzineprijs stijgt weer"), _inline("Lees ook")
    (True, True, False)
    """
    if match("ad_label", text) is not None:
        return True
    words = word_count(text)
    teaser = match("read_more", text)
    if teaser is not None and teaser[0] == "starts" and teaser[1].endswith(":"):
        return words >= len(teaser[1].split()) + INLINE_TEASER_MIN_WORDS
    return words > ENDING_MAX_WORDS and match("newsletter", text) is not None


def _paragraphed(blocks: tuple[Block, ...], prose: list[bool], span: tuple[int, int]) -> bool:
    """Are the prose blocks of the body mostly paragraphs of their own, between blank lines?"""
    alone = total = 0
    for i in range(span[0], span[1] + 1):
        if prose[i]:
            total += 1
            group = blocks[i].group
            alone += all(not 0 <= j < len(blocks) or blocks[j].group != group for j in (i - 1, i + 1))
    return total > 0 and alone >= PARAGRAPHED_MIN_SHARE * total


def _cut_at_ending(blocks: tuple[Block, ...], span: tuple[int, int], paragraphed: bool = False,
                   prose_from: int = 0, heads: frozenset[int] = frozenset()) -> tuple[int, int]:
    """End the body before a share/newsletter/related/comments line in its last part. A line
    printed inside articles with more of the article after it does not end it: in a text written
    in paragraphs a single "Read more", share or sign-up line; in one of one line a block a share
    line, a teaser with its headline, or any of them followed by more paragraphs (see
    ``_article_goes_on``). Only a comments line, or one where the furniture begins (see
    ``_furniture_begins``), ends the body there; and none above block ``prose_from``, the first of
    the stretch of prose the body was found by (a paywall label between the headline and it).
    The lines ``heads`` that repeat the page's title (``_headlines``) are the article's headline
    when the article goes on after such a line, not a teaser."""
    first, last = span
    for i in range(max(first + int((last - first + 1) * ENDING_FROM), prose_from + 1), last + 1):
        text = blocks[i].text
        inside = (paragraphed or match("share", text) is not None or _inline(text)
                  or _article_goes_on(blocks, i, 1, last, heads))
        if inside and match("comments", text) is None and not _furniture_begins(blocks, i, 1):
            continue
        if i > first and word_count(text) <= ENDING_MAX_WORDS and any(
                (m := match(kind, text)) is not None and m[0] in ("exact", "starts") for kind in ENDING_KINDS):
            return (first, i - 1)
    return span


def _line_cost(text: str) -> float:
    """What a short line between two prose blocks costs a bridge: its words and a penalty, as in
    ``_value``, but nothing for known furniture (its own rules remove it) or a sentence."""
    if match_any(FURNITURE_KINDS, text) or _sentence(text):
        return 0.0
    words = word_count(text)
    return MEDIUM_LINE_COST if words >= MEDIUM_LINE_WORDS else float(words + NON_PROSE_PENALTY_WORDS)


def _article_goes_on(blocks: tuple[Block, ...], i: int, step: int, end: int,
                     heads: frozenset[int] = frozenset()) -> bool:
    """Does the article go on after block ``i`` (going by ``step`` up to block ``end``): with
    ARTICLE_GOES_ON_BLOCKS prose blocks at least, and ARTICLE_PROSE_PER_LINE for each
    short line that is neither known furniture nor a sentence, nor one that ends in a colon
    (``_announces_list``), nor one of ``heads`` (the lines that repeat the page's title: the
    article's own headline): a subheading, a teaser's headline, a date?
    An article's paragraphs have a subheading now and then; a list of teasers is a headline and
    a paragraph each.

    >>> from cleaner.rules.testing import make_blocks
    >>> p = "This is a sentence of the article that goes on for a while."
    >>> blocks = make_blocks("Read more", "Our plans", p, p, "Advertisement", p, "Storm hits the coast", p,
    ...                      "Bus drivers on strike", p)
    >>> _article_goes_on(blocks, 0, 1, 5), _article_goes_on(blocks, 4, 1, 9)
    (True, False)
    """
    prose = short = 0
    for j in range(i + step, end + step, step):
        text = blocks[j].text
        if is_prose(text):
            prose += 1
        elif not (j in heads or match_any(FURNITURE_KINDS, text) or _sentence(text) or _announces_list(text)):
            short += 1
    return prose >= ARTICLE_GOES_ON_BLOCKS and prose >= ARTICLE_PROSE_PER_LINE * short


def _sentence(text: str) -> bool:
    """A sentence, however short ("Die Folgen sind spürbar."): no menu item, link or headline."""
    return P.ends_sentence(text) and word_count(text) >= SENTENCE_MIN_WORDS


def _value(text: str, prose: bool) -> float:
    """What a block adds to (prose) or takes from (furniture) the body stretch."""
    words = word_count(text)
    if prose:
        return float(words)
    if _sentence(text):  # a short sentence ("Toll, ich freu mich!"): no menu item
        value = 0.0
    else:
        value = -MEDIUM_LINE_COST if words >= MEDIUM_LINE_WORDS else -float(words + NON_PROSE_PENALTY_WORDS)
    if match_any(FURNITURE_KINDS, text):
        value -= FURNITURE_COST
    return value


@rule("page.outside_main", "page-furniture",
      "in a whole page given as text: a block outside the stretch that holds the article's prose", contextual=True)
def outside_main(block: Block, ctx: Context) -> Evidence | None:
    region = ctx.main_region
    if region is None or region.first <= block.index <= region.last or (block.index == 0 and region.title):
        return None
    where = "before" if block.index < region[0] else "after"
    return Evidence("page.outside_main", "page-furniture", 1.0,
                    f"{where} the article body (blocks {region[0] + 1}-{region[1] + 1} of {len(ctx.blocks)})")
