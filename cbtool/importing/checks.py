"""Importing five-haves checks (one row: one point, item and day)."""

from __future__ import annotations

from cbtool.errors import FieldError
from cbtool.importing.auditing import TRUE_JSON, audit_select
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import CHECK_VOID_REASON, DUPLICATE_CHECK
from cbtool.importing.stage import STAGE
from cbtool.store import now_utc


class CheckImporter(Importer):
    kind = "checklist"
    table = "checks"
    bulk_insert = True
    identity = ("point", "item", "date")
    repeated = DUPLICATE_CHECK
    required = ("point", "item", "ok", "date")
    staged = tuple(HEADINGS["checklist"])
    key_fields = frozenset({"point", "item", "date"})

    def parsers(self):
        from cbtool import checklist

        return checklist.field_parsers(self.store)

    def lookup(self, keys):
        found = {}
        for point, item, day, ok, inspector, note, voided, reason in self.in_keys(
                "SELECT point, item, date, ok, inspector, note, voided, void_reason FROM checks "
                f"WHERE {self.identity_in()}", keys):
            found[f"{point}\x1f{item}\x1f{day}"] = {"ok": bool(ok), "inspector": inspector,
                                                   "note": note, "voided": bool(voided),
                                                   "void_reason": reason}
        return found

    def classify(self, row, existing):
        v = row.values
        if v.get("voided") and not v.get("void_reason") and not (existing and existing["voided"]):
            row.problems.append(("void_reason", FieldError("void_reason", CHECK_VOID_REASON)))
            return
        if existing is None:
            row.action = "insert"
        elif existing["voided"]:  # a voided check stays voided (an older file does not undo it)
            row.action = "unchanged"
        else:
            for name in ("inspector", "note"):  # a column the file lacks keeps its value
                if not self.has(row, name):
                    v[name] = existing[name]
                    row.present |= self.bit[name]
            same = all(existing[k] == v.get(k) for k in ("ok", "inspector", "note")) and \
                not v.get("voided")
            row.action = "unchanged" if same else "update"
        if row.action != "unchanged":  # no check at a point after it closed
            if not hasattr(self, "departures"):
                from cbtool.consistency import Departures

                self.departures = Departures(self.store)
            if error := self.departures.point(v["point"], v["date"], "checks"):
                row.problems.append(("point", error))

    def insert_parked(self):
        now = now_utc()
        self.store.execute(
            "INSERT INTO checks (point, item, ok, date, inspector, note, voided, void_reason, "
            "created_at, updated_at) SELECT point, item, ok, date, inspector, note, "
            "coalesce(voided, 0), CASE WHEN voided THEN void_reason END, ?, ? "
            f"FROM temp.{STAGE} WHERE action = 'insert' ORDER BY line", (now, now))

    def audit_parked(self, marks):
        audit_select(self.store, self.plan, "checks",
                      "c.point || '/' || c.item || '/' || c.date",
                      [("point", "c.point"), ("item", "c.item"), ("ok", TRUE_JSON.format("c.ok")),
                       ("date", "c.date"), ("inspector", "c.inspector"), ("note", "c.note"),
                       ("voided", "CASE WHEN c.voided THEN json('true') END"),
                       ("void_reason", "c.void_reason")],
                      "checks c WHERE c.id > ? ORDER BY c.id", (marks["checks"],))

    def write(self, action, rows):
        from cbtool import checklist

        for _line, _target, _mask, values in rows:
            checklist.upsert_check(self.store, values)
