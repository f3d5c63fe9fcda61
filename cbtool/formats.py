"""File formats: which there are, and the one writer of each (CSV/TSV, JSON/JSONL, xlsx).

* ``DATA`` are the formats records are imported from and exported to, ``EXTENSIONS``
  the file names that say them; reports, papers and templates take the subsets below.
* ``write_delimited``: CSV/TSV. Every cell passes the one formula guard
  (``cells.guard``: a leading ``'`` on text a spreadsheet would run), a joined list too;
  ``bom`` starts it with the UTF-8 BOM, ``crlf`` ends lines with CR LF (what Excel and
  WPS write), ``encoding`` refuses the first cell that codec cannot hold
  (``Unencodable``: which record and column) before it is written.
* ``write_json`` / ``write_jsonl``: an array streamed one record at a time / one per line.
* ``write_xlsx``: one sheet per table, the header bold and frozen, columns sized, text
  never a formula (``cells.xlsx_cell_maker``), chosen columns stored as text, ``Money``
  as a number a spreadsheet can add up, ``Dated`` as a date it can sort; or laid out for
  paper (``Page``).

Every file goes through ``files.atomic_write`` (owner-only, all or nothing): the
writers here take an open stream, ``write_xlsx`` a path. Nothing here knows the
command line.

Why one module of ~520 lines: it is the one writer of each format (one formula guard,
one BOM rule, one xlsx style and print set-up).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Collection, Iterable, Sequence
from itertools import chain, islice
from pathlib import Path
from typing import IO, Any

from cbtool.cells import guard
from cbtool.files import atomic_write
from cbtool.lazyre import lazy

# --- the formats -------------------------------------------------------------------------

DATA = ("csv", "tsv", "json", "jsonl", "xlsx")  # import and export of records
TEXT = ("csv", "tsv", "json", "jsonl")  # of those, the text ones
DELIMITED = {"csv": ",", "tsv": "\t"}
EXTENSIONS = {f".{name}": name for name in DATA}
REPORT = ("md", "html", "csv", "json", "xlsx")  # `report`, `rollup` (csv: a directory)
PAPER = ("xlsx", "html", "md", "csv")  # `roster`, `ledger`
TEMPLATE = ("xlsx", "csv")  # `template`
CSV_BOM = "\ufeff"  # Excel/WPS on Windows read UTF-8 CSV as Chinese only with it


def format_of(path: str | Path, formats: Collection[str] = DATA) -> str | None:
    """The format of ``formats`` that ``path``'s extension names (any case), else None."""
    name = EXTENSIONS.get(Path(path).suffix.lower())
    return name if name in formats else None


# --- CSV / TSV -------------------------------------------------------------------------------


class Unencodable(ValueError):
    """A cell the chosen encoding cannot hold: the record (1-based), its column, the text."""

    def __init__(self, record: int, key: str, char: str, values: dict[str, Any]) -> None:
        super().__init__(f"record {record} [{key}]: {char!r} cannot be encoded")
        self.record, self.key, self.char, self.values = record, key, char, values


