"""JSON lines in and out, without encoding again what a record already holds as JSON.

A record that carries a whole HTML page spends about a millisecond a page in the json module:
half decoding the line, half encoding the page again for the output line, although that field
leaves unchanged. :func:`loads` reads a line as ``json.loads`` does and also notes where each
long string field's JSON text is in the line; :func:`dumps_record` writes a record with those
bytes copied back where the field still holds the same string. The output is byte for byte
``dumps(record)`` encoded: a field's text is copied only when encoding its string again gives
that text, i.e. when its only escapes are ones ``json.dumps(..., ensure_ascii=False)`` writes.

Numbers are the exception to ``dumps(record)``: a field is kept as it was, and a number read as
a float does not always say what the line said (1E400 is infinite, written null;
0.1000000000000000055511151231257827 is 0.1; 1e5 is 100000.0; ``-0`` is 0). A field holding a
number whose text ``dumps`` would not give back is written as ``dumps`` writes it but with each
number's text as it is in the line (see ``_object`` for how such numbers are found cheaply).
"""

from __future__ import annotations

import base64
import json
import math
import re
from json.decoder import scanstring  # type: ignore[attr-defined]  # (not in typeshed)
from typing import Any

#: String fields at least this long keep their text from the input line (shorter ones cost
#: less to encode again than to locate and check).
RAW_MIN_CHARS = 1024

#: An escaped backslash, or an escape ``json.dumps(..., ensure_ascii=False)`` never writes:
#: "\/", or a "\u" that is not one of the control characters without a short form (it writes
#: \b, \t, \n, \f and \r for those, lowercase hex for the rest). Read left to right, escaped
#: backslashes are consumed in pairs, so a backslash is always seen where its escape begins.
_ESCAPED_BACKSLASH = b"\\\\"
_PAIR_OR_FOREIGN = re.compile(rb"\\(?:\\|/|u(?!00(?:0[0-7bef]|1[0-9a-f])))")

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_scan_value = json.JSONDecoder().scan_once  # type: ignore[attr-defined]


class _NotAsWritten(Exception):
    """A number whose JSON text ``dumps`` would not write again (raised while scanning)."""


def _float_as_written(text: str) -> float:
    """``float(text)``, for json's scanner; raises _NotAsWritten unless ``dumps`` writes the
    float as ``text`` (it writes its repr)."""
    value = float(text)
    if repr(value) != text:
        raise _NotAsWritten
    return value


#: json's scanner as ``json.loads`` has it, but refusing floats that are not written back
#: as they are. Integers need no check but "-0" (the int 0): see _MINUS_ZERO.
_scan_checked = json.JSONDecoder(parse_float=_float_as_written).scan_once  # type: ignore[attr-defined]

#: Where a container's text may hold the integer "-0" (or a string "-0"; then its field is
#: merely written the slow way, to the same bytes).
_MINUS_ZERO = re.compile(r"-0(?![0-9.eE])")


#: What JSON lacks and json.loads reads as floats (``dumps`` writes them as null).
_CONSTANTS = frozenset({"NaN", "Infinity", "-Infinity"})


#: A number read as its text between two DEL characters, by a C function (no Python call a
#: number): ``dumps`` writes it as the string ``"\x7fTEXT\x7f"``, and taking out ``"\x7f`` and
#: ``\x7f"`` leaves the number's text where it is, unless another string of the value holds a
#: DEL (_marks_unsure says where one may). ASCII, so that the texts keep their cheap form.
_MARK = "\x7f"
_mark = (_MARK + "{}" + _MARK).format
_scan_marked_floats = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_float=_mark, parse_constant=lambda _: None).scan_once
_scan_marked = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_float=_mark, parse_int=_mark, parse_constant=lambda _: None).scan_once


def _marks_unsure(text: str, start: int, end: int) -> bool:
    """May a string in ``text[start:end]`` hold a DEL (raw, or as an escape: "\\u007f", or
    any "\\u007", to look for one thing only)?"""
    return text.find(_MARK, start, end) >= 0 or text.find("\\u007", start, end) >= 0


