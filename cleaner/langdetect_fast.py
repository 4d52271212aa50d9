"""langdetect's detector with its per-character and per-language loops written for speed,
with the same result to the last bit.

langdetect spends most of a call in three Python loops: turning the text into n-grams one
character at a time (an ``NGram`` object, a block lookup by binary search for every
character), multiplying ~55 language probabilities one by one for every sampled n-gram, and
normalizing them. ``Detector`` here keeps langdetect's algorithm, its random sequence and its
floating-point operations in the same order, and changes only how the loops run:

* characters are normalized by ``str.translate`` (``NGram.normalize`` is a pure function of
  the character), and the n-grams of each distinct word are worked out once;
* the trials update and normalize the probabilities with list comprehensions written out in
  the loop (the same ``p * (weight + q)`` and ``p / sum`` per element, so the same floats),
  one comprehension for the five draws between two normalizations and the division before
  them;
* collapsing spaces and counting Latin letters are regular expressions instead of loops.

On the 641 text documents of the bench dev sets, each seen once (cold caches), a detection
(600 characters, 3 trials) took 1.65-1.73 ms in langdetect and 1.2-1.3 ms here with one
comprehension a draw: n-grams 0.36 ms, the trials 0.74-0.79 ms (136 draws of a 55-language
multiplication per document). Five draws a comprehension, and n-grams cut by slices kept per
word length, then took a fifth off the instructions of a detection (about 6.9 -> 5.3 million
on 100 clean-keep documents, ``benchmarks/instructions.py language`` minus ``text``).
The profiles themselves (``SparseProfiles``) are held as the few languages an n-gram has a
probability for, not 55 floats each: 23 MB less in every worker process, same lists read.
``tests/test_langdetect_fast.py`` checks that both detectors give
identical text, n-grams and probabilities on bench documents and on generated text in many
scripts.
"""

from __future__ import annotations

import re
from functools import cache
from itertools import pairwise
from typing import Any

from langdetect.detector import Detector as _Detector
from langdetect.lang_detect_exception import ErrorCode, LangDetectException
from langdetect.utils.ngram import NGram

from . import caches

#: langdetect keeps a space only when the character before it (in the input) is not one.
_SPACES = re.compile(" {2,}")
#: ``'A' <= ch <= 'z'`` in langdetect's cleaning step (a range that includes [\\]^_`).
_LATIN = re.compile("[A-z]")
#: From U+0300 on. (langdetect means to leave out the block "Latin Extended Additional", but
#: compares its block number with the block's name, so it never does.)
_NON_LATIN = re.compile("[\u0300-\U0010ffff]")
_N_GRAM = NGram.N_GRAM
#: langdetect normalizes the probabilities (and checks for convergence) every this many draws.
_NORMALIZE_EVERY = 5

#: Distinct words whose n-grams are kept: at most about 10 MB (the cache only saves time). On
#: 6,600 distinct 600-character samples of the bench texts, n-grams cost 0.50 ms a sample in
#: langdetect, 0.40 here without the cache, 0.25 with it (0.22 with twice as many words).
MAX_CACHED_WORDS = 10_000
#: Words up to this long (with the space before) have their n-gram slices kept (about 3,500
#: slices for all lengths); a longer one, rare, has them made for it.
MAX_SLICED_CHARS = 48
#: Characters whose normalization is kept: the Basic Multilingual Plane (about 5 MB at most).
_MAX_CACHED_CODE = 0xFFFF


class _Normalized(dict):  # type: ignore[type-arg]
    """Code point -> code point of ``NGram.normalize`` of it (a pure function), for
    ``str.translate``."""

    def __missing__(self, code: int) -> int:
        out = ord(NGram.normalize(chr(code)))
        if code <= _MAX_CACHED_CODE:
            self[code] = out
        return out


_TABLE = _Normalized()
#: (word, a space follows) -> its n-grams, for words known to the profiles of one factory.
#: Under the key ``_OWNER``: the profiles' n-gram map these were worked out for.
_word_grams: dict[Any, Any] = {}
_OWNER = object()
caches.register(_word_grams.clear)


