"""The dataset side of the command line: validate the options, run cleaner.datasets, print the
summary. Click-facing glue only; the work happens in cleaner.datasets."""

from __future__ import annotations

import json
import logging
import sys
from pathlib import Path
from typing import Any, NoReturn

import click

from .config import CleanConfig
from .errors import CleanerError, ConfigError
from .files import Folder, write_atomic, write_stdout
from .line_counts import MEMORY_MB_DEFAULT
from .terminal import clear_progress

log = logging.getLogger(__name__)
#: Failed records named on stderr one by one; after that only counted (all are in --rejected).
MAX_REPORTED_FAILURES = 50
#: Exit code of a run stopped by Ctrl-C (128 + SIGINT, as a shell reports it).
EXIT_INTERRUPTED = 130
#: Exit code when the program reading stdout stopped (`| head`): 128 + SIGPIPE, as a shell
#: reports a program that the signal ended. Every command ends so, without a message.
EXIT_BROKEN_PIPE = 141


def _warn_of_the_model(config: CleanConfig, text_key: str, html_key: str | None) -> None:
    """One warning when the --boilerplate model was learned from other text than this run
    cleans (another field, HTML pages for plain text): its lines are few to be found."""
    if not config.boilerplate_model:
        return
    from .rules.corpus import learned_elsewhere, load_model

    message = learned_elsewhere(load_model(config.boilerplate_model), text_key, html_key,
                                config.html == "always")
    if message is not None:
        log.warning("%s", message)


def interrupted(state: str = "") -> int:
    """Ctrl-C, in every kind of run: one line on stderr, ``state`` saying what the output is
    left as (after "; "), and the exit code to end with. No traceback, no click "Aborted!". On a
    terminal the line starts on a line of its own (after the "^C" it echoed, or a progress
    line); in a file or a pipe it is the only line, without a blank one before it."""
    start = "\n" if sys.stderr.isatty() else ""
    click.echo(f"{start}cleaner: interrupted{'; ' + state if state else ''}", err=True)
    _forget_the_unhandled_interrupt()
    return EXIT_INTERRUPTED


def _forget_the_unhandled_interrupt() -> None:
    """CPython takes a KeyboardInterrupt raised in code that ``exec`` runs from a string (as
    dataclasses build their methods, in an import) for one that nobody handled, even once it is
    caught, and under ``python -m cleaner`` then ends the process by SIGINT at exit, not with
    the exit code asked for (130). The next ``exec`` of a string that runs to its end forgets
    it."""
    exec("")


