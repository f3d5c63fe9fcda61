"""Opening the database: where it is, how it is opened (WAL, foreign keys, busy timeout),
migrating an older file after a backup, and the ``db`` maintenance tasks.

The open policy: only a cbtool database is opened (another application's file, or an empty
one, is refused untouched; ``init`` alone creates the schema, in a new or empty file); an
existing file's mode is never changed (new files are created 0600, and SQLite gives its
-wal/-shm files the database's mode); a file that may not be written, or one in a directory
that may not be written, is opened read-only (reads work, writes are refused); the pending
migrations are applied as one transaction after a backup.

Why one module of ~410 lines: opening, migrating and the ``db`` tasks (info, check,
backups) all keep the one open policy above.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import stat
import urllib.parse
from pathlib import Path
from typing import TYPE_CHECKING

from cbtool import clock
from cbtool.errors import CbError, Conflict, EnvError, os_reason
from cbtool.files import CANNOT_WRITE, OWNER_ONLY, make_dirs, temp_full
from cbtool.text import Msg

if TYPE_CHECKING:
    from sqlite_utils import Database

BUSY_TIMEOUT_MS = 5000

NO_DATABASE = Msg(
    "数据库不存在：{path}（先运行 cbtool init，或用 {opt_db} 指定）",
    "no database at {path} (run cbtool init first, or give {opt_db})",
)
CANNOT_OPEN = Msg("无法打开数据库 {path}：{reason}", "cannot open the database {path}: {reason}")
REFUSED = Msg(
    "数据库 {path} 拒绝了这项修改（{reason}）：它与已有的记录冲突，或仍被别的记录引用；未写入任何内容",
    "the database {path} refused the change ({reason}): it conflicts with a stored record or "
    "one still refers to it; nothing was written",
)
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
BACKUP_EXISTS = Msg("备份目标已存在（或是符号链接）：{path}",
                    "the backup target exists already (or is a symbolic link): {path}")
READ_ONLY = Msg("数据库只读，未写入任何内容：{path}",
                "the database is read-only; nothing was written: {path}")
READ_ONLY_OLD = Msg("数据库只读，无法升级结构（{names}）：{path}",
                    "the database is read-only and cannot be upgraded ({names}): {path}")
NOT_CBTOOL = Msg("{path} 不是 cbtool 数据库（请先运行 cbtool init）",
                 "{path} is not a cbtool database (run `cbtool init`)")
FOREIGN = Msg("{path} 存有其他程序的数据表，不是 cbtool 数据库；init 不会改动它，请用 {opt_db} 另选文件",
              "{path} holds another application's tables, not a cbtool database; init leaves "
              "it alone (choose another file with {opt_db})")
MIGRATE_FAILED = Msg("数据库结构升级失败，已全部撤销，文件仍是 {version}：{reason}",
                     "upgrading the database failed and was undone; the file is still at "
                     "{version}: {reason}")


def default_db_path() -> Path:
    from platformdirs import user_data_dir

    return Path(user_data_dir("cbtool", appauthor=False)) / "cbtool.db"


def resolve_db_path(cli_value: str | None, config_value: str | None) -> Path:
    """{opt_db}, CBTOOL_DB, the config's ``database``, the user data directory — in that order."""
    for candidate in (cli_value, os.environ.get("CBTOOL_DB"), config_value):
        if candidate:
            return Path(candidate).expanduser()
    return default_db_path()


def _may_write(path: Path, st: os.stat_result) -> bool:
    """Whether cbtool may write the file: the system lets this user (``os.access``), and its
    mode grants a write to someone — a 0444 file is read-only for root too."""
    return bool(st.st_mode & 0o222) and os.access(path, os.W_OK)


def _cannot_create_files(exc: sqlite3.Error) -> bool:
    """SQLite could not open or write the file or its -wal/-shm beside it (a read-only file
    or directory)."""
    name = getattr(exc, "sqlite_errorname", "")
    return name.startswith(("SQLITE_CANTOPEN", "SQLITE_READONLY"))


def _try_connect(target: str, *, uri: bool = False) -> sqlite3.Connection:
    conn = sqlite3.connect(target, timeout=BUSY_TIMEOUT_MS / 1000, uri=uri)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()  # opens it for real
    except BaseException:
        conn.close()
        raise
    return conn


