"""`cleaner learn` + `cleaner clean --boilerplate`: what the corpus model learns, and what it
must leave alone. Small generated corpora, the real commands."""

from __future__ import annotations

import json
import random
import subprocess
import sys
from pathlib import Path

import pytest

from cleaner.rules.corpus import line_key

from .test_datasets import prose, read_jsonl, run, write_jsonl

SITES = 8
DOCS_PER_SITE = 20
#: The same all-caps affiliate line injected into two articles of three, on every site (it ends
#: like a sentence, but shouts: not prose).
BANNER = "JETZT BEI BONUSWELT24.DE ANMELDEN UND 50 EURO BONUS SICHERN!"
#: Site furniture: a share row on half of the sites, a navigation line on one.
SHARE = "Share this article"
NAV = "Home | Politik | Wirtschaft | Sport | Kultur"
#: A sentence that is one site's boilerplate: on every article of site 6, on no other site.
SITE_NOTE = "Dieser Artikel erschien zuerst in der Abendzeitung von Seite sechs."
#: Short statements (12 words or fewer) that articles of many sites quote, in the quotation
#: marks of several languages; and one reported without quotation marks.
QUOTES = [
    "„Wir werden die Stadt nicht aufgeben“, sagte die Bürgermeisterin.",
    "“We will not give up,” the mayor said on Monday.",
    "« Nous ne céderons pas », a déclaré le maire.",
    "»Das ist ein guter Tag für alle«, sagte er.",
    "Der Minister: „Es gibt keinen Plan B.“",
    "‘This is not over,’ she told reporters.",
]
UNQUOTED = "The minister said the plan would cost several billion euros."


def corpus_documents() -> list[tuple[str, str]]:
    """(url, text) of 160 articles of 8 sites. Each quote is in 3 articles of each of 6 sites
    (18 articles: more than the 10 a line needs), never twice on one page."""
    rng = random.Random(11)
    docs = []
    for site in range(SITES):
        for n in range(DOCS_PER_SITE):
            i = site * DOCS_PER_SITE + n
            blocks = [f"Bericht {n} von Seite {site}", prose(rng)]
            if site < 6 and n % 6 < 3:  # 3 articles of each of 6 sites quote every statement
                blocks += [QUOTES[(n + k) % len(QUOTES)] for k in range(len(QUOTES))]
                blocks.append(UNQUOTED)
            blocks.append(prose(rng))
            if i % 3:
                blocks.insert(1, BANNER)
            if site < 4:
                blocks.append(SHARE)
            if site == 5:
                blocks.insert(0, NAV)
            if site == 6:
                blocks.append(SITE_NOTE)
            docs.append((f"https://www.site{site}.example/news/{n}", "\n\n".join(blocks) + "\n"))
    return docs


def _samples(model_path: Path) -> set[str]:
    return {v["sample"] for v in json.loads(model_path.read_text(encoding="utf-8"))["lines"].values()}


