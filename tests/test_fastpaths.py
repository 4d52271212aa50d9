"""The fast paths give exactly what the plain code gives (issue #5: faster, same bytes).

Each test compares a hot function with a straightforward reference (the code it replaced) on
real-looking lines and on seeded random strings.
"""

from __future__ import annotations

import random
from functools import cache

import pytest

from cleaner import phrases
from cleaner.normalize import MAX_FIX_PASSES, _normalize_once, normalize_bullet, normalize_line
from cleaner.normalize import touched as touched_line
from cleaner.rules import patterns as P
from cleaner.rules.textstats import _has_close_repeat, caps_runs, repeated_stretch, token_texts

from .conftest import bench_pages, needs_bench

LINES = [
    "Die Konfrontation ist nicht neu, doch sie eskalierte.",
    "GUADAGNA SUBITO CON NOI | GUADAGNA SUBITO CON NOI",
    "JETZT ANMELDEN UND GRATIS BONUS SICHERN auf WIN-FAST.NET",
    "Er sagte: „Das ist’s“ – und ging. Über 2,5 Mio. Euro…",
    "Read more: The best tips", "Lesen Sie auch: Die besten Tipps", "© 2019 Reuters. All rights reserved.",
    "Photo: AFP/Getty Images", "Share this:", "We use cookies to improve your experience.",
    "Привет мир, как дела? ЖЖЖ ЖЖЖ", "日本語のテキストです。", "नमस्ते दुनिया", "a\u0308bc  def\u00a0ghi\u200b",
    "SchÃ¶ne GrÃ¼ÃŸe &amp; mehr", "  •\u00a0Elon  Musk\u200b ist da ", "1. Define early retirement", "\x1b[31mred\x1b[0m",
    "", "   ", "WIN BIG WIN BIG NOW", "of the cat and of the dog", "GELDKLIK GELD KLIK GELDKLIK",
    "Warning: Division by zero in /var/www/index.php on line 12",
    "PHP Notice:\u00a0Undefined index: x in\u2003/srv/a b/c.php(7) on line\x1c3 and more",
    "Fatal error: Uncaught Error in /x.php on line 1\nDeprecated: f() in /y.php on line 2",
]
ALPHABET = list("ABCwin bigNOW .,-|/:;!&+'’\"0123456789ÄÖÜäöüßÉé²½ǅⓐ日Ж\u0308\u0915\u093e\u00a0\u200b\t»«…Ã¶&#;")
WORDS = ["WIN", "BIG", "NOW", "win", "big", "the", "of", "GET", "FREE", "BONUS", "2024", "|", "-", "I",
         "über", "ÜBER", "cookies", "read more", "Jetzt", "x.y", "it's", "GELDKLIK", "NU"]


def _strings(n: int = 2500) -> list[str]:
    rnd = random.Random(5)
    out = list(LINES)
    for _ in range(n):
        if rnd.random() < 0.5:
            out.append("".join(rnd.choice(ALPHABET) for _ in range(rnd.randint(0, 50))))
        else:
            sep = rnd.choice([" ", "  ", ", ", " | ", ""])
            out.append(sep.join(rnd.choice(WORDS) for _ in range(rnd.randint(0, 20))))
    return out


STRINGS = _strings()


def _normalize_line_plain(raw: str) -> tuple[str, bool]:
    text = _normalize_once(raw)
    for _ in range(MAX_FIX_PASSES - 1):
        if not P.NEEDS_FTFY.search(text):
            break
        again = _normalize_once(text)
        if again == text:
            break
        text = again
    return normalize_bullet(text)


def _normalize_once_plain(raw: str) -> str:
    from cleaner.normalize import fix_text

    text = P.CONTROL.sub("", fix_text(raw))
    text = P.INVISIBLE.sub("", text)
    text = P.SPACE_LIKE.sub(" ", text)
    return P.MULTI_SPACE.sub(" ", text).strip()


