"""Stage 5: group normalized lines into blocks (paragraphs, list items, headings).

Blank lines separate groups. Inside a group each line is a block of its own (one paragraph
per line is common in scraped text), except that hard-wrapped prose, a line that continues
the sentence of the line before, is joined to it. A line that repeats the line before it
exactly (an image caption printed twice) is never continued: joined to the next line, the copy
would no longer be seen as a copy. Nor is a table row (``| a | b |``, as HTML extraction writes
one): the next row, a one-cell row written as plain text, is not the rest of its sentence.
Nor are the lines of verse (``verse_lines``): a poem's lines are short and of every length,
while hard-wrapped prose fills its width.

Text hard-wrapped at a fixed width (mail, plain-text archives, ``fmt``) breaks a sentence
before any word, a name or a number as well as a lowercase word: in a document whose lines
read as filled to one width (``wrap_width``), a line that the next line's first word would not
have fitted on is continued by that line whatever its first character.
"""

from __future__ import annotations

from itertools import pairwise

from .models import Block, Piece
from .normalize import Line, normalize_line
from .rules import patterns as P

END_WINDOW = 64
#: Hard wrapping is recognized from this many lines that are followed by another line, and
#: this share of the document's lines (a wrapped text is mostly such lines; one of single-line
#: paragraphs with a few lines in a row between them, a menu or a list of links, is not) ...
WRAP_MIN_LINES = 3
WRAP_MIN_INNER_SHARE = 0.5
#: ... at a width of this many characters at least (a column of short lines is a menu or a
#: list) and at most (longer lines are paragraphs of their own) ...
WRAP_MIN_WIDTH = 30
WRAP_MAX_WIDTH = 120
#: ... when at least this share of them are full: the next line's first word would not fit.
WRAP_MIN_SHARE = 0.75
#: A full line is filled to at least this share of the width (not a short line before a long
#: word such as an address).
WRAP_MIN_FILL = 0.6
#: ... and when this share of the full lines at least are followed by a line that does not start
#: with a capital: a wrapped sentence goes on mostly in lowercase words, while a list of titles,
#: links or menu items of much the same length (each starts with a capital) is no paragraph.
WRAP_MIN_LOWER_SHARE = 0.3
#: Verse: a run of this many short lines at least (two short lines may be one wrapped sentence),
#: none longer than VERSE_MAX_CHARS characters, of which fewer than this share are full (a poem's
#: lines are of every length; hard-wrapped prose fills its width).
VERSE_MIN_LINES = 3
VERSE_MAX_CHARS = 60
VERSE_MAX_FULL_SHARE = 0.5


def wrap_width(lines: list[Line]) -> int:
    """The width a document's text is hard-wrapped at, or 0 when it does not read as wrapped.

    Greedy wrapping (what editors, mail programs, ``fmt`` and ``textwrap`` do) breaks a line
    where the next word would pass the width: nearly every line followed by another line of
    its paragraph is "full" at the width of the longest of them. One paragraph per line, a
    menu, a poem or a list has lines of every length, most of them not full; a list of titles
    of one length starts each line with a capital.

    >>> lines = [Line(i, 0, "", t, False) for i, t in enumerate(
    ...     ["Readers queued in the rain before the doors", "opened at nine. Margaret Ellis, who has",
    ...      "borrowed books there since 1974, said the", "new reading room was brighter than she", "had hoped.", ""], 1)]
    >>> wrap_width(lines)
    43
    >>> wrap_width([Line(i, 0, "", t, False) for i, t in enumerate(["Home", "News", "Sport", "Contact us"], 1)])
    0
    >>> wrap_width([Line(i, 0, "", t, False) for i, t in enumerate(
    ...     ["Council approves the budget for new schools", "Storm closes the coast road for two days",
    ...      "Library opens its new reading room today", "Festival returns to the old market square"], 1)])
    0
    """
    inner = [(a.text, b.text) for a, b in zip(lines, lines[1:]) if a.text and b.text]
    if len(inner) < WRAP_MIN_LINES or len(inner) < WRAP_MIN_INNER_SHARE * sum(1 for a in lines if a.text):
        return 0
    width = max(len(a) for a, _ in inner)
    if not WRAP_MIN_WIDTH <= width <= WRAP_MAX_WIDTH:
        return 0
    full = [b for a, b in inner if _full(a, b, width)]
    if len(full) < WRAP_MIN_LINES or len(full) < WRAP_MIN_SHARE * len(inner):
        return 0
    lower = sum(1 for b in full if not b[:1].isupper())
    return width if lower >= WRAP_MIN_LOWER_SHARE * len(full) else 0


