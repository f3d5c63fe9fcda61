"""What a logs export writes, a logs import reads back: the team and the volunteers who
served with each log (with their hours), its pairing, heading and brand — exported from a
community, imported in order into a fresh database, exported again to the same files, in
every format and both headings (a GBK csv and an xlsx among them)."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from conftest import Cli
from openpyxl import load_workbook

from cbtool import clock

TODAY = "2026-11-25"
# The order a fresh database loads them: what a later kind refers to comes first.
KINDS = ("areas", "points", "members", "teams", "volunteers", "pairings", "brands", "logs",
         "service")


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def community(seeded):
    """Teams T01/T02; V001 (member 张伟, T01), V002 赵敏 (T01, T02), V003 孙丽 (T02); a
    pairing and a brand; logs with a team, without one (each volunteer's only team),
    voided with their service, without volunteers; service on its own."""
    c = seeded
    c.ok("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护", "--point", "A01")
    c.ok("teams", "add", "T02", "--name", "绿色家园", "--field", "环境保护",
         "--unit", "上海石化股份有限公司")
    c.ok("volunteers", "add", "V001", "--member", "0001", "--teams", "T01",
         "--registered", "2025-03-01")
    c.ok("volunteers", "add", "V002", "--name", "赵敏", "--teams", "T01、T02",
         "--registered", "2025-04-01")
    c.ok("volunteers", "add", "V003", "--name", "孙丽", "--teams", "T02",
         "--registered", "2025-05-01")
    c.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
         "2026年1月1日", "--headings", "党员教育联搞、治安联防")
    c.ok("brands", "add", "--area", "A01", "--name", "石化红管家", "--since", "2025年3月")
    c.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "社区环境清洁",
         "--on", "2026-11-10", "--team", "T02", "--volunteers", "V001:2,赵敏:1.5",
         "--members", "0001", "--pairing", "1", "--heading", "党员教育联搞",
         "--brand", "石化红管家", "--served", "12")
    c.ok("logs", "add", "--point", "A01", "--kind", "志愿服务", "--title", "夜间巡逻",
         "--on", "2026-11-11", "--volunteers", "张伟:1、孙丽:0.25")
    c.ok("logs", "add", "--point", "A02", "--kind", "志愿服务", "--title", "助老送餐",
         "--on", "2026-11-12", "--volunteers", "V002:1", "--team", "T01")
    c.ok("logs", "void", "3", "--reason", "录重了", "--yes")
    c.ok("logs", "add", "--point", "C00", "--kind", "meeting", "--title", "组织生活会",
         "--on", "2026-11-13", "--hours", "2")
    c.ok("volunteers", "serve", "V003", "--hours", "3", "--content", "垃圾分类宣传",
         "--on", "2026-11-14")
    return c


def exported(cli: Cli, kind: str) -> list[dict]:
    return json.loads(cli.ok(kind, "export", "--format", "json").stdout)


def service(cli: Cli) -> list[tuple]:
    return cli.rows("SELECT id, volunteer_no, date, minutes, team, log_id, content, voided, "
                    "void_reason FROM service ORDER BY id")


def test_logs_export_writes_the_team_and_volunteers(community):
    logs = {r["title"]: r for r in exported(community, "logs")}
    assert (logs["社区环境清洁"]["team"], logs["社区环境清洁"]["volunteers"]) == (
        "T02", ["V001:2", "V002:1.5"])
    assert logs["社区环境清洁"]["hours"] == 3.5
    # no team given: each volunteer's only team (T01, T02), which an import gives again
    assert (logs["夜间巡逻"]["team"], logs["夜间巡逻"]["volunteers"]) == (
        None, ["V001:1", "V003:0.25"])
    assert logs["助老送餐"]["voided"] and logs["助老送餐"]["volunteers"] == ["V002:1"]
    assert (logs["组织生活会"]["team"], logs["组织生活会"]["volunteers"]) == (None, [])
    assert (logs["社区环境清洁"]["pairing"], logs["社区环境清洁"]["heading"],
            logs["社区环境清洁"]["brand"]) == (1, "education", 1)
    zh = list(csv.DictReader(io.StringIO(
        community.ok("logs", "export", "--headings", "zh").stdout)))
    first = next(r for r in zh if r["标题"] == "社区环境清洁")
    assert (first["志愿者"], first["志愿者队伍"], first["结对单位"], first["共建内容"],
            first["一居一品"]) == ("V001:2,V002:1.5", "T02", "1", "党员教育联搞", "1")


def test_an_export_reimports_unchanged_into_its_own_database(community, tmp_path):
    before = {kind: exported(community, kind) for kind in KINDS}
    rows, audit = service(community), community.count("audit")
    for fmt, extra in (("csv", ["--headings", "zh", "--encoding", "gbk"]),
                       ("xlsx", []), ("json", [])):
        path = tmp_path / f"logs.{fmt}"
        community.ok("logs", "export", "--out", str(path), *extra)
        result = community.ok("logs", "import", str(path))
        assert "inserted 0, updated 0, unchanged 4" in result.stderr, (fmt, result.stderr)
    assert service(community) == rows and community.count("audit") == audit
    assert {kind: exported(community, kind) for kind in KINDS} == before


def _files(cli: Cli, folder, fmt: str, extra: list[str]) -> dict[str, object]:
    folder.mkdir(exist_ok=True)
    files = {}
    for kind in KINDS:
        files[kind] = folder / f"{kind}.{fmt}"
        cli.ok(kind, "export", "--out", str(files[kind]), *extra)
    return files


# The tool's own stamps (created_at, updated_at): the time of day each was written.
STAMPS = ("created_at", "updated_at")
STAMP = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\dZ| \d\d:\d\d)")  # UTC, or local (zh)


def _xlsx_cells(path) -> list[list[object]]:
    return [[STAMP.sub("T", c) if isinstance(c, str) else c for c in row]
            for sheet in load_workbook(path).worksheets
            for row in sheet.iter_rows(values_only=True)]


def _text(path, encoding: str) -> str:
    return STAMP.sub("T", path.read_bytes().decode(encoding))


@pytest.mark.parametrize(("fmt", "extra"), [
    ("csv", ["--headings", "zh", "--encoding", "gbk"]),  # as an office's Excel keeps it
    ("csv", []), ("tsv", ["--headings", "zh"]), ("json", []), ("jsonl", []),
    ("xlsx", []), ("xlsx", ["--headings", "en"]),
])
def test_a_fresh_database_gets_the_same_files(community, tmp_path, fmt, extra):
    first = _files(community, tmp_path / "first", fmt, extra)
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        result = fresh.ok(kind, "import", str(first[kind]))
        assert "rejected 0" in result.stderr, (kind, result.stderr)
    again = _files(fresh, tmp_path / "again", fmt, extra)
    for kind in KINDS:
        if fmt == "xlsx":
            assert _xlsx_cells(again[kind]) == _xlsx_cells(first[kind]), kind
        else:
            encoding = "gbk" if "gbk" in extra else "utf-8"
            assert _text(again[kind], encoding) == _text(first[kind], encoding), kind
    # the service itself, record for record (the voided log's voided with its reason)
    assert [r[1:] for r in service(fresh)] == sorted(
        [r[1:] for r in service(community)], key=lambda r: (r[4] is None, r[4] or 0, r[0]))
    # and a second import of the same files changes nothing
    audit = fresh.count("audit")
    for kind in KINDS:
        assert "inserted 0, updated 0," in fresh.ok(kind, "import", str(first[kind])).stderr
    assert fresh.count("audit") == audit


def test_a_gbk_logs_file_reads_back_its_chinese_volunteers(community, tmp_path):
    path = tmp_path / "台账.csv"
    community.ok("logs", "export", "--out", str(path), "--headings", "zh",
                 "--encoding", "gbk")
    text = path.read_bytes().decode("gbk")
    assert "志愿者队伍" in text and "V001:2,V002:1.5" in text and "社区环境清洁" in text
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS[:7]:
        out = tmp_path / f"{kind}.json"
        community.ok(kind, "export", "--out", str(out))
        fresh.ok(kind, "import", str(out))
    fresh.ok("logs", "import", str(path))
    assert fresh.rows("SELECT volunteer_no, minutes, team, voided, void_reason FROM service "
                      "WHERE log_id = 3") == [("V002", 60, "T01", 1, "录重了")]
    assert fresh.rows("SELECT volunteer_no, team FROM service WHERE log_id = 2 "
                      "ORDER BY volunteer_no") == [("V001", "T01"), ("V003", "T02")]


def test_a_log_voided_by_an_import_voids_its_service(community, tmp_path):
    path = tmp_path / "void.csv"
    path.write_text("服务点,日期,类型,活动内容,作废,作废原因\n"
                    "A01,2026-11-11,志愿服务,夜间巡逻,是,活动取消\n", encoding="utf-8")
    community.ok("logs", "import", str(path))
    assert community.rows("SELECT voided, void_reason FROM service WHERE log_id = 2") == [
        (1, "活动取消"), (1, "活动取消")]
    log = next(r for r in exported(community, "logs") if r["id"] == 2)
    assert log["voided"] and log["volunteers"] == ["V001:1", "V003:0.25"]


def test_voiding_one_volunteers_service_of_a_log_keeps_its_hours_their_sum(community,
                                                                         tmp_path):
    no = community.rows("SELECT id FROM service WHERE log_id = 1 AND volunteer_no = 'V002'")
    community.ok("volunteers", "void", str(no[0][0]), "--reason", "没来", "--yes")
    log = next(r for r in exported(community, "logs") if r["id"] == 1)
    assert (log["hours"], log["volunteers"]) == (2, ["V001:2"])
    assert community.rows("SELECT changes FROM audit WHERE table_name = 'logs' "
                          "ORDER BY id DESC LIMIT 1") == [('{"hours": [3.5, 2.0]}',)]
    first = _files(community, tmp_path / "first", "csv", [])
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        fresh.ok(kind, "import", str(first[kind]))
    again = next(r for r in exported(fresh, "logs") if r["id"] == 1)
    assert {k: v for k, v in again.items() if k not in STAMPS} == {
        k: v for k, v in log.items() if k not in STAMPS}


def test_service_after_a_team_closed_is_of_no_team_and_travels(community, tmp_path):
    community.ok("teams", "edit", "T02", "--inactive", "--on", "2026-11-15")
    community.ok("logs", "add", "--point", "A02", "--kind", "志愿服务", "--title", "楼道清洁",
                 "--on", "2026-11-16", "--volunteers", "孙丽:2")  # her only team is closed
    assert community.rows("SELECT team FROM service WHERE log_id = 5") == [(None,)]
    first = _files(community, tmp_path / "first", "xlsx", [])
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        assert "rejected 0" in fresh.ok(kind, "import", str(first[kind])).stderr, kind
    assert fresh.rows("SELECT volunteer_no, minutes, team FROM service WHERE log_id = 5") == [
        ("V003", 120, None)]
    assert fresh.rows("SELECT code, active, closed_on FROM teams ORDER BY code") == [
        ("T01", 1, None), ("T02", 0, "2026-11-15")]


def test_a_volunteer_who_left_and_a_closed_team_stay_so_in_a_fresh_database(community,
                                                                            tmp_path):
    community.ok("volunteers", "edit", "V003", "--inactive", "--on", "2026-11-20")
    community.ok("teams", "edit", "T01", "--inactive", "--on", "2026-11-20")
    first = _files(community, tmp_path / "first", "csv", ["--headings", "zh"])
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        fresh.ok(kind, "import", str(first[kind]))
    assert fresh.rows("SELECT volunteer_no, active, left_on FROM volunteers WHERE active = 0"
                      ) == [("V003", 0, "2026-11-20")]
    assert fresh.rows("SELECT code FROM teams WHERE active = 0") == [("T01",)]
