"""Output files written under a ``.part`` name and renamed when the run is complete, so a
partial output is never mistaken for a finished one. An output that is a device or a named
pipe (``files.is_stream``: ``--rejected /dev/null``, ``-o /dev/stdout``) is written into as
the run goes, never renamed over (nor given a ``.part`` beside it).

A JSONL (or gzip, one member per chunk) part is appended to and can be truncated back to a
journaled size. A Parquet part is a directory holding one small Parquet file per chunk; on
finish they are merged, row group by row group, into the final file, whose row groups are cut
where its rows say (ROW_GROUP_ROWS, ROW_GROUP_BYTES), not where the chunks were: its bytes are
the same for any ``--chunk-size`` and ``--workers``.
"""

from __future__ import annotations

import itertools
import os
import shutil
from pathlib import Path
from typing import IO, Any

from ..files import is_stream
from .formats import require_pyarrow
from .parquet_rows import (
    as_text_fields,
    chunk_kinds,
    conform,
    conform_kinds,
    merged_kinds,
    schema_of_kinds,
    table_of,
    unified_schema,
    with_text_fields,
)

#: A Parquet output's row groups hold this many rows, fewer when their strings and bytes (the
#: top-level columns': the text, the sidecar) reach ROW_GROUP_BYTES first. One row group is held
#: in memory (twice, while it is made contiguous) while it is written: 6,000 records of 4.5 kB
#: into Parquet, 2 workers, the reading process peaked at 127 MB (140 MB with groups of 8 MiB;
#: 108 MB when each chunk was a row group of its own).
ROW_GROUP_ROWS = 16_384
ROW_GROUP_BYTES = 4 * 1024 * 1024


def part_path(final: Path) -> Path:
    return final.with_name(final.name + ".part")


def fsync_dir(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:  # pragma: no cover - not every platform opens directories
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_part(final: Path) -> None:
    if is_stream(final):  # (written into: there is no part)
        return
    part = part_path(final)
    if part.is_dir():
        shutil.rmtree(part)
    else:
        part.unlink(missing_ok=True)


class BytesPart:
    """Appends bytes to ``<final>.part``; ``size`` is what a journal records. A device or a
    named pipe is written into itself (appended to: ``/dev/stdout`` may be a file that the
    shell opened), and cannot be resumed (what went into it cannot be cut back)."""

    def __init__(self, final: Path, size: int | None) -> None:
        self.final = final
        self.stream = is_stream(final)
        self.part = final if self.stream else part_path(final)
        self.handle: IO[bytes]
        if self.stream:
            if size is not None:
                raise OSError(f"{final} is a device or a named pipe: a run into it cannot be resumed")
            self.handle = final.open("ab")
        elif size is None:
            final.parent.mkdir(parents=True, exist_ok=True)
            self.handle = self.part.open("wb")
        else:
            if not self.part.is_file() or self.part.stat().st_size < size:
                raise OSError(f"{self.part} is shorter than its journal says; start over with --force")
            self.handle = self.part.open("r+b")
            self.handle.truncate(size)
            self.handle.seek(size)
        self.size = size or 0

    def write(self, data: bytes) -> None:
        if data:
            self.handle.write(data)
            self.size += len(data)
            if self.stream:  # (the program reading a named pipe gets each chunk when it is done)
                self.handle.flush()

    def sync(self) -> int:
        self.handle.flush()
        if not self.stream:  # (a pipe or a device cannot be fsync'd)
            os.fsync(self.handle.fileno())
        return self.size

    def finish(self) -> None:
        self.sync()
        self.handle.close()
        if not self.stream:
            os.replace(self.part, self.final)

    def close(self) -> None:
        self.handle.close()


class ParquetPart:
    """One Parquet file per chunk in ``<final>.part/``; ``size`` counts the chunk files.

    ``base_schema`` (a Parquet input's) is the type of every row's input fields; ``added``
    names the fields every row gains (see records.added_fields). Without rows, the file still
    has the columns a run with rows gives: the base schema's and the added ones; from JSON
    records, those the rejected and failed records would have given (``write_columns``)."""

    def __init__(self, final: Path, size: int | None, base_schema: Any = None,
                 added: tuple[str, ...] = ()) -> None:
        self.pa = require_pyarrow()
        self.final = final
        self.part = part_path(final)
        self.base_schema = None if base_schema is None else as_text_fields(self.pa, base_schema, added)
        self.added = added
        if size is None:
            if self.part.exists():
                shutil.rmtree(self.part)
            self.part.mkdir(parents=True)
        else:
            for stale in self.part.glob("*.parquet"):
                if int(stale.stem) >= size:
                    stale.unlink()
        self.size = size or 0
        self.has_rows = False  # (resumed: not known; write_columns then writes what may be unneeded)

    def _chunk_file(self, n: int) -> Path:
        return self.part / f"{n:09d}.parquet"

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        self._write_file(table_of(self.pa, rows, self._schema_for(rows), texts=True))
        self.has_rows = True

    def write_columns(self, schema: Any) -> None:
        """A chunk that writes no row: a chunk file without rows that has the columns its
        records would have had (records.ChunkResult.columns), for an output without any row;
        ``finish`` leaves such files out when rows are written. None once rows are written."""
        if not self.has_rows:
            self._write_file(schema.empty_table())

    def _write_file(self, table: Any) -> None:
        target = self._chunk_file(self.size)
        tmp = target.with_suffix(".tmp")
        self.pa.parquet.write_table(table, tmp)
        with tmp.open("rb") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, target)
        self.size += 1

    def _schema_for(self, rows: list[dict[str, Any]]) -> Any:
        if self.base_schema is None:
            return None
        return with_text_fields(self.pa, self.base_schema, rows[0])

    def sync(self) -> int:
        fsync_dir(self.part)
        return self.size

    def finish(self) -> None:
        """Merge the chunk files into the final file. From JSON records, each column's type is
        what the kinds of all the chunk files join to (parquet_rows.merged_kinds), so that the
        file does not depend on where the chunks were cut; a Parquet input's chunk files all
        have its schema."""
        pq = self.pa.parquet
        footers = [_footer(pq, self._chunk_file(n)) for n in range(self.size)]
        files = [(f, s) for f, s, rows in footers if rows]
        # (no rows: the columns of the records not written, see write_columns)
        schemas = [s for _, s in files] or [s for _, s, _ in footers]
        kinds = merged_kinds(schemas) if schemas else None
        if kinds is not None:
            schema = schema_of_kinds(self.pa, kinds)
        elif schemas:  # (a Parquet input's rows; chunk files of a cleaner before the kinds)
            schema = unified_schema(self.pa, schemas)
        else:  # no rows: the columns they would have had
            schema = with_text_fields(self.pa, self.base_schema or self.pa.schema([]), self.added)
        tmp = self.part / "merged.tmp"
        with pq.ParquetWriter(tmp, schema) as writer:
            groups = RowGroups(self.pa, writer)
            for f, file_schema in files:
                own = chunk_kinds(file_schema) if kinds is not None else None
                for batch_table in _row_groups(pq.ParquetFile(f)):
                    groups.add(conform(self.pa, batch_table, schema) if own is None
                               else conform_kinds(self.pa, batch_table, schema, own))
            groups.close()
        os.replace(tmp, self.final)
        shutil.rmtree(self.part)

    def close(self) -> None:
        return None


