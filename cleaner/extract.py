"""Stage 2 (HTML only): main text and metadata of a web page, with trafilatura.

trafilatura is imported here and in the two modules this one relies on (``html_tree``, the
parse; ``justext_linear``). The rest of the pipeline then runs on
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

Post-processing of trafilatura's text, each measured alone on top of the standard run
(traf-html F1 / zyte F1; the standard run through ``bare_extraction`` is 0.9249 / 0.9661):

* NFC normalisation, as ``trafilatura.extract`` does (``bare_extraction`` does not): 0.9260 / 0.9661;
* a leading line that repeats the page title is dropped (it is in ``metadata["title"]``):
  0.9248 / 0.9695 -- Zyte's article bodies exclude the headline; one traf-html snippet is a title;
* trailing orphan labels ("Mehr Themen:", "Kontakt:") -- short lines ending in a colon with
  nothing after them -- are dropped: 0.9255 / 0.9661;
* table rows lose their empty cells (``|  |  | x |`` -> ``| x |``), a one-cell row is plain
  text (but for a cell that would then read as a ``- `` list item: ``| - |``, ``| - 3 % |``):
  no change in either score, easier to read and to segment;
* less than ``MIN_CHARS`` of text -> trafilatura's ``baseline`` (article/JSON-LD/``<p>`` text)
  if it finds clearly more, else the short text, else ``html2txt`` (all visible text);
  ``method`` and ``note`` say which and why: recall 0.9483 -> 0.9503, F1 0.9265 -> 0.9270.
* after the rules: when they leave less than ``RESCUE_MAX_KEPT`` of trafilatura's text (and
  less than ``MIN_CHARS``), that text was noise (a server's error messages, a prompt), and the
  baseline's text is cleaned too and kept when more of it is left (``rescue``; not the full
  page text, which put a consent page's menus back): traf-html 0.9438 -> 0.9448, one dev page
  whose extraction was four PHP warnings;
* a line that is the page's own URL (``metadata["url"]``, canonical/og:url; not when that is a
  site's home page, whose address on a line of its own is a pointer) is dropped;
* the first line is dropped also when it is the headline worded like the title: the title
  without the site name it adds ("Headline - Site"), or a line (not a list item, not ending in
  a full stop) holding ``HEADLINE_TITLE_COVERAGE`` of the title's words;
* the lead: a page description (``LEAD_MIN_WORDS`` or more) that the page prints in its body
  (outside scripts and the head) but trafilatura left out -- a standfirst/teaser element
  outside the main container -- is put first, unless the element is marked as a deck
  (class/id "dek", "deck", "subtitle", "subhead...": a subheadline, furniture like the headline);
* short boxes whose class or id names a newsletter in any letter case are pruned before
  extraction (trafilatura's own filter is case-sensitive).
* tried and left out: dropping lines that are only a URL (zyte recall 0.9789 -> 0.9745),
  trimming head/tail lines absent from the favor_precision run (see above).

Measured with the whole cleaner (its rules run after this; dev half, issue #4), in the order
the changes were made (traf-html F1 / zyte-html F1): before 0.9329 / 0.9718; page-URL line
0.9329 / 0.9731; (phrase-list additions 0.9329 / 0.9748); lead 0.9402 / 0.9729 -- traf-html
annotates the lead as content (+22 snippets, recall 0.945 -> 0.959), Zyte's article bodies
leave the deck out (precision drops on 11 pages); headline variants 0.9398 / 0.9737 -- Zyte
leaves headlines out, one traf-html snippet is a headline; newsletter boxes: zyte +0.0001;
(rule and phrase changes 0.9417 / 0.9739); no lead from an element marked as a deck 0.9410 /
0.9752 (7 Zyte decks out; 9 traf-html leads out, 2 of them annotated as content). The lead
and the headline are where the two corpora's conventions disagree: the text keeps the lead
paragraph a reader sees under the headline, not the headline and its deck (the headline is in
``metadata["title"]``, the description in ``metadata["description"]``).

All together (dev, extraction alone, before issue #4): traf-html P 0.9048 R 0.9503 F1 0.9270
(bare trafilatura 0.9041 / 0.9490 / 0.9260); zyte-html P 0.9604 R 0.9789 F1 0.9696 (bare 0.9536 /
0.9789 / 0.9661). The rest of the
target is the job of the spam/boilerplate rules that run on this text afterwards.

Decoding (``decode_html``): BOM; strict UTF-8; UTF-8 with U+FFFD when only a few bytes are
invalid; the declared charset (``<meta charset>``, http-equiv, ``<?xml encoding>``; latin-1 and
ascii read as cp1252, as browsers do); else charset-normalizer on the page's text lines
(markup dilutes the signal), the most common web encoding among equally good readings, and
cp1252 kept over a rarer Latin code page unless that reads as more in-word letters and fewer
symbols. Measured on the dev pages: the 12 traf-html dev pages that are not UTF-8 all declare
a charset; all methods read the 10 that really are in their declared legacy charset (judged by
the annotated snippets found in the page text and no mojibake; latin-1 vs cp1252 differs only
in C1 controls vs curly quotes, where cp1252 is right); 2 pages declare UTF-8 and contain one
stray byte, which charset-normalizer alone (and a decoder built on it) reads as cp1250 or
mac_latin2, breaking every non-ASCII letter -- ``decode_file`` and this module keep UTF-8.
Undeclared pages were simulated by re-encoding the UTF-8 dev pages of both corpora with their
``<meta charset>`` removed; "right" = decodes back to exactly the original text:

=====================  ==========  ======  ======  ======  =====
method                 cp1252 323  1250 8  1251 3  gb 207  total
=====================  ==========  ======  ======  ======  =====
trafilatura decode     174         7       0       55      236
charset-normalizer     236         7       2       71      316
cleaner.decode (lead)  321         5       2       125     453
decode_html            318         7       1       169     495
=====================  ==========  ======  ======  ======  =====

(the gb18030 column holds every page that fit no single-byte code page, mostly non-Chinese.)
"""

