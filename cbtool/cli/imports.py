"""cbtool imports [--limit N] [--all] | imports undo ID [--yes]: the import batches."""

from typing import Annotated

import typer

from cbtool.cli import common
from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    YesOpt,
    fail,
    guard,
    labeler,
    more_rows,
    say,
    session,
    state,
    table_limit,
)
from cbtool.cli.output import Col, Fmt, emit

app = typer.Typer(
    help="导入批次：列出，撤销一次导入。", no_args_is_help=False,
    invoke_without_command=True, rich_markup_mode=None)

COLS = [
    Col("id", "批次", "Batch"), Col("kind_label", "类型", "Kind"), Col("file", "文件", "File"),
    Col("at", "时间", "At", show="time"), Col("operator", "操作人", "Operator"),
    Col("inserted", "新增", "Inserted"), Col("updated", "更新", "Updated"),
    Col("undone_at", "撤销于", "Undone at", show="time"),
]


@app.callback()
def imports(
    ctx: typer.Context,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=2**63 - 1,
                                       help="表格中显示的批次数（最新的在前）")] = 50,
    show_all: AllOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """列出导入批次（最新的在前）：编号、类型、文件、时间、操作人、新增、修改。"""
    if ctx.invoked_subcommand is not None:
        return
    from cbtool import batches

    with session(ctx) as store, guard(ctx):
        rows, total = batches.list_batches(store, limit=table_limit(fmt, limit, show_all))
        lang = state(ctx).lang
        rows = ({**r, "kind_label": batches.kind_label(r["kind"], lang)} for r in rows)
        emit(fmt, rows, cols=COLS, keys=batches.BATCH_FIELDS, lang=lang,
             label=labeler(ctx), total=total, more_msg=more_rows(ctx))


@app.command("undo")
def undo(
    ctx: typer.Context,
    batch: Annotated[str, typer.Argument(metavar="ID", help="批次编号（cbtool imports 列出）")],
    yes: YesOpt = False,
) -> None:
    """撤销一次导入：删除它新增的记录，恢复它修改的记录（之后又有改动的记录则拒绝）。"""
    from cbtool import batches

    st = state(ctx)
    with session(ctx) as store, guard(ctx):
        found = batches.try_undo(store, batch)  # refused here, before the question
    if not yes:
        if not common.stdin_is_terminal():  # never wait in a script
            raise fail(st.t("撤销导入会删除或改回记录：请加 --yes 确认，未写入任何内容",
                            "undoing an import deletes or changes back records: give --yes "
                            "to confirm; nothing was written"))
        question = st.t(
            f"撤销导入批次 {found['id']}（{found['file']}：新增 {found['inserted']}、更新 "
            f"{found['updated']}）？",
            f"undo import batch {found['id']} ({found['file']}: {found['inserted']} inserted, "
            f"{found['updated']} updated)?")
        if not typer.confirm(question, default=False):
            raise fail(st.t("已取消，未写入任何内容", "cancelled; nothing was written"))
    with session(ctx, write=True) as store:
        done = batches.undo(store, batch)
    say(ctx, "已撤销导入批次 {id}（{file}）：删除 {deleted} 条、改回 {restored} 条记录",
        "undid import batch {id} ({file}): {deleted} records deleted, {restored} changed back",
        **done)
