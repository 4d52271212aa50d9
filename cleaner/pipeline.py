"""The stages wired together: decode → (extract) → normalize → header → segment → detect →
decide → language → emit. Pure functions of their inputs; no I/O here.
"""

from __future__ import annotations

from contextlib import AbstractContextManager, nullcontext
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from .config import CleanConfig
from .decide import Memo, block_removal, decide_all, span_removal
from .decode import decode_bytes
from .errors import InputError
from .headers import EMPTY as EMPTY_HEADER
from .headers import MAX_HEADER_LINES, parse_header
from .language import detect_language
from .models import Block, CleanResult, Decision, Header
from .normalize import Line, split_lines
from .rules.patterns import ends_sentence
from .rules.page import TITLE_MAX_WORDS  # (a first block longer than this is prose, not a title)
from .rules.registry import enabled_rules
from .segment import segment
from .timeouts import running
from .warm import document_clock

if TYPE_CHECKING:  # (extract imports trafilatura: loaded for the first page only)
    from .extract import Extraction

#: Rounds of rules at most: a removal can make two blocks neighbours that were not before,
#: so rules run again while a round removes something (each round removes a block at least).
MAX_ROUNDS = 1000
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")
#: A line a rule removed as one of these is not taken for a late header's ``key: value`` line.
NOT_HEADER_KINDS = ("image-credit",)


def clean_text(text: str, config: CleanConfig | None = None, *, source: str | None = None) -> CleanResult:
    """Clean a plain-text article, within the settings' limits: a text of more characters than
    ``max_input_bytes`` fails (``InputError``, reason ``too_large``), and so does one that takes
    longer than ``doc_timeout`` seconds (``timeout``), in any thread.

    >>> r = clean_text("date 2025-02 Der Text beginnt hier und geht weiter.\\n")
    >>> r.text, r.date
    ('Der Text beginnt hier und geht weiter.\\n', '2025-02')
    """
    if not isinstance(text, str):  # (a None text field of a dataset record, bytes of a file)
        raise TypeError(f"clean_text takes a str, not {type(text).__name__}"
                        + ("; for bytes use clean_bytes" if isinstance(text, (bytes, bytearray)) else ""))
    config = _config(config, "clean_text")
    check_length(len(text), config, source)
    with _clock(config, False, source):
        return _clean(text, config, source=source)


def clean_html(html: str | bytes, config: CleanConfig | None = None, *, source: str | None = None,
               url: str | None = None) -> CleanResult:
    """Extract the article of an HTML page with trafilatura, then clean it like plain text
    (within the settings' limits, as ``clean_text``; bytes are counted as bytes)."""
    if not isinstance(html, str):
        html = _as_bytes(html, "clean_html", "a str or bytes")
    config = _config(config, "clean_html")
    if isinstance(html, bytes):
        check_size(len(html), config, source)
    else:
        check_length(len(html), config, source)
    with _clock(config, True, source):
        return _page(html, config, source=source, url=url)


def clean_bytes(data: bytes, config: CleanConfig | None = None, *, source: str | None = None,
                is_html: bool | None = None) -> CleanResult:
    """Clean a document given as bytes; HTML is recognised by name or content unless told.
    Within the settings' limits, as ``clean_text``."""
    data = _as_bytes(data, "clean_bytes")
    config = _config(config, "clean_bytes")
    check_size(len(data), config, source)
    if is_html is None:
        is_html = is_html_input(data, source, config)
    with _clock(config, is_html, source):
        if is_html:
            return _page(data, config, source=source)
        text, _encoding = decode_bytes(data, source or "input")
        return _clean(text, config, source=source)


def _clock(config: CleanConfig, html: bool, source: str | None) -> AbstractContextManager[object]:
    """The document's time limit (``config.doc_timeout``), unless one is running in this thread
    already (a program's own ``time_limit`` around the call). The commands and dataset runs rely
    on this clock; without it a library user's ``doc_timeout`` was never applied, and a document
    could run for ever."""
    if running():
        return nullcontext()
    return document_clock(config, html, source or "document")


def _page(html: str | bytes, config: CleanConfig, *, source: str | None = None,
          url: str | None = None) -> CleanResult:
    """``clean_html`` without the checks and the clock."""
    from .extract import MIN_CHARS, RESCUE_MAX_KEPT, decode_html, extract_html, rescue

    if isinstance(html, bytes):
        html, _ = decode_html(html, source or "input")
    extraction = extract_html(html, url=url)
    result = _extracted(extraction, config, source)
    kept = len(result.text)
    noise = kept < MIN_CHARS and kept < RESCUE_MAX_KEPT * len(extraction.text)
    if extraction.method == "trafilatura" and noise:
        other = rescue(html, extraction)  # (the extracted text was noise: server errors, a prompt)
        if other is not None:
            second = _extracted(other, config, source)
            if len(second.text) > kept:
                return second
    return result


