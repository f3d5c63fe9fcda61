"""Batch import: validate every row of a file of areas, members, logs or checks, then write
it all in the caller's transaction — or nothing.

``plan_import(store, kind, source)`` reads a ``cbtool.tabular`` source once, parses each
cell with the domain's own validators (``members.field_parsers`` …), finds rows that
repeat a key inside the file and classifies every valid row against the database as
insert, update or unchanged. Every problem of every row is kept with its line, the column
as written in the file and the ``FieldError``. ``apply(store, plan)`` then writes the
inserts in bulk and the updates one by one (audited, category changes recorded).

Memory does not grow with the file: rows are validated in chunks and parked in a TEMP
table (SQLite's temporary file, not the database), which ``apply`` reads back. Only the
first ``KEEP`` problems and warnings are kept in Python; every rejected row (for
``--errors``) is parked in a second TEMP table.

Semantics of a file, whatever its format:

* headers are English keys or the usual Chinese headings (``HEADINGS``), compared after
  NFKC (full-width brackets, letters), case and spacing are normalised; an unknown
  column is reported (``Plan.unknown``) and ignored;
* a column present in the file is the truth for the records it touches (an empty cell
  clears an optional field); a column absent leaves that field of a stored record as
  it is;
* a CSV/TSV cell the export neutralised for spreadsheets (``'=SUM(1)``, ``''=x``) is read
  without that one ``'``; other formats are read as they are.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from itertools import islice, repeat
from typing import Any

from cbtool import fields as f
from cbtool.cells import unguard as cell_unguard
from cbtool.errors import FieldError, InvalidInput
from cbtool.layout import sheet_params
from cbtool.store import Store, now_utc
from cbtool.text import Msg, field_label

KINDS = ("areas", "members", "logs", "checklist", "points")
CONTACT_NOTE = "导入"  # the note of a contact recorded from a file's last_contact_on
KEEP = 1000  # problems and warnings kept for the report (all are counted; --errors has all)
CHUNK = 2000  # rows validated, looked up and parked at a time
CACHE_LIMIT = 50_000  # distinct values remembered per field
PAGE_CACHE_KIB = 65_536  # SQLite page cache while importing (the default 2 MiB spills the
# pages of the indexes a bulk insert touches to the WAL again and again)
_STAGE = "cbtool_import_rows"
_REJECTS = "cbtool_import_rejects"

# --- messages -------------------------------------------------------------------------

MISSING_COLUMNS = Msg(
    "{file}{sheet_zh}：缺少必需的列：{names}（表头可用英文键或中文名称，如 {examples}）{at_zh}",
    "{file}{sheet_en}: required columns missing: {names} (headers may be the English keys or "
    "the Chinese headings, e.g. {examples}){at_en}",
)
SAME_FIELD = Msg("{file}{sheet_zh}：列“{first}”和“{second}”都表示{label}，请只保留一列",
                 "{file}{sheet_en}: the columns '{first}' and '{second}' both mean {label}; "
                 "keep one")
NEW_NEEDS = Msg(
    "{no} 是新党员（库中没有此编号），须填写{label_zh}，而文件中没有这一列：请加上“{label_zh}”列"
    "（只改已有党员的文件可以不带）",
    "{no} is a new member (no such number stored) and needs {label_en}, which the file has no "
    "column for: add a '{label_en}' column (files that only correct stored members need not)",
)
ID_HELD = Msg(
    "{field}：此身份证号已属于党员 {other}（{name}），同一人只能有一个党员编号；请改用编号 {other}"
    "{hint_zh}",
    "{field}: this ID number belongs to member {other} ({name}) already; one person, one "
    "member number: use {other}{hint_en}",
)
ID_IN_FILE = Msg(
    "{field}：与第 {line} 行（党员编号 {other}）的身份证号相同，同一人只能有一个党员编号{hint_zh}",
    "{field}: the same ID number as line {line} (member {other}); one person, one member "
    "number{hint_en}",
)
ZEROS_LOST = Msg(
    "{field}：{short} 可能是 {long}（前导零丢失），{where_zh}：同一人只能有一个党员编号；请填写完整的编号"
    "（把该列设为文本），或在配置文件 [members] 中设置 member_no_width",
    "{field}: {short} may be {long} (leading zeros lost), {where_en}: one person, one member "
    "number; give the full number (format the column as text), or set member_no_width under "
    "[members] in the config",
)
CHANGE_REASON = "导入"  # the reason of a category change an import makes (no reason column)
_IDS = "cbtool_import_ids"
_SEEN_BITS = 1 << 25  # a 4 MiB filter of the ID numbers a file gave (see _check_ids)
EXTRA_CELLS = Msg("多出的单元格（没有表头）：{value}", "cells beyond the last heading: {value}")
MISSING_FIELD = Msg("{field}：此记录缺少该字段", "{field}: missing from this record")
DUPLICATE = Msg("{field}：与第 {line} 行重复（{value}）",
                "{field}: same as line {line} ({value})")
DUPLICATE_LOG = Msg("与第 {line} 行是同一条台账（{value}）",
                    "the same log as line {line} ({value})")
DUPLICATE_CHECK = Msg("与第 {line} 行是同一次检查（{value}）",
                      "the same check as line {line} ({value})")
BAD_TEXT = Msg("{field}：含有无法保存的字符", "{field}: holds characters that cannot be stored")
BAD_VALUE = Msg("{field}：无法识别的值“{value}”", "{field}: cannot read '{value}'")
VOID_REASON_REQUIRED = Msg("{field}：作废的台账记录须填写作废原因",
                           "{field}: a voided log needs a reason")
CHECK_VOID_REASON = Msg("{field}：作废的检查记录须填写作废原因",
                        "{field}: a voided check needs a reason")
REASON_REQUIRED = Msg(
    "{field}：已归档的党员须填写归档原因（transferred/转出、deceased/去世、other/其他）",
    "{field}: an archived member needs a reason (transferred, deceased or other)",
)
ONLY_ARCHIVED = Msg("{field}：只有已归档（状态为 archived）的党员才填写此项",
                    "{field}: only for archived members (status archived)")
POINT_TAKEN = Msg("{field}：服务点编号 {value} 已被占用（居民区与其服务点同编号）",
                  "{field}: the point code {value} is taken (an area's point has its code)")

# --- headers --------------------------------------------------------------------------

# field -> accepted headings besides the key itself (compared after normalising).
HEADINGS: dict[str, dict[str, tuple[str, ...]]] = {
    "areas": {
        "code": ("编号", "居民区编号", "代码", "area code"),
        "name": ("名称", "居民区", "居民区名称", "area", "area name"),
    },
    "members": {
        "member_no": ("党员编号", "编号", "党员号", "member no", "member number", "no", "number"),
        "name": ("姓名", "党员姓名"),
        "gender": ("性别", "sex"),
        "born_on": ("出生日期", "出生年月", "出生年月日", "born", "birth date", "date of birth"),
        "id_card": ("身份证号", "公民身份号码", "身份证号码", "身份证", "id number", "id no"),
        "phone": ("联系电话", "手机", "手机号", "手机号码", "电话", "电话号码", "联系方式",
                  "mobile", "tel"),
        "category": ("党员类别", "类别", "党员类型"),
        "area": ("居民区", "所在居民区", "所属居民区", "所在社区", "所属社区"),
        "joined_on": ("入党时间", "入党日期", "入党年月", "joined"),
        "employer": ("工作单位", "原工作单位", "单位"),
        "whereabouts": ("流向", "外出流向", "去向"),
        "left_on": ("外出时间", "外出日期", "left"),
        "note": ("备注", "notes", "remark"),
        "status": ("状态",),
        "archived_reason": ("归档原因",),
        "archived_on": ("归档日期", "归档时间"),
        "last_contact_on": ("最近联系时间", "最近联系", "最近联系日期", "last contact"),
        # a category change: its date and reason (else today and 导入)
        "category_on": ("变更日期", "类别变更日期", "变更时间", "category changed on"),
        "category_reason": ("变更原因", "类别变更原因", "category change reason"),
    },
    "logs": {
        "point": ("服务点", "服务点编号"),
        "date": ("日期", "活动日期", "活动时间"),
        "kind": ("类型", "活动类型", "服务类型"),
        "title": ("标题", "活动内容", "活动名称", "活动主题", "内容"),
        "participants": ("参加党员", "参与党员", "参加人员", "members"),
        "served": ("服务人数", "服务群众", "服务群众人数", "受益人数"),
        "hours": ("志愿时长", "志愿服务时长", "时长", "小时数"),
        "note": ("备注", "notes", "remark"),
        "ref": ("外部编号", "台账编号", "参考编号", "reference"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
    "points": {
        "code": ("编号", "服务点编号", "代码", "point code"),
        "name": ("名称", "服务点", "服务点名称", "point name"),
        "kind": ("类型", "服务点类型"),
        "area": ("居民区", "所属居民区", "居民区编号"),
        "address": ("地址", "服务点地址"),
        "note": ("备注", "notes", "remark"),
        "active": ("启用", "是否启用", "状态"),
        "closed_on": ("停用日期", "停用时间"),
    },
    "checklist": {
        "point": ("服务点", "服务点编号"),
        "item": ("检查项目", "项目"),
        "ok": ("是否具备", "合格", "是否合格", "具备", "结果"),
        "date": ("检查日期", "日期"),
        "inspector": ("检查人", "检查人员"),
        "note": ("备注", "notes", "remark"),
        "voided": ("作废", "已作废", "是否作废"),
        "void_reason": ("作废原因",),
    },
}
# Columns an export writes that an import does not take (ids and stamps are the tool's).
# A 序号 column (the row's number in the sheet) is the office's, not data.
IGNORED: dict[str, tuple[str, ...]] = {
    "areas": ("created_at", "updated_at", "members", "在册党员", "创建时间", "更新时间", "序号"),
    "members": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "logs": ("id", "created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "checklist": ("id", "created_at", "updated_at", "创建时间", "更新时间", "序号"),
    "points": ("created_at", "updated_at", "创建时间", "更新时间", "序号"),
}

_PAREN = re.compile(r"\s*\([^()]*\)$")
# White space next to a Chinese character is padding (姓  名, 性 别); between Latin words
# it separates them (member no).
_CJK_SPACE = re.compile(r"(?<=[^\x00-\x7f])\s+|\s+(?=[^\x00-\x7f])")


def normalise_heading(text: str) -> str:
    """``'Member No.'`` → ``member_no``; ``'姓  名'`` → ``姓名``; ``'身份证号码（18位）'``
    keeps its parenthesis (see ``heading_candidates``); full-width forms become ASCII; a
    required mark (``*姓名``, ``姓名*``) is dropped."""
    text = unicodedata.normalize("NFKC", text).strip().lower().strip("*:：※★").strip()
    if not text.isascii():
        text = _CJK_SPACE.sub("", text)
    return re.sub(r"[\s\-.]+", "_", text).strip("_")


def heading_candidates(text: str) -> list[str]:
    """The normalised heading, then without a trailing parenthesised hint."""
    first = normalise_heading(text)
    bare = normalise_heading(_PAREN.sub("", unicodedata.normalize("NFKC", text).strip()))
    return [first, bare] if bare and bare != first else [first]


def heading_test(kind: str) -> Callable[[str], bool]:
    """Whether a cell is a heading of ``kind`` (known or ignored): how the reader finds the
    header row below a title and the sheet that holds the data."""
    mapping = heading_map(kind)
    return lambda text: any(c in mapping for c in heading_candidates(text))


def heading_map(kind: str) -> dict[str, str | None]:
    """normalised heading -> field (None for a known column that is not imported)."""
    mapping: dict[str, str | None] = {}
    for name, aliases in HEADINGS[kind].items():
        for alias in (name, *aliases):
            mapping.setdefault(normalise_heading(alias), name)
    for name in IGNORED[kind]:
        mapping.setdefault(normalise_heading(name), None)
    return mapping


# --- the report -----------------------------------------------------------------------


@dataclass
class Problem:
    """One reason a row was rejected: ``column`` is the heading as written (None for the
    row as a whole)."""

    line: int
    column: str | None
    error: InvalidInput

    def reason(self, lang: str = "zh") -> str:
        if isinstance(self.error, FieldError):
            return self.error.reason(lang)
        return self.error.message(lang)


@dataclass
class RowWarning:
    line: int
    msg: Msg
    params: dict[str, Any]

    def message(self, lang: str = "zh") -> str:
        return self.msg.render(lang, **self.params)


@dataclass
class Plan:
    """What an import would do. Counts are rows; ``problems`` holds the first ``KEEP``."""

    kind: str
    source: str
    format: str
    encoding: str | None = None
    headers: list[str] = field(default_factory=list)
    unknown: list[str] = field(default_factory=list)
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    warnings: list[RowWarning] = field(default_factory=list)
    warning_count: int = 0
    reject_headers: list[str] = field(default_factory=list)
    sheet: str | None = None  # the worksheet read (xlsx)
    notes: list[tuple[Msg, dict[str, Any]]] = field(default_factory=list)  # rows skipped …
    importer: Any = field(default=None, repr=False)
    applied: bool = False
    batch: int | None = None  # the import batch, once applied
    cancelled: bool = False  # the user said no when asked (import_file's ``confirm``)
    preview: list[dict[str, Any]] = field(default_factory=list)  # what would change
    preview_count: int = 0

    @property
    def changes(self) -> int:
        return self.inserted + self.updated

    def writes(self, skip_invalid: bool = False) -> bool:
        """Whether applying it would write: something to change, and no rejected row
        (unless those are to be skipped)."""
        return bool(self.changes) and (skip_invalid or not self.rejected)

    def tally(self, *, written: bool = True, would: bool = False) -> str:
        """The one-line tally scripts look for (English in every language, as in the spec).
        ``written=False`` (rejected file) reports nothing inserted or updated; ``would``
        (a dry run) what would be: the four counts add up to the data rows read."""
        ins, upd = (self.inserted, self.updated) if written or would else (0, 0)
        return tally(ins, upd, self.unchanged, self.rejected)

    def changes_preview(self, limit: int | None = None) -> None:
        """Fill ``preview`` with what applying would change (the first ``limit`` records
        in file order; all with None) and ``preview_count`` with how many records: each
        ``{"line", "action", "key", "changes": {field: [before, after]}}``."""
        imp: Importer = self.importer
        self.preview, self.preview_count = [], self.inserted + self.updated
        staged = imp.staged
        bits = [imp.bit[n] for n in staged]
        names = ", ".join(f'"{n}"' for n in staged)
        sql = (f"SELECT line, k, action, mask, {names} FROM temp.{_STAGE} "
               "WHERE action IN ('insert', 'update') ORDER BY line")
        if limit is not None:
            sql += f" LIMIT {int(limit)}"
        cur = imp.store.conn.cursor()
        cur.execute(sql)
        while batch := cur.fetchmany(CHUNK):
            found = imp.lookup([k for _l, k, action, *_ in batch if action == "update"])
            for line, k, action, mask, *vals in batch:
                values = {n: (json.loads(v) if n in imp.json_fields and v is not None else v)
                          for n, v, b in zip(staged, vals, bits, strict=True) if mask & b}
                old = found.get(k) or {}
                diff = {}
                for name, value in values.items():
                    before = old.get(name)
                    if name == "participants":
                        value = sorted(set(value or []))
                    if action == "insert" and value not in (None, []):
                        diff[name] = [None, value]
                    elif action == "update" and (name in old or name == "last_contact_on") \
                            and before != value and not (value is None and name in (
                                "served", "hours", "voided", "void_reason")):
                        diff[name] = [before, value]
                shown = k.split("\x1f", 1)[1] if imp.kind == "logs" else k
                self.preview.append({"line": line, "action": action,
                                     "key": (shown or "").replace("\x1f", " "),
                                     "changes": diff})

    def rejected_rows(self, lang: str = "zh") -> Iterator[dict[str, Any]]:
        """Every rejected row: its cells under the file's headings, ``line`` and ``error``."""
        store: Store = self.importer.store
        col = "zh" if lang != "en" else "en"
        for line, raw, error in store.execute(
                f"SELECT line, raw, {col} FROM temp.{_REJECTS} ORDER BY line"):
            yield {**json.loads(raw), "line": line, "error": error}

    def discard(self) -> None:
        """Drop the TEMP tables (the plan cannot be applied afterwards)."""
        if self.importer is not None:
            _drop(self.importer.store)


