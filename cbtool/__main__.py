"""Entry point of the ``cbtool`` command and ``python -m cbtool``.

``cbtool --version`` is answered before the command-line framework is imported, so
scripts that probe the version pay for nothing else.

Arguments and ``CBTOOL_*`` variables that are not text in the system's encoding (GBK
bytes typed in a terminal while the locale says UTF-8 or C reach Python as lone
surrogates, which nothing can store or print) are refused here, in one line: usage
(exit 2) for an argument, environment (exit 3) for a variable.

Standard output that cannot be written (``> /dev/full``, a full disk, closed with ``>&-``)
ends the command with one line and exit 3 — whether a write fails mid-command or only the
final flush — never a traceback or an "Exception ignored" block; a closed pipe (``| head``)
is quiet. A closed standard error takes the messages to nowhere; a closed standard input
reads as empty.
"""

import contextlib
import errno
import io
import os
import sys

from cbtool import process
from cbtool.argv import session_lang

BAD_ARGUMENT = (
    "参数 {value} 不是有效的文本（终端的编码与系统区域设置 {encoding} 不一致？）；"
    "文件名如此的文件请改名，或用 - 从标准输入读取",
    "the argument {value} is not valid text (does the terminal's encoding match the "
    "locale, {encoding}?); rename such a file, or read it from standard input with -",
)
BAD_VARIABLE = (
    "环境变量 {name} 的值 {value} 不是有效的文本（编码与系统区域设置 {encoding} 不一致？）",
    "the environment variable {name} holds {value}, which is not valid text (its encoding "
    "does not match the locale, {encoding}?)",
)


def _is_text(value: str) -> bool:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:  # lone surrogates: undecodable bytes, escaped
        return False
    return True


def _shown(value: str) -> str:
    """The bytes as given, undecodable ones as ``\\xd5``: safe to print, and recognisable."""
    return os.fsencode(value).decode("utf-8", "backslashreplace")


def _refuse_undecodable() -> int:
    """0, or the exit code after saying which argument or variable is not text."""
    args = sys.argv[1:]
    lang = os.environ.get("CBTOOL_LANG")
    for i, arg in enumerate(args):
        if arg == "--lang" and i + 1 < len(args):
            lang = args[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    en = lang == "en"
    encoding = sys.getfilesystemencoding()
    for arg in args:
        if not _is_text(arg):
            message = BAD_ARGUMENT[en].format(value=_shown(arg), encoding=encoding)
            sys.stderr.write(message + "\n")
            return 2
    for name, value in sorted(os.environ.items()):
        if name.startswith("CBTOOL_") and not _is_text(value):
            message = BAD_VARIABLE[en].format(name=name, value=_shown(value), encoding=encoding)
            sys.stderr.write(message + "\n")
            return 3
    return 0


class _Closed(io.TextIOBase):
    """Standard output closed before cbtool started (``>&-``; Python leaves it None): any
    write fails as a write to a closed descriptor does, and is said as such (exit 3)."""

    encoding, errors = "utf-8", "strict"

    def writable(self) -> bool:
        return True

    def write(self, text: str) -> int:
        raise OSError(errno.EBADF, os.strerror(errno.EBADF))

    def isatty(self) -> bool:
        return False


def _stand_in_for_closed_streams() -> None:
    """Streams closed before cbtool started (Python leaves them None): standard input reads
    as empty (``import -`` finds no rows; nothing waits for an answer), standard output
    refuses writes (``_Closed``), standard error writes to nowhere."""
    if sys.stdin is None:
        sys.stdin = open(os.devnull, encoding="utf-8")  # noqa: SIM115 - for the process
    if sys.stdout is None:
        sys.stdout = _Closed()
    if sys.stderr is None:
        sys.stderr = open(os.devnull, "w", encoding="utf-8")  # noqa: SIM115 - for the process


def main() -> None:
    code: object = 0
    process.starting()
    _stand_in_for_closed_streams()
    try:
        if sys.argv[1:] == ["--version"]:
            from cbtool import __version__

            sys.stdout.write(f"cbtool {__version__}\n")
        elif refused := _refuse_undecodable():
            code = refused
        else:
            from cbtool.cli import main as cli_main

            cli_main()
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:
        if exc.filename is not None:  # not a write to standard output: a bug, show it
            raise
        code = _output_failed(exc, 0)
    finally:
        process.started()  # (done already once the command was built) the collector back on
    try:
        sys.stdout.flush()
    except OSError as exc:
        code = _output_failed(exc, code)
    if code not in (0, None):
        _quiet_finalisers()
    sys.exit(code)


def _quiet_finalisers() -> None:
    """After a failed command, what a library abandoned mid-write (an unfinished zip, a
    worksheet's stream on a full disk) is finalised now and silently: the one line
    already said what failed, and "Exception ignored" blocks would only bury it."""
    import gc

    sys.unraisablehook = lambda _unraisable: None
    gc.collect()


def _output_failed(exc: OSError, code: object) -> object:
    """Standard output failed: say so in one line (exit 3) unless the command had already
    failed or the reader just went away; either way, nothing more is written to it."""
    with contextlib.suppress(OSError, ValueError, AttributeError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, sys.stdout.fileno())  # the interpreter's last flush now succeeds
        os.close(null)
    if isinstance(exc, BrokenPipeError) or code not in (0, None):
        return code
    from cbtool.files import stdout_error

    err = stdout_error(exc)
    try:
        sys.stderr.write(err.message(_lang()) + "\n")
        sys.stderr.flush()
    except (OSError, ValueError):
        pass
    return err.exit_code


def _lang() -> str:
    return session_lang(sys.argv[1:])


def run() -> None:
    """The installed ``cbtool`` command (and ``python -m cbtool``): ``main``, then leave
    without the interpreter's teardown (``cbtool.process``)."""
    try:
        main()
    except SystemExit as exc:
        process.leave(exc.code)
    process.leave(0)


if __name__ == "__main__":
    run()
