"""cbtool aid …: thin commands over cbtool.aid (结对帮扶：困难对象、帮扶记录、帮困资金).

Names, ID numbers, phones and addresses of the people helped are masked in tables
(``--reveal`` shows them); machine formats carry full values, as member lists do."""

from enum import StrEnum
from typing import Annotated, Any

import typer

from cbtool.cli import aid_funds
from cbtool.cli.aid_funds import (
    VOID_COL,
    FundOpt,
    IncludeVoided,
    Note,
    OnOpt,
    PeriodOpt,
    fund_names,
    money_view,
    period_of,
    yuan_shown,
)
from cbtool.cli.common import (
    AllOpt,
    FormatOpt,
    LimitOpt,
    RevealAidOpt,
    YesOpt,
    changed_fields,
    confirm,
    labeler,
    more_rows,
    narrow,
    say,
    session,
    state,
    table_limit,
)
from cbtool.cli.output import Col, Fmt, emit, emit_record

app = typer.Typer(help="结对帮扶：困难对象建档、党员结对、帮扶记录和帮困资金台账。",
                  no_args_is_help=True)

CASE_COLS = [  # 80 columns: the day opened in show
    Col("id", "编号", "ID"), Col("name_shown", "姓名", "Name"), Col("area", "居民区", "Area"),
    Col("kind_label", "类型", "Kind"), Col("phone", "联系电话", "Phone", "phone"),
    Col("helpers", "结对党员", "Paired", "list"), Col("given", "帮扶", "Aid"),
    Col("amount", "金额（元）", "Yuan"),
]
CLOSED_COL = Col("closed_on", "结案", "Closed")
SHORT_AMOUNT = Col("amount", "金额", "Yuan")  # below NARROW columns: 1,100.00 reads as yuan
SHOW_FIELDS = [
    Col("id", "编号", "ID"), Col("name_shown", "姓名", "Name"),
    Col("household_label", "建档方式", "Recorded as"), Col("id_card", "身份证号", "ID number", "id_card"),
    Col("phone", "联系电话", "Phone", "phone"), Col("address", "住址", "Address", "address"),
    Col("area", "居民区", "Area"), Col("kind_label", "困难类型", "Kind"),
    Col("member_label", "本人党员", "Member"), Col("helpers_label", "结对党员", "Paired members"),
    Col("opened_on", "建档日期", "Opened"), Col("closed_on", "结案日期", "Closed"),
    Col("close_reason", "结案原因", "Close reason"), Col("note", "备注", "Note"),
    Col("totals", "帮扶合计", "Aid in all"),
]
GIVEN_COLS = [
    Col("id", "记录号", "ID"), Col("case", "对象", "Case"), Col("date", "日期", "Date"),
    Col("form_label", "形式", "Form"), Col("amount", "金额（元）", "Yuan"),
    Col("fund_label", "资金", "Fund"), Col("note", "备注", "Note"),
]

CaseArg = Annotated[str, typer.Argument(metavar="CASE", help="困难对象编号（#5 或 5）")]
FormOpt = Annotated[str | None, typer.Option(
    "--form", metavar="FORM", help="帮扶形式：慰问 | 救助金 | 物资 | 就业帮扶 | 医疗 | 助学")]
AmountOpt = Annotated[str | None, typer.Option(
    "--amount", metavar="YUAN", help="金额（元，最多两位小数，如 500 或 500.50）")]


class CaseStatus(StrEnum):
    open = "open"
    closed = "closed"
    all = "all"


def _label(vocab: str, key: str | None, lang: str) -> str:
    from cbtool import vocab as v

    if key is None:
        return ""
    return {"kind": v.AID_KINDS, "form": v.AID_FORMS}[vocab].label(key, lang)


def _shown_name(name: str, reveal: bool) -> str:
    from cbtool.fields import mask_name

    return name if reveal else mask_name(name) or ""


def _short_amount(fmt: Fmt, cols: list[Col]) -> list[Col]:
    """Below NARROW columns the amount goes under its short heading."""
    return [SHORT_AMOUNT if c.key == "amount" else c for c in cols] if narrow(fmt) else cols


# --- cases --------------------------------------------------------------------------------


