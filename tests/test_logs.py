"""Service-point logs: add, list (filters, totals, limits, formats), show, void — through
the CLI against real database files with Chinese data, plus the domain API the importer
and the exporter build on."""

from __future__ import annotations

import json
from datetime import date, timedelta

import pytest

from cbtool import clock, logs
from cbtool.errors import Conflict, FieldError, InvalidInput, NotFound
from cbtool.store import open_store

TODAY = date.today().isoformat()


@pytest.fixture(autouse=True)
def same_day(monkeypatch):
    """Today stays the day this module was imported (a run past midnight changes nothing)."""
    monkeypatch.setenv(clock.ENV, TODAY)
STAMPS = ("created_at", "updated_at")
KINDS_ALLOWED = ("visit/走访慰问, aid/帮困救助, employment/就业援助, volunteer/志愿服务, "
                 "study/学习教育, meeting/组织生活, other/其他")


def strip_stamps(record: dict) -> dict:
    for key in STAMPS:
        assert record.pop(key).endswith("Z")
    return record


def log_obj(id, point, date_, kind, title, participants=(), served=0, hours=0.0, note=None,
            ref=None, voided=False, void_reason=None) -> dict:
    return {"id": id, "point": point, "date": date_, "kind": kind, "title": title,
            "participants": list(participants), "served": served, "hours": hours, "note": note,
            "ref": ref, "voided": voided, "void_reason": void_reason, "pairing": None,
            "heading": None, "brand": None}


def listed(cli, *args) -> list[dict]:
    out = cli.ok("logs", "list", *args, "--format", "json").stdout
    return [strip_stamps(r) for r in json.loads(out)]


def ids(cli, *args) -> list[int]:
    return [r["id"] for r in listed(cli, *args)]


def counts(cli) -> tuple[int, int, int]:
    return cli.count("logs"), cli.count("log_participants"), cli.count("audit")


@pytest.fixture
def logged(seeded):
    """Five logs at A01, A02 and the centre over Sep–Nov 2026 (ids 1–5)."""
    seeded.ok("logs", "add", "--point", "A01", "--kind", "走访慰问", "--title", "重阳节走访慰问老党员",
              "--on", "2026年10月11日", "--members", "0001、0003", "--served", "12",
              "--hours", "3.5", "--ref", "JS-2026-001")
    seeded.ok("logs", "add", "--point", "A02", "--kind", "volunteer", "--title", "社区环境清洁",
              "--on", "2026-10-20", "--members", "0002,0004", "--served", "40", "--hours", "8")
    seeded.ok("logs", "add", "--point", "社区党员服务中心", "--kind", "学习教育",
              "--title", "主题党日学习", "--on", "2026/11/03", "--members", "0001 0002 0003 0004",
              "--hours", "2")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "帮困", "--title", "困难家庭帮扶",
              "--on", "20260930", "--served", "3", "--note", "送米送油")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "就业援助", "--title", "招聘信息推送",
              "--on", "2026.11.10", "--members", "0003", "--served", "1", "--hours", "0.5")
    return seeded


# --- add ------------------------------------------------------------------------------


def test_add_as_a_new_user_would(seeded):
    result = seeded.ok("logs", "add", "--point", "A01", "--kind", "走访慰问",
                       "--title", "重阳节走访慰问老党员", "--on", "2026年10月11日",
                       "--members", "0001、0003", "--served", "12", "--hours", "3.5",
                       "--note", "带去慰问品", "--ref", "JS-2026-001")
    assert result.stdout == ""
    assert result.stderr == ("已添加台账记录 #1：2026-10-11 A01 走访慰问“重阳节走访慰问老党员”"
                             "（参加党员 2 人）\n")
    assert seeded.rows("SELECT id, point, date, kind, title, served, hours, note, ref, voided, "
                       "void_reason FROM logs") == [
        (1, "A01", "2026-10-11", "visit", "重阳节走访慰问老党员", 12, 3.5, "带去慰问品",
         "JS-2026-001", 0, None)]
    assert seeded.rows("SELECT log_id, member_no FROM log_participants ORDER BY member_no") == [
        (1, "0001"), (1, "0003")]
    (action, key, changes), = seeded.rows(
        "SELECT action, key, changes FROM audit WHERE table_name = 'logs'")
    assert (action, key) == ("insert", "1")
    assert json.loads(changes) == {
        "point": [None, "A01"], "date": [None, "2026-10-11"], "kind": [None, "visit"],
        "title": [None, "重阳节走访慰问老党员"], "participants": [None, ["0001", "0003"]],
        "served": [None, 12], "hours": [None, 3.5], "note": [None, "带去慰问品"],
        "ref": [None, "JS-2026-001"], "voided": [None, False]}


