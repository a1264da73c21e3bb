"""Loopback load test of the served dashboard (gunicorn, as `sortie-dashboard` runs it).

    .venv/bin/python benchmarks/load_dashboard.py --data DIR [--clients 8] [--seconds 20]

(`make bench-dashboard` runs it after the in-process measurements, on the same data.)

Starts `python -m dashboard` on 127.0.0.1 (a free port; never another interface) with
its default workers and threads for this machine, then:

1. warm-up (discarded): the clients below in 3 s slices until the p95 settles (every
   worker has read and prepared what the views need), at most `--warmup` s;
2. normal: `--clients` clients, each in a loop posting the callbacks of random filter
   changes (the same mix as bench_dashboard.py), `--seconds` in all;
3. hostile: the same, while one more client keeps one hostile request in flight at a
   time (issue 10's B6 link, `/?from=0001-01-01&to=9999-12-31&freq=day`, on every tab,
   and forged states that must get 400), `--seconds` in all.

Phases 2 and 3 alternate in `--slices` slices, so a change in the machine's load
(it is shared) falls on both.

It reports p50 / p95 / max latency per request and the errors of each phase, and the
hostile requests' own figures. The whole run is capped at `--cap` seconds (60): the
phases are shortened to fit. Goals (issue 10): p95 < 400 ms, 0 errors, and the hostile
client moves the others' p95 by less than 50%.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

HOST = "127.0.0.1"  # loopback only
GOALS = {"p95": 0.400, "errors": 0, "p95 increase": 0.50}
PATH = "/_dash-update-component"


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def serve(data: Path, port: int, workers: int | None, threads: int | None, log) -> subprocess.Popen:
    cmd = [sys.executable, "-m", "dashboard", "--data", str(data), "--host", HOST]
    cmd += ["--port", str(port)]
    if workers:
        cmd += ["--workers", str(workers)]
    if threads:
        cmd += ["--threads", str(threads)]
    return subprocess.Popen(
        cmd,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: stopped with its workers
    )


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGINT)  # gunicorn's quick shutdown (TERM waits)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def group_rss_mb(pgid: int) -> list[float]:
    """Resident memory (MB) of every process in process group `pgid` (Linux /proc)."""
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            if int(fields[2]) != pgid:  # after the name: state, ppid, pgrp, ...
                continue
            status = (stat.parent / "status").read_text().splitlines()
            kb = next(int(line.split()[1]) for line in status if line.startswith("VmRSS"))
            out.append(kb / 1024)
        except (OSError, ValueError, IndexError, StopIteration):
            continue
    return sorted(out)


def post(conn: http.client.HTTPConnection, body: bytes) -> tuple[int, float]:
    t0 = time.perf_counter()
    conn.request("POST", PATH, body=body, headers={"Content-Type": "application/json"})
    r = conn.getresponse()
    r.read()
    return r.status, time.perf_counter() - t0


def wait_ready(port: int, body: bytes, deadline: float) -> float:
    """Seconds until the server answers a callback (the data loaded in a worker)."""
    t0 = time.perf_counter()
    while time.perf_counter() < deadline:
        try:
            conn = http.client.HTTPConnection(HOST, port, timeout=30)
            status, _ = post(conn, body)
            conn.close()
            if status == 200:
                return time.perf_counter() - t0
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("the dashboard did not start in time")


class Phase:
    """Latencies and errors of one phase, shared by its client threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.times: list[float] = []
        self.by_name: dict[str, list[float]] = {}
        self.errors: list[str] = []

    def add(self, status: int | None, dt: float, what: str, ok=(200, 204)) -> None:
        with self.lock:
            self.times.append(dt)
            self.by_name.setdefault(what, []).append(dt)
            if status not in ok:
                self.errors.append(f"{what}: {status}")


HARD_STOP = [float("inf")]  # perf_counter time no request may run past (the cap)


