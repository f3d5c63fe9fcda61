"""Writing a report file: md, html, csv (a directory), json, xlsx.

Every file is written with ``atomic_write`` (owner-only, fsync, rename), so a reader
or a cron mail never sees half a report, and a rerun replaces the previous one.
"""

from __future__ import annotations

import contextlib
import json
import math
import os
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from json.encoder import encode_basestring
from operator import itemgetter
from pathlib import Path
from typing import Any

from cbtool.errors import EnvError, InvalidInput
from cbtool.files import atomic_write, drop_quietly, fsync_dir, make_dirs, sweep, write_error
from cbtool.formats import REPORT, Bars, Strong, write_rows, write_xlsx
from cbtool.report.model import Section, period_label, sections
from cbtool.text import Msg

# format -> the file's extension ("": csv is a directory of section files)
FORMATS = {name: "" if name == "csv" else name for name in REPORT}

BAD_FORMAT = Msg(
    "未知的报告格式“{fmt}”（可用：md、html、csv、json、xlsx）",
    "unknown report format '{fmt}' (one of: md, html, csv, json, xlsx)",
)
NOT_A_REPORT = Msg(
    "{path} 已存在且不是 csv 报表目录，不会覆盖（请换一个 {opt_out}）",
    "{path} exists and is not a csv report directory; it is not overwritten (choose another {opt_out})",
)
NO_DIR = Msg("输出目录不存在：{path}", "output directory does not exist: {path}")

_INFINITY = float("inf")
_TEXT = {str}


class _NotPlain(Exception):
    """A value ``json_text`` leaves to ``json.dumps`` (not a plain JSON type)."""


def _json_value(value: Any, indent: str) -> str:
    kind = type(value)
    if kind is str:
        return encode_basestring(value)
    if kind is int:
        return int.__repr__(value)
    if kind is float:
        if value != value:
            return "NaN"
        if value in (_INFINITY, -_INFINITY):
            return "Infinity" if value > 0 else "-Infinity"
        return float.__repr__(value)
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    inner = indent + "  "
    if kind is dict:
        if not value:
            return "{}"
        parts = []
        for key, item in value.items():
            if type(key) is not str:
                raise _NotPlain
            sort = type(item)  # the commonest values here, the rest by the rules above
            if sort is int:
                parts.append(f"{encode_basestring(key)}: {int.__repr__(item)}")
            elif sort is str:
                parts.append(f"{encode_basestring(key)}: {encode_basestring(item)}")
            else:
                parts.append(f"{encode_basestring(key)}: {_json_value(item, inner)}")
        return f"{{{inner}{(',' + inner).join(parts)}{indent}}}"  # one copy, not four
    if kind is list or kind is tuple:
        if not value:
            return "[]"
        if set(map(type, value)) == _TEXT:  # codes: the commonest list
            return f"[{inner}{(',' + inner).join(map(encode_basestring, value))}{indent}]"
        return f"[{inner}{(',' + inner).join(_json_values(value, inner))}{indent}]"
    raise _NotPlain


def _json_values(values: list | tuple, indent: str) -> list[str]:
    """``[_json_value(v, indent) for v in values]``, worked out key by key when the values
    are alike: all texts, all whole numbers, all finite floats, or all tables with the
    same keys (a roll-up's 1,000 unit rows), each key's values alike in turn; so its work
    is per key, not per value. Value by value when they are not alike."""
    kinds = set(map(type, values))
    if len(kinds) == 1 and len(values) > 1:
        kind = kinds.pop()
        if kind is str:
            return list(map(encode_basestring, values))
        if kind is int:
            return list(map(int.__repr__, values))
        if kind is float and all(map(math.isfinite, values)):
            return list(map(float.__repr__, values))
        if kind is dict:
            keys = tuple(values[0])
            if (keys and list(map(tuple, values)).count(keys) == len(values)
                    and set(map(type, keys)) == _TEXT):
                inner = indent + "  "
                rows = map(itemgetter(*keys), values)
                columns = zip(*rows, strict=True) if len(keys) > 1 else [tuple(rows)]
                texts = [list(map(f"{encode_basestring(key)}: ".__add__,
                                  _json_values(column, inner)))
                         for key, column in zip(keys, columns, strict=True)]
                head, between, tail = "{" + inner, "," + inner, indent + "}"
                return [f"{head}{between.join(row)}{tail}" for row in zip(*texts, strict=True)]
    return [_json_value(v, indent) for v in values]


def json_text(doc: Any) -> str:
    """``doc`` as the json format writes it: exactly ``json.dumps(doc, ensure_ascii=False,
    indent=2)`` and a line break, built without the pure-Python encoder that ``indent``
    costs (a district's roll-up of 1,000 units is some 4 MB of JSON: twice as fast; its
    unit rows, alike, key by key: ``_json_values``). Anything but plain JSON types is
    left to ``json.dumps``."""
    try:
        return _json_value(doc, "\n") + "\n"
    except (_NotPlain, RecursionError):
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def safe_label(label: str) -> str:
    """A period label fit for a file name: '2026-11-01..2026-11-30' -> '2026-11-01_2026-11-30'."""
    text = re.sub(r"[^0-9A-Za-z_.-]+", "_", label.replace("..", "_"))  # '/' never survives
    text = re.sub(r"_{2,}", "_", text).strip("._-")
    return text or "report"


def report_name(doc: dict, fmt: str, prefix: str = "cbtool-report") -> str:
    base = f"{prefix}-{safe_label(period_label(doc))}"
    ext = FORMATS[fmt]
    return f"{base}.{ext}" if ext else base


_OWN_TEMP = re.compile(r"\.[^/]+\.csv\.[a-z0-9_]{8}\.tmp")  # a killed run's section file


