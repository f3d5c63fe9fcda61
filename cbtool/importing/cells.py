"""Parsing a file's cells with the domain's validators: an error is a value, never raised."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

from cbtool import fields as f
from cbtool.cells import unguard as cell_unguard
from cbtool.errors import FieldError
from cbtool.importing.messages import BAD_TEXT, BAD_VALUE
from cbtool.importing.stage import CACHE_LIMIT

_SURROGATE = re.compile("[\ud800-\udfff]")

Parse = Callable[[str | None], Any]  # returns the value, or a FieldError


def guarded(name: str, parser: Callable[[object], object], required: bool,
             check_text: bool = False, unguard: bool = True) -> Parse:
    """A parser of one cell that returns its FieldError instead of raising it. A validator
    crashing on odd text (a bug) still becomes a clean row problem, never a traceback.
    With ``unguard`` (CSV/TSV, the formats the export neutralises) the export's formula
    guard (``'=SUM(1)``) is undone first; ``check_text`` (JSON, which can carry them)
    rejects lone surrogates."""
    missing = FieldError(name, f.REQUIRED)
    surrogate = _SURROGATE.search

    def parse(text: str | None) -> Any:
        if text is None:
            if required:
                return missing
        elif unguard and text[0] == "'":
            text = cell_unguard(text)  # the export's formula guard, undone
        if check_text and text is not None and surrogate(text):
            return FieldError(name, BAD_TEXT)
        try:
            return parser(text)
        except FieldError as exc:
            exc.__traceback__ = None
            return exc
        except (ValueError, TypeError, OverflowError, LookupError):
            return FieldError(name, BAD_VALUE, value=text)

    return parse


def column_parser(parse: Parse, cache: dict[str | None, Any] | None
            ) -> Callable[[Sequence[str | None]], list[Any]]:
    """Parse a column of cells (value or FieldError each). ``cache`` remembers the outcome
    per distinct text of fields whose values repeat (categories, areas, dates)."""
    if cache is None:
        return lambda texts: list(map(parse, texts))
    get = cache.get

    def column(texts: Sequence[str | None]) -> list[Any]:
        new = set(texts).difference(cache)
        if not new:
            return list(map(get, texts))
        results = {text: parse(text) for text in new}
        if len(cache) + len(results) <= CACHE_LIMIT:
            cache.update(results)
            return list(map(get, texts))
        for text in new:
            if len(cache) >= CACHE_LIMIT:
                break
            cache[text] = results[text]
        return list(map(get, texts, map(results.get, texts)))

    return column
