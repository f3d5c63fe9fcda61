"""The one safe writer (cbtool.files): every file cbtool writes but the database.

Devices and FIFOs are written through, never renamed over; links are refused; full disks
are one line, exit 3, naming the place that is full; csv report directories are replaced
so a reader never finds them missing; killed runs' leftovers are swept; what cbtool
creates is owner-only whatever the umask.

As root, a regression here would replace the machine's real /dev/null or /dev/full, so
the device tests then write to copies made with mknod in tmp_path (same driver, same
behaviour); an ordinary user cannot rename over /dev/*, so they use the real ones.
"""

from __future__ import annotations

import contextlib
import errno
import json
import os
import stat
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pytest

from cbtool import files
from cbtool.errors import EnvError
from cbtool.report import sections, write_report

PERIOD = ("--period", "2025-01")


def device(tmp_path: Path, name: str) -> Path:
    real = Path("/dev") / name
    if not real.exists():
        pytest.skip(f"no /dev/{name} here")
    if os.geteuid() != 0:
        return real
    copy = tmp_path / f"dev-{name}"
    try:
        os.mknod(copy, 0o666 | stat.S_IFCHR, os.stat(real).st_rdev)
    except OSError:
        pytest.skip("root without mknod")
    return copy


def assert_same_device(path: Path, rdev: int) -> None:
    st = os.lstat(path)
    assert stat.S_ISCHR(st.st_mode) and st.st_rdev == rdev, "the device was replaced"


def no_leftovers(directory: Path) -> list[str]:
    return [n for n in os.listdir(directory) if n.endswith((".tmp", ".old"))]


def one_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr and "Exception ignored" not in stderr
    return lines[0]


@contextlib.contextmanager
def fifo_reader(path: Path):
    """A FIFO at ``path`` with a thread reading all of it; yields the list it fills."""
    os.mkfifo(path, 0o600)
    got: list[bytes] = []

    def read() -> None:
        with open(path, "rb") as handle:
            got.append(handle.read())

    thread = threading.Thread(target=read, daemon=True)
    thread.start()
    try:
        yield got
    finally:
        if thread.is_alive():  # the writer never came: open it once so the reader ends
            with contextlib.suppress(OSError):
                os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
        thread.join(10)
    assert stat.S_ISFIFO(os.lstat(path).st_mode), "the FIFO was replaced"


@contextlib.contextmanager
def umask(value: int):
    old = os.umask(value)
    try:
        yield
    finally:
        os.umask(old)


def mode(path: Path) -> int:
    return stat.S_IMODE(os.lstat(path).st_mode)


# --- devices and FIFOs ------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["md", "html", "json", "xlsx"])
def test_report_to_dev_null_is_written_through(seeded, tmp_path, fmt):
    null = device(tmp_path, "null")
    rdev = os.stat(null).st_rdev
    result = seeded.ok("report", *PERIOD, "--format", fmt, "--out", str(null))
    assert result.stdout.strip() == str(null)
    assert_same_device(null, rdev)
    assert no_leftovers(null.parent) == []


@pytest.mark.parametrize("fmt", ["md", "json", "xlsx"])
def test_report_to_dev_full_is_exit_3_one_line(seeded, tmp_path, fmt):
    full = device(tmp_path, "full")
    rdev = os.stat(full).st_rdev
    result = seeded("report", *PERIOD, "--format", fmt, "--out", str(full))
    assert result.exit_code == 3
    assert one_line(result.stderr) == f"磁盘已满，无法写入 {full}"
    assert_same_device(full, rdev)
    result = seeded("--lang", "en", "report", *PERIOD, "--format", fmt, "--out", str(full))
    assert one_line(result.stderr) == f"the disk is full; cannot write {full}"


def test_csv_report_onto_a_device_is_refused(seeded, tmp_path):
    null = device(tmp_path, "null")
    rdev = os.stat(null).st_rdev
    result = seeded("report", *PERIOD, "--format", "csv", "--out", str(null))
    assert result.exit_code == 1 and "不是 csv 报表目录" in one_line(result.stderr)
    assert_same_device(null, rdev)


