"""A paper as one self-contained HTML page (inline CSS, no scripts, no links) that prints
on A4: the header row repeats on every page, a row is never cut by a page break, an area's
band stays with its first member, and the columns have fixed widths (``Sheet.widths``) so
that long names and notes wrap inside their cells; where the browser draws page-margin boxes,
each page is numbered and carries the footer line (office, date), which is also printed
once at the end of the document for browsers that do not."""

from __future__ import annotations

from html import escape

from cbtool.papers.model import Group, Paper, Sheet, footer_line

CSS = """
@page { size: A4 %(orientation)s; margin: 12mm 10mm 16mm 10mm;
  @bottom-center { content: "第 " counter(page) " 页"; font-size: 9pt; }%(margin_foot)s }
* { box-sizing: border-box; }
body { margin: 12mm auto 16mm; max-width: %(width)s; color: #000; background: #fff;
  font: 10.5pt/1.45 "SimSun", "Songti SC", "Noto Serif CJK SC", "Source Han Serif SC", serif; }
h1 { font-size: 17pt; text-align: center; margin: 0 0 4pt; letter-spacing: 1pt; }
p.fact { margin: 0 0 2pt; font-size: 10pt; }
table { width: 100%%; table-layout: fixed; border-collapse: collapse; margin: 4pt 0 6pt; }
th, td { border: 0.6pt solid #000; padding: 2pt 3pt; vertical-align: middle;
  overflow-wrap: anywhere; }
thead { display: table-header-group; }
thead th { background: #eee; font-weight: bold; text-align: center; word-break: keep-all; }
tr { break-inside: avoid; page-break-inside: avoid; }
tr.group { break-after: avoid; page-break-after: avoid; }
tr.group th { text-align: left; background: #f6f6f6; }
tr.total { break-before: avoid; page-break-before: avoid; }
tr.total td { font-weight: bold; }
td.num { text-align: right; }
td.keep { word-break: keep-all; }
div.tail { break-inside: avoid; page-break-inside: avoid; }
p.tail { margin: 2pt 0; }
section + section { break-before: page; page-break-before: always; }
footer.print { font-size: 9pt; color: #333; margin-top: 8pt; }
@media print { body { max-width: none; margin: 0; } }
"""


def _cell(value: object) -> tuple[str, str]:
    """The text of a cell and its class (numbers right-aligned)."""
    if value is None:
        return "", ""
    if isinstance(value, bool):
        return ("✓" if value else "✗"), ""
    if isinstance(value, int | float):
        text = f"{value:g}" if isinstance(value, float) else str(value)
        return text, "num"
    return str(value), ""


def _row(values: list[object], nowrap: set[int], css: str = "") -> str:
    cells = []
    for i, value in enumerate(values):
        text, cls = _cell(value)
        if i in nowrap and not cls:
            cls = "keep"
        attr = f' class="{cls}"' if cls else ""
        cells.append(f"<td{attr}>{escape(text)}</td>")
    attr = f' class="{css}"' if css else ""
    return f"<tr{attr}>{''.join(cells)}</tr>"


def _sheet(sheet: Sheet, nowrap_columns: set[str]) -> str:
    n = len(sheet.columns)
    nowrap = {i for i, c in enumerate(sheet.columns) if c in nowrap_columns}
    out = ["<section>"]
    if sheet.heading:
        out.append(f"<h1>{escape(sheet.heading[0])}</h1>")
        out.extend(f'<p class="fact">{escape(line)}</p>' for line in sheet.heading[1:])
    out.append("<table>")
    if sheet.widths:
        out.append("<colgroup>" + "".join(
            f'<col style="width: {sheet.widths[c]:g}em">' if c in sheet.widths else "<col>"
            for c in sheet.columns) + "</colgroup>")
    out.append("<thead><tr>" + "".join(f"<th>{escape(c)}</th>" for c in sheet.columns)
               + "</tr></thead>")
    out.append("<tbody>")
    for row in sheet.rows:
        if isinstance(row, Group):
            out.append(f'<tr class="group"><th colspan="{n}">{escape(str(row))}</th></tr>')
        else:
            out.append(_row(list(row), nowrap))
    if sheet.total is not None:
        out.append(_row(list(sheet.total), nowrap, "total"))
    out.append("</tbody></table>")
    if sheet.tail:
        out.append('<div class="tail">')
        out.extend(f'<p class="tail">{escape(line)}</p>' for line in sheet.tail)
        out.append("</div>")
    out.append("</section>")
    return "\n".join(out)


def _css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the rule or the style element."""
    out = []
    for ch in text:
        if ch in '"\\<>&' or not ch.isprintable():
            out.append(f"\\{ord(ch):x} ")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def render_html(paper: Paper, *, nowrap_columns: set[str] = frozenset()) -> str:
    """The whole paper as one HTML document (``nowrap_columns``: kept whole, broken only
    at punctuation such as a list's 、, or where one word is wider than its cell)."""
    foot = footer_line(paper)
    margin_foot = (f"\n  @bottom-left {{ content: {_css_string(foot)}; font-size: 8pt; }}"
                   if foot else "")
    css = CSS % {"orientation": "landscape" if paper.landscape else "portrait",
                 "width": "277mm" if paper.landscape else "190mm", "margin_foot": margin_foot}
    body = "\n".join(_sheet(s, set(nowrap_columns)) for s in paper.sheets)
    footer = f'<footer class="print">{escape(foot)}</footer>' if foot else ""
    return (
        "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
        f"<title>{escape(paper.title)}</title>\n<style>{css}</style>\n</head>\n<body>\n"
        f"{body}\n{footer}\n</body>\n</html>\n"
    )
