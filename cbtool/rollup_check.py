"""Reading and checking one office's report before the roll-up counts it: the file (a
regular file, bounded, UTF-8 JSON), the document (a cbtool report of a known version, of
the period asked, naming its office) and every figure (counts whole and bounded, totals
that add up). Whatever fails is a ``Refused`` naming the file.

Why one module of ~450 lines: every rule a unit's report must meet (kinds, ranges,
labels, nesting) is the one gate before a figure is counted.
"""

from __future__ import annotations

import json
import math
import os
import stat
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date
from itertools import chain
from pathlib import Path
from typing import Any

from cbtool.errors import InvalidInput, os_reason
from cbtool.fields import Period
from cbtool.summary import SCHEMA
from cbtool.text import UNTYPEABLE, Msg

MAX_BYTES = 32 << 20  # a district's document of 1,000 units is about 2 MiB
MAX_COUNT = 10**12  # no office counts more of anything
MAX_KEYS = 1000  # in one table of a section (categories, kinds, items …)
MAX_DEPTH = 8  # tables in tables in a section
MAX_TEXT = 200  # a name, a code, a label
# The spec's figures every report carries (section -> key -> kind of value).
REQUIRED: dict[str, dict[str, str]] = {
    "members": {"total": "count", "by_category": "counts", "by_area": "list", "joined": "count",
                "archived": "count", "recategorized": "count", "placed": "count",
                "overdue_contact": "count"},
    "logs": {"total": "count", "served": "count", "hours": "number", "by_point": "list",
             "by_kind": "counts", "idle_points": "codes"},
    "checklist": {"points": "count", "compliant": "count", "missing": "counts",
                  "never_checked": "count", "stale": "count", "items": "codes"},
}
# Parts of a figure a count cannot exceed: (section, key, the key it is a part of)
PARTS = (("checklist", "compliant", "points"), ("checklist", "never_checked", "points"),
         ("checklist", "stale", "points"))
NO_PATH = Msg("找不到 {file}", "{file}: no such file or directory")
UNREADABLE = Msg("无法读取 {file}：{reason}", "cannot read {file}: {reason}")
NOT_REGULAR = Msg("{file} 不是普通文件", "{file} is not a regular file")
TOO_BIG = Msg("{file} 超过 {limit} MiB，不是 cbtool 报告",
              "{file} is over {limit} MiB; not a cbtool report")
NOT_JSON = Msg("{file} 不是有效的 JSON：第 {line} 行第 {column} 列有误",
               "{file} is not valid JSON: error at line {line}, column {column}")
NOT_A_NUMBER = Msg("{file} 不是有效的 JSON：含有 JSON 不允许的数值 {name}",
                   "{file} is not valid JSON: it holds {name}, which JSON does not allow")
NOT_UTF8 = Msg("{file} 不是 UTF-8 文本", "{file} is not UTF-8 text")
FOREIGN = Msg("{file} 不是 cbtool 报告（cbtool report 写出的 JSON）：缺少 {key}",
              "{file} is not a cbtool report (the JSON cbtool report writes): no {key}")
UNNAMED = Msg("{file} 是旧版 cbtool 的报告，未注明单位和版本：请该单位升级 cbtool 后重新生成",
              "{file} is a report of an older cbtool that names neither office nor version: "
              "that office must upgrade cbtool and write it again")
NEWER = Msg("{file} 的文档版本 {schema} 比本程序能读的（{ours}）新，请升级 cbtool",
            "{file} has document version {schema}, newer than this cbtool reads ({ours}); "
            "upgrade cbtool")
OLD = Msg("{file} 的文档版本 {schema} 无法汇总（本程序读 1 至 {ours}）",
          "{file} has document version {schema}, which cannot be rolled up (this cbtool "
          "reads 1 to {ours})")
BAD = Msg("{file}：{key} 应为{expected_zh}，实际是 {actual}",
          "{file}: {key} must be {expected}, not {actual}")
TOO_DEEP = Msg("{file}：{key} 嵌套过深", "{file}: {key} is nested too deeply")
TOO_MANY = Msg("{file}：{key} 的项目超过 {limit} 个", "{file}: {key} has over {limit} entries")
NOT_SUM = Msg("{file}：{key}（{total}）与各项之和（{sum}）不符",
              "{file}: {key} ({total}) is not the sum of its parts ({sum})")
OVER = Msg("{file}：{key}（{part}）大于 {whole_key}（{whole}）",
           "{file}: {key} ({part}) is more than {whole_key} ({whole})")
