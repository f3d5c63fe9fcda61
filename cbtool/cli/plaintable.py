"""A table for a pipe, a file or a plain terminal, drawn without loading rich.

``output.render_table`` draws with rich; off a colour terminal its table has no box, no
style and no colour, and for the common case — every line fits the width — its layout is
simple: each column as wide as its widest cell, two spaces between columns, the title
centred over the table. This module writes exactly that, byte for byte, in a fraction of
the time rich takes to load. Anything else (a line that would wrap or fold, a character
that is not plainly printable) returns False, and rich draws it as before.
``tests/test_perf.py`` compares the two on generated tables.

The dashboard off a terminal is drawn here too (``PlainDrawer``, below): the same few
layouts of rich — wrapped text, box-less tables, blocks side by side — for the blocks
``cli.dashboard`` describes (``tests/test_dashboard_plain.py``). One module of ~400 lines
because both are one thing: rich's plain layout, redone where loading rich costs more
than the drawing.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO


def plain_width() -> int:
    """The width of plain output: $COLUMNS, else 240 (as ``output.console`` gives rich)."""
    return int(os.environ.get("COLUMNS", "0") or 0) or 240


def _plain(text: str) -> bool:
    """Text whose width rich and we measure alike: printable, no space but U+0020."""
    return text.isprintable()


# The characters of a Chinese office's tables whose width rich gives without asking it
# (rich.cells takes a moment to load): ASCII, the CJK ideographs, CJK punctuation and
# fullwidth forms (2 cells), the block elements of the
# dashboard's bars and a few narrow signs. Any other character: rich measures.
_WIDE = ((0x3000, 0x3029), (0x3030, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
         (0xFF01, 0xFF60))
_NARROW = frozenset("…·—✓✗×√")
_known: dict[str, int] = {}


def _char_width(ch: str) -> int:
    """1 or 2 cells, or 0 when rich must be asked."""
    code = ord(ch)
    if 0x20 <= code < 0x7F or ch in _NARROW or 0x2580 <= code <= 0x259F:  # block elements
        return 1
    return 2 if any(low <= code <= high for low, high in _WIDE) else 0


def cell_width(text: str) -> int:
    """The cells ``text`` takes on a terminal, exactly as ``rich.cells.cell_len`` says."""
    if text.isascii():
        return len(text)
    total = 0
    for ch in text:
        width = _known.get(ch)
        if width is None:
            width = _known[ch] = _char_width(ch)
        if not width:
            from rich.cells import cell_len

            return cell_len(text)
        total += width
    return total


def write_table(out: IO[str], headings: list[str], rows: list[list[str]], *, width: int,
                title: str | None = None, caption_lines: Iterable[str] = ()) -> bool:
    """Write the table as rich would (box none, edges unpadded; piped, so no line ends in
    spaces) and return True, or write
    nothing and return False when rich's layout would differ from the simple one."""
    if not headings:
        return False
    captions = list(caption_lines)
    texts = [headings, *rows]
    if not all(_plain(cell) for row in texts for cell in row):
        return False
    last = len(headings) - 1
    widths = [0] * len(headings)
    lens = []
    for row in texts:
        if len(row) != len(headings):
            return False
        row_lens = [cell_width(cell) for cell in row]
        lens.append(row_lens)
        for i, n in enumerate(row_lens):
            if n > widths[i]:
                widths[i] = n
    # rich pads each cell by one space on each side, but not at the table's edges; a
    # column with nothing in it is as wide as its padding (one at least)
    padded = [n + (i > 0) + (i < last) or 1 for i, n in enumerate(widths)]
    table_width = sum(padded)
    if table_width > width:
        return False
    lines = []
    if title is not None:
        if not _plain(title) or title != title.strip(" "):  # rich strips a title's ends
            return False
        n = cell_width(title)
        if n > table_width:
            return False
        left = (table_width - n) // 2
        lines.append(" " * left + title)
    for row, row_lens in zip(texts, lens, strict=True):
        parts = []
        for i, (cell, n) in enumerate(zip(row, row_lens, strict=True)):
            inner = padded[i] - (i > 0) - (i < last)
            parts.append(" " * (i > 0) + cell + " " * (inner - n) + " " * (i < last))
        lines.append("".join(parts))
    for line in captions:  # a caption may hold the ideographic space (a legend's gaps)
        if not _plain(line.replace("\u3000", "")) or cell_width(line) > width:
            return False
        lines.append(line)
    # as the piped console writes it: no line ends in padding (cli.output._NoTrailingSpaces)
    out.write("\n".join(line.rstrip(" ") for line in lines) + "\n")
    return True


# --- blocks: the dashboard off a terminal ---------------------------------------------
#
# ``cli.dashboard`` says what the dashboard holds once, to a drawer: rich's on a terminal,
# or ``PlainDrawer`` here, which lays the same blocks out as rich does with no box, style
# or colour (Text wrapped at spaces, words longer than the line folded; tables as wide as
# their cells, cut with "…" where a column has a maximum; two blocks side by side where
# both fit, else one under the other). What it cannot be sure to draw as rich would
# (a character whose width rich must be asked, a table rich would squeeze, markup in a
# heading) raises ``Unsupported`` before anything is written, and rich draws it.
# ``tests/test_dashboard_plain.py`` compares the two on several databases and widths.


