"""Chinese sessions name fields, values and import kinds in Chinese: the audit's changes,
the import batches' kinds and the undo refusal, what ``points edit`` changed."""

from __future__ import annotations


def test_audit_changes_use_chinese_field_and_value_labels(seeded):
    seeded.ok("members", "edit", "0003", "--category", "在职")
    table = seeded.ok("audit", "--key", "0003", "-n", "1").stdout
    assert "党员类别：下岗 → 在职" in table
    assert "category" not in table and "laid-off" not in table


def test_audit_changes_stay_english_in_an_english_session(seeded):
    seeded.ok("members", "edit", "0003", "--category", "在职")
    table = seeded.ok("--lang", "en", "audit", "--key", "0003", "-n", "1").stdout
    assert "category: laid-off → employed" in table


def _import_members(seeded, tmp_path):
    path = tmp_path / "二村.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0201,孙丽,流动,A02\n", encoding="utf-8")
    seeded.ok("members", "import", str(path))


def test_imports_table_names_the_kind_in_chinese(seeded, tmp_path):
    _import_members(seeded, tmp_path)
    table = seeded.ok("imports").stdout
    assert "党员" in table and "members" not in table
    assert "members" in seeded.ok("--lang", "en", "imports").stdout
    assert '"kind": "members"' in seeded.ok("imports", "--format", "json").stdout


def test_undo_refusal_names_the_record_in_chinese(seeded, tmp_path):
    _import_members(seeded, tmp_path)
    seeded.ok("members", "edit", "0201", "--note", "后来改的")
    result = seeded("imports", "undo", "1", "--yes")
    assert result.exit_code == 1 and "党员 0201" in result.stderr
    assert "members" not in result.stderr
    english = seeded("--lang", "en", "imports", "undo", "1", "--yes")
    assert english.exit_code == 1 and "members 0201" in english.stderr


def test_points_edit_names_what_changed_in_chinese(seeded):
    result = seeded.ok("points", "edit", "A02", "--inactive", "--on", "2025-06-30",
                       "--note", "暂停开放")
    said = result.stdout + result.stderr
    assert "已修改 A02：备注、状态改为停用（2025-06-30）" in said
    assert "active" not in said and "note" not in said
    english = seeded.ok("--lang", "en", "points", "edit", "A02", "--active")
    assert "updated A02: active" in english.stdout + english.stderr


def test_audit_shows_a_pairings_headings_and_a_cases_helpers_as_people_write_them(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局",
              "--headings", "党员教育联搞、贫困对象联帮")
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--helpers", "0001、0004")
    shown = seeded.ok("audit", env={"COLUMNS": "200"}).stdout
    assert "党员教育联搞、贫困对象联帮" in shown and "e、d、u" not in shown
    assert "0001、0004" in shown and "['" not in shown


def test_audit_shows_money_in_yuan_and_the_case_in_chinese(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1200", "--fund", "急难帮困")
    shown = seeded.ok("audit", "--table", "aid_given", env={"COLUMNS": "200"}).stdout
    assert "金额（元）：1,200.00" in shown and "困难对象：1" in shown
    assert "amount_fen" not in shown and "120000" not in shown
