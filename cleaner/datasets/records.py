"""The per-chunk work: plain data plus a CleanConfig in, serialized output lines and counts
out. Module-level functions of picklable values, so process pools and Dask can run them.

Every record ends as exactly one of: written, rejected (with a reason code) or failed (with a
reason code and a one-line message naming its line and id).
"""

from __future__ import annotations

import base64
import gzip
import traceback
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from ..config import CleanConfig
from ..errors import CleanerError
from ..models import CleanResult
from .arrow_values import Unreadable
from .formats import Chunk, Oversized, RecordError, read_record, record_text, refuse_repeated_text
from .json_lines import (BYTES_KEY, RawFields, beyond_double, dumps, dumps_record, encode, escape_surrogates,
                         is_unicode)

#: Name of the field that receives the sidecar (unless --sidecar FILE is given).
SIDECAR_KEY = "cleaner"
#: Name of the field that says why a record is in the --rejected file.
REJECTED_KEY = "cleaner_rejected"
#: Counted under "warnings" (the run warns once of each, with its count, see ``warnings_of``):
#: records whose line names a field twice (the last value is kept: the others are lost), and
#: records that had a field cleaner writes (SIDECAR_KEY; REJECTED_KEY in --rejected), not
#: null, which its own replaced.
REPEATED_FIELDS = "repeated_fields"
FIELDS_REPLACED = "fields_replaced"


@dataclass(frozen=True, slots=True)
class RecordSpec:
    """How records are read, filtered and written. Plain data: it pickles."""

    config: CleanConfig
    text_key: str = "text"
    id_key: str | None = None
    html_key: str | None = None
    languages: frozenset[str] = frozenset()
    min_chars: int = 0
    input_json: bool = True  # items are JSONL lines (else Parquet row dicts)
    output_parquet: bool = False  # output rows as dicts (sidecar as a JSON string)
    sidecar_inline: bool = True  # the sidecar goes into SIDECAR_KEY (else separate lines)
    gzip_output: bool = False
    gzip_sidecars: bool = False
    gzip_rejected: bool = False


@dataclass(slots=True)
class ChunkResult:
    """What one chunk produced, already serialized (in the order of the input)."""

    number: int
    records: int
    position: int
    nbytes: int
    output: bytes | list[dict[str, Any]]
    sidecars: bytes
    rejected: bytes
    errors: list[str]
    counts: dict[str, Any] = field(default_factory=dict)
    #: tracebacks of internal errors (logged by the parent at -vv: a worker has no console)
    traces: list[str] = field(default_factory=list)
    #: Parquet output from JSON records, a chunk that writes no row: the schema its rejected and
    #: failed records would have given as rows (see ``unwritten_row``), else None
    columns: Any = None


def added_fields(spec: RecordSpec) -> tuple[str, ...]:
    """The fields every written record has whatever the input held: the clean text (a new
    field for an HTML record) and, unless ``--sidecar FILE``, the sidecar."""
    return (spec.text_key, SIDECAR_KEY) if spec.sidecar_inline else (spec.text_key,)


#: Reason code of a record whose cleaning killed the worker process (see runner.PoolExecutor).
WORKER_CRASHED = "worker_crashed"


