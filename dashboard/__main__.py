"""`python -m dashboard --data DIR [--host 127.0.0.1] [--port 8050] [--debug]`

Serves with gunicorn (production WSGI) unless --debug, which uses Dash's dev server
with hot reload and the in-page error overlay.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path


def _parser() -> argparse.ArgumentParser:
    ap = argparse.ArgumentParser(prog="sortie-dashboard", description="Sortie's analyst dashboard.")
    ap.add_argument("--data", default="data", help="directory with the ETL's Parquet files")
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8050)
    ap.add_argument("--debug", action="store_true", help="Dash dev server (reload, debug UI)")
    ap.add_argument(
        "--workers",
        type=int,
        default=default_workers(),
        help="gunicorn worker processes (default: one per core, at most 4; each holds the data)",
    )
    ap.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker")
    return ap


def default_workers() -> int:
    """One worker process per core (a worker's Python threads share one core), at most
    4: every worker holds its own copy of the data in memory."""
    return max(1, min(4, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else 1))


def serve_gunicorn(data_dir: str, host: str, port: int, workers: int = 2, threads: int = 4):
    from gunicorn.app.base import BaseApplication

    class Server(BaseApplication):
        def load_config(self):
            self.cfg.set("bind", f"{host}:{port}")
            self.cfg.set("workers", workers)
            self.cfg.set("threads", threads)
            self.cfg.set("worker_class", "gthread")
            self.cfg.set("timeout", 120)  # a worker silent this long is restarted
            self.cfg.set("graceful_timeout", 10)
            self.cfg.set("accesslog", None)

        def load(self):
            from dashboard.app import create_app

            return create_app(data_dir).server

    Server().run()


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    if argv[:1] == ["users"]:  # sortie-dashboard users add NAME --role editor --data DIR
        from dashboard.review.cli import users_main

        return users_main(argv[1:])
    args = _parser().parse_args(argv)
    data_dir = str(Path(args.data).resolve())
    if not Path(data_dir).is_dir():
        print(
            f"warning: {data_dir} does not exist yet; the dashboard will show no data",
            file=sys.stderr,
        )
    os.environ["SORTIE_DATA"] = data_dir
    url = f"http://{args.host}:{args.port}/"
    mode = "Dash dev server (debug)" if args.debug else "gunicorn"
    print(f"Sortie dashboard on {url}  (data: {data_dir}, {mode})", flush=True)
    if args.debug:
        from dashboard.app import create_app

        create_app(data_dir).run(host=args.host, port=args.port, debug=True)
    else:
        serve_gunicorn(data_dir, args.host, args.port, args.workers, args.threads)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
