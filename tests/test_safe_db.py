"""The database under hostile environments: file modes are left alone, read-only files and
directories can still be read, foreign files are never adopted, backups and migrations are
all or nothing (even when killed), and an import never re-checks a file holding the lock."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from sqlite_utils import Database

from cbtool import importing, migrations
from cbtool.errors import EnvError
from cbtool.store import open_store
from cbtool.tabular import open_source

NOT_CBTOOL_ZH = "不是 cbtool 数据库（请先运行 cbtool init）"
NOT_CBTOOL_EN = "not a cbtool database (run `cbtool init`)"
READ_COMMANDS = [["summary", "--format", "json"], ["members", "list"], ["db", "info"],
                 ["db", "check"], ["areas", "list"]]


def mode(path: Path) -> int:
    return stat.S_IMODE(path.lstat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def one_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    return lines[0]


def old_database(path: Path, stop_before: str = "m002_logs") -> None:
    """A file left by an older cbtool: the migrations before ``stop_before``, one area."""
    old = Database(path)
    migrations.migrations.apply(old, stop_before=stop_before)
    old.execute("INSERT INTO areas (code, name) VALUES ('A01', '石化一村居民区')")
    old.conn.commit()
    old.close()


# --- modes ------------------------------------------------------------------------------


@pytest.mark.parametrize("shared", [0o640, 0o660, 0o644])
def test_opening_never_changes_an_existing_mode(seeded, shared):
    os.chmod(seeded.db_path, shared)
    seeded.ok("summary")
    seeded.ok("areas", "add", "A03", "石化三村居民区")
    assert mode(seeded.db_path) == shared
    with open_store(seeded.db_path) as store:
        store.execute("SELECT count(*) FROM members").fetchone()
        wal = Path(f"{seeded.db_path}-wal")
        assert wal.exists() and mode(wal) == shared  # SQLite's -wal follows the database
    assert mode(seeded.db_path) == shared


def test_new_files_and_directories_are_owner_only_whatever_the_umask(cli, tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "新目录" / "数据" / "community.db"
        cli.db_path = path
        cli.ok("init")
        assert mode(path) == 0o600
        assert mode(path.parent) == 0o700 and mode(path.parent.parent) == 0o700
        with open_store(path) as store, store.transaction():
            store.execute("INSERT INTO areas (code, name) VALUES ('A01', '石化一村居民区')")
            assert mode(Path(f"{path}-wal")) == 0o600 and mode(Path(f"{path}-shm")) == 0o600
        backup = tmp_path / "备份" / "copy.db"
        cli.ok("db", "backup", str(backup))
        assert mode(backup) == 0o600 and mode(backup.parent) == 0o700
    finally:
        os.umask(old)


def test_a_read_only_file_is_read_but_never_written(seeded, tmp_path):
    path = seeded.db_path
    assert json.loads(seeded.ok("db", "info", "--format", "json").stdout)["read_only"] is False
    for suffix in ("-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.chmod(path, 0o444)
    before = digest(path)
    result = seeded("areas", "add", "A09", "新居民区")
    assert result.exit_code == 3 and one_line(result).startswith("数据库只读")
    result = seeded("--lang", "en", "members", "add", "--no", "0009", "--name", "赵敏",
                    "--category", "在职", "--area", "A01")
    assert result.exit_code == 3 and one_line(result).startswith("the database is read-only")
    for args in READ_COMMANDS:
        seeded.ok(*args)
    assert json.loads(seeded.ok("db", "info", "--format", "json").stdout)["read_only"] is True
    csv = tmp_path / "new.csv"
    csv.write_text("党员编号,姓名,党员类别,居民区\n0101,赵敏,在职,A01\n", encoding="utf-8")
    dry = seeded.ok("--lang", "en", "members", "import", str(csv), "--dry-run")
    assert "inserted 1" in dry.stderr
    with csv.open("a", encoding="utf-8") as more:
        more.write("0102,钱伟,不存在的类别,A01\n")
    result = seeded("members", "import", str(csv))  # refused before the file is checked
    assert result.exit_code == 3 and one_line(result).startswith("数据库只读")
    copy = tmp_path / "copy.db"
    seeded.ok("db", "backup", str(copy))
    assert sqlite3.connect(copy).execute("SELECT count(*) FROM members").fetchone() == (4,)
    assert digest(path) == before and mode(path) == 0o444
    assert not Path(f"{path}-wal").exists() and not Path(f"{path}-shm").exists()


def _read_only_directory_runner(directory: Path):
    """A way to run cbtool with ``directory`` really read-only, or None. As root permission
    bits are ignored, so a read-only bind mount in a private mount namespace is used (it
    vanishes with the child); as another user, chmod 0555 is enough."""
    if os.geteuid() != 0:
        return "chmod"
    if not shutil.which("unshare"):
        return None
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", 'mount --bind "$0" "$0" && mount -o remount,ro,bind '
         '"$0" "$0" && ! touch "$0/.probe" 2>/dev/null', str(directory)],
        capture_output=True)
    return "mount" if probe.returncode == 0 else None


RUN_ALL = textwrap.dedent("""
    import json, sys
    from typer.testing import CliRunner
    from cbtool.cli import app
    db, commands = sys.argv[1], json.loads(sys.argv[2])
    out = []
    for args in commands:
        r = CliRunner().invoke(app, ["--db", db, *args])
        out.append([r.exit_code, r.stderr])
    print(json.dumps(out))
