"""Usage errors (exit 2) in the session's language: the usage line, the "try --help" line
and Click's own messages (no such option, missing option, invalid value, …) in Chinese by
default, in English under ``--lang en``.

Imported only when a usage error happens. Click's exceptions carry what went wrong (the
option, the parameter and its type, the suggestions); each message is made anew from
those. A message Click builds from its type (``0 is not in the range …``) is recognised by
recomputing Click's own wording from that type, and only the value the user typed is taken
from it; a message this module does not know (a command's own ``BadParameter``) is kept
as written, in its frame (``--x 的值无效：…``)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import IO, Any

from typer._click import exceptions as exc
from typer._click import types
from typer._click.utils import echo

from cbtool.cli.ranges import range_rule
from cbtool.text import Msg

USAGE = {"zh": "用法：", "en": "Usage: "}
TRY_HELP = Msg("运行 {command} {option} 查看帮助", "Try '{command} {option}' for help.")
ERROR = Msg("错误：{message}", "Error: {message}")

NO_OPTION = Msg("没有选项 {name}", "No such option: {name}")
MAYBE = Msg("{message}（是否要用 {names}？）", "{message} (did you mean {names}?)")
NO_COMMAND = Msg("没有命令 {name}", "No such command {name!r}.")
MISSING_COMMAND = Msg("缺少命令", "Missing command.")
MISSING = {
    "option": Msg("缺少选项 {hint}", "Missing option {hint}."),
    "argument": Msg("缺少参数 {hint}", "Missing argument {hint}."),
    "parameter": Msg("缺少参数 {hint}", "Missing parameter {hint}."),
}
CHOOSE = Msg("可选：{choices}", "Choose from: {choices}.")
INVALID = Msg("{hint} 的值无效：{message}", "Invalid value for {hint}: {message}")
INVALID_BARE = Msg("值无效：{message}", "Invalid value: {message}")
ENV_HINT = Msg("{hint}（环境变量：{var}）", "{hint} (env var: {var})")
NOT_ONE_OF = Msg("{value} 不是可选值，可选：{choices}", "{value} is not one of {choices}")
NOT_INT = Msg("{value} 不是整数", "{value} is not a whole number")
NOT_NUMBER = Msg("{value} 不是数字", "{value} is not a number")
EXTRA = Msg("多余的参数：{args}", "Got unexpected extra argument(s): {args}")
NEEDS_VALUE = Msg("选项 {name} 需要一个值", "Option {name} requires a value.")
NEEDS_VALUES = Msg("选项 {name} 需要 {n} 个值", "Option {name} requires {n} values.")
TAKES_NO_VALUE = Msg("选项 {name} 不带值", "Option {name} does not take a value.")
OUT_OF_RANGE = Msg("{value}，{rule}", "{value} ({rule})")

_LIST = {"zh": "、", "en": ", "}
_OR = {"zh": " 或 ", "en": " or "}
# Typer's words for a group's own failures (its gettext msgids, never translated here).
_NO_SUCH_COMMAND = re.compile(r"No such command (?P<name>'.*?'|\".*?\")\.(?: Did you mean .*\?)?")
_EXTRA_ARGS = re.compile(r"Got unexpected extra arguments?(?:\(s\))? \((?P<args>.*)\)")


class LocalUsageError(exc.UsageError):
    """A usage error said in ``lang``; ``original`` is Click's exception."""

    def __init__(self, original: exc.UsageError, lang: str) -> None:
        super().__init__(message(original, lang), original.ctx)
        self.original = original
        self.lang = lang
        self.exit_code = original.exit_code

    def show(self, file: IO[Any] | None = None) -> None:
        from typer._click._compat import get_text_stderr

        file = file or get_text_stderr()
        ctx = self.ctx
        if ctx is not None:
            hint = ""
            if ctx.command.get_help_option(ctx) is not None:
                hint = TRY_HELP.render(self.lang, command=ctx.command_path,
                                       option=ctx.help_option_names[0]) + "\n"
            echo(f"{usage_line(ctx, self.lang)}\n{hint}", file=file, color=ctx.color)
        echo(ERROR.render(self.lang, message=self.message), file=file,
             color=ctx.color if ctx else None)


def usage_line(ctx: Any, lang: str) -> str:
    """The command's usage line, prefixed in ``lang`` (the Chinese formatter says 用法 by
    itself; the English one says Click's Usage)."""
    formatter = ctx.make_formatter()
    ctx.command.format_usage(ctx, formatter)
    text = formatter.getvalue().rstrip("\n")
    for prefix in USAGE.values():
        if text.startswith(prefix):
            return USAGE[lang] + text[len(prefix):]
    return text


def localized(error: exc.UsageError, lang: str) -> exc.UsageError:
    """``error`` as said in ``lang``; the help shown for a bare group stays what it is."""
    if isinstance(error, (exc.NoArgsIsHelpError, LocalUsageError)):
        return error
    return LocalUsageError(error, lang)


