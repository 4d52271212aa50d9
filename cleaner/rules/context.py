"""Rules that judge a block by its surroundings (like jusText's second pass).

A short, title-like line sitting alone between paragraphs of prose, sharing almost no words
with the rest of the document, is a related-article link, an author box or a section label
that leaked into the text. A real subheading shares words with the article it heads. Two or
three such lines in a row are a block of related links or a menu ("Sell My Home", "Steve Duin").

A line that opens with a quote mark or a dash is dialogue or a quotation: these rules never
remove it; nor a line of two to five words in sentence case ("Le tournant", "Des solutions
existent", "Cómo funciona el nuevo paso"), a subheading; nor a capitalised word alone ("Fazit",
"Hintergrund"), nor, in the article an extractor took out of an HTML page, a line of up to three
words ("Im Detail"). An arrow, a closing quote or a one-word bracket at the end of a line ("More
»", "Subscribe (Dropdown)") is not a sentence end: it is how links and headlines end.
"""

from __future__ import annotations

from ..caches import LINE_RESULTS, content_cache
from ..models import Block, Evidence
from ..phrases import match_any
from . import patterns as P
from .registry import Context, rule
from .textstats import word_count

#: A line of at most this many words, without a sentence end, is "short".
SHORT_MAX_WORDS = 20
#: Neighbours count as prose from this many words (and a sentence end) ...
PROSE_MIN_WORDS = 8
#: ... or from this many letters in at least PROSE_MIN_LETTER_WORDS words: eight English words
#: have about 35 letters, and a short Czech or Polish sentence as many in five.
PROSE_MIN_LETTERS = 32
PROSE_MIN_LETTER_WORDS = 4
#: Below this share of its content words found elsewhere in the document, a line is unrelated.
OVERLAP_MAX = 0.34
#: A headline-length line (this many content words) may share a little more: a related-article
#: headline often names the same people or places as the article.
LONG_LINE_WORDS = 5
OVERLAP_MAX_LONG = 0.5
#: A run of unrelated title-like lines has this many lines (more is a list or a menu that the
#: page rules judge) ...
RUN_MIN_LINES = 2
RUN_MAX_LINES = 3
#: ... and at most this share of its content words found elsewhere in the document.
RUN_OVERLAP_MAX = 0.34
#: The phrase-list kinds of site furniture that a run of short lines does not count (see
#: ``unrelated_run``).
FURNITURE_KINDS = ("cookie", "newsletter", "share", "nav", "copyright", "ad_label", "read_more",
                   "comments", "reading_time", "tags")
#: A subheading in sentence case has this many words at most (see ``sentence_case``) with one
#: lowercase word after the first ("What the Plan Includes") ...
SUBHEADING_MAX_WORDS = 4
#: ... and this many when at least this share of the words after the first are lowercase, as
#: in running language ("Old streets get new names", "Was der Stadtrat jetzt plant"): a name or
#: a title-cased headline has more capitals ("Ryan Hildebrand leaves FM Kitchen", "Top Stories
#: From The Region"). Longer lines in sentence case are as often a related headline ("Celebrity
#: chef opens third restaurant downtown").
LONG_SUBHEADING_MAX_WORDS = 5
LONG_SUBHEADING_MIN_LOWER_SHARE = 0.5
#: In an extractor's main text (an HTML page's article, its links and menus taken out), a line of
#: at most this many words between paragraphs is a subheading ("Fazit", "Im Detail", "Expert
#: Tips"), not a related link, unless it holds an address ("paul@example.com", a domain) ...
EXTRACTED_HEADING_MAX_WORDS = 3
#: ... and in plain text (where a page dump's menu items and related links stand between
#: paragraphs too) a capitalised line of this many words ("Fazit", "Hintergrund"): a related link
#: or a section's name has more.
TEXT_HEADING_MAX_WORDS = 1


def is_prose(block: Block | None) -> bool:
    return block is not None and is_prose_text(block.text)


@content_cache(maxsize=LINE_RESULTS)
def is_prose_text(text: str) -> bool:
    """A sentence of PROSE_MIN_WORDS words, or of PROSE_MIN_LETTERS letters in fewer, longer
    words (Czech, Polish, Finnish, German write short sentences in long words).

    >>> is_prose_text("Náklady přesáhnou dvě miliardy korun."), is_prose_text("It was worth the wait.")
    (True, False)
    """
    if not P.ends_sentence(text):
        return False
    words = word_count(text)
    return words >= PROSE_MIN_WORDS or (
        words >= PROSE_MIN_LETTER_WORDS and sum(c.isalpha() for c in text) >= PROSE_MIN_LETTERS)


