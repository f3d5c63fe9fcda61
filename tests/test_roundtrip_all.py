"""Nothing lost, every path: one database with every kind of record in it (the sample's
files imported, then edits, voids, contacts, category changes, aid, pairings, brands,
volunteers and their service), taken through

- ``db export`` → ``db import`` into a new database, and ``db backup`` → ``db restore``:
  every table equal row for row, audit and import batches included;
- every ``export`` → ``import`` pair (csv, xlsx, GBK CSV as Excel writes it): into its own
  database everything is unchanged and no audit row is added; into a fresh database the
  same rows come back (ids too), but for what no per-kind export carries (the audit, the
  import batches, category history and contacts other than the last: ``db export``'s job).

The database is built once per module (CliRunner, a fixed clock) and copied per test."""

from __future__ import annotations

import csv
import io
import re
import shutil
import sqlite3
from pathlib import Path

import openpyxl
import pytest
from conftest import ENV_VARS, Cli

from cbtool import clock
from cbtool.cli import app

AS_OF = "2026-11-30"
# Every export/import pair, in the order a fresh database takes them (what a record
# refers to comes first).
PAIRS = [
    ("areas", ("areas", "export"), ("areas", "import")),
    ("points", ("points", "export"), ("points", "import")),
    ("members", ("members", "export"), ("members", "import")),
    ("teams", ("teams", "export"), ("teams", "import")),
    ("volunteers", ("volunteers", "export"), ("volunteers", "import")),
    ("pairings", ("pairings", "export"), ("pairings", "import")),
    ("brands", ("brands", "export"), ("brands", "import")),
    ("logs", ("logs", "export"), ("logs", "import")),
    ("service", ("service", "export"), ("service", "import")),
    ("checklist", ("checklist", "export"), ("checklist", "import")),
    ("aid", ("aid", "export"), ("aid", "import")),
    ("aid-income", ("aid", "income-export"), ("aid", "income-import")),
    ("aid-given", ("aid", "given-export"), ("aid", "given-import")),
]
TALLY = re.compile(r"inserted (\d+), updated (\d+), unchanged (\d+), rejected (\d+)")


