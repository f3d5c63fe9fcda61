"""An import from start to end: plan without the lock, confirm, write what was checked."""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from contextlib import AbstractContextManager as ContextManager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cbtool.errors import InvalidInput
from cbtool.importing.headings import heading_test
from cbtool.importing.plan import Plan
from cbtool.importing.planner import plan_import
from cbtool.importing.rejects import write_file_error, write_rejects
from cbtool.importing.sharing import GRID, plan_shared, shared_stage, start_helper
from cbtool.importing.writing import apply
from cbtool.store import Store
from cbtool.text import Msg

Tick = Callable[[int], None]  # progress: rows done so far (-1: finished)

PLAN_ATTEMPTS = 3  # plans of one import before giving up on a database that keeps changing
KEPT_CHANGING = Msg(
    "检查文件期间数据库被其他人修改（已检查 {n} 次），未写入任何内容；请在较空闲时重试",
    "others kept changing the database while the file was checked ({n} times); nothing "
    "was written; try again when it is quieter",
)


def import_file(
    store: Store, make_plan: Callable[[], Plan], *, write: bool = True,
    skip_invalid: bool = False, lock_first: bool = False,
    write_plan: Callable[[Plan], object] | None = None,
    confirm: Callable[[Plan], bool] | None = None,
) -> Plan:
    """Plan a file and, with ``write``, apply it — so that what is written is exactly what
    was checked, and others are not locked out while a big file is being checked.

    ``make_plan()`` opens the file and returns ``plan_import(store, …)``; ``write_plan``
    applies (default ``apply``). Planning reads a snapshot (a deferred transaction) without
    the write lock. Then the write transaction begins (``Store.transaction`` takes the lock
    up front); if another connection committed since planning began (``PRAGMA
    data_version``), the lock is let go and the file planned again, without it — up to
    ``PLAN_ATTEMPTS`` plans, then EnvError (exit 3), nothing written. The lock is held for
    the write alone. ``lock_first`` plans under the lock at once. Rejected rows block the
    write unless ``skip_invalid``. ``confirm(plan)`` (a terminal's question) is asked once
    a plan would write, without any lock; no: the plan comes back ``cancelled``; yes: the
    checked plan is written if nobody committed meanwhile, else the file is planned again
    under the lock (and written if it still writes) — the file is read once, not twice. Returns the plan (discarded: its counts and problems stay
    readable).
    """
    if write:
        store.require_writable()  # before checking a big file for nothing
    plan: Plan | None = None
    write_plan = write_plan or (lambda p: apply(store, p))
    try:
        if lock_first:
            with store.transaction():
                plan = make_plan()
                if write and plan.writes(skip_invalid):
                    write_plan(plan)
            return plan
        for _ in range(PLAN_ATTEMPTS):
            if plan is not None:
                plan.discard()
            version = _data_version(store)
            with store.db.atomic():  # a read snapshot; TEMP tables only are written
                plan = make_plan()
            if not (write and plan.writes(skip_invalid)):
                return plan
            if confirm is not None:
                if not confirm(plan):
                    plan.cancelled = True
                    return plan
                with store.transaction():
                    if _data_version(store) != version:  # changed while the user read
                        plan.discard()
                        plan = make_plan()
                        if not plan.writes(skip_invalid):
                            return plan
                    write_plan(plan)
                    return plan
            with store.transaction():
                if _data_version(store) == version:  # nobody committed since: as checked
                    write_plan(plan)
                    return plan
        from cbtool.errors import EnvError

        raise EnvError(KEPT_CHANGING, n=PLAN_ATTEMPTS)
    finally:
        if plan is not None:
            plan.discard()


def _typed(request: ImportRequest, source: Any) -> Any:
    """The rejected rows read again as typed (a grid file on disk), for the errors file."""
    from functools import partial

    from cbtool.tabular import typed_rows

    if request.file == "-" or source.format not in ("csv", "tsv", "xlsx"):
        return None
    return partial(typed_rows, request.file, source.format, encoding=source.encoding,
                   sheet=source.sheet, header_line=source.header_line)


def _data_version(store: Store) -> int:
    """Changes whenever another connection commits (SQLite's own counter)."""
    return store.execute("PRAGMA data_version").fetchone()[0]


@dataclass(frozen=True)
class ImportRequest:
    """One import as a user asks for it: the file, how to read it, what to do with it."""

    kind: str  # areas | members | logs | checklist | points
    file: str  # a path, or "-" for standard input (then ``input_format`` is needed)
    input_format: str | None = None  # default: from the file's name and content
    encoding: str | None = None  # default: UTF-8 or GBK/GB18030, told apart
    header_row: int | None = None  # the line the headings are on (default: found)
    sheet: str | None = None  # the worksheet of an .xlsx (default: the data sheet)
    write: bool = True  # False: a dry run, nothing written
    skip_invalid: bool = False  # write the valid rows even if some are rejected
    errors: Path | None = None  # every rejected row written here as CSV
    lang: str = "zh"  # the language of the errors file
    preview: int | None = 0  # a dry run's changes listed: the first N (None: all)


@dataclass
class ImportHooks:
    """What the caller shows while an import runs (all optional): a progress tick while
    the file is checked and while it is written, and the question before writing."""

    checking: Callable[[Any], ContextManager[Tick | None]] | None = None  # gets the source
    writing: Callable[[Plan], ContextManager[Tick | None]] | None = None
    confirm: Callable[[Plan], bool] | None = None


def _no_progress(_what: object) -> ContextManager[None]:
    return contextlib.nullcontext()


def run_import(store: Store, request: ImportRequest, hooks: ImportHooks | None = None,
               *, lock_first: bool = False) -> Plan:
    """Check ``request.file`` and (unless a dry run, or rows were rejected and are not to
    be skipped) write it in one transaction, as ``import_file`` does; the errors file and
    a dry run's preview are made here. Raises ``InvalidInput`` for a file rejected as a
    whole (its ``rows``: the data rows that covers)."""
    from cbtool.tabular import open_source

    hooks = hooks or ImportHooks()
    checking = hooks.checking or _no_progress
    writing = hooks.writing or _no_progress

    def reopen() -> ContextManager[Any]:
        return open_source(request.file, input_format=request.input_format,
                           encoding=request.encoding, is_heading=heading_test(request.kind),
                           header_row=request.header_row, sheet=request.sheet)

    def make_plan() -> Plan:
        try:
            with reopen() as source:
                helper = (start_helper(store, request.kind, sharing)
                          if source.format in GRID else None)
                try:
                    with checking(source) as tick:
                        plan = (plan_shared(store, request.kind, source, helper, sharing,
                                            on_progress=tick) if helper is not None else
                                plan_import(store, request.kind, source, on_progress=tick))
                finally:
                    if helper is not None:
                        helper.close()
        except InvalidInput as exc:
            if request.errors is not None:
                write_file_error(request.errors, exc.message(request.lang), request.lang)
            raise
        if request.errors is not None:
            write_rejects(request.errors, plan, request.lang, _typed(request, source))
        if not request.write and request.preview != 0:  # before the parked rows go
            plan.changes_preview(request.preview)
        return plan

    def write_plan(plan: Plan) -> None:
        with writing(plan) as tick:
            apply(store, plan, on_progress=tick)

    with shared_stage(store, request.kind, request.file, reopen) as sharing:
        return import_file(store, make_plan, write=request.write,
                           skip_invalid=request.skip_invalid, lock_first=lock_first,
                           write_plan=write_plan, confirm=hooks.confirm)
