"""The command line: the root app, global options, and the wiring of one sub-app per noun.

Kept light: ``cbtool --version`` and ``--help`` import neither sqlite-utils nor rich.
"""

import os
import sys
from typing import Annotated

import typer

from cbtool import __version__
from cbtool.cli.common import State
from cbtool.cli.helptext import RootGroup
from cbtool.text import Msg, spell_options

# Messages of the domain name a parameter; here it is a flag (header_row → --header-row).
spell_options(lambda name: "--" + name.replace("_", "-"))

_SETTINGS = dict(
    name="cbtool",
    help="党建工作台账工具：社区党建办公室的党员名册、服务点台账和五有阵地检查。",
    no_args_is_help=True,
    cls=RootGroup,  # sets the language of the help (--lang, CBTOOL_LANG) before parsing
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["--help", "-h"]},
)


BAD_LANG_OPTION = Msg("应为 zh 或 en", "must be zh or en")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"cbtool {__version__}")
        raise typer.Exit()


def root(
    ctx: typer.Context,
    db: Annotated[str | None, typer.Option("--db", metavar="PATH", envvar="CBTOOL_DB",
                                           help="数据库文件")] = None,
    config: Annotated[str | None, typer.Option("--config", metavar="PATH",
                                               help="配置文件  [环境变量：CBTOOL_CONFIG]")] = None,
    lang: Annotated[str | None, typer.Option("--lang", metavar="zh|en",
                                             help="帮助和消息的语言：zh 中文（默认）或 en 英文  [环境变量：CBTOOL_LANG]")
                    ] = None,
    operator: Annotated[str | None, typer.Option(
        "--operator", metavar="NAME", envvar="CBTOOL_OPERATOR",
        help="操作人姓名，记入审计记录")] = None,
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True,
                                          help="显示版本号并退出")] = False,
) -> None:
    """党建工作台账 cbtool: 党员、服务点台账、五有检查。"""
    if lang is not None and lang not in ("zh", "en"):
        from cbtool.argv import session_lang

        said = BAD_LANG_OPTION.render(session_lang([], read_config=False))  # CBTOOL_LANG or zh
        raise typer.BadParameter(said, param_hint="--lang")
    ctx.obj = State(db=db, config_path=config, lang_option=lang, operator=operator)


# Typer lists plain commands before groups; each in the order a new user meets them.
# name -> (module under cbtool.cli, attribute, a sub-app?, the kind its import/export serve)
WIRING: dict[str, tuple[str, str, bool, str | None]] = {
    "init": ("db", "init", False, None),
    "sample": ("samplecmd", "sample", False, None),
    "summary": ("summary", "summary", False, None),
    "report": ("summary", "report", False, None),
    "rollup": ("rollup", "rollup", False, None),
    "audit": ("audit", "audit", False, None),
    "roster": ("papers", "roster", False, None),
    "ledger": ("papers", "ledger", False, None),
    "template": ("templates", "template", False, None),
    "areas": ("areas", "areas_app", True, "areas"),
    "points": ("areas", "points_app", True, "points"),
    "members": ("members", "app", True, "members"),
    "logs": ("logs", "app", True, "logs"),
    "checklist": ("checklist", "app", True, "checklist"),
    "teams": ("teams", "app", True, "teams"),
    "volunteers": ("volunteers", "app", True, "volunteers"),
    "service": ("volunteers", "service_app", True, "service"),
    "pairings": ("pairings", "app", True, "pairings"),
    "aid": ("aid", "app", True, "aid"),
    "brands": ("brands", "app", True, "brands"),
    "imports": ("imports", "app", True, None),
    "db": ("db", "app", True, None),
}
# Groups that import and export more than one kind: group -> {kind: command prefix}
# (``cbtool aid given-import`` / ``given-export`` beside ``aid import`` / ``aid export``).
MORE_BATCH: dict[str, dict[str, str]] = {"aid": {"aid-given": "given", "aid-income": "income"}}
_VALUED = ("--db", "--config", "--lang", "--operator")  # global options that take a value
_registered: set[str] = set()  # sub-apps whose import/export commands are added already


