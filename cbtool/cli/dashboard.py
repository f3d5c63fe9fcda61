"""The ``summary`` dashboard: the summary document drawn for a terminal (side by side where
the terminal is wide enough, one under the other on 80 columns).

Works from the document alone (the summary's shape); the document carries no personal data
and none is added here. Colour and box drawing only when the console is a colour
terminal; piped or with NO_COLOR / TERM=dumb the same content prints plain.

What the dashboard shows is said once (``draw``) to a drawer: ``_RichDrawer`` on a rich
console, or ``plaintable.PlainDrawer``, which draws the plain dashboard byte for byte as
rich does without loading rich (``plain_dashboard``; ``summary`` uses it off a terminal).

Why one module of ~450 lines: the dashboard's blocks are said once for both drawers,
rich's and the plain one.
"""

from __future__ import annotations

from typing import Any

from cbtool.report.model import (
    as_dict,
    as_list,
    category_keys,
    fmt_num,
    fmt_pct,
    haves,
    item_keys,
    kind_counts,
    label,
    num,
    overdue_count,
    period_dates,
    period_label,
    point_names,
    t,
)
from cbtool.text import shown_all

TOP_POINTS = 10
NAME_CELLS = 14
GAP = 4  # columns between two blocks side by side
EIGHTHS = "▏▎▍▌▋▊▉"


def _short_area(area: dict) -> str:
    """An area as the narrow dashboard column shows it: 石化十一村 for 石化十一村居民区
    (the column is headed 居民区 already)."""
    name = str(area.get("name") or "")
    return name[: -len("居民区")] if name.endswith("居民区") and len(name) > 3 else name


def _short_point(point: dict) -> str:
    """A point as the bars show it: its name without the ``…党员服务点`` every area's
    point shares (``石化一村居民区``), else its code."""
    name = str(point.get("name") or "")
    for suffix in ("党员服务点", "服务点"):
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name or str(point.get("point") or "")


def bar(value: Any, maximum: Any, width: int) -> str:
    """Block characters of length value/maximum × width (eighths); '' for zero."""
    value, maximum = num(value), num(maximum)
    if maximum <= 0 or value <= 0 or width <= 0:
        return ""
    cells = min(value / maximum, 1.0) * width
    full = int(cells)
    rest = int((cells - full) * 8)
    text = "█" * full + (EIGHTHS[rest - 1] if rest else "")
    return text or EIGHTHS[0]


def render_dashboard(doc: dict, lang: str, console: Any) -> None:
    """Print the summary document on a rich console; every text of it ``shown`` first,
    so a name or a label can never drive the terminal."""
    draw(doc, lang, _RichDrawer(console))


def plain_dashboard(doc: dict, lang: str, width: int) -> str | None:
    """The dashboard as rich prints it off a terminal (no box, style or colour), drawn
    without rich; None where it cannot be sure to match (then rich draws it)."""
    from cbtool.cli.plaintable import PlainDrawer, Unsupported

    drawer = PlainDrawer(width)
    try:
        draw(doc, lang, drawer)
    except Unsupported:
        return None
    return drawer.text()


