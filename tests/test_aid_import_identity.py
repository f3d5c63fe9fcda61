"""An edited aid export goes back onto the cases it came from: the 编号 column names the
case (so a corrected 建档日期 is an update, not a second case), and the days a case's aid
fixes (first aid, last aid) hold on import as they do for `aid edit` / `aid close`."""

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
    seeded.ok("aid", "add", "--name", "赵秀英", "--area", "A01", "--kind", "低保",
              "--on", "2026-10-01")
    seeded.ok("aid", "give", "1", "--form", "慰问", "--on", "2026-10-10")
    seeded.ok("aid", "give", "1", "--form", "物资", "--on", "2026-11-05")
    path = tmp_path / "困难对象.csv"
    seeded.ok("aid", "export", "--headings", "zh", "--out", str(path))
    return seeded, path


def _edit(path, column, value):
    text = path.read_bytes()
    encoding = "utf-8-sig"  # as exported; written back as an office saves it: GBK
    rows = list(csv.DictReader(text.decode(encoding).splitlines()))
    rows[0][column] = value
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


def _cases(cli):
    return json.loads(cli.ok("aid", "list", "--status", "all", "--format", "json").stdout)


def test_a_corrected_day_opened_updates_the_case(exported):
    cli, path = exported
    _edit(path, "建档日期", "2026-09-20")
    cli.ok("aid", "import", str(path), "--yes")
    assert [(c["id"], c["opened_on"]) for c in _cases(cli)] == [(1, "2026-09-20")]


def test_a_day_opened_after_the_first_aid_is_a_row_error(exported):
    cli, path = exported
    _edit(path, "建档日期", "2026-10-20")
    result = cli("aid", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-10-10" in result.stderr
    assert [c["opened_on"] for c in _cases(cli)] == ["2026-10-01"]


def test_a_day_closed_before_the_last_aid_is_a_row_error(exported):
    cli, path = exported
    _edit(path, "结案日期", "2026-10-31")
    result = cli("aid", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-11-05" in result.stderr
    assert [c["closed_on"] for c in _cases(cli)] == [None]


def test_a_number_not_in_this_database_falls_back_to_name_area_and_day(exported):
    cli, path = exported
    _edit(path, "编号", "9")
    result = cli.ok("aid", "import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
    assert len(_cases(cli)) == 1
