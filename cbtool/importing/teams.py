"""Importing volunteer teams (志愿者队伍)."""

from __future__ import annotations

from cbtool.errors import InvalidInput
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.store import now_utc


class TeamImporter(Importer):
    """Teams by code: what they are, who organises them, whether active and since when
    closed travel with them; each team written is audited by itself."""

    kind = "teams"
    table = "teams"
    identity = ("code",)
    required = ("code", "name", "field")
    unique = frozenset({"code", "name", "note"})
    staged = tuple(HEADINGS["teams"])
    key_fields = frozenset({"code"})
    _FIELDS = ("name", "point", "unit", "field", "leader", "founded_on", "active",
               "closed_on", "note")

    def parsers(self):
        from cbtool.teams import field_parsers

        return field_parsers(self.store)

    def lookup(self, keys):
        cols = ("code", *self._FIELDS)
        found = {r[0]: dict(zip(cols, r, strict=True)) for r in self.in_keys(
            f"SELECT {', '.join(cols)} FROM teams WHERE code IN (SELECT value FROM "
            "json_each(?))", keys)}
        for r in found.values():
            r["active"] = bool(r["active"])
        return found

    def classify(self, row, existing):
        from cbtool.teams import _check

        v = row.values
        merged = {**(existing or {"active": True}),
                  **{k: v.get(k) for k in self._FIELDS if self.has(row, k)}}
        if merged.get("active") is None:
            merged["active"] = existing["active"] if existing else True
        if merged["active"]:
            merged["closed_on"] = None
        elif not merged.get("closed_on"):
            merged["closed_on"] = (existing or {}).get("closed_on") or \
                self.store.today.isoformat()
        try:
            _check(merged)
        except InvalidInput as exc:
            row.problems.append((getattr(exc, "field", "unit"), exc))
            return
        self.settle(row, existing, merged, self._FIELDS)

    def write(self, action, rows):
        from cbtool import teams

        store = self.store
        for _line, _target, _mask, values in rows:
            record = {"code": values["code"], **{k: values.get(k) for k in self._FIELDS}}
            if action == "insert":
                teams.insert(store, record)  # the one insert of a team
                continue
            record["active"] = int(bool(record["active"]))
            before = store.one(f"SELECT {', '.join(record)} FROM teams WHERE code = ?",
                               (record["code"],))
            changed = {k: val for k, val in record.items() if before[k] != val}
            if changed:
                store.execute(f"UPDATE teams SET {', '.join(f'{k} = ?' for k in changed)}, "
                              "updated_at = ? WHERE code = ?",
                              [*changed.values(), now_utc(), record["code"]])
                store.audit("teams", record["code"], "update", before, {**before, **changed})

    def audit_import(self):  # every team written is audited above
        pass
