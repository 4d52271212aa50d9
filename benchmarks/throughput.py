#!/usr/bin/env python3
"""Dataset throughput, side by side in one run.

    python benchmarks/throughput.py
    python benchmarks/throughput.py --docs 2000 --memory-mb 1024      # the real memory figure

Rows: plain-text JSONL docs/s per core with language detection on and off (1 worker, in
process, on documents the process has not seen: the folder's documents in passes, cleaner's
content caches emptied before each; the two run in turn --repeat times, each keeping its least
CPU time), 1 vs 2 worker processes (whole `cleaner clean` commands
on --scale-docs documents, and the same net of the start-up measured on a one-document file;
with the machine's own ceiling, two busy loops at once against one, taken before and after),
the HTML path (pages/s: a JSONL with --html-key through `cleaner clean`, and `clean_html` on
the pages in memory) vs bare trafilatura.extract on the same pages (in a fresh interpreter that
never imports cleaner; the three take turns by chunks of pages, --repeat times over the pages,
and each chunk's least CPU time counts), a directory run over the text and HTML folders
with 1 and 2 workers (whole commands, `--dirs-only` for this row alone),
and peak memory (RSS of the whole process tree: the CLI, its workers)
while `cleaner clean` runs over a generated JSONL of --memory-mb MB of distinct lines (with and
without language detection), and over the same records as a Parquet file of one row group
(`--memory-only` for these rows alone).

The corpus is built from folders of text and HTML files (repeated to reach --docs documents);
the data is read in place, never copied into the repository.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
TEXT_DIR = HERE.parent.parent / "shared/bench/data/clean-keep/dev/input"
HTML_DIR = HERE.parent.parent / "shared/bench/data/traf-html/dev/input"


def folder_texts(folder: Path, n: int) -> list[str]:
    """The first ``n`` documents of the folder (repeated when it has fewer), as text."""
    files = sorted(p for p in folder.iterdir() if p.is_file())
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in files]
    return [texts[i % len(texts)] for i in range(n)]


def write_jsonl(texts: list[str], path: Path, key: str = "text", first_id: int = 0) -> int:
    """One record ``{"id": ..., key: text}`` a text; returns the file's size in bytes."""
    with path.open("w", encoding="utf-8") as handle:
        for i, text in enumerate(texts, start=first_id):
            handle.write(json.dumps({"id": i, key: text}, ensure_ascii=False) + "\n")
    return path.stat().st_size


def build_jsonl(folder: Path, n: int, path: Path) -> int:
    return write_jsonl(folder_texts(folder, n), path)


def run_clean(src: Path, out: Path, workers: int, *extra: str) -> float:
    """Seconds for `cleaner clean` in process (timer around the run, not the interpreter).
    With one worker the run is in this process and the CPU time is returned (a per-core
    figure that other load on the machine does not distort); with more, the wall time."""
    from click.testing import CliRunner

    from cleaner.cli import cli

    clock = time.process_time if workers == 1 else time.perf_counter
    started = clock()
    result = CliRunner().invoke(
        cli, ["clean", str(src), "-o", str(out), "--force", "-q", "--workers", str(workers), *extra]
    )
    elapsed = clock() - started
    if result.exit_code not in (0, 1):
        raise SystemExit(f"cleaner failed: {result.output}")
    return elapsed


#: A fixed pure-Python loop: its time alone and two at once tell how much two cores give now.
_BUSY_LOOP = ("import time\nt = time.perf_counter()\ns = 0\nfor i in range(20_000_000):\n    s += i & 7\n"
              "print(time.perf_counter() - t)")


#: Rounds of (the loop alone, two at once) in one ``machine_ceiling`` figure.
CEILING_ROUNDS = 3


