"""The HTML report: one self-contained page (inline CSS and SVG, no scripts, no links)
that opens offline and prints on A4."""

from __future__ import annotations

from html import escape
from importlib import resources
from typing import Any

from cbtool.formats import Money
from cbtool.report import svg
from cbtool.report.model import (
    Section,
    as_dict,
    as_list,
    category_keys,
    fmt_num,
    fmt_pct,
    fmt_timestamp,
    haves_params,
    item_keys,
    kind_counts,
    label,
    num,
    overdue_count,
    period_dates,
    period_label,
    point_names,
    report_title,
    sections,
    t,
)
from cbtool.vocab import MARK_MISSING, MARK_NEVER, MARK_OK, MARK_STALE, mark_legend

MAX_POINT_BARS = 30  # more points than this: the busiest are drawn, all are in the table
HALF, HALF_FONT = 430, 15  # charts in a half-width column: larger text, as they scale down
SHORT_TABLE = 15  # rows; a table this short is never split across printed pages


def page_css() -> str:
    return resources.files("cbtool.report").joinpath("report.css").read_text(encoding="utf-8")


def section_heading(index: int, text: str, lang: str) -> str:
    mark = f"{'一二三四五六七八九十'[index]}、" if lang != "en" else f"{index + 1}. "
    return f"<h2>{escape(mark + text)}</h2>"


# ---------------------------------------------------------------------------
# Tables


def _numeric(section: Section) -> list[bool]:
    flags = []
    for i in range(len(section.columns)):
        values = [row[i] for row in section.rows if i < len(row) and row[i] != ""]
        flags.append(bool(values) and all(isinstance(v, int | float | Money) for v in values))
    return flags


_MARKS = {MARK_OK: "ok", MARK_STALE: "ok stale", MARK_MISSING: "bad", MARK_NEVER: "never"}


