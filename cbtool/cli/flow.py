"""Lists of items flowed into lines by display width (a Chinese character is 2 cells),
for the dashboard's lines that name things with their figures (``A01 石化红管家 1、…``).

A terminal's own wrapping (rich's, at spaces, else anywhere) can put an item's figure on
the next line (``金山区卫生健康委员会`` / ``1``) and start a line with ``、``. Here an item
is one unit: a line breaks only between items, the separator stays at the end of the
line, and no line starts with punctuation that closes something (``、，：；）``…). An item
wider than a whole line is folded by cells, never before such punctuation. Every line
comes out at most ``width`` cells, so no drawer wraps it again.
"""

from __future__ import annotations

from cbtool.cli.plaintable import cell_width

# What may not begin a line (Chinese typesetting's 行首禁则, and their ASCII cousins).
NO_LINE_START = frozenset("、，。：；！？）】》」』〕,.;:!?)]·")


def flow(head: str, items: list[str], sep: str, width: int, indent: int = 2) -> list[str]:
    """``head`` then ``items`` joined by ``sep`` in lines of at most ``width`` cells;
    lines after the first indented ``indent`` cells past the head's own indent."""
    units = [item + (sep if i < len(items) - 1 else "") for i, item in enumerate(items)]
    for i in range(len(units) - 1, 0, -1):  # a unit that opens with 、 joins the one before
        while units[i] and units[i][0] in NO_LINE_START:
            units[i - 1] += units[i][0]
            units[i] = units[i][1:]
    units = [u for u in units if u]
    lead = " " * (len(head) - len(head.lstrip(" ")) + indent)
    width = max(width, cell_width(lead) + 4)  # a line holds something past its indent
    lines: list[str] = []
    line = head
    for unit in units:
        shown = unit.rstrip(" ")  # a separator's space is not kept at a line's end
        if cell_width(line + shown) <= width:
            line += unit
            continue
        if cell_width(lead + shown) > width:  # wider than a whole line: folded on
            *done, line = _fold(line, unit, width, lead)
            lines.extend(done)
        else:
            if line.strip():
                lines.append(line.rstrip(" "))
            line = lead + unit
    if line.strip() or not lines:
        lines.append(line.rstrip(" "))
    return lines


def _fold(line: str, unit: str, width: int, lead: str) -> list[str]:
    """``line`` + ``unit`` in pieces of at most ``width`` cells (the last one open), never
    a piece opening with closing punctuation: the character before goes down with it."""
    pieces = []
    for ch in unit:
        if ch != " " and line.strip() and cell_width(line + ch) > width:
            keep, carry = line.rstrip(" "), ""
            while (carry or ch)[0] in NO_LINE_START and len(keep) > len(lead) + 1:
                carry, keep = keep[-1] + carry, keep[:-1]
            pieces.append(keep.rstrip(" "))
            line = lead + carry
        line += ch
    pieces.append(line)
    return pieces