def tally(inserted: int, updated: int, unchanged: int, rejected: int) -> str:
    """``inserted 120, updated 3, unchanged 40, rejected 0``: the last line of every import,
    also of a file rejected as a whole (``tally(0, 0, 0, error.rows)``)."""
    return (f"inserted {inserted}, updated {updated}, unchanged {unchanged}, "
            f"rejected {rejected}")


@contextmanager
def _page_cache(store: Store) -> Iterator[None]:
    """A larger SQLite page cache for the duration (restored after): pages only, bounded."""
    old = store.execute("PRAGMA cache_size").fetchone()[0]
    if old < 0 and -old >= PAGE_CACHE_KIB:
        yield
        return
    store.execute(f"PRAGMA cache_size = -{PAGE_CACHE_KIB}")
    try:
        yield
    finally:
        store.execute(f"PRAGMA cache_size = {old}")


def _drop(store: Store) -> None:
    store.execute(f"DROP TABLE IF EXISTS temp.{_IDS}")
    store.execute(f"DROP TABLE IF EXISTS temp.{_STAGE}")
    store.execute(f"DROP TABLE IF EXISTS temp.{_REJECTS}")


# --- cells ----------------------------------------------------------------------------

_SURROGATE = re.compile("[\ud800-\udfff]")

Parse = Callable[[str | None], Any]  # returns the value, or a FieldError


def _guarded(name: str, parser: Callable[[object], object], required: bool,
             check_text: bool = False, unguard: bool = True) -> Parse:
    """A parser of one cell that returns its FieldError instead of raising it. A validator
    crashing on odd text (a bug) still becomes a clean row problem, never a traceback.
    With ``unguard`` (CSV/TSV, the formats the export neutralises) the export's formula
    guard (``'=SUM(1)``) is undone first; ``check_text`` (JSON, which can carry them)
    rejects lone surrogates."""
    missing = FieldError(name, f.REQUIRED)
    surrogate = _SURROGATE.search

    def parse(text: str | None) -> Any:
        if text is None:
            if required:
                return missing
        elif unguard and text[0] == "'":
            text = cell_unguard(text)  # the export's formula guard, undone
        if check_text and text is not None and surrogate(text):
            return FieldError(name, BAD_TEXT)
        try:
            return parser(text)
        except FieldError as exc:
            exc.__traceback__ = None
            return exc
        except (ValueError, TypeError, OverflowError, LookupError):
            return FieldError(name, BAD_VALUE, value=text)

    return parse


