"""jusText's paragraph revision in linear time, with the same result.

trafilatura falls back to jusText on pages where its own extraction looks poor. jusText's
``revise_paragraph_classification`` finds, for every short or near-good paragraph, the nearest
good or bad paragraph before and after it by walking there one paragraph at a time: quadratic
in a run of short paragraphs. A page of 1,400 ``<div>Anzeige</div>`` rows spent 0.9 of its
1.05 s there (found by the fuzz test); 8,000 list items took 7.6 s.

This module computes the same neighbours with one pass in each direction. The heading passes
are jusText's own (they stop after ``max_heading_distance`` characters, so they are linear).
``tests/test_extract.py`` checks that both versions classify random paragraph sequences and
the bench pages identically. ``install()`` puts it in place of the function trafilatura
imported; jusText's own module is left alone.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

GOOD_OR_BAD = frozenset({"good", "bad"})
#: jusText's default (trafilatura passes its own).
MAX_HEADING_DISTANCE = 200


def _nearest(classes: Sequence[str], order: Iterable[int]) -> tuple[list[str], list[str]]:
    """For each index, walking ``order``: the class of the nearest paragraph already passed
    that is good or bad, and of the nearest that is good, bad or neargood ('bad' when none),
    as jusText's ``get_prev/next_neighbour`` with ``ignore_neargood`` True and False."""
    good_bad = ["bad"] * len(classes)
    with_neargood = ["bad"] * len(classes)
    last_gb = last_gbn = "bad"
    for i in order:
        good_bad[i], with_neargood[i] = last_gb, last_gbn
        c = classes[i]
        if c in GOOD_OR_BAD:
            last_gb = last_gbn = c
        elif c == "neargood":
            last_gbn = c
    return good_bad, with_neargood


def _headings(paragraphs: Sequence[Any], max_heading_distance: int, copy: bool) -> None:
    """jusText's two heading passes, verbatim: a short (first pass, which also copies
    ``cf_class``) or demoted (second pass) heading close before a good paragraph is kept."""
    for i, paragraph in enumerate(paragraphs):
        if copy:
            paragraph.class_type = paragraph.cf_class
            if not (paragraph.heading and paragraph.class_type == "short"):
                continue
        elif not (paragraph.heading and paragraph.class_type == "bad" and paragraph.cf_class != "bad"):
            continue
        j = i + 1
        distance = 0
        while j < len(paragraphs) and distance <= max_heading_distance:
            if paragraphs[j].class_type == "good":
                paragraph.class_type = "neargood" if copy else "good"
                break
            distance += len(paragraphs[j].text)
            j += 1


def revise_paragraph_classification(paragraphs: Sequence[Any],
                                    max_heading_distance: int = MAX_HEADING_DISTANCE) -> None:
    """Context-sensitive classification, as ``justext.core.revise_paragraph_classification``."""
    _headings(paragraphs, max_heading_distance, copy=True)
    n = len(paragraphs)

    # short paragraphs: by their nearest good/bad neighbours (classes fixed during the pass)
    classes = [p.class_type for p in paragraphs]
    prev_gb, prev_gbn = _nearest(classes, range(n))
    next_gb, next_gbn = _nearest(classes, range(n - 1, -1, -1))
    for i, c in enumerate(classes):
        if c != "short":
            continue
        before, after = prev_gb[i], next_gb[i]
        if before == after:
            new = before
        elif (before == "bad" and prev_gbn[i] == "neargood") or (after == "bad" and next_gbn[i] == "neargood"):
            new = "good"
        else:
            new = "bad"
        paragraphs[i].class_type = new

    # near-good paragraphs: resolved in order, so the one before may just have been resolved;
    # the ones after are still near-good and skipped
    classes = [p.class_type for p in paragraphs]
    next_gb, _ = _nearest(classes, range(n - 1, -1, -1))
    before = "bad"
    for i, paragraph in enumerate(paragraphs):
        if paragraph.class_type == "neargood":
            paragraph.class_type = "bad" if (before, next_gb[i]) == ("bad", "bad") else "good"
        if paragraph.class_type in GOOD_OR_BAD:
            before = paragraph.class_type

    _headings(paragraphs, max_heading_distance, copy=False)


def install() -> None:
    """Use the linear version where trafilatura calls jusText (idempotent)."""
    import trafilatura.external

    trafilatura.external.revise_paragraph_classification = revise_paragraph_classification  # type: ignore[attr-defined]
