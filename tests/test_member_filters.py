"""Lists before visits and honours: age, years in the Party (党龄), 政治生日 and birthday
month, as filters of `members list` and the roster, counted as of a given day."""

from __future__ import annotations

import json
from datetime import date

import pytest

from cbtool.members import parse_as_of, whole_years, years_before

# seeded: 0001 张伟 born 1950-03-12 (from the ID), joined 1975-07 (a month alone);
# 0002 李娜 born 1985-06-07; 0003 王强 born 1972-10-01; 0004 陈静 no birth date.


def numbers(cli, *args: str) -> list[str]:
    out = cli.ok("members", "list", "--format", "json", *args).stdout
    return [m["member_no"] for m in json.loads(out)]


def test_age_min_counts_whole_years_on_the_as_of_day(seeded):
    assert numbers(seeded, "--age-min", "76", "--as-of", "2026-03-12") == ["0001"]
    assert numbers(seeded, "--age-min", "76", "--as-of", "2026-03-11") == []
    assert numbers(seeded, "--age-min", "50", "--as-of", "2026-01-01") == ["0001", "0003"]


def test_age_max_includes_the_age_itself_and_a_member_without_a_birth_date_never_matches(seeded):
    assert numbers(seeded, "--age-max", "40", "--as-of", "2026-06-06") == ["0002"]
    assert numbers(seeded, "--age-max", "40", "--as-of", "2026-06-07") == []
    assert "0004" not in numbers(seeded, "--age-max", "150", "--as-of", "2026-06-07")
    assert numbers(seeded, "--age-min", "40", "--age-max", "60", "--as-of", "2026-06-07") == [
        "0003", "0002"]  # by area, then number


def test_party_years_from_a_month_alone_count_from_its_first_day(seeded):
    # joined 1975-07: 50 years on 2025-07-01 (光荣在党50年, counted to 七一)
    assert numbers(seeded, "--party-years-min", "50", "--as-of", "2025-07-01") == ["0001"]
    assert numbers(seeded, "--party-years-min", "50", "--as-of", "2025-06-30") == []


def test_joined_and_born_month(seeded):
    assert numbers(seeded, "--joined-month", "7") == ["0001"]
    assert numbers(seeded, "--joined-month", "3") == []
    assert numbers(seeded, "--born-month", "10") == ["0003"]
    assert numbers(seeded, "--born-month", "3", "--category", "离退休") == ["0001"]


def test_the_table_says_how_many_match(seeded):
    out = seeded.ok("members", "list", "--age-min", "50", "--as-of", "2026-01-01").stdout
    assert "张伟" in out and "王强" in out and "李娜" not in out
    assert "共 2 人" in out


def test_bad_filter_values(seeded):
    month = seeded("members", "list", "--born-month", "13")
    assert month.exit_code == 2
    day = seeded("members", "list", "--age-min", "80", "--as-of", "2026-02-30")
    assert day.exit_code == 1 and day.stderr.startswith("--as-of：")
    assert seeded("members", "list", "--age-min", "-1").exit_code == 2


def test_roster_takes_the_same_filters_and_says_them(seeded, tmp_path):
    out = tmp_path / "r.md"
    seeded.ok("roster", "--format", "md", "--out", out, "--party-years-min", "50",
              "--as-of", "2025-07-01")
    text = out.read_text(encoding="utf-8")
    assert "张伟" in text and "王强" not in text and "共 1 人" in text
    assert "范围：党龄 50 年以上" in text and "年龄、党龄计算至 2025年7月1日" in text
    assert "| 1 | 0001 | 张伟 | 男 | 1950-03-12 | 75 | 离退休 | 1975-07 | 50 |" in text


@pytest.mark.parametrize(("text", "day"), [
    ("07-01", date(2026, 7, 1)), ("7月1日", date(2026, 7, 1)), ("2027-07-01", date(2027, 7, 1)),
    ("2027年7月1日", date(2027, 7, 1)), ("10/1", date(2026, 10, 1)),
])
def test_as_of_forms(text, day):
    assert parse_as_of(text, today=date(2026, 5, 20)) == day


def test_years_are_counted_the_same_way_in_python_and_sql():
    assert whole_years("2000-02-29", date(2018, 2, 28)) == 17
    assert whole_years("2000-02-29", date(2018, 3, 1)) == 18
    assert whole_years("1975-07", date(2025, 7, 1)) == 50
    assert whole_years(None, date(2025, 7, 1)) is None
    assert whole_years("1950", date(2025, 7, 1)) is None
    assert years_before(date(2024, 2, 29), 1) == date(2023, 2, 28)
    assert years_before(date(2026, 1, 1), 5000) == date.min