def test_add_defaults_today_and_zero(seeded):
    seeded.ok("logs", "add", "--point", "A02", "--kind", "other", "--title", "临时活动")
    assert seeded.rows("SELECT date, served, hours, ref FROM logs") == [(TODAY, 0, 0.0, None)]
    assert seeded.count("log_participants") == 0


def test_add_by_point_name_and_the_centre(seeded):
    seeded.ok("logs", "add", "--point", "石化二村居民区党员服务点", "--kind", "aid", "--title", "甲",
              "--on", "2026-11-01")
    seeded.ok("logs", "add", "--point", "社区党员服务中心", "--kind", "meeting", "--title", "乙",
              "--on", "2026-11-02")
    seeded.ok("logs", "add", "--point", "C00", "--kind", "组织生活会", "--title", "丙",
              "--on", "2026-11-02")
    assert seeded.rows("SELECT point, kind FROM logs ORDER BY id") == [
        ("A02", "aid"), ("C00", "meeting"), ("C00", "meeting")]


@pytest.mark.parametrize("members", [
    "0001,0002,0003", "0001;0002;0003", "0001、0002、0003", "0001，0002，0003",
    "0001 0002 0003", "0001；0002 ， 0003", " 0001,,0002、、0003 ", "0001,0002,0001,0003,0002",
])
def test_participant_separators_and_duplicates(seeded, members):
    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
              "--on", "2026-11-01", "--members", members)
    assert seeded.rows("SELECT member_no FROM log_participants ORDER BY member_no") == [
        ("0001",), ("0002",), ("0003",)]
    assert listed(seeded)[0]["participants"] == ["0001", "0002", "0003"]


REJECTIONS = [
    (["--members", "0001、0009、0010"], "参加党员：没有这些党员（编号或姓名）：0009, 0010"),
    (["--members", "0001,赵无名"], "参加党员：没有这些党员（编号或姓名）：赵无名"),
    (["--served", "-1"], "服务人数：“-1”应为不小于 0 的整数"),
    (["--served", "2.5"], "服务人数：“2.5”应为不小于 0 的整数"),
    (["--served", "十二"], "服务人数：“十二”应为不小于 0 的整数"),
    (["--hours", "-2"], "志愿时长：“-2”应为不小于 0 的数"),
    (["--hours", "nan"], "志愿时长：“nan”应为不小于 0 的数"),
    (["--hours", "两小时"], "志愿时长：“两小时”应为不小于 0 的数"),
    (["--on", "2099-01-01"], "日期：2099-01-01 晚于今天"),
    (["--on", "2026-02-30"], "日期：没有这一天：“2026-02-30”（2026 年 2 月只有 28 天）"),
    (["--on", "11/10/2026"], "日期：无法识别的日期“11/10/2026”（可用 2026-11-24、2026/11/24、"
                             "2026.11.24、20261124、2026年11月24日）"),
    (["--kind", "联欢"], f"类型：未知的取值“联欢”（可用：{KINDS_ALLOWED}）"),
    (["--kind", " "], "类型：必填"),
    (["--point", "A99"], "找不到服务点“A99”"),
    (["--point", "石化三村居民区"], "找不到服务点“石化三村居民区”"),
    (["--title", "  "], "活动内容：必填"),
    (["--title", "长" * 201], "活动内容：超过 200 个字符"),
]


@pytest.mark.parametrize(("args", "message"), REJECTIONS)
def test_add_rejections_write_nothing(seeded, args, message):
    base = {"--point": "A01", "--kind": "visit", "--title": "走访", "--on": "2026-11-01"}
    for i in range(0, len(args), 2):
        base[args[i]] = args[i + 1]
    before = counts(seeded)
    result = seeded("logs", "add", *[x for pair in base.items() for x in pair])
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")
    assert counts(seeded) == before


