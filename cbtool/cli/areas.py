"""cbtool areas … and cbtool points …"""

from __future__ import annotations

from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, labeler, say, session, state
from cbtool.cli.output import Col, Fmt, emit, emit_record
from cbtool.vocab import check_mark

areas_app = typer.Typer(help="Residential areas (居民区); adding one also adds its service point.",
                        no_args_is_help=True)
points_app = typer.Typer(help="Service points (党员服务点) and the service centre (党员服务中心).",
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
             code: Annotated[str, typer.Argument(help="area code, e.g. A01")],
             name: Annotated[str, typer.Argument(help="居民区名称")]) -> None:
    """Add an area (e.g. A01 石化一村居民区) and its service point."""
    from cbtool import areas

    with session(ctx, write=True) as store:
        area = areas.add_area(store, code, name)
    say(ctx, "已添加居民区 {code} {name} 及其党员服务点", "added area {code} {name} and its point",
        **area)


@areas_app.command("list")
def area_list(ctx: typer.Context, fmt: FormatOpt = Fmt.table) -> None:
    """List the areas with their number of active members."""
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
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="point code")],
    name: Annotated[str, typer.Argument(help="服务点名称")],
    kind: Annotated[str, typer.Option("--kind", help="point | centre")] = "point",
    area: Annotated[str | None, typer.Option("--area", metavar="CODE", help="the area it serves (code or name)")] = None,
    address: Annotated[str | None, typer.Option("--address", help="地址")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
) -> None:
    """Add a service point, or with --kind centre the community's service centre."""
    from cbtool import areas

    with session(ctx, write=True) as store:
        point = areas.add_point(store, code, name, kind=kind, area=area, address=address,
                                note=note)
    say(ctx, "已添加 {code} {name}", "added {code} {name}", **point)


@points_app.command("edit")
def point_edit(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="point code or name")],
    name: Annotated[str | None, typer.Option("--name", help="new name")] = None,
    address: Annotated[str | None, typer.Option("--address", help="地址")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="an inactive point leaves the matrix, gaps and idle list")
    ] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="empty address or note (repeatable)")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="with --inactive: the day it closed (default today)")
    ] = None,
) -> None:
    """Change a point: name, address, note, or close it (--inactive) / reopen it."""
    from cbtool import areas

    with session(ctx, write=True) as store:
        before, after = areas.edit_point(store, code, name=name, address=address, note=note,
                                         active=active, clear=tuple(clear or ()), closed_on=on)
    changed = [k for k in ("name", "address", "note", "active") if before[k] != after[k]]
    if changed:
        say(ctx, "已修改 {code}：{fields}", "updated {code}: {fields}", code=after["code"],
            fields=", ".join(changed))
    else:
        say(ctx, "{code} 没有变化", "{code}: nothing changed", code=after["code"])


@points_app.command("list")
def point_list(ctx: typer.Context, fmt: FormatOpt = Fmt.table) -> None:
    """List the centre and the service points."""
    from cbtool import areas

    with session(ctx) as store:
        rows = (_point_view(ctx, p) for p in areas.list_points(store))
        emit(fmt, rows, cols=POINT_COLS, keys=areas.POINT_FIELDS, lang=state(ctx).lang,
             label=labeler(ctx))


@points_app.command("show")
def point_show(ctx: typer.Context, code: Annotated[str, typer.Argument(help="point code or name")],
               fmt: FormatOpt = Fmt.table) -> None:
    """Show one point: its record, activity and latest five-haves checks."""
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
