"""Word lists that live in data files (cleaner/data/*.toml), loaded once on first use."""

from __future__ import annotations

import tomllib
from functools import cache
from importlib.resources import files
from typing import Any


@cache
def load_data(name: str) -> dict[str, Any]:
    """Parse ``cleaner/data/<name>.toml``."""
    text = (files("cleaner") / "data" / f"{name}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


@cache
def header_keys() -> dict[str, str]:
    """Header key as written (lowercase) -> canonical field name."""
    return {alias: field for field, aliases in load_data("headers")["keys"].items() for alias in aliases}


@cache
def month_names() -> dict[str, int]:
    """Month name or abbreviation (any language, lowercase) -> month number."""
    table: dict[str, int] = {}
    for names_by_month in load_data("headers")["months"].values():
        for number, names in enumerate(names_by_month, start=1):
            for name in names:
                table.setdefault(name, number)
    return table


@cache
def social_pattern():  # type: ignore[no-untyped-def]
    """A follow/share row: a follow verb and a platform name, in either order."""
    import regex

    data = load_data("web")
    nets = "|".join(regex.escape(n) for n in sorted(data["social_networks"], key=len, reverse=True))
    verbs = "|".join(regex.escape(v) for v in sorted(data["follow_verbs"], key=len, reverse=True))
    return regex.compile(rf"\b(?:{verbs})\b.*\b(?:{nets})\b|\b(?:{nets})\b.*\b(?:{verbs})\b", regex.I)


@cache
def stoplist_languages() -> tuple[str, ...]:
    """The languages of jusText's stoplists (about 100; jusText is installed with trafilatura)."""
    import justext

    return tuple(sorted(justext.get_stoplists()))


@cache
def stopwords() -> dict[str, int]:
    """Stopword (casefolded) -> bit mask of the languages whose stoplist has it: bit ``i`` is
    ``stoplist_languages()[i]`` (a mask, not a set per word: four times faster to build)."""
    import justext

    table: dict[str, int] = {}
    for i, language in enumerate(stoplist_languages()):
        bit = 1 << i
        for word in justext.get_stoplist(language):
            word = word.casefold()
            table[word] = table.get(word, 0) | bit
    return table
