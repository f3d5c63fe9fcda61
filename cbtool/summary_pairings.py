"""The summary's pairings, aid and brands sections (结对共建、结对帮扶、一居一品): counts
and sums only — never a name, ID number or phone of a person helped. Money is integer fen
with its exact yuan text beside it (``amount``: ``"1234.50"``).

``build(store, period, as_of, area)`` gives the three sections ``summary.build`` adds to
its document."""

from __future__ import annotations

from datetime import date
from typing import Any

from cbtool import funds
from cbtool.fields import Period, yuan
from cbtool.store import Store
from cbtool.vocab import AID_FORMS, AID_KINDS, PAIRING_HEADINGS


def build(store: Store, period: Period, as_of: date, area: str | None) -> dict[str, Any]:
    start, end, day = period.start.isoformat(), period.end.isoformat(), as_of.isoformat()
    return {"pairings": pairings(store, start, end, day, area),
            "aid": aid(store, start, end, day, area),
            "brands": brands(store, start, end, area)}


def money(count: int, fen: int) -> dict[str, Any]:
    return {"count": count, "amount": yuan(fen), "amount_fen": fen}


def pairings(store: Store, start: str, end: str, day: str, area: str | None
             ) -> dict[str, Any]:
    """Pairings in force on the as-of day (ended from their end day on, as `pairings list`
    reads them), the service points without one, and the joint
    activities (logs, not voided, in the period) by heading and by pairing."""
    in_area = " AND pt.area = ?" if area else ""
    args: tuple = (area,) if area else ()
    active = store.execute(
        "SELECT count(*) FROM pairings p JOIN points pt ON pt.code = p.point WHERE "
        f"p.since <= ? AND (p.until IS NULL OR p.until > ?){in_area}",
        (day, day, *args)).fetchone()[0]
    without = [r[0] for r in store.execute(
        "SELECT pt.code FROM points pt WHERE pt.active = 1 AND pt.kind = 'point'"
        f"{in_area} AND NOT EXISTS (SELECT 1 FROM pairings p WHERE p.point = pt.code AND "
        "p.since <= ? AND (p.until IS NULL OR p.until > ?)) ORDER BY pt.code",
        (*args, day, day))]
    by_heading = dict.fromkeys(PAIRING_HEADINGS.keys, 0)
    by_heading["none"] = 0
    by_pairing = []
    # One range seek per pairing on logs_by_pairing (pairing, date, voided, heading): the
    # paired logs of the period only, however many logs there are.
    for pid, point, unit in store.execute(
            "SELECT p.id, p.point, p.unit FROM pairings p JOIN points pt ON pt.code = p.point "
            f"WHERE 1 = 1{in_area} ORDER BY p.id", args).fetchall():
        n_logs = 0
        for heading, n in store.execute(
                "SELECT heading, count(*) FROM logs WHERE pairing = ? AND date BETWEEN ? AND ? "
                "AND voided = 0 GROUP BY heading", (pid, start, end)):
            by_heading[heading or "none"] = by_heading.get(heading or "none", 0) + n
            n_logs += n
        if n_logs:
            by_pairing.append({"pairing": pid, "point": point, "unit": unit, "logs": n_logs})
    return {"active": active, "points_without": without,
            "activities": sum(by_heading.values()), "by_heading": by_heading,
            "by_pairing": by_pairing}


