"""The synthetic benchmark corpus (benchmarks/make_corpus.py): shape, determinism, templates."""

from __future__ import annotations

import importlib.util
import json
import statistics
import string
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
_path = ROOT / "benchmarks" / "make_corpus.py"
_spec = importlib.util.spec_from_file_location("make_corpus", _path)
mc = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(mc)

FIELDS = {"id", "text", "published", "source", "url", "title", "incident"}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> list[dict]:
    out = mc.make_corpus(1500, tmp_path_factory.mktemp("corpus") / "c.jsonl", seed=7)
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]


def test_records_have_the_benchmark_fields(corpus):
    assert all(set(r) == FIELDS for r in corpus)
    assert len({r["id"] for r in corpus}) == len(corpus)
    assert all(r["text"].startswith(r["title"] + "\n\n") for r in corpus)


def test_deterministic_given_the_seed(tmp_path):
    a = mc.make_corpus(200, tmp_path / "a.jsonl", seed=3).read_bytes()
    b = mc.make_corpus(200, tmp_path / "b.jsonl", seed=3).read_bytes()
    c = mc.make_corpus(200, tmp_path / "c.jsonl", seed=4).read_bytes()
    assert a == b != c


def test_lengths_and_incident_share_are_news_like(corpus):
    words = sorted(len(r["text"].split()) for r in corpus)
    assert 250 <= statistics.median(words) <= 300
    assert words[0] < 110 and words[-1] > 900
    assert 0.16 < sum(r["incident"] for r in corpus) / len(corpus) < 0.24


def test_every_slot_is_filled(corpus):
    assert not any("{" in r["text"] or "}" in r["text"] for r in corpus)


def test_incident_leads_name_a_gazetteer_place(corpus):
    aliases = {p.alias for p in mc.load_places()}
    for r in corpus:
        if r["incident"]:
            lead = r["text"].split("\n\n")[1]
            assert any(f" {a} " in lead or f" {a}," in lead for a in aliases), lead


def test_templates_use_only_known_slots():
    fixed = {"place", "place2", "province", "day", "date", "n", "m"}
    dynamic = {"person", "k", "num", "big", "pct", "bn", "other", "year", "hist_year"}
    dynamic |= {"lib_year", "month", "month2", "weekday", "date2", "when", "next"}
    quote = {"quote", "quote_lc", "speaker", "speaker_mid", "speaker_cap_mid", "source"}
    pools = [v for k, v in vars(mc).items() if k.isupper() and isinstance(v, tuple)]
    pools += [pool for topic in mc.TOPICS.values() for pool in topic]
    for pool in pools:
        for template in pool:
            if not isinstance(template, str):
                continue
            names = {f for _, f, _, _ in string.Formatter().parse(template) if f}
            allowed = fixed | dynamic | (quote if pool is mc.QUOTE_FRAMES else set())
            assert names <= allowed, template
