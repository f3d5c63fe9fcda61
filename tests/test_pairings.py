"""Pairings (结对共建): add, list, show, end through the CLI on real database files with
Chinese data; a log's pairing and heading; the schema m007 brings."""

from __future__ import annotations

import json

import pytest

from cbtool import clock, migrations, pairings
from cbtool.errors import FieldError
from cbtool.store import open_store

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def paired(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--branch",
              "第一党支部", "--contact", "李明", "--phone", "13812345678", "--since",
              "2026年1月1日", "--headings", "党员教育联搞、治安联防")
    return seeded


def test_add_stores_the_pairing_and_audits_it(paired):
    rows = paired.rows("SELECT point, unit, branch, contact, phone, since, until, headings "
                       "FROM pairings")
    assert rows == [("A01", "金山区税务局", "第一党支部", "李明", "13812345678", "2026-01-01",
                     None, "education,security")]
    audit = paired.rows("SELECT action, key FROM audit WHERE table_name = 'pairings'")
    assert audit == [("insert", "1")]


def test_list_masks_the_phone_unless_revealed(paired):
    out = paired.ok("pairings", "list").stdout
    assert "138****5678" in out and "教育、治安" in out
    assert "13812345678" in paired.ok("pairings", "list", "--reveal").stdout
    data = json.loads(paired.ok("pairings", "list", "--format", "json").stdout)
    assert data[0]["phone"] == "13812345678" and data[0]["headings"] == ["education", "security"]
    assert data[0]["active"] is True and data[0]["logs"] == 0


def test_headings_are_required_and_checked(seeded):
    result = seeded("pairings", "add", "--point", "A01", "--unit", "区卫健委", "--headings", "吃饭")
    assert result.exit_code == 1 and "未知的取值“吃饭”" in result.stderr
    assert "Traceback" not in result.stderr and seeded.count("pairings") == 0
    seeded.ok("pairings", "add", "--point", "A02", "--unit", "区卫健委", "--headings", "all")
    assert seeded.rows("SELECT headings FROM pairings") == [
        ("education,ideology,security,welfare,poverty,civility",)]


def test_the_same_unit_twice_at_a_point_is_refused(paired):
    result = paired("pairings", "add", "--point", "A01", "--unit", "金山区税务局",
                    "--headings", "公益事业")
    assert result.exit_code == 1 and "#1" in result.stderr and paired.count("pairings") == 1


def test_a_joint_activity_names_its_pairing_and_heading(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "金山区税务局", "--heading", "党员教育")
    assert paired.rows("SELECT pairing, heading FROM logs") == [(1, "education")]
    shown = paired.ok("logs", "show", "1").stdout
    assert "#1 金山区税务局" in shown and "党员教育联搞" in shown
    out = paired.ok("pairings", "show", "1").stdout
    assert "党员教育联搞 1" in out and "共上党课" in out


def test_a_log_outside_the_pairing_is_refused(paired):
    for args, reason in [
        (["--pairing", "1", "--heading", "文明小区"], "不含“文明小区联建”"),
        (["--pairing", "1", "--point", "A02"], "属于服务点 A01"),
        (["--pairing", "1", "--on", "2025-12-31"], "不含 2025-12-31"),
        (["--heading", "党员教育"], "要和结对单位"),
        (["--pairing", "区卫健委"], "没有与“区卫健委”的结对共建"),
        (["--pairing", "9"], "找不到结对共建记录"),
    ]:
        argv = ["logs", "add", "--kind", "学习", "--title", "活动", *args]
        if "--point" not in args:
            argv += ["--point", "A01"]
        result = paired(*argv)
        assert result.exit_code == 1 and reason in result.stderr, (args, result.stderr)
    assert paired.count("logs") == 0