def _column(parse: Parse, cache: dict[str | None, Any] | None
            ) -> Callable[[Sequence[str | None]], list[Any]]:
    """Parse a column of cells (value or FieldError each). ``cache`` remembers the outcome
    per distinct text of fields whose values repeat (categories, areas, dates)."""
    if cache is None:
        return lambda texts: list(map(parse, texts))
    get = cache.get

    def column(texts: Sequence[str | None]) -> list[Any]:
        new = set(texts).difference(cache)
        if not new:
            return list(map(get, texts))
        results = {text: parse(text) for text in new}
        if len(cache) + len(results) <= CACHE_LIMIT:
            cache.update(results)
            return list(map(get, texts))
        for text in new:
            if len(cache) >= CACHE_LIMIT:
                break
            cache[text] = results[text]
        return list(map(get, texts, map(results.get, texts)))

    return column


_MISS = object()  # not in a field's cache yet


# --- the importers --------------------------------------------------------------------


@dataclass(slots=True)
class Row:
    line: int
    cells: tuple[tuple[str, ...], list[str | None]]  # the file's keys and cells
    values: dict[str, Any]
    present: int  # bit mask over Importer.staged: the fields this row gives
    problems: list[tuple[str | None, InvalidInput]]
    key: str | None = None
    action: str = ""
    target: Any = None


class Importer:
    """What differs between kinds: fields, validators, keys, lookups and writes."""

    kind = ""
    table = ""
    required: tuple[str, ...] = ()
    unique: frozenset[str] = frozenset()  # fields whose values rarely repeat: not cached
    staged: tuple[str, ...] = ()  # every field that can be parked (incl. derived ones)
    key_fields: frozenset[str] = frozenset()  # a row whose key field is bad has no key
    cell_required: tuple[str, ...] | None = None  # an empty cell is "required" (default:
    # the required columns)
    json_fields: frozenset[str] = frozenset()  # list values, parked as JSON arrays

    def __init__(self, store: Store) -> None:
        self.store = store
        self.fields = list(HEADINGS[self.kind])
        self.bit = {name: 1 << i for i, name in enumerate(self.staged)}
        self.raw_parsers = self.parsers()
        self.counts = {"inserted": 0, "updated": 0, "unchanged": 0}
        self.source = ""
        self.warnings: list[tuple[Msg, dict[str, Any]]] = []  # of the row just classified
        self.plan: Any = None  # the plan being applied (its batch)

    # per kind ---------------------------------------------------------------------------

    def parsers(self) -> dict[str, Callable[[object], object]]:
        raise NotImplementedError

    def key(self, values: dict[str, Any]) -> str | None:
        raise NotImplementedError

    def duplicate(self, row: Row, first_line: int) -> tuple[str | None, InvalidInput]:
        raise NotImplementedError

    def lookup(self, keys: list[str]) -> dict[str, Any]:
        """Stored state for these keys (one query per chunk)."""
        raise NotImplementedError

    def classify(self, row: Row, existing: Any) -> None:
        """Set ``row.action`` (insert | update | unchanged) and ``row.target``, or add
        problems; may complete ``row.values`` (derived fields)."""
        raise NotImplementedError

    def write(self, action: str, rows: list[tuple[int, Any, int, dict[str, Any]]]) -> None:
        """Write a batch of parked rows: (line, target, present mask, values)."""
        raise NotImplementedError

    def insert_parked(self) -> bool:
        """Insert every parked ``insert`` row with SQL alone; False: use ``write``."""
        return False

    def prepare(self, rows: list[Row], found: dict[str, Any]) -> None:
        """After ``lookup``: look up what else the valid rows of a chunk need."""

    # shared -----------------------------------------------------------------------------

    def has(self, row_or_mask: Row | int, name: str) -> bool:
        mask = row_or_mask.present if isinstance(row_or_mask, Row) else row_or_mask
        return bool(mask & self.bit[name])

    def in_keys(self, sql: str, keys: Iterable[str]) -> Iterator[tuple]:
        """Run ``sql`` whose one parameter is a JSON array of keys (``json_each(?)``)."""
        return self.store.execute(sql, (json.dumps(list(keys), ensure_ascii=False),))

    def audit_parked(self, marks: dict[str, int]) -> None:
        """Audit, in bulk, every record ``insert_parked`` wrote (one row each); ``marks``:
        the largest rowid of each table before the import wrote."""

    def audit_written(self, marks: dict[str, int]) -> None:
        """Audit, in bulk, child records the writes of both kinds added (contacts)."""

    def audit_import(self) -> None:
        c = self.counts
        if c["inserted"] or c["updated"]:
            self.store.audit(self.table, self.source, "import", None,
                             {"file": self.source, **{k: n for k, n in c.items() if n}})


# --- areas ----------------------------------------------------------------------------


class AreaImporter(Importer):
    kind = "areas"
    table = "areas"
    required = ("code", "name")
    unique = frozenset({"code", "name"})
    staged = ("code", "name")
    key_fields = frozenset({"code"})

    def parsers(self):
        from cbtool.areas import field_parsers

        return field_parsers(self.store)

    def key(self, values):
        return values.get("code")

    def duplicate(self, row, first_line):
        return "code", FieldError("code", DUPLICATE, line=first_line, value=row.key)

    def lookup(self, keys):
        found: dict[str, Any] = {}
        for code, name in self.in_keys(
                "SELECT code, name FROM areas WHERE code IN (SELECT value FROM json_each(?))",
                keys):
            found[code] = {"name": name}
        for (code,) in self.in_keys(
                "SELECT code FROM points WHERE code IN (SELECT value FROM json_each(?)) "
                "AND code NOT IN (SELECT code FROM areas)", keys):
            found[code] = None  # a point (e.g. the centre) holds the code
        self._points_only = {k for k, v in found.items() if v is None}
        return {k: v for k, v in found.items() if v is not None}

    def classify(self, row, existing):
        code = row.values["code"]
        if existing is None and code in self._points_only:
            row.problems.append(("code", FieldError("code", POINT_TAKEN, value=code)))
        elif existing is None:
            row.action = "insert"
        elif existing["name"] != row.values["name"]:
            row.action, row.target = "update", existing["name"]
        else:
            row.action = "unchanged"

    def write(self, action, rows):
        from cbtool import areas

        for _line, old_name, _mask, values in rows:
            if action == "insert":
                areas.add_area(self.store, values["code"], values["name"])
                continue
            code, name = values["code"], values["name"]
            now = now_utc()
            self.store.execute("UPDATE areas SET name = ?, updated_at = ? WHERE code = ?",
                               (name, now, code))
            self.store.audit("areas", code, "update", {"name": old_name}, {"name": name})
            point = self.store.one("SELECT name FROM points WHERE code = ?", (code,))
            if point and point["name"] == f"{old_name}{areas.POINT_SUFFIX}":
                new = f"{name}{areas.POINT_SUFFIX}"
                self.store.execute("UPDATE points SET name = ?, updated_at = ? WHERE code = ?",
                                   (new, now, code))
                self.store.audit("points", code, "update", {"name": point["name"]},
                                 {"name": new})

    def audit_import(self):  # every area written is audited by add_area / above
        pass


# --- members --------------------------------------------------------------------------


# What reconcile_id and joined_after_born read of a new member's row.
_RECONCILED = ("member_no", "id_card", "born_on", "gender", "joined_on")