def test_add_rejection_in_english(seeded):
    result = seeded("--lang", "en", "logs", "add", "--point", "A01", "--kind", "visit",
                    "--title", "x", "--members", "0009", "--served", "-3")
    assert (result.exit_code, result.stderr) == (
        1, "participants: no such member (number or name): 0009\n")
    assert seeded.count("logs") == 0


def test_missing_required_option_is_usage(seeded):
    result = seeded("logs", "add", "--point", "A01", "--kind", "visit")
    assert result.exit_code == 2
    assert seeded.count("logs") == 0


def test_duplicate_ref_conflicts_naming_the_log(logged):
    before = counts(logged)
    result = logged("logs", "add", "--point", "A02", "--kind", "visit", "--title", "另一次",
                    "--on", "2026-11-01", "--ref", "JS-2026-001")
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", "外部编号 JS-2026-001 已被台账记录 #1 使用\n")
    assert counts(logged) == before
    # without a ref, or with another one, logs may repeat freely
    logged.ok("logs", "add", "--point", "A02", "--kind", "visit", "--title", "另一次",
              "--on", "2026-11-01", "--ref", "JS-2026-002")
    logged.ok("logs", "add", "--point", "A02", "--kind", "visit", "--title", "另一次",
              "--on", "2026-11-01")
    assert logged.count("logs") == before[0] + 2


# --- list -----------------------------------------------------------------------------


def test_list_json_newest_first(logged):
    assert listed(logged) == [
        log_obj(5, "A01", "2026-11-10", "employment", "招聘信息推送", ["0003"], 1, 0.5),
        log_obj(3, "C00", "2026-11-03", "study", "主题党日学习",
                ["0001", "0002", "0003", "0004"], 0, 2.0),
        log_obj(2, "A02", "2026-10-20", "volunteer", "社区环境清洁", ["0002", "0004"], 40, 8.0),
        log_obj(1, "A01", "2026-10-11", "visit", "重阳节走访慰问老党员", ["0001", "0003"], 12,
                3.5, ref="JS-2026-001"),
        log_obj(4, "A01", "2026-09-30", "aid", "困难家庭帮扶", [], 3, 0.0, note="送米送油"),
    ]


def test_same_day_newest_id_first(seeded):
    for title in ("上午", "下午", "晚上"):
        seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", title,
                  "--on", "2026-11-01")
    assert ids(seeded) == [3, 2, 1]


def test_list_filters(logged):
    assert ids(logged, "--period", "2026-10") == [2, 1]
    assert ids(logged, "--period", "2026-11") == [5, 3]
    assert ids(logged, "--period", "2026-Q3") == [4]
    assert ids(logged, "--period", "2026-10-11..2026-11-03") == [3, 2, 1]
    assert ids(logged, "--point", "A01") == [5, 1, 4]
    assert ids(logged, "--point", "石化一村居民区党员服务点") == [5, 1, 4]
    assert ids(logged, "--point", "社区党员服务中心") == [3]
    assert ids(logged, "--kind", "visit") == [1]
    assert ids(logged, "--kind", "走访慰问") == [1]
    assert ids(logged, "--kind", "学习") == [3]
    assert ids(logged, "--member", "0003") == [5, 3, 1]
    assert ids(logged, "--member", "李娜") == [3, 2]
    assert ids(logged, "--member", "0003", "--period", "2026-11", "--point", "A01") == [5]
    assert ids(logged, "--kind", "meeting") == []


def test_list_by_member_json_has_participant_lists(logged):
    rows = listed(logged, "--member", "0001")
    assert [(r["id"], r["participants"]) for r in rows] == [
        (3, ["0001", "0002", "0003", "0004"]), (1, ["0001", "0003"])]


def test_list_empty_json_and_table(seeded):
    assert seeded.ok("logs", "list", "--format", "json").stdout == "[]\n"
    out = seeded.ok("logs", "list").stdout
    assert out.splitlines()[-1] == "共 0 条，服务群众 0 人次，志愿时长 0 小时"


