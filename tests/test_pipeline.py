"""Golden tests over fixtures/, and pipeline-level contracts."""

from __future__ import annotations

import gzip
import json
import re
from typing import Any

import pytest

from cleaner import CleanConfig, clean_bytes, clean_html, clean_text
from cleaner.sidecar import SCHEMA_VERSION

from .conftest import FIXTURES, page_of_server_errors, seed_names


def expected(name: str) -> tuple[str, dict]:  # type: ignore[type-arg]
    base = FIXTURES / "expected" / "seeds" / name
    return base.with_suffix(".txt").read_text(encoding="utf-8"), json.loads(base.with_suffix(".json").read_text())


@pytest.mark.parametrize("name", seed_names())
def test_seed_is_cleaned_exactly(name: str) -> None:
    data = (FIXTURES / "input" / "seeds" / f"{name}.txt").read_bytes()
    result = clean_bytes(data, source=f"{name}.txt")
    text, sidecar = expected(name)
    assert result.text == text
    got = result.sidecar
    for key in ("title", "date", "language"):
        assert got[key] == sidecar[key], key
    if "metadata" in sidecar:
        assert got["metadata"] == sidecar["metadata"]
    assert [r["text"] for r in got["removed"]] == [r["text"] for r in sidecar["removed"]]


@pytest.mark.parametrize("name", seed_names())
def test_removals_point_at_their_text_in_the_input(name: str) -> None:
    text = (FIXTURES / "input" / "seeds" / f"{name}.txt").read_text(encoding="utf-8")
    for removal in clean_text(text).removed:
        assert text[removal.start:removal.end] == removal.text
        assert text.splitlines()[removal.line - 1].strip().startswith(removal.text[:10])


# A page as scraped: an indented share row, a nav block of lowercase lines (joined into one
# block), a banner glued to a sentence, a date header; every removal must be findable.
_LOCATED = ("date 2025-02 Die Regierung hat am Montag ein neues Gesetz beschlossen, sagte ein Sprecher.\n"
            "\n"
            "   Share on Facebook   \n"
            "\n"
            "Anmelden\n"
            "teilen\n"
            "twittern\n"
            "\n"
            "Das Gesetz tritt im Sommer in Kraft. GEHEN SIE ZUM VERDIENENKARTE VERLINKEN UND VERDIENENKARTE\n"
            "\n"
            "\tElon Musk (Bild: depositphotos.com)\t\n"
            "\n"
            "Der Bundestag stimmt im Juni ab, und die Opposition kündigte Widerstand an.\n")


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r", "\u2028"])
def test_a_removal_is_exactly_its_text_in_the_input(newline: str) -> None:
    """``input[start:end] == text`` for every removal, whatever the line breaks and the
    whitespace around a line: a reader of the sidecar finds each removal where it says."""
    text = _LOCATED.replace("\n", newline)
    removed = clean_text(text, CleanConfig(detect_language=False)).removed
    assert any(newline in r.text for r in removed)  # a block of several lines is among them
    assert len(removed) >= 5
    for r in removed:
        assert text[r.start:r.end] == r.text, r
        assert r.text == r.text.strip()


def test_a_removed_word_cut_by_the_line_limit_stays_one_word() -> None:
    """A line longer than ``max_line_chars`` without whitespace is cut into pieces of one
    word: its removal is that word, not the pieces with a line break between them."""
    word = "https://example.com/" + "a" * 1480
    text = f"A real opening sentence of the article is here.\n\n{word}\n{word}\n\nThe article goes on.\n"
    removed = clean_text(text, CleanConfig(detect_language=False, max_line_chars=1000)).removed
    assert [r.text for r in removed] == [word, word]
    assert all(text[r.start:r.end] == r.text for r in removed)


def test_lines_in_counts_the_input_lines_not_the_pieces_of_a_cut_line() -> None:
    text = " ".join(["word"] * 200) + "\r\nSecond line here.\n"
    for limit in (0, 100):
        stats = clean_text(text, CleanConfig(detect_language=False, max_line_chars=limit)).stats
        assert stats["lines_in"] == 2, limit


