"""Papers for people: the office in titles, the 花名册 (roster) and the 服务点工作台账
(ledger), each opened as written (openpyxl for xlsx, html.parser for html)."""

from __future__ import annotations

import csv
import io
import json
import re
import shlex
import stat
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from conftest import ID_ZHANG
from openpyxl import load_workbook

from cbtool.config import parse_config
from cbtool.errors import EnvError, InvalidInput

OFFICE = '[office]\nname = "石化街道党工委"\ncode = "SH01"\nparent = "金山区委"\n'


def with_office(tmp_path, monkeypatch) -> None:
    path = tmp_path / "cbtool.toml"
    path.write_text(OFFICE, encoding="utf-8")
    monkeypatch.setenv("CBTOOL_CONFIG", str(path))


def test_office_keys_are_read_and_a_wrong_type_is_named(tmp_path):
    cfg = parse_config({"office": {"name": " 石化街道党工委 ", "code": "SH01", "parent": "金山"}},
                       tmp_path / "c.toml")
    assert (cfg.office_name, cfg.office_code, cfg.office_parent) == ("石化街道党工委", "SH01", "金山")
    assert cfg.warnings == []
    with pytest.raises(EnvError) as err:
        parse_config({"office": {"name": 3}}, tmp_path / "c.toml")
    assert "office.name" in err.value.message("en")


