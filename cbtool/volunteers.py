"""Volunteers (志愿者) and their service (志愿服务记录): validation of every field, add,
edit, list, show; the service a volunteer gives with a log (``logs add --volunteers``) or
on its own (``serve``), voided as logs are, never deleted. No terminal code here.

A volunteer is a resident, or a Party member linked by the member number (one person:
name, gender, ID number, phone and area come from the member when not given, and may not
contradict it). ID numbers and phones are validated as members' are. Service time is kept
as whole minutes (exact sums); people and files see hours (``1.5``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.fields import Period
from cbtool.lazyre import lazy
from cbtool.lookup import AMBIGUOUS, find_key, resolver
from cbtool.person import ID_GENDER_MISMATCH  # the members' warning, for one person
from cbtool.store import Store, now_utc
from cbtool.teams import hours_of
from cbtool.text import Msg

VOLUNTEER_FIELDS = [
    "volunteer_no", "name", "gender", "id_card", "phone", "area", "registered_on",
    "member_no", "teams", "active", "left_on", "note", "created_at", "updated_at",
]
_COLUMNS = [c for c in VOLUNTEER_FIELDS if c != "teams"]  # teams: volunteer_teams
EDITABLE = ["name", "gender", "id_card", "phone", "area", "registered_on", "member_no",
            "teams", "note"]
REQUIRED = ("volunteer_no", "name")
CLEARABLE = ("gender", "id_card", "phone", "area", "registered_on", "member_no", "teams",
             "note")
# From the member, when the volunteer is one and the field is not given.
FROM_MEMBER = ("name", "gender", "id_card", "phone", "area")
SERVICE_FIELDS = ["id", "volunteer_no", "date", "hours", "team", "log_id", "content", "note",
                  "voided", "void_reason", "created_at", "updated_at"]
# What `service export` writes (service without a log; a log's comes with the log).
SERVICE_EXPORT = [k for k in SERVICE_FIELDS if k != "log_id"]
_SEP = "\x1f"

EXISTS = Msg("志愿者编号 {no} 已存在（{name}）", "volunteer number {no} exists already ({name})")
NO_MEMBER = Msg("{field}：没有党员编号 {value}", "{field}: no member with number {value}")
MEMBER_TAKEN = Msg("党员 {member} 已是志愿者 {other}（{name}），同一人只能有一个志愿者编号",
                   "member {member} is volunteer {other} ({name}) already: one person, one "
                   "volunteer number")
MEMBER_DIFFERS = Msg(
    "{no}：党员 {member} 的{what}是“{stored}”，与填写的“{given}”不一致；同一人请核对",
    "{no}: member {member}'s {what_en} is '{stored}', not '{given}'; check it is the same "
    "person")
ID_TAKEN = Msg("{no}：此身份证号已属于志愿者 {other}（{name}），同一人只能有一个志愿者编号",
               "{no}: this ID number belongs to volunteer {other} ({name}) already: one "
               "person, one volunteer number")
IS_A_MEMBER = Msg("{no}：此身份证号是党员 {member}（{name}）的；是同一人请用 {opt_member} {member} 关联",
                  "{no}: this ID number is member {member}'s ({name}); if it is the same "
                  "person, link it with {opt_member} {member}")
BAD_MINUTES = Msg("{field}：“{value}”应为大于 0 的时长，如 2、1.5、1.5小时、90分钟",
                  "{field}: '{value}' must be a time above 0, e.g. 2, 1.5, 1.5h, 90分钟")
BAD_CREW = Msg("{field}：“{value}”应为 志愿者:时长，如 V001:2 或 张三:1.5",
               "{field}: '{value}' must be volunteer:hours, e.g. V001:2 or 张三:1.5")
TWICE = Msg("{field}：志愿者 {no} 出现了两次", "{field}: volunteer {no} is named twice")
UNKNOWN_VOLUNTEER = Msg("{field}：没有志愿者“{value}”", "{field}: no volunteer '{value}'")
HOURS_DIFFER = Msg("{field}：志愿者时长合计 {sum} 小时，与填写的 {given} 小时不一致",
                   "{field}: the volunteers' hours add up to {sum}, not {given}")
TEAM_ALONE = Msg("{opt_team} 要与 {opt_volunteers} 同用（队伍里哪些志愿者、各服务多久）",
                 "{opt_team} goes with {opt_volunteers} (who of the team served, and how long)")
CLOSED_TEAM = Msg("{field}：队伍 {team} 已于 {on} 撤销", "{field}: team {team} closed on {on}")
LEFT = Msg("{no} 已于 {on} 退出，请先 {opt_active} 恢复", "{no} left on {on}; bring them back "
           "with {opt_active} first")
INACTIVE_ON = Msg("{opt_on} 只与 {opt_inactive} 同用", "{opt_on} goes with {opt_inactive} only")
SAME_SERVICE = Msg("{no} 在 {date} 已有同样内容的志愿服务记录 #{id}（{content}）",
                   "{no} has service #{id} on {date} with the same content already ({content})")
NO_SERVICE = Msg("找不到志愿服务记录“{value}”", "no service record '{value}'")
ALREADY_VOIDED = Msg("志愿服务记录 #{id} 已作废（{reason}）",
                     "service record #{id} was voided already ({reason})")

Warning_ = tuple[Msg, dict[str, Any]]


# --- values ---------------------------------------------------------------------------

_MINUTES = lazy(r"(\d+(?:\.\d+)?)\s*(?:分钟|分|min|mins|minutes)")
_HOURS_MINUTES = lazy(r"(\d+)\s*(?:小时|个小时|h)\s*(\d+)\s*(?:分钟|分|min)?")


def parse_minutes(field: str, value: object, *, required: bool = False) -> int | None:
    """A service time as whole minutes, from hours (``2``, ``1.5``, ``1.5小时``), minutes
    (``90分钟``) or both (``1小时30分``); above 0, rounded to the minute."""
    text = f.clean(value)
    if text is None:
        if required:
            raise FieldError(field, f.REQUIRED)
        return None
    compact = f.halfwidth(text).replace(" ", "")
    if m := _MINUTES.fullmatch(compact):
        minutes = round(float(m.group(1)))
    elif m := _HOURS_MINUTES.fullmatch(compact):
        minutes = int(m.group(1)) * 60 + int(m.group(2))
    else:
        try:
            hours = f.parse_hours(field, f.without_unit(compact, f.HOUR_UNITS))
        except FieldError:
            raise FieldError(field, BAD_MINUTES, value=text) from None
        minutes = round((hours or 0) * 60)
    if minutes <= 0 or minutes > 24 * 60 * 366:
        raise FieldError(field, BAD_MINUTES, value=text)
    return minutes


class _Members:
    """Member number -> the member's identity, asked of the database as needed."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, no: str) -> dict[str, Any] | None:
        return self.store.one(
            "SELECT member_no, name, gender, id_card, phone, area FROM members "
            "WHERE member_no = ?", (no,))


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add, edit and import: the identity fields are
    the members' own validators."""
    today = store.today
    area = resolver(store, "areas", "area")
    team = resolver(store, "teams", "teams")
    width, area_code = store.config.member_no_width, store.config.area_code

    def member(value: object) -> str | None:
        text = f.clean(value)
        if text is None:
            return None
        no = f.pad_number(f.parse_code("member_no", text), width)
        if not store.one("SELECT 1 AS x FROM members WHERE member_no = ?", (no,)):
            raise FieldError("member_no", NO_MEMBER, value=no)
        return no

    return {
        "volunteer_no": lambda v: f.parse_code("volunteer_no", v),
        "name": lambda v: f.person_name("name", v, required=True, limit=50),
        "gender": lambda v: f.parse_gender("gender", v),
        "id_card": lambda v: f.parse_id_card("id_card", v, today=today),
        "phone": lambda v: f.parse_phone_local("phone", v, area_code),
        "area": lambda v: area(f.text_field("area", v)) if f.clean(v) else None,
        "registered_on": lambda v: f.parse_date("registered_on", v, today=today),
        "member_no": member,
        "teams": lambda v: list(dict.fromkeys(team(p) for p in _parts(v))),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "active": lambda v: f.parse_bool("active", v),
        "left_on": lambda v: f.parse_date("left_on", v, today=today),
    }


