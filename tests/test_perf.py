"""What keeps short commands fast without changing what they print: the command line built
lazily prints the same help as the whole app; the table drawn without rich is rich's, byte
for byte; read commands load neither sqlite-utils nor rich. (Speed itself is measured in
benchmarks/, never asserted here.)"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

import cbtool.cli as cli
from cbtool import migrations
from cbtool.cli import output
from cbtool.cli.plaintable import cell_width, write_table
from cbtool.lazyre import lazy

runner = CliRunner()


def invoke(app, args):
    result = runner.invoke(app, args, catch_exceptions=False)
    return result.exit_code, result.stdout, result.stderr


HELP_CASES = [["--help"], [], ["membrs"], ["--lang", "en", "--help"]]
for _name, (_module, _attr, _group, _kind) in cli.WIRING.items():
    HELP_CASES.append([_name, "--help"])
    if _group:
        HELP_CASES += [[_name], [_name, "lsit"], [_name, "-h"]]


@pytest.mark.parametrize("args", HELP_CASES, ids=" ".join)
def test_the_lazy_command_line_prints_what_the_whole_app_prints(args):
    assert invoke(cli.lazy(args), args) == invoke(cli.app, args)


def test_every_command_s_help_is_the_same_built_alone():
    for name, (_module, _attr, group, _kind) in cli.WIRING.items():
        if not group:
            continue
        for sub in sorted(cli._group_commands(name)):
            args = [name, sub, "--help"]
            assert invoke(cli.lazy(args), args) == invoke(cli.app, args), args


def test_a_command_after_double_dash_is_built_for_real(cli_db):
    args = ["--db", str(cli_db), "areas", "--", "list", "--format", "json"]
    code, out, _ = invoke(cli.lazy(args), args)
    assert (code, json.loads(out)) == (0, [])


@pytest.fixture
def cli_db(tmp_path):
    path = tmp_path / "community.db"
    assert invoke(cli.app, ["--db", str(path), "init"])[0] == 0
    return path


# --- the table without rich ------------------------------------------------------------

def rich_table(headings, rows, *, width, title=None, captions=()):
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    out = io.StringIO()
    con = Console(file=out, force_terminal=False, no_color=True, width=width, highlight=False,
                  emoji=False, soft_wrap=False)
    table = Table(title=Text(title) if title else None, box=None, show_edge=False,
                  header_style="", title_style="", pad_edge=False)
    for heading in headings:
        table.add_column(heading, overflow="fold")
    for row in rows:
        table.add_row(*(Text(cell) for cell in row))
    con.print(table)
    for line in captions:
        con.print(Text(line))
    return re.sub(r" +\n", "\n", out.getvalue())  # piped output: no trailing padding


CHARS = st.sampled_from(list("abcXYZ019 -_./:()") + list("张王李刘陈石化一村居民区党员服务点")
                        + list("，。（）：、《》？！") + list("…·—✓✗×√") + ["\u3000", "é", "😀"])
CELL = st.text(CHARS, max_size=12)


@settings(max_examples=300, deadline=None)
@given(columns=st.integers(1, 6), data=st.data(),
       width=st.sampled_from([240, 80, 30]),
       title=st.none() | st.text(CHARS, min_size=1, max_size=30),
       captions=st.lists(st.text(CHARS, max_size=40), max_size=2))
def test_the_plain_table_is_rich_s_table(columns, data, width, title, captions):
    headings = data.draw(st.lists(CELL, min_size=columns, max_size=columns))
    rows = data.draw(st.lists(st.lists(CELL, min_size=columns, max_size=columns), max_size=6))
    out = io.StringIO()
    drawn = write_table(out, headings, rows, width=width, title=title, caption_lines=captions)
    expected = rich_table(headings, rows, width=width, title=title, captions=captions)
    if drawn:
        assert out.getvalue() == expected
    else:
        assert out.getvalue() == ""


def test_the_plain_table_draws_the_usual_tables():
    """The cases met every day take the plain path (the property above checks the bytes)."""
    out = io.StringIO()
    assert write_table(out, ["党员编号", "姓名", "最近联系"],
                       [["0001", "张伟", "2026-11-27"], ["0002", "李娜", ""]], width=240,
                       title="0001 张伟", caption_lines=["共 2 人", "…… 还有 1 条未显示（--all）"])
    assert out.getvalue() == rich_table(["党员编号", "姓名", "最近联系"],
                                        [["0001", "张伟", "2026-11-27"], ["0002", "李娜", ""]],
                                        width=240, title="0001 张伟",
                                        captions=["共 2 人", "…… 还有 1 条未显示（--all）"])


def test_widths_known_without_rich_are_rich_s():
    from rich.cells import cell_len

    from cbtool.cli import plaintable

    for low, high in plaintable._WIDE:
        for code in range(low, high + 1):
            assert cell_len(chr(code)) == cell_width(chr(code)) == 2, hex(code)
    for ch in [*map(chr, range(0x20, 0x7F)), *plaintable._NARROW]:
        assert cell_len(ch) == cell_width(ch) == 1, ch
    for text in ["é", "😀", "a\u0301", "👍🏽", "\u3000"]:  # asked of rich
        assert cell_width(text) == cell_len(text)


def test_render_table_falls_back_to_rich_for_what_would_wrap(monkeypatch, capsys):
    monkeypatch.setenv("COLUMNS", "20")
    cols = [output.Col("a", "甲", "A"), output.Col("b", "乙", "B")]
    rows = [["很长的名称" * 3, "x"]]
    output.render_table(rows, cols, lang="zh", caption_lines=iter(["共 1 条"]))
    assert capsys.readouterr().out == rich_table(["甲", "乙"], rows, width=20,
                                                 captions=["共 1 条"])


# --- what a read command loads -----------------------------------------------------------

PROBE = """
import sys
from cbtool.__main__ import main
sys.argv = ["cbtool", *sys.argv[1:]]
try:
    main()
