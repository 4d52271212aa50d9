"""Records as Arrow tables for Parquet output, without losing a field.

Parquet wants one type a column; JSON records need not agree. Written from JSONL, a column's
type is decided from the values of every record of the output file, never from the records of
one chunk, so that the file is the same for any ``--chunk-size`` and ``--workers`` (see
:func:`kind_of` and :func:`join`): null fits any type; booleans, integers, floats and strings
are columns of their type, integers and floats together a column of doubles (unless one integer
is beyond 2**53, which no double holds exactly); lists are lists of what their items join to,
objects structs of every key seen (in the order first seen; a key a record lacks is null). A
field whose values join to nothing else (a number here and a string there, a boolean and a
number, an integer beyond 64 bits, objects that are all empty) is a column of text: strings as
they are, other values as their JSON (as the record held them: ``1``, not the ``1.0`` a column
of doubles would make of it; NaN and infinity, which JSON has not, as null). Each chunk file
keeps what its fields joined to (``KINDS_KEY`` in its schema's metadata), and the text of the
values its own column changed (``1`` stored as ``1.0``) for when the whole file's column is
text; the merge then converts each chunk to the file's types. A lone surrogate (from a
"\\ud83d" escape in JSON) becomes U+FFFD: Parquet strings are UTF-8.

Read from Parquet, a date or time that Python's ``datetime`` cannot hold (nanoseconds, as pandas
writes timestamps; a year beyond 9999) is an ``arrow_values.ArrowValue``: its text for JSON,
and the value itself for a Parquet output, which gets it back unchanged.
"""

from __future__ import annotations

import json
import math
from typing import Any

from .arrow_values import stored
from .json_lines import dumps, is_unicode, without_surrogates

#: What pyarrow raises for values it cannot put in one column.
_MIXED = ("ArrowInvalid", "ArrowTypeError", "ArrowNotImplementedError")


def _mixed_errors(pa: Any) -> tuple[type[BaseException], ...]:
    """... and OverflowError: an integer beyond 64 bits."""
    return (*(getattr(pa, name) for name in _MIXED), OverflowError)


def as_text(values: list[Any]) -> list[str | None]:
    """A column of mixed values as text: strings as they are, other values as JSON (NaN and
    infinity, which JSON has not, as null, as JSON output writes them).

    >>> as_text(["b", 1, None, {"a": [1]}, True, float("nan")])
    ['b', '1', None, '{"a":[1]}', 'true', None]
    """
    return [None if v is None or (type(v) is float and not math.isfinite(v))
            else v if isinstance(v, str) else dumps(v) for v in values]


#: The key of a chunk file's schema metadata that says what its fields joined to, and which of
#: its columns hold the text of a field whose own column changed its values (JSON).
KINDS_KEY = b"cleaner.kinds"

#: What a JSON value is, for its column (see kind_of); a list is ("list", its items' kind), an
#: object ("struct", ((key, kind), ...)). TEXT: a column of text, whatever else comes.
NULL, BOOL, INT, BIG_INT, FLOAT, STRING, TEXT = "null", "bool", "int", "bigint", "float", "string", "text"
#: Integers a double holds exactly (beyond them, an integer and a float make a text column).
_EXACT_IN_DOUBLE = 2**53
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_LIST_OF = {float: ("list", FLOAT), str: ("list", STRING)}
_FLOAT_OR_NONE = {float, type(None)}


def kind_of(value: Any) -> Any:
    """What a value of a JSON record is, as a column: TEXT when it fits no Parquet type of its
    own (a list of a number and a string, an integer beyond 64 bits, an object with a key that
    is no Unicode, a value nested beyond Python's recursion limit).

    >>> kind_of({"a": [1, 2.5], "b": None}), kind_of([1, "x"]), kind_of(2**60), kind_of([])
    (('struct', (('a', ('list', 'float')), ('b', 'null'))), 'text', 'bigint', ('list', 'null'))
    """
    try:
        return _kind(value)
    except RecursionError:
        return TEXT


