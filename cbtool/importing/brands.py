"""Importing brand projects (一居一品): one row, one area's brand."""

from __future__ import annotations

from typing import Any

from cbtool.errors import Conflict, FieldError
from cbtool.importing.base import Importer, record_number
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE_BRAND, SECOND_BRAND
from cbtool.store import now_utc

_KEY = ("area", "name")
_FIELDS = ("description", "since", "status", "note")


class BrandImporter(Importer):
    """Brands by area + name; one current (not ended) brand per area, as ``brands add``."""

    kind = "brands"
    table = "brands"
    identity = _KEY
    repeated = DUPLICATE_BRAND
    required = ("area", "name")
    unique = frozenset({"description", "note"})
    staged = tuple(HEADINGS["brands"])
    key_fields = frozenset(_KEY)

    def parsers(self):
        from cbtool import brands
        return {**brands.field_parsers(self.store), "id": record_number}

    def lookup(self, keys):
        cols = ("id", *_KEY, *_FIELDS)
        return {f"{r[1]}\x1f{r[2]}": dict(zip(cols, r, strict=True)) for r in self.in_keys(
            f"SELECT {', '.join(cols)} FROM brands WHERE {self.identity_in()}", keys)}

    def classify(self, row, existing):
        from cbtool import brands

        v = row.values
        merged: dict[str, Any] = {**(existing or {}), **{k: v.get(k) for k in (*_KEY, *_FIELDS)
                                                         if self.has(row, k) or k in _KEY}}
        merged["status"] = merged.get("status") or "growing"
        if merged["status"] != "ended":  # one current brand per area, in the file too
            taken = self.__dict__.setdefault("current", {})  # area -> (name, line)
            name, line = taken.setdefault(merged["area"], (merged["name"], row.line))
            if name != merged["name"]:
                row.problems.append(("area", FieldError("area", SECOND_BRAND, line=line,
                                                        area=merged["area"], name=name)))
                return
        try:
            brands.check(self.store, merged, other_than=existing and existing["id"])
        except Conflict as exc:
            row.problems.append(("area", FieldError("area", exc.msg, **exc.params)))
            return
        self.settle(row, existing, merged, _FIELDS)

    def write(self, action, rows):
        from cbtool import brands

        store = self.store
        for _line, target, _mask, values in rows:
            record = {k: values.get(k) for k in (*_KEY, *_FIELDS)}
            if action == "insert":
                brands.insert(store, record, self.kept_number(values))
                continue
            before = store.one(f"SELECT {', '.join(record)} FROM brands WHERE id = ?", (target,))
            changed = {k: val for k, val in record.items() if before[k] != val}
            if changed:
                store.execute(f"UPDATE brands SET {', '.join(f'{k} = ?' for k in changed)}, "
                              "updated_at = ? WHERE id = ?", [*changed.values(), now_utc(),
                                                              target])
                store.audit("brands", target, "update", before, {**before, **changed})

    def audit_import(self):  # every brand written is audited above (brands.insert too)
        pass
