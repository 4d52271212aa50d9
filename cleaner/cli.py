"""Command line: parse, validate, call the library, print. No cleaning logic lives here."""

from __future__ import annotations

import contextlib
import json
import logging
import os
import sys
from collections.abc import Callable, Generator
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn, TypeVar

import click

from ._startup import ctrl_c_held, let_ctrl_c_through, raise_if_interrupted
from ._version import __version__
from .cli_datasets import interrupted, names_a_file, refuse_dataset_flags
from .config import CleanConfig, config_from_mapping, load_config
from .errors import CleanerError, ConfigError
from .files import (
    Folder,
    RealPaths,
    UnsafeOutputName,
    clean_file,
    is_stream,
    iter_inputs,
    list_folder,
    output_pair,
    sidecar_path_for,
    write_atomic,
    write_result,
    write_stdout,
)
from .line_counts import MEMORY_MB_DEFAULT
from .pipeline import clean_bytes
from .sidecar import dumps
from .terminal import clear_progress, progress_drawn

F = TypeVar("F", bound=Callable[..., Any])
CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_CODES = """\b
Exit codes: 0 all documents cleaned, 1 some documents failed (each named on stderr),
2 usage error, 130 interrupted (Ctrl-C), 141 the program reading stdout stopped early (`| head`)."""
EXPLAIN_EXIT_CODES = """\b
Exit codes: 0 the document explained, 1 it could not be read or cleaned (the reason on stderr),
2 usage error, 130 interrupted (Ctrl-C), 141 the program reading stdout stopped early (`| head`)."""
GROUP_EXIT_CODES = """\b
Exit codes: 0 done, 1 some documents failed or an output could not be written (each named on
stderr), 2 usage error, 130 interrupted (Ctrl-C), 141 the program reading stdout stopped early
(`| head`); each command's --help says more."""
LEARN_EXIT_CODES = """\b
Exit codes: 0 model written (a document that cannot be read is skipped, named on stderr),
1 the corpus could not be read or the model not written, 2 usage error, 130 interrupted (Ctrl-C),
141 the program reading stdout (-o -) stopped early (`| head`)."""
RULES_EXIT_CODES = """\b
Exit codes: 0 rules listed, 1 stdout could not be written, 2 usage error,
141 the program reading stdout stopped early (`| head`)."""
log = logging.getLogger("cleaner")

if TYPE_CHECKING:
    from .file_runs import FileOutcome
    from .models import CleanResult


def _configure_logging(verbose: int, quiet: bool) -> None:
    if verbose and quiet:  # (-q won in silence)
        raise click.UsageError("-v and -q contradict each other; choose one")
    level = logging.ERROR if quiet else (logging.WARNING, logging.INFO, logging.DEBUG)[min(verbose, 2)]
    logging.basicConfig(level=level, format="cleaner: %(levelname)s: %(message)s",
                        handlers=[_StderrHandler()])
    logging.getLogger("trafilatura.core").addFilter(_quiet_discard)  # (added once: the same filter)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Messages on stderr, each on a line of its own: a progress line shown meanwhile is
    cleared first (see cleaner.terminal)."""

    def __init__(self) -> None:
        super().__init__(sys.stderr)

    def emit(self, record: logging.LogRecord) -> None:
        clear_progress(self.stream)
        super().emit(record)


def _quiet_discard(record: logging.LogRecord) -> bool:
    """Leave out trafilatura's "discarding data: None", logged for every page it finds no text
    in (an empty body, only a script): cleaner then tries its fallbacks, and the sidecar's
    notes say what became of the page. trafilatura's other messages pass."""
    return record.msg != "discarding data: %s"