def _build(cli: Cli, tmp: Path) -> None:
    cli.ok("init")
    out = tmp / "sample"
    cli.ok("sample", "--members", "40", "--logs", "80", "--volunteers", "60", "--seed", "7",
           "--out", out, "--as-of", AS_OF)
    for kind, cmd in [("areas", ("areas", "import")), ("members", ("members", "import")),
                      ("logs", ("logs", "import")), ("checks", ("checklist", "import")),
                      ("teams", ("teams", "import")), ("volunteers", ("volunteers", "import")),
                      ("pairings", ("pairings", "import")), ("aid", ("aid", "import")),
                      ("aid_income", ("aid", "income-import")),
                      ("aid_given", ("aid", "given-import")), ("brands", ("brands", "import"))]:
        cli.ok(*cmd, out / f"{kind}.csv")
    members = [r[0] for r in cli.rows("SELECT member_no FROM members ORDER BY member_no")]
    linked = cli.rows("SELECT v.member_no FROM volunteers v JOIN members m USING (member_no) "
                      "WHERE m.phone IS NULL AND v.phone IS NULL LIMIT 1")
    run = cli.ok
    run("points", "add", "C00", "石化街道党员服务中心", "--kind", "centre")
    run("points", "edit", "A01", "--address", "石化一村12号（居委会二楼）", "--note", "=SUM(A1)")
    run("members", "add", "--no", "00900", "--name", "沈　佳怡", "--category", "mobile",
        "--area", "A02", "--gender", "女", "--born", "1950年3月", "--joined", "1975-07",
        "--phone", "13800138000", "--whereabouts", "江苏昆山", "--left", "2025-06-01",
        "--note", "内有  两个空格")
    run("members", "add", "--no", "00901", "--name", "王 强", "--category", "laid-off",
        "--area", "A03", "--born", "198506", "--note", "+备注")
    run("members", "recategorize", "00901", "--to", "employed", "--on", "2026-10-15",
        "--reason", "已就业")
    run("members", "contact", "00900", "--on", "2026-11-01", "--channel", "wechat",
        "--whereabouts", "江苏苏州", "--note", "微信联系")
    run("members", "contact", "00900", "--on", "2026-11-20", "--unreached", "--note", "未接")
    run("members", "contact", "00900", "--on", "2026-11-25", "--channel", "visit")
    run("members", "contacts", "00900", "--remove",
        str(cli.rows("SELECT max(id) FROM contacts")[0][0]), "--reason", "重复", "--yes")
    run("members", "renumber", "00901", "00902", "--yes")
    # A member volunteer registered without a phone, whose member gets one later.
    if linked:
        run("members", "edit", linked[0][0], "--phone", "021-57941234")
    run("members", "archive", members[-1], "--reason", "transferred", "--on", "2026-11-02")
    log = cli.rows("SELECT min(id), max(id) FROM logs")[0]
    run("logs", "void", str(log[0]), "--reason", "重复录入")
    run("logs", "edit", str(log[1]), "--title", "便民服务（修改）", "--hours", "8.25")
    for ref in ("EXT-1", "EXT-2"):  # two sessions alike on one day, told apart by ref
        run("logs", "add", "--point", "C00", "--kind", "study", "--title", "支部学习",
            "--on", "2026-11-03", "--members", "00900", "--ref", ref)
    run("checklist", "record", "A01", "--ok", "venue,rules", "--missing", "av",
        "--on", "2026-11-28", "--by", "李检查", "--note", "复查")
    run("checklist", "void", str(cli.rows("SELECT max(id) FROM checks")[0][0]),
        "--reason", "误录", "--yes")
    run("aid", "add", "--name", "李　梅", "--area", "A02", "--kind", "因病", "--household",
        "--address", "石化二村5号 301", "--helpers", "00900,00902", "--on", "2026-10-01")
    case = str(cli.rows("SELECT max(id) FROM aid_cases")[0][0])
    run("aid", "income", "--fund", "急难帮困", "--amount", "1234.56", "--on", "2026-10-02",
        "--source", "街道拨款")
    run("aid", "income", "--fund", "互助金", "--amount", "0.01", "--on", "2026-10-03")
    run("aid", "income-void", str(cli.rows("SELECT max(id) FROM fund_income")[0][0]),
        "--reason", "误录", "--yes")
    run("aid", "give", case, "--form", "救助金", "--amount", "300.07", "--fund", "急难帮困",
        "--on", "2026-10-05", "--note", "首次")
    run("aid", "give", case, "--form", "慰问", "--on", "2026-10-06")
    run("aid", "void", "1", "--reason", "误录", "--yes")
    run("aid", "close", case, "--on", "2026-11-15", "--reason", "已脱困", "--yes")
    run("pairings", "add", "--point", "A02", "--unit", "上海石化 化工部", "--headings", "all",
        "--branch", "第一党支部", "--since", "2025-03-01", "--until", "2027-12-31")
    pairing = str(cli.rows("SELECT max(id) FROM pairings")[0][0])
    run("pairings", "end", "1", "--on", "2026-11-01", "--reason", "到期", "--yes")
    run("brands", "add", "--area", "A02", "--name", "二村 红色驿站", "--description", "=驿站",
        "--since", "2024-05", "--status", "growing")
    brand = str(cli.rows("SELECT max(id) FROM brands")[0][0])
    run("brands", "edit", "1", "--status", "ended", "--note", "停止")
    run("teams", "add", "T99", "--name", "测试队", "--field", "其他", "--point", "A02",
        "--founded", "2026-01")
    run("volunteers", "add", "V09999", "--member", "00900", "--teams", "T99,T01",
        "--registered", "2026-02-01")
    run("volunteers", "add", "V09998", "--name", "周　一", "--gender", "男", "--area", "A03",
        "--teams", "T99")
    run("volunteers", "serve", "V09999", "--hours", "1小时30分", "--content", "夜间巡逻",
        "--on", "2026-11-10", "--team", "T99")
    run("volunteers", "serve", "V09998", "--hours", "2", "--content", "夜间巡逻",
        "--on", "2026-11-10", "--team", "T99")
    run("volunteers", "void", "1", "--reason", "误录", "--yes")
    run("logs", "add", "--point", "A02", "--kind", "volunteer", "--title", "共建活动",
        "--on", "2026-11-12", "--pairing", pairing, "--heading", "社区治安", "--served", "12")
    run("logs", "add", "--point", "A02", "--kind", "volunteer", "--title", "品牌活动",
        "--on", "2026-11-13", "--brand", brand, "--team", "T99",
        "--volunteers", "V09998:1.5,V09999:2")
    run("points", "edit", "A25", "--inactive", "--on", "2026-11-20")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    base = tmp_path_factory.mktemp("roundtrip_all")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HOME", str(base))
        for name in ENV_VARS:
            mp.delenv(name, raising=False)
        mp.chdir(base)
        clock.set_clock("2026-12-01T08:00:00+00:00")
        try:
            _build(Cli(base / "built.db"), base)
        finally:
            clock.set_clock(None)
    return base / "built.db"


