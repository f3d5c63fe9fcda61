"""The Store: one open database plus who is working and how the tool is configured.

Domain functions take a Store; the command line builds one per command. From Python::

    from cbtool.store import open_store
    from cbtool import members
    with open_store("community.db", operator="王芳") as store, store.transaction():
        members.add(store, {"member_no": "0001", "name": "张伟", ...})
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cbtool import clock
from cbtool.config import Config
from cbtool.db import READ_ONLY, as_database, open_database, resolve_db_path, translate
from cbtool.errors import EnvError

if TYPE_CHECKING:
    from sqlite_utils import Database


def now_utc() -> str:
    return clock.utc_stamp()


def default_operator() -> str:
    for name in ("LOGNAME", "USER", "LNAME", "USERNAME"):  # what getpass.getuser reads first
        if user := os.environ.get(name):
            return user
    import getpass  # then the password database: a module not every command needs

    try:
        return getpass.getuser()
    except Exception:  # no user name in the environment (containers)
        return "unknown"


class Store:
    """One open database (``conn``, the file at ``path``), the configuration, who is
    working (``operator``) and the command, the local day. (A plain class: every command
    opens one, and a dataclass costs ~0.5 ms to define.)"""

    def __init__(self, conn: sqlite3.Connection, path: Path, *, config: Config | None = None,
                 named: str | None = None, command: str = "", today: date | None = None,
                 migrated: list[str] | None = None, backup: Path | None = None,
                 read_only: bool = False) -> None:
        self.conn = conn
        self.path = path
        self.config = Config() if config is None else config
        self.named = named  # the operator given (--operator, the config), if any
        self.command = command
        self.today = clock.today() if today is None else today  # the local day
        self.migrated = [] if migrated is None else migrated
        self.backup = backup
        self.read_only = read_only  # the file (or its directory) may not be written
        self._db: Database | None = None
        self._writing = 0  # depth of transaction() blocks

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def over(self, conn: sqlite3.Connection) -> Store:
        """This store — its file, configuration, operator, command and day — over another
        connection (a second process's own)."""
        return Store(conn, self.path, config=self.config, named=self.named,
                     command=self.command, today=self.today, migrated=self.migrated,
                     backup=self.backup, read_only=self.read_only)

    @property
    def operator(self) -> str:
        """Who is making the change, for the audit: as given, else the system's user name
        (looked up when a command first writes: a read never needs it)."""
        if self.named is None:
            self.named = default_operator()
        return self.named

    @property
    def db(self) -> Database:
        """The connection as a sqlite-utils Database, made (and sqlite-utils imported) on
        first use: queries and writes go through ``conn``."""
        if self._db is None:
            self._db = as_database(self.conn)
        return self._db

    @property
    def writing(self) -> bool:
        """Inside ``transaction()``: the write lock is held (on every attached file too)."""
        return self._writing > 0

    def execute(self, sql: str, params: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def insert(self, table: str, row: dict[str, Any], number: int | None = None) -> int:
        """Insert ``row`` (column -> value) into ``table``, as record ``number`` when given
        (an import's, known to be free), else the next; returns its id."""
        cols = [*row, *(["id"] if number is not None else [])]
        cur = self.conn.execute(
            f"INSERT INTO {table} ({', '.join(cols)}) VALUES ({', '.join('?' * len(cols))})",
            [*row.values(), *([number] if number is not None else [])])
        assert cur.lastrowid is not None
        return cur.lastrowid

    def one(self, sql: str, params: Any = ()) -> dict[str, Any] | None:
        cur = self.conn.execute(sql, params)
        row = cur.fetchone()
        if row is None:
            return None
        return dict(zip([d[0] for d in cur.description], row, strict=True))

    def rows(self, sql: str, params: Any = ()) -> Iterator[dict[str, Any]]:
        cur = self.conn.execute(sql, params)
        names = [d[0] for d in cur.description]
        for row in cur:
            yield dict(zip(names, row, strict=True))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Store]:
        """One write transaction (nested calls become savepoints).

        ``BEGIN IMMEDIATE`` takes the write lock up front, waiting up to the busy timeout:
        a deferred transaction that read first could not upgrade to a write once another
        process had committed (SQLITE_BUSY at once, without waiting). Environment failures
        (locked past the timeout, disk full) become EnvError; on any error nothing stays.
        A read-only database refuses at once (exit 3), before anything is done.
        """
        self.require_writable()
        self._writing += 1
        try:
            with self._transaction():
                yield self
        finally:
            self._writing -= 1

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Store]:
        conn = self.conn
        if conn.in_transaction:
            with self.db.atomic():
                yield self
            return
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise translate(exc, self.path) from None
        try:
            yield self
            conn.execute("COMMIT")
        except BaseException as exc:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError):
                raise translate(exc, self.path) from None
            raise

    def require_writable(self) -> None:
        """EnvError (exit 3) at once for a database opened read-only."""
        if self.read_only:
            raise EnvError(READ_ONLY, path=str(self.path))

    def audit(
        self, table: str, key: object, action: str,
        before: dict[str, Any] | None = None, after: dict[str, Any] | None = None,
    ) -> None:
        """Record a change: the fields whose values differ, as ``{field: [before, after]}``."""
        self.audit_many(table, action, [(key, before, after)])

    def audit_many(
        self, table: str, action: str,
        records: Iterable[tuple[object, dict[str, Any] | None, dict[str, Any] | None]],
    ) -> None:
        """``audit`` of many records of one table and action at once: (key, before, after)
        each, one audit row each, written by one ``executemany`` at one instant."""
        import json  # here: a command that only reads never needs it

        at, operator, command = now_utc(), self.operator, self.command
        rows = []
        for key, before, after in records:
            before, after = before or {}, after or {}
            changes = {
                k: [before.get(k), after.get(k)]
                for k in dict.fromkeys([*before, *after])
                if before.get(k) != after.get(k) and k not in ("created_at", "updated_at")
            }
            rows.append((at, operator, command, table, str(key), action,
                         json.dumps(changes, ensure_ascii=False) if changes else None))
        self.conn.executemany(
            "INSERT INTO audit (at, operator, command, table_name, key, action, changes) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)", rows)

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def open_store(
    db_path: str | Path | None = None, *, config: Config | None = None,
    operator: str | None = None, command: str = "", create: bool = False,
) -> Store:
    config = config or Config()
    path = resolve_db_path(str(db_path) if db_path else None, config.database)
    opened = open_database(path, create=create)
    return Store(conn=opened.conn, path=path, config=config,
                 named=operator or config.operator or None, command=command,
                 migrated=opened.migrated, backup=opened.backup, read_only=opened.read_only)