OTHER_PERIOD = Msg("{file} 是 {label} 的报告，不是 {period} 的，拒收",
                   "{file} is a report for {label}, not {period}; refused")
AREA_ONLY = Msg("{file} 只统计了居民区 {area}，不是全单位的报告",
                "{file} counts area {area} only, not the whole office")
NO_CODE = Msg("{file} 没有单位代码：请该单位在配置的 [office] 中写上 code",
              "{file} carries no office code: that office must set [office] code in its config")
AS_OF_OUTSIDE = Msg("{file}：as_of {as_of} 不在统计期间 {start} 至 {end} 内",
                    "{file}: as_of {as_of} is outside the period {start} to {end}")
NESTED = Msg("{file}：单位 {code} 已计入 {rollup} 的汇总（{rollup_file}），不能再计一次，拒收",
             "{file}: unit {code} is already counted in {rollup}'s roll-up ({rollup_file}); "
             "refused, so as not to count it twice")
# Top-level keys that are not sections of figures.
META = frozenset({"period", "as_of", "area", "labels", "office", "tool", "schema",
                  "generated_at", "units", "rollup"})
NUMBERS = frozenset({int, float})  # not bool (a subclass of int)
WHOLE = frozenset({int})
TEXT = frozenset({str})
_TABLE = frozenset({dict})
FEN = "_fen"  # a key ending so is money in integer fen

_KINDS = {  # kind of value -> (expected, en / zh)
    "count": (f"a whole number from 0 to {MAX_COUNT:,}", f" 0 到 {MAX_COUNT:,} 之间的整数"),
    "number": ("a number from 0 up", "不小于 0 的数"),
    "fen": (f"a whole number of fen from 0 to {MAX_COUNT:,}", f"以分计的整数（0 到 {MAX_COUNT:,}）"),
    "counts": ("a table of whole numbers", "由整数组成的表"),
    "list": ("a list", "列表"),
    "codes": ("a list of codes (text)", "代码（文字）的列表"),
    "table": ("a table", "表"),
    "text": (f"text of at most {MAX_TEXT} characters without control characters",
             f"不超过 {MAX_TEXT} 字、不含控制字符的文字"),
    "date": ("a date (YYYY-MM-DD)", "日期（YYYY-MM-DD）"),
    "schema": ("a whole number", "整数"),
}


class Refused(InvalidInput):
    """One file that is not rolled up, and why (the file is named in the message)."""


@dataclass
class Unit:
    """One unit's report, read and checked."""

    file: str
    doc: dict[str, Any]
    code: str
    mtime: float = 0.0

    @property
    def as_of(self) -> str:
        return self.doc["as_of"]


def report_files(paths: Iterable[str | os.PathLike]) -> list[tuple[str, Refused | None]]:
    """Each file to read, in order: a file as given, a directory's ``*.json`` (not in its
    subdirectories) sorted by name; a path that is not there comes back refused."""
    found: list[tuple[str, Refused | None]] = []
    for given in paths:
        text = os.fspath(given)
        path = Path(text)
        if path.is_dir():
            try:
                names = sorted(e.name for e in os.scandir(path)
                               if e.name.endswith(".json") and not e.name.startswith(".")
                               and e.is_file())
            except OSError as exc:
                found.append((text, Refused(UNREADABLE, file=text, reason=os_reason(exc))))
                continue
            found += [(str(path / name), None) for name in names]
        elif path.exists() or path.is_symlink():
            found.append((text, None))
        else:
            found.append((text, Refused(NO_PATH, file=text)))
    return found


class _NotANumber(ValueError):
    """NaN, Infinity or -Infinity in a report (Python's json reads them; JSON has none)."""


def _no_constant(name: str) -> None:
    raise _NotANumber(name)


