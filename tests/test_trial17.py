"""cbtool rollup tried as a new user would: money in fen must be whole in every section
(a report with 1.5 fen is refused, not summed), and a file that is not JSON is refused
with a line in the user's language (where it went wrong, not Python's English)."""

from __future__ import annotations

import copy
import json
import stat
from pathlib import Path

import pytest
from conftest import Cli

PERIOD = "2026-11"  # the sample's month (ended)


def _roll(cli: Cli, tmp_path: Path, *args: str, code: str = "310116"):
    config = tmp_path / "district.toml"
    config.write_text(f'[office]\ncode = "{code}"\nname = "金山区委"\n', encoding="utf-8")
    out = tmp_path / "out.json"
    result = cli(*args[:2], "--config", str(config), "rollup", *args[2:], "--period", PERIOD,
                 "--format", "json", "--out", str(out), db=False)
    return result, out


def _lines(result) -> list[str]:
    return result.stderr.splitlines()


@pytest.mark.parametrize("where", ["given", "by_form", "a later section"])
def test_fractional_fen_is_refused_wherever_it_is(cli, report, tmp_path, where):
    assert report["aid"]["given"]["amount_fen"] == int(report["aid"]["given"]["amount_fen"])
    doc = copy.deepcopy(report)
    if where == "given":  # a table with text beside it (amount "…")
        doc["aid"]["given"]["amount_fen"] = 1.5
        key = "aid.given.amount_fen"
    elif where == "by_form":
        doc["aid"]["by_form"]["grant"]["amount_fen"] = 100.25
        key = "aid.by_form.grant.amount_fen"
    else:  # a table of numbers only, as a later cbtool's section may carry
        doc["gifts"] = {"given": {"count": 2, "amount_fen": 0.5}}
        key = "gifts.given.amount_fen"
    bad = tmp_path / "unit.json"
    bad.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(bad))
    assert result.exit_code == 1
    first = _lines(result)[0]
    assert first.startswith(f"{bad}：{key} 应为以分计的整数"), first
    assert "Traceback" not in result.stderr
    assert not out.exists()


def test_whole_fen_in_a_later_section_is_summed(cli, report, tmp_path):
    doc = copy.deepcopy(report)
    doc["gifts"] = {"given": {"count": 2, "amount_fen": 150}, "hours": 1.5}
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(unit))
    assert result.exit_code == 0, result.stderr
    rolled = json.loads(out.read_text(encoding="utf-8"))
    assert rolled["aid"]["given"]["amount_fen"] == report["aid"]["given"]["amount_fen"]
    assert rolled["gifts"]["given"] == {"count": 2, "amount_fen": 150}


@pytest.mark.parametrize(("content", "zh", "en"), [
    ("hello {{{", "不是有效的 JSON：第 1 行第 1 列有误",
     "is not valid JSON: error at line 1, column 1"),
    ('{\n  "a": [1,\n  2,,]}', "不是有效的 JSON：第 3 行第 5 列有误",
     "is not valid JSON: error at line 3, column 5"),
    ('{"members": {"total": NaN}}', "不是有效的 JSON：含有 JSON 不允许的数值 NaN",
     "is not valid JSON: it holds NaN, which JSON does not allow"),
    ('[-Infinity]', "不是有效的 JSON：含有 JSON 不允许的数值 -Infinity",
     "is not valid JSON: it holds -Infinity, which JSON does not allow"),
])
def test_a_file_that_is_not_json_is_named_in_the_users_language(cli, tmp_path, content,
                                                                  zh, en):
    bad = tmp_path / "unit.json"
    bad.write_text(content, encoding="utf-8")
    for lang, expected in (("zh", zh), ("en", en)):
        result, out = _roll(cli, tmp_path, "--lang", lang, str(bad))
        assert result.exit_code == 1
        assert _lines(result)[0] == f"{bad} {expected}"
        assert "Expecting" not in result.stderr and "Traceback" not in result.stderr
        assert not out.exists()


def _six(report: dict, code: str) -> dict:
    """The office's report as another unit's that inspects a sixth item (六有)."""
    doc = copy.deepcopy(report)
    doc["office"] = {"code": code, "name": "枫泾镇党委", "parent": None}
    doc["checklist"]["items"] = [*doc["checklist"]["items"], "team"]
    doc["checklist"]["missing"]["team"] = 0
    doc["labels"]["item"]["team"] = "有志愿者队伍"
    return doc


