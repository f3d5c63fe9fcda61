"""Aid given (帮扶记录) and fund income (资金收入) in and out of files: every format round-trips
into its own database and a fresh one, the files offices keep import (title and 合计 rows,
GBK, xlsx with real dates and numbers, Chinese headings, yuan as typed), a file never
overdraws a fund, and an income batch whose money was spent cannot be undone."""

from __future__ import annotations

import csv
import datetime
import json

import openpyxl
import pytest
from conftest import Cli

from cbtool import clock

TODAY = "2026-11-30"
STAMPS = ("created_at", "updated_at")
FORMATS = ["csv", "tsv", "json", "jsonl", "xlsx"]


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


def _cases(cli: Cli) -> Cli:
    cli.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保", "--household",
           "--phone", "13900001111", "--helpers", "0001", "--on", "2026-09-01")
    cli.ok("aid", "add", "--name", "钱国庆", "--area", "A02", "--kind", "失业", "--member", "0003",
           "--on", "2026-09-15")
    return cli


@pytest.fixture
def ledgers(seeded):
    """Two cases; income to both standard funds; aid given with and without money, two
    like visits on one day, a voided grant and a voided income."""
    c = _cases(seeded)
    c.ok("aid", "income", "--fund", "急难帮困", "--amount", "5,000", "--on", "2026-10-01",
         "--source", "街道拨款")
    c.ok("aid", "income", "--fund", "互助金", "--amount", "800.50", "--on", "2026-10-03",
         "--source", "党员捐款", "--note", "七一捐款")
    c.ok("aid", "income", "--fund", "互助金", "--amount", "100", "--on", "2026-10-04")
    c.ok("aid", "income-void", "3", "--reason", "录错金额", "--yes")
    c.ok("aid", "give", "2", "--form", "救助金", "--amount", "1200", "--fund", "急难帮困",
         "--on", "2026-10-20", "--note", "=1+1")
    c.ok("aid", "give", "1", "--form", "慰问", "--on", "2026-10-08")
    c.ok("aid", "give", "1", "--form", "慰问", "--on", "2026-10-08")  # a second visit that day
    c.ok("aid", "give", "1", "--form", "物资", "--amount", "300.25", "--fund", "互助金",
         "--on", "2026-10-05")
    c.ok("aid", "give", "1", "--form", "救助金", "--amount", "50", "--fund", "急难帮困",
         "--on", "2026-10-09")
    c.ok("aid", "void", "5", "--reason", "重复发放", "--yes")
    return c


def exported(cli: Cli, command: str) -> list[dict]:
    rows = json.loads(cli.ok("aid", command, "--format", "json").stdout)
    return [{k: v for k, v in r.items() if k not in STAMPS} for r in rows]


def _export_all(cli: Cli, tmp_path, fmt: str, tag: str) -> dict[str, object]:
    files = {}
    for command in ("export", "income-export", "given-export"):
        path = tmp_path / f"{tag}-{command}.{fmt}"
        cli.ok("aid", command, "--out", str(path))
        files[command] = path
    return files


def _content(path) -> list[list]:
    """A file's cells without the tool's stamps (the moment each record was written)."""
    fmt = path.suffix[1:]
    if fmt == "xlsx":
        rows = [list(r) for r in openpyxl.load_workbook(path).worksheets[0].iter_rows(
            values_only=True)]
    elif fmt in ("csv", "tsv"):
        with open(path, encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle, delimiter="\t" if fmt == "tsv" else ","))
    else:
        text = path.read_text(encoding="utf-8")
        records = json.loads(text) if fmt == "json" else [
            json.loads(line) for line in text.splitlines()]
        return [[v for k, v in r.items() if k not in STAMPS] for r in records]
    stamps = {i for i, h in enumerate(rows[0]) if h in (*STAMPS, "创建时间", "更新时间")}
    return [[v for i, v in enumerate(r) if i not in stamps] for r in rows]