def load(file: str) -> tuple[Any, float]:
    """The JSON in ``file`` (at most MAX_BYTES read) and its modification time."""
    try:
        # regular files only (a FIFO would wait for a writer, /dev/zero never end), checked
        # before opening and, in case it was swapped meanwhile, after (O_NONBLOCK: no wait)
        if not stat.S_ISREG(os.stat(file).st_mode):
            raise Refused(NOT_REGULAR, file=file)
        with open(os.open(file, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            st = os.fstat(handle.fileno())
            if not stat.S_ISREG(st.st_mode):
                raise Refused(NOT_REGULAR, file=file)
            # as much as the file holds (a buffer of MAX_BYTES for each would cost more
            # than the reading), then what it grew by since, as far as the limit
            want = min(st.st_size, MAX_BYTES) + 1
            raw = handle.read(want)
            if len(raw) == want and want <= MAX_BYTES:
                raw += handle.read(MAX_BYTES + 1 - want)
    except OSError as exc:
        raise Refused(UNREADABLE, file=file, reason=os_reason(exc)) from None
    if len(raw) > MAX_BYTES:
        raise Refused(TOO_BIG, file=file, limit=MAX_BYTES >> 20)
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Refused(NOT_UTF8, file=file) from None
    try:
        return json.loads(text, parse_constant=_no_constant), st.st_mtime
    except RecursionError:
        raise Refused(TOO_DEEP, file=file, key="JSON") from None
    except _NotANumber as exc:
        raise Refused(NOT_A_NUMBER, file=file, name=str(exc)) from None
    except json.JSONDecodeError as exc:  # its own text is English: the place is said instead
        raise Refused(NOT_JSON, file=file, line=exc.lineno, column=exc.colno) from None


def _bad(file: str, key: str, kind: str, actual: object) -> Refused:
    en, zh = _KINDS[kind]
    shown = json.dumps(actual, ensure_ascii=False)
    if len(shown) > 60:
        shown = shown[:57] + "…"
    return Refused(BAD, file=file, key=key, expected=en, expected_zh=zh, actual=shown)


def is_number(value: object) -> bool:
    return type(value) in NUMBERS


def _count(file: str, key: str, value: object) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_COUNT:
        raise _bad(file, key, "count", value)
    return value


def _any_bad_text(values: Collection[Any]) -> bool:
    """Whether any of ``values`` is not a text ``_text`` takes: the rule checked over a
    whole table at once, in C (one search of them joined: a line break is not untypeable,
    so joining makes no match). Which one, and why, is ``_text``'s to say."""
    if not values:
        return False
    return (set(map(type, values)) != TEXT or max(map(len, values)) > MAX_TEXT
            or not all(map(str.strip, values))
            or UNTYPEABLE.search("\n".join(values)) is not None)


def _text(file: str, key: str, value: object, *, required: bool = False) -> str | None:
    if value is None and not required:
        return None
    if not isinstance(value, str) or _any_bad_text((str(value),)):
        raise _bad(file, key, "text", value)
    return value.strip()


def _texts(file: str, key: str, table: dict[str, Any]) -> None:
    """Every value of ``table`` as ``_text`` (None allowed); the first wrong one named."""
    if _any_bad_text([v for v in table.values() if v is not None]):
        for sub, text in table.items():
            _text(file, f"{key}.{sub}", text)


def _all_counts(values: Collection[Any], kinds: frozenset[type] = NUMBERS) -> bool:
    """Whether ``values`` are all numbers of ``kinds`` from 0 to MAX_COUNT, none NaN: the
    checks of ``_count`` and ``_check_figures`` over a whole table at once (``min`` and
    ``max`` in C; a NaN can only make them fail, never pass). False says only that one
    of them is to be looked at."""
    if not values:
        return True
    found = set(map(type, values))
    return (found <= kinds and 0 <= min(values) and max(values) <= MAX_COUNT
            and (float not in found or not any(map(math.isnan, values))))


def _fen_in(table: dict[str, Any]) -> bool:
    """Whether ``table`` (of numbers) holds money in fen (``…_fen``) as a float: the one
    kind of figure that must be whole whatever section it is in. The keys are searched
    joined (in C); only a table naming fen is looked at key by key."""
    return (FEN + "\n" in "\n".join(table) + "\n"
            and any(type(v) is float for k, v in table.items() if k.endswith(FEN)))


def _check_figures(file: str, key: str, value: Any, trim: list, depth: int = 0) -> None:
    """Every figure of a section that is read: a number from 0 to MAX_COUNT (never NaN,
    infinite or negative), tables not too deep nor too big, codes in lists as text.
    Rows (tables in a list: one office's detail) are never read, so never checked; each
    list is put in ``trim`` (its table, its key, whether it is codes) for ``_slim``.
    The first thing wrong, in the document's order, is the one named."""
    kind = type(value)
    if kind in NUMBERS:
        if not 0 <= value <= MAX_COUNT:  # NaN compares false too
            raise _bad(file, key, "number", value)
    elif kind is dict:
        if depth >= MAX_DEPTH:
            raise Refused(TOO_DEEP, file=file, key=key)
        if len(value) > MAX_KEYS:
            raise Refused(TOO_MANY, file=file, key=key, limit=MAX_KEYS)
        if not value:
            return
        keys_ok = max(map(len, value)) <= MAX_TEXT and not UNTYPEABLE.search("\n".join(value))
        if keys_ok and _all_counts(value.values()) and not _fen_in(value):
            return  # a table of numbers, all fine
        for sub, item in value.items():
            if not keys_ok and (len(sub) > MAX_TEXT or UNTYPEABLE.search(sub)):
                raise _bad(file, f"{key}.…", "text", sub)
            sort = type(item)
            if sort in NUMBERS:  # a leaf, checked here (the walk's most common step)
                if not 0 <= item <= MAX_COUNT:
                    raise _bad(file, f"{key}.{sub}", "number", item)
                if sort is float and sub.endswith(FEN):  # money is whole fen
                    raise _bad(file, f"{key}.{sub}", "fen", item)
            elif sort is dict:
                _check_figures(file, f"{key}.{sub}", item, trim, depth + 1)
            elif sort is list:
                found = set(map(type, item))
                if str in found and _any_bad_text([v for v in item if type(v) is str]):
                    _check_figures(file, f"{key}.{sub}", item, trim, depth + 1)
                trim.append((value, sub, found <= TEXT))
    elif kind is list:
        for i, item in enumerate(value):
            if type(item) is str:
                _text(file, f"{key}[{i}]", item)


def check(doc: Any, file: str, period: Period) -> Unit:
    """``doc`` as one unit's report of ``period``, or ``Refused`` naming the file and
    the first thing wrong."""
    if not isinstance(doc, dict):
        raise Refused(FOREIGN, file=file, key="{…}")
    tool = doc.get("tool")
    if tool is None and all(isinstance(doc.get(name), dict) for name in REQUIRED):
        raise Refused(UNNAMED, file=file)
    if not isinstance(tool, dict) or tool.get("name") != "cbtool":
        raise Refused(FOREIGN, file=file, key="tool.name = cbtool")
    schema = doc.get("schema")
    if not isinstance(schema, int) or isinstance(schema, bool):
        raise _bad(file, "schema", "schema", schema)
    if schema > SCHEMA:
        raise Refused(NEWER, file=file, schema=schema, ours=SCHEMA)
    if schema < 1:
        raise Refused(OLD, file=file, schema=schema, ours=SCHEMA)
    got = doc.get("period")
    if not isinstance(got, dict) or not isinstance(got.get("label"), str):
        raise _bad(file, "period", "table", got)
    # the same days are the same period, however the office typed it (2026-11, 2026年11月,
    # 2026-11-01..2026-11-30): the days are compared, not the label
    if (got.get("start"), got.get("end")) != (period.start.isoformat(), period.end.isoformat()):
        label = _text(file, "period.label", got["label"]) or ""
        raise Refused(OTHER_PERIOD, file=file, label=label, period=period.label)
    if doc.get("area") is not None:
        raise Refused(AREA_ONLY, file=file, area=_text(file, "area", doc["area"]) or "")
    as_of = doc.get("as_of")
    try:
        day = date.fromisoformat(as_of) if isinstance(as_of, str) and len(as_of) == 10 else None
    except ValueError:
        day = None
    if day is None:
        raise _bad(file, "as_of", "date", as_of)
    if not period.start <= day <= period.end:
        raise Refused(AS_OF_OUTSIDE, file=file, as_of=as_of, start=period.start, end=period.end)
    office = doc.get("office")
    if not isinstance(office, dict):
        raise _bad(file, "office", "table", office)
    if office.get("code") is None:
        raise Refused(NO_CODE, file=file)
    code = _text(file, "office.code", office.get("code"), required=True)
    for key in ("name", "parent"):
        _text(file, f"office.{key}", office.get(key))
    labels = doc.get("labels", {})
    if not isinstance(labels, dict):
        raise _bad(file, "labels", "table", labels)
    tables = labels.values()  # all of them at once; one by one to name what is wrong
    if not (set(map(type, tables)) <= _TABLE and max(map(len, tables), default=0) <= MAX_KEYS
            and not _any_bad_text([v for v in chain.from_iterable(map(dict.values, tables))
                                   if v is not None])):
        for vocab, table in labels.items():
            if not isinstance(table, dict) or len(table) > MAX_KEYS:
                raise _bad(file, f"labels.{vocab}", "table", table)
            _texts(file, f"labels.{vocab}", table)
    for name, wanted in REQUIRED.items():
        section = doc.get(name)
        if not isinstance(section, dict):
            raise Refused(FOREIGN, file=file, key=name)
        for key, kind in wanted.items():
            dotted = f"{name}.{key}"
            if key not in section:
                raise Refused(FOREIGN, file=file, key=dotted)
            value = section[key]
            if kind == "count":
                if type(value) is not int or not 0 <= value <= MAX_COUNT:
                    _count(file, dotted, value)
            elif kind == "counts":
                if not isinstance(value, dict):
                    raise _bad(file, dotted, "counts", value)
                if not _all_counts(value.values(), WHOLE):
                    for sub, n in value.items():
                        _count(file, f"{dotted}.{sub}", n)
            elif kind == "list" and not isinstance(value, list):
                raise _bad(file, dotted, "list", value)
            elif kind == "codes" and not (isinstance(value, list)
                                          and all(isinstance(v, str) for v in value)):
                raise _bad(file, dotted, "codes", value)
            elif kind == "number" and not is_number(value):
                raise _bad(file, dotted, "number", value)
    trim: list[tuple[dict[str, Any], str, bool]] = []
    for name, section in doc.items():
        if name not in META and isinstance(section, dict):
            _check_figures(file, name, section, trim)
    for name, total, parts in (("members", "total", "by_category"), ("logs", "total", "by_kind")):
        whole, summed = doc[name][total], sum(doc[name][parts].values())
        if whole != summed:
            raise Refused(NOT_SUM, file=file, key=f"{name}.{total}", total=whole, sum=summed)
    for name, part, whole in PARTS:
        if doc[name][part] > doc[name][whole]:
            raise Refused(OVER, file=file, key=f"{name}.{part}", part=doc[name][part],
                          whole_key=f"{name}.{whole}", whole=doc[name][whole])
    for item, n in doc["checklist"]["missing"].items():
        if n > doc["checklist"]["points"]:
            raise Refused(OVER, file=file, key=f"checklist.missing.{item}", part=n,
                          whole_key="checklist.points", whole=doc["checklist"]["points"])
    _slim(trim)
    return Unit(file=file, doc=doc, code=code or "")


def _slim(trim: list[tuple[dict[str, Any], str, bool]]) -> None:
    """Rows (a ``by_…`` list: one office's detail) are never read, so not kept either: a
    thousand units' reports stay small. A list of anything but codes (text) is rows by
    another name: left out. ``trim``: the lists ``_check_figures`` found."""
    for table, key, codes in trim:
        if key.startswith("by_"):
            table[key] = []
        elif not codes:
            del table[key]


def sections_of(doc: dict[str, Any]) -> list[str]:
    """The document's sections of figures: the spec's three first, then any other table."""
    names = [name for name in REQUIRED if isinstance(doc.get(name), dict)]
    names += [k for k, v in doc.items() if k not in META and k not in REQUIRED
              and isinstance(v, dict)]
    return names


def _inner_codes(unit: Unit) -> list[str]:
    """The codes of the units a roll-up document counts (none for an office's report)."""
    rows = unit.doc.get("units")
    if not isinstance(rows, list):
        return []
    return [row["code"] for row in rows if isinstance(row, dict) and isinstance(row.get("code"), str)]


def refuse_nested(chosen: dict[str, Unit]) -> list[Refused]:
    """Take out of ``chosen`` (code -> unit) what another roll-up given already counts: an
    office's report whose unit is inside a district's roll-up, or a second roll-up sharing
    a unit with a first (in code order); each comes back refused, naming both files."""
    refused: list[Refused] = []
    claimed: dict[str, Unit] = {}  # an inner unit's code -> the roll-up counting it
    for code in sorted(chosen):
        unit = chosen[code]
        inner = _inner_codes(unit)
        if not inner:
            continue
        shared = next((c for c in inner if c in claimed), None)
        if shared is not None:
            owner = claimed[shared]
            refused.append(Refused(NESTED, file=unit.file, code=shared, rollup=owner.code,
                                   rollup_file=owner.file))
            del chosen[code]
            continue
        for inner_code in inner:
            claimed[inner_code] = unit
    for code in [c for c in chosen if c in claimed and claimed[c] is not chosen[c]]:
        owner = claimed[code]
        refused.append(Refused(NESTED, file=chosen[code].file, code=code, rollup=owner.code,
                               rollup_file=owner.file))
        del chosen[code]
    return refused
