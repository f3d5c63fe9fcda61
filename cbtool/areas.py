"""Residential areas (居民区) and service points (党员服务点 / 党员服务中心)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.fields import clear_keys, parse_code, text_field
from cbtool.lookup import find_key
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import POINT_KINDS

AREA_FIELDS = ["code", "name", "created_at", "updated_at"]
POINT_FIELDS = ["code", "name", "kind", "area", "address", "note", "active", "closed_on",
                "created_at", "updated_at"]

NAME_EXISTS = Msg("居民区名称“{name}”已被 {code} 使用", "the area name '{name}' is taken by {code}")
AREA_EXISTS = Msg("居民区编号 {code} 已存在", "area {code} exists already")
POINT_EXISTS = Msg("服务点编号 {code} 已存在", "point {code} exists already")
ONE_CENTRE = Msg(
    "已有党员服务中心 {code}，一个社区只有一个中心",
    "there is a service centre already ({code}); a community has one",
)
CENTRE_NO_AREA = Msg("党员服务中心不属于居民区，请去掉 {opt_area}", "the centre has no area; drop {opt_area}")
BAD_KIND = Msg("{field}：类型应为 point 或 centre", "{field}: kind must be point or centre")
CANNOT_CLEAR = Msg("只能清空 address 或 note，不能清空 {field}",
                   "only address or note can be cleared, not {field}")
LOGS_AFTER_CLOSING = Msg(
    "{code} 在 {last} 还有台账或检查记录，停用日期 {on} 不能更早（先修改或作废这些记录）",
    "{code} has logs or checks dated {last}; it cannot close earlier, on {on} (edit or void "
    "them first)")
CLOSED_ON_ACTIVE = Msg("{opt_on} 只用于停用（{opt_inactive}）", "{opt_on} goes with {opt_inactive} only")
POINT_SUFFIX = "党员服务点"


def field_parsers(store: Store | None = None) -> dict[str, Callable[[object], object]]:
    """One validator per field of an area, shared by add and import."""
    return {"code": lambda v: parse_code("code", v),
            "name": lambda v: text_field("area_name", v, required=True, limit=100)}


def point_field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field of a point, for the importer (``add_point`` takes the
    same fields)."""
    from cbtool.fields import parse_bool, parse_date
    from cbtool.lookup import resolver

    area = resolver(store, "areas", "area")
    return {
        "code": lambda v: parse_code("code", v),
        "name": lambda v: text_field("name", v, required=True, limit=100),
        "kind": lambda v: parse_kind(v) if v is not None and str(v).strip() else None,
        "area": lambda v: area(v) if text_field("area", v) else None,
        "address": lambda v: text_field("address", v, limit=200),
        "note": lambda v: text_field("note", v),
        "active": lambda v: parse_bool("active", v),
        "closed_on": lambda v: parse_date("closed_on", v, today=store.today),
    }


def add_area(store: Store, code: object, name: object) -> dict[str, Any]:
    """Add an area and its service point (same code)."""
    parsers = field_parsers(store)
    code, name = parsers["code"](code), parsers["name"](name)
    same = store.one("SELECT code FROM areas WHERE code = ? COLLATE NOCASE", (code,))
    if same:  # a01 and A01 would be two areas nobody could tell apart
        raise Conflict(AREA_EXISTS, code=same["code"])
    if store.one("SELECT code FROM points WHERE code = ? COLLATE NOCASE", (code,)):
        raise Conflict(POINT_EXISTS, code=code)
    named = store.one("SELECT code FROM areas WHERE name = ?", (name,))
    if named:  # names must stay usable in place of codes
        raise Conflict(NAME_EXISTS, name=name, code=named["code"])
    now = now_utc()
    area = {"code": code, "name": name, "created_at": now, "updated_at": now}
    store.execute("INSERT INTO areas (code, name, created_at, updated_at) VALUES (?, ?, ?, ?)",
                  (code, name, now, now))
    store.audit("areas", code, "insert", None, area)
    _insert_point(store, {"code": code, "name": f"{name}{POINT_SUFFIX}", "kind": "point",
                          "area": code, "address": None, "note": None, "active": 1})
    return area


def list_areas(store: Store) -> Iterator[dict[str, Any]]:
    return store.rows(
        "SELECT a.code, a.name, "
        "(SELECT count(*) FROM members m WHERE m.area = a.code AND m.status = 'active') "
        "AS members, a.created_at, a.updated_at FROM areas a ORDER BY a.code"
    )


def parse_kind(value: object) -> str:
    key = POINT_KINDS.lookup(text_field("kind", value) or "point")
    if key is None:
        raise FieldError("kind", BAD_KIND)
    return key


