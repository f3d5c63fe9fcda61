"""cbtool volunteers …: thin commands over cbtool.volunteers (and the certificate paper)."""

from enum import StrEnum
from typing import Annotated

import typer

from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
    RevealOpt,
    YesOpt,
    changed_fields,
    confirm,
    labeler,
    more_rows,
    say,
    session,
    state,
    table_limit,
    warn,
)
from cbtool.cli.output import Col, Fmt, emit, emit_record, render_md, render_table

app = typer.Typer(help="志愿者：新增、查询、查看、修改、记录志愿服务、作废、开具志愿服务证明。",
                  no_args_is_help=True)
# cbtool service import|export (cli.batch adds them): the service given without a log
service_app = typer.Typer(
    help="不附台账的志愿服务记录：导入、导出（记录、查询、作废用 volunteers serve / service / void）。",
    no_args_is_help=True)

LIST_COLS = [
    Col("volunteer_no", "编号", "No."), Col("name", "姓名", "Name"),
    Col("gender", "性别", "Sex", "gender"), Col("area", "居民区", "Area"),
    Col("phone", "联系电话", "Phone", "phone"), Col("member_no", "党员编号", "Member"),
    Col("teams", "所在队伍", "Teams", "list"),
]
STATUS_COL = Col("active_label", "状态", "Status")
SHOW_FIELDS = [
    Col("volunteer_no", "志愿者编号", "Volunteer no."), Col("name", "姓名", "Name"),
    Col("gender", "性别", "Gender", "gender"), Col("id_card", "身份证号", "ID number", "id_card"),
    Col("phone", "联系电话", "Phone", "phone"), Col("area", "居民区", "Area"),
    Col("registered_on", "注册日期", "Registered on"),
    Col("member_no", "党员编号", "Member no."), Col("teams_label", "所在队伍", "Teams"),
    Col("active_label", "状态", "Status"), Col("service_label", "志愿服务", "Service"),
    Col("note", "备注", "Note"),
]
SERVICE_COLS = [
    Col("id", "记录号", "ID"), Col("date", "日期", "Date"), Col("volunteer_no", "志愿者", "Volunteer"),
    Col("team", "队伍", "Team"), Col("content", "服务内容", "Content"),
    Col("hours", "时长（小时）", "Hours"), Col("log_label", "台账", "Log"),
]
VOIDED_COL = Col("voided_label", "作废", "Voided")
CLEAR_ALIASES = {"registered": "registered_on", "id-card": "id_card", "id": "id_card",
                 "member": "member_no"}

Name = Annotated[str | None, typer.Option("--name", help="姓名（党员志愿者可不填，取党员名册）")]
Gender = Annotated[str | None, typer.Option("--gender", help="性别：男/女 或 M/F")]
IdCard = Annotated[str | None, typer.Option("--id-card", help="18 位居民身份证号")]
Phone = Annotated[str | None, typer.Option("--phone", help="手机或带区号的固定电话")]
Area = Annotated[str | None, typer.Option("--area", metavar="CODE", help="居民区编号或名称")]
Registered = Annotated[str | None, typer.Option("--registered", metavar="DATE",
                                                help="注册日期（默认今天）")]
Member = Annotated[str | None, typer.Option(
    "--member", metavar="NO", help="是党员的：党员编号（同一人，姓名等取自党员名册）")]
Teams = Annotated[str | None, typer.Option(
    "--teams", metavar="T,T", help="所在队伍：队伍编号，用 , ; 、 ， 或空格分隔（完整名单）")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]
Period = Annotated[str | None, typer.Option(
    "--period", metavar="P",
    help="期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | this-year …")]


def _warn_all(ctx: typer.Context, warnings) -> None:
    lang = state(ctx).lang
    for msg, params in warnings:
        warn(msg.render(lang, **params))


def _status(ctx: typer.Context, record: dict) -> str:
    st = state(ctx)
    if record["active"]:
        return st.t("在册", "active")
    return st.t("已退出", "left") + (f"（{record['left_on']}）" if record.get("left_on") else "")


