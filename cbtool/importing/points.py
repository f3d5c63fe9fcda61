"""Importing service points (the centre and the areas' points)."""

from __future__ import annotations

from cbtool.errors import FieldError
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.store import now_utc


class PointImporter(Importer):
    """Points (and the centre) by code: names, addresses, notes, whether open and since
    when closed travel with them. An area's own point exists once the area does, so a
    points file updates it; the centre and other points are inserted."""

    kind = "points"
    table = "points"
    identity = ("code",)
    required = ("code", "name")
    unique = frozenset({"code", "name", "address"})
    staged = tuple(HEADINGS["points"])
    key_fields = frozenset({"code"})
    _FIELDS = ("name", "kind", "area", "address", "note", "active", "closed_on")

    def parsers(self):
        from cbtool.areas import point_field_parsers

        return point_field_parsers(self.store)

    def lookup(self, keys):
        cols = ("code", *self._FIELDS)
        found = {r[0]: dict(zip(cols, r, strict=True)) for r in self.in_keys(
            f"SELECT {', '.join(cols)} FROM points WHERE code IN (SELECT value FROM "
            "json_each(?))", keys)}
        for r in found.values():
            r["active"] = bool(r["active"])
        if not hasattr(self, "centre"):
            centre = self.store.one("SELECT code FROM points WHERE kind = 'centre'")
            self.centre = centre["code"] if centre else None
        return found

    def classify(self, row, existing):
        from cbtool.areas import CENTRE_NO_AREA, ONE_CENTRE

        v = row.values
        merged = {**(existing or {"kind": "point", "active": True}),
                  **{k: v.get(k) for k in self._FIELDS if self.has(row, k)}}
        if merged.get("kind") is None:
            merged["kind"] = existing["kind"] if existing else "point"
        if merged.get("active") is None:
            merged["active"] = existing["active"] if existing else True
        if merged["kind"] == "centre" and merged.get("area"):
            row.problems.append(("area", FieldError("area", CENTRE_NO_AREA)))
        if merged["kind"] == "centre" and self.centre not in (None, v["code"]):
            row.problems.append(("kind", FieldError("kind", ONE_CENTRE, code=self.centre)))
        if row.problems:
            return
        if merged["kind"] == "centre":
            self.centre = v["code"]
        if merged["active"]:
            merged["closed_on"] = None
        elif not merged.get("closed_on"):
            merged["closed_on"] = self.store.today.isoformat()
        self.settle(row, existing, merged, self._FIELDS)

    def write(self, action, rows):
        from cbtool import areas

        store = self.store
        for _line, _target, _mask, values in rows:
            record = {"code": values["code"], **{k: values.get(k) for k in self._FIELDS}}
            record["active"] = int(bool(record["active"]))
            if action == "insert":
                areas._insert_point(store, record)  # noqa: SLF001 - the one insert of a point
                continue
            before = store.one(f"SELECT {', '.join(record)} FROM points WHERE code = ?",
                               (record["code"],))
            changed = {k: val for k, val in record.items() if before[k] != val}
            if changed:
                store.execute(f"UPDATE points SET {', '.join(f'{k} = ?' for k in changed)}, "
                              "updated_at = ? WHERE code = ?",
                              [*changed.values(), now_utc(), record["code"]])
                store.audit("points", record["code"], "update", before, {**before, **changed})

    def audit_import(self):  # every point written is audited above
        pass
