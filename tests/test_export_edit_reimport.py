"""An edited export goes back onto the records it came from: the 编号 column names the
aid case or pairing (so a corrected 建档日期 / 开始日期 is an update, not a second record;
a number not in this database falls back to the natural key), and import obeys what
`aid edit` / `pairings edit` obey: a case's days hold its aid, a pairing's end and
headings hold its joint activities."""

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
def aid_exported(seeded, tmp_path):
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


def test_a_corrected_day_opened_updates_the_case(aid_exported):
    cli, path = aid_exported
    _edit(path, "建档日期", "2026-09-20")
    cli.ok("aid", "import", str(path), "--yes")
    assert [(c["id"], c["opened_on"]) for c in _cases(cli)] == [(1, "2026-09-20")]


def test_a_day_opened_after_the_first_aid_is_a_row_error(aid_exported):
    cli, path = aid_exported
    _edit(path, "建档日期", "2026-10-20")
    result = cli("aid", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-10-10" in result.stderr
    assert [c["opened_on"] for c in _cases(cli)] == ["2026-10-01"]


def test_a_day_closed_before_the_last_aid_is_a_row_error(aid_exported):
    cli, path = aid_exported
    _edit(path, "结案日期", "2026-10-31")
    result = cli("aid", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-11-05" in result.stderr
    assert [c["closed_on"] for c in _cases(cli)] == [None]


def test_a_number_not_in_this_database_falls_back_to_name_area_and_day(aid_exported):
    cli, path = aid_exported
    _edit(path, "编号", "9")
    result = cli.ok("aid", "import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
    assert len(_cases(cli)) == 1


# --- pairings ---------------------------------------------------------------------


@pytest.fixture
def pairing_exported(seeded, tmp_path):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞、治安联防")
    seeded.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "金山区税务局", "--heading", "党员教育")
    path = tmp_path / "结对共建.csv"
    seeded.ok("pairings", "export", "--headings", "zh", "--out", str(path))
    return seeded, path




def _pairings(cli):
    return json.loads(cli.ok("pairings", "list", "--format", "json", "--all").stdout)


def test_a_corrected_start_updates_the_pairing(pairing_exported):
    cli, path = pairing_exported
    _edit(path, "开始日期", "2025-12-01")
    cli.ok("pairings", "import", str(path), "--yes")
    assert [(p["id"], p["since"]) for p in _pairings(cli)] == [(1, "2025-12-01")]


def test_an_end_before_its_activities_is_a_row_error(pairing_exported):
    cli, path = pairing_exported
    _edit(path, "结束日期", "2026-10-31")
    result = cli("pairings", "import", str(path), "--yes")
    assert result.exit_code == 1 and "2026-11-02" in result.stderr
    assert [p["until"] for p in _pairings(cli)] == [None]


def test_headings_must_still_cover_its_activities(pairing_exported):
    cli, path = pairing_exported
    _edit(path, "共建内容", "社区治安联防")
    result = cli("pairings", "import", str(path), "--yes")
    assert result.exit_code == 1 and "党员教育联搞" in result.stderr
    assert cli.rows("SELECT headings FROM pairings") == [("education,security",)]


def test_a_number_not_in_this_database_falls_back_to_point_unit_and_start(pairing_exported):
    cli, path = pairing_exported
    _edit(path, "编号", "7")
    result = cli.ok("pairings", "import", str(path), "--yes")
    assert "unchanged 1" in result.stdout + result.stderr
    assert cli.count("pairings") == 1


# --- money records ------------------------------------------------------------------


def test_an_aid_record_whose_day_was_changed_is_refused_not_paid_twice(aid_exported, tmp_path):
    cli, _cases_file = aid_exported
    cli.ok("aid", "income", "--fund", "急难帮困", "--amount", "5000", "--on", "2026-11-01")
    cli.ok("aid", "give", "1", "--form", "救助金", "--amount", "1200", "--fund", "急难帮困",
           "--on", "2026-11-08")
    path = tmp_path / "帮扶记录.csv"
    cli.ok("aid", "given-export", "--headings", "zh", "--out", str(path))
    cli.ok("aid", "given-import", str(path), "--yes")  # as exported: nothing changes
    rows = list(csv.DictReader(path.read_bytes().decode("utf-8-sig").splitlines()))
    number = next(k for k in rows[0] if k in ("记录号", "编号", "id"))
    changed = [dict(r, 帮扶日期="2026-11-09") if r[number] == "3" else r for r in rows]
    with path.open("w", encoding="gbk", newline="") as out:
        writer = csv.DictWriter(out, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(changed)
    result = cli("aid", "given-import", str(path), "--yes")
    assert result.exit_code == 1
    assert "#3" in result.stderr and "aid void 3" in result.stderr
    assert cli.count("aid_given") == 3
