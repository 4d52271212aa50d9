"""Dataset runs at their edges: inputs and options a data engineer meets in the wild (byte
order marks, partitioned shards with the same file names, an output that is a directory,
sidecar ids). Small generated data only; language detection off to keep them quick."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from cleaner.cli import cli

BOM = b"\xef\xbb\xbf"


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def lines(path: Path) -> list[dict[str, object]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_byte_order_mark_before_a_blank_first_line_is_not_a_record(tmp_path: Path) -> None:
    """A BOM-only file (Notepad's empty UTF-8 file) or a BOM on a blank first line is as blank
    as the line without it: no record, not a failed one."""
    record = json.dumps({"id": 1, "text": "Ein Satz mit Inhalt."}).encode()
    for name, data in (("only", BOM), ("blank", BOM + b"\r\n" + record + b"\r\n"),
                       ("record", BOM + record + b"\n")):
        src = tmp_path / f"{name}.jsonl"
        src.write_bytes(data)
        out = tmp_path / f"{name}.out.jsonl"
        result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language",
                     "--stats", str(tmp_path / f"{name}.stats.json"))
        assert result.exit_code == 0, result.output
        documents = json.loads((tmp_path / f"{name}.stats.json").read_text())["documents"]
        expected = 0 if name == "only" else 1
        assert documents == {"in": expected, "written": expected, "rejected": 0, "failed": 0}
        assert [r["id"] for r in lines(out)] == [1] * expected


def test_a_failed_record_of_a_partitioned_dataset_names_its_shard_unambiguously(tmp_path: Path) -> None:
    """Partitions hold shards of the same name (year=2024/part-0.jsonl, year=2025/part-0.jsonl):
    a failed record's message names the shard by its place in the input directory."""
    src = tmp_path / "shards"
    for year in ("2024", "2025"):
        (src / f"year={year}").mkdir(parents=True)
        (src / f"year={year}" / "part-0.jsonl").write_text('{"id": 1, "text": "Gut."}\nnot json\n')
    result = run("clean", str(src), "-o", str(tmp_path / "out"), "--workers", "1", "--no-language")
    assert result.exit_code == 1
    errors = [line for line in result.output.splitlines() if line.startswith("cleaner: error:")]
    assert len(errors) == 2
    for year, error in zip(("2024", "2025"), errors, strict=True):
        assert f"year={year}/part-0.jsonl: line 2" in error, error


def test_one_dataset_file_into_an_existing_directory(tmp_path: Path) -> None:
    """--rejected DIR for one dataset file: a usage error before any record is cleaned, not a
    failed rename after the whole run. -o DIR (a usage error too, until -o DIR/ was made to
    mean a directory) writes DIR/<the input's name>, as for a document: never 'DIR exists (a
    finished run)'."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1, "text": "Ein Satz."}\n')
    (tmp_path / "d").mkdir()
    out = str(tmp_path / "out.jsonl")
    result = run("clean", str(src), "-o", out, "--rejected", str(tmp_path / "d"), "--min-chars", "5",
                 "--workers", "1", "--no-language")
    assert result.exit_code == 2, result.output
    assert "is a directory" in result.output and "finished run" not in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["d", "in.jsonl"]
    assert list((tmp_path / "d").iterdir()) == []
    for args in (["-o", str(tmp_path / "d")], ["-o", str(tmp_path / "d"), "--force"]):
        result = run("clean", str(src), *args, "--workers", "1", "--no-language", "-q")
        assert result.exit_code == 0, result.output
        assert sorted(p.name for p in (tmp_path / "d").iterdir()) == ["in.jsonl"]
        assert json.loads((tmp_path / "d" / "in.jsonl").read_text())["text"] == "Ein Satz.\n"


def test_separate_sidecars_carry_the_record_id_as_it_is(tmp_path: Path) -> None:
    """--sidecar lines are joined back to the records by id: an id keeps its JSON type (7 and
    "7" are different ids)."""
    src = tmp_path / "in.jsonl"
    ids: list[object] = [7, "7", 2**70, {"shard": 1, "n": 2}]
    src.write_text("".join(json.dumps({"id": i, "text": "Ein Satz."}) + "\n" for i in ids))
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--sidecar", str(tmp_path / "s.jsonl"),
                 "--id-key", "id", "--workers", "1", "--no-language")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in lines(tmp_path / "out.jsonl")] == ids
    assert [s["id"] for s in lines(tmp_path / "s.jsonl")] == ids


def test_a_stats_file_inside_the_input_directory_does_not_stop_the_same_command_again(tmp_path: Path) -> None:
    """--stats DIR/stats.json with -o DIR/out: the run's own outputs inside the input directory
    are not input, the stats file no more than -o; running the command again (--force,
    --resume) must not find it a stray file among the shards."""
    src = tmp_path / "shards"
    src.mkdir()
    (src / "part-0.jsonl").write_text('{"id": 1, "text": "Ein Satz."}\n')
    args = ["clean", str(src), "-o", str(src / "out"), "--stats", str(src / "stats.json"),
            "--workers", "1", "--no-language", "-q"]
    for again in ([], ["--force"], ["--resume"]):
        result = run(*args, *again)
        assert result.exit_code == 0, result.output
    assert json.loads((src / "stats.json").read_text())["documents"]["in"] == 1
    assert [r["id"] for r in lines(src / "out" / "part-0.jsonl")] == [1]


def test_a_damaged_or_fake_parquet_file_is_a_clear_error_not_a_traceback(tmp_path: Path) -> None:
    """A .parquet file that is not Parquet (a JSONL file misnamed, an empty file, a cut-off
    copy) ends the run with one line naming the file, as a damaged gzip file does."""
    pytest = __import__("pytest")
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    whole = tmp_path / "whole.parquet"
    pq.write_table(pa.table({"id": [1, 2], "text": ["Ein Satz.", "Noch einer."]}), whole)
    rows = [f"Satz {i} mit etwas Inhalt, damit die Seite wächst." for i in range(4000)]
    pq.write_table(pa.table({"id": list(range(4000)), "text": rows}), tmp_path / "long.parquet",
                   row_group_size=500, compression="none")
    damaged = bytearray((tmp_path / "long.parquet").read_bytes())
    damaged[len(damaged) // 2:len(damaged) // 2 + 4000] = b"A" * 4000
    cases = {"fake": b'{"id": 1, "text": "x"}\n', "empty": b"", "cut": whole.read_bytes()[:40],
             "damaged": bytes(damaged)}
    for name, data in cases.items():
        src = tmp_path / f"{name}.parquet"
        src.write_bytes(data)
        result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / f"{name}.out.jsonl"),
                                          "--workers", "1", "--no-language"])
        assert result.exit_code == 1, (name, result.output, result.exception)
        assert result.exception is None or isinstance(result.exception, SystemExit), name
        assert f"cleaner: error: {src}: cannot be read as Parquet" in result.output, result.output
        assert not (tmp_path / f"{name}.out.jsonl").exists()
        assert (name == "damaged") == (tmp_path / f"{name}.out.jsonl.part").exists()  # (rows before it)


def test_gzip_data_read_as_plain_jsonl_is_named_as_gzip(tmp_path: Path) -> None:
    """A gzip file without .gz in its name (or piped without --format jsonl.gz) is not a run of
    binary lines each failing as 'is the file UTF-16?': the run stops at once and says what
    the data is and what to give."""
    import gzip

    records = "".join(json.dumps({"id": i, "text": f"Satz {i}."}) + "\n" for i in range(50))
    src = tmp_path / "data.jsonl"
    src.write_bytes(gzip.compress(records.encode()))
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language")
    assert result.exit_code == 1
    assert "UTF-16" not in result.output
    assert "cleaner: error: data.jsonl: holds gzip data" in result.output, result.output
    assert "--format jsonl.gz" in result.output and not (tmp_path / "out.jsonl").exists()
    piped = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl", "--workers", "1", "--no-language"],
                               input=gzip.compress(records.encode()))
    assert piped.exit_code == 1 and "--format jsonl.gz" in piped.output and "UTF-16" not in piped.output


def test_parquet_data_read_as_jsonl_is_named_as_parquet(tmp_path: Path) -> None:
    """A Parquet file named .jsonl (or given --format jsonl, or piped with it) was read line by
    line: thousands of "records" of binary data, each failing as 'is the file UTF-16?'. The run
    stops at once and says what the data is and what to give."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.table({"id": list(range(300)), "text": [f"Satz {i} mit etwas Inhalt." for i in range(300)]})
    src = tmp_path / "data.parquet"
    pq.write_table(table, src)
    misnamed = tmp_path / "data.jsonl"
    misnamed.write_bytes(src.read_bytes())
    for args in ([str(misnamed)], [str(src), "--format", "jsonl"]):
        out = tmp_path / "out.jsonl"
        result = run("clean", *args, "-o", str(out), "--workers", "1", "--no-language", "--force")
        assert result.exit_code == 1, result.output
        errors = [e for e in result.output.splitlines() if e.startswith("cleaner: error:")]
        assert errors == [f"cleaner: error: {Path(args[0]).name}: holds Parquet data, not JSON lines; "
                          "name it .parquet or give --format parquet"], result.output
        assert not out.exists()
    piped = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl", "--workers", "1", "--no-language"],
                               input=src.read_bytes())
    assert piped.exit_code == 1 and "holds Parquet data" in piped.output and "UTF-16" not in piped.output


