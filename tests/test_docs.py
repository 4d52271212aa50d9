"""The README tells the truth: its commands, its rule table, its sidecar example."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from cleaner.cli import cli
from cleaner.rules.registry import all_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_starts_with_the_two_commands_and_ci_runs_the_second() -> None:
    blocks = re.findall(r"```sh\n(.*?)\n```", README, flags=re.S)
    assert README.startswith("```sh\n")
    install, tests = blocks[0], blocks[1]
    assert "\n" not in install and "\n" not in tests
    assert "cleaner clean fixtures/input" in install
    assert "pytest" in tests
    ci = (ROOT / ".ci" / "run").read_text()
    assert "sed -n '/^```sh$/,/^```$/p' README.md" in ci  # it extracts that very line


def test_every_rule_is_in_the_readme() -> None:
    for r in all_rules():
        assert f"| `{r.name}` | {r.kind} |" in README, r.name


def test_every_command_is_documented_with_examples() -> None:
    for name, command in cli.commands.items():
        result = CliRunner().invoke(cli, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Examples:" in result.output, name
        assert f"cleaner {name}" in README, name


def test_every_option_of_every_command_is_in_the_docs() -> None:
    """A flag only --help names is one a user reading the README never meets (`clean --json`,
    `--html`, `explain --full` and `--drops-only` were so): each option, by one of its names,
    is in README.md or docs/."""
    import click

    docs = "\n".join(p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *(ROOT / "docs").glob("*.md")])
    missing = []
    for name, command in cli.commands.items():
        for param in command.params:
            if isinstance(param, click.Option) and "--help" not in param.opts:
                names = param.opts + param.secondary_opts
                if not any(re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", docs) for n in names):
                    missing.append(f"cleaner {name} {'/'.join(names)}")
    assert not missing


def cleaner(args: list[str], monkeypatch: pytest.MonkeyPatch) -> Result:
    """``cleaner ARGS`` run from the root of the clone, where the examples' paths are. In this
    process: what is checked is what the command does with these arguments (the command as a
    process of its own is tested in test_cli, test_streams and test_reliability)."""
    monkeypatch.chdir(ROOT)
    return CliRunner().invoke(cli, args, prog_name="cleaner")


def _failure(result: Result) -> str:
    return f"{result.output}{result.exception!r}"


@pytest.mark.parametrize("line", [
    line for line in re.findall(r"^\.venv/bin/cleaner (.+)$", README, flags=re.M) if "report" not in line
])
def test_readme_examples_run(line: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(line)]
    result = cleaner(args, monkeypatch)
    assert result.exit_code == 0, _failure(result)


def _help_examples_on_fixtures() -> list[str]:
    """The example lines of every command's --help that run on the bundled fixtures."""
    lines = []
    for command in [[], *([name] for name in cli.commands)]:
        text = CliRunner().invoke(cli, [*command, "--help"]).output
        lines += [line.strip() for line in text.splitlines() if line.strip().startswith("cleaner ")
                  and " fixtures/" in line]
    return lines


@pytest.mark.parametrize("line", _help_examples_on_fixtures())
def test_help_examples_on_the_fixtures_run(line: str, tmp_path: Path,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """A new user copies these from --help in a clone: the paths must exist and the command work."""
    for command in line.split("  #")[0].split(" && "):
        args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(command)]
        assert args[0] == "cleaner", command
        result = cleaner(args[1:], monkeypatch)
        assert result.exit_code == 0, (command, _failure(result))


def test_sidecar_example_matches_a_real_run(monkeypatch: pytest.MonkeyPatch) -> None:
    example = json.loads(re.search(r"```json\n(.*?)\n```", README, flags=re.S).group(1))  # type: ignore[union-attr]
    result = cleaner(["clean", "--json", example["source"]], monkeypatch)
    assert result.exit_code == 0, _failure(result)
    real = json.loads(result.stdout)
    assert set(example) == set(real) - {"text"}
    for key in ("schema_version", "config_hash", "title", "date", "date_source", "language", "metadata",
                "removed", "stats"):
        assert real[key] == example[key], key
