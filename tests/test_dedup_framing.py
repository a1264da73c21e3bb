# ruff: noqa: E501  (one hand-written report pair per entry reads better unwrapped)
"""Cross-article dedup: framing (hand-checked report pairs), merged slots, syndication."""

import json
import sys
from datetime import date, timedelta
from pathlib import Path

import pytest

from etl.dedup import compatible, dedup
from etl.schema import Article, Event

from .test_dedup import ARTS, ev

# --- framing: hand-checked report pairs (merge / don't merge) -------------------------
# Each pair is two outlets' reports as the extractor would code them; the comment
# gives the wording. ev() defaults: an Iraqi airstrike on ISIS in Kirkuk on Mon 14 Oct
# 2024, 4 killed. The second report is always from another article.

MON, TUE, WED = date(2024, 10, 14), date(2024, 10, 15), date(2024, 10, 16)
ON_TUE = dict(date_start=TUE, date_end=TUE)
TOLL = lambda n, top="same": dict(killed=n, killed_low=n, killed_high=n if top == "same" else top)  # noqa: E731
NO_TOLL = TOLL(None, None)
RAID = dict(event_type="armed_clash", admin1="Anbar", actor2="ISIS")

SAME_INCIDENT = {
    # "US forces killed three ISIS members in a raid near Rutba" /
    # "Counter-Terrorism Service troops, backed by coalition advisers, killed three militants"
    "joint raid credited to each partner": (
        dict(**RAID, actor1="United States", **TOLL(3)),
        dict(**RAID, actor1="Iraqi Security Forces", **TOLL(3)),
    ),
    # "coalition jets pounded the cave" / "a US airstrike hit the cave"
    "coalition or US: one force, two names": (
        dict(actor1="International Coalition", **NO_TOLL),
        dict(actor1="United States", **NO_TOLL),
    ),
    # "troops clashed with militants, killing five" / "helicopters struck the militants, killing five"
    "a clash and its air support: one raid": (
        dict(**RAID, **TOLL(5)),
        RAID | dict(event_type="airstrike", weapon="helicopter", **TOLL(5)),
    ),
    # "on Monday night" / "the ministry said on Tuesday" (the announcement day)
    "announcement day a day after the strike": (
        dict(actor1="Turkey", actor2="PKK", weapon="drone", **TOLL(2)),
        dict(actor1="Turkey", actor2="PKK", weapon="drone", **ON_TUE, **TOLL(2)),
    ),
    # "in Kirkuk province" / "in northern Iraq"
    "one names the governorate, one does not": (
        dict(),
        dict(admin1=None),
    ),
    # "killed three soldiers" / "killed four soldiers, a security source said"
    "tolls one apart": (
        dict(actor1="ISIS", actor2="Iraqi Security Forces", event_type="armed_clash", **TOLL(3)),
        dict(actor1="ISIS", actor2="Iraqi Security Forces", event_type="armed_clash", **TOLL(4)),
    ),
    # "at least five" / "six to eight"
    "overlapping ranges": (
        dict(**TOLL(5, None)),
        dict(killed=6, killed_low=6, killed_high=8),
    ),
    # "two journalists were killed" / "three PKK members died" in one Turkish drone strike
    "victims framed as civilians or fighters, tolls two and three": (
        dict(
            actor1="Turkey",
            actor2="Civilians",
            weapon="drone",
            location="Kani Sard",
            geo_precision=1,
            **TOLL(2),
        ),
        dict(
            actor1="Turkey",
            actor2="PKK",
            weapon="drone",
            location="Kani Sard",
            geo_precision=1,
            **TOLL(3),
        ),
    ),
    # "F-16s killed six ISIS members at the Wadi Shay caves" / "jets killed six members of a
    # militia at the Wadi Shay caves": one strike, its targets named two ways
    "two armed targets, everything else alike": (
        dict(location="Wadi Shay", geo_precision=1, weapon="F-16", **TOLL(6)),
        dict(
            location="Wadi Shay", geo_precision=1, actor2="Popular Mobilization Forces", **TOLL(6)
        ),
    ),
    # "a volley of missiles hit the city" / "explosive drones struck the city"
    "missiles or drones for one barrage": (
        dict(
            actor1="Iran",
            actor2="Civilians",
            event_type="shelling",
            weapon="missile",
            admin1="Erbil",
            **NO_TOLL,
        ),
        dict(
            actor1="Iran",
            actor2="Unknown",
            event_type="airstrike",
            weapon="drone",
            admin1="Erbil",
            **NO_TOLL,
        ),
    ),
    # "gunmen attacked the post" (attacker unnamed) / "ISIS attacked the post on Monday"
    "an unnamed attacker and a named one, same day": (
        dict(actor1="Unknown", actor2=None, event_type="attack", **NO_TOLL),
        dict(actor1="ISIS", event_type="armed_clash", **NO_TOLL),
    ),
    # "militants stormed an army post, killing three soldiers" / "troops fought off an
    # attack by militants; three soldiers died": each outlet starts with another side
    "the sides read the other way round": (
        dict(actor1="ISIS", actor2="Iraqi Security Forces", event_type="armed_clash", **TOLL(3)),
        dict(actor1="Iraqi Security Forces", actor2="ISIS", event_type="armed_clash", **TOLL(3)),
    ),
    # an undated report ("jets killed four ISIS militants in Kirkuk") / the dated one
    "undated report with the same actor and toll": (
        dict(date_start=None, date_end=WED, date_precision="unknown"),
        dict(),
    ),
}

