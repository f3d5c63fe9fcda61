"""A member's whole story, oldest first, in Chinese: the record's entry, field edits,
category changes, contacts, every participation, the service given as a volunteer, archive
and restore.

Dated facts (a category change, a contact, a log) come on their own date; what only
the audit knows (entry, edits, restore) on the local day and time it was recorded.
Phones and ID numbers in edits are masked unless revealed.
"""

from __future__ import annotations

import json
from typing import Any

from cbtool import clock, vocab
from cbtool.fields import mask_id_card, mask_phone
from cbtool.lookup import find_key
from cbtool.store import Store
from cbtool.text import FIELD_LABELS
from cbtool.vocab import CATEGORIES

CHANNELS = vocab.CHANNELS.label_map("zh")
REASONS = vocab.ARCHIVE_REASONS.label_map("zh")
GENDERS = {"M": "男", "F": "女"}
STATUSES = vocab.STATUSES.label_map("zh")
SKIP = {"created_at", "updated_at", "member_no"}
ORDER = {"insert": 0, "update": 1, "category": 2, "contact": 3, "log": 4, "service": 4,
         "archive": 5, "restore": 6}
WHAT = {"insert": "录入", "update": "修改", "category": "类别变更", "contact": "联系",
        "log": "参加活动", "service": "志愿服务", "archive": "归档", "restore": "恢复"}


def local_time(at: str) -> str:
    """An audit time (UTC ISO) as the local 'YYYY-MM-DD HH:MM'."""
    return clock.shown(at)


def _value(field: str, value: Any, reveal: bool) -> str:
    if value is None or value == "":
        return "（空）"
    if field == "phone" and not reveal:
        return str(mask_phone(value))
    if field == "id_card" and not reveal:
        return str(mask_id_card(value))
    if field == "category":
        return CATEGORIES.label(str(value))
    if field == "gender":
        return GENDERS.get(value, str(value))
    if field == "status":
        return STATUSES.get(value, str(value))
    if field == "archived_reason":
        return REASONS.get(value, str(value))
    return str(value)


def _edits(changes: dict[str, Any], reveal: bool) -> str:
    parts = []
    for field, (before, after) in changes.items():
        if field in SKIP:
            continue
        label = FIELD_LABELS.get(field, field)
        parts.append(f"{label} {_value(field, before, reveal)} → {_value(field, after, reveal)}")
    return "；".join(parts)


def _entered_by(store: Store, table: str, key: object) -> str | None:
    row = store.one("SELECT operator FROM audit WHERE table_name = ? AND key = ? "
                    "AND action = 'insert' ORDER BY id LIMIT 1", (table, str(key)))
    return row["operator"] if row else None


def member_history(store: Store, value: object, *, reveal: bool = False) -> list[dict[str, Any]]:
    """Events ``{"date", "what", "detail", "operator"}``, oldest first."""
    no = find_key(store, "members", value)
    events: list[tuple[tuple, dict[str, Any]]] = []

    def add(day: str, kind: str, detail: str, operator: str | None = None,
            seq: int = 0) -> None:
        events.append(((day[:10], ORDER[kind], day, seq),
                       {"date": day, "what": WHAT[kind], "detail": detail,
                        "operator": operator}))

    for row in store.rows("SELECT id, at, operator, command, action, changes FROM audit "
                          "WHERE table_name = 'members' AND key = ? ORDER BY id", (no,)):
        changes = json.loads(row["changes"]) if row["changes"] else {}
        action, at = row["action"], local_time(row["at"])
        via = f"（{row['command']}）" if row["command"] else ""
        if action == "insert":
            add(at, "insert", f"建立党员档案{via}", row["operator"], row["id"])
        elif action == "archive":
            day = (changes.get("archived_on") or [None, None])[1] or at
            reason = (changes.get("archived_reason") or [None, None])[1]
            add(day, "archive", REASONS.get(reason, reason or ""), row["operator"], row["id"])
        elif action == "restore":
            add(at, "restore", "恢复为在册党员", row["operator"], row["id"])
        elif action in ("update", "import"):
            changes.pop("category", None)  # told by the category change, on its own date
            if text := _edits(changes, reveal):
                add(at, "update", text + via, row["operator"], row["id"])
    for row in store.rows("SELECT id, from_category, to_category, date, reason "
                          "FROM category_changes WHERE member_no = ? ORDER BY id", (no,)):
        who = _entered_by(store, "category_changes", row["id"])
        text = (f"{CATEGORIES.label(row['from_category'] or '')} → "
                f"{CATEGORIES.label(row['to_category'])}")
        if row["reason"]:
            text += f"（{row['reason']}）"
        add(row["date"], "category", text, who, seq=row["id"])
    for row in store.rows("SELECT id, date, channel, whereabouts, note FROM contacts "
                          "WHERE member_no = ? ORDER BY id", (no,)):
        parts = [CHANNELS.get(row["channel"], row["channel"] or "")]
        if row["whereabouts"]:
            parts.append(f"所在地 {row['whereabouts']}")
        if row["note"]:
            parts.append(row["note"])
        add(row["date"], "contact", "；".join(p for p in parts if p),
            _entered_by(store, "contacts", row["id"]), seq=row["id"])
    kinds = store.config.kinds()
    for row in store.rows(
            "SELECT l.id, l.date, l.point, p.name AS point_name, l.kind, l.title "
            "FROM log_participants lp JOIN logs l ON l.id = lp.log_id "
            "LEFT JOIN points p ON p.code = l.point "
            "WHERE lp.member_no = ? AND l.voided = 0 ORDER BY l.date, l.id", (no,)):
        add(row["date"], "log", f"{row['point_name'] or row['point']} · "
            f"{kinds.label(row['kind'])} · {row['title']}（台账 #{row['id']}）", seq=row["id"])
    for row in store.rows(  # as a volunteer: each service (a log's is told with the log)
            "SELECT s.id, s.date, s.minutes, s.team, s.content FROM volunteers v JOIN service s "
            "ON s.volunteer_no = v.volunteer_no WHERE v.member_no = ? AND s.voided = 0 "
            "AND s.log_id IS NULL ORDER BY s.date, s.id", (no,)):
        team = f"，{row['team']}" if row["team"] else ""
        add(row["date"], "service", f"{row['content']}（{row['minutes'] / 60:g} 小时{team}）",
            _entered_by(store, "service", row["id"]), seq=row["id"])
    events.sort(key=lambda pair: pair[0])
    return [event for _, event in events]
