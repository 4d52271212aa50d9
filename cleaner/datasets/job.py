"""One dataset run: plan the shards, then clean each one chunk by chunk through an executor,
writing ``.part`` files and a journal, and renaming the parts when the shard is complete."""

from __future__ import annotations

import hashlib
import json
import logging
import os
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..config import CleanConfig
from ..errors import ConfigError
from ..files import Folder, is_stream
from .formats import (
    CHUNK_RECORDS_DEFAULT,
    Format,
    format_of,
    parquet_footer,
    parquet_schema,
    read_chunks,
    shards_of,
    total_of,
)
from .records import ChunkResult, RecordSpec, added_fields
from .resume import Journal, ResumeError, check_resumable, input_identity, journal_path_for, load_journal
from .runner import Executor, make_executor
from .summary import Counts, Progress, merge_counts, stats_json
from .writers import BytesPart, ParquetPart, part_path, remove_part

log = logging.getLogger(__name__)
#: How stdin and stdout are named on the command line.
STREAM = "-"
#: Seconds between two journal commits (each one fsyncs the part files).
COMMIT_INTERVAL_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class Shard:
    """One input file and where its outputs go."""

    source: Path
    fmt: Format
    output: Path
    out_fmt: Format
    sidecars: Path | None = None
    rejected: Path | None = None
    journal: Path = Path()
    keep_journal: bool = False  # shard directories keep a finished shard's journal (its counts)
    root: tuple[Path, Path] | None = None  # (input, output) directory of a shard of a directory


@dataclass(frozen=True, slots=True)
class RunOptions:
    """How records are read and filtered, and where and how the run executes."""

    text_key: str = "text"
    id_key: str | None = None
    html_key: str | None = None
    languages: frozenset[str] = frozenset()
    min_chars: int = 0
    chunk_records: int = CHUNK_RECORDS_DEFAULT
    limit: int | None = None
    workers: int | None = None
    scheduler: str | None = None
    resume: bool = False
    force: bool = False
    progress: bool = False
    #: filled by the run: outputs that were complete before it and whose counts were not kept
    #: (a single output file keeps no journal once finished)
    skipped: list[str] = field(default_factory=list)


def base_name(path: Path) -> str:
    fmt = format_of(path)
    suffix = next(
        (
            s
            for s in (".jsonl.gz", ".ndjson.gz", ".json.gz", ".jsonl", ".ndjson", ".parquet", ".pq")
            if fmt and path.name.lower().endswith(s)
        ),
        path.suffix,
    )
    return path.name[: len(path.name) - len(suffix)] if suffix else path.name


def plan_shards(
    source: Path, output: Path, fmt: str | None, sidecars: Path | None, rejected: Path | None,
    stats: Path | None = None, folder: Folder | None = None,
) -> list[Shard]:
    """A dataset file -> one output file; a directory of shards -> a directory of shards with
    the same names at the same places under it (with --sidecar/--rejected naming directories
    of per-shard JSONL files, laid out the same way). ``folder``: the directory as the command
    walked it already (files.list_folder), not walked again."""
    if source.is_dir():
        outputs = [p for p in (output, sidecars, rejected, stats) if p is not None]
        files = shards_of(source, fmt, exclude=outputs, folder=folder)
        if not files:
            raise ConfigError(f"{source}: no dataset shards (.jsonl, .jsonl.gz, .parquet) in it")
        if output.exists() and not output.is_dir():
            raise ConfigError(f"-o {output}: a directory of shards needs an output directory")
        shards = []
        # (a.jsonl beside a.jsonl.gz or a.parquet: their per-shard files are named by the whole name)
        stems = Counter((f.parent, base_name(f)) for f in files)
        for f in files:
            rel = f.relative_to(source)
            shard_fmt = format_of(f, fmt) or "jsonl"
            stem = base_name(f) if stems[f.parent, base_name(f)] == 1 else f.name
            shards.append(Shard(
                f,
                shard_fmt,
                output / rel,
                shard_fmt,
                sidecars / rel.parent / f"{stem}.sidecars.jsonl" if sidecars else None,
                rejected / rel.parent / f"{stem}.rejected.jsonl" if rejected else None,
                output / rel.parent / f".{f.name}.progress.json",
                True,
                (source, output),
            ))
        return shards
    in_fmt = format_of(source, fmt) or "jsonl"
    out_fmt = format_of(output) or in_fmt
    return [Shard(source, in_fmt, output, out_fmt, sidecars, rejected, journal_path_for(output))]


