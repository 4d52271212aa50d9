"""JSON lines read and written without encoding unchanged long fields again
(cleaner.datasets.json_lines): the values and errors of json.loads, the bytes of json.dumps."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleaner.cli import cli
from cleaner.datasets.json_lines import RAW_MIN_CHARS, dumps, dumps_record, loads

LONG = "x" * RAW_MIN_CHARS

#: Characters that make a string's JSON text interesting: quotes, backslashes, control
#: characters, "/", non-ASCII, an astral character (a surrogate pair when ASCII-escaped), and
#: the letters of "\u" escapes.
_CHARS = st.sampled_from([*'ab u0/\\"\n\t\x01\x1f\x7fé€😀\u2028', "\\u", "\\/", "\\\\u00e9"])
_LONG_TEXT = st.lists(_CHARS, min_size=1, max_size=40).map(lambda parts: LONG + "".join(parts))
_VALUES = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
                    st.text(max_size=20), _LONG_TEXT, st.lists(st.integers(), max_size=3))


def _line(record: dict[str, object], ensure_ascii: bool, spaced: bool) -> bytes:
    separators = (", ", ": ") if spaced else (",", ":")
    return (json.dumps(record, ensure_ascii=ensure_ascii, separators=separators) + "\n").encode()


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "html", "text", "url", "é"]), _VALUES, max_size=5),
       st.booleans(), st.booleans(), st.sampled_from(["text", "html", "cleaner"]))
def test_written_line_is_json_dumps_whatever_the_input_looked_like(record, ensure_ascii, spaced, changed):
    line = _line(record, ensure_ascii, spaced)
    read, raw = loads(line)
    assert read == json.loads(line)
    read[changed] = "clean text"  # a field replaced, or added (as the sidecar is)
    read["cleaner"] = {"removed": []}
    assert dumps_record(read, raw) == dumps(read).encode("utf-8")


def test_an_unchanged_long_field_is_copied_not_encoded_again():
    line = _line({"id": 1, "html": LONG + "<p>é</p>\n"}, ensure_ascii=False, spaced=True)
    record, raw = loads(line)
    assert list(raw) == ["html"]
    start, end = raw["html"][2:]
    assert line[start:end] == json.dumps(record["html"], ensure_ascii=False).encode()
    record["text"] = "clean"
    assert dumps_record(record, raw) == dumps(record).encode()


@pytest.mark.parametrize("escaped", ["\\u00e9", "\\/", "\\u000a", "\\u001F"])
def test_a_field_with_escapes_dumps_would_not_write_is_encoded_again(escaped):
    line = b'{"html": "' + LONG.encode() + escaped.encode() + b'"}'
    record, raw = loads(line)
    assert raw == {}
    assert dumps_record(record, raw) == dumps(record).encode()


def test_escaped_backslashes_before_u_are_not_escapes():
    line = b'{"html": "' + LONG.encode() + b'C:\\\\users \\\\\\\\u00e9 \\u001f \\" \\n"}'
    record, raw = loads(line)
    assert record["html"].endswith('C:\\users \\\\u00e9 \x1f " \n')
    assert list(raw) == ["html"]
    assert dumps_record(record, raw) == dumps(record).encode()


def test_a_repeated_key_keeps_the_last_value_in_the_first_place():
    line = b'{"html": "' + LONG.encode() + b'", "id": 1, "html": 5}'
    record, raw = loads(line)
    assert record == json.loads(line) and list(record) == ["html", "id"]
    assert raw == {}
    assert dumps_record(record, raw) == dumps(record).encode()


def test_a_changed_value_is_encoded_even_when_equal_to_the_old_one():
    record, raw = loads(b'{"html": "' + LONG.encode() + b'"}')
    record["html"] = "".join([LONG[:10], LONG[10:]])  # equal, not the same object
    assert dumps_record(record, raw) == dumps(record).encode()


@pytest.mark.parametrize("line", [
    b'[1, 2]', b'"text"', b'{"a": 1} x', b'{"a" 1}', b'{"a": 1,}', b"{'a': 1}", b'{"a": tru}', b"",
    b'{"a": 1}{"b": 2}', b'  {"a": NaN}  ', b'{"a": "\\ud800"}', b'\xef\xbb\xbf{"a": 1}',
])
def test_other_lines_read_as_json_loads_reads_them(line):
    try:
        expected: object = json.loads(line)
    except ValueError as exc:
        with pytest.raises(type(exc)):
            loads(line)
        return
    value, raw = loads(line)
    assert value == expected or (value != value and expected != expected)
    assert raw == {}


def test_a_line_with_a_byte_order_mark_is_encoded_again():
    line = b'\xef\xbb\xbf{"html": "' + LONG.encode() + b'"}'
    record, raw = loads(line)
    assert record == json.loads(line) and raw == {}


def test_the_replaced_field_is_not_located():
    """The text field is always replaced by the clean text: finding its JSON text is wasted."""
    line = _line({"id": 1, "text": LONG, "html": LONG + "<p>"}, ensure_ascii=False, spaced=False)
    record, raw = loads(line, replaced="text")
    assert list(raw) == ["html"] and record == json.loads(line)
    record["text"] = "clean"
    assert dumps_record(record, raw) == dumps(record).encode()


def test_without_strings_only_the_numbers_are_kept():
    """For an output that copies no string (Parquet): the numbers' texts, no string located."""
    line = _line({"id": 1e5, "html": LONG + "é", "n": [1.5]}, ensure_ascii=False, spaced=True)
    line = line.replace(b"100000.0", b"1e5")
    record, raw = loads(line, replaced="text", strings=False)
    assert record == json.loads(line) and list(raw) == ["id"]
    assert dumps_record(record, raw) == dumps(record).encode().replace(b"100000.0", b"1e5")


