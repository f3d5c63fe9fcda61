"""Hardship aid (结对帮扶): cases (困难对象, a person or a household) paired with Party
members, and the aid given them (慰问, 救助金, 物资, 就业帮扶, 医疗, 助学) from the funds
(``cbtool.funds``: 街道急难帮困专项资金, 党内互助金, others an office adds).

Money is integer fen throughout (``fields.parse_money`` reads yuan, ``fields.yuan`` shows
it); no fund is ever spent below zero on any day (``funds.available``), and a trigger of
the schema refuses it too. Cases are closed, aid given and income voided: never deleted.
A case may link to a member (a laid-off member's employment help); the placement is the
member's category change to employed, as elsewhere. Names, ID numbers and phones are
personal: the figures (``figures``) hold counts and sums only. No terminal code here.

Why one module of ~480 lines: cases and the aid given to them share their checks (a
case's dates bound its aid, a fund's balance bounds each grant), and every command and
importer of either calls them here.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.funds import available, fund_name, resolve_fund
from cbtool.lookup import find_key, record_id, resolver
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import AID_FORMS, AID_KINDS, AID_STATUSES

CASE_FIELDS = ["id", "name", "household", "id_card", "phone", "address", "area", "kind",
               "member_no", "helpers", "opened_on", "closed_on", "close_reason", "note",
               "created_at", "updated_at"]
CASE_WRITABLE = ["name", "household", "id_card", "phone", "address", "area", "kind",
                 "member_no", "helpers", "opened_on", "closed_on", "close_reason", "note"]
CASE_REQUIRED = ("name", "area", "kind")
GIVEN_FIELDS = ["id", "case", "date", "form", "amount", "fund", "note", "voided",
                "void_reason", "created_at", "updated_at"]
INCOME_FIELDS = ["id", "fund", "date", "amount", "source", "note", "voided", "void_reason",
                 "created_at", "updated_at"]
FUND_FIELDS = ["code", "name", "note"]

NO_CASE = Msg("找不到困难对象“{value}”", "no aid case '{value}'")
NO_GIVEN = Msg("找不到帮扶记录“{value}”", "no aid record '{value}'")
ID_OPEN_CASE = Msg("{field}：{value} 已是帮扶中的困难对象 #{id}",
                   "{field}: ID number {value} is an open aid case already (#{id})")
CLOSED_BEFORE = Msg("{field}：{closed} 早于建档日期 {opened}",
                    "{field}: closed on {closed}, before it was opened on {opened}")
ALREADY_CLOSED = Msg("困难对象 #{id} 已于 {on} 结案", "aid case #{id} was closed already on {on}")
AID_AFTER_CLOSE = Msg("困难对象 #{id} 在 {last} 还有帮扶记录，结案日期 {on} 不能更早",
                      "aid case #{id} has aid dated {last}; it cannot close earlier, on {on}")
CASE_CLOSED = Msg("{field}：困难对象 #{id} 已于 {on} 结案，不能记录 {date} 的帮扶",
                  "{field}: aid case #{id} closed on {on}; no aid dated {date}")
BEFORE_OPENED = Msg("{field}：{date} 早于困难对象 #{id} 的建档日期 {on}",
                    "{field}: {date} is before aid case #{id} was opened on {on}")
FUND_NEEDS_AMOUNT = Msg("{field}：从资金支出要写金额", "{field}: money from a fund needs its amount")
GRANT_NEEDS_AMOUNT = Msg("{field}：{form}要写金额", "{field}: {form} needs its amount")
OVERDRAWN = Msg(
    "资金“{fund}”在 {date} 及以后可用余额只有 {available} 元，不够支出 {amount} 元；"
    "未写入任何内容（先用 cbtool aid income 记入收入）",
    "fund '{fund}' has only {available} yuan available on {date} and after, not the "
    "{amount} yuan asked; nothing written (record its income first: cbtool aid income)")
ALREADY_VOIDED = Msg("记录 #{id} 已作废（{reason}）", "record #{id} is voided already ({reason})")
AID_BEFORE = Msg("{field}：困难对象 #{id} 在 {date} 已有帮扶记录，建档日期 {on} 不能更晚",
                 "{field}: aid case #{id} has aid dated {date}; it cannot be opened later, on {on}")
MEMBER_IS_HELPER = Msg("{field}：{no} 是这个困难对象本人，不能同时是结对党员",
                       "{field}: {no} is the case's own member; not one of its helpers")


# --- cases ------------------------------------------------------------------------------


def case_parsers(store: Store) -> dict[str, Callable[[object], object]]:
    """One validator per field of a case, shared by add and import."""
    today = store.today
    area = resolver(store, "areas", "area")
    member = resolver(store, "members", "member_no")
    area_code = store.config.area_code

    def helpers(value: object) -> list[str]:
        from cbtool.logs import parse_participants

        return parse_participants(store, value, field="helpers")

    return {
        "name": lambda v: f.person_name("name", v, required=True),
        "household": lambda v: f.parse_bool("household", v),
        "id_card": lambda v: f.parse_id_card("id_card", v, today=today),
        "phone": lambda v: f.parse_phone_local("phone", v, area_code),
        "address": lambda v: f.text_field("address", v, limit=200),
        "area": lambda v: area(f.text_field("area", v, required=True)),
        "kind": lambda v: AID_KINDS.resolve(f.text_field("kind", v, required=True), "kind"),
        "member_no": lambda v: member(f.pad_number(f.parse_code("member_no", v),
                                                   store.config.member_no_width))
        if f.clean(v) else None,
        "helpers": helpers,
        "opened_on": lambda v: f.parse_date("opened_on", v, today=today),
        "closed_on": lambda v: f.parse_date("closed_on", v, today=today),
        "close_reason": lambda v: f.text_field("close_reason", v, limit=500),
        "note": lambda v: f.text_field("note", v, limit=2000),
    }


def validate_case(store: Store, raw: dict[str, object],
                  parsers: dict[str, Callable[[object], object]] | None = None,
                  ) -> tuple[dict[str, Any], list[FieldError]]:
    """A complete case from raw text (None = not given) and every problem found. Opened
    defaults to today."""
    parsers = parsers or case_parsers(store)
    given = {k: v for k, v in raw.items() if v is not None and k in parsers}
    for name in CASE_REQUIRED:
        given.setdefault(name, None)
    values, problems = f.parse_fields(parsers, given)
    record = {k: values.get(k) for k in CASE_WRITABLE}
    record["household"] = bool(record["household"])
    record["helpers"] = record["helpers"] or []
    record["opened_on"] = record["opened_on"] or store.today.isoformat()
    if record["closed_on"] and record["closed_on"] < record["opened_on"]:
        problems.append(FieldError("closed_on", CLOSED_BEFORE, closed=record["closed_on"],
                                   opened=record["opened_on"]))
    if record["member_no"] and record["member_no"] in record["helpers"]:
        problems.append(FieldError("helpers", MEMBER_IS_HELPER, no=record["member_no"]))
    return record, problems


def check_id_open(store: Store, record: dict[str, Any], other_than: int | None = None) -> None:
    """One open case per ID number: a second is a Conflict naming the first."""
    if not record.get("id_card") or record.get("closed_on"):
        return
    row = store.one("SELECT id FROM aid_cases WHERE id_card = ? AND closed_on IS NULL "
                    "AND id IS NOT ?", (record["id_card"], other_than))
    if row:
        raise Conflict(ID_OPEN_CASE, field=Msg("身份证号", "id_card"),
                       value=f.mask_id_card(record["id_card"]),
                       id=row["id"])


def add_case(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    """Validate and insert one case (text as typed, None = not given)."""
    record, problems = validate_case(store, raw)
    if problems:
        raise problems[0]
    check_id_open(store, record)
    return get_case(store, insert_case(store, record))


def insert_case(store: Store, record: dict[str, Any], number: int | None = None) -> int:
    """Write a validated case and its paired members, audit it: the one insert path.
    ``number``: the case number to take (an import's, known to be free), else the next."""
    now = now_utc()
    row = {k: record.get(k) for k in CASE_WRITABLE if k != "helpers"}
    row["household"] = 1 if row["household"] else 0
    row.update(created_at=now, updated_at=now)
    case_id = store.insert("aid_cases", row, number)
    helpers = list(record.get("helpers") or [])
    store.conn.executemany("INSERT INTO aid_helpers (case_id, member_no) VALUES (?, ?)",
                           [(case_id, no) for no in helpers])
    after = {**row, "household": bool(row["household"]), "helpers": helpers}
    store.audit("aid_cases", case_id, "insert", None,
                {k: v for k, v in after.items() if v is not None and v != []})
    return case_id


_SEP = "\x1f"
_CASE_SELECT = (
    "SELECT c.id, c.name, c.household, c.id_card, c.phone, c.address, c.area, c.kind, "
    "c.member_no, (SELECT group_concat(h.member_no, char(31)) FROM aid_helpers h "
    "WHERE h.case_id = c.id) AS helpers, c.opened_on, c.closed_on, c.close_reason, c.note, "
    "c.created_at, c.updated_at FROM aid_cases c")


def _case_record(row: dict[str, Any]) -> dict[str, Any]:
    row["helpers"] = sorted(row["helpers"].split(_SEP)) if row["helpers"] else []
    row["household"] = bool(row["household"])
    return {k: row[k] for k in CASE_FIELDS}


def get_case(store: Store, id: object) -> dict[str, Any]:
    row = store.one(f"{_CASE_SELECT} WHERE c.id = ?", (record_id(id, NO_CASE),))
    if row is None:
        raise NotFound(NO_CASE, value=f.clean(id) or "")
    return _case_record(row)


def list_cases(store: Store, *, area: object = None, kind: object = None,
               status: object = "open", helper: object = None, limit: int | None = None,
               oldest_first: bool = False) -> tuple[Iterator[dict[str, Any]], int]:
    """Cases by area and number; ``status`` open (default), closed or all; ``helper`` the
    cases a member is paired with. Each carries ``given`` (aid records, not voided) and
    ``amount`` (their money, yuan)."""
    where, params = [], []
    if area is not None:
        where.append("c.area = ?")
        params.append(find_key(store, "areas", area))
    if kind is not None:
        where.append("c.kind = ?")
        params.append(AID_KINDS.resolve(kind, "kind"))
    state = AID_STATUSES.resolve(status if status is not None else "open", "status")
    if state == "open":
        where.append("c.closed_on IS NULL")
    elif state == "closed":
        where.append("c.closed_on IS NOT NULL")
    if helper is not None:
        where.append("c.id IN (SELECT case_id FROM aid_helpers WHERE member_no = ?)")
        params.append(find_key(store, "members", helper))
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM aid_cases c{clause}", params).fetchone()[0]
    totals = ("(SELECT count(*) FROM aid_given g WHERE g.case_id = c.id AND g.voided = 0) "
              "AS given_n, (SELECT coalesce(sum(g.amount_fen), 0) FROM aid_given g WHERE "
              "g.case_id = c.id AND g.voided = 0) AS given_fen")
    sql = (f"{_CASE_SELECT.replace(' FROM aid_cases c', f', {totals} FROM aid_cases c')}"
           f"{clause} ORDER BY {'c.id' if oldest_first else 'c.area, c.id'}")
    if limit is not None:
        sql += f" LIMIT {int(limit)}"

    def rows() -> Iterator[dict[str, Any]]:
        for row in store.rows(sql, params):
            n, fen = row.pop("given_n"), row.pop("given_fen")
            yield {**_case_record(row), "given": n, "amount": f.yuan(fen)}

    return rows(), total


def case_details(store: Store, id: object) -> dict[str, Any]:
    """A case with its aid (every record, voided marked), totals, and for a linked member
    the member's name and current category (placed = employed)."""
    case = get_case(store, id)
    case["aid"] = list(given_list(store, case=case["id"], include_voided=True))
    n, fen = store.execute("SELECT count(*), coalesce(sum(amount_fen), 0) FROM aid_given "
                           "WHERE case_id = ? AND voided = 0", (case["id"],)).fetchone()
    case["given"], case["amount"] = n, f.yuan(fen)
    if case["member_no"]:
        case["member"] = store.one("SELECT member_no, name, category, status FROM members "
                                   "WHERE member_no = ?", (case["member_no"],))
    return case


CASE_EDITABLE = ("name", "household", "id_card", "phone", "address", "area", "kind",
                 "member_no", "helpers", "opened_on", "note")
CASE_CLEARABLE = ("id_card", "phone", "address", "member_no", "helpers", "note")


def check_case_dates(store: Store, case: dict[str, Any], case_id: int | None) -> None:
    """A case's days fit its aid (edit and import alike): opened on or before its first
    aid, closed on or after the day opened and its last aid."""
    first = last = None
    if case_id is not None:
        first, last = store.execute(
            "SELECT min(date), max(date) FROM aid_given WHERE case_id = ? AND voided = 0",
            (case_id,)).fetchone()
    if first and case["opened_on"] > first:
        raise FieldError("opened_on", AID_BEFORE, id=case_id, date=first,
                         on=case["opened_on"])
    closed = case.get("closed_on")
    if closed and closed < case["opened_on"]:
        raise FieldError("closed_on", CLOSED_BEFORE, closed=closed, opened=case["opened_on"])
    if closed and last and last > closed:
        raise FieldError("closed_on", AID_AFTER_CLOSE, id=case_id, last=last, on=closed)


def edit_case(store: Store, id: object, raw: dict[str, object], clear: tuple[str, ...] = ()
              ) -> tuple[dict[str, Any], dict[str, Any]]:
    """Correct a case's fields (text as typed, None = not given) and empty the ``clear``
    ones, validated as ``add_case`` validates; audited with before/after. Its aid is not
    moved: the day opened stays on or before its first aid."""
    before = get_case(store, id)
    clear = tuple(f.clear_keys(clear, CASE_CLEARABLE, "aid_cases"))
    values = f.parse_edit(case_parsers(store), raw, clear, editable=CASE_EDITABLE, clearable=CASE_CLEARABLE, empty={"helpers": []})
    if "household" in values:
        values["household"] = bool(values["household"])
    merged = {**before, **values}
    check_case_dates(store, merged, before["id"])
    if merged["member_no"] and merged["member_no"] in merged["helpers"]:
        raise FieldError("helpers", MEMBER_IS_HELPER, no=merged["member_no"])
    check_id_open(store, merged, other_than=before["id"])
    changed = {k: v for k, v in values.items()
               if (sorted(v) != before[k] if k == "helpers" else before[k] != v)}
    if not changed:
        return before, before
    columns = {k: (int(v) if k == "household" else v) for k, v in changed.items()
               if k != "helpers"}
    store.execute(f"UPDATE aid_cases SET {', '.join(f'{k} = ?' for k in columns)}"
                  f"{', ' if columns else ''}updated_at = ? WHERE id = ?",
                  [*columns.values(), now_utc(), before["id"]])
    if "helpers" in changed:
        store.execute("DELETE FROM aid_helpers WHERE case_id = ?", (before["id"],))
        store.conn.executemany("INSERT INTO aid_helpers (case_id, member_no) VALUES (?, ?)",
                               [(before["id"], no) for no in changed["helpers"]])
    store.audit("aid_cases", before["id"], "update", before, {**before, **changed})
    return before, get_case(store, before["id"])


def close_case(store: Store, id: object, *, on: object = None, reason: object = None
               ) -> dict[str, Any]:
    """Close a case on a day (default today): no aid of it is dated after that day."""
    before = get_case(store, id)
    if before["closed_on"]:
        raise InvalidInput(ALREADY_CLOSED, id=before["id"], on=before["closed_on"])
    day = f.parse_date("on", on, today=store.today) or store.today.isoformat()
    if day < before["opened_on"]:
        raise FieldError("on", CLOSED_BEFORE, closed=day, opened=before["opened_on"])
    last = store.execute("SELECT max(date) FROM aid_given WHERE case_id = ? AND voided = 0",
                         (before["id"],)).fetchone()[0]
    if last and last > day:
        raise InvalidInput(AID_AFTER_CLOSE, id=before["id"], last=last, on=day)
    text = f.text_field("close_reason", reason, limit=500)
    now = now_utc()
    store.execute("UPDATE aid_cases SET closed_on = ?, close_reason = ?, updated_at = ? "
                  "WHERE id = ?", (day, text, now, before["id"]))
    after = {**before, "closed_on": day, "close_reason": text, "updated_at": now}
    store.audit("aid_cases", before["id"], "close", before, after)
    return after


# --- aid given ----------------------------------------------------------------------------


def given_parsers(store: Store, *, create: bool = True) -> dict[str, Callable[[object], object]]:
    """One validator per field of an aid record, shared by ``aid give`` and import;
    ``create`` as ``funds.income_parsers``."""
    return {
        "case": lambda v: get_case(store, v)["id"],
        "date": lambda v: f.parse_date("date", v, today=store.today),
        "form": lambda v: AID_FORMS.resolve(f.text_field("form", v, required=True), "form"),
        "amount": lambda v: f.parse_money("amount", v),
        "fund": lambda v: resolve_fund(store, v, create=create) if f.clean(v) else None,
        "note": lambda v: f.text_field("note", v, limit=2000),
    }


def validate_given(store: Store, raw: dict[str, object]
                   ) -> tuple[dict[str, Any], list[FieldError]]:
    """A complete aid record and every problem found: the case open on the day, money
    from a fund with its amount, a grant with its amount."""
    given = {k: v for k, v in raw.items() if v is not None}
    for name in ("case", "form"):
        given.setdefault(name, None)
    parsers = given_parsers(store)
    values: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, value in given.items():
        try:
            values[name] = parsers[name](value)
        except FieldError as exc:
            problems.append(exc)
        except NotFound as exc:  # the case named is not there
            problems.append(FieldError("case", exc.msg, **exc.params))
    record = {"case_id": values.get("case"), "date": values.get("date") or
              store.today.isoformat(), "form": values.get("form"),
              "amount_fen": values.get("amount"), "fund": values.get("fund"),
              "note": values.get("note")}
    if problems:
        return record, problems
    return record, given_problems(store, record)


def given_problems(store: Store, record: dict[str, Any]) -> list[FieldError]:
    """What is wrong with a parsed aid record (its case stored): the case open on the day,
    money from a fund with its amount, a grant with its amount. The fund is checked apart
    (``check_fund``)."""
    problems: list[FieldError] = []
    case = get_case(store, record["case_id"])
    if record["date"] < case["opened_on"]:
        problems.append(FieldError("date", BEFORE_OPENED, date=record["date"], id=case["id"],
                                   on=case["opened_on"]))
    if case["closed_on"] and record["date"] > case["closed_on"]:
        problems.append(FieldError("date", CASE_CLOSED, id=case["id"], on=case["closed_on"],
                                   date=record["date"]))
    if record["fund"] and record["amount_fen"] is None:
        problems.append(FieldError("amount", FUND_NEEDS_AMOUNT))
    elif record["form"] == "grant" and record["amount_fen"] is None:
        problems.append(FieldError("amount", GRANT_NEEDS_AMOUNT, form=AID_FORMS.label("grant")))
    return problems


def give(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    """Record aid given to a case: ``case``, ``date`` (default today), ``form``, ``amount``
    (yuan), ``fund``, ``note``. Money from a fund more than it holds on that day and after
    is refused (nothing written)."""
    record, problems = validate_given(store, raw)
    if problems:
        raise problems[0]
    check_fund(store, record)
    return get_given(store, insert_given(store, record))


def check_fund(store: Store, record: dict[str, Any]) -> None:
    """The fund holds the amount on the record's day and every later one."""
    if not record.get("fund") or not record.get("amount_fen"):
        return
    free = available(store, record["fund"], record["date"])
    if record["amount_fen"] > free:
        raise InvalidInput(OVERDRAWN, fund=fund_name(store, record["fund"]),
                           date=record["date"], available=f.yuan(max(free, 0), grouped=True),
                           amount=f.yuan(record["amount_fen"], grouped=True))


def insert_given(store: Store, record: dict[str, Any], number: int | None = None) -> int:
    """Write a validated aid record, audit it, return its number: the one insert path.
    ``number``: the number to take (an import's, known to be free), else the next."""
    now = now_utc()
    row = {k: record.get(k) for k in ("case_id", "date", "form", "amount_fen", "fund",
                                      "note")}
    if record.get("voided"):  # an import's voided record (its money never spent)
        row.update(voided=1, void_reason=record.get("void_reason"))
    row.update(created_at=now, updated_at=now)
    given_id = store.insert("aid_given", row, number)
    store.audit("aid_given", given_id, "insert", None,
                {k: v for k, v in row.items() if v is not None})
    return given_id


_GIVEN_SELECT = ("SELECT id, case_id, date, form, amount_fen, fund, note, voided, void_reason, "
                 "created_at, updated_at FROM aid_given")


def _given_record(row: dict[str, Any]) -> dict[str, Any]:
    row["case"] = row.pop("case_id")
    row["amount"] = f.yuan(row.pop("amount_fen"))
    row["voided"] = bool(row["voided"])
    return {k: row[k] for k in GIVEN_FIELDS}


def get_given(store: Store, id: object) -> dict[str, Any]:
    row = store.one(f"{_GIVEN_SELECT} WHERE id = ?", (record_id(id, NO_GIVEN),))
    if row is None:
        raise NotFound(NO_GIVEN, value=f.clean(id) or "")
    return _given_record(row)


def given_list(store: Store, *, case: object = None, period: f.Period | None = None,
               form: object = None, fund: object = None, include_voided: bool = False,
               by_id: bool = False) -> Iterator[dict[str, Any]]:
    """Aid records, oldest first (``by_id``: in the order entered, as an export lists them
    so a fresh database numbers them the same)."""
    clause, params = _given_filters(store, case=case, period=period, form=form, fund=fund,
                                    include_voided=include_voided)
    order = "id" if by_id else "date, id"
    return map(_given_record, store.rows(f"{_GIVEN_SELECT}{clause} ORDER BY {order}", params))


def given_totals(store: Store, *, case: object = None, period: f.Period | None = None,
                 form: object = None, fund: object = None) -> tuple[int, int]:
    """How many aid records (not voided) match, and their money in fen."""
    clause, params = _given_filters(store, case=case, period=period, form=form, fund=fund,
                                    include_voided=False)
    n, fen = store.execute(f"SELECT count(*), coalesce(sum(amount_fen), 0) FROM aid_given"
                           f"{clause}", params).fetchone()
    return n, fen


def _given_filters(store: Store, *, case: object, period: f.Period | None, form: object,
                   fund: object, include_voided: bool) -> tuple[str, list[Any]]:
    where, params = [], []
    if case is not None:
        where.append("case_id = ?")
        params.append(record_id(case, NO_CASE))
    if period is not None:
        where.append("date BETWEEN ? AND ?")
        params += [period.start.isoformat(), period.end.isoformat()]
    if form is not None:
        where.append("form = ?")
        params.append(AID_FORMS.resolve(form, "form"))
    if fund is not None:
        where.append("fund = ?")
        params.append(resolve_fund(store, fund))
    if not include_voided:
        where.append("voided = 0")
    return (f" WHERE {' AND '.join(where)}" if where else ""), params


def void_given(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Void an aid record (kept, audited): its money goes back to the fund's balance."""
    before = get_given(store, id)
    if before["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=before["id"], reason=before["void_reason"] or "")
    text = f.text_field("reason", reason, required=True, limit=500)
    now = now_utc()
    store.execute("UPDATE aid_given SET voided = 1, void_reason = ?, updated_at = ? "
                  "WHERE id = ?", (text, now, before["id"]))
    after = {**before, "voided": True, "void_reason": text, "updated_at": now}
    store.audit("aid_given", before["id"], "void", before, after)
    return after
