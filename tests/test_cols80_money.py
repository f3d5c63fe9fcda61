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
