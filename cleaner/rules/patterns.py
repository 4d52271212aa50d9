"""Every regular expression of cleaner, named and commented, compiled once.

Patterns run on single lines or blocks. Those that could backtrack are only applied to
bounded input (see MAX_REPEAT_SCAN_CHARS) or run with a timeout.
"""

from __future__ import annotations

import re
from functools import cache

import regex

from ..prefixes import alternation

#: ``\\s`` as the ``regex`` module reads it (Unicode White_Space); the stdlib ``re`` also counts
#: U+001C..U+001F as spaces.
_WHITE_SPACE = "\\t\\n\\x0b\\x0c\\r \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000"
#: The escapes that read differently in the two modules (word, digit, boundary, property).
_DIFFERENT_ESCAPES = frozenset("wWdDbBpPX")
#: (source, compiled) of every pattern built by ``stdlib``, for the tests.
STDLIB_PATTERNS: list[tuple[str, re.Pattern[str]]] = []


def stdlib(source: str) -> re.Pattern[str]:
    """``source``, written for ``regex``, compiled by the stdlib ``re`` with ``\\s``/``\\S`` written
    out as ``regex`` reads them: the same matches, found about twice as fast on a short line
    (``regex`` costs more per call). Only for patterns without flags, ``\\w``, ``\\d``, ``\\b`` or
    ``\\p{..}``: tests/test_fastpaths.py compares both compilations of each.

    >>> stdlib(r"[^\\s:]+:\\s").pattern == "[^" + _WHITE_SPACE + ":]+:[" + _WHITE_SPACE + "]"
    True
    """
    out, i, in_class = [], 0, False
    while i < len(source):
        if source[i] == "\\":
            escape = source[i:i + 2]
            if escape[1:] in _DIFFERENT_ESCAPES:
                raise ValueError(f"{escape} reads differently in re and regex: {source!r}")
            if escape == "\\s":
                escape = _WHITE_SPACE if in_class else f"[{_WHITE_SPACE}]"
            elif escape == "\\S":
                if in_class:
                    raise ValueError(f"\\S inside a class: {source!r}")
                escape = f"[^{_WHITE_SPACE}]"
            out.append(escape)
            i += 2
            continue
        if source[i] == "[" and not in_class:
            in_class = True
        elif source[i] == "]" and in_class:
            in_class = False
        out.append(source[i])
        i += 1
    compiled = re.compile("".join(out))
    STDLIB_PATTERNS.append((source, compiled))
    return compiled


# ---- normalize ---------------------------------------------------------------------
#: Characters removed outright: zero-width space, word joiner, the invisible operators (U+2061-4:
#: an "invisible separator" after every line of a post copied from Instagram), BOM, soft hyphen,
#: LRM/RLM marks. ZWNJ/ZWJ (U+200C/D) are kept: Persian words and emoji sequences need them.
_INVISIBLE_CHARS = "\u200b\u2060-\u2064\ufeff\u00ad\u200e\u200f"
INVISIBLE = regex.compile(f"[{_INVISIBLE_CHARS}]")
#: Control characters (and terminal colour escapes), removed whether or not ftfy runs.
_CONTROL_CHARS = r"\x00-\x08\x0e-\x1f\x7f-\x9f"
CONTROL = regex.compile(rf"\x1b\[[0-9;]*[A-Za-z]|[{_CONTROL_CHARS}]")
#: Space-like characters written as a plain space (NBSP, narrow NBSP, figure space, tab, ...).
_SPACE_LIKE_CHARS = "\t\u00a0\u202f\u2007\u2000-\u200a\u3000\u205f\x0b\x0c"
SPACE_LIKE = regex.compile(f"[{_SPACE_LIKE_CHARS}]")
MULTI_SPACE = regex.compile(" {2,}")
#: A bullet at the start of a line: written as "- ".
BULLET = stdlib(r"^(?:[•·▪‣◦●■□▫►▸➤✓✔∙]\s*|[–*+-]\s+)(?=\S)")
#: A numbered list item ("1. ", "2) ", "a) ").
NUMBERED_ITEM = regex.compile(r"^(?:\d{1,3}|[a-z])[.)]\s+\S")
#: A section or step number before a heading: "1 Introduction", "2.3 Results".
SECTION_NUMBER = regex.compile(r"^\d{1,2}(?:\.\d{1,2})*\.?\s+\p{L}")
#: Line breaks of any kind (input is split on these).
LINE_BREAK = stdlib(r"\r\n|\r|\n|\u2028|\u2029|\x85")
#: What one of the four substitutions above (CONTROL, INVISIBLE, SPACE_LIKE, MULTI_SPACE) would
#: change: a line without it skips them all (most lines). Their characters in one class (a
#: terminal escape starts with \x1b, a control character), or two spaces: the stdlib ``re``
#: searches this in 1.0 us a line, ``regex`` the four patterns joined in 2.3.
TOUCHED = re.compile(f"[{_CONTROL_CHARS}{_INVISIBLE_CHARS}{_SPACE_LIKE_CHARS}]|  ")
#: Mojibake or HTML entities worth a (slow) ftfy pass.
NEEDS_FTFY = regex.compile(r"&(?:#\d{1,7}|#x[0-9a-fA-F]{1,6}|[A-Za-z]{2,8});|[ÃÂâ€ÐÑÅ][\x80-\xbf\u0152-\u2122]|\ufffd|[\x80-\x9f]")
#: The characters a NEEDS_FTFY match starts with: a line without any needs no ftfy. A class of
#: listed characters reads the same in the stdlib ``re``, which scans for it ten times faster.
NEEDS_FTFY_START = re.compile("[&ÃÂâ€ÐÑÅ\ufffd\x80-\x9f]")

