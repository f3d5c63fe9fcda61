"""What an import would do: the plan, its problems and warnings, and the tally line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from cbtool.errors import FieldError, InvalidInput
from cbtool.importing.base import Importer
from cbtool.importing.stage import CHUNK, REJECTS, STAGE, drop_stage
from cbtool.store import Store
from cbtool.text import Msg


@dataclass
class Problem:
    """One reason a row was rejected: ``column`` is the heading as written (None for the
    row as a whole)."""

    line: int
    column: str | None
    error: InvalidInput

    def reason(self, lang: str = "zh") -> str:
        if isinstance(self.error, FieldError):
            return self.error.reason(lang)
        return self.error.message(lang)


@dataclass
class RowWarning:
    line: int
    msg: Msg
    params: dict[str, Any]

    def message(self, lang: str = "zh") -> str:
        return self.msg.render(lang, **self.params)


@dataclass
class Plan:
    """What an import would do. Counts are rows; ``problems`` holds the first ``KEEP``."""

    kind: str
    source: str
    format: str
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[RowWarning] = field(default_factory=list)
    warning_count: int = 0
    reject_headers: list[str] = field(default_factory=list)
    sheet: str | None = None  # the worksheet read (xlsx)
    notes: list[tuple[Msg, dict[str, Any]]] = field(default_factory=list)  # rows skipped …
    importer: Any = field(default=None, repr=False)
    applied: bool = False
    batch: int | None = None  # the import batch, once applied
    cancelled: bool = False  # the user said no when asked (import_file's ``confirm``)
    preview: list[dict[str, Any]] = field(default_factory=list)  # what would change
    # each preview record's key as (field, text) parts (``Importer.key_parts``), for
    # human output to show in the user's words; the JSON preview keeps ``key``
    preview_keys: list[list[tuple[str, str]]] = field(default_factory=list)
    preview_count: int = 0
    processes: int = 1  # 2: checked in two processes at once (``sharing``)

    @property
    def changes(self) -> int:
        return self.inserted + self.updated

    def writes(self, skip_invalid: bool = False) -> bool:
        """Whether applying it would write: something to change, and no rejected row
        (unless those are to be skipped)."""
        return bool(self.changes) and (skip_invalid or not self.rejected)

    def tally(self, *, written: bool = True, would: bool = False) -> str:
        """The one-line tally scripts look for (English in every language: scripts read it).
        ``written=False`` (rejected file) reports nothing inserted or updated; ``would``
        (a dry run) what would be: the four counts add up to the data rows read."""
        ins, upd = (self.inserted, self.updated) if written or would else (0, 0)
        return tally(ins, upd, self.unchanged, self.rejected)

    def changes_preview(self, limit: int | None = None) -> None:
        """Fill ``preview`` with what applying would change (the first ``limit`` records
        in file order; all with None) and ``preview_count`` with how many records: each
        ``{"line", "action", "key", "changes": {field: [before, after]}}``."""
        imp: Importer = self.importer
        self.preview, self.preview_count = [], self.inserted + self.updated
        self.preview_keys = []
        staged = imp.staged
        bits = [imp.bit[n] for n in staged]
        names = ", ".join(f'"{n}"' for n in staged)
        sql = (f"SELECT line, k, action, mask, {names} FROM temp.{STAGE} "
               "WHERE action IN ('insert', 'update') ORDER BY line")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cur = imp.store.conn.cursor()
        cur.execute(sql)
        while batch := cur.fetchmany(CHUNK):
            found = imp.lookup([k for _l, k, action, *_ in batch if action == "update"])
            for line, k, action, mask, *vals in batch:
                values = {n: (json.loads(v) if n in imp.json_fields and v is not None else v)
                          for n, v, b in zip(staged, vals, bits, strict=True) if mask & b}
                old = found.get(k) or {}
                diff = {}
                for name, value in values.items():
                    before = old.get(name)
                    if name == "participants":
                        value = sorted(set(value or []))
                    if action == "insert" and value not in (None, []):
                        diff[name] = [None, value]
                    elif action == "update" and (name in old or name == "last_contact_on") \
                            and before != value and not imp.kept(k, name, value) \
                            and not (value is None and name in (
                                "served", "hours", "voided", "void_reason")):
                        diff[name] = [before, value]
                shown = k.split("\x1f", 1)[1] if imp.kind == "logs" else k
                shows = imp.preview_value
                self.preview.append({"line": line, "action": action,
                                     "key": (shown or "").replace("\x1f", " "),
                                     "changes": {n: [shows(n, b), shows(n, a)]
                                                 for n, (b, a) in diff.items()}})
                self.preview_keys.append(imp.key_parts(k or ""))

    def rejected_rows(self, lang: str = "zh") -> Iterator[dict[str, Any]]:
        """Every rejected row: its cells under the file's headings, ``line`` and ``error``."""
        store: Store = self.importer.store
        col = "zh" if lang != "en" else "en"
        for line, raw, error in store.execute(
                f"SELECT line, raw, {col} FROM temp.{REJECTS} ORDER BY line"):
            yield {**json.loads(raw), "line": line, "error": error}

    def discard(self) -> None:
        """Drop the TEMP tables (the plan cannot be applied afterwards)."""
        if self.importer is not None:
            drop_stage(self.importer.store)


def tally(inserted: int, updated: int, unchanged: int, rejected: int) -> str:
    """``inserted 120, updated 3, unchanged 40, rejected 0``: the last line of every import,
    also of a file rejected as a whole (``tally(0, 0, 0, error.rows)``)."""
    return (f"inserted {inserted}, updated {updated}, unchanged {unchanged}, "
            f"rejected {rejected}")
