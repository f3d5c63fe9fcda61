"""The schema m006_volunteers adds, pinned: its tables' columns and indexes (a change is a
new migration, never an edit of this one)."""

from __future__ import annotations

from sqlite_utils import Database

from cbtool import migrations

TABLES = {
    "teams": ["code", "name", "point", "unit", "field", "leader", "founded_on", "active",
              "closed_on", "note", "created_at", "updated_at"],
    "volunteers": ["volunteer_no", "name", "gender", "id_card", "phone", "area",
                   "registered_on", "member_no", "active", "left_on", "note", "created_at",
                   "updated_at"],
    "volunteer_teams": ["volunteer_no", "team"],
    "service": ["id", "volunteer_no", "date", "minutes", "team", "log_id", "content", "note",
                "voided", "void_reason", "created_at", "updated_at"],
    "certificates": ["id", "number", "volunteer_no", "start_on", "end_on", "minutes",
                     "issued_on", "created_at", "updated_at"],
}
INDEXES = {"volunteers_by_area", "volunteers_by_registered", "volunteers_by_name",
           "volunteers_by_id_card", "volunteers_left", "volunteer_teams_by_team",
           "service_by_date", "service_by_team", "service_by_volunteer"}


def test_m006_schema_is_pinned(cli):
    cli.ok("init")
    db = Database(cli.db_path)
    assert "m006_volunteers" in migrations.applied(db)
    for table, columns in TABLES.items():
        assert [c.name for c in db[table].columns] == columns, table
    indexes = {row[0] for row in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND name NOT LIKE 'sqlite_%'")}
    assert INDEXES <= indexes


def test_minutes_are_whole_and_above_zero(cli):
    import sqlite3

    import pytest

    cli.ok("init")
    conn = sqlite3.connect(cli.db_path)
    conn.execute("INSERT INTO volunteers (volunteer_no, name) VALUES ('V1', '赵敏')")
    with pytest.raises(sqlite3.IntegrityError):
        conn.execute("INSERT INTO service (volunteer_no, date, minutes) VALUES ('V1', "
                     "'2026-11-01', 0)")
    conn.close()
