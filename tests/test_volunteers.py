"""Volunteers and their service: add (residents, and members linked by number), list,
show, edit, serve, void, service with a log (logs add --team --volunteers), the member's
show, certificates, export and import — through the CLI on real database files with
Chinese data, and the domain API from Python."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from cbtool import clock, crews
from cbtool import service as records
from cbtool.config import Config
from cbtool.errors import Conflict, FieldError, InvalidInput
from cbtool.store import open_store

TODAY = "2026-11-25"
ID_ZHAO = "310116196001011235"  # a resident, not a member (check digit valid, male)


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def crew(seeded):
    """Two teams; V001 is member 0001 张伟 (T01), V002 the resident 赵敏 (T01 and T02)."""
    seeded.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
              "--point", "A01")
    seeded.ok("teams", "add", "T02", "--name", "绿色家园", "--field", "环境保护",
              "--unit", "上海石化股份有限公司")
    seeded.ok("volunteers", "add", "V001", "--member", "0001", "--teams", "T01",
              "--registered", "2025-03-01")
    seeded.ok("volunteers", "add", "V002", "--name", "赵敏", "--teams", "T01、T02",
              "--phone", "13900001111", "--area", "A02", "--id-card", ID_ZHAO)
    return seeded


def listed(cli, *args) -> list[dict]:
    return json.loads(cli.ok("volunteers", "list", *args, "--format", "json").stdout)


def service(cli, *args) -> list[dict]:
    return json.loads(cli.ok("volunteers", "service", *args, "--format", "json").stdout)


def test_member_volunteer_takes_the_members_identity(crew):
    v1, v2 = listed(crew)
    assert (v1["name"], v1["gender"], v1["id_card"], v1["phone"], v1["area"], v1["member_no"],
            v1["teams"]) == ("张伟", "M", "310116195003121230", "13812345678", "A01", "0001",
                             ["T01"])
    assert (v2["name"], v2["gender"], v2["member_no"], v2["teams"]) == (
        "赵敏", "M", None, ["T01", "T02"])
    assert v2["registered_on"] == TODAY
    assert [r["volunteer_no"] for r in listed(crew, "--members")] == ["V001"]
    assert [r["volunteer_no"] for r in listed(crew, "--residents")] == ["V002"]
    assert [r["volunteer_no"] for r in listed(crew, "--team", "T02")] == ["V002"]


def test_phones_and_id_numbers_are_masked(crew):
    table = crew.ok("volunteers", "list").stdout
    assert "139****1111" in table and "13900001111" not in table
    shown = crew.ok("volunteers", "show", "V002").stdout
    assert "310***********1235" in shown and ID_ZHAO not in shown
    assert ID_ZHAO in crew.ok("volunteers", "show", "V002", "--reveal").stdout


def test_identity_is_validated_as_members(crew):
    before = crew.count("volunteers"), crew.count("audit")
    cases = [
        ["V003", "--name", "钱多", "--id-card", "310116196001011236"],  # check digit
        ["V003", "--name", "钱多", "--phone", "12345"],
        ["V003", "--member", "9999"],  # no such member
        ["V003", "--member", "0001"],  # member is V001 already
        ["V003", "--member", "0002", "--name", "别人"],  # not the member's name
        ["V003", "--name", "孙丽", "--id-card", ID_ZHAO],  # V002's ID number
        ["V001", "--name", "重复"],
        ["V003"],  # no name, no member
    ]
    for args in cases:
        result = crew("volunteers", "add", *args)
        assert result.exit_code == 1, (args, result.stderr)
        assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert (crew.count("volunteers"), crew.count("audit")) == before


def test_a_members_id_number_suggests_the_link(crew):
    result = crew.ok("volunteers", "add", "V005", "--name", "李娜",
                     "--id-card", "310116198506072024")
    assert "--member 0002" in result.stderr


def test_edit_teams_and_leave(crew):
    crew.ok("volunteers", "edit", "V002", "--teams", "T02", "--note", "周末有空")
    record = json.loads(crew.ok("volunteers", "show", "V002", "--format", "json").stdout)
    assert record["teams"] == ["T02"] and record["note"] == "周末有空"
    crew.ok("volunteers", "edit", "赵敏", "--inactive", "--on", "2026-11-01")
    assert [r["volunteer_no"] for r in listed(crew)] == ["V001"]
    assert crew("volunteers", "serve", "V002", "--hours", "1", "--content", "清扫").exit_code == 1
    crew.ok("volunteers", "edit", "V002", "--active")
    audit = crew.rows("SELECT action, changes FROM audit WHERE table_name = 'volunteers' "
                      "AND key = 'V002' ORDER BY id")
    assert [a for a, _ in audit] == ["insert", "update", "update", "update"]
    assert json.loads(audit[1][1])["teams"] == [["T01", "T02"], ["T02"]]


@pytest.mark.parametrize("typed,hours", [("2", 2), ("1.5", 1.5), ("1.5小时", 1.5),
                                         ("90分钟", 1.5), ("1小时30分", 1.5), ("0.25", 0.25)])
def test_serve_hours_forms(crew, typed, hours):
    crew.ok("volunteers", "serve", "V002", "--hours", typed, "--content", "夜间治安巡逻",
            "--on", "2026-11-20", "--team", "T01")
    [row] = service(crew)
    assert row["hours"] == hours and row["team"] == "T01" and row["log_id"] is None
    minutes = crew.rows("SELECT minutes FROM service")[0][0]
    assert minutes == round(hours * 60)


def test_serve_refuses_bad_input_and_the_same_twice(crew):
    crew.ok("volunteers", "serve", "V001", "--hours", "2", "--content", "夜间治安巡逻",
            "--on", "2026-11-20")
    assert service(crew)[0]["team"] == "T01"  # the volunteer's only team
    for args in (["--hours", "0"], ["--hours", "两小时"], ["--hours", "-1"],
                 ["--hours", "2", "--on", "2026-12-30"]):
        assert crew("volunteers", "serve", "V001", "--content", "别的", *args).exit_code == 1
    twice = crew("volunteers", "serve", "V001", "--hours", "1", "--content", "夜间治安巡逻",
                 "--on", "2026-11-20")
    assert twice.exit_code == 1 and "#1" in twice.stderr
    assert crew.count("service") == 1


def test_log_with_volunteers(crew):
    crew.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "社区环境清洁",
            "--on", "2026-11-10", "--team", "T02", "--volunteers", "V001:2,赵敏:1.5")
    log = json.loads(crew.ok("logs", "show", "1", "--format", "json").stdout)
    assert log["hours"] == 3.5
    rows = service(crew, "--period", "2026-11")
    assert sorted((r["volunteer_no"], r["hours"], r["team"], r["content"], r["log_id"])
                  for r in rows) == [("V001", 2, "T02", "社区环境清洁", 1),
                                     ("V002", 1.5, "T02", "社区环境清洁", 1)]
    shown = crew.ok("logs", "show", "1").stdout
    assert "志愿者及时长" in shown and "赵敏" in shown and "1.5" in shown
    crew.ok("logs", "edit", "1", "--on", "2026-11-12")
    assert {r["date"] for r in service(crew)} == {"2026-11-12"}
    crew.ok("logs", "void", "1", "--reason", "重复录入")
    assert service(crew) == []
    voided = service(crew, "--include-voided")
    assert all(r["voided"] and r["void_reason"] == "重复录入" for r in voided)


def test_log_volunteers_rejected(crew):
    before = crew.count("logs"), crew.count("service"), crew.count("audit")
    base = ["logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "清洁"]
    for extra in (["--volunteers", "V001:2,V002:1", "--hours", "4"],  # not the sum
                  ["--volunteers", "V001"],  # no hours
                  ["--volunteers", "V001:2,V001:1"],  # twice
                  ["--volunteers", "无此人:2"],
                  ["--team", "T01"],  # a team alone
                  ["--team", "T99", "--volunteers", "V001:1"]):
        result = crew(*base, *extra)
        assert result.exit_code == 1, (extra, result.stderr)
    assert (crew.count("logs"), crew.count("service"), crew.count("audit")) == before


def test_void_service(crew):
    crew.ok("volunteers", "serve", "V002", "--hours", "3", "--content", "助老送餐")
    crew.ok("volunteers", "void", "#1", "--reason", "录错人")
    assert service(crew) == []
    again = crew("volunteers", "void", "1", "--reason", "再次")
    assert again.exit_code == 1 and "已作废" in again.stderr
    assert crew("volunteers", "void", "99", "--reason", "x").exit_code == 1
    assert crew.rows("SELECT action FROM audit WHERE table_name = 'service' ORDER BY id") == [
        ("insert",), ("void",)]


def test_member_show_lists_teams_and_hours(crew):
    crew.ok("volunteers", "serve", "V001", "--hours", "2.5", "--content", "政策宣讲",
            "--on", "2026-03-01")
    out = crew.ok("members", "show", "0001").stdout
    assert "志愿服务" in out and "V001" in out and "T01" in out and "2.5 小时" in out
    record = json.loads(crew.ok("members", "show", "0001", "--format", "json").stdout)
    assert record["volunteer"]["hours"] == 2.5
    assert record["volunteer"]["teams"] == [{"code": "T01", "name": "银发巡逻队"}]
    assert json.loads(crew.ok("members", "show", "0002", "--format", "json").stdout)[
        "volunteer"] is None


def test_member_renumber_keeps_the_volunteer(crew):
    crew.ok("members", "renumber", "0001", "0101", "--yes")
    assert listed(crew)[0]["member_no"] == "0101"


def test_certificate(crew, tmp_path):
    crew.ok("volunteers", "serve", "V002", "--hours", "2", "--content", "夜间治安巡逻",
            "--on", "2026-10-03")
    crew.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "重阳敬老",
            "--on", "2026-10-29", "--volunteers", "V002:1.5")
    md = tmp_path / "证明.md"
    crew.ok("volunteers", "certificate", "V002", "--period", "2026", "--out", str(md))
    text = md.read_text(encoding="utf-8")
    assert "志愿服务证明" in text and "ZYZM-2026-0001" in text
    assert "310***********1235" in text and ID_ZHAO not in text
    assert "夜间治安巡逻" in text and "重阳敬老" in text and "3.5" in text
    assert "银发巡逻队、绿色家园" in text and "2026年11月25日" in text
    # reissued: the same number; another volunteer gets the next one
    html = tmp_path / "c.html"
    crew.ok("volunteers", "certificate", "V002", "--period", "2026", "--out", str(html))
    assert "ZYZM-2026-0001" in html.read_text(encoding="utf-8")
    assert crew.count("certificates") == 1
    out = crew.ok("volunteers", "certificate", "--team", "T01", "--period", "2026",
                  "--out", str(tmp_path) + "/").stdout.strip()
    page = open(out, encoding="utf-8").read()
    assert page.count("<section>") == 2 and "ZYZM-2026-0002" in page
    xlsx = tmp_path / "c.xlsx"
    crew.ok("volunteers", "certificate", "V001", "--period", "2026", "--out", str(xlsx))
    assert load_workbook(xlsx).sheetnames == ["V001 张伟"]
    assert crew("volunteers", "certificate", "--period", "2026").exit_code == 2


def test_export_imports_back_and_chinese_import(crew, tmp_path):
    for fmt in ("csv", "xlsx", "json"):
        out = tmp_path / f"v.{fmt}"
        crew.ok("volunteers", "export", "--out", str(out))
        result = crew.ok("volunteers", "import", str(out))
        assert "unchanged 2" in result.stderr or "未变 2" in result.stderr, result.stderr
    path = tmp_path / "志愿者.csv"
    path.write_bytes(("志愿者名册（2026年）\n志愿者编号,姓名,性别,联系电话,居民区,党员编号,所在队伍\n"
                      "V010,孙丽,女,13700002222,A01,,T02\n"
                      "V011,,,,,0003,T01、T02\n").encode("gbk"))
    crew.ok("volunteers", "import", str(path))
    by_no = {r["volunteer_no"]: r for r in listed(crew)}
    assert by_no["V010"]["teams"] == ["T02"] and by_no["V010"]["gender"] == "F"
    assert by_no["V011"]["name"] == "王强" and by_no["V011"]["teams"] == ["T01", "T02"]
    assert crew.ok("volunteers", "import", str(path)).exit_code == 0
    assert crew.count("volunteers") == 4
    bad = tmp_path / "bad.csv"
    bad.write_text("志愿者编号,姓名,党员编号\nV020,周一,\nV021,,9999\n", encoding="utf-8")
    assert crew("volunteers", "import", str(bad)).exit_code == 1
    assert crew.count("volunteers") == 4  # all or nothing


def test_domain_api(crew):
    with open_store(crew.db_path, config=Config(), operator="王芳") as store:
        assert records.parse_minutes("hours", "1小时15分") == 75
        with pytest.raises(FieldError):
            records.parse_minutes("hours", "0分钟")
        with store.transaction():
            row = records.serve(store, "V001", on="2026-11-02", hours="2",
                                   content="文明交通引导")
        assert row["hours"] == 2.0 and row["team"] == "T01"
        with pytest.raises(Conflict):
            records.serve(store, "V001", on="2026-11-02", hours="1",
                             content="文明交通引导")
        with pytest.raises(InvalidInput):
            crews.crew_for_log(store, "T01", None, None)
        assert records.totals(store, "V001")["hours"] == 2.0
        assert records.of_member(store, "0001")["volunteer_no"] == "V001"


def test_summary_and_reports_have_the_volunteers_section(crew, tmp_path):
    crew.ok("teams", "add", "T03", "--name", "文明宣讲团", "--field", "理论宣讲", "--point", "A02",
            "--founded", "2026-11-02")
    crew.ok("volunteers", "serve", "V002", "--hours", "2", "--content", "夜间治安巡逻",
            "--on", "2026-11-03", "--team", "T01")
    crew.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "社区环境清洁",
            "--on", "2026-11-10", "--team", "T02", "--volunteers", "V001:1.5,V002:1")
    crew.ok("volunteers", "serve", "V001", "--hours", "4", "--content", "十月巡逻",
            "--on", "2026-10-03")
    doc = json.loads(crew.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    assert {"members", "logs", "checklist"} <= set(doc)  # the spec's keys stay
    v = doc["volunteers"]
    assert (v["teams"], v["new_teams"], v["volunteers"], v["members"], v["residents"]) == (
        3, 1, 2, 1, 1)
    assert (v["records"], v["hours"], v["idle"], v["new"]) == (3, 4.5, 0, 1)
    assert [(r["team"], r["records"], r["hours"]) for r in v["by_team"]] == [
        ("T01", 1, 2.0), ("T02", 2, 2.5), ("T03", 0, 0.0)]
    assert v["by_field"]["safety"] == 2.0 and v["by_field"]["environment"] == 2.5
    assert doc["labels"]["field"]["safety"] == "平安守护"
    october = json.loads(crew.ok("summary", "-p", "2026-10", "-f", "json").stdout)["volunteers"]
    assert (october["records"], october["hours"], october["idle"]) == (1, 4.0, 1)
    in_a02 = json.loads(crew.ok("summary", "-p", "2026-11", "--area", "A02", "-f", "json")
                        .stdout)["volunteers"]
    assert (in_a02["volunteers"], in_a02["records"], in_a02["hours"], in_a02["teams"]) == (
        1, 2, 3.0, 1)
    table = crew.ok("summary", "-p", "2026-11", env={"COLUMNS": "80"}).stdout
    assert "【志愿服务】" in table and "平安守护" in table
    assert max(len(line) for line in table.splitlines()) <= 80
    for fmt in ("md", "html", "json"):
        out = tmp_path / f"r.{fmt}"
        crew.ok("report", "-p", "2026-11", "-f", fmt, "-o", str(out))
        text = out.read_text(encoding="utf-8")
        assert "赵敏" not in text and "张伟" not in text and "13900001111" not in text
        if fmt != "json":
            assert "各队伍志愿服务" in text and "银发巡逻队" in text
    xlsx = tmp_path / "r.xlsx"
    crew.ok("report", "-p", "2026-11", "-f", "xlsx", "-o", str(xlsx))
    assert "各队伍志愿服务" in load_workbook(xlsx).sheetnames


def test_logs_import_with_a_volunteers_column(crew, tmp_path):
    path = tmp_path / "台账.csv"
    path.write_bytes(("服务点,日期,类型,活动内容,志愿者,志愿者队伍\n"
                      "A01,2026-11-20,志愿服务,楼道清洁,张伟:2、赵敏:1.5,T02\n"
                      "A01,2026-11-21,志愿服务,助老送餐,赵敏:1,\n").encode("gbk"))
    crew.ok("logs", "import", str(path))
    logs = {r["title"]: r for r in json.loads(crew.ok("logs", "list", "-f", "json").stdout)}
    assert logs["楼道清洁"]["hours"] == 3.5 and logs["助老送餐"]["hours"] == 1
    rows = service(crew)
    assert sorted((r["volunteer_no"], r["hours"], r["team"], r["log_id"]) for r in rows) == [
        ("V001", 2, "T02", logs["楼道清洁"]["id"]), ("V002", 1, None, logs["助老送餐"]["id"]),
        ("V002", 1.5, "T02", logs["楼道清洁"]["id"])]
    audit = crew.count("audit")
    again = crew.ok("logs", "import", str(path))  # idempotent
    assert "unchanged 2" in again.stderr and crew.count("audit") == audit
    fix = tmp_path / "更正.csv"
    fix.write_text("服务点,日期,类型,活动内容,志愿者\nA01,2026-11-20,志愿服务,楼道清洁,张伟:3\n",
                   encoding="utf-8")
    crew.ok("logs", "import", str(fix))
    assert sorted((r["volunteer_no"], r["hours"]) for r in service(crew, "--period", "2026-11-20..2026-11-20")
                  ) == [("V001", 3)]
    assert json.loads(crew.ok("logs", "show", str(logs["楼道清洁"]["id"]), "-f", "json").stdout
                      )["hours"] == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("服务点,日期,类型,活动内容,志愿者,志愿时长\n"
                   "A01,2026-11-22,志愿服务,巡逻,张伟:2,5\n"
                   "A01,2026-11-23,志愿服务,巡逻,无此人:2,\n", encoding="utf-8")
    before = crew.count("logs"), crew.count("service")
    result = crew("logs", "import", str(bad))
    assert result.exit_code == 1 and "rejected 2" in result.stderr
    assert (crew.count("logs"), crew.count("service")) == before


def test_imports_undo(crew, tmp_path):
    path = tmp_path / "v.csv"
    path.write_text("志愿者编号,姓名,所在队伍\nV030,钱七,T01\nV002,赵敏,T02\n", encoding="utf-8")
    crew.ok("volunteers", "import", str(path))
    assert crew.rows("SELECT team FROM volunteer_teams WHERE volunteer_no = 'V002'") == [
        ("T02",)]
    logs = tmp_path / "l.csv"
    logs.write_text("服务点,日期,类型,活动内容,志愿者\nA01,2026-11-20,志愿服务,楼道清洁,V001:2\n",
                    encoding="utf-8")
    crew.ok("logs", "import", str(logs))
    batches = json.loads(crew.ok("imports", "--format", "json").stdout)
    crew.ok("imports", "undo", str(batches[0]["id"]), "--yes")
    assert crew.count("logs") == 0 and crew.count("service") == 0
    crew.ok("imports", "undo", str(batches[1]["id"]), "--yes")
    assert [r["volunteer_no"] for r in listed(crew)] == ["V001", "V002"]
    assert crew.rows("SELECT team FROM volunteer_teams WHERE volunteer_no = 'V002' "
                     "ORDER BY team") == [("T01",), ("T02",)]


def test_sample_volunteers(cli, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for out in (a, b):
        cli.ok("sample", "--members", "50", "--logs", "10", "--seed", "3", "--as-of",
               "2026-06-30", "--out", str(out), db=False)
    for name in ("teams.csv", "volunteers.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()
    assert len((a / "volunteers.csv").read_text(encoding="utf-8").splitlines()) == 251
    cli.ok("init", "--sample")
    teams, people = cli.count("teams"), cli.count("volunteers")
    assert 8 <= teams <= 12 and people == 600 and cli.count("service") > 600
    doc = json.loads(cli.ok("summary", "-p", "this-year", "-f", "json").stdout)["volunteers"]
    assert doc["members"] and doc["residents"] and doc["hours"] > 0
    again = cli.ok("init", "--sample")
    assert "inserted 0, updated 0" in again.stderr
    assert (cli.count("teams"), cli.count("volunteers")) == (teams, people)


def test_linking_a_volunteer_to_another_person_is_refused(crew):
    result = crew("volunteers", "edit", "V002", "--member", "0002")  # 赵敏 is not 李娜
    assert result.exit_code == 1 and "李娜" in result.stderr
    crew.ok("volunteers", "add", "V003", "--name", "李娜")
    crew.ok("volunteers", "edit", "V003", "--member", "0002")
    record = json.loads(crew.ok("volunteers", "show", "V003", "-f", "json").stdout)
    assert record["member_no"] == "0002" and record["id_card"] == "310116198506072024"


def test_service_import_and_export(crew, tmp_path):
    path = tmp_path / "巡逻排班.csv"
    path.write_bytes(("2026年11月夜间巡逻登记表\n志愿者,服务日期,服务时长,服务内容,队伍,备注\n"
                      "赵敏,2026-11-03,2小时,夜间治安巡逻,T01,\n"
                      "V001,2026年11月4日,90分钟,夜间治安巡逻,,雨天\n"
                      "合计,,3.5,,,\n").encode("gbk"))
    result = crew("service", "import", str(path))
    assert result.exit_code == 0, result.stderr
    rows = sorted((r["volunteer_no"], r["date"], r["hours"], r["team"], r["note"])
                  for r in service(crew))
    assert rows == [("V001", "2026-11-04", 1.5, "T01", "雨天"),
                    ("V002", "2026-11-03", 2, "T01", None)]
    assert "unchanged 2" in crew.ok("service", "import", str(path)).stderr
    out = tmp_path / "service.xlsx"
    crew.ok("service", "export", "--out", str(out))
    assert "unchanged 2" in crew.ok("service", "import", str(out)).stderr
    fix = tmp_path / "fix.csv"
    fix.write_text("志愿者编号,日期,时长,服务内容,作废,作废原因\n"
                   "V001,2026-11-04,1,夜间治安巡逻,是,当天下雨取消\n", encoding="utf-8")
    crew.ok("service", "import", str(fix))
    assert [r["volunteer_no"] for r in service(crew)] == ["V002"]
    bad = tmp_path / "bad.csv"
    bad.write_text("志愿者编号,日期,时长,服务内容\nV002,2026-11-05,2,清扫\nV009,2026-11-05,2,清扫\n"
                   "V002,2026-11-06,0,清扫\n", encoding="utf-8")
    before = crew.count("service"), crew.count("audit")
    result = crew("service", "import", str(bad))
    assert result.exit_code == 1 and "rejected 2" in result.stderr
    assert (crew.count("service"), crew.count("audit")) == before


def test_member_history_tells_the_service(crew):
    crew.ok("volunteers", "serve", "V001", "--hours", "1.5", "--content", "政策宣讲",
            "--on", "2026-11-02")
    out = crew.ok("members", "show", "0001", "--history").stdout
    assert "志愿服务" in out and "政策宣讲（1.5 小时，T01）" in out
