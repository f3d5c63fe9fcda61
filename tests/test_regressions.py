"""Bugs found by trying cbtool as an office would; each test failed before its fix."""

import json
import sqlite3

import openpyxl


def write(path, text, encoding="utf-8"):
    path.write_text(text, encoding=encoding)
    return path


def test_reimport_with_empty_gender_and_birth_columns_changes_nothing(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,姓名,性别,出生日期,身份证号,党员类别,居民区\n"
                                     "00901,甲,,,310116195003121257,在职,A01\n")
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
    from cbtool import clock

    clock.set_clock("2026-11-30")
    doc = json.loads(seeded.ok("summary", "--period", "2027", "--format", "json").stdout)
    assert doc["as_of"] == "2026-11-30"


def test_empty_filter_values_are_errors_not_everything(seeded):
    for args in (["members", "list", "--area", ""], ["members", "list", "--category", ""],
                 ["logs", "list", "--period", ""], ["logs", "list", "--point", ""],
                 ["summary", "--area", ""], ["audit", "--since", ""]):
        result = seeded(*args, "--format", "csv") if args[0] != "audit" else seeded(*args)
        assert result.exit_code == 1, args
        assert result.stdout == "", args


def test_text_starting_with_a_quote_survives_a_csv_round_trip(seeded, tmp_path):
    seeded.ok("members", "edit", "0004", "--note", "'=不是公式")
    seeded.ok("members", "edit", "0003", "--note", "=SUM(1)")
    out = tmp_path / "m.csv"
    seeded.ok("members", "export", "--out", str(out))
    assert "''=不是公式" in out.read_text(encoding="utf-8")
    result = seeded.ok("members", "import", str(out))
    assert result.stderr.strip().endswith("updated 0, unchanged 4, rejected 0")
    assert seeded.rows("SELECT note FROM members WHERE member_no IN ('0003', '0004') "
                       "ORDER BY member_no") == [("=SUM(1)",), ("'=不是公式",)]
    jsonl = tmp_path / "m.jsonl"
    seeded.ok("members", "export", "--format", "jsonl", "--out", str(jsonl))
    assert "unchanged 4" in seeded.ok("members", "import", str(jsonl)).stderr


def test_an_empty_json_export_imports_back(cli, tmp_path):
    cli.ok("init")
    for fmt in ("json", "jsonl"):
        out = tmp_path / f"logs.{fmt}"
        cli.ok("logs", "export", "--format", fmt, "--out", str(out))
        result = cli.ok("logs", "import", str(out))
        assert result.stderr.strip() == "inserted 0, updated 0, unchanged 0, rejected 0"


def test_a_log_is_never_voided_by_import_without_a_reason(seeded, tmp_path):
    path = write(tmp_path / "l.csv", "point,date,kind,title,voided,void_reason\n"
                                     "A01,2026-01-08,study,学习,是,\n")
    result = seeded("logs", "import", str(path))
    assert result.exit_code == 1 and "void_reason" in result.stderr
    assert seeded.count("logs") == 0


def test_log_ids_survive_export_and_import_into_a_fresh_database(seeded, tmp_path):
    for title in ("一", "二", "三"):
        seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", title,
                  "--on", "2026-01-0" + str(len(title) + 1))
    out = tmp_path / "logs.csv"
    seeded.ok("logs", "export", "--out", str(out))
    members_out = tmp_path / "members.csv"
    seeded.ok("members", "export", "--out", str(members_out))
    fresh = tmp_path / "fresh.db"
    for args in (["init"], ["areas", "add", "A01", "石化一村居民区"],
                 ["areas", "add", "A02", "石化二村居民区"], ["members", "import", str(members_out)],
                 ["logs", "import", str(out)]):
        seeded.ok("--db", str(fresh), *args, db=False)
    import sqlite3

    old = seeded.rows("SELECT id, title FROM logs ORDER BY id")
    assert sqlite3.connect(fresh).execute("SELECT id, title FROM logs ORDER BY id").fetchall() \
        == old


