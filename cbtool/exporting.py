"""Batch export: every record of a kind, in a form ``importing`` reads back to the same data.

The records carry the English field keys and full values (no masks): members with
``last_contact_on``, logs with ``participants`` (a list), checks with ``ok`` as a bool.
CSV/TSV/JSON/JSONL go through the one writer of each (``formats``: CSV/TSV cells, joined
lists too, pass the one formula guard ``cells.guard``); xlsx through ``formats.write_xlsx``
(text as strings, never formulas) with the numbers people keep as text (member numbers,
ID numbers, phones, codes) stored as text, and dates as real dates (``yyyy-mm-dd``; a
month, ``1950-03``, as a date in ``yyyy-mm``) that Excel and WPS sort and filter.
"""

from __future__ import annotations

import contextlib
import io
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import IO, Any

from cbtool import formats
from cbtool.errors import InvalidInput
from cbtool.formats import DATA as FORMATS
from cbtool.formats import format_of, write_records
from cbtool.store import Store
from cbtool.text import Msg

# Cells Excel would turn into numbers (losing leading zeros or digits) or dates, as a
# clerk types them (a template's text columns). An export writes its dates as real dates
# (``formats.Dated``: a month as a month), which the importer reads back the same.
TEXT_COLUMNS = frozenset({"member_no", "id_card", "phone", "code", "area", "point", "ref",
                          "participants", "born_on", "joined_on", "volunteer_no", "teams",
                          "founded_on", "registered_on", "team", "helpers",
                          "volunteers"})
DATE_KEYS = frozenset({"date", "since", "until"})  # and every ``…_on``


def _is_date(key: str) -> bool:
    return key in DATE_KEYS or key.endswith("_on")
SHEET_TITLES = {"areas": "居民区", "members": "党员", "logs": "服务点台账", "checklist": "五有检查",
                "points": "服务点", "teams": "志愿者队伍", "volunteers": "志愿者",
                "service": "志愿服务记录", "pairings": "结对共建", "aid": "困难对象",
                "aid-given": "帮扶记录", "aid-income": "资金收入", "brands": "一居一品"}


def records(store: Store, kind: str) -> tuple[list[str], Iterator[dict[str, Any]]]:
    """The keys (column order) and every record of ``kind``, streamed."""
    if kind == "areas":
        from cbtool.areas import AREA_FIELDS

        return AREA_FIELDS, store.rows(
            f"SELECT {', '.join(AREA_FIELDS)} FROM areas ORDER BY code")
    if kind == "members":
        from cbtool import members

        rows, _total = members.list_members(store, status="all")
        return [*members.MEMBER_FIELDS, "last_contact_on"], rows
    if kind == "logs":
        from cbtool import logs
        from cbtool.crews import with_crews

        rows, _totals = logs.list_logs(store, include_voided=True, oldest_first=True)
        # oldest first: a fresh database re-imports the same ids; with each log's service
        return logs.EXPORT_FIELDS, with_crews(store, rows)
    if kind == "checklist":
        from cbtool.checklist import EXPORT_FIELDS

        def checks() -> Iterator[dict[str, Any]]:
            # in the order entered: a fresh database numbers them alike (checklist void ID)
            for row in store.rows(f"SELECT {', '.join(EXPORT_FIELDS)} FROM checks ORDER BY id"):
                row["ok"], row["voided"] = bool(row["ok"]), bool(row["voided"])
                yield row

        return EXPORT_FIELDS, checks()
    if kind == "points":
        from cbtool.areas import POINT_FIELDS, list_points

        return POINT_FIELDS, list_points(store)
    if kind == "teams":
        from cbtool.teams import TEAM_FIELDS, list_teams

        rows, _total = list_teams(store, status="all")
        return TEAM_FIELDS, rows
    if kind == "volunteers":
        from cbtool.volunteers import VOLUNTEER_FIELDS, list_volunteers

        rows, _total = list_volunteers(store, status="all")
        return VOLUNTEER_FIELDS, rows
    if kind == "service":
        from cbtool.service import SERVICE_EXPORT, list_service

        rows, _totals = list_service(store, include_voided=True, oldest_first=True,
                                     standalone=True)
        return SERVICE_EXPORT, ({k: r[k] for k in SERVICE_EXPORT} for r in rows)
    if kind == "aid":
        from cbtool.aid import CASE_FIELDS, list_cases

        rows, _total = list_cases(store, status="all", oldest_first=True)
        return CASE_FIELDS, rows
    if kind == "aid-given":  # in the order entered: a fresh database numbers them alike
        from cbtool.aid import GIVEN_FIELDS, given_list

        return GIVEN_FIELDS, given_list(store, include_voided=True, by_id=True)
    if kind == "aid-income":
        from cbtool.funds import INCOME_FIELDS, list_income

        return INCOME_FIELDS, list_income(store, include_voided=True, by_id=True)
    if kind == "brands":
        from cbtool.brands import BRAND_FIELDS, list_brands

        return BRAND_FIELDS, list_brands(store, oldest_first=True)
    if kind == "pairings":
        from cbtool.pairings import PAIRING_FIELDS, list_pairings

        rows, _total = list_pairings(store, status="all", oldest_first=True)
        return PAIRING_FIELDS, rows  # in number order: a fresh database gets the same ones
    raise ValueError(f"unknown kind {kind!r}")


