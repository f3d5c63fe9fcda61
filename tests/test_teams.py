"""Volunteer teams: add, list, show, edit (close, reopen), export and import through the
CLI on real database files with Chinese data, and the domain API from Python."""

from __future__ import annotations

import json

import pytest

from cbtool import clock, teams
from cbtool.config import Config
from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.store import open_store

TODAY = "2026-11-25"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def teamed(seeded):
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
              "--point", "A01", "--leader", "王芳", "--founded", "2020-05-01")
    seeded.ok("teams", "add", "T02", "--name", "绿色家园志愿服务队", "--field", "环保",
              "--unit", "上海石化股份有限公司")
    return seeded


def listed(cli, *args) -> list[dict]:
    return json.loads(cli.ok("teams", "list", *args, "--format", "json").stdout)


def test_add_and_list(teamed):
    rows = listed(teamed)
    assert [(r["code"], r["name"], r["field"], r["point"], r["unit"], r["volunteers"])
            for r in rows] == [
        ("T01", "银发巡逻队", "safety", "A01", None, 0),
        ("T02", "绿色家园志愿服务队", "environment", None, "上海石化股份有限公司", 0)]
    table = teamed.ok("teams", "list").stdout
    assert "平安守护" in table and "环境保护" in table and "共 2 支队伍" in table
    assert [r["code"] for r in listed(teamed, "--field", "环境保护")] == ["T02"]
    assert teamed.count("audit") > 0
    assert teamed.rows("SELECT action FROM audit WHERE table_name = 'teams' AND key = 'T01'") \
        == [("insert",)]


def test_rejected_input_writes_nothing(teamed):
    before = teamed.count("teams"), teamed.count("audit")
    for args in (["T01", "--name", "重复", "--field", "其他"],
                 ["T03", "--name", "无领域", "--field", "唱歌"],
                 ["T03", "--name", "两个组建单位", "--field", "其他", "--point", "A01",
                  "--unit", "某单位"],
                 ["T03", "--name", "没有的服务点", "--field", "其他", "--point", "Z99"]):
        result = teamed("teams", "add", *args)
        assert result.exit_code == 1, args
        assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert (teamed.count("teams"), teamed.count("audit")) == before
    assert "唱歌" in teamed("teams", "add", "T03", "--name", "x", "--field", "唱歌").stderr


def test_close_and_reopen(teamed):
    teamed.ok("teams", "edit", "T02", "--inactive", "--on", "2026-10-01")
    assert [r["code"] for r in listed(teamed)] == ["T01"]
    closed = listed(teamed, "--status", "closed")
    assert [(r["code"], r["active"], r["closed_on"]) for r in closed] == [
        ("T02", False, "2026-10-01")]
    assert "已撤销（2026-10-01）" in teamed.ok("teams", "list", "--status", "all").stdout
    teamed.ok("teams", "edit", "绿色家园志愿服务队", "--active")
    assert [r["code"] for r in listed(teamed)] == ["T01", "T02"]
    actions = teamed.rows("SELECT action FROM audit WHERE table_name = 'teams' AND key = 'T02' "
                          "ORDER BY id")
    assert actions == [("insert",), ("update",), ("update",)]


def test_edit_and_clear(teamed):
    teamed.ok("teams", "edit", "T01", "--leader", "李娜", "--clear", "founded")
    record = json.loads(teamed.ok("teams", "show", "T01", "--format", "json").stdout)
    assert record["leader"] == "李娜" and record["founded_on"] is None
    assert teamed("teams", "edit", "T01", "--clear", "name").exit_code == 1
    assert "没有变化" in teamed.ok("teams", "edit", "T01", "--leader", "李娜").stderr


def test_show_lists_volunteers_and_hours(teamed):
    teamed.ok("volunteers", "add", "V001", "--member", "0001", "--teams", "T01")
    teamed.ok("volunteers", "add", "V002", "--name", "赵敏", "--teams", "T01")
    teamed.ok("volunteers", "serve", "V002", "--hours", "1.5", "--content", "夜间巡逻",
              "--on", "2026-11-20")
    out = teamed.ok("teams", "show", "T01").stdout
    assert "银发巡逻队" in out and "1 次，1.5 小时（2026 年）" in out
    assert "张伟" in out and "赵敏" in out


