"""The members registry: validation of every field, add/edit, category changes,
archive/restore, renumbering and lists (contacts: ``cbtool.contacts``; a member's page:
``cbtool.profile``). No terminal code here.

Why one module of ~440 lines: the register's one write path (add, update, category
changes, archive, renumber) beside the validators it applies.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.lazyre import lazy
from cbtool.lookup import find_key, resolver
from cbtool.person import (
    Warning_,
    id_taken,
    joined_after_born,
    reconcile_id,
    zero_twin,
)
from cbtool.store import Store, now_utc
from cbtool.text import Msg, option
from cbtool.vocab import ARCHIVE_REASONS, CATEGORIES, STATUSES

MEMBER_FIELDS = [
    "member_no", "name", "gender", "born_on", "id_card", "phone", "category", "area",
    "joined_on", "employer", "whereabouts", "left_on", "note", "status", "archived_reason",
    "archived_on", "created_at", "updated_at",
]
# What `add` and `edit` take (and import writes), besides member_no.
EDITABLE = [
    "name", "gender", "born_on", "id_card", "phone", "category", "area", "joined_on",
    "employer", "whereabouts", "left_on", "note",
]
REQUIRED = ("member_no", "name", "category", "area")

EXISTS = Msg("党员编号 {no} 已存在（{name}）", "member number {no} exists already ({name})")
CANNOT_CLEAR = Msg("{field} 是必填项，不能清空", "{field} is required and cannot be cleared")
BEFORE_LAST_CHANGE = Msg("{no} 的上一次类别变更在 {last}，新的变更日期 {day} 不能更早",
                         "{no}: the last category change was on {last}; {day} is earlier")
SAME_CATEGORY = Msg("{no} 已经是“{category}”类别", "{no} is already in category {category}")
ARCHIVED = Msg("{no} 已归档，请先 restore", "{no} is archived; restore it first")
NOT_ARCHIVED = Msg("{no} 未归档", "{no} is not archived")
BAD_REASON = Msg("{field}：归档原因应为 transferred/转出、deceased/去世 或 other/其他",
                 "{field}: reason must be transferred, deceased or other")
BAD_STATUS = Msg("{field}：状态应为 active 或 archived", "{field}: status must be active or archived")

TAKES_PART_LATER = Msg(
    "{no} 是 {on} 之后的台账记录 {ids} 的参加党员，请先核对这些记录（logs edit）或去世日期",
    "{no} takes part in logs after {on} ({ids}); check them (logs edit) or the date first")
SAME_NUMBER = Msg("{no} 的编号没有变化", "{no} is the number already")


# --- validation -----------------------------------------------------------------------


def field_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field, shared by add, edit and import."""
    today = store.today
    area = resolver(store, "areas", "area")
    width, area_code = store.config.member_no_width, store.config.area_code
    return {
        "member_no": ((lambda v: f.pad_number(f.parse_code("member_no", v), width)) if width
                      else (lambda v: f.parse_code("member_no", v))),
        "name": lambda v: f.person_name("name", v, required=True, limit=50),
        "gender": lambda v: f.parse_gender("gender", v),
        "born_on": lambda v: f.parse_date_or_month("born_on", f.month_digits(v), today=today),
        "id_card": lambda v: f.parse_id_card("id_card", v, today=today),
        "phone": lambda v: f.parse_phone_local("phone", v, area_code),
        "category": lambda v: CATEGORIES.resolve(v, "category"),
        "area": lambda v: area(f.text_field("area", v, required=True)),
        "joined_on": lambda v: f.parse_date_or_month("joined_on", f.month_digits(v),
                                                     today=today),
        "employer": lambda v: f.text_field("employer", v, limit=200),
        "whereabouts": lambda v: f.text_field("whereabouts", v, limit=200),
        "left_on": lambda v: f.parse_date("left_on", v, today=today),
        "note": lambda v: f.text_field("note", v, limit=2000),
        "status": lambda v: parse_status(v) if f.clean(v) else None,  # empty: not said
        "archived_reason": lambda v: parse_archive_reason(v, required=False),
        "archived_on": lambda v: f.parse_date("archived_on", v, today=today),
        "last_contact_on": lambda v: f.parse_date("last_contact_on", v, today=today),
    }


