"""cbtool template: blank .xlsx/.csv files that a clerk fills in and imports with no edits."""

from __future__ import annotations

import csv
import io
import stat
from datetime import datetime

import openpyxl
import pytest

from cbtool.importing import HEADINGS
from cbtool.templates import LISTS_TITLE, NOTES_TITLE, ROWS

MEMBER_HEADINGS = ["党员编号", "姓名", "性别", "出生日期", "身份证号", "联系电话", "党员类别",
                   "居民区", "入党时间", "工作单位", "流向", "外出时间", "备注"]
ID_ZHAO = "310116195003124319"  # 1950-03-12, male (valid check digit)


def make(cli, kind, path, *extra):
    return cli.ok("template", kind, "--out", str(path), *extra)


def headings(ws):
    return [c.value for c in ws[1] if c.value is not None]


def column(ws, heading):
    """1-based column index of a heading in row 1."""
    return headings(ws).index(heading) + 1


def letter(ws, heading):
    from openpyxl.utils import get_column_letter

    return get_column_letter(column(ws, heading))


def choices(book, ws, heading):
    """The values of the drop-down list on a heading's column (None: no list)."""
    col = letter(ws, heading)
    found = [dv for dv in ws.data_validations.dataValidation
             if any(str(r).startswith(f"{col}2:") for r in dv.sqref.ranges)]
    if not found:
        return None
    (dv,) = found
    assert dv.type == "list" and dv.showErrorMessage
    sheet, cells = dv.formula1.rsplit("!", 1)
    lists = book[sheet.strip("'")]
    return [c.value for (c,) in lists[cells.replace("$", "")]]


def fill(path, rows, out=None):
    """Type rows into the data sheet from row 2, as a clerk would, and save."""
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    names = headings(ws)
    for r, row in enumerate(rows, 2):
        for heading, value in row.items():
            cell = ws.cell(r, names.index(heading) + 1)
            cell.value = value
            if isinstance(value, str):
                cell.data_type = "s"  # what a cell formatted as text holds
    out = out or path
    book.save(out)
    return out


# --- the workbook ---------------------------------------------------------------------


def test_members_template_headings_text_columns_and_lists(seeded, tmp_path):
    path = tmp_path / "党员模板.xlsx"
    result = make(seeded, "members", path)
    assert "党员模板.xlsx" in result.stderr and "cbtool members import" in result.stderr
    book = openpyxl.load_workbook(path)
    assert book.sheetnames[:2] == ["党员", NOTES_TITLE]  # the data sheet first
    assert book[LISTS_TITLE].sheet_state == "hidden"
    ws = book.worksheets[0]
    assert headings(ws) == MEMBER_HEADINGS  # row 1: nothing above the header
    assert ws.freeze_panes == "A2"
    # every heading is the importer's own first Chinese heading for its field
    firsts = {aliases[0] for aliases in HEADINGS["members"].values()}
    assert set(MEMBER_HEADINGS) <= firsts
    for heading in ("党员编号", "身份证号", "联系电话", "出生日期", "入党时间", "居民区"):
        col = column(ws, heading)
        assert ws.cell(2, col).number_format == "@", heading
        assert ws.cell(ROWS, col).number_format == "@", heading
        assert ws.column_dimensions[letter(ws, heading)].number_format == "@", heading
    assert ws.cell(2, column(ws, "姓名")).number_format == "General"
    assert choices(book, ws, "党员类别") == ["离退休", "下岗", "流动", "在职"]
    assert choices(book, ws, "居民区") == ["石化一村居民区", "石化二村居民区"]  # from the db
    assert choices(book, ws, "性别") == ["男", "女"]
    assert choices(book, ws, "姓名") is None
    # required columns are marked; the widths fit the ID number
    fills = {h: ws.cell(1, column(ws, h)).fill.fgColor.rgb for h in MEMBER_HEADINGS}
    marked = {h for h, rgb in fills.items() if rgb not in (None, "00000000")}
    assert marked == {"党员编号", "姓名", "党员类别", "居民区"}
    assert ws.column_dimensions[letter(ws, "身份证号")].width >= 18


def test_notes_sheet_explains_every_column_with_an_example(seeded, tmp_path):
    path = tmp_path / "m.xlsx"
    make(seeded, "members", path)
    notes = openpyxl.load_workbook(path)[NOTES_TITLE]
    rows = list(notes.iter_rows(values_only=True))
    assert rows[0][0] == NOTES_TITLE
    start = next(i for i, r in enumerate(rows) if r[0] == "列名")
    table = {r[0]: r for r in rows[start + 1:] if r[0]}
    assert list(table) == MEMBER_HEADINGS
    assert table["党员编号"][1] == "必填" and table["性别"][1] is None
    assert table["党员编号"][3] == "00104"
    assert table["居民区"][3] == "石化一村居民区"  # a drop-down's example is its first choice
    assert any("cbtool members import" in (r[0] or "") for r in rows[:start])


