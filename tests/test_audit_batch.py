"""cbtool audit shows which import batch wrote a row, and --batch ID shows one batch's."""

from __future__ import annotations

import json


def _import(seeded, tmp_path, name, rows):
    path = tmp_path / name
    path.write_text("党员编号,姓名,党员类别,居民区\n" + "".join(f"{r}\n" for r in rows),
                    encoding="utf-8")
    seeded.ok("members", "import", str(path))


def test_audit_names_the_batch_and_filters_by_it(seeded, tmp_path):
    _import(seeded, tmp_path, "一村.csv", ["0101,赵敏,离退休,A01", "0102,钱进,在职,A01"])
    _import(seeded, tmp_path, "二村.csv", ["0201,孙丽,流动,A02"])
    seeded.ok("members", "edit", "0101", "--phone", "13812340000")
    rows = json.loads(seeded.ok("audit", "--all", "--format", "json").stdout)
    by_key = {r["key"]: r["batch"] for r in rows if r["table"] == "members"
              and r["action"] == "insert"}
    assert by_key["0101"] == by_key["0102"] != by_key["0201"]
    assert by_key["0001"] is None  # added by a command, not an import
    edit = next(r for r in rows if r["action"] == "update" and r["key"] == "0101")
    assert edit["batch"] is None
    second = json.loads(seeded.ok("audit", "--batch", str(by_key["0201"]), "--format",
                                  "json").stdout)
    assert {r["key"] for r in second} == {"0201", str(tmp_path / "二村.csv")}
    assert all(r["batch"] == by_key["0201"] for r in second)
    table = seeded.ok("audit", "--batch", str(by_key["0101"])).stdout
    assert "批次" in table and "0102" in table and "0201" not in table


def test_a_batch_that_does_not_exist_is_an_error_not_an_empty_trail(seeded):
    result = seeded("audit", "--batch", "99", "--format", "json")
    assert result.exit_code == 1 and result.stdout == ""
    assert "99" in result.stderr


def test_batch_must_be_a_positive_number(seeded):
    assert seeded("audit", "--batch", "0").exit_code == 2
