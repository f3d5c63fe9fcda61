"""Importing members: new and corrected records, category changes, contacts, ID checks."""

from __future__ import annotations

from cbtool import fields as f
from cbtool import person
from cbtool.errors import FieldError
from cbtool.importing.auditing import TRUE_JSON, audit_select
from cbtool.importing.base import Importer, Row
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import (
    ID_HELD,
    ID_IN_FILE,
    NEW_NEEDS,
    ONLY_ARCHIVED,
    REASON_REQUIRED,
    ZEROS_LOST,
)
from cbtool.importing.stage import IDS, STAGE
from cbtool.store import now_utc
from cbtool.text import field_label

CONTACT_NOTE = "导入"  # the note of a contact recorded from a file's last_contact_on
CHANGE_REASON = "导入"  # the reason of a category change an import makes (no reason column)
_SEEN_BITS = 1 << 25  # a 4 MiB filter of the ID numbers a file gave (see _check_ids)




# What reconcile_id and joined_after_born read of a new member's row.
_MONTHS = ("born_on", "joined_on")  # the dates a roster may give to the month only
_RECONCILED = ("member_no", "id_card", "born_on", "gender", "joined_on")


class MemberImporter(Importer):
    """A file needs only ``member_no``: the columns it has update stored members; name,
    category and area are needed for new ones. An ID number another member holds, and a
    new number that is a stored (or earlier) one without its leading zeros, are row errors:
    one person, one member."""

    kind = "members"
    table = "members"
    bulk_insert = True
    identity = ("member_no",)
    required = ("member_no",)  # a file of corrections: the number and what it corrects
    cell_required = ("member_no", "name", "category", "area")  # never emptied
    needed_new = ("name", "category", "area")
    unique = frozenset({"member_no", "name", "id_card", "phone"})
    staged = tuple(HEADINGS["members"])
    key_fields = frozenset({"member_no"})
    shared = True

    def __init__(self, store):
        from cbtool import members

        self.members = members
        self.columns = [c for c in members.MEMBER_FIELDS if c not in ("created_at", "updated_at")]
        super().__init__(store)
        self.today = store.today.isoformat()
        self.contacts = 0  # contacts recorded from last_contact_on
        self._held: dict[int, FieldError] = {}  # line -> its ID number's conflict
        self._twins: dict[str, FieldError] = {}  # new number -> its leading-zeros twin
        self._zeros: bool | None = None  # a stored or read number starts with 0
        self._plain = False  # … or with another digit
        self._longest = 0
        self._stored_ids: bool | None = None  # a stored member has an ID number
        self._ids = False  # the TEMP table of stored ID numbers is built
        self._seen = bytearray(_SEEN_BITS >> 3)  # ID numbers read (a filter)
        self.trace: tuple[set[int], ...] = (set(), set(), set())  # hashes of numbers, ID
        # numbers and numbers without leading zeros: of a shared check (see footprint)

    def parsers(self):
        parsers = self.members.field_parsers(self.store)
        today = self.store.today
        parsers["category_on"] = lambda v: f.parse_date("category_on", v, today=today)
        parsers["category_reason"] = lambda v: f.text_field("category_reason", v, limit=500)
        return parsers

    def prepare(self, rows, found):
        self._held = {}
        self._twins = {}
        # ID numbers to check: those of new members and changed ones (a stored member's
        # own ID number, the usual re-import, cannot be another's).
        ids = [r for r in rows if (x := r.values.get("id_card"))
               and not ((old := found.get(r.key)) and old["id_card"] == x)]
        if ids:
            self._check_ids(ids)
        new = {r.key: r.line for r in rows
               if r.key is not None and r.key not in found and r.key.isdigit()}
        if new:
            self._check_zeros(new)

    def _check_ids(self, rows: list[Row]) -> None:
        """An ID number stored for another member, or given to another number earlier in
        the file. Earlier ones are remembered in a fixed-size filter (no false negatives;
        the few it may take wrongly are looked up in the parked rows): memory does not
        grow with the file."""
        if self._stored_ids is None:
            self._stored_ids = self.store.one(
                "SELECT 1 AS x FROM members WHERE id_card IS NOT NULL LIMIT 1") is not None
        stored: dict[str, tuple[str, str]] = {}
        if self._stored_ids:
            if not self._ids:  # (members.id_card has no index of its own)
                self.store.execute(f"CREATE TEMP TABLE {IDS} AS SELECT id_card, member_no, "
                                   "name FROM members WHERE id_card IS NOT NULL")
                self.store.execute(f"CREATE INDEX temp.{IDS}_id ON {IDS} (id_card)")
                self._ids = True
            stored = {x: (no, name) for x, no, name in self.in_keys(
                f"SELECT id_card, member_no, name FROM temp.{IDS} "
                "WHERE id_card IN (SELECT value FROM json_each(?))",
                {r.values["id_card"]: None for r in rows})}
        seen, mask = self._seen, _SEEN_BITS - 1
        maybe: set[str] = set()  # given earlier in the file, perhaps
        for r in rows:
            x = r.values["id_card"]
            h = hash(x)
            a, b = h & mask, (h >> 26) & mask
            if seen[a >> 3] & (1 << (a & 7)) and seen[b >> 3] & (1 << (b & 7)):
                maybe.add(x)
            seen[a >> 3] |= 1 << (a & 7)
            seen[b >> 3] |= 1 << (b & 7)
        if not (stored or maybe):
            return
        first = {x: (line, k) for x, line, k in self.in_keys(
            f"SELECT id_card, min(line), k FROM temp.{STAGE} "
            "WHERE id_card IN (SELECT value FROM json_each(?)) GROUP BY id_card", maybe)
        } if maybe else {}
        for r in rows:
            x = r.values["id_card"]
            held = stored.get(x)
            earlier = first.get(x)
            if held is not None and held[0] != r.key:
                hint = f.zeros_hint(r.key or "", held[0])
                self._held[r.line] = FieldError("id_card", ID_HELD, other=held[0],
                                                name=held[1], hint_zh=hint[0], hint_en=hint[1])
            elif earlier is not None and earlier[1] != r.key:
                hint = f.zeros_hint(r.key or "", earlier[1] or "")
                self._held[r.line] = FieldError("id_card", ID_IN_FILE, line=earlier[0],
                                                other=earlier[1], hint_zh=hint[0],
                                                hint_en=hint[1])
            elif earlier is None and x in maybe:
                first[x] = (r.line, r.key)

    def _check_zeros(self, new: dict[str, int]) -> None:
        """New numbers that are a stored or earlier number with leading zeros lost (or
        added): ``104`` next to ``00104``. Looked up only where both kinds of number
        occur (stored or read): a file and database of padded numbers only, or of plain
        ones only, costs nothing."""
        if self._zeros is None:
            one = self.store.one
            self._zeros = one("SELECT 1 AS x FROM members WHERE member_no GLOB '0[0-9]*' "
                              "LIMIT 1") is not None
            self._plain = one("SELECT 1 AS x FROM members WHERE member_no GLOB '[1-9]*' "
                              "LIMIT 1") is not None
            self._longest = self.store.execute(
                "SELECT coalesce(max(length(member_no)), 0) FROM members").fetchone()[0]
        for k in new:
            if k[0] == "0":
                self._zeros = True
            else:
                self._plain = True
            if len(k) > self._longest:
                self._longest = len(k)
        if not (self._zeros and self._plain):
            return
        variants: dict[str, str] = {}  # another form of the number -> the file's number
        for k in new:
            if k[0] == "0":
                if bare := k.lstrip("0"):
                    variants[bare] = k
            else:
                for n in range(1, self._longest - len(k) + 1):
                    variants["0" * n + k] = k
        if not variants:
            return
        stored = {no: name for no, name in self.in_keys(
            "SELECT member_no, name FROM members "
            "WHERE member_no IN (SELECT value FROM json_each(?))", variants)}
        earlier = dict(self.in_keys(
            f"SELECT k, min(line) FROM temp.{STAGE} WHERE k IN "
            "(SELECT value FROM json_each(?)) GROUP BY k", variants))
        for other, k in variants.items():
            if other in stored:
                where = (f"库中已有党员 {other}（{stored[other]}）",
                         f"member {other} ({stored[other]}) is stored")
            elif other in earlier or (other in new and new[other] < new[k]):
                line = earlier.get(other, new.get(other))
                where = f"第 {line} 行已有 {other}", f"line {line} has {other}"
            else:
                continue
            if len(k) < len(other):  # this row lost the zeros
                twin = (f"{k} 可能是 {other}（前导零丢失）",
                        f"{k} may be {other} (leading zeros lost)")
            else:  # the other one did
                twin = (f"{k} 与 {other} 只差前导零（{other} 可能丢了前导零）",
                        f"{k} and {other} differ only by leading zeros ({other} may have "
                        "lost them)")
            self._twins[k] = FieldError("member_no", ZEROS_LOST, twin_zh=twin[0],
                                        twin_en=twin[1], where_zh=where[0], where_en=where[1])

    def footprint(self, rows):
        numbers, ids, bare = self.trace
        keys = [k for r in rows if (k := r.key) is not None]
        numbers.update(map(hash, keys))
        bare.update(hash(k.lstrip("0")) for k in keys if k.isdigit())
        ids.update(map(hash, filter(None, [r.values.get("id_card") for r in rows])))

    def crossed(self, theirs):
        """Rows of the two processes that concern each other: one number in both, one ID
        number in both, numbers that differ only by leading zeros (each process finds
        these within its own rows and against what is stored). Compared by hash (a forked
        child hashes text as its parent does): a rare false match only costs a check."""
        return not all(map(set.isdisjoint, self.trace, theirs))

    def lookup(self, keys):
        cols = ", ".join(self.columns)
        found = {r[0]: dict(zip(self.columns, r, strict=True)) for r in self.in_keys(
            f"SELECT {cols} FROM members WHERE member_no IN (SELECT value FROM json_each(?))",
            keys)}
        self._contacts = set()
        if self.bit.get("last_contact_on") and found:
            self._contacts = set(self.in_keys(
                "SELECT member_no, date FROM contacts "
                "WHERE member_no IN (SELECT value FROM json_each(?))", list(found)))
        return found

    def kept(self, key, name, value):  # a last contact on a day already recorded
        return name == "last_contact_on" and (key, value) in self._contacts

    def classify(self, row, existing):
        v = row.values
        problems = row.problems
        has = row.present
        bit = self.bit
        # Status and its fields, against what is stored when the file does not say. An
        # empty 状态 cell does not say: it never restores an archived member by accident.
        if has & bit["status"] and v.get("status") is None:
            v["status"] = existing["status"] if existing else "active"
            for name in ("archived_reason", "archived_on"):
                if existing and has & bit[name] and v.get(name) is None:
                    v[name] = existing[name]
        if has & bit["status"]:
            status = v["status"]
        else:
            status = existing["status"] if existing else "active"
        if status == "archived":
            reason = v.get("archived_reason") if has & bit["archived_reason"] else (
                existing and existing["archived_reason"])
            if not reason:
                problems.append(("archived_reason",
                                 FieldError("archived_reason", REASON_REQUIRED)))
            on = v.get("archived_on") if has & bit["archived_on"] else (
                existing and existing["archived_on"])
            if not on:
                v["archived_on"] = self.today
                row.present |= bit["archived_on"]
        else:
            for name in ("archived_reason", "archived_on"):
                if v.get(name):
                    problems.append((name, FieldError(name, ONLY_ARCHIVED)))
                elif existing and existing[name] and has & bit["status"]:
                    v[name] = None  # restored by the file: the archive fields go
                    row.present |= bit[name]
        if problems:
            return
        held = self._held.get(row.line)
        if held is not None:
            problems.append(("id_card", held))
            return
        if existing is None:
            lacking = [n for n in self.needed_new if not has & bit[n]]
            for name in lacking:
                problems.append((None, FieldError(name, NEW_NEEDS, no=row.key,
                                                  label_zh=field_label(name, "zh"),
                                                  label_en=name)))
            if twin := self._twins.get(row.key):
                problems.append(("member_no", twin))
            if problems:
                return
            record = {name: v.get(name) for name in _RECONCILED}
            warnings = person.reconcile_id(record)
            if error := person.joined_after_born(record):
                problems.append(("joined_on", error))
                return
            for name in ("born_on", "gender"):
                if record[name] != v.get(name):
                    v[name] = record[name]
                    row.present |= bit[name]
            if not has & bit["status"]:
                v["status"] = "active"
                row.present |= bit["status"]
            row.action = "insert"
        else:
            for name in _MONTHS:  # 1948-04 from the file, 1948-04-15 stored: the same date
                given, stored = v.get(name), existing.get(name)
                if (given and stored and len(given) == 7 and len(stored) == 10
                        and stored.startswith(given)):
                    v[name] = stored
            merged = {**existing, **{k: v[k] for k in v if k in existing}}
            warnings = person.reconcile_id(merged)  # fills from the ID number
            if has & (bit["born_on"] | bit["joined_on"] | bit["id_card"]) and (
                    error := person.joined_after_born(merged)):
                problems.append(("joined_on", error))
                return
            if not has & bit["id_card"]:
                warnings = []  # the file does not speak of the ID: nothing to point out
            for name in ("born_on", "gender"):
                # An empty or absent cell keeps what the ID number says (as an insert does),
                # so importing the same file twice changes nothing.
                given = v.get(name) if has & bit[name] else None
                if given is None and merged[name] is not None and (
                        has & bit[name] or merged[name] != existing[name]):
                    v[name] = merged[name]
                    row.present |= bit[name]
            changed = any(existing[k] != val for k, val in v.items() if k in existing)
            contact = v.get("last_contact_on")
            if contact and (row.key, contact) not in self._contacts:
                changed = True
            row.action = "update" if changed else "unchanged"
            if not changed:
                warnings = []
        self.warnings = warnings

    def insert_parked(self):
        now = now_utc()
        cols = ", ".join(self.columns)
        self.store.execute(
            f"INSERT INTO members ({cols}, created_at, updated_at) SELECT {cols}, ?, ? "
            f"FROM temp.{STAGE} WHERE action = 'insert' ORDER BY line", (now, now))
        cur = self.store.execute(
            "INSERT INTO contacts (member_no, date, channel, note, created_at, updated_at) "
            f"SELECT member_no, last_contact_on, 'other', ?, ?, ? FROM temp.{STAGE} "
            "WHERE action = 'insert' AND last_contact_on IS NOT NULL ORDER BY line",
            (CONTACT_NOTE, now, now))
        self.contacts += cur.rowcount

    def audit_parked(self, marks):
        audit_select(self.store, self.plan, "members", "s.member_no",
                      [(c, f"s.{c}") for c in self.columns],
                      f"temp.{STAGE} s WHERE s.action = 'insert' ORDER BY s.line")

    def audit_written(self, marks):
        """The contacts recorded from last_contact_on (inserts and updates alike)."""
        audit_select(self.store, self.plan, "contacts", "c.id",
                      [("member_no", "c.member_no"), ("date", "c.date"),
                       ("channel", "c.channel"), ("reached", TRUE_JSON.format("c.reached")),
                       ("whereabouts", "c.whereabouts"), ("note", "c.note")],
                      "contacts c WHERE c.id > ? ORDER BY c.id", (marks["contacts"],))

    def write(self, action, rows):
        store = self.store
        items = []
        for _line, _target, _mask, values in rows:
            changes = {k: val for k, val in values.items()
                       if k in self.columns and k != "member_no"}
            items.append((values["member_no"], changes,
                          values.get("category_on") or self.today,
                          values.get("category_reason") or CHANGE_REASON))
        self.members.update_many(store, items)
        asked = [(values["member_no"], values["last_contact_on"])
                 for *_r, values in rows if values.get("last_contact_on")]
        if not asked:
            return
        known = set(self.in_keys(
            "SELECT member_no, date FROM contacts WHERE member_no IN "
            "(SELECT value FROM json_each(?))", [no for no, _ in asked]))
        contacts = [pair for pair in asked if pair not in known]
        if contacts:
            now = now_utc()
            store.conn.executemany(
                "INSERT INTO contacts (member_no, date, channel, note, created_at, updated_at) "
                "VALUES (?, ?, 'other', ?, ?, ?)",
                ((no, day, CONTACT_NOTE, now, now) for no, day in contacts))
            self.contacts += len(contacts)

    def audit_import(self):
        super().audit_import()
        if self.contacts:
            self.store.audit("contacts", self.source, "import", None,
                             {"file": self.source, "inserted": self.contacts})
