"""What every command shares: the global state from the root callback, the option
aliases, opening the store, and turning cbtool's errors into one line and an exit code."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Annotated

import typer

from cbtool.cli.output import Fmt
from cbtool.errors import CbError, EnvError
from cbtool.text import Msg, field_label, pick, shown

if TYPE_CHECKING:  # the config (and the clock, sqlite3) load when a command first needs them
    from cbtool.config import Config

BAD_LANG = Msg("CBTOOL_LANG 应为 zh 或 en，实际是 {value!r}", "CBTOOL_LANG must be zh or en, not {value!r}")

FormatOpt = Annotated[
    Fmt, typer.Option("--format", "-f", help="输出格式：table | csv | tsv | json | jsonl | md",
                      case_sensitive=False)
]
# At most SQLite's largest integer: a bigger one cannot be a LIMIT (usage error, exit 2).
LimitOpt = Annotated[int, typer.Option("--limit", "-n", min=1, max=2**63 - 1,
                                       help="表格最多显示的行数")]
AllOpt = Annotated[bool, typer.Option("--all", help="表格显示全部行")]
RevealOpt = Annotated[bool, typer.Option("--reveal", help="完整显示电话和身份证号（默认打码）")]
# Aid recipients: their names and addresses are masked as well.
RevealAidOpt = Annotated[bool, typer.Option(
    "--reveal", help="完整显示困难对象的姓名、住址、电话和身份证号（默认打码）")]
YesOpt = Annotated[bool, typer.Option("--yes", "-y", help="不再询问确认")]


def complete_category(incomplete: str) -> list[tuple[str, str]]:
    """Tab completion of ``--category``: each key and Chinese label that starts so, with
    the other as its description (zsh, fish)."""
    from cbtool.vocab import CATEGORIES

    pairs = [pair for key in CATEGORIES.keys
             for pair in ((key, CATEGORIES.labels[key][0]), (CATEGORIES.labels[key][0], key))]
    return [pair for pair in pairs if pair[0].startswith(incomplete)]


class State:
    """Global options, set by the root callback (kept in ``ctx.obj``); the config read
    on first use (``config``)."""

    def __init__(self, db: str | None = None, config_path: str | None = None,
                 lang_option: str | None = None, operator: str | None = None) -> None:
        self.db = db
        self.config_path = config_path
        self.lang_option = lang_option
        self.operator = operator
        self._config: Config | None = None

    @property
    def lang(self) -> str:
        if self.lang_option:
            return self.lang_option
        env = os.environ.get("CBTOOL_LANG")
        if env in ("zh", "en"):
            return env
        return self._config.language if self._config else "zh"

    def config(self) -> Config:
        if self._config is None:
            env = os.environ.get("CBTOOL_LANG")
            if env and env not in ("zh", "en") and not self.lang_option:
                raise EnvError(BAD_LANG, value=env)
            from cbtool import clock
            from cbtool.config import load_config

            self._config = load_config(self.config_path)
            clock.set_timezone(self._config.timezone)  # today and times shown: local there
            for msg, params in self._config.warnings:
                warn(msg.render(self.lang, **params))
        return self._config

    def t(self, zh: str, en: str) -> str:
        return pick((zh, en), self.lang)


def state(ctx: typer.Context) -> State:
    root = ctx.find_root()
    if not isinstance(root.obj, State):
        root.obj = State()
    return root.obj


def warn(text: str) -> None:
    """The one place messages are printed: one line, data in it ``shown`` (no escape
    sequence, bidi override or line break reaches the terminal raw)."""
    sys.stderr.write(shown(text) + "\n")


def say(ctx: typer.Context, zh: str, en: str, **params: object) -> None:
    """A message for the user (stderr, so stdout stays data)."""
    warn(Msg(zh, en).render(state(ctx).lang, **params))


def changed_fields(ctx: typer.Context, changed: list[str], kind: str | None = None,
                   status: str | None = None) -> str:
    """What an edit changed, for its message: ``地址、状态改为停用`` (English: the keys,
    ``address, active``). ``status``: the record's state now, said for ``active``."""
    lang = state(ctx).lang
    if lang == "en":
        return ", ".join(changed)
    return "、".join(f"{field_label('status', lang)}改为{status}"
                    if k == "active" and status is not None else field_label(k, lang, kind)
                    for k in changed)


