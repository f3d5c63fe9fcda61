"""members renumber to a number that differs from the old one only by leading zeros
(0001 → 1) is done as asked, and said: the zeros may have been lost by mistake."""

from __future__ import annotations


def test_renumber_dropping_zeros_is_said(seeded):
    result = seeded.ok("members", "renumber", "0001", "1", "--yes")
    assert "注意：1 可能是 0001（前导零丢失）" in result.stderr
    assert seeded.rows("SELECT member_no FROM members WHERE name = '张伟'") == [("1",)]


def test_renumber_to_another_number_says_nothing_more(seeded):
    result = seeded.ok("members", "renumber", "0001", "0101", "--yes")
    assert "注意" not in result.stderr


def test_renumber_carries_aid_links_and_audits_each_moved_record(seeded):
    """A member paired with an aid case (and one the case is for) can be renumbered: the
    case and its helpers follow; every moved record has its own audit row."""
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "失业",
              "--member", "0003", "--helpers", "0001,0004", "--on", "2026-11-01")
    seeded.ok("members", "contact", "0001", "--channel", "电话", "--on", "2026-11-10")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-02", "--members", "0001,0003")
    seeded.ok("members", "renumber", "0001", "0101", "--yes")
    seeded.ok("members", "renumber", "0003", "0103", "--yes")
    assert seeded.rows("SELECT member_no FROM aid_cases") == [("0103",)]
    assert seeded.rows("SELECT member_no FROM aid_helpers ORDER BY member_no") == [
        ("0004",), ("0101",)]
    audited = set(seeded.rows("SELECT table_name, key FROM audit WHERE action = 'renumber'"))
    assert {("members", "0101"), ("contacts", "1"), ("logs", "1"), ("aid_cases", "1"),
            ("members", "0103")} <= audited
    (changes,) = seeded.rows("SELECT changes FROM audit WHERE action = 'renumber' AND "
                             "table_name = 'logs' ORDER BY id LIMIT 1")[0]
    assert '"participants": [["0001", "0003"], ["0003", "0101"]]' in changes