def test_full_width_and_lower_case_codes_find_the_record(seeded):
    seeded.ok("members", "add", "--no", "００９９", "--name", "全角", "--category", "在职",
              "--area", "ａ01", "--phone", "１３８００１３８０００")
    record = json.loads(seeded.ok("members", "show", "0099", "--format", "json").stdout)
    assert (record["member_no"], record["area"], record["phone"]) == \
        ("0099", "A01", "13800138000")
    assert json.loads(seeded.ok("members", "list", "--area", "a02", "--format",
                                "json").stdout)[0]["area"] == "A02"
    assert seeded("areas", "add", "a01", "小写重复").exit_code == 1
    assert seeded("areas", "add", "A09", "石化一村居民区").exit_code == 1  # name taken
    assert seeded.count("areas") == 2


def test_participants_and_points_by_name(seeded):
    seeded.ok("logs", "add", "--point", "石化一村居民区", "--kind", "走访慰问", "--title",
              "走访", "--members", "张伟、0003")
    log = json.loads(seeded.ok("logs", "list", "--format", "json").stdout)[0]
    assert (log["point"], log["participants"]) == ("A01", ["0001", "0003"])


def test_search_wildcards_are_plain_characters(seeded):
    for text in ("%", "_"):
        assert json.loads(seeded.ok("members", "list", "--search", text, "--format",
                                    "json").stdout) == []
    seeded.ok("members", "edit", "0004", "--note", "完成率100%")
    found = json.loads(seeded.ok("members", "list", "--search", "0%", "--format", "json").stdout)
    assert [m["member_no"] for m in found] == ["0004"]


def test_member_numbers_cannot_hold_list_separators(seeded):
    for bad in ("a,b", "a、b", "a;b"):
        result = seeded("members", "add", "--no", bad, "--name", "某", "--category", "在职",
                        "--area", "A01")
        assert result.exit_code == 1
    assert seeded.count("members") == 4


def test_show_jsonl_is_the_whole_record_on_one_line(seeded):
    lines = seeded.ok("members", "show", "0002", "--format", "jsonl").stdout.splitlines()
    assert len(lines) == 1
    record = json.loads(lines[0])
    assert {"category_changes", "contacts", "participation"} <= set(record)


def test_points_active_is_a_flag_and_set_and_clear_conflict(seeded):
    points = json.loads(seeded.ok("points", "list", "--format", "json").stdout)
    assert {p["active"] for p in points} == {True}
    result = seeded("members", "edit", "0004", "--phone", "13900001111", "--clear", "phone")
    assert result.exit_code == 1
    assert seeded.rows("SELECT phone FROM members WHERE member_no = '0004'") == [(None,)]


def test_an_id_number_already_on_another_member_is_a_conflict(seeded):
    from conftest import ID_ZHANG

    result = seeded("members", "add", "--no", "0200", "--name", "张伟", "--category", "在职",
                    "--area", "A01", "--id-card", ID_ZHANG)
    assert result.exit_code == 1 and "0001" in result.stderr  # one person, one member


def test_audit_all(seeded):
    for n in range(3):
        seeded.ok("members", "edit", "0004", "--note", f"备注{n}")
    assert len(json.loads(seeded.ok("audit", "--limit", "2", "--format", "json").stdout)) == 2
    rows = json.loads(seeded.ok("audit", "--all", "--format", "json").stdout)
    assert len(rows) == seeded.count("audit") > 2


def test_a_category_change_cannot_be_dated_before_the_last_one(seeded):
    seeded.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2026-11-01")
    result = seeded("members", "recategorize", "0003", "--to", "流动", "--on", "1900-01-01")
    assert result.exit_code == 1 and "2026-11-01" in result.stderr
    assert seeded.count("category_changes") == 1


def test_area_name_errors_name_the_area_name(cli):
    cli.ok("init")
    result = cli("areas", "add", "A29", "")
    assert result.exit_code == 1 and "居民区名称" in result.stderr


