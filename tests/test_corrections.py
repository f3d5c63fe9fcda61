"""Every mistake correctable, and the records kept consistent: participation after a
death, logs and checks at a closed point, ambiguous names, an unknown audit table,
contacts (unreached, repeated, listed, removed), logs edit, voided checks, renumbering —
through the CLI on real database files."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest
from sqlite_utils import Database

from cbtool import migrations


def stderr_line(result) -> str:
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    return lines[0]


def write(path, text: str):
    path.write_text(text, encoding="utf-8")
    return path


# --- consistency: deaths, transfers, closed points ------------------------------------


@pytest.fixture
def departed(seeded):
    """0003 王强 died on 2026-10-12; 0004 陈静 was transferred out on 2026-10-12."""
    seeded.ok("members", "archive", "0003", "--reason", "去世", "--on", "2026-10-12")
    seeded.ok("members", "archive", "0004", "--reason", "转出", "--on", "2026-10-12")
    return seeded


def test_a_participant_after_death_is_refused_naming_the_member(departed):
    before = departed.count("logs"), departed.count("audit")
    result = departed("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                      "--on", "2026-11-20", "--members", "0001,0003")
    assert result.exit_code == 1
    line = stderr_line(result)
    assert "0003 王强" in line and "2026-10-12" in line and "去世" in line
    assert (departed.count("logs"), departed.count("audit")) == before
    en = departed("--lang", "en", "logs", "add", "--point", "A01", "--kind", "visit",
                  "--title", "走访", "--on", "2026-11-20", "--members", "王强")
    assert en.exit_code == 1 and "0003 王强 (died 2026-10-12)" in en.stderr


def test_participation_up_to_the_day_of_death_is_accepted(departed):
    departed.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                "--on", "2026-10-12", "--members", "0003")
    assert departed.rows("SELECT member_no FROM log_participants") == [("0003",)]


def test_a_participant_after_a_transfer_is_a_warning(departed):
    result = departed.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                         "--on", "2026-11-20", "--members", "0004")
    assert "0004 陈静 已于 2026-10-12 转出" in result.stderr
    assert departed.count("logs") == 1


def test_logs_import_rejects_a_row_after_death_and_warns_after_transfer(departed, tmp_path):
    path = write(tmp_path / "logs.csv",
                 "服务点,日期,类型,活动内容,参加党员\n"
                 "A01,2026-11-20,visit,走访一,0003\n"
                 "A01,2026-11-21,visit,走访二,0004\n"
                 "A01,2026-09-01,visit,走访三,0003\n")
    result = departed("logs", "import", str(path))
    assert result.exit_code == 1
    assert "第 2 行 [参加党员]: 0003 王强（2026-10-12 去世） 不能列为 2026-11-20" in result.stderr
    assert departed.count("logs") == 0
    result = departed.ok("logs", "import", str(path), "--skip-invalid")
    assert "0004 陈静" in result.stderr and "转出" in result.stderr
    assert sorted(r[0] for r in departed.rows("SELECT title FROM logs")) == ["走访三", "走访二"]


def test_archiving_as_deceased_before_a_later_participation_is_refused(seeded):
    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
              "--on", "2026-11-20", "--members", "0003")
    result = seeded("members", "archive", "0003", "--reason", "deceased", "--on", "2026-10-12")
    assert result.exit_code == 1 and "#1" in result.stderr
    assert seeded.rows("SELECT status FROM members WHERE member_no = '0003'") == [("active",)]
    seeded.ok("members", "archive", "0003", "--reason", "deceased", "--on", "2026-11-20")


@pytest.fixture
def closed(seeded):
    """A02's point closed on 2026-10-31."""
    seeded.ok("points", "edit", "A02", "--inactive", "--on", "2026-10-31")
    return seeded


def test_closing_a_point_records_the_day_and_reopening_clears_it(closed):
    assert closed.rows("SELECT closed_on FROM points WHERE code = 'A02'") == [("2026-10-31",)]
    shown = json.loads(closed.ok("points", "list", "--format", "json").stdout)
    assert {p["code"]: p["closed_on"] for p in shown}["A02"] == "2026-10-31"
    closed.ok("points", "edit", "A02", "--active")
    assert closed.rows("SELECT closed_on FROM points WHERE code = 'A02'") == [(None,)]
    assert closed("points", "edit", "A01", "--on", "2026-10-31").exit_code == 1


