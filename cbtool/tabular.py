"""Tabular files: read csv/tsv/json/jsonl/xlsx as a stream of records (writing: ``formats``).

``open_source`` resolves the format, reads the header and returns a ``Source`` whose
``rows()`` yields ``(line, record)`` once (single pass). CSV, TSV and JSONL stream (memory
does not grow with the file); a JSON array and an xlsx workbook are loaded by their
parsers, so large batches should use jsonl or csv. Cells are stripped text or None.

Header rules (csv/tsv/xlsx): the first non-blank row — or, given ``is_heading`` (the
headings an importer knows), the row ``cbtool.layout.find_header`` finds below title, blank
and notes rows, or the ``header_row`` the user named; a workbook is read from its first sheet
that has such a header (or ``sheet``). Total, signature and notes rows (``合计``,
``填表人：…``) are skipped; ``skipped_above`` / ``skipped_below`` keep their lines, ``notes()``
says so. Trailing empty header cells are
dropped; an empty header *between* named ones is allowed only while its column stays
empty. Cells beyond the last named header are joined under the key ``""`` so that the
importer can report "unexpected extra cells" for that line.

Why one module of ~600 lines: it is the one reader of every format, and the header
search, the footers and the typed re-read of rejected rows work on the same grid.
"""

from __future__ import annotations

import csv
import functools
import io
import json
import math
import re
import sys
import warnings
from collections.abc import Iterator
from datetime import date, datetime, time
from itertools import chain, islice
from pathlib import Path
from typing import Any, BinaryIO

from cbtool import layout
from cbtool.errors import InvalidInput, os_reason
from cbtool.fields import Scalar, clean
from cbtool.formats import (
    DATA,
    EXTENSIONS,
    write_xlsx,  # noqa: F401 (the writer's old home: kept for its callers)
)
from cbtool.text import Msg
from cbtool.textlines import Lines

FORMATS = DATA

NEED_FORMAT = Msg(
    "从标准输入读取时请用 {opt_input_format} 指定格式（csv、tsv、json、jsonl、xlsx）",
    "reading standard input needs {opt_input_format} (csv, tsv, json, jsonl or xlsx)",
)
BAD_FORMAT = Msg(
    "不支持的格式“{format}”（可用 csv、tsv、json、jsonl、xlsx）",
    "unsupported format '{format}' (use csv, tsv, json, jsonl or xlsx)",
)
UNKNOWN_EXT = Msg(
    "{file}：无法识别的文件类型（支持 .csv .tsv .json .jsonl .xlsx，或用 {opt_input_format} 指定）",
    "{file}: unknown file type (use .csv .tsv .json .jsonl .xlsx, or give {opt_input_format})",
)
OLD_EXCEL = Msg(
    "{file}：这是旧版 Excel（.xls）文件，请在 Excel 中另存为 .xlsx 或 CSV 后再导入",
    "{file}: this is an old Excel (.xls) file; save it as .xlsx or CSV in Excel and import that",
)
NO_FILE = Msg("{file}：文件不存在", "{file}: no such file")
UNREADABLE = Msg("{file}：无法读取（{reason}）", "{file}: cannot be read ({reason})")
NOT_XLSX = Msg("{file}：不是有效的 .xlsx 文件", "{file}: not a valid .xlsx file")
XLSX_TOO_BIG = Msg(
    "{file}：工作簿中的 {part} 解压后有 {size} MB，超过上限 {limit} MB，不像是名册",
    "{file}: {part} inside the workbook unpacks to {size} MB, over the {limit} MB bound; "
    "not a roster",
)
CELL_TOO_BIG = Msg(
    "{file} 第 {line} 行 [{column}]：单元格过大（超过 {limit} 个字符）",
    "{file} line {line} [{column}]: the cell is too big (over {limit} characters)",
)
BIG_FIELD = Msg(
    "{file} 第 {line} 行：单元格过大（超过 {limit} 个字符）",
    "{file} line {line}: a cell is too big (over {limit} characters)",
)
TOO_DEEP = Msg("{file} 第 {line} 行：JSON 嵌套过深，不是记录文件",
               "{file} line {line}: JSON nested too deeply; not a file of records")
