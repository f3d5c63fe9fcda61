"""The district roll-up written for people: the report's sections with units in the rows.

Works from the roll-up document alone (``cbtool.rollup``): the report's overview, kinds
and missing items over the sums, then one table per section by unit, and what went wrong
(missing units, refused files, duplicates). A section this module does not know gets a
by-unit table of its figures all the same. ``ROLLUP_VIEW`` hands these to the report's
writer, so every format is written as the report's is (atomic, owner-only).

Why one module of ~475 lines: the roll-up's md and html share their by-unit tables.
"""

from __future__ import annotations

from html import escape
from typing import Any

from cbtool.fields import yuan
from cbtool.formats import Money
from cbtool.report import svg
from cbtool.report.html import (
    HALF,
    HALF_FONT,
    MAX_POINT_BARS,
    facts_html,
    kpi,
    page_css,
    section_heading,
)
from cbtool.report.html import table_html as _table
from cbtool.report.md import section_md
from cbtool.report.model import (
    TEXTS,
    Section,
    as_dict,
    as_list,
    category_keys,
    fmt_num,
    fmt_pct,
    haves_params,
    kind_counts,
    label,
    num,
    overdue_count,
    period_dates,
    period_label,
    report_title,
    sections,
    t,
)
from cbtool.report.writer import View
from cbtool.text import md_text

# Keys of the document that are not sections of figures (as cbtool.rollup's META).
_META = {"period", "as_of", "area", "labels", "office", "tool", "schema", "generated_at",
         "units", "rollup"}
_KNOWN = ("members", "logs", "checklist")


def rollup_title(doc: dict, lang: str) -> str:
    """'金山区委 党建工作月报汇总 2026-11'."""
    title, text = report_title(doc, lang), period_label(doc)
    head = title[: len(title) - len(text)].rstrip() if text else title
    return f"{head}{t('r_suffix', lang)} {text}".strip()


def _units(doc: dict) -> list[dict]:
    return [as_dict(u) for u in as_list(doc.get("units"))]


def _name(unit: dict) -> str:
    return str(unit.get("name") or unit.get("code") or "")


def flat(section: Any, path: str = "") -> dict[str, Any]:
    """A section's figures as ``{"a.b": number}``: numbers, tables of them, a list of
    codes as its length (``by_…`` rows and text left out), in the document's order."""
    out: dict[str, Any] = {}
    for key, value in as_dict(section).items():
        dotted = f"{path}.{key}" if path else str(key)
        if isinstance(value, bool) or value is None or isinstance(value, str):
            continue
        if isinstance(value, int | float):
            out[dotted] = value
        elif isinstance(value, dict):
            out.update(flat(value, dotted))
        elif isinstance(value, list) and not str(key).startswith("by_"):
            out[dotted] = len(value)
    return out


# ---------------------------------------------------------------------------
# Sections


def _overview(doc: dict, lang: str, report: dict[str, Section]) -> Section:
    rollup = as_dict(doc.get("rollup"))
    base = report["overview"]
    rows = list(base.rows)
    at = next((i + 1 for i, r in enumerate(rows) if r[0] == t("as_of", lang)), 1)
    counts = [[t("r_units", lang), len(_units(doc))]]
    if as_list(rollup.get("expected")):
        counts.append([t("r_expected", lang), len(as_list(rollup.get("expected")))])
        counts.append([t("r_missing", lang), len(as_list(rollup.get("missing")))])
    counts.append([t("r_refused", lang), len(as_list(rollup.get("refused")))])
    counts.append([t("r_duplicates", lang), len(as_list(rollup.get("duplicates")))])
    rows[at:at] = counts
    return Section("overview", base.title, base.columns, rows)


def _unit_cells(unit: dict) -> list[Any]:
    return [str(unit.get("code") or ""), _name(unit)]


def _units_table(doc: dict, lang: str) -> Section:
    """Who reported: code, name, parent, as-of day, (for a city) how many units each
    rolled up, and the file read."""
    units = _units(doc)
    below = any("units" in u for u in units)  # districts' documents, rolled up by a city
    columns = [t("code", lang), t("unit", lang), t("parent", lang), t("as_of", lang),
               *([t("r_below", lang)] if below else []), t("file", lang)]
    rows = []
    for unit in units:
        row = [*_unit_cells(unit), str(unit.get("parent") or ""), str(unit.get("as_of") or "")]
        row += [num(unit.get("units"))] if below else []
        rows.append([*row, str(unit.get("file") or "")])
    return Section("units", t("units", lang), columns, rows)


