"""Stage 4: a loose metadata header at the top of a text, into fields and out of the text.

Recognised: YAML front matter between ``---`` lines; ``key: value`` lines with known keys
(data/headers.toml); a date key followed by a date, on its own line or glued to the first
sentence (``date 2025-02 Elon Musk ...``). A date key must be followed by a real date, so
prose that merely starts with "Date", "Datum" or "Data" is left alone.
"""

from __future__ import annotations

import regex

from .dates import parse_date
from .models import Header, Removal
from .normalize import Line, raw_offset
from .vocab import header_keys

MAX_HEADER_LINES = 30
MAX_VALUE_CHARS = 300
FRONT_MATTER_FENCE = "---"
_KEY_VALUE = regex.compile(r"^(?P<key>[^\W\d_][\w .-]{0,30}?)\s*[:=]\s*(?P<value>.*)$")
#: ``\s*:?\s+`` written without the ambiguity between its two runs of spaces (linear).
_LOOSE_DATE = regex.compile(r"(?P<key>[^\W\d_][\w .-]{0,30}?)(?:\s*+:\s++|\s++)(?=\d|\p{L})")

EMPTY = Header(fields={}, date=None, title=None, removals=(), consumed=0)


def parse_header(lines: list[Line]) -> tuple[Header, int, int]:
    """Find a header; returns (header, index of the first line after it, characters of that
    line the header took). Lines are the normalized lines of the whole text.

    >>> from cleaner.normalize import split_lines
    >>> h, i, cut = parse_header(split_lines(" date 2025-02 Elon Musk und der Chef"))
    >>> h.date, h.fields, i, cut, h.removals[0].text
    ('2025-02', {'date': '2025-02'}, 0, 12, 'date 2025-02')
    >>> parse_header(split_lines("Date palms grow in the desert."))[0].date is None
    True
    """
    first = next((i for i, line in enumerate(lines) if line.text), None)
    if first is None:
        return EMPTY, 0, 0
    if lines[first].text == FRONT_MATTER_FENCE:
        found = _front_matter(lines, first)
        if found is not None:
            return found
    return _header_lines(lines, first)


def _front_matter(lines: list[Line], first: int) -> tuple[Header, int, int] | None:
    fields: dict[str, str] = {}
    for i in range(first + 1, min(len(lines), first + MAX_HEADER_LINES)):
        text = lines[i].text
        if text == FRONT_MATTER_FENCE:
            header = _make_header(fields, lines[first:i + 1], "header.front_matter")
            return header, i + 1, 0
        match = _KEY_VALUE.match(text)
        if match:
            fields[match["key"].strip().lower()] = _unquote(match["value"].strip())
        elif text and not text.startswith(("#", "-", " ")):
            return None
    return None


def _header_lines(lines: list[Line], first: int) -> tuple[Header, int, int]:
    fields: dict[str, str] = {}
    used: list[Line] = []
    i = first
    while i < len(lines) and len(used) < MAX_HEADER_LINES:
        line = lines[i]
        if not line.text:
            i += 1
            continue
        key_value = _field(line.text)
        if key_value is not None:
            fields.setdefault(*key_value)
            used.append(line)
            i += 1
            continue
        glued = _glued_date(line.text)
        if glued is not None:
            key, value, cut = glued
            fields.setdefault(key, value)
            if cut >= len(line.text):  # "date 2025-02" on a line of its own
                used.append(line)
                i += 1
                continue
            header = _make_header(fields, used, "header.fields", glued_line=line, cut=cut)
            return header, i, cut
        break
    if not used:
        return EMPTY, 0, 0
    return _make_header(fields, used, "header.fields"), i, 0


def _field(text: str) -> tuple[str, str] | None:
    """``key: value`` with a known key; a date key needs a date, and all of the value is it."""
    match = _KEY_VALUE.match(text)
    if match is None:
        return None
    key, value = match["key"].strip().lower(), match["value"].strip()
    canonical = header_keys().get(key)
    if canonical is None or not value or len(value) > MAX_VALUE_CHARS:
        return None
    if canonical == "date":
        parsed = parse_date(value)
        if parsed is None or value[parsed[1]:].strip(" .,"):
            return None
    return key, _unquote(value)


def _glued_date(text: str) -> tuple[str, str, int] | None:
    """``date 2025-02 Elon Musk ...``: (key, date as written, characters the header takes).
    A second date header right after the first ("date 2025-02 datum 2025-03 ...") goes too.

    >>> _glued_date("date 2025-02 Elon Musk")
    ('date', '2025-02', 12)
    """
    found = _one_glued_date(text, 0)
    if found is None:
        return None
    key, value, end = found
    while (more := _one_glued_date(text, len(text) - len(text[end:].lstrip()))) is not None:
        end = more[2]
    return key, value, end


def _one_glued_date(text: str, pos: int) -> tuple[str, str, int] | None:
    match = _LOOSE_DATE.match(text, pos)
    if match is None or header_keys().get(match["key"].strip().lower()) != "date":
        return None
    parsed = parse_date(text[match.end():])
    if parsed is None:
        return None
    end = match.end() + parsed[1]
    if len(parsed[0]) == len("2024") and text[end:].strip():
        return None  # a year and more words: prose ("Data 2023 show a rise"), not "date 2025-02 ..."
    return match["key"].strip().lower(), text[match.end():end], end


def _make_header(fields: dict[str, str], used: list[Line], rule: str,
                 glued_line: Line | None = None, cut: int = 0) -> Header:
    keys = header_keys()
    date = next((parse_date(v)[0] for k, v in fields.items()  # type: ignore[index]
                 if keys.get(k) == "date" and parse_date(v)), None)
    title = next((v for k, v in fields.items() if keys.get(k) == "title"), None)
    removals = [Removal(text=line.raw.strip(), kind="metadata-header", rules=(rule,), line=line.number,
                        start=line.start + len(line.raw) - len(line.raw.lstrip()),
                        end=line.start + len(line.raw.rstrip()), detail="metadata header line")
                for line in used]
    if glued_line is not None:
        begin = raw_offset(glued_line.raw, glued_line.text, 0)
        stop = raw_offset(glued_line.raw, glued_line.text, cut)
        removals.append(Removal(text=glued_line.raw[begin:stop], kind="metadata-header",
                                rules=("header.date",), line=glued_line.number,
                                start=glued_line.start + begin, end=glued_line.start + stop,
                                detail="date header glued to the first sentence"))
    return Header(fields=dict(fields), date=date, title=title, removals=tuple(removals), consumed=0)


def _unquote(value: str) -> str:
    if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
        return value[1:-1]
    return value