from __future__ import annotations

import codecs
import contextlib
import re
import unicodedata
from dataclasses import dataclass
from functools import cache
from typing import Any

from . import (
    date_precision,
    html_tree,
    htmldate_fast,
    justext_fast,
    justext_linear,
    page_dates,
    readability_fast,
    trafilatura_fast,
    xpath_skip,
)
from .decode import BOMS, mostly_utf8, refuse_binary
from .errors import DocumentTimeout, InputError
from .rules import patterns as P

MIN_CHARS = 250  # below this, trafilatura's result is compared with the fallbacks
#: Pages with more block elements than this are extracted without trafilatura's fallback
#: extractors (readability, jusText), which then cost more than they can find. jusText's
#: paragraph revision was quadratic in a run of short paragraphs (8,000 list items: 7.6 s);
#: ``justext_linear`` makes it linear (1.3 s, 1.2 s with this guard). The largest dev pages
#: (2,302 and 9,137 blocks) come out the same either way (the 2,302 one needs jusText).
MAX_FALLBACK_BLOCKS = 2500
_BLOCK_TAGS = ("p", "li", "div", "td", "br", "tr", "dd", "dt", "h1", "h2", "h3", "h4", "h5", "h6",
               "blockquote", "pre")
MAX_DETECT_BYTES = 200_000
_META_CHARSET = re.compile(
    rb"""<meta[^<>]+?charset\s*=\s*["']?\s*([-\w.:]+)|<\?xml[^<>]+encoding\s*=\s*["']([-\w.:]+)""", re.I
)
# [^<>] rather than [^>]: a tag never holds "<", and an unclosed "<" is then scanned once, not
# once per "<" before it (quadratic on truncated pages).
_TAG = re.compile(rb"<[^<>]*>")
_NON_ASCII_LINE = re.compile(rb"[\x80-\xff]")
# WHATWG: these labels mean windows-1252 in a browser, and pages rely on it (curly quotes)
_AS_CP1252 = frozenset({"latin-1", "iso8859-1", "ascii", "iso8859-15"})
# single-byte Latin code pages that charset detectors pick by mistake for cp1252 text
_LATIN_CONFUSABLE = frozenset(codecs.lookup(e).name for e in (
    "cp1250", "cp1252", "latin-1", "iso8859-2", "iso8859-4", "iso8859-9", "iso8859-10", "iso8859-13",
    "iso8859-15", "iso8859-16", "iso8859-3", "cp1254", "cp1257", "cp775", "cp850", "cp852", "cp437",
    "cp858", "mac-roman", "mac-latin2", "cp1125", "cp1006", "hp-roman8",
))
_PREFERENCE = tuple(codecs.lookup(e).name for e in (
    "cp1252", "cp1250", "cp1251", "gb18030", "shift_jis", "euc-kr", "big5", "iso8859-15", "cp1253", "cp1254",
    "cp1257", "koi8-r", "euc-jp", "cp1255", "cp1256", "cp874",
))

