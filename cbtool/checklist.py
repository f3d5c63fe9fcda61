"""The five-haves checklist (五有): inspections of every service point and the centre.

A check is one item of one point on one day (``checks``, unique by point + item + date).
The current status of an item is its latest check; the item list is the config's
(``store.config.items()``, the five haves by default), and everything here follows it.
No terminal code here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

from cbtool import fields as f
from cbtool.consistency import Departures
from cbtool.errors import FieldError, InvalidInput, NotFound
from cbtool.lookup import find_key, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg, option

CHECK_FIELDS = ["point", "item", "ok", "date", "inspector", "note"]
EXPORT_FIELDS = ["id", *CHECK_FIELDS, "voided", "void_reason", "created_at", "updated_at"]
PROBLEMS = ("missing", "never_checked", "stale")
# Words meaning "every item (not named in the other list)" in --ok / --missing.
ALL_WORDS = {"all", "全部", "所有"}

NOTHING_TO_RECORD = Msg(
    "请用 {opt_ok}（具备）和/或 {opt_missing}（缺）列出检查的项目",
    "name the items checked with {opt_ok} and/or {opt_missing}",
)
NAMED_TWICE = Msg(
    "检查项目“{label}”在 {option} 中出现了两次（{words}）",
    "item {key} is named twice in {option} ({words})",
)
IN_BOTH = Msg(
    "检查项目“{label}”不能同时列入 {opt_ok} 和 {opt_missing}",
    "item {key} cannot be both in {opt_ok} and in {opt_missing}",
)
ALL_TWICE = Msg(
    "{opt_ok} 和 {opt_missing} 不能都是 all",
    "{opt_ok} and {opt_missing} cannot both be all",
)
OK_REQUIRED = Msg("{field}：必填（是/否）", "{field}: required (yes/no)")
NO_CHECK = Msg("找不到检查记录“{value}”（checklist history 列出编号）",
               "no check '{value}' (checklist history lists their ids)")
ALREADY_VOIDED = Msg("检查记录 #{id} 已作废（{reason}）", "check #{id} was voided already ({reason})")


# --- validation -----------------------------------------------------------------------


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field of a check, shared by ``record`` and the importer."""
    today = store.today
    point = resolver(store, "points", "point")
    items = store.config.items()
    return {
        "point": lambda v: point(f.text_field("point", v, required=True)),
        "item": lambda v: items.resolve(f.text_field("item", v, required=True), "item"),
        "ok": parse_ok,
        "date": lambda v: f.parse_date("date", v, required=True, today=today),
        "inspector": lambda v: f.person_name("inspector", v, limit=50),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "voided": lambda v: f.parse_bool("voided", v),
        "void_reason": lambda v: f.text_field("void_reason", v, limit=500),
    }


def parse_ok(value: object) -> bool:
    ok = f.parse_bool("ok", value)
    if ok is None:
        raise FieldError("ok", OK_REQUIRED)
    return ok


def _words(value: object) -> list[str]:
    """The item words of an option: a string, or several (a repeated option), each split
    on ``,`` ``、`` ``，`` ``;`` or spaces."""
    if value is None:
        return []
    if isinstance(value, str):
        return f.split_list(value)
    return [word for part in value for word in f.split_list(part)]


