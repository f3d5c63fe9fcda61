"""The report's pairings, aid and brands tables (结对共建、结对帮扶、一居一品), read from the
summary document alone (``summary_pairings``): the overview's lines, the sections every
renderer shares (md, csv, xlsx, html) and the html block. A document without these keys
(an older one) gives none of them. Counts and sums only; amounts as exact yuan text (``Money``: a number in xlsx)."""

from __future__ import annotations

from typing import Any

from cbtool.formats import Money
from cbtool.report.texts import t
from cbtool.report.values import Section, as_dict, as_list, num, point_names
from cbtool.text import pick
from cbtool.vocab import AID_FORMS, AID_KINDS, BRAND_STATUSES, PAIRING_HEADINGS

_VOCABS = {"heading": PAIRING_HEADINGS, "aid_kind": AID_KINDS, "aid_form": AID_FORMS,
           "brand_status": BRAND_STATUSES}


def label(doc: dict, vocab: str, key: str, lang: str) -> str:
    given = as_dict(as_dict(doc.get("labels")).get(vocab)).get(key)
    if given:
        return str(given)
    pair = _VOCABS[vocab].labels.get(key)
    return pick(pair, lang) if pair else str(key)


def yuan_text(entry: Any) -> str:
    """An entry's exact yuan text (``"0.30"``, as ``Money``); a document without it
    shows 0.00."""
    text = as_dict(entry).get("amount")
    return Money.of(text if isinstance(text, str) and text else "0.00")


def has_sections(doc: dict) -> bool:
    return any(key in doc for key in ("pairings", "aid", "brands"))


def overview_rows(doc: dict, lang: str) -> list[list[Any]]:
    """The overview's lines of these sections (none for a document without them)."""
    rows: list[list[Any]] = []
    if "pairings" in doc:
        p = as_dict(doc["pairings"])
        rows += [[t("p_active", lang), num(p.get("active"))],
                 [t("p_without", lang), len(as_list(p.get("points_without")))],
                 [t("p_activities", lang), num(p.get("activities"))]]
    if "aid" in doc:
        a = as_dict(doc["aid"])
        given = as_dict(a.get("given"))
        rows += [[t("a_open", lang), num(a.get("open"))], [t("a_new", lang), num(a.get("new"))],
                 [t("a_closed", lang), num(a.get("closed"))],
                 [t("a_given", lang), num(given.get("count"))],
                 [t("a_amount", lang), yuan_text(given)]]
    if "brands" in doc:
        b = as_dict(doc["brands"])
        rows += [[t("b_with", lang), num(b.get("with_brand"))],
                 [t("b_logs", lang), num(b.get("logs"))]]
    return rows


def _by_heading(doc: dict, lang: str) -> Section:
    p = as_dict(doc.get("pairings"))
    by_heading = as_dict(p.get("by_heading"))
    rows: list[list[Any]] = [
        [t("heading_none", lang) if k == "none" else label(doc, "heading", k, lang), num(n)]
        for k, n in by_heading.items() if k != "none" or num(n)]
    rows.append([t("total", lang), num(p.get("activities"))])
    return Section("pairings_by_heading", t("pairings_by_heading", lang),
                   [t("heading", lang), t("activities", lang)], rows, True)


def _by_pairing(doc: dict, lang: str) -> Section:
    rows: list[list[Any]] = []
    for entry in as_list(as_dict(doc.get("pairings")).get("by_pairing")):
        entry = as_dict(entry)
        rows.append([f"#{entry.get('pairing')}", str(entry.get("point") or ""),
                     str(entry.get("unit") or ""), num(entry.get("logs"))])
    return Section("pairings_by_pairing", t("pairings_by_pairing", lang),
                   [t("pairing", lang), t("point", lang), t("partner_unit", lang),
                    t("activities", lang)], rows)


def _without(doc: dict, lang: str) -> Section:
    names = point_names(doc)
    rows: list[list[Any]] = [[str(c), names.get(str(c), "")] for c in
                             as_list(as_dict(doc.get("pairings")).get("points_without"))]
    return Section("points_without_pairing", t("points_without_pairing", lang),
                   [t("code", lang), t("point", lang)], rows)


def _aid_by_kind(doc: dict, lang: str) -> Section:
    a = as_dict(doc.get("aid"))
    rows: list[list[Any]] = [[label(doc, "aid_kind", k, lang), num(n)]
                             for k, n in as_dict(a.get("by_kind")).items()]
    rows.append([t("total", lang), num(a.get("open"))])
    return Section("aid_by_kind", t("aid_by_kind", lang), [t("kind", lang), t("cases", lang)],
                   rows, True)


def _aid_by_form(doc: dict, lang: str) -> Section:
    a = as_dict(doc.get("aid"))
    rows: list[list[Any]] = [[label(doc, "aid_form", k, lang), num(as_dict(v).get("count")),
                              yuan_text(v)] for k, v in as_dict(a.get("by_form")).items()]
    given = as_dict(a.get("given"))
    rows.append([t("total", lang), num(given.get("count")), yuan_text(given)])
    return Section("aid_by_form", t("aid_by_form", lang),
                   [t("form", lang), t("times", lang), t("amount", lang)], rows, True)


def _aid_by_fund(doc: dict, lang: str) -> Section:
    entries = [as_dict(e) for e in as_list(as_dict(doc.get("aid")).get("by_fund"))]
    balances = any("balance" in e for e in entries)
    columns = [t("fund", lang), t("times", lang), t("amount", lang)]
    columns += [t("balance", lang)] if balances else []
    rows: list[list[Any]] = []
    for e in entries:
        if e.get("fund") is None and not num(e.get("count")):
            continue
        row = [str(e.get("name") or e.get("fund") or t("fund_none", lang)),
               num(e.get("count")), yuan_text(e)]
        if balances:
            row.append(Money.of(str(e.get("balance") or "")))
        rows.append(row)
    return Section("aid_by_fund", t("aid_by_fund", lang), columns, rows)


def _brands(doc: dict, lang: str) -> Section:
    rows: list[list[Any]] = []
    for e in as_list(as_dict(doc.get("brands")).get("by_area")):
        e = as_dict(e)
        status = label(doc, "brand_status", str(e["status"]), lang) if e.get("status") else ""
        rows.append([str(e.get("area") or ""), str(e.get("name") or ""),
                     str(e.get("brand") or t("none", lang)), status, num(e.get("logs"))])
    return Section("brands_by_area", t("brands_by_area", lang),
                   [t("code", lang), t("area", lang), t("brand", lang), t("status", lang),
                    t("activities", lang)], rows)


def sections(doc: dict, lang: str) -> list[Section]:
    """These sections in report order, those the document has the keys of."""
    result = []
    if "pairings" in doc:
        result += [_by_heading(doc, lang), _by_pairing(doc, lang), _without(doc, lang)]
    if "aid" in doc:
        result += [_aid_by_kind(doc, lang), _aid_by_form(doc, lang), _aid_by_fund(doc, lang)]
    if "brands" in doc:
        result.append(_brands(doc, lang))
    return result


KEYS = ("pairings_by_heading", "pairings_by_pairing", "points_without_pairing", "aid_by_kind",
        "aid_by_form", "aid_by_fund", "brands_by_area")

