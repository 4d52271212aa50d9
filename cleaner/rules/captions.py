"""Image captions: a caption line duplicated on consecutive lines, photo credits."""

from __future__ import annotations

from ..models import Block, Evidence
from ..phrases import match_extra, normalize_line
from . import patterns as P
from .registry import Context, rule
from .textstats import word_count

#: A caption is short: at most this many words.
CAPTION_MAX_WORDS = 20
#: A credit line is short, and the credit after its marker shorter still.
CREDIT_LINE_MAX_WORDS = 25
CREDIT_TAIL_MAX_WORDS = 9
#: A line that is a photo or news agency's name and nothing else ("GettyImages", "Reuters") is a
#: credit under a picture (or a byline); the longest names of the list have this many words.
AGENCY_LINE_MAX_WORDS = 4


@rule("caption.duplicate", "caption-duplicate",
      "a short line repeated on the next or previous line (an image caption printed twice)", contextual=True,
      max_words=CAPTION_MAX_WORDS)
def duplicate(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(duplicate, "Elon Musk und Sam Altman", "Elon Musk und Sam Altman").weight
    1.0
    >>> check(duplicate, "Oh, the refrain", "A verse in between.", "Oh, the refrain") is None
    True
    >>> check(duplicate, "Zutaten", "Zutaten", "für das Rezept", index=0) is None  # one copy stays
    True
    >>> check(duplicate, "Zutaten", "Zutaten", "für das Rezept", index=1).weight
    1.0
    >>> check(duplicate, "Er sagte nein.", "Er sagte nein.", index=0) is None  # a sentence: one copy stays
    True
    """
    if word_count(block.text) > CAPTION_MAX_WORDS:
        return None
    key = ctx.keys[block.index]
    # a caption is a label ("Elon Musk und Sam Altman"); a line that ends a sentence may be the
    # text's own, said twice ("Nein. / Nein.", a chorus): its first copy is kept
    sentence = P.ends_sentence(block.text)
    for step in (-1, 1):
        other = ctx.neighbour(block, step)
        if other is not None and ctx.keys[other.index] == key:
            if step == 1 and (sentence or _continued(ctx.neighbour(other, 1))):
                continue  # the first copy stays: the pair may be a heading or a sentence said twice
            return Evidence("caption.duplicate", "caption-duplicate", 1.0,
                            f"same text as line {other.line}")
    return None


def _continued(after: Block | None) -> bool:
    """Does the line after a repeated pair go on from it (it starts in lowercase: "Zutaten /
    Zutaten / für das Rezept …", a headline twice then "von Anna Muster")? Then the repeated
    line may be a heading or a title, not a caption: one copy is kept, so nothing is lost."""
    return after is not None and bool(P.STARTS_LOWER.match(after.text))


def _names_someone(tail: str) -> bool:
    """Does the rest of a line after "Photo by", "Foto di", "Photo de" name a photographer or an
    agency (a capital or a digit first, or a known agency), as a credit does, and not go on in
    words ("Photo de famille", "Foto di gruppo", "Bilder von oben")?

    >>> _names_someone("Jane Roe"), _names_someone("l'AFP"), _names_someone("dpa"), _names_someone("famille")
    (True, True, True, False)
    """
    core = P.ELIDED_ARTICLE.sub("", tail).lstrip()
    return (bool(core) and not core[0].islower()) or match_extra("credit", "agencies", tail) is not None


def _agency_alone(text: str) -> bool:
    """Is the line a known agency's name, and nothing else?

    >>> _agency_alone("GettyImages"), _agency_alone("Reuters."), _agency_alone("Reuters reported a loss.")
    (True, True, False)
    """
    return match_extra("credit", "agencies", text) == normalize_line(text)


@rule("caption.credit", "image-credit",
      "a short caption line with a photo credit: 'Elon Musk (Bild: depositphotos.com)', 'Foto: dpa'",
      max_words=CREDIT_LINE_MAX_WORDS)
def credit(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(credit, "Elon Musk (Bild: depositphotos.com)").weight
    1.0
    >>> check(credit, "Das Foto zeigt den Kanzler bei einer Rede in Berlin.") is None
    True
    >>> check(credit, "Photo de famille") is None  # a phrase, not "Photo de Jean Dupont"
    True
    >>> check(credit, "GettyImages").weight  # an agency's name alone, under a picture
    1.0
    """
    text = block.text
    if word_count(text) > CREDIT_LINE_MAX_WORDS:
        return None
    marker = P.CREDIT_MARKER.search(text)
    if marker is None and (":" in text or "/" in text):
        marker = P.COLON_CREDIT_MARKER.search(text)
    if marker is not None:
        tail = text[marker.end():]
        if (word_count(tail) <= CREDIT_TAIL_MAX_WORDS and not P.ends_sentence(tail.rstrip(")"))
                and (marker.groupdict().get("by") is None or _names_someone(tail))):
            return Evidence("caption.credit", "image-credit", 1.0, f"photo credit {marker.group().strip()!r}")
    if word_count(text) <= AGENCY_LINE_MAX_WORDS and _agency_alone(text):
        return Evidence("caption.credit", "image-credit", 1.0, "an agency's name alone")
    paren = P.PAREN_CREDIT.search(text) if ")" in text else None  # most lines have no ")"
    if paren is not None and not P.ends_sentence(text[:paren.start()].rstrip()):
        return Evidence("caption.credit", "image-credit", 0.6, f"credit-like parenthesis {paren.group()!r}")
    return None
