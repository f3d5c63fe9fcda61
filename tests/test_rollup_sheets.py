"""The district roll-up's by-unit tables read as the office report does: Chinese headings for
the volunteers, pairings, aid and brands figures, amounts in yuan, and in xlsx a bar chart
beside each table that compares the units."""

from __future__ import annotations

import json

from conftest import Cli
from openpyxl import load_workbook

from cbtool import clock

DAY = "2026-11-30"


def _office(tmp_path, code: str, name: str) -> str:
    db = tmp_path / f"{code}.db"
    config = tmp_path / f"{code}.toml"
    config.write_text(f'[office]\ncode = "{code}"\nname = "{name}"\n', encoding="utf-8")
    cli = Cli(db)
    cli.ok("init", "--sample")
    out = tmp_path / f"{code}.json"
    cli.ok("--config", str(config), "report", "--period", "2026-11", "--format", "json",
           "--out", str(out))
    return str(out)


def _rollup(tmp_path, fmt: str, *extra: str) -> object:
    clock.set_clock(DAY)
    reports = [_office(tmp_path, "310116007", "石化街道党工委"),
               _office(tmp_path, "310116008", "朱泾镇党委")]
    out = tmp_path / f"district.{fmt}"
    Cli(tmp_path / "none.db").ok("rollup", *reports, "--period", "2026-11", "--format", fmt,
                                 "--out", str(out), *extra, db=False)
    return out, reports


def test_later_sections_are_headed_in_chinese_with_yuan(tmp_path):
    out, reports = _rollup(tmp_path, "xlsx")
    book = load_workbook(out)
    assert {"志愿服务（按单位）", "结对共建（按单位）", "结对帮扶（按单位）",
            "一居一品（按单位）"} <= set(book.sheetnames)
    aid = book["结对帮扶（按单位）"]
    head = [c.value for c in aid[1]]
    assert "帮扶中的困难对象（户/人）" in head and "本期帮扶金额（元）" in head
    assert "慰问（次）" in head and "慰问（元）" in head
    assert not [h for h in head if "." in h or "_" in h]  # no JSON keys left
    total = [c.value for c in aid[aid.max_row]]
    fen = sum(json.loads(open(r, encoding="utf-8").read())["aid"]["given"]["amount_fen"]
              for r in reports)
    assert total[head.index("本期帮扶金额（元）")] == fen / 100  # a number in xlsx
    volunteers = [c.value for c in book["志愿服务（按单位）"][1]]
    assert "志愿服务时长（小时）" in volunteers and "hours" not in volunteers


def test_the_xlsx_compares_the_units_in_bar_charts(tmp_path):
    out, _ = _rollup(tmp_path, "xlsx")
    book = load_workbook(out)
    charted = {ws.title for ws in book.worksheets if ws._charts}
    assert {"党员分布（单位 × 类别）", "服务台账（按单位）"} <= charted
    chart = book["服务台账（按单位）"]._charts[0]
    assert chart.type == "bar"
    # one bar per unit: the totals row is not a unit
    ref = chart.series[0].val.numRef.f
    assert ref.endswith("$3"), ref


def test_the_md_roll_up_names_the_figures_too(tmp_path):
    out, _ = _rollup(tmp_path, "md")
    text = out.read_text(encoding="utf-8")
    assert "## 结对帮扶（按单位）" in text and "本期帮扶金额（元）" in text
    assert "given.amount_fen" not in text and "by_form." not in text
