"""Dataset files: format detection, chunked readers (JSONL, JSONL.gz, Parquet) and the
record -> (id, text, is_html) mapping. pyarrow is imported lazily.

Readers yield :class:`Chunk` objects: a bounded slice of raw records plus the input position
after it, so a run can be journaled and resumed at any chunk boundary.
"""

from __future__ import annotations

import gzip
import json
import os
import zlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO, Literal

from ..errors import CleanerError, ConfigError
from ..files import Folder, RealPaths, inside, walk_files
from . import json_lines
from .arrow_values import ArrowValue, Unreadable, rows_of
from .json_lines import RawFields

Format = Literal["jsonl", "jsonl.gz", "parquet"]
FORMATS: tuple[str, ...] = ("jsonl", "jsonl.gz", "parquet")
SUFFIXES: dict[str, Format] = {
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonl.gz": "jsonl.gz",
    ".ndjson.gz": "jsonl.gz",
    ".json.gz": "jsonl.gz",
    ".parquet": "parquet",
    ".pq": "parquet",
}
#: Records per chunk: the unit of parallel work, of output order and of the resume journal.
CHUNK_RECORDS_DEFAULT = 256
#: A chunk also ends once it holds this many bytes of input (huge records keep memory flat).
CHUNK_BYTES_MAX = 8 * 1024 * 1024

#: Parquet input is read through a buffer of this many bytes, page by page (``pre_buffer`` off).
#: pyarrow's default reads a whole row group's column chunks at once, so memory grew with the
#: row-group size that the file's writer chose: 440 MB for a 340 MB file of one row group.
#: 1 MiB rather than 8: the reading process holds 12 MB less, and reads as fast (300 batches
#: of a 729 MB file: 1.71 against 1.76 s).
PARQUET_BUFFER_BYTES = 1024 * 1024
PARQUET_HINT = 'Parquet needs pyarrow: pip install "cleaner[parquet]"'


class RecordError(CleanerError):
    """One record cannot be cleaned (bad JSON, no text field, text not a string)."""

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Oversized:
    """Stands for a JSONL line over the size limit: it is skipped, not read into memory."""

    nbytes: int


@dataclass(frozen=True, slots=True)
class Chunk:
    """A slice of one input: ``items`` are raw JSON lines (bytes) or record dicts."""

    number: int  # 0-based chunk number within the shard
    first: int  # record number (0-based) of the first item
    items: tuple[Any, ...]
    lines: tuple[int, ...]  # 1-based line number (JSONL) or row number (Parquet) per item
    position: int  # input position after the chunk: byte offset (JSONL) or rows (Parquet)
    nbytes: int  # input bytes in the chunk (for MB/s)


def format_of(path: Path, given: str | None = None) -> Format | None:
    """The dataset format of a path, by ``given`` or by extension (None: not a dataset).

    >>> format_of(Path("a/b.jsonl.gz")), format_of(Path("x.parquet")), format_of(Path("a.txt"))
    ('jsonl.gz', 'parquet', None)
    """
    if given:
        return given  # type: ignore[return-value]
    return _format_of_name(path.name)


def _format_of_name(name: str) -> Format | None:
    name = name.lower()
    for suffix in _LONGEST_FIRST:
        if name.endswith(suffix):
            return SUFFIXES[suffix]
    return None


_LONGEST_FIRST = sorted(SUFFIXES, key=len, reverse=True)


def shard_by_name(relative: str) -> bool:
    """Is a file under a directory (its path in it, ``/``-separated) a dataset shard by its
    name, as ``shards_of`` takes one: a dataset file's ending, and not under a directory whose
    name starts with "_" (what Spark and Hadoop write beside their shards)?

    >>> shard_by_name("year=2024/part-0.parquet"), shard_by_name("_temporary/part-0.jsonl")
    (True, False)
    """
    *parents, name = relative.split("/")
    return _format_of_name(name) is not None and not any(part.startswith("_") for part in parents)


