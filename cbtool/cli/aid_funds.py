"""cbtool aid funds | income | income-list | income-void | fund-add: thin commands over
cbtool.funds (帮困资金), registered on the ``aid`` group by ``cli/aid.py``; and what the
aid commands share with them (options, money shown as people read it)."""

from typing import Annotated

import typer

from cbtool.cli.common import FormatOpt, YesOpt, confirm, labeler, say, session, state
from cbtool.cli.output import Col, Fmt, emit
from cbtool.fields import yuan_shown  # money as people read it (aid.py takes it from here)

FUND_COLS = [
    Col("fund", "代码", "Code"), Col("name", "资金", "Fund"),
    Col("opening", "期初余额", "Opening"), Col("income", "本期收入", "Income"),
    Col("spent", "本期支出", "Spent"), Col("closing", "期末余额", "Closing"),
]
INCOME_COLS = [
    Col("id", "记录号", "ID"), Col("fund_label", "资金", "Fund"), Col("date", "日期", "Date"),
    Col("amount", "金额（元）", "Amount (yuan)"), Col("source", "来源", "Source"),
    Col("note", "备注", "Note"),
]

PeriodOpt = Annotated[str | None, typer.Option(
    "--period", metavar="P", help="统计期间：2026 | 2026-Q4 | 2026-11 | 2026-11-01..2026-11-30 | this-month | last-month | this-year | last-year")]
FundOpt = Annotated[str | None, typer.Option(
    "--fund", metavar="FUND", help="资金：急难帮困（街道急难帮困专项资金） | 互助金（党内互助金） | 其他已添加的资金代码")]
OnOpt = Annotated[str | None, typer.Option("--on", metavar="DATE", help="日期（默认今天）")]
Note = Annotated[str | None, typer.Option("--note", help="备注")]
IncludeVoided = Annotated[bool, typer.Option("--include-voided", help="也显示已作废的记录")]
VOID_COL = Col("voided_label", "作废", "Voided")


def period_of(store, value: str | None):
    """The period typed (None: not given)."""
    from cbtool.fields import parse_period

    return parse_period(value, today=store.today) if value is not None else None


def fund_names(funds: list[dict]) -> dict[str, str]:
    """Fund code -> the name a table shows: the standard funds by their short names
    (急难帮困, 互助金), others by theirs."""
    from cbtool.vocab import DEFAULT_FUNDS

    short = {code: aliases[0] for code, _name, aliases in DEFAULT_FUNDS}
    return {fd["code"]: short.get(fd["code"], fd["name"]) for fd in funds}


def money_view(rows, fmt, keys=("amount",)):
    """Rows with their money as people read it for a table or Markdown (``yuan_shown``);
    machine formats keep the exact text (an import reads it back)."""
    if fmt not in (Fmt.table, Fmt.md):
        return rows
    return ({**r, **{k: yuan_shown(r[k]) for k in keys}} for r in rows)


# --- the commands ------------------------------------------------------------------------


def funds(
    ctx: typer.Context,
    period: Annotated[str, typer.Option(
        "--period", metavar="P", help="统计期间（默认本年）：2026 | 2026-Q4 | 2026-11 | this-month | this-year …")
    ] = "this-year",
    fmt: FormatOpt = Fmt.table,
) -> None:
    """资金台账：每项资金的期初余额、本期收入、本期支出和期末余额（元）。"""
    from cbtool import funds as fund_domain
    from cbtool.fields import yuan

    st = state(ctx)
    with session(ctx) as store:
        span = period_of(store, period)
        rows = fund_domain.ledger(store, span)
    if fmt not in (Fmt.table, Fmt.md):  # exact yuan text, and the fen
        keys = ["fund", "name", "opening", "income", "spent", "closing", "income_records",
                "spent_records"]
        emit(fmt, ({**r, **{k: yuan(r[f"{k}_fen"]) for k in ("opening", "income", "spent",
                                                              "closing")}} for r in rows),
             cols=FUND_COLS, keys=keys, lang=st.lang, label=labeler(ctx))
        return
    view = [{**r, **{k: yuan_shown(r[f"{k}_fen"]) for k in ("opening", "income", "spent",
                                                        "closing")}} for r in rows]
    # A clerk reads (and --fund takes) a fund's name; its code stays in csv and json.
    cols = [c for c in FUND_COLS if c.key != "fund"]
    emit(fmt, view, cols=cols, lang=st.lang, label=labeler(ctx),
         title=st.t(f"帮困资金台账 {span.label}（元）", f"Aid funds {span.label} (yuan)"))


