"""``cleaner learn``: find the lines that recur across many documents of a corpus.

For every block (the unit the rules see) that may be learned (see
:func:`cleaner.rules.corpus.line_key`: short, not prose, no quotation), count the number of
distinct documents it appears in, overall and per site (the host of a URL-like id), and in how
many it reads as a sentence of prose (:func:`cleaner.rules.corpus.reads_as_sentence`). A line
qualifies when it appears in at least ``max(min_docs, min_fraction × documents)`` documents, or
in at least ``max(min_docs, site_fraction × site documents)`` documents of one site.

A line that reads as a sentence in most of its documents qualifies only the second way, and only
when all its documents are of that one site: a statement that articles of several sites (or of
no known site) report in the same words is content, a sentence that one site prints under every
article is its boilerplate.

Either way a line qualifies only when it is in documents of MIN_STORIES different stories at
least (``story_of``: the document's own prose tells its story). A news agency's story printed by
many sites, or a page crawled in several versions, brings its title, subheadings and captions into
as many documents, and they were learned and removed from every copy of the article; a site's
banner or an injected affiliate line stands under many stories. Counting is order-free, so the
model does not depend on document order. The model stores the hashes that qualify, the counts, a
sample text of each and the thresholds used.
"""

from __future__ import annotations

import hashlib
import logging
import math
import os
import sys
import tempfile
from array import array
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from ._version import __version__
from .errors import CleanerError, ConfigError
from .files import Folder
from .line_counts import (
    MEMORY_MB_DEFAULT,
    STORIES_KEPT,
    LineCounts,
    PerLine,
    PerSiteLine,
    Stories,
    entries_for,
    story_count,
)
from .normalize import split_lines
from .phrases import match_any
from .rules import corpus as rule
from .rules.textstats import word_count
from .segment import segment

if TYPE_CHECKING:
    from .datasets.summary import Progress

log = logging.getLogger(__name__)

MIN_DOCS_DEFAULT = 10
MIN_FRACTION_DEFAULT = 0.005
SITE_FRACTION_DEFAULT = 0.05
#: A line is learned only from documents of this many different stories (see ``story_of``).
MIN_STORIES = STORIES_KEPT
#: A story is told by the document's paragraphs of more words than a learnable sentence has
#: (``rules.corpus.MAX_SENTENCE_WORDS``) that are no cookie or sign-up prompt.
STORY_PROMPT_KINDS = ("cookie", "newsletter")


@dataclass(frozen=True, slots=True)
class LearnOptions:
    """Where the documents are in the corpus, and the thresholds."""

    fmt: str | None = None
    text_key: str = "text"
    html_key: str | None = None
    id_key: str | None = None
    min_docs: int = MIN_DOCS_DEFAULT
    min_fraction: float = MIN_FRACTION_DEFAULT
    site_fraction: float = SITE_FRACTION_DEFAULT


def document_lines(text: str) -> Lines:
    """The learnable line keys of one document (each counted once per document), those of them
    that read as a sentence of prose in it, and its story (``story_of``; None without prose).

    >>> keys, sentences, story = document_lines("Jetzt anmelden und sparen\\n\\nDas ist ein ganzer Satz.")
    >>> sorted(keys), sorted(sentences), story
    (['das ist ein ganzer satz.', 'jetzt anmelden und sparen'], ['das ist ein ganzer satz.'], None)
    """
    keys: set[str] = set()
    sentences: set[str] = set()
    prose: list[str] = []
    for block in segment(split_lines(text)):
        key = rule.line_key(block.text)
        if key is not None:
            keys.add(key)
            if rule.reads_as_sentence(block.text):  # (the block's own case: capitals shout)
                sentences.add(key)
        elif word_count(block.text) > rule.MAX_SENTENCE_WORDS:
            prose.append(block.text)
    return frozenset(keys), frozenset(sentences), story_of(prose)


