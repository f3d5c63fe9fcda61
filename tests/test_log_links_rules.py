"""A log's links and their rules (issue 16): a brand's activity lies in the brand's time
(add, edit and import alike, one check); clearing a pairing clears its heading; a pairing
named without a heading takes its only one, or asks for --heading."""

from __future__ import annotations

import pytest

from cbtool import clock

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def branded(seeded):
    seeded.ok("brands", "add", "--area", "石化一村居民区", "--name", "石化红管家", "--since",
              "2025年3月")
    return seeded


def _log(cli, *args, on="2026-11-12", title="红管家楼组议事"):
    return cli("logs", "add", "--point", "A01", "--kind", "志愿", "--title", title,
               "--on", on, *args)


# --- a brand's time ----------------------------------------------------------------------


def test_add_refuses_a_day_before_the_brand_began(branded):
    result = _log(branded, "--brand", "石化红管家", on="2025-02-28")
    assert result.exit_code == 1 and "自 2025-03 起" in result.stderr, result.stderr
    assert branded.count("logs") == 0
    assert _log(branded, "--brand", "1", on="2025-03-01").exit_code == 0  # its first day


def test_add_refuses_an_ended_brand(branded):
    branded.ok("brands", "edit", "1", "--status", "已停止")
    result = _log(branded, "--brand", "石化红管家")
    assert result.exit_code == 1 and "已停止" in result.stderr and branded.count("logs") == 0


def test_edit_refuses_a_day_before_the_brand_and_a_newly_ended_brand(branded):
    assert _log(branded, "--brand", "1").exit_code == 0
    assert _log(branded, title="另一次议事").exit_code == 0
    result = branded("logs", "edit", "1", "--on", "2025-01-05")
    assert result.exit_code == 1 and "自 2025-03 起" in result.stderr
    branded.ok("brands", "edit", "1", "--status", "已停止")
    result = branded("logs", "edit", "2", "--brand", "1")
    assert result.exit_code == 1 and "已停止" in result.stderr
    # the activity it had before it ended keeps it
    branded.ok("logs", "edit", "1", "--note", "补记")
    assert branded.rows("SELECT id, brand, date, note FROM logs ORDER BY id") == [
        (1, 1, "2026-11-12", "补记"), (2, None, "2026-11-12", None)]


def test_import_refuses_rows_outside_the_brand(branded, tmp_path):
    src = tmp_path / "台账.csv"
    src.write_text("服务点,日期,类型,标题,一居一品\n"
                   "A01,2026-11-12,志愿,红管家议事,石化红管家\n"
                   "A01,2025-02-01,志愿,红管家早了,石化红管家\n", encoding="utf-8")
    result = branded("logs", "import", str(src))
    assert result.exit_code == 1 and "自 2025-03 起" in result.stderr, result.stderr
    assert branded.count("logs") == 0
    src.write_text("服务点,日期,类型,标题,一居一品\nA01,2026-11-12,志愿,红管家议事,1\n",
                   encoding="utf-8")
    branded.ok("logs", "import", str(src))
    branded.ok("brands", "edit", "1", "--status", "已停止")
    assert "unchanged 1" in branded.ok("logs", "import", str(src)).stderr  # it keeps it
    src.write_text("服务点,日期,类型,标题,一居一品\nA01,2026-11-13,志愿,新的议事,1\n",
                   encoding="utf-8")
    result = branded("logs", "import", str(src))
    assert result.exit_code == 1 and "已停止" in result.stderr and branded.count("logs") == 1


def test_the_brand_cannot_start_after_its_activities(branded):
    assert _log(branded, "--brand", "1", on="2025-06-10").exit_code == 0
    result = branded("brands", "edit", "1", "--since", "2025-07")
    assert result.exit_code == 1 and "2025-06-10" in result.stderr
    branded.ok("brands", "edit", "1", "--since", "2025-06")
    assert branded.rows("SELECT since FROM brands") == [("2025-06",)]


# --- a pairing's heading ------------------------------------------------------------------


@pytest.fixture
def paired(seeded):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--since",
              "2026-01-01", "--headings", "党员教育联搞、治安联防")
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "区消防救援站", "--since",
              "2026-01-01", "--headings", "治安联防")
    return seeded


def test_a_pairing_of_one_heading_gives_it(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "消防演练",
              "--on", "2026-11-02", "--pairing", "区消防救援站")
    assert paired.rows("SELECT pairing, heading FROM logs") == [(2, "security")]


def test_a_pairing_of_several_headings_needs_one(paired):
    result = paired("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
                    "--on", "2026-11-02", "--pairing", "1")
    assert result.exit_code == 2 and "--heading" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr and paired.count("logs") == 0


def test_edit_pairing_keeps_a_covered_heading_else_takes_or_asks(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02")
    result = paired("logs", "edit", "1", "--pairing", "1")
    assert result.exit_code == 2 and "--heading" in result.stderr
    paired.ok("logs", "edit", "1", "--pairing", "1", "--heading", "治安")
    paired.ok("logs", "edit", "1", "--pairing", "1")  # its heading is one pairing 1 covers
    paired.ok("logs", "edit", "1", "--pairing", "2")
    assert paired.rows("SELECT pairing, heading FROM logs") == [(2, "security")]


def test_clearing_the_pairing_clears_its_heading(paired):
    paired.ok("logs", "add", "--point", "A01", "--kind", "学习", "--title", "共上党课",
              "--on", "2026-11-02", "--pairing", "1", "--heading", "党员教育")
    result = paired.ok("logs", "edit", "1", "--clear", "pairing")
    assert "结对单位" in result.stderr and "共建内容" in result.stderr
    assert paired.rows("SELECT pairing, heading FROM logs") == [(None, None)]
    changes = paired.rows("SELECT changes FROM audit WHERE table_name = 'logs' "
                          "AND action = 'update'")
    assert len(changes) == 1 and "heading" in changes[0][0]