def written_into(path: Path | None) -> bool:
    """Is this output stdout (``-``), a device or a named pipe: written into as the run goes,
    with no part file, no journal and no rename (``files.is_stream``)?"""
    return path is not None and (str(path) == STREAM or is_stream(path))


def keeps_journal(shard: Shard) -> bool:
    """Can the shard's run be resumed: an input file, and every output a file? A pipe cannot
    be read again, and what went into a device or a named pipe cannot be cut back."""
    return str(shard.source) != STREAM and not any(
        written_into(p) for p in (shard.output, shard.sidecars, shard.rejected))


def check_outputs(shards: list[Shard], stats: Path | None = None) -> None:
    """Before anything starts, refuse to write over an input, or two outputs (the records,
    ``--sidecar``, ``--rejected``, ``--stats``) to one file: they would overwrite each other.
    Devices and named pipes are written into, not over: two outputs may go into one
    (``--rejected /dev/null --sidecar /dev/null``)."""
    inputs = {s.source.resolve() for s in shards if str(s.source) != STREAM}
    named: dict[Path, str] = {}
    targets = [(p, option) for s in shards
               for p, option in ((s.output, "-o"), (s.sidecars, "--sidecar"), (s.rejected, "--rejected"))]
    for path, option in [*targets, (stats, "--stats")]:
        if path is None or written_into(path):
            continue
        if path.is_dir():  # (a file of the run goes there: found now, not at the rename that ends it)
            raise ConfigError(f"{option} {path} is a directory; give a file"
                              + (f" (for example {path / _input_name(shards)})" if option == "-o" else ""))
        real = path.resolve()
        if real in inputs:
            raise ConfigError(f"refusing to overwrite the input {path}; choose another output")
        if real in named and named[real] != option:
            raise ConfigError(f"{named[real]} and {option} both name {path}; give each its own file")
        if real in named:
            raise ConfigError(f"two outputs of {option} would be {path}; give each its own file")
        named[real] = option


def _input_name(shards: list[Shard]) -> str:
    """The name of the (first) input, for a hint."""
    return shards[0].source.name if shards and str(shards[0].source) != STREAM else "out.jsonl"


def check_not_foreign(shards: list[Shard], force: bool) -> None:
    """Without ``force``, refuse to write over a file that no run of this job left: a
    ``--sidecar`` or ``--rejected`` file that is there while the records' output is not, or,
    in a run that keeps no journal (from a pipe, or into a device or a named pipe), an output
    file. A device or a named pipe is written into, never over: it needs no ``--force``."""
    if force:
        return
    for s in shards:
        piped = not keeps_journal(s)
        left = journal_path_for(s.output)
        if piped and not written_into(s.output) and left.exists():  # (a run of files, interrupted)
            raise ConfigError(f"an interrupted run left {left}; continue it with --resume and the same "
                              "outputs, or start over with --force")
        ours = not piped and s.output.exists()
        for path in (s.output if piped else None, s.sidecars, s.rejected):
            if path is not None and not written_into(path) and path.exists() and not ours:
                raise ConfigError(f"{path} exists; use --force to overwrite it")


def run_dataset(
    shards: list[Shard], config: CleanConfig, options: RunOptions, report: Callable[[str], None]
) -> dict[str, Any]:
    """Clean every shard; ``report`` receives one line per failed record. Returns the stats;
    their ``already_complete`` lists the outputs that were finished before this run (left as
    they are; their counts are in the stats when their journal kept them)."""
    check_outputs(shards)
    started = time.monotonic()
    counts: Counts = {}
    input_bytes = 0
    executor: Executor | None = None
    progress = Progress(options.progress)
    complete: list[str] = []
    try:
        prepared = [(shard, _prepare(shard, options)) for shard in shards]
        prepared = [(shard, _again_if_gone(shard, journal, config, options)) for shard, journal in prepared]
        _check_columns([s for s, journal in prepared if journal and not journal.done], options)
        if any(journal is not None and not journal.done for _, journal in prepared):
            for shard, journal in prepared:  # (what an earlier run finished, it cleaned as this run will)
                if journal is not None and journal.done:
                    _check_job(shard, journal, record_spec(shard, config, options), options)
        for shard, journal in prepared:
            footer = None  # (a Parquet input's, read by _run_shard)
            if journal is None:  # finished earlier; nothing to do, and its counts are gone
                options.skipped.append(str(shard.output))
                complete.append(str(shard.output))
                continue
            if journal.done:
                complete.append(str(shard.output))
            else:
                executor = executor or make_executor(options.workers, options.scheduler, config)
                nbytes, footer = _run_shard(shard, journal, config, options, executor, progress, report)
                input_bytes += nbytes
            _finish(shard, journal, record_spec(shard, config, options), footer)
            counts = merge_counts(counts, journal.counts)
    finally:
        progress.close()
        if executor is not None:
            executor.close()
    workers = executor.workers if executor is not None else 0
    return stats_json(
        counts,
        seconds=time.monotonic() - started,
        workers=workers,
        run_documents=progress.docs,
        inputs=sorted({str(s.root[0] if s.root else s.source) for s in shards}),
        outputs=sorted({str(s.root[1] if s.root else s.output) for s in shards}),
        input_bytes=input_bytes,
        already_complete=complete,
    )


