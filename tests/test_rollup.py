"""cbtool rollup: offices' report JSONs, made by cbtool from their own databases, rolled up
into a district's and a district's into a city's; every figure checked against the
databases themselves; duplicates, other periods, foreign and hostile files, missing units."""

from __future__ import annotations

import copy
import json
import os
import shutil
import sqlite3
import stat
from pathlib import Path

import pytest
from conftest import ENV_VARS, Cli, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cbtool import rollup as rollup_mod
from cbtool import rollup_check
from cbtool.config import Config, parse_config
from cbtool.errors import EnvError
from cbtool.fields import parse_period

PERIOD = "2025-11"  # ended: every office's as-of day is 2025-11-30
SIX = ('[checklist.items]\nvenue = "有场所"\nrules = "有制度"\nboard = "有党建园地"\n'
       'av = "有电教设备"\nledger = "有工作台帐"\nteam = "有志愿服务队"\n')
OFFICES = {  # code -> (name, extra config)
    "310116007": ("石化街道党工委", ""),
    "310116008": ("朱泾镇党委", SIX),
    "310116009": ("枫泾镇党委", ""),
}


def office_config(path: Path, code: str, name: str, extra: str = "",
                  parent: str | None = "金山区委") -> Path:
    text = f'[office]\ncode = "{code}"\nname = "{name}"\n'
    text += f'parent = "{parent}"\n' if parent else ""
    path.write_text(text + extra, encoding="utf-8")
    return path


def add_log(db: Path, point: str, day: str, served: int, hours: float, voided: int = 0) -> None:
    conn = sqlite3.connect(db)
    conn.execute("INSERT INTO logs (point, date, kind, title, served, hours, voided) "
                 "VALUES (?, ?, 'visit', '走访慰问', ?, ?, ?)", (point, day, served, hours, voided))
    conn.commit()
    conn.close()


def build_office(cli: Cli, code: str) -> None:
    """Each office its own figures: members added and archived, logs in and out of the
    period, checks that make the compliance rates differ."""
    run = ("--config", str(cli.db_path.with_suffix(".toml")))
    if code == "310116007":
        cli.ok(*run, "members", "add", "--no", "0005", "--name", "赵敏", "--category", "在职",
               "--area", "A01", "--joined", "2025-11-05")
        add_log(cli.db_path, "A01", "2025-11-03", 10, 2.5)
        add_log(cli.db_path, "A01", "2025-11-20", 4, 1.25)
        add_log(cli.db_path, "A02", "2025-10-30", 99, 9.0)  # October: not counted
        cli.ok(*run, "checklist", "record", "A01", "--ok", "all", "--on", "2025-11-01")
        cli.ok(*run, "checklist", "record", "A02", "--ok", "all", "--on", "2025-11-01")
        cli.ok(*run, "checklist", "record", "C00", "--ok", "all", "--on", "2025-11-01")
    elif code == "310116008":
        cli.ok(*run, "members", "archive", "0001", "--reason", "deceased", "--on", "2025-11-20")
        add_log(cli.db_path, "C00", "2025-11-11", 30, 6.0)
        add_log(cli.db_path, "C00", "2025-11-12", 5, 1.0, voided=1)  # voided: not counted
        for point in ("A01", "A02", "C00"):
            cli.ok(*run, "checklist", "record", point, "--ok", "all", "--missing", "team",
                   "--on", "2025-11-02")
    else:  # 310116009: one point compliant of three, no logs
        cli.ok(*run, "checklist", "record", "A02", "--ok", "all", "--on", "2025-11-03")


@pytest.fixture(scope="module")
def offices(tmp_path_factory, seeded_template):
    """Three offices' databases and their report JSONs in a shared directory."""
    base = tmp_path_factory.mktemp("offices")
    shared = base / "shared"
    shared.mkdir()
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(base)
        for code, (name, extra) in OFFICES.items():
            db = base / f"{code}.db"
            shutil.copyfile(seeded_template, db)
            office_config(db.with_suffix(".toml"), code, name, extra)
            cli = Cli(db)
            build_office(cli, code)
            cli.ok("--config", str(db.with_suffix(".toml")), "report", "--period", PERIOD,
                   "--format", "json", "--out", str(shared / f"{code}.json"))
    return base, shared


