"""cbtool members …: thin commands over cbtool.members.

Why one module of ~410 lines: thirteen members commands, each only parse, call, render.
"""

from typing import Annotated

import typer

from cbtool.cli import filters
from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
    RevealOpt,
    YesOpt,
    changed_fields,
    complete_category,
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

app = typer.Typer(help="党员名册：新增、查询、查看、修改、类别变更、联系记录、归档。", no_args_is_help=True)

LIST_COLS = [
    Col("member_no", "党员编号", "No."), Col("name", "姓名", "Name"),
    Col("gender", "性别", "Sex", "gender"), Col("born_on", "出生日期", "Born"),
    Col("category", "类别", "Category", "category"), Col("area", "居民区", "Area"),
    Col("phone", "联系电话", "Phone", "phone"),
    Col("last_contact_on", "最近联系", "Last contact"),
]  # 入党时间 is in `show` and every machine format: the table fits 80 columns
STATUS_COL = Col("status", "状态", "Status", "status")
SHOW_FIELDS = [
    Col("member_no", "党员编号", "Member no."), Col("name", "姓名", "Name"),
    Col("gender", "性别", "Gender", "gender"), Col("born_on", "出生日期", "Born on"),
    Col("id_card", "身份证号", "ID number", "id_card"), Col("phone", "联系电话", "Phone", "phone"),
    Col("category", "党员类别", "Category", "category"), Col("area", "居民区", "Area"),
    Col("joined_on", "入党时间", "Joined on"), Col("employer", "工作单位", "Employer"),
    Col("whereabouts", "流向", "Whereabouts"), Col("left_on", "外出时间", "Left on"),
    Col("last_contact_on", "最近联系", "Last contact"), Col("note", "备注", "Note"),
    Col("status", "状态", "Status", "status"), Col("archived_reason", "归档原因", "Archived as",
                                                  "reason"),
    Col("archived_on", "归档日期", "Archived on"),
]
CHANGE_COLS = [Col("date", "日期", "Date"), Col("from", "原类别", "From", "category"),
               Col("to", "新类别", "To", "category"), Col("reason", "原因", "Reason")]
CONTACT_COLS = [Col("date", "日期", "Date"), Col("channel", "方式", "Channel", "channel"),
                Col("whereabouts", "所在地", "Whereabouts"), Col("note", "备注", "Note")]
PARTICIPATION_COLS = [Col("id", "编号", "ID"), Col("date", "日期", "Date"),
                      Col("point", "服务点", "Point"), Col("kind", "类型", "Kind", "kind"),
                      Col("title", "活动内容", "Title")]
VOLUNTEER_COLS = [Col("volunteer_no", "志愿者编号", "Volunteer no."),
                  Col("teams", "所在队伍", "Teams"),
                  Col("year_label", "本年服务", "This year"),
                  Col("hours_all", "累计时长（小时）", "Hours in all")]
HISTORY_COLS = [Col("date", "日期", "Date"), Col("what", "事项", "Event"),
                Col("detail", "内容", "Detail"), Col("operator", "操作人", "Operator")]
OVERDUE_COLS = [
    Col("member_no", "党员编号", "No."), Col("name", "姓名", "Name"), Col("area", "居民区", "Area"),
    Col("phone", "联系电话", "Phone", "phone"), Col("whereabouts", "流向", "Whereabouts"),
    Col("last_contact_on", "最近联系", "Last contact"),
    Col("days_label", "未联系天数", "Days since"),
]
# --clear accepts the option names as well as the field names.
CLEAR_ALIASES = {"born": "born_on", "joined": "joined_on", "id-card": "id_card",
                 "left": "left_on", "id": "id_card"}

