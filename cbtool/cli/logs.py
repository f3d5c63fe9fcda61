"""cbtool logs …: thin commands over cbtool.logs."""

from typing import Annotated

import typer

from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
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
from cbtool.cli.output import Col, Fmt, emit, emit_record

app = typer.Typer(help="服务点台账：新增、查询、查看、修改、作废。",
                  no_args_is_help=True)

LIST_COLS = [
    Col("id", "编号", "ID"), Col("date", "日期", "Date"), Col("point", "服务点", "Point"),
    Col("kind", "类型", "Kind", "kind"), Col("title", "活动内容", "Title"),
    Col("participants", "参加党员", "Participants", "list"),
    Col("served", "服务人数", "Served"), Col("hours", "志愿时长", "Hours"),
]
VOIDED_COL = Col("voided_label", "作废", "Voided")
SHOW_FIELDS = [
    Col("id", "编号", "ID"), Col("point_label", "服务点", "Point"), Col("date", "日期", "Date"),
    Col("kind", "类型", "Kind", "kind"), Col("title", "活动内容", "Title"),
    Col("participants_label", "参加党员", "Participants"),
    Col("served", "服务人数", "Served"), Col("hours", "志愿时长（小时）", "Volunteer hours"),
    Col("note", "备注", "Note"), Col("ref", "外部编号", "Ref"),
    Col("voided_label", "状态", "Status"), Col("void_reason", "作废原因", "Void reason"),
    Col("created_at", "录入时间", "Created", "time"),
    Col("updated_at", "修改时间", "Updated", "time"),
]

Point = Annotated[str | None, typer.Option("--point", metavar="CODE",
                                           help="服务点编号或准确名称（服务中心也可）")]
# A joint activity of a pairing (结对共建) and the heading it served; an area's brand (一居一品).
Pairing = Annotated[str | None, typer.Option(
    "--pairing", metavar="ID", help="所属结对共建：结对编号或共建单位名称（该服务点的）")]
Heading = Annotated[str | None, typer.Option(
    "--heading", metavar="H", help="服务的共建内容，如 党员教育联搞 / 社区治安（与 --pairing 同用）")]
Brand = Annotated[str | None, typer.Option(
    "--brand", metavar="B", help="所属一居一品：品牌编号、名称，或居民区（它的在用品牌）")]
LINK_COLS = [Col("pairing_label", "结对共建", "Pairing"), Col("heading_label", "共建内容", "Heading"),
             Col("brand_label", "一居一品", "Brand")]
Kind = Annotated[str | None, typer.Option("--kind", metavar="KIND",
                                          help="活动类型（键或名称），如 走访慰问 / visit")]


def _hours(value: float) -> str:
    return f"{value:g}"