def clean_dataset(
    source: Path,
    output: Path | None,
    sidecar_path: Path | None,
    as_json: bool,
    config: CleanConfig,
    quiet: bool,
    *,
    fmt: str | None,
    text_key: str,
    id_key: str | None,
    html_key: str | None,
    langs: str | None,
    min_chars: int,
    rejected: Path | None,
    workers: int | None,
    resume: bool,
    force: bool,
    stats_path: Path | None,
    dask_scheduler: str | None,
    limit: int | None,
    chunk_size: int | None,
    folder: Folder | None = None,
    names_directory: bool = False,
    verbose: int = 0,
) -> int:
    """Run a dataset job; the exit code (0 ok, 1 some records failed). ``folder``: a directory
    of shards as the command walked it already; ``names_directory``: -o was given with a
    trailing slash (``-o out/``), a directory meant; ``verbose`` (-v): every failed record named."""
    from .datasets import (
        CHUNK_RECORDS_DEFAULT,
        ResumeError,
        RunOptions,
        plan_shards,
        run_dataset,
        summary_text,
    )
    from .datasets.job import check_not_foreign, check_outputs, written_into
    from .datasets.records import warnings_of
    from .datasets.streams import stream_shard

    if output is None and sys.stdout.isatty():
        raise click.UsageError("a dataset run needs -o OUTPUT (a file, or a directory for a directory "
                               "of shards), or stdout redirected to a pipe or a file (-o - to insist)")
    output = output or Path("-")  # stdout
    if str(source) != "-" and not source.exists():
        raise click.UsageError(f"{source}: no such file or directory")  # as for a document
    output = _into_directory(source, output, names_directory)
    # stdin, stdout, or an output that is a device or a named pipe (written into as the run
    # goes): no journal, no .part beside it, no rename over it
    streamed = str(source) == "-" or any(written_into(p) for p in (output, sidecar_path, rejected))
    if streamed:
        _check_stream(source, output, fmt, resume, langs, min_chars, rejected, sidecar_path)
    if as_json:
        raise click.UsageError("--json is for single documents; dataset records carry their sidecar")
    if resume and force:
        raise click.UsageError("--resume and --force contradict each other; choose one")
    languages = _languages(langs)
    if languages and not config.detect_language:
        raise click.UsageError("--lang needs language detection; drop --no-language")
    if rejected is None and (languages or min_chars) and not streamed:  # never silently dropped
        rejected = default_rejected(source, output)
    try:
        shards = ([stream_shard(source, output, fmt, sidecar_path, rejected)] if streamed
                  else plan_shards(source, output, fmt, sidecar_path, rejected, stats_path, folder))
        check_outputs(shards, stats_path)
        check_not_foreign(shards, force or resume)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    options = RunOptions(
        text_key=text_key,
        id_key=id_key,
        html_key=html_key,
        languages=languages,
        min_chars=min_chars,
        chunk_records=chunk_size or CHUNK_RECORDS_DEFAULT,
        limit=limit,
        workers=workers,
        scheduler=dask_scheduler,
        resume=resume,
        force=force,
        progress=not quiet and sys.stderr.isatty(),
    )
    _warn_of_the_model(config, text_key, html_key)
    report = FailureReport(rejected, None if verbose and not quiet else MAX_REPORTED_FAILURES)
    try:
        if streamed:
            stats = _run_streamed(shards[0], config, options, report)
        else:
            stats = run_dataset(shards, config, options, report)
    except KeyboardInterrupt:
        return interrupted("" if streamed else "continue with the same command and --resume")
    except BrokenPipeError:  # the program reading stdout stopped (`| head`): so do we, quietly
        _quiet_stdout()
        return EXIT_BROKEN_PIPE
    except (ConfigError, ResumeError) as exc:
        raise click.UsageError(str(exc)) from exc
    except (CleanerError, OSError) as exc:
        click.echo(f"cleaner: error: {exc}", err=True)
        return 1
    if len(stats.get("already_complete", ())) == len(shards):  # --resume, and nothing left to do
        return _already_complete(stats, options.skipped, stats_path, quiet)
    for message in warnings_of(stats):
        log.warning("%s", message)
    for skipped in options.skipped:
        click.echo(f"cleaner: {skipped} was already complete; its counts are not in the summary", err=True)
    _warn_of_missing_ids(stats, id_key)
    if stats_path is not None and not _write_stats(stats_path, stats):
        return 1
    if not quiet:
        click.echo(
            summary_text(stats) + (f"\n  rejected and failed records: {rejected}" if rejected else ""),
            err=True,
        )
    if report.unnamed:
        click.echo(f"cleaner: {report.closing_note()}", err=True)
    return 1 if stats["documents"]["failed"] else 0


def _warn_of_missing_ids(stats: dict[str, Any], id_key: str | None) -> None:
    """One warning for the run when records lack the --id-key field (see missing_ids_warning)."""
    from .datasets.summary import missing_ids_warning

    message = missing_ids_warning(id_key, stats.get("without_id", 0), stats["documents"]["in"])
    if message:
        log.warning("%s", message)


def names_a_file(output: Path) -> bool:
    """Does ``output`` end as the files cleaner reads or writes do (.txt, .json, .html, .jsonl,
    .parquet, ...)? As a directory to create, it is more likely a slip."""
    from .datasets.formats import SUFFIXES
    from .files import SIDECAR_SUFFIX, TEXT_SUFFIX
    from .pipeline import HTML_SUFFIXES

    return output.name.lower().endswith((TEXT_SUFFIX, SIDECAR_SUFFIX, *HTML_SUFFIXES, *SUFFIXES))