def process_chunk(chunk: Chunk, spec: RecordSpec, crashed: frozenset[int] = frozenset()) -> ChunkResult:
    """Clean every record of a chunk. Deterministic: same chunk, same bytes. The records at
    the positions ``crashed`` (0-based, in the chunk) are not cleaned: they fail, as records
    whose cleaning killed a worker process."""
    rows: list[dict[str, Any]] = []
    out_lines: list[bytes] = []
    side_lines: list[bytes] = []
    rejected: list[bytes] = []
    errors: list[str] = []
    traces: list[str] = []
    unwritten: list[dict[str, Any]] = []  # until a row is written (see ChunkResult.columns)
    keep_columns = spec.output_parquet and spec.input_json
    counts = new_counts()
    for index, (item, line) in enumerate(zip(chunk.items, chunk.lines, strict=True)):
        counts["documents"]["in"] += 1
        where = f"line {line}"
        record: dict[str, Any] | None = None
        if index in crashed:
            _fail(counts, errors, rejected, item, line, WORKER_CRASHED,
                  f"{where}: the worker process cleaning it died (a crash inside a library); left out", spec)
            continue
        try:
            if isinstance(item, Oversized):
                raise RecordError(
                    "too_large",
                    f"line {line}: a record of {item.nbytes:,} bytes is over the limit of "
                    f"{spec.config.max_input_bytes:,} (raise it with --max-input-bytes); not read",
                )
            # (a Parquet output copies no string from the line: only its numbers are looked at)
            repeated: list[str] = []
            record, raw = read_record(item, line, spec.input_json, replaced=spec.text_key,
                                      strings=not spec.output_parquet, repeated=repeated)
            if spec.id_key and record.get(spec.id_key) is not None:
                where = f"line {line} (id {_id_text(record, raw, spec.id_key)})"
            elif spec.id_key:  # (named by its line only: counted, for one warning of the run)
                counts["ids"]["missing"] += 1
            if repeated:
                refuse_repeated_text(repeated, (spec.text_key, spec.html_key), where)
                counts["warnings"][REPEATED_FIELDS] += 1
            if keep_columns:
                _check_names(record, where)
                if raw:
                    _check_doubles(raw, where)
            _, text, is_html = record_text(record, line, spec.text_key, spec.id_key, spec.html_key, where)
            doc_id = record.get(spec.id_key) if spec.id_key else None  # (its JSON type kept: 7 is not "7")
            result = _clean(text, is_html, where, spec.config)
        except CleanerError as exc:
            if keep_columns and record is not None and not rows:
                unwritten.append(unwritten_row(record, spec))
            message = str(exc) if str(exc).startswith(where) else f"{where}: {exc}"
            _fail(counts, errors, rejected, item, line, exc.reason, message, spec)
            continue
        except Exception as exc:  # a bug must not stop the run: the record fails with its reason
            if keep_columns and record is not None and not rows:
                unwritten.append(unwritten_row(record, spec))
            traces.append(f"internal error on line {line}\n{traceback.format_exc().rstrip()}")
            _fail(
                counts,
                errors,
                rejected,
                item,
                line,
                "internal_error",
                f"line {line}: internal error ({type(exc).__name__}: {exc}); please report it",
                spec,
            )
            continue
        count_result(counts, result)
        reason = _rejection(result, spec)
        sidecar = result.sidecar
        if reason is not None:
            if keep_columns and not rows:
                unwritten.append(unwritten_row(record, spec))
            counts["documents"]["rejected"] += 1
            counts["rejected"][reason[0]] += 1
            if record.get(SIDECAR_KEY) is not None or record.get(REJECTED_KEY) is not None:
                counts["warnings"][FIELDS_REPLACED] += 1
            record[spec.text_key] = result.text
            record[SIDECAR_KEY] = sidecar
            record[REJECTED_KEY] = {
                "status": "rejected",
                "reason": reason[0],
                "detail": reason[1],
                "line": line,
            }
            rejected.append(_record_line(record, raw))
            continue
        counts["documents"]["written"] += 1
        record[spec.text_key] = result.text
        if spec.sidecar_inline:
            if record.get(SIDECAR_KEY) is not None:
                counts["warnings"][FIELDS_REPLACED] += 1
            record[SIDECAR_KEY] = escape_surrogates(dumps(sidecar)) if spec.output_parquet else sidecar
        else:
            kept_id = raw.get(spec.id_key) if spec.id_key else None  # (its numbers as written)
            side_lines.append(dumps_record({"id": doc_id, "line": line, **sidecar},
                                           {"id": kept_id} if kept_id else None) + b"\n")
        if spec.output_parquet:
            rows.append(record)
        else:
            out_lines.append(_record_line(record, raw))
    output: bytes | list[dict[str, Any]] = rows if spec.output_parquet else _pack(out_lines, spec.gzip_output)
    return ChunkResult(
        chunk.number,
        len(chunk.items),
        chunk.position,
        chunk.nbytes,
        output,
        _pack(side_lines, spec.gzip_sidecars),
        _pack(rejected, spec.gzip_rejected),
        errors,
        freeze_counts(counts),
        traces,
        _columns_of(unwritten) if unwritten and not rows else None,
    )


