"""Corpus-wide boilerplate: short lines that recur across many documents of a site or dataset
(site banners, an affiliate line injected into thousands of articles), learned once with
``cleaner learn`` and used with ``cleaner clean --boilerplate model.json``.

A line is looked up by the hash of its casefolded, whitespace-collapsed text. Long prose is
never learned (nor looked up): a sentence quoted by several articles is content. Nor is a line
that holds a quotation (see :func:`holds_quotation`), however short: articles of many sites quote
the same statement. A short line that reads as a sentence of prose (:func:`reads_as_sentence`)
is learned only as the boilerplate of one site (see cleaner.corpus).
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from ..errors import ConfigError
from ..models import Block, Evidence
from . import patterns as P
from .registry import Context, rule

#: Lines with fewer words are left to the phrase rules (a heading like "Fazit" recurs as content).
MIN_LINE_WORDS = 2
#: Lines with more words are prose, never boilerplate by frequency.
MAX_LINE_WORDS = 30
#: A line ending like a sentence with more words than this is prose too.
MAX_SENTENCE_WORDS = 12
#: A shorter line ending like a sentence reads as prose from this many words (with letters) on.
MIN_SENTENCE_WORDS = 4
#: Words in quotation marks that make a quotation wherever they are in a line (fewer do when they
#: end a sentence or are the whole line: "Click “Accept all” to continue" holds none).
MIN_QUOTE_WORDS = 3
#: Hex digits of the SHA-1 kept per line (64 bits: collisions are negligible).
HASH_HEX_DIGITS = 16
MODEL_KIND = "cleaner-boilerplate-model"
MODEL_VERSION = 1
#: How every model written by ``dumps_model`` begins (its keys sorted, "cleaner_version" first):
#: how a folder walk knows a model from a document (cleaner.files.is_own_output).
MODEL_START = b'{\n "cleaner_version": '


def line_key(text: str) -> str | None:
    """The comparison key of a line, or None when the line may not be learned (prose, or too
    short to tell).

    >>> line_key("  Jetzt   ANMELDEN und sparen ")
    'jetzt anmelden und sparen'
    >>> line_key("Fazit") is None
    True
    >>> line_key("He said that the committee would meet again next week to decide on it.") is None
    True
    >>> line_key("„Wir schaffen das“, sagte sie.") is None
    True
    """
    key = " ".join(text.casefold().split())
    words = key.count(" ") + 1 if key else 0
    if not MIN_LINE_WORDS <= words <= MAX_LINE_WORDS or not any(c.isalpha() for c in key):
        return None
    if words > MAX_SENTENCE_WORDS and P.ends_sentence(key):
        return None
    if holds_quotation(key):
        return None
    return key


def holds_quotation(text: str) -> bool:
    """Does the line quote someone: words in quotation marks of a common style (P.QUOTE_PAIRS)
    that are MIN_QUOTE_WORDS or more, end a sentence or a clause (inside the marks or right
    after them: „Nie wieder“, sagte sie), or are the whole line; or does it open a quotation
    that goes on, or close one after a sentence end?

    >>> holds_quotation("« Nous ne céderons pas », a déclaré le maire.")
    True
    >>> holds_quotation("Klicken Sie auf „Alle akzeptieren“ um fortzufahren")
    False
    """
    if not P.QUOTE_MARK.search(text):
        return False
    if P.QUOTE_OPENS_LINE.match(text) or P.QUOTE_CLOSES_LINE.search(text):
        return True
    for match in P.QUOTED.finditer(text):
        words = match["words"]
        after = text[match.end():].lstrip()
        if (len(P.WORD.findall(words)) >= MIN_QUOTE_WORDS or P.ends_sentence(words) or words.endswith(",")
                or after.startswith(",") or not (text[:match.start()] + after).strip(" .,;:!?")):
            return True
    return False


def reads_as_sentence(text: str) -> bool:
    """Does the line read as a sentence of prose: ending like one, with MIN_SENTENCE_WORDS words
    (not numbers) or more, and not written in capitals (an affiliate banner shouts)?

    >>> reads_as_sentence("The minister said the plan would cost billions.")
    True
    >>> reads_as_sentence("JETZT ANMELDEN UND 50 EURO BONUS SICHERN!")
    False
    >>> reads_as_sentence("Share this article")
    False
    """
    if not P.ends_sentence(text):
        return False
    if sum(1 for w in P.WORD.findall(text) if not w.isdigit()) < MIN_SENTENCE_WORDS:
        return False
    return sum(map(str.isupper, text)) <= sum(map(str.islower, text))


def line_hash(key: str) -> str:
    """
    >>> line_hash("jetzt anmelden und sparen")
    '671ba3cd831554a7'
    """
    return hashlib.sha1(key.encode("utf-8", "surrogatepass")).hexdigest()[:HASH_HEX_DIGITS]


def dumps_model(model: dict[str, Any]) -> str:
    """A model as ``cleaner learn`` writes it (a sample line may hold a lone surrogate, from a
    "\\ud83d" escape in a JSON record: written as that escape).

    >>> dumps_model({"kind": MODEL_KIND, "cleaner_version": "1"}).encode().startswith(MODEL_START)
    True
    """
    from ..datasets.json_lines import escape_surrogates

    return escape_surrogates(json.dumps(model, ensure_ascii=False, indent=1, sort_keys=True)) + "\n"


@dataclass(frozen=True, slots=True)
class BoilerplateModel:
    """The hashes of the lines to remove, and a sample text of each (for explanations)."""

    path: str
    hashes: frozenset[str]
    samples: dict[str, str]
    documents: dict[str, int]  # line hash -> documents it was seen in
    #: what the lines were learned from: ``records`` (with their ``text_key`` and ``html_key``)
    #: or ``files`` (and how many of the ``documents`` were ``html_documents``); None: not told
    #: (a model of a cleaner before it kept that, learned from files or from records)
    learned_from: dict[str, Any] | None = None


def load_model(path: str) -> BoilerplateModel:
    """Read a model made by ``cleaner learn``: once per process while the file stays the same,
    again when it changed. It was read once per process and path: a process that lives on
    (a Dask worker between runs, a notebook, a program that calls ``clean_text``) kept
    removing the lines of a model learned again at the same path since, and gave other bytes
    than a fresh process (and than the model's contents that ``--resume`` checks)."""
    try:
        found = os.stat(path)
    except OSError as exc:
        raise ConfigError(f"cannot read the boilerplate model {path}: {exc.strerror}") from exc
    return _read_model(path, (found.st_ino, found.st_size, found.st_mtime_ns))


@lru_cache(maxsize=8)
def _read_model(path: str, _version: tuple[int, int, int]) -> BoilerplateModel:
    """The model at ``path`` as it is now; ``_version`` (its inode, size and time of change)
    tells one content of the file from another in the cache."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise ConfigError(f"cannot read the boilerplate model {path}: {exc.strerror}") from exc
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(
            f"boilerplate model {path} is not JSON ({exc}); make one with `cleaner learn`"
        ) from exc
    if not isinstance(data, dict) or data.get("kind") != MODEL_KIND or data.get("version") != MODEL_VERSION:
        raise ConfigError(
            f"{path} is not a version {MODEL_VERSION} boilerplate model; make one with `cleaner learn`"
        )
    lines = data.get("lines")  # (a model without it would remove nothing, silently)
    if not isinstance(lines, dict) or not all(
        _is_line_hash(h) and isinstance(v, dict) and isinstance(v.get("sample", ""), str)
        and isinstance(v.get("documents", 0), int) for h, v in lines.items()
    ):
        raise ConfigError(
            f"boilerplate model {path} is damaged: \"lines\" must map each line hash to "
            "{\"documents\": N, \"sample\": TEXT}; make it again with `cleaner learn`"
        )
    return BoilerplateModel(
        path,
        frozenset(lines),
        {h: v.get("sample", "") for h, v in lines.items()},
        {h: int(v.get("documents", 0)) for h, v in lines.items()},
        _learned_from(data),
    )


def _learned_from(data: dict[str, Any]) -> dict[str, Any] | None:
    """What a model says it was learned from (see ``learned_elsewhere``). A model written before
    it said so was learned from records when its corpus was a dataset file (or stdin): its
    thresholds hold the keys it was given; from a folder, it cannot tell (files or shards)."""
    from ..datasets.formats import format_of

    thresholds = data.get("thresholds")
    if not isinstance(thresholds, dict):
        return None
    keys = {"text_key": thresholds.get("text_key") or "text", "html_key": thresholds.get("html_key")}
    given = data.get("input")
    if given == "files":
        documents, pages = data.get("documents"), data.get("html_documents")
        if isinstance(documents, int) and isinstance(pages, int):
            return {"input": "files", "documents": documents, "html_documents": pages}
        return None
    corpus = str(data.get("corpus", ""))
    if given == "records" or (given is None and (corpus == "-" or thresholds.get("fmt")
                                                 or format_of(Path(corpus)) is not None)):
        return {"input": "records", **keys}
    return None


def learned_elsewhere(model: BoilerplateModel, text_key: str, html_key: str | None,
                      html_always: bool = False) -> str | None:
    """A one-line warning when a dataset run cleans other text than its boilerplate model was
    learned from: another field of the records (``--text-key``/``--html-key``), or records as
    plain text with a model of HTML pages, or the other way round. The model's lines are then
    lines of other text, and few are found: nothing says so otherwise. None when they agree (or
    the model does not say what it was learned from)."""
    learned = model.learned_from
    if learned is None:
        return None
    run_html = html_key is not None or html_always
    run_key = html_key or text_key
    if html_key is not None:
        flag = f"--html-key {html_key}"
    else:
        flag = f"--text-key {text_key}" + (" --html always" if html_always else "")
    how = " as HTML" if run_html else ""
    advice = "(learn the model with the options of this run)"
    if learned["input"] == "records":
        key = learned["html_key"] or learned["text_key"]
        was_html = learned["html_key"] is not None
        if (key, was_html) == (run_key, run_html):
            return None
        return (f"--boilerplate {model.path} was learned from the records' {key!r} field"
                f"{' as HTML' if was_html else ''}; this run cleans their {run_key!r} field{how} ({flag}): "
                f"lines of one field may not be lines of the other {advice}")
    documents, pages = learned["documents"], learned["html_documents"]
    if documents and pages == documents and not run_html:
        what = "HTML pages (the text extracted from them)"
    elif documents and pages == 0 and run_html:
        what = "plain text files"
    else:
        return None
    kind = "as HTML" if run_html else "as plain text"
    return (f"--boilerplate {model.path} was learned from {what}; this run cleans the records' {run_key!r} "
            f"field {kind} ({flag}): lines of one may not be lines of the other {advice}")


def _is_line_hash(key: object) -> bool:
    """Is ``key`` a line hash (``line_hash``)? A line's text put in a model by hand is not: it
    would never match anything.

    >>> _is_line_hash("671ba3cd831554a7"), _is_line_hash("Jetzt anmelden und sparen")
    (True, False)
    """
    return isinstance(key, str) and len(key) == HASH_HEX_DIGITS and all(c in "0123456789abcdef" for c in key)


@rule(
    "corpus.frequent",
    "corpus-boilerplate",
    "a short line that recurs across many documents of the corpus (needs --boilerplate MODEL)",
)
def frequent(block: Block, ctx: Context) -> Evidence | None:
    """Fires only with a model (``CleanConfig.boilerplate_model``); see ``cleaner learn``."""
    model = ctx.boilerplate
    if model is None:
        return None
    key = line_key(block.text)
    if key is None:
        return None
    digest = line_hash(key)
    if digest not in model.hashes:
        return None
    return Evidence(
        "corpus.frequent",
        "corpus-boilerplate",
        1.0,
        f"in {model.documents.get(digest, 0):,} documents of the corpus ({Path(model.path).name})",
    )