@pytest.mark.parametrize(("args", "message"), [
    (["--point", "A99"], "找不到服务点“A99”"),
    (["--member", "9999"], "找不到党员“9999”"),
    (["--kind", "联欢"], f"类型：未知的取值“联欢”（可用：{KINDS_ALLOWED}）"),
    (["--period", "2026-13"], "无法识别的期间“2026-13”（可用 2026-11、2026年11月、2026/11；"
                              "2026-Q4、2026Q4、2026年第四季度；2026、2026年；2026-11-01..2026-11-30、"
                              "2026年11月1日至2026年11月30日；this-month、last-month、this-year、"
                              "last-year）"),
])
def test_list_bad_filters(logged, args, message):
    result = logged("logs", "list", *args)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")


def test_list_table_labels_and_totals(logged):
    out = logged.ok("logs", "list", "--period", "2026-10").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["编号", "日期", "服务点", "类型", "活动内容", "参加党员", "服务人数",
                                "志愿时长"]
    # member numbers apart by spaces (a narrow table breaks between them, never inside one)
    assert lines[1].split() == ["2", "2026-10-20", "A02", "志愿服务", "社区环境清洁", "0002", "0004",
                                "40", "8"]
    assert lines[2].split() == ["1", "2026-10-11", "A01", "走访慰问", "重阳节走访慰问老党员",
                                "0001", "0003", "12", "3.5"]
    assert lines[-1] == "共 2 条，服务群众 52 人次，志愿时长 11.5 小时"
    en = logged.ok("--lang", "en", "logs", "list", "--period", "2026-10").stdout.splitlines()
    assert en[0].split() == ["ID", "Date", "Point", "Kind", "Title", "Participants", "Served",
                             "Hours"]
    assert en[2].split()[3] == "Visit"
    assert en[-1] == "2 logs, 52 residents served, 11.5 volunteer hours"


def test_list_md_has_totals(logged):
    out = logged.ok("logs", "list", "--kind", "visit", "--format", "md").stdout
    assert "| 1 | 2026-10-11 | A01 | 走访慰问 | 重阳节走访慰问老党员 | 0001、0003 | 12 | 3.5 |" in out
    assert out.rstrip().endswith("共 1 条，服务群众 12 人次，志愿时长 3.5 小时")


def test_list_csv_and_jsonl(logged):
    out = logged.ok("logs", "list", "--period", "2026-10", "--format", "csv").stdout
    lines = out.splitlines()
    assert lines[0] == ("id,point,date,kind,title,participants,served,hours,note,ref,voided,"
                        "void_reason,pairing,heading,brand,created_at,updated_at")
    assert lines[1].startswith("2,A02,2026-10-20,volunteer,社区环境清洁,\"0002,0004\",40,8.0,,,false,,")
    assert lines[2].startswith('1,A01,2026-10-11,visit,重阳节走访慰问老党员,"0001,0003",12,3.5,,'
                               "JS-2026-001,false,,")
    assert len(lines) == 3
    jl = logged.ok("logs", "list", "--member", "0004", "--format", "jsonl").stdout.splitlines()
    assert [json.loads(line)["participants"] for line in jl] == [
        ["0001", "0002", "0003", "0004"], ["0002", "0004"]]


def test_table_limited_machine_formats_stream_all(seeded):
    first = date(2026, 8, 1)
    with open_store(seeded.db_path) as store, store.transaction():
        for day in range(60):
            logs.add(store, {"point": "A01", "kind": "visit", "title": f"第{day}次",
                             "date": first + timedelta(days=day), "served": "1"})
    lines = seeded.ok("logs", "list").stdout.splitlines()
    assert len(lines) == 1 + 50 + 2
    assert lines[1].split()[:2] == ["60", "2026-09-29"]
    assert lines[-2] == "共 60 条，服务群众 60 人次，志愿时长 0 小时"
    assert lines[-1] == "…… 还有 10 条未显示（--limit N 或 --all 查看更多）"
    short = seeded.ok("logs", "list", "--limit", "5").stdout.splitlines()
    assert len(short) == 1 + 5 + 2 and short[-1].startswith("…… 还有 55 条")
    assert len(seeded.ok("logs", "list", "--all").stdout.splitlines()) == 1 + 60 + 1
    assert len(seeded.ok("logs", "list", "--format", "csv").stdout.splitlines()) == 61
    assert len(seeded.ok("logs", "list", "--format", "jsonl").stdout.splitlines()) == 60
    assert len(json.loads(seeded.ok("logs", "list", "--format", "json").stdout)) == 60


