"""The summary document's values as the renderers read them (a missing or odd value is
empty, never an error) and the one table shape of every report. Below ``model`` and the
sections built beside it (``pairings_aid``), which all read the document through these."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass
class Section:
    """One table of the report: a file in csv, a sheet in xlsx, a table in md/html."""

    key: str
    title: str
    columns: list[str]
    rows: list[list[Any]] = field(default_factory=list)
    total_row: bool = False  # the last row is a totals row
    chart: tuple[int, int] | None = None  # xlsx: bars of column [1] named by column [0]
