"""The one period parser (cbtool.fields.parse_period): every documented form, bad input,
and the same through `logs list --period`."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.cli.common import one_line
from cbtool.errors import InvalidInput
from cbtool.fields import parse_period

TODAY = date(2026, 11, 25)
BAD_TAIL = ("（可用 2026-11、2026年11月、2026/11；2026-Q4、2026Q4、2026年第四季度；2026、2026年；"
            "2026-11-01..2026-11-30、2026年11月1日至2026年11月30日；"
            "this-month、last-month、this-year、last-year）")


@pytest.mark.parametrize(("text", "label", "start", "end"), [
    ("2026", "2026", "2026-01-01", "2026-12-31"),
    ("1999", "1999", "1999-01-01", "1999-12-31"),
    ("2026-Q1", "2026-Q1", "2026-01-01", "2026-03-31"),
    ("2026-Q2", "2026-Q2", "2026-04-01", "2026-06-30"),
    ("2026-Q3", "2026-Q3", "2026-07-01", "2026-09-30"),
    ("2026-Q4", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026-q4", "2026-Q4", "2026-10-01", "2026-12-31"),
    ("2026-11", "2026-11", "2026-11-01", "2026-11-30"),
    ("2026-1", "2026-01", "2026-01-01", "2026-01-31"),
    ("2026-02", "2026-02", "2026-02-01", "2026-02-28"),
    ("2024-02", "2024-02", "2024-02-01", "2024-02-29"),
    ("2026-12", "2026-12", "2026-12-01", "2026-12-31"),
    ("2026-11-01..2026-11-30", "2026-11-01..2026-11-30", "2026-11-01", "2026-11-30"),
    ("2026-11-05..2026-11-05", "2026-11-05..2026-11-05", "2026-11-05", "2026-11-05"),
    ("2026/10/1..2026年11月24日", "2026-10-01..2026-11-24", "2026-10-01", "2026-11-24"),
    ("20251231 .. 2026.01.02", "2025-12-31..2026-01-02", "2025-12-31", "2026-01-02"),
    ("  2026-11  ", "2026-11", "2026-11-01", "2026-11-30"),
    ("this-month", "2026-11", "2026-11-01", "2026-11-30"),
    ("THIS-MONTH", "2026-11", "2026-11-01", "2026-11-30"),
    ("last-month", "2026-10", "2026-10-01", "2026-10-31"),
    ("this-year", "2026", "2026-01-01", "2026-12-31"),
    ("last-year", "2025", "2025-01-01", "2025-12-31"),
])
def test_every_form(text, label, start, end):
    period = parse_period(text, today=TODAY)
    assert period.as_dict() == {"label": label, "start": start, "end": end}


@pytest.mark.parametrize(("today", "text", "label"), [
    (date(2027, 1, 1), "last-month", "2026-12"),
    (date(2027, 1, 31), "last-month", "2026-12"),
    (date(2027, 1, 15), "this-month", "2027-01"),
    (date(2027, 1, 15), "this-year", "2027"),
    (date(2027, 1, 15), "last-year", "2026"),
    (date(2026, 12, 31), "this-month", "2026-12"),
    (date(2026, 12, 31), "last-month", "2026-11"),
    (date(2026, 3, 31), "last-month", "2026-02"),
    (date(2024, 3, 1), "last-month", "2024-02"),
])
def test_relative_periods_across_boundaries(today, text, label):
    period = parse_period(text, today=today)
    assert period.label == label
    first = date(int(label[:4]), int(label[5:7]), 1) if len(label) > 4 else date(int(label), 1, 1)
    assert period.start == first
    assert period.end >= period.start


def test_last_month_end_day():
    period = parse_period("last-month", today=date(2024, 3, 1))
    assert (period.start, period.end) == (date(2024, 2, 1), date(2024, 2, 29))


@pytest.mark.parametrize("text", [
    "2026-13", "2026-0", "2026-00", "2026-Q5", "2026-Q0", "26", "202", "20261",
    "2026-11-31..2026-12-01", "2026-11-01..", "..2026-11-30", "2026-11-01...2026-11-30",
    "this month", "next-month", "本月", "Q4", "2026-11-01", "abc", "",
    "2026-11-01..2026-11-30..2026-12-01",
])
def test_bad_periods(text):
    with pytest.raises(InvalidInput) as exc:
        parse_period(text, today=TODAY)
    assert exc.value.message() == f"无法识别的期间“{text.strip()}”{BAD_TAIL}"


def test_reversed_range():
    with pytest.raises(InvalidInput) as exc:
        parse_period("2026-11-30..2026-11-01", today=TODAY)
    assert exc.value.message() == "期间“2026-11-30..2026-11-01”的开始日期晚于结束日期"
    assert exc.value.message("en") == "period '2026-11-30..2026-11-01': the start is after the end"


def test_none_is_rejected():
    with pytest.raises(InvalidInput):
        parse_period(None, today=TODAY)


@settings(max_examples=examples(400), deadline=None)
@given(st.text())
def test_random_text_only_ever_invalid_input(text):
    try:
        period = parse_period(text, today=TODAY)
    except InvalidInput:
        return
    assert period.start <= period.end


@settings(max_examples=examples(300), deadline=None)
@given(st.from_regex(r"\A\d{4}-(Q\d|\d{1,2})\Z|\A\d{8}\.\.\d{8}\Z"))
def test_period_shaped_text_only_ever_invalid_input(text):
    try:
        period = parse_period(text, today=TODAY)
    except InvalidInput:
        return
    assert period.start <= period.end


# --- through the command line ---------------------------------------------------------


@pytest.mark.parametrize(("value", "message"), [
    ("2026-13", f"无法识别的期间“2026-13”{BAD_TAIL}"),
    ("2026-Q5", f"无法识别的期间“2026-Q5”{BAD_TAIL}"),
    ("2026-11-30..2026-11-01", "期间“2026-11-30..2026-11-01”的开始日期晚于结束日期"),
    ("上个月", f"无法识别的期间“上个月”{BAD_TAIL}"),
])
def test_cli_bad_period(seeded, value, message):
    result = seeded("logs", "list", "--period", value)
    assert (result.exit_code, result.stdout, result.stderr) == (1, "", message + "\n")


def test_cli_bad_period_in_english(seeded):
    result = seeded("--lang", "en", "logs", "list", "--period", "2026-Q5")
    assert result.exit_code == 1
    assert result.stderr == (
        "not a period: '2026-Q5' (use a month 2026-11, 2026年11月, 2026/11; a quarter "
        "2026-Q4, 2026Q4, 2026年第四季度; a year 2026, 2026年; a range 2026-11-01..2026-11-30 "
        "or 2026年11月1日至2026年11月30日; this-month, last-month, this-year or last-year)\n")


def _ids(cli, period: str) -> list[int]:
    import json

    out = cli.ok("logs", "list", "--period", period, "--format", "json").stdout
    return [r["id"] for r in json.loads(out)]


def test_cli_every_form_filters(seeded):
    for i, on in enumerate(["2025-12-31", "2026-01-01", "2026-09-30", "2026-10-01",
                            "2026-10-31", "2026-11-01"], start=1):
        seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", f"第{i}次",
                  "--on", on)
    assert _ids(seeded, "2026") == [6, 5, 4, 3, 2]
    assert _ids(seeded, "2025") == [1]
    assert _ids(seeded, "2026-Q4") == [6, 5, 4]
    assert _ids(seeded, "2026-Q3") == [3]
    assert _ids(seeded, "2026-Q1") == [2]
    assert _ids(seeded, "2026-10") == [5, 4]
    assert _ids(seeded, "2025-12-31..2026-01-01") == [2, 1]
    assert _ids(seeded, "2026年9月30日..2026/10/01") == [4, 3]


def test_cli_relative_periods(seeded):
    today = date.today()
    last_month_day = today.replace(day=1) - timedelta(days=1)
    last_year_day = date(today.year - 1, 6, 15)
    for title, on in [("今天", today), ("上月", last_month_day), ("去年", last_year_day)]:
        seeded.ok("logs", "add", "--point", "A01", "--kind", "visit", "--title", title,
                  "--on", on.isoformat())
    assert _ids(seeded, "this-month") == [1]
    assert _ids(seeded, "last-month") == [2]
    assert _ids(seeded, "this-year") == ([1, 2] if last_month_day.year == today.year else [1])
    assert 3 in _ids(seeded, "last-year")


@settings(max_examples=examples(60), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(min_size=1).filter(lambda t: "\x00" not in t))
def test_cli_random_period_exit_0_or_1(seeded, text):
    result = seeded("logs", "list", f"--period={text}", "--format", "json")
    assert result.exit_code in (0, 1), (result.exit_code, result.stderr)
    if result.exit_code == 1:
        # the one message of the parser, nothing else (no traceback)
        with pytest.raises(InvalidInput) as exc:
            parse_period(text)
        assert (result.stdout, result.stderr) == ("", one_line(exc.value.message()) + "\n")
