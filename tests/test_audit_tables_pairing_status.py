"""The audit table names its tables and an import's own row in Chinese (JSON and English
keep the keys); a pairing ended today reads 已结束 and leaves the active list, as ``end``
sees it."""

from __future__ import annotations

import json

import pytest

from cbtool import clock

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


def _import_and_undo(seeded, tmp_path):
    (tmp_path / "三村.csv").write_text("党员编号,姓名,党员类别,居民区\n0301,周敏,在职,A01\n",
                                     encoding="utf-8")
    seeded.ok("members", "import", "三村.csv")  # the test's directory
    seeded.ok("imports", "undo", "1", "--yes")
    return "三村.csv"


def test_audit_table_names_tables_and_batch_fields_in_chinese(seeded, tmp_path):
    path = _import_and_undo(seeded, tmp_path)
    lines = seeded.ok("audit", "-n", "4", env={"COLUMNS": "240"}).stdout.splitlines()
    undone, _member, imported, _insert = lines[1:5]
    assert "导入批次" in undone and "import_batches" not in undone
    assert f"文件：∅ → {path}； 删除：∅ → 1； 改回：∅ → 0" in undone
    assert " 党员 " in imported and "members" not in imported.replace("members import", "")
    assert f"文件：∅ → {path}； 新增：∅ → 1" in imported
    assert "inserted" not in "\n".join(lines)


def test_audit_json_and_english_keep_the_keys(seeded, tmp_path):
    path = _import_and_undo(seeded, tmp_path)
    rows = json.loads(seeded.ok("audit", "-n", "4", "--format", "json").stdout)
    assert [r["table"] for r in rows] == ["import_batches", "members", "members", "members"]
    assert rows[2]["changes"] == {"file": [None, str(path)], "inserted": [None, 1]}
    english = seeded.ok("--lang", "en", "audit", "-n", "4",
                        env={"COLUMNS": "240"}).stdout
    assert "import_batches" in english and f"file: ∅ → {path}; inserted: ∅ → 1" in english
    assert "导入批次" not in english and "新增" not in english


def test_audit_table_filter_takes_the_batches_chinese_name(seeded, tmp_path):
    _import_and_undo(seeded, tmp_path)
    rows = json.loads(seeded.ok("audit", "--table", "导入批次", "--format", "json").stdout)
    assert [(r["table"], r["action"]) for r in rows] == [("import_batches", "undo")]


@pytest.fixture
def paired(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "治安联防")
    return seeded


def _status(cli, *args):
    line = next(x for x in cli.ok("pairings", "show", "1", *args).stdout.splitlines()
                if x.startswith(("状态", "Status")))
    return line.split()[-1]


def test_a_pairing_ended_today_reads_ended_everywhere(paired):
    assert _status(paired) == "进行中"
    paired.ok("pairings", "end", "1", "--reason", "单位搬迁")
    assert paired("pairings", "end", "1").exit_code == 1  # ended already, says end
    assert _status(paired) == "已结束"
    assert json.loads(paired.ok("pairings", "list", "--format", "json").stdout) == []
    ended = json.loads(paired.ok("pairings", "list", "--status", "ended", "--format",
                                 "json").stdout)
    assert [(p["id"], p["until"], p["active"]) for p in ended] == [(1, TODAY, False)]
    shown = json.loads(paired.ok("pairings", "show", "1", "--format", "json").stdout)
    assert (shown["status"], shown["active"]) == ("ended", False)
    # its last day still takes the day's joint activity
    paired.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "联合巡逻",
              "--on", TODAY, "--pairing", "1", "--heading", "治安")


def test_an_agreed_end_still_ahead_is_active_and_a_later_start_not_yet(paired, monkeypatch):
    paired.ok("pairings", "edit", "1", "--until", "2026-12-01")
    assert _status(paired) == "进行中"
    assert [p["id"] for p in json.loads(
        paired.ok("pairings", "list", "--format", "json").stdout)] == [1]
    monkeypatch.setenv(clock.ENV, "2026-12-15")  # added on a later day, seen on an earlier
    paired.ok("pairings", "add", "--point", "A02", "--unit", "区卫健委", "--headings", "公益事业")
    monkeypatch.setenv(clock.ENV, TODAY)
    out = paired.ok("pairings", "show", "2").stdout
    assert "未开始" in out and "已结束" not in out
    assert "not started" in paired.ok("--lang", "en", "pairings", "show", "2").stdout


def test_summary_counts_a_pairing_ended_today_as_ended_as_the_list_does(seeded, monkeypatch):
    import json

    from cbtool import clock

    monkeypatch.setenv(clock.ENV, "2026-11-30")
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞")
    seeded.ok("pairings", "end", "1")  # today
    listed = json.loads(seeded.ok("pairings", "list", "--format", "json").stdout)
    shown = json.loads(seeded.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    assert listed == [] and shown["pairings"]["active"] == 0
    assert "A01" in shown["pairings"]["points_without"]
