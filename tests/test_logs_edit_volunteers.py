"""logs edit ID --volunteers V:H,… [--team T]: who served with a log changed after it was
added — each service record audited, the log's hours their new sum, all in one
transaction (a refused edit writes nothing) — through the CLI and from Python."""

from __future__ import annotations

import json

import pytest

from cbtool import clock, logs
from cbtool.config import Config
from cbtool.errors import FieldError
from cbtool.store import open_store

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def crew(seeded):
    """T01/T02; V001 张伟 (T01), V002 赵敏 (T01, T02), V003 孙丽 (T02); log #1 served by
    T02: V001 2 hours, 赵敏 1.5."""
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
              "--point", "A01")
    seeded.ok("teams", "add", "T02", "--name", "绿色家园", "--field", "环境保护")
    seeded.ok("volunteers", "add", "V001", "--member", "0001", "--teams", "T01")
    seeded.ok("volunteers", "add", "V002", "--name", "赵敏", "--teams", "T01、T02")
    seeded.ok("volunteers", "add", "V003", "--name", "孙丽", "--teams", "T02")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "社区环境清洁",
              "--on", "2026-11-10", "--team", "T02", "--volunteers", "V001:2,赵敏:1.5")
    return seeded


def hours(cli) -> float:
    return json.loads(cli.ok("logs", "show", "1", "--format", "json").stdout)["hours"]


def service(cli) -> list[tuple]:
    return cli.rows("SELECT volunteer_no, minutes, team, voided, void_reason FROM service "
                    "WHERE log_id = 1 ORDER BY volunteer_no")


def test_edit_replaces_the_volunteers_and_the_hours_follow(crew):
    audit = crew.count("audit")
    result = crew.ok("logs", "edit", "1", "--volunteers", "V001:3、孙丽:1")
    assert "已修改台账记录 #1：志愿时长、志愿者" in result.stderr
    assert hours(crew) == 4
    assert service(crew) == [("V001", 180, "T02", 0, None), ("V002", 90, "T02", 1, "台账更正"),
                             ("V003", 60, "T02", 0, None)]  # the team they served in stays
    assert crew.rows("SELECT table_name, action FROM audit WHERE id > ? ORDER BY id",
                     (audit,)) == [("service", "update"), ("service", "insert"),
                                   ("service", "void"), ("logs", "update")]
    assert crew.rows("SELECT changes FROM audit WHERE table_name = 'logs' ORDER BY id DESC "
                     "LIMIT 1") == [('{"hours": [3.5, 4.0]}',)]
    # 赵敏 named again: her record back in force; another team for all of them
    crew.ok("logs", "edit", "1", "--team", "T01", "--volunteers", "V001:3,V002:0.5,V003:1")
    assert hours(crew) == 4.5
    assert service(crew) == [("V001", 180, "T01", 0, None), ("V002", 30, "T01", 0, None),
                             ("V003", 60, "T01", 0, None)]
    same = crew.ok("logs", "edit", "1", "--volunteers", "V001:3,V002:0.5,V003:1")
    assert "没有变化" in same.stderr
    assert "没有变化" in crew.ok("logs", "edit", "1", "--hours", "4.5小时").stderr


def test_the_edited_log_exports_and_imports_back(crew, tmp_path):
    crew.ok("logs", "edit", "1", "--volunteers", "V001:1.25", "--title", "楼道清洁")
    out = tmp_path / "logs.csv"
    crew.ok("logs", "export", "--out", str(out), "--headings", "zh")
    assert "V001:1.25" in out.read_text(encoding="utf-8")
    audit = crew.count("audit")
    assert "unchanged 1" in crew.ok("logs", "import", str(out)).stderr
    assert crew.count("audit") == audit


@pytest.mark.parametrize("extra", [
    ["--team", "T01"],  # a team alone
    ["--volunteers", "V001:2,V002:1", "--hours", "5"],  # not their sum
    ["--volunteers", "无此人:2"],
    ["--volunteers", "V001:2,张伟:1"],  # one volunteer twice
    ["--volunteers", "V001"],  # no time
    ["--team", "T99", "--volunteers", "V001:1"],
    ["--volunteers", "V003:1", "--point", "Z99"],  # the rest of the edit refused
    ["--hours", "5"],  # hours of a log with volunteers: theirs
])
def test_a_refused_edit_writes_nothing(crew, extra):
    before = service(crew), crew.count("audit"), hours(crew)
    result = crew("logs", "edit", "1", *extra)
    assert result.exit_code == 1, (extra, result.stdout, result.stderr)
    assert "Traceback" not in result.stderr and result.stderr.strip().count("\n") == 0
    assert (service(crew), crew.count("audit"), hours(crew)) == before


def test_a_closed_team_or_a_voided_log_is_refused(crew):
    crew.ok("teams", "edit", "T01", "--inactive", "--on", "2026-11-05")
    before = service(crew), crew.count("audit")
    closed = crew("logs", "edit", "1", "--team", "T01", "--volunteers", "V001:1")
    assert closed.exit_code == 1 and "撤销" in closed.stderr
    assert (service(crew), crew.count("audit")) == before
    crew.ok("logs", "void", "1", "--reason", "录重了", "--yes")
    voided = crew("logs", "edit", "1", "--volunteers", "V001:1")
    assert voided.exit_code == 1 and "已作废" in voided.stderr


def test_edit_from_python(crew):
    with open_store(crew.db_path, config=Config(), operator="王芳") as store:
        with store.transaction():
            before, after = logs.edit(store, 1, {"volunteers": "V002:2"})
        assert (before["hours"], after["hours"]) == (3.5, 2)
        with pytest.raises(FieldError), store.transaction():
            logs.edit(store, 1, {"volunteers": "V002:2", "hours": "3"})
    assert service(crew)[1] == ("V002", 120, "T02", 0, None)
