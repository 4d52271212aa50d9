from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from cleaner.cli import cli
from cleaner.config import CleanConfig

from .conftest import FIXTURES, assert_interrupted_quietly, ctrl_c, process_group, seed_names

SEEDS = FIXTURES / "input" / "seeds"
EXPECTED = FIXTURES / "expected" / "seeds"


def run(*args: str, input: bytes | str | None = None):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(cli, list(args), input=input, catch_exceptions=False)


def test_directory_mode_gives_the_expected_seeds(tmp_path: Path) -> None:
    result = run("clean", str(SEEDS), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    for name in seed_names():
        assert (tmp_path / "out" / f"{name}.txt").read_bytes() == (EXPECTED / f"{name}.txt").read_bytes()
        sidecar = json.loads((tmp_path / "out" / f"{name}.json").read_text())
        assert sidecar["source"].endswith(f"{name}.txt")


def test_directory_mode_mirrors_the_tree_and_maps_html(tmp_path: Path) -> None:
    src = tmp_path / "in"
    (src / "x").mkdir(parents=True)
    shutil.copy(SEEDS / f"{seed_names()[0]}.txt", src / "x" / "a.txt")
    (src / "x" / "b.html").write_text(
        "<html><head><title>T</title></head><body><article><p>" + "Ein echter Satz steht hier. " * 20
        + "</p></article></body></html>", encoding="utf-8")
    result = run("clean", str(src), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    for stem in ("a", "b"):
        assert (tmp_path / "out" / "x" / f"{stem}.txt").is_file()
        assert (tmp_path / "out" / "x" / f"{stem}.json").is_file()
    assert "Ein echter Satz" in (tmp_path / "out" / "x" / "b.txt").read_text()


@pytest.mark.parametrize("name", seed_names())
def test_stdin_to_stdout(name: str, tmp_path: Path) -> None:
    sidecar = tmp_path / "s.json"
    result = run("clean", "-", "--sidecar", str(sidecar), input=(SEEDS / f"{name}.txt").read_bytes())
    assert result.exit_code == 0
    assert result.stdout_bytes == (EXPECTED / f"{name}.txt").read_bytes()
    assert json.loads(sidecar.read_text())["language"] == "de"


def test_one_file_to_one_file_writes_text_and_sidecar(tmp_path: Path) -> None:
    name = seed_names()[1]
    result = run("clean", str(SEEDS / f"{name}.txt"), "-o", str(tmp_path / "out.txt"))
    assert result.exit_code == 0
    assert (tmp_path / "out.txt").read_bytes() == (EXPECTED / f"{name}.txt").read_bytes()
    assert json.loads((tmp_path / "out.json").read_text())["date"] == "2025-02"


def test_json_to_one_file_writes_the_json_object(tmp_path: Path) -> None:
    """`--json -o FILE` wrote the plain text to FILE and no sidecar anywhere: the sidecar was lost."""
    name = seed_names()[1]
    result = run("clean", str(SEEDS / f"{name}.txt"), "-o", str(tmp_path / "out.json"), "--json")
    assert result.exit_code == 0, result.output
    written = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert written["text"] == (EXPECTED / f"{name}.txt").read_text(encoding="utf-8")
    assert written["date"] == "2025-02"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.json"]
    stdout = run("clean", str(SEEDS / f"{name}.txt"), "--json").output
    assert json.loads(stdout) == written


def test_refuses_to_overwrite_input(tmp_path: Path) -> None:
    target = tmp_path / "a.txt"
    target.write_text("Some text here.\n")
    result = run("clean", str(target), "-o", str(target))
    assert result.exit_code == 2
    assert target.read_text() == "Some text here.\n"


def test_bad_document_fails_alone(tmp_path: Path) -> None:
    src = tmp_path / "in"
    src.mkdir()
    (src / "good.txt").write_text("A perfectly fine sentence stays here.\n")
    (src / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "bad.txt" in result.stderr and "PNG" in result.stderr
    assert (tmp_path / "out" / "good.txt").read_text() == "A perfectly fine sentence stays here.\n"
    assert not (tmp_path / "out" / "bad.txt").exists()


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("clean", str(SEEDS)).exit_code == 2  # directory without -o
    assert run("clean", "missing-file.txt", "-o", str(tmp_path / "x.txt")).exit_code == 2
    assert run("clean", "-", "--disable", "no.such_rule", input="x").exit_code == 2


def test_disable_and_config_file(tmp_path: Path) -> None:
    text = "Erster Absatz mit einem echten Satz.\n\nElon Musk (Bild: depositphotos.com)\n\nNoch ein Satz.\n"
    assert "Bild" not in run("clean", "-", input=text).stdout
    assert "Bild" in run("clean", "-", "--disable", "caption.credit", input=text).stdout
    config = tmp_path / "cleaner.toml"
    config.write_text('[clean]\ndisabled_rules = ["caption.credit"]\ndetect_language = false\n')
    assert "Bild" in run("clean", "-", "--config", str(config), input=text).stdout
    config.write_text("[clean]\nno_such_setting = 1\n")
    result = run("clean", "-", "--config", str(config), input=text)
    assert result.exit_code == 2 and "no_such_setting" in result.output


@pytest.mark.parametrize("command", [[], ["clean"], ["rules"]])
def test_help_has_examples(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Examples:" in result.output
    assert run(*command, "-h").output == result.output


def test_version() -> None:
    assert "cleaner" in run("--version").output


def test_rules_lists_every_rule() -> None:
    from cleaner.rules.registry import rule_names

    output = run("rules").output
    for name in rule_names():
        assert name in output


def test_real_pipe_through_the_installed_command(tmp_path: Path) -> None:
    name = seed_names()[0]
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--sidecar", str(tmp_path / "s.json")],
                          input=(SEEDS / f"{name}.txt").read_bytes(), capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == (EXPECTED / f"{name}.txt").read_bytes()
    assert proc.stderr == b""


@pytest.mark.parametrize("page", ["<html><body></body></html>",
                                  "<html><body><script>var a = 1;</script></body></html>"],
                         ids=["empty-body", "only-a-script"])
def test_a_page_without_text_gives_empty_text_and_no_trafilatura_warning(page: str, tmp_path: Path) -> None:
    """trafilatura logs "discarding data: None" for such a page; cleaner's fallbacks and its
    sidecar's notes take care of it, so the command prints nothing."""
    (tmp_path / "page.html").write_text(page, encoding="utf-8")
    sidecar = tmp_path / "page.json"
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(tmp_path / "page.html"), "--no-language",
                           "--sidecar", str(sidecar)], capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert proc.stdout == b""
    assert any("trafilatura returned no text" in note for note in json.loads(sidecar.read_text())["notes"])


def test_cleaners_own_warnings_still_show_without_the_trafilatura_one(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_bytes((SEEDS / f"{seed_names()[0]}.txt").read_bytes())
    (docs / "bad.txt").write_bytes(b"\x00\x01binary")
    (docs / "empty.html").write_text("<html><body></body></html>", encoding="utf-8")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(docs), "-o", str(tmp_path / "m.json")],
                          capture_output=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    stderr = proc.stderr.decode()
    assert f"cleaner: WARNING: {docs / 'bad.txt'}: skipped:" in stderr
    assert "discarding data" not in stderr


def test_json_lines_given_as_documents_are_named_with_the_option_that_reads_records(tmp_path: Path) -> None:
    """Spark's ``part-*.json`` shards are JSON lines under a document's name: cleaned as one
    article each (what was asked), with one warning that says how to clean the records."""
    parts = tmp_path / "parts"
    parts.mkdir()
    record = {"id": 1, "text": "Der Rat hat den Haushalt am Montag nach langer Debatte beschlossen."}
    for k in range(3):
        (parts / f"part-0000{k}.json").write_text(json.dumps(record) + "\n" + json.dumps(record) + "\n",
                                                 encoding="utf-8")
    (parts / "notes.json").write_text('{\n  "a": 1\n}\n', encoding="utf-8")  # one JSON document
    (parts / "a.txt").write_text(record["text"] + "\n", encoding="utf-8")
    run = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(parts), "-o", str(tmp_path / "out")],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    warnings = [line for line in run.stderr.splitlines() if "WARNING" in line]
    assert warnings == [f"cleaner: WARNING: {parts / 'part-00000.json'} holds JSON lines (and 2 more .json "
                        "files): each is cleaned as the text of one article; to clean the records give "
                        "--format jsonl"]
    assert (tmp_path / "out" / "part-00002.txt").exists()  # (the documents are still cleaned)
    one = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(parts / "part-00001.json")],
                         capture_output=True, text=True, timeout=120)
    assert one.returncode == 0 and "part-00001.json holds JSON lines: it is cleaned" in one.stderr
    records = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(parts / "part-00001.json"),
                              "--format", "jsonl", "-o", str(tmp_path / "r.jsonl")],
                             capture_output=True, text=True, timeout=120)
    assert records.returncode == 0 and "WARNING" not in records.stderr
    plain = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(parts / "a.txt"), str(parts / "notes.json"),
                            "-o", str(tmp_path / "plain")], capture_output=True, text=True, timeout=120)
    assert plain.returncode == 0 and "WARNING" not in plain.stderr


