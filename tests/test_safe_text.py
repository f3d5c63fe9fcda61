"""Hostile text, safe output: the one display sanitiser (``text.shown``) between data and
every terminal, message and Markdown cell; the one formula guard (``cells``) on every
spreadsheet cell and its inverse on import; text no one types refused at input; a GBK
terminal gets substitutes, never a traceback."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.cells import FORMULA_START, formula_like, guard, unguard
from cbtool.text import UNTYPEABLE, md_text, shown

ESC_CLEAR = "\x1b[2J"
OSC_TITLE = "\x1b]0;title\x07"
CSI8 = "\x9b2J"
RLO = "\u202e"
HOSTILE = [ESC_CLEAR, OSC_TITLE, CSI8, RLO, "\u2066", "\u2069", "\x85", "\x07", "\x00"]
# What must never reach a terminal or a Markdown file raw.
RAW = ["\x1b", "\x9b", "\x07", "\x85", "\x00", "\r", *(chr(c) for c in range(0x202A, 0x202F)),
       *(chr(c) for c in range(0x2066, 0x206A))]


def no_raw(text: str) -> None:
    found = [hex(ord(ch)) for ch in RAW if ch in text]
    assert not found, (found, text)


def raw_sql(cli, *statements: tuple[str, tuple]) -> None:
    """Text stored before input was checked (an older cbtool, another tool): written
    straight into the file, foreign keys off."""
    conn = sqlite3.connect(cli.db_path)
    try:
        conn.execute("PRAGMA foreign_keys = OFF")
        for sql, params in statements:
            conn.execute(sql, params)
        conn.commit()
    finally:
        conn.close()


def write_toml(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    return path


# --- the sanitiser itself ---------------------------------------------------------------


@pytest.mark.parametrize("bad", HOSTILE + ["\n", "\r", "\t", "\u2028", "\u200f", "\ud800"])
def test_shown_escapes_every_control_visibly(bad):
    out = shown(f"张{bad}三")
    assert out.startswith("张") and out.endswith("三")
    assert out.isprintable() and bad not in out  # nothing hidden, the Chinese kept
    assert repr(bad[0])[1:-1] in out  # e.g. \x1b, \u202e: says which character it was


def test_shown_leaves_ordinary_text_alone_and_is_idempotent():
    for text in ("石化一村居民区", "A01 [试点]", "王\u3000芳", "a\u00a0b", "C:\\data", "✓ 2026-11-20"):
        assert shown(text) == text
    once = shown(f"x{ESC_CLEAR}\n{RLO}y")
    assert shown(once) == once and once == "x\\x1b[2J\\n\\u202ey"


def test_md_text_escapes_row_breakers_and_raw_html():
    out = md_text(f"a|b\r\nc\rd\ne<script>&amp;\\{ESC_CLEAR}")
    assert "|" not in out.replace("\\|", "") and "\r" not in out and "\n" not in out
    assert "<" not in out and ">" not in out
    assert out == "a\\|b c d e&lt;script&gt;&amp;amp;\\\\\\\\x1b[2J"


# --- refused at input -------------------------------------------------------------------


@pytest.mark.parametrize("bad", [ESC_CLEAR, CSI8, RLO, "\u2067", "\x85", "\u2028"])
def test_untypeable_text_is_refused_in_a_name(seeded, bad):
    before = seeded.count("members")
    result = seeded("members", "add", "--no", "0009", "--name", f"赵{bad}六", "--category",
                    "在职", "--area", "A01")
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and "姓名：含有不可见的控制字符" in result.stderr
    no_raw(result.stderr)
    assert seeded.count("members") == before


def test_tab_and_line_breaks_stay_allowed_in_a_note(seeded):
    seeded.ok("members", "edit", "0001", "--note", "第一行\n第二行\t备注")
    assert seeded.rows("SELECT note FROM members WHERE member_no='0001'") == [
        ("第一行\n第二行\t备注",)]
    assert not UNTYPEABLE.search("第一行\r\n第二行\t")


def test_untypeable_text_in_an_import_is_a_row_error(seeded, tmp_path):
    path = tmp_path / "m.csv"
    path.write_text(f"member_no,name,category,area\n0009,赵{RLO}六,在职,A01\n"
                    f"0010,钱{CSI8}七,在职,A01\n0011,孙八,在职,A01\n", encoding="utf-8")
    result = seeded("members", "import", path)
    assert result.exit_code == 1 and "rejected 2" in result.stderr
    no_raw(result.stderr)
    assert seeded.count("members") == 4


@pytest.mark.parametrize("how", ["option", "env"])
def test_a_hostile_operator_is_refused(seeded, how):
    before = seeded.count("audit")
    args = ["members", "edit", "0001", "--note", "x"]
    operator = f"王芳{OSC_TITLE}"
    if how == "option":
        result = seeded("--operator", operator, *args)
    else:
        result = seeded(*args, env={"CBTOOL_OPERATOR": operator})
    assert result.exit_code == 1
    assert "操作人：含有不可见的控制字符" in result.stderr and result.stderr.count("\n") == 1
    no_raw(result.stderr)
    assert seeded.count("audit") == before


def test_a_plain_operator_is_recorded(seeded):
    seeded.ok("--operator", " 王芳 ", "members", "edit", "0001", "--note", "x")
    assert seeded.rows("SELECT operator FROM audit ORDER BY id DESC LIMIT 1") == [("王芳",)]


@pytest.mark.parametrize("toml", [
    f'operator = "王芳{ESC_CLEAR}"\n',
    f'[logs.kinds]\ntalk = "谈心{ESC_CLEAR}"\n',
    f'[checklist.items]\nvenue = "场所{RLO}"\n',
    f'[logs.kinds]\n"t{CSI8}" = "谈心"\n',
])
def test_hostile_config_strings_and_labels_are_refused(seeded, tmp_path, toml):
    cfg = write_toml(tmp_path / "cbtool.toml", toml.replace("\x1b", "\\u001b")
                     .replace(CSI8, "\\u009b2J").replace(RLO, "\\u202e"))
    result = seeded("--config", cfg, "members", "list")
    assert result.exit_code == 3, result.stderr
    assert result.stderr.count("\n") == 1 and "不含控制字符" in result.stderr
    no_raw(result.stderr)


GARBAGE = st.text(alphabet=st.sampled_from([*"".join(HOSTILE), "\n", "\r", "\t", " ", "张",
                                             "a", "[", "|", "<"]) | st.characters(),
                  min_size=1, max_size=12)
FUZZ = settings(max_examples=examples(20), deadline=None,
                suppress_health_check=[HealthCheck.too_slow,
                                       HealthCheck.function_scoped_fixture])


@FUZZ
@given(operator=GARBAGE)
def test_any_operator_is_stored_clean_or_refused_in_one_line(seeded, operator):
    result = seeded("--operator", operator, "members", "edit", "0001", "--note", "x")
    assert result.exit_code in (0, 1) and result.stderr.count("\n") == 1, result.stderr
    no_raw(result.stderr)
    stored = seeded.rows("SELECT operator FROM audit ORDER BY id DESC LIMIT 1")[0][0]
    assert not UNTYPEABLE.search(stored or "")


@FUZZ
@given(label=GARBAGE)
def test_any_config_label_is_taken_or_refused_in_one_line(seeded, tmp_path, label):
    cfg = write_toml(tmp_path / "cbtool.toml",
                     f"[logs.kinds]\ntalk = {json.dumps(label, ensure_ascii=False)}\n")
    result = seeded("--config", cfg, "logs", "list")
    assert result.exit_code in (0, 3), result.stderr
    assert result.exit_code == 0 or result.stderr.count("\n") == 1, result.stderr
    no_raw(result.stderr)
    no_raw(result.stdout)


def _file_name(name: str) -> bool:
    """A name a file can have here: no slash or NUL, and encodable (a lone surrogate
    outside surrogateescape's range cannot be)."""
    try:
        os.fsencode(name)
    except UnicodeEncodeError:
        return False
    return "/" not in name and "\x00" not in name


@FUZZ
@given(name=GARBAGE.filter(_file_name))
def test_any_import_file_name_is_shown_escaped(seeded, tmp_path, name):
    path = tmp_path / f"{name}.csv"
    path.write_text("member_no,name,category,area,zz\n0009,赵六,在职,A01,1\n0010,,在职,A01,1\n",
                    encoding="utf-8")
    result = seeded("members", "import", path, "--dry-run")
    assert result.exit_code == 1 and "rejected 1" in result.stderr
    assert shown(path.name) in result.stderr  # the unknown column's line names the file
    no_raw(result.stderr)


# --- shown escaped on a terminal, in messages and in md ---------------------------------


@pytest.fixture
def hostile(seeded):
    """Names stored before input was checked: each with an escape sequence, an 8-bit CSI,
    a right-to-left override, a CR or a newline that could fake a table row."""
    raw_sql(seeded,
            ("UPDATE members SET name=? WHERE member_no='0001'", (f"张伟{ESC_CLEAR}{OSC_TITLE}",)),
            ("UPDATE members SET name=? WHERE member_no='0002'", (f"李娜{RLO}0003 王强",)),
            ("UPDATE members SET name=? WHERE member_no='0003'",
             ("王强\r0009 假冒\n0010 <b>粗</b>|x",)),
            ("UPDATE members SET employer=? WHERE member_no='0004'", (f"学校{CSI8}",)),
            ("UPDATE areas SET name=? WHERE code='A01'", (f"石化一村{ESC_CLEAR}<script>x</script>",)),
            ("UPDATE points SET name=? WHERE code='A01'", (f"一村点{RLO}|<i>",)),
            ("UPDATE audit SET operator=?", (f"王芳{OSC_TITLE}",)))
    return seeded


@pytest.mark.parametrize("args", [
    ("members", "list"), ("members", "list", "--format", "md"), ("members", "show", "0001"),
    ("members", "show", "0001", "--format", "md"), ("members", "show", "0004"),
    ("areas", "list"), ("points", "list"), ("points", "list", "--format", "md"),
    ("audit",), ("audit", "--format", "md"), ("checklist", "show"),
    ("checklist", "show", "--format", "md"),
])
def test_tables_and_md_show_hostile_text_escaped(hostile, args):
    result = hostile.ok(*args)
    no_raw(result.stdout)
    no_raw(result.stderr)
    assert any(e in result.stdout for e in ("\\x1b", "\\u202e", "\\x9b", "\\r")), result.stdout


def test_a_newline_in_a_name_cannot_fake_a_row(hostile):
    table = hostile.ok("members", "list").stdout
    assert not any(line.lstrip().startswith(("0009", "0010")) for line in table.splitlines())
    assert "王强\\r0009 假冒\\n0010" in table
    md = hostile.ok("members", "list", "--format", "md").stdout
    rows = [line for line in md.splitlines() if line.startswith("|")]
    assert len(rows) == 2 + 4  # header, rule, four members: nothing more
    assert "王强 0009 假冒 0010 &lt;b&gt;粗&lt;/b&gt;\\|x" in md and "<b>" not in md


def test_machine_formats_keep_the_data_exact(hostile):
    listed = json.loads(hostile.ok("members", "list", "--format", "json").stdout)
    names = {m["member_no"]: m["name"] for m in listed}
    assert names["0001"] == f"张伟{ESC_CLEAR}{OSC_TITLE}" and names["0002"].startswith(f"李娜{RLO}")
    rows = list(csv.DictReader(io.StringIO(hostile.ok("members", "export").stdout)))
    assert {r["member_no"]: r["name"] for r in rows}["0003"] == "王强\r0009 假冒\n0010 <b>粗</b>|x"


def test_the_dashboard_and_md_summary_show_hostile_names_escaped(hostile):
    hostile.ok("logs", "add", "--point", "A01", "--on", "2025-03-01", "--kind", "visit",
               "--title", "走访")
    for args in (("summary", "--period", "2025"), ("summary", "--period", "2025", "--format", "md")):
        out = hostile.ok(*args).stdout
        no_raw(out)
        assert "\\x1b[" in out
    md = hostile.ok("summary", "--period", "2025", "--format", "md").stdout
    assert "<script>" not in md and "&lt;script&gt;" in md and "<i>" not in md


def test_reports_md_and_html_never_carry_raw_html_or_controls(hostile, tmp_path):
    hostile.ok("logs", "add", "--point", "A01", "--on", "2025-03-01", "--kind", "visit",
               "--title", "走访")
    md = hostile.ok("report", "--period", "2025", "--format", "md", "--out", "-").stdout
    no_raw(md)
    assert "<script>" not in md and "&lt;script&gt;" in md and "<i>" not in md
    page = hostile.ok("report", "--period", "2025", "--format", "html", "--out", "-").stdout
    assert "<script>" not in page and "&lt;script&gt;" in page and "<i>" not in page


def test_an_import_file_name_with_an_escape_is_shown_escaped(seeded, tmp_path):
    path = tmp_path / f"m{ESC_CLEAR}{RLO}.csv"
    path.write_text("member_no,name,category,area,zz\n0009,赵六,在职,A01,1\n0010,,在职,A01,1\n",
                    encoding="utf-8")
    result = seeded("members", "import", path)
    assert result.exit_code == 1 and "m\\x1b[2J\\u202e.csv" in result.stderr
    no_raw(result.stderr)
    missing = seeded("members", "import", tmp_path / f"gone{OSC_TITLE}.csv")
    assert missing.exit_code != 0 and missing.stderr.strip()
    no_raw(missing.stderr)


def test_messages_escape_what_the_user_typed(seeded, tmp_path):
    for args in (("members", "show", f"00{ESC_CLEAR}01"),
                 ("members", "edit", "0001", "--area", f"A0{RLO}9"),
                 ("--config", tmp_path / f"none{OSC_TITLE}.toml", "members", "list")):
        result = seeded(*args)
        assert result.exit_code in (1, 3) and result.stderr.count("\n") == 1, result.stderr
        no_raw(result.stderr)
    cfg = write_toml(tmp_path / "c.toml", '"k\\u001b[2J" = 1\n')  # unknown key: a warning
    result = seeded.ok("--config", cfg, "members", "list")
    assert "\\x1b[2J" in result.stderr
    no_raw(result.stderr)


def test_a_vocabulary_label_from_an_old_document_is_shown_escaped(capsys):
    from cbtool.cli.dashboard import render_dashboard
    from cbtool.cli.output import console
    from cbtool.report import render_md

    doc = {"period": {"label": "2025"}, "logs": {"total": 1, "by_kind": {"talk": 1}},
           "labels": {"kind": {"talk": f"谈{ESC_CLEAR}<b>"}}}
    render_dashboard(doc, "zh", console())
    out = capsys.readouterr().out
    no_raw(out)
    assert "谈\\x1b[2J<b>" in out  # a terminal shows it; Markdown escapes the HTML:
    assert "谈\\\\x1b[2J&lt;b&gt;" in render_md(doc, "zh")


# --- the formula guard --------------------------------------------------------------------


@pytest.mark.parametrize(("stored", "cell"), [
    ("=1+1", "'=1+1"), ("+86 在外", "'+86 在外"), ("-早退", "'-早退"), ("@公司", "'@公司"),
    ("＝HYPERLINK(1)", "'＝HYPERLINK(1)"), ("＋1", "'＋1"), ("－x", "'－x"), ("＠a", "'＠a"),
    ("\tx", "'\tx"), ("\rx", "'\rx"), ("-5", "-5"), ("+1.5e3", "+1.5e3"), ("-inf", "'-inf"),
    ("'=x", "''=x"), ("''", "'''"), ("'abc", "'abc"), ("'", "'"), ("张三", "张三"), ("", ""),
])
def test_guard_cases(stored, cell):
    assert guard(stored) == cell and unguard(cell) == stored


@settings(max_examples=examples(400), suppress_health_check=[HealthCheck.too_slow])
@given(st.text(alphabet=st.sampled_from(sorted(FORMULA_START) + ["'", "0", "1", ".", "e",
                                                                  "a", "张", " "]) | st.characters(),
               max_size=8))
def test_guard_round_trips_and_never_leaves_a_formula(text):
    cell = guard(text)
    assert unguard(cell) == text
    assert not formula_like(cell)


def test_every_csv_and_tsv_cell_is_guarded_log_participants_too(seeded, tmp_path):
    seeded.ok("logs", "add", "--point", "A01", "--on", "2025-03-01", "--kind", "visit",
              "--title", "＝1+1", "--members", "0001")
    raw_sql(seeded,  # a member number stored before codes were checked
            ("UPDATE members SET member_no=? WHERE member_no='0001'", ('=HYPERLINK("x")',)),
            ("UPDATE log_participants SET member_no=? WHERE member_no='0001'",
             ('=HYPERLINK("x")',)))
    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        for args in (("logs", "export", "--format", fmt), ("logs", "list", "--format", fmt),
                     ("logs", "show", "1", "--format", fmt)):
            rows = list(csv.DictReader(io.StringIO(seeded.ok(*args).stdout), delimiter=delimiter))
            assert rows, args
            for row in rows:
                assert not any(formula_like(v) for v in row.values() if v), (args, row)
                assert row["participants"] == "'=HYPERLINK(\"x\")", (args, row)


def test_summary_csv_and_report_csv_are_guarded(seeded, tmp_path):
    seeded.ok("areas", "add", "A03", "＝HYPERLINK(1)")  # full-width, as typed
    seeded.ok("logs", "add", "--point", "A03", "--on", "2025-03-01", "--kind", "visit",
              "--title", "走访")
    out = seeded.ok("summary", "--period", "2025", "--format", "csv").stdout
    assert "A03,'＝HYPERLINK(1)," in out
    seeded.ok("report", "--period", "2025", "--format", "csv", "--out", tmp_path / "r")
    for path in (tmp_path / "r").iterdir():
        for row in csv.reader(io.StringIO(path.read_text("utf-8-sig"))):
            assert not any(formula_like(v) for v in row), (path.name, row)


def _cells(path: Path):
    workbook = openpyxl.load_workbook(path)
    try:
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                yield from row
    finally:
        workbook.close()


def test_the_xlsx_report_writes_strings_never_formulas(seeded, tmp_path):
    seeded.ok("areas", "add", "A03", "=HYPERLINK(\"http://x\",\"点我\")")
    seeded.ok("areas", "add", "A04", "+1+1")
    cfg = write_toml(tmp_path / "cbtool.toml", '[logs.kinds]\ntalk = "=1+2"\n')
    seeded.ok("--config", cfg, "logs", "add", "--point", "A01", "--on", "2025-03-01",
              "--kind", "talk", "--title", "谈心")
    seeded.ok("--config", cfg, "report", "--period", "2025", "--format", "xlsx", "--out",
              tmp_path / "r.xlsx")
    cells = list(_cells(tmp_path / "r.xlsx"))
    assert cells and not [c.coordinate for c in cells if c.data_type == "f"]
    texts = {c.value for c in cells if isinstance(c.value, str)}
    assert {"=HYPERLINK(\"http://x\",\"点我\")", "+1+1", "=1+2"} <= texts
    risky = [c for c in cells if isinstance(c.value, str) and formula_like(c.value)]
    assert risky and all(c.quotePrefix for c in risky)  # Excel keeps them text when edited


def test_member_xlsx_export_is_strings_and_round_trips(seeded, tmp_path):
    texts = {"0001": "=1+1", "0002": "＠公司", "0003": "'=x", "0004": "'也是备注"}
    for no, note in texts.items():
        seeded.ok("members", "edit", no, "--note", note)
    seeded.ok("members", "export", "--out", tmp_path / "m.xlsx")
    cells = list(_cells(tmp_path / "m.xlsx"))
    assert not [c.coordinate for c in cells if c.data_type == "f"]
    assert all(c.quotePrefix for c in cells if isinstance(c.value, str) and formula_like(c.value))
    fresh = type(seeded)(tmp_path / "fresh.db")
    fresh.ok("init")
    fresh.ok("areas", "add", "A01", "石化一村居民区")
    fresh.ok("areas", "add", "A02", "石化二村居民区")
    fresh.ok("members", "import", tmp_path / "m.xlsx")
    assert dict(fresh.rows("SELECT member_no, note FROM members")) == texts


@settings(max_examples=examples(12), deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(notes=st.lists(st.text(alphabet=st.sampled_from(["=", "+", "-", "@", "＝", "＋", "－", "＠",
                                                        "'", "1", ".", "张", "a", "(", " "]),
                              min_size=1, max_size=6).map(str.strip).filter(bool),
                      min_size=4, max_size=4),
       fmt=st.sampled_from(["csv", "tsv"]))
def test_csv_export_then_import_gives_back_the_stored_text(seeded, tmp_path, notes, fmt):
    numbers = ["0001", "0002", "0003", "0004"]
    raw_sql(seeded, *(("UPDATE members SET note=? WHERE member_no=?", (note, no))
                      for no, note in zip(numbers, notes, strict=True)))
    out = tmp_path / f"m.{fmt}"
    seeded.ok("members", "export", "--out", out)
    result = seeded.ok("members", "import", out)
    assert "updated 0, unchanged 4" in result.stderr  # every cell read back as stored
    assert seeded.rows("SELECT note FROM members ORDER BY member_no") == [(n,) for n in notes]


# --- a GBK terminal -------------------------------------------------------------------


def _cbtool() -> list[str]:
    script = Path(sys.executable).with_name("cbtool")
    if script.exists():
        return [str(script)]
    found = shutil.which("cbtool")
    return [found] if found else [sys.executable, "-m", "cbtool"]


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("gbk")
    path = home / "s.db"
    subprocess.run([*_cbtool(), "--db", str(path), "init", "--sample"], check=True,
                   capture_output=True, env=_env(home), cwd=home, timeout=120)
    return path


def _env(home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CBTOOL_")}
    env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
    env.pop("NO_COLOR", None)
    return env


SLOW = pytest.mark.slow  # one subprocess each: the variants run in the slow step


@pytest.mark.parametrize("args", [("checklist", "show"),
                                  pytest.param(("summary",), marks=SLOW),
                                  pytest.param(("members", "list"), marks=SLOW),
                                  pytest.param(("members", "show", "✓不存在"), marks=SLOW)])
def test_a_gbk_terminal_gets_substitutes_not_a_traceback(sample_db, tmp_path, args):
    env = _env(tmp_path) | {"PYTHONIOENCODING": "gbk"}
    result = subprocess.run([*_cbtool(), "--db", str(sample_db), *args], capture_output=True,
                            env=env, cwd=tmp_path, timeout=120)
    stderr = result.stderr.decode("gbk")
    assert "Traceback" not in stderr and "UnicodeEncodeError" not in stderr, stderr
    out = result.stdout.decode("gbk")  # every byte is GBK
    if args[-1] == "✓不存在":
        assert result.returncode == 1 and "√不存在" in stderr
    else:
        assert result.returncode == 0 and out.strip()
    if args == ("checklist", "show"):
        assert "√" in out and "✓" not in out
    if args == ("summary",):
        assert re.search("█+·+", out)  # the compliance bar's empty part: ░ is not in GBK