def _members_by_unit(doc: dict, lang: str) -> Section:
    members = as_dict(doc.get("members"))
    cats = category_keys(doc)
    columns = [t("code", lang), t("unit", lang)]
    columns += [label(doc, "category", c, lang) for c in cats] + [t("total", lang)]
    rows: list[list[Any]] = []
    for unit in _units(doc):
        m = as_dict(unit.get("members"))
        by = as_dict(m.get("by_category"))
        rows.append(_unit_cells(unit) + [num(by.get(c)) for c in cats] + [num(m.get("total"))])
    by_category = as_dict(members.get("by_category"))
    rows.append(["", t("total", lang)] + [num(by_category.get(c)) for c in cats]
                + [num(members.get("total"))])
    return Section("members_by_unit", t("members_by_unit", lang), columns, rows, True,
                   chart=(1, len(columns) - 1))


_MOVEMENT = ("joined", "archived", "recategorized", "placed")


def _movement_by_unit(doc: dict, lang: str) -> Section:
    columns = [t("code", lang), t("unit", lang)]
    columns += [t(k, lang) for k in _MOVEMENT] + [t("overdue", lang)]

    def cells(m: dict) -> list[Any]:
        return [num(m.get(k)) for k in _MOVEMENT] + [overdue_count(m)]

    rows = [_unit_cells(u) + cells(as_dict(u.get("members"))) for u in _units(doc)]
    rows.append(["", t("total", lang)] + cells(as_dict(doc.get("members"))))
    return Section("movement_by_unit", t("movement_by_unit", lang), columns, rows, True)


def _logs_by_unit(doc: dict, lang: str) -> Section:
    logs = as_dict(doc.get("logs"))
    columns = [t("code", lang), t("unit", lang), t("logs", lang), t("served", lang),
               t("hours", lang), t("idle_count", lang)]
    rows: list[list[Any]] = []
    for unit in _units(doc):
        u = as_dict(unit.get("logs"))
        rows.append(_unit_cells(unit) + [num(u.get("total")), num(u.get("served")),
                                         num(u.get("hours")), num(u.get("idle_points"))])
    rows.append(["", t("total", lang), num(logs.get("total")), num(logs.get("served")),
                 num(logs.get("hours")), len(as_list(logs.get("idle_points")))])
    return Section("logs_by_unit", t("logs_by_unit", lang), columns, rows, True, chart=(1, 2))


def _checklist_by_unit(doc: dict, lang: str) -> Section:
    hp = haves_params(doc, lang)
    columns = [t("code", lang), t("unit", lang), t("items_n", lang), t("c_points", lang),
               t("c_compliant", lang, **hp), t("c_rate", lang, **hp),
               t("never_checked", lang), t("stale", lang)]

    def cells(c: dict, items: Any) -> list[Any]:
        return [items, num(c.get("points")), num(c.get("compliant")),
                fmt_pct(c.get("compliant"), c.get("points")), num(c.get("never_checked")),
                num(c.get("stale"))]

    rows = [_unit_cells(u) + cells(as_dict(u.get("checklist")),
                                   num(as_dict(u.get("checklist")).get("items")))
            for u in _units(doc)]
    checklist = as_dict(doc.get("checklist"))
    rows.append(["", t("total", lang)] + cells(checklist, len(as_list(checklist.get("items")))))
    return Section("checklist_by_unit", t("checklist_by_unit", lang, **hp), columns, rows, True,
                   chart=(1, 4))


def _section_title(name: str, lang: str) -> str:
    """A later section's heading from the text table if it has one (``s_<name>``)."""
    pair = TEXTS.get(f"s_{name}")
    text = t(f"s_{name}", lang, haves="", haves_cap="") if pair else name
    return t("section_by_unit", lang, name=text)


def _other_by_unit(doc: dict, name: str, lang: str) -> Section:
    """A later section's figures (dotted keys) by unit, those of the sums (a unit's own
    ratio, which has no total, is in the JSON only); amounts in fen shown as yuan (``Money``)."""
    total = flat(doc.get(name))
    keys = list(total)
    money = [k.endswith("_fen") for k in keys]

    def cells(figures: dict) -> list[Any]:
        return [Money.of(yuan(num(figures.get(k)))) if fen else num(figures.get(k))
                for k, fen in zip(keys, money, strict=True)]

    rows = [_unit_cells(unit) + cells(flat(unit.get(name))) for unit in _units(doc)]
    rows.append(["", t("total", lang)] + cells(total))
    columns = [t("code", lang), t("unit", lang), *(_column(doc, name, k, lang) for k in keys)]
    return Section(f"{name}_by_unit", _section_title(name, lang), columns, rows, True)


