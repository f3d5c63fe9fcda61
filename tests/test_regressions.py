"""Bugs found by trying cbtool as an office would; each test failed before its fix."""

import json
from datetime import date

import openpyxl


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_reimport_with_empty_gender_and_birth_columns_changes_nothing(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,姓名,性别,出生日期,身份证号,党员类别,居民区\n"
                                     "00901,甲,,,310116195003121230,在职,A01\n")
    seeded.ok("members", "import", str(path))
    again = seeded.ok("members", "import", str(path))
    assert again.stderr.strip().endswith("inserted 0, updated 0, unchanged 1, rejected 0")
    assert seeded.rows("SELECT gender, born_on FROM members WHERE member_no = '00901'") == \
        [("M", "1950-03-12")]


def test_an_empty_status_cell_never_restores_an_archived_member(seeded, tmp_path):
    seeded.ok("members", "archive", "0001", "--reason", "deceased", "--on", "2026-10-01")
    path = write(tmp_path / "m.csv", "党员编号,姓名,党员类别,居民区,状态,归档原因,归档日期\n"
                                     "0001,张伟,离退休,A01,,,\n")
    seeded.ok("members", "import", str(path))
    assert seeded.rows("SELECT status, archived_reason, archived_on FROM members "
                       "WHERE member_no = '0001'") == [("archived", "deceased", "2026-10-01")]


def test_an_id_number_stored_as_a_number_in_xlsx_is_rejected_as_excel_damage(seeded, tmp_path):
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["党员编号", "姓名", "党员类别", "居民区", "身份证号", "联系电话"])
    sheet.append(["00950", "丙", "在职", "A01", 310228195003118235.0, 13812345678])
    book.save(tmp_path / "m.xlsx")
    result = seeded("members", "import", str(tmp_path / "m.xlsx"))
    assert result.exit_code == 1 and "科学计数法" in result.stderr
    assert seeded.count("members") == 4


def test_errors_file_or_export_into_a_missing_directory_is_exit_3(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n0100,甲,在职,A01\n")
    for args in (["members", "import", str(path), "--errors", "/nonexistent/dir/e.csv"],
                 ["members", "export", "--out", "/nonexistent/dir/m.csv"],
                 ["members", "export", "--format", "xlsx", "--out", "/nonexistent/dir/m.xlsx"]):
        result = seeded(*args)
        assert result.exit_code == 3, args
        assert len(result.stderr.strip().splitlines()) == 1
    assert seeded.count("members") == 4


def test_csv_report_never_replaces_a_file_that_is_not_a_report(seeded, tmp_path):
    keep = write(tmp_path / "keep.txt", "important")
    result = seeded("report", "--period", "2026-11", "--format", "csv", "--out", str(keep))
    assert result.exit_code == 1
    assert keep.read_text() == "important"


def test_years_before_1900_are_not_periods(seeded):
    for period in ("0000", "0000-01", "0000-Q1", "0000-01-01..2026-01-01"):
        result = seeded("logs", "list", "--period", period)
        assert result.exit_code == 1 and "Traceback" not in result.stderr


def test_a_period_not_yet_ended_is_taken_as_of_today_even_in_the_future(seeded):
    next_year = date.today().year + 1
    doc = json.loads(seeded.ok("summary", "--period", str(next_year), "--format",
                               "json").stdout)
    assert doc["as_of"] == date.today().isoformat()
