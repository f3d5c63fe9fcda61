"""One parser per kind of value: dates, months, periods, ID numbers, phones, genders,
yes/no cells, lists, counts, codes — and the masks for sensitive values.

Every function here is pure (no database, no terminal). Each parser takes the raw text a
user or a spreadsheet gave, returns the stored form, and raises ``FieldError`` naming the
field and the reason when the text is not acceptable. Nothing is ever guessed.

Why one module of ~930 lines: it is the one place every validator, importer and command
takes its parsers from (``from cbtool import fields as f``), so that no value is parsed two
ways; its sections (messages, dates, periods, ID numbers, phones, other scalars, masks,
values as offices type them, money in fen) are short and independent of each other.
"""

from __future__ import annotations

import functools
import math
import re
import unicodedata
from collections.abc import Callable, Iterable
from datetime import date, timedelta
from typing import Any, NamedTuple

from cbtool import clock
from cbtool.errors import FieldError, InvalidInput
from cbtool.lazyre import lazy
from cbtool.text import UNTYPEABLE, Msg, field_label

# --- messages -------------------------------------------------------------------------

BAD_DATE = Msg(
    "{field}：无法识别的日期“{value}”（可用 2026-11-24、2026/11/24、2026.11.24、20261124、2026年11月24日）",
    "{field}: not a date: '{value}' (use 2026-11-24, 2026/11/24, 2026.11.24, 20261124 "
    "or 2026年11月24日)",
)
BAD_MONTH = Msg(
    "{field}：无法识别的日期或年月“{value}”（可用 2026-11-24 或 1950-03、1950年3月）",
    "{field}: not a date or month: '{value}' (use 2026-11-24, or 1950-03 / 1950年3月)",
)
FUTURE_DATE = Msg("{field}：{value} 晚于今天", "{field}: {value} is in the future")
NO_SUCH_DAY = Msg("{field}：没有这一天：“{value}”（{year} 年 {month} 月只有 {days} 天）",
                  "{field}: no such day: '{value}' ({year}-{month:02d} has {days} days)")
NO_SUCH_MONTH = Msg("{field}：没有这个月份：“{value}”（月份应为 1 到 12）",
                    "{field}: no such month: '{value}' (months are 1 to 12)")
BAD_PERIOD = Msg(
    "无法识别的期间“{value}”（可用 2026-11、2026年11月、2026/11；2026-Q4、2026Q4、2026年第四季度；"
    "2026、2026年；2026-11-01..2026-11-30、2026年11月1日至2026年11月30日；"
    "this-month、last-month、this-year、last-year）",
    "not a period: '{value}' (use a month 2026-11, 2026年11月, 2026/11; a quarter 2026-Q4, "
    "2026Q4, 2026年第四季度; a year 2026, 2026年; a range 2026-11-01..2026-11-30 or "
    "2026年11月1日至2026年11月30日; this-month, last-month, this-year or last-year)",
)
REVERSED_PERIOD = Msg(
    "期间“{value}”的开始日期晚于结束日期", "period '{value}': the start is after the end"
)
MONTH_ONE_OR_TEN = Msg(
    "{field}：“{value}”可能是 {year}年1月，也可能是 Excel 把 {year}.10 存成了 {year}.1（10月）；"
    "请写成 {year}年1月 或 {year}年10月（或把该列设为文本后填写 {year}.01 / {year}.10）",
    "{field}: '{value}' may be January {year}, or October ({year}.10, which Excel stores as "
    "{year}.1); write {year}-01 or {year}-10 (or format the column as text: {year}.01 / "
    "{year}.10)",
)
EXCEL_NUMBER = Msg(
    "{field}：“{value}”是被 Excel 改成科学计数法的数字，原值已丢失；请把该列设为文本后重新导出",
    "{field}: '{value}' is a number Excel turned into scientific notation and the digits "
    "are lost; format the column as text and export again",
)
EXCEL_SERIAL = Msg(
    "{field}：“{value}”像是 Excel 的日期序号（即 {day}）：单元格丢了日期格式；请把该列设为日期格式，"
    "或直接写成 {day}",
    "{field}: '{value}' looks like an Excel date serial number ({day}): the cell lost its date "
    "format; format the column as dates, or write {day}",
)
ID_LEGACY = Msg(
    "{field}：“{value}”是 15 位旧身份证号，请填写 18 位公民身份号码",
    "{field}: '{value}' is a legacy 15-digit ID number; give the 18-character one",
)
ID_FORMAT = Msg(
    "{field}：“{value}”不是 18 位公民身份号码（17 位数字加校验位 0-9 或 X）",
    "{field}: '{value}' is not an 18-character resident ID (17 digits and a check "
    "character 0-9 or X)",
)
ID_BIRTH = Msg(
    "{field}：“{value}”中的出生日期 {birth} 无效",
    "{field}: the birth date {birth} inside '{value}' is not valid",
)
ID_CHECK = Msg(
    "{field}：“{value}”的校验位错误（应为 {expected}）",
    "{field}: wrong check digit in '{value}' (expected {expected})",
)
BAD_PHONE = Msg(
    "{field}：“{value}”不是 11 位手机号或带区号的固定电话（如 021-12345678）",
    "{field}: '{value}' is not an 11-digit mobile number or a landline with area code "
    "(e.g. 021-12345678)",
)
BAD_GENDER = Msg("{field}：“{value}”应为 男/女 或 M/F", "{field}: '{value}' must be M/F or 男/女")
BAD_BOOL = Msg(
    "{field}：“{value}”应为 是/否、有/无、✓/✗、yes/no、true/false 或 1/0",
    "{field}: '{value}' must be one of 是/否, 有/无, ✓/✗, yes/no, true/false, 1/0",
)
BAD_COUNT = Msg(
    "{field}：“{value}”应为不小于 0 的整数", "{field}: '{value}' must be a whole number ≥ 0"
)
BAD_HOURS = Msg("{field}：“{value}”应为不小于 0 的数", "{field}: '{value}' must be a number ≥ 0")
BAD_CODE = Msg(
    "{field}：“{value}”不是有效的编号（不能为空或含空格、逗号、顿号、分号，最长 32 个字符）",
    "{field}: '{value}' is not a valid code (non-empty, no spaces, commas or semicolons, "
    "at most 32 characters)",
)
FORMULA_CODE = Msg(
    "{field}：“{value}”不是有效的编号（编号不能以 = + - @ 开头，电子表格会把它当作公式）",
    "{field}: '{value}' is not a valid code (a code cannot start with = + - @, which a "
    "spreadsheet runs as a formula)",
)
SCALAR_CODE = Msg(
    "{field}：{value} 是小数或真假值，不是编号（编号应为文本或整数）",
    "{field}: {value} is a decimal number or true/false, not a code (a code is text or a "
    "whole number)",
)
BAD_DAYS = Msg("{field}：天数应在 1 到 {limit} 之间，实际是 {value}",
               "{field}: the number of days must be from 1 to {limit}, not {value}")
