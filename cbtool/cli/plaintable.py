"""A table for a pipe, a file or a plain terminal, drawn without loading rich.

``output.render_table`` draws with rich; off a colour terminal its table has no box, no
style and no colour, and for the common case — every line fits the width — its layout is
simple: each column as wide as its widest cell, two spaces between columns, the title
centred over the table. This module writes exactly that, byte for byte, in a fraction of
the time rich takes to load. Anything else (a line that would wrap or fold, a character
that is not plainly printable) returns False, and rich draws it as before.
``tests/test_perf.py`` compares the two on generated tables.
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
# fullwidth forms (2 cells), and a few narrow signs. Any other character: rich measures.
_WIDE = ((0x3000, 0x3029), (0x3030, 0x303E), (0x3400, 0x4DBF), (0x4E00, 0x9FFF),
         (0xFF01, 0xFF60))
_NARROW = frozenset("…·—✓✗×√")
_known: dict[str, int] = {}


def _char_width(ch: str) -> int:
    """1 or 2 cells, or 0 when rich must be asked."""
    code = ord(ch)
    if 0x20 <= code < 0x7F or ch in _NARROW:
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