# ---- segment -----------------------------------------------------------------------
#: The end of a sentence or a clause that closes a line: the next line is not its continuation.
LINE_END_CLOSED = stdlib(r"[.!?…:;。！？»«\"“”’')\]]\s*$")
#: A line that is (or starts with) a web address: never the continuation of a sentence.
URL_START = regex.compile(r"^(?:[a-z][a-z0-9+.-]*://|www\.)", regex.I)
#: A line that starts with a lowercase letter (hard-wrapped prose continues like this).
STARTS_LOWER = regex.compile(r"^\p{Ll}")

# ---- shared text measures ------------------------------------------------------------
WORD = regex.compile(r"\w+(?:[-'’]\w+)*")
#: A content word for overlap measures: four or more letters.
CONTENT_WORD = regex.compile(r"\p{L}{4,}")
LETTER = regex.compile(r"\p{L}")
UPPER = regex.compile(r"\p{Lu}")
#: The characters that end a sentence, and the closing quotes or brackets that may follow them
#: (TERMINAL_PUNCT, SENTENCE and ``ends_sentence`` are built on these).
_SENTENCE_END, _CLOSERS = ".!?…。！？", "'\"’”»)]‘“«›‹」』"
_END = f"[{re.escape(_SENTENCE_END)}][{re.escape(_CLOSERS)}]*"
#: Sentence-final punctuation at the end of a block (possibly followed by quotes or brackets).
TERMINAL_PUNCT = stdlib(_END + r"\s*$")
_SPACES = "".join(re.findall(f"[{_WHITE_SPACE}]", "".join(map(chr, range(0x3001)))))  # (one scan at import)


#: One sentence of a block: up to a sentence end (with its closing quotes or brackets) that white
#: space or the end follows, or to the end of the block.
SENTENCE = stdlib(r"\S.*?(?:" + _END + r"(?=\s|$)|$)")
#: A sentence end inside a text, with more after it.
SENTENCE_BREAK = stdlib(_END + r"\s+\S")


def ends_sentence(text: str) -> bool:
    """``TERMINAL_PUNCT.search(text)``: a sentence end, then closing quotes or brackets, then
    white space, at the end of the text. Read from the end, without a search that tries every
    full stop of a paragraph (asked of most blocks, by a dozen rules).

    >>> ends_sentence("Er ging.» "), ends_sentence("Mehr »"), ends_sentence("")
    (True, False, False)
    """
    core = text.rstrip(_SPACES).rstrip(_CLOSERS)
    return bool(core) and core[-1] in _SENTENCE_END