def test_quoted_statements_are_kept_and_banners_removed(tmp_path: Path) -> None:
    """A statement quoted by articles of many sites is content, in any style of quotation
    marks, and so is a short sentence reported on many sites without them; the affiliate
    line, the share row, the navigation line and one site's own closing sentence are
    boilerplate."""
    docs = corpus_documents()
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"url": u, "text": t} for u, t in docs])
    model = tmp_path / "model.json"
    result = run("learn", str(corpus), "-o", str(model), "--id-key", "url", "-q")
    assert result.exit_code == 0, result.output
    learned = _samples(model)
    assert {BANNER.casefold(), SHARE.casefold(), NAV.casefold(), SITE_NOTE.casefold()} <= learned
    assert not {q.casefold() for q in [*QUOTES, UNQUOTED]} & learned

    out = tmp_path / "out.jsonl"
    result = run("clean", str(corpus), "-o", str(out), "--id-key", "url", "--boilerplate", str(model),
                 "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    records = read_jsonl(out)
    for (_, text), record in zip(docs, records, strict=True):
        clean = str(record["text"])
        for line in (*QUOTES, UNQUOTED):
            assert (line in clean) == (line in text), line
        for line in (BANNER, SHARE, NAV, SITE_NOTE):
            assert line not in clean
    rules = {rule for r in records for x in r["cleaner"]["removed"] for rule in x["rules"]}  # type: ignore[index]
    assert "corpus.frequent" in rules


def test_a_folder_corpus_keeps_its_quotes(tmp_path: Path) -> None:
    """Files have no site: a quote shared by many of them is still kept, a banner removed."""
    (tmp_path / "docs").mkdir()
    for i, (_, text) in enumerate(corpus_documents()):
        (tmp_path / "docs" / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    model = tmp_path / "model.json"
    assert run("learn", str(tmp_path / "docs"), "-o", str(model), "-q").exit_code == 0
    learned = _samples(model)
    assert BANNER.casefold() in learned and NAV.casefold() in learned
    assert not {q.casefold() for q in [*QUOTES, UNQUOTED]} & learned
    result = run("clean", str(tmp_path / "docs"), "-o", str(tmp_path / "out"), "--boilerplate", str(model),
                 "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    clean = (tmp_path / "out" / "000.txt").read_text(encoding="utf-8")
    assert all(q in clean for q in QUOTES) and BANNER not in clean


@pytest.mark.parametrize("line", [
    "„Wir schaffen das“, sagte sie.",
    "“Never again,” he said.",
    "« Jamais plus », dit-il.",
    "«Никогда больше», сказал он.",
    "»Nie wieder«, sagte er.",
    "”Aldrig mer”, sa hon.",
    "Sie sagte: „Nie wieder!“",
    "“We are going to keep fighting for every single",  # a quoted paragraph that goes on
])
def test_a_quotation_is_never_a_learnable_line(line: str) -> None:
    assert line_key(line) is None


@pytest.mark.parametrize("line", [
    "Klicken Sie auf „Alle akzeptieren“ um fortzufahren",  # a button's label, not a statement
    "Home » Nachrichten aus aller Welt » Politik",         # guillemets as a breadcrumb's arrows
    "« Ältere Beiträge",
    "Don't miss John's weekly newsletter",
])
def test_quotation_marks_that_hold_no_statement_leave_a_line_learnable(line: str) -> None:
    assert line_key(line) is not None


# ---- which files of a folder are documents: one rule for every walk ----

def _folder(tmp_path: Path) -> Path:
    docs = tmp_path / "docs"
    (docs / "sub").mkdir(parents=True)
    (docs / ".git").mkdir()
    for i in range(12):
        (docs / ("sub" if i % 2 else ".") / f"{i:02d}.txt").write_text(
            f"Article {i} has its own words.\n\nShare this article\n", encoding="utf-8")
    (docs / ".notes.txt").write_text("Share this article\n", encoding="utf-8")
    (docs / ".git" / "HEAD.txt").write_text("Share this article\n", encoding="utf-8")
    (tmp_path / "elsewhere.txt").write_text("Share this article\n", encoding="utf-8")
    (docs / "link.txt").symlink_to(tmp_path / "elsewhere.txt")  # out of the tree: not read
    (docs / "data.json").write_text('{"title": "Share this article"}\n', encoding="utf-8")
    return docs


def test_a_model_written_into_the_corpus_is_not_read_as_a_document(tmp_path: Path) -> None:
    """`learn -o` may write over an earlier model inside the corpus folder, as it is no
    document; but the next `learn` read it as one (and `clean` cleaned it as an article): the
    folder walk and the check of -o had each their own rule."""
    docs = _folder(tmp_path)
    for again in ([], ["--force"]):
        result = run("learn", str(docs), "-o", str(docs / "model.json"), "-q", *again)
        assert result.exit_code == 0, result.output
        assert json.loads((docs / "model.json").read_text(encoding="utf-8"))["documents"] == 13
    result = run("clean", str(docs), "-o", str(tmp_path / "out"), "--no-language", "-q")
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(tmp_path / "out").as_posix() for p in (tmp_path / "out").rglob("*.txt"))
    assert written == sorted(["data.txt", *(f"{'sub/' if i % 2 else ''}{i:02d}.txt" for i in range(12))])


def test_learn_refuses_to_overwrite_exactly_the_files_the_folder_walk_reads(tmp_path: Path) -> None:
    from cleaner.files import is_input, iter_inputs

    docs = _folder(tmp_path)
    assert run("clean", str(docs / "00.txt"), "-o", str(docs / "cleaned.txt"), "-q").exit_code == 0
    assert run("learn", str(docs), "-o", str(docs / "model.json"), "-q").exit_code == 0
    read = set(iter_inputs(docs))
    assert docs / "00.txt" in read and docs / "data.json" in read and docs / "model.json" not in read
    assert docs / "cleaned.json" not in read  # a sidecar
    candidates = [p for p in docs.rglob("*") if p.is_file() or p.is_symlink()]
    assert {p for p in candidates if is_input(p, docs)} == read
    for path in sorted(candidates):  # (--force: a corpus document is refused even so)
        result = run("learn", str(docs), "-o", str(path), "-q", "--force")
        assert (result.exit_code == 2) == (path in read), (path, result.output)


def test_a_record_whose_url_id_is_malformed_has_no_site_and_stops_nothing(tmp_path: Path) -> None:
    """urllib refuses "http://[oops/a" (an unclosed IPv6 host) with a ValueError: one such id
    among the records stopped `learn` with a traceback and no model. It is a document of no
    known site, learned from like the others."""
    records = [{"url": f"https://www.site{i % 2}.example/a/{i}", "text": f"Bericht {i} hier\n\n{SHARE}\n"}
               for i in range(12)]
    records.append({"url": "http://[oops/a", "text": f"Ein Bericht ohne Seite\n\n{SHARE}\n"})
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    model = tmp_path / "model.json"
    result = run("learn", str(corpus), "-o", str(model), "--id-key", "url", "-q")
    assert result.exit_code == 0, result.output
    learned = json.loads(model.read_text(encoding="utf-8"))
    assert learned["documents"] == 13 and learned["sites"] == 2
    assert [(v["sample"], v["documents"]) for v in learned["lines"].values()] == [(SHARE.casefold(), 13)]


def test_a_model_learned_again_at_the_same_path_is_used_by_a_process_that_read_the_old_one(
        tmp_path: Path) -> None:
    """A process that lives on (a Dask worker between two runs, a notebook) read a model once
    per path: after `learn` wrote a new model there, it went on removing the old model's lines
    and keeping the new one's. The same commands in one process, as such a worker runs them."""
    first, second = "Präsentiert von der Stadtsparkasse Musterstadt", "Mit freundlicher Unterstützung der Brauerei Adler"
    article = tmp_path / "article.txt"
    article.write_text(f"Der Bericht beginnt hier und erzählt von der Stadt.\n\n{first}\n\n"
                       f"Der Bericht geht weiter und erzählt vom Land.\n\n{second}\n", encoding="utf-8")
    model = tmp_path / "model.json"
    for banner, other in ((first, second), (second, first)):
        corpus = write_jsonl(tmp_path / "corpus.jsonl", [
            {"text": f"Bericht Nummer {i} über die Stadt und das Land.\n\n{banner}\n"} for i in range(12)])
        assert run("learn", str(corpus), "-o", str(model), "-q", "--force").exit_code == 0
        result = run("clean", str(article), "-o", str(tmp_path / "out.txt"), "--boilerplate", str(model),
                     "--no-language", "-q")
        assert result.exit_code == 0, result.output
        removed = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["removed"]
        by_model = {r["text"] for r in removed if "corpus.frequent" in r["rules"]}
        assert by_model == {banner}, (banner, removed)
        assert other not in by_model


@pytest.mark.parametrize("where", ["under-a-file", "full-disk"])
def test_a_model_that_cannot_be_written_is_one_line_and_exit_1(where: str, tmp_path: Path) -> None:
    """The model was written after all of the counting, outside the run's error handling: a
    directory in its path that is a file, or a full disk, ended `learn` with a traceback. Now
    one line and exit 1 ("the model not written", as `learn --help` says); a path that cannot
    be written at all is found before the counting starts."""
    if where == "full-disk" and not Path("/dev/full").exists():
        pytest.skip("no /dev/full")
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"text": f"Bericht {i} hier\n\n{SHARE}\n"} for i in range(12)])
    output = tmp_path / "corpus.jsonl" / "model.json" if where == "under-a-file" else Path("/dev/full")
    result = run("learn", str(corpus), "-o", str(output), "-q")
    assert result.exit_code == 1, result.output
    assert result.output.startswith(f"cleaner: error: cannot write the model {output}: ")
    assert result.output.count("\n") == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["corpus.jsonl"]  # (no temporary file left)


