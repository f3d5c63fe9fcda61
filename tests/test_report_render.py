"""Rendering the summary document: sections, md, html, the report files, the dashboard."""

from __future__ import annotations

import copy
import csv
import io
import json
import os
import stat
from html.parser import HTMLParser
from pathlib import Path

import pytest

from cbtool.errors import EnvError, InvalidInput
from cbtool.report import (
    Section,
    render_html,
    render_md,
    report_name,
    safe_label,
    sections,
    write_report,
)

ITEMS = ["venue", "rules", "board", "av", "ledger"]

LABELS_ZH = {
    "category": {"retired": "离退休", "laid-off": "下岗", "mobile": "流动", "employed": "在职"},
    "kind": {
        "visit": "走访慰问",
        "aid": "帮困救助",
        "employment": "就业援助",
        "volunteer": "志愿服务",
        "study": "学习教育",
        "meeting": "组织生活",
        "other": "其他",
    },
    "item": {
        "venue": "有党员服务中心(场所)",
        "rules": "有制度",
        "board": "有党建园地",
        "av": "有电教设备",
        "ledger": "有工作台帐",
    },
}


def _items(**state: bool | None) -> dict:
    return {
        k: {"ok": state.get(k, True), "date": None if state.get(k, True) is None else "2026-10-08"}
        for k in ITEMS
    }


def sample_doc() -> dict:
    return {
        "period": {"label": "2026-11", "start": "2026-11-01", "end": "2026-11-30"},
        "as_of": "2026-11-30",
        "generated_at": "2026-12-01T01:30:00+00:00",
        "members": {
            "total": 72,
            "by_category": {"retired": 25, "laid-off": 3, "mobile": 8, "employed": 36},
            "by_area": [
                {
                    "area": "A01",
                    "name": "石化一村居民区",
                    "retired": 12,
                    "laid-off": 1,
                    "mobile": 3,
                    "employed": 20,
                    "total": 36,
                },
                {
                    "area": "A02",
                    "name": "山龙居民区",
                    "retired": 8,
                    "laid-off": 0,
                    "mobile": 5,
                    "employed": 9,
                    "total": 22,
                },
                {
                    "area": "A03",
                    "name": "卫清居民区",
                    "retired": 5,
                    "laid-off": 2,
                    "mobile": 0,
                    "employed": 7,
                    "total": 14,
                },
            ],
            "joined": 2,
            "archived": 1,
            "recategorized": 3,
            "placed": 1,
            "overdue_contact": 4,
        },
        "logs": {
            "total": 15,
            "served": 245,
            "hours": 46.5,
            "by_point": [
                {"point": "A01", "name": "石化一村服务点", "logs": 7, "served": 85, "hours": 12.5},
                {"point": "A02", "name": "山龙服务点", "logs": 3, "served": 20, "hours": 4.0},
                {"point": "A03", "name": "卫清服务点", "logs": 0, "served": 0, "hours": 0.0},
                {
                    "point": "C01",
                    "name": "社区党员服务中心",
                    "logs": 5,
                    "served": 140,
                    "hours": 30.0,
                },
            ],
            "by_kind": {
                "visit": 6,
                "aid": 0,
                "employment": 0,
                "volunteer": 5,
                "study": 4,
                "meeting": 0,
                "other": 0,
            },
            "idle_points": ["A03"],
        },
        "checklist": {
            "points": 4,
            "compliant": 2,
            "rate": 0.5,
            "missing": {"venue": 0, "rules": 1, "board": 1, "av": 2, "ledger": 0},
            "never_checked": 1,
            "stale": 1,
            "by_point": [
                {"point": "A01", "name": "石化一村服务点", "items": _items(), "compliant": True},
                {
                    "point": "A02",
                    "name": "山龙服务点",
                    "items": _items(rules=False, av=False),
                    "compliant": False,
                },
                {
                    "point": "A03",
                    "name": "卫清服务点",
                    "items": _items(board=False, av=False, ledger=None),
                    "compliant": False,
                },
                {"point": "C01", "name": "社区党员服务中心", "items": _items(), "compliant": True},
            ],
        },
        "labels": LABELS_ZH,
    }


