"""Brand projects (一居一品): add, list, show, edit through the CLI on real database files
with Chinese data; one current brand per area; logs tagged with their area's brand."""

from __future__ import annotations

import json

import pytest

from cbtool import brands, clock
from cbtool.store import open_store

TODAY = "2026-11-30"


@pytest.fixture(autouse=True)
def fixed_day(monkeypatch):
    monkeypatch.setenv(clock.ENV, TODAY)


@pytest.fixture
def branded(seeded):
    seeded.ok("brands", "add", "--area", "石化一村居民区", "--name", "石化红管家", "--since",
              "2025年3月", "--description", "楼组党员当好居民的管家")
    return seeded


def test_add_and_list(branded):
    assert branded.rows("SELECT area, name, since, status FROM brands") == [
        ("A01", "石化红管家", "2025-03", "growing")]
    out = branded.ok("brands", "list").stdout
    assert "石化红管家" in out and "培育中" in out
    data = json.loads(branded.ok("brands", "list", "--format", "json").stdout)
    assert data[0]["status"] == "growing" and data[0]["logs"] == 0
    assert branded.rows("SELECT action FROM audit WHERE table_name = 'brands'") == [("insert",)]


def test_one_current_brand_per_area(branded):
    result = branded("brands", "add", "--area", "A01", "--name", "邻里守望")
    assert result.exit_code == 1 and "一个居民区只有一个" in result.stderr
    branded.ok("brands", "edit", "A01", "--status", "已停止")
    branded.ok("brands", "add", "--area", "A01", "--name", "邻里守望", "--status", "已成型")
    shown = branded.ok("brands", "show", "A01").stdout  # the area's current brand
    assert "邻里守望" in shown and "已成型" in shown


def test_logs_tagged_with_the_brand(branded):
    branded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "红管家楼组议事",
               "--on", "2026-11-12", "--brand", "石化红管家")
    branded.ok("logs", "add", "--point", "A01", "--kind", "走访", "--title", "红管家上门",
               "--on", "2026-11-13", "--brand", "A01")
    assert branded.rows("SELECT brand FROM logs") == [(1,), (1,)]
    out = branded.ok("brands", "show", "1").stdout
    assert "红管家上门" in out and "2026-11-13" in out
    result = branded("logs", "add", "--point", "A02", "--kind", "志愿", "--title", "x",
                     "--brand", "1")
    assert result.exit_code == 1 and "属于居民区 A01" in result.stderr
    result = branded("logs", "add", "--point", "A02", "--kind", "志愿", "--title", "x",
                     "--brand", "A02")
    assert result.exit_code == 1 and "没有在用的一居一品" in result.stderr


def test_edit_and_clear(branded):
    branded.ok("brands", "edit", "1", "--name", "红管家", "--clear", "description")
    assert branded.rows("SELECT name, description FROM brands") == [("红管家", None)]
    assert "没有变化" in branded.ok("brands", "edit", "1", "--name", "红管家").stderr
    result = branded("brands", "edit", "1", "--status", "休眠")
    assert result.exit_code == 1 and "未知的取值" in result.stderr
    assert branded("brands", "show", "不存在").exit_code == 1


def test_domain_api(seeded):
    with open_store(seeded.db_path, operator="王芳") as store, store.transaction():
        record = brands.add(store, {"area": "A02", "name": "二村夕阳红"})
        assert record["status"] == "growing"
        assert brands.get(store, "石化二村居民区")["id"] == record["id"]


def test_summary_brands_section(branded):
    branded.ok("logs", "add", "--point", "A01", "--kind", "志愿", "--title", "红管家楼组议事",
               "--on", "2026-11-12", "--brand", "A01")
    doc = json.loads(branded.ok("summary", "--period", "2026-11", "--format", "json").stdout)
    by_area = {r["area"]: r for r in doc["brands"]["by_area"]}
    assert by_area["A01"]["brand"] == "石化红管家" and by_area["A01"]["logs"] == 1
    assert by_area["A02"]["brand"] is None and doc["brands"]["with_brand"] == 1
    assert "A01 石化红管家 1" in branded.ok("summary", "--period", "2026-11").stdout


def test_import_and_export(seeded, tmp_path):
    src = tmp_path / "一居一品.csv"
    src.write_text("居民区,品牌名称,简介,创建年月,状态\n"
                   "A01,石化红管家,楼组党员当好居民的管家,2025年3月,培育中\n"
                   "石化二村居民区,二村夕阳红,老党员结对高龄老人,202104,已成型\n",
                   encoding="utf-8")
    assert "inserted 2" in seeded.ok("brands", "import", str(src)).stderr
    assert seeded.rows("SELECT area, name, since, status FROM brands ORDER BY id") == [
        ("A01", "石化红管家", "2025-03", "growing"), ("A02", "二村夕阳红", "2021-04", "established")]
    assert "unchanged 2" in seeded.ok("brands", "import", str(src)).stderr
    out = tmp_path / "b.xlsx"
    seeded.ok("brands", "export", "--out", str(out))
    assert "unchanged 2" in seeded.ok("brands", "import", str(out)).stderr
    second = tmp_path / "second.csv"
    second.write_text("居民区,品牌名称\nA01,邻里守望\n", encoding="utf-8")
    result = seeded("brands", "import", str(second))
    assert result.exit_code == 1 and "一个居民区只有一个" in result.stderr


# --- the demo office (init --sample), at 80 columns ------------------------------------------


def _width(line: str) -> int:
    import unicodedata

    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in line)


def test_the_sample_has_pairings_aid_and_brands_that_fit_80_columns(cli):
    cli.ok("init", "--sample")
    assert cli.count("pairings") == 5 and cli.count("brands") == 4
    assert cli.count("aid_cases") == 6 and cli.count("logs") == 405  # logs tagged, not added
    assert cli.rows("SELECT count(*) FROM logs WHERE pairing IS NOT NULL") == [(10,)]
    doc = json.loads(cli.ok("summary", "--period", "this-year", "--format", "json").stdout)
    assert doc["aid"]["given"]["amount"] == "4000.00" and doc["brands"]["with_brand"] == 4
    for args in (["pairings", "list"], ["aid", "list"], ["aid", "given"], ["aid", "funds"],
                 ["brands", "list"], ["summary", "--period", "this-year"]):
        out = cli.ok(*args, env={"COLUMNS": "80"}).stdout
        wide = [line for line in out.splitlines() if _width(line) > 80]
        assert not wide, (args, wide)
    assert "inserted 0, updated 0" in cli.ok("init", "--sample").stderr  # once only
    assert cli.count("pairings") == 5
