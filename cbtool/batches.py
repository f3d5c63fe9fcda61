"""Import batches: every import that wrote is one (``importing.apply`` records it, and
every audit row of the records it wrote names it). ``list_batches`` lists them;
``undo`` reverts one from its audit rows, in the caller's transaction.

Undo deletes what the batch inserted (with the child rows it made: participants, category
changes, contacts — each has an audit row of the batch too) and restores the before-values
of what it updated, newest first. Changes by later batches that were undone since (and
those undos) do not count as later changes. It refuses (Conflict, nothing written) when a later
change touched one of those records, when a later record uses one it would delete, or when
the batch was undone already.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from typing import Any

from cbtool import clock
from cbtool.errors import Conflict, InvalidInput, NotFound
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import TABLES

BATCH_FIELDS = ["id", "kind", "file", "at", "operator", "inserted", "updated", "unchanged",
                "rejected", "undone_at"]
SHOWN_KEYS = 10  # records named in a refusal

NO_BATCH = Msg("没有编号为 {id} 的导入批次（cbtool imports 列出批次）",
               "no import batch {id} (cbtool imports lists them)")
BAD_ID = Msg("导入批次编号应为正整数，而不是“{value}”", "a batch id is a positive number, not '{value}'")
UNDONE = Msg("导入批次 {id} 已于 {at} 撤销，不能再撤销一次",
             "import batch {id} was undone already ({at}); it cannot be undone twice")
TOUCHED = Msg(
    "导入批次 {id} 之后，这些记录又被修改过，不能撤销（未写入任何内容）：{records}",
    "records of import batch {id} were changed after it, so it cannot be undone (nothing "
    "was written): {records}")
SPENT = Msg(
    "撤销导入批次 {id} 会使资金“{fund}”在 {date} 的余额变为 {balance} 元（这批导入的收入已被支出），"
    "不能撤销（未写入任何内容）",
    "undoing import batch {id} would leave fund '{fund}' at {balance} yuan on {date} (the "
    "income it imported was spent since), so it cannot be undone (nothing was written)")
IN_USE = Msg(
    "导入批次 {id} 新增的记录 {record} 已被之后的记录引用，不能撤销（未写入任何内容）",
    "record {record} that import batch {id} added is used by later records, so the batch "
    "cannot be undone (nothing was written)")
IN_USE_SHOWN = 10  # records a refusal names; then how many more

# table -> how its audit key finds the row
_WHERE = {
    "members": "member_no = ?", "areas": "code = ?", "points": "code = ?", "logs": "id = ?",
    "contacts": "id = ?", "category_changes": "id = ?",
    "checks": "point || '/' || item || '/' || date = ?",
    "teams": "code = ?", "volunteers": "volunteer_no = ?", "service": "id = ?",
    "pairings": "id = ?", "aid_cases": "id = ?", "brands": "id = ?",
    "aid_given": "id = ?", "fund_income": "id = ?",
}
_STAMPS = ("created_at", "updated_at")


def parse_id(value: object) -> int:
    text = str(value).strip()
    if not text.isdigit() or int(text) < 1:
        raise InvalidInput(BAD_ID, value=text)
    return int(text)


def list_batches(store: Store, *, limit: int | None = None
                 ) -> tuple[Iterator[dict[str, Any]], int]:
    """The batches newest first, and how many there are."""
    total = store.execute("SELECT count(*) FROM import_batches").fetchone()[0]
    sql = f"SELECT {', '.join(BATCH_FIELDS)} FROM import_batches ORDER BY id DESC"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.rows(sql), total


def get(store: Store, value: object) -> dict[str, Any]:
    batch_id = parse_id(value)
    batch = store.one(f"SELECT {', '.join(BATCH_FIELDS)} FROM import_batches WHERE id = ?",
                      (batch_id,))
    if batch is None:
        raise NotFound(NO_BATCH, id=batch_id)
    return batch


def kind_label(kind: str, lang: str) -> str:
    """A batch's kind as people know it (``members`` → ``党员``; English: the kind)."""
    from cbtool.exporting import SHEET_TITLES

    return kind if lang == "en" else SHEET_TITLES.get(kind, kind)


def _label(table: str, key: str) -> Msg:
    """``党员 0201`` (English: ``members 0201``): a record a refusal names."""
    return Msg(f"{TABLES.get(table, (table,))[0]} {key}", f"{table} {key}")