def _connect(path: Path, st: os.stat_result) -> tuple[sqlite3.Connection, bool]:
    """A connection and whether it is read-only. Nothing is written: no journal mode is set
    here (only a file known to be cbtool's gets WAL, in ``open_database``)."""
    if _may_write(path, st):
        try:
            return _try_connect(str(path)), False
        except sqlite3.OperationalError as exc:
            if not _cannot_create_files(exc):  # not a read-only directory: a real failure
                raise
    uri = "file:" + urllib.parse.quote(str(path.absolute())) + "?mode=ro"
    wal = Path(f"{path}-wal")
    settled = not wal.exists() or wal.stat().st_size == 0  # nothing waiting in a WAL
    if settled and not st.st_mode & 0o222:
        # Nobody may write it: read the file as it is, without creating -wal/-shm beside it.
        return _try_connect(uri + "&immutable=1", uri=True), True
    try:
        return _try_connect(uri, uri=True), True
    except sqlite3.OperationalError as exc:
        if not (settled and _cannot_create_files(exc)):
            raise
    # A directory we cannot write: SQLite cannot make the -shm a WAL reader needs, and
    # no writer can be at work there either (it would need its -wal).
    return _try_connect(uri + "&immutable=1", uri=True), True


def translate(exc: sqlite3.Error, path: Path | str) -> CbError:
    """Turn an SQLite error of the environment into cbtool's EnvError (exit 3); a change
    a constraint refused (a record still referred to) is a conflict (exit 1), not a
    database that cannot be opened."""
    text = str(exc)
    if isinstance(exc, sqlite3.IntegrityError):
        return Conflict(REFUSED, path=str(path), reason=text)
    low = text.lower()
    if "readonly" in low or "read-only" in low:
        return EnvError(READ_ONLY, path=str(path))
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
    try:
        make_dirs(path.parent)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, OWNER_ONLY)
        os.close(fd)
    except FileExistsError:
        if path.is_symlink():  # dangling: cbtool never creates a file through a link
            raise EnvError(CANNOT_OPEN, path=str(path), reason="a symbolic link") from None
    except OSError as exc:
        raise EnvError(CANNOT_OPEN, path=str(path), reason=os_reason(exc)) from None


def as_database(conn: sqlite3.Connection) -> Database:
    """sqlite-utils' Database over an open connection (imported only when needed: reads and
    the common writes use the connection itself)."""
    from sqlite_utils import Database

    return Database(conn, execute_plugins=False)


