"""cbtool sample: deterministic synthetic CSVs for demos and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import guard, say
from cbtool.errors import InvalidInput
from cbtool.text import Msg

EARLY = Msg("示例数据的截止日期应不早于 2000 年（{day}）", "--as-of must be in 2000 or later ({day})")


def sample(
    ctx: typer.Context,
    members: Annotated[int, typer.Option("--members", min=0, help="number of members")] = 200,
    logs: Annotated[int, typer.Option("--logs", min=0, help="number of logs")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same files")] = 1,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="output directory")] = Path(
        "sample"),
    as_of: Annotated[str | None, typer.Option(
        "--as-of", metavar="DATE", help="the day the data ends (default today); the same seed "
        "and day give byte-identical files")] = None,
) -> None:
    """Write deterministic synthetic areas/members/logs/checks CSVs (demo, benchmarks)."""
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
    for path in paths.values():
        typer.echo(str(path))
    say(ctx, "示例文件已写入 {d}", "sample files written to {d}", d=out)
