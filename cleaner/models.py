"""The values that flow between pipeline stages. All frozen; stages return new ones."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Piece:
    """One input line's contribution to a block: where it sits in the block and in the input."""

    offset: int  # start of this piece in the block text
    text: str  # normalized text of the line, as it appears in the block
    raw_start: int  # start of the raw line in the input text
    raw: str  # the raw line, as in the input (without its line break)
    line: int  # 1-based line number in the input
    brk: str = ""  # the line break after ``raw`` in the input (normalize.Line.brk)


@dataclass(frozen=True, slots=True)
class Block:
    """A paragraph, a list item, a heading: the unit rules look at and the pipeline keeps or drops."""

    index: int
    text: str
    pieces: tuple[Piece, ...]
    is_list_item: bool = False
    group: int = 0  # blocks of one group were separated by single line breaks in the input

    def moved(self, index: int, text: str) -> Block:
        """The block at another position, with another text (for a later round of rules):
        ``dataclasses.replace(self, index=index, text=text)``, without its generic work."""
        return Block(index, text, self.pieces, self.is_list_item, self.group)

    @property
    def line(self) -> int:
        return self.pieces[0].line

    @property
    def start(self) -> int:
        return self.pieces[0].raw_start

    @property
    def end(self) -> int:
        last = self.pieces[-1]
        return last.raw_start + len(last.raw)


@dataclass(frozen=True, slots=True)
class Evidence:
    """What one rule observed about a block (or a span of it). Rules never edit text.

    ``weight`` >= 1.0 is enough on its own to remove; weaker evidence adds up.
    ``span`` is a (start, end) range in the block text; None means the whole block.
    """

    rule: str
    kind: str
    weight: float
    detail: str
    span: tuple[int, int] | None = None


@dataclass(frozen=True, slots=True)
class Removal:
    """A removed block or span, located in the input text."""

    text: str
    kind: str
    rules: tuple[str, ...]
    line: int
    start: int
    end: int
    detail: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "kind": self.kind,
            "rules": list(self.rules),
            "line": self.line,
            "start": self.start,
            "end": self.end,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class Header:
    """A metadata header found at the top of a text, and where it was."""

    fields: dict[str, str]  # raw key -> raw value, as written
    date: str | None  # ISO date at the precision given
    title: str | None
    removals: tuple[Removal, ...]
    consumed: int  # characters of the text the header occupied (from the start)


@dataclass(frozen=True, slots=True)
class Decision:
    """The verdict on one block: the evidence seen and what it led to."""

    block: Block
    evidence: tuple[Evidence, ...]
    keep: bool
    kept_text: str  # the block text after span cuts ("" when dropped)
    removals: tuple[Removal, ...]


@dataclass(frozen=True, slots=True)
class CleanResult:
    """Clean text plus everything learned about the document."""

    text: str
    title: str | None
    date: str | None
    date_source: str | None
    language: str | None
    language_probability: float | None
    metadata: dict[str, Any]
    removed: tuple[Removal, ...]
    stats: dict[str, int]
    source: str | None = None
    notes: tuple[str, ...] = ()
    config_hash: str | None = None
    decisions: tuple[Decision, ...] = field(default=(), compare=False, repr=False)

    @property
    def sidecar(self) -> dict[str, Any]:
        from .sidecar import to_sidecar

        return to_sidecar(self)
