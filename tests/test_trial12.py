"""Nothing lost, every mistake correctable, tried as a new clerk would: what a list's
"more rows" hint offers exists, a declined question says so, a voided check and a removed
contact read in Chinese, a dry run shows only what would change."""

from __future__ import annotations

import json

from cbtool.cli import common


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


def test_imports_takes_the_all_its_hint_offers(seeded, tmp_path):
    for n in range(3):
        seeded.ok("members", "import",
                  write(tmp_path / f"m{n}.csv", f"member_no,note\n0001,核对{n}\n"))
    shown = seeded.ok("imports", "--limit", "1")
    assert "--all" in shown.stderr + shown.stdout  # the hint under the table
    every = seeded.ok("imports", "--all")
    assert all(f"m{n}.csv" in every.stdout for n in range(3)), every.stdout
    assert "未显示" not in every.stdout + every.stderr


def test_a_declined_question_says_nothing_was_written(seeded, monkeypatch):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", "2026-11-02")
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    for args in (["checklist", "void", "1", "--reason", "误录"],
                 ["members", "archive", "0003", "--reason", "其他"],
                 ["members", "renumber", "0003", "0033"]):
        result = seeded(*args, input="n\n")
        assert result.exit_code == 1, args
        assert "已取消，未写入任何内容" in result.stderr, (args, result.stderr)
    assert seeded.rows("SELECT count(*) FROM checks WHERE voided") == [(0,)]
    assert seeded.rows("SELECT status FROM members WHERE member_no = '0003'") == [("active",)]


def test_a_declined_import_says_so_once(seeded, tmp_path, monkeypatch):
    from cbtool.cli import batch

    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    monkeypatch.setattr(batch, "stdin_is_terminal", lambda: True)
    path = write(tmp_path / "o.csv", "member_no,name,category,area\n0103,孙丽,在职,A01\n")
    result = seeded("members", "import", path, input="n\n")
    assert result.exit_code == 1 and result.stderr.count("已取消") == 1, result.stderr


def test_a_voided_check_is_said_by_its_item_name(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "制度", "--on", "2026-11-02")
    result = seeded.ok("checklist", "void", "1", "--reason", "误录", "--yes")
    assert "有制度" in result.stderr and "rules" not in result.stderr, result.stderr


def test_a_removed_contact_reads_in_chinese_in_the_audit(seeded, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    seeded.ok("members", "contact", "0002", "--channel", "微信", "--on", "2026-11-02")
    seeded.ok("members", "contacts", "0002", "--remove", "1", "--reason", "误录", "--yes")
    shown = seeded.ok("audit", "--table", "contacts").stdout
    assert "联系方式：微信" in shown and "联系上：是" in shown, shown
    assert "wechat" not in shown and "reached" not in shown, shown
    raw = json.loads(seeded.ok("audit", "--table", "contacts", "--format", "json").stdout)
    assert raw[0]["changes"]["channel"] == ["wechat", None]  # data keeps the keys


def test_a_dry_run_shows_no_last_contact_already_recorded(seeded, tmp_path):
    seeded.ok("members", "import", write(tmp_path / "a.csv",
                                         "member_no,last_contact_on\n0002,2026-09-06\n"))
    path = write(tmp_path / "b.csv", "member_no,note,last_contact_on\n0002,新备注,2026-09-06\n")
    dry = seeded.ok("members", "import", path, "--dry-run")
    assert "备注" in dry.stderr and "最近联系时间" not in dry.stderr, dry.stderr
    preview = json.loads(seeded.ok("members", "import", path, "--dry-run",
                                   "--format", "json").stdout)
    changes = json.dumps(preview, ensure_ascii=False)
    assert "last_contact_on" not in changes and "新备注" in changes, changes
    # a new day still shows
    other = write(tmp_path / "c.csv", "member_no,note,last_contact_on\n0002,新备注,2026-10-06\n")
    assert "最近联系时间" in seeded.ok("members", "import", other, "--dry-run").stderr


def test_clear_takes_the_field_by_the_name_its_help_gives(seeded):
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-02", "--members", "0001", "--note", "补记", "--ref", "R-1")
    seeded.ok("logs", "edit", "1", "--clear", "备注", "--clear", "外部编号",
              "--clear", "参加党员")
    assert seeded.rows("SELECT note, ref FROM logs WHERE id = 1") == [(None, None)]
    assert seeded.rows("SELECT count(*) FROM log_participants") == [(0,)]
    seeded.ok("members", "edit", "0001", "--clear", "工作单位", "--clear", "联系电话")
    assert seeded.rows("SELECT employer, phone FROM members WHERE member_no = '0001'") == [
        (None, None)]
    seeded.ok("points", "edit", "A01", "--address", "卫零路 1 号")
    seeded.ok("points", "edit", "A01", "--clear", "地址")
    assert seeded.rows("SELECT address FROM points WHERE code = 'A01'") == [(None,)]
    refused = seeded("members", "edit", "0001", "--clear", "姓名")  # required: still refused
    assert refused.exit_code == 1
    unknown = seeded("logs", "edit", "1", "--clear", "心得")
    assert unknown.exit_code == 1 and "心得" in unknown.stderr


def test_a_closed_point_is_named_once(seeded):
    seeded.ok("points", "edit", "A01", "--inactive", "--on", "2026-11-25")
    result = seeded("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
                    "--on", "2026-11-26")
    assert result.exit_code == 1
    assert "服务点：A01 已于 2026-11-25 停用，不能记录 2026-11-26 的台账" in result.stderr, \
        result.stderr
    english = seeded("--lang", "en", "checklist", "record", "A01", "--ok", "all",
                     "--on", "2026-11-26")
    assert english.exit_code == 1 and "point: point" not in english.stderr, english.stderr


def test_member_commands_name_their_argument_no(cli):
    for command in ("show", "edit", "contact", "contacts", "archive", "restore"):
        usage = cli.ok("members", command, "--help", db=False).stdout.splitlines()[0]
        assert usage.endswith("{NO}"), (command, usage)  # as README's synopsis writes it


def test_an_undo_of_records_in_use_is_refused_before_the_question(seeded, tmp_path,
                                                                  monkeypatch):
    seeded.ok("members", "import",
              write(tmp_path / "m.csv", "member_no,name,category,area\n0101,赵敏,在职,A01\n"))
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-02", "--members", "0101")
    audit = seeded.count("audit")
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    result = seeded("imports", "undo", "1", input="y\n")
    assert result.exit_code == 1
    assert "党员 0101 已被之后的记录引用" in result.stderr, result.stderr
    assert "撤销导入批次 1" not in result.stdout  # never asked
    assert seeded.count("audit") == audit and seeded.rows(
        "SELECT undone_at FROM import_batches WHERE id = 1") == [(None,)]
    # one that can be undone is asked, and undone on yes
    seeded.ok("members", "import",
              write(tmp_path / "n.csv", "member_no,name,category,area\n0102,钱进,在职,A01\n"))
    done = seeded("imports", "undo", "2", input="y\n")
    assert done.exit_code == 0 and "撤销导入批次 2" in done.stdout, done.stderr
    assert seeded.rows("SELECT count(*) FROM members WHERE member_no = '0102'") == [(0,)]
