"""Dataset runs: formats, parallel determinism, resume after kill -9, rejections, failures, and
the corpus boilerplate model. Small generated data only."""

from __future__ import annotations

import contextlib
import gzip
import json
import os
import random
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner import clean_text
from cleaner.cli import cli
from cleaner.corpus import LearnOptions, learn

from .conftest import FIXTURES, assert_interrupted_quietly, ctrl_c, process_group, seed_names

SEEDS = FIXTURES / "input" / "seeds"
WORDS = (
    "haus baum stadt fluss regierung woche bericht schule wasser markt zeitung projekt abend "
    "garten strasse bahnhof kollege ergebnis sommer winter frage antwort beispiel geschichte"
).split()


def run(*args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def prose(rng: random.Random, sentences: int = 4) -> str:
    """A paragraph of made-up German-looking sentences (distinct per call)."""
    out = []
    for _ in range(sentences):
        words = [rng.choice(WORDS) for _ in range(rng.randint(7, 12))]
        out.append("Der " + " ".join(words) + " ist heute wichtig.")
    return " ".join(out)


def write_jsonl(path: Path, records: list[dict[str, object]]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


def seed_records(n: int = 12) -> list[dict[str, object]]:
    texts = [(SEEDS / f"{name}.txt").read_text(encoding="utf-8") for name in seed_names()]
    return [
        {"id": f"doc-{i}", "meta": {"n": i, "tags": ["a", "b"]}, "text": texts[i % len(texts)]}
        for i in range(n)
    ]


def read_jsonl(path: Path) -> list[dict[str, object]]:
    opener = gzip.open if path.name.endswith(".gz") else open
    with opener(path, "rt", encoding="utf-8") as handle:  # type: ignore[operator]
        return [json.loads(line) for line in handle]


def test_jsonl_round_trip_keeps_other_fields(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(6))
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    out = read_jsonl(tmp_path / "out.jsonl")
    expected = clean_text((SEEDS / f"{seed_names()[0]}.txt").read_text(encoding="utf-8")).text
    assert [r["id"] for r in out] == [f"doc-{i}" for i in range(6)]
    assert out[0]["meta"] == {"n": 0, "tags": ["a", "b"]}
    assert out[0]["text"] == expected
    assert out[0]["cleaner"]["removed"] and out[0]["cleaner"]["language"] == "de"
    assert list(out[0]) == ["id", "meta", "text", "cleaner"]


def test_gzip_round_trip_and_separate_sidecars(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl.gz"
    src.write_bytes(gzip.compress(write_jsonl(tmp_path / "x.jsonl", seed_records(4)).read_bytes()))
    result = run(
        "clean",
        str(src),
        "-o",
        str(tmp_path / "out.jsonl.gz"),
        "--sidecar",
        str(tmp_path / "side.jsonl"),
        "--id-key",
        "id",
        "--workers",
        "1",
        "-q",
    )
    assert result.exit_code == 0, result.output
    out = read_jsonl(tmp_path / "out.jsonl.gz")
    sidecars = read_jsonl(tmp_path / "side.jsonl")
    assert "cleaner" not in out[0] and out[0]["meta"]["n"] == 0
    assert [s["id"] for s in sidecars] == ["doc-0", "doc-1", "doc-2", "doc-3"]
    assert sidecars[0]["removed"]


def test_a_directory_of_shards_with_separate_sidecars_can_be_resumed(tmp_path: Path) -> None:
    """--sidecar names a directory for a directory of shards; the run that made it can be
    resumed or forced (--sidecar refused an existing directory), a single file's cannot."""
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", seed_records(2))
    args = ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--sidecar", str(tmp_path / "side"),
            "--workers", "1", "--no-language", "-q"]
    assert run(*args).exit_code == 0
    for again in ("--resume", "--force"):
        result = run(*args, again)
        assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / "side" / "a.sidecars.jsonl")) == 2
    for src in (tmp_path / "in" / "a.jsonl", SEEDS / f"{seed_names()[0]}.txt"):
        result = run("clean", str(src), "-o", str(tmp_path / "one.jsonl"),
                     "--sidecar", str(tmp_path / "side"))
        assert result.exit_code == 2 and "a directory; give a file" in result.output


