"""cbtool members …: thin commands over cbtool.members."""

from __future__ import annotations

from typing import Annotated

import typer

from cbtool.cli import filters
from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
    RevealOpt,
    YesOpt,
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

app = typer.Typer(help="The members registry (党员): add, list, show, edit, categories, "
                  "contacts, archive.", no_args_is_help=True)

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
Gender = Annotated[str | None, typer.Option("--gender", help="M/F or 男/女")]
Born = Annotated[str | None, typer.Option("--born", metavar="DATE", help="出生日期 (or month)")]
IdCard = Annotated[str | None, typer.Option("--id-card", help="18-character resident ID")]
Phone = Annotated[str | None, typer.Option("--phone", help="mobile or landline with area code")]
Joined = Annotated[str | None, typer.Option("--joined", metavar="DATE", help="入党时间")]
Employer = Annotated[str | None, typer.Option("--employer", help="工作单位 / former employer")]
Whereabouts = Annotated[str | None, typer.Option("--whereabouts", help="流向 (mobile members)")]
Left = Annotated[str | None, typer.Option("--left", metavar="DATE", help="外出时间")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]
Category = Annotated[str | None, typer.Option(
    "--category", help="retired|laid-off|mobile|employed or 离退休/下岗/流动/在职")]
Area = Annotated[str | None, typer.Option("--area", metavar="CODE", help="area code or name")]


def _warn_all(ctx: typer.Context, warnings) -> None:
    lang = state(ctx).lang
    for msg, params in warnings:
        warn(msg.render(lang, **params))


@app.command("add")
def add(
    ctx: typer.Context,
    no: Annotated[str, typer.Option("--no", help="党员编号 (kept as text)")],
    name: Annotated[str, typer.Option("--name", help="姓名")],
    category: Annotated[str, typer.Option(
        "--category", help="retired|laid-off|mobile|employed or 离退休/下岗/流动/在职")],
    area: Annotated[str, typer.Option("--area", metavar="CODE", help="area code or name")],
    gender: Gender = None, born: Born = None, id_card: IdCard = None, phone: Phone = None,
    joined: Joined = None, employer: Employer = None, whereabouts: Whereabouts = None,
    left: Left = None, note: Note = None,
) -> None:
    """Add a member."""
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
    status: Annotated[str, typer.Option("--status", help="active | archived | all")] = "active",
    search: Annotated[str | None, typer.Option("--search", help="text in number, name, phone, "
                                               "employer, whereabouts or note")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
    age_min: filters.AgeMin = None, age_max: filters.AgeMax = None,
    party_years_min: filters.PartyYearsMin = None, joined_month: filters.JoinedMonth = None,
    born_month: filters.BornMonth = None, as_of: filters.AsOf = None,
) -> None:
    """List members (active by default), by area and number."""
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
def show(ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
         reveal: RevealOpt = False,
         fmt: FormatOpt = Fmt.table,
         history: Annotated[bool, typer.Option(
             "--history", help="the whole story in one view: entry, edits, category changes, "
             "contacts, every participation, archive/restore")] = False) -> None:
    """Show a member: the record, category history, contacts and recent participation."""
    from cbtool import members

    with session(ctx) as store:
        record = members.show(store, no)
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
    ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
    name: Name = None, gender: Gender = None, born: Born = None, id_card: IdCard = None,
    phone: Phone = None, category: Category = None, area: Area = None, joined: Joined = None,
    employer: Employer = None, whereabouts: Whereabouts = None, left: Left = None,
    note: Note = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD", help="empty this field (repeatable)")] = None,
) -> None:
    """Change fields of a member (a category change is also recorded in its history)."""
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
            fields=", ".join(changed))
    else:
        say(ctx, "{no} 没有变化", "{no}: nothing changed", no=after["member_no"])


@app.command("recategorize")
def recategorize(
    ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
    to: Annotated[str, typer.Option("--to", help="the new category")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="day of the change (default today)")] = None,
    reason: Annotated[str | None, typer.Option("--reason", help="why (kept in the category history)")] = None,
) -> None:
    """Move a member to another category (kept in the category history)."""
    from cbtool import members

    with session(ctx, write=True) as store:
        before, after = members.recategorize(store, no, to, on=on, reason=reason)
    label = labeler(ctx)
    say(ctx, "{no} 类别：{a} → {b}", "{no} category: {a} → {b}", no=after["member_no"],
        a=label("category", before["category"]), b=label("category", after["category"]))


