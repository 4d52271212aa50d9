"""CleanConfig: every setting of a cleaning run, in one immutable object.

Precedence (resolved once, in the CLI): defaults, then a TOML file (``--config``), then flags.
To change a setting, make a modified copy with :func:`dataclasses.replace`.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from dataclasses import asdict, dataclass, field, fields, replace
from functools import lru_cache
from pathlib import Path
from typing import Any, Literal

from .errors import ConfigError

HtmlMode = Literal["auto", "always", "never"]

MAX_INPUT_BYTES_DEFAULT = 100 * 1024 * 1024
DOC_TIMEOUT_SECONDS_DEFAULT = 30.0
MAX_LINE_CHARS_DEFAULT = 20_000
LANGUAGE_SAMPLE_CHARS_DEFAULT = 600
DROP_WEIGHT_DEFAULT = 1.0


@dataclass(frozen=True, slots=True)
class CleanConfig:
    """Settings of one cleaning run. Every field has a default."""

    #: Rule names (``family.rule``) that are switched off. See ``cleaner rules``.
    disabled_rules: frozenset[str] = field(default_factory=frozenset)
    #: Detect the language with langdetect (the slowest stage; off for speed).
    detect_language: bool = True
    #: Characters of text sampled for language detection (from the longest blocks).
    language_sample_chars: int = LANGUAGE_SAMPLE_CHARS_DEFAULT
    #: Total evidence weight a block needs before it is removed. Higher keeps more.
    drop_weight: float = DROP_WEIGHT_DEFAULT
    #: Treat input as HTML: "auto" (by file extension or content), "always" or "never".
    html: HtmlMode = "auto"
    #: Documents larger than this many bytes are refused with an error.
    max_input_bytes: int = MAX_INPUT_BYTES_DEFAULT
    #: Seconds one document may take before it is reported as failed (0: no limit).
    doc_timeout: float = DOC_TIMEOUT_SECONDS_DEFAULT
    #: Lines longer than this many characters are cut at whitespace into pieces of at most
    #: this length before normalization; nothing is dropped (0: no limit).
    max_line_chars: int = MAX_LINE_CHARS_DEFAULT
    #: Look for a page's article body when the text is a whole page (menus, footers around prose).
    find_main_content: bool = True
    #: Path of a corpus boilerplate model made by ``cleaner learn`` (None: not used).
    boilerplate_model: str | None = None

    def __post_init__(self) -> None:
        """Check every value (a TOML file, or a program, can give any type): a wrong one is a
        ConfigError that names the setting, never a wrong run or a TypeError later."""
        rules = self.disabled_rules
        if isinstance(rules, str):
            rules = (rules,)
        try:
            rules = frozenset(rules)
        except TypeError:
            raise ConfigError(f"disabled_rules must be a list of rule names, not {rules!r}") from None
        if not all(isinstance(r, str) for r in rules):
            raise ConfigError(f"disabled_rules must be a list of rule names, not {sorted(map(repr, rules))}")
        object.__setattr__(self, "disabled_rules", rules)
        if rules:  # a misspelt name switched nothing off: refused now, not at the first document
            from .rules.registry import check_rule_names  # (it imports this module: not at the top)

            check_rule_names(rules, "disabled_rules: ")
        for name in ("detect_language", "find_main_content"):
            if not isinstance(getattr(self, name), bool):
                raise ConfigError(f"{name} must be true or false, not {getattr(self, name)!r}")
        for name in ("language_sample_chars", "max_input_bytes", "max_line_chars"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ConfigError(f"{name} must be a whole number >= 0, not {value!r}")
        for name in ("drop_weight", "doc_timeout"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not value >= 0 \
                    or value == float("inf"):
                raise ConfigError(f"{name} must be a number >= 0, not {value!r}")
        if self.html not in ("auto", "always", "never"):
            raise ConfigError(f"html must be 'auto', 'always' or 'never', not {self.html!r}")
        if self.boilerplate_model is not None:
            if not isinstance(self.boilerplate_model, (str, Path)):
                raise ConfigError(f"boilerplate_model must be a file name, not {self.boilerplate_model!r}")
            object.__setattr__(self, "boilerplate_model", str(self.boilerplate_model))

    def is_enabled(self, rule: str) -> bool:
        return rule not in self.disabled_rules

    def with_changes(self, **changes: Any) -> CleanConfig:
        """A copy with some settings changed; the original is untouched."""
        return replace(self, **changes)

    def digest(self) -> str:
        """Short stable hash of the effective settings, recorded in every sidecar."""
        return _digest(self)


@lru_cache(maxsize=64)
def _digest(config: CleanConfig) -> str:
    # cached: every document of a run records it, and the config is immutable
    data = asdict(config)
    data["disabled_rules"] = sorted(config.disabled_rules)
    blob = json.dumps(data, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:12]


def valid_keys() -> list[str]:
    return [f.name for f in fields(CleanConfig)]


def config_from_mapping(data: dict[str, Any], base: CleanConfig | None = None) -> CleanConfig:
    """Apply the keys of a mapping (kebab-case or snake_case) over ``base``.

    >>> config_from_mapping({"detect-language": False}).detect_language
    False
    """
    base = base or CleanConfig()
    known = set(valid_keys())
    changes: dict[str, Any] = {}
    for key, value in data.items():
        name = key.replace("-", "_")
        if name == "disable":  # the CLI's spelling
            name = "disabled_rules"
        if name not in known:
            raise ConfigError(f"unknown setting {key!r}; valid settings: {', '.join(sorted(known))}")
        changes[name] = value  # (CleanConfig makes disabled_rules a frozenset)
    try:
        return replace(base, **changes)  # (CleanConfig checks the values)
    except TypeError as exc:  # pragma: no cover - replace() validates names only
        raise ConfigError(str(exc)) from exc


#: The settings that name a file: in a config file, relative to the file's own directory.
PATH_SETTINGS = ("boilerplate_model",)


def load_config(path: str | Path, base: CleanConfig | None = None) -> CleanConfig:
    """Read a TOML file: settings at the top level or under ``[clean]``; only keys present
    override. A file with a ``[clean]`` table holds every setting in it: a key outside it would
    be ignored, so it is an error. A UTF-8 byte-order mark (Windows editors write one) is
    skipped. A relative path in it (``boilerplate_model``) is relative to the file's directory,
    not to where the command runs."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8-sig"))
    except OSError as exc:
        raise ConfigError(f"cannot read config {path}: {exc.strerror}") from exc
    except UnicodeDecodeError as exc:
        raise ConfigError(f"config {path} is not UTF-8 text (byte {exc.start + 1}); TOML files are UTF-8") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config {path} is not valid TOML: {exc}") from exc
    section = data.get("clean", data)
    if not isinstance(section, dict):
        raise ConfigError(f"config {path}: [clean] must be a table")
    outside = sorted(key for key in data if key != "clean") if section is not data else []
    if outside:
        raise ConfigError(f"config {path}: {', '.join(map(repr, outside))} outside the [clean] table; "
                          "with a [clean] table, every setting goes in it")
    try:
        return config_from_mapping(_paths_from(Path(path).parent, section), base)
    except ConfigError as exc:  # (which file said it: flags can give the same settings)
        raise ConfigError(f"config {path}: {exc}") from None


def _paths_from(directory: Path, section: dict[str, Any]) -> dict[str, Any]:
    """``section`` with its relative paths (:data:`PATH_SETTINGS`, either spelling) joined to
    ``directory``; a value that is no string is left for CleanConfig to refuse.

    >>> _paths_from(Path("conf"), {"boilerplate-model": "m.json", "html": "auto"})
    {'boilerplate-model': 'conf/m.json', 'html': 'auto'}
    >>> _paths_from(Path("conf"), {"boilerplate_model": "/srv/m.json"})
    {'boilerplate_model': '/srv/m.json'}
    """
    joined = dict(section)
    for key, value in section.items():
        if key.replace("-", "_") in PATH_SETTINGS and isinstance(value, str) and value \
                and not Path(value).is_absolute():
            joined[key] = str(directory / value)
    return joined
