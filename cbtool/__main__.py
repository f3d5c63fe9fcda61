"""Entry point of the ``cbtool`` command and ``python -m cbtool``.

``cbtool --version`` is answered before the command-line framework is imported, so
scripts that probe the version pay for nothing else.

Standard output that cannot be written (``> /dev/full``, a full disk) ends the command
with one line and exit 3 — whether a write fails mid-command or only the final flush —
never a traceback or an "Exception ignored" block; a closed pipe (``| head``) is quiet.
"""

import contextlib
import os
import sys


def main() -> None:
    code: object = 0
    try:
        if sys.argv[1:] == ["--version"]:
            from cbtool import __version__

            sys.stdout.write(f"cbtool {__version__}\n")
        else:
            from cbtool.cli import main as cli_main

            cli_main()
    except SystemExit as exc:
        code = exc.code
    except OSError as exc:
        if exc.filename is not None:  # not a write to standard output: a bug, show it
            raise
        code = _output_failed(exc, 0)
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
    """The session's language, as the root callback would have chosen it: --lang, then
    CBTOOL_LANG, then the config's ``language``."""
    argv = sys.argv[1:]
    values = {}
    for i, arg in enumerate(argv):
        for name in ("--lang", "--config"):
            if arg == name and i + 1 < len(argv):
                values[name] = argv[i + 1]
            elif arg.startswith(name + "="):
                values[name] = arg.split("=", 1)[1]
    if values.get("--lang") in ("zh", "en"):
        return values["--lang"]
    if os.environ.get("CBTOOL_LANG") in ("zh", "en"):
        return os.environ["CBTOOL_LANG"]
    try:
        from cbtool.config import load_config

        return load_config(values.get("--config")).language
    except Exception:  # noqa: BLE001 - the config's own error is not this line's business
        return "zh"


if __name__ == "__main__":
    main()
