"""`make eval`: extraction scores against the shared gold sets, and every error by slot.

Runs the ETL over `seeds/` and `../shared/devset/` into temporary directories and scores
them with `../shared/tools/score.py`:

- extraction, one event per article report (`--no-dedup`), for the seeds, d01-d18 (the
  articles the first rules were written against) and d19-d65 (added later) separately,
  beside a baseline that keeps Sortie's events but stamps the publication date on each
  (what GDELT-style coders do);
- cross-article dedup (a normal run) with `../shared/tools/dedup_score.py`: pair precision
  and recall from the gold `incident` slugs;
- then every error on the dev set, grouped by slot (FN, FP, type, date, actor1, admin1,
  killed, strikes, boundaries), so that a pattern shows as a pattern.

`--gold FILE --source DIR` scores any other gold file (e.g. `sortie-review export-gold`).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

import pandas as pd
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
# Dev subsets: (name, first article number, last).
SUBSETS = (("d01-d18", 1, 18), ("d19-d65", 19, 65))


def run_etl(source: Path, out: Path, dedup: bool = True) -> None:
    cmd = [sys.executable, "-m", "etl", "run", str(source), "--data", str(out), "--quiet"]
    subprocess.run(cmd + ([] if dedup else ["--no-dedup"]), check=True, cwd=ROOT)


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


def score(shared: Path, gold: Path, data: Path) -> dict:
    cmd = [sys.executable, str(shared / "tools" / "score.py"), "--gold", str(gold)]
    cmd += ["--data", str(data), "--json"]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def dedup_score(shared: Path, gold: Path, data: Path) -> tuple[dict, list[str]]:
    cmd = [sys.executable, str(shared / "tools" / "dedup_score.py"), "--gold", str(gold)]
    out = subprocess.run(cmd + ["--data", str(data)], check=True, capture_output=True, text=True)
    lines = out.stdout.strip().splitlines()
    return json.loads(lines[-1]), [x.strip() for x in lines[:-1]]


def subset(gold: Path, lo: int, hi: int, out: Path) -> Path:
    rows = [json.loads(x) for x in gold.read_text().splitlines() if x.strip()]
    keep = [r for r in rows if r["article"][1:3].isdigit() and lo <= int(r["article"][1:3]) <= hi]
    out.write_text("".join(json.dumps(r) + "\n" for r in keep))
    return out


# --- errors by slot -------------------------------------------------------------------
def load_scorer(shared: Path):
    spec = importlib.util.spec_from_file_location("sortie_score", shared / "tools" / "score.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def predictions(data: Path, S) -> dict[str, list[dict]]:
    """Gold article name -> that article's predicted (non-aggregate) events."""
    arts = pd.read_parquet(data / "articles.parquet")
    name = {r.article_id: Path(r.origin).name for r in arts.itertuples()}
    out: dict[str, list[dict]] = defaultdict(list)
    for r in read_events(data).to_pylist():
        if r["is_aggregate"]:
            continue
        p = {k: r[k] for k in ("event_type", "actor1", "actor2", "admin1", "killed", "strikes")}
        p["event_date"] = r["event_date"]
        p["date_precision"] = r["date_precision"]
        p["evidence"] = r["evidence"]
        for a in r["article_ids"]:
            out[name.get(a, a)].append(p)
    return out


