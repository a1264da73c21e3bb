"""Score the extractor against the analysts' corrections (the reviewed events as gold).

    .venv/bin/python benchmarks/eval_reviewed.py --data DATA [--shared ../shared]

Writes `sortie-review export-gold` of DATA to a temporary file and scores DATA's raw
extraction against it with `SHARED/tools/score.py`: every correction an analyst made
is a miss of the extractor. Prints score.py's metrics.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.review.cli import export_gold  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--data", type=Path, default=ROOT / "data")
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    args = ap.parse_args(argv)
    if not (args.data / "review.sqlite").exists():
        print(f"{args.data / 'review.sqlite'} does not exist: nothing reviewed yet")
        return 0
    with tempfile.TemporaryDirectory() as tmp:
        gold = Path(tmp) / "reviewed.jsonl"
        with gold.open("w", encoding="utf-8") as fh:
            n = export_gold(args.data, fh)
        if n == 0:
            print("no reviewed events yet")
            return 0
        cmd = [
            sys.executable,
            str(args.shared / "tools" / "score.py"),
            "--gold",
            str(gold),
            "--data",
            str(args.data),
            "--json",
        ]
        res = json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)
    print(f"extraction in {args.data} against {n} reviewed article(s):")
    for k, v in res.items():
        print(f"  {k:28} {v}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
