"""Helpers for rule doctests and tests: run one rule on a made-up block."""

from __future__ import annotations

from ..config import CleanConfig
from ..models import Block, Evidence, Piece
from .registry import Context, RuleFn


def make_blocks(*texts: str) -> tuple[Block, ...]:
    """Blocks of consecutive lines (one group), offsets as if joined by newlines."""
    blocks, pos = [], 0
    for i, text in enumerate(texts):
        blocks.append(Block(i, text, (Piece(0, text, pos, text, i + 1),), text.startswith("- ")))
        pos += len(text) + 1
    return tuple(blocks)


def check(fn: RuleFn, text: str, *neighbours: str, index: int = 0, title: str | None = None) -> Evidence | None:
    """The strongest evidence ``fn`` gives for ``text`` (block ``index`` among ``neighbours``)."""
    texts = list(neighbours)
    texts.insert(index, text)
    blocks = make_blocks(*texts)
    found = fn(blocks[index], Context(blocks, title, CleanConfig()))
    if found is None:
        return None
    if isinstance(found, Evidence):
        return found
    found = list(found)
    return max(found, key=lambda e: e.weight) if found else None