def _parts(value: object) -> list[str]:
    if isinstance(value, list | tuple):
        return [p for item in value for p in f.split_list(item)]
    return f.split_list(value)


def reconcile(store: Store, record: dict[str, Any]) -> list[Warning_]:
    """One person: a linked member fills what the record lacks and is not contradicted
    (name, ID number); an ID number belongs to one volunteer; the gender follows the ID
    number when not given."""
    warnings: list[Warning_] = []
    no = record.get("volunteer_no") or ""
    if record.get("member_no"):
        member = _Members(store).get(record["member_no"])
        assert member is not None  # the parser found it
        taken = store.one("SELECT volunteer_no, name FROM volunteers WHERE member_no = ? "
                          "AND volunteer_no <> ?", (record["member_no"], no))
        if taken:
            raise Conflict(MEMBER_TAKEN, member=record["member_no"],
                           other=taken["volunteer_no"], name=taken["name"])
        for key, (what, what_en) in {"name": ("姓名", "name"),
                                     "id_card": ("身份证号", "ID number")}.items():
            stored, mine = member[key], record.get(key)
            if stored and mine and stored != mine:
                shown = f.mask_id_card if key == "id_card" else str
                raise InvalidInput(MEMBER_DIFFERS, no=no, member=member["member_no"],
                                   what=what, what_en=what_en, stored=shown(stored),
                                   given=shown(mine))
        for key in FROM_MEMBER:
            if not record.get(key) and member[key]:
                record[key] = member[key]
    id_card = record.get("id_card")
    if id_card:
        other = store.one("SELECT volunteer_no, name FROM volunteers WHERE id_card = ? "
                          "AND volunteer_no <> ?", (id_card, no))
        if other:
            raise Conflict(ID_TAKEN, no=no, other=other["volunteer_no"], name=other["name"])
        if not record.get("member_no"):
            member = store.one("SELECT member_no, name FROM members WHERE id_card = ?",
                               (id_card,))
            if member:
                warnings.append((IS_A_MEMBER, {"no": no, "member": member["member_no"],
                                               "name": member["name"]}))
        id_gender = f.id_gender(id_card)
        if not record.get("gender"):
            record["gender"] = id_gender
        elif record["gender"] != id_gender:
            warnings.append((ID_GENDER_MISMATCH, {"no": no, "id_gender": id_gender,
                                                      "gender": record["gender"]}))
    return warnings