def income(
    ctx: typer.Context,
    fund: Annotated[str, typer.Option(
        "--fund", metavar="FUND", help="资金：急难帮困（街道急难帮困专项资金） | 互助金（党内互助金） | 其他已添加的资金代码")],
    amount: Annotated[str, typer.Option(
        "--amount", metavar="YUAN", help="金额（元，最多两位小数，如 500 或 500.50）")],
    on: OnOpt = None,
    source: Annotated[str | None, typer.Option("--source", metavar="TEXT",
                                               help="来源（如 街道拨款、党员捐款）")] = None,
    note: Note = None,
) -> None:
    """记入资金收入（拨款、捐款等）。"""
    from cbtool import funds as fund_domain

    raw = {"fund": fund, "amount": amount, "date": on, "source": source, "note": note}
    with session(ctx, write=True) as store:
        record = fund_domain.add_income(store, raw)
        name = fund_domain.fund_name(store, record["fund"])
        left = fund_domain.balance(store, record["fund"])
    say(ctx, "已记入 {name} 收入 #{id}：{date} {shown} 元（余额 {left} 元）",
        "recorded income #{id} of {name}: {date} {shown} yuan ({left} yuan held)",
        name=name, left=yuan_shown(left), shown=yuan_shown(record["amount"]), **record)


def income_list(ctx: typer.Context, fund: FundOpt = None, period: PeriodOpt = None,
                include_voided: IncludeVoided = False, fmt: FormatOpt = Fmt.table) -> None:
    """列出资金收入记录（按日期）。"""
    from cbtool import funds as fund_domain

    st = state(ctx)
    with session(ctx) as store:
        rows = list(fund_domain.list_income(store, fund=fund, period=period_of(store, period),
                                    include_voided=include_voided))
        names = {fd["code"]: fd["name"] for fd in fund_domain.funds(store)}
    view = [{**r, "fund_label": names.get(r["fund"], r["fund"]),
             "voided_label": st.t("已作废", "voided") if r["voided"] else ""}
            for r in money_view(rows, fmt)]
    cols = [*INCOME_COLS, VOID_COL] if include_voided else INCOME_COLS
    emit(fmt, view, cols=cols, keys=fund_domain.INCOME_FIELDS, lang=st.lang, label=labeler(ctx))


def income_void(
    ctx: typer.Context,
    id: Annotated[str, typer.Argument(metavar="ID", help="收入记录号（aid income-list 中显示的）")],
    reason: Annotated[str, typer.Option("--reason", metavar="TEXT", help="作废原因")],
    yes: YesOpt = False,
) -> None:
    """作废一条资金收入（已被支出的钱不能作废）。"""
    from cbtool import funds as fund_domain

    st = state(ctx)
    if not confirm(ctx, st.t(f"作废收入记录 #{id.lstrip('#')}？",
                             f"void income #{id.lstrip('#')}?"), yes):
        raise typer.Exit(1)
    with session(ctx, write=True) as store:
        record = fund_domain.void_income(store, id, reason)
    say(ctx, "已作废收入记录 #{id}（{void_reason}）", "voided income #{id} ({void_reason})",
        **record)


def fund_add(
    ctx: typer.Context,
    code: Annotated[str, typer.Argument(help="资金代码，如 donation")],
    name: Annotated[str, typer.Argument(help="资金名称")],
    note: Note = None,
) -> None:
    """添加一项资金（街道急难帮困专项资金和党内互助金已内置）。"""
    from cbtool import funds as fund_domain

    with session(ctx, write=True) as store:
        record = fund_domain.add_fund(store, code, name, note)
    say(ctx, "已添加资金 {code} {name}", "added fund {code} {name}", **record)


COMMANDS = {"funds": funds, "income": income, "income-list": income_list,
            "income-void": income_void, "fund-add": fund_add}