Name = Annotated[str | None, typer.Option("--name", help="姓名")]
Gender = Annotated[str | None, typer.Option("--gender", help="性别：男/女 或 M/F")]
Born = Annotated[str | None, typer.Option("--born", metavar="DATE", help="出生日期（或年月）")]
IdCard = Annotated[str | None, typer.Option("--id-card", help="18 位居民身份证号")]
Phone = Annotated[str | None, typer.Option("--phone", help="手机或带区号的固定电话")]
Joined = Annotated[str | None, typer.Option("--joined", metavar="DATE", help="入党时间")]
Employer = Annotated[str | None, typer.Option("--employer", help="工作单位 / 原工作单位")]
Whereabouts = Annotated[str | None, typer.Option("--whereabouts", help="流向（流动党员）")]
Left = Annotated[str | None, typer.Option("--left", metavar="DATE", help="外出时间")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]
Category = Annotated[str | None, typer.Option(
    "--category", help="党员类别：离退休/下岗/流动/在职，或 retired|laid-off|mobile|employed",
    autocompletion=complete_category)]
Area = Annotated[str | None, typer.Option("--area", metavar="CODE", help="居民区编号或名称")]


def _warn_all(ctx: typer.Context, warnings) -> None:
    lang = state(ctx).lang
    for msg, params in warnings:
        warn(msg.render(lang, **params))


@app.command("add")
def add(
    ctx: typer.Context,
    no: Annotated[str, typer.Option("--no", help="党员编号（按文本保存）")],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    category: Annotated[str, typer.Option(
        "--category", help="党员类别：离退休/下岗/流动/在职，或 retired|laid-off|mobile|employed",
        autocompletion=complete_category)],
    area: Annotated[str, typer.Option("--area", metavar="CODE", help="居民区编号或名称")],
    gender: Gender = None, born: Born = None, id_card: IdCard = None, phone: Phone = None,
    joined: Joined = None, employer: Employer = None, whereabouts: Whereabouts = None,
    left: Left = None, note: Note = None,
) -> None:
    """新增党员。"""
    from cbtool import members

    raw = {"member_no": no, "name": name, "category": category, "area": area,
           "gender": gender, "born_on": born, "id_card": id_card, "phone": phone,
           "joined_on": joined, "employer": employer, "whereabouts": whereabouts,
           "left_on": left, "note": note}
    with session(ctx, write=True) as store:
        record, warnings = members.add(store, raw)
    _warn_all(ctx, warnings)
    say(ctx, "已添加党员 {member_no} {name}", "added member {member_no} {name}", **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    category: Category = None, area: Area = None,
    status: Annotated[str, typer.Option("--status", help="状态：active 在册 | archived 已归档 | all 全部")] = "active",
    search: Annotated[str | None, typer.Option("--search", help="在编号、姓名、电话、工作单位、流向或备注中查找的文字")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
    age_min: filters.AgeMin = None, age_max: filters.AgeMax = None,
    party_years_min: filters.PartyYearsMin = None, joined_month: filters.JoinedMonth = None,
    born_month: filters.BornMonth = None, as_of: filters.AsOf = None,
) -> None:
    """列出党员（默认在册党员），按居民区和编号排序。"""
    from cbtool import members

    with session(ctx) as store:
        rows, total = members.list_members(
            store, category=category, area=area, status=status, search=search,
            limit=table_limit(fmt, limit, show_all),
            **filters.life_filters(store, as_of=as_of, age_min=age_min, age_max=age_max,
                                   party_years_min=party_years_min,
                                   joined_month=joined_month, born_month=born_month))
        cols = LIST_COLS + ([STATUS_COL] if status != "active" else [])
        emit(fmt, rows, cols=cols, keys=[*members.MEMBER_FIELDS, "last_contact_on"],
             lang=state(ctx).lang, label=labeler(ctx), reveal=reveal, total=total,
             more_msg=more_rows(ctx),
             footer=[state(ctx).t(f"共 {total} 人", f"{total} members")] if fmt is Fmt.table
             else [])


@app.command("show")
def show(ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
         reveal: RevealOpt = False,
         fmt: FormatOpt = Fmt.table,
         history: Annotated[bool, typer.Option(
             "--history", help="完整经历：登记、修改、类别变更、联系、每次参加活动、归档/恢复")] = False) -> None:
    """查看党员：基本信息、类别变更、联系记录和最近参加的活动。"""
    from cbtool import profile

    with session(ctx) as store:
        record = profile.show(store, no)
        if history:
            from cbtool.history import member_history

            record["history"] = member_history(
                store, record["member_no"], reveal=reveal or fmt not in (Fmt.table, Fmt.md))
    st = state(ctx)
    label = labeler(ctx)
    if fmt not in (Fmt.table, Fmt.md):
        emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=label)
        return
    emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=label, reveal=reveal,
                title=f"{record['member_no']} {record['name']}")
    if history:
        rows = [[e["date"], e["what"], e["detail"], e["operator"] or ""]
                for e in record["history"]]
        (render_md if fmt is Fmt.md else render_table)(
            rows, HISTORY_COLS, lang=st.lang, title=st.t("党员经历（按时间）", "History"))
        return
    part = record["participation"]
    sections = [
        (st.t("类别变更", "Category changes"), CHANGE_COLS, record["category_changes"]),
        (st.t("联系记录", "Contacts"), CONTACT_COLS, record["contacts"]),
        (st.t(f"参加活动（{part['year']} 年共 {part['count_this_year']} 次，最近几次）",
              f"Participation ({part['count_this_year']} in {part['year']}; most recent)"),
         PARTICIPATION_COLS, part["recent"]),
    ]
    if volunteer := record.get("volunteer"):  # the volunteer the member is
        teams = "、".join(t["code"] for t in volunteer["teams"])
        sections.append((st.t("志愿服务", "Volunteering"), VOLUNTEER_COLS, [{
            **volunteer, "teams": teams, "year_label": f"{volunteer['records']} 次 "
            f"{volunteer['hours']:g} 小时" if st.lang != "en" else
            f"{volunteer['records']} records, {volunteer['hours']:g} h",
            "hours_all": f"{volunteer['hours_all']:g}"}]))
    draw = render_md if fmt is Fmt.md else render_table
    for title, cols, rows in sections:
        if rows:
            cells = [[_cell(c, r, st.lang, label) for c in cols] for r in rows]
            draw(cells, cols, lang=st.lang, title=title)


