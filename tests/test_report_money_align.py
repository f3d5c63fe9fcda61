"""Reports: money columns line up on the right in md and html, as counts do, and the html
numbers its sections in order (五、 after 四、志愿服务)."""

from __future__ import annotations

import re

import pytest

from cbtool import clock


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-30")


@pytest.fixture
def aided(seeded):
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--on", "2026-10-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000", "--on", "2026-11-01")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1100", "--fund", "急难帮困",
              "--on", "2026-11-05")
    return seeded


def test_md_money_columns_are_right_aligned(aided):
    md = aided.ok("report", "-p", "2026-11", "-f", "md", "-o", "-").stdout
    table = md.split("## 帮扶情况（按形式）", 1)[1]
    header, rule = [line for line in table.splitlines() if line.startswith("|")][:2]
    cells = [c.strip() for c in header.strip("|").split("|")]
    assert rule.strip("|").split("|")[cells.index("金额（元）")] == "---:"


def test_html_money_cells_are_numeric_and_sections_numbered_in_order(aided):
    html = aided.ok("report", "-p", "2026-11", "-f", "html", "-o", "-").stdout
    assert '<td class="num">1100.00</td>' in html
    marks = re.findall(r"<h2>([一二三四五六七八九十])、", html)
    assert marks == list("一二三四五六七八九十")[:len(marks)]
