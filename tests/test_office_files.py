"""Files as offices keep them: rosters made the way Excel/WPS users make them — a title
above the header, totals and signatures under the data, month-formatted dates, numbers
as numbers, a notes sheet first, headings and values as people type them."""

from __future__ import annotations

import csv
import json
from datetime import date, datetime

import openpyxl
import pytest
from conftest import ID_ZHANG

ID_SHEN = "310116194804150029"  # 1948-04-15, female
ID_WANG = "310116195003121257"  # 1950-03-12, male
HEADER = ["序号", "党员编号", "姓名", "性别", "出生年月", "党员类别", "居民区"]


def gbk_csv(path, rows):
    """A CSV the way Excel saves it on a Chinese Windows: GBK, CRLF."""
    with open(path, "w", encoding="gbk", newline="") as fh:
        csv.writer(fh).writerows(rows)
    return path


def workbook(path, sheets):
    """``sheets``: (title, rows, formats) with formats {(row, col): number format} and
    merged ranges given as a "merge" key."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows, extra in sheets:
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
        for (r, c), fmt in extra.get("formats", {}).items():
            ws.cell(row=r, column=c).number_format = fmt
        for cells in extra.get("merge", ()):
            ws.merge_cells(cells)
    wb.save(path)
    return path


def member(cli, no):
    got = cli.rows("SELECT member_no, name, gender, born_on, joined_on, phone, category, area, "
                   "note FROM members WHERE member_no = ?", (no,))
    keys = ("member_no", "name", "gender", "born_on", "joined_on", "phone", "category", "area",
            "note")
    return dict(zip(keys, got[0], strict=True)) if got else None


def tally(result):
    return result.stderr.strip().splitlines()[-1]


OFFICE_ROWS = [
    ["石化街道党员花名册"],
    [],
    ["填报单位：石化街道党委", "", "", "", "填报日期：2026年11月"],
    HEADER,
    ["1", "00104", "沈佳怡", "女", "1948年4月", "离退休", "A01"],
    ["2", "00105", "王海", "男", "1950-03", "在职", "A02"],
    ["合计", "", "2人"],
    ["填表人：王芳", "", "", "审核人：李明"],
]


# --- the header row and what is not data ----------------------------------------------------


def test_title_blank_and_notes_rows_above_the_header_are_skipped_in_one_line(seeded, tmp_path):
    path = gbk_csv(tmp_path / "花名册.csv", OFFICE_ROWS)
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 2, updated 0, unchanged 0, rejected 0"
    assert "第 1–3 行不是表头，已跳过" in result.stderr
    assert "第 7–8 行是合计、签名或说明行，不是数据，已跳过" in result.stderr
    assert "缺少必需的列" not in result.stderr and "序号" not in result.stderr  # not unknown
    assert member(seeded, "00104")["born_on"] == "1948-04"
    assert member(seeded, "00105")["category"] == "employed"
    again = seeded.ok("members", "import", path)
    assert tally(again) == "inserted 0, updated 0, unchanged 2, rejected 0"


def test_a_title_row_alone_is_named_and_english_says_it_too(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["石化街道党员花名册"], HEADER[1:],
                                        ["00104", "沈佳怡", "女", "", "离退休", "A01"]])
    result = seeded.ok("--lang", "en", "members", "import", path)
    assert "above the header, skipped: line(s) 1" in result.stderr
    assert tally(result).startswith("inserted 1,")


@pytest.mark.parametrize("footer", [["合计", "", "2"], ["小计"], ["总  计", "2人"],
                                    ["", "合计：2人"], ["填表人：王芳  审核人：李明"],
                                    ["注：本表由居民区党支部填写"]])
def test_total_signature_and_note_rows_are_not_records(seeded, tmp_path, footer):
    path = gbk_csv(tmp_path / "m.csv", [HEADER, ["1", "00104", "沈佳怡", "女", "", "离退休", "A01"],
                                        footer])
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 1, updated 0, unchanged 0, rejected 0"
    assert "第 3 行是合计、签名或说明行" in result.stderr


def test_subtotal_rows_between_groups_are_skipped_and_the_rows_after_them_read(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [
        HEADER, ["1", "00104", "沈佳怡", "女", "", "离退休", "A01"], ["小计", "", "1人"],
        ["2", "00105", "王海", "男", "", "在职", "A02"], ["小计", "", "1人"], ["合计", "", "2人"]])
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 2, updated 0, unchanged 0, rejected 0"
    assert "第 3、5–6 行是合计" in result.stderr


def test_a_logs_file_with_a_total_of_served_residents(seeded, tmp_path):
    path = gbk_csv(tmp_path / "台账.csv", [
        ["石化一村居民区服务点工作台账（2026年11月）"],
        ["服务点", "活动日期", "活动类型", "活动内容", "服务人数", "志愿时长"],
        ["A01", "2026-11-03", "走访慰问", "走访困难党员", "20人", "1.5小时"],
        ["A01", "2026-11-10", "志愿服务", "清洁家园", "3次", "2 小时"],
        ["A01", "2026-11-12", "学习教育", "党课", "15人次", "1h"],
        ["合计", "", "", "", "38", "4.5"]])
    result = seeded.ok("logs", "import", path)
    assert tally(result) == "inserted 3, updated 0, unchanged 0, rejected 0"
    assert seeded.rows("SELECT served, hours FROM logs ORDER BY date") == [
        (20, 1.5), (3, 2.0), (15, 1.0)]


def test_header_row_option_names_the_line(seeded, tmp_path):
    # a banner row of known words the finder takes for the header
    rows = [["居民区", "A01", "党员类别", "离退休"], ["编号", "姓名", "党员类别", "居民区"],
            ["00104", "沈佳怡", "离退休", "A01"]]
    path = gbk_csv(tmp_path / "m.csv", rows)
    assert seeded("members", "import", path).exit_code == 1
    result = seeded.ok("members", "import", path, "--header-row", "2")
    assert tally(result).startswith("inserted 1,") and "第 1 行不是表头" in result.stderr
    blank = seeded("members", "import", gbk_csv(tmp_path / "b.csv", [["x"], [], *rows[1:]]),
                   "--header-row", "2")
    assert blank.exit_code == 1 and "第 2 行是空行或不存在" in blank.stderr
    wrong = seeded("members", "import", path, "--header-row", "3")
    assert wrong.exit_code == 1 and "缺少必需的列：member_no" in wrong.stderr
    assert "表头取自第 3 行" in wrong.stderr and "--header-row" in wrong.stderr


def test_header_row_and_sheet_are_usage_errors_where_they_cannot_apply(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [HEADER])
    assert seeded("members", "import", path, "--sheet", "花名册").exit_code == 2
    js = tmp_path / "m.json"
    js.write_text("[]", encoding="utf-8")
    assert seeded("members", "import", js, "--header-row", "2").exit_code == 2
    assert seeded("members", "import", path, "--header-row", "0").exit_code == 2


# --- workbooks ---------------------------------------------------------------------------------


def office_workbook(path):
    """A notes sheet first, then the roster: merged title, month formats, numbers as numbers."""
    roster = [
        ["石化街道党员花名册"],
        ["序号", "党员编号", "姓名", "出生年月", "入党时间", "联系电话", "党员类别", "居民区"],
        [1, "00104", "沈　佳怡", datetime(1948, 4, 1), datetime(1975, 7, 1), 13812345678,
         "离退休", "A01"],
        [2, "00105", "王海", datetime(1950, 3, 1), datetime(1980, 10, 1), None, "在职", "A02"],
        [3, "00106", "李华", datetime(1960, 5, 1), datetime(1985, 6, 18), None, "流动", "A02"],
        ["合计", None, "3人"],
    ]
    formats = {(3, 4): 'yyyy"年"m"月"', (4, 4): "yyyy-mm", (5, 4): "yyyy.mm",
               (3, 5): "yyyy-mm", (4, 5): '[$-804]yyyy"年"m"月";@', (5, 5): "yyyy/m/d"}
    return workbook(path, [
        ("填表说明", [["填表说明"], ["1. 党员编号请按 5 位填写"], ["2. 出生年月填到月"]], {}),
        ("花名册", roster, {"formats": formats, "merge": ["A1:H1"]}),
    ])


def test_a_workbook_is_read_from_the_sheet_that_holds_the_data(seeded, tmp_path):
    result = seeded.ok("members", "import", office_workbook(tmp_path / "花名册.xlsx"))
    assert tally(result) == "inserted 3, updated 0, unchanged 0, rejected 0"
    assert "读取工作表“花名册”（其余工作表：填表说明" in result.stderr
    assert "（工作表“花名册”）：第 1 行不是表头" in result.stderr
    assert "（工作表“花名册”）：第 6 行是合计" in result.stderr
    got = {no: member(seeded, no) for no in ("00104", "00105", "00106")}
    assert [got[n]["born_on"] for n in got] == ["1948-04", "1950-03", "1960-05"]
    assert [got[n]["joined_on"] for n in got] == ["1975-07", "1980-10", "1985-06-18"]
    assert got["00104"]["phone"] == "13812345678" and got["00104"]["name"] == "沈佳怡"


def test_the_same_roster_as_csv_and_xlsx_gives_the_same_records(seeded, tmp_path):
    seeded.ok("members", "import", office_workbook(tmp_path / "花名册.xlsx"))
    path = gbk_csv(tmp_path / "花名册.csv", [
        ["石化街道党员花名册"],
        ["序号", "党员编号", "姓名", "出生年月", "入党时间", "联系电话", "党员类别", "居民区"],
        ["1", "00104", "沈　佳怡", "1948年4月", "1975-07", "13812345678", "离退休", "A01"],
        ["2", "00105", "王海", "1950-03", "1980年10月", "", "在职", "A02"],
        ["3", "00106", "李华", "1960.5", "1985/6/18", "", "流动", "A02"],
        ["合计", "", "3人"]])
    assert tally(seeded.ok("members", "import", path)) == \
        "inserted 0, updated 0, unchanged 3, rejected 0"


def test_messages_about_a_sheet_name_it(seeded, tmp_path):
    path = workbook(tmp_path / "m.xlsx", [
        ("说明", [["请按模板填写"]], {}),
        ("党员", [["党员编号", "姓名", "党员类别", "居民区"], ["00104", "沈佳怡", "退休了", "A01"]], {})])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "工作表“党员”第 2 行 [党员类别]" in result.stderr
    en = seeded("--lang", "en", "members", "import", path)
    assert "sheet '党员' line 2 [党员类别]" in en.stderr


def test_sheet_option_picks_one_and_an_unknown_name_lists_them(seeded, tmp_path):
    rows = [["党员编号", "姓名", "党员类别", "居民区"]]
    path = workbook(tmp_path / "m.xlsx", [
        ("一村", [*rows, ["00104", "沈佳怡", "离退休", "A01"]], {}),
        ("二村", [*rows, ["00105", "王海", "在职", "A02"]], {})])
    result = seeded.ok("members", "import", path, "--sheet", "二村")
    assert tally(result).startswith("inserted 1,") and member(seeded, "00105")
    assert member(seeded, "00104") is None
    missing = seeded("members", "import", path, "--sheet", "三村")
    assert missing.exit_code == 1 and "没有名为“三村”的工作表（有：一村、二村）" in missing.stderr


def test_a_workbook_without_a_header_anywhere_says_which_sheet_was_read(seeded, tmp_path):
    path = workbook(tmp_path / "m.xlsx", [("填表说明", [["请填写"]], {}),
                                          ("Sheet2", [["甲", "乙"], ["1", "2"]], {})])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "m.xlsx（工作表“填表说明”）：缺少必需的列：member_no" in result.stderr
    assert "--sheet" in result.stderr


# --- one person, one member --------------------------------------------------------------------


def test_an_id_number_held_by_another_member_is_a_row_error_naming_that_member(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名", "身份证号", "党员类别", "居民区"],
                                        ["0901", "张伟", ID_ZHANG, "离退休", "A01"]])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "第 2 行 [身份证号]: 此身份证号已属于党员 0001（张伟）" in result.stderr
    assert seeded.count("members") == 4


def test_the_same_id_number_twice_in_one_file_is_a_row_error(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名", "身份证号", "党员类别", "居民区"],
                                        ["0901", "沈佳怡", ID_SHEN, "离退休", "A01"],
                                        ["0902", "沈佳怡", ID_SHEN, "离退休", "A01"]])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "第 3 行 [身份证号]: 与第 2 行（党员编号 0901）的身份证号相同" in result.stderr


def test_members_add_with_an_id_number_held_by_another_member_is_a_conflict(seeded):
    result = seeded("members", "add", "--no", "0901", "--name", "张伟", "--category", "离退休",
                    "--area", "A01", "--id-card", ID_ZHANG)
    assert result.exit_code == 1
    assert "0901：此身份证号已属于党员 0001（张伟）" in result.stderr
    assert seeded.count("members") == 4
    edit = seeded("members", "edit", "0003", "--id-card", ID_ZHANG)
    assert edit.exit_code == 1 and "已属于党员 0001" in edit.stderr


@pytest.mark.parametrize("cell", ["104", "104.0", 104])
def test_a_number_that_lost_its_leading_zeros_is_not_a_second_member(seeded, tmp_path, cell):
    seeded.ok("members", "add", "--no", "00104", "--name", "沈佳怡", "--category", "离退休",
              "--area", "A01", "--id-card", ID_SHEN)
    rows = [["党员编号", "姓名", "党员类别", "居民区"], [cell, "沈佳怡", "离退休", "A01"]]
    if isinstance(cell, int):
        path = workbook(tmp_path / "m.xlsx", [("Sheet1", rows, {})])
    else:
        path = gbk_csv(tmp_path / "m.csv", rows)
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "104 可能是 00104（前导零丢失），库中已有党员 00104（沈佳怡）" in result.stderr
    assert "member_no_width" in result.stderr
    assert seeded.count("members") == 5


def test_lost_zeros_next_to_the_id_number_say_both(seeded, tmp_path):
    seeded.ok("members", "add", "--no", "00104", "--name", "沈佳怡", "--category", "离退休",
              "--area", "A01", "--id-card", ID_SHEN)
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名", "身份证号", "党员类别", "居民区"],
                                        ["104", "沈佳怡", ID_SHEN, "离退休", "A01"]])
    result = seeded("members", "import", path)
    assert "已属于党员 00104（沈佳怡）" in result.stderr
    assert "104 可能是 00104（前导零丢失）" in result.stderr


def test_lost_zeros_inside_one_file(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名", "党员类别", "居民区"],
                                        ["00104", "沈佳怡", "离退休", "A01"],
                                        ["104", "沈佳怡", "离退休", "A01"]])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "第 3 行 [党员编号]: 104 可能是 00104（前导零丢失），第 2 行已有 00104" in result.stderr


def test_member_no_width_in_the_config_puts_the_zeros_back(seeded, tmp_path):
    seeded.ok("members", "add", "--no", "00104", "--name", "沈佳怡", "--category", "离退休",
              "--area", "A01")
    config = tmp_path / "cbtool.toml"
    config.write_text("[members]\nmember_no_width = 5\n", encoding="utf-8")
    path = workbook(tmp_path / "m.xlsx", [("Sheet1", [["党员编号", "联系电话"],
                                                      [104, 13900001111], [106.0, None]], {})])
    result = seeded("--config", config, "members", "import", path)
    assert result.exit_code == 1  # 00106 is new and the file has no name for it
    assert "第 3 行: 00106 是新党员（库中没有此编号），须填写姓名" in result.stderr
    seeded.ok("--config", config, "members", "import", path, "--skip-invalid")
    assert member(seeded, "00104")["phone"] == "13900001111"
    added = seeded("--config", config, "members", "add", "--no", "7", "--name", "李华",
                   "--category", "在职", "--area", "A01")
    assert added.exit_code == 0 and member(seeded, "00007")["name"] == "李华"


def test_members_add_refuses_a_number_that_differs_only_by_leading_zeros(seeded, tmp_path):
    result = seeded("members", "add", "--no", "1", "--name", "张伟", "--category", "离退休",
                    "--area", "A01")
    assert result.exit_code == 1
    assert "库中已有党员 0001（张伟）；1 可能是 0001（前导零丢失）" in result.stderr
    assert seeded.count("members") == 4
    # so what is stored exports into a file that imports back into a fresh database
    out = tmp_path / "党员.xlsx"
    seeded.ok("members", "export", "--out", out)
    fresh = tmp_path / "fresh.db"
    seeded.ok("--db", fresh, "init", db=False)
    seeded.ok("--db", fresh, "areas", "add", "A01", "石化一村居民区", db=False)
    seeded.ok("--db", fresh, "areas", "add", "A02", "石化二村居民区", db=False)
    seeded.ok("--db", fresh, "members", "import", out, db=False)


# --- partial files -----------------------------------------------------------------------------


def test_a_file_of_corrections_updates_only_its_columns(seeded, tmp_path):
    before = member(seeded, "0001")
    path = gbk_csv(tmp_path / "改电话.csv", [["党员编号", "联系电话"], ["0001", "13900001111"],
                                            ["0003", "021-57941234"]])
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 0, updated 2, unchanged 0, rejected 0"
    after = member(seeded, "0001")
    assert after == {**before, "phone": "13900001111"}
    assert member(seeded, "0003")["phone"] == "021-57941234"


def test_a_new_member_in_a_partial_file_needs_name_category_and_area(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名"], ["0001", "张伟"], ["0901", "沈佳怡"]])
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert "第 3 行: 0901 是新党员（库中没有此编号），须填写党员类别" in result.stderr
    assert "须填写居民区" in result.stderr and "须填写姓名" not in result.stderr
    assert "第 2 行" not in result.stderr


def test_an_empty_required_cell_still_cannot_clear_a_stored_name(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名"], ["0001", ""]])
    result = seeded("members", "import", path)
    assert result.exit_code == 1 and "[姓名]" in result.stderr


def test_a_category_change_is_dated_and_reasoned_by_its_columns(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "党员类别", "变更日期", "变更原因"],
                                        ["0004", "离退休", "2025年12月31日", "办理退休"],
                                        ["0003", "下岗", "2025-01-01", "不变"]])
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 0, updated 1, unchanged 1, rejected 0"
    assert seeded.rows("SELECT from_category, to_category, date, reason FROM category_changes "
                       "WHERE member_no = '0004'") == [("employed", "retired", "2025-12-31",
                                                        "办理退休")]


def test_a_category_change_without_those_columns_is_dated_today_with_reason_import(seeded,
                                                                                   tmp_path):
    from cbtool import importing
    from cbtool.store import open_store
    from cbtool.tabular import open_source

    path = gbk_csv(tmp_path / "m.csv", [["石化街道党员花名册"], ["党员编号", "党员类型"],
                                        ["0004", "离退休"]])
    store = open_store(seeded.db_path)
    store.today = date(2026, 5, 4)
    try:
        with store.transaction(), open_source(
                str(path), is_heading=importing.heading_test("members")) as source:
            plan = importing.plan_import(store, "members", source)
            assert plan.notes and plan.updated == 1
            importing.apply(store, plan)
            plan.discard()
    finally:
        store.close()
    assert seeded.rows("SELECT date, reason FROM category_changes WHERE member_no = '0004'") == [
        ("2026-05-04", "导入")]


# --- headings and values as typed --------------------------------------------------------------


def test_headings_as_people_type_them(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [
        ["序号", "*党员编号", "姓  名", "性 别", "出生年月（年月）", "入党年月", "联系方式", "党员类型",
         "所在社区", "备　注"],
        ["1", "0901", "沈佳怡", "女", "195003", "1975.7", "13812345678", "离退休", "A01", "x"]])
    result = seeded.ok("members", "import", path)
    assert tally(result) == "inserted 1, updated 0, unchanged 0, rejected 0"
    assert "未识别的列" not in result.stderr
    got = member(seeded, "0901")
    assert (got["gender"], got["born_on"], got["joined_on"], got["phone"], got["category"],
            got["area"], got["note"]) == ("F", "1950-03", "1975-07", "13812345678", "retired",
                                          "A01", "x")


def test_a_local_landline_takes_the_configured_area_code(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "联系电话"], ["0001", "57941234"]])
    without = seeded("members", "import", path)
    assert without.exit_code == 1
    assert "“57941234”是没有区号的固定电话" in without.stderr and "area_code" in without.stderr
    config = tmp_path / "cbtool.toml"
    config.write_text('[members]\narea_code = "021"\n', encoding="utf-8")
    seeded.ok("--config", config, "members", "import", path)
    assert member(seeded, "0001")["phone"] == "021-57941234"
    seeded.ok("--config", config, "members", "edit", "0003", "--phone", "5794 1235")
    assert member(seeded, "0003")["phone"] == "021-57941235"
    config.write_text('[members]\narea_code = "21"\n', encoding="utf-8")
    assert seeded("--config", config, "members", "list").exit_code == 3


def test_names_lose_their_padding_spaces_notes_keep_theirs(seeded, tmp_path):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "姓名", "党员类别", "居民区", "备注"],
                                        ["0901", "沈　佳怡", "离退休", "A01", "老党员　 独居"],
                                        ["0902", "王  芳", "离退休", "A01", ""],
                                        ["0903", "Anna Li", "离退休", "A01", ""]])
    seeded.ok("members", "import", path)
    assert member(seeded, "0901")["name"] == "沈佳怡"
    assert member(seeded, "0901")["note"] == "老党员  独居"
    assert member(seeded, "0902")["name"] == "王芳" and member(seeded, "0903")["name"] == "Anna Li"
    found = seeded.ok("members", "list", "--search", "沈佳怡", "--format", "json")
    assert [m["member_no"] for m in json.loads(found.stdout)] == ["0901"]


def test_vocabulary_values_with_full_width_punctuation(seeded, tmp_path):
    path = gbk_csv(tmp_path / "检查.csv", [["五有检查记录表"],
                                           ["服务点", "检查项目", "是否具备", "检查日期", "检查人"],
                                           ["A01", "有党员服务中心（场所）", "是", "2026-11-01", "王　芳"],
                                           ["A01", "有工作台账", "否", "2026-11-01", "王　芳"]])
    result = seeded.ok("checklist", "import", path)
    assert tally(result) == "inserted 2, updated 0, unchanged 0, rejected 0"
    assert seeded.rows("SELECT item, inspector FROM checks ORDER BY item") == [
        ("ledger", "王芳"), ("venue", "王芳")]


@pytest.mark.parametrize("typed,stored", [("195003", "1950-03"), ("1950.3", "1950-03"),
                                          ("1950年3月", "1950-03"), ("19500312", "1950-03-12")])
def test_months_as_typed_are_months(seeded, tmp_path, typed, stored):
    path = gbk_csv(tmp_path / "m.csv", [["党员编号", "出生年月"], ["0003", typed]])
    seeded.ok("members", "import", path)
    assert member(seeded, "0003")["born_on"] == stored


# --- the example roster ------------------------------------------------------------------------


def test_the_office_roster_example_imports_as_it_is(cli):
    from pathlib import Path

    examples = Path(__file__).resolve().parent.parent / "examples"
    roster = examples / "石化街道党员花名册.csv"
    text = roster.read_bytes().decode("gbk")
    assert text.startswith("石化街道党员花名册") and "\n合计," in text and "填表人：" in text
    cli.ok("init")
    cli.ok("areas", "import", examples / "areas.csv")
    result = cli.ok("members", "import", roster)
    assert tally(result) == "inserted 5, updated 0, unchanged 0, rejected 0"
    assert "第 1–2 行不是表头，已跳过" in result.stderr and "第 9–10 行是合计" in result.stderr
    assert member(cli, "000301")["name"] == "沈佳怡"
    assert member(cli, "000304")["born_on"] == "1985-06"
    assert tally(cli.ok("members", "import", roster)) == \
        "inserted 0, updated 0, unchanged 5, rejected 0"


# --- the pieces ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt,month", [('yyyy"年"m"月"', True), ("yyyy-mm", True),
                                       ("yyyy.mm", True), ("mmm-yy", True),
                                       ('[$-804]yyyy"年"m"月";@', True), ("yyyy/m/d", False),
                                       ('yyyy"年"m"月"d"日"', False), ("yyyy-mm-dd hh:mm", False),
                                       ("General", False), (None, False)])
def test_month_number_formats(fmt, month):
    from cbtool.tabular import is_month_format

    assert is_month_format(fmt) is month


def test_find_header_returns_the_rows_after_it_unchanged():
    from cbtool.layout import find_header

    rows = [(1, ["标题", None]), (2, [None, None]), (3, ["a", "b"]), (4, ["1", "2"])]
    known = {"a", "b"}.__contains__
    header, skipped, rest = find_header(iter(rows), known)
    assert header == (3, ["a", "b"]) and skipped == [1, 2] and list(rest) == [(4, ["1", "2"])]
    header, skipped, rest = find_header(iter(rows), lambda t: False)  # nothing looks like one
    assert header == (1, ["标题", None]) and skipped == [] and [r[0] for r in rest] == [2, 3, 4]
    header, skipped, rest = find_header(iter(rows), known, header_row=4)
    assert header == (4, ["1", "2"]) and skipped == [1, 2, 3] and list(rest) == []
