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