@pytest.fixture
def shared(offices, tmp_path) -> Path:
    """A copy of the shared directory a test may change."""
    return Path(shutil.copytree(offices[1], tmp_path / "shared"))


@pytest.fixture
def district(tmp_path) -> Path:
    return office_config(tmp_path / "district.toml", "310116", "金山区委", parent="上海市委")


def rollup(cli, config, *args, lang=None):
    head = ["--lang", lang] if lang else []
    return cli(*head, "--config", str(config), "rollup", *map(str, args), db=False)


def rollup_doc(cli, config, *paths, extra=()):
    result = rollup(cli, config, *paths, "--period", PERIOD, "--format", "json", "--out", "-",
                    *extra)
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout), result.stderr


def read(path: Path) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))


# --- the figures, against the databases ------------------------------------------------


def counted(db: Path) -> dict:
    """An office's figures straight from its database, without cbtool."""
    conn = sqlite3.connect(db)
    try:
        one = lambda sql, *a: conn.execute(sql, a).fetchone()[0]  # noqa: E731
        period = ("2025-11-01", "2025-11-30")
        items = 6 if db.stem == "310116008" else 5
        ok = dict(conn.execute("SELECT point, count(DISTINCT item) FROM checks WHERE ok = 1 "
                               "AND voided = 0 GROUP BY point").fetchall())
        points = [r[0] for r in conn.execute("SELECT code FROM points WHERE active = 1")]
        return {
            "members": one("SELECT count(*) FROM members WHERE status = 'active'"),
            "by_category": dict(conn.execute(
                "SELECT category, count(*) FROM members WHERE status = 'active' "
                "GROUP BY category").fetchall()),
            "archived": one("SELECT count(*) FROM members WHERE archived_on BETWEEN ? AND ?",
                            *period),
            "logs": one("SELECT count(*) FROM logs WHERE voided = 0 AND date BETWEEN ? AND ?",
                        *period),
            "served": one("SELECT coalesce(sum(served), 0) FROM logs WHERE voided = 0 "
                          "AND date BETWEEN ? AND ?", *period),
            "hours": one("SELECT coalesce(sum(hours), 0) FROM logs WHERE voided = 0 "
                         "AND date BETWEEN ? AND ?", *period),
            "points": len(points),
            "compliant": sum(1 for p in points if ok.get(p, 0) == items),
        }
    finally:
        conn.close()


def test_the_district_sums_what_the_offices_databases_hold(cli, offices, district, tmp_path):
    base, shared = offices
    out = tmp_path / "district.json"
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "json", "--out", out)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert result.stderr.splitlines()[-1] == "单位 3，缺报 0，拒收 0"
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    doc = read(out)
    figures = [counted(base / f"{code}.db") for code in OFFICES]
    total = lambda key: sum(f[key] for f in figures)  # noqa: E731
    assert doc["members"]["total"] == total("members")
    for category in doc["members"]["by_category"]:
        assert doc["members"]["by_category"][category] == sum(
            f["by_category"].get(category, 0) for f in figures)
    assert doc["members"]["archived"] == total("archived") == 1
    assert doc["members"]["joined"] == 1
    assert (doc["logs"]["total"], doc["logs"]["served"]) == (total("logs"), total("served"))
    assert doc["logs"]["hours"] == pytest.approx(total("hours")) == 9.75
    assert doc["logs"]["by_kind"]["visit"] == total("logs")
    assert (doc["checklist"]["points"], doc["checklist"]["compliant"]) == (
        total("points"), total("compliant"))
    # the rate from the sums (4 of 9), not the mean of the units' rates (1, 0, 1/3)
    assert total("compliant") == 4 and total("points") == 9
    assert doc["checklist"]["rate"] == round(4 / 9, 4)
    assert [u["checklist"]["rate"] for u in doc["units"]] == [1.0, 0.0, round(1 / 3, 4)]
    # items: the union, in order; the six-haves office's team counted where it is missing
    assert doc["checklist"]["items"] == ["venue", "rules", "board", "av", "ledger", "team"]
    assert doc["checklist"]["missing"]["team"] == 3
    assert doc["labels"]["item"]["team"] == "有志愿服务队"
    # who it is from, and what it holds
    assert doc["office"] == {"code": "310116", "name": "金山区委", "parent": "上海市委"}
    assert doc["schema"] == 1 and doc["tool"]["name"] == "cbtool"
    assert doc["period"] == {"label": PERIOD, "start": "2025-11-01", "end": "2025-11-30"}
    assert doc["as_of"] == "2025-11-30" and doc["area"] is None
    assert [u["code"] for u in doc["units"]] == list(OFFICES)
    assert [u["name"] for u in doc["units"]] == [n for n, _ in OFFICES.values()]
    unit = doc["units"][0]
    assert unit["members"]["total"] == figures[0]["members"]
    assert unit["logs"] == {"total": 2, "served": 14, "hours": 3.75, "by_kind": {
        **dict.fromkeys(doc["logs"]["by_kind"], 0), "visit": 2}, "idle_points": 2}
    assert doc["logs"]["idle_points"] == ["310116007/C00", "310116007/A02", "310116008/A01",
                                          "310116008/A02", "310116009/C00", "310116009/A01",
                                          "310116009/A02"]
    assert doc["members"]["by_area"] == [] and doc["logs"]["by_point"] == []
    assert "by_point" not in doc["checklist"]
    assert doc["rollup"] == {"expected": [], "missing": [], "unexpected": [], "refused": [],
                             "duplicates": []}
    text = json.dumps(doc, ensure_ascii=False)
    assert "张伟" not in text and "138" not in text  # counts only, as the reports


