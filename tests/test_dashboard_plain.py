"""The dashboard off a terminal is drawn without rich (``plaintable.PlainDrawer``), byte
for byte as rich draws it plain: both renderers on several databases' documents, at 80
columns and wider, in both languages, with generated names and figures."""

from __future__ import annotations

import copy
import io
import json
import sys

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.cli import output
from cbtool.cli.dashboard import plain_dashboard, render_dashboard

WIDTHS = (40, 60, 80, 100, 160, 240)


def drawn_by_rich(doc: dict, lang: str, width: int, monkeypatch) -> str:
    """What ``summary`` printed before: rich, on the console a pipe gets."""
    buffer = io.StringIO()
    with monkeypatch.context() as patch:
        patch.setenv("COLUMNS", str(width))
        patch.delenv("NO_COLOR", raising=False)
        patch.setattr(sys, "stdout", buffer)
        render_dashboard(doc, lang, output.console())
    return buffer.getvalue()


@pytest.fixture(scope="module")
def docs(tmp_path_factory):
    """Summary documents of a sample database (a month, a year, a month with nothing in
    it) and of an empty one, in both languages."""
    from typer.testing import CliRunner

    from cbtool.cli import app

    runner = CliRunner()
    found = {}
    for name, init in (("sample", ["init", "--sample"]), ("empty", ["init"])):
        db = tmp_path_factory.mktemp(name) / "cb.db"
        assert runner.invoke(app, ["--db", str(db), *init]).exit_code == 0
        for period in ("2026-11", "2026", "2020-01"):
            for lang in ("zh", "en"):
                result = runner.invoke(app, ["--db", str(db), "--lang", lang, "summary",
                                             "--period", period, "--format", "json"],
                                       env={"CBTOOL_TODAY": "2026-11-30"})
                assert result.exit_code == 0, result.stderr
                found[name, period, lang] = json.loads(result.stdout)
    return found


def test_plain_is_rich_on_every_document_and_width(docs, monkeypatch):
    for (name, period, lang), doc in docs.items():
        for width in WIDTHS:
            plain = plain_dashboard(doc, lang, width)
            if width >= 80:  # a narrower table rich squeezes: rich draws it (None)
                assert plain is not None, (name, period, lang, width)
            if plain is not None:
                assert plain == drawn_by_rich(doc, lang, width, monkeypatch), (name, width)


def test_summary_off_a_terminal_prints_what_rich_would_without_loading_it(tmp_path):
    import subprocess

    db = tmp_path / "cb.db"
    env = {"PATH": "", "HOME": str(tmp_path), "COLUMNS": "80", "NO_COLOR": "1",
           "CBTOOL_TODAY": "2026-11-30"}
    subprocess.run([sys.executable, "-m", "cbtool", "--db", str(db), "init", "--sample"],
                   env=env, check=True, capture_output=True)
    probe = ("import sys, runpy; sys.argv = ['cbtool', '--db', sys.argv[1], 'summary'];"
             "import atexit; atexit.register(lambda: sys.stderr.write("
             "'RICH' if any(m == 'rich' or m.startswith('rich.') for m in sys.modules) "
             "else 'NORICH'));"
             "runpy.run_module('cbtool', run_name='__main__')")
    done = subprocess.run([sys.executable, "-c", probe, str(db)], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stderr.endswith("NORICH")
    doc = json.loads(subprocess.run(
        [sys.executable, "-m", "cbtool", "--db", str(db), "summary", "--format", "json"],
        env=env, check=True, capture_output=True, text=True).stdout)
    buffer = io.StringIO()
    from rich.console import Console

    render_dashboard(doc, "zh", Console(file=output._NoTrailingSpaces(buffer), width=80,
                                        force_terminal=False, no_color=True, highlight=False,
                                        emoji=False, soft_wrap=False))
    assert done.stdout == buffer.getvalue()


# Names as offices type them: Chinese, Latin, digits, spaces, full-width marks, the bars'
# own blocks (what rich must measure itself: ``test_what_rich_must_measure_rich_draws``).
NAMES = st.text(alphabet=st.sampled_from(list("石化一村居民区党员服务点梅州（）、AZaz09  ·…█")),
                max_size=30)
FIGURES = st.integers(min_value=0, max_value=10**9)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(areas=st.lists(NAMES, min_size=1, max_size=4), points=st.lists(NAMES, max_size=12),
       figures=st.lists(FIGURES, min_size=6, max_size=6), width=st.sampled_from(WIDTHS),
       lang=st.sampled_from(("zh", "en")))
def test_plain_is_rich_on_generated_names_and_figures(docs, monkeypatch, areas, points,
                                                      figures, width, lang):
    doc = copy.deepcopy(docs["sample", "2026-11", lang])
    members = doc["members"]
    for area, name in zip(members["by_area"], areas, strict=False):
        area["name"] = name
        area["total"] = figures[0]
    members["total"] = figures[1]
    logs = doc["logs"]
    logs["total"], logs["served"] = figures[2], figures[3]
    logs["by_point"] = [{"point": f"P{i:02d}", "name": name, "logs": figures[i % 6]}
                        for i, name in enumerate(points)]
    for team, name in zip(doc.get("volunteers", {}).get("by_team", []), areas, strict=False):
        team["name"] = name
        team["hours"] = figures[4]
    plain = plain_dashboard(doc, lang, width)
    rich = drawn_by_rich(doc, lang, width, monkeypatch)
    if plain is not None:  # None: given way to rich (a sign it must measure, a squeeze)
        assert plain == rich


@pytest.mark.parametrize("name", ["Café", "东\u3000区", "e\u0301"])
def test_what_rich_must_measure_rich_draws(docs, name):
    doc = copy.deepcopy(docs["sample", "2026-11", "zh"])
    doc["members"]["by_area"][0]["name"] = name
    assert plain_dashboard(doc, "zh", 80) is None  # summary then draws it with rich
