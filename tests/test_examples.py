"""The shell scripts in examples/ run as a staff member or cron would run them."""

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def run_script(name, *args, env):
    path = os.pathsep.join([str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    return subprocess.run(["bash", str(EXAMPLES / name), *args], capture_output=True,
                          text=True, env={**os.environ, "PATH": path, **env}, timeout=180)


@pytest.mark.slow  # some fifty cbtool runs; the nightly report script below stays in the default run
def test_members_day_script(tmp_path):
    env = {"CBTOOL_DB": str(tmp_path / "day.db")}
    first = run_script("members-day.sh", env=env)
    assert first.returncode == 0, first.stderr
    assert "0012346" in first.stdout and "李娜" in first.stdout
    again = run_script("members-day.sh", env=env)  # a second day: still runs cleanly
    assert again.returncode == 0, again.stderr


def test_nightly_report_script(seeded, tmp_path):
    out = tmp_path / "reports"
    result = run_script("nightly-report.sh", str(out), env={"CBTOOL_DB": str(seeded.db_path),
                                                            "CBTOOL_TODAY": "2026-01-15"})
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""  # cron mails only on failure
    label = "2025-12"  # last month, across the year
    names = sorted(p.name for p in out.iterdir())
    assert names == [f"cbtool-report-{label}.html", f"cbtool-report-{label}.json"]
    assert all(stat.S_IMODE((out / n).stat().st_mode) == 0o600 for n in names)


def test_nightly_report_fails_loudly(tmp_path):
    result = run_script("nightly-report.sh", str(tmp_path / "r"),
                        env={"CBTOOL_DB": str(tmp_path / "missing.db")})
    assert result.returncode == 3
    assert "cbtool init" in result.stderr
