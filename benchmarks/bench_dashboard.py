"""Dashboard benchmark on 1,000,000 synthetic events.

    .venv/bin/python benchmarks/bench_dashboard.py [--events N] [--changes 50] [--data DIR]

Generates (or reuses) a synthetic data set with make_synthetic_events.py, then
measures through Flask's test client posting to /_dash-update-component (the real
callback path, JSON serialisation included):

- first render: app creation + data load + the page's initial callback outputs
  (URL sync, KPI cards, the default tab's figure, the drill-down table);
- filter changes: ~50 varied filter/view changes; for each, the server time of every
  callback the change triggers (URL sync, KPIs, the active tab's figure(s),
  drill-down pager and table), summed.

Goal: first render < 1.5 s and filter p95 < 150 ms on the 2-core dev machine.

Then the loopback load test of the served app (benchmarks/load_dashboard.py: 8
clients, with and without a hostile request in flight, 60 s cap) on the same data.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

import make_synthetic_events as gen  # noqa: E402

from dashboard import ids  # noqa: E402
from dashboard.sections.common import STATE  # noqa: E402
from dashboard.sections.filters import CONTROLS  # noqa: E402
from dashboard.state import ViewState  # noqa: E402
from etl.schema import EVENT_TYPES, PRECISIONS  # noqa: E402

GOALS = {"first render": 1.5, "filter p95": 0.150}
FIGURE_OUTPUT = {
    "tempo": f"..{ids.TEMPO_GRAPH}.figure...{ids.TEMPO_CURVES}.data..",
    "casualties": f"..{ids.CAS_GRAPH}.figure...{ids.CAS_CURVES}.data..",
    "provinces": f"..{ids.MAP_GRAPH}.figure...{ids.HEATMAP_GRAPH}.figure..",
}


def dataset(n: int, out: Path | None) -> Path:
    out = out or Path(tempfile.gettempdir()) / f"sortie-bench-{n}-by-month"
    stamp = out / ".complete"
    if not stamp.exists():
        t0 = time.perf_counter()
        gen.write_dataset(gen.generate(n, seed=7), out)
        stamp.write_text(str(n))
        print(f"generated {n:,} events in {time.perf_counter() - t0:.1f}s -> {out}")
    else:
        print(f"reusing {out}")
    return out


class Client:
    """Posts callback requests the way the Dash renderer does."""

    def __init__(self, app):
        self.app = app
        self.client = app.server.test_client()

    def call(self, output: str, values: dict) -> tuple[float, dict | None]:
        body = request_body(self.app, output, values)
        t0 = time.perf_counter()
        r = self.client.post("/_dash-update-component", json=body)
        dt = time.perf_counter() - t0
        if r.status_code not in (200, 204):
            raise RuntimeError(f"{output}: HTTP {r.status_code}: {r.data[:300]!r}")
        return dt, (json.loads(r.data) if r.status_code == 200 else None)


def request_body(app, output: str, values: dict) -> dict:
    """The JSON body the Dash renderer posts to /_dash-update-component for `output`,
    with `values` by (component id, property); the first input is the changed one."""
    spec = app.callback_map[output]

    def items(kind):
        return [
            {
                "id": d["id"],
                "property": d["property"],
                "value": values.get((d["id"], d["property"])),
            }
            for d in spec[kind]
        ]

    outs = [
        {"id": p.rsplit(".", 1)[0], "property": p.rsplit(".", 1)[1]}
        for p in output.strip(".").split("...")
    ]
    return {
        "output": output,
        "outputs": outs if len(outs) > 1 else outs[0],
        "inputs": items("inputs"),
        "state": items("state"),
        "changedPropIds": [f"{i['id']}.{i['property']}" for i in spec["inputs"]][:1],
    }


def sync_output() -> str:
    return "..url.search...state.data..." + "...".join(f"{c}.{p}" for c, p, _ in CONTROLS) + ".."


def drill_output(app) -> str:
    return next(k for k in app.callback_map if k.startswith(f"..{ids.DRILL_TABLE}."))


def change_steps(
    app, vs: ViewState, state: dict | None = None, search: str | None = None
) -> list[tuple[str, str, dict]]:
    """(name, output, input values) of the callbacks one state change triggers, in the
    order the page runs them; `state` and `search` override the state store's content
    and the query string."""
    state = vs.as_dict() if state is None else state
    values = {(c, p): _ctl(vs, a) for c, p, a in CONTROLS}
    values[(ids.URL, "search")] = vs.to_query() if search is None else search
    return [
        ("sync", sync_output(), values),
        (
            "kpis",
            f"..{ids.KPI_ROW}.children...{ids.FRESHNESS}.children..",
            {(STATE, "data"): state},
        ),
        ("figure", FIGURE_OUTPUT[vs.tab], {(STATE, "data"): state}),
        ("drill page", f"{ids.DRILL_PAGE}.data", {(STATE, "data"): state}),
        (
            "drill table",
            drill_output(app),
            {(ids.DRILL_PAGE, "data"): 0, (STATE, "data"): state},
        ),
    ]


def change_cost(cl: Client, vs: ViewState, timings: dict[str, list[float]]) -> float:
    """Server time of all callbacks one state change triggers."""
    total = 0.0
    for name, output, vals in change_steps(cl.app, vs):
        dt, _ = cl.call(output, vals)
        timings.setdefault(name, []).append(dt)
        total += dt
    return total


def _ctl(vs: ViewState, attr: str):
    v = getattr(vs, attr)
    return list(v) if isinstance(v, tuple) else v


def random_states(n: int, ds) -> list[ViewState]:
    rng = random.Random(11)
    ext = ds.extent()
    years = list(range(ext[0].year, ext[1].year + 1))
    actors, govs, outlets = ds.actors, ds.values("admin1"), ds.outlets
    out = []
    for i in range(n):
        kw: dict = {"tab": ("tempo", "casualties", "provinces")[i % 3]}
        if rng.random() < 0.6:
            y = rng.choice(years)
            span = rng.choice([30, 90, 365, 730])
            start = f"{y}-{rng.randint(1, 12):02d}-01"
            from datetime import date, timedelta

            kw["date_from"] = start
            kw["date_to"] = (date.fromisoformat(start) + timedelta(days=span)).isoformat()
        if rng.random() < 0.4:
            kw["event_types"] = tuple(rng.sample(EVENT_TYPES, rng.randint(1, 3)))
        if rng.random() < 0.3:
            kw["actors"] = tuple(rng.sample(actors, rng.randint(1, 2)))
        if rng.random() < 0.3:
            kw["admin1"] = tuple(rng.sample(govs, rng.randint(1, 3)))
        if rng.random() < 0.2:
            kw["min_precision"] = rng.choice(PRECISIONS[:3])
        if rng.random() < 0.2:
            kw["sources"] = (rng.choice(outlets),)
        if rng.random() < 0.1:
            kw["include_aggregates"] = True
        kw["freq"] = rng.choice(("day", "week", "month", "month"))
        kw["tempo_metric"] = rng.choice(("strikes", "strike_events", "events"))
        kw["tempo_layout"] = rng.choice(("stack", "stack", "facet"))
        kw["cas_mode"] = rng.choice(("suffered", "caused"))
        kw["prov_metric"] = rng.choice(("events", "strikes", "killed"))
        out.append(ViewState(**kw))
    return out


def pct(values: list[float], q: float) -> float:
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--events", type=int, default=1_000_000)
    ap.add_argument("--changes", type=int, default=50)
    ap.add_argument("--data", type=Path, default=None, help="data dir (default: a temp dir)")
    ap.add_argument(
        "--load-seconds",
        type=float,
        default=14.0,
        help="seconds per phase of the loopback load test (load_dashboard.py); 0 skips it",
    )
    args = ap.parse_args(argv)
    data = dataset(args.events, args.data)

    # --- first render (cold: nothing read yet in this process) --------------------------
    t0 = time.perf_counter()
    from dashboard.app import create_app

    t_import = time.perf_counter() - t0
    t0 = time.perf_counter()
    app = create_app(data)
    t_create = time.perf_counter() - t0
    cl = Client(app)
    t0 = time.perf_counter()
    assert cl.client.get("/").status_code == 200
    assert cl.client.get("/_dash-layout").status_code == 200
    t_layout = time.perf_counter() - t0
    first: dict[str, list[float]] = {}
    t_callbacks = change_cost(cl, ViewState(), first)
    t_first = t_create + t_layout + t_callbacks

    # --- filter changes -------------------------------------------------------------------
    from dashboard.data import load_dataset

    states = random_states(args.changes, load_dataset(data))
    # steady state: the first casualties view prepares the per-side table once, and the
    # full events table (drill-down rows) is read in the background after the first page
    change_cost(cl, ViewState(tab="casualties"), {})
    _ = load_dataset(data).events
    timings: dict[str, list[float]] = {}
    totals = [change_cost(cl, vs, timings) for vs in states]

    import os

    rows = [
        ("data set", f"{args.events:,} events", ""),
        ("load average (1 min) at the end", f"{os.getloadavg()[0]:.2f}", f"{os.cpu_count()} cores"),
        ("imports (dash, pandas, pyarrow...)", f"{t_import * 1000:,.0f} ms", "not counted"),
        ("app creation + data load", f"{t_create * 1000:,.0f} ms", ""),
        ("page + layout requests", f"{t_layout * 1000:,.0f} ms", ""),
        ("initial callbacks", f"{t_callbacks * 1000:,.0f} ms", ""),
        (
            "FIRST RENDER",
            f"{t_first * 1000:,.0f} ms",
            f"goal < {GOALS['first render'] * 1000:.0f} ms",
        ),
        ("filter changes", f"{len(totals)}", ""),
        ("filter change median", f"{statistics.median(totals) * 1000:,.1f} ms", ""),
        (
            "FILTER CHANGE P95",
            f"{pct(totals, 0.95) * 1000:,.1f} ms",
            f"goal < {GOALS['filter p95'] * 1000:.0f} ms",
        ),
        ("filter change max", f"{max(totals) * 1000:,.1f} ms", ""),
    ]
    for name, ts in timings.items():
        rows.append(
            (
                f"  {name} (median / p95)",
                f"{statistics.median(ts) * 1000:,.1f} / {pct(ts, 0.95) * 1000:,.1f} ms",
                "",
            )
        )
    by_tab: dict[str, list[float]] = {}
    for vs, t in zip(states, totals, strict=True):
        by_tab.setdefault(vs.tab, []).append(t)
    for tab, ts in by_tab.items():
        rows.append(
            (
                f"  tab {tab} (median / p95)",
                f"{statistics.median(ts) * 1000:,.1f} / {pct(ts, 0.95) * 1000:,.1f} ms",
                "",
            )
        )
    w = max(len(r[0]) for r in rows)
    print()
    print(f"{'measure'.ljust(w)}  {'value':>22}  note")
    print(f"{'-' * w}  {'-' * 22}  {'-' * 20}")
    for name, val, note in rows:
        print(f"{name.ljust(w)}  {val:>22}  {note}")
    ok = t_first < GOALS["first render"] and pct(totals, 0.95) < GOALS["filter p95"]
    print("\nGOALS MET" if ok else "\ngoals missed")
    if args.load_seconds > 0:
        import load_dashboard

        print("\n--- loopback load test (benchmarks/load_dashboard.py) ---")
        load_dashboard.main(["--data", str(data), "--seconds", str(args.load_seconds)])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