""")


def test_a_database_in_a_read_only_directory_can_be_read(seeded, tmp_path):
    directory = tmp_path / "只读"
    directory.mkdir()
    path = directory / "community.db"
    shutil.move(seeded.db_path, path)
    for suffix in ("-wal", "-shm"):
        Path(f"{seeded.db_path}{suffix}").unlink(missing_ok=True)
    before = digest(path)
    how = _read_only_directory_runner(directory)
    if how is None:
        pytest.skip("cannot make a directory read-only here: running as root without a "
                    "mount namespace (unshare -m) to bind-mount it read-only")
    commands = [*READ_COMMANDS, ["--lang", "en", "areas", "add", "A09", "新居民区"]]
    if how == "chmod":
        os.chmod(directory, 0o555)
        try:
            seeded.db_path = path
            results = [[r.exit_code, r.stderr] for r in (seeded(*c) for c in commands)]
        finally:
            os.chmod(directory, 0o755)
    else:
        script = ('mount --bind "$0" "$0" && mount -o remount,ro,bind "$0" "$0" && '
                  'exec "$1" -c "$2" "$3" "$4"')
        proc = subprocess.run(["unshare", "-m", "sh", "-c", script, str(directory),
                               sys.executable, RUN_ALL, str(path), json.dumps(commands)],
                              capture_output=True, text=True, timeout=120)
        assert proc.returncode == 0, proc.stderr
        results = json.loads(proc.stdout)
    for args, (code, err) in zip(commands[:-1], results[:-1], strict=True):
        assert code == 0, (args, err)
    code, err = results[-1]
    assert code == 3 and err.strip() == f"the database is read-only; nothing was written: {path}"
    assert digest(path) == before
    assert sorted(p.name for p in directory.iterdir()) == ["community.db"]


# --- foreign files ---------------------------------------------------------------------

OTHER_COMMANDS = [["summary"], ["db", "check"], ["db", "info"], ["db", "backup"],
                  ["db", "migrate"], ["members", "list"],
                  ["areas", "add", "A01", "石化一村居民区"]]


def _another_apps_file(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes (body) VALUES ('不是党员数据')")
    conn.commit()
    conn.close()
    os.chmod(path, 0o640)


@pytest.mark.parametrize("args", OTHER_COMMANDS, ids=" ".join)
@pytest.mark.parametrize("kind", ["another-app", "zero-bytes"])
def test_a_file_that_is_not_cbtool_s_is_refused_untouched(cli, tmp_path, kind, args):
    if kind == "another-app":
        _another_apps_file(cli.db_path)
    else:
        cli.db_path.touch(mode=0o640)
        os.chmod(cli.db_path, 0o640)
    before = digest(cli.db_path)
    result = cli(*args)
    assert result.exit_code == 3 and one_line(result) == f"{cli.db_path} {NOT_CBTOOL_ZH}"
    result = cli("--lang", "en", *args)
    assert result.exit_code == 3 and one_line(result) == f"{cli.db_path} is {NOT_CBTOOL_EN}"
    assert digest(cli.db_path) == before and mode(cli.db_path) == 0o640
    assert sorted(p.name for p in tmp_path.iterdir()) == ["community.db", "home"]


def test_init_refuses_another_apps_file(cli, tmp_path):
    _another_apps_file(cli.db_path)
    before = digest(cli.db_path)
    result = cli("--lang", "en", "init")
    assert result.exit_code == 3
    assert "holds another application's tables, not a cbtool database" in one_line(result)
    assert digest(cli.db_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["community.db", "home"]


def test_init_fills_an_empty_file_and_keeps_its_mode(cli):
    cli.db_path.touch()
    os.chmod(cli.db_path, 0o640)
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    assert migrations.applied(Database(cli.db_path)) == migrations.known()
    assert mode(cli.db_path) == 0o640


def test_the_python_api_refuses_a_foreign_file_too(tmp_path):
    path = tmp_path / "other.db"
    _another_apps_file(path)
    with pytest.raises(EnvError) as caught:
        open_store(path)
    assert caught.value.exit_code == 3 and NOT_CBTOOL_EN in caught.value.message("en")


def test_init_never_creates_through_a_dangling_link(cli, tmp_path):
    cli.db_path.symlink_to(tmp_path / "elsewhere.db")
    result = cli("init")
    assert result.exit_code == 3 and one_line(result)
    assert not (tmp_path / "elsewhere.db").exists()


# --- backups ---------------------------------------------------------------------------


@pytest.mark.parametrize("points_to", ["nothing", "a-file"])
def test_backup_never_follows_a_link_at_the_target(seeded, tmp_path, points_to):
    victim = tmp_path / "victim.txt"
    if points_to == "a-file":
        victim.write_text("别人的文件", encoding="utf-8")
    link = tmp_path / "copy.db"
    link.symlink_to(victim)
    result = seeded("--lang", "en", "db", "backup", str(link))
    assert result.exit_code == 3 and "exists already (or is a symbolic link)" in one_line(result)
    assert link.is_symlink() and os.readlink(link) == str(victim)
    if points_to == "a-file":
        assert victim.read_text(encoding="utf-8") == "别人的文件"
    else:
        assert not victim.exists()
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_a_migration_backup_never_follows_a_link(cli, tmp_path, monkeypatch):
    """A link planted at the backup's name is left alone: the copy goes beside it."""
    from cbtool import db

    old_database(cli.db_path)
    monkeypatch.setattr(db, "_stamp", lambda: "20260105T080000Z")
    planted = tmp_path / "community.db.bak-m001_core-20260105T080000Z"
    planted.symlink_to(tmp_path / "stolen.db")
    result = cli.ok("areas", "list")
    written = tmp_path / "community.db.bak-m001_core-20260105T080000Z-2"
    assert str(written) in result.stderr and mode(written) == 0o600
    assert not (tmp_path / "stolen.db").exists() and planted.is_symlink()
    assert migrations.applied(Database(cli.db_path)) == migrations.known()


