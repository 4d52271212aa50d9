"""A block-by-block account of one cleaning: what was kept, dropped or cut, and why."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from .models import CleanResult

PREVIEW_CHARS = 160


@dataclass(frozen=True, slots=True)
class ExplainLine:
    verdict: str  # KEEP, DROP, CUT, HEAD
    line: int
    text: str
    reasons: tuple[str, ...]  # "rule (weight): detail"


def explain(result: CleanResult) -> Iterator[ExplainLine]:
    """One entry per block of the input (header lines first), in input order."""
    in_decisions = {r for d in result.decisions for r in d.removals}
    for removal in result.removed:  # the header stage's removals come before any block
        if removal not in in_decisions:
            yield ExplainLine("HEAD", removal.line, removal.text, (f"{', '.join(removal.rules)}: {removal.detail}",))
    for d in result.decisions:
        header = [r for r in d.removals if r.kind == "metadata-header"]
        verdict = "HEAD" if header else ("DROP" if not d.keep else ("CUT" if d.removals else "KEEP"))
        reasons = tuple(f"{e.rule} ({e.weight:.1f}{', span' if e.span else ''}): {e.detail}" for e in d.evidence)
        if header:
            reasons = (*reasons, *(f"{', '.join(r.rules)}: {r.detail}" for r in header))
        yield ExplainLine(verdict, d.block.line, d.block.text, reasons)


def preview(text: str, width: int = PREVIEW_CHARS) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"
