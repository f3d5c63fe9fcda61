"""The one formula guard for every spreadsheet cell cbtool writes, and its inverse.

A spreadsheet runs a text cell that starts with ``=``, ``+``, ``-`` or ``@`` (their
full-width forms ``＝ ＋ － ＠`` too, which Chinese input methods type), a tab or a CR as
a formula. In CSV/TSV such text gets a leading ``'`` (``guard``); an import of CSV/TSV
takes it off again (``unguard``), so an export re-imports to exactly the stored text —
text that itself starts with ``'`` included. In xlsx the same text is written as a
string cell with Excel's quote prefix (``xlsx_cell_maker``): never a formula, and the
value is the stored text itself, so nothing needs undoing on import.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from cbtool.lazyre import lazy

FORMULA_START = frozenset("=+-@\t\r＝＋－＠")
_GUARDED = FORMULA_START | {"'"}  # what a guard's ' may stand before
_NUMBER = lazy(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?", re.ASCII)


def formula_like(text: str) -> bool:
    """Would a spreadsheet run this text as a formula? It starts with one of
    ``FORMULA_START`` and is not a plain number (``-5`` and ``+1.5`` stay numbers)."""
    return bool(text) and text[0] in FORMULA_START and not _NUMBER.fullmatch(text)


def guard(value: Any) -> Any:
    """A CSV/TSV cell: formula-like text gets a leading ``'``, and so does text that
    already starts with ``'`` before one of those characters or another ``'`` (so that
    ``unguard`` gives it back exactly). Anything else is returned as it is."""
    if not isinstance(value, str) or not value:
        return value
    first = value[0]
    if first in FORMULA_START:
        return value if _NUMBER.fullmatch(value) else "'" + value
    if first == "'" and len(value) > 1 and value[1] in _GUARDED:
        return "'" + value
    return value


def unguard(text: str) -> str:
    """A CSV/TSV cell read back: the ``'`` that ``guard`` added, taken off."""
    if len(text) > 1 and text[0] == "'" and text[1] in _GUARDED:
        return text[1:]
    return text


def xlsx_cell_maker() -> Callable[..., Any]:
    """``cell(sheet, value, *, text=False, font=None, fill=None)``: a value as a cell of a
    write-only openpyxl sheet. Text is always a string cell — never a formula or an error
    value — with the quote prefix when formula-like (Excel keeps it text even when the
    cell is edited); characters XML cannot hold are dropped. ``text`` stores any value
    as text (number format ``@``), so Excel keeps leading zeros and long digit strings.
    Numbers, dates and None without a style are passed through as they are (the fast
    path of big sheets)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE

    illegal = ILLEGAL_CHARACTERS_RE.sub

    def cell(sheet: Any, value: Any, *, text: bool = False, font: Any = None,
             fill: Any = None) -> Any:
        if value is None:
            return None
        styled = text or font is not None or fill is not None
        if isinstance(value, str) or text:
            value = illegal("", str(value))
            risky = formula_like(value)
            if not (styled or risky or value in ERROR_CODES):
                return value
            made = WriteOnlyCell(sheet, value=value)
            made.data_type = "s"
            if risky:
                made.quotePrefix = True
            if text:
                made.number_format = "@"
        elif not styled:
            return value
        else:
            made = WriteOnlyCell(sheet, value=value)
        if font is not None:
            made.font = font
        if fill is not None:
            made.fill = fill
        return made

    return cell