#: A ``.json`` file is read this far for its first line (see ``holds_json_lines``).
JSON_LINE_PEEK_BYTES = 1 << 16


def holds_json_lines(path: str | Path) -> bool:
    """Does a ``.json`` file given as a document hold JSON lines (its first line a JSON object,
    as Spark's ``df.write.json`` and many dataset dumps write them)? Its records would be
    cleaned as the text of one article; ``--format jsonl`` cleans them as records. A sidecar of
    cleaner's (indented, its first line ``{``) is not.

    >>> import tempfile, os
    >>> with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
    ...     _ = f.write('{"id": 1, "text": "A"}\\n{"id": 2, "text": "B"}\\n')
    >>> holds_json_lines(f.name), holds_json_lines(__file__)
    (True, False)
    >>> os.unlink(f.name)
    """
    if not str(path).lower().endswith(".json"):
        return False
    try:
        with open(path, "rb") as handle:  # noqa: PTH123
            head = handle.read(JSON_LINE_PEEK_BYTES)
    except OSError:
        return False  # (the run says it cannot read it)
    line = head.split(b"\n", 1)[0].removeprefix(UTF8_BOM).strip()
    if not line.startswith(b"{") or (len(line) == len(head) and len(head) == JSON_LINE_PEEK_BYTES):
        return False  # not an object, or a first line longer than the peek: not told
    try:
        return isinstance(json.loads(line), dict)
    except (ValueError, UnicodeDecodeError, RecursionError):
        return False


def shards_of(directory: Path, given: str | None = None, exclude: Iterable[Path] = (),
              folder: Folder | None = None) -> list[Path] | None:
    """The dataset shards under a directory, in its subdirectories too (a partitioned dataset:
    ``year=2024/part-0.parquet``), sorted; or None when it is not a shard directory: every
    visible file under it must be a dataset file (or ``--format`` is given). Names starting
    with "_" are what Spark and Hadoop write beside their shards (``_SUCCESS``, a
    ``_temporary/`` directory while a job writes): not part of the data, unless a file's name
    says it is a shard. The files are those of ``files.walk_files`` (hidden names skipped,
    symbolic links to directories not followed, as in a directory of documents), from
    ``folder`` when the run has walked the directory already; ``exclude`` (outputs of the run
    inside the input) is left out. A ConfigError when some files are dataset files and others
    are not: a shard directory with a stray file, not a folder of documents, whose JSONL files
    would be cleaned as plain text. Only the shards are kept while walking (and the first other
    file, for that message): a folder of documents is walked without holding its names."""
    real = RealPaths()
    root, root_real = str(directory), real(directory)
    skip = {place for place in map(real, exclude) if place != root_real and inside(place, root_real)}
    unreadable: list[OSError] = [] if folder is None else folder.unreadable
    files = walk_files(directory, skip, real, unreadable) if folder is None else folder.files
    shards: list[str] = []
    stray: str | None = None
    start = len(os.path.join(root, ""))  # noqa: PTH118  (walk_files gives root/... for what is under it)
    for path in files:
        *parents, name = path[start:].split(os.sep)  # noqa: PTH206  (strings, as walk_files gives them)
        if any(part.startswith("_") for part in parents):
            continue
        if skip and _excluded(real(path), skip):
            continue  # (an output of the run: its --stats file, or inside its output directory)
        is_shard = _format_of_name(name) is not None
        if is_shard or given:
            shards.append(path)
        elif not name.startswith("_") and (stray is None or path < stray):
            stray = path
    if not shards:
        return None
    unreadable = [exc for exc in unreadable if not _under_underscore(str(exc.filename), root)]
    if unreadable:  # (a folder of documents: files.iter_inputs says so too; nothing is left out)
        raise ConfigError(f"{directory}: cannot read {unreadable[0].filename} ({unreadable[0].strerror})")
    if stray is not None:
        raise ConfigError(f"{directory}: holds dataset shards ({os.path.relpath(min(shards), directory)}) "
                          f"and other files ({os.path.relpath(stray, directory)}); move the other files "
                          "out, or give --format to read every file as a shard")
    return sorted(map(Path, shards))


