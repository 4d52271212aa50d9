"""Counts of a dataset run: merging per-chunk counts, the one-screen summary, the --stats JSON,
and the progress line shown on a terminal."""

from __future__ import annotations

import sys
import time
from collections import Counter
from typing import Any, TextIO

from ..terminal import clear_progress, progress_drawn

Counts = dict[str, dict[str, int]]
#: Entries shown per line of the summary (removals by kind, languages); the JSON has all.
SUMMARY_TOP = 8
#: Seconds between two redraws of the progress line.
PROGRESS_INTERVAL_SECONDS = 0.25


def merge_counts(total: Counts, more: Counts) -> Counts:
    """Sum two count tables (keys sorted, so the result does not depend on merge order).

    >>> merge_counts({"documents": {"in": 2}}, {"documents": {"in": 1, "failed": 1}})
    {'documents': {'failed': 1, 'in': 3}}
    """
    out: Counts = {}
    for section in sorted(set(total) | set(more)):
        merged = Counter(total.get(section, {}))
        merged.update(more.get(section, {}))
        out[section] = dict(sorted(merged.items()))
    return out


def stats_json(
    counts: Counts,
    *,
    seconds: float,
    workers: int,
    inputs: list[str],
    outputs: list[str],
    input_bytes: int,
    run_documents: int,
    already_complete: list[str] | None = None,
) -> dict[str, Any]:
    """The --stats document: the counts plus how the run went (``run_documents`` and
    ``input_bytes`` count this invocation only; a resumed run's counts cover the whole input;
    ``already_complete``: the outputs a --resume found finished and left as they were)."""
    docs = counts.get("documents", {})
    return {
        "documents": {k: docs.get(k, 0) for k in ("in", "written", "rejected", "failed")},
        "rejected": counts.get("rejected", {}),
        "failed": counts.get("failed", {}),
        "removed": counts.get("removed", {}),
        "removed_by_rule": counts.get("rules", {}),
        "languages": counts.get("languages", {}),
        "chars": counts.get("chars", {}),
        "without_id": counts.get("ids", {}).get("missing", 0),  # (records that lack --id-key)
        "warnings": counts.get("warnings", {}),
        "inputs": inputs,
        "outputs": outputs,
        "input_bytes": input_bytes,
        "run_documents": run_documents,
        "seconds": round(seconds, 3),
        "workers": workers,
        "already_complete": already_complete or [],
    }


def missing_ids_warning(id_key: str | None, missing: int, read: int,
                        then: str = "they are named by their line only") -> str | None:
    """The one warning of a run (``clean`` or ``learn``) whose ``missing`` records of ``read``
    lack the --id-key field or hold null there: they are still used (``then``: as what). None
    of them having it is likely a misspelt key.

    >>> missing_ids_warning("url", 2, 5)
    '--id-key url: 2 of 5 records lack this field (or it is null); they are named by their line only'
    >>> missing_ids_warning("url", 0, 5) is None
    True
    """
    if not (id_key and missing):
        return None
    if missing >= read:
        return (f"--id-key {id_key}: no record has this field (or it is null in every one): check the "
                f"name; {then}")
    return f"--id-key {id_key}: {missing:,} of {read:,} records lack this field (or it is null); {then}"


def _top(table: dict[str, int]) -> str:
    if not table:
        return "-"
    items = sorted(table.items(), key=lambda kv: (-kv[1], kv[0]))
    shown = ", ".join(f"{k} {v:,}" for k, v in items[:SUMMARY_TOP])
    rest = len(items) - SUMMARY_TOP
    return shown + (f", … {rest} more" if rest > 0 else "")


#: A run shorter than this (shown as "0.0 s") gets no rates: divided by next to nothing, they
#: were absurd ("2,000,000,000 docs/s, 470000.0 MB/s" for a run whose every output was refused).
RATE_MIN_SECONDS = 0.05


def summary_text(stats: dict[str, Any]) -> str:
    """One screen: documents in/out/rejected/failed, removals by kind, languages."""
    d = stats["documents"]
    seconds = max(stats["seconds"], 1e-9)
    lines = [
        f"cleaner: {', '.join(stats['inputs'])} -> {', '.join(stats['outputs'])}",
        f"  documents  in {d['in']:,}  written {d['written']:,}  rejected {d['rejected']:,}  "
        f"failed {d['failed']:,}",
    ]
    if d["rejected"]:
        lines.append(f"  rejected   {_top(stats['rejected'])}")
    if d["failed"]:
        lines.append(f"  failed     {_top(stats['failed'])}")
    if stats.get("without_id"):
        lines.append(f"  no id      {stats['without_id']:,} records lack the --id-key field (or it is null)")
    lines.append(f"  removed    {_top(stats['removed'])}")
    lines.append(f"  languages  {_top(stats['languages'])}")
    if d["in"] and not stats["run_documents"]:  # (a --resume of a finished output)
        lines.append("  time       none: nothing was left to clean")
    elif stats["seconds"] < RATE_MIN_SECONDS:  # (every document refused before it was read, say)
        lines.append(f"  time       {stats['seconds']:.1f} s, {stats['workers']} worker(s)")
    else:
        lines.append(
            f"  time       {stats['seconds']:.1f} s, {stats['run_documents'] / seconds:,.0f} docs/s, "
            f"{stats['input_bytes'] / seconds / 1e6:.1f} MB/s, {stats['workers']} worker(s)"
        )
    return "\n".join(lines)


class Progress:
    """A single redrawn line on stderr: documents, docs/s, MB/s, and ETA when the total is known."""

    def __init__(self, enabled: bool, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.stream = stream or sys.stderr
        self.started = time.monotonic()
        self.last = 0.0
        self.docs = 0
        self.nbytes = 0

    def update(self, docs: int, nbytes: int, fraction: float | None, label: str = "") -> None:
        self.docs += docs
        self.nbytes += nbytes
        now = time.monotonic()
        if not self.enabled or now - self.last < PROGRESS_INTERVAL_SECONDS:
            return
        self.last = now
        elapsed = max(now - self.started, 1e-9)
        rate, mb_rate = self.docs / elapsed, self.nbytes / elapsed / 1e6
        text = f"{label} {self.docs:,} docs  {rate:,.0f} docs/s  {mb_rate:.1f} MB/s"
        if fraction and 0 < fraction <= 1:
            eta = elapsed * (1 - fraction) / fraction
            text += (
                f"  {fraction:.0%}  ETA {int(eta) // 3600}:{int(eta) % 3600 // 60:02d}:{int(eta) % 60:02d}"
            )
        self.stream.write("\r" + text[:120].ljust(80))
        self.stream.flush()
        progress_drawn()  # (a message written meanwhile clears it first: see cleaner.terminal)

    def close(self) -> None:
        if self.enabled and self.last:
            self.stream.write("\r" + " " * 80 + "\r")
            self.stream.flush()
            clear_progress(self.stream)
