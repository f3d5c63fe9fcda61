"""Batch export: every record of a kind, in a form ``importing`` reads back to the same data.

The records carry the English keys of spec §2 and full values (no masks): members with
``last_contact_on``, logs with ``participants`` (a list), checks with ``ok`` as a bool.
CSV/TSV/JSON/JSONL go through the one writer of each (``formats``: CSV/TSV cells, joined
lists too, pass the one formula guard ``cells.guard``); xlsx through ``formats.write_xlsx``
(text as strings, never formulas) with the numbers people keep as text (member numbers,
ID numbers, phones, codes) stored as text.
"""

from __future__ import annotations

import contextlib
import shutil
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cbtool import formats
from cbtool.formats import DATA as FORMATS
from cbtool.formats import format_of, write_records
from cbtool.store import Store

# Cells Excel would turn into numbers (losing leading zeros or digits) or dates.
TEXT_COLUMNS = frozenset({"member_no", "id_card", "phone", "code", "area", "point", "ref",
                          "participants", "born_on", "joined_on"})
SHEET_TITLES = {"areas": "居民区", "members": "党员", "logs": "服务点台账", "checklist": "五有检查",
                "points": "服务点"}


def records(store: Store, kind: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The keys (column order) and every record of ``kind``, streamed."""
    if kind == "areas":
        from cbtool.areas import AREA_FIELDS

        return AREA_FIELDS, store.rows(
            f"SELECT {', '.join(AREA_FIELDS)} FROM areas ORDER BY code")
    if kind == "members":
        from cbtool import members

        rows, _total = members.list_members(store, status="all")
        return [*members.MEMBER_FIELDS, "last_contact_on"], rows
    if kind == "logs":
        from cbtool import logs

        rows, _totals = logs.list_logs(store, include_voided=True, oldest_first=True)
        return logs.LOG_FIELDS, rows  # oldest first: a fresh database re-imports the same ids
    if kind == "checklist":
        from cbtool.checklist import EXPORT_FIELDS

        def checks() -> Iterator[dict[str, Any]]:
            for row in store.rows(f"SELECT {', '.join(EXPORT_FIELDS)} FROM checks "
                                  "ORDER BY point, date, item, id"):
                row["ok"], row["voided"] = bool(row["ok"]), bool(row["voided"])
                yield row

        return EXPORT_FIELDS, checks()
    if kind == "points":
        from cbtool.areas import POINT_FIELDS, list_points

        return POINT_FIELDS, list_points(store)
    raise ValueError(f"unknown kind {kind!r}")


def format_for(path: str | Path | None, fmt: str | None) -> str:
    """The format asked for, else the one ``path``'s extension names, else csv."""
    if fmt:
        return fmt
    if path is not None:
        return format_of(path) or "csv"
    return "csv"


def default_name(kind: str, fmt: str) -> str:
    return f"{'checks' if kind == 'checklist' else kind}.{fmt}"


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    return value


def write_text(store: Store, kind: str, fmt: str, out: IO[str], *, bom: bool = False) -> int:
    """Write csv/tsv/json/jsonl to a text stream; returns the number of records."""
    keys, rows = records(store, kind)
    return write_records(fmt, rows, out, keys=keys, bom=bom and fmt in ("csv", "tsv"))


def write_xlsx(store: Store, kind: str, path: str | Path) -> int:
    """Write one sheet (English-key headers) atomically and owner-only."""
    keys, rows = records(store, kind)
    count = 0

    def cells() -> Iterator[list[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield [_xlsx_value(row.get(k)) for k in keys]

    formats.write_xlsx(path, [(SHEET_TITLES.get(kind, kind), keys, cells())],
                       text_columns=TEXT_COLUMNS)
    return count


def export(store: Store, kind: str, fmt: str, out: str | Path | None = None, *,
           bom: bool = False, stdout: IO[Any] | None = None) -> tuple[int, Path | None]:
    """Export every record of ``kind``: to the file ``out`` (atomically, owner-only; a
    directory gets ``<kind>.<ext>``) or to ``stdout``. Returns (records, path written)."""
    from cbtool.files import atomic_write

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if out is not None:
        path = Path(out)
        if path.is_dir():
            path = path / default_name(kind, fmt)
        if fmt == "xlsx":
            return write_xlsx(store, kind, path), path
        with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
            return write_text(store, kind, fmt, handle, bom=bom), path
    stream = stdout if stdout is not None else sys.stdout
    if fmt != "xlsx":
        return write_text(store, kind, fmt, stream, bom=bom), None
    # xlsx to a pipe: build it in a private temporary directory, then copy the bytes.
    with tempfile.TemporaryDirectory(prefix="cbtool-") as tmp:
        path = Path(tmp) / default_name(kind, fmt)
        count = write_xlsx(store, kind, path)
        binary = getattr(stream, "buffer", stream)
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, binary)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            binary.flush()
    return count, None
