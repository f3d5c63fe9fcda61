"""The one parser per value kind: dates, months, ID numbers, phones, cells, masks."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from cbtool import fields as f
from cbtool.errors import FieldError

TODAY = date(2026, 11, 25)


@pytest.mark.parametrize("text", ["2026-11-24", "2026/11/24", "2026.11.24", "20261124",
                                  "2026年11月24日", "2026-1-5 ", "2026/11/24 0:00",
                                  "2026-11-24 00:00:00"])
def test_dates_in_every_accepted_form(text):
    expected = "2026-01-05" if text.strip() == "2026-1-5" else "2026-11-24"
    assert f.parse_date("date", text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["2026-13-40", "2026-02-30", "24/11/2026", "11-24", "明天",
                                  "2026年13月1日", "1.38E+10", "2026-11-24 13:30", "0026-01-01"])
def test_bad_dates_are_rejected_never_guessed(text):
    with pytest.raises(FieldError) as err:
        f.parse_date("date", text, today=TODAY)
    assert err.value.field == "date"


def test_future_date_rejected_unless_allowed():
    with pytest.raises(FieldError, match="future"):
        f.parse_date("date", "2026-12-01", today=TODAY)
    assert f.parse_date("date", "2026-12-01", today=TODAY, allow_future=True) == "2026-12-01"


@pytest.mark.parametrize("text,expected", [("1950年3月", "1950-03"), ("1950-03", "1950-03"),
                                           ("1950/3", "1950-03"), ("1950.3", "1950-03"),
                                           ("1950年3月12日", "1950-03-12"), ("19500312", "1950-03-12")])
def test_month_or_date(text, expected):
    assert f.parse_date_or_month("born_on", text, today=TODAY) == expected


@pytest.mark.parametrize("text", ["1950-13", "1950年", "3月", "1899-01"])
def test_bad_months(text):
    with pytest.raises(FieldError):
        f.parse_date_or_month("born_on", text, today=TODAY)


def test_empty_is_none_and_required_is_enforced():
    assert f.parse_date("date", "  ", today=TODAY) is None
    with pytest.raises(FieldError, match="required"):
        f.parse_date("date", "", required=True, today=TODAY)


# --- resident ID ------------------------------------------------------------------------


def test_valid_id_and_lower_case_x_upper_cased():
    assert f.parse_id_card("id_card", "310116195003121230") == "310116195003121230"
    x = "31011619900101005x"
    assert f.parse_id_card("id_card", x) == x.upper()
    assert f.id_birth("310116195003121230") == "1950-03-12"
    assert f.id_gender("310116195003121230") == "M"
    assert f.id_gender("310116198506072024") == "F"


@pytest.mark.parametrize("text,reason", [
    ("310116195003121234", "check digit"),
    ("310116500312123", "15-digit"),
    ("3.10116E+17", "scientific notation"),
    ("310116195013321234", "birth date"),
    ("31011619500312123", "18-character"),
    ("31011619500312123A", "18-character"),
])
def test_bad_ids_name_the_reason(text, reason):
    with pytest.raises(FieldError) as err:
        f.parse_id_card("id_card", text, today=TODAY)
    assert reason in err.value.message("en")
    assert err.value.message("zh").startswith("身份证号：")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_digit_round_trip(first17):
    full = first17 + f.id_check_char(first17)
    try:
        assert f.parse_id_card("id_card", full, today=TODAY) == full
    except FieldError as err:  # only the embedded birth date may be wrong
        assert "birth" in err.message("en")


@given(st.text(alphabet="0123456789", min_size=17, max_size=17))
def test_check_char_is_the_weighted_sum_of_gb_11643(first17):
    """The base-13 shortcut equals the standard's table of weights, digit by digit."""
    weighted = sum(int(d) * w for d, w in zip(first17, f._ID_WEIGHTS, strict=True))
    assert f.id_check_char(first17) == "10X98765432"[weighted % 11]


@pytest.mark.parametrize("full", ["11010519491231002X", "440524188001010014",
                                  "31022819770703440X"])
def test_check_char_of_known_numbers(full):
    assert f.id_check_char(full[:17]) == full[17]


# --- phones -----------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [
    ("13812345678", "13812345678"), ("138 1234 5678", "13812345678"),
    ("+86 138-1234-5678", "13812345678"), ("13812345678.0", "13812345678"),
    ("021-57941234", "021-57941234"), ("02157941234", "021-57941234"),
    ("0573-8765432", "0573-8765432"), ("021-57941234-801", "021-57941234-801"),
])
def test_phones(text, expected):
    assert f.parse_phone("phone", text) == expected


@pytest.mark.parametrize("text", ["1.38E+10", "12345", "23812345678", "1381234567", "电话"])
def test_bad_phones(text):
    with pytest.raises(FieldError) as err:
        f.parse_phone("phone", text)
    if "E+" in text:
        assert "scientific" in err.value.message("en")


def test_masks():
    assert f.mask_phone("13812345678") == "138****5678"
    assert f.mask_phone("021-57941234") == "021-****1234"
    assert f.mask_id_card("31011619900101005X") == "310***********005X"


