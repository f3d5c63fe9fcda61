"""Files the tool writes: owner-only, and written atomically where a reader may look.

``atomic_write`` writes a temporary file in the target's directory, fsyncs it, then
renames it over the target, so a reader (or a cron mail) never sees half a file.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cbtool.errors import EnvError
from cbtool.text import Msg

OWNER_ONLY = 0o600
CANNOT_WRITE = Msg("无法写入 {path}：{reason}", "cannot write {path}: {reason}")


def _cannot_write(path: object, exc: OSError) -> EnvError:
    """Where a file cannot be written (no such directory, no permission, disk full) is the
    environment's problem: exit 3 with one line, never a traceback."""
    return EnvError(CANNOT_WRITE, path=str(path), reason=exc.strerror or str(exc))


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open a temporary sibling of ``path`` for writing; on success fsync and rename it
    into place (mode 0600); on any error remove it and leave ``path`` untouched."""
    target = Path(path)
    directory = target.parent if str(target.parent) else Path(".")
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise _cannot_write(target, exc) from None
    tmp = Path(tmp_name)
    try:
        os.fchmod(fd, OWNER_ONLY)
        if "b" not in mode:
            open_kwargs.setdefault("encoding", "utf-8")
            open_kwargs.setdefault("newline", "")
        with os.fdopen(fd, mode, **open_kwargs) as handle:
            yield handle
            handle.flush()
            os.fsync(handle.fileno())
        try:
            os.replace(tmp, target)
        except IsADirectoryError as exc:
            raise _cannot_write(target, exc) from None
        with contextlib.suppress(OSError):  # make the rename itself durable
            dir_fd = os.open(directory, os.O_RDONLY)
            try:
                os.fsync(dir_fd)
            finally:
                os.close(dir_fd)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def owner_only(path: str | Path) -> None:
    """Restrict an existing file to its owner (0600)."""
    with contextlib.suppress(OSError):
        os.chmod(path, OWNER_ONLY)


def open_private(path: str | Path, mode: str = "w", **kwargs: Any) -> IO[Any]:
    """Open a file for writing, created 0600 (non-atomic: for streams such as exports)."""
    flags = os.O_WRONLY | os.O_CREAT | os.O_TRUNC
    try:
        fd = os.open(path, flags, OWNER_ONLY)
    except OSError as exc:
        raise _cannot_write(path, exc) from None
    os.fchmod(fd, OWNER_ONLY)
    if "b" not in mode:
        kwargs.setdefault("encoding", "utf-8")
        kwargs.setdefault("newline", "")
    return os.fdopen(fd, mode, **kwargs)
