"""Finding a record by its code/number, or by a name that matches exactly one record."""

from __future__ import annotations

from collections.abc import Callable

from cbtool.errors import FieldError, InvalidInput, NotFound
from cbtool.fields import clean, halfwidth, pad_number, strip_excel_decimal, unpadded
from cbtool.store import Store
from cbtool.text import Msg

NOT_FOUND = Msg("找不到{what}“{value}”", "no {what_en} '{value}'")
AMBIGUOUS = Msg(
    "{what}“{value}”不唯一（{codes}），请用编号",
    "{what_en} '{value}' is ambiguous ({codes}); use the code",
)

WHAT = {
    "areas": ("居民区", "area"),
    "points": ("服务点", "point"),
    "members": ("党员", "member"),
    "teams": ("志愿者队伍", "volunteer team"),
    "volunteers": ("志愿者", "volunteer"),
}
PEOPLE = frozenset({"members", "volunteers"})  # names stored without a roster's padding
KEYS = {"areas": "code", "points": "code", "members": "member_no", "teams": "code",
        "volunteers": "volunteer_no"}


def find_key(store: Store, table: str, value: object) -> str:
    """The key of the one record whose key, or else whose name, equals ``value``."""
    text = clean(value) or ""
    key = KEYS[table]
    what, what_en = WHAT[table]
    code = strip_excel_decimal(halfwidth(text))
    if table == "members":  # [members] member_no_width: 104 is 00104 (the stored form first)
        code = pad_number(code, store.config.member_no_width)
    for candidate in dict.fromkeys([text, code] if table != "members" else [code, text]):
        row = store.execute(f"SELECT {key} FROM {table} WHERE {key} = ?", (candidate,)).fetchone()
        if row:
            return row[0]
    rows = store.execute(  # a01 for A01: codes are typed in either case
        f"SELECT {key} FROM {table} WHERE {key} = ? COLLATE NOCASE LIMIT 2", (code,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    name = unpadded(text) if table in PEOPLE else text  # 沈　佳怡 is 沈佳怡
    rows = store.execute(
        f"SELECT {key} FROM {table} WHERE name = ? ORDER BY {key} LIMIT 6", (name,)
    ).fetchall()
    if not rows and table == "points":  # an area's name means the area's own point
        rows = store.execute(
            "SELECT p.code FROM points p JOIN areas a ON a.code = p.code WHERE a.name = ? "
            "ORDER BY p.code LIMIT 6", (text,)).fetchall()
    if len(rows) == 1:
        return rows[0][0]
    if rows:
        raise InvalidInput(AMBIGUOUS, what=what, what_en=what_en, value=text,
                           codes=", ".join(r[0] for r in rows))
    raise NotFound(NOT_FOUND, what=what, what_en=what_en, value=text)


def resolver(store: Store, table: str, field: str) -> Callable[[object], str]:
    """A cached lookup for bulk work: raises FieldError naming ``field``."""
    key = KEYS[table]
    keys: set[str] = set()
    folded: dict[str, list[str]] = {}
    names: dict[str, list[str]] = {}
    for code, name in store.execute(f"SELECT {key}, name FROM {table}"):
        keys.add(code)
        folded.setdefault(code.casefold(), []).append(code)
        names.setdefault(name, []).append(code)
    if table == "points":  # an area's name means the area's own point
        for code, name in store.execute(
                "SELECT p.code, a.name FROM points p JOIN areas a ON a.code = p.code"):
            names.setdefault(name, [code])
    what, what_en = WHAT[table]

    def resolve(value: object) -> str:
        text = clean(value) or ""
        if text in keys:
            return text
        stripped = strip_excel_decimal(halfwidth(text))
        if stripped in keys:
            return stripped
        same = folded.get(stripped.casefold(), [])
        if len(same) == 1:
            return same[0]
        found = names.get(text) or (names.get(unpadded(text), [])
                                    if table in PEOPLE else [])
        if len(found) == 1:
            return found[0]
        if found:
            raise FieldError(field, AMBIGUOUS, what=what, what_en=what_en, value=text,
                             codes=", ".join(sorted(found)[:6]))
        raise FieldError(field, NOT_FOUND, what=what, what_en=what_en, value=text)

    return resolve


def record_id(value: object, msg: Msg) -> int:
    """A record's number as typed (``12`` or ``#12``); anything else is ``NotFound(msg)``
    naming what was typed."""
    text = (clean(value) or "").removeprefix("#")
    if not text.isdigit() or len(text) > 18:
        raise NotFound(msg, value=clean(value) or "")
    return int(text)
