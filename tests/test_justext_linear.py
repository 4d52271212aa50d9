"""The linear jusText revision classifies exactly as jusText's own, and is linear."""

from __future__ import annotations

import copy
import time

from hypothesis import given, settings
from hypothesis import strategies as st
from justext import core as justext_core

from cleaner import justext_linear

from .conftest import bench_pages, needs_bench



class Para:
    """The attributes the revision reads and writes."""

    def __init__(self, cf_class: str, heading: bool, text: str) -> None:
        self.cf_class, self.heading, self.text, self.class_type = cf_class, heading, text, ""


paragraphs = st.lists(
    st.tuples(st.sampled_from(["good", "bad", "short", "neargood"]), st.booleans(),
              st.integers(1, 120)).map(lambda t: Para(t[0], t[1], "x" * t[2])),
    max_size=60,
)


def classes(paras: list[Para]) -> list[str]:
    return [p.class_type for p in paras]


@settings(max_examples=400, deadline=None)
@given(paragraphs, st.sampled_from([0, 50, 150, 200]))
def test_same_classes_as_justext(paras: list[Para], distance: int) -> None:
    theirs, ours = copy.deepcopy(paras), copy.deepcopy(paras)
    justext_core.revise_paragraph_classification(theirs, distance)
    justext_linear.revise_paragraph_classification(ours, distance)
    assert classes(ours) == classes(theirs)


@needs_bench
def test_same_classes_on_real_pages() -> None:
    from trafilatura.external import JT_STOPLIST, jt_stoplist_init
    from trafilatura.external import basic_cleaning
    from trafilatura.utils import load_html

    stoplist = JT_STOPLIST or jt_stoplist_init()
    changed = 0
    for page in bench_pages("traf-html", 8):
        tree = load_html(page.read_bytes())
        if tree is None:
            continue
        paras = justext_core.ParagraphMaker.make_paragraphs(basic_cleaning(tree))
        justext_core.classify_paragraphs(paras, stoplist, 50, 150, 0.1, 0.2, 0.25, True)
        theirs, ours = copy.deepcopy(paras), copy.deepcopy(paras)
        justext_core.revise_paragraph_classification(theirs, 150)
        justext_linear.revise_paragraph_classification(ours, 150)
        assert classes(ours) == classes(theirs), page.name
        changed += classes(ours) != [p.cf_class for p in paras]
    assert changed > 25  # the revision did real work on these pages


def test_linear_on_a_long_run_of_short_paragraphs() -> None:
    def seconds(n: int) -> float:
        paras = [Para("good", False, "x" * 200)] + [Para("short", False, "Anzeige") for _ in range(n)]
        started = time.process_time()
        justext_linear.revise_paragraph_classification(paras, 150)
        return time.process_time() - started

    seconds(1000)
    small, large = min(seconds(5_000) for _ in range(3)), min(seconds(40_000) for _ in range(3))
    assert large < 20 * small  # 8x the paragraphs; jusText's own takes about 64x


def test_installed_where_trafilatura_calls_it() -> None:
    import trafilatura.external

    from cleaner.extract import extract_html

    extract_html("<html><body><p>Ein Satz.</p></body></html>")
    assert trafilatura.external.revise_paragraph_classification is justext_linear.revise_paragraph_classification
