"""The sidecar: one JSON object per document. Its key names are a public interface.

Schema version 1 (bump it when a key changes meaning or disappears):

schema_version, cleaner_version, source, config_hash, title, date, date_source, language,
language_probability, metadata, removed[{text, kind, rules, line, start, end, detail}],
stats{chars_in, chars_out, lines_in, lines_out, blocks_in, blocks_out, removed_blocks,
removed_spans}, notes.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from ._version import __version__

if TYPE_CHECKING:
    from .models import CleanResult

SCHEMA_VERSION = 1


def to_sidecar(result: CleanResult) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "cleaner_version": __version__,
        "source": result.source,
        "config_hash": result.config_hash,
        "title": result.title,
        "date": result.date,
        "date_source": result.date_source,
        "language": result.language,
        "language_probability": result.language_probability,
        "metadata": _copied(result.metadata),
        "removed": [r.to_dict() for r in result.removed],
        "stats": dict(result.stats),
        "notes": list(result.notes),
    }


def _copied(value: Any) -> Any:
    """A copy of the dicts and lists of a value: a sidecar changed by its reader (the page's
    ``metadata.page`` dict, its lists of tags) changed the frozen result, and every later sidecar.

    >>> page = {"page": {"tags": ["a"]}}
    >>> copy = _copied(page); copy["page"]["tags"].append("b"); page
    {'page': {'tags': ['a']}}
    """
    if isinstance(value, dict):
        return {key: _copied(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_copied(item) for item in value]
    return value


def dumps(sidecar: dict[str, Any]) -> str:
    """Stable JSON text: same sidecar, same bytes."""
    return json.dumps(sidecar, ensure_ascii=False, indent=2) + "\n"
