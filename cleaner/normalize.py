"""Stage 3: normalize one line at a time, so every block keeps its place in the input.

ftfy fixes mojibake and HTML entities (quotes are never straightened), then NFC, invisible
characters out, space-like characters to spaces, whitespace collapsed, bullets written "- ".
Wording, typographic quotes and numbers are never changed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, replace
from functools import cache

import regex

from .config import MAX_LINE_CHARS_DEFAULT
from .rules import patterns as P


@dataclass(frozen=True, slots=True)
class Line:
    """One input line: where it is, what it was, and its normalized text."""

    number: int  # 1-based
    start: int  # offset of the raw line in the input text
    raw: str
    text: str  # normalized; "" for a blank line
    is_list_item: bool
    #: the line break that ends it in the input ("" at the end of the text, and inside a long
    #: line cut into pieces): a removal of several lines is the input as written, breaks and all
    brk: str = ""


@cache
def _ftfy_config():  # type: ignore[no-untyped-def]
    import ftfy

    return ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, normalization="NFC",
                                fix_line_breaks=False, explain=False)


def fix_text(text: str) -> str:
    """Fix mojibake and entities where there are any; the common clean line costs one regex scan.

    >>> fix_text("SchÃ¶ne GrÃ¼ÃŸe &amp; mehr")
    'Schöne Grüße & mehr'
    >>> fix_text("„Betrüger“ nannte er ihn")
    '„Betrüger“ nannte er ihn'
    """
    if text.isascii() and "&" not in text:
        return text
    if needs_ftfy(text):
        import ftfy

        text = ftfy.fix_text(text, _ftfy_config())
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


def needs_ftfy(text: str) -> bool:
    """Mojibake or an HTML entity that ftfy may fix (P.NEEDS_FTFY), after a quick scan for the
    characters such a match starts with."""
    return P.NEEDS_FTFY_START.search(text) is not None and P.NEEDS_FTFY.search(text) is not None


def touched(text: str) -> bool:
    """``P.TOUCHED.search(text)``: would one of the four substitutions change the line? Every
    character of its class is a control, format or space character other than " ", none of them
    printable: a printable line (most) is looked at for two spaces only, without the regular
    expression's class test at every character.

    >>> touched("ein Satz"), touched("ein  Satz"), touched("ein\u00a0Satz")
    (False, True, True)
    """
    if "  " in text:
        return True
    return not text.isprintable() and P.TOUCHED.search(text) is not None


def normalize_line(raw: str) -> tuple[str, bool]:
    """Normalize one line; returns (text, is_list_item).

    >>> normalize_line("  •\\u00a0Elon  Musk\\u200b ist da ")
    ('- Elon Musk ist da', True)
    >>> normalize_line("1. Define early retirement")
    ('1. Define early retirement', True)
    """
    if raw.isascii():
        if "&" not in raw and not touched(raw):
            return normalize_bullet(raw.strip())  # the common line: nothing to fix, no pass changes it
    elif not needs_ftfy(raw) and not touched(raw) and unicodedata.is_normalized("NFC", raw):
        return normalize_bullet(raw.strip())  # the same for a clean line in NFC
    text = _normalize_once(raw)
    for _ in range(MAX_FIX_PASSES - 1):
        # ftfy can judge a line differently once its spaces are normalized ("0\u00a0Â\x91"):
        # repeat while it still changes something, so that cleaning clean output changes nothing
        if not needs_ftfy(text):
            break
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return normalize_bullet(text)


#: Normalization passes at most (a second one only runs on a line ftfy may still change).
MAX_FIX_PASSES = 3


def _normalize_once(raw: str) -> str:
    text: str = fix_text(raw)
    if not touched(text):
        return text.strip()
    text = P.CONTROL.sub("", text)
    text = P.INVISIBLE.sub("", text)
    text = P.SPACE_LIKE.sub(" ", text)
    text = P.MULTI_SPACE.sub(" ", text)
    return text.strip()


def normalize_bullet(text: str) -> tuple[str, bool]:
    """Write a leading bullet as "- "; returns (text, is_list_item).

    >>> normalize_bullet("+49 30 1234 is the number")
    ('+49 30 1234 is the number', False)
    """
    if not text:
        return text, False  # a blank line
    bullet = P.BULLET.match(text)
    if bullet:
        return "- " + text[bullet.end():], True
    return text, bool(P.NUMBERED_ITEM.match(text))


#: A cut looks for whitespace in the last this share of the allowed length.
_CUT_SEARCH_SHARE = 0.5


def split_lines(text: str, max_line_chars: int = MAX_LINE_CHARS_DEFAULT) -> list[Line]:
    """Split the input into normalized lines with their offsets.

    A line longer than ``max_line_chars`` (0: no limit) is cut, before normalization, into
    pieces of at most that many characters, at the last whitespace before the limit where the
    rest does not read as a list item (at the limit itself when there is no such whitespace in
    its second half). Each piece is a line of its
    own with the same line number; nothing is dropped. A sentence cut in the middle is joined
    again by the segmenter when the next piece starts in lowercase.

    >>> [(l.number, l.start, l.text) for l in split_lines("a\\r\\n\\n b")]
    [(1, 0, 'a'), (2, 3, ''), (3, 4, 'b')]
    >>> [(l.number, l.start, l.text) for l in split_lines("one two three four", 9)]
    [(1, 0, 'one two'), (1, 8, 'three'), (1, 14, 'four')]
    """
    lines: list[Line] = []
    pos = 0
    number = 1
    for brk in P.LINE_BREAK.finditer(text):
        _add(lines, number, pos, text[pos:brk.start()], max_line_chars, brk.group())
        pos = brk.end()
        number += 1
    if pos < len(text) or not lines:
        _add(lines, number, pos, text[pos:], max_line_chars)
    _dialogue_dashes(lines)
    return lines


#: A dash that opens a line as a bullet or, in Swedish, Danish, Polish, Czech, Finnish, ... news,
#: as the quotation mark of what someone says.
DIALOGUE_DASH = "–"


def _dialogue_dashes(lines: list[Line]) -> None:
    """A line opened by an en dash is a list item next to another item; alone, it is what
    someone says ("– Vi ser att inflationen faller, säger hon."), and its dash is kept as
    written: the quotation mark of those languages is not a bullet.

    >>> [l.text for l in split_lines("– Vi ser det, säger hon.\\n\\n– a\\n– b\\n")]
    ['– Vi ser det, säger hon.', '', '- a', '- b']
    """
    for i, line in enumerate(lines):
        dash_item = line.is_list_item and line.text.startswith("- ")
        if not (dash_item and line.raw.lstrip().startswith(DIALOGUE_DASH)):
            continue
        if any(0 <= j < len(lines) and lines[j].is_list_item for j in (i - 1, i + 1)):
            continue
        lines[i] = replace(line, text=DIALOGUE_DASH + line.text[1:], is_list_item=False)


def _add(lines: list[Line], number: int, start: int, raw: str, limit: int, brk: str = "") -> None:
    if limit <= 0 or len(raw) <= limit:
        lines.append(_line(number, start, raw, brk))
        return
    pieces = cut_line(raw, limit)
    for n, (offset, piece) in enumerate(pieces, 1):
        lines.append(_line(number, start + offset, piece, brk if n == len(pieces) else ""))


def cut_line(raw: str, limit: int) -> list[tuple[int, str]]:
    """(offset, piece) of a line cut at whitespace into pieces of at most ``limit`` characters.

    >>> cut_line("aaaa bb cccccccc", 6)
    [(0, 'aaaa '), (5, 'bb '), (8, 'cccccc'), (14, 'cc')]
    >>> cut_line("ein langer Satz – so weit", 17)  # not before the dash: it would read as a bullet
    [(0, 'ein langer '), (11, 'Satz – so weit')]
    """
    pieces: list[tuple[int, str]] = []
    pos = 0
    floor = max(1, int(limit * _CUT_SEARCH_SHARE))
    while len(raw) - pos > limit:
        window = raw[pos:pos + limit]
        space = _last_space(window, len(window))
        while space >= floor - 1 and _reads_as_item(raw, pos + space + 1):
            space = _last_space(window, space)
        end = pos + space + 1 if space >= floor - 1 else pos + limit
        pieces.append((pos, raw[pos:end]))
        pos = end
    pieces.append((pos, raw[pos:]))
    return pieces


def _last_space(window: str, before: int) -> int:
    return max(window.rfind(" ", 0, before), window.rfind("\t", 0, before), window.rfind("\u00a0", 0, before),
               window.rfind("\u3000", 0, before))


#: Characters of a piece's start that tell whether it reads as a list item.
_ITEM_PEEK = 64


def _reads_as_item(raw: str, at: int) -> bool:
    """Would a piece starting at ``at`` read as a list item ("– so", "z. B.")? A cut there
    would turn a dash inside a sentence into a "- " bullet and the rest of the sentence into
    a list item of its own."""
    return normalize_bullet(raw[at:at + _ITEM_PEEK].strip())[1]


def _line(number: int, start: int, raw: str, brk: str) -> Line:
    norm, is_item = normalize_line(raw)
    return Line(number, start, raw, norm, is_item, brk)


#: Lines up to this long may be aligned with difflib when the linear walk cannot follow a
#: change (ftfy, a bullet); difflib's cost grows with the cube of the length on repetitive text.
DIFF_MAX_CHARS = 400
#: Characters normalization removes or rewrites: skipped while walking the raw line.
_DROPPED = regex.compile(r"\s|[\u200b\u2060-\u2064\ufeff\u00ad\u200e\u200f\x00-\x08\x0e-\x1f\x7f-\x9f]")
#: A stretch of this many equal characters re-synchronizes the walk after a rewritten piece.
_SYNC_CHARS = 3
_SYNC_WINDOW = 12


def raw_offset(raw: str, norm: str, index: int) -> int:
    """Map an offset in a normalized line back to the raw line it came from.

    Linear in the length of the line: a walk over both strings that skips what normalization
    removed and re-synchronizes after short rewritten pieces (mojibake, entities, bullets).

    >>> raw_offset("  date 2025-02 Elon", "date 2025-02 Elon", 12)
    14
    >>> raw_offset("a\u200b\u00a0 b &amp; c", "a b & c", 4)
    6
    """
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    if stripped == norm:
        return lead + index
    found = _walk(raw, norm, index)
    if found is not None:
        return found
    if len(raw) <= DIFF_MAX_CHARS:
        return _diff_offset(raw, norm, index)
    return min(len(raw), lead + round(index * len(stripped) / max(1, len(norm))))


def _same(r: str, c: str) -> bool:
    return r == c or (c == " " and r.isspace()) or (c == " " and r in "\u00a0\u202f\u2007\u3000\u205f")


def _walk(raw: str, norm: str, index: int) -> int | None:
    """Raw offset of ``norm[index]`` by walking both strings; None when the walk gets lost."""
    i = j = 0
    n, m = len(raw), len(norm)
    while True:
        while i < n and j < m and _same(raw[i], norm[j]) and j < index:
            i += 1
            j += 1
        if j >= index:
            if j >= m:
                return i
            # skip what was removed before norm[index]; a rewritten piece starts here
            while i < n and not _same(raw[i], norm[j]) and _DROPPED.match(raw[i]):
                i += 1
            return i
        if i >= n:
            return None
        if _DROPPED.match(raw[i]):
            i += 1
            continue
        sync = _resync(raw, norm, i, j)
        if sync is None:
            return None
        if index < sync[1]:
            return i  # inside a rewritten piece: its start (as difflib's "replace")
        i, j = sync


def _resync(raw: str, norm: str, i: int, j: int) -> tuple[int, int] | None:
    """The nearest (i', j') after a rewritten piece where both strings agree again."""
    for total in range(1, 2 * _SYNC_WINDOW + 1):
        for a in range(max(0, total - _SYNC_WINDOW), min(total, _SYNC_WINDOW) + 1):
            b = total - a
            ri, nj = i + a, j + b
            if ri > len(raw) or nj > len(norm):
                continue
            want = min(_SYNC_CHARS, len(norm) - nj)
            if want == 0:
                return (len(raw), nj) if not raw[ri:].strip() else None
            if raw[ri:ri + want] == norm[nj:nj + want]:
                return ri, nj
    return None


def _diff_offset(raw: str, norm: str, index: int) -> int:
    import difflib

    matcher = difflib.SequenceMatcher(None, raw, norm, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= index < j2 or (index == j2 and tag == "equal"):
            return i1 + min(index - j1, max(i2 - i1, 0)) if tag == "equal" else i1
    return len(raw)