def test_sidecar_has_the_documented_keys() -> None:
    sidecar = clean_text("A title\n\nFoto: dpa\n\nSome real text goes here.").sidecar
    assert sidecar["schema_version"] == SCHEMA_VERSION
    for key in ("cleaner_version", "source", "title", "date", "language", "language_probability",
                "metadata", "removed", "stats", "config_hash"):
        assert key in sidecar
    assert set(sidecar["removed"][0]) >= {"text", "kind", "rules", "line", "start", "end"}
    assert set(sidecar["stats"]) >= {"chars_in", "chars_out", "lines_in", "lines_out"}
    json.dumps(sidecar)


def test_output_format() -> None:
    text = "Title\n\n\n\nFirst   paragraph.\r\nSecond paragraph.\n• one\n• two\n\nEnd.   "
    assert clean_text(text, CleanConfig(detect_language=False)).text == (
        "Title\n\nFirst paragraph.\n\nSecond paragraph.\n\n- one\n- two\n\nEnd.\n")


def test_a_heading_printed_twice_keeps_one_copy() -> None:
    # a page dump repeats a heading or a headline; the line after it goes on from it
    for heading, after in (("Zutaten", "für das Rezept Bienenstich-Muffins"),
                           ("Schnee-Vergnügen ohne Fußabdruck", "von Jennifer Koutni")):
        text = f"{heading}\n{heading}\n{after}\n\nDer Teig muss eine Stunde ruhen, bevor er in die Form kommt.\n"
        result = clean_text(text, CleanConfig(detect_language=False))
        assert result.text.count(heading) == 1, result.text
        assert [r.rules for r in result.removed] == [("caption.duplicate",)]


def test_hard_wrapped_prose_is_joined() -> None:
    text = "The protests began peacefully in June and\nwere sparked by a proposed law.\n"
    assert clean_text(text).text == "The protests began peacefully in June and were sparked by a proposed law.\n"


POEM = ["I wandered lonely as a cloud", "that floats on high o'er vales and hills,",
        "when all at once I saw a crowd,", "a host, of golden daffodils;",
        "beside the lake, beneath the trees,", "fluttering and dancing in the breeze."]


def test_lines_of_a_poem_in_lowercase_are_not_joined_as_wrapped_prose() -> None:
    # short lines of every length, most of them far from full: verse, not a sentence
    # hard-wrapped at a width (a poem's lines were joined into two "paragraphs")
    intro = "My grandmother always recited the same poem when we reached the water of the lake."
    text = intro + "\n\n" + "\n".join(POEM) + "\n\nWe only found out years later who had written it.\n"
    config = CleanConfig(detect_language=False)
    result = clean_text(text, config)
    kept = result.text.splitlines()
    assert [line for line in POEM if line not in kept] == [], result.text
    assert clean_text(result.text, config).text == result.text


_FLOOD_ARTICLE = (
    "Flood defences along the River Calder will be raised by half a metre before next winter, the "
    "Environment Agency said on Thursday.",
    "The decision follows the floods of February, when water came over the existing walls in three "
    "places. The study behind it was led by Dr. Yusuf Okonkwo, a hydrologist at Leeds University, who "
    "has measured river levels in the valley since 2009.",
    "Work on the first section, between Mytholmroyd and Hebden Bridge, is due to start in May and end "
    "in December 2025.",
    "Shopkeepers welcomed the plan but asked for the works to be paused during the Christmas market, "
    "which brings most of their customers of the year. Anna Bright, who runs a bakery near the bridge, "
    "said the last repairs had closed the road for six weeks in 2019.",
)


@pytest.mark.parametrize("width", [32, 60, 64, 72, 78])
@pytest.mark.parametrize("newline", ["\n", "\r\n"])
def test_text_hard_wrapped_at_a_width_keeps_every_sentence(width: int, newline: str) -> None:
    # a wrapped line may end before a name, a number or any capitalized word: "... between
    # Mytholmroyd and Hebden" / "Bridge, is due to start ...". Left as a block of its own, such a
    # piece of a sentence read as a short title-like line between prose and was removed
    import textwrap

    text = "\n\n".join(textwrap.fill(p, width) for p in _FLOOD_ARTICLE).replace("\n", newline) + newline
    config = CleanConfig(detect_language=False)
    result = clean_text(text, config)
    assert result.removed == ()
    assert result.text == "\n\n".join(_FLOOD_ARTICLE) + "\n"
    assert clean_text(result.text, config).text == result.text


def test_short_lines_of_every_length_are_not_taken_for_wrapped_text() -> None:
    text = "Zutaten\nMehl\nZucker\nDrei Eier\nEine Prise Salz\nButter für die Form\n"
    assert clean_text(text, CleanConfig(detect_language=False)).text.count("\n\n") == 5


