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