REQUIRED = Msg("{field}：必填", "{field}: required")
CONTROL_CHAR = Msg("{field}：含有不可见的控制字符", "{field}: contains invisible control characters")
TOO_LONG = Msg("{field}：超过 {limit} 个字符", "{field}: longer than {limit} characters")

# A span of days ("not reached in N days", "stale after N days"): a century is more than
# any record here covers, and it keeps "today minus N days" inside the calendar.
MAX_DAYS = 36_500

# --- small helpers --------------------------------------------------------------------


def parse_fields(
    parsers: dict[str, Callable[[object], object]], raw: dict[str, object]
) -> tuple[dict[str, Any], list[FieldError]]:
    """Parse every given field; return the values and *every* problem (not just the first)."""
    values: dict[str, Any] = {}
    problems: list[FieldError] = []
    for name, value in raw.items():
        try:
            values[name] = parsers[name](value)
        except FieldError as exc:
            problems.append(exc)
    return values, problems


NOT_CLEARABLE = Msg("没有可清空的字段“{field}”（可用：{allowed}）",
                    "no field '{field}' to clear (one of: {allowed})")
SET_AND_CLEAR = Msg("{field} 不能同时设置和清空", "{field} cannot be both set and cleared")


def clear_keys(clear: Iterable[str], clearable: Iterable[str], kind: str) -> list[str]:
    """``--clear`` names as a clerk types them: a field's key (``note``) or its name as
    ``kind`` shows it (``备注``); anything else is left for the caller to refuse."""
    by_label = {field_label(key, "zh", kind): key for key in clearable}
    return [by_label.get(name.strip(), name) if isinstance(name, str) else name
            for name in clear]


def edit_given(raw: dict[str, object], clear: Iterable[str], *, editable: Iterable[str],
               clearable: Iterable[str]) -> dict[str, object]:
    """The fields an edit gives (``raw``'s values that are not None, of ``editable``),
    after checking its ``clear`` list: each one clearable, none also given."""
    clearable = list(clearable)
    for name in clear:
        if name not in clearable:
            raise InvalidInput(NOT_CLEARABLE, field=name, allowed=", ".join(clearable))
    editable = set(editable)
    given = {k: v for k, v in raw.items() if v is not None and k in editable}
    if both := [name for name in clear if name in given]:
        raise InvalidInput(SET_AND_CLEAR, field=both[0])
    return given


def parse_edit(parsers: dict[str, Callable[[object], object]], raw: dict[str, object],
               clear: Iterable[str], *, editable: Iterable[str], clearable: Iterable[str],
               empty: dict[str, object] | None = None) -> dict[str, Any]:
    """An edit's new values: the given fields parsed (the first problem raised) and each
    cleared field set to its empty value (``empty``, default None; [] for a list)."""
    clear = list(clear)
    values, problems = parse_fields(parsers, edit_given(raw, clear, editable=editable,
                                                        clearable=clearable))
    if problems:
        raise problems[0]
    empty = empty or {}
    values.update({name: empty.get(name) for name in clear})
    return values


def clean(value: object) -> str | None:
    """Strip a raw cell; empty and whitespace-only become None."""
    if value is None:
        return None
    text = str(value).strip()
    if "\u3000" in text:  # the full-width space of Chinese input methods
        text = text.replace("\u3000", " ").strip()
    return text or None


_CONTROL = UNTYPEABLE  # controls (tab, newline, CR allowed), bidi overrides, U+009B …
_SCI = lazy(r"^[+-]?\d+(\.\d+)?[eE][+-]?\d+$")
_TRAILING_ZERO = lazy(r"^(\d+)\.0+$")


