"""The progress journal of one shard: ``<out>.progress.json``.

At every chunk boundary the part files are flushed and fsync'd, then the journal is replaced
atomically with: the input position and record count reached, the size of every part file,
and the counts so far. ``--resume`` truncates the parts back to those sizes and continues
reading the input from that position, so no record is lost or written twice.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import CleanerError
from .writers import fsync_dir

JOURNAL_VERSION = 1


class ResumeError(CleanerError):
    """The outputs are in a state this run may not touch (finished, or interrupted)."""


def journal_path_for(output: Path) -> Path:
    return output.with_name(output.name + ".progress.json")


def input_identity(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return {"path": str(path.resolve()), "size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


@dataclass(slots=True)
class Journal:
    """Where a shard's run stands. ``files`` maps a role (output, sidecars, rejected) to its
    part size (bytes, or chunk files for Parquet)."""

    path: Path
    job: str  # digest of the options that shape the output
    source: dict[str, Any]
    chunk_records: int
    records: int = 0
    position: int = 0
    files: dict[str, int] = field(default_factory=dict)
    counts: dict[str, dict[str, int]] = field(default_factory=dict)
    done: bool = False
    #: the same options by name, as text (``--min-chars: "100"``), to say which ones differ;
    #: empty in a journal written before they were kept
    options: dict[str, str] = field(default_factory=dict)

    def save(self) -> None:
        data = {
            "version": JOURNAL_VERSION,
            "job": self.job,
            "input": self.source,
            "chunk_records": self.chunk_records,
            "records": self.records,
            "position": self.position,
            "files": self.files,
            "counts": self.counts,
            "done": self.done,
            "options": self.options,
        }
        tmp = self.path.with_name(self.path.name + ".tmp")
        with tmp.open("w", encoding="utf-8") as handle:
            json.dump(data, handle, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        fsync_dir(self.path.parent)

    def remove(self) -> None:
        self.path.unlink(missing_ok=True)


def load_journal(path: Path) -> Journal:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data.get("version") != JOURNAL_VERSION:
            raise ValueError(f"version {data.get('version')}")
        return Journal(
            path,
            data["job"],
            data["input"],
            data["chunk_records"],
            data["records"],
            data["position"],
            data["files"],
            data["counts"],
            data["done"],
            dict(data.get("options") or {}),
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ResumeError(
            f"cannot read the progress journal {path} ({exc}); start over with --force"
        ) from exc


def check_resumable(journal: Journal, job: str, source: dict[str, Any],
                    options: dict[str, str] | None = None) -> None:
    """The interrupted run must have had the same input and the same output-shaping options
    (``job``, their digest); when they differ, the message names the ones that do, from
    ``options`` and those the journal kept."""
    if journal.source != source:
        raise ResumeError(
            f"{source['path']} changed since the interrupted run ({journal.path}); start over with --force"
        )
    if journal.job != job:
        differ = options_differing(journal.options, options or {})
        raise ResumeError(
            f"the options differ from those of the interrupted run ({journal.path})"
            + (f": {differ}" if differ else "")
            + "; rerun with the same options, or start over with --force"
        )


def options_differing(then: dict[str, str], now: dict[str, str]) -> str:
    """The options whose value changed, as ``--min-chars: 100 then, 200 now``, in the order of
    ``now`` ("" when ``then`` is empty: a journal that did not keep them).

    >>> options_differing({"--min-chars": "100", "--lang": "de"}, {"--min-chars": "200", "--lang": "de"})
    '--min-chars: 100 then, 200 now'
    """
    if not then:
        return ""
    names = [*now, *(name for name in then if name not in now)]
    return "; ".join(f"{name}: {then.get(name, 'not set')} then, {now.get(name, 'not set')} now"
                     for name in names if then.get(name) != now.get(name))
