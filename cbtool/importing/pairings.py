"""Importing pairings (结对共建): one row, one point paired with one unit from a day."""

from __future__ import annotations

from typing import Any

from cbtool.errors import Conflict, FieldError
from cbtool.importing.base import NumberedImporter, record_number
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE_PAIRING, SECOND_PAIRING
from cbtool.store import now_utc

_FIELDS = ("branch", "contact", "phone", "until", "headings", "note", "end_reason")
_KEY = ("point", "unit", "since")


class PairingImporter(NumberedImporter):
    """Pairings by point + unit + start day: the other fields travel with them. New
    pairings get their numbers in file order (an export re-imports to the same ones)."""

    kind = "pairings"
    table = "pairings"
    identity = _KEY
    repeated = DUPLICATE_PAIRING
    required = ("point", "unit", "since", "headings")
    unique = frozenset({"phone", "note", "contact"})
    staged = tuple(HEADINGS["pairings"])
    key_fields = frozenset({*_KEY, "id"})
    json_fields = frozenset({"headings"})

    def __init__(self, store):
        super().__init__(store)
        # (point, unit) -> [(since, until, line)]: the file's pairings so far
        self.spans: dict[tuple[str, str], list[tuple[str, str | None, int]]] = {}

    def parsers(self):
        from cbtool import pairings

        return {**pairings.field_parsers(self.store), "id": record_number}

    def lookup(self, keys):
        cols = ("id", *_KEY, *_FIELDS)
        select = f"SELECT {', '.join(cols)} FROM pairings WHERE "
        numbered, natural = self.split_keys(keys)
        found: dict[str, dict[str, Any]] = {}
        for by_id, rows in (
                (True, self.in_keys(select + "id IN (SELECT value FROM json_each(?))",
                                    numbered) if numbered else ()),
                (False, self.in_keys(select + self.identity_in(), natural))):
            for r in rows:
                record = dict(zip(cols, r, strict=True))
                record["headings"] = record["headings"].split(",") if record["headings"] else []
                found[f"#{record['id']}" if by_id else
                      "\x1f".join(record[k] for k in _KEY)] = record
        return found

    def classify(self, row, existing):
        from cbtool import pairings

        existing = self.stored(row, existing)

        v = row.values
        merged = {**(existing or {}), **{k: v.get(k) for k in (*_KEY, *_FIELDS)
                                         if self.has(row, k) or k in _KEY}}
        record = {k: merged.get(k) for k in (*_KEY, *_FIELDS)}
        try:
            pairings.check_fits(self.store, record, existing and existing["id"])
        except FieldError as exc:
            row.problems.append((exc.field, exc))
            return
        try:
            pairings.check_same(self.store, record, other_than=existing and existing["id"])
        except Conflict as exc:
            row.problems.append(("unit", FieldError("unit", exc.msg, **exc.params)))
            return
        # once at a time in the file too: an earlier row of the same point and unit whose
        # time overlaps this one's (open ends run on)
        spans = self.spans
        since, until = record["since"], record["until"]
        for other_since, other_until, line in spans.get((record["point"], record["unit"]), ()):
            if (other_until is None or since <= other_until) and (
                    until is None or other_since <= until):
                row.problems.append(("unit", FieldError(
                    "unit", SECOND_PAIRING, line=line, point=record["point"],
                    unit=record["unit"], since=other_since)))
                return
        spans.setdefault((record["point"], record["unit"]), []).append((since, until, row.line))
        self.settle(row, existing, record, (*_KEY, *_FIELDS))

    def write(self, action, rows):
        from cbtool import pairings

        store = self.store
        for _line, target, _mask, values in rows:
            record = {k: values.get(k) for k in (*_KEY, *_FIELDS)}
            if action == "insert":
                pairings.insert(store, record, self.kept_number(values))
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
