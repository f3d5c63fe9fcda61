"""Reading the audit trail (writing is ``Store.audit``)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from cbtool.fields import parse_date
from cbtool.store import Store

AUDIT_FIELDS = ["id", "at", "operator", "command", "table", "key", "action", "changes"]
SENSITIVE = {"phone": "phone", "id_card": "id_card"}


def query(
    store: Store, *, table: str | None = None, key: str | None = None,
    since: str | None = None, limit: int | None = None,
) -> tuple[Iterator[dict[str, Any]], int]:
    where, params = [], []
    if table is not None:
        where.append("table_name = ?")
        params.append(table)
    if key is not None:
        where.append("key = ?")
        params.append(key)
    if since is not None:
        where.append("at >= ?")
        params.append(parse_date("since", since, required=True))
    clause = f"WHERE {' AND '.join(where)}" if where else ""
    total = store.execute(f"SELECT count(*) FROM audit {clause}", params).fetchone()[0]
    sql = (
        "SELECT id, at, operator, command, table_name AS [table], key, action, changes "
        f"FROM audit {clause} ORDER BY id DESC"
    )
    if limit is not None:
        sql += f" LIMIT {int(limit)}"

    def gen() -> Iterator[dict[str, Any]]:
        for row in store.rows(sql, params):
            row["changes"] = json.loads(row["changes"]) if row["changes"] else {}
            yield row

    return gen(), total
