"""Volunteers (志愿者) and their service (志愿服务记录): validation of every field, add,
edit, list, show; the service a volunteer gives with a log (``logs add --volunteers``) or
on its own (``serve``), voided as logs are, never deleted. No terminal code here.

A volunteer is a resident, or a Party member linked by the member number (one person:
name, gender, ID number, phone and area come from the member when not given, and may not
contradict it). ID numbers and phones are validated as members' are. Service time is kept
as whole minutes (exact sums); people and files see hours (``1.5``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.lookup import find_key, resolver
from cbtool.person import ID_GENDER_MISMATCH  # the members' warning, for one person
from cbtool.store import Store, now_utc
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
INACTIVE_ON = Msg("{opt_on} 只与 {opt_inactive} 同用", "{opt_on} goes with {opt_inactive} only")

Warning_ = tuple[Msg, dict[str, Any]]


# --- values ---------------------------------------------------------------------------

class _Members:
    """Member number -> the member's identity, asked of the database as needed."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def get(self, no: str) -> dict[str, Any] | None:
        return self.store.one(
            "SELECT member_no, name, gender, id_card, phone, area FROM members "
            "WHERE member_no = ?", (no,))


def follow_members(store: Store, changed: list[tuple[str, dict[str, Any], dict[str, Any]]]
                   ) -> None:
    """Members changed (number, before, after): a volunteer linked to one of them takes
    the member's new name, gender, ID number, phone or area where it held the member's
    old value (copied when linked) or nothing — one person, one phone number. A value of
    the volunteer's own stays. Audited as updates of the volunteers."""
    moved = [(no, before, after) for no, before, after in changed
             if any(before.get(k) != after.get(k) for k in FROM_MEMBER)]
    if not moved:
        return
    import json

    cols = ("volunteer_no", "member_no", *FROM_MEMBER)
    linked = {row[1]: dict(zip(cols, row, strict=True)) for row in store.execute(
        f"SELECT {', '.join(cols)} FROM volunteers WHERE member_no IN "
        "(SELECT value FROM json_each(?))",
        (json.dumps([no for no, _, _ in moved], ensure_ascii=False),))}
    now, audited = now_utc(), []
    for no, before, after in moved:
        volunteer = linked.get(no)
        if volunteer is None:
            continue
        changes = {k: after.get(k) for k in FROM_MEMBER
                   if before.get(k) != after.get(k) and volunteer[k] in (before.get(k), None)
                   and volunteer[k] != after.get(k)}
        if not changes:
            continue
        sets = ", ".join(f"{k} = ?" for k in changes)
        store.execute(f"UPDATE volunteers SET {sets}, updated_at = ? WHERE volunteer_no = ?",
                      (*changes.values(), now, volunteer["volunteer_no"]))
        audited.append((volunteer["volunteer_no"], volunteer, {**volunteer, **changes}))
    store.audit_many("volunteers", "update", audited)


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
        "teams": lambda v: list(dict.fromkeys(team(p) for p in parts(v))),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "active": lambda v: f.parse_bool("active", v),
        "left_on": lambda v: f.parse_date("left_on", v, today=today),
    }


def parts(value: object) -> list[str]:
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
    clear = tuple(f.clear_keys(clear, CLEARABLE, "volunteers"))
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
