"""Logical dump and load of the whole database.

``export_dump(db, DIR)`` writes every table of the database (whatever the schema holds:
tables added by later migrations come along without a change here) as one JSON Lines file
per table plus ``manifest.json``: the format, cbtool's version, the migrations applied
(the schema version), and per table its file, columns, row count and SHA-256. sqlite's own
tables, the migrations table (the manifest carries it) and virtual tables with their
shadow tables (derived data) are left out.

Each line of a table's file is one row: a JSON array of its values in the manifest's
column order. JSON keeps SQLite's storage classes apart exactly: ``null`` is NULL (never
an empty string, as in CSV), ``1`` an INTEGER, ``1.0`` a REAL (Python writes the shortest
text that reads back to the same double), a string TEXT; the two values JSON has no word
for are tagged objects, ``{"blob": "<base64>"}`` and ``{"real": "inf"|"-inf"}``. A row
table whose rowid is not one of its columns (``areas``, ``members``) has its rowid as the
first value, so the loaded table is equal row for row, rowids too. A dump is data only:
loading it runs no SQL from the files, the schema being the target database's own.

``load_dump(store, DIR)`` checks the whole directory first (manifest, every file, its
checksum and row count, the same schema version, an empty target) and then inserts
every row in one transaction (foreign keys checked at its end): all of it or nothing.
The load is audited in that transaction, after the dump's own audit rows (table
``database``, action ``restore_db``, the directory loaded).

Restoring a backup file: ``cbtool.restore``.

Why one module of ~500 lines: export and load are each other's inverse (encode/decode,
the manifest written/checked) and are kept side by side.
"""

from __future__ import annotations

import base64
import hashlib
import json
import math
import os
import re
import shutil
import sqlite3
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbtool import clock
from cbtool.errors import Conflict, EnvError, InvalidInput
from cbtool.files import atomic_write, make_dirs, sweep, write_error
from cbtool.text import Msg, pick

if TYPE_CHECKING:
    from sqlite_utils import Database

    from cbtool.store import Store

FORMAT = "cbtool-dump"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
BATCH = 1000

NOT_A_DUMP = Msg("{path} 不是 cbtool 导出目录或已损坏：{reason}，未写入任何内容",
                 "{path} is not a cbtool dump or is damaged: {reason}; nothing was written")
NEWER_DUMP = Msg("{path} 由更新版本的 cbtool 导出（格式 {version}），请升级 cbtool",
                 "{path} was exported by a newer cbtool (format {version}); upgrade cbtool")
SCHEMA_DIFFERS = Msg(
    "导出目录的数据库结构版本是 {theirs}，本数据库是 {ours}，二者须相同，未写入任何内容"
    "（请用与导出时相同版本的 cbtool 导入，之后再升级）",
    "the dump is at schema version {theirs}, this database at {ours}; they must be the same, "
    "nothing was written (import with the cbtool that exported it, then upgrade)")
NOT_EMPTY = Msg("数据库 {path} 已有记录（{table} 表 {rows} 行），只能导入到空数据库（先 cbtool init 新建），"
                "未写入任何内容",
                "the database {path} holds records ({table}: {rows} rows); a dump loads only "
                "into an empty database (make one with cbtool init); nothing was written")
DIR_IN_USE = Msg("{path} 已存在且不是 cbtool 导出目录，不会覆盖（请另选一个新目录或空目录）",
                 "{path} exists and is not a cbtool dump; it is not overwritten (choose a new "
                 "or empty directory)")


# --- the schema, whatever it holds ------------------------------------------------------