def test_learn_help_gives_learns_own_exit_codes() -> None:
    """learn skips a document it cannot read and exits 0 (the test above); its --help said
    "1 some documents failed", the exit codes of clean."""
    text = " ".join(run("learn", "--help").output.split())
    assert "some documents failed" not in text
    assert "0 model written (a document that cannot be read is skipped, named on stderr)" in text


@pytest.mark.parametrize("output", ["stdout", "file"])
def test_ctrl_c_on_one_document_is_one_line_and_exit_130(output: str, tmp_path: Path) -> None:
    """As for a dataset or directory run: no traceback, no click "Aborted!", and the line says
    what was written. The document comes through a pipe left open, larger than a pipe holds: once
    it is written, the command is surely reading it, and still is when the signal comes."""
    out = tmp_path / "a.txt"
    cmd = [sys.executable, "-m", "cleaner", "clean", "-", "--no-language", *(["-o", str(out)] if output == "file" else [])]
    with process_group(cmd, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as proc:
        assert proc.stdin is not None
        proc.stdin.write(b"The first paragraph of an article that never ends.\n" * 8000)
        proc.stdin.flush()
        assert proc.poll() is None
        stderr = ctrl_c(proc)
    assert_interrupted_quietly(proc, stderr, "cleaner: interrupted; nothing was written")
    assert list(tmp_path.iterdir()) == []


def test_ctrl_c_while_a_command_starts_is_exit_130_not_aborted(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Ctrl-C while the config and word lists load (before the command's own handling): exit
    130 and one line, not click's "Aborted!" with exit 1, which means that documents failed."""
    import cleaner.cli

    def interrupted_now(*args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cleaner.cli, "build_config", interrupted_now)
    (tmp_path / "a.jsonl").write_text('{"text": "Ein Satz."}\n')
    result = run("clean", str(tmp_path / "a.jsonl"), "-o", str(tmp_path / "b.jsonl"))
    assert result.exit_code == 130, result.output
    assert "cleaner: interrupted" in result.output and "Aborted" not in result.output


def test_the_interrupted_line_is_one_line_in_a_file_and_on_its_own_line_on_a_terminal(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    """"One line": stderr sent to a file or a pipe got a blank line before it as well (the
    newline that ends a terminal's "^C" echo or its progress line)."""
    from cleaner.cli_datasets import interrupted

    assert interrupted("no model written to m.json") == 130
    assert capsys.readouterr().err == "cleaner: interrupted; no model written to m.json\n"
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    interrupted()
    assert capsys.readouterr().err == "\ncleaner: interrupted\n"


def _has_loaded(pid: int, library: str) -> bool:
    """Has process ``pid`` loaded a shared library whose file name holds ``library``?"""
    try:
        return library in Path(f"/proc/{pid}/maps").read_text()
    except OSError:  # (it ended)
        return False


#: Seconds after the package's imports reach the regex module: imports, click's parsing, the
#: config and word lists, the journal, the worker processes starting, then at work.
EARLY_MOMENTS = (0.0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.4, 0.6)


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="needs /proc to see the process start")
@pytest.mark.parametrize("entry", ["console script", "python -m cleaner"])
def test_ctrl_c_in_the_first_moments_of_a_run_is_one_line_and_exit_130(entry: str, tmp_path: Path) -> None:
    """Ctrl-C while the command imports (the regex patterns compile), parses, loads and starts
    its workers: exit 130 and the one line, at each of several moments. It printed a traceback
    from inside an import (exit 1, or death by the signal), or, landing in a ``__del__`` of the
    regex module, was swallowed ("Exception ignored") and the run went on to exit 0. Each
    signal goes once the process is surely in cleaner's own imports (it has loaded the regex C
    module, which only they import), so every moment is the same on any machine."""
    script = Path(sys.executable).parent / "cleaner"
    if entry == "console script" and not script.exists():
        pytest.skip("no console script beside this interpreter")
    command = [str(script)] if entry == "console script" else [sys.executable, "-m", "cleaner"]
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "text": f"Titel {i}\n\nEin echter Satz steht hier. " * 8}) + "\n"
                           for i in range(4000)), encoding="utf-8")
    cmd = [*command, "clean", str(src), "-o", str(tmp_path / "out.jsonl"), "--workers", "2", "--no-language",
           "--force"]
    for moment in EARLY_MOMENTS:
        with process_group(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) as proc:
            deadline = time.monotonic() + 60
            while not _has_loaded(proc.pid, "_regex"):
                assert proc.poll() is None and time.monotonic() < deadline, "the command did not start"
                time.sleep(0.002)
            time.sleep(moment)
            assert proc.poll() is None, "the run ended before it could be interrupted"
            stderr = ctrl_c(proc)
        assert proc.returncode == 130, (moment, stderr)
        assert "Traceback" not in stderr and "KeyboardInterrupt" not in stderr, (moment, stderr)
        assert "Exception ignored" not in stderr and "Aborted" not in stderr, (moment, stderr)
        assert [line for line in stderr.splitlines() if line.strip()] in (
            ["cleaner: interrupted"], ["cleaner: interrupted; continue with the same command and --resume"]
        ), (moment, stderr)