@pytest.fixture
def full(cli, built) -> Cli:
    shutil.copyfile(built, cli.db_path)
    return cli


def _tables(db: Path) -> list[str]:
    with sqlite3.connect(db) as conn:
        return [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
            "AND name <> '_sqlite_migrations' ORDER BY name")]


def _rows(db: Path, table: str, skip: frozenset[str] = frozenset()) -> list[tuple]:
    conn = sqlite3.connect(db)
    try:
        cols = [r[1] for r in conn.execute(f'PRAGMA table_info("{table}")') if r[1] not in skip]
        order = ", ".join(str(i + 1) for i in range(len(cols)))
        rows = conn.execute(f'SELECT {", ".join(cols)} FROM "{table}" ORDER BY {order}')
        return [tuple((type(v).__name__, v) for v in row) for row in rows]  # types too
    finally:
        conn.close()


def _tally(result) -> tuple[int, int, int, int]:
    found = TALLY.findall(result.stdout + result.stderr)
    assert found, (result.stdout, result.stderr)
    return tuple(int(n) for n in found[-1])


def test_the_database_holds_every_kind_of_record(full):
    """What the round trips below must carry is really there."""
    assert full.rows("SELECT name, born_on, joined_on, note FROM members "
                     "WHERE member_no = '00900'") == [("沈佳怡", "1950-03", "1975-07",
                                                       "内有  两个空格")]
    for table in ("logs", "checks", "aid_given", "fund_income", "service"):
        assert full.rows(f"SELECT count(*) FROM {table} WHERE voided = 1")[0][0] >= 1, table
    assert full.rows("SELECT amount_fen FROM aid_given WHERE amount_fen = 30007")
    assert full.rows("SELECT count(*) FROM contacts WHERE reached = 0")[0][0] == 1
    assert full.count("category_changes") >= 1 and full.count("import_batches") == 11
    assert full.rows("SELECT count(*) FROM logs WHERE pairing IS NOT NULL")[0][0] >= 1
    assert full.rows("SELECT count(*) FROM logs WHERE brand IS NOT NULL")[0][0] >= 1
    assert full.rows("SELECT count(*) FROM points WHERE active = 0")[0][0] == 1


def test_db_export_then_import_is_equal_table_for_table(full, tmp_path):
    full.ok("db", "export", tmp_path / "dump")
    other = Cli(tmp_path / "other.db")
    other.ok("init")
    other.ok("db", "import", tmp_path / "dump")
    assert _tables(other.db_path) == _tables(full.db_path)
    for table in _tables(full.db_path):  # audit, import batches, rowids and types included
        assert _without_the_restore(other.db_path, table) == _rows(full.db_path, table), table


def test_db_restore_brings_the_backup_back_whole(full, tmp_path):
    full.ok("db", "backup", tmp_path / "bk.db")
    full.ok("members", "add", "--no", "77777", "--name", "临时", "--category", "retired",
            "--area", "A01")
    full.ok("db", "restore", tmp_path / "bk.db", "--yes")
    for table in _tables(full.db_path):
        assert _without_the_restore(full.db_path, table) == _rows(tmp_path / "bk.db", table), \
            table


def _without_the_restore(db: Path, table: str) -> list[tuple]:
    """A restored or loaded database's rows, less (of the audit) the restore's own row,
    the last one, of which there must be exactly one."""
    rows = _rows(db, table)
    if table != "audit":
        return rows
    assert [r for r in rows if ("str", "restore_db") in r] == rows[-1:]
    return rows[:-1]


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_every_export_reimports_unchanged_into_its_own_database(full, tmp_path, ext):
    audit = full.count("audit")
    for kind, export, imp in PAIRS:
        path = tmp_path / f"{kind}.{ext}"
        full.ok(*export, "--out", path)
        inserted, updated, unchanged, rejected = _tally(full.ok(*imp, path))
        assert (inserted, updated, rejected) == (0, 0, 0), kind
        assert unchanged > 0, kind
    assert full.count("audit") == audit  # nothing changed, nothing audited


