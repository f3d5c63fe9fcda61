"""Markdown report: a title, the period line, one pipe table per section."""

from __future__ import annotations

from typing import Any

from cbtool.formats import Money
from cbtool.report.model import (
    Section,
    as_dict,
    fmt_num,
    period_dates,
    report_title,
    sections,
    t,
)
from cbtool.text import md_text
from cbtool.vocab import mark_legend


def _cell(value: Any) -> str:
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, int | float):
        return fmt_num(value)
    return " ".join(md_text(str(value)).split())  # line breaks shown escaped, HTML escaped


def _numeric_columns(section: Section) -> list[bool]:
    flags = []
    for i in range(len(section.columns)):
        values = [row[i] for row in section.rows if i < len(row) and row[i] != ""]
        flags.append(bool(values) and all(isinstance(v, int | float | Money) for v in values))
    return flags


def section_md(section: Section, lang: str, legend: str | None = None) -> str:
    """A section as a pipe table; ``legend`` (what the marks mean) under its heading."""
    lines = [f"## {md_text(section.title)}", ""]
    if not section.rows:
        return "\n".join([*lines, t("none", lang), ""])
    if legend:  # a plain line: ✓* inside emphasis would end it
        lines += [md_text(legend), ""]
    numeric = _numeric_columns(section)
    lines.append("| " + " | ".join(_cell(c) for c in section.columns) + " |")
    lines.append("|" + "|".join("---:" if n else "---" for n in numeric) + "|")
    last = len(section.rows) - 1
    for i, row in enumerate(section.rows):
        cells = [_cell(v) for v in row]
        if section.total_row and i == last:
            cells = [f"**{c}**" if c else c for c in cells]
        lines.append("| " + " | ".join(cells) + " |")
    lines.append("")
    return "\n".join(lines)


def render_md(doc: dict, lang: str = "zh") -> str:
    head = [f"# {md_text(report_title(doc, lang))}", ""]
    start, end = period_dates(doc)
    colon = ": " if lang == "en" else "："
    facts = []
    if start or end:
        facts.append(t("period", lang) + colon + t("date_range", lang, start=start, end=end))
    if doc.get("as_of"):
        facts.append(t("as_of", lang) + colon + str(doc["as_of"]))
    if facts:
        head += ["  \n".join(md_text(f) for f in facts), ""]
    days = as_dict(doc.get("checklist")).get("stale_days")
    legend = mark_legend(lang, days if isinstance(days, int) and not isinstance(days, bool)
                         else None)
    body = [section_md(s, lang, legend if s.key == "checklist_by_point" else None)
            for s in sections(doc, lang)]
    return "\n".join(head + body).rstrip("\n") + "\n"