def test_a_parquet_shard_without_the_text_column_is_a_usage_error_before_any_row(tmp_path: Path) -> None:
    """A Parquet file's schema says at once that no row has the text field: a usage error that
    names the shard and its columns, before anything is written (every row failed on its own,
    one message a row, and the run left a finished output without a row)."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "shards"
    (src / "year=2024").mkdir(parents=True)
    pq.write_table(pa.table({"id": [1, 2], "text": ["Ein Satz.", "Noch einer."]}), src / "a.parquet")
    body = pa.table({"id": [3, 4], "body": ["Ein Satz.", "Noch einer."]})
    pq.write_table(body, src / "year=2024" / "b.parquet")
    out = tmp_path / "out"
    result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language")
    assert result.exit_code == 2, result.output
    assert "year=2024/b.parquet: no 'text' column (columns: 'id', 'body'); try --text-key" in result.output
    assert "line 1" not in result.output and not (out / "a.parquet").exists()
    html = run("clean", str(src / "year=2024" / "b.parquet"), "-o", str(tmp_path / "b.parquet"),
               "--html-key", "html", "--workers", "1", "--no-language")
    assert html.exit_code == 2 and "no 'text' or 'html' column" in html.output, html.output
    assert not list(tmp_path.glob("b.parquet*"))
    right = run("clean", str(src / "year=2024" / "b.parquet"), "-o", str(tmp_path / "b.parquet"),
                "--text-key", "body", "--workers", "1", "--no-language")
    assert right.exit_code == 0, right.output
    assert pq.read_table(tmp_path / "b.parquet").column("id").to_pylist() == [3, 4]


def test_lang_codes_are_read_case_blind_and_an_unknown_code_is_a_usage_error(tmp_path: Path) -> None:
    """--lang DE,EN must not reject every German and English document as 'language de is not
    one of DE,EN'; a code language detection never gives (--lang ger, a typo) is said before
    the run instead of rejecting every record."""
    src = tmp_path / "in.jsonl"
    german = "Die Regierung hat heute in der Hauptstadt einen neuen Bericht über die Schulen vorgestellt."
    src.write_text(json.dumps({"id": 1, "text": german}) + "\n")
    lower = run("clean", str(src), "-o", str(tmp_path / "lower.jsonl"), "--lang", "de,en", "--workers", "1")
    upper = run("clean", str(src), "-o", str(tmp_path / "upper.jsonl"), "--lang", "DE, En", "--workers", "1")
    assert lower.exit_code == upper.exit_code == 0, upper.output
    assert [r["id"] for r in lines(tmp_path / "lower.jsonl")] == [1]
    assert (tmp_path / "upper.jsonl").read_bytes() == (tmp_path / "lower.jsonl").read_bytes()
    typo = run("clean", str(src), "-o", str(tmp_path / "typo.jsonl"), "--lang", "de,ger", "--workers", "1")
    assert typo.exit_code == 2 and "ger" in typo.output and "zh-cn" in typo.output, typo.output
    assert not (tmp_path / "typo.jsonl").exists()


def test_shards_with_one_stem_in_two_formats_get_their_own_sidecar_and_rejected_files(tmp_path: Path) -> None:
    """a.jsonl and a.jsonl.gz side by side: each shard's --sidecar and --rejected file is its
    own (named by the whole shard name), instead of a usage error ('give each its own file')
    that no option can answer."""
    import gzip

    src = tmp_path / "shards"
    src.mkdir()
    plain = "".join(json.dumps({"id": i, "text": "Ein Satz." * (i + 1)}) + "\n" for i in range(3))
    packed = "".join(json.dumps({"id": 10 + i, "text": "Noch ein Satz." * (i + 1)}) + "\n" for i in range(3))
    (src / "a.jsonl").write_text(plain)
    (src / "a.jsonl.gz").write_bytes(gzip.compress(packed.encode()))
    (src / "b.jsonl").write_text(plain)
    result = run("clean", str(src), "-o", str(tmp_path / "out"), "--sidecar", str(tmp_path / "side"),
                 "--id-key", "id", "--min-chars", "20", "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    side = sorted(p.name for p in (tmp_path / "side").iterdir())
    rejected = sorted(p.name for p in (tmp_path / "out.rejected").iterdir())
    assert side == ["a.jsonl.gz.sidecars.jsonl", "a.jsonl.sidecars.jsonl", "b.sidecars.jsonl"]
    assert rejected == ["a.jsonl.gz.rejected.jsonl", "a.jsonl.rejected.jsonl", "b.rejected.jsonl"]
    for shard, ids in (("a.jsonl", [0, 1, 2]), ("a.jsonl.gz", [10, 11, 12]), ("b", [0, 1, 2])):
        kept = [s["id"] for s in lines(tmp_path / "side" / f"{shard}.sidecars.jsonl")]
        dropped = [r["id"] for r in lines(tmp_path / "out.rejected" / f"{shard}.rejected.jsonl")]
        assert sorted(kept + dropped) == ids and kept and dropped, (shard, kept, dropped)


def test_a_text_field_that_is_not_a_string_is_named_in_json_words(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    src.write_text('{"text": null}\n{"text": ["a"]}\n{"text": true}\n', encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-language", "--workers", "1")
    assert result.exit_code == 1
    for line, kind in ((1, "null"), (2, "an array"), (3, "a boolean")):
        assert f"line {line}: 'text' is {kind}, not a string" in result.output


def test_a_line_that_is_not_a_json_object_is_named_in_json_words(tmp_path: Path) -> None:
    """A JSON line holding an array, a number, a string or null fails as bad_json with what it
    is in JSON's words (it said "a JSON list", "a JSON int", "a JSON NoneType")."""
    src = tmp_path / "in.jsonl"
    src.write_text('[1, 2]\n42\n"Ein Satz."\nnull\ntrue\n{"text": "Ein Satz."}\n', encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-language", "--workers", "1",
                 "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1
    errors = [e for e in result.output.splitlines() if e.startswith("cleaner: error:")]
    kinds = ("an array", "a number", "a string", "null", "a boolean")
    assert errors == [f"cleaner: error: in.jsonl: line {n}: {kind}, not an object"
                      for n, kind in enumerate(kinds, 1)]
    assert [r["cleaner_rejected"]["reason"] for r in lines(tmp_path / "rej.jsonl")] == ["bad_json"] * 5
    assert len(lines(tmp_path / "out.jsonl")) == 1


def test_an_integer_of_more_digits_than_python_reads_fails_as_bad_json(tmp_path: Path) -> None:
    good = '{"id": 2, "text": "Ein Satz steht hier und noch einer folgt ihm gleich."}'
    src = tmp_path / "in.jsonl"
    huge = '{"id": 1, "n": ' + "9" * 5000 + ', "text": "Ein Satz."}'
    src.write_text(huge + "\n" + good + "\n", encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-language", "--workers", "1",
                 "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1
    assert "line 1: cannot be read" in result.output and "internal error" not in result.output
    assert [json.loads(x)["id"] for x in (tmp_path / "out.jsonl").read_text().splitlines()] == [2]
    rejected = json.loads((tmp_path / "rej.jsonl").read_text())
    assert rejected["cleaner_rejected"]["reason"] == "bad_json"


def test_a_record_without_text_is_named_once_by_its_id_as_written(tmp_path: Path) -> None:
    """The message names the id as the line writes it (1e400 and 0.1000...27, not inf and 0.1),
    and once."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id": 1e400, "text": 5}\n{"id": 0.1000000000000000055511151231257827}\n', encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--no-language", "--workers", "1",
                 "--id-key", "id")
    assert result.exit_code == 1
    assert "line 1 (id 1e400): 'text' is a number, not a string" in result.output
    assert "line 2 (id 0.1000000000000000055511151231257827): no 'text' field" in result.output
    assert "(id inf)" not in result.output and "(id 0.1)" not in result.output
def test_html_records_with_the_html_field_missing_or_null_are_named_for_what_they_are(tmp_path: Path) -> None:
    """With --html-key, a record whose HTML field is missing or null is cleaned from its text
    field; when it has none either, the message says the HTML field is null rather than
    listing it among the keys of a record said to have no such field."""
    page = "<html><body><article><p>" + "Ein Satz steht hier und noch einer folgt ihm. " * 5 + "</p></article></body></html>"
    records = [{"id": "page", "html": page}, {"id": "no-html", "text": "Ein Satz aus dem Textfeld."},
               {"id": "null-html", "html": None, "text": "Noch ein Satz aus dem Textfeld."},
               {"id": "null-only", "html": None}, {"id": "null-both", "html": None, "text": None},
               {"id": "nothing"}, {"id": "number", "html": 7}]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--html-key", "html", "--id-key", "id",
                 "--no-language", "--workers", "1", "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1
    assert [r["id"] for r in lines(tmp_path / "out.jsonl")] == ["page", "no-html", "null-html"]
    assert [r["cleaner_rejected"]["line"] for r in lines(tmp_path / "rej.jsonl")] == [4, 5, 6, 7]
    errors = [e for e in result.output.splitlines() if e.startswith("cleaner: error:")]
    assert "line 4 (id null-only): 'html' is null and there is no 'text' field" in errors[0]
    assert "line 5 (id null-both): 'html' is null and 'text' is null, not a string" in errors[1]
    assert "line 6 (id nothing): no 'text' or 'html' field (keys: 'id')" in errors[2]
    assert "line 7 (id number): 'html' is a number, not a string" in errors[3]


def _parquet_cleaned_alike_by_one_and_two_workers(src: Path):  # type: ignore[no-untyped-def]
    """The table a Parquet input cleaned into Parquet makes, the same bytes with 1 worker or 2."""
    import pyarrow.parquet as pq

    outputs = {}
    for workers in ("1", "2"):
        out = src.with_name(f"out{workers}.parquet")
        result = run("clean", str(src), "-o", str(out), "--workers", workers, "--no-language", "-q")
        assert result.exit_code == 0, result.output
        outputs[workers] = out.read_bytes()
    assert outputs["1"] == outputs["2"]
    return pq.read_table(src.with_name("out1.parquet"))


def _parquet_kept_and_as_jsonl(table, tmp_path: Path, names: tuple[str, ...]) -> list:  # type: ignore[no-untyped-def]
    """Writes ``table`` as a Parquet input of row groups of 3; its columns ``names`` come back
    unchanged into Parquet (1 worker or 2); returns its records cleaned into JSONL."""
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(table, src, row_group_size=3)  # (two row groups: the second batch is read on its own)
    cleaned = _parquet_cleaned_alike_by_one_and_two_workers(src)
    for name in names:
        assert cleaned.column(name).equals(table.column(name)), name
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language")
    assert result.exit_code == 0, result.output
    return lines(tmp_path / "out.jsonl")


def test_parquet_dates_and_times_python_cannot_hold_are_kept_exactly(tmp_path: Path) -> None:
    """pandas writes timestamps in nanoseconds: such a column (and a nanosecond duration or
    time, a date beyond year 9999) stopped the run with a pyarrow traceback. Into Parquet each
    value comes back unchanged, with 1 worker or 2; into JSONL as its text."""
    import pytest

    pa = pytest.importorskip("pyarrow")

    ns = [1_700_000_000_123_456_789, None, 1_700_000_000_000_000_000, -1_700_000_000_123_456_789]
    table = pa.table({
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "text": ["Ein Satz mit Inhalt.", "Noch ein Satz.", "Der dritte Satz.", "Der letzte Satz."],
        "ts": pa.array(ns, pa.timestamp("ns", tz="UTC")),
        "naive": pa.array(ns, pa.timestamp("ns")),
        "took": pa.array([-1_001, None, 1_000, 5], pa.duration("ns")),
        "at": pa.array([1, None, 1_000, 86_399_999_999_999], pa.time64("ns")),
        "day": pa.array([3_000_000, None, 0, 1], pa.date32()),
    })
    first, second, third, _ = _parquet_kept_and_as_jsonl(
        table, tmp_path, ("id", "ts", "naive", "took", "at", "day"))
    assert first["ts"] == "2023-11-14 22:13:20.123456789+00:00"
    assert first["naive"] == "2023-11-14 22:13:20.123456789"
    assert (first["took"], first["at"], first["day"]) == ("-1 day, 23:59:59.999998999", "00:00:00.000000001",
                                                          "10183-09-21")
    assert second["ts"] is None and third["ts"] == "2023-11-14 22:13:20+00:00"  # (as before: a datetime)


def test_parquet_bytes_are_written_to_json_as_base64_exactly(tmp_path: Path) -> None:
    """JSON has no bytes: a binary column's values (and bytes in lists and structs, a binary
    id in --sidecar lines, the fields of a failed row in --rejected) are written as
    {"$base64": ...}, which gives the bytes back exactly; they were decoded as UTF-8 with
    U+FFFD for what was not, which lost them. Decimals, dates and times are their exact text."""
    import base64
    import datetime
    import decimal

    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    blobs = [b"\x00\xff\xfe\x80abc", "héllo".encode(), b""]
    table = pa.table({
        "id": pa.array([b"\x89PNG", b"id-2", b"\xff"], pa.binary()),
        "text": ["Ein Satz mit Inhalt.", "Noch ein Satz.", None],
        "blob": pa.array(blobs, pa.binary()),
        "large": pa.array([b"\x80", None, b"x"], pa.large_binary()),
        "fixed": pa.array([b"\x01\x02", b"ab", b"\xff\xff"], pa.binary(2)),
        "listed": pa.array([[b"\xfe"], [], None], pa.list_(pa.binary())),
        "nested": pa.array([{"b": b"\xfd"}, None, {"b": None}], pa.struct([("b", pa.binary())])),
        "price": pa.array([decimal.Decimal("1.50"), None, decimal.Decimal("-0.001")], pa.decimal128(10, 3)),
        "day": pa.array([datetime.date(2024, 1, 2), None, None], pa.date32()),
    })
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language",
                 "--id-key", "id", "--sidecar", str(tmp_path / "side.jsonl"), "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1, result.output  # the third row has no text: failed, in --rejected

    def unpacked(value: object) -> object:
        if isinstance(value, dict) and list(value) == ["$base64"]:
            return base64.b64decode(value["$base64"], validate=True)
        if isinstance(value, dict):
            return {k: unpacked(v) for k, v in value.items()}
        if isinstance(value, list):
            return [unpacked(v) for v in value]
        return value

    first, second = lines(tmp_path / "out.jsonl")
    failed = lines(tmp_path / "rej.jsonl")[0]
    assert first["blob"] == {"$base64": base64.b64encode(blobs[0]).decode()}
    rows = table.to_pylist()
    for name in ("id", "blob", "large", "fixed", "listed", "nested"):
        assert [unpacked(r[name]) for r in (first, second, failed)] == [r[name] for r in rows], name
    assert [r["price"] for r in (first, second, failed)] == ["1.500", None, "-0.001"]
    assert first["day"] == "2024-01-02"
    assert [unpacked(s["id"]) for s in lines(tmp_path / "side.jsonl")] == [b"\x89PNG", b"id-2"]


def test_json_nested_too_deep_fails_its_record_alike_for_any_workers(tmp_path: Path) -> None:
    """Python reads JSON nested up to its recursion limit less the depth of the calling code:
    a record nested about 980 levels deep was written by worker processes and failed in one
    process (other bytes for another --workers), as an 'internal error', and `learn` stopped
    with a traceback. Past MAX_JSON_DEPTH levels a record fails as bad_json, everywhere."""
    from cleaner.datasets.formats import MAX_JSON_DEPTH

    def nested(depth: int) -> str:
        return "[" * depth + "]" * depth

    depths = [50, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH, 980, 5_000]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(f'{{"id": {d}, "text": "Ein Satz mit Inhalt.", "deep": {{"a": {nested(d - 2)}}}}}\n'
                           for d in depths), encoding="utf-8")
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}.jsonl"
        rejected = tmp_path / f"rej{workers}.jsonl"
        result = run("clean", str(src), "-o", str(out), "--rejected", str(rejected), "--workers", workers,
                     "--no-language", "--id-key", "id")
        assert result.exit_code == 1, result.output
        outputs[workers] = (out.read_bytes(), rejected.read_bytes())
        assert [r["id"] for r in lines(out)] == [50, MAX_JSON_DEPTH - 1, MAX_JSON_DEPTH]
        failed = lines(rejected)
        assert [r["cleaner_rejected"]["reason"] for r in failed] == ["bad_json", "bad_json"]
        detail = failed[0]["cleaner_rejected"]["detail"]
        assert f"line 4: not read: nested more than {MAX_JSON_DEPTH} levels deep" in detail
    assert outputs["1"] == outputs["2"]
    result = run("learn", str(src), "-o", str(tmp_path / "model.json"), "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["documents"] == 3


def test_a_failed_line_that_is_not_utf8_is_kept_exactly_in_rejected(tmp_path: Path) -> None:
    """--rejected keeps a failed record's line, so that nothing is lost: a line in cp1252 (read
    as such, then failing: no text field) was kept decoded as UTF-8 with U+FFFD for each byte
    that was not, and its bytes could not be had back. Such a line is now kept as its base64,
    as bytes are in JSON (a UTF-8 line as its text, as before)."""
    import base64

    latin = '{"id": 1, "body": "Stra\xdfe und Gr\xfc\xdfe"}'.encode("cp1252")
    utf8 = '{"id": 2, "body": "Straße"}\r'.encode()
    garbage = b"\xff\xfe{not json at all \x81"
    src = tmp_path / "in.jsonl"
    src.write_bytes(latin + b"\n" + utf8 + b"\n" + garbage + b"\n")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--rejected", str(tmp_path / "rej.jsonl"),
                 "--workers", "1", "--no-language")
    assert result.exit_code == 1, result.output
    raws = [r["raw"] for r in lines(tmp_path / "rej.jsonl")]
    assert raws[0] == {"$base64": base64.b64encode(latin).decode()}
    assert raws[1] == utf8.decode()  # (its \r is the line's own)
    assert base64.b64decode(raws[2]["$base64"]) == garbage  # type: ignore[index]


def test_a_parquet_text_column_of_bytes_is_decoded_as_a_file_is(tmp_path: Path) -> None:
    """Hive, Impala and older Spark write strings as Parquet BINARY without the UTF-8 mark, which
    pyarrow reads as bytes: every record failed ('text' is bytes, not a string). Bytes are now
    decoded as a file's are (UTF-8, else a detected charset; binary data fails as `binary`), in
    `clean` and in `learn`; into Parquet the clean text goes back into the binary column, as
    UTF-8."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    texts = [b"Ein Satz steht hier, und noch einer folgt ihm.",
             "Grüße aus Köln, wo die Straßen voller Menschen waren und alle sich freuten.".encode("cp1252"),
             b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01"]
    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": [1, 2, 3], "text": pa.array(texts, pa.binary())}), src)
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language",
                 "--rejected", str(tmp_path / "rej.jsonl"))
    assert result.exit_code == 1, result.output  # the image
    written = lines(tmp_path / "out.jsonl")
    assert [r["text"] for r in written] == ["Ein Satz steht hier, und noch einer folgt ihm.\n",
                                            texts[1].decode("cp1252") + "\n"]
    assert [r["cleaner_rejected"]["reason"] for r in lines(tmp_path / "rej.jsonl")] == ["binary"]
    result = run("clean", str(src), "-o", str(tmp_path / "out.parquet"), "--workers", "1", "--no-language")
    table = pq.read_table(tmp_path / "out.parquet")
    assert table.schema.field("text").type == pa.binary()
    assert table.column("text").to_pylist() == [r["text"].encode() for r in written]  # type: ignore[union-attr]
    result = run("learn", str(src), "-o", str(tmp_path / "model.json"), "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))["documents"] == 2


def test_resume_cleans_again_a_finished_shard_whose_output_is_gone(tmp_path: Path) -> None:
    """A directory of shards keeps each finished shard's journal. With one shard's output
    deleted (to have it made again), --resume said `out is already complete: nothing was done`
    and exit 0, the shard missing. It is cleaned again, to the same bytes."""
    src = tmp_path / "in"
    src.mkdir()
    for shard in ("a", "b"):
        (src / f"{shard}.jsonl").write_text("".join(
            json.dumps({"id": f"{shard}{i}", "text": f"Der {i}. Satz steht in {shard}."}) + "\n" for i in range(3)))
    out = tmp_path / "out"
    args = ["clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "--sidecar", str(tmp_path / "side")]
    assert run(*args, "-q").exit_code == 0
    first = {p.name: p.read_bytes() for p in [*out.glob("*.jsonl"), *(tmp_path / "side").glob("*")]}
    (out / "b.jsonl").unlink()
    result = run(*args, "--resume")
    assert result.exit_code == 0, result.output
    assert "already complete" not in result.output
    assert {p.name: p.read_bytes() for p in [*out.glob("*.jsonl"), *(tmp_path / "side").glob("*")]} == first
    (tmp_path / "side" / "a.sidecars.jsonl").unlink()  # (any output of the shard)
    assert run(*args, "--resume", "-q").exit_code == 0
    assert (tmp_path / "side" / "a.sidecars.jsonl").read_bytes() == first["a.sidecars.jsonl"]
    result = run(*args, "--resume")
    assert result.exit_code == 0 and "already complete: nothing was done" in result.output


def test_resume_does_not_make_a_finished_shard_again_with_other_options(tmp_path: Path) -> None:
    """A finished shard whose output is gone is cleaned again only as the run that finished it
    did: with other options, --resume is refused as for an interrupted shard."""
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.jsonl").write_text(json.dumps({"text": "Ein Satz steht hier."}) + "\n")
    out = tmp_path / "out"
    assert run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "-q").exit_code == 0
    result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "--resume",
                 "--sidecar", str(tmp_path / "side"))
    assert result.exit_code == 2 and "--sidecar: none then" in result.output, result.output
    assert (out / "a.jsonl").exists()


