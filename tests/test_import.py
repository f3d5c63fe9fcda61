"""Batch import through the CLI: formats, encodings, headings, values as people type them,
Excel damage, all or nothing, idempotence, the examples, a killed import."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import stat
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest

from cbtool.cli import app
from cbtool.importing import HEADINGS, IGNORED, heading_map, normalise_heading
from cbtool.sample_load import CENTRE_LOGS

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REPO = EXAMPLES.parent
TALLY = re.compile(r"^inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)$", re.M)
ID_WANG = "310116197506183512"  # 1975-06-18, male
ID_CHEN = "310228198802143027"  # 1988-02-14, female


def write(path: Path, text: str, encoding: str = "utf-8", crlf: bool = False) -> Path:
    data = text.replace("\n", "\r\n") if crlf else text
    path.write_bytes(data.encode(encoding))
    return path


def tally(result) -> tuple[int, int, int, int]:
    found = TALLY.findall(result.stderr)
    assert found, result.stderr
    assert result.stderr.rstrip().splitlines()[-1].startswith("inserted ")  # the last line
    return tuple(int(n) for n in found[-1])


def snapshot(cli) -> dict[str, int]:
    tables = ("areas", "points", "members", "contacts", "category_changes", "logs",
              "log_participants", "checks", "audit")
    return {t: cli.count(t) for t in tables}


def members(cli) -> dict[str, dict]:
    out = cli.ok("members", "list", "--status", "all", "--format", "json").stdout
    return {m["member_no"]: m for m in json.loads(out)}


MEMBERS_CSV = (
    "member_no,name,gender,id_card,phone,category,area,joined_on\n"
    f"0101,赵敏,女,{ID_CHEN},13900001111,在职,A01,2010-07-01\n"
    f"0102,钱军,男,{ID_WANG},021-57941234,离退休,石化二村居民区,1995年7月\n"
)


def xlsx(path: Path, rows: list[list]) -> Path:
    wb = openpyxl.Workbook()
    for row in rows:
        wb.active.append(row)
    wb.save(path)
    return path


# --- formats and encodings ------------------------------------------------------------


def _as(fmt: str, path: Path) -> Path:
    rows = list(csv.reader(io.StringIO(MEMBERS_CSV)))
    header, body = rows[0], rows[1:]
    if fmt == "csv":
        return write(path, MEMBERS_CSV)
    if fmt == "tsv":
        return write(path, "\n".join("\t".join(r) for r in rows) + "\n")
    records = [dict(zip(header, r, strict=True)) for r in body]
    if fmt == "json":
        return write(path, json.dumps(records, ensure_ascii=False))
    if fmt == "jsonl":
        return write(path, "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return xlsx(path, rows)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_every_format_imports_and_reimports_to_nothing(seeded, tmp_path, fmt):
    path = _as(fmt, tmp_path / f"m.{fmt}")
    assert tally(seeded.ok("members", "import", path)) == (2, 0, 0, 0)
    got = members(seeded)
    assert got["0101"]["name"] == "赵敏" and got["0101"]["born_on"] == "1988-02-14"
    assert got["0102"]["area"] == "A02" and got["0102"]["phone"] == "021-57941234"
    assert got["0102"]["joined_on"] == "1995-07" and got["0102"]["category"] == "retired"
    assert tally(seeded.ok("members", "import", path)) == (0, 0, 2, 0)


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_standard_input_with_input_format(seeded, tmp_path, fmt):
    data = _as(fmt, tmp_path / f"m.{fmt}").read_bytes()
    result = seeded.runner.invoke(
        app,
        ["--db", str(seeded.db_path), "members", "import", "-", "--input-format", fmt],
        input=data, catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    assert tally(result) == (2, 0, 0, 0)


def test_standard_input_needs_a_format(seeded):
    result = seeded("members", "import", "-", input=MEMBERS_CSV)
    assert result.exit_code == 2 and "--input-format" in result.stderr  # usage
    assert "Traceback" not in result.stderr


CHINESE = ("党员编号,姓名,党员类别,居民区,备注\n"
           "0201,孙丽,在职,石化一村居民区,楼组长\n"
           "0202,周强,下岗,A02,有就业意愿\n")


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
@pytest.mark.parametrize("crlf", [False, True])
def test_encodings_are_detected(seeded, tmp_path, encoding, crlf):
    path = write(tmp_path / "m.csv", CHINESE, encoding, crlf)
    assert tally(seeded.ok("members", "import", path)) == (2, 0, 0, 0)
    got = members(seeded)
    assert got["0201"]["name"] == "孙丽" and got["0202"]["note"] == "有就业意愿"


def test_encoding_option_overrides(seeded, tmp_path):
    path = write(tmp_path / "m.csv", CHINESE, "gbk")
    assert seeded.ok("members", "import", path, "--encoding", "gbk")
    wrong = seeded("members", "import", path, "--encoding", "utf-8")
    assert wrong.exit_code == 1 and "--encoding" in wrong.stderr
    assert "Traceback" not in wrong.stderr


# --- headings ---------------------------------------------------------------------------


@pytest.mark.parametrize("kind", list(HEADINGS))
def test_every_heading_alias_maps_to_its_field(kind):
    mapping = heading_map(kind)
    for name, aliases in HEADINGS[kind].items():
        for alias in (name, *aliases):
            assert mapping[normalise_heading(alias)] == name, (kind, alias)
    for name in IGNORED[kind]:
        assert mapping[normalise_heading(name)] is None


@pytest.mark.parametrize("written,field", [
    ("Member No.", "member_no"), (" 姓名 ", "name"), ("PHONE", "phone"),
    ("身份证号码（18位）", "id_card"), ("出生日期*", "born_on"), ("last-contact-on", "last_contact_on"),
    ("ＩＤ　ｎｕｍｂｅｒ", "id_card"), ("党员类别：", "category"),
])
def test_headings_are_normalised(seeded, tmp_path, written, field):
    values = {"member_no": "0301", "name": "冯涛", "category": "在职", "area": "A01",
              field: {"member_no": "0301", "name": "冯涛", "phone": "13900002222",
                      "id_card": ID_WANG, "born_on": "1975-06-18",
                      "last_contact_on": "2025-05-01", "category": "在职"}[field]}
    headers = [written if k == field else k for k in values]
    path = write(tmp_path / "m.csv", ",".join(headers) + "\n" + ",".join(values.values()) + "\n")
    result = seeded.ok("members", "import", path)
    assert "未识别" not in result.stderr
    record = members(seeded)["0301"]
    assert record[field] == values[field] or field == "category"


def _alias_files(kind: str, rows: list[dict[str, str]]) -> list[str]:
    """One file per alias position, so every alias of every field is used once."""
    aliases = {f: (f, *a) for f, a in HEADINGS[kind].items() if f in rows[0]}
    most = max(len(a) for a in aliases.values())
    files = []
    for i in range(most):
        heads = [aliases[f][i % len(aliases[f])] for f in rows[0]]
        lines = [",".join(heads)] + [",".join(f'"{r[f]}"' for f in rows[0]) for r in rows]
        files.append("\n".join(lines) + "\n")
    return files


def test_every_alias_through_the_cli_for_every_kind(seeded, tmp_path):
    cases = {
        "areas": [{"code": "A09", "name": "石化九村居民区"}],
        "members": [{"member_no": "0401", "name": "何静", "gender": "女", "born_on": "1988-02-14",
                     "id_card": ID_CHEN, "phone": "13900003333", "category": "流动",
                     "area": "A01", "joined_on": "2010-07-01", "employer": "金山医院",
                     "whereabouts": "江苏省苏州市", "left_on": "2024-03-01", "note": "在外务工",
                     "status": "active", "archived_reason": "", "archived_on": "",
                     "last_contact_on": "2025-10-08"}],
        "logs": [{"point": "A01", "date": "2025-10-08", "kind": "走访慰问", "title": "走访",
                  "participants": "0001、0002", "served": "3", "hours": "2.5",
                  "note": "备注", "ref": "R-1", "voided": "否", "void_reason": ""}],
        "checklist": [{"point": "A01", "item": "场所", "ok": "是", "date": "2025-10-08",
                       "inspector": "王芳", "note": "好"}],
    }
    for kind, rows in cases.items():
        for n, text in enumerate(_alias_files(kind, rows)):
            path = write(tmp_path / f"{kind}-{n}.csv", text)
            result = seeded.ok(kind, "import", path)
            assert "未识别" not in result.stderr, (kind, text)
            assert tally(result)[0] + tally(result)[2] == 1, (kind, text, result.stderr)
    member = members(seeded)["0401"]
    assert member["whereabouts"] == "江苏省苏州市" and member["last_contact_on"] == "2025-10-08"
    assert seeded.rows("SELECT ref, served, hours FROM logs") == [("R-1", 3, 2.5)]
    assert seeded.rows("SELECT member_no FROM log_participants") == [("0001",), ("0002",)]
    assert seeded.rows("SELECT point, item, ok, inspector FROM checks") == [
        ("A01", "venue", 1, "王芳")]
    assert seeded.rows("SELECT name FROM areas WHERE code = 'A09'") == [("石化九村居民区",)]


def test_english_and_chinese_headings_mixed_in_one_file(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,姓名,category,所在居民区,手机号\n"
                                     "0501,郑洁,laid-off,A01,13900004444\n")
    seeded.ok("members", "import", path)
    got = members(seeded)["0501"]
    assert (got["name"], got["category"], got["area"], got["phone"]) == (
        "郑洁", "laid-off", "A01", "13900004444")


def test_unknown_columns_are_reported_not_dropped_silently(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,姓名,类别,居民区,籍贯,Hobby\n"
                                     "0601,王芳,在职,A01,上海,读书\n")
    result = seeded.ok("members", "import", path)
    assert "籍贯" in result.stderr and "Hobby" in result.stderr
    assert tally(result) == (1, 0, 0, 0)
    en = seeded.ok("--lang", "en", "members", "import", path)
    assert "unknown columns" in en.stderr and "籍贯, Hobby" in en.stderr


@pytest.mark.parametrize("kind,text,missing", [
    ("members", "姓名,类别\n张三,在职\n", "member_no"),
    ("logs", "服务点,日期,标题\nA01,2025-01-01,走访\n", "kind"),
    ("checklist", "服务点,检查项目,检查日期\nA01,场所,2025-01-01\n", "ok"),
    ("areas", "名称\n石化九村\n", "code"),
    ("members", "", "member_no"),
])
def test_missing_required_columns_stop_before_reading_rows(seeded, tmp_path, kind, text, missing):
    before = snapshot(seeded)
    result = seeded(kind, "import", write(tmp_path / "f.csv", text))
    assert result.exit_code == 1
    reason, last = result.stderr.strip().splitlines()  # the reason, then the tally
    assert missing in reason
    rows = text.count("\n") - 1 if text else 0  # every data row goes with the file
    assert last == f"inserted 0, updated 0, unchanged 0, rejected {rows}"
    assert snapshot(seeded) == before


def test_two_columns_for_one_field_are_rejected(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,编号,姓名,类别,居民区\n1,1,张三,在职,A01\n")
    result = seeded("members", "import", path)
    assert result.exit_code == 1 and "党员编号" in result.stderr and "编号" in result.stderr


# --- values as people type them ------------------------------------------------------------


@pytest.mark.parametrize("typed,key", [
    ("retired", "retired"), ("离退休", "retired"), ("退休", "retired"), ("离休", "retired"),
    ("laid-off", "laid-off"), ("下岗", "laid-off"), ("mobile", "mobile"), ("流动", "mobile"),
    ("employed", "employed"), ("在职", "employed"), ("Employed", "employed"),
])
def test_categories_in_chinese_or_english(seeded, tmp_path, typed, key):
    path = write(tmp_path / "m.csv", f"member_no,name,category,area\n0801,韩梅,{typed},A01\n")
    seeded.ok("members", "import", path)
    assert members(seeded)["0801"]["category"] == key


@pytest.mark.parametrize("typed", ["2025-11-24", "2025/11/24", "2025.11.24", "20251124",
                                   "2025年11月24日", "2025/11/24 0:00"])
def test_dates_in_every_accepted_form(seeded, tmp_path, typed):
    path = write(tmp_path / "l.csv", f"point,date,kind,title\nA01,{typed},visit,走访\n")
    seeded.ok("logs", "import", path)
    assert seeded.rows("SELECT date FROM logs") == [("2025-11-24",)]


def test_yes_no_in_every_form_and_items_by_key_or_label(seeded, tmp_path):
    yes = ["是", "有", "✓", "yes", "true", "1", "合格", "Y"]
    no = ["否", "无", "✗", "no", "false", "0", "不合格", "N"]
    items = ["场所", "制度", "党建园地", "电教设备", "台账", "venue", "rules", "board"]
    lines = ["服务点,检查项目,是否具备,检查日期"]
    for n, (item, y) in enumerate(zip(items, yes, strict=True)):
        lines.append(f"A01,{item},{y},2025-01-{n + 1:02d}")
    for n, (item, f) in enumerate(zip(items, no, strict=True)):
        lines.append(f"A02,{item},{f},2025-02-{n + 1:02d}")
    seeded.ok("checklist", "import", write(tmp_path / "c.csv", "\n".join(lines) + "\n"))
    assert seeded.rows("SELECT DISTINCT ok FROM checks WHERE point = 'A01'") == [(1,)]
    assert seeded.rows("SELECT DISTINCT ok FROM checks WHERE point = 'A02'") == [(0,)]
    assert [r[0] for r in seeded.rows("SELECT item FROM checks WHERE point = 'A01' "
                                      "ORDER BY date")] == [
        "venue", "rules", "board", "av", "ledger", "venue", "rules", "board"]


@pytest.mark.parametrize("cell", ["0001,0002,0003", "0001;0002;0003", "0001、0002、0003",
                                  "0001，0002，0003", "0001 0002  0003", "0001, 0002；0003"])
def test_participants_in_one_cell(seeded, tmp_path, cell):
    path = write(tmp_path / "l.csv", f'point,date,kind,title,participants\n'
                                     f'A01,2025-03-01,学习,党课,"{cell}"\n')
    seeded.ok("logs", "import", path)
    assert seeded.rows("SELECT member_no FROM log_participants ORDER BY 1") == [
        ("0001",), ("0002",), ("0003",)]


def test_log_kinds_by_key_or_label(seeded, tmp_path):
    path = write(tmp_path / "l.csv", "point,date,kind,title\n"
                                     "A01,2025-03-01,志愿服务,清扫\nA01,2025-03-02,aid,帮困\n"
                                     "A01,2025-03-03,组织生活,党日\n")
    seeded.ok("logs", "import", path)
    assert [r[0] for r in seeded.rows("SELECT kind FROM logs ORDER BY date")] == [
        "volunteer", "aid", "meeting"]


def test_last_contact_is_recorded_as_a_contact_once(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,姓名,类别,居民区,最近联系时间\n"
                                     "0002,李娜,流动,A02,2025/9/30\n"
                                     "0901,冯雪,流动,A01,2025年10月1日\n")
    assert tally(seeded.ok("members", "import", path)) == (1, 1, 0, 0)
    assert seeded.rows("SELECT member_no, date, channel, note FROM contacts ORDER BY 1") == [
        ("0002", "2025-09-30", "other", "导入"), ("0901", "2025-10-01", "other", "导入")]
    assert tally(seeded.ok("members", "import", path)) == (0, 0, 2, 0)
    assert seeded.count("contacts") == 2
    # A contact already on that day (recorded by hand) is not recorded twice.
    seeded.ok("members", "contact", "0001", "--on", "2025-08-08")
    again = write(tmp_path / "m2.csv", "党员编号,姓名,类别,居民区,最近联系时间\n"
                                       "0001,张伟,离退休,A01,2025-08-08\n")
    assert tally(seeded.ok("members", "import", again)) == (0, 0, 1, 0)
    assert seeded.count("contacts") == 3


# --- Excel damage ------------------------------------------------------------------------


@pytest.mark.parametrize("column,value,needle", [
    ("phone", "1.38E+10", "科学计数法"),
    ("phone", "1.38e+10", "科学计数法"),
    ("id_card", "3.1E+17", "科学计数法"),
    ("id_card", "3.10116E+17", "科学计数法"),
    ("member_no", "1.2E+05", "科学计数法"),
])
def test_scientific_notation_is_rejected_with_that_reason(seeded, tmp_path, column, value,
                                                          needle):
    row = {"member_no": "0950", "name": "卫东", "category": "在职", "area": "A01",
           "phone": "", "id_card": ""}
    row[column] = value
    path = write(tmp_path / "m.csv", ",".join(row) + "\n" + ",".join(row.values()) + "\n")
    before = snapshot(seeded)
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    assert f"第 2 行 [{column}]" in result.stderr and needle in result.stderr
    assert "Excel" in seeded("--lang", "en", "members", "import", path).stderr
    assert snapshot(seeded) == before


def test_trailing_point_zero_stripped_and_leading_zeros_kept(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area,phone,id_card\n"
                                     "1234.0,甲,在职,A01,13912345678.0,\n"
                                     "000123,乙,在职,A01,,\n"
                                     f"00124.0,丙,在职,A02,,{ID_WANG}\n")
    assert tally(seeded.ok("members", "import", path)) == (3, 0, 0, 0)
    got = members(seeded)
    assert got["1234"]["phone"] == "13912345678"
    assert got["000123"]["area"] == "A01"
    assert got["00124"]["id_card"] == ID_WANG


def test_lower_case_x_in_id_is_upper_cased(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area,id_card\n"
                                     "0960,沈佳怡,流动,A01,32058319850722402x\n")
    seeded.ok("members", "import", path)
    assert members(seeded)["0960"]["id_card"] == "32058319850722402X"


# --- all or nothing ------------------------------------------------------------------------


SIX_BAD = (
    "党员编号,姓名,性别,出生日期,身份证号,联系电话,党员类别,居民区,入党时间\n"
    "0301,赵一,男,1960/1/1,310228196001011234,13800000001,离退休,A01,1980/1/1\n"
    "0302,钱二,男,1960/1/1,,13800000002,退伍,A01,1980/1/1\n"
    "0303,孙三,女,1960/1/1,,1.38E+10,在职,A01,1980/1/1\n"
    "0304,李四,女,1960/1/1,,13800000004,在职,A01,1980/1/1\n"
    "0301,周五,女,1960/1/1,,13800000005,在职,A01,1980/1/1\n"
    "0306,吴六,女,1960/1/1,,13800000006,在职,A01,2026-13-40\n"
    "0307,郑七,女,1960/1/1,,13800000007,在职,石化九村居民区,1980/1/1\n"
    "0308,王八,男,1960/1/1,,13800000008,在职,A02,1980/1/1\n"
)


def test_a_new_user_with_a_gbk_file_excel_saved(seeded, tmp_path):
    """Chinese headings, GBK, CRLF, Excel's date format: imports; again: nothing changes."""
    good = ("党员编号,姓名,性别,出生日期,身份证号,联系电话,党员类别,居民区,入党时间\r\n"
            "000301,赵一,男,1960/1/1,,13800000001,离退休,石化一村居民区,1980/1/1\r\n"
            f"000302,钱二,女,1988/2/14,{ID_CHEN},13800000002,在职,A02,2010年7月\r\n")
    path = tmp_path / "党员名册.csv"
    path.write_bytes(good.encode("gbk"))
    first = seeded.ok("members", "import", path)
    assert tally(first) == (2, 0, 0, 0)
    before = snapshot(seeded)
    assert tally(seeded.ok("members", "import", path)) == (0, 0, 2, 0)
    assert snapshot(seeded) == before


