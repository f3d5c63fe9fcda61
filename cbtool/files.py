"""Files the tool writes (every one but the database): the one safe writer.

``atomic_write`` decides by what is at the target's name, never following a link there:

- a regular file, or nothing yet: a temporary sibling (``.<name>.XXXXXXXX.tmp``, created
  owner-only and exclusively) is written, fsynced, then renamed over the target, so a
  reader (or a cron mail) never sees half a file and a failure leaves the old one as it
  was. A file being replaced keeps its permission bits; a new one is 0600;
- a character device or a FIFO (``/dev/null``, ``mkfifo``): written through, as a shell
  redirect would — never created, renamed over or chmodded;
- a symbolic link, a directory, a block device, a socket: refused (exit 3).

Every failure is one line (exit 3) naming the place that failed: the target, or the
temporary directory when a helper's scratch file there ran out of room. Leftovers of a
killed run (``.<name>.XXXXXXXX.tmp``) are removed by the next write of the same name.
"""

from __future__ import annotations

import contextlib
import errno
import os
import re
import shutil
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from cbtool.errors import EnvError, os_reason
from cbtool.text import Msg

OWNER_ONLY = 0o600
PRIVATE_DIR = 0o700
STALE_SECONDS = 60  # a leftover untouched this long belongs to no running cbtool
_RANDOM = r"[a-z0-9_]{8}"  # what mkstemp/mkdtemp put between prefix and suffix
FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT})

CANNOT_WRITE = Msg("无法写入 {path}：{reason}", "cannot write {path}: {reason}")
DISK_FULL = Msg("磁盘已满，无法写入 {path}", "the disk is full; cannot write {path}")
TEMP_FULL = Msg(
    "临时目录 {tmp} 空间不足，未写入 {path}（可用环境变量 TMPDIR 指定别的目录）",
    "the temporary directory {tmp} is full; {path} was not written (set TMPDIR to choose another)",
)
IS_LINK = Msg(
    "{path} 是符号链接，cbtool 不经由链接写文件（请给出实际路径）",
    "{path} is a symbolic link; cbtool does not write files through links (give the real path)",
)
NOT_A_FILE = Msg(
    "{path} 不是普通文件、字符设备或管道，不会写入",
    "{path} is not a regular file, a character device or a FIFO; it is not written",
)
STDOUT_FULL = Msg("磁盘已满，无法写入标准输出", "the disk is full; cannot write standard output")
STDOUT_FAILED = Msg("无法写入标准输出：{reason}", "cannot write standard output: {reason}")


def write_error(exc: OSError, path: object, *, at_target: bool = True) -> EnvError:
    """An OSError while writing ``path`` as one line (exit 3). ``at_target`` False: the
    error came from elsewhere (a library's scratch file), so a full disk there is named
    as the temporary directory, not blamed on ``path``."""
    if exc.errno in FULL_ERRNOS:
        if at_target:
            return EnvError(DISK_FULL, path=str(path))
        tmp = os.path.dirname(exc.filename) if isinstance(exc.filename, str) else None
        if not tmp:
            import tempfile

            tmp = tempfile.gettempdir()
        return EnvError(TEMP_FULL, tmp=tmp, path=str(path))
    place = path if at_target or exc.filename is None else exc.filename
    return EnvError(CANNOT_WRITE, path=str(place), reason=os_reason(exc))


class _Watched:
    """The handle a caller writes to: remembers whether a write to the target failed, so
    an error raised inside the caller's block is put on the right place."""

    def __init__(self, handle: IO[Any]) -> None:
        self._handle = handle
        self.failed = False

    def __getattr__(self, name: str) -> Any:
        return getattr(self._handle, name)

    def _call(self, name: str, *args: Any) -> Any:
        try:
            return getattr(self._handle, name)(*args)
        except OSError as exc:
            self.failed = self.failed or exc.errno != errno.ESPIPE  # a pipe's seek is no failure
            raise

    def write(self, data: Any) -> int:
        return self._call("write", data)

    def writelines(self, lines: Any) -> None:
        self._call("writelines", lines)

    def flush(self) -> None:
        self._call("flush")

    def seek(self, *args: Any) -> int:  # flushes what is buffered first
        return self._call("seek", *args)