def test_a_member_volunteer_re_imports_unchanged_after_the_member_was_edited(full, tmp_path):
    """A volunteer registered as a member with no phone takes the member's phone added
    later (one person, one phone), and the export re-imports unchanged."""
    linked = full.rows("SELECT v.volunteer_no, v.phone FROM volunteers v JOIN members m "
                       "USING (member_no) WHERE m.phone = '021-57941234'")
    assert linked and all(phone == "021-57941234" for _, phone in linked)
    full.ok("volunteers", "export", "--out", tmp_path / "v.csv")
    assert _tally(full.ok("volunteers", "import", tmp_path / "v.csv"))[1] == 0


# What no per-kind export carries: only ``db export`` does.
NOT_IN_EXPORTS = {"audit", "import_batches", "category_changes", "contacts", "service"}
STAMPS = frozenset({"created_at", "updated_at"})


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_every_export_loads_into_a_fresh_database_as_the_same_rows(full, tmp_path, ext):
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind, export, imp in PAIRS:
        path = tmp_path / f"{kind}.{ext}"
        full.ok(*export, "--out", path)
        assert _tally(fresh.ok(*imp, path))[3] == 0, kind
    for table in _tables(full.db_path):
        if table in NOT_IN_EXPORTS:
            continue
        assert _rows(fresh.db_path, table, STAMPS) == _rows(full.db_path, table, STAMPS), table
    # checks keep their numbers (checklist void ID names them)
    assert fresh.rows("SELECT id, point, item, date FROM checks ORDER BY id") == \
        full.rows("SELECT id, point, item, date FROM checks ORDER BY id")
    # service: the same records, numbered in the order the files bring them
    what = "SELECT volunteer_no, date, minutes, team, log_id, voided FROM service ORDER BY 1, 2, 3"
    assert fresh.rows(what) == full.rows(what)
    # the last contact of each member, from last_contact_on
    last = ("SELECT member_no, max(date) FROM contacts WHERE reached = 1 "
            "GROUP BY member_no ORDER BY 1")
    assert fresh.rows(last) == full.rows(last)


def _excel_gbk(text: str) -> bytes:
    """A CSV as Excel (Chinese Windows) saves it: GBK, CR LF, dates as 2026/11/20."""
    rows = list(csv.reader(io.StringIO(text)))
    day = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
    rows = [[day.sub(lambda m: f"{m[1]}/{int(m[2])}/{int(m[3])}", c) for c in r] for r in rows]
    out = io.StringIO()
    csv.writer(out, lineterminator="\r\n").writerows(rows)
    return out.getvalue().encode("gbk")


def test_points_round_trip_as_excel_saves_the_csv(full, tmp_path):
    audit, batches = full.count("audit"), full.count("import_batches")
    text = full.ok("points", "export", "--headings", "zh").stdout
    (tmp_path / "p.csv").write_bytes(_excel_gbk(text))
    assert _tally(full.ok("points", "import", tmp_path / "p.csv")) == (0, 0, 26, 0)
    assert (full.count("audit"), full.count("import_batches")) == (audit, batches)


@pytest.mark.parametrize("ext", ["csv", "xlsx"])
def test_points_a_changed_cell_updates_only_that_field(full, tmp_path, ext):
    path = tmp_path / f"p.{ext}"
    full.ok("points", "export", "--out", path)
    if ext == "csv":
        text = path.read_text(encoding="utf-8")
        path.write_text(re.sub(r"(?m)^(A02,[^,]*,point,A02),,", r"\1,新地址8号,", text),
                        encoding="utf-8")
    else:
        book = openpyxl.load_workbook(path)
        sheet = book.active
        heads = [c.value for c in sheet[1]]
        row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "A02")
        row[heads.index("地址")].value = "新地址8号"
        book.save(path)
    before = full.rows("SELECT * FROM points WHERE code <> 'A02' ORDER BY code")
    audit = full.count("audit")
    assert _tally(full.ok("points", "import", path)) == (0, 1, 25, 0)
    assert full.rows("SELECT address FROM points WHERE code = 'A02'") == [("新地址8号",)]
    assert full.rows("SELECT * FROM points WHERE code <> 'A02' ORDER BY code") == before
    changes = full.rows("SELECT table_name, key, action, changes FROM audit WHERE id > ? "
                        "AND key = 'A02'", (audit,))
    assert changes == [("points", "A02", "update", '{"address": [null, "新地址8号"]}')]


