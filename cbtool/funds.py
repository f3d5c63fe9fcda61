"""Funds (帮困资金) and their ledger: the street's emergency hardship fund (街道急难帮困专项资金),
the Party mutual-aid fund (党内互助金) and any other an office adds; money coming in
(``add_income``) and each fund's balance on a day. Money is integer fen.

What may be spent on a day (``available``) is the least balance from that day on, so a
backdated spend cannot undo a later one; ``aid.give`` refuses more, and a trigger of the
schema refuses any overdraft whoever writes. Income is voided, never deleted; income that
was spent cannot be voided. No terminal code here."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from cbtool import fields as f
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.lookup import record_id
from cbtool.store import Store, now_utc
from cbtool.text import Msg
from cbtool.vocab import DEFAULT_FUNDS

INCOME_FIELDS = ["id", "fund", "date", "amount", "source", "note", "voided", "void_reason",
                 "created_at", "updated_at"]
FUND_FIELDS = ["code", "name", "note"]

NO_INCOME = Msg("找不到资金收入记录“{value}”", "no fund income '{value}'")
NO_FUND = Msg("{field}：没有资金“{value}”（可用：{allowed}；其他资金先用 cbtool aid fund-add 添加）",
              "{field}: no fund '{value}' (one of: {allowed}; add others with cbtool aid fund-add)")
FUND_EXISTS = Msg("资金 {code} 已存在（{name}）", "fund {code} exists already ({name})")
FUND_NAME_TAKEN = Msg("资金名称“{name}”已被 {code} 使用", "the fund name '{name}' is taken by {code}")
INCOME_SPENT = Msg(
    "作废这笔收入后资金“{fund}”在 {date} 的余额会是 {balance} 元（已支出），不能作废",
    "voiding this income would leave fund '{fund}' at {balance} yuan on {date} (spent "
    "already); it is not voided")
ALREADY_VOIDED = Msg("收入记录 #{id} 已作废（{reason}）", "income #{id} is voided already ({reason})")


# --- funds ------------------------------------------------------------------------------


def funds(store: Store) -> list[dict[str, Any]]:
    """Every fund: the stored ones, and the two standard ones though unused yet."""
    stored = {r["code"]: r for r in store.rows(
        f"SELECT {', '.join(FUND_FIELDS)} FROM funds ORDER BY rowid")}
    standard = [stored.pop(c, {"code": c, "name": n, "note": None})
                for c, n, _ in DEFAULT_FUNDS]
    return standard + list(stored.values())


def resolve_fund(store: Store, value: object, field: str = "fund", *, create: bool = False
                 ) -> str:
    """A fund by code, name or (for the standard two) a common short name. With
    ``create`` (money recorded) a standard fund is written to the funds table the first
    time it is used (audited)."""
    text = f.text_field(field, value, required=True, limit=100)
    row = store.one("SELECT code FROM funds WHERE code = ? COLLATE NOCASE OR name = ?",
                    (text, text))
    if row:
        return row["code"]
    for code, name, aliases in DEFAULT_FUNDS:
        if text.lower() in (code, name, *aliases):
            if create and not store.one("SELECT 1 FROM funds WHERE code = ?", (code,)):
                _insert_fund(store, {"code": code, "name": name, "note": None})
            return code
    allowed = "、".join(f"{fd['code']}/{fd['name']}" for fd in funds(store))
    raise FieldError(field, NO_FUND, value=text, allowed=allowed)


def _insert_fund(store: Store, record: dict[str, Any]) -> None:
    now = now_utc()
    store.execute("INSERT INTO funds (code, name, note, created_at, updated_at) "
                  "VALUES (?, ?, ?, ?, ?)", (record["code"], record["name"], record["note"],
                                             now, now))
    store.audit("funds", record["code"], "insert", None,
                {k: v for k, v in record.items() if v is not None})


def add_fund(store: Store, code: object, name: object, note: object = None) -> dict[str, Any]:
    """A fund besides the standard two (e.g. a unit's donation)."""
    record = {"code": f.parse_code("code", code),
              "name": f.text_field("name", name, required=True, limit=100),
              "note": f.text_field("note", note, limit=2000)}
    for fund in funds(store):
        if fund["code"].lower() == record["code"].lower():
            raise Conflict(FUND_EXISTS, code=fund["code"], name=fund["name"])
        if fund["name"] == record["name"]:
            raise Conflict(FUND_NAME_TAKEN, name=record["name"], code=fund["code"])
    _insert_fund(store, record)
    return record


def ensure_fund(store: Store, code: str | None) -> None:
    """A standard fund named by an import is in the funds table before money is recorded."""
    if code is not None:
        resolve_fund(store, code, create=True)


def fund_name(store: Store, code: str | None) -> str | None:
    if code is None:
        return None
    return next((fd["name"] for fd in funds(store) if fd["code"] == code), code)


def _daily(store: Store, fund: str) -> list[tuple[str, int]]:
    """The fund's net change per day (income minus spending, not voided), by day."""
    return store.execute(
        "SELECT date, sum(fen) FROM (SELECT date, amount_fen AS fen FROM fund_income "
        "WHERE fund = ? AND voided = 0 UNION ALL SELECT date, -amount_fen FROM aid_given "
        "WHERE fund = ? AND voided = 0) GROUP BY date ORDER BY date", (fund, fund)).fetchall()


def available(store: Store, fund: str, day: str) -> int:
    """What may be spent from ``fund`` on ``day`` without its balance going below zero on
    that day or any later one (records dated later count): the least running balance
    from that day on, in fen."""
    return least_from(_daily(store, fund), day)


def least_from(daily: Iterable[tuple[str, int]], day: str) -> int:
    """The least running balance from ``day`` on, of a fund's net change per day (by day)."""
    running = on_day = 0
    later = []
    for date, net in daily:
        running += net
        if date <= day:
            on_day = running
        else:
            later.append(running)
    return min([on_day, *later])


def first_shortfall(daily: Iterable[tuple[str, int]]) -> tuple[str, int] | None:
    """The first day a fund's running balance is below zero, and that balance."""
    running = 0
    for date, net in daily:
        running += net
        if running < 0:
            return date, running
    return None


class Running:
    """The funds' net change per day as stored, plus what an import would change: what a
    row may spend (``available``) and whether taking money back leaves every day at zero
    or more (``short_if``), rows taken in the order they are settled (``add``)."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._days: dict[str, dict[str, int]] = {}

    def daily(self, fund: str) -> list[tuple[str, int]]:
        return sorted(self._of(fund).items())

    def _of(self, fund: str) -> dict[str, int]:
        if fund not in self._days:
            self._days[fund] = dict(_daily(self.store, fund))
        return self._days[fund]

    def add(self, fund: str, day: str, fen: int) -> None:
        """Money in (fen > 0) or out (fen < 0) of ``fund`` on ``day``."""
        days = self._of(fund)
        days[day] = days.get(day, 0) + fen

    def available(self, fund: str, day: str) -> int:
        return least_from(self.daily(fund), day)

    def short_if(self, fund: str, day: str, fen: int) -> tuple[str, int] | None:
        """The first day the balance would be below zero were ``fen`` more (or, negative,
        less) on ``day``; None: it never is."""
        days = dict(self._of(fund))
        days[day] = days.get(day, 0) + fen
        return first_shortfall(sorted(days.items()))


def balance(store: Store, fund: str, day: str | None = None) -> int:
    """The fund's balance at the end of ``day`` (default: everything), in fen."""
    return sum(net for date, net in _daily(store, fund) if day is None or date <= day)


def ledger(store: Store, period: f.Period) -> list[dict[str, Any]]:
    """Each fund's opening balance, income, spending and closing balance in the period
    (fen), with the number of records of each."""
    start, end = period.start.isoformat(), period.end.isoformat()
    rows = []
    for fund in funds(store):
        code = fund["code"]
        opening = balance(store, code, _day_before(start))
        n_in, income = store.execute(
            "SELECT count(*), coalesce(sum(amount_fen), 0) FROM fund_income WHERE fund = ? "
            "AND voided = 0 AND date BETWEEN ? AND ?", (code, start, end)).fetchone()
        n_out, spent = store.execute(
            "SELECT count(*), coalesce(sum(amount_fen), 0) FROM aid_given WHERE fund = ? "
            "AND voided = 0 AND date BETWEEN ? AND ?", (code, start, end)).fetchone()
        rows.append({"fund": code, "name": fund["name"], "opening_fen": opening,
                     "income_fen": income, "income_records": n_in, "spent_fen": spent,
                     "spent_records": n_out, "closing_fen": opening + income - spent})
    return rows


def _day_before(day: str) -> str:
    from datetime import date, timedelta

    return (date.fromisoformat(day) - timedelta(days=1)).isoformat()


def income_parsers(store: Store, *, create: bool = True
                   ) -> dict[str, Callable[[object], object]]:
    """One validator per field of an income record, shared by ``aid income`` and import;
    ``create``: a standard fund is written to the funds table when first named (an import
    checks without writing, and writes it with the rows: ``ensure_fund``)."""
    return {
        "fund": lambda v: resolve_fund(store, v, create=create),
        "date": lambda v: f.parse_date("date", v, today=store.today),
        "amount": lambda v: _required_money("amount", v),
        "source": lambda v: f.text_field("source", v, limit=200),
        "note": lambda v: f.text_field("note", v, limit=2000),
    }


def _required_money(field: str, value: object) -> int:
    fen = f.parse_money(field, value)
    if fen is None:
        raise FieldError(field, f.REQUIRED)
    return fen


def add_income(store: Store, raw: dict[str, object]) -> dict[str, Any]:
    """Money coming into a fund (an allocation, donations): date (default today), amount
    in yuan, source, note."""
    given = {k: v for k, v in raw.items() if v is not None}
    for name in ("fund", "amount"):
        given.setdefault(name, None)
    values, problems = f.parse_fields(income_parsers(store), given)
    if problems:
        raise problems[0]
    record = {"fund": values["fund"], "date": values.get("date") or store.today.isoformat(),
              "amount_fen": values["amount"], "source": values.get("source"),
              "note": values.get("note")}
    return get_income(store, insert_income(store, record))


def insert_income(store: Store, record: dict[str, Any], number: int | None = None) -> int:
    """Write an income record, audit it, return its number: the one insert path (an
    import's voided record keeps ``voided`` and ``void_reason``; ``number``: the number
    to take, an import's known to be free, else the next)."""
    now = now_utc()
    row = {k: record.get(k) for k in ("fund", "date", "amount_fen", "source", "note")}
    if record.get("voided"):
        row.update(voided=1, void_reason=record.get("void_reason"))
    row.update(created_at=now, updated_at=now)
    income_id = store.insert("fund_income", row, number)
    store.audit("fund_income", income_id, "insert", None,
                {k: v for k, v in row.items() if v is not None})
    return income_id


def _income_record(row: dict[str, Any]) -> dict[str, Any]:
    row["amount"] = f.yuan(row.pop("amount_fen"))
    row["voided"] = bool(row["voided"])
    return {k: row[k] for k in INCOME_FIELDS}


_INCOME_SELECT = ("SELECT id, fund, date, amount_fen, source, note, voided, void_reason, "
                  "created_at, updated_at FROM fund_income")


def get_income(store: Store, id: object) -> dict[str, Any]:
    row = store.one(f"{_INCOME_SELECT} WHERE id = ?", (record_id(id, NO_INCOME),))
    if row is None:
        raise NotFound(NO_INCOME, value=f.clean(id) or "")
    return _income_record(row)


def list_income(store: Store, *, fund: object = None, period: f.Period | None = None,
                include_voided: bool = False, by_id: bool = False) -> Iterator[dict[str, Any]]:
    """Income records by date (``by_id``: in the order entered, as an export lists them so
    a fresh database numbers them the same)."""
    where, params = [], []
    if fund is not None:
        where.append("fund = ?")
        params.append(resolve_fund(store, fund))
    if period is not None:
        where.append("date BETWEEN ? AND ?")
        params += [period.start.isoformat(), period.end.isoformat()]
    if not include_voided:
        where.append("voided = 0")
    clause = f" WHERE {' AND '.join(where)}" if where else ""
    order = "id" if by_id else "date, id"
    return map(_income_record, store.rows(f"{_INCOME_SELECT}{clause} ORDER BY {order}",
                                          params))


def void_income(store: Store, id: object, reason: object) -> dict[str, Any]:
    """Void a fund's income (kept, audited): refused if the money was spent already, i.e.
    the balance would go below zero on some day."""
    before = get_income(store, id)
    if before["voided"]:
        raise InvalidInput(ALREADY_VOIDED, id=before["id"], reason=before["void_reason"] or "")
    text = f.text_field("reason", reason, required=True, limit=500)
    fen = store.execute("SELECT amount_fen FROM fund_income WHERE id = ?",
                        (before["id"],)).fetchone()[0]
    short = Running(store).short_if(before["fund"], before["date"], -fen)
    if short:
        raise InvalidInput(INCOME_SPENT, fund=fund_name(store, before["fund"]), date=short[0],
                           balance=f.yuan_shown(short[1]))
    now = now_utc()
    store.execute("UPDATE fund_income SET voided = 1, void_reason = ?, updated_at = ? "
                  "WHERE id = ?", (text, now, before["id"]))
    after = {**before, "voided": True, "void_reason": text, "updated_at": now}
    store.audit("fund_income", before["id"], "void", before, after)
    return after
