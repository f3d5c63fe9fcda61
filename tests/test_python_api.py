"""The domain is usable from Python without the command line (as the README shows)."""

from cbtool import importing, members, summary
from cbtool.fields import parse_period
from cbtool.store import open_store
from cbtool.tabular import open_source


def test_add_import_and_summarise_from_python(tmp_path):
    db = tmp_path / "api.db"
    with open_store(db, operator="王芳", create=True, command="script") as store:
        with store.transaction():
            from cbtool import areas

            areas.add_area(store, "A01", "石化一村居民区")
            record, warnings = members.add(store, {"member_no": "0001", "name": "张伟",
                                                   "category": "离退休", "area": "A01"})
        assert record["category"] == "retired" and warnings == []
        path = tmp_path / "more.csv"
        path.write_text("党员编号,姓名,党员类别,居民区\n0002,李娜,流动,A01\n0003,王强,下岗,A01\n",
                        encoding="gbk")

        def make_plan():
            with open_source(str(path)) as source:
                return importing.plan_import(store, "members", source)

        plan = importing.import_file(store, make_plan)
        assert plan.tally() == "inserted 2, updated 0, unchanged 0, rejected 0"
        again = importing.import_file(store, make_plan)
        assert again.tally(written=again.writes()) == \
            "inserted 0, updated 0, unchanged 2, rejected 0"
        doc = summary.build(store, parse_period("this-month"))
        assert doc["members"]["by_category"] == {"retired": 1, "laid-off": 1, "mobile": 1,
                                                 "employed": 0}
        audit = store.one("SELECT operator, command FROM audit WHERE key = '0001'")
        assert audit == {"operator": "王芳", "command": "script"}
