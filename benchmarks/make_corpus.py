"""Synthetic news corpus for the ETL benchmark: `make_corpus.py N OUT.jsonl [--seed S]`.

Realistic in shape, not in content: mostly non-violent news (economy, politics,
sport, culture, weather, services) and a minority (~20%) of incident reports
(airstrikes, bombings, clashes, drone strikes, shelling, operations) set in
places from etl/data/place_aliases.csv. Lengths vary from one paragraph to a
dozen. Every sentence comes from the templates below (written for this
benchmark), so the corpus can be regenerated anywhere, any size.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = ROOT / "etl" / "data" / "place_aliases.csv"
INCIDENT_SHARE = 0.2

WEEKDAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
NUMBERS = ("two", "three", "four", "five", "six", "seven", "eight", "nine", "ten", "12", "15")
SOURCES = ("Example Wire", "Desk News", "Tigris Daily", "Northern Herald", "Gulf Monitor")

INCIDENTS = (
    "Iraqi F-16 jets struck an ISIS hideout in {place} on {day}, killing {n} militants, the Security Media Cell said.",  # noqa: E501
    "A car bomb exploded near a market in {place} on {day}, killing {n} civilians and wounding {m} others, police said.",  # noqa: E501
    "ISIS militants attacked an army checkpoint in {place} on {day} night, killing {n} soldiers, security sources said.",  # noqa: E501
    "Turkish drones struck a vehicle near {place} on {day}, killing {n} PKK fighters, a local official said.",  # noqa: E501
    "Artillery shelled villages near {place} on {day}, wounding {m} people, the mayor said.",
    "Iraqi forces launched an operation against ISIS remnants in {place} on {day}, the Joint Operations Command said.",  # noqa: E501
    "An IED exploded targeting a Popular Mobilization Forces patrol in {place} on {day}, killing {n} fighters.",  # noqa: E501
    "Coalition aircraft carried out {n} airstrikes on ISIS positions in {place} on {day}, the coalition said.",  # noqa: E501
)
CALM = (
    "The Central Bank of Iraq said on {day} that the dinar held steady against the dollar in {place}.",  # noqa: E501
    "Officials in {place} opened a new water treatment plant on {day}, serving {m} thousand residents.",  # noqa: E501
    "The provincial council of {place} met on {day} to discuss the budget for schools and hospitals.",  # noqa: E501
    "Farmers around {place} expect a good wheat harvest after winter rains, the agriculture directorate said.",  # noqa: E501
    "The national football team trained in {place} on {day} ahead of the Gulf Cup qualifier.",
    "A book fair in {place} drew thousands of visitors on {day}, organisers said.",
    "Electricity supply in {place} improved to {m} hours a day, the ministry said on {day}.",
    "Temperatures in {place} are expected to reach 48 degrees this week, the weather office said.",
    "Students in {place} sat their final exams on {day}, the education directorate said.",
    "A delegation of investors visited {place} on {day} to study housing projects.",
)
FILLER = (
    "The statement gave no further details.",
    "Officials said an investigation had been opened.",
    "Residents described long queues at petrol stations in recent weeks.",
    "The ministry said the figures would be updated.",
    "Local media reported that roads in the area were reopened later in the day.",
    "Analysts say the security situation has improved since 2017 but remains fragile.",
    "The governor called for more investment in infrastructure and services.",
    "Prices of basic goods rose slightly compared with last month.",
    "Several international organisations have offered support for reconstruction.",
    "Parliament is expected to vote on the matter next month.",
)


def load_places() -> list[str]:
    with PLACES.open(encoding="utf-8") as f:
        return sorted({row["alias"] for row in csv.DictReader(f) if row["alias"]})


def article(rng: random.Random, places: list[str], n: int) -> dict:
    published = date(2017, 1, 1) + timedelta(days=rng.randrange(3000))
    incident = rng.random() < INCIDENT_SHARE
    fill = {
        "place": rng.choice(places),
        "day": rng.choice(WEEKDAYS),
        "n": rng.choice(NUMBERS),
        "m": rng.randrange(2, 60),
    }
    lead = rng.choice(INCIDENTS if incident else CALM).format(**fill)
    paragraphs = [lead]
    for _ in range(rng.choice((0, 1, 2, 3, 4, 6, 8, 11))):
        sentences = rng.sample(FILLER, rng.randint(1, 3))
        if rng.random() < 0.15:  # background mention of another place
            other = dict(fill, place=rng.choice(places), day=rng.choice(WEEKDAYS))
            sentences.append(rng.choice(CALM).format(**other))
        paragraphs.append(" ".join(sentences))
    title = lead.split(",")[0][:90]
    return {
        "id": f"a{n:07d}",
        "text": title + "\n\n" + "\n\n".join(paragraphs),
        "published": published.isoformat(),
        "source": rng.choice(SOURCES),
        "url": f"https://news.example.org/{published:%Y/%m}/a{n:07d}",
        "title": title,
        "incident": incident,
    }


def make_corpus(n: int, out: Path, seed: int = 7) -> Path:
    rng = random.Random(seed)
    places = load_places()
    out.parent.mkdir(parents=True, exist_ok=True)
    with out.open("w", encoding="utf-8") as f:
        for i in range(n):
            f.write(json.dumps(article(rng, places, i)) + "\n")
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("n", type=int)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    make_corpus(args.n, args.out, args.seed)


if __name__ == "__main__":
    main()
