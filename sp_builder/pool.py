"""A process pool whose workers die with the build: on Linux the kernel kills them when the build's
process dies (even by SIGKILL), elsewhere each checks its parent every half second; each closes its
inherited copy of the output folder's lock, so the lock ends with the build."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sys
import threading
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Callable, Sequence, TypeVar

T = TypeVar("T")
R = TypeVar("R")


def _watch_parent(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(0.5)
    os._exit(1)



def _worker_started(build_pid: int, forked: bool, lock: tuple[int, int, int] | None) -> None:
    """Initializer of a pool worker: close the inherited copy of OUT's lock (so the lock ends with
    the build) and die with the parent, so a build killed with SIGKILL leaves no worker that goes
    on writing into OUT."""
    if lock is not None:
        fd, device, inode = lock
        try:
            info = os.fstat(fd)
            if (info.st_dev, info.st_ino) == (device, inode):  # not another file under that number
                os.close(fd)
        except OSError:
            pass
    parent = build_pid if forked else os.getppid()  # a forkserver is the parent, not the build
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            if libc.prctl(1, int(signal.SIGKILL), 0, 0, 0) == 0:  # PR_SET_PDEATHSIG
                if os.getppid() != parent:  # the parent died before the request
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()



def run(work: Callable[[T], R], tasks: Sequence[T], workers: int, done: Callable[[R], None],
        lock: int | None = None) -> None:
    """`work` on every task, handing each result to `done` as it comes: in this process for one
    worker or one task, else in a pool whose workers die with this process. Tasks are started in
    the order given (put the biggest first). `lock`: the descriptor of OUT's lock, which workers
    forked from this process must not keep."""
    if workers <= 1 or len(tasks) <= 1:
        for task in tasks:
            done(work(task))
        return
    context = multiprocessing.get_context()
    held = None
    if lock is not None:
        info = os.fstat(lock)
        held = (lock, info.st_dev, info.st_ino)
    with ProcessPoolExecutor(min(workers, len(tasks)), mp_context=context, initializer=_worker_started,
                             initargs=(os.getpid(), context.get_start_method() == "fork", held)) as pool:
        for future in as_completed([pool.submit(work, task) for task in tasks]):
            done(future.result())