def story_of(paragraphs: list[str]) -> int | None:
    """The story a document tells: the smallest 64-bit hash of its paragraphs of prose (their
    words, casefolded), cookie and sign-up prompts aside; None without any. Copies of one
    article share it, though each site prints its own furniture around it and one of them cut
    or edited a paragraph, as long as they share the paragraph of the smallest hash (the more
    paragraphs two copies share, the likelier: a min-hash); different articles do not.

    >>> a, b = "Der Rat hat am Montag den Haushalt beschlossen.", "Die Opposition stimmte dagegen."
    >>> story_of([a, b]) == story_of([b, " ".join(a.upper().split()), b]), story_of([])
    (True, None)
    """
    hashes = [_hash64(" ".join(p.casefold().split())) for p in paragraphs
              if not match_any(STORY_PROMPT_KINDS, p)]
    return min(hashes) if hashes else None


def _hash64(text: str) -> int:
    """A 64-bit blake2b hash of the text (the same in every process and run, unlike ``hash``)."""
    digest = hashlib.blake2b(text.encode("utf-8", "surrogatepass"), digest_size=8)
    return int.from_bytes(digest.digest(), "big")


def _warn_of_missing_ids(id_key: str | None, missing: int, documents: int) -> None:
    from .datasets.summary import missing_ids_warning

    message = missing_ids_warning(id_key, missing, documents, "they belong to no site")
    if message:
        log.warning("%s", message)


def site_of(doc_id: str | None) -> str | None:
    """The host of a URL-like id ("https://www.x.de/a" -> "x.de"), else None.

    A malformed URL ("http://[oops/a": an unclosed IPv6 host) gives no site, as an id that is
    no URL does: it stopped the whole run with a traceback.

    >>> site_of("https://www.example.com/news/1"), site_of("doc-17"), site_of("http://[oops/a")
    ('example.com', None, None)
    """
    if not doc_id or "://" not in doc_id:
        return None
    try:
        host = urlsplit(doc_id).hostname or ""
    except ValueError:  # (urllib's "Invalid IPv6 URL")
        return None
    return host.removeprefix("www.") or None


def learn(corpus: Path, options: LearnOptions, workers: int = 1, memory_mb: int = MEMORY_MB_DEFAULT,
          progress: Progress | None = None, files: CorpusFiles | None = None,
          name_every_skip: bool = False) -> dict[str, Any]:
    """Count lines over the corpus and return the model (a JSON-ready dict). With ``workers``
    > 1 the documents are read, extracted and cut into lines in worker processes; the counts,
    and so the model, are the same. The counts take about ``memory_mb`` MB at most; beyond
    that they go to temporary files (see cleaner.line_counts), with the same model. ``files``:
    the corpus's ``corpus_files``, when the caller found them already (to choose ``workers``).
    ``name_every_skip``: a warning for every skipped document, not only the first
    MAX_NAMED_SKIPS (``learn -v``); the documents of each site go to the info log."""
    files = files or corpus_files(corpus, options)
    site_docs: Counter[str] = Counter()
    documents = pages = copies = without_id = 0
    seen = Fingerprints()
    lines: dict[str, dict[str, Any]] = {}
    skipped = Skipped(None if name_every_skip else MAX_NAMED_SKIPS)
    with LineCounts(entries_for(memory_mb)) as counts:
        for doc_id, found, problem, size, page, copy in _keyed_documents(corpus, options, workers, skipped,
                                                                          files):
            if progress is not None:
                progress.update(1, size, None, "learning")
            if found is None:
                skipped(str(problem))
                continue
            documents += 1
            pages += page
            without_id += options.id_key is not None and doc_id is None  # (a record without it)
            if not seen.add(copy):  # (the same text in the same site: counted once)
                copies += 1
                continue
            site = site_of(doc_id)
            if site is not None:
                site_docs[site] += 1
            # (a document without prose is a story of its own: its text's fingerprint)
            counts.add(found[0], site, found[1], copy if found[2] is None else found[2])
        skipped.close()
        _warn_of_missing_ids(options.id_key, without_id, documents)
        if not documents:
            raise CleanerError(f"{corpus}: no documents to learn from"
                               + (f" ({skipped.count:,} skipped)" if skipped.count else ""))
        if counts.spills:
            log.info("the line counts went to disk %d times (over %d MB)", counts.spills, memory_mb)
        need = max(options.min_docs, math.ceil(options.min_fraction * (documents - copies)))
        for per_line, per_site_line, per_sentence, stories in counts.parts():
            _qualify(per_line, per_site_line, per_sentence, stories, need, site_docs, options, lines)
    if log.isEnabledFor(logging.INFO):  # (`learn -v`)
        _log_sites(documents - copies, site_docs, lines)
    return {
        "kind": rule.MODEL_KIND,
        "version": rule.MODEL_VERSION,
        "cleaner_version": __version__,
        "corpus": str(corpus),
        # what the lines were read from, for `clean --boilerplate` to say when it cleans
        # something else (rules.corpus.learned_elsewhere): records (their fields are in
        # "thresholds") or files, and how many of the documents were HTML pages
        "input": "files" if files.shards is None and str(corpus) != "-" else "records",
        "html_documents": pages,
        "documents": documents,
        "duplicate_documents": copies,
        "sites": len(site_docs),
        "thresholds": {
            **asdict(options),
            "documents_needed": need,
            "min_line_words": rule.MIN_LINE_WORDS,
            "max_line_words": rule.MAX_LINE_WORDS,
            "max_sentence_words": rule.MAX_SENTENCE_WORDS,
            "min_sentence_words": rule.MIN_SENTENCE_WORDS,
            "min_quote_words": rule.MIN_QUOTE_WORDS,
            "min_stories": MIN_STORIES,
        },
        "lines": dict(sorted(lines.items())),
    }