def test_the_ledgers_hold_what_is_to_travel(ledgers):
    given = exported(ledgers, "given-export")
    assert [g["id"] for g in given] == [1, 2, 3, 4, 5]  # in the order entered
    assert given[0]["amount"] == "1200.00" and given[0]["note"] == "=1+1"
    assert given[4]["voided"] and given[4]["void_reason"] == "重复发放"
    income = exported(ledgers, "income-export")
    assert [(i["fund"], i["amount"], i["voided"]) for i in income] == [
        ("emergency", "5000.00", False), ("mutual", "800.50", False), ("mutual", "100.00", True)]


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_export_reimports_unchanged_into_its_own_database(ledgers, tmp_path, fmt):
    before = {c: exported(ledgers, c) for c in ("given-export", "income-export")}
    audit = ledgers.count("audit")
    for command in ("income", "given"):
        path = tmp_path / f"{command}.{fmt}"
        ledgers.ok("aid", f"{command}-export", "--out", str(path))
        result = ledgers.ok("aid", f"{command}-import", str(path))
        assert "inserted 0, updated 0," in result.stderr and "rejected 0" in result.stderr, (
            command, result.stderr)
    assert ledgers.count("audit") == audit
    assert {c: exported(ledgers, c) for c in before} == before


@pytest.mark.parametrize("fmt", FORMATS)
def test_export_fresh_database_import_gives_identical_files(ledgers, tmp_path, fmt):
    files = _export_all(ledgers, tmp_path, fmt, "old")
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    fresh.ok("areas", "add", "A01", "石化一村居民区")
    fresh.ok("areas", "add", "A02", "石化二村居民区")
    for no, name, category in (("0001", "张伟", "离退休"), ("0003", "王强", "下岗")):
        fresh.ok("members", "add", "--no", no, "--name", name, "--category", category,
                 "--area", "A01")
    for command in ("import", "income-import", "given-import"):  # cases, money in, money out
        result = fresh.ok("aid", command, str(files[command.replace("import", "export")]))
        assert "rejected 0" in result.stderr, (command, result.stderr)
    again = _export_all(fresh, tmp_path, fmt, "new")
    for command, path in files.items():
        assert _content(again[command]) == _content(path), command
    assert fresh.rows("SELECT fund, sum(amount_fen) FROM fund_income WHERE voided = 0 "
                      "GROUP BY fund ORDER BY fund") == [("emergency", 500000), ("mutual", 80050)]
    for command in ("income-import", "given-import"):  # and again: nothing changes
        result = fresh.ok("aid", command, str(files[command.replace("import", "export")]))
        assert "inserted 0, updated 0," in result.stderr


def test_an_office_spreadsheet_in_gbk_with_title_and_total_rows(seeded, tmp_path):
    _cases(seeded)
    income = tmp_path / "收入.csv"
    with open(income, "w", encoding="gbk", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["石化街道帮困资金收入登记表"])
        w.writerow(["填报单位：石化街道党建办", "", "", "", "填报日期：2026年11月"])
        w.writerow(["序号", "资金名称", "到账日期", "金额（元）", "来源"])
        w.writerow(["1", "街道急难帮困专项资金", "2026年10月1日", "1,200.00", "街道拨款"])
        w.writerow(["2", "党内互助金", "2026.10.2", "800元", "党员捐款"])
        w.writerow(["合计", "", "", "2,000.00", ""])
        w.writerow(["填表人：王芳", "", "审核人：李强", "", ""])
    result = seeded.ok("aid", "income-import", str(income))
    assert "第 1–2 行不是表头" in result.stderr or "不是表头" in result.stderr, result.stderr
    assert "inserted 2, updated 0, unchanged 0, rejected 0" in result.stderr
    assert seeded.rows("SELECT fund, date, amount_fen, source FROM fund_income ORDER BY id") == [
        ("emergency", "2026-10-01", 120000, "街道拨款"), ("mutual", "2026-10-02", 80000, "党员捐款")]
    assert seeded.rows("SELECT code FROM funds ORDER BY code") == [("emergency",), ("mutual",)]


