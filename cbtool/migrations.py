"""Numbered schema migrations, applied with sqlite-utils' own ``Migrations``.

Never edit a released migration: add the next number. ``tests/test_schema.py`` pins the
schema these produce. (Long by nature: released migrations stay as they were written, one
after another, so the file grows with the schema's history.)

Importing this module does not import sqlite-utils: whether any migration is pending is
one query on the plain ``sqlite3`` connection (``applied``), and sqlite-utils is loaded
only when one is applied (``apply``) — most commands find none and never load it.
"""

from __future__ import annotations

import sqlite3
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sqlite_utils import Database


class _Registry:
    """``@migrations(name=...)`` as with sqlite-utils' ``Migrations``, without importing it:
    ``apply`` hands the same registered steps to a real ``Migrations`` of the same name."""

    class _Migration:  # the fields sqlite-utils' own _Migration has
        __slots__ = ("name", "fn", "transactional")

        def __init__(self, name: str, fn: object, transactional: bool = True) -> None:
            self.name = name
            self.fn = fn
            self.transactional = transactional

    def __init__(self, name: str) -> None:
        self.name = name
        self._migrations: list[_Registry._Migration] = []

    def __call__(self, *, name: str | None = None, transactional: bool = True):
        def inner(func):
            migration_name = name or func.__name__
            if any(m.name == migration_name for m in self._migrations):
                raise ValueError(f"Migration '{migration_name}' is already registered")
            self._migrations.append(self._Migration(migration_name, func, transactional))
            return func

        return inner

    def real(self):
        """sqlite-utils' ``Migrations`` over these very steps (a test may replace a step's
        ``fn``: the change is seen)."""
        from sqlite_utils.migrations import Migrations

        if Migrations.migrations_table != TABLE:  # a sqlite-utils that renamed its table
            raise RuntimeError(f"sqlite-utils keeps migrations in {Migrations.migrations_table}")
        real = Migrations(self.name)
        real._migrations = self._migrations  # noqa: SLF001 - the same list, not a copy
        return real

    def apply(self, db: Database, **kwargs: object) -> None:
        self.real().apply(db, **kwargs)


migrations = _Registry("cbtool")

_STAMPS = """
    created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now')),
    updated_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
"""


def _run(db: Database, script: str) -> None:
    # Not executescript(): Python's sqlite3 commits before it, which would break the
    # transaction Migrations wraps each migration in.
    for statement in script.split(";"):
        if statement.strip():
            db.execute(statement)


@migrations(name="m001_core")
def m001_core(db: Database) -> None:
    """Areas, points, members with their category history and contacts, the audit."""
    _run(
        db,
        f"""
        CREATE TABLE areas (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            {_STAMPS}
        );
        CREATE TABLE points (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            kind TEXT NOT NULL DEFAULT 'point' CHECK (kind IN ('point', 'centre')),
            area TEXT REFERENCES areas(code),
            address TEXT,
            note TEXT,
            active INTEGER NOT NULL DEFAULT 1,
            {_STAMPS}
        );
        CREATE TABLE members (
            member_no TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            gender TEXT CHECK (gender IN ('M', 'F')),
            born_on TEXT,
            id_card TEXT,
            phone TEXT,
            category TEXT NOT NULL,
            area TEXT NOT NULL REFERENCES areas(code),
            joined_on TEXT,
            employer TEXT,
            whereabouts TEXT,
            left_on TEXT,
            note TEXT,
            status TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'archived')),
            archived_reason TEXT CHECK (archived_reason IN ('transferred', 'deceased', 'other')),
            archived_on TEXT,
            {_STAMPS}
        );
        CREATE INDEX members_by_status ON members (status, category, area);
        CREATE INDEX members_by_area ON members (area, status);
        CREATE INDEX members_by_name ON members (name);
        CREATE INDEX members_by_joined ON members (joined_on);
        CREATE INDEX members_by_archived ON members (archived_on);
        CREATE TABLE category_changes (
            id INTEGER PRIMARY KEY,
            member_no TEXT NOT NULL REFERENCES members(member_no),
            from_category TEXT,
            to_category TEXT NOT NULL,
            date TEXT NOT NULL,
            reason TEXT,
            {_STAMPS}
        );
        CREATE INDEX category_changes_by_member ON category_changes (member_no, date);
        CREATE INDEX category_changes_by_date ON category_changes (date, from_category, to_category);
        CREATE TABLE contacts (
            id INTEGER PRIMARY KEY,
            member_no TEXT NOT NULL REFERENCES members(member_no),
            date TEXT NOT NULL,
            channel TEXT NOT NULL DEFAULT 'phone'
                CHECK (channel IN ('phone', 'wechat', 'visit', 'other')),
            whereabouts TEXT,
            note TEXT,
            {_STAMPS}
        );
        CREATE INDEX contacts_by_member ON contacts (member_no, date);
        CREATE INDEX contacts_by_date ON contacts (date, member_no);
        CREATE TABLE audit (
            id INTEGER PRIMARY KEY,
            at TEXT NOT NULL,
            operator TEXT,
            command TEXT,
            table_name TEXT NOT NULL,
            key TEXT,
            action TEXT NOT NULL,
            changes TEXT
        );
        CREATE INDEX audit_by_key ON audit (table_name, key);
        CREATE INDEX audit_by_at ON audit (at);
        """,
    )