def test_normalize_fast_paths() -> None:
    for s in STRINGS:
        assert _normalize_once(s) == _normalize_once_plain(s), repr(s)
        assert normalize_line(s) == _normalize_line_plain(s), repr(s)


def test_token_texts_same_as_token_pattern() -> None:
    for s in STRINGS:
        for text in (s, s.casefold()):
            assert token_texts(text) == P.TOKEN.findall(text), repr(text)


def _has_close_repeat_plain(text: str, max_period: int) -> bool:
    words = P.TOKEN.findall(text.casefold())
    seen: dict[tuple[str, str], int] = {}
    for i in range(len(words) - 1):
        pair = (words[i], words[i + 1])
        last = seen.get(pair)
        if last is not None:
            gap = i - last
            if gap == 2 or (gap <= max_period and i + 2 < len(words) and words[i + 2] == words[last + 2]):
                return True
        seen[pair] = i
    return False


@pytest.mark.parametrize("period", [3, 12])
def test_close_repeat_same_as_plain_loop(period: int) -> None:
    for s in STRINGS:
        assert _has_close_repeat(s, period) == _has_close_repeat_plain(s, period), repr(s)


def _caps_runs_plain(text: str, min_words: int) -> list[tuple[int, int]]:
    def caps(tok: str) -> bool:
        letters = [c for c in tok if c.isalpha()]
        return bool(letters) and all(c.isupper() for c in letters)

    if sum(1 for w in text.split() if w.isupper()) < min_words:
        return []
    runs: list[tuple[int, int]] = []
    run: list[tuple[int, int, str]] = []

    def close() -> None:
        if len([t for t in run if any(c.isalpha() for c in t[2])]) >= min_words:
            runs.append((run[0][0], run[-1][1]))

    for m in [*P.TOKEN.finditer(text), None]:
        if m is not None and (caps(m.group()) or (m.group().isdigit() and run)):
            if run and text[run[-1][1]:m.start()].strip(" |-–—·•,;:/!&+'’\"") != "":
                close()
                run = []
            run.append((m.start(), m.end(), m.group()))
            continue
        close()
        run = []
    return runs


def test_caps_runs_same_as_plain_loop() -> None:
    for s in STRINGS:
        for min_words in (1, 3):
            assert caps_runs(s, min_words) == _caps_runs_plain(s, min_words), repr(s)


def test_repeated_stretch_finds_glued_banner() -> None:
    assert repeated_stretch("GO TO CASHPORTAL GET YOUR FREE BONUS NOW | GET YOUR FREE BONUS NOW") == (17, 66, 2)
    assert repeated_stretch("GELDKLIK GELD KLIK GELDKLIK GELD KLIK") is not None


def _match_plain(kind: str, text: str) -> object:
    """phrases.match without the all-kinds prefilter."""
    m = phrases._matcher(kind)
    line = phrases.normalize_line(text)
    if not line:
        return None
    if line in m.exact:
        return m.exact[line]
    if line.startswith(m.starts):  # every phrase, longest first
        for phrase in m.starts:
            if line.startswith(phrase) and phrases._ends_on_boundary(line, len(phrase)):
                return ("starts", m.starts_source[phrase])
    contains = phrases._contains(kind)
    found = contains.search(line) if contains is not None else None
    return None if found is None else ("contains", m.contains_source[found.group()])


def test_no_kind_prefilter_never_hides_a_match() -> None:
    lines = [*STRINGS[:1500]]
    for kind in phrases.KINDS:  # every phrase itself, and inside a line
        for phrase in sorted(phrases.merged()[kind].exact)[:40] + list(phrases.merged()[kind].contains[:40]):
            lines += [phrase, f"Text {phrase} more"]
    for line in lines:
        for kind in phrases.KINDS:
            assert phrases.match(kind, line) == _match_plain(kind, line), (kind, line)


