"""Dataset records through a pipe: stdin in, stdout out, the same bytes as a run over files."""

from __future__ import annotations

import gzip
import json
import subprocess
import sys
from pathlib import Path

import pytest

from .test_datasets import run, seed_records, write_jsonl


def cleaner(*args: str, data: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "cleaner", "clean", *args], input=data,
                          capture_output=True, timeout=300)


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, bytes]:
    """A JSONL of 30 records (two too short for --min-chars 300) and the output of a file run."""
    tmp = tmp_path_factory.mktemp("streams")
    records = [*seed_records(28), {"id": "short-1", "text": "Kurz."}, {"id": "short-2", "text": "Auch kurz."}]
    src = write_jsonl(tmp / "in.jsonl", records)
    # (without worker processes: the bytes do not depend on the workers; the runs through pipes
    # below are commands of their own, with one worker and with two)
    result = run("clean", str(src), "-o", str(tmp / "ref.jsonl"), "--no-language", "--chunk-size", "8",
                 "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    return src, (tmp / "ref.jsonl").read_bytes()


def test_stdin_to_stdout_gives_the_bytes_of_a_file_run(dataset: tuple[Path, bytes]) -> None:
    src, reference = dataset
    data = src.read_bytes()
    for fmt, given in (("jsonl", data), ("jsonl.gz", gzip.compress(data))):
        for workers in ("1", "2"):
            proc = cleaner("-", "--format", fmt, "--no-language", "--chunk-size", "8", "--workers", workers,
                           "-q", data=given)
            assert proc.returncode == 0, proc.stderr.decode()
            assert proc.stdout == reference, (fmt, workers)


def test_a_file_to_stdout_and_stdin_to_a_file(dataset: tuple[Path, bytes], tmp_path: Path) -> None:
    src, reference = dataset
    proc = cleaner(str(src), "--no-language", "--chunk-size", "8", "-q")  # no -o: stdout
    assert proc.returncode == 0, proc.stderr.decode()
    assert proc.stdout == reference
    out, rejected, sidecars = tmp_path / "out.jsonl.gz", tmp_path / "rej.jsonl", tmp_path / "side.jsonl"
    proc = cleaner("-", "--format", "jsonl", "-o", str(out), "--min-chars", "300",
                   "--rejected", str(rejected), "--sidecar", str(sidecars), "--no-language",
                   "--chunk-size", "8", data=src.read_bytes())
    assert proc.returncode == 0, proc.stderr.decode()
    assert b"stdin -> " in proc.stderr and b"rejected 2" in proc.stderr
    written = [json.loads(line) for line in gzip.decompress(out.read_bytes()).splitlines()]
    assert len(written) == 28 and "cleaner" not in written[0]
    assert [json.loads(line)["id"] for line in rejected.read_bytes().splitlines()] == ["short-1", "short-2"]
    assert len(sidecars.read_bytes().splitlines()) == 28
    assert not list(tmp_path.glob("*.part"))


def test_a_reader_that_stops_early_ends_the_run_quietly(dataset: tuple[Path, bytes]) -> None:
    """`cleaner ... | head -1`: the broken pipe stops cleaner with 141, without a traceback."""
    src, _ = dataset
    data = src.read_bytes() * 20
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", "clean", "-", "--format", "jsonl",
                             "--no-language", "--chunk-size", "8", "--workers", "1", "-q"],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None and proc.stderr is not None
    import contextlib
    import threading

    def feed() -> None:
        with contextlib.suppress(BrokenPipeError):  # cleaner stops reading once it has stopped
            proc.stdin.write(data)  # type: ignore[union-attr]
            proc.stdin.close()  # type: ignore[union-attr]

    threading.Thread(target=feed, daemon=True).start()
    assert proc.stdout.readline().startswith(b'{"id":"doc-0"')
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert b"Traceback" not in proc.stderr.read()


@pytest.mark.parametrize(("args", "message"), [
    (["-"], None),  # no --format: stdin is one text document, as before
    (["-", "--format", "parquet"], "need --format jsonl"),
    (["-", "--format", "jsonl", "--resume"], "a pipe cannot be read again"),
    (["-", "--format", "jsonl", "--lang", "de"], "need --rejected FILE"),
    (["-", "--format", "jsonl", "-o", "x.parquet"], "Parquet output is written from a file input"),
])
def test_what_a_pipe_cannot_do_is_a_usage_error(args: list[str], message: str | None, tmp_path: Path) -> None:
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", *args, "--no-language", "-q"],
                          input=b'{"text": "Ein Satz steht hier."}\n', capture_output=True, timeout=120,
                          cwd=tmp_path)
    if message is None:
        assert proc.returncode == 0 and proc.stdout.startswith(b'{"text":')
        return
    assert proc.returncode == 2 and message in proc.stderr.decode(), proc.stderr.decode()


def test_a_directory_of_shards_needs_an_output_directory(tmp_path: Path) -> None:
    (tmp_path / "shards").mkdir()
    write_jsonl(tmp_path / "shards" / "a.jsonl", seed_records(2))
    result = run("clean", str(tmp_path / "shards"), "--no-language")
    assert result.exit_code == 2 and "needs -o DIR" in result.output


def test_learn_reads_records_from_stdin(tmp_path: Path) -> None:
    from .test_datasets import boilerplate_corpus

    corpus, banner, _ = boilerplate_corpus(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "cleaner", "learn", "-", "--format", "jsonl",
                           "--id-key", "url", "-o", str(tmp_path / "piped.json"), "-q"],
                          input=corpus.read_bytes(), capture_output=True, timeout=300)
    assert proc.returncode == 0, proc.stderr.decode()
    result = run("learn", str(corpus), "--id-key", "url", "-o", str(tmp_path / "file.json"), "-q")
    assert result.exit_code == 0, result.output
    piped, filed = (json.loads((tmp_path / f"{name}.json").read_text(encoding="utf-8"))
                    for name in ("piped", "file"))
    assert piped["lines"] == filed["lines"] and piped["documents"] == filed["documents"] == 60
    assert [v["sample"] for v in piped["lines"].values()] == [banner.casefold()]
    proc = subprocess.run([sys.executable, "-m", "cleaner", "learn", "-", "-o", str(tmp_path / "x.json")],
                          input=corpus.read_bytes(), capture_output=True, timeout=120)
    assert proc.returncode == 2 and b"need --format jsonl" in proc.stderr


def test_an_unbuffered_stdout_that_stops_reading_is_not_a_success(dataset: tuple[Path, bytes]) -> None:
    """With PYTHONUNBUFFERED stdout is a raw file whose write may take only part of a chunk
    (what the pipe holds when the reader stops): the rest is written or the run ends with 141,
    never a silent exit 0 with the output cut short."""
    src, _ = dataset
    big = src.parent / "big.jsonl"
    big.write_bytes(src.read_bytes() * 10)  # 300 records, one chunk of several pipe buffers
    proc = subprocess.Popen([sys.executable, "-u", "-m", "cleaner", "clean", str(big), "--no-language",
                             "--chunk-size", "1000", "--workers", "1", "-q"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(100).startswith(b'{"id":"doc-0"')
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert b"Traceback" not in proc.stderr.read()