@app.command("contact")
def contact(
    ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="day reached (default today)")] = None,
    channel: Annotated[str | None, typer.Option(
        "--channel", help="phone | wechat | visit | other (电话/微信/走访/其他)")] = None,
    whereabouts: Annotated[str | None, typer.Option("--whereabouts", help="流向 now (also updates the member)")] = None,
    note: Note = None,
    unreached: Annotated[bool, typer.Option(
        "--unreached", help="an attempt that did not reach the member (still overdue)")
    ] = False,
) -> None:
    """Record that a member was reached (today unless --on); the same member, day and
    channel again is the same contact."""
    from cbtool import members

    with session(ctx, write=True) as store:
        row, result = members.contact(store, no, on=on, channel=channel,
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
    ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
    remove: Annotated[str | None, typer.Option(
        "--remove", metavar="ID", help="remove this contact (recorded by mistake)")] = None,
    reason: Annotated[str | None, typer.Option(
        "--reason", metavar="TEXT", help="why it is removed (kept in the audit)")] = None,
    yes: YesOpt = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """List a member's contacts with their ids, newest first; --remove ID --reason TEXT
    removes one recorded by mistake (audited with the reason)."""
    from cbtool import members

    st = state(ctx)
    if remove is None:
        if reason is not None:
            raise typer.BadParameter("--reason goes with --remove", param_hint="--reason")
        with session(ctx) as store:
            member = members.get(store, no)
            rows = members.contacts(store, member["member_no"])
        emit(fmt, rows, cols=LISTED_CONTACT_COLS,
             keys=["id", "date", "channel", "reached", "whereabouts", "note"], lang=st.lang,
             label=labeler(ctx), title=f"{member['member_no']} {member['name']}",
             footer=[st.t(f"共 {len(rows)} 条联系记录", f"{len(rows)} contacts")]
             if fmt is Fmt.table else [])
        return
    if not confirm(ctx, st.t(f"删除 {no} 的联系记录 #{remove.lstrip('#')}？",
                             f"remove contact #{remove.lstrip('#')} of {no}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        row = members.remove_contact(store, no, remove, reason)
    say(ctx, "已删除 {member_no} 于 {date} 的联系记录 #{id}（{reason}）",
        "removed contact #{id} with {member_no} on {date} ({reason})", **row)


@app.command("overdue")
def overdue(
    ctx: typer.Context,
    days: Annotated[int | None, typer.Option("--days", min=1,
                                             help="default: members.contact_overdue_days")
                    ] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """Mobile members not reached in N days (never reached counts), longest first."""
    from cbtool import members

    st = state(ctx)
    with session(ctx) as store:
        days = days or store.config.contact_overdue_days
        rows = list(members.overdue(store, days=days))
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
    ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")],
    reason: Annotated[str, typer.Option("--reason", help="transferred | deceased | other")],
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="day archived (default today)")] = None,
    yes: YesOpt = False,
) -> None:
    """Archive a member (transferred out, deceased, other); the record is kept."""
    from cbtool import members

    st = state(ctx)
    if not confirm(ctx, st.t(f"归档党员 {no}？", f"archive member {no}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        after = members.archive(store, no, reason=reason, on=on)
    say(ctx, "已归档 {member_no} {name}（{archived_on}）",
        "archived {member_no} {name} ({archived_on})", **after)


@app.command("restore")
def restore(ctx: typer.Context, no: Annotated[str, typer.Argument(help="member number or name")]) -> None:
    """Bring an archived member back to the active register."""
    from cbtool import members

    with session(ctx, write=True) as store:
        after = members.restore(store, no)
    say(ctx, "已恢复 {member_no} {name}", "restored {member_no} {name}", **after)


@app.command("renumber")
def renumber(
    ctx: typer.Context,
    old: Annotated[str, typer.Argument(metavar="OLD", help="the number now (or exact name)")],
    new: Annotated[str, typer.Argument(metavar="NEW", help="the right number (must be free)")],
    yes: YesOpt = False,
) -> None:
    """Correct a member's number: history, contacts and participation move with it."""
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