@migrations(name="m002_logs")
def m002_logs(db: Database) -> None:
    """Service-point logs and their participants."""
    _run(
        db,
        f"""
        CREATE TABLE logs (
            id INTEGER PRIMARY KEY,
            point TEXT NOT NULL REFERENCES points(code),
            date TEXT NOT NULL,
            kind TEXT NOT NULL,
            title TEXT NOT NULL,
            served INTEGER NOT NULL DEFAULT 0 CHECK (served >= 0),
            hours REAL NOT NULL DEFAULT 0 CHECK (hours >= 0),
            note TEXT,
            ref TEXT UNIQUE,
            voided INTEGER NOT NULL DEFAULT 0,
            void_reason TEXT,
            {_STAMPS}
        );
        CREATE INDEX logs_by_date ON logs (date, voided, point, kind, served, hours);
        CREATE INDEX logs_by_point_kind ON logs (point, kind, date, voided, served, hours);
        CREATE INDEX logs_natural_key ON logs (point, date, kind, title);
        CREATE TABLE log_participants (
            log_id INTEGER NOT NULL REFERENCES logs(id),
            member_no TEXT NOT NULL REFERENCES members(member_no),
            PRIMARY KEY (log_id, member_no)
        ) WITHOUT ROWID;
        CREATE INDEX log_participants_by_member ON log_participants (member_no, log_id);
        """,
    )


@migrations(name="m003_checks")
def m003_checks(db: Database) -> None:
    """Five-haves inspections: one row per point, item and day."""
    _run(
        db,
        f"""
        CREATE TABLE checks (
            id INTEGER PRIMARY KEY,
            point TEXT NOT NULL REFERENCES points(code),
            item TEXT NOT NULL,
            ok INTEGER NOT NULL CHECK (ok IN (0, 1)),
            date TEXT NOT NULL,
            inspector TEXT,
            note TEXT,
            {_STAMPS},
            UNIQUE (point, item, date)
        );
        """,
    )


TABLE = "_sqlite_migrations"  # sqlite-utils' Migrations.migrations_table


def applied(db: Database | sqlite3.Connection) -> list[str]:
    """The names applied to ``db`` (a Database or a plain connection), in order: one query
    (none at all for a file without the table; sqlite-utils' own ``applied`` asks three
    times)."""
    conn = db if isinstance(db, sqlite3.Connection) else db.conn
    try:
        rows = conn.execute(f"SELECT name FROM [{TABLE}] WHERE migration_set = ? "
                               "ORDER BY rowid", (migrations.name,)).fetchall()
    except sqlite3.OperationalError as exc:
        if "no such" in str(exc):  # no table, or another application's table of that name
            return []
        raise
    return [name for (name,) in rows]


