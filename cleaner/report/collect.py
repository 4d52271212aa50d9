"""Read a run in one streaming pass: counts over every sidecar, a sample of documents.

Memory stays bounded whatever the run's size: counters per rule, kind, language and month,
a bounded table of removed lines (the rarest are pruned, see :class:`LineCounter`) and the
sampled documents. Only the sample's texts are read in full (see ``inputs``).

Sampling is bottom-k over a seeded hash of the document id (a reservoir sample whose result
does not depend on the order the run is read in): the same run, size and seed always give the
same documents. Besides the uniform sample, every rule gets up to ``per_rule`` example
documents of its own, so that filtering by a rare rule still shows documents.
"""

from __future__ import annotations

import hashlib
import heapq
import re
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import MAX_DOC_CHARS, input_view
from .runs import Document, Run, RunError, as_int, open_run, removed_items, stats_problems

__all__ = ["Options", "RunError", "collect", "open_run"]

#: Documents embedded with their text, by default.
DEFAULT_SAMPLE = 200
#: Extra example documents per rule (so rare rules have documents to show).
DEFAULT_PER_RULE = 3
#: Characters of input text embedded over the whole sample at most (the per-document cap,
#: ``inputs.MAX_DOC_CHARS``, shrinks to fit).
MAX_SAMPLE_CHARS = 3_000_000
#: Removed lines shown: the most frequent overall, plus the most frequent of each rule.
TOP_LINES = 200
TOP_LINES_PER_RULE = 10
#: Distinct removed lines counted exactly before the rarest are pruned.
LINE_TABLE_SIZE = 20_000
#: A removed line longer than this is counted by its beginning.
MAX_LINE_CHARS = 300
_MONTH = re.compile(r"^(\d{4})(?:-(\d{2}))?")


def one_line(text: str, limit: int = MAX_LINE_CHARS) -> str:
    """Whitespace collapsed, cut to ``limit`` characters.

    >>> one_line("  Foto:\\n dpa  ")
    'Foto: dpa'
    """
    text = " ".join(text.split())
    return text if len(text) <= limit else text[:limit - 1] + "…"


def month_of(date: Any) -> str:
    """The month of an ISO date at any precision; 'no date' or the year when that is all.

    >>> month_of("2024-11-03"), month_of("2025-02"), month_of("2025"), month_of(None)
    ('2024-11', '2025-02', '2025', 'no date')
    """
    match = _MONTH.match(date) if isinstance(date, str) else None
    if not match:
        return "no date"
    return f"{match[1]}-{match[2]}" if match[2] else match[1]