def test_a_changed_money_cell_is_refused_naming_the_record_as_people_read_it(full, tmp_path):
    path = tmp_path / "given.xlsx"
    full.ok("aid", "given-export", "--out", path)
    book = openpyxl.load_workbook(path)
    sheet = book.active
    heads = [c.value for c in sheet[1]]
    number = full.rows("SELECT id FROM aid_given WHERE amount_fen = 30007")[0][0]
    row = next(r for r in sheet.iter_rows(min_row=2) if str(r[0].value) == str(number))
    row[heads.index("金额（元）")].value = 310.5
    book.save(path)
    result = full("aid", "given-import", path)
    assert result.exit_code == 1
    assert "救助金 300.07 元 街道急难帮困专项资金" in result.stderr, result.stderr
    assert "grant" not in result.stderr and "emergency" not in result.stderr
    english = full.runner.invoke(app, ["--lang", "en", "--db", str(full.db_path), "aid",
                                       "given-import", str(path)])
    assert "Grant 300.07 yuan" in english.stderr, english.stderr


def test_numbers_left_by_an_undone_import_stay_in_a_fresh_database(full, tmp_path):
    """An undone import leaves gaps in the numbers; a fresh database loaded from the
    exports takes each file's number, so aid given names the same case and a log the same
    pairing and brand (before, case #15 became #14 and its aid was refused or paid to
    someone else)."""
    files = {
        "aid": "name,area,kind,opened_on\n临时户,A05,低保,2026-11-01\n",
        "pairings": "point,unit,headings,since\nA05,临时单位,教育,2026-11-01\n",
        "brands": "area,name,status\nA24,临时品牌,ended\n",
        "income": "fund,date,amount,source\n互助金,2026-11-01,50,临时\n",
        "given": "case,date,form\n2,2026-11-01,慰问\n",
    }
    batches = []
    for kind, text in files.items():
        (tmp_path / f"{kind}-in.csv").write_text(text, encoding="utf-8")
        cmd = ("aid", f"{kind}-import") if kind in ("income", "given") else (kind, "import")
        full.ok(*cmd, tmp_path / f"{kind}-in.csv")
        batches.append(str(full.rows("SELECT max(id) FROM import_batches")[0][0]))
    full.ok("aid", "income", "--fund", "急难帮困", "--amount", "20", "--on", "2026-11-02")
    full.ok("aid", "add", "--name", "赵六", "--area", "A04", "--kind", "失业", "--on", "2026-11-02")
    full.ok("aid", "give", str(full.rows("SELECT max(id) FROM aid_cases")[0][0]),
            "--form", "救助金", "--amount", "100", "--fund", "急难帮困", "--on", "2026-11-05")
    full.ok("pairings", "add", "--point", "A04", "--unit", "后来的单位", "--headings", "治安",
            "--since", "2026-11-02")
    full.ok("brands", "add", "--area", "A23", "--name", "后来的品牌", "--status", "growing")
    pairing, brand = (str(full.rows(f"SELECT max(id) FROM {t}")[0][0])
                      for t in ("pairings", "brands"))
    full.ok("logs", "add", "--point", "A04", "--kind", "volunteer", "--title", "后来的活动",
            "--on", "2026-11-06", "--pairing", pairing, "--heading", "治安")
    full.ok("logs", "add", "--point", "A23", "--kind", "volunteer", "--title", "品牌的活动",
            "--on", "2026-11-06", "--brand", brand)
    for batch in reversed(batches):
        full.ok("imports", "undo", batch, "--yes")
    fresh = Cli(tmp_path / "fresh.db")
    fresh.ok("init")
    for kind, export, imp in PAIRS:
        path = tmp_path / f"{kind}.csv"
        full.ok(*export, "--out", path)
        assert _tally(fresh.ok(*imp, path))[3] == 0, kind
    for table in ("aid_cases", "aid_given", "fund_income", "pairings", "brands", "logs"):
        assert _rows(fresh.db_path, table, STAMPS) == _rows(full.db_path, table, STAMPS), table


def test_every_export_re_imports_unchanged_after_excel_saved_it_as_gbk(full, tmp_path):
    """Chinese headings and labels, GBK, CR LF, dates as 2026/11/20 and stamps as
    2026/12/1 8:00: what Excel on a Chinese Windows saves. Nothing changes."""
    audit = full.count("audit")
    for kind, export, imp in PAIRS:
        text = full.ok(*export, "--headings", "zh").stdout
        text = re.sub(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2})",
                      lambda m: f"{m[1]}/{int(m[2])}/{int(m[3])} {int(m[4])}:{m[5]}", text)
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(_excel_gbk(text))
        inserted, updated, _unchanged, rejected = _tally(full.ok(*imp, path))
        assert (inserted, updated, rejected) == (0, 0, 0), kind
    assert full.count("audit") == audit
