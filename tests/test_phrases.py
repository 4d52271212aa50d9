"""Tests for the per-language boilerplate phrase lists (cleaner/data/phrases/*.toml)."""

from __future__ import annotations

import pytest

from cleaner import phrases
from cleaner.phrases import KINDS, MANDATORY_LANGUAGES, load_language, match, match_any, match_extra, normalize_line

# Real article sentences that must not match ANY kind. Several contain boilerplate words
# ("Anzeige", "newsletter", "share", "home", "sponsored", "cookies", ...) used as normal prose.
HARD_NEGATIVES = [
    "Die Polizei hat Anzeige erstattet.",
    "The newsletter, first published in 1998, reported the figures on Monday.",
    "Sie war in Foto-Studios in ganz Europa tätig und gewann zahlreiche Preise.",
    "The company said advertisement revenue fell by 12 percent in the third quarter.",
    "Sponsored by the city council, the festival drew 30,000 visitors.",
    "Home prices rose 5% last year, the report said.",
    "He followed us home after the match, the fans said.",
    "Share prices fell sharply on Tuesday.",
    # English
    "Comments made by the minister on Sunday caused an uproar in parliament.",
    "Subscribers to the service will see their bills rise in March.",
    "The search for the missing hikers continued into the night.",
    "Privacy advocates criticised the use of cookies by advertisers.",
    "Reading time for children has fallen sharply, a new study finds.",
    "Published in 1851, the novel was initially a commercial failure.",
    "Tweets from the account were later deleted.",
    "Read more books, the minister urged parents at the conference.",
    "Follow the river north for two miles, the guide said.",
    "Fans can donate to support the family through a fundraiser set up on Monday.",
    "The foundation will support independent journalism in the region with 2 million dollars.",
    # German
    "Werbung für Tabak ist in Deutschland weitgehend verboten.",
    "Mehr als 300 Menschen nahmen an der Demonstration teil.",
    "Lesen Sie die Verträge genau, bevor Sie unterschreiben, rät die Verbraucherzentrale.",
    "Der Newsletter des Ministeriums erschien zuletzt im Januar.",
    "Teilen sich zwei Haushalte eine Wohnung, gelten besondere Regeln.",
    "Kommentare in sozialen Netzwerken lösten eine Debatte aus.",
    "Die Stiftung will unabhängigen Journalismus in der Region unterstützen.",
    # French
    "La publicité pour l'alcool est strictement encadrée par la loi Evin.",
    "Il vous reste encore deux semaines pour déposer votre dossier.",
    "Les commentaires du président ont provoqué la colère des syndicats.",
    "Partager les richesses reste la priorité du nouveau gouvernement.",
    # Spanish
    "La publicidad institucional aumentó un 20 % durante la campaña.",
    "Los comentarios del ministro generaron una fuerte polémica.",
    "Leer más libros es uno de los propósitos más comunes de año nuevo.",
    # Italian
    "La pubblicità online ha superato quella televisiva nel 2022.",
    "Il sindaco ha condiviso le preoccupazioni dei residenti.",
    # Dutch
    "De advertentie-inkomsten van de krant daalden vorig jaar fors.",
    "Lees verder in het rapport dat donderdag verschijnt, zei de minister.",
    # Polish
    "Reklama w telewizji publicznej budzi kontrowersje.",
    "Pozostało jeszcze wiele do zrobienia, przyznał minister.",
    "Para comentar la situación, el ministro convocó una rueda de prensa.",
    "L'élu s'est connecté pour commenter la séance en direct sur les réseaux.",
    "Ansvarshavende chefredaktør Anne Holm siger, at avisen vil klage.",
    # Portuguese
    "A publicidade digital cresceu 15% no ano passado.",
    "Confira a lista completa dos aprovados no site da universidade.",
    # Russian
    "Ранее сообщалось, что переговоры зашли в тупик.",
]