def pending(db: Database | sqlite3.Connection, done: list[str] | None = None) -> list[str]:
    """The known migrations not applied yet (``done``: ``applied(db)`` when known)."""
    done_set = set(applied(db) if done is None else done)
    return [name for name in known() if name not in done_set]


def apply(db: Database) -> None:
    """Apply the pending migrations in the caller's transaction (each one a savepoint)."""
    migrations.apply(db)


def known() -> list[str]:
    return [m.name for m in migrations._migrations]  # noqa: SLF001 - our own registry


@migrations(name="m004_corrections")
def m004_corrections(db: Database) -> None:
    """What correcting mistakes needs: the day a point closed (filled for points closed
    already from the audit of their closing, else their last change), whether a contact
    reached the member, and voided checks with their reason."""
    _run(
        db,
        """
        ALTER TABLE points ADD COLUMN closed_on TEXT;
        UPDATE points SET closed_on = coalesce(
            (SELECT substr(max(a.at), 1, 10) FROM audit a WHERE a.table_name = 'points'
             AND a.key = points.code AND json_extract(a.changes, '$.active[1]') = 0),
            substr(updated_at, 1, 10)) WHERE active = 0;
        ALTER TABLE contacts ADD COLUMN reached INTEGER NOT NULL DEFAULT 1
            CHECK (reached IN (0, 1));
        ALTER TABLE checks ADD COLUMN voided INTEGER NOT NULL DEFAULT 0
            CHECK (voided IN (0, 1));
        ALTER TABLE checks ADD COLUMN void_reason TEXT
        """,
    )


@migrations(name="m005_import_batches")
def m005_import_batches(db: Database) -> None:
    """Each import is a batch (``cbtool imports`` lists them, ``imports undo`` reverts one);
    the audit rows of the records an import wrote name their batch."""
    _run(
        db,
        """
        CREATE TABLE import_batches (
            id INTEGER PRIMARY KEY,
            kind TEXT NOT NULL,
            file TEXT NOT NULL,
            at TEXT NOT NULL,
            operator TEXT,
            inserted INTEGER NOT NULL DEFAULT 0,
            updated INTEGER NOT NULL DEFAULT 0,
            unchanged INTEGER NOT NULL DEFAULT 0,
            rejected INTEGER NOT NULL DEFAULT 0,
            undone_at TEXT,
            undone_by TEXT
        );
        ALTER TABLE audit ADD COLUMN batch INTEGER;
        CREATE INDEX audit_by_batch ON audit (batch) WHERE batch IS NOT NULL
        """,
    )


