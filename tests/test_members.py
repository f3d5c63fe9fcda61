"""The members commands, driven through the CLI against a real database file."""

import json

import pytest
from conftest import ID_ZHANG


def members_json(cli, *args):
    return json.loads(cli.ok("members", "list", "--format", "json", *args).stdout)


def test_add_with_chinese_values_and_iso_dates(seeded):
    record = {m["member_no"]: m for m in members_json(seeded)}["0001"]
    assert record["name"] == "张伟" and record["category"] == "retired"
    assert record["joined_on"] == "1975-07"
    assert record["born_on"] == "1950-03-12" and record["gender"] == "M"  # from the ID number
    assert record["phone"] == "13812345678" and record["id_card"] == ID_ZHANG
    assert record["created_at"].endswith("Z") and record["status"] == "active"
    assert record["last_contact_on"] is None
    assert members_json(seeded, "--area", "A02")[0]["area"] == "A02"


@pytest.mark.parametrize("args,needle", [
    (["--id-card", "310116195003121234"], "校验位"),
    (["--id-card", "310116500312123"], "15 位"),
    (["--phone", "1.38E+10"], "科学计数法"),
    (["--phone", "12345"], "联系电话"),
    (["--born", "2026-13-40"], "出生日期"),
    (["--category", "党员"], "党员类别"),
    (["--area", "A99"], "A99"),
    (["--gender", "未知"], "性别"),
])
def test_rejections_exit_1_write_nothing(seeded, args, needle):
    before = (seeded.count("members"), seeded.count("audit"))
    base = {"--no": "0100", "--name": "赵敏", "--category": "在职", "--area": "A01"}
    for flag, value in zip(args[::2], args[1::2], strict=True):
        base[flag] = value
    result = seeded("members", "add", *[x for kv in base.items() for x in kv])
    assert result.exit_code == 1
    assert needle in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert (seeded.count("members"), seeded.count("audit")) == before


def test_duplicate_member_number_is_rejected(seeded):
    result = seeded("members", "add", "--no", "0001", "--name", "另一人", "--category", "在职",
                    "--area", "A01")
    assert result.exit_code == 1 and "0001" in result.stderr and "张伟" in result.stderr


def test_id_disagreeing_with_born_or_gender_is_a_warning(seeded):
    result = seeded.ok("members", "add", "--no", "0100", "--name", "赵敏", "--category", "在职",
                       "--area", "A01", "--id-card", "310116198506072040", "--born", "1985-06-08",
                       "--gender", "男")
    assert "1985-06-07" in result.stderr and "性别" in result.stderr
    assert seeded.rows("SELECT born_on, gender FROM members WHERE member_no = '0100'") == \
        [("1985-06-08", "M")]


def test_leading_zeros_are_kept(seeded):
    seeded.ok("members", "add", "--no", "000789", "--name", "周杰", "--category", "在职",
              "--area", "A01")
    assert seeded.rows("SELECT member_no FROM members WHERE name = '周杰'") == [("000789",)]


def test_table_masks_phones_unless_revealed(seeded):
    table = seeded.ok("members", "list").stdout
    assert "138****5678" in table and "13812345678" not in table
    assert "张伟" in table and "离退休" in table and "共 4 人" in table
    assert "13812345678" in seeded.ok("members", "list", "--reveal").stdout
    shown = seeded.ok("members", "show", "0001").stdout
    assert "310***********1230" in shown and ID_ZHANG not in shown
    assert ID_ZHANG in seeded.ok("members", "show", "0001", "--reveal").stdout
    md = seeded.ok("members", "list", "--format", "md").stdout
    assert "| 0001 | 张伟 |" in md and "138****5678" in md


