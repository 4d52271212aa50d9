"""HTML extraction stage: small pages built here, no bench data, no network."""

from __future__ import annotations

import pytest

from cleaner import html_tree
from cleaner.errors import InputError
from cleaner.extract import Extraction, decode_html, extract_html, looks_like_html

PARAS = [
    "Der Gemeinderat hat am Dienstagabend nach langer Debatte beschlossen, die alte Brücke über "
    "den Fluss vollständig zu sanieren, statt sie durch einen Neubau zu ersetzen.",
    "Die Kosten von rund vier Millionen Euro sollen zur Hälfte vom Land getragen werden, wie der "
    "Bürgermeister nach der Sitzung vor Journalisten im Rathaus erklärte.",
    "Die Arbeiten beginnen im Frühjahr und dauern voraussichtlich zwei Jahre; während dieser Zeit "
    "wird der Verkehr über eine provisorische Behelfsbrücke flussabwärts umgeleitet.",
]


def page(body: str, head: str = "", lang: str = "de") -> str:
    return f"<!DOCTYPE html><html lang=\"{lang}\"><head>{head}</head><body>{body}</body></html>"


ARTICLE = page(
    head=(
        "<title>Brücke wird saniert</title>"
        '<meta name="author" content="Anna Beispiel">'
        '<meta property="article:published_time" content="2024-11-03T08:00:00+01:00">'
    ),
    body=(
        '<nav><ul><li><a href="/">Startseite</a></li><li><a href="/politik">Politik</a></li>'
        '<li><a href="/sport">Sport</a></li></ul></nav>'
        "<main><article><h1>Brücke wird saniert</h1>"
        + "".join(f"<p>{p}</p>" for p in PARAS)
        + "</article></main>"
        '<footer><p>© 2024 Musterzeitung GmbH. Alle Rechte vorbehalten.</p>'
        '<a href="/impressum">Impressum</a> <a href="/datenschutz">Datenschutzerklärung</a></footer>'
    ),
)


def test_article_paragraphs_without_nav_and_footer() -> None:
    result = extract_html(ARTICLE)
    assert isinstance(result, Extraction)
    assert result.method == "trafilatura" and result.note is None
    for para in PARAS:
        assert para in result.text.splitlines()
    for noise in ("Startseite", "Alle Rechte vorbehalten", "Impressum", "Datenschutzerklärung"):
        assert noise not in result.text


def test_metadata() -> None:
    meta = extract_html(ARTICLE, url="https://example.org/a/1").metadata
    assert meta["title"] == "Brücke wird saniert"
    assert meta["author"] == "Anna Beispiel"
    assert meta["date"] == "2024-11-03"
    assert meta["url"] == "https://example.org/a/1"
    assert meta["language"] == "de"
    assert all(value not in (None, "", []) for value in meta.values())


def test_title_heading_not_repeated_in_text() -> None:
    assert not extract_html(ARTICLE).text.startswith("Brücke wird saniert")


def test_bytes_cp1252_without_declaration() -> None:
    data = ARTICLE.replace("Brücke", "Brücke – „Übergang“").encode("cp1252")
    text, encoding = decode_html(data)
    assert encoding == "cp1252"
    assert "Brücke – „Übergang“" in text
    result = extract_html(data)
    assert PARAS[1] in result.text
    assert "\ufffd" not in result.text


def test_bytes_latin1_with_meta_charset() -> None:
    html = ARTICLE.replace("<head>", '<head><meta charset="iso-8859-1">')
    data = html.encode("latin-1")
    text, _ = decode_html(data)
    assert text == html
    assert PARAS[2] in extract_html(data).text


def test_declared_utf8_with_a_stray_byte_stays_utf8() -> None:
    data = ARTICLE.encode("utf-8").replace(b"Sitzung", b"Sitz\xfcng")
    text, encoding = decode_html(data)
    assert encoding == "utf-8"
    assert PARAS[0] in text and "Sitz\ufffdng" in text


@pytest.mark.parametrize("html", ["<html></html>", "<html><body><div></div></body></html>"])
def test_empty_page_gives_note_not_exception(html: str) -> None:
    result = extract_html(html)
    assert result.text.strip() == "" or result.method != "trafilatura"
    assert result.note


def test_short_page_falls_back_with_note() -> None:
    result = extract_html(page("<div><span>Kurzmeldung: Der Zug fällt heute aus.</span></div>"))
    assert "Der Zug fällt heute aus." in result.text
    assert result.note


