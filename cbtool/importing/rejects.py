"""The ``errors`` file of an import: every rejected row as CSV, to fix and import again.

UTF-8 with a BOM (Excel opens it right), owner-only, written atomically and written even
when nothing was rejected, so a file from an earlier run is never mistaken for this one's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cbtool.files import atomic_write
from cbtool.formats import write_delimited
from cbtool.importing.plan import Plan


def write_rejects(path: Path, plan: Plan, lang: str = "zh") -> None:
    """The file's own columns of each rejected row, then ``line`` and ``error``."""
    headers = plan.reject_headers or [h for h in plan.headers if h]
    line_key = "line" if "line" not in headers else "cbtool_line"
    error_key = "error" if "error" not in headers else "cbtool_error"

    def rows() -> Iterator[dict[str, object]]:
        for row in plan.rejected_rows(lang):
            line, error = row.pop("line"), row.pop("error")
            yield {**row, line_key: line, error_key: error}

    with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
        write_delimited(rows(), out, keys=[*headers, line_key, error_key], bom=True)


def write_file_error(path: Path, message: str) -> None:
    """A file rejected as a whole: one row, its reason."""
    with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
        write_delimited([{"line": "", "error": message}], out, keys=["line", "error"], bom=True)
