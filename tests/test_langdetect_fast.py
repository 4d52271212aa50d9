"""The fast langdetect detector gives exactly langdetect's own text, n-grams and probabilities."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from langdetect.detector import Detector as Theirs
from langdetect.lang_detect_exception import LangDetectException

from cleaner import langdetect_fast
from cleaner.language import TRIALS, _factory

from .conftest import bench_pages, needs_bench


#: Pieces in the scripts and blocks langdetect's normalization treats specially.
PIECES = [
    "Der Hund läuft über die Straße", "SPIEGEL ONLINE", "NATO UND EU", "iPhone", "ABc dEF",
    "Москва и Санкт-Петербург", "東京都の天気は晴れです", "ひらがな", "カタカナ", "ㄅㄆㄇ", "한국어 문장",
    "این یک متن فارسی است ی", "هذا نص عربي", "Tiếng Việt có dấu", "Tie\u0302\u0301ng Vie\u0323\u0302t",
    "șțȘȚ română", "Ελληνικά κείμενα", "http://example.com/path?q=1", "mail@example.org",
    "\u2014\u2018quoted\u2019\u2026", "¡Hola! ¿Qué tal?", "\u00d7\u00f7", "1234 56", "   ", "\t\n", "a", "Z",
    "\u1ea0\u1e00", "\U0001f600 emoji", "[A-z]^_`",
]

texts = st.lists(st.sampled_from(PIECES) | st.text(max_size=12), max_size=14).map(" ".join)


def result(detector: Theirs, text: str, trials: int) -> tuple[str, list[str], object]:
    detector.n_trial = trials
    detector.append(text)
    detector.cleaning_text()
    ngrams = detector._extract_ngrams()
    try:
        # every language's probability, not only those above langdetect's reporting threshold
        detector.get_probabilities()
        probabilities: object = list(detector.langprob)
    except LangDetectException as error:
        probabilities = str(error)
    return detector.text, ngrams, probabilities


def both(text: str, trials: int = TRIALS) -> None:
    factory = _factory()
    assert result(langdetect_fast.create(factory), text, trials) == result(Theirs(factory), text, trials)


@settings(max_examples=300, deadline=None)
@given(texts, st.sampled_from([TRIALS, 7]))
def test_same_as_langdetect_on_generated_text(text: str, trials: int) -> None:
    both(text, trials)


@needs_bench
@pytest.mark.parametrize("task", ["clean-keep", "inject", "traf-text"])
def test_same_as_langdetect_on_real_documents(task: str) -> None:
    for path in bench_pages(task, 2 if task != "traf-text" else 12):
        text = path.read_text(encoding="utf-8", errors="replace")
        both(text[:600])
        both(text)


def test_the_word_cache_bound_changes_nothing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(langdetect_fast, "MAX_CACHED_WORDS", 3)
    monkeypatch.setattr(langdetect_fast, "_word_grams", {})
    both(" ".join(PIECES) * 3)
    assert len(langdetect_fast._word_grams) <= 3 + 1  # the bound, and the owner key


def test_ngrams_follow_the_detectors_own_profiles() -> None:
    """A detector with other profiles does not get n-grams worked out for the first ones."""
    factory = _factory()
    text = "Der Hund läuft über die Straße und der Hund bellt"
    both(text)
    ours, theirs = langdetect_fast.create(factory), Theirs(factory)
    fewer = {w: p for w, p in factory.word_lang_prob_map.items() if len(w) < 3}
    for detector in (ours, theirs):
        detector.word_lang_prob_map = fewer
        detector.append(text)
    assert ours._extract_ngrams() == theirs._extract_ngrams()
    assert all(len(w) < 3 for w in ours._extract_ngrams())
    with_space = {**fewer, " ": fewer["a"]}  # a profile that knew the space: still never drawn
    for detector in (ours, theirs):
        detector.word_lang_prob_map = with_space
    assert ours._extract_ngrams() == theirs._extract_ngrams()
    assert " " not in ours._extract_ngrams()


def test_characters_outside_the_bmp_are_normalized_but_not_kept() -> None:
    both("\U0001f600 \U00020000\U00020001 Straße")
    assert 0x1F600 not in langdetect_fast._TABLE and ord("ß") in langdetect_fast._TABLE


def test_words_longer_than_the_kept_slices() -> None:
    long_word = "Donaudampfschifffahrtsgesellschaftskapitänsmützenband" * 2
    assert len(long_word) + 1 > langdetect_fast.MAX_SLICED_CHARS
    both(f"Der {long_word} und die {long_word[:47]} mit der {long_word[:46]}-Kappe")


def test_sparse_profiles_read_as_langdetects_lists() -> None:
    """The profiles are held sparse (a fifth of the memory); every n-gram reads as the list of
    floats langdetect's own loading gives, through more n-grams than the table of dense lists
    keeps, and the factory cleaner detects with holds them so."""
    from langdetect.detector_factory import PROFILES_DIRECTORY, DetectorFactory

    theirs = DetectorFactory()
    theirs.load_profile(PROFILES_DIRECTORY)
    dense = theirs.word_lang_prob_map
    ours = langdetect_fast.SparseProfiles(dense)
    assert len(dense) > langdetect_fast.MAX_DENSE_NGRAMS
    assert set(ours) == set(dense)
    assert all(ours[g] == probs for g, probs in dense.items())
    assert all(ours[g] == dense[g] for g in list(dense)[:50])  # again, after the table was emptied
    factory = _factory()
    assert isinstance(factory.word_lang_prob_map, langdetect_fast.SparseProfiles)
    assert factory.langlist == theirs.langlist


def test_a_half_loaded_langdetect_does_not_spoil_detection(monkeypatch: pytest.MonkeyPatch) -> None:
    """langdetect fills its global factory in place: a load cut short (a time limit) leaves it
    half made. cleaner's factory is its own, loaded whole, so detection stays right."""
    from langdetect import detector_factory

    from cleaner.language import detect_language

    half = detector_factory.DetectorFactory()  # what a load cut short leaves: a few languages
    profiles = Path(detector_factory.PROFILES_DIRECTORY)
    half.load_json_profile([(profiles / lang).read_text(encoding="utf-8") for lang in ("ca", "ko")])
    monkeypatch.setattr(detector_factory, "_factory", half)
    _factory.cache_clear()
    try:
        spanish = ("El gobierno aprobó ayer el nuevo presupuesto para las escuelas y las carreteras "
                   "después de un largo debate en el parlamento de la ciudad.")
        assert detect_language([spanish], 3000)[0] == "es"
    finally:
        _factory.cache_clear()  # the next test loads cleaner's factory again, whole
