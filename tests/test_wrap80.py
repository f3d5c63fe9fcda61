"""Human output at an 80-column terminal: the dashboard's lists keep each item with its
figure and never open a line with 、; a narrowed table says which columns it left out."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.cells import cell_len
from rich.console import Console
from typer.testing import CliRunner

from cbtool.cli import app
from cbtool.cli.dashboard import render_dashboard
from cbtool.cli.flow import NO_LINE_START, flow

TODAY = "2026-11-30"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


@pytest.fixture(scope="module")
def sample(tmp_path_factory):
    base = tmp_path_factory.mktemp("wrap80")
    env = {"HOME": str(base), "XDG_CONFIG_HOME": str(base / ".config"),
           "CBTOOL_TODAY": TODAY, "COLUMNS": "80"}
    db = base / "sample.db"
    runner = CliRunner()

    def run(*args: str, columns: int = 80):
        result = runner.invoke(app, ["--db", str(db), *args],
                               env={**env, "COLUMNS": str(columns)}, catch_exceptions=False)
        assert result.exit_code == 0, result.stderr
        return result

    run("init", "--sample")
    return run


def _items(doc: dict, lang: str) -> list[str]:
    """What the dashboard names with a figure or a name beside it: each must stay whole."""
    names = {p["point"]: p["name"] for p in doc["logs"]["by_point"]}
    items = [f"{c} {names[c]}" for c in doc["logs"]["idle_points"]]
    items += [f"{e['point']} {e['unit']} {e['logs']}" for e in doc["pairings"]["by_pairing"]]
    items += [f"{e['area']} {e['brand']} {e['logs']}" for e in doc["brands"]["by_area"]
              if e.get("brand")]
    assert len(items) > 10
    return items


def _check(out: str, items: list[str], width: int = 80) -> None:
    lines = [ANSI.sub("", line).rstrip() for line in out.splitlines()]
    for line in lines:
        assert cell_len(line) <= width, line
        assert not line.lstrip()[:1] or line.lstrip()[0] not in NO_LINE_START, line
    for item in items:  # each whole on one line: never its figure (or name) on the next
        assert any(item in line for line in lines), item


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_lists_keep_items_whole_at_80_columns(sample, lang):
    doc = json.loads(sample("--lang", lang, "summary", "--period", "2026-11",
                            "--format", "json").stdout)
    items = _items(doc, lang)
    _check(sample("--lang", lang, "summary", "--period", "2026-11").stdout, items)
    for terminal in (False, True):  # rich's drawer too: plain, and on a colour terminal
        buffer = io.StringIO()
        render_dashboard(doc, lang, Console(file=buffer, width=80, force_terminal=terminal,
                                            color_system="standard" if terminal else None))
        _check(buffer.getvalue(), items)


@pytest.mark.parametrize("width", [40, 60, 100])
def test_summary_lists_at_other_widths(sample, width):
    doc = json.loads(sample("summary", "--period", "2026-11", "--format", "json").stdout)
    out = sample("summary", "--period", "2026-11", columns=width).stdout
    tail = out[out.index("无活动服务点"):]
    # narrower than an item the item folds, but no line still opens with 、
    _check(tail, _items(doc, "zh") if width >= 60 else [], width)


def test_flow_breaks_between_items_and_folds_only_what_cannot_fit():
    lines = flow("按结对：", ["A02 上海石化公安处 2", "A03 金山区卫生健康委员会 1"], "、", 36)
    assert lines == ["按结对：A02 上海石化公安处 2、", "  A03 金山区卫生健康委员会 1"]
    # a part opening with ；goes up to the line before: the line ends with it
    assert flow("一居一品：", ["A01 石化红管家 1、", "A06 楼组议事厅 0", "；无品牌的居民区 21 个"],
                "", 46) == ["一居一品：A01 石化红管家 1、A06 楼组议事厅 0；",
                            "  无品牌的居民区 21 个"]
    folded = flow("X：", ["一二三四五六七八、九十一二三四五六七八九十"], "、", 20)
    assert all(cell_len(line) <= 20 for line in folded)
    assert [line.lstrip()[0] for line in folded[1:]] == ["八", "六"]  # 、 kept off the front
    assert "".join(line.lstrip() for line in folded) == "X：一二三四五六七八、九十一二三四五六七八九十"


NARROWED = [  # (a width at which the whole table does not fit, what goes)
    (("audit", "--limit", "3"), 80, "操作人、命令、表、批次"),
    (("aid", "list"), 56, "联系电话"),
    (("aid", "given"), 50, "资金"),
    (("pairings", "list"), 80, "联系人、联系电话"),
]


@pytest.mark.parametrize(("args", "columns", "left_out"), NARROWED)
def test_a_narrowed_table_says_what_it_left_out(sample, args, columns, left_out):
    note = f"（终端较窄，已略去：{left_out}；加宽终端可见全部列）"
    narrow = sample(*args, columns=columns)
    assert note in narrow.stderr.splitlines()
    assert "终端较窄" not in narrow.stdout  # stdout is the table alone
    wide = sample(*args, columns=140)
    assert "终端较窄" not in wide.stderr
    for fmt in ("csv", "json"):  # machine formats: every column, and no note
        machine = sample(*args, "--format", fmt, columns=columns)
        assert "终端较窄" not in machine.stderr
        assert machine.stdout == sample(*args, "--format", fmt, columns=140).stdout


@pytest.mark.parametrize("args", [("aid", "list"), ("aid", "given")])
def test_a_table_that_fits_keeps_every_column(sample, args):
    """80 columns hold the sample's whole aid lists: nothing is left out, nor said."""
    narrow, wide = sample(*args), sample(*args, columns=140)
    assert "终端较窄" not in narrow.stderr
    assert len(narrow.stdout.splitlines()[0].split()) == len(wide.stdout.splitlines()[0].split())