def test_parquet_dates_and_times_python_cannot_hold_in_lists_structs_maps_are_kept(tmp_path: Path) -> None:
    """A nanosecond timestamp (or a year beyond 9999, a nanosecond duration) inside a list,
    struct or map column ended the whole run ("column 'x' of rows 1-4 cannot be read"), as
    one at the top level had before. Now each is kept as a top-level one is: into Parquet
    unchanged (1 worker or 2, the same bytes), into JSONL as its text."""
    import pytest

    pa = pytest.importorskip("pyarrow")

    ns, big_day = pa.timestamp("ns", "UTC"), 3_000_000
    table = pa.table({
        "id": pa.array([1, 2, 3, 4], pa.int64()),
        "text": ["Ein Satz mit Inhalt.", "Noch ein Satz.", "Der dritte Satz.", "Der letzte Satz."],
        "times": pa.array([[1_700_000_000_123_456_789, None], None, [], [0]], pa.list_(ns)),
        "pair": pa.array([[1, 2], None, [3, 4], [5, 6]], pa.list_(pa.duration("ns"), 2)),
        "meta": pa.array([{"at": 1_700_000_000_123_456_789, "day": big_day}, None, {"at": None, "day": 0},
                          {"at": 5, "day": 1}], pa.struct([("at", ns), ("day", pa.date32())])),
        "deep": pa.array([[{"t": [1_001]}], [{"t": None}], None, []],
                         pa.large_list(pa.struct([("t", pa.list_(pa.time64("ns")))]))),
        "seen": pa.array([[("a", 1_700_000_000_123_456_789)], None, [], [("b", 0)]],
                         pa.map_(pa.string(), ns)),
    })
    first, second, third, fourth = _parquet_kept_and_as_jsonl(
        table, tmp_path, ("id", "times", "pair", "meta", "deep", "seen"))
    assert first["times"] == ["2023-11-14 22:13:20.123456789+00:00", None] and second["times"] is None
    assert first["pair"] == ["0:00:00.000000001", "0:00:00.000000002"] and second["pair"] is None
    assert first["meta"] == {"at": "2023-11-14 22:13:20.123456789+00:00", "day": "10183-09-21"}
    assert second["meta"] is None and third["meta"] == {"at": None, "day": "1970-01-01"}
    assert first["deep"] == [{"t": ["00:00:00.000001001"]}] and second["deep"] == [{"t": None}]
    assert first["seen"] == [["a", "2023-11-14 22:13:20.123456789+00:00"]] and second["seen"] is None
    assert fourth["seen"] == [["b", "1970-01-01 00:00:00+00:00"]]  # (what datetime holds: as before)