def _existing(target: Path) -> os.stat_result | None:
    """What is at ``target`` now: None (nothing), a regular file's stat, or the write
    refused; character devices and FIFOs come back as their stat too."""
    try:
        st = os.lstat(target)
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise write_error(exc, target) from None
    if stat.S_ISLNK(st.st_mode):
        raise EnvError(IS_LINK, path=str(target))
    if stat.S_ISDIR(st.st_mode):
        raise EnvError(CANNOT_WRITE, path=str(target), reason=os.strerror(errno.EISDIR))
    if stat.S_ISREG(st.st_mode) or stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode):
        return st
    raise EnvError(NOT_A_FILE, path=str(target))


def _close_quietly(handle: IO[Any]) -> None:
    with contextlib.suppress(OSError, ValueError):
        handle.close()


def drop_quietly(exc: BaseException) -> None:
    """Free, now and silently, what the frames of a failed write still hold (openpyxl's
    unfinished zip, its worksheet streams): finalised later they would each print an
    "Exception ignored" block under the one line that says what failed."""
    import gc
    import sys
    import traceback

    hook = sys.unraisablehook
    sys.unraisablehook = lambda _unraisable: None
    try:
        traceback.clear_frames(exc.__traceback__)
        gc.collect()
    finally:
        sys.unraisablehook = hook


@contextlib.contextmanager
def atomic_write(path: str | Path, mode: str = "w", **open_kwargs: Any) -> Iterator[IO[Any]]:
    """Open ``path`` for writing the safe way (see the module's note); on success the
    file is complete and in place, on any error ``path`` is as it was."""
    target = Path(path)
    if "b" not in mode:
        open_kwargs.setdefault("encoding", "utf-8")
        open_kwargs.setdefault("newline", "")
    existing = _existing(target)
    if existing is not None and not stat.S_ISREG(existing.st_mode):
        with _write_through(target, mode, open_kwargs) as handle:
            yield handle
        return
    directory = target.parent if str(target.parent) else Path(".")
    sweep(directory, target.name)
    import tempfile  # here: a command that writes no file never loads it (nor random)

    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise write_error(exc, target) from None
    tmp = Path(tmp_name)
    handle = os.fdopen(fd, mode, **open_kwargs)
    watched = _Watched(handle)
    in_body = True
    try:
        yield cast(IO[Any], watched)
        in_body = False
        handle.flush()
        os.fchmod(fd, existing.st_mode & 0o777 if existing else OWNER_ONLY)
        os.fsync(fd)
        handle.close()
        os.replace(tmp, target)
        fsync_dir(directory)  # make the rename itself durable
    except OSError as exc:
        drop_quietly(exc)
        _close_quietly(handle)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise write_error(exc, target, at_target=watched.failed or not in_body) from None
    except BaseException:
        _close_quietly(handle)
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


@contextlib.contextmanager
def _write_through(target: Path, mode: str, open_kwargs: dict[str, Any]) -> Iterator[IO[Any]]:
    """A character device or FIFO: opened as it is (a FIFO waits for its reader, as a
    shell redirect does), never created, truncated, chmodded or renamed over."""
    flags = os.O_WRONLY | os.O_NOFOLLOW | os.O_NOCTTY | os.O_CLOEXEC
    try:
        fd = os.open(target, flags)
    except OSError as exc:
        raise write_error(exc, target) from None
    st = os.fstat(fd)
    if not (stat.S_ISCHR(st.st_mode) or stat.S_ISFIFO(st.st_mode)):  # swapped meanwhile
        os.close(fd)
        raise EnvError(NOT_A_FILE, path=str(target))
    handle = os.fdopen(fd, mode, **open_kwargs)
    watched = _Watched(handle)
    in_body = True
    try:
        yield cast(IO[Any], watched)
        in_body = False
        handle.close()
    except OSError as exc:
        drop_quietly(exc)
        _close_quietly(handle)
        raise write_error(exc, target, at_target=watched.failed or not in_body) from None
    except BaseException:
        _close_quietly(handle)
        raise


