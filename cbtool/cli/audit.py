"""cbtool audit: who changed what."""

from __future__ import annotations

import functools
from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, guard, labeler, more_rows, narrowed, session, state
from cbtool.cli.output import Col, Fmt, emit
from cbtool.fields import mask_id_card, mask_name, mask_phone, yuan_shown
from cbtool.text import field_label

COLS = [
    Col("id", "序号", "ID"), Col("at", "时间", "At", "time"), Col("operator", "操作人", "Operator"),
    Col("command", "命令", "Command"), Col("table_label", "表", "Table"), Col("key", "键", "Key"),
    Col("action", "操作", "Action", "action"), Col("batch", "批次", "Batch"),
    Col("summary", "变更", "Changes"),
]
MASKS = {"phone": mask_phone, "id_card": mask_id_card}
PERSONAL_NAMES = {"aid_cases"}  # an aid recipient's name is masked as in `aid list`


def _shown(value: object) -> str:
    if value is None:
        return "∅"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    if isinstance(value, list):  # members of a case, a log's participants: as people list
        return "、".join(map(_shown, value)) or "∅"
    return str(value)


def _summary(row: dict, kind: str, reveal: bool, lang: str, labels) -> str:
    """``党员类别：下岗 → 在职`` (English: ``category: laid-off → employed``); ``kind``:
    whose names the fields go by (``audit.label_kind``)."""
    values = labels(kind) if lang != "en" else {}
    parts = []
    for field, (before, after) in row["changes"].items():
        if not reveal and field in MASKS:
            before, after = MASKS[field](before), MASKS[field](after)
        elif field == "amount_fen":  # money is recorded in fen, read in yuan
            before, after = (v if v is None else yuan_shown(v) for v in (before, after))
        elif not reveal and field == "name" and row["table"] in PERSONAL_NAMES:
            before, after = mask_name(before), mask_name(after)
        elif field in values:
            before, after = (v if v is None else values[field](v) for v in (before, after))
        name = field_label(field, lang, kind)
        parts.append(f"{name}: {_shown(before)} → {_shown(after)}" if lang == "en" else
                     f"{name}：{_shown(before)} → {_shown(after)}")
    return "; ".join(parts) if lang == "en" else "；".join(parts)


def audit(
    ctx: typer.Context,
    table: Annotated[str | None, typer.Option("--table", help="只看这张表")] = None,
    key: Annotated[str | None, typer.Option("--key", help="只看这条记录（记录键）")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE", help="从这一天起的记录")] = None,
    batch: Annotated[int | None, typer.Option(
        "--batch", metavar="ID", min=1, help="只看这一批导入写入的记录（批次见 cbtool imports）")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, help="显示的条数")] = 50,
    show_all: Annotated[bool, typer.Option("--all", help="显示全部记录")] = False,
    reveal: Annotated[bool, typer.Option("--reveal", help="完整显示电话和身份证号（默认打码）")] = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """查看审计记录（最新的在前）：谁改了哪条记录，改前 → 改后。"""
    from cbtool import audit as audit_domain

    with session(ctx) as store, guard(ctx):
        rows, total = audit_domain.query(store, table=table, key=key, since=since,
                                         batch=batch, limit=None if show_all else limit)
        lang = state(ctx).lang
        labels = functools.cache(lambda table: audit_domain.value_labels(store, table))
        rows = ({**r, "table_label": audit_domain.table_label(r["table"], lang),
                 "summary": _summary(r, audit_domain.label_kind(r), reveal, lang, labels)}
                for r in rows)
        keys = audit_domain.AUDIT_FIELDS
        # 命令 names the table and the batch: narrow, 变更 gets their room
        with narrowed(ctx, fmt, COLS, "table_label", "batch") as cols:
            emit(fmt, rows, cols=cols, keys=keys, lang=lang, label=labeler(ctx),
                 total=total, more_msg=more_rows(ctx))