def is_excel_scientific(text: str) -> bool:
    if "e" not in text and "E" not in text:  # the common case, without a regex
        return False
    return bool(_SCI.match(text.strip()))


def strip_excel_decimal(text: str) -> str:
    """``'00123.0'`` → ``'00123'``: Excel's trailing ``.0`` on a number-like code."""
    if "." not in text:
        return text
    m = _TRAILING_ZERO.match(text)
    return m.group(1) if m else text


def text_field(field: str, value: object, *, required: bool = False, limit: int = 500) -> str | None:
    text = clean(value)
    if text is None:
        if required:
            raise FieldError(field, REQUIRED)
        return None
    if len(text) > limit:
        raise FieldError(field, TOO_LONG, limit=limit)
    if _CONTROL.search(text):
        raise FieldError(field, CONTROL_CHAR)
    return text


def halfwidth(text: str) -> str:
    """Full-width letters and digits of Chinese input methods (``０００１``, ``Ａ01``) as
    ASCII; ordinary Chinese text is unchanged (NFKC)."""
    return text if text.isascii() else unicodedata.normalize("NFKC", text)


def digits_text(field: str, value: object,
                mask: Callable[[str], str | None] | None = None) -> str | None:
    """A cell meant to hold digits (codes, ID numbers, phones): cleaned, full-width made
    ASCII; Excel's scientific notation (``1.38E+10``) is refused, its digits are gone.
    ``mask`` hides a personal number in the message (as tables show it)."""
    text = clean(value)
    if text is None:
        return None
    text = halfwidth(text)
    if is_excel_scientific(text):
        raise FieldError(field, EXCEL_NUMBER, value=mask(text) if mask else text)
    return text


class Scalar(str):
    """A spreadsheet's or JSON's number or true/false as text (``"12.5"``, ``"true"``,
    ``"nan"``): read as that text by every field, except codes, which are text or whole
    numbers. (A whole number comes as plain text, ``104`` and ``104.0`` as ``"104"``.) It
    equals its text; ``clean`` gives plain text back (codes are parsed uncached, each
    cell on its own, so the mark is never lost to a cache)."""

    __slots__ = ()


_CODE_FORBIDDEN = lazy(r"[\s,;、，；]")  # what separates codes in a list cell
# What a spreadsheet runs as a formula when a cell starts with it (after NFKC, which makes
# the full-width ＝＋－＠ of Chinese input methods these).
_FORMULA_START = ("=", "+", "-", "@")


def parse_code(field: str, value: object) -> str:
    """A key typed by people or exported by Excel: member number, area or point code.

    Leading zeros are kept (it is text); a trailing ``.0`` is stripped; scientific
    notation is rejected because the digits are gone; a number with decimals or a
    true/false cell (``Scalar``) is not a code; nor is text a spreadsheet would run as a
    formula (starting ``=`` ``+`` ``-`` ``@``, full-width too).
    """
    if value.__class__ is str and value.isascii() and value.isdigit() and len(value) <= 32:
        return value  # plain digits (the usual member number): what the checks below give
    text = digits_text(field, value)
    if text is None:
        raise FieldError(field, REQUIRED)
    text = strip_excel_decimal(text)
    if len(text) > 32 or not text.isprintable() or (
            not text.isalnum() and _CODE_FORBIDDEN.search(text)):  # alnum: no separators
        raise FieldError(field, BAD_CODE, value=text)
    if value.__class__ is Scalar:
        raise FieldError(field, SCALAR_CODE, value=text)
    if text.startswith(_FORMULA_START):
        raise FieldError(field, FORMULA_CODE, value=text)
    return text


_LIST_SEPARATORS = lazy(r"[,;、，；\s]+")


def split_list(value: object) -> list[str]:
    """Split a cell of several values: ``,`` ``;`` ``、`` ``，`` ``；`` or white space."""
    text = clean(value)
    if text is None:
        return []
    return [part for part in _LIST_SEPARATORS.split(text) if part]


_NAME_SEPARATORS = lazy(r"[,;、，；]+")


def split_names(value: object) -> list[str]:
    """``split_list`` for a list of people's names typed with the padding of Chinese
    rosters (``沈　佳怡，王芳``): only , ; 、 ， ； separate, a space inside a name is padding."""
    text = clean(value)
    if text is None:
        return []
    parts = (unpadded(part) for part in _NAME_SEPARATORS.split(text))
    return [part for part in parts if part]


# --- dates ----------------------------------------------------------------------------