@app.command("add")
def add(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", metavar="NAME", help="姓名（按户建档时为户主）")],
    area: Annotated[str, typer.Option("--area", metavar="CODE", help="居民区（编号或名称）")],
    kind: Annotated[str, typer.Option(
        "--kind", metavar="KIND", help="困难类型：低保 | 低收入 | 支出型贫困 | 因病 | 失业 | 其他")],
    household: Annotated[bool, typer.Option("--household", help="按户建档（姓名为户主）")] = False,
    id_card: Annotated[str | None, typer.Option("--id-card", help="身份证号（18 位，校验）")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    address: Annotated[str | None, typer.Option("--address", help="住址")] = None,
    helpers: Annotated[str | None, typer.Option(
        "--helpers", metavar="NO,NO", help="结对帮扶的党员：党员编号，用 , ; 、 ， 或空格分隔")] = None,
    member: Annotated[str | None, typer.Option(
        "--member", metavar="NO", help="本人是党员时的党员编号（如下岗党员的就业帮扶）")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE",
                                           help="建档日期（默认今天）")] = None,
    note: Note = None,
) -> None:
    """新增困难对象（个人或家庭）：居民区、困难类型、结对党员。"""
    from cbtool import aid

    raw = {"name": name, "area": area, "kind": kind, "household": household or None,
           "id_card": id_card, "phone": phone, "address": address, "helpers": helpers,
           "member_no": member, "opened_on": on, "note": note}
    with session(ctx, write=True) as store:
        record = aid.add_case(store, raw)
    st = state(ctx)
    say(ctx, "已添加困难对象 #{id}：{area} {kind_label}，结对党员 {n} 人",
        "added aid case #{id}: {area} {kind_label}, {n} paired members",
        kind_label=_label("kind", record["kind"], st.lang), n=len(record["helpers"]), **record)


@app.command("list")
def list_(
    ctx: typer.Context,
    area: Annotated[str | None, typer.Option("--area", metavar="CODE", help="只看一个居民区")] = None,
    kind: Annotated[str | None, typer.Option("--kind", metavar="KIND", help="只看一种困难类型")] = None,
    status: Annotated[CaseStatus, typer.Option(
        "--status", case_sensitive=False,
        help="open 帮扶中（默认） | closed 已结案 | all 全部")] = CaseStatus.open,
    helper: Annotated[str | None, typer.Option("--helper", metavar="NO",
                                               help="这名党员结对的困难对象")] = None,
    limit: LimitOpt = 50, show_all: AllOpt = False, reveal: RevealAidOpt = False,
    fmt: FormatOpt = Fmt.table,
) -> None:
    """列出困难对象（默认帮扶中的），附帮扶次数和金额；姓名、电话默认打码。"""
    from cbtool import aid

    st = state(ctx)
    with session(ctx) as store:
        rows, total = aid.list_cases(store, area=area, kind=kind, status=status.value,
                                     helper=helper, limit=table_limit(fmt, limit, show_all))
        if fmt in (Fmt.table, Fmt.md):
            rows = ({**r, "name_shown": _shown_name(r["name"], reveal),
                     "kind_label": _label("kind", r["kind"], st.lang)}
                    for r in money_view(rows, fmt))
        cols = CASE_COLS if status is CaseStatus.open else [*CASE_COLS[:-2], CLOSED_COL,
                                                             *CASE_COLS[-2:]]
        emit(fmt, rows, cols=_short_amount(fmt, cols),  # the masked phone is in show
             keys=[*aid.CASE_FIELDS, "given", "amount"], lang=st.lang, label=labeler(ctx),
             reveal=reveal, total=total, more_msg=more_rows(ctx), optional=["phone"])


@app.command("show")
def show(ctx: typer.Context, case: CaseArg, reveal: RevealAidOpt = False,
         fmt: FormatOpt = Fmt.table) -> None:
    """查看一个困难对象：建档信息、结对党员和每一次帮扶。"""
    from cbtool import aid, logs
    from cbtool import funds as fund_domain

    st = state(ctx)
    with session(ctx) as store:
        record = aid.case_details(store, case)
        if fmt not in (Fmt.table, Fmt.md):
            emit_record(fmt, record, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx))
            return
        names = logs.member_names(store, record["helpers"])
        funds = fund_names(fund_domain.funds(store))
    member = record.get("member")
    placed = member and member["category"] == "employed"
    view: dict[str, Any] = {
        **record,
        "name_shown": _shown_name(record["name"], reveal),
        "household_label": st.t("按户", "household") if record["household"] else
        st.t("个人", "person"),
        "kind_label": _label("kind", record["kind"], st.lang),
        "member_label": (f"{member['member_no']} {_shown_name(member['name'], reveal)}"
                         + (st.t("（已就业）", " (placed)") if placed else "")) if member else "",
        "helpers_label": "、".join(f"{no} {names.get(no, '')}".strip()
                                  for no in record["helpers"]),
        "totals": st.t(f"{record['given']} 次，{yuan_shown(record['amount'])} 元",
                       f"{record['given']} times, {yuan_shown(record['amount'])} yuan"),
    }
    emit_record(fmt, view, fields=SHOW_FIELDS, lang=st.lang, label=labeler(ctx),
                reveal=reveal, title=st.t(f"困难对象 #{record['id']}", f"Aid case #{record['id']}"))
    if record["aid"]:
        _emit_given(ctx, fmt, record["aid"], funds, with_voided=True,
                    title=st.t("帮扶记录", "Aid given"))