class _RichDrawer:
    """The dashboard's drawer on a rich console: colour, rules and a panel on a colour
    terminal; the same blocks plain elsewhere (what ``plaintable.PlainDrawer`` draws)."""

    def __init__(self, console: Any) -> None:
        self.console = console
        self.width = console.width
        self.fancy = (console.is_terminal and not console.is_dumb_terminal
                      and not console.no_color and console.color_system is not None)
        f = self.fancy
        self.styles = {"": "", "bold": "bold" if f else "", "accent": "bold red" if f else "",
                       "dim": "dim" if f else "", "bar": "red" if f else ""}

    def line(self, spans: Any) -> Any:
        from rich.text import Text

        spans = list(spans) or [("", "")]
        first, style = spans[0]
        text = Text(first, style=self.styles[style])  # the first span's style is the line's
        for part, style in spans[1:]:
            text.append(part, style=self.styles[style])
        return text

    def heading(self, text: str, lang: str) -> Any:
        from rich.text import Text

        if self.fancy:
            from rich.rule import Rule  # a terminal's only: plain output loads no more

            return Rule(Text(text, style=self.styles["accent"]), style="red", align="left")
        return Text(f"【{text}】" if lang != "en" else f"== {text} ==")

    def header(self, title: str, meta: str) -> None:
        from rich.text import Text

        meta_text = Text(meta, style=self.styles["dim"])
        if self.fancy:
            from rich import box
            from rich.panel import Panel

            self.console.print(Panel(meta_text, title=Text(title, style=self.styles["accent"]),
                                     box=box.ROUNDED))
        else:
            self.console.print(Text(title))
            if meta:
                self.console.print(meta_text)

    def stack(self, *parts: Any) -> Any:
        from rich.console import Group

        return Group(*parts)

    def table(self, columns: list[dict], rows: list[list[tuple[str, str]]]) -> Any:
        from rich import box
        from rich.table import Table
        from rich.text import Text

        fancy = self.fancy
        table = Table(box=box.SIMPLE if fancy else None, padding=(0, 1),
                      header_style="bold" if fancy else "", show_edge=False, pad_edge=False,
                      show_footer=True, footer_style="bold" if fancy else "")
        for col in columns:
            table.add_column(col["header"], col.get("footer", ""),
                             justify=col.get("justify", "left"), no_wrap=col.get("no_wrap", False),
                             max_width=col.get("max_width"))
        for row in rows:
            table.add_row(*(Text(text, style=self.styles[style]) for text, style in row))
        return table

    def bars(self, rows: list[tuple[str, str, str]], width: int, names: int, none: str) -> Any:
        from rich.table import Table
        from rich.text import Text

        grid = Table.grid(padding=(0, 1))
        grid.add_column(max_width=names, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=width, no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        for name, blocks, text in rows:
            grid.add_row(Text(name), Text(blocks, style=self.styles["bar"]), Text(text))
        if not rows:
            grid.add_row(Text(none, style=self.styles["dim"]), Text(""), Text(""))
        return grid

    def side_by_side(self, left: Any, right: Any, gap: int) -> Any:
        from rich.console import Group
        from rich.measure import Measurement
        from rich.table import Table
        from rich.text import Text

        console = self.console
        wide = sum(Measurement.get(console, console.options, part).maximum
                   for part in (left, right)) + gap
        if wide > console.width:
            return Group(left, Text(""), right)
        grid = Table.grid(padding=(0, gap))
        grid.add_column()
        grid.add_column()
        grid.add_row(left, right)
        return grid

    def print(self, block: Any = None) -> None:
        if block is None:
            self.console.print()
        else:
            self.console.print(block)


def listing(d: Any, head: str, items: list[str], sep: str, last: str = "") -> None:
    """``head`` (bold) and ``items`` joined by ``sep``, flowed by ``flow.flow`` into lines
    that fit: an item never apart from its figure, no line opening with 、 (``last``: the
    last item's style, where it ends the last line)."""
    from cbtool.cli.flow import flow

    lines = flow(head, items, sep, d.width)
    for i, text in enumerate(lines):
        spans = [(head, "bold"), (text[len(head):], "")] if i == 0 else [(text, "")]
        if last and i == len(lines) - 1 and items and text.endswith(items[-1]):
            end = spans[-1][0]
            spans[-1:] = [(end[: len(end) - len(items[-1])], ""), (items[-1], last)]
        d.print(d.line([span for span in spans if span[0]] or [("", "")]))


def sentence(d: Any, text: str) -> None:
    """A line of figures (``台账 37 条 · 服务群众 519 人次 · …``), broken only after a ``·``."""
    import re

    listing(d, "", re.split(r"(?<=·) ", text), " ")


def draw(doc: dict, lang: str, d: Any) -> None:
    """What the dashboard shows, said once to a drawer (``_RichDrawer`` or
    ``plaintable.PlainDrawer``); spans are (text, style): "", bold, accent, dim or bar."""
    doc = shown_all(doc)
    members = as_dict(doc.get("members"))
    logs = as_dict(doc.get("logs"))
    checklist = as_dict(doc.get("checklist"))
    hv = haves(len(item_keys(doc)), lang)

    def sub(text: str) -> Any:
        return d.line([(text, "bold")])

    def bars(rows: list[tuple[str, Any, str]], maximum: Any, width: int,
             names: int = NAME_CELLS) -> Any:
        return d.bars([(name, bar(value, maximum, width), text) for name, value, text in rows],
                      width, names, t("d_none", lang))

    def side_by_side(left: Any, right: Any) -> Any:
        """Two blocks beside each other where they fit whole (4 columns apart), else one
        under the other: a narrow terminal (80 columns) never gets a cut figure."""
        return d.side_by_side(left, right, GAP)

    # -- header ------------------------------------------------------------
    title = f"{t('d_title', lang)} {period_label(doc)}".strip()
    start, end = period_dates(doc)
    meta = []
    if start or end:
        meta.append(f"{t('period', lang)} {t('date_range', lang, start=start, end=end)}")
    if doc.get("as_of"):
        meta.append(f"{t('as_of', lang)} {doc['as_of']}")
    d.header(title, " · ".join(meta))
    d.print()

    # -- members -----------------------------------------------------------
    d.print(d.heading(t("s_members", lang), lang))
    cats = category_keys(doc)
    by_category = as_dict(members.get("by_category"))
    columns = [{"header": t("code", lang), "footer": t("total", lang), "no_wrap": True},
               {"header": t("area", lang), "max_width": NAME_CELLS, "no_wrap": True}]
    columns += [{"header": label(doc, "category", key, lang),
                 "footer": fmt_num(by_category.get(key)), "justify": "right", "no_wrap": True}
                for key in cats]
    columns.append({"header": t("total", lang), "footer": fmt_num(members.get("total")),
                    "justify": "right"})
    rows = []
    for area in as_list(members.get("by_area")):
        area = as_dict(area)
        rows.append([(str(area.get("area") or ""), ""), (_short_area(area), ""),
                     *((fmt_num(area.get(k)), "") for k in cats),
                     (fmt_num(area.get("total")), "bold")])
    table = d.table(columns, rows)
    total = num(members.get("total"))
    cat_rows = [
        (
            label(doc, "category", k, lang),
            by_category.get(k),
            f"{fmt_num(by_category.get(k))} {fmt_pct(by_category.get(k), total)}",
        )
        for k in cats
    ]
    peak = max((num(v) for _, v, _ in cat_rows), default=0)
    right = d.stack(sub(t("d_by_category", lang)), bars(cat_rows, peak, 14))
    d.print(side_by_side(table, right))
    colon = t("d_colon", lang)
    movement = [
        f"{t('d_joined', lang)} {fmt_num(members.get('joined'))}",
        f"{t('d_archived', lang)} {fmt_num(members.get('archived'))}",
        f"{t('d_recategorized', lang)} {fmt_num(members.get('recategorized'))}",
        f"{t('d_placed', lang)} {fmt_num(members.get('placed'))}",
    ]
    overdue = overdue_count(members)
    listing(d, t("d_movement", lang) + colon,
            [*movement, f"{t('d_overdue', lang)} {fmt_num(overdue)}"], " · ",
            last="accent" if overdue else "")
    d.print()

    # -- logs --------------------------------------------------------------
    d.print(d.heading(t("s_logs", lang), lang))
    sentence(d, t("d_log_totals", lang, logs=fmt_num(logs.get("total")),
                  served=fmt_num(logs.get("served")), hours=fmt_num(logs.get("hours"))))
    log_total = num(logs.get("total"))
    kinds = [
        (label(doc, "kind", k, lang), n, f"{fmt_num(n)} {fmt_pct(n, log_total)}")
        for k, n in kind_counts(doc)
    ]
    kind_peak = max((n for _, n, _ in kinds), default=0)
    left = d.stack(sub(t("d_by_kind", lang)), bars(kinds, kind_peak, 16))
    points = [as_dict(p) for p in as_list(logs.get("by_point"))]
    points.sort(key=lambda p: (-num(p.get("logs")), str(p.get("point") or "")))
    top = points[:TOP_POINTS]
    point_rows = [(_short_point(p), p.get("logs"), f"{fmt_num(p.get('logs'))}") for p in top]
    point_peak = max((num(v) for _, v, _ in point_rows), default=0)
    heading_key = "d_by_point" if len(points) > len(top) else "d_by_point_all"
    right_parts: list[Any] = [
        sub(t(heading_key, lang, n=len(top))),
        bars(point_rows, point_peak, 16, names=20),
    ]
    if len(points) > len(top):
        rest_logs = sum(num(p.get("logs")) for p in points[len(top) :])
        right_parts.append(d.line([(t("d_rest", lang, n=len(points) - len(top),
                                      logs=fmt_num(rest_logs)), "dim")]))
    d.print(side_by_side(left, d.stack(*right_parts)))
    idle = [str(c) for c in as_list(logs.get("idle_points"))]
    names = point_names(doc)
    shown = [f"{c} {names[c]}" if names.get(c) else c for c in idle] or [t("d_none", lang)]
    listing(d, t("d_idle", lang, n=len(idle)) + colon, shown, t("d_sep", lang))
    d.print()

    # -- checklist ---------------------------------------------------------
    d.print(d.heading(t("s_checklist", lang, haves=hv), lang))
    points_n, compliant = num(checklist.get("points")), num(checklist.get("compliant"))
    filled = bar(compliant, points_n, 30)
    d.print(d.line([
        (t("d_compliance", lang, haves=hv) + colon, "bold"),
        (t("of_points", lang, n=fmt_num(compliant), m=fmt_num(points_n)) + "  ", ""),
        (fmt_pct(compliant, points_n), "accent"), ("  ", ""), (filled, "bar"),
        ("░" * (30 - len(filled)) if points_n else "", "dim"),
    ]))
    missing = as_dict(checklist.get("missing"))
    item_rows = [
        (label(doc, "item", k, lang), missing.get(k), fmt_num(missing.get(k)))
        for k in item_keys(doc)
    ]
    left = d.stack(sub(t("d_missing", lang)), bars(item_rows, points_n, 20, names=20))
    flags = d.line([(t("d_never", lang, n=fmt_num(checklist.get("never_checked"))) + "\n"
                     + t("d_stale", lang, n=fmt_num(checklist.get("stale"))), "")])
    d.print(side_by_side(left, d.stack(d.line([]), flags)))

    # -- volunteers --------------------------------------------------------
    if "volunteers" in doc:
        d.print()
        d.print(d.heading(t("s_volunteers", lang), lang))
        _volunteers(doc, lang, d, sub, bars, side_by_side)
    _pairings_aid(doc, lang, d)


def _volunteers(doc: dict, lang: str, d: Any, sub, bars, side_by_side) -> None:
    """The volunteers block: teams and volunteers, service, hours by team and by field."""
    v = as_dict(doc.get("volunteers"))
    sentence(d, t("d_v_totals", lang, **{k: fmt_num(v.get(k)) for k in (
        "teams", "volunteers", "members", "residents", "new")}))
    sentence(d, t("d_v_service", lang, records=fmt_num(v.get("records")),
                  hours=fmt_num(v.get("hours")), idle=fmt_num(v.get("idle"))))
    fields = [(label(doc, "field", k, lang), h, fmt_num(h))
              for k, h in as_dict(v.get("by_field")).items()]
    left = d.stack(sub(t("d_v_by_field", lang)),
                   bars(fields, max((num(h) for _, h, _ in fields), default=0), 16))
    teams = sorted((as_dict(r) for r in as_list(v.get("by_team"))),
                   key=lambda r: (-num(r.get("hours")), str(r.get("team") or "")))[:TOP_POINTS]
    rows = [(str(r.get("name") or r.get("team") or ""), r.get("hours"), fmt_num(r.get("hours")))
            for r in teams]
    right = d.stack(sub(t("d_v_by_team", lang)),
                    bars(rows, max((num(h) for _, h, _ in rows), default=0), 16, names=20))
    d.print(side_by_side(left, right))


def _pairings_aid(doc: dict, lang: str, d: Any) -> None:
    """Pairings, hardship aid and brands, in a few lines (a document without them: none)."""
    from cbtool.fields import yuan_shown
    from cbtool.formats import Money
    from cbtool.report.pairings_aid import label as vocab_label
    from cbtool.report.pairings_aid import yuan_text

    def shown(text: Any) -> str:  # the document's exact yuan text as people read it
        text = Money.of(str(text))
        return yuan_shown(text) if isinstance(text, Money) else text

    def money(entry: Any) -> str:
        return shown(yuan_text(entry))

    if not any(key in doc for key in ("pairings", "aid", "brands")):
        return
    sep, colon = t("d_sep", lang), t("d_colon", lang)

    def items(head: str, parts: list[str]) -> None:
        listing(d, "  " + t(head, lang) + colon, parts, sep)

    d.print()
    d.print(d.heading(t("s_pairings_aid", lang), lang))
    if "pairings" in doc:
        p = as_dict(doc["pairings"])
        sentence(d, t("d_pairings", lang, active=fmt_num(p.get("active")),
                      without=len(as_list(p.get("points_without"))),
                      logs=fmt_num(p.get("activities"))))
        parts = [f"{vocab_label(doc, 'heading', k, lang)} {fmt_num(n)}"
                 for k, n in as_dict(p.get("by_heading")).items() if k != "none" and num(n)]
        if parts:
            items("d_by_heading", parts)
        paired = sorted((as_dict(e) for e in as_list(p.get("by_pairing"))),
                        key=lambda e: (-num(e.get("logs")), num(e.get("pairing"))))
        parts = [f"{e.get('point') or ''} {e.get('unit') or ''} {fmt_num(e.get('logs'))}"
                 for e in paired[:TOP_POINTS]]
        if len(paired) > TOP_POINTS:
            rest = paired[TOP_POINTS:]
            parts.append(t("d_rest_pairings", lang, n=len(rest),
                           logs=fmt_num(sum(num(e.get("logs")) for e in rest))))
        if parts:
            items("d_by_pairing", parts)
        without = [str(c) for c in as_list(p.get("points_without"))]
        if without:  # which points (the first ten; the report lists them all)
            names = point_names(doc)
            parts = [f"{c} {_short_point({'point': c, 'name': names.get(c)})}".rstrip()
                     if names.get(c) else c for c in without[:TOP_POINTS]]
            if len(without) > TOP_POINTS:
                parts.append(t("d_more_points", lang, n=len(without) - TOP_POINTS))
            items("d_without", parts)
    if "aid" in doc:
        a = as_dict(doc["aid"])
        given = as_dict(a.get("given"))
        sentence(d, t("d_aid", lang, open=fmt_num(a.get("open")), new=fmt_num(a.get("new")),
                      closed=fmt_num(a.get("closed")), n=fmt_num(given.get("count")),
                      amount=money(given)))
        forms = [t("d_times_amount" if num(as_dict(v).get("amount_fen")) else "d_times", lang,
                   what=vocab_label(doc, "aid_form", k, lang),
                   n=fmt_num(as_dict(v).get("count")), amount=money(v))
                 for k, v in as_dict(a.get("by_form")).items() if num(as_dict(v).get("count"))]
        if forms:
            items("d_by_form", forms)
        funds = [t("d_fund", lang, name=e.get("name"), amount=money(e),
                   balance=shown(e.get("balance") or "")) if e.get("balance") is not None else
                 t("d_fund_amount", lang, name=e.get("name"), amount=money(e))
                 for e in map(as_dict, as_list(a.get("by_fund")))
                 if e.get("fund") and num(e.get("count"))]
        if funds:
            items("d_by_fund", funds)
    if "brands" in doc:
        rows = [as_dict(e) for e in as_list(as_dict(doc["brands"]).get("by_area"))]
        parts = [f"{e.get('area')} {e.get('brand')} {fmt_num(e.get('logs'))}"
                 for e in rows if e.get("brand")]
        without = sum(1 for e in rows if not e.get("brand"))
        parts = [p + sep for p in parts[:-1]] + parts[-1:] or [t("d_none", lang)]
        if without:  # （；…: glued to the last brand, no line opens with it）
            parts.append(t("d_no_brand", lang, n=without))
        listing(d, t("d_brands", lang) + colon, parts, "")