class MemberImporter(Importer):
    """A file needs only ``member_no``: the columns it has update stored members; name,
    category and area are needed for new ones. An ID number another member holds, and a
    new number that is a stored (or earlier) one without its leading zeros, are row errors:
    one person, one member."""

    kind = "members"
    table = "members"
    required = ("member_no",)  # a file of corrections: the number and what it corrects
    cell_required = ("member_no", "name", "category", "area")  # never emptied
    needed_new = ("name", "category", "area")
    unique = frozenset({"member_no", "name", "id_card", "phone"})
    staged = tuple(HEADINGS["members"])
    key_fields = frozenset({"member_no"})

    def __init__(self, store):
        from cbtool import members

        self.members = members
        self.columns = [c for c in members.MEMBER_FIELDS if c not in ("created_at", "updated_at")]
        super().__init__(store)
        self.today = store.today.isoformat()
        self.contacts = 0  # contacts recorded from last_contact_on
        self._held: dict[int, FieldError] = {}  # line -> its ID number's conflict
        self._twins: dict[str, FieldError] = {}  # new number -> its leading-zeros twin
        self._zeros: bool | None = None  # a stored or read number starts with 0
        self._plain = False  # … or with another digit
        self._longest = 0
        self._stored_ids: bool | None = None  # a stored member has an ID number
        self._ids = False  # the TEMP table of stored ID numbers is built
        self._seen = bytearray(_SEEN_BITS >> 3)  # ID numbers read (a filter)

    def parsers(self):
        parsers = self.members.field_parsers(self.store)
        today = self.store.today
        parsers["category_on"] = lambda v: f.parse_date("category_on", v, today=today)
        parsers["category_reason"] = lambda v: f.text_field("category_reason", v, limit=500)
        return parsers

    def prepare(self, rows, found):
        self._held = {}
        self._twins = {}
        # ID numbers to check: those of new members and changed ones (a stored member's
        # own ID number, the usual re-import, cannot be another's).
        ids = [r for r in rows if (x := r.values.get("id_card"))
               and not ((old := found.get(r.key)) and old["id_card"] == x)]
        if ids:
            self._check_ids(ids)
        new = {r.key: r.line for r in rows
               if r.key is not None and r.key not in found and r.key.isdigit()}
        if new:
            self._check_zeros(new)

    def _check_ids(self, rows: list[Row]) -> None:
        """An ID number stored for another member, or given to another number earlier in
        the file. Earlier ones are remembered in a fixed-size filter (no false negatives;
        the few it may take wrongly are looked up in the parked rows): memory does not
        grow with the file."""
        if self._stored_ids is None:
            self._stored_ids = self.store.one(
                "SELECT 1 AS x FROM members WHERE id_card IS NOT NULL LIMIT 1") is not None
        stored: dict[str, tuple[str, str]] = {}
        if self._stored_ids:
            if not self._ids:  # (members.id_card has no index of its own)
                self.store.execute(f"CREATE TEMP TABLE {_IDS} AS SELECT id_card, member_no, "
                                   "name FROM members WHERE id_card IS NOT NULL")
                self.store.execute(f"CREATE INDEX temp.{_IDS}_id ON {_IDS} (id_card)")
                self._ids = True
            stored = {x: (no, name) for x, no, name in self.in_keys(
                f"SELECT id_card, member_no, name FROM temp.{_IDS} "
                "WHERE id_card IN (SELECT value FROM json_each(?))",
                {r.values["id_card"]: None for r in rows})}
        seen, mask = self._seen, _SEEN_BITS - 1
        maybe: set[str] = set()  # given earlier in the file, perhaps
        for r in rows:
            x = r.values["id_card"]
            h = hash(x)
            a, b = h & mask, (h >> 26) & mask
            if seen[a >> 3] & (1 << (a & 7)) and seen[b >> 3] & (1 << (b & 7)):
                maybe.add(x)
            seen[a >> 3] |= 1 << (a & 7)
            seen[b >> 3] |= 1 << (b & 7)
        if not (stored or maybe):
            return
        first = {x: (line, k) for x, line, k in self.in_keys(
            f"SELECT id_card, min(line), k FROM temp.{_STAGE} "
            "WHERE id_card IN (SELECT value FROM json_each(?)) GROUP BY id_card", maybe)
        } if maybe else {}
        for r in rows:
            x = r.values["id_card"]
            held = stored.get(x)
            earlier = first.get(x)
            if held is not None and held[0] != r.key:
                hint = f.zeros_hint(r.key or "", held[0])
                self._held[r.line] = FieldError("id_card", ID_HELD, other=held[0],
                                                name=held[1], hint_zh=hint[0], hint_en=hint[1])
            elif earlier is not None and earlier[1] != r.key:
                hint = f.zeros_hint(r.key or "", earlier[1] or "")
                self._held[r.line] = FieldError("id_card", ID_IN_FILE, line=earlier[0],
                                                other=earlier[1], hint_zh=hint[0],
                                                hint_en=hint[1])
            elif earlier is None and x in maybe:
                first[x] = (r.line, r.key)

    def _check_zeros(self, new: dict[str, int]) -> None:
        """New numbers that are a stored or earlier number with leading zeros lost (or
        added): ``104`` next to ``00104``. Looked up only where both kinds of number
        occur (stored or read): a file and database of padded numbers only, or of plain
        ones only, costs nothing."""
        if self._zeros is None:
            one = self.store.one
            self._zeros = one("SELECT 1 AS x FROM members WHERE member_no GLOB '0[0-9]*' "
                              "LIMIT 1") is not None
            self._plain = one("SELECT 1 AS x FROM members WHERE member_no GLOB '[1-9]*' "
                              "LIMIT 1") is not None
            self._longest = self.store.execute(
                "SELECT coalesce(max(length(member_no)), 0) FROM members").fetchone()[0]
        for k in new:
            if k[0] == "0":
                self._zeros = True
            else:
                self._plain = True
            if len(k) > self._longest:
                self._longest = len(k)
        if not (self._zeros and self._plain):
            return
        variants: dict[str, str] = {}  # another form of the number -> the file's number
        for k in new:
            if k[0] == "0":
                if bare := k.lstrip("0"):
                    variants[bare] = k
            else:
                for n in range(1, self._longest - len(k) + 1):
                    variants["0" * n + k] = k
        if not variants:
            return
        stored = {no: name for no, name in self.in_keys(
            "SELECT member_no, name FROM members "
            "WHERE member_no IN (SELECT value FROM json_each(?))", variants)}
        earlier = dict(self.in_keys(
            f"SELECT k, min(line) FROM temp.{_STAGE} WHERE k IN "
            "(SELECT value FROM json_each(?)) GROUP BY k", variants))
        for other, k in variants.items():
            if other in stored:
                where = (f"库中已有党员 {other}（{stored[other]}）",
                         f"member {other} ({stored[other]}) is stored")
            elif other in earlier or (other in new and new[other] < new[k]):
                line = earlier.get(other, new.get(other))
                where = f"第 {line} 行已有 {other}", f"line {line} has {other}"
            else:
                continue
            short, long = sorted((k, other), key=len)
            self._twins[k] = FieldError("member_no", ZEROS_LOST, short=short, long=long,
                                        where_zh=where[0], where_en=where[1])

    def key(self, values):
        return values.get("member_no")

    def duplicate(self, row, first_line):
        return "member_no", FieldError("member_no", DUPLICATE, line=first_line, value=row.key)

    def lookup(self, keys):
        cols = ", ".join(self.columns)
        found = {r[0]: dict(zip(self.columns, r, strict=True)) for r in self.in_keys(
            f"SELECT {cols} FROM members WHERE member_no IN (SELECT value FROM json_each(?))",
            keys)}
        self._contacts = set()
        if self.bit.get("last_contact_on") and found:
            self._contacts = set(self.in_keys(
                "SELECT member_no, date FROM contacts "
                "WHERE member_no IN (SELECT value FROM json_each(?))", list(found)))
        return found

    def classify(self, row, existing):
        v = row.values
        problems = row.problems
        has = row.present
        bit = self.bit
        # Status and its fields, against what is stored when the file does not say. An
        # empty 状态 cell does not say: it never restores an archived member by accident.
        if has & bit["status"] and v.get("status") is None:
            v["status"] = existing["status"] if existing else "active"
            for name in ("archived_reason", "archived_on"):
                if existing and has & bit[name] and v.get(name) is None:
                    v[name] = existing[name]
        if has & bit["status"]:
            status = v["status"]
        else:
            status = existing["status"] if existing else "active"
        if status == "archived":
            reason = v.get("archived_reason") if has & bit["archived_reason"] else (
                existing and existing["archived_reason"])
            if not reason:
                problems.append(("archived_reason",
                                 FieldError("archived_reason", REASON_REQUIRED)))
            on = v.get("archived_on") if has & bit["archived_on"] else (
                existing and existing["archived_on"])
            if not on:
                v["archived_on"] = self.today
                row.present |= bit["archived_on"]
        else:
            for name in ("archived_reason", "archived_on"):
                if v.get(name):
                    problems.append((name, FieldError(name, ONLY_ARCHIVED)))
                elif existing and existing[name] and has & bit["status"]:
                    v[name] = None  # restored by the file: the archive fields go
                    row.present |= bit[name]
        if problems:
            return
        held = self._held.get(row.line)
        if held is not None:
            problems.append(("id_card", held))
            return
        if existing is None:
            lacking = [n for n in self.needed_new if not has & bit[n]]
            for name in lacking:
                problems.append((None, FieldError(name, NEW_NEEDS, no=row.key,
                                                  label_zh=field_label(name, "zh"),
                                                  label_en=name)))
            if twin := self._twins.get(row.key):
                problems.append(("member_no", twin))
            if problems:
                return
            record = {name: v.get(name) for name in _RECONCILED}
            warnings = self.members.reconcile_id(record)
            if error := self.members.joined_after_born(record):
                problems.append(("joined_on", error))
                return
            for name in ("born_on", "gender"):
                if record[name] != v.get(name):
                    v[name] = record[name]
                    row.present |= bit[name]
            if not has & bit["status"]:
                v["status"] = "active"
                row.present |= bit["status"]
            row.action = "insert"
        else:
            merged = {**existing, **{k: v[k] for k in v if k in existing}}
            warnings = self.members.reconcile_id(merged)  # fills from the ID number
            if has & (bit["born_on"] | bit["joined_on"] | bit["id_card"]) and (
                    error := self.members.joined_after_born(merged)):
                problems.append(("joined_on", error))
                return
            if not has & bit["id_card"]:
                warnings = []  # the file does not speak of the ID: nothing to point out
            for name in ("born_on", "gender"):
                # An empty or absent cell keeps what the ID number says (as an insert does),
                # so importing the same file twice changes nothing.
                given = v.get(name) if has & bit[name] else None
                if given is None and merged[name] is not None and (
                        has & bit[name] or merged[name] != existing[name]):
                    v[name] = merged[name]
                    row.present |= bit[name]
            changed = any(existing[k] != val for k, val in v.items() if k in existing)
            contact = v.get("last_contact_on")
            if contact and (row.key, contact) not in self._contacts:
                changed = True
            row.action = "update" if changed else "unchanged"
            if not changed:
                warnings = []
        self.warnings = warnings

    def insert_parked(self):
        now = now_utc()
        cols = ", ".join(self.columns)
        self.store.execute(
            f"INSERT INTO members ({cols}, created_at, updated_at) SELECT {cols}, ?, ? "
            f"FROM temp.{_STAGE} WHERE action = 'insert' ORDER BY line", (now, now))
        cur = self.store.execute(
            "INSERT INTO contacts (member_no, date, channel, note, created_at, updated_at) "
            f"SELECT member_no, last_contact_on, 'other', ?, ?, ? FROM temp.{_STAGE} "
            "WHERE action = 'insert' AND last_contact_on IS NOT NULL ORDER BY line",
            (CONTACT_NOTE, now, now))
        self.contacts += cur.rowcount
        return True

    def audit_parked(self, marks):
        _audit_select(self.store, self.plan, "members", "s.member_no",
                      [(c, f"s.{c}") for c in self.columns],
                      f"temp.{_STAGE} s WHERE s.action = 'insert' ORDER BY s.line")

    def audit_written(self, marks):
        """The contacts recorded from last_contact_on (inserts and updates alike)."""
        _audit_select(self.store, self.plan, "contacts", "c.id",
                      [("member_no", "c.member_no"), ("date", "c.date"),
                       ("channel", "c.channel"), ("reached", _TRUE.format("c.reached")),
                       ("whereabouts", "c.whereabouts"), ("note", "c.note")],
                      "contacts c WHERE c.id > ? ORDER BY c.id", (marks["contacts"],))

    def write(self, action, rows):
        store = self.store
        contacts = []
        for _line, _target, _mask, values in rows:
            no = values["member_no"]
            changes = {k: val for k, val in values.items()
                       if k in self.columns and k != "member_no"}
            self.members.update(store, no, changes,
                                category_on=values.get("category_on") or self.today,
                                category_reason=values.get("category_reason") or CHANGE_REASON)
            day = values.get("last_contact_on")
            if day and not store.one("SELECT 1 AS x FROM contacts WHERE member_no = ? "
                                     "AND date = ?", (no, day)):
                contacts.append((no, day))
        if contacts:
            now = now_utc()
            store.conn.executemany(
                "INSERT INTO contacts (member_no, date, channel, note, created_at, updated_at) "
                "VALUES (?, ?, 'other', ?, ?, ?)",
                ((no, day, CONTACT_NOTE, now, now) for no, day in contacts))
            self.contacts += len(contacts)

    def audit_import(self):
        super().audit_import()
        if self.contacts:
            self.store.audit("contacts", self.source, "import", None,
                             {"file": self.source, "inserted": self.contacts})


