"""`cleaner report`: reading runs, counting, sampling, the size bound and HTML escaping."""

from __future__ import annotations

import json
import re
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from cleaner.cli import cli
from cleaner.report.collect import Options, collect, open_run
from cleaner.report.command import REPORT_MARK
from cleaner.report.render import json_for_script, render

from .conftest import FIXTURES, page_of_server_errors

BANNER = "GUADAGNA SUBITO CON NOI GUADAGNA SUBITO CON NOI"
ARTICLE_DE = f"""Neue Brücke eröffnet

Die neue Brücke über den Fluss (Foto: dpa)

Die neue Brücke über den Fluss (Foto: dpa)

Am Montag wurde die neue Brücke feierlich eröffnet. Hunderte Menschen kamen zur Feier.

{BANNER}

Der Bürgermeister sprach von einem großen Tag für die Stadt und dankte allen Beteiligten.

Foto: dpa
"""
ARTICLE_IT = f"""Il nuovo ponte

Il sindaco ha inaugurato il nuovo ponte sul fiume lunedì mattina davanti a centinaia di persone. {BANNER}

La cerimonia è durata due ore e si è conclusa con un concerto in piazza.

Foto: dpa
"""


def make_inputs(root: Path) -> Path:
    """A few articles: a duplicated caption, an all-caps banner, a photo credit, the seeds."""
    (root / "in" / "seeds").mkdir(parents=True)
    (root / "in" / "bruecke.txt").write_text(ARTICLE_DE, encoding="utf-8")
    (root / "in" / "ponte.txt").write_text(ARTICLE_IT, encoding="utf-8")
    for seed in sorted((FIXTURES / "input" / "seeds").glob("*.txt")):
        shutil.copy(seed, root / "in" / "seeds" / seed.name)
    return root / "in"