def test_an_xlsx_with_real_dates_numbers_and_a_notes_sheet_first(seeded, tmp_path):
    _cases(seeded)
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "2000", "--on", "2026-10-01")
    path = tmp_path / "帮扶.xlsx"
    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "填表说明"
    notes["A1"] = "金额填元，最多两位小数"
    sheet = book.create_sheet("帮扶记录")
    sheet.append(["石化街道结对帮扶记录"])
    sheet.merge_cells("A1:F1")
    sheet.append(["对象编号", "帮扶日期", "帮扶形式", "金额", "资金", "备注"])
    sheet.append([1, datetime.datetime(2026, 10, 10), "救助金", 500, "急难帮困", "中秋"])
    sheet.append([2, datetime.datetime(2026, 10, 12), "就业帮扶", None, None, "公益性岗位"])
    sheet.append([1, datetime.datetime(2026, 10, 15), "医疗救助", 120.5, "急难帮困", None])
    sheet.append(["合计", None, None, 620.5, None, None])
    book.save(path)
    result = seeded.ok("aid", "given-import", str(path))
    assert "帮扶记录" in result.stderr  # the sheet read is named
    assert "inserted 3, updated 0, unchanged 0, rejected 0" in result.stderr, result.stderr
    assert seeded.rows("SELECT case_id, date, form, amount_fen, fund, note FROM aid_given "
                       "ORDER BY id") == [
        (1, "2026-10-10", "grant", 50000, "emergency", "中秋"),
        (2, "2026-10-12", "employment", None, None, "公益性岗位"),
        (1, "2026-10-15", "medical", 12050, "emergency", None)]
    assert "inserted 0, updated 0, unchanged 3" in seeded.ok(
        "aid", "given-import", str(path)).stderr


def _given_file(tmp_path, rows, name="given.csv"):
    path = tmp_path / name
    with open(path, "w", encoding="utf-8", newline="") as handle:
        w = csv.writer(handle)
        w.writerow(["困难对象编号", "帮扶日期", "帮扶形式", "金额（元）", "资金来源", "备注"])
        w.writerows(rows)
    return path


def test_a_file_that_would_overdraw_a_fund_is_rejected_in_date_order(seeded, tmp_path):
    _cases(seeded)
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "1000", "--on", "2026-10-01")
    path = _given_file(tmp_path, [
        ["1", "2026-11-20", "救助金", "600", "急难帮困", "后发"],   # line 2: later day
        ["2", "2026-10-05", "救助金", "500", "急难帮困", "先发"],   # line 3: earlier day
        ["1", "2026-10-06", "慰问", "", "", ""],                  # line 4: no money
    ])
    errors = tmp_path / "rejects.csv"
    result = seeded("aid", "given-import", str(path), "--errors", str(errors))
    assert result.exit_code == 1
    # In date order line 3 is paid first; line 2 would overdraw: it is named, with the fund.
    assert "第 2 行 [金额（元）]" in result.stderr, result.stderr
    assert "街道急难帮困专项资金" in result.stderr and "500.00 元" in result.stderr
    assert "第 3 行" not in result.stderr
    assert "rejected 1" in result.stderr and seeded.count("aid_given") == 0  # all or nothing
    rejected = list(csv.DictReader(open(errors, encoding="utf-8-sig")))
    assert [r["原行号"] for r in rejected] == ["2"]
    assert "街道急难帮困专项资金" in rejected[0]["错误原因"]
    dry = seeded("aid", "given-import", str(path), "--dry-run", "--skip-invalid", "-f", "json")
    assert "inserted 2" in dry.stderr and seeded.count("aid_given") == 0
    preview = json.loads(dry.stdout)
    assert [p["line"] for p in preview] == [3, 4]
    assert preview[0]["changes"]["amount"] == [None, "500.00"]  # yuan, as the file has it
    seeded.ok("aid", "given-import", str(path), "--skip-invalid")
    assert seeded.rows("SELECT note FROM aid_given ORDER BY id") == [("先发",), (None,)]
    funds = json.loads(seeded.ok("aid", "funds", "--period", "2026", "--format", "json").stdout)
    assert funds[0]["closing"] == "500.00"