def test_a_log_or_a_check_at_a_closed_point_after_it_closed_is_refused(closed, tmp_path):
    result = closed("logs", "add", "--point", "A02", "--kind", "visit", "--title", "走访",
                    "--on", "2026-11-20")
    assert result.exit_code == 1
    assert "A02" in stderr_line(result) and "2026-10-31" in result.stderr
    closed.ok("logs", "add", "--point", "A02", "--kind", "visit", "--title", "走访",
              "--on", "2026-10-31")
    result = closed("checklist", "record", "A02", "--ok", "all", "--on", "2026-11-20")
    assert result.exit_code == 1 and "停用" in result.stderr
    assert closed.count("checks") == 0
    path = write(tmp_path / "checks.csv", "服务点,检查项目,是否具备,检查日期\n"
                 "A02,场所,是,2026-11-20\nA01,场所,是,2026-11-20\n")
    assert closed("checklist", "import", str(path)).exit_code == 1
    assert closed.count("checks") == 0
    logs = write(tmp_path / "logs.csv", "服务点,日期,类型,活动内容\nA02,2026-11-02,visit,迟到的台账\n")
    result = closed("logs", "import", str(logs))
    assert result.exit_code == 1 and "2026-10-31" in result.stderr
    assert closed.count("logs") == 1


def test_a_point_cannot_close_before_a_log_it_holds(seeded):
    seeded.ok("logs", "add", "--point", "A02", "--kind", "visit", "--title", "走访",
              "--on", "2026-11-20")
    result = seeded("points", "edit", "A02", "--inactive", "--on", "2026-10-31")
    assert result.exit_code == 1 and "2026-11-20" in result.stderr
    assert seeded.rows("SELECT active, closed_on FROM points WHERE code = 'A02'") == [(1, None)]


def test_points_closed_before_the_upgrade_get_the_day_of_their_closing(cli):
    old = Database(cli.db_path)
    migrations.migrations.apply(old, stop_before="m004_corrections")
    old.execute("INSERT INTO areas (code, name) VALUES ('A01', '一村'), ('A02', '二村')")
    old.execute("INSERT INTO points (code, name, area, active, updated_at) VALUES "
                "('A01', '一村点', 'A01', 0, '2026-05-06T01:00:00Z'), "
                "('A02', '二村点', 'A02', 0, '2026-07-08T01:00:00Z')")
    old.execute("INSERT INTO audit (at, table_name, key, action, changes) VALUES "
                "('2026-03-04T02:00:00Z', 'points', 'A01', 'update', "
                "'{\"active\": [1, 0]}')")
    old.conn.commit()
    old.close()
    cli.ok("points", "list")
    assert cli.rows("SELECT code, closed_on FROM points ORDER BY code") == [
        ("A01", "2026-03-04"), ("A02", "2026-07-08")]


def test_an_ambiguous_participant_name_lists_the_candidates(seeded):
    for no in ("0009", "0012"):
        seeded.ok("members", "add", "--no", no, "--name", "卢强", "--category", "在职",
                  "--area", "A01")
    result = seeded("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
                    "--on", "2026-11-20", "--members", "0001、卢强")
    assert result.exit_code == 1
    assert "不唯一（0009, 0012）" in stderr_line(result)
    assert "没有这些党员（编号或姓名）" not in result.stderr
    result = seeded("members", "show", "卢强")
    assert result.exit_code == 1 and "不唯一（0009, 0012）" in result.stderr


# --- audit --table --------------------------------------------------------------------


def test_audit_of_an_unknown_table_is_refused_listing_the_tables(seeded):
    result = seeded("audit", "--table", "党委")
    assert result.exit_code == 1 and result.stdout == ""
    line = stderr_line(result)
    assert "党委" in line and "members/党员" in line and "logs/台账" in line


def test_audit_takes_a_table_by_its_chinese_label(seeded):
    by_label = json.loads(seeded.ok("audit", "--table", "党员", "--format", "json").stdout)
    by_name = json.loads(seeded.ok("audit", "--table", "members", "--format", "json").stdout)
    assert by_label == by_name and len(by_name) == 4
    assert {r["table"] for r in by_name} == {"members"}


# --- contacts -------------------------------------------------------------------------


def overdue_nos(cli) -> list[str]:
    out = cli.ok("members", "overdue", "--days", "30", "--format", "json").stdout
    return [r["member_no"] for r in json.loads(out)]