DIFFERENT_INCIDENTS = {
    # "Iranian missiles hit Erbil" / "a Turkish drone struck near Erbil" the same night
    "two different states": (
        dict(actor1="Iran", event_type="shelling", admin1="Erbil", **NO_TOLL),
        dict(actor1="Turkey", admin1="Erbil", **NO_TOLL),
    ),
    # everything alike but two days apart: windows that do not touch
    "windows two days apart": (dict(), dict(date_start=WED, date_end=WED)),
    # an ambush and a raid in the same district three weeks later
    "an ambush and a later raid": (
        dict(event_type="armed_clash", actor1="ISIS", actor2="Iraqi Security Forces"),
        dict(
            event_type="armed_clash", date_start=MON + timedelta(20), date_end=MON + timedelta(20)
        ),
    ),
    # an undated, vague report: nothing ties it to the dated strike
    "an undated report that agrees on nothing": (
        dict(actor1="Unknown", actor2=None, **NO_TOLL),
        dict(
            date_start=None,
            date_end=MON + timedelta(20),
            date_precision="unknown",
            actor1="Unknown",
            actor2=None,
        ),
    ),
    # the later report gives a far lower toll (a rising toll would be an update)
    "tolls far apart, the later lower": (dict(**TOLL(20)), dict(**TOLL(4))),
    "two named villages": (
        dict(location="Wadi Zghaitun", geo_precision=1),
        dict(location="Tal Ward", geo_precision=1),
    ),
    "two governorates": (dict(admin1="Kirkuk"), dict(admin1="Salah al-Din")),
    # "ISIS fighters attacked a village" / "the army struck ISIS", same day: ISIS is the
    # army's target in one, but the other's target (villagers) is not the army
    "ISIS and the army as the attacker": (
        dict(actor1="ISIS", actor2="Civilians"),
        dict(actor1="Iraqi Security Forces"),
    ),
    # Turkish drones hit Iranian-backed positions / Iranian missiles hit a Turkish base
    "two states, each the other's target": (
        dict(actor1="Turkey", actor2="Iran", **NO_TOLL),
        dict(actor1="Iran", actor2="Turkey", **NO_TOLL),
    ),
    # US strikes on a militia and the PMF's own attack: adversaries, not partners
    "the PMF and the US": (
        dict(actor1="Popular Mobilization Forces", actor2=None, **NO_TOLL),
        dict(actor1="United States", actor2=None, **NO_TOLL),
    ),
    "an airstrike and a car bomb": (dict(), dict(event_type="bombing", weapon="car bomb")),
    # "jets killed five militants" / "troops killed four militants in a clash" (published
    # later, so not a rising toll), one day, one governorate: the usual sides and the day
    # are not enough for two framing differences
    "a strike and a clash with other tolls on one day": (
        dict(**TOLL(5)),
        dict(event_type="armed_clash", **TOLL(4)),
    ),
    # "US jets struck ISIS in the desert" / "US jets struck a militia depot", same day:
    # two different armed targets need more than the attacker and the day in common
    "one attacker, two armed targets": (
        dict(actor1="United States", actor2="ISIS", admin1="Anbar", **NO_TOLL),
        dict(actor1="United States", actor2="Iran-backed militias", admin1="Anbar", **NO_TOLL),
    ),
    # joint partners, a clash and a strike, tolls near: three framing differences
    "too many framing differences": (
        dict(**RAID, actor1="United States", **TOLL(3)),
        RAID | dict(event_type="airstrike", actor1="Iraqi Security Forces", **TOLL(4)),
    ),
    # partners named differently and nothing else in common (week windows, no place, no toll)
    "a framing difference with no agreement": (
        dict(
            actor1="United States",
            actor2=None,
            date_precision="week",
            date_end=MON + timedelta(6),
            **NO_TOLL,
        ),
        dict(
            actor1="Iraqi Security Forces",
            actor2=None,
            date_precision="week",
            date_end=MON + timedelta(6),
            **NO_TOLL,
        ),
    ),
}


@pytest.mark.parametrize(
    "first,second,same",
    [pytest.param(a, b, True, id=k) for k, (a, b) in SAME_INCIDENT.items()]
    + [pytest.param(a, b, False, id=k) for k, (a, b) in DIFFERENT_INCIDENTS.items()],
)
def test_framing_pairs(first, second, same):
    pub = {a.article_id: a.pub_date for a in ARTS}
    x, y = ev("x", 0, **first), ev("y", 5, **second)  # art5 is published a day later
    assert compatible(x, y, pub) is same
    assert compatible(y, x, pub) is same  # symmetric
    assert (len(dedup([x, y], ARTS)) == 1) is same