# --- checks ---------------------------------------------------------------------------


class CheckImporter(Importer):
    kind = "checklist"
    table = "checks"
    required = ("point", "item", "ok", "date")
    staged = tuple(HEADINGS["checklist"])
    key_fields = frozenset({"point", "item", "date"})

    def parsers(self):
        from cbtool import checklist

        return checklist.field_parsers(self.store)

    def key(self, values):
        if all(values.get(k) is not None for k in ("point", "item", "date")):
            return f"{values['point']}\x1f{values['item']}\x1f{values['date']}"
        return None

    def duplicate(self, row, first_line):
        v = row.values
        return None, InvalidInput(DUPLICATE_CHECK, line=first_line,
                                  value=f"{v['point']} {v['item']} {v['date']}")

    def lookup(self, keys):
        found = {}
        for point, item, day, ok, inspector, note, voided, reason in self.in_keys(
                "SELECT point, item, date, ok, inspector, note, voided, void_reason FROM checks "
                "WHERE point || char(31) || item || char(31) || date "
                "IN (SELECT value FROM json_each(?))", keys):
            found[f"{point}\x1f{item}\x1f{day}"] = {"ok": bool(ok), "inspector": inspector,
                                                   "note": note, "voided": bool(voided),
                                                   "void_reason": reason}
        return found

    def classify(self, row, existing):
        v = row.values
        if v.get("voided") and not v.get("void_reason") and not (existing and existing["voided"]):
            row.problems.append(("void_reason", FieldError("void_reason", CHECK_VOID_REASON)))
            return
        if existing is None:
            row.action = "insert"
        elif existing["voided"]:  # a voided check stays voided (an older file does not undo it)
            row.action = "unchanged"
        else:
            for name in ("inspector", "note"):  # a column the file lacks keeps its value
                if not self.has(row, name):
                    v[name] = existing[name]
                    row.present |= self.bit[name]
            same = all(existing[k] == v.get(k) for k in ("ok", "inspector", "note")) and \
                not v.get("voided")
            row.action = "unchanged" if same else "update"
        if row.action != "unchanged":  # no check at a point after it closed
            if not hasattr(self, "departures"):
                from cbtool.consistency import Departures

                self.departures = Departures(self.store)
            if error := self.departures.point(v["point"], v["date"], "checks"):
                row.problems.append(("point", error))

    def insert_parked(self):
        now = now_utc()
        self.store.execute(
            "INSERT INTO checks (point, item, ok, date, inspector, note, voided, void_reason, "
            "created_at, updated_at) SELECT point, item, ok, date, inspector, note, "
            "coalesce(voided, 0), CASE WHEN voided THEN void_reason END, ?, ? "
            f"FROM temp.{_STAGE} WHERE action = 'insert' ORDER BY line", (now, now))
        return True

    def audit_parked(self, marks):
        _audit_select(self.store, self.plan, "checks",
                      "c.point || '/' || c.item || '/' || c.date",
                      [("point", "c.point"), ("item", "c.item"), ("ok", _TRUE.format("c.ok")),
                       ("date", "c.date"), ("inspector", "c.inspector"), ("note", "c.note"),
                       ("voided", "CASE WHEN c.voided THEN json('true') END"),
                       ("void_reason", "c.void_reason")],
                      "checks c WHERE c.id > ? ORDER BY c.id", (marks["checks"],))

    def write(self, action, rows):
        from cbtool import checklist

        for _line, _target, _mask, values in rows:
            checklist.upsert_check(self.store, values)


# --- logs -----------------------------------------------------------------------------

_LOG_COLUMNS = ("point", "date", "kind", "title", "served", "hours", "note", "ref", "voided",
                "void_reason")
_NATURAL = ("point", "date", "kind", "title")


class LogImporter(Importer):
    """Logs dedupe by ``ref`` when the row has one, else by point + date + kind + title
    among the logs without a ref. New logs get their ids in file order."""

    kind = "logs"
    table = "logs"
    required = ("point", "date", "kind", "title")
    unique = frozenset({"ref", "participants"})
    staged = tuple(HEADINGS["logs"])
    key_fields = frozenset({"ref", *_NATURAL})
    json_fields = frozenset({"participants"})

    def __init__(self, store):
        super().__init__(store)
        self.next_new = 0  # insert order, turned into ids at apply time

    def parsers(self):
        from cbtool import logs

        return logs.field_parsers(self.store)

    def key(self, values):
        if values.get("ref"):
            return f"r\x1f{values['ref']}"
        if all(values.get(k) is not None for k in _NATURAL):
            return "n\x1f" + "\x1f".join(str(values[k]) for k in _NATURAL)
        return None

    def duplicate(self, row, first_line):
        v = row.values
        shown = v.get("ref") or " ".join(str(v[k]) for k in _NATURAL)
        return ("ref" if v.get("ref") else None), InvalidInput(
            DUPLICATE_LOG, line=first_line, value=shown)

    def lookup(self, keys):
        cols = ", ".join(f"l.{c}" for c in ("id", *_LOG_COLUMNS))
        refs = [k[2:] for k in keys if k.startswith("r")]
        natural = [k[2:].split("\x1f") for k in keys if k.startswith("n")]
        found: dict[str, dict[str, Any]] = {}
        names = ("id", *_LOG_COLUMNS)
        if refs:
            for r in self.in_keys(f"SELECT {cols} FROM json_each(?) j JOIN logs l "
                                  "ON l.ref = j.value", refs):
                found[f"r\x1f{r[8]}"] = dict(zip(names, r, strict=True))
        if natural:
            for r in self.in_keys(
                    f"SELECT {cols} FROM json_each(?) j JOIN logs l "
                    "ON l.point = json_extract(j.value, '$[0]') "
                    "AND l.date = json_extract(j.value, '$[1]') "
                    "AND l.kind = json_extract(j.value, '$[2]') "
                    "AND l.title = json_extract(j.value, '$[3]') "
                    "WHERE l.ref IS NULL ORDER BY l.id DESC", natural):
                found["n\x1f" + "\x1f".join(str(x) for x in r[1:5])] = dict(
                    zip(names, r, strict=True))
        if found:
            people: dict[int, list[str]] = {}
            for log_id, no in self.in_keys(
                    "SELECT log_id, member_no FROM log_participants WHERE log_id IN "
                    "(SELECT value FROM json_each(?)) ORDER BY log_id, member_no",
                    [r["id"] for r in found.values()]):
                people.setdefault(log_id, []).append(no)
            for r in found.values():
                r["participants"] = people.get(r["id"], [])
        return found

    def classify(self, row, existing):
        v = row.values
        if v.get("voided") and not v.get("void_reason") and not (existing and existing["voided"]):
            # as `logs void` needs --reason: a log is never voided without saying why
            row.problems.append(("void_reason", FieldError("void_reason", VOID_REASON_REQUIRED)))
            return
        if existing is None:
            self.check_departures(row, None)
            if not row.problems:
                row.action, row.target = "insert", self.next_new
                self.next_new += 1
            return
        changed = False
        for name, value in v.items():
            if name == "participants":
                changed = changed or sorted(set(value or [])) != existing["participants"]
            elif name in ("served", "hours") and value is None:
                continue  # an empty count keeps the stored one
            elif name in ("voided", "void_reason") and existing["voided"]:
                continue  # a voided log stays voided (an older file does not undo it)
            elif name == "voided":
                changed = changed or bool(value)
            elif existing.get(name) != value:
                changed = True
        row.action = "update" if changed else "unchanged"
        row.target = existing["id"]
        if changed:
            self.check_departures(row, existing)

    def check_departures(self, row, existing):
        """A log inserted or changed: no participant after death, none at a closed point."""
        if not hasattr(self, "departures"):
            from cbtool.consistency import Departures

            self.departures = Departures(self.store)
        v = row.values
        people = v["participants"] if self.has(row, "participants") else (
            existing["participants"] if existing else [])
        voided = v.get("voided") or (existing and existing["voided"])
        problems, self.warnings = self.departures.log({**v, "participants": people,
                                                       "voided": voided})
        row.problems += [(e.field, e) for e in problems]

    def insert_parked(self):
        store = self.store
        now = now_utc()
        base = store.execute("SELECT coalesce(max(id), 0) + 1 FROM logs").fetchone()[0]
        store.execute(
            "INSERT INTO logs (id, point, date, kind, title, served, hours, note, ref, voided, "
            "void_reason, created_at, updated_at) "
            "SELECT ? + target, point, date, kind, title, coalesce(served, 0), "
            "coalesce(hours, 0), note, ref, coalesce(voided, 0), void_reason, ?, ? "
            f"FROM temp.{_STAGE} WHERE action = 'insert' ORDER BY line", (base, now, now))
        store.execute(
            "INSERT OR IGNORE INTO log_participants (log_id, member_no) "
            f"SELECT ? + s.target, j.value FROM temp.{_STAGE} s, json_each(s.participants) j "
            "WHERE s.action = 'insert' AND s.participants IS NOT NULL", (base,))
        return True

    def audit_parked(self, marks):
        people = ("(SELECT json_group_array(p.member_no) FROM (SELECT member_no FROM "
                  "log_participants WHERE log_id = l.id ORDER BY member_no) p)")
        _audit_select(
            self.store, self.plan, "logs", "l.id",
            [*((c, f"l.{c}") for c in ("point", "date", "kind", "title", "served", "hours",
                                       "note", "ref")),
             ("voided", _TRUE.format("l.voided")), ("void_reason", "l.void_reason"),
             ("participants", f"CASE WHEN EXISTS (SELECT 1 FROM log_participants WHERE "
                              f"log_id = l.id) THEN {people} END")],
            "logs l WHERE l.id > ? ORDER BY l.id", (marks["logs"],))

    def write(self, action, rows):
        store = self.store
        for _line, log_id, _mask, values in rows:
            before = store.one(f"SELECT {', '.join(_LOG_COLUMNS)} FROM logs WHERE id = ?",
                               (log_id,))
            assert before is not None
            before["participants"] = [no for (no,) in store.execute(
                "SELECT member_no FROM log_participants WHERE log_id = ? ORDER BY member_no",
                (log_id,))]
            changes = {}
            for name, value in values.items():
                if name in ("served", "hours") and value is None:
                    continue
                if name in ("voided", "void_reason") and before["voided"]:
                    continue
                if name == "voided":
                    value = int(bool(value))
                if name == "participants":
                    value = sorted(set(value or []))
                if before.get(name) != value:
                    changes[name] = value
            if not changes:
                continue
            columns = {k: val for k, val in changes.items() if k != "participants"}
            if columns:
                sets = ", ".join(f"{k} = ?" for k in columns)
                store.execute(f"UPDATE logs SET {sets}, updated_at = ? WHERE id = ?",
                              [*columns.values(), now_utc(), log_id])
            if "participants" in changes:
                store.execute("DELETE FROM log_participants WHERE log_id = ?", (log_id,))
                store.conn.executemany(
                    "INSERT INTO log_participants (log_id, member_no) VALUES (?, ?)",
                    ((log_id, no) for no in changes["participants"]))
            store.audit("logs", log_id, "update", before, {**before, **changes})


