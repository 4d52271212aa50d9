"""``cleaner learn``: find the lines that recur across many documents of a corpus.

For every block (the unit the rules see) that may be learned (see
:func:`cleaner.rules.corpus.line_key`: short, not prose), count the number of distinct
documents it appears in, overall and per site (the host of a URL-like id). A line qualifies
when it appears in at least ``max(min_docs, min_fraction × documents)`` documents, or in at
least ``max(min_docs, site_fraction × site documents)`` documents of one site. Counting is
order-free, so the model does not depend on document order. The model stores the hashes that
qualify, the counts, a sample text of each and the thresholds used.
"""

from __future__ import annotations

import logging
import math
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from ._version import __version__
from .errors import CleanerError, ConfigError
from .normalize import split_lines
from .rules import corpus as rule
from .segment import segment

log = logging.getLogger(__name__)

MIN_DOCS_DEFAULT = 10
MIN_FRACTION_DEFAULT = 0.005
SITE_FRACTION_DEFAULT = 0.05
HTML_SUFFIXES = (".html", ".htm", ".xhtml", ".shtml")


@dataclass(frozen=True, slots=True)
class LearnOptions:
    """Where the documents are in the corpus, and the thresholds."""

    fmt: str | None = None
    text_key: str = "text"
    html_key: str | None = None
    id_key: str | None = None
    min_docs: int = MIN_DOCS_DEFAULT
    min_fraction: float = MIN_FRACTION_DEFAULT
    site_fraction: float = SITE_FRACTION_DEFAULT


def document_keys(text: str) -> set[str]:
    """The learnable line keys of one document (each counted once per document).

    >>> sorted(document_keys("Jetzt anmelden und sparen\\n\\nEin Satz. Noch einer."))
    ['ein satz. noch einer.', 'jetzt anmelden und sparen']
    """
    keys = (rule.line_key(b.text) for b in segment(split_lines(text)))
    return {k for k in keys if k is not None}


def site_of(doc_id: str | None) -> str | None:
    """The host of a URL-like id ("https://www.x.de/a" -> "x.de"), else None.

    >>> site_of("https://www.example.com/news/1"), site_of("doc-17")
    ('example.com', None)
    """
    if not doc_id or "://" not in doc_id:
        return None
    host = urlsplit(doc_id).hostname or ""
    return host.removeprefix("www.") or None


def learn(corpus: Path, options: LearnOptions) -> dict[str, Any]:
    """Count lines over the corpus and return the model (a JSON-ready dict)."""
    per_line: Counter[str] = Counter()
    per_site_line: Counter[tuple[str, str]] = Counter()
    site_docs: Counter[str] = Counter()
    documents = 0
    for doc_id, text in iter_documents(corpus, options):
        documents += 1
        keys = document_keys(text)
        per_line.update(keys)
        site = site_of(doc_id)
        if site is not None:
            site_docs[site] += 1
            per_site_line.update((site, k) for k in keys)
    if not documents:
        raise CleanerError(f"{corpus}: no documents to learn from")
    need = max(options.min_docs, math.ceil(options.min_fraction * documents))
    lines: dict[str, dict[str, Any]] = {}
    for key, count in per_line.items():
        if count >= need:
            lines[rule.line_hash(key)] = {"sample": key, "documents": count, "sites": []}
    for (site, key), count in sorted(per_site_line.items()):
        if count >= max(options.min_docs, math.ceil(options.site_fraction * site_docs[site])):
            entry = lines.setdefault(
                rule.line_hash(key), {"sample": key, "documents": per_line[key], "sites": []}
            )
            entry["sites"].append(site)
    return {
        "kind": rule.MODEL_KIND,
        "version": rule.MODEL_VERSION,
        "cleaner_version": __version__,
        "corpus": str(corpus),
        "documents": documents,
        "sites": len(site_docs),
        "thresholds": {
            **asdict(options),
            "documents_needed": need,
            "min_line_words": rule.MIN_LINE_WORDS,
            "max_line_words": rule.MAX_LINE_WORDS,
            "max_sentence_words": rule.MAX_SENTENCE_WORDS,
        },
        "lines": dict(sorted(lines.items())),
    }


def iter_documents(corpus: Path, options: LearnOptions) -> Iterator[tuple[str | None, str]]:
    """(id, text) of every document: files of a directory, or records of a dataset."""
    from .datasets import format_of, shards_of

    if corpus.is_dir():
        shards = shards_of(corpus, options.fmt)
        if shards is None:
            yield from _iter_files(corpus)
            return
    elif corpus.is_file():
        if format_of(corpus, options.fmt) is None:
            raise ConfigError(
                f"{corpus}: give a directory of text/HTML files or a .jsonl/.jsonl.gz/.parquet "
                "dataset (or --format)"
            )
        shards = [corpus]
    else:
        raise ConfigError(f"{corpus}: no such file or directory")
    for shard in shards:
        yield from _iter_records(shard, options)


def _iter_files(root: Path) -> Iterator[tuple[str | None, str]]:
    from .decode import decode_bytes
    from .files import iter_inputs

    for path in iter_inputs(root):
        try:
            data = path.read_bytes()
            if path.suffix.lower() in HTML_SUFFIXES:
                yield str(path), _html_text(data)
            else:
                yield str(path), decode_bytes(data, str(path))[0]
        except (CleanerError, OSError) as exc:
            log.warning("skipped %s: %s", path, exc)


def _iter_records(shard: Path, options: LearnOptions) -> Iterator[tuple[str | None, str]]:
    from .datasets.formats import RecordError, format_of, parse_record, read_chunks, record_text

    fmt = format_of(shard, options.fmt) or "jsonl"
    for chunk in read_chunks(shard, fmt):
        for item, line in zip(chunk.items, chunk.lines, strict=True):
            try:
                record = parse_record(item, line, fmt != "parquet")
                doc_id, text, is_html = record_text(
                    record, line, options.text_key, options.id_key, options.html_key
                )
                yield doc_id, _html_text(text) if is_html else text
            except (RecordError, CleanerError) as exc:
                log.warning("%s: skipped: %s", shard.name, exc)


def _html_text(html: str | bytes) -> str:
    from .extract import extract_html

    return extract_html(html).text


def model_summary(model: dict[str, Any], path: Path) -> str:
    lines = model["lines"]
    top = sorted(lines.values(), key=lambda v: (-v["documents"], v["sample"]))[:5]
    shown = "\n".join(f"  {v['documents']:>7,}  {v['sample'][:70]}" for v in top)
    return (
        f"cleaner: {len(lines):,} boilerplate lines from {model['documents']:,} documents "
        f"(at least {model['thresholds']['documents_needed']:,} each) -> {path}"
        + (f"\n{shown}" if shown else "")
    )