# ---- spam ----------------------------------------------------------------------------
#: A token for repetition analysis: a word, possibly with inner dots/hyphens (WIN-FAST.NET).
TOKEN = regex.compile(r"[\w][\w.'’-]*\w|\w")
#: TOKEN written for the stdlib ``re``, which finds the same tokens about three times faster
#: where the two agree on ``\w`` (ASCII text, and see rules.textstats).
TOKEN_RE = re.compile(r"\w+(?:[.'’-]+\w+)*")
TOKEN_ASCII = re.compile(r"\w+(?:[.'-]+\w+)*", re.ASCII)
#: A domain-like token, typical of affiliate banners (WIN-FAST.NET, bonuswelt24.de, pengar.se):
#: the generic top-level domains of such sites and the country ones of Europe and the Americas.
DOMAIN = regex.compile(
    r"\b[\w-]{2,}\.(?:com|net|org|io|info|biz|co|eu|xyz|top|club|shop|online|site|win|bet|app|vip|live|store|"
    r"de|fr|es|it|nl|pl|pt|ch|at|be|uk|ru|se|dk|no|fi|cz|sk|ro|hu|gr|tr|ie|lu|bg|hr|si|ua|lt|lv|ee|"
    r"br|ar|mx|cl|us|ca)\b",
    regex.I,
)

# ---- captions and credits -------------------------------------------------------------
#: A photo-credit marker: "Foto:", "(Bild: ...)", "Photo by", "Crédit photo :", "Fot. ", "Foto di",
#: and a source ("Quelle:", "Fuente:"). After a preposition (group ``by``) a name or an agency
#: must follow for a credit: "Photo de famille", "Foto di gruppo" are phrases.
CREDIT_MARKER = regex.compile(
    r"(?:^|(?<=[\s(\[|/–—-]))"
    r"(?:photo(?:graph|graphie)?s?|foto(?:grafie|grafía|grafia)?s?|fot\.|bild(?:er)?|bildquelle|image(?:s)?|"
    r"imagen|immagine|zdjęcie|zdjęcia|afbeelding|beeld|crédits?(?:\s+photos?)?|credits?|picture|"
    r"main\s+image|image\s+credit|photo\s+credit|foto\s*credit|bildnachweis|quelle|fuente|fonte|bron|źródło)"
    r"(?:\s*(?::|/)|(?<=fot\.)\s|\s+(?P<by>by|von|di|de|par|door|por|z)\s)",
    regex.I,
)
#: An elided article before a name after "Photo de", "Foto di": "Photo de l'AFP".
ELIDED_ARTICLE = regex.compile(r"^\s*(?:l|d|dell|dall)['’]", regex.I)
#: Photo and source words of more languages that mark a credit with a colon or a slash only:
#: "Kuva:" (Finnish), "Fotó:" (Hungarian), "Fotoğraf:" (Turkish), "Snímek:" and "Zdroj:" (Czech),
#: "Kilde:", "Källa:", "Lähde:", "Forrás:", "Kaynak:", "Sursa:" ("zdroj z ministerstva" is "a
#: source at the ministry"). Looked for in lines with a colon or a slash only (a search of every
#: line with both patterns in one cost a third more).
COLON_CREDIT_MARKER = regex.compile(
    r"(?:^|(?<=[\s(\[|/–—-]))(?:"
    + alternation(("kuva", "fotó", "fotoğraf", "snímek", "zdroj", "kilde", "källa", "lähde", "forrás",
                   "kaynak", "sursa", "sursă"))
    + r")\s*(?::|/)",
    regex.I,
)
#: Units of a recipe's ingredient lines, in the languages of the phrase lists.
_UNITS = (
    "g", "gr", "kg", "mg", "ml", "cl", "dl", "l", "oz", "lb", "lbs", "cup", "cups", "c", "tbsp", "tbs",
    "tsp", "tablespoon", "tablespoons", "teaspoon", "teaspoons", "pound", "pounds", "ounce", "ounces",
    "clove", "cloves", "pinch", "can", "cans", "slice", "slices", "stick", "sticks", "pint", "pints",
    "quart", "quarts", "el", "tl", "msp", "pck", "pckg", "päckchen", "prise", "prisen", "bund",
    "becher", "dose", "dosen", "zehe", "zehen", "tasse", "tassen", "stück", "scheibe", "scheiben",
    "blatt", "würfel", "liter", "gramm", "esslöffel", "teelöffel", "cuillère", "cuillères", "cs", "cc",
    "càs", "càc", "pincée", "gousse", "gousses", "sachet", "sachets", "verre", "verres", "tranche",
    "tranches", "cucharada", "cucharadas", "cucharadita", "cucharaditas", "cda", "cdas", "cdta",
    "cdtas", "taza", "tazas", "pizca", "diente", "dientes", "lata", "latas", "sobre", "sobres",
    "cucchiaio", "cucchiai", "cucchiaino", "cucchiaini", "pizzico", "spicchio", "spicchi", "bustina",
    "bustine", "eetlepel", "eetlepels", "theelepel", "theelepels", "snufje", "teentje", "teentjes",
    "zakje", "zakjes", "btl", "beutel", "pkt", "packung", "glas", "bunch", "package", "jar", "dash",
)
#: A word between an amount and its unit: "2 gestr. TL", "1 heaped tbsp".
_UNIT_SIZES = ("gestr", "gestrichene", "gestrichener", "gehäufte", "gehäufter", "level", "heaped", "heaping",
               "rounded", "small", "large", "kleine", "große")
