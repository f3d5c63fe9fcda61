"""A pairing's agreed end typed as a month (2027年6月) runs to the month's last day; an
end may lie ahead, a start may not."""

from __future__ import annotations

import pytest

from cbtool import clock
from cbtool.fields import month_last_day, parse_date_or_month


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, "2026-11-30")


def test_month_last_day():
    assert month_last_day("2027-02") == "2027-02-28" and month_last_day("2028-02") == "2028-02-29"
    assert month_last_day("2026-12-15") == "2026-12-15" and month_last_day(None) is None


def test_allow_future_takes_a_later_month_and_day():
    assert parse_date_or_month("until", "2030年1月", allow_future=True) == "2030-01"
    assert parse_date_or_month("until", "2030-01-05", allow_future=True) == "2030-01-05"


@pytest.mark.parametrize("until, stored", [("2027年6月", "2027-06-30"), ("202702", "2027-02-28"),
                                           ("2027-06-15", "2027-06-15")])
def test_pairing_until_a_month_runs_to_its_last_day(seeded, until, stored):
    seeded.ok("pairings", "add", "--point", "A01", "--unit", "金山区税务局", "--headings", "教育",
              "--since", "2026-03-01", "--until", until)
    assert seeded.rows("SELECT until FROM pairings") == [(stored,)]


def test_pairing_import_until_a_month(seeded, tmp_path):
    path = tmp_path / "结对.csv"
    path.write_text("服务点,共建单位,开始日期,结束日期,共建内容\n"
                    "A02,金山区民政局,2026年2月,2026年12月,公益\n", encoding="utf-8")
    seeded.ok("pairings", "import", str(path))
    assert seeded.rows("SELECT since, until FROM pairings") == [("2026-02-01", "2026-12-31")]
    assert "unchanged 1" in seeded.ok("pairings", "import", str(path)).stderr


def test_pairing_until_bad_month_refused(seeded):
    result = seeded("pairings", "add", "--point", "A01", "--unit", "金山区税务局",
                    "--headings", "教育", "--until", "2027年13月")
    assert result.exit_code == 1 and seeded.count("pairings") == 0