def test_a_list_of_titles_of_one_length_is_not_taken_for_wrapped_text() -> None:
    """Link titles, menu items or headlines of much the same length, one a line (a page's list
    of related articles, extracted or as plain text), fill their lines like wrapped prose does,
    but each starts with a capital: they stay lines of their own, not one paragraph."""
    titles = ["Council approves the budget for new schools", "Storm closes the coast road for two days",
              "Library opens its new reading room today", "Festival returns to the old market square",
              "Museum shows the paintings of local artists", "Hospital gets a new wing for young patients"]
    for text in ("\n".join(titles) + "\n", "<html><body><ul>" + "".join(f"<li><a href='/{i}'>{t}</a></li>"
                                                                     for i, t in enumerate(titles)) + "</ul></body></html>"):
        result = clean_html(text, CleanConfig(detect_language=False)) if text.startswith("<") else \
            clean_text(text, CleanConfig(detect_language=False))
        blocks = [b for b in result.text.split("\n") if b.strip()]
        assert all(sum(title in block for title in titles) <= 1 for block in blocks), result.text


def test_a_sidecar_changed_by_its_reader_leaves_the_result_as_it_was() -> None:
    """`result.sidecar` is a new dict each time, but its page metadata (a dict, lists of tags)
    was the result's own: a program that edited a sidecar changed the frozen result and every
    sidecar made from it later."""
    page = ("<html><head><title>Der Rat beschließt den Haushalt</title><meta name='keywords' content='Rat, Haushalt'>"
            "</head><body><article><p>" + "Der Rat hat am Montag nach langer Debatte den Haushalt beschlossen. " * 8
            + "</p></article></body></html>")
    result = clean_html(page, CleanConfig(detect_language=False))
    before = json.dumps(result.sidecar, sort_keys=True)
    sidecar = result.sidecar
    sidecar["metadata"]["page"]["title"] = "changed"
    sidecar["metadata"].setdefault("page", {}).setdefault("tags", []).append("changed")
    sidecar["stats"]["chars_out"] = -1
    assert json.dumps(result.sidecar, sort_keys=True) == before
    assert result.metadata["page"]["title"] == "Der Rat beschließt den Haushalt"


def test_a_repeated_line_is_not_joined_with_the_next() -> None:
    # the copy of a caption stays a block of its own, so that it is seen as a copy, even when
    # the next line starts in lowercase ("macOS", "iPhone")
    text = ("The charger works with every laptop I tried this year.\nIl Colosseo bei Nacht\n"
            "Il Colosseo bei Nacht\nmacOS Mojave runs well on it, and the fan stays quiet.\n")
    result = clean_text(text, CleanConfig(detect_language=False))
    # the second copy as a copy; the first, which a lowercase line follows, is left to the
    # other rules (here: four words in sentence case between prose, which may be a subheading)
    assert [r.rules for r in result.removed] == [("caption.duplicate",)]
    assert result.text.count("Il Colosseo bei Nacht") == 1
    assert "macOS Mojave runs well on it, and the fan stays quiet." in result.text
    once = "The protests began peacefully and\nwent on\nwent on for months.\n"  # a repeat, not an exact one
    assert clean_text(once, CleanConfig(detect_language=False)).text == (
        "The protests began peacefully and went on went on for months.\n")


def test_language_is_deterministic_and_none_without_text() -> None:
    text = "Dies ist ein kurzer deutscher Text über das Wetter in Berlin und München."
    results = {clean_text(text).language_probability for _ in range(3)}
    assert len(results) == 1
    assert clean_text(text).language == "de"
    assert clean_text("12345 6789").language is None


def test_empty_and_whitespace_input() -> None:
    for text in ("", "   \n\n \t "):
        result = clean_text(text)
        assert result.text == "" and result.removed == ()


def test_a_moved_block_is_the_block_with_a_new_place_and_text() -> None:
    """``Block.moved`` builds the block field by field: a field added to Block must be added
    there too (this test then fails until it is)."""
    import dataclasses

    from cleaner.models import Block, Piece

    block = Block(3, "Alt", (Piece(0, "Alt", 10, " Alt", 2),), is_list_item=True, group=7)
    assert [f.name for f in dataclasses.fields(Block)] == ["index", "text", "pieces", "is_list_item", "group"]
    assert block.moved(1, "Neu") == dataclasses.replace(block, index=1, text="Neu")


