"""Importing hardship cases (困难对象) with their paired members."""

from __future__ import annotations

from typing import Any

from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.importing.base import NumberedImporter, record_number
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE_CASE, SECOND_OPEN_CASE
from cbtool.store import now_utc

_KEY = ("name", "area", "opened_on")
_FIELDS = ("household", "id_card", "phone", "address", "kind", "member_no", "helpers",
           "closed_on", "close_reason", "note")


class AidCaseImporter(NumberedImporter):
    """Cases by name + area + day opened: the other fields travel with them (the paired
    members as a list). New cases get their numbers in file order."""

    kind = "aid"
    table = "aid_cases"
    identity = _KEY
    required = ("name", "area", "kind", "opened_on")
    unique = frozenset({"id_card", "phone", "address", "note", "helpers"})
    staged = tuple(HEADINGS["aid"])
    key_fields = frozenset({*_KEY, "id"})
    json_fields = frozenset({"helpers"})

    def __init__(self, store):
        super().__init__(store)
        self.open_ids: dict[str, int] = {}  # an open case's ID number -> its line in the file

    def parsers(self):
        from cbtool import aid

        return {**aid.case_parsers(self.store), "id": record_number}

    def duplicate(self, row, first_line):
        v = row.values
        return None, InvalidInput(DUPLICATE_CASE, line=first_line,
                                  value=f"{v['area']} {v['opened_on']}")

    def lookup(self, keys):
        from cbtool import aid

        found: dict[str, dict[str, Any]] = {}
        numbered, natural = self.split_keys(keys)
        for (case_id,) in self.in_keys(
                "SELECT id FROM aid_cases WHERE id IN (SELECT value FROM json_each(?))",
                numbered) if numbered else ():
            found[f"#{case_id}"] = aid.get_case(self.store, case_id)
        for (case_id,) in self.in_keys(
                f"SELECT id FROM aid_cases WHERE {self.identity_in()}", natural):
            record = aid.get_case(self.store, case_id)
            found["\x1f".join(record[k] for k in _KEY)] = record
        return found

    def classify(self, row, existing):
        from cbtool import aid

        existing = self.stored(row, existing)

        v = row.values
        merged = {**(existing or {"household": False, "helpers": []}),
                  **{k: v.get(k) for k in (*_KEY, *_FIELDS) if self.has(row, k) or k in _KEY}}
        merged["household"] = bool(merged.get("household"))
        merged["helpers"] = merged.get("helpers") or []
        record = {k: merged.get(k) for k in (*_KEY, *_FIELDS)}
        try:
            aid.check_case_dates(self.store, record, existing and existing["id"])
        except FieldError as exc:
            row.problems.append((exc.field, exc))
            return
        try:
            aid.check_id_open(self.store, record, other_than=existing and existing["id"])
        except Conflict as exc:
            params = {k: v for k, v in exc.params.items() if k != "field"}  # its own label
            row.problems.append(("id_card", FieldError("id_card", exc.msg, **params)))
            return
        if record.get("id_card") and not record.get("closed_on"):  # in the file too
            from cbtool.fields import mask_id_card

            line = self.open_ids.get(record["id_card"])
            if line is None:
                self.open_ids[record["id_card"]] = row.line
            else:
                row.problems.append(("id_card", FieldError(
                    "id_card", SECOND_OPEN_CASE, line=line,
                    value=mask_id_card(record["id_card"]))))
                return
        self.settle(row, existing, record, (*_KEY, *_FIELDS), lambda k: (
            sorted(existing[k]) == sorted(record[k]) if k == "helpers"
            else existing[k] == record[k]))

    def write(self, action, rows):
        from cbtool import aid

        store = self.store
        for _line, target, _mask, values in rows:
            record = {k: values.get(k) for k in (*_KEY, *_FIELDS)}
            record["household"] = bool(record["household"])
            record["helpers"] = sorted(set(record["helpers"] or []))
            if action == "insert":
                aid.insert_case(store, record, self.kept_number(values))
                continue
            before = aid.get_case(store, target)
            changed = {k: val for k, val in record.items() if before[k] != val}
            if not changed:
                continue
            columns = {k: (int(val) if k == "household" else val)
                       for k, val in changed.items() if k != "helpers"}
            if columns:
                store.execute(f"UPDATE aid_cases SET {', '.join(f'{k} = ?' for k in columns)}, "
                              "updated_at = ? WHERE id = ?", [*columns.values(), now_utc(),
                                                              target])
            if "helpers" in changed:
                store.execute("DELETE FROM aid_helpers WHERE case_id = ?", (target,))
                store.conn.executemany(
                    "INSERT INTO aid_helpers (case_id, member_no) VALUES (?, ?)",
                    [(target, no) for no in changed["helpers"]])
            store.audit("aid_cases", target, "update", before, {**before, **changed})

    def audit_import(self):  # every case written is audited above (aid.insert_case too)
        pass