class _Commands(click.Group):
    """The command group. Ctrl-C while a command starts (reading its config, word lists or
    boilerplate model, before its own handling) ends as it does later: one line and exit 130,
    not click's "Aborted!" and exit 1, which says that documents failed. One that came while
    the command's process imported, before this (held back: see cleaner._startup), too."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            let_ctrl_c_through()
            result = super().invoke(ctx)
            raise_if_interrupted()  # (one that came inside a __del__ after the run's last check)
            return result
        except KeyboardInterrupt:
            sys.exit(interrupted())
        except BrokenPipeError as exc:  # (click's own handling exits 1: "documents failed")
            if _printing_failed(exc):
                _stdout_failed(exc)
            raise

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """The group's own --help and --version print here, before :meth:`invoke`: a reader
        that stopped early ends them with 141 too (click's handling exits 1)."""
        try:
            return super().parse_args(ctx, args)
        except BrokenPipeError as exc:
            if _printing_failed(exc):
                _stdout_failed(exc)
            raise


@click.group(cls=_Commands, context_settings=CONTEXT_SETTINGS, epilog=GROUP_EXIT_CODES)
@click.version_option(__version__, "-V", "--version", package_name="cleaner",
                      message=f"cleaner %(version)s (Python {sys.version.split()[0]})")
@click.pass_context
def cli(ctx: click.Context) -> None:
    """Clean scraped or translated articles: remove spam banners, captions, credits and site
    boilerplate, read loose metadata headers, and write clean text plus a JSON sidecar that
    says what was removed and why.

    \b
    Examples:
      cleaner clean fixtures/input -o /tmp/clean
      cat article.txt | cleaner clean - > article.clean.txt
      cleaner rules
    """
    if os.environ.get("NO_COLOR"):
        ctx.color = False
    # Before pyarrow is first imported (the worker processes inherit it): see ARROW_POOL.
    os.environ.setdefault(*ARROW_POOL)


#: pyarrow's buffers, in cleaner's own processes, from the C library's allocator rather than
#: pyarrow's default (mimalloc), which holds on to what it freed: a Parquet file of one row group
#: into Parquet (24,152 documents, 71 MB, 2 workers) peaked at 417-431 MB for the process tree,
#: 387 MB with this, in about the same time. A value the user sets in the environment is kept;
#: a program that imports cleaner as a library keeps its own choice.
ARROW_POOL = ("ARROW_DEFAULT_MEMORY_POOL", "system")


class _Seconds(click.ParamType):  # type: ignore[type-arg]  # (generic in click 8.2 and later only)
    """A number of seconds >= 0: ``inf`` or ``nan`` was refused later as "doc_timeout must be a
    number >= 0", a name the command line never shows."""

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        import math

        try:
            seconds = float(value)
        except (TypeError, ValueError):
            self.fail(f"{value!r} is not a number of seconds", param, ctx)
        if not (math.isfinite(seconds) and seconds >= 0):
            self.fail(f"{value!r}: give a number of seconds >= 0 (0 for no limit)", param, ctx)
        return seconds


_SECONDS = _Seconds()


def config_options(fn: F) -> F:
    """The options that build a CleanConfig; shared by every command that cleans."""
    decorators = [
        click.option("--config", "config_path", type=click.Path(exists=True, dir_okay=False),
                     help="TOML file of settings (top level or [clean]); flags override it. A relative "
                          "path in it is relative to the file's directory."),
        click.option("--disable", "disabled", multiple=True, metavar="RULE",
                     help="Switch off a rule by name (repeatable, or a list: a,b); see `cleaner rules`."),
        click.option("--html", "html", type=click.Choice(["auto", "always", "never"]), default=None,
                     help="Treat input as HTML: by extension/content (auto, the default), always, never."),
        click.option("--language/--no-language", "detect_language", default=None,
                     help="Detect the language (langdetect). Off is much faster.  [default: on]"),
        click.option("--max-input-bytes", type=click.IntRange(min=0), default=None, metavar="N",
                     help="Refuse documents larger than N bytes (0: no limit).  [default: 104857600]"),
        click.option("--max-line-chars", type=click.IntRange(min=0), default=None, metavar="N",
                     help="Cut longer lines at whitespace into pieces of at most N characters before "
                          "cleaning; nothing is dropped (0: no limit).  [default: 20000]"),
        click.option("--timeout", "doc_timeout", type=_SECONDS, default=None, metavar="SECONDS",
                     help="Per-document time limit; a slower document fails (0: none).  [default: 30]"),
        click.option("--boilerplate", "boilerplate_model", type=click.Path(exists=True, dir_okay=False),
                     default=None, metavar="MODEL.json",
                     help="Remove lines a corpus model marks as boilerplate (see `cleaner learn`)."),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def verbosity_options(more: str, quiet: str) -> Callable[[F], F]:
    """-v (repeatable) and -q, alike in every command: -v says ``more``, -vv debug messages
    too, -q only errors (``quiet``: what else it leaves out)."""

    def decorate(fn: F) -> F:
        fn = click.option("-q", "--quiet", is_flag=True, help=f"Only errors on stderr{quiet}.")(fn)
        verbose = click.option("-v", "--verbose", count=True,
                               help=f"More messages on stderr{more} (-vv: debug messages too).")
        return verbose(fn)

    return decorate


DATASET_KEYS = ("fmt", "text_key", "id_key", "html_key", "langs", "min_chars", "rejected", "workers",
                "resume", "force", "stats_path", "dask_scheduler", "limit", "chunk_size")


#: ``ctx.meta`` key: the names of the path options given with a trailing slash.
_SLASHED = "cleaner.slashed"


def _path_noting_slash(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """The option's path; a trailing slash, which ``Path`` drops (the one sign that a directory
    was meant: `--rejected rej/` wrote a file named `rej`), is noted in ``ctx.meta``."""
    if value is None:
        return None
    if value.endswith(("/", os.sep)) and value.strip("/" + os.sep):
        ctx.meta.setdefault(_SLASHED, set()).add(param.name)
    return Path(value)


def dataset_options(fn: F) -> F:
    """The options of dataset runs (JSONL, JSONL.gz, Parquet, or a directory of shards)."""
    decorators = [
        click.option("--format", "fmt", type=click.Choice(["jsonl", "jsonl.gz", "parquet"]), default=None,
                     help="Dataset format when the extension does not tell."),
        click.option("--text-key", default="text", show_default=True, help="Record field holding the text."),
        click.option("--id-key", default=None,
                     help="Record field holding the document id (for messages); records without it "
                          "are counted (one warning, the summary)."),
        click.option("--html-key", default=None,
                     help="Record field holding HTML; when set in a record, it is extracted and cleaned "
                          "and the clean text goes into --text-key."),
        click.option("--lang", "langs", default=None, metavar="de,en",
                     help="Keep only documents in these languages; the others go to --rejected."),
        click.option("--min-chars", type=click.IntRange(min=0), default=0, metavar="N",
                     help="Keep only documents with at least N characters after cleaning."),
        click.option("--rejected", type=click.Path(), callback=_path_noting_slash, default=None, metavar="FILE",
                     help="JSONL file for rejected and failed records, each with its reason "
                          "(a directory for a directory of shards; - for stdout when -o is a file)."),
        click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Local worker processes (datasets; directories: one per 4 MB of "
                          "input by default).  [default: all cores]"),
        click.option("--resume", is_flag=True, help="Continue an interrupted run where it stopped."),
        click.option("--force", is_flag=True, help="Overwrite a finished output or discard an interrupted run."),
        click.option("--stats", "stats_path", type=click.Path(path_type=Path, dir_okay=False), default=None,
                     metavar="FILE", help="Write the run's summary (documents in/written/failed, "
                                          "removals, languages) as JSON; datasets and directories "
                                          "(- for stdout when the output is not there)."),
        click.option("--dask-scheduler", default=None, metavar="tcp://HOST:PORT",
                     help='Run on a Dask cluster (pip install "cleaner[dask]"). With no worker on '
                          'the scheduler (at the start, or all gone later) the run waits for one, and says '
                          'so on stderr after 5 s.'),
        click.option("--limit", type=click.IntRange(min=0), default=None, metavar="N",
                     help="Only the first N records of each input."),
        click.option("--chunk-size", type=click.IntRange(min=1), default=None, metavar="N",
                     help="Records per chunk: the unit of parallel work and of --resume.  [default: 256]"),
    ]
    for decorator in reversed(decorators):
        fn = decorator(fn)
    return fn


def build_config(config_path: str | None, disabled: tuple[str, ...], **flags: Any) -> CleanConfig:
    """Defaults, then the TOML file, then the flags that were given."""
    config = load_config(config_path) if config_path else CleanConfig()
    given = {k: v for k, v in flags.items() if v is not None}
    if disabled:
        from .rules.registry import check_rule_names

        # a list, as --lang takes one: `--disable a,b` (it was one unknown rule "a,b")
        disabled = tuple(name.strip() for names in disabled for name in names.split(",") if name.strip())
        check_rule_names(disabled, "--disable: ")  # (named as given; CleanConfig checks too)
        given["disabled_rules"] = config.disabled_rules | frozenset(disabled)
    config = config_from_mapping(given, config)
    if config.boilerplate_model:  # so is a broken model (ConfigError)
        from .rules.corpus import load_model

        # as an absolute path: a Dask worker, whose working directory is its own, reads the
        # same file (a relative one failed every record there: "cannot read the model")
        model = os.path.abspath(config.boilerplate_model)
        config = config.with_changes(boilerplate_model=model)
        load_model(model)
    return config


def _fail(message: str) -> None:
    clear_progress()  # (a directory run's progress bar: the message on a line of its own)
    click.echo(f"cleaner: error: {message}", err=True)


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
@click.argument("inputs", nargs=-1, type=click.Path(path_type=Path, allow_dash=True))
@click.option("-o", "--output", "output_name", type=click.Path(allow_dash=True), default=None,
              help="Output file (one input) or directory (a directory, several inputs, or one "
                   "input into an existing directory or a name ending in /; never a new name "
                   "ending .txt, .json, .html, ...). Default: stdout for one input.")
@click.option("--sidecar", "sidecar_path", type=click.Path(), callback=_path_noting_slash, default=None,
              help="Where the JSON sidecar goes when the text goes to stdout or to -o FILE; - for "
                   "stdout when the text goes to -o FILE (datasets: a JSONL file, a directory for a "
                   "directory of shards).")
@click.option("--json", "as_json", is_flag=True,
              help="Print (or write to -o FILE) one JSON object with the text and the sidecar "
                   "instead of the text.")
@config_options
@verbosity_options(": every failed record of a dataset named, not only the first 50",
                   "; no progress bar, no summary")
@dataset_options
def clean(inputs: tuple[Path, ...], output_name: str | None, sidecar_path: Path | None, as_json: bool,
          verbose: int, quiet: bool, config_path: str | None, disabled: tuple[str, ...], **flags: Any) -> None:
    """Clean articles: files, directories (recursively) or stdin; or datasets.

    Plain text is cleaned as it is; HTML (.html/.htm, or content that is clearly HTML) goes
    through trafilatura first. Each text gets a JSON sidecar (title, date, language, metadata,
    every removed line with its rules and position): beside its output file (a.txt + a.json) or
    where --sidecar says; text on stdout gets one only with --sidecar FILE or --json.

    A dataset (.jsonl, .jsonl.gz, .parquet, a directory of such shards, or --format), the
    only input, is cleaned record by record in parallel: the clean text replaces the text
    field, the sidecar goes into the added field "cleaner" (or --sidecar FILE.jsonl; a
    "cleaner" field a record has already is replaced, with a warning), every other field is kept.

    \b
    Examples:
      cat article.txt | cleaner clean - > clean.txt
      cleaner clean fixtures/input/seeds/000_d69c59094d66a187.txt -o /tmp/a.txt  # + /tmp/a.json
      cleaner clean fixtures/input -o /tmp/clean      # IN/x/a.html -> OUT/x/a.txt + a.json
      cleaner clean page.html --sidecar page.json --disable caption.credit
      cleaner clean page.html -o page.txt --sidecar - | jq .title     # the sidecar on stdout
      cleaner clean data.jsonl -o clean.jsonl --lang de,en --min-chars 200 --rejected rej.jsonl
      zcat data.jsonl.gz | cleaner clean - --format jsonl | gzip > clean.jsonl.gz
      cleaner clean shards/ -o clean/ --workers 8 --resume --stats stats.json
      cleaner clean data.parquet -o clean.parquet --dask-scheduler tcp://10.0.0.5:8786
    """
    _configure_logging(verbose, quiet)
    output = Path(output_name) if output_name is not None else None
    # `-o new/` names a directory (Path() drops the slash): one file goes into it, as into an
    # existing one, instead of becoming a file named "new"
    names_directory = output_name is not None and output_name != "-" and output_name.endswith(("/", os.sep))
    dataset = {key: flags.pop(key) for key in DATASET_KEYS}
    if not (len(inputs) == 1 and inputs[0].is_dir()):  # (a directory of shards has directories of them)
        slashed = click.get_current_context().meta.get(_SLASHED, set())
        for name, flag, path in (("sidecar_path", "--sidecar", sidecar_path), ("rejected", "--rejected",
                                                                               dataset["rejected"])):
            if path is not None and (path.is_dir() or name in slashed):
                how = "is a directory" if path.is_dir() else "names a directory (a trailing /)"
                raise click.UsageError(f"{flag} {path}{'/' * (name in slashed)}: {how}; give a file (a "
                                       "directory goes with a directory of shards)")
    with ctrl_c_held():  # the rules, word lists and dataset modules load (see cleaner._startup)
        try:
            config = build_config(config_path, disabled, **flags)
        except ConfigError as exc:
            raise click.UsageError(str(exc)) from exc
        from . import datasets  # noqa: F401  (for _is_dataset: loaded here, under the hold)
    folder = _walk_folder(inputs, output)
    if _is_dataset(inputs, dataset["fmt"], output, sidecar_path, dataset["rejected"], dataset["stats_path"],
                   folder):
        from .cli_datasets import clean_dataset

        for flag, path in (("--sidecar", sidecar_path), ("--rejected", dataset["rejected"])):
            if inputs[0].is_dir() and path is not None and str(path) == "-":
                raise click.UsageError(f"{flag} -: a directory of shards writes one file a shard into "
                                       f"{flag} DIR, not to stdout")
        sidecar_path, dataset["rejected"], dataset["stats_path"] = _dashes_to_stdout(
            output is None or _is_stdout(output), "the clean records", ("--sidecar", sidecar_path),
            ("--rejected", dataset["rejected"]), ("--stats", dataset["stats_path"]))
        sys.exit(clean_dataset(inputs[0], output, sidecar_path, as_json, config, quiet, folder=folder,
                               names_directory=names_directory, verbose=verbose, **dataset))
    stats_path, workers = dataset.pop("stats_path"), dataset.pop("workers")
    refuse_dataset_flags(dataset)
    if not inputs:
        if sys.stdin.isatty():
            raise click.UsageError("no input: give files or directories, or pipe text to stdin (`-`)")
        inputs = (Path("-"),)
    into_directory = output is not None and str(output) != "-" and (output.is_dir() or names_directory)
    if len(inputs) == 1 and str(inputs[0]) == "-" and into_directory:
        raise click.UsageError(f"-o {output_name}: {'is' if output.is_dir() else 'names'} a directory; "  # type: ignore[union-attr]
                               "text from stdin goes to a file or to stdout")
    if len(inputs) == 1 and not inputs[0].is_dir() and not into_directory:
        for given, flag in ((stats_path, "--stats"), (workers, "--workers")):
            if given is not None:
                raise click.UsageError(f"{flag} goes with a directory, several inputs or a dataset")
        (sidecar_path,) = _dashes_to_stdout(
            output is None or _is_stdout(output), "the clean JSON object" if as_json else "the clean text",
            ("--sidecar", sidecar_path))
        try:
            _clean_one(inputs[0], output, sidecar_path, as_json, config)
        except Interrupted as stop:
            sys.exit(interrupted(str(stop)))
        return
    if len(inputs) > 1 and any(str(item) == "-" for item in inputs):  # (`- -` too)
        raise click.UsageError("`-` (stdin) cannot be mixed with other inputs")
    if output is None or str(output) == "-":
        raise click.UsageError("with a directory or several inputs, -o OUT_DIR is required")
    if not names_directory and not output.exists() and names_a_file(output):  # (it became a directory)
        what = "several inputs need" if len(inputs) > 1 else "a directory of documents needs"
        raise click.UsageError(f"-o {output_name}: {what} an output directory (a .txt and a .json per "
                               f"document), and {output_name} names a file; give -o DIR (or -o "
                               f"{output_name}/ for a directory of that name)")
    if sidecar_path is not None or as_json:
        raise click.UsageError("--sidecar and --json go with one input cleaned to a file or stdout; "
                               "with -o DIRECTORY a sidecar is written beside every output")
    (stats_path,) = _dashes_to_stdout(False, "", ("--stats", stats_path))
    try:
        failed = _clean_many(inputs, output, config, quiet, stats_path, workers, folder)
    except KeyboardInterrupt:  # (each output is whole: files.write_result)
        sys.exit(interrupted(f"every file written to {output} is complete, but not every input was "
                             "cleaned: run the same command again"))
    sys.exit(1 if failed else 0)


#: Where an output named ``-`` goes: written into as the run goes, as every device is (see
#: files.is_stream), so that a shell's ``> file`` or ``>> file`` is kept.
STDOUT_DEVICE = Path("/dev/stdout")


def _is_stdout(output: Path) -> bool:
    """Is ``output`` stdout: ``-``, or a name of the file, pipe or terminal stdout is on?"""
    if str(output) == "-":
        return True
    try:
        return os.path.samefile(output, STDOUT_DEVICE)
    except (OSError, ValueError):
        return False


def _dashes_to_stdout(taken: bool, what: str, *given: tuple[str, Path | None]) -> list[Path | None]:
    """``-`` for --sidecar, --rejected or --stats is stdout, as ``-o -`` is (each wrote a file
    named ``-``): the device /dev/stdout, which the outputs write into. A usage error, before
    anything is read, when stdout is ``taken`` by ``what``, or when two options name it."""
    dashed = [f"{flag} -" for flag, path in given if path is not None and str(path) == "-"]
    if len(dashed) > 1:
        raise click.UsageError(f"{' and '.join(dashed)}: only one output can go to stdout; give the "
                               "others a file")
    if dashed and taken:
        hint = ", or --json for one JSON object of the text and its sidecar" * (what == "the clean text")
        raise click.UsageError(f"{dashed[0]}: stdout carries {what}; give a file{hint}")
    if dashed and not STDOUT_DEVICE.exists():  # pragma: no cover - every POSIX system we know has it
        raise click.UsageError(f"{dashed[0]}: this system has no {STDOUT_DEVICE} to write stdout by; "
                               "give a file")
    return [STDOUT_DEVICE if path is not None and str(path) == "-" else path for _, path in given]


def _walk_folder(inputs: tuple[Path, ...], output: Path | None) -> Folder | None:
    """The one walk of a single folder input, without the output directory: it tells whether
    the folder holds dataset shards and, if not, which documents (see files.Folder)."""
    if len(inputs) != 1 or str(inputs[0]) == "-" or not inputs[0].is_dir():
        return None
    return list_folder(inputs[0], output if output is not None and str(output) != "-" else None)


def _is_dataset(inputs: tuple[Path, ...], fmt: str | None, output: Path | None = None,
                sidecar: Path | None = None, rejected: Path | None = None, stats: Path | None = None,
                folder: Folder | None = None) -> bool:
    """One dataset file, a directory of shards (its outputs inside it left out; ``folder``: the
    directory as walked already), or records on stdin (``--format``)."""
    from .cli_datasets import dataset_outputs
    from .datasets import format_of, shards_of

    if len(inputs) != 1:
        return False
    source = inputs[0]
    if str(source) == "-":
        return fmt is not None  # records on stdin (the dataset run says which formats can be)
    if source.is_dir():
        try:
            outputs = dataset_outputs(source, output, sidecar, rejected, stats)
            return shards_of(source, fmt, outputs, folder) is not None
        except ConfigError as exc:  # shards and other files in one directory
            raise click.UsageError(str(exc)) from exc
    return format_of(source, fmt) is not None


def _clean_one(source: Path, output: Path | None, sidecar_path: Path | None, as_json: bool,
               config: CleanConfig) -> None:
    is_stdin = str(source) == "-"
    name = "<stdin>" if is_stdin else str(source)
    if not is_stdin and not source.exists():
        raise click.UsageError(f"{source}: no such file or directory")
    to_stdout = output is None or str(output) == "-"
    if not to_stdout and not is_stdin and _same_file(output, source):  # type: ignore[arg-type]
        raise click.UsageError(f"refusing to overwrite the input {source}; choose another -o")
    # (--json: the sidecar is in the JSON object; a separate one only with --sidecar; so for
    # -o /dev/stdout or a named pipe, as for stdout: not /dev/stdout.json)
    stream = not to_stdout and is_stream(output)  # type: ignore[arg-type]
    sidecar_target = sidecar_path if to_stdout or as_json or stream else (
        sidecar_path or sidecar_path_for(output))  # type: ignore[arg-type]
    if sidecar_target is not None:
        if not is_stdin and _same_file(sidecar_target, source):
            where = ("--sidecar" if sidecar_path is not None
                     else f"-o {output}, whose sidecar it would be; choose another -o or give --sidecar")
            raise click.UsageError(f"refusing to overwrite the input {source} with the sidecar of {where}")
        if not to_stdout and _same_file(sidecar_target, output):  # type: ignore[arg-type]
            if sidecar_path is not None:
                raise click.UsageError(f"--sidecar {sidecar_target} is the -o file; give them different names")
            raise click.UsageError(f"-o {output}: its sidecar would be {sidecar_target}, the same file; "
                                   "name the text .txt, or give --sidecar")
    if not is_stdin:
        _warn_json_lines([str(source)])
    try:
        result = _read_and_clean(source, name, is_stdin, config)
    except KeyboardInterrupt:
        raise Interrupted("nothing was written") from None
    text = dumps({"text": result.text, **result.sidecar}) if as_json else result.text
    try:
        if to_stdout:
            write_stdout(text)  # (every byte: an unbuffered stdout may take a part of it)
            if sidecar_path is not None:
                write_atomic(sidecar_path, dumps(result.sidecar))
            return
        assert output is not None
        if as_json:  # the object, not the text (which wrote FILE as without --json, and no sidecar)
            if sidecar_target is not None:
                write_atomic(sidecar_target, dumps(result.sidecar))
            write_atomic(output, text)
        else:
            write_result(result, output, sidecar_target)
    except KeyboardInterrupt:  # (files.write_result: both outputs are in place, or neither)
        raise Interrupted("the text on stdout may be cut short" if to_stdout else
                          f"{output} and its sidecar are both new and whole, or both as they were") from None
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and to_stdout:  # the reader stopped (`| head`): as a dataset run
            _stdout_failed(exc)
        where = str(exc.filename or output or "<stdout>")
        _fail(f"{name}: cannot write {where}: {exc.strerror or exc}")
        sys.exit(1)


def _same_file(a: Path, b: Path) -> bool:
    """Do the two paths name one file (through symbolic or hard links, or a file system that
    ignores case), existing or not?"""
    try:
        return os.path.samefile(a, b)
    except OSError:  # (one of them does not exist yet)
        return a.resolve() == b.resolve()


class Interrupted(Exception):
    """Ctrl-C while one document was cleaned or written; the message says what is left."""


def _warn_json_lines(paths: list[str]) -> None:
    """One warning when ``.json`` documents hold JSON lines (Spark's ``part-*.json``): each is
    cleaned as the text of one article, which is seldom what was meant."""
    named = [path for path in paths if path.lower().endswith(".json")]
    if not named:
        return
    from .datasets.formats import holds_json_lines

    found = [path for path in named if holds_json_lines(path)]
    if found:
        more = f" (and {len(found) - 1:,} more .json file{'s' * (len(found) > 2)})" if len(found) > 1 else ""
        log.warning("%s holds JSON lines%s: %s cleaned as the text of one article; to clean "
                    "the records give --format jsonl", found[0], more, "each is" if more else "it is")


def _read_and_clean(source: Path, name: str, is_stdin: bool, config: CleanConfig) -> CleanResult:
    """The document cleaned; a clear line and exit 1 when it cannot be."""
    try:
        if is_stdin:
            result = clean_bytes(sys.stdin.buffer.read(), config, source=name)  # (under the time limit)
        else:
            result = clean_file(source, config)
    except CleanerError as exc:
        _fail(_named(name, str(exc)))
        sys.exit(1)
    except OSError as exc:
        _fail(f"{name}: {exc.strerror or exc}")
        sys.exit(1)
    except Exception as exc:  # a bug: one clear line, not a traceback
        log.debug("internal error on %s", name, exc_info=True)
        _fail(f"{name}: internal error ({type(exc).__name__}: {exc}); please report it (-vv for the traceback)")
        sys.exit(1)
    return result


def _named(name: str, message: str) -> str:
    """A message that names its document (some errors come without the name)."""
    return message if message.startswith(name) else f"{name}: {message}"


def _collect(inputs: tuple[Path, ...], out_dir: Path, real: RealPaths,
             folder: Folder | None = None) -> list[tuple[str, str]]:
    """(input file, path relative to the output directory) for every input. Strings, not
    ``Path`` objects: a run of a million files holds them all (about 0.5 kB a file, planned).
    ``folder``: the one folder input, as walked already to tell whether it holds dataset shards."""
    from .datasets.formats import format_of, shard_by_name

    jobs: list[tuple[str, str]] = []
    alone = "a dataset is cleaned on its own (one file, or a directory of its shards), not among other " \
            "inputs, which are documents (text, HTML): `cleaner clean DATASET -o OUT`"
    for item in inputs:
        if str(item) == "-":
            raise click.UsageError("`-` (stdin) cannot be mixed with other inputs")
        if item.is_dir():
            first = len(jobs)
            try:
                jobs.extend((str(p), p.relative_to(item).as_posix())
                            for p in iter_inputs(item, exclude=out_dir, real=real, folder=folder))
            except ConfigError as exc:  # a subdirectory that cannot be read
                raise click.UsageError(str(exc)) from exc
            # (one folder input holding shards is a dataset: only several inputs can get here with them)
            shard = next((rel for _, rel in jobs[first:] if shard_by_name(rel)), None)
            if shard is not None:
                raise click.UsageError(f"{item}: holds dataset shards ({shard}); {alone}")
            if folder is not None and isinstance(folder.files, list):
                folder.files.clear()  # (its paths are in the jobs now: not held twice for the run)
        elif item.is_file():
            if format_of(item) is not None:  # (one dataset file alone is a dataset run)
                raise click.UsageError(f"{item}: a dataset file; {alone}")
            jobs.append((str(item), item.name))
        else:
            raise click.UsageError(f"{item}: no such file or directory")
    return jobs


def _clean_many(inputs: tuple[Path, ...], out_dir: Path, config: CleanConfig, quiet: bool,
                stats_path: Path | None = None, workers: int | None = None,
                folder: Folder | None = None) -> int:
    """Clean every input file into ``out_dir``; returns the number of failed documents. Every
    document ends as written or failed (with its reason), and the summary says how many. The
    outputs are planned here, in input order; the files are cleaned in worker processes when
    the input is large enough (or ``workers`` says so), with the same result."""
    import time

    from .datasets.records import freeze_counts, new_counts
    from .datasets.summary import stats_json, summary_text
    from .file_runs import clean_files, workers_for

    if out_dir.exists() and not out_dir.is_dir():
        raise click.UsageError(f"-o {out_dir}: exists and is not a directory")
    started = time.monotonic()
    real = RealPaths()  # (the tree does not change while the run is planned)
    for item in inputs:
        if item.is_dir() and real(item) == real(out_dir):
            raise click.UsageError(f"-o {out_dir}: is the input directory {item}; the outputs would go "
                                   "among its documents, over its .txt and .json files: choose another -o")
    jobs = _collect(inputs, out_dir, real, folder)
    _warn_json_lines([path for path, _ in jobs])
    nbytes = 0
    for path, _ in jobs:
        with contextlib.suppress(OSError):
            nbytes += os.stat(path).st_size  # noqa: PTH116
    planned = _plan_outputs(jobs, out_dir, real)
    runnable = [job for _, _, job, _ in planned if job is not None]
    if stats_path is not None:
        _check_stats_path(stats_path, jobs, runnable, real)
    workers = workers_for(workers, nbytes, len(runnable))
    counts = new_counts()
    show_bar = not quiet and sys.stderr.isatty() and len(jobs) > 1
    outcomes = clean_files(runnable, config, workers)
    try:
        _count_outcomes(planned, outcomes, counts, show_bar)
    except CleanerError as exc:  # the worker processes keep dying: not one bad document
        _fail(str(exc))
        sys.exit(1)
    stats = stats_json(freeze_counts(counts), seconds=time.monotonic() - started, workers=workers,
                       inputs=[str(i) for i in inputs], outputs=[str(out_dir)], input_bytes=nbytes,
                       run_documents=len(jobs))
    if stats_path is not None:
        try:
            write_atomic(stats_path, json.dumps(stats, indent=2, sort_keys=True) + "\n")
        except OSError as exc:
            _fail(f"cannot write --stats {stats_path}: {exc.strerror or exc}")
    if not quiet:
        click.echo(summary_text(stats), err=True)
    return int(stats["documents"]["failed"])


def _check_stats_path(stats_path: Path, jobs: list[tuple[str, str]], runnable: list[tuple[str, str, str]],
                      real: RealPaths) -> None:
    """--stats must be neither an input nor an output of the run (a usage error before any
    document is cleaned: it is written last, over what is there)."""
    target = real(stats_path)
    if any(real(path) == target for path, _ in jobs):
        raise click.UsageError(f"--stats {stats_path}: is an input file; refusing to overwrite it")
    if any(target in (real(text), real(sidecar)) for _, text, sidecar in runnable):
        raise click.UsageError(f"--stats {stats_path}: is an output of the run; choose another name")


#: (input, its path relative to the output directory, (input, text output, sidecar output) to
#: clean or None, (reason, message) when it cannot be cleaned or None).
Planned = tuple[str, str, "tuple[str, str, str] | None", "tuple[str, str] | None"]


def _count_outcomes(planned: list[Planned], outcomes: Generator[FileOutcome, None, None],
                    counts: dict[str, Any], show_bar: bool) -> None:
    """Report and count every planned file in order (a progress bar on a terminal)."""
    from .datasets.records import count_result

    with click.progressbar(planned, label="cleaning", file=sys.stderr, show_pos=True,
                           item_show_func=lambda p: p[1][-40:] if p else None) if show_bar \
            else _plain(planned) as bar, contextlib.closing(outcomes):
        for _path, _rel, job, problem in bar:
            if show_bar:
                progress_drawn()  # (click redraws it at every item)
            counts["documents"]["in"] += 1
            if job is None:
                reason, message = problem  # type: ignore[misc]
                _fail(message)
                counts["documents"]["failed"] += 1
                counts["failed"][reason] += 1
                continue
            outcome = next(outcomes)
            if outcome.trace:
                log.debug("internal error on %s\n%s", outcome.message, outcome.trace.rstrip())
            if outcome.message:
                _fail(outcome.message)
            if outcome.failure:
                counts["documents"]["failed"] += 1
                counts["failed"][outcome.failure] += 1
            else:
                counts["documents"]["written"] += 1
                count_result(counts, outcome)  # type: ignore[arg-type]


def _plan_outputs(jobs: list[tuple[str, str]], out_dir: Path, real: RealPaths) -> list[Planned]:
    """Per input, in order: (input, relative path, (input, text output, sidecar output) to
    clean, or None and (reason, message) when its outputs cannot be written."""
    input_files = {real(p) for p, _ in jobs}
    claimed: dict[str, str] = {}
    planned: list[Planned] = []
    for path, rel in jobs:
        try:
            text_path, json_path = output_pair(out_dir, Path(rel), real)
        except UnsafeOutputName as exc:
            planned.append((path, rel, None, ("unsafe_name", f"{path}: {exc}")))
            continue
        if real(path) in (real(text_path), real(json_path)):  # (`a.txt b.txt -o .`: every input so)
            raise click.UsageError(f"-o {out_dir}: {path} would be its own output; refusing to overwrite "
                                   "an input: choose another -o")
        problem = _output_problem(text_path, json_path, path, input_files, claimed, real)
        if problem:
            planned.append((path, rel, None, ("output_conflict", problem)))
            continue
        claimed[real(text_path)] = path
        planned.append((path, rel, (path, str(text_path), str(json_path)), None))
    return planned


class _plain:
    """A stand-in for click's progress bar when none is shown."""

    def __init__(self, items: list[Planned]) -> None:
        self.items = items

    def __enter__(self) -> list[Planned]:
        return self.items

    def __exit__(self, *exc: object) -> None:
        return None


def _output_problem(text_path: Path, json_path: Path, source: str, inputs: set[str],
                    claimed: dict[str, str], real: RealPaths) -> str | None:
    for out in (text_path, json_path):
        if real(out) in inputs:
            return f"{source}: its output {out} is an input file; refusing to overwrite it (choose another -o)"
    other = claimed.get(real(text_path))
    if other is not None:
        return f"{source}: its output {text_path} is already written for {other}; rename one of them"
    return None


VERDICT_COLOURS = {"KEEP": "green", "DROP": "red", "CUT": "yellow", "HEAD": "cyan"}


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=EXPLAIN_EXIT_CODES)
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path, allow_dash=True),
                required=False)
