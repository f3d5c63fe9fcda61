"""Money in the report's xlsx is a number a clerk can SUM (yuan, shown ``#,##0.00`` and
right-aligned), not text; the csv, md and html reports show the same exact yuan text as
before."""

from __future__ import annotations

import pytest
from openpyxl import load_workbook

from cbtool import clock

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def given(seeded):
    """A 低保 case in A01 given 1,100.00 yuan from 急难帮困, which took in 2,000.30."""
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保", "--household",
              "--helpers", "0001", "--on", "2026-10-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "2000.30", "--on", "2026-11-01",
              "--source", "街道拨款")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1100", "--fund", "急难帮困",
              "--on", "2026-11-05")
    return seeded


def _row(ws, first: str) -> list:
    return next(row for row in ws.iter_rows() if row[0].value == first)


def _is_money(cell, value: float) -> bool:
    return (type(cell.value) in (int, float) and cell.value == value
            and cell.number_format == "#,##0.00" and cell.alignment.horizontal == "right")


def test_report_xlsx_money_cells_are_numbers(given, tmp_path):
    out = tmp_path / "r.xlsx"
    given.ok("report", "--period", "2026-11", "--format", "xlsx", "--out", str(out))
    book = load_workbook(out)
    by_form = book["帮扶情况（按形式）"]
    assert [c.value for c in by_form[1]] == ["帮扶形式", "次数", "金额（元）"]
    grant, total = _row(by_form, "救助金"), _row(by_form, "合计")
    assert _is_money(grant[2], 1100) and _is_money(total[2], 1100)
    assert total[2].font.b and grant[1].value == 1 and grant[1].number_format == "General"
    fund = _row(book["帮扶资金（按来源）"], "街道急难帮困专项资金")
    assert _is_money(fund[2], 1100) and _is_money(fund[3], 900.3)  # given, balance
    overview = book.worksheets[0]
    assert _is_money(_row(overview, "本期帮扶金额（元）")[1], 1100)
    assert book.worksheets[0].column_dimensions["B"].width >= len("1,100.00")


def test_other_formats_keep_the_yuan_text(given, tmp_path):
    given.ok("report", "--period", "2026-11", "--format", "csv", "--out", str(tmp_path / "csv"))
    raw = (tmp_path / "csv" / "aid_by_form.csv").read_bytes()
    assert "救助金,1,1100.00\r\n".encode() in raw
    for fmt in ("md", "html"):
        out = tmp_path / f"r.{fmt}"
        given.ok("report", "--period", "2026-11", "--format", fmt, "--out", str(out))
        shown = out.read_text(encoding="utf-8")
        assert "1100.00" in shown and "900.30" in shown


def test_rollup_xlsx_money_cells_are_numbers(given, tmp_path):
    reports = []
    for code, name in (("310116007", "石化街道党工委"), ("310116008", "朱泾镇党委")):
        config = tmp_path / f"{code}.toml"
        config.write_text(f'[office]\ncode = "{code}"\nname = "{name}"\n', encoding="utf-8")
        reports.append(str(tmp_path / f"{code}.json"))
        given.ok("--config", str(config), "report", "--period", "2026-11", "--format", "json",
                 "--out", reports[-1])
    out = tmp_path / "district.xlsx"
    given.ok("rollup", *reports, "--period", "2026-11", "--format", "xlsx", "--out", str(out),
             db=False)
    aid = load_workbook(out)["结对帮扶（按单位）"]
    column = [c.value for c in aid[1]].index("本期帮扶金额（元）")
    assert _is_money(_row(aid, "310116007")[column], 1100)
    assert _is_money(aid[aid.max_row][column], 2200)  # the total row
    out = tmp_path / "district.csv"
    given.ok("rollup", *reports, "--period", "2026-11", "--format", "csv", "--out", str(out),
             db=False)
    assert ",2200.00," in (out / "aid_by_unit.csv").read_text(encoding="utf-8-sig")


def test_an_aid_given_export_holds_numbers_and_imports_back_unchanged(tmp_path, seeded):
    import openpyxl

    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--on", "2026-10-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000", "--on", "2026-10-02")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1,200.50", "--fund",
              "急难帮困", "--on", "2026-10-03")
    path = tmp_path / "帮扶记录.xlsx"
    seeded.ok("aid", "given-export", "--out", str(path))
    sheet = openpyxl.load_workbook(path).active
    heads = [c.value for c in sheet[1]]
    cell = sheet.cell(row=2, column=heads.index("金额（元）") + 1)
    assert cell.value == 1200.5 and cell.number_format == "#,##0.00"
    result = seeded.ok("aid", "given-import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