def _into_directory(source: Path, output: Path, names_directory: bool) -> Path:
    """One dataset file with ``-o DIR/`` (a trailing slash) or ``-o DIR`` (an existing
    directory): its output keeps the input's name in that directory (created when missing), as
    ``cp`` and a document's ``clean -o`` do; before, ``-o out/`` wrote a file named ``out``.
    Records from stdin have no name to keep: a usage error."""
    if source.is_dir() and str(output) != "-" and not names_directory and not output.exists() \
            and names_a_file(output):  # (it became a directory of that name)
        raise click.UsageError(f"-o {output}: a directory of shards is cleaned into a directory of "
                               f"shards (one output a shard), and {output} names a file; give -o DIR "
                               f"(or -o {output}/ for a directory of that name)")
    if str(output) == "-" or not (names_directory or output.is_dir()):
        return output
    if str(source) == "-":
        raise click.UsageError(f"-o {output}{'/' if names_directory else ''}: "
                               f"{'names' if names_directory else 'is'} a directory; records from stdin "
                               f"go to a file (for example {output / 'clean.jsonl'}) or to stdout")
    if source.is_dir():  # (a directory of shards: -o is the directory of its shards)
        return output
    if output.exists() and not output.is_dir():
        raise click.UsageError(f"-o {output}/: names a directory, but {output} is a file")
    return output / source.name


class FailureReport:
    """Failed records on stderr: the first ``named`` named one by one, the others counted, so
    that a run of many bad records does not flood the terminal (``None``: every one named, as
    ``-v`` asks). The closing note says how many were not named, and where they all are (or how
    to keep them all)."""

    def __init__(self, rejected: Path | None, named: int | None = MAX_REPORTED_FAILURES) -> None:
        self.rejected = rejected
        self.named = named
        self.failed = 0

    @property
    def unnamed(self) -> int:
        return 0 if self.named is None else max(0, self.failed - self.named)

    def __call__(self, message: str) -> None:
        self.failed += 1
        if self.named is None or self.failed <= self.named + 1:
            clear_progress()  # (not after the progress line, on its line)
        if self.named is None or self.failed <= self.named:
            click.echo(f"cleaner: error: {message}", err=True)
        elif self.failed == self.named + 1:
            click.echo(f"cleaner: error: more records failed; only the first {self.named} "
                       "are named here (-v names every one), the summary counts them all", err=True)

    def closing_note(self) -> str:
        where = (f"every failed record is in {self.rejected}, with its reason" if self.rejected
                 else "run with --rejected FILE to keep every failed record, with its reason")
        return (f"{self.unnamed:,} more failed records were not named above (only the first "
                f"{self.named} are; -v names every one); {where}")


def _already_complete(stats: dict[str, Any], uncounted: list[str], stats_path: Path | None,
                      quiet: bool) -> int:
    """A --resume of outputs that were all finished: say so, and show the counts of the run
    that finished them when their journals kept them (a directory of shards), never zeros."""
    from .datasets import summary_text

    where = ", ".join(stats["outputs"])
    click.echo(f"cleaner: {where} is already complete: nothing was done (--force cleans it again)", err=True)
    if len(uncounted) == len(stats["already_complete"]):
        if stats_path is not None:
            click.echo(f"cleaner: --stats {stats_path} not written: the counts of the run that "
                       "finished it are not kept", err=True)
        return 0
    for skipped in uncounted:
        click.echo(f"cleaner: the counts of {skipped} are not kept; they are not in the summary", err=True)
    if stats_path is not None and not _write_stats(stats_path, stats):
        return 1
    if not quiet:
        click.echo("cleaner: the counts of the run that finished it:\n" + summary_text(stats), err=True)
    return 0


def _write_stats(stats_path: Path, stats: dict[str, Any]) -> bool:
    """Write ``--stats``; False (and one line) when it cannot be: a full disk or a directory in
    the way gave a traceback after the whole run, whose outputs are written."""
    try:
        write_atomic(stats_path, json.dumps(stats, indent=2, sort_keys=True) + "\n")
    except OSError as exc:
        click.echo(f"cleaner: error: cannot write --stats {stats_path}: {exc.strerror or exc}", err=True)
        return False
    return True