@click.option("--full", is_flag=True, help="Print whole blocks instead of a preview of each.")
@click.option("--drops-only", is_flag=True, help="Only the blocks that were dropped or cut.")
@config_options
@verbosity_options("", "")
@click.pass_context
def explain(ctx: click.Context, /, source: Path | None, full: bool, drops_only: bool, verbose: int,
            quiet: bool, config_path: str | None, disabled: tuple[str, ...], **flags: Any) -> None:
    """Show the document block by block: KEEP, DROP, CUT (a span removed) or HEAD (metadata
    header), with the rules that fired and their evidence. Coloured on a terminal; plain when
    piped or with NO_COLOR set. SOURCE is a text or HTML file, or `-` (or nothing, with text
    piped in) for stdin.

    \b
    Examples:
      cleaner explain fixtures/input/seeds/000_d69c59094d66a187.txt
      cleaner explain page.html --drops-only
      cat a.txt | cleaner explain - --disable caption.credit
      sed -n 5p data.jsonl | jq -r .text | cleaner explain -    # record 5 of a dataset
    """
    from .explain import explain as explain_result
    from .explain import preview

    _configure_logging(verbose, quiet)
    if source is None:  # (as `clean`: piped text without a `-`)
        if sys.stdin.isatty():
            raise click.UsageError("no input: give a file, or pipe text to stdin (`-`)")
        source = Path("-")
    is_stdin = str(source) == "-"
    if not is_stdin:
        from .datasets.formats import format_of

        fmt = format_of(source)
        if fmt is not None:  # (it was explained as the text of one article: every record in one block)
            import shlex

            quoted = shlex.quote(str(source))
            example = {"jsonl": f"for example: sed -n 5p {quoted} | jq -r .text | cleaner explain -",
                       "jsonl.gz": f"for example: zcat {quoted} | sed -n 5p | jq -r .text | cleaner "
                                   "explain -"}.get(fmt, "... | cleaner explain -")
            raise click.UsageError(f"{source}: a dataset ({fmt}), not one document; explain shows one: "
                                   f"give it a record's text on stdin ({example})")
    try:
        with ctrl_c_held():  # the rules and word lists load (see cleaner._startup)
            config = build_config(config_path, disabled, **flags)
    except ConfigError as exc:
        raise click.UsageError(str(exc)) from exc
    # as `clean` reads and cleans one document: stdin under the time limit too
    name = "<stdin>" if is_stdin else str(source)
    result = _read_and_clean(source, name, is_stdin, config)
    items = list(explain_result(result))
    if not items:  # (it printed nothing at all, exit 0: as if the command had not run)
        notes = result.sidecar.get("notes") or []
        click.echo(f"{name}: the document is empty: no text to explain" + (f" ({notes[0]})" if notes else ""))
        return
    for item in items:
        if drops_only and item.verdict == "KEEP":
            continue
        tag = click.style(f"{item.verdict:<4}", fg=VERDICT_COLOURS[item.verdict], bold=True)
        click.echo(f"{tag} {item.line:>5}  {item.text if full else preview(item.text)}", color=ctx.color)
        for reason in item.reasons:
            click.echo(click.style(f"             {reason}", dim=True), color=ctx.color)


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=LEARN_EXIT_CODES)
@click.argument("corpus", type=click.Path(exists=True, path_type=Path, allow_dash=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True), required=True,
              help="Where the model (JSON) goes; - for stdout.")