#: Sites listed one by one by ``learn -v`` (the ones of most documents).
MAX_LISTED_SITES = 20


def _log_sites(documents: int, site_docs: Counter[str], lines: dict[str, dict[str, Any]]) -> None:
    """The documents of each site and the lines learned as its own boilerplate, on the info log
    (``documents``: the distinct ones, copies in a site counted once as they are learned)."""
    if not site_docs:
        log.info("%s documents, none of a known site (a site is the host of a record's URL id, "
                 "--id-key FIELD: each site's own boilerplate is learned too)", f"{documents:,}")
        return
    own: Counter[str] = Counter(site for entry in lines.values() for site in entry["sites"])
    no_site = documents - sum(site_docs.values())
    log.info("%s documents of %s site%s%s:", f"{documents:,}", f"{len(site_docs):,}",
             "s" * (len(site_docs) > 1), f" ({no_site:,} of no site)" if no_site else "")
    for site, count in sorted(site_docs.items(), key=lambda item: (-item[1], item[0]))[:MAX_LISTED_SITES]:
        log.info("  %s: %s document%s, %s line%s learned as its own boilerplate", site, f"{count:,}",
                 "s" * (count != 1), f"{own[site]:,}", "s" * (own[site] != 1))
    if len(site_docs) > MAX_LISTED_SITES:
        log.info("  and %s more sites, of fewer documents each", f"{len(site_docs) - MAX_LISTED_SITES:,}")


#: One source document: (id, a file to read or None, the text or HTML of a record (bytes from a
#: Parquet binary column), is it HTML, where it is for messages).
Source = tuple[str | None, Path | None, str | bytes, bool, str]
#: The learnable line keys of a document, those of them that read as a sentence in it, and its
#: story (``story_of``).
Lines = tuple[frozenset[str], frozenset[str], int | None]
#: What a source gives: (id, its lines or None when it was skipped, why, its size in characters
#: or bytes, was it read as HTML, the fingerprint of its site and text: see ``copy_of``).
Keyed = tuple[str | None, Lines | None, str | None, int, bool, int]
#: Documents sent to a worker process at a time.
DOCS_PER_TASK = 64


@dataclass(frozen=True, slots=True)
class CorpusFiles:
    """What ``learn`` reads, found before it starts: the dataset files (the shards of a
    directory, or the one file), or None for a folder of documents or records on stdin; and the
    size of the corpus in bytes, for the number of workers (None: stdin, not known); for a
    folder of documents, the files its walk found (``iter_sources`` reads them, not walking
    it again)."""

    shards: list[Path] | None
    nbytes: int | None
    walked: Folder | None = None