except SystemExit:
    pass
loaded = sorted(m for m in ("sqlite_utils", "rich", "rich.console", "tomllib", "openpyxl")
                if m in sys.modules)
print("LOADED", loaded, file=sys.stderr)
"""


def loaded(*args: str) -> list[str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, *args], capture_output=True,
                          text=True, timeout=120)
    line = [ln for ln in proc.stderr.splitlines() if ln.startswith("LOADED")][-1]
    return eval(line.removeprefix("LOADED "))  # noqa: S307 - our own probe's list


def test_read_commands_load_neither_sqlite_utils_nor_rich(cli_db):
    db = ["--db", str(cli_db)]
    assert loaded(*db, "members", "list", "--limit", "10") == []
    assert loaded(*db, "members", "list", "--format", "csv") == []
    assert loaded(*db, "areas", "list") == []
    assert loaded("members", "--help") == []


def test_an_older_file_still_migrates_through_sqlite_utils(tmp_path):
    import sqlite3

    from sqlite_utils import Database

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.migrations.apply(old, stop_before="m004_corrections")
    old.close()
    assert "sqlite_utils" in loaded("--db", str(path), "areas", "list")
    assert migrations.applied(sqlite3.connect(path)) == migrations.known()


def test_the_registry_hands_sqlite_utils_the_same_steps():
    real = migrations.migrations.real()
    assert real.name == "cbtool"
    assert real._migrations is migrations.migrations._migrations
    assert [m.name for m in real._migrations] == migrations.known()


# --- lazily compiled patterns --------------------------------------------------------------

def test_a_lazy_pattern_is_the_pattern():
    pattern = lazy(r"(\d{4})年")
    assert "_compiled" not in pattern.__dict__
    assert pattern.fullmatch("2026年").group(1) == "2026"
    assert pattern.sub("Y", "2026年") == "Y"
    assert pattern.pattern == r"(\d{4})年"
    assert pattern.__dict__["fullmatch"] == pattern.compiled.fullmatch  # kept for next time
    assert lazy("a", 2).compiled.flags & 2


@pytest.fixture(scope="module")
def sample_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("sample") / "sample.db"
    assert invoke(cli.app, ["--db", str(path), "init", "--sample"])[0] == 0
    return path


@pytest.mark.parametrize("args", [
    ["members", "list"], ["--lang", "en", "members", "list", "--all"],
    ["members", "list", "--status", "all", "--reveal"], ["logs", "list"], ["areas", "list"],
    ["points", "list"], ["checklist", "show"], ["audit"], ["members", "overdue"],
], ids=" ".join)
@pytest.mark.parametrize("columns", [None, "70"])
def test_commands_print_the_same_with_or_without_rich(sample_db, monkeypatch, args, columns):
    """The same command, its table drawn by the plain writer and then by rich."""
    if columns:
        monkeypatch.setenv("COLUMNS", columns)
    argv = ["--db", str(sample_db), *args]
    plain = invoke(cli.app, argv)
    assert plain[0] == 0, plain
    from cbtool.cli import plaintable

    monkeypatch.setattr(plaintable, "write_table", lambda *a, **k: False)
    assert plain == invoke(cli.app, argv)


def test_a_member_shown_is_the_same_with_or_without_rich(sample_db, monkeypatch):
    code, out, _ = invoke(cli.app, ["--db", str(sample_db), "members", "list", "--format",
                                    "json"])
    no = json.loads(out)[0]["member_no"]
    argv = ["--db", str(sample_db), "members", "show", no]
    plain = invoke(cli.app, argv)
    from cbtool.cli import plaintable

    monkeypatch.setattr(plaintable, "write_table", lambda *a, **k: False)
    assert plain == invoke(cli.app, argv)