def check_undo(store: Store, value: object) -> dict[str, Any]:
    """The batch, if it can be undone now; else Conflict / NotFound."""
    batch = get(store, value)
    if batch["undone_at"]:
        raise Conflict(UNDONE, id=batch["id"], at=clock.shown(batch["undone_at"]))
    last = store.execute("SELECT coalesce(max(id), 0) FROM audit WHERE batch = ?",
                         (batch["id"],)).fetchone()[0]
    touched = store.execute(
        "SELECT DISTINCT a.table_name, a.key FROM audit b JOIN audit a "
        "ON a.table_name = b.table_name AND a.key = b.key AND a.id > ? "
        "WHERE b.batch = ? AND b.action != 'import' AND a.action != 'undo' "
        "AND (a.batch IS NULL OR a.batch NOT IN (SELECT id FROM import_batches WHERE "
        "undone_at IS NOT NULL)) ORDER BY a.table_name, a.key",
        (last, batch["id"])).fetchall()
    if touched:
        labels = [_label(t, k) for t, k in touched[:SHOWN_KEYS]]
        more = f" … (+{len(touched) - SHOWN_KEYS})" if len(touched) > SHOWN_KEYS else ""
        named = Msg("、".join(m.zh for m in labels) + more, "、".join(m.en for m in labels) + more)
        raise Conflict(TOUCHED, id=batch["id"], records=named)
    _check_funds(store, batch["id"])
    return batch


def _check_funds(store: Store, batch_id: int) -> None:
    """No fund goes below zero on any day by the undo: the income the batch added is taken
    back, the spending it added given back, the records it voided counted again."""
    from cbtool import funds

    moves = []  # (fund, date, fen) the undo would add to a fund's balance
    for table, sign in (("fund_income", -1), ("aid_given", 1)):
        for action, fund, date, fen, voided, changes in store.execute(
                "SELECT a.action, t.fund, t.date, t.amount_fen, t.voided, a.changes FROM audit a "
                f"JOIN {table} t ON t.id = CAST(a.key AS INTEGER) WHERE a.batch = ? "
                "AND a.table_name = ? AND t.fund IS NOT NULL AND t.amount_fen IS NOT NULL",
                (batch_id, table)):
            if action == "insert" and not voided:  # deleted: its money goes
                moves.append((fund, date, sign * fen))
            elif voided and json.loads(changes or "{}").get("voided") == [False, True]:
                moves.append((fund, date, -sign * fen))  # voided by the batch: counted again
    if not moves:
        return
    running = funds.Running(store)
    for fund, date, fen in moves:
        running.add(fund, date, fen)
    for fund in sorted({m[0] for m in moves}):
        short = funds.first_shortfall(running.daily(fund))
        if short:
            from cbtool.fields import yuan

            raise Conflict(SPENT, id=batch_id, fund=funds.fund_name(store, fund),
                           date=short[0], balance=yuan(short[1], grouped=True))


class _Tried(Exception):
    """The end of a trial undo: its transaction rolled back, the batch it would undo."""


def try_undo(store: Store, value: object) -> dict[str, Any]:
    """``check_undo``, then the undo itself tried and rolled back: a record it added that
    a later one uses (found only by deleting it) is refused before anyone is asked.
    Returns the batch with the ``deleted`` and ``restored`` counts the undo would have."""
    try:
        with store.transaction():
            raise _Tried(undo(store, value))
    except _Tried as tried:
        return tried.args[0]


def undo(store: Store, value: object) -> dict[str, Any]:
    """Revert one batch (in the caller's transaction); returns the batch with ``deleted``
    and ``restored`` counts. Each reverted record is audited (action ``undo``)."""
    batch = check_undo(store, value)
    deleted = restored = 0
    in_use: list[Msg] = []  # added records a later one uses: all named, then refused
    cur = store.conn.cursor()
    cur.execute("SELECT table_name, key, action, changes FROM audit WHERE batch = ? "
                "AND action != 'import' ORDER BY id DESC", (batch["id"],))
    while chunk := cur.fetchmany(1000):
        for table, key, action, changes in chunk:
            where = _WHERE.get(table)
            if where is None:
                continue
            if action == "insert":
                if _delete(store, table, key, where):
                    deleted += 1
                else:
                    in_use.append(_label(table, key))
            else:
                _restore(store, table, key, where, json.loads(changes) if changes else {})
                restored += 1
    if in_use:  # (the caller's transaction rolls back what was deleted meanwhile)
        raise Conflict(IN_USE, id=batch["id"], record=_listed(in_use))
    store.execute("UPDATE import_batches SET undone_at = ?, undone_by = ? WHERE id = ?",
                  (now_utc(), store.operator, batch["id"]))
    store.audit("import_batches", batch["id"], "undo", None,
                {"file": batch["file"], "deleted": deleted, "restored": restored})
    return {**batch, "deleted": deleted, "restored": restored}


def _row(store: Store, table: str, where: str, key: str) -> dict[str, Any] | None:
    return store.one(f"SELECT * FROM {table} WHERE {where}", (key,))


