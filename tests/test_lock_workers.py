"""B3: a run killed with kill -9 while its workers run leaves nothing that blocks the next.

Workers do not hold the dataset lock, die with their parent, and a lock left held
for a dead pid is taken over with a logged message."""

import json
import logging
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyarrow.parquet as pq

from etl.lock import DatasetLock, pid_alive

SENTENCES = (
    "A drone strike hit a truck near Tal Afar on Tuesday, killing {n} fighters.",
    "Two rockets landed near a checkpoint in Samarra on Monday; {n} guards were wounded.",
    "Gunmen attacked a police post in Baqubah on Friday and killed {n} officers.",
)


def write_corpus(path: Path, n: int) -> Path:
    with path.open("w") as f:
        for i in range(n):
            text = " ".join(s.format(n=2 + (i + k) % 9) for k, s in enumerate(SENTENCES))
            text += f" (Report {i}.)"
            day = 1 + i % 28
            f.write(json.dumps({"id": f"r{i}", "text": text, "published": f"2023-05-{day:02d}"}))
            f.write("\n")
    return path


def descendants(pid: int) -> set[int]:
    """Live processes below `pid` (any depth), from /proc."""
    parent_of = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_bytes()
            except OSError:
                continue
            fields = stat.rsplit(b")", 1)[-1].split()
            if fields[0] != b"Z":
                parent_of[int(entry.name)] = int(fields[1])
    found, frontier = set(), {pid}
    while frontier:
        frontier = {p for p, pp in parent_of.items() if pp in frontier} - found
        found |= frontier
    return found


def open_files(pid: int) -> set[str]:
    out = set()
    for fd in Path(f"/proc/{pid}/fd").iterdir():
        try:
            out.add(os.readlink(fd))
        except OSError:
            continue
    return out


def wait_for(condition, timeout: float, what: str):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        got = condition()
        if got:
            return got
        time.sleep(0.05)
    raise AssertionError(f"timed out after {timeout}s waiting for {what}")


def etl(*args: str) -> list[str]:
    return [sys.executable, "-m", "etl", "run", *args, "--quiet"]


def test_kill_9_mid_run_with_two_workers_then_the_next_run_proceeds(tmp_path):
    corpus = write_corpus(tmp_path / "feed.jsonl", 3_000)
    data = tmp_path / "data"
    proc = subprocess.Popen(
        etl(str(corpus), "--data", str(data), "--workers", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # mid-run: the fork server and both workers are up
        def workers_up():
            kids = descendants(proc.pid)
            return kids if len(kids) >= 3 else None

        kids = wait_for(workers_up, 60, "the workers")
        assert proc.poll() is None, "the run ended before it could be killed"
        lock = str((data / ".sortie.lock").resolve())
        assert lock in open_files(proc.pid)  # the run holds the lock ...
        for kid in kids:
            assert lock not in open_files(kid)  # ... its workers do not
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait()
        # the workers die with their parent
        wait_for(lambda: not any(pid_alive(k) for k in kids), 15, "the workers to exit")
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        proc.stderr.close()
    assert not (data / "current").exists()  # killed before it switched a version in
    small = write_corpus(tmp_path / "small.jsonl", 20)
    done = subprocess.run(
        etl(str(small), "--data", str(data), "--workers", "2"),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert "holds the lock" not in done.stderr
    assert pq.read_table(data / "articles.parquet").num_rows == 20


HOLD_AND_ORPHAN = """
import os, sys, time
from etl.lock import DatasetLock
lock = DatasetLock(sys.argv[1])
assert lock.acquire()
if os.fork() == 0:  # a child that inherits the locked descriptor and outlives the holder
    os.setsid()
    with open(sys.argv[2], "w") as f:
        f.write(str(os.getpid()))
    time.sleep(120)
    os._exit(0)
os._exit(0)  # the holder dies without releasing
"""


def test_a_lock_held_for_a_dead_pid_is_taken_over_with_a_message(tmp_path, caplog):
    data = tmp_path / "data"
    pid_file = tmp_path / "orphan.pid"
    subprocess.run(
        [sys.executable, "-c", HOLD_AND_ORPHAN, str(data), str(pid_file)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=True,
        timeout=60,
    )
    orphan = int(wait_for(lambda: pid_file.exists() and pid_file.read_text(), 30, "the orphan"))
    try:
        assert pid_alive(orphan)
        dead = int((data / ".sortie.lock").read_text().split()[0])
        assert not pid_alive(dead)
        lock = DatasetLock(data)
        with caplog.at_level(logging.WARNING, logger="etl"):
            assert lock.acquire()
        assert lock.took_over_from == dead
        assert f"held for pid {dead}, which is gone" in caplog.text
        assert int((data / ".sortie.lock").read_text().split()[0]) == os.getpid()
        second = DatasetLock(data)  # the new lock really is held
        assert not second.acquire()
        lock.release()
        assert second.acquire()
        second.release()
    finally:
        os.kill(orphan, signal.SIGKILL)


def test_a_lock_held_by_a_live_run_is_not_taken_over(tmp_path):
    first = DatasetLock(tmp_path)
    assert first.acquire()
    try:
        other = DatasetLock(tmp_path)
        assert not other.acquire()
        assert other.took_over_from is None
        assert other.holder() == str(os.getpid())
    finally:
        first.release()


# --- a worker that dies does not end the run ------------------------------------------


def test_a_worker_killed_mid_run_costs_nothing(tmp_path):
    corpus = write_corpus(tmp_path / "feed.jsonl", 800)
    data = tmp_path / "data"
    proc = subprocess.Popen(
        etl(str(corpus), "--data", str(data), "--workers", "2"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:

        def workers_up():
            kids = descendants(proc.pid)
            return kids if len(kids) >= 3 else None

        kids = wait_for(workers_up, 60, "the workers")
        # a worker is a grandchild (under the fork server); kill one of them
        server_kids = [k for k in kids if k not in _children(proc.pid)]
        os.kill(max(server_kids), signal.SIGKILL)
        _, err = proc.communicate(timeout=180)
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
    assert proc.returncode == 0, err
    statuses = pq.read_table(data / "articles.parquet").column("status").to_pylist()
    assert len(statuses) == 800 and set(statuses) == {"ok"}  # its chunk was redone


def _children(pid: int) -> set[int]:
    out = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_bytes().rsplit(b")", 1)[-1].split()
            except OSError:
                continue
            if int(fields[1]) == pid:
                out.add(int(entry.name))
    return out


def crash_one(article):
    """Processing that kills its worker on one article (as an out-of-memory kill would)."""
    if "POISON" in article.text:
        os._exit(3)
    return article.origin, []


def crash_chunk(chunk):
    return [crash_one(a) for a in chunk]


def test_an_article_that_kills_its_worker_every_time_becomes_a_failed_row():
    from etl.records import make_article
    from etl.workers import WORKER_DIED, pool_stream

    arts = [make_article(f"a{i}.txt", "POISON" if i == 7 else f"text {i}", {}) for i in range(30)]
    chunks = [arts[i : i + 4] for i in range(0, 30, 4)]
    got = list(pool_stream(chunks, 2, crash_chunk, crash_one, lookahead=2))
    assert len(got) == 30
    assert [g for g in got[:7]] == [(f"a{i}.txt", []) for i in range(7)]
    dead, events = got[7]
    assert (dead.origin, dead.status, dead.error, events) == ("a7.txt", "failed", WORKER_DIED, [])
    assert got[8:] == [(f"a{i}.txt", []) for i in range(8, 30)]
