"""Site boilerplate: cookie and newsletter prompts, share rows, navigation, footers, teasers,
ad labels, comment furniture, reading times, tag lines, bylines and timestamps.

Phrase lists live in data/phrases/<lang>.toml (see cleaner.phrases). A whole-line match is
strong; a phrase at the start of, or inside, a line is strong only on a short line.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise

from ..dates import parse_date
from ..models import Block, Evidence
from ..phrases import match, match_any, merged, normalize_line
from ..vocab import social_pattern
from . import patterns as P
from .registry import Context, RuleFn, rule
from .textstats import word_count

#: A line this short that starts with a boilerplate phrase is boilerplate.
STARTS_MAX_WORDS = 14
#: A line this short that contains a boilerplate phrase is boilerplate.
CONTAINS_MAX_WORDS = 25
#: A prompt glued to the end of a paragraph ("... two million euros. Subscribe to our newsletter!")
#: is cut, not the paragraph, when a sentence of at least this many words, no boilerplate of its
#: own, comes before it.
KEPT_SENTENCE_MIN_WORDS = 4
#: Breadcrumbs: at least this many items, each at most this many words.
CRUMB_MIN_ITEMS = 3
CRUMB_ITEM_MAX_WORDS = 5
#: A byline or a timestamp line is short.
STAMP_MAX_WORDS = 16
#: A news agency's credit roll ("Reporting by A; Additional reporting by B; Editing by C") runs
#: longer: at most this many words.
CREDIT_ROLL_MAX_WORDS = 60

#: Cookie and newsletter prompts run long; one that starts with its phrase is a prompt up to this.
PROMPT_KINDS = frozenset({"cookie", "newsletter"})
PROMPT_MAX_WORDS = 80
#: A disclosure is a sentence ("This post contains affiliate links, which means ..."), and so are
#: an appeal for the readers' support ("We rely on your support to make local news available to
#: all") and a comment form's prompts ("Para comentar debes registrarte y completar los datos
#: generales."): their phrases are none of an article's, so a line of up to CONTAINS_MAX_WORDS
#: words that holds one goes. (Disclosures and appeals are no page furniture to the page rule:
#: one in the middle of an article does not end its body.)
SENTENCE_KINDS = frozenset({"disclosure", "support", "comments"})
#: Kinds whose whole-line phrases can be strung together in a row of links.
LINK_ROW_KINDS = ("nav", "copyright", "share", "newsletter", "cookie", "comments", "read_more")
LINK_ROW_MAX_WORDS = 12
#: An archive link with a count ("Novembro (161)") has at most this many words.
COUNTED_MAX_WORDS = 5

#: phrase-list kind -> (rule name, removal kind, description)
PHRASE_RULES: dict[str, tuple[str, str, str]] = {
    "cookie": ("boilerplate.cookie", "cookie", "a cookie or consent prompt"),
    "newsletter": ("boilerplate.newsletter", "newsletter", "a newsletter, subscription or sign-up prompt"),
    "share": ("boilerplate.share", "share-row", "a share or follow row ('Share on Facebook', 'Follow us')"),
    "nav": ("boilerplate.nav", "nav-crumb", "site navigation ('Skip to main content', 'Home', 'Log in')"),
    "copyright": ("boilerplate.copyright", "copyright", "a copyright, legal or imprint footer line"),
    "ad_label": ("boilerplate.ad_label", "ad-label", "an ad label standing alone ('Anzeige', 'Advertisement')"),
    "disclosure": ("boilerplate.disclosure", "disclosure",
                   "an affiliate or advertising disclosure ('This post contains affiliate links')"),
    "support": ("boilerplate.support", "support-appeal",
                "an appeal for the readers' support or donations ('Support independent journalism')"),
    "read_more": ("boilerplate.read_more", "read-more", "a 'Read more' / 'Lesen Sie auch' teaser or related-links header"),
    "comments": ("boilerplate.comments", "comments", "comment-section furniture ('Loading comments...')"),
    "reading_time": ("boilerplate.reading_time", "reading-time", "a reading-time line ('5 min read')"),
    "tags": ("boilerplate.tags", "tags", "a tag or category line ('Tags: ...')"),
}


def _phrase_weight(how: str, words: int, text: str) -> float:
    if how == "exact":
        return 1.0
    sentence = P.ends_sentence(text)
    limit = STARTS_MAX_WORDS if how == "starts" else CONTAINS_MAX_WORDS
    if words <= limit:
        return 1.0 if not sentence or words <= limit // 2 else 0.6
    return 0.3


def _max_words(kind: str) -> int:
    return PROMPT_MAX_WORDS if kind in PROMPT_KINDS else CONTAINS_MAX_WORDS


def _phrase_rule(kind: str, name: str, removal_kind: str) -> RuleFn:
    limit = _max_words(kind)

    def check(block: Block, ctx: Context) -> Evidence | list[Evidence] | None:
        words = word_count(block.text)
        if words > limit:
            return None  # a long paragraph is not a boilerplate line, whatever phrase it holds
        found = match(kind, block.text)
        if found is None:
            return None
        how, phrase = found
        if kind in PROMPT_KINDS and how == "starts":
            weight = 1.0  # "We use cookies ..." opens a prompt, however long, not an article sentence
        elif kind in SENTENCE_KINDS:
            weight = 1.0
        else:
            weight = _phrase_weight(how, words, block.text)
        detail = f"{how} match of {phrase!r}"
        glued = _glued_to_text(kind, block.text) if weight >= 1.0 and how != "exact" else []
        if glued:  # the sentence goes, not the text it was glued to
            return [Evidence(name, removal_kind, weight, detail + " in a sentence after text", span)
                    for span in glued]
        return Evidence(name, removal_kind, weight, detail)

    check.__name__ = name.replace(".", "_")
    return check


def _glued_to_text(kind: str, text: str) -> list[tuple[int, int]]:
    """The sentences holding a boilerplate phrase, when the block's text opens with a sentence
    of its own (``KEPT_SENTENCE_MIN_WORDS``, no boilerplate phrase of any kind): a prompt or a
    label glued to a paragraph. Empty when the block opens with the phrase.

    >>> text = "The bridge will cost two million euros. Subscribe to our newsletter! Work starts in May."
    >>> [text[a:b] for a, b in _glued_to_text("newsletter", text)]
    ['Subscribe to our newsletter!']
    >>> _glued_to_text("newsletter", "Subscribe to our newsletter! It is free.")
    []
    """
    own, spans = False, []
    for sentence in P.SENTENCE.finditer(text):
        if match(kind, sentence[0]) is not None:
            if not own:
                return []
            spans.append(sentence.span())
        elif not own:
            own = (word_count(sentence[0]) >= KEPT_SENTENCE_MIN_WORDS and P.ends_sentence(sentence[0])
                   and not match_any(PHRASE_RULES, sentence[0]))
            if not own:
                return []
    return spans


for _kind, (_name, _removal_kind, _description) in PHRASE_RULES.items():
    rule(_name, _removal_kind, _description, max_words=_max_words(_kind))(_phrase_rule(_kind, _name, _removal_kind))


@rule("boilerplate.crumbs", "nav-crumb", "a breadcrumb or menu row: short items between '>', '|', '/' separators")
def crumbs(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(crumbs, "Home > News > Politik > Inland").weight
    1.0
    >>> check(crumbs, "Prices rose 5% / year, and wages 3% / year, the bank said.") is None
    True
    >>> check(crumbs, "| Pos | Player | Plays | % | Stats |") is None
    True
    """
    if P.TABLE_ROW.match(block.text) or P.ends_sentence(block.text):
        return None  # "| Pos | Player | Plays |": a table row, not a menu; or a sentence
    items = P.CRUMB_SEPARATOR.split(block.text)
    if len(items) < CRUMB_MIN_ITEMS:
        return None
    if all(0 < word_count(i) <= CRUMB_ITEM_MAX_WORDS for i in items):
        return Evidence("boilerplate.crumbs", "nav-crumb", 1.0, f"{len(items)} short items between separators")
    return None


