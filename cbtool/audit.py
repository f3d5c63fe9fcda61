"""Reading the audit trail (writing is ``Store.audit``)."""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator
from typing import Any

from cbtool import batches
from cbtool.errors import InvalidInput
from cbtool.fields import clean, parse_date
from cbtool.store import Store
from cbtool.text import Msg
from cbtool.vocab import TABLES

AUDIT_FIELDS = ["id", "at", "operator", "command", "table", "key", "action", "changes",
                "batch"]
SENSITIVE = {"phone": "phone", "id_card": "id_card"}
# An audited table whose export kind is named otherwise (``exporting.zh_values``'s kinds).
_EXPORT_KINDS = {"checks": "checklist", "aid_cases": "aid", "aid_given": "aid-given",
                 "fund_income": "aid-income"}
UNKNOWN_TABLE = Msg("没有表“{value}”（可用：{tables}）", "no table '{value}' (one of: {tables})")


def parse_table(value: object) -> str:
    """A table of the audit by its name or its Chinese label (``党员`` -> ``members``)."""
    text = clean(value) or ""
    for table, labels in TABLES.items():
        if text.lower() == table or text in labels:
            return table
    shown = "、".join(f"{t}/{labels[0]}" for t, labels in TABLES.items())
    raise InvalidInput(UNKNOWN_TABLE, value=text, tables=shown)


def table_label(table: str, lang: str) -> str:
    """A table of the audit as people know it (``members`` -> ``党员``; English: the table)."""
    return table if lang == "en" else TABLES.get(table, (table,))[0]


def label_kind(row: dict[str, Any]) -> str:
    """Whose names a row's changed fields go by: an import's own row (``file``,
    ``inserted`` …, under the table it wrote) and a batch undone go by the batch's."""
    return "import_batches" if row["action"] == "import" else row["table"]


def value_labels(store: Store, table: str) -> dict[str, Callable[[Any], Any]]:
    """field -> the Chinese label of a value a change of ``table`` records (``下岗`` for
    ``laid-off``): the export's labels, and a category change's categories."""
    from cbtool.exporting import zh_values

    if table == "category_changes":
        category = zh_values(store, "members")["category"]
        return {"from": category, "to": category}
    if table == "contacts":  # no export of their own: 微信 for wechat, 是 for reached
        from cbtool import vocab
        from cbtool.exporting import _yes_no

        return {"channel": vocab.CHANNELS.label, "reached": _yes_no}
    labels = zh_values(store, _EXPORT_KINDS.get(table, table))
    for name in _STORED_AS_TEXT.get(table, ()):  # a list the table keeps as "a,b" text
        if name in labels:
            labels[name] = functools.partial(_split_first, labels[name])
    return labels


# The tables whose people are aid recipients: their names and addresses are masked too.
PERSONAL_TABLES = {"aid_cases"}
MONEY_FIELDS = {"amount_fen", "amount"}  # fen as recorded; yuan text as a file gives it


def value_shower(store: Store, table: str, lang: str, *, reveal: bool = False
                 ) -> Callable[[str, Any], Any]:
    """``(field, value) -> the value as a person reads it`` for a change of ``table`` —
    the one rule of the audit's 变更 and an import's dry-run preview: phones and ID numbers
    masked (an aid recipient's name and address too) unless ``reveal``; money as
    ``1,100.00``; in Chinese, coded values by their labels (``下岗`` for ``laid-off``).
    None stays None (each caller says "empty" its own way)."""
    from cbtool import fields

    masks: dict[str, Callable[[Any], Any]] = {}
    if not reveal:
        masks = {"phone": fields.mask_phone, "id_card": fields.mask_id_card}
        if table in PERSONAL_TABLES:
            masks.update(name=fields.mask_name, address=fields.mask_address)
    labels = value_labels(store, table) if lang != "en" else {}

    def shown(field: str, value: Any) -> Any:
        if value is None:
            return None
        if field in masks:
            return masks[field](value)
        if field in MONEY_FIELDS:
            return fields.yuan_shown(value)
        return labels[field](value) if field in labels else value

    return shown


# Lists a table stores as comma-joined text (so its audit records the text).
_STORED_AS_TEXT = {"pairings": ("headings",)}


def _split_first(label: Callable[[Any], Any], value: Any) -> Any:
    return label(value.split(",") if isinstance(value, str) else value)


def member_numbers(store: Store, key: str) -> list[str]:
    """``key`` and every member number linked to it by ``members renumber``, either way."""
    links: dict[str, set[str]] = {}
    for old, new in store.execute(
            "SELECT json_extract(changes, '$.member_no[0]'), json_extract(changes, "
            "'$.member_no[1]') FROM audit WHERE table_name = 'members' AND action = 'renumber'"):
        links.setdefault(old, set()).add(new)
        links.setdefault(new, set()).add(old)
    found, todo = {key}, [key]
    while todo:
        for other in links.get(todo.pop(), ()):
            if other not in found:
                found.add(other)
                todo.append(other)
    return sorted(found)


def query(
    store: Store, *, table: str | None = None, key: str | None = None,
    since: str | None = None, batch: int | None = None, limit: int | None = None,
) -> tuple[Iterator[dict[str, Any]], int]:
    """The audit rows, newest first, and how many match; ``batch``: the rows one import
    wrote (``cbtool imports`` lists the batches); a batch that does not exist is NotFound."""
    where, params = [], []
    if table is not None:
        where.append("table_name = ?")
        params.append(parse_table(table))
    if key is not None:  # a member's key: every number it has had (renumber)
        trail = member_numbers(store, key)
        where.append("(key = ? OR (table_name = 'members' AND key IN "
                     f"({', '.join('?' * len(trail))})))")
        params.extend([key, *trail])
    if batch is not None:
        where.append("batch = ?")
        params.append(batches.get(store, batch)["id"])
    if since is not None:
        where.append("at >= ?")
        params.append(parse_date("since", since, required=True))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM audit {clause}", params).fetchone()[0]
    sql = (
        "SELECT id, at, operator, command, table_name AS [table], key, action, changes, batch "
        f"FROM audit {clause} ORDER BY id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"

    def gen() -> Iterator[dict[str, Any]]:
        for row in store.rows(sql, params):
            row["changes"] = json.loads(row["changes"]) if row["changes"] else {}
            yield row

    return gen(), total