def corpus_files(corpus: Path, options: LearnOptions) -> CorpusFiles:
    """A corpus's files and size. A folder is walked once, here, to tell whether it holds
    dataset shards, to add up its size and to find its documents (read by ``iter_sources``): its
    paths go to a temporary file as they come (``_Walked``), not into a list, which would be
    held through the whole run, memory for every file on top of the line counts, whose budget
    is ``--memory-mb``. (It was walked again as it was read: a file added or removed between
    the walks was read but not sized, or sized but not read.)"""
    from .datasets import format_of, shards_of
    from .files import walk_files

    if str(corpus) == "-":  # records on stdin
        if options.fmt not in ("jsonl", "jsonl.gz"):
            raise ConfigError("records on stdin need --format jsonl (or jsonl.gz)")
        return CorpusFiles(None, None)
    if corpus.is_dir():
        unreadable: list[OSError] = []
        walked = _Walked(walk_files(corpus, unreadable=unreadable))
        shards = shards_of(corpus, options.fmt, folder=Folder(walked, unreadable))
        if shards is not None:
            walked.close()
            return CorpusFiles(shards, walked.nbytes)
        return CorpusFiles(None, walked.nbytes, Folder(walked.again(), unreadable))
    if corpus.is_file():
        if format_of(corpus, options.fmt) is None:
            raise ConfigError(
                f"{corpus}: give a directory of text/HTML files or a .jsonl/.jsonl.gz/.parquet "
                "dataset (or --format)"
            )
        return CorpusFiles([corpus], _size(corpus))
    raise ConfigError(f"{corpus}: no such file or directory")


class _Walked:
    """Paths passed on, their sizes added up (0 for one that cannot be read: the run says why),
    and kept in an anonymous temporary file (removed when closed, or when the process ends),
    NUL after each (no path holds one), to be read ``again``."""

    def __init__(self, paths: Iterator[str]) -> None:
        self.paths = paths
        self.nbytes = 0
        self.kept = tempfile.TemporaryFile()  # (read by again(), which closes it; or by close())

    def __iter__(self) -> Iterator[str]:
        for path in self.paths:
            self.nbytes += _size(path)
            self.kept.write(os.fsencode(path) + b"\0")
            yield path

    def again(self) -> Iterator[str]:
        """The paths passed on, in their order (the file is closed once they are all read)."""
        self.kept.seek(0)
        rest = b""
        with self.kept:
            for block in iter(lambda: self.kept.read(1 << 16), b""):
                *paths, rest = (rest + block).split(b"\0")
                yield from map(os.fsdecode, paths)

    def close(self) -> None:
        self.kept.close()


def _size(path: str | Path) -> int:
    try:
        return os.stat(path).st_size  # noqa: PTH116
    except OSError:
        return 0


def iter_sources(corpus: Path, options: LearnOptions, skipped: Skipped,
                 files: CorpusFiles | None = None) -> Iterator[Source]:
    """Every document of the corpus, not yet read (files) or extracted (HTML records); a
    record that cannot be learned from goes to ``skipped``; ``files``: the corpus's
    ``corpus_files``, when found already."""
    files = files or corpus_files(corpus, options)
    if str(corpus) == "-":  # records on stdin
        yield from _iter_records(corpus, options, skipped)
        return
    if files.shards is None:  # a folder of documents, as corpus_files walked it
        from .files import iter_inputs

        for path in iter_inputs(corpus, folder=files.walked):
            yield str(path), path, "", False, str(path)
        return
    for shard in files.shards:
        yield from _iter_records(shard, options, skipped)


#: Skipped documents named one a line on stderr at most (the rest are counted): a wrong
#: ``--text-key`` on a corpus of millions skips every record.
MAX_NAMED_SKIPS = 50