def test_six_bad_lines_are_all_named_and_nothing_is_written(seeded, tmp_path):
    path = write(tmp_path / "bad.csv", SIX_BAD, "gbk", crlf=True)
    before = snapshot(seeded)
    result = seeded("members", "import", path)
    assert result.exit_code == 1
    lines = [ln for ln in result.stderr.splitlines() if ln.startswith("第 ")]
    assert [int(re.match(r"第 (\d+) 行", ln).group(1)) for ln in lines] == [2, 3, 4, 6, 7, 8]
    assert "[身份证号]" in lines[0] and "校验位" in lines[0]
    assert "[党员类别]" in lines[1] and "退伍" in lines[1]
    assert "[联系电话]" in lines[2] and "科学计数法" in lines[2]
    assert "[党员编号]" in lines[3] and "第 2 行" in lines[3]
    assert "[入党时间]" in lines[4] and "2026-13-40" in lines[4]
    assert "[居民区]" in lines[5] and "石化九村居民区" in lines[5]
    assert tally(result) == (0, 0, 0, 6)
    assert snapshot(seeded) == before
    en = seeded("--lang", "en", "members", "import", path)
    assert "line 6 [党员编号]: same as line 2 (0301)" in en.stderr
    assert "wrong check digit" in en.stderr and "Traceback" not in en.stderr