def add_point(
    store: Store, code: object, name: object, *, kind: object = "point", area: object = None,
    address: object = None, note: object = None,
) -> dict[str, Any]:
    record = {
        "code": parse_code("code", code),
        "name": text_field("name", name, required=True, limit=100),
        "kind": parse_kind(kind),
        "area": None,
        "address": text_field("address", address, limit=200),
        "note": text_field("note", note),
        "active": 1,
    }
    if area is not None and str(area).strip():
        if record["kind"] == "centre":
            raise InvalidInput(CENTRE_NO_AREA)
        record["area"] = find_key(store, "areas", area)
    if record["kind"] == "centre":
        existing = store.one("SELECT code FROM points WHERE kind = 'centre'")
        if existing:
            raise Conflict(ONE_CENTRE, code=existing["code"])
    if store.one("SELECT code FROM points WHERE code = ?", (record["code"],)):
        raise Conflict(POINT_EXISTS, code=record["code"])
    return _insert_point(store, record)


def _insert_point(store: Store, record: dict[str, Any]) -> dict[str, Any]:
    now = now_utc()
    record = {**record, "created_at": now, "updated_at": now}
    cols = ", ".join(record)
    store.execute(f"INSERT INTO points ({cols}) VALUES ({', '.join('?' * len(record))})",
                  tuple(record.values()))
    store.audit("points", record["code"], "insert", None, record)
    return record


def edit_point(store: Store, value: object, *, name: object = None, address: object = None,
               note: object = None, active: bool | None = None,
               clear: tuple[str, ...] = (), closed_on: object = None,
               ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change a point's name, address, note or whether it is active (audited). Closing it
    records the day (``closed_on``, default today), after which it holds no log or check;
    reopening clears the day."""
    before = get_point(store, value)
    changes: dict[str, Any] = {}
    if name is not None:
        changes["name"] = text_field("name", name, required=True, limit=100)
    if address is not None:
        changes["address"] = text_field("address", address, limit=200)
    if note is not None:
        changes["note"] = text_field("note", note)
    for field in clear_keys(clear, ("address", "note"), "points"):
        if field not in ("address", "note"):
            raise InvalidInput(CANNOT_CLEAR, field=field)
        changes[field] = None
    if closed_on is not None and active is not False:
        raise InvalidInput(CLOSED_ON_ACTIVE)
    if active is not None:
        changes["active"] = int(active)
        if not active and (before["active"] or closed_on is not None):
            changes["closed_on"] = _closing_day(store, before["code"], closed_on)
        elif active:
            changes["closed_on"] = None
    stored = {**before, "active": int(before["active"])}
    changed = {k: v for k, v in changes.items() if stored.get(k) != v}
    if not changed:
        return before, before
    changed["updated_at"] = now_utc()
    store.execute(f"UPDATE points SET {', '.join(f'{k} = ?' for k in changed)} WHERE code = ?",
                  [*changed.values(), before["code"]])
    after = {**stored, **changed}
    store.audit("points", before["code"], "update", stored, after)
    return before, _as_record(dict(after))


def _closing_day(store: Store, code: str, on: object) -> str:
    """The day a point closes: not before a log (not voided) or a check it holds."""
    from cbtool.fields import parse_date

    day = parse_date("on", on, today=store.today) or store.today.isoformat()
    last = store.execute(
        "SELECT max(d) FROM (SELECT max(date) AS d FROM logs WHERE point = ? AND voided = 0 "
        "UNION ALL SELECT max(date) FROM checks WHERE point = ? AND voided = 0)",
        (code, code)).fetchone()[0]
    if last and last > day:
        raise InvalidInput(LOGS_AFTER_CLOSING, code=code, last=last, on=day)
    return day


def list_points(store: Store, *, include_inactive: bool = True) -> Iterator[dict[str, Any]]:
    where = "" if include_inactive else "WHERE active = 1"
    return map(_as_record, store.rows(
        f"SELECT {', '.join(POINT_FIELDS)} FROM points {where} "
        "ORDER BY kind = 'point', code"
    ))


def get_point(store: Store, value: object) -> dict[str, Any]:
    code = find_key(store, "points", value)
    point = store.one(f"SELECT {', '.join(POINT_FIELDS)} FROM points WHERE code = ?", (code,))
    assert point is not None
    return _as_record(point)


def _as_record(point: dict[str, Any]) -> dict[str, Any]:
    point["active"] = bool(point["active"])  # a flag, like voided and ok
    return point


def point_details(store: Store, value: object) -> dict[str, Any]:
    """A point with its activity (logs not voided) and the current status of each item."""
    point = get_point(store, value)
    code = point["code"]
    total, last = store.execute(
        "SELECT count(*), max(date) FROM logs WHERE point = ? AND voided = 0", (code,)
    ).fetchone()
    point["logs_total"], point["last_log_on"] = total, last
    from cbtool.checklist import current

    point["checklist"] = current(store, code)
    return point