@pytest.mark.parametrize("bad", [b"\x00\x01\x02\x03binary\x00"])
def test_not_a_document_raises_input_error(bad: bytes) -> None:
    with pytest.raises(InputError):
        extract_html(bad)


@pytest.mark.parametrize("empty", [b"", b"   \n", "", " \t\r\n"])
def test_an_empty_page_is_empty_text_with_a_note(empty: bytes | str) -> None:
    """As an empty text document: nothing to extract is not an error."""
    result = extract_html(empty)
    assert result.text == "" and result.note


def test_looks_like_html() -> None:
    assert looks_like_html(ARTICLE)
    assert looks_like_html("<div><p>Ein Absatz</p><p>Noch einer</p><a href='x'>Link</a></div>")
    assert not looks_like_html("Ein ganz normaler Text.\nMit Zeilen, 3 < 4 und a > b.\n")
    assert not looks_like_html("Use the <b> tag for bold, said the guide.")


def test_list_items_as_dashes() -> None:
    items = ["Erstens die Sanierung der Pfeiler", "Zweitens ein neuer Fahrbahnbelag", "Drittens ein Radweg"]
    html = ARTICLE.replace(
        f"<p>{PARAS[1]}</p>", f"<p>{PARAS[1]}</p><ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>"
    )
    lines = extract_html(html).text.splitlines()
    for item in items:
        assert f"- {item}" in lines


def test_table_rows_without_empty_cells() -> None:
    table = "<table><tr><td></td><td>Länge</td><td>120 m</td></tr><tr><td></td><td>Solo</td></tr></table>"
    html = ARTICLE.replace("</article>", table + "</article>")
    text = extract_html(html).text
    assert "| Länge | 120 m |" in text.splitlines()


def test_a_table_cell_of_a_dash_is_no_list_item() -> None:
    """A row whose only filled cell is "-" (a table's "none") was written as the line "-", which
    the next row, in lowercase, continued: "- kein Eintrag vorhanden", a list item made of two
    rows (and a bullet turned "- 3 %", a fall of three percent, into one). Such a row keeps
    its pipes, and no table row is joined to the next one; every cell stays."""
    from cleaner import clean_html

    table = ("<table><tr><th>Spieler</th><th>Karten</th></tr>"
             "<tr><td>-</td><td></td></tr>"
             "<tr><td>kein Eintrag vorhanden</td><td></td></tr>"
             "<tr><td>Müller</td><td>-</td></tr>"
             "<tr><td></td><td>- 3 %</td></tr>"
             "<tr><td>ohne Angabe der Quelle</td></tr></table>")
    result = clean_html(ARTICLE.replace("</article>", table + "</article>"))
    lines = [line for line in result.text.splitlines() if line]
    assert lines[lines.index("| Spieler | Karten |"):] == [
        "| Spieler | Karten |", "| --- | --- |", "| - |", "kein Eintrag vorhanden", "| Müller | - |", "| - 3 % |",
        "ohne Angabe der Quelle"]
    assert not [line for line in lines if line.startswith("- ")]
    assert result.sidecar["removed"] == []


def test_deep_wrappers_are_flattened_without_losing_text() -> None:
    """Wrappers nested deeper than MAX_DEPTH go (trafilatura's walks grow with depth); every
    paragraph is still extracted as a paragraph of its own, and the sidecar note says so."""
    from cleaner.html_tree import MAX_DEPTH

    depth = MAX_DEPTH + 60
    body = "<div>" * depth + "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"
    result = extract_html(page(body + "</div>" * depth))
    assert result.text.splitlines() == PARAS
    assert result.note is not None and "wrapper elements nested over" in result.note


def test_shallow_page_is_not_flattened() -> None:
    body = "<div>" * 30 + "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>" + "</div>" * 30
    assert extract_html(page(body)).note is None


def _unclosed(n: int, tag: str) -> tuple[str, list[str]]:
    """An article of ``n`` sentences, each after an opening ``tag`` that is never closed: each
    sentence one level deeper than the one before."""
    sentences = [f"Absatz {i} erzählt von der Brücke über den Fluss, in genug Worten für Prosa."
                 for i in range(n)]
    return page("<article>" + "".join(f"{tag}{s}<br>" for s in sentences) + "</article>"), sentences


