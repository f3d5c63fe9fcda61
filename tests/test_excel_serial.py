"""A date cell that lost its date format reaches the importer as Excel's serial number
(46330): it is refused, saying which day that number is and how to mend the file —
never taken as that day by guess."""

from __future__ import annotations

import pytest
from openpyxl import Workbook

from cbtool import clock
from cbtool.errors import FieldError
from cbtool.fields import parse_date, parse_date_or_month


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-30")


@pytest.mark.parametrize("parse", [parse_date, parse_date_or_month])
def test_a_serial_number_is_said_as_the_day_it_is(parse):
    with pytest.raises(FieldError) as err:
        parse("joined_on", "46330")
    assert "Excel 的日期序号（即 2026-11-04）" in err.value.message("zh")
    assert "(2026-11-04)" in err.value.message("en")


@pytest.mark.parametrize("text", ["12345678", "99999", "123", "４６３３０"])
def test_other_digits_are_no_date_as_before(text):
    with pytest.raises(FieldError) as err:
        parse_date("joined_on", text)
    assert "日期序号" not in err.value.message("zh")


def test_an_xlsx_roster_with_a_general_date_cell(cli, tmp_path):
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    wb = Workbook()
    ws = wb.active
    ws.append(["党员编号", "姓名", "类别", "居民区", "入党时间"])
    ws.append(["0001", "张三", "在职", "A01", 46330])  # the cell's format: General
    path = tmp_path / "花名册.xlsx"
    wb.save(path)
    result = cli("members", "import", str(path))
    assert result.exit_code == 1
    assert "[入党时间]" in result.stderr and "即 2026-11-04" in result.stderr
    assert cli.count("members") == 0
