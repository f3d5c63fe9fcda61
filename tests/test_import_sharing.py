"""A big members file is checked by two processes (the command's and a forked child, every
other chunk each): the same plan, records, audit, messages and errors file as one process
gives. Whenever rows of the two halves could concern each other (one number twice, one ID
number under two numbers, numbers that differ by leading zeros), either half rejected a
row, or the child failed, the file is checked again by one process — and the result is
still the one-process result.

Chunks of 40 rows and no size floor here, so small files take the shared path."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.fields import id_check_char
from cbtool.importing import planner, sharing
from cbtool.importing.workflow import ImportRequest, run_import
from cbtool.store import open_store

CHUNK = 40
HEADER = "党员编号,姓名,党员类别,所在居民区,身份证号,联系电话"
CATEGORIES = ("离退休", "下岗", "流动", "在职")


def id_number(i: int) -> str:
    """A valid ID number of its own for each ``i`` (born in 1950)."""
    first17 = f"3101161950{1 + i // 28 % 12:02d}{1 + i % 28:02d}{i // 336 % 1000:03d}"
    return first17 + id_check_char(first17)


def member_line(i: int, no: str | None = None, id_card: str | None = None) -> str:
    return ",".join([no or f"{10000 + i:06d}", f"党员{i}", CATEGORIES[i % 4],
                     ("A01", "A02")[i % 2], id_card or id_number(i), f"139{i:08d}"])


def write(path: Path, lines: list[str], *, office: bool = True) -> Path:
    """A roster as offices keep it: a title row above the headings, a 合计 row under."""
    head = ["石化街道党员花名册", HEADER] if office else [HEADER]
    tail = [f"合计,{len(lines)}人,,,,"] if office else []
    path.write_text("\n".join(head + lines + tail) + "\n", encoding="gbk")
    return path


@pytest.fixture
def forks(monkeypatch):
    """Small chunks, no size floor; the forks made are counted."""
    monkeypatch.setattr(planner, "CHUNK", CHUNK)
    monkeypatch.setattr(sharing, "SHARED_FROM", 0)
    made: list[int] = []
    real = os.fork
    monkeypatch.setattr(sharing.os, "fork", lambda: made.append(1) or real())
    return made


def outcome(db: Path, file: Path, *, shared: bool, errors: Path | None = None, **request):
    """Import ``file`` into ``db``: what the plan said, what was stored, what was audited."""
    with pytest.MonkeyPatch.context() as mp:
        if not shared:
            mp.setattr(sharing, "SHARED_FROM", 1 << 62)
        with open_store(db) as store:
            plan = run_import(store, ImportRequest(kind="members", file=str(file),
                                                   errors=errors, **request))
            stored = store.execute("SELECT * FROM members ORDER BY rowid").fetchall()
            audit = store.execute(
                "SELECT operator, command, table_name, key, action, changes, batch "
                "FROM audit ORDER BY id").fetchall()
    said = (plan.tally(), plan.rows, plan.notes, plan.unknown, plan.warning_count,
            [(w.line, w.message()) for w in plan.warnings], plan.problem_count,
            [(p.line, p.column, p.reason()) for p in plan.problems],
            [(p.line, p.reason("en")) for p in plan.problems])
    stored = [row[:-2] for row in stored]  # created_at, updated_at: the clock's
    written = errors.read_bytes() if errors and errors.exists() else None
    return plan.processes, said, stored, audit, written


def both(seeded_template: Path, tmp_path: Path, file: Path, **request):
    """The outcome of two processes and of one, each into a fresh copy of the seeded db."""
    results = []
    for shared in (True, False):
        db = tmp_path / f"{'two' if shared else 'one'}.db"
        shutil.copyfile(seeded_template, db)
        errors = tmp_path / f"errors-{shared}.csv"
        results.append(outcome(db, file, shared=shared, errors=errors, **request))
    return results


def write_xlsx(path: Path, lines: list[str], *, notes_first: bool = False) -> Path:
    """The same roster as a workbook: a merged title cell, a 合计 row, typed numbers (with
    ``notes_first``, behind a sheet of instructions)."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if notes_first:
        sheet.title = "填表说明"
        sheet.append(["请按党员编号顺序填写，身份证号设为文本。"])
        sheet = book.create_sheet("花名册")
    sheet.title = "花名册"
    sheet.append(["石化街道党员花名册"])
    sheet.merge_cells("A1:F1")
    sheet.append(HEADER.split(","))
    for line in lines:
        cells: list[object] = line.split(",")
        cells[5] = int(cells[5])  # the phone, typed as a number
        sheet.append(cells)
    sheet.append(["合计", f"{len(lines)}人"])
    book.save(path)
    return path


