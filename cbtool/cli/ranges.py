"""A number range (Click's ``IntRange``, ``FloatRange``) as a person reads it: said in a
command's help (``helptext``) and in the error of a value out of it (``usage``)."""

from __future__ import annotations

from typing import Any

# A bound at least this large (SQLite's largest integer, the cap of a --limit) is no bound
# a person needs to read: the range is said from its other end only.
UNBOUNDED = 2**63 - 1
# A number range, by which of its ends bind (open: the bound itself is excluded).
RANGES = {
    "min": ("须不小于 {min}", "must be at least {min}"),
    "min_open": ("须大于 {min}", "must be greater than {min}"),
    "max": ("须不大于 {max}", "must be at most {max}"),
    "max_open": ("须小于 {max}", "must be less than {max}"),
    "both": ("须在 {min} 到 {max} 之间", "must be between {min} and {max}"),
}


def range_rule(type_: Any, lang: str) -> str:
    """A number range (Click's ``IntRange``, ``FloatRange``) as a person reads it, in the help
    and in its error: ``须不小于 1`` rather than ``1<=x<=9223372036854775807``."""
    def said(key: str, **bounds: object) -> str:
        return RANGES[key][lang == "en"].format(**bounds)

    low = type_.min if type_.min is not None and abs(type_.min) < UNBOUNDED else None
    high = type_.max if type_.max is not None and abs(type_.max) < UNBOUNDED else None
    parts = []
    if low is not None and high is not None and not (type_.min_open or type_.max_open):
        return said("both", min=low, max=high)
    if low is not None:
        parts.append(said("min_open" if type_.min_open else "min", min=low))
    if high is not None:
        parts.append(said("max_open" if type_.max_open else "max", max=high))
    return ("、" if lang == "zh" else ", ").join(parts)
