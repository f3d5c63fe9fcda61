"""The one clock: today is the local day in the config's timezone, instants are stored in
UTC and shown in local time; tests set it (``clock.set_clock``, ``CBTOOL_TODAY``)."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime

import pytest

from cbtool import clock


def config(tmp_path, text: str):
    path = tmp_path / "cbtool.toml"
    path.write_text(text, encoding="utf-8")
    return path


# --- the module -----------------------------------------------------------------------------


def test_today_is_the_local_day_of_the_zone():
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))  # 01:30 on 12-01 in Shanghai
    clock.set_timezone("Asia/Shanghai")
    assert clock.today() == date(2026, 12, 1)
    clock.set_timezone("America/New_York")
    assert clock.today() == date(2026, 11, 30)
    assert clock.utc_stamp() == "2026-11-30T17:30:00Z"  # stored: UTC whatever the zone


def test_a_fixed_day_is_that_day_in_any_zone():
    for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago", "UTC", None):
        clock.set_timezone(zone)
        clock.set_clock("2026-11-30")
        assert clock.today() == date(2026, 11, 30)
        clock.set_clock(date(2024, 2, 29))
        assert clock.today() == date(2024, 2, 29)


def test_stored_instants_are_shown_in_local_time():
    clock.set_timezone("Asia/Shanghai")
    assert clock.shown("2026-11-30T17:30:00Z") == "2026-12-01 01:30"
    assert clock.shown("2026-11-30T17:30:00+00:00") == "2026-12-01 01:30"
    assert clock.shown("2026-11-30 09:00") == "2026-11-30 09:00"  # no zone: as it is
    assert clock.shown("不是时间") == "不是时间" and clock.shown(None) == ""


def test_the_real_clock_again_after_none():
    clock.set_clock("2001-01-01")
    clock.set_clock(None)
    assert clock.today() != date(2001, 1, 1)
    assert abs((clock.now() - datetime.now(UTC)).total_seconds()) < 3600


def test_the_environment_sets_the_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-30")
    assert clock.today() == date(2026, 11, 30)
    monkeypatch.setenv(clock.ENV, "2026-11-30T23:30:00+08:00")
    clock.set_timezone("UTC")
    assert clock.today() == date(2026, 11, 30) and clock.utc_stamp() == "2026-11-30T15:30:00Z"
    clock.set_clock("2027-01-02")  # what a test set comes first
    assert clock.today() == date(2027, 1, 2)


def test_unknown_zones_are_refused():
    for bad in ("Asia/Shanghaii", "", "../etc/passwd", "Mars/Olympus", 8):
        with pytest.raises(ValueError):
            clock.parse_zone(bad)


# --- through the command line ---------------------------------------------------------------


def test_defaults_take_the_local_day_of_the_configured_zone(seeded, tmp_path):
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    path = config(tmp_path, 'timezone = "Asia/Shanghai"\n')
    seeded.ok("--config", path, "logs", "add", "--point", "A01", "--kind", "visit",
              "--title", "走访慰问")
    path.write_text('timezone = "America/New_York"\n', encoding="utf-8")
    seeded.ok("--config", path, "logs", "add", "--point", "A01", "--kind", "visit",
              "--title", "再次走访")
    assert seeded.rows("SELECT title, date FROM logs ORDER BY id") == [
        ("走访慰问", "2026-12-01"), ("再次走访", "2026-11-30")]
    # the audit keeps UTC
    assert {at for (at,) in seeded.rows("SELECT at FROM audit WHERE table_name = 'logs'")} == {
        "2026-11-30T17:30:00Z"}


def test_the_future_is_after_the_local_today(seeded, tmp_path):
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    path = config(tmp_path, 'timezone = "Asia/Shanghai"\n')
    args = ("logs", "add", "--point", "A01", "--kind", "visit", "--title", "走访",
            "--on", "2026-12-01")
    assert seeded("--config", path, *args).exit_code == 0  # already 12-01 in Shanghai
    path.write_text('timezone = "UTC"\n', encoding="utf-8")
    result = seeded("--config", path, *args)
    assert result.exit_code == 1 and seeded.count("logs") == 1  # still 11-30 in UTC


def test_audit_table_and_log_show_are_local_time_json_stays_utc(seeded, tmp_path):
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    path = config(tmp_path, 'timezone = "Asia/Shanghai"\n')
    seeded.ok("--config", path, "logs", "add", "--point", "A01", "--kind", "visit",
              "--title", "走访慰问")
    table = seeded.ok("--config", path, "audit", "--table", "logs").stdout
    assert "2026-12-01 01:30" in table and "17:30" not in table
    doc = json.loads(seeded.ok("--config", path, "audit", "--table", "logs", "--format",
                               "json").stdout)
    assert doc[0]["at"] == "2026-11-30T17:30:00Z"
    shown = seeded.ok("--config", path, "logs", "show", "1").stdout
    assert "2026-12-01 01:30" in shown
    shown_json = json.loads(seeded.ok("--config", path, "logs", "show", "1", "--format",
                                      "json").stdout)
    assert shown_json["created_at"] == "2026-11-30T17:30:00Z"


def test_member_history_shows_local_time(seeded, tmp_path):
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    path = config(tmp_path, 'timezone = "Asia/Shanghai"\n')
    seeded.ok("--config", path, "members", "edit", "0003", "--note", "新备注")
    out = seeded.ok("--config", path, "members", "show", "0003", "--history").stdout
    assert "2026-12-01 01:30" in out


def test_report_generation_time_is_local(tmp_path):
    from cbtool.report.model import fmt_timestamp

    clock.set_timezone("Asia/Shanghai")
    assert fmt_timestamp("2026-12-01T01:30:00+00:00") == "2026-12-01 09:30"


def test_papers_are_dated_the_local_day(seeded, tmp_path):
    clock.set_clock(datetime(2026, 11, 30, 17, 30, tzinfo=UTC))
    path = config(tmp_path, 'timezone = "Asia/Shanghai"\n')
    out = tmp_path / "roster.html"
    seeded.ok("--config", path, "roster", "--format", "html", "--out", out)
    assert "2026年12月1日" in out.read_text(encoding="utf-8")


@pytest.mark.parametrize("value", ['"Asia/Shanghaii"', '""', "8", '"../../etc/passwd"'])
def test_an_invalid_timezone_is_a_config_error(seeded, tmp_path, value):
    path = config(tmp_path, f"timezone = {value}\n")
    result = seeded("--config", path, "members", "list")
    assert result.exit_code == 3
    assert "timezone" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_the_environment_pins_the_day_of_the_installed_command(seeded, tmp_path):
    """CBTOOL_TODAY (for subprocess tests) makes the installed cbtool's today that day."""
    exe = shutil.which("cbtool")
    cmd = [exe] if exe else [sys.executable, "-m", "cbtool"]
    env = {**os.environ, clock.ENV: "2026-11-30"}
    env.pop("CBTOOL_CONFIG", None)
    done = subprocess.run([*cmd, "--db", str(seeded.db_path), "logs", "add", "--point", "A01",
                           "--kind", "visit", "--title", "走访"], env=env, capture_output=True,
                          text=True, cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert seeded.rows("SELECT date FROM logs") == [("2026-11-30",)]


def test_a_bad_cbtool_today_is_exit_3_in_one_line(seeded):
    bad = seeded("logs", "list", env={clock.ENV: "明天"})
    assert bad.exit_code == 3 and "CBTOOL_TODAY" in bad.stderr
    assert len(bad.stderr.strip().splitlines()) == 1