def test_errors_file_has_every_rejected_row(seeded, tmp_path):
    path = write(tmp_path / "bad.csv", SIX_BAD, "gbk", crlf=True)
    errors = tmp_path / "rejected.csv"
    assert seeded("members", "import", path, "--errors", errors).exit_code == 1
    data = errors.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM, for Excel
    assert stat.S_IMODE(errors.stat().st_mode) == 0o600
    rows = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert [r["原行号"] for r in rows] == ["2", "3", "4", "6", "7", "8"]
    english = tmp_path / "rejected-en.csv"
    seeded("--lang", "en", "members", "import", path, "--errors", english)
    assert "wrong check digit" in english.read_text(encoding="utf-8-sig")
    assert english.read_text(encoding="utf-8-sig").splitlines()[0].endswith(",line,error")
    assert rows[2]["联系电话"] == "1.38E+10" and "科学计数法" in rows[2]["错误原因"]
    assert list(rows[0])[-2:] == ["原行号", "错误原因"] and rows[0]["姓名"] == "赵一"
    # A clean run leaves a header-only file (never a stale list of errors).
    good = write(tmp_path / "good.csv", "member_no,name,category,area\n0990,张,在职,A01\n")
    seeded.ok("members", "import", good, "--errors", errors)
    assert errors.read_text(encoding="utf-8-sig").splitlines() == [
        "member_no,name,category,area,原行号,错误原因"]