def test_a_parquet_value_that_cannot_be_read_fails_its_record_only(tmp_path: Path) -> None:
    """A timestamp of a time zone Python does not know stopped the run with a traceback; its
    record fails (``unreadable_value``, saying the column and why), the other rows are cleaned,
    and --rejected keeps the row's other fields."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    zoned = pa.StructArray.from_arrays(
        [pa.array([1, None], pa.timestamp("us", "Mars/Olympus"))], names=["at"])
    table = pa.table({"id": [1, 2], "text": ["Ein Satz mit Inhalt.", "Noch ein Satz."], "when": zoned})
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    out, rej = tmp_path / "out.jsonl", tmp_path / "rej.jsonl"
    result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "--rejected", str(rej))
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert [(r["id"], r["when"]) for r in lines(out)] == [(2, {"at": None})]
    failed = lines(rej)[0]
    assert failed["cleaner_rejected"]["reason"] == "unreadable_value"
    assert failed["cleaner_rejected"]["detail"].startswith("line 1: column 'when': ")
    assert "Mars/Olympus" in failed["cleaner_rejected"]["detail"]
    assert (failed["id"], failed["text"], failed["when"]) == (1, "Ein Satz mit Inhalt.", None)


def _warnings(caplog) -> list[str]:  # type: ignore[no-untyped-def]
    import logging

    return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]


def test_a_field_named_twice_in_a_json_line_is_a_warning_or_for_the_text_a_failed_record(
        tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """JSON allows a name twice in an object; readers keep the last value (json.loads), some the
    first. The last was kept silently: the values before it lost. A record naming its text (or
    HTML) field twice fails (``bad_json``: which is the text is not known; --rejected keeps its
    line); another field named twice is written with its last value, and the run warns once,
    with how many records did so, for any --workers and --chunk-size."""
    import logging

    src = tmp_path / "in.jsonl"
    src.write_text("\n".join([
        '{"id": 1, "text": "Ein Satz mit Inhalt.", "text": "Ein anderer Satz."}',
        '{"id": 2, "tag": "a", "tag": "b", "tag": "c", "text": "Noch ein Satz mit Inhalt."}',
        '{"id": 3, "text": "Der dritte Satz.", "n": 1, "n": 2}',
        '{"id": 4, "html": "<p>Ein Absatz.</p>", "text": null, "html": "<p>Der andere.</p>"}',
        '{"id": 5, "text": "Der letzte Satz mit Inhalt."}',
    ]) + "\n")
    for workers, chunk in (("1", "256"), ("2", "1")):
        caplog.clear()
        out, rej = tmp_path / f"out{workers}.jsonl", tmp_path / f"rej{workers}.jsonl"
        with caplog.at_level(logging.WARNING, logger="cleaner"):
            result = run("clean", str(src), "-o", str(out), "--rejected", str(rej), "--html-key", "html",
                         "--workers", workers, "--chunk-size", chunk, "--no-language")
        assert result.exit_code == 1, result.output
        written = [(r["id"], r.get("tag"), r.get("n")) for r in lines(out)]
        assert written == [(2, "c", None), (3, None, 2), (5, None, None)]
        failed = lines(rej)
        assert [r["cleaner_rejected"]["reason"] for r in failed] == ["bad_json", "bad_json"]
        details = [r["cleaner_rejected"]["detail"] for r in failed]
        assert details[0].startswith("line 1: the field 'text' is in the line 2 times")
        assert details[1].startswith("line 4: the field 'html' is in the line 2 times")
        assert failed[0]["raw"] == src.read_text().splitlines()[0]  # (both texts kept)
        repeated = [m for m in _warnings(caplog) if "more than once" in m]
        assert repeated == [repeated[0]] and repeated[0].startswith("2 records named a field more than once")


def test_learn_skips_a_record_that_names_its_text_field_twice_as_clean_fails_it(
        tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """`learn` read such a line with json.loads, learning from its last text, which `clean`
    refuses as `bad_json`: the model counted a document that no run cleans. It is skipped with
    clean's reason; another field named twice is read as clean reads it (the last value)."""
    banner = "JETZT ANMELDEN UND BONUS SICHERN"
    src = tmp_path / "in.jsonl"
    records = [json.dumps({"id": i, "tag": "x", "text": f"Artikel {i} handelt von etwas.\n{banner}"})
               .replace('"tag": "x"', '"tag": "x", "tag": "y"') for i in range(12)]
    records.append('{"id": 99, "text": "Ein Satz.", "text": "Ein anderer Satz."}')
    src.write_text("\n".join(records) + "\n", encoding="utf-8")
    import logging

    with caplog.at_level(logging.WARNING, logger="cleaner"):
        result = run("learn", str(src), "-o", str(tmp_path / "m.json"), "--min-docs", "5")
    assert result.exit_code == 0, result.output
    assert [m[:59] for m in _warnings(caplog)] == ["in.jsonl: skipped: line 13: the field 'text' is in the line"]
    model = json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))
    assert model["documents"] == 12
    assert [v["sample"] for v in model["lines"].values()] == [banner.casefold()]