def test_decision_rounds_that_uncover_one_repeat_after_another_end_like_one_pass() -> None:
    """A line removed in one round makes two copies neighbours for the next (a zipper of
    alternating lines around a removed one): every round's removal is applied, and the
    result is stable when cleaned again."""
    first = "Der Artikel beginnt mit einem langen Satz, der hier steht und weitergeht."
    lines = ["Bildtext A", "Bildtext B"] * 6 + ["© 2024 Beispiel Verlag. Alle Rechte vorbehalten."]
    lines += ["Bildtext B", "Bildtext A"] * 6
    result = clean_text(first + "\n\n" + "\n\n".join(lines) + "\n", CleanConfig(detect_language=False))
    kinds = [r.kind for r in result.removed]
    # the copyright line first, then two copies a round as each removal joins the next pair
    assert kinds.count("copyright") == 1 and kinds.count("caption-duplicate") >= 20
    assert result.text == first + "\n" and result.stats["removed_blocks"] == len(lines)
    assert clean_text(result.text, CleanConfig(detect_language=False)).text == result.text


@pytest.mark.parametrize("value, says", [(None, "not NoneType"), (b"bytes", "use clean_bytes")])
def test_clean_text_says_what_it_takes(value: object, says: str) -> None:
    """A None text field of a dataset record gave "expected string or bytes-like object" from
    deep inside a regular expression."""
    from cleaner import clean_text

    with pytest.raises(TypeError, match=says):
        clean_text(value)  # type: ignore[arg-type]


@pytest.mark.parametrize("call, says", [
    (lambda: clean_bytes(None), "clean_bytes takes bytes, not NoneType"),  # type: ignore[arg-type]
    (lambda: clean_bytes("Hallo Welt."), "not str; for a str use clean_text"),  # type: ignore[arg-type]
    (lambda: clean_html(None), "clean_html takes a str or bytes, not NoneType"),  # type: ignore[arg-type]
    (lambda: clean_html(3), "clean_html takes a str or bytes, not int"),  # type: ignore[arg-type]
    (lambda: clean_text("Hallo.", {"detect_language": False}),  # type: ignore[arg-type]
     "config must be a CleanConfig, not dict; make one with CleanConfig"),
    (lambda: clean_bytes(b"Hallo.", "page.html"), "not str; the source name goes in source="),  # type: ignore[arg-type]
    (lambda: clean_html("<p>Hallo.</p>", {}), "config must be a CleanConfig"),  # type: ignore[arg-type]
])
def test_clean_bytes_and_clean_html_say_what_they_take(call: Any, says: str) -> None:
    """None (a missing field), a str to clean_bytes, a dict of settings or a source name in
    place of the config: a TypeError that says so, not an AttributeError from deep inside
    ("'str' object has no attribute 'decode'", "'dict' object has no attribute ...")."""
    with pytest.raises(TypeError, match=re.escape(says)):
        call()


def test_clean_bytes_and_clean_html_take_any_bytes_like() -> None:
    """A bytearray or memoryview is cleaned as its bytes (clean_html gave "a bytes-like object
    is required, not 'str'" for a bytearray; clean_bytes an AttributeError for a memoryview)."""
    config = CleanConfig(detect_language=False)
    page = b"<html><body><p>Ein kurzer Satz auf einer Seite, der bleibt.</p></body></html>"
    assert clean_html(bytearray(page), config).text == clean_html(page, config).text
    assert clean_bytes(memoryview(page), config, source="a.html").text == clean_bytes(page, config, source="a.html").text
    assert clean_bytes(bytearray(b"Hallo Welt.\n"), config).text == "Hallo Welt.\n"


@pytest.mark.parametrize("noise", ["Skip to main content", "Share on Facebook\n\nAccept all cookies"])
def test_header_lines_below_removed_noise_keep_their_fields(noise: str) -> None:
    header = "Date: 2024-11-03\nAuthor: Max Muster"
    body = ("Der Text beginnt hier und geht noch eine ganze Weile so weiter, bis er endet.\n\n"
            "Noch ein Absatz mit genug Inhalt, damit es ein Artikel ist.\n")
    text = f"{noise}\n\n{header}\n\n{body}"
    result = clean_text(text, CleanConfig(detect_language=False))
    assert result.text == clean_text(body, CleanConfig(detect_language=False)).text
    assert result.date == "2024-11-03"
    assert result.metadata == {"date": "2024-11-03", "author": "Max Muster"}
    lines = {r.text: r for r in result.removed}
    for line in header.splitlines():
        assert lines[line].kind == "metadata-header"
        assert text[lines[line].start:lines[line].end] == line
    assert sum(r.text == "Date: 2024-11-03" for r in result.removed) == 1  # not listed twice
    assert clean_text(result.text, CleanConfig(detect_language=False)).text == result.text