# --- reading --------------------------------------------------------------------------

_TEAMS = (f"(SELECT group_concat(vt.team, char({ord(_SEP)})) FROM volunteer_teams vt "
          "WHERE vt.volunteer_no = v.volunteer_no) AS teams")
_SELECT = f"SELECT {', '.join('v.' + c for c in _COLUMNS)}, {_TEAMS} FROM volunteers v"


def _record(row: dict[str, Any]) -> dict[str, Any]:
    row["teams"] = sorted(row["teams"].split(_SEP)) if row["teams"] else []
    row["active"] = bool(row["active"])
    return {k: row[k] for k in VOLUNTEER_FIELDS}


def get(store: Store, value: object) -> dict[str, Any]:
    """The volunteer with this number (or exactly this name), with their teams."""
    no = find_key(store, "volunteers", value)
    row = store.one(f"{_SELECT} WHERE v.volunteer_no = ?", (no,))
    assert row is not None
    return _record(row)


def list_volunteers(
    store: Store, *, team: object = None, area: object = None, status: str = "active",
    members_only: bool | None = None, search: str | None = None, limit: int | None = None,
) -> tuple[Iterator[dict[str, Any]], int]:
    """Matching volunteers by number, and how many match. ``members_only``: True the
    Party members among them, False the residents who are not."""
    where: list[str] = []
    params: list[Any] = []
    if team is not None:
        where.append("v.volunteer_no IN (SELECT volunteer_no FROM volunteer_teams "
                     "WHERE team = ?)")
        params.append(find_key(store, "teams", team))
    if area is not None:
        where.append("v.area = ?")
        params.append(find_key(store, "areas", area))
    if status != "all":
        from cbtool.teams import parse_status

        where.append("v.active = ?")
        params.append(0 if parse_status(status) == "closed" else 1)
    if members_only is not None:
        where.append("v.member_no IS NOT NULL" if members_only else "v.member_no IS NULL")
    if search:
        like = "%" + search.strip().replace("\\", "\\\\").replace("%", "\\%").replace(
            "_", "\\_") + "%"
        where.append("(" + " OR ".join(f"v.{c} LIKE ? ESCAPE '\\'" for c in
                                       ("volunteer_no", "name", "phone", "note")) + ")")
        params.extend([like] * 4)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM volunteers v{clause}", params).fetchone()[0]
    sql = f"{_SELECT}{clause} ORDER BY v.volunteer_no"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return (_record(r) for r in store.rows(sql, params)), total


def names(store: Store, numbers: list[str]) -> dict[str, str]:
    """Volunteer number -> name, for showing volunteers to people."""
    if not numbers:
        return {}
    found: dict[str, str] = {}
    for start in range(0, len(numbers), 500):
        chunk = numbers[start:start + 500]
        found.update(store.execute(
            "SELECT volunteer_no, name FROM volunteers WHERE volunteer_no IN "
            f"({', '.join('?' * len(chunk))})", chunk).fetchall())
    return found


def show(store: Store, value: object, *, recent: int = 10) -> dict[str, Any]:
    """The volunteer, their service this year (records, hours) and the latest records."""
    record = get(store, value)
    record["service"] = totals(store, record["volunteer_no"])
    rows, _ = list_service(store, volunteer=record["volunteer_no"], limit=recent)
    record["recent"] = list(rows)
    return record


def totals(store: Store, no: str, period: Period | None = None) -> dict[str, Any]:
    """A volunteer's records and hours (not voided) in ``period`` (default this year)."""
    if period is None:
        year = store.today.year
        start, end = f"{year}-01-01", f"{year}-12-31"
        label: object = year
    else:
        start, end, label = period.start.isoformat(), period.end.isoformat(), period.label
    n, minutes = store.execute(
        "SELECT count(*), coalesce(sum(minutes), 0) FROM service WHERE volunteer_no = ? "
        "AND voided = 0 AND date BETWEEN ? AND ?", (no, start, end)).fetchone()
    all_minutes = store.execute(
        "SELECT coalesce(sum(minutes), 0) FROM service WHERE volunteer_no = ? AND voided = 0",
        (no,)).fetchone()[0]
    return {"period": label, "records": n, "hours": hours_of(minutes),
            "hours_all": hours_of(all_minutes)}


def of_member(store: Store, member_no: str) -> dict[str, Any] | None:
    """The volunteer a member is, with their teams and service this year, or None."""
    row = store.one("SELECT volunteer_no FROM volunteers WHERE member_no = ?", (member_no,))
    if row is None:
        return None
    record = get(store, row["volunteer_no"])
    names = dict(store.execute("SELECT code, name FROM teams").fetchall())
    return {"volunteer_no": record["volunteer_no"], "active": record["active"],
            "teams": [{"code": t, "name": names.get(t, "")} for t in record["teams"]],
            **{k: v for k, v in totals(store, record["volunteer_no"]).items()}}