# A later section's figures named as the office report names them (its text table).
_FIGURES = {
    "volunteers": {"teams": "v_teams", "new_teams": "v_new_teams", "volunteers": "v_volunteers",
                   "members": "v_members", "residents": "v_residents", "new": "v_new",
                   "records": "v_records", "hours": "v_hours", "hours_no_team":
                   "v_no_team_hours", "serving": "v_serving", "idle": "v_idle"},
    "pairings": {"active": "p_active", "points_without": "p_without",
                 "activities": "p_activities", "by_heading.none": "heading_none"},
    "aid": {"open": "a_open", "new": "a_new", "closed": "a_closed", "given.count": "a_given",
            "given.amount_fen": "a_amount"},
    "brands": {"with_brand": "b_with", "logs": "b_logs"},
}
_PER_ENTRY = {"count": "per_times", "amount_fen": "per_yuan"}  # by_form.visit.count …


def _column(doc: dict, section: str, dotted: str, lang: str) -> str:
    """A figure's heading: the office report's name for it; ``by_field.elderly`` under
    the label the document gives ``elderly`` in its ``field`` (or ``<section>_field``)
    vocabulary (``by_form.visit.count``: that label and the unit); else the key."""
    known = _FIGURES.get(section, {}).get(dotted)
    if known:
        return t(known, lang)
    head, _, key = dotted.rpartition(".")
    unit = _PER_ENTRY.get(key) if head.count(".") == 1 else None
    if unit:
        head, _, key = head.rpartition(".")
    if head.startswith("by_"):
        labels = as_dict(doc.get("labels"))
        for vocab in (head[3:], f"{section}_{head[3:]}"):
            text = as_dict(labels.get(vocab)).get(key)
            if isinstance(text, str) and text:
                return t(unit, lang, name=text) if unit else text
    return dotted


def other_sections(doc: dict) -> list[str]:
    return [k for k, v in doc.items() if k not in _META and k not in _KNOWN
            and isinstance(v, dict)]


def _problems(doc: dict, lang: str) -> list[Section]:
    rollup = as_dict(doc.get("rollup"))
    out = []
    if as_list(rollup.get("expected")):
        out.append(Section("missing_units", t("missing_units", lang), [t("code", lang)],
                           [[str(c)] for c in as_list(rollup.get("missing"))]))
    if as_list(rollup.get("refused")):
        rows = [[str(as_dict(r).get("file") or ""), str(as_dict(r).get("reason") or "")]
                for r in as_list(rollup.get("refused"))]
        out.append(Section("refused", t("refused_files", lang),
                           [t("file", lang), t("reason", lang)], rows))
    if as_list(rollup.get("duplicates")):
        rows = [[str(as_dict(d).get(k) or "") for k in ("code", "kept", "dropped")]
                for d in as_list(rollup.get("duplicates"))]
        out.append(Section("duplicates", t("duplicate_reports", lang),
                           [t("code", lang), t("kept", lang), t("dropped", lang)], rows))
    return out


def rollup_sections(doc: dict, lang: str = "zh") -> list[Section]:
    """The roll-up flattened into titled tables (csv files, xlsx sheets, md tables)."""
    report = {s.key: s for s in sections(doc, lang)}
    return [
        _overview(doc, lang, report),
        _units_table(doc, lang),
        *_problems(doc, lang),
        _members_by_unit(doc, lang),
        _movement_by_unit(doc, lang),
        _logs_by_unit(doc, lang),
        report["logs_by_kind"],
        _checklist_by_unit(doc, lang),
        report["checklist_missing"],
        *(_other_by_unit(doc, name, lang) for name in other_sections(doc)),
    ]


# ---------------------------------------------------------------------------
# Markdown and HTML


def render_rollup_md(doc: dict, lang: str = "zh") -> str:
    head = [f"# {md_text(rollup_title(doc, lang))}", ""]
    start, end = period_dates(doc)
    colon = ": " if lang == "en" else "："
    facts = []
    if start or end:
        facts.append(t("period", lang) + colon + t("date_range", lang, start=start, end=end))
    if doc.get("as_of"):
        facts.append(t("as_of", lang) + colon + str(doc["as_of"]))
    if facts:
        head += ["  \n".join(md_text(f) for f in facts), ""]
    body = [section_md(s, lang) for s in rollup_sections(doc, lang)]
    return "\n".join(head + body).rstrip("\n") + "\n"


