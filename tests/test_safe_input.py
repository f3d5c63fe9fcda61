"""Hostile input and hostile environments (issue 18, the reading half): files read in one
linear pass with bounds on a line and a cell; every case that used to print a traceback is
one line with the right exit code; personal numbers masked in messages; codes that a
spreadsheet would run refused; arguments and config labels of any bytes never crash."""

from __future__ import annotations

import codecs
import io
import json
import os
import re
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import pytest
from conftest import ID_ZHANG, Cli, examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_import import TALLY, snapshot

from cbtool import textlines
from cbtool.errors import InvalidInput
from cbtool.fields import MAX_DAYS, mask_id_card, parse_code
from cbtool.tabular import MAX_CELL, open_source
from cbtool.textlines import MAX_LINE

SETTINGS = settings(max_examples=examples(40), deadline=None,
                    suppress_health_check=[HealthCheck.function_scoped_fixture,
                                           HealthCheck.too_slow])
MEMBERS_HEAD = "member_no,name,category,area\n"


def one_line(result) -> str:
    """The error output, which must be exactly one line (and no traceback)."""
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.rstrip("\n").split("\n")
    assert len(lines) == 1, lines
    return lines[0]


def file_error(result) -> str:
    """A file rejected as a whole: its one reason, then the tally. Returns the reason."""
    assert result.exit_code == 1, (result.exit_code, result.stderr)
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.rstrip("\n").split("\n")
    assert len(lines) == 2 and TALLY.match(lines[1]), lines
    return lines[0]


def rejected(result) -> int:
    return int(TALLY.search(result.stderr).group(4))


def member_records(n: int, start: int = 10000) -> list[dict[str, str]]:
    return [{"member_no": str(start + i), "name": "张伟", "category": "在职", "area": "A01"}
            for i in range(n)]


# --- 1. linear reading ------------------------------------------------------------------


class CountingPattern:
    """Stands in for the line splitter's regex: records every text it is given."""

    def __init__(self, pattern: re.Pattern) -> None:
        self.pattern, self.texts = pattern, []

    def findall(self, text: str, *args: int) -> list[str]:
        end = args[1] if len(args) > 1 else len(text)
        self.texts.append(text[:end])
        return self.pattern.findall(text, *args)


@pytest.fixture
def counting(monkeypatch) -> CountingPattern:
    pattern = CountingPattern(textlines.LINE)
    monkeypatch.setattr(textlines, "LINE", pattern)
    return pattern


def assert_one_pass(counting: CountingPattern, size: int) -> None:
    """Linear, structurally: the splitter is given each character at most once, and only
    text that ends in a line break, so its regex matches at every position it tries (a
    text without a break made it try each position to the end: quadratic)."""
    assert sum(map(len, counting.texts)) <= size
    assert all(t.endswith(("\n", "\r")) for t in counting.texts)


def test_a_one_line_json_array_of_1_mb_is_read_in_one_pass(seeded, tmp_path, counting):
    records = member_records(13_000)
    text = json.dumps(records, ensure_ascii=False)  # what json.dump and jq -c write: one line
    assert "\n" not in text and len(text.encode()) > 1_000_000
    path = tmp_path / "one-line.json"
    path.write_text(text, encoding="utf-8")
    result = seeded("members", "import", str(path), "--dry-run")
    assert result.exit_code == 0, result.stderr
    assert "inserted 13000, updated 0, unchanged 0, rejected 0" in result.stderr
    assert_one_pass(counting, len(text))


def test_a_long_line_is_split_in_one_pass(tmp_path, counting):
    heads = [f"c{i}" for i in range(100)]
    cells = ["x" * 9_000] * 100  # a 900,000-character line: under the line bound
    text = ",".join(heads) + "\n" + ",".join(cells) + "\n" + ",".join("y" * 100) + "\n"
    path = tmp_path / "long.csv"
    path.write_text(text, encoding="utf-8")
    with open_source(str(path)) as source:
        rows = list(source.rows())
    assert [line for line, _ in rows] == [2, 3]
    assert rows[0][1]["c99"] == "x" * 9_000
    assert_one_pass(counting, len(text))


