"""Rendering the summary document as a report: md, html, csv, json, xlsx.

Works from the document alone (the dict ``summary`` builds), so the SQL that computes
the figures and the presentation stay apart. The modules:

- ``model``: reading the document, labels, number formats, the flat ``sections``;
- ``md`` / ``html`` (with ``svg`` charts and ``report.css``): the text renderers;
- ``writer``: file names and atomic, owner-only writing of every format.
"""

from __future__ import annotations

# The names below are loaded on first use (PEP 562): ``summary``'s dashboard reads only
# ``model``, and importing the html/svg/xlsx writers for it cost every summary ~8 ms.
_WHERE = {
    "FORMATS": "writer",
    "Section": "model",
    "render_html": "html",
    "render_md": "md",
    "report_name": "writer",
    "safe_label": "writer",
    "sections": "model",
    "write_report": "writer",
}
__all__ = sorted(_WHERE)


def __getattr__(name: str) -> object:
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from importlib import import_module

    value = getattr(import_module(f"{__name__}.{module}"), name)
    globals()[name] = value
    return value