def test_skip_invalid_writes_the_good_rows(seeded, tmp_path):
    path = write(tmp_path / "bad.csv", SIX_BAD, "gbk", crlf=True)
    result = seeded.ok("members", "import", path, "--skip-invalid")
    assert tally(result) == (2, 0, 0, 6)
    assert {"0304", "0308"} <= set(members(seeded)) and "0302" not in members(seeded)
    assert "第 3 行" in result.stderr


def test_dry_run_reports_and_writes_nothing(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n"
                                     "0001,张伟,在职,A01\n0970,新人,在职,A01\n")
    before = snapshot(seeded)
    result = seeded.ok("members", "import", path, "--dry-run")
    assert tally(result) == (1, 1, 0, 0) and "试运行" in result.stderr
    assert snapshot(seeded) == before
    bad = write(tmp_path / "b.csv", "member_no,name,category,area\n0971,新人,党员,A01\n")
    assert seeded("members", "import", bad, "--dry-run").exit_code == 1


@pytest.mark.parametrize("kind,text,needle", [
    ("members", "member_no,name,category,area\n0990,甲,在职,A01\n0990,乙,在职,A01\n",
     "与第 2 行重复"),
    ("logs", "ref,point,date,kind,title\nR1,A01,2025-01-01,visit,走访\n"
             "R1,A02,2025-01-02,visit,走访\n", "同一条台账"),
    ("logs", "point,date,kind,title\nA01,2025-01-01,visit,走访\nA01,2025/1/1,走访慰问,走访\n",
     "同一条台账"),
    ("checklist", "point,item,ok,date\nA01,venue,是,2025-01-01\nA01,场所,否,2025/1/1\n",
     "同一次检查"),
    ("areas", "code,name\nA09,九村\nA09,九村\n", "与第 2 行重复"),
])
def test_duplicates_inside_the_file_are_rejected(seeded, tmp_path, kind, text, needle):
    before = snapshot(seeded)
    result = seeded(kind, "import", write(tmp_path / "f.csv", text))
    assert result.exit_code == 1 and "第 3 行" in result.stderr and needle in result.stderr
    assert snapshot(seeded) == before