def _matches_no_kind_plain(line: str) -> bool:
    """phrases._matches_no_kind without the whole-word prefilter of the contains phrases."""
    m = phrases._any_matcher()
    if line in m.exact or line.startswith(_all_starts()):
        return False
    return not any((c := phrases._contains(kind)) is not None and c.search(line) for kind in phrases.KINDS)


@cache
def _all_starts() -> tuple[str, ...]:
    return tuple(sorted({p for kind in phrases.KINDS for p in phrases._matcher(kind).starts}))


def test_whole_word_prefilter_never_hides_a_contains_phrase() -> None:
    """Every contains phrase of every kind, alone and glued or spaced to letters, digits and
    punctuation on either side: wherever a kind's full pattern finds a phrase, the prefilter
    names that kind, and does not say that no kind matches."""
    contexts = ["{}", "x{}", "{}x", "1{}2", "a {} b", "«{}»", "-{}-", "deal {} claim", "©{}", "ÿ{} é"]
    lines = [*(phrases.normalize_line(s) for s in STRINGS)]
    for phrase in sorted({p for kind in phrases.KINDS for p in phrases._matcher(kind).contains_source}):
        lines += [c.format(phrase) for c in contexts]
    assert len(lines) > 5000
    found = skipped = 0
    for line in lines:
        kinds = phrases._contains_kinds.__wrapped__(line)
        for kind in phrases.KINDS:
            pattern = phrases._contains(kind)
            if pattern is not None and pattern.search(line):
                assert kind in kinds, (kind, line)
                found += 1
            elif pattern is not None and kind not in kinds:
                skipped += 1
        if not _matches_no_kind_plain(line):
            assert not phrases._matches_no_kind.__wrapped__(line), line
    assert found > 1000  # the phrases were found where they stand whole
    assert skipped > 10 * found  # and most kinds are not searched at all


def test_words_of_a_line_same_as_findall() -> None:
    lines = [*STRINGS, "don't stop-5_x", "a\tb\x7fc\x00d", "".join(map(chr, range(128)))]
    for line in lines:
        assert phrases._words(line) == set(phrases._WORD.findall(line)), line


def test_no_letter_or_digit_is_edge_junk() -> None:
    """phrases._normalize skips _is_edge_junk for a letter or digit: never junk, in all of Unicode."""
    assert not [c for c in range(0x110000) if chr(c).isalnum() and phrases._is_edge_junk(chr(c))]


def test_phrase_normalization_same_as_translate() -> None:
    quotes = "".join(chr(c) for c in phrases._QUOTES)
    lines = [*STRINGS, quotes, f"don{quotes}t „Zitat“ ‘x’ `y´", *(f"a{q}b{q}" for q in quotes)]
    for line in lines:
        plain = " ".join(line.casefold().translate(phrases._QUOTES).split())
        start, end = 0, len(plain)
        while start < end and phrases._is_edge_junk(plain[start]):
            start += 1
        while end > start and phrases._is_edge_junk(plain[end - 1]):
            end -= 1
        assert phrases._normalize.__wrapped__(line) == plain[start:end], line


def test_touched_finds_what_the_four_substitutions_would_change() -> None:
    """P.TOUCHED, one class and two spaces, is found exactly where one of CONTROL, INVISIBLE,
    SPACE_LIKE and MULTI_SPACE is (every character up to U+FFFF alone, next to a space, and
    in the bench-like strings)."""
    parts = (P.CONTROL, P.INVISIBLE, P.SPACE_LIKE, P.MULTI_SPACE)
    chars = [chr(c) for c in range(0x10000) if not 0xD800 <= c <= 0xDFFF]
    lines = [*STRINGS, *chars, *(f"a{c} b" for c in chars), "a  b", " ", "\x1b[31mred", "\x1b"]
    touched = 0
    for line in lines:
        expected = any(p.search(line) for p in parts)
        assert bool(P.TOUCHED.search(line)) == expected, repr(line)
        assert touched_line(line) == expected, repr(line)
        touched += expected
    assert touched > 100


