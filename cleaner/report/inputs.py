"""The input text of a sampled document, with its removed spans located in it.

The sidecar's offsets (``start``, ``end``) point into the text the pipeline saw: the decoded
input file, or for HTML the text trafilatura extracted. When the sidecar's ``source`` file is
still there (tried as written, then relative to the run's parent directory) it is read and
decoded again exactly as when it was cleaned, and used only if every removed item's text is
found at its offsets: then the highlighted spans are exact. Otherwise (the source moved or
changed, a dataset record, stdin) the input is rebuilt from the clean text plus the removed
items, each put back where its input offset suggests (snapped to a line or word start): the
text is all there, the positions are approximate, and the viewer says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .runs import Document, as_int, removed_items

#: Characters of input text embedded per document at most.
MAX_DOC_CHARS = 30_000
#: A source file larger than this is not read again (the rebuilt text is used).
MAX_SOURCE_BYTES = 50_000_000
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


@dataclass(frozen=True, slots=True)
class InputView:
    """A document's input text with its removed spans: ``mode`` is ``source`` (exact) or
    ``rebuilt`` (approximate positions)."""

    text: str
    spans: tuple[tuple[int, int, dict[str, Any]], ...]
    mode: str
    truncated: bool = False


def input_view(doc: Document, run_root: Path, limit: int = MAX_DOC_CHARS) -> InputView:
    """The input of a sampled document with every removed span, cut to ``limit`` characters."""
    items = sorted(removed_items(doc.sidecar), key=lambda i: (i["start"], i["end"]))
    notes = doc.sidecar.get("notes")
    rescued = isinstance(notes, list) and bool(notes) and _is_rescue_note(notes[0])
    original = read_source(doc.sidecar.get("source"), run_root, rescued)
    if original is not None and _spans_match(original, items):
        view = InputView(original, tuple((i["start"], i["end"], i) for i in items), "source")
    else:
        view = rebuild_input(doc.clean_text(), items, as_int(doc.sidecar.get("stats", {}).get("chars_in")))
    return _truncate(view, limit)


def _is_rescue_note(note: Any) -> bool:
    """Was the page's text its baseline's, the rules having removed almost all of what
    trafilatura extracted (``extract.rescue``)?"""
    from ..extract import RESCUE_NOTE_START

    return isinstance(note, str) and note.startswith(RESCUE_NOTE_START)


def read_source(source: Any, run_root: Path, rescued: bool = False) -> str | None:
    """The text the sidecar's offsets refer to, if its ``source`` file is still there.

    A relative source is tried from the current directory, then beside the run. HTML goes
    through the same extraction as when it was cleaned (``rescued``: and then through
    ``extract.rescue``, as the sidecar's notes say it went).
    """
    if not isinstance(source, str) or not source or source.startswith("<"):
        return None
    given = Path(source)
    for path in (given,) if given.is_absolute() else (given, run_root.parent / given):
        try:
            if not path.is_file() or path.stat().st_size > MAX_SOURCE_BYTES:
                continue
            data = path.read_bytes()
        except OSError:
            continue
        from ..errors import CleanerError

        try:
            if path.suffix.lower() in HTML_SUFFIXES:
                from ..extract import decode_html, extract_html, rescue

                html = decode_html(data)[0]
                extraction = extract_html(html)
                other = rescue(html, extraction) if rescued else None
                return (other or extraction).text
            from ..decode import decode_bytes

            return decode_bytes(data, source)[0]
        except CleanerError:
            return None
    return None


def _spans_match(text: str, items: list[dict[str, Any]]) -> bool:
    """Every removed item's text is at its offsets (the input has not changed since)."""
    return all(0 <= i["start"] <= i["end"] <= len(text)
               and " ".join(text[i["start"]:i["end"]].split()) == " ".join(i["text"].split())
               for i in items)


#: How far (characters) a rebuilt removal may move to start on a line or a word.
SNAP_LINE_CHARS = 12
SNAP_WORD_CHARS = 40


def rebuild_input(clean: str, items: list[dict[str, Any]], chars_in: int) -> InputView:
    """Put the removed items back into the clean text where their input offsets suggest.

    >>> v = rebuild_input("Title\\n\\nBody text.\\n", [{"start": 7, "end": 16, "text": "Foto: dpa"}], 36)
    >>> v.text
    'Title\\n\\nFoto: dpa\\n\\nBody text.\\n'
    >>> v.text[v.spans[0][0]:v.spans[0][1]]
    'Foto: dpa'
    """
    removed_total = sum(max(0, i["end"] - i["start"]) for i in items)
    kept_in = max(1, chars_in - removed_total)
    scale = len(clean) / kept_in if chars_in > removed_total else 1.0
    parts: list[str] = []
    spans: list[tuple[int, int, dict[str, Any]]] = []
    pos = out_len = removed_before = 0
    for item in items:
        target = min(len(clean), max(pos, round((item["start"] - removed_before) * scale)))
        cut = _snap(clean, target, pos)
        parts.append(clean[pos:cut])
        out_len += cut - pos
        at_line = cut == 0 or clean[cut - 1] == "\n"
        lead = "" if at_line else (" " if clean[cut - 1] != " " else "")
        if cut == len(clean) and clean:  # after the last paragraph: a paragraph of its own
            lead = "\n" * max(0, 2 - (len(clean) - len(clean.rstrip("\n"))))
        tail = "\n" if cut == len(clean) else "\n\n" if at_line else " "
        parts.append(lead + item["text"] + tail)
        start = out_len + len(lead)
        spans.append((start, start + len(item["text"]), item))
        out_len += len(lead) + len(item["text"]) + len(tail)
        pos = cut
        removed_before += max(0, item["end"] - item["start"])
    parts.append(clean[pos:])
    return InputView("".join(parts), tuple(spans), "rebuilt")


def _snap(text: str, target: int, floor: int) -> int:
    """The nearest paragraph start near ``target`` (not before ``floor``), else the nearest word."""

    def line_start(i: int) -> bool:
        return i == len(text) or ((i == 0 or text[i - 1] == "\n") and text[i] != "\n")

    def word_start(i: int) -> bool:
        return i == 0 or text[i - 1] in " \n"

    for limit, at in ((SNAP_LINE_CHARS, line_start), (SNAP_WORD_CHARS, word_start)):
        for delta in range(limit + 1):
            for i in (target - delta, target + delta):
                if floor <= i <= len(text) and at(i):
                    return i
    return target


def _truncate(view: InputView, limit: int) -> InputView:
    if len(view.text) <= limit:
        return view
    spans = tuple(s for s in view.spans if s[1] <= limit)
    return InputView(view.text[:limit], spans, view.mode, truncated=True)