def clean_run(root: Path) -> Path:
    result = CliRunner().invoke(cli, ["clean", str(make_inputs(root)), "-o", str(root / "out"), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return root / "out"


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return clean_run(tmp_path_factory.mktemp("report"))


def sidecars(out: Path) -> list[dict[str, Any]]:
    return [json.loads(p.read_text(encoding="utf-8")) for p in sorted(out.rglob("*.json"))]


def data_of(page: str) -> dict[str, Any]:
    blob = re.search(r'<script type="application/json" id="report-data">(.*?)</script>', page, re.S)
    assert blob is not None
    return json.loads(blob[1])  # type: ignore[no-any-return]


def test_counts_add_up_over_every_sidecar(run_dir: Path) -> None:
    data = collect(open_run(run_dir))
    cars = sidecars(run_dir)
    items = [i for s in cars for i in s["removed"]]
    totals = data["totals"]
    assert totals["documents"] == len(cars) == 4
    assert totals["chars_in"] == sum(s["stats"]["chars_in"] for s in cars)
    assert totals["chars_out"] == sum(s["stats"]["chars_out"] for s in cars)
    assert totals["removed"] == len(items)
    assert dict((k, n) for k, n, *_ in data["kinds"]) == Counter(i["kind"] for i in items)
    assert dict((r, n) for r, n, _ in data["rules"]) == Counter(r for i in items for r in i["rules"])
    assert dict(data["languages"]) == Counter(s["language"] for s in cars)
    assert dict(data["months"]) == {"2025-02": 1, "no date": 3}
    lines = {text: (count, rules) for text, count, rules, _ in data["lines"]}
    assert lines[BANNER][0] == 2
    assert set(lines[BANNER][1]) == {r for i in items if i["text"] == BANNER for r in i["rules"]}
    assert lines["Foto: dpa"][0] == 2 and "caption.credit" in lines["Foto: dpa"][1]


def test_sampled_documents_have_exact_spans_from_their_source(run_dir: Path) -> None:
    docs = {d["id"]: d for d in collect(open_run(run_dir))["docs"]}
    assert sorted(docs) == ["bruecke", "ponte", "seeds/000_d69c59094d66a187", "seeds/002_da4e8c98ff9d66d8"]
    ponte = docs["ponte"]
    assert ponte["mode"] == "source" and ponte["text"] == ARTICLE_IT
    spans = {ponte["text"][s:e]: (kind, rules) for s, e, kind, rules, *_ in ponte["removed"]}
    assert spans[BANNER][0] == "spam-banner" and "spam.repeated_phrase" in spans[BANNER][1]
    assert "Foto: dpa" in spans


def test_spans_are_in_the_units_the_viewer_slices_by(tmp_path: Path) -> None:
    """The viewer's JavaScript slices the text in UTF-16 code units, where an emoji is two:
    the sidecar's offsets (characters) marked the wrong text after an emoji."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "emoji.txt").write_text(ARTICLE_IT.replace("Il nuovo ponte", "Il nuovo ponte 🌉🎉"),
                                               encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q"],
                                catch_exceptions=False)
    assert result.exit_code == 0, result.output
    for mode in ("source", "rebuilt"):
        if mode == "rebuilt":
            shutil.rmtree(tmp_path / "in")
        (doc,) = collect(open_run(tmp_path / "out"))["docs"]
        assert doc["mode"] == mode
        units = doc["text"].encode("utf-16-le")
        marked = [units[2 * s:2 * e].decode("utf-16-le") for s, e, *_ in doc["removed"]]
        assert BANNER in marked and "Foto: dpa" in marked, (mode, marked)


def test_a_rescued_page_is_read_again_as_it_was_cleaned(tmp_path: Path) -> None:
    """A page whose text came from trafilatura's baseline after the rules removed what trafilatura
    extracted (``extract.rescue``): the report reads it the same way, so its spans are exact (read
    as extracted, its input was the server errors, and no span matched)."""
    article = ("Der Stadtrat hat am Montagabend nach langer Debatte den neuen Haushalt beschlossen. "
               "Die Opposition kritisierte die hohen Ausgaben. "
               "GUADAGNA SUBITO CON NOI GUADAGNA SUBITO CON NOI GUADAGNA SUBITO CON NOI")
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "page.html").write_text(page_of_server_errors(article), encoding="utf-8")
    result = CliRunner().invoke(cli, ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "-q",
                                      "--no-language"], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    (doc,) = collect(open_run(tmp_path / "out"))["docs"]
    assert doc["mode"] == "source" and doc["text"] == article
    banner = " ".join(["GUADAGNA SUBITO CON NOI"] * 3)
    assert [doc["text"][s:e] for s, e, *_ in doc["removed"]] == [banner]


def test_without_the_source_the_input_is_rebuilt(tmp_path: Path) -> None:
    out = clean_run(tmp_path)
    shutil.rmtree(tmp_path / "in")
    for doc in collect(open_run(out))["docs"]:
        assert doc["mode"] == "rebuilt"
        clean = (out / f"{doc['id']}.txt").read_text(encoding="utf-8")
        text, kept, pos = doc["text"], [], 0
        for start, end, *_ in doc["removed"]:
            kept.append(text[pos:start])
            pos = end
        kept.append(text[pos:])
        assert " ".join("".join(kept).split()) == " ".join(clean.split())  # all the clean text is there
        side = json.loads((out / f"{doc['id']}.json").read_text(encoding="utf-8"))
        assert [text[s:e] for s, e, *_ in doc["removed"]] == [i["text"] for i in side["removed"]]


def fake_record(i: int, removed_line: str, rule: str = "spam.x", text_chars: int = 2000) -> str:
    text = f"Document {i}. " + "Ein echter Satz steht hier. " * (text_chars // 28)
    start = len(text)
    sidecar = {"schema_version": 1, "source": f"line {i + 1}", "language": "de", "date": "2024-05-01",
               "removed": [{"text": removed_line, "kind": "spam-banner", "rules": [rule], "line": 3,
                            "start": start, "end": start + len(removed_line), "detail": "test"}],
               "stats": {"chars_in": start + len(removed_line), "chars_out": len(text)}}
    return json.dumps({"id": f"d{i:06d}", "text": text, "cleaner": sidecar}, ensure_ascii=False) + "\n"


def write_jsonl(path: Path, n: int, **kwargs: Any) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(n):
            rule = "spam.rare" if i == n // 2 else "spam.x"
            line = f"SPAM LINE {i % 7}" if i % 3 else f"UNIQUE LINE {i}"
            handle.write(fake_record(i, line, rule, **kwargs))
    return path


def sample_ids(path: Path, **options: Any) -> list[str]:
    return [d["id"] for d in collect(open_run(path), Options(**options))["docs"]]


def test_sampling_is_deterministic_by_seed_and_independent_of_order(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "run.jsonl", 300, text_chars=100)
    reordered = tmp_path / "reordered.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines(True)
    reordered.write_text("".join(reversed(lines)), encoding="utf-8")
    first = sample_ids(path, sample=20, seed=1, per_rule=0)
    assert len(first) == 20
    assert first == sample_ids(path, sample=20, seed=1, per_rule=0)
    assert first == sample_ids(reordered, sample=20, seed=1, per_rule=0)
    assert first != sample_ids(path, sample=20, seed=2, per_rule=0)
    # every rule gets example documents of its own, however rare
    assert "d000150" in sample_ids(path, sample=20, seed=1, per_rule=1)


def test_the_report_stays_small_however_large_the_run(tmp_path: Path) -> None:
    small = collect(open_run(write_jsonl(tmp_path / "small.jsonl", 1_000)), Options(sample=100))
    large_path = write_jsonl(tmp_path / "large.jsonl", 6_000)
    with large_path.open("a", encoding="utf-8") as handle:  # one huge document
        handle.write(fake_record(10**6, "HUGE", text_chars=2_000_000))
    large = collect(open_run(large_path), Options(sample=100, per_rule=0))
    assert large["totals"]["documents"] == 6_001
    assert len(large["docs"]) == 100
    assert all(len(d["text"]) <= 30_000 for d in large["docs"])
    assert len(large["lines"]) <= 200 + 10 * len(large["rules"])
    small_size, large_size = len(render(small).encode()), len(render(large).encode())
    assert large_size < 1.2 * small_size and large_size < 3_000_000


def test_document_text_cannot_break_out_of_the_script(tmp_path: Path) -> None:
    evil = "</script><script>alert(1)</script><!-- &amp; \u2028"
    item = {"text": evil, "kind": "spam-banner", "rules": ["spam.x"], "line": 1, "start": 0, "end": len(evil),
            "detail": evil}
    sidecar = {"source": evil, "title": evil, "language": "en", "date": None, "removed": [item],
               "stats": {"chars_in": len(evil), "chars_out": 5}}
    path = tmp_path / "evil.jsonl"
    path.write_text(json.dumps({"id": evil, "text": "Fine.", "cleaner": sidecar}) + "\n", encoding="utf-8")
    data = collect(open_run(path))
    page = render(data)
    assert page.lower().count("</script") == 2  # the data blob's and the code's own closing tags
    assert "<!--" not in page and "\u2028" not in page
    assert data_of(page) == json.loads(json.dumps(data))
    assert "<title>cleaner report: " + str(path).replace("&", "&amp;") in page
    assert json.loads(json_for_script(evil)) == evil


def test_a_stats_file_brings_failures_and_rejections(tmp_path: Path) -> None:
    write_jsonl(tmp_path / "out.jsonl", 5, text_chars=100)
    stats = {"documents": {"in": 10, "written": 5, "failed": 2, "rejected": 3}, "outputs": ["out.jsonl"],
             "failed": {"decode_error": 2}, "rejected": {"too_short": 3}}
    (tmp_path / "stats.json").write_text(json.dumps(stats), encoding="utf-8")
    data = collect(open_run(tmp_path / "stats.json"))
    assert data["meta"]["kind"] == "stats" and data["totals"]["documents"] == 5
    assert data["failures"] == [["decode_error", 2]] and data["rejections"] == [["too_short", 3]]


def test_a_directory_of_dataset_shards_is_a_run(tmp_path: Path) -> None:
    (tmp_path / "shards").mkdir()
    write_jsonl(tmp_path / "shards" / "a.jsonl", 4, text_chars=100)
    write_jsonl(tmp_path / "shards" / "b.jsonl", 3, text_chars=100)
    data = collect(open_run(tmp_path / "shards"))
    assert data["totals"]["documents"] == 7
    assert data["docs"][0]["id"] == "a.jsonl:d000000"


def test_the_command_writes_one_self_contained_page(run_dir: Path, tmp_path: Path) -> None:
    out = tmp_path / "r" / "report.html"
    result = CliRunner().invoke(cli, ["report", str(run_dir), "-o", str(out), "--sample", "2", "--seed", "3"])
    assert result.exit_code == 0, result.output
    assert "report of 4 documents (" in result.output
    page = out.read_text(encoding="utf-8")
    assert "default-src 'none'" in page  # nothing may be loaded from the network
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    data = data_of(page)
    assert data["meta"]["sample"] == 2 and data["meta"]["seed"] == 3
    again = tmp_path / "again.html"
    CliRunner().invoke(cli, ["report", str(run_dir), "-o", str(again), "--sample", "2", "--seed", "3", "-q"])
    assert again.read_bytes() == out.read_bytes()  # deterministic


def test_the_command_explains_bad_runs(tmp_path: Path) -> None:
    runner = CliRunner()
    help_text = runner.invoke(cli, ["report", "-h"]).output
    assert "Examples:" in help_text and "--sample" in help_text and "--seed" in help_text
    missing = runner.invoke(cli, ["report", str(tmp_path / "nope"), "-o", str(tmp_path / "r.html")])
    assert missing.exit_code == 2
    (tmp_path / "empty").mkdir()
    empty = runner.invoke(cli, ["report", str(tmp_path / "empty"), "-o", str(tmp_path / "r.html")])
    assert empty.exit_code == 1 and "no sidecar found" in empty.output
    (tmp_path / "notes.txt").write_text("x", encoding="utf-8")
    other = runner.invoke(cli, ["report", str(tmp_path / "notes.txt"), "-o", str(tmp_path / "r.html")])
    assert other.exit_code == 1 and "not a run" in other.output
    # one line, as every other command says an error (it was click's "Error: ..."), no report
    for result in (empty, other):
        assert result.stderr.startswith("cleaner: error: ") and result.stderr.count("\n") == 1
        assert "Error:" not in result.output
    assert not (tmp_path / "r.html").exists()


def test_missing_folders_of_the_output_are_created_as_clean_does(tmp_path: Path) -> None:
    """`report -o new/deep/r.html` creates the missing folders, as `clean -o new/deep/a.txt`
    does (both documented); a folder that cannot be made is one error line, exit 1."""
    src = tmp_path / "a.txt"
    src.write_text("A sentence of the article stays here.\n", encoding="utf-8")
    runner = CliRunner()
    cleaned = runner.invoke(cli, ["clean", str(src), "-o", str(tmp_path / "run" / "deep" / "a.txt"),
                                  "--no-language"])
    assert cleaned.exit_code == 0 and (tmp_path / "run" / "deep" / "a.json").is_file()
    out = tmp_path / "new" / "deep" / "r.html"
    result = runner.invoke(cli, ["report", str(tmp_path / "run"), "-o", str(out), "-q"])
    assert result.exit_code == 0, result.output
    assert REPORT_MARK.decode() in out.read_text(encoding="utf-8")
    (tmp_path / "file").write_text("x", encoding="utf-8")
    blocked = runner.invoke(cli, ["report", str(tmp_path / "run"), "-o", str(tmp_path / "file" / "r.html")])
    assert blocked.exit_code == 1
    assert blocked.stderr.startswith("cleaner: error: ") and blocked.stderr.count("\n") == 1


def test_importing_the_command_stays_light() -> None:
    import subprocess
    import sys

    code = ("import sys, cleaner.report.command; "
            "print(sorted(m for m in ('trafilatura', 'langdetect', 'pyarrow') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_report_never_overwrites_a_file_of_the_run(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Foto: dpa\n\nA sentence of the article stays here.\n")
    assert CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "out"), "-q"]).exit_code == 0
    for victim in (tmp_path / "out" / "a.txt", tmp_path / "out" / "a.json", src / "a.txt"):
        before = victim.read_bytes()
        result = CliRunner().invoke(cli, ["report", str(tmp_path / "out"), "-o", str(victim), "-q"])
        assert result.exit_code == 2, result.output
        assert victim.read_bytes() == before
    for _ in range(2):  # a report is written again over the last one
        result = CliRunner().invoke(cli, ["report", str(tmp_path / "out"), "-o", str(tmp_path / "r.html"), "-q"])
        assert result.exit_code == 0, result.output


def test_a_report_to_stdout_is_written_there(run_dir: Path, tmp_path: Path) -> None:
    """`report -o -` wrote a file named `-`, and `-o /dev/stdout` into a pipe never ended: the
    check that the output is no file of the run read from stdout. A report goes to stdout for
    both, and over an empty file (a shell's `> report.html`) as over an earlier report."""
    import subprocess
    import sys

    for output in ("-", "/dev/stdout"):
        done = subprocess.run([sys.executable, "-m", "cleaner", "report", str(run_dir), "-o", output],
                              capture_output=True, cwd=tmp_path, timeout=120)
        assert done.returncode == 0, done.stderr
        assert REPORT_MARK in done.stdout and done.stdout.rstrip().endswith(b"</html>")
        assert "written to <stdout>" in done.stderr.decode()
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "r.html").touch()
    result = CliRunner().invoke(cli, ["report", str(run_dir), "-o", str(tmp_path / "r.html"), "-q"])
    assert result.exit_code == 0, result.output
    assert REPORT_MARK in (tmp_path / "r.html").read_bytes()
