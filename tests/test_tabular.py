"""Reading tabular files (csv, tsv, json, jsonl, xlsx) and writing xlsx."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import stat
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.errors import InvalidInput
from cbtool.tabular import FORMATS, open_source, sniff_format, write_xlsx

HEAD = "党员编号,姓名,居民区\n"
BODY = "000123,张伟,石化一村居民区\n000124,李娜,石化二村居民区\n"


def read(path, **kw):
    with open_source(str(path), **kw) as src:
        return src.headers, list(src.rows()), src.encoding


def write(tmp_path, name, data: bytes):
    path = tmp_path / name
    path.write_bytes(data)
    return path


def error(path, **kw) -> InvalidInput:
    with pytest.raises(InvalidInput) as info:
        read(path, **kw)
    for lang in ("zh", "en"):
        assert "\n" not in info.value.message(lang)
    return info.value


EXPECTED = [
    (2, {"党员编号": "000123", "姓名": "张伟", "居民区": "石化一村居民区"}),
    (3, {"党员编号": "000124", "姓名": "李娜", "居民区": "石化二村居民区"}),
]


# --- encodings ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("codec", "detected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("gb18030", "gb18030")],
)
def test_encoding_detected(tmp_path, codec, detected):
    path = write(tmp_path, "m.csv", (HEAD + BODY).encode(codec))
    headers, rows, encoding = read(path)
    assert headers == ["党员编号", "姓名", "居民区"]
    assert rows == EXPECTED
    assert encoding == detected


def test_gbk_after_long_ascii_prefix_switches_to_gb18030(tmp_path):
    filler = "".join(f"{i:06d},Zhang Wei,Block {i}\n" for i in range(4000))  # > 64 KiB
    assert len(filler) > 64 * 1024
    data = ("no,name,area\n" + filler + "999999,张伟,石化一村居民区\n").encode("gbk")
    with open_source(str(write(tmp_path, "m.csv", data))) as src:
        assert src.encoding == "utf-8"
        rows = list(src.rows())
        assert src.encoding == "gb18030"
    assert len(rows) == 4001
    assert rows[0] == (2, {"no": "000000", "name": "Zhang Wei", "area": "Block 0"})
    assert rows[-1] == (4002, {"no": "999999", "name": "张伟", "area": "石化一村居民区"})


def test_utf8_file_with_later_bad_bytes_names_the_line(tmp_path):
    filler = "".join(f"{i:06d},张伟,石化一村\n" for i in range(4000))
    data = ("no,name,area\n" + filler).encode() + "1,李娜,二村\n".encode("gbk")
    err = error(write(tmp_path, "m.csv", data))
    assert "line 4002" in err.message("en") and "--encoding" in err.message("en")
    assert "第 4002 行" in err.message("zh")


def test_encoding_override(tmp_path):
    path = write(tmp_path, "m.csv", (HEAD + BODY).encode("gbk"))
    for name in ("gbk", "GBK", "gb2312", "gb18030"):
        assert read(path, encoding=name)[1] == EXPECTED
    assert read(path, encoding="gbk")[2] == "gbk"
    err = error(path, encoding="utf-8")
    assert err.message("en") == (
        f"{path} line 1: cannot be decoded as utf-8; give the right --encoding")
    assert "no-such-codec" in error(path, encoding="no-such-codec").message("en")


def test_utf8_override_tolerates_bom(tmp_path):
    path = write(tmp_path, "m.csv", (HEAD + BODY).encode("utf-8-sig"))
    assert read(path, encoding="utf-8")[:2] == (["党员编号", "姓名", "居民区"], EXPECTED)


def test_undetectable_encoding(tmp_path):
    path = write(tmp_path, "m.csv", b"a,b\n\x80\xff,1\n")
    assert "--encoding" in error(path).message("en")


# --- csv structure -----------------------------------------------------------------------


def test_tsv(tmp_path):
    path = write(tmp_path, "m.tsv", (HEAD + BODY).replace(",", "\t").encode())
    assert read(path)[1] == EXPECTED


def test_multiline_cells_and_blank_rows(tmp_path):
    text = (
        "\n"
        "编号,备注,居民区\r\n"
        '1,"第一行\r\n第二行\n第三行",一村\r\n'
        ",,\r\n"
        "   ,  ,\n"
        "\n"
        '2, 普通 ,"二村"\n'
        '3,"a\rb",三村'  # lone CR inside a cell, no final newline
    )
    headers, rows, _ = read(write(tmp_path, "m.csv", text.encode()))
    assert headers == ["编号", "备注", "居民区"]
    assert rows == [
        (3, {"编号": "1", "备注": "第一行\r\n第二行\n第三行", "居民区": "一村"}),
        (9, {"编号": "2", "备注": "普通", "居民区": "二村"}),
        (10, {"编号": "3", "备注": "a\rb", "居民区": "三村"}),
    ]


def test_crlf_split_across_read_chunks(tmp_path):
    first = "no,name\r\n1," + "x" * (64 * 1024 - 12)
    assert len(first.encode()) == 64 * 1024 - 1  # its "\r" is the chunk's last byte
    data = (first + "\r\n2,y\r\n3,z\r\n").encode()
    rows = read(write(tmp_path, "m.csv", data))[1]
    assert [(line, r["no"]) for line, r in rows] == [(2, "1"), (3, "2"), (4, "3")]


def test_fullwidth_spaces_stripped(tmp_path):
    path = write(tmp_path, "m.csv", "姓名,居民区\n\u3000张伟\u3000, \u3000\n".encode())
    assert read(path)[1] == [(2, {"姓名": "张伟", "居民区": None})]


def test_duplicate_headers_rejected(tmp_path):
    path = write(tmp_path, "m.csv", "姓名,居民区, 姓名 ,备注,居民区\n张伟,一村,,,\n".encode())
    err = error(path)
    assert err.message("en") == f"{path}: duplicate headings: 姓名, 居民区"


def test_unnamed_columns_short_and_long_rows(tmp_path):
    text = "姓名,,居民区,,\n张伟,,一村\n李娜\n王芳,,二村,,x,,y\n"
    headers, rows, _ = read(write(tmp_path, "m.csv", text.encode()))
    assert headers == ["姓名", "居民区"]
    assert rows == [
        (2, {"姓名": "张伟", "居民区": "一村"}),
        (3, {"姓名": "李娜", "居民区": None}),
        (4, {"姓名": "王芳", "居民区": "二村", "": "x, y"}),
    ]
    path = write(tmp_path, "bad.csv", "姓名,,居民区\n张伟,,一村\n李娜,男,二村\n".encode())
    assert error(path).message("en") == f"{path} line 3: column 2 has data but no heading"


def test_unclosed_quote_reported_at_record_start(tmp_path):
    path = write(tmp_path, "m.csv", '姓名,备注\n张伟,ok\n李娜,"open\nmore\n'.encode())
    assert f"{path} line 3: bad CSV" in error(path).message("en")


def test_empty_file(tmp_path):
    assert read(write(tmp_path, "m.csv", b"\n\n"))[:2] == ([], [])
    assert read(write(tmp_path, "e.jsonl", b""))[:2] == ([], [])


def test_streaming_reads_only_what_it_needs():
    data = (HEAD + BODY * 50_000).encode()
    stream = io.BytesIO(data)
    with open_source("-", input_format="csv", stdin=stream) as src:
        assert stream.tell() <= 64 * 1024
        rows = src.rows()
        assert next(rows) == EXPECTED[0]
        assert stream.tell() <= 2 * 64 * 1024
        assert sum(1 for _ in rows) == 99_999
    assert stream.tell() == len(data)


# --- formats, files, stdin ---------------------------------------------------------------


def test_format_from_extension_and_errors(tmp_path):
    assert FORMATS == ("csv", "tsv", "json", "jsonl", "xlsx")
    assert [sniff_format(f"a.{e}") for e in ("CSV", "tsv", "json", "jsonl", "XLSX")] == [
        "csv", "tsv", "json", "jsonl", "xlsx"]
    assert error(write(tmp_path, "m.txt", b"a\n")).message("en").startswith(f"{tmp_path}/m.txt:")
    assert "save it as .xlsx or CSV" in error(write(tmp_path, "old.xls", b"x")).message("en")
    assert error(tmp_path / "missing.csv").message("en") == f"{tmp_path}/missing.csv: no such file"
    (tmp_path / "dir.csv").mkdir()
    assert "cannot be read" in error(tmp_path / "dir.csv").message("en")
    fake = write(tmp_path, "fake.xlsx", b"not a zip")
    assert error(fake).message("en") == f"{fake}: not a valid .xlsx file"
    assert "csv, tsv" in error(write(tmp_path, "m.dat", b"a\n"), input_format="xml").message("en")


def test_input_format_overrides_extension(tmp_path):
    path = write(tmp_path, "m.txt", (HEAD + BODY).replace(",", "\t").encode())
    assert read(path, input_format="tsv")[1] == EXPECTED


def test_xlsx_named_csv_is_recognised(tmp_path):
    src = tmp_path / "real.xlsx"
    write_xlsx(src, [("s", ["a"], [["1"]])])
    path = write(tmp_path, "m.csv", src.read_bytes())
    assert "--input-format xlsx" in error(path).message("en")


def test_stdin(tmp_path):
    err = error("-", stdin=io.BytesIO(b"a\n"))
    assert "--input-format" in err.message("en") and "--input-format" in err.message("zh")
    stream = io.BytesIO((HEAD + BODY).encode("gbk"))
    assert read("-", input_format="csv", stdin=stream) == (
        ["党员编号", "姓名", "居民区"], EXPECTED, "gb18030")
    xlsx = tmp_path / "m.xlsx"
    write_xlsx(xlsx, [("s", ["党员编号", "姓名"], [["000123", "张伟"]])], text_columns={"党员编号"})
    got = read("-", input_format="xlsx", stdin=io.BytesIO(xlsx.read_bytes()))
    assert got == (["党员编号", "姓名"], [(2, {"党员编号": "000123", "姓名": "张伟"})], None)


# --- json, jsonl -------------------------------------------------------------------------


def test_json_array_values(tmp_path):
    data = [
        {" 党员编号 ": "000123", "姓名": " 张伟 ", "在册": True, "人数": 12, "时长": 2.0,
         "比例": 0.25, "备注": None, "参加党员": ["张伟", "李娜", None]},
        {"党员编号": "000124", "外出": False, "空": "  ", "新": 1},
    ]
    path = write(tmp_path, "m.json", json.dumps(data, ensure_ascii=False).encode())
    headers, rows, encoding = read(path)
    assert headers == ["党员编号", "姓名", "在册", "人数", "时长", "比例", "备注", "参加党员"]
    assert encoding == "utf-8"
    assert rows == [
        (1, {"党员编号": "000123", "姓名": "张伟", "在册": "true", "人数": "12", "时长": "2",
             "比例": "0.25", "备注": None, "参加党员": "张伟,李娜"}),
        (2, {"党员编号": "000124", "外出": "false", "空": None, "新": "1"}),
    ]


def test_json_errors(tmp_path):
    path = write(tmp_path, "a.json", b'{"a": 1}')
    assert "array of objects" in error(path).message("en")
    path = write(tmp_path, "b.json", b'[{"a": 1}, 2]')
    assert error(path).message("en") == f"{path} record 2: not a JSON object"
    path = write(tmp_path, "c.json", b'[{"a": 1}, {"b": {"c": 1}}]')
    assert error(path).message("en") == f"{path} record 2: 'b' holds an object"
    path = write(tmp_path, "d.json", b'[\n{"a": 1},\n{"a": }\n]')
    assert error(path).message("en").startswith(f"{path} line 3: not valid JSON")


def test_jsonl(tmp_path):
    text = '{"姓名": "张伟", "编号": 123}\n\n  \n{"姓名": "李娜", "x": 1.5}\n'
    headers, rows, _ = read(write(tmp_path, "m.jsonl", text.encode()))
    assert headers == ["姓名", "编号"]
    assert rows == [(1, {"姓名": "张伟", "编号": "123"}), (4, {"姓名": "李娜", "x": "1.5"})]


@pytest.mark.parametrize("bad", ['{"a": 1', "[1, 2]", '"text"'])
def test_jsonl_bad_line_named(tmp_path, bad):
    path = write(tmp_path, "m.jsonl", f'{{"a": 1}}\n\n{bad}\n{{"a": 2}}\n'.encode())
    assert error(path).message("en").startswith(f"{path} line 3: not")


def test_jsonl_first_line_bad_fails_at_open(tmp_path):
    path = write(tmp_path, "m.jsonl", b"nope\n")
    with pytest.raises(InvalidInput, match="line 1"):
        open_source(str(path))


# --- xlsx --------------------------------------------------------------------------------


def test_xlsx_values(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([None])
    ws.append(["党员编号", " 姓名 ", "手机", "出生日期", "时间", "人数", "时长", "在册", None])
    ws.append(["000123", "张伟", 13812345678.0, date(1980, 5, 1), datetime(2026, 11, 24, 9, 30),
               42, 2.5, True])
    ws.append([None, "  ", None])
    ws.append(["000124", "李娜", 13900000000, datetime(1990, 1, 2), None, 0, 1.0, False])
    path = tmp_path / "m.xlsx"
    wb.save(path)
    headers, rows, encoding = read(path)
    assert encoding is None
    assert headers == ["党员编号", "姓名", "手机", "出生日期", "时间", "人数", "时长", "在册"]
    assert rows == [
        (3, {"党员编号": "000123", "姓名": "张伟", "手机": "13812345678", "出生日期": "1980-05-01",
             "时间": "2026-11-24T09:30:00", "人数": "42", "时长": "2.5", "在册": "true"}),
        (5, {"党员编号": "000124", "姓名": "李娜", "手机": "13900000000", "出生日期": "1990-01-02",
             "时间": None, "人数": "0", "时长": "1", "在册": "false"}),
    ]


def test_xlsx_first_worksheet_only(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["a"])
    wb.active.append(["first"])
    wb.create_sheet("other").append(["b"])
    wb.save(tmp_path / "m.xlsx")
    assert read(tmp_path / "m.xlsx")[:2] == (["a"], [(2, {"a": "first"})])


def test_write_xlsx_round_trip(tmp_path):
    path = tmp_path / "out.xlsx"
    members = [
        ["000123", "张伟", "13812345678", 3, date(2026, 11, 24), "=HYPERLINK(\"x\")"],
        ["000124", None, "021-12345678", 2.5, None, "#N/A"],
    ]
    headers = ["党员编号", "姓名", "联系电话", "次数", "日期", "备注"]
    write_xlsx(path, [("党员:名单[2026]/*?", headers, iter(members)), ("检查", ["项目"], [])],
               text_columns={"党员编号", "联系电话"})
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert read(path) == (headers, [
        (2, {"党员编号": "000123", "姓名": "张伟", "联系电话": "13812345678", "次数": "3",
             "日期": "2026-11-24", "备注": '=HYPERLINK("x")'}),
        (3, {"党员编号": "000124", "姓名": None, "联系电话": "021-12345678", "次数": "2.5",
             "日期": None, "备注": "#N/A"}),
    ], None)
    wb = openpyxl.load_workbook(path)
    ws = wb.worksheets[0]
    assert wb.sheetnames == ["党员名单2026", "检查"]
    assert ws.freeze_panes == "A2"
    assert ws["A1"].font.b and ws["F1"].font.b
    assert (ws["A2"].value, ws["A2"].data_type, ws["A2"].number_format) == ("000123", "s", "@")
    assert ws["C2"].number_format == "@" and ws["B2"].number_format != "@"
    assert (ws["D2"].value, ws["D3"].value) == (3, 2.5)
    assert ws["F2"].data_type == "s"
    widths = {c: ws.column_dimensions[c].width for c in "ABCF"}
    assert widths["A"] == 10  # "党员编号": 4 CJK = 8, + 2
    assert widths["C"] == 14  # "13812345678": 11, + 2 (wider than the heading)
    assert widths["F"] == 17  # '=HYPERLINK("x")': 15, + 2


def test_write_xlsx_long_title_and_replace(tmp_path):
    path = tmp_path / "out.xlsx"
    path.write_bytes(b"old")
    write_xlsx(path, [("x" * 40, ["a"], [[None], ["1"]])])
    assert openpyxl.load_workbook(path).sheetnames == ["x" * 31]
    assert read(path)[1] == [(3, {"a": "1"})]
    assert list(tmp_path.glob(".out.xlsx*")) == []  # no temporary file left behind


def test_openpyxl_not_imported_at_start_up():
    code = "import sys, cbtool.tabular; print('openpyxl' in sys.modules)"
    root = Path(__file__).resolve().parents[1]
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True, cwd=root)
    assert out.stdout.strip() == "False"


# --- property: whatever csv.writer writes comes back -------------------------------------

CHINESE = "张伟李娜王芳石化一村二村居民区党员编号姓名备注志愿服务点"
ALPHABET = st.sampled_from(list(CHINESE + "abcXYZ019 ,;\"'\t\n\r-=+."))
BREAKS = re.compile(r"\r\n|\r|\n")


@settings(max_examples=examples(150), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    codec=st.sampled_from(["utf-8", "gbk"]),
    ncols=st.integers(1, 4),
    data=st.data(),
)
def test_csv_round_trip_property(tmp_path, codec, ncols, data):
    cell = st.text(ALPHABET, max_size=8)
    rows = data.draw(st.lists(st.lists(cell, min_size=ncols, max_size=ncols), max_size=12))
    headers = ["姓名"] + [f"列{i}" for i in range(1, ncols)]
    buf = io.StringIO(newline="")
    writer = csv.writer(buf)
    writer.writerow(headers)
    writer.writerows(rows)
    encoded = buf.getvalue().encode(codec)
    if codec == "gbk":  # the Chinese heading makes the bytes invalid UTF-8: no ambiguity
        with pytest.raises(UnicodeDecodeError):
            encoded.decode("utf-8")
    path = tmp_path / "p.csv"
    path.write_bytes(encoded)

    expected, line = [], 2
    for row in rows:
        cells = [c.strip() or None for c in row]
        if any(cells):
            expected.append((line, dict(zip(headers, cells, strict=True))))
        line += 1 + sum(len(BREAKS.findall(c)) for c in row)
    got_headers, got, encoding = read(path)
    assert got_headers == headers
    assert got == expected
    assert encoding == ("utf-8" if codec == "utf-8" else "gb18030")


def test_gbk_file_with_later_bad_bytes_names_the_line(tmp_path):
    filler = "".join(f"{i:06d},张伟,石化一村\n" for i in range(6000))
    data = ("no,name,area\n" + filler).encode("gbk") + b"1,\xff\xfe,x\n"
    err = error(write(tmp_path, "m.csv", data))
    assert err.message("en").startswith(f"{tmp_path}/m.csv line 6002: cannot be decoded as gb18030")


def test_excel_unicode_text_is_utf16(tmp_path):
    path = write(tmp_path, "m.tsv", (HEAD + BODY).replace(",", "\t").encode("utf-16"))
    assert read(path)[1:] == (EXPECTED, "utf-16")