def parse_status(value: object) -> str:
    mapped = STATUSES.lookup(f.clean(value) or "active")
    if mapped is None:
        raise FieldError("status", BAD_STATUS)
    return mapped


def parse_archive_reason(value: object, *, required: bool = True) -> str | None:
    text = f.clean(value)
    if text is None and not required:
        return None
    key = ARCHIVE_REASONS.lookup(text) if text is not None else None
    if key is None:
        raise FieldError("reason", BAD_REASON)
    return key


def _raise_first(problems: list[FieldError]) -> None:
    if problems:
        raise problems[0]


# --- reading --------------------------------------------------------------------------

_LAST_CONTACT = (  # an attempt that did not reach the member is no contact
    "(SELECT max(c.date) FROM contacts c WHERE c.member_no = m.member_no AND c.reached = 1) "
    "AS last_contact_on"
)
_SELECT = f"SELECT {', '.join('m.' + c for c in MEMBER_FIELDS)}, {_LAST_CONTACT} FROM members m"


def get(store: Store, value: object) -> dict[str, Any]:
    """The member with this number (or exactly this name), with ``last_contact_on``."""
    no = find_key(store, "members", value)
    record = store.one(f"{_SELECT} WHERE m.member_no = ?", (no,))
    assert record is not None
    return record


def list_members(
    store: Store, *, category: str | None = None, area: str | None = None,
    status: str = "active", search: str | None = None, limit: int | None = None,
    as_of: date | None = None, age_min: int | None = None, age_max: int | None = None,
    party_years_min: int | None = None, joined_month: int | None = None,
    born_month: int | None = None,
) -> tuple[Iterator[dict[str, Any]], int]:
    """Matching members, ordered by area and number, and how many match in all.

    Ages and years in the Party are whole years on ``as_of`` (default today); see
    ``life_filters``."""
    where, params = life_filters(as_of or store.today, age_min=age_min, age_max=age_max,
                                 party_years_min=party_years_min, joined_month=joined_month,
                                 born_month=born_month)
    if category is not None:  # an empty value is an error, not 'no filter'
        where.append("m.category = ?")
        params.append(CATEGORIES.resolve(category, "category"))
    if area is not None:
        where.append("m.area = ?")
        params.append(find_key(store, "areas", area))
    if status != "all":
        where.append("m.status = ?")
        params.append(parse_status(status))
    if search:
        typed = f.clean(search) or ""
        likes = []
        for text in dict.fromkeys([typed, f.unpadded(typed)]):  # 沈　佳怡
            text = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            likes.append(f"%{text}%")  # % and _ typed by people are plain characters
        columns = ("member_no", "name", "phone", "employer", "whereabouts", "note")
        where.append("(" + " OR ".join(
            f"m.{c} LIKE ? ESCAPE '\\'" for _like in likes for c in columns) + ")")
        params.extend(like for like in likes for _c in columns)
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM members m{clause}", params).fetchone()[0]
    sql = f"{_SELECT}{clause} ORDER BY m.area, m.member_no"
    if limit is not None:
        sql += f" LIMIT {int(limit)}"
    return store.rows(sql, params), total


# A month-only born_on / joined_on (1976-07) counts from the month's first day.
_FROM_DAY = "CASE WHEN length(m.{c}) = 7 THEN m.{c} || '-01' ELSE m.{c} END"


def years_before(day: date, n: int) -> date:
    """The same day ``n`` years earlier (29 February becomes the 28th)."""
    if n >= day.year:
        return date.min
    try:
        return day.replace(year=day.year - n)
    except ValueError:
        return day.replace(year=day.year - n, day=28)


def whole_years(since: str | None, day: date) -> int | None:
    """Whole years from ``since`` (a day, or a month: from its first day) to ``day``;
    None without a date. The same count as ``life_filters``."""
    if not since:
        return None
    try:
        start = date.fromisoformat(since + "-01" if len(since) == 7 else since)
    except ValueError:  # not a stored form (a database written by hand): no count
        return None
    return day.year - start.year - ((day.month, day.day) < (start.month, start.day))


_MONTH_DAY = lazy(r"(\d{1,2})(?:-|/|\.|月)(\d{1,2})日?")


