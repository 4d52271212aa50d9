"""Records as Arrow tables for Parquet output, without losing a field.

Parquet wants one type a column; JSON records need not agree. Written from JSONL, a table has
a column for every field any record of the chunk has (in the order they first appear), and a
field whose values do not fit one Arrow type (an id that is a number here and a string there)
is written as text: strings as they are, other values as their JSON. When chunks disagree on a
field's type, the merged file takes the type both promote to, or text in the same way. A lone
surrogate (from a "\\ud83d" escape in JSON) becomes U+FFFD: Parquet strings are UTF-8.

Read from Parquet, a date or time that Python's ``datetime`` cannot hold (nanoseconds, as pandas
writes timestamps; a year beyond 9999) is an :class:`ArrowValue`: its text for JSON, and the
value itself for a Parquet output, which gets it back unchanged.
"""

from __future__ import annotations

from typing import Any

from .json_lines import dumps, without_surrogates

#: What pyarrow raises for values it cannot put in one column.
_MIXED = ("ArrowInvalid", "ArrowTypeError", "ArrowNotImplementedError")


class ArrowValue(str):
    """A date, time or duration of a Parquet column that Python's ``datetime`` types cannot
    hold exactly (``2024-01-02 12:00:00.123456789+00:00``; a year beyond 9999): a string, as
    JSON output writes it, that keeps the column's integer in ``value`` and its type's name in
    ``kind``, so that a Parquet output stores the value unchanged (see ``stored``)."""

    value: int
    kind: str

    def __new__(cls, text: str, value: int, kind: str) -> ArrowValue:
        made = super().__new__(cls, text)
        made.value, made.kind = value, kind
        return made

    def __reduce__(self) -> Any:  # (to worker processes: with its value)
        return ArrowValue, (str(self), self.value, self.kind)


def temporal_values(pa: Any, column: Any) -> list[Any]:
    """A date, time or duration column as Python values: ``datetime`` objects as
    ``to_pylist`` gives them, and an :class:`ArrowValue` for each value they cannot hold (the
    column's ``to_pylist`` raises on one such value: nanoseconds, a year beyond 9999).

    >>> import pyarrow as pa
    >>> ts = pa.array([1_700_000_000_123_456_789, 1_700_000_000_000_000_000, None], pa.timestamp("ns", "UTC"))
    >>> [str(v) if v else v for v in temporal_values(pa, ts)]  # (an ArrowValue, a datetime, None)
    ['2023-11-14 22:13:20.123456789+00:00', '2023-11-14 22:13:20+00:00', None]
    >>> temporal_values(pa, pa.array([-1_001], pa.duration("ns")))
    ['-1 day, 23:59:59.999998999']
    >>> temporal_values(pa, pa.array([3_000_000], pa.date32()))
    ['10183-09-21']
    """
    kind = column.type
    storage = column.view(pa.int64() if kind.bit_width == 64 else pa.int32()).to_pylist()
    values: list[Any] = []
    for scalar, value in zip(column, storage, strict=True):
        try:
            values.append(scalar.as_py())
        except (ValueError, OverflowError):
            values.append(ArrowValue(_text_of(pa, kind, value, scalar), value, str(kind)))
    return values


def _text_of(pa: Any, kind: Any, value: int, scalar: Any) -> str:
    """The text of a value ``as_py`` cannot give: a nanosecond one as Python writes the
    microseconds, and its last three digits after them; another one as Arrow writes it."""
    text: str
    if getattr(kind, "unit", None) == "ns":
        micro, nanos = divmod(value, 1000)
        if pa.types.is_timestamp(kind):
            text = pa.scalar(micro, pa.timestamp("us", kind.tz)).as_py().isoformat(" ", "microseconds")
            return text[:26] + f"{nanos:03d}" + text[26:]  # (after "YYYY-MM-DD hh:mm:ss.ffffff")
        if pa.types.is_time(kind):
            text = pa.scalar(micro, pa.time64("us")).as_py().isoformat("microseconds")
            return text + f"{nanos:03d}"
        if pa.types.is_duration(kind):
            text = str(pa.scalar(micro, pa.duration("us")).as_py())
            return (text if "." in text else text + ".000000") + f"{nanos:03d}"
    text = pa.array([scalar], kind).cast(pa.string())[0].as_py()
    return text if text and not text.startswith("<") else str(value)  # ("<value out of range: ...>")


