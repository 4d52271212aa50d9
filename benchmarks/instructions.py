#!/usr/bin/env python3
"""Instructions per document, counted by valgrind: a speed figure that does not drift.

    python benchmarks/instructions.py text            # clean_text, no language, 100 clean-keep docs
    python benchmarks/instructions.py language        # the same with language detection
    python benchmarks/instructions.py html --docs 40  # clean_html, no language, 40 traf-html pages
    python benchmarks/instructions.py bare --docs 40  # bare trafilatura.extract on the same pages

On a shared machine the CPU time of the same run moves by a third from one minute to the next;
the number of instructions does not (hash seed fixed: the same count to a few parts in a
million). It compares two versions of cleaner (run this script with ``PYTHONPATH`` set to each
checkout), not cleaner with another program: instructions are not time (bare trafilatura runs
more instructions a page than ``clean_html`` yet less CPU time). Each figure runs the workload
twice under ``valgrind --tool=cachegrind`` (needs valgrind): once warmed up only, once warmed
up plus one pass with cleaner's content caches emptied, and divides the difference by the
number of documents. About a minute for ``text``, three for ``html``.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
DATA = HERE.parent.parent / "shared/bench/data"
FOLDERS = {"text": DATA / "clean-keep/dev/input", "language": DATA / "clean-keep/dev/input",
           "html": DATA / "traf-html/dev/input",
           "bare": DATA / "traf-html/dev/input"}
_REFS = re.compile(r"I\s+refs:\s+([\d,]+)")


def workload(kind: str, folder: Path, docs: int, passes: int) -> None:
    """Warm up on the documents, then ``passes`` passes over them (the part that is counted)."""
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.iterdir()) if p.is_file()]
    texts = texts[:docs]
    if kind == "bare":
        import trafilatura
        from throughput import BARE_OPTIONS  # the bare row's settings (this script's folder)

        def run(text: str) -> None:
            trafilatura.extract(text, **BARE_OPTIONS)
        clear = None
    else:
        from cleaner import caches, clean_html, clean_text
        from cleaner.config import CleanConfig

        # no time limit: the library functions keep ``doc_timeout`` (30 s), and under valgrind,
        # about 50 times slower, the first page's loading alone takes longer
        config = CleanConfig(detect_language=kind == "language", doc_timeout=0)
        clean = clean_html if kind == "html" else clean_text

        def run(text: str) -> None:
            clean(text, config)
        clear = caches.clear
    for text in texts:
        run(text)
    for _ in range(passes):
        if clear is not None:
            clear()
        for text in texts:
            run(text)


def count(kind: str, folder: Path, docs: int, passes: int) -> int:
    cmd = ["valgrind", "--tool=cachegrind", "--cache-sim=no", "--cachegrind-out-file=/dev/null",
           sys.executable, __file__, kind, "--folder", str(folder), "--docs", str(docs),
           "--passes", str(passes), "--child"]
    env = {**os.environ, "PYTHONHASHSEED": "0"}
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    found = _REFS.search(done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count in valgrind's output:\n{done.stderr[-2000:]}")
    return int(found.group(1).replace(",", ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=sorted(FOLDERS))
    parser.add_argument("--folder", type=Path, help="documents to run on (default: the bench dev folder)")
    parser.add_argument("--docs", type=int, default=100)
    parser.add_argument("--passes", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.folder or FOLDERS[args.kind]
    if args.child:
        workload(args.kind, folder, args.docs, args.passes)
        return
    if shutil.which("valgrind") is None:
        raise SystemExit("needs valgrind (Debian: apt-get install valgrind)")
    warm = count(args.kind, folder, args.docs, 0)
    once = count(args.kind, folder, args.docs, 1)
    docs = min(args.docs, sum(1 for p in folder.iterdir() if p.is_file()))  # (as ``workload`` takes them)
    print(f"{args.kind}: {(once - warm) / docs:,.0f} instructions a document "
          f"({docs} documents of {folder})")


if __name__ == "__main__":
    main()
