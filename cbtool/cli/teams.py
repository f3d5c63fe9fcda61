"""cbtool teams …: thin commands over cbtool.teams."""

from typing import Annotated

import typer

from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
    changed_fields,
    labeler,
    more_rows,
    say,
    session,
    state,
    table_limit,
)
from cbtool.cli.output import Col, Fmt, emit, emit_record, render_md, render_table

app = typer.Typer(help="志愿者队伍：新增、查询、查看、修改（撤销、恢复）。", no_args_is_help=True)

LIST_COLS = [
    Col("code", "编号", "Code"), Col("name", "队伍名称", "Name"),
    Col("field", "服务领域", "Field", "field"), Col("organiser", "组建单位", "Organised by"),
    Col("leader", "负责人", "Leader"), Col("volunteers", "志愿者（人）", "Volunteers"),
]
STATUS_COL = Col("active_label", "状态", "Status")
SHOW_FIELDS = [
    Col("code", "编号", "Code"), Col("name", "队伍名称", "Name"),
    Col("field", "服务领域", "Field", "field"), Col("point", "服务点", "Point"),
    Col("unit", "驻区单位", "Stationed unit"), Col("leader", "负责人", "Leader"),
    Col("founded_on", "成立日期", "Founded on"), Col("active_label", "状态", "Status"),
    Col("volunteers", "志愿者（人）", "Volunteers"),
    Col("service_label", "本年服务", "Service this year"), Col("note", "备注", "Note"),
]
MEMBER_COLS = [Col("volunteer_no", "志愿者编号", "No."), Col("name", "姓名", "Name"),
               Col("member_no", "党员编号", "Member no."), Col("active_label", "状态", "Status")]

Name = Annotated[str | None, typer.Option("--name", help="队伍名称")]
Point = Annotated[str | None, typer.Option("--point", metavar="CODE",
                                           help="组建队伍的服务点（编号或名称）")]
Unit = Annotated[str | None, typer.Option("--unit", metavar="NAME",
                                          help="组建队伍的驻区单位（名称；与 --point 二选一）")]
Field = Annotated[str | None, typer.Option(
    "--field", metavar="FIELD",
    help="服务领域：敬老助残、便民服务、环境保护、平安守护、文化体育、理论宣讲、其他（可在配置 [teams.fields] 增加）")]
Leader = Annotated[str | None, typer.Option("--leader", metavar="NAME", help="队伍负责人")]
Founded = Annotated[str | None, typer.Option("--founded", metavar="DATE", help="成立日期")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]


def _status(ctx: typer.Context, record: dict) -> str:
    st = state(ctx)
    if record["active"]:
        return st.t("活跃", "active")
    return st.t("已撤销", "closed") + (f"（{record['closed_on']}）" if record.get("closed_on")
                                     else "")


def _view(ctx: typer.Context, record: dict) -> dict:
    return {**record, "organiser": record.get("point") or record.get("unit") or "",
            "active_label": _status(ctx, record)}


@app.command("add")
def add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="队伍编号，如 T01")],
    name: Annotated[str, typer.Option("--name", help="队伍名称")],
    field: Annotated[str, typer.Option(
        "--field", metavar="FIELD",
        help="服务领域：敬老助残、便民服务、环境保护、平安守护、文化体育、理论宣讲、其他（可在配置 [teams.fields] 增加）")],
    point: Point = None, unit: Unit = None, leader: Leader = None, founded: Founded = None,
    note: Note = None,
) -> None:
    """新增志愿者队伍：编号、名称、服务领域，由哪个服务点或驻区单位组建。"""
    from cbtool import teams

    raw = {"code": code, "name": name, "field": field, "point": point, "unit": unit,
           "leader": leader, "founded_on": founded, "note": note}
    with session(ctx, write=True) as store:
        record = teams.add(store, raw)
    say(ctx, "已添加志愿者队伍 {code} {name}", "added volunteer team {code} {name}", **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    field: Field = None, point: Point = None,
    status: Annotated[str, typer.Option(
        "--status", help="状态：active 活跃 | closed 已撤销 | all 全部")] = "active",
    search: Annotated[str | None, typer.Option(
        "--search", help="在编号、名称、驻区单位、负责人或备注中查找的文字")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出志愿者队伍（默认活跃的），按编号排序，附志愿者人数。"""
    from cbtool import teams

    st = state(ctx)
    with session(ctx) as store:
        rows, total = teams.list_teams(store, field=field, point=point, status=status,
                                       search=search, limit=table_limit(fmt, limit, show_all))
        cols = LIST_COLS + ([STATUS_COL] if status != "active" else [])
        if fmt not in (Fmt.table, Fmt.md):
            emit(fmt, rows, cols=cols, keys=[*teams.TEAM_FIELDS, "volunteers"], lang=st.lang,
                 label=labeler(ctx))
            return
        emit(fmt, (_view(ctx, r) for r in rows), cols=cols, lang=st.lang, label=labeler(ctx),
             total=total, more_msg=more_rows(ctx),
             footer=[st.t(f"共 {total} 支队伍", f"{total} teams")] if fmt is Fmt.table else [])


@app.command("show")
def show(ctx: typer.Context, code: Annotated[str, typer.Argument(help="队伍编号或名称")],
         fmt: FormatOpt = Fmt.table) -> None:
    """查看一支队伍：基本信息、本年服务次数和时长、队员名单。"""
    from cbtool import teams

    st = state(ctx)
    with session(ctx) as store:
        record = teams.show(store, code)
    if fmt not in (Fmt.table, Fmt.md):
        emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
        return
    service = record["service"]
    view = {**_view(ctx, record), "service_label": st.t(
        f"{service['records']} 次，{service['hours']:g} 小时（{service['year']} 年）",
        f"{service['records']} records, {service['hours']:g} hours ({service['year']})")}
    emit_record(fmt, view, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx),
                title=f"{record['code']} {record['name']}")
    rows = [[m["volunteer_no"], m["name"], m["member_no"] or "",
             st.t("在队", "active") if m["active"] else st.t("已退出", "left")]
            for m in record["members"]]
    if rows:
        (render_md if fmt is Fmt.md else render_table)(
            rows, MEMBER_COLS, lang=st.lang, title=st.t("队员", "Volunteers"))


@app.command("edit")
def edit(
    ctx: typer.Context, code: Annotated[str, typer.Argument(help="队伍编号或名称")],
    name: Name = None, field: Field = None, point: Point = None, unit: Unit = None,
    leader: Leader = None, founded: Founded = None, note: Note = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="--inactive 撤销队伍（此后不能再记服务）/ --active 恢复")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="与 --inactive 一起用：撤销日期（默认今天）")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空服务点、驻区单位、负责人、成立日期或备注（可重复）")] = None,
) -> None:
    """修改队伍信息，或撤销（--inactive）/ 恢复队伍；改前改后记入审计。"""
    from cbtool import teams

    raw = {"name": name, "field": field, "point": point, "unit": unit, "leader": leader,
           "founded_on": founded, "note": note}
    fields = tuple({"founded": "founded_on"}.get(c, c) for c in clear or [])
    with session(ctx, write=True) as store:
        before, after = teams.edit(store, code, raw, fields, active=active, closed_on=on)
    changed = [k for k in [*teams.EDITABLE, "active"] if before.get(k) != after.get(k)]
    if changed:
        say(ctx, "已修改 {code}：{fields}", "updated {code}: {fields}", code=after["code"],
            fields=changed_fields(ctx, changed, "teams", _status(ctx, after)))
    else:
        say(ctx, "{code} 没有变化", "{code}: nothing changed", code=after["code"])