class Skipped:
    """The documents ``learn`` skips: the first ``named`` each named in a warning, the rest
    counted and told in one line at the end (``close``); ``None``: every one named (``learn
    -v``, as ``clean -v`` names every failed record)."""

    def __init__(self, named: int | None = MAX_NAMED_SKIPS) -> None:
        self.named = named
        self.count = 0

    def __call__(self, problem: str) -> None:
        self.count += 1
        if self.named is None or self.count <= self.named:
            log.warning("%s", problem)

    def close(self) -> None:
        if self.named is not None and self.count > self.named:
            log.warning("%s more documents skipped (%s in all; -v names every one)",
                        f"{self.count - self.named:,}", f"{self.count:,}")


def _iter_records(shard: Path, options: LearnOptions, skipped: Skipped) -> Iterator[Source]:
    from .datasets.formats import (
        RecordError,
        format_of,
        read_chunks,
        read_record,
        record_text,
        refuse_repeated_text,
    )

    stdin = str(shard) == "-"
    fmt = options.fmt if stdin else format_of(shard, options.fmt) or "jsonl"
    name = "stdin" if stdin else shard.name
    for chunk in read_chunks(sys.stdin.buffer if stdin else shard, fmt):  # type: ignore[arg-type]
        for item, line in zip(chunk.items, chunk.lines, strict=True):
            try:
                repeated: list[str] = []  # (a text field named twice: clean fails the record)
                record = read_record(item, line, fmt != "parquet", replaced=options.text_key, strings=False,
                                     repeated=repeated)[0]
                refuse_repeated_text(repeated, (options.text_key, options.html_key), f"line {line}")
                doc_id, text, is_html = record_text(
                    record, line, options.text_key, options.id_key, options.html_key
                )
            except (RecordError, CleanerError) as exc:
                skipped(f"{name}: skipped: {exc}")
                continue
            yield doc_id, None, text, is_html, f"{name}: line {line}"


def keyed(source: Source) -> Keyed:
    """The learnable line keys of one source document (read, decoded, extracted here)."""
    from .decode import decode_bytes

    doc_id, path, text, is_html, where = source
    size = len(text)
    try:
        if path is not None:
            data = path.read_bytes()
            size = len(data)
            is_html = _is_page(data, path)  # by name or content, as `cleaner clean` decides
            text = _html_text(data) if is_html else decode_bytes(data, str(path))[0]
        elif is_html:
            text = _html_text(text)
        elif isinstance(text, bytes):  # (a Parquet binary column: decoded as a file is)
            text = decode_bytes(text, where)[0]
    except (CleanerError, OSError) as exc:
        return doc_id, None, f"{where}: skipped: {exc}", size, is_html, 0
    return doc_id, document_lines(text), None, size, is_html, copy_of(site_of(doc_id), text)


def copy_of(site: str | None, text: str) -> int:
    """A 64-bit fingerprint of a document's text (its words: whitespace aside) in its site:
    copies of one article in a site (the same page under URLs with tracking parameters, its
    print and AMP versions, a crawl that fetched it twice) share it, and ``learn`` counts them
    once. They made the article's title and subheadings "recur" in as many documents, to be
    learned as boilerplate and removed from the article itself. Copies in other sites count
    each, so that the counts do not depend on which copy comes first.

    >>> copy_of("x.de", "Ein  Text\\n") == copy_of("x.de", "Ein Text"), copy_of("x.de", "A") == copy_of(None, "A")
    (True, False)
    """
    return _hash64(f"{site or ''}\0{' '.join(text.split())}")


class Fingerprints:
    """A set of 64-bit fingerprints in 8 bytes a slot, half full at most (16 to 32 bytes a
    member; a Python set of ints takes some 60).

    >>> seen = Fingerprints()
    >>> [seen.add(n) for n in (5, 5, 0, 2**64 - 1, 0)], all(seen.add(n) for n in range(10, 3000))
    ([True, False, True, True, False], True)
    """

    def __init__(self) -> None:
        self.slots = array("Q", bytes(8 * 1024))
        self.count = 0

    def add(self, fingerprint: int) -> bool:
        """Is it new (it is in the set now)?"""
        fingerprint = fingerprint or 1  # (0 marks an empty slot; one fingerprint in 2**64 shares 1's)
        slots, mask = self.slots, len(self.slots) - 1
        i = fingerprint & mask
        while slots[i]:
            if slots[i] == fingerprint:
                return False
            i = (i + 1) & mask
        slots[i] = fingerprint
        self.count += 1
        if self.count * 2 > len(slots):
            self._grow()
        return True

    def _grow(self) -> None:
        old, self.slots, self.count = self.slots, array("Q", bytes(16 * len(self.slots))), 0
        for fingerprint in old:
            if fingerprint:
                self.add(fingerprint)