@app.command("edit")
def edit(
    ctx: typer.Context, case: CaseArg,
    name: Annotated[str | None, typer.Option("--name", metavar="NAME", help="姓名（按户建档时为户主）")] = None,
    area: Annotated[str | None, typer.Option("--area", metavar="CODE", help="居民区（编号或名称）")] = None,
    kind: Annotated[str | None, typer.Option(
        "--kind", metavar="KIND", help="困难类型：低保 | 低收入 | 支出型贫困 | 因病 | 失业 | 其他")] = None,
    household: Annotated[bool | None, typer.Option(
        "--household/--person", help="--household 按户建档 / --person 个人")] = None,
    id_card: Annotated[str | None, typer.Option("--id-card", help="身份证号（18 位，校验）")] = None,
    phone: Annotated[str | None, typer.Option("--phone", help="联系电话")] = None,
    address: Annotated[str | None, typer.Option("--address", help="住址")] = None,
    helpers: Annotated[str | None, typer.Option(
        "--helpers", metavar="NO,NO", help="结对党员（完整名单，替换原来的）")] = None,
    member: Annotated[str | None, typer.Option(
        "--member", metavar="NO", help="本人是党员时的党员编号（如下岗党员的就业帮扶）")] = None,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="建档日期")] = None,
    note: Note = None,
    clear: Annotated[list[str] | None, typer.Option(
        "--clear", metavar="FIELD",
        help="清空身份证号、电话、住址、本人党员编号、结对党员或备注（可重复）")] = None,
) -> None:
    """更正困难对象的信息（校验同 add，改前改后记入审计）。"""
    from cbtool import aid

    raw = {"name": name, "area": area, "kind": kind, "household": household, "id_card": id_card,
           "phone": phone, "address": address, "helpers": helpers, "member_no": member,
           "opened_on": on, "note": note}
    fields = ["member_no" if c == "member" else c for c in clear or []]
    with session(ctx, write=True) as store:
        before, after = aid.edit_case(store, case, raw, tuple(fields))
    changed = [k for k in aid.CASE_EDITABLE if before[k] != after[k]]
    if changed:
        say(ctx, "已修改困难对象 #{id}：{fields}", "updated aid case #{id}: {fields}",
            id=after["id"], fields=changed_fields(ctx, changed, "aid_cases"))
    else:
        say(ctx, "困难对象 #{id} 没有变化", "aid case #{id}: nothing changed", id=after["id"])


