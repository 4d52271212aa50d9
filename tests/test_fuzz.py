"""Property-based fuzzing: hostile text, bytes and HTML never crash the pipeline and never take
pathological time.

Every document must either be cleaned or fail with a CleanerError (a clear, per-document
error); any other exception is a bug. Each document must take less than ``FUZZ_MAX_SECONDS``
of CPU time (default 1 s): the inputs are built from the pieces the rules look for (dates,
credits, bullets, separators, all-caps words, entities, mojibake), repeated many times,
which is what makes a backtracking regular expression blow up.

The default run is bounded for CI (``FUZZ_EXAMPLES``, default 100 examples per property, 250
with ``CLEANER_TESTS_FULL=1``; see tests/conftest.py). The long run loops the same properties
with fresh random seeds until a time budget is spent and writes what it saw to a JSON file::

    FUZZ_LONG_SECONDS=1800 FUZZ_REPORT=/tmp/fuzz-long.json .venv/bin/python -m tests.test_fuzz

(see docs/limits.md for the result of the last long run).
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

from hypothesis import HealthCheck, Phase, example, given, settings
from hypothesis import strategies as st

from cleaner import CleanConfig
from cleaner.errors import CleanerError
from cleaner.pipeline import clean_bytes, clean_html, clean_text

from .conftest import FUZZ_EXAMPLES as EXAMPLES

MAX_SECONDS = float(os.environ.get("FUZZ_MAX_SECONDS", "1.0"))
#: Documents are cut to this many characters (twice a long article): the limit is about
#: pathological time, not size (see docs/limits.md for the one known quadratic rule).
MAX_CHARS = 10_000
#: Timeouts off: a slow document must show up as slow, not be cut short by the guard.
FAST = CleanConfig(detect_language=False, doc_timeout=0)
FULL = CleanConfig(doc_timeout=0)
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    database=None,
    phases=[Phase.explicit, Phase.generate],  # no shrinking: a slow example is reported as found
    suppress_health_check=list(HealthCheck),
)

#: Pieces the rules, the header parser and the normalizer react to.
ATOMS = [
    "date ", "Datum: ", "2025-02", "03.11.2024", "3. März 2024", "March 3, 2024", "Date:", "title: ",
    "---", "Foto: ", "(Bild: dpa)", "Photo by ", "(NASA/JPL/", "images)", "©", "(c) 2020", "Copyright ",
    "All rights reserved", "GEHEN SIE ZUM ", "VERDIENENKARTE ", "WIN-FAST.NET", "bonuswelt24.de",
    "https://x.de/a?b=c", "www.", "@sama", " > ", " | ", " » ", " / ", "::", "•", "- ", "* ", "1. ",
    "a) ", "...", "…", "[…]", "&amp;", "&#x41;", "&#128512;", "&nbsp;", "Ã¼", "\u00e2\u20ac\u2122",
    "Ã", "\u200b",
    "\u00ad", "\u00a0", "\u202f", "\t", "\r\n", "\n", "\n\n", "\r", "\u2028", "\x85", " ", "  ", "a",
    "A", "ab", "AB", ".", ":", ";", "!", "?", "(", ")", "[", "]", "/", "-", "'", "\u2019", '"',
    "\u201e", "\u201c",
    "ä", "ß", "é", "İ", "中文", "🙂", "\x00", "\x07", "\x1b[31m", "\x9b", "\ufffd", "Read more",
    "Lesen Sie auch:", "Anzeige", "Newsletter", "Cookies", "Follow us on Twitter", "Share",
    "12:30", "10 a.m.", "vor 3 Stunden", "updated ", "By John", "von Anna", "Novembro (161)",
    "0", "42", "1999", "x" * 40, "Der Satz geht weiter. ", "und dann ", "ELON MUSK ", "<p>", "</div>",
]
atom = st.one_of(st.sampled_from(ATOMS), st.text(max_size=12))
#: A few pieces, the whole repeated up to a few hundred times (the ReDoS shape), joined.
repeated = st.tuples(st.lists(atom, min_size=1, max_size=6), st.integers(1, 400)).map(
    lambda t: "".join(t[0]) * t[1]
)
documents = st.lists(st.one_of(atom, repeated), max_size=40).map(lambda parts: "".join(parts)[:MAX_CHARS])
html_tags = st.sampled_from(["div", "p", "span", "article", "li", "ul", "table", "td", "a", "b", "script"])


@st.composite
def html_pages(draw: Callable[..., Any]) -> str:
    """Nested, repeated, truncated and unbalanced markup around fuzzed text."""
    depth = draw(st.integers(0, 300))
    tags = [draw(html_tags) for _ in range(min(depth, 8))] or ["div"]
    opening = "".join(f"<{tags[i % len(tags)]}>" for i in range(depth))
    body = draw(documents)
    repeats = draw(st.integers(0, 2000))
    row = draw(st.sampled_from(["<p>x</p>", "<li>Item</li>", "<div class='ad'>Anzeige</div>", "<br>"]))
    closing = "" if draw(st.booleans()) else "".join(f"</{tags[i % len(tags)]}>" for i in range(depth))
    page = f"<html><head><title>{body[:50]}</title></head><body>{opening}{body}{row * repeats}{closing}"
    cut = draw(st.integers(0, len(page)))
    return page[:cut] if draw(st.booleans()) else page


class Timings:
    """The slowest document seen (CPU seconds) and how many were checked."""

    def __init__(self) -> None:
        self.count = 0
        self.failed = 0
        self.slowest = 0.0
        self.slowest_kind = ""
        self.slowest_sample = ""
        self.slow: list[dict[str, Any]] = []  # every document over MAX_SECONDS, in full

    def run(self, kind: str, fn: Callable[[], Any], sample: str | bytes) -> None:
        result, elapsed = self._timed(fn)
        if elapsed >= MAX_SECONDS:  # once more: a one-off cost (a lazy import, a GC pause) is
            result, elapsed = self._timed(fn)  # not slowness of the input
        self.count += 1
        self.failed += result is None
        if elapsed > self.slowest:
            self.slowest, self.slowest_kind = elapsed, kind
            self.slowest_sample = repr(sample[:300])
        if elapsed >= MAX_SECONDS:
            self.slow.append({"seconds": round(elapsed, 3), "kind": kind, "repr": repr(sample)})
        if result is not None:
            assert isinstance(result.text, str)
            json.dumps(result.sidecar)
        assert elapsed < MAX_SECONDS, f"{kind}: {elapsed:.2f} s for {len(sample):,} chars: {sample[:200]!r}"


    def _timed(self, fn: Callable[[], Any]) -> tuple[Any, float]:
        started = time.process_time()
        try:
            result = fn()
        except CleanerError:
            result = None  # a clean per-document error is an allowed outcome
        return result, time.process_time() - started


TIMINGS = Timings()


def _warm_up() -> None:
    clean_text("Titel\n\nEin Satz zum Aufwärmen der Regeln.\n", FULL)
    clean_html("<html><body><p>Ein Satz zum Aufwärmen.</p></body></html>", FAST)


_warm_up()


@FUZZ
@given(documents)
@example("Share\\p{L}{4,}Share#" * 500)  # one 10,000-character "word" of follow verbs: 1.3 s (session 12)
def test_fuzz_text(text: str) -> None:
    TIMINGS.run("text", lambda: clean_text(text, FAST), text)


@FUZZ
@given(documents)
def test_fuzz_text_and_language(text: str) -> None:
    TIMINGS.run("text+language", lambda: clean_text(text, FULL), text)


@FUZZ
@given(st.one_of(st.binary(max_size=4000), documents.map(lambda t: t.encode("utf-8", "surrogatepass")),
                 documents.map(lambda t: t.encode("cp1252", "replace")),
                 documents.map(lambda t: t.encode("utf-16"))))
def test_fuzz_bytes(data: bytes) -> None:
    TIMINGS.run("bytes", lambda: clean_bytes(data, FAST, source="fuzz.txt"), data)


@FUZZ
@given(html_pages())
def test_fuzz_html(page: str) -> None:
    TIMINGS.run("html", lambda: clean_html(page, FAST), page)


#: JSON values a record's other fields may hold (kept as they were, whatever they are).
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=20)
    | st.sampled_from(["\ud83d", "x\udc00", "\\u00e9", "\\/", "C:\\users"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner, max_size=3),
    max_leaves=8,
)
#: A record's text: fuzzed documents, with what JSON can carry that a file cannot (a lone
#: surrogate escape, a NUL), or not a string at all.
record_texts = st.one_of(
    documents,
    st.tuples(documents, st.sampled_from(["\ud83d", "\udfff", "\x00", "\u2028"])).map("".join),
    json_values,
)


@st.composite
def jsonl_lines(draw: Callable[..., Any]) -> bytes:
    """One JSONL line: a record with a text or an HTML field and other fields, written with or
    without ASCII escapes and spaces; now and then a line that is not a JSON object."""
    kind = draw(st.sampled_from(["text", "text", "html", "missing", "garbage"]))
    if kind == "garbage":
        return draw(st.sampled_from([b"[1, 2]", b"{bad json", b'"text"', b"\xff\xfe{}", b"null",
                                     b'{"text": "a", "text": 5}']))
    record = draw(st.dictionaries(st.sampled_from(["id", "url", "meta", "title", "n"]), json_values,
                                  max_size=4))
    if kind == "html":
        record["html"] = draw(html_pages()) if draw(st.booleans()) else draw(record_texts)
    elif kind == "text":
        record["text"] = draw(record_texts)
    ascii_only, spaced = draw(st.booleans()), draw(st.booleans())
    line = json.dumps(record, ensure_ascii=ascii_only, separators=(", ", ": ") if spaced else (",", ":"))
    return line.encode("utf-8", "surrogatepass")


@FUZZ
@given(st.lists(jsonl_lines(), min_size=1, max_size=6), st.booleans())
def test_fuzz_records(lines: list[bytes], sidecar_inline: bool) -> None:
    """A chunk of fuzzed JSONL lines: every record ends as written, rejected or failed; nothing
    raises; every line written is UTF-8 JSON whose other fields are the record's own."""
    from cleaner.datasets import RecordSpec, process_chunk
    from cleaner.datasets.formats import Chunk

    spec = RecordSpec(FAST, html_key="html", min_chars=20, sidecar_inline=sidecar_inline)
    chunk = Chunk(0, 0, tuple(lines), tuple(range(1, len(lines) + 1)), sum(map(len, lines)), 0)
    started = time.process_time()
    result = process_chunk(chunk, spec)
    elapsed = time.process_time() - started
    if elapsed >= MAX_SECONDS * len(lines):  # once more, as Timings.run: a one-off cost (dateparser
        started = time.process_time()  # loading every locale for the first date string none reads)
        result = process_chunk(chunk, spec)
        elapsed = time.process_time() - started
    assert elapsed < MAX_SECONDS * len(lines), f"{elapsed:.2f} s for {len(lines)} records"
    documents = result.counts["documents"]
    assert documents["in"] == len(lines)
    ended = documents.get("written", 0) + documents.get("rejected", 0) + documents.get("failed", 0)
    assert ended == len(lines)
    written = _lines(result.output)  # type: ignore[arg-type]
    rejected = _lines(result.rejected)
    assert len(written) == documents.get("written", 0) and len(rejected) == len(lines) - len(written)
    originals = {json.dumps(r, sort_keys=True) for r in _records(lines)}
    for record in written:
        assert isinstance(record["text"], str)
        kept = {k: v for k, v in record.items() if k not in ("text", "cleaner")}
        assert any(_same_fields(kept, json.loads(o)) for o in originals), kept


