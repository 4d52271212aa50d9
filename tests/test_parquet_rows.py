"""JSONL records written as Parquet keep every field, whatever types the records give it."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_datasets import run, write_jsonl

pq = pytest.importorskip("pyarrow.parquet")

RECORDS = [
    {"id": 1, "text": "Ein Satz steht hier, und noch einer folgt ihm."},
    {"id": 2, "extra": "only here", "text": "Ein zweiter Satz steht hier."},  # a field first seen late
    {"id": "c", "meta": {"a": 1}, "text": "Ein dritter Satz.", "score": 0.5},  # id: a string now
    {"id": 4, "meta": [1, 2], "text": "Ein vierter Satz.", "score": 2},  # meta: a list now
]


@pytest.mark.parametrize("chunk", ["16", "1"])  # the records in one chunk, or one a chunk
def test_jsonl_to_parquet_keeps_every_field(tmp_path: Path, chunk: str) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", RECORDS)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.parquet"
        result = run("clean", str(src), "-o", str(out), "--no-language", "--chunk-size", chunk,
                     "--workers", workers, "-q")
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    table = pq.read_table(tmp_path / "out1.parquet")
    rows = table.to_pylist()
    assert table.column_names == ["id", "text", "cleaner", "extra", "meta", "score"]
    assert [r["extra"] for r in rows] == [None, "only here", None, None]
    # a field whose values do not fit one type is text: strings as they are, the rest as JSON
    assert [r["id"] for r in rows] == ["1", "2", "c", "4"]
    assert [r["meta"] for r in rows] == [None, None, '{"a":1}', "[1,2]"]
    assert [r["score"] for r in rows] == [None, None, 0.5, 2.0]  # numbers promote to one type
    assert str(table.schema.field("score").type) == "double"
