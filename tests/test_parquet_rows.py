"""JSONL records written as Parquet keep every field, whatever types the records give it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .test_datasets import read_jsonl, run, write_jsonl

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


def _parquet_input(path: Path, rows: list[dict[str, object]], html: bool = False) -> Path:
    """A Parquet file whose schema does not depend on its rows (so that it can have none)."""
    import pyarrow as pa

    text = "html" if html else "text"
    schema = pa.schema([("id", pa.int64()), (text, pa.large_string()),
                        ("meta", pa.struct([("n", pa.int32()), ("tags", pa.list_(pa.string()))]))])
    pq.write_table(pa.Table.from_pylist(rows, schema=schema), path)
    return path


def _schema(path: Path):  # type: ignore[no-untyped-def]
    return pq.read_schema(path).remove_metadata()


@pytest.mark.parametrize("html", [False, True])
def test_a_parquet_output_without_rows_has_the_schema_of_one_with_rows(tmp_path: Path, html: bool) -> None:
    """No rows (an empty input, or every record rejected or failed) is still a table that
    downstream readers can use: the input's columns and the added ones, as a run with rows."""
    key = "html" if html else "text"
    text = ("<html><body><p>Ein Satz steht hier, und noch einer folgt ihm in diesem Absatz.</p></body></html>"
            if html else "Ein Satz steht hier, und noch einer folgt ihm in diesem Absatz.")
    row = {"id": 1, key: text, "meta": {"n": 1, "tags": ["a"]}}
    full = _parquet_input(tmp_path / "full.parquet", [row], html)
    empty = _parquet_input(tmp_path / "empty.parquet", [], html)
    failing = _parquet_input(tmp_path / "failing.parquet", [{**row, key: None}], html)  # no text
    args = ["--no-language", "--workers", "1", "-q"] + (["--html-key", "html"] if html else [])
    for extra in ([], ["--sidecar", str(tmp_path / "side.jsonl")]):
        outputs = {}
        for name, src, more in (("full", full, []), ("empty", empty, []),
                                ("rejected", full, ["--min-chars", "1000"]), ("failed", failing, [])):
            out = tmp_path / f"{name}.out.parquet"
            result = run("clean", str(src), "-o", str(out), *args, *extra, *more, "--force")
            assert result.exit_code == (1 if name == "failed" else 0), result.output
            outputs[name] = out
        assert pq.read_table(outputs["full"]).num_rows == 1
        reference = _schema(outputs["full"])
        assert ("cleaner" in reference.names) == (not extra) and "text" in reference.names
        for name in ("empty", "rejected", "failed"):
            assert pq.read_table(outputs[name]).num_rows == 0
            assert _schema(outputs[name]) == reference, name


def test_a_parquet_output_of_no_jsonl_records_has_the_added_columns(tmp_path: Path) -> None:
    """Without records, a JSONL input says nothing of its fields; the columns every output row
    has (the text, the sidecar) are there, with the types a run with rows gives them."""
    full = write_jsonl(tmp_path / "full.jsonl", RECORDS[:1])
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    schemas = []
    for src in (full, empty):
        out = tmp_path / f"{src.stem}.parquet"
        result = run("clean", str(src), "-o", str(out), "--no-language", "--workers", "1", "-q")
        assert result.exit_code == 0, result.output
        schemas.append(_schema(out))
    assert schemas[1].names == ["text", "cleaner"]
    assert all(schemas[1].field(n).type == schemas[0].field(n).type for n in schemas[1].names)