def _id_text(record: dict[str, Any], raw: RawFields, key: str) -> str:
    """The id of a record as messages show it: a string as it is, anything else as its JSON
    in the line when that is not the JSON of its value (1e5, not 100000.0)."""
    value, kept = record[key], raw.get(key)
    if kept is None or isinstance(value, str):
        return str(value)
    return kept[1][kept[2]:kept[3]].decode("utf-8")


def _check_doubles(raw: RawFields, where: str) -> None:
    """A RecordError for a record with a number no Parquet double holds (1E400), which its
    row would hold as infinity (as null in a column of text): the record fails, and
    ``--rejected`` keeps its line."""
    found = beyond_double(raw)
    if found is not None:
        raise RecordError(
            "number_out_of_range",
            f"{where}: field {found[0]!r} holds the number {found[1]}, beyond the range of a Parquet double "
            "(write JSONL to keep it)",
        )


def warnings_of(counts: dict[str, dict[str, int]]) -> list[str]:
    """What a run warns of, once each, from its counts (see REPEATED_FIELDS).

    >>> [m[:40] for m in warnings_of({"warnings": {"repeated_fields": 2, "fields_replaced": 1}})]
    ["1 record had a field named 'cleaner' (or", '2 records named a field more than once i']
    """
    found = counts.get("warnings", {})
    messages = []
    if found.get(FIELDS_REPLACED):
        messages.append(f"{_records(found[FIELDS_REPLACED])} had a field named {SIDECAR_KEY!r} (or "
                        f"{REJECTED_KEY!r}), replaced by cleaner's; its value is lost (--sidecar FILE keeps "
                        "it in written records)")
    if found.get(REPEATED_FIELDS):
        messages.append(f"{_records(found[REPEATED_FIELDS])} named a field more than once in the JSON line; "
                        "such a field is written with its last value only (as JSON readers read it): the "
                        "values before it are lost")
    return messages


def _records(n: int) -> str:
    return f"{n:,} record" + ("" if n == 1 else "s")


def _check_names(record: dict[str, Any], where: str) -> None:
    """A RecordError for a record with a field whose name is not valid Unicode (a lone surrogate
    escape, "\\ud800": JSON allows it), which no Parquet column can be named: the record fails,
    and ``--rejected`` keeps its line (it stopped the run, every record cleaned). Inside a
    field, such a name makes the field a column of text (parquet_rows.kind_of)."""
    for key in record:
        if not (key.isascii() or is_unicode(key)):
            raise RecordError(
                "bad_field_name",
                f"{where}: the field name {key!r} is not valid Unicode (a lone surrogate), which a "
                "Parquet column's name must be (write JSONL to keep it)",
            )



def unwritten_row(record: dict[str, Any], spec: RecordSpec) -> dict[str, Any]:
    """A record that is not written, as the Parquet row it would have been, for its columns:
    the fields it has, in its order (not one whose name no column can have: _check_names), and
    the added ones as text (their type in any row)."""
    row = {key: value for key, value in record.items() if key.isascii() or is_unicode(key)}
    row[spec.text_key] = ""
    if spec.sidecar_inline:
        row[SIDECAR_KEY] = ""
    return row


def _columns_of(rows: list[dict[str, Any]]) -> Any:
    """The schema of these rows as a Parquet chunk file (``parquet_rows.table_of``)."""
    from .formats import require_pyarrow
    from .parquet_rows import table_of

    return table_of(require_pyarrow(), rows).schema


