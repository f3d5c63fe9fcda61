"""The summary document: every figure computed by SQL over indexed columns.

``build(store, period)`` returns one dict in the documented shape (README: Summary and reports), shared by ``cbtool
summary`` and ``cbtool report`` in every format. It holds counts only: no names, phones or
ID numbers, so it can be mailed upward as it is.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from cbtool import __version__, summary_pairings
from cbtool.fields import Period
from cbtool.lookup import find_key
from cbtool.store import Store
from cbtool.text import Msg
from cbtool.vocab import CATEGORIES

# Said (not refused: the as-of day of a period not yet ended is today) by the command line.
FUTURE_PERIOD = Msg("提醒：统计期间 {label}（{start} 起）还没有开始，本期数字均为 0，名册为今天的",
                    "note: the period {label} (from {start}) has not begun; its figures are 0 "
                    "and the register is today's")

# The document's version: raised when a key changes its meaning or goes away, never for
# an added key. A roll-up reads documents of this version and older ones it knows.
SCHEMA = 1

# A month-only 入党时间 ("1975-07") counts as its first day.
_DAY = "CASE WHEN length({col}) = 7 THEN {col} || '-01' ELSE {col} END"


def build(store: Store, period: Period, *, area: object = None, today: date | None = None,
          lang: str = "zh") -> dict[str, Any]:
    today = today or store.today
    as_of = period.as_of(today)
    area_code = find_key(store, "areas", area) if area is not None else None
    kinds = store.config.kinds()
    items = store.config.items()
    doc: dict[str, Any] = {
        "period": period.as_dict(),
        "as_of": as_of.isoformat(),
        "area": area_code,
        "members": _members(store, period, as_of, area_code),
        "logs": _logs(store, period, area_code, kinds.keys),
        "checklist": _checklist(store, as_of, area_code),
        "volunteers": _volunteers(store, period, area_code),
        **summary_pairings.build(store, period, as_of, area_code),
        "labels": {
            "category": CATEGORIES.label_map(lang),
            "kind": kinds.label_map(lang),
            "item": items.label_map(lang),
            "field": store.config.fields().label_map(lang),
            **summary_pairings.labels(lang),
        },
    }
    # Who the document is from and what made it: a district roll-up reads these.
    cfg = store.config
    doc["office"] = {"code": cfg.office_code, "name": cfg.office_name,
                     "parent": cfg.office_parent}
    doc["checklist"]["items"] = list(items.keys)
    doc["tool"] = {"name": "cbtool", "version": __version__}
    doc["schema"] = SCHEMA
    return doc


def _members(store: Store, period: Period, as_of: date, area: str | None) -> dict[str, Any]:
    start, end = period.start.isoformat(), period.end.isoformat()
    in_area = " AND area = ?" if area else ""
    args: tuple = (area,) if area else ()
    cats = CATEGORIES.keys
    areas = list(store.rows(
        f"SELECT code, name FROM areas WHERE 1 = 1{' AND code = ?' if area else ''} "
        "ORDER BY code", args))
    by_area = {a["code"]: {"area": a["code"], "name": a["name"], **dict.fromkeys(cats, 0),
                           "total": 0} for a in areas}
    by_category = dict.fromkeys(cats, 0)
    for code, category, n in store.execute(
            f"SELECT area, category, count(*) FROM members WHERE status = 'active'{in_area} "
            "GROUP BY area, category", args):
        row = by_area.setdefault(code, {"area": code, "name": code, **dict.fromkeys(cats, 0),
                                        "total": 0})
        row[category] = row.get(category, 0) + n
        row["total"] += n
        by_category[category] = by_category.get(category, 0) + n
    joined_day = _DAY.format(col="joined_on")
    joined = store.execute(
        f"SELECT count(*) FROM members WHERE joined_on IS NOT NULL{in_area} "
        f"AND {joined_day} BETWEEN ? AND ?", (*args, start, end)).fetchone()[0]
    archived = store.execute(
        f"SELECT count(*) FROM members WHERE status = 'archived'{in_area} "
        "AND archived_on BETWEEN ? AND ?", (*args, start, end)).fetchone()[0]
    change_area = " AND m.area = ?" if area else ""
    recategorized, placed = store.execute(
        "SELECT count(*), coalesce(sum(c.from_category = 'laid-off' "
        "AND c.to_category = 'employed'), 0) FROM category_changes c "
        f"JOIN members m ON m.member_no = c.member_no WHERE c.date BETWEEN ? AND ?{change_area}",
        (start, end, *args)).fetchone()
    # Overdue = active mobile members minus those reached within the window: one range
    # scan of contacts_by_date instead of a max(date) seek per mobile member.
    cutoff = (as_of - timedelta(days=store.config.contact_overdue_days)).isoformat()
    reached = store.execute(
        "SELECT count(DISTINCT c.member_no) FROM contacts c "
        "JOIN members m ON m.member_no = c.member_no "
        "WHERE c.date BETWEEN ? AND ? AND c.reached = 1 AND m.status = 'active' "
        "AND m.category = 'mobile'"
        f"{change_area}", (cutoff, as_of.isoformat(), *args)).fetchone()[0]
    overdue = by_category.get("mobile", 0) - reached
    return {
        "total": sum(by_category.values()),
        "by_category": by_category,
        "by_area": list(by_area.values()),
        "joined": joined,
        "archived": archived,
        "recategorized": recategorized,
        "placed": placed,
        "overdue_contact": overdue,
    }


def _active_points(store: Store, area: str | None) -> list[dict[str, Any]]:
    where = "active = 1" + (" AND area = ?" if area else "")
    return list(store.rows(
        f"SELECT code, name, kind FROM points WHERE {where} ORDER BY kind = 'point', code",
        (area,) if area else ()))


def _logs(store: Store, period: Period, area: str | None, kind_keys: tuple[str, ...]
          ) -> dict[str, Any]:
    points = _active_points(store, area)
    by_point = {p["code"]: {"point": p["code"], "name": p["name"], "logs": 0, "served": 0,
                            "hours": 0.0} for p in points}
    by_kind = dict.fromkeys(kind_keys, 0)
    start, end = period.start.isoformat(), period.end.isoformat()
    # Summing 1,000,000 logs with GROUP BY sorts them all (a temp B-tree, ~1 s). Instead:
    # find the (point, kind) pairs present by skipping along the covering index
    # logs_by_point_kind (point, kind, date, voided, served, hours), then sum each pair's
    # date range with one seek and a range scan: no sort, and every row read is in range.
    codes = [p["code"] for p in points] if area else [
        r[0] for r in store.execute("SELECT code FROM points ORDER BY code")]
    for point in codes:
        kind = ""
        while row := store.execute(
                "SELECT kind FROM logs WHERE point = ? AND kind > ? ORDER BY point, kind "
                "LIMIT 1", (point, kind)).fetchone():
            kind = row[0]
            n, served, hours = store.execute(
                "SELECT count(*), sum(served), sum(hours) FROM logs WHERE point = ? "
                "AND kind = ? AND date BETWEEN ? AND ? AND voided = 0",
                (point, kind, start, end)).fetchone()
            if not n:
                continue
            entry = by_point.get(point)
            if entry is None:  # a point deactivated since: counted, not listed as idle
                entry = by_point[point] = {"point": point, "name": point, "logs": 0,
                                           "served": 0, "hours": 0.0}
            entry["logs"] += n
            entry["served"] += served or 0
            entry["hours"] += hours or 0.0
            by_kind[kind] = by_kind.get(kind, 0) + n
    for row in by_point.values():
        row["hours"] = round(row["hours"], 2)
    rows = list(by_point.values())
    return {
        "total": sum(r["logs"] for r in rows),
        "served": sum(r["served"] for r in rows),
        "hours": round(sum(r["hours"] for r in rows), 2),
        "by_point": rows,
        "by_kind": by_kind,
        "idle_points": [p["code"] for p in points if by_point[p["code"]]["logs"] == 0],
    }


def _checklist(store: Store, as_of: date, area: str | None) -> dict[str, Any]:
    from cbtool import checklist

    items = store.config.items().keys
    codes = {p["code"] for p in _active_points(store, area)}
    rows = [r for r in checklist.matrix(store, as_of=as_of) if r["point"] in codes]
    rows = checklist.mark_stale(rows, items, store.config.stale_days, as_of)
    stale_cutoff = (as_of - timedelta(days=store.config.stale_days)).isoformat()
    missing = dict.fromkeys(items, 0)
    never = stale = 0
    by_point = []
    for row in rows:
        states = {item: row[item] for item in items}
        if any(s["ok"] is None for s in states.values()):
            never += 1
        for item, s in states.items():
            if s["ok"] is False:
                missing[item] += 1
        dates = [s["date"] for s in states.values() if s["date"]]
        if dates and min(dates) < stale_cutoff:
            stale += 1
        by_point.append({"point": row["point"], "name": row["name"], "items": states,
                         "compliant": row["compliant"]})
    return {
        **checklist.compliance(rows),
        "missing": missing,
        "never_checked": never,
        "stale": stale,
        "stale_days": store.config.stale_days,
        "by_point": by_point,
    }


def _volunteers(store: Store, period: Period, area: str | None) -> dict[str, Any]:
    """Volunteer teams, volunteers and their hours (``summary_volunteers.figures``)."""
    from cbtool.summary_volunteers import figures

    return figures(store, period, area)