def _as_written(text: str, start: int, ints: bool = True) -> str:
    r"""The JSON value at ``start`` as ``dumps`` writes it (compact; NaN and infinity as
    null), but each number as its text there (with ``ints`` false, floats only: the integers
    must then all be written as ``dumps`` writes them, i.e. none be "-0"). No number is turned
    into a float and back to a decimal text, which costs most.

    >>> _as_written('{"a": [1e5, -0, NaN, "\\u00e9\\u0000"], "a": 1.50}', 0)
    '{"a":1.50}'
    >>> _as_written('[1e5, -0, -Infinity, "\\u00e9\\u0000", {}, [], {"b": [1.0E+2]}]', 0)
    '[1e5,-0,null,"é\\u0000",{},[],{"b":[1.0E+2]}]'
    >>> _as_written('["\\u007F", 1e5, "\x7f"]', 0) == '["\x7f",1e5,"\x7f"]'
    True
    """
    value, end = (_scan_marked if ints else _scan_marked_floats)(text, start)
    if not _marks_unsure(text, start, end):
        return dumps(value).replace('"' + _MARK, "").replace(_MARK + '"', "")
    return _as_written_slowly(_scan_as_written(text, start)[0])


class _Written(str):
    """JSON text to write as it is: a number as the line has it, or punctuation."""


_scan_as_written = json.JSONDecoder(  # type: ignore[attr-defined]
    parse_float=_Written, parse_int=_Written, parse_constant=lambda _: None).scan_once


def _as_written_slowly(value: Any) -> str:
    """``_as_written`` of a value read by ``_scan_as_written``, a value at a time (for a text
    that may hold a DEL: _marks_unsure). Without recursion: a value may be nested as deep as json's
    scanner reads, deeper than Python's recursion limit lets a function go."""
    out: list[str] = []
    todo: list[Any] = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, _Written):
            out.append(item)
        elif isinstance(item, dict) and item:
            todo.append(_Written("}"))
            entries = list(item.items())
            for n in range(len(entries) - 1, -1, -1):
                todo.append(entries[n][1])
                todo.append(_Written(("," if n else "{") + dumps(entries[n][0]) + ":"))
        elif isinstance(item, list) and item:
            todo.append(_Written("]"))
            for n in range(len(item) - 1, -1, -1):
                todo.append(item[n])
                todo.append(_Written("," if n else "["))
        else:
            out.append(dumps(item))
    return "".join(out)


#: Field -> (the value the record held after reading, bytes, the offsets in them where the
#: field's JSON text to write starts and ends): for a long string, the line; for a field
#: holding numbers ``dumps`` would write otherwise, or a long list or object, its JSON as
#: ``_as_written`` gives it.
RawFields = dict[str, tuple[Any, bytes, int, int]]


#: The one key of the object that stands for bytes in JSON (a Parquet binary column's value).
BYTES_KEY = "$base64"


def _json_default(value: Any) -> Any:
    """What JSON holds for a Parquet value it has no type for: bytes (a binary column) as
    ``{"$base64": ...}``, from which they come back exactly (as UTF-8 text, bytes that are not
    UTF-8 were lost); dates, times and decimals as their exact text (``2024-01-02``, ``1.500``).

    >>> import datetime, decimal
    >>> dumps([b"\\xff\\x00", datetime.date(2024, 1, 2), decimal.Decimal("1.500")])
    '[{"$base64":"/wA="},"2024-01-02","1.500"]'
    """
    if isinstance(value, bytes | bytearray | memoryview):
        return {BYTES_KEY: base64.b64encode(value).decode("ascii")}
    return str(value)  # dates, decimals from Parquet


def dumps(value: Any) -> str:
    """The one JSON form of every line cleaner writes: compact, UTF-8 (not ASCII-escaped).
    JSON has no NaN or infinity (Python writes ``NaN``, which other readers refuse): such a
    float, common in Parquet files written by pandas, is written as null, as pandas does.

    >>> dumps({"a": float("nan"), "b": [1.5, float("-inf")]})
    '{"a":null,"b":[1.5,null]}'
    """
    try:
        return _encode_json(value)
    except ValueError:  # (only on a NaN or an infinity: rare, so looked for only then)
        return _encode_json_finite(_finite(value))


