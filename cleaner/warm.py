"""Load what cleaning needs before the first document's clock starts.

The rules, phrase lists, language profiles, the boilerplate model and stoplists load the first
time a document needs them, and trafilatura, htmldate and dateparser import modules the first
time a page does: about a second, which a short ``--timeout`` would otherwise charge to the
first document (it timed out) or cut short. Each process warms up once per settings, for text,
and for HTML when it first meets a page.
"""

from __future__ import annotations

from .config import CleanConfig
from .timeouts import time_limit

#: Small enough to cost nothing, long enough to reach every stage (a header, the rules, the
#: language), with a character ftfy mends so that it is loaded too.
_TEXT = "Warm-up Titel\n\nDies ist ein kurzer Satz zum AufwÃ¤rmen der Prozesse.\n"
#: A page whose little text sends trafilatura to its fallback extractors (readability, jusText)
#: and whose written date sends htmldate to dateparser.
_PAGE = ("<html><head><title>Warm-up</title></head><body><div><p>Am 3. März 2024 ein kurzer Satz.</p>"
         "</div></body></html>")

_READY: set[tuple[CleanConfig, bool]] = set()


def warm_up(config: CleanConfig, html: bool = False) -> None:
    """Load rules, phrase lists, the language profiles, the boilerplate model and (when a whole
    page may be cut down to its article) the stoplists; with ``html``, the extraction's
    libraries too."""
    from .pipeline import _clean, _page  # (the public functions start the clock: they come here)

    _clean(_TEXT, config, source=None)
    if config.find_main_content:
        from .vocab import stopwords

        stopwords()  # 0.2-0.3 s, otherwise paid inside the first page that has a list
    if html:
        _page(_PAGE, config)
        from htmldate.extractors import external_date_parser

        external_date_parser("3. März 2024", "%Y-%m-%d")  # dateparser: about a second


def ready(config: CleanConfig, html: bool) -> None:
    """``warm_up`` once per process for these settings (and HTML)."""
    key = (config, html)
    if key not in _READY:
        warm_up(config, html)
        _READY.add(key)


def document_clock(config: CleanConfig, html: bool, what: str) -> time_limit:
    """The document's time limit (``config.doc_timeout``), started once what it needs is loaded:
    ``with document_clock(config, is_html, name): clean(...)``."""
    if config.doc_timeout > 0:
        ready(config, html)
    return time_limit(config.doc_timeout, what)