_HTML_SNIFF = re.compile(
    r"<!doctype\s+html|<html[\s>]|<head[\s>]|<body[\s>]|<meta\s|<title>|<(p|div|span|a|br|li|table)[\s>/]",
    re.I,
)


#: The method of an empty page's extraction: there is nothing to extract.
EMPTY_METHOD = "nothing"


@dataclass(frozen=True, slots=True)
class Extraction:
    """What came out of one HTML page."""

    text: str  # main text, one block per line, list items as "- item", table rows as "| a | b |"
    metadata: dict[str, Any]  # only keys with a value: title, author, date, url, sitename, ...
    method: str  # "trafilatura", "trafilatura-baseline", "html2txt" or EMPTY_METHOD
    note: str | None  # why a fallback was used, None otherwise
    #: What this module changed in the extractor's text: each line it dropped and why, the lead
    #: it put first (the rules' removals are in the sidecar's ``removed``; these in ``notes``).
    edits: tuple[str, ...] = ()


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


def decode_html(data: bytes, name: str = "input") -> tuple[str, str]:
    """Bytes of an HTML page to (text, encoding): BOM, UTF-8, declared charset, detection.
    Binary data (no BOM) is an InputError, as for a text document (``decode.refuse_binary``):
    a gzip-compressed page or an image saved as ``.html`` came out as mojibake.

    >>> decode_html('<meta charset="iso-8859-1"><p>Grüße “x”</p>'.encode("cp1252"))[1]
    'cp1252'
    >>> decode_html("<p>Größe und Maße für Übergrößen äöü</p>".encode("cp1252"))
    ('<p>Größe und Maße für Übergrößen äöü</p>', 'cp1252')
    """
    for bom, encoding in BOMS:
        if data.startswith(bom):
            return data[len(bom):].decode(encoding, errors="replace"), encoding
    refuse_binary(data, name)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    declared = _declared_charset(data)
    if mostly_utf8(data):
        return data.decode("utf-8", errors="replace"), "utf-8"
    if declared and declared != "utf-8":
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