@rule("boilerplate.timestamp", "timestamp", "a line that is only a date, a time or an update stamp",
      max_words=STAMP_MAX_WORDS)
def timestamp(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(timestamp, "Updated Nov. 19, 2019 8:21 am ET / Original Nov. 19, 2019 8:02 am ET").weight
    1.0
    >>> check(timestamp, "June 9 -- Coral Sky Amphitheatre, West Palm Beach, FL") is None
    True
    >>> check(timestamp, "Updated at 1:23 p.m.").weight, check(timestamp, "4:14 p.m.")
    (1.0, None)
    """
    text = block.text
    if word_count(text) > STAMP_MAX_WORDS or not any(map(str.isdigit, text)):
        return None
    rest, dated = _strip_dates(text)
    rest, stamps = P.TIMESTAMP_WORDS.subn(" ", rest)  # (undated, rest is the text)
    if not dated and not stamps:
        return None
    if any(c.isalnum() for c in rest):
        return None
    if not dated and not P.RELATIVE_TIME.search(text) and not P.UPDATE_WORD.search(text):
        return None  # a bare time ("4:14 p.m.") heads live-blog entries: content; "Updated at 1:23 p.m." not
    return Evidence("boilerplate.timestamp", "timestamp", 1.0, "only a date or time stamp")


#: The last digit of a line (a digit followed by none).
_LAST_DIGIT = re.compile(r"\d\D*\Z")


def _strip_dates(text: str) -> tuple[str, bool]:
    """Remove every date expression; (what is left, whether a date with a month was found). A
    year alone is no stamp: "2019" heads a part of a timeline, "Von Berlin nach Paris im Jahr
    2024" is a subheading, not a byline."""
    out, i, found = [], 0, False
    last = _LAST_DIGIT.search(text)
    # a date starts a word, and holds a digit: none starts after the last digit
    for start in P.WORD_START.finditer(text, 0, last.start() + 1 if last else 0):
        if start.start() < i:
            continue  # inside the date just removed
        if (parsed := parse_date(text[start.start():])) is not None:
            out.append(text[i:start.start()])
            found = found or len(parsed[0]) > len("2024")
            i = start.start() + max(parsed[1], 1)
    out.append(text[i:])
    return "".join(out), found


@rule("boilerplate.byline", "byline",
      "a short byline: 'By NAME' or a byline phrase ('Posted by') with a handle, a date or a slash; "
      "a credit roll: 'Reporting by NAME; Editing by NAME'",
      max_words=CREDIT_ROLL_MAX_WORDS)
def byline(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(byline, "By Chaim Gartenberg @cgartenberg Nov 19, 2019, 7:53pm EST").weight
    1.0
    >>> check(byline, "By Monday, the river had risen by two metres.") is None
    True
    """
    text = block.text
    if " by " in text and word_count(text) <= CREDIT_ROLL_MAX_WORDS and _credit_roll(text):
        return Evidence("boilerplate.byline", "byline", 1.0, "a credit roll of reporters and editors")
    if word_count(text) > STAMP_MAX_WORDS or P.ends_sentence(text):
        return None
    if _agency_byline(text):
        return Evidence("boilerplate.byline", "byline", 1.0, "byline of news agencies")
    handle = P.HANDLE.search(text)
    starts = P.BYLINE_START.match(text) or match("byline", text)  # "By X", "Posted by X"
    if not (starts or handle):
        return None

    def dated() -> bool:
        return any(c.isdigit() for c in text) and _strip_dates(text)[1]  # every date has a digit

    if starts and (handle or "/" in text or "／" in text or dated()):
        return Evidence("boilerplate.byline", "byline", 1.0, "byline with a handle, a date or a slash")
    if handle and text.count(" ") <= 4 and ("/" in text or dated()):
        return Evidence("boilerplate.byline", "byline", 1.0, "name with a handle and a date")
    return None


#: An author box's bio is a paragraph of at most this many words (under its "About the author"
#: heading, or glued to it) ...
BIO_MAX_WORDS = 80
#: ... and a one-line bio closing the text ("Phil Helsel is a reporter for NBC News.") this many.
ONE_LINE_BIO_MAX_WORDS = 40
#: An author box's heading has at most this many words ("Über den Autor / die Autorin"): a longer
#: line is not looked up in the phrase lists at all (a paragraph's lookup costs).
AUTHOR_HEADING_MAX_WORDS = 8
#: The author's name under it has at most this many words ("Dr. Jane Mary Roe"), and characters
#: (a paragraph is not split into words to learn that it is none).
AUTHOR_NAME_MAX_WORDS = 4
AUTHOR_NAME_MAX_CHARS = 60


@rule("boilerplate.author_bio", "author-bio",
      "an author box: an 'About the author' heading, the name and the bio under it, or a one-line bio "
      "after the text's last paragraph: 'Jane Roe is a reporter for NBC News.'", contextual=True,
      max_words=BIO_MAX_WORDS)
def author_bio(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> p = "The council approved the new budget for schools and roads on Monday evening after a long debate."
    >>> bio = "Jane Roe writes about city politics and has covered the council since 2012."
    >>> check(author_bio, "About the author", p, bio, index=1).weight
    1.0
    >>> check(author_bio, bio, p, "About the author", index=2).weight
    1.0
    >>> check(author_bio, "Phil Helsel is a reporter for NBC News.", p, index=1).weight
    1.0
    >>> check(author_bio, "Phil Helsel is a reporter for NBC News.", p, index=0) is None  # prose after it
    True
    >>> q = "Phil Helsel broke the story of the council's budget on Monday, after a long debate."
    >>> check(author_bio, "Phil Helsel is a reporter for NBC News.", q, index=1) is None  # the text's subject
    True
    """
    text = block.text
    words = word_count(text)
    if words > BIO_MAX_WORDS:
        return None
    found = match("author", text)
    if found is not None:
        return Evidence("boilerplate.author_bio", "author-bio", 1.0,
                        "an author box's heading" if found[0] == "exact" else "an author box")
    before = ctx.neighbour(block, -1)
    if _author_heading(before):
        what = "bio" if P.ends_sentence(text) else "name" if _author_name(text) else None
        if what is not None:
            return Evidence("boilerplate.author_bio", "author-bio", 1.0,
                            f"the {what} under an author box's heading")
    if before is not None and _author_name(before.text) and _author_heading(ctx.neighbour(before, -1)) \
            and (P.ends_sentence(text) or P.SENTENCE_BREAK.search(text)):  # (its last line a handle)
        return Evidence("boilerplate.author_bio", "author-bio", 1.0,
                        "the bio under an author box's heading and the author's name")
    if words <= ONE_LINE_BIO_MAX_WORDS and (bio := P.AUTHOR_BIO.match(text)) is not None \
            and not any(ctx.prose[block.index + 1:]) and not _named_in_prose(ctx, block.index, bio["name"]):
        return Evidence("boilerplate.author_bio", "author-bio", 1.0, "a one-line author bio after the text")
    return None


def _author_heading(block: Block | None) -> bool:
    """Is ``block`` an author box's heading alone ("About the author"): the whole line one of
    the ``author`` phrases?"""
    if block is None or word_count(block.text) > AUTHOR_HEADING_MAX_WORDS:
        return False
    heading = match("author", block.text)
    return heading is not None and heading[0] == "exact"


def _author_name(text: str) -> bool:
    """A line of an author's name alone, as an author box prints it under its heading: two to
    AUTHOR_NAME_MAX_WORDS capitalized words ("Markus Reuter", "Dr. Jane Roe"), no "!" or "?"
    at its end (an abbreviation's full stop may end it: "Jane Roe Jr.").

    >>> _author_name("Markus Reuter"), _author_name("Markus"), _author_name("Reporter for the Herald")
    (True, False, False)
    """
    if len(text) > AUTHOR_NAME_MAX_CHARS:
        return False
    words = text.split()
    return 2 <= len(words) <= AUTHOR_NAME_MAX_WORDS and all(w[0].isupper() for w in words) \
        and not P.ends_sentence(text.rstrip("."))


def _named_in_prose(ctx: Context, index: int, name: str) -> bool:
    """Does a paragraph of prose before block ``index`` name ``name``? Then the text is about
    that person ("… Jane Roe is a reporter for the Herald who broke the story."), and a line
    saying what they are is the text's own, not the author's bio (whose name is in the byline
    at most)."""
    return any(ctx.prose[i] and name in ctx.blocks[i].text for i in range(index))


def _credit_roll(text: str) -> bool:
    """A news agency's credit roll: two or more parts between semicolons, each a role and "by"
    ("Reporting by A in Paris; Editing by B."), or a role first and another after a comma, in
    brackets or not ("(Reporting by A, B, with reporting by C, editing by D.)"). A sentence
    names no role first.

    >>> _credit_roll("Reporting by Jane Roe in Paris; Additional reporting by John Doe; Editing by Ann Lee.")
    True
    >>> _credit_roll("(Reporting by Jane Roe, John Doe, with reporting by Ann Lee, editing by Bo Li.)")
    True
    >>> _credit_roll("Reporting by the paper led to an inquiry; the minister resigned.")
    False
    >>> _credit_roll("Reporting by the paper, edited by its owner, was biased. He said so, editing by hand.")
    False
    >>> _credit_roll("Reporting by the Herald, edited by Jane Roe, revealed the scandal.")  # ends in words
    False
    """
    core = text.strip().removeprefix("(").removesuffix(")").rstrip(".")
    if not P.CREDIT_ROLE.match(core) or not _names_only(core.rpartition(" by ")[2]):
        return False
    parts = core.split(";")
    if len(parts) >= 2:
        return all(P.CREDIT_ROLE.match(part) for part in parts)
    return P.LATER_CREDIT_ROLE.search(core) is not None and not P.SENTENCE_BREAK.search(core)


def _names_only(text: str) -> bool:
    """Is ``text`` names (capitalized words) and the little words between them?

    >>> _names_only("Nick Zieminski and Dan Grebler"), _names_only("Jane Roe, revealed the scandal")
    (True, False)
    """
    words = text.replace(",", " ").split()
    return bool(words) and all(w[0].isupper() or w in P.NAME_GLUE for w in words)


def _agency_byline(text: str) -> bool:
    """A byline word and news agencies only: "Par AFP", "Von dpa/AFP", "Por EFE y Reuters".

    >>> _agency_byline("Par AFP"), _agency_byline("Von dpa/AFP"), _agency_byline("By Paul Smith")
    (True, True, False)
    """
    word, _, rest = text.partition(" ")
    if word.casefold() not in P.BYLINE_WORDS or not rest:
        return False
    agencies = _agencies()
    return all(normalize_line(part) in agencies for part in P.AGENCY_SEPARATOR.split(rest))


@cache
def _agencies() -> frozenset[str]:
    """The news and photo agencies of the phrase lists (``credit.agencies``), normalized."""
    return frozenset(normalize_line(a) for a in merged()["credit"].extra.get("agencies", ()))


#: Notices and follow rows are short: at most this many words.
NOTICE_MAX_WORDS = 14
FOLLOW_MAX_WORDS = 10
#: ... and this many characters: the follow pattern's ``.*`` between a verb and a platform costs
#: the square of the length on one long "word" full of verbs (10,000 characters: 1.2 s).
FOLLOW_MAX_CHARS = 400


@rule("boilerplate.copyright_notice", "copyright", "a short line with a copyright sign, year notice or 'all rights reserved'",
      max_words=NOTICE_MAX_WORDS)
def copyright_notice(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(copyright_notice, "Copyright 2019 BGR Media, LLC").weight
    1.0
    >>> check(copyright_notice, "The band sued over the copyright of their first album, the court heard.") is None
    True
    """
    if word_count(block.text) > NOTICE_MAX_WORDS:
        return None
    found = P.COPYRIGHT_NOTICE.search(block.text)
    if found is None:
        return None
    return Evidence("boilerplate.copyright_notice", "copyright", 1.0, f"rights notice {found.group()!r}")


@rule("boilerplate.follow_row", "share-row", "a short follow/share line naming a platform: 'Follow VentureBeat on LinkedIn'",
      max_words=FOLLOW_MAX_WORDS)
def follow_row(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(follow_row, "Follow VentureBeat on Flipboard").weight
    1.0
    >>> check(follow_row, "She shared the video on Twitter, where it was viewed a million times.") is None
    True
    """
    if (len(block.text) > FOLLOW_MAX_CHARS or word_count(block.text) > FOLLOW_MAX_WORDS
            or P.ends_sentence(block.text)):
        return None
    found = social_pattern().search(block.text)
    if found is None:
        return None
    return Evidence("boilerplate.follow_row", "share-row", 1.0, f"follow/share line {found.group()!r}")


@rule("boilerplate.counted_link", "nav-crumb", "an archive or category link with a count: 'Novembro (161)'",
      max_words=COUNTED_MAX_WORDS)
def counted_link(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(counted_link, "Arab Saudi (15)").weight
    1.0
    >>> check(counted_link, "The vote was 15 (of 20) in favour.") is None
    True
    """
    if word_count(block.text) <= COUNTED_MAX_WORDS and P.COUNTED_LINK.match(block.text):  # the count is cached
        return Evidence("boilerplate.counted_link", "nav-crumb", 1.0, "short link text with a count")
    return None


@rule("boilerplate.server_error", "server-error",
      "a PHP error message printed into the page: 'Warning: ... in /var/www/x.php on line 928'")
def server_error(block: Block, ctx: Context) -> Evidence | list[Evidence] | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(server_error, "Warning: Division by zero in /var/www/html/index.php on line 12").weight
    1.0
    >>> check(server_error, "The warning came in a PHP file on line twelve.") is None
    True
    """
    text = block.text
    if "on line" not in text or ".php" not in text:
        return None  # every message names its file and line
    spans = [found.span() for found in P.SERVER_ERROR.finditer(text)]
    if not spans:
        return None
    detail = "a server's error message"
    if not text[:spans[0][0]].strip() and not text[spans[-1][1]:].strip(" .") and all(
            not text[a:b].strip() for (_, a), (b, _) in pairwise(spans)):
        return Evidence("boilerplate.server_error", "server-error", 1.0, detail)
    return [Evidence("boilerplate.server_error", "server-error", 1.0, detail, span) for span in spans]


@rule("boilerplate.link_row", "nav-crumb",
      "a row of two or more known link texts without separators: 'Terms of Service Privacy Notice'",
      max_words=LINK_ROW_MAX_WORDS)
def link_row(block: Block, ctx: Context) -> Evidence | None:
    """
    >>> from cleaner.rules.testing import check
    >>> check(link_row, "Terms of Service Privacy Notice").weight
    1.0
    >>> check(link_row, "Log in to see the terms of the deal") is None
    True
    """
    words = block.text.split()
    if not 2 <= len(words) <= LINK_ROW_MAX_WORDS or P.ends_sentence(block.text):
        return None
    parts = _segment_links(tuple(words))
    if parts is None or len(parts) < 2:
        return None
    return Evidence("boilerplate.link_row", "nav-crumb", 1.0, f"{len(parts)} link texts in a row: {parts!r}")


def _segment_links(words: tuple[str, ...]) -> list[str] | None:
    """Split the words into whole-line boilerplate phrases, fewest pieces first; None if impossible."""
    known = _link_texts()
    best: list[list[str] | None] = [[]] + [None] * len(words)
    for end in range(1, len(words) + 1):
        for start in range(end):
            before = best[start]
            if before is None:
                continue
            piece = " ".join(words[start:end])
            if normalize_line(piece) in known:
                if best[end] is None or len(before) + 1 < len(best[end]):  # type: ignore[arg-type]
                    best[end] = [*before, piece]
    return best[-1]


@cache
def _link_texts() -> frozenset[str]:
    """Every whole-line phrase of the link-row kinds, normalized like the lines they meet."""
    phrases = merged()
    return frozenset(normalize_line(p) for kind in LINK_ROW_KINDS for p in phrases[kind].exact)