def test_end_keeps_the_pairing_and_refuses_a_day_before_its_logs(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "1", "--heading", "党员教育")
    result = paired("pairings", "end", "1", "--on", "2026-10-31")
    assert result.exit_code == 1 and "2026-11-02" in result.stderr
    paired.ok("pairings", "end", "1", "--on", "2026-11-20", "--reason", "单位搬迁")
    assert paired.rows("SELECT until, end_reason FROM pairings") == [("2026-11-20", "单位搬迁")]
    assert paired.ok("pairings", "list", "--format", "json").stdout.strip() == "[]"
    ended = json.loads(paired.ok("pairings", "list", "--status", "ended", "--format",
                                 "json").stdout)
    assert [p["id"] for p in ended] == [1]
    assert paired.rows("SELECT action FROM audit WHERE table_name = 'pairings' "
                       "ORDER BY id") == [("insert",), ("end",)]
    assert paired("pairings", "end", "1").exit_code == 1


def test_domain_api(seeded):
    with open_store(seeded.db_path, operator="王芳") as store, store.transaction():
        record = pairings.add(store, {"point": "石化二村居民区", "unit": "上海石化公安处",
                                      "headings": ["社区治安联防", "文明小区"]})
        assert record["point"] == "A02" and record["since"] == TODAY
        with pytest.raises(FieldError) as exc:
            pairings.add(store, {"point": "A02", "unit": "x", "headings": "治安",
                                 "phone": "12345"})
        assert exc.value.field == "phone"


