"""Importing the money of hardship aid: aid given (帮扶记录) and fund income (资金收入).

Neither has a number of the office's: a record is known by what it is (aid given: case,
day, form, amount and fund; income: fund, day, amount and source), and the n-th row of a
file with one such key is the n-th stored record with it (in the order entered). So two
like records (two visits on one day) stay two, a re-imported file or export changes
nothing, and an export loads into a fresh database as the same records, numbered alike.
What a stored record may change by import is its note and its voiding (a voided record
stays voided). No fund goes below zero on any day: a file's new spending is taken in date
order against the balance (the rows that would overdraw are rejected, naming the fund),
and income is not voided once it was spent.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from cbtool import fields as f
from cbtool.errors import FieldError, NotFound
from cbtool.importing.base import Importer, Row, record_number
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import (
    AID_VOID_REASON,
    DUPLICATE,
    INCOME_SPENT_ROW,
    MONEY_RECORD_CHANGED,
    NO_CASE_NUMBER,
    OVERDRAWN_ROW,
)
from cbtool.store import now_utc
from cbtool.text import Msg

_SEP = "\x1f"


class LedgerImporter(Importer):
    """What aid given and fund income share: keys by occurrence, note and void updates,
    the funds' running balance. ``natural``: the key's fields (values), ``columns``: the
    same in the table."""

    natural: tuple[str, ...] = ()
    columns: tuple[str, ...] = ()
    unique = frozenset({"note", "void_reason"})

    def __init__(self, store):
        from cbtool.funds import Running

        super().__init__(store)
        self.seen: dict[tuple, int] = {}  # natural key -> rows of the file with it so far
        self.parts: dict[str, tuple[tuple, int]] = {}  # key -> (natural key, occurrence)
        self.running = Running(store)

    def key(self, values):
        if any(values.get(k) is None for k in self.required):
            return None
        natural = tuple(values.get(k) for k in self.natural)
        n = self.seen[natural] = self.seen.get(natural, 0) + 1
        shown = [f.yuan(v) if k == "amount" else v for k, v in zip(self.natural, natural,
                                                                     strict=True)]
        key = _SEP.join("" if v is None else str(v) for v in shown) + f"{_SEP}({n})"
        self.parts[key] = (natural, n)
        return key

    def key_parts(self, key):  # the natural key's fields, then which of like records
        *values, n = key.split(_SEP)
        return [*zip(self.natural, values, strict=False), ("occurrence", n.strip("()"))]

    def preview_value(self, name, value):  # money as yuan, as the file has it
        return f.yuan(value) if name == "amount" else value

    def duplicate(self, row, first_line):  # never: each row's key has its occurrence
        return None, FieldError(self.natural[0], DUPLICATE, line=first_line,
                                value=(row.key or "").replace(_SEP, " "))

    def lookup(self, keys):
        naturals = list({self.parts[k][0] for k in keys})
        match = " AND ".join(f"t.{c} IS json_extract(j.value, '$[{i}]')"
                             for i, c in enumerate(self.columns))
        names = ("id", *self.columns, "note", "voided", "void_reason")
        stored: dict[tuple, list[dict[str, Any]]] = {}
        for r in self.in_keys(
                f"SELECT DISTINCT t.{', t.'.join(names)} FROM json_each(?) j JOIN "
                f"{self.table} t ON {match} ORDER BY t.id", naturals):
            record = dict(zip(names, r, strict=True))
            record["voided"] = bool(record["voided"])
            stored.setdefault(tuple(r[1:1 + len(self.columns)]), []).append(record)
        found = {}
        for k in keys:
            natural, n = self.parts[k]
            same = stored.get(natural, [])
            if n <= len(same):
                found[k] = same[n - 1]
        return found

    def prepare(self, rows, found):
        """Settle the chunk's rows, then its money in date order (the file's line within a
        day) against the funds' running balance."""
        money = []
        for row in rows:
            existing = found.get(row.key)
            if self.settle_row(row, existing) and (spend := self.money(row, existing)):
                money.append((row.values["date"], row.line, row, spend))
        for _day, _line, row, (fund, fen) in sorted(money, key=lambda m: m[:2]):
            self.take(row, fund, fen)

    def classify(self, row, existing):  # settled in ``prepare``, with the chunk's money
        pass

    def settle_row(self, row: Row, existing: dict[str, Any] | None) -> bool:
        """The row's action, or its problems (False)."""
        v = row.values
        voids = bool(v.get("voided")) and not (existing and existing["voided"])
        if voids and not v.get("void_reason"):
            row.problems.append(("void_reason", FieldError("void_reason", AID_VOID_REASON)))
            return False
        if existing is None and v.get("id") is not None and (
                problem := self.changed_record(v["id"])):
            row.problems.append(("id", problem))
            return False
        if existing is None:
            if problems := self.new_problems(v):
                row.problems.extend((p.field, p) for p in problems)
                return False
            row.action = "insert"
            return True
        changed = voids or (self.has(row, "note") and v.get("note") != existing["note"])
        row.action, row.target = ("update", existing["id"]) if changed else ("unchanged", None)
        return True

    def new_problems(self, values: dict[str, Any]) -> list[FieldError]:
        return []

    def changed_record(self, number: int) -> FieldError | None:
        """An exported row whose record number is stored but whose key is not: the file
        changed the money's day, amount, form or fund — refused (a number not stored, as in
        a fresh database, is a new record)."""
        cols = ", ".join(self.columns)
        stored = self.store.execute(f"SELECT {cols} FROM {self.table} WHERE id = ?",
                                    (number,)).fetchone()
        if stored is None:
            return None
        shown = Msg(*(" ".join(filter(None, (self._shown(c, v, lang) for c, v in
                                            zip(self.columns, stored, strict=True))))
                      for lang in ("zh", "en")))
        void = "cbtool aid void" if self.table == "aid_given" else "cbtool aid income-void"
        return FieldError("id", MONEY_RECORD_CHANGED, id=number, stored=shown, void=void)

    def _shown(self, column: str, value: Any, lang: str) -> str:
        """A stored key field as the lists show it: labels and names, never stored keys."""
        from cbtool.funds import fund_name
        from cbtool.vocab import AID_FORMS

        if value is None:
            return ""
        if column == "amount_fen":
            return f.yuan_shown(value) + (" yuan" if lang == "en" else " 元")
        if column == "case_id":
            return f"#{value}"
        if column == "form":
            return AID_FORMS.label(value, lang)
        if column == "fund":
            return fund_name(self.store, value) or value
        return str(value)

    def money(self, row: Row, existing: dict[str, Any] | None) -> tuple[str, int] | None:
        """(fund, fen) the row takes from a fund's balance (negative) or adds, if any."""
        raise NotImplementedError

    def take(self, row: Row, fund: str, fen: int) -> None:
        raise NotImplementedError

    def fail(self, row: Row, problem: FieldError) -> None:
        row.problems.append((problem.field, problem))
        row.action, row.target = "", None

    def update(self, table: str, get: Callable[[Any], dict[str, Any]], target: int,
               values: dict[str, Any]) -> None:
        """A stored record's note and voiding as the row gives them, audited."""
        before = get(target)
        sets: dict[str, Any] = {}
        if "note" in values and values["note"] != before["note"]:
            sets["note"] = values["note"]
        if values.get("voided") and not before["voided"]:
            sets.update(voided=1, void_reason=values.get("void_reason"))
        if not sets:
            return
        self.store.execute(f"UPDATE {table} SET {', '.join(f'{k} = ?' for k in sets)}, "
                           "updated_at = ? WHERE id = ?", [*sets.values(), now_utc(), target])
        self.store.audit(table, target, "update", before, get(target))

    def audit_import(self):  # every record written is audited by itself
        pass


