"""cbtool template KIND --out FILE: a blank .xlsx/.csv to fill in (``cbtool.templates``)."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer

from cbtool.cli.common import session, state, warn


class Kind(StrEnum):
    areas = "areas"
    members = "members"
    logs = "logs"
    checklist = "checklist"


def template(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", case_sensitive=False,
                                         help="what the records are")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FILE",
        help=".xlsx (text columns, drop-down lists, 填表说明) or .csv (the header row only)")],
    force: Annotated[bool, typer.Option("--force", help="overwrite FILE if it exists")] = False,
) -> None:
    """Write a blank template to fill in (填表模板): the headings import reads; a filled
    one imports with no edits (cbtool KIND import FILE)."""
    from cbtool import templates
    from cbtool.cli.batch import WHAT

    st = state(ctx)
    if templates.format_for(out) is None:
        raise typer.BadParameter(st.t("文件名应以 .xlsx 或 .csv 结尾",
                                      "the file name must end in .xlsx or .csv"),
                                 param_hint="--out")
    with session(ctx) as store:
        made = templates.write_template(store, kind.value, out, force=force)
    for msg, params in made.notes:
        warn(msg.render(st.lang, **params))
    zh, en = WHAT[made.kind]
    warn(st.t(f"已生成{zh}模板 {made.path}（{len(made.columns)} 列）；"
              f"填好后导入：cbtool {made.kind} import {made.path}",
              f"{en} template written to {made.path} ({len(made.columns)} columns); "
              f"when filled in: cbtool {made.kind} import {made.path}"))