def closed(text: str) -> bool:
    """Does the line end a sentence or a clause? An arrow, closing quotes or a one-word bracket
    at the end do not count ("Update your preferences »", "Subscribe (Dropdown)").

    >>> closed("The vote was close."), closed("Update your preferences »"), closed("Watch this (video)")
    (True, False, False)
    """
    core = P.QUOTE_TAIL.sub("", P.PAREN_TAIL.sub("", P.LINK_TAIL.sub("", text)))
    return bool(P.LINE_END_CLOSED.search(core))


def title_like(block: Block) -> bool:
    """A short line that reads like a title or a link: no sentence end, not a list item, not an
    all-caps heading, not dialogue, a quotation or a bracketed reference, not cut off at a comma.

    >>> from cleaner.rules.testing import make_blocks
    >>> [title_like(b) for b in make_blocks("Sell My Home", "“We will win,” he said", "The end.")]
    [True, False, False]
    """
    return not block.is_list_item and title_like_text(block.text)


@content_cache(maxsize=LINE_RESULTS)
def title_like_text(text: str) -> bool:
    """``title_like`` of a block that is not a list item."""
    if word_count(text) > SHORT_MAX_WORDS or text.isupper():
        return False
    if text[0] in "([{" or P.QUOTE_OR_DASH_START.match(text) or P.NUMBERED_ITEM.match(text):
        return False
    if P.SECTION_NUMBER.match(text) or not P.CONTENT_WORD.search(text):
        return False  # "1 Introduction", a step number, a rule of "====": the article's structure
    return not closed(text) and not text.endswith(",")  # a trailing comma: the text goes on


def sentence_case(text: str) -> bool:
    """A line of two to four words, a capital first and a lowercase word after it, or of five
    words with mostly lowercase ones after it: a subheading in running language ("Le tournant",
    "Des solutions existent", "Was Eltern tun können", "What the Plan Includes", "Old streets get
    new names"), not a name, a section or a menu item ("Steve Duin", "Horse Racing", "Sell My
    Home"), nor a link ("Update your preferences »"). Headings in most languages are written so,
    and a real one may share no word with its article.

    >>> sentence_case("Le tournant"), sentence_case("Was Eltern tun können"), sentence_case("Horse Racing")
    (True, True, False)
    >>> sentence_case("Politik"), sentence_case("Update your preferences »"), sentence_case("Sell My Home")
    (False, False, False)
    >>> sentence_case("Cómo funciona el nuevo paso"), sentence_case("Ryan Hildebrand leaves FM Kitchen")
    (True, False)
    >>> sentence_case("Celebrity chef opens third restaurant downtown")  # six words: a headline as often
    False
    """
    words = text.split()
    if not (2 <= len(words) <= LONG_SUBHEADING_MAX_WORDS and words[0][:1].isupper()):
        return False
    lower = sum(1 for w in words[1:] if w[:1].islower())
    if len(words) > SUBHEADING_MAX_WORDS and lower < LONG_SUBHEADING_MIN_LOWER_SHARE * (len(words) - 1):
        return False
    return lower > 0 and not (P.LINK_TAIL.search(text) or P.PAREN_TAIL.search(text))


def _heading_sized(text: str, extracted: bool) -> bool:
    """Is the line as short as a subheading is (EXTRACTED_HEADING_MAX_WORDS in an extractor's
    text, TEXT_HEADING_MAX_WORDS in plain text, where it begins with a capital), with no
    address in it?

    >>> _heading_sized("Fazit", False), _heading_sized("Im Detail", False), _heading_sized("Im Detail", True)
    (True, False, True)
    >>> _heading_sized("gestern", False), _heading_sized("sueddeutsche.de", True)
    (False, False)
    """
    words = word_count(text)
    if extracted:
        fits = words <= EXTRACTED_HEADING_MAX_WORDS
    else:
        fits = words <= TEXT_HEADING_MAX_WORDS and text[:1].isupper()
    return fits and not _address(text)


def _address(text: str) -> bool:
    """Does the line hold an e-mail or web address, or a domain ("twitter.com/paul")?"""
    return "@" in text or "://" in text or P.DOMAIN.search(text) is not None


def _furniture(text: str) -> bool:
    """A line of known site furniture (a phrase of the phrase lists: "Anzeige", "Read more")."""
    return match_any(FURNITURE_KINDS, text)


