"""An import from start to end: plan without the lock, confirm, write what was checked."""

from __future__ import annotations

from collections.abc import Callable

from cbtool.importing.plan import Plan
from cbtool.importing.writing import apply
from cbtool.store import Store
from cbtool.text import Msg

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


def _data_version(store: Store) -> int:
    """Changes whenever another connection commits (SQLite's own counter)."""
    return store.execute("PRAGMA data_version").fetchone()[0]
