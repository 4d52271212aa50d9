from __future__ import annotations

from click.testing import CliRunner

from cleaner.cli import cli

from .conftest import FIXTURES

SEED = FIXTURES / "input" / "seeds" / "002_da4e8c98ff9d66d8.txt"


def test_explain_lists_every_block_with_its_verdict_and_rules() -> None:
    result = CliRunner().invoke(cli, ["explain", str(SEED), "--no-language"])
    assert result.exit_code == 0
    lines = result.output.splitlines()
    assert any(l.startswith("HEAD") and "date 2025-02" in l for l in lines)
    drop = next(i for i, l in enumerate(lines) if l.startswith("DROP"))
    assert "Elon Musk (Bild: depositphotos.com)" in lines[drop]
    assert "caption.credit" in lines[drop + 1]
    assert sum(l.startswith("KEEP") for l in lines) == 8
    assert "\x1b[" not in result.output  # plain when not a terminal


def test_explain_colours_on_a_terminal_but_not_with_no_color() -> None:
    coloured = CliRunner().invoke(cli, ["explain", str(SEED), "--no-language"], color=True)
    assert "\x1b[" in coloured.output
    plain = CliRunner(env={"NO_COLOR": "1"}).invoke(cli, ["explain", str(SEED), "--no-language"], color=True)
    assert "\x1b[" not in plain.output


def test_explain_drops_only() -> None:
    result = CliRunner().invoke(cli, ["explain", str(SEED), "--no-language", "--drops-only"])
    assert "KEEP" not in result.output and "DROP" in result.output


def test_explain_of_a_missing_file_or_a_directory_is_a_usage_error(tmp_path) -> None:  # type: ignore[no-untyped-def]
    for source, says in ((tmp_path / "missing.txt", "does not exist"), (tmp_path, "is a directory")):
        result = CliRunner().invoke(cli, ["explain", str(source)])
        assert result.exit_code == 2, result.output
        assert says in result.output and "Errno" not in result.output


def test_explain_of_stdin_keeps_the_time_limit(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`cleaner explain -` ignored --timeout (a file had it): a page piped in took as long as
    it took; it now fails as `cleaner clean -` does, and bad bytes are named as <stdin>."""
    page = ("<html><body><article>" + "<p>Der Stadtrat hat am Montag den neuen Haushalt beschlossen.</p>"
            * 300 + "</article></body></html>")
    result = CliRunner().invoke(cli, ["explain", "-", "--no-language", "--timeout", "0.001"], input=page)
    assert result.exit_code == 1, result.output
    assert result.stderr == "cleaner: error: <stdin>: took longer than 0.001 s (raise it with --timeout or doc_timeout)\n"
    assert result.stdout == ""
    result = CliRunner().invoke(cli, ["explain", "-", "--no-language"], input=b"\x89PNG\r\n\x1a\n" + bytes(64))
    assert result.exit_code == 1
    assert result.stderr.startswith("cleaner: error: <stdin>: ")


def test_explain_of_an_empty_document_says_so(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """An empty (or blank) document printed nothing at all, exit 0: as if the command had not
    run. It now says, in one line, that there is no text to explain; a page with no text says why."""
    for name, content in (("empty.txt", ""), ("blank.txt", "  \n\n\t\n")):
        (tmp_path / name).write_text(content)
        result = CliRunner().invoke(cli, ["explain", str(tmp_path / name), "--no-language"])
        assert result.exit_code == 0, result.output
        assert result.output == f"{tmp_path / name}: the document is empty: no text to explain\n"
    result = CliRunner().invoke(cli, ["explain", "-", "--no-language"], input="")
    assert result.exit_code == 0 and result.output == "<stdin>: the document is empty: no text to explain\n"
    (tmp_path / "e.html").write_text("<html><body><script>x()</script></body></html>")
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "e.html"), "--no-language"])
    assert result.exit_code == 0, result.output
    assert result.output.startswith(f"{tmp_path / 'e.html'}: the document is empty: no text to explain (")
    assert len(result.output.splitlines()) == 1
    # a document with blocks but none dropped: --drops-only prints nothing, as before
    (tmp_path / "t.txt").write_text("A sentence of the article stays here.\n")
    result = CliRunner().invoke(cli, ["explain", str(tmp_path / "t.txt"), "--no-language", "--drops-only"])
    assert result.exit_code == 0 and result.output == ""


def test_explain_of_a_dataset_says_how_to_explain_one_of_its_records(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """`explain data.jsonl` explained the file as the text of one article: its first "block"
    the JSON of every record, cut by a spam rule. A dataset is a usage error that says how to
    give explain one record."""
    import json

    data = tmp_path / "data.jsonl"
    data.write_text(json.dumps({"id": 1, "text": SEED.read_text(encoding="utf-8")}) + "\n", encoding="utf-8")
    for name in ("data.jsonl", "data.jsonl.gz", "data.parquet"):
        (tmp_path / name).write_bytes(data.read_bytes())
        result = CliRunner().invoke(cli, ["explain", str(tmp_path / name), "--no-language"])
        assert result.exit_code == 2, result.output
        assert result.stdout == ""
        error = result.stderr.splitlines()[-1]
        assert f"{tmp_path / name}: a dataset" in error and "| cleaner explain -" in error, error


def test_explain_and_report_help_give_their_own_exit_codes() -> None:
    """explain's help gave clean's ("0 all documents cleaned, 1 some documents failed") for a
    command that shows one document; report's left out 130 (Ctrl-C), which it exits with."""
    explain_help = " ".join(CliRunner().invoke(cli, ["explain", "--help"]).output.split())
    assert "some documents failed" not in explain_help
    assert "Exit codes: 0 the document explained, 1 it could not be read or cleaned" in explain_help
    assert "130 interrupted (Ctrl-C)" in explain_help
    report_help = " ".join(CliRunner().invoke(cli, ["report", "--help"]).output.split())
    assert "2 usage error, 130 interrupted (Ctrl-C)" in report_help
    group_help = " ".join(CliRunner().invoke(cli, ["--help"]).output.split())
    assert "each command's --help" in group_help


def test_explain_reads_piped_stdin_without_a_dash_as_clean_does() -> None:
    """`cat a.txt | cleaner clean` reads stdin; `cat a.txt | cleaner explain` said "Missing
    argument 'SOURCE'"."""
    piped = CliRunner().invoke(cli, ["explain", "--no-language"], input=SEED.read_text(encoding="utf-8"))
    assert piped.exit_code == 0, piped.output
    dashed = CliRunner().invoke(cli, ["explain", "-", "--no-language"], input=SEED.read_text(encoding="utf-8"))
    assert piped.stdout == dashed.stdout and "caption.credit" in piped.stdout