def _unit_chart(doc: dict, lang: str, title: str, value, text, *, scale_max=None) -> str:
    """Bars comparing the units (the largest first, at most MAX_POINT_BARS) and a note
    when some are left to the table."""
    units = sorted(_units(doc), key=lambda u: (-value(u), str(u.get("code") or "")))
    shown = units[:MAX_POINT_BARS]
    rows = [(_name(u), value(u), text(u)) for u in shown]
    chart = svg.hbar_chart(rows, title=title, width=880, row_height=21, scale_max=scale_max)
    more = ""
    if len(units) > len(shown):
        note = t("per_unit_more", lang, n=len(shown), rest=len(units) - len(shown))
        more = f"<figcaption>{escape(note)}</figcaption>"
    return f"<figure><h3>{escape(title)}</h3>{chart}{more}</figure>"


# A by-unit table's figures per printed table: with the code and the unit's name, six
# figures fit an A4 page's width (180 mm) at the print size; more are continued below.
PRINT_FIGURES = 6
# The roll-up page's own print rules: by-unit headings wrap (they are long: "有项目从未检查
# 的服务点（个）"), smaller type and padding so the columns fit A4.
ROLLUP_CSS = """table[class*="_by_unit"] thead th {
  white-space: normal; overflow-wrap: anywhere; vertical-align: bottom;
}
table[class*="_by_unit"] td:nth-child(2) { word-break: break-all; }
@media print {
  table[class*="_by_unit"] { font-size: 10.5px; }
  table[class*="_by_unit"] th, table[class*="_by_unit"] td { padding: 3px 4px; }
  svg.chart { max-width: 100%; height: auto; }
}
"""


def print_parts(section: Section, width: int = PRINT_FIGURES) -> list[Section]:
    """A by-unit table as tables of at most ``width`` figures each, the code and the
    unit's name repeated in every one, so none is wider than the page."""
    figures = len(section.columns) - 2
    if figures <= width:
        return [section]
    parts = []
    for start in range(2, len(section.columns), width):
        cut = slice(start, start + width)
        parts.append(Section(section.key, section.title, section.columns[:2] + section.columns[cut],
                             [row[:2] + row[cut] for row in section.rows], section.total_row))
    return parts


def _h3_table(section: Section, lang: str) -> str:
    parts = print_parts(section)
    out = []
    for i, part in enumerate(parts, 1):
        title = section.title if len(parts) == 1 else f"{section.title}（{i}/{len(parts)}）"
        out.append(f"<h3>{escape(title)}</h3>" + _table(part, lang))
    return "".join(out)


def _rate(unit: dict) -> float:
    c = as_dict(unit.get("checklist"))
    points = num(c.get("points"))
    return num(c.get("compliant")) / points if points else 0.0