def stored(row: dict[str, Any]) -> dict[str, Any]:
    """A row with each :class:`ArrowValue` as the integer its Parquet column stores."""
    return {k: v.value if isinstance(v, ArrowValue) else v for k, v in row.items()}


def _mixed_errors(pa: Any) -> tuple[type[BaseException], ...]:
    """... and OverflowError: an integer beyond 64 bits."""
    return (*(getattr(pa, name) for name in _MIXED), OverflowError)


def as_text(values: list[Any]) -> list[str | None]:
    """A column of mixed values as text: strings as they are, other values as JSON.

    >>> as_text(["b", 1, None, {"a": [1]}, True])
    ['b', '1', None, '{"a":[1]}', 'true']
    """
    return [None if v is None else v if isinstance(v, str) else dumps(v) for v in values]


def table_of(pa: Any, rows: list[dict[str, Any]], schema: Any = None) -> Any:
    """The rows as a table: with ``schema`` (a Parquet input's, plus the added columns) as it
    says, else every field of every row, each column as one type or as text."""
    if schema is not None:
        retried: tuple[type[BaseException], ...] = (UnicodeEncodeError, *_mixed_errors(pa))
        try:
            return pa.Table.from_pylist(rows, schema=schema)
        except retried:  # (a lone surrogate; an ArrowValue)
            return pa.Table.from_pylist([without_surrogates(stored(row)) for row in rows], schema=schema)
    names = dict.fromkeys(name for row in rows for name in row)
    return pa.table({name: _column(pa, [row.get(name) for row in rows]) for name in names})


def with_text_fields(pa: Any, schema: Any, names: Any) -> Any:
    """``schema`` and, after its fields, each of ``names`` it lacks as a text column (the
    fields cleaner adds to a record: the clean text, the sidecar as a JSON string).

    >>> import pyarrow as pa
    >>> with_text_fields(pa, pa.schema([("text", pa.large_string())]), ["text", "cleaner"]).names
    ['text', 'cleaner']
    """
    for name in names:
        if name not in schema.names:
            schema = schema.append(pa.field(name, pa.string()))
    return schema


def _column(pa: Any, values: list[Any]) -> Any:
    try:
        column = pa.array(values)
    except UnicodeEncodeError:
        return _column(pa, without_surrogates(values))
    except _mixed_errors(pa):
        column = None
    if column is None or not _storable(pa, column.type):
        return pa.array(without_surrogates(as_text(values)), type=pa.string())
    return column


def _storable(pa: Any, kind: Any) -> bool:
    """Can Parquet store this type? Not a struct without fields (what ``{}`` becomes).

    >>> import pyarrow as pa
    >>> _storable(pa, pa.array([{"a": [{}]}]).type), _storable(pa, pa.array([{"a": 1}]).type)
    (False, True)
    """
    if pa.types.is_struct(kind):
        return kind.num_fields > 0 and all(_storable(pa, kind.field(i).type) for i in range(kind.num_fields))
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        return bool(_storable(pa, kind.value_type))
    return True


def unified_schema(pa: Any, schemas: list[Any]) -> Any:
    """One schema for chunk files that may disagree: each field's types promoted to one, or
    text when they cannot be (a field is never dropped)."""
    try:
        return pa.unify_schemas(schemas, promote_options="permissive")
    except _mixed_errors(pa):
        pass
    types: dict[str, list[Any]] = {}
    for schema in schemas:
        for field in schema:
            types.setdefault(field.name, []).append(field.type)
    fields = []
    for name, kinds in types.items():
        try:
            merged = pa.unify_schemas([pa.schema([pa.field(name, kind)]) for kind in kinds],
                                      promote_options="permissive").field(name).type
        except _mixed_errors(pa):
            merged = pa.string()
        fields.append(pa.field(name, merged))
    return pa.schema(fields)


def conform(pa: Any, table: Any, schema: Any) -> Any:
    """A table with exactly ``schema``'s columns (missing ones null), in its order and types;
    a column that cannot be cast to a text column is written as text."""
    columns = []
    for field in schema:
        if field.name not in table.column_names:
            columns.append(pa.nulls(table.num_rows, type=field.type))
            continue
        column = table.column(field.name)
        if column.type == field.type:
            columns.append(column)
        elif field.type == pa.string() and not (pa.types.is_string(column.type)
                                                or pa.types.is_large_string(column.type)):
            columns.append(pa.array(as_text(column.to_pylist()), type=pa.string()))
        else:
            columns.append(column.cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)
