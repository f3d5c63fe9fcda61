"""The command line: the root app, global options, and the wiring of one sub-app per noun.

Kept light: ``cbtool --version`` and ``--help`` import neither sqlite-utils nor rich.
"""

from __future__ import annotations

from typing import Annotated

import typer

from cbtool import __version__
from cbtool.cli import (
    areas,
    audit,
    batch,
    checklist,
    dbcmd,
    logs,
    members,
    papers,
    samplecmd,
    summary,
    templates,
)
from cbtool.cli.common import State

app = typer.Typer(
    name="cbtool",
    help="党建工作台账工具 — members, service-point logs and the five-haves checklist of a "
    "community Party-building office.",
    no_args_is_help=True,
    add_completion=False,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cbtool {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", metavar="PATH", envvar="CBTOOL_DB",
                                           help="database file")] = None,
    config: Annotated[str | None, typer.Option("--config", metavar="PATH",
                                               help="config file [env CBTOOL_CONFIG]")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="zh|en",
                                             help="language of messages [env CBTOOL_LANG]")
                    ] = None,
    operator: Annotated[str | None, typer.Option(
        "--operator", metavar="NAME", envvar="CBTOOL_OPERATOR",
        help="who is making changes, for the audit")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="print the version and exit")] = False,
) -> None:
    """党建工作台账 cbtool: 党员、服务点台账、五有检查。"""
    if lang is not None and lang not in ("zh", "en"):
        raise typer.BadParameter("must be zh or en", param_hint="--lang")
    ctx.obj = State(db=db, config_path=config, lang_option=lang, operator=operator)


# Typer lists plain commands before groups; each in the order a new user meets them.
app.command("init")(dbcmd.init)
app.command("sample")(samplecmd.sample)
app.command("summary")(summary.summary)
app.command("report")(summary.report)
app.command("audit")(audit.audit)
app.command("roster")(papers.roster)
app.command("ledger")(papers.ledger)
app.command("template")(templates.template)
app.add_typer(areas.areas_app, name="areas")
app.add_typer(areas.points_app, name="points")
app.add_typer(members.app, name="members")
app.add_typer(logs.app, name="logs")
app.add_typer(checklist.app, name="checklist")
app.add_typer(dbcmd.app, name="db")
for _noun, _kind in ((areas.areas_app, "areas"), (members.app, "members"), (logs.app, "logs"),
                     (checklist.app, "checklist"), (areas.points_app, "points")):
    batch.register(_noun, _kind)


def main() -> None:
    from cbtool.cli.output import tolerant_streams

    tolerant_streams()  # a GBK or ASCII terminal gets substitutes, never a traceback
    app()