def render_rollup_html(doc: dict, lang: str = "zh") -> str:
    """The roll-up as one self-contained page, as the office report's: charts compare
    the units, the tables give every figure."""
    by_key = {s.key: s for s in rollup_sections(doc, lang)}
    hp = haves_params(doc, lang)
    rollup = as_dict(doc.get("rollup"))
    members, logs = as_dict(doc.get("members")), as_dict(doc.get("logs"))
    checklist = as_dict(doc.get("checklist"))
    points, compliant = num(checklist.get("points")), num(checklist.get("compliant"))
    cards = [
        kpi(t("k_units", lang), fmt_num(len(_units(doc))), t("units_unit", lang)),
        kpi(t("k_members", lang), fmt_num(members.get("total")), t("members_unit", lang)),
        kpi(t("k_logs", lang), fmt_num(logs.get("total")), t("logs_unit", lang)),
        kpi(t("k_served", lang), fmt_num(logs.get("served")), t("served_unit", lang)),
        kpi(t("k_rate", lang, **hp), fmt_pct(compliant, points),
             sub=t("of_points", lang, n=fmt_num(compliant), m=fmt_num(points))),
    ]
    facts = [(t("r_units", lang), len(_units(doc)), False)]
    if as_list(rollup.get("expected")):
        facts.append((t("r_expected", lang), len(as_list(rollup.get("expected"))), False))
        facts.append((t("r_missing", lang), len(as_list(rollup.get("missing"))), True))
    facts.append((t("r_refused", lang), len(as_list(rollup.get("refused"))), True))
    facts.append((t("r_duplicates", lang), len(as_list(rollup.get("duplicates"))), True))
    parts = [section_heading(0, t("s_units", lang), lang), facts_html(facts), _h3_table(by_key["units"], lang)]
    parts += [_h3_table(by_key[k], lang) for k in ("missing_units", "refused", "duplicates")
              if k in by_key]

    def members_of(u: dict) -> float:
        return num(as_dict(u.get("members")).get("total"))

    def logs_of(u: dict) -> float:
        return num(as_dict(u.get("logs")).get("total"))

    def rate_text(u: dict) -> str:
        c = as_dict(u.get("checklist"))
        return (f"{fmt_pct(c.get('compliant'), c.get('points'))} "
                f"({fmt_num(c.get('compliant'))}/{fmt_num(c.get('points'))})")

    parts += [section_heading(1, t("s_members", lang), lang),
              _unit_chart(doc, lang, t("per_unit_members", lang), members_of,
                          lambda u: fmt_num(members_of(u))),
              _h3_table(by_key["members_by_unit"], lang),
              _h3_table(by_key["movement_by_unit"], lang)]
    total = num(logs.get("total"))
    kinds = [(label(doc, "kind", k, lang), n, f"{fmt_num(n)} · {fmt_pct(n, total)}")
             for k, n in kind_counts(doc)]
    kind_chart = svg.hbar_chart(kinds, title=t("per_kind", lang), width=HALF, row_height=30,
                                font_size=HALF_FONT, color="#c62828")
    parts += [section_heading(2, t("s_logs", lang), lang),
              _unit_chart(doc, lang, t("per_unit_logs", lang), logs_of,
                          lambda u: fmt_num(logs_of(u))),
              _h3_table(by_key["logs_by_unit"], lang),
              '<div class="grid2">'
              f'<figure class="keep"><h3>{escape(t("per_kind", lang))}</h3>{kind_chart}</figure>'
              f'<div class="keep">{_h3_table(by_key["logs_by_kind"], lang)}</div></div>']
    parts += [section_heading(3, t("s_checklist", lang, **hp), lang),
              _unit_chart(doc, lang, t("per_unit_rate", lang, **hp), _rate, rate_text,
                          scale_max=1),
              _h3_table(by_key["checklist_by_unit"], lang),
              _h3_table(by_key["checklist_missing"], lang)]
    for i, name in enumerate(other_sections(doc)):
        section = by_key[f"{name}_by_unit"]
        whole = len(print_parts(section)) == 1  # else in parts, each headed i/n
        parts += [section_heading(4 + i, section.title, lang),
                  _table(section, lang) if whole else _h3_table(section, lang)]
    title = rollup_title(doc, lang)
    text = period_label(doc)
    heading = escape(title[: len(title) - len(text)].strip()) if text else ""
    h1 = f'{heading} <span class="period">{escape(text)}</span>' if text else escape(title)
    start, end = period_dates(doc)
    meta = []
    if start or end:
        meta.append(f"{t('period', lang)} {t('date_range', lang, start=start, end=end)}")
    if doc.get("as_of"):
        meta.append(f"{t('as_of', lang)} {doc['as_of']}")
    meta_html = "".join(f"<span>{escape(m)}</span>" for m in meta)
    html_lang = "en" if lang == "en" else "zh-CN"
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(title)}</title>\n<style>\n{page_css()}{ROLLUP_CSS}</style>\n"
        "</head>\n<body>\n"
        '<main class="page">\n'
        f'<header class="masthead"><h1>{h1}</h1><p class="meta">{meta_html}</p></header>\n'
        f'<section class="kpis">{"".join(cards)}</section>\n<section>'
        + "</section>\n<section>".join(_split(parts))
        + "</section>\n"
        + f"<footer>{escape(t('r_footer', lang))}</footer>\n</main>\n</body>\n</html>\n"
    )


def _split(parts: list[str]) -> list[str]:
    """The blocks grouped into one <section> per heading."""
    groups: list[str] = []
    for part in parts:
        if part.startswith("<h2>") or not groups:
            groups.append(part)
        else:
            groups[-1] += part
    return groups


ROLLUP_VIEW = View("cbtool-rollup", rollup_sections, render_rollup_md, render_rollup_html)