def _excluded(real_path: str, skip: set[str]) -> bool:
    return real_path in skip or any(inside(real_path, place) for place in skip)


def _under_underscore(path: str, root: str) -> bool:
    """Is ``path`` a directory under ``root`` whose name, or a parent's, starts with "_"?"""
    return any(part.startswith("_") for part in Path(os.path.relpath(path, root)).parts)


def require_pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.parquet
    except ImportError as exc:
        raise ConfigError(PARQUET_HINT) from exc
    return pyarrow


def read_chunks(
    path: Path | BinaryIO,
    fmt: Format,
    *,
    start: int = 0,
    start_record: int = 0,
    chunk_records: int = CHUNK_RECORDS_DEFAULT,
    limit: int | None = None,
    max_record_bytes: int = 0,
    footer: Any = None,
) -> Iterator[Chunk]:
    """Chunks of ``path`` from input position ``start`` (record ``start_record``). A JSONL line
    longer than ``max_record_bytes`` (0: no limit) comes as an :class:`Oversized` item. JSONL
    can also come from an open binary stream (stdin), read once from where it is. ``footer``:
    a Parquet file's ``parquet_footer``, when the run has read it already."""
    if fmt == "parquet":
        if not isinstance(path, Path):
            raise ConfigError("Parquet is read from a file, not a stream; give its path")
        return _parquet_chunks(path, start, chunk_records, limit, footer)
    return _jsonl_chunks(path, fmt == "jsonl.gz", start, start_record, chunk_records, limit, max_record_bytes)


def _lines(handle: Any, max_bytes: int) -> Iterator[tuple[bytes | Oversized, int]]:
    """(line, its size in bytes); a line over ``max_bytes`` is skipped in blocks, never held."""
    if max_bytes <= 0:
        for raw in handle:
            yield raw, len(raw)
        return
    while True:
        raw = handle.readline(max_bytes + 1)
        if not raw:
            return
        if len(raw) <= max_bytes or raw.endswith(b"\n"):
            yield raw, len(raw)
            continue
        size = len(raw)
        while not raw.endswith(b"\n"):
            raw = handle.readline(1 << 20)
            if not raw:
                break
            size += len(raw)
        yield Oversized(size), size


#: What reading a truncated or damaged gzip file raises (EOFError: cut off; zlib.error: a bad
#: block; BadGzipFile: not gzip at all).
DAMAGED_GZIP = (EOFError, zlib.error, gzip.BadGzipFile)


@contextmanager
def _open_jsonl(source: Path | BinaryIO, gz: bool) -> Iterator[BinaryIO]:
    """A file opened (and closed after), or a stream (left open), decompressed when ``gz``."""
    if isinstance(source, Path):
        with gzip.open(source, "rb") if gz else source.open("rb") as handle:
            yield handle  # type: ignore[misc]
    else:
        yield gzip.GzipFile(fileobj=source, mode="rb") if gz else source  # type: ignore[misc]


def _jsonl_chunks(
    path: Path | BinaryIO,
    gz: bool,
    start: int,
    start_record: int,
    chunk_records: int,
    limit: int | None,
    max_record_bytes: int = 0,
) -> Iterator[Chunk]:
    line_no, position, record = 0, start, start_record
    number = start_record // max(1, chunk_records)
    items: list[bytes | Oversized] = []
    lines: list[int] = []
    nbytes = 0
    with _open_jsonl(path, gz) as handle:
        try:
            line_no = _skip_lines(handle, start) if start else 0
            for raw, size in _lines(handle, max_record_bytes):
                line_no += 1
                if line_no == 1 and not gz and isinstance(raw, bytes):
                    _not_json_lines(raw, path)
                position += size
                if isinstance(raw, Oversized) or _content(raw, line_no):
                    if limit is not None and record >= limit:
                        break
                    items.append(raw)
                    lines.append(line_no)
                    record += 1
                    nbytes += size
                if items and (len(items) >= chunk_records or nbytes >= CHUNK_BYTES_MAX):
                    yield Chunk(number, record - len(items), tuple(items), tuple(lines), position, nbytes)
                    number, items, lines, nbytes = number + 1, [], [], 0
        except DAMAGED_GZIP as exc:
            if items:  # the whole records before the damage are cleaned first
                yield Chunk(number, record - len(items), tuple(items), tuple(lines), position, nbytes)
            how = "cut off" if isinstance(exc, EOFError) else "damaged"
            raise CleanerError(f"{getattr(path, 'name', path)}: the gzip data is {how} after line "
                               f"{line_no:,} ({exc})") from None
        if items:
            yield Chunk(number, record - len(items), tuple(items), tuple(lines), position, nbytes)


