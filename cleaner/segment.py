"""Stage 5: group normalized lines into blocks (paragraphs, list items, headings).

Blank lines separate groups. Inside a group each line is a block of its own (one paragraph
per line is common in scraped text), except that hard-wrapped prose, a line that continues
the sentence of the line before, is joined to it. A line that repeats the line before it
exactly (an image caption printed twice) is never continued: joined to the next line, the copy
would no longer be seen as a copy. Nor is a table row (``| a | b |``, as HTML extraction writes
one): the next row, a one-cell row written as plain text, is not the rest of its sentence.
"""

from __future__ import annotations

from .models import Block, Piece
from .normalize import Line, normalize_line
from .rules import patterns as P

END_WINDOW = 64


def continues(previous: str, line: Line) -> bool:
    """Is ``line`` the continuation of a hard-wrapped sentence ending in ``previous``?

    >>> continues("The protests began peacefully in", Line(2, 0, "", "June and went on.", False))
    False
    >>> continues("The protests began peacefully and", Line(2, 0, "", "went on for months.", False))
    True
    >>> continues("| Tore | 2 |", Line(2, 0, "", "ohne Angabe der Quelle", False))
    False
    """
    if previous[:1] == "|" and previous[-1:] == "|":  # a table row
        return False
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

    def flush() -> None:
        nonlocal pieces, text, is_item
        if len(pieces) > 1 and not is_item:
            # normalize the joined text again, so that cleaning the output changes nothing:
            # "+" then "a" reads as a bullet item, "...Â" then "a" as mojibake of a NBSP
            text, is_item = normalize_line(text)
        if pieces:
            blocks.append(Block(len(blocks), text, tuple(pieces), is_item, group))
        pieces, text = [], ""

    for line in lines:
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
        if pieces and not repeat and continues(text, line):
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
