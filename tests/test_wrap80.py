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


NARROWED = [
    (("audit", "--limit", "3"), "表、批次"),
    (("aid", "list"), "联系电话"),
    (("aid", "given"), "资金"),
    (("pairings", "list"), "联系人、联系电话"),
]


@pytest.mark.parametrize(("args", "left_out"), NARROWED)
def test_a_narrowed_table_says_what_it_left_out(sample, args, left_out):
    note = f"（终端较窄，已略去：{left_out}；加宽终端可见全部列）"
    narrow = sample(*args)
    assert note in narrow.stderr.splitlines()
    assert "终端较窄" not in narrow.stdout  # stdout is the table alone
    wide = sample(*args, columns=140)
    assert "终端较窄" not in wide.stderr
    for fmt in ("csv", "json"):  # machine formats: every column, and no note
        machine = sample(*args, "--format", fmt)
        assert "终端较窄" not in machine.stderr
        assert machine.stdout == sample(*args, "--format", fmt, columns=140).stdout


def test_the_note_in_english(sample):
    result = sample("--lang", "en", "pairings", "list")
    assert ("(narrow terminal: Contact, Phone left out; widen it to see every column)"
            in result.stderr.splitlines())
