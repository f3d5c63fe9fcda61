"""cbtool roster (花名册) and cbtool ledger (服务点工作台账): papers written to a file."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

import typer

from cbtool.cli.common import RevealOpt, session
from cbtool.cli.filters import AgeMax, AgeMin, AsOf, BornMonth, JoinedMonth, PartyYearsMin


class RosterFmt(StrEnum):
    xlsx = "xlsx"
    html = "html"
    md = "md"
    csv = "csv"


OutOpt = Annotated[str, typer.Option(
    "--out", "-o", metavar="PATH",
    help="file, directory (gets a default name), or - for standard output (not xlsx)")]


def _check_out(out: str, fmt: str) -> None:
    if out == "-" and fmt == "xlsx":
        raise typer.BadParameter("- (standard output) takes html, md or csv", param_hint="--out")


def roster(
    ctx: typer.Context,
    fmt: Annotated[RosterFmt, typer.Option("--format", "-f", case_sensitive=False,
                                           help="xlsx | html | md | csv")],
    out: OutOpt,
    area: Annotated[str | None, typer.Option("--area", metavar="CODE",
                                             help="one area (code or name)")] = None,
    category: Annotated[str | None, typer.Option(
        "--category", help="retired|laid-off|mobile|employed or 离退休/下岗/流动/在职")] = None,
    status: Annotated[str, typer.Option("--status", help="active | archived | all")] = "active",
    age_min: AgeMin = None, age_max: AgeMax = None, party_years_min: PartyYearsMin = None,
    joined_month: JoinedMonth = None, born_month: BornMonth = None, as_of: AsOf = None,
    reveal: RevealOpt = False,
) -> None:
    """花名册: members by area with counts, for printing (A4) or Excel/WPS."""
    from cbtool.cli.filters import life_filters
    from cbtool.papers import roster as paper
    from cbtool.papers.writer import write_paper

    _check_out(out, fmt.value)
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
