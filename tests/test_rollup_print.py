"""The roll-up's html at A4: a by-unit table of many figures is printed in parts of at
most PRINT_FIGURES figures (the code and the unit's name in each), headings wrap."""

from __future__ import annotations

import re

from cbtool.report.rollup import PRINT_FIGURES, print_parts, render_rollup_html
from cbtool.report.values import Section


def _doc(units: int) -> dict:
    aid = {"open": 1, "new": 0, "closed": 0, "by_kind": {f"k{i}": 1 for i in range(6)},
           "given": {"count": 1, "amount": "1.00", "amount_fen": 100}}
    unit = {"members": {"total": 2, "by_category": {"retired": 2}},
            "logs": {"total": 1, "served": 3, "hours": 1.5, "by_kind": {"visit": 1}},
            "checklist": {"points": 2, "compliant": 1, "rate": 0.5, "missing": {},
                          "never_checked": 0, "stale": 0, "items": []}, "aid": aid}
    rows = [{"code": f"U{i:03d}", "name": f"第{i}街道党工委", **unit} for i in range(units)]
    return {"period": {"label": "2026-11", "start": "2026-11-01", "end": "2026-11-30"},
            "as_of": "2026-11-30", **unit, "units": rows, "rollup": {}}


def test_a_wide_table_is_printed_in_parts_each_with_the_unit():
    section = Section("aid_by_unit", "帮扶（按单位）", ["代码", "单位", *"abcdefghijklmn"],
                      [["U1", "一", *range(14)], ["", "合计", *range(14)]], True)
    parts = print_parts(section)
    assert [len(p.columns) for p in parts] == [2 + PRINT_FIGURES, 2 + PRINT_FIGURES, 4]
    assert all(p.columns[:2] == ["代码", "单位"] and p.rows[1][:2] == ["", "合计"]
               for p in parts)
    assert sum((p.rows[0][2:] for p in parts), []) == list(range(14))


def test_no_table_of_25_units_is_wider_than_a4_allows():
    html = render_rollup_html(_doc(25))
    for table in re.findall(r"<table.*?</table>", html, re.S):
        head = re.search(r"<thead><tr>(.*?)</tr></thead>", table, re.S).group(1)
        assert head.count("<th") <= 2 + PRINT_FIGURES
    assert "@page { size: A4" in html and "overflow-wrap: anywhere" in html
    assert "帮扶" in html or "aid" in html
    assert re.search(r"（1/\d）</h3>", html)  # the aid table, continued
