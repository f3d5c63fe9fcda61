"""cbtool pairings …: thin commands over cbtool.pairings (结对共建)."""

from enum import StrEnum
from typing import Annotated, Any

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
)
from cbtool.cli.output import Col, Fmt, emit, emit_record
from cbtool.vocab import PAIRING_STATUSES

app = typer.Typer(help="结对共建：服务点与驻区单位党组织结对，按六联开展共建活动。",
                  no_args_is_help=True)

LIST_COLS = [  # 80 columns: the branch in show, the headings by their short names
    Col("id", "编号", "ID"), Col("point", "服务点", "Point"), Col("unit", "共建单位", "Partner unit"),
    Col("contact", "联系人", "Contact"), Col("phone", "联系电话", "Phone", "phone"),
    Col("since", "开始", "Since"), Col("headings_label", "共建内容", "Headings"),
    Col("logs", "活动", "Logs"),
]
UNTIL_COL = Col("until", "结束", "Until")  # not for the active ones
SHOW_FIELDS = [
    Col("id", "编号", "ID"), Col("point_label", "服务点", "Point"),
    Col("unit", "共建单位", "Partner unit"), Col("branch", "党组织", "Party branch"),
    Col("contact", "联系人", "Contact person"), Col("phone", "联系电话", "Phone", "phone"),
    Col("since", "开始日期", "Since"), Col("until", "结束日期", "Until"),
    Col("headings_label", "共建内容", "Headings"), Col("status_label", "状态", "Status"),
    Col("end_reason", "结束原因", "End reason"), Col("note", "备注", "Note"),
    Col("logs_label", "共建活动（按内容）", "Joint activities by heading"),
    Col("created_at", "录入时间", "Created", "time"),
    Col("updated_at", "修改时间", "Updated", "time"),
]
RECENT_COLS = [Col("id", "台账号", "Log"), Col("date", "日期", "Date"),
               Col("kind", "类型", "Kind", "kind"), Col("heading_label", "共建内容", "Heading"),
               Col("title", "活动内容", "Title")]


class Status(StrEnum):
    active = "active"
    ended = "ended"
    all = "all"


def heading_labels(keys: list[str] | None, lang: str, *, short: bool = False) -> str:
    from cbtool.vocab import PAIRING_HEADINGS, SHORT_HEADING_LABELS

    if short:  # a table: 教育、治安 / education, security
        return ("、".join(SHORT_HEADING_LABELS.get(k, k) for k in keys or []) if lang != "en"
                else ", ".join(keys or []))
    sep = "、" if lang != "en" else ", "
    return sep.join(PAIRING_HEADINGS.label(k, lang) for k in keys or [])


@app.command("add")
def add(
    ctx: typer.Context,
    point: Annotated[str, typer.Option("--point", metavar="CODE",
                                       help="服务点编号或准确名称")],
    unit: Annotated[str, typer.Option("--unit", metavar="TEXT",
                                      help="共建单位（驻区单位、区级机关等）")],
    headings: Annotated[str, typer.Option(
        "--headings", metavar="H,H",
        help="共建内容：党员教育联搞、思想工作联做、社区治安联防、公益事业联办、贫困对象联帮、"
             "文明小区联建（可写简称，用 、 , 分隔；all 为全部六项）")],
    branch: Annotated[str | None, typer.Option("--branch", metavar="TEXT",
                                               help="结对的党组织（党支部名称）")] = None,
    contact: Annotated[str | None, typer.Option("--contact", metavar="NAME",
                                                help="对方联系人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系人电话")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="结对开始日期（默认今天；只写年月如 2026年3月 则从当月1日起）")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE",
                                              help="约定的结束日期（可以是将来；只写年月则到当月末）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
) -> None:
    """新增结对共建：哪个服务点与哪个单位的党组织结对、从何时起、共建哪几项。"""
    from cbtool import pairings

    raw = {"point": point, "unit": unit, "headings": headings, "branch": branch,
           "contact": contact, "phone": phone, "since": since, "until": until, "note": note}
    with session(ctx, write=True) as store:
        record = pairings.add(store, raw)
    say(ctx, "已添加结对共建 #{id}：{point} 与 {unit}（{since} 起；{labels}）",
        "added pairing #{id}: {point} with {unit} (since {since}; {labels})",
        labels=heading_labels(record["headings"], state(ctx).lang), **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    point: Annotated[str | None, typer.Option("--point", metavar="CODE",
                                              help="只看一个服务点（编号或名称）")] = None,
    heading: Annotated[str | None, typer.Option("--heading", metavar="H",
                                                help="只看含这项共建内容的")] = None,
    status: Annotated[Status, typer.Option(
        "--status", case_sensitive=False,
        help="active 进行中（默认） | ended 已结束 | all 全部")] = Status.active,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """列出结对共建（默认进行中的），附各自的共建活动次数。"""
    from cbtool import pairings

    st = state(ctx)
    with session(ctx) as store:
        rows, total = pairings.list_pairings(store, point=point, heading=heading, status=status.value,
                                             limit=table_limit(fmt, limit, show_all))
        if fmt in (Fmt.table, Fmt.md):
            rows = ({**r, "headings_label": heading_labels(r["headings"], st.lang, short=True)}
                    for r in rows)
        cols = LIST_COLS if status is Status.active else [*LIST_COLS[:6], UNTIL_COL,
                                                          *LIST_COLS[6:]]
        # the contact and the phone are in show: narrow, the unit gets their room
        emit(fmt, rows, cols=cols, keys=[*pairings.PAIRING_FIELDS, "active", "logs"],
             lang=st.lang, label=labeler(ctx), reveal=reveal, total=total,
             more_msg=more_rows(ctx), optional=["contact", "phone"])


@app.command("show")
def show(ctx: typer.Context,
         id: Annotated[str, typer.Argument(metavar="ID", help="结对编号（#3 或 3）")],
         reveal: RevealOpt = False, fmt: FormatOpt = Fmt.table) -> None:
    """查看一个结对共建：对方单位、期间、共建内容和共建活动。"""
    from cbtool import pairings
    from cbtool.vocab import PAIRING_HEADINGS

    st = state(ctx)
    with session(ctx) as store:
        record = pairings.details(store, id)
        point = store.one("SELECT name FROM points WHERE code = ?", (record["point"],))
    if fmt not in (Fmt.table, Fmt.md):
        emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
        return
    sep = "、" if st.lang != "en" else ", "
    by_heading = record["logs_by_heading"]
    view: dict[str, Any] = {
        **record,
        "point_label": f"{record['point']} {point['name']}" if point else record["point"],
        "headings_label": heading_labels(record["headings"], st.lang),
        "status_label": PAIRING_STATUSES.label(record["status"], st.lang),
        "logs_label": sep.join(
            f"{PAIRING_HEADINGS.label(h, st.lang) if h else st.t('未注明', 'unstated')} {n}"
            for h, n in by_heading.items()) or "0",
    }
    emit_record(fmt, view, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx),
                reveal=reveal, title=st.t(f"结对共建 #{record['id']}", f"Pairing #{record['id']}"))
    if record["recent_logs"]:
        rows = [{**r, "heading_label": PAIRING_HEADINGS.label(r["heading"], st.lang)
                 if r["heading"] else ""} for r in record["recent_logs"]]
        emit(fmt, rows, cols=RECENT_COLS, lang=st.lang, label=labeler(ctx),
             title=st.t("最近的共建活动", "Latest joint activities"))