def _detect_charset(data: bytes) -> str:
    """Undeclared legacy charset: charset-normalizer on the text lines (markup dilutes the
    signal), then cp1252 kept over a confusable Latin code page unless that one reads better."""
    from charset_normalizer import from_bytes

    sample = b"\n".join(_TAG.sub(b" ", line) for line in data.split(b"\n") if _NON_ASCII_LINE.search(line))
    results = from_bytes(sample[:MAX_DETECT_BYTES])
    matches = [(m.chaos, -m.coherence, codecs.lookup(m.encoding).name) for m in results]
    if not matches:
        return "cp1252"
    best = min(matches)[:2]  # among equally good readings, the most common encoding on the web
    tied = [name for chaos, coherence, name in matches if (chaos, coherence) == best]
    guess = min(tied, key=lambda e: (_PREFERENCE.index(e) if e in _PREFERENCE else len(_PREFERENCE), e))
    if guess not in _LATIN_CONFUSABLE:
        return guess
    scored = []
    if guess not in _PREFERENCE:  # DOS and other code pages hardly seen on the web
        guess = "cp1250"
    for rank, candidate in enumerate(dict.fromkeys(("cp1252", guess))):
        try:
            sample.decode(candidate)
        except UnicodeDecodeError:
            continue
        scored.append((_in_word_letters(sample.decode(candidate, errors="replace")), -rank, candidate))
    return max(scored)[2] if scored else guess


def _in_word_letters(text: str) -> int:
    """Non-ASCII characters touching a letter: +1 if a letter, -2 if a symbol, a control or
    an odd digit (what a wrong code page makes of letters), punctuation neutral."""
    score = 0
    for i, ch in enumerate(text):
        if ord(ch) < 128:
            continue
        if (i and text[i - 1].isalpha()) or (i + 1 < len(text) and text[i + 1].isalpha()):
            kind = unicodedata.category(ch)[0]
            score += 1 if kind == "L" else -2 if kind in "SCN" else 0
    return score


#: A short box whose class or id names a newsletter, in any letter case (trafilatura's own
#: filter is case-sensitive and misses "Newsletter-container").
#: A union of one step per tag: the same elements in the same (document) order as
#: ``.//*[self::div or ...][...]``, found in 0.55 instead of 0.71 ms a page.
_NEWSLETTER_BOX = " | ".join(
    f".//{tag}[contains(translate(@class, 'NEWSLETR', 'newsletr'), 'newsletter')"
    " or contains(translate(@id, 'NEWSLETR', 'newsletr'), 'newsletter')]"
    "[string-length(normalize-space(.)) < 800]"
    for tag in ("div", "section", "aside", "form")
)


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
        "prune_xpath": [_NEWSLETTER_BOX],
    }


def extract_html(html: str | bytes, *, url: str | None = None, name: str = "input") -> Extraction:
    """Main text and metadata of one HTML page; never None.

    Raises InputError when the input cannot be parsed as a document at all (binary; ``name``
    names it in the message). An empty
    or whitespace-only page gives empty text, as an empty text document does.
    """
    justext_linear.install()
    justext_fast.install()
    readability_fast.install()
    trafilatura_fast.install()
    htmldate_fast.install()
    xpath_skip.install()
    html_tree.install()

    if isinstance(html, bytes):
        html, _ = decode_html(html, name)
    if not html.strip():  # empty, like an empty text: cleaned to empty text, not a failure
        return Extraction("", {}, EMPTY_METHOD, "the page is empty")
    tree, html, deep = html_tree.parse_deep(html)
    if tree is None:  # trafilatura's parse rejects a fragment ("<p>Text</p>") whose beginning
        # names no <html>: it asks for such a fragment to be wrapped, so it is
        tree, html, deep = html_tree.parse_deep(f"<html><body>{html}</body></html>")
    if tree is None:
        raise InputError("not a parseable HTML document", "bad_html")
    lang = tree.get("lang") or tree.get("xml:lang")
    options, guards = _options(), [deep] if deep else []
    frames = html_tree.unframe(tree)
    if frames is not None:
        guards.append(_frames_note(frames, tree))
    flattened = html_tree.flatten_deep(tree)
    if flattened:
        guards.append(f"dropped {flattened:,} wrapper elements nested over {html_tree.MAX_DEPTH} deep")
    blocks = sum(1 for _ in tree.iter(_BLOCK_TAGS))
    if blocks > MAX_FALLBACK_BLOCKS:
        options = {**options, "fast": True}
        guards.append(f"{blocks:,} block elements (over {MAX_FALLBACK_BLOCKS:,}): "
                      "without trafilatura's fallback extractors")
    big = "; ".join(guards) or None
    # trafilatura's expressions judged on this page's attribute values (not after the depth
    # guard: the fallbacks parse the page again, with the wrappers it dropped)
    with xpath_skip.page(tree) if not flattened else contextlib.nullcontext():
        return _extract_tree(html, tree, url, options, big, lang)