@dataclass
class TableShape:
    name: str
    columns: list[str]  # the stored columns (generated ones are left out: SQLite computes them)
    rowid: bool  # each row starts with its rowid (a rowid table without an INTEGER PRIMARY KEY)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _skipped_names(db: Database) -> set[str]:
    """Virtual tables and their shadow tables."""
    conn = db.conn
    try:
        rows = conn.execute("PRAGMA table_list").fetchall()  # SQLite 3.37+
    except sqlite3.OperationalError:
        rows = None
    if rows is not None:
        return {r[1] for r in rows if r[0] == "main" and r[2] in ("virtual", "shadow")}
    virtual = [r[0] for r in conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL%'")]
    names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return set(virtual) | {n for n in names for v in virtual if n.startswith(f"{v}_")}


def table_shapes(db: Database) -> list[TableShape]:
    """Every table a dump carries, in the schema's order (parents before children there)."""
    from cbtool import migrations

    conn = db.conn
    skipped = _skipped_names(db)
    shapes = []
    for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY rowid").fetchall():
        if name.startswith("sqlite_") or name == migrations.TABLE or name in skipped:
            continue
        info = conn.execute(f"PRAGMA table_xinfo({_quote(name)})").fetchall()
        columns = [c[1] for c in info if c[6] == 0]  # hidden 2/3: generated columns
        pks = [c for c in info if c[5]]
        aliased = len(pks) == 1 and (pks[0][2] or "").upper() == "INTEGER"
        has_rowid = _has_rowid(conn, name, columns)
        shapes.append(TableShape(name, columns, has_rowid and not aliased))
    return shapes


def _has_rowid(conn: sqlite3.Connection, name: str, columns: list[str]) -> bool:
    word = _rowid_word(columns)
    if word is None:
        return False
    try:
        conn.execute(f"SELECT {word} FROM {_quote(name)} LIMIT 0")
    except sqlite3.OperationalError:  # WITHOUT ROWID
        return False
    return True


def _rowid_word(columns: list[str]) -> str | None:
    """A name for the rowid that no column of the table hides."""
    taken = {c.lower() for c in columns}
    return next((w for w in ("rowid", "_rowid_", "oid") if w not in taken), None)


def _select_list(shape: TableShape) -> str:
    names = [_quote(c) for c in shape.columns]
    if shape.rowid:
        names.insert(0, _rowid_word(shape.columns) or "rowid")
    return ", ".join(names)


def _file_name(table: str, taken: set[str]) -> str:
    stem = re.sub(r"[^A-Za-z0-9_-]", "_", table) or "table"
    name, n = f"{stem}.jsonl", 1
    while name.lower() in taken or name == MANIFEST:
        n += 1
        name = f"{stem}-{n}.jsonl"
    taken.add(name.lower())
    return name


# --- values ------------------------------------------------------------------------------


def encode(value: Any) -> Any:
    if isinstance(value, bytes):
        return {"blob": base64.b64encode(value).decode("ascii")}
    if isinstance(value, float) and math.isinf(value):
        return {"real": "inf" if value > 0 else "-inf"}
    return value


def decode(value: Any) -> Any:
    if isinstance(value, dict):
        if set(value) == {"blob"} and isinstance(value["blob"], str):
            return base64.b64decode(value["blob"], validate=True)
        if value == {"real": "inf"}:
            return math.inf
        if value == {"real": "-inf"}:
            return -math.inf
        raise ValueError("unknown tagged value")
    if isinstance(value, list) or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("not a column value")
    return value


def _line(row: tuple[Any, ...]) -> bytes:
    return (json.dumps([encode(v) for v in row], ensure_ascii=False, allow_nan=False,
                       separators=(",", ":")) + "\n").encode("utf-8")


def _no_constant(text: str) -> None:
    raise ValueError(f"{text} is not a value")


# --- export -----------------------------------------------------------------------------


def _tool_version() -> str:
    from cbtool import __version__

    return __version__


def _now() -> str:
    return clock.utc_stamp()


def export_dump(db: Database, directory: Path) -> dict[str, Any]:
    """Write the dump of ``db`` into ``directory`` (made 0700 if missing; a previous dump
    there is replaced whole, anything else refused). Returns the manifest.

    Every table is read in one read transaction: a consistent snapshot while others write.
    The files are written in a scratch directory beside ``directory`` and put in place at
    the end, so a killed export leaves the previous dump (or nothing) under that name."""
    from cbtool import migrations

    directory = Path(directory)
    _check_target_dir(directory)
    parent = directory.absolute().parent
    make_dirs(parent)
    sweep(parent, directory.name)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise write_error(exc, directory) from None
    conn = db.conn
    try:
        began = not conn.in_transaction
        if began:
            conn.execute("BEGIN")  # deferred: the first read fixes the snapshot
        try:
            applied = migrations.applied(db)
            tables: dict[str, Any] = {}
            taken: set[str] = set()
            for shape in table_shapes(db):
                name = _file_name(shape.name, taken)
                digest, rows = hashlib.sha256(), 0
                with atomic_write(scratch / name, "wb") as out:
                    cursor = conn.execute(
                        f"SELECT {_select_list(shape)} FROM {_quote(shape.name)}"
                        + (" ORDER BY 1" if shape.rowid else ""))
                    for row in cursor:
                        data = _line(row)
                        digest.update(data)
                        out.write(data)
                        rows += 1
                tables[shape.name] = {"file": name, "columns": shape.columns,
                                      "rowid": shape.rowid, "rows": rows,
                                      "sha256": digest.hexdigest()}
        finally:
            if began and conn.in_transaction:
                conn.execute("COMMIT")
        manifest = {
            "format": FORMAT, "format_version": FORMAT_VERSION,
            "tool_version": _tool_version(),
            "schema_version": applied[-1] if applied else None, "migrations": applied,
            "sqlite_version": sqlite3.sqlite_version, "exported_at": _now(),
            "tables": tables,
        }
        with atomic_write(scratch / MANIFEST) as out:
            json.dump(manifest, out, ensure_ascii=False, indent=2)
            out.write("\n")
        _put_in_place(scratch, directory)
    except BaseException:
        shutil.rmtree(scratch, ignore_errors=True)
        raise
    return manifest


def _check_target_dir(directory: Path) -> None:
    if directory.is_symlink():
        from cbtool.files import IS_LINK

        raise EnvError(IS_LINK, path=str(directory))
    if not directory.exists():
        return
    if not directory.is_dir():
        raise Conflict(DIR_IN_USE, path=str(directory))
    entries = os.listdir(directory)
    if entries and not (directory / MANIFEST).is_file():
        raise Conflict(DIR_IN_USE, path=str(directory))
    if entries:
        try:
            manifest = json.loads((directory / MANIFEST).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            manifest = None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise Conflict(DIR_IN_USE, path=str(directory))
        files = {MANIFEST} | {t.get("file") for t in manifest.get("tables", {}).values()
                              if isinstance(t, dict)}
        if set(entries) - files:  # something else lives there too: not ours to remove
            raise Conflict(DIR_IN_USE, path=str(directory))


def _put_in_place(scratch: Path, directory: Path) -> None:
    from cbtool.files import fsync_dir

    parent = scratch.parent
    old = None
    try:
        if directory.exists():
            old = Path(tempfile.mkdtemp(prefix=f".{directory.name}.", suffix=".old", dir=parent))
            os.rename(directory, old / "dump")
        os.rename(scratch, directory)
        fsync_dir(parent)
    except OSError as exc:
        if old is not None and not directory.exists() and (old / "dump").exists():
            os.rename(old / "dump", directory)  # put the previous dump back
        raise write_error(exc, directory) from None
    finally:
        if old is not None:
            shutil.rmtree(old, ignore_errors=True)


# --- import -----------------------------------------------------------------------------


@dataclass
class Dump:
    """A checked dump directory."""

    path: Path
    manifest: dict[str, Any]
    tables: list[tuple[TableShape, dict[str, Any]]] = field(default_factory=list)


_FILE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]*\.jsonl")


class DumpRefused(InvalidInput):
    """A dump directory refused (exit 1): NOT_A_DUMP with a reason in both languages."""

    def __init__(self, path: Path, zh: str, en: str) -> None:
        super().__init__(NOT_A_DUMP, path=str(path), reason=en)
        self.reasons = (zh, en)

    def message(self, lang: str = "zh") -> str:
        return self.msg.render(lang, **{**self.params, "reason": pick(self.reasons, lang)})


def _bad(path: Path, zh: str, en: str) -> DumpRefused:
    return DumpRefused(path, zh, en)


def read_manifest(directory: Path) -> dict[str, Any]:
    """The manifest of a dump directory, its shape checked (not yet its files)."""
    directory = Path(directory)
    if not directory.is_dir():
        raise _bad(directory, "没有这个目录", "no such directory")
    try:
        manifest = json.loads((directory / MANIFEST).read_bytes().decode("utf-8"),
                              parse_constant=_no_constant)
    except FileNotFoundError:
        raise _bad(directory, f"缺少 {MANIFEST}", f"no {MANIFEST}") from None
    except (OSError, ValueError) as exc:
        raise _bad(directory, f"{MANIFEST} 无法读取（{exc}）",
                   f"{MANIFEST} unreadable ({exc})") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _bad(directory, f"{MANIFEST} 不是 cbtool 导出清单",
                   f"{MANIFEST} is not a cbtool dump manifest")
    version = manifest.get("format_version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise _bad(directory, "缺少 format_version", "format_version missing")
    if version > FORMAT_VERSION:
        raise InvalidInput(NEWER_DUMP, path=str(directory), version=version)
    migrations = manifest.get("migrations")
    tables = manifest.get("tables")
    if not (isinstance(migrations, list) and all(isinstance(m, str) for m in migrations)):
        raise _bad(directory, "缺少 migrations", "migrations missing")
    if not isinstance(tables, dict):
        raise _bad(directory, "缺少 tables", "tables missing")
    for name, entry in tables.items():
        ok = (isinstance(entry, dict) and isinstance(entry.get("file"), str)
              and _FILE_NAME.fullmatch(entry["file"]) is not None
              and isinstance(entry.get("columns"), list)
              and all(isinstance(c, str) for c in entry["columns"])
              and isinstance(entry.get("rowid"), bool)
              and isinstance(entry.get("rows"), int) and not isinstance(entry["rows"], bool)
              and entry["rows"] >= 0
              and isinstance(entry.get("sha256"), str)
              and re.fullmatch(r"[0-9a-f]{64}", entry["sha256"]) is not None)
        if not ok:
            raise _bad(directory, f"表 {name!r} 的描述有误", f"table {name!r} described wrongly")
    return manifest


def _file_tally(path: Path) -> tuple[str, int]:
    digest, lines = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
            lines += chunk.count(b"\n")
    return digest.hexdigest(), lines


def check_dump(directory: Path, db: Database) -> Dump:
    """Everything about ``directory`` that can be checked before writing, against ``db``:
    the manifest, the schema version and tables, every file's checksum and row count."""
    from cbtool import migrations

    directory = Path(directory)
    manifest = read_manifest(directory)
    ours = migrations.applied(db)
    if manifest["migrations"] != ours:
        theirs = manifest["migrations"]
        raise InvalidInput(SCHEMA_DIFFERS, theirs=theirs[-1] if theirs else "-",
                           ours=ours[-1] if ours else "-")
    shapes = {s.name: s for s in table_shapes(db)}
    tables = manifest["tables"]
    missing = sorted(set(shapes) - set(tables))
    extra = sorted(set(tables) - set(shapes))
    if missing or extra:
        differ = ", ".join([*(f"-{t}" for t in missing), *(f"+{t}" for t in extra)])
        raise _bad(directory, f"数据表与本数据库不同：{differ}",
                   f"tables differ from this database's: {differ}")
    dump = Dump(directory, manifest)
    for name, entry in tables.items():
        shape = shapes[name]
        if entry["columns"] != shape.columns or entry["rowid"] != shape.rowid:
            raise _bad(directory, f"{name} 表的列与本数据库不同",
                       f"the columns of {name} differ from this database's")
        path = directory / entry["file"]
        if path.is_symlink() or not path.is_file():
            raise _bad(directory, f"缺少 {entry['file']}", f"{entry['file']} missing")
        try:
            digest, lines = _file_tally(path)
        except OSError as exc:
            raise _bad(directory, f"{entry['file']}：{exc.strerror or exc}",
                       f"{entry['file']}: {exc.strerror or exc}") from None
        if digest != entry["sha256"]:
            raise _bad(directory, f"{entry['file']} 校验和不符", f"{entry['file']}: checksum mismatch")
        if lines != entry["rows"]:
            raise _bad(directory, f"{entry['file']} 有 {lines} 行，清单写的是 {entry['rows']} 行",
                       f"{entry['file']}: {lines} rows, the manifest says {entry['rows']}")
        dump.tables.append((shape, entry))
    return dump


def first_record(db: Database) -> tuple[str, int] | None:
    """A table holding rows, and how many (None: the database holds no records)."""
    for shape in table_shapes(db):
        rows = db.conn.execute(f"SELECT count(*) FROM {_quote(shape.name)}").fetchone()[0]
        if rows:
            return shape.name, rows
    return None


def load_dump(store: Store, directory: Path) -> dict[str, int]:
    """Load the dump in ``directory`` into the store's empty database, in one transaction.
    Returns the rows loaded per table. Nothing is written unless all of it is."""
    directory = Path(directory)
    store.require_writable()
    dump = check_dump(directory, store.db)
    with store.transaction():
        if held := first_record(store.db):  # under the write lock: nobody adds one meanwhile
            raise Conflict(NOT_EMPTY, path=str(store.path), table=held[0], rows=held[1])
        store.execute("PRAGMA defer_foreign_keys = ON")  # parents and children in any order
        counts = {shape.name: _load_table(store, dump, shape, entry)
                  for shape, entry in dump.tables}
        problems = store.execute("PRAGMA foreign_key_check").fetchmany(1)
        if problems:
            table, rowid, parent, _ = problems[0]
            raise _bad(directory, f"{table} 第 {rowid} 行：{parent} 中没有它引用的记录",
                       f"{table} row {rowid}: missing {parent}")
        from cbtool.restore import record_restore

        record_restore(store, directory)  # the load itself, after the dump's own audit
    return counts


def _load_table(store: Store, dump: Dump, shape: TableShape, entry: dict[str, Any]) -> int:
    names = [_quote(c) for c in shape.columns]
    if shape.rowid:
        names.insert(0, _rowid_word(shape.columns) or "rowid")
    sql = (f"INSERT INTO {_quote(shape.name)} ({', '.join(names)}) "
           f"VALUES ({', '.join('?' * len(names))})")
    width = len(names)
    digest, rows, batch = hashlib.sha256(), 0, []
    with open(dump.path / entry["file"], "rb") as handle:
        for raw in handle:
            digest.update(raw)
            rows += 1
            try:
                values = json.loads(raw.decode("utf-8"), parse_constant=_no_constant)
                if not isinstance(values, list) or len(values) != width:
                    raise ValueError(f"not an array of {width} values")
                batch.append([decode(v) for v in values])
            except ValueError as exc:
                raise _bad(dump.path, f"{entry['file']} 第 {rows} 行：{exc}",
                           f"{entry['file']} line {rows}: {exc}") from None
            if len(batch) >= BATCH:
                _insert(store, dump, entry, sql, batch)
                batch = []
    _insert(store, dump, entry, sql, batch)
    if digest.hexdigest() != entry["sha256"] or rows != entry["rows"]:  # changed meanwhile
        raise _bad(dump.path, f"{entry['file']} 校验和不符", f"{entry['file']}: checksum mismatch")
    return rows


def _insert(store: Store, dump: Dump, entry: dict[str, Any], sql: str,
            batch: list[list[Any]]) -> None:
    try:
        store.conn.executemany(sql, batch)
    except sqlite3.IntegrityError as exc:
        raise _bad(dump.path, f"{entry['file']}：{exc}", f"{entry['file']}: {exc}") from None