# --- points ---------------------------------------------------------------------------


class PointImporter(Importer):
    """Points (and the centre) by code: names, addresses, notes, whether open and since
    when closed travel with them. An area's own point exists once the area does, so a
    points file updates it; the centre and other points are inserted."""

    kind = "points"
    table = "points"
    required = ("code", "name")
    unique = frozenset({"code", "name", "address"})
    staged = tuple(HEADINGS["points"])
    key_fields = frozenset({"code"})
    _FIELDS = ("name", "kind", "area", "address", "note", "active", "closed_on")

    def parsers(self):
        from cbtool.areas import point_field_parsers

        return point_field_parsers(self.store)

    def key(self, values):
        return values.get("code")

    def duplicate(self, row, first_line):
        return "code", FieldError("code", DUPLICATE, line=first_line, value=row.key)

    def lookup(self, keys):
        cols = ("code", *self._FIELDS)
        found = {r[0]: dict(zip(cols, r, strict=True)) for r in self.in_keys(
            f"SELECT {', '.join(cols)} FROM points WHERE code IN (SELECT value FROM "
            "json_each(?))", keys)}
        for r in found.values():
            r["active"] = bool(r["active"])
        if not hasattr(self, "centre"):
            centre = self.store.one("SELECT code FROM points WHERE kind = 'centre'")
            self.centre = centre["code"] if centre else None
        return found

    def classify(self, row, existing):
        from cbtool.areas import CENTRE_NO_AREA, ONE_CENTRE

        v = row.values
        merged = {**(existing or {"kind": "point", "active": True}),
                  **{k: v.get(k) for k in self._FIELDS if self.has(row, k)}}
        if merged.get("kind") is None:
            merged["kind"] = existing["kind"] if existing else "point"
        if merged.get("active") is None:
            merged["active"] = existing["active"] if existing else True
        if merged["kind"] == "centre" and merged.get("area"):
            row.problems.append(("area", FieldError("area", CENTRE_NO_AREA)))
        if merged["kind"] == "centre" and self.centre not in (None, v["code"]):
            row.problems.append(("kind", FieldError("kind", ONE_CENTRE, code=self.centre)))
        if row.problems:
            return
        if merged["kind"] == "centre":
            self.centre = v["code"]
        if merged["active"]:
            merged["closed_on"] = None
        elif not merged.get("closed_on"):
            merged["closed_on"] = self.store.today.isoformat()
        for name in self._FIELDS:
            v[name] = merged.get(name)
            row.present |= self.bit[name]
        if existing is None:
            row.action = "insert"
        else:
            same = all(existing[k] == merged.get(k) for k in self._FIELDS)
            row.action = "unchanged" if same else "update"

    def write(self, action, rows):
        from cbtool import areas

        store = self.store
        for _line, _target, _mask, values in rows:
            record = {"code": values["code"], **{k: values.get(k) for k in self._FIELDS}}
            record["active"] = int(bool(record["active"]))
            if action == "insert":
                areas._insert_point(store, record)  # noqa: SLF001 - the one insert of a point
                continue
            before = store.one(f"SELECT {', '.join(record)} FROM points WHERE code = ?",
                               (record["code"],))
            changed = {k: val for k, val in record.items() if before[k] != val}
            if changed:
                store.execute(f"UPDATE points SET {', '.join(f'{k} = ?' for k in changed)}, "
                              "updated_at = ? WHERE code = ?",
                              [*changed.values(), now_utc(), record["code"]])
                store.audit("points", record["code"], "update", before, {**before, **changed})

    def audit_import(self):  # every point written is audited above
        pass


IMPORTERS: dict[str, type[Importer]] = {
    "areas": AreaImporter, "members": MemberImporter, "logs": LogImporter,
    "checklist": CheckImporter, "points": PointImporter,
}


# --- planning -------------------------------------------------------------------------


def _columns(importer: Importer, mapping: dict[str, str | None], headers: Iterable[str],
             name: str, unknown: dict[str, None], headings: dict[str, str],
             sheet: str | None = None) -> list[tuple[str, str, int, int]]:
    """(heading, field, bit, position) for the headings of a row; unknown ones noted in
    ``unknown``, the heading of each field in ``headings``."""
    cols: list[tuple[str, str, int, int]] = []
    seen: dict[str, str] = {}
    for pos, heading in enumerate(headers):
        if heading == "":
            continue
        target: str | None = None
        known = False
        for candidate in heading_candidates(heading):
            if candidate in mapping:
                target, known = mapping[candidate], True
                break
        if not known:
            unknown.setdefault(heading, None)
            continue
        if target is None:
            continue
        if target in seen:
            raise InvalidInput(SAME_FIELD, file=name, first=seen[target], second=heading,
                               label=field_label(target, "zh"), **sheet_params(sheet))
        seen[target] = heading
        headings.setdefault(target, heading)
        cols.append((heading, target, importer.bit[target], pos))
    return cols


def _examples(kind: str, names: list[str]) -> str:
    return ", ".join(f"{n}/{HEADINGS[kind][n][0]}" for n in names)


