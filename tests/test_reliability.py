"""Promises under load and faults: concurrent writers with a report running, backups
while others write, a full disk, and garbage on every command line."""

from __future__ import annotations

import json
import resource
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import date

import pytest
from conftest import examples, kill_mid_write
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

WRITER = textwrap.dedent("""
    import sys, time
    from cbtool.cli import app
    db, prefix, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    slowest = 0.0
    for i in range(n):
        start = time.monotonic()
        try:
            app(["--db", db, "members", "add", "--no", f"{prefix}{i:03d}", "--name", "并发测试",
                 "--category", "在职", "--area", "A01"], prog_name="cbtool")
        except SystemExit as exit:
            if exit.code:
                sys.exit(f"members add failed: {exit.code}")
        try:
            app(["--db", db, "logs", "add", "--point", "A01", "--kind", "volunteer",
                 "--title", f"志愿服务 {prefix}{i}", "--members", f"{prefix}{i:03d}"],
                prog_name="cbtool")
        except SystemExit as exit:
            if exit.code:
                sys.exit(f"logs add failed: {exit.code}")
        slowest = max(slowest, time.monotonic() - start)
    print(slowest)
""")

REPORTER = textwrap.dedent("""
    import sys, time
    from cbtool.cli import app
    db, out, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
    slowest = 0.0
    for _ in range(n):
        start = time.monotonic()
        try:
            app(["--db", db, "report", "--period", "this-year", "--format", "json",
                 "--out", out], prog_name="cbtool")
        except SystemExit as exit:
            if exit.code:
                sys.exit(f"report failed: {exit.code}")
        slowest = max(slowest, time.monotonic() - start)
    print(slowest)
""")


def spawn(script: str, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", script, *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)


@pytest.mark.slow  # four processes, 78 commands
def test_writers_and_a_report_at_once(seeded, tmp_path):
    db = str(seeded.db_path)
    members_before, logs_before = seeded.count("members"), seeded.count("logs")
    writers = [spawn(WRITER, db, f"9{w}", "12") for w in range(3)]
    reporter = spawn(REPORTER, db, str(tmp_path), "6")
    for proc in [*writers, reporter]:
        out, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err  # nobody waited out the busy timeout (exit 3)
    assert seeded.count("members") == members_before + 36
    assert seeded.count("logs") == logs_before + 36
    assert seeded.count("log_participants") == 36
    report = tmp_path / f"cbtool-report-{date.today().year}.json"
    assert json.loads(report.read_text())["members"]["total"] >= 4
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []  # no temp files


@pytest.mark.slow  # a writer process and backups until it is done
def test_backup_while_another_process_writes(seeded, tmp_path):
    writer = spawn(WRITER, str(seeded.db_path), "8", "15")
    copies = []
    deadline = time.monotonic() + 60
    while writer.poll() is None and time.monotonic() < deadline:
        target = tmp_path / f"copy-{len(copies)}.db"
        seeded.ok("db", "backup", str(target))
        copies.append(target)
    writer.communicate(timeout=60)
    assert writer.returncode == 0 and copies
    for copy in copies:
        conn = sqlite3.connect(copy)
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        members = conn.execute("SELECT count(*) FROM members").fetchone()[0]
        inserts = conn.execute("SELECT count(*) FROM audit WHERE table_name = 'members' "
                               "AND action = 'insert'").fetchone()[0]
        assert members == inserts  # each add is one transaction: never half of one
        conn.close()


def _limit_file_size(limit: int):
    def apply():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # write() fails with EFBIG instead
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))
    return apply


def test_full_disk_is_exit_3_and_writes_nothing(seeded, tmp_path):
    """An import that runs out of room (RLIMIT_FSIZE: no file may grow past 64 KiB; the
    -shm file needs 32 KiB) stops with exit 3 and one line, and leaves nothing behind."""
    rows = ["member_no,name,category,area,note"] + [
        f"{7000 + i},满盘测试{i},在职,A01,{'备注' * 40}" for i in range(3000)]
    big = tmp_path / "big.csv"
    big.write_text("\n".join(rows) + "\n", encoding="utf-8")
    before = {t: seeded.count(t) for t in ("members", "audit")}
    proc = subprocess.run(
        [sys.executable, "-m", "cbtool", "--db", str(seeded.db_path), "members", "import",
         str(big)], capture_output=True, text=True,
        preexec_fn=_limit_file_size(64 * 1024), timeout=120)
    assert proc.returncode == 3, proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1 and "Traceback" not in proc.stderr
    assert {t: seeded.count(t) for t in ("members", "audit")} == before
    assert seeded.rows("PRAGMA integrity_check") == [("ok",)]