@pytest.mark.parametrize("fmt", ["csv", "jsonl", "xlsx"])
def test_export_to_devices(seeded, tmp_path, fmt):
    null, full = device(tmp_path, "null"), device(tmp_path, "full")
    rdevs = os.stat(null).st_rdev, os.stat(full).st_rdev
    seeded.ok("members", "export", "--format", fmt, "--out", str(null))
    result = seeded("members", "export", "--format", fmt, "--out", str(full))
    assert result.exit_code == 3
    assert one_line(result.stderr) == f"磁盘已满，无法写入 {full}"
    assert_same_device(null, rdevs[0])
    assert_same_device(full, rdevs[1])


def test_report_and_export_into_a_fifo(seeded, tmp_path):
    pipe = tmp_path / "pipe"
    with fifo_reader(pipe) as got:
        seeded.ok("report", *PERIOD, "--format", "md", "--out", str(pipe))
    assert got and got[0].decode().startswith("# ")
    pipe.unlink()
    with fifo_reader(pipe) as got:
        seeded.ok("members", "export", "--format", "csv", "--out", str(pipe))
    assert got[0].decode("utf-8").splitlines()[0].startswith("member_no,")
    pipe.unlink()
    with fifo_reader(pipe) as got:  # a zip on a stream that cannot seek
        seeded.ok("members", "export", "--format", "xlsx", "--out", str(pipe))
    (tmp_path / "got.xlsx").write_bytes(got[0])
    from openpyxl import load_workbook

    sheet = load_workbook(tmp_path / "got.xlsx").active
    assert sheet.max_row == 5 and sheet["A2"].value == "0001"
    assert no_leftovers(tmp_path) == []


# --- links -------------------------------------------------------------------------------


def test_links_are_never_written_through(seeded, tmp_path):
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    link = tmp_path / "report.md"
    link.symlink_to(victim)
    dangling = tmp_path / "members.csv"
    dangling.symlink_to(tmp_path / "nowhere" / "planted.csv")
    for args, target in ((("report", *PERIOD, "--format", "md", "--out"), link),
                         (("members", "export", "--out"), dangling)):
        result = seeded(*args, str(target))
        assert result.exit_code == 3
        assert one_line(result.stderr) == f"{target} 是符号链接，cbtool 不经由链接写文件（请给出实际路径）"
        assert target.is_symlink()
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert not (tmp_path / "nowhere").exists()


def test_a_directory_reached_through_a_link_is_a_directory(seeded, tmp_path):
    real = tmp_path / "real"
    real.mkdir()
    (tmp_path / "reports").symlink_to(real)
    seeded.ok("report", *PERIOD, "--format", "md", "--out", str(tmp_path / "reports"))
    assert (real / "cbtool-report-2025-01.md").is_file()


# --- full disks and standard output -----------------------------------------------------


def run_cbtool(*args: str, stdout) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "cbtool", *args], stdout=stdout,
                          stderr=subprocess.PIPE, text=True, timeout=120)


@pytest.mark.parametrize("args", [  # two cbtool runs each: the variants in the slow step
    ("members", "list", "--format", "csv"),
    pytest.param(("members", "list"), marks=pytest.mark.slow),
    pytest.param(("report", *PERIOD, "--format", "md", "--out", "-"), marks=pytest.mark.slow),
    pytest.param(("members", "export", "--format", "xlsx"), marks=pytest.mark.slow),
])
def test_stdout_to_dev_full_is_exit_3_one_line(seeded, args):
    if not Path("/dev/full").exists():
        pytest.skip("no /dev/full here")
    with open("/dev/full", "w") as full:  # a redirect: nothing is renamed
        done = run_cbtool("--db", str(seeded.db_path), *args, stdout=full)
    assert done.returncode == 3, done.stderr
    assert one_line(done.stderr) == "磁盘已满，无法写入标准输出"
    with open("/dev/full", "w") as full:
        done = run_cbtool("--lang", "en", "--db", str(seeded.db_path), *args, stdout=full)
    assert one_line(done.stderr) == "the disk is full; cannot write standard output"


