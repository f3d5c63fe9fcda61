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
    assert f"文件：∅ → {path}；删除：∅ → 1；改回：∅ → 0" in undone
    assert " 党员 " in imported and "members" not in imported.replace("members import", "")
    assert f"文件：∅ → {path}；新增：∅ → 1" in imported
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
