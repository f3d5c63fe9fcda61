"""Import batches: every record an import writes has its own audit row naming the batch;
``cbtool imports`` lists batches and ``imports undo`` reverts one, or refuses."""

from __future__ import annotations

import json
import signal
import sqlite3
from pathlib import Path

import pytest
from conftest import kill_mid_write

from cbtool.cli import common


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def dump(path: Path) -> dict[str, list[tuple]]:
    conn = sqlite3.connect(path)
    try:
        names = [n for (n,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")]
        return {n: sorted(conn.execute(f'SELECT * FROM "{n}"').fetchall(), key=repr)
                for n in names}
    finally:
        conn.close()


MEMBERS = ("member_no,name,category,area,phone,last_contact_on\n"
           "0101,赵敏,在职,A01,13811112222,2025-01-05\n"
           "0001,张伟,在职,A01,13812345678,\n")
LOGS = ("ref,point,date,kind,title,participants,served\n"
        "R-1,A01,2025-03-01,visit,走访慰问,0001 0002,3\n"
        ",A02,2025-03-02,study,党课,,0\n")
CHECKS = "point,item,ok,date\nA01,venue,是,2025-01-01\nA01,rules,否,2025-01-01\n"


def test_every_record_an_import_writes_has_its_own_audit_row_naming_the_batch(seeded, tmp_path):
    path = write(tmp_path / "党员.csv", MEMBERS)
    seeded.ok("members", "import", path)
    batch = seeded.rows("SELECT id, kind, file, inserted, updated, unchanged, rejected, operator "
                        "FROM import_batches")
    assert len(batch) == 1 and batch[0][1:7] == ("members", str(path), 1, 1, 0, 0)
    rows = seeded.rows("SELECT table_name, key, action, changes, command FROM audit "
                       "WHERE batch = ? AND action != 'import' ORDER BY id", (batch[0][0],))
    by = {(t, k, a): json.loads(c) for t, k, a, c, _ in rows}
    assert by[("members", "0101", "insert")]["name"] == [None, "赵敏"]
    assert by[("members", "0001", "update")]["category"] == ["retired", "employed"]
    assert ("category_changes", "1", "insert") in {(t, k, a) for t, k, a, _c, _ in rows} or any(
        t == "category_changes" for t, *_ in rows)
    contact = next(c for (t, _k, a), c in by.items() if t == "contacts")
    assert contact["date"] == [None, "2025-01-05"] and contact["member_no"] == [None, "0101"]
    assert all(str(path) in command for *_, command in rows)


def test_logs_and_checks_inserted_in_bulk_are_audited_one_by_one(seeded, tmp_path):
    seeded.ok("logs", "import", write(tmp_path / "l.csv", LOGS))
    logs = seeded.rows("SELECT key, changes FROM audit WHERE table_name = 'logs' "
                       "AND action = 'insert' AND batch IS NOT NULL ORDER BY id")
    assert [k for k, _ in logs] == ["1", "2"]
    first = json.loads(logs[0][1])
    assert first["participants"] == [None, ["0001", "0002"]] and first["voided"] == [None, False]
    assert "participants" not in json.loads(logs[1][1])
    seeded.ok("checklist", "import", write(tmp_path / "c.csv", CHECKS))
    checks = seeded.rows("SELECT key, changes FROM audit WHERE table_name = 'checks' AND action = 'insert' "
                         "AND batch IS NOT NULL ORDER BY id")
    assert [k for k, _ in checks] == ["A01/venue/2025-01-01", "A01/rules/2025-01-01"]
    assert json.loads(checks[0][1])["ok"] == [None, True]


def test_imports_lists_batches_newest_first(seeded, tmp_path):
    seeded.ok("members", "import", write(tmp_path / "m.csv", MEMBERS))
    seeded.ok("logs", "import", write(tmp_path / "l.csv", LOGS))
    listed = json.loads(seeded.ok("imports", "--format", "json").stdout)
    assert [b["kind"] for b in listed] == ["logs", "members"]
    assert {"id", "kind", "file", "at", "operator", "inserted", "updated"} <= set(listed[0])
    assert listed[0]["inserted"] == 2
    table = seeded.ok("imports", "--limit", "1").stdout
    assert "l.csv" in table and "m.csv" not in table
    assert "m.csv" not in seeded.ok("imports", "-n", "1", "--format", "csv").stdout.split(
        "\n")[1]


def test_an_import_that_changes_nothing_is_no_batch(seeded, tmp_path):
    path = write(tmp_path / "m.csv", MEMBERS)
    seeded.ok("members", "import", path)
    seeded.ok("members", "import", path)
    assert seeded.count("import_batches") == 1


def test_undo_reverts_inserts_and_updates_with_their_child_rows(seeded, tmp_path):
    before = dump(seeded.db_path)
    seeded.ok("members", "import", write(tmp_path / "m.csv", MEMBERS))
    seeded.ok("logs", "import", write(tmp_path / "l.csv", LOGS))
    seeded.ok("checklist", "import", write(tmp_path / "c.csv", CHECKS))
    for batch in ("3", "2", "1"):
        result = seeded.ok("imports", "undo", batch, "--yes")
        assert f"批次 {batch}" in result.stderr
    after = dump(seeded.db_path)
    for table in ("members", "contacts", "category_changes", "logs", "log_participants",
                  "checks"):
        strip = (lambda rows: [r[:-1] for r in rows]) if table == "members" else (lambda r: r)
        assert strip(after[table]) == strip(before[table]), table  # members: updated_at
    got = seeded.rows("SELECT phone, category FROM members WHERE member_no = '0001'")
    assert got == [("13812345678", "retired")]
    assert seeded.rows("SELECT count(*) FROM audit WHERE action = 'undo'")[0][0] > 0
    assert seeded.rows("SELECT count(*) FROM import_batches WHERE undone_at IS NULL") == [(0,)]


def test_undoing_twice_is_refused(seeded, tmp_path):
    seeded.ok("checklist", "import", write(tmp_path / "c.csv", CHECKS))
    seeded.ok("imports", "undo", "1", "--yes")
    result = seeded("--lang", "en", "imports", "undo", "1", "--yes")
    assert result.exit_code == 1 and "undone already" in result.stderr


def test_undo_is_refused_naming_records_a_later_change_touched(seeded, tmp_path):
    seeded.ok("members", "import", write(tmp_path / "m.csv", MEMBERS))
    before = dump(seeded.db_path)
    seeded.ok("members", "edit", "0101", "--note", "后来改的")
    before = dump(seeded.db_path)
    result = seeded("imports", "undo", "1", "--yes")
    assert result.exit_code == 1 and "党员 0101" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert dump(seeded.db_path) == before


def test_undo_is_refused_when_a_later_record_uses_an_inserted_one(seeded, tmp_path):
    seeded.ok("members", "import", write(tmp_path / "m.csv", MEMBERS))
    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
              "--on", "2025-04-01", "--members", "0101")
    before = dump(seeded.db_path)
    result = seeded("imports", "undo", "1", "--yes")
    assert result.exit_code == 1 and "0101" in result.stderr
    assert dump(seeded.db_path) == before


def test_an_undone_later_batch_no_longer_blocks(seeded, tmp_path):
    seeded.ok("members", "import", write(tmp_path / "m.csv", MEMBERS))
    seeded.ok("members", "import", write(tmp_path / "m2.csv", MEMBERS.replace(
        "13811112222", "13811113333")))
    assert seeded("imports", "undo", "1", "--yes").exit_code == 1
    seeded.ok("imports", "undo", "2", "--yes")
    seeded.ok("imports", "undo", "1", "--yes")
    assert seeded.rows("SELECT count(*) FROM members WHERE member_no = '0101'") == [(0,)]


def test_undo_without_a_terminal_needs_yes_and_asks_on_one(seeded, tmp_path, monkeypatch):
    seeded.ok("checklist", "import", write(tmp_path / "c.csv", CHECKS))
    result = seeded("imports", "undo", "1")
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert seeded.count("checks") == 2
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    assert seeded("imports", "undo", "1", input="n\n").exit_code == 1
    assert seeded.count("checks") == 2
    seeded.ok("imports", "undo", "1", input="y\n")
    assert seeded.count("checks") == 0


def test_an_unknown_batch_is_not_found(seeded):
    result = seeded("imports", "undo", "99", "--yes")
    assert result.exit_code == 1 and "99" in result.stderr
    assert seeded("imports", "undo", "x", "--yes").exit_code == 1


@pytest.mark.slow
def test_a_killed_undo_leaves_the_database_as_it_was(cli, tmp_path):
    """Undo a big batch and SIGKILL it while it writes: the database is as before."""
    data = tmp_path / "data"
    cli.ok("init")
    cli.ok("sample", "--members", "20000", "--logs", "0", "--seed", "3", "--out", str(data))
    cli.ok("areas", "import", str(data / "areas.csv"))
    cli.ok("members", "import", str(data / "members.csv"))
    batch = cli.rows("SELECT max(id) FROM import_batches")[0][0]
    before = dump(cli.db_path)
    status = kill_mid_write(cli.db_path, ["imports", "undo", str(batch), "--yes"],
                            when=lambda grown, _s: grown > 1024 * 1024)
    assert status == -signal.SIGKILL
    assert cli.rows("PRAGMA integrity_check") == [("ok",)]
    assert dump(cli.db_path) == before
    cli.ok("imports", "undo", str(batch), "--yes")
    assert cli.count("members") == 0
