"""Stage 2 (HTML only): main text and metadata of a web page, with trafilatura.

This is the only module that imports trafilatura. The rest of the pipeline then runs on
``Extraction.text`` exactly as on plain text, so HTML gets the same spam removal.

Options, chosen by measurement on the bench dev half (``benchmarks/html_bench.py``;
trafilatura 2.3.1, snippet P/R/F1 on traf-html, 483 pages; 4-gram shingle F1 on zyte-html,
79 pages; txt output unless said otherwise):

==========================================  ======  ======  ======  =========
option set (all include_comments=False)     P       R       F1      zyte F1
==========================================  ======  ======  ======  =========
standard: fast=False, include_tables=True   0.9041  0.9490  0.9260  0.9661
favor_precision=True                        0.9187  0.9200  0.9194  0.9601
favor_recall=True                           0.8922  0.9421  0.9165  0.9610
fast=True (no fallback extractors)          0.9005  0.9297  0.9148  0.9622
include_tables=False                        0.9055  0.9386  0.9218  0.9652
deduplicate=True                            0.9027  0.9407  0.9213  0.9531
include_formatting=True (= markdown)        0.9058  0.9221  0.9139  0.9649
trafilatura.baseline() alone                0.7625  0.8724  0.8138  0.8730
trafilatura.html2txt() alone (full page)    0.6146  0.9931  0.7593  0.7178
==========================================  ======  ======  ======  =========

So: the standard settings; plain-text output (markdown's ``**``/``#`` markers split
snippets); the fallback extractors (readability/jusText) on. Trimming the head/tail lines
that favor_precision would not keep cost more recall than it gained precision (traf-html
0.9157, zyte 0.9529), so it is not done.

Post-processing of trafilatura's text (each measured alone on top of the standard run; the
module docstring of ``benchmarks/html_bench.py`` says how to re-measure):

* a leading line that repeats the page title is dropped (it is in ``metadata["title"]``);
* trailing orphan labels ("Mehr Themen:", "Kontakt:") -- short lines ending in a colon with
  nothing after them -- are dropped: they introduce content that the extraction cut;
* lines that are only a URL are dropped;
* table rows lose their empty cells (``|  |  | x |`` -> ``| x |``); a one-cell row is plain text;
* little or no text (under ``MIN_CHARS``) -> trafilatura's ``baseline`` (article/JSON-LD/``<p>``
  text), then ``html2txt`` (all visible text), whichever is first to give more; ``method`` and
  ``note`` say so.

Decoding (``decode_html``), measured on the dev pages: the 12 traf-html dev pages that are
not UTF-8 all declare a charset, and all methods read the 10 that are really in the declared
legacy charset; 2 pages declare UTF-8 and contain one stray byte, which charset-normalizer
(and a decoder built on it) takes for cp1250/mac_latin2, turning every ü into mojibake --
so a page that is UTF-8 but for a few bytes is read as UTF-8 with U+FFFD. Pages without a
declaration were simulated by re-encoding the UTF-8 dev pages with their ``<meta charset>``
removed (323 into cp1252, 8 cp1250, 3 cp1251, 7 gb18030; "right" = identical to the original
text): trafilatura's ``decode_file`` 187/341, charset-normalizer on the whole page 249/341,
charset-normalizer on the text lines only 259/341, and this module (text lines, then cp1252
preferred over a rarer Latin code page unless the latter yields more in-word letters) 311/341.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from functools import cache
from typing import Any

from .errors import InputError

MIN_CHARS = 250  # below this, trafilatura's result is compared with the fallbacks
MAX_DETECT_BYTES = 200_000
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_META_CHARSET = re.compile(
    rb"""<meta[^>]+?charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^>]+encoding\s*=\s*["']([-\w.:]+)""", re.I
)
_TAG = re.compile(rb"<[^>]*>")
_NON_ASCII_LINE = re.compile(rb"[\x80-\xff]")
# WHATWG: these labels mean windows-1252 in a browser, and pages rely on it (curly quotes)
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii", "iso8859-15"})
# single-byte Latin code pages that charset detectors pick by mistake for cp1252 text
_LATIN_CONFUSABLE = frozenset(codecs.lookup(e).name for e in (
    "cp1250", "cp1252", "latin-1", "iso8859-2", "iso8859-4", "iso8859-9", "iso8859-10", "iso8859-13",
    "iso8859-15", "iso8859-16", "iso8859-3", "cp1254", "cp1257", "cp775", "cp850", "cp852", "cp437",
    "cp858", "mac-roman", "mac-latin2", "cp1125", "cp1006", "hp-roman8",
))
_MAX_STRAY_UTF8 = 0.002  # share of bytes that may be invalid in a page that is otherwise UTF-8

