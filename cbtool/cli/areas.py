"""cbtool areas … and cbtool points …"""

from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, changed_fields, labeler, say, session, state
from cbtool.cli.output import Col, Fmt, emit, emit_record
from cbtool.vocab import check_mark

areas_app = typer.Typer(help="居民区：新增居民区时同时新增它的服务点。",
                        no_args_is_help=True)
points_app = typer.Typer(help="党员服务点和党员服务中心。",
                         no_args_is_help=True)

AREA_COLS = [Col("code", "编号", "Code"), Col("name", "居民区", "Area"),
             Col("members", "在册党员", "Members")]
POINT_COLS = [
    Col("code", "编号", "Code"), Col("name", "名称", "Name"), Col("kind_label", "类型", "Kind"),
    Col("area", "居民区", "Area"), Col("address", "地址", "Address"),
    Col("active_label", "状态", "Status"), Col("note", "备注", "Note"),
]


@areas_app.command("add")
def area_add(ctx: typer.Context,
             code: Annotated[str, typer.Argument(help="居民区编号，如 A01")],
             name: Annotated[str, typer.Argument(help="居民区名称")]) -> None:
    """新增居民区（如 A01 石化一村居民区）及其服务点。"""
    from cbtool import areas

    with session(ctx, write=True) as store:
        area = areas.add_area(store, code, name)
    say(ctx, "已添加居民区 {code} {name} 及其党员服务点", "added area {code} {name} and its point",
        **area)


@areas_app.command("list")
def area_list(ctx: typer.Context, fmt: FormatOpt = Fmt.table) -> None:
    """列出居民区及各自的在册党员人数。"""
    from cbtool import areas

    with session(ctx) as store:
        emit(fmt, areas.list_areas(store), cols=AREA_COLS, lang=state(ctx).lang,
             label=labeler(ctx))


def _point_view(ctx: typer.Context, point: dict) -> dict:
    st = state(ctx)
    label = labeler(ctx)
    checks = point.get("checklist") or {}
    summary = "  ".join(
        f"{label('item', item)} {check_mark(s['ok'], s['date'])}"
        for item, s in checks.items()
    )
    return {
        **point,
        "checks_summary": summary,
        "kind_label": label("point_kind", point["kind"]),
        "active_label": st.t("启用", "active") if point["active"] else
        st.t("停用", "inactive") + (f"（{point['closed_on']}）" if point.get("closed_on") else ""),
    }


@points_app.command("add")
def point_add(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="服务点编号")],
    name: Annotated[str, typer.Argument(help="服务点名称")],
    kind: Annotated[str, typer.Option("--kind", help="类型：point 服务点 | centre 服务中心")] = "point",
    area: Annotated[str | None, typer.Option("--area", metavar="CODE", help="服务的居民区（编号或名称）")] = None,
    address: Annotated[str | None, typer.Option("--address", help="地址")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
) -> None:
    """新增服务点；加 --kind centre 为社区党员服务中心。"""
    from cbtool import areas

    with session(ctx, write=True) as store:
        point = areas.add_point(store, code, name, kind=kind, area=area, address=address,
                                note=note)
    say(ctx, "已添加 {code} {name}", "added {code} {name}", **point)


@points_app.command("edit")
def point_edit(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="服务点编号或名称")],
    name: Annotated[str | None, typer.Option("--name", help="新名称")] = None,
    address: Annotated[str | None, typer.Option("--address", help="地址")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="--inactive 停用（不再出现在五有矩阵、缺项和无活动名单中）/ --active 重新启用")
    ] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空地址或备注（可重复）")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="与 --inactive 一起用：停用日期（默认今天）")
    ] = None,
) -> None:
    """修改服务点：名称、地址、备注，或停用（--inactive）/ 重新启用。"""
    from cbtool import areas

    with session(ctx, write=True) as store:
        before, after = areas.edit_point(store, code, name=name, address=address, note=note,
                                         active=active, clear=tuple(clear or ()), closed_on=on)
    changed = [k for k in ("name", "address", "note", "active") if before[k] != after[k]]
    if changed:
        say(ctx, "已修改 {code}：{fields}", "updated {code}: {fields}", code=after["code"],
            fields=changed_fields(ctx, changed, "points", _point_view(ctx, after)["active_label"]))
    else:
        say(ctx, "{code} 没有变化", "{code}: nothing changed", code=after["code"])


@points_app.command("list")
def point_list(ctx: typer.Context, fmt: FormatOpt = Fmt.table) -> None:
    """列出服务中心和各服务点。"""
    from cbtool import areas

    with session(ctx) as store:
        rows = (_point_view(ctx, p) for p in areas.list_points(store))
        emit(fmt, rows, cols=POINT_COLS, keys=areas.POINT_FIELDS, lang=state(ctx).lang,
             label=labeler(ctx))


@points_app.command("show")
def point_show(ctx: typer.Context, code: Annotated[str, typer.Argument(help="服务点编号或名称")],
               fmt: FormatOpt = Fmt.table) -> None:
    """查看一个服务点：基本信息、活动情况和最近的五有检查。"""
    from cbtool import areas

    with session(ctx) as store:
        point = areas.point_details(store, code)
        view = _point_view(ctx, point)
        if fmt in (Fmt.table, Fmt.md):
            emit_record(fmt, view, fields=POINT_COLS + areas_detail_cols(), lang=state(ctx).lang,
                        label=labeler(ctx), title=f"{point['code']} {point['name']}")
        else:
            emit_record(fmt, point, fields=[], lang=state(ctx).lang, label=labeler(ctx))


def areas_detail_cols() -> list[Col]:
    return [
        Col("logs_total", "台账记录（未作废）", "Logs (not voided)"),
        Col("last_log_on", "最近活动", "Last activity"),
        Col("checks_summary", "五有现状", "Checklist now"),
    ]