def test_a_record_that_has_a_cleaner_field_already_is_a_warning_and_a_parquet_column_of_it_text(
        tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    """cleaner writes the sidecar into the field ``cleaner``: a record that had one (another
    tool's, or an earlier run's) lost it silently; the run now warns once, with how many, and
    names --sidecar FILE, which keeps it. A Parquet input's ``cleaner`` column of another type
    than text (structs) stopped a Parquet output with a pyarrow traceback: it is a column of
    text, the sidecars' JSON."""
    import logging

    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    rows = [{"id": 1, "text": "Ein Satz mit Inhalt.", "cleaner": {"a": 1}},
            {"id": 2, "text": "Noch ein Satz mit Inhalt.", "cleaner": None},
            {"id": 3, "text": "Der dritte Satz mit Inhalt.", "cleaner": {"a": 3}}]
    jsonl = tmp_path / "in.jsonl"
    jsonl.write_text("".join(json.dumps(r) + "\n" for r in rows))
    parquet = tmp_path / "in.parquet"
    pq.write_table(pa.Table.from_pylist(rows), parquet)
    for src, out in ((jsonl, tmp_path / "out.jsonl"), (parquet, tmp_path / "out.parquet")):
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="cleaner"):
            result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language")
        assert result.exit_code == 0, result.output
        assert [m for m in _warnings(caplog) if "'cleaner'" in m] == [
            "2 records had a field named 'cleaner' (or 'cleaner_rejected'), replaced by cleaner's; its value "
            "is lost (--sidecar FILE keeps it in written records)"]
        written = lines(out) if out.suffix == ".jsonl" else pq.read_table(out).to_pylist()
        sidecars = [r["cleaner"] if isinstance(r["cleaner"], dict) else json.loads(r["cleaner"])
                    for r in written]
        assert [s["schema_version"] for s in sidecars] == [1, 1, 1]
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="cleaner"):
        result = run("clean", str(jsonl), "-o", str(tmp_path / "kept.jsonl"), "--workers", "1",
                     "--no-language", "--sidecar", str(tmp_path / "side.jsonl"))
    assert result.exit_code == 0, result.output
    assert [r["cleaner"] for r in lines(tmp_path / "kept.jsonl")] == [{"a": 1}, None, {"a": 3}]
    assert not [m for m in _warnings(caplog) if "'cleaner'" in m]


