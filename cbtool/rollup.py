"""The district roll-up: many offices' report JSONs in, one document of the same shape out.

Each office's ``report --format json`` carries counts only and says who it is from
(``office``), for which period and day (``period``, ``as_of``), what made it (``tool``,
``schema``). ``roll_up(paths, period, config)`` reads them (directories scanned for
``*.json``), refuses what is not a whole-office report of that period, keeps the newer of
two reports from one unit, and sums every figure: the result has the report's shape (so
the report's renderers and a city's roll-up read it) plus ``units`` (each unit's own
figures) and ``rollup`` (what was expected, missing, refused, duplicated).

The summing rule, the same for every section, known or not (a section a later cbtool adds
rolls up with no change here): numbers add; tables of numbers add key by key; a list of
codes (``idle_points``) becomes the list of every unit's, each prefixed ``UNIT/``; a
``by_…`` list (rows: ``by_area``, ``by_point``, one office's detail) is left empty, the
by-unit figures being in ``units``; any other list of tables is left out. A ratio (``rate``, ``share``…) is never added nor averaged:
the checklist's is computed again from the sums, an unknown section's is left out. A
setting (``stale_days``) is kept when every unit has the same, else left out. Money is
summed in fen (``amount_fen``); the yuan beside it (``amount``, text) is written again
from that sum.

Why one module of ~460 lines: reading many reports and summing them is one pass (the
rules one report must meet are in ``rollup_check``).
"""

from __future__ import annotations

import gc
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from cbtool import __version__
from cbtool.config import Config
from cbtool.errors import CbError, InvalidInput
from cbtool.fields import Period
from cbtool.rollup_check import (
    MAX_DEPTH,
    NUMBERS,
    REQUIRED,
    Refused,
    Unit,
    check,
    load,
    refuse_nested,
    report_files,
    sections_of,
)
from cbtool.summary import SCHEMA
from cbtool.text import Msg

# Keys never added up: a ratio of two counts (computed again where known, else left out).
RATIOS = frozenset({"rate", "share", "ratio", "pct", "percent", "average", "avg", "mean",
                    "median"})

DUPLICATE = Msg("单位 {code} 报送了两次：采用 {kept}（截至 {kept_as_of}），未采用 {dropped}（截至 {dropped_as_of}）",
                "unit {code} reported twice: {kept} (as of {kept_as_of}) is used, "
                "{dropped} (as of {dropped_as_of}) is not")
OWN = Msg("跳过 {file}：是本单位（{code}）自己的汇总", "skipped {file}: this office's ({code}) own roll-up")
MISSING = Msg("缺报：{codes}", "missing: {codes}")
UNEXPECTED = Msg("不在 [rollup] expect 名单中（已汇总）：{codes}",
                 "not in [rollup] expect (rolled up all the same): {codes}")
MISMATCH = Msg("{file}：{key} 与其他单位的类型不同，未计入",
               "{file}: {key} differs in type from the other units'; not counted")
NOTHING = Msg("没有可汇总的报告", "no report to roll up")
REFUSED = Msg("拒收 {n} 个文件，未写入（{opt_skip_invalid} 跳过它们，汇总其余的）",
              "{n} files refused; nothing written ({opt_skip_invalid} rolls up the rest)")
TALLY = Msg("单位 {units}，缺报 {missing}，拒收 {refused}",
            "units {units}, missing {missing}, refused {refused}")


@dataclass
class Rollup:
    """What ``roll_up`` did: the document (None when files were refused and not skipped)
    and every problem, each one message."""

    doc: dict[str, Any] | None
    units: list[Unit] = field(default_factory=list)
    refused: list[Refused] = field(default_factory=list)
    notes: list[tuple[Msg, dict[str, Any]]] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)

    def tally(self, lang: str = "zh") -> str:
        return TALLY.render(lang, units=len(self.units), missing=len(self.missing),
                            refused=len(self.refused))


# ---------------------------------------------------------------------------
# Finding and reading the files


# ---------------------------------------------------------------------------
# Checking one report




# ---------------------------------------------------------------------------
# Summing