_DATE_PATTERNS = (
    lazy(r"^(\d{4})-(\d{1,2})-(\d{1,2})$"),
    lazy(r"^(\d{4})/(\d{1,2})/(\d{1,2})$"),
    lazy(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    lazy(r"^(\d{4})(\d{2})(\d{2})$"),
    lazy(r"^(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*[日号]?$"),
)
_MONTH_PATTERNS = (
    lazy(r"^(\d{4})-(\d{1,2})$"),
    lazy(r"^(\d{4})/(\d{1,2})$"),
    lazy(r"^(\d{4})\.(\d{1,2})$"),
    lazy(r"^(\d{4})\s*年\s*(\d{1,2})\s*月?$"),
)
# Excel saves a date cell as "2026/11/24 0:00" or "2026-11-24 00:00:00": the time of
# day carries nothing for a date field and is dropped; anything else stays rejected.
_MIDNIGHT = lazy(r"[ T]0{1,2}:00(:00(\.0+)?)?$")


def _date_parts(text: str) -> tuple[int, int, int] | None:
    """Year, month and day of text in one of the date forms, whether or not that day
    exists (``2026-02-30`` too); None for text in no date form."""
    m = _DATE_PATTERNS[0].match(text)  # the usual 2026-11-24 (no time of day to drop)
    if m is None:
        text = _MIDNIGHT.sub("", text)
        for pattern in _DATE_PATTERNS:
            m = pattern.match(text)
            if m:
                break
        else:
            return None
    y, mo, d = m.groups()
    return int(y), int(mo), int(d)


def _match_date(text: str) -> date | None:
    parts = _date_parts(text)
    if parts is None:
        return None
    try:
        return date(*parts)
    except ValueError:
        return None


_ISO_DAY = lazy(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def _iso_day(value: object) -> date | None:
    """The day of an already clean ISO cell (``2026-11-24``, the usual one), else None:
    then the general path below reads it (and names what is wrong)."""
    if value.__class__ is str and len(value) == 10 and _ISO_DAY.match(value):
        try:
            day = date.fromisoformat(value)
        except ValueError:
            return None
        return day if day.year >= 1900 else None
    return None


def _date_text(field: str, value: object, required: bool) -> str | None:
    if isinstance(value, date):
        value = value.isoformat()
    text = clean(value)
    if text is None and required:
        raise FieldError(field, REQUIRED)
    return text


def _bad_day(field: str, text: str, msg: Msg) -> FieldError:
    """The error of text that is no date: said as an Excel serial number that lost its
    date format where it reads as one of 1901–2099 (``46330`` is 2026-11-04; the day is
    shown, never taken)."""
    if text.isascii() and text.isdigit() and len(text) == 5:
        serial = int(text)
        if 367 <= serial <= 73050:  # 1901-01-01 … 2099-12-31
            from openpyxl.utils.datetime import from_excel

            day = from_excel(serial).date().isoformat()
            return FieldError(field, EXCEL_SERIAL, value=text, day=day)
    parts = _date_parts(text)
    if parts is not None and parts[0] >= 1900:  # a date's form, of a day that is not
        year, month, _ = parts
        if not 1 <= month <= 12:
            return FieldError(field, NO_SUCH_MONTH, value=text)
        import calendar

        return FieldError(field, NO_SUCH_DAY, value=text, year=year, month=month,
                          days=calendar.monthrange(year, month)[1])
    return FieldError(field, msg, value=text)


def parse_date(
    field: str, value: object, *, required: bool = False, allow_future: bool = False,
    today: date | None = None,
) -> str | None:
    """Parse a day in any accepted form; return ISO ``YYYY-MM-DD`` (None when empty)."""
    day = _iso_day(value)
    if day is None:
        text = _date_text(field, value, required)
        if text is None:
            return None
        day = _match_date(text)
        if day is None or day.year < 1900:
            raise _bad_day(field, text, BAD_DATE)
    if not allow_future and day > (today or clock.today()):
        raise FieldError(field, FUTURE_DATE, value=day.isoformat())
    return day.isoformat()


def parse_date_or_month(
    field: str, value: object, *, required: bool = False, today: date | None = None,
    allow_future: bool = False,
) -> str | None:
    """Like ``parse_date`` but a month alone (``1950年3月``) is kept as ``1950-03``;
    ``allow_future`` for a day agreed ahead (a pairing's end)."""
    today = date.max if allow_future else (today or clock.today())
    day = _iso_day(value)
    if day is not None:
        if day > today:
            raise FieldError(field, FUTURE_DATE, value=value)
        return value  # type: ignore[return-value]  # (_iso_day: a clean ISO str)
    text = _date_text(field, value, required)
    if text is None:
        return None
    # A full ISO date matches no month pattern: skip them for the usual 2026-11-24.
    for pattern in () if _DATE_PATTERNS[0].match(text) else _MONTH_PATTERNS:
        m = pattern.match(text)
        if m:
            y, mo = int(m.group(1)), int(m.group(2))
            if m.group(2) == "1" and pattern is _MONTH_PATTERNS[2]:  # 1950.1: Jan or Oct?
                raise FieldError(field, MONTH_ONE_OR_TEN, value=text, year=m.group(1))
            if not (1 <= mo <= 12) or y < 1900:
                raise FieldError(field, BAD_MONTH, value=text)
            if (y, mo) > (today.year, today.month):
                raise FieldError(field, FUTURE_DATE, value=f"{y:04d}-{mo:02d}")
            return f"{y:04d}-{mo:02d}"
    day = _match_date(text)
    if day is None or day.year < 1900:
        raise _bad_day(field, text, BAD_MONTH)
    if day > today:
        raise FieldError(field, FUTURE_DATE, value=day.isoformat())
    return day.isoformat()


def month_first_day(value: str | None) -> str | None:
    """A month ``parse_date_or_month`` kept (``2026-03``) as the day it starts from, its
    first (``2026-03-01``) — the rule brands, 入党时间 and ages count by; a day as it is."""
    return f"{value}-01" if value is not None and len(value) == 7 else value


def month_last_day(value: str | None) -> str | None:
    """A month (``2026-12``) as the day it runs to, its last (``2026-12-31``): an end
    typed as a month covers the whole month; a day as it is."""
    if value is None or len(value) != 7:
        return value
    import calendar

    year, month = int(value[:4]), int(value[5:])
    return f"{value}-{calendar.monthrange(year, month)[1]:02d}"


# --- periods --------------------------------------------------------------------------


class Period(NamedTuple):
    """A span of days by its canonical label (``2026-11``, ``2026-Q4`` …). (A named tuple:
    every command imports this module, and a dataclass costs ~0.5 ms to define.)"""

    label: str
    start: date
    end: date

    def as_dict(self) -> dict[str, str]:
        return {"label": self.label, "start": self.start.isoformat(), "end": self.end.isoformat()}

    def as_of(self, today: date | None = None) -> date:
        """The day figures are taken on: the last day, or today if not yet ended."""
        today = today or clock.today()
        return self.end if self.end < today else today


def _month(y: int, m: int) -> Period:
    import calendar  # a period's only: every command imports this module

    last = calendar.monthrange(y, m)[1]
    return Period(f"{y:04d}-{m:02d}", date(y, m, 1), date(y, m, last))


def _year(y: int) -> Period:
    return Period(f"{y:04d}", date(y, 1, 1), date(y, 12, 31))


def parse_period(value: object, *, today: date | None = None) -> Period:
    """``2026``, ``2026-Q4``, ``2026-11``, ``A..B``, ``this-month``, ``last-month``,
    ``this-year``, ``last-year``; and as staff type them: ``2026年``, ``2026年11月``,
    ``2026/11``, ``2026.11``, ``2026Q4``, ``2026年第四季度`` (四季度, 第4季度),
    ``A至B`` / ``A~B`` with any date form. The label is always the canonical form."""
    from cbtool.errors import InvalidInput

    text = clean(value)
    if text is None:
        raise InvalidInput(BAD_PERIOD, value="")
    today = today or clock.today()
    # The canonical forms (what scripts and the help use) first: most commands' periods are
    # those, and need none of the patterns of the forms staff type.
    period = _canonical_period(text, today, text)
    if period is None:
        period = _canonical_period(_as_canonical(text), today, text)
    if period is None:
        raise InvalidInput(BAD_PERIOD, value=text)
    return period


def _as_canonical(text: str) -> str:
    """A period as staff type it (``2026年11月``, ``2026年第四季度``, ``A至B`` …) in its
    canonical form (``2026-11``, ``2026-Q4``, ``A..B``); other text as it is."""
    if m := re.fullmatch(r"(\d{4})\s*年(?:度|份)?", text):
        return m.group(1)
    if m := re.fullmatch(r"(\d{4})\s*(?:年\s*(\d{1,2})\s*月份?|[/.](\d{1,2}))", text):
        return f"{m.group(1)}-{m.group(2) or m.group(3)}"
    if m := (re.fullmatch(r"(\d{4})\s*年?\s*-?\s*[Qq]\s*([1-4])", text)
             or re.fullmatch(r"(\d{4})\s*年\s*第?\s*([1-4一二三四])\s*季度", text)):
        return f"{m.group(1)}-Q{'一二三四'.find(m.group(2)) + 1 or m.group(2)}"
    if m := re.fullmatch(r"(.+?)\s*(?:至|到|~|～|—)\s*(.+)", text):
        return f"{m.group(1)}..{m.group(2)}"
    return text


def _canonical_period(text: str, today: date, typed: str) -> Period | None:
    """The period a canonical form names; None for any other text. A year before 1900
    and a range that ends before it starts are refused (as ``typed``)."""
    from cbtool.errors import InvalidInput

    low = text.lower()
    if low == "this-month":
        return _month(today.year, today.month)
    if low == "last-month":
        first = today.replace(day=1) - timedelta(days=1)
        return _month(first.year, first.month)
    if low == "this-year":
        return _year(today.year)
    if low == "last-year":
        return _year(today.year - 1)
    if (m := re.match(r"(\d{4})", text)) and int(m.group(1)) < 1900:
        raise InvalidInput(BAD_PERIOD, value=typed)
    if m := re.fullmatch(r"(\d{4})", text):
        return _year(int(m.group(1)))
    if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", text):
        y, q = int(m.group(1)), int(m.group(2))
        start = date(y, 3 * q - 2, 1)
        end_month = 3 * q
        end = _month(y, end_month).end
        return Period(f"{y:04d}-Q{q}", start, end)
    if m := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
        y, mo = int(m.group(1)), int(m.group(2))
        if 1 <= mo <= 12:
            return _month(y, mo)
    if ".." in text:
        left, _, right = text.partition("..")
        start, end = _match_date(left.strip()), _match_date(right.strip())
        if start and end:
            if start > end:
                raise InvalidInput(REVERSED_PERIOD, value=typed)
            return Period(f"{start.isoformat()}..{end.isoformat()}", start, end)
    return None


# --- resident ID (GB 11643) -----------------------------------------------------------

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
_ID15 = lazy(r"\d{15}")
_ID18 = lazy(r"\d{17}[\dX]")
_ID18_ASCII = lazy(r"[0-9]{17}[0-9X]")  # \d also takes other scripts' digits


@functools.lru_cache(maxsize=65536)
def _id_born(birth: str) -> date | None:
    """The birth date of an ID's 8 digits, None if no such day or before 1900."""
    try:
        born = date(int(birth[:4]), int(birth[4:6]), int(birth[6:]))
    except ValueError:
        return None
    return born if born.year >= 1900 else None


def id_check_char(first17: str) -> str:
    """The GB 11643 check character of the first 17 digits.

    The weights are 2**17 … 2**1 mod 11 (7, 9, 10, 5, …). Read as a base-13 number the
    digits give Σ d·13**(16-i), and 13 ≡ 2 (mod 11): twice that is the weighted sum mod 11
    — one C call instead of 17 multiplications (``_ID_WEIGHTS`` is the table it equals).
    """
    return _ID_CHECK[2 * int(first17, 13) % 11]


def parse_id_card(field: str, value: object, *, today: date | None = None) -> str | None:
    if value.__class__ is str and len(value) == 18 and _ID18_ASCII.fullmatch(value):
        text = value  # the usual cell, already clean (else: the whole path below)
    else:
        text = digits_text(field, value, mask_id_card)
        if text is None:
            return None
        text = strip_excel_decimal(text).replace(" ", "").upper()
        if not _ID18.fullmatch(text):  # (15 digits cannot match it)
            if _ID15.fullmatch(text):
                raise FieldError(field, ID_LEGACY, value=mask_id_card(text))
            raise FieldError(field, ID_FORMAT, value=mask_id_card(text))
    # Messages show the number masked, as tables do: with the right check character the
    # 17 typed digits are somebody's whole ID.
    birth = text[6:14]
    born = _id_born(birth)
    if born is None or born > (today or clock.today()):
        raise FieldError(field, ID_BIRTH, value=mask_id_card(text), birth=birth)
    expected = id_check_char(text[:17])
    if text[17] != expected:
        raise FieldError(field, ID_CHECK, value=mask_id_card(text), expected=expected)
    return text


def id_birth(id_card: str) -> str:
    """ISO birth date embedded in a valid ID number."""
    return f"{id_card[6:10]}-{id_card[10:12]}-{id_card[12:14]}"


def id_gender(id_card: str) -> str:
    """``M`` or ``F`` from the 17th digit of a valid ID number (odd = male)."""
    return "M" if int(id_card[16]) % 2 else "F"


# --- phones ---------------------------------------------------------------------------

_MOBILE = lazy(r"^1[3-9]\d{9}$")
_MOBILE_ASCII = lazy(r"1[3-9][0-9]{9}")
_LANDLINE = lazy(r"^(0\d{2,3})-(\d{7,8})(?:-(\d{1,6}))?$")
# Without a hyphen the area code's length is known: 3 digits for 010 and 02x, else 4.
_LANDLINE_BARE = lazy(r"^(01\d|02\d|0[3-9]\d{2})(\d{7,8})$")
_PHONE_NOISE = lazy(r"[\s()（）]")


def parse_phone(field: str, value: object) -> str | None:
    """11-digit mobile (stored as digits) or landline with area code (``021-12345678``)."""
    if value.__class__ is str and len(value) == 11 and _MOBILE_ASCII.match(value):
        return value  # the usual cell: a clean mobile number
    text = digits_text(field, value, mask_phone)
    if text is None:
        return None
    compact = strip_excel_decimal(_PHONE_NOISE.sub("", text))
    if compact.startswith("+86"):
        compact = compact[3:]
    digits_only = compact.replace("-", "")
    if _MOBILE.match(digits_only):
        return digits_only
    m = _LANDLINE.match(compact) or _LANDLINE_BARE.match(compact)
    if m:
        area, number, ext = (*m.groups(), None)[:3]
        return f"{area}-{number}" + (f"-{ext}" if ext else "")
    raise FieldError(field, BAD_PHONE, value=mask_phone(text))  # masked, as in tables


# --- other scalars --------------------------------------------------------------------

_GENDERS = {"m": "M", "male": "M", "男": "M", "f": "F", "female": "F", "女": "F"}


def parse_gender(field: str, value: object) -> str | None:
    text = clean(value)
    if text is None:
        return None
    try:
        return _GENDERS[text.lower()]
    except KeyError:
        raise FieldError(field, BAD_GENDER, value=text) from None


_TRUE = {"是", "有", "✓", "✔", "√", "yes", "y", "true", "t", "1", "ok", "合格", "具备"}
_FALSE = {"否", "无", "没有", "✗", "✘", "×", "x", "no", "n", "false", "f", "0", "不合格", "不具备"}


def parse_bool(field: str, value: object) -> bool | None:
    if isinstance(value, bool):
        return value
    text = clean(value)
    if text is None:
        return None
    low = strip_excel_decimal(text.lower())
    if low in _TRUE:
        return True
    if low in _FALSE:
        return False
    raise FieldError(field, BAD_BOOL, value=text)


def parse_count(field: str, value: object) -> int | None:
    """A whole number ≥ 0 (``'12'``, ``'12.0'``)."""
    text = clean(value)
    if text is None:
        return None
    text = strip_excel_decimal(text.replace(",", ""))
    if not re.fullmatch(r"\+?\d{1,9}", text):
        raise FieldError(field, BAD_COUNT, value=text)
    return int(text)


def parse_hours(field: str, value: object) -> float | None:
    """A number of hours ≥ 0, kept to two decimals."""
    text = clean(value)
    if text is None:
        return None
    try:
        hours = float(text)
    except ValueError:
        raise FieldError(field, BAD_HOURS, value=text) from None
    if not math.isfinite(hours) or hours < 0 or hours > 1_000_000:
        raise FieldError(field, BAD_HOURS, value=text)
    return round(hours, 2)


# --- masks ----------------------------------------------------------------------------


def mask_phone(phone: str | None) -> str | None:
    """``13812345678`` → ``138****5678``; ``021-12345678`` → ``021-****5678``."""
    if not phone:
        return phone
    if "-" in phone:
        area, _, rest = phone.partition("-")
        return f"{area}-{'*' * max(len(rest) - 4, 0)}{rest[-4:]}"
    if len(phone) <= 7:
        return "*" * len(phone)
    return phone[:3] + "*" * (len(phone) - 7) + phone[-4:]


def mask_id_card(id_card: str | None) -> str | None:
    """``310101199001011234`` → ``310***********1234``."""
    if not id_card:
        return id_card
    if len(id_card) <= 7:
        return "*" * len(id_card)
    return id_card[:3] + "*" * (len(id_card) - 7) + id_card[-4:]


def mask_name(name: str | None) -> str | None:
    """``王建国`` → ``王**``, ``Li Wei`` → ``L*****``: an aid recipient's name as tables show
    it (the first character only)."""
    if not name:
        return name
    return name[0] + "*" * (len(name) - 1)


def mask_address(address: str | None) -> str | None:
    """``石化一村12号302室`` → ``石化一村*******``: an aid recipient's address as tables show
    it — the text before its first digit (the road or estate), at most half of it; the
    house and room numbers masked."""
    if not address:
        return address
    digit = next((i for i, ch in enumerate(address) if ch.isdigit()), len(address))
    keep = min(digit, len(address) // 2)
    return address[:keep] + "*" * (len(address) - keep)


# --- values as offices type them ------------------------------------------------------

LOCAL_PHONE = Msg(
    "{field}：“{value}”是没有区号的固定电话；请写成 021-{value} 这样，或在配置文件 [members] 中"
    "设置 area_code（如 \"021\"）",
    "{field}: '{value}' is a landline without its area code; write it as 021-{value}, or set "
    "area_code under [members] in the config (e.g. \"021\")",
)
_MONTH_DIGITS = lazy(r"(1[89]\d\d|2\d{3})(0[1-9]|1[0-2])")
_LOCAL = lazy(r"[2-9]\d{6,7}")
_NUMBER = lazy(r"[+]?[\d,]*\.?\d+")
_PERSON_SPACE = lazy(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")
COUNT_UNITS = ("人次", "人", "次", "名", "位")
HOUR_UNITS = ("个小时", "小时", "h", "H", "hrs", "hours")


def month_digits(value: object) -> object:
    """``195003`` (a month typed as six digits) → ``1950-03``; anything else as it is,
    for ``parse_date_or_month`` to read."""
    if value.__class__ is str and len(value) == 6 and _MONTH_DIGITS.fullmatch(value):
        return f"{value[:4]}-{value[4:]}"
    return value


def person_name(field: str, value: object, *, required: bool = False, limit: int = 50
                ) -> str | None:
    """A person's name: the spaces that pad a two-character name in Chinese rosters
    (``沈　佳怡``, ``王  芳``) are removed; spaces between Latin words stay."""
    text = text_field(field, value, required=required, limit=limit)
    return unpadded(text) if text is not None else None


def unpadded(text: str) -> str:
    """A name without the padding spaces of Chinese rosters (``沈　佳怡`` → ``沈佳怡``), as
    names are stored; what people type to find one is read the same way."""
    text = text.replace("\u3000", " ")
    if " " in text and not text.isascii():
        return _PERSON_SPACE.sub("", text).strip()
    return text


def without_unit(value: object, units: tuple[str, ...]) -> object:
    """``20人`` → ``20``, ``1.5小时`` → ``1.5``: a number followed by one of ``units``."""
    if value.__class__ is not str or not value or value[-1].isdigit():
        return value
    text = value.strip()
    for unit in units:
        if text.endswith(unit):
            number = text[: -len(unit)].strip()
            return number if _NUMBER.fullmatch(number) else value
    return value


def parse_phone_local(field: str, value: object, area_code: str | None) -> str | None:
    """``parse_phone``, and a local landline (7 or 8 digits) given the area code of the
    office's config (``57941234`` → ``021-57941234``); without one it says how to fix it."""
    try:
        return parse_phone(field, value)
    except FieldError:
        text = clean(value)
        compact = strip_excel_decimal(_PHONE_NOISE.sub("", halfwidth(text or "")))
        if not _LOCAL.fullmatch(compact):
            raise
        if area_code is None:
            raise FieldError(field, LOCAL_PHONE, value=compact) from None
        return f"{area_code}-{compact}"


def pad_number(text: str, width: int | None) -> str:
    """A member number of digits shorter than the office's fixed width, with the leading
    zeros Excel dropped put back (``104`` → ``00104`` for width 5)."""
    if width and len(text) < width and text.isascii() and text.isdigit():
        return text.zfill(width)
    return text


def zeros_hint(a: str, b: str) -> tuple[str, str]:
    """(zh, en) words saying the number given (``a``) and another (``b``) differ only by
    leading zeros, or ("", "")."""
    if a != b and a.isdigit() and b.isdigit() and a.lstrip("0") == b.lstrip("0"):
        if len(a) < len(b):  # the number given lost its zeros
            return f"；{a} 可能是 {b}（前导零丢失）", f"; {a} may be {b} (leading zeros lost)"
        return (f"；{a} 与 {b} 只差前导零（{b} 可能丢了前导零）",
                f"; {a} and {b} differ only by leading zeros ({b} may have lost them)")
    return "", ""


# --- money (yuan typed, integer fen stored) --------------------------------------------

BAD_MONEY = Msg(
    "{field}：“{value}”不是金额（元，最多两位小数，如 500、500.5、1,200.00）",
    "{field}: '{value}' is not an amount (yuan with at most two decimals, e.g. 500, 500.5, "
    "1,200.00)",
)
MONEY_DECIMALS = Msg(
    "{field}：“{value}”超过两位小数（金额精确到分）",
    "{field}: '{value}' has more than two decimals (amounts are kept to the fen)",
)
MONEY_POSITIVE = Msg("{field}：金额应大于 0，实际是“{value}”", "{field}: the amount must be more than 0, not '{value}'")
MONEY_TOO_BIG = Msg("{field}：金额 {value} 元超过上限 {limit} 元",
                    "{field}: {value} yuan is over the limit of {limit} yuan")
MAX_YUAN = 100_000_000  # a hundred million yuan: more than any fund of an office holds
_MONEY = lazy(r"(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d*))?")
_MONEY_SIGNS = ("¥", "￥", "RMB", "CNY")
_MONEY_UNITS = ("人民币元", "元整", "元")


def parse_money(field: str, value: object) -> int | None:
    """An amount in yuan as people type it (``500``, ``500.5``, ``1,200.00``, ``¥80``,
    ``80元``) → integer fen, exactly: the digits are read as text, never through a float, so
    ``0.1`` is 10 fen and ``0.1 + 0.2`` yuan are 30 fen. More than two decimals, a sign, 0,
    scientific notation or anything else is refused (None when empty)."""
    text = clean(value)
    if text is None:
        return None
    typed = text
    text = halfwidth(text).replace(" ", "")
    for sign in _MONEY_SIGNS:
        text = text.removeprefix(sign)
    for unit in _MONEY_UNITS:
        if text.endswith(unit):
            text = text[: -len(unit)]
            break
    m = _MONEY.fullmatch(text)
    if m is None:
        raise FieldError(field, BAD_MONEY, value=typed)
    whole, decimals = m.group(1).replace(",", ""), m.group(2) or ""
    if len(decimals.rstrip("0")) > 2:
        raise FieldError(field, MONEY_DECIMALS, value=typed)
    if len(whole.lstrip("0")) > len(str(MAX_YUAN)):
        raise FieldError(field, MONEY_TOO_BIG, value=typed, limit=f"{MAX_YUAN:,}")
    fen = int(whole) * 100 + int((decimals[:2] or "0").ljust(2, "0"))
    if fen <= 0:
        raise FieldError(field, MONEY_POSITIVE, value=typed)
    if fen > MAX_YUAN * 100:
        raise FieldError(field, MONEY_TOO_BIG, value=typed, limit=f"{MAX_YUAN:,}")
    return fen


def yuan(fen: int | None, *, grouped: bool = False) -> str | None:
    """Integer fen as yuan with two decimals: ``30`` → ``0.30``; ``grouped`` puts the
    thousands apart for people (``1,234.50``). The one formatter of money."""
    if fen is None:
        return None
    sign = "-" if fen < 0 else ""
    whole, cents = divmod(abs(int(fen)), 100)
    return f"{sign}{whole:,}.{cents:02d}" if grouped else f"{sign}{whole}.{cents:02d}"


_YUAN_TEXT = lazy(r"(-?)([0-9]+)(?:\.([0-9]{1,2}))?")


def fen_of(text: str) -> int | None:
    """``yuan``'s text back in integer fen, exactly (``"1,100.00"`` → 110000, ``"-0.5"`` →
    -50); None for text that is not such an amount."""
    m = _YUAN_TEXT.fullmatch(text.replace(",", ""))
    if m is None:
        return None
    fen = int(m[2]) * 100 + int((m[3] or "0").ljust(2, "0"))
    return -fen if m[1] else fen


def yuan_shown(amount: int | str | None) -> str:
    """Money as people read it, in every table and line of human output (and the errors):
    thousands apart, two decimals (``1,100.00``), of integer fen (``110000``) or of a
    record's exact yuan text (``"1100.00"``, what CSV and JSON keep; other text is shown
    as it is). The one formatter of human money; machine formats keep ``yuan``'s plain
    text."""
    if isinstance(amount, str):
        fen = fen_of(amount)
        if fen is None:
            return amount
        amount = fen
    return yuan(amount, grouped=True) or ""