def test_the_report_json_says_who_it_is_from(offices):
    doc = read(offices[1] / "310116008.json")
    db = offices[0] / "310116008.db"
    summary = Cli(db).ok("--config", str(db.with_suffix(".toml")), "summary", "--period",
                         PERIOD, "--format", "json").stdout
    assert json.loads(summary) == doc  # the same document
    assert doc["office"] == {"code": "310116008", "name": "朱泾镇党委", "parent": "金山区委"}
    assert doc["checklist"]["items"] == ["venue", "rules", "board", "av", "ledger", "team"]
    assert doc["tool"]["name"] == "cbtool" and doc["tool"]["version"]
    assert doc["schema"] == rollup_mod.SCHEMA == 1
    assert doc["as_of"] == "2025-11-30"


# --- what is named: missing, duplicates, other periods ---------------------------------


def test_expected_units_that_did_not_report_are_named(cli, shared, tmp_path):
    config = office_config(tmp_path / "d.toml", "310116", "金山区委",
                           extra='[rollup]\nexpect = ["310116007", "310116010", "310116008"]\n')
    (shared / "310116009.json").unlink()
    (shared / "310116008.json").unlink()
    doc, err = rollup_doc(cli, config, shared)
    assert "缺报：310116010、310116008" in err
    assert err.splitlines()[-1] == "单位 1，缺报 2，拒收 0"
    assert doc["rollup"]["missing"] == ["310116010", "310116008"]
    result = rollup(cli, config, shared, "--period", PERIOD, "--format", "md", "--out", "-",
                    lang="en")
    assert result.stderr.splitlines()[-2:] == ["missing: 310116010, 310116008",
                                               "units 1, missing 2, refused 0"]
    assert "## Units that did not report" in result.stdout


def test_a_unit_not_expected_is_named_and_rolled_up(cli, shared, tmp_path):
    config = office_config(tmp_path / "d.toml", "310116", "金山区委",
                           extra='[rollup]\nexpect = ["310116007", "310116008"]\n')
    doc, err = rollup_doc(cli, config, shared)
    assert "不在 [rollup] expect 名单中（已汇总）：310116009" in err
    assert len(doc["units"]) == 3 and doc["rollup"]["unexpected"] == ["310116009"]


