"""logs edit ID --clear volunteers: a log recorded with volunteers by mistake keeps its
hours and loses its service records (voided, audited, in one transaction)."""

from __future__ import annotations

import pytest

from cbtool import clock


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-25")


@pytest.fixture
def crewed(seeded):
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护")
    seeded.ok("volunteers", "add", "V001", "--member", "0001", "--teams", "T01")
    seeded.ok("volunteers", "add", "V002", "--name", "赵敏", "--teams", "T01")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "夜间巡逻",
              "--on", "2026-11-10", "--team", "T01", "--volunteers", "V001:2,赵敏:1.5")
    return seeded


def test_clearing_the_volunteers_voids_their_service_and_keeps_the_hours(crewed):
    result = crewed.ok("logs", "edit", "1", "--clear", "volunteers")
    assert "已修改台账记录 #1：志愿者" in result.stderr + result.stdout
    assert crewed.rows("SELECT volunteer_no, voided, void_reason FROM service "
                       "WHERE log_id = 1 ORDER BY volunteer_no") == [
        ("V001", 1, "台账更正"), ("V002", 1, "台账更正")]
    assert crewed.rows("SELECT hours FROM logs WHERE id = 1") == [(3.5,)]
    audited = crewed.rows("SELECT count(*) FROM audit WHERE table_name = 'service' "
                          "AND action = 'void'")
    assert audited == [(2,)]
    again = crewed.ok("logs", "edit", "1", "--clear", "volunteers")
    assert "没有变化" in again.stderr + again.stdout


def test_volunteers_cannot_be_named_and_cleared_at_once(crewed):
    result = crewed("logs", "edit", "1", "--clear", "volunteers", "--volunteers", "V001:1")
    assert result.exit_code == 1
    assert result.stderr.strip() == "volunteers 不能同时设置和清空"
    assert crewed.rows("SELECT count(*) FROM service WHERE voided = 0") == [(2,)]