BAD_CSV = Msg("{file} 第 {line} 行：格式错误（{reason}）", "{file} line {line}: bad CSV ({reason})")
DUP_HEADERS = Msg("{file}：表头重复：{names}", "{file}: duplicate headings: {names}")
HEADLESS = Msg(
    "{file}{sheet_zh} 第 {line} 行：第 {column} 列有数据但没有表头",
    "{file}{sheet_en} line {line}: column {column} has data but no heading",
)
BAD_JSON = Msg("{file} 第 {line} 行：不是有效的 JSON（{reason}）",
               "{file} line {line}: not valid JSON ({reason})")
NOT_ARRAY = Msg(
    "{file}：JSON 文件应为对象数组 [{{...}}, ...]；每行一个对象的文件请用 .jsonl",
    "{file}: a JSON file must be an array of objects [{{...}}, ...]; use .jsonl for one "
    "object per line",
)
NOT_OBJECT = {  # by format: a jsonl line or the n-th record of a json array
    "jsonl": Msg("{file} 第 {line} 行：不是 JSON 对象", "{file} line {line}: not a JSON object"),
    "json": Msg("{file} 第 {line} 条记录：不是 JSON 对象", "{file} record {line}: not a JSON object"),
}
NESTED = {
    "jsonl": Msg("{file} 第 {line} 行：“{key}”的值不能是对象",
                 "{file} line {line}: '{key}' holds an object"),
    "json": Msg("{file} 第 {line} 条记录：“{key}”的值不能是对象",
                "{file} record {line}: '{key}' holds an object"),
}

# Bounds on what one record may hold, so that a hostile or broken file ends in one clear
# error after reading at most this much, never in a hang or a memory blow-up. The longest
# text any field takes is 2,000 characters (notes): a cell of 128 Ki characters (the csv
# module's own default field limit) is 65 times that, and a line of 1 Mi characters holds
# eight such cells. A JSON array is one text, parsed whole (no line bound).
MAX_CELL = 128 * 1024
# An xlsx part unpacked: cbtool's own export of 100,000 members is one 83 MB sheet of
# inline strings. Sheets are parsed as they are read; the shared strings (each distinct
# text once, as Excel saves them) are held whole, so they have the smaller bound. Both
# leave room for several such rosters, while a 1.5 GB string is refused before anything
# is unpacked.
XLSX_PART_LIMIT = 256 << 20
XLSX_SHARED_LIMIT = 64 << 20


def sniff_format(path: str) -> str:
    """The format named by ``path``'s extension (case-insensitive); InvalidInput if none."""
    ext = Path(path).suffix.lower()
    if ext == ".xls":
        raise InvalidInput(OLD_EXCEL, file=path)
    if ext not in EXTENSIONS:
        raise InvalidInput(UNKNOWN_EXT, file=path)
    return EXTENSIONS[ext]


def _value_text(value: Any) -> str | None:
    """A cell value from xlsx or json as text (see the module's rules); dicts not handled."""
    if value is None or isinstance(value, str):
        return clean(value)
    if isinstance(value, bool):
        return Scalar("true" if value else "false")
    if isinstance(value, float) and not math.isfinite(value):
        return Scalar(str(value))  # JSON's NaN, Infinity: "nan", "inf"
    if isinstance(value, float) and abs(value) >= 1e15:
        # Past 15 significant digits a spreadsheet number has lost digits (an ID number
        # typed as a number): shown as Excel shows it, 3.10228195003121E+17, so that the
        # validators reject it with that reason instead of storing made-up digits.
        return f"{value:.15G}"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else Scalar(str(value))
    if isinstance(value, datetime):
        if value.time() == time(0):
            return value.date().isoformat()
        return value.replace(microsecond=0).isoformat()
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, list):
        return clean(",".join(t for t in map(_value_text, value) if t is not None))
    return clean(str(value))