def test_a_unit_reporting_twice_counts_once_the_newer(cli, shared, district):
    older = read(shared / "310116007.json")
    older["as_of"] = "2025-11-15"
    older["members"]["total"] += 100
    older["members"]["by_category"]["retired"] += 100
    (shared / "z-older.json").write_text(json.dumps(older, ensure_ascii=False), encoding="utf-8")
    doc, err = rollup_doc(cli, district, shared)
    assert (f"单位 310116007 报送了两次：采用 {shared / '310116007.json'}（截至 2025-11-30），"
            f"未采用 {shared / 'z-older.json'}（截至 2025-11-15）") in err
    assert err.splitlines()[-1] == "单位 3，缺报 0，拒收 0"
    assert doc["units"][0]["file"] == str(shared / "310116007.json")
    assert doc["members"]["total"] == sum(read(shared / f"{c}.json")["members"]["total"]
                                          for c in OFFICES)
    assert doc["rollup"]["duplicates"] == [{"code": "310116007",
                                            "kept": str(shared / "310116007.json"),
                                            "dropped": str(shared / "z-older.json")}]


def test_a_report_for_another_period_is_refused_with_its_file(cli, offices, shared, district,
                                                              tmp_path):
    base, _ = offices
    other = tmp_path / "october.json"
    Cli(base / "310116009.db")("report", "--period", "2025-10", "--format", "json",
                               "--out", other)
    out = tmp_path / "out.json"
    result = rollup(cli, district, shared, other, "--period", PERIOD, "--format", "json",
                    "--out", out)
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{other} 是 2025-10 的报告，不是 {PERIOD} 的，拒收"
    assert lines[-2] == "拒收 1 个文件，未写入（--skip-invalid 跳过它们，汇总其余的）"
    assert lines[-1] == "单位 3，缺报 0，拒收 1"
    assert not out.exists()
    result = rollup(cli, district, shared, other, "--period", PERIOD, "--format", "json",
                    "--out", out, "--skip-invalid")
    assert result.exit_code == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "单位 3，缺报 0，拒收 1"
    doc = read(out)
    assert len(doc["units"]) == 3
    assert doc["rollup"]["refused"] == [{"file": str(other), "reason":
                                         f"{other} 是 2025-10 的报告，不是 {PERIOD} 的，拒收"}]


def test_nothing_to_roll_up_is_an_error(cli, district, tmp_path):
    empty = tmp_path / "empty"
    empty.mkdir()
    result = rollup(cli, district, empty, "--period", PERIOD, "--format", "md", "--out", "-")
    assert result.exit_code == 1
    assert result.stderr.splitlines() == ["没有可汇总的报告", "单位 0，缺报 0，拒收 0"]


def test_the_rollup_never_reads_its_own_output(cli, shared, district):
    for _ in range(2):  # the second run finds the first one's file among the reports
        result = rollup(cli, district, shared, "--period", PERIOD, "--format", "json",
                        "--out", shared)
        assert result.exit_code == 0, result.stderr
        assert result.stderr.splitlines()[-1] == "单位 3，缺报 0，拒收 0"
    assert (shared / f"cbtool-rollup-{PERIOD}.json").is_file()


# --- hostile and foreign files ---------------------------------------------------------


def _edit(doc: dict, path: str, value) -> dict:
    doc = copy.deepcopy(doc)
    *head, last = path.split(".")
    target = doc
    for key in head:
        target = target[key]
    target[last] = value
    return doc


HOSTILE = {
    "a list": ("[1, 2, 3]", "不是 cbtool 报告"),
    "another tool's JSON": ('{"period": {"label": "2025-11"}, "members": {}}', "不是 cbtool 报告"),
    "not JSON": ("members,total\n1,2\n", "不是有效的 JSON"),
    "binary": (b"\xff\xfe\x00\x01garbage", "不是 UTF-8"),
    "empty": ("", "不是有效的 JSON"),
    "NaN": ("NaN", "不是有效的 JSON"),
    "deep": ("[" * 100000 + "]" * 100000, "嵌套过深"),
}
EDITS = {
    "a negative count": ("members.total", -5, "members.total 应为 0 到"),
    "a count as text": ("logs.served", "12", "logs.served 应为 0 到"),
    "a fraction of a member": ("members.joined", 1.5, "members.joined 应为 0 到"),
    "true as a count": ("checklist.points", True, "checklist.points 应为 0 到"),
    "an infinite count": ("members.placed", float("inf"), "members.placed 应为 0 到"),
    "a huge count": ("members.placed", 10**30, "members.placed 应为 0 到"),
    "a negative hour": ("logs.hours", -1.0, "logs.hours 应为不小于 0 的数"),
    "by_category not a table": ("members.by_category", [1], "members.by_category 应为由整数"),
    "a newer document": ("schema", 99, "文档版本 99 比本程序能读的（1）新"),
    "no schema": ("schema", None, "schema 应为整数"),
    "an older cbtool's report": ("tool", None, "是旧版 cbtool 的报告"),
    "no office code": ("office.code", None, "没有单位代码"),
    "a code with an escape": ("office.code", "\x1b[31m1", "office.code 应为不超过"),
    "one area only": ("area", "A01", "只统计了居民区 A01"),
    "an as-of outside the period": ("as_of", "2025-12-31", "不在统计期间"),
    "totals that do not add up": ("members.total", 999, "members.total（999）与各项之和"),
    "more compliant than points": ("checklist.compliant", 999, "大于 checklist.points"),
    "a NaN in another section": ("volunteers", {"hours": float("nan")}, "含有 JSON 不允许的数值 NaN"),
    "a negative in another section": ("aid", {"cases": {"open": -1}}, "aid.cases.open"),
}