def test_machine_formats_carry_full_values(seeded):
    csv_out = seeded.ok("members", "list", "--format", "csv").stdout.splitlines()
    assert csv_out[0].startswith("member_no,name,gender,born_on,id_card,phone,category")
    assert any("13812345678" in line and ID_ZHANG in line for line in csv_out)
    tsv = seeded.ok("members", "list", "--format", "tsv").stdout.splitlines()
    assert tsv[1].split("\t")[:2] == ["0001", "张伟"]
    lines = seeded.ok("members", "list", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["member_no"] for line in lines] == ["0001", "0003", "0002", "0004"]


def test_english_labels(seeded):
    out = seeded.ok("--lang", "en", "members", "list").stdout
    assert "Retired" in out and "Name" in out and "4 members" in out
    result = seeded("--lang", "en", "members", "add", "--no", "0001", "--name", "x",
                    "--category", "retired", "--area", "A01")
    assert "exists already" in result.stderr


def test_list_filters_and_limit(seeded):
    assert [m["member_no"] for m in members_json(seeded, "--category", "流动")] == ["0002"]
    assert [m["member_no"] for m in members_json(seeded, "--category", "laid-off")] == ["0003"]
    assert [m["member_no"] for m in members_json(seeded, "--search", "苏州")] == ["0002"]
    assert [m["member_no"] for m in members_json(seeded, "--area", "石化一村居民区")] == \
        ["0001", "0003"]
    out = seeded.ok("members", "list", "--limit", "2").stdout
    assert "还有 2 条未显示" in out
    assert len(members_json(seeded, "--limit", "2")) == 4  # machine formats stream all
    assert "还有" not in seeded.ok("members", "list", "--limit", "2", "--all").stdout


def test_show_by_name_and_json_shape(seeded):
    record = json.loads(seeded.ok("members", "show", "李娜", "--format", "json").stdout)
    assert record["member_no"] == "0002"
    assert record["category_changes"] == [] and record["contacts"] == []
    assert record["participation"]["count_this_year"] == 0


def test_edit_and_audit(seeded):
    result = seeded.ok("--operator", "王芳", "members", "edit", "0004", "--phone", "13700001111",
                       "--employer", "上海石化股份有限公司", "--clear", "note")
    assert "已修改 0004：联系电话、工作单位" in result.stderr
    audit = json.loads(seeded.ok("audit", "--table", "members", "--key", "0004",
                                 "--format", "json").stdout)
    latest = audit[0]
    assert latest["operator"] == "王芳" and latest["command"] == "members edit"
    assert latest["action"] == "update"
    assert latest["changes"]["phone"] == [None, "13700001111"]
    assert latest["changes"]["employer"] == ["金山区第一中学", "上海石化股份有限公司"]
    table = seeded.ok("audit", "--key", "0004").stdout
    assert "137****1111" in table and "13700001111" not in table


def test_edit_rejections(seeded):
    assert seeded("members", "edit", "0004", "--clear", "name").exit_code == 1
    assert seeded("members", "edit", "0004", "--clear", "colour").exit_code == 1
    assert seeded("members", "edit", "0404", "--name", "某").exit_code == 1
    assert seeded("members", "edit", "0004", "--phone", "123").exit_code == 1
    assert seeded.rows("SELECT phone FROM members WHERE member_no = '0004'") == [(None,)]


def test_edit_clear_by_option_name(seeded):
    seeded.ok("members", "edit", "0003", "--clear", "born")
    assert seeded.rows("SELECT born_on FROM members WHERE member_no = '0003'") == [(None,)]


def test_recategorize_is_kept_in_history(seeded):
    seeded.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2026年10月8日",
              "--reason", "社区推荐就业")
    record = json.loads(seeded.ok("members", "show", "0003", "--format", "json").stdout)
    assert record["category"] == "employed"
    assert record["category_changes"] == [
        {"from": "laid-off", "to": "employed", "date": "2026-10-08", "reason": "社区推荐就业"}]
    assert seeded("members", "recategorize", "0003", "--to", "employed").exit_code == 1
    assert seeded("members", "recategorize", "0003", "--to", "党员").exit_code == 1
    assert seeded.count("category_changes") == 1


