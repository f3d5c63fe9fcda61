"""Issue 16: the human summary shows the joint activities by pairing (结对共建) as the JSON
does, at 80 columns and plain as rich draws it; a past period's brands (一居一品) are the
brands of that period, not today's."""

from __future__ import annotations

import copy
import io
import json
import sys

import pytest
from rich.cells import cell_len

from cbtool import clock
from cbtool.cli import output
from cbtool.cli.dashboard import plain_dashboard, render_dashboard

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


def summary_json(cli, *args: str) -> dict:
    return json.loads(cli.ok("summary", *args, "--format", "json").stdout)


# --- joint activities by pairing ------------------------------------------------------------


@pytest.fixture
def paired(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞、治安联防")
    seeded.ok("pairings", "add", "--point", "A02", "--unit", "上海石化公安处", "--since",
              "2026-01-01", "--headings", "治安联防")
    for point, pairing, heading, day in (("A01", "1", "党员教育", "2026-11-02"),
                                         ("A01", "1", "治安", "2026-11-09"),
                                         ("A02", "2", "治安", "2026-11-10"),
                                         ("A02", "2", "治安", "2026-10-10")):
        seeded.ok("logs", "add", "--point", point, "--kind", "志愿", "--title", "共建活动",
                  "--on", day, "--pairing", pairing, "--heading", heading)
    return seeded


@pytest.mark.parametrize(("lang", "heading", "entries"), [
    ("zh", "按结对：", ["A01 金山区税务局 2", "A02 上海石化公安处 1"]),
    ("en", "By pairing: ", ["A01 金山区税务局 2", "A02 上海石化公安处 1"]),
])
def test_dashboard_shows_activities_by_pairing(paired, lang, heading, entries):
    doc = summary_json(paired, "--period", "2026-11")
    assert [(e["point"], e["logs"]) for e in doc["pairings"]["by_pairing"]] == [
        ("A01", 2), ("A02", 1)]
    out = paired.ok("--lang", lang, "summary", "--period", "2026-11",
                    env={"COLUMNS": "80"}).stdout
    line = next(line for line in out.splitlines() if line.strip().startswith(heading))
    assert line.startswith("  " + heading)  # indented under the pairings line, as by heading
    assert all(entry in line for entry in entries)
    assert all(cell_len(line) <= 80 and line == line.rstrip() for line in out.splitlines())


def test_no_pairing_activity_no_line(seeded):
    out = seeded.ok("summary", "--period", "2026-11").stdout
    assert "结对共建 0 个进行中" in out and "按结对" not in out


def drawn_by_rich(doc: dict, lang: str, width: int, monkeypatch) -> str:
    buffer = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        patch.delenv("NO_COLOR", raising=False)
        patch.setattr(sys, "stdout", buffer)
        render_dashboard(doc, lang, output.console())
    return buffer.getvalue()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_many_pairings_top_ten_then_the_rest_plain_as_rich(paired, monkeypatch, lang):
    doc = summary_json(paired, "--period", "2026-11")
    many = copy.deepcopy(doc)
    many["pairings"]["by_pairing"] = [
        {"pairing": i, "point": f"A{i:02d}", "unit": f"金山区第{i}共建单位", "logs": 100 - i}
        for i in range(1, 14)]
    for d in (doc, many):
        for width in (80, 100, 160):
            plain = plain_dashboard(d, lang, width)
            assert plain is not None
            assert plain == drawn_by_rich(d, lang, width, monkeypatch)
            assert all(cell_len(line) <= width for line in plain.splitlines())
    text = plain_dashboard(many, lang, 80)
    flat = text.replace("\n", "")  # the line wraps at 80 columns
    assert "A10 金山区第10共建单位 90" in flat and "A11 金山区第11" not in flat
    rest = "其余 3 个结对 264 条" if lang == "zh" else "3 more pairings, 264 activities"
    assert rest in flat


# --- the brand of a past period -------------------------------------------------------------


@pytest.fixture
def rebranded(seeded):
    """A01: 旧品牌 from 2025-01 (an activity in 2025-06), ended, then 新品牌 from 2026-01;
    A02: a brand from 2025-07 only."""
    seeded.ok("brands", "add", "--area", "A01", "--name", "旧品牌", "--since", "2025年1月")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "旧品牌活动",
              "--on", "2025-06-15", "--brand", "旧品牌")
    seeded.ok("brands", "edit", "旧品牌", "--status", "已停止")
    seeded.ok("brands", "add", "--area", "A01", "--name", "新品牌", "--since", "2026-01-01")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "新品牌活动",
              "--on", "2026-11-15", "--brand", "新品牌")
    seeded.ok("brands", "add", "--area", "A02", "--name", "七月品牌", "--since", "2025-07")
    return seeded


def by_area(doc: dict) -> dict[str, dict]:
    return {e["area"]: e for e in doc["brands"]["by_area"]}


def test_past_period_shows_the_brand_of_that_period(rebranded):
    june = by_area(summary_json(rebranded, "--period", "2025-06"))
    assert (june["A01"]["brand"], june["A01"]["logs"]) == ("旧品牌", 1)
    assert june["A02"]["brand"] is None  # begun in 2025-07: not June's
    july = by_area(summary_json(rebranded, "--period", "2025-07"))
    assert july["A02"]["brand"] == "七月品牌"  # a month since counts from its first day
    now = summary_json(rebranded, "--period", "2026-11")
    assert (by_area(now)["A01"]["brand"], by_area(now)["A01"]["logs"]) == ("新品牌", 1)
    assert set(now["brands"]) >= {"with_brand", "logs", "by_area"}  # the keys as before


def test_past_period_brand_in_every_report(rebranded):
    out = rebranded.ok("summary", "--period", "2025-06", env={"COLUMNS": "80"}).stdout
    assert "A01 旧品牌 1" in out and "新品牌" not in out and "七月品牌" not in out
    md = rebranded.ok("report", "--period", "2025-06", "--format", "md", "--out", "-").stdout
    assert "旧品牌" in md and "新品牌" not in md and "七月品牌" not in md
