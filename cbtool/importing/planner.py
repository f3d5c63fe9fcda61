"""Planning an import: one pass over a file — parse, find repeats, look up, classify, park."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from itertools import islice, repeat
from typing import Any

from cbtool.errors import FieldError, InvalidInput
from cbtool.importing.base import Importer, Row
from cbtool.importing.cells import column_parser, guarded
from cbtool.importing.headings import HEADINGS, heading_candidates, heading_map
from cbtool.importing.kinds import IMPORTERS
from cbtool.importing.messages import (
    EXTRA_CELLS,
    MISSING_COLUMNS,
    MISSING_FIELD,
    NOTHING_IN,
    SAME_FIELD,
)
from cbtool.importing.plan import Plan, Problem, RowWarning
from cbtool.importing.stage import CHUNK, KEEP, REJECTS, STAGE, drop_stage, page_cache
from cbtool.layout import sheet_params
from cbtool.store import Store
from cbtool.text import field_label, option


def _columns(importer: Importer, mapping: dict[str, str | None], headers: Iterable[str],
             name: str, unknown: dict[str, None], headings: dict[str, str],
             sheet: str | None = None) -> list[tuple[str, str, int, int]]:
    """(heading, field, bit, position) for the headings of a row; unknown ones noted in
    ``unknown``, the heading of each field in ``headings``."""
    cols: list[tuple[str, str, int, int]] = []
    seen: dict[str, str] = {}
    for pos, heading in enumerate(headers):
        if heading == "":
            continue
        target: str | None = None
        known = False
        for candidate in heading_candidates(heading):
            if candidate in mapping:
                target, known = mapping[candidate], True
                break
        if not known:
            unknown.setdefault(heading, None)
            continue
        if target is None:
            continue
        if target in seen:
            raise InvalidInput(SAME_FIELD, file=name, first=seen[target], second=heading,
                               label=field_label(target, "zh"), **sheet_params(sheet))
        seen[target] = heading
        headings.setdefault(target, heading)
        cols.append((heading, target, importer.bit[target], pos))
    return cols


def _examples(kind: str, names: list[str]) -> str:
    return ", ".join(f"{n}/{HEADINGS[kind][n][0]}" for n in names)


class _Planner:
    """One pass over the source: parse, find repeats, look up, classify, park."""

    def __init__(self, store: Store, kind: str, source: Any,
                 on_progress: Callable[[int], None] | None,
                 part: tuple[int, int, int] | None = None) -> None:
        if kind not in IMPORTERS:
            raise ValueError(f"unknown kind {kind!r}")
        self.store = store
        self.importer = IMPORTERS[kind](store)
        self.importer.source = source.name
        self.mapping = heading_map(kind)
        self.source = source
        self.on_progress = on_progress
        self.part = part  # (part, period, cut): only that part of the rows (as
        # ``tabular.Source.share`` splits them: a shared check); None: all
        self.sheet = getattr(source, "sheet", None)
        self.plan = Plan(kind=kind, source=source.name, format=source.format,
                         encoding=source.encoding, headers=list(source.headers),
                         importer=self.importer, sheet=self.sheet)
        self.unknown: dict[str, None] = {}
        self.headings: dict[str, str] = {}  # field -> its heading in the file
        self.reject_headers: dict[str, None] = {}
        self.check_json = source.format in ("json", "jsonl")
        imp = self.importer
        unguard = source.format in ("csv", "tsv")
        needed = imp.required if imp.cell_required is None else imp.cell_required
        self.column = {name: column_parser(guarded(name, imp.raw_parsers[name], name in needed,
                                              self.check_json, unguard),
                                     None if name in imp.unique else {})
                       for name in imp.fields}
        self.layouts: dict[tuple[str, ...], list] = {}

    def start(self) -> None:
        imp = self.importer
        cols = _columns(imp, self.mapping, self.source.headers, self.source.name, self.unknown,
                        self.headings, self.sheet)
        present = {c[1] for c in cols}
        missing = [n for n in imp.required if n not in present]
        empty_json = self.source.format in ("json", "jsonl") and not self.source.headers
        if missing and not empty_json and not self.source.headers:  # an empty file or sheet
            raise InvalidInput(NOTHING_IN, file=self.source.name,
                               examples=_examples(imp.kind, missing), **sheet_params(self.sheet))
        if missing and not empty_json:  # `[]` (an empty export) has no keys: nothing to do
            line = getattr(self.source, "header_line", None)
            row, sheet = option("header_row"), option("sheet")
            at = ((f"；表头取自第 {line} 行，表头在别处时用 {row} 指定行号"
                   + (f"、{sheet} 指定工作表" if self.sheet else ""),
                   f"; the headings were read from line {line}: give {row} N"
                   + (f" or {sheet} NAME" if self.sheet else "") + " if they are elsewhere")
                  if line else ("", ""))
            raise InvalidInput(MISSING_COLUMNS, file=self.source.name,
                               names=", ".join(missing),
                               examples=_examples(imp.kind, missing),
                               at_zh=at[0], at_en=at[1], **sheet_params(self.sheet))
        drop_stage(self.store)
        names = ", ".join(f'"{n}"' for n in imp.staged)
        self.store.execute(
            f"CREATE TEMP TABLE {STAGE} (line INTEGER PRIMARY KEY, k TEXT, action TEXT, "
            f"target, mask INTEGER, {names})")
        self.store.execute(f"CREATE INDEX temp.{STAGE}_k ON {STAGE} (k)")
        self.store.execute(f"CREATE TEMP TABLE {REJECTS} (line INTEGER PRIMARY KEY, raw TEXT, "
                           "zh TEXT, en TEXT)")

    def run(self) -> Plan:
        try:
            self.start()
        except InvalidInput as exc:  # headings: every data row is rejected with the file
            exc.rows = _readable_rows(self.source.cells())
            raise
        imp = self.importer
        read = [0]
        records = _counting(self.source.cells(), read)
        if self.part is not None:
            if self.source.format in ("csv", "tsv"):  # the other rows are only split
                self.source.share = self.part
            else:
                records = _one_part(records, *self.part)
        try:
            return self._run(imp, records)
        except InvalidInput as exc:  # the file stopped being readable at some row
            exc.rows = read[0]
            raise

    def _run(self, imp: Importer, records: Iterator[Any]) -> Plan:
        while batch := list(islice(records, CHUNK)):
            self.flush(self.parse_rows(batch))
            if len(batch) == CHUNK and self.on_progress:
                self.on_progress(batch[-1][0])
        if self.on_progress:
            self.on_progress(-1)
        plan = self.plan
        plan.unknown = list(self.unknown)
        plan.reject_headers = list(self.reject_headers)
        plan.inserted = imp.counts["inserted"]
        plan.updated = imp.counts["updated"]
        plan.unchanged = imp.counts["unchanged"]
        plan.encoding = self.source.encoding
        notes = getattr(self.source, "notes", None)
        plan.notes = notes() if notes else []
        return plan

    def layout(self, keys: tuple[str, ...]) -> list[tuple[str | None, str, Any, int, int]]:
        """(heading, field, column parser, bit, position in the record) for records with
        these keys; a required field they lack has heading None (JSON: every record has
        its own keys)."""
        cols = self.layouts.get(keys)
        if cols is None:
            imp = self.importer
            found = _columns(imp, self.mapping, keys, self.source.name, self.unknown,
                             self.headings, self.sheet)
            cols = [(h, n, self.column[n], b, p) for h, n, b, p in found]
            if self.check_json:
                have = {c[1] for c in cols}
                cols.extend((None, n, None, 0, -1) for n in imp.required if n not in have)
            self.layouts[keys] = cols
        return cols

    def parse_rows(self, batch: list[tuple[int, tuple[str, ...], list[str | None]]]
                   ) -> list[Row]:
        """Parse a batch of records column by column (one parser call per cell of the
        fields whose values rarely repeat; one dict look-up per cell of the others)."""
        keys = batch[0][1]
        groups: dict[tuple[str, ...], list[int]]
        if all(k is keys for _l, k, _v in batch):  # a grid: one tuple of keys
            groups = {keys: list(range(len(batch)))}
        else:
            groups = {}
            for i, (_l, k, _v) in enumerate(batch):
                groups.setdefault(k, []).append(i)
        rows: list[Row | None] = [None] * len(batch)
        for keys, where in groups.items():
            cols = self.layout(keys)
            records = [batch[i] for i in where] if len(where) < len(batch) else batch
            cells = list(zip(*[r[2] for r in records], strict=True)) if keys else []
            problems: dict[int, list[tuple[str | None, InvalidInput]]] = {}
            names: list[str] = []
            parsed: list[list[Any]] = []
            full = 0
            for heading, name, column, bit, pos in cols:
                if heading is None:
                    error = FieldError(name, MISSING_FIELD)
                    for j in range(len(records)):
                        problems.setdefault(j, []).append((None, error))
                    continue
                results = column(cells[pos])
                if any(map(isinstance, results, repeat(FieldError))):
                    for j, result in enumerate(results):
                        if isinstance(result, FieldError):
                            problems.setdefault(j, []).append((heading, result))
                names.append(name)
                parsed.append(results)
                full |= bit
            if "" in keys:  # cells beyond the last heading
                for j, text in enumerate(cells[keys.index("")]):
                    if text is not None:
                        problems.setdefault(j, []).append(
                            (None, InvalidInput(EXTRA_CELLS, value=text)))
            by_row = zip(*parsed, strict=True) if parsed else repeat((), len(records))
            if not problems and len(where) == len(batch):  # the usual chunk: all good
                return [Row(line, (keys, texts), dict(zip(names, values, strict=True)), full, [])
                        for (line, _k, texts), values in zip(records, by_row, strict=True)]
            for j, (record, values) in enumerate(zip(records, by_row, strict=True)):
                line, _keys, texts = record
                found = problems.get(j)
                if found is None:
                    row = Row(line, (keys, texts), dict(zip(names, values, strict=True)),
                              full, [])
                else:
                    mask = 0
                    good = {}
                    for (_h, name, _c, bit, _p), value in zip(
                            (c for c in cols if c[0] is not None), values, strict=True):
                        if not isinstance(value, FieldError):
                            good[name] = value
                            mask |= bit
                    row = Row(line, (keys, texts), good, mask, found)
                rows[where[j]] = row
        return rows  # type: ignore[return-value]

    def flush(self, chunk: list[Row]) -> None:
        if not chunk:
            return
        imp = self.importer
        plan = self.plan
        plan.rows += len(chunk)
        # Keys repeated inside the file: against earlier chunks, then within this one.
        for row in chunk:
            row.key = None if row.problems and _key_broken(row, imp) else imp.key(row.values)
        keyed = [r.key for r in chunk if r.key is not None]
        earlier = dict(imp.in_keys(
            f"SELECT k, min(line) FROM temp.{STAGE} WHERE k IN "
            "(SELECT value FROM json_each(?)) GROUP BY k", keyed)) if keyed else {}
        for row in chunk:
            if row.key is None:
                continue
            first = earlier.get(row.key)
            if first is None:
                earlier[row.key] = row.line
            else:
                column, error = imp.duplicate(row, first)
                row.problems.append((self.heading(column), error))
                row.key = None  # the first line keeps the key
        # Look up what is stored, then classify the rows still valid.
        valid = [r for r in chunk if not r.problems]
        found = imp.lookup([r.key for r in valid if r.key is not None]) if valid else {}
        if valid:
            imp.prepare(valid, found)
        for row in valid:
            imp.warnings = []
            imp.classify(row, found.get(row.key))
            if row.problems:
                row.problems = [(self.heading(c), e) for c, e in row.problems]
            else:
                imp.counts[_COUNTED[row.action]] += 1
                for msg, params in imp.warnings:
                    plan.warning_count += 1
                    if len(plan.warnings) < KEEP:
                        plan.warnings.append(RowWarning(row.line, msg, params))
        if self.part is not None:
            imp.footprint(chunk)
        # Park everything (rejected rows keep their key so later repeats name them).
        staged = imp.staged
        get_json = [(i, n) for i, n in enumerate(staged) if n in imp.json_fields]
        parked = []
        for r in chunk:
            vals = [r.line, r.key, "rejected" if r.problems else r.action, r.target, r.present,
                    *map(r.values.get, staged)]
            for i, _name in get_json:
                if vals[5 + i] is not None:
                    vals[5 + i] = json_list(vals[5 + i])
            parked.append(vals)
        self.store.conn.executemany(
            f"INSERT INTO temp.{STAGE} VALUES ({', '.join('?' * (len(staged) + 5))})", parked)
        rejects = [r for r in chunk if r.problems]
        if rejects:
            self.reject(rejects)

    def heading(self, name: str | None) -> str | None:
        """The file's heading of a field (problems found after parsing name fields)."""
        return self.headings.get(name, name) if name else None

    def reject(self, rows: list[Row]) -> None:
        plan = self.plan
        parked = []
        for row in rows:
            plan.rejected += 1
            texts = {"zh": [], "en": []}
            for column, error in row.problems:
                problem = Problem(row.line, column, error)
                plan.problem_count += 1
                if len(plan.problems) < KEEP:
                    plan.problems.append(problem)
                for lang in texts:
                    where = f"[{column}] " if column else ""
                    texts[lang].append(where + problem.reason(lang))
            keys, raw = row.cells
            cells = {k: v for k, v in zip(keys, raw, strict=True) if k != ""}
            for heading in cells:
                self.reject_headers.setdefault(heading, None)
            parked.append((row.line, json.dumps(cells),  # ASCII: lone surrogates escaped
                           _storable("；".join(texts["zh"])), _storable("; ".join(texts["en"]))))
        self.store.conn.executemany(f"INSERT INTO temp.{REJECTS} VALUES (?, ?, ?, ?)", parked)