@click.option("--format", "fmt", type=click.Choice(["jsonl", "jsonl.gz", "parquet"]), default=None,
              help="Dataset format when the extension does not tell.")
@click.option("--text-key", default="text", show_default=True, help="Record field holding the text.")
@click.option("--html-key", default=None, help="Record field holding HTML (extracted first).")
@click.option("--id-key", default=None,
              help="Record field holding the id; a URL gives the site (records without it: one warning).")
@click.option("--min-docs", type=click.IntRange(min=2), default=10, show_default=True,
              help="A line must appear in at least this many documents...")
@click.option("--min-fraction", type=click.FloatRange(0, 1), default=0.005, show_default=True,
              help="...and in at least this share of them; or in at least --min-docs and 5 % of the "
                   "documents of one site (a URL id's host).")
@click.option("--workers", type=click.IntRange(min=1), default=None, metavar="N",
              help="Local worker processes that read and cut the documents.  [default: one per 4 MB "
                   "of input, up to all cores]")
@click.option("--memory-mb", type=click.IntRange(min=16), default=MEMORY_MB_DEFAULT, show_default=True,
              metavar="MB", help="Memory for the line counts; beyond it they go to temporary files "
                                 "(same model, any corpus size).")
@click.option("--force", is_flag=True, help="Overwrite the -o file when it exists.")
@verbosity_options(": every skipped document named, not only the first 50; the documents of each site",
                   "; no progress line, no summary")