def test_an_unreached_attempt_is_kept_but_does_not_clear_overdue(seeded):
    days_ago = [(date.today() - timedelta(days=n)).isoformat() for n in (0, 1, 2)]
    assert overdue_nos(seeded) == ["0002"]
    result = seeded.ok("members", "contact", "0002", "--on", days_ago[2], "--unreached",
                       "--note", "电话无人接听")
    assert "未联系上" in result.stderr
    assert overdue_nos(seeded) == ["0002"]
    shown = json.loads(seeded.ok("members", "show", "0002", "--format", "json").stdout)
    assert shown["last_contact_on"] is None
    assert shown["contacts"][0]["reached"] is False
    summary = json.loads(seeded.ok("summary", "--format", "json").stdout)
    assert summary["members"]["overdue_contact"] == 1
    seeded.ok("members", "contact", "0002", "--on", days_ago[1], "--channel", "微信")
    assert overdue_nos(seeded) == []
    summary = json.loads(seeded.ok("summary", "--format", "json").stdout)
    assert summary["members"]["overdue_contact"] == 0


def test_the_same_contact_twice_is_one(seeded):
    seeded.ok("members", "contact", "0002", "--on", "2026-11-25", "--channel", "电话")
    audit = seeded.count("audit")
    again = seeded.ok("members", "contact", "0002", "--on", "2026/11/25", "--channel", "phone")
    assert "未改动" in again.stderr
    assert seeded.count("contacts") == 1 and seeded.count("audit") == audit
    noted = seeded.ok("members", "contact", "0002", "--on", "2026-11-25", "--note", "已回电")
    assert "已更新" in noted.stderr
    assert seeded.rows("SELECT note, reached FROM contacts") == [("已回电", 1)]
    seeded.ok("members", "contact", "0002", "--on", "2026-11-25", "--channel", "微信")
    assert seeded.count("contacts") == 2


def test_a_failed_attempt_then_a_reached_one_on_the_same_day_is_reached(seeded):
    seeded.ok("members", "contact", "0002", "--on", "2026-11-25", "--unreached")
    seeded.ok("members", "contact", "0002", "--on", "2026-11-25")
    assert seeded.rows("SELECT reached FROM contacts") == [(1,)]
    seeded.ok("members", "contact", "0002", "--on", "2026-11-25", "--unreached")
    assert seeded.rows("SELECT reached FROM contacts") == [(1,)]


def test_contacts_are_listed_with_ids_and_one_is_removed_with_a_reason(seeded):
    seeded.ok("members", "contact", "0002", "--on", "2026-11-01")
    seeded.ok("members", "contact", "0002", "--on", "2026-11-20", "--channel", "visit")
    seeded.ok("members", "contact", "0001", "--on", "2026-11-20")
    listed = json.loads(seeded.ok("members", "contacts", "0002", "--format", "json").stdout)
    assert [(c["id"], c["date"], c["channel"]) for c in listed] == [
        (2, "2026-11-20", "visit"), (1, "2026-11-01", "phone")]
    table = seeded.ok("members", "contacts", "李娜").stdout
    assert "2026-11-20" in table and "走访" in table
    wrong = seeded("members", "contacts", "0002", "--remove", "3", "--reason", "录错")
    assert wrong.exit_code == 1 and "3" in stderr_line(wrong)  # #3 is 0001's
    assert seeded("members", "contacts", "0002", "--remove", "2").exit_code == 2  # --reason
    assert seeded.count("contacts") == 3
    result = seeded.ok("members", "contacts", "0002", "--remove", "#2", "--reason", "录错人")
    assert "录错人" in result.stderr
    assert [r[0] for r in seeded.rows("SELECT id FROM contacts ORDER BY id")] == [1, 3]
    shown = json.loads(seeded.ok("members", "show", "0002", "--format", "json").stdout)
    assert shown["last_contact_on"] == "2026-11-01"
    trail = json.loads(seeded.ok("audit", "--table", "contacts", "--key", "2",
                                 "--format", "json").stdout)
    assert trail[0]["action"] == "delete"
    assert trail[0]["changes"]["reason"] == [None, "录错人"]
    assert trail[0]["changes"]["date"] == ["2026-11-20", None]
    assert seeded("members", "contacts", "0002", "--reason", "x").exit_code == 2


# --- logs edit and what a duplicate log is --------------------------------------------


def add_log(cli, *extra):
    return cli("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
               "--on", "2026-11-20", *extra)


def test_a_second_log_of_the_same_point_day_kind_and_title_needs_a_ref(seeded):
    assert add_log(seeded, "--members", "0001").exit_code == 0
    result = add_log(seeded, "--members", "0003")
    assert result.exit_code == 1
    line = stderr_line(result)
    assert "#1" in line and "--ref" in line and "标题" in line
    assert seeded.count("logs") == 1
    assert add_log(seeded, "--ref", "ZB-2").exit_code == 0
    assert add_log(seeded, "--ref", "ZB-3").exit_code == 0
    seeded.ok("logs", "void", "1", "--reason", "录重")
    assert add_log(seeded).exit_code == 1  # a voided log is exported and imported too


