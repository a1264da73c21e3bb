"""Golden test: the five seed articles through the whole pipeline.

The expected events in `golden/seeds_events.json` were checked by hand against
the gold annotations and the texts. Events are matched in order of
(type, earliest date); only the listed fields are compared.
"""

import json
from datetime import date
from pathlib import Path

import pytest

from etl.pipeline import process
from etl.sources import read_sources

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = json.loads((Path(__file__).parent / "golden" / "seeds_events.json").read_text())


@pytest.fixture(scope="module")
def seeds():
    return {a.origin: process(a) for a in read_sources([ROOT / "seeds"])}


def plain(value):
    return value.isoformat() if isinstance(value, date) else value


@pytest.mark.parametrize("origin", sorted(GOLDEN["articles"]))
def test_seed_article_dates(seeds, origin):
    article, _ = seeds[origin]
    assert article.status == "ok"
    got = {k: plain(getattr(article, k)) for k in GOLDEN["articles"][origin]}
    assert got == GOLDEN["articles"][origin]


@pytest.mark.parametrize("origin", sorted(GOLDEN["events"]))
def test_seed_events(seeds, origin):
    _, events = seeds[origin]
    expected = GOLDEN["events"][origin]
    assert len(events) == len(expected), [e.evidence[:80] for e in events]
    for want in expected:
        candidates = [e for e in events if e.event_type == want["event_type"]]
        got = [{k: plain(getattr(e, k)) for k in want} for e in candidates]
        assert want in got, f"{origin}: no event like {want}; got {got}"