def _cell_html(value: Any) -> tuple[str, str]:
    """(css class, inner html) of one cell."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return "num", escape(fmt_num(value))
    if isinstance(value, Money):
        return "num", escape(value)
    text = str(value)
    mark, _, date = text.partition(" ")
    if mark in _MARKS:
        inner = f'<span class="mk {_MARKS[mark]}">{escape(mark)}</span>'
        if date:
            inner += f'<span class="d">{escape(date)}</span>'
        return "mark", inner
    return "", escape(text)


def table_html(section: Section, lang: str, caption: str | None = None) -> str:
    numeric = _numeric(section)
    marks = section.key == "checklist_by_point"
    head_cls = []
    for i, is_num in enumerate(numeric):
        if is_num:
            head_cls.append(' class="num"')
        elif marks and i > 1:
            head_cls.append(' class="mark"')
        else:
            head_cls.append("")
    short = " short" if len(section.rows) <= SHORT_TABLE else ""
    parts = [f'<table class="t-{escape(section.key)}{short}">']
    if caption:
        parts.append(f"<caption>{escape(caption)}</caption>")
    parts.append("<thead><tr>")
    parts += [
        f"<th{c}>{escape(col)}</th>" for c, col in zip(head_cls, section.columns, strict=True)
    ]
    parts.append("</tr></thead>")
    body = section.rows[:-1] if section.total_row else section.rows
    parts.append("<tbody>")
    if not body:
        parts.append(
            f'<tr><td class="none" colspan="{len(section.columns)}">'
            f"{escape(t('none', lang))}</td></tr>"
        )
    yes = t("yes", lang)
    for row in body:
        parts.append("<tr>")
        for i, value in enumerate(row):
            cls, inner = _cell_html(value)
            if marks and i == len(row) - 1:  # the compliant column: 是 / 否
                kind = "ok" if value == yes else "bad"
                cls, inner = "mark", f'<span class="mk {kind}">{inner}</span>'
            parts.append(f'<td class="{cls}">{inner}</td>' if cls else f"<td>{inner}</td>")
        parts.append("</tr>")
    parts.append("</tbody>")
    if section.total_row and section.rows:
        parts.append("<tfoot><tr>")
        for value in section.rows[-1]:
            cls, inner = _cell_html(value)
            parts.append(f'<td class="{cls}">{inner}</td>' if cls else f"<td>{inner}</td>")
        parts.append("</tr></tfoot>")
    parts.append("</table>")
    return "".join(parts)


# ---------------------------------------------------------------------------
# Blocks


def kpi(label_text: str, value: str, unit: str = "", sub: str = "") -> str:
    unit_html = f'<span class="unit">{escape(unit)}</span>' if unit else ""
    sub_html = f'<div class="sub">{escape(sub)}</div>' if sub else ""
    return (
        f'<div class="kpi"><div class="label">{escape(label_text)}</div>'
        f'<div class="value">{escape(value)}{unit_html}</div>{sub_html}</div>'
    )


def _kpis(doc: dict, lang: str, hp: dict[str, str]) -> str:
    members = as_dict(doc.get("members"))
    logs = as_dict(doc.get("logs"))
    checklist = as_dict(doc.get("checklist"))
    points, compliant = num(checklist.get("points")), num(checklist.get("compliant"))
    cards = [
        kpi(t("k_members", lang), fmt_num(members.get("total")), t("members_unit", lang)),
        kpi(t("k_logs", lang), fmt_num(logs.get("total")), t("logs_unit", lang)),
        kpi(t("k_served", lang), fmt_num(logs.get("served")), t("served_unit", lang)),
        kpi(t("k_hours", lang), fmt_num(logs.get("hours")), t("hours_unit", lang)),
        kpi(
            t("k_rate", lang, **hp),
            fmt_pct(compliant, points),
            sub=t("of_points", lang, n=fmt_num(compliant), m=fmt_num(points)),
        ),
    ]
    return f'<section class="kpis">{"".join(cards)}</section>'


def facts_html(rows: list[tuple[str, Any, bool]]) -> str:
    items = []
    for name, value, alert in rows:
        cls = ' class="alert"' if alert and num(value) else ""
        items.append(f"<dt>{escape(name)}</dt><dd{cls}>{escape(fmt_num(value))}</dd>")
    return f'<dl class="facts">{"".join(items)}</dl>'


def _members_block(doc: dict, lang: str, by_key: dict[str, Section]) -> str:
    members = as_dict(doc.get("members"))
    by_category = as_dict(members.get("by_category"))
    total = num(members.get("total"))
    rows = []
    for key in category_keys(doc):
        value = num(by_category.get(key))
        share = fmt_pct(value, total)
        text = f"{fmt_num(value)} ({share})" if lang == "en" else f"{fmt_num(value)}（{share}）"
        rows.append((label(doc, "category", key, lang), value, text))
    chart = svg.hbar_chart(
        rows, title=t("by_category", lang), width=HALF, row_height=36, font_size=HALF_FONT
    )
    facts = facts_html(
        [
            (t("joined", lang), members.get("joined"), False),
            (t("archived", lang), members.get("archived"), False),
            (t("recategorized", lang), members.get("recategorized"), False),
            (t("placed", lang), members.get("placed"), False),
            (t("overdue", lang), overdue_count(members), True),
        ]
    )
    return (
        section_heading(0, t("s_members", lang), lang)
        + '<div class="grid2">'
        + f'<figure class="keep"><h3>{escape(t("by_category", lang))}</h3>{chart}</figure>'
        + f'<div class="keep"><h3>{escape(t("movement", lang))}</h3>{facts}</div>'
        + "</div>"
        + f"<h3>{escape(by_key['members_by_area'].title)}</h3>"
        + table_html(by_key["members_by_area"], lang)
    )


def _logs_block(doc: dict, lang: str, by_key: dict[str, Section]) -> str:
    logs = as_dict(doc.get("logs"))
    points = [as_dict(p) for p in as_list(logs.get("by_point"))]
    points.sort(key=lambda p: (-num(p.get("logs")), str(p.get("point") or "")))
    shown = points[:MAX_POINT_BARS]
    rows = [
        (str(p.get("name") or p.get("point") or ""), num(p.get("logs")), fmt_num(p.get("logs")))
        for p in shown
    ]
    point_chart = svg.hbar_chart(rows, title=t("per_point", lang), width=880, row_height=21)
    more = ""
    if len(points) > len(shown):
        more = escape(t("per_point_more", lang, n=len(shown), rest=len(points) - len(shown)))
        more = f"<figcaption>{more}</figcaption>"
    total = num(logs.get("total"))
    kinds = [
        (label(doc, "kind", k, lang), n, f"{fmt_num(n)} · {fmt_pct(n, total)}")
        for k, n in kind_counts(doc)
    ]
    kind_chart = svg.hbar_chart(
        kinds,
        title=t("per_kind", lang),
        width=HALF,
        row_height=30,
        font_size=HALF_FONT,
        color="#c62828",
    )
    names = point_names(doc)
    idle = [str(c) for c in as_list(logs.get("idle_points"))]
    if idle:
        chips = "".join(
            f'<li><span class="code">{escape(c)}</span>{escape(names.get(c, ""))}</li>'
            for c in idle
        )
        idle_html = f'<ul class="chips">{chips}</ul>'
    else:
        idle_html = f'<p class="none">{escape(t("none", lang))}</p>'
    idle_title = f'{escape(t("idle_points", lang))} <span class="count">({len(idle)})</span>'
    return (
        section_heading(1, t("s_logs", lang), lang)
        + f"<figure><h3>{escape(t('per_point', lang))}</h3>{point_chart}{more}</figure>"
        + '<div class="grid2">'
        + f'<figure class="keep"><h3>{escape(t("per_kind", lang))}</h3>{kind_chart}</figure>'
        + f'<div class="keep"><h3>{escape(by_key["logs_by_kind"].title)}</h3>'
        + table_html(by_key["logs_by_kind"], lang)
        + "</div></div>"
        + f"<h3>{idle_title}</h3>{idle_html}"
        + f"<h3>{escape(by_key['logs_by_point'].title)}</h3>"
        + table_html(by_key["logs_by_point"], lang)
    )


def _stale_days(doc: dict) -> int | None:
    """The stale days the document's checks were judged by, if it says (then the legend
    explains the stale mark)."""
    days = as_dict(doc.get("checklist")).get("stale_days")
    return days if isinstance(days, int) and not isinstance(days, bool) else None


def _checklist_block(doc: dict, lang: str, by_key: dict[str, Section], hp: dict) -> str:
    checklist = as_dict(doc.get("checklist"))
    points, compliant = num(checklist.get("points")), num(checklist.get("compliant"))
    donut = svg.donut(
        [
            (t("compliant_pts", lang), compliant, svg.RED),
            (t("noncompliant_pts", lang), max(points - compliant, 0), "#bdbdbd"),
        ],
        title=t("compliance", lang, **hp),
        center=fmt_pct(compliant, points),
        caption=t("of_points", lang, n=fmt_num(compliant), m=fmt_num(points)),
        width=HALF,
        font_size=HALF_FONT,
    )
    missing = as_dict(checklist.get("missing"))
    rows = [
        (label(doc, "item", k, lang), num(missing.get(k)), fmt_num(missing.get(k)))
        for k in item_keys(doc)
    ]
    missing_chart = svg.hbar_chart(
        rows,
        title=t("missing_by_item", lang),
        width=HALF,
        row_height=32,
        font_size=HALF_FONT,
        color="#8d6e63",
        scale_max=points or None,
    )
    note = f"<figcaption>{escape(t('missing_note', lang, m=fmt_num(points)))}</figcaption>"
    facts = facts_html(
        [
            (t("never_checked", lang), checklist.get("never_checked"), True),
            (t("stale", lang), checklist.get("stale"), True),
        ]
    )
    html = (
        section_heading(2, t("s_checklist", lang, **hp), lang)
        + '<div class="grid2">'
        + f'<figure class="keep"><h3>{escape(t("compliance", lang, **hp))}</h3>{donut}'
        + f"{facts}</figure>"
        + f'<figure class="keep"><h3>{escape(t("missing_by_item", lang))}</h3>'
        + f"{missing_chart}{note if points else ''}</figure>"
        + "</div>"
    )
    if "checklist_by_point" in by_key:
        html += (
            f"<h3>{escape(t('matrix', lang, **hp))}</h3>"
            + f'<p class="legend">{escape(mark_legend(lang, _stale_days(doc)))}</p>'
            + table_html(by_key["checklist_by_point"], lang)
        )
    else:
        html += f"<h3>{escape(by_key['checklist_missing'].title)}</h3>"
        html += table_html(by_key["checklist_missing"], lang)
    return html


def _volunteers_block(doc: dict, lang: str, by_key: dict[str, Section]) -> str:
    """Teams, volunteers and their hours: the figures, hours by field, the teams' table."""
    if "volunteers_overview" not in by_key:
        return ""
    v = as_dict(doc.get("volunteers"))
    fields = [(label(doc, "field", k, lang), num(h), fmt_num(h))
              for k, h in as_dict(v.get("by_field")).items()]
    chart = svg.hbar_chart(fields, title=t("volunteers_by_field", lang), width=HALF,
                           row_height=30, font_size=HALF_FONT)
    facts = facts_html([(t(k, lang), v.get(n), alert) for k, n, alert in (
        ("v_teams", "teams", False), ("v_volunteers", "volunteers", False),
        ("v_members", "members", False), ("v_residents", "residents", False),
        ("v_new", "new", False), ("v_records", "records", False), ("v_hours", "hours", False),
        ("v_idle", "idle", True))])
    return (
        "<section>"
        + section_heading(3, t("s_volunteers", lang), lang)
        + '<div class="grid2">'
        + f'<div class="keep"><h3>{escape(t("volunteers_overview", lang))}</h3>{facts}</div>'
        + f'<figure class="keep"><h3>{escape(t("volunteers_by_field", lang))}</h3>{chart}'
        + "</figure></div>"
        + f"<h3>{escape(by_key['volunteers_by_team'].title)}</h3>"
        + table_html(by_key["volunteers_by_team"], lang)
        + "</section>\n"
    )
