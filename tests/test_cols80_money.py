"""`cbtool aid list`, `aid given` and `pairings list` on an 80-column terminal (issue 16):
low-value columns give their room, so every line fits and cells read in a line or two;
and money in human output always reads 1,100.00 while CSV/JSON keep 1100.00."""

from __future__ import annotations

import json
from unicodedata import east_asian_width

import pytest

from cbtool import clock

TODAY = "2026-11-30"
NARROW = {"COLUMNS": "80"}
WIDE = {"COLUMNS": "160"}


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


def _width(line: str) -> int:
    return sum(2 if east_asian_width(c) in "WF" else 1 for c in line)


@pytest.fixture
def aided(seeded):
    """A household case with two helpers, 1,100 yuan of income and a 1,100-yuan grant
    with a long note."""
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "支出型贫困",
              "--household", "--phone", "13900001111", "--helpers", "0001、0004",
              "--on", "2026-10-01")
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "1100", "--on", "2026-11-01",
              "--source", "街道拨款")
    seeded.ok("aid", "give", "1", "--form", "救助金", "--amount", "1100", "--fund", "急难帮困",
              "--on", "2026-11-03", "--note", "因病住院自付部分的临时救助，经居委会讨论同意")
    return seeded


@pytest.fixture
def paired(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "上海市金山区税务局第一税务所",
              "--branch", "第一党支部", "--contact", "欧阳明月", "--phone", "13812345678",
              "--since", "2026-01-01", "--headings", "all")
    return seeded


def _lines(cli, *args, env):
    return cli.ok(*args, env=env).stdout.splitlines()


def _fits(lines: list[str]) -> None:
    assert lines and all(_width(line) <= 80 for line in lines), "\n".join(lines)


def test_aid_list_at_eighty_columns_keeps_the_phone_while_it_fits(aided):
    narrow = _lines(aided, "aid", "list", "--status", "all", env=NARROW)
    _fits(narrow)
    assert narrow[0].split() == ["编号", "姓名", "居民区", "类型", "联系电话", "结对党员", "结案",
                                 "帮扶", "金额"]
    assert len(narrow) == 2 and "0001、0004" in narrow[1] and "1,100.00" in narrow[1]
    narrower = _lines(aided, "aid", "list", "--status", "all", env={"COLUMNS": "60"})
    assert narrower[0].split() == ["编号", "姓名", "居民区", "类型", "结对党员", "结案", "帮扶",
                                   "金额"]
    wide = _lines(aided, "aid", "list", env=WIDE)
    assert wide[0].split() == ["编号", "姓名", "居民区", "类型", "联系电话", "结对党员", "帮扶",
                               "金额（元）"]
    assert "139****1111" in wide[1]


def test_aid_given_at_eighty_columns_gives_the_note_room(aided):
    aided.ok("aid", "give", "1", "--form", "慰问", "--on", "2026-11-05", "--note", "重复录入")
    aided.ok("aid", "void", "2", "--reason", "重复", "--yes")
    narrow = _lines(aided, "aid", "given", "--include-voided", env=NARROW)
    _fits(narrow)
    assert narrow[0].split() == ["记录号", "对象", "日期", "形式", "金额", "备注", "作废"]
    assert len(narrow) <= 4  # the note in two lines, not a column of characters
    assert "2026-11-03" in narrow[1] and "1,100.00" in narrow[1]
    shown = _lines(aided, "aid", "show", "1", env=NARROW)
    _fits(shown)
    assert "资金" not in shown[shown.index(next(x for x in shown if x.startswith("记录号")))]
    wide = _lines(aided, "aid", "given", env=WIDE)
    assert wide[0].split() == ["记录号", "对象", "日期", "形式", "金额（元）", "资金", "备注"]


def test_pairings_list_at_eighty_columns_leaves_out_contact_and_phone(paired):
    narrow = _lines(paired, "pairings", "list", env=NARROW)
    _fits(narrow)
    assert narrow[0].split() == ["编号", "服务点", "共建单位", "开始", "共建内容", "活动"]
    assert len(narrow) <= 3  # the unit and its six headings in two lines each
    paired.ok("pairings", "end", "1", "--on", "2026-11-20", "--yes")
    ended = _lines(paired, "pairings", "list", "--status", "all", env=NARROW)
    _fits(ended)
    assert ended[0].split() == ["编号", "服务点", "共建单位", "开始", "结束", "共建内容", "活动"]
    assert len(ended) <= 4
    wide = _lines(paired, "pairings", "list", "--status", "all", env=WIDE)
    assert wide[0].split() == ["编号", "服务点", "共建单位", "联系人", "联系电话", "开始",
                               "结束", "共建内容", "活动"]
    assert "欧阳明月" in wide[1] and "138****5678" in wide[1]


def test_human_money_has_thousands_apart_machine_money_does_not(aided):
    for args in (("aid", "list"), ("aid", "given"), ("aid", "income-list"), ("aid", "show", "1"),
                 ("aid", "funds")):
        for fmt in ("table", "md"):
            out = aided.ok(*args, "--format", fmt, env=WIDE).stdout
            assert "1,100.00" in out and "1100.00" not in out, (args, fmt, out)
    assert "共 1 次，金额 1,100.00 元" in aided.ok("aid", "given").stderr
    assert "1 次，1,100.00 元" in aided.ok("aid", "show", "1", env=WIDE).stdout
    for args, key in ((("aid", "list"), "amount"), (("aid", "given"), "amount"),
                      (("aid", "income-list"), "amount")):
        data = json.loads(aided.ok(*args, "--format", "json").stdout)
        assert data[0][key] == "1100.00", (args, data)
        assert "1100.00" in aided.ok(*args, "--format", "csv").stdout
    assert json.loads(aided.ok("aid", "show", "1", "--format", "json").stdout)["amount"] == "1100.00"
    gave = aided.ok("aid", "give", "1", "--form", "物资", "--amount", "1000", "--on",
                    "2026-11-30")
    assert "1,000.00 元" in gave.stdout + gave.stderr
