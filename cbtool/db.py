"""Opening the database: where it is, how it is opened (WAL, foreign keys, busy timeout,
owner-only), migrating an older file after a backup, and the ``db`` maintenance tasks."""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from cbtool.errors import EnvError
from cbtool.files import OWNER_ONLY, make_dirs, owner_only, temp_full
from cbtool.text import Msg

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000

NO_DATABASE = Msg(
    "数据库不存在：{path}（先运行 cbtool init，或用 --db 指定）",
    "no database at {path} (run cbtool init first, or give --db)",
)
CANNOT_OPEN = Msg("无法打开数据库 {path}：{reason}", "cannot open the database {path}: {reason}")
NOT_A_DB = Msg(
    "{path} 不是 cbtool 数据库或已损坏：{reason}",
    "{path} is not a cbtool database or is damaged: {reason}",
)
NEWER_SCHEMA = Msg(
    "数据库 {path} 由更新版本的 cbtool 创建（{names}），请升级 cbtool",
    "the database {path} was written by a newer cbtool ({names}); upgrade cbtool",
)
LOCKED = Msg(
    "数据库正忙（被其他程序锁定超过 {seconds} 秒）：{path}",
    "the database is locked by another process for more than {seconds} s: {path}",
)
DISK_FULL = Msg(
    "磁盘已满或文件过大，未写入任何内容：{path}",
    "the disk is full or the file too large; nothing was written: {path}",
)
BACKUP_EXISTS = Msg("备份目标已存在：{path}", "the backup target exists already: {path}")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("cbtool", appauthor=False)) / "cbtool.db"


def resolve_db_path(cli_value: str | None, config_value: str | None) -> Path:
    """--db, CBTOOL_DB, the config's ``database``, the user data directory — in that order."""
    for candidate in (cli_value, os.environ.get("CBTOOL_DB"), config_value):
        if candidate:
            return Path(candidate).expanduser()
    return default_db_path()


def _connect(path: Path) -> Database:
    from sqlite_utils import Database

    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000)
        db = Database(conn, execute_plugins=False)
        db.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        mode = db.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        if mode.lower() != "wal":  # e.g. a read-only directory: keep going, reads still work
            pass
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA synchronous = NORMAL")
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    return db


def translate(exc: sqlite3.Error, path: Path | str) -> EnvError:
    """Turn an SQLite error of the environment into cbtool's EnvError (exit 3)."""
    text = str(exc)
    low = text.lower()
    if "locked" in low or "busy" in low:
        return EnvError(LOCKED, path=str(path), seconds=BUSY_TIMEOUT_MS // 1000)
    if "full" in low and (in_temp := temp_full(path)):  # SQLite's scratch files, not the db
        return in_temp
    if "full" in low or "too big" in low:
        return EnvError(DISK_FULL, path=str(path))
    if "not a database" in low or "malformed" in low or "corrupt" in low:
        return EnvError(NOT_A_DB, path=str(path), reason=text)
    return EnvError(CANNOT_OPEN, path=str(path), reason=text)


def create_file(path: Path) -> None:
    """Create an empty, owner-only database file (and its directory)."""
    make_dirs(path.parent)  # each directory made is 0700, whatever the umask
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, OWNER_ONLY)
        os.close(fd)
    except FileExistsError:
        pass
    except OSError as exc:
        raise EnvError(CANNOT_OPEN, path=str(path), reason=exc.strerror or str(exc)) from None


@dataclass
class Opened:
    db: Database
    migrated: list[str] = field(default_factory=list)  # migrations applied just now
    backup: Path | None = None  # the copy written before migrating an older file


def open_database(path: Path, *, create: bool = False, migrate: bool = True) -> Opened:
    """Open (and with ``create``, create) the database, migrating an older schema."""
    from cbtool import migrations

    if not path.exists():
        if not create:
            raise EnvError(NO_DATABASE, path=str(path))
        create_file(path)
    elif path.is_dir():
        raise EnvError(CANNOT_OPEN, path=str(path), reason="is a directory")
    db = _connect(path)
    opened = Opened(db)
    try:
        applied = migrations.applied(db)
        unknown = sorted(set(applied) - set(migrations.known()))
        if unknown:
            raise EnvError(NEWER_SCHEMA, path=str(path), names=", ".join(unknown))
        if migrate and migrations.pending(db):
            if applied:
                opened.backup = backup_before_migrate(db, path, applied[-1])
            opened.migrated = migrations.pending(db)
            migrations.migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        db.close()
        raise translate(exc, path) from None
    except EnvError:
        db.close()
        raise
    for suffix in ("", "-wal", "-shm"):
        owner_only(f"{path}{suffix}")
    return opened


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")


def backup_before_migrate(db: Database, path: Path, version: str) -> Path:
    target = path.with_name(f"{path.name}.bak-{version}-{_stamp()}")
    backup_to(db, target)
    return target


def backup_to(db: Database, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while others write)."""
    if target.exists():
        raise EnvError(BACKUP_EXISTS, path=str(target))
    create_file(target)
    dest = sqlite3.connect(str(target))
    try:
        db.conn.backup(dest)
    except sqlite3.Error as exc:
        dest.close()
        target.unlink(missing_ok=True)
        raise translate(exc, target) from None
    dest.close()
    owner_only(target)
    return target


def default_backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-backup-{_stamp()}{path.suffix or '.db'}")


def info(db: Database, path: Path) -> dict[str, object]:
    from cbtool import migrations

    tables = ["areas", "points", "members", "category_changes", "contacts", "logs",
              "log_participants", "checks", "audit"]
    existing = set(db.table_names())
    counts = {
        t: db.execute(f"SELECT count(*) FROM [{t}]").fetchone()[0] for t in tables if t in existing
    }
    applied = migrations.applied(db)
    return {
        "path": str(path.resolve()),
        "size_bytes": path.stat().st_size if path.exists() else 0,
        "schema_version": applied[-1] if applied else None,
        "migrations_applied": len(applied),
        "migrations_pending": len(migrations.pending(db)),
        "journal_mode": db.execute("PRAGMA journal_mode").fetchone()[0],
        "sqlite_version": sqlite3.sqlite_version,
        **{f"rows_{t}": n for t, n in counts.items()},
    }


def check(db: Database) -> list[str]:
    """Problems found by SQLite's integrity and foreign-key checks (empty: all good)."""
    problems = [row[0] for row in db.execute("PRAGMA integrity_check").fetchall()]
    problems = [p for p in problems if p != "ok"]
    for table, rowid, parent, _ in db.execute("PRAGMA foreign_key_check").fetchall():
        problems.append(f"{table} row {rowid}: missing {parent}")
    return problems
