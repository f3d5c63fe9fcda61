"""Rendering the summary document as a report: md, html, csv, json, xlsx.

Works from the document alone (the dict ``summary`` builds), so the SQL that computes
the figures and the presentation stay apart. The modules:

- ``model``: reading the document, labels, number formats, the flat ``sections``;
- ``md`` / ``html`` (with ``svg`` charts and ``report.css``): the text renderers;
- ``writer``: file names and atomic, owner-only writing of every format.
"""

from __future__ import annotations

from cbtool.report.html import render_html
from cbtool.report.md import render_md
from cbtool.report.model import Section, sections
from cbtool.report.writer import FORMATS, report_name, safe_label, write_report

__all__ = [
    "FORMATS",
    "Section",
    "render_html",
    "render_md",
    "report_name",
    "safe_label",
    "sections",
    "write_report",
]
