"""Injected spam: repeated-phrase banners and all-caps calls to action.

A banner glued to a real sentence on the same line is reported as a span, so only the
banner goes.
"""

from __future__ import annotations

from ..models import Block, Evidence
from ..phrases import match
from . import patterns as P
from .registry import Context, rule
from .textstats import caps_runs, repeated_stretch, upper_ratio, word_count

#: Share of a line a repeated stretch must cover to condemn the whole line.
REPEAT_COVER_MIN = 0.6
#: Uppercase share of letters above which a stretch counts as "all caps".
CAPS_RATIO_MIN = 0.8
#: Words of prose (outside the spam span) needed to keep the rest of the line.
PROSE_REST_MIN_WORDS = 4


def _span_or_block(block: Block, start: int, end: int) -> tuple[int, int] | None:
    """The span if the line has real text besides it, else None (the whole block)."""
    rest = block.text[:start] + " " + block.text[end:]
    if word_count(rest) >= PROSE_REST_MIN_WORDS and upper_ratio(rest) < CAPS_RATIO_MIN:
        return (start, end)
    return None


def _widen_to_caps_run(text: str, start: int, end: int) -> tuple[int, int]:
    """Grow a span to the all-caps run that contains it ("GEHEN SIE ZUM" + the repeats)."""
    for a, b in caps_runs(text, min_words=1):
        if a <= end and b >= start:
            start, end = min(a, start), max(b, end)
    return start, end


@rule("spam.repeated_phrase", "spam-banner",
      "a phrase of two or more words repeated back to back inside one line (banner spam)")
def repeated_phrase(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(repeated_phrase, "GUADAGNA SUBITO CON NOI | GUADAGNA SUBITO CON NOI").weight
    1.0
    >>> check(repeated_phrase, "Die Konfrontation ist nicht neu, doch sie eskalierte.") is None
    True
    """
    found = repeated_stretch(block.text)
    if found is None:
        return None
    start, end, repeats = found
    stretch = block.text[start:end]
    caps = upper_ratio(stretch) >= CAPS_RATIO_MIN
    if caps:
        start, end = _widen_to_caps_run(block.text, start, end)
    cover = (end - start) / max(1, len(block.text))
    span = _span_or_block(block, start, end) if caps else None
    if caps and (span is not None or cover >= REPEAT_COVER_MIN):
        detail = f"all-caps phrase repeated {repeats}x over {cover:.0%} of the line"
        return Evidence("spam.repeated_phrase", "spam-banner", 1.0, detail, span)
    if cover >= REPEAT_COVER_MIN:
        weight = 0.7 if repeats >= 3 else 0.5
        return Evidence("spam.repeated_phrase", "spam-banner", weight,
                        f"phrase repeated {repeats}x over {cover:.0%} of the line")
    return None


@rule("spam.all_caps_cta", "spam-banner",
      "an all-caps run of 3+ words with a call to action or a domain name (affiliate banner)")
def all_caps_cta(block: Block, ctx: Context) -> list[Evidence]:
    """
    >>> from cleaner.rules.testing import check
    >>> check(all_caps_cta, "JETZT ANMELDEN UND GRATIS BONUS SICHERN").weight
    1.0
    >>> check(all_caps_cta, "NATO UND EU") is None
    True
    """
    hits: list[tuple[int, int, str]] = []
    for start, end in caps_runs(block.text):
        run = block.text[start:end]
        cta = match("cta", run)
        domain = P.DOMAIN.search(run)
        if cta is None and domain is None:
            continue
        hits.append((start, end, f"call to action {cta[1]!r}" if cta else f"domain {domain.group()!r}"))  # type: ignore[union-attr,unused-ignore]
    if not hits:
        return []
    # one look at what the banners leave (not one per banner: a line can hold hundreds)
    rest = "".join(block.text[a:b] for a, b in zip([0] + [e for _, e, _ in hits], [s for s, _, _ in hits] + [len(block.text)]))
    keep_rest = word_count(rest) >= PROSE_REST_MIN_WORDS and upper_ratio(rest) < CAPS_RATIO_MIN
    return [Evidence("spam.all_caps_cta", "spam-banner", 1.0, f"all-caps run with {why}",
                     (start, end) if keep_rest else None) for start, end, why in hits]
