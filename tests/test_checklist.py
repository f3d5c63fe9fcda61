"""The five-haves checklist: record, show, history, gaps — through the CLI against real
database files, plus the domain functions the summary and the importer build on."""

from __future__ import annotations

import json
import sqlite3
from datetime import date, timedelta

import pytest

from cbtool import checklist, clock
from cbtool.errors import FieldError, InvalidInput, NotFound
from cbtool.store import open_store

ITEMS = ["venue", "rules", "board", "av", "ledger"]
NEVER = {"ok": None, "date": None}
D = "2026-11-20"
TODAY = date.today()


@pytest.fixture(autouse=True)
def same_day(monkeypatch):
    """Today stays the day this module was imported (a run past midnight changes nothing)."""
    monkeypatch.setenv(clock.ENV, TODAY.isoformat())


def ago(days: int) -> str:
    return (TODAY - timedelta(days=days)).isoformat()


def row_of(output: str, code: str) -> list[str]:
    """The cells of a plain (piped) table row, split on white space."""
    for line in output.splitlines():
        if line.split()[:1] == [code]:
            return line.split()
    raise AssertionError(f"no row {code} in:\n{output}")


def checks(cli, point: str | None = None) -> list[tuple]:
    where, params = ("WHERE point = ?", (point,)) if point else ("", ())
    return cli.rows(f"SELECT point, item, ok, date, inspector, note FROM checks {where} "
                    "ORDER BY point, date, item", params)


@pytest.fixture
def inspected(seeded):
    """The new user's walk-through: A01 all five in place, A02 partly, the centre never."""
    seeded.ok("checklist", "record", "A01", "--ok", "venue,rules,board,av,ledger", "--on", D)
    seeded.ok("checklist", "record", "A02", "--ok", "场所,制度", "--missing", "电教设备",
              "--on", D)
    return seeded


@pytest.fixture
def six_items(tmp_path):
    path = tmp_path / "six.toml"
    path.write_text(
        '[checklist.items]\nvenue = "有场所"\nrules = "有制度"\nboard = "有党建园地"\n'
        'av = "有电教设备"\nledger = "有工作台帐"\nteam = "有志愿服务队"\n', encoding="utf-8")
    return str(path)


# --- record ---------------------------------------------------------------------------


def test_record_writes_one_dated_check_per_item(seeded):
    result = seeded.ok("--operator", "王芳", "checklist", "record", "A02", "--ok", "场所,制度",
                       "--missing", "电教设备", "--on", "2026年11月20日", "--note", "电教设备损坏")
    assert checks(seeded) == [
        ("A02", "av", 0, D, "王芳", "电教设备损坏"),
        ("A02", "rules", 1, D, "王芳", "电教设备损坏"),
        ("A02", "venue", 1, D, "王芳", "电教设备损坏"),
    ]
    assert result.stdout == ""
    assert result.stderr == "已记录 A02 2026-11-20 的检查：具备 场所、制度；缺 电教\n"


def test_record_defaults_to_today_and_the_operator_and_by_overrides(seeded):
    seeded.ok("--operator", "王芳", "checklist", "record", "A01", "--ok", "av")
    seeded.ok("--operator", "王芳", "checklist", "record", "A01", "--ok", "ledger",
              "--by", "李建华")
    assert checks(seeded) == [("A01", "av", 1, TODAY.isoformat(), "王芳", None),
                              ("A01", "ledger", 1, TODAY.isoformat(), "李建华", None)]


def test_record_finds_the_point_by_name(seeded):
    seeded.ok("checklist", "record", "社区党员服务中心", "--ok", "台账", "--on", D)
    assert [r[:4] for r in checks(seeded)] == [("C00", "ledger", 1, D)]


@pytest.mark.parametrize("word,key", [
    ("venue", "venue"), ("VENUE", "venue"), ("场所", "venue"), ("服务中心", "venue"),
    ("有党员服务中心(场所)", "venue"), ("rules", "rules"), ("制度", "rules"),
    ("board", "board"), ("党建园地", "board"), ("园地", "board"), ("av", "av"),
    ("电教设备", "av"), ("电教", "av"), ("ledger", "ledger"), ("工作台帐", "ledger"),
    ("工作台账", "ledger"), ("台帐", "ledger"), ("台账", "ledger"),
])
def test_item_aliases(seeded, word, key):
    seeded.ok("checklist", "record", "A01", "--missing", word, "--on", D)
    assert [r[:4] for r in checks(seeded)] == [("A01", key, 0, D)]