# --- garbage on the command line ---------------------------------------------------------

garbage = st.text(alphabet=st.characters(blacklist_categories=("Cs",),
                                         blacklist_characters="\x00"), max_size=25)

COMMANDS = [
    lambda g: ["members", "add", "--no", g, "--name", "测试", "--category", "在职", "--area", "A01"],
    lambda g: ["members", "add", "--no", "6001", "--name", "测试", "--category", g, "--area", "A01"],
    lambda g: ["members", "add", "--no", "6002", "--name", "测试", "--category", "在职",
               "--area", "A01", "--born", g],
    lambda g: ["members", "add", "--no", "6003", "--name", "测试", "--category", "在职",
               "--area", "A01", "--id-card", g, "--phone", g],
    lambda g: ["members", "edit", "0001", "--joined", g],
    lambda g: ["members", "contact", "0002", "--on", g],
    lambda g: ["members", "recategorize", "0003", "--to", g],
    lambda g: ["members", "archive", "0004", "--reason", g, "--yes"],
    lambda g: ["members", "list", "--area", g],
    lambda g: ["members", "show", g],
    lambda g: ["logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访",
               "--on", g],
    lambda g: ["logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
               "--served", g, "--hours", g],
    lambda g: ["logs", "add", "--point", g, "--kind", "visit", "--title", "走访",
               "--members", g],
    lambda g: ["logs", "list", "--period", g],
    lambda g: ["checklist", "record", "A01", "--ok", g, "--on", "2026-01-05"],
    lambda g: ["checklist", "record", "A01", "--ok", "场所", "--on", g],
    lambda g: ["summary", "--period", g, "--format", "json"],
    lambda g: ["points", "add", g, g],
    lambda g: ["areas", "add", g, "某居民区"],
    lambda g: ["audit", "--since", g],
]
TABLES = ("areas", "points", "members", "category_changes", "contacts", "logs",
          "log_participants", "checks", "audit")


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(which=st.integers(0, len(COMMANDS) - 1), text=garbage)
def test_garbage_never_tracebacks_or_half_writes(seeded, which, text):
    counts = {t: seeded.count(t) for t in TABLES}
    result = seeded(*COMMANDS[which](text))  # catch_exceptions=False: a traceback fails here
    assert result.exit_code in (0, 1, 2), (result.exit_code, result.stderr)
    if result.exit_code:
        assert counts == {t: seeded.count(t) for t in TABLES}
        assert result.stderr.strip() and "Traceback" not in result.stderr


# --- killed imports ---------------------------------------------------------------------

TABLES_KEPT = ("areas", "points", "members", "contacts", "category_changes", "audit")


def _import_and_kill(cli, csv_path, *, when) -> None:
    """Start ``members import`` in a child, SIGKILL it when ``when(wal_bytes, seconds)``
    says so, and check the database is exactly as before and intact."""
    before = {t: cli.count(t) for t in TABLES_KEPT}
    status = kill_mid_write(cli.db_path, ["members", "import", str(csv_path)], when=when)
    assert status == -signal.SIGKILL
    assert cli.rows("PRAGMA integrity_check") == [("ok",)]
    assert {t: cli.count(t) for t in TABLES_KEPT} == before


def _members_file(tmp_path, n):
    from cbtool.sample import write_sample

    paths = write_sample(tmp_path / f"m{n}", members=n, logs=0, seed=3)
    return paths


KILL_POINTS = {
    "while-reading": lambda grown, t: t > 0.4,  # checking rows; nothing written yet
    "early-in-the-write": lambda grown, t: grown > 64 * 1024,
    "late-in-the-write": lambda grown, t: grown > 2 * 1024 * 1024,
}


@pytest.mark.slow  # 50,000 members imported twice per point
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_import_at_several_points_changes_nothing(cli, tmp_path, point):
    cli.ok("init")
    paths = _members_file(tmp_path, 50000)
    cli.ok("areas", "import", str(paths["areas"]))
    _import_and_kill(cli, paths["members"], when=KILL_POINTS[point])
    result = cli.ok("members", "import", str(paths["members"]))  # and it still works after
    assert result.stderr.strip() == "inserted 50000, updated 0, unchanged 0, rejected 0"


@pytest.mark.slow
@pytest.mark.parametrize("point", list(KILL_POINTS))
def test_a_killed_big_import_changes_nothing(cli, tmp_path, point):
    """The larger variant (100,000 members): pytest -m slow."""
    cli.ok("init")
    paths = _members_file(tmp_path, 100_000)
    cli.ok("areas", "import", str(paths["areas"]))
    _import_and_kill(cli, paths["members"], when=KILL_POINTS[point])
