"""A bulk import into a table it at least doubles builds the table's indexes after the rows
are in (each sorted once) instead of updating them row by row: the schema afterwards is
the schema before, the indexes are whole and used, and a write that fails leaves them as
they were."""

from __future__ import annotations

import shutil
import sqlite3

import pytest

from cbtool.importing import stage
from cbtool.importing.stage import indexes_after
from cbtool.store import open_store


def _schema(db) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master "
                            "ORDER BY name").fetchall()
    finally:
        conn.close()


def _roster(path, n: int):
    lines = ["党员编号,姓名,党员类别,所在居民区"]
    lines += [f"{5000 + i:06d},党员{i},{('离退休', '在职')[i % 2]},{('A01', 'A02')[i % 2]}"
              for i in range(n)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def dropped(monkeypatch) -> list[str]:
    """The DROP INDEX statements the commands of a test run."""
    seen: list[str] = []
    real = stage.Store.execute

    def watching(self, sql, params=()):
        if sql.startswith("DROP INDEX"):
            seen.append(sql)
        return real(self, sql, params)

    monkeypatch.setattr(stage.Store, "execute", watching)
    return seen


def test_a_bulk_import_leaves_the_schema_and_indexes_whole(seeded, tmp_path, monkeypatch,
                                                           dropped):
    monkeypatch.setattr(stage, "BULK_FROM", 10)
    before = _schema(seeded.db_path)
    seeded.ok("members", "import", str(_roster(tmp_path / "花名册.csv", 40)), "--yes")
    assert any("members_by_name" in sql for sql in dropped)  # the bulk way was taken
    assert any("audit_by_key" in sql for sql in dropped)
    assert _schema(seeded.db_path) == before
    assert seeded.rows("PRAGMA integrity_check") == [("ok",)]
    plan = seeded.rows("EXPLAIN QUERY PLAN SELECT member_no FROM members WHERE name = ?",
                       ("党员7",))
    assert "members_by_name" in str(plan)
    found = seeded.ok("members", "list", "--area", "A02", "--format", "json")
    assert found.stdout.count('"member_no"') == 20 + 2  # and the two seeded there


def test_a_small_import_into_a_big_table_keeps_its_indexes(seeded, tmp_path, monkeypatch,
                                                            dropped):
    monkeypatch.setattr(stage, "BULK_FROM", 1)
    seeded.ok("members", "import", str(_roster(tmp_path / "两人.csv", 2)), "--yes")
    assert dropped == []  # 2 rows into a table of 4: updated row by row


def test_a_failed_write_leaves_the_indexes_as_they_were(seeded_template, tmp_path):
    db = tmp_path / "db"
    shutil.copyfile(seeded_template, db)
    before = _schema(db)
    with open_store(db) as store:
        with pytest.raises(RuntimeError), store.transaction():
            with indexes_after(store, "members", 10**6):
                assert store.one("SELECT 1 AS x FROM sqlite_master WHERE name = "
                                 "'members_by_name'") is None  # gone meanwhile
                raise RuntimeError("disk full")
    assert _schema(db) == before


def test_a_kind_written_record_by_record_keeps_its_indexes(seeded, tmp_path, monkeypatch,
                                                          dropped):
    """Volunteers are written one by one (each looked up as it goes, by ID number among
    others): their indexes stay, however many come."""
    monkeypatch.setattr(stage, "BULK_FROM", 1)
    lines = ["志愿者编号,姓名,居民区"] + [f"V{i:04d},志愿者{i},A01" for i in range(30)]
    (tmp_path / "志愿者.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    seeded.ok("volunteers", "import", str(tmp_path / "志愿者.csv"), "--yes")
    assert seeded.count("volunteers") == 30
    assert dropped == []