@pytest.mark.parametrize(("lists", "name"), [((5, 6), "五有/六有"), ((6, 6), "六有"),
                                             ((5, 5), "五有")])
def test_a_districts_headings_name_each_checklist_its_units_keep(cli, report, tmp_path,
                                                                 lists, name):
    for i, n in enumerate(lists):
        doc = copy.deepcopy(report) if n == 5 else _six(report, "x")
        doc["office"] = {"code": f"31011600{i}", "name": f"单位{i}", "parent": None}
        (tmp_path / f"u{i}.json").write_text(json.dumps(doc, ensure_ascii=False),
                                             encoding="utf-8")
    config = tmp_path / "district.toml"
    config.write_text('[office]\ncode = "310116"\nname = "金山区委"\n', encoding="utf-8")
    for fmt in ("md", "html"):
        out = tmp_path / f"out.{fmt}"
        cli.ok("--lang", "zh", "--config", str(config), "rollup", str(tmp_path), "--period",
               PERIOD, "--format", fmt, "--out", str(out), db=False)
        text = out.read_text(encoding="utf-8")
        assert f"{name}达标率" in text and f"{name}达标（按单位）" in text
        others = {"五有/六有", "六有", "五有"} - {name}
        for other in others:
            if other not in name:
                assert f"{other}达标率" not in text, other


def test_the_cron_recipe_makes_its_reports_directory_owner_only(report, tmp_path):
    from test_examples import run_script

    month = tmp_path / "incoming" / PERIOD
    month.mkdir(parents=True)
    (month / "310116007.json").write_text(json.dumps(report, ensure_ascii=False),
                                          encoding="utf-8")
    config = tmp_path / "district.toml"
    config.write_text('[office]\ncode = "310116"\nname = "金山区委"\n', encoding="utf-8")
    out = tmp_path / "reports" / "2026"
    env = {"CBTOOL_CONFIG": str(config), "CBTOOL_TODAY": "2026-12-01"}
    result = run_script("district-rollup.sh", str(tmp_path / "incoming"), str(out), env=env)
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o700
    assert sorted(p.name for p in out.iterdir()) == [
        f"cbtool-rollup-{PERIOD}.{ext}" for ext in ("html", "json", "xlsx")]


def test_a_report_of_the_same_days_typed_as_a_range_is_rolled_up(cli, report, tmp_path):
    doc = copy.deepcopy(report)
    doc["period"]["label"] = "2026-11-01..2026-11-30"  # report --period 2026-11-01..2026-11-30
    unit = tmp_path / "unit.json"
    unit.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(unit))
    assert result.exit_code == 0, result.stderr
    rolled = json.loads(out.read_text(encoding="utf-8"))
    assert rolled["period"] == {"label": PERIOD, "start": "2026-11-01", "end": "2026-11-30"}
    assert rolled["members"]["total"] == report["members"]["total"]
    doc["period"] = {"label": "2026-11-01..2026-11-29", "start": "2026-11-01",
                     "end": "2026-11-29"}
    unit.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(unit))
    assert result.exit_code == 1
    assert _lines(result)[0] == f"{unit} 是 2026-11-01..2026-11-29 的报告，不是 {PERIOD} 的，拒收"


def _district(cli: Cli, tmp_path: Path, code: str, *units: Path) -> Path:
    config = tmp_path / f"{code}.toml"
    config.write_text(f'[office]\ncode = "{code}"\nname = "区{code}"\n', encoding="utf-8")
    out = tmp_path / f"{code}.json"
    cli.ok("--config", str(config), "rollup", *map(str, units), "--period", PERIOD,
           "--format", "json", "--out", str(out), db=False)
    return out


