"""Importing pairings (结对共建): one row, one point paired with one unit from a day."""

from __future__ import annotations

from typing import Any

from cbtool.errors import Conflict, FieldError
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE_PAIRING
from cbtool.store import now_utc

_FIELDS = ("branch", "contact", "phone", "until", "headings", "note", "end_reason")
_KEY = ("point", "unit", "since")


class PairingImporter(Importer):
    """Pairings by point + unit + start day: the other fields travel with them. New
    pairings get their numbers in file order (an export re-imports to the same ones)."""

    kind = "pairings"
    table = "pairings"
    identity = _KEY
    repeated = DUPLICATE_PAIRING
    required = ("point", "unit", "since", "headings")
    unique = frozenset({"phone", "note", "contact"})
    staged = tuple(HEADINGS["pairings"])
    key_fields = frozenset(_KEY)
    json_fields = frozenset({"headings"})

    def parsers(self):
        from cbtool import pairings

        return pairings.field_parsers(self.store)

    def lookup(self, keys):
        cols = ("id", *_KEY, *_FIELDS)
        found: dict[str, dict[str, Any]] = {}
        for r in self.in_keys(
                f"SELECT {', '.join(cols)} FROM pairings WHERE {self.identity_in()}", keys):
            record = dict(zip(cols, r, strict=True))
            record["headings"] = record["headings"].split(",") if record["headings"] else []
            found["\x1f".join(record[k] for k in _KEY)] = record
        return found

    def classify(self, row, existing):
        from cbtool import pairings

        v = row.values
        merged = {**(existing or {}), **{k: v.get(k) for k in (*_KEY, *_FIELDS)
                                         if self.has(row, k) or k in _KEY}}
        if merged.get("until") and merged["until"] < merged["since"]:
            row.problems.append(("until", FieldError("until", pairings.UNTIL_BEFORE,
                                                     until=merged["until"],
                                                     since=merged["since"])))
            return
        record = {k: merged.get(k) for k in (*_KEY, *_FIELDS)}
        try:
            pairings.check_same(self.store, record, other_than=existing and existing["id"])
        except Conflict as exc:
            row.problems.append(("unit", FieldError("unit", exc.msg, **exc.params)))
            return
        self.settle(row, existing, record, _FIELDS)

    def write(self, action, rows):
        from cbtool import pairings

        store = self.store
        for _line, target, _mask, values in rows:
            record = {k: values.get(k) for k in (*_KEY, *_FIELDS)}
            if action == "insert":
                pairings.insert(store, record)
                continue
            record["headings"] = ",".join(record["headings"] or [])
            before = store.one(f"SELECT {', '.join(record)} FROM pairings WHERE id = ?",
                               (target,))
            changed = {k: val for k, val in record.items() if before[k] != val}
            if changed:
                store.execute(f"UPDATE pairings SET {', '.join(f'{k} = ?' for k in changed)}, "
                              "updated_at = ? WHERE id = ?", [*changed.values(), now_utc(),
                                                              target])
                store.audit("pairings", target, "update", before, {**before, **changed})

    def audit_import(self):  # every pairing written is audited above (pairings.insert too)
        pass