#: ``json.dumps(value, **options)`` without building an encoder for each call (half the time
#: of encoding a short value; records written field by field make many such calls).
_OPTIONS: dict[str, Any] = {"ensure_ascii": False, "separators": (",", ":"), "default": _json_default}
_encode_json = json.JSONEncoder(**_OPTIONS, allow_nan=False).encode
_encode_json_finite = json.JSONEncoder(**_OPTIONS).encode


def _finite(value: Any) -> Any:
    """The value with every NaN and infinity (in lists and dicts too) as None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


#: A surrogate code point on its own: JSON may escape one ("\ud800", common in scraped text
#: with a broken emoji), and json.loads gives it back, but UTF-8 cannot hold it.
_SURROGATE = re.compile("[\ud800-\udfff]")


def encode(text: str) -> bytes:
    """UTF-8 of a JSON text that ``dumps`` wrote; a lone surrogate in it (only ever inside a
    string) is written as the JSON escape it came as.

    >>> encode(dumps({"a": json.loads('"x\\ud800"')}))
    b'{"a":"x\\\\ud800"}'
    """
    try:
        return text.encode("utf-8")
    except UnicodeEncodeError:
        return escape_surrogates(text).encode("utf-8")


def escape_surrogates(text: str) -> str:
    """A JSON text that ``dumps`` wrote, with each lone surrogate written as its escape."""
    return _SURROGATE.sub(lambda found: f"\\u{ord(found.group()):04x}", text)


def is_unicode(text: str) -> bool:
    """Can ``text`` be written as UTF-8 (it holds no lone surrogate)?

    >>> is_unicode("é"), is_unicode("\\ud800")
    (True, False)
    """
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def without_surrogates(value: Any) -> Any:
    """A row (dicts, lists, strings) with each lone surrogate replaced by U+FFFD, for a format
    whose strings can only be UTF-8 (Parquet).

    >>> without_surrogates({"a": ["x\\ud800"], "b": 1})
    {'a': ['x�'], 'b': 1}
    """
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, dict):
        return {k: without_surrogates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [without_surrogates(v) for v in value]
    return value


def loads(line: bytes, replaced: str | None = None, strings: bool = True,
          repeated: list[str] | None = None) -> tuple[Any, RawFields]:
    """``json.loads(line)`` (same value, same errors) and where the top-level object's long
    string fields are in the line, for :func:`dumps_record` to copy, and the JSON text to write
    for each field holding a number that ``dumps`` would write otherwise than the line does;
    not for the field ``replaced``, whose value the output will not keep. ``strings=False``:
    the numbers only (an output that is not JSON lines copies no string; finding where a string
    is in a line that is not ASCII costs two copies of the line). ``repeated`` gets each name
    the top-level object has more than once (its last value is the record's, as json.loads
    keeps it), once for each time it comes again.

    >>> record, raw = loads(b'{"id": 7, "html": "' + b"x" * 1024 + b'"}')
    >>> record["id"], list(raw), raw["html"][2:]
    (7, ['html'], (18, 1044))
    >>> repeated = []
    >>> loads(b'{"a": 1, "b": 2, "a": 3}', repeated=repeated)[0], repeated
    ({'a': 3, 'b': 2}, ['a'])
    """
    encoding = json.detect_encoding(line)
    text = line.decode(encoding, "surrogatepass")  # as json.loads(bytes)
    try:
        found = _object(text, replaced, repeated)
    except (ValueError, StopIteration, IndexError):
        found = None
    if found is None:  # not a plain object, or not valid: json.loads says what it is
        if repeated:
            repeated.clear()  # (noted before the scan gave up: not known)
        return json.loads(text), {}
    record, fields = found
    raw: RawFields = {}
    ascii_only = len(text) == len(line)
    for key, where in fields.items():
        if isinstance(where, tuple):  # (a long string)
            if not strings:
                continue
            start, end = where
            if encoding == "utf-8":  # (no byte order mark: the text starts where the line starts)
                if not ascii_only:  # character offsets to byte offsets
                    start = len(text[:start].encode("utf-8", "surrogatepass"))
                    end = len(line) - len(text[end:].encode("utf-8", "surrogatepass"))
                if _own_escapes(line, start, end) and (ascii_only or not _raw_surrogates(line, start, end)):
                    raw[key] = (record[key], line, start, end)
            continue  # (else encoded again)
        written = encode(where if isinstance(where, str) else _as_written(text, where))
        raw[key] = (record[key], written, 0, len(written))
    return record, raw


def beyond_double(raw: RawFields) -> tuple[str, str] | None:
    """The first field of ``raw`` holding a number beyond the range of a double (1E400: an
    infinite float), and that number as written; None when there is none (only fields whose
    numbers ``dumps`` would write otherwise can hold one).

    >>> beyond_double(loads(b'{"a": 1e5, "b": [NaN, {"c": -1E400}], "d": 1E400, "e": 1e-400}')[1])
    ('b', '-1E400')
    >>> beyond_double(loads(b'{"a": 1e5, "b": [NaN, -Infinity], "c": 1e-400, "d": [-0, ' + b"9" * 400
    ...                     + b', "' + b"x" * 1024 + b'"]}')[1]) is None
    True
    """
    for key, (value, written, start, end) in raw.items():
        if not isinstance(value, str) and _HUGE.search(written, start, end):  # (not a long string)
            number = _infinite(_scan_as_written(written[start:end].decode("utf-8"), 0)[0])
            if number is not None:
                return key, number
    return None


#: Where a JSON text may have a float beyond a double's range (an exponent of 3 digits, or 309
#: digits before the point), cheap to rule out before reading it number by number.
_HUGE = re.compile(rb"[eE][+]?[0-9]{3}|[0-9]{309}")


def _infinite(value: Any) -> str | None:
    """The first float of a value read by ``_scan_as_written`` that is infinite as a float (not
    an integer: Parquet output writes one beyond 64 bits as text, keeping it)."""
    todo = [value]
    while todo:
        item = todo.pop()
        if isinstance(item, _Written):
            if ("." in item or "e" in item or "E" in item) and math.isinf(float(item)):
                return item
        elif isinstance(item, dict):
            todo.extend(reversed(item.values()))
        elif isinstance(item, list):
            todo.extend(reversed(item))
    return None


def _skip_spaces(text: str, i: int) -> int:
    """Where the JSON whitespace at ``i`` ends."""
    found = _WHITESPACE.match(text, i)
    return found.end() if found else i


#: What :func:`_object` notes of a field: where its JSON text starts and ends (a long string, to
#: copy), where it starts (it holds a number ``dumps`` writes otherwise: see _as_written), or
#: its JSON to write (a long list or object).
_Found = dict[str, tuple[int, int] | int | str]


def _object(text: str, replaced: str | None,
            repeated: list[str] | None = None) -> tuple[dict[str, Any], _Found] | None:
    """The top-level object, read field by field with json's own scanner, and what to write
    for the fields ``dumps`` would not write as the line has them (see ``_Found``); None when
    the text is anything else (json.loads then decides). A name it holds again goes to
    ``repeated``.

    Numbers cost little to check: a top-level float's repr is compared with its text; a short
    list or object is scanned with ``_scan_checked``, whose float parser does that for each of
    its floats (integers are written back as they are, but "-0": see _MINUS_ZERO); a long one
    (an embedding of a thousand floats) is written from its text at once, by ``_as_written``,
    which is cheaper than turning each float into a decimal text, and is then its output."""
    ws = _skip_spaces
    i = ws(text, 0)
    if text[i:i + 1] != "{":
        return None
    record: dict[str, Any] = {}
    found: _Found = {}
    i = ws(text, i + 1)
    if text[i:i + 1] == "}":
        return (record, found) if ws(text, i + 1) == len(text) else None
    while True:
        if text[i:i + 1] != '"':
            return None
        key, i = scanstring(text, i + 1)
        i = ws(text, i)
        if text[i:i + 1] != ":":
            return None
        start = ws(text, i + 1)
        first = text[start]
        if first != "{" and first != "[":
            value, i = _scan_value(text, start)
            kind = type(value)
            if kind is str:
                if len(value) >= RAW_MIN_CHARS and key != replaced:
                    found[key] = (start, i)
                else:
                    found.pop(key, None)  # a repeated key: the last value counts, as in json.loads
            elif ((kind is float and repr(value) != text[start:i] and text[start:i] not in _CONSTANTS)
                  or (kind is int and first == "-" and value == 0)) and key != replaced:
                found[key] = start
            else:
                found.pop(key, None)
        elif key == replaced:
            value, i = _scan_value(text, start)
            found.pop(key, None)
        elif len(text) - start < RAW_MIN_CHARS:  # a short list or object: its floats checked
            try:
                value, i = _scan_checked(text, start)
                if _MINUS_ZERO.search(text, start, i) is None:
                    found.pop(key, None)
                else:
                    found[key] = start
            except _NotAsWritten:
                value, i = _scan_value(text, start)
                found[key] = start
        else:  # (maybe long: a list of a thousand floats costs a millisecond to check)
            value, end = _scan_value(text, start)
            if end - start >= RAW_MIN_CHARS:  # long: written from its text, as fast
                found[key] = _as_written(text, start, ints=_MINUS_ZERO.search(text, start, end) is not None)
            elif _changed_numbers(text, start) or _MINUS_ZERO.search(text, start, end) is not None:
                found[key] = start
            else:
                found.pop(key, None)
            i = end
        if repeated is not None and key in record:
            repeated.append(key)
        record[key] = value
        i = ws(text, i)
        if text[i:i + 1] == ",":
            i = ws(text, i + 1)
            continue
        if text[i:i + 1] == "}":
            return (record, found) if ws(text, i + 1) == len(text) else None
        return None


def _changed_numbers(text: str, start: int) -> bool:
    """Does the list or object at ``start`` hold a float ``dumps`` would write otherwise?"""
    try:
        _scan_checked(text, start)
    except _NotAsWritten:
        return True
    return False


def _own_escapes(line: bytes, start: int, end: int) -> bool:
    """Are all escapes of the JSON string ``line[start:end]`` ones that encoding its value
    again would write (so that the text is what ``dumps`` would give)?

    >>> line = rb'"a\\"b \\\\u00e9 \\n \\u001f" "\\u00e9" "\\/" "\\u000a"'
    >>> [_own_escapes(line, *span) for span in ((0, 24), (25, 33), (34, 38), (39, 47))]
    [True, False, False, False]
    """
    found = _PAIR_OR_FOREIGN.findall(line, start, end)
    return not found or set(found) == {_ESCAPED_BACKSLASH}


#: A surrogate written as UTF-8 bytes: not UTF-8 (json.loads accepts it, as "surrogatepass").
_RAW_SURROGATE = re.compile(rb"\xed[\xa0-\xbf]")


def _raw_surrogates(line: bytes, start: int, end: int) -> bool:
    """Does ``line[start:end]`` hold a surrogate as raw bytes? Copied, they would make the
    output line invalid UTF-8; encoded again, they become escapes.

    >>> _raw_surrogates(b'"\\xed\\xa0\\xbd"', 0, 5), _raw_surrogates('"\\ud55c"'.encode(), 0, 5)
    (True, False)
    """
    return line.find(b"\xed", start, end) >= 0 and _RAW_SURROGATE.search(line, start, end) is not None


def dumps_record(record: dict[str, Any], raw: RawFields | None = None) -> bytes:
    """``dumps(record)`` as UTF-8, with the JSON text of unchanged long string fields copied
    from the input line instead of encoded again, and unchanged fields holding numbers
    ``dumps`` writes otherwise written with those numbers as they were.

    >>> page = "<p>" + "x" * 2000 + "</p>"
    >>> record, raw = loads(('{"id":1, "html":' + json.dumps(page) + "}").encode())
    >>> record["text"] = "x"
    >>> dumps_record(record, raw) == dumps(record).encode()
    True
    """
    if not raw:
        return encode(dumps(record))
    parts = []
    others: dict[str, Any] = {}  # (fields between copied ones: encoded together, as dumps would)
    for key, value in record.items():
        kept = raw.get(key)
        if kept is not None and kept[0] is value:
            if others:
                parts.append(encode(dumps(others))[1:-1])
                others = {}
            parts.append(encode(dumps(key)) + b":" + kept[1][kept[2]:kept[3]])
        else:
            others[key] = value
    if others:
        parts.append(encode(dumps(others))[1:-1])
    return b"{" + b",".join(parts) + b"}"