def _languages(langs: str | None) -> frozenset[str]:
    """The --lang codes, in the case detection gives them ("DE" is "de"); a code it never gives
    is a usage error (it would reject every record)."""
    from .language import known_languages

    languages = frozenset(x.strip().lower() for x in (langs or "").split(",") if x.strip())
    unknown = sorted(languages - known_languages())
    if unknown:
        raise click.UsageError(f"--lang {','.join(unknown)}: not a language code detection gives; "
                               f"one of {', '.join(sorted(known_languages()))}")
    return languages


def _check_stream(source: Path, output: Path, fmt: str | None, resume: bool, langs: str | None,
                  min_chars: int, rejected: Path | None, sidecar: Path | None = None) -> None:
    """What a run from stdin, to stdout or into a device or a named pipe cannot do, as usage
    errors."""
    from .datasets import format_of
    from .datasets.job import written_into

    into = [f"{option} {path}" for option, path in (("-o", output), ("--sidecar", sidecar), ("--rejected", rejected))
            if path is not None and str(path) != "-" and written_into(path)]
    if str(source) == "-" and fmt not in ("jsonl", "jsonl.gz"):
        raise click.UsageError("records on stdin need --format jsonl (or jsonl.gz)")
    if str(source) != "-" and source.is_dir():
        if into and str(output) != "-" and not written_into(output):
            raise click.UsageError(f"{into[0]}: a device or a named pipe; a directory of shards writes one "
                                   f"file a shard into {into[0].split()[0]} DIR")
        raise click.UsageError("a directory of shards needs -o DIR (a directory for the cleaned shards)")
    if str(output) != "-" and format_of(output) == "parquet":
        if written_into(output):
            raise click.UsageError(f"-o {output}: a device or a named pipe; Parquet is written to a file "
                                   "(its readers seek to its end): write JSONL into it")
        if str(source) == "-":
            raise click.UsageError("Parquet output is written from a file input; from stdin, write JSONL")
    if resume:
        if str(source) != "-" and into:
            raise click.UsageError(f"--resume: {into[0]} is a device or a named pipe, which a run writes "
                                   "into as it goes and keeps no journal for (what went into it cannot be "
                                   "cut back); run without --resume, or write to a file")
        raise click.UsageError("--resume needs an input file and an output file "
                               "(a pipe cannot be read again)")
    if (langs or min_chars) and rejected is None:
        where = "through a pipe" if str(source) == "-" or str(output) == "-" else \
            "into a device or a named pipe"
        raise click.UsageError(f"--lang and --min-chars {where} need --rejected FILE (--rejected "
                               "/dev/null to drop them): filtered records are never dropped silently")


def _run_streamed(shard: Any, config: CleanConfig, options: Any, report: Any) -> dict[str, Any]:
    from .datasets.job import STREAM
    from .datasets.streams import run_stream

    source = sys.stdin.buffer if str(shard.source) == STREAM else None
    sink = sys.stdout.buffer if str(shard.output) == STREAM else None
    return run_stream(shard, source, sink, config, options, report)


def _quiet_stdout() -> None:
    """After a broken pipe: stdout goes nowhere, so that Python's final flush does not fail too."""
    import os

    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())


def dataset_outputs(source: Path, output: Path | None, sidecar: Path | None,
                    rejected: Path | None, stats: Path | None = None) -> list[Path]:
    """Every place a dataset run of ``source`` may write (-o, --sidecar, --rejected or its
    default, --stats): inside a directory of shards, these are not read as shards."""
    places = [p for p in (output, sidecar, rejected, stats) if p is not None and str(p) != "-"]
    if output is not None and str(output) != "-" and str(source) != "-":
        places.append(default_rejected(source, output))
    return places


def default_rejected(source: Path, output: Path) -> Path:
    """clean.jsonl -> clean.rejected.jsonl; a shard directory clean/ -> clean.rejected/."""
    from .datasets.job import base_name

    if source.is_dir():
        return output.with_name(output.name + ".rejected")
    return output.with_name(base_name(output) + ".rejected.jsonl")