def verse_lines(lines: list[Line]) -> frozenset[int]:
    """The indices of lines in verse (a poem, lyrics): runs of VERSE_MIN_LINES lines or more,
    none of them longer than VERSE_MAX_CHARS characters, that do not fill one width as
    hard-wrapped prose does (fewer than VERSE_MAX_FULL_SHARE of them are full, see ``_full``).
    A verse line that goes on in lowercase is a line of its own, not the rest of a sentence.

    >>> poem = ["I wandered lonely as a cloud", "that floats on high o'er vales and hills,",
    ...         "when all at once I saw a crowd,", "a host, of golden daffodils;"]
    >>> sorted(verse_lines([Line(i, 0, "", t, False) for i, t in enumerate(poem, 1)]))
    [0, 1, 2, 3]
    >>> prose = ["Readers queued in the rain before the doors", "opened at nine. Margaret Ellis, who has",
    ...          "borrowed books there since 1974, said the", "new reading room was brighter than she"]
    >>> sorted(verse_lines([Line(i, 0, "", t, False) for i, t in enumerate(prose, 1)]))
    []
    """
    found: set[int] = set()
    start = 0
    for end in range(len(lines) + 1):
        if end < len(lines) and lines[end].text and not lines[end].is_list_item \
                and len(lines[end].text) <= VERSE_MAX_CHARS:
            continue
        run = [line.text for line in lines[start:end]]
        if len(run) >= VERSE_MIN_LINES:
            width = max(len(t) for t in run)
            full = sum(1 for a, b in pairwise(run) if _full(a, b, width))
            if full < VERSE_MAX_FULL_SHARE * (len(run) - 1):
                found.update(range(start, end))
        start = end + 1
    return frozenset(found)


def _full(previous: str, following: str, width: int) -> bool:
    """Would the first word of ``following`` not have fitted on ``previous`` at ``width``?"""
    first = following.split(" ", 1)[0]
    return WRAP_MIN_FILL * width <= len(previous) <= width < len(previous) + 1 + len(first)


def continues(previous: str, line: Line, previous_line: str | None = None, width: int = 0) -> bool:
    """Is ``line`` the continuation of a hard-wrapped sentence ending in ``previous``?
    ``previous_line`` is the last line of ``previous``; ``width`` that of a hard-wrapped
    document (``wrap_width``), where a full line is continued by the next one.

    >>> continues("The protests began peacefully in", Line(2, 0, "", "June and went on.", False))
    False
    >>> continues("The protests began peacefully and", Line(2, 0, "", "went on for months.", False))
    True
    >>> continues("| Tore | 2 |", Line(2, 0, "", "ohne Angabe der Quelle", False))
    False
    >>> continues("The protests began peacefully in", Line(2, 0, "", "June and went on.", False),
    ...           "The protests began peacefully in", 34)
    True
    """
    if previous[:1] == "|" and previous[-1:] == "|":  # a table row
        return False
    if width and previous_line is not None and not line.is_list_item \
            and _full(previous_line, line.text, width):
        return True
    # only the end of ``previous`` can match: searching all of it is quadratic when thousands of
    # lines join into one block (normalized text has no long runs of whitespace)
    closed = P.LINE_END_CLOSED.search(previous, max(0, len(previous) - END_WINDOW))
    if line.is_list_item or closed or P.URL_START.match(line.text):
        return False
    return bool(P.STARTS_LOWER.match(line.text))


def segment(lines: list[Line], first_cut: int = 0) -> list[Block]:
    """Blocks of the non-blank lines; ``first_cut`` characters of the first non-blank line
    were taken by a header and are not part of any block.
    """
    blocks: list[Block] = []
    pieces: list[Piece] = []
    text = ""
    is_item = False
    group = 0
    first = True
    previous_line = None  # the text of the last non-blank line
    repeat = False  # the current block is one line that repeats the line before it
    width = wrap_width(lines)
    verse = verse_lines(lines)

    def flush() -> None:
        nonlocal pieces, text, is_item
        if len(pieces) > 1 and not is_item:
            # normalize the joined text again, so that cleaning the output changes nothing:
            # "+" then "a" reads as a bullet item, "...Â" then "a" as mojibake of a NBSP
            text, is_item = normalize_line(text)
        if pieces:
            blocks.append(Block(len(blocks), text, tuple(pieces), is_item, group))
        pieces, text = [], ""

    for index, line in enumerate(lines):
        if not line.text:
            flush()
            group += 1
            continue
        piece_text, raw_start, raw = line.text, line.start, line.raw
        if first and first_cut:
            piece_text, raw_start, raw = _cut_prefix(line, first_cut)
            if not piece_text:
                first = False
                continue
        first = False
        if pieces and _cut_inside_a_word(pieces[-1], line):
            # a long input line cut where it has no whitespace (normalize.cut_line): the two
            # pieces are one word of the input, joined again as they were, without a space
            pieces.append(Piece(len(text), piece_text, raw_start, raw, line.number, line.brk))
            text += piece_text
            previous_line = piece_text
            continue
        in_verse = index in verse and index - 1 in verse  # a line of a poem after another
        if pieces and not repeat and not in_verse and continues(text, line, previous_line, width):
            text += " "
            pieces.append(Piece(len(text), piece_text, raw_start, raw, line.number, line.brk))
            text += piece_text
            previous_line = piece_text
            continue
        flush()
        is_item = line.is_list_item
        pieces = [Piece(0, piece_text, raw_start, raw, line.number, line.brk)]
        text = piece_text
        repeat = piece_text == previous_line
        previous_line = piece_text
    flush()
    return blocks


def _cut_inside_a_word(previous: Piece, line: Line) -> bool:
    """Is ``line`` the rest of the input line of ``previous``, cut where there was no
    whitespace?"""
    return previous.line == line.number and bool(previous.raw) and not previous.raw[-1].isspace() \
        and bool(line.raw) and not line.raw[0].isspace()


def _cut_prefix(line: Line, cut: int) -> tuple[str, int, str]:
    from .normalize import raw_offset

    rest = line.text[cut:].lstrip()
    if not rest:
        return "", line.start, line.raw
    raw_cut = raw_offset(line.raw, line.text, len(line.text) - len(rest))
    return rest, line.start + raw_cut, line.raw[raw_cut:]