def test_the_example_row_works_and_is_never_imported(seeded, tmp_path):
    """The example (in 填表说明) is a valid row when typed into the data sheet, and an
    unfilled template imports nothing."""
    path = tmp_path / "m.xlsx"
    make(seeded, "members", path)
    result = seeded.ok("members", "import", str(path))
    assert result.stderr.strip().splitlines()[-1] == ("inserted 0, updated 0, unchanged 0, "
                                                      "rejected 0")
    assert seeded.count("members") == 4
    notes = openpyxl.load_workbook(path)[NOTES_TITLE]
    rows = list(notes.iter_rows(values_only=True))
    start = next(i for i, r in enumerate(rows) if r[0] == "列名")
    example = {r[0]: r[3] for r in rows[start + 1:] if r[0] and r[3]}
    fill(path, [example])
    seeded.ok("members", "import", str(path))
    assert seeded.rows("SELECT member_no, name, area, category, joined_on FROM members "
                       "WHERE member_no = '00104'") == [
        ("00104", "张建国", "A01", "retired", "1975-07")]


# --- filled templates import with no edits ---------------------------------------------


def test_filled_members_template_imports_as_typed(seeded, tmp_path):
    path = tmp_path / "m.xlsx"
    make(seeded, "members", path)
    fill(path, [
        {"党员编号": "00104", "姓名": "赵建国", "性别": "男", "身份证号": ID_ZHAO,
         "联系电话": "13800138000", "党员类别": "离退休", "居民区": "石化一村居民区",
         "入党时间": "1975-07", "工作单位": "上海石化股份有限公司"},
        {"党员编号": "00105", "姓名": "钱丽", "性别": "女", "出生日期": "1988-05",
         "联系电话": "021-57941234", "党员类别": "流动", "居民区": "石化二村居民区",
         "流向": "江苏省苏州市", "外出时间": datetime(2024, 3, 1)},
    ])
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert ws.cell(2, 1).number_format == "@"  # typing kept the text format
    seeded.ok("members", "import", str(path))
    rows = seeded.rows(
        "SELECT member_no, name, gender, born_on, id_card, phone, category, area, joined_on, "
        "whereabouts, left_on FROM members WHERE member_no IN ('00104', '00105') "
        "ORDER BY member_no")
    assert rows == [
        ("00104", "赵建国", "M", "1950-03-12", ID_ZHAO, "13800138000", "retired", "A01",
         "1975-07", None, None),
        ("00105", "钱丽", "F", "1988-05", None, "021-57941234", "mobile", "A02", None,
         "江苏省苏州市", "2024-03-01"),
    ]


def test_filled_areas_template_imports(cli, tmp_path):
    cli.ok("init")
    path = tmp_path / "areas.xlsx"
    make(cli, "areas", path)
    ws = openpyxl.load_workbook(path).worksheets[0]
    assert headings(ws) == ["编号", "名称"]
    assert ws.cell(2, 1).number_format == "@" and ws.cell(2, 2).number_format == "General"
    fill(path, [{"编号": "01", "名称": "石化一村居民区"}, {"编号": "A02", "名称": "石化二村居民区"}])
    cli.ok("areas", "import", str(path))
    assert cli.rows("SELECT code, name FROM areas ORDER BY code") == [
        ("01", "石化一村居民区"), ("A02", "石化二村居民区")]