def test_every_character_touched_looks_for_is_not_printable() -> None:
    """``normalize.touched`` skips the class on a printable line: that holds only while no
    character of the class is printable (all of Unicode)."""
    found = [chr(c) for c in range(0x110000) if not 0xD800 <= c <= 0xDFFF and P.TOUCHED.match(chr(c))]
    assert len(found) > 80 and not any(c.isprintable() for c in found)


def _pattern_strings() -> list[str]:
    """Lines made of what the patterns look for (punctuation, quotes, brackets, bullets, arrows,
    separators) and every kind of space, including U+001C..U+001F (spaces to ``re``, not to
    ``regex``), plus every character up to U+3100 alone and at the end of a sentence."""
    literals = sorted({c for source, _ in P.STDLIB_PATTERNS for c in source if not c.isalnum()})
    spaces = ["\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x1d", "\x1e", "\x1f", "\x85", "\xa0",
              "\u2003", "\u2028", "\u3000", " ", "  "]
    alphabet = [*literals, *spaces, *"aZ09Ä日", "word", "(video)", "[PDF]", "..."]
    rnd = random.Random(11)
    lines = [*STRINGS]
    lines += ["".join(rnd.choice(alphabet) for _ in range(rnd.randint(0, 12))) for _ in range(20000)]
    for code in range(0x3100):
        if not 0xD800 <= code <= 0xDFFF:
            lines += [chr(code), f"The end.{chr(code)}", f"a{chr(code)}> b{chr(code)}"]
    return lines


def test_stdlib_patterns_find_what_regex_finds() -> None:
    """Each pattern built by patterns.stdlib finds, splits and substitutes exactly as the same
    source compiled by ``regex`` (what it was written for)."""
    import regex

    lines = _pattern_strings()
    assert len(P.STDLIB_PATTERNS) >= 10
    for source, fast in P.STDLIB_PATTERNS:
        slow = regex.compile(source)
        found = 0
        for line in lines:
            a, b = fast.search(line), slow.search(line)
            assert (a and a.span()) == (b and b.span()), (source, line)
            a, b = fast.match(line), slow.match(line)
            assert (a and a.span()) == (b and b.span()), (source, line)
            assert fast.split(line) == slow.split(line), (source, line)
            assert fast.sub("", line) == slow.sub("", line), (source, line)
            found += a is not None
        assert found > 0, source


@pytest.mark.parametrize("name, before", [
    ("LINK_TAIL", r"\s*(?:[→»›]|->)\s*$"),
    ("PAREN_TAIL", r"\s*(?:\([^\s()]{1,20}\)|\[[^\s\[\]]{1,20}\])\s*$"),
    ("QUOTE_TAIL", r"['\"’”]+\s*$"),
])
def test_tails_tried_where_a_run_starts_match_as_before(name: str, before: str) -> None:
    """The look-behind that makes these linear (tried only where a run starts) changes no
    match: the leftmost match never starts inside a run."""
    import regex

    old, new = regex.compile(before), getattr(P, name)
    lines = _pattern_strings()
    for line in lines:
        a, b = new.search(line), old.search(line)
        assert (a and a.span()) == (b and b.span()), (name, line)
        assert new.sub("", line) == old.sub("", line), (name, line)


def test_ends_sentence_same_as_terminal_punct() -> None:
    """Read from the end, as TERMINAL_PUNCT finds it: every character up to U+3100 alone and
    after a sentence end, random strings of what the patterns look for, the bench-like lines."""
    lines = [*_pattern_strings(), *(f"Ende.{c}{tail}" for c in "'\"’”»)]‘“«›‹」』x " for tail in ("", " ", "\n", "\n ", "x"))]
    found = 0
    for line in lines:
        expected = P.TERMINAL_PUNCT.search(line) is not None
        assert P.ends_sentence(line) == expected, repr(line)
        found += expected
    assert found > 1000


