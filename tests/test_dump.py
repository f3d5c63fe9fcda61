"""cbtool db export | import | restore: the logical dump of every table, loading it into an
empty database, and restoring a backup file."""

from __future__ import annotations

import json
import math
import signal
import sqlite3
import stat
import tempfile
from pathlib import Path

import pytest
from conftest import examples, kill_mid_write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlite_utils import Database
from typer.testing import CliRunner

from cbtool import dump, migrations, restore
from cbtool.cli import app
from cbtool.store import open_store


def restored(path: Path) -> dict[str, list[tuple]]:
    """A restored (or loaded) database's snapshot less the restore's own audit row, of
    which there must be exactly one (who restored which file, when): what the backup (or
    the dump) held."""
    snap = snapshot(path)
    own = [row for row in snap["audit"] if "restore_db" in row]
    assert len(own) == 1 and "database" in own[0], own
    snap["audit"] = [row for row in snap["audit"] if "restore_db" not in row]
    return snap


def snapshot(path: Path) -> dict[str, list[tuple]]:
    """Every table a dump carries, each value with its storage class, rowids included."""
    wal = Path(f"{path}-wal")
    settled = not wal.exists() or wal.stat().st_size == 0
    conn = sqlite3.connect(f"file:{path}?mode=ro{'&immutable=1' if settled else ''}", uri=True)
    try:
        out = {}
        for shape in dump.table_shapes(Database(conn)):
            cols = ", ".join(f'typeof("{c}"), "{c}"' for c in shape.columns)
            sql = f'SELECT {"rowid, " if shape.rowid else ""}{cols} FROM "{shape.name}"'
            out[shape.name] = sorted(conn.execute(sql).fetchall(), key=repr)
        return out
    finally:
        conn.close()


def busy(cli):
    """The seeded database with some of everything: logs (one voided), participants,
    checks, contacts, a category change, an archived member."""
    cli.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访慰问老党员",
           "--on", "2026-11-03", "--members", "0001,0003", "--served", "12", "--hours", "1.5")
    cli.ok("logs", "add", "--point", "A02", "--kind", "volunteer", "--title", "志愿服务",
           "--on", "2026-11-05", "--hours", "2", "--ref", "EXT-1")
    cli.ok("logs", "void", "2", "--reason", "重复录入", "--yes")
    cli.ok("checklist", "record", "A01", "--ok", "场所,制度", "--missing", "电教",
           "--on", "2026-10-01", "--by", "王芳")
    cli.ok("members", "contact", "0002", "--on", "2026-10-20", "--channel", "wechat",
           "--whereabouts", "江苏省苏州市")
    cli.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2026-09-01",
           "--reason", "已就业")
    cli.ok("members", "archive", "0004", "--reason", "transferred", "--on", "2026-08-01",
           "--yes")
    return cli


@pytest.fixture
def full(seeded):
    return busy(seeded)


def fresh(tmp_path, name="fresh.db"):
    target = tmp_path / name
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(target), "init"], catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return target


def run(*args):
    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


# The tables of pairings, hardship aid and brands (m007).
PAIRINGS_AID = ("pairings", "aid_cases", "aid_helpers", "funds", "fund_income", "aid_given",
                "brands")


# --- export -----------------------------------------------------------------------------