def test_a_unit_already_in_a_districts_rollup_is_not_counted_twice(cli, report, tmp_path):
    unit = tmp_path / "in" / "310116007.json"
    unit.parent.mkdir()
    unit.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    district = _district(cli, tmp_path, "310116", unit)
    city = tmp_path / "city"
    city.mkdir()
    (city / "310116.json").write_bytes(district.read_bytes())
    (city / "310116007.json").write_bytes(unit.read_bytes())  # sent to the city as well
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(city), code="310000")
    assert result.exit_code == 1
    assert _lines(result)[0] == (f"{city / '310116007.json'}：单位 310116007 已计入 310116 的汇总"
                                 f"（{city / '310116.json'}），不能再计一次，拒收")
    assert not out.exists()
    result, out = _roll(cli, tmp_path, "--lang", "zh", str(city), "--skip-invalid",
                        code="310000")
    assert result.exit_code == 0, result.stderr
    rolled = json.loads(out.read_text(encoding="utf-8"))
    assert rolled["members"]["total"] == report["members"]["total"]  # once
    assert [u["code"] for u in rolled["units"]] == ["310116"]
    assert _lines(result)[-1] == "单位 1，缺报 0，拒收 1"


def test_two_rollups_sharing_a_unit_are_not_both_counted(cli, report, tmp_path):
    unit = tmp_path / "310116007.json"
    unit.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    first = _district(cli, tmp_path, "310116", unit)
    second = _district(cli, tmp_path, "310117", unit)  # the same office in two districts
    result, out = _roll(cli, tmp_path, "--lang", "en", str(first), str(second),
                        "--skip-invalid", code="310000")
    assert result.exit_code == 0, result.stderr
    assert _lines(result)[0] == (f"{second}: unit 310116007 is already counted in 310116's "
                                 f"roll-up ({first}); refused, so as not to count it twice")
    rolled = json.loads(out.read_text(encoding="utf-8"))
    assert rolled["members"]["total"] == report["members"]["total"]


def test_rates_in_the_workbooks_are_numbers_shown_as_percent(cli, report, tmp_path):
    from openpyxl import load_workbook

    unit = tmp_path / "310116007.json"
    unit.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    config = tmp_path / "district.toml"
    config.write_text('[office]\ncode = "310116"\nname = "金山区委"\n', encoding="utf-8")
    out = tmp_path / "d.xlsx"
    cli.ok("--config", str(config), "rollup", str(unit), "--period", PERIOD, "--format", "xlsx",
           "--out", str(out), db=False)
    cl = report["checklist"]
    sheet = load_workbook(out)["五有达标（按单位）"]
    rows = list(sheet.iter_rows(min_row=1))
    col = [c.value for c in rows[0]].index("五有达标率")
    cell = rows[1][col]
    assert cell.value == pytest.approx(cl["compliant"] / cl["points"])
    assert cell.number_format == "0.0%"
    kinds = load_workbook(out)["台账类型"]
    shares = [r[2] for r in kinds.iter_rows(min_row=2)]
    assert all(isinstance(c.value, int | float) and c.number_format == "0.0%" for c in shares)
    md = tmp_path / "d.md"
    cli.ok("--config", str(config), "rollup", str(unit), "--period", PERIOD, "--format", "md",
           "--out", str(md), db=False)
    assert f"{100 * cl['compliant'] / cl['points']:.1f}%" in md.read_text(encoding="utf-8")


def _prints_on_a4(sheet) -> None:
    assert sheet.page_setup.paperSize == 9, sheet.title  # A4
    assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
    assert sheet.sheet_properties.pageSetUpPr.fitToPage
    assert sheet.print_title_rows == "$1:$1"
    assert "&P" in sheet.oddFooter.center.text


def test_the_workbooks_print_on_a4_wide_tables_landscape(cli, report, tmp_path):
    from openpyxl import load_workbook

    cli.ok("init", "--sample")
    office = tmp_path / "r.xlsx"
    cli.ok("report", "--period", PERIOD, "--format", "xlsx", "--out", str(office))
    book = load_workbook(office)
    for sheet in book.worksheets:
        _prints_on_a4(sheet)
    assert book["概况"].page_setup.orientation == "portrait"
    unit = tmp_path / "310116007.json"
    unit.write_text(json.dumps(report, ensure_ascii=False), encoding="utf-8")
    config = tmp_path / "district.toml"
    config.write_text('[office]\ncode = "310116"\nname = "金山区委"\n', encoding="utf-8")
    out = tmp_path / "d.xlsx"
    cli.ok("--config", str(config), "rollup", str(unit), "--period", PERIOD, "--format", "xlsx",
           "--out", str(out), db=False)
    book = load_workbook(out)
    for sheet in book.worksheets:
        _prints_on_a4(sheet)
    assert book["概况"].page_setup.orientation == "portrait"
    assert book["结对帮扶（按单位）"].page_setup.orientation == "landscape"  # 25 columns