def test_the_report_title_carries_the_office(seeded, tmp_path, monkeypatch):
    with_office(tmp_path, monkeypatch)
    doc = json.loads(seeded.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    assert doc["office"] == {"code": "SH01", "name": "石化街道党工委", "parent": "金山区委"}
    md = seeded.ok("report", "--period", "2026-11", "--format", "md", "--out", "-").stdout
    assert md.splitlines()[0].startswith("# 石化街道党工委 ")


# --- helpers: open what was written -------------------------------------------------------


class Html(HTMLParser):
    """The parts of a paper page the tests look at: title, heads, rows, style, text."""

    def __init__(self, text: str):
        super().__init__()
        self.title = ""
        self.style = ""
        self.heads: list[list[str]] = []  # one list of th texts per thead
        self.rows: list[list[str]] = []  # td texts of each body row
        self.groups: list[str] = []
        self.h1: list[str] = []
        self.text: list[str] = []
        self._where: list[str] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._row_class = ""
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        self._where.append(tag)
        if tag == "thead":
            self.heads.append([])
        elif tag == "tr":
            self._row, self._row_class = [], dict(attrs).get("class", "")
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            text = "".join(self._cell)
            if "thead" in self._where:
                self.heads[-1].append(text)
            elif self._row_class == "group":
                self.groups.append(text)
            else:
                assert self._row is not None
                self._row.append(text)
            self._cell = None
        elif tag == "tr" and self._row:
            self.rows.append(self._row)
        while self._where and self._where.pop() != tag:
            pass

    def handle_data(self, data):
        where = self._where[-1] if self._where else ""
        if where == "title":
            self.title += data
        elif where == "style":
            self.style += data
        elif where == "h1":
            self.h1.append(data)
        if self._cell is not None:
            self._cell.append(data)
        self.text.append(data)


def sheet_rows(ws) -> list[tuple]:
    return list(ws.iter_rows(values_only=True))


DAY_IN_TITLE = re.compile(r"制表日期：\d{4}年\d{1,2}月\d{1,2}日")


# --- roster ---------------------------------------------------------------------------------


def test_roster_xlsx_is_a_printable_text_workbook(seeded, tmp_path, monkeypatch):
    with_office(tmp_path, monkeypatch)
    out = tmp_path / "花名册.xlsx"
    assert seeded.ok("roster", "--format", "xlsx", "--out", out).stdout.strip() == str(out)
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    ws = load_workbook(out).active
    rows = sheet_rows(ws)
    assert rows[0][0] == "石化街道党工委党员花名册"
    assert DAY_IN_TITLE.search(rows[1][0]) and "共 4 人" in rows[1][0]
    assert list(rows[2][:4]) == ["序号", "党员编号", "姓名", "性别"]
    assert "状态" not in rows[2]  # active members only: no status column
    assert rows[3][0] == "A01 石化一村居民区（2 人）"
    assert rows[4][:3] == ("1", "0001", "张伟")
    assert rows[6][0] == "A02 石化二村居民区（2 人）"
    assert [r[0] for r in rows[7:9]] == ["3", "4"]  # 序号 runs on through the groups
    heads = list(rows[2])
    zhang = rows[4]
    assert zhang[heads.index("联系电话")] == "138****5678"
    assert zhang[heads.index("身份证号")] == "310***********1230"
    assert zhang[heads.index("入党时间")] == "1975-07"
    number = ws.cell(row=5, column=2)
    assert (number.data_type, number.number_format) == ("s", "@")
    assert ws.freeze_panes == "A4"
    assert ws.print_title_rows == "$3:$3"
    assert ws.page_setup.paperSize in ("9", 9) and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert "&P" in ws.oddFooter.center.text
    assert "A4:M4" in {str(r) for r in ws.merged_cells.ranges}  # the group row spans the table
    assert ws.column_dimensions["L"].width > ws.column_dimensions["D"].width  # fitted
    assert any("合计 4 人" in (r[0] or "") for r in rows[9:])
    assert any("离退休 1 人" in (r[0] or "") for r in rows[9:])


def test_roster_reveal_shows_phones_and_id_numbers_in_full(seeded, tmp_path):
    out = tmp_path / "r.xlsx"
    seeded.ok("roster", "--format", "xlsx", "--out", out, "--reveal")
    rows = sheet_rows(load_workbook(out).active)
    assert rows[0][0] == "党员花名册"  # no office configured: no name to put first
    flat = [v for r in rows for v in r]
    assert "13812345678" in flat and ID_ZHANG in flat
    assert not any("已部分隐去" in (v or "") for v in flat)


def test_roster_html_prints_on_a4_with_the_header_repeated(seeded, tmp_path, monkeypatch):
    with_office(tmp_path, monkeypatch)
    out = tmp_path / "roster.html"
    seeded.ok("roster", "--format", "html", "--out", out)
    page = Html(out.read_text(encoding="utf-8"))
    assert "石化街道党工委" in page.title
    assert DAY_IN_TITLE.search("".join(page.text))
    assert len(page.heads) == 1 and page.heads[0][:3] == ["序号", "党员编号", "姓名"]
    assert "size: A4 landscape" in page.style
    assert "display: table-header-group" in page.style and "counter(page)" in page.style
    assert page.groups == ["A01 石化一村居民区（2 人）", "A02 石化二村居民区（2 人）"]
    assert [r[0] for r in page.rows] == ["1", "2", "3", "4"]
    phones = [r[page.heads[0].index("联系电话")] for r in page.rows]
    assert phones[:2] == ["138****5678", ""] and "139****4321" in phones
    assert "13812345678" not in out.read_text(encoding="utf-8")
    assert "制表单位：石化街道党工委" in "".join(page.text)  # the printed footer


def test_roster_filters_and_the_status_column(seeded, tmp_path):
    seeded.ok("members", "archive", "0003", "--reason", "转出", "--on", "2026-01-05")
    out = tmp_path / "r.html"
    seeded.ok("roster", "--format", "html", "--out", out, "--area", "A01", "--status", "all")
    page = Html(out.read_text(encoding="utf-8"))
    assert page.heads[0][-1] == "状态"
    assert [(r[2], r[-1]) for r in page.rows] == [("张伟", "在册"), ("王强", "已归档")]
    assert "范围：居民区 A01 石化一村居民区；含已归档" in "".join(page.text)
    seeded.ok("roster", "--format", "html", "--out", out, "--category", "流动")
    assert [r[2] for r in Html(out.read_text(encoding="utf-8")).rows] == ["李娜"]


def test_roster_md_and_csv(seeded, tmp_path):
    md = seeded.ok("roster", "--format", "md", "--out", "-").stdout
    assert md.startswith("# 党员花名册\n")
    assert "| **A01 石化一村居民区（2 人）** |" in md and "138****5678" in md
    out = tmp_path / "r.csv"
    seeded.ok("roster", "--format", "csv", "--out", out)
    raw = out.read_bytes()
    assert raw.startswith("\ufeff".encode())  # Excel/WPS read it as Chinese
    records = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert [(r["居民区"], r["序号"], r["姓名"]) for r in records] == [
        ("A01 石化一村居民区", "1", "张伟"), ("A01 石化一村居民区", "2", "王强"),
        ("A02 石化二村居民区", "3", "李娜"), ("A02 石化二村居民区", "4", "陈静")]


def test_roster_to_a_directory_gets_a_dated_name(seeded, tmp_path):
    folder = tmp_path / "papers"
    written = Path(seeded.ok("roster", "--format", "md", "--out", f"{folder}/").stdout.strip())
    assert written.parent == folder and re.fullmatch(r"cbtool-roster-\d{4}-\d{2}-\d{2}\.md",
                                                     written.name)
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


def test_roster_refusals_write_nothing(seeded, tmp_path):
    out = tmp_path / "r.xlsx"
    bad = seeded("roster", "--format", "xlsx", "--out", out, "--area", "Z99")
    assert bad.exit_code == 1 and not out.exists()
    assert bad.stderr.count("\n") == 1 and "Traceback" not in bad.stderr
    usage = seeded("roster", "--format", "xlsx", "--out", "-")
    assert usage.exit_code == 2
    missing = seeded("roster", "--format", "md", "--out", tmp_path / "no" / "r.md")
    assert missing.exit_code == 3


# --- ledger ---------------------------------------------------------------------------------


@pytest.fixture
def logged(seeded):
    """Logs of A01 in November 2025 (one voided, one in October) and two checks of A01."""
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "环境整治",
              "--on", "2025-11-20", "--members", "0003", "--served", "30", "--hours", "6")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "走访", "--title", "看望老党员",
              "--on", "2025-11-03", "--members", "0001,0003", "--served", "5", "--hours", "2.5",
              "--note", "带慰问品")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "十月学习",
              "--on", "2025-10-31")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "录错了",
              "--on", "2025-11-05")
    seeded.ok("logs", "void", "4", "--reason", "重复")
    seeded.ok("checklist", "record", "A01", "--ok", "venue,rules,ledger", "--missing", "av",
              "--on", "2025-10-01")
    seeded.ok("checklist", "record", "A01", "--ok", "av", "--on", "2025-12-15")  # after
    return seeded


