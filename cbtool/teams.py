"""Volunteer teams (志愿者队伍): validation of every field, add, edit (close and reopen
too), list and show. The volunteers and their service are ``volunteers``. No terminal
code here."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.lookup import find_key, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg

TEAM_FIELDS = ["code", "name", "point", "unit", "field", "leader", "founded_on", "active",
               "closed_on", "note", "created_at", "updated_at"]
# What `add` and `edit` take (and import writes), besides the code.
EDITABLE = ["name", "point", "unit", "field", "leader", "founded_on", "note"]
REQUIRED = ("code", "name", "field")
CLEARABLE = ("point", "unit", "leader", "founded_on", "note")

EXISTS = Msg("队伍编号 {code} 已存在（{name}）", "team code {code} exists already ({name})")
POINT_AND_UNIT = Msg(
    "队伍由一个服务点或一个驻区单位组建：{opt_point} 和 {opt_unit} 只能给一个",
    "a team is organised by a service point or by a stationed unit: give {opt_point} or {opt_unit}, "
    "not both")
CLOSED_BEFORE_FOUNDED = Msg("{field}：{closed} 早于成立日期 {founded}",
                            "{field}: {closed} is before the founding day {founded}")
CLOSED_ON_ACTIVE = Msg("{opt_closed_on} 只与 {opt_close} 同用", "{opt_closed_on} goes with {opt_close} only")
SERVICE_AFTER = Msg("队伍 {code} 在 {last} 还有志愿服务记录，撤销日期 {on} 不能更早",
                    "team {code} has service on {last}; it cannot close on {on}, before that")


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add, edit and import."""
    today = store.today
    point = resolver(store, "points", "point")
    service_fields = store.config.fields()
    return {
        "code": lambda v: f.parse_code("code", v),
        "name": lambda v: f.text_field("name", v, required=True, limit=100),
        "point": lambda v: point(f.text_field("point", v)) if f.clean(v) else None,
        "unit": lambda v: f.text_field("unit", v, limit=100),
        "field": lambda v: service_fields.resolve(f.text_field("field", v, required=True),
                                                  "field"),
        "leader": lambda v: f.person_name("leader", v, limit=50),
        "founded_on": lambda v: f.parse_date_or_month("founded_on", f.month_digits(v),
                                                      today=today),
        "active": lambda v: f.parse_bool("active", v),
        "closed_on": lambda v: f.parse_date("closed_on", v, today=today),
        "note": lambda v: f.text_field("note", v, limit=2000),
    }


def _check(record: dict[str, Any]) -> None:
    if record.get("point") and record.get("unit"):
        raise InvalidInput(POINT_AND_UNIT)
    closed, founded = record.get("closed_on"), record.get("founded_on")
    if closed and founded and closed < founded[:len(closed)]:
        raise FieldError("closed_on", CLOSED_BEFORE_FOUNDED, closed=closed, founded=founded)


# --- reading --------------------------------------------------------------------------

_SIZE = ("(SELECT count(*) FROM volunteer_teams vt JOIN volunteers v ON v.volunteer_no = "
         "vt.volunteer_no WHERE vt.team = t.code AND v.active = 1) AS volunteers")
_SELECT = f"SELECT {', '.join('t.' + c for c in TEAM_FIELDS)}, {_SIZE} FROM teams t"


def _record(row: dict[str, Any]) -> dict[str, Any]:
    row["active"] = bool(row["active"])
    return row


def get(store: Store, value: object) -> dict[str, Any]:
    """The team with this code (or exactly this name), with its number of volunteers."""
    code = find_key(store, "teams", value)
    row = store.one(f"{_SELECT} WHERE t.code = ?", (code,))
    assert row is not None
    return _record(row)


def list_teams(store: Store, *, field: object = None, point: object = None,
               status: str = "active", search: str | None = None, limit: int | None = None
               ) -> tuple[Iterator[dict[str, Any]], int]:
    """Matching teams by code, and how many match. ``status``: active | closed | all."""
    where: list[str] = []
    params: list[Any] = []
    if field is not None:
        where.append("t.field = ?")
        params.append(store.config.fields().resolve(field, "field"))
    if point is not None:
        where.append("t.point = ?")
        params.append(find_key(store, "points", point))
    if status != "all":
        where.append("t.active = ?")
        params.append(0 if parse_status(status) == "closed" else 1)
    if search:
        like = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        where.append("(" + " OR ".join(f"t.{c} LIKE ? ESCAPE '\\'" for c in
                                       ("code", "name", "unit", "leader", "note")) + ")")
        params.extend([like] * 5)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM teams t{clause}", params).fetchone()[0]
    sql = f"{_SELECT}{clause} ORDER BY t.code"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return (_record(r) for r in store.rows(sql, params)), total


