"""Importing volunteers (志愿者) and the teams they belong to."""

from __future__ import annotations

from cbtool.errors import CbError, FieldError
from cbtool.fields import REQUIRED
from cbtool.importing.base import Importer
from cbtool.importing.headings import HEADINGS
from cbtool.store import now_utc

NEW_NAME = FieldError("name", REQUIRED)  # a new volunteer who is no member needs a name


class VolunteerImporter(Importer):
    """Volunteers by number. A member's number fills and checks the identity as
    ``volunteers add`` does (``volunteers.reconcile``); ``teams`` is the whole list of the
    volunteer's teams. Each volunteer written is audited by itself."""

    kind = "volunteers"
    table = "volunteers"
    identity = ("volunteer_no",)
    required = ("volunteer_no",)
    unique = frozenset({"volunteer_no", "name", "id_card", "phone", "note"})
    staged = tuple(HEADINGS["volunteers"])
    key_fields = frozenset({"volunteer_no"})
    json_fields = frozenset({"teams"})
    _FIELDS = ("name", "gender", "id_card", "phone", "area", "registered_on", "member_no",
               "teams", "active", "left_on", "note")

    def parsers(self):
        from cbtool import fields as f
        from cbtool.volunteers import field_parsers

        # An empty name is a member's (filled in ``classify``), else the row's problem.
        return {**field_parsers(self.store),
                "name": lambda v: f.person_name("name", v, limit=50)}

    def lookup(self, keys):
        from cbtool.volunteers import get

        nos = [r[0] for r in self.in_keys(
            "SELECT volunteer_no FROM volunteers WHERE volunteer_no IN (SELECT value FROM "
            "json_each(?))", keys)]
        return {no: get(self.store, no) for no in nos}

    def classify(self, row, existing):
        from cbtool.volunteers import FROM_MEMBER, reconcile

        v = row.values
        given = {k for k in self._FIELDS if self.has(row, k)}
        base = existing or {"active": True, "teams": [],
                            "registered_on": self.store.today.isoformat()}
        merged = {**base, **{k: v.get(k) for k in given}, "volunteer_no": v["volunteer_no"]}
        merged["teams"] = sorted(merged.get("teams") or [])
        if merged.get("active") is None:
            merged["active"] = base["active"]
        if merged["active"]:
            merged["left_on"] = None
        elif not merged.get("left_on"):
            merged["left_on"] = base.get("left_on") or self.store.today.isoformat()
        # A field blank in the file and in the stored volunteer stays blank while its
        # member link and ID number stay: the member (or the ID number's gender) fills it
        # when the link is made, as ``add`` does, not on a re-import, else an export whose
        # member was edited since re-imports as an update.
        same_person = existing is not None and all(
            existing.get(k) == merged.get(k) for k in ("member_no", "id_card"))
        kept = ({k: existing.get(k) for k in FROM_MEMBER
                 if not merged.get(k) and not existing.get(k)} if same_person else {})
        try:
            self.warnings = reconcile(self.store, merged)
        except CbError as exc:
            row.problems.append(("member_no" if "member" in exc.msg.en else "id_card", exc))
            return
        merged.update(kept)
        if not merged.get("name"):
            row.problems.append(("name", NEW_NAME))
            return
        for name in self._FIELDS:
            v[name] = merged.get(name)
            row.present |= self.bit[name]
        if existing is None:
            row.action = "insert"
        else:
            same = all(existing.get(k) == merged.get(k) for k in self._FIELDS)
            row.action = "unchanged" if same else "update"

    def write(self, action, rows):
        from cbtool import volunteers

        store = self.store
        for _line, _target, _mask, values in rows:
            record = {"volunteer_no": values["volunteer_no"],
                      **{k: values.get(k) for k in self._FIELDS}}
            record["teams"] = sorted(record["teams"] or [])
            if action == "insert":
                volunteers.insert(store, record)  # the one insert of a volunteer
                continue
            no = record["volunteer_no"]
            before = volunteers.get(store, no)
            changed = {k: val for k, val in record.items() if before.get(k) != val}
            if not changed:
                continue
            columns = {k: (int(val) if k == "active" else val) for k, val in changed.items()
                       if k != "teams"}
            store.execute(f"UPDATE volunteers SET {', '.join(f'{k} = ?' for k in columns)}"
                          f"{', ' if columns else ''}updated_at = ? WHERE volunteer_no = ?",
                          [*columns.values(), now_utc(), no])
            if "teams" in changed:
                store.execute("DELETE FROM volunteer_teams WHERE volunteer_no = ?", (no,))
                store.conn.executemany(
                    "INSERT INTO volunteer_teams (volunteer_no, team) VALUES (?, ?)",
                    [(no, t) for t in changed["teams"]])
            store.audit("volunteers", no, "update", before, {**before, **changed})

    def audit_import(self):  # every volunteer written is audited above
        pass
