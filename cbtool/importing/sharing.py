"""A big file checked by two processes: a forked helper plans every other block of rows.

Checking (parsing, validating and classifying every cell) is most of a large import's
work and runs in Python, on one core. From ``SHARED_FROM`` bytes on, where the machine has
a second core and ``fork``, the command's process checks one block of rows, a child the
next (a little smaller), and so on through the file, at the same time, each with its own
connection and read snapshot. The child parks its rows in a staging file of its own (in
a private temporary directory, removed afterwards), which the parent attached before
planning (SQLite attaches only outside a transaction); the parent copies them into its
own TEMP table, and from there on the import is the one-process import: the same apply,
preview, errors file and undo.

The result is the one-process result — counts, rejected rows and their messages (the
first ``KEEP`` by line), warnings, the errors file — or the file is checked again by one
process: when the rows of the two halves could concern each other (``Importer.crossed``:
the same key, ID number …), when the file breaks partway, or when the child failed in any
way. Most files — clean ones, and those with a bad cell here and there — are checked in
about half the time; the others at worst once more.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
from array import array
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbtool.errors import InvalidInput
from cbtool.forked import Forked, fork_call
from cbtool.importing import planner
from cbtool.importing.kinds import IMPORTERS
from cbtool.importing.plan import Plan
from cbtool.importing.planner import plan_import, plan_part
from cbtool.importing.stage import KEEP, REJECTS, STAGE, drop_stage, page_cache
from cbtool.store import Store

SHARED_FROM = 1 << 20  # bytes of a file from which two processes check it (~9,000 members)
HALF = "cbtool_half"  # the schema the helper's staging file is attached as
GRID = ("csv", "tsv", "xlsx")  # formats whose every row has the same headings
CHILD_SHARE = 92  # per cent: the child checks 92 rows for every 100 of the parent's
# (it also opens the database and the file and hands its rows over: both finish together)


@dataclass
class Sharing:
    """The helper's staging file (attached as ``HALF``) and how to open the file again."""

    path: Path
    reopen: Callable[[], ContextManager[Any]]


def can_share(store: Store, kind: str, file: str) -> bool:
    if file == "-" or not getattr(IMPORTERS.get(kind), "shared", False):
        return False
    if not hasattr(os, "fork") or (os.cpu_count() or 1) < 2 or store.read_only:
        return False
    if store.conn.in_transaction:  # ATTACH is refused inside a transaction
        return False
    try:
        return os.stat(file).st_size >= SHARED_FROM
    except OSError:
        return False


@contextlib.contextmanager
def shared_stage(store: Store, kind: str, file: str,
                 reopen: Callable[[], ContextManager[Any]]) -> Iterator[Sharing | None]:
    """Where ``file`` is worth two processes: a private staging file attached for the
    helper's rows (detached and removed at the end); else None."""
    if not can_share(store, kind, file):
        yield None
        return
    with _terminate_as_interrupt():  # before the staging file is there
        _clear_stale()
        folder = tempfile.mkdtemp(prefix=f"{_PREFIX}{os.getpid()}-")  # owner-only (0700)
        path = Path(folder) / "half.db"
        try:
            os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
            store.execute(f"ATTACH ? AS {HALF}", (str(path),))
        except (OSError, sqlite3.Error):
            shutil.rmtree(folder, ignore_errors=True)
            yield None
            return
        try:
            yield Sharing(path, reopen)
        finally:
            with contextlib.suppress(sqlite3.Error):
                store.execute(f"DETACH {HALF}")
            shutil.rmtree(folder, ignore_errors=True)


@contextlib.contextmanager
def _terminate_as_interrupt() -> Iterator[None]:
    """A SIGTERM meanwhile (a cron job's time limit, a service stopping) is raised as
    KeyboardInterrupt, as Ctrl-C is: the child is stopped, the staging file removed and
    nothing written. Only where SIGTERM still does its default (and in the main thread)."""
    import signal

    def interrupt(_signum: int, _frame: object) -> None:
        raise KeyboardInterrupt

    try:
        default = signal.getsignal(signal.SIGTERM) is signal.SIG_DFL
        old = signal.signal(signal.SIGTERM, interrupt) if default else None
    except ValueError:  # not the main thread
        old = None
    try:
        yield
    finally:
        if old is not None:
            signal.signal(signal.SIGTERM, old)


_PREFIX = "cbtool-import-"  # + the importing process's id + a random part


def _clear_stale() -> None:
    """Staging directories of imports that were killed (their process is gone): removed,
    so no checked rows linger in the temporary directory."""
    import re

    try:
        entries = list(os.scandir(tempfile.gettempdir()))
    except OSError:
        return
    for entry in entries:
        found = re.fullmatch(re.escape(_PREFIX) + r"(\d+)-\w+", entry.name)
        if not found or not entry.is_dir(follow_symlinks=False):
            continue
        try:
            if entry.stat(follow_symlinks=False).st_uid != os.getuid():
                continue
            os.kill(int(found[1]), 0)  # still running: its own
        except ProcessLookupError:
            shutil.rmtree(entry.path, ignore_errors=True)
        except OSError:
            continue