@pytest.mark.parametrize("line", ["„Das ist gut.“", "»Er ging.«", "‚Ja.‘", "‹Non.›", "‘Yes.’", "「終わり。」",
                                  "『終わり。』", "Er sagte: „Wir kommen wieder!“ "])
def test_a_sentence_in_closing_quotes_of_any_language_ends_a_sentence(line: str) -> None:
    # German „…“ and »…«, Swiss ‹…›, British ‘…’, Japanese 「…」: the quote closes after the full stop
    assert P.ends_sentence(line) and P.TERMINAL_PUNCT.search(line)
    assert not P.ends_sentence(line.replace(".", "").replace("!", "").replace("。", ""))


def test_stdlib_refuses_escapes_that_differ() -> None:
    for source in (r"\w+", r"\d", r"\bx", r"\p{L}", r"[\S]"):
        with pytest.raises(ValueError):
            P.stdlib(source)


def test_needs_ftfy_same_as_its_pattern() -> None:
    from cleaner.normalize import needs_ftfy

    starts = "ÃÂâ€ÐÑÅ"
    samples = ["&amp;", "&#123;", "&#x1F;", "&nbsp", "&Ab;", "\ufffd", "\x85", "\x9f", "\x7f", "&#١٢;",
               *(f"x{c}{d}y" for c in starts for d in "\x80\xbf\u0152\u2122a ")]
    rnd = random.Random(7)
    pool = list(ALPHABET) + list(starts) + ["&", "#", ";", "x", "1", "\x80", "\u2122", "\ufffd"]
    samples += ["".join(rnd.choice(pool) for _ in range(rnd.randint(0, 12))) for _ in range(20000)]
    hits = 0
    for text in [*STRINGS, *samples]:
        expected = P.NEEDS_FTFY.search(text) is not None
        assert needs_ftfy(text) == expected, repr(text)
        hits += expected
    assert hits > 500


def test_context_measures_cached_by_text_same_as_per_block() -> None:
    from cleaner.config import CleanConfig
    from cleaner.rules import context as C
    from cleaner.rules.patterns import CONTENT_WORD
    from cleaner.rules.registry import STEM_CHARS, Context
    from cleaner.rules.testing import make_blocks

    lines = [line for line in STRINGS if line.strip()] + ["- a list item, Sell My Home", "Sell My Home"]
    blocks = make_blocks(*lines)
    ctx = Context(tuple(blocks), None, CleanConfig())
    assert ctx.title_like == tuple(C.title_like(b) for b in blocks)
    assert ctx.prose == tuple(C.is_prose(b) for b in blocks)
    assert ctx.content_words == tuple(
        frozenset(w.casefold()[:STEM_CHARS] for w in CONTENT_WORD.findall(b.text)) for b in blocks)
    assert ctx.keys == tuple(" ".join(b.text.casefold().split()) for b in blocks)
    assert any(ctx.title_like) and any(ctx.prose) and any(b.is_list_item for b in blocks)


def test_prefixes_same_as_startswith() -> None:
    """The prefix index finds what testing every phrase with ``startswith`` finds, in the same
    order (longest first), for phrase sets with short, long, shared and non-ASCII prefixes."""
    from cleaner.prefixes import Prefixes

    rnd = random.Random(3)
    pool = ["a", "ab", "abc", "abcd", "read more", "read", "rea", "lesen sie auch:", "lesen sie auch -",
            "é", "ép", "über", "© 20", "日本", "x y", "pub", "publicidad", "publié le"]
    phrase_sets = [pool, pool[3:], [p for p in pool if len(p) >= 3], ["read more"], []]
    phrase_sets += [rnd.sample(pool, 6) for _ in range(20)]
    lines = [*STRINGS, *pool, *(p + rest for p in pool for rest in ("", " x", "more", ":"))]
    lines += ["".join(rnd.choice("abcdréüp ©2日本:-") for _ in range(rnd.randint(0, 8))) for _ in range(3000)]
    hits = 0
    for phrase_set in phrase_sets:
        index = Prefixes(phrase_set)
        longest_first = sorted(set(phrase_set), key=lambda p: (-len(p), p))
        for line in lines:
            expected = [p for p in longest_first if line.startswith(p)]
            assert list(index.starting(line)) == expected, (phrase_set, line)
            assert index.any(line) == bool(expected), (phrase_set, line)
            hits += bool(expected)
    assert hits > 5000
    with pytest.raises(ValueError):
        Prefixes(["read", ""])


