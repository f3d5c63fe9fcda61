"""A pairings file obeys what `pairings edit` / `end` obey: its end and headings must still
hold its joint activities, and an export's 编号 names the pairing (a corrected 开始日期 is
an update, not a second pairing)."""

from __future__ import annotations

import csv
import json

import pytest

from cbtool import clock

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def exported(seeded, tmp_path):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞、治安联防")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "金山区税务局", "--heading", "党员教育")
    path = tmp_path / "结对共建.csv"
    seeded.ok("pairings", "export", "--headings", "zh", "--out", str(path))
    return seeded, path


def _edit(path, column, value):
    rows = list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))
    rows[0][column] = value
    with path.open("w", encoding="gbk", newline="") as out:  # as an office saves it
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _pairings(cli):
    return json.loads(cli.ok("pairings", "list", "--format", "json", "--all").stdout)


def test_a_corrected_start_updates_the_pairing(exported):
    cli, path = exported
    _edit(path, "开始日期", "2025-12-01")
    cli.ok("pairings", "import", str(path), "--yes")
    assert [(p["id"], p["since"]) for p in _pairings(cli)] == [(1, "2025-12-01")]


def test_an_end_before_its_activities_is_a_row_error(exported):
    cli, path = exported
    _edit(path, "结束日期", "2026-10-31")
    result = cli("pairings", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-11-02" in result.stderr
    assert [p["until"] for p in _pairings(cli)] == [None]


def test_headings_must_still_cover_its_activities(exported):
    cli, path = exported
    _edit(path, "共建内容", "社区治安联防")
    result = cli("pairings", "import", str(path), "--yes")
    assert result.exit_code == 1 and "党员教育联搞" in result.stderr
    assert cli.rows("SELECT headings FROM pairings") == [("education,security",)]


def test_a_number_not_in_this_database_falls_back_to_point_unit_and_start(exported):
    cli, path = exported
    _edit(path, "编号", "7")
    result = cli.ok("pairings", "import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
    assert cli.count("pairings") == 1
