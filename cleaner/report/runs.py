"""Read a cleaning run: the documents of every kind of run the report accepts, one at a time.

A run is one of:

* an output directory of ``cleaner clean IN -o OUT`` (``OUT/x/a.txt`` + ``OUT/x/a.json``);
* a JSONL output of dataset mode: one record per line, the clean text under ``text`` and the
  sidecar under ``cleaner`` (``.jsonl``, ``.ndjson``, optionally ``.gz``; a Parquet output with
  the sidecar as a JSON string, when pyarrow is installed); a file of sidecar lines (dataset
  mode's ``--sidecar FILE``) works too, without the texts;
* a directory holding any of these (the shards of a dataset run);
* a ``--stats`` JSON file of dataset mode, which names its output (or sits beside it).

Nothing is read before it is needed: directory runs keep only the path of each clean text.
"""

from __future__ import annotations

import gzip
import json
import os
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

from ..files import is_hidden

#: Characters of a removed item's evidence kept.
MAX_DETAIL_CHARS = 300
JSONL_SUFFIXES = (".jsonl", ".ndjson", ".jsonl.gz", ".ndjson.gz")
PARQUET_SUFFIXES = (".parquet",)
PARQUET_BATCH_ROWS = 1024
#: Fields that name a record, tried in this order (else its line number).
ID_KEYS = ("id", "doc_id", "document_id", "uuid", "url")
#: Where dataset mode puts the clean text and the sidecar in a record.
TEXT_KEY = "text"
SIDECAR_KEY = "cleaner"


class RunError(Exception):
    """The path given is not a run the report can read."""


@dataclass(slots=True)
class Document:
    """One document of a run, as read: its sidecar, and its clean text or where to find it."""

    doc_id: str
    name: str
    sidecar: dict[str, Any]
    text: str | None = None
    text_path: Path | None = None

    def clean_text(self) -> str:
        if self.text is not None:
            return self.text
        if self.text_path is not None and self.text_path.is_file():
            return self.text_path.read_text(encoding="utf-8", errors="replace")
        return ""


@dataclass(slots=True)
class Run:
    """What the reader found: the documents (an iterator, read once) and run-level facts."""

    path: Path
    kind: str  # "directory" | "jsonl" | "stats"
    documents: Iterator[Document]
    problems: Counter[str] = field(default_factory=Counter)  # failures seen while reading
    stats_file: dict[str, Any] | None = None


def open_run(path: Path) -> Run:
    """Recognise the run at ``path`` and return a reader over its documents."""
    if path.is_dir():
        run = Run(path, "directory", iter(()))
        run.documents = _read_directory(path, run.problems)
        return run
    if not path.is_file():
        raise RunError(f"{path}: no such file or directory")
    if path.name.lower().endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):
        run = Run(path, "jsonl", iter(()))
        run.documents = _read_records(path, run.problems)
        return run
    if path.suffix.lower() == ".json":
        return _open_stats(path)
    raise RunError(f"{path}: not a run; give an output directory of `cleaner clean`, "
                   "a JSONL output (.jsonl) or a --stats file (.json)")


def is_sidecar(value: Any) -> bool:
    return isinstance(value, dict) and isinstance(value.get("removed"), list) and "stats" in value


def _read_directory(root: Path, problems: Counter[str]) -> Iterator[Document]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not is_hidden(d))
        here = Path(dirpath)
        for name in sorted(filenames):
            path = here / name
            if is_hidden(name):
                continue
            if name.lower().endswith(JSONL_SUFFIXES + PARQUET_SUFFIXES):  # a shard of a dataset run
                shard = path.relative_to(root).as_posix()
                for doc in _read_records(path, problems):
                    yield Document(f"{shard}:{doc.doc_id}", f"{shard}:{doc.name}", doc.sidecar, doc.text)
                continue
            if not name.endswith(".json"):
                continue
            try:
                sidecar = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, ValueError):
                problems["unreadable sidecar"] += 1
                continue
            if not is_sidecar(sidecar):
                continue  # a stats file or some other JSON beside the outputs
            rel = path.relative_to(root).with_suffix("").as_posix()
            yield Document(rel, rel, sidecar, text_path=path.with_suffix(".txt"))


def _open_text(path: Path) -> IO[str]:
    if path.name.lower().endswith(".gz"):
        return gzip.open(path, "rt", encoding="utf-8")
    return path.open(encoding="utf-8")


def _read_records(path: Path, problems: Counter[str]) -> Iterator[Document]:
    records = _parquet_rows(path) if path.name.lower().endswith(PARQUET_SUFFIXES) else _jsonl_rows(path)
    for number, record in records:
        document = record_document(record, number)
        if document is None:
            problems["record without a sidecar"] += 1
        else:
            yield document