@app.command("close")
def close(
    ctx: typer.Context, case: CaseArg,
    on: Annotated[str | None, typer.Option("--on", metavar="DATE", help="结案日期（默认今天）")] = None,
    reason: Annotated[str | None, typer.Option("--reason", metavar="TEXT",
                                               help="结案原因（如 已脱困、已就业、迁出）")] = None,
    yes: YesOpt = False,
) -> None:
    """结案：不再帮扶（保留记录，记入审计）。下岗党员就业后请另用 members recategorize 改为在职。"""
    from cbtool import aid

    st = state(ctx)
    shown = case.lstrip("#")
    if not confirm(ctx, st.t(f"困难对象 #{shown} 结案？", f"close aid case #{shown}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        record = aid.close_case(store, case, on=on, reason=reason)
    say(ctx, "困难对象 #{id} 已于 {closed_on} 结案", "aid case #{id} closed on {closed_on}",
        **record)


# --- aid given ----------------------------------------------------------------------------


@app.command("give")
def give(
    ctx: typer.Context, case: CaseArg,
    form: Annotated[str, typer.Option(
        "--form", metavar="FORM", help="帮扶形式：慰问 | 救助金 | 物资 | 就业帮扶 | 医疗 | 助学")],
    amount: AmountOpt = None, fund: FundOpt = None, on: OnOpt = None, note: Note = None,
) -> None:
    """记录一次帮扶：形式、金额（元）和资金来源；资金余额不足时拒绝，什么都不写。"""
    from cbtool import aid
    from cbtool import funds as fund_domain

    raw = {"case": case, "form": form, "amount": amount, "fund": fund, "date": on, "note": note}
    with session(ctx, write=True) as store:
        record = aid.give(store, raw)
        fund_name = fund_domain.fund_name(store, record["fund"])
        left = fund_domain.balance(store, record["fund"]) if record["fund"] else None
    st = state(ctx)
    say(ctx, "已记录帮扶 #{id}：困难对象 #{case} {date} {form_label}{money}",
        "recorded aid #{id}: case #{case} {date} {form_label}{money}",
        form_label=_label("form", record["form"], st.lang),
        money=(st.t(f" {yuan_shown(record['amount'])} 元", f" {yuan_shown(record['amount'])} yuan")
               if record["amount"] else "")
        + (st.t(f"（{fund_name}，余额 {yuan_shown(left)} 元）", f" ({fund_name}, {yuan_shown(left)} "
                "yuan left)") if fund_name else ""), **record)


def _emit_given(ctx: typer.Context, fmt: Fmt, rows, funds: dict[str, str], *,
                with_voided: bool, title: str | None = None, total: int | None = None) -> None:
    st = state(ctx)
    view = [{**r, "form_label": _label("form", r["form"], st.lang),
             "fund_label": funds.get(r["fund"], r["fund"] or ""),
             "voided_label": st.t("已作废", "voided") if r["voided"] else ""}
            for r in money_view(rows, fmt)]
    cols = [*GIVEN_COLS, VOID_COL] if with_voided else GIVEN_COLS
    # aid funds has the fund (and --fund picks one): narrow, the note gets its room
    emit(fmt, view, cols=_short_amount(fmt, cols), lang=st.lang, label=labeler(ctx),
         title=title, total=total, optional=["fund_label"])


@app.command("given")
def given(
    ctx: typer.Context,
    case: Annotated[str | None, typer.Option("--case", metavar="CASE",
                                             help="只看一个困难对象")] = None,
    period: PeriodOpt = None, form: FormOpt = None, fund: FundOpt = None,
    include_voided: IncludeVoided = False, fmt: FormatOpt = Fmt.table,
) -> None:
    """列出帮扶记录（按日期），附次数和金额合计。"""
    from cbtool import aid
    from cbtool import funds as fund_domain

    st = state(ctx)
    with session(ctx) as store:
        span = period_of(store, period)
        rows = aid.given_list(store, case=case, period=span, form=form, fund=fund,
                              include_voided=include_voided)
        if fmt not in (Fmt.table, Fmt.md):
            emit(fmt, rows, cols=GIVEN_COLS, keys=aid.GIVEN_FIELDS, lang=st.lang,
                 label=labeler(ctx))
            return
        rows = list(rows)
        n, fen = aid.given_totals(store, case=case, period=span, form=form, fund=fund)
        funds = fund_names(fund_domain.funds(store))
    _emit_given(ctx, fmt, rows, funds, with_voided=include_voided)
    say(ctx, "共 {n} 次，金额 {amount} 元", "{n} records, {amount} yuan", n=n, amount=yuan_shown(fen))


@app.command("void")
def void(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(metavar="ID", help="帮扶记录号（aid given 中显示的）")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="作废原因")],
    yes: YesOpt = False,
) -> None:
    """作废一条帮扶记录：保留并标记（记入审计），金额退回资金余额。"""
    from cbtool import aid

    st = state(ctx)
    if not confirm(ctx, st.t(f"作废帮扶记录 #{id.lstrip('#')}？", f"void aid #{id.lstrip('#')}?"),
                   yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        record = aid.void_given(store, id, reason)
    say(ctx, "已作废帮扶记录 #{id}（{void_reason}）", "voided aid #{id} ({void_reason})", **record)


# --- funds: the commands of cbtool.cli.aid_funds, after the others ------------------------

for _name, _command in aid_funds.COMMANDS.items():
    app.command(_name)(_command)
