"""Importing volunteer service given without a log (patrol shifts, visits on one's own).
Service with a log comes with the log (the 志愿者 column of a logs file)."""

from __future__ import annotations

from typing import Any

from cbtool.errors import FieldError, InvalidInput
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE, VOID_REASON_REQUIRED
from cbtool.store import now_utc

_KEY = ("volunteer_no", "date", "content")
_FIELDS = ("hours", "team", "note", "voided", "void_reason")  # hours: parsed to minutes


class ServiceImporter(Importer):
    """Records by volunteer, day and content (what ``volunteers serve`` refuses twice);
    each record written is audited by itself. A voided record stays voided."""

    kind = "service"
    table = "service"
    required = ("volunteer_no", "date", "hours", "content")
    unique = frozenset({"note"})
    staged = tuple(HEADINGS["service"])
    key_fields = frozenset(_KEY)

    def parsers(self):
        from cbtool import fields as f
        from cbtool.lookup import resolver
        from cbtool.service import parse_minutes

        store = self.store
        volunteer, team = resolver(store, "volunteers", "volunteer_no"), resolver(
            store, "teams", "team")
        return {
            "volunteer_no": lambda v: volunteer(f.text_field("volunteer_no", v, required=True)),
            "date": lambda v: f.parse_date("date", v, required=True, today=store.today),
            "hours": lambda v: parse_minutes("hours", v, required=True),  # as minutes
            "content": lambda v: f.text_field("content", v, required=True, limit=200),
            "team": lambda v: team(v) if f.clean(v) else None,
            "note": lambda v: f.text_field("note", v, limit=2000),
            "voided": lambda v: f.parse_bool("voided", v),
            "void_reason": lambda v: f.text_field("void_reason", v, limit=500),
        }

    def key(self, values):
        if all(values.get(k) for k in _KEY):
            return "\x1f".join(values[k] for k in _KEY)
        return None

    def duplicate(self, row, first_line):
        return None, FieldError("content", DUPLICATE, line=first_line,
                                value=" ".join(row.values[k] for k in _KEY))

    def lookup(self, keys):
        found: dict[str, Any] = {}
        for row in self.in_keys(
                "SELECT s.id, s.volunteer_no, s.date, s.content, s.minutes, s.team, s.note, "
                "s.voided, s.void_reason FROM json_each(?) j JOIN service s "
                "ON s.volunteer_no = json_extract(j.value, '$[0]') "
                "AND s.date = json_extract(j.value, '$[1]') "
                "AND s.content = json_extract(j.value, '$[2]') "
                "WHERE s.log_id IS NULL ORDER BY s.id DESC",
                [k.split("\x1f") for k in keys]):
            record = dict(zip(("id", *_KEY, "hours", "team", "note", "voided", "void_reason"),
                              row, strict=True))
            record["voided"] = bool(record["voided"])
            found["\x1f".join(record[k] for k in _KEY)] = record
        return found

    def classify(self, row, existing):
        from cbtool.service import team_for

        v = row.values
        if v.get("voided") and not v.get("void_reason") and not (existing and existing["voided"]):
            row.problems.append(("void_reason", FieldError("void_reason", VOID_REASON_REQUIRED)))
            return
        if existing is None:
            try:
                v["team"] = team_for(self.store, v["volunteer_no"], v.get("team"), v["date"])
            except InvalidInput as exc:
                row.problems.append(("team", exc))
                return
            row.present |= self.bit["team"]
            row.action = "insert"
            return
        row.target = existing["id"]
        changed = any(
            existing[name] != (bool(value) if name == "voided" else value)
            for name, value in v.items() if name in _FIELDS and self.has(row, name)
            and not (existing["voided"] and name in ("voided", "void_reason"))
            and not (name == "team" and value is None))
        row.action = "update" if changed else "unchanged"

    def write(self, action, rows):
        from cbtool.service import get_service, insert_service

        store = self.store
        for _line, target, _mask, values in rows:
            if action == "insert":
                insert_service(store, {  # the one insert of a service record
                    "volunteer_no": values["volunteer_no"], "date": values["date"],
                    "minutes": values["hours"], "team": values.get("team"), "log_id": None,
                    "content": values["content"], "note": values.get("note"),
                    "voided": values.get("voided"),
                    "void_reason": values.get("void_reason") if values.get("voided") else None})
                continue
            before = get_service(store, target)
            columns = {}
            if "hours" in values:
                columns["minutes"] = values["hours"]
            for name in ("team", "note"):
                if name in values and not (name == "team" and values[name] is None):
                    columns[name] = values[name]
            if not before["voided"] and values.get("voided"):
                columns.update(voided=1, void_reason=values.get("void_reason"))
            store.execute(f"UPDATE service SET {', '.join(f'{k} = ?' for k in columns)}, "
                          "updated_at = ? WHERE id = ?", [*columns.values(), now_utc(), target])
            store.audit("service", target, "update", before, get_service(store, target))

    def audit_import(self):  # every record written is audited above
        pass
