"""The ``cbtool`` process's start and end, which a short command pays for as much as for its
work: the interpreter imports the command-line framework with its cyclic garbage collector
running over every new module, and on exit tears down every module it loaded.

- ``starting()`` holds the collector off while the framework is imported and the command is
  built (nothing made then is garbage); ``started()`` moves all of it out of the
  collector's sight (``gc.freeze``) and turns the collector back on before the command
  does its work, so a long import collects as always, without walking the start-up's
  objects again.
- ``leave(code)`` ends the process as ``sys.exit(code)`` does, less the teardown: the
  ``atexit`` functions run, standard output and error are flushed, then ``os._exit``.
  Everything cbtool writes is closed (and, for a file, renamed into place) before its
  command returns, and the database connection is closed by the command, so nothing is
  left to the teardown but freeing memory.

Only the installed command and ``python -m cbtool`` do this; code that imports cbtool (the
tests, a script) keeps the interpreter's own behaviour.
"""

from __future__ import annotations

import gc
import os
import sys
from typing import NoReturn

_held = False  # the collector is off because starting() turned it off


def starting() -> None:
    global _held
    if gc.isenabled():
        gc.disable()
        _held = True


def started() -> None:
    global _held
    if _held:
        _held = False
        gc.freeze()
        gc.enable()


def leave(code: object) -> NoReturn:
    """Exit with ``code`` as ``sys.exit`` would (None is 0, an int itself, anything else
    printed to standard error and 1), without the interpreter's teardown."""
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code
    else:
        _write(sys.stderr, f"{code}\n")
        status = 1
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        _flush(stream)
    os._exit(status & 0xFF)


def _write(stream, text: str) -> None:
    try:
        stream.write(text)
    except (OSError, ValueError, AttributeError):
        pass


def _flush(stream) -> None:
    try:
        stream.flush()
    except (OSError, ValueError, AttributeError):
        pass