def _flags() -> dict[str, Callable[[object], object]]:
    return {"id": record_number,  # an export's record number
            "voided": lambda v: f.parse_bool("voided", v),
            "void_reason": lambda v: f.text_field("void_reason", v, limit=500)}


class AidGivenImporter(LedgerImporter):
    """Aid given (帮扶记录) by case + day + form + amount + fund, and occurrence."""

    kind = "aid-given"
    table = "aid_given"
    required = ("case", "date", "form")
    staged = tuple(HEADINGS["aid-given"])
    key_fields = frozenset({"case", "date", "form", "amount", "fund"})
    natural = ("case", "date", "form", "amount", "fund")
    columns = ("case_id", "date", "form", "amount_fen", "fund")

    def parsers(self):
        from cbtool import aid

        parsers = aid.given_parsers(self.store, create=False)
        by_number = parsers["case"]

        def case(value: object) -> int:
            try:
                return by_number(value)
            except NotFound:  # a cell's problem; a name typed instead stays masked
                text = f.clean(value) or ""
                shown = text if text.lstrip("#").isdigit() else f.mask_name(text)
                raise FieldError("case", NO_CASE_NUMBER, value=shown) from None

        return {**parsers, "case": case, **_flags()}

    def new_problems(self, values):
        from cbtool import aid

        return aid.given_problems(self.store, _given_record(values))

    def money(self, row, existing):
        v = row.values
        if existing is None and not v.get("voided") and v.get("fund") and v.get("amount"):
            return v["fund"], -v["amount"]
        return None

    def take(self, row, fund, fen):
        from cbtool.funds import fund_name

        day = row.values["date"]
        free = self.running.available(fund, day)
        if -fen > free:
            self.fail(row, FieldError(
                "amount", OVERDRAWN_ROW, fund=fund_name(self.store, fund), date=day,
                available=f.yuan_shown(max(free, 0)), amount=f.yuan_shown(-fen)))
            return
        self.running.add(fund, day, fen)

    def write(self, action, rows):
        from cbtool import aid
        from cbtool.funds import ensure_fund

        for _line, target, _mask, values in rows:
            if action == "insert":
                record = _given_record(values)
                ensure_fund(self.store, record["fund"])
                aid.insert_given(self.store, record, self.kept_number(values))
            else:
                self.update("aid_given", lambda i: aid.get_given(self.store, i), target,
                            values)


