"""One writer at a time: an exclusive `fcntl.flock` on `DIR/.sortie.lock`.

The lock belongs to the open file description, so the kernel releases it when
the last process holding that description exits, however it exits (kill -9
included). The file records the holder's pid.

Two things keep a dead run from blocking the next ones:
- the descriptor is opened close-on-exec and the worker pool does not inherit it
  (etl.pipeline starts workers from a fork server, which holds no descriptor of ours);
- if the lock is held but the pid it records is gone (something else inherited the
  descriptor and lives on), the lock is taken over: the stale file is replaced by a
  new one (under a short guard lock, so two runs cannot both take it over) and the
  takeover is logged. The old holders keep a lock on a file nobody opens any more.
"""

from __future__ import annotations

import fcntl
import logging
import os
import socket
import time
from pathlib import Path

LOCK_NAME = ".sortie.lock"
GUARD_NAME = ".sortie.lock.guard"
WAIT_POLL = 0.2  # seconds between tries with --wait

log = logging.getLogger("etl")


def pid_alive(pid: int) -> bool:
    """Does process `pid` exist (a zombie does not count)?"""
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process
        return True
    try:  # a zombie (killed, not yet reaped) holds nothing
        with open(f"/proc/{pid}/stat", "rb") as f:
            return f.read().rsplit(b")", 1)[-1].split()[0] != b"Z"
    except OSError:
        return True


class DatasetLock:
    """`with DatasetLock(dir, wait=False) as held:` -- `held` False if another run has it."""

    def __init__(self, data_dir: Path, wait: bool = False):
        self.path = Path(data_dir) / LOCK_NAME
        self.guard = Path(data_dir) / GUARD_NAME
        self.wait = wait
        self.fd: int | None = None
        self.took_over_from: int | None = None

    def _open(self) -> int:
        return os.open(self.path, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)

    def _same_file(self, fd: int) -> bool:
        try:
            return os.stat(self.path).st_ino == os.fstat(fd).st_ino
        except FileNotFoundError:
            return False

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        while True:
            fd = self._open()
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                stale = self._stale_holder(fd)
                if stale is not None:
                    os.close(fd)
                    self._take_over(stale)
                    continue
                os.close(fd)
                if not self.wait:
                    return False
                time.sleep(WAIT_POLL)  # polled, so a holder that dies meanwhile is seen
                continue
            except BaseException:
                os.close(fd)
                raise
            if not self._same_file(fd):  # replaced by a takeover while we waited: again
                os.close(fd)
                continue
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()} {socket.gethostname()}\n".encode())
            self.fd = fd
            return True

    def _recorded_pid(self, fd: int) -> int | None:
        """The holder's pid, if it ran on this host (another host's pids mean nothing here)."""
        try:
            pid, _, host = os.pread(fd, 300, 0).decode("utf-8", "replace").strip().partition(" ")
            if host and host != socket.gethostname():
                return None
            return int(pid)
        except (OSError, ValueError):
            return None

    def _stale_holder(self, fd: int) -> int | None:
        """The dead pid the lock file names, if the lock is held in its name."""
        pid = self._recorded_pid(fd)
        if pid is None or pid == os.getpid() or pid_alive(pid):
            return None
        return pid

    def _take_over(self, dead_pid: int) -> None:
        """Replace the lock file held for a dead process (once, under the guard)."""
        gfd = os.open(self.guard, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
        try:
            fcntl.flock(gfd, fcntl.LOCK_EX)
            fd = self._open()
            try:
                if self._stale_holder(fd) != dead_pid or not self._same_file(fd):
                    return  # someone else took it over first
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    fcntl.flock(fd, fcntl.LOCK_UN)  # free after all: nothing to take over
                    return
                except BlockingIOError:
                    pass
                os.unlink(self.path)
            finally:
                os.close(fd)
            self.took_over_from = dead_pid
            log.warning(
                "the lock on %s was held for pid %d, which is gone (left to processes that "
                "outlived it); taking it over",
                self.path.parent,
                dead_pid,
            )
        finally:
            os.close(gfd)

    def holder(self) -> str:
        """The pid written by the current holder, if readable (for messages)."""
        try:
            return self.path.read_text().strip().split(" ")[0] or "?"
        except OSError:
            return "?"

    def release(self) -> None:
        if self.fd is not None:
            fcntl.flock(self.fd, fcntl.LOCK_UN)
            os.close(self.fd)
            self.fd = None

    def __enter__(self) -> bool:
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()