#: The first bytes of gzip data, and of a Parquet file.
GZIP_MAGIC = b"\x1f\x8b"
PARQUET_MAGIC = b"PAR1"


def _not_json_lines(first: bytes, source: Path | BinaryIO) -> None:
    """A CleanerError when the first line of a JSONL input says that the data is gzip or
    Parquet: not a run of binary lines each failing as 'is the file UTF-16?', counted as
    thousands of records that are not there."""
    name = getattr(source, "name", source)
    if first.startswith(GZIP_MAGIC):
        raise CleanerError(f"{name}: holds gzip data, not JSON lines; name it .jsonl.gz or give "
                           "--format jsonl.gz")
    if first.startswith(PARQUET_MAGIC):
        how = ("name it .parquet or give --format parquet" if isinstance(source, Path)
               else "Parquet is read from a file, not a stream; give its path")
        raise CleanerError(f"{name}: holds Parquet data, not JSON lines; {how}")
#: The UTF-8 byte order mark some tools write at the start of a file (Notepad: even when empty).
UTF8_BOM = b"\xef\xbb\xbf"


def _content(raw: bytes, line_no: int) -> bool:
    """Does the line hold anything but whitespace? A byte order mark on the first line is not
    content: a file that is only a BOM, or a BOM and a blank line, has no record there.

    >>> _content(b"\\xef\\xbb\\xbf\\r\\n", 1), _content(b"\\xef\\xbb\\xbf{}", 1), _content(b" \\n", 2)
    (False, True, False)
    """
    if line_no == 1 and raw.startswith(UTF8_BOM):
        raw = raw[len(UTF8_BOM):]
    return bool(raw.strip())


def _skip_lines(handle: Any, offset: int) -> int:
    """Seek to ``offset`` (a line boundary) and return how many lines lie before it."""
    lines, done = 0, 0
    while done < offset:
        block = handle.read(min(1 << 20, offset - done))
        if not block:
            raise CleanerError(f"input is shorter than the journaled position {offset}; use --force")
        lines += block.count(b"\n")
        done += len(block)
    return lines


@contextmanager
def parquet_errors(path: Path, read: list[int] | None = None) -> Iterator[Any]:
    """pyarrow, with what it raises on a file that is not Parquet or is damaged (a JSONL file
    misnamed, an empty file, a cut-off copy) as one CleanerError that names the file (and the
    rows ``read[0]`` read before), not a traceback."""
    pa = require_pyarrow()
    try:
        yield pa
    except (pa.ArrowException, OSError) as exc:  # (a damaged page: OSError "Couldn't deserialize")
        after = f" after row {read[0]:,}" if read and read[0] else ""
        reason = " ".join(str(exc).split())  # (pyarrow's messages run over several lines)
        raise CleanerError(f"{path}: cannot be read as Parquet{after} ({reason})") from None


