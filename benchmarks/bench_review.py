"""Dashboard filter latency with analysts' edits present, beside the same data without.

    .venv/bin/python benchmarks/bench_review.py [--events 1000000] [--overrides 10000]

Uses bench_dashboard's synthetic data set and its callback client. The same events
are served twice: from the data directory as the ETL wrote it (no review store
edits) and from a second directory linking to the same files whose review store
holds `--overrides` edited events (80% slot corrections, 10% confirmed, 5% not an
event, 5% duplicates of another event). For each: the reviewed data set's build
time (once per edit), then filter-change median and p95 over the same changes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_dashboard as bd  # noqa: E402

from dashboard.state import ViewState  # noqa: E402
from etl.schema import ACTORS, EVENT_TYPES, Col  # noqa: E402

GOAL_P95 = 0.150


def linked_copy(data: Path, out: Path) -> Path:
    """A data directory showing the same tables (symlinks), with its own review store."""
    out.mkdir(parents=True, exist_ok=True)
    for name in ("events", "articles", "casualties", "runs"):
        src, dst = data / f"{name}.parquet", out / f"{name}.parquet"
        if src.exists() and not dst.exists():
            dst.symlink_to(src.resolve())
    return out


def add_edits(data: Path, n: int, seed: int = 3) -> float:
    from dashboard.review.store import FILENAME, ReviewStore, User
    from dashboard.review.view import anchor_of
    from etl.store import read_events

    path = data / FILENAME
    stamp = data / ".edits"
    if path.exists() and stamp.exists() and stamp.read_text() == f"{n} {seed}":
        return 0.0  # the same edits are there from an earlier run
    if path.exists():
        path.unlink()
        for extra in ("-wal", "-shm"):
            Path(str(path) + extra).unlink(missing_ok=True)
    store = ReviewStore(path)
    cols = [Col.EVENT_ID, Col.ARTICLE_IDS, Col.EVIDENCE, Col.ACTOR1, Col.KILLED]
    events = read_events(data, cols)
    rng = random.Random(seed)
    rows = sorted(rng.sample(range(events.num_rows), min(n + n // 20, events.num_rows)))
    picked = events.take(rows).to_pylist()
    targets, picked = picked[n:], picked[:n]
    user = User("bench", "editor")
    t0 = time.perf_counter()
    for i, r in enumerate(picked):
        kw = dict(user=user, expected_version=0, anchor=anchor_of(r))
        k = i % 20
        if k < 16:
            changes = {Col.ACTOR1: rng.choice(ACTORS)}
            if k % 2:
                changes[Col.EVENT_TYPE] = rng.choice(EVENT_TYPES)
            if k % 4 == 1:
                changes[Col.KILLED] = rng.randint(0, 30)
            store.edit(r[Col.EVENT_ID], changes, **kw)
        elif k < 18:
            store.set_verdict(r[Col.EVENT_ID], "confirmed", **kw)
        elif k < 19:
            store.set_verdict(r[Col.EVENT_ID], "not_event", **kw)
        else:
            other = targets[i % len(targets)][Col.EVENT_ID] if targets else picked[0][Col.EVENT_ID]
            store.set_verdict(r[Col.EVENT_ID], "duplicate_of", other=other, **kw)
    stamp.write_text(f"{n} {seed}")
    return time.perf_counter() - t0


def measure(data: Path, states: list[ViewState]) -> dict:
    from dashboard.app import create_app
    from dashboard.data import load_dataset
    from dashboard.review.load import reviewed

    t0 = time.perf_counter()
    app = create_app(data)
    t_create = time.perf_counter() - t0
    from dashboard.review import load as review_load

    review_load._build.cache_clear()  # built once per edit: time a fresh build
    t0 = time.perf_counter()
    ds = reviewed(load_dataset(data))  # what every view reads
    t_review = time.perf_counter() - t0
    cl = bd.Client(app)
    bd.change_cost(cl, ViewState(), {})
    bd.change_cost(cl, ViewState(tab="casualties"), {})
    _ = load_dataset(data).events
    timings: dict = {}
    totals = [bd.change_cost(cl, vs, timings) for vs in states]
    steps = {f"  {k} median": statistics.median(v) for k, v in timings.items()}
    return {
        **steps,
        "create": t_create,
        "review build": t_review,
        "events": len(ds.frame),
        "median": statistics.median(totals),
        "p95": bd.pct(totals, 0.95),
        "max": max(totals),
    }


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--overrides", type=int, default=10_000)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--data", type=Path, default=None)
    args = ap.parse_args(argv)
    data = bd.dataset(args.events, args.data)
    edited = linked_copy(data, Path(tempfile.gettempdir()) / f"sortie-bench-review-{args.events}")
    t_edits = add_edits(edited, args.overrides)
    print(f"{args.overrides:,} edits in the review store (written in {t_edits:.1f}s; 0: reused)")
    from dashboard.data import load_dataset

    states = bd.random_states(args.changes, load_dataset(data))
    plain = measure(data, states)
    with_edits = measure(edited, states)
    print(
        f"\n{args.events:,} events, {args.changes} filter changes, load avg "
        f"{os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)"
    )
    print(f"{'':34}{'no edits':>14}{f'{args.overrides:,} edits':>16}")
    for key, label in (
        ("events", "events shown"),
        ("create", "app creation + data load"),
        ("review build", "reviewed data set (per edit)"),
        ("median", "filter change median"),
        ("p95", "FILTER CHANGE P95"),
        ("max", "filter change max"),
        *((k, k) for k in plain if k.startswith("  ")),
    ):
        a, b = plain[key], with_edits[key]
        fmt = (lambda v: f"{v:,}") if key == "events" else (lambda v: f"{v * 1000:,.1f} ms")
        print(f"{label:34}{fmt(a):>14}{fmt(b):>16}")
    print(f"goal: filter p95 < {GOAL_P95 * 1000:.0f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