@pytest.mark.parametrize("ext", ["csv", "xlsx", "xlsx behind a notes sheet"])
def test_a_clean_roster_is_checked_by_two_processes_as_by_one(seeded_template, tmp_path,
                                                               forks, ext):
    lines = [member_line(i) for i in range(300)]
    file = (write(tmp_path / "花名册.csv", lines) if ext == "csv"
            else write_xlsx(tmp_path / "花名册.xlsx", lines, notes_first=ext != "xlsx"))
    two, one = both(seeded_template, tmp_path, file)
    assert forks and two[0] == 2 and one[0] == 1
    assert two[1:] == one[1:]
    assert two[1][0] == "inserted 300, updated 0, unchanged 0, rejected 0"
    assert [n for n, _ in two[1][2]]  # the title row and the 合计 row were said


def test_the_sheet_and_header_row_given_reach_both_processes(seeded_template, tmp_path,
                                                            forks):
    file = write_xlsx(tmp_path / "花名册.xlsx", [member_line(i) for i in range(200)],
                      notes_first=True)
    two, one = both(seeded_template, tmp_path, file, sheet="花名册", header_row=2)
    assert forks and two[0] == 2
    assert two[1:] == one[1:]
    assert two[1][0] == "inserted 200, updated 0, unchanged 0, rejected 0"


def test_the_same_roster_again_is_unchanged_in_two_processes(seeded_template, tmp_path,
                                                             forks):
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(200)])
    db = tmp_path / "db"
    shutil.copyfile(seeded_template, db)
    outcome(db, file, shared=True)
    lines = [member_line(i) for i in range(200)]
    lines[150] = member_line(150).replace("139", "138", 1)  # one phone corrected
    again = outcome(db, write(tmp_path / "改.csv", lines), shared=True)
    assert again[0] == 2
    assert again[1][0] == "inserted 0, updated 1, unchanged 199, rejected 0"


def _crossing(case: str) -> list[str]:
    """300 rows; one row of the child's chunks (40–79) concerns one of the parent's."""
    lines = [member_line(i) for i in range(300)]
    if case == "same number":
        lines[50] = member_line(50, no=f"{10000 + 3:06d}")
    elif case == "same ID number":
        lines[50] = member_line(50, id_card=id_number(3))
    elif case == "leading zeros lost":
        lines[50] = member_line(50, no="10003")  # 010003 lost its zero
    elif case == "a bad row in the child's half":
        lines[50] = member_line(50).replace(",A0", ",B9", 1)
    elif case == "a bad row in the parent's half":
        lines[5] = member_line(5).replace(",A0", ",B9", 1)
    return lines


@pytest.mark.parametrize("case", ["same number", "same ID number", "leading zeros lost"])
def test_rows_that_concern_each_other_are_checked_again_by_one(seeded_template, tmp_path,
                                                                forks, case):
    file = write(tmp_path / "花名册.csv", _crossing(case))
    two, one = both(seeded_template, tmp_path, file)
    assert two[1:] == one[1:]
    assert forks and two[0] == 1  # checked again, alone
    assert two[1][0].endswith("rejected 1")
    assert two[4] and two[4] == one[4]  # the errors file too


@pytest.mark.parametrize("case", ["a bad row in the child's half",
                                  "a bad row in the parent's half"])
def test_a_bad_row_is_rejected_by_the_process_that_read_it(seeded_template, tmp_path,
                                                           forks, case):
    file = write(tmp_path / "花名册.csv", _crossing(case))
    two, one = both(seeded_template, tmp_path, file)
    assert two[1:] == one[1:]
    assert forks and two[0] == 2  # no second check
    assert two[1][0].endswith("rejected 1")
    assert two[4] and two[4] == one[4]  # the errors file too


def test_the_first_problems_by_line_are_kept_from_both_halves(seeded_template, tmp_path,
                                                              forks, monkeypatch):
    monkeypatch.setattr(planner, "KEEP", 3)
    monkeypatch.setattr(sharing, "KEEP", 3)
    lines = [member_line(i) for i in range(300)]
    for at in (5, 50, 52, 120, 200, 260):  # both halves; many more than are kept
        lines[at] = lines[at].replace(",A0", ",B9", 1).replace(",139", ",1", 1)
    file = write(tmp_path / "花名册.csv", lines)
    two, one = both(seeded_template, tmp_path, file, skip_invalid=True)
    assert two[1:] == one[1:]
    assert forks and two[0] == 2
    assert two[1][6] == 12 and len(two[1][7]) == 3  # counted all, kept the first three
    assert two[1][0] == "inserted 294, updated 0, unchanged 0, rejected 6"
    assert len(two[2]) == 4 + 294  # the good rows were written


