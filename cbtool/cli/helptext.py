"""The language of the help: Chinese as written in the command modules, English from the
table in ``help_en`` (imported only for ``--lang en``), put on the built Click tree just
before it runs.

The language is decided from the command line before anything is parsed: the root's
``--lang``, then ``CBTOOL_LANG`` (see ``language``)."""

from __future__ import annotations

import contextlib
import functools
import sys
from collections.abc import Iterator, Sequence
from typing import Any

import typer
from typer._click.exceptions import UsageError
from typer._click.formatting import HelpFormatter
from typer.core import TyperGroup
from typer.exceptions import Abort

from cbtool.cli.ranges import range_rule


def _wide(ch: str) -> bool:
    """A CJK ideograph or full-width punctuation: two columns on a terminal."""
    return ("\u3000" <= ch <= "\u303f" or "\u3400" <= ch <= "\u9fff"
            or "\uf900" <= ch <= "\ufaff" or "\uff00" <= ch <= "\uffef")


def has_cjk(text: str | None) -> bool:
    """Whether ``text`` holds Chinese; a loop, not a regular expression: compiling that
    character class costs milliseconds at start-up."""
    return any(_wide(ch) for ch in text or "")


_NO_LINE_START = set("，。；：、）」』》！？")
_NO_LINE_END = set("（「『《[")