def _pairings_aid_block(doc: dict, lang: str, by_key: dict[str, Section]) -> str:
    """Pairings, hardship aid and brands: their tables (``report.pairings_aid``), if the
    document has them."""
    from cbtool.report.pairings_aid import KEYS

    shown = [by_key[k] for k in KEYS if k in by_key]
    if not shown:
        return ""
    index = 4 if "volunteers_overview" in by_key else 3  # after 志愿服务 when it is there
    return ("<section>" + section_heading(index, t("s_pairings_aid", lang), lang)
            + "".join(f"<h3>{escape(s.title)}</h3>{table_html(s, lang)}" for s in shown)
            + "</section>\n")


def render_html(doc: dict, lang: str = "zh") -> str:
    """The whole report as one self-contained HTML document."""
    by_key = {s.key: s for s in sections(doc, lang)}
    hp = haves_params(doc, lang)
    title = report_title(doc, lang)
    label_text = period_label(doc)
    heading = escape(title[: len(title) - len(label_text)].strip()) if label_text else ""
    h1 = (
        f'{heading} <span class="period">{escape(label_text)}</span>'
        if label_text
        else escape(title)
    )
    start, end = period_dates(doc)
    meta = []
    if start or end:
        meta.append(f"{t('period', lang)} {t('date_range', lang, start=start, end=end)}")
    if doc.get("as_of"):
        meta.append(f"{t('as_of', lang)} {doc['as_of']}")
    if doc.get("generated_at"):
        meta.append(f"{t('generated_at', lang)} {fmt_timestamp(doc['generated_at'])}")
    meta_html = "".join(f"<span>{escape(m)}</span>" for m in meta)
    html_lang = "en" if lang == "en" else "zh-CN"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{page_css()}</style>\n</head>\n<body>\n"
        '<main class="page">\n'
        f'<header class="masthead"><h1>{h1}</h1><p class="meta">{meta_html}</p></header>\n'
        + _kpis(doc, lang, hp)
        + "\n<section>"
        + _members_block(doc, lang, by_key)
        + "</section>\n<section>"
        + _logs_block(doc, lang, by_key)
        + "</section>\n<section>"
        + _checklist_block(doc, lang, by_key, hp)
        + "</section>\n"
        + _volunteers_block(doc, lang, by_key)
        + _pairings_aid_block(doc, lang, by_key)
        + f"<footer>{escape(t('footer', lang))}</footer>\n</main>\n</body>\n</html>\n"
    )
