"""Exit codes: a batch that does not exist is not found (1), and --remove without --reason
is wrong usage (2) that names --reason."""

from __future__ import annotations

import json


def test_audit_of_a_batch_that_does_not_exist_is_not_found(seeded):
    result = seeded("audit", "--batch", "999")
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr.splitlines() == ["没有编号为 999 的导入批次（cbtool imports 列出批次）"]
    english = seeded("--lang", "en", "audit", "--batch", "999", "--format", "json")
    assert english.exit_code == 1 and english.stdout == ""
    assert english.stderr.splitlines() == ["no import batch 999 (cbtool imports lists them)"]


def test_audit_of_a_batch_that_exists_still_lists_its_rows(seeded, tmp_path):
    path = tmp_path / "一村.csv"
    path.write_text("党员编号,姓名,党员类别,居民区\n0101,赵敏,离退休,A01\n", encoding="utf-8")
    seeded.ok("members", "import", str(path))
    batch = seeded.rows("SELECT max(id) FROM import_batches")[0][0]
    rows = json.loads(seeded.ok("audit", "--batch", str(batch), "--format", "json").stdout)
    assert rows and all(r["batch"] == batch for r in rows)


def test_removing_a_contact_without_a_reason_is_wrong_usage_naming_reason(seeded):
    seeded.ok("members", "contact", "0002", "--on", "2026-11-01")
    result = seeded("members", "contacts", "0002", "--remove", "1")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.splitlines()[-1] == "错误：缺少选项 --reason"
    english = seeded("--lang", "en", "members", "contacts", "0002", "--remove", "1")
    assert english.exit_code == 2
    assert english.stderr.splitlines()[-1] == "Error: Missing option --reason."
    assert seeded.count("contacts") == 1
    seeded.ok("members", "contacts", "0002", "--remove", "1", "--reason", "录错")
    assert seeded.count("contacts") == 0