def _extracted(extraction: Extraction, config: CleanConfig, source: str | None) -> CleanResult:
    """An extraction cleaned, with its notes."""
    from .extract import method_note

    notes = (method_note(extraction.method, extraction.note), *extraction.edits)
    return _clean(extraction.text, config, source=source, page=extraction.metadata, notes=notes,
                  main_text=extraction.method != "html2txt")


def _config(config: object, function: str) -> CleanConfig:
    """The settings (None: the defaults), or a TypeError that says what was given: a dict of
    settings, or a source name given in its place, failed later with "'dict' object has no
    attribute 'max_line_chars'"."""
    if config is None:
        return CleanConfig()
    if isinstance(config, CleanConfig):
        return config
    hint = ("; make one with CleanConfig(**settings)" if isinstance(config, dict)
            else "; the source name goes in source=" if isinstance(config, str) else "")
    raise TypeError(f"{function}: config must be a CleanConfig, not {type(config).__name__}{hint}")


def _as_bytes(value: object, function: str, takes: str = "bytes") -> bytes:
    """``value`` as ``bytes`` (a bytearray or memoryview too), or a TypeError that says what the
    function takes: None (a record's missing field) gave "object of type 'NoneType' has no
    len()" or an AttributeError from deep inside, a str given to clean_bytes "'str' object has
    no attribute 'decode'"."""
    if isinstance(value, bytes):
        return value
    if isinstance(value, (bytearray, memoryview)):
        return bytes(value)
    hint = "; for a str use clean_text" if isinstance(value, str) else ""
    raise TypeError(f"{function} takes {takes}, not {type(value).__name__}{hint}")


def check_size(nbytes: int, config: CleanConfig, source: str | None) -> None:
    """InputError ("too_large") for a document over ``config.max_input_bytes`` (0: no limit)."""
    if config.max_input_bytes and nbytes > config.max_input_bytes:
        raise InputError(f"{source or 'input'}: {nbytes:,} bytes is over the limit of "
                         f"{config.max_input_bytes:,} (raise it with --max-input-bytes)", "too_large")


def check_length(nchars: int, config: CleanConfig, source: str | None) -> None:
    """InputError ("too_large") for a text of more characters than ``config.max_input_bytes``
    (as a dataset record's text is counted; at least as many bytes in any encoding)."""
    if config.max_input_bytes and nchars > config.max_input_bytes:
        raise InputError(f"{source or 'input'}: {nchars:,} characters is over the limit of "
                         f"{config.max_input_bytes:,} (raise it with --max-input-bytes)", "too_large")


def is_html_input(data: bytes, source: str | None, config: CleanConfig) -> bool:
    """Is this document a page (by ``config.html``, then its name, then its content)?"""
    if config.html != "auto":
        return config.html == "always"
    if source and source.lower().endswith(HTML_SUFFIXES):
        return True
    from .extract import looks_like_html

    return looks_like_html(data[:4096].decode("utf-8", errors="replace"))


def _clean(text: str, config: CleanConfig, *, source: str | None, page: dict[str, Any] | None = None,
           notes: tuple[str, ...] = (), main_text: bool = False) -> CleanResult:
    """``main_text``: the text is already an extractor's article body (no page to cut down)."""
    lines = split_lines(text, config.max_line_chars)
    header, first, cut = parse_header(lines)
    blocks = segment(lines[first:], first_cut=cut)
    decisions = _decide_rounds(blocks, header.title or (page or {}).get("title"), config,
                               extracted=main_text)
    late, decisions = _late_header(decisions)
    if late.fields:
        header = replace(header, fields={**late.fields, **header.fields}, date=header.date or late.date,
                         title=header.title or late.title)
    kept = [d for d in decisions if d.keep]
    out = emit(kept)
    removed = sorted([*header.removals, *(r for d in decisions for r in d.removals)],
                     key=lambda r: (r.start, r.end))
    language, probability = (None, None)
    if config.detect_language:
        language, probability = detect_language([d.kept_text for d in kept], config.language_sample_chars)
    page = page or {}
    title = header.title or page.get("title") or _title_guess([d.block for d in kept])
    date, date_source = (header.date, "header") if header.date else (page.get("date"), "html")
    metadata: dict[str, Any] = dict(header.fields)
    if page:
        metadata["page"] = page
    stats = {
        "chars_in": len(text), "chars_out": len(out),
        # (the input's lines: the pieces of a line cut by max_line_chars share its number;
        # an empty input has none, though it is split into one empty line)
        "lines_in": lines[-1].number if text else 0, "lines_out": out.count("\n"),
        "blocks_in": len(blocks), "blocks_out": len(kept),
        "removed_blocks": sum(1 for d in decisions if not d.keep),
        "removed_spans": sum(len(d.removals) for d in decisions if d.keep),
    }
    return CleanResult(text=out, title=title, date=date, date_source=date_source if date else None,
                       language=language, language_probability=probability, metadata=metadata,
                       removed=tuple(removed), stats=stats, source=source, notes=notes,
                       config_hash=config.digest(), decisions=tuple(decisions))