@pytest.mark.parametrize("name", [*HOSTILE, *EDITS])
def test_hostile_files_are_refused_with_a_clear_line(cli, shared, district, tmp_path, name):
    bad = shared / "bad.json"
    if name in HOSTILE:
        content, expected = HOSTILE[name]
        bad.write_bytes(content if isinstance(content, bytes) else content.encode())
    else:
        key, value, expected = EDITS[name]
        doc = _edit(read(shared / "310116007.json"), key, value)
        if value is None and key in ("schema", "tool"):
            del doc[key]
        text = json.dumps(doc, ensure_ascii=False)  # inf as JSON has it: a number too big
        bad.write_text(text.replace("Infinity", "1e400"), encoding="utf-8")
    out = tmp_path / "out.md"
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "md", "--out", out)
    assert result.exit_code == 1, result.stderr
    first = result.stderr.splitlines()[0]
    assert str(bad) in first and expected in first, first
    assert "Traceback" not in result.stderr and len(first) < 200
    assert not out.exists()
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "md", "--out", out,
                    "--skip-invalid")
    assert result.exit_code == 0
    assert result.stderr.splitlines()[-1] == "单位 3，缺报 0，拒收 1"


JSON = st.recursive(
    st.none() | st.booleans() | st.integers(-10**20, 10**20) | st.floats(allow_nan=False)
    | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                max_size=4),
    max_leaves=20)


def _paths(doc, prefix=()):
    """Every (path to a value) in a report, for a mutation to aim at."""
    for key, value in doc.items() if isinstance(doc, dict) else enumerate(doc):
        yield (*prefix, key)
        if isinstance(value, dict | list):
            yield from _paths(value, (*prefix, key))


@settings(max_examples=examples(100), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_any_damage_to_a_report_is_refused_or_rolled_up_never_a_crash(offices, data):
    """A real report with one value anywhere in it replaced by any JSON value: checked
    and summed, it is a unit or one Refused naming the file; never another exception."""
    report = read(offices[1] / "310116008.json")
    paths = list(_paths(report))
    path = data.draw(st.sampled_from(paths))
    target = report
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = data.draw(JSON)
    period = parse_period(PERIOD)
    try:
        unit = rollup_mod.check(json.loads(json.dumps(report)), "x.json", period)
    except rollup_mod.Refused as exc:
        assert exc.message("zh").startswith("x.json") and len(exc.message("en")) < 300
        return
    doc, _ = rollup_mod.combine([unit], period, Config(office_code="1"))
    assert doc["members"]["total"] >= 0 and 0 <= doc["checklist"]["rate"] <= 1
    from cbtool.report.rollup import render_rollup_html, rollup_sections

    rollup_sections(doc)
    render_rollup_html(doc)


@settings(max_examples=examples(50), deadline=None)
@given(value=JSON)
def test_any_json_at_all_is_refused_or_read(value):
    try:
        rollup_mod.check(value, "x.json", parse_period(PERIOD))
    except rollup_mod.Refused as exc:
        assert exc.message("en").startswith("x.json")


def test_a_huge_file_is_refused_unread(cli, shared, district, monkeypatch):
    monkeypatch.setattr(rollup_check, "MAX_BYTES", 4096)
    (shared / "big.json").write_text("[" + "0," * 5000 + "0]", encoding="utf-8")
    result = rollup(cli, district, shared / "big.json", "--period", PERIOD, "--format", "md",
                    "--out", "-")
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == f"{shared / 'big.json'} 超过 0 MiB，不是 cbtool 报告"


def test_paths_that_are_not_there_or_not_files_are_refused(cli, shared, district, tmp_path):
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)  # never opened: it would wait for a writer
    result = rollup(cli, district, tmp_path / "nowhere.json", "/dev/null", fifo, shared,
                    "--period", PERIOD, "--format", "md", "--out", "-", lang="en")
    assert result.exit_code == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{tmp_path / 'nowhere.json'}: no such file or directory"
    assert lines[1] == "/dev/null is not a regular file"
    assert lines[2] == f"{fifo} is not a regular file"
    assert lines[-1] == "units 3, missing 0, refused 3"