def aid(store: Store, start: str, end: str, day: str, area: str | None) -> dict[str, Any]:
    """Cases open on the as-of day (by kind), opened and closed in the period; aid given
    in the period by form and by fund (counts and exact sums)."""
    in_area = " AND c.area = ?" if area else ""
    args: tuple = (area,) if area else ()
    by_kind = dict.fromkeys(AID_KINDS.keys, 0)
    for kind, n in store.execute(
            "SELECT c.kind, count(*) FROM aid_cases c WHERE c.opened_on <= ? AND "
            f"(c.closed_on IS NULL OR c.closed_on > ?){in_area} GROUP BY c.kind",
            (day, day, *args)):
        by_kind[kind] = by_kind.get(kind, 0) + n
    opened = store.execute(f"SELECT count(*) FROM aid_cases c WHERE c.opened_on BETWEEN ? "
                           f"AND ?{in_area}", (start, end, *args)).fetchone()[0]
    closed = store.execute(f"SELECT count(*) FROM aid_cases c WHERE c.closed_on BETWEEN ? "
                           f"AND ?{in_area}", (start, end, *args)).fetchone()[0]
    forms = {k: [0, 0] for k in AID_FORMS.keys}
    sums: dict[str | None, list[int]] = {}  # fund -> [records, fen]
    for form, fund, n, fen in store.execute(
            "SELECT g.form, g.fund, count(*), coalesce(sum(g.amount_fen), 0) FROM aid_given g "
            "JOIN aid_cases c ON c.id = g.case_id WHERE g.voided = 0 AND g.date BETWEEN ? "
            f"AND ?{in_area} GROUP BY g.form, g.fund", (start, end, *args)):
        for table, key in ((forms, form), (sums, fund)):
            entry = table.setdefault(key, [0, 0])
            entry[0] += n
            entry[1] += fen
    by_fund = []
    for fund in funds.funds(store):
        n, fen = sums.pop(fund["code"], [0, 0])
        row = {"fund": fund["code"], "name": fund["name"], **money(n, fen)}
        if area is None:  # a fund is the office's, not an area's
            held = funds.balance(store, fund["code"], day)
            row.update(balance=yuan(held), balance_fen=held)
        by_fund.append(row)
    n, fen = sums.pop(None, [0, 0])
    by_fund.append({"fund": None, "name": None, **money(n, fen)})  # money from no fund
    total_n = sum(v[0] for v in forms.values())
    total_fen = sum(v[1] for v in forms.values())
    return {"open": sum(by_kind.values()), "new": opened, "closed": closed,
            "by_kind": by_kind, "given": money(total_n, total_fen),
            "by_form": {k: money(*v) for k, v in forms.items()}, "by_fund": by_fund}


def brands(store: Store, start: str, end: str, area: str | None) -> dict[str, Any]:
    """Each area's brand in the period — of those begun by its end (``since`` a day or a
    month, or none), the current one, else the latest — and the brand's activities (logs,
    not voided) in the period. A brand begun after the period is not the period's."""
    rows = []
    for code, name in store.execute(
            f"SELECT code, name FROM areas{' WHERE code = ?' if area else ''} ORDER BY code",
            (area,) if area else ()):
        # "2025-07" > "2025-06-30" and "2025-06" < "2025-06-30": a month since compares as
        # its first day does
        brand = store.one("SELECT id, name, status, since FROM brands WHERE area = ? AND "
                          "(since IS NULL OR since <= ?) ORDER BY status = 'ended', id DESC "
                          "LIMIT 1", (code, end))
        logs = store.execute(
            "SELECT count(*) FROM logs WHERE brand = ? AND date BETWEEN ? AND ? AND voided = 0",
            (brand["id"], start, end)).fetchone()[0] if brand else 0
        rows.append({"area": code, "name": name, "brand": brand["name"] if brand else None,
                     "brand_id": brand["id"] if brand else None,
                     "status": brand["status"] if brand else None,
                     "since": brand["since"] if brand else None, "logs": logs})
    return {"with_brand": sum(1 for r in rows if r["brand"] and r["status"] != "ended"),
            "logs": sum(r["logs"] for r in rows), "by_area": rows}


def labels(lang: str) -> dict[str, dict[str, str]]:
    """The labels of the keys these sections use, for the document's ``labels``."""
    from cbtool.vocab import BRAND_STATUSES

    return {"heading": PAIRING_HEADINGS.label_map(lang), "aid_kind": AID_KINDS.label_map(lang),
            "aid_form": AID_FORMS.label_map(lang),
            "brand_status": BRAND_STATUSES.label_map(lang)}