@app.command("add")
def add(
    ctx: typer.Context,
    point: Annotated[str, typer.Option("--point", metavar="CODE",
                                       help="服务点编号或准确名称（服务中心也可）")],
    kind: Annotated[str, typer.Option("--kind", metavar="KIND",
                                      help="活动类型（键或名称），如 走访慰问 / visit")],
    title: Annotated[str, typer.Option("--title", metavar="TEXT", help="活动内容")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE",
                                           help="活动日期（默认今天）")] = None,
    members: Annotated[str | None, typer.Option(
        "--members", metavar="NO,NO", help="参加党员：党员编号，用 , ; 、 ， 或空格分隔")] = None,
    served: Annotated[str | None, typer.Option("--served", metavar="N",
                                               help="服务群众人数（不小于 0 的整数）")
                      ] = None,
    hours: Annotated[str | None, typer.Option("--hours", metavar="H",
                                              help="志愿服务时长（小时，不小于 0）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="外部编号（不能重复）")] = None,
    team: Annotated[str | None, typer.Option(
        "--team", metavar="CODE", help="服务的志愿者队伍（与 --volunteers 同用）")] = None,
    volunteers: Annotated[str | None, typer.Option(
        "--volunteers", metavar="V:H,V:H",
        help="参加的志愿者及各自时长，如 V001:2,V002:1.5 或 张三:2、李四:1.5（台账时长为其合计）")
    ] = None,
    pairing: Pairing = None, heading: Heading = None, brand: Brand = None,
) -> None:
    """新增台账：在哪个服务点、哪天、做了什么、谁参加。"""
    from cbtool import logs

    raw = {"point": point, "kind": kind, "title": title, "date": on, "participants": members,
           "served": served, "hours": hours, "note": note, "ref": ref, "team": team,
           "volunteers": volunteers, "pairing": pairing, "heading": heading, "brand": brand}
    warnings: list = []
    with session(ctx, write=True) as store:
        record = logs.add(store, raw, warnings=warnings)
    for msg, params in warnings:
        warn(msg.render(state(ctx).lang, **params))
    say(ctx, "已添加台账记录 #{id}：{date} {point} {kind_label}“{title}”（参加党员 {n} 人）",
        "added log #{id}: {date} {point} {kind_label} '{title}' ({n} participants)",
        kind_label=labeler(ctx)("kind", record["kind"]), n=len(record["participants"]),
        **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    point: Point = None, kind: Kind = None,
    period: Annotated[str | None, typer.Option(
        "--period", metavar="P", help="统计期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | last-month | this-year | last-year")] = None,
    member: Annotated[str | None, typer.Option("--member", metavar="NO",
                                               help="这名党员参加过的台账")] = None,
    include_voided: Annotated[bool, typer.Option("--include-voided",
                                                 help="也显示已作废的台账")] = False,
    pairing: Annotated[str | None, typer.Option(
        "--pairing", metavar="ID", help="只看这个结对共建的共建活动（结对编号）")] = None,
    brand: Annotated[str | None, typer.Option(
        "--brand", metavar="B", help="只看这个一居一品的活动（品牌编号、名称或居民区）")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出台账（最新的在前），附台账条数、服务群众人数和时长的合计。"""
    from cbtool import logs

    st = state(ctx)
    with session(ctx) as store:
        rows, totals = logs.list_logs(
            store, point=point, kind=kind, period=period, member=member,
            include_voided=include_voided, limit=table_limit(fmt, limit, show_all),
            pairing=pairing, brand=brand)
        cols = LIST_COLS
        if include_voided and fmt not in (Fmt.csv, Fmt.tsv, Fmt.json, Fmt.jsonl):
            cols = [*LIST_COLS, VOIDED_COL]
            void_mark = st.t("已作废", "voided")
            rows = ({**r, "voided_label": void_mark if r["voided"] else ""} for r in rows)
        if fmt is Fmt.table:  # member numbers apart by spaces: a narrow table breaks between
            rows = ({**r, "participants": " ".join(r["participants"] or [])} for r in rows)
        n, served, hours = totals["total"], totals["served"], _hours(totals["hours"])
        footer = [st.t(f"共 {n} 条，服务群众 {served} 人次，志愿时长 {hours} 小时",
                       f"{n} logs, {served} residents served, {hours} volunteer hours")]
        emit(fmt, rows, cols=cols, keys=logs.LOG_FIELDS, lang=st.lang, label=labeler(ctx),
             total=n, more_msg=more_rows(ctx),
             footer=footer if fmt in (Fmt.table, Fmt.md) else [])


@app.command("show")
def show(ctx: typer.Context, id: Annotated[str, typer.Argument(metavar="ID", help="台账号（#12 或 12）")],
         fmt: FormatOpt = Fmt.table) -> None:
    """查看一条台账（含已作废的）。"""
    from cbtool import logs

    st = state(ctx)
    with session(ctx) as store:
        record = logs.get(store, id)
        if fmt not in (Fmt.table, Fmt.md):
            emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
            return
        names = logs.member_names(store, record["participants"])
        point = store.one("SELECT name FROM points WHERE code = ?", (record["point"],))
        crew = _crew(store, record)
        links = _link_labels(store, record, st.lang)
    view = {
        **links,
        **record,
        "point_label": f"{record['point']} {point['name']}" if point else record["point"],
        "participants_label": "、".join(
            f"{no} {names[no]}" if no in names else no for no in record["participants"]),
        "voided_label": st.t("已作废", "voided") if record["voided"] else st.t("有效", "valid"),
    }
    fields = [*SHOW_FIELDS[:8], *LINK_COLS, *SHOW_FIELDS[8:]] if links else SHOW_FIELDS
    emit_record(fmt, view, fields=fields, lang=st.lang, label=labeler(ctx),
                title=st.t(f"台账记录 #{record['id']}", f"Log #{record['id']}"))
    if crew:  # the volunteers who served with it, and how long
        from cbtool.cli.output import render_md, render_table

        (render_md if fmt is Fmt.md else render_table)(
            crew, CREW_COLS, lang=st.lang, title=st.t("志愿者及时长", "Volunteers and hours"))


CREW_COLS = [Col("volunteer_no", "志愿者", "Volunteer"), Col("name", "姓名", "Name"),
             Col("team", "队伍", "Team"), Col("hours", "时长（小时）", "Hours")]


def _crew(store, record: dict) -> list[list[str]]:
    from cbtool import service, volunteers

    rows, _ = service.list_service(store, log_id=record["id"],
                                   include_voided=record["voided"], oldest_first=True)
    rows = list(rows)
    names = volunteers.names(store, [r["volunteer_no"] for r in rows])
    return [[r["volunteer_no"], names.get(r["volunteer_no"], ""), r["team"] or "",
             f"{r['hours']:g}"] for r in rows]


def _crew_now(store, id: object) -> tuple:
    """A log's volunteers and their team as they stand (to tell whether an edit changed them)."""
    from cbtool import crews, logs

    log_id = logs.get(store, id)["id"]
    return crews.log_crew(store, [log_id]), crews.log_team(store, log_id)


def _link_labels(store, record: dict, lang: str) -> dict[str, str]:
    """The pairing (number and unit), heading and brand (number and name) of a log."""
    from cbtool.vocab import PAIRING_HEADINGS

    labels = {}
    if record.get("pairing"):
        row = store.one("SELECT unit FROM pairings WHERE id = ?", (record["pairing"],))
        labels["pairing_label"] = f"#{record['pairing']} {row['unit'] if row else ''}".strip()
    if record.get("heading"):
        labels["heading_label"] = PAIRING_HEADINGS.label(record["heading"], lang)
    if record.get("brand"):
        row = store.one("SELECT name FROM brands WHERE id = ?", (record["brand"],))
        labels["brand_label"] = f"#{record['brand']} {row['name'] if row else ''}".strip()
    return labels


@app.command("void")
def void(
    ctx: typer.Context, id: Annotated[str, typer.Argument(metavar="ID", help="台账号（#12 或 12）")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="作废原因")],
    yes: YesOpt = False,
) -> None:
    """作废一条台账：保留并标记（记入审计），不删除。"""
    from cbtool import logs

    st = state(ctx)
    if not confirm(ctx, st.t(f"作废台账记录 #{id.lstrip('#')}？", f"void log #{id.lstrip('#')}?"),
                   yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        record = logs.void(store, id, reason)
    say(ctx, "已作废台账记录 #{id}（{void_reason}）", "voided log #{id} ({void_reason})", **record)


@app.command("edit")
def edit(
    ctx: typer.Context, id: Annotated[str, typer.Argument(metavar="ID", help="台账号")],
    point: Point = None, kind: Kind = None,
    title: Annotated[str | None, typer.Option("--title", metavar="TEXT", help="活动内容")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="活动日期")] = None,
    members: Annotated[str | None, typer.Option(
        "--members", metavar="NO,NO", help="参加党员（完整名单，替换原来的）")
    ] = None,
    served: Annotated[str | None, typer.Option("--served", metavar="N",
                                               help="服务群众人数（20 或 20人）")] = None,
    hours: Annotated[str | None, typer.Option("--hours", metavar="H",
                                              help="志愿服务时长（1.5 或 1.5小时）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    ref: Annotated[str | None, typer.Option("--ref", help="外部编号（不能重复）")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空备注、外部编号、参加党员或志愿者（可重复）")] = None,
    pairing: Pairing = None, heading: Heading = None, brand: Brand = None,
    team: Annotated[str | None, typer.Option(
        "--team", metavar="CODE", help="志愿者服务的队伍（与 --volunteers 同用；不给则不变）")
    ] = None,
    volunteers: Annotated[str | None, typer.Option(
        "--volunteers", metavar="V:H,V:H",
        help="参加的志愿者及各自时长（完整名单，替换原来的；台账时长为其合计）")] = None,
) -> None:
    """更正台账的任意字段（校验同 add，改前改后记入审计）。"""
    from cbtool import logs

    raw = {"point": point, "kind": kind, "title": title, "date": on, "participants": members,
           "served": served, "hours": hours, "note": note, "ref": ref, "pairing": pairing,
           "heading": heading, "brand": brand, "team": team, "volunteers": volunteers}
    fields = ["participants" if c in ("members", "participants") else c for c in clear or []]
    warnings: list = []
    with session(ctx, write=True) as store:
        crew = _crew_now(store, id) if volunteers is not None or "volunteers" in fields else None
        before, after = logs.edit(store, id, raw, fields, warnings=warnings)
        crew_changed = crew is not None and _crew_now(store, after["id"]) != crew
    for msg, params in warnings:
        warn(msg.render(state(ctx).lang, **params))
    changed = [k for k in logs.EDITABLE if before[k] != after[k]]
    if crew_changed:  # who served with it, or how long, or in which team
        changed.append("volunteers")
    if changed:
        say(ctx, "已修改台账记录 #{id}：{fields}", "updated log #{id}: {fields}", id=after["id"],
            fields=changed_fields(ctx, changed, "logs"))
    else:
        say(ctx, "台账记录 #{id} 没有变化", "log #{id}: nothing changed", id=after["id"])