@pytest.mark.slow
def test_a_one_line_json_array_of_1_mb_is_read_by_the_reader_in_one_pass(tmp_path, counting):
    path = tmp_path / "one-line.json"
    text = json.dumps(member_records(13_000), ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    with open_source(str(path)) as source:
        assert sum(1 for _ in source.rows()) == 13_000
    assert_one_pass(counting, len(text))  # it took minutes at 80 KB before: quadratic


class Endless(io.RawIOBase):
    """A stream of one never-ending cell (a 50 MB CSV cell, or worse): counts what is read."""

    def __init__(self, head: bytes, fill: bytes = b"x") -> None:
        self.head, self.fill, self.given = head, fill, 0

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        size = 65536 if size is None or size < 0 else size
        data = self.head[:size]
        self.head = self.head[size:]
        data += self.fill * (size - len(data))
        self.given += len(data)
        return data


@pytest.mark.parametrize("quoted", [False, True], ids=["bare", "quoted"])
def test_an_endless_line_stops_at_the_line_bound(quoted):
    stream = Endless(MEMBERS_HEAD.encode() + b'1,"' if quoted else MEMBERS_HEAD.encode() + b"1,")
    with pytest.raises(InvalidInput) as info:
        with open_source("-", input_format="csv", stdin=stream) as source:
            list(source.rows())
    assert info.value.message() == f"<stdin> 第 2 行：行过长（超过 {MAX_LINE} 个字符），不像是表格文件"
    assert stream.given <= MAX_LINE + 2 * 65536  # read as far as the bound, no further


def test_an_endless_multi_line_cell_stops_at_the_cell_bound():
    stream = Endless(MEMBERS_HEAD.encode() + b'1,"', fill=b"x\n")
    with pytest.raises(InvalidInput) as info:
        with open_source("-", input_format="csv", stdin=stream) as source:
            list(source.rows())
    assert info.value.message() == f"<stdin> 第 2 行：单元格过大（超过 {MAX_CELL} 个字符）"
    assert stream.given <= 2 * MAX_CELL + 2 * 65536


def test_a_big_csv_cell_is_an_error_naming_its_line(seeded, tmp_path):
    path = tmp_path / "big.csv"
    path.write_text(MEMBERS_HEAD + "1001,张伟,在职,A01\n1002,\"" + "长" * (MAX_CELL + 1)
                    + "\",在职,A01\n", encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path} 第 3 行：单元格过大（超过 {MAX_CELL} 个字符）"
    assert rejected(result) == 1  # the one row read before it


def test_a_cell_at_the_bound_is_read_and_rejected_by_its_field(seeded, tmp_path):
    path = tmp_path / "near.csv"
    path.write_text(MEMBERS_HEAD + "1001,\"" + "长" * MAX_CELL + "\",在职,A01\n", encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert "超过 100 个字符" in result.stderr or "超过" in result.stderr
    assert "单元格过大" not in result.stderr


def test_a_big_json_cell_names_its_record_and_key(seeded, tmp_path):
    path = tmp_path / "big.jsonl"
    records = member_records(2)
    records[1]["name"] = "长" * (MAX_CELL + 1)
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records),
                    encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path} 第 2 行 [name]：单元格过大（超过 {MAX_CELL} 个字符）"
    assert rejected(result) == 1


def test_a_big_xlsx_cell_names_its_row_and_column(seeded, tmp_path):
    def big(part, data):  # (Excel itself stops at 32,767 characters: a crafted file)
        if part and part.endswith("sheet1.xml"):
            return data.replace("李娜".encode(), ("长" * (MAX_CELL + 1)).encode(), 1)
        return data

    path = xlsx_with(tmp_path, "big.xlsx", big)
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path} 第 3 行 [B]：单元格过大（超过 {MAX_CELL} 个字符）"
    assert rejected(result) == 1


# --- 2. tracebacks become one line -------------------------------------------------------