def record_document(record: Any, number: int) -> Document | None:
    """A dataset record: the sidecar under SIDECAR_KEY (an object or JSON text), or the
    record is itself a sidecar line; the clean text under ``text``.

    >>> record_document({"id": 7, "text": "A.", "cleaner": {"removed": [], "stats": {}}}, 3).doc_id
    '7'
    """
    if not isinstance(record, dict):
        return None
    sidecar = record.get(SIDECAR_KEY, record)
    if isinstance(sidecar, str):
        try:
            sidecar = json.loads(sidecar)
        except ValueError:
            return None
    if not is_sidecar(sidecar):
        return None
    doc_id = next((str(record[k]) for k in ID_KEYS if record.get(k) not in (None, "")), None)
    name = doc_id or str(sidecar.get("source") or f"line {number}")
    text = record.get(TEXT_KEY)
    return Document(doc_id or f"line {number}", name, sidecar, text=text if isinstance(text, str) else "")


def _jsonl_rows(path: Path) -> Iterator[tuple[int, Any]]:
    with _open_text(path) as handle:
        for number, line in enumerate(handle, 1):
            if line.strip():
                try:
                    yield number, json.loads(line)
                except ValueError:
                    yield number, None


def _parquet_rows(path: Path) -> Iterator[tuple[int, Any]]:
    try:
        import pyarrow.parquet as pq
    except ImportError as exc:
        raise RunError(f"{path}: reading Parquet needs pyarrow: pip install 'cleaner[parquet]'") from exc
    number = 0
    for batch in pq.ParquetFile(path).iter_batches(batch_size=PARQUET_BATCH_ROWS):
        for row in batch.to_pylist():
            number += 1
            yield number, row


def _open_stats(path: Path) -> Run:
    try:
        stats = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise RunError(f"{path}: cannot read it as JSON ({exc})") from exc
    if is_sidecar(stats):
        raise RunError(f"{path}: this is one document's sidecar; give the directory it is in")
    if not isinstance(stats, dict):
        raise RunError(f"{path}: not a --stats file (expected a JSON object)")
    for candidate in _stats_outputs(path, stats):
        if candidate.exists():
            run = open_run(candidate)
            return Run(run.path, "stats", run.documents, run.problems, stats)
    raise RunError(f"{path}: cannot find the output it describes; give the output "
                   "(directory or .jsonl) instead, with --stats FILE")


def _stats_outputs(path: Path, stats: dict[str, Any]) -> Iterator[Path]:
    """Where the sidecars of a stats file are: the output it names, else a JSONL beside it."""
    for key in ("output", "outputs", "output_path"):
        value = stats.get(key)
        for item in value if isinstance(value, list) else [value]:
            if isinstance(item, str) and item:
                given = Path(item)
                yield given if given.is_absolute() else path.parent / given
                yield given
    stem = path.name.removesuffix(".json").removesuffix(".stats")
    for suffix in JSONL_SUFFIXES:
        yield path.with_name(stem + suffix)


def stats_problems(stats: dict[str, Any]) -> tuple[Counter[str], Counter[str]]:
    """Failures and rejections as a --stats file counts them (numbers or {reason: n} maps)."""
    failures: Counter[str] = Counter()
    rejections: Counter[str] = Counter()
    for key, value in stats.items():
        target = failures if key in ("failed", "failures", "errors") else \
            rejections if key in ("rejected", "rejections", "skipped", "dropped") else None
        if target is None:
            continue
        if isinstance(value, bool):
            continue
        if isinstance(value, int) and value:
            target[key] += value
        elif isinstance(value, dict):
            target.update({str(k): v for k, v in value.items() if isinstance(v, int) and v})
        elif isinstance(value, list) and value:
            target[key] += len(value)
    return failures, rejections


def as_int(value: Any) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def removed_items(sidecar: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The sidecar's removed items with their fields checked (a bad item is skipped)."""
    for item in sidecar.get("removed") or ():
        if not isinstance(item, dict):
            continue
        rules = item.get("rules")
        yield {
            "text": str(item.get("text") or ""),
            "kind": str(item.get("kind") or "unknown"),
            "rules": [str(r) for r in rules] if isinstance(rules, list) and rules else ["(none)"],
            "line": as_int(item.get("line")),
            "start": as_int(item.get("start")),
            "end": as_int(item.get("end")),
            "detail": str(item.get("detail") or "")[:MAX_DETAIL_CHARS],
        }
