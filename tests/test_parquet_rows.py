"""JSONL records written as Parquet keep every field, whatever types the records give it."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from .conftest import FUZZ_EXAMPLES
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
    monkeypatch.undo()  # (chunks of 256 rows: all 40 in one)
    whole = tmp_path / "whole.parquet"
    result = run("clean", str(src), "-o", str(whole), "--no-language", "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert whole.read_bytes() == outputs[0]  # the file does not show where the chunks were cut
    assert pq.read_table(tmp_path / "out1.parquet").column("id").to_pylist() == list(range(40))


#: Fields whose type a chunk of the first records alone tells otherwise than all the records:
#: each (name, values in record order).
MIXED_FIELDS = {
    "promoted": [1, 2.5, "s"],  # numbers, then a string: text, each number as its record wrote it
    "late_struct": [{"b": 1}, {"c": 2}, "s"],  # objects of other keys, then a string
    "listed": [[1], [2.5], ["s"]],
    "big_then_float": [9007199254740993, 5, 0.5],  # no double holds 2**53 + 1: text
    "empty_obj": [{}, None, {"b": 1}],  # {} is an object of no keys: a struct once keys come
    "not_a_number": [float("nan"), 1, "s"],  # NaN is null in JSON, in a text column too
    "null_then_int": [None, None, 7],
    "late": [None, "x", None],  # missing in the first record: the column comes in second
}


def _mixed_records() -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for i in range(3):
        record: dict[str, object] = {"text": f"Der {i}. Satz steht hier, und noch einer folgt ihm."}
        for name, values in MIXED_FIELDS.items():
            if not (name == "late" and i == 0):
                record[name] = values[i]
        records.append(record)
    return records


def _write_nan_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    import json

    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")  # (NaN as NaN)
    return path


def test_jsonl_to_parquet_does_not_depend_on_the_chunk_size(tmp_path: Path) -> None:
    """A column's type is decided from every record of the output, never from the first chunk:
    the file is the same, byte for byte, for any --chunk-size and any --workers (its row groups
    were the chunks), and each value is what its record held (a number in a text column as its
    JSON, not as the double a chunk made of it)."""
    src = _write_nan_jsonl(tmp_path / "in.jsonl", _mixed_records())
    tables = {}
    for chunk, workers in (("1", "1"), ("2", "1"), ("3", "1"), ("1", "2")):
        out = tmp_path / f"out{chunk}-{workers}.parquet"
        result = run("clean", str(src), "-o", str(out), "--no-language", "--chunk-size", chunk,
                     "--workers", workers, "-q")
        assert result.exit_code == 0, result.output
        tables[chunk, workers] = pq.read_table(out)
    table = tables["1", "1"]
    assert all(t.schema == table.schema and t.equals(table) for t in tables.values())
    assert len({(tmp_path / f"out{c}-{w}.parquet").read_bytes() for c, w in tables}) == 1
    columns = {name: table.column(name).to_pylist() for name in table.column_names}
    assert table.column_names == ["text", *(n for n in MIXED_FIELDS if n != "late"), "cleaner", "late"]
    assert columns["promoted"] == ["1", "2.5", "s"]
    assert columns["late_struct"] == ['{"b":1}', '{"c":2}', "s"]
    assert columns["listed"] == ["[1]", "[2.5]", '["s"]']
    assert columns["big_then_float"] == ["9007199254740993", "5", "0.5"]
    assert columns["empty_obj"] == [{"b": None}, None, {"b": 1}]
    assert columns["not_a_number"] == [None, "1", "s"]
    assert columns["null_then_int"] == [None, None, 7]
    assert str(table.schema.field("null_then_int").type) == "int64"
    assert columns["late"] == [None, "x", None]


def _json_values():  # type: ignore[no-untyped-def]
    from hypothesis import strategies as st

    scalars = st.one_of(st.none(), st.booleans(), st.integers(-(2**64), 2**64),
                        st.floats(allow_nan=True), st.sampled_from(["", "s", "1", "x\ud800"]))
    return st.recursive(scalars, lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(["a", "b", "c"]), inner, max_size=3)),
        max_leaves=6)


def _same_value(out: object, original: object) -> bool:
    """Is a value read back from the Parquet output the record's value (a number as a double
    is the same number; a key a struct adds is null)?"""
    import math

    if isinstance(original, float) and not math.isfinite(original):  # (null in JSON)
        return out is None or out == original or (isinstance(out, float) and math.isnan(out))
    if isinstance(original, dict) and isinstance(out, dict):
        return all(_same_value(out.get(k), original.get(k)) for k in {*out, *original})
    if isinstance(original, list) and isinstance(out, list):
        return len(out) == len(original) and all(map(_same_value, out, original))
    if isinstance(original, str):
        return out == original.encode("utf-8", "surrogatepass").decode("utf-8", "replace").replace(
            "\ufffd\ufffd\ufffd", "\ufffd")
    return bool(out == original and type(out) in (type(original), float))


def test_the_columns_of_json_records_do_not_depend_on_where_the_chunks_are_cut(tmp_path: Path) -> None:
    """Any values of a field, any cuts into chunks: the same table, and each value in it is the
    record's own (in a text column: its JSON)."""
    import json
    import math

    import pyarrow as pa
    from hypothesis import HealthCheck, example, given, settings
    from hypothesis import strategies as st

    from cleaner.datasets.writers import ParquetPart

    runs = iter(range(10**6))

    def table_of_chunks(rows: list[dict[str, object]], cuts: list[int]) -> pa.Table:
        final = tmp_path / f"{next(runs)}.parquet"
        part = ParquetPart(final, None)
        for start, end in zip([0, *cuts], [*cuts, len(rows)], strict=True):
            part.write(rows[start:end])
        part.finish()
        return pq.read_table(final)

    @settings(max_examples=FUZZ_EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    @given(st.lists(st.tuples(_json_values(), st.booleans()), min_size=1, max_size=6),
           st.sets(st.integers(1, 5), max_size=5))
    @example([(1, True), (2.5, True), ("s", True)], {2})
    @example([({"b": 1}, True), ({"c": 2}, True), ("s", True)], {2})
    @example([({}, True), (None, False), ({"b": 1}, True)], {1})
    @example([(2**53 + 1, True), (0.5, True)], {1})
    @example([([[1]], True), ([[2.5]], True), (["s"], True)], {2})
    @example([(float("inf"), True), ([], True)], set())
    def check(values: list[tuple[object, bool]], cuts: set[int]) -> None:
        rows = [{"text": "t", **({"f": v} if present else {})} for v, present in values]
        whole = table_of_chunks(rows, [])
        cut = table_of_chunks(rows, sorted(c for c in cuts if c < len(rows)))
        assert cut.schema == whole.schema
        assert json.dumps(cut.to_pylist(), default=str) == json.dumps(whole.to_pylist(), default=str)
        if "f" not in whole.column_names:
            return
        text = pa.types.is_string(whole.schema.field("f").type)
        for row, (value, present) in zip(whole.to_pylist(), values, strict=True):
            if not present or value is None or (text and isinstance(value, float) and not math.isfinite(value)):
                assert row["f"] is None  # (NaN and infinities, null in JSON, are null in a text column)
            elif text and not isinstance(value, str):
                assert row["f"] is not None and _same_value(json.loads(row["f"]), value)
            else:
                assert _same_value(row["f"], value), (row["f"], value)

    check()


def test_a_field_name_parquet_cannot_hold_fails_its_record_not_the_run(tmp_path: Path) -> None:
    """A field named with a lone surrogate escape ("\\ud800": JSON allows it, UTF-8 does not)
    cannot be a Parquet column: the record fails, named, and --rejected keeps its line; the
    others are written. It stopped the whole run with a traceback, after cleaning every record."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": "Ein erster Satz."}\n{"\\ud800x": 1, "text": "Ein zweiter Satz."}\n'
                   '{"meta": {"\\udc00": 1}, "text": "Ein dritter Satz."}\n', encoding="utf-8")
    out = tmp_path / "out.parquet"
    result = run("clean", str(src), "-o", str(out), "--no-language", "--workers", "1",
                 "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1, result.output
    assert "line 2: the field name '\\ud800x' is not valid Unicode" in result.output
    table = pq.read_table(out)
    assert table.column("text").to_pylist() == ["Ein erster Satz.\n", "Ein dritter Satz.\n"]
    assert table.column("meta").to_pylist() == [None, '{"meta":{"\ufffd":1}}'[8:-1]]  # (inside: text)
    failed = read_jsonl(tmp_path / "rej.jsonl")
    assert [(f["cleaner_rejected"]["reason"], f["raw"]) for f in failed] == [
        ("bad_field_name", '{"\\ud800x": 1, "text": "Ein zweiter Satz."}')]
    alone = tmp_path / "alone.jsonl"  # (no row written: the columns of the failed records)
    alone.write_text(src.read_text(encoding="utf-8").splitlines()[1] + "\n", encoding="utf-8")
    result = run("clean", str(alone), "-o", str(tmp_path / "alone.parquet"), "--no-language", "--workers", "1")
    assert result.exit_code == 1, result.output
    assert pq.read_table(tmp_path / "alone.parquet").column_names == ["text", "cleaner"]


def test_parquet_row_groups_are_cut_where_the_rows_say_not_where_the_chunks_were(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A Parquet output's row groups were its chunks, so its bytes changed with --chunk-size
    (a tuning knob). They now hold ROW_GROUP_ROWS rows, ended sooner by the row that brings
    their strings to ROW_GROUP_BYTES: the same bytes for any --chunk-size, from JSONL or
    Parquet, and a group of a few large rows keeps memory flat."""
    from cleaner.datasets import writers

    monkeypatch.setattr(writers, "ROW_GROUP_ROWS", 5)
    monkeypatch.setattr(writers, "ROW_GROUP_BYTES", 20_000)
    rows = _big_rows(14)  # 1 to 40 kB of text a row: some groups end at the bytes, others at 5 rows
    jsonl = write_jsonl(tmp_path / "in.jsonl", rows)
    parquet = _parquet_input(tmp_path / "in.parquet", [{**r, "meta": None} for r in rows])
    for src in (jsonl, parquet):
        outputs = {}
        for chunk in ("1", "3", "256"):
            out = tmp_path / f"{src.suffix[1:]}-{chunk}.parquet"
            result = run("clean", str(src), "-o", str(out), "--no-language", "--chunk-size", chunk,
                         "--workers", "1", "-q")
            assert result.exit_code == 0, result.output
            outputs[chunk] = out.read_bytes()
        assert len(set(outputs.values())) == 1, src
        footer = pq.ParquetFile(out).metadata
        groups = [footer.row_group(i).num_rows for i in range(footer.num_row_groups)]
        assert sum(groups) == 14 and max(groups) <= 5
        table = pq.read_table(out)
        strings = [len(t.encode()) + len(c.encode())  # (the row's strings: text and sidecar)
                   for t, c in zip(table.column("text").to_pylist(), table.column("cleaner").to_pylist(),
                                   strict=True)]
        starts = [sum(groups[:i]) for i in range(len(groups))]
        for start, size in zip(starts, groups, strict=True):  # a group ends at 5 rows, or at the
            held = strings[start:start + size]  # row that brings it to the bytes, or at the end
            assert size == 5 or sum(held) >= 20_000 or start + size == 14
            assert sum(held[:-1]) < 20_000