def test_two_like_rows_are_two_records_and_stay_two(seeded, tmp_path):
    _cases(seeded)
    path = _given_file(tmp_path, [["1", "2026-10-08", "慰问", "", "", "上午"],
                                  ["1", "2026-10-08", "慰问", "", "", "下午"]])
    assert "inserted 2," in seeded.ok("aid", "given-import", str(path)).stderr
    again = seeded.ok("aid", "given-import", str(path))
    assert "inserted 0, updated 0, unchanged 2" in again.stderr
    path = _given_file(tmp_path, [["1", "2026-10-08", "慰问", "", "", "上午"],
                                  ["1", "2026-10-08", "慰问", "", "", "下午，已电话回访"],
                                  ["1", "2026-10-08", "慰问", "", "", "傍晚"]])
    result = seeded.ok("aid", "given-import", str(path))
    assert "inserted 1, updated 1, unchanged 1" in result.stderr
    assert seeded.rows("SELECT note FROM aid_given ORDER BY id") == [
        ("上午",), ("下午，已电话回访",), ("傍晚",)]


def test_rows_are_checked_as_aid_give_checks_them(seeded, tmp_path):
    _cases(seeded)
    seeded.ok("aid", "close", "2", "--on", "2026-10-31", "--yes")
    path = _given_file(tmp_path, [
        ["9", "2026-10-08", "慰问", "", "", ""],
        ["赵秀英", "2026-10-08", "慰问", "", "", ""],
        ["1", "2026-08-01", "慰问", "", "", ""],
        ["2", "2026-11-05", "慰问", "", "", ""],
        ["1", "2026-10-08", "救助金", "", "", ""],
        ["1", "2026-10-08", "慰问", "12.345", "", ""],
        ["1", "2026-10-08", "联欢", "", "", ""],
    ])
    result = seeded("aid", "given-import", str(path))
    assert result.exit_code == 1 and "rejected 7" in result.stderr
    lines = result.stderr
    assert "第 2 行 [困难对象编号]: 找不到困难对象“9”" in lines
    assert "第 3 行 [困难对象编号]: 找不到困难对象“赵**”" in lines and "赵秀英" not in lines
    assert "第 4 行 [帮扶日期]" in lines
    assert "第 5 行 [帮扶日期]" in lines and "已于 2026-10-31 结案" in lines
    assert "第 6 行" in lines and "第 7 行 [金额（元）]" in lines and "第 8 行 [帮扶形式]" in lines


def test_voiding_by_import_needs_a_reason_and_income_spent_stays(ledgers, tmp_path):
    path = tmp_path / "income.csv"
    ledgers.ok("aid", "income-export", "--out", str(path), "--headings", "zh")
    text = path.read_text(encoding="utf-8").splitlines()
    head, first = text[0], text[1].split(",")
    col = head.split(",").index("作废")
    first[col] = "是"
    path.write_text("\n".join([head, ",".join(first), *text[2:]]) + "\n", encoding="utf-8")
    result = ledgers("aid", "income-import", str(path))
    assert result.exit_code == 1 and "作废原因" in result.stderr
    first[col + 1] = "拨款退回"
    path.write_text("\n".join([head, ",".join(first), *text[2:]]) + "\n", encoding="utf-8")
    result = ledgers("aid", "income-import", str(path))  # 1,250 yuan of it were spent
    assert result.exit_code == 1
    assert "第 2 行" in result.stderr and "街道急难帮困专项资金" in result.stderr
    assert "已支出" in result.stderr and ledgers.rows(
        "SELECT voided FROM fund_income WHERE id = 1") == [(0,)]


