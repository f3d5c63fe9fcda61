"""The ``summary`` dashboard: the summary document drawn for a terminal (side by side where
the terminal is wide enough, one under the other on 80 columns).

Works from the document alone (the summary's shape); the document carries no personal data
and none is added here. Colour and box drawing only when the console is a colour
terminal; piped or with NO_COLOR / TERM=dumb the same content prints plain.
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
    from rich import box
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    fancy = (
        console.is_terminal
        and not console.is_dumb_terminal
        and not console.no_color
        and console.color_system is not None
    )
    doc = shown_all(doc)
    accent = "bold red" if fancy else ""
    dim = "dim" if fancy else ""
    bar_style = "red" if fancy else ""
    members = as_dict(doc.get("members"))
    logs = as_dict(doc.get("logs"))
    checklist = as_dict(doc.get("checklist"))
    hv = haves(len(item_keys(doc)), lang)

    def heading(text: str) -> Any:
        if fancy:
            from rich.rule import Rule  # a terminal's only: plain output loads no more

            return Rule(Text(text, style=accent), style="red", align="left")
        return Text(f"【{text}】" if lang != "en" else f"== {text} ==")

    def sub(text: str) -> Text:
        return Text(text, style="bold" if fancy else "")

    def bars(
        rows: list[tuple[str, Any, str]], maximum: Any, width: int, names: int = NAME_CELLS
    ) -> Table:
        grid = Table.grid(padding=(0, 1))
        grid.add_column(max_width=names, no_wrap=True, overflow="ellipsis")
        grid.add_column(width=width, no_wrap=True)
        grid.add_column(justify="right", no_wrap=True)
        for name, value, text in rows:
            grid.add_row(Text(name), Text(bar(value, maximum, width), style=bar_style), Text(text))
        if not rows:
            grid.add_row(Text(t("d_none", lang), style=dim), Text(""), Text(""))
        return grid

    def side_by_side(left: Any, right: Any) -> Any:
        """Two blocks beside each other where they fit whole (4 columns apart), else one
        under the other: a narrow terminal (80 columns) never gets a cut figure."""
        from rich.measure import Measurement

        wide = sum(Measurement.get(console, console.options, part).maximum
                   for part in (left, right)) + GAP
        if wide > console.width:
            return Group(left, Text(""), right)
        grid = Table.grid(padding=(0, GAP))
        grid.add_column()
        grid.add_column()
        grid.add_row(left, right)
        return grid

    # -- header ------------------------------------------------------------
    title = f"{t('d_title', lang)} {period_label(doc)}".strip()
    start, end = period_dates(doc)
    meta = []
    if start or end:
        meta.append(f"{t('period', lang)} {t('date_range', lang, start=start, end=end)}")
    if doc.get("as_of"):
        meta.append(f"{t('as_of', lang)} {doc['as_of']}")
    meta_text = Text(" · ".join(meta), style=dim)
    if fancy:
        from rich.panel import Panel

        console.print(Panel(meta_text, title=Text(title, style=accent), box=box.ROUNDED))
    else:
        console.print(Text(title))
        if meta:
            console.print(meta_text)
    console.print()

    # -- members -----------------------------------------------------------
    console.print(heading(t("s_members", lang)))
    cats = category_keys(doc)
    table = Table(
        box=box.SIMPLE if fancy else None,
        padding=(0, 1),
        header_style="bold" if fancy else "",
        show_edge=False,
        pad_edge=False,
        show_footer=True,
        footer_style="bold" if fancy else "",
    )
    by_category = as_dict(members.get("by_category"))
    table.add_column(t("code", lang), t("total", lang), no_wrap=True)
    table.add_column(t("area", lang), max_width=NAME_CELLS, no_wrap=True, overflow="ellipsis")
    for key in cats:
        table.add_column(
            label(doc, "category", key, lang),
            fmt_num(by_category.get(key)),
            justify="right",
            no_wrap=True,
        )
    table.add_column(t("total", lang), fmt_num(members.get("total")), justify="right")
    for area in as_list(members.get("by_area")):
        area = as_dict(area)
        cells = [Text(str(area.get("area") or "")), Text(_short_area(area))]
        cells += [Text(fmt_num(area.get(k))) for k in cats]
        cells.append(Text(fmt_num(area.get("total")), style="bold" if fancy else ""))
        table.add_row(*cells)
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
    right = Group(sub(t("d_by_category", lang)), bars(cat_rows, peak, 14))
    console.print(side_by_side(table, right))
    colon = t("d_colon", lang)
    movement = [
        f"{t('d_joined', lang)} {fmt_num(members.get('joined'))}",
        f"{t('d_archived', lang)} {fmt_num(members.get('archived'))}",
        f"{t('d_recategorized', lang)} {fmt_num(members.get('recategorized'))}",
        f"{t('d_placed', lang)} {fmt_num(members.get('placed'))}",
    ]
    line = Text(t("d_movement", lang) + colon, style="bold" if fancy else "")
    line.append(" · ".join(movement))
    line.append(" · ")
    overdue = overdue_count(members)
    line.append(
        f"{t('d_overdue', lang)} {fmt_num(overdue)}", style=accent if overdue and fancy else ""
    )
    console.print(line)
    console.print()

    # -- logs --------------------------------------------------------------
    console.print(heading(t("s_logs", lang)))
    console.print(
        t(
            "d_log_totals",
            lang,
            logs=fmt_num(logs.get("total")),
            served=fmt_num(logs.get("served")),
            hours=fmt_num(logs.get("hours")),
        ),
        markup=False,
    )
    log_total = num(logs.get("total"))
    kinds = [
        (label(doc, "kind", k, lang), n, f"{fmt_num(n)} {fmt_pct(n, log_total)}")
        for k, n in kind_counts(doc)
    ]
    kind_peak = max((n for _, n, _ in kinds), default=0)
    left = Group(sub(t("d_by_kind", lang)), bars(kinds, kind_peak, 16))
    points = [as_dict(p) for p in as_list(logs.get("by_point"))]
    points.sort(key=lambda p: (-num(p.get("logs")), str(p.get("point") or "")))
    top = points[:TOP_POINTS]
    point_rows = [
        (
            _short_point(p),
            p.get("logs"),
            f"{fmt_num(p.get('logs'))}",
        )
        for p in top
    ]
    point_peak = max((num(v) for _, v, _ in point_rows), default=0)
    heading_key = "d_by_point" if len(points) > len(top) else "d_by_point_all"
    right_parts: list[Any] = [
        sub(t(heading_key, lang, n=len(top))),
        bars(point_rows, point_peak, 16, names=20),
    ]
    if len(points) > len(top):
        rest_logs = sum(num(p.get("logs")) for p in points[len(top) :])
        right_parts.append(
            Text(t("d_rest", lang, n=len(points) - len(top), logs=fmt_num(rest_logs)), style=dim)
        )
    console.print(side_by_side(left, Group(*right_parts)))
    idle = [str(c) for c in as_list(logs.get("idle_points"))]
    names = point_names(doc)
    idle_line = Text(t("d_idle", lang, n=len(idle)) + colon, style="bold" if fancy else "")
    if idle:
        shown = [f"{c} {names[c]}" if names.get(c) else c for c in idle]
        idle_line.append(t("d_sep", lang).join(shown))
    else:
        idle_line.append(t("d_none", lang))
    console.print(idle_line)
    console.print()

    # -- checklist ---------------------------------------------------------
    console.print(heading(t("s_checklist", lang, haves=hv)))
    points_n, compliant = num(checklist.get("points")), num(checklist.get("compliant"))
    line = Text(t("d_compliance", lang, haves=hv) + colon, style="bold" if fancy else "")
    line.append(t("of_points", lang, n=fmt_num(compliant), m=fmt_num(points_n)) + "  ")
    line.append(fmt_pct(compliant, points_n), style=accent)
    line.append("  ")
    filled = bar(compliant, points_n, 30)
    line.append(filled, style=bar_style)
    if points_n:
        line.append("░" * (30 - len(filled)), style=dim)
    console.print(line)
    missing = as_dict(checklist.get("missing"))
    item_rows = [
        (label(doc, "item", k, lang), missing.get(k), fmt_num(missing.get(k)))
        for k in item_keys(doc)
    ]
    left = Group(sub(t("d_missing", lang)), bars(item_rows, points_n, 20, names=20))
    flags = Text(
        t("d_never", lang, n=fmt_num(checklist.get("never_checked")))
        + "\n"
        + t("d_stale", lang, n=fmt_num(checklist.get("stale")))
    )
    console.print(side_by_side(left, Group(Text(""), flags)))

    # -- volunteers --------------------------------------------------------
    if "volunteers" in doc:
        console.print()
        console.print(heading(t("s_volunteers", lang)))
        _volunteers(doc, lang, console, sub, bars, side_by_side)
    _pairings_aid(doc, lang, console, heading)


def _volunteers(doc: dict, lang: str, console: Any, sub, bars, side_by_side) -> None:
    """The volunteers block: teams and volunteers, service, hours by team and by field."""
    from rich.console import Group

    v = as_dict(doc.get("volunteers"))
    console.print(t("d_v_totals", lang, **{k: fmt_num(v.get(k)) for k in (
        "teams", "volunteers", "members", "residents", "new")}), markup=False)
    console.print(t("d_v_service", lang, records=fmt_num(v.get("records")),
                    hours=fmt_num(v.get("hours")), idle=fmt_num(v.get("idle"))), markup=False)
    fields = [(label(doc, "field", k, lang), h, fmt_num(h))
              for k, h in as_dict(v.get("by_field")).items()]
    left = Group(sub(t("d_v_by_field", lang)),
                 bars(fields, max((num(h) for _, h, _ in fields), default=0), 16))
    teams = sorted((as_dict(r) for r in as_list(v.get("by_team"))),
                   key=lambda r: (-num(r.get("hours")), str(r.get("team") or "")))[:TOP_POINTS]
    rows = [(str(r.get("name") or r.get("team") or ""), r.get("hours"), fmt_num(r.get("hours")))
            for r in teams]
    right = Group(sub(t("d_v_by_team", lang)),
                  bars(rows, max((num(h) for _, h, _ in rows), default=0), 16, names=20))
    console.print(side_by_side(left, right))


def _pairings_aid(doc: dict, lang: str, console: Any, heading: Any) -> None:
    """Pairings, hardship aid and brands, in a few lines (a document without them: none)."""
    from rich.text import Text

    from cbtool.report.pairings_aid import label as vocab_label
    from cbtool.report.pairings_aid import yuan_text

    if not any(key in doc for key in ("pairings", "aid", "brands")):
        return
    sep, colon = t("d_sep", lang), t("d_colon", lang)
    console.print()
    console.print(heading(t("s_pairings_aid", lang)))
    if "pairings" in doc:
        p = as_dict(doc["pairings"])
        console.print(Text(t("d_pairings", lang, active=fmt_num(p.get("active")),
                             without=len(as_list(p.get("points_without"))),
                             logs=fmt_num(p.get("activities")))))
        parts = [f"{vocab_label(doc, 'heading', k, lang)} {fmt_num(n)}"
                 for k, n in as_dict(p.get("by_heading")).items() if k != "none" and num(n)]
        if parts:
            console.print(Text("  " + t("d_by_heading", lang) + colon + sep.join(parts)))
    if "aid" in doc:
        a = as_dict(doc["aid"])
        given = as_dict(a.get("given"))
        console.print(Text(t("d_aid", lang, open=fmt_num(a.get("open")), new=fmt_num(a.get("new")),
                             closed=fmt_num(a.get("closed")), n=fmt_num(given.get("count")),
                             amount=yuan_text(given))))
        forms = [t("d_times_amount" if num(as_dict(v).get("amount_fen")) else "d_times", lang,
                   what=vocab_label(doc, "aid_form", k, lang),
                   n=fmt_num(as_dict(v).get("count")), amount=yuan_text(v))
                 for k, v in as_dict(a.get("by_form")).items() if num(as_dict(v).get("count"))]
        if forms:
            console.print(Text("  " + t("d_by_form", lang) + colon + sep.join(forms)))
        funds = [t("d_fund", lang, name=e.get("name"), amount=yuan_text(e),
                   balance=e.get("balance") or "") if e.get("balance") is not None else
                 f"{e.get('name')} {yuan_text(e)}"
                 for e in map(as_dict, as_list(a.get("by_fund")))
                 if e.get("fund") and num(e.get("count"))]
        if funds:
            console.print(Text("  " + t("d_by_fund", lang) + colon + sep.join(funds)))
    if "brands" in doc:
        rows = [as_dict(e) for e in as_list(as_dict(doc["brands"]).get("by_area"))]
        parts = [f"{e.get('area')} {e.get('brand')} {fmt_num(e.get('logs'))}"
                 for e in rows if e.get("brand")]
        without = sum(1 for e in rows if not e.get("brand"))
        line = t("d_brands", lang) + colon + (sep.join(parts) or t("d_none", lang))
        if without:
            line += t("d_no_brand", lang, n=without)
        console.print(Text(line))