def _listed(records: list[Msg]) -> Msg:
    """``党员 0101、党员 0102`` (the first ``IN_USE_SHOWN``, then how many more)."""
    shown, more = records[:IN_USE_SHOWN], len(records) - IN_USE_SHOWN
    zh, en = "、".join(m.zh for m in shown), ", ".join(m.en for m in shown)
    if more > 0:
        zh, en = f"{zh} 等 {len(records)} 条", f"{en} and {more} more"
    return Msg(zh, en)


def _delete(store: Store, table: str, key: str, where: str) -> bool:
    """Delete one record the batch added (and what goes with it), audited; False where a
    later record refers to it (nothing of it deleted)."""
    before = _row(store, table, where, key)
    if before is None:
        return True
    store.execute("SAVEPOINT undo_record")
    try:
        if table == "logs":
            before["participants"] = [no for (no,) in store.execute(
                "SELECT member_no FROM log_participants WHERE log_id = ? ORDER BY member_no",
                (before["id"],))]
            store.execute("DELETE FROM log_participants WHERE log_id = ?", (before["id"],))
            for service in store.rows("SELECT * FROM service WHERE log_id = ? ORDER BY id",
                                      (before["id"],)):  # its volunteers' service goes too
                store.execute("DELETE FROM service WHERE id = ?", (service["id"],))
                store.audit("service", service["id"], "undo", service, None)
        if table == "volunteers":
            before["teams"] = [t for (t,) in store.execute(
                "SELECT team FROM volunteer_teams WHERE volunteer_no = ? ORDER BY team", (key,))]
            store.execute("DELETE FROM volunteer_teams WHERE volunteer_no = ?", (key,))
        if table == "aid_cases":  # its paired members go with it
            before["helpers"] = _helpers(store, before["id"])
            store.execute("DELETE FROM aid_helpers WHERE case_id = ?", (before["id"],))
        store.execute(f"DELETE FROM {table} WHERE {where}", (key,))
    except sqlite3.IntegrityError:  # a later record (a log, a contact) refers to it
        store.execute("ROLLBACK TO undo_record")
        store.execute("RELEASE undo_record")
        return False
    store.execute("RELEASE undo_record")
    store.audit(table, key, "undo", before, None)
    return True


def _restore(store: Store, table: str, key: str, where: str,
             changes: dict[str, list[Any]]) -> None:
    before = _row(store, table, where, key)
    if before is None:
        return
    values = {k: pair[0] for k, pair in changes.items() if k not in _STAMPS}
    after = dict(before)
    if table == "logs" and "participants" in values:
        people = values.pop("participants") or []
        before["participants"] = [no for (no,) in store.execute(
            "SELECT member_no FROM log_participants WHERE log_id = ? ORDER BY member_no",
            (before["id"],))]
        store.execute("DELETE FROM log_participants WHERE log_id = ?", (before["id"],))
        store.conn.executemany("INSERT INTO log_participants (log_id, member_no) VALUES (?, ?)",
                               [(before["id"], no) for no in people])
        after["participants"] = people
    if table == "volunteers" and "teams" in values:
        teams = values.pop("teams") or []
        before["teams"] = [t for (t,) in store.execute(
            "SELECT team FROM volunteer_teams WHERE volunteer_no = ? ORDER BY team", (key,))]
        store.execute("DELETE FROM volunteer_teams WHERE volunteer_no = ?", (key,))
        store.conn.executemany("INSERT INTO volunteer_teams (volunteer_no, team) VALUES (?, ?)",
                               [(key, t) for t in teams])
        after["teams"] = teams
    if table == "service" and values.get("hours") is not None:  # audited as hours
        values["minutes"] = round(values.pop("hours") * 60)
    if table == "aid_cases" and "helpers" in values:
        before["helpers"] = _helpers(store, before["id"])
        store.execute("DELETE FROM aid_helpers WHERE case_id = ?", (before["id"],))
        after["helpers"] = values.pop("helpers") or []
        store.conn.executemany("INSERT INTO aid_helpers (case_id, member_no) VALUES (?, ?)",
                               [(before["id"], no) for no in after["helpers"]])
    values = {k: (int(v) if isinstance(v, bool) else v) for k, v in values.items()
              if k in before}
    if values:
        sets = ", ".join(f"{k} = ?" for k in values)
        store.execute(f"UPDATE {table} SET {sets}, updated_at = ? WHERE {where}",
                      [*values.values(), now_utc(), key])
        after.update(values)
    store.audit(table, key, "undo", before, after)


def _helpers(store: Store, case_id: int) -> list[str]:
    """An aid case's paired members (``aid_helpers``), in number order."""
    return [no for (no,) in store.execute(
        "SELECT member_no FROM aid_helpers WHERE case_id = ? ORDER BY member_no", (case_id,))]
