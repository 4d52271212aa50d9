"""Exact counts of a corpus's learnable lines, in bounded memory (for ``cleaner learn``).

The counts stay in memory until they hold ``max_entries`` entries (a line's count over the
corpus, its count in one site, or its count of documents where it reads as a sentence); then
they are written to temporary files, split into PARTITIONS parts by a hash of the line, so that
everything counted for one line lands in the same part. At the end each part is summed on its
own. Memory is bounded by the budget and by one part (about the corpus's distinct lines /
PARTITIONS entries); the counts, and so the model, are the ones a count in memory gives.
"""

from __future__ import annotations

import pickle
import shutil
import tempfile
import zlib
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

#: Memory an entry of the counts takes (a line's text, its counter slot; a per-site entry shares
#: the text): 112 bytes traced on the bench corpora's 39,396 distinct lines, 142 bytes of peak
#: RSS counting 2.4 million entries (1.2 million lines in 100,000 documents of 50 sites); a
#: spill briefly adds its parts' tables on top.
BYTES_PER_ENTRY = 200
#: The default budget of ``cleaner learn`` for its counts.
MEMORY_MB_DEFAULT = 256
#: Parts the spilled counts are split into (files in one temporary directory).
PARTITIONS = 256

PerLine = Counter[str]
PerSiteLine = Counter[tuple[str, str]]


def entries_for(memory_mb: int) -> int:
    """How many entries a budget of ``memory_mb`` holds.

    >>> entries_for(256)
    1342177
    """
    return max(1, memory_mb * 1024 * 1024 // BYTES_PER_ENTRY)


def partition_of(key: str) -> int:
    """The part a line's counts go to: the same in every process and run (not ``hash``)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass")) % PARTITIONS


class LineCounts:
    """Documents per line, overall and per site, and where it reads as a sentence."""

    def __init__(self, max_entries: int = entries_for(MEMORY_MB_DEFAULT),
                 directory: Path | None = None) -> None:
        self.max_entries = max_entries
        self.per_line: PerLine = Counter()
        self.per_site_line: PerSiteLine = Counter()
        self.per_sentence: PerLine = Counter()
        #: How many times the counts went to disk.
        self.spills = 0
        self._parent = directory
        self._directory: Path | None = None

    def add(self, keys: Iterable[str], site: str | None, sentences: Iterable[str] = ()) -> None:
        """One document's lines (each once), its site if it has one, and those of its lines
        that read as a sentence in it (some of ``keys``)."""
        keys = tuple(keys)
        self.per_line.update(keys)
        if site is not None:
            self.per_site_line.update((site, k) for k in keys)
        self.per_sentence.update(sentences)
        if len(self.per_line) + len(self.per_site_line) + len(self.per_sentence) >= self.max_entries:
            self._spill()

    def parts(self) -> Iterator[tuple[PerLine, PerSiteLine, PerLine]]:
        """The counts in parts that share no line: (per line, per site and line, as a sentence
        per line) each. One part, the counts themselves, when they never went to disk."""
        if not self.spills:
            yield self.per_line, self.per_site_line, self.per_sentence
            return
        if self.per_line:
            self._spill()
        assert self._directory is not None
        for number in range(PARTITIONS):
            path = self._directory / f"{number}.pickle"
            if not path.exists():
                continue
            per_line: PerLine = Counter()
            per_site_line: PerSiteLine = Counter()
            per_sentence: PerLine = Counter()
            with path.open("rb") as handle:
                for lines, sites, sentences in _records(handle):
                    per_line.update(lines)
                    per_site_line.update(sites)
                    per_sentence.update(sentences)
            path.unlink()
            yield per_line, per_site_line, per_sentence

    def close(self) -> None:
        """Remove the temporary files (also when the run stopped half-way)."""
        if self._directory is not None:
            shutil.rmtree(self._directory, ignore_errors=True)
            self._directory = None

    def __enter__(self) -> LineCounts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _spill(self) -> None:
        if self._directory is None:
            self._directory = Path(tempfile.mkdtemp(prefix="cleaner-learn-", dir=self._parent))
        lines: list[dict[str, int]] = [{} for _ in range(PARTITIONS)]
        sites: list[dict[tuple[str, str], int]] = [{} for _ in range(PARTITIONS)]
        sentences: list[dict[str, int]] = [{} for _ in range(PARTITIONS)]
        part: dict[str, int] = {}
        for key, count in self.per_line.items():
            part[key] = number = partition_of(key)
            lines[number][key] = count
        for (site, key), count in self.per_site_line.items():
            number = part[key]  # every (site, line) counted has its line counted
            sites[number][(site, key)] = count
        for key, count in self.per_sentence.items():
            sentences[part[key]][key] = count  # (a sentence is one of the lines counted)
        for number in range(PARTITIONS):
            if lines[number]:
                with (self._directory / f"{number}.pickle").open("ab") as handle:
                    pickle.dump((lines[number], sites[number], sentences[number]), handle,
                                protocol=pickle.HIGHEST_PROTOCOL)
        self.per_line = Counter()
        self.per_site_line = Counter()
        self.per_sentence = Counter()
        self.spills += 1


#: What one spill wrote for a part: (per line, per site and line, as a sentence per line).
Record = tuple[dict[str, int], dict[tuple[str, str], int], dict[str, int]]


def _records(handle: BinaryIO) -> Iterator[Record]:
    while True:
        try:
            yield pickle.load(handle)  # files this process wrote
        except EOFError:
            return
