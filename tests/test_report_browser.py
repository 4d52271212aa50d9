"""`cleaner report` in a real headless browser: Debian's chromium driven by Playwright.

Skipped (with the reason) where chromium or playwright is missing, unless CI is set: CI must
run them, so there a missing browser is a failure. `playwright install` is never needed: the
system chromium is used. CLEANER_UPDATE_SCREENSHOT=1 also writes docs/report.png.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from cleaner.report.collect import Options, collect, open_run
from cleaner.report.render import render

from .test_report import BANNER, clean_run

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]
pytestmark = pytest.mark.slow


def _missing() -> str | None:
    if not CHROMIUM.is_file():
        return f"{CHROMIUM} is missing (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is missing (pip install -e '.[test]')"
    return None


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    """The report of a small real run, open in chromium; console messages and requests recorded."""
    reason = _missing()
    if reason:
        if os.environ.get("CI"):
            pytest.fail(f"browser tests must run in CI: {reason}", pytrace=False)
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    root = tmp_path_factory.mktemp("browser")
    report = root / "report.html"
    data = collect(open_run(clean_run(root)), Options(sample=50, seed=0))
    report.write_text(render(data), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch_persistent_context(  # a fresh --user-data-dir
            str(root / "profile"), executable_path=str(CHROMIUM), args=FLAGS, headless=True,
            viewport={"width": 1280, "height": 900})
        try:
            tab = browser.pages[0] if browser.pages else browser.new_page()
            tab.messages, tab.requests = [], []
            tab.on("console", lambda m: tab.messages.append(f"{m.type}: {m.text}"))
            tab.on("pageerror", lambda e: tab.messages.append(f"pageerror: {e}"))
            tab.on("request", lambda r: tab.requests.append(r.url))
            tab.goto(report.as_uri())
            tab.wait_for_selector("body[data-ready=true]", timeout=10_000)
            yield tab
        finally:
            browser.close()


def test_the_page_loads_offline_without_console_errors(page: Any) -> None:
    assert [m for m in page.messages if m.startswith(("error", "pageerror", "warning"))] == []
    assert [u for u in page.requests if not u.startswith(("file:", "data:"))] == []
    assert page.locator("#card-documents dd").inner_text().startswith("4")


def test_the_charts_render(page: Any) -> None:
    for chart in ("kinds", "rules", "languages", "months"):
        bars = page.locator(f"#chart-{chart} svg rect.bar")
        assert bars.count() > 0, chart
        box = bars.first.bounding_box()
        assert box is not None and box["width"] > 1 and box["height"] > 1, chart
    assert "spam.repeated_phrase" in page.locator("#chart-rules svg").text_content()


def test_filtering_by_a_rule_shows_only_what_it_touched(page: Any) -> None:
    docs_before = page.locator("#doc-list li").count()
    lines_before = page.locator("#lines-table tbody tr").count()
    page.select_option("#filter-rule", "caption.duplicate")
    names = page.locator("#doc-list li > span:first-child").all_inner_texts()
    assert "ponte" not in names and "bruecke" in names and len(names) < docs_before
    rows = page.locator("#lines-table tbody tr")
    assert 0 < rows.count() < lines_before
    for text in rows.all_inner_texts():
        assert "caption.duplicate" in text
    assert "caption.duplicate" in page.locator("#filter-status").inner_text()
    assert page.locator("#chart-rules g.item.active").get_attribute("data-name") == "caption.duplicate"
    page.locator("#chart-kinds g.item[data-name='image-credit']").click()  # a bar filters too
    assert page.input_value("#filter-kind") == "image-credit"
    page.click("#filter-clear")
    assert page.locator("#doc-list li").count() == docs_before
    page.focus("#chart-rules g.item[data-name='spam.repeated_phrase']")  # bars work from the keyboard
    page.keyboard.press("Enter")
    assert page.input_value("#filter-rule") == "spam.repeated_phrase"
    page.click("#filter-clear")


def test_the_viewer_highlights_a_known_removed_span(page: Any, tmp_path: Path) -> None:
    page.fill("#doc-search", "ponte")
    assert page.locator("#doc-list li").count() == 1
    span = page.locator("#doc-text del.rm", has_text=BANNER)
    assert span.count() == 1
    assert span.locator(".rm-tag").inner_text().endswith("spam-banner")  # a label, not colour alone
    assert "line-through" in span.evaluate("e => getComputedStyle(e).textDecorationLine")
    span.focus()
    tip = page.locator("#tip")
    assert tip.is_visible() and "spam.repeated_phrase" in tip.inner_text()
    # keyboard: from the search box into the list, the next document, the next removal
    page.fill("#doc-search", "")
    page.focus("#doc-search")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    assert page.locator("#doc-list li[aria-selected=true]").count() == 1
    page.keyboard.press("n")
    assert page.evaluate("document.activeElement.classList.contains('rm')")
    page.fill("#doc-search", "ponte")
    page.locator("#doc-text del.rm", has_text=BANNER).focus()
    page.evaluate("window.scrollTo(0, 0)")
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.stat().st_size > 10_000
    if os.environ.get("CLEANER_UPDATE_SCREENSHOT") == "1":
        shutil.copy(shot, ROOT / "docs" / "report.png")
