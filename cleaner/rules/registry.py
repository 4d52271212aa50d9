"""The ordered rule registry and the read-only context every rule sees."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import cached_property
from operator import itemgetter
from typing import TYPE_CHECKING

from ..caches import LINE_RESULTS, LINE_WORD_SETS, content_cache
from ..config import CleanConfig
from ..errors import ConfigError
from ..models import Block, Evidence
from .patterns import CONTENT_WORD

if TYPE_CHECKING:
    from .corpus import BoilerplateModel
    from .page import Region

RuleResult = Evidence | Iterable[Evidence] | None
RuleFn = Callable[[Block, "Context"], RuleResult]


@dataclass(frozen=True, slots=True)
class Rule:
    """A named observer: ``family.rule``, the kind of noise it finds, one line of description."""

    name: str
    kind: str
    description: str
    check: RuleFn
    #: Reads more than the block's text (neighbours, the whole document): never memoized.
    contextual: bool = False
    #: The rule finds nothing in a block of more words than this (its own first test, declared
    #: so that ``decide`` skips it there without a call: most blocks of an article are long).
    max_words: int | None = None

    def evidence(self, block: Block, ctx: Context) -> list[Evidence]:
        found = self.check(block, ctx)
        if found is None:
            return []
        if isinstance(found, Evidence):
            return [found]
        return list(found)


class Context:
    """What a rule may read besides its block: neighbours, the title, document measures."""

    __slots__ = ("__dict__", "blocks", "config", "extracted", "title")

    def __init__(self, blocks: tuple[Block, ...], title: str | None, config: CleanConfig,
                 extracted: bool = False) -> None:
        self.blocks = blocks
        self.title = title
        self.config = config
        #: The text is an extractor's main text of an HTML page, not text as the user gave it.
        self.extracted = extracted

    def neighbour(self, block: Block, step: int) -> Block | None:
        i = block.index + step
        return self.blocks[i] if 0 <= i < len(self.blocks) else None

    @cached_property
    def boilerplate(self) -> BoilerplateModel | None:
        """The config's corpus model (``--boilerplate``), or None: looked up once per document
        (``load_model`` looks whether the file changed)."""
        if not self.config.boilerplate_model:
            return None
        from .corpus import load_model

        return load_model(self.config.boilerplate_model)

    @cached_property
    def content_words(self) -> tuple[frozenset[str], ...]:
        """Per block, its content words: four or more letters, casefolded, cut to STEM_CHARS
        (a crude stem in any language: "Ursprung" ~ "ursprünglich")."""
        return tuple(content_words_of(b.text) for b in self.blocks)

    @cached_property
    def word_blocks(self) -> dict[str, int]:
        """Content word -> number of blocks it occurs in."""
        counts: dict[str, int] = {}
        for words in self.content_words:
            for w in words:
                counts[w] = counts.get(w, 0) + 1
        return counts

    @cached_property
    def prose(self) -> tuple[bool, ...]:
        """Per block, is it a paragraph of prose (see rules.context.is_prose)?"""
        from .context import is_prose_text

        return tuple(is_prose_text(b.text) for b in self.blocks)

    @cached_property
    def title_like(self) -> tuple[bool, ...]:
        """Per block, is it a short title-like line (see rules.context.title_like)?"""
        from .context import title_like_text

        return tuple(False if b.is_list_item else title_like_text(b.text) for b in self.blocks)

    @cached_property
    def main_region(self) -> Region | None:
        """The article body of a whole page (see rules.page), None for an article."""
        from .page import main_region

        if self.extracted or not self.config.find_main_content:
            return None  # trafilatura already took the article out of the page
        return main_region(self.blocks)

    @cached_property
    def keys(self) -> tuple[str, ...]:
        """Comparison key of every block (casefolded, whitespace-collapsed)."""
        return tuple(_key(b.text) for b in self.blocks)


RULES: list[Rule] = []
#: Content words are compared on their first letters only.
STEM_CHARS = 5


# Per-block measures are functions of the block's text (title_like: of a block that is not a
# list item), cached by text (prose and title-like ones in rules.context): every round of rules
# builds a new Context over mostly the same blocks, and a line repeated across the documents of
# a site is measured once.

@content_cache(maxsize=LINE_WORD_SETS)
def content_words_of(text: str) -> frozenset[str]:
    """A text's content words, as ``Context.content_words`` holds them per block."""
    # casefolded all at once (casefold maps each character on its own and never makes a NUL)
    words = "\x00".join(CONTENT_WORD.findall(text)).casefold().split("\x00")
    return frozenset(map(_STEM, words)) - _NO_WORD


_STEM = itemgetter(slice(None, STEM_CHARS))
_NO_WORD = frozenset({""})


