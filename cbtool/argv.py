"""What the command line says before it is parsed: the session's language, needed for
messages written before (or instead of) the command-line framework — an error at start-up,
the help. Imports nothing heavy."""

from __future__ import annotations

import os


def session_lang(argv: list[str], *, read_config: bool = True) -> str:
    """The session's language, as the root callback would have chosen it: --lang, then
    CBTOOL_LANG, then (unless ``read_config`` is false) the config's ``language``."""
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
    if not read_config:
        return "zh"
    try:
        from cbtool.config import load_config

        return load_config(values.get("--config")).language
    except Exception:  # noqa: BLE001 - the config's own error is not this line's business
        return "zh"