def _is_csv_report_dir(path: Path) -> bool:
    """A directory an earlier csv report wrote (only section CSVs, overview among them,
    and perhaps a killed run's temporary files): given again as ``--out``, its files are
    replaced rather than a report nested into it."""
    try:
        names = os.listdir(path)
    except OSError:
        return False
    return "overview.csv" in names and all(
        n.endswith(".csv") or _OWN_TEMP.fullmatch(n) for n in names)


def _target(doc: dict, fmt: str, out_path: str | Path, prefix: str) -> Path:
    text = os.fspath(out_path)
    path = Path(text)
    as_dir = text.endswith(("/", os.sep))
    if as_dir and not path.exists():
        make_dirs(path)
    if path.is_dir() and not (fmt == "csv" and not as_dir and _is_csv_report_dir(path)):
        return path / report_name(doc, fmt, prefix)
    if not path.parent.is_dir():  # the environment, not the data: exit 3
        raise EnvError(NO_DIR, path=str(path.parent))
    if fmt == "csv" and (path.exists() or path.is_symlink()) and not _is_csv_report_dir(path):
        # a csv report is a directory that replaces only an earlier csv report, never a file
        raise InvalidInput(NOT_A_REPORT, path=text)
    return path


# ---------------------------------------------------------------------------
# Writers


def _csv_cell(value: Any) -> Any:
    """Numbers as they are (12.0 as 12); the formula guard is the CSV writer's."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _write_csv_rows(handle: Any, section: Section) -> None:
    """A section as CSV the way Excel writes it (BOM, CR LF), through the one CSV writer."""
    write_rows(handle, section.columns, ([_csv_cell(v) for v in row] for row in section.rows),
               bom=True, crlf=True)


def _write_sections(directory: Path, parts: list[Section]) -> set[str]:
    """Every section's CSV in ``directory``: all written and fsynced under temporary
    names first, then renamed into place one after the other."""
    names = set()
    with contextlib.ExitStack() as stack:
        for section in parts:
            name = f"{section.key}.csv"
            handle = stack.enter_context(atomic_write(directory / name, "w"))
            _write_csv_rows(handle, section)
            names.add(name)
    return names


def _write_csv_dir(target: Path, parts: list[Section]) -> None:
    """A csv report directory, replaced so that a reader never finds it missing and a
    kill never loses the previous report: an existing report directory stays where it
    is and each file in it is replaced atomically (then sections no longer produced are
    removed); a new one is built under a temporary name and renamed into place whole."""
    parent = target.parent if str(target.parent) else Path(".")
    sweep(parent, target.name)  # a killed first run's directory
    if target.is_dir():
        written = _write_sections(target, parts)
        for name in os.listdir(target):
            if name.endswith(".csv") and name not in written:
                with contextlib.suppress(OSError):
                    os.unlink(target / name)
        return
    try:
        tmp = Path(tempfile.mkdtemp(prefix=f".{target.name}.", suffix=".tmp", dir=parent))
    except OSError as exc:
        raise write_error(exc, target) from None
    try:
        _write_sections(tmp, parts)
        os.rename(tmp, target)
    except OSError as exc:
        shutil.rmtree(tmp, ignore_errors=True)
        raise write_error(exc, target) from None
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    fsync_dir(parent)


def _write_xlsx(target: Path, parts: list[Section]) -> None:
    """One sheet per section (the one xlsx writer): header on grey, a total row bold."""
    sheets = []
    for section in parts:
        rows = [Strong(row) if section.total_row and i == len(section.rows) - 1 else row
                for i, row in enumerate(section.rows)]
        bars = (Bars(*section.chart, title=section.columns[section.chart[1]])
                if section.chart else None)
        sheets.append((section.title, section.columns, rows, bars))
    write_xlsx(target, sheets, header_fill="F2F2F2", a4=True)


def _report_md(doc: dict, lang: str) -> str:
    from cbtool.report.md import render_md

    return render_md(doc, lang)


def _report_html(doc: dict, lang: str) -> str:
    from cbtool.report.html import render_html

    return render_html(doc, lang)


@dataclass(frozen=True)
class View:
    """How a kind of document is written: its file name's prefix, its sections (csv,
    xlsx) and its md and html renderers. The office report's is ``REPORT_VIEW``; the
    district roll-up has its own (``cbtool.report.rollup``)."""

    prefix: str
    sections: Callable[[dict, str], list[Section]]
    md: Callable[[dict, str], str]
    html: Callable[[dict, str], str]


REPORT_VIEW = View("cbtool-report", sections, _report_md, _report_html)


def write_report(doc: dict, fmt: str, out_path: str | Path, lang: str = "zh", *,
                 view: View = REPORT_VIEW) -> Path:
    """Write the summary document as ``fmt`` to ``out_path``; return the path written.

    ``out_path`` may be an existing directory (or end with '/'): the report is then
    named ``cbtool-report-<period>.<ext>`` (``view.prefix``) inside it; for csv that
    name is a directory holding one ``<section>.csv`` per section.
    """
    if fmt not in FORMATS:
        raise InvalidInput(BAD_FORMAT, fmt=fmt)
    target = _target(doc, fmt, out_path, view.prefix)
    try:
        if fmt == "csv":
            _write_csv_dir(target, view.sections(doc, lang))
        elif fmt == "xlsx":
            _write_xlsx(target, view.sections(doc, lang))
        else:
            if fmt == "json":
                text = json_text(doc)
            elif fmt == "md":
                text = view.md(doc, lang)
            else:
                text = view.html(doc, lang)
            with atomic_write(target, "w", encoding="utf-8", newline="") as handle:
                handle.write(text)
    except OSError as exc:  # not the target's own (atomic_write names those): a scratch file's
        drop_quietly(exc)
        raise write_error(exc, target, at_target=False) from None
    return target
