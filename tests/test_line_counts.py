"""`cleaner learn` in bounded memory: counts spilled to disk give the model counted in memory."""

from __future__ import annotations

import json
import logging
import random
from collections import Counter
from pathlib import Path

import pytest

from cleaner import line_counts
from cleaner.corpus import LearnOptions, learn
from cleaner.line_counts import LineCounts

from .test_datasets import run, write_jsonl

SITES = ["news.example.org", "blog.example.com", "www.zeitung.example", "shop.example.net"]


def documents(n: int, seed: int = 3) -> list[tuple[list[str], str | None]]:
    """Documents as (line keys, site): lines shared by all sites, lines of one site, rare lines."""
    rng = random.Random(seed)
    common = [f"jetzt abonnieren und lesen {i}" for i in range(6)]
    local = {site: [f"{site} menu item {i}" for i in range(8)] for site in SITES}
    docs = []
    for d in range(n):
        site = rng.choice([*SITES, None])
        keys = {k for k in common if rng.random() < 0.3}
        if site is not None:
            keys |= {k for k in local[site] if rng.random() < 0.4}
        keys |= {f"a line of document {d} number {j}" for j in range(rng.randrange(5))}
        docs.append((sorted(keys), site))
    return docs


@pytest.mark.parametrize("budget", [1, 7, 50, 10_000])
def test_the_parts_sum_to_the_counts_in_memory(budget: int, tmp_path: Path) -> None:
    per_line: Counter[str] = Counter()
    per_site_line: Counter[tuple[str, str]] = Counter()
    per_sentence: Counter[str] = Counter()
    summed_lines: Counter[str] = Counter()
    summed_sites: Counter[tuple[str, str]] = Counter()
    summed_sentences: Counter[str] = Counter()
    story_ids: dict[str, set[int]] = {}
    merged: dict[str, int | tuple[int, ...]] = {}
    rng = random.Random(8)
    with LineCounts(budget, tmp_path) as counts:
        for keys, site in documents(200):
            sentences = keys[::3]
            story = rng.choice([rng.getrandbits(64), 17, 5])  # (stories that many documents share)
            counts.add(keys, site, sentences, story)
            per_line.update(keys)
            per_site_line.update((site, k) for k in keys if site is not None)
            per_sentence.update(sentences)
            for k in keys:
                story_ids.setdefault(k, set()).add(story)
        seen: set[str] = set()
        for lines, sites, as_sentence, stories in counts.parts():
            merged.update(stories)
            assert not seen & set(lines), "a line in two parts"
            assert {key for _, key in sites} <= set(lines) and set(as_sentence) <= set(lines)
            seen |= set(lines)
            summed_lines.update(lines)
            summed_sites.update(sites)
            summed_sentences.update(as_sentence)
        assert (counts.spills > 0) == (budget < 10_000)
    assert summed_lines == per_line and summed_sites == per_site_line and summed_sentences == per_sentence
    # each line's smallest distinct story ids, up to STORIES_KEPT, whatever was spilled when
    expected = {k: ids[0] if len(ids) == 1 else tuple(ids[:line_counts.STORIES_KEPT])
                for k, ids in ((k, sorted(v)) for k, v in story_ids.items())}
    assert merged == expected and any(isinstance(v, tuple) for v in merged.values())
    assert list(tmp_path.iterdir()) == []  # the temporary files are gone


def test_learning_over_the_memory_budget_gives_the_same_model(tmp_path: Path, monkeypatch, caplog) -> None:
    records = [
        {"url": f"https://{site}/a/{i}" if site else f"doc-{i}",
         "text": "\n\n".join([*(k.capitalize() for k in keys), f"Ein Absatz des Artikels Nummer {i} "
                              "mit genug Wörtern, um Prosa zu sein, und einem Punkt am Ende."])}
        for i, (keys, site) in enumerate(documents(300))
    ]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    options = LearnOptions(id_key="url", min_docs=5)
    in_memory = learn(corpus, options)
    assert len(in_memory["lines"]) > 10 and any(v["sites"] for v in in_memory["lines"].values())
    monkeypatch.setattr(line_counts, "BYTES_PER_ENTRY", 1024 * 1024)  # 16 MB: 16 entries
    caplog.set_level(logging.INFO, logger="cleaner")
    spilled = learn(corpus, options, memory_mb=16)
    assert "went to disk" in caplog.text
    assert spilled == in_memory


def test_learn_takes_a_memory_budget_on_the_command_line(tmp_path: Path) -> None:
    records = [{"text": "\n\n".join(keys)} for keys, _ in documents(60)]
    corpus = write_jsonl(tmp_path / "corpus.jsonl", records)
    models = []
    for memory in ("16", "256"):
        result = run("learn", str(corpus), "-o", str(tmp_path / f"m{memory}.json"), "--memory-mb", memory,
                     "--min-docs", "5", "-q")
        assert result.exit_code == 0, result.output
        models.append(json.loads((tmp_path / f"m{memory}.json").read_text(encoding="utf-8")))
    assert models[0] == models[1] and models[0]["lines"]
    result = run("learn", str(corpus), "-o", str(tmp_path / "m.json"), "--memory-mb", "1")
    assert result.exit_code == 2 and "--memory-mb" in result.output


def test_a_line_with_a_lone_surrogate_is_learned_and_removed(tmp_path: Path) -> None:
    """A "\\ud83d" escape (a broken emoji) gives a line UTF-8 cannot hold: hashing it and writing
    the model stopped `learn` with a UnicodeEncodeError."""
    banner = "Jetzt abonnieren \ud83d und sparen"
    records = [{"text": f"{banner}\n\nEin Absatz Nummer {i} mit genug Worten, um Prosa zu sein, und "
                        "einem Punkt am Ende."} for i in range(30)]
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="ascii")  # "\ud83d" escapes
    result = run("learn", str(corpus), "-o", str(tmp_path / "model.json"), "-q")
    assert result.exit_code == 0, result.output
    model = json.loads((tmp_path / "model.json").read_text(encoding="utf-8"))
    assert [v["sample"] for v in model["lines"].values()] == [banner.casefold()]
    result = run("clean", str(corpus), "-o", str(tmp_path / "out.jsonl"), "--boilerplate",
                 str(tmp_path / "model.json"), "--workers", "1", "--no-language", "-q")
    assert result.exit_code == 0, result.output
    out = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text(encoding="utf-8").splitlines()]
    assert all(r["text"].startswith("Ein Absatz") for r in out)