def empty_doc() -> dict:
    return {
        "period": {"label": "2026-11", "start": "2026-11-01", "end": "2026-11-30"},
        "members": {
            "total": 0,
            "by_category": {"retired": 0, "laid-off": 0, "mobile": 0, "employed": 0},
            "by_area": [],
            "joined": 0,
            "archived": 0,
            "recategorized": 0,
            "placed": 0,
            "overdue_contact": 0,
        },
        "logs": {"total": 0, "served": 0, "hours": 0.0, "by_point": [], "by_kind": {}},
        "checklist": {
            "points": 0,
            "compliant": 0,
            "rate": 0.0,
            "missing": {k: 0 for k in ITEMS},
            "never_checked": 0,
            "stale": 0,
        },
    }


def big_doc(n: int = 26) -> dict:
    """Many areas and points: the charts and tables must cope."""
    doc = sample_doc()
    doc["members"]["by_area"] = [
        {
            "area": f"A{i:02d}",
            "name": f"第{i}居民区",
            "retired": i,
            "laid-off": 0,
            "mobile": 1,
            "employed": 2,
            "total": i + 3,
        }
        for i in range(1, n + 1)
    ]
    doc["logs"]["by_point"] = [
        {"point": f"A{i:02d}", "name": f"第{i}服务点", "logs": i % 7, "served": i, "hours": 1.5}
        for i in range(1, n + 1)
    ]
    doc["checklist"]["by_point"] = [
        {"point": f"A{i:02d}", "name": f"第{i}服务点", "items": _items(), "compliant": True}
        for i in range(1, n + 1)
    ]
    return doc


# ---------------------------------------------------------------------------
# sections


def test_sections_keys_titles_and_totals():
    secs = sections(sample_doc(), "zh")
    assert [s.key for s in secs] == [
        "overview",
        "members_by_area",
        "logs_by_point",
        "logs_by_kind",
        "idle_points",
        "checklist_missing",
        "checklist_by_point",
    ]
    assert all(isinstance(s, Section) for s in secs)
    by_key = {s.key: s for s in secs}
    members = by_key["members_by_area"]
    assert members.columns == ["代码", "居民区", "离退休", "下岗", "流动", "在职", "合计"]
    assert members.rows[0] == ["A01", "石化一村居民区", 12, 1, 3, 20, 36]
    assert members.rows[-1] == ["", "合计", 25, 3, 8, 36, 72]
    assert members.total_row
    assert by_key["logs_by_point"].rows[-1] == ["", "合计", 15, 245, 46.5]
    assert by_key["idle_points"].rows == [["A03", "卫清服务点"]]
    assert by_key["checklist_missing"].rows == [
        ["有党员服务中心(场所)", 0],
        ["有制度", 1],
        ["有党建园地", 1],
        ["有电教设备", 2],
        ["有工作台帐", 0],
    ]
    matrix = by_key["checklist_by_point"]
    assert matrix.rows[1] == [
        "A02",
        "山龙服务点",
        "✓ 2026-10-08",
        "✗ 2026-10-08",
        "✓ 2026-10-08",
        "✗ 2026-10-08",
        "✓ 2026-10-08",
        "否",
    ]
    assert matrix.rows[2][6] == "·"  # never checked: the one mark (vocab.MARK_NEVER)
    overview = dict((r[0], r[1]) for r in by_key["overview"].rows)
    assert overview["当前在册党员（人）"] == 72
    assert overview["流动党员逾期未联系（人）"] == 4
    assert overview["五有达标率"] == "50.0%"
    assert overview["数据截至"] == "2026-11-30"


def test_sections_english_headings_and_no_matrix_without_by_point():
    doc = sample_doc()
    del doc["checklist"]["by_point"]
    secs = sections(doc, "en")
    assert "checklist_by_point" not in [s.key for s in secs]
    members = secs[1]
    assert members.title == "Members by area and category"
    assert members.columns[:2] == ["Code", "Area"] and members.columns[-1] == "Total"
    assert secs[0].rows[0] == ["Period", "2026-11"]


def test_configured_items_follow_the_document():
    doc = sample_doc()
    doc["checklist"]["missing"] = {
        "venue": 1,
        "rules": 0,
        "board": 0,
        "av": 0,
        "ledger": 0,
        "fw": 3,
    }
    doc["labels"]["item"]["fw"] = "有服务队伍"
    for row in doc["checklist"]["by_point"]:
        row["items"]["fw"] = {"ok": False, "date": "2026-11-02"}
    by_key = {s.key: s for s in sections(doc, "zh")}
    assert by_key["checklist_missing"].title == "六有缺项"
    assert by_key["checklist_missing"].rows[-1] == ["有服务队伍", 3]
    assert by_key["checklist_by_point"].columns[-2] == "有服务队伍"
    assert "六有" in render_html(doc, "zh")


