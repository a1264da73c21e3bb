"""`make eval`: extraction scores against the shared gold sets, beside a naive baseline.

Runs the ETL over `seeds/` and `../shared/devset/` into temporary directories,
scores each with `../shared/tools/score.py`, and does the same for a baseline
that keeps Sortie's events but stamps the publication date on every one (what
GDELT-style coders do). Prints one table, metrics down, runs across.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.store import read_events  # noqa: E402

METRICS = (
    "gold_events",
    "tp",
    "fp",
    "fn",
    "precision",
    "recall",
    "f1",
    "full_match_rate",
    "acc_type",
    "acc_date_exact",
    "acc_date_in_window",
    "acc_precision",
    "acc_actor1",
    "acc_actor2",
    "acc_admin1",
    "acc_killed",
    "acc_wounded",
    "acc_strikes",
)


def run_etl(source: Path, out: Path) -> None:
    cmd = [sys.executable, "-m", "etl", "run", str(source), "--data", str(out), "--quiet"]
    subprocess.run(cmd, check=True, cwd=ROOT)


def baseline(data: Path, out: Path) -> None:
    """Same events, every one dated on its article's publication date."""
    out.mkdir(parents=True, exist_ok=True)
    articles = pq.read_table(data / "articles.parquet")
    events = read_events(data)
    pub = dict(
        zip(articles["article_id"].to_pylist(), articles["pub_date"].to_pylist(), strict=True)
    )
    stamped = [pub.get(ids[0]) for ids in events["article_ids"].to_pylist()]
    idx = events.schema.get_field_index("event_date")
    events = events.set_column(idx, "event_date", pc.cast(stamped, events.schema.field(idx).type))
    pq.write_table(events, out / "events.parquet")
    pq.write_table(articles, out / "articles.parquet")


def score(shared: Path, gold: str, data: Path, verbose: bool = False) -> dict:
    cmd = [
        sys.executable,
        str(shared / "tools" / "score.py"),
        "--gold",
        str(shared / "gold" / gold),
        "--data",
        str(data),
        "--json",
    ]
    result = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    if verbose:
        cmd[-1] = "--verbose"
        print(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    return result


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--verbose", action="store_true", help="print the scorer's per-event details")
    args = ap.parse_args()
    shared = Path(args.shared).resolve()
    sets = [("seeds", ROOT / "seeds", "seeds.jsonl"), ("dev", shared / "devset", "dev.jsonl")]
    columns: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="sortie-eval-") as tmp:
        for name, source, gold in sets:
            if not source.exists() or not (shared / "gold" / gold).exists():
                print(f"skipping {name}: {source} or its gold file is missing")
                continue
            ours, base = Path(tmp) / name, Path(tmp) / f"{name}-baseline"
            run_etl(source, ours)
            baseline(ours, base)
            columns[f"sortie {name}"] = score(shared, gold, ours, args.verbose)
            columns[f"baseline {name}"] = score(shared, gold, base)
    if not columns:
        return 1
    names = list(columns)
    print(f"{'metric':22}" + "".join(f"{n:>18}" for n in names))
    for metric in METRICS:
        cells = [columns[n].get(metric) for n in names]
        print(f"{metric:22}" + "".join(f"{'-' if c is None else c:>18}" for c in cells))
    return 0


if __name__ == "__main__":
    sys.exit(main())