def test_merged_slots_take_the_best_supported_actor_and_the_day_precise_date():
    a = ev("a", 0, actor1="Iraqi Security Forces", event_type="airstrike")
    b = ev("b", 4, actor1="United States", event_type="armed_clash")
    c = ev("c", 5, actor1="United States", date_start=MON, date_end=TUE)
    week = dict(date_start=MON - timedelta(3), date_end=MON + timedelta(3), date_precision="week")
    d = ev("d", 6, actor1="Unknown", **week)
    [m] = dedup([a, b, c, d], ARTS)
    assert m.event_id == "a" and m.actor1 == "United States"  # two reports of three named
    assert (m.date_start, m.date_end, m.date_precision) == (MON, MON, "day")
    [m] = dedup([a, b], ARTS)
    assert m.event_type == "armed_clash"  # one strike, one battle: the battle
    # two day-precise reports whose windows overlap: the day both allow
    [m] = dedup([ev("a", 0, date_start=MON - timedelta(1), date_end=MON), c], ARTS)
    assert (m.date_start, m.date_end, m.event_date) == (MON, MON, MON)


# --- syndication: copies cost nothing more than one report ---------------------------


def copies(n: int, template: dict, first_art: int = 0) -> list[Event]:
    return [ev(f"{template['tag']}{i:04d}", first_art + i, **template["fields"]) for i in range(n)]


SYNDICATED = [
    {"tag": "a", "fields": dict(actor1="International Coalition")},
    {"tag": "b", "fields": dict(actor1="Unknown", weapon="F-16")},
    {"tag": "c", "fields": dict(actor1="United States", admin1=None, **ON_TUE)},
    {"tag": "z", "fields": dict(admin1="Diyala", actor1="Turkey")},  # another incident
    {"tag": "g", "fields": dict(is_aggregate=True, date_start=date(2024, 1, 1))},
]


def count_assess(monkeypatch, module):
    import etl.dedup.rules as rules

    calls = []

    def counted(a, b, pub=None):
        calls.append(1)
        return rules.assess(a, b, pub)

    monkeypatch.setattr(module, "assess", counted)
    return calls


@pytest.mark.parametrize("n", [3, 40])
def test_copies_are_compared_once_per_signature(monkeypatch, n):
    """n outlets republish each of four reports of one incident (three framings) and
    one of another; the rules run as often for 40 copies as for 3."""
    import etl.dedup.cluster as cluster

    calls = count_assess(monkeypatch, cluster)
    events = [e for k, t in enumerate(SYNDICATED) for e in copies(n, t, first_art=100 * k)]
    arts = [Article(article_id=f"art{i}", origin="x", pub_date=TUE) for i in range(600)]
    groups = merged_with(events, arts)
    assert sorted(map(len, groups)) == [n, n, 3 * n]
    assert len(calls) <= 10  # pairs of 5 distinct reports, not of 5n


def merged_with(events, arts):
    return [sorted((e.event_id, *e.merged_from)) for e in dedup(events, arts)]


@pytest.mark.parametrize("n", [3, 40])
def test_the_sweep_compares_copies_once(tmp_path, monkeypatch, n):
    import etl.dedup.sweep as sweep
    from etl.dedup import sweep_labels
    from etl.store import write_raw_tables

    calls = count_assess(monkeypatch, sweep)
    events = [e for k, t in enumerate(SYNDICATED) for e in copies(n, t, first_art=100 * k)]
    write_raw_tables(events, tmp_path)
    pub = {f"art{i}": TUE for i in range(600)}
    lab = sweep_labels(tmp_path / "_raw_events.parquet", pub, tmp_path / "work", buffer=7)
    assert sorted(np_counts(lab)) == [n, n, 3 * n]
    assert len(calls) <= 10


def np_counts(lab):
    import numpy as np

    return np.bincount(lab)[np.bincount(lab) > 0].tolist()


def test_the_benchmark_replicates_articles_with_distinct_ids_and_texts(tmp_path):
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))
    from bench_etl import replicate_devset

    dev = tmp_path / "dev"
    dev.mkdir()
    (dev / "x1.txt").write_text("Jets struck a depot near Qaim on Monday, killing two guards.\n")
    (dev / "x1.meta.json").write_text(json.dumps({"published": "2024-05-07", "source": "S"}))
    (dev / "x2.txt").write_text("Gunmen shot a shepherd near Tuz on Sunday.\n")
    out = replicate_devset(dev, 60, tmp_path / "c.jsonl")
    rows = [json.loads(line) for line in out.read_text().splitlines()]
    assert len(rows) == 60 and len({r["id"] for r in rows}) == 60
    assert len({r["text"] for r in rows}) == 60  # content hashes differ
    x1 = [r for r in rows if r["id"].startswith("x1-")]
    assert len(x1) == 30 and {r["published"] for r in x1} == {"2024-05-07"}
    assert all(r["text"].startswith("Jets struck a depot") for r in x1)
    assert not any(ch.isdigit() for r in rows for ch in r["text"].rsplit("(", 1)[1])