def test_ledger_xlsx_lists_the_period_with_names_totals_and_the_five_haves(
        logged, tmp_path, monkeypatch):
    with_office(tmp_path, monkeypatch)
    out = tmp_path / "台账.xlsx"
    logged.ok("ledger", "--point", "A01", "--period", "2025-11", "--format", "xlsx", "--out", out)
    wb = load_workbook(out)
    assert len(wb.worksheets) == 1
    ws = wb.active
    rows = sheet_rows(ws)
    assert rows[0][0] == "石化街道党工委 石化一村居民区党员服务点工作台账"
    assert "期间：2025年11月（2025-11-01 至 2025-11-30）" in rows[2][0]
    assert list(rows[3]) == ["序号", "日期", "类型", "活动内容", "参加党员", "服务人数",
                             "志愿时长（小时）", "备注"]
    assert rows[4] == (1, "2025-11-03", "走访慰问", "看望老党员", "张伟、王强", 5, 2.5, "带慰问品")
    assert rows[5][:6] == (2, "2025-11-20", "志愿服务", "环境整治", "王强", 30)
    assert rows[6][:7] == ("合计", None, None, "2 条", "3 人次", 35, 8.5)
    tail = [r[0] for r in rows[7:]]
    assert "五有情况（截至 2025年11月30日 的最近一次检查）：" in tail
    assert "有电教设备：✗ 不具备（2025-10-01 检查）" in tail  # the December check is later
    assert "有党建园地：· 未检查" in tail  # the one never-checked mark
    assert "未具备或未检查：有党建园地、有电教设备。" in tail
    assert ws.print_title_rows == "$4:$4" and ws.freeze_panes == "A5"
    assert ws.page_setup.orientation == "portrait"
    day = ws.cell(row=5, column=2)
    assert (day.data_type, day.number_format) == ("s", "@")


