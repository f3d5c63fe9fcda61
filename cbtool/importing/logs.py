"""Importing service-point logs and their participants."""

from __future__ import annotations

import json
from typing import Any

from cbtool.errors import FieldError, InvalidInput
from cbtool.importing.auditing import TRUE_JSON, audit_select
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE_LOG, VOID_REASON_REQUIRED
from cbtool.importing.stage import STAGE
from cbtool.store import now_utc

_LOG_COLUMNS = ("point", "date", "kind", "title", "served", "hours", "note", "ref", "voided",
                "void_reason", "pairing", "heading", "brand")
_NATURAL = ("point", "date", "kind", "title")


class LogImporter(Importer):
    """Logs dedupe by ``ref`` when the row has one, else by point + date + kind + title
    among the logs without a ref. New logs get their ids in file order."""

    kind = "logs"
    table = "logs"
    bulk_insert = True
    required = ("point", "date", "kind", "title")
    unique = frozenset({"ref", "participants", "volunteers"})
    staged = tuple(HEADINGS["logs"])
    key_fields = frozenset({"ref", *_NATURAL})
    json_fields = frozenset({"participants", "volunteers"})

    def __init__(self, store):
        super().__init__(store)
        self.next_new = 0  # insert order, turned into ids at apply time

    def parsers(self):
        from cbtool import crews, logs

        return {**logs.field_parsers(self.store), **crews.log_parsers(self.store)}

    def key(self, values):
        if values.get("ref"):
            return f"r\x1f{values['ref']}"
        if all(values.get(k) is not None for k in _NATURAL):
            return "n\x1f" + "\x1f".join(str(values[k]) for k in _NATURAL)
        return None

    def key_parts(self, key):  # r␟REF or n␟point␟date␟kind␟title
        tag, _, rest = key.partition("\x1f")
        if tag == "r":
            return [("ref", rest)]
        return list(zip(_NATURAL, rest.split("\x1f"), strict=False))

    def duplicate(self, row, first_line):
        v = row.values
        shown = v.get("ref") or " ".join(str(v[k]) for k in _NATURAL)
        return ("ref" if v.get("ref") else None), InvalidInput(
            DUPLICATE_LOG, line=first_line, value=shown)

    def lookup(self, keys):
        cols = ", ".join(f"l.{c}" for c in ("id", *_LOG_COLUMNS))
        refs = [k[2:] for k in keys if k.startswith("r")]
        natural = [k[2:].split("\x1f") for k in keys if k.startswith("n")]
        found: dict[str, dict[str, Any]] = {}
        names = ("id", *_LOG_COLUMNS)
        if refs:
            for r in self.in_keys(f"SELECT {cols} FROM json_each(?) j JOIN logs l "
                                  "ON l.ref = j.value", refs):
                found[f"r\x1f{r[8]}"] = dict(zip(names, r, strict=True))
        if natural:
            for r in self.in_keys(
                    f"SELECT {cols} FROM json_each(?) j JOIN logs l "
                    "ON l.point = json_extract(j.value, '$[0]') "
                    "AND l.date = json_extract(j.value, '$[1]') "
                    "AND l.kind = json_extract(j.value, '$[2]') "
                    "AND l.title = json_extract(j.value, '$[3]') "
                    "WHERE l.ref IS NULL ORDER BY l.id DESC", natural):
                found["n\x1f" + "\x1f".join(str(x) for x in r[1:5])] = dict(
                    zip(names, r, strict=True))
        if found:
            people: dict[int, list[str]] = {}
            for log_id, no in self.in_keys(
                    "SELECT log_id, member_no FROM log_participants WHERE log_id IN "
                    "(SELECT value FROM json_each(?)) ORDER BY log_id, member_no",
                    [r["id"] for r in found.values()]):
                people.setdefault(log_id, []).append(no)
            for r in found.values():
                r["participants"] = people.get(r["id"], [])
            from cbtool.crews import log_crew

            crews = log_crew(self.store, [r["id"] for r in found.values()])
            for r in found.values():
                r["volunteers"] = crews.get(r["id"], [])
        return found

    def classify(self, row, existing):
        v = row.values
        if self.has(row, "volunteers") and v.get("volunteers"):  # the log's hours: their sum
            from cbtool.crews import crew_hours

            if problem := crew_hours(v):
                row.problems.append(("hours", problem))
                return
            row.present |= self.bit["hours"]
        if v.get("voided") and not v.get("void_reason") and not (existing and existing["voided"]):
            # as `logs void` needs --reason: a log is never voided without saying why
            row.problems.append(("void_reason", FieldError("void_reason", VOID_REASON_REQUIRED)))
            return
        if not self.check_links(row, existing):
            return
        if existing is None:
            self.check_departures(row, None)
            if not row.problems:
                row.action, row.target = "insert", self.next_new
                self.next_new += 1
            return
        changed = False
        for name, value in v.items():
            if name == "participants":
                changed = changed or sorted(set(value or [])) != existing["participants"]
            elif name == "volunteers" and existing["voided"]:
                continue  # a voided log's service stays as it was voided with it
            elif name == "volunteers":
                changed = changed or sorted(map(list, value or [])) != existing["volunteers"]
            elif name == "team":
                continue  # the team of the volunteers' service, not of the log
            elif name in ("served", "hours") and value is None:
                continue  # an empty count keeps the stored one
            elif name in ("voided", "void_reason") and existing["voided"]:
                continue  # a voided log stays voided (an older file does not undo it)
            elif name == "voided":
                changed = changed or bool(value)
            elif existing.get(name) != value:
                changed = True
        row.action = "update" if changed else "unchanged"
        row.target = existing["id"]
        if changed:
            self.check_departures(row, existing)

    def check_links(self, row, existing) -> bool:
        """The row's pairing, heading and brand fit its point and day (a unit's name becomes
        the pairing's number); False when they do not (the problems added)."""
        from cbtool.logs import LINK_FIELDS, check_links

        v = row.values
        if not any(self.has(row, k) for k in LINK_FIELDS):
            return True
        merged = {**(existing or {}), **v}
        problems = check_links(self.store, merged)
        row.problems += [(e.field, e) for e in problems]
        for name in LINK_FIELDS:
            if self.has(row, name):
                v[name] = merged.get(name)
        return not problems

    def check_departures(self, row, existing):
        """A log inserted or changed: no participant after death, none at a closed point."""
        if not hasattr(self, "departures"):
            from cbtool.consistency import Departures

            self.departures = Departures(self.store)
        v = row.values
        people = v["participants"] if self.has(row, "participants") else (
            existing["participants"] if existing else [])
        voided = v.get("voided") or (existing and existing["voided"])
        problems, self.warnings = self.departures.log({**v, "participants": people,
                                                       "voided": voided})
        row.problems += [(e.field, e) for e in problems]

    def insert_parked(self):
        store = self.store
        now = now_utc()
        base = store.execute("SELECT coalesce(max(id), 0) + 1 FROM logs").fetchone()[0]
        store.execute(
            "INSERT INTO logs (id, point, date, kind, title, served, hours, note, ref, voided, "
            "void_reason, pairing, heading, brand, created_at, updated_at) "
            "SELECT ? + target, point, date, kind, title, coalesce(served, 0), "
            "coalesce(hours, 0), note, ref, coalesce(voided, 0), void_reason, pairing, heading, "
            "brand, ?, ? "
            f"FROM temp.{STAGE} WHERE action = 'insert' ORDER BY line", (base, now, now))
        store.execute(
            "INSERT OR IGNORE INTO log_participants (log_id, member_no) "
            f"SELECT ? + s.target, j.value FROM temp.{STAGE} s, json_each(s.participants) j "
            "WHERE s.action = 'insert' AND s.participants IS NOT NULL", (base,))
        from cbtool.crews import Crew, record_for_log

        for target, day, voided, reason, crew, team in store.execute(  # one per volunteer
                f"SELECT target, date, voided, void_reason, volunteers, team FROM "
                f"temp.{STAGE} WHERE action = 'insert' AND volunteers IS NOT NULL "
                "ORDER BY line").fetchall():
            record_for_log(store, base + target,
                           {"date": day, "voided": voided, "void_reason": reason},
                           Crew(team, [tuple(e) for e in json.loads(crew)]))

    def audit_parked(self, marks):
        people = ("(SELECT json_group_array(p.member_no) FROM (SELECT member_no FROM "
                  "log_participants WHERE log_id = l.id ORDER BY member_no) p)")
        audit_select(
            self.store, self.plan, "logs", "l.id",
            [*((c, f"l.{c}") for c in ("point", "date", "kind", "title", "served", "hours",
                                       "note", "ref")),
             ("voided", TRUE_JSON.format("l.voided")), ("void_reason", "l.void_reason"),
             ("pairing", "l.pairing"), ("heading", "l.heading"), ("brand", "l.brand"),
             ("participants", f"CASE WHEN EXISTS (SELECT 1 FROM log_participants WHERE "
                              f"log_id = l.id) THEN {people} END")],
            "logs l WHERE l.id > ? ORDER BY l.id", (marks["logs"],))

    def write(self, action, rows):
        store = self.store
        for _line, log_id, _mask, values in rows:
            crew, team = values.pop("volunteers", None), values.pop("team", None)
            voided = store.execute("SELECT voided FROM logs WHERE id = ?",
                                   (log_id,)).fetchone()[0]
            if crew is not None and not voided:
                from cbtool.crews import replace_log_crew

                day = values.get("date") or store.execute(
                    "SELECT date FROM logs WHERE id = ?", (log_id,)).fetchone()[0]
                replace_log_crew(store, log_id, day, [tuple(e) for e in crew], team)
            before = store.one(f"SELECT {', '.join(_LOG_COLUMNS)} FROM logs WHERE id = ?",
                               (log_id,))
            assert before is not None
            before["participants"] = [no for (no,) in store.execute(
                "SELECT member_no FROM log_participants WHERE log_id = ? ORDER BY member_no",
                (log_id,))]
            changes = {}
            for name, value in values.items():
                if name in ("served", "hours") and value is None:
                    continue
                if name in ("voided", "void_reason") and before["voided"]:
                    continue
                if name == "voided":
                    value = int(bool(value))
                if name == "participants":
                    value = sorted(set(value or []))
                if before.get(name) != value:
                    changes[name] = value
            if not changes:
                continue
            columns = {k: val for k, val in changes.items() if k != "participants"}
            if columns:
                sets = ", ".join(f"{k} = ?" for k in columns)
                store.execute(f"UPDATE logs SET {sets}, updated_at = ? WHERE id = ?",
                              [*columns.values(), now_utc(), log_id])
            if "participants" in changes:
                store.execute("DELETE FROM log_participants WHERE log_id = ?", (log_id,))
                store.conn.executemany(
                    "INSERT INTO log_participants (log_id, member_no) VALUES (?, ?)",
                    ((log_id, no) for no in changes["participants"]))
            store.audit("logs", log_id, "update", before, {**before, **changes})
            if changes.get("voided"):  # its volunteers' service is voided with it
                from cbtool.crews import follow_log

                follow_log(store, log_id, void_reason=values.get("void_reason") or "")
