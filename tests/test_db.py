"""The database file: creation, pragmas, the pinned schema, migrations with backup,
and the db maintenance commands."""

import json
import sqlite3
import stat

from sqlite_utils import Database

from cbtool import migrations
from cbtool.db import open_database

EXPECTED_TABLES = {
    "areas": ["code", "name", "created_at", "updated_at"],
    "points": ["code", "name", "kind", "area", "address", "note", "active", "created_at",
               "updated_at", "closed_on"],
    "members": ["member_no", "name", "gender", "born_on", "id_card", "phone", "category", "area",
                "joined_on", "employer", "whereabouts", "left_on", "note", "status",
                "archived_reason", "archived_on", "created_at", "updated_at"],
    "category_changes": ["id", "member_no", "from_category", "to_category", "date", "reason",
                         "created_at", "updated_at"],
    "contacts": ["id", "member_no", "date", "channel", "whereabouts", "note", "created_at",
                 "updated_at", "reached"],
    "audit": ["id", "at", "operator", "command", "table_name", "key", "action", "changes",
              "batch"],
    "import_batches": ["id", "kind", "file", "at", "operator", "inserted", "updated",
                       "unchanged", "rejected", "undone_at", "undone_by"],
    "logs": ["id", "point", "date", "kind", "title", "served", "hours", "note", "ref", "voided",
             "void_reason", "created_at", "updated_at", "pairing", "heading", "brand"],
    "log_participants": ["log_id", "member_no"],
    "checks": ["id", "point", "item", "ok", "date", "inspector", "note", "created_at",
               "updated_at", "voided", "void_reason"],
}
EXPECTED_INDEXES = {
    "members_by_status", "members_by_area", "members_by_name", "members_by_joined",
    "members_by_archived", "category_changes_by_member", "category_changes_by_date",
    "contacts_by_member", "contacts_by_date", "audit_by_key", "audit_by_at", "logs_by_date", "logs_by_point_kind",
    "logs_natural_key", "log_participants_by_member",
}


def test_init_creates_owner_only_wal_database(cli):
    result = cli.ok("init")
    assert str(cli.db_path) in result.stderr
    assert stat.S_IMODE(cli.db_path.stat().st_mode) == 0o600
    conn = sqlite3.connect(cli.db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_init_is_idempotent(cli):
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    cli.ok("init")
    assert cli.rows("SELECT code, name FROM areas") == [("A01", "石化一村居民区")]


def test_schema_is_pinned(cli):
    cli.ok("init")
    db = Database(cli.db_path)
    for table, columns in EXPECTED_TABLES.items():
        assert [c.name for c in db[table].columns] == columns, table
    indexes = {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}
    assert EXPECTED_INDEXES <= indexes
    assert migrations.applied(db)[:5] == ["m001_core", "m002_logs", "m003_checks",
                                          "m004_corrections", "m005_import_batches"]
    assert migrations.applied(db) == migrations.known()  # and every later one, in order


def test_foreign_keys_and_busy_timeout_are_on(db_path):
    opened = open_database(db_path, create=True)
    assert opened.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert opened.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 5000


def test_older_file_is_migrated_after_a_backup(cli, tmp_path):
    """A database left at m001 (before logs and checks existed) upgrades on first use."""
    old = Database(cli.db_path)
    migrations.migrations.apply(old, stop_before="m002_logs")
    old.execute("INSERT INTO areas (code, name) VALUES ('A01', '石化一村居民区')")
    old.conn.commit()
    old.close()
    result = cli.ok("areas", "list", "--format", "json")
    assert json.loads(result.stdout)[0]["name"] == "石化一村居民区"
    assert "m002_logs" in result.stderr and "m003_checks" in result.stderr
    backups = list(tmp_path.glob("community.db.bak-m001_core-*"))
    assert len(backups) == 1
    assert stat.S_IMODE(backups[0].stat().st_mode) == 0o600
    backed = sqlite3.connect(backups[0])
    assert backed.execute("SELECT name FROM areas").fetchall() == [("石化一村居民区",)]
    assert "logs" not in {r[0] for r in backed.execute("SELECT name FROM sqlite_master")}
    assert set(Database(cli.db_path).table_names()) >= {"logs", "checks"}


def test_db_migrate_explicitly(cli, tmp_path):
    old = Database(cli.db_path)
    migrations.migrations.apply(old, stop_before="m003_checks")
    old.close()
    result = cli.ok("db", "migrate")
    assert "m003_checks" in result.stderr
    assert len(list(tmp_path.glob("community.db.bak-m002_logs-*"))) == 1
    result = cli.ok("db", "migrate")
    assert migrations.known()[-1] in result.stderr and "已是最新" in result.stderr


def test_newer_schema_is_refused(cli):
    cli.ok("init")
    conn = sqlite3.connect(cli.db_path)
    conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                 "VALUES ('cbtool', 'm999_future', 'x')")
    conn.commit()
    result = cli("areas", "list")
    assert result.exit_code == 3 and "m999_future" in result.stderr


def test_missing_database_is_exit_3_with_a_hint(cli):
    result = cli("members", "list")
    assert result.exit_code == 3
    assert "cbtool init" in result.stderr
    assert not cli.db_path.exists()


def test_not_a_database_is_exit_3(cli):
    cli.db_path.write_bytes(b"this is not sqlite" * 100)
    result = cli("members", "list")
    assert result.exit_code == 3
    assert "Traceback" not in result.stderr and len(result.stderr.splitlines()) == 1


def test_db_info(seeded):
    info = json.loads(seeded.ok("db", "info", "--format", "json").stdout)
    assert info["rows_members"] == 4 and info["rows_areas"] == 2
    assert info["schema_version"] == migrations.known()[-1] and info["journal_mode"] == "wal"


def test_db_backup_is_a_consistent_owner_only_copy(seeded, tmp_path):
    dest = tmp_path / "copy.db"
    assert seeded.ok("db", "backup", str(dest)).stdout.strip() == str(dest)
    assert stat.S_IMODE(dest.stat().st_mode) == 0o600
    copy = sqlite3.connect(dest)
    assert copy.execute("SELECT count(*) FROM members").fetchone()[0] == 4
    again = seeded("db", "backup", str(dest))
    assert again.exit_code == 3 and "exists" in seeded("--lang", "en", "db", "backup",
                                                       str(dest)).stderr
    folder = tmp_path / "backups"
    folder.mkdir()
    written = seeded.ok("db", "backup", str(folder)).stdout.strip()
    assert written.startswith(str(folder)) and sqlite3.connect(written).execute(
        "SELECT count(*) FROM areas").fetchone()[0] == 2


def test_db_check(seeded):
    assert "ok" in seeded.ok("--lang", "en", "db", "check").stdout
