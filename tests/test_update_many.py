"""An import's updates are written and audited in bulk (members.update_many), each record
still with its own audit row, its category history and its contact — as one by one."""

from __future__ import annotations

import json

from cbtool import members
from cbtool.store import open_store


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_an_update_import_audits_every_member_it_changes(seeded, tmp_path):
    seeded.ok("members", "import", _write(tmp_path, "新.csv", "党员编号,姓名,党员类别,居民区\n"
              + "".join(f"09{i:02d},党员{i},离退休,A01\n" for i in range(30))))
    fix = _write(tmp_path, "更正.csv", "党员编号,联系电话,党员类别,变更日期,变更原因\n"
                 + "".join(f"09{i:02d},138000000{i:02d},{'在职' if i < 3 else '离退休'},"
                           "2026-11-02,返聘\n" for i in range(30)))
    result = seeded.ok("members", "import", fix)
    assert "updated 30" in result.stderr + result.stdout
    rows = json.loads(seeded.ok("audit", "--all", "--format", "json").stdout)
    batch = max(r["batch"] for r in rows if r["batch"] is not None)
    mine = [r for r in rows if r["batch"] == batch]
    updates = {r["key"]: r["changes"] for r in mine if r["action"] == "update"}
    assert len(updates) == 30
    assert updates["0907"] == {"phone": [None, "13800000007"]}
    assert updates["0901"] == {"phone": [None, "13800000001"],
                               "category": ["retired", "employed"]}
    history = [r for r in mine if r["table"] == "category_changes"]
    assert len(history) == 3
    assert {r["changes"]["member_no"][1] for r in history} == {"0900", "0901", "0902"}
    shown = json.loads(seeded.ok("members", "show", "0902", "--format", "json").stdout)
    change = shown["category_changes"][-1]
    assert (change["date"], change["reason"], change["to"]) == ("2026-11-02", "返聘",
                                                                "employed")
    # undo puts every one of them back
    seeded.ok("imports", "undo", str(batch), "--yes")
    back = json.loads(seeded.ok("members", "show", "0901", "--format", "json").stdout)
    assert back["phone"] is None and back["category"] == "retired"


def test_update_many_gives_each_member_as_after_and_skips_the_unchanged(seeded):
    with open_store(seeded.db_path) as store, store.transaction():
        before = store.execute("SELECT count(*) FROM audit").fetchone()[0]
        after = members.update_many(store, [
            ("0001", {"note": "一号"}, None, None),
            ("0002", {"name": members._stored(store, "0002")["name"]}, None, None),
        ])
        written = store.execute("SELECT count(*) FROM audit").fetchone()[0] - before
    assert after[0]["note"] == "一号"
    assert written == 1  # the unchanged member is not audited
    assert after[1]["member_no"] == "0002" and after[1]["note"] is None