def test_schema_of_m007(cli):
    cli.ok("init")
    names = {r[0] for r in cli.rows("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"pairings", "aid_cases", "aid_helpers", "funds", "fund_income", "aid_given",
            "brands"} <= names
    columns = [r[1] for r in cli.rows("PRAGMA table_info(logs)")]
    assert columns[-3:] == ["pairing", "heading", "brand"]
    assert "m007_pairings_aid" in migrations.known()
    assert cli.count("funds") == 0  # a new database holds no records (db import needs that)


def test_summary_pairings_section(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "1", "--heading", "党员教育")
    paired.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "联合巡逻",
              "--on", "2026-11-09", "--pairing", "1", "--heading", "治安")
    paired.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "十月巡逻",
              "--on", "2026-10-09", "--pairing", "1", "--heading", "治安")
    doc = json.loads(paired.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    section = doc["pairings"]
    assert section["active"] == 1 and section["points_without"] == ["A02"]
    assert section["activities"] == 2
    assert section["by_heading"]["education"] == 1 and section["by_heading"]["security"] == 1
    assert section["by_pairing"] == [{"pairing": 1, "point": "A01", "unit": "金山区税务局",
                                      "logs": 2}]
    area = json.loads(paired.ok("summary", "--period", "2026-11", "--area", "A02", "--format",
                                "json").stdout)["pairings"]
    assert (area["active"], area["activities"], area["points_without"]) == (0, 0, ["A02"])
    out = paired.ok("summary", "--period", "2026-11").stdout
    assert "结对共建 1 个进行中" in out and "社区治安联防 1" in out


# --- import and export ----------------------------------------------------------------------

PAIRINGS_CSV = (
    "序号,服务点,结对单位,党组织,联系人,联系电话,结对时间,共建内容,备注\n"
    "1,A01,金山区税务局,第一党支部,李明,138-1234-5678,2026/1/1,党员教育联搞、治安,\n"
    "2,石化二村居民区,上海石化公安处,治安党支部,周强,021-57941234,2025年9月1日,全部,老朋友\n"
)


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path


def test_import_reads_the_office_file_and_is_idempotent(seeded, tmp_path):
    src = _write(tmp_path / "结对.csv", PAIRINGS_CSV)
    result = seeded.ok("pairings", "import", str(src))
    assert "inserted 2" in result.stderr
    assert seeded.rows("SELECT id, point, unit, phone, since, headings FROM pairings "
                       "ORDER BY id") == [
        (1, "A01", "金山区税务局", "13812345678", "2026-01-01", "education,security"),
        (2, "A02", "上海石化公安处", "021-57941234", "2025-09-01",
         "education,ideology,security,welfare,poverty,civility")]
    assert "unchanged 2" in seeded.ok("pairings", "import", str(src)).stderr
    assert seeded.rows("SELECT count(*) FROM audit WHERE table_name = 'pairings' AND "
                       "batch IS NOT NULL") == [(2,)]


def test_a_bad_row_rejects_the_whole_file(seeded, tmp_path):
    src = _write(tmp_path / "bad.csv", PAIRINGS_CSV + "3,A09,区卫健委,,,,2026-02-01,吃饭,\n")
    result = seeded("pairings", "import", str(src))
    assert result.exit_code == 1 and seeded.count("pairings") == 0
    assert "A09" in result.stderr and "吃饭" in result.stderr


def test_export_imports_back_to_the_same_data(paired, tmp_path):
    paired.ok("pairings", "add", "--point", "A02", "--unit", "区卫健委", "--headings", "公益",
              "--until", "2027-12-31", "--note", "=1+1")
    for fmt, extra in (("csv", []), ("xlsx", []), ("json", []), ("csv", ["--headings", "zh"])):
        out = tmp_path / f"p-{fmt}-{len(extra)}.{fmt}"
        paired.ok("pairings", "export", "--out", str(out), *extra)
        fresh = type(paired)(tmp_path / f"fresh-{fmt}-{len(extra)}.db")
        fresh.ok("init")
        fresh.ok("areas", "add", "A01", "石化一村居民区")
        fresh.ok("areas", "add", "A02", "石化二村居民区")
        fresh.ok("pairings", "import", str(out))
        query = ("SELECT id, point, unit, branch, contact, phone, since, until, headings, note "
                 "FROM pairings ORDER BY id")
        assert fresh.rows(query) == paired.rows(query), (fmt, extra)


def test_imports_undo_removes_the_pairings(seeded, tmp_path):
    seeded.ok("pairings", "import", str(_write(tmp_path / "p.csv", PAIRINGS_CSV)))
    seeded.ok("imports", "undo", "1", "--yes")
    assert seeded.count("pairings") == 0


def test_logs_import_takes_the_pairing_by_unit_name(paired, tmp_path):
    src = _write(tmp_path / "台账.csv",
                 "服务点,日期,活动类型,活动内容,结对单位,共建内容\n"
                 "A01,2026-11-02,学习教育,共上党课,金山区税务局,党员教育\n"
                 "A01,2026-11-03,志愿服务,联合巡逻,1,社区治安联防\n")
    paired.ok("logs", "import", str(src))
    assert paired.rows("SELECT title, pairing, heading FROM logs ORDER BY id") == [
        ("共上党课", 1, "education"), ("联合巡逻", 1, "security")]
    assert "unchanged 2" in paired.ok("logs", "import", str(src)).stderr
    bad = _write(tmp_path / "bad.csv", "服务点,日期,活动类型,活动内容,结对单位,共建内容\n"
                                       "A02,2026-11-02,学习教育,x,金山区税务局,党员教育\n")
    result = paired("logs", "import", str(bad))
    assert result.exit_code == 1 and "没有与“金山区税务局”的结对共建" in result.stderr
    exported = paired.ok("logs", "export", "--headings", "zh").stdout
    assert "结对单位" in exported.splitlines()[0] and "党员教育联搞" in exported


def test_edit_corrects_a_pairing_within_its_activities(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "1", "--heading", "党员教育")
    paired.ok("pairings", "edit", "1", "--phone", "021-57941234", "--clear", "branch",
              "--headings", "教育、文明")
    assert paired.rows("SELECT phone, branch, headings FROM pairings") == [
        ("021-57941234", None, "education,civility")]
    for args, reason in [(["--headings", "治安"], "不能去掉"),
                         (["--since", "2026-11-10"], "2026-11-02"),
                         (["--until", "2026-10-01"], "2026-11-02"),
                         (["--clear", "unit"], "没有可清空的字段")]:
        result = paired("pairings", "edit", "1", *args)
        assert result.exit_code == 1 and reason in result.stderr, (args, result.stderr)
    assert paired.rows("SELECT action FROM audit WHERE table_name = 'pairings' ORDER BY id") \
        == [("insert",), ("update",)]


def test_logs_list_by_pairing(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "1", "--heading", "党员教育")
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "自学",
              "--on", "2026-11-03")
    rows = json.loads(paired.ok("logs", "list", "--pairing", "1", "--format", "json").stdout)
    assert [r["title"] for r in rows] == ["共上党课"]
    assert paired("logs", "list", "--pairing", "9").exit_code == 1