def test_starts_phrases_found_as_before() -> None:
    """Every starts phrase of every kind, alone and followed by text, is found by match() as
    the longest phrase beginning the line (the reference tests every phrase of the kind)."""
    lines = []
    for kind in phrases.KINDS:
        lines += [f"{p} und mehr" for p in phrases.merged()[kind].starts[:60]]
        lines += list(phrases.merged()[kind].starts[:60])
    found = 0
    for line in lines:
        for kind in phrases.KINDS:
            result = phrases.match(kind, line)
            assert result == _match_plain(kind, line), (kind, line)
            found += result is not None and result[0] == "starts"
    assert found > 300


def _long_variants(lines: list[str], limit: int) -> list[str]:
    """Each line made longer than ``limit`` words in the ways that keep it closest to a hit:
    repeated, padded with words that are no sentence end, followed by a short sentence."""
    out = []
    for line in lines:
        words = line.split()
        if not words:
            continue
        while len(words) <= limit:
            words = words + line.split()
        out.append(" ".join(words))
        out.append(line + " " + " ".join(["Home"] * (limit + 1)))
        out.append(" ".join(["x"] * limit) + " " + line)
    return out


def test_a_rule_finds_nothing_beyond_its_declared_max_words() -> None:
    """``Rule.max_words`` lets decide skip a rule on longer blocks: the rule itself must say
    nothing there, on lines it fires on (the rule tests' lists) made longer, alone, printed
    twice, or between two paragraphs of prose."""
    from cleaner.config import CleanConfig
    from cleaner.rules.registry import Context, all_rules
    from cleaner.rules.testing import make_blocks
    from cleaner.rules.textstats import word_count
    from tests.test_rules import BOILERPLATE_REMOVE, PROSE, PROSE2, REMOVE

    hits = [line for _, line in REMOVE + BOILERPLATE_REMOVE] + LINES + STRINGS[:300]
    gated = [r for r in all_rules() if r.max_words is not None]
    assert len(gated) >= 15
    for r in gated:
        for text in _long_variants(hits, r.max_words):  # type: ignore[arg-type]
            assert word_count(text) > r.max_words  # type: ignore[operator]
            for blocks, i in ((make_blocks(text), 0), (make_blocks(text, text), 1),
                              (make_blocks(PROSE, text, PROSE2), 1)):
                assert r.evidence(blocks[i], Context(blocks, None, CleanConfig())) == [], (r.name, text)


@needs_bench
@pytest.mark.parametrize(("folder", "every"), [("inject", 1), ("traf-text", 8)])
def test_word_gates_change_no_decision(folder: str, every: int) -> None:
    """Real noisy documents decide the same with every rule called on every block."""
    from dataclasses import replace

    from cleaner.config import CleanConfig
    from cleaner.decide import decide_all
    from cleaner.normalize import split_lines
    from cleaner.rules.registry import enabled_rules
    from cleaner.segment import segment

    config = CleanConfig(detect_language=False)
    rules = enabled_rules(config)
    ungated = [replace(r, max_words=None) for r in rules]
    gated_names = {r.name for r in rules if r.max_words is not None}
    fired: set[str] = set()
    for path in bench_pages(folder, every):
        blocks = segment(split_lines(path.read_text(encoding="utf-8", errors="replace"), config.max_line_chars))
        decisions = decide_all(blocks, None, rules, config)
        assert decisions == decide_all(blocks, None, ungated, config), path.name
        fired |= {e.rule for d in decisions for e in d.evidence}
    assert len(fired & gated_names) >= 5  # the documents exercise the gated rules


