"""Stage 7: language detection with langdetect, seeded so the result is deterministic.

langdetect is slow (about 25 ms for a 3 kB text), so it reads a bounded sample of the
longest blocks, once per document. Its "no features" error means language None.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

SEED = 0
#: langdetect averages 7 random trials by default; 3 gave the same language on all 358
#: documents of the bench dev sets tried (clean-keep, inject, 200 traf-text) in 63% of the time.
TRIALS = 3
PROBABILITY_DIGITS = 4
MIN_SAMPLE_LETTERS = 3


@cache
def known_languages() -> frozenset[str]:
    """The language codes detection can give (langdetect's profiles: "de", "en", "zh-cn", ...),
    without loading the profiles."""
    import os

    from langdetect.detector_factory import PROFILES_DIRECTORY

    return frozenset(os.listdir(PROFILES_DIRECTORY))


@cache
def _factory():  # type: ignore[no-untyped-def]
    """cleaner's own langdetect factory, loaded whole or not at all. langdetect's global one
    (``init_factory``) is filled in place, profile by profile: a load cut short (a document's
    time limit, Ctrl-C in a library user's code) left it half made, and every later detection
    of the process read from the languages that had been loaded ("ca" for Spanish)."""
    from langdetect import DetectorFactory
    from langdetect.detector_factory import PROFILES_DIRECTORY
    from langdetect.lang_detect_exception import LangDetectException

    from .langdetect_fast import sparse_profiles

    DetectorFactory.seed = SEED
    factory = DetectorFactory()
    try:
        factory.load_profile(PROFILES_DIRECTORY)
    except LangDetectException as exc:
        # langdetect reads each profile under a bare ``except:`` that makes anything raised
        # there a "Profile format error": Ctrl-C must stay Ctrl-C (as a record's internal error,
        # it failed the record being cleaned and the run went on)
        if exc.__context__ is not None and not isinstance(exc.__context__, Exception):
            raise exc.__context__ from None
        raise
    sparse_profiles(factory)  # 43 MB of mostly zeros, a fifth of it
    return factory


def sample(blocks: Sequence[str], max_chars: int) -> str:
    """The longest blocks, in document order, up to ``max_chars`` characters.

    >>> sample(["a b", "longer text here", "mid text"], 20).splitlines()
    ['a b', 'longer text here']
    """
    chosen: set[int] = set()
    total = 0
    for i in sorted(range(len(blocks)), key=lambda i: (-len(blocks[i]), i)):
        if total and total + len(blocks[i]) > max_chars:
            continue
        chosen.add(i)
        total += len(blocks[i])
        if total >= max_chars:
            break
    text = "\n".join(blocks[i] for i in sorted(chosen))
    return text[:max_chars]


def detect_language(blocks: Sequence[str], max_chars: int) -> tuple[str | None, float | None]:
    """(ISO 639-1 code, probability), or (None, None) when there is nothing to go on."""
    text = sample(blocks, max_chars)
    if sum(map(str.isalpha, text)) < MIN_SAMPLE_LETTERS:
        return None, None
    from langdetect.lang_detect_exception import LangDetectException

    from .langdetect_fast import create

    detector = create(_factory())
    detector.n_trial = TRIALS
    detector.append(text)
    try:
        best = detector.get_probabilities()[0]
    except (LangDetectException, IndexError):
        return None, None
    return best.lang, round(best.prob, PROBABILITY_DIGITS)