def _check_xlsx_parts(raw: Any, name: str) -> None:
    """Refuse a workbook a part of which would unpack to more than the bounds: the shared
    strings are loaded whole, so a zip of a few MB could otherwise take GBs of memory
    (the sizes are the zip's own, and reading never unpacks more than they say)."""
    import zipfile

    with zipfile.ZipFile(raw) as archive:  # (leaves ``raw`` open)
        for info in archive.infolist():
            shared = info.filename.lower().endswith("sharedstrings.xml")
            limit = XLSX_SHARED_LIMIT if shared else XLSX_PART_LIMIT
            if info.file_size > limit:
                raise InvalidInput(XLSX_TOO_BIG, file=name, part=info.filename,
                                   size=info.file_size >> 20, limit=limit >> 20)
    raw.seek(0)


def _column_letter(index: int) -> str:
    """``0`` → ``A``, ``26`` → ``AA``: a column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


_FORMAT_LITERAL = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


# A number format of fixed decimals, as Excel shows them: 0.00, #,##0.0 (not 0.00%, 0.00E+00).
_FIXED_DECIMALS = re.compile(r"^[#,0]*0\.(0+)$")


@functools.lru_cache(maxsize=256)
def is_month_format(number_format: str | None) -> bool:
    """An Excel number format that shows a year and month but no day or time
    (``yyyy"年"m"月"``, ``yyyy-mm``, ``yyyy.mm``, ``mmm-yy``)."""
    if not number_format:
        return False
    code = _FORMAT_LITERAL.sub("", number_format.split(";")[0]).lower()
    return "y" in code and "m" in code and not any(ch in code for ch in "dhs")


def _cell_text(cell: Any) -> str | None:
    """An xlsx cell as text: a date shown as a month (``1948年4月``) is the month."""
    value = cell.value
    if isinstance(value, datetime) and is_month_format(cell.number_format):
        return f"{value.year:04d}-{value.month:02d}"
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1e15:
        m = _FIXED_DECIMALS.match(cell.number_format or "")
        if m:  # shown with a fixed number of decimals (0.00): read as shown, 1975.10
            return Scalar(f"{value:.{len(m.group(1))}f}")
    return _value_text(value)


class Source:
    """An opened tabular file; use as a context manager. See ``open_source``."""

    format: str
    headers: list[str]

    def __init__(self, name: str, fmt: str) -> None:
        self.name, self.format, self.headers = name, fmt, []
        self._lines: Lines | None = None
        self._records: Iterator[tuple[int, dict[str, str | None]]] = iter(())
        self._cells: Iterator[tuple[int, tuple[str, ...], list[str | None]]] = iter(())
        self._closers: list[Any] = []
        self.sheet: str | None = None  # the worksheet read (xlsx)
        self.other_sheets: list[str] = []
        self.skipped_above: list[int] = []  # title, notes rows above the header
        self.skipped_below: list[int] = []  # total, signature, notes rows among the data
        self.is_heading: Any = None  # str -> bool: the headings the reader should look for
        self.header_row: int | None = None
        self.header_line: int | None = None  # where the headings were read (grids)
        # (part, period, cut): of a CSV/TSV file only the rows of one part are read as
        # records, the others are split and never looked at: part 0 the rows n (counted
        # from 0) with n % period < cut, part 1 the others — two processes checking one
        # file (see importing.sharing)
        self.share: tuple[int, int, int] | None = None

    @property
    def encoding(self) -> str | None:
        """The text encoding in use (None for xlsx); may turn from utf-8 to gb18030 while
        reading if everything before the first non-UTF-8 byte was ASCII."""
        return self._lines.encoding if self._lines else None

    def rows(self) -> Iterator[tuple[int, dict[str, str | None]]]:
        """``(line, record)``: the cells by heading; cells beyond the last heading joined
        under the key ``""``."""
        return self._records

    def cells(self) -> Iterator[tuple[int, tuple[str, ...], list[str | None]]]:
        """The same records as ``rows`` (use one or the other, once) as ``(line, keys,
        values)``: ``values[i]`` under ``keys[i]``. Rows of a grid share one ``keys``
        tuple (with ``""`` last when the row has extra cells), and no dict is built."""
        return self._cells

    def notes(self) -> list[tuple[Msg, dict[str, object]]]:
        """What was read around the data: the sheet (of several), the rows skipped above
        the header and, once the rows are read, those skipped among them."""
        out: list[tuple[Msg, dict[str, object]]] = []
        where = {"file": self.name, **layout.sheet_params(self.sheet)}
        if self.sheet is not None and self.other_sheets:
            out.append((layout.SHEET_READ, {"file": self.name, "sheet": self.sheet,
                                            "others": "、".join(self.other_sheets)}))
        if self.skipped_above:
            out.append((layout.SKIPPED_ABOVE,
                        {**where, "lines": layout.line_ranges(self.skipped_above)}))
        if self.skipped_below:
            out.append((layout.SKIPPED_BELOW,
                        {**where, "lines": layout.line_ranges(self.skipped_below)}))
        return out

    def close(self) -> None:
        while self._closers:
            self._closers.pop().close()

    def __enter__(self) -> Source:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- grid formats (csv, tsv, xlsx) ---------------------------------------------------

    def _start_grid(self, rows: Iterator[tuple[int, list[str | None]]]) -> None:
        header, self.skipped_above, rows = layout.find_header(rows, self.is_heading,
                                                              self.header_row)
        if header is None or not any(c is not None for c in header[1]):
            if self.header_row is not None:
                raise layout.blank_header(self.name, self.sheet, self.header_row)
            return
        self.header_line, cells = header
        while cells[-1] is None:
            cells.pop()
        dups = sorted({h for h in cells if h is not None and cells.count(h) > 1})
        if dups:
            raise InvalidInput(DUP_HEADERS, file=self.name, names=", ".join(dups))
        columns = [(i, h) for i, h in enumerate(cells) if h is not None]
        self.headers = [h for _, h in columns]
        self._cells = self._grid_cells(rows, columns, len(cells))
        self._records = ((line, dict(zip(keys, values, strict=True)))
                         for line, keys, values in self._cells)

    def _grid_cells(self, rows: Iterator[tuple[int, list[str | None]]],
                    columns: list[tuple[int, str]], width: int
                    ) -> Iterator[tuple[int, tuple[str, ...], list[str | None]]]:
        named = {i for i, _ in columns}
        unnamed = [i for i in range(width) if i not in named]
        keys = tuple(h for _, h in columns)
        with_extra = (*keys, "")
        where = [i for i, _ in columns]
        dense = where == list(range(width))  # no empty heading between named ones
        first_chars = layout._FIRST_CHARS
        is_footer = layout.is_footer
        below = self.skipped_below
        for line, cells in rows:
            if not any(cells):  # cells are None or non-empty text
                continue
            first = cells[0]
            if (first is None or first[0] in first_chars) and is_footer(cells):
                below.append(line)  # 合计, 填表人：… — not a record
                continue
            for i in unnamed:
                if i < len(cells) and cells[i] is not None:
                    raise InvalidInput(HEADLESS, file=self.name, line=line, column=i + 1,
                                       **layout.sheet_params(self.sheet))
            n = len(cells)
            if n == width and dense:
                yield line, keys, cells
                continue
            values = ([cells[i] for i in where] if n >= width else
                      [cells[i] if i < n else None for i in where])
            extra = [c for c in cells[width:] if c is not None]
            if extra:
                values.append(", ".join(extra))
                yield line, with_extra, values
            else:
                yield line, keys, values

    def _csv_rows(self, lines: Lines, delimiter: str) -> Iterator[tuple[int, list]]:
        reader = csv.reader(lines, delimiter=delimiter, strict=True)
        # The csv module stops a field at its limit, by default MAX_CELL; if the process
        # raised it, the rows are measured here.
        measure = csv.field_size_limit() > MAX_CELL
        start = 1
        n = -1  # rows split so far
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as e:
                if str(e).startswith("field larger than field limit"):
                    raise InvalidInput(BIG_FIELD, file=self.name, line=start,
                                       limit=MAX_CELL) from None
                raise InvalidInput(BAD_CSV, file=self.name, line=start, reason=str(e)) from None
            n += 1
            if (share := self.share) is not None and (n % share[1] < share[2]) == share[0]:
                start = reader.line_num + 1
                continue  # the other process's block
            if measure and row and max(map(len, row)) > MAX_CELL:
                raise InvalidInput(BIG_FIELD, file=self.name, line=start, limit=MAX_CELL)
            # = fields.clean: Lines turned U+3000 into " " (see fullwidth)
            yield start, [c.strip() or None for c in row]
            start = reader.line_num + 1

    def _open_xlsx(self, raw: Any, sheet_name: str | None = None) -> None:
        from openpyxl import load_workbook

        try:
            _check_xlsx_parts(raw, self.name)
            with warnings.catch_warnings():  # e.g. "no default style": not the user's concern
                warnings.simplefilter("ignore")
                wb = load_workbook(raw, read_only=True, data_only=True)
            self._closers.append(wb)
            sheets = list(wb.worksheets)
            sheets[0]  # noqa: B018  (no worksheet: not a usable xlsx)
        except InvalidInput:
            raise
        except Exception:  # zipfile, xml, openpyxl errors, no worksheet: not a usable xlsx
            raise InvalidInput(NOT_XLSX, file=self.name) from None
        sheet = self._pick_sheet(sheets, sheet_name)
        self.sheet = sheet.title
        self.other_sheets = [s.title for s in sheets if s is not sheet]
        self._start_grid(self._sheet_rows(sheet))

    def _sheet_rows(self, sheet: Any) -> Iterator[tuple[int, list[str | None]]]:
        """The sheet's rows as cleaned text (a month-formatted date is the month). The
        sheet's XML is parsed as it is read: broken XML there (or a damaged zip entry) is
        found at that row, and is a bad file too."""
        sheet.reset_dimensions()  # some writers store wrong dimensions
        rows = sheet.iter_rows()
        line = 0
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception:  # (ParseError, zipfile's CRC error, openpyxl's ValueError …)
                raise InvalidInput(NOT_XLSX, file=self.name) from None
            line += 1
            cells = [_cell_text(c) for c in row]
            if max(map(len, filter(None, cells)), default=0) > MAX_CELL:
                column = next(i for i, c in enumerate(cells) if c and len(c) > MAX_CELL)
                raise InvalidInput(CELL_TOO_BIG, file=self.name, line=line,
                                   column=_column_letter(column), limit=MAX_CELL)
            yield line, cells

    def _pick_sheet(self, sheets: list[Any], name: str | None) -> Any:
        """The sheet named (exactly, else ignoring case and spaces), else the first whose
        first rows hold a header (a 填表说明 sheet first is passed over), else the first."""
        if name is not None:
            for fold in (lambda t: t, lambda t: t.strip().casefold()):
                for ws in sheets:
                    if fold(ws.title) == fold(name):
                        return ws
            raise InvalidInput(layout.NO_SHEET, file=self.name, sheet=name,
                               names="、".join(ws.title for ws in sheets))
        if len(sheets) == 1 or self.is_heading is None or self.header_row is not None:
            return sheets[0]
        for ws in sheets:
            if layout.has_header(islice(self._sheet_rows(ws), layout.SCAN * 2),
                                 self.is_heading):
                return ws
        return sheets[0]

    # --- json, jsonl ---------------------------------------------------------------------

    def _record(self, line: int, obj: Any) -> tuple[int, dict[str, str | None]]:
        if not isinstance(obj, dict):
            raise InvalidInput(NOT_OBJECT[self.format], file=self.name, line=line)
        for key, value in obj.items():
            if isinstance(value, dict) or (
                    isinstance(value, list) and any(isinstance(v, dict | list) for v in value)):
                raise InvalidInput(NESTED[self.format], file=self.name, line=line, key=key)
        record = {str(k).strip(): _value_text(v) for k, v in obj.items()}
        for key, text in record.items():
            if text is not None and len(text) > MAX_CELL:
                raise InvalidInput(CELL_TOO_BIG, file=self.name, line=line, column=key,
                                   limit=MAX_CELL)
        return line, record

    def _parse_json(self, text: str, line: int) -> Any:
        try:
            return json.loads(text)
        except json.JSONDecodeError as e:
            raise InvalidInput(BAD_JSON, file=self.name, line=line + e.lineno - 1,
                               reason=e.msg) from None
        except RecursionError:  # (the parser recurses per level: 20,000 "[" are too deep)
            raise InvalidInput(TOO_DEEP, file=self.name, line=line) from None

    def _start_json(self, lines: Lines) -> None:
        if self.format == "jsonl":  # streams
            records = (self._record(n, self._parse_json(text.strip(), n))
                       for n, text in enumerate(lines, 1) if text.strip())
        else:
            lines.max_line = None  # an array is one text, often on one line (json.dump)
            data = self._parse_json("".join(lines), 1)
            if not isinstance(data, list):
                raise InvalidInput(NOT_ARRAY, file=self.name)
            records = (self._record(n, obj) for n, obj in enumerate(data, 1))
        first = next(records, None)
        if first is not None:
            self.headers = list(first[1])
            self._records = chain([first], records)
            self._cells = ((line, tuple(record), list(record.values()))
                           for line, record in self._records)


def open_source(path: str, *, input_format: str | None = None, encoding: str | None = None,
                stdin: BinaryIO | None = None, is_heading: Any = None,
                header_row: int | None = None, sheet: str | None = None) -> Source:
    """Open ``path`` (or standard input for ``"-"``) and read its header; see ``Source``.
    ``is_heading(text)`` (``importing.heading_test(kind)``) lets the header be found below
    title rows and a workbook's data sheet be found; ``header_row`` / ``sheet`` name them."""
    if input_format is not None and input_format not in FORMATS:
        raise InvalidInput(BAD_FORMAT, format=input_format)
    if path == "-" and input_format is None:
        raise InvalidInput(NEED_FORMAT)
    source = Source("<stdin>" if path == "-" else path, input_format or sniff_format(path))
    if (header_row is not None or sheet is not None) and source.format in ("json", "jsonl"):
        raise InvalidInput(layout.NOT_GRID)
    if sheet is not None and source.format != "xlsx":
        raise InvalidInput(layout.SHEET_XLSX_ONLY)
    source.is_heading, source.header_row = is_heading, header_row
    try:
        if path == "-":
            raw: Any = stdin if stdin is not None else sys.stdin.buffer
            if source.format == "xlsx":
                raw = io.BytesIO(raw.read())  # openpyxl needs a seekable file
        else:
            raw = open(path, "rb")  # closed by Source.close
            source._closers.append(raw)
    except FileNotFoundError:
        raise InvalidInput(NO_FILE, file=path) from None
    except OSError as e:
        raise InvalidInput(UNREADABLE, file=path, reason=os_reason(e)) from None
    try:
        if source.format == "xlsx":
            source._open_xlsx(raw, sheet)
        else:
            source._lines = Lines(raw, source.name, encoding)
            if source.format == "csv" or source.format == "tsv":
                source._lines.fullwidth = True
                delimiter = "," if source.format == "csv" else "\t"
                source._start_grid(source._csv_rows(source._lines, delimiter))
            else:
                source._start_json(source._lines)
    except BaseException:
        source.close()
        raise
    return source



