"""The importer of one kind of record: what differs between kinds (fields, keys, writes)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from cbtool import fields as f
from cbtool.errors import FieldError, InvalidInput
from cbtool.importing.headings import HEADINGS
from cbtool.importing.messages import DUPLICATE
from cbtool.store import Store
from cbtool.text import Msg


@dataclass(slots=True)
class Row:
    line: int
    cells: tuple[tuple[str, ...], list[str | None]]  # the file's keys and cells
    values: dict[str, Any]
    present: int  # bit mask over Importer.staged: the fields this row gives
    problems: list[tuple[str | None, InvalidInput]]
    key: str | None = None
    action: str = ""
    target: Any = None


class Importer:
    """What differs between kinds: fields, validators, keys, lookups and writes."""

    kind = ""
    table = ""
    required: tuple[str, ...] = ()
    unique: frozenset[str] = frozenset()  # fields whose values rarely repeat: not cached
    staged: tuple[str, ...] = ()  # every field that can be parked (incl. derived ones)
    key_fields: frozenset[str] = frozenset()  # a row whose key field is bad has no key
    cell_required: tuple[str, ...] | None = None  # an empty cell is "required" (default:
    # the required columns)
    json_fields: frozenset[str] = frozenset()  # list values, parked as JSON arrays
    identity: tuple[str, ...] = ()  # the fields that name a record: one (code) or several
    repeated: Msg | None = None  # a repeat of a several-field identity (one field: DUPLICATE)

    def __init__(self, store: Store) -> None:
        self.store = store
        self.fields = list(HEADINGS[self.kind])
        self.bit = {name: 1 << i for i, name in enumerate(self.staged)}
        self.raw_parsers = self.parsers()
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.source = ""
        self.warnings: list[tuple[Msg, dict[str, Any]]] = []  # of the row just classified
        self.plan: Any = None  # the plan being applied (its batch)

    # per kind ---------------------------------------------------------------------------

    def parsers(self) -> dict[str, Callable[[object], object]]:
        raise NotImplementedError

    def key(self, values: dict[str, Any]) -> str | None:
        """The record's identity as one text (several fields joined by U+001F), or None
        while a field of it is missing."""
        names = self.identity
        if len(names) == 1:
            return values.get(names[0])
        if all(values.get(k) is not None for k in names):
            return "\x1f".join(str(values[k]) for k in names)
        return None

    def key_parts(self, key: str) -> list[tuple[str, str]]:
        """A key (``key``) as (field, text) parts, so a dry run's preview can show each
        part as that field's values read (``visit`` as 走访慰问); a key of another shape
        (``#5``, a record's number) is one part of no field."""
        parts = key.split("\x1f")
        if len(parts) == len(self.identity):
            return list(zip(self.identity, parts, strict=True))
        return [("", key.replace("\x1f", " "))]

    def duplicate(self, row: Row, first_line: int) -> tuple[str | None, InvalidInput]:
        """The problem of a row naming the record an earlier line names."""
        names = self.identity
        if len(names) == 1:
            return names[0], FieldError(names[0], DUPLICATE, line=first_line, value=row.key)
        assert self.repeated is not None
        return None, InvalidInput(self.repeated, line=first_line,
                                  value=" ".join(str(row.values[k]) for k in names))

    def identity_in(self, alias: str = "") -> str:
        """SQL: the stored record's identity is one of a JSON array of keys (``key``)."""
        joined = " || char(31) || ".join(f"{alias}{k}" for k in self.identity)
        return f"{joined} IN (SELECT value FROM json_each(?))"

    def lookup(self, keys: list[str]) -> dict[str, Any]:
        """Stored state for these keys (one query per chunk)."""
        raise NotImplementedError

    def classify(self, row: Row, existing: Any) -> None:
        """Set ``row.action`` (insert | update | unchanged) and ``row.target``, or add
        problems; may complete ``row.values`` (derived fields)."""
        raise NotImplementedError

    def write(self, action: str, rows: list[tuple[int, Any, int, dict[str, Any]]]) -> None:
        """Write a batch of parked rows: (line, target, present mask, values)."""
        raise NotImplementedError

    bulk_insert = False  # insert_parked writes the new records (else ``write`` does)

    def insert_parked(self) -> None:
        """Insert every parked ``insert`` row with SQL alone (kinds with ``bulk_insert``)."""
        raise NotImplementedError

    def kept(self, key: str, name: str, value: Any) -> bool:
        """After ``lookup``: the stored record already has ``value`` for ``name`` although
        the field is no column of its (a derived one), so a preview does not show it."""
        return False

    def preview_value(self, name: str, value: Any) -> Any:
        """A parked value as a dry run's preview shows it (default: as parked)."""
        return value

    def prepare(self, rows: list[Row], found: dict[str, Any]) -> None:
        """After ``lookup``: look up what else the valid rows of a chunk need."""

    shared = False  # a big file may be checked by two processes (``sharing``)
    trace: Any = None  # what ``footprint`` noted

    def footprint(self, rows: list[Row]) -> None:
        """In a shared check: note what of these parked rows could concern rows checked by
        the other process (kept in ``self.trace``, which ``crossed`` compares)."""

    def crossed(self, theirs: Any) -> bool:
        """Whether rows of this process and of the other (its ``trace``) could concern each
        other (then one process checks the whole file again). Default: always."""
        return True

    # shared -----------------------------------------------------------------------------

    def settle(self, row: Row, existing: dict[str, Any] | None, record: dict[str, Any],
               fields: Sequence[str], same: Callable[[str], bool] | None = None) -> None:
        """Give ``row`` every one of ``fields`` from the merged ``record`` and its action
        against the stored record (``existing``): insert, unchanged, or update — of its
        id where records have one (kinds keyed by code update by the code in the row).
        ``same(field)`` compares one field (default: equal values)."""
        for name in fields:
            row.values[name] = record.get(name)
            row.present |= self.bit[name]
        if existing is None:
            row.action = "insert"
            return
        same = same or (lambda k: existing[k] == record.get(k))
        if all(map(same, fields)):
            row.action, row.target = "unchanged", None
        else:
            row.action, row.target = "update", existing.get("id")

    def has(self, row_or_mask: Row | int, name: str) -> bool:
        mask = row_or_mask.present if isinstance(row_or_mask, Row) else row_or_mask
        return bool(mask & self.bit[name])

    def kept_number(self, values: dict[str, Any]) -> int | None:
        """The record number an exported row carries, when no record here has it: a new
        record takes it, so an export loads into a fresh database numbered as it was
        (gaps left by ``imports undo`` too) and the files that name it by number (aid
        given its case, logs their pairing) name the same record there."""
        number = values.get("id")
        if number is None or self.store.one(f"SELECT 1 AS x FROM {self.table} WHERE id = ?",
                                            (number,)):
            return None
        return number

    def in_keys(self, sql: str, keys: Iterable[str]) -> Iterator[tuple]:
        """Run ``sql`` whose one parameter is a JSON array of keys (``json_each(?)``)."""
        return self.store.execute(sql, (json.dumps(list(keys), ensure_ascii=False),))

    def audit_parked(self, marks: dict[str, int]) -> None:
        """Audit, in bulk, every record ``insert_parked`` wrote (one row each); ``marks``:
        the largest rowid of each table before the import wrote."""

    def audit_written(self, marks: dict[str, int]) -> None:
        """Audit, in bulk, child records the writes of both kinds added (contacts)."""

    def audit_import(self) -> None:
        c = self.counts
        if c["inserted"] or c["updated"]:
            self.store.audit(self.table, self.source, "import", None,
                             {"file": self.source, **{k: n for k, n in c.items() if n}})


def record_number(value: object) -> int | None:
    """An export's record number (编号): a whole number; an empty cell (or 0) is none."""
    return f.parse_count("id", value) or None


class NumberedImporter(Importer):
    """A kind whose export carries each record's number: a row with a number names that
    record (so an edited export may change even the fields of the natural key); a number
    not in this database (a fresh one) falls back to the natural key."""

    def key(self, values: dict[str, Any]) -> str | None:
        if values.get("id") is not None:
            return f"#{values['id']}"
        return super().key(values)

    @staticmethod
    def split_keys(keys: Iterable[str]) -> tuple[list[int], list[str]]:
        """The keys a lookup gets as (record numbers, natural keys)."""
        keys = list(keys)
        return ([int(k[1:]) for k in keys if k.startswith("#")],
                [k for k in keys if not k.startswith("#")])

    def stored(self, row: Row, existing: dict[str, Any] | None) -> dict[str, Any] | None:
        """The stored record ``row`` names: by its number, else by its natural key."""
        if existing is None and row.values.get("id") is not None:  # a number not here
            natural = Importer.key(self, row.values)
            existing = self.lookup([natural]).get(natural) if natural else None
        return existing
