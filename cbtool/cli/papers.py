"""cbtool roster (花名册) and cbtool ledger (服务点工作台账): papers written to a file."""

from enum import StrEnum
from typing import Annotated

import typer

from cbtool.cli.common import RevealOpt, complete_category, session, state
from cbtool.cli.filters import AgeMax, AgeMin, AsOf, BornMonth, JoinedMonth, PartyYearsMin


class RosterFmt(StrEnum):
    xlsx = "xlsx"
    html = "html"
    md = "md"
    csv = "csv"


OutOpt = Annotated[str, typer.Option(
    "--out", "-o", metavar="PATH",
    help="文件、目录（使用默认文件名），或 - 输出到标准输出（xlsx 除外）")]


def _check_out(ctx: typer.Context, out: str, fmt: str) -> None:
    if out == "-" and fmt == "xlsx":
        raise typer.BadParameter(state(ctx).t("- （标准输出）只用于 html、md 或 csv",
                                              "- (standard output) takes html, md or csv"),
                                 param_hint="--out")


def roster(
    ctx: typer.Context,
    fmt: Annotated[RosterFmt, typer.Option("--format", "-f", case_sensitive=False,
                                           help="文件格式：xlsx | html | md | csv")],
    out: OutOpt,
    area: Annotated[str | None, typer.Option("--area", metavar="CODE",
                                             help="只列一个居民区（编号或名称）")] = None,
    category: Annotated[str | None, typer.Option(
        "--category", help="党员类别：离退休/下岗/流动/在职，或 retired|laid-off|mobile|employed",
        autocompletion=complete_category)] = None,
    status: Annotated[str, typer.Option("--status", help="状态：active 在册 | archived 已归档 | all 全部")] = "active",
    age_min: AgeMin = None, age_max: AgeMax = None, party_years_min: PartyYearsMin = None,
    joined_month: JoinedMonth = None, born_month: BornMonth = None, as_of: AsOf = None,
    reveal: RevealOpt = False,
) -> None:
    """花名册：按居民区列出党员并计数，可打印（A4）或用 Excel/WPS 打开。"""
    from cbtool.cli.filters import life_filters
    from cbtool.papers import roster as paper
    from cbtool.papers.writer import write_paper

    _check_out(ctx, out, fmt.value)
    with session(ctx) as store:
        filters = life_filters(store, as_of=as_of, age_min=age_min, age_max=age_max,
                               party_years_min=party_years_min, joined_month=joined_month,
                               born_month=born_month)
        built = paper.build(store, area=area, category=category, status=status,
                            reveal=reveal, **filters)
        written = write_paper(built, fmt.value, out, paper.default_name(store, fmt.value),
                              nowrap_columns=paper.NOWRAP)
    if written is not None:
        typer.echo(str(written))


class LedgerFmt(StrEnum):
    xlsx = "xlsx"
    html = "html"
    md = "md"


def ledger(
    ctx: typer.Context,
    point: Annotated[str, typer.Option("--point", metavar="CODE|all",
                                       help="服务点（编号或名称），或 all 表示全部")],
    period: Annotated[str, typer.Option(
        "--period", "-p", metavar="P",
        help="期间：2026-11 | 2026年11月 | 2026-Q4 | 2026年第四季度 | 2026 | A..B | this-month …")],
    fmt: Annotated[LedgerFmt, typer.Option("--format", "-f", case_sensitive=False,
                                           help="文件格式：xlsx | html | md")],
    out: OutOpt,
) -> None:
    """服务点工作台账：一个服务点在期间内的台账、合计和五有情况；--point all 每个服务点一张表（一节）。"""
    from cbtool.fields import parse_period
    from cbtool.papers import ledger as paper
    from cbtool.papers.writer import write_paper

    _check_out(ctx, out, fmt.value)
    with session(ctx) as store:
        span = parse_period(period, today=store.today)
        built = paper.build(store, point, span)
        written = write_paper(built, fmt.value, out, paper.default_name(built, span, fmt.value),
                              nowrap_columns=paper.NOWRAP)
    if written is not None:
        typer.echo(str(written))