def test_ledger_for_all_points_has_a_section_each(logged, tmp_path):
    out = tmp_path / "all.html"
    logged.ok("ledger", "--point", "all", "--period", "2025-11", "--format", "html", "--out", out)
    text = out.read_text(encoding="utf-8")
    page = Html(text)
    assert page.h1 == ["社区党员服务中心工作台账", "石化一村居民区党员服务点工作台账",
                       "石化二村居民区党员服务点工作台账"]
    assert len(page.heads) == 3 and "size: A4 portrait" in page.style
    assert "break-before: page" in page.style
    assert text.count("本期无台账记录") == 2
    assert ["1", "2025-11-03", "走访慰问", "看望老党员", "张伟、王强", "5", "2.5", "带慰问品"] \
        in page.rows
    xlsx = tmp_path / "all.xlsx"
    logged.ok("ledger", "--point", "all", "--period", "2025-11", "--format", "xlsx", "--out", xlsx)
    assert [ws.title for ws in load_workbook(xlsx).worksheets] == [
        "C00 社区党员服务中心", "A01 石化一村居民区党员服务点", "A02 石化二村居民区党员服务点"]


def test_ledger_md_and_refusals(logged, tmp_path):
    md = logged.ok("ledger", "--point", "石化一村居民区", "--period", "2025-11", "--format", "md",
                   "--out", "-").stdout
    assert md.startswith("# 石化一村居民区党员服务点工作台账\n")
    assert "| **合计** |  |  | **2 条** | **3 人次** | **35** | **8.5** |  |" in md
    out = tmp_path / "l.md"
    bad = logged("ledger", "--point", "Z9", "--period", "2025-11", "--format", "md", "--out", out)
    assert bad.exit_code == 1 and not out.exists()
    bad = logged("ledger", "--point", "A01", "--period", "11月", "--format", "md", "--out", out)
    assert bad.exit_code == 1 and not out.exists()


# --- periods as staff type them ------------------------------------------------------------


@pytest.mark.parametrize(("text", "label"), [
    ("2026年11月", "2026-11"), ("2026年11月份", "2026-11"), ("2026/11", "2026-11"),
    ("2026.1", "2026-01"), ("2026Q4", "2026-Q4"), ("2026 q1", "2026-Q1"), ("2026年Q2", "2026-Q2"),
    ("2026年第四季度", "2026-Q4"), ("2026年三季度", "2026-Q3"), ("2026年第2季度", "2026-Q2"),
    ("2026年", "2026"), ("2026年度", "2026"), ("２０２６年１１月", "2026-11"),
    ("2026年11月1日至2026年11月15日", "2026-11-01..2026-11-15"),
    ("2026-11-01~2026-11-30", "2026-11-01..2026-11-30"),
])
def test_periods_as_staff_type_them(text, label):
    from cbtool.fields import parse_period

    assert parse_period(text, today=date(2026, 12, 2)).label == label


@pytest.mark.parametrize("text", ["2026年13月", "2026/11/24", "2026年第五季度", "2026Q5", "1899年",
                                  "2026年11月30日至2026年11月1日", "十一月"])
def test_periods_that_are_not_are_refused_as_typed(text):
    from cbtool.fields import parse_period

    with pytest.raises(InvalidInput) as err:
        parse_period(text, today=date(2026, 12, 2))
    assert f"“{text}”" in err.value.message("zh")


