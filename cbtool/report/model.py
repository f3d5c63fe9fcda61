"""The summary document read for display: labels, figures, and the flat sections that
the md, csv, xlsx and html renderers share.

Everything here works from the document alone (the summary's shape plus the optional
``labels``, ``as_of``, ``generated_at``, ``checklist.by_point``); absent keys read as
empty or zero, so an empty database renders without special cases.
"""

from __future__ import annotations

import re
from typing import Any

from cbtool import clock
from cbtool.report import pairings_aid
from cbtool.report.texts import TEXTS, t  # noqa: F401 (re-exported)
from cbtool.report.values import (  # noqa: F401 (re-exported: the renderers read them here)
    Section,
    as_dict,
    as_list,
    num,
    point_names,
)
from cbtool.text import pick
from cbtool.vocab import (  # noqa: F401 (re-exported)
    CATEGORIES,
    DEFAULT_FIELDS,
    DEFAULT_ITEMS,
    DEFAULT_KINDS,
    haves,
)
from cbtool.vocab import (
    check_mark as _mark,
)

# Texts: the one table of the summary's renderers (``texts.TEXTS``); ``t`` is re-exported.


def report_title(doc: dict, lang: str) -> str:
    label = period_label(doc)
    if re.fullmatch(r"\d{4}-\d{2}", label):
        key = "report_month"
    elif re.fullmatch(r"\d{4}-Q[1-4]", label, re.IGNORECASE):
        key = "report_quarter"
    elif re.fullmatch(r"\d{4}", label):
        key = "report_year"
    else:
        key = "report_other"
    name = office_name(doc)
    office = f"{name} " if name else ""
    return f"{office}{t(key, lang)} {label}".strip()


def office_name(doc: dict) -> str:
    """The office's name: ``office`` is an object (code, name, parent); older documents
    gave the name alone."""
    office = doc.get("office")
    return str(as_dict(office).get("name") or "") if not isinstance(office, str) else office


# ---------------------------------------------------------------------------
# Reading the document


def period_label(doc: dict) -> str:
    return str(as_dict(doc.get("period")).get("label") or "")


def period_dates(doc: dict) -> tuple[str, str]:
    period = as_dict(doc.get("period"))
    return str(period.get("start") or ""), str(period.get("end") or "")


_DEFAULT_LABELS = {
    "field": {k: (zh, en) for k, zh, en, _ in DEFAULT_FIELDS},
    "category": CATEGORIES.labels,
    "kind": {k: (zh, en) for k, zh, en, _ in DEFAULT_KINDS},
    "item": {k: (zh, en) for k, zh, en, _ in DEFAULT_ITEMS},
}


def label(doc: dict, vocab: str, key: str, lang: str) -> str:
    """The document's label for a key, else the built-in one, else the key itself."""
    given = as_dict(as_dict(doc.get("labels")).get(vocab)).get(key)
    if given:
        return str(given)
    pair = _DEFAULT_LABELS[vocab].get(key)
    return pick(pair, lang) if pair else str(key)


def category_keys(doc: dict) -> list[str]:
    by_category = as_dict(as_dict(doc.get("members")).get("by_category"))
    keys = list(by_category) or list(as_dict(as_dict(doc.get("labels")).get("category")))
    return keys or list(CATEGORIES.keys)


def item_keys(doc: dict) -> list[str]:
    """Checklist items in the document's order (configurable: never assume five)."""
    checklist = as_dict(doc.get("checklist"))
    keys = list(as_dict(checklist.get("missing")))
    if not keys:
        keys = list(as_dict(as_dict(doc.get("labels")).get("item")))
    if not keys:
        for row in as_list(checklist.get("by_point")):
            keys = list(as_dict(as_dict(row).get("items")))
            if keys:
                break
    return keys or [e[0] for e in DEFAULT_ITEMS]  # a document without any item: the default


def kind_counts(doc: dict) -> list[tuple[str, int]]:
    by_kind = as_dict(as_dict(doc.get("logs")).get("by_kind"))
    return [(str(k), int(num(v))) for k, v in by_kind.items()]


def overdue_count(members: dict) -> int:
    value = members.get("overdue_contact", members.get("overdue"))
    return int(num(value)) if not isinstance(value, dict | list) else 0


def fmt_num(value: Any) -> str:
    """Figures for people: 1,234; hours to at most two decimals, no trailing zeros."""
    value = num(value)
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}".rstrip("0").rstrip(".")
    return f"{int(value):,}"


def fmt_timestamp(value: Any) -> str:
    """'2026-11-25T08:00:00Z' -> the local '2026-11-25 16:00' (Asia/Shanghai); anything
    else as given."""
    return clock.shown(value or "")


