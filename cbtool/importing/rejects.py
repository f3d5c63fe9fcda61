"""The ``errors`` file of an import: every rejected row as CSV, to fix and import again.

UTF-8 with a BOM (Excel opens it right), owner-only, written atomically and written even
when nothing was rejected, so a file from an earlier run is never mistaken for this one's.
Given ``typed`` (the file's rows read again raw: ``tabular.typed_rows``) the cells are as
the clerk typed them — full-width spaces, padding, a month as the workbook shows it — so
that the one bad cell can be fixed and the file imported again; the import itself reads
cleaned cells, and the file is read again only for the rejected rows, after the check.
"""

from __future__ import annotations

from collections.abc import Callable, Generator, Iterator
from pathlib import Path

from cbtool.files import atomic_write
from cbtool.formats import write_delimited
from cbtool.importing.headings import REJECT_ERROR, REJECT_LINE
from cbtool.importing.plan import Plan
from cbtool.importing.stage import REJECTS

Typed = Callable[[set[int]], Iterator[tuple[int, dict[str, str | None]]]]


def write_rejects(path: Path, plan: Plan, lang: str = "zh", typed: Typed | None = None) -> None:
    """The file's own columns of each rejected row, then ``line`` and ``error``; with
    ``typed``, the cells as typed where the file can still be read (else as parked)."""
    headers = plan.reject_headers or [h for h in plan.headers if h]
    line_key = _free(REJECT_LINE[lang if lang in REJECT_LINE else "zh"], headers)
    error_key = _free(REJECT_ERROR[lang if lang in REJECT_ERROR else "zh"], headers)

    raw = _as_typed(plan, typed if plan.rejected else None)
    pending = next(raw, None)

    def rows() -> Iterator[dict[str, object]]:
        nonlocal pending
        for row in plan.rejected_rows(lang):
            line, error = row.pop("line"), row.pop("error")
            while pending is not None and pending[0] < line:
                pending = next(raw, None)
            if pending is not None and pending[0] == line:
                row.update((k, v) for k, v in pending[1].items() if k in row)
            yield {**row, line_key: line, error_key: error}

    try:
        with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
            write_delimited(rows(), out, keys=[*headers, line_key, error_key], bom=True)
    finally:
        raw.close()


def _as_typed(plan: Plan, typed: Typed | None
              ) -> Generator[tuple[int, dict[str, str | None]], None, None]:
    """The rejected rows as typed, in line order; ends early (the rest as parked) if the
    file can no longer be read as it was."""
    if typed is None:
        return
    store = plan.importer.store
    lines = {line for (line,) in store.execute(f"SELECT line FROM temp.{REJECTS}")}
    try:
        yield from typed(lines)
    except Exception:  # noqa: BLE001 (changed or gone since the check: the parked cells)
        return


def _free(name: str, headers: list[str]) -> str:
    """``name``, or ``cbtool_name`` when the file has a column of that name itself."""
    return name if name not in headers else f"cbtool_{name}"


def write_file_error(path: Path, message: str, lang: str = "zh") -> None:
    """A file rejected as a whole: one row, its reason."""
    keys = [REJECT_LINE.get(lang, REJECT_LINE["zh"]), REJECT_ERROR.get(lang, REJECT_ERROR["zh"])]
    with atomic_write(path, "w", encoding="utf-8", newline="", errors="replace") as out:
        write_delimited([{keys[0]: "", keys[1]: message}], out, keys=keys, bom=True)