def test_a_failed_child_leaves_the_parent_to_check_alone(seeded_template, tmp_path,
                                                         forks, monkeypatch):
    def fails(*_args):
        raise OSError("disk full")

    monkeypatch.setattr(sharing, "_check_half", fails)
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(200)])
    two, one = both(seeded_template, tmp_path, file)
    assert forks and two[0] == 1
    assert two[1:] == one[1:]


def test_under_the_write_lock_one_process_checks(seeded_template, tmp_path, forks):
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(200)])
    db = tmp_path / "db"
    shutil.copyfile(seeded_template, db)
    with open_store(db) as store:
        plan = run_import(store, ImportRequest(kind="members", file=str(file)),
                          lock_first=True)
    assert plan.processes == 1 and not forks
    assert plan.tally() == "inserted 200, updated 0, unchanged 0, rejected 0"


def test_the_staging_file_is_private_and_goes(seeded_template, tmp_path, forks,
                                              monkeypatch):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    seen = []
    real = sharing.start_helper

    def looking(store, kind, share):
        if share is not None:
            seen.append(os.stat(share.path.parent).st_mode & 0o777)
            seen.append(os.stat(share.path).st_mode & 0o777)
        return real(store, kind, share)

    monkeypatch.setattr(sharing, "start_helper", looking)
    monkeypatch.setattr("cbtool.importing.workflow.start_helper", looking)
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(200)])
    db = tmp_path / "db"
    shutil.copyfile(seeded_template, db)
    assert outcome(db, file, shared=True)[0] == 2
    assert seen == [0o700, 0o600]
    assert list(scratch.iterdir()) == []


def test_what_a_killed_import_left_is_cleared_by_the_next(seeded_template, tmp_path, forks,
                                                          monkeypatch):
    import subprocess
    import sys

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    gone = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    stale = scratch / f"cbtool-import-{gone}-abc123"  # its import was killed
    stale.mkdir(mode=0o700)
    (stale / "half.db").write_bytes(b"checked rows")
    running = scratch / f"cbtool-import-{os.getpid()}-def456"  # another import, running
    running.mkdir(mode=0o700)
    other = scratch / "cbtool-import-notes"  # not one of ours
    other.mkdir()
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(200)])
    db = tmp_path / "db"
    shutil.copyfile(seeded_template, db)
    assert outcome(db, file, shared=True)[0] == 2
    assert sorted(p.name for p in scratch.iterdir()) == sorted([running.name, other.name])


def test_a_dry_run_previews_what_two_processes_found(seeded, tmp_path, forks):
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(120)])
    result = seeded("members", "import", str(file), "--dry-run", "--format", "json")
    assert result.exit_code == 0, result.output
    assert forks
    assert "inserted 120" in result.output + result.stderr
    assert seeded.count("members") == 4  # nothing written


def test_the_command_imports_with_two_processes(seeded, tmp_path, forks):
    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(120)])
    result = seeded("members", "import", str(file))
    assert result.exit_code == 0, result.stderr
    assert forks
    assert "inserted 120, updated 0, unchanged 0, rejected 0" in result.output + result.stderr
    assert seeded.count("members") == 124


NUMBERS = [f"{10000 + i:06d}" for i in range(6)] + ["10001", "10002", "1", "000001"]


@st.composite
def rosters(draw):
    """A clean roster of up to 200 rows in which up to three rows are replaced by rows
    drawn from few numbers and ID numbers (repeats across chunks, zeros lost), now and
    then with a bad cell."""
    lines = [member_line(i + 100) for i in range(draw(st.integers(1, 200)))]
    for _ in range(draw(st.integers(0, 3))):
        at = draw(st.integers(0, len(lines) - 1))
        line = member_line(at, no=draw(st.sampled_from(NUMBERS)),
                           id_card=id_number(draw(st.integers(0, 3))))
        if draw(st.integers(0, 4)) == 0:
            line = line.replace(",A0", ",B9", 1)
        lines[at] = line
    return lines


@settings(max_examples=examples(30), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture,
                                 HealthCheck.too_slow])
@given(lines=rosters())
def test_any_roster_two_processes_give_what_one_gives(seeded_template, tmp_path_factory,
                                                      forks, lines):
    tmp = tmp_path_factory.mktemp("roster")
    file = write(tmp / "花名册.csv", lines, office=False)
    two, one = both(seeded_template, tmp, file)
    assert two[1:] == one[1:]


