"""cbtool audit: who changed what."""

import functools
from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, guard, labeler, more_rows, session, state
from cbtool.cli.output import Col, Fmt, emit
from cbtool.text import field_label

COLS = [
    Col("id", "序号", "ID"), Col("at", "时间", "At", "time"), Col("operator", "操作人", "Operator"),
    Col("command", "命令", "Command"), Col("table_label", "表", "Table"), Col("key", "键", "Key"),
    Col("action", "操作", "Action", "action"), Col("batch", "批次", "Batch"),
    Col("summary", "变更", "Changes"),
]


def _shown(value: object) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):  # members of a case, a log's participants: as people list
        return "、".join(map(_shown, value)) or "∅"
    return str(value)


def _summary(row: dict, kind: str, lang: str, shower) -> str:
    """``党员类别：下岗 → 在职`` (English: ``category: laid-off → employed``); a record
    added, its values only (``服务点：A01；日期：2026-11-30``); ``kind``:
    whose names the fields go by (``audit.label_kind``); ``shower(kind)``: its values as
    people read them (``audit.value_shower``)."""
    shown = shower(kind)
    parts = []
    # A record added, a database restored: its values alone (服务点：A01), as there is no
    # before to show.
    added = row["action"] in ("insert", "restore_db") and all(
        b is None for b, _ in row["changes"].values())
    for field, (before, after) in row["changes"].items():
        before, after = _shown(shown(field, before)), _shown(shown(field, after))
        if before == after:  # an empty list gone (参加党员：∅ → ∅) says nothing
            continue
        name = field_label(field, lang, kind)
        change = after if added else f"{before} → {after}"
        parts.append(f"{name}: {change}" if lang == "en" else f"{name}：{change}")
    # A space after each ；: a narrow table wraps between the changes, not inside a number
    # or an ID (rich breaks lines at spaces only).
    return "; ".join(parts) if lang == "en" else "； ".join(parts)


def audit(
    ctx: typer.Context,
    table: Annotated[str | None, typer.Option("--table", help="只看这张表")] = None,
    key: Annotated[str | None, typer.Option("--key", help="只看这条记录（记录键）")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="从这一天起的记录")] = None,
    batch: Annotated[int | None, typer.Option(
        "--batch", metavar="ID", min=1, help="只看这一批导入写入的记录（批次见 cbtool imports）")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="显示的条数")] = 50,
    show_all: Annotated[bool, typer.Option("--all", help="显示全部记录")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="完整显示电话、身份证号和困难对象的姓名、住址（默认打码）")] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """查看审计记录（最新的在前）：谁改了哪条记录，改前 → 改后。"""
    from cbtool import audit as audit_domain

    with session(ctx) as store, guard(ctx):
        rows, total = audit_domain.query(store, table=table, key=key, since=since,
                                         batch=batch, limit=None if show_all else limit)
        lang = state(ctx).lang
        shower = functools.cache(lambda table: audit_domain.value_shower(
            store, table, lang, reveal=reveal))
        rows = ({**r, "table_label": audit_domain.table_label(r["table"], lang),
                 "summary": _summary(r, audit_domain.label_kind(r), lang, shower)}
                for r in rows)
        keys = audit_domain.AUDIT_FIELDS
        # a table too wide for the terminal keeps when, which record, what was done and
        # the change: 变更 gets the room of the table, batch, operator and command
        emit(fmt, rows, cols=COLS, keys=keys, lang=lang, label=labeler(ctx), total=total,
             more_msg=more_rows(ctx),
             optional=["table_label", "batch", "operator", "command"])