def _given_record(values: dict[str, Any]) -> dict[str, Any]:
    return {"case_id": values["case"], "date": values["date"], "form": values["form"],
            "amount_fen": values.get("amount"), "fund": values.get("fund"),
            "note": values.get("note"), "voided": bool(values.get("voided")),
            "void_reason": values.get("void_reason") if values.get("voided") else None}


class FundIncomeImporter(LedgerImporter):
    """Fund income (资金收入) by fund + day + amount + source, and occurrence."""

    kind = "aid-income"
    table = "fund_income"
    required = ("fund", "date", "amount")
    staged = tuple(HEADINGS["aid-income"])
    key_fields = frozenset({"fund", "date", "amount", "source"})
    natural = ("fund", "date", "amount", "source")
    columns = ("fund", "date", "amount_fen", "source")

    def parsers(self):
        from cbtool import funds

        return {**funds.income_parsers(self.store, create=False), **_flags()}

    def money(self, row, existing):
        v = row.values
        if existing is None:  # new money (voided: none) may pay for a voided one
            if not v.get("voided"):
                self.running.add(v["fund"], v["date"], v["amount"])
            return None
        if row.action == "update" and v.get("voided") and not existing["voided"]:
            return existing["fund"], -v["amount"]
        return None

    def take(self, row, fund, fen):
        from cbtool.funds import fund_name

        day = row.values["date"]
        short = self.running.short_if(fund, day, fen)
        if short:
            self.fail(row, FieldError("voided", INCOME_SPENT_ROW, fund=fund_name(self.store,
                                                                                fund),
                                      date=short[0], balance=f.yuan_shown(short[1])))
            return
        self.running.add(fund, day, fen)

    def write(self, action, rows):
        from cbtool import funds

        for _line, target, _mask, values in rows:
            if action == "insert":
                funds.ensure_fund(self.store, values["fund"])
                funds.insert_income(self.store, {
                    "fund": values["fund"], "date": values["date"],
                    "amount_fen": values["amount"], "source": values.get("source"),
                    "note": values.get("note"), "voided": bool(values.get("voided")),
                    "void_reason": values.get("void_reason") if values.get("voided") else None},
                    self.kept_number(values))
            else:
                self.update("fund_income", lambda i: funds.get_income(self.store, i), target,
                            values)