_AMOUNT = r"(?:\d+(?:[.,]\d+)?(?:\s*/\s*\d+)?|[½¼¾⅓⅔⅛])(?:\s+\d+/\d+|\s*[½¼¾⅓⅔⅛])?"


@cache
def quantity() -> regex.Pattern[str]:
    """An ingredient line of a recipe: an amount and a unit first ("300 g Mehl", "1 1/2 tsp sugar",
    "1-2 EL Honig", "120g noodles"). A count alone ("2 Eier", "12 Tipps für Anfänger") is not one.
    Compiled when first asked for (4 ms, in every process's start-up otherwise): only the page
    rule asks, on a page whose body it cannot bridge.

    >>> bool(quantity().match("1 1/2 tsp sugar")), bool(quantity().match("12 Tipps für Anfänger"))
    (True, False)
    """
    return regex.compile(
        rf"^\W{{0,3}}{_AMOUNT}(?:\s*(?:[-\u2013]|to|bis|à|a)\s*{_AMOUNT})?"
        rf"(?:\s+(?:{alternation(_UNIT_SIZES)})\.?)?\s*(?:{alternation(_UNITS)})\.?(?!\w)", regex.I)


#: A trailing parenthetical credit of slash-separated names: "(NASA/JPL/Space Science Institute)".
PAREN_CREDIT = regex.compile(r"\((?:[^()]{0,40}/[^()]{0,60}|[^()]{0,40}\b(?:images?|photos?|fotos?)\b[^()]{0,30})\)\s*$", regex.I)