# --- small cells ------------------------------------------------------------------------


@pytest.mark.parametrize("text,expected", [("是", True), ("否", False), ("有", True), ("无", False),
                                           ("✓", True), ("✗", False), ("YES", True), ("no", False),
                                           ("true", True), ("False", False), ("1", True),
                                           ("0", False), ("1.0", True)])
def test_yes_no_cells(text, expected):
    assert f.parse_bool("ok", text) is expected


def test_bad_bool():
    with pytest.raises(FieldError):
        f.parse_bool("ok", "maybe")


def test_gender_aliases():
    assert [f.parse_gender("gender", v) for v in ("男", "女", "m", "F", "male")] == \
        ["M", "F", "M", "F", "M"]
    with pytest.raises(FieldError):
        f.parse_gender("gender", "未知")


def test_codes_keep_leading_zeros_and_drop_excel_decimal():
    assert f.parse_code("member_no", "000123") == "000123"
    assert f.parse_code("member_no", "123.0") == "123"
    with pytest.raises(FieldError, match="scientific"):
        f.parse_code("member_no", "1.23E+05")
    with pytest.raises(FieldError):
        f.parse_code("member_no", "12 34")


def test_split_list_on_every_separator():
    assert f.split_list("0001,0002;0003、0004，0005 0006；0007") == \
        ["0001", "0002", "0003", "0004", "0005", "0006", "0007"]
    assert f.split_list("") == []


def test_counts_and_hours():
    assert f.parse_count("served", "12") == 12
    assert f.parse_count("served", "12.0") == 12
    assert f.parse_hours("hours", "2.5") == 2.5
    for bad in ("-1", "1.5", "abc"):
        with pytest.raises(FieldError):
            f.parse_count("served", bad)
    for bad in ("-0.5", "nan", "inf", "两小时"):
        with pytest.raises(FieldError):
            f.parse_hours("hours", bad)


@given(st.text(max_size=30))
def test_parsers_only_ever_raise_field_errors(text):
    for parse in (lambda v: f.parse_date("date", v, today=TODAY),
                  lambda v: f.parse_date_or_month("born_on", v, today=TODAY),
                  lambda v: f.parse_id_card("id_card", v, today=TODAY),
                  lambda v: f.parse_phone("phone", v), lambda v: f.parse_bool("ok", v),
                  lambda v: f.parse_gender("gender", v), lambda v: f.parse_count("served", v),
                  lambda v: f.parse_hours("hours", v), lambda v: f.parse_code("code", v)):
        try:
            parse(text)
        except FieldError as err:
            assert err.message("zh") and err.message("en")


# --- the quick path of a clean cell equals the general one ------------------------------
# A cell with spaces around it always takes the general path (it is cleaned first); the
# same text without them may take the quick one. Both must give the same value or error.


def _outcome(parse, text):
    try:
        return ("ok", parse(text))
    except FieldError as err:
        return ("error", err.message("en"))


@given(st.text(alphabet="0123456789Xx", min_size=17, max_size=19))
def test_id_quick_path_equals_general_path(text):
    parse = lambda t: f.parse_id_card("id_card", t, today=TODAY)  # noqa: E731
    assert _outcome(parse, text) == _outcome(parse, f" {text} ")


@given(st.one_of(st.text(alphabet="0123456789", min_size=10, max_size=12),
                 st.from_regex(r"1[0-9]{10}", fullmatch=True)))
def test_phone_quick_path_equals_general_path(text):
    parse = lambda t: f.parse_phone("phone", t)  # noqa: E731
    assert _outcome(parse, text) == _outcome(parse, f" {text} ")


@given(st.from_regex(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", fullmatch=True))
def test_iso_day_quick_path_equals_general_path(text):
    for parse in (lambda t: f.parse_date("d", t, today=TODAY),
                  lambda t: f.parse_date_or_month("d", t, today=TODAY)):
        assert _outcome(parse, text) == _outcome(parse, f" {text} ")


@pytest.mark.parametrize(("typed", "said"), [
    ("2026-11-31", "日期：没有这一天：“2026-11-31”（2026 年 11 月只有 30 天）"),
    ("2026年2月29日", "日期：没有这一天：“2026年2月29日”（2026 年 2 月只有 28 天）"),
    ("20240230", "日期：没有这一天：“20240230”（2024 年 2 月只有 29 天）"),
    ("2026/13/01", "日期：没有这个月份：“2026/13/01”（月份应为 1 到 12）"),
    ("明天", "日期：无法识别的日期“明天”（可用 2026-11-24、2026/11/24、2026.11.24、20261124、"
             "2026年11月24日）"),
])
def test_a_day_that_does_not_exist_is_said_so(typed, said):
    from cbtool.errors import FieldError
    from cbtool.fields import parse_date

    with pytest.raises(FieldError) as caught:
        parse_date("date", typed, today=date(2026, 12, 1))
    assert caught.value.message("zh") == said
