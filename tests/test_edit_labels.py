"""Chinese sessions say what an edit changed, and what a dry run would change, with the
fields' and values' Chinese labels; English sessions keep the keys."""

from __future__ import annotations

import pytest


def said(result) -> str:
    return result.stdout + result.stderr


def test_members_edit_names_the_fields_in_chinese(seeded):
    result = seeded.ok("members", "edit", "0004", "--phone", "13700001234", "--note", "楼组长")
    assert "已修改 0004：联系电话、备注" in said(result)
    assert "phone" not in said(result)


@pytest.mark.parametrize("how", [("--lang", "en"), ()])
def test_members_edit_keeps_the_keys_in_english(seeded, monkeypatch, how):
    if not how:
        monkeypatch.setenv("CBTOOL_LANG", "en")
    result = seeded.ok(*how, "members", "edit", "0004", "--phone", "13700001234")
    assert "updated 0004: phone" in said(result)


def _teams(seeded):
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
              "--point", "A01")
    seeded.ok("volunteers", "add", "V001", "--name", "赵敏", "--teams", "T01")


def test_teams_and_volunteers_edit_say_the_new_status(seeded):
    _teams(seeded)
    result = seeded.ok("teams", "edit", "T01", "--leader", "李娜", "--inactive", "--on",
                       "2026-10-01")
    assert "已修改 T01：负责人、状态改为已撤销（2026-10-01）" in said(result)
    result = seeded.ok("volunteers", "edit", "V001", "--note", "周末有空", "--inactive",
                       "--on", "2026-11-01")
    assert "已修改 V001：备注、状态改为已退出（2026-11-01）" in said(result)
    english = seeded.ok("--lang", "en", "volunteers", "edit", "V001", "--active")
    assert "updated V001: active" in said(english)


def test_logs_brands_pairings_and_aid_edit_name_the_fields_in_chinese(seeded):
    seeded.ok("logs", "add", "--point", "A01", "--kind", "走访", "--title", "上门走访",
              "--on", "2026-11-12")
    assert "已修改台账记录 #1：活动内容、服务人数" in said(seeded.ok(
        "logs", "edit", "1", "--title", "入户走访", "--served", "5"))
    seeded.ok("brands", "add", "--area", "A01", "--name", "石化红管家")
    assert "已修改一居一品 #1：简介" in said(seeded.ok(
        "brands", "edit", "1", "--description", "楼组党员当好居民的管家"))
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--headings",
              "党员教育联搞")
    assert "已修改结对共建 #1：共建单位、联系人" in said(seeded.ok(
        "pairings", "edit", "1", "--unit", "金山区卫健委", "--contact", "李明"))
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保")
    assert "已修改困难对象 #1：联系电话" in said(seeded.ok(
        "aid", "edit", "1", "--phone", "13700001234"))
    english = seeded.ok("--lang", "en", "pairings", "edit", "1", "--contact", "王芳")
    assert "updated pairing #1: contact" in said(english)


def test_import_dry_run_previews_chinese_fields_and_values(seeded, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text("member_no,name,category,area\n0001,张伟,在职,A01\n0970,新人,离退休,A01\n",
                    encoding="utf-8")
    result = seeded.ok("members", "import", str(path), "--dry-run")
    assert "党员类别: 离退休 → 在职" in result.stderr
    assert "党员编号=0970; 姓名=新人; 党员类别=离退休" in result.stderr
    assert "category" not in result.stderr and "retired" not in result.stderr
    english = seeded.ok("--lang", "en", "members", "import", str(path), "--dry-run")
    assert "category: retired → employed" in english.stderr
    assert "member_no=0970" in english.stderr and "category=retired" in english.stderr
    as_json = seeded.ok("members", "import", str(path), "--dry-run", "--format", "json")
    assert '"category": [null, "retired"]' in as_json.stdout  # scripts keep the keys


def test_what_is_not_a_person_has_a_name_not_a_xingming(seeded):
    assert "已修改 A01：名称" in said(seeded.ok("points", "edit", "A01", "--name", "一村服务点"))
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
              "--point", "A01")
    assert "已修改 T01：队伍名称" in said(seeded.ok("teams", "edit", "T01", "--name", "巡逻队"))
    seeded.ok("brands", "add", "--area", "A01", "--name", "石化红管家")
    assert "已修改一居一品 #1：品牌名称" in said(seeded.ok("brands", "edit", "1", "--name",
                                                         "红管家"))
    assert "已修改 0004：姓名" in said(seeded.ok("members", "edit", "0004", "--name", "陈晶"))


def test_a_dry_run_lists_a_list_as_people_write_it(seeded, tmp_path):
    path = tmp_path / "l.csv"
    path.write_text("point,date,kind,title,participants\nA01,2025-03-01,visit,走访,0001、0003\n",
                    encoding="utf-8")
    result = seeded.ok("logs", "import", str(path), "--dry-run")
    assert "类型=走访慰问" in result.stderr and "参加党员=0001、0003" in result.stderr