def test_each_record_is_audited_with_its_batch_and_the_batch_undoes(seeded, tmp_path):
    _cases(seeded)
    income = tmp_path / "income.csv"
    income.write_text("fund,date,amount,source\nemergency,2026-10-01,1000,街道拨款\n"
                      "mutual,2026-10-02,200.00,捐款\n", encoding="utf-8")
    seeded.ok("aid", "income-import", str(income))
    given = _given_file(tmp_path, [["1", "2026-10-05", "救助金", "300", "急难帮困", ""],
                                   ["2", "2026-10-06", "慰问", "", "", ""]])
    seeded.ok("aid", "given-import", str(given))
    batches = json.loads(seeded.ok("imports", "--format", "json").stdout)
    assert [(b["id"], b["kind"], b["inserted"]) for b in batches] == [
        (2, "aid-given", 2), (1, "aid-income", 2)]
    assert seeded.rows("SELECT table_name, key, batch FROM audit WHERE batch IS NOT NULL "
                       "AND table_name IN ('fund_income', 'aid_given') ORDER BY id") == [
        ("fund_income", "1", 1), ("fund_income", "2", 1), ("aid_given", "1", 2),
        ("aid_given", "2", 2)]
    # The income was spent since: its batch is not undone, and says why.
    refused = seeded("imports", "undo", "1", "--yes")
    assert refused.exit_code == 1
    assert "街道急难帮困专项资金" in refused.stderr and "-300.00" in refused.stderr
    assert seeded.count("fund_income") == 2
    seeded.ok("imports", "undo", "2", "--yes")  # the spending goes: then the income can
    assert seeded.count("aid_given") == 0
    seeded.ok("imports", "undo", "1", "--yes")
    assert seeded.count("fund_income") == 0


def test_undoing_a_batch_that_voided_aid_counts_the_money_again(ledgers, tmp_path):
    path = tmp_path / "given.json"
    ledgers.ok("aid", "given-export", "--out", str(path))
    rows = json.loads(path.read_text(encoding="utf-8"))
    rows[0].update(voided=True, void_reason="发错对象")  # 1,200 yuan back to the fund
    path.write_text(json.dumps(rows, ensure_ascii=False), encoding="utf-8")
    assert "updated 1" in ledgers.ok("aid", "given-import", str(path)).stderr
    ledgers.ok("imports", "undo", "1", "--yes")  # nothing spent since: the void is undone
    assert ledgers.rows("SELECT voided, void_reason FROM aid_given WHERE id = 1") == [(0, None)]
    assert "updated 1" in ledgers.ok("aid", "given-import", str(path)).stderr
    ledgers.ok("aid", "give", "1", "--form", "救助金", "--amount", "4000", "--fund", "急难帮困",
               "--on", "2026-11-01")  # spends what the void gave back
    refused = ledgers("imports", "undo", "2", "--yes")
    assert refused.exit_code == 1 and "街道急难帮困专项资金" in refused.stderr
    assert ledgers.rows("SELECT voided FROM aid_given WHERE id = 1") == [(1,)]


def test_human_output_of_an_import_keeps_recipients_masked(ledgers, tmp_path):
    path = tmp_path / "given.csv"
    ledgers.ok("aid", "given-export", "--out", str(path))
    ledgers.ok("aid", "void", "2", "--reason", "x", "--yes")
    dry = ledgers.ok("aid", "given-import", str(path), "--dry-run")
    table = ledgers.ok("aid", "given")
    for text in (dry.stderr, dry.stdout, table.stdout):
        assert "赵秀英" not in text and "13900001111" not in text