@pytest.mark.skipif(not hasattr(__import__("signal"), "pthread_sigmask"), reason="POSIX signal masks")
def test_ctrl_c_is_held_back_only_in_the_command() -> None:
    """A program that imports cleaner (this test run) keeps Ctrl-C as Python gives it: never
    held back, so KeyboardInterrupt comes where the program is."""
    import signal

    from cleaner import _startup

    assert not _startup.started_as_command()
    _startup.hold_ctrl_c()
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, set())
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler


def test_ctrl_c_inside_a_del_is_raised_where_the_command_can() -> None:
    """Python cannot raise KeyboardInterrupt from a ``__del__``: it printed "Exception ignored"
    and went on, and the command ran to its end and exit 0. The command's unraisable hook notes
    it, silently, and ``raise_if_interrupted`` raises it."""
    import gc

    from cleaner import _startup

    class Dropped:
        def __del__(self) -> None:
            raise KeyboardInterrupt  # what Python does when Ctrl-C comes while __del__ runs

    before = sys.unraisablehook
    try:
        _startup.install_unraisable_hook()
        _startup.raise_if_interrupted()  # nothing came yet
        Dropped()
        gc.collect()
        with pytest.raises(KeyboardInterrupt):
            _startup.raise_if_interrupted()
        _startup.raise_if_interrupted()  # raised once
    finally:
        sys.unraisablehook = before


def _directory_with_everything(src: Path) -> None:
    """Enough files for several batches of workers: articles, pages, a binary file, and two
    inputs whose outputs collide (a.txt and a.html both give a.txt)."""
    (src / "sub").mkdir(parents=True)
    for i, name in enumerate(seed_names() * 6):
        text = (SEEDS / f"{name}.txt").read_text(encoding="utf-8")
        (src / ("sub" if i % 2 else ".") / f"doc{i:02d}.txt").write_text(f"Titel {i}\n\n{text}", encoding="utf-8")
    page = ("<html><head><title>T{n}</title></head><body><nav>Home | News</nav><article><p>"
            + "Ein echter Satz steht hier, Nummer {n}. " * 20 + "</p></article></body></html>")
    for i in range(5):
        (src / f"page{i}.html").write_text(page.format(n=i), encoding="utf-8")
    (src / "a.txt").write_text("A perfectly fine sentence stays here.\n")
    (src / "a.html").write_text(page.format(n="a"), encoding="utf-8")
    (src / "bad.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00binary")


def test_directory_run_in_workers_gives_the_same_files_messages_and_counts(tmp_path: Path) -> None:
    src = tmp_path / "in"
    _directory_with_everything(src)
    runs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        args = ["clean", str(src), "-o", str(out), "--workers", workers,
                "--stats", str(tmp_path / f"stats{workers}.json")]
        if workers == "1":  # the run to compare with, in this process
            result = run(*args)
            returncode, stderr = result.exit_code, result.stderr
        else:  # the command, with its worker processes
            proc = subprocess.run([sys.executable, "-m", "cleaner", *args], capture_output=True, text=True,
                                  timeout=300)
            returncode, stderr = proc.returncode, proc.stderr
        assert returncode == 1, stderr  # the binary file and the collision fail, alone
        stats = json.loads((tmp_path / f"stats{workers}.json").read_text())
        assert stats["workers"] == int(workers)
        files = {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}
        errors = [line.replace(str(out), "OUT") for line in stderr.splitlines()
                  if line.startswith("cleaner: error:")]
        counts = {k: stats[k] for k in ("documents", "failed", "removed", "languages", "chars")}
        runs[workers] = (files, errors, counts)
    assert runs["1"] == runs["2"]
    files, errors, counts = runs["1"]
    assert len(files) == 2 * (len(seed_names()) * 6 + 5 + 1)  # a text and a sidecar each
    assert [e.split(": ")[2].rsplit("/", 1)[-1] for e in errors] == ["a.txt", "bad.txt"]
    assert counts["documents"]["in"] == len(seed_names()) * 6 + 8 and counts["documents"]["failed"] == 2


def test_workers_only_with_several_documents(tmp_path: Path) -> None:
    result = run("clean", str(SEEDS / f"{seed_names()[0]}.txt"), "-o", str(tmp_path / "a.txt"), "--workers", "2")
    assert result.exit_code == 2 and "--workers" in result.output


def test_a_bug_on_one_file_fails_it_alone_and_its_traceback_is_logged(tmp_path: Path, monkeypatch,
                                                                      caplog) -> None:
    """The traceback travels with the outcome (a worker process has no console of its own) and
    the parent logs it at debug level (-vv)."""
    import logging

    from cleaner import file_runs

    real = file_runs.clean_file

    def buggy(path, config):  # type: ignore[no-untyped-def]
        if Path(path).name == "b.txt":
            raise RuntimeError("boom")
        return real(path, config)

    monkeypatch.setattr(file_runs, "clean_file", buggy)
    src = tmp_path / "in"
    src.mkdir()
    for name in ("a.txt", "b.txt", "c.txt"):
        (src / name).write_text("A perfectly fine sentence stays here.\n")
    outcome = file_runs.clean_to(src / "b.txt", tmp_path / "b.txt", tmp_path / "b.json", CleanConfig())
    assert outcome.failure == "internal_error" and "RuntimeError: boom" in (outcome.trace or "")
    caplog.set_level(logging.DEBUG, logger="cleaner")
    result = CliRunner().invoke(cli, ["clean", str(src), "-o", str(tmp_path / "out"), "-vv"])
    assert result.exit_code == 1
    assert "b.txt: internal error (RuntimeError: boom)" in result.stderr
    assert "Traceback" in caplog.text and 'raise RuntimeError("boom")' in caplog.text
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json", "a.txt", "c.json", "c.txt"]


@pytest.mark.parametrize("args", [
    ("-o", "{d}/a.txt"),                       # the sidecar of -o a.txt is a.json: the input
    ("--sidecar", "{d}/a.json"),               # text to stdout, sidecar onto the input
    ("-o", "{d}/b.txt", "--sidecar", "{d}/./a.json"),
])
def test_the_sidecar_never_overwrites_the_input(tmp_path: Path, args: tuple[str, ...]) -> None:
    source = tmp_path / "a.json"  # a text file that happens to end in .json
    source.write_text("Some text here that must stay.\n")
    result = run("clean", str(source), *(a.format(d=tmp_path) for a in args))
    assert result.exit_code == 2, result.output
    assert "refusing to overwrite the input" in result.output
    assert source.read_text() == "Some text here that must stay.\n"