@pytest.mark.parametrize("chunk", ["16", "1"])
def test_a_parquet_output_of_jsonl_records_all_rejected_or_failed_has_their_columns(tmp_path: Path,
                                                                                    chunk: str) -> None:
    """Every record rejected or failed: the output has no row, but the columns (in the order
    first seen, with the types) that a run writing those records gives, for any --workers."""
    written = [*RECORDS, {"id": 5, "text": "Ein fünfter Satz.", "flag": True}]
    failing = [*RECORDS, {"id": 5, "text": None, "flag": True}]  # no text: fails, its fields count
    reference = tmp_path / "reference.parquet"
    args = ["--no-language", "--chunk-size", chunk, "-q"]
    result = run("clean", str(write_jsonl(tmp_path / "written.jsonl", written)), "-o", str(reference),
                 "--workers", "1", *args)
    assert result.exit_code == 0, result.output
    src = write_jsonl(tmp_path / "in.jsonl", failing)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.parquet"
        result = run("clean", str(src), "-o", str(out), "--min-chars", "1000", "--workers", workers, *args)
        assert result.exit_code == 1, result.output  # the record without text failed
        statuses = [r["cleaner_rejected"]["status"] for r in read_jsonl(tmp_path / f"out{workers}.rejected.jsonl")]
        assert statuses == ["rejected"] * 4 + ["failed"]
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert pq.read_table(tmp_path / "out1.parquet").num_rows == 0
    assert _schema(tmp_path / "out1.parquet") == _schema(reference)
    assert _schema(reference).names == ["id", "text", "cleaner", "extra", "meta", "score", "flag"]


@pytest.mark.parametrize("given", [None, "mimalloc"])
def test_the_command_gives_pyarrow_the_system_allocator_unless_told_otherwise(given: str | None) -> None:
    """pyarrow's default allocator holds on to the memory it freed (cli.ARROW_POOL: 30-40 MB
    more at the peak of a Parquet run); the command line chooses the C library's, before
    pyarrow is imported, and leaves a choice made in the environment alone."""
    env = {k: v for k, v in os.environ.items() if k != "ARROW_DEFAULT_MEMORY_POOL"}
    if given:
        env["ARROW_DEFAULT_MEMORY_POOL"] = given
    code = ("from cleaner.cli import cli\n"
            "try:\n    cli(['rules'], standalone_mode=False)\nexcept SystemExit:\n    pass\n"
            "import pyarrow\nprint(pyarrow.default_memory_pool().backend_name)")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.splitlines()[-1] == (given or "system")


def _big_rows(n: int) -> list[dict[str, object]]:
    """Rows of 1 to 40 kB of text (whole pages in a column), sizes varying."""
    return [{"id": i, "text": f"Satz {i}. " + "Ein langer Absatz mit vielen Worten. " * (30 + 37 * (i % 30))}
            for i in range(n)]


def test_parquet_chunks_end_at_the_byte_limit_too_and_a_resume_cuts_where_the_run_did(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from cleaner.datasets import formats

    monkeypatch.setattr(formats, "CHUNK_BYTES_MAX", 100_000)
    rows = _big_rows(120)
    path = tmp_path / "big.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path)
    chunks = list(formats.read_chunks(path, "parquet", chunk_records=256))
    assert [r for c in chunks for r in c.items] == rows  # every row, once, in order
    assert len(chunks) > 1
    largest_row = max(len(r["text"]) for r in rows)  # type: ignore[arg-type]
    assert all(c.nbytes < 100_000 + largest_row for c in chunks)
    middle = chunks[len(chunks) // 2]
    resumed = list(formats.read_chunks(path, "parquet", start=middle.first, chunk_records=256))
    later = chunks[len(chunks) // 2:]
    assert [(c.first, c.position) for c in resumed] == [(c.first, c.position) for c in later]
    limited = list(formats.read_chunks(path, "parquet", chunk_records=256, limit=50))
    assert [r["id"] for c in limited for r in c.items] == list(range(50))


def test_parquet_rows_of_whole_pages_are_cleaned_alike_by_one_and_two_workers(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import pyarrow as pa

    from cleaner.datasets import formats

    monkeypatch.setattr(formats, "CHUNK_BYTES_MAX", 100_000)
    src = tmp_path / "big.parquet"
    pq.write_table(pa.Table.from_pylist(_big_rows(40)), src)
    outputs = []
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.parquet"
        result = run("clean", str(src), "-o", str(out), "--no-language", "--workers", workers, "-q")
        assert result.exit_code == 0, result.output
        outputs.append(out.read_bytes())
    assert outputs[0] == outputs[1]
    assert pq.ParquetFile(tmp_path / "out1.parquet").num_row_groups > 1  # one a chunk
    assert pq.read_table(tmp_path / "out1.parquet").column("id").to_pylist() == list(range(40))