def test_members_table_fits_80_columns_without_breaking_dates_or_phones(seeded):
    from rich.cells import cell_len

    seeded.ok("members", "contact", "0002", "--on", "2026-11-01")
    out = seeded.ok("members", "list", env={"COLUMNS": "80"}).stdout
    assert max(cell_len(line.rstrip()) for line in out.splitlines()) <= 80
    assert "138****5678" in out and "1950-03-12" in out and "2026-11-01" in out


def test_report_to_standard_output(seeded, tmp_path):
    out = seeded.ok("report", "--period", "2026-11", "--format", "json", "--out", "-").stdout
    assert json.loads(out) == json.loads(seeded.ok("summary", "--period", "2026-11",
                                                   "--format", "json").stdout)
    assert "<svg" in seeded.ok("report", "--period", "2026-11", "--format", "html",
                               "--out", "-").stdout
    assert seeded("report", "--period", "2026-11", "--format", "xlsx", "--out", "-"
                  ).exit_code == 2
    assert not (tmp_path / "-").exists()


def test_an_unknown_or_binary_encoding_is_wrong_usage(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n0100,甲,在职,A01\n")
    for name in ("nonsense", "zlib"):
        result = seeded("members", "import", str(path), "--encoding", name)
        assert result.exit_code == 2, name
        assert f"未知的编码“{name}”" in result.stderr
    assert seeded.count("members") == 4


def test_backup_into_a_directory_named_with_a_slash_makes_it(seeded, tmp_path):
    result = seeded.ok("db", "backup", "备份/")
    written = tmp_path / result.stdout.strip()
    assert written.parent == tmp_path / "备份" and written.name.endswith(".db")
    assert (written.parent.stat().st_mode & 0o777) == 0o700
    assert (written.stat().st_mode & 0o777) == 0o600
    copy = sqlite3.connect(written)
    assert copy.execute("SELECT count(*) FROM members").fetchone()[0] == 4
    copy.close()


def test_joining_before_being_born_is_rejected_everywhere(seeded, tmp_path):
    # The ID number gives the birth date (1985-06-07) when none is typed.
    result = seeded("members", "add", "--no", "0960", "--name", "李娜", "--category", "在职",
                    "--area", "A01", "--id-card", "310116198506072024", "--joined", "1980-01")
    assert result.exit_code == 1
    assert result.stderr.strip() == "入党时间：1980-01 早于出生日期 1985-06-07"
    seeded.ok("members", "add", "--no", "0961", "--name", "王强", "--category", "在职",
              "--area", "A01", "--born", "1970-05", "--joined", "1970-05")  # same month: ok
    result = seeded("--lang", "en", "members", "edit", "0961", "--joined", "1969-12-31")
    assert result.exit_code == 1 and "before the birth date 1970-05" in result.stderr
    path = write(tmp_path / "m.csv", "党员编号,姓名,党员类别,居民区,出生日期,入党时间\n"
                                     "0962,赵敏,在职,A01,1990-02-03,2012-07-01\n"
                                     "0961,王强,在职,A01,1970-05,1950-01\n")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert "第 3 行 [入党时间]: 1950-01 早于出生日期 1970-05" in result.stderr
    assert seeded.rows("SELECT member_no, joined_on FROM members WHERE member_no >= '0960' "
                       "ORDER BY 1") == [("0961", "1970-05")]


def test_a_file_rejected_as_a_whole_still_ends_with_the_tally(seeded, tmp_path):
    missing = seeded("members", "import", str(tmp_path / "没有这个文件.csv"))
    assert missing.exit_code == 1
    assert missing.stderr.strip().splitlines() == [
        f"{tmp_path / '没有这个文件.csv'}：文件不存在",
        "inserted 0, updated 0, unchanged 0, rejected 0"]
    path = write(tmp_path / "logs.xlsx", "not a workbook")
    result = seeded("--lang", "en", "logs", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip().splitlines()[-1] == \
        "inserted 0, updated 0, unchanged 0, rejected 0"
    assert len(result.stderr.strip().splitlines()) == 2
