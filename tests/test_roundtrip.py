"""Round trips: every kind's export re-imports unchanged into its own database and into
a fresh one — areas, points (centre, addresses, closed points), members, logs (two
sessions of one title told apart by ref, voided ones), checks (voided ones) — in every
export format."""

from __future__ import annotations

import json

import pytest
from conftest import Cli

KINDS = ("areas", "points", "members", "logs", "checklist")  # the order a fresh db loads
STAMPS = ("created_at", "updated_at")


@pytest.fixture
def community(seeded):
    """The seeded community with everything a round trip can lose."""
    c = seeded
    c.ok("points", "edit", "C00", "--address", "金山区卫零路 1 号", "--note", "周一至周五开放")
    c.ok("points", "edit", "A01", "--address", "石化一村 12 号", "--name", "一村党员之家")
    c.ok("points", "add", "P09", "老年活动室服务点", "--area", "A02", "--address", "二村 3 号")
    c.ok("members", "recategorize", "0003", "--to", "在职", "--on", "2026-09-01",
         "--reason", "再就业")
    c.ok("members", "contact", "0002", "--on", "2026-11-01", "--channel", "微信")
    c.ok("members", "contact", "0002", "--on", "2026-11-10", "--unreached")
    for ref in ("ZB-1", "ZB-2"):  # two sessions of 支部学习 on one day
        c.ok("logs", "add", "--point", "A01", "--kind", "学习教育", "--title", "支部学习",
             "--on", "2026-11-20", "--members", "0001,0003", "--ref", ref)
    c.ok("logs", "add", "--point", "P09", "--kind", "visit", "--title", "走访", "--on",
         "2026-10-20", "--members", "0004", "--served", "6", "--hours", "1.5", "--note", "=1+1")
    c.ok("logs", "add", "--point", "C00", "--kind", "meeting", "--title", "组织生活会",
         "--on", "2026-10-21")
    c.ok("logs", "void", "4", "--reason", "录重了")
    c.ok("checklist", "record", "A01", "--ok", "all", "--on", "2026-10-01")
    c.ok("checklist", "record", "P09", "--ok", "场所", "--missing", "电教", "--on", "2026-10-02")
    c.ok("checklist", "record", "A02", "--missing", "台账", "--on", "2026-10-03")
    c.ok("checklist", "void", "8", "--reason", "记错服务点")
    c.ok("points", "edit", "P09", "--inactive", "--on", "2026-10-31")
    c.ok("members", "archive", "0004", "--reason", "去世", "--on", "2026-11-02")
    return c


def exported(cli: Cli, kind: str) -> list[dict]:
    """The export without the stamps (the tool's), nor a check's id: checks are known by
    point + item + date, and the export lists them in that order, not by id."""
    rows = json.loads(cli.ok(kind, "export", "--format", "json").stdout)
    drop = (*STAMPS, "id") if kind == "checklist" else STAMPS
    return [{k: v for k, v in r.items() if k not in drop} for r in rows]


def test_the_community_holds_what_is_to_travel(community):
    points = {p["code"]: p for p in exported(community, "points")}
    assert points["C00"]["address"] == "金山区卫零路 1 号"
    assert (points["P09"]["active"], points["P09"]["closed_on"]) == (False, "2026-10-31")
    logs = exported(community, "logs")
    assert [r["ref"] for r in logs[:2]] == ["ZB-1", "ZB-2"] and logs[3]["voided"]
    assert [c["voided"] for c in exported(community, "checklist")].count(True) == 1


@pytest.mark.parametrize("fmt", ["csv", "tsv", "json", "jsonl", "xlsx"])
def test_every_export_reimports_unchanged_into_its_own_database(community, tmp_path, fmt):
    before = {kind: exported(community, kind) for kind in KINDS}
    audit = community.count("audit")
    for kind in KINDS:
        path = tmp_path / f"{kind}.{fmt}"
        community.ok(kind, "export", "--out", str(path))
        result = community.ok(kind, "import", str(path))
        assert "inserted 0, updated 0," in result.stderr, (kind, result.stderr)
        assert "rejected 0" in result.stderr
    assert community.count("audit") == audit
    assert {kind: exported(community, kind) for kind in KINDS} == before


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_every_export_reimports_into_a_fresh_database(community, tmp_path, fmt):
    files = {}
    for kind in KINDS:
        files[kind] = tmp_path / f"{kind}.{fmt}"
        community.ok(kind, "export", "--out", str(files[kind]))
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind in KINDS:
        result = fresh.ok(kind, "import", str(files[kind]))
        assert "rejected 0" in result.stderr, (kind, result.stderr)
    for kind in KINDS:
        assert exported(fresh, kind) == exported(community, kind), kind
    again = {kind: fresh.ok(kind, "import", str(files[kind])).stderr for kind in KINDS}
    assert all("inserted 0, updated 0," in text for text in again.values()), again


def test_points_import_checks_its_rows(seeded, tmp_path):
    bad = tmp_path / "points.csv"
    bad.write_text("编号,名称,类型,居民区,地址\n"
                   "C01,第二中心,centre,,某路\n"
                   "P01,,point,A01,\n"
                   "P02,新点,point,A99,\n"
                   "P03,站点,中心,A01,\n", encoding="utf-8")
    result = seeded("points", "import", str(bad))
    assert result.exit_code == 1 and "rejected 4" in result.stderr
    assert "C00" in result.stderr and "A99" in result.stderr
    assert seeded.count("points") == 3
    good = tmp_path / "good.csv"
    good.write_text("编号,名称,居民区,地址,启用\nP05,活动室,A01,一村 8 号,否\n"
                    "A01,一村党员之家,A01,一村 12 号,是\n", encoding="utf-8")
    assert "inserted 1, updated 1" in seeded.ok("points", "import", str(good)).stderr
    points = {p["code"]: p for p in exported(seeded, "points")}
    assert points["P05"]["closed_on"] is not None and points["P05"]["active"] is False
    assert points["A01"]["address"] == "一村 12 号"