@app.command("add")
def add(
    ctx: typer.Context,
    no: Annotated[str, typer.Argument(metavar="NO", help="志愿者编号，如 V001")],
    name: Name = None, gender: Gender = None, id_card: IdCard = None, phone: Phone = None,
    area: Area = None, registered: Registered = None, member: Member = None,
    teams: Teams = None, note: Note = None,
) -> None:
    """新增志愿者：居民，或以党员编号关联的党员（同一人）。"""
    from cbtool import volunteers

    raw = {"volunteer_no": no, "name": name, "gender": gender, "id_card": id_card,
           "phone": phone, "area": area, "registered_on": registered, "member_no": member,
           "teams": teams, "note": note}
    with session(ctx, write=True) as store:
        record, warnings = volunteers.add(store, raw)
    _warn_all(ctx, warnings)
    say(ctx, "已添加志愿者 {volunteer_no} {name}", "added volunteer {volunteer_no} {name}",
        **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    team: Annotated[str | None, typer.Option("--team", metavar="CODE",
                                             help="只列这支队伍的志愿者")] = None,
    area: Area = None,
    status: Annotated[str, typer.Option(
        "--status", help="状态：active 在册 | closed 已退出 | all 全部")] = "active",
    members: Annotated[bool | None, typer.Option(
        "--members/--residents", help="--members 只列党员志愿者 / --residents 只列非党员居民")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", help="在编号、姓名、电话或备注中查找的文字")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """列出志愿者（默认在册的），按编号排序。"""
    from cbtool import volunteers

    st = state(ctx)
    with session(ctx) as store:
        rows, total = volunteers.list_volunteers(
            store, team=team, area=area, status=status, members_only=members, search=search,
            limit=table_limit(fmt, limit, show_all))
        cols = LIST_COLS + ([STATUS_COL] if status != "active" else [])
        if fmt in (Fmt.table, Fmt.md):
            rows = ({**r, "active_label": _status(ctx, r)} for r in rows)
        emit(fmt, rows, cols=cols, keys=volunteers.VOLUNTEER_FIELDS, lang=st.lang,
             label=labeler(ctx), reveal=reveal, total=total, more_msg=more_rows(ctx),
             footer=[st.t(f"共 {total} 人", f"{total} volunteers")] if fmt is Fmt.table
             else [])


@app.command("show")
def show(ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="志愿者编号或姓名")],
         reveal: RevealOpt = False, fmt: FormatOpt = Fmt.table) -> None:
    """查看志愿者：基本信息、所在队伍、本年服务时长和最近的服务记录。"""
    from cbtool import service as records

    st = state(ctx)
    with session(ctx) as store:
        record = records.show(store, no)
        names = dict(store.execute("SELECT code, name FROM teams").fetchall())
    if fmt not in (Fmt.table, Fmt.md):
        emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
        return
    s = record["service"]
    view = {**record, "active_label": _status(ctx, record),
            "teams_label": "、".join(f"{t} {names.get(t, '')}".strip() for t in record["teams"]),
            "service_label": st.t(
                f"{s['period']} 年 {s['records']} 次 {s['hours']:g} 小时；累计 {s['hours_all']:g} 小时",
                f"{s['records']} records, {s['hours']:g} h in {s['period']}; "
                f"{s['hours_all']:g} h in all")}
    emit_record(fmt, view, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx), reveal=reveal,
                title=f"{record['volunteer_no']} {record['name']}")
    if record["recent"]:
        rows = [[_cell(c, _service_view(ctx, r), st.lang, labeler(ctx)) for c in SERVICE_COLS]
                for r in record["recent"]]
        (render_md if fmt is Fmt.md else render_table)(
            rows, SERVICE_COLS, lang=st.lang, title=st.t("最近的服务记录", "Recent service"))


def _cell(col: Col, row: dict, lang: str, label) -> str:
    from cbtool.cli.output import display

    return display(col, row.get(col.key), lang=lang, reveal=False, label=label)


def _service_view(ctx: typer.Context, row: dict) -> dict:
    st = state(ctx)
    return {**row, "log_label": f"#{row['log_id']}" if row.get("log_id") else "",
            "voided_label": st.t("已作废", "voided") if row["voided"] else ""}


@app.command("edit")
def edit(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="志愿者编号或姓名")],
    name: Name = None, gender: Gender = None, id_card: IdCard = None, phone: Phone = None,
    area: Area = None, registered: Registered = None, member: Member = None,
    teams: Teams = None, note: Note = None,
    active: Annotated[bool | None, typer.Option(
        "--active/--inactive", help="--inactive 退出志愿者队伍（记录保留）/ --active 恢复")] = None,
    on: Annotated[str | None, typer.Option(
        "--on", metavar="DATE", help="与 --inactive 一起用：退出日期（默认今天）")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空这个字段（可重复）")] = None,
) -> None:
    """修改志愿者信息（--teams 为完整的队伍名单），或退出 / 恢复；改前改后记入审计。"""
    from cbtool import volunteers

    raw = {"name": name, "gender": gender, "id_card": id_card, "phone": phone, "area": area,
           "registered_on": registered, "member_no": member, "teams": teams, "note": note}
    fields = tuple(CLEAR_ALIASES.get(c, c).replace("-", "_") for c in clear or [])
    with session(ctx, write=True) as store:
        before, after, warnings = volunteers.edit(store, no, raw, fields, active=active,
                                                  left_on=on)
    _warn_all(ctx, warnings)
    changed = [k for k in [*volunteers.EDITABLE, "active"] if before.get(k) != after.get(k)]
    if changed:
        say(ctx, "已修改 {no}：{fields}", "updated {no}: {fields}", no=after["volunteer_no"],
            fields=changed_fields(ctx, changed, "volunteers", _status(ctx, after)))
    else:
        say(ctx, "{no} 没有变化", "{no}: nothing changed", no=after["volunteer_no"])


@app.command("serve")
def serve(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="志愿者编号或姓名")],
    hours: Annotated[str, typer.Option("--hours", metavar="H",
                                       help="服务时长：2、1.5、1.5小时、90分钟 或 1小时30分")],
    content: Annotated[str, typer.Option("--content", metavar="TEXT",
                                         help="服务内容，如 夜间治安巡逻")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE",
                                           help="服务日期（默认今天）")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", metavar="CODE", help="为哪支队伍服务（默认志愿者所在的唯一队伍）")] = None,
    note: Note = None,
) -> None:
    """记录一次不附台账的志愿服务（如一班夜间巡逻）；有台账的用 logs add --volunteers。"""
    from cbtool import service as records

    with session(ctx, write=True) as store:
        row = records.serve(store, no, on=on, hours=hours, team=team, content=content,
                               note=note)
    say(ctx, "已记录志愿服务 #{id}：{date} {volunteer_no}“{content}”{hours:g} 小时",
        "recorded service #{id}: {date} {volunteer_no} '{content}' {hours:g} h", **row)


@app.command("service")
def service(
    ctx: typer.Context,
    no: Annotated[str | None, typer.Argument(metavar="[NO]",
                                             help="志愿者编号或姓名（不填则列出全部）")] = None,
    team: Annotated[str | None, typer.Option("--team", metavar="CODE",
                                             help="只列这支队伍的服务")] = None,
    period: Period = None,
    include_voided: Annotated[bool, typer.Option("--include-voided",
                                                 help="也显示已作废的记录")] = False,
    limit: LimitOpt = 50, show_all: AllOpt = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出志愿服务记录（最新的在前）及记录号，附次数和时长合计。"""
    from cbtool import service as records

    st = state(ctx)
    with session(ctx) as store:
        rows, totals = records.list_service(
            store, volunteer=no, team=team, period=period, include_voided=include_voided,
            limit=table_limit(fmt, limit, show_all))
        cols = SERVICE_COLS + ([VOIDED_COL] if include_voided else [])
        if fmt in (Fmt.table, Fmt.md):
            rows = (_service_view(ctx, r) for r in rows)
        n, hours = totals["total"], totals["hours"]
        emit(fmt, rows, cols=cols, keys=records.SERVICE_FIELDS, lang=st.lang,
             label=labeler(ctx), total=n, more_msg=more_rows(ctx),
             footer=[st.t(f"共 {n} 次，志愿时长 {hours:g} 小时", f"{n} records, {hours:g} hours")]
             if fmt in (Fmt.table, Fmt.md) else [])


@app.command("void")
def void(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(metavar="ID", help="志愿服务记录号（#12 或 12）")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="作废原因")],
    yes: YesOpt = False,
) -> None:
    """作废一条志愿服务记录：保留并标记（记入审计），不删除。"""
    from cbtool import service as records

    st = state(ctx)
    shown = id.lstrip("#")
    if not confirm(ctx, st.t(f"作废志愿服务记录 #{shown}？", f"void service record #{shown}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        row = records.void_service(store, id, reason)
    say(ctx, "已作废志愿服务记录 #{id}（{void_reason}）", "voided service record #{id} ({void_reason})",
        **row)


class CertificateFmt(StrEnum):
    html = "html"
    md = "md"
    xlsx = "xlsx"


@app.command("certificate")
def certificate(
    ctx: typer.Context,
    no: Annotated[str | None, typer.Argument(
        metavar="[NO]", help="志愿者编号或姓名（或用 --team 给队伍的每名志愿者各开一份）")] = None,
    period: Annotated[str, typer.Option(
        "--period", "-p", metavar="P",
        help="证明的期间：2026 | 2026-Q4 | 2026-11 | 2026-01-01..2026-06-30 | this-year …")] = "this-year",
    out: Annotated[str, typer.Option(
        "--out", "-o", metavar="PATH", help="文件或目录（使用默认文件名），或 - 输出到标准输出（xlsx 除外）")] = ".",
    fmt: Annotated[CertificateFmt | None, typer.Option(
        "--format", "-f", case_sensitive=False,
        help="文件格式：html | md | xlsx（默认按 --out 的扩展名，否则 html）")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", metavar="CODE", help="给这支队伍的每名在册志愿者各开一份（每人一页）")] = None,
    every: Annotated[bool, typer.Option(
        "--all", help="与 --team 同用：队伍的全部在册志愿者（--team 本身即如此）")] = False,
) -> None:
    """开具志愿服务证明（A4）：每次服务的日期、内容和时长及合计；证明编号保留，同一期间再开为同一编号。"""
    from pathlib import Path

    from cbtool.papers import certificate as paper
    from cbtool.papers.writer import write_paper

    if every and team is None:
        raise typer.BadParameter(state(ctx).t("--all 要与 --team CODE 同用（给哪支队伍开）",
                                              "--all goes with --team CODE (which team)"),
                                 param_hint="--all")
    if (no is None) == (team is None):
        raise typer.BadParameter(state(ctx).t("请给出志愿者编号 NO 或 --team CODE（二者选一）",
                                              "give a volunteer NO or --team CODE (one of them)"),
                                 param_hint="NO")
    suffix = Path(out).suffix.lower().lstrip(".")
    kind = fmt.value if fmt else suffix if suffix in ("html", "md", "xlsx") else "html"
    if out == "-" and kind == "xlsx":
        raise typer.BadParameter(state(ctx).t("- （标准输出）只用于 html 或 md",
                                              "- (standard output) takes html or md"),
                                 param_hint="--out")
    with session(ctx, write=True) as store:
        built = paper.build(store, volunteer=no, team=team, period=period)
        written = write_paper(built, kind, out, paper.default_name(built, kind))
    if written is not None:
        typer.echo(str(written))