_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<(p|div|span|a|br|li|table)[\s>/]", re.I
)
_URL_LINE = re.compile(r"\s*(https?://|www\.)\S+\s*")
_EMPTY_CELL = re.compile(r"\|(\s*\|)+")


@dataclass(frozen=True, slots=True)
class Extraction:
    """What came out of one HTML page."""

    text: str  # main text, one block per line, list items as "- item", table rows as "| a | b |"
    metadata: dict[str, Any]  # only keys with a value: title, author, date, url, sitename, ...
    method: str  # "trafilatura", "trafilatura-baseline" or "html2txt"
    note: str | None  # why a fallback was used, None otherwise


def looks_like_html(text: str) -> bool:
    """Cheap sniff: does this text (read from a file without an .html name) look like HTML?

    >>> looks_like_html("<!DOCTYPE html><html><body><p>Hi</p></body></html>")
    True
    >>> looks_like_html("Price: 3 < 4 and 5 > 2, said the <b>teacher.")
    False
    """
    head = text[:4096].lstrip()
    if re.match(r"<!doctype\s+html|<html[\s>]|<\?xml[^>]*>\s*<(!doctype\s+)?html", head, re.I):
        return True
    tags = len(_HTML_SNIFF.findall(head))
    return tags >= 3 and tags * 40 >= len(head) / 10


def decode_html(data: bytes) -> tuple[str, str]:
    """Bytes of an HTML page to (text, encoding): BOM, UTF-8, declared charset, detection.

    >>> decode_html('<meta charset="iso-8859-1"><p>Grüße “x”</p>'.encode("cp1252"))[1]
    'cp1252'
    >>> decode_html("<p>Größe und Maße für Übergrößen äöü</p>".encode("cp1252"))
    ('<p>Größe und Maße für Übergrößen äöü</p>', 'cp1252')
    """
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if declared == "utf-8" or _mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    if declared:
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass
    encoding = _detect_charset(data)
    return data.decode(encoding, errors="replace"), encoding


def _declared_charset(data: bytes) -> str | None:
    """Charset named by <meta charset>, <meta http-equiv content-type> or <?xml encoding>."""
    match = _META_CHARSET.search(data[:32768])
    if not match:
        return None
    label = (match.group(1) or match.group(2)).decode("ascii", "replace").lower()
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    if name in _AS_CP1252:
        return "cp1252"
    if name in ("gb2312", "gbk"):
        return "gb18030"  # superset; pages labelled gb2312 often use GBK characters
    return "utf-8" if name.startswith("utf-8") else name


def _mostly_utf8(data: bytes) -> bool:
    """UTF-8 but for a few stray bytes (a legacy byte pasted into a UTF-8 page)."""
    text = data.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    multibyte = sum(1 for ch in text if ord(ch) > 127) - bad
    return multibyte >= 10 * bad and bad <= _MAX_STRAY_UTF8 * len(data)


def _detect_charset(data: bytes) -> str:
    """Undeclared legacy charset: charset-normalizer on the text lines (markup dilutes the
    signal), then cp1252 kept over a confusable Latin code page unless that one reads better."""
    from charset_normalizer import from_bytes

    sample = b"\n".join(_TAG.sub(b" ", line) for line in data.split(b"\n") if _NON_ASCII_LINE.search(line))
    best = from_bytes(sample[:MAX_DETECT_BYTES]).best()
    guess = codecs.lookup(best.encoding).name if best is not None else "cp1252"
    if guess not in _LATIN_CONFUSABLE:
        return guess
    scored = []
    for rank, candidate in enumerate(dict.fromkeys(("cp1252", guess))):
        try:
            sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        scored.append((_in_word_letters(sample.decode(candidate, errors="replace")), -rank, candidate))
    return max(scored)[2] if scored else guess


