"""Keeping in contact with members (mobile members above all): contacts and attempts,
their removal, and who is overdue for one. No terminal code here."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from cbtool import fields as f
from cbtool.errors import FieldError, InvalidInput, NotFound
from cbtool.lookup import find_key
from cbtool.members import ARCHIVED, _stored, update
from cbtool.store import Store, now_utc
from cbtool.text import Msg, option
from cbtool.vocab import CHANNELS

CONTACT_FIELDS = ["id", "member_no", "date", "channel", "reached", "whereabouts", "note"]

BAD_CHANNEL = Msg("{field}：联系方式应为 phone/电话、wechat/微信、visit/走访 或 other/其他",
                  "{field}: channel must be phone, wechat, visit or other")
NO_CONTACT = Msg("{no} 没有编号为 {id} 的联系记录（members contacts {no} 列出编号）",
                 "{no} has no contact {id} (members contacts {no} lists them)")


def parse_channel(value: object) -> str:
    key = CHANNELS.lookup(f.clean(value) or "phone")
    if key is None:
        raise FieldError("channel", BAD_CHANNEL)
    return key


def overdue(store: Store, *, days: int | None = None, as_of: date | None = None
            ) -> Iterator[dict[str, Any]]:
    """Active mobile members whose last contact (or none) is more than ``days`` old."""
    days = days if days is not None else store.config.contact_overdue_days
    if not 1 <= days <= f.MAX_DAYS:  # (today minus 800,000 days is before year 1)
        raise InvalidInput(f.BAD_DAYS, field=option("days"), limit=f.MAX_DAYS, value=days)
    as_of = as_of or store.today
    cutoff = (as_of - timedelta(days=days)).isoformat()
    sql = (
        "SELECT member_no, name, area, phone, whereabouts, left_on, last_contact_on FROM ("
        "SELECT m.member_no, m.name, m.area, m.phone, m.whereabouts, m.left_on, "
        "(SELECT max(c.date) FROM contacts c WHERE c.member_no = m.member_no AND c.date <= ? "
        "AND c.reached = 1) "
        "AS last_contact_on FROM members m "
        "WHERE m.status = 'active' AND m.category = 'mobile') "
        "WHERE last_contact_on IS NULL OR last_contact_on < ? "
        "ORDER BY last_contact_on IS NOT NULL, last_contact_on, member_no"
    )
    for row in store.rows(sql, (as_of.isoformat(), cutoff)):
        last = row["last_contact_on"]
        row["days_since_contact"] = (as_of - date.fromisoformat(last)).days if last else None
        yield row


def contact(store: Store, value: object, *, on: object = None, channel: object = None,
            whereabouts: object = None, note: object = None, reached: bool = True
            ) -> tuple[dict[str, Any], str]:
    """Record a contact with the member (``reached=False``: an attempt that did not reach
    them, which leaves the overdue flag as it was); new whereabouts also update the member.

    The same member, day and channel again is the same contact: what it adds (reached
    after all, a note, whereabouts) updates it, else it is unchanged. Returns the stored
    contact and "inserted" | "updated" | "unchanged"."""
    no = find_key(store, "members", value)
    member = _stored(store, no)
    if member["status"] != "active":
        raise InvalidInput(ARCHIVED, no=no)
    row = {
        "member_no": no,
        "date": f.parse_date("on", on, today=store.today) or store.today.isoformat(),
        "channel": parse_channel(channel),
        "reached": bool(reached),
        "whereabouts": f.text_field("whereabouts", whereabouts, limit=200),
        "note": f.text_field("note", note, limit=2000),
    }
    old = store.one(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE member_no = ? "
                    "AND date = ? AND channel = ? ORDER BY id LIMIT 1",
                    (no, row["date"], row["channel"]))
    if old is None:
        row["id"] = insert_contact(store, row)
        result = "inserted"
    else:
        old["reached"] = bool(old["reached"])
        merged = {**old, "reached": old["reached"] or row["reached"],
                  **{k: row[k] for k in ("whereabouts", "note") if row[k] is not None}}
        result = "unchanged" if merged == old else "updated"
        if result == "updated":
            store.execute("UPDATE contacts SET reached = ?, whereabouts = ?, note = ?, "
                          "updated_at = ? WHERE id = ?",
                          (int(merged["reached"]), merged["whereabouts"], merged["note"],
                           now_utc(), old["id"]))
            store.audit("contacts", old["id"], "update", old, merged)
        row = merged
    if row["whereabouts"] and row["whereabouts"] != member["whereabouts"]:
        update(store, no, {"whereabouts": row["whereabouts"]})
    return row, result


def insert_contact(store: Store, row: dict[str, Any]) -> int:
    cur = store.execute(
        "INSERT INTO contacts (member_no, date, channel, reached, whereabouts, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (row["member_no"], row["date"], row["channel"], int(row.get("reached", True)),
         row.get("whereabouts"), row.get("note")),
    )
    store.audit("contacts", cur.lastrowid, "insert", None,
                {k: v for k, v in row.items() if k != "id"})
    return cur.lastrowid


def contacts(store: Store, no: str) -> list[dict[str, Any]]:
    """A member's contacts (and attempts), newest first, with their ids."""
    rows = list(store.rows(
        "SELECT id, date, channel, reached, whereabouts, note FROM contacts "
        "WHERE member_no = ? ORDER BY date DESC, id DESC", (no,)))
    for row in rows:
        row["reached"] = bool(row["reached"])
    return rows


def remove_contact(store: Store, value: object, contact_id: object, reason: object
                   ) -> dict[str, Any]:
    """Remove a contact recorded by mistake: it must be this member's; the reason and the
    removed values are kept in the audit."""
    no = find_key(store, "members", value)
    text = f.clean(contact_id) or ""
    row = store.one(f"SELECT {', '.join(CONTACT_FIELDS)} FROM contacts WHERE id = ?",
                    (int(text.removeprefix("#")),)) if text.removeprefix("#").isdigit() \
        and len(text) < 19 else None
    if row is None or row["member_no"] != no:
        raise NotFound(NO_CONTACT, no=no, id=text)
    why = f.text_field("reason", reason, required=True, limit=500)
    store.execute("DELETE FROM contacts WHERE id = ?", (row["id"],))
    row["reached"] = bool(row["reached"])
    store.audit("contacts", row["id"], "delete", row, {"reason": why})
    return {**row, "reason": why}
