"""Inputs read once: a folder is walked once by a directory run (planning and cleaning share
the walk), a Parquet shard's footer (its schema) is read once per run. The real commands; the
operating system's directory listing and pyarrow's file opening are only watched."""

from __future__ import annotations

import json
import os
import sys
from collections import Counter
from pathlib import Path

import pytest

from .test_datasets import read_jsonl, run, seed_records, write_jsonl


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each directory was listed (os.scandir, which os.walk and pathlib use too)."""
    listed: Counter[str] = Counter()
    real_scandir = os.scandir

    def scandir(path: object = ".") -> object:
        listed[os.path.realpath(os.fspath(path))] += 1  # type: ignore[call-overload]
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", scandir)
    return listed


def _documents(root: Path) -> list[str]:
    directories = [root, root / "a", root / "a" / "b", root / "_c"]
    for i, directory in enumerate(directories):
        directory.mkdir(parents=True, exist_ok=True)
        for n in range(3):
            (directory / f"{n}.txt").write_text(f"Article {i}-{n} says something of its own.\n\n"
                                                "Share this article\n", encoding="utf-8")
    return [os.path.realpath(d) for d in directories]


def test_a_folder_of_documents_is_walked_once_by_a_directory_run(tmp_path: Path, scans: Counter[str]) -> None:
    """Whether it holds dataset shards, and which documents it holds, from one walk."""
    directories = _documents(tmp_path / "in")
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1",
                 "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert len(list((tmp_path / "out").rglob("*.txt"))) == 12
    assert {d: scans[d] for d in directories} == {d: 1 for d in directories}


def test_a_directory_of_shards_is_walked_once(tmp_path: Path, scans: Counter[str]) -> None:
    (tmp_path / "in" / "year=2024").mkdir(parents=True)
    write_jsonl(tmp_path / "in" / "a.jsonl", seed_records(2))
    write_jsonl(tmp_path / "in" / "year=2024" / "b.jsonl", seed_records(2))
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--workers", "1",
                 "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert len(read_jsonl(tmp_path / "out" / "year=2024" / "b.jsonl")) == 2
    for directory in (tmp_path / "in", tmp_path / "in" / "year=2024"):
        assert scans[os.path.realpath(directory)] == 1


@pytest.mark.parametrize("shards", [False, True])
def test_learn_walks_a_folder_once(shards: bool, tmp_path: Path, scans: Counter[str]) -> None:
    """learn walked a folder three times (its size, shards or not, its documents), then a
    folder of documents twice (to size it, then to read it); now once, either kind (see
    corpus.corpus_files), and it reads every document it sized."""
    if shards:
        (tmp_path / "in" / "a").mkdir(parents=True)
        write_jsonl(tmp_path / "in" / "x.jsonl", seed_records(2))
        write_jsonl(tmp_path / "in" / "a" / "y.jsonl", seed_records(2))
        directories = [os.path.realpath(tmp_path / "in"), os.path.realpath(tmp_path / "in" / "a")]
    else:
        directories = _documents(tmp_path / "in")
    result = run("learn", str(tmp_path / "in"), "-o", str(tmp_path / "model.json"), "--workers", "1", "-q")
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "model.json").read_text())["documents"] == (4 if shards else 12)
    assert {d: scans[d] for d in directories} == {d: 1 for d in directories}


@pytest.mark.parametrize("out_name", ["out.parquet", "out.jsonl"])
def test_a_parquet_inputs_footer_is_read_once(out_name: str, tmp_path: Path,
                                              monkeypatch: pytest.MonkeyPatch) -> None:
    """Its rows, its schema (twice: for the output's parts, then to merge them) and the reading
    each opened the input and read its footer again: four reads of a shard into Parquet."""
    pa = pytest.importorskip("pyarrow")
    pq = pytest.importorskip("pyarrow.parquet")
    src = tmp_path / "in.parquet"
    records = seed_records(5)
    pq.write_table(pa.Table.from_pylist([{"id": r["id"], "text": r["text"]} for r in records]), src)
    reads: list[str] = []
    real_file = pq.ParquetFile

    class WatchedFile(real_file):  # type: ignore[misc, valid-type]
        def __init__(self, source: object, *args: object, metadata: object = None, **kwargs: object) -> None:
            named = isinstance(source, str | os.PathLike) and os.fspath(source) == str(src)
            if metadata is None and (named or isinstance(source, pa.NativeFile)):  # (read_metadata opens it)
                reads.append("footer")
            super().__init__(source, *args, metadata=metadata, **kwargs)

    monkeypatch.setattr(pq, "ParquetFile", WatchedFile)
    monkeypatch.setattr(sys.modules["pyarrow.parquet.core"], "ParquetFile", WatchedFile)  # read_metadata's
    out = tmp_path / out_name
    result = run("clean", str(src), "-o", str(out), "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert reads == ["footer"]
    if out_name.endswith(".parquet"):
        table = real_file(out).read()
        assert table.column_names == ["id", "text", "cleaner"] and table.num_rows == 5
    else:
        assert [r["id"] for r in read_jsonl(out)] == [r["id"] for r in records]


def test_learn_reads_the_documents_of_its_one_walk_as_a_walk_gives_them(tmp_path: Path) -> None:
    """The paths the walk kept (in a temporary file, NUL after each) come back as a second walk
    would give them, in its order: names with a newline or bytes that are not UTF-8 too."""
    from cleaner.corpus import LearnOptions, Skipped, corpus_files, iter_sources
    from cleaner.files import iter_inputs

    _documents(tmp_path / "in")
    odd = [tmp_path / "in" / "a" / "new\nline.txt", tmp_path / "in" / os.fsdecode(b"caf\xe9.txt")]
    for path in odd:
        path.write_text("Ein Satz mit Inhalt.\n", encoding="utf-8")
    files = corpus_files(tmp_path / "in", LearnOptions())
    read = [source[1] for source in iter_sources(tmp_path / "in", LearnOptions(), Skipped(), files)]
    assert read == list(iter_inputs(tmp_path / "in")) and len(read) == 14
    assert files.nbytes == sum(p.stat().st_size for p in read)