class _Planner:
    """One pass over the source: parse, find repeats, look up, classify, park."""

    def __init__(self, store: Store, kind: str, source: Any,
                 on_progress: Callable[[int], None] | None) -> None:
        if kind not in IMPORTERS:
            raise ValueError(f"unknown kind {kind!r}")
        self.store = store
        self.importer = IMPORTERS[kind](store)
        self.importer.source = source.name
        self.mapping = heading_map(kind)
        self.source = source
        self.on_progress = on_progress
        self.sheet = getattr(source, "sheet", None)
        self.plan = Plan(kind=kind, source=source.name, format=source.format,
                         encoding=source.encoding, headers=list(source.headers),
                         importer=self.importer, sheet=self.sheet)
        self.unknown: dict[str, None] = {}
        self.headings: dict[str, str] = {}  # field -> its heading in the file
        self.reject_headers: dict[str, None] = {}
        self.check_json = source.format in ("json", "jsonl")
        imp = self.importer
        unguard = source.format in ("csv", "tsv")
        needed = imp.required if imp.cell_required is None else imp.cell_required
        self.column = {name: _column(_guarded(name, imp.raw_parsers[name], name in needed,
                                              self.check_json, unguard),
                                     None if name in imp.unique else {})
                       for name in imp.fields}
        self.layouts: dict[tuple[str, ...], list] = {}

    def start(self) -> None:
        imp = self.importer
        cols = _columns(imp, self.mapping, self.source.headers, self.source.name, self.unknown,
                        self.headings, self.sheet)
        present = {c[1] for c in cols}
        missing = [n for n in imp.required if n not in present]
        empty_json = self.source.format in ("json", "jsonl") and not self.source.headers
        if missing and not empty_json:  # `[]` (an empty export) has no keys: nothing to do
            line = getattr(self.source, "header_line", None)
            at = ((f"；表头取自第 {line} 行，表头在别处时用 --header-row 指定行号"
                   + ("、--sheet 指定工作表" if self.sheet else ""),
                   f"; the headings were read from line {line}: give --header-row N"
                   + (" or --sheet NAME" if self.sheet else "") + " if they are elsewhere")
                  if line else ("", ""))
            raise InvalidInput(MISSING_COLUMNS, file=self.source.name,
                               names=", ".join(missing),
                               examples=_examples(imp.kind, missing),
                               at_zh=at[0], at_en=at[1], **sheet_params(self.sheet))
        _drop(self.store)
        names = ", ".join(f'"{n}"' for n in imp.staged)
        self.store.execute(
            f"CREATE TEMP TABLE {_STAGE} (line INTEGER PRIMARY KEY, k TEXT, action TEXT, "
            f"target, mask INTEGER, {names})")
        self.store.execute(f"CREATE INDEX temp.{_STAGE}_k ON {_STAGE} (k)")
        self.store.execute(f"CREATE TEMP TABLE {_REJECTS} (line INTEGER PRIMARY KEY, raw TEXT, "
                           "zh TEXT, en TEXT)")

    def run(self) -> Plan:
        try:
            self.start()
        except InvalidInput as exc:  # headings: every data row is rejected with the file
            exc.rows = _readable_rows(self.source.cells())
            raise
        imp = self.importer
        read = [0]
        records = _counting(self.source.cells(), read)
        try:
            return self._run(imp, records)
        except InvalidInput as exc:  # the file stopped being readable at some row
            exc.rows = read[0]
            raise

    def _run(self, imp: Importer, records: Iterator[Any]) -> Plan:
        while batch := list(islice(records, CHUNK)):
            self.flush(self.parse_rows(batch))
            if len(batch) == CHUNK and self.on_progress:
                self.on_progress(batch[-1][0])
        if self.on_progress:
            self.on_progress(-1)
        plan = self.plan
        plan.unknown = list(self.unknown)
        plan.reject_headers = list(self.reject_headers)
        plan.inserted = imp.counts["inserted"]
        plan.updated = imp.counts["updated"]
        plan.unchanged = imp.counts["unchanged"]
        plan.encoding = self.source.encoding
        notes = getattr(self.source, "notes", None)
        plan.notes = notes() if notes else []
        return plan

    def layout(self, keys: tuple[str, ...]) -> list[tuple[str | None, str, Any, int, int]]:
        """(heading, field, column parser, bit, position in the record) for records with
        these keys; a required field they lack has heading None (JSON: every record has
        its own keys)."""
        cols = self.layouts.get(keys)
        if cols is None:
            imp = self.importer
            found = _columns(imp, self.mapping, keys, self.source.name, self.unknown,
                             self.headings, self.sheet)
            cols = [(h, n, self.column[n], b, p) for h, n, b, p in found]
            if self.check_json:
                have = {c[1] for c in cols}
                cols.extend((None, n, None, 0, -1) for n in imp.required if n not in have)
            self.layouts[keys] = cols
        return cols

    def parse_rows(self, batch: list[tuple[int, tuple[str, ...], list[str | None]]]
                   ) -> list[Row]:
        """Parse a batch of records column by column (one parser call per cell of the
        fields whose values rarely repeat; one dict look-up per cell of the others)."""
        keys = batch[0][1]
        groups: dict[tuple[str, ...], list[int]]
        if all(k is keys for _l, k, _v in batch):  # a grid: one tuple of keys
            groups = {keys: list(range(len(batch)))}
        else:
            groups = {}
            for i, (_l, k, _v) in enumerate(batch):
                groups.setdefault(k, []).append(i)
        rows: list[Row | None] = [None] * len(batch)
        for keys, where in groups.items():
            cols = self.layout(keys)
            records = [batch[i] for i in where] if len(where) < len(batch) else batch
            cells = list(zip(*[r[2] for r in records], strict=True)) if keys else []
            problems: dict[int, list[tuple[str | None, InvalidInput]]] = {}
            names: list[str] = []
            parsed: list[list[Any]] = []
            full = 0
            for heading, name, column, bit, pos in cols:
                if heading is None:
                    error = FieldError(name, MISSING_FIELD)
                    for j in range(len(records)):
                        problems.setdefault(j, []).append((None, error))
                    continue
                results = column(cells[pos])
                if any(map(isinstance, results, repeat(FieldError))):
                    for j, result in enumerate(results):
                        if isinstance(result, FieldError):
                            problems.setdefault(j, []).append((heading, result))
                names.append(name)
                parsed.append(results)
                full |= bit
            if "" in keys:  # cells beyond the last heading
                for j, text in enumerate(cells[keys.index("")]):
                    if text is not None:
                        problems.setdefault(j, []).append(
                            (None, InvalidInput(EXTRA_CELLS, value=text)))
            by_row = zip(*parsed, strict=True) if parsed else repeat((), len(records))
            if not problems and len(where) == len(batch):  # the usual chunk: all good
                return [Row(line, (keys, texts), dict(zip(names, values, strict=True)), full, [])
                        for (line, _k, texts), values in zip(records, by_row, strict=True)]
            for j, (record, values) in enumerate(zip(records, by_row, strict=True)):
                line, _keys, texts = record
                found = problems.get(j)
                if found is None:
                    row = Row(line, (keys, texts), dict(zip(names, values, strict=True)),
                              full, [])
                else:
                    mask = 0
                    good = {}
                    for (_h, name, _c, bit, _p), value in zip(
                            (c for c in cols if c[0] is not None), values, strict=True):
                        if not isinstance(value, FieldError):
                            good[name] = value
                            mask |= bit
                    row = Row(line, (keys, texts), good, mask, found)
                rows[where[j]] = row
        return rows  # type: ignore[return-value]

    def flush(self, chunk: list[Row]) -> None:
        if not chunk:
            return
        imp = self.importer
        plan = self.plan
        plan.rows += len(chunk)
        # Keys repeated inside the file: against earlier chunks, then within this one.
        for row in chunk:
            row.key = None if row.problems and _key_broken(row, imp) else imp.key(row.values)
        keyed = [r.key for r in chunk if r.key is not None]
        earlier = dict(imp.in_keys(
            f"SELECT k, min(line) FROM temp.{_STAGE} WHERE k IN "
            "(SELECT value FROM json_each(?)) GROUP BY k", keyed)) if keyed else {}
        for row in chunk:
            if row.key is None:
                continue
            first = earlier.get(row.key)
            if first is None:
                earlier[row.key] = row.line
            else:
                column, error = imp.duplicate(row, first)
                row.problems.append((self.heading(column), error))
                row.key = None  # the first line keeps the key
        # Look up what is stored, then classify the rows still valid.
        valid = [r for r in chunk if not r.problems]
        found = imp.lookup([r.key for r in valid if r.key is not None]) if valid else {}
        if valid:
            imp.prepare(valid, found)
        for row in valid:
            imp.warnings = []
            imp.classify(row, found.get(row.key))
            if row.problems:
                row.problems = [(self.heading(c), e) for c, e in row.problems]
            else:
                imp.counts[_COUNTED[row.action]] += 1
                for msg, params in imp.warnings:
                    plan.warning_count += 1
                    if len(plan.warnings) < KEEP:
                        plan.warnings.append(RowWarning(row.line, msg, params))
        # Park everything (rejected rows keep their key so later repeats name them).
        staged = imp.staged
        get_json = [(i, n) for i, n in enumerate(staged) if n in imp.json_fields]
        parked = []
        for r in chunk:
            vals = [r.line, r.key, "rejected" if r.problems else r.action, r.target, r.present,
                    *map(r.values.get, staged)]
            for i, _name in get_json:
                if vals[5 + i] is not None:
                    vals[5 + i] = _JSON(vals[5 + i])
            parked.append(vals)
        self.store.conn.executemany(
            f"INSERT INTO temp.{_STAGE} VALUES ({', '.join('?' * (len(staged) + 5))})", parked)
        rejects = [r for r in chunk if r.problems]
        if rejects:
            self.reject(rejects)

    def heading(self, name: str | None) -> str | None:
        """The file's heading of a field (problems found after parsing name fields)."""
        return self.headings.get(name, name) if name else None

    def reject(self, rows: list[Row]) -> None:
        plan = self.plan
        parked = []
        for row in rows:
            plan.rejected += 1
            texts = {"zh": [], "en": []}
            for column, error in row.problems:
                problem = Problem(row.line, column, error)
                plan.problem_count += 1
                if len(plan.problems) < KEEP:
                    plan.problems.append(problem)
                for lang in texts:
                    where = f"[{column}] " if column else ""
                    texts[lang].append(where + problem.reason(lang))
            keys, raw = row.cells
            cells = {k: v for k, v in zip(keys, raw, strict=True) if k != ""}
            for heading in cells:
                self.reject_headers.setdefault(heading, None)
            parked.append((row.line, json.dumps(cells),  # ASCII: lone surrogates escaped
                           _storable("；".join(texts["zh"])), _storable("; ".join(texts["en"]))))
        self.store.conn.executemany(f"INSERT INTO temp.{_REJECTS} VALUES (?, ?, ?, ?)", parked)