def message(error: exc.UsageError, lang: str) -> str:
    """The one-line reason of a usage error in ``lang``."""
    if isinstance(error, exc.NoSuchOption):
        return _no_such_option(error, lang)
    if isinstance(error, exc.MissingParameter):
        return _missing(error, lang)
    if isinstance(error, exc.BadParameter):
        return _bad_parameter(error, lang)
    if isinstance(error, exc.BadOptionUsage):
        return _bad_option_usage(error, lang)
    text = error.message
    if text == "Missing command.":
        return MISSING_COMMAND.render(lang)
    found = _NO_SUCH_COMMAND.fullmatch(text)
    if found:
        return _no_such_command(error, found["name"][1:-1], lang)
    found = _EXTRA_ARGS.fullmatch(text)
    if found:
        return EXTRA.render(lang, args=found["args"])
    return text


def _names(names: Sequence[str], lang: str) -> str:
    names = list(names)
    if len(names) <= 1:
        return "".join(names)
    return _LIST[lang].join(names[:-1]) + _OR[lang] + names[-1]


def _no_such_option(error: exc.NoSuchOption, lang: str) -> str:
    from typer._click.utils import _escape_control_characters

    name = _escape_control_characters(error.option_name)
    if error.message != f"No such option: {name}":  # a message of its own
        return error.message
    text = NO_OPTION.render(lang, name=name)
    if error.possibilities:
        text = MAYBE.render(lang, message=text, names=_names(sorted(error.possibilities), lang))
    return text


def _no_such_command(error: exc.UsageError, name: str, lang: str) -> str:
    from difflib import get_close_matches

    text = NO_COMMAND.render(lang, name=name)
    commands = list(getattr(error.ctx.command, "commands", {})) if error.ctx else []
    matches = get_close_matches(name, commands)
    if matches:
        text = MAYBE.render(lang, message=text.rstrip("."), names=_names(matches, lang))
    return text


def _hint(error: exc.BadParameter, lang: str) -> str | None:
    """The parameter named as the user would type it: ``--limit / -n``, ``NO``."""
    if error.param_hint is not None:
        hint = error.param_hint
        return hint if isinstance(hint, str) else " / ".join(hint)
    param = error.param
    if param is None:
        return None
    if param.param_type_name != "option":
        return param.human_readable_name
    hint = " / ".join(param.opts)
    if getattr(param, "show_envvar", False) and isinstance(param.envvar, str):
        hint = ENV_HINT.render(lang, hint=hint, var=param.envvar)
    return hint


def _missing(error: exc.MissingParameter, lang: str) -> str:
    hint = _hint(error, lang) or ""
    kind = error.param_type or (error.param.param_type_name if error.param else "parameter")
    text = MISSING.get(kind, MISSING["parameter"]).render(lang, hint=hint).replace(" .", ".")
    choices = _choices(error.param, error.ctx, lang)
    if choices:
        text += ("；" if lang == "zh" else " ") + CHOOSE.render(lang, choices=choices)
    return text


def _choices(param: Any, ctx: Any, lang: str) -> str | None:
    type_ = getattr(param, "type", None)
    if not hasattr(type_, "_normalized_mapping"):
        return None
    return _LIST[lang].join(type_._normalized_mapping(ctx=ctx).values())


def _bad_parameter(error: exc.BadParameter, lang: str) -> str:
    detail = _type_detail(error, lang)
    hint = _hint(error, lang)
    text = error.message if detail is None else detail
    if hint is None:
        return INVALID_BARE.render(lang, message=text)
    return INVALID.render(lang, hint=hint, message=text)


def _value(text: str, suffix: str) -> str | None:
    """What the user typed, as Click's message quotes it (``'xml'``, ``0``), when the message
    is ``<value><suffix>``; None for any other message."""
    return text[:-len(suffix)] if text.endswith(suffix) and len(text) > len(suffix) else None


def _type_detail(error: exc.BadParameter, lang: str) -> str | None:
    """Click's reason for a value its type refused, said anew; None when the message is not
    one of Click's (a command's own, kept as written)."""
    param, text = error.param, error.message
    type_ = getattr(param, "type", None)
    if type_ is None:
        return None
    if hasattr(type_, "_normalized_mapping"):  # a choice
        values = type_._normalized_mapping(ctx=error.ctx).values()
        value = _value(text, " is not one of " + ", ".join(map(repr, values)) + ".")
        if value is not None:
            return NOT_ONE_OF.render(lang, value=value, choices=_LIST[lang].join(values))
        return None
    if isinstance(type_, types._NumberParamTypeBase):
        value = _value(text, f" is not a valid {type_.name}.")
        if value is not None:
            integer = isinstance(type_, types.IntParamType)
            return (NOT_INT if integer else NOT_NUMBER).render(lang, value=value)
    if isinstance(type_, types._NumberRangeBase):
        value = _value(text, f" is not in the range {type_._describe_range()}.")
        if value is not None:
            return OUT_OF_RANGE.render(lang, value=value, rule=range_rule(type_, lang))
    return None


def _bad_option_usage(error: exc.BadOptionUsage, lang: str) -> str:
    name = error.option_name
    if error.message == f"Option {name!r} requires an argument.":
        return NEEDS_VALUE.render(lang, name=name)
    found = re.fullmatch(rf"Option {re.escape(repr(name))} requires (\d+) arguments\.",
                         error.message)
    if found:
        return NEEDS_VALUES.render(lang, name=name, n=found[1])
    if error.message == f"Option {name!r} does not take a value.":
        return TAKES_NO_VALUE.render(lang, name=name)
    return error.message
