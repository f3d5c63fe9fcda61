"""The errors file keeps a rejected row as the clerk typed it (issue 11): full-width spaces,
padding and a month as the workbook shows it, so the one bad cell can be fixed and the
file imported again."""

from __future__ import annotations

import csv
from datetime import datetime

import openpyxl

HEADER = ["党员编号", "姓名", "党员类别", "居民区", "出生日期"]


def errors_rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def test_a_csv_row_keeps_its_full_width_space_and_padding(seeded, tmp_path):
    path = tmp_path / "花名册.csv"
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows([HEADER, ["0009", "沈　佳怡 ", "离退休", " A01", "1948年13月"],
                                  ["0010", "王海", "在职", "A02", "1950-03"]])
    errors = tmp_path / "不合格.csv"
    assert seeded("members", "import", path, "--errors", errors).exit_code == 1
    rows = errors_rows(errors)
    assert rows[0] == [*HEADER, "原行号", "错误原因"]
    assert len(rows) == 2
    assert rows[1][:6] == ["0009", "沈　佳怡 ", "离退休", " A01", "1948年13月", "2"]
    rows[1][4] = "1948年3月"
    with open(errors, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = seeded.ok("members", "import", errors, "--yes")
    assert "inserted 1" in result.stderr
    assert seeded.rows("SELECT name, born_on FROM members WHERE member_no = '0009'") == [
        ("沈佳怡", "1948-03")]


def test_a_workbook_row_shows_its_month_as_the_clerk_saw_it(seeded, tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "花名册"
    ws.append(["石化街道党员花名册"])
    ws.append(["党员编号", "姓名", "出生年月", "党员类别", "居民区"])
    ws.append(["00104", "沈　佳怡", datetime(1948, 4, 1), "退休了", "A01"])
    ws.append(["00105", "王海", datetime(1950, 3, 1), "在职", "A02"])
    ws.cell(row=3, column=3).number_format = 'yyyy"年"m"月"'
    ws.cell(row=4, column=3).number_format = "yyyy-mm"
    path = tmp_path / "花名册.xlsx"
    wb.save(path)
    errors = tmp_path / "不合格.csv"
    assert seeded("members", "import", path, "--errors", errors).exit_code == 1
    rows = errors_rows(errors)
    assert rows[0] == ["党员编号", "姓名", "出生年月", "党员类别", "居民区", "原行号", "错误原因"]
    assert len(rows) == 2
    assert rows[1][:6] == ["00104", "沈　佳怡", "1948年4月", "退休了", "A01", "3"]
    rows[1][3] = "离退休"
    with open(errors, "w", encoding="utf-8-sig", newline="") as fh:
        csv.writer(fh).writerows(rows)
    result = seeded.ok("members", "import", errors, "--yes")
    assert "inserted 1" in result.stderr
    assert seeded.rows("SELECT name, born_on, category FROM members "
                       "WHERE member_no = '00104'") == [("沈佳怡", "1948-04", "retired")]


def test_from_standard_input_the_errors_file_keeps_the_cells_as_read(seeded, tmp_path):
    errors = tmp_path / "不合格.csv"
    text = "党员编号,姓名,党员类别,居民区\n0009, 沈佳怡 ,退休了,A01\n"
    result = seeded("members", "import", "-", "--input-format", "csv", "--errors", errors,
                    input=text)
    assert result.exit_code == 1
    assert errors_rows(errors)[1][:4] == ["0009", "沈佳怡", "退休了", "A01"]


def test_a_month_is_shown_as_its_number_format_shows_it():
    from cbtool.tabular import is_month_format, month_shown

    day = datetime(1948, 4, 1)
    shown = {'yyyy"年"m"月"': "1948年4月", "yyyy-mm": "1948-04", "yyyy.mm": "1948.04",
             '[$-804]yyyy"年"m"月";@': "1948年4月", "mmm-yy": "Apr-48",
             "yyyy\\年mm\\月": "1948年04月", "mmmm yyyy": "April 1948"}
    for fmt, text in shown.items():
        assert is_month_format(fmt) and month_shown(day, fmt) == text, fmt
