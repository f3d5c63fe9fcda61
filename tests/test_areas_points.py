"""Areas and service points."""

import json


def test_adding_an_area_adds_its_point(cli):
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    points = json.loads(cli.ok("points", "list", "--format", "json").stdout)
    assert [(p["code"], p["name"], p["kind"], p["area"]) for p in points] == \
        [("A01", "石化一村居民区党员服务点", "point", "A01")]
    areas = json.loads(cli.ok("areas", "list", "--format", "json").stdout)
    assert [(a["code"], a["name"], a["members"]) for a in areas] == [("A01", "石化一村居民区", 0)]


def test_duplicate_area_and_bad_code(cli):
    cli.ok("init")
    cli.ok("areas", "add", "A01", "石化一村居民区")
    result = cli("areas", "add", "A01", "别的居民区")
    assert result.exit_code == 1 and "A01" in result.stderr
    assert cli("areas", "add", "A 02", "石化二村居民区").exit_code == 1
    assert cli.count("areas") == 1 and cli.count("points") == 1


def test_centre_first_and_only_one(seeded):
    points = json.loads(seeded.ok("points", "list", "--format", "json").stdout)
    assert [p["code"] for p in points] == ["C00", "A01", "A02"]
    assert points[0]["kind"] == "centre" and points[0]["area"] is None
    again = seeded("points", "add", "C01", "另一个中心", "--kind", "centre")
    assert again.exit_code == 1 and "C00" in again.stderr
    assert seeded("points", "add", "C02", "中心", "--kind", "centre", "--area", "A01"
                  ).exit_code == 1
    table = seeded.ok("points", "list").stdout
    assert "党员服务中心" in table and "服务点" in table


def test_extra_point_in_an_area_by_name(seeded):
    seeded.ok("points", "add", "A01-2", "石化一村第二服务点", "--area", "石化一村居民区",
              "--address", "卫零路 100 号")
    point = json.loads(seeded.ok("points", "show", "A01-2", "--format", "json").stdout)
    assert point["area"] == "A01" and point["address"] == "卫零路 100 号"
    assert point["logs_total"] == 0
    assert point["checklist"]["venue"] == {"ok": None, "date": None}


def test_point_show_table(seeded):
    out = seeded.ok("points", "show", "石化二村居民区党员服务点").stdout
    assert "A02" in out and "五有现状" in out


def test_point_edit_and_deactivate(seeded):
    seeded.ok("points", "edit", "A02", "--address", "卫零路 200 号", "--note", "周二开放")
    point = json.loads(seeded.ok("points", "show", "A02", "--format", "json").stdout)
    assert (point["address"], point["note"], point["active"]) == ("卫零路 200 号", "周二开放", 1)
    seeded.ok("points", "edit", "A02", "--inactive", "--clear", "note")
    point = json.loads(seeded.ok("points", "show", "A02", "--format", "json").stdout)
    assert (point["note"], point["active"]) == (None, 0)
    summary = json.loads(seeded.ok("summary", "--format", "json").stdout)
    assert "A02" not in summary["logs"]["idle_points"]
    assert summary["checklist"]["points"] == 2
    matrix = json.loads(seeded.ok("checklist", "show", "--format", "json").stdout)
    assert [row["point"] for row in matrix] == ["C00", "A01"]
    audit = json.loads(seeded.ok("audit", "--table", "points", "--key", "A02",
                                 "--format", "json").stdout)
    assert audit[0]["changes"]["active"] == [1, 0]
    assert seeded("points", "edit", "A02", "--clear", "name").exit_code == 1
    assert seeded("points", "edit", "Z9", "--name", "某").exit_code == 1
    seeded.ok("points", "edit", "A02", "--active")
    assert seeded.rows("SELECT active FROM points WHERE code = 'A02'") == [(1,)]