def parse_as_of(value: object, *, today: date) -> date:
    """The day ages and years in the Party are counted to: any date form (future days
    too: '50 years by next 七一'), or a month and day alone (``07-01``, ``7月1日``) of
    this year."""
    text = f.clean(value)
    if text and (m := _MONTH_DAY.fullmatch(text)):
        try:
            return date(today.year, int(m.group(1)), int(m.group(2)))
        except ValueError:
            raise FieldError(option("as_of"), f.BAD_DATE, value=text) from None
    return date.fromisoformat(f.parse_date(option("as_of"), value, required=True,
                                         allow_future=True))


def life_filters(
    day: date, *, age_min: int | None = None, age_max: int | None = None,
    party_years_min: int | None = None, joined_month: int | None = None,
    born_month: int | None = None,
) -> tuple[list[str], list[Any]]:
    """SQL conditions on members ``m`` for lists before visits and honours: age at least /
    at most N on ``day``, at least N years since joining the Party (党龄), joined (政治生日)
    or born in month M. A member without the date does not match its filter."""
    where: list[str] = []
    params: list[Any] = []
    born, joined = _FROM_DAY.format(c="born_on"), _FROM_DAY.format(c="joined_on")
    if age_min is not None:
        where.append(f"{born} <= ?")
        params.append(years_before(day, age_min).isoformat())
    if age_max is not None:  # younger than age_max + 1
        where.append(f"{born} > ?")
        params.append(years_before(day, age_max + 1).isoformat())
    if party_years_min is not None:
        where.append(f"{joined} <= ?")
        params.append(years_before(day, party_years_min).isoformat())
    for column, month in (("joined_on", joined_month), ("born_on", born_month)):
        if month is not None:
            where.append(f"substr(m.{column}, 6, 2) = ?")
            params.append(f"{int(month):02d}")
    return where, params


# --- writing --------------------------------------------------------------------------


def add(store: Store, raw: dict[str, object]) -> tuple[dict[str, Any], list[Warning_]]:
    """Validate and insert one member. ``raw`` holds text as typed (None = not given)."""
    parsers = field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None}
    for name in REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, {k: given[k] for k in given if k in parsers})
    _raise_first(problems)
    existing = store.one("SELECT name FROM members WHERE member_no = ?", (values["member_no"],))
    if existing:
        raise Conflict(EXISTS, no=values["member_no"], name=existing["name"])
    record = {k: values.get(k) for k in ["member_no", *EDITABLE]}
    warnings = reconcile_id(record)
    if error := joined_after_born(record):
        raise error
    warnings += id_taken(store, record) + zero_twin(store, record["member_no"])
    insert(store, record)
    return record, warnings


def insert(store: Store, record: dict[str, Any]) -> None:
    now = now_utc()
    row = {**record, "created_at": now, "updated_at": now}
    row.setdefault("status", "active")
    cols = [c for c in MEMBER_FIELDS if c in row]
    store.execute(
        f"INSERT INTO members ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
        [row[c] for c in cols],
    )
    store.audit("members", record["member_no"], "insert", None,
                {k: v for k, v in row.items() if v is not None})


def _stored(store: Store, no: str) -> dict[str, Any]:
    row = store.one(f"SELECT {', '.join(MEMBER_FIELDS)} FROM members WHERE member_no = ?", (no,))
    assert row is not None
    return row


def update(
    store: Store, no: str, changes: dict[str, Any], *, action: str = "update",
    category_on: str | None = None, category_reason: str | None = None,
) -> dict[str, Any]:
    """Write changed fields of a stored member, audit them, record a category change."""
    return update_many(store, [(no, changes, category_on, category_reason)], action=action)[0]


Change = tuple[str, dict[str, Any], "str | None", "str | None"]  # no, fields, category on/why