# ---------------------------------------------------------------------------
# md


def test_markdown_tables_and_figures():
    md = render_md(sample_doc(), "zh")
    assert md.startswith("# 党建工作月报 2026-11\n")
    assert "## 党员分布（居民区 × 类别）" in md
    assert "| 代码 | 居民区 | 离退休 | 下岗 | 流动 | 在职 | 合计 |" in md
    assert "|---|---|---:|---:|---:|---:|---:|" in md
    assert "| A01 | 石化一村居民区 | 12 | 1 | 3 | 20 | 36 |" in md
    assert "|  | **合计** | **25** | **3** | **8** | **36** | **72** |" in md
    assert "| C01 | 社区党员服务中心 | 5 | 140 | 30 |" in md
    assert "|  | **合计** | **15** | **245** | **46.5** |" in md
    assert "| 走访慰问 | 6 | 40.0% |" in md
    assert "| 有电教设备 | 2 |" in md
    assert "| A02 | 山龙服务点 | ✓ 2026-10-08 | ✗ 2026-10-08 |" in md
    assert "| 五有达标率 | 50.0% |" in md


def test_markdown_escapes_pipes_and_says_none():
    doc = sample_doc()
    doc["members"]["by_area"][0]["name"] = "东|西\n村"
    doc["logs"]["idle_points"] = []
    md = render_md(doc, "en")
    assert "| A01 | 东\\|西 村 |" in md
    assert "## Points with no activity\n\n(none)\n" in md
    assert md.startswith("# Party-building monthly report 2026-11\n")


# ---------------------------------------------------------------------------
# html


VOID = {"meta", "br", "hr", "img", "input", "link", "col", "area", "base", "wbr", "source"}


