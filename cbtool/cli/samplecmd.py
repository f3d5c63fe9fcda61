"""cbtool sample: deterministic synthetic CSVs for demos and benchmarks."""

from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import guard, say
from cbtool.errors import InvalidInput
from cbtool.text import Msg

EARLY = Msg("示例数据的截止日期应不早于 2000 年（{day}）", "--as-of must be in 2000 or later ({day})")


def sample(
    ctx: typer.Context,
    members: Annotated[int, typer.Option("--members", min=0, help="党员人数")] = 200,
    logs: Annotated[int, typer.Option("--logs", min=0, help="台账条数")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="随机种子：种子相同，文件相同")] = 1,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="输出目录")] = Path(
        "sample"),
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="数据截止日（默认今天）；种子和日期相同，文件逐字节相同")] = None,
    volunteers: Annotated[int | None, typer.Option(
        "--volunteers", min=0, help="志愿者人数（默认党员人数的 5 倍；约每 60 人一支队伍）")] = None,
) -> None:
    """生成可重现的演示数据 CSV：居民区、党员、台账、检查记录、志愿者队伍、志愿者、结对共建、困难对象、资金收入、帮扶记录和一居一品（用于演示和性能测试）。"""
    from datetime import date

    from cbtool.fields import parse_date
    from cbtool.sample import write_sample

    with guard(ctx) as st:
        st.config()  # its timezone says what today is
        day = parse_date("as_of", as_of)
        if day and day < "2000-01-01":
            raise InvalidInput(EARLY, day=day)
        paths = write_sample(out, members=members, logs=logs, seed=seed,
                             as_of=date.fromisoformat(day) if day else None)
        from cbtool import clock
        from cbtool.sample_volunteers import write_volunteers

        paths.update(write_volunteers(  # teams.csv, volunteers.csv
            out, paths["members"], seed=seed,
            volunteers=members * 5 if volunteers is None else volunteers,
            as_of=date.fromisoformat(day) if day else clock.today()))
        from cbtool.sample_pairings import write_ledgers

        paths.update(write_ledgers(  # pairings, aid cases, aid given, fund income, brands
            out, paths["members"], seed=seed,
            as_of=date.fromisoformat(day) if day else clock.today()))
    for path in paths.values():
        typer.echo(str(path))
    from cbtool.sample import tally

    say(ctx, "示例文件已写入 {d}：{counts}", "sample files written to {d}: {counts}", d=out,
        counts=Msg(*tally(paths)))