def _check_columns(shards: list[Shard], options: RunOptions) -> None:
    """A Parquet shard whose columns hold neither the text nor the HTML field is a usage error
    before any record is cleaned (its schema says so at once): every row of it would fail on
    its own, one message a row, and leave a finished output without a row. So is a shard with
    two columns of one name (Arrow allows it): a record, JSON or a row of cleaner's, holds one
    value a name, and the other was lost (or a Parquet output stopped with a traceback)."""
    for shard in shards:
        if shard.fmt != "parquet":
            continue
        names = parquet_schema(shard.source).names
        times = Counter(names)
        twice = next((name for name in names if times[name] > 1), None)
        if twice is not None:
            raise ConfigError(f"{shard_label(shard)}: the column {twice!r} is in it {times[twice]} times; a "
                              "record holds one value a name: rename one (pyarrow's Table.rename_columns)")
        if options.text_key in names or (options.html_key and options.html_key in names):
            continue
        wanted = repr(options.text_key) + (f" or {options.html_key!r}" if options.html_key else "")
        columns = ", ".join(map(repr, names)) or "none"
        raise ConfigError(f"{shard_label(shard)}: no {wanted} column (columns: {columns}); try --text-key")


def _job_digest(shard: Shard, spec: RecordSpec, options: RunOptions) -> str:
    shaping = {k: v for k, v in asdict(spec).items() if k != "config"}
    shaping["languages"] = sorted(spec.languages)
    shaping.update(
        config=spec.config.digest(),
        chunk_records=options.chunk_records,
        limit=options.limit,
        out_fmt=shard.out_fmt,
        sidecars=str(shard.sidecars),
        rejected=str(shard.rejected),
    )
    model = spec.config.boilerplate_model
    if model:  # the config names the model's path; learning it again changes what it removes
        shaping["model"] = model_sha256(model)
    return hashlib.sha256(json.dumps(shaping, sort_keys=True).encode()).hexdigest()[:16]


def model_sha256(path: str) -> str:
    """The SHA-256 of a boilerplate model's bytes, read once while the file stays the same
    (the job digest and the options by name both name it, for every shard of a run)."""
    found = os.stat(path)  # noqa: PTH116
    return _file_sha256(path, (found.st_ino, found.st_size, found.st_mtime_ns))


@lru_cache(maxsize=4)
def _file_sha256(path: str, _version: tuple[int, int, int]) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


#: How messages name the settings of a CleanConfig: by their option; the others by their
#: name in a --config file.
CONFIG_OPTIONS = {
    "disabled_rules": "--disable",
    "detect_language": "--language/--no-language",
    "html": "--html",
    "max_input_bytes": "--max-input-bytes",
    "doc_timeout": "--timeout",
    "max_line_chars": "--max-line-chars",
    "boilerplate_model": "--boilerplate",
}


