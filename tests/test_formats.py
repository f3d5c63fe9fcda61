"""File formats: the one home of the writers (``cbtool.formats``), and exports that open
right in Excel/WPS — Chinese headings and labels in xlsx (and csv/tsv on request),
``--excel`` (BOM, CR LF), ``--encoding gbk|gb18030`` — each of which re-imports to the
same data."""

from __future__ import annotations

import io
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import Cli
from test_roundtrip import KINDS, community, exported  # noqa: F401 (community: a fixture)

from cbtool import formats

ROOT = Path(__file__).resolve().parents[1]


# --- the module ------------------------------------------------------------------------


def test_one_list_of_formats_and_extensions():
    from cbtool import exporting, tabular
    from cbtool.report import FORMATS as REPORT

    assert formats.DATA == tabular.FORMATS == exporting.FORMATS
    assert formats.format_of("名册.XLSX") == "xlsx" and formats.format_of("a.xls") is None
    assert formats.format_of("a.json", formats.TEMPLATE) is None
    assert set(REPORT) == set(formats.REPORT) and REPORT["csv"] == ""


def test_domain_writers_do_not_import_the_command_line():
    code = ("import sys, cbtool.exporting, cbtool.papers.writer, cbtool.report.writer, "
            "cbtool.templates, cbtool.formats; "
            "print(sorted(m for m in sys.modules if m.startswith(('cbtool.cli', 'typer', "
            "'rich'))))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         cwd=ROOT, check=True)
    assert out.stdout.strip() == "[]"


def test_delimited_writer_guard_bom_crlf_and_headings():
    buf = io.StringIO()
    n = formats.write_delimited(
        [{"a": "=1+1", "b": ["x", "y"]}, {"a": "-5", "b": True}], buf, keys=["a", "b"],
        headings=["甲", "乙"], bom=True, crlf=True)
    assert n == 2
    assert buf.getvalue() == "\ufeff甲,乙\r\n'=1+1,\"x,y\"\r\n-5,true\r\n"


def test_delimited_writer_refuses_what_the_encoding_cannot_hold():
    buf = io.StringIO()
    with pytest.raises(formats.Unencodable) as caught:
        formats.write_delimited([{"a": "张"}, {"a": "李𠀀"}], buf, keys=["a"], encoding="gbk")
    assert (caught.value.record, caught.value.key, caught.value.char) == (2, "a", "𠀀")


def test_xlsx_writer_strong_rows_and_unique_titles(tmp_path):
    path = tmp_path / "t.xlsx"
    formats.write_xlsx(path, [("合计/表", ["名称", "数"], [["甲", 1], formats.Strong(("合计", 1))]),
                              ("合计表", ["x"], [])], header_fill="F2F2F2")
    wb = openpyxl.load_workbook(path)
    assert wb.sheetnames == ["合计表", "合计表 (2)"]
    ws = wb.worksheets[0]
    assert ws.freeze_panes == "A2" and ws["A1"].font.b and ws["A1"].fill.fgColor.rgb.endswith("F2F2F2")
    assert ws["A3"].font.b and not ws["A2"].font.b


# --- exports for people ----------------------------------------------------------------


def test_xlsx_export_speaks_chinese_by_default(community, tmp_path):  # noqa: F811 (the fixture)
    path = tmp_path / "members.xlsx"
    community.ok("members", "export", "--out", str(path))
    ws = openpyxl.load_workbook(path).worksheets[0]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0][:8] == ("党员编号", "姓名", "性别", "出生日期", "身份证号", "联系电话",
                           "党员类别", "居民区")
    assert "最近联系时间" in rows[0] and "创建时间" in rows[0]
    by_no = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_no["0001"]["党员类别"] == "离退休" and by_no["0003"]["党员类别"] == "在职"
    assert by_no["0004"]["状态"] == "已归档" and by_no["0004"]["归档原因"] == "去世"
    assert by_no["0004"]["性别"] == "女"
    assert ws["A2"].number_format == "@"  # 党员编号 as text: leading zeros stay

    community.ok("checklist", "export", "--out", str(tmp_path / "c.xlsx"))
    head, *checks = openpyxl.load_workbook(tmp_path / "c.xlsx").worksheets[0].iter_rows(
        values_only=True)
    assert head[:5] == ("id", "服务点", "检查项目", "是否具备", "检查日期")
    assert {c[2] for c in checks} >= {"有制度", "有电教设备"} and {c[3] for c in checks} == {"是", "否"}

    community.ok("members", "export", "--out", str(path), "--headings", "en")
    assert openpyxl.load_workbook(path).worksheets[0]["G1"].value == "category"