def test_parquet_and_jsonl_outputs_reject_a_record_as_the_same_line(tmp_path: Path) -> None:
    """A rejected record goes to a JSONL file whatever the output: the same bytes when the run
    writes Parquet (which locates no string in the line) as when it writes JSONL."""
    pytest.importorskip("pyarrow")
    src = tmp_path / "in.jsonl"
    fields = {"id": 1e5, "html": "<p>" + LONG + " é \\u00e9 \u2028</p>", "text": "Kurz."}
    src.write_text(json.dumps(fields, ensure_ascii=False).replace("100000.0", "1e5") + "\n", encoding="utf-8")
    rejected = []
    for out in ("out.jsonl", "out.parquet"):
        rej = tmp_path / (out + ".rej.jsonl")
        result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / out), "--rejected", str(rej),
                                          "--min-chars", "20", "--workers", "1", "--no-language", "-q"])
        assert result.exit_code == 0, result.output
        rejected.append(rej.read_bytes())
    assert rejected[0] == rejected[1] and rejected[0].startswith(b'{"id":1e5,"html":"<p>')


def test_a_lone_surrogate_escape_in_a_record_does_not_stop_the_run(tmp_path):
    """'\\ud800' is valid JSON (a broken emoji in scraped text) and json.loads gives the lone
    surrogate back, which UTF-8 cannot hold: writing the record stopped the whole run."""
    from .test_datasets import run

    text = "Ein Satz mit einem kaputten Zeichen \\ud83d hier, und noch mehr Worte dazu."
    lines = [
        '{"id": 1, "title": "T\\udc00", "text": "' + text + '"}',
        '{"id": 2, "text": "Ein zweiter Satz steht hier ganz normal und bleibt."}',
        '{"id": 3, "html": "<p>' + text + "</p>" + "<p>Mehr Text im Absatz.</p>" * 60 + '"}',
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("\n".join(lines) + "\n", encoding="ascii")
    out, side = tmp_path / "out.jsonl", tmp_path / "side.jsonl"
    result = run("clean", str(src), "-o", str(out), "--sidecar", str(side), "--html-key", "html",
                 "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    records = [json.loads(line) for line in out.read_bytes().decode("utf-8").splitlines()]
    source = [json.loads(line) for line in lines]
    assert [r["id"] for r in records] == [1, 2, 3]
    assert records[0]["title"] == "T\udc00" and "\ud83d" in records[0]["text"]
    assert records[2]["html"] == source[2]["html"] and "kaputten Zeichen" in records[2]["text"]
    assert side.read_bytes().decode("utf-8").count("\n") == 3
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    result = run("clean", str(src), "-o", str(tmp_path / "out.parquet"), "--html-key", "html",
                 "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    rows = pq.read_table(tmp_path / "out.parquet").to_pylist()
    assert rows[0]["title"] == "T\ufffd" and "\ufffd" in rows[0]["text"]  # Parquet holds UTF-8 only
    assert json.loads(rows[0]["cleaner"])["source"] == "line 1"


def test_a_surrogate_written_as_raw_bytes_is_not_copied():
    """"\\ud83d" as the bytes ED A0 BD is not UTF-8, though json.loads reads it; copying the
    field would make the output line invalid UTF-8 (found by the record fuzz)."""
    line = b'{"html": "' + LONG.encode() + b'\xed\xa0\xbd"}'
    record, raw = loads(line)
    assert record["html"].endswith("\ud83d") and raw == {}
    out = dumps_record(record, raw)
    assert out.decode("utf-8").endswith('\\ud83d"}')


def test_nan_and_infinity_are_written_as_null(tmp_path: Path) -> None:
    """JSON has no NaN: a float column of pandas holds them, and strict readers refuse the token."""
    src = tmp_path / "in.jsonl"
    src.write_text('{"id":1,"score":NaN,"v":[Infinity,2.5],"text":"Ein Satz, der hier steht und bleibt."}\n')
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--no-language", "-q"])
    assert result.exit_code == 0, result.output

    def refuse(token: str) -> None:
        raise AssertionError(f"{token} is not JSON")

    record = json.loads(out.read_text(), parse_constant=refuse)
    assert record["score"] is None and record["v"] == [None, 2.5] and record["id"] == 1


#: Number texts that json.dumps(json.loads(text)) does not give back: beyond the float range
#: (infinite as a float, null once written), more digits than a float holds, exponents, a
#: trailing zero, "-0" (the int 0), and below the float range (0.0).
NOT_ROUND_TRIP = ["1E400", "-1E400", "0.1000000000000000055511151231257827", "1e5", "1.0E+2", "1.50",
                  "-0", "0.00001", "12345678901234567890.5", "1e-400", "2E-3"]
ROUND_TRIP = ["-0.0", "0.1", "1.5", "-7", "100000.0", "1e+22", "12345678901234567890"]


@pytest.mark.parametrize("number", NOT_ROUND_TRIP + ROUND_TRIP)
def test_every_number_of_a_kept_field_is_written_as_it_was(number):
    """A field other than the text is kept: a number too, as the JSON text it was (1E400 was
    written as null, 0.1000000000000000055511151231257827 as 0.1, 1e5 as 100000.0)."""
    n = number
    line = (f'{{"id": 1, "x": {n}, "meta": {{"a": [1, {n}, {{"b": {n}}}], "s": "é"}}, "l": [{n}], '
            f'"text": "Ein Satz."}}\n').encode()
    record, raw = loads(line, replaced="text")
    assert record == json.loads(line)
    record["text"] = "clean"
    record["cleaner"] = {"n": 1.5}
    expected = (f'{{"id":1,"x":{n},"meta":{{"a":[1,{n},{{"b":{n}}}],"s":"é"}},"l":[{n}],"text":"clean",'
                f'"cleaner":{{"n":1.5}}}}').encode()
    assert dumps_record(record, raw) == expected


def test_a_field_kept_for_its_numbers_is_otherwise_written_as_json_dumps_writes_it():
    """Spaces, escapes dumps would not write (\\u00e9, \\/), NaN and Infinity (null), a repeated
    key (the last value, in the first place): all as in json.dumps, only the numbers as written."""
    line = (b'{"m": { "s" : "\\u00e9 \\/ \\ud83d" , "n" : 1e5, "k": [ 1 , NaN , -Infinity ],'
            b' "d": {"a": 1e5, "b": 0, "a": 2}, "e": {}, "f": [] }, "x": 1e5, "x": 2, "y": 2, "y": 1E400}')
    record, raw = loads(line)
    assert dumps_record(record, raw) == (b'{"m":{"s":"\xc3\xa9 / \\ud83d","n":1e5,"k":[1,null,null],'
                                         b'"d":{"a":2,"b":0},"e":{},"f":[]},"x":2,"y":1E400}')


def test_nan_and_infinity_alone_are_still_written_as_null():
    record, raw = loads(b'{"a": NaN, "b": -Infinity, "c": [Infinity], "d": 1.5}')
    assert dumps_record(record, raw) == b'{"a":null,"b":null,"c":[null],"d":1.5}'


def test_a_line_with_a_byte_order_mark_keeps_its_numbers_too():
    record, raw = loads(b'\xef\xbb\xbf{"a": 1e5, "b": [1.50]}')
    assert dumps_record(record, raw) == b'{"a":1e5,"b":[1.50]}'


def test_a_field_nested_deeper_than_python_recursion_keeps_its_numbers():
    """json's scanner reads 800 levels; a recursive writer failed the record (RecursionError)."""
    line = ('{"a": ' + "[" * 800 + '{"x": [-0, 1.50]}, 1e5' + "]" * 800 + "}").encode()
    record, raw = loads(line)
    expected = '{"a":' + "[" * 800 + '{"x":[-0,1.50]},1e5' + "]" * 800 + "}"
    assert dumps_record(record, raw) == expected.encode()


@pytest.mark.parametrize("extra", ['"plain"', '"\\u007f"', '"\x7f"', "-0", "NaN"])
def test_a_long_list_of_numbers_is_written_from_its_text(extra):
    """A list of a thousand floats is written from its text (checking each float cost about a
    microsecond); a DEL in a string (the mark of a number there) or "-0" takes a slower way."""
    numbers = ", ".join(["0.1", "1e5", "-0.0", "1.50", "0.30000000000000004", "7"] * 200)
    line = ('{"id": 1, "v": [' + numbers + ", " + extra + '], "w": {"a": [' + numbers + "]}}").encode()
    record, raw = loads(line)
    assert record == json.loads(line) or extra == "NaN"
    written = {"NaN": "null", "-0": "-0"}.get(extra) or json.dumps(json.loads(extra), ensure_ascii=False)
    expected = ('{"id":1,"v":[' + numbers.replace(" ", "") + "," + written + '],"w":{"a":['
                + numbers.replace(" ", "") + "]}}")
    assert dumps_record(record, raw) == expected.encode()


class _Num(str):
    """A number as the JSON text it is written as, in a generated record."""


def _written(value: object, ensure_ascii: bool = False, spaced: bool = False, output: bool = False) -> str:
    """``value`` as JSON, as json.dumps writes it, but each _Num as its text (and, as cleaner
    writes its ``output``, infinity as null)."""
    comma, colon = (", ", ": ") if spaced else (",", ":")
    if isinstance(value, _Num):
        return str(value)
    if isinstance(value, dict):
        return "{" + comma.join(json.dumps(k, ensure_ascii=ensure_ascii) + colon
                                + _written(v, ensure_ascii, spaced, output) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + comma.join(_written(v, ensure_ascii, spaced, output) for v in value) + "]"
    if output and isinstance(value, float) and value in (float("inf"), float("-inf")):
        return "null"
    return json.dumps(value, ensure_ascii=ensure_ascii)


def _plain(value: object) -> object:
    """``value`` as json.loads reads its text."""
    if isinstance(value, _Num):
        return json.loads(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


_NUMBER_TEXT = st.one_of(
    st.sampled_from(NOT_ROUND_TRIP + ROUND_TRIP),
    st.from_regex(r"-?(0|[1-9][0-9]{0,20})(\.[0-9]{1,20})?([eE][-+]?[0-9]{1,3})?", fullmatch=True),
).map(_Num)
_NESTED = st.recursive(
    st.one_of(_NUMBER_TEXT, st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(max_size=5), st.none(), st.booleans()),
    lambda inner: (st.lists(inner, max_size=3)
                   | st.dictionaries(st.sampled_from(["a", "b", "é"]), inner, max_size=3)),
    max_leaves=8,
)


@settings(max_examples=300, deadline=None)
@given(st.dictionaries(st.sampled_from(["id", "html", "text", "url", "é", "n"]),
                       st.one_of(_VALUES, _NESTED), max_size=5),
       st.booleans(), st.booleans(), st.sampled_from(["text", "html", "cleaner"]))
def test_written_line_keeps_numbers_as_written_and_is_json_dumps_otherwise(record, ensure_ascii, spaced,
                                                                          changed):
    line = (_written(record, ensure_ascii, spaced) + "\n").encode()
    read, raw = loads(line)
    assert read == json.loads(line) == _plain(record)
    read[changed] = "clean text"
    record[changed] = "clean text"
    read["cleaner"] = record["cleaner"] = {"removed": []}
    assert dumps_record(read, raw) == _written(record, output=True).encode()
def _numbers_file(tmp_path: Path) -> tuple[Path, list[str]]:
    lines = [
        '{"id": 1e5, "x": 1E400, "p": 0.1000000000000000055511151231257827, "m": {"v": [1.0E+2, -0]}, '
        '"text": "Ein Satz, der hier steht und bleibt, mit genug Worten."}',
        '{"id": 2, "x": 1.50, "text": "Kurz."}',
        '{"id": 3, "x": 1e5, "body": "no text"}',
    ]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
    return src, lines


def test_a_run_writes_numbers_as_written_in_output_sidecar_and_rejected_files(tmp_path: Path) -> None:
    """JSONL to JSONL: the written record, the rejected one (--min-chars) and the --sidecar
    line's id keep each number's text; a failed record is in --rejected as its raw line."""
    src, lines = _numbers_file(tmp_path)
    out, side, rej = tmp_path / "out.jsonl", tmp_path / "side.jsonl", tmp_path / "rej.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--sidecar", str(side),
                                      "--rejected", str(rej), "--id-key", "id", "--min-chars", "20",
                                      "--workers", "1", "--no-language", "-q"])
    assert result.exit_code == 1, result.output
    written = out.read_text(encoding="utf-8")
    assert written.startswith('{"id":1e5,"x":1E400,"p":0.1000000000000000055511151231257827,'
                              '"m":{"v":[1.0E+2,-0]},"text":"Ein Satz')
    sidecar = side.read_text(encoding="utf-8")
    assert sidecar.startswith('{"id":1e5,"line":1,') and '"source":"line 1 (id 1e5)"' in sidecar
    rejected = rej.read_text(encoding="utf-8").splitlines()
    assert rejected[0].startswith('{"id":2,"x":1.50,"text":"Kurz.')
    assert json.loads(rejected[1])["raw"] == lines[2]


def test_parquet_output_fails_a_record_with_a_number_beyond_a_double(tmp_path: Path) -> None:
    """Parquet holds a number as a double: 1E400 has none (it was written as infinity, or as
    null in a column of text). The record fails, named, and is kept as its line in --rejected;
    a number a double holds less exactly (0.1000000000000000055511151231257827) is its double."""
    pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    src, lines = _numbers_file(tmp_path)
    out, rej = tmp_path / "out.parquet", tmp_path / "rej.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--rejected", str(rej),
                                      "--workers", "1", "--no-language"])
    assert result.exit_code == 1, result.output
    assert "line 1: field 'x' holds the number 1E400, beyond the range of a Parquet double" in result.output
    rows = pq.read_table(out).to_pylist()
    assert [row["id"] for row in rows] == [2]
    failed = [json.loads(line) for line in rej.read_text(encoding="utf-8").splitlines()]
    assert [(f["cleaner_rejected"]["reason"], f["raw"]) for f in failed] == [
        ("number_out_of_range", lines[0]), ("missing_text", lines[2])]


def test_a_line_not_in_utf8_keeps_its_numbers_too(tmp_path: Path) -> None:
    """A cp1252 line is decoded as a file is, then read as any other line."""
    src = tmp_path / "in.jsonl"
    line = '{"x": 1e5, "m": [1.50], "text": "Ein Caf\xe9 am Platz, und ein Satz dazu."}\n'
    src.write_bytes(line.encode("cp1252"))
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(out), "--workers", "1", "--no-language",
                                      "-q"])
    assert result.exit_code == 0, result.output
    assert out.read_text(encoding="utf-8").startswith('{"x":1e5,"m":[1.50],"text":"Ein Café')