def test_parquet_round_trip_keeps_other_fields(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    pq.write_table(pa.Table.from_pylist(seed_records(9)), tmp_path / "in.parquet", row_group_size=4)
    for workers in ("1", "2"):
        result = run(
            "clean",
            str(tmp_path / "in.parquet"),
            "-o",
            str(tmp_path / f"out{workers}.parquet"),
            "--workers",
            workers,
            "--chunk-size",
            "3",
            "-q",
        )
        assert result.exit_code == 0, result.output
    table = pq.read_table(tmp_path / "out1.parquet")
    assert table.column_names == ["id", "meta", "text", "cleaner"]
    rows = table.to_pylist()
    assert rows[4]["meta"] == {"n": 4, "tags": ["a", "b"]}
    assert json.loads(rows[0]["cleaner"])["removed"]
    assert (tmp_path / "out1.parquet").read_bytes() == (tmp_path / "out2.parquet").read_bytes()
    assert not list(tmp_path.glob("*.part")) and not list(tmp_path.glob("*.progress.json"))


def test_parquet_is_read_page_by_page_with_every_row(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parquet input goes through a small buffer, page by page, so that memory does not grow
    with the row group the file's writer chose: a row group of many pages, read through a
    buffer smaller than one of its records, gives every row, from any start (--resume)."""
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    from cleaner.datasets import formats

    rows = [{"id": i, "text": f"Zeile {i} " + "x" * (i * 37 % 3000), "tags": [str(i)] * (i % 3)}
            for i in range(500)]
    path = tmp_path / "one_group.parquet"
    pq.write_table(pa.Table.from_pylist(rows), path, row_group_size=500, data_page_size=4096)
    assert pq.ParquetFile(path).metadata.num_row_groups == 1
    monkeypatch.setattr(formats, "PARQUET_BUFFER_BYTES", 1024)
    for start in (0, 1, 255, 499):
        chunks = list(formats.read_chunks(path, "parquet", start=start, chunk_records=64))
        assert [r for chunk in chunks for r in chunk.items] == rows[start:], start
        assert chunks[-1].position == 500


def test_one_and_two_workers_give_identical_bytes(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(20))
    for workers in ("1", "2"):
        result = run(
            "clean",
            str(src),
            "-o",
            str(tmp_path / f"out{workers}.jsonl"),
            "--workers",
            workers,
            "--chunk-size",
            "3",
            "--no-language",
            "-q",
        )
        assert result.exit_code == 0, result.output
    assert (tmp_path / "out1.jsonl").read_bytes() == (tmp_path / "out2.jsonl").read_bytes()


def test_directory_of_shards_gives_shards_with_the_same_names(tmp_path: Path) -> None:
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "part-0.jsonl", seed_records(2))
    write_jsonl(tmp_path / "in" / "part-1.jsonl", seed_records(3))
    result = run(
        "clean",
        str(tmp_path / "in"),
        "-o",
        str(tmp_path / "out"),
        "--workers",
        "1",
        "--stats",
        str(tmp_path / "stats.json"),
        "--no-language",
        "-q",
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "part-0.jsonl",
        "part-1.jsonl",
    ]
    stats = json.loads((tmp_path / "stats.json").read_text())
    assert stats["documents"] == {"in": 5, "written": 5, "rejected": 0, "failed": 0}


def test_rejected_records_go_to_the_rejected_file_with_their_reason(tmp_path: Path) -> None:
    records = [
        *seed_records(2),
        {"id": "en", "text": "This is an English article about gardens. " * 8},
        {"id": "short", "text": "Kurz."},
    ]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    result = run(
        "clean",
        str(src),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--lang",
        "de",
        "--min-chars",
        "50",
        "--rejected",
        str(tmp_path / "rej.jsonl"),
        "--stats",
        str(tmp_path / "s.json"),
        "--workers",
        "1",
    )
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["doc-0", "doc-1"]
    rejected = {r["id"]: r["cleaner_rejected"] for r in read_jsonl(tmp_path / "rej.jsonl")}
    assert rejected["en"]["reason"] == "language" and "en" in rejected["en"]["detail"]
    assert rejected["short"]["reason"] in ("too_short", "language")
    stats = json.loads((tmp_path / "s.json").read_text())
    assert stats["documents"] == {"in": 4, "written": 2, "rejected": 2, "failed": 0}
    assert "rejected" in result.output  # the summary


def test_bad_records_fail_one_by_one_with_their_line(tmp_path: Path) -> None:
    src = tmp_path / "in.jsonl"
    good = json.dumps(seed_records(1)[0], ensure_ascii=False)
    src.write_text(
        "\n".join([good, "{not json", '{"id": "x", "body": "no text"}', '{"text": 42}', good]) + "\n",
        encoding="utf-8",
    )
    result = run(
        "clean",
        str(src),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--rejected",
        str(tmp_path / "r.jsonl"),
        "--id-key",
        "id",
        "--workers",
        "1",
        "--no-language",
    )
    assert result.exit_code == 1
    assert "line 2: not valid JSON" in result.output
    assert "line 3 (id x): no 'text' field (keys: 'id', 'body')" in result.output
    assert "line 4: 'text' is a number, not a string" in result.output
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 2
    failed = read_jsonl(tmp_path / "r.jsonl")
    assert [f["cleaner_rejected"]["reason"] for f in failed] == [
        "bad_json",
        "missing_text",
        "text_not_string",
    ]
    assert "documents  in 5  written 2  rejected 0  failed 3" in result.output


def test_failures_beyond_those_named_are_told_and_where_to_find_them(tmp_path: Path) -> None:
    """Only the first failures are named on stderr (no flood); the end says how many were not,
    and that --rejected FILE keeps them all (or that they are all in it)."""
    from cleaner.cli_datasets import MAX_REPORTED_FAILURES

    bad = MAX_REPORTED_FAILURES + 23
    src = tmp_path / "in.jsonl"
    good = json.dumps(seed_records(1)[0], ensure_ascii=False)
    src.write_text("\n".join([good] + [f'{{"id": {i}, "body": "no text"}}' for i in range(bad)]) + "\n")
    for rejected in ([], ["--rejected", str(tmp_path / "rej.jsonl")]):
        result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language",
                     "--chunk-size", "16", "--stats", str(tmp_path / "s.json"), "--force", *rejected)
        assert result.exit_code == 1
        failed = json.loads((tmp_path / "s.json").read_text())["documents"]["failed"]
        named = [line for line in result.stderr.splitlines()
                 if line.startswith("cleaner: error: in.jsonl: line")]
        assert failed == bad and len(named) == MAX_REPORTED_FAILURES < failed
        assert f"{failed - len(named)} more failed records were not named above" in result.stderr
        if rejected:
            assert f"every failed record is in {tmp_path / 'rej.jsonl'}" in result.stderr
            assert len(read_jsonl(tmp_path / "rej.jsonl")) == failed
        else:
            assert "run with --rejected FILE to keep every failed record" in result.stderr
        assert len(result.stderr.splitlines()) < MAX_REPORTED_FAILURES + 15  # not one line each


def test_clean_verbose_names_every_failed_record_as_learn_verbose_names_every_skipped_one(
        tmp_path: Path) -> None:
    from cleaner.cli_datasets import MAX_REPORTED_FAILURES

    bad = MAX_REPORTED_FAILURES + 3
    src = write_jsonl(tmp_path / "in.jsonl", [seed_records(1)[0], *({"id": i, "body": "x"} for i in range(bad))])
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language", "-v")
    assert result.exit_code == 1
    named = [line for line in result.stderr.splitlines() if line.startswith("cleaner: error: in.jsonl: line")]
    assert len(named) == bad
    assert "not named" not in result.stderr and "only the first" not in result.stderr
    plain = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language", "--force")
    assert "(only the first 50 are; -v names every one)" in plain.stderr


def test_finished_output_needs_force(tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(2))
    args = ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language", "-q"]
    assert run(*args).exit_code == 0
    again = run(*args)
    assert again.exit_code == 2 and "--force" in again.output
    assert run(*args, "--force").exit_code == 0
    assert run(*args, "--resume").exit_code == 0  # nothing to resume: already finished


def test_resume_of_a_finished_output_says_so_and_shows_no_zeros(tmp_path: Path) -> None:
    """--resume when nothing is left: a clear message, exit 0, never a summary of zeros; the
    counts of the run that finished it when they are kept (the journals of a shard directory)."""
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(3))
    args = ["clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "1", "--no-language"]
    assert run(*args).exit_code == 0
    before = (tmp_path / "out.jsonl").read_bytes()
    again = run(*args, "--resume", "--stats", str(tmp_path / "again.json"))
    assert again.exit_code == 0, again.output
    assert "out.jsonl is already complete: nothing was done" in again.stderr
    assert "documents  in 0" not in again.stderr
    assert not (tmp_path / "again.json").exists()  # no counts to write: never zeros
    assert "--stats" in again.stderr and (tmp_path / "out.jsonl").read_bytes() == before

    (tmp_path / "shards").mkdir()
    write_jsonl(tmp_path / "shards" / "a.jsonl", seed_records(2))
    write_jsonl(tmp_path / "shards" / "b.jsonl", [*seed_records(2), {"id": "bad"}])
    args = ["clean", str(tmp_path / "shards"), "-o", str(tmp_path / "out"), "--workers", "1", "--no-language"]
    first = run(*args, "--stats", str(tmp_path / "first.json"))
    assert first.exit_code == 1  # one record failed
    again = run(*args, "--resume", "--stats", str(tmp_path / "again.json"))
    assert again.exit_code == 0, again.output
    assert "out is already complete: nothing was done" in again.stderr
    counts = json.loads((tmp_path / "first.json").read_text())
    assert json.loads((tmp_path / "again.json").read_text())["documents"] == counts["documents"]
    docs = counts["documents"]
    assert f"documents  in {docs['in']}  written {docs['written']}" in again.stderr
    assert "docs/s" not in again.stderr  # nothing was cleaned in this run


def stopped_before_the_second_shard(tmp_path: Path, *args: str) -> tuple[list[str], bytes]:
    """A directory of two shards a.jsonl and b.jsonl cleaned into out/ with ``args``, then left
    as a kill before b's first chunk leaves it; the command without ``args``, and b's output."""
    (tmp_path / "in").mkdir()
    write_jsonl(tmp_path / "in" / "a.jsonl", seed_records(2))
    write_jsonl(tmp_path / "in" / "b.jsonl", seed_records(3))
    out = tmp_path / "out"
    command = ["clean", str(tmp_path / "in"), "-o", str(out), "--workers", "1", "-q"]
    assert run(*command, *args).exit_code == 0
    finished = (out / "b.jsonl").read_bytes()
    (out / "b.jsonl").unlink()
    (out / ".b.jsonl.progress.json").unlink()
    return command, finished


def test_resume_of_a_shard_directory_with_other_options_is_refused(tmp_path: Path) -> None:
    """A run stopped between two shards (the first finished, the next not started) resumed with
    other options is refused: the finished shard's journal holds its options too, so the
    directory is never left with shards cleaned two ways."""
    command, finished = stopped_before_the_second_shard(tmp_path, "--no-language")
    args, out = [*command, "--no-language"], tmp_path / "out"
    other = run(*args, "--resume", "--min-chars", "100000")
    assert other.exit_code == 2 and "the options differ" in other.output
    assert not (out / "b.jsonl").exists() and not (tmp_path / "out.rejected").exists()
    assert run(*args, "--resume").exit_code == 0
    assert (out / "b.jsonl").read_bytes() == finished


@pytest.mark.parametrize("then, now, differ", [
    (["--min-chars", "100"], ["--min-chars", "200"], ["--min-chars: 100 then, 200 now"]),
    (["--no-language"], ["--disable", "caption.credit", "--timeout", "10"],
     ["--disable: none then, caption.credit now", "--language/--no-language: off then, on now",
      "--timeout: 30.0 then, 10.0 now"]),
    (["--text-key", "text"], ["--text-key", "body", "--chunk-size", "7"],
     ["--text-key: text then, body now", "--chunk-size: 256 then, 7 now"]),
])
def test_a_refused_resume_names_the_options_that_differ(then: list[str], now: list[str], differ: list[str],
                                                        tmp_path: Path) -> None:
    """"the options differ" alone left the user to guess which of a long command line's
    options to put back; the refusal names each one, with its value then and now, and only
    those that differ."""
    rejected = ["--rejected", str(tmp_path / "rej")]
    command, _ = stopped_before_the_second_shard(tmp_path, *rejected, *then)
    out = tmp_path / "out"
    refused = run(*command, *rejected, *now, "--resume")
    assert refused.exit_code == 2
    message = " ".join(refused.output.split())
    named = re.search(r"the options differ from those of the interrupted run \(.*?\): (.*); rerun with the same "
                      r"options, or start over with --force", message)
    assert named is not None, message
    assert named.group(1).split("; ") == differ
    assert not (out / "b.jsonl").exists()


def test_a_journal_that_kept_no_options_is_still_refused_without_names(tmp_path: Path) -> None:
    """A journal written before the options were kept by name: the refusal stays as it was."""
    command, _ = stopped_before_the_second_shard(tmp_path, "--no-language")
    args = [*command, "--no-language"]
    journal = tmp_path / "out" / ".a.jsonl.progress.json"
    kept = json.loads(journal.read_text())
    assert kept["options"]["--min-chars"] == "0"
    del kept["options"]
    journal.write_text(json.dumps(kept))
    refused = run(*args, "--min-chars", "5", "--rejected", str(tmp_path / "rej"), "--resume")
    assert refused.exit_code == 2
    assert "the options differ from those of the interrupted run" in refused.output
    assert " then, " not in refused.output
    assert run(*args, "--resume").exit_code == 0


#: Enough records that the run is still going when the test kills it after the first chunk.
RESUME_RECORDS = 6000


@pytest.mark.slow
def test_resume_after_kill_loses_and_duplicates_nothing(tmp_path: Path) -> None:
    rng = random.Random(5)
    records = [{"id": i, "text": f"Titel {i}\n\n{prose(rng, 2)}"} for i in range(RESUME_RECORDS)]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out = tmp_path / "out.jsonl"
    args = [
        sys.executable,
        "-m",
        "cleaner",
        "clean",
        str(src),
        "-o",
        str(out),
        "--workers",
        "2",
        "--chunk-size",
        "40",
        "--no-language",
        "-q",
    ]
    proc = subprocess.Popen(args, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    journal = tmp_path / "out.jsonl.progress.json"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and proc.poll() is None:
            if journal.exists() and json.loads(journal.read_text() or "{}").get("records", 0) >= 40:  # the first chunk: kill well before the end
                break
            time.sleep(0.05)
        assert proc.poll() is None, "the run finished before it could be interrupted"
        os.kill(proc.pid, signal.SIGKILL)
    finally:
        proc.kill()
        proc.wait()
    assert not out.exists() and (tmp_path / "out.jsonl.part").exists()
    assert subprocess.run(args, capture_output=True).returncode == 2  # interrupted: needs --resume
    resumed = subprocess.run([*args, "--resume"], capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    ids = [r["id"] for r in read_jsonl(out)]
    assert ids == list(range(RESUME_RECORDS))
    reference = tmp_path / "ref.jsonl"
    result = run(
        "clean", str(src), "-o", str(reference), "--workers", "1", "--chunk-size", "40", "--no-language", "-q"
    )
    assert result.exit_code == 0
    assert out.read_bytes() == reference.read_bytes()
    assert not journal.exists() and not (tmp_path / "out.jsonl.part").exists()


#: Records of the Ctrl-C test: the run must still be going a second after its first chunks. (3,000
#: were cleaned in 1.5 s in a fast spell of the 2-core machine, the parent writing the journal of
#: most of them at once at the end, and the resumed run was over before the test saw 60 records.)
INTERRUPT_RECORDS = 12_000


def _journal_records(journal: Path) -> int | None:
    try:
        return int(json.loads(journal.read_text())["records"])
    except (OSError, ValueError, KeyError):
        return None


@pytest.mark.slow
def test_ctrl_c_with_worker_processes_is_quiet_and_resumes(tmp_path: Path) -> None:
    """Ctrl-C on a terminal sends SIGINT to the whole process group, workers included: one
    short message from the parent, exit 130, no traceback (a worker starting up, idle or busy),
    no worker left behind, and --resume then gives the bytes of an uninterrupted run."""
    rng = random.Random(11)
    records = [{"id": i, "text": f"Titel {i}\n\n{prose(rng, 2)}"} for i in range(INTERRUPT_RECORDS)]
    src = write_jsonl(tmp_path / "in.jsonl", records)
    out, reference = tmp_path / "out.jsonl", tmp_path / "ref.jsonl"
    base = [sys.executable, "-m", "cleaner", "clean", str(src), "--workers", "2", "--chunk-size", "20",
            "--no-language"]
    # the uninterrupted run, in this process (the bytes do not depend on the workers)
    done = run("clean", str(src), "--workers", "1", "--chunk-size", "20", "--no-language", "-o", str(reference),
               "-q")
    assert done.exit_code == 0, done.output
    journal = tmp_path / "out.jsonl.progress.json"
    # first while the workers start (the journal is written just before they are), then while
    # they clean (a resumed run, a few chunks in)
    for extra, ready in (([], lambda n: n is not None), (["--resume"], lambda n: n is not None and n >= 60)):
        proc = subprocess.Popen([*base, "-o", str(out), *extra], stdout=subprocess.DEVNULL,
                                stderr=subprocess.PIPE, start_new_session=True)
        try:
            deadline = time.monotonic() + 60
            while proc.poll() is None and not ready(_journal_records(journal)):
                assert time.monotonic() < deadline, "the run did not start"
                time.sleep(0.02)
            time.sleep(0.3 if not extra else 0)
            assert proc.poll() is None, "the run ended before it could be interrupted"
            os.killpg(proc.pid, signal.SIGINT)  # what Ctrl-C does
            stderr = proc.communicate(timeout=60)[1].decode()
            deadline = time.monotonic() + 10
            while time.monotonic() < deadline:  # the workers end with the parent
                try:
                    os.killpg(proc.pid, 0)
                except ProcessLookupError:
                    break
                time.sleep(0.05)
            else:
                raise AssertionError("a worker process outlived the interrupted run")
        finally:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        assert proc.returncode == 130, stderr
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, stderr
        assert [line for line in stderr.splitlines() if line.strip()] == [
            "cleaner: interrupted; continue with the same command and --resume"]
        assert _journal_records(journal) < INTERRUPT_RECORDS and not out.exists()
    resumed = subprocess.run([*base, "-o", str(out), "--resume", "-q"], capture_output=True)
    assert resumed.returncode == 0, resumed.stderr
    assert out.read_bytes() == reference.read_bytes()


@pytest.mark.slow
@pytest.mark.parametrize("workers", ["1", "2"])
def test_ctrl_c_in_learn_is_quiet_and_writes_no_model(workers: str, tmp_path: Path) -> None:
    """As for a dataset run: one line, exit 130, no traceback, no model and no temporary file.
    The corpus comes through a pipe left open, so the run is surely in the middle of learning
    (it has read what the pipe could not hold) and cannot end before the signal."""
    rng = random.Random(5)
    data = "".join(json.dumps({"id": i, "text": f"Titel {i}\n\n{prose(rng, 2)}\n\nJetzt anmelden und sparen"})
                   + "\n" for i in range(4000)).encode()
    model = tmp_path / "model.json"
    cmd = [sys.executable, "-m", "cleaner", "learn", "-", "--format", "jsonl", "-o", str(model), "--workers", workers]
    with process_group(cmd, stdin=subprocess.PIPE, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                       cwd=tmp_path, env={**os.environ, "TMPDIR": str(tmp_path)}) as proc:
        assert proc.stdin is not None
        proc.stdin.write(data)  # returns once the run has read all but what the pipe holds
        proc.stdin.flush()
        assert proc.poll() is None
        stderr = ctrl_c(proc)
    assert_interrupted_quietly(proc, stderr, f"cleaner: interrupted; no model written to {model}")
    assert list(tmp_path.iterdir()) == []  # no model, no temporary file


def _write_then_wait(task: tuple[str, float], _spec: object) -> str:
    """A task that leaves a file half written for as long as it runs (as a worker writing an
    output does), in a worker process."""
    path, seconds = task
    Path(path).write_text("half")
    time.sleep(seconds)
    Path(path).unlink()
    return path


def test_closing_the_pool_with_work_in_flight_does_not_wait_for_it(tmp_path: Path) -> None:
    """After Ctrl-C (or an error) the pool stops at once: its workers are terminated, not
    waited for, and what the tasks cut short left behind is cleaned up by ``lost``."""
    from cleaner import CleanConfig
    from cleaner.datasets.runner import PoolExecutor

    executor = PoolExecutor(2, CleanConfig(detect_language=False), warm=False)
    tasks = [(str(tmp_path / f"{i}.part"), 0.0 if i == 0 else 60.0) for i in range(6)]
    lost: list[str] = []

    def cleanup(task: tuple[str, float]) -> None:
        lost.append(task[0])
        Path(task[0]).unlink(missing_ok=True)

    results = executor.map_tasks(_write_then_wait, tasks, None, lambda *a: None,  # type: ignore[arg-type]
                                 cleanup)
    assert next(results) == tasks[0][0]
    deadline = time.monotonic() + 30
    while len(list(tmp_path.glob("*.part"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)  # both workers are in a task that would take a minute
    processes = list(executor.pool._processes.values())
    started = time.monotonic()
    executor.close()
    assert time.monotonic() - started < 10
    assert not any(p.is_alive() for p in processes)
    assert not list(tmp_path.glob("*.part")) and len(lost) >= 2


def _wait(task: tuple[str, float], _spec: object) -> str:
    time.sleep(task[1])
    return task[0]


def test_ctrl_c_as_a_worker_starts_leaves_no_worker_behind(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A worker starts with Ctrl-C held back; one that came meanwhile is raised as its start
    ends, before the pool has recorded the process. Closing the executor must stop that
    worker too: left running, it kept the pool's task pipe open and took tasks, and the run
    hung in the pool's shutdown or at exit."""
    from cleaner import CleanConfig
    from cleaner.datasets.quiet_workers import QuietProcess
    from cleaner.datasets.runner import PoolExecutor

    started: list[QuietProcess] = []
    start = QuietProcess.start

    def start_then_ctrl_c(self: QuietProcess) -> None:
        start(self)
        started.append(self)
        if len(started) == 2:
            raise KeyboardInterrupt  # (as the signal held back during the start is delivered)

    monkeypatch.setattr(QuietProcess, "start", start_then_ctrl_c)
    executor = PoolExecutor(2, CleanConfig(detect_language=False), warm=False)
    try:
        with pytest.raises(KeyboardInterrupt):
            next(executor.map_tasks(_wait, [("a", 60.0), ("b", 60.0), ("c", 60.0)], None,
                                    lambda *a: None))  # type: ignore[arg-type]
        time.sleep(2)  # both workers take a task
        executor.close()
        for process in started:
            process.join(10)
        assert len(started) == 2 and not any(p.is_alive() for p in started)
    finally:
        for process in started:
            process.kill()


def test_ctrl_c_while_the_language_profiles_load_stops_the_run(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """With --workers 1 the first record loads the language profiles in this process, under
    langdetect's bare ``except:``: Ctrl-C there became a "Profile format error", the record
    failed as an internal error and the run went on to a finished output."""
    from langdetect.detector_factory import DetectorFactory

    from cleaner import language, warm

    def interrupted(*args: object) -> None:
        raise KeyboardInterrupt

    src = write_jsonl(tmp_path / "in.jsonl", seed_records(3))
    out = tmp_path / "out.jsonl"
    monkeypatch.setattr(DetectorFactory, "add_profile", interrupted)
    language._factory.cache_clear()
    monkeypatch.setattr(warm, "_READY", set())
    try:
        result = run("clean", str(src), "-o", str(out), "--workers", "1", "--lang", "de")
    finally:
        language._factory.cache_clear()
    assert result.exit_code == 130, result.output
    assert "internal error" not in result.output and not out.exists()


def boilerplate_corpus(tmp_path: Path) -> tuple[Path, str, str]:
    """60 documents: an affiliate line injected into 40, a long sentence quoted in 15."""
    rng = random.Random(7)
    banner = "Jetzt bei Beispielshop bestellen und zehn Prozent sparen"
    quote = (
        "Wir werden die Stadt nicht aufgeben, sagte die Bürgermeisterin am Abend vor dem "
        "Rathaus zu den vielen wartenden Menschen."
    )
    records = []
    for i in range(60):
        blocks = [f"Bericht Nummer {i} aus der Stadt", prose(rng)]
        if i % 4 == 0:
            blocks.append(quote)
        blocks.append(prose(rng))
        if i % 3:
            blocks.insert(2, banner)
        records.append({"url": f"https://www.example.org/a/{i}", "text": "\n\n".join(blocks)})
    write_jsonl(tmp_path / "corpus.jsonl", records)
    return tmp_path / "corpus.jsonl", banner, quote


def test_learned_boilerplate_removes_the_injected_line_and_keeps_the_quote(tmp_path: Path) -> None:
    corpus, banner, quote = boilerplate_corpus(tmp_path)
    result = run("learn", str(corpus), "-o", str(tmp_path / "model.json"), "--id-key", "url", "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "model.json").read_text())
    samples = [v["sample"] for v in model["lines"].values()]
    assert samples == [banner.casefold()]
    assert model["thresholds"]["documents_needed"] == 10
    result = run(
        "clean",
        str(corpus),
        "-o",
        str(tmp_path / "out.jsonl"),
        "--boilerplate",
        str(tmp_path / "model.json"),
        "--workers",
        "1",
        "--no-language",
        "-q",
    )
    assert result.exit_code == 0, result.output
    out = read_jsonl(tmp_path / "out.jsonl")
    assert not any(banner in r["text"] for r in out)  # type: ignore[operator]
    assert sum(quote in r["text"] for r in out) == 15  # type: ignore[operator]
    removed = [x for x in out[1]["cleaner"]["removed"] if x["kind"] == "corpus-boilerplate"]  # type: ignore[index]
    assert removed and removed[0]["rules"][0] == "corpus.frequent"


def test_learning_does_not_depend_on_document_order(tmp_path: Path) -> None:
    corpus, _, _ = boilerplate_corpus(tmp_path)
    lines = corpus.read_text(encoding="utf-8").splitlines(keepends=True)
    random.Random(1).shuffle(lines)
    shuffled = tmp_path / "shuffled.jsonl"
    shuffled.write_text("".join(lines), encoding="utf-8")
    first, second = learn(corpus, LearnOptions(id_key="url")), learn(shuffled, LearnOptions(id_key="url"))
    assert first["lines"] == second["lines"] and first["lines"]


def test_learn_from_a_directory_of_text_files(tmp_path: Path) -> None:
    corpus, banner, _ = boilerplate_corpus(tmp_path)
    (tmp_path / "docs").mkdir()
    for i, record in enumerate(read_jsonl(corpus)):
        (tmp_path / "docs" / f"{i:03d}.txt").write_text(str(record["text"]), encoding="utf-8")
    model = learn(tmp_path / "docs", LearnOptions())
    assert [v["sample"] for v in model["lines"].values()] == [banner.casefold()]


def test_dataset_options_are_refused_for_plain_files(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("Ein Satz.\n", encoding="utf-8")
    result = run("clean", str(tmp_path / "a.txt"), "--lang", "de")
    assert result.exit_code == 2 and "only for datasets" in result.output


def test_learn_refuses_record_options_for_a_folder_of_documents(tmp_path: Path) -> None:
    # (--id-key was ignored: every document of the folder counted as of no site, without a word)
    corpus, banner, _ = boilerplate_corpus(tmp_path)
    (tmp_path / "docs").mkdir()
    for i, record in enumerate(read_jsonl(corpus)):
        (tmp_path / "docs" / f"{i:03d}.txt").write_text(str(record["text"]), encoding="utf-8")
    for option in (["--id-key", "url"], ["--text-key", "body"], ["--html-key", "html"]):
        result = run("learn", str(tmp_path / "docs"), "-o", str(tmp_path / "model.json"), *option)
        assert result.exit_code == 2 and f"{option[0]}: only for datasets" in result.output
        assert not (tmp_path / "model.json").exists()
    result = run("learn", str(tmp_path / "docs"), "-o", str(tmp_path / "model.json"), "-q")
    assert result.exit_code == 0 and (tmp_path / "model.json").exists()


def test_missing_dask_or_pyarrow_names_the_extra(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    from cleaner.datasets import formats, runner
    from cleaner.errors import ConfigError

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    monkeypatch.setitem(sys.modules, "distributed", None)
    with pytest.raises(ConfigError, match=r'pip install "cleaner\[parquet\]"'):
        formats.require_pyarrow()
    with pytest.raises(ConfigError, match=r'pip install "cleaner\[dask\]"'):
        runner.DaskExecutor("tcp://127.0.0.1:1")


def test_a_bug_on_one_record_fails_it_alone_and_its_traceback_is_logged(tmp_path: Path, monkeypatch,
                                                                        caplog) -> None:
    """The traceback comes back with the chunk (a worker process has no console of its own)
    and the parent logs it at debug level (-vv)."""
    import logging

    from cleaner.datasets import records

    real = records._clean

    def buggy(text, is_html, where, config):  # type: ignore[no-untyped-def]
        if "(id doc-1)" in where:
            raise RuntimeError("boom")
        return real(text, is_html, where, config)

    monkeypatch.setattr(records, "_clean", buggy)
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(3))
    caplog.set_level(logging.DEBUG, logger="cleaner")
    result = run("clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--id-key", "id", "--workers", "1",
                 "--no-language", "-vv")
    assert result.exit_code == 1
    assert "line 2: internal error (RuntimeError: boom)" in result.output
    assert "Traceback" in caplog.text and 'raise RuntimeError("boom")' in caplog.text
    assert [r["id"] for r in read_jsonl(tmp_path / "out.jsonl")] == ["doc-0", "doc-2"]


def test_learning_in_worker_processes_gives_the_same_model(tmp_path: Path) -> None:
    """The documents are read, extracted and cut in workers; the counts are the parent's."""
    corpus, banner, _ = boilerplate_corpus(tmp_path)
    (tmp_path / "docs" / "sub").mkdir(parents=True)
    for i, record in enumerate(read_jsonl(corpus)):
        text = str(record["text"])
        if i % 3 == 0:  # some pages of HTML, some text files, in two folders
            body = "".join(f"<p>{line}</p>" for line in text.split("\n") if line.strip())
            (tmp_path / "docs" / f"{i:03d}.html").write_text(f"<html><body>{body}</body></html>", encoding="utf-8")
        else:
            (tmp_path / "docs" / ("sub" if i % 2 else ".") / f"{i:03d}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "docs" / "bad.txt").write_bytes(b"\x00\x01binary")  # skipped, in both runs
    for source, extra in ((corpus, ["--id-key", "url"]), (tmp_path / "docs", [])):
        models = []
        for workers in ("1", "2"):
            out = tmp_path / f"model{workers}.json"
            result = run("learn", str(source), "-o", str(out), "--workers", workers, "-q", "--force", *extra)
            assert result.exit_code == 0, result.output
            model = json.loads(out.read_text(encoding="utf-8"))
            models.append({k: model[k] for k in ("documents", "sites", "lines", "thresholds")})
        assert models[0] == models[1]
        assert banner.casefold() in [v["sample"] for v in models[0]["lines"].values()]


# ---- where the outputs go: never over an input, another output or a file of someone else ----

@pytest.mark.parametrize("args", [
    ["-o", "{o}", "--sidecar", "{o}"],
    ["-o", "{o}", "--rejected", "{o}", "--min-chars", "3000"],
    ["-o", "{o}", "--sidecar", "{s}", "--rejected", "{s}", "--min-chars", "3000"],
    ["-o", "{o}", "--stats", "{o}"],
    ["-o", "{o}", "--stats", "{i}"],
    ["-o", "{o}", "--sidecar", "{i}"],
], ids=["output=sidecar", "output=rejected", "sidecar=rejected", "output=stats", "input=stats", "input=sidecar"])
def test_two_outputs_or_an_output_and_the_input_never_share_a_file(args: list[str], tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(4))
    before = src.read_bytes()
    paths = {"i": src, "o": tmp_path / "o.jsonl", "s": tmp_path / "s.jsonl"}
    result = run("clean", str(src), *[a.format(**paths) for a in args])
    assert result.exit_code == 2, result.output
    assert "both name" in result.output or "refusing to overwrite the input" in result.output
    assert src.read_bytes() == before
    assert not paths["o"].exists() and not paths["s"].exists()


@pytest.mark.parametrize("option", ["--sidecar", "--rejected"])
def test_a_file_the_run_did_not_write_is_kept_without_force(option: str, tmp_path: Path) -> None:
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(4))
    precious = tmp_path / "precious.jsonl"
    precious.write_text("mine\n")
    out = tmp_path / "o.jsonl"
    result = run("clean", str(src), "-o", str(out), option, str(precious))
    assert result.exit_code == 2 and "use --force" in result.output
    assert precious.read_text() == "mine\n" and not out.exists()
    assert run("clean", str(src), "-o", str(out), option, str(precious), "--force").exit_code == 0
    assert precious.read_text() != "mine\n"


def test_records_from_stdin_do_not_overwrite_a_file_without_force(tmp_path: Path) -> None:
    out = tmp_path / "kept.jsonl"
    out.write_text("finished output\n")
    data = write_jsonl(tmp_path / "in.jsonl", seed_records(2)).read_bytes()
    result = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl", "-o", str(out)], input=data)
    assert result.exit_code == 2 and "use --force" in result.output
    assert out.read_text() == "finished output\n"
    result = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl", "-o", str(out), "--force"], input=data)
    assert result.exit_code == 0 and len(read_jsonl(out)) == 2


def test_learn_does_not_overwrite_its_corpus(tmp_path: Path) -> None:
    corpus = write_jsonl(tmp_path / "corpus.jsonl", seed_records(4))
    before = corpus.read_bytes()
    result = run("learn", str(corpus), "-o", str(corpus))
    assert result.exit_code == 2 and "refusing to overwrite the corpus" in result.output
    assert corpus.read_bytes() == before


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_truncated_gzip_input_is_named_and_the_records_before_it_are_cleaned(workers: str,
                                                                                tmp_path: Path) -> None:
    records = [{"id": i, "text": prose(random.Random(i))} for i in range(200)]
    whole = gzip.compress(write_jsonl(tmp_path / "all.jsonl", records).read_bytes(), mtime=0)
    cut = whole[: len(whole) * 2 // 3]
    src = tmp_path / "cut.jsonl.gz"
    src.write_bytes(cut)
    result = run("clean", str(src), "-o", str(tmp_path / "o.jsonl"), "--workers", workers, "-q")
    assert result.exit_code == 1
    assert "cut.jsonl.gz: the gzip data is cut off after line" in result.output
    assert not (tmp_path / "o.jsonl").exists()  # a partial output is never taken for a finished one
    piped = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl.gz", "--workers", workers, "-q"], input=cut)
    assert piped.exit_code == 1
    readable = 0
    with gzip.open(src, "rb") as handle:
        try:
            for line in handle:
                readable += line.endswith(b"\n")
        except EOFError:
            pass
    out = [json.loads(line) for line in piped.stdout_bytes.splitlines()]
    assert readable > 0 and len(out) == readable
    assert [r["id"] for r in out] == list(range(readable))
    not_gzip = tmp_path / "plain.jsonl.gz"
    not_gzip.write_text('{"text": "x"}\n')
    result = run("clean", str(not_gzip), "-o", str(tmp_path / "p.jsonl"), "-q")
    assert result.exit_code == 1 and "plain.jsonl.gz: the gzip data is damaged" in result.output


def test_a_shard_directory_with_a_spark_marker_or_a_stray_file(tmp_path: Path) -> None:
    shards = tmp_path / "shards"
    shards.mkdir()
    write_jsonl(shards / "part-00000.jsonl", seed_records(3))
    write_jsonl(shards / "part-00001.jsonl", seed_records(2))
    (shards / "_SUCCESS").write_text("")  # what Spark and Hadoop write beside their shards
    result = run("clean", str(shards), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir() if not p.name.startswith(".")) == [
        "part-00000.jsonl", "part-00001.jsonl"]
    (shards / "README.md").write_text("# about these shards\n")
    result = run("clean", str(shards), "-o", str(tmp_path / "out2"), "-q")
    assert result.exit_code == 2
    assert "holds dataset shards (part-00000.jsonl) and other files (README.md)" in result.output
    assert not (tmp_path / "out2").exists()


def test_shards_in_subdirectories_are_read_with_their_layout(tmp_path: Path) -> None:
    """A partitioned dataset (year=2024/part-0.jsonl): every shard under the directory is
    cleaned into the same place under the output directory, with its --rejected and --sidecar
    files and its journal; Spark's _temporary/ and hidden directories are not data, and an
    output inside the input is not read as input by a later run."""
    src = tmp_path / "in"
    layout = {"part-0.jsonl": 2, "year=2024/part-0.jsonl": 3, "year=2024/month=01/part-1.jsonl": 1,
              "year=2025/part-0.jsonl": 2}
    for rel, n in layout.items():
        (src / rel).parent.mkdir(parents=True, exist_ok=True)
        write_jsonl(src / rel, [*seed_records(n), {"id": f"{rel}-short", "text": "Kurz."}])
    (src / "_SUCCESS").write_text("")
    (src / "_temporary" / "0").mkdir(parents=True)  # Spark, while it writes: not data
    write_jsonl(src / "_temporary" / "0" / "part-9.jsonl", seed_records(1))
    (src / ".cache").mkdir()
    (src / ".cache" / "notes.txt").write_text("not data")
    out = src / "clean"  # inside the input
    args = ["clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "--min-chars", "20",
            "--stats", str(tmp_path / "s.json"), "-q"]
    result = run(*args, "--sidecar", str(tmp_path / "side"))
    assert result.exit_code == 0, result.output
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()
                     and not p.name.startswith("."))
    assert written == sorted(layout)
    for rel, n in layout.items():
        assert [r["id"] for r in read_jsonl(out / rel)] == [f"doc-{i}" for i in range(n)]
        stem = rel.removesuffix(".jsonl")
        rejected = read_jsonl(tmp_path / "in" / "clean.rejected" / f"{stem}.rejected.jsonl")
        assert [r["id"] for r in rejected] == [f"{rel}-short"]
        assert len(read_jsonl(tmp_path / "side" / f"{stem}.sidecars.jsonl")) == n
    stats = json.loads((tmp_path / "s.json").read_text())
    total = sum(layout.values())
    assert stats["documents"] == {"in": total + len(layout), "written": total, "rejected": len(layout),
                                  "failed": 0}
    assert stats["inputs"] == [str(src)] and stats["outputs"] == [str(out)]
    shutil.rmtree(tmp_path / "side")
    again = run(*args[:-1], "--resume")  # the outputs inside the input are not taken for input
    assert again.exit_code == 0 and "already complete" in again.stderr, again.output
    assert run(*args, "--force").exit_code == 0
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*.jsonl")) == sorted(layout)


def test_a_partitioned_dataset_without_top_level_shards_is_a_dataset(tmp_path: Path) -> None:
    """No shard at the top, only in subdirectories: still a dataset (its JSONL files were
    cleaned as plain text documents), and stray files anywhere under it are named."""
    src = tmp_path / "in"
    (src / "lang=de").mkdir(parents=True)
    write_jsonl(src / "lang=de" / "part-0.jsonl", seed_records(2))
    result = run("clean", str(src), "-o", str(tmp_path / "out"), "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / "out" / "lang=de" / "part-0.jsonl")) == 2
    (src / "lang=de" / "README.md").write_text("about")
    result = run("clean", str(src), "-o", str(tmp_path / "out2"), "-q")
    assert result.exit_code == 2
    assert "lang=de/part-0.jsonl" in result.output and "lang=de/README.md" in result.output


def test_a_missing_dataset_is_a_usage_error_as_a_missing_document_is(tmp_path: Path) -> None:
    for name in ("gone.jsonl", "gone.txt"):
        result = run("clean", str(tmp_path / name), "-o", str(tmp_path / f"out-{name}"))
        assert result.exit_code == 2 and f"{name}: no such file or directory" in result.output


def test_a_model_learned_again_is_not_resumed_with(tmp_path: Path) -> None:
    """The job's digest (what --resume compares) covers the boilerplate model's contents, not
    only its path: outputs of two models are never mixed in one file."""
    from cleaner import CleanConfig
    from cleaner.datasets.job import RunOptions, _job_digest, plan_shards, record_spec

    corpus, _, _ = boilerplate_corpus(tmp_path)
    model = tmp_path / "model.json"
    assert run("learn", str(corpus), "-o", str(model), "--min-docs", "5", "-q").exit_code == 0
    src = write_jsonl(tmp_path / "in.jsonl", seed_records(2))
    shard = plan_shards(src, tmp_path / "out.jsonl", None, None, None)[0]
    config, options = CleanConfig(boilerplate_model=str(model)), RunOptions()
    before = _job_digest(shard, record_spec(shard, config, options), options)
    assert _job_digest(shard, record_spec(shard, config, options), options) == before
    learned = json.loads(model.read_text())
    learned["lines"] = {}
    model.write_text(json.dumps(learned))
    assert _job_digest(shard, record_spec(shard, config, options), options) != before


def test_learn_never_writes_its_model_over_a_document_of_the_corpus(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    for i in range(12):
        (tmp_path / "docs" / f"{i:02d}.txt").write_text(f"Article {i} has its own words.\n\nShare this article\n")
    before = (tmp_path / "docs" / "03.txt").read_bytes()
    result = run("learn", str(tmp_path / "docs"), "-o", str(tmp_path / "docs" / "03.txt"), "-q")
    assert result.exit_code == 2, result.output
    assert "a document of the corpus" in result.output
    assert (tmp_path / "docs" / "03.txt").read_bytes() == before
    # a model of an earlier run inside the corpus may be written again (with --force)
    for again in ([], ["--force"]):
        result = run("learn", str(tmp_path / "docs"), "-o", str(tmp_path / "docs" / "model.json"), "-q", *again)
        assert result.exit_code == 0, result.output


def test_learn_reads_a_page_saved_as_txt_as_html_like_clean_does(tmp_path: Path) -> None:
    """`cleaner clean` takes a file that is clearly HTML as a page whatever its name; learn
    read it as text (its lines were tag soup), so the model missed the page's banner."""
    (tmp_path / "docs").mkdir()
    for i in range(12):
        (tmp_path / "docs" / f"{i:02d}.txt").write_text(
            f"<!DOCTYPE html><html><head><title>Page {i}</title></head><body><article><h1>Page {i}</h1>"
            f"<p>This is article number {i} with its own content about topic {i} and enough words.</p>"
            "<p>Acme Corp brings you the Weekly Gazette</p>"
            f"<p>Another paragraph about item {i}, different in every document, with enough words.</p>"
            "</article></body></html>", encoding="utf-8")
    result = run("learn", str(tmp_path / "docs"), "-o", str(tmp_path / "model.json"), "-q")
    assert result.exit_code == 0, result.output
    samples = [v["sample"] for v in json.loads((tmp_path / "model.json").read_text())["lines"].values()]
    assert "acme corp brings you the weekly gazette" in samples
    assert not any("<" in s for s in samples)


def test_one_dataset_file_into_a_directory_keeps_its_name(tmp_path: Path) -> None:
    """`-o out/` (a trailing slash) wrote a file named "out"; an existing directory was a usage
    error. The output now keeps the input's name in the directory, as a document's `clean -o`
    and `cp` do, with its default rejected file and journal beside it; records from stdin, which
    have no name, into one are a usage error."""
    source = write_jsonl(tmp_path / "data.jsonl", seed_records(3))
    reference = tmp_path / "reference.jsonl"
    assert run("clean", str(source), "-o", str(reference), "--workers", "1", "--no-language", "-q").exit_code == 0
    result = run("clean", str(source), "-o", f"{tmp_path / 'out'}/", "--workers", "1", "--no-language",
                 "--min-chars", "1", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out").is_dir()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["data.jsonl", "data.rejected.jsonl"]
    assert (tmp_path / "out" / "data.jsonl").read_bytes() == reference.read_bytes()
    (tmp_path / "there").mkdir()  # an existing directory, without the slash: the same
    result = run("clean", str(source), "-o", str(tmp_path / "there"), "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "there" / "data.jsonl").read_bytes() == reference.read_bytes()
    result = run("clean", str(source), "-o", str(tmp_path / "there"), "--no-language", "-q", "--resume")
    assert result.exit_code == 0 and "already complete" in result.output
    result = CliRunner().invoke(cli, ["clean", "-", "--format", "jsonl", "-o", f"{tmp_path / 'new'}/"],
                                input=source.read_text())
    assert result.exit_code == 2 and "names a directory; records from stdin go to a file" in result.output
    assert not (tmp_path / "new").exists()
    result = run("clean", str(source), "-o", f"{reference}/")
    assert result.exit_code == 2 and f"names a directory, but {reference} is a file" in result.output


def test_a_rejected_or_sidecar_file_named_with_a_trailing_slash_is_a_usage_error(tmp_path: Path) -> None:
    """`--rejected rej/` or `--sidecar s/` for one input wrote a file named "rej" or "s": the
    slash, the one sign that a directory was meant, was dropped. For one input these are files:
    a usage error before anything is written. For a directory of shards they are directories."""
    source = write_jsonl(tmp_path / "data.jsonl", seed_records(3))
    for flag in ("--rejected", "--sidecar"):
        result = run("clean", str(source), "-o", str(tmp_path / "out.jsonl"), "--no-language", "--min-chars",
                     "100000", flag, f"{tmp_path / 'named'}/")
        assert result.exit_code == 2, result.output
        assert f"{flag} {tmp_path / 'named'}/: names a directory (a trailing /); give a file" in result.output
        assert not (tmp_path / "named").exists() and not (tmp_path / "out.jsonl").exists()
    shards = tmp_path / "shards"
    shards.mkdir()
    shutil.copy(source, shards / "a.jsonl")
    result = run("clean", str(shards), "-o", str(tmp_path / "clean"), "--no-language", "--min-chars", "100000",
                 "--rejected", f"{tmp_path / 'rejects'}/", "-q")
    assert result.exit_code == 0, result.output
    assert [r["id"] for r in read_jsonl(tmp_path / "rejects" / "a.rejected.jsonl")] == ["doc-0", "doc-1", "doc-2"]


def test_a_stats_file_that_cannot_be_written_is_one_line_and_exit_1(tmp_path: Path) -> None:
    """`--stats` is written after the whole run; one that could not be (a file in the way of its
    directory, a full disk) ended the run with a traceback. The outputs stay written."""
    source = write_jsonl(tmp_path / "data.jsonl", seed_records(3))
    (tmp_path / "file").write_text("in the way", encoding="utf-8")
    stats = tmp_path / "file" / "stats.json"
    out = tmp_path / "out.jsonl"
    # (in this process: an exception out of the command fails the test as its traceback would)
    done = run("clean", str(source), "-o", str(out), "--no-language", "--stats", str(stats), "-q")
    assert done.exit_code == 1, done.output
    assert done.stderr.startswith(f"cleaner: error: cannot write --stats {stats}: ") and "Traceback" not in done.stderr
    assert len(read_jsonl(out)) == 3
    again = run("clean", str(source), "-o", str(out), "--no-language", "--resume", "--stats", str(stats), "-q")
    assert again.exit_code in (0, 1) and "Traceback" not in again.stderr


def test_learn_writes_its_model_to_stdout_for_a_dash(tmp_path: Path) -> None:
    """`cleaner learn ... -o -` wrote a file named "-"; the model goes to stdout, as `-` means
    for every other output of the command line."""
    source = write_jsonl(tmp_path / "data.jsonl", seed_records(12))
    done = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(source), "-o", "-", "-q"],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    model = json.loads(done.stdout)
    assert model["kind"] == "cleaner-boilerplate-model" and model["documents"] == 12
    assert not (tmp_path / "-").exists()
    written = tmp_path / "model.json"
    assert run("learn", str(source), "-o", str(written), "-q").exit_code == 0
    assert written.read_text(encoding="utf-8") == done.stdout


def test_learn_names_the_first_50_skipped_documents_and_counts_the_rest(tmp_path: Path) -> None:
    """Each record `learn` could not read was a warning line of its own: a wrong `--text-key` on
    a corpus of millions flooded stderr. The first 50 are named, the rest counted in one line."""
    from cleaner.corpus import MAX_NAMED_SKIPS

    records = [*({"id": f"bad-{i}", "body": "x"} for i in range(MAX_NAMED_SKIPS + 10)), *seed_records(12)]
    source = write_jsonl(tmp_path / "data.jsonl", records)
    done = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(source), "-o", str(tmp_path / "m.json")],
                          capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    lines = done.stderr.splitlines()
    assert sum(": skipped: line " in line for line in lines) == MAX_NAMED_SKIPS
    assert f"cleaner: WARNING: 10 more documents skipped ({MAX_NAMED_SKIPS + 10} in all; -v names every one)" \
        in lines
    assert json.loads((tmp_path / "m.json").read_text(encoding="utf-8"))["documents"] == 12


def test_dataset_outputs_that_are_devices_or_named_pipes_are_written_into(tmp_path: Path) -> None:
    """A dataset run renamed its finished outputs over their targets: `--rejected /dev/null` (to
    drop the rejects) put a regular file in the device's place (as root: /dev/null itself; here
    a link to it), `-o` onto a named pipe replaced the pipe, its reader waiting for ever, and
    `-o /dev/stdout` with stdout sent to a file replaced the link. Such outputs are now written
    into as the run goes, with nothing beside them, and `--resume` with one is refused."""
    import stat
    import threading

    source = write_jsonl(tmp_path / "data.jsonl", [*seed_records(3), {"id": "short", "text": "Kurz."}])
    ref_all, ref_kept = tmp_path / "ref" / "all.jsonl", tmp_path / "ref" / "kept.jsonl"
    common = ["--workers", "1", "--no-language", "-q"]
    assert run("clean", str(source), "-o", str(ref_all), *common).exit_code == 0
    assert run("clean", str(source), "-o", str(ref_kept), "--min-chars", "20", *common).exit_code == 0
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    before = sorted(p.name for p in tmp_path.iterdir())

    def unchanged() -> None:
        assert null.is_symlink() and os.readlink(null) == "/dev/null"
        assert sorted(p.name for p in tmp_path.iterdir()) == before  # (no null.part, no journal)

    result = run("clean", str(source), "-o", str(tmp_path / "out.jsonl"), "--rejected", str(null),
                 "--min-chars", "20", *common)
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out.jsonl").read_bytes() == ref_kept.read_bytes()
    (tmp_path / "out.jsonl").unlink()
    unchanged()
    result = run("clean", str(source), "-o", str(null), "--sidecar", str(null), "--stats", str(null), *common)
    assert result.exit_code == 0, result.output
    unchanged()
    result = run("clean", str(source), "-o", str(tmp_path / "out.jsonl"), "--rejected", str(null),
                 "--min-chars", "20", "--resume", *common)
    assert result.exit_code == 2 and f"--resume: --rejected {null} is a device or a named pipe" in result.output
    unchanged()

    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    received: list[bytes] = []
    reader = threading.Thread(target=lambda: received.append(pipe.read_bytes()), daemon=True)
    reader.start()
    try:
        result = run("clean", str(source), "-o", str(pipe), *common)
    finally:
        if reader.is_alive():  # (nothing opened the pipe to write: let the reader go)
            with contextlib.suppress(OSError):
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))
        reader.join(10)
    assert result.exit_code == 0, result.output
    assert received == [ref_all.read_bytes()]
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)

    link = tmp_path / "stdout"  # /dev/stdout itself is such a link: not replaced in a test
    link.symlink_to("/proc/self/fd/1")
    with (tmp_path / "captured.jsonl").open("wb") as captured:
        proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(link), *common],
                              stdout=captured, stderr=subprocess.PIPE, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert link.is_symlink() and os.readlink(link) == "/proc/self/fd/1"
    assert (tmp_path / "captured.jsonl").read_bytes() == ref_all.read_bytes()


@pytest.mark.parametrize("id_key, lacking", [("id", 3), ("uid", 8)])
def test_records_without_the_id_key_are_cleaned_counted_and_warned_of_once(tmp_path: Path, id_key: str,
                                                                          lacking: int) -> None:
    """An --id-key that some or none of the records have was silently ignored (a misspelt key
    too): one warning for the run, the count in the summary and in --stats; the records are
    cleaned as the others, and a failed one is named by its line."""
    records = seed_records(8)
    for i in (1, 4):
        del records[i]["id"]
    records[6]["id"] = None
    records[4]["text"] = 7  # fails (text_not_string): named by its line only
    source = write_jsonl(tmp_path / "data.jsonl", records)
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(tmp_path / "out.jsonl"),
                           "--id-key", id_key, "--stats", str(tmp_path / "stats.json"), "--no-language",
                           "--chunk-size", "2", "--workers", "1"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 1, done.stderr  # (the one record whose text is a number)
    warnings = [line for line in done.stderr.splitlines() if f"--id-key {id_key}:" in line]
    assert len(warnings) == 1 and warnings[0].startswith("cleaner: WARNING: "), done.stderr
    assert ("no record has this field" in warnings[0]) == (lacking == 8)
    assert f"{lacking} records lack the --id-key field" in done.stderr
    assert "line 5: " in done.stderr and "line 5 (id" not in done.stderr
    assert json.loads((tmp_path / "stats.json").read_text(encoding="utf-8"))["without_id"] == lacking
    assert len(read_jsonl(tmp_path / "out.jsonl")) == 7
    done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(source), "-o", str(tmp_path / "out.jsonl"),
                           "--id-key", id_key, "--no-language", "--force", "-q"], capture_output=True, text=True,
                          timeout=120)
    assert "WARNING" not in done.stderr  # -q: errors only


@pytest.mark.parametrize("output", ["clean.jsonl", "clean.parquet", "clean.jsonl.gz"])
def test_a_directory_of_shards_into_a_file_name_is_a_usage_error(tmp_path: Path, output: str) -> None:
    """`clean shards/ -o clean.jsonl` made a directory clean.jsonl/ of shards without a word
    (one file of all the records is what the name asks for); as for documents, a directory it
    is when it is one already or when the name ends in a slash."""
    (tmp_path / "shards").mkdir()
    write_jsonl(tmp_path / "shards" / "a.jsonl", seed_records(2))
    result = run("clean", str(tmp_path / "shards"), "-o", str(tmp_path / output), "--no-language", "-q")
    assert result.exit_code == 2, result.output
    assert "-o DIR" in result.output and not (tmp_path / output).exists()
    result = run("clean", str(tmp_path / "shards"), "-o", f"{tmp_path / output}/", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / output / "a.jsonl")) == 2
