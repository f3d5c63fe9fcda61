"""The logs template carries the links of a log (结对单位、共建内容、一居一品) that the
import reads; a date before the start names its field once."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl
import pytest
from test_templates import choices, fill, headings

from cbtool import clock

TODAY = "2026-11-30"
LINKS = ["结对单位", "共建内容", "一居一品"]
SIX = ["党员教育联搞", "思想工作联做", "社区治安联防", "公益事业联办", "贫困对象联帮", "文明小区联建"]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def linked(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞、公益事业联办")
    seeded.ok("brands", "add", "--area", "A01", "--name", "石化红管家")
    return seeded


def test_logs_template_has_the_link_columns_after_the_others(linked, tmp_path):
    path = tmp_path / "logs.xlsx"
    linked.ok("template", "logs", "--out", str(path))
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert headings(ws)[-3:] == LINKS and headings(ws)[:2] == ["服务点", "日期"]
    assert choices(book, ws, "共建内容") == SIX
    assert choices(book, ws, "结对单位") is None and choices(book, ws, "一居一品") is None
    csv_path = tmp_path / "logs.csv"
    linked.ok("template", "logs", "--out", str(csv_path))
    with open(csv_path, encoding="utf-8-sig", newline="") as handle:
        assert next(csv.reader(handle))[-3:] == LINKS


def test_filled_logs_template_with_links_imports(linked, tmp_path):
    path = tmp_path / "logs.xlsx"
    linked.ok("template", "logs", "--out", str(path))
    fill(path, [
        {"服务点": "石化一村居民区党员服务点", "日期": datetime(2026, 3, 5), "类型": "组织生活",
         "标题": "税务局支部与居民区联合党课", "结对单位": "金山区税务局", "共建内容": "党员教育联搞",
         "一居一品": "石化红管家"},
        {"服务点": "石化一村居民区党员服务点", "日期": "2026-03-06", "类型": "走访慰问",
         "标题": "走访困难老党员"},
    ])
    linked.ok("logs", "import", str(path))
    assert linked.rows("SELECT title, pairing, heading, brand FROM logs ORDER BY id") == [
        ("税务局支部与居民区联合党课", 1, "education", 1), ("走访困难老党员", None, None, None)]



def test_pairing_until_before_since_names_the_field_once(linked):
    result = linked("pairings", "edit", "1", "--until", "2025-01-01")
    assert result.exit_code == 1
    line = result.stderr.strip()
    assert line.count("结束日期") == 1 and "2025-01-01" in line and "2026-01-01" in line


def test_aid_closed_before_opened_names_the_field_once(seeded, tmp_path):
    path = tmp_path / "困难对象.csv"
    path.write_text("姓名,居民区,困难类型,建档日期,结案日期,结案原因\n"
                    "王五,A01,低保,2026-05-01,2026-01-01,好转\n", encoding="utf-8")
    result = seeded("aid", "import", str(path))
    assert result.exit_code == 1 and seeded.count("aid_cases") == 0
    line = next(x for x in result.stderr.splitlines() if "2026-05-01" in x)
    assert line.count("结案日期") == 1 and "2026-01-01 早于建档日期 2026-05-01" in line