def fmt_pct(part: Any, whole: Any) -> str:
    """``part`` of ``whole`` as ``80.0%`` (a number in an xlsx), ``—`` of nothing."""
    from cbtool.formats import Percent

    whole = num(whole)
    if not whole:
        return "—"
    ratio = num(part) / whole
    return Percent.of(f"{100 * ratio:.1f}%", ratio)


def check_mark(cell: Any, lang: str) -> str:
    """✓ / ✗ with the check's date (✓* when stale), or the never-checked mark
    (``vocab.check_mark``)."""
    cell = as_dict(cell)
    return _mark(cell.get("ok"), cell.get("date"), bool(cell.get("stale")))


# ---------------------------------------------------------------------------
# Sections


def haves_params(doc: dict, lang: str) -> dict[str, str]:
    """The checklist's name for the headings (``haves``, ``haves_cap``): 五有 for five
    items, 六有 for six; a roll-up of units whose lists differ in length says each
    (五有/六有), for its rate counts every unit by its own list."""
    counts = {len(item_keys(doc))}
    listed = [as_dict(as_dict(u).get("checklist")).get("items") for u in as_list(doc.get("units"))]
    units = {len(n) if isinstance(n, list) else n for n in listed}  # a count, or the list
    if len(units) > 1 and all(type(n) is int for n in units):
        counts = units
    name = "/".join(haves(n, lang) for n in sorted(counts))
    return {"haves": name, "haves_cap": name[:1].upper() + name[1:]}


def _overview(doc: dict, lang: str) -> Section:
    members = as_dict(doc.get("members"))
    logs = as_dict(doc.get("logs"))
    checklist = as_dict(doc.get("checklist"))
    hp = haves_params(doc, lang)
    start, end = period_dates(doc)
    rows: list[list[Any]] = [[t("period", lang), period_label(doc)]]
    if start or end:
        rows.append([t("dates", lang), t("date_range", lang, start=start, end=end)])
    if doc.get("as_of"):
        rows.append([t("as_of", lang), str(doc["as_of"])])
    rows += [
        [t("m_total", lang), num(members.get("total"))],
        [t("joined", lang), num(members.get("joined"))],
        [t("archived", lang), num(members.get("archived"))],
        [t("recategorized", lang), num(members.get("recategorized"))],
        [t("placed", lang), num(members.get("placed"))],
        [t("overdue", lang), overdue_count(members)],
        [t("l_total", lang), num(logs.get("total"))],
        [t("served", lang), num(logs.get("served"))],
        [t("hours", lang), num(logs.get("hours"))],
        [t("idle_count", lang), len(as_list(logs.get("idle_points")))],
        [t("c_points", lang), num(checklist.get("points"))],
        [t("c_compliant", lang, **hp), num(checklist.get("compliant"))],
        [
            t("c_rate", lang, **hp),
            fmt_pct(checklist.get("compliant"), checklist.get("points")),
        ],
        [t("never_checked", lang), num(checklist.get("never_checked"))],
        [t("stale", lang), num(checklist.get("stale"))],
    ]
    rows += pairings_aid.overview_rows(doc, lang)
    if doc.get("generated_at"):
        rows.append([t("generated_at", lang), fmt_timestamp(doc["generated_at"])])
    return Section("overview", t("overview", lang), [t("item", lang), t("value", lang)], rows)


def _members_by_area(doc: dict, lang: str) -> Section:
    members = as_dict(doc.get("members"))
    cats = category_keys(doc)
    columns = [t("code", lang), t("area", lang)]
    columns += [label(doc, "category", c, lang) for c in cats] + [t("total", lang)]
    rows: list[list[Any]] = []
    for area in as_list(members.get("by_area")):
        area = as_dict(area)
        row = [str(area.get("area") or ""), str(area.get("name") or "")]
        rows.append(row + [num(area.get(c)) for c in cats] + [num(area.get("total"))])
    by_category = as_dict(members.get("by_category"))
    totals = ["", t("total", lang)] + [num(by_category.get(c)) for c in cats]
    rows.append(totals + [num(members.get("total"))])
    return Section("members_by_area", t("members_by_area", lang), columns, rows, True)


def _logs_by_point(doc: dict, lang: str) -> Section:
    logs = as_dict(doc.get("logs"))
    columns = [t("code", lang), t("point", lang), t("logs", lang)]
    columns += [t("served", lang), t("hours", lang)]
    rows: list[list[Any]] = []
    for point in as_list(logs.get("by_point")):
        point = as_dict(point)
        rows.append(
            [
                str(point.get("point") or ""),
                str(point.get("name") or ""),
                num(point.get("logs")),
                num(point.get("served")),
                num(point.get("hours")),
            ]
        )
    rows.append(
        [
            "",
            t("total", lang),
            num(logs.get("total")),
            num(logs.get("served")),
            num(logs.get("hours")),
        ]
    )
    return Section("logs_by_point", t("logs_by_point", lang), columns, rows, True)