class Opened:
    """A database file opened: its connection, and what opening it did."""

    __slots__ = ("conn", "migrated", "backup", "read_only", "_db")

    def __init__(self, conn: sqlite3.Connection, *, read_only: bool = False) -> None:
        self.conn = conn
        self.migrated: list[str] = []  # migrations applied just now
        self.backup: Path | None = None  # the copy written before migrating an older file
        self.read_only = read_only  # opened read-only: writes are refused (exit 3)
        self._db: Database | None = None

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database, made on first use."""
        if self._db is None:
            self._db = as_database(self.conn)
        return self._db


def _stat(path: Path, create: bool) -> os.stat_result:
    try:
        st = path.stat()
    except FileNotFoundError:
        if not create:
            raise EnvError(NO_DATABASE, path=str(path)) from None
        create_file(path)
        st = path.stat()
    except OSError as exc:
        raise EnvError(CANNOT_OPEN, path=str(path), reason=os_reason(exc)) from None
    if stat.S_ISDIR(st.st_mode):
        raise EnvError(CANNOT_OPEN, path=str(path), reason="is a directory")
    if not stat.S_ISREG(st.st_mode):
        raise EnvError(CANNOT_OPEN, path=str(path), reason="not a regular file")
    return st


def open_database(path: Path, *, create: bool = False, migrate: bool = True) -> Opened:
    """Open (and with ``create``, create) the database, migrating an older schema."""
    from cbtool import migrations

    st = _stat(path, create)
    if st.st_size == 0 and not create:  # an empty file (cbtool's own, killed in init, too)
        raise EnvError(NOT_CBTOOL, path=str(path))
    try:
        conn, read_only = _connect(path, st)
    except sqlite3.DatabaseError as exc:
        raise translate(exc, path) from None
    opened = Opened(conn, read_only=read_only)
    try:
        applied = migrations.applied(conn)
        if not applied:
            tables = {r[0] for r in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'")}
            if tables - {migrations.TABLE}:
                raise EnvError(FOREIGN if create else NOT_CBTOOL, path=str(path))
            if not create:
                raise EnvError(NOT_CBTOOL, path=str(path))
        unknown = sorted(set(applied) - set(migrations.known()))
        if unknown:
            raise EnvError(NEWER_SCHEMA, path=str(path), names=", ".join(unknown))
        if not read_only:
            conn.execute("PRAGMA journal_mode = WAL")  # stays as it was in a read-only place
            conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
        pending = migrations.pending(conn, applied)
        if migrate and pending:  # only now is sqlite-utils needed
            if read_only:
                raise EnvError(READ_ONLY_OLD if applied else READ_ONLY, path=str(path),
                               names=", ".join(pending))
            if applied:
                opened.backup = backup_before_migrate(opened.db, path, applied[-1])
            opened.migrated = _migrate(opened.db, path, applied)
    except sqlite3.DatabaseError as exc:
        conn.close()
        raise translate(exc, path) from None
    except BaseException:
        conn.close()
        raise
    return opened


def _migrate(db: Database, path: Path, applied: list[str]) -> list[str]:
    """Apply every pending migration in one transaction: all of them, or (on any error, a
    full disk included) none, the file left at its previous version."""
    from cbtool import migrations

    conn = db.conn
    try:
        conn.execute("BEGIN IMMEDIATE")
        pending = migrations.pending(db)  # again, under the lock: another process may have
        migrations.apply(db)  # migrated it meanwhile; nested transactions become savepoints
        conn.execute("COMMIT")
    except BaseException as exc:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        if isinstance(exc, sqlite3.OperationalError) and "lock" in str(exc).lower():
            raise translate(exc, path) from None
        if isinstance(exc, sqlite3.Error):
            raise EnvError(MIGRATE_FAILED, version=applied[-1] if applied else "-",
                           reason=str(exc)) from None
        raise
    return pending


def _stamp() -> str:
    return clock.now().strftime("%Y%m%dT%H%M%SZ")


def backup_before_migrate(db: Database, path: Path, version: str) -> Path:
    return backup_beside(db, path.with_name(f"{path.name}.bak-{version}-{_stamp()}"))


def backup_beside(db: Database, target: Path) -> Path:
    """``backup_to`` a name cbtool chose: when it is taken (a rerun in the same second, a
    link planted there), the next free one (``name-2``, ``name-3``, …) — never over it."""
    for n in range(1, 100):
        stem, suffix = (target.stem, ".db") if target.suffix == ".db" else (target.name, "")
        candidate = target if n == 1 else target.with_name(f"{stem}-{n}{suffix}")
        if os.path.lexists(candidate):
            continue
        try:
            return backup_to(db, candidate)
        except EnvError as exc:
            if exc.msg is not BACKUP_EXISTS:  # taken meanwhile: try the next name
                raise
    raise EnvError(BACKUP_EXISTS, path=str(target))


def backup_to(db: Database, target: Path) -> Path:
    """A consistent copy through SQLite's online backup API (safe while others write).

    Written to a temporary 0600 file beside the target, fsynced, then linked to the final
    name, which must not exist (a symbolic link there, dangling or not, is refused and never
    followed): a killed or failed backup leaves no file under the final name."""
    if os.path.lexists(target):
        raise EnvError(BACKUP_EXISTS, path=str(target))
    directory = target.parent
    import tempfile  # a backup's only: opening a database never loads it

    try:
        make_dirs(directory)
        fd, name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=directory)
    except OSError as exc:
        raise EnvError(CANNOT_WRITE, path=str(target), reason=os_reason(exc)) from None
    os.close(fd)
    tmp = Path(name)
    try:
        dest = sqlite3.connect(tmp)
        try:
            dest.execute("PRAGMA journal_mode = MEMORY")  # no -journal file beside it
            db.conn.backup(dest)
        finally:
            dest.close()
        _fsync(tmp)
        _place(tmp, target)
        _fsync(directory)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            tmp.unlink()
        if isinstance(exc, sqlite3.Error):
            raise translate(exc, target) from None
        if isinstance(exc, OSError):
            raise EnvError(CANNOT_WRITE, path=str(target),
                           reason=os_reason(exc)) from None
        raise
    return target


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    except OSError:
        if not path.is_dir():  # some file systems cannot sync a directory
            raise
    finally:
        os.close(fd)


def _place(tmp: Path, target: Path) -> None:
    """Give ``tmp`` the name ``target``, never replacing what is there."""
    try:
        os.link(tmp, target)
    except FileExistsError:
        raise EnvError(BACKUP_EXISTS, path=str(target)) from None
    except OSError:  # no hard links here (some mounted file systems): rename, checked first
        if os.path.lexists(target):
            raise EnvError(BACKUP_EXISTS, path=str(target)) from None
        os.rename(tmp, target)
        return
    tmp.unlink()


def default_backup_path(path: Path) -> Path:
    return path.with_name(f"{path.stem}-backup-{_stamp()}{path.suffix or '.db'}")


def info(db: Database, path: Path, *, read_only: bool = False) -> dict[str, object]:
    from cbtool import migrations

    tables = ["areas", "points", "members", "category_changes", "contacts", "logs",
              "log_participants", "checks", "teams", "volunteers", "service", "audit"]
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
        "read_only": read_only,
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