# --- a grid's rows as typed (the errors file) ------------------------------------------

_MONTH_TOKEN = re.compile(r'"([^"]*)"|\\(.)|\[[^\]]*\]|(y+|m+)|([_*].)|(.)', re.IGNORECASE)
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def month_shown(value: date, number_format: str) -> str:
    """A date as a month format shows it (``is_month_format``): ``yyyy"年"m"月"`` →
    ``1948年4月``, ``yyyy-mm`` → ``1948-04``, ``mmm-yy`` → ``Apr-48``."""
    out = []
    for m in _MONTH_TOKEN.finditer(number_format.split(";")[0]):
        quoted, escaped, code, spacing, other = m.groups()
        if code:
            n = len(code)
            if code[0] in "yY":
                out.append(f"{value.year:04d}" if n > 2 else f"{value.year % 100:02d}")
            else:
                name = _MONTHS[value.month - 1]
                out.append((str(value.month), f"{value.month:02d}", name[:3], name,
                            name[0])[min(n, 5) - 1])
        elif spacing and spacing[0] == "_":
            out.append(" ")
        else:
            out.append(quoted or escaped or other or "")
    return "".join(out)


def _typed_cell(cell: Any) -> str | None:
    """An xlsx cell as the clerk sees it: text as typed (not stripped), a month-formatted
    date as the format shows it; other values as ``_cell_text`` reads them."""
    value = cell.value
    if isinstance(value, str):
        return value
    if isinstance(value, datetime) and is_month_format(cell.number_format):
        return month_shown(value, cell.number_format)
    return _cell_text(cell)