def test_the_ledger_takes_a_chinese_quarter(logged):
    md = logged.ok("ledger", "--point", "A01", "--period", "2025年第四季度", "--format", "md",
                   "--out", "-").stdout
    assert "期间：2025年第四季度（2025-10-01 至 2025-12-31）" in md
    assert "十月学习" in md and "| **3 条** |" in md.replace("**合计** |  |  | ", "")


# --- a member's whole story -------------------------------------------------------------------


def test_members_show_history_tells_the_whole_story_in_order(seeded):
    seeded.ok("--operator", "王芳", "members", "edit", "0003", "--phone", "13987654321",
              "--employer", "金山某厂")
    seeded.ok("--operator", "李明", "members", "recategorize", "0003", "--to", "在职",
              "--on", "2025-03-01", "--reason", "已就业")
    seeded.ok("members", "contact", "0003", "--on", "2025-04-01", "--channel", "微信",
              "--note", "近况良好")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "环境整治",
              "--on", "2025-05-01", "--members", "0003")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "录错了",
              "--on", "2025-05-02", "--members", "0003")
    seeded.ok("logs", "void", "2", "--reason", "重复")
    seeded.ok("members", "archive", "0003", "--reason", "转出", "--on", "2025-06-01")
    seeded.ok("members", "restore", "0003")
    doc = json.loads(seeded.ok("members", "show", "0003", "--history", "-f", "json").stdout)
    events = [(e["what"], e["detail"]) for e in doc["history"]]
    assert events[:4] == [("类别变更", "下岗 → 在职（已就业）"), ("联系", "微信；近况良好"),
                          ("参加活动", "石化一村居民区党员服务点 · 志愿服务 · 环境整治（台账 #1）"),
                          ("归档", "转出")]
    assert doc["history"][0]["operator"] == "李明" and doc["history"][0]["date"] == "2025-03-01"
    assert [w for w, _ in events[4:]] == ["录入", "修改", "恢复"]  # recorded today, local time
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}", doc["history"][4]["date"])
    assert events[5][1] == "联系电话 （空） → 13987654321；工作单位 （空） → 金山某厂（members edit）"
    assert "录错了" not in json.dumps(doc, ensure_ascii=False)  # a voided log is no part of it
    table = seeded.ok("members", "show", "0003", "--history").stdout
    assert "党员经历" in table and "联系电话 （空） → 139****4321" in table
    assert "13987654321" not in table
    assert "类别变更" in table and "恢复为在册党员" in table


# --- the README shows each paper with the command that makes it -----------------------------


def readme_paper_commands() -> list[list[str]]:
    text = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    section = text.split("## Papers", 1)[1].split("\n## ", 1)[0]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return [shlex.split(line, comments=True)[1:] for line in block.splitlines()
            if line.startswith("cbtool ")]


def test_every_command_of_the_readme_papers_section_runs(seeded, tmp_path):
    commands = readme_paper_commands()
    assert {c[0] for c in commands} >= {"roster", "ledger", "members"}
    for args in commands:
        seeded.ok(*args)
    assert load_workbook(tmp_path / "花名册.xlsx").active["A1"].value == "党员花名册"
    assert [p.name for p in (tmp_path / "ledgers").iterdir()] == [
        "cbtool-ledger-all-2026-Q4.html"]


def test_an_office_name_cannot_break_out_of_the_page_style(seeded, tmp_path, monkeypatch):
    config = tmp_path / "odd.toml"
    config.write_text('[office]\nname = "党委\\"}</style><script>x()</script>"\n', encoding="utf-8")
    monkeypatch.setenv("CBTOOL_CONFIG", str(config))
    out = tmp_path / "r.html"
    seeded.ok("roster", "--format", "html", "--out", out)
    text = out.read_text(encoding="utf-8")
    assert "<script>" not in text and text.count("</style>") == 1
    assert Html(text).title.startswith('党委"}</style><script>x()</script>')  # as text, escaped
