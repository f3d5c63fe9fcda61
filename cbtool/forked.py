"""Work done meanwhile by a forked child process, its result handed back pickled.

Where a machine has a second core and ``fork`` (Linux, macOS), the roll-up reads half its
reports and a big import checks half its rows in a child while the command's own process
does the other half. The child never returns into the caller's code and never runs its
clean-up (``os._exit``); whatever fails in it, the parent sees only that it failed and does
that half itself.
"""

from __future__ import annotations

import contextlib
import os
import pickle
from collections.abc import Callable
from typing import Any


class Forked:
    """A started child; ``result()`` waits for what it computed, ``close()`` stops it."""

    def __init__(self, pid: int, pipe: int) -> None:
        self.pid = pid
        self.pipe: int | None = pipe

    def result(self) -> Any:
        """The child's value; raises (ChildProcessError, or what unpickling raises) if it
        failed, was killed or handed back nothing whole."""
        if self.pipe is None:
            raise ChildProcessError("collected or closed already")
        try:
            with os.fdopen(self.pipe, "rb") as pipe:
                self.pipe = None
                data = pipe.read()
        finally:
            status = self._wait()
        if status != 0:
            raise ChildProcessError(status)
        return pickle.loads(data)

    def close(self) -> None:
        """Stop the child if it still runs (the parent gave up on it) and reap it."""
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None
            with contextlib.suppress(OSError):
                os.kill(self.pid, 9)
        self._wait()

    def _wait(self) -> int:
        if self.pid == 0:
            return 1
        try:
            _, status = os.waitpid(self.pid, 0)
        except ChildProcessError:
            status = 1
        self.pid = 0
        return status


def fork_call(work: Callable[[], Any]) -> Forked | None:
    """Run ``work()`` in a forked child, its value to be collected with ``result()``; None
    where no child could be started (no ``fork``, or the system refused one)."""
    if not hasattr(os, "fork"):
        return None
    try:
        read_end, write_end = os.pipe()
        pid = os.fork()
    except OSError:
        return None
    if pid == 0:  # the child: never returns, never runs the parent's clean-up
        status = 1
        try:
            os.close(read_end)
            value = work()
            with os.fdopen(write_end, "wb") as pipe:
                pickle.dump(value, pipe, protocol=pickle.HIGHEST_PROTOCOL)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    return Forked(pid, read_end)