def test_the_note_in_english(sample):
    result = sample("--lang", "en", "pairings", "list")
    assert ("(narrow terminal: Contact, Phone left out; widen it to see every column)"
            in result.stderr.splitlines())


# --- xlsx exports: dates as dates ----------------------------------------------------------

KINDS = ("areas", "points", "members", "logs", "brands")  # the order a fresh db loads


def _sheet(path) -> dict[str, list]:
    from openpyxl import load_workbook

    ws = load_workbook(path).active
    rows = list(ws.iter_rows())
    return {head.value: [row[i] for row in rows[1:]] for i, head in enumerate(rows[0])}


def _exported(cli, kind: str) -> list[dict]:
    rows = json.loads(cli.ok(kind, "export", "--format", "json").stdout)
    return [{k: v for k, v in r.items() if k not in ("created_at", "updated_at")} for r in rows]


@pytest.fixture
def dated(seeded):
    """The seeded community with a log and a brand given to the month."""
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
              "--on", "2026-11-20", "--members", "0001,0003")
    seeded.ok("brands", "add", "--area", "A01", "--name", "石化红管家", "--since", "2025-03")
    seeded.ok("members", "contact", "0002", "--on", "2026-11-01", "--channel", "微信")
    return seeded


def test_xlsx_export_writes_dates_as_dates_and_months_as_months(dated, tmp_path):
    import datetime

    for kind in ("members", "logs", "brands"):
        dated.ok(kind, "export", "--out", str(tmp_path / f"{kind}.xlsx"))
    members = _sheet(tmp_path / "members.xlsx")
    row = {c.value: i for i, c in enumerate(members["党员编号"])}
    zhang, li = row["0001"], row["0002"]
    born = members["出生日期"][zhang]  # 张伟, born 1950-03-12, joined 1975年7月
    assert (born.value, born.number_format) == (datetime.datetime(1950, 3, 12), "yyyy-mm-dd")
    joined = members["入党时间"][zhang]
    assert (joined.value, joined.number_format) == (datetime.datetime(1975, 7, 1), "yyyy-mm")
    contact = members["最近联系时间"][li]
    assert (contact.value, contact.number_format) == (datetime.datetime(2026, 11, 1),
                                                      "yyyy-mm-dd")
    assert members["外出时间"][li].value == datetime.datetime(2024, 3, 1)
    assert all(c.data_type == "s" and c.number_format == "@"  # numbers people keep as text
               for c in [members["联系电话"][zhang], *members["党员编号"]])
    day = _sheet(tmp_path / "logs.xlsx")["日期"][0]
    assert (day.value, day.number_format) == (datetime.datetime(2026, 11, 20), "yyyy-mm-dd")
    since = _sheet(tmp_path / "brands.xlsx")["创建年月"][0]
    assert (since.value, since.number_format) == (datetime.datetime(2025, 3, 1), "yyyy-mm")


def test_xlsx_export_reimports_unchanged(dated, tmp_path):
    from conftest import Cli

    files = {kind: tmp_path / f"{kind}.xlsx" for kind in KINDS}
    before = {kind: _exported(dated, kind) for kind in KINDS}
    for kind, path in files.items():
        dated.ok(kind, "export", "--out", str(path))
        result = dated.ok(kind, "import", str(path))  # its own database: nothing changes
        assert "inserted 0, updated 0," in result.stderr and "rejected 0" in result.stderr
    assert {kind: _exported(dated, kind) for kind in KINDS} == before
    fresh = Cli(tmp_path / "fresh.db")  # and a fresh one: the same records
    fresh.ok("init")
    for kind, path in files.items():
        assert "rejected 0" in fresh.ok(kind, "import", str(path)).stderr, kind
    assert {kind: _exported(fresh, kind) for kind in KINDS} == before
    assert {m["member_no"]: m["joined_on"] for m in _exported(fresh, "members")}["0001"] \
        == "1975-07"  # still a month


def test_only_real_iso_dates_become_excel_dates():
    import datetime

    from cbtool.formats import Dated

    assert (Dated.of("2026-11-24").day, Dated.of("2026-11-24").number_format) == (
        datetime.date(2026, 11, 24), "yyyy-mm-dd")
    assert Dated.of("1950-03").number_format == "yyyy-mm"
    for text in ("2026-02-30", "2026-13", "1899-12-31", "2026年11月", "未知"):
        assert type(Dated.of(text)) is str, text  # written as the text it is