def _parquet_chunks(path: Path, start: int, chunk_records: int, limit: int | None,
                    footer: Any = None) -> Iterator[Chunk]:
    """Chunks of ``chunk_records`` rows, cut sooner at CHUNK_BYTES_MAX of text (rows holding
    whole pages), as JSONL's; read in batches of about that size (from the file's own measure of
    its rows), so that a chunk in flight holds about as much whatever the rows hold. The cuts
    depend on the rows from ``start`` on only: a resumed run cuts where the first run did."""
    read = [0]  # rows read, for the message on a damaged file
    with parquet_errors(path, read) as pa:
        reader = pa.parquet.ParquetFile(path, metadata=footer, buffer_size=PARQUET_BUFFER_BYTES,
                                        pre_buffer=False)
        row, number = 0, start // max(1, chunk_records)
        pending: list[dict[str, Any]] = []
        pending_bytes = 0
        first = start
        for batch in reader.iter_batches(batch_size=_batch_rows(reader.metadata, chunk_records)):
            if row + batch.num_rows <= start:
                row += batch.num_rows
                continue
            rows = rows_of(pa, batch)
            skip = max(0, start - row)
            row += batch.num_rows
            read[0] = row
            for record in rows[skip:]:
                pending.append(record)
                pending_bytes += _row_bytes(record)
                if len(pending) >= chunk_records or pending_bytes >= CHUNK_BYTES_MAX:
                    yield _parquet_chunk(number, first, pending, limit)
                    if limit is not None and first + len(pending) >= limit:
                        return
                    number, first, pending, pending_bytes = number + 1, first + len(pending), [], 0
        if pending and (limit is None or first < limit):
            yield _parquet_chunk(number, first, pending, limit)