@migrations(name="m006_volunteers")
def m006_volunteers(db: Database) -> None:
    """Volunteer teams, volunteers (residents, and members linked by their number), who
    belongs to which team, each volunteer's service (with a log or on its own) and the
    certificates issued. Service time is whole minutes (``minutes``): sums are exact, and
    quarter hours (0.25, 0.75) are kept as typed, which tenths of an hour would not be."""
    _run(
        db,
        f"""
        CREATE TABLE teams (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            point TEXT REFERENCES points(code),
            unit TEXT,
            field TEXT NOT NULL,
            leader TEXT,
            founded_on TEXT,
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            closed_on TEXT,
            note TEXT,
            {_STAMPS},
            CHECK (point IS NULL OR unit IS NULL)
        );
        CREATE TABLE volunteers (
            volunteer_no TEXT PRIMARY KEY,
            name TEXT NOT NULL,
            gender TEXT CHECK (gender IN ('M', 'F')),
            id_card TEXT,
            phone TEXT,
            area TEXT REFERENCES areas(code),
            registered_on TEXT,
            member_no TEXT UNIQUE REFERENCES members(member_no),
            active INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
            left_on TEXT,
            note TEXT,
            {_STAMPS}
        );
        CREATE INDEX volunteers_by_area ON volunteers (area, active);
        CREATE INDEX volunteers_by_registered ON volunteers (registered_on);
        CREATE INDEX volunteers_by_name ON volunteers (name);
        CREATE INDEX volunteers_by_id_card ON volunteers (id_card) WHERE id_card IS NOT NULL;
        CREATE INDEX volunteers_left ON volunteers (volunteer_no) WHERE active = 0;
        CREATE TABLE volunteer_teams (
            volunteer_no TEXT NOT NULL REFERENCES volunteers(volunteer_no),
            team TEXT NOT NULL REFERENCES teams(code),
            PRIMARY KEY (volunteer_no, team)
        ) WITHOUT ROWID;
        CREATE INDEX volunteer_teams_by_team ON volunteer_teams (team, volunteer_no);
        CREATE TABLE service (
            id INTEGER PRIMARY KEY,
            volunteer_no TEXT NOT NULL REFERENCES volunteers(volunteer_no),
            date TEXT NOT NULL,
            minutes INTEGER NOT NULL CHECK (minutes > 0),
            team TEXT REFERENCES teams(code),
            log_id INTEGER REFERENCES logs(id),
            content TEXT,
            note TEXT,
            voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
            void_reason TEXT,
            {_STAMPS},
            UNIQUE (log_id, volunteer_no)
        );
        CREATE INDEX service_by_date ON service (date);
        CREATE INDEX service_by_team ON service (team, voided, date, minutes);
        CREATE INDEX service_by_volunteer ON service (volunteer_no, voided, date);
        CREATE TABLE certificates (
            id INTEGER PRIMARY KEY,
            number TEXT NOT NULL UNIQUE,
            volunteer_no TEXT NOT NULL REFERENCES volunteers(volunteer_no),
            start_on TEXT NOT NULL,
            end_on TEXT NOT NULL,
            minutes INTEGER NOT NULL,
            issued_on TEXT NOT NULL,
            {_STAMPS},
            UNIQUE (volunteer_no, start_on, end_on)
        )
        """,
    )


