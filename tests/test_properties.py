"""Properties on arbitrary text: never raises, idempotent, deterministic, accounts for every line."""

from __future__ import annotations

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleaner import CleanConfig, clean_text

FAST = CleanConfig(detect_language=False)
lines = st.lists(
    st.one_of(
        st.text(max_size=80),
        st.sampled_from(["Foto: dpa", "GUADAGNA SUBITO CON NOI GUADAGNA SUBITO CON NOI", "date 2025-02",
                         "Elon Musk und Sam Altman", "• item", "", "NATO UND EU", "Title: x"]),
    ),
    max_size=12,
)
documents = lines.map("\n".join)
PROPS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@PROPS
@given(st.text())
def test_never_raises_on_arbitrary_text(text: str) -> None:
    result = clean_text(text, FAST)
    assert isinstance(result.text, str)
    json.dumps(result.sidecar)


@PROPS
@given(documents)
def test_idempotent(text: str) -> None:
    once = clean_text(text, FAST).text
    assert clean_text(once, FAST).text == once


@PROPS
@given(documents)
def test_deterministic(text: str) -> None:
    a, b = clean_text(text), clean_text(text)
    assert a.text == b.text and a.sidecar == b.sidecar


@PROPS
@given(documents)
def test_removed_spans_are_in_the_input(text: str) -> None:
    for removal in clean_text(text, FAST).removed:
        assert text[removal.start:removal.end] == removal.text