def _clean(text: str | bytes, is_html: bool, source: str, config: CleanConfig) -> CleanResult:
    """The record's text cleaned, under the limits of its settings: ``clean_text`` and
    ``clean_html`` refuse a text over ``max_input_bytes`` characters (``too_large``) and keep
    ``doc_timeout``, as for any caller. Bytes (a Parquet binary column) are decoded as a file's
    are, by ``clean_bytes`` (binary data fails as ``binary``)."""
    from ..pipeline import clean_bytes, clean_html, clean_text

    if isinstance(text, bytes):
        return clean_bytes(text, config, source=source, is_html=is_html or config.html == "always")
    if is_html or config.html == "always":
        return clean_html(text, config, source=source)
    return clean_text(text, config, source=source)


def _rejection(result: CleanResult, spec: RecordSpec) -> tuple[str, str] | None:
    if spec.languages and result.language not in spec.languages:
        found = result.language or "unknown"
        return "language", f"language {found} is not one of {','.join(sorted(spec.languages))}"
    if spec.min_chars and len(result.text) < spec.min_chars:
        return "too_short", f"{len(result.text)} characters after cleaning, fewer than {spec.min_chars}"
    return None


def _fail(
    counts: dict[str, Any],
    errors: list[str],
    rejected: list[bytes],
    item: Any,
    line: int,
    reason: str,
    message: str,
    spec: RecordSpec,
) -> None:
    counts["documents"]["failed"] += 1
    counts["failed"][reason] += 1
    errors.append(message)
    entry: dict[str, Any] = {
        REJECTED_KEY: {"status": "failed", "reason": reason, "detail": message, "line": line}
    }
    if isinstance(item, Oversized):
        entry["raw_bytes"] = item.nbytes  # too large to copy: its size and line say where it is
    elif spec.input_json:
        entry["raw"] = raw_line(item)
    else:  # (a Parquet row: a value that could not be read is null, the detail says why)
        entry.update({k: None if type(v) is Unreadable else v for k, v in item.items() if k != REJECTED_KEY})
        if item.get(REJECTED_KEY) is not None:  # (its own: replaced, as a rejected record's is)
            counts["warnings"][FIELDS_REPLACED] += 1
    rejected.append(_line(entry))


def raw_line(item: bytes) -> str | dict[str, str]:
    """A failed record's line as ``--rejected`` keeps it (without its newline): its text, or
    when it is not UTF-8 (a line in cp1252, binary garbage) its bytes as JSON holds bytes,
    ``{"$base64": ...}``: decoded with U+FFFD for what was not UTF-8, the line was lost.

    >>> raw_line(b'{"a": "\\xc3\\xa9"}\\n'), raw_line(b'{"a": "\\xe9"}\\n')
    ('{"a": "é"}', {'$base64': 'eyJhIjogIukifQ=='})
    """
    line = item.rstrip(b"\n")
    try:
        return line.decode("utf-8")
    except UnicodeDecodeError:
        return {BYTES_KEY: base64.b64encode(line).decode("ascii")}


def count_result(counts: dict[str, Any], result: CleanResult) -> None:
    for removal in result.removed:
        counts["removed"][removal.kind] += 1
        for name in removal.rules:
            counts["rules"][name] += 1
    counts["languages"][result.language or "unknown"] += 1
    counts["chars"]["in"] += result.stats.get("chars_in", 0)
    counts["chars"]["out"] += result.stats.get("chars_out", 0)


def new_counts() -> dict[str, Counter[str]]:
    return {
        k: Counter() for k in ("documents", "rejected", "failed", "removed", "rules", "languages", "chars",
                               "ids", "warnings")
    }


def freeze_counts(counts: dict[str, Counter[str]]) -> dict[str, dict[str, int]]:
    return {k: dict(sorted(v.items())) for k, v in counts.items()}


def _line(value: Any) -> bytes:
    return encode(dumps(value)) + b"\n"


def _record_line(record: dict[str, Any], raw: RawFields) -> bytes:
    """An output record: unchanged long fields are copied from the input line, not encoded again."""
    return dumps_record(record, raw) + b"\n"


def _pack(lines: list[bytes], compress: bool) -> bytes:
    """Lines as bytes; gzip output is one deterministic gzip member per chunk."""
    data = b"".join(lines)
    if compress and data:
        return gzip.compress(data, compresslevel=6, mtime=0)
    return data
