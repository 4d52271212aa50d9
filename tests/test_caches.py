"""cleaner.caches.clear() empties every content cache, and results do not depend on them."""

from __future__ import annotations

from cleaner import caches, clean_text, langdetect_fast, phrases
from cleaner.rules import textstats

TEXT = ("Der Bundestag hat am Donnerstag über den Haushalt beraten. Die Opposition kritisierte "
        "die Pläne der Regierung scharf.\n\nRead more: The best tips\n\nJETZT ANMELDEN UND BONUS "
        "SICHERN | JETZT ANMELDEN UND BONUS SICHERN\n\nDie Abstimmung ist für Freitag geplant.\n")


def test_clear_empties_the_content_caches_and_changes_no_result() -> None:
    first = clean_text(TEXT)
    assert textstats.word_count.cache_info().currsize > 0
    assert phrases._normalize.cache_info().currsize > 0
    assert len(langdetect_fast._word_grams) > 1
    caches.clear()
    assert textstats.word_count.cache_info().currsize == 0
    assert phrases._normalize.cache_info().currsize == 0
    assert phrases._matches_no_kind.cache_info().currsize == 0
    assert langdetect_fast._word_grams == {}
    again = clean_text(TEXT)
    assert (again.text, again.language, again.language_probability, again.removed) == (
        first.text, first.language, first.language_probability, first.removed)
    assert first.language == "de" and len(first.removed) >= 2