# ---- boilerplate -----------------------------------------------------------------------
#: Between a page title's parts: "Headline - Site", "Headline | Site", "Site: Headline".
TITLE_SEPARATOR = stdlib(r"\s+(?:[-|–—:·•»]|::)\s+")
#: Breadcrumb / menu separators between short items: "Home > News > Politics", "A | B | C".
#: A table row as extractors write it: "| a | b | c |".
TABLE_ROW = stdlib(r"^\|.*\|$")
#: (Starts only where a whitespace run starts and takes it whole: linear on long runs.)
CRUMB_SEPARATOR = stdlib(r"(?<!\s)\s++(?:[>»›/|•·»→]|::)\s+")
#: The first character of a word: a letter or digit (str.isalnum) after none (stdlib ``re``,
#: whose ``[^\W_]`` is exactly str.isalnum).
WORD_START = re.compile(r"(?<![^\W_])[^\W_]")
#: Words that make a line a publication or update stamp ("Updated", "Publicerad", "Atualizado").
STAMP_WORDS = (  # ("asked", "answered", "edited": a question-and-answer site's stamps)
    "updated", "published", "posted", "last modified", "asked", "answered", "edited",
    "letzte änderung", "aktualisiert", "veröffentlicht", "mis à jour", "publié", "actualizado",
    "actualizada", "publicado", "publicada", "aggiornato", "aggiornata", "pubblicato", "pubblicata",
    "atualizado", "atualizada", "bijgewerkt", "gepubliceerd", "geplaatst", "publicerad",
    "publicerat", "uppdaterad", "uppdaterat", "publiceret", "opdateret", "udgivet", "publisert",
    "oppdatert", "julkaistu", "päivitetty", "aktualizacja", "zaktualizowano", "opublikowano",
    "aktualizováno", "publikováno", "aktualizované", "publikované", "actualizat", "publicat",
    "güncellendi", "yayınlandı", "frissítve", "közzétéve",
)
#: The other words a timestamp line may hold: the little words between its parts ("à", "kl.",
#: "às", "godz."), "today" and "yesterday", time zones.
_STAMP_GLUE = (
    "original", "modified", "at", "on", "am", "um", "uhr", "le", "à", "el", "il", "a las", "alle", "om",
    "op", "o", "às", "em", "kl", "klo", "godz", "dnia", "dne", "den", "v", "yesterday", "today",
    "gestern", "heute", "hier", "aujourd'hui", "ayer", "hoy", "ieri", "oggi", "gisteren", "vandaag",
    "wczoraj", "dzisiaj", "ontem", "hoje", "igår", "idag", "i går", "i dag", "včera", "dnes", "eilen",
    "tänään", "dün", "bugün",
)
_TIME_ZONES = (
    "ET", "EST", "EDT", "CET", "CEST", "GMT", "UTC", "PT", "PST", "PDT", "BST", "MEZ", "MESZ", "IST",
    "JST", "KST",
)
_TIME_UNITS_AGO = (r"seconds?|secs?|minutes?|mins?|hours?|hrs?|h|days?|d|weeks?|months?|years?|"
                   r"stunden?|std\.?|tagen?|minuten?")
#: A time ago: "2 hours ago", "vor 2 Stunden", "há 2 horas", "2 uur geleden", "för 2 timmar sedan".
#: (Words are written with single spaces: blocks are normalized.)
_RELATIVE_TIME = (
    rf"\d+\s*(?:(?:{_TIME_UNITS_AGO})\s+ago|(?:ore|ora|minuti|minuto|giorni|giorno)\s+fa|"
    r"(?:uur|minuten|minuut|dagen|dag)\s+geleden|(?:godzin[ay]?|godz\.?|minut[ay]?|min\.?|dni|dzień)\s+temu|"
    r"(?:saat|dakika|gün)\s+önce)|"
    r"(?:vor \d+\s*(?:stunden?|minuten?|tagen?|std\.?)|il y a \d+\s*(?:heures?|minutes?|jours?|h|min)|"
    r"hace \d+\s*(?:horas?|minutos?|días?|h|min)|há \d+\s*(?:horas?|minutos?|dias?|h|min)|"
    r"för \d+\s*(?:timmar|timme|minuter|minut|dagar|dag) sedan|"
    r"for \d+\s*(?:timer|time|minutter|minut|dager|dage|dag) siden|"
    r"před \d+\s*(?:hodinami|hodinou|minutami|minutou|dny|dnem))"
)
#: Pieces of a timestamp line: relative times, times ("14:32", "2 p.m.", "14h32", the French
#: and Portuguese way), stamp words, time zones and the words between them. A relative time
#: comes first ("2h ago" is one, not the time "2h" and a word); the words are one trie.
TIMESTAMP_WORDS = regex.compile(
    rf"\b(?:{_RELATIVE_TIME}|"
    r"\d{1,2}[:.]\d{2}(?:[:.]\d{2})?\s*(?:[ap]\.?m\.?)?|\d{1,2}\s*[ap]\.?m\.?|"
    r"\d{1,2}h(?:\d{2})?|\d{1,2} h \d{2}|"
    rf"[ap]\.?m\.?|(?:{'|'.join(_TIME_ZONES)})|{alternation([*STAMP_WORDS, *_STAMP_GLUE])})\b",
    regex.I,
)
#: The stamp words of TIMESTAMP_WORDS that make a bare time an update stamp ("Updated at 1:23 p.m.").
UPDATE_WORD = regex.compile(rf"\b(?:{alternation(STAMP_WORDS)})\b", regex.I)
#: A relative time: a line of nothing else is a stamp, not the time heading a live-blog entry.
RELATIVE_TIME = regex.compile(rf"(?<!\w)(?:{_RELATIVE_TIME})(?!\w)", regex.I)
#: A social handle or a "by NAME" start of a byline.
HANDLE = regex.compile(r"(?<![\w.])@\w{2,}")
#: The name may be in a script without capital letters (Arabic, CJK, Hindi): "by ライトハウス".
#: Only the word "by" ignores case: a name starts with a capital ("By the end of March 2024 ..."
#: and "Di questo si parlerà il 12 marzo 2024" are sentences).
BYLINE_WORDS = ("by", "von", "par", "por", "di", "door", "przez", "de", "av", "af")
BYLINE_START = regex.compile(rf"^(?i:{'|'.join(BYLINE_WORDS)})\s+[\p{{Lu}}\p{{Lo}}]")
#: One part of a news agency's credit roll: "Reporting by A in Paris", "Additional reporting by B",
#: "Editing by C" (the parts are separated by semicolons) ...
_CREDIT_ROLES = (r"(?:additional\s+)?(?:reporting|editing|writing|compiled|edited|written|research|graphics|"
                 r"photos|video|production|translation|translated)\s+by\s+\S")
