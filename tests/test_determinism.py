"""Same input and options, same bytes: also across processes with different hash seeds.

Python randomizes the iteration order of sets of strings per process (PYTHONHASHSEED), so a
table built by iterating a set can differ between two runs of the same command. Worker
processes and Dask workers each have their own seed; these tests run cleaner under several.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import BENCH, ROOT, bench_pages

TRAF_TEXT = BENCH / "traf-text/dev/input"

DUMP_TABLES = """
import json
from cleaner import phrases
out = {}
for kind in phrases.KINDS:
    m = phrases._matcher(kind)
    out[kind] = [sorted(m.exact.items()), list(m.starts), sorted(m.starts_source.items()),
                 sorted(m.contains_source.items()),
                 c.pattern if (c := phrases._contains(kind)) else None]
print(json.dumps(out, sort_keys=True))
"""


def run_with_seeds(seeds: list[int], args: Callable[[int], list[str]]) -> list[str]:
    """``python ARGS(seed)`` under each hash seed, the processes side by side (they share
    nothing, and nothing is timed); the stdout of each."""
    procs = [subprocess.Popen([sys.executable, *args(seed)], env={**os.environ, "PYTHONHASHSEED": str(seed)},
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for seed in seeds]
    outs = [proc.communicate(timeout=600) for proc in procs]
    for proc, (_, err) in zip(procs, outs, strict=True):
        assert proc.returncode == 0, err
    return [out for out, _ in outs]


def test_phrase_tables_do_not_depend_on_the_hash_seed() -> None:
    dumps = set(run_with_seeds([0, 1, 2, 3], lambda seed: ["-c", DUMP_TABLES]))
    assert len(dumps) == 1
    assert json.loads(dumps.pop())["share"][0]  # the tables are not empty


def test_same_output_bytes_under_different_hash_seeds(tmp_path: Path) -> None:
    src = tmp_path / "in"
    shutil.copytree(ROOT / "fixtures/input", src)
    if TRAF_TEXT.is_dir():  # whole pages as text: many kinds of boilerplate, many languages
        (src / "pages").mkdir()
        for page in bench_pages("traf-text", 6):
            shutil.copy(page, src / "pages" / page.name)
    run_with_seeds([1, 2], lambda seed: ["-m", "cleaner", "clean", "-q", "--no-language", str(src),
                                         "-o", str(tmp_path / f"out{seed}")])
    outputs = []
    for seed in (1, 2):
        out = tmp_path / f"out{seed}"
        outputs.append({p.relative_to(out): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert len(outputs[0]) >= 2
    different = [str(name) for name in outputs[0] if outputs[0][name] != outputs[1].get(name)]
    assert not different, different[:5]


@pytest.mark.skipif(not TRAF_TEXT.is_dir(), reason="needs ../shared/bench beside the checkout")
def test_the_page_sample_exercises_the_phrase_tables(tmp_path: Path) -> None:
    """The sample above must hold lines that two phrases of one table normalize to alike
    ("loading" / "loading..."), else the byte comparison could not catch the order."""
    from cleaner import phrases

    clashes = set()
    for kind in phrases.KINDS:
        exact = phrases.merged()[kind].exact
        seen: dict[str, str] = {}
        for phrase in sorted(exact):
            key = phrases.normalize_line(phrase)
            if key in seen:
                clashes.add(key)
            seen[key] = phrase
    text = "\n".join(p.read_text(encoding="utf-8", errors="replace").lower()
                     for p in bench_pages("traf-text", 6))
    lines = {phrases.normalize_line(line) for line in text.splitlines()}
    assert clashes & lines
