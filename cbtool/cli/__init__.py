"""The command line: the root app, global options, and the wiring of one sub-app per noun.

Kept light: ``cbtool --version`` and ``--help`` import neither sqlite-utils nor rich.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from cbtool import __version__
from cbtool.cli.common import State

_SETTINGS = dict(
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
# name -> (module under cbtool.cli, attribute, a sub-app?, the kind its import/export serve)
WIRING: dict[str, tuple[str, str, bool, str | None]] = {
    "init": ("db", "init", False, None),
    "sample": ("samplecmd", "sample", False, None),
    "summary": ("summary", "summary", False, None),
    "report": ("summary", "report", False, None),
    "audit": ("audit", "audit", False, None),
    "roster": ("papers", "roster", False, None),
    "ledger": ("papers", "ledger", False, None),
    "template": ("templates", "template", False, None),
    "areas": ("areas", "areas_app", True, "areas"),
    "points": ("areas", "points_app", True, "points"),
    "members": ("members", "app", True, "members"),
    "logs": ("logs", "app", True, "logs"),
    "checklist": ("checklist", "app", True, "checklist"),
    "imports": ("imports", "app", True, None),
    "db": ("db", "app", True, None),
}
_VALUED = ("--db", "--config", "--lang", "--operator")  # global options that take a value
_registered: set[str] = set()  # sub-apps whose import/export commands are added already


def build(only: str | None = None) -> typer.Typer:
    """The root app with every command, or with ``only`` that one command or group: a
    command run from the shell builds (and imports) just what it runs."""
    import importlib

    built = typer.Typer(**_SETTINGS)
    built.callback()(root)
    for name, (module, attr, group, kind) in WIRING.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"cbtool.cli.{module}"), attr)
        if not group:
            built.command(name)(target)
            continue
        if kind is not None and name not in _registered:
            from cbtool.cli import batch

            batch.register(target, kind)
            _registered.add(name)
        built.add_typer(target, name=name)
    return built


def command_word(args: list[str]) -> str | None:
    """The command or group named on a command line (after the global options), if it is
    one of cbtool's; None for the root's own help, a typo, or no command at all."""
    skip = False
    for arg in args:
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            return arg if arg in WIRING else None
        elif arg == "--":
            return None
    return None


_full: typer.Typer | None = None


def __getattr__(name: str) -> typer.Typer:
    """``cbtool.cli.app``: the whole app (tests, docs, completion), built on first use."""
    global _full
    if name != "app":
        raise AttributeError(name)
    if _full is None:
        _full = build()
    return _full


def main() -> None:
    from cbtool.cli.output import tolerant_streams

    tolerant_streams()  # a GBK or ASCII terminal gets substitutes, never a traceback
    build(command_word(sys.argv[1:]))(prog_name="cbtool")