def fsync_dir(directory: str | Path) -> None:
    with contextlib.suppress(OSError):
        dir_fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(dir_fd)
        finally:
            os.close(dir_fd)


def leftover_pattern(name: str) -> re.Pattern[str]:
    """The names cbtool gives its temporary entries for ``name`` (``.old``: older versions)."""
    return re.compile(rf"\.{re.escape(name)}\.{_RANDOM}\.(?:tmp|old)")


def sweep(directory: str | Path, name: str) -> None:
    """Remove what killed runs left beside ``name``: only entries named as cbtool names
    its temporary files and directories, owned by this user, and untouched for
    ``STALE_SECONDS`` (a run still writing keeps touching its own)."""
    pattern = leftover_pattern(name)
    limit = time.time() - STALE_SECONDS
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if not pattern.fullmatch(entry.name):
            continue
        try:
            st = entry.stat(follow_symlinks=False)
        except OSError:
            continue
        if st.st_uid != os.geteuid() or st.st_mtime >= limit:
            continue
        if stat.S_ISDIR(st.st_mode):
            shutil.rmtree(entry.path, ignore_errors=True)
        elif stat.S_ISREG(st.st_mode):
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


def make_dirs(path: str | Path) -> Path:
    """Create ``path`` and any missing parents, each 0700 whatever the umask; directories
    that exist are left as they are. A failure is one line (exit 3)."""
    target = Path(path)
    missing = []
    probe = target
    while not probe.is_dir():
        missing.append(probe)
        if probe.parent == probe:
            break
        probe = probe.parent
    for directory in reversed(missing):
        try:
            os.mkdir(directory, PRIVATE_DIR)
        except FileExistsError:
            if directory.is_dir():  # made meanwhile by someone else: theirs, left alone
                continue
            raise write_error(OSError(errno.ENOTDIR, os.strerror(errno.ENOTDIR)),
                              directory) from None
        except OSError as exc:
            raise write_error(exc, directory) from None
        with contextlib.suppress(OSError):
            os.chmod(directory, PRIVATE_DIR)  # the umask can only narrow the mode; undo that
    return target


# --- where SQLite and libraries keep scratch files -------------------------------------


def sqlite_temp_dir() -> str | None:
    """The directory SQLite (on Unix) puts its temporary files in: TEMP tables, large
    sorts, VACUUM's copy — the first usable of SQLITE_TMPDIR, TMPDIR, /var/tmp, /usr/tmp,
    /tmp (None: the current directory)."""
    for candidate in (os.environ.get("SQLITE_TMPDIR"), os.environ.get("TMPDIR"),
                      "/var/tmp", "/usr/tmp", "/tmp"):
        if candidate and os.path.isdir(candidate) and os.access(candidate, os.W_OK | os.X_OK):
            return candidate
    return None


def free_bytes(directory: str | Path) -> int:
    st = os.statvfs(directory)
    return st.f_bavail * st.f_frsize


def temp_full(path: str | Path) -> EnvError | None:
    """SQLite says only "database or disk is full". When its temporary directory is on
    another disk than the database ``path`` and has less room left, that is the likelier
    place that ran out: the error names it. None: blame the database's disk."""
    tmp = sqlite_temp_dir()
    if tmp is None:
        return None
    place = Path(path).absolute().parent
    try:
        if os.stat(tmp).st_dev == os.stat(place).st_dev:
            return None
        if free_bytes(tmp) >= free_bytes(place):
            return None
    except OSError:
        return None
    return EnvError(TEMP_FULL, tmp=tmp, path=str(path))


def stdout_error(exc: OSError) -> EnvError:
    """A write to standard output that failed (``> /dev/full``) as one line (exit 3)."""
    if exc.errno in FULL_ERRNOS:
        return EnvError(STDOUT_FULL)
    return EnvError(STDOUT_FAILED, reason=os_reason(exc))