def test_learn_help_gives_the_site_threshold_that_learn_applies(tmp_path: Path) -> None:
    """`--min-fraction` said a line qualifies in "its site's documents x 10" of that share,
    but the site's share is 5 % whatever --min-fraction is (docs/datasets.md): with
    --min-fraction 0.1 the help promised all of them, and a line on 15 of 200 articles of one
    site (7.5 %, fewer than the 20 the whole corpus needs) was learned."""
    from cleaner.corpus import SITE_FRACTION_DEFAULT

    help_text = " ".join(run("learn", "--help").output.split())
    assert "x 10" not in help_text
    assert f"{SITE_FRACTION_DEFAULT:.0%}".replace("%", " %") + " of the documents of one site" in help_text
    records = [{"url": f"https://site.example/{i}",
                "text": f"Bericht {i} hier\n\n" + ("Unterstützt von der Stadtsparkasse\n" if i < 15 else "")}
               for i in range(200)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    model = tmp_path / "model.json"
    assert run("learn", str(corpus), "-o", str(model), "--id-key", "url", "--min-fraction", "0.1", "-q").exit_code == 0
    learned = json.loads(model.read_text(encoding="utf-8"))
    assert learned["thresholds"]["documents_needed"] == 20
    assert [(v["sample"], v["sites"]) for v in learned["lines"].values()] == [
        ("unterstützt von der stadtsparkasse", ["site.example"])]


def test_a_model_learned_from_other_fields_or_from_pages_is_named_in_one_warning(
        tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """A model holds the lines of the field (or the kind of document) it was learned from:
    cleaning other fields with it finds few of them, silently. The run says so in one line."""
    import logging

    docs = corpus_documents()[:40]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"url": u, "body": t} for u, t in docs])
    model = tmp_path / "model.json"
    assert run("learn", str(corpus), "-o", str(model), "--text-key", "body", "-q").exit_code == 0
    pages = tmp_path / "pages"
    pages.mkdir()
    for n, (_, text) in enumerate(docs[:12]):
        paragraphs = "".join(f"<p>{p}</p>" for p in text.split("\n\n"))
        (pages / f"{n}.html").write_text(f"<html><body><article>{paragraphs}</article></body></html>")
    page_model = tmp_path / "pages.json"
    assert run("learn", str(pages), "-o", str(page_model), "-q").exit_code == 0
    data = write_jsonl(tmp_path / "data.jsonl", [{"url": u, "text": t, "body": t} for u, t in docs[:3]])

    def warnings(*args: str) -> list[str]:
        caplog.clear()
        with caplog.at_level(logging.WARNING, logger="cleaner"):
            result = run("clean", str(data), "-o", str(tmp_path / "out.jsonl"), "--no-language",
                         "--workers", "1", "--force", *args)
        assert result.exit_code == 0, result.output
        return [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]

    said = warnings("--boilerplate", str(model))  # (--text-key text: not what it was learned from)
    assert said == [f"--boilerplate {model} was learned from the records' 'body' field; this run cleans "
                    "their 'text' field (--text-key text): lines of one field may not be lines of the "
                    "other (learn the model with the options of this run)"]
    assert warnings("--boilerplate", str(model), "--text-key", "body") == []
    said = warnings("--boilerplate", str(page_model), "--text-key", "body")
    assert said == [f"--boilerplate {page_model} was learned from HTML pages (the text extracted from them); "
                    "this run cleans the records' 'body' field as plain text (--text-key body): lines of "
                    "one may not be lines of the other (learn the model with the options of this run)"]


