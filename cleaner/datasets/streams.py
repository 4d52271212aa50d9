"""A dataset run through a pipe: JSONL records from stdin, or to stdout, or both; or a run
with an output that is a device or a named pipe (``-o /dev/stdout``, ``--rejected /dev/null``,
a FIFO another program reads).

    zcat crawl.jsonl.gz | cleaner clean - --format jsonl | gzip > clean.jsonl.gz

The records go through the same chunks, workers and per-record work as a file run (same
output bytes), and come out in input order, each chunk as soon as it and the ones before it
are done. A pipe cannot be read again, and what went into a device or a named pipe cannot be
cut back, so there is no journal and no ``--resume``; files written beside the stream (``-o
FILE`` from stdin, ``--sidecar``, ``--rejected``) are written as ``.part`` files and renamed
when the run completes, as in a file run.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, BinaryIO

from ..config import CleanConfig
from ..files import write_all
from .formats import read_chunks
from .job import (
    STREAM,
    RunOptions,
    Shard,
    _check_columns,
    _parquet_output,
    record_spec,
    write_extras,
    written_into,
)
from .resume import journal_path_for
from .runner import make_executor
from .summary import Counts, Progress, merge_counts, stats_json
from .writers import BytesPart, ParquetPart, remove_part

#: How stdin and stdout are named in the summary and the stats.
STDIN, STDOUT = "stdin", "stdout"


def run_stream(shard: Shard, source: BinaryIO | None, sink: BinaryIO | None, config: CleanConfig,
               options: RunOptions, report: Callable[[str], None]) -> dict[str, Any]:
    """Clean ``shard`` with its input read from ``source`` (else its file) and its output
    written to ``sink`` (else its file); returns the stats, as ``run_dataset`` does."""
    started = time.monotonic()
    spec = record_spec(shard, config, options)
    if source is None:  # (a Parquet file without the text column: refused before any row)
        _check_columns([shard], options)
    files = {role: path for role, path in (("output", None if sink is not None else shard.output),
                                           ("sidecars", shard.sidecars), ("rejected", shard.rejected))
             if path is not None}
    executor = make_executor(options.workers, options.scheduler, config)  # (before any file)
    extras = {role: BytesPart(path, None) for role, path in files.items() if role != "output"}
    parts: dict[str, BytesPart | ParquetPart] = dict(extras)
    if "output" in files:  # (Parquet only into a file: a stream of it is refused before the run)
        parts["output"] = (_parquet_output(shard, spec, None) if shard.out_fmt == "parquet"
                           else BytesPart(files["output"], None))
    progress = Progress(options.progress)
    counts: Counts = {}
    nbytes = 0
    name = shard.source.name if source is None else STDIN
    complete = False
    try:
        chunks = read_chunks(source if source is not None else shard.source, shard.fmt,
                             chunk_records=options.chunk_records, limit=options.limit,
                             max_record_bytes=config.max_input_bytes)
        for result in executor.map_ordered(chunks, spec):
            if sink is not None:
                write_all(sink, result.output)  # type: ignore[arg-type]
                sink.flush()  # the next program in the pipe gets each chunk when it is done
            else:
                parts["output"].write(result.output)  # type: ignore[arg-type]
                if result.columns is not None:  # (a Parquet output from JSON records, no row written)
                    parts["output"].write_columns(result.columns)  # type: ignore[union-attr]
            write_extras(result, extras, name, report)
            counts = merge_counts(counts, result.counts)
            nbytes += result.nbytes
            progress.update(result.records, result.nbytes, None, name)
        complete = True
    finally:
        progress.close()
        executor.close()
        for role, part in parts.items():
            if complete:
                part.finish()
            else:
                part.close()
                remove_part(files[role])
    if "output" in files and not written_into(shard.output):  # (--force over an interrupted run
        # of files: its journal is done with)
        journal_path_for(shard.output).unlink(missing_ok=True)
    return stats_json(
        counts,
        seconds=time.monotonic() - started,
        workers=executor.workers,
        run_documents=progress.docs,
        inputs=[STDIN if source is not None else str(shard.source)],
        outputs=[STDOUT if sink is not None else str(shard.output)],
        input_bytes=nbytes,
    )


def stream_shard(source: Path, output: Path, fmt: str | None, sidecars: Path | None,
                 rejected: Path | None) -> Shard:
    """The shard of a run through a pipe: ``-`` for stdin or stdout, or with an output that is
    a device or a named pipe. Output to stdout is JSONL (pipe it through gzip), into a device
    or a named pipe too unless its name says .jsonl.gz; from stdin, the format is ``fmt`` (jsonl
    or jsonl.gz); a file into a file keeps the input's format, as ``plan_shards`` does."""
    from .formats import format_of

    in_fmt = format_of(source, fmt) if str(source) != STREAM else fmt
    out_fmt: str | None = "jsonl" if str(output) == STREAM else format_of(output)
    if out_fmt is None and not written_into(output) and str(source) != STREAM:
        out_fmt = in_fmt
    return Shard(source, in_fmt or "jsonl", output, out_fmt or "jsonl", sidecars, rejected)  # type: ignore[arg-type]