def test_a_removed_key_value_line_that_is_not_right_above_the_article_stays_as_it_was() -> None:
    text = ("Date: 2024-11-03\n\nDer Text beginnt hier und geht noch eine ganze Weile so weiter, bis er "
            "endet.\n\nSkip to main content\n\nAuthor: Max Muster\n\nNoch ein Absatz mit genug Inhalt, "
            "damit es ein Artikel ist, und noch mehr Worte.\n")
    result = clean_text(text, CleanConfig(detect_language=False))
    assert result.metadata == {"date": "2024-11-03"}  # the header at the top only


def test_a_photo_credit_above_the_article_is_not_taken_for_a_header_line() -> None:
    text = ("Skip to main content\n\nQuelle: Juergen Hasenkopf\n\nDer Text beginnt hier und geht noch "
            "eine ganze Weile so weiter, bis er endet.\n\nNoch ein Absatz mit genug Inhalt, damit es ein "
            "Artikel ist.\n")
    result = clean_text(text, CleanConfig(detect_language=False))
    credit = next(r for r in result.removed if r.text == "Quelle: Juergen Hasenkopf")
    assert credit.kind == "image-credit"
    assert result.metadata == {}


@pytest.mark.parametrize("data, says", [
    (gzip.compress(b"<html><body><p>" + b"Ein Satz der Meldung. " * 200 + b"</p></body></html>"),
     "page.html: looks like gzip-compressed data"),
    (bytes(range(256)) * 4, "page.html: contains NUL bytes"),
], ids=["gzip", "nul"])
def test_a_binary_page_is_refused_like_a_binary_document(data: bytes, says: str) -> None:
    """A page saved still compressed (Content-Encoding: gzip) or any binary file named .html was
    decoded as a legacy charset and cleaned into mojibake, exit 0; a .txt of the same bytes was
    refused. The page is refused alike, its name in the message."""
    from cleaner.errors import InputError

    for name in ("page.html", "page.txt"):
        with pytest.raises(InputError) as refused:
            clean_bytes(data, source=name)
        assert str(refused.value).startswith(says.replace("page.html", name))
    text = clean_bytes(b"\xff\xfe" + "<p>Hallo</p>".encode("utf-16-le"), source="page.html").text
    assert text == "Hallo\n"  # UTF-16 with its byte-order mark is text


HAUSHALT_BODY = ("Der Stadtrat hat am Montagabend nach langer Debatte den neuen Haushalt beschlossen. "
                 "Die Opposition kritisierte die hohen Ausgaben für den Straßenbau. "
                 "Die Bürgermeisterin sagte, man werde im kommenden Jahr erneut über die Prioritäten sprechen.")

def test_a_page_whose_extracted_text_is_all_noise_is_read_again_with_the_baseline() -> None:
    result = clean_html(page_of_server_errors(HAUSHALT_BODY), CleanConfig(detect_language=False))
    assert result.text == HAUSHALT_BODY + "\n"
    assert result.notes[0].startswith("extracted with trafilatura-baseline: the rules removed almost all")


def test_a_page_that_is_only_a_consent_prompt_stays_empty() -> None:
    # nothing to rescue: the page's full text would put its menus back, the baseline finds the
    # same prompt
    prompt = ("We use cookies and similar technologies to give you the best experience on our website, to "
              "personalise content and ads, to provide social media features and to analyse our traffic. By "
              "clicking Accept all you agree to our use of cookies. You can change your choice at any time.")
    html = ("<html><head><title>Example News</title></head><body><nav><a href='/'>Home</a> "
            "<a href='/politik'>Politik</a> <a href='/sport'>Sport</a></nav><div class='consent'><p>" + prompt +
            "</p><p>Manage cookies</p><p>Accept all</p></div><footer><a href='/impressum'>Impressum</a></footer>"
            "</body></html>")
    result = clean_html(html, CleanConfig(detect_language=False))
    assert result.text == ""
    assert result.notes == ("extracted with trafilatura",)
