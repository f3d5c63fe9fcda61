"""Applying a plan: the parked rows written in the caller's transaction."""

from __future__ import annotations

import json
from collections.abc import Callable

from cbtool.importing.auditing import batch_command, record_batch
from cbtool.importing.base import Importer
from cbtool.importing.plan import Plan
from cbtool.importing.stage import CHUNK, STAGE, indexes_after, page_cache
from cbtool.store import Store


def apply(store: Store, plan: Plan, *, on_progress: Callable[[int], None] | None = None
          ) -> Plan:
    """Write the valid rows of ``plan`` in the caller's transaction; rejected rows are
    skipped (the caller decides whether to apply a plan that has any). Inserts go in
    bulk (one INSERT … SELECT from the parked rows where the kind allows it); updates one
    by one, each audited."""
    if plan.applied:
        raise RuntimeError("plan applied already")
    imp: Importer = plan.importer
    done = 0
    first = store.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    marks = {table: store.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
             for table in _MARKED}
    plan.batch = record_batch(store, plan)
    imp.plan = plan
    with page_cache(store):
        if plan.inserted and imp.bulk_insert:  # SQL alone: the indexes may follow
            with indexes_after(store, imp.table, plan.inserted), \
                    indexes_after(store, "audit", plan.inserted):
                imp.insert_parked()
                imp.audit_parked(marks)
        elif plan.inserted:  # record by record, each looked up as it goes
            done = write_parked(imp, "insert", 0, on_progress)
        if plan.updated:
            write_parked(imp, "update", done, on_progress)
        imp.audit_written(marks)
        imp.audit_import()
        # The rows audited one by one (Store.audit) name the batch and the file too.
        store.execute("UPDATE audit SET batch = ?, command = ? WHERE id > ? AND batch IS NULL",
                      (plan.batch, batch_command(store, plan), first))
    plan.applied = True
    return plan


_MARKED = ("contacts", "checks", "logs")  # tables whose new rows are found by rowid


def write_parked(imp: Importer, action: str, done: int,
                  on_progress: Callable[[int], None] | None) -> int:
    """Hand the parked rows of ``action`` to the importer in batches, as dicts of the
    fields the row had (the present mask)."""
    staged = imp.staged
    bits = [imp.bit[n] for n in staged]
    names = ", ".join(f'"{n}"' for n in staged)
    cur = imp.store.conn.cursor()
    cur.execute(f"SELECT line, target, mask, {names} FROM temp.{STAGE} "
                "WHERE action = ? ORDER BY line", (action,))
    while batch := cur.fetchmany(CHUNK):
        rows = []
        for line, target, mask, *vals in batch:
            values = {n: (json.loads(v) if n in imp.json_fields and v is not None else v)
                      for n, v, b in zip(staged, vals, bits, strict=True) if mask & b}
            rows.append((line, target, mask, values))
        imp.write(action, rows)
        done += len(rows)
        if on_progress:
            on_progress(done)
    return done
