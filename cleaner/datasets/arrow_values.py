"""Parquet values as Python values, also those Python's types cannot hold.

``to_pylist`` raises on a whole column when one value does not fit a Python type: a date,
time or duration in nanoseconds (as pandas writes timestamps), a year beyond 9999, a duration
beyond ``timedelta``'s range, at the top level or inside a list, struct or map. Such a value is
an :class:`ArrowValue`: its text for JSON, and the value itself for a Parquet output, which
gets it back unchanged (see :func:`stored`). A value that cannot be read at all (a timestamp of
a time zone Python does not know) is :class:`Unreadable`: its record fails, not the run.
"""

from __future__ import annotations

from typing import Any


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


class Unreadable:
    """Stands for a row's field that cannot be read (``reason`` says why): its record fails
    with ``unreadable_value``, the other rows are read."""

    __slots__ = ("reason",)

    def __init__(self, reason: str) -> None:
        self.reason = reason

    def __reduce__(self) -> Any:
        return Unreadable, (self.reason,)


def column_values(pa: Any, column: Any) -> list[Any]:
    """A column's values as ``to_pylist`` gives them, with an :class:`ArrowValue` for each date,
    time or duration Python cannot hold, at any depth (in lists, structs, maps). Raises what
    pyarrow raises on a value that cannot be read otherwise (see ``rows_of``).

    >>> import pyarrow as pa
    >>> ns = pa.timestamp("ns", "UTC")
    >>> column_values(pa, pa.array([[1_700_000_000_123_456_789], None, []], pa.list_(ns)))
    [['2023-11-14 22:13:20.123456789+00:00'], None, []]
    >>> column_values(pa, pa.array([{"at": -1_001}], pa.struct([("at", pa.duration("ns"))])))
    [{'at': '-1 day, 23:59:59.999998999'}]
    >>> column_values(pa, pa.array([5, 5], pa.time64("ns")).dictionary_encode())
    ['00:00:00.000000005', '00:00:00.000000005']
    """
    try:
        return column.to_pylist()  # type: ignore[no-any-return]
    except (ValueError, OverflowError):
        pass
    kind = column.type
    if pa.types.is_temporal(kind):
        return temporal_values(pa, column)
    if pa.types.is_dictionary(kind):
        return column_values(pa, column.dictionary_decode())
    if pa.types.is_struct(kind):
        names = [kind.field(i).name for i in range(kind.num_fields)]
        fields = [column_values(pa, child) for child in column.flatten()]
        return [dict(zip(names, values, strict=True)) if valid else None
                for valid, *values in zip(column.is_valid().to_pylist(), *fields, strict=True)]
    if pa.types.is_map(kind):  # (a list of (key, value) pairs, as to_pylist gives a map)
        entries = pa.list_(pa.field("entries", pa.struct([kind.key_field, kind.item_field]), nullable=False))
        listed = column_values(pa, column.cast(entries))
        return [None if pairs is None else [(pair["key"], pair["value"]) for pair in pairs]
                for pairs in listed]
    if pa.types.is_list(kind) or pa.types.is_large_list(kind) or pa.types.is_fixed_size_list(kind):
        import pyarrow.compute as pc  # (only here: a rare column; its import costs time)

        items = column_values(pa, pc.list_flatten(column))
        values: list[Any] = []
        start = 0
        for length in pc.list_value_length(column).to_pylist():
            values.append(None if length is None else items[start:start + length])
            start += length or 0
        return values
    return column.to_pylist()  # type: ignore[no-any-return]  # (raises again: rows_of says on which rows)


def rows_of(pa: Any, batch: Any) -> list[dict[str, Any]]:
    """A record batch's rows as dicts (see ``column_values``). A column that still cannot be
    read is read row by row: a value that cannot is :class:`Unreadable`, saying why."""
    try:
        return batch.to_pylist()  # type: ignore[no-any-return]
    except _UNREADABLE:
        pass
    columns: list[list[Any]] = []
    for column in batch.columns:
        try:
            columns.append(column_values(pa, column))
        except _UNREADABLE:
            columns.append([_value_or_reason(pa, column.slice(i, 1)) for i in range(len(column))])
    names = batch.schema.names
    return [dict(zip(names, values, strict=True)) for values in zip(*columns, strict=True)]


#: What pyarrow and Python's types raise on a value they cannot give (a time zone Python does
#: not know is a KeyError, from pytz or zoneinfo).
_UNREADABLE: tuple[type[BaseException], ...] = (
    ValueError, OverflowError, LookupError, TypeError, ArithmeticError, NotImplementedError)


def _value_or_reason(pa: Any, one: Any) -> Any:
    try:
        return column_values(pa, one)[0]
    except _UNREADABLE as exc:
        name = type(exc).__name__
        return Unreadable(f"its {one.type} value cannot be read ({name}: {' '.join(str(exc).split())})")


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


def stored(value: Any) -> Any:
    """A row (or any value of one) with each :class:`ArrowValue`, at any depth, as the integer
    its Parquet column stores.

    >>> nanos = ArrowValue("00:00:00.000000008", 8, "time64[ns]")
    >>> stored({"a": ArrowValue("0:00:00.000000007", 7, "duration[ns]"), "b": [{"c": nanos}], "d": 1})
    {'a': 7, 'b': [{'c': 8}], 'd': 1}
    """
    if isinstance(value, ArrowValue):
        return value.value
    if isinstance(value, dict):
        return {k: stored(v) for k, v in value.items()}
    if isinstance(value, list):
        return [stored(v) for v in value]
    if isinstance(value, tuple):  # (a map's pair)
        return tuple(stored(v) for v in value)
    return value