def test_configured_fields(tmp_path, seeded):
    config = tmp_path / "cbtool.toml"
    config.write_text('[teams.fields]\nmediation = "矛盾调解"\nsafety = "平安巡逻"\n',
                      encoding="utf-8")
    seeded.ok("--config", str(config), "teams", "add", "T09", "--name", "老娘舅调解队",
              "--field", "矛盾调解")
    out = seeded.ok("--config", str(config), "teams", "list").stdout
    assert "矛盾调解" in out
    assert seeded.rows("SELECT field FROM teams WHERE code = 'T09'") == [("mediation",)]


def test_export_imports_back(teamed, tmp_path):
    for fmt in ("csv", "xlsx"):
        out = tmp_path / f"teams.{fmt}"
        teamed.ok("teams", "export", "--out", str(out))
        result = teamed.ok("teams", "import", str(out))
        assert "unchanged 2" in result.stderr or "未变 2" in result.stderr, result.stderr


def test_import_chinese_gbk_file(seeded, tmp_path):
    path = tmp_path / "队伍.csv"
    text = ("金山卫镇志愿者队伍名册\n队伍编号,队伍名称,服务领域,服务点,负责人,成立日期\n"
            "T11,夕阳红助老队,敬老助残,A01,王芳,2019-03-05\n"
            "T12,文明宣讲团,理论宣讲,A02,,2021年7月1日\n")
    path.write_bytes(text.encode("gbk"))
    seeded.ok("teams", "import", str(path))
    rows = listed(seeded)
    assert [(r["code"], r["field"], r["founded_on"]) for r in rows] == [
        ("T11", "elderly", "2019-03-05"), ("T12", "theory", "2021-07-01")]
    again = seeded.ok("teams", "import", str(path))
    assert seeded.count("teams") == 2 and "2" in again.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("队伍编号,队伍名称,服务领域\nT13,好队,唱歌\nT14,另一队,其他\n", encoding="utf-8")
    assert seeded("teams", "import", str(bad)).exit_code == 1
    assert seeded.count("teams") == 2  # all or nothing


def test_domain_api(seeded):
    with open_store(seeded.db_path, config=Config(), operator="王芳") as store:
        with store.transaction():
            record = teams.add(store, {"code": "T21", "name": "邻里守望队", "field": "safety",
                                       "point": "石化一村居民区"})
        assert record["point"] == "A01" and record["active"] is True
        with pytest.raises(Conflict):
            teams.add(store, {"code": "T21", "name": "x", "field": "other"})
        with pytest.raises(FieldError):
            teams.add(store, {"code": "T22", "name": "x", "field": "不存在"})
        with pytest.raises(InvalidInput):
            teams.add(store, {"code": "T22", "name": "x", "field": "other", "point": "A01",
                              "unit": "石化"})
        rows, total = teams.list_teams(store, status="all")
        assert total == 1 and [r["code"] for r in rows] == ["T21"]


def test_templates_of_teams_and_volunteers_import_when_filled(seeded, tmp_path):
    from openpyxl import load_workbook

    for kind, row in (("teams", {"队伍编号": "T31", "队伍名称": "夕阳红助老队", "服务领域": "敬老助残",
                                 "服务点": "A01"}),
                      ("volunteers", {"志愿者编号": "V031", "姓名": "周一", "所在队伍": "T31"})):
        path = tmp_path / f"{kind}.xlsx"
        seeded.ok("template", kind, "--out", str(path))
        book = load_workbook(path)
        sheet = book.worksheets[0]
        headings = [c.value for c in sheet[1]]
        line = sheet.max_row + 1
        for heading, value in row.items():
            sheet.cell(row=line, column=headings.index(heading) + 1, value=value)
        book.save(path)
        seeded.ok(kind, "import", str(path))
    assert seeded.rows("SELECT field, point FROM teams") == [("elderly", "A01")]
    assert seeded.rows("SELECT volunteer_no, team FROM volunteer_teams") == [("V031", "T31")]