# --- two levels -------------------------------------------------------------------------


def test_a_city_rolls_up_the_districts_rollups(cli, offices, tmp_path):
    base, shared = offices
    first, second = tmp_path / "d1", tmp_path / "d2"
    first.mkdir()
    second.mkdir()
    for code in ("310116007", "310116008"):
        shutil.copy(shared / f"{code}.json", first)
    shutil.copy(shared / "310116009.json", second)
    city_dir = tmp_path / "city"
    city_dir.mkdir()
    for directory, code, name in ((first, "310116", "金山区委"), (second, "310117", "松江区委")):
        config = office_config(tmp_path / f"{code}.toml", code, name, parent="上海市委")
        result = rollup(cli, config, directory, "--period", PERIOD, "--format", "json",
                        "--out", city_dir)
        assert result.exit_code == 0, result.stderr
        shutil.move(city_dir / f"cbtool-rollup-{PERIOD}.json", city_dir / f"{code}.json")
    city = office_config(tmp_path / "city.toml", "310000", "上海市委", parent=None,
                         extra='[rollup]\nexpect = ["310116", "310117", "310118"]\n')
    doc, err = rollup_doc(cli, city, city_dir)
    assert err.splitlines()[-1] == "单位 2，缺报 1，拒收 0"
    figures = [counted(base / f"{code}.db") for code in OFFICES]
    assert doc["members"]["total"] == sum(f["members"] for f in figures)
    assert doc["logs"]["hours"] == pytest.approx(sum(f["hours"] for f in figures))
    assert doc["checklist"]["compliant"] == 4 and doc["checklist"]["points"] == 9
    assert doc["checklist"]["rate"] == round(4 / 9, 4)  # not the mean of 7/12 and 1/3
    assert [(u["code"], u["units"]) for u in doc["units"]] == [("310116", 2), ("310117", 1)]
    assert [u["checklist"]["rate"] for u in doc["units"]] == [round(3 / 6, 4), round(1 / 3, 4)]
    assert "310116/310116008/A01" in doc["logs"]["idle_points"]
    assert len(doc["logs"]["idle_points"]) == 7
    assert doc["office"]["code"] == "310000"
    md = rollup(cli, city, city_dir, "--period", PERIOD, "--format", "md", "--out", "-").stdout
    assert "| 代码 | 单位 | 上级 | 数据截至 | 下属单位（个） | 文件 |" in md


# --- the formats -------------------------------------------------------------------------