def cell_text(value: object) -> object:
    """A value as a CSV/TSV cell: lists joined by commas, mappings as JSON, None empty,
    booleans ``true``/``false``; every cell then passes the one formula guard
    (``cells.guard``) — a joined list too."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, list | tuple):
        return guard(",".join(str(v) for v in value))
    if isinstance(value, dict):
        import json

        return guard(json.dumps(value, ensure_ascii=False))
    return guard(value)


def _check(cells: list[object], keys: Sequence[str], encoding: str, number: int,
           record: dict[str, Any]) -> None:
    for key, value in zip(keys, cells, strict=False):
        if isinstance(value, str):
            try:
                value.encode(encoding)
            except UnicodeEncodeError as exc:
                raise Unencodable(number, key, value[exc.start:exc.end], record) from None


def write_delimited(records: Iterable[dict[str, Any]], out: IO[str], *,
                    keys: Sequence[str] | None, delimiter: str = ",", bom: bool = False,
                    crlf: bool = False, headings: Sequence[str] | None = None,
                    encoding: str | None = None) -> int:
    """CSV (or TSV with ``delimiter="\\t"``) of ``records`` under ``keys`` (else the first
    record's keys), the header row ``headings`` if given; returns the number of records.
    With ``encoding`` every cell is checked first (``Unencodable``)."""
    import csv  # here: importing this module (its lists of formats) is cheap

    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n" if crlf else "\n")
    if bom:
        out.write(CSV_BOM)
    count = 0
    header_written = False

    def header(names: Sequence[str]) -> None:
        row = list(headings) if headings is not None else list(names)
        if encoding:
            _check(row, row, encoding, 0, {})
        writer.writerow(row)

    if keys:
        header(keys)
        header_written = True
    for record in records:
        if not header_written:
            keys = list(record)
            header(keys)
            header_written = True
        cells = [cell_text(record.get(k)) for k in keys or []]
        count += 1
        if encoding:
            _check(cells, keys or [], encoding, count, record)
        writer.writerow(cells)
    return count


def write_rows(out: IO[str], header: Sequence[object], rows: Iterable[Sequence[object]], *,
               bom: bool = False, crlf: bool = False) -> None:
    """A CSV of plain rows (a report's section, a template's header): the same cells,
    guard and line ends as ``write_delimited``."""
    keys = [str(i) for i in range(len(header))]
    write_delimited((dict(zip(keys, row, strict=False)) for row in rows), out, keys=keys,
                    headings=[str(h) for h in header], bom=bom, crlf=crlf)


# --- JSON / JSONL -----------------------------------------------------------------------------


def _jsonable(record: dict[str, Any], keys: Sequence[str] | None) -> dict[str, Any]:
    return {k: record.get(k) for k in keys} if keys else record


def write_json(records: Iterable[dict[str, Any]], out: IO[str], *,
               keys: Sequence[str] | None) -> int:
    """A JSON array, streamed one record at a time."""
    import json  # here: importing this module (a group's help page does) loads no json

    count = 0
    out.write("[")
    for record in records:
        out.write(",\n  " if count else "\n  ")
        out.write(json.dumps(_jsonable(record, keys), ensure_ascii=False))
        count += 1
    out.write("\n]\n" if count else "]\n")
    return count


def write_jsonl(records: Iterable[dict[str, Any]], out: IO[str], *,
                keys: Sequence[str] | None) -> int:
    import json

    count = 0
    for record in records:
        out.write(json.dumps(_jsonable(record, keys), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def write_records(fmt: str, records: Iterable[dict[str, Any]], out: IO[str], *,
                  keys: Sequence[str] | None = None, bom: bool = False) -> int:
    """Records as one of the text formats (``TEXT``); returns how many."""
    if fmt in DELIMITED:
        return write_delimited(records, out, keys=keys, delimiter=DELIMITED[fmt], bom=bom)
    if fmt == "json":
        return write_json(records, out, keys=keys)
    if fmt == "jsonl":
        return write_jsonl(records, out, keys=keys)
    raise ValueError(f"not a text format: {fmt!r}")


# --- xlsx ------------------------------------------------------------------------------------

_TITLE_BAD = lazy(r"[\[\]:*?/\\]")
_WIDTH_SAMPLE = 1000  # rows looked at to size the columns (write-only: widths come first)


def sheet_title(title: str, used: set[str] | None = None) -> str:
    """A worksheet name Excel takes: no ``[]:*?/\\``, at most 31 characters, and (given
    the names ``used`` so far, lower-cased) not one of them — ``(2)`` is added."""
    text = " ".join(_TITLE_BAD.sub("", title).split())[:31].strip(" '") or "Sheet"
    if used is None:
        return text
    candidate, n = text, 2
    while candidate.lower() in used:
        suffix = f" ({n})"
        candidate, n = text[: 31 - len(suffix)] + suffix, n + 1
    used.add(candidate.lower())
    return candidate


def text_width(value: object) -> int:
    """Display width in Excel's character units; CJK (wide/full-width) count double."""
    if isinstance(value, Money):
        value = f"{value.yuan:,.2f}"  # as MONEY_FORMAT shows it
    return max((sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)
                for line in str(value).splitlines()), default=0)