def start_helper(store: Store, kind: str, sharing: Sharing | None) -> Forked | None:
    """Fork the child that checks part 1 of the rows (None where it cannot help: no
    sharing, or planning under the write lock, which covers the staging file too)."""
    if sharing is None or store.writing:
        return None
    return fork_call(lambda: _check_half(store, kind, sharing))


def plan_shared(store: Store, kind: str, source: Any, helper: Forked, sharing: Sharing, *,
                on_progress: Callable[[int], None] | None = None) -> Plan:
    """``planner.plan_import`` of ``source`` with ``helper`` checking part 1 of the rows
    meanwhile: the same plan (or the file checked again by this process alone)."""
    with page_cache(store):
        try:
            plan = plan_part(store, kind, source, _part(0), on_progress=on_progress)
            theirs = _collect(helper)
        except InvalidInput:  # said by one process, with the rows it read in all
            plan = theirs = None
        finally:
            helper.close()
        if plan is not None and merge(store, plan, theirs):
            below = getattr(source, "skipped_below", None)
            if below is not None and theirs["below"]:  # 合计 … rows the child skipped
                below[:] = sorted({*below, *theirs["below"]})
                plan.notes = source.notes()
            return plan
        drop_stage(store)
        with sharing.reopen() as again:  # checked again, by this process alone
            return plan_import(store, kind, again, on_progress=on_progress)


def _collect(helper: Forked) -> dict[str, Any] | None:
    """What the child found (its rows are in the staging file), or None if it failed."""
    try:
        return helper.result()
    except Exception:  # it failed, was killed, or handed back nothing whole
        return None


def _part(which: int) -> tuple[int, int, int]:
    """(which, period, cut): blocks of ``CHUNK`` rows for the parent, each followed by
    one of ``CHILD_SHARE`` per cent of that for the child."""
    size = planner.CHUNK
    return which, size + size * CHILD_SHARE // 100, size


def _check_half(store: Store, kind: str, sharing: Sharing) -> dict[str, Any]:
    """The child's work: its own connection (never the parent's), its own snapshot, the
    rows of part 1 planned and parked in the staging file."""
    from cbtool.db import open_database

    conn = open_database(store.path, migrate=False).conn
    mine = store.over(conn)
    conn.execute("ATTACH ? AS out", (str(sharing.path),))
    conn.execute("PRAGMA out.journal_mode = OFF")  # a scratch file: no journal, no sync
    conn.execute("PRAGMA out.synchronous = OFF")
    conn.execute("BEGIN")
    with sharing.reopen() as source:
        plan = plan_part(mine, kind, source, _part(1))
        below = list(getattr(source, "skipped_below", ()))
    for table, parked in (("rows", STAGE), ("rejects", REJECTS)):
        conn.execute(f"DROP TABLE IF EXISTS out.{table}")
        conn.execute(f"CREATE TABLE out.{table} AS SELECT * FROM temp.{parked}")
    conn.execute("COMMIT")
    return {**{name: getattr(plan, name) for name in _SUMMED + _LISTED},
            "below": below, "trace": _packed(plan.importer.trace)}


_SUMMED = ("rows", "inserted", "updated", "unchanged", "rejected", "problem_count",
           "warning_count")  # a plan's counts, added up
_LISTED = ("problems", "warnings", "reject_headers")  # … and its lists, put together


def _packed(trace: Any) -> Any:
    """Sets of hashes as arrays (quick to pickle); anything else as it is."""
    if isinstance(trace, tuple) and all(isinstance(t, set) for t in trace):
        return tuple(array("q", t) for t in trace)
    return trace


def merge(store: Store, plan: Plan, theirs: dict[str, Any] | None) -> bool:
    """The child's rows, rejected rows, counts and messages added to ``plan`` (the
    parent's half): what one process would have found. False where the file must be
    checked again by one process (the child failed, or rows of the halves concern each
    other)."""
    if theirs is None or plan.importer.crossed(theirs["trace"]):
        return False
    store.execute(f"INSERT INTO temp.{STAGE} SELECT * FROM {HALF}.rows")
    if theirs["rejected"]:
        store.execute(f"INSERT INTO temp.{REJECTS} SELECT * FROM {HALF}.rejects")
    for name in _SUMMED:
        setattr(plan, name, getattr(plan, name) + theirs[name])
    plan.importer.counts.update(inserted=plan.inserted, updated=plan.updated,
                                unchanged=plan.unchanged)
    # The first KEEP by line, as one process keeps them (all of a row's come from one).
    plan.problems = sorted(plan.problems + theirs["problems"], key=lambda p: p.line)[:KEEP]
    plan.warnings = sorted(plan.warnings + theirs["warnings"], key=lambda w: w.line)[:KEEP]
    plan.reject_headers = list(dict.fromkeys(plan.reject_headers + theirs["reject_headers"]))
    plan.processes = 2
    return True