def errors(shared: Path, gold: Path, data: Path) -> dict[str, list[str]]:
    """The scorer's own matching, then each slot that differs, one line per error."""
    S = load_scorer(shared)
    preds_by = predictions(data, S)
    out: dict[str, list[str]] = defaultdict(list)
    for g in (json.loads(x) for x in gold.read_text().splitlines() if x.strip()):
        art = g["article"]
        preds = preds_by.get(art, [])
        ge = [e for e in g["events"] if not e.get("aggregate")]
        pairs = sorted(
            ((S.pair_score(e, p), i, j) for i, e in enumerate(ge) for j, p in enumerate(preds)),
            reverse=True,
        )
        used_g, used_p, match = set(), set(), {}
        for s, i, j in pairs:
            if s > 0 and i not in used_g and j not in used_p:
                used_g.add(i)
                used_p.add(j)
                match[i] = j
        for i, e in enumerate(ge):
            if e.get("optional"):
                continue
            ev = (e.get("evidence") or "")[:70]
            if i not in match:
                out["FN"].append(f"{art} {e['type']} {e.get('date') or e.get('window')}: {ev}")
                continue
            p = preds[match[i]]
            killed = S.gold_total(e.get("casualties", []), "killed")
            admins = S.as_list(e.get("admin1"))
            checks = (
                ("type", p["event_type"] == e["type"], p["event_type"], e["type"]),
                (
                    "date",
                    S.in_window(p["event_date"], e.get("window")),
                    p["event_date"],
                    e.get("window"),
                ),
                ("actor1", p["actor1"] == e.get("actor1"), p["actor1"], e.get("actor1")),
                ("admin1", not admins or p["admin1"] in admins, p["admin1"], admins),
                ("killed", S.in_rng(p["killed"], killed), p["killed"], killed),
                (
                    "strikes",
                    e.get("strikes") is None or S.in_rng(p["strikes"], S.rng(e["strikes"])),
                    p["strikes"],
                    e.get("strikes"),
                ),
            )
            for slot, ok, got, want in checks:
                if not ok:
                    out[slot].append(f"{art} {e['type']}: got {got!r}, gold {want!r} | {ev}")
        for j, p in enumerate(preds):
            if j not in used_p:
                ev = (p["evidence"] or "")[:70]
                line = f"{art} {p['event_type']} {p['event_date']} {p['admin1']} k={p['killed']}"
                out["FP"].append(f"{line}: {ev}")
        # an article with both a miss and a spurious event: an incident split or merged wrongly
        fns = sum(1 for i, e in enumerate(ge) if i not in match and not e.get("optional"))
        fps = sum(1 for j in range(len(preds)) if j not in used_p)
        if fns and fps:
            out["boundaries"].append(f"{art}: {fns} missed and {fps} spurious events")
    return out


SLOTS = ("FN", "FP", "boundaries", "type", "date", "actor1", "admin1", "killed", "strikes")


def table(columns: dict[str, dict]) -> None:
    names = list(columns)
    print(f"{'metric':22}" + "".join(f"{n:>17}" for n in names))
    for metric in METRICS:
        cells = [columns[n].get(metric) for n in names]
        print(f"{metric:22}" + "".join(f"{'-' if c is None else c:>17}" for c in cells))


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--shared", default=str(ROOT.parent / "shared"))
    ap.add_argument("--gold", help="score this gold file instead of the shared sets")
    ap.add_argument("--source", help="the articles the --gold file codes")
    ap.add_argument("--no-errors", action="store_true", help="skip the list of errors")
    args = ap.parse_args()
    shared = Path(args.shared).resolve()
    gold_dir = shared / "gold"
    with tempfile.TemporaryDirectory(prefix="sortie-eval-") as tmp:
        tmp = Path(tmp)
        if args.gold:
            run_etl(Path(args.source), tmp / "own", dedup=True)
            table({"sortie": score(shared, Path(args.gold), tmp / "own")})
            return 0
        columns: dict[str, dict] = {}
        if (gold_dir / "seeds.jsonl").exists():
            run_etl(ROOT / "seeds", tmp / "seeds", dedup=False)
            columns["seeds"] = score(shared, gold_dir / "seeds.jsonl", tmp / "seeds")
        dev_gold = gold_dir / "dev.jsonl"
        if not dev_gold.exists() or not (shared / "devset").exists():
            print("no dev set: only the seeds are scored")
            table(columns)
            return 0 if columns else 1
        dev, dev_base = tmp / "dev", tmp / "dev-baseline"
        run_etl(shared / "devset", dev, dedup=False)
        baseline(dev, dev_base)
        for name, lo, hi in SUBSETS:
            g = subset(dev_gold, lo, hi, tmp / f"{name}.jsonl")
            columns[name] = score(shared, g, dev)
        columns["dev all"] = score(shared, dev_gold, dev)
        columns["baseline d19-65"] = score(shared, tmp / "d19-d65.jsonl", dev_base)
        columns["baseline dev"] = score(shared, dev_gold, dev_base)
        print("Extraction, one event per article report (--no-dedup):")
        table(columns)

        merged = tmp / "dev-dedup"
        run_etl(shared / "devset", merged, dedup=True)
        pairs, notes = dedup_score(shared, dev_gold, merged)
        after = score(shared, dev_gold, merged)
        print(
            f"\nCross-article dedup (normal run): {pairs['gold_pairs']} gold pairs, "
            f"{pairs['pred_pairs']} predicted, precision {pairs['precision']}, "
            f"recall {pairs['recall']}; event F1 after dedup {after['f1']}, "
            f"full match {after['full_match_rate']}"
        )
        for line in notes:
            print(f"  {line}")
        if args.no_errors:
            return 0
        errs = errors(shared, dev_gold, dev)
        print("\nErrors on the dev set by slot (one event per article report):")
        for slot in SLOTS:
            rows = errs.get(slot, [])
            print(f"\n[{slot}] {len(rows)}")
            for row in rows:
                print(f"  {row}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