def _logs_by_kind(doc: dict, lang: str) -> Section:
    counts = kind_counts(doc)
    total = num(as_dict(doc.get("logs")).get("total")) or sum(n for _, n in counts)
    columns = [t("kind", lang), t("logs", lang), t("share", lang)]
    rows: list[list[Any]] = [[label(doc, "kind", k, lang), n, fmt_pct(n, total)] for k, n in counts]
    rows.append([t("total", lang), total, fmt_pct(total, total)])
    return Section("logs_by_kind", t("logs_by_kind", lang), columns, rows, True)


def _idle_points(doc: dict, lang: str) -> Section:
    names = point_names(doc)
    rows: list[list[Any]] = [
        [str(code), names.get(str(code), "")]
        for code in as_list(as_dict(doc.get("logs")).get("idle_points"))
    ]
    return Section("idle_points", t("idle_points", lang), [t("code", lang), t("point", lang)], rows)


def _checklist_missing(doc: dict, lang: str) -> Section:
    missing = as_dict(as_dict(doc.get("checklist")).get("missing"))
    rows: list[list[Any]] = [
        [label(doc, "item", k, lang), num(missing.get(k))] for k in item_keys(doc)
    ]
    columns = [t("item", lang), t("missing_points", lang)]
    title = t("checklist_missing", lang, **haves_params(doc, lang))
    return Section("checklist_missing", title, columns, rows)


def _checklist_by_point(doc: dict, lang: str) -> Section:
    items = item_keys(doc)
    columns = [t("code", lang), t("point", lang)]
    columns += [label(doc, "item", k, lang) for k in items] + [t("compliant", lang)]
    rows: list[list[Any]] = []
    for point in as_list(as_dict(doc.get("checklist")).get("by_point")):
        point = as_dict(point)
        cells = as_dict(point.get("items"))
        row = [str(point.get("point") or ""), str(point.get("name") or "")]
        row += [check_mark(cells.get(k), lang) for k in items]
        rows.append(row + [t("yes" if point.get("compliant") else "no", lang)])
    title = t("checklist_by_point", lang, **haves_params(doc, lang))
    return Section("checklist_by_point", title, columns, rows)


def sections(doc: dict, lang: str = "zh") -> list[Section]:
    """The document flattened into titled tables, in report order."""
    result = [
        _overview(doc, lang),
        _members_by_area(doc, lang),
        _logs_by_point(doc, lang),
        _logs_by_kind(doc, lang),
        _idle_points(doc, lang),
        _checklist_missing(doc, lang),
    ]
    if "by_point" in as_dict(doc.get("checklist")):
        result.append(_checklist_by_point(doc, lang))
    if "volunteers" in doc:
        result += volunteer_sections(doc, lang)
    result += pairings_aid.sections(doc, lang)
    return result


# --- volunteers ---------------------------------------------------------------------


def volunteer_sections(doc: dict, lang: str) -> list[Section]:
    """The volunteers section: the overview figures, hours by team, hours by field."""
    v = as_dict(doc.get("volunteers"))
    keys = ("v_teams", "v_new_teams", "v_volunteers", "v_members", "v_residents", "v_new",
            "v_records", "v_hours", "v_no_team_hours", "v_serving", "v_idle")
    names = ("teams", "new_teams", "volunteers", "members", "residents", "new", "records",
             "hours", "hours_no_team", "serving", "idle")
    overview = Section("volunteers_overview", t("volunteers_overview", lang),
                       [t("item", lang), t("value", lang)],
                       [[t(k, lang), num(v.get(n))] for k, n in zip(keys, names, strict=True)])
    rows: list[list[Any]] = []
    for team in as_list(v.get("by_team")):
        team = as_dict(team)
        rows.append([str(team.get("team") or ""), str(team.get("name") or ""),
                     label(doc, "field", str(team.get("field") or ""), lang),
                     num(team.get("volunteers")), num(team.get("records")),
                     num(team.get("hours"))])
    rows.append(["", t("total", lang), "", num(v.get("volunteers")), num(v.get("records")),
                 num(v.get("hours"))])
    by_team = Section("volunteers_by_team", t("volunteers_by_team", lang),
                      [t("code", lang), t("team", lang), t("field", lang), t("v_people", lang),
                       t("records", lang), t("hours", lang)], rows, True)
    fields = as_dict(v.get("by_field"))
    field_rows: list[list[Any]] = [[label(doc, "field", k, lang), num(h)]
                                   for k, h in fields.items()]
    by_field = Section("volunteers_by_field", t("volunteers_by_field", lang),
                       [t("field", lang), t("hours", lang)], field_rows)
    return [overview, by_team, by_field]