def test_backups_in_the_same_second_take_the_next_name(seeded, tmp_path, monkeypatch):
    from cbtool import db

    monkeypatch.setattr(db, "_stamp", lambda: "20260105T080000Z")
    first = seeded.ok("db", "backup").stdout.strip()
    second = seeded.ok("db", "backup").stdout.strip()
    assert first == str(tmp_path / "community-backup-20260105T080000Z.db")
    assert second == str(tmp_path / "community-backup-20260105T080000Z-2.db")
    folder = tmp_path / "备份"
    folder.mkdir()
    (folder / "community-backup-20260105T080000Z.db").symlink_to(tmp_path / "stolen.db")
    third = seeded.ok("db", "backup", str(folder)).stdout.strip()
    assert third == str(folder / "community-backup-20260105T080000Z-2.db")
    assert not (tmp_path / "stolen.db").exists()


KILLED = textwrap.dedent("""
    import os, signal, sys
    from cbtool.cli import app
    where, *argv = sys.argv[1:]

    def die(*args, **kwargs):
        os.kill(os.getpid(), signal.SIGKILL)

    if where == "mid-copy":  # SQLite's backup has copied its first page
        import sqlite3
        real_connect = sqlite3.connect

        class Dying(sqlite3.Connection):
            def backup(self, target, **kwargs):
                return super().backup(target, pages=1, progress=die)

        def connect(*args, **kwargs):
            return real_connect(*args, factory=Dying, **kwargs)

        sqlite3.connect = connect
    elif where == "copied":  # every page copied, not yet synced nor renamed
        os.fsync = die
    elif where == "migrating":  # backup written; the last migration runs
        from cbtool import migrations
        migrations.migrations._migrations[-1].fn = die
    app(argv, prog_name="cbtool")
""")


