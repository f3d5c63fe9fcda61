"""Regular expressions compiled when first used, not when their module is imported.

A command pays for compiling only the patterns it uses: a listing never compiles the
phone, ID and date patterns that an import needs (compiling fifty patterns is a good part
of a short command's start-up). ``lazy(pattern)`` stands for ``re.compile(pattern)``;
after the first use, each method used (``match``, ``sub`` …) is the compiled pattern's
own, kept on the object, so a loop over a million rows pays nothing for the laziness.
"""

from __future__ import annotations

import re
from typing import Any


class LazyPattern:
    """``re.compile(pattern, flags)``, done on first use."""

    def __init__(self, pattern: str, flags: int = 0) -> None:
        self._source = (pattern, flags)

    @property
    def compiled(self) -> re.Pattern[str]:
        compiled = self.__dict__.get("_compiled")
        if compiled is None:
            compiled = self.__dict__["_compiled"] = re.compile(*self._source)
        return compiled

    def __getattr__(self, name: str) -> Any:  # only for names not yet kept on the object
        if name.startswith("__"):
            raise AttributeError(name)
        value = getattr(self.compiled, name)
        self.__dict__[name] = value  # the next lookup finds it here, at full speed
        return value

    def __repr__(self) -> str:
        return f"lazy({self._source[0]!r})"


def lazy(pattern: str, flags: int = 0) -> LazyPattern:
    return LazyPattern(pattern, flags)