def test_copies_of_one_article_count_as_one_document(tmp_path: Path) -> None:
    """A crawl holds the same article many times (under URLs with tracking parameters, print and
    AMP versions): its title and subheadings recurred in 15 "documents" of the site and were
    learned as boilerplate, to be removed from the article itself. Copies of a site's document
    (the same text, whitespace aside) count once; the banner of distinct articles is learned."""
    article = ("Neue Brücke in Köln eröffnet\n\nDie Stadt feiert.\n\nDer Bürgermeister sprach von einem "
               "großen Tag für alle Bürger der Stadt und dankte den Arbeitern.\n\nKosten im Rahmen\n\n"
               "Die Brücke kostete 20 Millionen Euro.")
    rng = random.Random(3)
    rows = [{"url": f"https://news.example/a?utm={i}", "text": article + "\n" * (i % 2)} for i in range(15)]
    rows += [{"url": f"https://news.example/b/{i}", "text": f"{prose(rng)}\n\n{BANNER}"} for i in range(12)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", rows)
    model = tmp_path / "model.json"
    result = run("learn", str(corpus), "-o", str(model), "--id-key", "url")
    assert result.exit_code == 0, result.output
    assert _samples(model) == {BANNER.casefold()}
    data = json.loads(model.read_text(encoding="utf-8"))
    assert (data["documents"], data["duplicate_documents"]) == (27, 14)
    assert "27 documents (14 copies of others counted once; at least 10 each)" in result.output


def test_an_agency_story_printed_by_many_sites_keeps_its_title_and_subheadings(tmp_path: Path) -> None:
    """A news agency's story on 14 sites (each with its own banner around it, one with a
    paragraph cut): its title, subheadings and caption were in 14 documents of 14 sites, learned
    as boilerplate and removed from every copy. A line is learned only under several stories;
    the sites' banners, under many, still are."""
    rng = random.Random(5)
    story = [prose(rng) for _ in range(3)]
    own = ["Mieten steigen in allen Großstädten", "Was jetzt auf die Mieter zukommt",
           "Wohnblock in Leipzig (Archivbild)", "Die Rolle der Kommunen"]
    rows = []
    for site in range(14):
        banner = f"Newsletter der Zeitung {site} jetzt gratis bestellen"
        paragraphs = story[:2] if site == 3 else story  # (one site cut the last paragraph)
        copy = [own[0], paragraphs[0], own[1], own[2], *paragraphs[1:], own[3], banner]
        rows.append({"url": f"https://zeitung{site}.example/wirtschaft/mieten", "text": "\n\n".join(copy)})
        for n in range(10):  # the site's own articles, with its banner
            rows.append({"url": f"https://zeitung{site}.example/lokal/{n}",
                         "text": f"Lokales {site} {n}\n\n{prose(rng)}\n\n{banner}"})
    corpus = write_jsonl(tmp_path / "corpus.jsonl", rows)
    model = tmp_path / "model.json"
    result = run("learn", str(corpus), "-o", str(model), "--id-key", "url", "-q")
    assert result.exit_code == 0, result.output
    learned = _samples(model)
    assert not {line.casefold() for line in own} & learned
    assert all(f"newsletter der zeitung {site} jetzt gratis bestellen" in learned for site in range(14))

    out = tmp_path / "out.jsonl"
    result = run("clean", str(corpus), "-o", str(out), "--id-key", "url", "--boilerplate", str(model),
                 "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    by_corpus = {str(r["text"]) for record in read_jsonl(out)
                 for r in record["cleaner"]["removed"] if "corpus.frequent" in r["rules"]}  # type: ignore[index]
    assert not set(own) & by_corpus and len(by_corpus) == 14


def _learn(*args: str) -> subprocess.CompletedProcess[str]:
    """`cleaner learn` in a process of its own (its logging set up as on the command line)."""
    return subprocess.run([sys.executable, "-m", "cleaner", "learn", *args], capture_output=True, text=True,
                          timeout=120)


def test_learn_has_the_verbose_and_quiet_flags_of_clean() -> None:
    help_text = run("learn", "--help").output
    for flag in ("-v, --verbose", "-q, --quiet"):
        assert flag in help_text
    assert " -v" in help_text.split("Examples:")[1]  # (an example that uses it)


def test_learn_verbose_names_every_skipped_document_and_counts_the_documents_of_each_site(
        tmp_path: Path) -> None:
    """`clean -v` says more; `learn` had no -v at all. With it, every skipped document is named
    (not only the first 50) and the documents of each site, with the lines learned for it."""
    from cleaner.corpus import MAX_NAMED_SKIPS

    bad = [{"url": f"https://bad.example/{i}", "body": "x"} for i in range(MAX_NAMED_SKIPS + 10)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl",
                         [*bad, *({"url": u, "text": t} for u, t in corpus_documents())])
    done = _learn(str(corpus), "-o", str(tmp_path / "m.json"), "--id-key", "url", "-v")
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert sum(": skipped: line " in line for line in lines) == MAX_NAMED_SKIPS + 10
    assert not any("more documents skipped" in line for line in lines)
    assert f"cleaner: INFO: {SITES * DOCS_PER_SITE} documents of {SITES} sites:" in lines
    assert any(line.startswith("cleaner: INFO:   site6.example: 20 documents, ") for line in lines), lines
    assert done.stderr.rstrip().splitlines()[-1] != ""  # (the summary is still there)
    assert "boilerplate lines from 160 documents" in done.stderr

    quiet = _learn(str(corpus), "-o", str(tmp_path / "q.json"), "--id-key", "url", "-q")
    assert quiet.returncode == 0 and quiet.stderr == ""
    plain = _learn(str(corpus), "-o", str(tmp_path / "p.json"), "--id-key", "url")
    assert sum(": skipped: line " in line for line in plain.stderr.splitlines()) == MAX_NAMED_SKIPS
    assert "INFO" not in plain.stderr
    assert "(60 in all; -v names every one)" in plain.stderr
    model = (tmp_path / "m.json").read_text(encoding="utf-8")
    assert (tmp_path / "q.json").read_text(encoding="utf-8") == model == (tmp_path / "p.json").read_text()


def test_learn_verbose_says_when_the_documents_have_no_site(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"text": t} for _, t in corpus_documents()])
    done = _learn(str(corpus), "-o", str(tmp_path / "m.json"), "-v")
    assert done.returncode == 0, done.stderr
    assert "cleaner: INFO: 160 documents, none of a known site (a site is the host of a record's URL " \
           "id, --id-key FIELD: each site's own boilerplate is learned too)" in done.stderr.splitlines()


