"""cbtool sample: deterministic synthetic CSVs for demos and benchmarks."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import guard, say


def sample(
    ctx: typer.Context,
    members: Annotated[int, typer.Option("--members", min=0, help="number of members")] = 200,
    logs: Annotated[int, typer.Option("--logs", min=0, help="number of logs")] = 500,
    seed: Annotated[int, typer.Option("--seed", help="same seed, same files")] = 1,
    out: Annotated[Path, typer.Option("--out", metavar="DIR", help="output directory")] = Path(
        "sample"),
) -> None:
    """Write deterministic synthetic areas/members/logs/checks CSVs (demo, benchmarks)."""
    from cbtool.sample import write_sample

    with guard(ctx):
        paths = write_sample(out, members=members, logs=logs, seed=seed)
    for path in paths.values():
        typer.echo(str(path))
    say(ctx, "示例文件已写入 {d}", "sample files written to {d}", d=out)