class RowGroups:
    """Writes tables of rows, in order, as row groups of ROW_GROUP_ROWS rows, each ended sooner
    by the row that brings its strings to ROW_GROUP_BYTES: where a group ends depends on the
    rows only, never on the tables they came in. A group is made contiguous before it is
    written (the writer cuts its pages where a table's chunks end)."""

    def __init__(self, pa: Any, writer: Any) -> None:
        self.pa, self.writer = pa, writer
        self.pending: list[Any] = []
        self.rows = self.bytes = 0

    def add(self, table: Any) -> None:
        start = 0
        for end, size in enumerate(_row_bytes(self.pa, table), 1):
            self.rows += 1
            self.bytes += size
            if self.rows >= ROW_GROUP_ROWS or self.bytes >= ROW_GROUP_BYTES:
                self.pending.append(table.slice(start, end - start))
                self._write()
                start = end
        if start < table.num_rows:
            self.pending.append(table.slice(start))

    def close(self) -> None:
        if self.pending:
            self._write()

    def _write(self) -> None:
        group = self.pa.concat_tables(self.pending).combine_chunks()
        self.pending, self.rows, self.bytes = [], 0, 0  # (their memory goes before the writer's comes)
        self.writer.write_table(group, row_group_size=ROW_GROUP_ROWS)


def _row_bytes(pa: Any, table: Any) -> list[int]:
    """The bytes of each row's top-level strings and binary values (0 for a row without),
    from the columns' offsets (not pyarrow.compute: its import costs 8 MB)."""
    sizes = [0] * table.num_rows
    for column in table.columns:
        kind = column.type
        if pa.types.is_string(kind) or pa.types.is_binary(kind):
            width = pa.int32()
        elif pa.types.is_large_string(kind) or pa.types.is_large_binary(kind):
            width = pa.int64()
        else:
            continue
        row = 0
        for chunk in column.chunks:  # (a null's offsets are equal: no bytes)
            offsets = pa.Array.from_buffers(width, len(chunk) + 1, [None, chunk.buffers()[1]],
                                            offset=chunk.offset).to_pylist()
            for start, end in itertools.pairwise(offsets):
                sizes[row] += end - start
                row += 1
    return sizes


def _footer(pq: Any, path: Path) -> tuple[Path, Any, int]:
    """(path, schema, number of rows) of a Parquet file (one read of its footer)."""
    pfile = pq.ParquetFile(path)
    return path, pfile.schema_arrow, pfile.metadata.num_rows


def _row_groups(pfile: Any) -> Any:
    for i in range(pfile.num_row_groups):
        yield pfile.read_row_group(i)