CREDIT_ROLE = regex.compile(r"\s*" + _CREDIT_ROLES, regex.I)
#: ... or by commas: "(Reporting by A, B, with reporting by C, editing by D.)"
LATER_CREDIT_ROLE = regex.compile(r",\s*(?:with\s+|and\s+)?" + _CREDIT_ROLES, regex.I)
#: The little words between the names of a credit roll: "Jane Roe and John Doe in Paris".
NAME_GLUE = frozenset({"and", "in", "&", "with", "de", "da", "van", "von", "der", "al", "el", "bin"})
#: A one-line author bio: a name, then what the author is at the publication ("Phil Helsel is a
#: reporter for NBC News.", "Jane Roe ist Redakteurin im Ressort Politik.").
AUTHOR_BIO = regex.compile(
    r"^(?P<name>\p{Lu}[\w.'-]*(?:\s+\p{Lu}[\w.'-]*){1,3})\s+(?:"
    r"(?:is|was)\s+(?:a|an|the)\s+(?:[\w&-]+\s+){0,4}?(?:writer|reporter|editor|correspondent|journalist|"
    r"contributor|columnist|producer)s?|"
    r"ist\s+(?:freie[rn]?\s+)?(?:Redakteur|Autor|Journalist|Korrespondent|Reporter|Volontär)(?:in)?)\b")
#: What separates the agencies of an agency byline: "Par AFP et Reuters", "Von dpa/AFP".
AGENCY_SEPARATOR = regex.compile(r"\s*[/,|&]\s*|\s+(?:and|und|et|y|e|og|och|en|i)\s+", regex.I)
#: A copyright or rights notice: "© 2019 Reuters", "Copyright 2019 BGR Media", "(c) 2020".
COPYRIGHT_NOTICE = regex.compile(
    r"[©ⓒ]|\(c\)\s*\d{4}|\bcopyright\b\s*(?:©\s*)?(?:\d{4}|by\b)|\ball\s+rights\s+reserved\b|"
    r"\balle\s+rechte\s+vorbehalten\b|\btous\s+droits\s+réservés\b|\btodos\s+los\s+derechos\s+reservados\b|"
    r"\btutti\s+i\s+diritti\s+riservati\b|\balle\s+rechten\s+voorbehouden\b|\bwszelkie\s+prawa\s+zastrzeżone\b|"
    r"\btodos\s+os\s+direitos\s+reservados\b",
    regex.I,
)
#: A "label: value" line ("Thunder: Host the Lakers on Friday.", "Pos: QB"): a short label of
#: at most three words before a colon, then the value.
LABEL_VALUE = stdlib(r"^[^\s:]+(?: [^\s:]+){0,2}:\s+\S")
#: A link marker closing a line: an arrow or a guillemet ("Update your preferences »", "More →").
#: (Tried only where a run of whitespace starts, as the leftmost match always does: linear.)
LINK_TAIL = stdlib(r"(?<!\s)\s*(?:[→»›]|->)\s*$")
#: A one-word bracket closing a line: "(video)", "(3:04)", "[PDF]". (Linear, as LINK_TAIL.)
PAREN_TAIL = stdlib(r"(?<!\s)\s*(?:\([^\s()]{1,20}\)|\[[^\s\[\]]{1,20}\])\s*$")
#: Closing quote marks at the end of a line. (Tried only where a run of them starts: linear.)
QUOTE_TAIL = stdlib(r"(?<!['\"’”])['\"’”]+\s*$")
#: A line that opens with a quote mark or a dash: dialogue or a quotation.
QUOTE_OR_DASH_START = stdlib(r"^['\"‘’“”„«»‹›‚–—-]")
#: (opening, closing) quotation marks of the common styles: “…” ‘…’ (English), „…“ ‚…‘ »…«
#: (German), „…” (Polish, Dutch, Hungarian), ”…” »…» ’…’ (Swedish, Finnish), «…» (French, with
#: spaces inside, Spanish, Italian, Russian), ‹…› ›…‹, 「…」 『…』 (Chinese, Japanese), and the
#: straight "…" '…'.
QUOTE_PAIRS = ("“”", "‘’", "„“", "‚‘", "„”", "””", "’’", "»«", "»»", "«»", "‹›", "›‹", "「」", "『』",
               '""', "''")