def typed_rows(path: str, fmt: str, lines: set[int], *, encoding: str | None = None,
               sheet: str | None = None, header_line: int | None = None
               ) -> Iterator[tuple[int, dict[str, str | None]]]:
    """The rows at ``lines`` of the grid file ``path`` read again, raw: ``(line, cells by
    heading)`` in file order, each cell as typed — a CSV/TSV cell decoded as when it was
    read but neither stripped nor its full-width spaces changed, an xlsx cell as shown
    (``_typed_cell``). The headings are those of the row ``header_line`` (cleaned as when
    read); cells under no heading are left out. Only for the few rejected rows of an
    import (the import itself reads with ``open_source``); raises InvalidInput or OSError
    if the file can no longer be read."""
    if not lines:
        return
    last = max(lines)
    with open(path, "rb") as raw:
        if fmt == "xlsx":
            from openpyxl import load_workbook

            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                wb = load_workbook(raw, read_only=True, data_only=True)
            try:
                ws = wb[sheet] if sheet is not None else wb.worksheets[0]
                ws.reset_dimensions()
                rows: Iterator[tuple[int, list[Any]]] = (
                    (n, list(row)) for n, row in enumerate(ws.iter_rows(), 1))
                yield from _typed_grid(rows, lines, last, header_line,
                                       lambda c: _cell_text(c), _typed_cell)
            finally:
                wb.close()
        else:
            reader = csv.reader(Lines(raw, path, encoding),
                                delimiter="," if fmt == "csv" else "\t", strict=True)

            def numbered() -> Iterator[tuple[int, list[str]]]:
                start = 1
                for row in reader:
                    yield start, row
                    start = reader.line_num + 1

            yield from _typed_grid(numbered(), lines, last, header_line,
                                   lambda c: c.replace("\u3000", " ").strip() or None,
                                   lambda c: c)


def _typed_grid(rows: Iterator[tuple[int, list[Any]]], lines: set[int], last: int,
                header_line: int | None, heading: Any, typed: Any
                ) -> Iterator[tuple[int, dict[str, str | None]]]:
    columns: list[tuple[int, str]] | None = None
    for line, cells in rows:
        if line > last:
            return
        if columns is None:
            if header_line is None or line == header_line:
                columns = [(i, h) for i, h in enumerate(map(heading, cells)) if h is not None]
            continue
        if line in lines:
            yield line, {h: typed(cells[i]) if i < len(cells) else None for i, h in columns}
