"""The benchmark scripts run and print their rows (a smoke test on a few documents: the figures
themselves are taken by hand, see docs/datasets.md)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from .conftest import BENCH, ROOT, needs_bench

pytestmark = needs_bench


def _run(*args: str) -> str:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks/throughput.py"), *args],
                          capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert done.returncode == 0, done.stderr[-2000:]
    return done.stdout


def test_html_rows_compare_cleaner_with_bare_trafilatura_chunk_by_chunk() -> None:
    out = _run("--html-only", "--pages", "5", "--repeat", "2", "--warm-up-pages", "2")
    ours = re.search(r"HTML, cleaner \(1 worker, no language\)\s+([\d.]+) pages/s", out)
    bare = re.search(r"HTML, bare trafilatura\.extract\s+([\d.]+) pages/s -> cleaner ([\d.]+)x", out)
    memory = re.search(r"HTML, clean_html in memory \(no JSONL\)\s+([\d.]+) pages/s = ([\d.]+)x bare", out)
    assert ours and bare and memory, out
    assert float(ours.group(1)) > 0 and float(bare.group(1)) > 0 and float(memory.group(1)) > 0
    # the ratio printed is the ratio of the rates printed
    assert abs(float(bare.group(2)) - float(ours.group(1)) / float(bare.group(1))) < 0.011


def test_per_core_rows_give_the_best_of_the_repeated_runs_and_their_range() -> None:
    out = _run("--per-core-only", "--docs", "6", "--repeat", "2")
    for label in ("on", "off"):
        row = re.search(rf"text, language {label}, 1 worker\s+([\d,]+) docs/s per core .*"
                        r"best of 2 alternated runs, range ([\d,]+)-([\d,]+)\)", out)
        assert row, out
        best, low, high = (int(g.replace(",", "")) for g in row.groups())
        assert 0 < low <= high == best


def test_directory_row_runs_the_folders_with_one_and_two_workers(tmp_path: Path) -> None:
    text, html = tmp_path / "text", tmp_path / "html"
    text.mkdir()
    html.mkdir()
    for i, p in enumerate(sorted((BENCH / "clean-keep/dev/input").iterdir())[:3]):
        (text / f"t{i}.txt").write_bytes(p.read_bytes())
    for i, p in enumerate(sorted((BENCH / "traf-html/dev/input").iterdir())[:2]):
        (html / f"h{i}.html").write_bytes(p.read_bytes())
    out = _run("--dirs-only", "--text-dir", str(text), "--html-dir", str(html))
    row = re.search(r"directory of files, whole command\s+5 files \(\d+ MB; 5 written\): "
                    r"1 worker ([\d.]+) s, 2 workers ([\d.]+) s = ([\d.]+)x", out)
    assert row, out
    assert abs(float(row.group(3)) - float(row.group(1)) / float(row.group(2))) < 0.02
