"""The `cleaner report` command. Importing this module imports Click only; the work is lazy."""

from __future__ import annotations

import os
from pathlib import Path

import click

CONTEXT_SETTINGS = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
EXIT_CODES = """\b
Exit codes: 0 report written, 1 the run could not be read or the report not written,
2 usage error, 130 interrupted (Ctrl-C), 141 the program reading stdout (-o -) stopped early."""


@click.command("report", context_settings=CONTEXT_SETTINGS, epilog=EXIT_CODES)
@click.argument("run", type=click.Path(path_type=Path, exists=True))
@click.option("-o", "--output", type=click.Path(path_type=Path, dir_okay=False, allow_dash=True),
              default=Path("report.html"), show_default=True,
              help="The HTML file to write (one self-contained file; - for stdout); missing "
                   "folders of it are created, as for `cleaner clean -o`.")
@click.option("--sample", type=click.IntRange(min=0), default=200, show_default=True, metavar="N",
              help="Documents embedded in the viewer, chosen at random (0: none).")
@click.option("--seed", type=int, default=0, show_default=True, metavar="S",
              help="Seed of the sample: the same run, N and S give the same documents.")
@click.option("--per-rule", type=click.IntRange(min=0), default=3, show_default=True, metavar="N",
              help="Extra example documents for every rule, so rare rules have some to show.")
@click.option("--stats", "stats_path", type=click.Path(path_type=Path, exists=True, dir_okay=False),
              default=None, help="A --stats file of the run: its failures and rejections are shown too.")
@click.option("-q", "--quiet", is_flag=True, help="No summary line on stderr.")
def report(run: Path, output: Path, sample: int, seed: int, per_rule: int, stats_path: Path | None,
           quiet: bool) -> None:
    """Write an HTML review page of a cleaning run: its numbers and charts, the most frequent
    removed lines, and a viewer that shows sampled documents with every removed span marked.

    RUN is an output directory of `cleaner clean`, a JSONL output of dataset mode, or a
    --stats file (its output is found beside it or by the path it names). Every sidecar is
    read once, streaming; only the sampled documents' texts are embedded, so the page stays
    small for any run. It opens offline, from disk, in any browser.

    \b
    Examples:
      cleaner clean fixtures/input -o /tmp/clean && cleaner report /tmp/clean -o /tmp/report.html
      cleaner report clean.jsonl -o report.html --sample 500 --seed 7
      cleaner report clean.stats.json -o report.html
      cleaner report clean.jsonl -o - | gzip > report.html.gz
    """
    import json

    from ..files import is_stream, write_atomic

    to_stdout = str(output) == "-"  # (it wrote a file named "-")
    if to_stdout:
        output = Path("/dev/stdout")  # (written into, as every device is: see files.is_stream)
    if not is_stream(output) and not _replaceable(output):  # (reading a pipe or a terminal never ended)
        raise click.UsageError(f"-o {output}: exists and is not a report of cleaner (a file of the "
                               "run?); refusing to overwrite it: choose another -o or delete it")
    from .collect import Options, RunError, collect, open_run
    from .render import render

    try:
        extra = json.loads(stats_path.read_text(encoding="utf-8")) if stats_path else None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise click.UsageError(f"--stats {stats_path}: cannot read it as JSON ({exc})") from exc
    try:
        data = collect(open_run(run), Options(sample=sample, seed=seed, per_rule=per_rule),
                       extra if isinstance(extra, dict) else None)
        if not data["totals"]["documents"]:
            raise RunError(f"{run}: no sidecar found; give an output directory of `cleaner clean`, "
                           "a JSONL output of dataset mode or a --stats file")
        page = render(data)
        write_atomic(output, page)
    except RunError as exc:  # (one line as every command says it, not click's "Error: ...")
        click.echo(f"cleaner: error: {exc}", err=True)
        raise SystemExit(1) from exc
    except OSError as exc:
        if isinstance(exc, BrokenPipeError) and (to_stdout or _is_stdout(output)):  # (`-o - | head`)
            from ..cli_datasets import EXIT_BROKEN_PIPE

            raise SystemExit(EXIT_BROKEN_PIPE) from exc  # (no message: as every command ends so)
        click.echo(f"cleaner: error: {output}: {exc.strerror or exc}", err=True)
        raise SystemExit(1) from exc
    if not quiet:
        totals = data["totals"]
        click.echo(f"cleaner: report of {totals['documents']:,} documents ({data['meta']['sampled']:,} "
                   f"sampled) written to {'<stdout>' if to_stdout or _is_stdout(output) else output} "
                   f"({len(page.encode('utf-8')) / 1024:,.0f} kB)", err=True)


#: In the head of every page ``render`` writes.
REPORT_MARK = b'<meta name="generator" content="cleaner report">'


def _is_stdout(output: Path) -> bool:
    try:
        return os.path.samefile(output, "/dev/stdout")
    except (OSError, ValueError):
        return False


def _replaceable(output: Path) -> bool:
    """May the report be written to ``output``: a new or empty file (a shell's ``> r.html``), or
    an earlier report? Anything else there may be the run's own text, sidecar, JSONL output or
    stats (or one of its inputs)."""
    try:
        with output.open("rb") as handle:
            head = handle.read(2048)
            return not head or REPORT_MARK in head
    except FileNotFoundError:
        return True
    except OSError:
        return True  # (writing it says what is wrong)