def sample_key(seed: int, doc_id: str) -> int:
    """The document's place in the seeded random order (smaller is sampled first)."""
    digest = hashlib.blake2b(f"{seed}\0{doc_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


# ------------------------------------------------------------------------------------ aggregating

class LineCounter:
    """How often each removed line was removed, and by which rules, in bounded memory.

    Exact while there are at most ``size`` distinct lines; past ``2 * size`` the rarest half is
    pruned (lossy counting), so the counts of lines first seen late and rarely are lower bounds.
    The frequent lines, the ones a reviewer needs, are counted exactly.

    >>> c = LineCounter(size=2)
    >>> for text in ["a", "b", "a", "c", "d", "a", "b"]:
    ...     c.add(text, "spam", ["spam.x"])
    >>> [(t, n) for t, n, _, _ in c.top(2)]
    [('a', 3), ('b', 2)]
    """

    def __init__(self, size: int = LINE_TABLE_SIZE) -> None:
        self.size = size
        self.lines: dict[str, tuple[int, Counter[str], Counter[str]]] = {}
        self.pruned = False

    def add(self, text: str, kind: str, rules: list[str]) -> None:
        entry = self.lines.get(text)
        if entry is None:
            entry = self.lines[text] = (0, Counter(), Counter())
        count, by_rule, by_kind = entry
        by_rule.update(rules)
        by_kind[kind] += 1
        self.lines[text] = (count + 1, by_rule, by_kind)
        if len(self.lines) > 2 * self.size:
            keep = heapq.nlargest(self.size, self.lines.items(), key=lambda item: item[1][0])
            self.lines = dict(keep)
            self.pruned = True

    def top(self, n: int, rule: str | None = None) -> list[tuple[str, int, Counter[str], Counter[str]]]:
        """The ``n`` most removed lines (of one rule), most frequent first, ties by text."""
        items = ((t, e[1][rule] if rule else e[0], e[1], e[2]) for t, e in self.lines.items())
        return heapq.nsmallest(n, (i for i in items if i[1]), key=lambda i: (-i[1], i[0]))


@dataclass(slots=True)
class Totals:
    """The counts over every document of a run."""

    documents: int = 0
    chars_in: int = 0
    chars_out: int = 0
    removed_items: int = 0
    removed_blocks: int = 0
    removed_spans: int = 0
    removed_chars: int = 0
    kinds: Counter[str] = field(default_factory=Counter)
    kind_chars: Counter[str] = field(default_factory=Counter)
    kind_docs: Counter[str] = field(default_factory=Counter)
    rules: Counter[str] = field(default_factory=Counter)
    rule_docs: Counter[str] = field(default_factory=Counter)
    languages: Counter[str] = field(default_factory=Counter)
    months: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    rejections: Counter[str] = field(default_factory=Counter)
    versions: Counter[str] = field(default_factory=Counter)
    lines: LineCounter = field(default_factory=LineCounter)

    def add(self, sidecar: dict[str, Any]) -> None:
        raw = sidecar.get("stats")
        stats: dict[str, Any] = raw if isinstance(raw, dict) else {}
        self.documents += 1
        self.chars_in += as_int(stats.get("chars_in"))
        self.chars_out += as_int(stats.get("chars_out"))
        self.removed_blocks += as_int(stats.get("removed_blocks"))
        self.removed_spans += as_int(stats.get("removed_spans"))
        self.languages[str(sidecar.get("language") or "unknown")] += 1
        self.months[month_of(sidecar.get("date"))] += 1
        self.versions[str(sidecar.get("cleaner_version") or "?")] += 1
        if as_int(stats.get("chars_out")) == 0 and "chars_out" in stats:
            self.rejections["empty after cleaning"] += 1
        kinds_here: set[str] = set()
        rules_here: set[str] = set()
        for item in removed_items(sidecar):
            kind, rules = item["kind"], item["rules"]
            self.removed_items += 1
            self.removed_chars += max(0, item["end"] - item["start"])
            self.kinds[kind] += 1
            self.kind_chars[kind] += max(0, item["end"] - item["start"])
            self.rules.update(rules)
            kinds_here.add(kind)
            rules_here.update(rules)
            self.lines.add(one_line(item["text"]), kind, rules)
        self.kind_docs.update(kinds_here)
        self.rule_docs.update(rules_here)


# -------------------------------------------------------------------------------------- sampling

class Sampler:
    """Bottom-k sampling by a seeded hash: ``size`` documents overall, ``per_rule`` per rule.

    >>> docs = [Document(str(i), str(i), {"removed": [], "stats": {}}) for i in range(50)]
    >>> a, b = Sampler(5, 0, seed=1), Sampler(5, 0, seed=1)
    >>> for d in docs: a.offer(d)
    >>> for d in reversed(docs): b.offer(d)
    >>> [d.doc_id for d in a.result()] == [d.doc_id for d in b.result()]
    True
    """

    def __init__(self, size: int, per_rule: int, seed: int) -> None:
        self.size, self.per_rule, self.seed = size, per_rule, seed
        self.uniform: list[_Entry] = []  # max-heaps by key (negated): the k smallest keys
        self.by_rule: dict[str, list[_Entry]] = {}
        self.seen = 0

    def offer(self, doc: Document) -> None:
        self.seen += 1
        entry = (-sample_key(self.seed, doc.doc_id), doc.doc_id, -self.seen, doc)
        _push(self.uniform, self.size, entry)
        if self.per_rule:
            for rule in sorted({r for item in removed_items(doc.sidecar) for r in item["rules"]}):
                _push(self.by_rule.setdefault(rule, []), self.per_rule, entry)

    def result(self) -> list[Document]:
        """The sampled documents (a repeated id once), ordered by id."""
        chosen: dict[str, Document] = {}
        for heap in [self.uniform, *self.by_rule.values()]:
            for entry in sorted(heap, reverse=True):
                chosen.setdefault(entry[1], entry[3])
        return [chosen[k] for k in sorted(chosen)]


_Entry = tuple[int, str, int, Document]


def _push(heap: list[_Entry], size: int, entry: _Entry) -> None:
    if len(heap) < size:
        heapq.heappush(heap, entry)
    elif size and entry[:3] > heap[0][:3]:
        heapq.heapreplace(heap, entry)


# ------------------------------------------------------------------------------------ the report

@dataclass(frozen=True, slots=True)
class Options:
    """How much of the run the report embeds."""

    sample: int = DEFAULT_SAMPLE
    seed: int = 0
    per_rule: int = DEFAULT_PER_RULE
    top_lines: int = TOP_LINES
    top_lines_per_rule: int = TOP_LINES_PER_RULE


def collect(run: Run, options: Options | None = None, extra_stats: dict[str, Any] | None = None
            ) -> dict[str, Any]:
    """Read every document of ``run`` once and return the report's data (plain JSON values)."""
    options = options or Options()
    totals = Totals()
    sampler = Sampler(options.sample, options.per_rule if options.sample else 0, options.seed)
    for doc in run.documents:
        totals.add(doc.sidecar)
        sampler.offer(doc)
    totals.failures.update(run.problems)
    for stats in (run.stats_file, extra_stats):
        if stats:
            failures, rejections = stats_problems(stats)
            totals.failures.update(failures)
            totals.rejections.update(rejections)
    sample = sampler.result()
    return {
        "meta": {
            "run": str(run.path), "kind": run.kind, "sample": options.sample, "seed": options.seed,
            "per_rule": options.per_rule, "sampled": len(sample),
            "cleaner_versions": _pairs(totals.versions),
            "lines_pruned": totals.lines.pruned,
        },
        "totals": {
            "documents": totals.documents, "chars_in": totals.chars_in, "chars_out": totals.chars_out,
            "removed": totals.removed_items, "removed_blocks": totals.removed_blocks,
            "removed_spans": totals.removed_spans, "removed_chars": totals.removed_chars,
            "failures": sum(totals.failures.values()), "rejections": sum(totals.rejections.values()),
        },
        "kinds": [[k, n, totals.kind_chars[k], totals.kind_docs[k]] for k, n in _pairs(totals.kinds)],
        "rules": [[r, n, totals.rule_docs[r]] for r, n in _pairs(totals.rules)],
        "languages": _pairs(totals.languages),
        "months": sorted(totals.months.items(), key=lambda kv: (kv[0] == "no date", kv[0])),
        "failures": _pairs(totals.failures),
        "rejections": _pairs(totals.rejections),
        "lines": _top_lines(totals, options),
        "docs": _embed(sample, run.path),
    }


def _pairs(counter: Counter[str]) -> list[list[Any]]:
    """Most frequent first, ties by name (deterministic)."""
    return [[k, n] for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]


def _top_lines(totals: Totals, options: Options) -> list[list[Any]]:
    chosen = {t: (n, rules, kinds) for t, n, rules, kinds in totals.lines.top(options.top_lines)}
    for rule in totals.rules:
        for t, _, rules, kinds in totals.lines.top(options.top_lines_per_rule, rule):
            chosen.setdefault(t, (totals.lines.lines[t][0], rules, kinds))
    ordered = sorted(chosen.items(), key=lambda kv: (-kv[1][0], kv[0]))
    return [[t, n, [r for r, _ in _pairs(rules)], kinds.most_common(1)[0][0]]
            for t, (n, rules, kinds) in ordered]


#: A character beyond the Basic Multilingual Plane (an emoji): two UTF-16 code units.
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _utf16(offset: int, astral: list[int]) -> int:
    """A character offset of the sidecar as the viewer's JavaScript counts it (in UTF-16 code
    units, where an emoji is two): without this, every span after an emoji was marked that
    many characters too early.

    >>> _utf16(5, [0, 2, 9])  # two emoji before offset 5
    7
    """
    return offset + bisect_left(astral, offset)


def _embed(sample: list[Document], run_root: Path) -> list[dict[str, Any]]:
    limit = min(MAX_DOC_CHARS, MAX_SAMPLE_CHARS // max(1, len(sample)))
    docs: list[dict[str, Any]] = []
    for doc in sample:
        view = input_view(doc, run_root, limit)
        astral = [m.start() for m in _ASTRAL.finditer(view.text)]
        side = doc.sidecar
        docs.append({
            "id": doc.doc_id, "name": doc.name, "title": side.get("title"),
            "language": side.get("language"), "date": side.get("date"),
            "stats": side.get("stats") if isinstance(side.get("stats"), dict) else {},
            "mode": view.mode, "truncated": view.truncated, "text": view.text,
            "removed": [[_utf16(s, astral), _utf16(e, astral), i["kind"], i["rules"], i["detail"], i["line"]]
                        for s, e, i in view.spans],
            "removed_total": len(side.get("removed") or ()),
        })
    return docs
