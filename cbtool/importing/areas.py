"""Importing residential areas (居民区) and the service points that share their codes."""

from __future__ import annotations

from typing import Any

from cbtool.errors import FieldError
from cbtool.importing.base import Importer
from cbtool.importing.messages import POINT_TAKEN
from cbtool.store import now_utc


class AreaImporter(Importer):
    kind = "areas"
    table = "areas"
    identity = ("code",)
    required = ("code", "name")
    unique = frozenset({"code", "name"})
    staged = ("code", "name")
    key_fields = frozenset({"code"})

    def parsers(self):
        from cbtool.areas import field_parsers

        return field_parsers(self.store)

    def lookup(self, keys):
        found: dict[str, Any] = {}
        for code, name in self.in_keys(
                "SELECT code, name FROM areas WHERE code IN (SELECT value FROM json_each(?))",
                keys):
            found[code] = {"name": name}
        for (code,) in self.in_keys(
                "SELECT code FROM points WHERE code IN (SELECT value FROM json_each(?)) "
                "AND code NOT IN (SELECT code FROM areas)", keys):
            found[code] = None  # a point (e.g. the centre) holds the code
        self._points_only = {k for k, v in found.items() if v is None}
        return {k: v for k, v in found.items() if v is not None}

    def classify(self, row, existing):
        code = row.values["code"]
        if existing is None and code in self._points_only:
            row.problems.append(("code", FieldError("code", POINT_TAKEN, value=code)))
        elif existing is None:
            row.action = "insert"
        elif existing["name"] != row.values["name"]:
            row.action, row.target = "update", existing["name"]
        else:
            row.action = "unchanged"

    def write(self, action, rows):
        from cbtool import areas

        for _line, old_name, _mask, values in rows:
            if action == "insert":
                areas.add_area(self.store, values["code"], values["name"])
                continue
            code, name = values["code"], values["name"]
            now = now_utc()
            self.store.execute("UPDATE areas SET name = ?, updated_at = ? WHERE code = ?",
                               (name, now, code))
            self.store.audit("areas", code, "update", {"name": old_name}, {"name": name})
            point = self.store.one("SELECT name FROM points WHERE code = ?", (code,))
            if point and point["name"] == f"{old_name}{areas.POINT_SUFFIX}":
                new = f"{name}{areas.POINT_SUFFIX}"
                self.store.execute("UPDATE points SET name = ?, updated_at = ? WHERE code = ?",
                                   (new, now, code))
                self.store.audit("points", code, "update", {"name": point["name"]},
                                 {"name": new})

    def audit_import(self):  # every area written is audited by add_area / above
        pass