def _is_ratio(key: str) -> bool:
    return key in RATIOS or key.rsplit("_", 1)[-1] in RATIOS


def _is_setting(key: str) -> bool:
    return key.endswith("_days")


_UNSET = object()
_ADD, _RATIO, _SETTING = range(3)  # what is done with a number, by its key


def _rule(key: str) -> int:
    return _RATIO if _is_ratio(key) else _SETTING if _is_setting(key) else _ADD


class _Sum:
    """Sums of one section's figures over the units (the module's rule)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.values: dict[str, Any] = {}
        self.settings: dict[str, Any] = {}  # dotted key -> the one value (_UNSET: differ)
        self.money: set[str] = set()  # dotted keys of yuan as text beside their …_fen
        self.rules: dict[str, int] = {}  # key -> _rule(key), worked out once

    def add(self, section: dict[str, Any], unit: Unit, notes: list) -> None:
        self._add(self.values, section, unit, notes, "")

    def _add(self, acc: dict, section: dict, unit: Unit, notes: list, path: str) -> None:
        rules = self.rules
        for key, value in section.items():
            kind = type(value)
            have = acc.get(key)
            if kind in NUMBERS:
                rule = rules.get(key)
                if rule is None:
                    rule = rules[key] = _rule(key)
                if rule == _ADD:
                    if have is None or type(have) in NUMBERS:
                        acc[key] = (have or 0) + value
                        continue
                elif rule == _RATIO:
                    continue
                else:
                    dotted = f"{path}.{key}" if path else key
                    same = self.settings.get(dotted, value) == value
                    self.settings[dotted] = value if same else _UNSET
                    continue
            elif kind is dict:
                if have is None or type(have) is dict:
                    self._add(acc.setdefault(key, {}), value, unit, notes,
                              f"{path}.{key}" if path else key)
                    continue
            elif kind is list:  # codes (rows are emptied by check)
                if have is None or type(have) is list:
                    code = unit.code
                    acc.setdefault(key, []).extend([f"{code}/{v}" for v in value])
                    continue
            else:
                if kind is str and f"{key}_fen" in section:
                    self.money.add(f"{path}.{key}" if path else key)
                continue
            dotted = f"{path}.{key}" if path else key
            notes.append((MISMATCH, {"file": unit.file, "key": f"{self.name}.{dotted}"}))

    def result(self, acc: dict | None = None, path: str = "") -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in (self.values if acc is None else acc).items():
            if isinstance(value, dict):
                out[key] = self.result(value, f"{path}.{key}" if path else key)
            elif isinstance(value, float):
                out[key] = round(value, 6)  # the sum of 0.1 and 0.2 is 0.3
            else:
                out[key] = value
        for dotted, value in self.settings.items():
            head, _, key = dotted.rpartition(".")
            if head == path and value is not _UNSET:
                out[key] = value
        for dotted in self.money:  # "12.30" from the summed 1230 fen: money stays exact
            head, _, key = dotted.rpartition(".")
            fen = out.get(f"{key}_fen")
            if head == path and type(fen) is int:
                out[key] = f"{fen // 100}.{fen % 100:02d}"
        return out


def figures(section: dict[str, Any], depth: int = 0) -> dict[str, Any]:
    """One unit's figures of a section, for its row in ``units``: numbers and tables of
    them as they are, a list of codes counted (``idle_points``: how many), the yuan
    beside its fen; rows (``by_area``, ``by_point``) and other text left out."""
    if set(map(type, section.values())) <= NUMBERS:  # a table of numbers: all of it
        return dict(section)
    out: dict[str, Any] = {}
    for key, value in section.items():
        kind = type(value)
        if kind in NUMBERS:
            out[key] = value
        elif kind is dict:
            if depth < MAX_DEPTH:
                out[key] = figures(value, depth + 1)
        elif kind is list:
            if not key.startswith("by_"):  # by_…: rows, left out
                out[key] = len(value)
        elif kind is str and f"{key}_fen" in section:  # yuan beside its fen
            out[key] = value
    return out


def _rate(checklist: dict[str, Any]) -> float:
    points = checklist.get("points") or 0
    return round(checklist.get("compliant", 0) / points, 4) if points else 0.0


def _unit_row(unit: Unit) -> dict[str, Any]:
    doc = unit.doc
    office = doc["office"]
    row: dict[str, Any] = {"code": unit.code, "name": office.get("name"),
                           "parent": office.get("parent"), "as_of": unit.as_of,
                           "file": unit.file, "schema": doc["schema"]}
    if isinstance(doc.get("units"), list):  # a district's document, rolled up by a city
        row["units"] = len(doc["units"])
    for name in sections_of(doc):
        row[name] = figures(doc[name])
    row["checklist"]["rate"] = _rate(row["checklist"])
    return row


def combine(units: list[Unit], period: Period, config: Config
            ) -> tuple[dict[str, Any], list[tuple[Msg, dict[str, Any]]]]:
    """The roll-up document of checked, distinct units (in the order given), and the
    figures left out for differing from the other units' (notes)."""
    sums: dict[str, _Sum] = {}
    labels: dict[str, dict[str, str]] = {}
    items: list[str] = []
    notes: list = []
    for unit in units:
        doc = unit.doc
        for name in sections_of(doc):
            sums.setdefault(name, _Sum(name)).add(doc[name], unit, notes)
        for vocab, table in doc.get("labels", {}).items():
            merged = labels.setdefault(vocab, {})
            if not table.keys() <= merged.keys():  # the first unit's text of each kept
                for key, text in table.items():
                    merged.setdefault(key, text)
        items += [i for i in doc["checklist"]["items"] if i not in items]
    out: dict[str, Any] = {
        "period": period.as_dict(),
        "as_of": max((u.as_of for u in units), default=period.as_of().isoformat()),
        "area": None,
    }
    for name, summed in sums.items():
        out[name] = summed.result()
    for name in REQUIRED:
        out.setdefault(name, {})
    members, logs, checklist = out["members"], out["logs"], out["checklist"]
    members["by_area"] = []
    logs["by_point"] = []
    logs["hours"] = round(logs.get("hours", 0), 2)
    checklist.pop("by_point", None)
    checklist["rate"] = _rate(checklist)
    checklist["items"] = items
    checklist["missing"] = {i: checklist.get("missing", {}).get(i, 0) for i in items}
    out["labels"] = labels
    out["office"] = {"code": config.office_code, "name": config.office_name,
                     "parent": config.office_parent}
    out["tool"] = {"name": "cbtool", "version": __version__}
    out["schema"] = SCHEMA
    out["units"] = [_unit_row(u) for u in units]
    return out, notes