def update_many(store: Store, items: list[Change], *, action: str = "update"
                ) -> list[dict[str, Any]]:
    """``update`` of many stored members at once (an import's rows): (member number, the
    fields to set, the day and reason of a category change) each; returns each member as
    it is after. The members are read with one query, the rows that set the same fields
    written with one ``executemany``, and audited with one more."""
    if not items:
        return []
    import json

    cols = ", ".join(MEMBER_FIELDS)
    stored = {row[0]: dict(zip(MEMBER_FIELDS, row, strict=True)) for row in store.execute(
        f"SELECT {cols} FROM members WHERE member_no IN (SELECT value FROM json_each(?))",
        (json.dumps([no for no, *_ in items], ensure_ascii=False),))}
    now = now_utc()
    afters, audited, by_fields, moved = [], [], {}, []
    for no, changes, category_on, category_reason in items:
        before = stored[no]
        changed = {k: v for k, v in changes.items() if before.get(k) != v}
        if not changed:
            afters.append(before)
            continue
        changed["updated_at"] = now
        by_fields.setdefault(tuple(changed), []).append([*changed.values(), no])
        after = {**before, **changed}
        stored[no] = after  # a member named twice is updated from the first's result
        afters.append(after)
        audited.append((no, before, after))
        if "category" in changed:
            moved.append((no, before["category"], changed["category"],
                          category_on or store.today.isoformat(), category_reason))
    for names, rows in by_fields.items():
        sets = ", ".join(f"{k} = ?" for k in names)
        store.conn.executemany(f"UPDATE members SET {sets} WHERE member_no = ?", rows)
    store.audit_many("members", action, audited)
    for change in moved:
        record_category_change(store, *change)
    if audited:  # a member who is also a volunteer: the volunteer record follows
        from cbtool.volunteers import follow_members

        follow_members(store, audited)
    return afters


def record_category_change(store: Store, no: str, old: str | None, new: str, on: str,
                           reason: str | None) -> None:
    cur = store.execute(
        "INSERT INTO category_changes (member_no, from_category, to_category, date, reason) "
        "VALUES (?, ?, ?, ?, ?)", (no, old, new, on, reason))
    store.audit("category_changes", cur.lastrowid, "insert", None,
                {"member_no": no, "from": old, "to": new, "date": on, "reason": reason})


def edit(
    store: Store, value: object, raw: dict[str, object], clear: list[str] | tuple[str, ...] = ()
) -> tuple[dict[str, Any], dict[str, Any], list[Warning_]]:
    """Change the given fields (text as typed) and empty the ``clear`` ones."""
    no = find_key(store, "members", value)
    clear = f.clear_keys(clear, EDITABLE, "members")
    for name in clear:
        if name not in EDITABLE:
            raise InvalidInput(f.NOT_CLEARABLE, field=name, allowed=", ".join(EDITABLE))
        if name in REQUIRED:
            raise InvalidInput(CANNOT_CLEAR, field=name)
    parsers = field_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in EDITABLE}
    both = [name for name in clear if name in given]
    if both:
        raise InvalidInput(f.SET_AND_CLEAR, field=both[0])
    values, problems = f.parse_fields(parsers, given)
    _raise_first(problems)
    values.update({name: None for name in clear})
    before = _stored(store, no)
    merged = {**before, **values}
    warnings = reconcile_id(merged) + id_taken(store, merged) if "id_card" in values else []
    if {"born_on", "joined_on", "id_card"} & values.keys() and (
            error := joined_after_born(merged)):
        raise error
    if "id_card" in values:
        values.update({k: merged[k] for k in ("born_on", "gender") if merged[k] != before[k]})
    after = update(store, no, values)
    return before, after, warnings


def recategorize(store: Store, value: object, to: object, *, on: object = None,
                 reason: object = None) -> tuple[dict[str, Any], dict[str, Any]]:
    no = find_key(store, "members", value)
    before = _stored(store, no)
    new = CATEGORIES.resolve(to, "to")
    if before["status"] != "active":
        raise InvalidInput(ARCHIVED, no=no)
    if new == before["category"]:
        raise InvalidInput(SAME_CATEGORY, no=no, category=new)
    day = f.parse_date("on", on, today=store.today) or store.today.isoformat()
    latest = store.one("SELECT max(date) AS day FROM category_changes WHERE member_no = ?",
                       (no,))
    if latest and latest["day"] and day < latest["day"]:  # history must read in order
        raise InvalidInput(BEFORE_LAST_CHANGE, no=no, day=day, last=latest["day"])
    after = update(store, no, {"category": new}, action="recategorize", category_on=day,
                   category_reason=f.text_field("reason", reason))
    return before, after