def build(only: str | None = None, sub: str | None = None, *, stubs: bool = False
          ) -> typer.Typer:
    """The root app with every command, or with ``only`` that one command or group: a
    command run from the shell builds (and imports) just what it runs. In a group, ``sub``
    keeps that one command; ``stubs`` gives the other commands their names and help only
    (enough for a help page or a typo's message, never run): no option of theirs is made."""
    import importlib

    # --install-completion / --show-completion are root options: only the root help shows them
    built = typer.Typer(**_SETTINGS, add_completion=only is None)
    built.callback()(root)
    for name, (module, attr, group, kind) in WIRING.items():
        if only is not None and name != only:
            continue
        target = getattr(importlib.import_module(f"cbtool.cli.{module}"), attr)
        if not group:
            built.command(name)(_stub(target) if stubs else target)
            continue
        if kind is not None and name not in _registered and (
                sub is None or sub in _batch_names(name)):
            from cbtool.cli import batch

            for each in (kind, *MORE_BATCH.get(name, ())):
                batch.register(target, each)
            _registered.add(name)
        if sub is not None or stubs:
            target = _narrowed(target, sub, stubs=stubs)
        built.add_typer(target, name=name)
    return built


_BATCH = ("import", "export")  # the commands cli.batch adds to a noun's group


def _batch_names(group: str) -> set[str]:
    """The commands cli.batch adds to ``group``: import, export, and its other kinds'."""
    more = MORE_BATCH.get(group, {}).values()
    return {*_BATCH, *(f"{p}-{c}" for p in more for c in _BATCH)}


def _name(info: typer.models.CommandInfo) -> str:
    from typer.main import get_command_name

    return info.name or get_command_name(info.callback.__name__)


def _narrowed(app: typer.Typer, sub: str | None, *, stubs: bool) -> typer.Typer:
    """A copy of a group's app with only the command ``sub``, the others as stubs or gone."""
    import copy

    narrowed = copy.copy(app)
    narrowed.registered_commands = [
        info if _name(info) == sub else _stub_info(info)
        for info in app.registered_commands if stubs or _name(info) == sub]
    return narrowed


def _stub(callback):
    """A command's stand-in for help pages: its docstring, no parameters."""

    def stub() -> None:  # pragma: no cover - a stub is listed, never run
        raise RuntimeError("a help stub was run")

    stub.__name__ = callback.__name__
    stub.__doc__ = callback.__doc__
    return stub


def _stub_info(info: typer.models.CommandInfo) -> typer.models.CommandInfo:
    import copy
    import inspect

    stubbed = copy.copy(info)
    stubbed.name = _name(info)
    stubbed.help = info.help if info.help is not None else inspect.getdoc(info.callback)
    stubbed.callback = _stub(info.callback)
    return stubbed


def command_word(args: list[str]) -> str | None:
    """The command or group named on a command line (after the global options), if it is
    one of cbtool's; None for the root's own help, a typo, or no command at all."""
    return _words(args)[0]


def _words(args: list[str]) -> tuple[str | None, str | None]:
    """The command or group named (as ``command_word``) and, for a group, the command in it
    when it is the next word (None for the group's own help, or options first)."""
    skip = False
    for i, arg in enumerate(args):
        if skip:
            skip = False
        elif arg in _VALUED:
            skip = True
        elif not arg.startswith("-"):
            if arg not in WIRING:
                return None, None
            following = args[i + 1] if i + 1 < len(args) else None
            if not WIRING[arg][2] or following is None or following.startswith("-"):
                return arg, None
            return arg, following
        elif arg == "--":
            return None, None
    return None, None


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
    # Completing a word (the shell sets _CBTOOL_COMPLETE) needs every command and option.
    app = build() if os.environ.get("_CBTOOL_COMPLETE") else lazy(sys.argv[1:])
    from cbtool import process

    process.started()  # the command built: its work runs with the garbage collector on
    app(prog_name="cbtool")


def lazy(args: list[str]) -> typer.Typer:
    """The app that runs ``args``: the one command named built in full; whatever else the
    help page or the typo's message shows, as stubs (names and help only)."""
    only, sub = _words(args)
    if "--" in args:  # what follows may be a command's name: build them for real
        return build(only)
    if only is None or not WIRING[only][2]:  # the root's help, a typo, a plain command
        return build(only, stubs=only is None)
    group = _group_commands(only)
    if sub in group:
        return build(only, sub)
    return build(only, stubs=True)  # the group's help, or a command it does not have


def _group_commands(name: str) -> set[str]:
    import importlib

    module, attr, _, kind = WIRING[name]
    app = getattr(importlib.import_module(f"cbtool.cli.{module}"), attr)
    names = {_name(info) for info in app.registered_commands}
    return names | _batch_names(name) if kind is not None else names