def client_loop(port, bodies, stop_at, phase: Phase, seed: int, ok=(200, 204)) -> None:
    rng = random.Random(seed)
    conn = http.client.HTTPConnection(HOST, port, timeout=60)
    while time.perf_counter() < stop_at:
        change = rng.choice(bodies)  # one filter change: its callbacks in order
        for name, body, *want in change:
            if time.perf_counter() >= stop_at:
                break
            try:
                # a request still running at the cap fails (a timeout counts as an error)
                conn.timeout = max(0.1, min(60.0, HARD_STOP[0] - time.perf_counter()))
                if conn.sock is not None:
                    conn.sock.settimeout(conn.timeout)
                status, dt = post(conn, body)
            except (OSError, http.client.HTTPException) as exc:
                status, dt = None, 0.0
                conn.close()
                conn = http.client.HTTPConnection(HOST, port, timeout=60)
                name = f"{name} ({type(exc).__name__})"
            phase.add(status, dt, name, tuple(want) or ok)
    conn.close()


def run_phase(
    port, bodies, clients, seconds, hostile=None, normal=None, bad=None
) -> tuple[Phase, Phase | None]:
    """Run the clients (and the hostile one) for `seconds`, adding to `normal` / `bad`."""
    normal = normal or Phase()
    bad = bad or (Phase() if hostile else None)
    stop_at = time.perf_counter() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(port, bodies, stop_at, normal, i))
        for i in range(clients)
    ]
    if hostile:
        threads.append(threading.Thread(target=client_loop, args=(port, hostile, stop_at, bad, 99)))
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return normal, bad


def warm_up(port, bodies, clients, most: float, latest: float) -> None:
    """Run the clients in 3-second slices until a slice's p95 is within 25% of the one
    before (each worker has read the whole events table in the background, prepared
    the casualties, ...), for at least 9 s (each worker starts reading the whole events
    table 3 s after its first drill-down page, and that takes seconds), at most `most`
    seconds and not past `latest`."""
    t_min = time.perf_counter() + 9.0
    t_end = min(time.perf_counter() + most, latest)
    prev = None
    while time.perf_counter() + 1 < t_end:
        ph, _ = run_phase(port, bodies, clients, min(3.0, t_end - time.perf_counter()))
        p95 = pct(ph.times, 0.95)
        if prev is not None and p95 <= prev * 1.25 and time.perf_counter() >= t_min:
            return
        prev = p95


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    s = sorted(values)
    return s[min(len(s) - 1, int(round(q * (len(s) - 1))))]


def build_bodies(app, ds, n_changes: int):
    """(normal changes, hostile requests): each a list of (name, JSON body, [status])."""
    from bench_dashboard import change_steps, random_states, request_body

    from dashboard.state import ViewState

    def encode(steps, want=()):
        return [
            (name, json.dumps(request_body(app, out, vals)).encode(), *want)
            for name, out, vals in steps
        ]

    normal = [encode(change_steps(app, vs)) for vs in random_states(n_changes, ds)]
    hostile = []
    for tab in ("tempo", "casualties", "provinces"):
        search = f"?tab={tab}&from=0001-01-01&to=9999-12-31&freq=day"
        vs = ViewState.from_query(search)
        raw = {**vs.as_dict(), "date_from": "0001-01-01", "date_to": "9999-12-31"}
        hostile.append(encode(change_steps(app, vs, raw, search)))
    for forged in ({"freq": 5}, {"event_types": 7}, "not a state"):
        steps = change_steps(app, ViewState(), forged)[1:3]  # KPIs and the figure
        hostile.append(encode(steps, (400,)))
    return normal, hostile


