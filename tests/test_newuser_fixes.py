"""What a new user ran into, pinned: wording of lost zeros, cron config, undo times, …"""

from __future__ import annotations


def test_a_padded_number_next_to_a_stored_short_one_is_worded_the_right_way(seeded, tmp_path):
    seeded.ok("members", "add", "--no", "105", "--name", "赵敏", "--category", "在职",
              "--area", "A01")
    path = tmp_path / "更正.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0105,钱进,在职,A01\n", encoding="gbk")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert "0105 与 105 只差前导零（105 可能丢了前导零），库中已有党员 105（赵敏）" in result.stderr


def test_the_readme_python_example_saves_what_it_adds(seeded):
    import re
    import sqlite3
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    code = re.search(r"```python\n(from cbtool import members.*?)```", readme, re.S).group(1)
    exec(code.replace('"cbtool.db"', repr(str(seeded.db_path))), {})  # noqa: S102
    conn = sqlite3.connect(seeded.db_path)
    assert conn.execute("SELECT name FROM members WHERE member_no = '0500'").fetchone() == (
        "赵敏",)
    conn.close()


def test_common_wordings_of_the_items_are_accepted(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "有台账,有宣传园地,规章制度,有电教,有场所",
              "--on", "2026-11-02")
    assert seeded.rows("SELECT item, ok FROM checks WHERE point = 'A01' ORDER BY item") == [
        ("av", 1), ("board", 1), ("ledger", 1), ("rules", 1), ("venue", 1)]


def test_undoing_twice_names_the_time_in_local_time(seeded, tmp_path):
    from cbtool import clock

    clock.set_timezone("Asia/Shanghai")
    path = tmp_path / "m.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0101,赵敏,在职,A01\n", encoding="utf-8")
    seeded.ok("members", "import", str(path))
    seeded.ok("imports", "undo", "1", "--yes")
    (at,) = seeded.rows("SELECT undone_at FROM import_batches WHERE id = 1")[0]
    result = seeded("imports", "undo", "1", "--yes")
    assert result.exit_code == 1
    assert clock.shown(at) in result.stderr and at not in result.stderr
    assert "Z" not in result.stderr.split("已于")[1].split("撤销")[0]


def test_a_participant_named_but_unknown_is_called_a_member_not_a_number(seeded):
    result = seeded("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                    "--members", "不存在的人", "--on", "2026-11-02")
    assert result.exit_code == 1
    assert "没有这些党员（编号或姓名）：不存在的人" in result.stderr


def test_a_report_for_a_period_that_has_not_begun_says_so(seeded, tmp_path):
    from cbtool import clock

    clock.set_clock("2026-12-03")
    result = seeded.ok("report", "--period", "2027-01", "--format", "md", "--out",
                       str(tmp_path / "r.md"))
    assert "统计期间 2027-01（2027-01-01 起）还没有开始" in result.stderr
    assert "数据截至：2026-12-03" in (tmp_path / "r.md").read_text(encoding="utf-8")
    assert "还没有开始" not in seeded.ok("summary", "--period", "this-month").stderr

def test_the_system_s_reason_is_said_in_chinese(seeded, tmp_path):
    (tmp_path / "一个文件").write_text("x", encoding="utf-8")
    out = str(tmp_path / "一个文件" / "r.md")  # a file where a directory should be
    result = seeded("report", "--period", "2026-11", "--format", "md", "--out", out)
    assert result.exit_code == 3, result.stderr
    assert "Not a directory" not in result.stderr and "目录" in result.stderr
    english = seeded("--lang", "en", "report", "--period", "2026-11", "--format", "md",
                     "--out", out)
    assert english.exit_code == 3 and "director" in english.stderr


def test_an_os_error_renders_in_the_message_s_language():
    import errno

    from cbtool.errors import os_reason
    from cbtool.files import CANNOT_WRITE

    reason = os_reason(OSError(errno.EACCES, "Permission denied"))
    assert CANNOT_WRITE.render("zh", path="/srv/r.md", reason=reason) == "无法写入 /srv/r.md：没有权限"
    assert CANNOT_WRITE.render("en", path="/srv/r.md", reason=reason) == \
        "cannot write /srv/r.md: permission denied"
    odd = os_reason(OSError(errno.EXDEV, "Invalid cross-device link"))
    assert odd.render("zh") == "Invalid cross-device link"  # unlisted: the system's words


def test_an_export_in_chinese_headings_shows_the_stamps_in_local_time(seeded, tmp_path):
    import csv

    from cbtool import clock

    clock.set_timezone("Asia/Shanghai")
    zh, en = tmp_path / "zh.csv", tmp_path / "en.csv"
    seeded.ok("members", "export", "--format", "csv", "--headings", "zh", "--out", str(zh))
    seeded.ok("members", "export", "--format", "csv", "--headings", "en", "--out", str(en))
    (row_zh,) = [r for r in csv.DictReader(zh.open(encoding="utf-8-sig")) if r["党员编号"] == "0001"]
    (row_en,) = [r for r in csv.DictReader(en.open(encoding="utf-8-sig")) if r["member_no"] == "0001"]
    assert row_en["created_at"].endswith("Z")
    assert row_zh["创建时间"] == clock.shown(row_en["created_at"])
    assert "Z" not in row_zh["创建时间"]
    seeded.ok("members", "import", str(zh))  # still reads back (the stamps are ignored)


def test_certificates_take_all_with_a_team(cli, tmp_path):
    cli.ok("init", "--sample")
    out = tmp_path / "证明"
    out.mkdir()
    cli.ok("volunteers", "certificate", "--all", "--team", "T01", "--period", "2026",
           "--out", str(out))
    assert [p.name for p in out.iterdir()] == ["cbtool-certificate-T01-2026.html"]
    assert cli("volunteers", "certificate", "--all").exit_code == 2