def _job_options(shard: Shard, spec: RecordSpec, options: RunOptions) -> dict[str, str]:
    """What ``_job_digest`` covers, by option name, each value as text: the journal keeps them,
    so that a refused --resume says which options differ (``--min-chars: 100 then, 200 now``)."""

    def text(value: Any) -> str:
        if value is None:
            return "none"
        if isinstance(value, bool):
            return "on" if value else "off"
        if isinstance(value, frozenset):
            return ",".join(sorted(value)) or "none"
        return str(value)

    named = {
        "--text-key": spec.text_key,
        "--id-key": spec.id_key,
        "--html-key": spec.html_key,
        "--lang": spec.languages,
        "--min-chars": spec.min_chars,
        "--format": shard.fmt,
        "the output's format": shard.out_fmt,
        "--sidecar": shard.sidecars,
        "--rejected": shard.rejected,
        "--chunk-size": options.chunk_records,
        "--limit": options.limit,
    }
    config = spec.config
    for name, value in asdict(config).items():
        named[CONFIG_OPTIONS.get(name, f"{name} (--config)")] = getattr(config, name)
    if config.boilerplate_model:  # (learned again: the same path, other lines)
        named["the --boilerplate model's contents"] = f"sha256 {model_sha256(config.boilerplate_model)[:12]}"
    return {name: text(value) for name, value in named.items()}


def _check_job(shard: Shard, journal: Journal, spec: RecordSpec, options: RunOptions) -> str:
    """This run's job digest, after checking that the journal's run (if any) had the same
    input and options: also for a shard it finished when other shards are still to be
    cleaned, or a --resume with other options would give a directory whose first shards are
    cleaned one way and the others another way. The journal gets the options by name."""
    job = _job_digest(shard, spec, options)
    named = _job_options(shard, spec, options)
    if journal.job:
        check_resumable(journal, job, input_identity(shard.source), named)
    journal.options = named
    return job


def record_spec(shard: Shard, config: CleanConfig, options: RunOptions) -> RecordSpec:
    return RecordSpec(
        config,
        options.text_key,
        options.id_key,
        options.html_key,
        options.languages,
        options.min_chars,
        input_json=shard.fmt != "parquet",
        output_parquet=shard.out_fmt == "parquet",
        sidecar_inline=shard.sidecars is None,
        gzip_output=shard.out_fmt == "jsonl.gz",
        gzip_sidecars=bool(shard.sidecars and shard.sidecars.name.endswith(".gz")),
        gzip_rejected=bool(shard.rejected and shard.rejected.name.endswith(".gz")),
    )


def _targets(shard: Shard) -> list[Path]:
    return [p for p in (shard.rejected, shard.sidecars, shard.output) if p is not None]


def _prepare(shard: Shard, options: RunOptions) -> Journal | None:
    """The journal to continue from (fresh or resumed), or None when the shard is finished."""
    if shard.journal.exists() and not options.force:
        journal = load_journal(shard.journal)
        if journal.done and shard.output.exists() and not options.resume:
            raise ResumeError(
                f"{shard.output} exists (a finished run); use --force to overwrite it, or --resume to keep it"
            )
        if not options.resume:
            raise ResumeError(
                f"an interrupted run left {shard.journal}; continue it with --resume "
                "or start over with --force"
            )
        return journal
    shard.journal.unlink(missing_ok=True)
    if shard.output.exists() and not options.force:
        if options.resume:
            return None
        raise ResumeError(f"{shard.output} exists (a finished run); use --force to overwrite it")
    return _fresh(shard, options)


def _again_if_gone(shard: Shard, journal: Journal | None, config: CleanConfig,
                   options: RunOptions) -> Journal | None:
    """The journal of a shard, or a fresh one when it is finished but one of its outputs is
    gone (deleted, to have it made again): --resume said "already complete" and left it
    missing. Only with the options of the run that finished it (else the same error as for
    an interrupted shard)."""
    if journal is None or not journal.done or not any(
            not written_into(target) and not target.exists() for target in _targets(shard)):
        return journal
    _check_job(shard, journal, record_spec(shard, config, options), options)
    return _fresh(shard, options)


def _fresh(shard: Shard, options: RunOptions) -> Journal:
    """A new journal for a shard cleaned from its start, its part files left by no journal gone."""
    shard.journal.unlink(missing_ok=True)
    for target in _targets(shard):
        remove_part(target)  # parts with no journal hold nothing that was committed
    return Journal(shard.journal, "", input_identity(shard.source), options.chunk_records)