_COUNTED = {"insert": "inserted", "update": "updated", "unchanged": "unchanged"}
_QUOTE = json.encoder.encode_basestring  # what json.dumps(..., ensure_ascii=False) uses


def _counting(records: Iterator[Any], read: list[int]) -> Iterator[Any]:
    """The records, counting in ``read[0]`` each one handed out."""
    for record in records:
        read[0] += 1
        yield record


def _one_part(records: Iterator[Any], part: int, period: int, cut: int) -> Iterator[Any]:
    """The records of one part (as ``tabular.Source.share`` splits rows): part 0 those
    numbered n with n % period < cut, part 1 the others."""
    for i, record in enumerate(records):
        if (i % period < cut) != part:
            yield record


def _readable_rows(records: Iterator[Any]) -> int:
    """How many records can be read before the file fails (or ends)."""
    count = 0
    try:
        for _record in records:
            count += 1
    except InvalidInput:
        pass
    return count


def json_list(items: list[str]) -> str:
    """``json.dumps(items, ensure_ascii=False)`` for a list of text, without building an
    encoder per call."""
    try:
        return "[" + ", ".join(map(_QUOTE, items)) + "]"
    except TypeError:  # not all text
        return json.dumps(items, ensure_ascii=False)


def _storable(text: str) -> str:
    """Text SQLite can take: a lone surrogate (only JSON can carry one) becomes '?'."""
    return text.encode("utf-8", "replace").decode("utf-8")