def _cell(col: Col, row: dict, lang: str, label) -> str:
    from cbtool.cli.output import display

    return display(col, row.get(col.key), lang=lang, reveal=False, label=label)


@app.command("edit")
def edit(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
    name: Name = None, gender: Gender = None, born: Born = None, id_card: IdCard = None,
    phone: Phone = None, category: Category = None, area: Area = None, joined: Joined = None,
    employer: Employer = None, whereabouts: Whereabouts = None, left: Left = None,
    note: Note = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="清空这个字段（可重复）")] = None,
) -> None:
    """修改党员信息（类别变更同时记入类别变更记录）。"""
    from cbtool import members

    raw = {"name": name, "gender": gender, "born_on": born, "id_card": id_card, "phone": phone,
           "category": category, "area": area, "joined_on": joined, "employer": employer,
           "whereabouts": whereabouts, "left_on": left, "note": note}
    fields = [CLEAR_ALIASES.get(c, c).replace("-", "_") for c in clear or []]
    with session(ctx, write=True) as store:
        before, after, warnings = members.edit(store, no, raw, fields)
    _warn_all(ctx, warnings)
    changed = [k for k in members.EDITABLE if before.get(k) != after.get(k)]
    if changed:
        say(ctx, "已修改 {no}：{fields}", "updated {no}: {fields}", no=after["member_no"],
            fields=changed_fields(ctx, changed, "members"))
    else:
        say(ctx, "{no} 没有变化", "{no}: nothing changed", no=after["member_no"])