def test_export_writes_every_table_and_a_manifest(full, tmp_path):
    out = tmp_path / "备份" / "dump"
    result = full.ok("db", "export", str(out))
    assert result.stdout.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["format"] == "cbtool-dump" and manifest["format_version"] == 1
    assert manifest["schema_version"] == migrations.known()[-1]
    assert manifest["migrations"] == migrations.known()
    from cbtool import __version__

    assert manifest["tool_version"] == __version__
    assert set(manifest["tables"]) == {"areas", "points", "members", "category_changes",
                                       "contacts", "logs", "log_participants", "checks", "import_batches",
                                       "teams", "volunteers", "volunteer_teams", "service",
                                       "certificates", "audit", *PAIRINGS_AID}
    for table, entry in manifest["tables"].items():
        assert entry["rows"] == full.count(table), table
        path = out / entry["file"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
        assert len(path.read_bytes().splitlines()) == entry["rows"]
    logs = manifest["tables"]["logs"]
    rows = [json.loads(line) for line in (out / logs["file"]).read_text("utf-8").splitlines()]
    first = dict(zip(logs["columns"], rows[0], strict=True))
    assert first["served"] == 12 and first["hours"] == 1.5 and first["note"] is None
    second = dict(zip(logs["columns"], rows[1], strict=True))
    assert second["hours"] == 2.0 and isinstance(second["hours"], float)  # REAL stays REAL
    assert second["voided"] == 1 and second["void_reason"] == "重复录入"
    assert f"已导出 {15 + len(PAIRINGS_AID)} 张表" in result.stderr
    assert [p.name for p in out.parent.iterdir()] == ["dump"]  # no scratch left


def test_export_replaces_a_previous_dump_and_refuses_other_directories(full, tmp_path):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    full.ok("areas", "add", "A03", "石化三村居民区")
    full.ok("db", "export", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["tables"]["areas"]["rows"] == 3
    (out / "我的笔记.txt").write_text("别删", encoding="utf-8")
    result = full("db", "export", str(out))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert (out / "我的笔记.txt").exists()
    other = tmp_path / "照片"
    other.mkdir()
    (other / "a.jpg").write_bytes(b"x")
    assert full("db", "export", str(other)).exit_code == 1
    assert sorted(p.name for p in other.iterdir()) == ["a.jpg"]
    empty = tmp_path / "空目录"
    empty.mkdir()
    full.ok("db", "export", str(empty))
    assert (empty / "manifest.json").exists()


def test_export_of_a_read_only_database_works(full, tmp_path):
    full.db_path.chmod(0o400)
    try:
        full.ok("db", "export", str(tmp_path / "dump"))
    finally:
        full.db_path.chmod(0o600)


# --- import -----------------------------------------------------------------------------


def test_a_load_is_audited_after_the_dumps_own_audit(full, tmp_path):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    target = fresh(tmp_path)
    assert run("--db", target, "--operator", "王芳", "db", "import", out).exit_code == 0
    last = json.loads(run("--db", target, "audit", "--limit", "1", "--format", "json").stdout)
    assert [(r["operator"], r["command"], r["table"], r["action"], r["changes"])
            for r in last] == [("王芳", "db import", "database", "restore_db",
                                {"file": [None, str(out.resolve())]})]
    assert len(snapshot(target)["audit"]) == full.count("audit") + 1


def test_export_then_import_gives_equal_tables(full, tmp_path):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    target = fresh(tmp_path)
    result = run("--db", target, "db", "import", out)
    assert result.exit_code == 0, result.stderr
    assert f"已导入 {15 + len(PAIRINGS_AID)} 张表" in result.stderr
    assert restored(target) == snapshot(full.db_path)
    # and the loaded database works as any other: voided log, history, audit
    shown = json.loads(run("--db", target, "members", "show", "0003", "--format",
                           "json").stdout)
    assert shown["category"] == "employed" and shown["category_changes"][0]["reason"] == "已就业"
    assert run("--db", target, "logs", "add", "--point", "A01", "--kind", "visit",
               "--title", "新记录").exit_code == 0


def test_import_refuses_a_database_that_holds_records(full, tmp_path):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    before = snapshot(full.db_path)
    result = full("db", "import", str(out))
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert "已有记录" in result.stderr
    assert snapshot(full.db_path) == before


def test_import_refuses_another_schema_version(full, tmp_path):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    manifest["migrations"] = manifest["migrations"][:-1]
    (out / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    target = fresh(tmp_path)
    result = run("--lang", "en", "--db", target, "db", "import", out)
    assert result.exit_code == 1 and len(result.stderr.splitlines()) == 1
    assert f"schema version {migrations.known()[-2]}" in result.stderr
    assert migrations.known()[-1] in result.stderr
    assert all(rows == [] for rows in snapshot(target).values())


def _damage(out: Path, how: str) -> None:
    manifest_path = out / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    members = out / manifest["tables"]["members"]["file"]
    if how == "checksum":
        members.write_bytes(members.read_bytes().replace("张伟".encode(), "张三".encode()))
    elif how == "missing-file":
        (out / manifest["tables"]["logs"]["file"]).unlink()
    elif how == "no-manifest":
        manifest_path.unlink()
    elif how == "bad-manifest":
        manifest_path.write_text("{not json", encoding="utf-8")
    elif how == "foreign-manifest":
        manifest_path.write_text(json.dumps({"format": "something-else"}), encoding="utf-8")
    elif how == "row-count":
        manifest["tables"]["members"]["rows"] += 1
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "unknown-table":
        manifest["tables"]["stolen"] = dict(manifest["tables"]["areas"])
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "path-escape":
        manifest["tables"]["areas"]["file"] = "../../etc/passwd"
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "newer-format":
        manifest["format_version"] = 99
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    elif how == "orphan-row":  # a consistent checksum, a row whose parent is not there
        import hashlib

        entry = manifest["tables"]["log_participants"]
        path = out / entry["file"]
        data = path.read_bytes() + b'[1,"9999"]\n'
        path.write_bytes(data)
        entry["rows"] += 1
        entry["sha256"] = hashlib.sha256(data).hexdigest()
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")


DAMAGES = ["checksum", "missing-file", "no-manifest", "bad-manifest", "foreign-manifest",
           "row-count", "unknown-table", "path-escape", "newer-format", "orphan-row"]


@pytest.mark.parametrize("how", DAMAGES)
def test_a_damaged_or_foreign_dump_is_refused_with_one_line(full, tmp_path, how):
    out = tmp_path / "dump"
    full.ok("db", "export", str(out))
    _damage(out, how)
    target = fresh(tmp_path)
    result = run("--db", target, "db", "import", out)
    assert result.exit_code == 1, (how, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert all(rows == [] for rows in snapshot(target).values())


def test_import_of_a_missing_or_plain_directory_is_refused(tmp_path):
    target = fresh(tmp_path)
    assert run("--db", target, "db", "import", tmp_path / "nowhere").exit_code == 1
    plain = tmp_path / "plain"
    plain.mkdir()
    (plain / "members.csv").write_text("member_no\n0001\n", encoding="utf-8")
    result = run("--db", target, "db", "import", plain)
    assert result.exit_code == 1 and "manifest.json" in result.stderr


def test_a_table_added_later_comes_along_with_every_kind_of_value(tmp_path):
    """Generic over the schema: a table no migration here knows is dumped and loaded,
    NULL, integers, reals (inf too), text and blobs each kept as what they were."""
    source, target = fresh(tmp_path, "a.db"), fresh(tmp_path, "b.db")
    ddl = "CREATE TABLE later_badges (id INTEGER PRIMARY KEY, name TEXT, badge BLOB, " \
          "score REAL, extra)"
    for path in (source, target):
        conn = sqlite3.connect(path)
        conn.execute(ddl)
        conn.commit()
        conn.close()
    values = [
        (1, "青年突击队", b"\x00\xff\x10", 1.0, None),
        (2, None, None, math.inf, 2**63 - 1),
        (3, "换行\n和\u2028分隔", b"", -math.inf, "1"),
        (4, "", None, -0.5, 1.5),
    ]
    conn = sqlite3.connect(source)
    conn.executemany("INSERT INTO later_badges VALUES (?, ?, ?, ?, ?)", values)
    conn.commit()
    conn.close()
    with open_store(source) as store:
        manifest = dump.export_dump(store.db, tmp_path / "dump")
    assert manifest["tables"]["later_badges"]["rows"] == 4
    with open_store(target) as store:
        counts = dump.load_dump(store, tmp_path / "dump")
    assert counts["later_badges"] == 4
    conn = sqlite3.connect(target)
    assert conn.execute("SELECT * FROM later_badges ORDER BY id").fetchall() == values
    conn.close()
    assert restored(target) == snapshot(source)


# --- restore ----------------------------------------------------------------------------


def test_restore_replaces_the_database_after_backing_it_up(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    wanted = snapshot(saved)
    saved_bytes = saved.read_bytes()
    full.ok("members", "add", "--no", "0100", "--name", "赵敏", "--category", "在职",
            "--area", "A01")
    changed = snapshot(full.db_path)
    result = full.ok("db", "restore", str(saved), "--yes")
    assert restored(full.db_path) == wanted
    backup = Path(result.stdout.strip())
    assert backup.parent == full.db_path.parent and backup.exists()
    assert snapshot(backup) == changed  # the database as it was before the restore
    assert "已从" in result.stderr
    assert saved.read_bytes() == saved_bytes  # the backup file itself is never changed
    assert not Path(f"{saved}-wal").exists() and not Path(f"{saved}-shm").exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    assert full.rows("PRAGMA integrity_check") == [("ok",)]
    assert full.rows("PRAGMA journal_mode") == [("wal",)]


def test_a_restore_is_audited_in_the_restored_database(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    full.ok("areas", "add", "A03", "石化三村居民区")
    previous = Path(full.ok("--operator", "王芳", "db", "restore", str(saved), "--yes")
                    .stdout.strip())
    (row,) = json.loads(full.ok("audit", "--table", "数据库", "--format", "json").stdout)
    assert (row["operator"], row["command"], row["table"], row["action"]) == (
        "王芳", "db restore", "database", "restore_db")
    assert row["key"] == str(full.db_path.resolve())
    assert row["changes"] == {"file": [None, str(saved.resolve())],
                              "previous": [None, str(previous.resolve())]}
    shown = full.ok("audit", "--limit", "1").stdout
    assert "从备份恢复" in shown and "恢复自" in shown and "原数据库备份在" in shown
    assert "∅" not in shown  # what was done, not a before and after
    assert full.count("areas") == 2  # the backup's content, A03 gone


def test_restore_needs_yes_without_a_terminal(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    full.ok("areas", "add", "A03", "石化三村居民区")
    before = snapshot(full.db_path)
    result = full("db", "restore", str(saved))
    assert result.exit_code == 1 and "--yes" in result.stderr
    assert snapshot(full.db_path) == before
    assert list(tmp_path.glob("community-backup-*")) == []  # nothing written at all


def test_restore_asks_on_a_terminal(full, tmp_path, monkeypatch):
    from cbtool.cli import common

    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    full.ok("areas", "add", "A03", "石化三村居民区")
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    before = snapshot(full.db_path)
    assert full("db", "restore", str(saved), input="n\n").exit_code == 1
    assert snapshot(full.db_path) == before
    full.ok("db", "restore", str(saved), input="y\n")
    assert full.count("areas") == 2


@pytest.mark.parametrize("kind", ["text", "empty", "foreign", "newer", "missing", "itself",
                                  "uninitialised"])
def test_restore_refuses_what_is_not_a_cbtool_database(full, tmp_path, kind):
    bad = tmp_path / "bad.db"
    if kind == "text":
        bad.write_text("这不是数据库" * 200, encoding="utf-8")
    elif kind == "empty":
        bad.write_bytes(b"")
    elif kind == "foreign":
        conn = sqlite3.connect(bad)
        conn.execute("CREATE TABLE photos (id INTEGER PRIMARY KEY, name TEXT)")
        conn.commit()
        conn.close()
    elif kind == "newer":
        full.ok("db", "backup", str(bad))
        conn = sqlite3.connect(bad)
        conn.execute("INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
                     "VALUES ('cbtool', 'm999_future', 'x')")
        conn.commit()
        conn.close()
    elif kind == "itself":
        bad = full.db_path
    elif kind == "uninitialised":
        sqlite3.connect(bad).execute("PRAGMA user_version = 1").connection.close()
    before = snapshot(full.db_path)
    result = full("db", "restore", str(bad), "--yes")
    assert result.exit_code == 1, (kind, result.stderr)
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert snapshot(full.db_path) == before
    assert list(tmp_path.glob("community-backup-*")) == []
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_restoring_an_older_backup_migrates_it(cli, tmp_path):
    old = tmp_path / "old.db"
    conn = sqlite3.connect(old)
    migrations.migrations.apply(Database(conn), stop_before="m004_corrections")
    conn.execute("INSERT INTO areas (code, name) VALUES ('A09', '老居民区')")
    conn.execute("INSERT INTO points (code, name, area, active) VALUES ('A09', '老居民区', "
                 "'A09', 0)")
    conn.commit()
    conn.close()
    old_bytes = old.read_bytes()
    cli.ok("init")
    result = cli.ok("--lang", "en", "db", "restore", str(old), "--yes")
    assert "m004_corrections" in result.stderr
    assert cli.rows("SELECT code, closed_on IS NOT NULL FROM points") == [("A09", 1)]
    assert cli.rows("SELECT name FROM _sqlite_migrations")[-1] == (migrations.known()[-1],)
    assert old.read_bytes() == old_bytes


def test_restore_of_a_read_only_database_is_refused(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    full.db_path.chmod(0o400)
    try:
        result = full("db", "restore", str(saved), "--yes")
    finally:
        full.db_path.chmod(0o600)
    assert result.exit_code == 3


def test_restore_of_a_backup_with_another_page_size(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    conn = sqlite3.connect(saved)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.execute("PRAGMA page_size = 8192")
    conn.execute("VACUUM")
    conn.close()
    wanted = snapshot(saved)
    full.ok("areas", "add", "A03", "石化三村居民区")
    full.ok("db", "restore", str(saved), "--yes")
    assert restored(full.db_path) == wanted
    assert full.rows("PRAGMA integrity_check") == [("ok",)]


def test_restore_from_python_while_another_connection_is_open(full, tmp_path):
    saved = tmp_path / "saved.db"
    full.ok("db", "backup", str(saved))
    full.ok("areas", "add", "A03", "石化三村居民区")
    other = sqlite3.connect(full.db_path)
    assert other.execute("SELECT count(*) FROM areas").fetchone() == (3,)
    with open_store(full.db_path, operator="王芳") as store:
        backup, migrated = restore.restore(store, saved)
    assert migrated == [] and backup.exists()
    assert other.execute("SELECT count(*) FROM areas").fetchone() == (2,)  # sees the new one
    other.close()


# --- property tests over random databases ------------------------------------------------

text = st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=12)
maybe = st.none() | text
sql_value = (st.none() | st.integers(-(2**63), 2**63 - 1) | text | st.binary(max_size=8)
             | st.floats(allow_nan=False))


@st.composite
def databases(draw):
    """Rows for cbtool's tables (foreign keys kept) and for one extra untyped table."""
    codes = draw(st.lists(st.from_regex(r"[A-Z][0-9]{2}", fullmatch=True), unique=True,
                          max_size=4))
    areas = [(c, draw(text.filter(bool) | st.just("居民区"))) for c in codes]
    members = []
    if codes:
        numbers = draw(st.lists(st.from_regex(r"[0-9]{4}", fullmatch=True), unique=True,
                                max_size=6))
        for no in numbers:
            members.append((no, draw(text) or "某", draw(st.sampled_from(["M", "F", None])),
                            draw(st.sampled_from(["retired", "mobile", "employed"])),
                            draw(st.sampled_from(codes)), draw(maybe), draw(maybe)))
    logs = []
    for i in range(draw(st.integers(0, 5)) if codes else 0):
        logs.append((i + 1, draw(st.sampled_from(codes)), "2026-11-0" + str(i + 1),
                     draw(st.sampled_from(["visit", "aid"])), draw(text) or "题",
                     draw(st.integers(0, 10**6)),
                     draw(st.floats(0, 1e6, allow_nan=False, allow_infinity=False)),
                     draw(maybe), draw(st.sampled_from([0, 1]))))
    parts = []
    if logs and members:
        parts = draw(st.lists(st.tuples(st.sampled_from([x[0] for x in logs]),
                                        st.sampled_from([m[0] for m in members])),
                              unique=True, max_size=6))
    extra = draw(st.lists(st.tuples(sql_value, sql_value), max_size=6))
    return {"areas": areas, "members": members, "logs": logs, "parts": parts, "extra": extra}


def _fill(path: Path, data) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE extras (a, b)")
    conn.executemany("INSERT INTO areas (code, name) VALUES (?, ?)", data["areas"])
    conn.executemany("INSERT INTO points (code, name, area) VALUES (?, ?, ?)",
                     [(c, n, c) for c, n in data["areas"]])
    conn.executemany("INSERT INTO members (member_no, name, gender, category, area, phone, "
                     "note) VALUES (?, ?, ?, ?, ?, ?, ?)", data["members"])
    conn.executemany("INSERT INTO logs (id, point, date, kind, title, served, hours, note, "
                     "voided) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", data["logs"])
    conn.executemany("INSERT INTO log_participants VALUES (?, ?)", data["parts"])
    conn.executemany("INSERT INTO extras VALUES (?, ?)", data["extra"])
    conn.commit()
    conn.close()


def _with_extras(path: Path) -> Path:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE extras (a, b)")
    conn.commit()
    conn.close()
    return path


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(data=databases())
def test_property_export_then_import_gives_equal_tables(data):
    with tempfile.TemporaryDirectory() as scratch:
        here = Path(scratch)
        source = fresh(here, "source.db")
        _fill(source, data)
        assert run("--db", source, "db", "export", here / "dump").exit_code == 0
        target = _with_extras(fresh(here, "target.db"))
        result = run("--db", target, "db", "import", here / "dump")
        assert result.exit_code == 0, result.stderr
        assert restored(target) == snapshot(source)


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(saved=databases(), current=databases())
def test_property_restore_gives_the_backups_content(saved, current):
    with tempfile.TemporaryDirectory() as scratch:
        here = Path(scratch)
        backup = fresh(here, "backup.db")
        _fill(backup, saved)
        wanted = snapshot(backup)
        db = fresh(here, "current.db")
        _fill(db, current)
        result = run("--db", db, "db", "restore", backup, "--yes")
        assert result.exit_code == 0, result.stderr
        assert restored(db) == wanted


# --- a killed restore ----------------------------------------------------------------------


@pytest.mark.slow
def test_a_killed_restore_leaves_the_database_as_it_was(seeded, tmp_path):
    """Restore a large backup and SIGKILL it while it writes the pages: the database is
    intact and exactly as before; a rerun then restores."""
    big = tmp_path / "big.db"
    seeded.ok("db", "backup", str(big))
    conn = sqlite3.connect(big)
    conn.executemany("INSERT INTO audit (at, operator, command, table_name, key, action, "
                     "changes) VALUES ('2026-01-01T00:00:00Z', '王芳', 'test', 'members', ?, "
                     "'update', ?)", ((str(i), "备注" * 200) for i in range(60000)))
    conn.commit()
    conn.close()
    before = snapshot(seeded.db_path)
    status = kill_mid_write(seeded.db_path, ["db", "restore", str(big), "--yes"],
                            when=lambda grown, _s: grown > 4 * 1024 * 1024)
    assert status == -signal.SIGKILL
    assert seeded.rows("PRAGMA integrity_check") == [("ok",)]
    assert snapshot(seeded.db_path) == before
    seeded.ok("db", "restore", str(big), "--yes")
    assert seeded.count("audit") == before_audit(before) + 60000 + 1  # and the restore


def before_audit(snap) -> int:
    return len(snap["audit"])