def _in_word_letters(text: str) -> int:
    """Non-ASCII characters touching a letter: +1 if a letter themselves, -2 otherwise."""
    score = 0
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        if (i and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()):
            score += 1 if ch.isalpha() else -2
    return score


@cache
def _options() -> dict[str, Any]:
    """trafilatura settings (see the table above); built once."""
    return {
        "fast": False,
        "include_comments": False,
        "include_tables": True,
        "include_formatting": False,
        "include_images": False,
        "include_links": False,
        "deduplicate": False,
        "with_metadata": True,
    }


def extract_html(html: str | bytes, *, url: str | None = None) -> Extraction:
    """Main text and metadata of one HTML page; never None.

    Raises InputError when the input cannot be parsed as a document at all (empty, binary).
    """
    from copy import deepcopy

    from trafilatura import bare_extraction
    from trafilatura.baseline import baseline, html2txt
    from trafilatura.utils import load_html

    if isinstance(html, bytes):
        if b"\x00" in html[:4096] and not html.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise InputError("binary data, not an HTML page")
        html, _ = decode_html(html)
    if not html.strip():
        raise InputError("empty document")
    tree = load_html(html)
    if tree is None:
        raise InputError("not a parseable HTML document")
    metadata: dict[str, Any] = {}
    lang = tree.get("lang") or tree.get("xml:lang")
    try:
        document = bare_extraction(deepcopy(tree), url=url, **_options())
    except Exception as exc:  # a trafilatura bug on one page must not kill the batch
        document, note = None, f"trafilatura failed ({type(exc).__name__}: {exc})"
    else:
        note = None
    text = ""
    if document is not None:
        metadata = _metadata(document, url)
        text = _postprocess(document.text or "", metadata.get("title"))
    if lang and lang.strip():
        metadata["language"] = lang.strip()
    if len(text) >= MIN_CHARS:
        return Extraction(text, metadata, "trafilatura", None)
    note = note or (f"trafilatura returned {'little' if text else 'no'} text ({len(text)} characters)")
    try:
        base_text = _postprocess(baseline(deepcopy(tree))[1] or "", metadata.get("title"))
    except Exception:  # same as above
        base_text = ""
    if len(base_text) > max(len(text), MIN_CHARS // 2) and len(base_text) > 1.5 * len(text):
        return Extraction(base_text, metadata, "trafilatura-baseline", note + "; used trafilatura's baseline")
    if text:
        return Extraction(text, metadata, "trafilatura", note + "; kept it, the fallbacks found no more")
    full = _postprocess(html2txt(tree) or "", metadata.get("title"))
    if full:
        return Extraction(full, metadata, "html2txt", note + "; used the page's full text")
    return Extraction("", metadata, "html2txt", note + "; the page has no visible text")


def _metadata(document: Any, url: str | None) -> dict[str, Any]:
    """trafilatura's metadata as plain values, only keys with a value."""
    out: dict[str, Any] = {}
    for key in ("title", "author", "date", "url", "sitename", "description"):
        value = getattr(document, key, None)
        if isinstance(value, str) and value.strip():
            out[key] = value.strip()
    for key in ("categories", "tags"):
        values = [v.strip() for v in getattr(document, key, None) or [] if isinstance(v, str) and v.strip()]
        if values:
            out[key] = values
    if url and "url" not in out:
        out["url"] = url
    return out


def _key(line: str) -> str:
    return re.sub(r"\W+", " ", line).strip().casefold()


def _postprocess(text: str, title: str | None) -> str:
    """Line-level tidying of trafilatura's text (see the module docstring)."""
    lines = [_tidy_table_row(line.strip()) for line in text.splitlines()]
    lines = [line for line in lines if line and not _URL_LINE.fullmatch(line)]
    if lines and title and _key(lines[0]) == _key(title):
        lines.pop(0)
    while lines and lines[-1].endswith(":") and len(lines[-1]) <= 60:
        lines.pop()
    return "\n".join(lines)


def _tidy_table_row(line: str) -> str:
    """'|  | x |  | y |' -> '| x | y |'; a row with one non-empty cell -> 'x'."""
    if not (line.startswith("|") and line.endswith("|")):
        return line
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    cells = [cell for cell in cells if cell]
    if not cells:
        return ""
    if len(cells) == 1:
        return cells[0]
    return "| " + " | ".join(cells) + " |"