def test_logs_edit_changes_any_field_validated_and_audited(seeded):
    add_log(seeded, "--members", "0001", "--served", "5")
    result = seeded.ok("logs", "edit", "1", "--title", "支部学习（第二次）", "--members",
                       "0003、陈静", "--served", "8", "--hours", "1.5", "--on", "2026/11/21",
                       "--point", "A02", "--kind", "meeting", "--note", "改正", "--ref", "ZB-9")
    assert "#1" in result.stderr
    log = json.loads(seeded.ok("logs", "show", "1", "--format", "json").stdout)
    assert {k: log[k] for k in ("point", "date", "kind", "title", "participants", "served",
                                "hours", "note", "ref")} == {
        "point": "A02", "date": "2026-11-21", "kind": "meeting", "title": "支部学习（第二次）",
        "participants": ["0003", "0004"], "served": 8, "hours": 1.5, "note": "改正",
        "ref": "ZB-9"}
    trail = json.loads(seeded.ok("audit", "--table", "logs", "--key", "1", "--format",
                                 "json").stdout)
    assert trail[0]["action"] == "update"
    assert trail[0]["changes"]["participants"] == [["0001"], ["0003", "0004"]]
    assert trail[0]["changes"]["served"] == [5, 8]
    seeded.ok("logs", "edit", "1", "--clear", "note", "--clear", "members", "--clear", "ref")
    log = json.loads(seeded.ok("logs", "show", "1", "--format", "json").stdout)
    assert (log["note"], log["participants"], log["ref"]) == (None, [], None)
    assert "没有变化" in seeded.ok("logs", "edit", "1", "--served", "8").stderr


@pytest.mark.parametrize("args, words", [
    (("--served", "-1"), "服务人数"),
    (("--kind", "跳舞"), "类型"),
    (("--members", "9999"), "9999"),
    (("--on", "2026-13-01"), "日期"),
    (("--point", "Z99"), "Z99"),
    (("--clear", "title"), "title"),
    (("--note", "x", "--clear", "note"), "note"),
])
def test_logs_edit_refuses_what_add_refuses(seeded, args, words):
    add_log(seeded)
    audit = seeded.count("audit")
    result = seeded("logs", "edit", "1", *args)
    assert result.exit_code == 1 and words in stderr_line(result)
    assert seeded.count("audit") == audit


def test_logs_edit_keeps_refs_unique_and_logs_apart(seeded):
    add_log(seeded, "--ref", "ZB-1")
    add_log(seeded)
    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
              "--on", "2026-11-20", "--ref", "ZB-3")
    assert "ZB-1" in seeded("logs", "edit", "3", "--ref", "ZB-1").stderr
    assert "#2" in seeded("logs", "edit", "1", "--clear", "ref").stderr
    result = seeded("logs", "edit", "3", "--clear", "ref", "--kind", "study",
                    "--title", "支部学习")
    assert result.exit_code == 1 and "#2" in result.stderr
    seeded.ok("logs", "void", "3", "--reason", "录错")
    assert "作废" in seeded("logs", "edit", "3", "--title", "x").stderr
    assert seeded("logs", "edit", "99", "--title", "x").exit_code == 1


def test_logs_edit_follows_the_departures(seeded):
    add_log(seeded, "--members", "0001")
    seeded.ok("members", "archive", "0003", "--reason", "deceased", "--on", "2026-10-12")
    result = seeded("logs", "edit", "1", "--members", "0001,0003")
    assert result.exit_code == 1 and "0003 王强" in result.stderr
    seeded.ok("points", "edit", "A02", "--inactive", "--on", "2026-11-01")
    assert seeded("logs", "edit", "1", "--point", "A02").exit_code == 1
    assert seeded.rows("SELECT point FROM logs") == [("A01",)]


# --- voided checks --------------------------------------------------------------------


def matrix_cell(cli, point: str, item: str) -> dict:
    rows = json.loads(cli.ok("checklist", "show", "--point", point, "--format", "json").stdout)
    return rows[0][item]