def test_extra_cells_beyond_the_headings_are_a_row_problem(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n0990,甲,在职,A01,多余\n")
    result = seeded("members", "import", path)
    assert result.exit_code == 1 and "第 2 行: " in result.stderr and "多余" in result.stderr


def test_many_bad_rows_are_capped_on_screen_but_all_in_the_errors_file(seeded, tmp_path):
    body = "".join(f"{n:04d},甲,党员,A01\n" for n in range(2000, 2400))
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n" + body)
    errors = tmp_path / "e.csv"
    result = seeded("members", "import", path, "--errors", errors)
    assert result.exit_code == 1
    assert "另有 200 个问题" in result.stderr
    assert len(errors.read_text(encoding="utf-8-sig").splitlines()) == 401


# --- idempotence and upserts ----------------------------------------------------------------


def test_member_upsert_updates_audits_and_records_category_change(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "党员编号,姓名,党员类别,居民区,联系电话,工作单位\n"
                                     "0003,王强,在职,A01,13900005555,上海石化股份有限公司\n"
                                     "0004,陈静,在职,A02,,金山区第一中学\n")
    result = seeded.ok("members", "import", path)
    assert tally(result) == (0, 1, 1, 0)
    got = members(seeded)["0003"]
    assert (got["category"], got["phone"], got["employer"]) == (
        "employed", "13900005555", "上海石化股份有限公司")
    assert got["gender"] == "M" and got["born_on"] == "1972-10-01"  # absent columns untouched
    change = seeded.rows("SELECT from_category, to_category, reason FROM category_changes "
                         "WHERE member_no = '0003'")
    assert change == [("laid-off", "employed", "导入")]
    audit = seeded.rows("SELECT action, changes FROM audit WHERE table_name = 'members' "
                        "AND key = '0003' ORDER BY id DESC LIMIT 1")[0]
    assert audit[0] == "update" and json.loads(audit[1])["phone"] == [None, "13900005555"]
    summary = seeded.rows("SELECT key, changes FROM audit WHERE action = 'import' "
                          "AND table_name = 'members'")
    assert summary[0][0] == str(path) and json.loads(summary[0][1])["updated"] == [None, 1]
    assert tally(seeded.ok("members", "import", path)) == (0, 0, 2, 0)


def test_an_empty_cell_clears_an_optional_field(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area,employer\n"
                                     "0001,张伟,离退休,A01,\n")
    assert tally(seeded.ok("members", "import", path)) == (0, 1, 0, 0)
    assert members(seeded)["0001"]["employer"] is None
    assert members(seeded)["0001"]["phone"] == "13812345678"


def test_archive_and_restore_through_a_file(seeded, tmp_path):
    head = "member_no,name,category,area,status,archived_reason,archived_on\n"
    bad = write(tmp_path / "a.csv", head + "0001,张伟,离退休,A01,archived,,\n")
    result = seeded("members", "import", bad)
    assert result.exit_code == 1 and "[archived_reason]" in result.stderr
    good = write(tmp_path / "b.csv", head + "0001,张伟,离退休,A01,归档,去世,2025-05-05\n")
    assert tally(seeded.ok("members", "import", good)) == (0, 1, 0, 0)
    got = members(seeded)["0001"]
    assert (got["status"], got["archived_reason"], got["archived_on"]) == (
        "archived", "deceased", "2025-05-05")
    back = write(tmp_path / "c.csv", head + "0001,张伟,离退休,A01,active,,\n")
    seeded.ok("members", "import", back)
    got = members(seeded)["0001"]
    assert (got["status"], got["archived_reason"], got["archived_on"]) == ("active", None, None)


def test_logs_dedupe_by_ref_else_by_point_date_kind_title(seeded, tmp_path):
    text = ("ref,point,date,kind,title,participants,served,hours\n"
            "R-1,A01,2025-03-01,visit,走访,0001,3,2\n"
            ",A02,2025-03-02,study,党课,0002 0004,0,0\n")
    path = write(tmp_path / "l.csv", text)
    assert tally(seeded.ok("logs", "import", path)) == (2, 0, 0, 0)
    assert tally(seeded.ok("logs", "import", path)) == (0, 0, 2, 0)
    changed = write(tmp_path / "l2.csv", text.replace("0001,3,2", "0001 0003,5,2")
                    .replace("study,党课,0002 0004,0,0", "study,党课,0002 0004,0,1.5"))
    assert tally(seeded.ok("logs", "import", changed)) == (0, 2, 0, 0)
    assert seeded.rows("SELECT ref, served, hours FROM logs ORDER BY id") == [
        ("R-1", 5, 2.0), (None, 0, 1.5)]
    assert seeded.rows("SELECT member_no FROM log_participants WHERE log_id = 1 ORDER BY 1") == [
        ("0001",), ("0003",)]
    assert seeded.count("logs") == 2
    audit = seeded.rows("SELECT changes FROM audit WHERE table_name = 'logs' AND action = "
                        "'update' AND key = '1'")
    assert json.loads(audit[0][0])["participants"] == [["0001"], ["0001", "0003"]]


def test_a_voided_log_stays_voided(seeded, tmp_path):
    path = write(tmp_path / "l.csv", "ref,point,date,kind,title\nR-9,A01,2025-03-01,visit,走访\n")
    seeded.ok("logs", "import", path)
    seeded.ok("logs", "void", "1", "--reason", "重复登记")
    voided = write(tmp_path / "v.csv", "ref,point,date,kind,title,voided\n"
                                       "R-9,A01,2025-03-01,visit,走访,否\n")
    assert tally(seeded.ok("logs", "import", voided)) == (0, 0, 1, 0)
    assert seeded.rows("SELECT voided, void_reason FROM logs") == [(1, "重复登记")]


def test_checks_dedupe_by_point_item_date_and_replace_a_different_result(seeded, tmp_path):
    path = write(tmp_path / "c.csv", "服务点,检查项目,是否具备,检查日期,检查人\n"
                                     "A01,场所,是,2025-06-01,王芳\nA01,电教,否,2025-06-01,王芳\n")
    assert tally(seeded.ok("checklist", "import", path)) == (2, 0, 0, 0)
    assert tally(seeded.ok("checklist", "import", path)) == (0, 0, 2, 0)
    fixed = write(tmp_path / "c2.csv", "服务点,检查项目,是否具备,检查日期\n"
                                       "A01,电教,是,2025-06-01\n")
    assert tally(seeded.ok("checklist", "import", fixed)) == (0, 1, 0, 0)
    assert seeded.rows("SELECT item, ok, inspector FROM checks ORDER BY item") == [
        ("av", 1, "王芳"), ("venue", 1, "王芳")]  # the absent inspector column kept


def test_areas_upsert_renames_and_adds_points(seeded, tmp_path):
    path = write(tmp_path / "a.csv", "居民区编号,居民区名称\nA01,石化一村\nA09,石化九村居民区\n")
    assert tally(seeded.ok("areas", "import", path)) == (1, 1, 0, 0)
    assert seeded.rows("SELECT name FROM points WHERE code IN ('A01', 'A09') ORDER BY code") == [
        ("石化一村党员服务点",), ("石化九村居民区党员服务点",)]
    taken = write(tmp_path / "b.csv", "code,name\nC00,中心\n")
    result = seeded("areas", "import", taken)
    assert result.exit_code == 1 and "C00" in result.stderr


def test_formula_prefix_of_an_export_is_undone(seeded, tmp_path):
    path = write(tmp_path / "m.csv", "member_no,name,category,area,note\n"
                                     "0001,张伟,离退休,A01,'=SUM(A1)\n"
                                     "0002,李娜,流动,A02,'-早退\n")
    seeded.ok("members", "import", path)
    got = members(seeded)
    assert got["0001"]["note"] == "=SUM(A1)" and got["0002"]["note"] == "-早退"


# --- the examples and init --sample --------------------------------------------------------


ORDER = [("areas", "areas.csv"), ("members", "members-gbk.csv"), ("members", "members.xlsx"),
         ("logs", "logs.csv"), ("checklist", "checks.csv")]


def test_examples_import_cleanly_into_a_fresh_database_in_order(cli):
    cli.ok("init")
    for kind, name in ORDER:
        result = cli.ok(kind, "import", EXAMPLES / name)
        inserted, updated, unchanged, rejected = tally(result)
        assert inserted > 0 and (updated, unchanged, rejected) == (0, 0, 0), (name, result.stderr)
        assert "未识别" not in result.stderr
    before = snapshot(cli)
    for kind, name in ORDER:
        assert tally(cli.ok(kind, "import", EXAMPLES / name))[:2] == (0, 0)
    assert snapshot(cli) == before
    got = members(cli)
    assert got["000106"]["id_card"] == "32058319850722402X"
    assert got["000201"]["phone"] == "13917726358" and got["000201"]["born_on"] == "1956-04-01"
    assert got["000105"]["last_contact_on"] == "2026-03-05"
    assert cli.count("members") == 18 and cli.count("logs") == 8 and cli.count("checks") == 15


def test_members_gbk_example_is_what_excel_saves():
    data = (EXAMPLES / "members-gbk.csv").read_bytes()
    assert b"\r\n" in data and not data.startswith(b"\xef\xbb\xbf")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    assert "党员编号" in data.decode("gbk") and "1950/3/12" in data.decode("gbk")


@pytest.mark.slow  # a dozen subprocesses; the examples' files are imported in-process below
def test_batch_import_script(tmp_path):
    work = tmp_path / "incoming"
    shutil.copytree(EXAMPLES, work, ignore=shutil.ignore_patterns("*.sh", "*.py", "*.toml"))
    env = {**os.environ, "CBTOOL_DB": str(tmp_path / "batch.db"),
           "PATH": os.pathsep.join([str(Path(sys.executable).parent), os.environ["PATH"]])}
    subprocess.run([sys.executable, "-m", "cbtool", "init"], env=env, check=True,
                   capture_output=True)
    script = str(EXAMPLES / "batch-import.sh")
    run = subprocess.run(["bash", script, str(work)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 0, run.stderr
    log = (work / "import.log").read_text().splitlines()
    assert len(log) == 5 and all(TALLY.search(line.split(": ", 1)[1]) for line in log)
    assert "members members-gbk.csv: inserted 12," in log[1]
    # A bad file stops the run: exit 1, the errors file, later files untouched.
    (work / "members-gbk.csv").write_bytes(SIX_BAD.encode("gbk"))
    run = subprocess.run(["bash", script, str(work)], env=env, capture_output=True, text=True,
                         timeout=120)
    assert run.returncode == 1 and "members-gbk.csv" in run.stderr
    errors = (work / "errors" / "members-gbk.csv.errors.csv").read_text(encoding="utf-8-sig")
    assert len(errors.splitlines()) == 7
    log = (work / "import.log").read_text().splitlines()
    assert len(log) == 7 and log[-1].endswith("rejected 6")


def test_init_sample_loads_a_living_database_once(cli):
    first = cli.ok("init", "--sample")
    assert "inserted" in first.stderr
    counts = snapshot(cli)
    assert counts["members"] == 120 and counts["logs"] == 400 + len(CENTRE_LOGS) and counts["checks"] > 0
    assert cli.rows("SELECT kind FROM points WHERE code = 'C00'") == [("centre",)]
    again = cli.ok("init", "--sample")
    assert "inserted 0, updated 0" in again.stderr
    assert snapshot(cli) == counts
    summary = json.loads(cli.ok("summary", "--format", "json").stdout)
    assert summary["members"]["total"] == 120
    # a living office: laid-off members placed in work this month, the centre active
    from datetime import date, timedelta

    window = f"{date.today() - timedelta(days=60)}..{date.today()}"
    recent = json.loads(cli.ok("summary", "--period", window, "--format", "json").stdout)
    assert recent["members"]["placed"] == 3
    assert cli.count("category_changes") == 3
    assert cli.rows("SELECT count(*) FROM logs WHERE point = 'C00'") == [(len(CENTRE_LOGS),)]


def test_init_sample_leaves_a_database_with_members_alone(seeded):
    before = snapshot(seeded)
    result = seeded("init", "--sample")
    assert result.exit_code == 1 and "4" in result.stderr
    assert snapshot(seeded) == before


# A killed import: tests/test_reliability.py kills one at three points.


def test_a_full_disk_leaves_the_database_as_it_was(seeded, tmp_path):
    from cbtool import importing
    from cbtool.db import DISK_FULL
    from cbtool.errors import EnvError
    from cbtool.store import open_store
    from cbtool.tabular import open_source

    body = "".join(f"{n:05d},党员{n},在职,A01,{'备注' * 40}\n" for n in range(20000, 23000))
    path = write(tmp_path / "m.csv", "member_no,name,category,area,note\n" + body)
    before = snapshot(seeded)
    store = open_store(seeded.db_path)
    try:
        pages = store.execute("PRAGMA page_count").fetchone()[0]
        store.execute(f"PRAGMA max_page_count = {pages + 20}")  # the disk fills up mid-write
        with pytest.raises(EnvError) as info:
            with store.transaction(), open_source(str(path)) as source:
                plan = importing.plan_import(store, "members", source)
                assert plan.inserted == 3000
                importing.apply(store, plan)
        assert info.value.msg is DISK_FULL
    finally:
        store.close()
    assert snapshot(seeded) == before
    conn = sqlite3.connect(seeded.db_path)
    assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    conn.close()


def test_someone_writing_while_the_file_is_checked(seeded, tmp_path, monkeypatch):
    """Planning holds no write lock; if another command wrote meanwhile, the import is
    planned again under the lock, and both changes are kept."""
    from cbtool import importing

    real = importing.plan_import
    calls = []

    def plan_then_someone_writes(store, kind, source, **kw):
        plan = real(store, kind, source, **kw)
        if not calls:
            other = sqlite3.connect(seeded.db_path)
            other.execute("UPDATE members SET note = '别人改的' WHERE member_no = '0004'")
            other.commit()
            other.close()
        calls.append(plan.inserted)
        return plan

    monkeypatch.setattr(importing.workflow, "plan_import", plan_then_someone_writes)
    path = write(tmp_path / "m.csv", "member_no,name,category,area\n0991,甲,在职,A01\n")
    assert tally(seeded.ok("members", "import", path)) == (1, 0, 0, 0)
    assert calls == [1, 1]  # planned again under the lock
    assert members(seeded)["0004"]["note"] == "别人改的" and "0991" in members(seeded)


@pytest.mark.parametrize(("name", "content"), [("空.csv", b""), ("空行.csv", b"\r\n\r\n"),
                                               ("空.tsv", "\ufeff".encode())])
def test_an_empty_file_is_said_to_be_empty(seeded, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0] == (
        f"{path}：是空的，没有表头也没有数据（第一行应是列名，如 member_no/党员编号）")


def test_an_empty_sheet_is_said_to_be_empty(seeded, tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "花名册"
    book.save(tmp_path / "空.xlsx")
    result = seeded("--lang", "en", "members", "import", str(tmp_path / "空.xlsx"))
    assert result.exit_code == 1
    assert result.stderr.splitlines()[0].endswith(
        "(sheet '花名册'): is empty, with no headings and no rows (the first line names the "
        "columns, e.g. member_no/党员编号)")