def test_filled_logs_template_imports(seeded, tmp_path):
    path = tmp_path / "logs.xlsx"
    make(seeded, "logs", path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert headings(ws) == ["服务点", "日期", "类型", "标题", "参加党员", "服务人数",
                            "志愿时长", "备注", "外部编号", "结对单位", "共建内容", "一居一品"]
    assert choices(book, ws, "服务点") == ["石化一村居民区党员服务点", "石化二村居民区党员服务点",
                                        "社区党员服务中心"]
    assert choices(book, ws, "类型")[:2] == ["走访慰问", "帮困救助"]
    for heading in ("服务点", "参加党员", "外部编号"):
        assert ws.cell(2, column(ws, heading)).number_format == "@", heading
    assert ws.cell(2, column(ws, "日期")).number_format == "yyyy-mm-dd"
    fill(path, [
        {"服务点": "社区党员服务中心", "日期": datetime(2025, 11, 5), "类型": "志愿服务",
         "标题": "社区环境清洁", "参加党员": "0001、0003", "服务人数": 20, "志愿时长": 1.5,
         "外部编号": "0042"},
        {"服务点": "石化一村居民区党员服务点", "日期": "2025-11-06", "类型": "走访慰问",
         "标题": "走访困难老党员"},
    ])
    seeded.ok("logs", "import", str(path))
    logs = seeded.rows("SELECT point, date, kind, title, served, hours, ref FROM logs "
                       "ORDER BY id")
    assert logs == [("C00", "2025-11-05", "volunteer", "社区环境清洁", 20, 1.5, "0042"),
                    ("A01", "2025-11-06", "visit", "走访困难老党员", 0, 0, None)]
    assert seeded.rows("SELECT member_no FROM log_participants ORDER BY member_no") == [
        ("0001",), ("0003",)]


def test_filled_checklist_template_imports(seeded, tmp_path):
    path = tmp_path / "checks.xlsx"
    make(seeded, "checklist", path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert headings(ws) == ["服务点", "检查项目", "是否具备", "检查日期", "检查人", "备注"]
    assert choices(book, ws, "检查项目") == ["有党员服务中心(场所)", "有制度", "有党建园地",
                                          "有电教设备", "有工作台帐"]
    assert choices(book, ws, "是否具备") == ["是", "否"]
    fill(path, [
        {"服务点": "石化一村居民区党员服务点", "检查项目": "有党员服务中心(场所)", "是否具备": "是",
         "检查日期": datetime(2025, 11, 20), "检查人": "王芳"},
        {"服务点": "石化一村居民区党员服务点", "检查项目": "有电教设备", "是否具备": "否",
         "检查日期": datetime(2025, 11, 20), "检查人": "王芳", "备注": "投影仪待配"},
    ])
    seeded.ok("checklist", "import", str(path))
    assert seeded.rows("SELECT point, item, ok, date, inspector, note FROM checks "
                       "ORDER BY item") == [
        ("A01", "av", 0, "2025-11-20", "王芳", "投影仪待配"),
        ("A01", "venue", 1, "2025-11-20", "王芳", None)]


# --- lists from the database and the config ---------------------------------------------


def test_lists_follow_the_config(seeded, tmp_path):
    config = tmp_path / "c.toml"
    config.write_text('[logs.kinds]\nparty_day = "主题党日"\n\n'
                      '[checklist.items]\nvenue = "有活动阵地"\nrules = "有制度"\n',
                      encoding="utf-8")
    make(seeded, "logs", tmp_path / "l.xlsx")
    seeded.ok("--config", str(config), "template", "logs", "--out", str(tmp_path / "l2.xlsx"))
    seeded.ok("--config", str(config), "template", "checklist", "--out",
              str(tmp_path / "c.xlsx"))
    book = openpyxl.load_workbook(tmp_path / "l2.xlsx")
    assert "主题党日" in choices(book, book.worksheets[0], "类型")
    book = openpyxl.load_workbook(tmp_path / "l.xlsx")
    assert "主题党日" not in choices(book, book.worksheets[0], "类型")
    book = openpyxl.load_workbook(tmp_path / "c.xlsx")
    assert choices(book, book.worksheets[0], "检查项目") == ["有活动阵地", "有制度"]
    fill(tmp_path / "l2.xlsx", [{"服务点": "社区党员服务中心", "日期": "2025-11-05",
                                 "类型": "主题党日", "标题": "十一月主题党日"}])
    seeded.ok("--config", str(config), "logs", "import", str(tmp_path / "l2.xlsx"))
    assert seeded.rows("SELECT kind FROM logs") == [("party_day",)]


def test_long_lists_are_ranges_on_the_hidden_sheet(cli, tmp_path):
    cli.ok("init")
    names = [f"石化第{i:02d}村居民区" for i in range(1, 41)]  # far beyond 255 characters
    areas = tmp_path / "areas.csv"
    areas.write_text("code,name\n" + "".join(f"A{i:02d},{n}\n" for i, n in enumerate(names, 1)),
                     encoding="utf-8")
    cli.ok("areas", "import", str(areas))
    path = tmp_path / "m.xlsx"
    make(cli, "members", path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert choices(book, ws, "居民区") == names
    for dv in ws.data_validations.dataValidation:
        assert len(dv.formula1) <= 255 and "!" in dv.formula1


def test_an_area_name_that_is_not_unique_is_listed_by_code(cli, tmp_path):
    """A value in a list is one the importer reads as that very record: a point whose
    name another point shares is listed by its code."""
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    cli.ok("points", "add", "P01", "睦邻点", "--area", "A01")
    cli.ok("points", "add", "P02", "睦邻点", "--area", "A01")
    cli.ok("points", "add", "P03", "旧点")
    cli.ok("points", "edit", "P03", "--inactive")
    path = tmp_path / "logs.xlsx"
    make(cli, "logs", path)
    book = openpyxl.load_workbook(path)
    assert choices(book, book.worksheets[0], "服务点") == ["石化一村居民区党员服务点", "P01",
                                                       "P02"]


def test_no_areas_yet_no_list_and_said(cli, tmp_path):
    cli.ok("init")
    result = make(cli, "members", tmp_path / "m.xlsx")
    assert "还没有居民区" in result.stderr and "居民区" in result.stderr
    book = openpyxl.load_workbook(tmp_path / "m.xlsx")
    ws = book.worksheets[0]
    assert choices(book, ws, "居民区") is None
    assert choices(book, ws, "党员类别") == ["离退休", "下岗", "流动", "在职"]
    en = cli.ok("--lang", "en", "template", "members", "--out", str(tmp_path / "m2.xlsx"))
    assert "no areas in the database yet" in en.stderr


# --- csv --------------------------------------------------------------------------------


def test_csv_template_is_a_header_with_bom_and_imports(seeded, tmp_path):
    path = tmp_path / "m.csv"
    result = make(seeded, "members", path)
    assert "CSV" in result.stderr and ".xlsx" in result.stderr  # says what CSV cannot keep
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig") == ",".join(MEMBER_HEADINGS) + "\n"
    with open(path, "a", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerow(
            ["00104", "赵建国", "男", "", ID_ZHAO, "13800138000", "离退休", "石化一村居民区",
             "1975年7月", "", "", "", ""])
    seeded.ok("members", "import", str(path))
    assert seeded.rows("SELECT member_no, phone, joined_on, born_on FROM members "
                       "WHERE member_no = '00104'") == [
        ("00104", "13800138000", "1975-07", "1950-03-12")]
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    assert rows == [MEMBER_HEADINGS]


# --- the file ---------------------------------------------------------------------------


def test_an_existing_file_is_kept_unless_force(seeded, tmp_path):
    path = tmp_path / "m.xlsx"
    path.write_bytes(b"my roster")
    result = seeded("template", "members", "--out", str(path))
    assert result.exit_code == 1
    assert result.stderr.strip() == f"{path} 已存在，未覆盖（要覆盖请加 --force）"
    assert path.read_bytes() == b"my roster"
    en = seeded("--lang", "en", "template", "members", "--out", str(path))
    assert en.exit_code == 1 and "--force" in en.stderr and str(path) in en.stderr
    make(seeded, "members", path, "--force")
    assert headings(openpyxl.load_workbook(path).worksheets[0]) == MEMBER_HEADINGS


@pytest.mark.parametrize("name", ["m.xlsx", "m.csv"])
def test_written_owner_only_and_atomically(seeded, tmp_path, name):
    path = tmp_path / name
    make(seeded, "members", path)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(f".{name}")] == []


def test_bad_out_or_kind_is_a_usage_error(seeded, tmp_path):
    result = seeded("template", "members", "--out", str(tmp_path / "m.xls"))
    assert result.exit_code == 2 and ".xlsx" in result.stderr
    assert not (tmp_path / "m.xls").exists()
    assert seeded("template", "people", "--out", str(tmp_path / "p.xlsx")).exit_code == 2
    assert seeded("template", "members").exit_code == 2  # --out is required


def test_unwritable_place_is_an_environment_error(seeded, tmp_path):
    result = seeded("template", "members", "--out", str(tmp_path / "nowhere" / "m.xlsx"))
    assert result.exit_code == 3 and "无法写入" in result.stderr
    assert "Traceback" not in result.stderr


def test_text_from_the_database_is_never_a_formula(cli, tmp_path):
    cli.ok("init")
    cli.ok("areas", "add", "A01", "=1+1")
    path = tmp_path / "m.xlsx"
    make(cli, "members", path)
    book = openpyxl.load_workbook(path)
    ws = book.worksheets[0]
    assert choices(book, ws, "居民区") == ["=1+1"]
    (cell,) = book[LISTS_TITLE]["C1:C1"][0]
    assert cell.data_type == "s"
    fill(path, [{"党员编号": "00104", "姓名": "赵建国", "党员类别": "在职", "居民区": "=1+1"}])
    cli.ok("members", "import", str(path))
    assert cli.rows("SELECT area FROM members") == [("A01",)]