def test_unclosed_tags_nested_past_255_levels_keep_their_text() -> None:
    """libxml2 drops everything nested more than 255 elements deep without an error unless told
    otherwise (``huge_tree``): 400 unclosed <font> tags lost the last 147 sentences."""
    html, sentences = _unclosed(400, "<font size=2>")
    lines = extract_html(html).text.splitlines()
    assert [s for s in sentences if s not in lines] == []  # each on a line of its own


def test_page_at_the_parser_limit_is_parsed_again_without_inline_tags() -> None:
    """Past even huge_tree's limit, a page of unclosed formatting tags is parsed again without
    them (they hold no block of their own): nothing is lost, and the note says why."""
    html, sentences = _unclosed(html_tree.parser_depth() + 300, "<font size=2>")
    result = extract_html(html)
    assert [s for s in sentences if s not in result.text] == []
    assert result.note is not None and "parsed again without the inline formatting tags" in result.note


def test_text_below_the_parser_limit_is_reported_lost() -> None:
    """Unclosed block elements past the limit: what lies below it is lost, and the note says so
    (the sidecar explains the missing text instead of hiding it)."""
    html, sentences = _unclosed(html_tree.parser_depth() + 300, "<div class='x'>")
    result = extract_html(html)
    assert sentences[0] in result.text and sentences[-1] not in result.text
    assert result.note is not None and "the text below is lost" in result.note


def test_paragraphs_after_a_stray_html_end_tag_are_kept() -> None:
    """A </html> left mid-page (a template closing "its" document) ended the parse: the
    paragraphs after it were lost without a note."""
    html = page("<article><p>" + PARAS[0] + "</p></html><p>" + PARAS[1] + "</p><p>" + PARAS[2] + "</p></article>")
    assert extract_html(html).text.splitlines() == PARAS


def test_frameset_page_gives_its_noframes_text_without_markup() -> None:
    """The parser keeps <noframes> as raw text: a frameset page came out as its full text with
    the markup in it ("<body><p>Der Gemeinderat ..."). Its <noframes> content is now read as
    HTML, and the note says where the rest of the text is (the frames, other documents)."""
    html = ('<html><head><title>Alt</title></head><frameset cols="20%,80%"><frame src="nav.html">'
            '<frame src="main.html"><noframes><body>' + "".join(f"<p>{p}</p>" for p in PARAS)
            + "</body></noframes></frameset></html>")
    result = extract_html(html)
    assert result.text.splitlines() == PARAS
    assert result.note is not None and "a frameset page" in result.note and "nav.html, main.html" in result.note
    empty = extract_html('<html><frameset><frame src="a.html"></frameset></html>')
    assert empty.text == "" and empty.note is not None and "it has no text of its own" in empty.note


def test_huge_page_skips_the_fallback_extractors_with_a_note() -> None:
    """Over MAX_FALLBACK_BLOCKS block elements, trafilatura runs without readability/jusText
    (jusText is quadratic in runs of short paragraphs); the article is still extracted."""
    from cleaner.extract import MAX_FALLBACK_BLOCKS

    items = "".join(f"<li><a href='/t/{i}'>Thema {i}</a></li>" for i in range(MAX_FALLBACK_BLOCKS + 10))
    body = "<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + f"</article><aside><ul>{items}</ul></aside>"
    result = extract_html(page(body))
    assert all(p in result.text for p in PARAS)
    assert result.note is not None and "without trafilatura's fallback extractors" in result.note
    small = extract_html(page("<article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article>"))
    assert small.note is None


LEAD = ("Die marode Brücke über den Fluss wird für vier Millionen Euro saniert und nicht "
        "durch einen Neubau ersetzt.")


def _lead_page(description: str, shown: bool, mark: str = "teaser-text") -> str:
    return page(
        head=f'<title>Brücke wird saniert</title><meta name="description" content="{description}">',
        body=(
            (f'<div class="hero"><h1>Brücke wird saniert</h1>'
             f'<div class="{mark}"><span>{LEAD}</span></div></div>' if shown else "")
            + "<main><article>" + "".join(f"<p>{p}</p>" for p in PARAS) + "</article></main>"
        ),
    )


def test_lead_printed_in_the_page_comes_first() -> None:
    lines = extract_html(_lead_page(LEAD, shown=True)).text.splitlines()
    assert lines[0] == LEAD and lines.count(LEAD) == 1
    assert all(p in lines for p in PARAS)


@pytest.mark.parametrize("mark", ["c-entry-summary p-dek", "articleDek", "article-subtitle", "sub-headline"])
def test_deck_under_the_headline_is_not_added(mark: str) -> None:
    assert LEAD not in extract_html(_lead_page(LEAD, shown=True, mark=mark)).text