def test_a_mistaken_check_is_voided_with_a_reason_and_stops_counting(seeded, tmp_path):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", "2026-10-01")
    seeded.ok("checklist", "record", "A01", "--missing", "av", "--on", "2026-11-20")
    assert matrix_cell(seeded, "A01", "av") == {"ok": False, "date": "2026-11-20"}
    history = json.loads(seeded.ok("checklist", "history", "A01", "--format", "json").stdout)
    wrong = next(c for c in history if c["date"] == "2026-11-20")
    assert wrong["voided"] is False
    table = seeded.ok("checklist", "history", "A01").stdout
    assert str(wrong["id"]) in table
    result = seeded.ok("checklist", "void", str(wrong["id"]), "--reason", "记到了 A01，应为 A02")
    assert "应为 A02" in result.stderr
    assert matrix_cell(seeded, "A01", "av") == {"ok": True, "date": "2026-10-01"}
    gaps = json.loads(seeded.ok("checklist", "gaps", "--format", "json").stdout)
    assert not [g for g in gaps if g["point"] == "A01"]
    table = seeded.ok("checklist", "history", "A01").stdout
    assert "已作废：记到了 A01，应为 A02" in table
    again = seeded("checklist", "void", str(wrong["id"]), "--reason", "x")
    assert again.exit_code == 1 and "已作废" in again.stderr
    assert seeded("checklist", "void", "999", "--reason", "x").exit_code == 1
    assert seeded("checklist", "void", str(wrong["id"]), "--reason", " ").exit_code == 1
    trail = json.loads(seeded.ok("audit", "--table", "checks", "--key", "A01/av/2026-11-20",
                                 "--format", "json").stdout)
    assert trail[0]["action"] == "void"
    assert trail[0]["changes"]["void_reason"] == [None, "记到了 A01，应为 A02"]


def test_recording_a_voided_day_again_replaces_it(seeded):
    seeded.ok("checklist", "record", "A01", "--missing", "av", "--on", "2026-11-20")
    seeded.ok("checklist", "void", "1", "--reason", "录错")
    seeded.ok("checklist", "record", "A01", "--ok", "av", "--on", "2026-11-20")
    assert seeded.rows("SELECT ok, voided, void_reason FROM checks") == [(1, 0, None)]
    assert matrix_cell(seeded, "A01", "av") == {"ok": True, "date": "2026-11-20"}


def test_a_voided_check_travels_through_export_and_import(seeded, tmp_path):
    seeded.ok("checklist", "record", "A01", "--missing", "av", "--on", "2026-11-20")
    seeded.ok("checklist", "void", "1", "--reason", "录错")
    out = tmp_path / "checks.csv"
    seeded.ok("checklist", "export", "--out", str(out))
    assert "录错" in out.read_text(encoding="utf-8")
    assert "unchanged 1" in seeded.ok("checklist", "import", str(out)).stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("服务点,检查项目,是否具备,检查日期,作废\nA01,场所,是,2026-11-20,是\n",
                   encoding="utf-8")
    result = seeded("checklist", "import", str(bad))
    assert result.exit_code == 1 and "作废原因" in result.stderr


# --- renumber -------------------------------------------------------------------------


def test_renumber_carries_history_contacts_participation_and_the_audit_trail(seeded):
    seeded.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2026-09-01")
    seeded.ok("members", "contact", "0003", "--on", "2026-11-01")
    add_log(seeded, "--members", "0001,0003")
    before = json.loads(seeded.ok("members", "show", "0003", "--format", "json").stdout)
    result = seeded.ok("members", "renumber", "0003", "0030", "--yes")
    assert "0030" in result.stderr
    assert seeded("members", "show", "0003").exit_code == 1
    after = json.loads(seeded.ok("members", "show", "0030", "--format", "json").stdout)
    for key in ("name", "category", "area", "gender", "born_on", "category_changes",
                "contacts", "last_contact_on", "created_at"):
        assert after[key] == before[key], key
    assert after["participation"]["recent"] == before["participation"]["recent"]
    log = json.loads(seeded.ok("logs", "show", "1", "--format", "json").stdout)
    assert log["participants"] == ["0001", "0030"]
    for key in ("0030", "0003"):
        trail = json.loads(seeded.ok("audit", "--table", "members", "--key", key, "--all",
                                     "--format", "json").stdout)
        actions = [r["action"] for r in trail]
        assert actions[0] == "renumber" and "insert" in actions and "recategorize" in actions
    assert seeded.ok("db", "check").exit_code == 0


def test_renumber_refuses_a_number_in_use_and_changes_nothing(seeded):
    audit = seeded.count("audit")
    result = seeded("members", "renumber", "0003", "0001", "--yes")
    assert result.exit_code == 1 and "0001" in stderr_line(result) and "张伟" in result.stderr
    assert seeded("members", "renumber", "0003", "0003", "--yes").exit_code == 1
    assert seeded("members", "renumber", "9999", "0100", "--yes").exit_code == 1
    assert seeded.count("audit") == audit
    assert seeded.rows("SELECT name FROM members WHERE member_no = '0003'") == [("王强",)]
