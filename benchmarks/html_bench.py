#!/usr/bin/env python3
"""Bare trafilatura vs cleaner on an HTML extraction corpus, side by side.

    python benchmarks/html_bench.py CORPUS_DIR [--cleaner-cmd ".venv/bin/cleaner clean"]
    python benchmarks/html_bench.py ../shared/bench/data/traf-html/dev
    python benchmarks/html_bench.py ../shared/bench/data/zyte-html/dev --extract-only

CORPUS_DIR holds input/ (one HTML file per page) and annotations.json ({"docs": {name: ann}})
with, per page, either "with"/"without" snippets (trafilatura's evaluation: snippet F1) or an
"articleBody" (Zyte's benchmark: 4-gram shingle F1). The data is read in place, never copied.

Rows: bare trafilatura (trafilatura.extract(bytes, fast=False, include_comments=False,
include_tables=True, include_formatting=False), the bench baseline), cleaner's extraction stage
alone (cleaner.extract.extract_html, in-process), and the cleaner command run as
`CMD CORPUS_DIR/input -o TMP` (reading TMP/<name>.txt, as the bench scorer does). Scoring
reuses the bench's metrics.py when --bench-dir has it, else a compact copy of the two metrics.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable
from multiprocessing import Pool
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
Record = dict[str, Any]

# ---- compact fallback copies of the bench metrics (used when metrics.py is not importable) ----

_WS = re.compile(r"\s+")
_TOKEN = re.compile(r"\w+", re.UNICODE)


def _norm(text: str) -> str:
    return _WS.sub(" ", text).strip()


def _snippet_record(ann: dict[str, Any], text: str, sidecar: dict[str, Any]) -> Record:
    out = _norm(text)
    tp = sum(_norm(w) in out for w in ann["with"])
    fp = sum(_norm(w) in out for w in ann["without"])
    return {"tp": tp, "fp": fp, "fn": len(ann["with"]) - tp, "tn": len(ann["without"]) - fp}


def _snippet_aggregate(records: list[Record]) -> dict[str, float]:
    tp, fp, fn = (sum(r[k] for r in records) for k in ("tp", "fp", "fn"))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    toks = _TOKEN.findall(text or "")
    return Counter(g for g in (tuple(toks[i:i + 4]) for i in range(max(1, len(toks) - 3))) if g)


def _shingle_record(ann: dict[str, Any], text: str, sidecar: dict[str, Any]) -> Record:
    true, pred = _shingles(ann["articleBody"]), _shingles(text)
    tp, fp, fn = (float(sum(c.values())) for c in (true & pred, pred - true, true - pred))
    total = tp + fp + fn
    if not total:
        return {"tp": 0.0, "fp": 0.0, "fn": 0.0}
    return {"tp": tp / total, "fp": fp / total, "fn": fn / total}


def _shingle_aggregate(records: list[Record]) -> dict[str, float]:
    def ratio(r: Record, other: str) -> float:
        if r["fp"] == r["fn"] == 0:
            return 1.0
        return r["tp"] / (r["tp"] + r[other]) if r["tp"] + r[other] else 0.0

    ps = [ratio(r, "fp") for r in records if r["tp"] + r["fp"] > 0]
    rs = [ratio(r, "fn") for r in records if r["tp"] + r["fn"] > 0]
    p, r = (statistics.mean(v) if v else 0.0 for v in (ps, rs))
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


RecordFn = Callable[[dict[str, Any], str, dict[str, Any]], Record]
Metric = tuple[RecordFn, Callable[[list[Record]], dict[str, float]]]


def pick_metric(
    meta: dict[str, Any], docs: dict[str, dict[str, Any]], bench_dir: Path | None
) -> tuple[str, Metric]:
    """Snippet F1 or shingle F1, from the "metric" key or the annotation fields."""
    first = next(iter(docs.values()), {})
    label = str(meta.get("metric", "")).lower()
    kind = "snippet" if "snippet" in label or "with" in first else "shingle"
    if "shingle" in label or "articleBody" in first:
        kind = "shingle"
    if bench_dir is not None and (bench_dir / "metrics.py").is_file():
        sys.path.insert(0, str(bench_dir))
        try:
            import metrics  # type: ignore[import-not-found]

            if kind == "snippet":
                return "snippet F1 (bench metrics.py)", (metrics.snippet_record, metrics.snippet_aggregate)
            return "4-gram shingle F1 (bench metrics.py)", (metrics.shingle_record, metrics.shingle_aggregate)
        except ImportError:
            pass
    if kind == "snippet":
        return "snippet F1", (_snippet_record, _snippet_aggregate)
    return "4-gram shingle F1", (_shingle_record, _shingle_aggregate)


# ---- runners -----------------------------------------------------------------------


def _bare_trafilatura(path: str) -> tuple[str, float]:
    from trafilatura import extract

    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        text = extract(data, fast=False, include_comments=False, include_tables=True,
                       include_formatting=False) or ""
    except Exception:  # a crash is a full miss, as in the bench
        text = ""
    return text, time.perf_counter() - start


def _cleaner_extract(path: str) -> tuple[str, float]:
    sys.path.insert(0, str(REPO))
    from cleaner.errors import InputError
    from cleaner.extract import extract_html

    data = Path(path).read_bytes()
    start = time.perf_counter()
    try:
        text = extract_html(data).text
    except InputError:
        text = ""
    return text, time.perf_counter() - start


def run_in_process(
    fn: Callable[[str], tuple[str, float]], paths: list[Path], jobs: int
) -> tuple[list[str], float]:
    """Texts in input order and wall seconds of the whole run."""
    start = time.perf_counter()
    if jobs > 1:
        with Pool(jobs) as pool:
            results = pool.map(fn, [str(p) for p in paths], chunksize=4)
    else:
        results = [fn(str(p)) for p in paths]
    return [text for text, _ in results], time.perf_counter() - start


def run_command(cmd: str, in_dir: Path, inputs: list[str], timeout: float) -> tuple[list[str], float]:
    """Run `CMD IN -o OUT` once; texts read from OUT/<name>.txt (missing = empty)."""
    with tempfile.TemporaryDirectory(prefix="html-bench-") as tmp:
        start = time.perf_counter()
        proc = subprocess.run([*shlex.split(cmd), str(in_dir), "-o", tmp],
                              capture_output=True, text=True, timeout=timeout, check=False)
        elapsed = time.perf_counter() - start
        if proc.returncode:
            print(f"warning: {cmd!r} exited {proc.returncode}: {(proc.stderr or proc.stdout)[-1500:]}",
                  file=sys.stderr)
        texts = []
        for name in inputs:
            out = Path(tmp) / Path(name).with_suffix(".txt")
            texts.append(out.read_bytes().decode("utf-8", errors="replace") if out.is_file() else "")
    return texts, elapsed


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("corpus", type=Path, help="folder with input/ and annotations.json")
    ap.add_argument("--cleaner-cmd", default=str(REPO / ".venv/bin/cleaner") + " clean",
                    help="command run as CMD IN -o OUT (default: %(default)s)")
    ap.add_argument("--bench-dir", type=Path, default=REPO.parent / "shared" / "bench",
                    help="bench folder whose metrics.py to use (default: %(default)s)")
    ap.add_argument("--jobs", type=int, default=2, help="processes for the in-process runs")
    ap.add_argument("--extract-only", action="store_true", help="skip the cleaner command")
    ap.add_argument("--timeout", type=float, default=3600.0, help="seconds allowed for the command")
    args = ap.parse_args()

    meta = json.loads((args.corpus / "annotations.json").read_text(encoding="utf-8"))
    docs: dict[str, dict[str, Any]] = meta["docs"]
    label, (record_fn, aggregate) = pick_metric(meta, docs, args.bench_dir)
    in_dir = args.corpus / "input"
    names = list(docs)
    inputs = [docs[n].get("input", n + ".html") for n in names]
    paths = [in_dir / i for i in inputs]

    runs: list[tuple[str, list[str], float]] = []
    texts, secs = run_in_process(_bare_trafilatura, paths, args.jobs)
    runs.append(("trafilatura (bench baseline)", texts, secs))
    texts, secs = run_in_process(_cleaner_extract, paths, args.jobs)
    runs.append(("cleaner extract_html", texts, secs))
    if not args.extract_only:
        exe = shlex.split(args.cleaner_cmd)[0]
        if Path(exe).exists() or not exe.startswith((".", "/")):
            texts, secs = run_command(args.cleaner_cmd, in_dir, inputs, args.timeout)
            runs.append((f"cleaner command ({Path(exe).name})", texts, secs))
        else:
            print(f"note: {exe} not found, cleaner command skipped", file=sys.stderr)

    print(f"{args.corpus}: {len(docs)} pages, metric {label}; in-process runs use {args.jobs} processes")
    print(f"{'runner':<34} {'precision':>9} {'recall':>8} {'F1':>8} {'pages/s':>8}")
    for name, texts, secs in runs:
        m = aggregate([record_fn(docs[n], t, {}) for n, t in zip(names, texts, strict=True)])
        rate = len(docs) / secs if secs else 0.0
        print(f"{name:<34} {m['precision']:>9.4f} {m['recall']:>8.4f} {m['f1']:>8.4f} {rate:>8.1f}")


if __name__ == "__main__":
    main()