BAD_STATUS = Msg("{field}：状态应为 active 活跃/在册、closed 已撤销/已退出 或 all 全部",
                 "{field}: status must be active, closed (left) or all")


def parse_status(value: object) -> str:
    """active | closed: of teams (已撤销) and of volunteers (已退出) alike."""
    text = (f.clean(value) or "active").lower()
    for key, words in {"active": ("active", "活跃", "在册", "正常"),
                       "closed": ("closed", "已撤销", "撤销", "已解散", "left", "已退出",
                                  "退出")}.items():
        if text in words:
            return key
    raise FieldError("status", BAD_STATUS)


def show(store: Store, value: object) -> dict[str, Any]:
    """The team with its volunteers and its service this year (records, hours)."""
    record = get(store, value)
    code = record["code"]
    record["members"] = list(store.rows(
        "SELECT v.volunteer_no, v.name, v.member_no, v.active FROM volunteer_teams vt "
        "JOIN volunteers v ON v.volunteer_no = vt.volunteer_no WHERE vt.team = ? "
        "ORDER BY v.active DESC, v.volunteer_no", (code,)))
    year = store.today.year
    n, minutes = store.execute(
        "SELECT count(*), coalesce(sum(minutes), 0) FROM service WHERE team = ? AND "
        "voided = 0 AND date BETWEEN ? AND ?", (code, f"{year}-01-01", f"{year}-12-31")
    ).fetchone()
    record["service"] = {"year": year, "records": n, "hours": hours_of(minutes)}
    return record


def hours_of(minutes: int | None) -> float:
    """Stored minutes as hours for people and files: 90 -> 1.5 (two decimals at most)."""
    return round((minutes or 0) / 60, 2)


# --- writing --------------------------------------------------------------------------


def add(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    """Validate and insert one team. ``raw`` holds text as typed (None = not given)."""
    parsers = field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    for name in REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, given)
    if problems:
        raise problems[0]
    existing = store.one("SELECT name FROM teams WHERE code = ?", (values["code"],))
    if existing:
        raise Conflict(EXISTS, code=values["code"], name=existing["name"])
    record = {k: values.get(k) for k in ["code", *EDITABLE]}
    _check(record)
    insert(store, record)
    return get(store, record["code"])


def insert(store: Store, record: dict[str, Any]) -> None:
    """Write a validated team and audit it: the one way a team is added."""
    now = now_utc()
    row = {k: record.get(k) for k in TEAM_FIELDS if k in record}
    # not given: active; an import's staged value is 0/1, not a bool
    row["active"] = 1 if record.get("active") is None else int(bool(record["active"]))
    row.update(created_at=now, updated_at=now)
    cols = list(row)
    store.execute(f"INSERT INTO teams ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
                  [row[c] for c in cols])
    store.audit("teams", row["code"], "insert", None,
                {k: v for k, v in row.items() if v is not None})


def edit(store: Store, value: object, raw: dict[str, object], clear: tuple[str, ...] = (),
         *, active: bool | None = None, closed_on: object = None
         ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Change fields (text as typed), empty the ``clear`` ones, close (``active=False``,
    on ``closed_on`` or today; not before its last service) or reopen a team. Audited."""
    code = find_key(store, "teams", value)
    clear = tuple(f.clear_keys(clear, CLEARABLE, "teams"))
    values = f.parse_edit(field_parsers(store), raw, clear, editable=EDITABLE, clearable=CLEARABLE)
    if closed_on is not None and active is not False:
        raise InvalidInput(CLOSED_ON_ACTIVE)
    before = store.one(f"SELECT {', '.join(TEAM_FIELDS)} FROM teams WHERE code = ?", (code,))
    assert before is not None
    if active is False and (before["active"] or closed_on is not None):
        day = f.parse_date("closed_on", closed_on, today=store.today) or store.today.isoformat()
        last = store.execute("SELECT max(date) FROM service WHERE team = ? AND voided = 0",
                             (code,)).fetchone()[0]
        if last and last > day:
            raise InvalidInput(SERVICE_AFTER, code=code, last=last, on=day)
        values.update(active=0, closed_on=day)
    elif active:
        values.update(active=1, closed_on=None)
    merged = {**before, **values}
    _check(merged)
    changed = {k: v for k, v in values.items() if before.get(k) != v}
    if not changed:
        record = _record(dict(before))
        return record, record
    changed["updated_at"] = now_utc()
    store.execute(f"UPDATE teams SET {', '.join(f'{k} = ?' for k in changed)} WHERE code = ?",
                  [*changed.values(), code])
    store.audit("teams", code, "update", before, {**before, **changed})
    return _record(dict(before)), get(store, code)