def test_decide_keeps_the_tiers_of_each_list_of_rules_apart() -> None:
    """decide caches its per-word-count lists of checks by the rules given: the same rules
    under the same names but with other checks are other rules (and back again)."""
    from dataclasses import replace

    from cleaner.config import CleanConfig
    from cleaner.decide import decide_all
    from cleaner.rules.registry import enabled_rules
    from cleaner.rules.testing import make_blocks
    from tests.test_rules import PROSE, PROSE2

    config = CleanConfig(detect_language=False)
    rules = enabled_rules(config)
    silent = [replace(r, check=lambda block, ctx: None) for r in rules]
    blocks = make_blocks(PROSE, "Share on Facebook", "Foto: dpa", PROSE2)
    for _ in range(2):
        assert [d.keep for d in decide_all(blocks, None, rules, config)] == [True, False, False, True]
        assert all(d.keep for d in decide_all(blocks, None, silent, config))


def _date_strings(n: int = 4000) -> list[str]:
    """Runs of month names (any case), numbers, date glue and stamp words, seeded."""
    from cleaner.vocab import month_names

    months = list(month_names())
    pieces = [*months, *(m.upper() for m in months[:20]), *(m.title() for m in months[:40]),
              "2024", "03.11.2024", "11", "3.", "19,", "2019", "de", "of", "Nov.", "1st", "T10:00", "²", "٣",
              "١٢", "Ⅻ", "½", "ß", "İ", "at", "on", "Updated", "8:21", "am", "ET", "/", "|", "-", "—", "(",
              "Der", "Text", "12/25/2024", "2024-02", "99", "1899", "2101", "3rd", "º", ""]
    rnd = random.Random(11)
    return [*LINES, *("".join(rnd.choice(pieces) + rnd.choice(["", " ", ". ", ", ", "-", "/"])
                              for _ in range(rnd.randint(1, 8))) for _ in range(n))]


def test_parse_date_tries_only_the_patterns_its_first_character_allows() -> None:
    """parse_date tries the digit-led patterns on a digit and the month-led ones on a letter:
    the same dates as every pattern tried in order."""
    from cleaner import dates

    def plain(text: str) -> tuple[str, int] | None:
        if not text or not text[0].isalnum() or not dates._start().match(text):
            return None
        for style, pattern in dates._patterns():
            found = pattern.match(text)
            if found is not None and (iso := dates._iso(style, found)) is not None:
                return iso, found.end()
        return None

    strings = [s[m.start():] for s in _date_strings() for m in P.WORD_START.finditer(s)]
    assert sum(plain(s) is not None for s in strings) > 150  # (the strings do hold dates)
    assert [dates.parse_date(s) for s in strings] == [plain(s) for s in strings]


def test_dates_stripped_as_when_every_word_is_tried() -> None:
    """_strip_dates stops at the last digit (every date holds one): the same result as trying
    every word start."""
    from cleaner.dates import parse_date
    from cleaner.rules.boilerplate import _strip_dates

    def plain(text: str) -> tuple[str, bool]:
        out, i, found = [], 0, False
        for start in P.WORD_START.finditer(text):
            if start.start() >= i and (parsed := parse_date(text[start.start():])) is not None:
                out.append(text[i:start.start()])
                found, i = found or len(parsed[0]) > 4, start.start() + max(parsed[1], 1)
        out.append(text[i:])
        return "".join(out), found

    strings = _date_strings()
    assert sum(plain(s)[1] for s in strings) > 50  # (the strings do hold dates finer than a year)
    assert [_strip_dates(s) for s in strings] == [plain(s) for s in strings]
