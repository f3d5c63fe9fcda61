"""cbtool brands …: thin commands over cbtool.brands (一居一品)."""

from typing import Annotated, Any

import typer

from cbtool.cli.common import FormatOpt, changed_fields, labeler, say, session, state
from cbtool.cli.output import Col, Fmt, emit, emit_record

app = typer.Typer(help="一居一品：每个居民区党组织培育的一个党建工作品牌。",
                  no_args_is_help=True)

LIST_COLS = [
    Col("id", "编号", "ID"), Col("area", "居民区", "Area"), Col("name", "品牌名称", "Brand"),
    Col("since", "创建年月", "Since"), Col("status_label", "状态", "Status"),
    Col("logs", "品牌活动", "Activities"), Col("description", "简介", "Description"),
]
SHOW_FIELDS = [
    Col("id", "编号", "ID"), Col("area_label", "居民区", "Area"), Col("name", "品牌名称", "Brand"),
    Col("description", "简介", "Description"), Col("since", "创建年月", "Since"),
    Col("status_label", "状态", "Status"), Col("note", "备注", "Note"),
    Col("logs", "品牌活动（条）", "Activities (logs)"), Col("last_log_on", "最近活动", "Last activity"),
    Col("created_at", "录入时间", "Created", "time"),
    Col("updated_at", "修改时间", "Updated", "time"),
]
RECENT_COLS = [Col("id", "台账号", "Log"), Col("date", "日期", "Date"),
               Col("point", "服务点", "Point"), Col("kind", "类型", "Kind", "kind"),
               Col("title", "活动内容", "Title")]

Description = Annotated[str | None, typer.Option("--description", metavar="TEXT",
                                                 help="品牌简介：做什么、怎么做")]
Since = Annotated[str | None, typer.Option("--since", metavar="DATE",
                                           help="创建时间（日期或年月，如 2025-03）")]
StatusOpt = Annotated[str | None, typer.Option(
    "--status", metavar="S", help="状态：培育中 growing | 已成型 established | 已停止 ended")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]


def _status(key: str, lang: str) -> str:
    from cbtool.vocab import BRAND_STATUSES

    return BRAND_STATUSES.label(key, lang)


@app.command("add")
def add(
    ctx: typer.Context,
    area: Annotated[str, typer.Option("--area", metavar="CODE", help="居民区（编号或名称）")],
    name: Annotated[str, typer.Option("--name", metavar="TEXT", help="品牌名称")],
    description: Description = None, since: Since = None, status: StatusOpt = None,
    note: Note = None,
) -> None:
    """新增一居一品：一个居民区同时只有一个在用的品牌。"""
    from cbtool import brands

    raw = {"area": area, "name": name, "description": description, "since": since,
           "status": status, "note": note}
    with session(ctx, write=True) as store:
        record = brands.add(store, raw)
    say(ctx, "已添加一居一品 #{id}：{area}“{name}”", "added brand #{id}: {area} '{name}'",
        **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    area: Annotated[str | None, typer.Option("--area", metavar="CODE",
                                             help="只看一个居民区")] = None,
    status: StatusOpt = None, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出各居民区的一居一品，附品牌活动条数。"""
    from cbtool import brands

    st = state(ctx)
    with session(ctx) as store:
        rows = brands.list_brands(store, area=area, status=status)
        if fmt in (Fmt.table, Fmt.md):
            rows = ({**r, "status_label": _status(r["status"], st.lang)} for r in rows)
        emit(fmt, rows, cols=LIST_COLS, keys=[*brands.BRAND_FIELDS, "logs"], lang=st.lang,
             label=labeler(ctx))


@app.command("show")
def show(ctx: typer.Context,
         brand: Annotated[str, typer.Argument(metavar="BRAND",
                                              help="品牌编号、名称，或居民区（它的在用品牌）")],
         fmt: FormatOpt = Fmt.table) -> None:
    """查看一个一居一品：简介、状态和最近的品牌活动。"""
    from cbtool import brands

    st = state(ctx)
    with session(ctx) as store:
        record = brands.details(store, brand)
    if fmt not in (Fmt.table, Fmt.md):
        emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
        return
    view: dict[str, Any] = {**record, "area_label": f"{record['area']} {record['area_name']}",
                            "status_label": _status(record["status"], st.lang)}
    emit_record(fmt, view, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx),
                title=st.t(f"一居一品 #{record['id']}", f"Brand #{record['id']}"))
    if record["recent_logs"]:
        emit(fmt, record["recent_logs"], cols=RECENT_COLS, lang=st.lang, label=labeler(ctx),
             title=st.t("最近的品牌活动", "Latest activities"))


@app.command("edit")
def edit(
    ctx: typer.Context,
    brand: Annotated[str, typer.Argument(metavar="BRAND",
                                         help="品牌编号、名称，或居民区（它的在用品牌）")],
    name: Annotated[str | None, typer.Option("--name", metavar="TEXT", help="新名称")] = None,
    description: Description = None, since: Since = None, status: StatusOpt = None,
    note: Note = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空简介、创建时间或备注（可重复）")] = None,
) -> None:
    """修改一居一品：名称、简介、创建时间、状态（停止用 --status 已停止）、备注。"""
    from cbtool import brands

    raw = {"name": name, "description": description, "since": since, "status": status,
           "note": note}
    with session(ctx, write=True) as store:
        before, after = brands.edit(store, brand, raw, tuple(clear or ()))
    changed = [k for k in brands.EDITABLE if before[k] != after[k]]
    if changed:
        say(ctx, "已修改一居一品 #{id}：{fields}", "updated brand #{id}: {fields}",
            id=after["id"], fields=changed_fields(ctx, changed, "brands"))
    else:
        say(ctx, "一居一品 #{id} 没有变化", "brand #{id}: nothing changed", id=after["id"])