def machine_ceiling() -> tuple[float, float, float]:
    """The work two processes do at once against one alone (2.0 on two free cores), on a loop
    that shares no data: the most 2 workers can give at the moment. On this virtual machine two
    busy processes often slow each other down (the same 2-worker run took 20.6 s of CPU time in
    one spell and 26.6 s in another), so the 1 vs 2 worker rows are read against this figure,
    taken right before and after them. The machine's speed drifts within seconds too: the loop
    runs alone and in pairs in turn, CEILING_ROUNDS times; (median, lowest, highest) of the
    rounds' ratios."""
    def times(n: int) -> list[float]:
        procs = [subprocess.Popen([sys.executable, "-c", _BUSY_LOOP], stdout=subprocess.PIPE, text=True)
                 for _ in range(n)]
        return [float(p.communicate()[0]) for p in procs]

    ratios = sorted(2 * times(1)[0] / max(times(2)) for _ in range(CEILING_ROUNDS))
    return ratios[len(ratios) // 2], ratios[0], ratios[-1]


def _ceiling_text(figure: tuple[float, float, float]) -> str:
    median, low, high = figure
    return f"{median:.2f}x (rounds {low:.2f}-{high:.2f}x)"


def per_core_unseen(folder: Path, n: int, tmp: Path, *extra: str) -> float:
    """Documents/s per core over ``n`` documents the process has not seen before: the folder's
    documents in passes (the last one cut short), each pass after ``cleaner.caches.clear()``.
    Repeating a small corpus through one run would measure the content caches warm."""
    from cleaner import caches

    distinct = sum(1 for p in folder.iterdir() if p.is_file())
    sizes = [distinct] * (n // distinct) + ([n % distinct] if n % distinct else [])
    seconds = 0.0
    for size in dict.fromkeys(sizes):
        build_jsonl(folder, size, tmp / f"pass{size}.jsonl")
    for size in sizes:
        caches.clear()
        seconds += run_clean(tmp / f"pass{size}.jsonl", tmp / "o.jsonl", 1, *extra)
    return n / seconds


def per_core_rows(folder: Path, n: int, tmp: Path, repeat: int = 1) -> list[tuple[str, str]]:
    """The two 1-worker text rows. With ``repeat`` > 1 the two measurements run in turn that
    many times; each row gives the best rate (the least CPU time) and the range: the CPU time
    of the same run moves by a third on a shared machine whose speed drifts."""
    on, off = [], []
    for _ in range(max(1, repeat)):
        off.append(per_core_unseen(folder, n, tmp, "--no-language"))
        on.append(per_core_unseen(folder, n, tmp))

    def rate(rates: list[float], target: str) -> str:
        spread = f"; best of {len(rates)} alternated runs, range {min(rates):,.0f}-{max(rates):,.0f}"
        return f"{max(rates):,.0f} docs/s per core (target {target}{spread if len(rates) > 1 else ''})"

    return [("text, language on, 1 worker", rate(on, "200")),
            ("text, language off, 1 worker", rate(off, "1,000"))]


def run_command(src: Path, out: Path, workers: int, *extra: str) -> float:
    """Wall seconds of a whole ``cleaner clean`` command (interpreter start-up, loading the
    rules and language profiles in every worker process, reading and writing included)."""
    cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(out), "--force", "-q",
           "--workers", str(workers), *extra]
    started = time.perf_counter()
    subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def directory_rows(dirs: list[Path], tmp: Path) -> list[tuple[str, str]]:
    """A directory run, ``cleaner clean DIR... -o OUT`` on the files in place (default options),
    as whole commands with 1 and 2 workers (wall time, start-up included)."""
    files = [p for d in dirs for p in d.rglob("*") if p.is_file() and not p.name.startswith(".")]
    mb = sum(p.stat().st_size for p in files) / 1e6
    wall = []
    for workers in (1, 2):
        out = tmp / f"dir{workers}"
        cmd = [sys.executable, "-m", "cleaner", "clean", *map(str, dirs), "-o", str(out), "-q",
               "--workers", str(workers)]
        started = time.perf_counter()
        subprocess.run(cmd, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        wall.append(time.perf_counter() - started)
        written = sum(1 for _ in out.rglob("*.txt"))
        shutil.rmtree(out, ignore_errors=True)
    return [("directory of files, whole command",
             f"{len(files)} files ({mb:.0f} MB; {written} written): 1 worker {wall[0]:.2f} s, "
             f"2 workers {wall[1]:.2f} s = {wall[0] / wall[1]:.2f}x")]


#: Pages per HTML chunk: the three HTML measurements take turns chunk by chunk.
HTML_CHUNK_PAGES = 20
#: The pages cleaner warms up on before any timing, and the bare extractor too.
WARM_UP_PAGES = 20
#: trafilatura.extract as the bare row calls it (cleaner's own settings for the same pages).
BARE_OPTIONS = {"fast": False, "include_comments": False, "include_tables": True, "include_formatting": False}


class BareTrafilatura:
    """Bare ``trafilatura.extract`` in a fresh interpreter that never imports cleaner:
    trafilatura as a user has it, without cleaner's replacements of some of its internals
    (``cleaner.justext_linear``, ``cleaner.justext_fast``, ``cleaner.readability_fast``,
    ``cleaner.trafilatura_fast``, ``cleaner.xpath_skip``, ``cleaner.htmldate_fast``). The
    process lives for the whole measurement, warmed up on the same pages as cleaner (so its
    own caches are as warm as those of cleaner's process), and times the pages asked for."""

    def __init__(self, folder: Path, n: int, warm_up_pages: int = WARM_UP_PAGES) -> None:
        """Starts the process; ``wait_ready`` waits for its warm-up (this one may warm up meanwhile)."""
        cmd = [sys.executable, __file__, "--bare-server", "--html-dir", str(folder), "--pages", str(n),
               "--warm-up-pages", str(warm_up_pages)]
        self.proc = subprocess.Popen(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        self.ready = False

    def wait_ready(self) -> None:
        if not self.ready and self._reply() != "ready":
            raise SystemExit("the bare trafilatura process did not start")
        self.ready = True

    def seconds(self, start: int, end: int) -> float:
        """CPU seconds of ``extract`` on pages ``start`` to ``end`` (excluded)."""
        assert self.proc.stdin is not None
        self.proc.stdin.write(f"{start} {end}\n")
        self.proc.stdin.flush()
        return float(self._reply())

    def _reply(self) -> str:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        if not line:
            raise SystemExit("the bare trafilatura process ended early")
        return line.strip()

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait()


def bare_server(folder: Path, n: int, warm_up_pages: int = WARM_UP_PAGES) -> None:
    """The child process of BareTrafilatura: "START END" lines in, CPU seconds out."""
    import trafilatura

    assert "cleaner" not in sys.modules, "the bare row must run without cleaner's patches"
    pages = folder_texts(folder, n)
    for page in folder_texts(folder, warm_up_pages):
        trafilatura.extract(page, **BARE_OPTIONS)
    print("ready", flush=True)
    for line in sys.stdin:
        start, end = map(int, line.split())
        started = time.process_time()
        for page in pages[start:end]:
            trafilatura.extract(page, **BARE_OPTIONS)
        print(time.process_time() - started, flush=True)


def html_rows(folder: Path, pages: int, tmp: Path, repeat: int = 1,
              bare: BareTrafilatura | None = None, warm_up_pages: int = WARM_UP_PAGES) -> list[tuple[str, str]]:
    """cleaner's HTML path (1 worker, in process) vs bare trafilatura, on the same pages.

    The three measurements (a JSONL of the pages through ``cleaner clean --html-key``,
    ``clean_html`` on the pages in memory, bare ``trafilatura.extract``) take turns chunk by
    chunk (HTML_CHUNK_PAGES pages), so that all three see the machine in the same state: its
    speed drifts by a third over minutes, and one whole run of each could land in a slow and a
    fast spell. cleaner's content caches are emptied before each chunk (pages it has not seen).
    The sequence runs ``repeat`` times; each chunk's least CPU time counts. ``bare``: the bare
    process, if it was started already (its warm-up then overlaps this process's own)."""
    from cleaner import caches

    texts = folder_texts(folder, pages)
    chunks = [(a, min(a + HTML_CHUNK_PAGES, pages)) for a in range(0, pages, HTML_CHUNK_PAGES)]
    for k, (a, b) in enumerate(chunks):
        write_jsonl(texts[a:b], tmp / f"html{k}.jsonl", key="html", first_id=a)
    names = ("bare", "jsonl", "memory")
    best = {name: [float("inf")] * len(chunks) for name in names}
    bare = bare or BareTrafilatura(folder, pages, warm_up_pages)
    try:
        bare.wait_ready()
        for _ in range(max(1, repeat)):
            for k, (a, b) in enumerate(chunks):
                for name in (names if k % 2 == 0 else names[::-1]):  # who goes first alternates
                    if name == "bare":
                        seconds = bare.seconds(a, b)
                    elif name == "memory":
                        caches.clear()
                        seconds = clean_html_seconds(texts[a:b])
                    else:
                        caches.clear()
                        seconds = run_clean(tmp / f"html{k}.jsonl", tmp / "h.jsonl", 1,
                                            "--html-key", "html", "--no-language")
                    best[name][k] = min(best[name][k], seconds)
    finally:
        bare.close()
    ours, in_memory, bare_rate = (pages / sum(best[name]) for name in ("jsonl", "memory", "bare"))
    how = f" (the three rows take turns by {HTML_CHUNK_PAGES} pages; least of {repeat} per chunk)"
    return [
        ("HTML, cleaner (1 worker, no language)", f"{ours:,.1f} pages/s{how}"),
        ("HTML, bare trafilatura.extract",
         f"{bare_rate:,.1f} pages/s -> cleaner {ours / bare_rate:.2f}x (target 0.9x)"),
        ("HTML, clean_html in memory (no JSONL)",
         f"{in_memory:,.1f} pages/s = {in_memory / bare_rate:.2f}x bare"),
    ]


def clean_html_seconds(pages: list[str]) -> float:
    """CPU seconds of ``cleaner.clean_html`` (no language detection) on the pages in memory:
    the HTML row without reading and writing JSONL records."""
    from cleaner import clean_html
    from cleaner.config import CleanConfig

    config = CleanConfig(detect_language=False)
    started = time.process_time()
    for page in pages:
        clean_html(page, config)
    return time.process_time() - started


def peak_tree_rss(cmd: list[str]) -> tuple[float, float]:
    """(peak RSS in MB of the process and all its children, seconds) while ``cmd`` runs."""
    import psutil

    started = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parent = psutil.Process(proc.pid)
    peak = 0
    while proc.poll() is None:
        try:
            procs = [parent, *parent.children(recursive=True)]
            peak = max(peak, sum(p.memory_info().rss for p in procs if p.is_running()))
        except psutil.Error:
            pass
        time.sleep(0.1)
    return peak / 1e6, time.perf_counter() - started


def distinct_texts(folder: Path, n: int) -> list[str]:
    """``folder_texts``, with every non-blank line of the i-th text made distinct ("... (i.k)"),
    as in a real corpus: repeated lines would be answered from cleaner's content caches (which
    then never fill) and repeated texts dictionary-encoded into a Parquet file of 1 MB."""
    out = []
    for i, text in enumerate(folder_texts(folder, n)):
        lines = text.split("\n")
        out.append("\n".join(f"{line} ({i}.{k})" if line.strip() else line for k, line in enumerate(lines)))
    return out


def memory_rows(folder: Path, megabytes: int, tmp: Path) -> list[tuple[str, str]]:
    """Peak RSS of ``cleaner clean`` (all cores) over a generated JSONL of ``megabytes`` MB of
    distinct lines, without and with language detection (the default), then over the same
    records as a Parquet file of one row group (the layout that made memory grow with the file
    when a row group was read whole) into Parquet."""
    per_doc = sum(len(t.encode()) for t in distinct_texts(folder, 50)) / 50
    n = max(1, int(megabytes * 1e6 / per_doc))
    texts = distinct_texts(folder, n)
    big = tmp / "big.jsonl"
    write_jsonl(texts, big)
    rows = []
    runs = [("JSONL, --no-language", big, "big.out.jsonl", ("--no-language",)),
            ("JSONL, default options", big, "big.out.jsonl", ())]
    try:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.table({"id": list(range(n)), "text": texts})
        pq.write_table(table, tmp / "big.parquet", row_group_size=n)
        del table
        runs.append(("Parquet of one row group -> Parquet, --no-language", tmp / "big.parquet",
                     "big.out.parquet", ("--no-language",)))
    except ImportError:
        rows.append(("peak RSS, Parquet", "skipped: pyarrow is not installed"))
    del texts
    for label, src, out, extra in runs:
        cmd = [sys.executable, "-m", "cleaner", "clean", str(src), "-o", str(tmp / out), "-q", "--force",
               "--workers", str(len(os.sched_getaffinity(0))), *extra]
        peak, seconds = peak_tree_rss(cmd)
        rows.append((f"peak RSS, {src.stat().st_size / 1e6:,.0f} MB {label} ({n:,} docs)",
                     f"{peak:,.0f} MB for the process tree, {seconds:,.0f} s (target < 400 MB)"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--text-dir", type=Path, default=TEXT_DIR)
    parser.add_argument("--html-dir", type=Path, default=HTML_DIR)
    parser.add_argument("--docs", type=int, default=400, help="documents per throughput row")
    parser.add_argument("--pages", type=int, default=200, help="HTML pages for the HTML rows")
    parser.add_argument("--warm-up-pages", type=int, default=WARM_UP_PAGES,
                        help="HTML pages this process and the bare one clean before any timing "
                             "(fewer only for a quick check that the script runs)")
    parser.add_argument(
        "--scale-docs", type=int, default=8000,
        help="documents for the whole-command 1 vs 2 worker rows (start-up amortized)",
    )
    parser.add_argument(
        "--memory-mb", type=int, default=100, help="size of the generated JSONL (1024 for 1 GB)"
    )
    parser.add_argument(
        "--per-core-only", action="store_true",
        help="only the two 1-worker plain-text rows (CPU time per core; quick)",
    )
    parser.add_argument("--html-only", action="store_true", help="only the HTML rows")
    parser.add_argument("--memory-only", action="store_true",
                        help="only the peak-memory rows (JSONL, and Parquet of one row group)")
    parser.add_argument("--dirs-only", action="store_true",
                        help="only the directory row (--text-dir and --html-dir as one run, 1 vs 2 workers)")
    parser.add_argument("--repeat", type=int, default=3,
                        help="1-worker text rows and HTML rows: runs of each measurement, alternated; "
                             "the least time counts")
    parser.add_argument("--bare-server", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_server:  # the child process of BareTrafilatura
        bare_server(args.html_dir, args.pages, args.warm_up_pages)
        return
    # --html-only: the bare process warms up while this one does (no row is timed meanwhile)
    bare = BareTrafilatura(args.html_dir, args.pages, args.warm_up_pages) if args.html_only else None
    from cleaner.config import CleanConfig
    from cleaner.warm import warm_up

    # This process warms up for the rows it times itself: the directory and memory rows time
    # whole commands, each in processes of its own, and the text rows load no HTML library.
    if not (args.dirs_only or args.memory_only):
        warm_up(CleanConfig())  # rules, phrase lists, language profiles: once, before any timing
    if not (args.dirs_only or args.memory_only or args.per_core_only):
        from cleaner import clean_html

        for page in folder_texts(args.html_dir, args.warm_up_pages):  # trafilatura, htmldate, dateparser caches
            clean_html(page, CleanConfig(detect_language=False))  # (the bare process warms up on the same)
    rows: list[tuple[str, str]] = [("load average before", " ".join(f"{x:.2f}" for x in os.getloadavg()))]
    with tempfile.TemporaryDirectory() as tmp_name:
        tmp = Path(tmp_name)
        if args.html_only:
            _print(rows + html_rows(args.html_dir, args.pages, tmp, args.repeat, bare))
            return
        if args.dirs_only:
            _print(rows + directory_rows([args.text_dir, args.html_dir], tmp))
            return
        if args.memory_only:
            _print(rows + memory_rows(args.text_dir, args.memory_mb, tmp))
            return
        src = tmp / "text.jsonl"
        size = build_jsonl(args.text_dir, args.docs, src)
        distinct = sum(1 for p in args.text_dir.iterdir() if p.is_file())
        rows.append(("corpus", f"{args.docs} docs, {size / 1e6:.1f} MB from {args.text_dir.name}/ "
                               f"({distinct} distinct, cleaner's caches emptied before each pass)"))
        rows += per_core_rows(args.text_dir, args.docs, tmp, args.repeat)
        if args.per_core_only:
            _print(rows)
            return
        one = tmp / "one.jsonl"
        build_jsonl(args.text_dir, 1, one)
        scaled = tmp / "scaled.jsonl"
        scaled_mb = build_jsonl(args.text_dir, args.scale_docs, scaled) / 1e6
        ceiling_before = machine_ceiling()
        for label, extra in (("language on", ()), ("language off", ("--no-language",))):
            start = [run_command(one, tmp / "s.jsonl", w, *extra) for w in (1, 2)]
            wall = [run_command(scaled, tmp / "s.jsonl", w, *extra) for w in (1, 2)]
            net = [max(w - s, 1e-9) for w, s in zip(wall, start, strict=True)]
            rows += [
                (
                    f"text, {label}, whole command",
                    f"{args.scale_docs:,} docs ({scaled_mb:.0f} MB): 1 worker {wall[0]:.1f} s, "
                    f"2 workers {wall[1]:.1f} s = {wall[0] / wall[1]:.2f}x (target 1.8x)",
                ),
                (
                    f"text, {label}, net of start-up",
                    f"start-up {start[0]:.2f} / {start[1]:.2f} s; "
                    f"{args.scale_docs / net[0]:,.0f} vs {args.scale_docs / net[1]:,.0f} docs/s "
                    f"= {net[0] / net[1]:.2f}x",
                ),
            ]
        rows.append(("machine, 2 busy processes at once", f"{_ceiling_text(machine_ceiling())} one alone; "
                     f"before the worker rows {_ceiling_text(ceiling_before)} (2.00x on two free cores: "
                     "the most 2 workers can give)"))
        rows += html_rows(args.html_dir, args.pages, tmp, args.repeat, warm_up_pages=args.warm_up_pages)
        rows += directory_rows([args.text_dir, args.html_dir], tmp)
        rows += memory_rows(args.text_dir, args.memory_mb, tmp)
    _print(rows)


def _print(rows: list[tuple[str, str]]) -> None:
    rows.append(("load average after", " ".join(f"{x:.2f}" for x in os.getloadavg())))
    width = max(len(r[0]) for r in rows)
    print(f"cleaner throughput on {len(os.sched_getaffinity(0))} cores, Python {sys.version.split()[0]}")
    for name, value in rows:
        print(f"  {name:<{width}}  {value}")


if __name__ == "__main__":
    threading.current_thread().name = "main"
    main()