def learn(corpus: Path, output: Path, fmt: str | None, text_key: str, html_key: str | None,
          id_key: str | None, min_docs: int, min_fraction: float, workers: int | None, memory_mb: int,
          force: bool, verbose: int, quiet: bool) -> None:
    """Learn corpus-wide boilerplate: short lines (site banners, injected affiliate lines) that
    recur across many documents. Long prose lines and quotations are never learned, and a short
    sentence only as one site's boilerplate, so a statement quoted by several articles stays;
    and a line only under three different stories at least, so an article printed by many sites
    keeps its title and subheadings. Use the model with `cleaner clean --boilerplate MODEL`; its removals
    are named corpus.frequent (kind corpus-boilerplate) in the sidecar.

    CORPUS is a directory of text/HTML files, or a JSONL/JSONL.gz/Parquet dataset (a file or a
    directory of shards), or `-` for JSONL records on stdin (with --format).

    \b
    Examples:
      cleaner learn articles/ -o boilerplate.json
      cleaner learn data.jsonl --id-key url -o boilerplate.json --min-docs 20
      cleaner learn data.jsonl --id-key url -o boilerplate.json -v  # each site; every skipped one
      cleaner learn articles/ -o boilerplate.json --force   # a model learned again, over the old one
      zcat data.jsonl.gz | cleaner learn - --format jsonl -o boilerplate.json
      cleaner clean data.jsonl -o clean.jsonl --boilerplate boilerplate.json
    """
    from .cli_datasets import learn_corpus

    _configure_logging(verbose, quiet)
    learn_corpus(corpus, output, fmt=fmt, text_key=text_key, html_key=html_key, id_key=id_key,
                 min_docs=min_docs, min_fraction=min_fraction, workers=workers, memory_mb=memory_mb,
                 quiet=quiet, verbose=verbose, force=force)