def refuse_dataset_flags(dataset: dict[str, Any]) -> None:
    """A usage error naming the dataset options given (not at their defaults) for an input that
    is not a dataset (a document, a folder of documents): they would be ignored."""
    given = [k for k, v in dataset.items() if v not in (None, False, 0, "text")]
    if given:
        names = ", ".join("--" + k.replace("_", "-").replace("langs", "lang").replace("fmt", "format")
                          .replace("-path", "") for k in given)
        raise click.UsageError(f"{names}: only for datasets (one .jsonl, .jsonl.gz or .parquet file, "
                               "a directory of them, or --format)")


def learn_corpus(
    corpus: Path,
    output: Path,
    *,
    fmt: str | None,
    text_key: str,
    html_key: str | None,
    id_key: str | None,
    min_docs: int,
    min_fraction: float,
    quiet: bool,
    workers: int | None = None,
    memory_mb: int = MEMORY_MB_DEFAULT,
    verbose: int = 0,
    force: bool = False,
) -> None:
    from .corpus import LearnOptions, corpus_files, learn, model_summary
    from .datasets.runner import workers_for_bytes
    from .datasets.summary import Progress
    from .files import is_input, is_stream
    from .rules.corpus import dumps_model

    options = LearnOptions(
        fmt=fmt,
        text_key=text_key,
        html_key=html_key,
        id_key=id_key,
        min_docs=min_docs,
        min_fraction=min_fraction,
    )
    to_stdout = str(output) == "-"  # (it wrote a file named "-")
    if str(corpus) != "-" and not to_stdout and output.resolve() == corpus.resolve():
        raise click.UsageError(f"refusing to overwrite the corpus {corpus}; choose another -o")
    if str(corpus) != "-" and not to_stdout and corpus.is_dir() and is_input(output, corpus):
        raise click.UsageError(f"refusing to overwrite {output}, a document of the corpus {corpus}; "
                               "choose another -o")  # (an earlier model is none)
    if not to_stdout and not force and output.exists() and not is_stream(output):  # (as `clean` a dataset)
        raise click.UsageError(f"{output} exists; use --force to overwrite it")
    if not to_stdout:
        _model_writable(output)  # now, not after hours of counting
    progress = Progress(not quiet and sys.stderr.isatty())
    try:
        files = corpus_files(corpus, options)
        if files.walked is not None:  # a folder of documents: no record has fields
            refuse_dataset_flags({"fmt": fmt, "text_key": text_key, "html_key": html_key, "id_key": id_key})
        model = learn(corpus, options, workers_for_bytes(workers, files.nbytes), memory_mb, progress, files,
                      name_every_skip=verbose > 0 and not quiet)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    except (CleanerError, OSError) as exc:
        progress.close()
        click.echo(f"cleaner: error: {exc}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:  # the model is written only at the end
        progress.close()
        sys.exit(interrupted(f"no model written to {output}"))
    progress.close()
    try:
        if to_stdout:
            write_stdout(dumps_model(model))  # (every byte: an unbuffered stdout may take a part)
        else:
            write_atomic(output, dumps_model(model))
    except BrokenPipeError:  # (`-o - | head`: as a dataset run)
        _quiet_stdout()
        sys.exit(EXIT_BROKEN_PIPE)
    except OSError as exc:
        _model_not_written(Path("<stdout>") if to_stdout else output, exc)
    if not quiet:
        click.echo(model_summary(model, Path("<stdout>") if to_stdout else output), err=True)


def _model_writable(output: Path) -> None:
    """Can ``learn`` write its model to ``output`` (its directory made, a file created there)?
    A model that could not be written ended the run, after all of its counting, with a
    traceback; now the run does not start (one line, exit 1)."""
    from .files import check_writable, is_stream

    if is_stream(output):  # (written into at the end: /dev/stdout)
        return
    try:
        check_writable(output)
    except OSError as exc:
        _model_not_written(output, exc)


def _model_not_written(output: Path, exc: OSError) -> NoReturn:
    why = exc.strerror or str(exc)
    if isinstance(exc, (FileExistsError, NotADirectoryError)):  # (mkdir under a file)
        why = "a file is in the way of its directory"
    click.echo(f"cleaner: error: cannot write the model {output}: {why}", err=True)
    sys.exit(1)


__all__: list[Any] = ["clean_dataset", "learn_corpus"]