def one_line(text: str) -> str:
    """A message is one line safe for a terminal: control characters the user typed (line
    breaks, escape sequences) are shown escaped (``\\n``, ``\\x1b``) — ``text.shown``."""
    return shown(text)


def fail(text: str, code: int = 1) -> typer.Exit:
    warn(one_line(text))
    return typer.Exit(code)


def _database_error() -> type[Exception]:
    """sqlite3.DatabaseError, imported only once an exception is on its way (an ``except``
    clause's class is looked up then): a help page or a usage error never loads sqlite3."""
    import sqlite3

    return sqlite3.DatabaseError


@contextlib.contextmanager
def guard(ctx: typer.Context) -> Iterator[State]:
    """Run a command body; cbtool's errors become one line on stderr and the exit code."""
    st = state(ctx)
    try:
        yield st
    except CbError as exc:
        raise fail(exc.message(st.lang), exc.exit_code) from None
    except _database_error() as exc:
        from cbtool.db import translate

        err = translate(exc, st.db or "database")
        raise fail(err.message(st.lang), err.exit_code) from None
    except BrokenPipeError:
        with contextlib.suppress(Exception):
            sys.stdout = open(os.devnull, "w")  # noqa: SIM115 - silence the final flush
        raise typer.Exit(0) from None
    except KeyboardInterrupt:
        raise fail(st.t("已中断，未写入任何内容", "interrupted; nothing was written"), 130) from None


@contextlib.contextmanager
def session(ctx: typer.Context, *, write: bool = False, create: bool = False):
    """Open the store for one command; with ``write`` the body is one transaction."""
    from cbtool.fields import text_field
    from cbtool.store import open_store

    with guard(ctx) as st:
        command = command_name(ctx)
        operator = text_field("operator", st.operator, limit=50)  # --operator, CBTOOL_OPERATOR
        store = open_store(st.db, config=st.config(), operator=operator, command=command,
                           create=create)
        if store.backup:
            warn(Msg("数据库已升级（{names}），原文件备份在 {backup}",
                     "database upgraded ({names}); the old file is backed up at {backup}")
                 .render(st.lang, names=", ".join(store.migrated), backup=store.backup))
        try:
            if write:
                with store.transaction():
                    yield store
            else:
                yield store
        finally:
            store.close()


def command_name(ctx: typer.Context) -> str:
    """``members edit``: the command's words below the root, however cbtool was started."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def labeler(ctx: typer.Context):
    """(show kind, key) -> label in the session language, following the config's lists."""
    st = state(ctx)
    lang = st.lang
    from cbtool import vocab
    from cbtool.config import Config

    cfg = st._config or Config()

    vocabularies = {"category": vocab.CATEGORIES, "kind": cfg.kinds(), "item": cfg.items(),
                    "field": cfg.fields(),
                    "status": vocab.STATUSES, "reason": vocab.ARCHIVE_REASONS,
                    "channel": vocab.CHANNELS, "point_kind": vocab.POINT_KINDS,
                    "action": vocab.AUDIT_ACTIONS}

    def label(show: str, value: str) -> str:
        return vocabularies[show].label(value, lang) if show in vocabularies else value

    return label


def more_rows(ctx: typer.Context):
    st = state(ctx)
    return lambda n: st.t(f"…… 还有 {n} 条未显示（--limit N 或 --all 查看更多）",
                          f"… {n} more not shown (use --limit N or --all)")


def table_limit(fmt: Fmt, limit: int, show_all: bool) -> int | None:
    """Tables show at most ``limit`` rows; machine formats and --all stream everything."""
    if show_all or fmt is not Fmt.table:
        return None
    return limit


def stdin_is_terminal() -> bool:
    return sys.stdin.isatty()


CANCELLED = ("已取消，未写入任何内容", "cancelled; nothing was written")


def confirm(ctx: typer.Context, question: str, yes: bool) -> bool:
    """Ask on a terminal; without one (scripts, cron) never wait and go ahead. A no is
    said (``CANCELLED``) before the caller stops, so a declined command never exits 1
    without a word."""
    if yes or not stdin_is_terminal():
        return True
    if typer.confirm(question, default=False):
        return True
    warn(state(ctx).t(*CANCELLED))
    return False


def narrow(fmt: Fmt) -> bool:
    """A table on a terminal narrower than ``output.NARROW`` columns."""
    from cbtool.cli.output import narrow_terminal

    return fmt is Fmt.table and narrow_terminal()