def wrap_wide(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` terminal columns, a Chinese character
    counting two (Click counts one, so its Chinese lines ran past the terminal): breaks
    between Chinese characters or at spaces; a closing mark such as ，。） never starts a
    line (the character before it moves down with it), an opening one such as （[ never ends
    one."""
    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        line: list[str] = []
        used = 0
        for token in _tokens(paragraph.replace("\n", " ").strip()):
            if used + _columns(token) > width and "".join(line).strip():
                held = token in _NO_LINE_START or line[-1] in _NO_LINE_END
                carry = [line.pop()] if held and len(line) > 1 else []
                lines.append("".join(line).rstrip())
                line, used = carry, sum(map(_columns, carry))
                if token == " " and not line:
                    continue
            line.append(token)
            used += _columns(token)
        lines.append("".join(line).rstrip())
        lines.append("")
    return lines[:-1]


def _columns(token: str) -> int:
    return sum(2 if _wide(ch) else 1 for ch in token)


_MARK_COLUMNS = 30  # a longer mark in brackets wraps as any text


def _tokens(text: str) -> Iterator[str]:
    """Each Chinese character, each space, each run of other characters (a word); a short
    mark in brackets (``[环境变量：CBTOOL_DB]``, ``[须在 0 到 150 之间]``) is one word, never
    broken."""
    word = ""
    mark_end = -1
    for i, ch in enumerate(text):
        if i < mark_end:
            continue
        if ch == "[" and not word:
            close = text.find("]", i)
            if close > i and _columns(text[i:close + 1]) <= _MARK_COLUMNS:
                mark_end = close + 1
                yield text[i:mark_end]
                continue
        if _wide(ch) or ch == " ":
            if word:
                yield word
                word = ""
            yield ch
        else:
            word += ch
    if word:
        yield word


# Click's and Typer's own words on a help page, in Chinese (their English is theirs).
HEADINGS_ZH = {"Options": "选项", "Arguments": "参数", "Commands": "命令"}
_MARKS_ZH = (("[env var: ", "[环境变量："), ("[default: ", "[默认："), ("[required]", "[必填]"),
             ("; default: ", "；默认："), ("; required]", "；必填]"), ("; env var: ", "；环境变量："),
             ("; 须", "；须"))
USAGE_ZH = "用法："


def marks_zh(text: str) -> str:
    """``[env var: X; default: 1; required]`` as ``[环境变量：X；默认：1；必填]``."""
    for english, chinese in _MARKS_ZH:
        text = text.replace(english, chinese)
    return text


class WideFormatter(HelpFormatter):
    """Click's help formatter for the Chinese help: wraps Chinese by columns (English as
    Click does) and says Click's own words (用法, 选项, 参数, 命令, 默认, 必填) in Chinese."""

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        super().write_usage(prog, args, USAGE_ZH if prefix is None else prefix)

    def write_heading(self, heading: str) -> None:
        self.write(f"{'':>{self.current_indent}}{HEADINGS_ZH.get(heading, heading)}：\n")

    def write_text(self, text: str) -> None:
        if not has_cjk(text):
            return super().write_text(text)
        indent = " " * self.current_indent
        for line in wrap_wide(text, max(self.width - self.current_indent, 11)):
            self.write(f"{indent}{line}\n" if line else "\n")

    def write_dl(self, rows: Sequence[tuple[str, str]], col_max: int = 30,
                 col_spacing: int = 2) -> None:
        rows = [(first, marks_zh(second)) for first, second in rows]
        if not any(has_cjk(second) for _first, second in rows):
            return super().write_dl(rows, col_max, col_spacing)
        first_col = min(max((len(first) for first, _ in rows), default=0), col_max) + col_spacing
        indent = " " * self.current_indent
        for first, second in rows:
            self.write(f"{indent}{first}")
            if not second:
                self.write("\n")
                continue
            if len(first) <= first_col - col_spacing:
                self.write(" " * (first_col - len(first)))
            else:
                self.write("\n" + " " * (first_col + self.current_indent))
            lines = wrap_wide(second, max(self.width - first_col - 2, 10)) or [""]
            self.write(f"{lines[0]}\n")
            for line in lines[1:]:
                self.write(f"{'':>{first_col + self.current_indent}}{line}\n")


class CbContext(typer.Context):
    """A context that owns the usage errors raised while it parses: Click's parser raises
    some (``--limit`` without its value) without naming the command, which then shows no
    usage line."""

    @contextlib.contextmanager
    def scope(self, cleanup: bool = True) -> Iterator[CbContext]:
        try:
            with super().scope(cleanup) as rv:
                yield rv
        except UsageError as error:
            if error.ctx is None:
                error.ctx, error.cmd = self, self.command
            raise


class WideContext(CbContext):
    formatter_class = WideFormatter

HELP_ZH = "显示本帮助并退出"
# Typer's own options (added with completion) in Chinese; their English is Typer's.
TYPER_ZH = {
    "install_completion": "为当前的 shell 安装命令补全（Tab 键补全命令和选项）",
    "show_completion": "显示当前 shell 的补全脚本，可复制或自行安装",
}


# Typer 0.28 shows a plain text or number option as ``<str>`` / ``<int>``; Click's words read better.
_METAVARS = {"str": "TEXT", "text": "TEXT", "int": "N", "integer": "N"}


def language(args: list[str]) -> str:
    """``zh`` or ``en``: the root's ``--lang``, else ``CBTOOL_LANG``
    (``cbtool.argv.session_lang``). Not the config's ``language``: finding the user's
    config imports platformdirs, which would make every ``--help`` slower (about 4%)."""
    from cbtool.argv import session_lang

    return session_lang(args, read_config=False)


def walk(command: Any, path: str = "") -> Iterator[tuple[str, Any]]:
    """(``members add``, command) for the command and every one below it ("" the root)."""
    yield path, command
    for name, sub in getattr(command, "commands", {}).items():
        yield from walk(sub, f"{path} {name}".strip())


def apply(command: Any, lang: str, args: Sequence[str] = ()) -> None:
    """Put the help texts of ``lang`` on the built tree (in place); ``args``, the command
    line, names the commands whose own ``--help`` may be shown. The texts as written are
    kept on first use, so a tree built once and run again in the other language (the
    tests, a Python caller) says that language's texts."""
    en = lang == "en"
    if en:
        from cbtool.cli.help_en import COMMANDS, OPTIONS
    for path, cmd in walk(command):
        help_, short = _written(cmd, "help", "short_help")
        cmd.help = COMMANDS.get(path, help_) if en else help_
        cmd.short_help = short if en or short is not None or not help_ else short_zh(help_)
        cmd.context_class = CbContext if en else WideContext
        for param in cmd.params:
            if param.metavar is None and getattr(param.type, "name", None) in _METAVARS:
                param.metavar = _METAVARS[param.type.name]
            if hasattr(param.type, "_describe_range"):  # said by the help and by its error
                param.type._describe_range = functools.partial(range_rule, param.type, lang)
            (text,) = _written(param, "help")
            if text and en:
                param.help = OPTIONS.get(text, text)
            elif cmd is command and param.name in TYPER_ZH:
                param.help = text if en else TYPER_ZH[param.name]
            else:
                param.help = text
    # Click makes --help on first use and keeps it: made now, it says it in the language.
    names = command.context_settings.get("help_option_names", ["--help"])
    for cmd in _named(command, args):
        option = cmd.get_help_option(typer.Context(cmd, help_option_names=names))
        if option is not None:
            (text,) = _written(option, "help")
            option.help = text if en else HELP_ZH


def _written(thing: Any, *names: str) -> tuple[Any, ...]:
    """The attributes ``names`` of a command or parameter as first seen (as written)."""
    kept = thing.__dict__.setdefault("_cbtool_written", {})
    return tuple(kept.setdefault(name, getattr(thing, name, None)) for name in names)


def _named(command: Any, args: Sequence[str]) -> Iterator[Any]:
    """The root and each command below it that ``args`` names, in order (no args: every
    command of the tree, as the tests and the docs walk it)."""
    if not args:
        yield from (cmd for _path, cmd in walk(command))
        return
    yield command
    for word in args:
        sub = getattr(command, "commands", {}).get(word)
        if sub is not None:
            command = sub
            yield command


def short_zh(text: str) -> str:
    """A command's line in its group's list: Click cuts help at the first ". ", which
    Chinese has not, and counts characters, not columns. The first sentence, or before
    its "：" when long, at most 30 characters."""
    first = text.strip()
    ends = [i for i in (first.find("。"), first.find("；")) if i >= 0]  # no pattern to compile
    first = first[:min(ends)] if ends else first
    head = first.split("：", 1)[0]
    if len(first) > 30 and len(head) >= 2:
        first = head
    return first if len(first) <= 30 else first[:29] + "…"


def untranslated(command: Any) -> list[str]:
    """What ``--lang en`` still shows in Chinese, after ``apply(command, "en")``: each
    command path or ``path --option`` with its text — what ``help_en`` lacks."""
    missing = []
    for path, cmd in walk(command):
        if has_cjk(cmd.help):
            missing.append(f"cbtool {path}".strip() + f": {cmd.help!r}")
        for param in cmd.params:
            if has_cjk(getattr(param, "help", None)):
                name = param.opts[0] if param.param_type_name == "option" else param.name
                missing.append(f"cbtool {path} {name}".replace("  ", " ") + f": {param.help!r}")
    return missing


class RootGroup(TyperGroup):
    """The root command: sets the language of the help before Click parses anything, and
    says the usage errors of every command below it in that language (``cli.usage``)."""

    lang = "zh"

    def main(self, args: Sequence[str] | None = None, *rest: Any, **extra: Any) -> Any:
        words = sys.argv[1:] if args is None else list(args)
        self.lang = language(words)
        apply(self, self.lang, words)
        return super().main(args, *rest, **extra)

    @contextlib.contextmanager
    def _localized(self) -> Iterator[None]:
        try:
            yield
        except UsageError as error:
            from cbtool.cli.usage import localized

            try:
                said = localized(error, self.lang)
            except Exception:  # noqa: BLE001 - a wording not foreseen: Click's own, no traceback
                raise error from None
            if said is error:
                raise
            raise said from None

    def make_context(self, *args: Any, **extra: Any) -> typer.Context:
        with self._localized():
            return super().make_context(*args, **extra)

    def invoke(self, ctx: typer.Context) -> Any:
        try:
            with self._localized():
                return super().invoke(ctx)
        except (Abort, KeyboardInterrupt, EOFError):
            # Ctrl-C or end of input, at a question or mid-way: said in the user's
            # language (Click's is "Aborted!"); what was being written is rolled back.
            print("\n已中止" if self.lang == "zh" else "\naborted", file=sys.stderr)
            raise SystemExit(1) from None
