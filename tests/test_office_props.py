"""Property: title, blank, notes rows above valid data and total, signature rows below it
(or between its groups) never change the records an import gives."""

from __future__ import annotations

import csv
import sqlite3

from conftest import examples
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cbtool.cli import app

HEADER = ["序号", "党员编号", "姓  名", "党员类别", "居民区", "出生年月"]
DATA = [
    ["1", "00104", "沈　佳怡", "离退休", "A01", "1948年4月"],
    ["2", "00105", "王海", "在职", "A01", "195003"],
    ["3", "00106", "李华", "流动", "A01", "1960.5"],
]
ABOVE = st.sampled_from([[], ["石化街道党员花名册"], ["填报单位：石化街道党委", "", "填报日期：2026年11月"],
                         ["", "", ""], ["（单位：人）"], ["二〇二六年度"]])
BELOW = st.sampled_from([[], ["合计", "", "3人"], ["小计"], ["总 计", "3"], ["", "合计：3人"],
                         ["填表人：王芳", "", "审核人：李明"], ["注：数据截至11月底"], ["审核人：李明"]])
EXPECTED = [("00104", "沈佳怡", "retired", "1948-04"), ("00105", "王海", "employed", "1950-03"),
            ("00106", "李华", "mobile", "1960-05")]


def run(args):
    from typer.testing import CliRunner

    return CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)


@settings(max_examples=examples(25), deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(above=st.lists(ABOVE, max_size=4), between=st.lists(BELOW, max_size=2),
       below=st.lists(BELOW, max_size=3), encoding=st.sampled_from(["gbk", "utf-8-sig"]))
def test_rows_around_the_data_never_change_the_records(tmp_path_factory, above, between, below,
                                                       encoding):
    work = tmp_path_factory.mktemp("office")
    db = work / "c.db"
    assert run(["--db", db, "init"]).exit_code == 0
    assert run(["--db", db, "areas", "add", "A01", "石化一村居民区"]).exit_code == 0
    path = work / "花名册.csv"
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh).writerows([*above, HEADER, DATA[0], *between, *DATA[1:], *below])
    result = run(["--db", db, "members", "import", path])
    assert result.exit_code == 0, result.stderr
    assert result.stderr.strip().endswith("inserted 3, updated 0, unchanged 0, rejected 0")
    conn = sqlite3.connect(db)
    try:
        got = conn.execute("SELECT member_no, name, category, born_on FROM members "
                           "ORDER BY member_no").fetchall()
    finally:
        conn.close()
    assert got == EXPECTED
