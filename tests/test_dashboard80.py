"""80-column terminals: the dashboard and every list print whole figures (blocks stack,
labels shorten, nothing like ``9,0…``), and piped output has no trailing padding."""

from __future__ import annotations

import io
import json
import re

import pytest
from rich.cells import cell_len
from rich.console import Console

from cbtool.cli.dashboard import render_dashboard

CUT = re.compile(r"\d[,.]?…")  # a figure cut short by an ellipsis


def check80(out: str) -> None:
    assert out.strip()
    for line in out.splitlines():
        assert cell_len(line) <= 80, line
        assert line == line.rstrip(), repr(line)  # no trailing padding
        assert not CUT.search(line), line


@pytest.fixture(scope="module")
def demo(tmp_path_factory):
    from typer.testing import CliRunner

    from cbtool.cli import app

    db = tmp_path_factory.mktemp("demo") / "demo.db"
    runner = CliRunner()
    result = runner.invoke(app, ["--db", str(db), "init", "--sample"], catch_exceptions=False)
    assert result.exit_code == 0
    return runner, app, db


def run80(demo, *args: str) -> str:
    runner, app, db = demo
    result = runner.invoke(app, ["--db", str(db), *args], env={"COLUMNS": "80"},
                           catch_exceptions=False)
    assert result.exit_code == 0, result.stderr
    return result.stdout


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_summary_at_80_columns(demo, lang):
    out = run80(demo, "--lang", lang, "summary", "--period", "2026")
    check80(out)
    total = json.loads(run80(demo, "summary", "--period", "2026", "--format", "json"))
    assert f"{total['members']['total']:,}" in out  # the total column is whole


@pytest.mark.parametrize("args", [
    ["areas", "list"], ["points", "list"], ["members", "list"], ["members", "list", "--all"],
    ["logs", "list"], ["logs", "list", "--all"], ["checklist", "show"], ["checklist", "gaps"],
    ["audit"], ["members", "overdue"], ["--lang", "en", "members", "list"],
    ["--lang", "en", "logs", "list"], ["--lang", "en", "checklist", "show"],
    ["points", "show", "A01"], ["checklist", "history", "A01"],
])
def test_lists_at_80_columns(demo, args):
    check80(run80(demo, *args))


def _scaled(value, factor):
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value * factor + 7
    if isinstance(value, float):
        return round(value * factor + 0.25, 2)
    if isinstance(value, dict):
        return {k: v if k in ("period", "labels", "as_of") else _scaled(v, factor)
                for k, v in value.items()}
    if isinstance(value, list):
        return [_scaled(v, factor) for v in value]
    return value


@pytest.mark.parametrize("factor", [100, 1000, 10000])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dashboard_with_big_figures(demo, lang, factor):
    """Figures of 4 to 6 digits (and more) at 80 columns, piped and on a colour terminal."""
    doc = _scaled(json.loads(run80(demo, "summary", "--period", "2026", "--format", "json")),
                  factor)
    for terminal in (False, True):
        buffer = io.StringIO()
        console = Console(file=buffer, width=80, force_terminal=terminal,
                          color_system="truecolor" if terminal else None)
        render_dashboard(doc, lang, console)
        from rich.text import Text

        # a bare Console pads lines (cbtool's own console drops that: the CLI tests above)
        out = "\n".join(Text.from_ansi(line).plain.rstrip()
                        for line in buffer.getvalue().splitlines())
        check80(out)
        for figure in (doc["members"]["total"], doc["logs"]["total"], doc["logs"]["served"]):
            assert f"{figure:,}" in out


def test_wide_terminal_keeps_blocks_side_by_side(demo):
    doc = json.loads(run80(demo, "summary", "--period", "2026", "--format", "json"))
    buffer = io.StringIO()
    render_dashboard(doc, "zh", Console(file=buffer, width=160))
    lines = buffer.getvalue().splitlines()
    assert any(line.startswith("A01") and "离退休" in line for line in lines)  # bars beside


def test_piped_table_has_no_trailing_spaces(demo):
    runner, app, db = demo
    out = runner.invoke(app, ["--db", str(db), "areas", "list"], env={"COLUMNS": "200"}).stdout
    assert all(line == line.rstrip() for line in out.splitlines())