@content_cache(maxsize=LINE_RESULTS)
def _key(text: str) -> str:
    return " ".join(text.casefold().split())


def rule(name: str, kind: str, description: str, *, contextual: bool = False,
         max_words: int | None = None) -> Callable[[RuleFn], RuleFn]:
    """Register a rule function under a stable public name (renaming it is a breaking change).
    ``contextual``: the rule reads the block's neighbours or the document, not just its text.
    ``max_words``: the rule returns nothing for a block of more words (``word_count``) than this,
    whatever its neighbours; the function must test it itself too (it is called directly)."""

    def register(fn: RuleFn) -> RuleFn:
        if any(r.name == name for r in RULES):
            raise ValueError(f"rule {name} registered twice")
        RULES.append(Rule(name, kind, description, fn, contextual, max_words))
        return fn

    return register


#: The rule families in the order they run (the first rule that finds a line names its kind).
#: Importing a rule module registers its rules, and the first import of a module may come from
#: anywhere (the pipeline imports the page rule's, the command line the corpus rule's, one rule
#: module may import another): the order is this one all the same, and within a family the
#: order its module defines them in. (It was the command line's order; a library user's was
#: the corpus rule last.)
FAMILY_ORDER = ("page", "corpus", "spam", "caption", "boilerplate", "context")


def all_rules() -> list[Rule]:
    """Every rule, in the order they run (``FAMILY_ORDER``)."""
    if not _LOADED:
        from . import spam, captions, boilerplate, context, page, corpus  # noqa: F401  (registers them)

        RULES.sort(key=lambda r: FAMILY_ORDER.index(r.name.split(".", 1)[0]))  # (stable)
        _LOADED.append(True)
    return RULES


_LOADED: list[bool] = []


def rule_names() -> list[str]:
    return [r.name for r in all_rules()]


def enabled_rules(config: CleanConfig) -> list[Rule]:
    """Rules not switched off; an unknown name in ``disabled_rules`` is a ConfigError."""
    rules = all_rules()
    check_rule_names(config.disabled_rules, "disabled_rules: ")
    return [r for r in rules if config.is_enabled(r.name)]


def check_rule_names(names: Iterable[str], where: str = "") -> None:
    """A ConfigError (its message starting with ``where``) when a name is no rule's, naming it
    and the rules it is probably meant to be. Every way of switching a rule off (``--disable``,
    ``disabled_rules`` in a TOML file or a ``CleanConfig``) checks here, before any document.

    >>> check_rule_names(["caption.credt"])
    Traceback (most recent call last):
    ...
    cleaner.errors.ConfigError: unknown rule 'caption.credt'; did you mean caption.credit? `cleaner rules` lists every rule
    """
    known = rule_names()
    unknown = sorted(set(names) - set(known))
    if not unknown:
        return
    hints = {name: _closest(name, known) for name in unknown}
    if len(unknown) == 1:
        said = f"unknown rule {unknown[0]!r}" + "".join(f"; {hint}" for hint in hints.values() if hint)
    else:
        said = "unknown rules " + ", ".join(f"{name!r}" + (f" ({hint})" if hint else "")
                                            for name, hint in hints.items())
    raise ConfigError(f"{where}{said}{';' * (not said.endswith('?'))} `cleaner rules` lists every rule")


def _closest(name: str, known: list[str]) -> str:
    """What ``name`` probably means, or "": the rule of that name but in other case or without
    its family (``credit``: ``caption.credit``), a family's rules (``boilerplate``: each is
    switched off by its own name), or the nearest spellings."""
    import difflib

    if "," in name:
        names = [part.strip() for part in name.split(",") if part.strip()]
        return "give the rules one by one: " + ", ".join(map(repr, names))
    folded = name.casefold().strip()
    exact = [k for k in known if folded in (k, k.split(".", 1)[1])]
    if exact:
        return f"did you mean {_either(exact)}?"
    stem = folded.rstrip(".*")
    family = [k for k in known if stem and k.startswith(stem + ".")]
    if family:
        some = ", ".join(family[:2]) + ", ..." * (len(family) > 2)
        return f"{stem}.* is a family of {len(family)} rules ({some}), each switched off by its own name"
    scored = sorted(((difflib.SequenceMatcher(None, folded, k).ratio(), k) for k in known), reverse=True)
    close = [k for ratio, k in scored[:3] if ratio >= max(0.6, scored[0][0] - 0.05)]
    return f"did you mean {_either(close)}?" if close else ""


def _either(names: list[str]) -> str:
    return ", ".join(names[:-1]) + " or " + names[-1] if len(names) > 1 else "".join(names)