_COUNTED = {"insert": "inserted", "update": "updated", "unchanged": "unchanged"}
_QUOTE = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses


def _counting(records: Iterator[Any], read: list[int]) -> Iterator[Any]:
    """The records, counting in ``read[0]`` each one handed out."""
    for record in records:
        read[0] += 1
        yield record


def _readable_rows(records: Iterator[Any]) -> int:
    """How many records can be read before the file fails (or ends)."""
    count = 0
    try:
        for _record in records:
            count += 1
    except InvalidInput:
        pass
    return count


def _JSON(items: list[str]) -> str:
    """``json.dumps(items, ensure_ascii=False)`` for a list of text, without building an
    encoder per call."""
    try:
        return "[" + ", ".join(map(_QUOTE, items)) + "]"
    except TypeError:  # not all text
        return json.dumps(items, ensure_ascii=False)


def _storable(text: str) -> str:
    """Text SQLite can take: a lone surrogate (only JSON can carry one) becomes '?'."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _key_broken(row: Row, imp: Importer) -> bool:
    """A key field of this row failed to parse (then it has no key)."""
    return any(isinstance(e, FieldError) and e.field in imp.key_fields for _c, e in row.problems)


def plan_import(store: Store, kind: str, source: Any, *,
                on_progress: Callable[[int], None] | None = None) -> Plan:
    """Validate every row of ``source`` (an open ``tabular.Source``) and classify it.

    Raises ``InvalidInput`` for a file that cannot be read as a whole (missing required
    columns, bad encoding, broken CSV); row problems are collected in the plan instead.
    Writes nothing but TEMP tables; ``on_progress(line)`` is called every ``CHUNK`` rows
    and with -1 at the end.
    """
    with _page_cache(store):
        return _Planner(store, kind, source, on_progress).run()


def apply(store: Store, plan: Plan, *, on_progress: Callable[[int], None] | None = None
          ) -> Plan:
    """Write the valid rows of ``plan`` in the caller's transaction; rejected rows are
    skipped (the caller decides whether to apply a plan that has any). Inserts go in
    bulk (one INSERT … SELECT from the parked rows where the kind allows it); updates one
    by one, each audited."""
    if plan.applied:
        raise RuntimeError("plan applied already")
    imp: Importer = plan.importer
    done = 0
    first = store.execute("SELECT coalesce(max(id), 0) FROM audit").fetchone()[0]
    marks = {table: store.execute(f"SELECT coalesce(max(id), 0) FROM {table}").fetchone()[0]
             for table in _MARKED}
    plan.batch = _record_batch(store, plan)
    imp.plan = plan
    with _page_cache(store):
        if plan.inserted:
            if imp.insert_parked():
                imp.audit_parked(marks)
            else:
                done = _write_parked(imp, "insert", 0, on_progress)
        if plan.updated:
            _write_parked(imp, "update", done, on_progress)
        imp.audit_written(marks)
        imp.audit_import()
        # The rows audited one by one (Store.audit) name the batch and the file too.
        store.execute("UPDATE audit SET batch = ?, command = ? WHERE id > ? AND batch IS NULL",
                      (plan.batch, _batch_command(store, plan), first))
    plan.applied = True
    return plan


_MARKED = ("contacts", "checks", "logs")  # tables whose new rows are found by rowid


def _audit_select(store: Store, plan: Plan, table: str, key_sql: str,
                  fields: Sequence[tuple[str, str]], from_sql: str,
                  params: Sequence[Any] = ()) -> None:
    """One audit row (action ``insert``) per record selected by ``from_sql``, written by
    one INSERT … SELECT: ``fields`` are (name, SQL expression) of the record, audited as
    ``{field: [null, value]}`` for those that have a value (as ``Store.audit``; a JSON
    merge patch drops the null members)."""
    members = ", ".join(f"'{name}', CASE WHEN ({expr}) IS NOT NULL THEN json_array(NULL, "
                        f"{expr}) END" for name, expr in fields)
    store.execute(
        "INSERT INTO audit (at, operator, command, table_name, key, action, changes, batch) "
        f"SELECT ?, ?, ?, ?, {key_sql}, 'insert', json_patch('{{}}', json_object({members})), "
        f"? FROM {from_sql}", (now_utc(), store.operator, _batch_command(store, plan), table,
                               plan.batch, *params))


_TRUE = "json(CASE WHEN {} THEN 'true' ELSE 'false' END)"  # a 0/1 column as a JSON bool


def _record_batch(store: Store, plan: Plan) -> int:
    """The import batch of ``plan`` (the audit rows of what it writes name it)."""
    cur = store.execute(
        "INSERT INTO import_batches (kind, file, at, operator, inserted, updated, unchanged, "
        "rejected) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (plan.kind, plan.source, now_utc(), store.operator, plan.inserted, plan.updated,
         plan.unchanged, plan.rejected))
    return cur.lastrowid


def _batch_command(store: Store, plan: Plan) -> str:
    """The audit's command of an import's rows: the command and the file."""
    return f"{store.command or plan.kind + ' import'} {plan.source}"


PLAN_ATTEMPTS = 3  # plans of one import before giving up on a database that keeps changing
KEPT_CHANGING = Msg(
    "检查文件期间数据库被其他人修改（已检查 {n} 次），未写入任何内容；请在较空闲时重试",
    "others kept changing the database while the file was checked ({n} times); nothing "
    "was written; try again when it is quieter",
)


def import_file(
    store: Store, make_plan: Callable[[], Plan], *, write: bool = True,
    skip_invalid: bool = False, lock_first: bool = False,
    write_plan: Callable[[Plan], object] | None = None,
    confirm: Callable[[Plan], bool] | None = None,
) -> Plan:
    """Plan a file and, with ``write``, apply it — so that what is written is exactly what
    was checked, and others are not locked out while a big file is being checked.

    ``make_plan()`` opens the file and returns ``plan_import(store, …)``; ``write_plan``
    applies (default ``apply``). Planning reads a snapshot (a deferred transaction) without
    the write lock. Then the write transaction begins (``Store.transaction`` takes the lock
    up front); if another connection committed since planning began (``PRAGMA
    data_version``), the lock is let go and the file planned again, without it — up to
    ``PLAN_ATTEMPTS`` plans, then EnvError (exit 3), nothing written. The lock is held for
    the write alone. ``lock_first`` plans under the lock at once. Rejected rows block the
    write unless ``skip_invalid``. ``confirm(plan)`` (a terminal's question) is asked once
    a plan would write, without any lock; no: the plan comes back ``cancelled``; yes: the
    checked plan is written if nobody committed meanwhile, else the file is planned again
    under the lock (and written if it still writes) — the file is read once, not twice. Returns the plan (discarded: its counts and problems stay
    readable).
    """
    if write:
        store.require_writable()  # before checking a big file for nothing
    plan: Plan | None = None
    write_plan = write_plan or (lambda p: apply(store, p))
    try:
        if lock_first:
            with store.transaction():
                plan = make_plan()
                if write and plan.writes(skip_invalid):
                    write_plan(plan)
            return plan
        for _ in range(PLAN_ATTEMPTS):
            if plan is not None:
                plan.discard()
            version = _data_version(store)
            with store.db.atomic():  # a read snapshot; TEMP tables only are written
                plan = make_plan()
            if not (write and plan.writes(skip_invalid)):
                return plan
            if confirm is not None:
                if not confirm(plan):
                    plan.cancelled = True
                    return plan
                with store.transaction():
                    if _data_version(store) != version:  # changed while the user read
                        plan.discard()
                        plan = make_plan()
                        if not plan.writes(skip_invalid):
                            return plan
                    write_plan(plan)
                    return plan
            with store.transaction():
                if _data_version(store) == version:  # nobody committed since: as checked
                    write_plan(plan)
                    return plan
        from cbtool.errors import EnvError

        raise EnvError(KEPT_CHANGING, n=PLAN_ATTEMPTS)
    finally:
        if plan is not None:
            plan.discard()


def _data_version(store: Store) -> int:
    """Changes whenever another connection commits (SQLite's own counter)."""
    return store.execute("PRAGMA data_version").fetchone()[0]


def _write_parked(imp: Importer, action: str, done: int,
                  on_progress: Callable[[int], None] | None) -> int:
    """Hand the parked rows of ``action`` to the importer in batches, as dicts of the
    fields the row had (the present mask)."""
    staged = imp.staged
    bits = [imp.bit[n] for n in staged]
    names = ", ".join(f'"{n}"' for n in staged)
    cur = imp.store.conn.cursor()
    cur.execute(f"SELECT line, target, mask, {names} FROM temp.{_STAGE} "
                "WHERE action = ? ORDER BY line", (action,))
    while batch := cur.fetchmany(CHUNK):
        rows = []
        for line, target, mask, *vals in batch:
            values = {n: (json.loads(v) if n in imp.json_fields and v is not None else v)
                      for n, v, b in zip(staged, vals, bits, strict=True) if mask & b}
            rows.append((line, target, mask, values))
        imp.write(action, rows)
        done += len(rows)
        if on_progress:
            on_progress(done)
    return done
