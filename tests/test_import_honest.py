"""Import messages say what happened: a dry run's tally adds up to the rows read and lists
what would change; a warning of a file not written says what would be saved; a terminal
import checks the file once."""

from __future__ import annotations

import json
import re
from pathlib import Path

from cbtool import importing
from cbtool.cli import batch, common


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


def tally(result) -> tuple[int, ...]:
    m = re.search(r"inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)",
                  result.stderr)
    assert m, result.stderr
    return tuple(int(x) for x in m.groups())


TWO = "member_no,name,category,area\n0101,赵敏,在职,A01\n0102,钱亮,不知道,A01\n"


def test_a_dry_run_tally_adds_up_to_the_rows_read(seeded, tmp_path):
    result = seeded("members", "import", write(tmp_path / "m.csv", TWO), "--dry-run")
    assert result.exit_code == 1
    assert tally(result) == (1, 0, 0, 1)
    assert "导入时不会写入" in result.stderr
    assert seeded.count("members") == 4
    mixed = write(tmp_path / "n.csv", "member_no,name,category,area,phone\n"
                                      "0001,张伟,离退休,A01,13812345678\n"
                                      "0002,李娜,流动,A02,13900001111\n"
                                      "0105,孙丽,在职,A01,\n")
    result = seeded.ok("members", "import", mixed, "--dry-run")
    assert tally(result) == (1, 1, 1, 0) and sum(tally(result)) == 3


def test_a_real_rejected_import_still_says_nothing_was_written(seeded, tmp_path):
    result = seeded("members", "import", write(tmp_path / "m.csv", TWO))
    assert result.exit_code == 1 and tally(result)[:2] == (0, 0)
    assert "未写入任何内容" in result.stderr


def test_a_dry_run_lists_what_would_change(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area,phone\n"
                                     "0001,张伟,离退休,A01,13900002222\n"
                                     "0101,赵敏,在职,A01,\n")
    result = seeded.ok("members", "import", path, "--dry-run")
    lines = result.stderr.splitlines()
    assert any("更新 0001" in line and "联系电话" in line and "139****2222" in line
               for line in lines)
    assert any("新增 0101" in line and "赵敏" in line for line in lines)
    assert "13900002222" not in result.stderr  # masked
    data = json.loads(seeded.ok("members", "import", path, "--dry-run", "--format",
                                "json").stdout)
    assert [(r["line"], r["action"], r["key"]) for r in data] == [
        (2, "update", "0001"), (3, "insert", "0101")]
    assert data[0]["changes"] == {"phone": ["13812345678", "13900002222"]}
    assert seeded.rows("SELECT phone FROM members WHERE member_no = '0001'") == [
        ("13812345678",)]


def test_a_dry_run_lists_twenty_then_counts_and_json_lists_all(seeded, tmp_path):
    rows = "".join(f"{n:04d},党员{n},在职,A01\n" for n in range(200, 230))
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n" + rows)
    result = seeded.ok("members", "import", path, "--dry-run")
    assert sum("新增 0" in line for line in result.stderr.splitlines()) == 20
    assert "另有 10 条记录将会变化" in result.stderr
    data = json.loads(seeded.ok("members", "import", path, "--dry-run", "-f", "json").stdout)
    assert len(data) == 30


def test_logs_dry_run_names_logs_by_ref(seeded, tmp_path):
    path = write(tmp_path / "l.csv", "ref,point,date,kind,title,participants\n"
                                     "R-1,A01,2025-03-01,visit,走访,0001\n")
    data = json.loads(seeded.ok("logs", "import", path, "--dry-run", "-f", "json").stdout)
    assert data[0]["key"] == "R-1" and data[0]["changes"]["participants"] == [None, ["0001"]]


ID_ZHAO = "310116196005041239"  # born 1960-05-04, male
MISMATCH = ("member_no,name,category,area,id_card,born_on\n"
            f"0101,赵敏,在职,A01,{ID_ZHAO},1960-05-05\n")


def test_a_warning_of_a_dry_run_says_what_would_be_saved(seeded, tmp_path):
    path = write(tmp_path / "m.csv", MISMATCH)
    result = seeded.ok("members", "import", path, "--dry-run")
    assert "将按填写的保存" in result.stderr and "已保存" not in result.stderr
    en = seeded.ok("--lang", "en", "members", "import", path, "--dry-run")
    assert "would be saved" in en.stderr and "(saved;" not in en.stderr
    bad = write(tmp_path / "b.csv", MISMATCH + "0102,钱亮,不知道,A01,,\n")
    assert "已保存" not in seeded("members", "import", bad).stderr
    written = seeded.ok("members", "import", path)
    assert "已保存，请核对" in written.stderr


def test_a_terminal_import_checks_the_file_once(seeded, tmp_path, monkeypatch):
    calls = []
    real = importing.plan_import

    def counting(*args, **kw):
        calls.append(1)
        return real(*args, **kw)

    monkeypatch.setattr(importing.workflow, "plan_import", counting)
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(batch, "stdin_is_terminal", lambda: True)
    path = write(tmp_path / "m.csv", MISMATCH)
    result = seeded("members", "import", path, input="y\n")
    assert result.exit_code == 0, result.stderr
    assert len(calls) == 1
    assert "将按填写的保存" in result.stderr  # shown before the question: not saved yet
    assert tally(result) == (1, 0, 0, 0)
    assert seeded.rows("SELECT name FROM members WHERE member_no = '0101'") == [("赵敏",)]
    calls.clear()
    other = write(tmp_path / "o.csv", "member_no,name,category,area\n0103,孙丽,在职,A01\n")
    result = seeded("members", "import", other, input="n\n")
    assert result.exit_code == 1 and "已取消" in result.stderr and len(calls) == 1
    assert seeded.rows("SELECT count(*) FROM members WHERE member_no = '0103'") == [(0,)]


# --- [members] member_no_width beyond members files ---------------------------------------


def test_member_no_width_applies_to_participants_and_lookups(cli, tmp_path):
    config = write(tmp_path / "cbtool.toml", "[members]\nmember_no_width = 5\n")
    cli.ok("--config", config, "init")
    cli.ok("--config", config, "areas", "add", "A01", "石化一村居民区")
    cli.ok("--config", config, "members", "add", "--no", "104", "--name", "张伟",
           "--category", "在职", "--area", "A01")
    assert cli.rows("SELECT member_no FROM members") == [("00104",)]
    shown = json.loads(cli.ok("--config", config, "members", "show", "104", "--format",
                              "json").stdout)
    assert shown["member_no"] == "00104"
    cli.ok("--config", config, "logs", "add", "--point", "A01", "--kind", "visit", "--title",
           "走访", "--on", "2025-03-01", "--members", "104")
    logs = write(tmp_path / "l.csv", "point,date,kind,title,participants\n"
                                     "A01,2025-03-02,study,党课,104\n")
    cli.ok("--config", config, "logs", "import", logs)
    assert cli.rows("SELECT DISTINCT member_no FROM log_participants") == [("00104",)]