class StrictParser(HTMLParser):
    """Checks that every element is closed in order (html.parser itself is lenient)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[str] = []
        self.errors: list[str] = []
        self.tags: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        if tag not in VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag, attrs):
        self.tags.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append(f"unexpected </{tag}>, open: {self.stack[-3:]}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> StrictParser:
    parser = StrictParser()
    parser.feed(html)
    parser.close()
    assert parser.errors == []
    assert parser.stack == []
    return parser


def test_html_is_self_contained_and_carries_the_figures():
    html = render_html(sample_doc(), "zh")
    for banned in ("http://", "https://", "<script", "src=", "@import", "url(", "<link"):
        assert banned not in html
    assert html.startswith("<!DOCTYPE html>")
    assert '<meta charset="utf-8">' in html
    assert '<html lang="zh-CN">' in html
    assert "<title>党建工作月报 2026-11</title>" in html
    assert html.count("<svg") >= 4  # categories, points, kinds, compliance, items
    assert "@page { size: A4; margin: 15mm; }" in html
    assert "@media print" in html
    assert '"Noto Sans CJK SC"' in html
    parser = parse(html)
    text = "".join(parser.text)
    for name in ("石化一村居民区", "山龙居民区", "卫清居民区", "社区党员服务中心"):
        assert name in text
    for figure in ("72", "245", "46.5", "50.0%", "2/4 个服务点"):
        assert figure in text
    assert parser.tags.count("table") == 4  # areas, kinds, points, the matrix
    assert "tfoot" in parser.tags


def test_html_english_and_escaping():
    doc = sample_doc()
    doc["members"]["by_area"][0]["name"] = '<b>"东"&西</b>'
    html = render_html(doc, "en")
    assert '<html lang="en">' in html
    assert "<title>Party-building monthly report 2026-11</title>" in html
    assert "&lt;b&gt;&quot;东&quot;&amp;西&lt;/b&gt;" in html
    assert "<b>" not in html
    parse(html)


def test_html_many_points_and_empty_document():
    html = render_html(big_doc(40), "zh")
    parse(html)
    assert "仅列出台账最多的 30 个服务点，其余 10 个见下表。" in html
    assert "第40服务点" in html  # still in the table
    empty = render_html(empty_doc(), "zh")
    parse(empty)
    assert "—" in empty


# ---------------------------------------------------------------------------
# files


def _mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_write_report_every_format_into_a_directory(tmp_path):
    doc = sample_doc()
    written = {fmt: write_report(doc, fmt, tmp_path, "zh") for fmt in ("md", "html", "json")}
    written["xlsx"] = write_report(doc, "xlsx", str(tmp_path) + "/", "zh")
    written["csv"] = write_report(doc, "csv", tmp_path, "zh")
    assert {k: p.name for k, p in written.items()} == {
        "md": "cbtool-report-2026-11.md",
        "html": "cbtool-report-2026-11.html",
        "json": "cbtool-report-2026-11.json",
        "xlsx": "cbtool-report-2026-11.xlsx",
        "csv": "cbtool-report-2026-11",
    }
    assert sorted(set(os.listdir(tmp_path)) - {"home"}) == sorted(  # home: conftest's HOME
        p.name for p in written.values()
    )
    for fmt in ("md", "html", "json", "xlsx"):
        assert written[fmt].parent == tmp_path
        assert _mode(written[fmt]) == 0o600

    assert json.loads(written["json"].read_text(encoding="utf-8")) == doc
    assert written["json"].read_text(encoding="utf-8").endswith("}\n")
    assert "石化一村居民区" in written["json"].read_text(encoding="utf-8")  # not \\u escaped
    assert written["html"].read_text(encoding="utf-8") == render_html(doc, "zh")
    assert written["md"].read_text(encoding="utf-8") == render_md(doc, "zh")

    csv_dir = written["csv"]
    keys = [s.key for s in sections(doc, "zh")]
    assert sorted(os.listdir(csv_dir)) == sorted(f"{k}.csv" for k in keys)
    raw = (csv_dir / "members_by_area.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert rows[0] == ["代码", "居民区", "离退休", "下岗", "流动", "在职", "合计"]
    assert rows[1] == ["A01", "石化一村居民区", "12", "1", "3", "20", "36"]
    assert rows[-1] == ["", "合计", "25", "3", "8", "36", "72"]
    for name in os.listdir(csv_dir):
        assert _mode(csv_dir / name) == 0o600

    from openpyxl import load_workbook

    workbook = load_workbook(written["xlsx"], read_only=True)
    assert len(workbook.sheetnames) == len(keys)
    assert all(len(n) <= 31 and not set(n) & set("[]:*?/\\") for n in workbook.sheetnames)
    sheet = workbook[workbook.sheetnames[1]]
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0] == ["代码", "居民区", "离退休", "下岗", "流动", "在职", "合计"]
    assert values[1] == ["A01", "石化一村居民区", 12, 1, 3, 20, 36]
    assert values[-1][1:] == ["合计", 25, 3, 8, 36, 72]
    workbook.close()


def test_csv_neutralises_formulas(tmp_path):
    doc = sample_doc()
    doc["members"]["by_area"][0]["name"] = "=HYPERLINK(1)"
    path = write_report(doc, "csv", tmp_path, "zh")
    text = (path / "members_by_area.csv").read_text("utf-8-sig")
    assert "A01,'=HYPERLINK(1),12,1,3,20,36" in text


def test_rerun_overwrites_and_leaves_nothing_behind(tmp_path):
    doc = sample_doc()
    for fmt in ("html", "json", "csv", "xlsx", "md"):
        write_report(doc, fmt, tmp_path, "zh")
    before = sorted(os.listdir(tmp_path))
    changed = copy.deepcopy(doc)
    changed["members"]["total"] = 99
    for fmt in ("html", "json", "csv", "xlsx", "md"):
        write_report(changed, fmt, tmp_path, "zh")
    assert sorted(os.listdir(tmp_path)) == before
    assert (
        json.loads((tmp_path / "cbtool-report-2026-11.json").read_text())["members"]["total"] == 99
    )
    overview = (tmp_path / "cbtool-report-2026-11" / "overview.csv").read_text("utf-8-sig")
    assert "当前在册党员（人）,99" in overview
    assert len(os.listdir(tmp_path / "cbtool-report-2026-11")) == len(sections(doc, "zh"))


def test_explicit_paths_and_period_labels(tmp_path):
    doc = sample_doc()
    doc["period"]["label"] = "2026-11-01..2026-11-30"
    assert safe_label("2026-11-01..2026-11-30") == "2026-11-01_2026-11-30"
    assert safe_label("../../etc") == "etc"
    assert safe_label("") == "report"
    assert report_name(doc, "html") == "cbtool-report-2026-11-01_2026-11-30.html"
    path = write_report(doc, "html", tmp_path, "en")
    assert path.name == "cbtool-report-2026-11-01_2026-11-30.html"

    explicit = write_report(doc, "md", tmp_path / "monthly.md", "zh")
    assert explicit == tmp_path / "monthly.md" and _mode(explicit) == 0o600

    # a csv report given an explicit directory name is replaced on rerun, not nested
    target = tmp_path / "latest-csv"
    assert write_report(doc, "csv", target, "zh") == target
    assert write_report(doc, "csv", target, "zh") == target
    assert "overview.csv" in os.listdir(target)
    assert not any(n.startswith(".") for n in os.listdir(tmp_path))  # no temp dirs left

    nested = write_report(doc, "json", f"{tmp_path}/new/dir/", "zh")  # created
    assert nested == tmp_path / "new" / "dir" / "cbtool-report-2026-11-01_2026-11-30.json"

    with pytest.raises(InvalidInput):
        write_report(doc, "pdf", tmp_path, "zh")
    with pytest.raises(EnvError):
        write_report(doc, "md", tmp_path / "missing" / "r.md", "zh")


def test_empty_document_writes_every_format(tmp_path):
    doc = empty_doc()
    for fmt in ("md", "html", "csv", "json", "xlsx"):
        write_report(doc, fmt, tmp_path, "zh")
    assert "| **合计** | **0** |" in render_md(doc, "zh").replace("|  | **合计**", "| **合计**")


# ---------------------------------------------------------------------------
# dashboard


def _dashboard(doc: dict, lang: str, **console_args) -> str:
    from rich.console import Console

    from cbtool.cli.dashboard import render_dashboard

    buffer = io.StringIO()
    render_dashboard(doc, lang, Console(file=buffer, width=100, **console_args))
    return buffer.getvalue()


def _check_width(out: str) -> None:
    from rich.cells import cell_len

    for line in out.splitlines():
        assert cell_len(line) <= 100, line


def test_dashboard_zh():
    out = _dashboard(sample_doc(), "zh")
    _check_width(out)
    assert "\x1b[" not in out  # not a terminal: no colour
    assert "╭" not in out and "│" not in out  # and no box drawing
    assert "党建工作概况 2026-11" in out
    assert "数据截至 2026-11-30" in out
    lines = out.splitlines()
    assert any(
        line.split()[:7] == ["A01", "石化一村", "12", "1", "3", "20", "36"] for line in lines
    )
    assert any(line.split()[:6] == ["合计", "25", "3", "8", "36", "72"] for line in lines)
    assert "入党 2 · 减少 1 · 类别调整 3 · 下岗再就业 1 · 流动党员逾期未联系 4" in out
    assert "台账 15 条 · 服务群众 245 人次 · 志愿时长 46.5 小时" in out
    assert "无活动服务点（1）：A03 卫清服务点" in out
    assert "五有全部具备：2/4 个服务点  50.0%" in out
    assert "有项目从未检查 1 个" in out and "检查过期 1 个" in out
    kind_line = next(line for line in lines if line.startswith("走访慰问"))
    assert "████████████████ 6 40.0%" in kind_line  # the largest kind: the full bar


def test_dashboard_en_on_a_colour_terminal_many_areas():
    doc = big_doc(25)
    out = _dashboard(doc, "en", force_terminal=True, color_system="truecolor")
    from rich.text import Text

    plain = "\n".join(Text.from_ansi(line).plain for line in out.splitlines())
    _check_width(plain)
    assert "\x1b[" in out
    assert "Party-building summary 2026-11" in plain
    assert "Total" in plain and "第25" in plain  # the column is headed Area: no 居民区 suffix
    assert "By point (top 10)" in plain
    assert "15 more points, " in plain  # 25 points, the top 10 drawn


def test_dashboard_empty_document():
    out = _dashboard(empty_doc(), "zh")
    _check_width(out)
    assert "合计" in out and "0/0 个服务点" in out
    out = _dashboard({}, "en")
    assert "Total" in out