@cli.command(context_settings=CONTEXT_SETTINGS, epilog=RULES_EXIT_CODES)
def rules() -> None:
    """List every rule, the kind of noise it finds and what it looks for.

    \b
    Examples:
      cleaner rules
      cleaner clean a.txt --disable caption.credit
    """
    from .rules.registry import all_rules

    items = all_rules()
    width = max(len(r.name) for r in items)
    kind_width = max(len(r.kind) for r in items)
    for r in items:
        click.echo(f"{r.name:<{width}}  {r.kind:<{kind_width}}  {r.description}")


from .report.command import report as report_command  # noqa: E402  (imports click only)

cli.add_command(report_command)


def main() -> None:
    """Console entry point. Output that cannot be written to stdout (a full disk, a closed
    pipe) ends the command with one line and exit 1, not a traceback, whichever command printed
    it (`explain`, `rules`, `--help`; `clean` says so itself), also when it fails only as the
    output is flushed at the end."""
    try:
        cli(prog_name="cleaner")
    except OSError as exc:
        if not _printing_failed(exc):
            raise
        _stdout_failed(exc)
    except SystemExit:
        _flush_stdout()
        raise
    _flush_stdout()


def _printing_failed(exc: OSError) -> bool:
    """Was it ``click.echo`` writing to stdout that raised ``exc``?"""
    tb = exc.__traceback__
    while tb is not None and tb.tb_next is not None:
        tb = tb.tb_next
    if tb is None or tb.tb_frame.f_globals.get("__name__") != "click.utils" \
            or tb.tb_frame.f_code.co_name != "echo":
        return False
    stream = tb.tb_frame.f_locals.get("file")
    try:
        return stream is not None and stream.fileno() == sys.__stdout__.fileno()  # type: ignore[union-attr]
    except (OSError, ValueError, AttributeError):
        return False


def _flush_stdout() -> None:
    try:
        sys.stdout.flush()
    except OSError as exc:
        _stdout_failed(exc)


def _stdout_failed(exc: OSError) -> NoReturn:
    """Stdout cannot be written: exit 1 with one line, or, when the program reading it stopped
    (`| head`), 141 and nothing to say, as a dataset run ends (it was exit 1: "documents failed")."""
    from .cli_datasets import EXIT_BROKEN_PIPE

    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # (nothing left to flush at exit)
    if isinstance(exc, BrokenPipeError):
        sys.exit(EXIT_BROKEN_PIPE)
    click.echo(f"cleaner: error: cannot write <stdout>: {exc.strerror or exc}", err=True)
    sys.exit(1)


if __name__ == "__main__":
    main()