class Unsupported(Exception):
    """rich would lay this out otherwise: let rich draw it."""


def _widths(text: str) -> list[int]:
    if not _plain(text):
        raise Unsupported(text)
    widths = []
    for ch in text:
        width = _known.get(ch)
        if width is None:
            width = _known[ch] = _char_width(ch)
        if not width:
            raise Unsupported(ch)
        widths.append(width)
    return widths


def _cells(text: str) -> int:
    return len(text) if text.isascii() and text.isprintable() else sum(_widths(text))


def _crop(text: str, width: int) -> str:
    """``rich.cells.set_cell_size`` cropping: a wide character cut in two becomes a space."""
    out, used = [], 0
    for ch, n in zip(text, _widths(text), strict=True):
        if used + n > width:
            return "".join(out) + " " * (width - used)
        out.append(ch)
        used += n
    return "".join(out)


def _fold(word: str, width: int) -> list[str]:
    """``rich.cells.chop_cells``: ``word`` in pieces of at most ``width`` cells."""
    pieces, line, used = [], [], 0
    for ch, n in zip(word, _widths(word), strict=True):
        if used + n > width:
            pieces.append("".join(line))
            line, used = [], 0
        line.append(ch)
        used += n
    if used:
        pieces.append("".join(line))
    return pieces


def _words(text: str) -> list[tuple[int, str]]:
    """(start, word with the spaces after it; the first with those before it), as rich's
    ``\\s*\\S+\\s*`` finds them (plain text has no space but U+0020)."""
    found, i, n = [], 0, len(text)
    while i < n:
        j = i
        while j < n and text[j] == " ":
            j += 1
        if j == n:
            break
        while j < n and text[j] != " ":
            j += 1
        while j < n and text[j] == " ":
            j += 1
        found.append((i, text[i:j]))
        i = j
    return found


def wrap(line: str, width: int) -> list[str]:
    """One line of text in lines of at most ``width`` cells, as ``rich.text.Text.wrap``
    folds it (``rich._wrap.divide_line``); trailing spaces dropped."""
    breaks: list[int] = []
    offset = 0
    for start, word in _words(line):
        length = _cells(word.rstrip(" "))
        if width - offset >= length:
            offset += _cells(word)
        elif length > width:
            pieces = _fold(word, width)
            for k, piece in enumerate(pieces):
                if start:
                    breaks.append(start)
                if k == len(pieces) - 1:
                    offset = _cells(piece)
                else:
                    start += len(piece)
        elif offset and start:
            breaks.append(start)
            offset = _cells(word)
    bounds = [0, *breaks, len(line)]
    return [_crop(line[a:b], width).rstrip(" ") if _cells(line[a:b]) > width
            else line[a:b].rstrip(" ") for a, b in zip(bounds, bounds[1:], strict=False)]


def _pad(line: str, width: int) -> str:
    return line + " " * (width - _cells(line))


class _Text:
    def __init__(self, text: str) -> None:
        self.paragraphs = text.split("\n")
        self.longest = max(_cells(p) for p in self.paragraphs)

    def measure(self, width: int) -> int:
        return min(self.longest, width)

    def lines(self, width: int) -> list[str]:
        return [piece for p in self.paragraphs for piece in wrap(p, width)]


class _Stack:
    def __init__(self, parts: list) -> None:
        self.parts = parts

    def measure(self, width: int) -> int:
        return max((part.measure(width) for part in self.parts), default=0)

    def lines(self, width: int) -> list[str]:
        return [line for part in self.parts for line in part.lines(width)]