def test_every_format_is_written_owner_only_with_the_units(cli, shared, district, tmp_path):
    out = tmp_path / "out"
    out.mkdir()
    for fmt in ("md", "html", "csv", "xlsx", "json"):
        result = rollup(cli, district, shared, "--period", PERIOD, "--format", fmt,
                        "--out", out)
        assert result.exit_code == 0, result.stderr
    names = sorted(p.name for p in out.iterdir())
    stem = f"cbtool-rollup-{PERIOD}"
    assert names == [stem, *(f"{stem}.{e}" for e in ("html", "json", "md", "xlsx"))]
    for path in out.rglob("*"):
        assert stat.S_IMODE(path.stat().st_mode) == (0o700 if path.is_dir() else 0o600)
    md = (out / f"{stem}.md").read_text(encoding="utf-8")
    assert md.splitlines()[0] == f"# 金山区委 党建工作月报汇总 {PERIOD}"
    assert "| 310116008 | 朱泾镇党委 |" in md and "## 五有/六有达标（按单位）" in md
    html = (out / f"{stem}.html").read_text(encoding="utf-8")
    assert html.count("<svg") >= 4 and "各单位在册党员" in html and "枫泾镇党委" in html
    assert "http" not in html.replace('name="viewport"', "")  # opens offline
    csvs = sorted(p.name for p in (out / stem).iterdir())
    assert {"overview.csv", "units.csv", "members_by_unit.csv", "logs_by_unit.csv",
            "checklist_by_unit.csv"} <= set(csvs)
    rows = (out / stem / "checklist_by_unit.csv").read_text(encoding="utf-8-sig").splitlines()
    assert rows[-1] == ",合计,6,9,4,44.4%,2,0"
    book = load_workbook(out / f"{stem}.xlsx", read_only=True)
    assert "报送单位" in book.sheetnames and "党员分布（单位 × 类别）" in book.sheetnames
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "xlsx", "--out", "-")
    assert result.exit_code == 2


def test_an_output_directory_that_is_not_there_is_the_environment(cli, shared, district,
                                                                    tmp_path):
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "json",
                    "--out", tmp_path / "nowhere" / "x.json")
    assert result.exit_code == 3
    assert result.stderr.splitlines() == [f"输出目录不存在：{tmp_path / 'nowhere'}"]


def test_english_headings_and_tally(cli, shared, district):
    result = rollup(cli, district, shared, "--period", PERIOD, "--format", "md", "--out", "-",
                    lang="en")
    assert result.exit_code == 0
    assert result.stdout.startswith(f"# 金山区委 Party-building monthly report roll-up {PERIOD}")
    assert "## Logs by unit" in result.stdout
    assert result.stderr.splitlines()[-1] == "units 3, missing 0, refused 0"


# --- a section this cbtool does not know ----------------------------------------------


def test_a_later_counts_section_rolls_up_by_unit_unchanged(cli, shared, district):
    for code, teams in (("310116007", 2), ("310116008", 3)):
        doc = read(shared / f"{code}.json")
        doc["aid"] = {"given": {"count": teams, "amount": f"{teams}.05",
                                "amount_fen": teams * 100 + 5, "note": "文字"}}
        doc["labels"]["patrols_kind"] = {"elderly": "关爱老人"}
        doc["patrols"] = {"teams": teams, "hours": 10.1, "rate": 0.5, "window_days": 30,
                             "by_kind": {"elderly": teams}, "idle_teams": ["T1"],
                             "by_team": [{"team": "T1", "hours": 10.1}]}
        (shared / f"{code}.json").write_text(json.dumps(doc, ensure_ascii=False),
                                             encoding="utf-8")
    doc, _ = rollup_doc(cli, district, shared)
    assert doc["patrols"] == {"teams": 5, "hours": 20.2, "by_kind": {"elderly": 5},
                                 "idle_teams": ["310116007/T1", "310116008/T1"], "by_team": [],
                                 "window_days": 30}
    assert doc["units"][1]["patrols"] == {"teams": 3, "hours": 10.1, "rate": 0.5,
                                             "window_days": 30, "by_kind": {"elderly": 3},
                                             "idle_teams": 1}
    assert "patrols" not in doc["units"][2]
    # (the third unit's report has this cbtool's own aid section, all zero)
    assert doc["aid"]["given"] == {"count": 5, "amount_fen": 510, "amount": "5.10"}
    assert doc["units"][1]["aid"] == {"given": {"count": 3, "amount": "3.05",
                                                "amount_fen": 305}}
    md = rollup(cli, district, shared, "--period", PERIOD, "--format", "md", "--out", "-").stdout
    assert "## patrols（按单位）" in md
    assert "| 代码 | 单位 | teams | hours | 关爱老人 | idle_teams | window_days |" in md
    assert "| 310116008 | 朱泾镇党委 | 3 | 10.1 | 3 | 1 | 30 |" in md
    assert "|  | **合计** | **5** | **20.2** | **5** | **2** | **30** |" in md


