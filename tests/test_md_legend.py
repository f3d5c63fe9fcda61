"""The Markdown report explains its marks under the five-haves table, as the html does."""

from __future__ import annotations

from cbtool.report.md import render_md

DOC = {
    "period": {"label": "2026-11", "start": "2026-11-01", "end": "2026-11-30"},
    "checklist": {"points": 1, "compliant": 0, "rate": 0.0, "stale_days": 365,
                  "by_point": [{"point": "A01", "name": "石化一村居民区党员服务点",
                                "venue": {"ok": True, "date": "2024-05-01", "stale": True},
                                "rules": {"ok": False, "date": "2026-11-02"}}]},
}


def test_the_legend_names_every_mark_with_the_stale_days():
    text = render_md(DOC, "zh")
    table = text.index("| A01 ")
    legend = text.rindex("✓ 具备", 0, table)
    assert "✓* 检查已超过 365 天（过期）" in text[legend:table]
    assert "从未检查" in text[legend:table]


def test_the_english_report_has_the_english_legend():
    assert "checked more than 365 days ago (stale)" in render_md(DOC, "en")
