"""Restoring a backup file over the open database.

``staged_restore(FILE, beside)`` copies a backup file (read-only, never changed) into a
private scratch directory, opens the copy under ``db.open_database``'s policy (a cbtool
database, not newer than this cbtool; its pending migrations applied) and checks its
integrity; ``restore_from(staged, db)`` then writes it over the open database with
SQLite's backup API, one write transaction: a kill mid-way leaves the database as it was,
and other connections see the old content or the new, never a mix. The restore is audited
in the restored database (table ``database``, action ``restore_db``: the file restored
from and where the replaced database was saved): the row is written into the staged copy
first, so it arrives with the content or not at all.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import sqlite3
import tempfile
import urllib.parse
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from cbtool.errors import EnvError, InvalidInput, NotFound
from cbtool.files import sweep, write_error
from cbtool.text import Msg

if TYPE_CHECKING:
    from sqlite_utils import Database

    from cbtool.store import Store

NO_BACKUP_FILE = Msg("备份文件不存在：{path}", "no backup file at {path}")
NOT_A_BACKUP = Msg("{path} 不是 cbtool 数据库备份或已损坏：{reason}",
                   "{path} is not a cbtool database backup or is damaged: {reason}")
SAME_FILE = Msg("{path} 就是当前数据库，无需恢复", "{path} is the database itself; nothing to restore")

@dataclass
class Staged:
    """A checked copy of a backup file, ready to be written over the database."""

    source: Path
    db: Database
    migrated: list[str]  # migrations applied to the copy (the backup was older)


@contextlib.contextmanager
def staged_restore(source: Path, beside: Path, *, page_size: int | None = None
                   ) -> Iterator[Staged]:
    """Copy ``source`` (opened read-only, never changed) into a private scratch directory
    beside the database ``beside``, open the copy as any database is opened (refused if it
    is not cbtool's or newer than this cbtool; pending migrations applied) and check it.
    ``page_size``: the database's, which the copy is given (SQLite's backup API cannot
    write into a WAL database of another page size). The scratch directory is removed on
    leaving."""
    from cbtool.db import check, open_database

    source = Path(source)
    if not source.is_file():
        raise NotFound(NO_BACKUP_FILE, path=str(source))
    with contextlib.suppress(OSError):
        if beside.exists() and os.path.samefile(source, beside):
            raise InvalidInput(SAME_FILE, path=str(source))
    parent = beside.absolute().parent
    sweep(parent, beside.name)
    try:
        scratch = Path(tempfile.mkdtemp(prefix=f".{beside.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise write_error(exc, beside) from None
    opened = None
    try:
        copy = scratch / "restore.db"
        _copy_read_only(source, copy, page_size)
        try:
            opened = open_database(copy)
        except EnvError as exc:
            raise InvalidInput(NOT_A_BACKUP, path=str(source),
                               reason=exc.message("en")) from None
        problems = check(opened.db)
        if problems:
            raise InvalidInput(NOT_A_BACKUP, path=str(source), reason=problems[0])
        yield Staged(source, opened.db, opened.migrated)
    finally:
        if opened is not None:
            opened.db.close()
        shutil.rmtree(scratch, ignore_errors=True)


def _copy_read_only(source: Path, copy: Path, page_size: int | None = None) -> None:
    """Copy ``source`` without writing anything beside it: with nothing waiting in a -wal
    file the file is read as it is (no -wal/-shm made for a reader), else read-only."""
    uri = "file:" + urllib.parse.quote(str(source.absolute())) + "?mode=ro"
    wal = Path(f"{source}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        uri += "&immutable=1"
    dest = None
    try:
        src = sqlite3.connect(uri, uri=True)
        try:
            fd = os.open(copy, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
            os.close(fd)
            dest = sqlite3.connect(copy)
            src.backup(dest)
            if page_size and dest.execute("PRAGMA page_size").fetchone()[0] != page_size:
                dest.execute("PRAGMA journal_mode = DELETE")  # a WAL file keeps its page size
                dest.execute(f"PRAGMA page_size = {int(page_size)}")
                dest.execute("VACUUM")
        finally:
            src.close()
            if dest is not None:
                dest.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(NOT_A_BACKUP, path=str(source), reason=str(exc)) from None
    if copy.stat().st_size == 0:
        raise InvalidInput(NOT_A_BACKUP, path=str(source), reason="an empty file")


def restore_from(staged: Staged, db: Database, path: Path) -> None:
    """Write the staged copy over the database ``db`` (at ``path``): SQLite's backup API in
    one step, which is one write transaction on ``db`` — all of it or (killed, failed)
    none of it."""
    from cbtool.db import translate

    try:
        staged.db.conn.backup(db.conn)
    except sqlite3.Error as exc:
        raise translate(exc, path) from None


def restore(store: Store, source: Path, *, before: Callable[[Staged], None] | None = None
            ) -> tuple[Path, list[str]]:
    """Restore the backup ``source`` over the store's database after backing that up
    beside it. ``before`` is called once the backup file is checked, before anything is
    written (the command line asks there; raising stops the restore). Returns the path of
    the previous database's backup and the migrations applied to the restored copy."""
    from cbtool.db import backup_beside, default_backup_path

    store.require_writable()
    with staged_restore(source, store.path, page_size=page_size(store.db)) as staged:
        if before is not None:
            before(staged)
        saved = backup_beside(store.db, default_backup_path(store.path))
        _audit(store, staged, saved)
        restore_from(staged, store.db, store.path)
        return saved, staged.migrated


def _audit(store: Store, staged: Staged, saved: Path) -> None:
    """The restore's own audit row, in the staged copy (committed there before the copy is
    written over the database)."""
    conn = staged.db.conn
    with conn:
        record_restore(store.over(conn), staged.source, saved)


def record_restore(store: Store, source: Path, previous: Path | None = None) -> None:
    """Audit the whole database put back from ``source`` (a backup file, a dump's
    directory): table ``database``, action ``restore_db``, by the store's operator and
    command; ``previous``: where the database it replaced was saved."""
    after = {"file": str(Path(source).resolve())}
    if previous is not None:
        after["previous"] = str(Path(previous).resolve())
    store.audit("database", str(store.path.resolve()), "restore_db", after=after)


def page_size(db: Database) -> int:
    return int(db.conn.execute("PRAGMA page_size").fetchone()[0])