def parse_items(store: Store, ok_items: object, missing_items: object) -> dict[str, bool]:
    """``{item key: ok}`` in the config's order, from the words of the ok and missing lists.

    ``all`` (全部) in one list means every item not named in the other. An unknown word,
    an item named twice (``场所,服务中心``), an item in both lists or no item at all is
    rejected.
    """
    vocab = store.config.items()
    lists = {"ok": _words(ok_items), "missing": _words(missing_items)}
    if not lists["ok"] and not lists["missing"]:
        raise InvalidInput(NOTHING_TO_RECORD)
    alls = [opt for opt, words in lists.items() if any(w.lower() in ALL_WORDS for w in words)]
    if len(alls) == 2:
        raise InvalidInput(ALL_TWICE)
    named: dict[str, dict[str, list[str]]] = {}  # option -> key -> words
    for which, words in lists.items():
        keys: dict[str, list[str]] = {}
        for word in words:
            if word.lower() in ALL_WORDS:
                continue
            keys.setdefault(vocab.resolve(word, "item"), []).append(word)
        named[which] = keys
    for which, keys in named.items():
        for key, words in keys.items():
            if len(words) > 1:
                raise InvalidInput(NAMED_TWICE, key=key, label=vocab.label(key),
                                   option=option(which),
                                   words="、".join(words))
    for key in named["ok"]:
        if key in named["missing"]:
            raise InvalidInput(IN_BOTH, key=key, label=vocab.label(key))
    result = {key: True for key in named["ok"]} | {key: False for key in named["missing"]}
    if alls:
        other = named["missing" if alls[0] == "ok" else "ok"]
        for key in vocab.keys:
            if key in named[alls[0]]:  # "all,venue": venue named twice
                raise InvalidInput(NAMED_TWICE, key=key, label=vocab.label(key),
                                   option=option(alls[0]),
                                   words=f"all、{named[alls[0]][key][0]}")
            if key not in other:
                result[key] = alls[0] == "ok"
    return {key: result[key] for key in vocab.keys if key in result}


# --- writing --------------------------------------------------------------------------


def record(
    store: Store, point: object, ok_items: object = None, missing_items: object = None,
    on: object = None, by: object = None, note: object = None,
) -> list[dict[str, Any]]:
    """One inspection: a dated check per named item (``ok_items`` found, ``missing_items``
    not), on ``on`` (default today) by ``by`` (default the operator).

    Everything is validated before anything is written. Returns the checks in the
    config's item order, each with ``result``: inserted | replaced | unchanged.
    """
    parsers = field_parsers(store)
    raw = {"point": point, "date": on if f.clean(on) else store.today.isoformat(),
           "inspector": by if f.clean(by) else store.operator, "note": note}
    values: dict[str, Any] = {}
    for name, value in raw.items():
        values[name] = parsers[name](value)
    items = parse_items(store, ok_items, missing_items)
    if error := Departures(store).point(values["point"], values["date"], "checks"):
        raise error
    checks = []
    for item, ok in items.items():
        check = {"point": values["point"], "item": item, "ok": ok, "date": values["date"],
                 "inspector": values["inspector"], "note": values["note"]}
        checks.append({**check, "result": upsert_check(store, check)})
    return checks


def upsert_check(store: Store, check: dict[str, Any]) -> str:
    """Write one parsed check (``CHECK_FIELDS``). The same point + item + date again
    replaces the earlier check of that day (audited as ``replace`` with before/after)
    rather than adding a second one. Returns "inserted", "replaced" or "unchanged"."""
    row = {k: check.get(k) for k in [*CHECK_FIELDS, "voided", "void_reason"]}
    row["ok"], row["voided"] = bool(row["ok"]), bool(row["voided"])
    row["void_reason"] = row["void_reason"] if row["voided"] else None
    key = f"{row['point']}/{row['item']}/{row['date']}"
    old = store.one(
        "SELECT id, ok, inspector, note, voided, void_reason FROM checks "
        "WHERE point = ? AND item = ? AND date = ?", (row["point"], row["item"], row["date"]))
    now = now_utc()
    if old is None:
        store.execute(
            "INSERT INTO checks (point, item, ok, date, inspector, note, voided, void_reason, "
            "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (row["point"], row["item"], int(row["ok"]), row["date"], row["inspector"],
             row["note"], int(row["voided"]), row["void_reason"], now, now))
        store.audit("checks", key, "insert", None,
                    {k: v for k, v in row.items()
                     if v is not None and not (k == "voided" and not v)})
        return "inserted"
    names = ("ok", "inspector", "note", "voided", "void_reason")  # a voided day recorded
    before = {k: old[k] for k in names}  # again is that day's check again
    before["ok"], before["voided"] = bool(old["ok"]), bool(old["voided"])
    after = {k: row[k] for k in names}
    if before == after:
        return "unchanged"
    store.execute("UPDATE checks SET ok = ?, inspector = ?, note = ?, voided = ?, "
                  "void_reason = ?, updated_at = ? WHERE id = ?",
                  (int(row["ok"]), row["inspector"], row["note"], int(row["voided"]),
                   row["void_reason"], now, old["id"]))
    store.audit("checks", key, "replace", before, after)
    return "replaced"


