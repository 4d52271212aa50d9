"""Exact counts of a corpus's learnable lines, in bounded memory (for ``cleaner learn``).

Besides the counts, each line keeps the STORIES_KEPT smallest distinct story ids of the documents
it is in (see ``cleaner.corpus.story_of``): a set that does not depend on the documents' order
and merges like the counts, and tells whether a line was seen with that many stories.

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

#: Story ids kept per line: the smallest distinct ones (a line of one syndicated story has one).
STORIES_KEPT = 3

PerLine = Counter[str]
PerSiteLine = Counter[tuple[str, str]]
#: Line -> the smallest distinct story ids of its documents (an int while there is one).
Stories = dict[str, "int | tuple[int, ...]"]


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
        self.stories: Stories = {}
        #: How many times the counts went to disk.
        self.spills = 0
        self._parent = directory
        self._directory: Path | None = None

    def add(self, keys: Iterable[str], site: str | None, sentences: Iterable[str], story: int) -> None:
        """One document's lines (each once), its site if it has one, those of its lines that
        read as a sentence in it (some of ``keys``), and its story id."""
        keys = tuple(keys)
        self.per_line.update(keys)
        if site is not None:
            self.per_site_line.update((site, k) for k in keys)
        self.per_sentence.update(sentences)
        stories = self.stories
        for key in keys:
            known = stories.get(key)
            if known is None:
                stories[key] = story
            elif (known != story if isinstance(known, int)
                  else story not in known and (len(known) < STORIES_KEPT or story < known[-1])):
                stories[key] = merge_stories(known, story)
        if len(self.per_line) + len(self.per_site_line) + len(self.per_sentence) >= self.max_entries:
            self._spill()

    def parts(self) -> Iterator[tuple[PerLine, PerSiteLine, PerLine, Stories]]:
        """The counts in parts that share no line: (per line, per site and line, as a sentence
        per line, the story ids per line) each. One part, the counts themselves, when they never
        went to disk."""
        if not self.spills:
            yield self.per_line, self.per_site_line, self.per_sentence, self.stories
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
            stories: Stories = {}
            with path.open("rb") as handle:
                for lines, sites, sentences, ids in _records(handle):
                    per_line.update(lines)
                    per_site_line.update(sites)
                    per_sentence.update(sentences)
                    for key, found in ids.items():
                        known = stories.get(key)
                        stories[key] = found if known is None else merge_stories(known, found)
            path.unlink()
            yield per_line, per_site_line, per_sentence, stories

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
        stories: list[Stories] = [{} for _ in range(PARTITIONS)]
        part: dict[str, int] = {}
        for key, count in self.per_line.items():
            part[key] = number = partition_of(key)
            lines[number][key] = count
        for (site, key), count in self.per_site_line.items():
            number = part[key]  # every (site, line) counted has its line counted
            sites[number][(site, key)] = count
        for key, count in self.per_sentence.items():
            sentences[part[key]][key] = count  # (a sentence is one of the lines counted)
        for key, ids in self.stories.items():
            stories[part[key]][key] = ids
        for number in range(PARTITIONS):
            if lines[number]:
                with (self._directory / f"{number}.pickle").open("ab") as handle:
                    pickle.dump((lines[number], sites[number], sentences[number], stories[number]), handle,
                                protocol=pickle.HIGHEST_PROTOCOL)
        self.per_line = Counter()
        self.per_site_line = Counter()
        self.per_sentence = Counter()
        self.stories = {}
        self.spills += 1


def merge_stories(a: int | tuple[int, ...], b: int | tuple[int, ...]) -> int | tuple[int, ...]:
    """The STORIES_KEPT smallest distinct ids of two sets of a line (an int when there is one).

    >>> merge_stories(7, 7), merge_stories(7, 3), merge_stories((1, 5, 9), 2), merge_stories((1, 5, 9), (5, 12))
    (7, (3, 7), (1, 2, 5), (1, 5, 9))
    """
    ids = sorted({*(a if isinstance(a, tuple) else (a,)), *(b if isinstance(b, tuple) else (b,))})
    return ids[0] if len(ids) == 1 else tuple(ids[:STORIES_KEPT])


def story_count(ids: int | tuple[int, ...]) -> int:
    """How many distinct stories a line was seen with, up to STORIES_KEPT."""
    return len(ids) if isinstance(ids, tuple) else 1


#: What one spill wrote for a part: (per line, per site and line, as a sentence per line, story
#: ids per line).
Record = tuple[dict[str, int], dict[tuple[str, str], int], dict[str, int], Stories]


def _records(handle: BinaryIO) -> Iterator[Record]:
    while True:
        try:
            yield pickle.load(handle)  # files this process wrote
        except EOFError:
            return
