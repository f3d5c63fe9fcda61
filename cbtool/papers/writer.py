"""Writing a paper: xlsx (``formats.write_xlsx`` with a print layout), html, md, csv.

Files are written atomically and owner-only (``files.atomic_write``); ``-`` writes a text
format to standard output. A directory as ``--out`` gets the paper's default name.
"""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

from cbtool.errors import EnvError, os_reason
from cbtool.files import CANNOT_WRITE, atomic_write
from cbtool.formats import CSV_BOM, Page, write_delimited, write_xlsx
from cbtool.papers.model import Group, Paper, footer_line
from cbtool.text import Msg

NO_DIR = Msg("输出目录不存在：{path}", "output directory does not exist: {path}")


def target(out: str, default_name: str) -> Path:
    """The file to write: ``out``, or ``default_name`` inside it when it is a directory
    (or ends with a slash: then it is made, owner-only)."""
    path = Path(out)
    if out.endswith(("/", os.sep)) and not path.exists():
        try:
            path.mkdir(parents=True, mode=0o700)
        except OSError as exc:
            raise EnvError(CANNOT_WRITE, path=out, reason=os_reason(exc)) from None
    if path.is_dir():
        return path / default_name
    if not path.parent.is_dir():
        raise EnvError(NO_DIR, path=str(path.parent))
    return path


def render_md(paper: Paper) -> str:
    from cbtool.text import md_text as md_escape

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, float):
            return f"{value:g}"
        return md_escape(str(value))

    lines = [f"# {md_escape(paper.title)}", ""]
    for sheet in paper.sheets:
        if len(paper.sheets) > 1 and sheet.heading:
            lines += [f"## {md_escape(sheet.heading[0])}", ""]
        facts = sheet.heading[1:]
        if facts:
            lines += ["  \n".join(md_escape(f) for f in facts), ""]
        n = len(sheet.columns)
        lines.append("| " + " | ".join(md_escape(c) for c in sheet.columns) + " |")
        lines.append("|" + "|".join(" --- " for _ in sheet.columns) + "|")
        for row in sheet.rows:
            if isinstance(row, Group):
                lines.append("| " + " | ".join([f"**{md_escape(str(row))}**"] + [""] * (n - 1))
                             + " |")
            else:
                lines.append("| " + " | ".join(cell(v) for v in row) + " |")
        if sheet.total is not None:
            lines.append("| " + " | ".join(f"**{cell(v)}**" if cell(v) else ""
                                           for v in sheet.total) + " |")
        lines.append("")
        if sheet.tail:
            lines += ["  \n".join(md_escape(t) for t in sheet.tail), ""]
    if foot := footer_line(paper):
        lines += [md_escape(foot), ""]
    return "\n".join(lines).rstrip("\n") + "\n"


def render_csv(paper: Paper) -> str:
    """One table: a sheet's group (its area) as a column instead of band rows; several
    sheets one after another, each with its title line."""
    buf = io.StringIO()
    for i, sheet in enumerate(paper.sheets):
        if i:
            buf.write("\n")
        keys = ([sheet.group_column] if sheet.group_column else []) + list(sheet.columns)
        if len(paper.sheets) > 1 and sheet.heading:
            buf.write(f"# {sheet.heading[0]}\n")
        group = ""
        records = []
        for row in sheet.rows:
            if isinstance(row, Group):
                group = row.key
                continue
            values = ([group] if sheet.group_column else []) + list(row)
            records.append(dict(zip(keys, values, strict=False)))
        write_delimited(records, buf, keys=keys)
    return buf.getvalue()


def render_text(paper: Paper, fmt: str, *, nowrap_columns: set[str] = frozenset()) -> str:
    if fmt == "html":
        from cbtool.papers.html import render_html

        return render_html(paper, nowrap_columns=nowrap_columns)
    if fmt == "md":
        return render_md(paper)
    return CSV_BOM + render_csv(paper)


def write_paper_xlsx(paper: Paper, path: Path) -> None:
    foot = footer_line(paper)
    sheets = []
    for sheet in paper.sheets:
        rows = list(sheet.rows) + ([sheet.total] if sheet.total is not None else [])
        page = Page(heading=sheet.heading, tail=[*sheet.tail, *([foot] if foot else [])],
                    landscape=paper.landscape)
        sheets.append((sheet.name, sheet.columns, rows, page))
    text_columns = frozenset().union(*(s.text_columns for s in paper.sheets))
    write_xlsx(path, sheets, text_columns=text_columns)


def write_paper(paper: Paper, fmt: str, out: str, default_name: str, *,
                nowrap_columns: set[str] = frozenset()) -> Path | None:
    """Write ``paper`` as ``fmt`` to ``out`` (``-``: standard output, text formats);
    returns the path written (None for standard output)."""
    if out == "-":
        text = render_text(paper, fmt, nowrap_columns=nowrap_columns)
        sys.stdout.write(text.removeprefix(CSV_BOM))
        return None
    path = target(out, default_name)
    if fmt == "xlsx":
        write_paper_xlsx(paper, path)
        return path
    text = render_text(paper, fmt, nowrap_columns=nowrap_columns)
    with atomic_write(path, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    return path