# (line, kind) pairs that MUST match.
POSITIVES = [
    ("Cookie Policy", "cookie"),
    ("Skip to main content", "nav"),
    ("Empfohlener redaktioneller Inhalt", "cookie"),
    ("Die meistgelesenen Artikel der Woche", "read_more"),
    ("Markiert mit: Bahn, Reisen", "tags"),
    ("Log in or sign up", "nav"),
    ("Site search", "nav"),
    ("Place an ad", "nav"),
    ("Comment by Mirko Lange — 17.07, 2011 @ 13:04", "comments"),
    ("Bild schließen", "nav"),
    ("PDF version", "share"),
    ("Pinnen", "share"),
    ("I would like to subscribe to Science X Newsletter. Learn more", "newsletter"),
    ("Blog su WordPress.com.", "copyright"),
    ("© 2019 Reuters. All Rights Reserved.", "copyright"),
    ("Lesen Sie auch: Die besten Tipps", "read_more"),
    ("Loading comments...", "comments"),
    ("Anzeige", "ad_label"),
    ("Publicité", "ad_label"),
    ("ADVERTISEMENT", "ad_label"),
    ("Subscribe for our daily newsletter", "newsletter"),
    ("Terms of Use", "copyright"),
    ("Your Ad Choices", "copyright"),
    ("Thank you for verifying your email address.", "newsletter"),
    ("Email check failed, please try again", "newsletter"),
    (
        "Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza sul nostro sito.",
        "cookie",
    ),
    ("Tulisan tidak terkirim - cek alamat surel Anda!", "newsletter"),
    ("5 min read", "reading_time"),
    ("Anzeige, enthält Affiliate Links", "disclosure"),
    ("If you buy something through this post, IGN may get a share of the sale.", "disclosure"),
    ("If you enjoyed this article, we have a proposition for you: Join our club.", "newsletter"),
    ("Wenn Ihnen dieser Artikel gefallen hat, können Sie mich durch eine Spende unterstützen.", "newsletter"),
    ("Simple theme. Powered by Blogger.", "copyright"),
    ("View my complete profile", "nav"),
    ("Receive our monthly newsletter to stay on top of the latest articles.", "newsletter"),
    ("Ja, ich möchte den personalisierten Newsletter erhalten.", "newsletter"),
    ("Um neue Beiträge per E-Mail zu erhalten, hier die E-Mail-Adresse eingeben.", "newsletter"),
    ("RSS-Feed abonnieren", "share"),
    ("As an Amazon Associate I earn from qualifying purchases.", "disclosure"),
    ("We rely on your support to make local news available to all", "support"),
    ("Unterstützen Sie unabhängigen Journalismus!", "support"),
    ("Soutenez le journalisme indépendant : faites un don.", "support"),
    ("Jetzt spenden!", "support"),
    ("Tags: Politik, Berlin", "tags"),
    ("Tags:", "tags"),
    ("Mehr zum Thema", "read_more"),
    ("Artikel teilen", "share"),
    ("Zur Startseite", "nav"),
    ("Newsletter abonnieren", "newsletter"),
    ("Alle Rechte vorbehalten.", "copyright"),
    ("Lesezeit: 4 Minuten", "reading_time"),
    ("Partager sur Facebook", "share"),
    ("Abonnez-vous à notre newsletter", "newsletter"),
    ("© Le Monde. Tous droits réservés", "copyright"),
    ("À lire aussi : Le gouvernement recule", "read_more"),
    ("Mots-clés : politique, Europe", "tags"),
    ("Leer más: El Gobierno aprueba el presupuesto", "read_more"),
    ("Te puede interesar", "read_more"),
    ("Leggi anche: il governo approva la manovra", "read_more"),
    ("Lees ook: Kabinet valt over asielbeleid", "read_more"),
    ("Czytaj także: Sejm przyjął ustawę", "read_more"),
    ("Leia também: Governo anuncia novas medidas", "read_more"),
    ("• Share on Twitter", "share"),
    ("» Weiterlesen", "read_more"),
    ("Read more | How the vote was won", "read_more"),
    ("LEIA TAMBÉM - Governo anuncia medidas", "read_more"),
    ("Lire aussi : la réforme des retraites", "read_more"),
    ("Your email address will not be published. Required fields are marked *", "comments"),
    ("Photo: John Smith/Reuters", "credit"),
    ("Elon Musk (Bild: depositphotos.com)", "credit"),
    ("Crédit photo : AFP", "credit"),
    ("Home > News > Politics", "nav"),
    ("Updated: March 3, 2024", "byline"),
    ("Don’t have an account? Sign up", "newsletter"),  # noqa: RUF001
    # listening to an article, in more languages
    ("Listen to this article", "share"),
    ("Lyssna på artikeln", "share"),
    ("Lyt til artiklen", "share"),
    ("Lytt til artikkelen", "share"),
    ("Poslechněte si článek", "share"),
    ("Kuuntele artikkeli", "share"),
    ("Ascultă articolul", "share"),
    ("Kopiér link", "share"),
    ("Kommentér", "comments"),
    ("Ansvarshavende chefredaktør: Anne Holm", "copyright"),
    ("Ta strona używa plików cookies. Korzystając z niej, zgadzasz się na ich użycie.", "cookie"),
    ("Wykup subskrypcję, aby czytać dalej", "newsletter"),
    ("Mer om ämnet", "read_more"),
    ("Para comentar debes iniciar sesión.", "comments"),
    ("Vous devez être connecté pour publier un commentaire.", "comments"),
]


