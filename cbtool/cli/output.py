"""The one renderer per output format: table | csv | tsv | json | jsonl | md.

Machine formats (csv, tsv, json, jsonl) stream every record with its English keys and
full values, through the domain's writers (``cbtool.formats``). Human formats (table, md) show chosen columns with labels in the session's
language and mask phones and ID numbers unless revealed; every text they show passes
``text.shown`` (``text.md_text`` in md), so data never drives the terminal. rich is
imported only here, inside the functions that draw.
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Callable, Iterable
from enum import StrEnum
from typing import IO, Any

from cbtool.text import md_text, pick, shown

# Imported where first used, not here: every command imports this module, and json, the
# file writers (csv, tempfile), the masks and the clock serve only some of them.


class Fmt(StrEnum):
    table = "table"
    csv = "csv"
    tsv = "tsv"
    json = "json"
    jsonl = "jsonl"
    md = "md"


MACHINE = {Fmt.csv, Fmt.tsv, Fmt.json, Fmt.jsonl}


class Col:
    """A column of human output: the record key, its heading (zh, en), and how to show it.
    (A plain class: every listing defines it, and a dataclass costs ~0.5 ms to define.)"""

    __slots__ = ("key", "zh", "en", "show")

    def __init__(self, key: str, zh: str, en: str, show: str = "text") -> None:
        self.key = key
        self.zh = zh
        self.en = en
        self.show = show  # text | phone | id_card | address | category | gender | kind | item | field | bool | list | time

    def __repr__(self) -> str:
        return f"Col({self.key!r}, {self.zh!r}, {self.en!r}, {self.show!r})"

    def heading(self, lang: str) -> str:
        return pick((self.zh, self.en), lang)


# --- machine formats: the domain's writers (``cbtool.formats``) ---------------------------


def write_machine(fmt: Fmt, records: Iterable[dict[str, Any]], out: IO[str], *,
                  keys: list[str] | None = None, bom: bool = False) -> int:
    from cbtool.formats import write_records

    return write_records(fmt.value, records, out, keys=keys, bom=bom)


# --- human formats --------------------------------------------------------------------

Labeler = Callable[[str, str], str]  # (show kind, value) -> label


def display(col: Col, value: Any, *, lang: str, reveal: bool, label: Labeler) -> str:
    if value is None or value == "":
        return ""
    if col.show == "phone":
        from cbtool.fields import mask_phone

        return str(value) if reveal else str(mask_phone(value))
    if col.show == "id_card":
        from cbtool.fields import mask_id_card

        return str(value) if reveal else str(mask_id_card(value))
    if col.show == "address":  # an aid recipient's, masked as their name is
        from cbtool.fields import mask_address

        return str(value) if reveal else str(mask_address(value))
    if col.show == "gender":
        return {"M": pick(("男", "M"), lang), "F": pick(("女", "F"), lang)}.get(value, value)
    if col.show == "bool":
        return "✓" if value else "✗"
    if col.show == "time":  # a stored UTC instant, shown in local time
        from cbtool import clock

        return clock.shown(value)
    if col.show == "list":
        return "、".join(map(str, value)) if isinstance(value, list | tuple) else str(value)
    if col.show in ("category", "kind", "item", "status", "reason", "channel", "action",
                    "field"):
        return label(col.show, str(value))
    if isinstance(value, float):
        return f"{value:g}"
    return str(value)


# What a terminal that cannot encode a character (GBK: ✓ ✗ ░) shows instead, best first.
_SUBSTITUTES = {"✓": ("√", "v"), "✔": ("√", "v"), "✗": ("×", "x"), "✘": ("×", "x"),
                "░": ("·", "."), "▒": ("▓", "#"), "∅": ("-",)}


def _substitute(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    out = []
    for ch in exc.object[exc.start:exc.end]:
        for candidate in (*_SUBSTITUTES.get(ch, ()), "?"):
            try:
                candidate.encode(exc.encoding)
            except (UnicodeError, LookupError):
                continue
            break
        out.append(candidate)
    return "".join(out), exc.end


def tolerant_streams() -> None:
    """Let stdout and stderr write what their encoding cannot hold (a GBK terminal, an
    ASCII ``LANG=C``, a lone surrogate): ✓ as √, ░ as ·, anything else as ``?`` — never
    a traceback."""
    import codecs
    import contextlib

    codecs.register_error("cbtool.substitute", _substitute)
    for stream in (sys.stdout, sys.stderr):
        reconfigure = getattr(stream, "reconfigure", None)
        if reconfigure is not None:
            with contextlib.suppress(ValueError, OSError):  # closed or detached
                reconfigure(errors="cbtool.substitute")


def use_color() -> bool:
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    return sys.stdout.isatty()


class _NoTrailingSpaces:
    """A stream that drops the spaces rich pads a line with before its line break, so
    piped output has no trailing blanks (spaces inside a line stay)."""

    def __init__(self, stream: IO[str]):
        self._stream = stream
        self._pending = ""  # spaces at the end of the last write: padding if a break follows

    def write(self, text: str) -> int:
        text = self._pending + text
        body = text.rstrip(" ")
        self._pending = text[len(body):]
        self._stream.write(re.sub(r" +\n", "\n", body))
        return len(text)

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


def console(stderr: bool = False):
    """A rich Console that draws colour and boxes only on a real terminal."""
    from rich.console import Console

    stream = sys.stderr if stderr else sys.stdout
    fancy = use_color() if not stderr else stream.isatty()
    width = None if fancy else int(os.environ.get("COLUMNS", "0") or 0) or 240
    if not fancy:
        stream = _NoTrailingSpaces(stream)
    return Console(file=stream, force_terminal=fancy, no_color=not fancy, width=width,
                   highlight=False, emoji=False, soft_wrap=False)


def render_table(rows: list[list[str]], cols: list[Col], *, lang: str, title: str | None = None,
                 caption_lines: Iterable[str] = ()) -> None:
    caption_lines = list(caption_lines)
    if not use_color():  # no box, no colour: the common layout needs no rich
        from cbtool.cli.plaintable import plain_width, write_table

        if write_table(sys.stdout, [shown(c.heading(lang)) for c in cols],
                       [[shown(cell) for cell in row] for row in rows], width=plain_width(),
                       title=shown(title) if title else None,
                       caption_lines=[shown(line) for line in caption_lines]):
            return
    from rich import box
    from rich.table import Table
    from rich.text import Text

    con = console()
    fancy = con.is_terminal and not con.no_color
    table = Table(title=Text(shown(title)) if title else None, box=box.SIMPLE_HEAD if fancy else None, show_edge=False,
                  header_style="bold" if fancy else "", title_style="bold" if fancy else "",
                  pad_edge=False)
    for col in cols:  # fold rather than crop: on a narrow terminal nothing is hidden
        table.add_column(shown(col.heading(lang)), overflow="fold")
    for row in rows:  # data is never markup ("[试点]" stays) nor terminal control (shown)
        table.add_row(*(Text(shown(cell)) for cell in row))
    con.print(table)
    for line in caption_lines:
        con.print(Text(shown(line)))


def render_md(rows: list[list[str]], cols: list[Col], *, lang: str, title: str | None = None,
              caption_lines: Iterable[str] = (), out: IO[str] | None = None) -> None:
    out = out or sys.stdout
    if title:
        out.write(f"### {md_text(title)}\n\n")
    out.write("| " + " | ".join(md_text(c.heading(lang)) for c in cols) + " |\n")
    out.write("|" + "|".join(" --- " for _ in cols) + "|\n")
    for row in rows:
        out.write("| " + " | ".join(md_text(v) for v in row) + " |\n")
    for line in caption_lines:
        out.write(f"\n{md_text(line)}\n")


def emit(
    fmt: Fmt, records: Iterable[dict[str, Any]], *, cols: list[Col], lang: str,
    label: Labeler, keys: list[str] | None = None, reveal: bool = False,
    title: str | None = None, total: int | None = None, limit: int | None = None,
    footer: Iterable[str] = (), more_msg: Callable[[int], str] | None = None,
    optional: Iterable[str] = (),
) -> int:
    """Print records in ``fmt``. For table/md, ``records`` is already cut to ``limit`` and
    ``total`` says how many matched, so a line can say how many more there are.
    ``optional``: keys of columns a table on a narrow terminal (``narrow_terminal``) leaves
    out when it would not fit whole, saying so on stderr once it is printed."""
    if fmt in MACHINE:
        return write_machine(fmt, records, sys.stdout, keys=keys)
    rows = [[display(c, r.get(c.key), lang=lang, reveal=reveal, label=label) for c in cols]
            for r in records]
    gone: list[str] = []
    optional = set(optional)
    if fmt is Fmt.table and optional and narrow_terminal() and _wider_than_terminal(
            rows, cols, lang):
        keep = [i for i, c in enumerate(cols) if c.key not in optional]
        gone = [c.heading(lang) for c in cols if c.key in optional]
        cols = [cols[i] for i in keep]
        rows = [[row[i] for i in keep] for row in rows]
    captions = list(footer)
    if total is not None and total > len(rows) and more_msg:
        captions.append(more_msg(total - len(rows)))
    if fmt is Fmt.md:
        render_md(rows, cols, lang=lang, title=title, caption_lines=captions)
    else:
        render_table(rows, cols, lang=lang, title=title, caption_lines=captions)
    if gone:
        note(pick((f"（终端较窄，已略去：{'、'.join(gone)}；加宽终端可见全部列）",
                   f"(narrow terminal: {', '.join(gone)} left out; widen it to see every "
                   "column)"), lang))
    return len(rows)


NARROW = 100  # below this many columns a list may leave out what its show (or command) has


def terminal_width() -> int:
    """``$COLUMNS``, else the terminal's; 240 when there is none (as plain output is laid
    out)."""
    import shutil

    return shutil.get_terminal_size((240, 24)).columns


def narrow_terminal() -> bool:
    return terminal_width() < NARROW


def _wider_than_terminal(rows: list[list[str]], cols: list[Col], lang: str) -> bool:
    """Whether the table, every cell on one line, is wider than the terminal (one
    space between columns, as it is drawn)."""
    from cbtool.cli.plaintable import cell_width

    widths = [cell_width(shown(c.heading(lang))) for c in cols]
    for row in rows:
        for i, cell in enumerate(row):
            n = cell_width(shown(cell))
            if n > widths[i]:
                widths[i] = n
    return sum(widths) + 2 * (len(widths) - 1) > terminal_width()


def note(text: str) -> None:
    """A note under a table on stderr: dim on a colour terminal, plain elsewhere."""
    dim = (sys.stderr.isatty() and not os.environ.get("NO_COLOR")
           and os.environ.get("TERM") != "dumb")
    sys.stderr.write(f"\x1b[2m{text}\x1b[0m\n" if dim else text + "\n")


def emit_record(fmt: Fmt, record: dict[str, Any], *, fields: list[Col], lang: str, label: Labeler,
                reveal: bool = False, title: str | None = None) -> None:
    """One record: a JSON object, a one-row CSV, or a two-column key/value table."""
    if fmt in (Fmt.json, Fmt.jsonl):  # jsonl: the same object as json, on one line
        import json

        indent = 2 if fmt is Fmt.json else None
        sys.stdout.write(json.dumps(record, ensure_ascii=False, indent=indent) + "\n")
        return
    if fmt in MACHINE:
        flat = {k: v for k, v in record.items() if not isinstance(v, list | dict)
                or k == "participants"}
        write_machine(fmt, [flat], sys.stdout)
        return
    pair_cols = [Col("field", "项目", "Field"), Col("value", "内容", "Value")]
    rows = [[f.heading(lang), display(f, record.get(f.key), lang=lang, reveal=reveal, label=label)]
            for f in fields if record.get(f.key) not in (None, "")]
    if fmt is Fmt.md:
        render_md(rows, pair_cols, lang=lang, title=title)
    else:
        render_table(rows, pair_cols, lang=lang, title=title)
