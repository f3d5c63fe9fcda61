"""The ``errors`` file of an import: every rejected row as CSV, to fix and import again.

UTF-8 with a BOM (Excel opens it right), owner-only, written atomically and written even
when nothing was rejected, so a file from an earlier run is never mistaken for this one's.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from cbtool.files import atomic_write
from cbtool.formats import write_delimited
from cbtool.importing.headings import REJECT_ERROR, REJECT_LINE
from cbtool.importing.plan import Plan


def write_rejects(path: Path, plan: Plan, lang: str = "zh") -> None:
    """The file's own columns of each rejected row, then ``line`` and ``error``."""
    headers = plan.reject_headers or [h for h in plan.headers if h]
    line_key = _free(REJECT_LINE[lang if lang in REJECT_LINE else "zh"], headers)
    error_key = _free(REJECT_ERROR[lang if lang in REJECT_ERROR else "zh"], headers)

    def rows() -> Iterator[dict[str, object]]:
        for row in plan.rejected_rows(lang):
            line, error = row.pop("line"), row.pop("error")
            yield {**row, line_key: line, error_key: error}

    with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
        write_delimited(rows(), out, keys=[*headers, line_key, error_key], bom=True)


def _free(name: str, headers: list[str]) -> str:
    """``name``, or ``cbtool_name`` when the file has a column of that name itself."""
    return name if name not in headers else f"cbtool_{name}"


def write_file_error(path: Path, message: str, lang: str = "zh") -> None:
    """A file rejected as a whole: one row, its reason."""
    keys = [REJECT_LINE.get(lang, REJECT_LINE["zh"]), REJECT_ERROR.get(lang, REJECT_ERROR["zh"])]
    with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
        write_delimited([{keys[0]: "", keys[1]: message}], out, keys=keys, bom=True)