def test_lead_and_dropped_lines_are_explained_in_the_notes() -> None:
    from cleaner import clean_html

    html = _lead_page(LEAD, shown=True).replace(
        "<main><article>", "<main><article><h1>Brücke wird saniert</h1><p>https://example.org/lokales/bruecke-42</p>"
    ).replace("</head>", '<link rel="canonical" href="https://example.org/lokales/bruecke-42"></head>')
    notes = clean_html(html).notes
    assert any(n.startswith("put the page's description first") and LEAD[:40] in n for n in notes)
    assert any("the page's own address" in n and "bruecke-42" in n for n in notes)
    assert any("the headline" in n and "Brücke wird saniert" in n for n in notes)
    plain = clean_html(_lead_page(LEAD, shown=False)).notes
    assert not any("description first" in n or "dropped" in n for n in plain)


def test_description_not_printed_in_the_page_is_not_added() -> None:
    assert LEAD not in extract_html(_lead_page(LEAD, shown=False)).text


def test_lead_already_in_the_text_is_not_repeated() -> None:
    text = extract_html(_lead_page(PARAS[0], shown=False)).text
    assert text.count(PARAS[0]) == 1


def test_page_url_line_is_dropped_home_page_url_kept() -> None:
    from cleaner.extract import _tidy

    text = "https://www.example.org/news/bruecke-saniert-123\nDer Rat hat beschlossen."
    url = "https://example.org/news/bruecke-saniert-123/"
    assert _tidy(text, None, url)[0] == "Der Rat hat beschlossen."
    text = "Mehr unter:\nwww.example.org\nDer Rat hat beschlossen."
    assert "www.example.org" in _tidy(text, None, "https://www.example.org/")[0]


@pytest.mark.parametrize("line, title, same", [
    ("NASA adds five companies to lunar lander program",
     "NASA adds five companies to lunar lander program - SpaceNews.com", True),
    ("High School Roundup: Viera defeats Rockledge to remain undefeated",
     "HS Roundup: Viera defeats Rockledge to remain undefeated", True),
    # a lead sentence repeats the headline's words but ends like a sentence
    ("A cat missing for five years in Oregon has been found in New Mexico.",
     "Cat found in New Mexico after missing in Oregon", False),
    ("Lokales", "Brücke wird saniert - Lokales", False),  # the site's section, not the headline
])
def test_headline_worded_like_the_title(line: str, title: str, same: bool) -> None:
    from cleaner.extract import _is_headline

    assert _is_headline(line, title) is same


def test_newsletter_boxes_are_pruned_in_any_letter_case_but_long_ones_kept() -> None:
    from lxml.etree import XPath

    from cleaner.extract import _NEWSLETTER_BOX

    article = "".join(f"<p>Paragraph {i} of the article says something worth reading about the harbour.</p>"
                      for i in range(8))
    box = "<{tag} class='{cls}'>Sign up for our newsletter and get the best stories by mail.</{tag}>"
    long_box = "<div id='NEWSLETTER-area'>" + "A long report about newsletters as a business. " * 20 + "</div>"
    html = ("<html><body><article>" + article + box.format(tag="div", cls="Newsletter-container")
            + box.format(tag="section", cls="signup newsletter") + box.format(tag="span", cls="newsletter")
            + long_box + "</article></body></html>")
    tree = html_tree.parse(html)
    found = XPath(_NEWSLETTER_BOX)(tree)
    assert [e.tag for e in found] == ["div", "section"]  # not the span, not the long box
    text = extract_html(html).text
    assert "Paragraph 7 of the article" in text and "newsletters as a business" in text
    assert text.count("Sign up for our newsletter") <= 1  # the two boxes are gone


@pytest.mark.parametrize("fragment, expected", [
    ("<p>Just one paragraph of a page, given without html or body tags.</p>",
     "Just one paragraph of a page, given without html or body tags."),
    ("<section><p>A section alone, with a paragraph inside it.</p></section>",
     "A section alone, with a paragraph inside it."),
    ("<b>Bold</b> words, then more words of the fragment.", "Bold words, then more words of the fragment."),
])
def test_an_html_fragment_is_extracted_not_failed(fragment: str, expected: str) -> None:
    """trafilatura's parse rejects a fragment of one element (its beginning names no <html>)."""
    from cleaner import CleanConfig, clean_html

    assert clean_html(fragment, CleanConfig(detect_language=False)).text == expected + "\n"
