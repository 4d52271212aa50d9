#!/usr/bin/env python3
"""Cost of reading and writing JSONL records (cleaner.datasets.json_lines), per record.

    python benchmarks/json_lines_bench.py [FOLDER] [--records 10000] [--repeat 7]

Builds --records JSONL lines from the text files of FOLDER (cycled), each with the metadata a
crawl record carries (an id, a URL, a date, a float score, a nested object with numbers, a list),
and times ``loads(line, replaced="text")`` + replacing the text + adding a sidecar +
``dumps_record`` over all of them: the least CPU time of --repeat runs, in us a record. Sets:
"meta" (those records), "html" (plus a long HTML field, copied not encoded), "floats" (plus a
list of 256 floats, the worst case for checking numbers), each as Python's json.dumps writes
it (", " and ": ") and compactly ("-c": as json.dumps with separators=(",", ":"), orjson, serde
and cleaner itself write it).
"""

from __future__ import annotations

import argparse
import json
import random
import time
from pathlib import Path

from cleaner.datasets.json_lines import dumps_record, loads

DEFAULT = "/work/shared/bench/data/clean-keep/dev/input"


def build(folder: Path, count: int) -> dict[str, list[bytes]]:
    texts = [p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.txt"))]
    rng = random.Random(1)
    sets: dict[str, list[bytes]] = {"meta": [], "html": [], "floats": []}
    compact = {name + "-c": [] for name in sets}
    for n in range(count):
        text = texts[n % len(texts)]
        record = {
            "id": n, "url": f"https://example.com/news/{n}.html", "date": "2023-01-05T10:00:00Z",
            "text": text, "score": rng.random(), "tokens": len(text.split()),
            "meta": {"lang": "en", "quality": round(rng.random(), 3), "words": len(text.split()),
                     "tags": ["news", "world"], "pos": [rng.random(), -1.5, 0]},
        }
        html = "<html><body>" + "".join(f"<p>{p}</p>" for p in text.split("\n")) + "</body></html>"
        embedding = [rng.uniform(-1, 1) for _ in range(256)]
        for name, value in (("meta", record), ("html", {**record, "html": html}),
                            ("floats", {**record, "embedding": embedding})):
            sets[name].append(json.dumps(value, ensure_ascii=False).encode())
            compact[name + "-c"].append(json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode())
    return {**sets, **compact}


def run(lines: list[bytes]) -> float:
    start = time.process_time()
    for line in lines:
        record, raw = loads(line, replaced="text")
        record["text"] = "clean text"
        record["cleaner"] = {"removed": [], "language": "en"}
        dumps_record(record, raw)
    return time.process_time() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("folder", nargs="?", default=DEFAULT)
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    sets = build(Path(args.folder), args.records)
    for name, lines in sets.items():
        best = min(run(lines) for _ in range(args.repeat))
        print(f"{name:7} {best:7.3f} s for {len(lines)} records, {best / len(lines) * 1e6:7.1f} us a record")


if __name__ == "__main__":
    main()