class _Grid:
    """A rich Table without a box: ``columns`` of (justify, max_width, fixed width, may
    wrap),
    ``pads`` each column's (left, right) padding, ``rows`` of cell texts."""

    def __init__(self, columns: list[tuple[str, int | None, int | None]],
                 pads: list[tuple[int, int]], rows: list[list[str]]) -> None:
        self.columns, self.pads, self.rows = columns, pads, rows
        for row in rows:
            if len(row) != len(columns):
                raise Unsupported("a row of another length")
        self.lens = [[_cells(cell) for cell in row] for row in rows]

    def _maxima(self, width: int, widths: list[int] | None = None) -> list[int]:
        """Each column's widest (``Table._measure_column``), in ``width`` or, given
        ``widths``, each in its own."""
        out = []
        for i, (_, most, fixed, _wraps) in enumerate(self.columns):
            if widths is not None:
                width = widths[i]
                if width < 1:
                    out.append(0)
                    continue
            pad = sum(self.pads[i])
            if fixed is not None:
                out.append(min(fixed + pad, width))
                continue
            if not self.rows:
                raise Unsupported("a column without cells")
            widest = max(min(row[i] + pad, width) if width - pad >= 1 else width
                         for row in self.lens)
            out.append(widest if most is None else min(widest, most + pad))
        return out

    def measure(self, width: int) -> int:
        return sum(self._maxima(width))

    def lines(self, width: int) -> list[str]:
        widths = [n or 1 for n in self._maxima(width)]
        if sum(widths) > width:  # rich squeezes: wrapping columns first, else every one
            if any(wraps for *_, wraps in self.columns):
                raise Unsupported("too wide")
            widths = _ratio_reduce(sum(widths) - width, widths)
            widths = self._maxima(width, widths)
        out = []
        for row, lens in zip(self.rows, self.lens, strict=True):
            parts = []
            for i, (cell, n) in enumerate(zip(row, lens, strict=True)):
                left, right = self.pads[i]
                inner = widths[i] - left - right
                if inner < 1:
                    if cell or widths[i]:  # rich's cells narrower than their padding
                        raise Unsupported("a column squeezed away")
                    continue
                justify = self.columns[i][0]
                if justify == "right":
                    cell = cell.rstrip()
                    n = _cells(cell)
                if n > inner:  # no_wrap, overflow "ellipsis" (rich's default)
                    if len(cell) > inner:  # Text.rstrip_end
                        spaces = len(cell) - len(cell.rstrip())
                        cell = cell[: len(cell) - min(spaces, len(cell) - inner)]
                        n = _cells(cell)
                    if n > inner:
                        cell = _crop(cell, inner - 1) + "…"
                        n = _cells(cell)
                fill = " " * (inner - n)
                cell = fill + cell if justify == "right" else cell + fill
                parts.append(" " * left + cell + " " * right)
            out.append("".join(parts).rstrip(" "))
        return out


def _ratio_reduce(excess: int, widths: list[int]) -> list[int]:
    """``rich._ratio.ratio_reduce(excess, [1] * n, widths, widths)``: rich's last resort
    for a table too wide, ``excess`` cells taken from the columns in turn."""
    ratios = [1 if n else 0 for n in widths]
    total_ratio, remaining, out = sum(ratios), excess, []
    for ratio, n in zip(ratios, widths, strict=True):
        if ratio and total_ratio > 0:
            taken = min(n, round(ratio * remaining / total_ratio))
            out.append(n - taken)
            remaining -= taken
            total_ratio -= ratio
        else:
            out.append(n)
    return out


class _Side:
    def __init__(self, left, right, gap: int) -> None:
        self.left, self.right, self.gap = left, right, gap

    def lines(self, width: int) -> list[str]:
        lw = self.left.measure(width - self.gap)
        rw = self.right.measure(width)
        if lw + self.gap + rw > width:
            raise Unsupported("side by side does not fit")
        left, right = self.left.lines(lw), self.right.lines(rw)
        rows = max(len(left), len(right))
        left += [""] * (rows - len(left))
        right += [""] * (rows - len(right))
        return [(_pad(a, lw) + " " * self.gap + b).rstrip(" ")
                for a, b in zip(left, right, strict=True)]


class PlainDrawer:
    """The dashboard's drawer off a terminal: blocks in, lines out (``text()``)."""

    fancy = False

    def __init__(self, width: int) -> None:
        self.width = width
        self._lines: list[str] = []

    def line(self, spans: Iterable[tuple[str, str]]) -> _Text:
        return _Text("".join(text for text, _style in spans))

    def heading(self, text: str, lang: str) -> _Text:
        return _Text(f"【{text}】" if lang != "en" else f"== {text} ==")

    def header(self, title: str, meta: str) -> None:
        self.print(_Text(title))
        if meta:
            self.print(_Text(meta))

    def stack(self, *parts) -> _Stack:
        return _Stack(list(parts))

    def table(self, columns: list[dict], rows: list[list[tuple[str, str]]]) -> _Grid:
        """The members table: a header and a footer row, two spaces between columns."""
        texts = [col["header"] for col in columns] + [col.get("footer", "") for col in columns]
        if any("[" in text for text in texts):  # rich reads markup in these
            raise Unsupported("markup")
        last = len(columns) - 1
        pads = [(int(i > 0), int(i < last)) for i in range(len(columns))]
        specs = [(col.get("justify", "left"), col.get("max_width"), None,
                  not col.get("no_wrap", False)) for col in columns]
        body = [[text for text, _style in row] for row in rows]
        return _Grid(specs, pads, [[c["header"] for c in columns], *body,
                                   [c.get("footer", "") for c in columns]])

    def bars(self, rows: list[tuple[str, str, str]], width: int, names: int,
             none: str) -> _Grid:
        """Name (at most ``names`` cells), bar (``width`` cells), figure (right): one apart."""
        cells = [list(row) for row in rows] or [[none, "", ""]]
        specs = [("left", names, None, False), ("left", None, width, False),
                 ("right", None, None, False)]
        return _Grid(specs, [(0, 1), (0, 1), (0, 0)], cells)

    def side_by_side(self, left, right, gap: int):
        if left.measure(self.width) + right.measure(self.width) + gap > self.width:
            return _Stack([left, _Text(""), right])
        return _Side(left, right, gap)

    def print(self, block=None) -> None:
        self._lines.extend([""] if block is None else block.lines(self.width))

    def text(self) -> str:
        return "".join(line + "\n" for line in self._lines)
