"""The summary document's values as the renderers read them (a missing or odd value is
empty, never an error) and the one table shape of every report. Below ``model`` and the
sections built beside it (``pairings_aid``), which all read the document through these."""

from __future__ import annotations

from typing import Any


def as_dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list:
    return value if isinstance(value, list) else []


def num(value: Any) -> int | float:
    """A figure from the document; anything missing or odd counts as 0."""
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return value
    try:
        return float(value) if "." in str(value) else int(value)
    except (TypeError, ValueError):
        return 0


def point_names(doc: dict) -> dict[str, str]:
    """Point code -> name, from whatever lists of points the document carries."""
    names: dict[str, str] = {}
    for row in as_list(as_dict(doc.get("checklist")).get("by_point")):
        row = as_dict(row)
        if row.get("point"):
            names[str(row["point"])] = str(row.get("name") or "")
    for row in as_list(as_dict(doc.get("logs")).get("by_point")):
        row = as_dict(row)
        if row.get("point") and row.get("name"):
            names[str(row["point"])] = str(row["name"])
    return names


class Section:
    """One table of the report: a file in csv, a sheet in xlsx, a table in md/html. (A plain
    class: the dashboard imports this module, and a dataclass costs ~0.4 ms to define.)"""

    __slots__ = ("key", "title", "columns", "rows", "total_row", "chart")

    def __init__(self, key: str, title: str, columns: list[str],
                 rows: list[list[Any]] | None = None, total_row: bool = False,
                 chart: tuple[int, int] | None = None) -> None:
        self.key = key
        self.title = title
        self.columns = columns
        self.rows = [] if rows is None else rows
        self.total_row = total_row  # the last row is a totals row
        self.chart = chart  # xlsx: bars of column [1] named by column [0]

    def __repr__(self) -> str:
        return f"Section({self.key!r}, {len(self.rows)} rows)"
