"""--reveal says what it reveals: on aid commands and the audit, recipients' names and
addresses as well as phones and ID numbers."""

import pytest
from typer.testing import CliRunner

from cbtool.cli import app


@pytest.mark.parametrize("command", [["aid", "show"], ["aid", "list"]])
def test_aid_reveal_names_what_it_shows(command):
    out = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200"}).output
    assert "姓名、住址、电话和身份证号" in out


def test_audit_reveal_names_aid_recipients():
    out = CliRunner().invoke(app, ["audit", "--help"], env={"COLUMNS": "200"}).output
    assert "困难对象的姓名、住址" in out


def test_members_reveal_unchanged():
    out = CliRunner().invoke(app, ["members", "list", "--help"], env={"COLUMNS": "200"}).output
    assert "完整显示电话和身份证号" in out and "住址" not in out


def test_audit_of_a_record_added_shows_its_values_alone(seeded):
    """An insert has no before: 服务点：A01, not 服务点：∅ → A01 (half the width at 80
    columns); a field set later keeps its arrow."""
    seeded.ok("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "走访老党员",
              "--on", "2026-11-20")
    seeded.ok("logs", "edit", "1", "--note", "补记")
    out = seeded.ok("audit", "--table", "logs", env={"COLUMNS": "200"}).stdout
    assert "服务点：A01" in out and "服务点：∅" not in out
    assert "备注：∅ → 补记" in out


def test_audit_of_an_undo_leaves_out_what_reads_the_same_before_and_after(seeded, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_text("point,date,kind,title\nA01,2026-11-20,visit,测试走访\n", encoding="utf-8")
    seeded.ok("logs", "import", str(path), "--yes")
    batch = seeded.rows("SELECT max(id) FROM import_batches")[0][0]
    seeded.ok("imports", "undo", str(batch), "--yes")
    out = seeded.ok("audit", "--table", "logs", env={"COLUMNS": "1000"}).stdout
    undo = next(line for line in out.splitlines() if "撤销导入" in line and "测试走访" in line)
    assert "活动内容：测试走访 → ∅" in undo and "∅ → ∅" not in undo


def test_audit_at_80_columns_wraps_between_changes_not_inside_numbers(seeded):
    seeded.ok("members", "edit", "0001", "--phone", "13911112222", "--employer",
              "上海石化股份有限公司化工事业部", "--note", "更正电话号码和工作单位")
    out = seeded.ok("audit", "--table", "members", "--limit", "1", "--reveal",
                    env={"COLUMNS": "80"}).stdout
    text = "".join(line.strip() for line in out.splitlines())
    assert "13812345678 → 13911112222" in text  # each number whole on its line
    for line in out.splitlines():
        assert not line.rstrip().endswith(("1381", "1391"))