def shared_words(ctx: Context, indices: range) -> tuple[int, int]:
    """(shared, total): the content words of the blocks at ``indices`` and how many of them
    occur in some other block of the document."""
    words: set[str] = set()
    for i in indices:
        words |= ctx.content_words[i]
    shared = 0
    for w in words:
        inside = sum(1 for i in indices if w in ctx.content_words[i])
        shared += ctx.word_blocks[w] > inside
    return shared, len(words)


def _prose(ctx: Context, index: int) -> bool:
    return 0 <= index < len(ctx.blocks) and ctx.prose[index]


def _alone_between_prose(ctx: Context, index: int) -> bool:
    """Each neighbour of the block is prose or the start or end of the text (and it has one)."""
    n = len(ctx.blocks)
    return n > 1 and all(j < 0 or j >= n or ctx.prose[j] for j in (index - 1, index + 1))


def _runs_on(ctx: Context, index: int) -> bool:
    """Does the next block start in lowercase: is the block the first part of a sentence that the
    page wrapped ("A chapter from the book / entitled Old Markets.")? A title stands alone.

    >>> from cleaner.config import CleanConfig
    >>> from cleaner.rules.testing import make_blocks
    >>> blocks = make_blocks("A chapter from the book", "entitled Old Markets.", "Home")
    >>> _runs_on(Context(blocks, None, CleanConfig()), 0), _runs_on(Context(blocks, None, CleanConfig()), 1)
    (True, False)
    """
    after = index + 1
    return after < len(ctx.blocks) and bool(P.STARTS_LOWER.match(ctx.blocks[after].text))


@rule("context.unrelated_short_line", "related-link",
      "a short title-like line alone between prose paragraphs that shares almost no words with the article", contextual=True,
      max_words=SHORT_MAX_WORDS)
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
    if not ctx.title_like[block.index] or text == ctx.title or sentence_case(text):
        # the title, a sentence, a list, an all-caps heading ("NATO UND EU"), dialogue, a subheading
        return None
    if not _alone_between_prose(ctx, block.index) or _runs_on(ctx, block.index):
        return None
    if _heading_sized(text, ctx.extracted):
        return None  # a subheading
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
      "a short line cut off with '...' alone between prose paragraphs (a teaser link)", contextual=True,
      max_words=SHORT_MAX_WORDS)
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
    if P.QUOTE_OR_DASH_START.match(text) or not _alone_between_prose(ctx, block.index):
        return None
    return Evidence("context.truncated_teaser", "read-more", 1.0, "cut-off line alone between prose")


@rule("context.unrelated_run", "related-link",
      "two or three short title-like lines in a row between prose paragraphs that share almost no words "
      "with the article", contextual=True, max_words=SHORT_MAX_WORDS)
def unrelated_run(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> p1 = "The council approved the new budget for schools and roads on Monday after a long debate."
    >>> p2 = "The budget for schools grows by five percent, while roads get less money than last year."
    >>> check(unrelated_run, "Sell My Home", p1, "Steve Duin", p2, index=1).weight
    1.0
    >>> check(unrelated_run, "Budget debate", p1, "Schools and roads", p2, index=1) is None
    True
    """
    i = block.index
    # an extractor has taken out link blocks already: short lines in a row left in its text are
    # captions and subheadings ("Freunde, Feinde und Kollegen")
    if ctx.extracted or not ctx.title_like[i] or sentence_case(block.text):
        return None
    first = last = i
    while first > 0 and i - first < RUN_MAX_LINES and ctx.title_like[first - 1]:
        first -= 1
    while last < len(ctx.blocks) - 1 and last - first < RUN_MAX_LINES and ctx.title_like[last + 1]:
        last += 1
    if not RUN_MIN_LINES <= last - first + 1 <= RUN_MAX_LINES:
        return None
    if not (_prose(ctx, first - 1) and _prose(ctx, last + 1)):
        return None  # between prose paragraphs: never the start or the end of the text
    run = range(first, last + 1)
    if len({ctx.keys[j] for j in run}) < len(run):
        return None  # a caption printed twice: caption.duplicate's, and the next round sees the rest
    if any(ctx.blocks[j].text == ctx.title or P.LABEL_VALUE.match(ctx.blocks[j].text) for j in run):
        return None  # the title, or "label: value" lines (a fact box, a schedule)
    if not _furniture(block.text) and any(_furniture(ctx.blocks[j].text) for j in run if j != i):
        return None  # a known furniture line ("Anzeige") goes by its own rule: the next round sees the rest
    shared, total = shared_words(ctx, run)
    if not total or shared > RUN_OVERLAP_MAX * total:
        return None
    return Evidence("context.unrelated_run", "related-link", 1.0,
                    f"{len(run)} short lines in a row between prose; "
                    f"{shared} of {total} words found elsewhere")
