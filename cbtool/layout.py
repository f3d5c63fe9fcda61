"""Files as offices keep them: where the header row is, and which rows are not data.

A roster made in Excel or WPS rarely starts with its header: a title (``石化街道党员花名册``,
often a merged cell), a blank line, a ``填报单位：…  填报日期：…`` line come first, and a
``合计`` row or ``填表人：王芳  审核人：…`` closes it. This module reads such grids row by row
(``(line, cells)``, cells stripped text or None) without knowing any kind of record: the
caller says which headings it knows (``is_heading``).

* ``find_header``: the header is the first row among the first ``SCAN`` non-blank rows
  whose non-empty cells include at least two known headings (one, for a row of one cell);
  the rows above it are skipped (their lines returned). When no row qualifies, the first
  non-blank row is the header (then the importer names the missing columns). A header
  row given by the user (``--header-row N``) is taken as it is.
* ``is_footer``: a total row (first non-empty cell ``合计`` / ``小计`` / ``总计`` / ``共计``,
  spaces inside ignored) or a signature / notes row (``填表人：`` ``审核人：`` ``制表人：``
  ``负责人：`` ``联系人：`` ``填报日期：`` ``注：`` ``说明：`` …). The check costs one set
  look-up per ordinary row.
* ``line_ranges``: ``[1, 2, 3, 7]`` → ``1–3、7`` for the one line that says what was skipped.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from itertools import chain

from cbtool.errors import InvalidInput
from cbtool.text import Msg

SCAN = 30  # non-blank rows looked at for the header

Rows = Iterator[tuple[int, list[str | None]]]

NO_HEADER_ROW = Msg(
    "{file}{sheet_zh}：第 {line} 行是空行或不存在，不能作为表头（{opt_header_row} 指定表头所在的行号）",
    "{file}{sheet_en}: line {line} is blank or missing and cannot be the header "
    "({opt_header_row} gives the line the headings are on)",
)
SKIPPED_ABOVE = Msg("{file}{sheet_zh}：第 {lines} 行不是表头，已跳过",
                    "{file}{sheet_en}: above the header, skipped: line(s) {lines}")
SKIPPED_BELOW = Msg("{file}{sheet_zh}：第 {lines} 行是合计、签名或说明行，不是数据，已跳过",
                    "{file}{sheet_en}: totals, signatures or notes, not data, skipped: "
                    "line(s) {lines}")
SHEET_READ = Msg("{file}：读取工作表“{sheet}”（其余工作表：{others}；可用 {opt_sheet} 指定）",
                 "{file}: reading sheet '{sheet}' (others: {others}; {opt_sheet} picks one)")
NO_SHEET = Msg("{file}：没有名为“{sheet}”的工作表（有：{names}）",
               "{file}: no sheet named '{sheet}' (there are: {names})")
SHEET_XLSX_ONLY = Msg("{opt_sheet} 只用于 .xlsx 工作簿", "{opt_sheet} applies to .xlsx workbooks only")
NOT_GRID = Msg("{opt_header_row} 和 {opt_sheet} 只用于 csv、tsv、xlsx 文件",
               "{opt_header_row} and {opt_sheet} apply to csv, tsv and xlsx files only")

_TOTALS = ("合计", "小计", "总计", "共计", "总数")
_SIGNED = ("填表人", "填报人", "制表人", "审核人", "审批人", "负责人", "单位负责人", "联系人",
           "经办人", "统计人", "填表日期", "填报日期", "制表日期", "报送日期", "填报单位", "注",
           "说明", "备注说明", "填表说明")
_FOOTER = re.compile(
    f"(?:{'|'.join(_TOTALS)})(?:$|[:：\\s\\d(（])|(?:{'|'.join(_SIGNED)})[:：]")
_FIRST_CHARS = frozenset(w[0] for w in (*_TOTALS, *_SIGNED))
_SPACES = re.compile(r"[\s\u3000]+")


def sheet_params(sheet: str | None) -> dict[str, str]:
    """The ``{sheet_zh}`` / ``{sheet_en}`` parameters of a message about a file: the
    worksheet named, or nothing for a text file."""
    if sheet is None:
        return {"sheet_zh": "", "sheet_en": ""}
    return {"sheet_zh": f"（工作表“{sheet}”）", "sheet_en": f" (sheet '{sheet}')"}


def is_footer(cells: list[str | None]) -> bool:
    """A total, signature or notes row (see the module's rules)."""
    for text in cells:
        if text is not None:
            break
    else:
        return False
    if text[0] not in _FIRST_CHARS:  # the usual data row: one set look-up
        return False
    return bool(_FOOTER.match(_SPACES.sub("", text) if len(text) > 2 else text + " "))


def _header_like(cells: list[str | None], is_heading: Callable[[str], bool]) -> bool:
    named = [c for c in cells if c is not None]
    if not named:
        return False
    known = sum(1 for c in named if is_heading(c))
    return known >= min(2, len(named))


def find_header(rows: Rows, is_heading: Callable[[str], bool] | None,
                header_row: int | None = None
                ) -> tuple[tuple[int, list[str | None]] | None, list[int], Rows]:
    """``(header, skipped lines, the rows after the header)``; header None: no rows at all.
    Blank rows alone above the header are not reported (they never were); with a title or
    notes row, every line above the header is."""
    if header_row is not None:
        skipped: list[int] = []
        for line, cells in rows:
            if line == header_row:  # (a blank one: the caller says so)
                return (line, cells), skipped, rows
            if line > header_row:
                break
            skipped.append(line)
        return None, skipped, iter(())
    seen: list[tuple[int, list[str | None]]] = []
    first = None
    lines: list[int] = []  # every line above the header (blank ones too)
    for line, cells in rows:
        if not any(c is not None for c in cells):
            lines.append(line)
            if first is not None:
                seen.append((line, cells))
            continue
        if first is None:
            first = (line, cells)
        if is_heading is None or _header_like(cells, is_heading):
            return (line, cells), (lines if seen else []), rows
        lines.append(line)
        seen.append((line, cells))
        if sum(1 for _ln, c in seen if any(x is not None for x in c)) >= SCAN:
            break
    if first is None:
        return None, [], iter(())
    # No row looks like a header: the first non-blank row is (the importer then names
    # what is missing); the rows after it are read again.
    rest = [(ln, c) for ln, c in seen if ln > first[0]]
    return first, [], chain(rest, rows)


def line_ranges(lines: list[int]) -> str:
    """``[1, 2, 3, 7]`` → ``1–3、7``."""
    parts: list[str] = []
    start = prev = None
    for n in lines:
        if prev is not None and n == prev + 1:
            prev = n
            continue
        if start is not None:
            parts.append(f"{start}–{prev}" if prev != start else f"{start}")
        start = prev = n
    if start is not None:
        parts.append(f"{start}–{prev}" if prev != start else f"{start}")
    return "、".join(parts)


def blank_header(file: str, sheet: str | None, line: int) -> InvalidInput:
    return InvalidInput(NO_HEADER_ROW, file=file, line=line, **sheet_params(sheet))


def has_header(rows: Rows, is_heading: Callable[[str], bool]) -> bool:
    """Whether these (first) rows of a sheet hold a header row."""
    return any(_header_like(cells, is_heading) for _line, cells in rows)