@pytest.mark.parametrize("key", ["boilerplate_model", "boilerplate-model"])
def test_a_config_files_model_path_is_relative_to_the_config_file(tmp_path: Path, key: str,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """`boilerplate_model = "model.json"` in conf/cleaner.toml names conf/model.json, wherever
    the command runs (it was looked for in the working directory: "cannot read the model")."""
    docs = corpus_documents()
    corpus = write_jsonl(tmp_path / "corpus.jsonl", [{"url": u, "text": t} for u, t in docs])
    (tmp_path / "conf").mkdir()
    assert run("learn", str(corpus), "-o", str(tmp_path / "conf" / "model.json"), "-q").exit_code == 0
    (tmp_path / "conf" / "cleaner.toml").write_text(f'[clean]\n{key} = "model.json"\n')
    (tmp_path / "elsewhere").mkdir()
    monkeypatch.chdir(tmp_path / "elsewhere")
    Path("a.txt").write_text(docs[1][1], encoding="utf-8")
    assert BANNER in docs[1][1]
    result = run("clean", "a.txt", "--config", "../conf/cleaner.toml", "--no-language")
    assert result.exit_code == 0, result.output
    assert BANNER not in result.stdout and "Bericht 1 von Seite 0" in result.stdout
    (tmp_path / "conf" / "cleaner.toml").write_text(f'{key} = "{tmp_path / "conf" / "model.json"}"\n')
    result = run("clean", "a.txt", "--config", "../conf/cleaner.toml", "--no-language")
    assert result.exit_code == 0 and BANNER not in result.stdout  # an absolute path as it is


def test_learn_refuses_to_overwrite_a_model_without_force(tmp_path: Path) -> None:
    """`learn -o model.json` wrote over an existing file without a word, where `clean` refuses
    to without --force: the first model stays, exit 2 names --force, and --force replaces it."""
    docs = _folder(tmp_path)
    model = tmp_path / "model.json"
    model.write_text("an earlier model, or any file\n")
    result = run("learn", str(docs), "-o", str(model), "-q")
    assert result.exit_code == 2 and "--force" in result.output
    assert model.read_text() == "an earlier model, or any file\n"
    result = run("learn", str(docs), "-o", str(model), "-q", "--force")
    assert result.exit_code == 0, result.output
    assert json.loads(model.read_text(encoding="utf-8"))["documents"] == 13
    assert run("learn", str(docs), "-o", "/dev/null", "-q").exit_code == 0  # written into: no --force


@pytest.mark.parametrize("id_key, lacking", [("url", 40), ("link", 160)])
def test_learn_warns_once_of_records_without_the_id_key(tmp_path: Path, id_key: str, lacking: int) -> None:
    """Records without the --id-key field belong to no site; a key that none or some have was
    silently ignored (the per-site rule then never applies). One warning, the records learned."""
    records = [{"url": u, "text": t} for u, t in corpus_documents()]
    for record in records[::4]:
        del record["url"]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    done = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(corpus), "-o", str(tmp_path / "m.json"),
                           "--id-key", id_key, "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    warnings = [line for line in done.stderr.splitlines() if f"--id-key {id_key}:" in line]
    assert len(warnings) == 1 and warnings[0].startswith("cleaner: WARNING: "), done.stderr
    assert (f"{lacking} of 160 records" in warnings[0]) == (lacking < 160)
    assert ("no record has this field" in warnings[0]) == (lacking == 160)
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["documents"] == 160
