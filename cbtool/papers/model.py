"""What a paper is, whatever the format: a title and sheets (sections) of one table each,
with lines above and below; the group rows of a table are ``Group`` bands."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from cbtool.formats import Band


class Group(Band):
    """A group's heading row (e.g. an area and its count); ``key`` is what the group is
    (its area), for formats without bands (csv gets a column of it)."""

    key: str = ""

    def __new__(cls, text: str, key: str = "") -> Group:
        band = super().__new__(cls, text)
        band.key = key
        return band


@dataclass
class Sheet:
    """One table for paper: an xlsx sheet, an html section, an md section."""

    name: str  # the sheet's (or section's) short name
    heading: list[str]  # the title first, then lines of facts
    columns: list[str]
    rows: list[list[object] | Group] = field(default_factory=list)
    total: list[object] | None = None  # the totals row, after the rows
    tail: list[str] = field(default_factory=list)  # lines below the table
    text_columns: frozenset[str] = frozenset()  # written as text in xlsx
    group_column: str | None = None  # csv: the column that holds each row's group
    # html: the printed width of a column, in em of the body text (a column not named
    # shares what is left); the table is laid out fixed, so long text wraps in its cell.
    widths: dict[str, float] = field(default_factory=dict)


@dataclass
class Paper:
    title: str  # the document's title (html <title>, md heading)
    sheets: list[Sheet]
    office: str | None = None
    made_on: date | None = None  # the local day the paper was made
    landscape: bool = False
    note: str | None = None  # a line printed at the foot of every page
    key: str = ""  # what the paper is of (a point code, "all"), for its file name


def zh_day(day: date) -> str:
    """2026-12-02 -> 2026年12月2日."""
    return f"{day.year}年{day.month}月{day.day}日"


def footer_line(paper: Paper) -> str:
    parts = []
    if paper.office:
        parts.append(f"制表单位：{paper.office}")
    if paper.made_on:
        parts.append(f"制表日期：{zh_day(paper.made_on)}")
    if paper.note:
        parts.append(paper.note)
    return "　".join(parts)