def _word_ngrams(chars: str, known: Any) -> tuple[str, ...]:
    """langdetect's ``NGram.add_char`` loop over one normalized word (and the space after it),
    starting from its reset state: the n-grams of length 1 to 3 that end at each character,
    except inside a run of capitals, that the profiles know."""
    if not chars.islower() and _two_capitals(chars):
        return _word_ngrams_with_capitals(chars, known)
    # no run of capitals: every character adds its n-grams (2 for the first, then 3)
    s = " " + chars
    slices = _gram_slices(len(s)) if len(s) <= MAX_SLICED_CHARS else _gram_slices.__wrapped__(len(s))
    found = tuple(filter(known.__contains__, map(s.__getitem__, slices)))
    return found if " " not in known else tuple(g for g in found if g != " ")


@cache
def _gram_slices(n: int) -> tuple[slice, ...]:
    """Where the n-grams of a word lie in " " + the word (``n`` characters in all), in the
    order ``NGram.add_char`` makes them: for each character, the n-grams of length 1 to 3
    ending at it (the first character has no trigram).

    >>> s = " ab"; [s[i] for i in _gram_slices(len(s))]
    ['a', ' a', 'b', 'ab', ' ab']
    """
    out = [slice(1, 2), slice(0, 2)]
    for j in range(2, n):
        out += [slice(j, j + 1), slice(j - 1, j + 1), slice(j - 2, j + 1)]
    return tuple(out)


def _two_capitals(chars: str) -> bool:
    return any(a.isupper() and b.isupper() for a, b in pairwise(chars))


def _word_ngrams_with_capitals(chars: str, known: Any) -> tuple[str, ...]:
    """``_word_ngrams`` for a word with two capitals in a row, character by character."""
    result: list[str] = []
    grams, capital = " ", False
    for ch in chars:
        last = grams[-1]
        if len(grams) >= _N_GRAM:
            grams = grams[1:]
        grams += ch
        if ch.isupper():
            if last.isupper():
                capital = True
        else:
            capital = False
        if capital:
            continue
        for n in range(1, min(len(grams), _N_GRAM) + 1):
            w = grams[-n:]
            if w != " " and w in known:
                result.append(w)
    return tuple(result)


