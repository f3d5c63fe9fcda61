"""The installed command's start and end (``cbtool.process``): the garbage collector held off
while the command is built and on for its work; the exit without the interpreter's teardown
loses nothing — the exit code, all of the output, the ``atexit`` functions, the database
closed with nothing beside it."""

from __future__ import annotations

import gc
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from cbtool import process


def _command() -> list[str]:
    exe = shutil.which("cbtool")
    return [exe] if exe else [sys.executable, "-m", "cbtool"]


def _run(*args: str, cwd: Path, **kw) -> subprocess.CompletedProcess:
    env = {**os.environ, "CBTOOL_TODAY": "2026-11-30"}
    return subprocess.run([*_command(), *args], capture_output=True, text=True, cwd=cwd,
                          env=env, timeout=120, **kw)


LEAVE = """
import atexit, sys
from cbtool import process
atexit.register(lambda: sys.stdout.write("atexit ran\\n"))
sys.stdout.write("行" * 200_000 + "\\n")  # more than any buffer: flushed before the exit
code = eval(sys.argv[1])
process.leave(code)
"""


@pytest.mark.parametrize(("code", "status", "stderr"), [
    ("None", 0, ""), ("0", 0, ""), ("2", 2, ""), ("3", 3, ""),
    ("'数据库不存在'", 1, "数据库不存在\n"),
])
def test_leave_exits_as_sys_exit_would(tmp_path, code, status, stderr):
    done = subprocess.run([sys.executable, "-c", LEAVE, code], capture_output=True,
                          text=True, cwd=tmp_path, encoding="utf-8",
                          env={**os.environ, "PYTHONIOENCODING": "utf-8"})
    assert done.returncode == status
    assert done.stdout == "行" * 200_000 + "\natexit ran\n"
    assert done.stderr == stderr


def test_the_collector_is_held_while_starting_and_on_for_the_work():
    assert gc.isenabled()
    frozen = gc.get_freeze_count()
    try:
        process.starting()
        assert not gc.isenabled()
        process.started()
        assert gc.isenabled()
        assert gc.get_freeze_count() > frozen  # the start-up's objects: out of its sight
        process.started()  # once only
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


def test_a_collector_someone_else_turned_off_stays_off():
    gc.disable()
    try:
        process.starting()
        process.started()
        assert not gc.isenabled()
    finally:
        gc.enable()


@pytest.fixture
def sample_db(tmp_path) -> Path:
    db = tmp_path / "cb.db"
    done = _run("--db", str(db), "init", "--sample", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    return db


def test_a_long_listing_arrives_whole_through_a_pipe(sample_db, cli, tmp_path):
    """Every row of the installed command's listing reaches the reader, as in-process."""
    args = ["audit", "--all", "--format", "csv"]  # ~2,800 rows, more than a pipe holds
    done = _run("--db", str(sample_db), *args, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    cli.db_path = sample_db
    expected = cli.ok(*args).stdout
    assert done.stdout == expected
    assert len(done.stdout.encode()) > 256 * 1024


def test_a_write_is_committed_and_the_database_closed(sample_db, tmp_path):
    done = _run("--db", str(sample_db), "logs", "add", "--point", "A01", "--kind", "visit",
                "--title", "走访慰问离退休党员", "--on", "2026-11-20", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    beside = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith("cb.db"))
    assert beside == ["cb.db"]  # no journal or WAL left for the next command to recover
    listed = _run("--db", str(sample_db), "logs", "list", "--format", "csv", "--all",
                  cwd=tmp_path)
    assert "走访慰问离退休党员" in listed.stdout


def test_exit_codes_and_one_line_errors_are_kept(sample_db, tmp_path):
    usage = _run("--db", str(sample_db), "members", "list", "--limit", "0", cwd=tmp_path)
    assert usage.returncode == 2
    missing = _run("--db", str(tmp_path / "无此库.db"), "members", "list", cwd=tmp_path)
    assert missing.returncode != 0
    assert len(missing.stderr.strip().splitlines()) == 1
    assert "Traceback" not in missing.stderr
    with open("/dev/full", "w") as full_disk:  # standard output that cannot be written
        full = subprocess.run([*_command(), "--db", str(sample_db), "members", "list"],
                              stdout=full_disk, stderr=subprocess.PIPE, text=True,
                              cwd=tmp_path, timeout=120)
    assert full.returncode == 3
    assert len(full.stderr.strip().splitlines()) == 1


def test_a_closed_standard_output_is_one_line_and_exit_3(sample_db, tmp_path):
    """``cbtool … >&-`` (Python sees no standard output at all): a command with output to
    give says it cannot, in one line; one that writes only messages still succeeds."""
    import shlex

    def closed(*args: str, also_stderr: bool = False) -> subprocess.CompletedProcess:
        line = " ".join(map(shlex.quote, [*_command(), "--db", str(sample_db), *args]))
        line += " >&-" + (" 2>&-" if also_stderr else "")
        return subprocess.run(["sh", "-c", line], capture_output=True, text=True,
                              cwd=tmp_path, timeout=120)

    listing = closed("members", "list", "--limit", "3")
    assert listing.returncode == 3
    assert listing.stderr == "无法写入标准输出：已被关闭（如 >&-）\n"
    assert closed("summary", also_stderr=True).returncode == 3  # said to nobody, no crash
    added = closed("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                   "--on", "2026-11-20")
    assert added.returncode == 0 and "已添加台账记录" in added.stderr
    assert closed("--version").returncode == 3


def test_a_closed_standard_input_reads_as_empty(sample_db, tmp_path):
    line = " ".join([*_command(), "--db", str(sample_db), "members", "import", "-",
                     "--input-format", "csv", "<&-"])
    done = subprocess.run(["sh", "-c", line], capture_output=True, text=True, cwd=tmp_path,
                          timeout=120)
    assert done.returncode == 1
    assert done.stderr.splitlines()[0].startswith("<stdin>：是空的")


def test_main_called_from_python_leaves_the_collector_on(monkeypatch, capsys):
    """``cbtool.__main__.main`` in a script's own process (``--version``, answered before
    any command is built) hands the process back with its collector running."""
    from cbtool.__main__ import main

    monkeypatch.setattr(sys, "argv", ["cbtool", "--version"])
    try:
        with pytest.raises(SystemExit) as done:
            main()
        assert done.value.code == 0
        assert gc.isenabled()
        assert capsys.readouterr().out.startswith("cbtool ")
    finally:
        gc.unfreeze()
        gc.enable()