def test_the_sidecar_and_the_text_cannot_be_one_file(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Some text here that must stay.\n")
    result = run("clean", str(source), "-o", str(tmp_path / "c.txt"), "--sidecar", str(tmp_path / "c.txt"))
    assert result.exit_code == 2, result.output
    assert not (tmp_path / "c.txt").exists()


@pytest.mark.parametrize("stats", ["in/x.txt", "out/x.json", "out/x.txt"])
def test_directory_run_stats_is_neither_an_input_nor_an_output(tmp_path: Path, stats: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.txt").write_text("A sentence of the article stays here.\n")
    result = run("clean", str(tmp_path / "in"), "-o", str(tmp_path / "out"), "--stats", str(tmp_path / stats), "-q")
    assert result.exit_code == 2, result.output
    assert "--stats" in result.output
    assert (tmp_path / "in" / "x.txt").read_text() == "A sentence of the article stays here.\n"
    assert not (tmp_path / "out").exists()  # refused before anything is written


def test_one_file_into_an_existing_directory(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("A sentence of the article stays here.\n")
    (tmp_path / "out").mkdir()
    result = run("clean", str(source), "-o", str(tmp_path / "out"), "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "out" / "a.txt").read_text() == "A sentence of the article stays here.\n"
    assert json.loads((tmp_path / "out" / "a.json").read_text())["source"] == str(source)
    result = run("clean", "-", "-o", str(tmp_path / "out"), input="Text from stdin stays.\n")
    assert result.exit_code == 2
    assert "is a directory" in result.output


@pytest.mark.parametrize("model", [
    b"\xff\xfe\x00 not UTF-8",
    b'{"kind": "cleaner-boilerplate-model", "version": 1, "lines": [1, 2]}',
    b'{"kind": "cleaner-boilerplate-model", "version": 1, "lines": {"0123": "text"}}',
    b'{"kind": "cleaner-boilerplate-model", "version": 1, "lines": {"0123": {"documents": "many"}}}',
    b'{"kind": "cleaner-boilerplate-model", "version": 1}',  # would remove nothing, silently
    b'{"kind": "cleaner-boilerplate-model", "version": 1, "lines": {"Jetzt anmelden": {"documents": 9}}}',
])
@pytest.mark.parametrize("command", ["file", "directory", "explain"])
def test_a_damaged_boilerplate_model_is_a_usage_error(tmp_path: Path, model: bytes, command: str) -> None:
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "model.json").write_bytes(model)
    args = {"file": ["clean", str(tmp_path / "in" / "a.txt")],
            "directory": ["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")],
            "explain": ["explain", str(tmp_path / "in" / "a.txt")]}[command]
    result = run(*args, "--boilerplate", str(tmp_path / "model.json"))
    assert result.exit_code == 2, result.output
    assert "boilerplate model" in result.output and "cleaner learn" in result.output
    assert "internal error" not in result.output


def test_cleaning_an_output_directory_again_leaves_the_sidecars_alone(tmp_path: Path) -> None:
    """The sidecars of a run are not documents: a.json must not be cleaned as an article, nor
    claim the output a.txt that belongs to a.txt (idempotence, checked the obvious way)."""
    result = run("clean", str(SEEDS), "-o", str(tmp_path / "once"), "-q", "--no-language")
    assert result.exit_code == 0, result.output
    result = run("clean", str(tmp_path / "once"), "-o", str(tmp_path / "twice"), "-q", "--no-language")
    assert result.exit_code == 0, result.output
    once = sorted(p.name for p in (tmp_path / "once").iterdir())
    assert sorted(p.name for p in (tmp_path / "twice").iterdir()) == once
    for name in once:
        if name.endswith(".txt"):
            assert (tmp_path / "twice" / name).read_bytes() == (tmp_path / "once" / name).read_bytes()
    learned = run("learn", str(tmp_path / "once"), "-o", str(tmp_path / "model.json"), "--min-docs", "2", "-q")
    assert learned.exit_code == 0, learned.output
    assert json.loads((tmp_path / "model.json").read_text())["documents"] == len(seed_names())


@pytest.mark.parametrize("setting, says", [
    ("doc_timeout = -1", "doc_timeout"),
    ("detect_language = \"yes\"", "detect_language"),
    ("max_input_bytes = 3.5", "max_input_bytes"),
    ("max_line_chars = true", "max_line_chars"),   # True would be a limit of 1 character
    ("html = \"sometimes\"", "html"),
    ("drop_weight = nan", "drop_weight"),
    ("disabled_rules = 5", "disabled_rules"),
    ("disabled_rules = [5]", "disabled_rules"),
])
def test_a_config_value_of_the_wrong_type_is_a_usage_error(tmp_path: Path, setting: str, says: str) -> None:
    (tmp_path / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "c.toml").write_text(f"[clean]\n{setting}\n")
    result = run("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "c.toml"))
    assert result.exit_code == 2, result.output
    assert says in result.output


def test_the_api_takes_disabled_rules_as_a_list() -> None:
    from cleaner import clean_text

    as_list = CleanConfig(disabled_rules=["caption.credit"], detect_language=False)
    assert as_list == CleanConfig(disabled_rules=frozenset({"caption.credit"}), detect_language=False)
    assert "Foto: dpa" in clean_text("Foto: dpa\n\nA sentence of the article stays here.\n", as_list).text


def test_an_output_named_json_would_be_its_own_sidecar(tmp_path: Path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("Some text here that must stay.\n")
    result = run("clean", str(source), "-o", str(tmp_path / "res.json"))
    assert result.exit_code == 2, result.output
    assert "its sidecar would be" in result.output
    result = run("clean", str(source), "-o", str(tmp_path / "res.json"), "--sidecar", str(tmp_path / "s.json"))
    assert result.exit_code == 0, result.output
    assert (tmp_path / "res.json").read_text() == "Some text here that must stay.\n"


def test_the_html_flag_reads_a_text_as_a_page_or_a_page_as_text(tmp_path: Path) -> None:
    """``--html always|never`` (in every --help) was a usage error, "unknown setting 'html_mode'",
    in clean and explain alike: only the default, auto, could be used."""
    (tmp_path / "t.txt").write_text("Ein Satz über <b>fett</b> gedruckte Wörter steht hier im Text.\n",
                                    encoding="utf-8")
    page = ("<html><body><article><p>Ein echter Satz steht hier, und er ist lang genug für den "
            "Extraktor.</p></article></body></html>\n")
    (tmp_path / "p.html").write_text(page, encoding="utf-8")
    as_page = run("clean", str(tmp_path / "t.txt"), "--html", "always", "--no-language")
    assert as_page.exit_code == 0, as_page.output
    assert as_page.output == "Ein Satz über fett gedruckte Wörter steht hier im Text.\n"
    as_text = run("clean", str(tmp_path / "p.html"), "--html", "never", "--no-language")
    assert as_text.exit_code == 0, as_text.output
    assert as_text.output == page
    auto = run("clean", str(tmp_path / "p.html"), "--html", "auto", "--no-language")
    assert auto.output == "Ein echter Satz steht hier, und er ist lang genug für den Extraktor.\n"
    out = tmp_path / "out"
    tree = run("clean", str(tmp_path / "p.html"), str(tmp_path / "t.txt"), "-o", str(out), "--html", "never",
               "--no-language", "-q")
    assert tree.exit_code == 0, tree.output
    assert (out / "p.txt").read_text(encoding="utf-8") == page
    explained = run("explain", str(tmp_path / "p.html"), "--html", "never", "--no-language")
    assert explained.exit_code == 0, explained.output
    assert "<article>" in explained.output


def test_a_config_setting_outside_its_clean_table_is_an_error_not_ignored(tmp_path: Path) -> None:
    """With a [clean] table, a setting above it was silently ignored: the run went on with the
    default (language detection on, here)."""
    (tmp_path / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "c.toml").write_text("detect_language = false\n\n[clean]\ndoc_timeout = 10\n")
    result = run("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "c.toml"))
    assert result.exit_code == 2, result.output
    assert "'detect_language' outside the [clean] table" in result.output
    (tmp_path / "c.toml").write_text("[clean]\ndetect_language = false\ndoc_timeout = 10\n")
    result = run("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "c.toml"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["language"] is None


def test_a_config_file_with_a_byte_order_mark_or_not_in_utf8(tmp_path: Path) -> None:
    """A BOM (Notepad writes one) was "not valid TOML: Invalid statement (at line 1, column 1)";
    a file in Latin-1 stopped the command with a UnicodeDecodeError traceback."""
    (tmp_path / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "c.toml").write_bytes(b"\xef\xbb\xbf[clean]\r\ndetect_language = false\r\n")
    result = run("clean", str(tmp_path / "a.txt"), "--config", str(tmp_path / "c.toml"), "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["language"] is None
    (tmp_path / "c.toml").write_bytes("# Einstellungen für Müller\ndetect_language = false\n".encode("latin-1"))
    for command in ("clean", "explain"):
        result = CliRunner().invoke(cli, [command, str(tmp_path / "a.txt"), "--config", str(tmp_path / "c.toml")])
        assert result.exit_code == 2, result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)
        assert f"config {tmp_path / 'c.toml'} is not UTF-8 text" in result.output


def test_an_output_name_ending_in_a_slash_is_a_directory(tmp_path: Path) -> None:
    """`-o new/` for one file wrote a file named "new" (and "new.json"): the slash, the one sign
    that a directory was meant, was lost with click's Path conversion."""
    source = tmp_path / "a.txt"
    source.write_text("A sentence of the article stays here.\n")
    result = run("clean", str(source), "-o", f"{tmp_path / 'new'}/", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new").is_dir()
    assert (tmp_path / "new" / "a.txt").read_text() == "A sentence of the article stays here.\n"
    assert json.loads((tmp_path / "new" / "a.json").read_text())["source"] == str(source)
    assert not (tmp_path / "new.json").exists()
    result = run("clean", "-", "-o", f"{tmp_path / 'other'}/", input="Text.\n")
    assert result.exit_code == 2 and "a directory; text from stdin" in result.output
    assert not (tmp_path / "other").exists()


def test_a_run_too_short_to_time_gives_no_rates(tmp_path: Path) -> None:
    """Every output refused (each is another input's), so the run took no time: the summary
    said "0.0 s, 2,000,000,000 docs/s, 470000.0 MB/s"."""
    (tmp_path / "in").mkdir()
    for name, other in (("a", "b"), ("b", "a")):  # a.html's output a.txt is (a link to) b.html, an input
        (tmp_path / "in" / f"{name}.html").write_text("<p>A sentence of the article stays here.</p>\n")
        (tmp_path / f"{name}.txt").symlink_to(tmp_path / "in" / f"{other}.html")
    result = run("clean", str(tmp_path / "in" / "a.html"), str(tmp_path / "in" / "b.html"), "-o", str(tmp_path),
                 "--no-language")
    assert result.exit_code == 1, result.output
    assert "failed     output_conflict 2" in result.stderr
    timing = result.stderr.splitlines()[-1]
    assert timing.startswith("  time       ") and timing.endswith(", 1 worker(s)")
    assert "0.0 s, 1 worker(s)" in timing or "0.0 s" not in timing  # rates only when measurable


def test_an_empty_file_has_no_lines(tmp_path: Path) -> None:
    """The sidecar of an empty file said `lines_in: 1` (an empty page's too, and an empty
    record's), where a file of one line without a line break has 1 and `lines_out` is 0."""
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "one.txt").write_bytes(b"One line of text without a break.")
    (tmp_path / "empty.html").write_bytes(b"<html><body></body></html>")
    lines = {}
    for name in ("empty.txt", "one.txt", "empty.html"):
        result = run("clean", str(tmp_path / name), "--json", "--no-language")
        assert result.exit_code == 0, result.output
        lines[name] = json.loads(result.stdout)["stats"]["lines_in"]
    assert lines == {"empty.txt": 0, "one.txt": 1, "empty.html": 0}


def test_links_to_files_outside_the_input_directory_are_named_when_skipped(tmp_path: Path) -> None:
    """A folder of symbolic links to articles elsewhere (a selection of a corpus) was cleaned
    into nothing, exit 0, with no word of why ("documents in 0"); `learn` said only "no
    documents to learn from". The links are still not followed out of the folder, but a
    warning names them."""
    elsewhere = tmp_path / "corpus"
    elsewhere.mkdir()
    picked = tmp_path / "picked"
    picked.mkdir()
    for name in ("a", "b"):
        (elsewhere / f"{name}.txt").write_text(f"Article {name}: a sentence of the article stays here.\n")
        (picked / f"{name}.txt").symlink_to(elsewhere / f"{name}.txt")
    (picked / "own.txt").write_text("A document of the folder itself stays here too.\n")
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(picked), "-o", str(tmp_path / "out"),
                           "--no-language"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (f"cleaner: WARNING: {picked}: skipped 2 symbolic links to files outside it ({picked / 'a.txt'}, ...); "
            "give such files as inputs to clean them") in proc.stderr.splitlines()
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["own.json", "own.txt"]
    (picked / "own.txt").unlink()
    proc = subprocess.run([sys.executable, "-m", "cleaner", "learn", str(picked), "-o", str(tmp_path / "m.json")],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1
    assert "skipped 2 symbolic links to files outside it" in proc.stderr


def test_dev_stdout_appended_to_by_the_shell_keeps_what_the_file_held(tmp_path: Path) -> None:
    """`cleaner clean a.txt -o /dev/stdout >> log` opens the log again through /dev/stdout: opened
    for writing ("w"), it was emptied, and the lines the shell was to add to were lost."""
    doc = tmp_path / "a.txt"
    doc.write_text("Ein kurzer Satz über das Wetter in Berlin.\n", encoding="utf-8")
    log = tmp_path / "log.txt"
    log.write_text("earlier line\n", encoding="utf-8")
    with log.open("a", encoding="utf-8") as appended:
        done = subprocess.run([sys.executable, "-m", "cleaner", "clean", str(doc), "-o", "/dev/stdout"],
                              stdout=appended, stderr=subprocess.PIPE, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    assert log.read_text(encoding="utf-8") == "earlier line\nEin kurzer Satz über das Wetter in Berlin.\n"


def test_an_output_that_is_a_device_or_a_named_pipe_is_written_into_not_replaced(tmp_path: Path) -> None:
    """`--sidecar /dev/null` (to drop the sidecar) and `-o /dev/stdout` were renamed over: the
    atomic write put a regular file in the device's place (as root: /dev/null itself; here a
    link to it), and `-o` onto a named pipe replaced the pipe, its reader waiting for ever.
    `-o /dev/null` also wrote its sidecar to /dev/null.json."""
    import os
    import stat

    source = tmp_path / "a.txt"
    source.write_text("A sentence of the article stays here.\n")
    null = tmp_path / "null"
    null.symlink_to("/dev/null")
    result = run("clean", str(source), "--no-language", "--sidecar", str(null))
    assert result.exit_code == 0, result.output
    assert result.stdout == "A sentence of the article stays here.\n"
    result = run("clean", str(source), "--no-language", "-o", str(null))
    assert result.exit_code == 0, result.output
    assert null.is_symlink() and os.readlink(null) == "/dev/null"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "null"]  # (no null.json)
    pipe = tmp_path / "pipe"
    os.mkfifo(pipe)
    reader = os.open(pipe, os.O_RDONLY | os.O_NONBLOCK)
    try:
        result = run("clean", str(source), "--no-language", "-o", str(pipe))
        assert result.exit_code == 0, result.output
        assert os.read(reader, 4096) == b"A sentence of the article stays here.\n"
    finally:
        os.close(reader)
    assert stat.S_ISFIFO(os.stat(pipe).st_mode)


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["rules"], ["--help"], ["explain", str(SEEDS / f"{seed_names()[0]}.txt"),
                                                         "--no-language"]], ids=["rules", "help", "explain"])
def test_stdout_on_a_full_disk_is_one_line_not_a_traceback(args: list[str]) -> None:
    """`cleaner clean` said "cannot write <stdout>: No space left on device"; explain, rules and
    --help printed a traceback of click's echo."""
    with open("/dev/full", "w") as full:  # noqa: PTH123
        proc = subprocess.run([sys.executable, "-m", "cleaner", *args], stdout=full, stderr=subprocess.PIPE,
                              text=True, timeout=120)
    assert proc.returncode == 1
    assert proc.stderr == "cleaner: error: cannot write <stdout>: No space left on device\n"


def test_a_write_error_names_the_output_not_its_temporary_file(tmp_path: Path) -> None:
    """An output that could not be put in place was named by the hidden temporary file it was
    written to first (`cannot write OUT/.a.json.qfjg4fk9.part: Is a directory`)."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "out" / "a.json").mkdir(parents=True)  # (in the way of the sidecar)
    for args in (["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")],
                 ["clean", str(tmp_path / "in" / "a.txt"), "-o", str(tmp_path / "out" / "a.txt")]):
        result = run(*args, "--no-language", "-q")
        assert result.exit_code == 1, result.output
        assert f"cannot write {tmp_path / 'out' / 'a.json'}: Is a directory" in result.stderr
        assert ".part" not in result.stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a.json"]


def test_stdin_given_twice_or_with_files_is_named_as_such(tmp_path: Path) -> None:
    """`cleaner clean - -` (or `- a.txt`) without -o said "with a directory or several inputs,
    -o OUT_DIR is required": giving one was no help, the run then said `-` cannot be mixed."""
    (tmp_path / "a.txt").write_text("A sentence of the article stays here.\n")
    for inputs in (["-", "-"], ["-", str(tmp_path / "a.txt")], [str(tmp_path / "a.txt"), "-"]):
        result = run("clean", *inputs, input="Text.\n")
        assert result.exit_code == 2, result.output
        assert "`-` (stdin) cannot be mixed with other inputs" in result.output


@pytest.mark.parametrize("how", ["--disable", "--config", "both"])
def test_an_unknown_rule_is_a_usage_error_before_anything_is_read_or_written(how: str,
                                                                            tmp_path: Path) -> None:
    """A misspelt rule name is refused up front, in one line that names it and the rules it
    is probably meant to be, wherever it was given; no output is written."""
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "c.toml").write_text('[clean]\ndisabled_rules = ["caption.credt"]\n')
    given = {"--disable": ["--disable", "caption.credt"], "--config": ["--config", str(tmp_path / "c.toml")],
             "both": ["--config", str(tmp_path / "c.toml"), "--disable", "caption.credt"]}[how]
    for args in (["clean", str(tmp_path / "in"), "-o", str(tmp_path / "out")], ["clean", "-"],
                 ["explain", "-"]):
        result = CliRunner().invoke(cli, [*args, *given], input="Foto: dpa\n\nA sentence stays.\n")
        assert result.exit_code == 2, result.output
        errors = [line for line in result.stderr.splitlines() if line.startswith("Error:")]
        assert len(errors) == 1, result.stderr
        assert "caption.credt" in errors[0] and "did you mean caption.credit?" in errors[0]
        assert "cleaner rules" in errors[0]
        assert (f"config {tmp_path / 'c.toml'}" in errors[0]) == (how != "--disable")
        assert result.stdout == ""
    assert not (tmp_path / "out").exists()


def test_an_unknown_rule_with_no_close_name_says_how_to_list_them() -> None:
    result = CliRunner().invoke(cli, ["clean", "-", "--disable", "nothing-like-it"], input="text\n")
    assert result.exit_code == 2
    assert "unknown rule 'nothing-like-it'" in result.stderr and "did you mean" not in result.stderr
    assert "`cleaner rules` lists" in result.stderr


def test_the_library_refuses_an_unknown_rule_when_the_config_is_made() -> None:
    from cleaner import ConfigError

    with pytest.raises(ConfigError, match=r"disabled_rules: unknown rule 'caption\.credt'; did you mean "
                                          r"caption\.credit\?"):
        CleanConfig(disabled_rules=["caption.credt"])
    with pytest.raises(ConfigError, match="unknown rules 'nope', 'zilch'"):
        CleanConfig().with_changes(disabled_rules={"zilch", "nope", "caption.credit"})
    assert CleanConfig(disabled_rules=["caption.credit"]).disabled_rules == {"caption.credit"}


def _cleaner(*args: str, cwd: Path, input: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """The command in a process of its own: what it writes to its real stdout is seen."""
    return subprocess.run([sys.executable, "-m", "cleaner", *args], input=input, capture_output=True,
                          cwd=cwd, timeout=120)


def test_a_dash_for_the_sidecar_rejected_or_stats_file_is_stdout_as_for_o(tmp_path: Path) -> None:
    """`-o -` (and `learn -o -`) is stdout, but `--sidecar -`, `--rejected -` and `--stats -`
    each wrote a file named `-`. They go to stdout when the text or the records do not."""
    source = tmp_path / "a.txt"
    source.write_text("Foto: dpa\n\nA sentence of the article stays here.\n", encoding="utf-8")
    one = _cleaner("clean", "a.txt", "-o", "a.clean.txt", "--sidecar", "-", "--no-language", cwd=tmp_path)
    assert one.returncode == 0, one.stderr
    assert json.loads(one.stdout)["removed"][0]["text"] == "Foto: dpa"
    assert (tmp_path / "a.clean.txt").read_text() == "A sentence of the article stays here.\n"
    assert not (tmp_path / "a.clean.json").exists()

    (tmp_path / "in").mkdir()
    shutil.copy(source, tmp_path / "in" / "a.txt")
    many = _cleaner("clean", "in", "-o", "out", "--stats", "-", "--no-language", "-q", cwd=tmp_path)
    assert many.returncode == 0, many.stderr
    assert json.loads(many.stdout)["documents"]["written"] == 1

    records = "".join(json.dumps({"id": i, "text": f"Satz {i} steht hier."}) + "\n" for i in range(3))
    (tmp_path / "d.jsonl").write_text(records, encoding="utf-8")
    rejected = _cleaner("clean", "d.jsonl", "-o", "c.jsonl", "--min-chars", "1000", "--rejected", "-",
                        "--no-language", "-q", cwd=tmp_path)
    assert rejected.returncode == 0, rejected.stderr
    assert [json.loads(line)["id"] for line in rejected.stdout.splitlines()] == [0, 1, 2]
    stats = _cleaner("clean", "d.jsonl", "-o", "c2.jsonl", "--stats", "-", "--no-language", "-q", cwd=tmp_path)
    assert stats.returncode == 0, stats.stderr
    assert json.loads(stats.stdout)["documents"]["written"] == 3
    assert not (tmp_path / "-").exists()


@pytest.mark.parametrize("args", [
    ["clean", "a.txt", "--sidecar", "-"],                          # the text is on stdout
    ["clean", "-", "--sidecar", "-"],
    ["clean", "a.txt", "-o", "-", "--json", "--sidecar", "-"],
    ["clean", "d.jsonl", "-o", "-", "--rejected", "-", "--min-chars", "5"],   # the records are
    ["clean", "d.jsonl", "-o", "-", "--stats", "-"],
    ["clean", "d.jsonl", "-o", "c.jsonl", "--sidecar", "-", "--rejected", "-", "--min-chars", "5"],  # two
])
def test_a_dash_where_stdout_is_taken_is_a_usage_error(args: list[str], tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("A sentence of the article stays here.\n", encoding="utf-8")
    (tmp_path / "d.jsonl").write_text('{"text": "Ein Satz steht hier."}\n', encoding="utf-8")
    done = _cleaner(*args, "--no-language", cwd=tmp_path, input=b"Ein Satz.\n")
    assert done.returncode == 2, done.stderr
    error = done.stderr.decode().splitlines()[-1]
    assert error.startswith("Error: ") and "stdout" in error and " -" in error, error
    assert done.stdout == b""
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.txt", "d.jsonl"]


def test_disable_takes_a_comma_list_as_lang_does(tmp_path: Path) -> None:
    """`--lang de,en` takes a list; `--disable a,b` was refused as one unknown rule, with "did you
    mean b?" for a hint. It switches both off; a list in the library is named as one."""
    text = "Foto: dpa\n\nEin Satz des Artikels bleibt hier stehen.\n\nEin Satz des Artikels bleibt hier stehen.\n"
    result = run("clean", "-", "--no-language", "--disable", "caption.credit, caption.duplicate", "--json",
                 input=text)
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["removed"] == []
    from cleaner import ConfigError

    with pytest.raises(ConfigError, match="give the rules one by one: 'caption.credit', 'caption.duplicate'"):
        CleanConfig(disabled_rules=["caption.credit,caption.duplicate"])


@pytest.mark.parametrize("command", [
    ["clean", "-"], ["explain", "-"], ["learn", "-", "--format", "jsonl", "-o", "m.json"]])
def test_verbose_and_quiet_together_are_a_usage_error(command: list[str], tmp_path: Path) -> None:
    """`-q` silently won over `-v`: asking for more messages and for none is a contradiction, as
    `--resume --force` is."""
    result = run(*command, "-v", "-q", input="Ein Satz des Artikels bleibt hier stehen.\n")
    assert result.exit_code == 2, result.output
    assert "Error: -v and -q contradict each other; choose one" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("value", ["inf", "nan", "-inf"])
def test_a_timeout_that_is_no_number_of_seconds_is_named_by_its_flag(value: str) -> None:
    """`--timeout inf` (meaning: no limit) was refused as "doc_timeout must be a number >= 0",
    a name the command line never shows; the flag is named, and what means no limit."""
    result = run("clean", "-", f"--timeout={value}", input="Ein Satz.\n")
    assert result.exit_code == 2
    assert "Invalid value for '--timeout'" in result.stderr and "0 for no limit" in result.stderr
    assert "doc_timeout" not in result.stderr


def _on_a_terminal(args: list[str], cwd: Path) -> str:
    """What the command writes on stderr when stderr is a terminal (a pseudo-terminal)."""
    import os
    import pty

    master, slave = pty.openpty()
    proc = subprocess.Popen([sys.executable, "-m", "cleaner", *args], cwd=cwd, stdin=subprocess.DEVNULL,
                            stdout=subprocess.DEVNULL, stderr=slave)
    os.close(slave)
    said = b""
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # (the other end closed: EIO)
            break
        if not chunk:
            break
        said += chunk
    os.close(master)
    assert proc.wait(timeout=120) in (0, 1)
    return said.decode("utf-8", "replace")


@pytest.mark.parametrize("run_kind", ["directory", "dataset", "learn"])
def test_a_message_during_a_run_is_not_glued_to_the_progress_line(run_kind: str, tmp_path: Path) -> None:
    """On a terminal, an error or a warning that came while the progress line was shown was
    written after it, on the same line (`cleaning [###---] 23/60 a30.txtcleaner: error: ...`).
    The progress line is cleared first: every message starts a line of its own."""
    (tmp_path / "in").mkdir()
    for i in range(6):
        (tmp_path / "in" / f"a{i}.txt").write_text(f"Der Satz {i} des Artikels bleibt hier stehen.\n")
    (tmp_path / "in" / "a3.txt").write_bytes(b"\x00\x01 binary")
    records = [{"text": f"Der Satz {i} des Artikels bleibt hier stehen."} for i in range(6)]
    records[2] = {"body": "no text"}  # (after the first, which draws the progress line)
    (tmp_path / "d.jsonl").write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    args = {"directory": ["clean", "in", "-o", "out", "--no-language", "--workers", "1"],
            "dataset": ["clean", "d.jsonl", "-o", "c.jsonl", "--no-language", "--workers", "1", "--chunk-size", "1"],
            "learn": ["learn", "d.jsonl", "-o", "m.json", "--min-docs", "2", "--workers", "1"]}[run_kind]
    said = _on_a_terminal(args, tmp_path)
    messages = [line for line in said.replace("\r\n", "\n").split("\n") if "cleaner: " in line]
    assert any("error" in line or "WARNING" in line for line in messages), said
    for line in messages:
        visible = line.split("\r")[-1].replace("\x1b[2K", "").replace("\x1b[?25h", "").replace("\x1b[?25l", "")
        assert visible.startswith("cleaner: "), repr(line)


@pytest.mark.parametrize("unbuffered", [False, True])
@pytest.mark.parametrize("command", [["clean", "--no-language"], ["clean", "--json", "--no-language"],
                                     ["explain", "--full", "--no-language"], ["learn", "-o", "-", "-q"]])
def test_a_reader_that_stops_early_ends_every_command_as_it_ends_a_dataset_run(
        command: list[str], unbuffered: bool, tmp_path: Path) -> None:
    """`| head` on a dataset run ends it with 141 and no message (docs/datasets.md). One document
    said `cannot write <stdout>: Broken pipe` with exit 1 ("documents failed"), explain exited 1;
    and with an unbuffered stdout (`python -u`, PYTHONUNBUFFERED) what was written in part was
    taken for written: the output cut short, exit 0."""
    import os

    big = tmp_path / "big.txt"  # (300 KB: its output is several times what a pipe holds, 64 KiB)
    big.write_text("\n\n".join(f"Der Satz {i} des langen Artikels steht hier und bleibt auch hier stehen."
                               for i in range(4000)) + "\n", encoding="utf-8")
    if command[0] == "learn":  # (a model of 4,000 lines, in all three documents)
        lines = "\n\n".join(f"Jetzt Angebot {i} sichern" for i in range(4000))
        big = tmp_path / "corpus.jsonl"
        big.write_text("".join(json.dumps({"text": f"Bericht {name}\n\n{lines}"}) + "\n" for name in "abc"),
                       encoding="utf-8")  # (three documents, three stories: a line is learned under three)
        command = [*command, "--min-docs", "2"]
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}
    proc = subprocess.Popen([sys.executable, *(["-u"] * unbuffered), "-m", "cleaner", command[0], str(big),
                             *command[1:]], stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    assert len(proc.stdout.read(100)) == 100
    proc.stdout.close()
    assert proc.wait(timeout=120) == 141
    assert proc.stderr.read() == b""


@pytest.mark.parametrize("inputs, output", [
    (["in"], "in"),  # the input directory
    (["in"], "in/"),
    (["in"], "in/."),
    (["in/a.txt", "in/b.html"], "in"),  # the files' own directory: a.txt would be its own output
])
def test_the_output_is_the_input_is_one_usage_error_and_nothing_written(tmp_path: Path, inputs: list[str],
                                                                        output: str,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`clean IN -o IN` failed each document (exit 1, one error a file, while writing the
    outputs of the others among the inputs): one usage error before anything is written."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "in" / "b.html").write_text("<p>Another sentence of another article stays.</p>\n")
    before = {p.name: p.read_bytes() for p in (tmp_path / "in").iterdir()}
    result = run("clean", *inputs, "-o", output, "--no-language")
    assert result.exit_code == 2, result.output
    assert "choose another -o" in result.output and result.output.count("Error:") == 1
    assert {p.name: p.read_bytes() for p in (tmp_path / "in").iterdir()} == before


@pytest.mark.parametrize("output", ["out.txt", "out.json", "clean.jsonl", "page.html"])
@pytest.mark.parametrize("several", [True, False])
def test_several_inputs_into_a_file_name_is_a_usage_error(tmp_path: Path, output: str, several: bool,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """`clean a.txt b.txt -o out.txt` made a directory out.txt/ and said nothing; a directory
    it is when it is one already, or when the name ends in a slash."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("A sentence of the article stays here.\n")
    (tmp_path / "in" / "b.txt").write_text("Another sentence of another article.\n")
    inputs = ["in/a.txt", "in/b.txt"] if several else ["in"]
    result = run("clean", *inputs, "-o", output, "--no-language", "-q")
    assert result.exit_code == 2, result.output
    assert "-o DIR" in result.output and f"-o {output}/" in result.output
    assert not (tmp_path / output).exists()
    assert run("clean", *inputs, "-o", f"{output}/", "--no-language", "-q").exit_code == 0
    assert sorted(p.name for p in (tmp_path / output).iterdir()) == ["a.json", "a.txt", "b.json", "b.txt"]
    shutil.rmtree(tmp_path / output)
    (tmp_path / output).mkdir()
    assert run("clean", *inputs, "-o", output, "--no-language", "-q").exit_code == 0
    assert (tmp_path / output / "b.txt").read_text() == "Another sentence of another article.\n"
    assert run("clean", *inputs, "-o", "out", "--no-language", "-q").exit_code == 0  # no file's ending
    assert (tmp_path / "out" / "a.txt").is_file()


@pytest.mark.parametrize("inputs", [["data.jsonl", "more.jsonl"], ["docs", "data.jsonl"], ["docs", "shards"],
                                    ["docs", "data.jsonl.gz"]])
def test_a_dataset_among_several_inputs_is_a_usage_error(tmp_path: Path, inputs: list[str],
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    """`clean a.jsonl b.jsonl -o out/` cleaned each JSONL file as the text of one article (every
    record's JSON in one .txt, exit 0), and a .jsonl.gz among documents failed as binary,
    while a folder of documents with a JSONL file in it is a usage error: a dataset is cleaned
    on its own, as one input. Nothing is written."""
    import gzip

    monkeypatch.chdir(tmp_path)
    record = json.dumps({"id": "a", "text": "A sentence of the article stays here."}) + "\n"
    for name in ("data.jsonl", "more.jsonl", "shards/part-0.jsonl"):
        (tmp_path / name).parent.mkdir(exist_ok=True)
        (tmp_path / name).write_text(record)
    (tmp_path / "data.jsonl.gz").write_bytes(gzip.compress(record.encode()))
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Another sentence of another article.\n")
    result = run("clean", *inputs, "-o", "out/", "--no-language", "-q")
    assert result.exit_code == 2, result.output
    assert "a dataset" in result.output and "on its own" in result.output
    assert not (tmp_path / "out").exists()
    for dataset in inputs[1:]:  # alone, each is cleaned as the dataset it is: records, not a text
        assert run("clean", dataset, "-o", f"alone-{dataset}/", "--no-language", "-q").exit_code == 0
        written = [p.name for p in (tmp_path / f"alone-{dataset}").rglob("*") if p.name[0] != "."]
        assert written == [Path(dataset).name if "." in dataset else "part-0.jsonl"]


@pytest.mark.parametrize("args", [["--help"], ["--version"], ["rules"], ["clean", "--help"],
                                  ["report", "{run}", "-o", "-"]])
def test_a_reader_gone_before_anything_is_printed_ends_with_141(args: list[str], tmp_path: Path) -> None:
    """The group's --help and --version exited 1 (click's handling of a broken pipe: "documents
    failed"), and `report -o -` said `error: /dev/stdout: Broken pipe` with exit 1, where every
    command ends with 141 and nothing on stderr."""
    import os

    if "{run}" in args:
        assert run("clean", str(SEEDS), "-o", str(tmp_path / "out"), "--no-language", "-q").exit_code == 0
        args = [str(tmp_path / "out") if a == "{run}" else a for a in args]
    read_end, write_end = os.pipe()
    os.close(read_end)  # (the reader is gone before cleaner writes a byte)
    try:
        proc = subprocess.run([sys.executable, "-m", "cleaner", *args], stdout=write_end, stderr=subprocess.PIPE,
                              timeout=120, check=False)
    finally:
        os.close(write_end)
    assert proc.returncode == 141, proc.stderr
    assert proc.stderr == b""


def test_every_command_lists_its_exit_codes_with_141() -> None:
    """Every command prints (its --help at least) to stdout, so each can end with 141; the
    README said so, no --help did."""
    for name in [None, *cli.commands]:
        text = " ".join(run(*([name] if name else []), "--help").output.split())
        assert "Exit codes: 0 " in text and ", 2 usage error" in text, name
        assert "141 the program reading stdout" in text and "stopped early" in text, name
