"""The README tells the truth: its commands, its rule table, its sidecar example."""

from __future__ import annotations

import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

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


@pytest.mark.parametrize("line", [
    line for line in re.findall(r"^\.venv/bin/cleaner (.+)$", README, flags=re.M) if "report" not in line
])
def test_readme_examples_run(line: str, tmp_path: Path) -> None:
    args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(line)]
    stdin = None
    proc = subprocess.run([sys.executable, "-m", "cleaner", *args], input=stdin, capture_output=True,
                          cwd=ROOT, timeout=120)
    assert proc.returncode == 0, proc.stderr


def _help_examples_on_fixtures() -> list[str]:
    """The example lines of every command's --help that run on the bundled fixtures."""
    lines = []
    for command in [[], *([name] for name in cli.commands)]:
        text = CliRunner().invoke(cli, [*command, "--help"]).output
        lines += [line.strip() for line in text.splitlines() if line.strip().startswith("cleaner ")
                  and " fixtures/" in line]
    return lines


@pytest.mark.parametrize("line", _help_examples_on_fixtures())
def test_help_examples_on_the_fixtures_run(line: str, tmp_path: Path) -> None:
    """A new user copies these from --help in a clone: the paths must exist and the command work."""
    for command in line.split("  #")[0].split(" && "):
        args = [a.replace("/tmp/", f"{tmp_path}/") for a in shlex.split(command)]
        assert args[0] == "cleaner", command
        proc = subprocess.run([sys.executable, "-m", "cleaner", *args[1:]], capture_output=True, cwd=ROOT,
                              timeout=120)
        assert proc.returncode == 0, (command, proc.stderr)


def test_sidecar_example_matches_a_real_run() -> None:
    example = json.loads(re.search(r"```json\n(.*?)\n```", README, flags=re.S).group(1))  # type: ignore[union-attr]
    proc = subprocess.run([sys.executable, "-m", "cleaner", "clean", "--json", example["source"]],
                          capture_output=True, cwd=ROOT, timeout=120)
    real = json.loads(proc.stdout)
    assert set(example) == set(real) - {"text"}
    for key in ("schema_version", "config_hash", "title", "date", "date_source", "language", "metadata",
                "removed", "stats"):
        assert real[key] == example[key], key