@pytest.mark.parametrize("ok_words", [
    ["场所、制度、园地、电教、台账"], ["venue，rules；board av,ledger"],
    ["venue,rules", "--ok", "board", "--ok", "av,ledger"], ["all"], ["全部"],
])
def test_separators_repeats_and_all(seeded, ok_words):
    seeded.ok("checklist", "record", "A01", "--ok", *ok_words, "--on", D)
    assert [(r[1], r[2]) for r in checks(seeded)] == sorted((k, 1) for k in ITEMS)


def test_all_means_every_item_not_in_the_other_list(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--missing", "电教", "--on", D)
    seeded.ok("checklist", "record", "A02", "--ok", "制度", "--missing", "all", "--on", D)
    status = {(p, i): ok for p, i, ok, *_ in checks(seeded)}
    assert status == {**{("A01", k): 1 for k in ITEMS}, ("A01", "av"): 0,
                      **{("A02", k): 0 for k in ITEMS}, ("A02", "rules"): 1}


def test_same_day_again_replaces_the_check_and_audits_it(seeded):
    seeded.ok("checklist", "record", "A01", "--missing", "av", "--on", D, "--by", "王芳")
    result = seeded.ok("checklist", "record", "A01", "--ok", "电教", "--on", D, "--by", "李建华",
                       "--note", "已修好")
    assert result.stderr.splitlines()[-1] == "其中 1 项替换了当天的原记录"
    assert checks(seeded, "A01") == [("A01", "av", 1, D, "李建华", "已修好")]
    audit = seeded.rows("SELECT key, action, changes, command FROM audit "
                        "WHERE table_name = 'checks' ORDER BY id")
    assert [(k, a) for k, a, *_ in audit] == [(f"A01/av/{D}", "insert"),
                                             (f"A01/av/{D}", "replace")]
    assert json.loads(audit[1][2]) == {"ok": [False, True], "inspector": ["王芳", "李建华"],
                                       "note": [None, "已修好"]}
    assert audit[1][3].endswith("checklist record")


def test_same_check_again_changes_nothing(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "av", "--on", D, "--by", "王芳")
    audits = seeded.count("audit")
    result = seeded.ok("checklist", "record", "A01", "--ok", "av", "--on", D, "--by", "王芳")
    assert result.stderr.splitlines()[-1] == "其中 1 项与当天的原记录相同，未改动"
    assert seeded.count("checks") == 1
    assert seeded.count("audit") == audits


def test_a_later_check_is_kept_beside_the_earlier_one(inspected):
    inspected.ok("checklist", "record", "A02", "--ok", "av", "--on", "2026-11-24")
    assert [(r[1], r[2], r[3]) for r in checks(inspected, "A02")] == [
        ("av", 0, D), ("rules", 1, D), ("venue", 1, D), ("av", 1, "2026-11-24")]


REJECTIONS = [
    (["A01", "--ok", "场所,foo"],
     "检查项目：未知的取值“foo”（可用：venue/有党员服务中心(场所), rules/有制度, board/有党建园地, "
     "av/有电教设备, ledger/有工作台帐）"),
    (["A01", "--ok", "场所,制度,服务中心"], "检查项目“有党员服务中心(场所)”在 --ok 中出现了两次（场所、服务中心）"),
    (["A01", "--missing", "av", "--missing", "电教"],
     "检查项目“有电教设备”在 --missing 中出现了两次（av、电教）"),
    (["A01", "--ok", "场所,电教", "--missing", "av"], "检查项目“有电教设备”不能同时列入 --ok 和 --missing"),
    (["A01", "--ok", "all,venue"], "检查项目“有党员服务中心(场所)”在 --ok 中出现了两次（all、venue）"),
    (["A01", "--ok", "all", "--missing", "全部"], "--ok 和 --missing 不能都是 all"),
    (["A09", "--ok", "av"], "找不到服务点“A09”"),
    (["A01", "--ok", "av", "--on", "2026-02-30"],
     "日期：没有这一天：“2026-02-30”（2026 年 2 月只有 28 天）"),
    (["A01", "--ok", "av", "--on", "11/20/2026"],
     "日期：无法识别的日期“11/20/2026”（可用 2026-11-24、2026/11/24、2026.11.24、20261124、2026年11月24日）"),
    (["A01", "--ok", "av", "--on", (TODAY + timedelta(days=1)).isoformat()],
     f"日期：{(TODAY + timedelta(days=1)).isoformat()} 晚于今天"),
    (["A01"], "请用 --ok（具备）和/或 --missing（缺）列出检查的项目"),
    (["A01", "--ok", " , 、"], "请用 --ok（具备）和/或 --missing（缺）列出检查的项目"),
]


@pytest.mark.parametrize("args,message", REJECTIONS, ids=['unknown-item', 'named-twice', 'named-twice-repeated-option', 'in-both-lists', 'all-and-an-item', 'all-in-both', 'unknown-point', 'impossible-date', 'unaccepted-date-form', 'future-date', 'no-items', 'empty-items'])
def test_rejections_write_nothing(inspected, args, message):
    before = (inspected.count("checks"), inspected.count("audit"))
    result = inspected("checklist", "record", *args)
    assert result.exit_code == 1
    assert result.stdout == ""
    assert result.stderr == message + "\n"
    assert (inspected.count("checks"), inspected.count("audit")) == before


def test_rejections_in_english(seeded):
    result = seeded("--lang", "en", "checklist", "record", "A01", "--ok", "av", "--missing", "电教")
    assert (result.exit_code, result.stderr) == (
        1, "item av cannot be both in --ok and in --missing\n")
    result = seeded("--lang", "en", "checklist", "record", "A01", "--ok", "foo")
    assert result.stderr.startswith("item: unknown value 'foo' (one of: venue/")


def test_a_bad_item_after_good_ones_writes_nothing_even_for_a_replacement(inspected):
    before = checks(inspected)
    result = inspected("checklist", "record", "A02", "--ok", "电教", "--missing", "园地,制度度",
                       "--on", D)
    assert result.exit_code == 1
    assert checks(inspected) == before


def test_usage_errors_exit_2(seeded):
    assert seeded("checklist", "record", "--ok", "av").exit_code == 2
    assert seeded("checklist", "gaps", "--stale-days", "0").exit_code == 2
    assert seeded("checklist", "show", "--format", "xml").exit_code == 2


# --- show -----------------------------------------------------------------------------


def test_show_table_matrix(inspected):
    out = inspected.ok("checklist", "show").stdout
    lines = out.splitlines()
    assert lines[0].split() == ["编号", "名称", "场所", "制度", "园地", "电教", "台帐"]
    assert [line.split()[0] for line in lines[1:4]] == ["C00", "A01", "A02"]
    assert row_of(out, "C00") == ["C00", "社区党员服务中心", "·", "·", "·", "·", "·"]
    assert row_of(out, "A01") == ["A01", "石化一村居民区党员服务点", *["✓", D] * 5]
    assert row_of(out, "A02") == ["A02", "石化二村居民区党员服务点", "✓", D, "✓", D, "·", "✗", D, "·"]
    assert lines[4] == "五有全部具备：1/3 个服务点（33.3%）"
    assert "\x1b[" not in out  # piped: no colour


def test_show_narrow_table_puts_dates_under_marks(inspected):
    out = inspected.ok("checklist", "show", env={"COLUMNS": "70"}).stdout
    from rich.cells import cell_len

    assert all(cell_len(line.rstrip()) <= 70 for line in out.splitlines())
    assert row_of(out, "A02")[-5:] == ["✓", "✓", "·", "✗", "·"]
    dates = [[t for t in line.split() if t[0].isdigit()] for line in out.splitlines()
             if D in line]
    assert dates[0] == [D] * 5 and dates[1] == [D, D, D]


def test_show_table_in_english(inspected):
    out = inspected.ok("--lang", "en", "checklist", "show").stdout
    assert out.splitlines()[0].split() == ["Point", "Name", "Venue", "Rules", "Party", "board",
                                           "AV", "equipment", "Work", "ledger"]
    assert out.splitlines()[-1] == "all five-haves in place: 1 of 3 points (33.3%)"


def test_show_json_one_object_per_point(inspected):
    data = json.loads(inspected.ok("checklist", "show", "--format", "json").stdout)
    never, fresh = NEVER, {}  # exactly {"ok", "date"} per item: no key of the table's ✓*
    assert data == [
        {"point": "C00", "name": "社区党员服务中心", **dict.fromkeys(ITEMS, never),
         "compliant": False},
        {"point": "A01", "name": "石化一村居民区党员服务点",
         **{k: {"ok": True, "date": D, **fresh} for k in ITEMS}, "compliant": True},
        {"point": "A02", "name": "石化二村居民区党员服务点", "venue": {"ok": True, "date": D, **fresh},
         "rules": {"ok": True, "date": D, **fresh}, "board": never,
         "av": {"ok": False, "date": D, **fresh}, "ledger": never, "compliant": False},
    ]
    # whatever the language: keys and values stay English
    assert json.loads(inspected.ok("--lang", "en", "checklist", "show", "-f", "json").stdout) == data


def test_show_one_point_jsonl_and_csv(inspected):
    out = inspected.ok("checklist", "show", "--point", "石化二村居民区党员服务点", "-f", "jsonl").stdout
    assert out.count("\n") == 1
    assert json.loads(out)["av"] == {"ok": False, "date": D}
    csv_out = inspected.ok("checklist", "show", "-f", "csv").stdout.splitlines()
    assert csv_out[0] == ("point,name,venue_ok,venue_date,rules_ok,rules_date,board_ok,"
                          "board_date,av_ok,av_date,ledger_ok,ledger_date,compliant")
    assert csv_out[3] == f"A02,石化二村居民区党员服务点,true,{D},true,{D},,,false,{D},,,false"
    assert len(csv_out) == 4


def test_show_md(inspected):
    out = inspected.ok("checklist", "show", "-f", "md").stdout
    assert "| 编号 | 名称 | 场所 | 制度 | 园地 | 电教 | 台帐 |" in out
    assert f"| A02 | 石化二村居民区党员服务点 | ✓ {D} | ✓ {D} | · | ✗ {D} | · |" in out


def test_show_unknown_point(seeded):
    result = seeded("checklist", "show", "--point", "A09")
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", "找不到服务点“A09”\n")


def test_show_follows_the_latest_check_and_skips_inactive_points(inspected):
    inspected.ok("checklist", "record", "A02", "--ok", "av,园地,台帐", "--on", "2026-11-24")
    conn = sqlite3.connect(inspected.db_path)  # no command deactivates a point yet
    with conn:
        conn.execute("UPDATE points SET active = 0 WHERE code = 'C00'")
    conn.close()
    out = inspected.ok("checklist", "show").stdout
    assert "C00" not in out
    assert row_of(out, "A02")[2:] == ["✓", D, "✓", D, "✓", "2026-11-24", "✓", "2026-11-24", "✓",
                                      "2026-11-24"]
    assert out.splitlines()[-1] == "五有全部具备：2/2 个服务点（100.0%）"
    # asked for by name, an inactive point is still shown
    assert row_of(inspected.ok("checklist", "show", "--point", "C00").stdout, "C00")[2:] == ["·"] * 5


# --- history --------------------------------------------------------------------------


def test_history_newest_first(inspected):
    inspected.ok("checklist", "record", "A02", "--ok", "av", "--on", "2026-11-24", "--by", "王芳")
    data = json.loads(inspected.ok("checklist", "history", "A02", "-f", "json").stdout)
    assert [(r["date"], r["item"], r["ok"]) for r in data] == [
        ("2026-11-24", "av", True), (D, "venue", True), (D, "rules", True), (D, "av", False)]
    assert set(data[0]) == {"id", "point", "item", "ok", "date", "inspector", "note",
                            "voided", "void_reason", "created_at", "updated_at"}
    assert data[0]["point"] == "A02" and data[0]["inspector"] == "王芳"
    out = inspected.ok("checklist", "history", "A02").stdout
    body = [line.split()[1:] for line in out.splitlines() if line.split()[1:2] and
            line.split()[1].startswith("2026-")]
    assert body[0][:3] == ["2026-11-24", "有电教设备", "✓"]
    assert body[3][:3] == [D, "有电教设备", "✗"]
    assert out.splitlines()[-1] == "共 4 条检查记录"


def test_history_unknown_point_and_empty_history(seeded):
    result = seeded("checklist", "history", "Z9")
    assert (result.exit_code, result.stderr) == (1, "找不到服务点“Z9”\n")
    assert seeded.ok("checklist", "history", "C00", "-f", "json").stdout == "[]\n"


# --- gaps -----------------------------------------------------------------------------


def test_gaps_names_a02_and_not_a01(inspected):
    data = json.loads(inspected.ok("checklist", "gaps", "-f", "json").stdout)
    days = (TODAY - date.fromisoformat(D)).days
    assert data == [
        {"point": "A02", "name": "石化二村居民区党员服务点", "item": "av", "problem": "missing",
         "date": D, "days": days},
        *({"point": "C00", "name": "社区党员服务中心", "item": k, "problem": "never_checked",
           "date": None, "days": None} for k in ITEMS),
        *({"point": "A02", "name": "石化二村居民区党员服务点", "item": k,
           "problem": "never_checked", "date": None, "days": None} for k in ("board", "ledger")),
    ]
    out = inspected.ok("checklist", "gaps").stdout
    assert "A01" not in out
    # one line per point: missing (with the day), never checked, stale
    assert row_of(out, "A02") == ["A02", "石化二村居民区党员服务点", "电教", D, "园地、台帐"]
    assert out.splitlines()[-1] == "需关注 8 项：缺 1，从未检查 7，超过 365 天未检查 0"


def test_gaps_order_and_stale_days(seeded, tmp_path):
    seeded.ok("checklist", "record", "A01", "--ok", "电教", "--on", ago(380))  # not current
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", ago(10))
    seeded.ok("checklist", "record", "A02", "--ok", "all", "--missing", "园地", "--on", ago(400))
    seeded.ok("checklist", "record", "A02", "--missing", "台帐", "--on", ago(20))
    seeded.ok("checklist", "record", "C00", "--ok", "场所,园地,电教,台帐", "--on", ago(400))
    seeded.ok("checklist", "record", "C00", "--ok", "制度", "--on", ago(450))

    def gaps(*args):
        data = json.loads(seeded.ok(*args, "-f", "json").stdout)
        return [(g["point"], g["item"], g["problem"], g["days"]) for g in data]

    missing = [("A02", "board", "missing", 400), ("A02", "ledger", "missing", 20)]
    stale = [("C00", "rules", "stale", 450),
             *(("C00", k, "stale", 400) for k in ("venue", "board", "av", "ledger")),
             *(("A02", k, "stale", 400) for k in ("venue", "rules", "av"))]
    assert gaps("checklist", "gaps") == missing + stale
    assert gaps("checklist", "gaps", "--stale-days", "5") == \
        missing + stale + [("A01", k, "stale", 10) for k in ITEMS]
    assert gaps("checklist", "gaps", "--stale-days", "449") == missing + stale[:1]
    config = tmp_path / "stale.toml"
    config.write_text("[checklist]\nstale_days = 450\n", encoding="utf-8")
    assert gaps("--config", str(config), "checklist", "gaps") == missing
    out = seeded.ok("checklist", "gaps").stdout
    assert out.splitlines()[-1] == "需关注 10 项：缺 2，从未检查 0，超过 365 天未检查 8"
    # one inspection's items together, the oldest first
    assert row_of(out, "C00") == ["C00", "社区党员服务中心", "制度", "450天；场所、园地、电教、台帐", "400天"]


def test_gaps_stale_is_oldest_first(seeded):
    seeded.ok("checklist", "record", "A01", "--ok", "all", "--on", ago(370))
    seeded.ok("checklist", "record", "A02", "--ok", "all", "--on", ago(10))
    seeded.ok("checklist", "record", "A02", "--ok", "园地", "--on", ago(600))
    seeded.ok("checklist", "record", "C00", "--ok", "all", "--on", ago(366))
    seeded.ok("checklist", "record", "C00", "--ok", "场所", "--on", ago(10))
    data = json.loads(seeded.ok("checklist", "gaps", "-f", "json").stdout)
    assert [(g["point"], g["item"], g["days"]) for g in data] == [
        *(("A01", k, 370) for k in ITEMS), *(("C00", k, 366) for k in ITEMS[1:])]


def test_gaps_when_all_is_well(seeded):
    for point in ("C00", "A01", "A02"):
        seeded.ok("checklist", "record", point, "--ok", "all", "--on", D)
    result = seeded.ok("checklist", "gaps")
    assert result.stdout.splitlines()[-1] == "没有需要关注的问题"
    assert seeded.ok("checklist", "gaps", "-f", "json").stdout == "[]\n"
    assert seeded.ok("checklist", "show").stdout.splitlines()[-1] == \
        "五有全部具备：3/3 个服务点（100.0%）"


# --- a custom item list ---------------------------------------------------------------


def test_a_six_item_list_from_the_config(inspected, six_items):
    cli = inspected
    cli.ok("--config", six_items, "checklist", "record", "A01", "--ok", "志愿服务队", "--on", D)
    cli.ok("--config", six_items, "checklist", "record", "A02", "--missing", "team", "--on", D)
    out = cli.ok("--config", six_items, "checklist", "show").stdout
    assert out.splitlines()[0].split() == ["编号", "名称", "场所", "制度", "园地", "电教", "台帐",
                                           "志愿服务队"]
    assert row_of(out, "A01")[2:] == ["✓", D] * 6
    assert row_of(out, "C00")[2:] == ["·"] * 6
    assert out.splitlines()[-1] == "六有全部具备：1/3 个服务点（33.3%）"
    data = json.loads(cli.ok("--config", six_items, "checklist", "show", "-f", "json").stdout)
    assert list(data[1]) == ["point", "name", *ITEMS, "team", "compliant"]
    assert data[2]["team"] == {"ok": False, "date": D}
    header = cli.ok("--config", six_items, "checklist", "show", "-f", "csv").stdout.splitlines()[0]
    assert header.endswith("ledger_ok,ledger_date,team_ok,team_date,compliant")
    gaps = json.loads(cli.ok("--config", six_items, "checklist", "gaps", "-f", "json").stdout)
    assert [(g["point"], g["item"], g["problem"]) for g in gaps][:2] == [
        ("A02", "av", "missing"), ("A02", "team", "missing")]
    assert ("C00", "team", "never_checked") in [(g["point"], g["item"], g["problem"])
                                                for g in gaps]
    # "all" follows the list too
    cli.ok("--config", six_items, "checklist", "record", "C00", "--ok", "all", "--on", D)
    assert cli.count("checks") == 5 + 3 + 2 + 6
    en = cli.ok("--config", six_items, "--lang", "en", "checklist", "show").stdout
    assert en.splitlines()[0].split()[-1] == "team"
    # the default list does not know the sixth item
    result = cli("checklist", "record", "A01", "--ok", "team")
    assert result.exit_code == 1 and "team" in result.stderr


def test_a_shorter_list_drops_the_other_items(seeded, tmp_path):
    config = tmp_path / "three.toml"
    config.write_text('[checklist.items]\nvenue = "有活动阵地"\nrules = "有制度"\n'
                      'flag = "有党旗"\n', encoding="utf-8")
    seeded.ok("--config", str(config), "checklist", "record", "A01", "--ok", "活动阵地,制度,党旗",
              "--on", D)
    result = seeded("--config", str(config), "checklist", "record", "A01", "--ok", "电教")
    assert result.exit_code == 1
    out = seeded.ok("--config", str(config), "checklist", "show").stdout
    assert out.splitlines()[0].split() == ["编号", "名称", "活动阵地", "制度", "党旗"]
    assert out.splitlines()[-1] == "三有全部具备：1/3 个服务点（33.3%）"


# --- the domain functions -------------------------------------------------------------


@pytest.fixture
def store(seeded):
    with open_store(seeded.db_path, operator="测试") as store:
        yield store


def test_matrix_as_of_ignores_later_checks(store):
    with store.transaction():
        checklist.record(store, "A01", None, "av", on="2025-01-10")
        checklist.record(store, "A01", "av", None, on="2025-02-10")

    def av(as_of):
        row = checklist.matrix(store, as_of=as_of)[1]
        assert row["point"] == "A01"
        return row["av"]

    assert av(date(2025, 1, 9)) == NEVER
    assert av(date(2025, 1, 10)) == {"ok": False, "date": "2025-01-10"}
    assert av("2025-02-09") == {"ok": False, "date": "2025-01-10"}
    assert av(date(2025, 2, 10)) == {"ok": True, "date": "2025-02-10"}
    assert av(None) == {"ok": True, "date": "2025-02-10"}
    assert checklist.current(store, "A01", as_of="2025-01-31") == {
        **dict.fromkeys(ITEMS, NEVER), "av": {"ok": False, "date": "2025-01-10"}}
    gaps = checklist.gaps(store, stale_days=30, as_of=date(2025, 2, 1))
    assert gaps[0] == {"point": "A01", "name": "石化一村居民区党员服务点", "item": "av",
                       "problem": "missing", "date": "2025-01-10", "days": 22}


def test_matrix_rows_and_compliance(store):
    with store.transaction():
        checklist.record(store, "A01", "all", None, on=D)
    rows = checklist.matrix(store)
    assert [(r["point"], r["kind"], r["compliant"]) for r in rows] == [
        ("C00", "centre", False), ("A01", "point", True), ("A02", "point", False)]
    assert checklist.compliance(rows) == {"points": 3, "compliant": 1, "rate": 0.3333}
    assert checklist.compliance([]) == {"points": 0, "compliant": 0, "rate": 0.0}
    with pytest.raises(NotFound):
        checklist.matrix(store, point="A09")


def test_record_returns_the_checks_in_item_order(store):
    with store.transaction():
        result = checklist.record(store, "A02", "台账,场所", "园地", on="2026/11/20", by="王芳",
                                  note="备注")
    assert result == [
        {"point": "A02", "item": k, "ok": ok, "date": D, "inspector": "王芳", "note": "备注",
         "result": "inserted"}
        for k, ok in (("venue", True), ("board", False), ("ledger", True))]
    with store.transaction():
        again = checklist.record(store, "A02", "台账", None, on=D, by="测试")
    assert again[0]["result"] == "replaced" and again[0]["inspector"] == "测试"
    with pytest.raises(InvalidInput):
        checklist.record(store, "A02")


def test_upsert_check(store):
    check = {"point": "A01", "item": "av", "ok": False, "date": D, "inspector": "王芳",
             "note": None}
    with store.transaction():
        assert checklist.upsert_check(store, check) == "inserted"
        assert checklist.upsert_check(store, dict(check)) == "unchanged"
        assert checklist.upsert_check(store, {**check, "note": "待修"}) == "replaced"
        assert checklist.upsert_check(store, {**check, "note": "待修", "ok": True}) == "replaced"
        assert checklist.upsert_check(store, {**check, "date": "2026-11-21"}) == "inserted"
    rows = store.execute("SELECT item, ok, date, note FROM checks ORDER BY date").fetchall()
    assert rows == [("av", 1, D, "待修"), ("av", 0, "2026-11-21", None)]
    actions = [r[0] for r in store.execute(
        "SELECT action FROM audit WHERE table_name = 'checks' ORDER BY id")]
    assert actions == ["insert", "replace", "replace", "insert"]


def test_field_parsers_for_the_importer(store):
    parsers = checklist.field_parsers(store)
    assert set(parsers) == {*checklist.CHECK_FIELDS, "voided", "void_reason"}
    row = {"point": "石化一村居民区党员服务点", "item": "工作台账", "ok": "有", "date": "2026.11.20",
           "inspector": " 王芳 ", "note": ""}
    assert {k: parsers[k](v) for k, v in row.items()} == {
        "point": "A01", "item": "ledger", "ok": True, "date": D, "inspector": "王芳",
        "note": None}
    assert parsers["ok"]("✗") is False and parsers["ok"]("否") is False
    for name, value in [("point", "A09"), ("point", ""), ("item", "电视"), ("item", None),
                        ("ok", ""), ("ok", "也许"), ("date", ""), ("date", "2026-11-31"),
                        ("date", (TODAY + timedelta(days=1)).isoformat())]:
        with pytest.raises(FieldError) as err:
            parsers[name](value)
        assert err.value.field == name