def format_for(path: str | Path | None, fmt: str | None) -> str:
    """The format asked for, else the one ``path``'s extension names, else csv."""
    if fmt:
        return fmt
    if path is not None:
        return format_of(path) or "csv"
    return "csv"


def default_name(kind: str, fmt: str) -> str:
    return f"{'checks' if kind == 'checklist' else kind}.{fmt}"


# --- Chinese headings and labels -----------------------------------------------------------

HEADING_LANGS = ("zh", "en")
ENCODINGS = ("utf-8", "gbk", "gb18030")  # csv/tsv; json/jsonl/xlsx are always UTF-8
_STAMPS = {"created_at": "创建时间", "updated_at": "更新时间"}  # headings an import ignores
# The field that names a record in a message, by kind.
_KEY = {"areas": "code", "points": "code", "members": "member_no", "logs": "id",
        "checklist": "id", "teams": "code", "volunteers": "volunteer_no", "service": "id",
        "pairings": "id", "aid": "id", "brands": "id", "aid-given": "id", "aid-income": "id"}
YES_NO = ("是", "否")

UNENCODABLE = Msg(
    "第 {record} 条记录（{key_zh} {key}）的“{column_zh}”含有 {encoding} 无法表示的字符“{char}”，"
    "未写入任何内容；请改用 {opt_encoding} gb18030 或 utf-8",
    "record {record} ({key_en} {key}), column '{column_en}': '{char}' cannot be written in "
    "{encoding}; nothing written (use {opt_encoding} gb18030 or utf-8)",
)


def default_headings(fmt: str) -> str:
    """xlsx is for people (Chinese headings); csv/tsv for scripts (English keys) unless asked."""
    return "zh" if fmt == "xlsx" else "en"


def headings(kind: str, keys: list[str], lang: str) -> list[str]:
    """The header row: the keys, or in Chinese the first heading the importer reads for
    each (``importing.HEADINGS``; ``id`` stays ``id``)."""
    if lang == "en":
        return list(keys)
    from cbtool.importing import HEADINGS

    known = HEADINGS[kind]
    return [known[k][0] if k in known else _STAMPS.get(k, k) for k in keys]


def _yes_no(value: Any) -> Any:
    return value if value is None else YES_NO[0] if value else YES_NO[1]


def _labels(pairs: dict[str, tuple[str, str]]) -> Callable[[Any], Any]:
    return lambda value: pairs[value][0] if value in pairs else value