_YUAN = lazy(r"-?[0-9]+(?:\.[0-9]{1,2})?")
MONEY_FORMAT = "#,##0.00"
PERCENT_FORMAT = "0.0%"


class Percent(str):
    """A share as the text every writer shows (``"80.0%"``) that an xlsx holds as the
    number ``ratio`` (0.8) in ``PERCENT_FORMAT``, right-aligned, so a clerk can sort and
    compare it."""

    ratio: float

    @classmethod
    def of(cls, text: str, ratio: float) -> Percent:
        made = cls(text)
        made.ratio = ratio
        return made


class Money(str):
    """An amount as its exact yuan text (``"1100.00"``, what every writer shows) that an
    xlsx holds as the number ``yuan`` (1100.0) in ``MONEY_FORMAT``, right-aligned, so a
    clerk can SUM it. ``Money.of`` makes one of yuan text; other text stays as it is."""

    yuan: float

    @classmethod
    def of(cls, text: str) -> str:
        if not _YUAN.fullmatch(text):
            return text
        made = cls(text)
        made.yuan = float(text)  # the double nearest the decimal text, as Decimal's would be
        return made


_ISO_DAY = lazy(r"([0-9]{4})-([0-9]{2})(?:-([0-9]{2}))?")
DATE_FORMAT, MONTH_FORMAT = "yyyy-mm-dd", "yyyy-mm"


class Dated(str):
    """A stored date as its ISO text (``"2026-11-24"``, or ``"1950-03"`` for a month, what
    every writer shows) that an xlsx holds as a real date Excel and WPS sort and filter:
    ``day`` in ``DATE_FORMAT``, a month as its first day in ``MONTH_FORMAT`` (the importer
    reads a month-formatted date as the month, ``tabular.is_month_format``). ``Dated.of``
    makes one of such text; other text (and a day before 1900-03-01, which Excel's
    calendar gets wrong) stays as it is."""

    day: Any  # datetime.date
    number_format: str

    @classmethod
    def of(cls, text: str) -> str:
        import datetime

        m = _ISO_DAY.fullmatch(text)
        if not m:
            return text
        year, month, day = int(m[1]), int(m[2]), int(m[3] or 1)
        try:
            value = datetime.date(year, month, day)
        except ValueError:
            return text
        if value < datetime.date(1900, 3, 1):  # before Excel's calendar is right: text
            return text
        made = cls(text)
        made.day, made.number_format = value, DATE_FORMAT if m[3] else MONTH_FORMAT
        return made


class Band(str):
    """A row of one text across the whole table (a group's heading): bold, merged."""


class Strong(tuple):
    """A row written in bold (a total)."""


class Page:
    """A sheet laid out for paper: ``heading`` lines above the header row (the first is
    the title), ``tail`` lines below the rows, A4 portrait or ``landscape`` fitted to the
    page width, the header row frozen and repeated on every printed page, the page
    number in the footer. Rows may be ``Band``s; cells under ``text_columns`` are text.
    (Page and Bars are plain classes: the dashboard imports this module, and a dataclass
    costs a command ~0.4 ms to define.)"""

    __slots__ = ("heading", "tail", "landscape")

    def __init__(self, heading: Sequence[str] = (), tail: Sequence[str] = (),
                 landscape: bool = False) -> None:
        self.heading = heading
        self.tail = tail
        self.landscape = landscape


class Bars:
    """A bar chart beside a sheet's table (openpyxl's own chart, drawn by Excel/WPS): one
    bar per row, named by the ``label`` column, of the ``value`` column (0-based); a
    ``Strong`` (totals) row is left out."""

    __slots__ = ("label", "value", "title")

    def __init__(self, label: int, value: int, title: str = "") -> None:
        self.label = label
        self.value = value
        self.title = title


