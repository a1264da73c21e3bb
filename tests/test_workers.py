"""Parallel runs: a local process pool and a Dask cluster give the serial results."""

import json

import pyarrow.parquet as pq
import pytest

from etl.cli import main
from etl.pipeline import process_stream
from etl.sources import read_sources

from .test_dedup import REPORTS


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """150 records: the hand-made reports, each repeated with a different day."""
    path = tmp_path_factory.mktemp("corpus") / "feed.jsonl"
    with path.open("w") as f:
        for n in range(150):
            name = sorted(REPORTS)[n % len(REPORTS)]
            published, source, text = REPORTS[name]
            day = 1 + n % 28
            rec = {"id": f"r{n}", "text": f"{text} (Update {n}.)", "source": source}
            rec["published"] = f"{published[:8]}{day:02d}"
            f.write(json.dumps(rec) + "\n")
    return path


def results(corpus, **kw):
    return [(a, e) for a, e in process_stream(read_sources([corpus]), **kw)]


def test_process_pool_matches_serial(corpus):
    serial = results(corpus, workers=1)
    assert len(serial) == 150 and sum(len(e) for _, e in serial) > 100
    assert results(corpus, workers=2, chunk_size=16) == serial
    assert all(a.text == "" for a, _ in serial)  # texts are not kept after processing


def test_cli_workers_give_identical_tables(corpus, tmp_path):
    tables = []
    for n in (1, 2):
        data = tmp_path / f"d{n}"
        assert main(["run", str(corpus), "--data", str(data), "--quiet", "--workers", str(n)]) == 0
        tables.append(
            [pq.read_table(data / f"{t}.parquet") for t in ("articles", "events", "casualties")]
        )
    assert all(a.equals(b) for a, b in zip(*tables, strict=True))


def test_dask_cluster_matches_local(corpus, tmp_path):
    distributed = pytest.importorskip("distributed")
    serial = results(corpus, workers=1)
    with distributed.LocalCluster(
        n_workers=1,
        threads_per_worker=2,
        processes=False,
        host="127.0.0.1",
        protocol="tcp",  # a real address, as `--scheduler` would get
        dashboard_address=None,
    ) as cluster:
        got = results(corpus, scheduler=cluster.scheduler_address, chunk_size=32)
        assert got == serial
        for name, flag in (("dask", ["--scheduler", cluster.scheduler_address]), ("local", [])):
            args = ["run", str(corpus), "--data", str(tmp_path / name), "--quiet", "--workers"]
            assert main([*args, "1", *flag]) == 0
    for t in ("articles", "events", "casualties"):
        a, b = (pq.read_table(tmp_path / n / f"{t}.parquet") for n in ("dask", "local"))
        assert a.equals(b)