def zh_values(store: Store, kind: str) -> dict[str, Callable[[Any], Any]]:
    """field -> the Chinese label of a stored value (离退休 for ``retired``, 是 for true),
    each one the importer reads back to the same value."""
    from cbtool import vocab

    def of(words: vocab.Vocab) -> Callable[[Any], Any]:
        return lambda value: words.label(value) if value is not None else None

    if kind == "members":
        return {"gender": _labels(vocab.GENDER_LABELS), "category": of(vocab.CATEGORIES),
                "status": of(vocab.STATUSES), "archived_reason": of(vocab.ARCHIVE_REASONS)}
    if kind == "logs":
        return {"kind": of(store.config.kinds()), "voided": _yes_no,
                "heading": of(vocab.PAIRING_HEADINGS)}
    if kind == "checklist":
        return {"item": of(store.config.items()), "ok": _yes_no, "voided": _yes_no}
    if kind == "points":
        return {"kind": of(vocab.POINT_KINDS), "active": _yes_no}
    if kind == "teams":
        return {"field": of(store.config.fields()), "active": _yes_no}
    if kind == "volunteers":
        return {"gender": _labels(vocab.GENDER_LABELS), "active": _yes_no}
    if kind == "service":
        return {"voided": _yes_no}
    if kind == "aid":
        return {"kind": of(vocab.AID_KINDS), "household": _yes_no}
    if kind == "brands":
        return {"status": of(vocab.BRAND_STATUSES)}
    if kind in ("aid-given", "aid-income"):  # a fund by its name, which reads back to it
        from cbtool.funds import funds

        names = {fd["code"]: fd["name"] for fd in funds(store)}
        return {"form": of(vocab.AID_FORMS), "voided": _yes_no,
                "fund": lambda code: names.get(code, code)}
    if kind == "pairings":  # 党员教育联搞、社区治安联防
        return {"headings": lambda keys: "、".join(map(vocab.PAIRING_HEADINGS.label, keys or []))}
    return {}


def _labelled(rows: Iterable[dict[str, Any]], convert: dict[str, Callable[[Any], Any]]
              ) -> Iterator[dict[str, Any]]:
    for row in rows:
        yield {**row, **{k: f(row.get(k)) for k, f in convert.items() if k in row}}


def _records(store: Store, kind: str, lang: str
             ) -> tuple[list[str], list[str], Iterable[dict[str, Any]]]:
    """(keys, header row, records) of ``kind`` with ``lang``'s headings and labels."""
    keys, rows = records(store, kind)
    if lang == "en":
        return keys, keys, rows
    from cbtool.clock import shown

    # For people: the tool's own stamps in local time (an import ignores them), as the
    # audit shows them; the English keys keep the stored UTC instants.
    convert = {**zh_values(store, kind), **{k: _local(shown) for k in _STAMPS if k in keys}}
    return keys, headings(kind, keys, lang), _labelled(rows, convert)



def _local(shown: Callable[[object], str]) -> Callable[[Any], Any]:
    return lambda value: shown(value) if value else value


def _xlsx_value(key: str, value: Any) -> Any:
    if isinstance(value, list | tuple):
        return ",".join(str(v) for v in value)
    if key == "amount" and isinstance(value, str):  # yuan as a number a clerk can SUM
        return formats.Money.of(value)
    if _is_date(key) and isinstance(value, str):
        return formats.Dated.of(value)  # a date Excel sorts and filters
    return value


def write_text(store: Store, kind: str, fmt: str, out: IO[str], *, bom: bool = False,
               lang: str = "en", crlf: bool = False, encoding: str = "utf-8") -> int:
    """Write csv/tsv/json/jsonl to a text stream; returns the number of records. JSON
    keeps the English keys and stored values whatever ``lang``. With an ``encoding``
    other than UTF-8 a cell it cannot hold is refused (``InvalidInput``) before it is
    written."""
    if fmt not in formats.DELIMITED:
        keys, rows = records(store, kind)
        return write_records(fmt, rows, out, keys=keys)
    keys, heads, rows = _records(store, kind, lang)
    check = None if encoding == "utf-8" else encoding
    try:
        return formats.write_delimited(rows, out, keys=keys, headings=heads,
                                       delimiter=formats.DELIMITED[fmt], bom=bom, crlf=crlf,
                                       encoding=check)
    except formats.Unencodable as exc:
        key = _KEY[kind]
        column = exc.key  # a record's key (the headings are all GBK)
        key_zh, column_zh = headings(kind, [key, column], "zh")
        raise InvalidInput(UNENCODABLE, record=exc.record, key_zh=key_zh, key_en=key,
                           key=exc.values.get(key, ""), column_zh=column_zh, column_en=column,
                           encoding=encoding.upper(), char=exc.char) from None