def test_a_full_disk_during_an_xlsx_report_is_one_line_then_nothing(seeded, tmp_path):
    full = device(tmp_path, "full")
    for args in (("report", *PERIOD, "--format", "xlsx", "--out", str(full)),
                 ("members", "export", "--format", "xlsx", "--out", str(full))):
        done = run_cbtool("--db", str(seeded.db_path), *args, stdout=subprocess.PIPE)
        assert done.returncode == 3
        assert one_line(done.stderr) == f"磁盘已满，无法写入 {full}"


def test_a_closed_pipe_stays_quiet(seeded):
    proc = subprocess.Popen([sys.executable, "-m", "cbtool", "--db", str(seeded.db_path),
                             "members", "list", "--format", "csv"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    proc.stdout.close()
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0 and err == b""


def test_a_failure_inside_the_callers_block_is_put_on_the_right_place(tmp_path):
    target = tmp_path / "out.xlsx"
    with pytest.raises(EnvError) as caught, files.atomic_write(target, "wb"):
        raise OSError(errno.ENOSPC, "No space left on device")  # e.g. openpyxl's scratch
    assert caught.value.message("en") == (
        f"the temporary directory {tempfile.gettempdir()} is full; {target} was not "
        "written (set TMPDIR to choose another)")
    assert not target.exists() and no_leftovers(tmp_path) == []

    full = device(tmp_path, "full")  # the target's own write fails inside the block
    with pytest.raises(EnvError) as caught, files.atomic_write(full, "wb") as handle:
        handle.write(b"x" * 100_000)  # more than a buffer: fails here, not at the flush
    assert caught.value.message("en") == f"the disk is full; cannot write {full}"


def test_a_full_sqlite_temp_dir_is_not_blamed_on_the_database(tmp_path, monkeypatch):
    from cbtool.db import translate

    shm = Path("/dev/shm")
    if not shm.is_dir() or os.stat(shm).st_dev == os.stat(tmp_path).st_dev:
        pytest.skip("needs a temporary directory on another disk")
    monkeypatch.setenv("TMPDIR", str(shm))
    monkeypatch.delenv("SQLITE_TMPDIR", raising=False)
    db = tmp_path / "c.db"
    room = {str(shm): 0, str(tmp_path): 10**9}
    monkeypatch.setattr(files, "free_bytes", lambda d: room[str(d)])
    full = __import__("sqlite3").OperationalError("database or disk is full")
    assert translate(full, db).message("en") == (
        f"the temporary directory {shm} is full; {db} was not written "
        "(set TMPDIR to choose another)")
    room[str(shm)] = 10**10  # the database's disk has less room: it is the one named
    assert "the disk is full" in translate(full, db).message("en")


@pytest.fixture
def small_tmpdir(tmp_path):
    """A real, nearly full filesystem (tmpfs of 64 KiB), where mounting is allowed."""
    place = tmp_path / "small"
    place.mkdir()
    if subprocess.run(["mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", str(place)],
                      capture_output=True).returncode != 0:
        pytest.skip("cannot mount a small filesystem here")
    try:
        with contextlib.suppress(OSError), open(place / "fill", "wb") as fill:
            fill.write(b"\0" * 52 * 1024)
        yield place
    finally:
        subprocess.run(["umount", str(place)], capture_output=True)


def test_a_full_tmpdir_names_the_tmpdir_not_the_target(cli, tmp_path, small_tmpdir):
    cli.ok("sample", "--out", "s", "--members", "400", "--logs", "0", "--as-of", "2025-01-31")
    cli.ok("init")
    cli.ok("areas", "import", "s/areas.csv")
    cli.ok("members", "import", "s/members.csv")
    done = subprocess.run([sys.executable, "-m", "cbtool", "--db", str(cli.db_path), "members",
                           "export", "--out", "m.xlsx"], capture_output=True, text=True,
                          env={**os.environ, "TMPDIR": str(small_tmpdir)}, timeout=120)
    assert done.returncode == 3
    assert one_line(done.stderr) == (
        f"临时目录 {small_tmpdir} 空间不足，未写入 m.xlsx（可用环境变量 TMPDIR 指定别的目录）")
    assert not (tmp_path / "m.xlsx").exists() and no_leftovers(tmp_path) == []


# --- regular files: modes -----------------------------------------------------------------


def test_new_files_are_owner_only_and_replaced_files_keep_their_mode(seeded, tmp_path):
    with umask(0):
        seeded.ok("members", "export", "--out", "m.csv")
        assert mode(tmp_path / "m.csv") == 0o600
        os.chmod(tmp_path / "m.csv", 0o640)  # the owner shared it with the group
        seeded.ok("members", "export", "--out", "m.csv")
        assert mode(tmp_path / "m.csv") == 0o640
        seeded.ok("report", *PERIOD, "--format", "html", "--out", "r.html")
        assert mode(tmp_path / "r.html") == 0o600


def test_directories_cbtool_creates_are_0700_whatever_the_umask(cli, tmp_path):
    with umask(0):
        cli.ok("sample", "--out", "a/b/c", "--members", "3", "--logs", "3", "--as-of", "2025-01-31")
        assert [mode(tmp_path / p) for p in ("a", "a/b", "a/b/c")] == [0o700] * 3
        assert {mode(p) for p in (tmp_path / "a/b/c").iterdir()} == {0o600}
        db = tmp_path / "x" / "y" / "c.db"
        cli.ok("--db", str(db), "init", db=False)
        assert [mode(tmp_path / p) for p in ("x", "x/y")] == [0o700] * 2
        assert mode(db) == 0o600
        cli.db_path = db
        cli.ok("report", *PERIOD, "--format", "md", "--out", "r1/r2/")
        assert [mode(tmp_path / p) for p in ("r1", "r1/r2")] == [0o700] * 2
        cli.ok("report", *PERIOD, "--format", "csv", "--out", "csvrep")
        assert mode(tmp_path / "csvrep") == 0o700
    existing = tmp_path / "shared"
    existing.mkdir(mode=0o755)
    os.chmod(existing, 0o755)
    cli.ok("sample", "--out", str(existing), "--members", "1", "--logs", "1",
           "--as-of", "2025-01-31")
    assert mode(existing) == 0o755  # a directory that was there is left as it was


@pytest.mark.parametrize("out", ["/proc/x", "/proc/x/y", "community.db/sub"])
def test_sample_into_an_unwritable_place_is_exit_3_one_line(cli, out):
    cli.ok("init")
    if out.startswith("/proc") and not Path("/proc/self").exists():
        pytest.skip("no /proc here")
    result = cli("sample", "--out", out)
    assert result.exit_code == 3
    assert one_line(result.stderr).startswith("无法写入 ")


# --- csv report directories ------------------------------------------------------------------


@pytest.fixture
def doc(seeded) -> dict:
    return json.loads(seeded.ok("report", *PERIOD, "--format", "json", "--out", "-").stdout)


def read_dir(path: Path) -> dict[str, bytes]:
    return {n: (path / n).read_bytes() for n in sorted(os.listdir(path))}


def changed(doc: dict) -> dict:
    new = json.loads(json.dumps(doc))
    new["members"]["total"] = 4321
    return new


def test_rerun_keeps_the_directory_and_replaces_every_file(doc, tmp_path):
    target = tmp_path / "rep"
    write_report(doc, "csv", target, "zh")
    inode = os.stat(target).st_ino
    (target / "retired_section.csv").write_text("a\n", encoding="utf-8")  # from an older report
    write_report(changed(doc), "csv", target, "zh")
    assert os.stat(target).st_ino == inode
    names = sorted(f"{s.key}.csv" for s in sections(doc, "zh"))
    assert sorted(os.listdir(target)) == names
    assert "4321" in (target / "overview.csv").read_text("utf-8-sig")
    assert no_leftovers(tmp_path) == [] and no_leftovers(target) == []


READER = """
import os, sys
target, stop = sys.argv[1], sys.argv[2]
seen = 0
while not os.path.exists(stop):
    try:
        with open(os.path.join(target, "overview.csv"), encoding="utf-8") as handle:
            text = handle.read()
    except OSError:
        seen += 1
        continue
    if not text.startswith("\\ufeff") or "\\n" not in text:
        seen += 1
print(seen)
"""


@pytest.mark.slow  # a reader process and 100 reports
def test_a_reader_never_finds_the_csv_report_missing(doc, tmp_path):
    target, stop = tmp_path / "rep", tmp_path / "stop"
    write_report(doc, "csv", target, "zh")
    reader = subprocess.Popen([sys.executable, "-c", READER, str(target), str(stop)],
                              stdout=subprocess.PIPE, text=True)
    try:
        time.sleep(0.3)  # the reader is reading
        for i in range(100):
            write_report(changed(doc) if i % 2 else doc, "csv", target, "zh")
    finally:
        stop.touch()
        out, _ = reader.communicate(timeout=60)
    assert out.strip() == "0"  # never missing, never half a file


KILL = """
import json, os, signal, sys
from cbtool.report import write_report
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) > {after}:
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
os.replace = replace
write_report(json.load(open(sys.argv[1], encoding="utf-8")), "csv", sys.argv[2], "zh")
"""


def test_a_kill_between_renames_loses_nothing_and_the_next_run_sweeps(doc, tmp_path):
    target = tmp_path / "rep"
    write_report(doc, "csv", target, "zh")
    old = read_dir(target)
    new_doc = changed(doc)
    write_report(new_doc, "csv", tmp_path / "expected", "zh")
    new = read_dir(tmp_path / "expected")
    (tmp_path / "new.json").write_text(json.dumps(new_doc), encoding="utf-8")

    done = subprocess.run([sys.executable, "-c", KILL.format(after=2), str(tmp_path / "new.json"),
                           str(target)], capture_output=True, timeout=120)
    assert done.returncode == -9  # killed after two of the renames
    leftovers = no_leftovers(target)
    assert leftovers  # what the killed run had not renamed yet
    now = read_dir(target)
    sections_now = {n: b for n, b in now.items() if n.endswith(".csv")}
    assert set(sections_now) == set(old)  # nothing missing
    assert all(b in (old[n], new[n]) for n, b in sections_now.items())  # each file whole
    assert len(leftovers) == len(old) - 2  # two renamed, the others still under temporary names

    fresh = target / ".overview.csv.abcd1234.tmp"  # as if a run were writing it just now
    fresh.write_bytes(b"")
    mine = tmp_path / ".rep.notes.tmp"  # a name cbtool never gives
    mine.write_bytes(b"mine")
    past = time.time() - 3600
    for name in leftovers:
        os.utime(target / name, (past, past))
    old_scheme = tmp_path / ".rep.zz99yy88.old"  # what an older cbtool's killed run left
    (old_scheme / "previous").mkdir(parents=True)
    os.utime(old_scheme, (past, past))

    write_report(new_doc, "csv", target, "zh")
    assert {n: b for n, b in read_dir(target).items() if n.endswith(".csv")} == new
    assert no_leftovers(target) == [fresh.name]
    os.utime(mine, (past, past))
    write_report(new_doc, "csv", target, "zh")
    assert no_leftovers(tmp_path) == [mine.name] and not old_scheme.exists()


def test_a_first_csv_report_appears_whole(doc, tmp_path):
    (tmp_path / "d.json").write_text(json.dumps(doc), encoding="utf-8")
    done = subprocess.run([sys.executable, "-c", KILL.format(after=1), str(tmp_path / "d.json"),
                           str(tmp_path / "rep")], capture_output=True, timeout=120)
    assert done.returncode == -9
    assert not (tmp_path / "rep").exists()  # built aside: not there at all rather than half
    built = [n for n in os.listdir(tmp_path) if n.startswith(".rep.")]
    assert len(built) == 1 and built[0].endswith(".tmp")
    past = time.time() - 3600
    os.utime(tmp_path / built[0], (past, past))
    write_report(doc, "csv", tmp_path / "rep", "zh")
    assert [n for n in os.listdir(tmp_path) if n.startswith(".rep.")] == []
    assert "overview.csv" in os.listdir(tmp_path / "rep")