def _batch_rows(metadata: Any, chunk_records: int) -> int:
    """Rows a batch: ``chunk_records``, fewer when the file's rows are large on average (its row
    groups' uncompressed size), so that a batch is about CHUNK_BYTES_MAX at most."""
    rows: int = metadata.num_rows
    size: int = sum(metadata.row_group(i).total_byte_size for i in range(metadata.num_row_groups))
    if rows <= 0 or size <= 0:
        return max(1, chunk_records)
    return max(1, min(chunk_records, CHUNK_BYTES_MAX * rows // size))


def _row_bytes(record: dict[str, Any]) -> int:
    return sum(len(v) for v in record.values() if isinstance(v, str | bytes))


def _parquet_chunk(number: int, first: int, rows: list[dict[str, Any]], limit: int | None) -> Chunk:
    if limit is not None:
        rows = rows[: max(0, limit - first)]
    nbytes = sum(map(_row_bytes, rows))
    lines = tuple(range(first + 1, first + len(rows) + 1))
    return Chunk(number, first, tuple(rows), lines, first + len(rows), nbytes)


def total_of(path: Path, fmt: Format, footer: Any = None) -> tuple[int | None, int | None]:
    """(records, bytes) of an input when cheap to know: Parquet rows (from ``footer``, its
    ``parquet_footer`` when read already), JSONL file size."""
    if fmt == "parquet":
        return (footer or parquet_footer(path)).num_rows, path.stat().st_size
    return None, path.stat().st_size if fmt == "jsonl" else None


#: Footers kept after they were read: a run checks every shard's columns before the first row
#: (``job._check_columns``), then reads each; more shards than this are read twice (a
#: footer of many row groups and columns holds megabytes: not one a shard for a whole run).
FOOTERS_KEPT = 8
_FOOTERS: OrderedDict[tuple[str, int, int], Any] = OrderedDict()


def parquet_footer(path: Path) -> Any:
    """A Parquet file's footer (pyarrow's FileMetaData: its rows, row groups and schema), read
    once for all a run asks of the file: how many rows (``total_of``), its schema
    (``parquet_schema``), its rows (``read_chunks``); the last FOOTERS_KEPT read are kept (by
    path, size and modification time: a file written again is read again)."""
    try:
        stat = os.stat(path)  # noqa: PTH116
        key: tuple[str, int, int] | None = (os.path.abspath(path), stat.st_size, stat.st_mtime_ns)  # noqa: PTH100
    except OSError:
        key = None  # (the read below says what is wrong)
    if key is not None and key in _FOOTERS:
        _FOOTERS.move_to_end(key)
        return _FOOTERS[key]
    with parquet_errors(path) as pa:
        footer = pa.parquet.read_metadata(path)
    if key is not None:
        _FOOTERS[key] = footer
        while len(_FOOTERS) > FOOTERS_KEPT:
            _FOOTERS.popitem(last=False)
    return footer


def parquet_schema(path: Path, footer: Any = None) -> Any:
    """The Arrow schema of a Parquet file, as ``pyarrow.parquet.read_schema`` gives it, from its
    ``footer`` when read already."""
    with parquet_errors(path) as pa:
        return pa.parquet.ParquetFile(path, metadata=footer or parquet_footer(path)).schema_arrow


def _json_kind(value: Any) -> str:
    """What a value is, in JSON's words (a record's field as its file has it).

    >>> [_json_kind(v) for v in (None, True, 7, 0.5, "x", [], {})]
    ['null', 'a boolean', 'a number', 'a number', 'a string', 'an array', 'an object']
    """
    if value is None:
        return "null"
    if isinstance(value, ArrowValue):  # (a Parquet column)
        return f"a {value.kind}"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "an object"
    return type(value).__name__  # (a Parquet column: bytes, a date, ...)


def read_record(item: Any, line: int, fmt_is_json: bool, replaced: str | None = None, strings: bool = True,
                repeated: list[str] | None = None) -> tuple[dict[str, Any], RawFields]:
    """A raw JSONL line or a Parquet row as a dict (a RecordError names the line), and where the
    line's long string fields but ``replaced`` are in it (not with ``strings=False``) and how its
    numbers are written (see json_lines); the names its line holds more than once go to
    ``repeated``."""
    if not fmt_is_json:
        for key, value in item.items():
            if type(value) is Unreadable:
                raise RecordError("unreadable_value", f"line {line}: column {key!r}: {value.reason}")
        return dict(item), {}
    if b"\x00" in item[:4096]:
        raise RecordError("bad_json", f"line {line}: NUL bytes in a JSON line; is the file UTF-16? "
                          "Convert it to UTF-8 (iconv -f UTF-16 -t UTF-8)")
    raw: RawFields = {}
    try:
        record, raw = json_lines.loads(item, replaced, strings, repeated)
    except UnicodeDecodeError:  # a line in a legacy encoding (cp1252, latin-1): read it as text
        record, raw = _legacy_json(item, line, replaced, strings, repeated)
    except json.JSONDecodeError as exc:
        raise RecordError("bad_json", f"line {line}: not valid JSON ({exc})") from None
    except ValueError as exc:  # an integer of more digits than Python reads (sys.get_int_max_str_digits)
        raise RecordError("bad_json", f"line {line}: cannot be read ({exc})") from None
    except RecursionError:
        raise _too_deep(line) from None
    if _nested_deeper(item, record):
        raise _too_deep(line)
    if not isinstance(record, dict):
        raise RecordError("bad_json", f"line {line}: {_json_kind(record)}, not an object") from None
    return record, raw


def refuse_repeated_text(names: list[str], keys: tuple[str | None, ...], where: str) -> None:
    """A RecordError (``bad_json``) for a record whose line names its text (or HTML) field, one
    of ``keys``, more than once (``names``: ``read_record``'s ``repeated``): which is the text is
    not known (JSON readers keep the last, or the first, or refuse it), and the record's other
    values would be lost. ``--rejected`` keeps its line; ``learn`` skips it, as ``clean`` fails it."""
    for name in keys:
        if name is not None and name in names:
            times = names.count(name) + 1
            raise RecordError("bad_json", f"{where}: the field {name!r} is in the line {times} times; which "
                              "one is the text is not known")


#: JSON records nested deeper than this fail (``bad_json``). Python's reader stops at its
#: recursion limit less the depth of the code that calls it, which differs between the main
#: process and a worker process: a record about 980 levels deep was cleaned by one and failed
#: by the other. Well below both, so that a record is read alike wherever it is.
MAX_JSON_DEPTH = 512


def _too_deep(line: int) -> RecordError:
    return RecordError("bad_json", f"line {line}: not read: nested more than {MAX_JSON_DEPTH} levels deep "
                       "(objects and arrays)")


def _nested_deeper(item: bytes, value: Any) -> bool:
    """Is the value of a line nested more than MAX_JSON_DEPTH levels deep? Looked at only when
    the line has that many brackets (fast, in C), then level by level without recursion.

    >>> _nested_deeper(b"[" * 600 + b"]" * 600, json.loads("[" * 600 + "]" * 600))
    True
    >>> _nested_deeper(b'{"a": [[1]], "b": "[[[["}', {"a": [[1]], "b": "[[[["})
    False
    """
    if item.count(b"[") + item.count(b"{") <= MAX_JSON_DEPTH:
        return False
    level = [value] if isinstance(value, dict | list) else []
    for _ in range(MAX_JSON_DEPTH):
        level = [child for v in level for child in (v.values() if isinstance(v, dict) else v)
                 if isinstance(child, dict | list)]
        if not level:
            return False
    return True


def _legacy_json(item: bytes, line: int, replaced: str | None,
                 strings: bool = True, repeated: list[str] | None = None) -> tuple[Any, RawFields]:
    """``read_record`` of a line that is not UTF-8, decoded as a file would be (read again as
    UTF-8, so that its numbers are written as they are, see json_lines)."""
    from ..decode import decode_bytes

    try:
        text, _encoding = decode_bytes(item, f"line {line}")
        return json_lines.loads(text.encode("utf-8", "surrogatepass"), replaced, strings, repeated)
    except CleanerError as exc:
        raise RecordError("bad_json", f"line {line}: not valid UTF-8 JSON ({exc})") from None
    except json.JSONDecodeError as exc:
        raise RecordError("bad_json", f"line {line}: not valid JSON ({exc})") from None
    except ValueError as exc:  # (as in read_record)
        raise RecordError("bad_json", f"line {line}: cannot be read ({exc})") from None
    except RecursionError:
        raise _too_deep(line) from None


def record_text(
    record: dict[str, Any], line: int, text_key: str, id_key: str | None, html_key: str | None,
    where: str | None = None,
) -> tuple[str | None, str | bytes, bool]:
    """(id, text or HTML, is_html) of a record; a RecordError names the line and the keys, or
    says ``where`` when given (a dataset run names the id as its line writes it: 1e400, not inf).
    The text is bytes from a Parquet binary column (strings as Hive, Impala and older Spark write
    them, without the UTF-8 mark): to be decoded as a file's bytes are."""
    doc_id = record.get(id_key) if id_key else None
    if where is None:
        where = f"line {line}" + (f" (id {doc_id})" if doc_id is not None else "")
    key, is_html = text_key, False
    if html_key and record.get(html_key) is not None:
        key, is_html = html_key, True
    # an HTML field that is there but null sends the record to its text field: say so, or
    # "no 'text' or 'html' field (keys: 'id', 'html')" contradicts itself
    null_html = f"{html_key!r} is null and " if html_key and not is_html and html_key in record else ""
    if key not in record:
        wanted = f"{text_key!r}" + (f" or {html_key!r}" if html_key and not null_html else "")
        keys = ", ".join(map(repr, record)) or "none"
        missing = f"{null_html}there is no {wanted} field" if null_html else f"no {wanted} field"
        raise RecordError("missing_text", f"{where}: {missing} (keys: {keys}); try --text-key")
    value = record[key]
    if isinstance(value, bytes):
        return (None if doc_id is None else str(doc_id)), value, is_html
    if not isinstance(value, str) or isinstance(value, ArrowValue):
        raise RecordError("text_not_string", f"{where}: {null_html}{key!r} is {_json_kind(value)}, not a string")
    return (None if doc_id is None else str(doc_id)), value, is_html