def _run_shard(
    shard: Shard,
    journal: Journal,
    config: CleanConfig,
    options: RunOptions,
    executor: Executor,
    progress: Progress,
    report: Callable[[str], None],
) -> tuple[int, Any]:
    """Clean one shard into its parts; (the input bytes read, a Parquet input's footer: read
    once, here, for its rows, its schema and the reading, and kept for ``_finish``)."""
    spec = record_spec(shard, config, options)
    journal.job = _check_job(shard, journal, spec, options)
    fresh = not journal.files
    # (a damaged input fails here, before any part is written)
    footer = parquet_footer(shard.source) if shard.fmt == "parquet" else None
    total_records, total_bytes = total_of(shard.source, shard.fmt, footer)
    out: BytesPart | ParquetPart = (
        _parquet_output(shard, spec, None if fresh else journal.files["output"], footer)
        if shard.out_fmt == "parquet"
        else BytesPart(shard.output, None if fresh else journal.files["output"])
    )
    extra = {
        role: BytesPart(path, None if fresh else journal.files[role])
        for role, path in (("sidecars", shard.sidecars), ("rejected", shard.rejected))
        if path is not None
    }
    chunks = read_chunks(
        shard.source,
        shard.fmt,
        start=journal.position,
        start_record=journal.records,
        chunk_records=journal.chunk_records,
        limit=options.limit,
        max_record_bytes=config.max_input_bytes,
        footer=footer,
    )
    nbytes, last_commit, consistent = 0, 0.0, True
    label = shard_label(shard)
    try:
        _commit(journal, out, extra)
        for result in executor.map_ordered(chunks, spec):
            consistent = False  # parts and journal disagree until the chunk is fully recorded
            out.write(result.output)  # type: ignore[arg-type]
            if result.columns is not None:  # (a Parquet output from JSON records, no row written)
                out.write_columns(result.columns)  # type: ignore[union-attr]
            write_extras(result, extra, label, report)
            journal.records += result.records
            journal.position = result.position
            journal.counts = merge_counts(journal.counts, result.counts)
            nbytes += result.nbytes
            consistent = True
            if time.monotonic() - last_commit >= COMMIT_INTERVAL_SECONDS:
                _commit(journal, out, extra)
                last_commit = time.monotonic()
            done = (
                journal.records / total_records
                if total_records
                else journal.position / total_bytes
                if total_bytes
                else None
            )
            progress.update(result.records, result.nbytes, done, label)
    finally:
        if consistent:  # what was written is kept, also on Ctrl-C; else resume truncates it
            _commit(journal, out, extra)
        for part in (out, *extra.values()):
            part.close()
    journal.done = True
    journal.save()
    return nbytes, footer


def shard_label(shard: Shard) -> str:
    """How messages name a shard: its file name, or for a shard of a directory its path in the
    directory (partitions hold shards of the same name: year=2024/part-0.parquet)."""
    if shard.root is None:
        return shard.source.name
    return shard.source.relative_to(shard.root[0]).as_posix()


def write_extras(result: ChunkResult, extra: dict[str, BytesPart], name: str,
                 report: Callable[[str], None]) -> None:
    """A chunk's sidecar and rejected lines to their parts (when asked for), its tracebacks to
    the debug log, its failed records to ``report``."""
    for role, part in extra.items():
        part.write(getattr(result, role))
    for trace in result.traces:
        log.debug("%s: %s", name, trace)
    for message in result.errors:
        report(f"{name}: {message}")


def _commit(journal: Journal, out: BytesPart | ParquetPart, extra: dict[str, BytesPart]) -> None:
    journal.files = {"output": out.sync(), **{role: part.sync() for role, part in extra.items()}}
    journal.save()


def _parquet_output(shard: Shard, spec: RecordSpec, size: int | None, footer: Any = None) -> ParquetPart:
    """The Parquet output of a shard: a Parquet input's schema is kept (with the added fields),
    also when no row is written; ``footer``: the input's, when read already."""
    schema = parquet_schema(shard.source, footer) if shard.fmt == "parquet" else None
    return ParquetPart(shard.output, size, schema, added_fields(spec))


def _finish(shard: Shard, journal: Journal, spec: RecordSpec, footer: Any = None) -> None:
    """Rename (or merge) the parts into the final files, the main output last. ``footer``: a
    Parquet input's, read when the shard was cleaned (read here only for a shard an earlier
    run cleaned)."""
    for target in _targets(shard):
        part = part_path(target)
        if part.is_dir():
            _parquet_output(shard, spec, journal.files.get("output", 0), footer).finish()
        elif part.exists():
            part.replace(target)
    if not shard.keep_journal:
        journal.remove()