def void(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Void a check recorded by mistake (wrong point, day or item): it is kept, shown in
    the history, and no longer counts for the current status. Audited with the reason."""
    text = (f.clean(id) or "").removeprefix("#")
    row = store.one(f"SELECT {', '.join(EXPORT_FIELDS)} FROM checks WHERE id = ?",
                    (int(text),)) if text.isdigit() and len(text) < 19 else None
    if row is None:
        raise NotFound(NO_CHECK, value=f.clean(id) or "")
    row["ok"], row["voided"] = bool(row["ok"]), bool(row["voided"])
    if row["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=row["id"], reason=row["void_reason"] or "")
    why = f.text_field("reason", reason, required=True, limit=500)
    now = now_utc()
    store.execute("UPDATE checks SET voided = 1, void_reason = ?, updated_at = ? WHERE id = ?",
                  (why, now, row["id"]))
    after = {**row, "voided": True, "void_reason": why, "updated_at": now}
    store.audit("checks", f"{row['point']}/{row['item']}/{row['date']}", "void", row, after)
    return after


# --- reading --------------------------------------------------------------------------


def _iso(day: date | str | None, store: Store) -> str:
    if day is None:
        return store.today.isoformat()
    return day.isoformat() if isinstance(day, date) else str(day)


def matrix(store: Store, point: object = None, as_of: date | str | None = None
           ) -> list[dict[str, Any]]:
    """The current status of every item of every active point (or of the one ``point``,
    active or not): the latest check of each point + item dated on or before ``as_of``
    (default today).

    One dict per point, the centre first then by code: ``point``, ``name``, ``kind``,
    per item key ``{"ok": bool | None, "date": str | None}`` (None: never checked), and
    ``compliant`` (every item ok). Computed in SQL: for each point × item, one seek on the
    UNIQUE (point, item, date) index for the latest date, one more for its row.
    """
    keys = list(store.config.items().keys)
    values = ", ".join("(?, ?)" for _ in keys)
    params: list[Any] = [v for pos, key in enumerate(keys) for v in (key, pos)]
    params.append(_iso(as_of, store))
    if point is None:
        where = "p.active = 1"
    else:
        where = "p.code = ?"
        params.append(find_key(store, "points", point))
    sql = (
        f"WITH items(item, pos) AS (VALUES {values}), "
        "latest AS (SELECT p.code AS point, i.item, i.pos, "
        "(SELECT max(c.date) FROM checks c WHERE c.point = p.code AND c.item = i.item "
        "AND c.date <= ? AND c.voided = 0) AS date "
        f"FROM points p CROSS JOIN items i WHERE {where}) "
        "SELECT l.point, p.name, p.kind, l.item, l.date, c.ok FROM latest l "
        "JOIN points p ON p.code = l.point "
        "LEFT JOIN checks c ON c.point = l.point AND c.item = l.item AND c.date = l.date "
        "ORDER BY p.kind <> 'centre', p.code, l.pos"
    )
    rows: dict[str, dict[str, Any]] = {}
    for r in store.rows(sql, params):
        row = rows.setdefault(r["point"], {"point": r["point"], "name": r["name"],
                                           "kind": r["kind"]})
        row[r["item"]] = {"ok": None if r["ok"] is None else bool(r["ok"]), "date": r["date"]}
    for row in rows.values():
        row["compliant"] = all(row[key]["ok"] is True for key in keys)
    return list(rows.values())


def mark_stale(rows: Iterable[dict[str, Any]], keys: Iterable[str], stale_days: int,
               as_of: date) -> list[dict[str, Any]]:
    """The matrix rows with ``stale`` in every item's status: True where the item is in
    place (✓) but its check is more than ``stale_days`` before ``as_of`` — what ``gaps``
    calls stale. The rows given are not changed."""
    keys = list(keys)
    marked = []
    for row in rows:
        row = dict(row)
        for key in keys:
            status = row[key]
            old = (status["ok"] is True and status["date"] is not None
                   and (as_of - date.fromisoformat(status["date"])).days > stale_days)
            row[key] = {**status, "stale": old}
        marked.append(row)
    return marked


def current(store: Store, point: object, as_of: date | str | None = None
            ) -> dict[str, dict[str, Any]]:
    """``{item: {"ok": bool | None, "date": str | None}}`` for one point (active or not)."""
    row = matrix(store, point=point, as_of=as_of)[0]
    return {key: row[key] for key in store.config.items().keys}


def compliance(rows: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Points with every item ok, out of all points: ``points``, ``compliant``, ``rate``
    (a fraction, 0.0 when there are no points)."""
    rows = list(rows)
    points = len(rows)
    compliant = sum(1 for r in rows if r["compliant"])
    return {"points": points, "compliant": compliant,
            "rate": round(compliant / points, 4) if points else 0.0}


def history(store: Store, point: object) -> list[dict[str, Any]]:
    """Every check of the point (whatever the item list), newest first; on one day, in
    the config's item order."""
    code = find_key(store, "points", point)
    order = {key: pos for pos, key in enumerate(store.config.items().keys)}
    rows = list(store.rows(
        f"SELECT {', '.join(EXPORT_FIELDS)} FROM checks WHERE point = ? ORDER BY item, id",
        (code,)))
    for row in rows:
        row["ok"], row["voided"] = bool(row["ok"]), bool(row["voided"])
    rows.sort(key=lambda r: (order.get(r["item"], len(order)), r["item"]))
    rows.sort(key=lambda r: r["date"], reverse=True)
    return rows


def gaps(store: Store, stale_days: int | None = None, as_of: date | str | None = None
         ) -> list[dict[str, Any]]:
    """What needs attention, one row per point and item: ``point``, ``name``, ``item``,
    ``problem``, ``date`` (of the current check), ``days`` (since it).

    Problems, most urgent first:

    1. ``missing`` — the latest check found the item lacking: a known failure. The
       longest-standing first.
    2. ``never_checked`` — nobody has looked: status unknown, centre first then by code
       and item order.
    3. ``stale`` — the item was fine but the check is more than ``stale_days`` (default
       ``[checklist] stale_days``, 365) old; the oldest first.

    An item has one problem at most: a missing item whose check is also old is
    ``missing``. Only active points count.
    """
    stale_days = stale_days if stale_days is not None else store.config.stale_days
    day = date.fromisoformat(_iso(as_of, store))
    keys = list(store.config.items().keys)
    found: list[tuple[tuple, dict[str, Any]]] = []
    for p_pos, row in enumerate(matrix(store, as_of=day)):
        for i_pos, item in enumerate(keys):
            status = row[item]
            days = (day - date.fromisoformat(status["date"])).days if status["date"] else None
            if status["ok"] is None:
                problem, rank = "never_checked", (1, 0)
            elif status["ok"] is False:
                problem, rank = "missing", (0, -days)
            elif days > stale_days:
                problem, rank = "stale", (2, -days)
            else:
                continue
            found.append(((*rank, p_pos, i_pos),
                          {"point": row["point"], "name": row["name"], "item": item,
                           "problem": problem, "date": status["date"], "days": days}))
    found.sort(key=lambda pair: pair[0])
    return [gap for _, gap in found]
