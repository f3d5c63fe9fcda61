"""1950.1 in a month column: January, or October that Excel stored as a number (1950.10
→ 1950.1)? Never guessed: refused with both readings named; a cell formatted 0.00 is read
as Excel shows it (1975.10)."""

from __future__ import annotations

import openpyxl
import pytest

from cbtool import fields as f
from cbtool.errors import FieldError


@pytest.mark.parametrize("text", ["1950.1", "2001.1"])
def test_year_dot_one_is_refused_naming_both_months(text):
    with pytest.raises(FieldError) as info:
        f.parse_date_or_month("born_on", text)
    message = info.value.message("zh")
    year = text.split(".")[0]
    assert f"{year}年1月" in message and f"{year}年10月" in message


@pytest.mark.parametrize(("text", "stored"), [
    ("1950.01", "1950-01"), ("1950.10", "1950-10"), ("1950.2", "1950-02"),
    ("1950.12", "1950-12"), ("1950.11", "1950-11"), ("1950-1", "1950-01"),
    ("1950年1月", "1950-01"), ("1950/1", "1950-01"),
])
def test_unambiguous_months_are_read(text, stored):
    assert f.parse_date_or_month("born_on", text) == stored


def _roster(path, rows, formats=None):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["党员编号", "姓名", "党员类别", "居民区", "出生年月", "入党时间"])
    for row in rows:
        ws.append(row)
    for cell, fmt in (formats or {}).items():
        ws[cell].number_format = fmt
    wb.save(path)


def test_an_excel_number_1975_1_is_refused_and_nothing_is_written(seeded, tmp_path):
    path = tmp_path / "花名册.xlsx"
    _roster(path, [["0101", "赵敏", "离退休", "A01", 1950.3, 1975.1]])
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert "1975年1月" in result.stderr and "1975年10月" in result.stderr
    assert seeded.rows("SELECT count(*) FROM members WHERE member_no = '0101'") == [(0,)]


def test_a_cell_shown_with_two_decimals_is_read_as_shown(seeded, tmp_path):
    path = tmp_path / "花名册.xlsx"
    _roster(path, [["0101", "赵敏", "离退休", "A01", 1950.3, 1975.10]], {"F2": "0.00"})
    seeded.ok("members", "import", str(path))
    assert seeded.rows("SELECT born_on, joined_on FROM members WHERE member_no = '0101'") == [
        ("1950-03", "1975-10")]


def test_the_same_in_a_csv_excel_saved(seeded, tmp_path):
    path = tmp_path / "花名册.csv"
    path.write_text("党员编号,姓名,党员类别,居民区,出生年月,入党时间\n"
                    "0101,赵敏,离退休,A01,1950.3,1975.1\n", encoding="gbk")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1 and "1975年10月" in result.stderr
