from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
#: the benchmark's data (../shared/bench beside the checkout); the tests that read it skip without
BENCH = ROOT.parent / "shared/bench/data"
needs_bench = pytest.mark.skipif(not BENCH.is_dir(), reason="needs ../shared/bench beside the checkout")
#: ``CLEANER_TESTS_FULL=1``: the bench tests read every dev page instead of a sample, and the
#: fuzz tests run their full count of examples (after changing a fast re-implementation or
#: upgrading a pinned library; see README, Development)
FULL = os.environ.get("CLEANER_TESTS_FULL", "") not in ("", "0")
#: examples a fuzz property runs (test_fuzz.py, and the Parquet chunk cuts): ``FUZZ_EXAMPLES``,
#: else 100 (a run's share of what the long fuzz runs search; 250 with ``CLEANER_TESTS_FULL``)
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "250" if FULL else "100"))


@pytest.fixture
def fixtures() -> Path:
    return FIXTURES


def bench_pages(task: str, every: int = 3, first: int = 0) -> list[Path]:
    """The dev input pages of bench task ``task`` (``traf-html``, ...): every ``every``-th of
    the sorted list from the ``first``, the same pages on every run; all of them when
    ``CLEANER_TESTS_FULL`` is set."""
    pages = sorted((BENCH / task / "dev/input").iterdir())
    return pages if FULL else pages[first::every]


def seed_names() -> list[str]:
    return sorted(p.stem for p in (FIXTURES / "input" / "seeds").glob("*.txt"))


@contextlib.contextmanager
def process_group(cmd: list[str], **popen: Any) -> Iterator[subprocess.Popen[bytes]]:
    """``cmd`` started in a process group of its own (as a terminal starts a command), killed
    with all its processes on the way out if it is still there (a failed test leaves none)."""
    proc = subprocess.Popen(cmd, start_new_session=True, **popen)
    try:
        yield proc
    finally:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()


def ctrl_c(proc: subprocess.Popen[bytes]) -> str:
    """SIGINT to the process group of ``proc``, as a terminal's Ctrl-C; what it wrote on stderr."""
    os.killpg(proc.pid, signal.SIGINT)
    return proc.communicate(timeout=60)[1].decode()


def assert_interrupted_quietly(proc: subprocess.Popen[bytes], stderr: str, message: str) -> None:
    """Exit 130, no traceback nor click's "Aborted!", and ``message`` as the only line (no blank
    line before it: stderr is a pipe here, not a terminal that echoed "^C")."""
    assert proc.returncode == 130, stderr
    assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr and "Aborted" not in stderr, stderr
    assert stderr.splitlines() == [message], stderr


PHP_WARNING = ("Warning: Use of undefined constant comments - assumed 'comments' (this will throw an "
               "Error in a future version of PHP) in /var/www/html/wp-content/plugins/recent-comments.php "
               "on line {n}")


def page_of_server_errors(article: str) -> str:
    """A page whose only paragraphs are a server's error messages (trafilatura extracts them,
    the rules remove them all); the article is in its JSON-LD, which trafilatura's baseline reads."""
    ld = json.dumps({"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Haushalt",
                     "articleBody": article})
    return ("<html><head><title>Haushalt beschlossen</title><script type='application/ld+json'>" + ld
            + "</script></head><body><div class='content'>"
            + "".join(f"<p>{PHP_WARNING.format(n=n)}</p>" for n in (928, 929, 930)) + "</div></body></html>")