def _extract_tree(html: str, tree: Any, url: str | None, options: dict[str, Any], big: str | None,
                  lang: str | None) -> Extraction:
    """``extract_html`` once the page is parsed: trafilatura, then its fallbacks."""
    from trafilatura import bare_extraction
    from trafilatura.baseline import html2txt

    metadata: dict[str, Any] = {}
    note: str | None = None
    document: Any
    dates_in = page_dates.declared_language(tree)
    dates: dict[str, date_precision.Precision] = {}
    try:
        with trafilatura_fast.unused_fields_skipped(), page_dates.page_language(dates_in), \
                date_precision.dates_found() as dates:
            document = bare_extraction(tree, url=url, **options)
    except DocumentTimeout:  # out of time: no fallback (it would be a poorer text, as a success)
        raise
    except Exception as exc:  # a trafilatura bug on one page must not kill the batch
        document, note = None, f"trafilatura failed ({type(exc).__name__}: {exc})"
    text = ""
    edits: list[str] = []
    if document is not None:
        metadata = _metadata(document, url)
        if "date" in metadata:  # ("© 2024": "2024", not htmldate's "2024-01-01")
            metadata["date"] = date_precision.at_precision(metadata["date"], dates)
        text, edits = _tidy(document.text or "", metadata.get("title"), metadata.get("url"))
        lead = _missing_lead(text, metadata.get("description"), tree)
        if lead:
            edits.append(f"put the page's description first: {_quote(lead)}, "
                         "a lead printed in the page that trafilatura left out")
            text = lead + "\n" + text
    if lang and lang.strip():
        metadata["language"] = lang.strip()
    if len(text) >= MIN_CHARS:
        return Extraction(text, metadata, "trafilatura", big, tuple(edits))
    note = note or (f"trafilatura returned {'little' if text else 'no'} text ({len(text)} characters)")
    note = f"{big}; {note}" if big else note
    base_text, base_edits = _baseline(html, tree, metadata)
    if len(base_text) > max(len(text), MIN_CHARS // 2) and len(base_text) > 1.5 * len(text):
        return Extraction(base_text, metadata, "trafilatura-baseline", note + "; used trafilatura's baseline",
                          tuple(base_edits))
    if text:
        return Extraction(text, metadata, "trafilatura", note + "; kept it, the fallbacks found no more",
                          tuple(edits))
    try:
        full, full_edits = _tidy(html2txt(_reparse(html, tree)) or "", metadata.get("title"),
                                 metadata.get("url"))
    except DocumentTimeout:
        raise
    except Exception:  # same as above (lxml refuses control characters in html2txt)
        full, full_edits = "", []
    if full:
        return Extraction(full, metadata, "html2txt", note + "; used the page's full text", tuple(full_edits))
    return Extraction("", metadata, "html2txt", note + "; the page has no visible text")


#: A page description this long (in words) that is printed in the page but left out of the
#: extracted text is the article's lead paragraph.
LEAD_MIN_WORDS = 8


def _missing_lead(text: str, description: str | None, tree: Any) -> str | None:
    """The page's lead paragraph, to be put first, when trafilatura left it out: the description
    that the page also prints in its body (a teaser/standfirst element outside the main
    container), unless the page marks it as a deck (subheadline). ``tree`` is the page before
    extraction (``bare_extraction`` works on a copy); it is walked only when the description
    is a candidate, after the cheap tests."""
    if not description or not text:
        return None
    lead = " ".join(unicodedata.normalize("NFC", description).split())
    if len(lead.split()) < LEAD_MIN_WORDS or lead in " ".join(text.split()):
        return None
    if lead not in html_tree.visible_text(tree) or any(lead in deck for deck in html_tree.deck_texts(tree)):
        return None
    return lead


def _frames_note(sources: tuple[str, ...], tree: Any) -> str:
    """The note on a frameset page (``html_tree.unframe``): where its text is."""
    where = f"in its frames ({', '.join(sources)})" if sources else "in its frames"
    has_text = bool(html_tree.visible_text(tree.find("body")))
    return (f"a frameset page: its text is {where}, other documents; "
            + ("read its <noframes> text" if has_text else "it has no text of its own"))


#: When the rules leave less than this share of trafilatura's text (and less than MIN_CHARS),
#: that text was noise, not the article (server error messages, a prompt): the page's baseline
#: is cleaned too (``rescue``), and the longer clean text is kept.
RESCUE_MAX_KEPT = 0.25
#: How a rescued page's note begins (``report`` reads the page again the same way).
RESCUE_NOTE = "the rules removed almost all of trafilatura's text"


def rescue(html: str, extraction: Extraction) -> Extraction | None:
    """trafilatura's baseline (the page's JSON-LD article body, its ``<article>``, else its
    paragraphs) for a page whose extracted text the rules removed almost whole; None when it
    gives no other text. Not the page's full text: on a page that holds nothing but a consent
    prompt and its menus, that put the menus back. Only on this rare path is the page parsed
    again."""
    text, edits = _baseline(html, None, extraction.metadata)
    if not text.strip() or text == extraction.text:
        return None
    return Extraction(text, extraction.metadata, "trafilatura-baseline",
                      f"{RESCUE_NOTE}; used trafilatura's baseline",
                      tuple(edits))


def method_note(method: str, note: str | None) -> str:
    """The sidecar's first note: how the page's text was extracted, and why so.

    >>> method_note("trafilatura", None), method_note("html2txt", "trafilatura returned no text")
    ('extracted with trafilatura', 'extracted with html2txt: trafilatura returned no text')
    """
    return f"extracted with {method}" + (f": {note}" if note else "")


#: The sidecar's first note on a rescued page begins so (``report`` reads such a page again the
#: same way).
RESCUE_NOTE_START = method_note("trafilatura-baseline", RESCUE_NOTE)


def _baseline(html: str, tree: Any, metadata: dict[str, Any]) -> tuple[str, list[str]]:
    """trafilatura's baseline text of the page (its JSON-LD article body, its ``<article>``, else
    its paragraphs) on a fresh parse (``tree`` if the page does not parse again), tidied, and the
    edits; empty when the baseline fails on the page (a fallback's bug on one page is not a
    failure)."""
    from trafilatura.baseline import baseline

    try:
        return _tidy(baseline(_reparse(html, tree))[1] or "", metadata.get("title"), metadata.get("url"))
    except DocumentTimeout:
        raise
    except Exception:
        return "", []


def _reparse(html: str, fallback: Any) -> Any:
    """A fresh tree for each fallback, as the page was before the depth guard: baseline and
    html2txt may prune the tree they get (trafilatura 2.3 copies it first; the older versions
    this package allows need not). Parsing again on this rare path costs less than copying the
    tree for every page."""
    tree = html_tree.parse(html)
    if tree is None:
        return fallback
    html_tree.unframe(tree)
    return tree


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


#: The page title and a headline line that words it a little differently ("HS Roundup: ..." /
#: "High School Roundup: ..."): this share of the title's words is in the line ...
HEADLINE_TITLE_COVERAGE = 0.8
#: ... the line is at most this many times as long as the title, and the title has this many words.
HEADLINE_MAX_STRETCH = 2.0
HEADLINE_MIN_TITLE_WORDS = 4


def _is_headline(line: str, title: str) -> bool:
    """Is this (first) line the page's headline, which the metadata holds as ``title``? The same
    words; the title without the site name the title adds ("Headline - Site"); or a headline
    worded a little differently, not ending in a full stop (a lead sentence repeats the
    headline's words but ends like a sentence)."""
    key = _key(line)
    if key == _key(title) or any(key == _key(part) for part in P.TITLE_SEPARATOR.split(title)[:1]):
        return True
    if line.rstrip().endswith((".", ",", ";", ":")) or line.startswith("- "):
        return False  # a sentence, or a list item
    title_words = set(_key(title).split())
    line_words = _key(line).split()
    if len(title_words) < HEADLINE_MIN_TITLE_WORDS:
        return False
    if len(line_words) > HEADLINE_MAX_STRETCH * len(title_words):
        return False
    return len(title_words & set(line_words)) >= HEADLINE_TITLE_COVERAGE * len(title_words)


def _url_key(url: str) -> str:
    """'https://www.x.com/a/b/?q' and 'x.com/a/b' -> 'x.com/a/b': the same page."""
    key = re.sub(r"^(?:https?:)?//", "", url.strip().casefold())
    key = re.sub(r"^www\.", "", key)
    return re.split(r"[?#]", key, maxsplit=1)[0].rstrip("/")


#: A note longer than this quotes the start of the line it is about.
NOTE_QUOTE_CHARS = 80


def _tidy(text: str, title: str | None, url: str | None = None) -> tuple[str, list[str]]:
    """Line-level tidying of trafilatura's text (see the module docstring), and a note for every
    line it drops (for the sidecar's ``notes``)."""
    lines = [_tidy_table_row(line.strip()) for line in unicodedata.normalize("NFC", text).splitlines()]
    page = _url_key(url) if url else None
    if page and "/" not in page:
        page = None  # a site's home page: "www.site.org" on a line of its own is a pointer, not furniture
    dropped: list[str] = []
    kept = []
    for line in lines:
        if line and page and " " not in line and _url_key(line) == page:
            dropped.append(f"dropped the line {_quote(line)}: the page's own address")
        elif line:
            kept.append(line)
    lines = kept
    if lines and title and _is_headline(lines[0], title):
        dropped.append(f"dropped the first line {_quote(lines.pop(0))}: the headline (in the title)")
    while lines and lines[-1].endswith(":") and len(lines[-1]) <= 60:
        dropped.append(f"dropped the last line {_quote(lines.pop())}: a label with nothing after it")
    return "\n".join(lines), dropped


def _quote(line: str) -> str:
    return repr(line if len(line) <= NOTE_QUOTE_CHARS else line[:NOTE_QUOTE_CHARS - 1] + "…")


def _tidy_table_row(line: str) -> str:
    """'|  | x |  | y |' -> '| x | y |'; a row with one non-empty cell -> 'x', unless 'x'
    would read as a list item: '|  | - |' stays '| - |'.

    >>> _tidy_table_row("| | Länge | | 120 m |"), _tidy_table_row("| Solo | |"), _tidy_table_row("| - | |")
    ('| Länge | 120 m |', 'Solo', '| - |')
    """
    if not (line.startswith("|") and line.endswith("|")):
        return line
    cells = [cell.strip() for cell in line.strip("|").split("|")]
    cells = [cell for cell in cells if cell]
    if not cells:
        return ""
    if len(cells) == 1 and not _reads_as_bullet(cells[0]):
        return cells[0]
    return "| " + " | ".join(cells) + " |"


def _reads_as_bullet(cell: str) -> bool:
    """Would the cell, as a line of its own, be a "- " list item? A bullet and text ("- 3 %",
    a fall of three percent), or a bullet alone (a "-" for "none"), which a next line in
    lowercase continues: "-" then "kein Eintrag" was joined into "- kein Eintrag"."""
    return P.BULLET.match(cell + " x") is not None