def archive(store: Store, value: object, *, reason: object, on: object = None) -> dict[str, Any]:
    no = find_key(store, "members", value)
    member = _stored(store, no)
    if member["status"] == "archived":
        raise InvalidInput(ARCHIVED, no=no)
    changes = {
        "status": "archived",
        "archived_reason": parse_archive_reason(reason),
        "archived_on": f.parse_date("on", on, today=store.today) or store.today.isoformat(),
    }
    if changes["archived_reason"] == "deceased":  # no participation after the death
        later = [r[0] for r in store.execute(
            "SELECT l.id FROM log_participants p JOIN logs l ON l.id = p.log_id "
            "WHERE p.member_no = ? AND l.voided = 0 AND l.date > ? ORDER BY l.id",
            (no, changes["archived_on"]))]
        if later:
            raise InvalidInput(TAKES_PART_LATER, no=no, on=changes["archived_on"],
                               ids=", ".join(f"#{i}" for i in later[:10]))
    return update(store, no, changes, action="archive")


def restore(store: Store, value: object) -> dict[str, Any]:
    no = find_key(store, "members", value)
    member = _stored(store, no)
    if member["status"] != "archived":
        raise InvalidInput(NOT_ARCHIVED, no=no)
    changes = {"status": "active", "archived_reason": None, "archived_on": None}
    return update(store, no, changes, action="restore")


def renumber(store: Store, old: object, new: object) -> dict[str, Any]:
    """Give a member another number (a mistyped one corrected): the record, its category
    history, contacts and participation move to ``new``; refused when ``new`` is taken.
    Audited as ``renumber`` under the new number; ``audit --key`` follows it both ways."""
    no = find_key(store, "members", old)
    new_no = f.parse_code("member_no", new)
    if new_no == no:
        raise InvalidInput(SAME_NUMBER, no=no)
    taken = store.one("SELECT member_no, name FROM members WHERE member_no = ?", (new_no,))
    if taken:
        raise Conflict(EXISTS, no=taken["member_no"], name=taken["name"])
    cols = [c for c in MEMBER_FIELDS if c not in ("member_no", "updated_at")]
    store.execute(f"INSERT INTO members (member_no, {', '.join(cols)}, updated_at) "
                  f"SELECT ?, {', '.join(cols)}, ? FROM members WHERE member_no = ?",
                  (new_no, now_utc(), no))
    # every record naming the member moves, and is audited as moved (by its own key)
    keyed = {"category_changes": "id", "contacts": "id", "volunteers": "volunteer_no",
             "aid_cases": "id"}
    keys = {table: [k for (k,) in store.execute(
        f"SELECT {key} FROM {table} WHERE member_no = ? ORDER BY {key}", (no,))]
        for table, key in keyed.items()}
    lists = {"logs": _lists(store, "log_participants", "log_id", no),  # whose lists name it
             "aid_cases": _lists(store, "aid_helpers", "case_id", no)}
    moved = {}
    for table in (*keyed, "log_participants", "aid_helpers"):
        moved[table] = store.execute(f"UPDATE {table} SET member_no = ? WHERE member_no = ?",
                                     (new_no, no)).rowcount
    store.execute("DELETE FROM members WHERE member_no = ?", (no,))
    store.audit("members", new_no, "renumber", {"member_no": no}, {"member_no": new_no})
    for table, ids in keys.items():
        store.audit_many(table, "renumber", [(k, {"member_no": no}, {"member_no": new_no})
                                             for k in ids])
    for (table, field), owners in zip((("logs", "participants"), ("aid_cases", "helpers")),
                                      lists.values(), strict=True):
        store.audit_many(table, "renumber", [
            (owner, {field: names}, {field: sorted(new_no if n == no else n for n in names)})
            for owner, names in owners.items()])
    return {**_stored(store, new_no), "old_no": no, "moved": moved}


def _lists(store: Store, table: str, owner: str, no: str) -> dict[int, list[str]]:
    """The member lists (a log's participants, a case's helpers) that name member ``no``:
    owner id -> its member numbers, sorted."""
    found: dict[int, list[str]] = {}
    for key, member in store.execute(
            f"SELECT {owner}, member_no FROM {table} WHERE {owner} IN (SELECT {owner} FROM "
            f"{table} WHERE member_no = ?) ORDER BY {owner}, member_no", (no,)):
        found.setdefault(key, []).append(member)
    return found