@app.command("edit")
def edit(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(metavar="ID", help="结对编号（#3 或 3）")],
    unit: Annotated[str | None, typer.Option("--unit", metavar="TEXT",
                                             help="共建单位（驻区单位、区级机关等）")] = None,
    headings: Annotated[str | None, typer.Option(
        "--headings", metavar="H,H", help="共建内容（完整名单，替换原来的）")] = None,
    branch: Annotated[str | None, typer.Option("--branch", metavar="TEXT",
                                               help="结对的党组织（党支部名称）")] = None,
    contact: Annotated[str | None, typer.Option("--contact", metavar="NAME",
                                                help="对方联系人")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系人电话")] = None,
    since: Annotated[str | None, typer.Option("--since", metavar="DATE",
                                              help="结对开始日期（只写年月如 2026年3月 则从当月1日起）")] = None,
    until: Annotated[str | None, typer.Option("--until", metavar="DATE",
                                              help="约定的结束日期（可以是将来；只写年月则到当月末）")] = None,
    note: Annotated[str | None, typer.Option("--note", help="备注")] = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空党组织、联系人、电话、结束日期或备注（可重复）")
    ] = None,
) -> None:
    """更正结对共建的信息（校验同 add，改前改后记入审计）。"""
    from cbtool import pairings

    raw = {"unit": unit, "headings": headings, "branch": branch, "contact": contact,
           "phone": phone, "since": since, "until": until, "note": note}
    with session(ctx, write=True) as store:
        before, after = pairings.edit(store, id, raw, tuple(clear or ()))
    changed = [k for k in pairings.EDITABLE if before[k] != after[k]]
    if changed:
        say(ctx, "已修改结对共建 #{id}：{fields}", "updated pairing #{id}: {fields}",
            id=after["id"], fields=changed_fields(ctx, changed, "pairings"))
    else:
        say(ctx, "结对共建 #{id} 没有变化", "pairing #{id}: nothing changed", id=after["id"])


@app.command("end")
def end(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(metavar="ID", help="结对编号（#3 或 3）")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE",
                                           help="结束日期（默认今天）")] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXT",
                                               help="结束原因")] = None,
    yes: YesOpt = False,
) -> None:
    """结束一个结对共建：保留记录和共建活动（记入审计）。"""
    from cbtool import pairings

    st = state(ctx)
    shown = id.lstrip("#")
    if not confirm(ctx, st.t(f"结束结对共建 #{shown}？", f"end pairing #{shown}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        record = pairings.end(store, id, on=on, reason=reason)
    say(ctx, "已结束结对共建 #{id}（{point} 与 {unit}，{until}）",
        "ended pairing #{id} ({point} with {unit}, on {until})", **record)