def _key_broken(row: Row, imp: Importer) -> bool:
    """A key field of this row failed to parse (then it has no key)."""
    return any(isinstance(e, FieldError) and e.field in imp.key_fields for _c, e in row.problems)


def plan_import(store: Store, kind: str, source: Any, *,
                on_progress: Callable[[int], None] | None = None) -> Plan:
    """Validate every row of ``source`` (an open ``tabular.Source``) and classify it.

    Raises ``InvalidInput`` for a file that cannot be read as a whole (missing required
    columns, bad encoding, broken CSV); row problems are collected in the plan instead.
    Writes nothing but TEMP tables; ``on_progress(line)`` is called every ``CHUNK`` rows
    and with -1 at the end. (``sharing.plan_shared``: the same plan, checked by two
    processes.)
    """
    with page_cache(store):
        return _Planner(store, kind, source, on_progress).run()


def plan_part(store: Store, kind: str, source: Any, part: tuple[int, int, int], *,
              on_progress: Callable[[int], None] | None = None) -> Plan:
    """The plan of one part of the rows of ``source`` alone: ``part`` is (0 or 1, period,
    cut) as ``tabular.Source.share`` has it (for ``sharing``, which puts two together)."""
    with page_cache(store):
        return _Planner(store, kind, source, on_progress, part=part).run()
