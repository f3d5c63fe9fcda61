"""A member's page, as ``members show`` gives it: the record, its category changes, its
contacts, its recent participation in the logs and the volunteer the member is. It sits
above the modules it draws on (``members``, ``contacts``, ``volunteers``), so that none of
them needs another to show a member."""

from __future__ import annotations

from typing import Any

from cbtool import members
from cbtool.contacts import contacts
from cbtool.store import Store


def show(store: Store, value: object, *, recent: int = 5) -> dict[str, Any]:
    """The record with its category history, contacts and recent participation."""
    record = members.get(store, value)
    no = record["member_no"]
    record["category_changes"] = list(store.rows(
        "SELECT from_category AS [from], to_category AS [to], date, reason "
        "FROM category_changes WHERE member_no = ? ORDER BY date, id", (no,)))
    record["contacts"] = contacts(store, no)
    record["participation"] = participation(store, no, recent=recent)
    from cbtool.service import of_member  # the volunteer the member is: teams, hours

    record["volunteer"] = of_member(store, no)
    return record


def participation(store: Store, no: str, *, recent: int = 5) -> dict[str, Any]:
    year = f"{store.today.year:04d}"
    count = store.execute(
        "SELECT count(*) FROM log_participants p JOIN logs l ON l.id = p.log_id "
        "WHERE p.member_no = ? AND l.voided = 0 AND l.date BETWEEN ? AND ?",
        (no, f"{year}-01-01", f"{year}-12-31"),
    ).fetchone()[0]
    logs = list(store.rows(
        "SELECT l.id, l.date, l.point, l.kind, l.title FROM log_participants p "
        "JOIN logs l ON l.id = p.log_id WHERE p.member_no = ? AND l.voided = 0 "
        "ORDER BY l.date DESC, l.id DESC LIMIT ?", (no, recent)))
    return {"year": int(year), "count_this_year": count, "recent": logs}
