"""Filters shared by `members list` and `roster`: lists staff make before visits and
honours (members 80 and over, 50 years in the Party by 七一, this month's 政治生日)."""

from __future__ import annotations

from typing import Annotated, Any

import typer

AgeMin = Annotated[int | None, typer.Option("--age-min", metavar="N", min=0, max=150,
                                            help="aged N or more (on --as-of)")]
AgeMax = Annotated[int | None, typer.Option("--age-max", metavar="N", min=0, max=150,
                                            help="aged N or less (on --as-of)")]
PartyYearsMin = Annotated[int | None, typer.Option(
    "--party-years-min", metavar="N", min=0, max=150,
    help="党龄: N years or more since 入党时间 (a month alone counts from its 1st day)")]
JoinedMonth = Annotated[int | None, typer.Option("--joined-month", metavar="M", min=1, max=12,
                                                 help="joined the Party in month M (政治生日)")]
BornMonth = Annotated[int | None, typer.Option("--born-month", metavar="M", min=1, max=12,
                                               help="born in month M")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE", help="the day ages and 党龄 are counted to (default today; "
    "07-01 or 7月1日: that day this year)")]


def life_filters(store: Any, *, as_of: str | None, age_min: int | None, age_max: int | None,
                 party_years_min: int | None, joined_month: int | None,
                 born_month: int | None) -> dict[str, Any]:
    """The keyword arguments of ``members.list_members`` for these options."""
    from cbtool.members import parse_as_of

    day = parse_as_of(as_of, today=store.today) if as_of is not None else None
    return {"as_of": day, "age_min": age_min, "age_max": age_max,
            "party_years_min": party_years_min, "joined_month": joined_month,
            "born_month": born_month}