def _kind(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return STRING
    if value is None:
        return NULL
    if kind is bool:
        return BOOL
    if kind is int:
        if -_EXACT_IN_DOUBLE <= value <= _EXACT_IN_DOUBLE:
            return INT
        return BIG_INT if _INT64_MIN <= value <= _INT64_MAX else TEXT
    if kind is float:
        return FLOAT
    if kind is list:
        if not value:
            return ("list", NULL)
        types = set(map(type, value))
        if len(types) == 1 and next(iter(types)) in _LIST_OF:  # (an embedding: no walk item by item)
            return _LIST_OF[next(iter(types))]
        item = join_all(dict.fromkeys(map(_kind, value)))
        return TEXT if item == TEXT else ("list", item)
    if kind is dict:
        fields = []
        for key, item in value.items():
            child = _kind(item)
            if child == TEXT or not (key.isascii() or is_unicode(key)):
                return TEXT
            fields.append((key, child))
        return ("struct", tuple(fields))
    return STRING if isinstance(value, str) else TEXT



def join(a: Any, b: Any) -> Any:
    """The kind of a column holding values of kinds ``a`` and ``b``: associative, so that the
    kind of a file's column is the same however its records are cut into chunks. A struct has
    the keys of both, in the order first seen; TEXT takes all.

    >>> join("int", "float"), join("bigint", "float"), join("null", ("list", "int")), join("bool", "int")
    ('float', 'text', ('list', 'int'), 'text')
    >>> join(("struct", (("a", "int"),)), ("struct", (("b", "string"), ("a", "float"))))
    ('struct', (('a', 'float'), ('b', 'string')))
    """
    if a == b or b == NULL:
        return a
    if a == NULL:
        return b
    if type(a) is str or type(b) is str or a[0] != b[0]:
        pair = {a, b}
        if pair == {INT, FLOAT}:
            return FLOAT
        return BIG_INT if pair == {INT, BIG_INT} else TEXT
    if a[0] == "list":
        item = join(a[1], b[1])
        return TEXT if item == TEXT else ("list", item)
    fields = dict(a[1])
    for name, kind in b[1]:
        fields[name] = joined = join(fields[name], kind) if name in fields else kind
        if joined == TEXT:
            return TEXT
    return ("struct", tuple(fields.items()))


def join_all(kinds: Any) -> Any:
    """The join of some kinds (NULL for none)."""
    joined = NULL
    for kind in kinds:
        joined = join(joined, kind)
        if joined == TEXT:
            break
    return joined


def _fits(value: Any, kind: Any) -> bool:
    """Does ``value`` come back out of a column of ``kind`` (what it joins to) as it went in,
    as the same JSON? Not an integer in a column of doubles (1 comes back 1.0, also in a list
    of its own: ``[0, 0.5]``), nor an object in a struct of other keys or in another order (a
    key it lacked comes back null).

    >>> _fits(1, "float"), _fits(None, "float"), _fits([0, 0.5], ("list", "float")), _fits(7, "bigint")
    (False, True, False, True)
    >>> kind = ("struct", (("a", "int"), ("b", "int")))
    >>> _fits({"a": 1, "b": None}, kind), _fits({"b": 1, "a": 1}, kind), _fits({"a": 1}, kind)
    (True, False, False)
    """
    if value is None:
        return True
    if type(kind) is str:
        return kind != FLOAT or type(value) is float
    if kind[0] == "list":
        item = kind[1]
        if type(item) is str:
            return item != FLOAT or set(map(type, value)) <= _FLOAT_OR_NONE  # (in C: an embedding)
        return all(_fits(v, item) for v in value)
    fields = kind[1]
    return (len(value) == len(fields) and all(name == key for (name, _), key in zip(fields, value))
            and all(_fits(value[name], child) for name, child in fields))


def arrow_type(pa: Any, kind: Any) -> Any:
    """The Arrow type of a column of ``kind``; None for TEXT and for what Parquet cannot store
    (a struct of no fields: objects that are all empty).

    >>> import pyarrow as pa
    >>> str(arrow_type(pa, ("list", ("struct", (("a", "float"),))))), arrow_type(pa, ("struct", ()))
    ('list<element: struct<a: double>>', None)
    """
    if type(kind) is str:
        return None if kind == TEXT else _PRIMITIVE[kind](pa)
    if kind[0] == "list":
        item = arrow_type(pa, kind[1])
        return None if item is None else pa.list_(pa.field("element", item))  # (as Parquet names it)
    fields = [(name, arrow_type(pa, child)) for name, child in kind[1]]
    if not fields or any(t is None for _, t in fields):
        return None
    return pa.struct(fields)


_PRIMITIVE = {
    NULL: lambda pa: pa.null(),
    BOOL: lambda pa: pa.bool_(),
    INT: lambda pa: pa.int64(),
    BIG_INT: lambda pa: pa.int64(),
    FLOAT: lambda pa: pa.float64(),
    STRING: lambda pa: pa.string(),
}


def _kind_from_json(value: Any) -> Any:
    if isinstance(value, str):
        return value
    if value[0] == "list":
        return ("list", _kind_from_json(value[1]))
    return ("struct", tuple((name, _kind_from_json(child)) for name, child in value[1]))


ChunkKinds = tuple[dict[str, Any], dict[str, str], frozenset[str]]


def chunk_kinds(schema: Any) -> ChunkKinds | None:
    """(each field's kind, the column holding the text of each field that has one, the fields
    stored as their JSON) of a chunk file's schema; None for a file without them (a Parquet
    input's rows, or a chunk file that a cleaner before them wrote)."""
    found = (schema.metadata or {}).get(KINDS_KEY)
    if found is None:
        return None
    data = json.loads(found)
    return ({name: _kind_from_json(kind) for name, kind in data["kinds"]}, dict(data["texts"]),
            frozenset(data["json"]))


def table_of(pa: Any, rows: list[dict[str, Any]], schema: Any = None, texts: bool = False) -> Any:
    """The rows as a table: with ``schema`` (a Parquet input's, plus the added columns) as it
    says, else every field of every row (in the order first seen), each column of the type its
    values join to (see ``join``) or as text, with their kinds in the schema's metadata
    (``KINDS_KEY``). ``texts``: also a column of text for each field whose typed column changes
    its values (a chunk file: see ``merged_kinds``). A field of a kind Parquet cannot store
    (objects that are all empty, so far) is a column of their exact JSON, which the merge reads
    back when other chunks give the field a type."""
    if schema is not None:
        retried: tuple[type[BaseException], ...] = (UnicodeEncodeError, *_mixed_errors(pa))
        try:
            return pa.Table.from_pylist(rows, schema=schema)
        except retried:  # (a lone surrogate; an ArrowValue)
            return pa.Table.from_pylist([without_surrogates(stored(row)) for row in rows], schema=schema)
    names = dict.fromkeys(name for row in rows for name in row)
    columns: dict[str, Any] = {}
    kinds: list[tuple[str, Any]] = []
    text_columns: dict[str, str] = {}
    as_json: list[str] = []
    for name in names:
        values = [row.get(name) for row in rows]
        seen = dict.fromkeys(map(kind_of, values))
        kind = join_all(seen)
        typed = arrow_type(pa, kind)
        column = None if typed is None else _typed(pa, values, typed)
        if typed is None and kind != TEXT:
            column = pa.array([None if v is None else _EXACT_JSON(v) for v in values], type=pa.string())
            as_json.append(name)
        elif column is None:
            kind, column = TEXT, _text_column(pa, values)
        elif texts and not all(_fits(v, kind) for v in values):
            text_columns[name] = _free_name(f"__cleaner_text_{len(text_columns)}", names)
            columns[text_columns[name]] = _text_column(pa, values)
        columns[name] = column
        kinds.append((name, kind))
    ordered = {name: columns[name] for name in (*names, *text_columns.values())}
    table = pa.table(ordered)
    meta = json.dumps({"kinds": kinds, "texts": text_columns, "json": as_json}).encode()
    return table.replace_schema_metadata({KINDS_KEY: meta})


def _typed(pa: Any, values: list[Any], kind: Any) -> Any:
    """The values as a column of type ``kind`` (their lone surrogates as U+FFFD); None when
    pyarrow refuses them (not expected: the kind is what they join to)."""
    try:
        try:
            return pa.array(values, type=kind)
        except UnicodeEncodeError:
            return pa.array(without_surrogates(values), type=kind)
    except _mixed_errors(pa):
        return None


#: A value as JSON that reads back as the same value (NaN as NaN; a lone surrogate escaped).
_EXACT_JSON = json.JSONEncoder(separators=(",", ":")).encode


def _text_column(pa: Any, values: list[Any]) -> Any:
    return pa.array(without_surrogates(as_text(values)), type=pa.string())


def _free_name(name: str, taken: Any) -> str:
    while name in taken:
        name += "_"
    return name


def merged_kinds(schemas: list[Any]) -> dict[str, Any] | None:
    """Each field of chunk files (in the order first seen) and what its kinds in them join to,
    or None when a file does not say (see ``chunk_kinds``)."""
    merged: dict[str, Any] = {}
    for schema in schemas:
        found = chunk_kinds(schema)
        if found is None:
            return None
        for name, kind in found[0].items():
            merged[name] = join(merged.get(name, NULL), kind)
    return merged


def schema_of_kinds(pa: Any, kinds: dict[str, Any]) -> Any:
    """The schema of a file whose fields join to ``kinds``: TEXT (and what Parquet cannot
    store) as strings."""
    return pa.schema([pa.field(name, arrow_type(pa, kind) or pa.string()) for name, kind in kinds.items()])


def conform_kinds(pa: Any, table: Any, schema: Any, own: ChunkKinds) -> Any:
    """A chunk file's table (its kinds and text columns ``own``) as a table of ``schema``, the
    whole file's: a field it lacks is null; a column of text takes the chunk's text of the
    values its typed column changed, the text of the others as they are; a typed column is
    converted to the file's type (an integer to a double, a struct to one of more keys)."""
    columns = []
    for field in schema:
        name = field.name
        if name not in table.column_names or pa.types.is_null(table.column(name).type):
            columns.append(pa.nulls(table.num_rows, type=field.type))
            continue
        column = table.column(name)
        if name in own[2]:  # (its exact JSON)
            values = [None if v is None else json.loads(v) for v in column.to_pylist()]
            columns.append(_text_column(pa, values) if pa.types.is_string(field.type)
                           else pa.array(without_surrogates(values), type=field.type))
        elif column.type == field.type:
            columns.append(column)
        elif pa.types.is_string(field.type):  # (text: the file's column, not the chunk's)
            if name in own[1]:
                columns.append(table.column(own[1][name]))
            else:
                columns.append(pa.array(as_text(column.to_pylist()), type=pa.string()))
        elif pa.types.is_nested(field.type):
            columns.append(pa.array(column.to_pylist(), type=field.type))
        else:
            columns.append(column.cast(field.type))
    return pa.Table.from_arrays(columns, schema=schema)


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


def as_text_fields(pa: Any, schema: Any, names: Any) -> Any:
    """``schema`` with each of ``names`` that it holds as another type than text (strings or
    bytes) as a string column: the fields cleaner writes its text into (a JSON string for the
    sidecar), whatever the input held there (a ``cleaner`` column of structs, from an earlier
    tool, stopped the run with a pyarrow traceback).

    >>> import pyarrow as pa
    >>> schema = pa.schema([("cleaner", pa.struct([("a", pa.int64())])), ("text", pa.large_string())])
    >>> as_text_fields(pa, schema, ["text", "cleaner"]).types
    [DataType(string), DataType(large_string)]
    """
    for name in names:
        at = schema.get_field_index(name)
        if at >= 0 and not _holds_text(pa, schema.field(at).type):
            schema = schema.set(at, pa.field(name, pa.string()))
    return schema


def _holds_text(pa: Any, kind: Any) -> bool:
    return bool(pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_binary(kind)
                or pa.types.is_large_binary(kind))


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