@pytest.mark.parametrize("ext", ["json", "jsonl"])
def test_json_nested_20000_deep_is_one_line(seeded, tmp_path, ext):
    path = tmp_path / f"deep.{ext}"
    deep = "[" * 20_000 + "]" * 20_000
    path.write_text(f"[{deep}]" if ext == "json" else '{"member_no": ' + deep + "}\n")
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path} 第 1 行：JSON 嵌套过深，不是记录文件"


def xlsx_with(tmp_path: Path, name: str, change) -> Path:
    """A valid members workbook, one of whose parts ``change(part name, bytes)`` rewrites
    (None leaves it out); extra parts come from ``change(None, None)`` as a dict."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["member_no", "name", "category", "area"])
    for i, person in enumerate(["张伟", "李娜", "王强"]):
        wb.active.append([str(1001 + i), person, "在职", "A01"])
    plain = io.BytesIO()
    wb.save(plain)
    path = tmp_path / name
    with zipfile.ZipFile(plain) as src, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in src.infolist():
            data = change(info.filename, src.read(info.filename))
            if data is not None:
                out.writestr(info.filename, data)
        for part, data in (change(None, None) or {}).items():
            out.writestr(part, data)
    return path


def test_malformed_sheet_xml_is_not_a_valid_xlsx(seeded, tmp_path):
    def broken(part, data):
        if part and part.endswith("sheet1.xml"):
            return data.replace(b"</sheetData>", b'<row r="9"><c r="A9"')
        return data

    path = xlsx_with(tmp_path, "broken.xlsx", broken)
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path}：不是有效的 .xlsx 文件"
    assert seeded.count("members") == 4


def test_a_huge_shared_strings_part_is_refused_before_it_is_unpacked(seeded, tmp_path,
                                                                     monkeypatch):
    import openpyxl

    def huge(part, data):
        if part is None:  # 65 MiB of one string: a zip of a few hundred KB
            return {"xl/sharedStrings.xml": b"<sst><si><t>" + b"a" * (65 << 20) + b"</t></si></sst>"}
        return data

    path = xlsx_with(tmp_path, "bomb.xlsx", huge)
    assert path.stat().st_size < 1 << 20

    def never(*args, **kw):
        raise AssertionError("the workbook was opened")

    monkeypatch.setattr(openpyxl, "load_workbook", never)
    result = seeded("members", "import", str(path))
    assert file_error(result) == (f"{path}：工作簿中的 xl/sharedStrings.xml 解压后有 65 MB，"
                                  "超过上限 64 MB，不像是名册")


def test_utf16_without_a_bom_is_one_line(seeded, tmp_path):
    path = tmp_path / "u16.csv"
    path.write_bytes((MEMBERS_HEAD + "1001,张伟,在职,A01\n").encode("utf-16-le"))
    result = seeded("members", "import", str(path), "--encoding", "utf-16")
    assert file_error(result) == (f"{path}：文件开头没有字节顺序标记（BOM），无法确定 utf-16 的"
                                  "字节顺序；请用 --encoding utf-16-le 或 utf-16-be")
    ok = seeded("members", "import", str(path), "--encoding", "utf-16-le", "--dry-run")
    assert ok.exit_code == 0, ok.stderr
    path.write_bytes(codecs.BOM_UTF16_LE + path.read_bytes())  # with its BOM: read
    assert seeded("members", "import", str(path), "--encoding", "utf-16", "--dry-run"
                  ).exit_code == 0


def test_overdue_days_are_bounded(seeded):
    line = one_line(result := seeded("members", "overdue", "--days", "800000"))
    assert result.exit_code == 1
    assert line == f"--days：天数应在 1 到 {MAX_DAYS} 之间，实际是 800000"
    assert seeded("members", "overdue", "--days", str(MAX_DAYS)).exit_code == 0


@pytest.mark.parametrize("key", ["[members]\ncontact_overdue_days", "[checklist]\nstale_days"])
@pytest.mark.parametrize("command", [("members", "overdue"), ("summary",)])
def test_a_huge_day_span_in_the_config_is_exit_3(seeded, tmp_path, key, command):
    config = tmp_path / "cbtool.toml"
    config.write_text(f"{key} = 99999999999\n", encoding="utf-8")
    result = seeded("--config", str(config), *command)
    assert result.exit_code == 3
    dotted = key.strip("[").replace("]\n", ".")
    assert one_line(result) == (f"配置文件 {config}：{dotted} 应为1 到 {MAX_DAYS} 之间的天数，"
                                "实际是 99999999999")


def test_toml_nested_5000_deep_is_one_line_naming_the_file(seeded, tmp_path):
    config = tmp_path / "deep.toml"
    config.write_text("a = " + "[" * 5000 + "]" * 5000 + "\n", encoding="utf-8")
    result = seeded("--config", str(config), "summary")
    assert result.exit_code == 3
    assert one_line(result) == f"配置文件 {config} 不是有效的 TOML：nested too deeply"


def run_cbtool(args: list, env: dict | None = None, **kw) -> subprocess.CompletedProcess:
    """The real entry point in a subprocess; ``args`` may hold bytes, as a terminal gives."""
    full = {k: v for k, v in os.environ.items() if not k.startswith("CBTOOL_")}
    full.update({"LC_ALL": "C", "LANG": "C"}, **(env or {}))
    return subprocess.run([sys.executable, "-m", "cbtool", *args], capture_output=True,
                          env=full, timeout=60, **kw)


GBK_NAME = "张伟".encode("gbk")  # typed in a GBK terminal; the locale says otherwise (b"\\xd5\\xc5" is
# not UTF-8, b"\\xce\\xb0" happens to be: ΰ)


def test_gbk_bytes_in_an_argument_are_one_line_exit_2(db_path):
    Cli(db_path).ok("init")
    for args in ([b"--db", str(db_path), b"--operator", GBK_NAME, b"areas", b"add", b"A09", b"x"],
                 [b"--db", str(db_path), b"areas", b"add", b"A09", GBK_NAME],
                 [b"--db", str(db_path), b"members", b"import", GBK_NAME + b".csv"]):
        result = run_cbtool(args)
        err = result.stderr.decode()
        assert result.returncode == 2, err
        assert err.count("\n") == 1 and "Traceback" not in err
        assert err.startswith("参数 \\xd5\\xc5ΰ") and "不是有效的文本" in err
    result = run_cbtool([b"--lang", b"en", b"--db", str(db_path), b"members", b"show", GBK_NAME])
    assert result.returncode == 2
    assert result.stderr.decode().startswith("the argument \\xd5\\xc5ΰ is not valid text")
    assert Cli(db_path).count("areas") == 0


def test_gbk_bytes_in_a_cbtool_variable_are_one_line_exit_3(db_path):
    Cli(db_path).ok("init")
    env = {"CBTOOL_OPERATOR": os.fsdecode(GBK_NAME), "CBTOOL_DB": str(db_path)}
    result = run_cbtool([b"areas", b"add", b"A09", b"x"], env={**env, "LC_ALL": "C.UTF-8"})
    err = result.stderr.decode()
    assert result.returncode == 3 and err.count("\n") == 1, err
    assert err.startswith("环境变量 CBTOOL_OPERATOR 的值 \\xd5\\xc5ΰ 不是有效的文本")


# --- 3. messages -------------------------------------------------------------------------


def test_config_dev_null_is_an_empty_config(seeded):
    assert seeded("--config", "/dev/null", "summary").exit_code == 0


def test_config_directory_and_missing_file(seeded, tmp_path):
    result = seeded("--config", str(tmp_path), "summary")
    assert result.exit_code == 3 and one_line(result) == f"配置文件 {tmp_path} 是一个目录"
    result = seeded("--config", str(tmp_path / "none.toml"), "summary")
    assert result.exit_code == 3 and one_line(result) == f"配置文件不存在：{tmp_path / 'none.toml'}"


def test_config_endless_device_is_refused_not_read_forever(seeded):
    result = seeded("--config", "/dev/zero", "summary")
    assert result.exit_code == 3
    assert one_line(result) == "配置文件 /dev/zero 超过 1024 KiB，不像是配置文件"


def test_a_decode_error_counts_the_rows_read_before_it(seeded, tmp_path):
    rows = "".join(f"{10000 + i},张伟,在职,A01\n" for i in range(5000))
    path = tmp_path / "late.csv"
    path.write_bytes((MEMBERS_HEAD + rows).encode() + b"9999,\xff\xfe,\xe5\x9c,A01\n")
    result = seeded("members", "import", str(path))
    assert file_error(result) == f"{path} 第 5002 行：无法按 utf-8 解码，请用 --encoding 指定正确的编码"
    assert rejected(result) == 5000


JSON_NOT_CODES = [("true", "true"), ("false", "false"), ("12.5", "12.5"), ("NaN", "nan"),
                  ("Infinity", "inf"), ("-Infinity", "-inf")]


@pytest.mark.parametrize("raw, shown", JSON_NOT_CODES)
def test_json_numbers_and_booleans_are_not_member_numbers(seeded, tmp_path, raw, shown):
    path = tmp_path / "m.jsonl"
    path.write_text('{"member_no": ' + raw + ', "name": "张伟", "category": "在职", "area": "A01"}\n',
                    encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1
    assert f"{shown} 是小数或真假值，不是编号（编号应为文本或整数）" in result.stderr
    assert seeded.count("members") == 4


def test_json_whole_numbers_are_member_numbers(seeded, tmp_path):
    path = tmp_path / "m.json"
    path.write_text('[{"member_no": 104, "name": "张伟", "category": "在职", "area": "A01"},'
                    ' {"member_no": 105.0, "name": "李娜", "category": "在职", "area": "A01"}]',
                    encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 0, result.stderr
    assert seeded.rows("SELECT member_no FROM members WHERE member_no IN ('104', '105')"
                       " ORDER BY 1") == [("104",), ("105",)]


FORMULA_CODES = ["=HYPERLINK(1)", "+1", "-1", "@SUM", "＝1", "＋1", "－1", "＠a"]


@pytest.mark.parametrize("code", FORMULA_CODES)
def test_codes_refuse_formula_starts(seeded, code):
    result = seeded("members", "add", "--no", code, "--name", "张伟", "--category", "在职",
                    "--area", "A01")
    assert result.exit_code == 1
    assert "编号不能以 = + - @ 开头" in one_line(result)
    result = seeded("areas", "add", "--", code, "某居民区")
    assert result.exit_code == 1 and "编号不能以 = + - @ 开头" in one_line(result)
    assert parse_code("member_no", "A-1") == "A-1"  # inside a code a hyphen is fine


def test_formula_codes_in_an_import_are_row_errors(seeded, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(MEMBERS_HEAD + "'=1+1,张伟,在职,A01\n＝2,李娜,在职,A01\n1003,王强,在职,A01\n",
                    encoding="utf-8")
    result = seeded("members", "import", str(path))
    assert result.exit_code == 1 and rejected(result) == 2
    assert seeded.count("members") == 4


# --- 4. personal numbers masked in messages ----------------------------------------------


def test_a_wrong_check_digit_does_not_print_the_id(seeded):
    typed = ID_ZHANG[:17] + ("1" if ID_ZHANG[17] == "0" else "0")
    result = seeded("members", "add", "--no", "0099", "--name", "张伟", "--category", "在职",
                    "--area", "A01", "--id-card", typed)
    line = one_line(result)
    assert result.exit_code == 1
    assert ID_ZHANG[3:14] not in line and typed not in line
    assert f"“{mask_id_card(typed)}”的校验位错误（应为 {ID_ZHANG[17]}）" in line


def test_ids_and_phones_are_masked_in_import_reports(seeded, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(
        "member_no,name,category,area,id_card,phone\n"
        f"1001,张伟,在职,A01,{ID_ZHANG[:17]}1,\n"  # wrong check character (it is 0)
        f"1002,李娜,在职,A01,{ID_ZHANG[:16]},\n"  # wrong length
        "1003,王强,在职,A01,,1381234567\n"  # a digit short
        "1004,陈静,在职,A01,,021-1234567890123\n", encoding="utf-8")
    assert ID_ZHANG[17] == "0"
    result = seeded("--lang", "en", "members", "import", str(path))
    err = result.stderr
    assert result.exit_code == 1 and rejected(result) == 4
    for secret in (ID_ZHANG[:17], ID_ZHANG[:16], "1381234567", "1234567890123"):
        assert secret not in err, (secret, err)
    assert mask_id_card(ID_ZHANG[:16]) in err and "138***4567" in err


# --- 5. garbage in names and labels ------------------------------------------------------

NAME_BYTES = st.binary(min_size=1, max_size=24).filter(
    lambda b: b"/" not in b and b"\x00" not in b and b not in (b".", b".."))


@settings(max_examples=examples(15), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=NAME_BYTES, ext=st.sampled_from([b".csv", b".json", b".xlsx", b""]))
def test_any_bytes_in_a_file_name_never_crash(seeded_template, name, ext):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        db.write_bytes(seeded_template.read_bytes())
        path = os.path.join(os.fsencode(tmp), name + ext)
        with open(path, "wb") as handle:
            handle.write(MEMBERS_HEAD.encode() + "1001,张伟,在职,A01\n".encode())
        result = run_cbtool([b"--db", str(db), b"members", b"import", path, b"--yes"],
                            env={"LC_ALL": "C.UTF-8"})
        err = result.stderr.decode("utf-8", "replace")
        assert result.returncode in (0, 1, 2, 3), err
        assert "Traceback" not in err


@SETTINGS
@given(name=st.text(min_size=1, max_size=30).filter(
    lambda s: "/" not in s and "\x00" not in s and s not in (".", "..")),
    ext=st.sampled_from([".csv", ".jsonl", ""]))
def test_any_text_in_a_file_name_never_crashes(seeded_template, name, ext):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        db.write_bytes(seeded_template.read_bytes())
        cli = Cli(db)
        path = Path(tmp) / (name + ext)
        try:
            path.write_text(MEMBERS_HEAD + "1001,张伟,在职,A01\n", encoding="utf-8")
        except (OSError, UnicodeEncodeError):  # a name the file system refuses
            return
        before = snapshot(cli)
        result = cli("members", "import", str(path), "--yes")
        assert result.exit_code in (0, 1, 2, 3), result.stderr
        assert "Traceback" not in result.stderr
        if result.exit_code:
            assert snapshot(cli) == before


LABEL = st.text(max_size=40) | st.sampled_from(["", " ", "\x1b[2J", "走访\n慰问", "=1+1",
                                                "\ud800", "'", '"', "\\", "x" * 2000])
KIND_KEY = st.from_regex(r"[a-z][a-z0-9_-]{0,11}", fullmatch=True) | st.text(max_size=12)


def toml_string(text: str) -> str:
    """A TOML basic string (JSON's escapes are TOML's; what TOML refuses stays refused)."""
    return json.dumps(text)


@SETTINGS
@given(kinds=st.dictionaries(KIND_KEY, LABEL, min_size=1, max_size=4), pick=st.integers(0, 3))
def test_any_log_kind_labels_in_the_config_never_crash(seeded_template, kinds, pick):
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "t.db"
        db.write_bytes(seeded_template.read_bytes())
        cli = Cli(db)
        config = Path(tmp) / "cbtool.toml"
        body = "".join(f"{toml_string(k)} = {toml_string(v)}\n" for k, v in kinds.items())
        config.write_text("[logs.kinds]\n" + body, encoding="utf-8", errors="surrogatepass")
        label = list(kinds.values())[pick % len(kinds)]
        for args in (("logs", "add", "--point", "C00", "--kind", label, "--title", "走访"),
                     ("logs", "list", "--format", "md"), ("summary",)):
            result = cli("--config", str(config), *args)
            assert result.exit_code in (0, 1, 2, 3), (args, result.stderr)
            assert "Traceback" not in result.stderr