# --- writing volunteers -----------------------------------------------------------------


def add(store: Store, raw: dict[str, object]) -> tuple[dict[str, Any], list[Warning_]]:
    """Validate and insert one volunteer. ``raw`` holds text as typed (None = not given);
    a member's number fills the name and the rest from the member."""
    parsers = field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    given.setdefault("volunteer_no", None)
    if given.get("member_no") is None:
        given.setdefault("name", None)
    values, problems = f.parse_fields(parsers, given)
    if problems:
        raise problems[0]
    existing = store.one("SELECT name FROM volunteers WHERE volunteer_no = ?",
                         (values["volunteer_no"],))
    if existing:
        raise Conflict(EXISTS, no=values["volunteer_no"], name=existing["name"])
    record = {k: values.get(k) for k in ["volunteer_no", *EDITABLE]}
    record["teams"] = record["teams"] or []
    record["registered_on"] = record["registered_on"] or store.today.isoformat()
    warnings = reconcile(store, record)
    insert(store, record)
    return get(store, record["volunteer_no"]), warnings


def insert(store: Store, record: dict[str, Any]) -> None:
    """Write a validated volunteer and their teams, audit it: the one way one is added."""
    now = now_utc()
    row = {k: record.get(k) for k in _COLUMNS if k in record}
    # not given: active; an import's staged value is 0/1, not a bool
    row["active"] = 1 if record.get("active") is None else int(bool(record["active"]))
    row.update(created_at=now, updated_at=now)
    cols = list(row)
    store.execute(
        f"INSERT INTO volunteers ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols])
    teams = list(record.get("teams") or [])
    store.conn.executemany("INSERT INTO volunteer_teams (volunteer_no, team) VALUES (?, ?)",
                           [(row["volunteer_no"], t) for t in teams])
    after = {**row, "active": bool(row["active"]), "teams": teams}
    store.audit("volunteers", row["volunteer_no"], "insert", None,
                {k: v for k, v in after.items() if v is not None and v != []})


def edit(store: Store, value: object, raw: dict[str, object], clear: tuple[str, ...] = (),
         *, active: bool | None = None, left_on: object = None
         ) -> tuple[dict[str, Any], dict[str, Any], list[Warning_]]:
    """Change the given fields (text as typed; ``teams`` the whole list), empty the
    ``clear`` ones, mark a volunteer as left (``active=False``, on ``left_on`` or today)
    or back. Audited with before/after."""
    before = get(store, value)
    no = before["volunteer_no"]
    given = f.edit_given(raw, clear, editable=EDITABLE, clearable=CLEARABLE)
    if left_on is not None and active is not False:
        raise InvalidInput(INACTIVE_ON)
    values, problems = f.parse_fields(field_parsers(store), given)
    if problems:
        raise problems[0]
    values.update({name: [] if name == "teams" else None for name in clear})
    if active is False and (before["active"] or left_on is not None):
        values.update(active=False, left_on=f.parse_date("left_on", left_on, today=store.today)
                      or store.today.isoformat())
    elif active:
        values.update(active=True, left_on=None)
    merged = {**before, **values}
    warnings: list[Warning_] = []
    if {"member_no", "id_card", "name", "gender"} & values.keys():
        warnings = reconcile(store, merged)
        values.update({k: merged[k] for k in FROM_MEMBER if merged[k] != before[k]})
    changed = {k: v for k, v in values.items()
               if (sorted(v) != before[k] if k == "teams" else before[k] != v)}
    if not changed:
        return before, before, warnings
    columns = {k: (int(v) if k == "active" else v) for k, v in changed.items() if k != "teams"}
    store.execute(f"UPDATE volunteers SET {', '.join(f'{k} = ?' for k in columns)}"
                  f"{', ' if columns else ''}updated_at = ? WHERE volunteer_no = ?",
                  [*columns.values(), now_utc(), no])
    if "teams" in changed:
        store.execute("DELETE FROM volunteer_teams WHERE volunteer_no = ?", (no,))
        store.conn.executemany("INSERT INTO volunteer_teams (volunteer_no, team) VALUES (?, ?)",
                               [(no, t) for t in changed["teams"]])
        changed["teams"] = sorted(changed["teams"])
    store.audit("volunteers", no, "update", before, {**before, **changed})
    return before, get(store, no), warnings


# --- service ----------------------------------------------------------------------------

_SERVICE_SELECT = (
    "SELECT s.id, s.volunteer_no, s.date, s.minutes, s.team, s.log_id, "
    "coalesce(s.content, l.title) AS content, s.note, s.voided, s.void_reason, "
    "s.created_at, s.updated_at FROM service s LEFT JOIN logs l ON l.id = s.log_id")


def _service(row: dict[str, Any]) -> dict[str, Any]:
    row["hours"] = hours_of(row.pop("minutes"))
    row["voided"] = bool(row["voided"])
    return {k: row[k] for k in SERVICE_FIELDS}


def _service_id(value: object) -> int:
    text = (f.clean(value) or "").removeprefix("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFound(NO_SERVICE, value=f.clean(value) or "")
    return int(text)


def get_service(store: Store, id: object) -> dict[str, Any]:
    service_id = _service_id(id)
    row = store.one(f"{_SERVICE_SELECT} WHERE s.id = ?", (service_id,))
    if row is None:
        raise NotFound(NO_SERVICE, value=service_id)
    return _service(row)


def list_service(store: Store, *, volunteer: object = None, team: object = None,
                 period: object = None, include_voided: bool = False,
                 limit: int | None = None, oldest_first: bool = False,
                 log_id: int | None = None, standalone: bool = False,
                 ) -> tuple[Iterator[dict[str, Any]], dict[str, Any]]:
    """Service records, newest first, and the totals of all that match:
    ``{"total": records, "hours": hours}``. ``log_id``: the service given with that log;
    ``standalone``: only service given without a log."""
    where: list[str] = ["s.log_id IS NULL"] if standalone else []
    params: list[Any] = []
    if log_id is not None:
        where.append("s.log_id = ?")
        params.append(log_id)
    if volunteer is not None:
        where.append("s.volunteer_no = ?")
        params.append(find_key(store, "volunteers", volunteer))
    if team is not None:
        where.append("s.team = ?")
        params.append(find_key(store, "teams", team))
    if period is not None:
        span = period if isinstance(period, Period) else f.parse_period(period, today=store.today)
        where.append("s.date BETWEEN ? AND ?")
        params.extend([span.start.isoformat(), span.end.isoformat()])
    if not include_voided:
        where.append("s.voided = 0")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    n, minutes = store.execute(f"SELECT count(*), coalesce(sum(s.minutes), 0) FROM service s"
                               f"{clause}", params).fetchone()
    order = "s.id" if oldest_first else "s.date DESC, s.id DESC"
    sql = f"{_SERVICE_SELECT}{clause} ORDER BY {order}"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return (_service(r) for r in store.rows(sql, params)), {"total": n, "hours": hours_of(minutes)}


def _team_for(store: Store, no: str, team: str | None, day: str) -> str | None:
    """The team a record is for: the one given (open on ``day``), else the volunteer's
    only team when it is open on ``day``, else none."""
    if team is None:
        teams = [r[0] for r in store.execute(
            "SELECT team FROM volunteer_teams WHERE volunteer_no = ?", (no,))]
        if len(teams) != 1:
            return None
        row = store.one("SELECT active, closed_on FROM teams WHERE code = ?", (teams[0],))
        closed = row and not row["active"] and row["closed_on"] and row["closed_on"] < day
        return None if closed else teams[0]
    row = store.one("SELECT active, closed_on FROM teams WHERE code = ?", (team,))
    if row and not row["active"] and row["closed_on"] and row["closed_on"] < day:
        raise FieldError("team", CLOSED_TEAM, team=team, on=row["closed_on"])
    return team


def serve(store: Store, volunteer: object, *, on: object = None, hours: object = None,
          team: object = None, content: object = None, note: object = None
          ) -> dict[str, Any]:
    """Record service given without a log (a patrol shift, a visit on one's own): the
    volunteer, the day (default today), the time, what was done, and the team (default
    the volunteer's only one). The same volunteer, day and content again is refused."""
    no = find_key(store, "volunteers", volunteer)
    person = get(store, no)
    if not person["active"]:
        raise InvalidInput(LEFT, no=no, on=person["left_on"] or "")
    day = f.parse_date("on", on, today=store.today) or store.today.isoformat()
    minutes = parse_minutes("hours", hours, required=True)
    text = f.text_field("content", content, required=True, limit=200)
    code = resolver(store, "teams", "team")(team) if f.clean(team) else None
    row = {"volunteer_no": no, "date": day, "minutes": minutes,
           "team": _team_for(store, no, code, day), "log_id": None, "content": text,
           "note": f.text_field("note", note, limit=2000)}
    same = store.one("SELECT id FROM service WHERE volunteer_no = ? AND date = ? AND "
                     "content = ? AND log_id IS NULL AND voided = 0", (no, day, text))
    if same:
        raise Conflict(SAME_SERVICE, no=no, date=day, id=same["id"], content=text)
    return get_service(store, insert_service(store, row))


def insert_service(store: Store, row: dict[str, Any]) -> int:
    """Write one validated service record and audit it: the one way one is added."""
    now = now_utc()
    full = {**row, "voided": 1 if row.get("voided") else 0, "created_at": now,
            "updated_at": now}
    cols = list(full)
    cur = store.execute(
        f"INSERT INTO service ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [full[c] for c in cols])
    shown = {k: v for k, v in full.items() if v is not None and k not in ("minutes", "voided")}
    store.audit("service", cur.lastrowid, "insert", None,
                {**shown, "hours": hours_of(full["minutes"])})
    return cur.lastrowid


def void_service(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Mark a service record voided with a reason; kept and audited, never deleted."""
    before = get_service(store, id)
    if before["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=before["id"], reason=before["void_reason"] or "")
    text = f.text_field("reason", reason, required=True, limit=500)
    _void(store, before, text)
    if before["log_id"] is not None:
        _log_hours(store, before["log_id"])
    return get_service(store, before["id"])


def _log_hours(store: Store, log_id: int) -> None:
    """A log in force whose service changed: its hours the sum of what it still carries
    (as ``logs add --volunteers`` made them), audited, so its export imports back."""
    row = store.one("SELECT hours, voided FROM logs WHERE id = ?", (log_id,))
    if row is None or row["voided"]:
        return
    minutes = store.execute("SELECT coalesce(sum(minutes), 0) FROM service WHERE log_id = ? "
                            "AND voided = 0", (log_id,)).fetchone()[0]
    hours = hours_of(minutes)
    if abs(row["hours"] - hours) > 0.005:
        store.execute("UPDATE logs SET hours = ?, updated_at = ? WHERE id = ?",
                      (hours, now_utc(), log_id))
        store.audit("logs", log_id, "update", {"hours": row["hours"]}, {"hours": hours})


def _void(store: Store, before: dict[str, Any], reason: str) -> None:
    store.execute("UPDATE service SET voided = 1, void_reason = ?, updated_at = ? WHERE id = ?",
                  (reason, now_utc(), before["id"]))
    store.audit("service", before["id"], "void", before,
                {**before, "voided": True, "void_reason": reason})


# --- service with a log ----------------------------------------------------------------


@dataclass
class Crew:
    """Who of the volunteers served with a log and how long: ``(number, minutes)`` in the
    order named, the team (or None), and the hours they add up to."""

    team: str | None
    entries: list[tuple[str, int]]

    @property
    def hours(self) -> float:
        return hours_of(sum(m for _, m in self.entries))


def parse_crew(store: Store, value: object, *, field: str = "volunteers") -> list[tuple[str, int]]:
    """``V001:2,V002:1.5`` or ``张三:2、李四:1.5``: volunteers by number or exact name, each
    with the time served (``:`` or ``：``); a volunteer once."""
    entries: list[tuple[str, int]] = []
    seen: set[str] = set()
    for part in _parts(value):
        who, sep, time = f.halfwidth(part).rpartition(":")
        if not sep or not who.strip():
            raise FieldError(field, BAD_CREW, value=part)
        no = _volunteer_no(store, who.strip(), field)
        if no in seen:
            raise FieldError(field, TWICE, no=no)
        seen.add(no)
        entries.append((no, parse_minutes(field, time, required=True)))
    return entries


def _volunteer_no(store: Store, text: str, field: str) -> str:
    row = store.execute("SELECT volunteer_no FROM volunteers WHERE volunteer_no = ?",
                        (text,)).fetchone()
    if row:
        return row[0]
    rows = store.execute("SELECT volunteer_no FROM volunteers WHERE name = ? "
                         "ORDER BY volunteer_no LIMIT 6", (text,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if rows:
        raise FieldError(field, AMBIGUOUS, what="志愿者", what_en="volunteer", value=text,
                         codes=", ".join(r[0] for r in rows))
    raise FieldError(field, UNKNOWN_VOLUNTEER, value=text)


def crew_for_log(store: Store, team: object, volunteers: object, hours: object
                 ) -> Crew | None:
    """What ``logs add --team T --volunteers …`` names, checked: the team, each
    volunteer's time, and the log's hours (their sum; hours given must equal it)."""
    if f.clean(volunteers) is None and not isinstance(volunteers, list | tuple):
        if f.clean(team) is not None:
            raise InvalidInput(TEAM_ALONE)
        return None
    code = resolver(store, "teams", "team")(team) if f.clean(team) else None
    crew = Crew(code, parse_crew(store, volunteers))
    if not crew.entries:
        return None
    given = f.parse_hours("hours", f.without_unit(hours, f.HOUR_UNITS))
    if given is not None and abs(given - crew.hours) > 0.005:
        raise FieldError("hours", HOURS_DIFFER, sum=f"{crew.hours:g}", given=f"{given:g}")
    return crew


def check_log_hours(store: Store, log_id: int, hours: object) -> None:
    """Hours given for a log that carries volunteers must be their sum (``HOURS_DIFFER``)."""
    carried = log_crew(store, [log_id]).get(log_id)
    if not carried:
        return
    total = hours_of(sum(minutes for _no, minutes in carried))
    given = f.parse_hours("hours", f.without_unit(hours, f.HOUR_UNITS))
    if given is not None and abs(given - total) > 0.005:
        raise FieldError("hours", HOURS_DIFFER, sum=f"{total:g}", given=f"{given:g}")


def record_for_log(store: Store, log_id: int, log: dict[str, Any], crew: Crew) -> None:
    """The service records of a log just written: one per volunteer, on the log's day (a
    log written voided, as an import of a voided log does: voided with its reason, as
    ``logs void`` voids them)."""
    voided = bool(log.get("voided"))
    for no, minutes in crew.entries:
        insert_service(store, {"volunteer_no": no, "date": log["date"], "minutes": minutes,
                               "team": _team_for(store, no, crew.team, log["date"]),
                               "log_id": log_id, "content": None, "note": None,
                               "voided": voided,
                               "void_reason": log.get("void_reason") if voided else None})


def follow_log(store: Store, log_id: int, *, date: str | None = None,
               void_reason: str | None = None) -> None:
    """A log's service follows the log: its new day, or its voiding (audited each)."""
    rows = list(store.rows("SELECT id FROM service WHERE log_id = ? AND voided = 0",
                           (log_id,)))
    for row in rows:
        before = get_service(store, row["id"])
        if void_reason is not None:
            _void(store, before, void_reason)
        elif date is not None and before["date"] != date:
            store.execute("UPDATE service SET date = ?, updated_at = ? WHERE id = ?",
                          (date, now_utc(), row["id"]))
            store.audit("service", row["id"], "update", before, {**before, "date": date})


# --- figures ----------------------------------------------------------------------------


def figures(store: Store, period: Period, area: str | None = None) -> dict[str, Any]:
    """The summary's ``volunteers`` section: counts and hours only, no names. ``area``:
    the volunteers living there, their service, and the teams of its points.

    Fast at 100,000 volunteers and 1,000,000 records: each team's hours are one seek and
    a range scan of ``service_by_team`` (no sort); the volunteers who served, one seek per
    volunteer in ``service_by_volunteer``; team sizes count the memberships, less those of
    the few who left (``volunteers_left``)."""
    start, end = period.start.isoformat(), period.end.isoformat()
    in_area = " AND v.area = ?" if area else ""
    args: tuple = (area,) if area else ()
    total, members, new = store.execute(
        "SELECT count(*), coalesce(sum(v.member_no IS NOT NULL), 0), "
        "coalesce(sum(v.registered_on BETWEEN ? AND ?), 0) FROM volunteers v "
        f"WHERE v.active = 1{in_area}", (start, end, *args)).fetchone()
    team_area = (" AND t.point IN (SELECT code FROM points WHERE area = ? OR code = ?)"
                 if area else "")
    team_args: tuple = (area, area) if area else ()
    teams = {r["team"]: {**r, "volunteers": 0, "records": 0, "hours": 0.0} for r in store.rows(
        f"SELECT t.code AS team, t.name, t.field FROM teams t WHERE t.active = 1{team_area} "
        "ORDER BY t.code", team_args)}
    active_teams = len(teams)
    size = dict(store.execute("SELECT team, count(*) FROM volunteer_teams GROUP BY team"))
    for team, n in store.execute(
            "SELECT vt.team, count(*) FROM volunteers v INDEXED BY volunteers_left "
            "JOIN volunteer_teams vt ON vt.volunteer_no = v.volunteer_no WHERE v.active = 0 "
            "GROUP BY vt.team"):
        size[team] = size.get(team, 0) - n
    for team, entry in teams.items():
        entry["volunteers"] = size.get(team, 0)
    new_teams = store.execute(
        f"SELECT count(*) FROM teams t WHERE t.founded_on BETWEEN ? AND ?{team_area}",
        (start, end, *team_args)).fetchone()[0]
    if area:  # the area's volunteers: their service, by team
        found = store.execute(
            "SELECT s.team, count(*), sum(s.minutes) FROM service s JOIN volunteers v ON "
            "v.volunteer_no = s.volunteer_no WHERE s.date BETWEEN ? AND ? AND s.voided = 0 "
            "AND v.area = ? GROUP BY s.team", (start, end, area)).fetchall()
    else:
        codes = [None, *(r[0] for r in store.execute("SELECT code FROM teams ORDER BY code"))]
        found = [(code, *store.execute(
            "SELECT count(*), coalesce(sum(minutes), 0) FROM service INDEXED BY "
            "service_by_team WHERE team IS ? AND voided = 0 AND date BETWEEN ? AND ?",
            (code, start, end)).fetchone()) for code in codes]
    minutes_no_team = records = 0
    by_team_minutes: dict[str, int] = {}
    for team, n, minutes in found:
        if not n:
            continue
        records += n
        if team is None:
            minutes_no_team += minutes
            continue
        by_team_minutes[team] = minutes
        entry = teams.get(team)
        if entry is None:  # a team closed since, or elsewhere: counted, listed after
            row = store.one("SELECT name, field FROM teams WHERE code = ?", (team,))
            entry = teams[team] = {"team": team, "name": row["name"], "field": row["field"],
                                   "volunteers": size.get(team, 0), "records": 0, "hours": 0.0}
        entry["records"] = n
        entry["hours"] = hours_of(minutes)
    by_field_minutes = dict.fromkeys(store.config.fields().keys, 0)
    for team, minutes in by_team_minutes.items():
        key = teams[team]["field"]
        by_field_minutes[key] = by_field_minutes.get(key, 0) + minutes
    served = store.execute(
        "SELECT count(*) FROM volunteers v WHERE v.active = 1"
        f"{in_area} AND EXISTS (SELECT 1 FROM service s INDEXED BY service_by_volunteer "
        "WHERE s.volunteer_no = v.volunteer_no AND s.voided = 0 AND s.date BETWEEN ? AND ?)",
        (*args, start, end)).fetchone()[0] if records else 0
    return {
        "teams": active_teams,
        "new_teams": new_teams,
        "volunteers": total,
        "members": members,
        "residents": total - members,
        "new": new,
        "records": records,
        "hours": hours_of(sum(by_team_minutes.values()) + minutes_no_team),
        "by_team": list(teams.values()),
        "by_field": {k: hours_of(m) for k, m in by_field_minutes.items()},
        "hours_no_team": hours_of(minutes_no_team),
        "serving": served,
        "idle": total - served,
    }


# The service a log carries: a log in force, its records in force; a voided log, those
# voided with it (by ``logs void``, or written voided by an import: its reason or none).
_CARRIED = ("(s.voided = 0 OR (l.voided = 1 AND (s.void_reason IS NULL "
            "OR s.void_reason = l.void_reason)))")


def log_crew(store: Store, log_ids: list[int]) -> dict[int, list[list[Any]]]:
    """log id -> its volunteers' service as sorted ``[number, minutes]`` (what the log
    carries: ``_CARRIED``)."""
    return {log_id: [[no, minutes] for no, minutes, _team in rows]
            for log_id, rows in _crews(store, log_ids).items()}


def _crews(store: Store, log_ids: list[int]) -> dict[int, list[tuple[str, int, str | None]]]:
    crews: dict[int, list[tuple[str, int, str | None]]] = {}
    for start in range(0, len(log_ids), 500):
        chunk = log_ids[start:start + 500]
        for log_id, no, minutes, team in store.execute(
                "SELECT s.log_id, s.volunteer_no, s.minutes, s.team FROM service s "
                f"JOIN logs l ON l.id = s.log_id WHERE {_CARRIED} AND s.log_id "
                f"IN ({', '.join('?' * len(chunk))}) ORDER BY s.log_id, s.volunteer_no",
                chunk):
            crews.setdefault(log_id, []).append((no, minutes, team))
    return crews


def crew_cells(entries: list[tuple[str, int, str | None]]) -> tuple[str | None, list[str]]:
    """A log's team and volunteers as a logs file gives them (``parse_crew`` reads them
    back): ``V001:2``, ``V002:1.5`` by number; the team when every record is that one's
    (records of different teams, or of none, came from each volunteer's only team and
    come back so)."""
    teams = {team for _no, _minutes, team in entries}
    team = teams.pop() if len(teams) == 1 else None
    return team, [f"{no}:{hours_of(minutes):g}" for no, minutes, _team in entries]


def log_team(store: Store, log_id: int) -> str | None:
    """The team a log's volunteers served in (``crew_cells``), or None."""
    return crew_cells(_crews(store, [log_id]).get(log_id, []))[0]


def with_crews(store: Store, logs: Iterable[dict[str, Any]], *, chunk: int = 500
               ) -> Iterator[dict[str, Any]]:
    """Logs (streamed) with their ``team`` and ``volunteers`` (``crew_cells``): what a
    logs export writes and a logs import reads back to the same service."""
    batch: list[dict[str, Any]] = []

    def flush() -> Iterator[dict[str, Any]]:
        crews = _crews(store, [r["id"] for r in batch])
        for row in batch:
            row["team"], row["volunteers"] = crew_cells(crews.get(row["id"], []))
            yield row
        batch.clear()

    for row in logs:
        batch.append(row)
        if len(batch) >= chunk:
            yield from flush()
    yield from flush()


def replace_log_crew(store: Store, log_id: int, day: str, entries: list[tuple[str, int]],
                     team: str | None, *, reason: str = "导入更正", retag: bool = False
                     ) -> None:
    """Make a log's service what ``entries`` say: a volunteer's time changed in place (a
    voided record of theirs back in force), new volunteers added, those no longer named
    voided with ``reason``. ``retag``: the kept records take the team as new ones do
    (``team``, else the volunteer's only team). Each record audited."""
    stored = {r["volunteer_no"]: r for r in store.rows(
        "SELECT id, volunteer_no, minutes, team, voided FROM service WHERE log_id = ?",
        (log_id,))}
    wanted = dict(entries)
    for no, minutes in wanted.items():
        old = stored.get(no)
        if old is None:
            insert_service(store, {"volunteer_no": no, "date": day, "minutes": minutes,
                                   "team": _team_for(store, no, team, day), "log_id": log_id,
                                   "content": None, "note": None})
            continue
        code = _team_for(store, no, team, day) if retag else old["team"]
        if old["minutes"] != minutes or old["voided"] or code != old["team"]:
            before = get_service(store, old["id"])
            store.execute("UPDATE service SET minutes = ?, team = ?, voided = 0, "
                          "void_reason = NULL, updated_at = ? WHERE id = ?",
                          (minutes, code, now_utc(), old["id"]))
            store.audit("service", old["id"], "update", before, get_service(store, old["id"]))
    for no, old in stored.items():
        if no not in wanted and not old["voided"]:
            _void(store, get_service(store, old["id"]), reason)


def log_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """The validators of a log file's 志愿者 (``张三:2、李四:1.5``) and 志愿者队伍 cells."""
    team = resolver(store, "teams", "team")
    return {"volunteers": lambda v: [list(e) for e in parse_crew(store, v)] or None,
            "team": lambda v: team(v) if f.clean(v) else None}


def crew_hours(values: dict[str, Any]) -> FieldError | None:
    """A log row with volunteers: its hours become their sum (a different sum given is the
    row's problem)."""
    total = hours_of(sum(m for _, m in values["volunteers"]))
    given = values.get("hours")
    if given is not None and abs(given - total) > 0.005:
        return FieldError("hours", HOURS_DIFFER, sum=f"{total:g}", given=f"{given:g}")
    values["hours"] = total
    return None
