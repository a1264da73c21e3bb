"""One writer at a time: an exclusive `fcntl.flock` on `DIR/.sortie.lock`.

The lock belongs to the open file description, so the kernel releases it when
the process exits, however it exits (kill -9 included): a crashed run never
leaves a stale lock behind. The file records the holder's pid for humans.
"""

from __future__ import annotations

import fcntl
import os
from pathlib import Path

LOCK_NAME = ".sortie.lock"


class DatasetLock:
    """`with DatasetLock(dir, wait=False) as held:` -- `held` False if another run has it."""

    def __init__(self, data_dir: Path, wait: bool = False):
        self.path = Path(data_dir) / LOCK_NAME
        self.wait = wait
        self.fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX if self.wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        except BaseException:
            os.close(fd)
            raise
        os.ftruncate(fd, 0)
        os.write(fd, f"{os.getpid()}\n".encode())
        self.fd = fd
        return True

    def holder(self) -> str:
        """The pid written by the current holder, if readable (for messages)."""
        try:
            return self.path.read_text().strip() or "?"
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
