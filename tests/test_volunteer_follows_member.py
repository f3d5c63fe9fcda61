"""A member who is also a volunteer is one person: a phone (name, area …) changed on the
member is carried to the linked volunteer where the volunteer held the member's value;
a value of the volunteer's own stays. Audited, and undone with the import that made it."""

from __future__ import annotations

import pytest

from cbtool import clock


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-30")


@pytest.fixture
def linked(seeded):
    seeded.ok("volunteers", "add", "V001", "--member", "0001", "--registered", "2025-03-01")
    seeded.ok("volunteers", "add", "V002", "--member", "0002", "--phone", "13700000002",
              "--registered", "2025-03-01")
    return seeded


def _volunteer(cli, no):
    return cli.rows("SELECT name, phone, area FROM volunteers WHERE volunteer_no = ?", (no,))[0]


def test_member_phone_edit_reaches_the_linked_volunteer(linked):
    assert _volunteer(linked, "V001") == ("张伟", "13812345678", "A01")  # copied when linked
    linked.ok("members", "edit", "0001", "--phone", "13911112222", "--area", "A02")
    assert _volunteer(linked, "V001") == ("张伟", "13911112222", "A02")
    audit = linked.rows("SELECT key, action FROM audit WHERE table_name = 'volunteers' "
                        "ORDER BY id DESC LIMIT 1")
    assert audit == [("V001", "update")]


def test_volunteer_own_phone_stays(linked):
    linked.ok("members", "edit", "0002", "--phone", "13900009999")
    assert _volunteer(linked, "V002")[1] == "13700000002"


def test_unlinked_volunteer_untouched(linked):
    before = linked.rows("SELECT * FROM volunteers ORDER BY volunteer_no")
    linked.ok("members", "edit", "0003", "--phone", "13900003333")
    assert linked.rows("SELECT * FROM volunteers ORDER BY volunteer_no") == before


def test_members_import_carries_and_undo_reverts(linked, tmp_path):
    path = tmp_path / "更正.csv"
    path.write_text("党员编号,联系电话\n0001,13955556666\n", encoding="gbk")
    linked.ok("members", "import", str(path), "--yes")
    assert _volunteer(linked, "V001")[1] == "13955556666"
    batch = linked.rows("SELECT max(id) FROM import_batches")[0][0]
    linked.ok("imports", "undo", str(batch), "--yes")
    assert _volunteer(linked, "V001")[1] == "13812345678"
    assert linked.rows("SELECT phone FROM members WHERE member_no = '0001'") == [
        ("13812345678",)]
