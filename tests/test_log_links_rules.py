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