def run_killed(where: str, *argv: str) -> None:
    proc = subprocess.run([sys.executable, "-c", KILLED, where, *argv], capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == -signal.SIGKILL, proc.stderr


@pytest.mark.parametrize("where", ["mid-copy", "copied"])
def test_a_killed_backup_leaves_nothing_under_the_final_name(seeded, tmp_path, where):
    target = tmp_path / "copy.db"
    run_killed(where, "--db", str(seeded.db_path), "db", "backup", str(target))
    assert not target.exists()
    leftovers = [p for p in tmp_path.iterdir() if p.name.startswith(".copy.db.")]
    assert leftovers and all(mode(p) == 0o600 for p in leftovers)
    assert seeded.ok("db", "backup", str(target)).stdout.strip() == str(target)
    assert sqlite3.connect(target).execute("SELECT count(*) FROM members").fetchone() == (4,)


@pytest.mark.parametrize("where", ["mid-copy", "copied", "migrating"])
def test_a_killed_migration_leaves_the_old_file_and_no_false_backup(cli, tmp_path, where):
    old_database(cli.db_path)
    run_killed(where, "--db", str(cli.db_path), "areas", "list")
    assert migrations.applied(Database(cli.db_path)) == ["m001_core"]
    assert cli.rows("PRAGMA integrity_check") == [("ok",)]
    assert "logs" not in {r[0] for r in cli.rows("SELECT name FROM sqlite_master")}
    backups = list(tmp_path.glob("community.db.bak-*"))
    if where == "migrating":  # the backup was complete before the migration began
        assert len(backups) == 1
        assert sqlite3.connect(backups[0]).execute("SELECT name FROM areas").fetchall() == \
            [("石化一村居民区",)]
    else:
        assert backups == []
    result = cli.ok("areas", "list")  # the rerun migrates
    assert "m002_logs" in result.stderr
    assert migrations.applied(Database(cli.db_path)) == migrations.known()


# --- migrations ------------------------------------------------------------------------


def test_a_failed_migration_is_undone_whole_and_says_so(cli, monkeypatch):
    """m002 succeeds, m003 fails with a full disk: m002 must not stay applied."""
    old_database(cli.db_path)
    last = migrations.migrations._migrations[-1]  # m003_checks

    def full_disk(db):
        db.execute("CREATE TABLE checks_half (id INTEGER)")
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(last, "fn", full_disk)
    result = cli("--lang", "en", "areas", "list")
    assert result.exit_code == 3
    line = one_line(result)
    assert "undone" in line and "m001_core" in line and "nothing was written" not in line
    db = Database(cli.db_path)
    assert migrations.applied(db) == ["m001_core"]
    assert not {"logs", "checks", "checks_half"} & set(db.table_names())
    assert db.execute("SELECT name FROM areas").fetchall() == [("石化一村居民区",)]
    monkeypatch.undo()
    cli.ok("areas", "list")
    assert migrations.applied(Database(cli.db_path)) == migrations.known()


def test_pending_migrations_are_decided_with_one_query(cli):
    cli.ok("init")
    db = Database(cli.db_path)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    assert migrations.pending(db) == []
    assert len(statements) == 1


# --- the import lock -------------------------------------------------------------------


def _members_csv(tmp_path: Path) -> Path:
    path = tmp_path / "new.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0101,赵敏,在职,A01\n0102,钱伟,流动,A02\n",
                    encoding="utf-8")
    return path