# ---------------------------------------------------------------------------
# The whole roll-up


def _identity(path: str | os.PathLike) -> tuple[int, int] | None:
    """The file at ``path`` (device and inode, through links), None if it is not there:
    one call, where resolving the path would look at each of its directories."""
    try:
        st = os.stat(path)
    except (OSError, ValueError):
        return None
    return st.st_dev, st.st_ino


@contextmanager
def collector_paused() -> Iterator[None]:
    """No cyclic garbage collection meanwhile. Reports are trees of plain values, freed
    as soon as they are let go; the collector, started again and again by the many
    tables a thousand reports make, would only walk the ones still held, for nothing.
    ``roll_up`` reads under it; the command holds it while writing the result too (a
    roll-up's document is as many tables again)."""
    if not gc.isenabled():
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()


SHARED_FROM = 200  # files from which a second process reads half of them


def _read_one(file: str, problem: Refused | None, period: Period) -> Unit | Refused:
    if problem is not None:
        return problem
    try:
        doc, mtime = load(file)
        unit = check(doc, file, period)
    except Refused as exc:
        return exc
    unit.mtime = mtime
    return unit


def read_units(files: list[tuple[str, Refused | None]], period: Period
               ) -> list[Unit | Refused]:
    """Each file read and checked, in order: its unit, or why it is refused. From
    ``SHARED_FROM`` files on, where the machine has a second core and ``fork``, a child
    process reads and checks the second half meanwhile (parsing JSON is most of a large
    roll-up's work) and hands its units back pickled; should the child fail in any way,
    the parent reads that half itself — the result is the same either way."""
    if len(files) < SHARED_FROM or (os.cpu_count() or 1) < 2 or not hasattr(os, "fork"):
        return [_read_one(file, problem, period) for file, problem in files]
    from cbtool.forked import fork_call

    half = len(files) // 2
    theirs = fork_call(lambda: [_read_one(file, problem, period)
                                for file, problem in files[half:]])
    mine = [_read_one(file, problem, period) for file, problem in files[:half]]
    rest = None
    if theirs is not None:
        try:
            rest = theirs.result()
        except Exception:  # the child died, was killed, or wrote nothing whole
            rest = None
    if rest is None:
        rest = [_read_one(file, problem, period) for file, problem in files[half:]]
    return mine + rest