def test_csv_stays_english_unless_asked(community):  # noqa: F811 (the fixture)
    assert community.ok("members", "export").stdout.startswith("member_no,name,")
    zh = community.ok("members", "export", "--headings", "zh").stdout
    assert zh.startswith("党员编号,姓名,") and ",离退休," in zh
    logs = community.ok("logs", "export", "-f", "tsv", "--headings", "zh").stdout
    assert logs.startswith("id\t服务点\t日期\t类型\t标题") and "\t学习教育\t" in logs


def test_excel_csv_has_bom_and_crlf(community, tmp_path):  # noqa: F811 (the fixture)
    path = tmp_path / "m.csv"
    community.ok("members", "export", "--out", str(path), "--excel")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfmember_no,") and raw.count(b"\r\n") == 5
    assert b"\n" not in raw.replace(b"\r\n", b"")
    community.ok("members", "export", "--out", str(path), "--excel", "--encoding", "gbk")
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf") and "张伟".encode("gbk") in raw
    assert raw.count(b"\r\n") == 5


def test_gbk_refuses_a_character_it_cannot_hold(community, tmp_path):  # noqa: F811 (the fixture)
    community.ok("members", "add", "--no", "0005", "--name", "王𠀀", "--category", "在职",
                 "--area", "A01")
    path = tmp_path / "m.csv"
    path.write_text("old", encoding="utf-8")
    result = community("members", "export", "--out", str(path), "--encoding", "gbk")
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "0005" in lines[0] and "姓名" in lines[0] and "𠀀" in lines[0]
    assert path.read_text(encoding="utf-8") == "old"  # nothing written
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".m.csv")]  # no temp
    piped = community("members", "export", "--encoding", "gbk")
    assert piped.exit_code == 1 and piped.stdout == ""
    assert "王𠀀".encode("gb18030") in community.ok(
        "members", "export", "--encoding", "gb18030").stdout_bytes


@pytest.mark.parametrize("args", [
    ("-f", "json", "--headings", "zh"),
    ("-f", "jsonl", "--headings", "zh"),
    ("-f", "json", "--excel"),
    ("-f", "xlsx", "--encoding", "gbk", "--out", "x.xlsx"),
    ("--encoding", "gbk", "--bom"),
    ("--encoding", "big5"),
    ("--headings", "fr"),
])
def test_options_that_do_not_fit_are_usage_errors(seeded, args):
    result = seeded("members", "export", *args)
    assert result.exit_code == 2, result.stderr
    assert not Path("x.xlsx").exists()


# --- every variant re-imports --------------------------------------------------------------

VARIANTS = {
    "xlsx-zh": ("xlsx", ()),
    "xlsx-en": ("xlsx", ("--headings", "en")),
    "csv-zh": ("csv", ("--headings", "zh")),
    "csv-excel": ("csv", ("--excel",)),
    "csv-excel-zh": ("csv", ("--excel", "--headings", "zh")),
    "csv-gbk-zh": ("csv", ("--encoding", "gbk", "--headings", "zh")),
    "csv-gb18030-excel": ("csv", ("--encoding", "gb18030", "--excel")),
    "tsv-zh-excel": ("tsv", ("--headings", "zh", "--excel")),
    "json": ("json", ("--headings", "en")),
}


@pytest.mark.parametrize("variant", list(VARIANTS))
def test_every_variant_reimports_into_a_fresh_database(community, tmp_path, variant):  # noqa: F811 (the fixture)
    fmt, args = VARIANTS[variant]
    files = {}
    for kind in KINDS:
        files[kind] = tmp_path / f"{kind}.{fmt}"
        community.ok(kind, "export", "--out", str(files[kind]), *args)
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        result = fresh.ok(kind, "import", str(files[kind]))
        assert "rejected 0" in result.stderr, (kind, result.stderr)
    for kind in KINDS:
        assert exported(fresh, kind) == exported(community, kind), kind
    again = {kind: community.ok(kind, "import", str(files[kind])).stderr for kind in KINDS}
    assert all("inserted 0, updated 0," in text for text in again.values()), again