def _planner(store, csv: Path, other: sqlite3.Connection, commits: int, seen: list[str]):
    """make_plan for import_file that first checks from ``other`` that the write lock is
    free (BEGIN IMMEDIATE without waiting), and commits there for the first ``commits``
    plans, as a member of staff would while the file is being checked."""

    def make_plan():
        try:
            other.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            seen.append(f"locked: {exc}")
            raise
        if len(seen) < commits:
            other.execute("INSERT INTO areas (code, name) VALUES (?, '并发居民区')",
                          (f"B{len(seen):02d}",))
        other.execute("COMMIT")
        seen.append("free")
        with open_source(str(csv)) as source:
            return importing.plan_import(store, "members", source)

    return make_plan


def test_replanning_after_a_concurrent_commit_does_not_hold_the_lock(seeded, tmp_path):
    other = sqlite3.connect(seeded.db_path, timeout=0, isolation_level=None)
    seen: list[str] = []
    with open_store(seeded.db_path) as store:
        plan = importing.import_file(store, _planner(store, _members_csv(tmp_path), other, 1,
                                                     seen))
    assert seen == ["free", "free"]  # planned twice, never under the lock
    assert plan.tally() == "inserted 2, updated 0, unchanged 0, rejected 0"
    assert seeded.count("members") == 6 and seeded.count("areas") == 3
    other.close()


def test_a_database_that_keeps_changing_gives_up_without_writing(seeded, tmp_path):
    other = sqlite3.connect(seeded.db_path, timeout=0, isolation_level=None)
    seen: list[str] = []
    with open_store(seeded.db_path) as store, pytest.raises(EnvError) as caught:
        importing.import_file(store, _planner(store, _members_csv(tmp_path), other, 99, seen))
    assert seen == ["free"] * importing.PLAN_ATTEMPTS
    assert caught.value.exit_code == 3
    assert "nothing was written" in caught.value.message("en")
    assert seeded.count("members") == 4
    other.close()


def test_a_quiet_database_is_planned_once(seeded, tmp_path):
    other = sqlite3.connect(seeded.db_path, timeout=0, isolation_level=None)
    seen: list[str] = []
    with open_store(seeded.db_path) as store:
        importing.import_file(store, _planner(store, _members_csv(tmp_path), other, 0, seen))
    assert seen == ["free"] and seeded.count("members") == 6
    other.close()


# --- messages --------------------------------------------------------------------------


@pytest.mark.parametrize("command", [["members", "list"], ["logs", "list"]])
def test_a_limit_beyond_sqlite_is_a_usage_error(seeded, command):
    result = seeded(*command, "--limit", "9223372036854775808")
    assert result.exit_code == 2 and "--limit" in result.stderr
    assert "数据库" not in result.stderr
    seeded.ok(*command, "--limit", "9223372036854775807")