def roll_up(paths: Iterable[str | os.PathLike], period: Period, config: Config, *,
            skip_invalid: bool = False, exclude: Iterable[str | os.PathLike] = (),
            lang: str = "zh") -> Rollup:
    """Read, check and sum the reports at ``paths`` for ``period``.

    A refused file (unreadable, not a cbtool report, another period, damaged figures)
    stops the roll-up (``doc`` None) unless ``skip_invalid``; two reports of one unit
    keep the later ``as_of`` (then the later file); the units of the config's
    ``[rollup] expect`` that did not report are ``missing``. ``exclude``: files never
    read (the roll-up's own output). ``lang``: of the problems written into ``rollup``
    and of the lists in the notes."""
    with collector_paused():
        return _roll_up(paths, period, config, skip_invalid=skip_invalid, exclude=exclude,
                        lang=lang)


def _roll_up(paths: Iterable[str | os.PathLike], period: Period, config: Config, *,
             skip_invalid: bool, exclude: Iterable[str | os.PathLike], lang: str) -> Rollup:
    skip = {same for same in map(_identity, exclude) if same is not None}
    result = Rollup(doc=None)
    chosen: dict[str, Unit] = {}
    files = [(file, problem) for file, problem in report_files(paths)
             if not (problem is None and skip and _identity(file) in skip)]
    for unit in read_units(files, period):
        if isinstance(unit, Refused):
            result.refused.append(unit)
            continue
        if config.office_code and unit.code == config.office_code:
            result.notes.append((OWN, {"file": unit.file, "code": unit.code}))
            continue
        other = chosen.get(unit.code)
        if other is not None:
            kept, dropped = ((unit, other) if (unit.as_of, unit.mtime) > (other.as_of, other.mtime)
                             else (other, unit))
            result.notes.append((DUPLICATE, {"code": unit.code, "kept": kept.file,
                                             "kept_as_of": kept.as_of, "dropped": dropped.file,
                                             "dropped_as_of": dropped.as_of}))
            unit = kept
        chosen[unit.code] = unit
    result.refused += refuse_nested(chosen)
    result.units = [chosen[code] for code in sorted(chosen)]
    expected = config.rollup_expect
    sep = ", " if lang == "en" else "、"
    result.missing = [code for code in expected if code not in chosen]
    if result.missing:
        result.notes.append((MISSING, {"codes": sep.join(result.missing)}))
    unexpected = [u.code for u in result.units if expected and u.code not in expected]
    if unexpected:
        result.notes.append((UNEXPECTED, {"codes": sep.join(unexpected)}))
    if result.refused and not skip_invalid:
        return result
    doc, notes = combine(result.units, period, config)
    result.notes += notes
    doc["rollup"] = {
        "expected": list(expected),
        "missing": result.missing,
        "unexpected": unexpected,
        "refused": [{"file": str(e.params.get("file", "")), "reason": e.message(lang)}
                    for e in result.refused],
        "duplicates": [{k: p[k] for k in ("code", "kept", "dropped")}
                       for m, p in result.notes if m is DUPLICATE],
    }
    result.doc = doc
    return result


def failure(result: Rollup) -> CbError | None:
    """The error that stops the command after a roll-up, if any: files refused (and not
    skipped), or nothing at all to roll up."""
    if result.doc is None:
        return InvalidInput(REFUSED, n=len(result.refused))
    if not result.units:
        return InvalidInput(NOTHING)
    return None