class Detector(_Detector):  # type: ignore[misc]
    """A drop-in ``langdetect.detector.Detector``: ``Detector(factory)``."""

    text: str  # set by langdetect's __init__ ("") and by append()

    def append(self, text: str) -> None:
        text = self.URL_RE.sub(" ", text)
        text = self.MAIL_RE.sub(" ", text)
        text = NGram.normalize_vi(text)
        self.text += _SPACES.sub(" ", text[: self.max_text_length])

    def cleaning_text(self) -> None:
        if len(_LATIN.findall(self.text)) * 2 < len(_NON_LATIN.findall(self.text)):
            self.text = _LATIN.sub("", self.text)

    def _extract_ngrams(self) -> list[str]:
        """langdetect's n-grams, word by word: every word starts from the same state (the
        window reset to a space), so a word's n-grams depend only on the word and on whether
        a space follows it, and each distinct word is worked out once."""
        known = self.word_lang_prob_map
        if _word_grams.get(_OWNER) is not known:  # n-grams from another set of profiles
            _word_grams.clear()
            _word_grams[_OWNER] = known
        words = self.text.translate(_TABLE).split(" ")
        result: list[str] = []
        last = len(words) - 1
        for i, word in enumerate(words):
            if word:
                key = (word, i < last)
                grams = _word_grams.get(key)
                if grams is None:
                    grams = _word_ngrams(word + " " if i < last else word, known)
                    if len(_word_grams) >= MAX_CACHED_WORDS:
                        _word_grams.clear()
                        _word_grams[_OWNER] = known
                    _word_grams[key] = grams
                result.extend(grams)
        return result

    def _detect_block(self) -> None:
        """langdetect's trials, with the same random draws and float operations: the
        update and the normalization written out in the loop instead of method calls."""
        if self.verbose:
            super()._detect_block()
            return
        self.cleaning_text()
        ngrams = self._extract_ngrams()
        if not ngrams:
            raise LangDetectException(ErrorCode.CantDetectError, "No features in text.")
        known = self.word_lang_prob_map
        self.random.seed(self.seed)
        choice, trials = self.random.choice, self.n_trial
        threshold, limit = self.CONV_THRESHOLD, self.ITERATION_LIMIT
        langprob = [0.0] * len(self.langlist)
        for _ in range(trials):
            prob = self._init_probability()
            weight = (self.alpha + self.random.gauss(0.0, 1.0) * self.ALPHA_WIDTH) / self.BASE_FREQ
            # langdetect multiplies each language's probability by one factor a draw and
            # normalizes after draws 0, 5, 10...: here one draw, then five draws a pass, with
            # the division by the sum and the five factors in one expression, in the same order
            prob = [p * (weight + q) for p, q in zip(prob, known[choice(ngrams)])]  # noqa: B905 (hot)
            i = 0
            while True:
                total = sum(prob)
                # the largest p / total is max(prob) / total: division by one positive number
                # keeps the order of correctly rounded results
                if max(prob) / total > threshold or i >= limit:
                    prob = [p / total for p in prob]
                    break
                q1, q2, q3, q4, q5 = [known[choice(ngrams)] for _ in range(_NORMALIZE_EVERY)]
                prob = [p / total * (weight + a) * (weight + b) * (weight + c) * (weight + d) * (weight + e)
                        for p, a, b, c, d, e in zip(prob, q1, q2, q3, q4, q5)]  # noqa: B905 (hot)
                i += _NORMALIZE_EVERY
            langprob = [a + p / trials for a, p in zip(langprob, prob, strict=True)]
        self.langprob = langprob


#: Dense probability lists kept for the n-grams read most recently (about 0.5 kB each); the
#: profiles themselves stay sparse.
MAX_DENSE_NGRAMS = 20_000


class SparseProfiles(dict):  # type: ignore[type-arg]
    """langdetect's n-gram -> probability of each language, held sparse. Of the 55 floats of an
    n-gram, 2.1 on average are not 0.0 (184,129 of 87,598 x 55): as langdetect's lists they take
    43 MB in every process that detects languages, as (index, probability) pairs about a fifth.
    Reading an n-gram (``profiles[g]``) gives the same list of floats as langdetect's map, made
    again on a miss (a bounded table keeps the recent ones); ``in`` is the dict's own test."""

    def __init__(self, dense: dict[str, list[float]]) -> None:
        super().__init__((g, tuple((i, p) for i, p in enumerate(probs) if p)) for g, probs in dense.items())
        self.languages = len(next(iter(dense.values()))) if dense else 0
        self._dense: dict[str, list[float]] = {}
        caches.register(self._dense.clear)

    def __getitem__(self, ngram: str) -> list[float]:
        found = self._dense.get(ngram)
        if found is None:
            found = [0.0] * self.languages
            for i, p in dict.__getitem__(self, ngram):
                found[i] = p
            if len(self._dense) >= MAX_DENSE_NGRAMS:
                self._dense.clear()
            self._dense[ngram] = found
        return found


def sparse_profiles(factory: Any) -> None:
    """Hold a loaded factory's profiles sparse (detectors created afterwards read them)."""
    if not isinstance(factory.word_lang_prob_map, SparseProfiles):
        factory.word_lang_prob_map = SparseProfiles(factory.word_lang_prob_map)


def create(factory: Any) -> Detector:
    """A detector for a loaded ``DetectorFactory`` (its profiles, seed and language list)."""
    if not factory.langlist:
        factory.create()  # raises langdetect's own "Need to load profiles" error
    return Detector(factory)