def write_xlsx(store: Store, kind: str, path: str | Path, *, lang: str = "zh") -> int:
    """Write one sheet atomically and owner-only: Chinese headings and labels (``lang``
    zh, what the importer reads) or the English keys and stored values."""
    keys, heads, rows = _records(store, kind, lang)
    text = {h for k, h in zip(keys, heads, strict=True) if k in TEXT_COLUMNS and not _is_date(k)}
    count = 0

    def cells() -> Iterator[list[Any]]:
        nonlocal count
        for row in rows:
            count += 1
            yield [_xlsx_value(k, row.get(k)) for k in keys]

    formats.write_xlsx(path, [(SHEET_TITLES.get(kind, kind), heads, cells())],
                       text_columns=text)
    return count


def export(store: Store, kind: str, fmt: str, out: str | Path | None = None, *,
           bom: bool = False, lang: str | None = None, excel: bool = False,
           encoding: str = "utf-8", stdout: IO[Any] | None = None) -> tuple[int, Path | None]:
    """Export every record of ``kind``: to the file ``out`` (atomically, owner-only; a
    directory gets ``<kind>.<ext>``) or to ``stdout``. Returns (records, path written).

    ``lang``: the headings and labels of csv/tsv/xlsx (default ``default_headings``);
    ``excel``: csv/tsv as Excel writes it (the UTF-8 BOM, CR LF line ends; no BOM in
    another encoding); ``encoding``: of csv/tsv (``ENCODINGS``). Whatever is refused
    leaves nothing written."""
    from cbtool.files import atomic_write

    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    if encoding not in ENCODINGS or (encoding != "utf-8" and fmt not in formats.DELIMITED):
        raise ValueError(f"no {encoding} for {fmt}")
    lang = lang or default_headings(fmt)
    bom = (bom or excel) and fmt in formats.DELIMITED and encoding == "utf-8"
    options = {"bom": bom, "lang": lang, "crlf": excel, "encoding": encoding}
    if out is not None:
        path = Path(out)
        if path.is_dir():
            path = path / default_name(kind, fmt)
        if fmt == "xlsx":
            return write_xlsx(store, kind, path, lang=lang), path
        with atomic_write(path, "w", encoding=encoding, newline="") as handle:
            return write_text(store, kind, fmt, handle, **options), path
    stream = stdout if stdout is not None else sys.stdout
    if fmt != "xlsx" and encoding == "utf-8":
        return write_text(store, kind, fmt, stream, **options), None
    if fmt != "xlsx":  # checked whole before a byte goes out, then in that encoding
        buffer = io.StringIO()
        count = write_text(store, kind, fmt, buffer, **options)
        binary = getattr(stream, "buffer", None)
        if binary is None:
            stream.write(buffer.getvalue())
        else:
            with contextlib.suppress(ValueError, AttributeError):
                stream.flush()
            binary.write(buffer.getvalue().encode(encoding))
            with contextlib.suppress(OSError, ValueError, AttributeError):
                binary.flush()
        return count, None
    # xlsx to a pipe: build it in a private temporary directory, then copy the bytes.
    with tempfile.TemporaryDirectory(prefix="cbtool-") as tmp:
        path = Path(tmp) / default_name(kind, fmt)
        count = write_xlsx(store, kind, path, lang=lang)
        binary = getattr(stream, "buffer", stream)
        with open(path, "rb") as handle:
            shutil.copyfileobj(handle, binary)
        with contextlib.suppress(OSError, ValueError, AttributeError):
            binary.flush()
    return count, None
