"""Filters shared by `members list` and `roster`: lists staff make before visits and
honours (members 80 and over, 50 years in the Party by 七一, this month's 政治生日)."""

from typing import Annotated, Any

import typer

AgeMin = Annotated[int | None, typer.Option("--age-min", metavar="N", min=0, max=150,
                                            help="年龄不小于 N 岁（按 --as-of 那天计算）")]
AgeMax = Annotated[int | None, typer.Option("--age-max", metavar="N", min=0, max=150,
                                            help="年龄不大于 N 岁（按 --as-of 那天计算）")]
PartyYearsMin = Annotated[int | None, typer.Option(
    "--party-years-min", metavar="N", min=0, max=150,
    help="党龄不少于 N 年，从入党时间算起（只有月份的从该月 1 日算）")]
JoinedMonth = Annotated[int | None, typer.Option("--joined-month", metavar="M", min=1, max=12,
                                                 help="在 M 月入党（政治生日）")]
BornMonth = Annotated[int | None, typer.Option("--born-month", metavar="M", min=1, max=12,
                                               help="在 M 月出生")]
AsOf = Annotated[str | None, typer.Option(
    "--as-of", metavar="DATE", help="计算年龄和党龄的日期（默认今天；07-01 或 7月1日 指今年的那一天）")]


def life_filters(store: Any, *, as_of: str | None, age_min: int | None, age_max: int | None,
                 party_years_min: int | None, joined_month: int | None,
                 born_month: int | None) -> dict[str, Any]:
    """The keyword arguments of ``members.list_members`` for these options."""
    from cbtool.members import parse_as_of

    day = parse_as_of(as_of, today=store.today) if as_of is not None else None
    return {"as_of": day, "age_min": age_min, "age_max": age_max,
            "party_years_min": party_years_min, "joined_month": joined_month,
            "born_month": born_month}