@FUZZ
@given(st.lists(jsonl_lines(), min_size=1, max_size=6))
def test_fuzz_records_to_parquet(lines: list[bytes]) -> None:
    """The same chunks written as Parquet rows: a table is built whatever the fields hold, with
    a column for every field of every written record."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    from cleaner.datasets import RecordSpec, process_chunk
    from cleaner.datasets.formats import Chunk
    from cleaner.datasets.parquet_rows import table_of

    spec = RecordSpec(FAST, html_key="html", output_parquet=True)
    chunk = Chunk(0, 0, tuple(lines), tuple(range(1, len(lines) + 1)), sum(map(len, lines)), 0)
    rows = process_chunk(chunk, spec).output
    assert isinstance(rows, list)
    if rows:
        table = table_of(pa, rows)
        assert table.num_rows == len(rows)
        assert set(table.column_names) == {name for row in rows for name in row}
        import pyarrow.parquet as pq

        pq.write_table(table, pa.BufferOutputStream())  # Parquet takes it as it is


def _lines(data: bytes) -> list[Any]:
    """JSONL as JSONL readers read it: lines end at "\n" only (a raw U+2028 is inside a string),
    and each one is UTF-8 (json.loads of bytes would accept UTF-16 and surrogates)."""
    return [json.loads(line.decode("utf-8")) for line in data.split(b"\n") if line]


def _records(lines: list[bytes]) -> list[dict[str, Any]]:
    records = []
    for line in lines:
        try:
            value = json.loads(line)
        except ValueError:
            continue
        if isinstance(value, dict):
            records.append(value)
    return records


def _same_fields(kept: dict[str, Any], original: dict[str, Any]) -> bool:
    """The written record's other fields are the original's, as JSON can hold them: an infinite
    float (the generator makes them) is written as null (see json_lines.dumps)."""
    from cleaner.datasets.json_lines import dumps

    original = json.loads(dumps(original))
    return all(original.get(k) == v for k, v in kept.items()) and set(original) - {"text"} <= set(kept)


def long_run(seconds: float, report: str | None) -> int:
    """Loop every property with fresh seeds until ``seconds`` are spent; 0 when nothing broke."""
    tests = [test_fuzz_text, test_fuzz_text_and_language, test_fuzz_bytes, test_fuzz_html, test_fuzz_records,
             test_fuzz_records_to_parquet]
    started = time.monotonic()
    rounds, errors = 0, []
    while time.monotonic() - started < seconds:
        for test in tests:
            try:
                test()
            except BaseException as exc:  # record it and go on: the report lists every failure
                errors.append(f"{test.__name__}: {type(exc).__name__}: {str(exc)[:500]}")
                if isinstance(exc, KeyboardInterrupt):
                    seconds = 0
                    break
        rounds += 1
        summary = {
            "seconds": round(time.monotonic() - started, 1),
            "rounds": rounds,
            "documents": TIMINGS.count,
            "clean_errors": TIMINGS.failed,
            "slowest_cpu_seconds": round(TIMINGS.slowest, 3),
            "slowest_kind": TIMINGS.slowest_kind,
            "slowest_sample": TIMINGS.slowest_sample,
            "max_seconds": MAX_SECONDS,
            "examples_per_property": EXAMPLES,
            "failures": errors,
            "slow_documents": TIMINGS.slow,  # in full: eval(repr) rebuilds them
        }
        if report:
            with open(report, "w", encoding="utf-8") as handle:  # noqa: PTH123
                json.dump(summary, handle, indent=1, ensure_ascii=False)
    print(json.dumps(summary, indent=1, ensure_ascii=False))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(long_run(float(os.environ.get("FUZZ_LONG_SECONDS", "1800")), os.environ.get("FUZZ_REPORT")))