def test_mandatory_languages_present() -> None:
    assert set(MANDATORY_LANGUAGES) <= set(phrases.languages())


@pytest.mark.parametrize("lang", phrases.languages())
def test_language_file_loads_and_is_well_formed(lang: str) -> None:
    sets = load_language(lang)
    assert sets, f"{lang}.toml is empty"
    for kind, phrase_set in sets.items():
        assert kind in KINDS
        lists = {
            "exact": sorted(phrase_set.exact),
            "starts": list(phrase_set.starts),
            "contains": list(phrase_set.contains),
            **{key: list(values) for key, values in phrase_set.extra.items()},
        }
        for key, values in lists.items():
            for phrase in values:
                assert phrase, f"{lang}.{kind}.{key}: empty phrase"
                assert phrase == phrase.strip(), f"{lang}.{kind}.{key}: {phrase!r} has edge spaces"
                assert phrase == phrase.lower(), f"{lang}.{kind}.{key}: {phrase!r} is not lowercase"
            assert len(values) == len(set(values)), f"{lang}.{kind}.{key}: duplicates"
            if key != "exact":
                assert values == sorted(values), f"{lang}.{kind}.{key}: not sorted"


@pytest.mark.parametrize("lang", phrases.languages())
def test_ad_label_is_exact_only(lang: str) -> None:
    ad = load_language(lang).get("ad_label")
    if ad is not None:
        assert not ad.starts and not ad.contains


@pytest.mark.parametrize("lang", MANDATORY_LANGUAGES)
def test_mandatory_languages_cover_main_kinds(lang: str) -> None:
    sets = load_language(lang)
    for kind in ("cookie", "newsletter", "share", "nav", "copyright", "ad_label", "read_more", "comments"):
        phrase_set = sets[kind]
        total = len(phrase_set.exact) + len(phrase_set.starts) + len(phrase_set.contains)
        assert total >= 15, f"{lang}.{kind} has only {total} phrases"


def test_unknown_language_names_valid_ones() -> None:
    with pytest.raises(ValueError, match=r"available: .*de.*en"):
        load_language("xx")


def test_unknown_kind_is_an_error() -> None:
    with pytest.raises(ValueError, match="valid kinds"):
        match("spam", "anything")


def test_unknown_key_is_an_error() -> None:
    with pytest.raises(ValueError, match=r"x\.toml: unknown key 'regex' in \[cookie\]"):
        phrases._parse_kind("cookie", {"exact": ["a"], "regex": ["b"]}, "x.toml")
    with pytest.raises(ValueError, match="unknown kind"):
        phrases._parse_kind("cookies", {"exact": ["a"]}, "x.toml")
    with pytest.raises(ValueError, match="only have 'exact'"):
        phrases._parse_kind("ad_label", {"contains": ["anzeige"]}, "x.toml")
    with pytest.raises(ValueError, match="lowercase"):
        phrases._parse_kind("cookie", {"exact": ["Cookie Policy"]}, "x.toml")