def _quoted(pair: str) -> str:
    """Words in one pair of quotation marks (in group ``words``): the opening mark not after a
    letter and right before the words (French «…» may have a space), the closing mark right
    after them and not before a letter; inside, either mark only within a word (an apostrophe:
    ‘Don’t go,’). Each character inside is one way to match, and an opening mark inside ends
    the attempt: linear."""
    o, c = regex.escape(pair[0]), regex.escape(pair[1])
    pad = r"\s?" if pair == "«»" else ""
    return (rf"(?<!\w){o}{pad}(?=[^\s{o}{c}])(?P<words>(?:[^{o}{c}]|(?<=\w)[{o}{c}](?=\w))+?)"
            rf"(?<=\S){pad}{c}(?!\w)")


#: A span of words in quotation marks (see ``_quoted``), in any of the QUOTE_PAIRS.
QUOTED = regex.compile("|".join(map(_quoted, QUOTE_PAIRS)))
#: Any quotation mark: a line without one holds no quotation.
QUOTE_MARK = re.compile("[" + "".join(sorted(set("".join(QUOTE_PAIRS)))) + "]")
#: A line that opens a quotation (a quoted paragraph that goes on past the line): an opening
#: mark right before a word, after a dialogue dash at most. Not ’ or ' (an elision: ’s, '90s),
#: nor a mark before a space (« Ältere Beiträge: a link's arrow).
QUOTE_OPENS_LINE = regex.compile(r"^(?:[–—-]\s?)?[“‘„‚”»«‹›「『\"](?=\w)")
#: A line that closes a quotation: a sentence end (or a comma) and a closing mark at its end.
QUOTE_CLOSES_LINE = regex.compile(r"[.!?…,][”“’‘«»‹›」』\"']\s*$")
#: A teaser cut short: "Houston Housing Authority sued over alleged open meeting...", and with
#: two dots as Korean news sites cut theirs ("주인공 자리까지 꿰찬 나영석 PD의..").
TRUNCATED = stdlib(r"(?:\.\.\.?|…|\[…\]|\[\.\.\.\])\s*$")
#: A PHP error message printed into a page: "Warning: Use of undefined constant x - assumed 'x'
#: in /var/www/site/wp-content/plugins/a.php on line 928" (also Notice, Deprecated, Fatal error,
#: Parse error, Strict Standards; the file's name ends it, then "on line N").
SERVER_ERROR = stdlib(r"(?<![A-Za-z])(?:PHP )?(?:Warning|Notice|Deprecated|Strict Standards"
                      r"|(?:Catchable )?[Ff]atal error|Parse error)"
                      r"\s*:\s.{1,600}?\sin\s\S+?\.php(?:\([0-9]+\))?\s+on line\s+[0-9]+")
#: An archive or category link with a count: "Novembro (161)", "コラム (1)".
COUNTED_LINK = regex.compile(r"^[^\d()]{1,40}\s\(\d{1,5}\)$")