def report(rows: list[tuple[str, Phase]]) -> dict:
    print(f"{'phase':<34} {'requests':>8} {'errors':>6} {'p50':>8} {'p95':>8} {'max':>8}")
    out = {}
    for name, ph in rows:
        t = ph.times
        out[name] = (pct(t, 0.5), pct(t, 0.95), max(t, default=float("nan")), len(ph.errors))
        p50, p95, mx, nerr = out[name]
        print(
            f"{name:<34} {len(t):>8,} {nerr:>6} {p50 * 1000:>6.0f}ms {p95 * 1000:>6.0f}ms "
            f"{mx * 1000:>6.0f}ms"
        )
        for what, ts in sorted(ph.by_name.items()):
            print(
                f"    {what:<30} {len(ts):>8,} {'':>6} {pct(ts, 0.5) * 1000:>6.0f}ms "
                f"{pct(ts, 0.95) * 1000:>6.0f}ms {max(ts) * 1000:>6.0f}ms"
            )
        for e in sorted(set(ph.errors))[:5]:
            print(f"    error: {e}")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, required=True)
    ap.add_argument("--clients", type=int, default=8)
    ap.add_argument("--seconds", type=float, default=14.0, help="per phase")
    ap.add_argument("--cap", type=float, default=60.0, help="the whole run, startup included")
    ap.add_argument("--workers", type=int, default=None, help="default: the CLI's")
    ap.add_argument("--threads", type=int, default=None, help="default: the CLI's")
    ap.add_argument("--changes", type=int, default=60, help="distinct filter changes")
    ap.add_argument("--warmup", type=float, default=15.0, help="at most, not counted")
    ap.add_argument("--slices", type=int, default=4, help="alternations of the two phases")
    args = ap.parse_args(argv)
    t_start = time.perf_counter()
    deadline = t_start + args.cap

    from dashboard.__main__ import default_workers
    from dashboard.app import create_app
    from dashboard.data import load_dataset

    app = create_app(args.data)  # for the callback specs and the states' vocabulary
    normal, hostile = build_bodies(app, load_dataset(args.data), args.changes)
    port = free_port()
    kpis = next(body for name, body, *_ in normal[0] if name == "kpis")
    with tempfile.TemporaryFile() as log:
        proc = serve(args.data, port, args.workers, args.threads, log)
        try:
            ready = wait_ready(port, kpis, deadline)
            # warm-up: each worker computes its first figures, prepares the casualties
            # and reads the full events table in the background (bench_dashboard.py)
            HARD_STOP[0] = deadline - 2.0  # stopping the server and the report fit in the cap
            warm_up(port, normal, args.clients, args.warmup, deadline - 2 * args.seconds - 4)
            # the two phases alternate in slices, so that the machine's drift (other
            # jobs on the shared cores) falls on both alike
            left = deadline - time.perf_counter() - 4.0  # stopping the server, the report
            seconds = max(1.0, min(args.seconds, left / 2))
            base, under, bad = Phase(), Phase(), Phase()
            for _ in range(args.slices):
                run_phase(port, normal, args.clients, seconds / args.slices, normal=base)
                run_phase(port, normal, args.clients, seconds / args.slices, hostile, under, bad)
            rss = group_rss_mb(proc.pid)
        except Exception:
            log.seek(0)
            print(log.read().decode(errors="replace")[-3000:], file=sys.stderr)
            raise
        finally:
            stop(proc)
    total = time.perf_counter() - t_start
    workers = args.workers or default_workers()
    print(
        f"\nloopback load test: {args.clients} clients, {seconds:.0f} s per phase, gunicorn "
        f"{workers} worker(s) x {args.threads or 4} threads, server ready in {ready:.1f} s, "
        f"whole run {total:.0f} s (cap {args.cap:.0f} s), load average "
        f"{os.getloadavg()[0]:.2f} on {os.cpu_count()} cores"
    )
    print("server RSS (MB, master and workers): " + ", ".join(f"{r:,.0f}" for r in rss))
    a, b, h = "normal", "normal, one hostile in flight", "  the hostile requests"
    res = report([(a, base), (b, under), (h, bad)])
    p95_a, p95_b = res[a][1], res[b][1]
    rise = p95_b / p95_a - 1 if p95_a > 0 else float("nan")
    errors = res[a][3] + res[b][3] + res[h][3]
    print(f"p95 change under the hostile client: {rise * 100:+.0f}%")
    ok = (
        max(p95_a, p95_b) < GOALS["p95"]
        and errors == GOALS["errors"]
        and rise < GOALS["p95 increase"]
    )
    print(
        "LOAD GOALS MET"
        if ok
        else f"load goals missed (goal: p95 < {GOALS['p95'] * 1000:.0f} ms, 0 errors, "
        f"p95 rise < {GOALS['p95 increase'] * 100:.0f}%)"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