def write_xlsx(path: str | Path,
               sheets: Iterable[tuple[str, Sequence[str], Iterable[Sequence[object]]]
                                | tuple[str, Sequence[str], Iterable[Sequence[object]],
                                        Page | Bars | None]],
               *, text_columns: Collection[str] = (), header_fill: str | None = None,
               a4: bool = False) -> None:
    """Write one sheet per ``(title, headers, rows)`` atomically and owner-only (0600).

    The header row is bold (on ``header_fill``, an RGB colour, if given) and frozen;
    columns are sized from the header and the first rows. Cells under a header in
    ``text_columns`` are written as text ("@") so Excel keeps leading zeros and long
    digit strings; None is an empty cell; a ``Strong`` row is bold; text is never
    written as a formula or an error value (``cells.xlsx_cell_maker``, the one guard);
    ``Money`` is a number in ``MONEY_FORMAT``, ``Percent`` in ``PERCENT_FORMAT``,
    right-aligned; ``Dated`` a real date (a month in ``MONTH_FORMAT``). A sheet given
    with a ``Page`` is laid out for printing instead (``_paper_sheet``);
    one given with ``Bars`` gets that chart to the right of its table. ``a4``: every
    other sheet prints on A4 too, fitted to the width (landscape when it is wide).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from cbtool.cells import xlsx_cell_maker

    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor=header_fill) if header_fill else None
    guarded = xlsx_cell_maker()
    right = Alignment(horizontal="right")

    def make(ws: Any, value: object, *, text: bool = False, font: Any = None,
             fill: Any = None) -> object:
        if isinstance(value, Dated) and not text:
            made = WriteOnlyCell(ws, value=value.day)
            made.number_format = value.number_format
        elif not isinstance(value, Money | Percent) or text:
            return guarded(ws, value, text=text, font=font, fill=fill)
        elif isinstance(value, Percent):
            made = WriteOnlyCell(ws, value=value.ratio)
            made.number_format, made.alignment = PERCENT_FORMAT, right
        else:
            made = WriteOnlyCell(ws, value=value.yuan)
            made.number_format, made.alignment = MONEY_FORMAT, right
        if font is not None:
            made.font = font
        if fill is not None:
            made.fill = fill
        return made

    def cell(ws: Any, value: object, as_text: bool, header: bool = False) -> object:
        return make(ws, value, text=as_text, font=bold if header else None,
                    fill=fill if header else None)

    with atomic_write(path, "wb") as handle:  # fails first if the place is unwritable
        wb = Workbook(write_only=True)
        used: set[str] = set()
        for title, headers, rows, *page in sheets:
            ws = wb.create_sheet(sheet_title(title, used))
            if page and isinstance(page[0], Page):  # a sheet for paper (see Page)
                _paper_sheet(ws, headers, rows, page[0], cell, text_columns)
                continue
            bars = page[0] if page else None
            is_text = [h in text_columns for h in headers]
            rows = iter(rows)
            sample = list(islice(rows, _WIDTH_SAMPLE))
            widths = [text_width(h) for h in headers]
            for row in sample:
                for i, value in enumerate(row[: len(widths)]):
                    if value is not None:
                        widths[i] = max(widths[i], text_width(value))
            sized = [min(max(w + 2, 8), 60) for w in widths]
            for i, w in enumerate(sized, 1):
                ws.column_dimensions[get_column_letter(i)].width = w
            ws.freeze_panes = "A2"
            if a4:
                _print_a4(ws, 1, landscape=sum(sized) > A4_PORTRAIT_COLUMNS)
            ws.append([cell(ws, h, False, header=True) for h in headers])
            plain = 0  # rows that are not totals, from the first
            for row in chain(sample, rows):
                if isinstance(row, Strong):
                    ws.append([make(ws, v, text=i < len(is_text) and is_text[i], font=bold)
                               for i, v in enumerate(row)])
                else:
                    ws.append([cell(ws, v, i < len(is_text) and is_text[i])
                               for i, v in enumerate(row)])
                    plain += 1
            if bars is not None and plain:
                _bar_chart(ws, bars, plain, len(headers))
        if not wb.worksheets:
            wb.create_sheet("Sheet")  # a workbook needs at least one sheet
        wb.save(handle)


# A4's printable width (portrait, default margins) in column-width units, about: a table
# wider than this is printed landscape.
A4_PORTRAIT_COLUMNS = 100


def _print_a4(ws: Any, header_row: int, *, landscape: bool) -> None:
    """Print ``ws`` on A4 fitted to the page width, its header row on every page, the
    page number in the footer. A write-only sheet takes fit-to-page only before its first
    row is written."""
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = "9"  # A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.print_options.horizontalCentered = True
    ws.HeaderFooter.oddFooter.center.text = "第 &P 页，共 &N 页"


def _bar_chart(ws: Any, bars: Bars, rows: int, width: int) -> None:
    """``Bars`` of the first ``rows`` data rows, anchored two columns right of the table."""
    from openpyxl.chart import BarChart, Reference
    from openpyxl.utils import get_column_letter

    chart = BarChart()
    chart.type = "bar"  # horizontal: long unit names read on the left
    chart.style = 10
    chart.title = bars.title or None
    chart.legend = None
    chart.y_axis.majorGridlines = None
    chart.x_axis.scaling.orientation = "maxMin"  # the first row on top, as in the table
    chart.add_data(Reference(ws, min_col=bars.value + 1, min_row=1, max_row=rows + 1),
                   titles_from_data=True)
    chart.set_categories(Reference(ws, min_col=bars.label + 1, min_row=2, max_row=rows + 1))
    chart.width = 18  # cm
    chart.height = min(max(6, 0.55 * rows + 2), 40)
    ws.add_chart(chart, f"{get_column_letter(width + 2)}2")


def _paper_sheet(ws: Any, headers: Sequence[str], rows: Iterable[Sequence[object]], page: Page,
                 cell: Any, text_columns: Collection[str]) -> None:
    """Write one printable sheet (``write_xlsx`` with a ``Page``); ``cell`` is its guard."""
    from copy import copy

    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell
    from openpyxl.styles import Alignment, Border, Font, Side
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.cell_range import CellRange

    rows = list(rows)  # a paper is small: every row sizes the columns
    n = max(len(headers), 1)
    thin = Side(style="thin")
    box = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(vertical="center", wrap_text=True)
    widths = [text_width(h) for h in headers]
    for row in rows:
        if not isinstance(row, Band):
            for i, value in enumerate(row[:n]):
                if value is not None:
                    widths[i] = max(widths[i], text_width(value))
    for i, w in enumerate(widths, 1):
        ws.column_dimensions[get_column_letter(i)].width = min(max(w + 2, 6), 40)
    header_row = len(page.heading) + 1
    ws.freeze_panes = f"A{header_row + 1}"
    ws.sheet_properties.pageSetUpPr.fitToPage = True  # before any row: write-only sheet
    last = get_column_letter(n)

    def line(text: str, font: Any, r: int, align: str = "left") -> None:
        c = cell(ws, text, True)
        if not isinstance(c, Cell):
            c = WriteOnlyCell(ws, value=c)
        c.font, c.alignment = font, Alignment(horizontal=align, vertical="center")
        ws.append([c])
        if n > 1:
            ws.merged_cells.add(CellRange(f"A{r}:{last}{r}"))

    for r, text in enumerate(page.heading, 1):
        line(text, Font(bold=True, size=16) if r == 1 else Font(size=11), r,
             "center" if r == 1 else "left")
    head = []
    for h in headers:
        c = cell(ws, h, False, header=True)
        if not isinstance(c, Cell):
            c = WriteOnlyCell(ws, value=c)
        c.border, c.alignment = box, Alignment(horizontal="center", vertical="center",
                                               wrap_text=True)
        head.append(c)
    ws.append(head)
    r = header_row
    is_text = [h in text_columns for h in headers]
    boxed: dict[str, Any] = {}  # number format -> the style array of a boxed cell
    for row in rows:
        r += 1
        if isinstance(row, Band):
            line(str(row), Font(bold=True), r)
            continue
        out = []
        for i, value in enumerate(row):
            c = cell(ws, value, i < len(is_text) and is_text[i])
            if not isinstance(c, Cell):
                c = WriteOnlyCell(ws, value=c)
            # Setting a border or an alignment hashes it against the workbook's styles
            # (most of the time spent): done once per number format, then copied.
            key = c.number_format
            if key not in boxed:
                c.border, c.alignment = box, wrap
                boxed[key] = c._style
            c._style = copy(boxed[key])
            out.append(c)
        ws.append(out)
    for text in page.tail:
        r += 1
        line(text, Font(size=11), r)
    _print_a4(ws, header_row, landscape=page.landscape)