def _decide_rounds(blocks: list[Block], title: str | None, config: CleanConfig,
                   extracted: bool = False) -> list[Decision]:
    """Decide; while a round drops blocks, decide again over the survivors (a removal can make
    two blocks neighbours), so that cleaning clean output changes nothing. ``title``: the
    header's or the page's; without one, the rules are given a guess (``_title_after_menu``)."""
    rules = enabled_rules(config)
    memo: Memo = {}
    decisions = decide_all(blocks, title or _title_guess(blocks), rules, config, memo, extracted)
    seen = list(blocks)  # per input block, the block the last round's rules saw
    for _ in range(MAX_ROUNDS - 1):
        alive = [i for i, d in enumerate(decisions) if d.keep]
        if len(alive) == len(decisions) or not alive:
            break
        current = []
        for n, i in enumerate(alive):
            block, text = seen[i], decisions[i].kept_text
            if block.index != n or block.text != text:  # the same block again when neither moved
                block = seen[i] = block.moved(n, text)
            current.append(block)
        again = decide_all(current, title or _title_after_menu(decisions, current), rules, config, memo,
                           extracted)
        if all(d.keep for d in again):
            break
        for i, d in zip(alive, again, strict=True):
            if not d.keep:
                decisions[i] = d
    return decisions


def _late_header(decisions: list[Decision]) -> tuple[Header, list[Decision]]:
    """A header that only comes to the top once the noise above it is removed (so that
    cleaning the output again finds nothing new)."""
    first = next((i for i, d in enumerate(decisions) if d.keep), None)
    if first is None or (first == 0 and not decisions[0].removals):
        return EMPTY_HEADER, decisions  # nothing removed above: the header stage saw it all
    # header lines that a rule removed too ("Date: 2024-11-03" as a byline, "Author: Max" as a
    # stray short line) right above the first kept block: their fields are not lost
    start = first
    while start > 0 and first - start < MAX_HEADER_LINES and _field_line(decisions[start - 1]):
        start -= 1
    candidates: list[int] = list(range(start, first))
    for i in range(first, min(len(decisions), first + MAX_HEADER_LINES)):
        if decisions[i].keep:
            if decisions[i].removals and i != first:
                break
            candidates.append(i)
    lines = [_header_line(decisions[i]) for i in candidates]
    header, after, cut = parse_header(lines)
    if not header.fields:
        return EMPTY_HEADER, decisions
    out = list(decisions)
    for i in candidates[:after]:
        d = out[i]
        removal = block_removal(d.block, "metadata-header", ("header.fields",), "metadata header line")
        kept_removals = d.removals if d.keep else ()  # a removed header line: now as a header line
        out[i] = Decision(d.block, d.evidence, False, "", (*kept_removals, removal))
    if cut:
        d = out[candidates[after]]
        at = max(0, d.block.text.find(d.kept_text[:cut]))
        removal = span_removal(d.block, at, at + cut, "metadata-header", ("header.date",),
                               "date header glued to the first sentence")
        out[candidates[after]] = Decision(d.block, d.evidence, True, d.kept_text[cut:].lstrip(),
                                          (*d.removals, removal))
    return replace(header, removals=()), out


def _header_line(d: Decision) -> Line:
    text = d.kept_text if d.keep else d.block.text
    return Line(d.block.line, d.block.start, text, text, d.block.is_list_item)


def _field_line(d: Decision) -> bool:
    """Is the (removed) block one whole ``key: value`` header line (a known key, a real date),
    not removed as a photo credit ("Quelle: Agentur")?"""
    block = d.block
    if block.is_list_item or len(block.pieces) != 1 or any(r.kind in NOT_HEADER_KINDS for r in d.removals):
        return False
    header, after, cut = parse_header([_header_line(d)])
    return bool(header.fields) and after == 1 and cut == 0


def _title_after_menu(decisions: list[Decision], current: list[Block]) -> str | None:
    """The title guessed for a later round: of the blocks left (``current``) when the page rule
    cut the blocks above them (a page's menu; the title is the first line of the article below
    it), else of all the blocks, as in the first round."""
    first = next(i for i, d in enumerate(decisions) if d.keep)
    if first and all(any(e.rule == "page.outside_main" for e in d.evidence) for d in decisions[:first]):
        return _title_guess(current)
    return _title_guess([d.block for d in decisions])


def _title_guess(blocks: list[Block]) -> str | None:
    """The first block when it reads like a title: short, no sentence end, more text after it."""
    if len(blocks) < 2:
        return None
    first = blocks[0]
    words = first.text.split()
    if first.is_list_item or not 0 < len(words) <= TITLE_MAX_WORDS or ends_sentence(first.text):
        return None
    return first.text


def emit(kept: list[Decision]) -> str:
    """Blocks separated by one blank line; consecutive list items of one group on consecutive
    lines; a single trailing newline ("" when nothing is left)."""
    parts: list[str] = []
    previous: Block | None = None
    for d in kept:
        block = d.block
        if parts:
            same_list = (previous is not None and previous.is_list_item and block.is_list_item
                         and previous.group == block.group)
            parts.append("\n" if same_list else "\n\n")
        parts.append(d.kept_text)
        previous = block
    return "".join(parts) + "\n" if parts else ""