def test_filled_templates_import_as_typed(seeded, tmp_path):
    _cases(seeded)
    for kind, command, row in (
        ("aid-income", "income-import", {"资金": "党内互助金", "收入日期": "2026-10-01",
                                         "金额（元）": "1,000.00", "来源": "党员捐款"}),
        ("aid-given", "given-import", {"困难对象编号": "1", "帮扶日期": "2026-10-02",
                                       "帮扶形式": "物资", "金额（元）": "200元",
                                       "资金来源": "党内互助金"}),
    ):
        path = tmp_path / f"{kind}.xlsx"
        made = seeded.ok("template", kind, "--out", str(path))
        assert f"cbtool aid {command}" in made.stderr
        book = openpyxl.load_workbook(path)
        sheet = book.worksheets[0]
        headings = [c.value for c in sheet[1]]
        for heading, value in row.items():
            sheet.cell(row=2, column=headings.index(heading) + 1, value=value).data_type = "s"
        book.save(path)
        assert "inserted 1," in seeded.ok("aid", command, str(path)).stderr
    assert seeded.rows("SELECT amount_fen, fund FROM aid_given") == [(20000, "mutual")]


def test_pairings_name_their_unit_and_teams_keep_theirs(seeded):
    result = seeded("pairings", "add", "--point", "A01", "--unit", "", "--headings", "all")
    assert result.exit_code == 1 and "共建单位" in result.stderr
    assert "驻区单位" not in result.stderr
    long = "石化" * 51
    result = seeded("pairings", "add", "--point", "A01", "--unit", long, "--headings", "all")
    assert result.exit_code == 1 and result.stderr.startswith("共建单位")
    result = seeded("teams", "add", "T01", "--name", "银发巡逻队", "--field", "平安守护",
                    "--unit", long)  # volunteers' teams: unchanged
    assert result.exit_code == 1 and result.stderr.startswith("驻区单位"), result.stderr
    english = seeded("--lang", "en", "pairings", "add", "--point", "A01", "--unit", "",
                     "--headings", "all")
    assert english.stderr.startswith("unit")


def test_a_chinese_gbk_export_for_excel_reimports_unchanged(ledgers, tmp_path):
    audit = ledgers.count("audit")
    for command in ("income", "given"):
        path = tmp_path / f"{command}.csv"
        ledgers.ok("aid", f"{command}-export", "--out", str(path), "--headings", "zh",
                   "--encoding", "gbk", "--excel")
        assert ("资金来源" if command == "given" else "来源") in path.read_bytes().decode("gbk")
        result = ledgers.ok("aid", f"{command}-import", str(path))
        assert "inserted 0, updated 0," in result.stderr and "rejected 0" in result.stderr
    assert ledgers.count("audit") == audit and ledgers.count("import_batches") == 0


def test_money_spent_by_another_writer_while_a_file_waits_is_counted(seeded, tmp_path):
    """Planned, then asked; meanwhile another connection spends from the fund: the write
    checks the file again under the lock, and the row that would now overdraw is refused."""
    from cbtool import aid, importing
    from cbtool.store import open_store

    _cases(seeded)
    seeded.ok("aid", "income", "--fund", "急难帮困", "--amount", "1000", "--on", "2026-10-01")
    path = _given_file(tmp_path, [["1", "2026-10-05", "救助金", "800", "急难帮困", ""]])
    asked = []

    def confirm(plan):
        asked.append((plan.inserted, plan.rejected))
        with open_store(seeded.db_path, command="aid give") as other, other.transaction():
            aid.give(other, {"case": "2", "form": "救助金", "amount": "500",
                             "fund": "急难帮困", "date": "2026-10-03"})
        return True

    with open_store(seeded.db_path, command="aid given-import") as store:
        plan = importing.run_import(store, importing.ImportRequest(kind="aid-given",
                                                                   file=str(path)),
                                    importing.ImportHooks(confirm=confirm))
    assert asked == [(1, 0)]  # as first checked: it fitted
    assert (plan.inserted, plan.rejected, plan.applied) == (0, 1, False)
    assert "500.00" in plan.problems[0].reason("zh")
    assert seeded.rows("SELECT case_id, amount_fen FROM aid_given") == [(2, 50000)]
