"""Money in human output reads one way, 1,100.00 (thousands apart, two decimals), through
the one formatter ``cbtool.fields.yuan_shown``; machine formats (csv, json) keep the plain
exact text 1100.00 that an import reads back."""

from __future__ import annotations

import csv
import json

import hypothesis
import pytest
from hypothesis import strategies as st

from cbtool import clock
from cbtool.fields import fen_of, yuan, yuan_shown

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def given(seeded):
    """赵秀英's case, 12,000.00 of income and 1,100.00 of aid given from 急难帮困."""
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保", "--household",
              "--helpers", "0001", "--on", "2026-10-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "12000", "--on", "2026-11-01",
              "--source", "街道拨款")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1100", "--fund", "急难帮困",
              "--on", "2026-11-05")
    return seeded


def test_the_one_formatter_takes_fen_and_exact_yuan_text():
    assert yuan_shown(110000) == yuan_shown("1100.00") == "1,100.00"
    assert yuan_shown(-123456789) == "-1,234,567.89" and yuan_shown(30) == "0.30"
    assert yuan_shown(None) == "" and yuan_shown("") == ""


def test_the_summary_dashboard_shows_aid_money_grouped(given):
    text = given.ok("summary", "--period", "2026-11").stdout
    assert "1,100.00 元" in text, text
    assert "10,900.00" in text  # the fund's balance
    assert "1100.00" not in text and "10900.00" not in text
    doc = json.loads(given.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    assert doc["aid"]["given"]["amount"] == "1100.00"  # the machine format stays plain


def test_a_given_import_dry_run_previews_money_grouped(given, tmp_path):
    path = tmp_path / "帮扶.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["困难对象编号", "帮扶日期", "帮扶形式", "金额（元）", "资金来源", "备注"])
        w.writerow(["1", "2026-11-20", "救助金", "2500", "急难帮困", "冬季"])
    dry = given.ok("aid", "given-import", str(path), "--dry-run")
    assert "金额（元）=2,500.00" in dry.stderr, dry.stderr
    as_json = given.ok("aid", "given-import", str(path), "--dry-run", "-f", "json").stdout
    assert json.loads(as_json)[0]["changes"]["amount"] == [None, "2500.00"]
    assert given.count("aid_given") == 1


def test_an_income_import_dry_run_previews_money_grouped(seeded, tmp_path):
    path = tmp_path / "收入.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["资金名称", "到账日期", "金额（元）", "来源"])
        w.writerow(["党内互助金", "2026-10-02", "1234567.8", "党员捐款"])
    dry = seeded.ok("aid", "income-import", str(path), "--dry-run")
    assert "1,234,567.80" in dry.stderr and "=1234567.80" not in dry.stderr, dry.stderr


def test_a_funds_error_shows_its_money_grouped(given):
    result = given("aid", "give", "1", "--form", "救助金", "--amount", "20000", "--fund",
                   "急难帮困", "--on", "2026-11-06")
    assert result.exit_code == 1
    assert "10,900.00 元" in result.stderr and "20,000.00 元" in result.stderr, result.stderr


@hypothesis.given(st.integers(min_value=-(10**14), max_value=10**14))
def test_yuan_text_reads_back_as_the_same_fen(fen):
    assert fen_of(yuan(fen)) == fen
    assert fen_of(yuan(fen, grouped=True)) == fen
    assert yuan_shown(yuan(fen)) == yuan_shown(fen)


def test_yuan_text_as_records_keep_it_and_other_text():
    assert fen_of("1100") == 110000 and fen_of("0.5") == 50 and fen_of("-0.05") == -5
    assert fen_of("1.234") is None and fen_of("一百元") is None and fen_of("") is None
    assert yuan_shown("待定") == "待定"  # shown as it is, never a traceback