@pytest.mark.parametrize("line", HARD_NEGATIVES)
def test_hard_negatives_match_no_kind(line: str) -> None:
    hits = {kind: match(kind, line) for kind in KINDS}
    assert not any(hits.values()), {kind: hit for kind, hit in hits.items() if hit}


@pytest.mark.parametrize(("line", "kind"), POSITIVES)
def test_positives_match(line: str, kind: str) -> None:
    assert match(kind, line) is not None, f"{line!r} should match {kind}"


def test_follow_us_matches_share_or_nav() -> None:
    assert match("share", "Follow Us") or match("nav", "Follow Us")


def test_match_reports_how_and_phrase() -> None:
    assert match("ad_label", "Anzeige") == ("exact", "anzeige")
    assert match("read_more", "Lesen Sie auch: Die besten Tipps") == ("starts", "lesen sie auch:")
    line = "Copyright Reuters. All rights reserved."
    assert match("copyright", line) == ("contains", "all rights reserved")


def test_exact_only_words_do_not_match_inside_prose() -> None:
    assert match("share", "Twitter said on Monday it would cut jobs.") is None
    assert match("nav", "Search teams found the wreckage on Tuesday.") is None
    assert match("ad_label", "Werbung ist überall.") is None


def test_a_count_before_a_counter_label_matches_it() -> None:
    # a counter is the same furniture as its label, in any language the label is listed in
    assert match("comments", "11 Kommentare") == ("exact", "kommentare")
    assert match("comments", "27 commentaires") == ("exact", "commentaires")
    assert match("share", "75,345 shares") == ("exact", "shares")
    assert match("share", "201.0K likes") == ("exact", "likes")
    assert match_any(("comments",), "4 Antworten")
    # only the whole line, only after a count, only for counter kinds
    assert match("comments", "11 Kommentare wurden gelöscht.") is None
    assert match("comments", "Kommentare 11") is None
    assert match("nav", "3 Home") is None
    assert match("comments", "G7 comments") is None


def test_word_boundaries() -> None:
    assert match("cta", "WIN A FREE IPHONE TODAY") is not None
    assert match("cta", "WINTER STORM WARNING") is None
    assert match("share", "Tweets") is None


def test_cta_on_all_caps_banner() -> None:
    banner = "GEHEN SIE ZUM VERDIENENKARTE VERLINKEN UND VERDIENENKARTE VERLINKEN UND VERDIENEN"
    assert match("cta", banner) is not None
    assert match("cta", "WIN-FAST.NET OFERTA EXCLUSIVA SOLO HOY OFERTA EXCLUSIVA SOLO HOY") is not None


def test_agencies() -> None:
    assert match_extra("credit", "agencies", "Photo: Getty Images") == "getty images"
    assert match_extra("credit", "agencies", "Taylor Swift. Photo: Pixabay") == "pixabay"
    assert match_extra("credit", "agencies", "Apple reported record sales.") is None


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("  • Read   MORE: ", "read more"),
        ("👉 Follow us on Twitter! »", "follow us on twitter"),
        ("→ Skip to content", "skip to content"),
        ("*** Anzeige ***", "anzeige"),
        ("| Home |", "home"),
        ("Don’t miss", "don't miss"),  # noqa: RUF001
        ("© 2019 Reuters.", "© 2019 reuters"),
        ("Straße", "strasse"),
        ("", ""),
        ("•••", ""),
    ],
)
def test_normalize_line(raw: str, expected: str) -> None:
    assert normalize_line(raw) == expected


def test_merged_is_union_of_languages() -> None:
    merged = phrases.merged()
    assert set(merged) == set(KINDS)
    assert {"anzeige", "publicité", "advertisement"} <= merged["ad_label"].exact
    assert "getty images" in merged["credit"].extra["agencies"]