@migrations(name="m007_pairings_aid")
def m007_pairings_aid(db: Database) -> None:
    """Pairings with partner units (结对共建) and the headings they cover; hardship cases
    (困难对象) with their paired members, the aid given them and the funds it came from
    (money in integer fen; a trigger keeps every fund from going below zero); each area's
    brand project (一居一品). A log may name the pairing and heading it served and the
    brand it belongs to. No rows are added: the two standard funds are written when first
    used, so a new database stays empty (``db import`` loads only into an empty one)."""
    _run(
        db,
        f"""
        CREATE TABLE pairings (
            id INTEGER PRIMARY KEY,
            point TEXT NOT NULL REFERENCES points(code),
            unit TEXT NOT NULL,
            branch TEXT,
            contact TEXT,
            phone TEXT,
            since TEXT NOT NULL,
            until TEXT,
            headings TEXT NOT NULL DEFAULT '',
            note TEXT,
            end_reason TEXT,
            {_STAMPS}
        );
        CREATE INDEX pairings_by_point ON pairings (point, since, until);
        CREATE TABLE aid_cases (
            id INTEGER PRIMARY KEY,
            name TEXT NOT NULL,
            household INTEGER NOT NULL DEFAULT 0 CHECK (household IN (0, 1)),
            id_card TEXT,
            phone TEXT,
            address TEXT,
            area TEXT NOT NULL REFERENCES areas(code),
            kind TEXT NOT NULL,
            member_no TEXT REFERENCES members(member_no),
            opened_on TEXT NOT NULL,
            closed_on TEXT,
            close_reason TEXT,
            note TEXT,
            {_STAMPS}
        );
        CREATE INDEX aid_cases_by_area ON aid_cases (area, closed_on);
        CREATE INDEX aid_cases_by_opened ON aid_cases (opened_on);
        CREATE TABLE aid_helpers (
            case_id INTEGER NOT NULL REFERENCES aid_cases(id),
            member_no TEXT NOT NULL REFERENCES members(member_no),
            PRIMARY KEY (case_id, member_no)
        ) WITHOUT ROWID;
        CREATE INDEX aid_helpers_by_member ON aid_helpers (member_no, case_id);
        CREATE TABLE funds (
            code TEXT PRIMARY KEY,
            name TEXT NOT NULL UNIQUE,
            note TEXT,
            {_STAMPS}
        );
        CREATE TABLE fund_income (
            id INTEGER PRIMARY KEY,
            fund TEXT NOT NULL REFERENCES funds(code),
            date TEXT NOT NULL,
            amount_fen INTEGER NOT NULL CHECK (amount_fen > 0),
            source TEXT,
            note TEXT,
            voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
            void_reason TEXT,
            {_STAMPS}
        );
        CREATE INDEX fund_income_by_fund ON fund_income (fund, date);
        CREATE TABLE aid_given (
            id INTEGER PRIMARY KEY,
            case_id INTEGER NOT NULL REFERENCES aid_cases(id),
            date TEXT NOT NULL,
            form TEXT NOT NULL,
            amount_fen INTEGER CHECK (amount_fen IS NULL OR amount_fen > 0),
            fund TEXT REFERENCES funds(code),
            note TEXT,
            voided INTEGER NOT NULL DEFAULT 0 CHECK (voided IN (0, 1)),
            void_reason TEXT,
            {_STAMPS},
            CHECK (fund IS NULL OR amount_fen IS NOT NULL)
        );
        CREATE INDEX aid_given_by_case ON aid_given (case_id, date);
        CREATE INDEX aid_given_by_date ON aid_given (date, voided, form, fund);
        CREATE INDEX aid_given_by_fund ON aid_given (fund, date) WHERE fund IS NOT NULL;
        CREATE TABLE brands (
            id INTEGER PRIMARY KEY,
            area TEXT NOT NULL REFERENCES areas(code),
            name TEXT NOT NULL,
            description TEXT,
            since TEXT,
            status TEXT NOT NULL DEFAULT 'growing',
            note TEXT,
            {_STAMPS},
            UNIQUE (area, name)
        );
        ALTER TABLE logs ADD COLUMN pairing INTEGER REFERENCES pairings(id);
        ALTER TABLE logs ADD COLUMN heading TEXT;
        ALTER TABLE logs ADD COLUMN brand INTEGER REFERENCES brands(id);
        CREATE INDEX logs_by_pairing ON logs (pairing, date, voided, heading)
            WHERE pairing IS NOT NULL;
        CREATE INDEX logs_by_brand ON logs (brand, date, voided) WHERE brand IS NOT NULL
        """,
    )
    # Beside the command's own check (which knows the days): whatever writes, the money
    # spent from a fund never exceeds what came in — neither by spending (a new or changed
    # aid record) nor by taking income back (voided or changed). One statement each: a
    # trigger's body holds a ';'.
    overdrawn = ("(SELECT coalesce(sum(amount_fen), 0) FROM fund_income WHERE fund = NEW.fund "
                 "AND voided = 0) < (SELECT coalesce(sum(amount_fen), 0) FROM aid_given "
                 "WHERE fund = NEW.fund AND voided = 0)")
    refuse = "BEGIN SELECT RAISE(ABORT, 'cbtool: fund overdrawn'); END"
    for name, event in (
            ("fund_never_negative", "INSERT ON aid_given"),
            ("fund_never_negative_on_change", "UPDATE OF amount_fen, fund, voided ON aid_given"),
            ("fund_never_negative_on_income",
             "UPDATE OF amount_fen, fund, voided ON fund_income")):
        db.execute(f"CREATE TRIGGER {name} AFTER {event} WHEN NEW.fund IS NOT NULL AND "
                   f"{overdrawn} {refuse}")