def test_a_failed_parquet_row_with_a_cleaner_rejected_column_keeps_why_it_failed(tmp_path: Path) -> None:
    """A failed Parquet row is written to --rejected as its fields; a column of the row named
    ``cleaner_rejected`` replaced the failure's status, reason and line (the row looked like
    anything but a failure). cleaner's own is kept, and the run counts the row's as replaced."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    table = pa.table({"id": [1], "text": pa.array([None], pa.string()), "cleaner_rejected": ["mine"]})
    pq.write_table(table, src)
    rej, stats = tmp_path / "rej.jsonl", tmp_path / "stats.json"
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--rejected", str(rej),
                 "--stats", str(stats), "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 1, result.output
    failed = lines(rej)[0]
    assert failed["cleaner_rejected"]["status"] == "failed" and failed["cleaner_rejected"]["line"] == 1
    assert failed["id"] == 1 and failed["text"] is None
    assert json.loads(stats.read_text())["warnings"] == {"fields_replaced": 1}


def test_a_parquet_shard_with_two_columns_of_one_name_is_a_usage_error(tmp_path: Path) -> None:
    """Arrow allows two columns of one name; a record does not: into JSONL the first column's
    values were lost silently, into Parquet the run stopped with a pyarrow traceback (KeyError)
    once every row was cleaned. Now a usage error before any row, naming the column."""
    import pytest

    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    table = pa.Table.from_arrays([pa.array([1]), pa.array(["Ein Satz mit Inhalt."]), pa.array(["a"]),
                                  pa.array(["b"])], names=["id", "text", "tag", "tag"])
    src = tmp_path / "in.parquet"
    pq.write_table(table, src)
    for out in (tmp_path / "out.jsonl", tmp_path / "out.parquet"):
        result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language")
        assert result.exit_code == 2, result.output
        assert "in.parquet: the column 'tag' is in it 2 times" in result.output
        assert "Traceback" not in result.output and not out.exists()