@app.command("recategorize")
def recategorize(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
    to: Annotated[str, typer.Option("--to", help="新类别")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="变更日期（默认今天）")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="变更原因（记入类别变更记录）")] = None,
) -> None:
    """变更党员类别（记入类别变更记录）。"""
    from cbtool import members

    with session(ctx, write=True) as store:
        before, after = members.recategorize(store, no, to, on=on, reason=reason)
    label = labeler(ctx)
    say(ctx, "{no} 类别：{a} → {b}", "{no} category: {a} → {b}", no=after["member_no"],
        a=label("category", before["category"]), b=label("category", after["category"]))


@app.command("contact")
def contact(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="联系日期（默认今天）")] = None,
    channel: Annotated[str | None, typer.Option(
        "--channel", help="方式：电话/微信/走访/其他（phone | wechat | visit | other）")] = None,
    whereabouts: Annotated[str | None, typer.Option("--whereabouts", help="现在的流向（同时更新党员信息）")] = None,
    note: Note = None,
    unreached: Annotated[bool, typer.Option(
        "--unreached", help="没有联系上（仍算超期未联系）")
    ] = False,
) -> None:
    """记录联系上了党员（默认今天，可用 --on）；同一党员、同一天、同一方式再记一次仍是同一条。"""
    from cbtool import contacts as contact_log

    with session(ctx, write=True) as store:
        row, result = contact_log.contact(store, no, on=on, channel=channel,
                                      whereabouts=whereabouts, note=note,
                                      reached=not unreached)
    if result == "unchanged":
        say(ctx, "{member_no} 于 {date} 的这次联系已记录过（#{id}），未改动",
            "the contact with {member_no} on {date} is recorded already (#{id}); unchanged",
            **row)
    elif result == "updated":
        say(ctx, "已更新 {member_no} 于 {date} 的联系记录 #{id}",
            "updated contact #{id} with {member_no} on {date}", **row)
    elif unreached:
        say(ctx, "已记录 {member_no} 于 {date} 未联系上（#{id}）",
            "attempt to reach {member_no} on {date} recorded, not reached (#{id})", **row)
    else:
        say(ctx, "已记录 {member_no} 于 {date} 的联系（#{id}）",
            "contact with {member_no} on {date} recorded (#{id})", **row)


LISTED_CONTACT_COLS = [Col("id", "编号", "ID"), *CONTACT_COLS[:2],
                       Col("reached", "联系上", "Reached", "bool"), *CONTACT_COLS[2:]]