def _keyed_batch(sources: list[Source], _spec: object = None) -> list[Keyed]:
    return [keyed(source) for source in sources]


def _keyed_documents(corpus: Path, options: LearnOptions, workers: int, skipped: Skipped,
                     files: CorpusFiles | None = None) -> Iterator[Keyed]:
    sources = iter_sources(corpus, options, skipped, files)
    if workers <= 1:
        yield from map(keyed, sources)
        return
    from .config import CleanConfig
    from .datasets.runner import PoolExecutor

    executor = PoolExecutor(workers, CleanConfig(detect_language=False), warm=False)
    try:
        for results in executor.map_tasks(_keyed_batch, _batches(sources, DOCS_PER_TASK), None, _isolate):
            yield from results
    finally:
        executor.close()


def _isolate(executor: Any, sources: list[Source], spec: object) -> list[Keyed]:
    """A batch that kills a worker: each document alone; one that kills a worker is skipped."""
    return executor.each_alone(_keyed_batch, sources, spec, _crashed)  # type: ignore[no-any-return]


def _crashed(source: Source) -> Keyed:
    return (source[0], None, f"{source[4]}: skipped: the worker process reading it died", len(source[2]),
            source[3], 0)


def _batches(items: Iterator[Source], size: int) -> Iterator[list[Source]]:
    batch: list[Source] = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _is_page(data: bytes, path: Path) -> bool:
    """Is this file a page (HTML), as ``cleaner clean`` judges it (its name, else its content):
    a page saved as .txt is cleaned as HTML, so its lines must be learned from its text too."""
    from .config import CleanConfig
    from .pipeline import is_html_input

    return is_html_input(data, str(path), CleanConfig())


def _html_text(html: str | bytes) -> str:
    from .extract import extract_html

    return extract_html(html).text


def _qualify(per_line: PerLine, per_site_line: PerSiteLine, per_sentence: PerLine, stories: Stories,
             need: int, site_docs: Counter[str], options: LearnOptions,
             lines: dict[str, dict[str, Any]]) -> None:
    """Add to ``lines`` the lines of these counts that recur often enough (see the module)."""

    def sentence(key: str) -> bool:
        return 2 * per_sentence[key] > per_line[key]

    for key, count in per_line.items():
        if count >= need and not sentence(key) and story_count(stories[key]) >= MIN_STORIES:
            lines[rule.line_hash(key)] = {"sample": key, "documents": count, "sites": []}
    for (site, key), count in sorted(per_site_line.items()):
        if count < max(options.min_docs, math.ceil(options.site_fraction * site_docs[site])):
            continue
        if story_count(stories[key]) < MIN_STORIES:  # (one story's lines, printed by this site)
            continue
        if sentence(key) and count < per_line[key]:  # a sentence in other sites' documents too
            continue
        entry = lines.setdefault(rule.line_hash(key),
                                 {"sample": key, "documents": per_line[key], "sites": []})
        entry["sites"].append(site)


def model_summary(model: dict[str, Any], path: Path) -> str:
    lines = model["lines"]
    top = sorted(lines.values(), key=lambda v: (-v["documents"], v["sample"]))[:5]
    shown = "\n".join(f"  {v['documents']:>7,}  {v['sample'][:70]}" for v in top)
    return (
        f"cleaner: {len(lines):,} boilerplate lines from {model['documents']:,} documents ("
        + (f"{copies:,} copies of others counted once; " if (copies := model.get("duplicate_documents")) else "")
        + f"at least {model['thresholds']['documents_needed']:,} each) -> {path}"
        + (f"\n{shown}" if shown else "")
    )