def test_a_figure_of_another_type_than_the_others_is_named_not_counted(cli, shared, district):
    for code, teams in (("310116007", 2), ("310116008", {"open": 3})):
        doc = read(shared / f"{code}.json")
        doc["patrols"] = {"teams": teams, "by_team": [{"team": "T1"}, "junk", 3],
                             "rows": [{"team": "T1"}], "codes": ["T1", 3]}
        (shared / f"{code}.json").write_text(json.dumps(doc, ensure_ascii=False),
                                             encoding="utf-8")
    doc, err = rollup_doc(cli, district, shared)
    assert f"{shared / '310116008.json'}：patrols.teams 与其他单位的类型不同，未计入" in err
    assert doc["patrols"] == {"teams": 2, "by_team": []}  # rows, by any name: not read
    assert doc["units"][0]["patrols"] == {"teams": 2}


# --- the config and the Python API -----------------------------------------------------


def test_rollup_expect_in_the_config(tmp_path):
    cfg = parse_config({"rollup": {"expect": ["310116007", " 310116008 ", "310116007"]}},
                       tmp_path / "c.toml")
    assert cfg.rollup_expect == ["310116007", "310116008"]
    for wrong in ("310116007", ["310116007", 8], [""]):
        with pytest.raises(EnvError) as err:
            parse_config({"rollup": {"expect": wrong}}, tmp_path / "c.toml")
        assert "rollup.expect" in err.value.message("en")
    cfg = parse_config({"rollup": {"expected": []}}, tmp_path / "c.toml")
    assert "rollup.expected" in cfg.warnings[0][0].render("en", **cfg.warnings[0][1])


def unit_reports(template: dict, directory: Path, n: int) -> None:
    for i in range(n):
        doc = copy.deepcopy(template)
        doc["office"] = {"code": f"U{i:04d}", "name": f"第{i}街道", "parent": None}
        (directory / f"U{i:04d}.json").write_text(json.dumps(doc, ensure_ascii=False),
                                                  encoding="utf-8")


def test_the_python_api_rolls_up_without_the_command_line(shared, tmp_path):
    result = rollup_mod.roll_up([shared], parse_period(PERIOD), Config(office_code="310116"))
    assert result.doc is not None and len(result.units) == 3 and not result.refused
    assert result.tally("en") == "units 3, missing 0, refused 0"
    assert rollup_mod.failure(result) is None


@pytest.mark.slow
def test_a_thousand_unit_reports_roll_up(shared, tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    template = read(shared / "310116007.json")
    unit_reports(template, many, 1000)
    result = rollup_mod.roll_up([many], parse_period(PERIOD), Config(office_code="3101"))
    doc = result.doc
    assert len(doc["units"]) == 1000 and not result.refused
    assert doc["members"]["total"] == 1000 * template["members"]["total"]
    assert doc["logs"]["hours"] == pytest.approx(1000 * template["logs"]["hours"])
    assert doc["checklist"]["rate"] == template["checklist"]["rate"]
    assert len(doc["logs"]["idle_points"]) == 1000 * len(template["logs"]["idle_points"])


# --- the cron recipe ---------------------------------------------------------------------


def test_the_district_cron_script(shared, district, tmp_path):
    from test_examples import run_script

    month = tmp_path / "incoming" / PERIOD
    month.parent.mkdir()
    shutil.copytree(shared, month)
    (month / "broken.json").write_text("{", encoding="utf-8")
    out = tmp_path / "reports"
    env = {"CBTOOL_CONFIG": str(district), "CBTOOL_TODAY": "2025-12-01"}
    result = run_script("district-rollup.sh", str(tmp_path / "incoming"), str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert lines[0].startswith(f"{month / 'broken.json'} 不是有效的 JSON")
    assert lines[-1] == "单位 3，缺报 0，拒收 1" and len(lines) == 2  # once, not per format
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"cbtool-rollup-{PERIOD}.{ext}" for ext in ("html", "json", "xlsx")]
    assert all(stat.S_IMODE((out / n).stat().st_mode) == 0o600 for n in names)
    nobody = run_script("district-rollup.sh", str(tmp_path / "incoming"), str(out),
                        env={**env, "CBTOOL_TODAY": "2026-02-10"})  # nothing in for January
    assert nobody.returncode == 1
    assert nobody.stderr.splitlines()[-2:] == ["没有可汇总的报告", "单位 0，缺报 0，拒收 1"]