@pytest.mark.parametrize("at", [20, 60])  # in the parent's chunks, in the child's
def test_a_file_that_breaks_partway_says_what_one_process_says(seeded_template, tmp_path,
                                                                forks, at):
    from cbtool.errors import InvalidInput

    lines = [member_line(i) for i in range(300)]
    lines[at] = '"' + lines[at].replace(",", '"x,', 1)  # a quote the CSV cannot take
    lines.insert(at + 5, "")  # and a blank row, which is no record
    file = write(tmp_path / "花名册.csv", lines)
    said = []
    for shared in (True, False):
        db = tmp_path / f"{shared}.db"
        shutil.copyfile(seeded_template, db)
        with pytest.raises(InvalidInput) as caught:
            outcome(db, file, shared=shared)
        said.append((caught.value.message("zh"), caught.value.rows))
    assert forks
    assert said[0] == said[1]
    assert f"第 {at + 3} 行" in said[0][0]


def _installed_import(template: Path, tmp_path: Path, members: int):
    """The installed ``cbtool members import`` of a roster of ``members`` rows (over the
    size floor) into a copy of the seeded database, temporary files in ``scratch``:
    (argv, db, scratch, env)."""
    import sys

    file = write(tmp_path / "花名册.csv", [member_line(i) for i in range(300, 300 + members)])
    assert file.stat().st_size >= sharing.SHARED_FROM
    db = tmp_path / "db"
    shutil.copyfile(template, db)
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    exe = shutil.which("cbtool")
    cmd = [exe] if exe else [sys.executable, "-m", "cbtool"]
    argv = [*cmd, "--db", str(db), "members", "import", str(file), "--yes"]
    return argv, db, scratch, {**os.environ, "TMPDIR": str(scratch)}


def test_the_installed_command_shares_a_big_roster(seeded_template, tmp_path):
    """No patches: a roster over the size floor, imported by the installed ``cbtool`` as a
    script would; the staging directory goes, every member is stored and audited."""
    import subprocess

    argv, db, scratch, env = _installed_import(seeded_template, tmp_path, 20_000)
    done = subprocess.run(argv, capture_output=True, text=True, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "inserted 20000, updated 0, unchanged 0, rejected 0" in done.stderr + done.stdout
    assert list(scratch.iterdir()) == []
    with open_store(db) as store:
        assert store.execute("SELECT count(*) FROM members").fetchone()[0] == 20_004
        assert store.execute("SELECT count(*) FROM audit WHERE table_name = 'members' "
                             "AND action = 'insert' AND batch IS NOT NULL").fetchone()[0] \
            == 20_000


def test_a_problem_travels_whole_between_processes():
    """The child hands its problems back pickled: every kind of error keeps its message,
    parameters and attributes, in both languages."""
    import pickle

    from cbtool import fields as f
    from cbtool.errors import FieldError, InvalidInput
    from cbtool.importing.messages import ID_HELD
    from cbtool.importing.plan import Problem

    field = FieldError("phone", f.REQUIRED)
    field.kind = "members"
    held = FieldError("id_card", ID_HELD, other="00104", name="沈　佳怡",
                      hint_zh="（104 可能是 00104）", hint_en=" (104 may be 00104)")
    whole = InvalidInput(f.REQUIRED, field="姓名")
    whole.rows = 7
    for error in (field, held, whole):
        back = pickle.loads(pickle.dumps(Problem(3, "联系电话", error)))
        assert type(back.error) is type(error)
        assert vars(back.error) == vars(error)
        assert [back.reason(lang) for lang in ("zh", "en")] == \
            [Problem(3, "联系电话", error).reason(lang) for lang in ("zh", "en")]
    assert pickle.loads(pickle.dumps(whole)).rows == 7


def test_a_terminated_import_leaves_nothing(seeded_template, tmp_path):
    """SIGTERM while two processes check (a cron job's time limit): the command stops as on
    Ctrl-C — nothing written, the child stopped, the staging directory gone."""
    import signal
    import subprocess
    import time

    argv, db, scratch, env = _installed_import(seeded_template, tmp_path, 40_000)
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env=env)
    started = time.monotonic()
    while not any(scratch.iterdir()) and proc.poll() is None \
            and time.monotonic() - started < 60:
        time.sleep(0.005)  # until the staging directory is there: checking has begun
    assert proc.poll() is None, proc.communicate()
    proc.send_signal(signal.SIGTERM)
    _out, err = proc.communicate(timeout=60)
    assert proc.returncode != 0
    assert "未写入任何内容" in err
    assert list(scratch.iterdir()) == []
    with open_store(db) as store:
        assert store.execute("SELECT count(*) FROM members").fetchone()[0] == 4