# --- show -----------------------------------------------------------------------------


def test_show_json(logged):
    out = logged.ok("logs", "show", "1", "--format", "json").stdout
    assert strip_stamps(json.loads(out)) == log_obj(
        1, "A01", "2026-10-11", "visit", "重阳节走访慰问老党员", ["0001", "0003"], 12, 3.5,
        ref="JS-2026-001")
    assert json.loads(logged.ok("logs", "show", "#4", "--format", "json").stdout)["id"] == 4


def test_show_table_names_people_and_point(logged):
    out = logged.ok("logs", "show", "1").stdout
    assert "台账记录 #1" in out
    assert "A01 石化一村居民区党员服务点" in out
    assert "0001 张伟、0003 王强" in out
    assert "走访慰问" in out and "有效" in out


def test_show_csv_joins_participants(logged):
    lines = logged.ok("logs", "show", "3", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("id,point,date,kind,title,participants,")
    assert lines[1].startswith('3,C00,2026-11-03,study,主题党日学习,"0001,0002,0003,0004",')


@pytest.mark.parametrize("value", ["99", "abc", "0", "1.5", "#"])
def test_show_unknown(logged, value):
    result = logged("logs", "show", value)
    assert (result.exit_code, result.stdout, result.stderr) == (
        1, "", f"找不到台账记录“{value}”\n")


# --- void -----------------------------------------------------------------------------


def test_void_hides_keeps_and_audits(logged):
    result = logged.ok("logs", "void", "2", "--reason", "重复录入")
    assert result.stderr == "已作废台账记录 #2（重复录入）\n"
    assert ids(logged) == [5, 3, 1, 4]
    assert ids(logged, "--period", "2026-10") == [1]
    assert ids(logged, "--include-voided") == [5, 3, 2, 1, 4]
    assert ids(logged, "--member", "0002", "--include-voided") == [3, 2]
    voided = listed(logged, "--include-voided", "--period", "2026-10")[0]
    assert (voided["voided"], voided["void_reason"]) == (True, "重复录入")
    assert logged.rows("SELECT voided, void_reason FROM logs WHERE id = 2") == [(1, "重复录入")]
    assert logged.count("logs") == 5
    assert logged.rows("SELECT count(*) FROM log_participants WHERE log_id = 2") == [(2,)]
    (changes,) = logged.rows("SELECT changes FROM audit WHERE table_name = 'logs' AND "
                             "action = 'void' AND key = '2'")[0]
    assert json.loads(changes) == {"voided": [False, True], "void_reason": [None, "重复录入"]}
    # the totals leave it out unless asked
    assert logged.ok("logs", "list", "--period", "2026-10").stdout.splitlines()[-1] == (
        "共 1 条，服务群众 12 人次，志愿时长 3.5 小时")
    assert logged.ok("logs", "list", "--period", "2026-10", "--include-voided"
                     ).stdout.splitlines()[-1] == "共 2 条，服务群众 52 人次，志愿时长 11.5 小时"
    table = logged.ok("logs", "list", "--include-voided", "--period", "2026-10").stdout
    assert table.splitlines()[0].split()[-1] == "作废"
    assert table.splitlines()[1].split()[-1] == "已作废"
    # show still finds it
    shown = json.loads(logged.ok("logs", "show", "2", "--format", "json").stdout)
    assert (shown["voided"], shown["void_reason"]) == (True, "重复录入")
    assert "已作废" in logged.ok("logs", "show", "2").stdout


def test_void_twice_rejected(logged):
    logged.ok("logs", "void", "2", "--reason", "重复录入")
    before = counts(logged)
    result = logged("logs", "void", "2", "--reason", "再来一次")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr == f"台账记录 #2 已于 {TODAY} 作废（重复录入）\n"
    assert counts(logged) == before
    assert logged.rows("SELECT void_reason FROM logs WHERE id = 2") == [("重复录入",)]


def test_void_rejections(logged):
    before = counts(logged)
    assert logged("logs", "void", "2").exit_code == 2
    result = logged("logs", "void", "2", "--reason", "  ")
    assert (result.exit_code, result.stderr) == (1, "原因：必填\n")
    result = logged("logs", "void", "42", "--reason", "错误")
    assert (result.exit_code, result.stderr) == (1, "找不到台账记录“42”\n")
    assert counts(logged) == before
    assert logged.rows("SELECT count(*) FROM logs WHERE voided = 1") == [(0,)]


def test_void_in_english(logged):
    result = logged.ok("--lang", "en", "logs", "void", "1", "--reason", "entered twice")
    assert result.stderr == "voided log #1 (entered twice)\n"
    again = logged("--lang", "en", "logs", "void", "1", "--reason", "x")
    assert again.stderr == f"log #1 was voided already on {TODAY} " \
                           "(entered twice)\n"


# --- members show: recent participation -----------------------------------------------


def test_members_show_participation(logged):
    logged.ok("logs", "add", "--point", "A02", "--kind", "visit", "--title", "去年的走访",
              "--on", "2025-12-20", "--members", "0002")
    logged.ok("logs", "void", "2", "--reason", "重复")
    record = json.loads(logged.ok("members", "show", "0002", "--format", "json").stdout)
    part = record["participation"]
    year = date.fromisoformat(TODAY).year
    assert part["year"] == year
    expected_recent = [
        {"id": 3, "date": "2026-11-03", "point": "C00", "kind": "study", "title": "主题党日学习"},
        {"id": 6, "date": "2025-12-20", "point": "A02", "kind": "visit", "title": "去年的走访"},
    ]
    assert part["recent"] == expected_recent
    assert part["count_this_year"] == sum(1 for r in expected_recent
                                          if r["date"].startswith(str(year)))
    table = logged.ok("members", "show", "0002").stdout
    assert "主题党日学习" in table and "学习教育" in table and "社区环境清洁" not in table


# --- custom kinds ---------------------------------------------------------------------


@pytest.fixture
def kinds_config(tmp_path):
    path = tmp_path / "kinds.toml"
    path.write_text('[logs.kinds]\nparty_day = "主题党日"\nvisit = "走访"\n', encoding="utf-8")
    return str(path)


def test_custom_kinds_from_config(seeded, kinds_config):
    seeded.ok("--config", kinds_config, "logs", "add", "--point", "A01", "--kind", "主题党日",
              "--title", "十一月主题党日", "--on", "2026-11-05")
    seeded.ok("--config", kinds_config, "logs", "add", "--point", "A01", "--kind", "走访慰问",
              "--title", "旧标签仍可用", "--on", "2026-11-06")
    assert seeded.rows("SELECT kind FROM logs ORDER BY id") == [("party_day",), ("visit",)]
    table = seeded.ok("--config", kinds_config, "logs", "list").stdout.splitlines()
    assert table[1].split()[3] == "走访" and table[2].split()[3] == "主题党日"
    rows = json.loads(seeded.ok("--config", kinds_config, "logs", "list", "--kind", "主题党日",
                                "--format", "json").stdout)
    assert [r["kind"] for r in rows] == ["party_day"]
    # without the config the kind is unknown
    result = seeded("logs", "add", "--point", "A01", "--kind", "主题党日", "--title", "x",
                    "--on", "2026-11-05")
    assert result.exit_code == 1 and result.stderr.startswith("类型：未知的取值“主题党日”")
    assert seeded.count("logs") == 2


# --- the domain API (importer, exporter, scripts) -------------------------------------


@pytest.fixture
def store(seeded):
    with open_store(seeded.db_path, operator="王芳", command="test") as s:
        yield s


def test_domain_add_get_list_void(store):
    with store.transaction():
        record = logs.add(store, {"point": "A01", "kind": "志愿服务", "title": "敬老院服务",
                                  "date": "2026-11-01", "participants": ["0002", "0001 0002"],
                                  "served": "30", "hours": "6"})
    assert strip_stamps(record) == log_obj(1, "A01", "2026-11-01", "volunteer", "敬老院服务",
                                           ["0001", "0002"], 30, 6.0)
    assert strip_stamps(logs.get(store, 1)) == record
    rows, totals = logs.list_logs(store, period="2026-11", member="0001")
    assert not isinstance(rows, list)  # a stream, not a materialised list
    assert [r["id"] for r in rows] == [1]
    assert totals == {"total": 1, "served": 30, "hours": 6.0}
    with store.transaction():
        after = logs.void(store, 1, "录错了")
    assert (after["voided"], after["void_reason"]) == (True, "录错了")
    rows, totals = logs.list_logs(store)
    assert list(rows) == [] and totals == {"total": 0, "served": 0, "hours": 0.0}
    rows, totals = logs.list_logs(store, include_voided=True, limit=1)
    assert len(list(rows)) == 1 and totals["total"] == 1
    (operator, command), = store.execute(
        "SELECT DISTINCT operator, command FROM audit WHERE table_name = 'logs'").fetchall()
    assert (operator, command) == ("王芳", "test")


def test_domain_errors(store):
    with pytest.raises(NotFound):
        logs.get(store, 1)
    with pytest.raises(FieldError) as exc:
        logs.add(store, {"point": "A01", "kind": "visit", "title": "x",
                         "participants": "0001,0404"})
    assert exc.value.field == "participants"
    assert exc.value.reason("en") == "no such member (number or name): 0404"
    with store.transaction():
        logs.add(store, {"point": "A01", "kind": "visit", "title": "x", "ref": "R1"})
    with pytest.raises(Conflict):
        logs.add(store, {"point": "A01", "kind": "visit", "title": "y", "ref": "R1"})
    with store.transaction():
        logs.void(store, "1", "x")
    with pytest.raises(InvalidInput):
        logs.void(store, 1, "again")


def test_field_parsers_for_the_importer(store):
    parsers = logs.field_parsers(store)
    assert set(parsers) == {"point", "date", "kind", "title", "participants", "served", "hours",
                            "note", "ref", "voided", "void_reason", "pairing", "heading",
                            "brand"}
    assert set(parsers) | {"id", "created_at", "updated_at"} == set(logs.LOG_FIELDS)
    assert parsers["point"]("社区党员服务中心") == "C00"
    assert parsers["date"]("2026年10月11日") == "2026-10-11"
    assert parsers["kind"]("帮困救助") == "aid"
    assert parsers["participants"]("0003、0001，0003") == ["0003", "0001"]
    assert parsers["participants"]("") == []
    assert parsers["participants"]("0001.0") == ["0001"]  # Excel's trailing .0
    assert parsers["served"]("12") == 12 and parsers["served"]("") is None
    assert parsers["hours"]("2.5") == 2.5
    assert parsers["ref"]("12345.0") == "12345"
    assert parsers["voided"]("是") is True and parsers["voided"]("") is None
    for name, value in [("point", "Z9"), ("date", "2026-13-01"), ("date", ""), ("kind", "x"),
                        ("title", ""), ("participants", "0001,0999"), ("served", "-1"),
                        ("hours", "-0.5"), ("voided", "也许"), ("participants", "1E+10")]:
        with pytest.raises(FieldError) as exc:
            parsers[name](value)
        assert exc.value.field == name, (name, value)


def test_void_asks_on_a_terminal_and_yes_skips_the_question(seeded, monkeypatch):
    from cbtool.cli import common

    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访")
    monkeypatch.setattr(common, "stdin_is_terminal", lambda: True)
    declined = seeded("logs", "void", "1", "--reason", "重复", input="n\n")
    assert declined.exit_code == 1
    assert seeded.rows("SELECT voided FROM logs WHERE id = 1") == [(0,)]
    seeded.ok("logs", "void", "1", "--reason", "重复", input="y\n")
    assert seeded.rows("SELECT voided FROM logs WHERE id = 1") == [(1,)]
    seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访二")
    seeded.ok("logs", "void", "2", "--reason", "重复", "--yes")  # no question asked
    assert seeded.rows("SELECT voided FROM logs WHERE id = 2") == [(1,)]