def test_edit_category_also_records_a_change(seeded):
    seeded.ok("members", "edit", "0004", "--category", "mobile")
    assert seeded.rows("SELECT from_category, to_category FROM category_changes") == \
        [("employed", "mobile")]


def test_contact_and_overdue(seeded):
    overdue = json.loads(seeded.ok("members", "overdue", "--format", "json").stdout)
    assert [m["member_no"] for m in overdue] == ["0002"]
    assert overdue[0]["days_since_contact"] is None
    assert "从未联系" in seeded.ok("members", "overdue").stdout
    seeded.ok("members", "contact", "0002", "--channel", "微信", "--whereabouts", "浙江省杭州市")
    assert json.loads(seeded.ok("members", "overdue", "--format", "json").stdout) == []
    record = json.loads(seeded.ok("members", "show", "0002", "--format", "json").stdout)
    assert record["whereabouts"] == "浙江省杭州市" and record["contacts"][0]["channel"] == "wechat"
    assert record["last_contact_on"] == record["contacts"][0]["date"]


def test_overdue_by_days(seeded):
    seeded.ok("members", "contact", "0002", "--on", "2020-01-01")
    rows = json.loads(seeded.ok("members", "overdue", "--days", "30", "--format", "json").stdout)
    assert rows[0]["last_contact_on"] == "2020-01-01" and rows[0]["days_since_contact"] > 30
    assert seeded("members", "contact", "0002", "--channel", "飞鸽").exit_code == 1


def test_archive_and_restore(seeded):
    seeded.ok("members", "archive", "0001", "--reason", "deceased", "--on", "2026-11-01")
    assert [m["member_no"] for m in members_json(seeded)] == ["0003", "0002", "0004"]
    archived = members_json(seeded, "--status", "archived")
    assert archived[0]["archived_reason"] == "deceased"
    assert archived[0]["archived_on"] == "2026-11-01"
    assert seeded("members", "archive", "0001", "--reason", "other").exit_code == 1
    seeded.ok("members", "restore", "0001")
    assert len(members_json(seeded)) == 4
    assert seeded("members", "restore", "0001").exit_code == 1
    actions = [a["action"] for a in json.loads(
        seeded.ok("audit", "--key", "0001", "--format", "json").stdout)]
    assert actions[:2] == ["restore", "archive"]


def test_bad_archive_reason_is_rejected(seeded):
    result = seeded("members", "archive", "0003", "--reason", "vanished")
    assert result.exit_code == 1 and "transferred" in seeded(
        "--lang", "en", "members", "archive", "0003", "--reason", "vanished").stderr
    assert seeded.rows("SELECT status FROM members WHERE member_no = '0003'") == [("active",)]


def test_data_is_never_read_as_markup(seeded):
    seeded.ok("members", "edit", "0004", "--note", "[bold]试点[/bold] [red]")
    seeded.ok("members", "add", "--no", "0100", "--name", "[试点]张三", "--category", "在职",
              "--area", "A01")
    out = seeded.ok("members", "list").stdout
    assert "[试点]张三" in out
    assert "[bold]试点[/bold] [red]" in seeded.ok("members", "show", "0004").stdout


def test_audit_command_name_whatever_the_program_name(seeded):
    from typer.testing import CliRunner

    from cbtool.cli import app

    CliRunner().invoke(app, ["--db", str(seeded.db_path), "members", "edit", "0004",
                             "--note", "备注"], prog_name="python -m cbtool")
    assert seeded.rows("SELECT command FROM audit ORDER BY id DESC LIMIT 1") == \
        [("members edit",)]


def test_archive_asks_on_a_terminal(seeded, monkeypatch):
    from cbtool.cli import common

    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    assert seeded("members", "archive", "0001", "--reason", "other", input="n\n").exit_code == 1
    assert seeded.rows("SELECT status FROM members WHERE member_no = '0001'") == [("active",)]
    seeded.ok("members", "archive", "0001", "--reason", "other", "--yes")
    assert seeded.rows("SELECT status FROM members WHERE member_no = '0001'") == [("archived",)]