@app.command("contacts")
def contacts(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
    remove: Annotated[str | None, typer.Option(
        "--remove", metavar="ID", help="删除这条联系记录（误录时用）")] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT", help="删除原因（记入审计记录）")] = None,
    yes: YesOpt = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出党员的联系记录及记录号（最新的在前）；--remove 记录号 --reason 原因 删除误录的一条（记入审计）。"""
    from cbtool import contacts as contact_log
    from cbtool import members

    st = state(ctx)
    if remove is None:
        if reason is not None:
            raise typer.BadParameter(st.t("--reason 只与 --remove 同用", "--reason goes with --remove"),
                                     param_hint="--reason")
        with session(ctx) as store:
            member = members.get(store, no)
            rows = contact_log.contacts(store, member["member_no"])
        emit(fmt, rows, cols=LISTED_CONTACT_COLS,
             keys=["id", "date", "channel", "reached", "whereabouts", "note"], lang=st.lang,
             label=labeler(ctx), title=f"{member['member_no']} {member['name']}",
             footer=[st.t(f"共 {len(rows)} 条联系记录", f"{len(rows)} contacts")]
             if fmt is Fmt.table else [])
        return
    if reason is None:  # wrong usage, like a required option left out (usage.py says it)
        from typer._click.exceptions import MissingParameter

        raise MissingParameter(ctx=ctx, param=next(p for p in ctx.command.params
                                                    if p.name == "reason"))
    if not confirm(ctx, st.t(f"删除 {no} 的联系记录 #{remove.lstrip('#')}？",
                             f"remove contact #{remove.lstrip('#')} of {no}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        row = contact_log.remove_contact(store, no, remove, reason)
    say(ctx, "已删除 {member_no} 于 {date} 的联系记录 #{id}（{reason}）",
        "removed contact #{id} with {member_no} on {date} ({reason})", **row)


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option("--days", min=1,
                                             help="超过多少天未联系（默认取配置 members.contact_overdue_days）")
                    ] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """超过 N 天未联系的流动党员（从未联系的也算），最久的在前。"""
    from cbtool import contacts as contact_log

    st = state(ctx)
    with session(ctx) as store:
        days = days or store.config.contact_overdue_days
        rows = list(contact_log.overdue(store, days=days))
    for row in rows:
        n = row["days_since_contact"]
        row["days_label"] = st.t("从未联系", "never") if n is None else str(n)
    cut = table_limit(fmt, limit, show_all)
    shown = rows if cut is None else rows[:cut]
    emit(fmt, shown, cols=OVERDUE_COLS,
         keys=["member_no", "name", "area", "phone", "whereabouts", "left_on",
               "last_contact_on", "days_since_contact"],
         lang=st.lang, label=labeler(ctx), reveal=reveal, total=len(rows),
         more_msg=more_rows(ctx),
         footer=[st.t(f"超过 {days} 天未联系的流动党员：{len(rows)} 人",
                      f"mobile members not reached in {days} days: {len(rows)}")]
         if fmt is Fmt.table else [])


@app.command("archive")
def archive(
    ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")],
    reason: Annotated[str, typer.Option("--reason", help="原因：transferred 转出 | deceased 去世 | other 其他")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="归档日期（默认今天）")] = None,
    yes: YesOpt = False,
) -> None:
    """归档党员（转出、去世、其他）；记录保留。"""
    from cbtool import members

    st = state(ctx)
    if not confirm(ctx, st.t(f"归档党员 {no}？", f"archive member {no}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        after = members.archive(store, no, reason=reason, on=on)
    say(ctx, "已归档 {member_no} {name}（{archived_on}）",
        "archived {member_no} {name} ({archived_on})", **after)


@app.command("restore")
def restore(ctx: typer.Context, no: Annotated[str, typer.Argument(metavar="NO", help="党员编号或姓名")]) -> None:
    """把已归档的党员恢复到在册名单。"""
    from cbtool import members

    with session(ctx, write=True) as store:
        after = members.restore(store, no)
    say(ctx, "已恢复 {member_no} {name}", "restored {member_no} {name}", **after)


@app.command("renumber")
def renumber(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="现在的编号（或准确姓名）")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="正确的编号（不能已被使用）")],
    yes: YesOpt = False,
) -> None:
    """更正党员编号：类别变更、联系记录和参加活动记录一起改过去。"""
    from cbtool import members

    st = state(ctx)
    if not confirm(ctx, st.t(f"把党员编号 {old} 改为 {new}？", f"renumber member {old} to {new}?"),
                   yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        after = members.renumber(store, old, new)
    moved = after["moved"]
    say(ctx, "已把 {old_no} {name} 的编号改为 {member_no}（类别变更 {c} 条、联系记录 {k} 条、"
        "参加活动 {p} 次随之改动）",
        "renumbered {old_no} {name} to {member_no} (with {c} category changes, {k} contacts, "
        "{p} participations)", c=moved["category_changes"], k=moved["contacts"],
        p=moved["log_participants"], **{k: v for k, v in after.items() if k != "moved"})
    from cbtool.fields import zeros_hint

    hint = zeros_hint(after["member_no"], after["old_no"])  # 154 for 0000154: lost zeros?
    if hint[0]:
        warn(st.t(f"注意：{hint[0].lstrip('；')}", f"note: {hint[1].lstrip('; ')}"))
