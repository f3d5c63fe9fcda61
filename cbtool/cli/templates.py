"""cbtool template KIND --out FILE: a blank .xlsx/.csv to fill in (``cbtool.templates``)."""

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
    teams = "teams"
    volunteers = "volunteers"
    pairings = "pairings"
    aid = "aid"
    aid_given = "aid-given"
    aid_income = "aid-income"
    brands = "brands"


def template(
    ctx: typer.Context,
    kind: Annotated[Kind, typer.Argument(metavar="KIND", case_sensitive=False,
                                         help="模板的种类：areas | members | logs | checklist | teams | volunteers | "
                                              "pairings | aid | aid-given | aid-income | brands")],
    out: Annotated[Path, typer.Option(
        "--out", "-o", metavar="FILE",
        help="输出文件：.xlsx（文本列、下拉列表、填表说明）或 .csv（只有表头行）")],
    force: Annotated[bool, typer.Option("--force", help="文件已存在时覆盖")] = False,
) -> None:
    """生成空白填表模板：表头与导入所读的一致，填好后不用改就能导入（cbtool 种类 import 文件）。"""
    from cbtool import templates
    from cbtool.cli.batch import WHAT
    from cbtool.importing.kinds import import_command

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
              f"填好后导入：cbtool {import_command(made.kind)} {made.path}",
              f"{en} template written to {made.path} ({len(made.columns)} columns); "
              f"when filled in: cbtool {import_command(made.kind)} {made.path}"))
