"""Stage 3: normalize one line at a time, so every block keeps its place in the input.

ftfy fixes mojibake and HTML entities (quotes are never straightened), then NFC, invisible
characters out, space-like characters to spaces, whitespace collapsed, bullets written "- ".
Wording, typographic quotes and numbers are never changed.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import cache

from .rules import patterns as P


@dataclass(frozen=True, slots=True)
class Line:
    """One input line: where it is, what it was, and its normalized text."""

    number: int  # 1-based
    start: int  # offset of the raw line in the input text
    raw: str
    text: str  # normalized; "" for a blank line
    is_list_item: bool


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
    if P.NEEDS_FTFY.search(text):
        import ftfy

        text = ftfy.fix_text(text, _ftfy_config())
    return unicodedata.normalize("NFC", text) if not text.isascii() else text


def normalize_line(raw: str) -> tuple[str, bool]:
    """Normalize one line; returns (text, is_list_item).

    >>> normalize_line("  •\\u00a0Elon  Musk\\u200b ist da ")
    ('- Elon Musk ist da', True)
    >>> normalize_line("1. Define early retirement")
    ('1. Define early retirement', True)
    """
    text = fix_text(raw)
    text = P.CONTROL.sub("", text)
    text = P.INVISIBLE.sub("", text)
    text = P.SPACE_LIKE.sub(" ", text)
    return normalize_bullet(P.MULTI_SPACE.sub(" ", text).strip())


def normalize_bullet(text: str) -> tuple[str, bool]:
    """Write a leading bullet as "- "; returns (text, is_list_item).

    >>> normalize_bullet("+49 30 1234 is the number")
    ('+49 30 1234 is the number', False)
    """
    bullet = P.BULLET.match(text)
    if bullet:
        return "- " + text[bullet.end():], True
    return text, bool(P.NUMBERED_ITEM.match(text))


def split_lines(text: str) -> list[Line]:
    """Split the input into normalized lines with their offsets.

    >>> [(l.number, l.start, l.text) for l in split_lines("a\\r\\n\\n b")]
    [(1, 0, 'a'), (2, 3, ''), (3, 4, 'b')]
    """
    lines: list[Line] = []
    pos = 0
    number = 1
    for brk in P.LINE_BREAK.finditer(text):
        lines.append(_line(number, pos, text[pos:brk.start()]))
        pos = brk.end()
        number += 1
    if pos < len(text) or not lines:
        lines.append(_line(number, pos, text[pos:]))
    return lines


def _line(number: int, start: int, raw: str) -> Line:
    norm, is_item = normalize_line(raw)
    return Line(number, start, raw, norm, is_item)


def raw_offset(raw: str, norm: str, index: int) -> int:
    """Map an offset in a normalized line back to the raw line it came from.

    >>> raw_offset("  date 2025-02 Elon", "date 2025-02 Elon", 12)
    14
    """
    stripped = raw.strip()
    lead = len(raw) - len(raw.lstrip())
    if stripped == norm:
        return lead + index
    import difflib

    matcher = difflib.SequenceMatcher(None, raw, norm, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if j1 <= index < j2 or (index == j2 and tag == "equal"):
            return i1 + min(index - j1, max(i2 - i1, 0)) if tag == "equal" else i1
    return len(raw)
